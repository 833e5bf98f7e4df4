//! The list overlays — silences, leader instructions, sources, alert history, what is
//! overdue — are one kind: a titled list over the watch screen that scrolls or, where a
//! row can be chosen, moves a selection, and that `/` narrows where the list has a
//! filter. What each one lists is drawn by its module under `ui/lists/`.

use super::filter::FilterTarget;
use super::instructions;
use super::state::{Overlay, State};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListKind {
    /// Active silences: who, why, until when.
    Silences,
    /// Leader instructions being followed up (督办); Enter records progress or closes one.
    Instructions,
    /// Every source's health in full: kind, status, last contact, failing since, why.
    Sources,
    /// Alerts no longer in force (expired, updated, cancelled, resolved), newest first.
    History,
    /// What is overdue, worst first.
    Overdue,
}

impl ListKind {
    pub const ALL: [ListKind; 5] = [
        ListKind::Silences,
        ListKind::Instructions,
        ListKind::Sources,
        ListKind::History,
        ListKind::Overdue,
    ];

    /// Rows that can be chosen (Enter acts on the chosen one); the others only scroll.
    pub fn chooses(self) -> bool {
        self == ListKind::Instructions
    }

    /// The filter `/` narrows this list with, if it has one.
    pub fn filter(self) -> Option<FilterTarget> {
        match self {
            ListKind::Silences => Some(FilterTarget::Silences),
            ListKind::Instructions => Some(FilterTarget::Instructions),
            ListKind::Sources | ListKind::History | ListKind::Overdue => None,
        }
    }

    /// How many rows can be chosen (only asked of a list that `chooses`).
    fn rows(self, state: &State) -> usize {
        match self {
            ListKind::Instructions => instructions::listed(state).len(),
            _ => 0,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListView {
    pub kind: ListKind,
    /// The chosen row of a list that `chooses`; else the lines scrolled.
    pub at: usize,
}

impl ListView {
    pub fn new(kind: ListKind) -> ListView {
        ListView { kind, at: 0 }
    }
}

pub fn open(state: &mut State, kind: ListKind) {
    state.view.overlay = Overlay::List(ListView::new(kind));
}

/// The open list overlay, if one is open.
pub fn open_one(state: &State) -> Option<ListView> {
    match &state.view.overlay {
        Overlay::List(view) => Some(*view),
        _ => None,
    }
}

/// Up/Down: the next row of a list that chooses, else a line of scroll (a line count
/// a terminal can show: drawing takes it as a u16).
pub fn step(state: &mut State, by: isize) {
    let Some(view) = open_one(state) else {
        return;
    };
    let last = if view.kind.chooses() {
        view.kind.rows(state).saturating_sub(1)
    } else {
        u16::MAX as usize
    };
    let at = (view.at as isize)
        .saturating_add(by)
        .clamp(0, last as isize) as usize;
    if let Overlay::List(open) = &mut state.view.overlay {
        open.at = at;
    }
}

/// After the list's filter changed: back to the top, or onto a row still shown.
pub fn filtered(state: &mut State, target: FilterTarget) {
    let Some(view) = open_one(state).filter(|v| v.kind.filter() == Some(target)) else {
        return;
    };
    let at = if view.kind.chooses() {
        view.at.min(view.kind.rows(state).saturating_sub(1))
    } else {
        0
    };
    if let Overlay::List(open) = &mut state.view.overlay {
        open.at = at;
    }
}
