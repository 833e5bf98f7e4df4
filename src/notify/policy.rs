//! When to call the officer: pure decisions on the state, driven by the injected clock.
//! Nothing here talks to D-Bus or the terminal; it returns effects for the console to perform.

use super::desktop::NotifyError;
use super::notice;
use super::settings::NotifySettings;
use crate::app::{Effect, Lang};
use crate::model::{Alert, Colour};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use std::collections::HashSet;

#[derive(Debug, Clone, Default)]
pub struct NotifyState {
    pub settings: NotifySettings,
    /// Sources whose first snapshot has arrived: what it held was already in force when the
    /// console started and is on the wall, not announced.
    pub baselined: HashSet<String>,
    /// When the bell last rang for an unacknowledged red warning.
    pub last_red_bell: Option<Timestamp>,
    /// Desktop notifications that could not be delivered since start.
    pub failures: u64,
    /// The last desktop notification failed: the status bar says the bell stands in.
    pub unavailable: bool,
}

/// CAP test, system and draft messages are not for the duty officer.
fn is_silent_status(a: &Alert) -> bool {
    ["test", "system", "draft"]
        .iter()
        .any(|s| a.status.eq_ignore_ascii_case(s))
}

/// The ids under which this console may already know the warning `a` brings: its own,
/// and those of the alerts it updates (references are ids or CAP "sender,identifier,sent"
/// triplets). The most severe colour known under them is the colour it had before
/// (`State::previous_colour`).
pub fn earlier_ids(a: &Alert) -> impl Iterator<Item = &str> {
    let refs = a.extra.references.iter().flat_map(|r| {
        let identifier = r.split(',').nth(1).map(str::trim);
        std::iter::once(r.as_str()).chain(identifier.filter(|i| *i != r))
    });
    std::iter::once(a.id.as_str()).chain(refs)
}

impl NotifyState {
    pub fn quiet(&self, now: Timestamp, tz: &TimeZone) -> bool {
        self.settings
            .quiet_hours
            .is_some_and(|q| q.contains(now, tz))
    }

    /// A warning new to this console (or raised above what it knew) arrived at `now`.
    pub fn alert_arrived(
        &mut self,
        a: &Alert,
        previous: Option<Colour>,
        now: Timestamp,
        tz: &TimeZone,
        lang: Lang,
    ) -> Vec<Effect> {
        if !a.in_force(now)
            || is_silent_status(a)
            || previous.is_some_and(|p| a.colour <= p)
            || a.colour < self.settings.min_level
            || (a.colour < Colour::Red && self.quiet(now, tz))
        {
            return Vec::new();
        }
        let mut n = notice::for_alert(a, lang);
        if a.colour == Colour::Red && !notice::is_exercise(a) {
            // Red rings at once, whatever the desktop does, and starts the repeat.
            n.bell_if_undelivered = false;
            self.last_red_bell = Some(now);
            return vec![Effect::Notify(n), Effect::Bell];
        }
        vec![Effect::Notify(n)]
    }

    /// Whether the red reminder bell is due: every `red_repeat_seconds` while a real red
    /// warning in force waits for acknowledgement (never silenced by quiet hours).
    pub fn red_reminder(&mut self, unacked_red: bool, now: Timestamp) -> bool {
        if !unacked_red {
            self.last_red_bell = None;
            return false;
        }
        let every = SignedDuration::from_secs(self.settings.red_repeat_seconds as i64);
        let due = match self.last_red_bell {
            None => true,
            Some(_) if self.settings.red_repeat_seconds == 0 => false,
            Some(t) => now.duration_since(t) >= every,
        };
        if due {
            self.last_red_bell = Some(now);
        }
        due
    }

    /// What the desktop said about one notification; the bell stands in when it failed.
    pub fn delivered(
        &mut self,
        outcome: &Result<(), NotifyError>,
        bell_if_undelivered: bool,
    ) -> Vec<Effect> {
        match outcome {
            Ok(()) => {
                self.unavailable = false;
                Vec::new()
            }
            Err(_) => {
                self.failures += 1;
                self.unavailable = true;
                if bell_if_undelivered {
                    vec![Effect::Bell]
                } else {
                    Vec::new()
                }
            }
        }
    }
}

/// A real red warning in force that nobody has acknowledged.
pub fn waits_for_ack(a: &Alert, now: Timestamp) -> bool {
    a.colour == Colour::Red
        && a.in_force(now)
        && a.needs_ack()
        && !is_silent_status(a)
        && !notice::is_exercise(a)
        && !crate::app::silences::silenced(a, now)
}
