//! The `?` help, scrolled line by line; what it lists is written from the keymap and the
//! rooms when drawn (`ui::help`).

use super::detail::scrolled;
use super::state::{Overlay, State};

pub fn open(state: &mut State) {
    state.view.overlay = Overlay::Help { scroll: 0 };
}

pub fn scroll(state: &mut State, by: isize) {
    if let Overlay::Help { scroll } = &mut state.view.overlay {
        *scroll = scrolled(*scroll, by);
    }
}
