//! RRULE expansion (RFC 5545 §3.3.10) in civil time: FREQ DAILY/WEEKLY/MONTHLY/YEARLY
//! with INTERVAL, COUNT, UNTIL, BYDAY (with ordinals), BYMONTHDAY, BYMONTH, BYSETPOS,
//! BYHOUR, BYMINUTE and WKST. Rosters never need more; other parts are refused loudly
//! rather than expanded wrongly.

use jiff::ToSpan;
use jiff::civil::{Date, DateTime, Time, Weekday};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Freq {
    Daily,
    Weekly,
    Monthly,
    Yearly,
}

/// When the rule stops: an instant (UTC `…Z`), a civil date-time, or a date.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Until {
    Instant(jiff::Timestamp),
    Civil(DateTime),
    Date(Date),
}

#[derive(Debug, Clone, PartialEq)]
pub struct RRule {
    pub freq: Freq,
    pub interval: i64,
    pub count: Option<usize>,
    pub until: Option<Until>,
    pub by_day: Vec<(Option<i8>, Weekday)>,
    pub by_month_day: Vec<i8>,
    pub by_month: Vec<i8>,
    pub by_set_pos: Vec<i32>,
    pub by_hour: Vec<i8>,
    pub by_minute: Vec<i8>,
    pub wkst: Weekday,
}

fn weekday(s: &str) -> Option<Weekday> {
    Some(match s {
        "MO" => Weekday::Monday,
        "TU" => Weekday::Tuesday,
        "WE" => Weekday::Wednesday,
        "TH" => Weekday::Thursday,
        "FR" => Weekday::Friday,
        "SA" => Weekday::Saturday,
        "SU" => Weekday::Sunday,
        _ => return None,
    })
}

fn nums<T: std::str::FromStr + PartialOrd + Copy>(
    v: &str,
    lo: T,
    hi: T,
    what: &str,
) -> Result<Vec<T>, String> {
    v.split(',')
        .map(|x| {
            x.trim()
                .parse::<T>()
                .ok()
                .filter(|n| *n >= lo && *n <= hi)
                .ok_or_else(|| format!("{what} value {x:?} out of range"))
        })
        .collect()
}

