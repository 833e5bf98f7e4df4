//! `:overdue` (`!`): what is overdue, worst first — since when, by how long, what is owed
//! and on which incident.

use super::Page;
use crate::app::{State, overdue, words};
use crate::model::text::{truncate, width};
use crate::ui::incidents::grade_label;
use crate::ui::theme::Role;
use ratatui::text::{Line, Span};

pub fn page(state: &State, room: usize) -> Page {
    let t = &state.theme();
    let l = state.lang();
    let list = overdue::listed(state);
    let mut lines = Vec::with_capacity(list.len());
    for o in &list {
        let late = l.f(
            "lists.overdue.late",
            &[
                ("due", &state.local(o.due, "%m-%d %H:%M")),
                ("minutes", &o.minutes(state.now)),
            ],
        );
        let owed = format!(
            "  {} · {} {}",
            words::show(l, &o.label),
            grade_label(l, o.incident.grade),
            o.incident.title
        );
        let rest = room.saturating_sub(width(&late));
        lines.push(Line::from(vec![
            Span::styled(late, t.get(Role::Overdue)),
            Span::styled(truncate(&owed, rest), t.get(Role::Text)),
        ]));
    }
    if lines.is_empty() {
        lines.push(Line::raw(l.t("lists.overdue.none")));
    }
    Page {
        title: l.f("lists.overdue.title", &[("n", &list.len())]),
        lines,
        chosen: None,
    }
}
