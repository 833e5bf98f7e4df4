//! Times in requests: RFC 3339 and nothing looser. jiff alone also reads ISO 8601's
//! basic format, a space for `T`, offsets up to ±25:59 and years from -9999, any of
//! which in a duty record is a client's bug, not a time anyone meant.

use jiff::Timestamp;
use std::ops::RangeInclusive;

/// The years a request may name. A duty record is about now, give or take a retention
/// period or a planned roster; anything outside is a broken clock or a typing slip.
pub const YEARS: RangeInclusive<u16> = 2000..=2199;

/// An example for messages.
pub const EXAMPLE: &str = "2026-11-29T08:30:00+08:00";

/// `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`: upper-case `T` and `Z`, one to nine
/// digits of fraction, an offset within ±23:59, a year in `YEARS`. The error says what
/// is wrong, for a message that also names the field.
pub fn parse(s: &str) -> Result<Timestamp, String> {
    let b = s.as_bytes();
    let digits = |from: usize, n: usize| -> Option<u16> {
        let part = b.get(from..from + n)?;
        part.iter()
            .all(u8::is_ascii_digit)
            .then(|| part.iter().fold(0u16, |v, d| v * 10 + u16::from(d - b'0')))
    };
    let at = |i: usize, c: u8| b.get(i) == Some(&c);
    let (Some(year), true, Some(month), true, Some(day)) = (
        digits(0, 4),
        at(4, b'-'),
        digits(5, 2),
        at(7, b'-'),
        digits(8, 2),
    ) else {
        return Err("it does not start with a date YYYY-MM-DD".to_owned());
    };
    if !at(10, b'T') {
        return Err("the date and the time are joined by an upper-case `T`".to_owned());
    }
    let (Some(hour), true, Some(minute), true, Some(second)) = (
        digits(11, 2),
        at(13, b':'),
        digits(14, 2),
        at(16, b':'),
        digits(17, 2),
    ) else {
        return Err("the time of day is not HH:MM:SS".to_owned());
    };
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return Err(format!("{year:04}-{month:02}-{day:02} is not a date"));
    }
    if hour > 23 || minute > 59 || second > 59 {
        return Err(format!(
            "{hour:02}:{minute:02}:{second:02} is not a time of day"
        ));
    }
    let mut i = 19;
    if at(i, b'.') {
        let n = b[i + 1..].iter().take_while(|d| d.is_ascii_digit()).count();
        if !(1..=9).contains(&n) {
            return Err("a fraction of a second has one to nine digits".to_owned());
        }
        i += 1 + n;
    }
    match &b[i..] {
        b"Z" => {}
        [sign, ..] if (*sign == b'+' || *sign == b'-') && b.len() == i + 6 && at(i + 3, b':') => {
            let (Some(h), Some(m)) = (digits(i + 1, 2), digits(i + 4, 2)) else {
                return Err("the offset is not ±HH:MM".to_owned());
            };
            if h > 23 || m > 59 {
                return Err(format!(
                    "the offset {} is not one any place keeps (at most ±23:59)",
                    &s[i..]
                ));
            }
        }
        _ => return Err("it does not end with `Z` or an offset ±HH:MM".to_owned()),
    }
    if !YEARS.contains(&year) {
        return Err(format!(
            "the year {year:04} is outside {}–{}",
            YEARS.start(),
            YEARS.end()
        ));
    }
    // The shape is right; jiff knows the calendar (30 February).
    s.parse::<Timestamp>().map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_3339_times_are_read() {
        for (s, want) in [
            ("2026-11-29T08:30:00+08:00", "2026-11-29T00:30:00Z"),
            ("2026-11-29T00:30:00Z", "2026-11-29T00:30:00Z"),
            ("2026-11-29T00:30:00.5Z", "2026-11-29T00:30:00.5Z"),
            (
                "2026-11-29T00:30:00.123456789-00:00",
                "2026-11-29T00:30:00.123456789Z",
            ),
            ("2000-01-01T00:00:00+23:59", "1999-12-31T00:01:00Z"),
            ("2199-12-31T23:59:59Z", "2199-12-31T23:59:59Z"),
        ] {
            assert_eq!(parse(s), Ok(want.parse().unwrap()), "{s}");
        }
    }

    #[test]
    fn anything_looser_is_refused_saying_why() {
        for (s, why) in [
            ("2026-11-29T08:30:00+25:00", "offset"),
            ("2026-11-29T08:30:00+24:00", "offset"),
            ("2026-11-29T08:30:00+08:60", "offset"),
            ("20261129T083000Z", "date"),
            ("2026-11-29 08:30:00Z", "`T`"),
            ("2026-11-29t08:30:00Z", "`T`"),
            ("0001-01-01T00:00:00Z", "year"),
            ("-9999-01-01T00:00:00Z", "date"),
            ("1999-12-31T23:59:59Z", "year"),
            ("2200-01-01T00:00:00Z", "year"),
            ("2026-11-29T08:30Z", "HH:MM:SS"),
            ("2026-11-29T08:30:00", "offset"),
            ("2026-11-29T08:30:00z", "offset"),
            ("2026-11-29T08:30:00+0800", "offset"),
            ("2026-11-29T08:30:00.Z", "fraction"),
            ("2026-11-29T08:30:00.1234567891Z", "fraction"),
            ("2026-11-29T24:00:00Z", "time of day"),
            ("2026-11-29T23:59:60Z", "time of day"),
            ("2026-13-01T00:00:00Z", "date"),
            ("2026-02-30T00:00:00Z", ""),
            ("2026-11-29T08:30:00Z ", "offset"),
            ("2026-11-29T08:30:00+08:00[Asia/Shanghai]", "offset"),
            ("２026-11-29T08:30:00Z", "date"),
            ("", "date"),
        ] {
            let e = parse(s).expect_err(s);
            assert!(e.contains(why), "{s}: {e}");
        }
    }
}
