//! iCalendar (RFC 5545) rosters flattened to `Shift`s in a window.
//!
//! Handles VTIMEZONE/TZID (IANA, Windows names, custom zones), RRULE, RDATE, EXDATE,
//! RECURRENCE-ID overrides (moved, cancelled, and RANGE=THISANDFUTURE), all-day events,
//! folding, escapes and a BOM. The duty role comes from CATEGORIES or SUMMARY through a
//! configurable map.
//!
//! A recurring shift keeps its wall-clock times across a DST change: the length between
//! DTSTART and DTEND is applied in local time (08:30 → 08:30 next day stays that, 23 or
//! 25 hours), because a handover at 08:30 does not move with the clocks.

pub mod lines;
pub mod rrule;
pub mod tz;
pub mod windows_zones;

use super::{FeedError, ParseOptions, Parsed};
use crate::model::{DutyRole, Shift};
use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use jiff::{Span, Timestamp, ToSpan};
use lines::{Component, Prop};
use rrule::{RRule, Until};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// At most this many shifts come from one recurring event in a window.
const MAX_PER_EVENT: usize = 5_000;

/// Which words in CATEGORIES or SUMMARY name which duty role.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoleMap {
    /// Word (any case) → role; the longest matching word wins.
    pub words: BTreeMap<String, DutyRole>,
    /// For events that name no role; None skips them (with a warning).
    pub default: Option<DutyRole>,
}

impl Default for RoleMap {
    fn default() -> Self {
        let words = [
            ("带班领导", DutyRole::Leader),
            ("值班领导", DutyRole::Leader),
            ("带班", DutyRole::Leader),
            ("值班长", DutyRole::Chief),
            ("值班员", DutyRole::Officer),
            ("值班", DutyRole::Officer),
            ("备班", DutyRole::Standby),
            ("leader", DutyRole::Leader),
            ("chief", DutyRole::Chief),
            ("officer", DutyRole::Officer),
            ("on-call", DutyRole::Officer),
            ("standby", DutyRole::Standby),
            ("backup", DutyRole::Standby),
        ];
        RoleMap {
            words: words.iter().map(|(w, r)| ((*w).to_owned(), *r)).collect(),
            default: Some(DutyRole::Officer),
        }
    }
}

impl RoleMap {
    /// Defaults with configured words laid over them.
    pub fn with_overrides(words: &BTreeMap<String, DutyRole>, default: Option<DutyRole>) -> Self {
        let mut m = RoleMap::default();
        for (w, r) in words {
            m.words.insert(w.trim().to_lowercase(), *r);
        }
        m.default = default;
        m
    }

    /// The role named in `text`, and the word that named it.
    fn find(&self, text: &str) -> Option<(DutyRole, String)> {
        let lower = text.to_lowercase();
        self.words
            .iter()
            .filter(|(w, _)| !w.is_empty() && lower.contains(&w.to_lowercase()))
            .max_by_key(|(w, _)| w.chars().count())
            .map(|(w, r)| (*r, w.clone()))
    }
}

/// A date or date-time property read in its zone.
#[derive(Debug, Clone)]
struct When {
    civil: DateTime,
    tz: TimeZone,
    all_day: bool,
}

impl When {
    fn instant(&self) -> Option<Timestamp> {
        self.tz.to_ambiguous_timestamp(self.civil).compatible().ok()
    }
}

struct Ctx<'a> {
    opts: &'a ParseOptions,
    zones: tz::Zones,
    floating: TimeZone,
    warnings: Vec<String>,
    unknown_tz: Vec<String>,
}

