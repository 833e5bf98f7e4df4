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
    let colon = l.pick("：", ": ");
    for (n, i) in list.iter().enumerate() {
        let status = if i.open() {
            l.pick("督办中", "open")
        } else {
            l.pick("已办结", "closed")
        };
        let head = format!(
            "{} {} {}{}{}",
            state.local(i.at(), "%m-%d %H:%M"),
            status,
            i.leader(),
            colon,
            i.entry.text
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
        let mut tail = format!(
            "    {} · {} {}",
            i.incident.title,
            l.pick("承办", "assignee"),
            if i.assignee().is_empty() {
                "—"
            } else {
                i.assignee()
            }
        );
        if let Some(last) = i.followups.last() {
            tail.push_str(&format!(
                " · {} {}{colon}{}",
                l.pick("督办", "follow-ups"),
                i.followups.len(),
                last.text
            ));
        }
        if let Some(c) = i.closed_by {
            tail.push_str(&format!(" · {}{colon}{}", l.pick("办结", "closed"), c.text));
        }
        lines.push(Line::styled(truncate(&tail, width), t.get(Role::Muted)));
    }
    if lines.is_empty() && !state.view.filters.instructions.is_empty() {
        lines.push(Line::raw(l.pick(
            "没有符合筛选的批示（Esc 清除筛选）",
            "No instruction matches the filter (Esc clears it)",
        )));
    } else if lines.is_empty() {
        lines.push(Line::raw(
            l.pick("没有领导批示。", "No leader instructions."),
        ));
    }
    let name = l.pick("领导批示 · 督办", "Leader instructions");
    let title = filtered_title(
        state,
        name,
        FilterTarget::Instructions,
        l.pick(
            "领导批示 · 督办（Enter 记录进展或办结）",
            "Leader instructions (Enter: progress or close)",
        )
        .to_owned(),
    );
    Page {
        title,
        lines,
        chosen: Some(selected_line),
    }
}
