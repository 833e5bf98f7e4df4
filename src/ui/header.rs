//! Title bar (office, clock, leader on duty, DEMO) and the one-line summary under it.

use super::format::day_time;
use crate::app::State;
use crate::model::roster::on_duty;
use crate::model::text::{truncate, width};
use crate::model::{Colour, DutyRole, IncidentStatus};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn draw(state: &State, frame: &mut Frame, area: Rect) {
    let t = &state.theme;
    let lang = state.lang;
    let clock = day_time(lang, &state.now.to_zoned_datetime(state.tz.clone()), true);
    let (current, _) = on_duty(&state.shifts, state.now);
    let leader = current
        .iter()
        .find(|s| s.role == DutyRole::Leader)
        .map(|s| {
            format!(
                "{} {}",
                lang.pick(DutyRole::Leader.zh(), "Leader on duty"),
                s.person
            )
        });

    let mut right: Vec<Span> = vec![Span::raw(clock)];
    if let Some(l) = leader {
        right.push(Span::raw("  "));
        right.push(Span::raw(l));
    }
    if state.demo {
        right.push(Span::raw("  "));
        right.push(Span::styled(" DEMO ", t.style("demo")));
    }
    right.push(Span::raw(" "));
    let right_w: usize = right.iter().map(|s| width(&s.content)).sum();
    let left_text = format!(" {} · {}", lang.pick("值班室", "Duty room"), state.office);
    let room = (area.width as usize).saturating_sub(right_w + 1);
    let left_text = truncate(&left_text, room);
    let gap = (area.width as usize).saturating_sub(width(&left_text) + right_w);
    let mut spans = vec![Span::raw(left_text), Span::raw(" ".repeat(gap))];
    spans.extend(right);
    frame.render_widget(
        Paragraph::new(Line::from(spans)).style(t.style("header")),
        Rect { height: 1, ..area },
    );

    if area.height > 1 {
        frame.render_widget(
            Paragraph::new(summary(state)),
            Rect {
                y: area.y + 1,
                height: 1,
                ..area
            },
        );
    }
}

/// Counts of warnings in force by colour, open incidents, new arrivals, and any flash.
fn summary(state: &State) -> Line<'static> {
    let t = &state.theme;
    let lang = state.lang;
    let visible: Vec<_> = state
        .visible_alerts()
        .into_iter()
        .filter(|a| a.in_force(state.now))
        .collect();
    let mut spans = vec![Span::raw(" ")];
    for c in [Colour::Red, Colour::Orange, Colour::Yellow, Colour::Blue] {
        let n = visible.iter().filter(|a| a.colour == c).count();
        let label = match lang {
            crate::app::Lang::Zh => c.zh().to_owned(),
            crate::app::Lang::En => c.en().to_owned(),
        };
        spans.push(Span::styled(format!(" {label} {n} "), t.alert(c)));
        spans.push(Span::raw(" "));
    }
    let open = state
        .incidents
        .iter()
        .filter(|i| i.status == IncidentStatus::Open)
        .count();
    spans.push(Span::raw(format!(
        "  {} {open}",
        lang.pick("处置中事件", "Open incidents")
    )));
    let fresh = state.arrived.len();
    if fresh > 0 {
        spans.push(Span::styled(
            format!("  {} {fresh}", lang.pick("新到", "New")),
            t.style("fresh"),
        ));
    }
    if let Some(f) = &state.flash {
        spans.push(Span::raw("   "));
        spans.push(Span::styled(format!(" {} ", f.text), t.style("flash")));
    }
    Line::from(spans)
}
