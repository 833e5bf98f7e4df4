//! How each source is doing: live, polling, failing, silent, shown from the cache.

use jiff::{SignedDuration, Timestamp};

#[derive(Debug, Clone, PartialEq)]
pub enum SourceStatus {
    /// Not heard from yet.
    Connecting,
    /// Live event stream.
    Live,
    /// Stream down, polling works.
    Polling,
    Failed(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct SourceHealth {
    pub name: String,
    pub status: SourceStatus,
    pub last_ok: Option<Timestamp>,
    pub failed_since: Option<Timestamp>,
    /// Silent longer than this is stale, twice this is down (an alarm); None: a source
    /// read once (a file), never stale.
    pub stale_after: Option<SignedDuration>,
    /// The data on screen came from the local store, saved then; cleared by fresh data.
    pub cached_at: Option<Timestamp>,
    /// The newest thing the source's data was off in (charset, skipped entries …) and
    /// when: read, but worth a look.
    pub warning: Option<(Timestamp, String)>,
}

impl SourceHealth {
    pub fn new(name: &str, stale_after: Option<SignedDuration>) -> SourceHealth {
        SourceHealth {
            name: name.to_owned(),
            status: SourceStatus::Connecting,
            last_ok: None,
            failed_since: None,
            stale_after,
            cached_at: None,
            warning: None,
        }
    }

    /// The newest data known to be true: the last contact, else the cache's age.
    pub fn last_contact(&self) -> Option<Timestamp> {
        self.last_ok.or(self.cached_at)
    }
}

/// A failing backend is announced as OFFLINE once it has failed this long (a dropped
/// stream that reconnects at once is not worth a banner), or at once when the console
/// has not reached it since it started.
pub const OFFLINE_GRACE: SignedDuration = SignedDuration::from_secs(5);