impl RRule {
    /// Parse the value of an RRULE property. `until` converts the UNTIL text.
    pub fn parse(value: &str, until: impl Fn(&str) -> Option<Until>) -> Result<RRule, String> {
        let mut rule = RRule {
            freq: Freq::Daily,
            interval: 1,
            count: None,
            until: None,
            by_day: Vec::new(),
            by_month_day: Vec::new(),
            by_month: Vec::new(),
            by_set_pos: Vec::new(),
            by_hour: Vec::new(),
            by_minute: Vec::new(),
            wkst: Weekday::Monday,
        };
        let mut freq = None;
        for part in value.split(';').filter(|p| !p.trim().is_empty()) {
            let (k, v) = part
                .split_once('=')
                .ok_or_else(|| format!("RRULE part {part:?} has no '='"))?;
            let (k, v) = (k.trim().to_ascii_uppercase(), v.trim().to_ascii_uppercase());
            match k.as_str() {
                "FREQ" => {
                    freq = Some(match v.as_str() {
                        "DAILY" => Freq::Daily,
                        "WEEKLY" => Freq::Weekly,
                        "MONTHLY" => Freq::Monthly,
                        "YEARLY" => Freq::Yearly,
                        other => return Err(format!("FREQ={other} is not supported for rosters")),
                    })
                }
                "INTERVAL" => {
                    rule.interval = v
                        .parse::<i64>()
                        .ok()
                        .filter(|n| (1..=10_000).contains(n))
                        .ok_or_else(|| format!("INTERVAL={v} is not a positive number"))?
                }
                "COUNT" => {
                    rule.count = Some(
                        v.parse::<usize>()
                            .ok()
                            .filter(|n| *n >= 1)
                            .ok_or_else(|| format!("COUNT={v} is not a positive number"))?,
                    )
                }
                "UNTIL" => {
                    rule.until = Some(until(&v).ok_or_else(|| format!("UNTIL={v} is not a date"))?)
                }
                "BYDAY" => {
                    for d in v.split(',') {
                        let d = d.trim();
                        let cut = d.len().saturating_sub(2);
                        let (n, wd) = match (d.get(..cut), d.get(cut..)) {
                            (Some(n), Some(w)) => (n, w),
                            _ => return Err(format!("BYDAY value {d:?} is not a weekday")),
                        };
                        let wd = weekday(wd)
                            .ok_or_else(|| format!("BYDAY value {d:?} is not a weekday"))?;
                        let n = match n.trim_start_matches('+') {
                            "" => None,
                            n => Some(
                                n.parse::<i8>()
                                    .ok()
                                    .filter(|x| *x != 0 && (-53..=53).contains(x))
                                    .ok_or_else(|| {
                                        format!("BYDAY value {d:?} has a bad ordinal")
                                    })?,
                            ),
                        };
                        rule.by_day.push((n, wd));
                    }
                }
                "BYMONTHDAY" => {
                    rule.by_month_day = nums(&v, -31i8, 31, "BYMONTHDAY")?;
                    if rule.by_month_day.contains(&0) {
                        return Err("BYMONTHDAY=0 is not a day".into());
                    }
                }
                "BYMONTH" => rule.by_month = nums(&v, 1i8, 12, "BYMONTH")?,
                "BYSETPOS" => {
                    rule.by_set_pos = nums(&v, -366i32, 366, "BYSETPOS")?;
                    if rule.by_set_pos.contains(&0) {
                        return Err("BYSETPOS=0 is not a position".into());
                    }
                }
                "BYHOUR" => rule.by_hour = nums(&v, 0i8, 23, "BYHOUR")?,
                "BYMINUTE" => rule.by_minute = nums(&v, 0i8, 59, "BYMINUTE")?,
                "WKST" => {
                    rule.wkst = weekday(&v).ok_or_else(|| format!("WKST={v} is not a weekday"))?
                }
                "BYSECOND" if v == "0" => {}
                "BYYEARDAY" | "BYWEEKNO" | "BYSECOND" => {
                    return Err(format!("{k} is not supported for rosters"));
                }
                // RFC 7529 and vendor extensions: ignoring them would change the dates.
                other if other.starts_with("X-") => {}
                other => return Err(format!("unknown RRULE part {other}")),
            }
        }
        rule.freq = freq.ok_or("RRULE without FREQ")?;
        if rule.count.is_some() && rule.until.is_some() {
            return Err("RRULE with both COUNT and UNTIL".into());
        }
        Ok(rule)
    }

    /// Candidate dates of the period that starts at `anchor` (already stepped by INTERVAL).
    fn dates_in_period(&self, anchor: Date, start: Date) -> Vec<Date> {
        let mut days: Vec<Date> = match self.freq {
            Freq::Daily => vec![anchor],
            Freq::Weekly => {
                let first = week_start(anchor, self.wkst);
                let week: Vec<Date> = (0..7)
                    .filter_map(|i| first.checked_add(i.days()).ok())
                    .collect();
                if self.by_day.is_empty() {
                    week.into_iter()
                        .filter(|d| d.weekday() == start.weekday())
                        .collect()
                } else {
                    week
                }
            }
            Freq::Monthly => self.month_days(anchor.first_of_month(), start),
            Freq::Yearly => {
                let months: Vec<i8> = if !self.by_month.is_empty() {
                    self.by_month.clone()
                } else if !self.by_day.is_empty() && self.by_month_day.is_empty() {
                    // BYDAY alone in a yearly rule counts weekdays through the whole year.
                    return self.finish(year_by_day(anchor.year(), &self.by_day));
                } else {
                    vec![start.month()]
                };
                months
                    .into_iter()
                    .filter_map(|m| Date::new(anchor.year(), m, 1).ok())
                    .flat_map(|first| self.month_days(first, start))
                    .collect()
            }
        };
        days.retain(|d| self.by_month.is_empty() || self.by_month.contains(&d.month()));
        if matches!(self.freq, Freq::Daily | Freq::Weekly) && !self.by_day.is_empty() {
            days.retain(|d| self.by_day.iter().any(|(_, w)| *w == d.weekday()));
        }
        if self.freq == Freq::Daily && !self.by_month_day.is_empty() {
            days.retain(|d| month_day_matches(*d, &self.by_month_day));
        }
        self.finish(days)
    }

    fn finish(&self, mut days: Vec<Date>) -> Vec<Date> {
        days.sort();
        days.dedup();
        days
    }

