//! `:instructions`: leader instructions under follow-up (督办), open ones first; Enter
//! records progress on the chosen one or closes it.

use super::Page;
use crate::app::filter::FilterTarget;
use crate::app::{State, instructions};
use crate::model::text::truncate;
use crate::ui::filtered_title;
use crate::ui::theme::Role;
use ratatui::text::Line;

pub fn page(state: &State, width: usize, selected: usize) -> Page {
    let t = &state.theme();
    let l = state.lang();
    let list = instructions::listed(state);
    let mut lines = Vec::new();
    let mut selected_line = 0;
    for (n, i) in list.iter().enumerate() {
        let status = if i.open() {
            l.t("instructions.open")
        } else {
            l.t("instructions.closed")
        };
        let head = l.f(
            "instructions.head",
            &[
                ("at", &state.local(i.at(), "%m-%d %H:%M")),
                ("status", &status),
                ("leader", &i.leader()),
                ("text", &i.entry.text),
            ],
        );
        let mut style = if i.open() {
            t.get(Role::Text)
        } else {
            t.get(Role::Muted)
        };
        if n == selected {
            style = style.patch(t.get(Role::Selection));
            selected_line = lines.len();
        }
        lines.push(Line::styled(truncate(&head, width), style));
        let assignee = if i.assignee().is_empty() {
            "—"
        } else {
            i.assignee()
        };
        let mut tail = format!(
            "    {}",
            l.f(
                "instructions.tail",
                &[("incident", &i.incident.title), ("assignee", &assignee)],
            )
        );
        if let Some(last) = i.followups.last() {
            tail.push_str(" · ");
            tail.push_str(&l.f(
                "instructions.follow_ups",
                &[("count", &i.followups.len()), ("text", &last.text)],
            ));
        }
        if let Some(c) = i.closed_by {
            tail.push_str(" · ");
            tail.push_str(&l.f("instructions.closed_with", &[("text", &c.text)]));
        }
        lines.push(Line::styled(truncate(&tail, width), t.get(Role::Muted)));
    }
    if lines.is_empty() && !state.view.filters.instructions.is_empty() {
        lines.push(Line::raw(l.t("instructions.none_match")));
    } else if lines.is_empty() {
        lines.push(Line::raw(l.t("instructions.none")));
    }
    let name = l.t("instructions.title");
    let title = filtered_title(
        state,
        name,
        FilterTarget::Instructions,
        l.t("instructions.title_keys").to_owned(),
    );
    Page {
        title,
        lines,
        chosen: Some(selected_line),
    }
}
