//! `:history` (`H`): alerts that left the wall, newest first, with how each ended.

use super::Page;
use crate::app::State;
use crate::model::text::truncate;
use crate::ui::alerts::level_label;
use crate::ui::theme::Role;
use ratatui::text::{Line, Span};

pub fn page(state: &State, width: usize) -> Page {
    let t = &state.theme();
    let l = state.lang();
    let list = state.history();
    let mut lines = Vec::with_capacity(list.len());
    // The message that ended an alert, by its title where this console holds it.
    let named = |a: &crate::model::Alert, id: &str| {
        state
            .records
            .alert(&a.origin, id)
            .map_or_else(|| id.to_owned(), |m| m.title().to_owned())
    };
    for a in &list {
        let (how, when) = if let Some(by) = &a.extra.cancelled_by {
            (l.t("history.cancelled"), format!(" {}", named(a, by)))
        } else if let Some(at) = a.extra.resolved_at {
            (
                l.t("history.resolved"),
                format!(" {}", state.local(at, "%m-%d %H:%M")),
            )
        } else if let Some(by) = &a.extra.superseded_by {
            (l.t("history.updated"), format!(" → {}", named(a, by)))
        } else {
            let at = a
                .expires
                .map(|e| state.local(e, "%m-%d %H:%M"))
                .unwrap_or_default();
            (l.t("history.expired"), format!(" {at}"))
        };
        let head = format!(
            "{} {} {}",
            state.local(a.sent, "%m-%d %H:%M"),
            level_label(l, a),
            a.title()
        );
        let tail = format!("  {how}{when}");
        let room = width.saturating_sub(crate::model::text::width(&tail));
        lines.push(Line::from(vec![
            Span::styled(truncate(&head, room), t.get(Role::Text)),
            Span::styled(tail, t.get(Role::Muted)),
        ]));
    }
    if lines.is_empty() {
        lines.push(Line::raw(l.t("history.none")));
    }
    Page {
        title: format!("{} · {}", l.t("history.title"), list.len()),
        lines,
        chosen: None,
    }
}
