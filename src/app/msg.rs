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
    /// What the local store kept from earlier runs, read once at start.
    Restored(Restored),
    /// Every alert the local store kept for a source restored from its head (or why they
    /// could not be read), read off the UI task after the first frame.
    CacheRest {
        source: String,
        alerts: Result<Vec<crate::model::Alert>, String>,
    },
    /// The local store failed (disk full, permissions …): the reason, shown until it works.
    StoreProblem(Option<String>),
    /// What the desktop's notification daemon made of one notice.
    Notified {
        outcome: Result<(), crate::notify::desktop::NotifyError>,
        bell_if_undelivered: bool,
    },
    /// A user theme asked for by `:theme NAME`, read off the UI task (or why it could not be).
    ThemeLoaded {
        name: String,
        result: Result<crate::ui::theme::Theme, String>,
    },
}

/// The local store's contents at start: the last state of each source, the actions still
/// to deliver, and refusals nobody has seen yet.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Restored {
    pub sources: Vec<crate::store::CachedSource>,
    /// Those of `sources` holding only the head of their cache (`store::head`), with the
    /// figures of their whole wall; the rest follows as `Msg::CacheRest`.
    pub heads: Vec<(String, crate::store::head::Partial)>,
    pub outbox: Vec<crate::store::QueuedCommand>,
    pub rejected: Vec<crate::store::Rejection>,
    /// Actions queued for other backends (kept, not sent to this one).
    pub pending_elsewhere: usize,
    /// The offline copy of the expert pool.
    pub experts: Option<crate::model::ExpertDirectory>,
    /// Part of the store could not be read (named); the rest was.
    pub problem: Option<String>,
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
    /// Keep a signed handover record as a Markdown file in the data directory.
    SaveHandover {
        name: String,
        markdown: String,
    },
    /// Queue a command for the backend (the outbox writes it to the local store, then
    /// sends it, in order, until accepted).
    Send(Command),
    /// The backend is back: send what is queued now rather than after the backoff.
    RetryOutbox,
    /// These refusals have been shown; the store need not show them again.
    RejectionsShown(Vec<String>),
    /// Read a user's theme file (`:theme NAME`) off the UI task; the answer comes back as
    /// `Msg::ThemeLoaded`.
    LoadTheme(String),
}