impl Ctx<'_> {
    fn warn(&mut self, line: usize, msg: impl std::fmt::Display) {
        if self.warnings.len() < 200 {
            self.warnings
                .push(format!("{}:{line}: {msg}", self.opts.origin));
        }
    }

    fn zone(&mut self, tzid: &str) -> TimeZone {
        match self.zones.get(tzid) {
            Some(z) => z,
            None => {
                let t = crate::feeds::clip(tzid, 60);
                if !self.unknown_tz.contains(&t) {
                    self.unknown_tz.push(t);
                }
                self.floating.clone()
            }
        }
    }

    /// One value of a DATE / DATE-TIME property (also used for list items).
    fn when_of(&mut self, prop: &Prop, value: &str) -> Option<When> {
        let v = value.trim();
        let is_date = prop
            .param("VALUE")
            .is_some_and(|x| x.eq_ignore_ascii_case("DATE"))
            || v.len() == 8;
        if is_date {
            let d = parse_date(v)?;
            return Some(When {
                civil: d.to_datetime(jiff::civil::Time::midnight()),
                tz: self.floating.clone(),
                all_day: true,
            });
        }
        let (body, utc) = match v.strip_suffix(['Z', 'z']) {
            Some(b) => (b, true),
            None => (v, false),
        };
        let civil = parse_datetime(body)?;
        let tz = if utc {
            TimeZone::UTC
        } else if let Some(id) = prop.param("TZID") {
            self.zone(id)
        } else {
            self.floating.clone()
        };
        Some(When {
            civil,
            tz,
            all_day: false,
        })
    }

    fn when(&mut self, c: &Component, name: &str) -> Option<When> {
        let p = c.prop(name)?.clone();
        let w = self.when_of(&p, &p.value);
        if w.is_none() {
            self.warn(
                p.line,
                format!(
                    "{name} {:?} is not a date",
                    crate::feeds::clip(&p.value, 40)
                ),
            );
        }
        w
    }
}

fn parse_date(v: &str) -> Option<Date> {
    if v.len() != 8 || !v.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Date::new(
        v[0..4].parse().ok()?,
        v[4..6].parse().ok()?,
        v[6..8].parse().ok()?,
    )
    .ok()
}

fn parse_datetime(v: &str) -> Option<DateTime> {
    let (d, t) = v.split_once(['T', 't'])?;
    let date = parse_date(d)?;
    if !(t.len() == 6 || t.len() == 4) || !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let h: i8 = t[0..2].parse().ok()?;
    let m: i8 = t[2..4].parse().ok()?;
    // Leap second 60 is read as 59: a roster does not care.
    let s: i8 = if t.len() == 6 {
        t[4..6].parse::<i8>().ok()?.min(59)
    } else {
        0
    };
    Some(date.to_datetime(jiff::civil::Time::new(h, m, s, 0).ok()?))
}

/// RFC 5545 DURATION: `[+-]P[nW][nD][T[nH][nM][nS]]`.
fn parse_duration(v: &str) -> Option<Span> {
    let v = v.trim();
    let (neg, rest) = match v.as_bytes().first()? {
        b'-' => (true, &v[1..]),
        b'+' => (false, &v[1..]),
        _ => (false, v),
    };
    let rest = rest.strip_prefix(['P', 'p'])?;
    // Weeks and days are nominal (calendar) units: a Span keeps them apart from hours.
    let mut parts = [0i64; 5];
    let mut num = String::new();
    let mut in_time = false;
    let mut any = false;
    for c in rest.chars() {
        match c.to_ascii_uppercase() {
            'T' => in_time = true,
            d if d.is_ascii_digit() => num.push(d),
            u => {
                let n: i64 = num.parse().ok().filter(|n| *n <= 100_000)?;
                num.clear();
                any = true;
                let slot = match (u, in_time) {
                    ('W', false) => 0,
                    ('D', false) => 1,
                    ('H', true) => 2,
                    ('M', true) => 3,
                    ('S', true) => 4,
                    _ => return None,
                };
                parts[slot] += n;
            }
        }
    }
    let span = Span::new()
        .try_weeks(parts[0])
        .and_then(|s| s.try_days(parts[1]))
        .and_then(|s| s.try_hours(parts[2]))
        .and_then(|s| s.try_minutes(parts[3]))
        .and_then(|s| s.try_seconds(parts[4]))
        .ok()?;
    (any && num.is_empty()).then(|| if neg { span.negate() } else { span })
}

/// One occurrence before it becomes a shift.
#[derive(Debug, Clone)]
struct Instance<'a> {
    start: Timestamp,
    end: Timestamp,
    event: &'a Component,
}

