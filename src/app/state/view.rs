//! What the officer is looking at: the focused pane, the selections and scrolls, the open
//! overlay, the line being typed, the filters, and the short-lived answers on screen.

use crate::app::alert_key::AlertKey;
use crate::app::command_line::Prompt;
use crate::app::experts::ExpertView;
use crate::app::filter::Filters;
use crate::app::form::Form;
use crate::app::handover::HandoverView;
use crate::app::lists::ListView;
use jiff::Timestamp;

/// The panes of the watch screen, in focus order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Alerts,
    Incidents,
    Timeline,
    Duty,
}

impl Pane {
    pub const ORDER: [Pane; 4] = [Pane::Alerts, Pane::Incidents, Pane::Timeline, Pane::Duty];
}

#[derive(Debug, Clone, PartialEq)]
pub enum DetailTarget {
    Alert(AlertKey),
    Incident(String),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Overlay {
    None,
    Help {
        scroll: u16,
    },
    Detail {
        target: DetailTarget,
        scroll: u16,
    },
    Form(Form),
    Experts(ExpertView),
    /// The shift handover review, with the outgoing officer's notes being typed.
    Handover(HandoverView),
    /// One of the list overlays: silences, instructions, sources, history.
    List(ListView),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Flash {
    pub text: String,
    pub until: Timestamp,
}

/// The answer to a `:` command, shown in the status line until the next key.
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    pub text: String,
    pub error: bool,
    pub until: Timestamp,
}

/// Smallest terminal the watch screen is designed for.
pub const MIN_SIZE: (u16, u16) = (80, 24);

#[derive(Debug, Clone)]
pub struct View {
    pub size: (u16, u16),
    pub focus: Pane,
    /// Selections are kept by id so a live list can grow without the cursor jumping; an
    /// alert's by its source too, which another source may share the id with.
    pub selected_alert: Option<AlertKey>,
    /// The row the selected alert was last found at among those shown: a guess, checked
    /// before use, so that a frame of a long wall does not search it.
    pub alert_row: usize,
    pub selected_incident: Option<String>,
    /// Lines scrolled up from the newest timeline entry.
    pub timeline_scroll: usize,
    pub duty_scroll: usize,
    pub overlay: Overlay,
    pub flash: Option<Flash>,
    /// The `:` command line or the `/` filter line being typed, over whatever is open.
    pub prompt: Option<Prompt>,
    /// What each list is narrowed to (`/`).
    pub filters: Filters,
    /// Commands run since start, oldest first (Up/Down on the command line).
    pub command_history: Vec<String>,
    pub notice: Option<Notice>,
    /// The outgoing officer's handover notes, kept while the review is closed.
    pub handover_notes: String,
}

impl Default for View {
    fn default() -> Self {
        View {
            size: (120, 40),
            focus: Pane::Alerts,
            selected_alert: None,
            alert_row: 0,
            selected_incident: None,
            timeline_scroll: 0,
            duty_scroll: 0,
            overlay: Overlay::None,
            flash: None,
            prompt: None,
            filters: Filters::default(),
            command_history: Vec::new(),
            notice: None,
            handover_notes: String::new(),
        }
    }
}

impl View {
    pub fn too_small(&self) -> bool {
        self.size.0 < MIN_SIZE.0 || self.size.1 < MIN_SIZE.1
    }
}