    fn month_days(&self, first: Date, start: Date) -> Vec<Date> {
        let n = first.days_in_month();
        let all = (0..n as i64).filter_map(|i| first.checked_add(i.days()).ok());
        match (self.by_month_day.is_empty(), self.by_day.is_empty()) {
            (true, true) => all.filter(|d| d.day() == start.day()).collect(),
            (false, true) => all
                .filter(|d| month_day_matches(*d, &self.by_month_day))
                .collect(),
            (true, false) => all.filter(|d| by_day_in_month(*d, &self.by_day)).collect(),
            (false, false) => all
                .filter(|d| {
                    month_day_matches(*d, &self.by_month_day) && by_day_in_month(*d, &self.by_day)
                })
                .collect(),
        }
    }

    fn times(&self, t: Time) -> Vec<Time> {
        let hours: Vec<i8> = if self.by_hour.is_empty() {
            vec![t.hour()]
        } else {
            self.by_hour.clone()
        };
        let mins: Vec<i8> = if self.by_minute.is_empty() {
            vec![t.minute()]
        } else {
            self.by_minute.clone()
        };
        let mut out: Vec<Time> = hours
            .iter()
            .flat_map(|h| {
                mins.iter()
                    .filter_map(move |m| Time::new(*h, *m, t.second(), 0).ok())
            })
            .collect();
        out.sort();
        out
    }

    /// Occurrence starts (civil, in DTSTART's zone), from `start` on, while `keep_going`
    /// says the window is not yet passed. `is_past_until` decides UNTIL for a candidate.
    /// Bounded: at most `max` occurrences and a fixed number of periods.
    pub fn expand(
        &self,
        start: DateTime,
        max: usize,
        is_past_until: &dyn Fn(DateTime) -> bool,
        keep_going: &dyn Fn(DateTime) -> bool,
    ) -> Vec<DateTime> {
        const MAX_PERIODS: i64 = 200_000;
        let mut out = vec![start];
        let mut emitted = 1usize;
        let times = self.times(start.time());
        for k in 0..MAX_PERIODS {
            let step = k * self.interval;
            let anchor = match self.freq {
                Freq::Daily => start.date().checked_add(step.days()),
                Freq::Weekly => start.date().checked_add((step * 7).days()),
                Freq::Monthly => start.date().first_of_month().checked_add(step.months()),
                Freq::Yearly => {
                    Date::new(start.year(), 1, 1).and_then(|d| d.checked_add(step.years()))
                }
            };
            let Ok(anchor) = anchor else { break };
            // A period that starts more than a week after the window cannot hold anything
            // in it: stop even when the rule has stopped producing (BYMONTHDAY=31 in Feb).
            let week_before = anchor.checked_sub(8.days()).unwrap_or(anchor);
            if !keep_going(week_before.to_datetime(Time::midnight())) {
                break;
            }
            let mut candidates: Vec<DateTime> = self
                .dates_in_period(anchor, start.date())
                .into_iter()
                .flat_map(|d| times.iter().map(move |t| d.to_datetime(*t)))
                .collect();
            if !self.by_set_pos.is_empty() {
                let n = candidates.len() as i32;
                let mut picked: Vec<DateTime> = self
                    .by_set_pos
                    .iter()
                    .filter_map(|&p| {
                        let i = if p > 0 { p - 1 } else { n + p };
                        (0..n).contains(&i).then(|| candidates[i as usize])
                    })
                    .collect();
                picked.sort();
                picked.dedup();
                candidates = picked;
            }
            for c in candidates {
                if c <= start {
                    continue;
                }
                if is_past_until(c) || !keep_going(c) {
                    return out;
                }
                if self.count.is_some_and(|n| emitted >= n) || out.len() >= max {
                    return out;
                }
                out.push(c);
                emitted += 1;
            }
        }
        out
    }
}

fn week_start(d: Date, wkst: Weekday) -> Date {
    let back = (d.weekday().to_monday_zero_offset() - wkst.to_monday_zero_offset()).rem_euclid(7);
    d.checked_sub((back as i64).days()).unwrap_or(d)
}

fn month_day_matches(d: Date, days: &[i8]) -> bool {
    let n = d.days_in_month();
    days.iter().any(|&m| {
        if m > 0 {
            d.day() == m
        } else {
            d.day() == n + m + 1
        }
    })
}

