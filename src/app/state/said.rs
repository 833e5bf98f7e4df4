//! What the console has already announced — flashed, rung, warned, asked — so that each
//! thing is said once, and what it marked as new.

use crate::app::alert_key::AlertKey;
use jiff::Timestamp;
use std::collections::{HashMap, HashSet};

#[derive(Debug, Clone, Default)]
pub struct Said {
    /// Alerts that arrived while the console was running, and when: marked 新 on screen.
    pub arrived: HashMap<AlertKey, Timestamp>,
    /// Sources announced as down (bell and banner once each, until they recover).
    pub down_seen: HashSet<String>,
    /// Reports already announced as overdue (incident id, label): ring once each.
    pub overdue_seen: HashSet<(String, String)>,
    /// Silences already warned about as ending (alert, until), and those announced as
    /// ended: each is said once.
    pub silence_warned: HashSet<(AlertKey, Timestamp)>,
    pub silence_ended: HashSet<(AlertKey, Timestamp)>,
    /// Desktop notifications and bells: settings and what has been rung.
    pub notify: crate::notify::NotifyState,
    /// The officer was asked once at start; do not nag again.
    pub asked_officer: bool,
}
