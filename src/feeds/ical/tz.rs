//! TZID → time zone: IANA names (also behind vendor prefixes such as
//! `/mozilla.org/20050126_1/Europe/Berlin`), Windows names via the CLDR table, and as a
//! last resort the calendar's own VTIMEZONE turned into a POSIX rule.

use super::lines::Component;
use super::windows_zones::iana_for;
use jiff::tz::TimeZone;
use std::collections::HashMap;

pub struct Zones {
    known: HashMap<String, Option<TimeZone>>,
    vtimezones: HashMap<String, Component>,
}

impl Zones {
    pub fn new(calendars: &[Component]) -> Zones {
        let mut vtimezones = HashMap::new();
        for cal in calendars {
            for tz in cal.children.iter().filter(|c| c.name == "VTIMEZONE") {
                let id = tz.text("TZID");
                if !id.is_empty() {
                    vtimezones.insert(id.trim().to_owned(), tz.clone());
                }
            }
        }
        Zones {
            known: HashMap::new(),
            vtimezones,
        }
    }

    /// The zone for a TZID, or None when nothing can make sense of it.
    pub fn get(&mut self, tzid: &str) -> Option<TimeZone> {
        let tzid = tzid.trim().trim_matches('"');
        if let Some(z) = self.known.get(tzid) {
            return z.clone();
        }
        let z = resolve(tzid, self.vtimezones.get(tzid));
        self.known.insert(tzid.to_owned(), z.clone());
        z
    }
}

fn iana(name: &str) -> Option<TimeZone> {
    if name.is_empty() || name.len() > 100 {
        return None;
    }
    TimeZone::get(name).ok()
}

pub fn resolve(tzid: &str, vtz: Option<&Component>) -> Option<TimeZone> {
    if let Some(z) = iana(tzid) {
        return Some(z);
    }
    // Vendor prefixes: try every suffix after a '/', longest first.
    for (i, _) in tzid.match_indices('/') {
        if let Some(z) = iana(&tzid[i + 1..]) {
            return Some(z);
        }
    }
    if let Some(z) = iana_for(tzid).and_then(iana) {
        return Some(z);
    }
    let vtz = vtz?;
    if let Some(z) = iana(vtz.text("X-LIC-LOCATION").trim()) {
        return Some(z);
    }
    from_vtimezone(vtz)
}

/// `+0800`, `-0500`, `+053000`, `-0000` → seconds east of UTC.
pub fn offset_seconds(s: &str) -> Option<i32> {
    let s = s.trim();
    let (sign, digits) = match s.as_bytes().first()? {
        b'+' => (1, &s[1..]),
        b'-' => (-1, &s[1..]),
        _ => (1, s),
    };
    if !(digits.len() == 4 || digits.len() == 6) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let h: i32 = digits[0..2].parse().ok()?;
    let m: i32 = digits[2..4].parse().ok()?;
    let sec: i32 = if digits.len() == 6 {
        digits[4..6].parse().ok()?
    } else {
        0
    };
    (h < 24 && m < 60 && sec < 60).then_some(sign * (h * 3600 + m * 60 + sec))
}

/// The current rule of a VTIMEZONE (the observances whose RRULE has no UNTIL, or the
/// latest-starting ones) as a POSIX TZ string that jiff evaluates.
fn from_vtimezone(vtz: &Component) -> Option<TimeZone> {
    let latest = |kind: &str| -> Option<&Component> {
        let mut obs: Vec<&Component> = vtz.children.iter().filter(|c| c.name == kind).collect();
        obs.sort_by_key(|c| {
            let open_ended = c
                .prop("RRULE")
                .is_some_and(|r| !r.value.to_ascii_uppercase().contains("UNTIL"));
            (open_ended, c.text("DTSTART"))
        });
        obs.pop()
    };
    let std = latest("STANDARD");
    let dst = latest("DAYLIGHT");
    let std_off = offset_seconds(&std.or(dst)?.text("TZOFFSETTO"))?;
    let Some(dst) = dst.filter(|d| d.prop("RRULE").is_some()) else {
        return jiff::tz::Offset::from_seconds(std_off)
            .ok()
            .map(TimeZone::fixed);
    };
    let std = std?;
    let dst_off = offset_seconds(&dst.text("TZOFFSETTO"))?;
    let posix = format!(
        "STD{}DST{},{},{}",
        posix_offset(std_off),
        posix_offset(dst_off),
        posix_rule(dst)?,
        posix_rule(std)?
    );
    TimeZone::posix(&posix).ok()
}

