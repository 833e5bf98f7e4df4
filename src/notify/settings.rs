//! `[console.notify]`: when the console calls the officer by desktop notification and bell.

use crate::model::Colour;
use jiff::Timestamp;
use jiff::civil::Time;
use jiff::tz::TimeZone;
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct NotifySettings {
    /// Desktop notifications at all (the bell still rings when they are off).
    pub desktop: bool,
    /// New warnings of this colour or above are announced: blue, yellow, orange, red.
    pub min_level: Colour,
    /// An unacknowledged red warning rings the bell again this often; 0 rings only once.
    pub red_repeat_seconds: u64,
    /// "HH:MM-HH:MM" in the console's zone: below-red announcements stay silent then.
    pub quiet_hours: Option<QuietHours>,
    /// A notification daemon that has not answered by then is given up on.
    pub timeout_seconds: u64,
}

impl Default for NotifySettings {
    fn default() -> Self {
        NotifySettings {
            desktop: true,
            min_level: Colour::Orange,
            red_repeat_seconds: 60,
            quiet_hours: None,
            timeout_seconds: 3,
        }
    }
}

/// A daily span of local time; it may wrap past midnight ("23:00-07:00").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuietHours {
    pub start: Time,
    pub end: Time,
}

impl QuietHours {
    pub fn parse(text: &str) -> Result<QuietHours, String> {
        let bad = || {
            format!("quiet_hours: expected \"HH:MM-HH:MM\" (e.g. \"23:00-07:00\"), got {text:?}")
        };
        let (a, b) = text.split_once('-').ok_or_else(bad)?;
        let time = |s: &str| -> Result<Time, String> {
            let (h, m) = s.trim().split_once(':').ok_or_else(bad)?;
            let (Ok(h), Ok(m)) = (h.parse::<i8>(), m.parse::<i8>()) else {
                return Err(bad());
            };
            Time::new(h, m, 0, 0).map_err(|_| bad())
        };
        let q = QuietHours {
            start: time(a)?,
            end: time(b)?,
        };
        if q.start == q.end {
            return Err(format!(
                "quiet_hours: {text:?} starts and ends at the same time"
            ));
        }
        Ok(q)
    }

    /// Whether `now`, read on the wall clock of `tz`, falls inside (start inclusive, end not).
    pub fn contains(&self, now: Timestamp, tz: &TimeZone) -> bool {
        let t = now.to_zoned_datetime(tz.clone()).time();
        if self.start < self.end {
            self.start <= t && t < self.end
        } else {
            t >= self.start || t < self.end
        }
    }
}

impl<'de> Deserialize<'de> for QuietHours {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        QuietHours::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(utc: &str) -> Timestamp {
        utc.parse().unwrap()
    }

    #[test]
    fn quiet_hours_wrap_past_midnight_in_the_console_zone() {
        let q = QuietHours::parse("23:00-07:00").unwrap();
        let sh = TimeZone::get("Asia/Shanghai").unwrap();
        // 03:12 in Shanghai is 19:12 UTC the day before.
        assert!(q.contains(at("2026-11-28T19:12:45Z"), &sh));
        assert!(
            q.contains(at("2026-11-28T15:00:00Z"), &sh),
            "23:00 inclusive"
        );
        assert!(
            !q.contains(at("2026-11-28T23:00:00Z"), &sh),
            "07:00 exclusive"
        );
        assert!(!q.contains(at("2026-11-28T06:00:00Z"), &sh), "14:00");
        // The same instant is 14:12 in New York: not quiet there.
        let ny = TimeZone::get("America/New_York").unwrap();
        assert!(!q.contains(at("2026-11-28T19:12:45Z"), &ny));
    }

    #[test]
    fn quiet_hours_within_one_day() {
        let q = QuietHours::parse("12:00-13:30").unwrap();
        let utc = TimeZone::UTC;
        assert!(q.contains(at("2026-11-28T13:29:00Z"), &utc));
        assert!(!q.contains(at("2026-11-28T13:30:00Z"), &utc));
        assert!(!q.contains(at("2026-11-28T11:59:00Z"), &utc));
    }

    #[test]
    fn bad_quiet_hours_say_what_was_expected() {
        for bad in [
            "23:00",
            "25:00-07:00",
            "23:00-07",
            "late-early",
            "07:00-07:00",
        ] {
            let e = QuietHours::parse(bad).unwrap_err();
            assert!(e.starts_with("quiet_hours:"), "{bad}: {e}");
            assert!(e.contains(bad), "{bad}: {e}");
        }
    }
}