pub fn parse(bytes: &[u8], opts: &ParseOptions) -> Result<Parsed, FeedError> {
    let decoded = super::fetch::decode(bytes, opts.charset.as_deref(), &opts.origin);
    let mut warnings = decoded.warnings;
    let (tops, mut line_warnings) = lines::parse(&decoded.text, &opts.origin)?;
    warnings.append(&mut line_warnings);
    let calendars: Vec<Component> = tops.into_iter().filter(|c| c.name == "VCALENDAR").collect();
    if calendars.is_empty() {
        return Err(FeedError::new(
            &opts.origin,
            "no BEGIN:VCALENDAR in the file",
        ));
    }
    let floating = calendars
        .iter()
        .find_map(|c| c.prop("X-WR-TIMEZONE"))
        .and_then(|p| tz::resolve(p.text().trim(), None))
        .unwrap_or_else(|| opts.zone.clone());
    let mut ctx = Ctx {
        opts,
        zones: tz::Zones::new(&calendars),
        floating,
        warnings: Vec::new(),
        unknown_tz: Vec::new(),
    };
    let events: Vec<&Component> = calendars
        .iter()
        .flat_map(|c| c.children.iter().filter(|e| e.name == "VEVENT"))
        .collect();
    let mut instances = Vec::new();
    let mut by_uid: BTreeMap<String, (Vec<&Component>, Vec<&Component>)> = BTreeMap::new();
    for (i, e) in events.iter().enumerate() {
        let uid = match e.text("UID") {
            u if u.trim().is_empty() => format!("#{i}"),
            u => u,
        };
        let slot = by_uid.entry(uid).or_default();
        if e.prop("RECURRENCE-ID").is_some() {
            slot.1.push(e);
        } else {
            slot.0.push(e);
        }
    }
    for (_, (masters, overrides)) in by_uid {
        if masters.is_empty() {
            // Modifications whose series is not in this file stand on their own.
            for o in overrides {
                instances.extend(single(&mut ctx, o));
            }
            continue;
        }
        for m in masters {
            instances.extend(series(&mut ctx, m, &overrides));
        }
    }
    let (from, to) = opts.window;
    let mut shifts = Vec::new();
    let mut no_role = 0;
    for inst in instances {
        let overlaps = if inst.end > inst.start {
            inst.start < to && inst.end > from
        } else {
            inst.start >= from && inst.start < to
        };
        if !overlaps {
            continue;
        }
        match shift(&opts.roles, &inst) {
            Some(s) => shifts.push(s),
            None => no_role += 1,
        }
    }
    shifts.sort_by(|a, b| a.start.cmp(&b.start).then_with(|| a.role.cmp(&b.role)));
    warnings.append(&mut ctx.warnings);
    for t in &ctx.unknown_tz {
        warnings.push(format!(
            "{}: unknown TZID {t:?}: its times are read in {}",
            opts.origin,
            ctx.floating.iana_name().unwrap_or("the console's zone")
        ));
    }
    if no_role > 0 {
        warnings.push(format!(
            "{}: {no_role} shift(s) name no duty role (add words to role_map or set default_role)",
            opts.origin
        ));
    }
    Ok(Parsed {
        shifts,
        warnings,
        ..Parsed::default()
    })
}

fn cancelled(e: &Component) -> bool {
    e.text("STATUS").trim().eq_ignore_ascii_case("CANCELLED")
}

/// Start and length of an event, the length as a local-time span (see module docs).
fn start_and_length(ctx: &mut Ctx<'_>, e: &Component) -> Option<(When, Span)> {
    let Some(start) = ctx.when(e, "DTSTART") else {
        if e.prop("DTSTART").is_none() {
            ctx.warn(e.line, "VEVENT without DTSTART skipped");
        }
        return None;
    };
    let length = if let Some(end) = ctx.when(e, "DTEND") {
        let same_zone = end.tz == start.tz;
        let span = if same_zone || end.all_day {
            start.civil.until(end.civil).ok()
        } else {
            match (start.instant(), end.instant()) {
                (Some(a), Some(b)) => a.until(b).ok(),
                _ => None,
            }
        };
        span.filter(|s| !s.is_negative()).unwrap_or_default()
    } else if let Some(d) = e.prop("DURATION") {
        match parse_duration(&d.value) {
            Some(s) if !s.is_negative() => s,
            _ => {
                ctx.warn(d.line, "DURATION unreadable; taken as zero");
                Span::new()
            }
        }
    } else if start.all_day {
        1.day()
    } else {
        Span::new()
    };
    Some((start, length))
}

