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
    /// A user theme asked for by `:theme NAME`, read off the UI task (or why it could not be).
    ThemeLoaded {
        name: String,
        result: Result<crate::ui::theme::Theme, String>,
    },
}

/// What `update` asks the runtime to do.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    Quit,
    /// Ring the terminal bell: a report has just become overdue.
    Bell,
    /// Put text on the clipboard of the officer's terminal (OSC 52).
    Copy(String),
    /// Keep this expert directory for offline lookups.
    SaveExperts(std::sync::Arc<crate::model::ExpertDirectory>),
    /// Keep a signed handover record as a Markdown file in the data directory.
    SaveHandover {
        name: String,
        markdown: String,
    },
    /// Queue a command for the backend (the outbox sends it, in order, until accepted).
    Send(Command),
    /// Read a user's theme file (`:theme NAME`) off the UI task; the answer comes back as
    /// `Msg::ThemeLoaded`.
    LoadTheme(String),
}
