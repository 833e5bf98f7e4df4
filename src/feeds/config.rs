//! One configured feed source (`[[source]]` in config.toml).

use super::fetch::DEFAULT_MAX_BYTES;
use super::mapping::{MagnitudeMap, MagnitudeStep, SeverityMap};
use super::{ParseOptions, ical::RoleMap};
use crate::model::{Colour, DutyRole};
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The formats a source can speak.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
#[value(rename_all = "snake_case")]
pub enum FeedKind {
    /// The watchroom duty API (`/api/v1/...`).
    DutyApi,
    /// One CAP message (1.0–1.2, also inside EDXL-DE) or an ATOM/RSS index of them.
    Cap,
    /// api.weather.gov alerts (GeoJSON).
    Nws,
    /// USGS earthquake GeoJSON (summary feeds, FDSN query answers).
    Usgs,
    /// Prometheus Alertmanager API v2 (`/api/v2/alerts`) or a saved webhook payload.
    Alertmanager,
    /// An iCalendar roster.
    Ical,
}

impl FeedKind {
    pub fn name(self) -> &'static str {
        match self {
            FeedKind::DutyApi => "duty_api",
            FeedKind::Cap => "cap",
            FeedKind::Nws => "nws",
            FeedKind::Usgs => "usgs",
            FeedKind::Alertmanager => "alertmanager",
            FeedKind::Ical => "ical",
        }
    }
}

/// The window around now in which roster shifts are expanded.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct WindowConfig {
    /// Hours before now (default 24).
    pub past_hours: u32,
    /// Days after now (default 14).
    pub future_days: u32,
}

impl Default for WindowConfig {
    fn default() -> Self {
        WindowConfig {
            past_hours: 24,
            future_days: 14,
        }
    }
}

impl WindowConfig {
    pub fn around(self, now: Timestamp) -> (Timestamp, Timestamp) {
        let from = now
            .checked_sub(SignedDuration::from_hours(i64::from(self.past_hours)))
            .unwrap_or(now);
        let to = now
            .checked_add(SignedDuration::from_hours(24 * i64::from(self.future_days)))
            .unwrap_or(now);
        (from, to)
    }
}

pub fn default_languages() -> Vec<String> {
    vec!["zh-CN".into(), "zh".into(), "en".into()]
}

fn default_interval() -> u64 {
    60
}
fn default_timeout() -> u64 {
    20
}
fn default_max_bytes() -> u64 {
    DEFAULT_MAX_BYTES
}
fn default_max_linked() -> usize {
    50
}
fn default_role() -> Option<DutyRole> {
    Some(DutyRole::Officer)
}

/// One source of alerts or shifts. Example (TOML):
///
/// ```toml
/// [[source]]
/// name = "气象CAP"
/// kind = "cap"
/// url = "https://example.org/cap/index.atom"
/// interval_seconds = 60
/// severity_map = { unknown = "yellow" }
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeedConfig {
    /// Shown in the status bar; unique among sources.
    pub name: String,
    pub kind: FeedKind,
    /// `http://` or `https://` URL, or a local file path.
    pub url: String,
    /// Seconds between polls (default 60).
    #[serde(default = "default_interval")]
    pub interval_seconds: u64,
    /// Seconds one fetch may take (default 20).
    #[serde(default = "default_timeout")]
    pub timeout_seconds: u64,
    /// Extra request headers (`User-Agent` is required by api.weather.gov, for example).
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// Sent as `Authorization: Bearer …` when set.
    #[serde(default)]
    pub token: Option<crate::secret::Secret>,
    /// Largest body accepted, in bytes (default 10 MiB).
    #[serde(default = "default_max_bytes")]
    pub max_bytes: u64,
    /// CAP `<info>` language preference, best first (default zh-CN, zh, en).
    #[serde(default = "default_languages")]
    pub language: Vec<String>,
    /// Severity word → colour, laid over the defaults (Extreme→red, Severe→orange,
    /// Moderate→yellow, Minor→blue, Alertmanager's critical/warning/info …).
    #[serde(default)]
    pub severity_map: BTreeMap<String, Colour>,
    /// USGS: magnitude steps (default 5.0 yellow, 6.0 orange, 7.0 red; below: blue).
    #[serde(default)]
    pub magnitude_map: Option<Vec<MagnitudeStep>>,
    /// iCal: word in CATEGORIES/SUMMARY → duty role, laid over the defaults
    /// (带班领导→leader, 值班长→chief, 值班员→officer, 备班→standby, and English words).
    #[serde(default)]
    pub role_map: BTreeMap<String, DutyRole>,
    /// iCal: the role of events that name none (default officer).
    #[serde(default = "default_role")]
    pub default_role: Option<DutyRole>,
    /// iCal: skip events that name no role instead of giving them `default_role`.
    #[serde(default)]
    pub skip_unnamed: bool,
    /// iCal: the window shifts are expanded in.
    #[serde(default)]
    pub window: WindowConfig,
    /// ATOM/RSS indexes: at most this many linked CAP messages fetched per poll (default 50).
    #[serde(default = "default_max_linked")]
    pub max_linked: usize,
    /// An alert that gives no expiry leaves the wall this many hours after it was sent
    /// (default 24; 0 keeps it until the feed drops it). Old earthquakes and CAP messages
    /// without `<expires>` would otherwise stand for ever.
    #[serde(default = "default_assume_expiry")]
    pub assume_expiry_hours: u64,
}

