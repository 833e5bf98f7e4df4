//! Drawing a frame in which only the clock moved.
//!
//! Most seconds of a night watch change nothing but the time: the clock in the title
//! bar, now and then an age ("12分钟"), a countdown or a blinking label. Drawing the whole
//! screen for that is most of what an idle console costs, so the console keeps the last
//! frame and, when only the clock moved, draws again just the panes whose drawing depends
//! on the time and has changed. Each pane says, next to its drawing, when it next looks
//! different if nothing but the clock moves (`changes_at`); anything else that changes
//! (a key, a source, a resize, an overlay, a new layout) draws the whole screen.

use super::theme::Role;
use super::{Areas, alerts, duty, header, incidents, status};
use crate::app::{Overlay, State};
use jiff::Timestamp;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;

/// The watch screen's panes, in drawing order (as `PARTS`, whose index each is).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Header,
    Alerts,
    Duty,
    Incidents,
    Timeline,
    Status,
}

pub const PARTS: [Part; 6] = [
    Part::Header,
    Part::Alerts,
    Part::Duty,
    Part::Incidents,
    Part::Timeline,
    Part::Status,
];

impl Part {
    pub fn rect(self, a: &Areas) -> Rect {
        match self {
            Part::Header => a.header,
            Part::Alerts => a.alerts,
            Part::Duty => a.duty,
            Part::Incidents => a.incidents,
            Part::Timeline => a.timeline,
            Part::Status => a.bottom,
        }
    }

    pub fn draw(self, state: &State, frame: &mut Frame, rect: Rect) {
        match self {
            Part::Header => header::draw(state, frame, rect),
            Part::Alerts => alerts::draw(state, frame, rect),
            Part::Duty => duty::draw(state, frame, rect),
            Part::Incidents => incidents::draw_list(state, frame, rect),
            Part::Timeline => incidents::draw_timeline(state, frame, rect),
            Part::Status => status::draw(state, frame, rect),
        }
    }

    /// When the pane as drawn at `state.now` next looks different if only the clock
    /// moves; None: not before something else changes. The title bar's clock has seconds
    /// and the status bar's source health goes stale by the second: both are drawn with
    /// every tick (they are one or two rows).
    fn changes_at(self, state: &State, rect: Rect) -> Option<Timestamp> {
        match self {
            Part::Header | Part::Status => Some(state.now),
            Part::Alerts => alerts::changes_at(state, rect),
            Part::Duty => duty::changes_at(state),
            Part::Incidents => incidents::list_changes_at(state, rect),
            Part::Timeline => incidents::timeline_changes_at(state),
        }
    }
}

/// What the last whole frame left for the frames after it in which only the clock moves.
#[derive(Debug, Default)]
pub struct Kept {
    /// Where the panes were; None: the next frame must be whole (nothing kept, or an
    /// overlay or the command line was open).
    areas: Option<Areas>,
    /// Per pane (in `PARTS` order), when it must be drawn again.
    until: [Option<Timestamp>; PARTS.len()],
    /// The wall's blinking labels as drawn, and whether in their flipped phase: a second
    /// that only blinks them flips their reverse video instead of drawing the wall again.
    blink: Vec<Rect>,
    flipped: bool,
}

impl Kept {
    pub fn forget(&mut self) {
        self.areas = None;
    }

    /// A whole frame was drawn with the panes at `areas`.
    pub fn drawn(&mut self, state: &State, areas: Areas) {
        if !only_panes(state) {
            self.areas = None;
            return;
        }
        self.areas = Some(areas);
        for part in PARTS {
            self.drew(state, part, part.rect(&areas));
        }
    }

    /// `part` was drawn at `rect`.
    fn drew(&mut self, state: &State, part: Part, rect: Rect) {
        self.until[part as usize] = part.changes_at(state, rect);
        if part == Part::Alerts {
            self.blink = alerts::blinking(state, rect);
            self.flipped = alerts::blink_phase(state.now);
        }
    }
}

/// Nothing is drawn over the panes.
fn only_panes(state: &State) -> bool {
    !state.too_small() && matches!(state.view.overlay, Overlay::None) && state.view.prompt.is_none()
}

/// What a frame in which only the clock moved draws again.
#[derive(Debug, Default)]
pub struct Due {
    /// Panes drawn again, and where.
    pub panes: Vec<(Part, Rect)>,
    /// Blinking labels whose reverse video flips.
    pub flips: Vec<Rect>,
}

impl Due {
    /// Every rectangle that may change.
    pub fn rects(&self) -> Vec<Rect> {
        let panes = self.panes.iter().map(|&(_, r)| r);
        panes.chain(self.flips.iter().copied()).collect()
    }
}

/// What to draw again for a frame in which only the clock moved to `state.now`, on a
/// screen of `area`; None when a whole frame must be drawn.
pub fn due(state: &State, area: Rect, kept: &Kept) -> Option<Due> {
    let was = kept.areas?;
    if !only_panes(state) || super::areas(state, area) != was {
        return None;
    }
    let mut due = Due::default();
    for (part, until) in PARTS.into_iter().zip(kept.until) {
        if until.is_some_and(|u| u <= state.now) {
            due.panes.push((part, part.rect(&was)));
        }
    }
    let wall_drawn = due.panes.iter().any(|&(p, _)| p == Part::Alerts);
    if !wall_drawn && !kept.blink.is_empty() && alerts::blink_phase(state.now) != kept.flipped {
        // Flipping stands for drawing only where the ground itself is not reversed.
        let ground = state.theme().get(Role::Text);
        if ground.add_modifier.contains(Modifier::REVERSED) {
            due.panes.push((Part::Alerts, was.alerts));
        } else {
            due.flips.clone_from(&kept.blink);
        }
    }
    Some(due)
}

/// Draw what `due` lists again over the last frame, which `frame` must hold.
pub fn draw_due(state: &State, frame: &mut Frame, due: &Due, kept: &mut Kept) {
    for &(part, rect) in &due.panes {
        super::ground(state, frame.buffer_mut(), rect);
        part.draw(state, frame, rect);
        kept.drew(state, part, rect);
    }
    if !due.flips.is_empty() {
        let buf = frame.buffer_mut();
        for rect in &due.flips {
            let mut x = rect.left();
            while x < rect.right() {
                let cell = &mut buf[(x, rect.y)];
                cell.modifier.toggle(Modifier::REVERSED);
                // The cell a wide character covers is drawn reset in either phase.
                x += crate::model::text::width(cell.symbol()).max(1) as u16;
            }
        }
        kept.flipped = !kept.flipped;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_part_is_at_its_own_index_in_parts() {
        for (n, part) in PARTS.into_iter().enumerate() {
            assert_eq!(part as usize, n, "{part:?}");
        }
    }
}
