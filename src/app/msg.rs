use super::command::{Command, Outcome};
use crate::sources::SourceUpdate;
use crossterm::event::KeyEvent;
use jiff::Timestamp;

/// Everything that can happen to the console.
#[derive(Debug, Clone, PartialEq)]
// Each value is built once and moved through a channel; boxing would add an
// allocation per event and save nothing.
#[allow(clippy::large_enum_variant)]
pub enum Msg {
    Key(KeyEvent),
    Resize(u16, u16),
    /// The clock moved on (sent once a second while something on screen shows time).
    Tick(Timestamp),
    Source(SourceUpdate),
    /// The backend's answer to a command sent from the outbox.
    CommandResult {
        key: String,
        outcome: Outcome,
    },
    /// What the desktop's notification daemon made of one notice.
    Notified {
        outcome: Result<(), crate::notify::desktop::NotifyError>,
        bell_if_undelivered: bool,
    },
}

/// What `update` asks the runtime to do.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    Quit,
    /// Ring the terminal bell: a red warning waits for acknowledgement, a report has just
    /// become overdue, or a desktop notification could not be shown.
    Bell,
    /// Show a desktop notification (off the UI task, under a timeout; the bell if none).
    Notify(crate::notify::Notice),
    /// Put text on the clipboard of the officer's terminal (OSC 52).
    Copy(String),
    /// Keep this expert directory for offline lookups.
    SaveExperts(std::sync::Arc<crate::model::ExpertDirectory>),
    /// Queue a command for the backend (the outbox sends it, in order, until accepted).
    Send(Command),
}
