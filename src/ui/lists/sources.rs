//! `:sources`: each source's name, kind, status, last contact, failing since and why.

use super::Page;
use crate::app::{SourceStatus, State};
use crate::model::text::{pad, truncate};
use crate::ui::format::age;
use crate::ui::theme::Role;
use ratatui::text::{Line, Span};

pub fn page(state: &State, width: usize) -> Page {
    let t = &state.theme();
    let l = state.lang();
    let when = |at: Option<jiff::Timestamp>| match at {
        Some(at) => format!(
            "{} ({})",
            state.local(at, "%m-%d %H:%M:%S"),
            age(l, state.now, at)
        ),
        None => "—".to_owned(),
    };
    let columns = [
        (l.t("sources.name"), 16),
        (l.t("sources.kind"), 14),
        (l.t("sources.status"), 10),
        (l.t("sources.last_ok"), 26),
        (l.t("sources.failing_since"), 26),
    ];
    let mut lines = vec![Line::styled(
        truncate(
            &columns
                .iter()
                .map(|(h, w)| pad(h, *w))
                .collect::<Vec<_>>()
                .join(" "),
            width,
        ),
        t.get(Role::Title),
    )];
    for s in &state.records.sources {
        let kind = state
            .session
            .source_kinds
            .iter()
            .find(|(n, _)| n == &s.name)
            .map_or("—", |(_, k)| k.as_str());
        let (status, role) = match &s.status {
            SourceStatus::Failed(_) => (l.t("sources.offline"), Role::Offline),
            _ if state.source_stale(s) => (l.t("sources.stale"), Role::Stale),
            SourceStatus::Connecting => (l.t("sources.connecting"), Role::Stale),
            SourceStatus::Live => (l.t("sources.live"), Role::Ok),
            SourceStatus::Polling => (l.t("sources.polling"), Role::Stale),
        };
        lines.push(Line::from(vec![
            Span::raw(format!("{} ", pad(&truncate(&s.name, 16), 16))),
            Span::styled(format!("{} ", pad(kind, 14)), t.get(Role::Muted)),
            Span::styled(format!("{} ", pad(status, 10)), t.get(role)),
            Span::raw(format!("{} ", pad(&when(s.last_ok), 26))),
            Span::raw(pad(&when(s.failed_since), 26)),
        ]));
        if let SourceStatus::Failed(why) = &s.status {
            lines.push(Line::styled(
                truncate(
                    &format!("  {}", l.f("sources.reason", &[("why", why)])),
                    width,
                ),
                t.get(Role::Offline),
            ));
        }
        if let Some((at, text)) = &s.warning {
            lines.push(Line::styled(
                truncate(
                    &format!(
                        "  {}",
                        l.f(
                            "sources.warning",
                            &[("at", &state.local(*at, "%m-%d %H:%M")), ("text", text)],
                        )
                    ),
                    width,
                ),
                t.get(Role::Stale),
            ));
        }
    }
    if state.records.sources.is_empty() {
        lines.push(Line::raw(l.t("sources.none")));
    }
    Page {
        title: l.t("sources.title").to_owned(),
        lines,
        chosen: None,
    }
}
