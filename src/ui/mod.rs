//! Pure drawing: every function here reads `&State` and writes only to the frame.

pub mod alerts;
pub mod detail;
pub mod duty;
pub mod experts;
pub mod form;
pub mod format;
pub mod header;
pub mod help;
pub mod incidents;
pub mod status;
pub mod theme;
pub mod too_small;

use crate::app::{Overlay, Pane, State};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::{Block, BorderType};

pub fn draw(state: &State, frame: &mut Frame) {
    let area = frame.area();
    if state.too_small() {
        too_small::draw(state, frame, area);
        return;
    }
    let [top, body, bottom] = Layout::vertical([
        Constraint::Length(header::height(state)),
        Constraint::Min(10),
        Constraint::Length(1),
    ])
    .areas(area);
    header::draw(state, frame, top);
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(58), Constraint::Percentage(42)]).areas(body);
    let duty_height = duty::height(state).min(left.height / 2);
    let [alerts_area, duty_area] =
        Layout::vertical([Constraint::Min(5), Constraint::Length(duty_height)]).areas(left);
    let [incidents_area, timeline_area] =
        Layout::vertical([Constraint::Percentage(40), Constraint::Percentage(60)]).areas(right);
    alerts::draw(state, frame, alerts_area);
    duty::draw(state, frame, duty_area);
    incidents::draw_list(state, frame, incidents_area);
    incidents::draw_timeline(state, frame, timeline_area);
    status::draw(state, frame, bottom);
    match &state.overlay {
        Overlay::None => {}
        Overlay::Help { scroll } => help::draw(state, frame, area, *scroll),
        Overlay::Detail { target, scroll } => detail::draw(state, frame, area, target, *scroll),
        Overlay::Form(form) => form::draw(state, frame, area, form),
        Overlay::Experts(view) => experts::draw(state, frame, body_and_top(area), view),
    }
}

/// Everything but the status bar: full-screen views keep source health in sight.
fn body_and_top(area: Rect) -> Rect {
    Rect {
        height: area.height.saturating_sub(1),
        ..area
    }
}

/// A pane's frame: highlighted when it has the focus.
pub fn pane_block<'a>(state: &State, pane: Pane, title: String) -> Block<'a> {
    let focused = state.focus == pane && matches!(state.overlay, Overlay::None);
    let border = if focused {
        state.theme.style("border.focus")
    } else {
        state.theme.style("border")
    };
    Block::bordered()
        .border_type(if focused {
            BorderType::Thick
        } else {
            BorderType::Plain
        })
        .border_style(border)
        .title(ratatui::text::Span::styled(
            format!(" {title} "),
            state.theme.style("title"),
        ))
}

/// A rectangle of at most `w`×`h` centred in `area`.
pub fn centred(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}
