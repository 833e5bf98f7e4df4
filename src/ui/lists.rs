//! List overlays: active silences (who, why, until when), leader instructions under
//! follow-up (督办), and every source's health (`:sources`).

use super::centred;
use super::format::age;
use super::theme::Role;
use crate::app::filter::FilterTarget;
use crate::app::{Lang, SourceStatus, State, instructions, silences};
use crate::model::text::{pad, truncate};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

fn frame_for<'a>(state: &State, title: &str) -> Block<'a> {
    Block::bordered()
        .border_style(state.theme().get(Role::BorderFocus))
        .title(Span::styled(
            format!(" {title} "),
            state.theme().get(Role::Title),
        ))
}

fn rect(area: Rect) -> Rect {
    centred(
        area,
        area.width.saturating_sub(8).min(110),
        area.height.saturating_sub(4),
    )
}

pub fn draw_silences(state: &State, frame: &mut Frame, area: Rect, scroll: u16) {
    let t = &state.theme();
    let l = state.lang();
    let r = rect(area);
    let width = r.width.saturating_sub(2) as usize;
    let mut lines = Vec::new();
    for (a, s) in silences::listed(state) {
        lines.push(Line::from(vec![
            Span::styled(
                format!(" {} ", crate::ui::alerts::level_label(l, a)),
                t.alert(a.colour),
            ),
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
    super::clear(state, frame, r);
    let name = l.pick("静默列表", "Silences");
    let title = super::filtered_title(state, name, FilterTarget::Silences, name.to_owned());
    frame.render_widget(
        Paragraph::new(lines)
            .block(frame_for(state, &title))
            .scroll((scroll, 0)),
        r,
    );
}

pub fn draw_instructions(state: &State, frame: &mut Frame, area: Rect, selected: usize) {
    let t = &state.theme();
    let l = state.lang();
    let r = rect(area);
    let width = r.width.saturating_sub(2) as usize;
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
    let visible = r.height.saturating_sub(2) as usize;
    let scroll = (selected_line + 2).saturating_sub(visible) as u16;
    super::clear(state, frame, r);
    let name = l.pick("领导批示 · 督办", "Leader instructions");
    let title = super::filtered_title(
        state,
        name,
        FilterTarget::Instructions,
        l.pick(
            "领导批示 · 督办（Enter 记录进展或办结）",
            "Leader instructions (Enter: progress or close)",
        )
        .to_owned(),
    );
    frame.render_widget(
        Paragraph::new(lines)
            .block(frame_for(state, &title))
            .scroll((scroll, 0)),
        r,
    );
}

/// `:sources`: each source's name, kind, status, last contact, failing since and why.
pub fn draw_sources(state: &State, frame: &mut Frame, area: Rect, scroll: u16) {
    let t = &state.theme();
    let l = state.lang();
    let r = rect(area);
    let width = r.width.saturating_sub(2) as usize;
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
    super::clear(state, frame, r);
    frame.render_widget(
        Paragraph::new(lines)
            .block(frame_for(state, l.pick("数据源", "Sources")))
            .scroll((scroll, 0)),
        r,
    );
}

/// `:history` (`H`): alerts that left the wall, newest first, with how each ended.
pub fn draw_history(state: &State, frame: &mut Frame, area: Rect, scroll: u16) {
    let t = &state.theme();
    let l = state.lang();
    let r = rect(area);
    let width = r.width.saturating_sub(2) as usize;
    let list = state.history();
    let mut lines = Vec::with_capacity(list.len());
    for a in &list {
        let (how, when) = if let Some(by) = &a.extra.cancelled_by {
            (l.pick("已解除", "cancelled"), format!(" {by}"))
        } else if let Some(at) = a.extra.resolved_at {
            (
                l.pick("已恢复", "resolved"),
                format!(" {}", state.local(at, "%m-%d %H:%M")),
            )
        } else if let Some(by) = &a.extra.superseded_by {
            (l.pick("已更新", "updated"), format!(" → {by}"))
        } else {
            let at = a
                .expires
                .map(|e| state.local(e, "%m-%d %H:%M"))
                .unwrap_or_default();
            (l.pick("已失效", "expired"), format!(" {at}"))
        };
        let head = format!(
            "{} {} {}",
            state.local(a.sent, "%m-%d %H:%M"),
            crate::ui::alerts::level_label(l, a),
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
        lines.push(Line::raw(l.pick("没有历史预警。", "No alerts in history.")));
    }
    super::clear(state, frame, r);
    let title = format!("{} · {}", l.pick("历史预警", "Alert history"), list.len());
    frame.render_widget(
        Paragraph::new(lines)
            .block(frame_for(state, &title))
            .scroll((scroll, 0)),
        r,
    );
}
