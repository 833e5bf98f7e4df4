//! List overlays: active silences (who, why, until when) and leader instructions under
//! follow-up (督办).

use super::centred;
use crate::app::{State, instructions, silences};
use crate::model::text::truncate;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

fn frame_for<'a>(state: &State, title: &str) -> Block<'a> {
    Block::bordered()
        .border_style(state.theme.style("border.focus"))
        .title(Span::styled(
            format!(" {title} "),
            state.theme.style("title"),
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
    let t = &state.theme;
    let l = state.lang;
    let r = rect(area);
    let width = r.width.saturating_sub(2) as usize;
    let mut lines = Vec::new();
    for (a, s) in silences::active(state) {
        lines.push(Line::from(vec![
            Span::styled(
                format!(" {} ", crate::ui::alerts::level_label(l, a)),
                t.alert(a.colour),
            ),
            Span::raw(" "),
            Span::styled(
                truncate(&a.title, width.saturating_sub(12)),
                t.style("title"),
            ),
        ]));
        let left = state.now.until(s.until).map_or(0, |d| d.get_minutes());
        lines.push(Line::styled(
            truncate(
                &format!(
                    "  {} {} · {} {}（{} {left} {}）· {}",
                    s.officer,
                    state.local(s.from, "%H:%M"),
                    l.pick("至", "until"),
                    state.local(s.until, "%H:%M"),
                    l.pick("余", "in"),
                    l.pick("分钟", "min"),
                    s.reason
                ),
                width,
            ),
            t.style("muted"),
        ));
    }
    if lines.is_empty() {
        lines.push(Line::raw(
            l.pick("没有静默中的预警。", "No alert is silenced."),
        ));
    }
    super::clear(state, frame, r);
    frame.render_widget(
        Paragraph::new(lines)
            .block(frame_for(state, l.pick("静默列表", "Silences")))
            .scroll((scroll, 0)),
        r,
    );
}

pub fn draw_instructions(state: &State, frame: &mut Frame, area: Rect, selected: usize) {
    let t = &state.theme;
    let l = state.lang;
    let r = rect(area);
    let width = r.width.saturating_sub(2) as usize;
    let list = instructions::listed(state);
    let mut lines = Vec::new();
    let mut selected_line = 0;
    for (n, i) in list.iter().enumerate() {
        let status = if i.open() {
            l.pick("督办中", "open")
        } else {
            l.pick("已办结", "closed")
        };
        let head = format!(
            "{} {} {}：{}",
            state.local(i.at(), "%m-%d %H:%M"),
            status,
            i.leader(),
            i.entry.text
        );
        let mut style = if i.open() {
            t.style("text")
        } else {
            t.style("muted")
        };
        if n == selected {
            style = style.patch(t.style("selection"));
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
                " · {} {}：{}",
                l.pick("督办", "follow-ups"),
                i.followups.len(),
                last.text
            ));
        }
        if let Some(c) = i.closed_by {
            tail.push_str(&format!(" · {}：{}", l.pick("办结", "closed"), c.text));
        }
        lines.push(Line::styled(truncate(&tail, width), t.style("muted")));
    }
    if lines.is_empty() {
        lines.push(Line::raw(
            l.pick("没有领导批示。", "No leader instructions."),
        ));
    }
    let visible = r.height.saturating_sub(2) as usize;
    let scroll = (selected_line + 2).saturating_sub(visible) as u16;
    super::clear(state, frame, r);
    let title = l.pick(
        "领导批示 · 督办（Enter 记录进展或办结）",
        "Leader instructions (Enter: progress or close)",
    );
    frame.render_widget(
        Paragraph::new(lines)
            .block(frame_for(state, title))
            .scroll((scroll, 0)),
        r,
    );
}
