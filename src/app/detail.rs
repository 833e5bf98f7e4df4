//! The details of one alert or incident, scrolled line by line (drawn by `ui::detail`).

use super::state::{DetailTarget, Overlay, State};

pub fn open(state: &mut State, target: DetailTarget) {
    state.view.overlay = Overlay::Detail { target, scroll: 0 };
}

pub fn scroll(state: &mut State, by: isize) {
    if let Overlay::Detail { scroll, .. } = &mut state.view.overlay {
        *scroll = scrolled(*scroll, by);
    }
}

/// Lines scrolled by `by`, within what a terminal can show.
pub fn scrolled(at: u16, by: isize) -> u16 {
    (at as isize).saturating_add(by).clamp(0, u16::MAX as isize) as u16
}
