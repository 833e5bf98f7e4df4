//! The flash: one short line in the status bar saying what just happened, gone after a
//! few seconds (a refusal stays longer).

use super::state::{Flash, State};
use jiff::SignedDuration;

pub const FLASH_FOR: SignedDuration = SignedDuration::from_secs(8);
/// A refusal of the officer's action is kept on screen longer than other flashes.
pub const NOTICE_FOR: SignedDuration = SignedDuration::from_secs(30);

pub fn flash(state: &mut State, text: String) {
    let until = state.now + FLASH_FOR;
    state.view.flash = Some(Flash { text, until });
}

/// Keep the current flash on screen for `d` from now.
pub fn keep_flash(state: &mut State, d: SignedDuration) {
    let until = state.now + d;
    if let Some(f) = &mut state.view.flash {
        f.until = until;
    }
}
