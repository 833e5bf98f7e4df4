//! What this console was started with and for whom: the office, the language, the zone,
//! the keymap and theme, and the officer on duty at it. Settings change only by an
//! officer's choice (`:theme`, `:lang`, the officer prompt), never by what a source says.

use crate::app::keymap::Keymap;
use crate::ui::theme::Theme;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

/// A language of the screen: an index into the catalogues of `words/`, in the order of
/// the list in `crate::words`, where its code and file are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    /// The language whose code `code` starts with (`en_GB` is English), else Chinese.
    pub fn from_code(code: &str) -> Lang {
        crate::words::lang_of_code(code)
    }
}

#[derive(Debug, Clone)]
pub struct Session {
    pub office: String,
    /// The backend holds fictional demo data: the header says DEMO. Set at start for
    /// `watchroom demo`, and from the backend's health for a served database.
    pub demo: bool,
    /// Started as `watchroom demo`: DEMO whatever the backend says.
    pub demo_started: bool,
    pub lang: Lang,
    pub tz: TimeZone,
    /// A source silent longer than this is stale (unless it sets its own threshold).
    pub stale_after: SignedDuration,
    pub keymap: Keymap,
    pub theme: Theme,
    /// Themes of the user's config directory, by name (listed at start, for `:theme`).
    pub user_themes: Vec<String>,
    /// What kind of feed each source is (name, kind), for `:sources`.
    pub source_kinds: Vec<(String, String)>,
    /// Who is on duty at this console; every action carries it.
    pub officer: Option<String>,
    /// The person the console's token belongs to (`GET /api/v1/me`), when it is a
    /// personal token: the officer is then that person, and the picker offers only them.
    pub signed_in: Option<String>,
    /// A wall display: no action can be taken.
    pub read_only: bool,
    /// When this console started: a source never heard from is silent since then.
    pub started: Timestamp,
}

impl Session {
    pub fn new(now: Timestamp, tz: TimeZone, keymap: Keymap, theme: Theme) -> Session {
        Session {
            office: String::new(),
            demo: false,
            demo_started: false,
            signed_in: None,
            lang: Lang::Zh,
            tz,
            stale_after: SignedDuration::from_secs(120),
            keymap,
            theme,
            user_themes: Vec::new(),
            source_kinds: Vec::new(),
            officer: None,
            read_only: false,
            started: now,
        }
    }
}
