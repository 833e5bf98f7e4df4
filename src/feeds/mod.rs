//! Readers for the world's alert and roster feeds: CAP (single messages, EDXL-DE,
//! ATOM/RSS indexes), NWS alerts JSON, USGS earthquake GeoJSON, Alertmanager and
//! iCalendar rosters.
//!
//! Every parser here is a pure function: bytes in, normalised `Alert`s or `Shift`s and
//! warnings out. Time and zone are passed in, never read from the machine, and nothing
//! here touches the network or the disk (the poller in `sources::feed` does that).

pub mod alertmanager;
pub mod atom;
pub mod cap;
pub mod check;
pub mod config;
pub mod fetch;
pub mod ical;
mod json;
pub mod mapping;
pub mod nws;
pub mod read;
pub mod threading;
pub mod usgs;
mod xml;

pub use config::{FeedConfig, FeedKind};

use crate::model::text::sanitize;
use crate::model::{Alert, Shift};
use jiff::Timestamp;
use jiff::tz::TimeZone;
use mapping::{MagnitudeMap, SeverityMap};

/// A feed that could not be read at all: what went wrong and where.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{origin}{}: {message}", place(*.line, *.column))]
pub struct FeedError {
    /// The URL or file the bytes came from.
    pub origin: String,
    /// 1-based line and column, when the problem has a place.
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
}

fn place(line: Option<usize>, column: Option<usize>) -> String {
    match (line, column) {
        (Some(l), Some(c)) => format!(":{l}:{c}"),
        (Some(l), None) => format!(":{l}"),
        _ => String::new(),
    }
}

impl FeedError {
    pub fn new(origin: &str, message: impl Into<String>) -> Self {
        FeedError {
            origin: origin.to_owned(),
            line: None,
            column: None,
            message: message.into(),
        }
    }

    pub fn at(origin: &str, line: usize, column: usize, message: impl Into<String>) -> Self {
        FeedError {
            origin: origin.to_owned(),
            line: Some(line),
            column: Some(column),
            message: message.into(),
        }
    }
}

/// What a parser is told besides the bytes.
#[derive(Debug, Clone)]
pub struct ParseOptions {
    /// The URL or path, for messages.
    pub origin: String,
    /// The moment the bytes were read: stands in for unreadable `sent` times.
    pub now: Timestamp,
    /// The zone floating roster times and all-day events are read in.
    pub zone: TimeZone,
    /// CAP `<info>` language preference, best first.
    pub languages: Vec<String>,
    pub severity: SeverityMap,
    pub magnitude: MagnitudeMap,
    pub roles: ical::RoleMap,
    /// Roster shifts are expanded in `[from, to)`.
    pub window: (Timestamp, Timestamp),
    /// The charset the server declared (Content-Type), if any.
    pub charset: Option<String>,
}

impl ParseOptions {
    /// Defaults for `origin`, read at `now`, rosters shown in `zone`.
    pub fn new(origin: &str, now: Timestamp, zone: TimeZone) -> Self {
        let window = config::WindowConfig::default().around(now);
        ParseOptions {
            origin: origin.to_owned(),
            now,
            zone,
            languages: config::default_languages(),
            severity: SeverityMap::default(),
            magnitude: MagnitudeMap::default(),
            roles: ical::RoleMap::default(),
            window,
            charset: None,
        }
    }
}

/// A CAP message an index points at and the poller may fetch.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingLink {
    pub url: String,
    /// The alert built from the index entry alone; kept when the fetch fails.
    pub stub: usize,
}

/// What one read of a feed gave.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Parsed {
    pub alerts: Vec<Alert>,
    pub shifts: Vec<Shift>,
    /// Index entries whose full CAP message is elsewhere (ATOM/RSS only).
    pub pending: Vec<PendingLink>,
    pub warnings: Vec<String>,
}

/// Parse `bytes` as `kind`. `Duty` is not a feed format and is refused.
pub fn parse(kind: FeedKind, bytes: &[u8], opts: &ParseOptions) -> Result<Parsed, FeedError> {
    let mut parsed = match kind {
        FeedKind::Cap => cap_or_index(bytes, opts)?,
        FeedKind::Nws => nws::parse(bytes, opts)?,
        FeedKind::Usgs => usgs::parse(bytes, opts)?,
        FeedKind::Alertmanager => alertmanager::parse(bytes, opts)?,
        FeedKind::Ical => ical::parse(bytes, opts)?,
        FeedKind::DutyApi => {
            return Err(FeedError::new(
                &opts.origin,
                "duty_api sources are read by the duty API client, not as a feed",
            ));
        }
    };
    finish(&mut parsed);
    Ok(parsed)
}