/// POSIX writes offsets west of UTC as positive.
fn posix_offset(east: i32) -> String {
    let west = -east;
    let sign = if west < 0 { "-" } else { "" };
    let a = west.abs();
    format!("{sign}{}:{:02}:{:02}", a / 3600, (a % 3600) / 60, a % 60)
}

/// `Mm.w.d/time` from a yearly observance rule such as `FREQ=YEARLY;BYMONTH=3;BYDAY=2SU`.
fn posix_rule(obs: &Component) -> Option<String> {
    let rule = obs.prop("RRULE")?.value.to_ascii_uppercase();
    let mut month = None;
    let mut day = None;
    for part in rule.split(';') {
        match part.split_once('=') {
            Some(("BYMONTH", m)) => month = m.parse::<u8>().ok(),
            Some(("BYDAY", d)) => day = Some(d.to_owned()),
            _ => {}
        }
    }
    let (month, day) = (month?, day?);
    let cut = day.len().checked_sub(2)?;
    let (n, wd) = (day.get(..cut)?, day.get(cut..)?);
    let n: i32 = match n {
        "" => 1,
        n => n.trim_start_matches('+').parse().ok()?,
    };
    let week = if n < 0 { 5 } else { n.min(5) };
    let d = ["SU", "MO", "TU", "WE", "TH", "FR", "SA"]
        .iter()
        .position(|x| *x == wd)?;
    let start = obs.text("DTSTART");
    let time = start.split_once('T').map_or("020000", |(_, t)| t);
    let (h, m, s) = (
        time.get(0..2)?,
        time.get(2..4)?,
        time.get(4..6).unwrap_or("00"),
    );
    Some(format!("M{month}.{week}.{d}/{h}:{m}:{s}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::feeds::ical::lines;

    #[test]
    fn iana_windows_and_prefixed_names() {
        assert!(resolve("Asia/Shanghai", None).is_some());
        assert_eq!(
            resolve("China Standard Time", None).and_then(|z| z.iana_name().map(str::to_owned)),
            Some("Asia/Shanghai".to_owned())
        );
        assert!(resolve("/mozilla.org/20050126_1/Europe/Berlin", None).is_some());
        assert!(resolve("Nowhere Standard Time", None).is_none());
        assert_eq!(offset_seconds("-0000"), Some(0));
        assert_eq!(offset_seconds("+0530"), Some(19800));
        assert_eq!(offset_seconds("+99"), None);
    }

    #[test]
    fn a_custom_vtimezone_becomes_a_rule() {
        let text = "BEGIN:VCALENDAR\nBEGIN:VTIMEZONE\nTZID:My Eastern\nBEGIN:STANDARD\nDTSTART:16010101T020000\nTZOFFSETFROM:-0400\nTZOFFSETTO:-0500\nRRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=11\nEND:STANDARD\nBEGIN:DAYLIGHT\nDTSTART:16010101T020000\nTZOFFSETFROM:-0500\nTZOFFSETTO:-0400\nRRULE:FREQ=YEARLY;BYDAY=2SU;BYMONTH=3\nEND:DAYLIGHT\nEND:VTIMEZONE\nEND:VCALENDAR\n";
        let (cals, _) = lines::parse(text, "t").unwrap();
        let mut z = Zones::new(&cals);
        let tz = z.get("My Eastern").unwrap();
        let summer: jiff::civil::DateTime = "2026-07-01T12:00".parse().unwrap();
        let winter: jiff::civil::DateTime = "2026-01-01T12:00".parse().unwrap();
        assert_eq!(
            tz.to_ambiguous_timestamp(summer)
                .compatible()
                .unwrap()
                .to_string(),
            "2026-07-01T16:00:00Z"
        );
        assert_eq!(
            tz.to_ambiguous_timestamp(winter)
                .compatible()
                .unwrap()
                .to_string(),
            "2026-01-01T17:00:00Z"
        );
    }
}
