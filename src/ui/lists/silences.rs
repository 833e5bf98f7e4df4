//! `:silences`: each silenced alert, who silenced it, why, and until when.

use super::Page;
use crate::app::filter::FilterTarget;
use crate::app::{Lang, State, silences};
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
        let left = state.now.until(s.until).map_or(0, |d| d.get_minutes());
        lines.push(Line::styled(
            truncate(
                &match l {
                    Lang::Zh => format!(
                        "  {} {} · 至 {}（余 {left} 分钟）· {}",
                        s.officer,
                        state.local(s.from, "%H:%M"),
                        state.local(s.until, "%H:%M"),
                        s.reason
                    ),
                    Lang::En => format!(
                        "  {} {} · until {} ({left} min left) · {}",
                        s.officer,
                        state.local(s.from, "%H:%M"),
                        state.local(s.until, "%H:%M"),
                        s.reason
                    ),
                },
                width,
            ),
            t.get(Role::Muted),
        ));
    }
    if lines.is_empty() && !state.view.filters.silences.is_empty() {
        lines.push(Line::raw(l.pick(
            "没有符合筛选的静默（Esc 清除筛选）",
            "No silence matches the filter (Esc clears it)",
        )));
    } else if lines.is_empty() {
        lines.push(Line::raw(
            l.pick("没有静默中的预警。", "No alert is silenced."),
        ));
    }
    let name = l.pick("静默列表", "Silences");
    Page {
        title: filtered_title(state, name, FilterTarget::Silences, name.to_owned()),
        lines,
        chosen: None,
    }
}