/// Thread Updates and Cancels onto their originals and sanitise all text. `parse` does
/// this; a caller that combines several reads (an index and the messages it links to)
/// calls it again on the whole, which is harmless for parts already finished.
pub fn finish(parsed: &mut Parsed) {
    threading::thread(&mut parsed.alerts);
    for a in &mut parsed.alerts {
        a.sanitize();
    }
    for s in &mut parsed.shifts {
        for f in [&mut s.id, &mut s.person, &mut s.phone] {
            *f = sanitize(f);
        }
    }
}

/// A `cap` source may serve one message, an EDXL-DE envelope, or an ATOM/RSS index.
fn cap_or_index(bytes: &[u8], opts: &ParseOptions) -> Result<Parsed, FeedError> {
    let doc = xml::Document::parse(bytes, opts)?;
    let mut warnings = doc.warnings.clone();
    let root = &doc.root;
    let mut parsed = if atom::is_index(root) {
        atom::parse_doc(&doc, opts)?
    } else {
        let msgs = cap::parse_doc(&doc, opts)?;
        Parsed {
            alerts: msgs.into_iter().map(|m| m.alert).collect(),
            ..Parsed::default()
        }
    };
    warnings.append(&mut parsed.warnings);
    parsed.warnings = warnings;
    Ok(parsed)
}

/// Guess the kind of a feed from its first bytes (for `check-source` without `--kind`).
pub fn guess_kind(bytes: &[u8]) -> Option<FeedKind> {
    let head = fetch::strip_bom(&bytes[..bytes.len().min(64 * 1024)]);
    let text = String::from_utf8_lossy(head);
    let t = text.trim_start();
    if t.starts_with("BEGIN:VCALENDAR") || t.contains("\nBEGIN:VCALENDAR") {
        return Some(FeedKind::Ical);
    }
    if t.starts_with('<') {
        return Some(FeedKind::Cap);
    }
    if t.starts_with('{') || t.starts_with('[') {
        if t.contains("\"mag\"") && t.contains("\"tsunami\"") || t.contains("earthquake.usgs.gov") {
            return Some(FeedKind::Usgs);
        }
        if t.contains("\"messageType\"") || t.contains("api.weather.gov") {
            return Some(FeedKind::Nws);
        }
        if t.contains("\"labels\"") || t.contains("\"startsAt\"") {
            return Some(FeedKind::Alertmanager);
        }
    }
    None
}

/// Parse an RFC 3339 / ISO 8601 instant leniently: `Z`, `-00:00`, missing seconds.
pub(crate) fn parse_time(s: &str) -> Option<Timestamp> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if let Ok(t) = s.parse::<Timestamp>() {
        return Some(t);
    }
    // `-00:00` means "UTC, offset unknown" in RFC 3339; jiff refuses it in some spots.
    let fixed = s.replace("-00:00", "+00:00");
    if let Ok(t) = fixed.parse::<Timestamp>() {
        return Some(t);
    }
    // CAP 1.0 examples sometimes omit the offset: read them as UTC rather than drop them.
    if let Ok(dt) = s.parse::<jiff::civil::DateTime>() {
        return TimeZone::UTC.to_ambiguous_timestamp(dt).compatible().ok();
    }
    None
}

/// Keep at most `n` characters (by char, never splitting one).
pub(crate) fn clip(s: &str, n: usize) -> String {
    match s.char_indices().nth(n) {
        Some((i, _)) => s[..i].to_owned(),
        None => s.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_guessed_from_content() {
        assert_eq!(
            guess_kind(b"\xEF\xBB\xBFBEGIN:VCALENDAR\r\n"),
            Some(FeedKind::Ical)
        );
        assert_eq!(
            guess_kind(b"  <?xml version='1.0'?><alert/>"),
            Some(FeedKind::Cap)
        );
        assert_eq!(
            guess_kind(br#"{"type":"FeatureCollection","metadata":{"url":"https://earthquake.usgs.gov/x"}}"#),
            Some(FeedKind::Usgs)
        );
        assert_eq!(
            guess_kind(br#"{"features":[{"properties":{"messageType":"Alert"}}]}"#),
            Some(FeedKind::Nws)
        );
        assert_eq!(
            guess_kind(br#"[{"labels":{},"startsAt":"x"}]"#),
            Some(FeedKind::Alertmanager)
        );
        assert_eq!(guess_kind(b"hello"), None);
        assert_eq!(guess_kind(b""), None);
    }

    #[test]
    fn times_are_read_leniently() {
        assert_eq!(
            parse_time("2011-10-17T11:18:00-00:00"),
            "2011-10-17T11:18:00Z".parse().ok()
        );
        assert_eq!(
            parse_time("2026-01-01T08:00:00"),
            "2026-01-01T08:00:00Z".parse().ok()
        );
        assert_eq!(parse_time("date:now -383 seconds"), None);
        assert_eq!(clip("台风红色", 2), "台风");
    }

    #[test]
    fn duty_api_is_not_a_feed_format() {
        let o = ParseOptions::new("x", Timestamp::UNIX_EPOCH, TimeZone::UTC);
        assert!(parse(FeedKind::DutyApi, b"{}", &o).is_err());
    }
}