fn end_of(w: &When, civil_start: DateTime, length: Span) -> Option<(Timestamp, Timestamp)> {
    let s = w.tz.to_ambiguous_timestamp(civil_start).compatible().ok()?;
    let end_civil = civil_start.checked_add(length).ok()?;
    let e = w.tz.to_ambiguous_timestamp(end_civil).compatible().ok()?;
    Some((s, e.max(s)))
}

fn single<'a>(ctx: &mut Ctx<'_>, e: &'a Component) -> Vec<Instance<'a>> {
    if cancelled(e) {
        return Vec::new();
    }
    let Some((start, length)) = start_and_length(ctx, e) else {
        return Vec::new();
    };
    end_of(&start, start.civil, length)
        .map(|(start, end)| Instance {
            start,
            end,
            event: e,
        })
        .into_iter()
        .collect()
}

/// A recurring (or plain) master with its RECURRENCE-ID overrides applied.
fn series<'a>(
    ctx: &mut Ctx<'_>,
    m: &'a Component,
    overrides: &[&'a Component],
) -> Vec<Instance<'a>> {
    if cancelled(m) {
        return Vec::new();
    }
    let Some((start, length)) = start_and_length(ctx, m) else {
        return Vec::new();
    };
    let window_end = ctx.opts.window.1;
    let mut civil_starts = match m.prop("RRULE") {
        None => vec![start.civil],
        Some(rp) => {
            let (tz, all_day) = (start.tz.clone(), start.all_day);
            let rule = RRule::parse(&rp.value, |u| until_of(u, all_day));
            match rule {
                Ok(rule) => {
                    let until = rule.until;
                    let tz2 = tz.clone();
                    let past = move |c: DateTime| match until {
                        None => false,
                        Some(Until::Date(d)) => c.date() > d,
                        Some(Until::Civil(u)) => c > u,
                        Some(Until::Instant(u)) => tz2
                            .to_ambiguous_timestamp(c)
                            .compatible()
                            .is_ok_and(|t| t > u),
                    };
                    let keep = |c: DateTime| {
                        tz.to_ambiguous_timestamp(c)
                            .compatible()
                            .is_ok_and(|t| t < window_end)
                    };
                    rule.expand(start.civil, MAX_PER_EVENT * 20, &past, &keep)
                }
                Err(why) => {
                    ctx.warn(
                        rp.line,
                        format!("RRULE {why}; only the first occurrence is used"),
                    );
                    vec![start.civil]
                }
            }
        }
    };
    // RDATE adds occurrences (a PERIOD brings its own end).
    let mut periods: Vec<(Timestamp, Timestamp)> = Vec::new();
    for p in m.props("RDATE").cloned().collect::<Vec<_>>() {
        for item in p.value.split(',') {
            if let Some((a, b)) = item.split_once('/') {
                let Some(s) = ctx.when_of(&p, a) else {
                    continue;
                };
                let Some(st) = s.instant() else { continue };
                let end = ctx
                    .when_of(&p, b)
                    .and_then(|w| w.instant())
                    .or_else(|| parse_duration(b).and_then(|d| st.checked_add(d).ok()));
                if let Some(en) = end {
                    periods.push((st, en.max(st)));
                }
            } else if let Some(w) = ctx.when_of(&p, item) {
                // An RDATE in another zone than DTSTART: bring it into DTSTART's civil time.
                match w.instant() {
                    Some(t) if w.tz != start.tz => civil_starts.push(start.tz.to_datetime(t)),
                    _ => civil_starts.push(w.civil),
                }
            }
        }
    }
    civil_starts.sort();
    civil_starts.dedup();
    // EXDATE removes occurrences, compared as instants (dates compare as dates).
    let mut ex_instants = Vec::new();
    let mut ex_dates = Vec::new();
    for p in m.props("EXDATE").cloned().collect::<Vec<_>>() {
        for item in p.value.split(',') {
            match ctx.when_of(&p, item) {
                Some(w) if w.all_day => ex_dates.push(w.civil.date()),
                Some(w) => ex_instants.extend(w.instant()),
                None => ctx.warn(p.line, "EXDATE value unreadable"),
            }
        }
    }
    let mut out: Vec<Instance<'a>> = Vec::new();
    for c in civil_starts {
        let Some((s, e)) = end_of(&start, c, length) else {
            continue;
        };
        if ex_instants.contains(&s) || ex_dates.contains(&c.date()) {
            continue;
        }
        out.push(Instance {
            start: s,
            end: e,
            event: m,
        });
    }
    for (s, e) in periods {
        if !ex_instants.contains(&s) {
            out.push(Instance {
                start: s,
                end: e,
                event: m,
            });
        }
    }
    apply_overrides(ctx, &mut out, overrides, start.all_day);
    out
}

