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
        (l.pick("名称", "Name"), 16),
        (l.pick("类型", "Kind"), 14),
        (l.pick("状态", "Status"), 10),
        (l.pick("最近正常", "Last OK"), 26),
        (l.pick("故障起始", "Failing since"), 26),
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
            SourceStatus::Failed(_) => (l.pick("✗ 离线", "✗ offline"), Role::Offline),
            _ if state.source_stale(s) => (l.pick("⚠ 陈旧", "⚠ stale"), Role::Stale),
            SourceStatus::Connecting => (l.pick("连接中", "connecting"), Role::Stale),
            SourceStatus::Live => (l.pick("✓ 实时", "✓ live"), Role::Ok),
            SourceStatus::Polling => (l.pick("⟳ 轮询", "⟳ polling"), Role::Stale),
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
                truncate(&format!("  {} {why}", l.pick("原因：", "Reason:")), width),
                t.get(Role::Offline),
            ));
        }
        if let Some((at, text)) = &s.warning {
            lines.push(Line::styled(
                truncate(
                    &format!(
                        "  ⚠ {} {}: {text}",
                        l.pick("警告", "Warning"),
                        state.local(*at, "%m-%d %H:%M")
                    ),
                    width,
                ),
                t.get(Role::Stale),
            ));
        }
    }
    if state.records.sources.is_empty() {
        lines.push(Line::raw(l.pick(
            "尚未收到任何数据源的消息。",
            "No source has been heard from yet.",
        )));
    }
    Page {
        title: l.pick("数据源", "Sources").to_owned(),
        lines,
        chosen: None,
    }
}
