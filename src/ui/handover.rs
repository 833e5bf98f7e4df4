//! The handover review overlay: the report (the same Markdown `watchroom handover` prints,
//! lightly styled), the notes line being typed, and what signing/confirming would do.

use super::centred;
use super::theme::Role;
use crate::app::Action;
use crate::app::handover::{HandoverView, awaiting_confirmation};
use crate::app::keymap::Mode;
use crate::app::{Lang, State};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

fn styled(state: &State, line: &str) -> Line<'static> {
    let t = &state.theme();
    if let Some(h) = line.strip_prefix("# ") {
        return Line::styled(h.to_owned(), t.get(Role::Title));
    }
    if let Some(h) = line.strip_prefix("## ") {
        return Line::styled(format!("▌{h}"), t.get(Role::BorderFocus));
    }
    let plain = line.replace("**", "");
    // The report is in the console's language, but the language may have changed since.
    if Lang::ALL
        .iter()
        .any(|l| plain.contains(l.t("handover.overdue_word")))
    {
        return Line::styled(plain, t.get(Role::Overdue));
    }
    Line::raw(plain)
}

fn key_of(state: &State, action: Action) -> String {
    state
        .session
        .keymap
        .in_mode(Mode::Handover)
        .find(|b| b.action == action)
        .and_then(|b| b.key_names.first().cloned())
        .unwrap_or_default()
}

/// Returns where the text cursor goes.
pub fn draw(state: &State, frame: &mut Frame, area: Rect, view: &HandoverView) -> Option<Position> {
    let t = &state.theme();
    let l = state.lang();
    let rect = centred(
        area,
        area.width.saturating_sub(6).min(110),
        area.height.saturating_sub(2),
    );
    super::clear(state, frame, rect);
    let block = Block::bordered()
        .border_style(t.get(Role::BorderFocus))
        .title(Span::styled(
            format!(" {} ", l.t("handover.title")),
            t.get(Role::Title),
        ));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let [body, notes_area, hint_area] = Layout::vertical([
        Constraint::Min(3),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(inner);

    let lines: Vec<Line> = view.markdown.lines().map(|s| styled(state, s)).collect();
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((view.scroll, 0)),
        body,
    );

    let label = l.t("handover.notes");
    let label_w = crate::model::text::width(label) as u16;
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(label, t.get(Role::Key)),
            Span::raw(view.notes.text().to_owned()),
        ])),
        notes_area,
    );
    let x = notes_area.x + label_w + view.notes.cursor_cells() as u16;
    let cursor = (!state.session.read_only && x < notes_area.right())
        .then(|| Position::new(x, notes_area.y));
    if let Some(p) = cursor {
        frame.set_cursor_position(p);
    }

    let pending = match awaiting_confirmation(state) {
        Some(h) => {
            let at = h
                .created_at
                .map(|at| state.local(at, "%H:%M"))
                .unwrap_or_default();
            let text = l.f(
                "handover.awaiting",
                &[("outgoing", &h.outgoing), ("at", &at)],
            );
            format!("{text}  ")
        }
        None => String::new(),
    };
    let hint = if state.session.read_only {
        pending
    } else {
        let keys = l.f(
            "handover.keys",
            &[
                ("sign", &key_of(state, Action::Sign)),
                ("confirm", &key_of(state, Action::Confirm)),
            ],
        );
        format!("{pending}{keys}")
    };
    frame.render_widget(
        Paragraph::new(Line::styled(hint, t.get(Role::Muted))),
        hint_area,
    );
    cursor
}