fn until_of(u: &str, all_day: bool) -> Option<Until> {
    if let Some(body) = u.strip_suffix('Z') {
        let dt = parse_datetime(body)?;
        return TimeZone::UTC
            .to_ambiguous_timestamp(dt)
            .compatible()
            .ok()
            .map(Until::Instant);
    }
    if u.len() == 8 {
        return parse_date(u).map(Until::Date);
    }
    let dt = parse_datetime(u)?;
    Some(if all_day {
        Until::Date(dt.date())
    } else {
        Until::Civil(dt)
    })
}

/// Moved, changed and cancelled occurrences. RANGE=THISANDFUTURE shifts every later
/// occurrence by the same offset and gives them the override's length and text; offset and
/// length are counted in the override's wall-clock time, so a series moved from 08:30 to
/// 09:30 stays at 09:30 local across a daylight-saving change.
fn apply_overrides<'a>(
    ctx: &mut Ctx<'_>,
    out: &mut Vec<Instance<'a>>,
    overrides: &[&'a Component],
    all_day: bool,
) {
    struct Ov<'a> {
        rid: Timestamp,
        zone: TimeZone,
        rid_date: Option<Date>,
        future: bool,
        comp: &'a Component,
        new: Option<(Timestamp, Timestamp)>,
    }
    let mut ovs: Vec<Ov<'a>> = Vec::new();
    for o in overrides {
        let Some(rp) = o.prop("RECURRENCE-ID").cloned() else {
            continue;
        };
        let Some(rid) = ctx.when_of(&rp, &rp.value) else {
            ctx.warn(rp.line, "RECURRENCE-ID unreadable; override ignored");
            continue;
        };
        let Some(rid_ts) = rid.instant() else {
            continue;
        };
        let new = start_and_length(ctx, o).and_then(|(w, len)| end_of(&w, w.civil, len));
        ovs.push(Ov {
            rid: rid_ts,
            zone: rid.tz.clone(),
            rid_date: (rid.all_day || all_day).then(|| rid.civil.date()),
            future: rp
                .param("RANGE")
                .is_some_and(|r| r.eq_ignore_ascii_case("THISANDFUTURE")),
            comp: o,
            new,
        });
    }
    ovs.sort_by_key(|o| o.rid);
    let date_of = |t: Timestamp| ctx.floating.to_datetime(t).date();
    let mut result = Vec::with_capacity(out.len());
    for inst in out.drain(..) {
        let original = inst.start;
        let exact = ovs
            .iter()
            .rev()
            .find(|o| o.rid == original || o.rid_date.is_some_and(|d| d == date_of(original)));
        let ranged = ovs.iter().rev().find(|o| o.future && o.rid <= original);
        let chosen = exact.or(ranged);
        let Some(o) = chosen else {
            result.push(inst);
            continue;
        };
        if cancelled(o.comp) {
            continue;
        }
        let Some((ns, ne)) = o.new else {
            // An override without its own times only changes the text.
            result.push(Instance {
                event: o.comp,
                ..inst
            });
            continue;
        };
        let (start, end) = moved(&o.zone, o.rid, (ns, ne), original).unwrap_or((ns, ne));
        result.push(Instance {
            start,
            end,
            event: o.comp,
        });
    }
    *out = result;
}