fn by_day_in_month(d: Date, by_day: &[(Option<i8>, Weekday)]) -> bool {
    let nth = (d.day() - 1) / 7 + 1;
    let nth_from_end = -((d.days_in_month() - d.day()) / 7 + 1);
    by_day.iter().any(|(n, w)| {
        *w == d.weekday()
            && match n {
                None => true,
                Some(n) => *n == nth || *n == nth_from_end,
            }
    })
}

fn year_by_day(year: i16, by_day: &[(Option<i8>, Weekday)]) -> Vec<Date> {
    let Ok(first) = Date::new(year, 1, 1) else {
        return Vec::new();
    };
    let len = first.days_in_year();
    (0..len as i64)
        .filter_map(|i| first.checked_add(i.days()).ok())
        .filter(|d| {
            let doy = d.day_of_year();
            let nth = (doy - 1) / 7 + 1;
            let nth_from_end = -((len - doy) / 7 + 1);
            by_day.iter().any(|(n, w)| {
                *w == d.weekday()
                    && match n {
                        None => true,
                        Some(n) => *n as i16 == nth || *n as i16 == nth_from_end,
                    }
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(rule: &str, start: &str, n: usize) -> Vec<String> {
        let r = RRule::parse(rule, |s| {
            s.parse::<Date>().ok().map(Until::Date).or_else(|| {
                jiff::fmt::strtime::parse("%Y%m%d", s)
                    .ok()?
                    .to_date()
                    .ok()
                    .map(Until::Date)
            })
        })
        .unwrap();
        let until = r.until;
        r.expand(
            start.parse().unwrap(),
            n,
            &|c| matches!(until, Some(Until::Date(d)) if c.date() > d),
            &|_| true,
        )
        .into_iter()
        .map(|d| d.to_string())
        .collect()
    }

    #[test]
    fn weekly_byday_count() {
        assert_eq!(
            run("FREQ=WEEKLY;COUNT=4;BYDAY=MO,WE", "2026-03-02T08:30", 100),
            [
                "2026-03-02T08:30:00",
                "2026-03-04T08:30:00",
                "2026-03-09T08:30:00",
                "2026-03-11T08:30:00"
            ]
        );
    }

    #[test]
    fn wkst_changes_biweekly_results() {
        // RFC 5545's own example: WKST=MO gives Aug 5,10,19,24; WKST=SU gives 5,17,19,31.
        let mo = run(
            "FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=MO",
            "1997-08-05T09:00",
            10,
        );
        assert_eq!(mo[1], "1997-08-10T09:00:00");
        let su = run(
            "FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=SU",
            "1997-08-05T09:00",
            10,
        );
        assert_eq!(su[1], "1997-08-17T09:00:00");
    }

    #[test]
    fn monthly_setpos_and_negative_days() {
        let v = run(
            "FREQ=MONTHLY;COUNT=3;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-2",
            "1997-09-29T09:00",
            10,
        );
        assert_eq!(
            v,
            [
                "1997-09-29T09:00:00",
                "1997-10-30T09:00:00",
                "1997-11-27T09:00:00"
            ]
        );
        let v = run("FREQ=MONTHLY;COUNT=2;BYMONTHDAY=-1", "2026-01-31T00:00", 10);
        assert_eq!(v[1], "2026-02-28T00:00:00");
        let v = run(
            "FREQ=YEARLY;BYMONTH=3;BYDAY=2SU;COUNT=2",
            "2007-03-11T02:00",
            10,
        );
        assert_eq!(v[1], "2008-03-09T02:00:00");
    }

    #[test]
    fn until_date_and_bad_rules() {
        let v = run(
            "FREQ=DAILY;INTERVAL=2;UNTIL=20260105",
            "2026-01-01T12:00",
            100,
        );
        assert_eq!(v.len(), 3);
        for bad in [
            "FREQ=DAILY;BYDAY=1é",
            "FREQ=SECONDLY",
            "COUNT=2",
            "FREQ=DAILY;BYDAY=XX",
            "FREQ=DAILY;INTERVAL=0",
            "FREQ=DAILY;BYWEEKNO=1",
            "FREQ=DAILY;FOO=1",
        ] {
            assert!(RRule::parse(bad, |_| None).is_err(), "{bad}");
        }
    }
}
