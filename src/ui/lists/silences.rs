//! `:silences`: each silenced alert, who silenced it, why, and until when.

use super::Page;
use crate::app::filter::FilterTarget;
use crate::app::{State, silences};
use crate::model::text::truncate;
use crate::ui::alerts::level_label;
use crate::ui::filtered_title;
use crate::ui::theme::Role;
use ratatui::text::{Line, Span};

pub fn page(state: &State, width: usize) -> Page {
    let t = &state.theme();
    let l = state.lang();
    let mut lines = Vec::new();
    for (a, s) in silences::listed(state) {
        lines.push(Line::from(vec![
            Span::styled(format!(" {} ", level_label(l, a)), t.alert(a.colour)),
            Span::raw(" "),
            Span::styled(
                truncate(a.title(), width.saturating_sub(12)),
                t.get(Role::Title),
            ),
        ]));
        // Whole minutes left, rounded up: a silence with 30 s to go still has a minute.
        let secs = s.until.duration_since(state.now).as_secs().max(0);
        let left = (secs + 59) / 60;
        lines.push(Line::styled(
            truncate(
                &format!(
                    "  {}",
                    l.f(
                        "silences.row",
                        &[
                            ("officer", &s.officer),
                            ("from", &state.local(s.from, "%H:%M")),
                            ("until", &state.local(s.until, "%H:%M")),
                            ("left", &left),
                            ("reason", &s.reason),
                        ],
                    )
                ),
                width,
            ),
            t.get(Role::Muted),
        ));
    }
    if lines.is_empty() && !state.view.filters.silences.is_empty() {
        lines.push(Line::raw(l.t("silences.none_match")));
    } else if lines.is_empty() {
        lines.push(Line::raw(l.t("silences.none")));
    }
    let name = l.t("silences.title");
    Page {
        title: filtered_title(state, name, FilterTarget::Silences, name.to_owned()),
        lines,
        chosen: None,
    }
}