/// Where an occurrence lands when the one at `rid` moved to `new`: the same wall-clock
/// offset and length in `zone`.
fn moved(
    zone: &TimeZone,
    rid: Timestamp,
    new: (Timestamp, Timestamp),
    original: Timestamp,
) -> Option<(Timestamp, Timestamp)> {
    let civil = |t: Timestamp| zone.to_datetime(t);
    let (rid_c, start_c, end_c) = (civil(rid), civil(new.0), civil(new.1));
    let offset = rid_c.until(start_c).ok()?;
    let length = start_c.until(end_c).ok()?;
    let start = civil(original).checked_add(offset).ok()?;
    let end = start.checked_add(length).ok()?;
    let instant = |c: DateTime| zone.to_ambiguous_timestamp(c).compatible().ok();
    Some((instant(start)?, instant(end)?))
}

fn shift(roles: &RoleMap, inst: &Instance<'_>) -> Option<Shift> {
    let e = inst.event;
    let summary = e.text("SUMMARY").trim().to_owned();
    let categories: Vec<String> = e
        .props("CATEGORIES")
        .flat_map(|p| lines::split_list(&p.value))
        .collect();
    let from_categories = categories.iter().find_map(|c| roles.find(c));
    let from_summary = roles.find(&summary);
    let role = match (&from_categories, &from_summary) {
        (Some((r, _)), _) | (None, Some((r, _))) => *r,
        (None, None) => roles.default?,
    };
    // "值班长 测试甲" names the role and the person: the person is what is left.
    let mut person = summary.clone();
    if let Some((_, w)) = from_summary
        && let Some(i) = person.to_lowercase().find(&w.to_lowercase())
        && person.is_char_boundary(i)
        && person.is_char_boundary(i + w.len())
    {
        person.replace_range(i..i + w.len(), " ");
    }
    let person = person
        .trim_matches(|c: char| c.is_whitespace() || ":：-—|/,，()（）[]【】".contains(c))
        .to_owned();
    let attendee = e
        .props("ATTENDEE")
        .chain(e.props("ORGANIZER"))
        .find_map(|p| p.param("CN").map(str::to_owned));
    let person = if person.is_empty() {
        attendee.unwrap_or_else(|| summary.clone())
    } else {
        person
    };
    let uid = e.text("UID");
    Some(Shift {
        id: format!("{}@{}", uid.trim(), inst.start),
        role,
        person,
        phone: phone(e),
        start: inst.start,
        end: inst.end,
        origin: String::new(),
    })
}

