//! Title bar (office, clock, leader on duty, cached and OFFLINE marks, DEMO), the one-line
//! summary under it, and the alarm banners: the backend OFFLINE, a source down, the local
//! store failing.

use super::cells::{self, Like};
use super::format::{age, clock_at, day_time};
use super::theme::Role;
use crate::app::{State, words};
use crate::model::roster::on_duty;
use crate::model::text::{truncate, width};
use crate::model::{Colour, DutyRole, IncidentStatus};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn draw(state: &State, frame: &mut Frame, area: Rect) {
    let t = &state.theme();
    let lang = state.lang();
    let clock = day_time(
        lang,
        &state.now.to_zoned_datetime(state.session.tz.clone()),
        true,
    );
    let (current, _) = on_duty(&state.records.shifts, state.now);
    let leader = current
        .iter()
        .find(|s| s.role == DutyRole::Leader)
        .map(|s| lang.f("header.leader", &[("name", &s.person)]));

    let mut right: Vec<Span> = Vec::new();
    if let Some(saved) = state.cached_since() {
        right.push(Span::styled(
            format!(
                " {} ",
                lang.f("header.cached", &[("age", &age(lang, state.now, saved))])
            ),
            t.get(Role::Stale),
        ));
        right.push(Span::raw("  "));
    }
    if state.backend_offline().is_some() {
        right.push(Span::styled(
            format!(" {} ", lang.t("header.offline_tag")),
            t.get(Role::Offline),
        ));
        right.push(Span::raw("  "));
    }
    right.push(Span::raw(clock));
    if let Some(l) = leader {
        right.push(Span::raw("  "));
        right.push(Span::raw(l));
    }
    if state.session.demo {
        right.push(Span::raw("  "));
        right.push(Span::styled(
            format!(" {} ", lang.t("header.demo_tag")),
            t.get(Role::Demo),
        ));
    }
    right.push(Span::raw(" "));
    let right_w: usize = right.iter().map(|s| width(&s.content)).sum();
    let left_text = format!(
        " {}",
        lang.f("header.office", &[("office", &state.session.office)])
    );
    let room = (area.width as usize).saturating_sub(right_w + 1);
    let left_text = truncate(&left_text, room);
    let gap = (area.width as usize).saturating_sub(width(&left_text) + right_w);
    let mut spans = vec![Span::raw(left_text), Span::raw(" ".repeat(gap))];
    spans.extend(right);
    // As a `Paragraph` of the line in the header's style draws it, without ratatui's pass
    // over each grapheme: the title bar is drawn every second.
    let title = Rect { height: 1, ..area };
    let buf = frame.buffer_mut();
    cells::restyle(buf, title, t.get(Role::Header));
    cells::line(buf, title, &spans, Like::Paragraph);

    if area.height > 1 {
        let summary = summary(state);
        cells::line(
            buf,
            Rect {
                y: area.y + 1,
                height: 1,
                ..area
            },
            &summary.spans,
            Like::Paragraph,
        );
    }
    for (n, text) in banners(state).into_iter().enumerate() {
        let y = area.y + 2 + n as u16;
        if y >= area.y + area.height {
            break;
        }
        let text = truncate(&text, area.width as usize);
        let fill = (area.width as usize).saturating_sub(width(&text));
        frame.render_widget(
            Paragraph::new(Line::from(format!("{text}{}", " ".repeat(fill))))
                .style(t.get(Role::AlertRed)),
            Rect {
                y,
                height: 1,
                ..area
            },
        );
    }
}

/// Rows the header takes: title, summary, and one per banner.
pub fn height(state: &State) -> u16 {
    2 + banners(state).len() as u16
}

/// Alarm lines, most important first: the backend OFFLINE (the data stays on screen, with
/// its age), sources down, the local store failing.
pub fn banners(state: &State) -> Vec<String> {
    let lang = state.lang();
    let at = |t| clock_at(state.now, t, &state.session.tz);
    let mut lines = Vec::new();
    if let Some((since, why)) = state.backend_offline() {
        let data = state
            .records
            .health(crate::app::outbox::ACTION_SOURCE)
            .and_then(|h| h.last_contact());
        let shown = data.map_or_else(String::new, |d| {
            format!(" · {}", lang.f("header.data_as_of", &[("at", &at(d))]))
        });
        let offline = lang.f("header.offline", &[("since", &at(since)), ("why", &why)]);
        lines.push(format!(" {offline}{shown}"));
    }
    let down: Vec<String> = state
        .sources_down()
        .into_iter()
        .map(|(s, since)| {
            lang.f(
                "header.source_down",
                &[("name", &s.name), ("since", &at(since))],
            )
        })
        .collect();
    if !down.is_empty() {
        lines.push(format!(" ⚠ {}", down.join(" · ")));
    }
    if let Some(problem) = &state.store.problem {
        let text = lang.f("header.store_failing", &[("problem", problem)]);
        lines.push(format!(" {text}"));
    }
    lines
}

/// Counts of warnings in force by colour, open incidents, new arrivals, and any flash.
fn summary(state: &State) -> Line<'static> {
    let t = &state.theme();
    let lang = state.lang();
    let counts = state.alert_counts();
    let mut spans = vec![Span::raw(" ")];
    for c in [Colour::Red, Colour::Orange, Colour::Yellow, Colour::Blue] {
        let n = counts[c as usize];
        let label = words::colour(lang, c);
        spans.push(Span::styled(format!(" {label} {n} "), t.alert(c)));
        spans.push(Span::raw(" "));
    }
    let open = state
        .records
        .incidents()
        .iter()
        .filter(|i| i.status == IncidentStatus::Open)
        .count();
    spans.push(Span::raw(format!(
        "  {}",
        lang.f("header.open_incidents", &[("n", &open)])
    )));
    let overdue = crate::app::overdue::count(state);
    if overdue > 0 {
        spans.push(Span::styled(
            format!("  {}", lang.f("header.overdue", &[("n", &overdue)])),
            t.get(Role::Overdue),
        ));
    }
    let fresh = state.said.arrived.len();
    if fresh > 0 {
        spans.push(Span::styled(
            format!("  {}", lang.f("header.new", &[("n", &fresh)])),
            t.get(Role::Fresh),
        ));
    }
    if let Some(f) = &state.view.flash {
        spans.push(Span::raw("   "));
        spans.push(Span::styled(format!(" {} ", f.text), t.get(Role::Flash)));
    }
    Line::from(spans)
}
