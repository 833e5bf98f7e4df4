//! `watchroom admin roster import|list|swap` and their API routes.
//!
//! A roster file is a CSV with the columns 日期, 开始, 结束, 角色, 姓名, 电话 (or date,
//! start, end, role, name, phone), or an iCalendar file read by the console's iCalendar
//! reader (`feeds::ical`). An import replaces the current shifts that start in the
//! window it covers (they stay on record, marked replaced), in one transaction.

use super::{Actor, refused};
use crate::model::{DutyRole, Shift};
use crate::server::error::{ApiFailure, ApiResult};
use crate::server::store::roster::{self as stored, RosterShift, SwapRequest};
use crate::server::store::{self, Store};
use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

/// Shifts read from a file, and what was wrong with it.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadRoster {
    pub shifts: Vec<Shift>,
    /// `file:line: …` for each row or event that could not be read (left out).
    pub rejected: Vec<String>,
    /// Notes that left the shifts as read.
    pub warnings: Vec<String>,
}

/// How to read a roster file.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// The zone dates and times without an offset are in (the office's).
    pub zone: TimeZone,
    /// The handover time a row without 开始 or 结束 takes.
    pub handover: Time,
    /// iCalendar only: the window recurring shifts are expanded in.
    pub window: (Timestamp, Timestamp),
    /// The time of reading.
    pub now: Timestamp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Date,
    Start,
    End,
    Role,
    Name,
    Phone,
}

const HEADERS: &[(Column, &[&str])] = &[
    (Column::Date, &["日期", "date", "day", "值班日期"]),
    (Column::Start, &["开始", "start", "from", "开始时间", "起"]),
    (
        Column::End,
        &["结束", "end", "to", "until", "结束时间", "止"],
    ),
    (Column::Role, &["角色", "role", "岗位", "职责", "班次"]),
    (Column::Name, &["姓名", "name", "person", "值班人", "人员"]),
    (
        Column::Phone,
        &["电话", "phone", "tel", "mobile", "联系电话", "手机"],
    ),
];

fn column(header: &str) -> Option<Column> {
    let h: String = header
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '_' | '-' | '\u{3000}'))
        .flat_map(char::to_lowercase)
        .collect();
    HEADERS
        .iter()
        .find(|(_, names)| names.contains(&h.as_str()))
        .map(|(c, _)| *c)
}

fn role(cell: &str) -> Option<DutyRole> {
    match cell.trim().to_lowercase().as_str() {
        "带班领导" | "值班领导" | "带班" | "leader" => Some(DutyRole::Leader),
        "值班长" | "chief" => Some(DutyRole::Chief),
        "值班员" | "值班" | "officer" => Some(DutyRole::Officer),
        "备班" | "standby" | "backup" => Some(DutyRole::Standby),
        _ => None,
    }
}

fn date(cell: &str) -> Option<Date> {
    let t = cell.trim();
    let digits: String = t.chars().filter(char::is_ascii_digit).collect();
    let parts: Vec<&str> = t
        .split(['-', '/', '.', '年', '月', '日'])
        .filter(|p| !p.is_empty())
        .collect();
    let (y, m, d) = match parts.as_slice() {
        [y, m, d] => (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?),
        [one] if one.len() == 8 && digits.len() == 8 => (
            digits[0..4].parse().ok()?,
            digits[4..6].parse().ok()?,
            digits[6..8].parse().ok()?,
        ),
        _ => return None,
    };
    Date::new(y, m, d).ok()
}

/// `HH:MM` (also `H:MM`, `HHMM`, `HH:MM:SS`, or with a full-width colon).
pub fn time(cell: &str) -> Option<Time> {
    let t = cell.trim().replace('：', ":");
    let (h, m, s) = match t.split(':').collect::<Vec<_>>().as_slice() {
        [h, m] => (h.parse().ok()?, m.parse().ok()?, 0),
        [h, m, s] => (h.parse().ok()?, m.parse().ok()?, s.parse().ok()?),
        [hm] if hm.len() == 4 && hm.bytes().all(|b| b.is_ascii_digit()) => {
            (hm[0..2].parse().ok()?, hm[2..4].parse().ok()?, 0)
        }
        _ => return None,
    };
    Time::new(h, m, s, 0).ok()
}