fn default_assume_expiry() -> u64 {
    24
}

impl FeedConfig {
    /// A source with every default, as `check-source` uses.
    pub fn new(name: &str, kind: FeedKind, url: &str) -> Self {
        FeedConfig {
            name: name.to_owned(),
            kind,
            url: url.to_owned(),
            interval_seconds: default_interval(),
            timeout_seconds: default_timeout(),
            headers: BTreeMap::new(),
            token: None,
            max_bytes: default_max_bytes(),
            language: default_languages(),
            severity_map: BTreeMap::new(),
            magnitude_map: None,
            role_map: BTreeMap::new(),
            default_role: default_role(),
            skip_unnamed: false,
            window: WindowConfig::default(),
            max_linked: default_max_linked(),
            assume_expiry_hours: default_assume_expiry(),
        }
    }

    pub fn is_remote(&self) -> bool {
        let u = self.url.trim_start();
        u.starts_with("http://") || u.starts_with("https://")
    }

    /// What is wrong with this entry, if anything (checked when the config is loaded).
    pub fn validate(&self) -> Result<(), String> {
        let what = format!("source {:?}", self.name);
        if self.name.trim().is_empty() {
            return Err("a [[source]] has an empty name".into());
        }
        if self.url.trim().is_empty() {
            return Err(format!("{what}: url is empty"));
        }
        if self.interval_seconds == 0 || self.timeout_seconds == 0 {
            return Err(format!(
                "{what}: interval_seconds and timeout_seconds must be at least 1"
            ));
        }
        if self.max_bytes == 0 {
            return Err(format!("{what}: max_bytes must be at least 1"));
        }
        if let Some(u) = self.url.split_once("://").map(|(s, _)| s)
            && !matches!(u, "http" | "https")
        {
            return Err(format!(
                "{what}: only http(s) URLs or file paths are read, not {u}://"
            ));
        }
        Ok(())
    }

    /// Parser options for a read at `now`, rosters in `zone`.
    pub fn parse_options(
        &self,
        origin: &str,
        now: Timestamp,
        zone: jiff::tz::TimeZone,
    ) -> ParseOptions {
        let mut o = ParseOptions::new(origin, now, zone);
        o.languages = if self.language.is_empty() {
            default_languages()
        } else {
            self.language.clone()
        };
        o.severity = SeverityMap::with_overrides(&self.severity_map);
        if let Some(m) = &self.magnitude_map {
            o.magnitude = MagnitudeMap(m.clone());
        }
        let default = if self.skip_unnamed {
            None
        } else {
            self.default_role
        };
        o.roles = RoleMap::with_overrides(&self.role_map, default);
        o.window = self.window.around(now);
        o
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct File {
        source: Vec<FeedConfig>,
    }

    #[test]
    fn parses_source_tables_with_defaults() {
        let f: File = toml::from_str(
            r#"
[[source]]
name = "气象CAP"
kind = "cap"
url = "https://example.org/cap.atom"
severity_map = { Unknown = "yellow" }

[[source]]
name = "排班"
kind = "ical"
url = "roster.ics"
role_map = { "值守" = "officer" }
window = { past_hours = 12, future_days = 7 }

[[source.magnitude_map]]
min = 4.0
colour = "red"
"#,
        )
        .unwrap();
        assert_eq!(f.source[0].kind, FeedKind::Cap);
        assert_eq!(f.source[0].max_bytes, 10 * 1024 * 1024);
        assert!(f.source[0].is_remote());
        assert!(!f.source[1].is_remote());
        assert_eq!(f.source[1].window.future_days, 7);
        let now: Timestamp = "2026-01-01T00:00:00Z".parse().unwrap();
        let o = f.source[0].parse_options("x", now, jiff::tz::TimeZone::UTC);
        assert_eq!(o.severity.colour("unknown"), Colour::Yellow);
        assert_eq!(o.severity.colour("Extreme"), Colour::Red);
        assert!(f.source.iter().all(|s| s.validate().is_ok()));
    }

    #[test]
    fn unknown_fields_and_schemes_are_refused() {
        assert!(
            toml::from_str::<File>("[[source]]\nname='a'\nkind='cap'\nurl='x'\nurll='y'\n")
                .is_err()
        );
        assert!(toml::from_str::<File>("[[source]]\nname='a'\nkind='rss'\nurl='x'\n").is_err());
        let f = FeedConfig::new("a", FeedKind::Cap, "ftp://x/y");
        assert!(f.validate().unwrap_err().contains("ftp"));
    }
}
