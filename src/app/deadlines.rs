//! Reporting deadlines (初报 → 续报一、二… → 终报): derived from an incident's grade, its
//! intake time and its timeline, by rules that are configuration, not constants.

use crate::model::{Grade, Incident, IncidentStatus};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use serde::Deserialize;

pub const DEFAULT_RULES: &str = include_str!("report_rules.toml");

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportRules {
    #[serde(default)]
    pub rule: Vec<Rule>,
    /// Local times ("HH:MM") at which a follow-up report is due while an incident is open.
    #[serde(default)]
    pub followup_times: Vec<String>,
    #[serde(default)]
    pub followup_grades: Vec<Grade>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub grade: Grade,
    pub label: String,
    /// The timeline kind that fulfils it.
    pub kind: String,
    pub within_minutes: i64,
}

impl Default for ReportRules {
    fn default() -> Self {
        toml::from_str(DEFAULT_RULES).expect("the embedded report rules are checked by a unit test")
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Due {
    pub label: String,
    pub due: Timestamp,
    pub done_at: Option<Timestamp>,
}

impl Due {
    pub fn overdue(&self, now: Timestamp) -> bool {
        self.done_at.is_none() && self.due <= now
    }
}

const FOLLOWUP: &str = "续报";

fn chinese_number(n: usize) -> String {
    const DIGITS: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        1..=9 => DIGITS[n].to_owned(),
        10 => "十".to_owned(),
        11..=19 => format!("十{}", DIGITS[n - 10]),
        20..=99 => format!("{}十{}", DIGITS[n / 10], DIGITS[n % 10]),
        _ => n.to_string(),
    }
}

/// The first configured follow-up time strictly after `after`, in `tz`.
fn next_followup(times: &[String], tz: &TimeZone, after: Timestamp) -> Option<Timestamp> {
    let local = after.to_zoned_datetime(tz.clone());
    let mut best: Option<Timestamp> = None;
    for day in 0..3 {
        let date = local.date().checked_add(jiff::Span::new().days(day)).ok()?;
        for t in times {
            let Some((h, m)) = t.split_once(':') else {
                continue;
            };
            let (Ok(h), Ok(m)) = (h.trim().parse::<i8>(), m.trim().parse::<i8>()) else {
                continue;
            };
            let Ok(time) = jiff::civil::Time::new(h, m, 0, 0) else {
                continue;
            };
            let Ok(z) = date.to_datetime(time).to_zoned_datetime(tz.clone()) else {
                continue;
            };
            let ts = z.timestamp();
            if ts > after && best.is_none_or(|b| ts < b) {
                best = Some(ts);
            }
        }
        if best.is_some() {
            break;
        }
    }
    best
}

/// Every report this incident owes or has made, in due order.
pub fn deadlines(incident: &Incident, rules: &ReportRules, tz: &TimeZone) -> Vec<Due> {
    let done = |kind: &str| {
        incident
            .timeline
            .iter()
            .filter(|e| e.kind == kind)
            .map(|e| e.at)
            .min()
    };
    let mut out: Vec<Due> = rules
        .rule
        .iter()
        .filter(|r| r.grade == incident.grade)
        .map(|r| Due {
            label: r.label.clone(),
            due: incident
                .opened_at
                .checked_add(SignedDuration::from_mins(r.within_minutes))
                .unwrap_or(Timestamp::MAX),
            done_at: done(&r.kind),
        })
        .collect();
    let first_report = out.iter().filter_map(|d| d.done_at).min();
    if incident.status == IncidentStatus::Open
        && rules.followup_grades.contains(&incident.grade)
        && let Some(first) = first_report
    {
        let followups: Vec<Timestamp> = incident
            .timeline
            .iter()
            .filter(|e| e.kind.starts_with(FOLLOWUP))
            .map(|e| e.at)
            .collect();
        let last = followups.iter().copied().max().unwrap_or(first).max(first);
        if let Some(due) = next_followup(&rules.followup_times, tz, last) {
            out.push(Due {
                label: format!("{FOLLOWUP}{}", chinese_number(followups.len() + 1)),
                due,
                done_at: None,
            });
        }
    }
    out.sort_by_key(|d| d.due);
    out
}

/// The report to watch: the earliest one not yet made.
pub fn next_due(incident: &Incident, rules: &ReportRules, tz: &TimeZone) -> Option<Due> {
    deadlines(incident, rules, tz)
        .into_iter()
        .find(|d| d.done_at.is_none())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::TimelineEntry;

    fn tz() -> TimeZone {
        TimeZone::get("Asia/Shanghai").unwrap()
    }

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn incident(grade: Grade, opened: &str, entries: &[(&str, &str)]) -> Incident {
        Incident {
            id: "i".into(),
            title: "t".into(),
            category: String::new(),
            grade,
            district: String::new(),
            status: IncidentStatus::Open,
            opened_at: ts(opened),
            updated_at: None,
            timeline: entries
                .iter()
                .map(|(at, kind)| TimelineEntry {
                    corrects: None,
                    seat: None,
                    id: format!("{at}{kind}"),
                    incident_id: "i".into(),
                    at: ts(at),
                    author: "甲".into(),
                    kind: (*kind).into(),
                    text: String::new(),
                    leader: None,
                    assignee: None,
                    refers_to: None,
                    idempotency_key: None,
                    seq: 0,
                })
                .collect(),
            seq: 0,
            origin: String::new(),
        }
    }

    #[test]
    fn default_rules_parse() {
        let r = ReportRules::default();
        assert_eq!(r.rule.len(), 6);
        assert_eq!(r.followup_times, ["08:00", "17:00"]);
    }

    #[test]
    fn a_major_event_owes_a_phone_report_in_30_and_a_written_one_in_60_minutes() {
        // 23:50 Shanghai: the deadlines fall after midnight, on the next local day.
        let i = incident(Grade::III, "2026-11-29T15:50:00Z", &[]);
        let d = deadlines(&i, &ReportRules::default(), &tz());
        assert_eq!(d[0].label, "电话初报");
        assert_eq!(d[0].due, ts("2026-11-29T16:20:00Z"));
        assert_eq!(d[1].due, ts("2026-11-29T16:50:00Z"));
        assert!(d[0].overdue(ts("2026-11-29T16:20:00Z")));
        assert!(!d[0].overdue(ts("2026-11-29T16:19:59Z")));
    }

    #[test]
    fn made_reports_are_done_and_follow_ups_fall_at_the_local_times() {
        // Opened 06:10 Shanghai, phone report 06:30: the first 续报 is due 08:00 Shanghai.
        let mut i = incident(
            Grade::III,
            "2026-11-28T22:10:00Z",
            &[("2026-11-28T22:30:00Z", "初报")],
        );
        let next = next_due(&i, &ReportRules::default(), &tz()).unwrap();
        assert_eq!(next.label, "书面报告");
        let all = deadlines(&i, &ReportRules::default(), &tz());
        let f = all.iter().find(|d| d.label == "续报一").unwrap();
        assert_eq!(f.due, ts("2026-11-29T00:00:00Z"));
        // After 续报一 at 08:05, 续报二 is due 17:00 the same day.
        i.timeline.push(
            incident(
                Grade::III,
                "2026-11-29T00:05:00Z",
                &[("2026-11-29T00:05:00Z", "续报")],
            )
            .timeline[0]
                .clone(),
        );
        let all = deadlines(&i, &ReportRules::default(), &tz());
        let f = all.iter().find(|d| d.label == "续报二").unwrap();
        assert_eq!(f.due, ts("2026-11-29T09:00:00Z"));
    }

    #[test]
    fn the_same_rules_in_another_zone_give_other_instants() {
        let i = incident(
            Grade::III,
            "2026-11-28T22:10:00Z",
            &[("2026-11-28T22:30:00Z", "初报")],
        );
        let ny = TimeZone::get("America/New_York").unwrap();
        let f = deadlines(&i, &ReportRules::default(), &ny)
            .into_iter()
            .find(|d| d.label == "续报一")
            .unwrap();
        // 22:30Z is 17:30 in New York: the next 08:00 there is 13:00Z.
        assert_eq!(f.due, ts("2026-11-29T13:00:00Z"));
    }

    #[test]
    fn a_general_event_owes_nothing_by_default() {
        let i = incident(Grade::IV, "2026-11-29T00:00:00Z", &[]);
        assert!(deadlines(&i, &ReportRules::default(), &tz()).is_empty());
    }

    #[test]
    fn follow_up_numbers_are_chinese() {
        assert_eq!(chinese_number(2), "二");
        assert_eq!(chinese_number(12), "十二");
        assert_eq!(chinese_number(21), "二十一");
    }
}