fn at_local(date: Date, time: Time, zone: &TimeZone) -> Result<Timestamp, String> {
    date.to_datetime(time)
        .to_zoned_datetime(zone.clone())
        .map(|z| z.timestamp())
        .map_err(|e| format!("{date} {time} does not exist in {}: {e}", zone_name(zone)))
}

fn zone_name(zone: &TimeZone) -> String {
    zone.iana_name().unwrap_or("the office's zone").to_owned()
}

/// Reads a roster CSV. A row is left out (in `rejected`) with every reason it has.
pub fn read_csv(bytes: &[u8], origin: &str, opts: &ReadOptions) -> ApiResult<ReadRoster> {
    let body = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(false)
        .from_reader(body);
    let mut records = reader.byte_records();
    let header = match records.next() {
        None => {
            return Err(ApiFailure::field(
                "body",
                format!(
                    "{origin}: the file is empty (expected a header row: 日期,开始,结束,角色,姓名,电话)"
                ),
            ));
        }
        Some(Err(e)) => {
            return Err(ApiFailure::field(
                "body",
                format!("{origin}:1: unreadable header row: {e}"),
            ));
        }
        Some(Ok(h)) => h,
    };
    let mut warnings = Vec::new();
    let mut columns = Vec::new();
    for cell in header.iter() {
        let text = String::from_utf8_lossy(cell);
        let c = column(&text);
        if c.is_none() && !text.trim().is_empty() {
            warnings.push(format!(
                "{origin}:1: unknown column {:?} ignored",
                text.trim()
            ));
        }
        columns.push(c);
    }
    let missing: Vec<&str> = [
        (Column::Date, "日期 (date)"),
        (Column::Role, "角色 (role)"),
        (Column::Name, "姓名 (name)"),
    ]
    .iter()
    .filter(|(c, _)| !columns.contains(&Some(*c)))
    .map(|(_, n)| *n)
    .collect();
    if !missing.is_empty() {
        return Err(ApiFailure::field(
            "body",
            format!(
                "{origin}:1: the header row lacks the column{} {}; it has: {}",
                if missing.len() == 1 { "" } else { "s" },
                missing.join(", "),
                header
                    .iter()
                    .map(|c| String::from_utf8_lossy(c).trim().to_owned())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
    }
    let mut shifts = Vec::new();
    let mut rejected = Vec::new();
    for record in records {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                rejected.push(format!("{origin}:{line}: unreadable row: {e}"));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        if record.iter().all(|c| c.iter().all(u8::is_ascii_whitespace)) {
            continue;
        }
        match csv_row(&record, &columns, opts) {
            Ok(s) => shifts.push(s),
            Err(why) => rejected.push(format!("{origin}:{line}: {why}")),
        }
    }
    Ok(ReadRoster {
        shifts,
        rejected,
        warnings,
    })
}

fn csv_row(
    record: &csv::ByteRecord,
    columns: &[Option<Column>],
    opts: &ReadOptions,
) -> Result<Shift, String> {
    if record.len() > columns.len() {
        return Err(format!(
            "{} cells but the header has {} columns (a separator inside a cell needs quotes)",
            record.len(),
            columns.len()
        ));
    }
    let mut cells: Vec<(Column, String)> = Vec::new();
    for (cell, col) in record.iter().zip(columns) {
        let Some(col) = col else { continue };
        let text = std::str::from_utf8(cell)
            .map_err(|_| "not UTF-8 text (save the sheet as \"CSV UTF-8\")".to_owned())?;
        cells.push((*col, crate::model::text::sanitize(text).trim().to_owned()));
    }
    let get = |c: Column| {
        cells
            .iter()
            .find(|(k, _)| *k == c)
            .map_or("", |(_, v)| v.as_str())
    };
    let mut problems = Vec::new();
    let day = date(get(Column::Date));
    if day.is_none() {
        problems.push(format!(
            "field 日期 (date): {:?} is not a date like 2026-12-01",
            get(Column::Date)
        ));
    }
    let clock = |c: Column, name: &str, problems: &mut Vec<String>| match get(c) {
        "" => Some(opts.handover),
        text => {
            let t = time(text);
            if t.is_none() {
                problems.push(format!("field {name}: {text:?} is not a time like 08:30"));
            }
            t
        }
    };
    let start = clock(Column::Start, "开始 (start)", &mut problems);
    let end = clock(Column::End, "结束 (end)", &mut problems);
    let duty = role(get(Column::Role));
    if duty.is_none() {
        problems.push(format!(
            "field 角色 (role): {:?} is not 带班领导, 值班长, 值班员 or 备班 (leader, chief, officer, standby)",
            get(Column::Role)
        ));
    }
    let person = get(Column::Name).to_owned();
    if person.is_empty() {
        problems.push("field 姓名 (name) is empty".to_owned());
    } else if person.chars().count() > 64 {
        problems.push("field 姓名 (name) is longer than 64 characters".to_owned());
    }
    let (Some(day), Some(start), Some(end), Some(duty), true) =
        (day, start, end, duty, problems.is_empty())
    else {
        return Err(problems.join("; "));
    };
    let begins = at_local(day, start, &opts.zone)?;
    // An end at or before the start is on the next day (08:30 → 08:30 is a whole day).
    let end_day = if end <= start {
        day.tomorrow()
            .map_err(|e| format!("field 日期 (date): {e}"))?
    } else {
        day
    };
    let ends = at_local(end_day, end, &opts.zone)?;
    Ok(Shift {
        id: String::new(),
        role: duty,
        person,
        phone: get(Column::Phone).to_owned(),
        start: begins,
        end: ends,
        origin: String::new(),
    })
}

/// Reads an iCalendar roster with the console's reader. Events it cannot read, and
/// events that name no duty role (in CATEGORIES or SUMMARY), are left out.
pub fn read_ics(bytes: &[u8], origin: &str, opts: &ReadOptions) -> ApiResult<ReadRoster> {
    let mut parse = crate::feeds::ParseOptions::new(origin, opts.now, opts.zone.clone());
    parse.window = opts.window;
    parse.roles = crate::feeds::ical::RoleMap {
        default: None,
        ..crate::feeds::ical::RoleMap::default()
    };
    let parsed = crate::feeds::ical::parse(bytes, &parse)
        .map_err(|e| ApiFailure::field("body", e.to_string()))?;
    Ok(ReadRoster {
        shifts: parsed.shifts,
        rejected: parsed.warnings,
        warnings: Vec::new(),
    })
}

/// Which reader a file takes: `ics` by its name or a BEGIN:VCALENDAR, else CSV.
pub fn is_ics(name: &str, bytes: &[u8]) -> bool {
    let lower = name.to_lowercase();
    if lower.ends_with(".ics") || lower.ends_with(".ical") {
        return true;
    }
    if lower.ends_with(".csv") {
        return false;
    }
    let body = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let start: Vec<u8> = body
        .iter()
        .skip_while(|b| b.is_ascii_whitespace())
        .take(15)
        .copied()
        .collect();
    start.eq_ignore_ascii_case(b"BEGIN:VCALENDAR")
}

/// What a roster import changes, or would change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RosterReport {
    pub origin: String,
    pub dry_run: bool,
    /// The import's id (absent in a dry run).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch: Option<String>,
    /// The window the file covers: current shifts starting in it are replaced.
    pub from: Timestamp,
    pub to: Timestamp,
    pub added: usize,
    pub replaced: usize,
    pub skipped: Vec<String>,
    pub warnings: Vec<String>,
}

impl RosterReport {
    pub fn text(&self, zone: &TimeZone) -> String {
        let show = |t: Timestamp| {
            t.to_zoned_datetime(zone.clone())
                .strftime("%Y-%m-%d %H:%M")
                .to_string()
        };
        let mut out = format!(
            "{}: {} shift{} from {} to {} ({}){}\n",
            self.origin,
            self.added,
            if self.added == 1 { "" } else { "s" },
            show(self.from),
            show(self.to),
            zone_name(zone),
            if self.dry_run {
                " — dry run: nothing was changed"
            } else {
                ""
            }
        );
        out.push_str(&format!(
            "  {} {}, replacing {} current shift{} that start in that window\n",
            if self.dry_run { "would add" } else { "added" },
            self.added,
            self.replaced,
            if self.replaced == 1 { "" } else { "s" }
        ));
        if !self.skipped.is_empty() {
            out.push_str(&format!("  skipped {} bad rows:\n", self.skipped.len()));
            for s in &self.skipped {
                out.push_str(&format!("    {s}\n"));
            }
        }
        out
    }
}

/// Checks what was read and, unless `dry_run`, imports it in one transaction.
pub fn import(
    store: &Store,
    read: ReadRoster,
    origin: &str,
    skip_bad: bool,
    dry_run: bool,
    actor: &Actor,
    at: Timestamp,
) -> ApiResult<RosterReport> {
    let ReadRoster {
        shifts,
        rejected,
        warnings,
    } = read;
    if !rejected.is_empty() && !skip_bad {
        return Err(refused(
            origin,
            &rejected,
            "fix them, or skip them with --skip-bad (skip_bad=true)",
        ));
    }
    let Some((from, to)) = stored::window_of(&shifts) else {
        return Err(ApiFailure::field(
            "body",
            format!("{origin}: no shifts to import: the roster is left as it is"),
        ));
    };
    let mut report = RosterReport {
        origin: origin.to_owned(),
        dry_run,
        batch: None,
        from,
        to,
        added: shifts.len(),
        replaced: 0,
        skipped: if skip_bad { rejected } else { Vec::new() },
        warnings,
    };
    if dry_run {
        report.replaced = store.read_blocking(|c| stored::current_starting_in(c, from, to))?;
        return Ok(report);
    }
    let change = store.write_blocking(|ch| stored::import(ch, shifts, actor, origin, at))?;
    report.batch = Some(change.batch);
    report.added = change.added;
    report.replaced = change.replaced;
    Ok(report)
}

/// Records a swap; see `store::roster::swap`.
pub fn swap(
    store: &Store,
    req: &SwapRequest,
    actor: &Actor,
    at: Timestamp,
) -> ApiResult<Vec<RosterShift>> {
    store.write_blocking(|ch| stored::swap(ch, req, actor, at))
}

/// The current roster in a window, swaps applied.
pub fn list(store: &Store, from: Timestamp, to: Timestamp) -> ApiResult<Vec<RosterShift>> {
    store.read_blocking(|c| stored::overlapping(c, from, to))
}

/// The default window an iCalendar roster is expanded in: a month back, a year ahead.
pub fn default_window(now: Timestamp) -> (Timestamp, Timestamp) {
    let day = SignedDuration::from_hours(24);
    (now - day * 31, now + day * 366)
}

/// The zone and handover time imports are read in: the office's, else Asia/Shanghai
/// and 08:30.
pub fn office_defaults(store: &Store) -> ApiResult<(TimeZone, Time)> {
    let office = store.read_blocking(store::org::get)?;
    let zone = office
        .as_ref()
        .and_then(|o| TimeZone::get(&o.zone).ok())
        .unwrap_or_else(|| TimeZone::get("Asia/Shanghai").unwrap_or(TimeZone::UTC));
    let handover = office
        .as_ref()
        .and_then(|o| time(&o.handover))
        .unwrap_or(Time::constant(8, 30, 0, 0));
    Ok((zone, handover))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_times_in_the_spellings_of_sheets() {
        let d = Date::constant(2026, 12, 1);
        for s in [
            "2026-12-01",
            "2026/12/1",
            "2026.12.01",
            "20261201",
            "2026年12月1日",
        ] {
            assert_eq!(date(s), Some(d), "{s}");
        }
        assert_eq!(date("12/01"), None);
        assert_eq!(time("8:30"), Some(Time::constant(8, 30, 0, 0)));
        assert_eq!(time("08：30"), Some(Time::constant(8, 30, 0, 0)));
        assert_eq!(time("0830"), Some(Time::constant(8, 30, 0, 0)));
        assert_eq!(time("25:00"), None);
        assert_eq!(role(" 值班长 "), Some(DutyRole::Chief));
        assert_eq!(role("Standby"), Some(DutyRole::Standby));
        assert_eq!(role("司机"), None);
    }
}