/// A phone number from an ATTENDEE `tel:` URI or a "电话/Tel/Phone:" line of DESCRIPTION.
fn phone(e: &Component) -> String {
    if let Some(t) = e
        .props("ATTENDEE")
        .find_map(|p| p.value.trim().strip_prefix("tel:").map(str::to_owned))
    {
        return t;
    }
    let desc = e.text("DESCRIPTION");
    // ASCII lower-casing keeps byte offsets, so an index into `lower` is one into `desc`.
    let lower = desc.to_ascii_lowercase();
    for key in ["电话", "手机", "tel", "phone"] {
        if let Some(i) = lower.find(key) {
            let rest = &desc[i + key.len()..];
            let rest =
                rest.trim_start_matches(|c: char| c == ':' || c == '：' || c.is_whitespace());
            let num: String = rest
                .chars()
                .take_while(|c| c.is_ascii_digit() || "+-() ".contains(*c))
                .collect();
            let num = num.trim().to_owned();
            if num.chars().filter(char::is_ascii_digit).count() >= 5 {
                return num;
            }
        }
    }
    String::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(from: &str, to: &str) -> ParseOptions {
        let mut o = ParseOptions::new(
            "r.ics",
            from.parse().unwrap(),
            TimeZone::get("Asia/Shanghai").unwrap(),
        );
        o.window = (from.parse().unwrap(), to.parse().unwrap());
        o
    }

    #[test]
    fn chinese_roster_with_roles_windows_zone_and_cancelled_override() {
        let ics = "\u{feff}BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:lead\r\nSUMMARY:带班领导：王某某\r\nDESCRIPTION:电话: 100-0000-0101\r\nDTSTART;TZID=China Standard Time:20261101T083000\r\nDTEND;TZID=China Standard Time:20261102T083000\r\nRRULE:FREQ=DAILY;COUNT=5\r\nEXDATE;TZID=China Standard Time:20261103T083000\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:lead\r\nRECURRENCE-ID;TZID=China Standard Time:20261102T083000\r\nSTATUS:CANCELLED\r\nDTSTART;TZID=China Standard Time:20261102T083000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
        let p = parse(
            ics.as_bytes(),
            &opts("2026-10-31T00:00:00Z", "2026-11-30T00:00:00Z"),
        )
        .unwrap();
        let starts: Vec<String> = p.shifts.iter().map(|s| s.start.to_string()).collect();
        assert_eq!(
            starts,
            [
                "2026-11-01T00:30:00Z",
                "2026-11-04T00:30:00Z",
                "2026-11-05T00:30:00Z"
            ]
        );
        assert_eq!(p.shifts[0].role, DutyRole::Leader);
        assert_eq!(p.shifts[0].person, "王某某");
        assert_eq!(p.shifts[0].phone, "100-0000-0101");
        assert!(p.warnings.is_empty(), "{:?}", p.warnings);
    }

    #[test]
    fn durations_parse() {
        assert_eq!(parse_duration("PT12H").unwrap().get_hours(), 12);
        assert_eq!(parse_duration("P1W").unwrap().get_weeks(), 1);
        assert_eq!(parse_duration("-P1D").unwrap().get_days(), -1);
        assert!(parse_duration("P").is_none());
        assert!(parse_duration("PT1X").is_none());
        assert!(parse_duration("P1H").is_none());
    }

    #[test]
    fn all_day_event_covers_the_local_day() {
        let ics = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\nSUMMARY:备班 李某某\nDTSTART;VALUE=DATE:20261105\nEND:VEVENT\nEND:VCALENDAR\n";
        let p = parse(
            ics.as_bytes(),
            &opts("2026-11-01T00:00:00Z", "2026-11-30T00:00:00Z"),
        )
        .unwrap();
        assert_eq!(p.shifts[0].start.to_string(), "2026-11-04T16:00:00Z");
        assert_eq!(p.shifts[0].end.to_string(), "2026-11-05T16:00:00Z");
        assert_eq!(p.shifts[0].role, DutyRole::Standby);
        assert_eq!(p.shifts[0].person, "李某某");
    }

    #[test]
    fn odd_text_does_not_upset_phone_or_zone_parsing() {
        let ics = "BEGIN:VCALENDAR\nBEGIN:VTIMEZONE\nTZID:X\nBEGIN:DAYLIGHT\nTZOFFSETTO:+0200\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=é\nEND:DAYLIGHT\nBEGIN:STANDARD\nTZOFFSETTO:+0100\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\nEND:STANDARD\nEND:VTIMEZONE\nBEGIN:VEVENT\nUID:a\nSUMMARY:值班员 İİİİ\nDESCRIPTION:İİİİİİ TEL: 100-0000-0301\nDTSTART;TZID=X:20261105T083000\nEND:VEVENT\nEND:VCALENDAR\n";
        let p = parse(
            ics.as_bytes(),
            &opts("2026-11-01T00:00:00Z", "2026-11-30T00:00:00Z"),
        )
        .unwrap();
        assert_eq!(p.shifts[0].phone, "100-0000-0301");
        assert_eq!(p.shifts[0].person, "İİİİ");
    }
}
