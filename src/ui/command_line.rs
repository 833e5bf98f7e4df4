//! The prompt on the bottom row while a `:` command or a `/` filter is typed: the line
//! with its cursor, then what Tab could complete to, or for a filter how many rows match.

use super::theme::Role;
use crate::app::Lang;
use crate::app::State;
use crate::app::command_line::{Prompt, PromptKind, counts};
use crate::app::rooms::COMMANDS;
use crate::model::text::{truncate, width};
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// Returns where the text cursor goes.
pub fn draw(state: &State, frame: &mut Frame, area: Rect, prompt: &Prompt) -> Option<Position> {
    let t = &state.theme();
    let l = state.lang();
    let lead = match prompt.kind {
        PromptKind::Command => ":",
        PromptKind::Filter(_) => "/",
    };
    let text = prompt.input.text();
    let mut right: Vec<Span> = Vec::new();
    if let PromptKind::Filter(target) = prompt.kind {
        let (n, total) = counts(state, target);
        let role = if n == 0 { Role::Overdue } else { Role::Title };
        right.push(Span::styled(format!(" {n}/{total} "), t.get(role)));
        right.push(Span::styled(
            format!(" {} ", l.t("command_line.filter_keys")),
            t.get(Role::Muted),
        ));
    }
    let right_w: usize = right.iter().map(|s| width(&s.content)).sum();
    let line_w = 1 + width(text);
    let room = (area.width as usize).saturating_sub(line_w + right_w + 2);
    let mut spans = vec![
        Span::styled(lead, t.get(Role::Key)),
        Span::raw(text.to_owned()),
        Span::raw("  "),
    ];
    if !prompt.candidates.is_empty() && prompt.candidates.len() > 1 {
        let words: Vec<&str> = prompt
            .candidates
            .iter()
            .map(|c| c.rsplit(' ').find(|w| !w.is_empty()).unwrap_or(c))
            .collect();
        spans.push(Span::styled(
            truncate(&words.join("  "), room),
            t.get(Role::Muted),
        ));
    } else if text.is_empty() && prompt.kind == PromptKind::Command {
        spans.push(Span::styled(
            truncate(&command_list(state), room),
            t.get(Role::Muted),
        ));
    }
    let used: usize = spans.iter().map(|s| width(&s.content)).sum();
    spans.push(Span::raw(
        " ".repeat((area.width as usize).saturating_sub(used + right_w)),
    ));
    spans.extend(right);
    frame.render_widget(
        Paragraph::new(Line::from(spans)).style(t.get(Role::Text)),
        area,
    );
    let x = area.x + 1 + prompt.input.cursor_cells() as u16;
    let cursor = (x < area.right()).then(|| Position::new(x, area.y));
    if let Some(p) = cursor {
        frame.set_cursor_position(p);
    }
    cursor
}

/// Every command, from the same table the command line runs: in Chinese with its alias.
fn command_list(state: &State) -> String {
    let names: Vec<String> = COMMANDS
        .iter()
        .map(
            |c| match (state.lang(), c.aliases.iter().find(|a| !a.is_ascii())) {
                (Lang::Zh, Some(alias)) => format!("{} {alias}", c.name),
                _ => c.name.to_owned(),
            },
        )
        .collect();
    state
        .lang()
        .f("command_line.commands", &[("names", &names.join(" · "))])
}
