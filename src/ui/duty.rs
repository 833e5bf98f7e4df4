//! Who is on duty now, and who takes over next, by role, with phone numbers.

use super::pane_border;
use super::theme::Role;
use crate::app::{Lang, Pane, State};
use crate::model::Shift;
use crate::model::roster::on_duty;
use crate::model::text::{pad, width};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// Rows the pane wants: both shifts plus the borders and the "next" heading.
pub fn height(state: &State) -> u16 {
    let (now, next) = on_duty(&state.records.shifts, state.now);
    (now.len().max(1) + next.len() + 3) as u16
}

fn role_name(lang: Lang, s: &Shift) -> &'static str {
    crate::app::words::duty_role(lang, s.role)
}

fn person_line(state: &State, s: &Shift, name_w: usize) -> Line<'static> {
    Line::from(vec![
        Span::raw(" "),
        Span::styled(
            pad(role_name(state.lang(), s), 9),
            state.theme().get(Role::Muted),
        ),
        Span::raw(pad(&s.person, name_w + 1)),
        Span::styled(pad(&s.phone, 15), state.theme().get(Role::Key)),
        Span::styled(
            state
                .lang()
                .f("duty.until", &[("end", &state.local(s.end, "%m-%d %H:%M"))]),
            state.theme().get(Role::Muted),
        ),
    ])
}

/// When the pane next looks different if only the clock moves: a shift starts or ends.
pub fn changes_at(state: &State) -> Option<jiff::Timestamp> {
    crate::model::roster::on_duty_changes_at(&state.records.shifts, state.now)
}

pub fn draw(state: &State, frame: &mut Frame, area: Rect) {
    let lang = state.lang();
    let (now, next) = on_duty(&state.records.shifts, state.now);
    let mut lines: Vec<Line> = Vec::new();
    if now.is_empty() {
        let text = match (state.records.shifts.is_empty(), state.known()) {
            (true, None) => lang.t("duty.no_data").to_owned(),
            (_, Some(Some(at))) => lang.f(
                "duty.nobody_as_of",
                &[("at", &state.local(at, "%m-%d %H:%M"))],
            ),
            _ => lang.t("duty.nobody").to_owned(),
        };
        lines.push(Line::from(Span::styled(
            text,
            state.theme().get(Role::Overdue),
        )));
    }
    let name_w = now
        .iter()
        .chain(&next)
        .map(|s| width(&s.person))
        .max()
        .unwrap_or(0)
        .min(20);
    lines.extend(now.iter().map(|s| person_line(state, s, name_w)));
    if let Some(first) = next.first() {
        lines.push(Line::from(Span::styled(
            format!(
                " {}",
                lang.f(
                    "duty.next_shift",
                    &[("start", &state.local(first.start, "%m-%d %H:%M"))],
                )
            ),
            state.theme().get(Role::Title),
        )));
        lines.extend(next.iter().map(|s| person_line(state, s, name_w)));
    }
    let border = pane_border(state, Pane::Duty, lang.t("duty.title").to_owned());
    let scroll = state.view.duty_scroll.min(u16::MAX as usize) as u16;
    let inner = border.draw(frame.buffer_mut(), area);
    frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), inner);
}
