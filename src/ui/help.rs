//! The `?` overlay, generated from the keymap so it always tells the truth.

use super::centred;
use super::theme::Role;
use crate::app::State;
use crate::app::keymap::Mode;
use crate::app::rooms::{COMMANDS, mode_title};
use crate::model::text::{pad, width};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

/// The key column fits the longest list of keys, within reason.
fn key_column(state: &State) -> usize {
    state
        .session
        .keymap
        .bindings
        .iter()
        .map(|b| width(&b.key_names.join(" / ")))
        .max()
        .unwrap_or(0)
        .clamp(12, 28)
}

pub fn lines(state: &State) -> Vec<Line<'static>> {
    let t = &state.theme();
    let keys_w = key_column(state);
    let mut out = Vec::new();
    for mode in Mode::ALL {
        let bindings: Vec<_> = state.session.keymap.in_mode(mode).collect();
        if bindings.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(Line::raw(""));
        }
        out.push(Line::from(Span::styled(
            mode_title(state.lang(), mode),
            t.get(Role::Title),
        )));
        for b in bindings {
            out.push(Line::from(vec![
                Span::styled(
                    format!("  {} ", pad(&b.key_names.join(" / "), keys_w)),
                    t.get(Role::Key),
                ),
                Span::raw(b.text(state.lang()).to_owned()),
            ]));
        }
    }
    out.push(Line::raw(""));
    out.push(Line::from(Span::styled(
        state.lang().t("help.commands"),
        t.get(Role::Title),
    )));
    for c in COMMANDS {
        let arg = c.arg_words(state.lang());
        let mut names = format!(":{}", c.name);
        if !arg.is_empty() {
            names.push(' ');
            names.push_str(&arg);
        }
        // Chinese aliases are for Chinese screens.
        let aliases = c
            .aliases
            .iter()
            .filter(|a| state.lang() == crate::app::Lang::Zh || a.is_ascii())
            .map(|a| format!(":{a}"))
            .collect::<Vec<_>>()
            .join(" ");
        out.push(Line::from(vec![
            Span::styled(format!("  {} ", pad(&names, keys_w)), t.get(Role::Key)),
            Span::raw(state.lang().t(c.text).to_owned()),
            Span::styled(format!("  {aliases}"), t.get(Role::Muted)),
        ]));
    }
    out
}

pub fn draw(state: &State, frame: &mut Frame, area: Rect, scroll: u16) {
    let body = lines(state);
    let h = (body.len() as u16 + 2).min(area.height.saturating_sub(2));
    let w = body.iter().map(Line::width).max().unwrap_or(0) as u16 + 4;
    let rect = centred(area, w.max(60), h);
    super::clear(state, frame, rect);
    let block = Block::bordered()
        .border_style(state.theme().get(Role::BorderFocus))
        .title(Span::styled(
            format!(" {} ", state.lang().t("help.title")),
            state.theme().get(Role::Title),
        ));
    let max_scroll = (body.len() as u16).saturating_sub(rect.height.saturating_sub(2));
    frame.render_widget(
        Paragraph::new(body)
            .block(block)
            .scroll((scroll.min(max_scroll), 0)),
        rect,
    );
}
