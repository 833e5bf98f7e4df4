//! The on-call roster: who holds which duty role, when.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// 带班领导, 值班长, 值班员, 备班 — in that order of precedence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DutyRole {
    Leader,
    Chief,
    Officer,
    Standby,
}

impl DutyRole {
    pub const ALL: [DutyRole; 4] = [
        DutyRole::Leader,
        DutyRole::Chief,
        DutyRole::Officer,
        DutyRole::Standby,
    ];

    pub fn zh(self) -> &'static str {
        match self {
            DutyRole::Leader => "带班领导",
            DutyRole::Chief => "值班长",
            DutyRole::Officer => "值班员",
            DutyRole::Standby => "备班",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            DutyRole::Leader => "Leader",
            DutyRole::Chief => "Chief",
            DutyRole::Officer => "Officer",
            DutyRole::Standby => "Standby",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Shift {
    #[serde(default)]
    pub id: String,
    pub role: DutyRole,
    pub person: String,
    #[serde(default)]
    pub phone: String,
    pub start: Timestamp,
    pub end: Timestamp,
    /// Which configured source of the console this came from; never on the wire.
    #[serde(skip)]
    pub origin: String,
}

impl Shift {
    pub fn covers(&self, t: Timestamp) -> bool {
        self.start <= t && t < self.end
    }
}

/// The people on duty at `now`, and the next shift's people (those starting at the
/// earliest start after `now`), each sorted by role.
pub fn on_duty(shifts: &[Shift], now: Timestamp) -> (Vec<&Shift>, Vec<&Shift>) {
    let mut current: Vec<&Shift> = shifts.iter().filter(|s| s.covers(now)).collect();
    current.sort_by(|a, b| a.role.cmp(&b.role).then_with(|| a.person.cmp(&b.person)));
    let next_start = shifts.iter().map(|s| s.start).filter(|&s| s > now).min();
    let mut next: Vec<&Shift> = match next_start {
        Some(t) => shifts.iter().filter(|s| s.start == t).collect(),
        None => Vec::new(),
    };
    next.sort_by(|a, b| a.role.cmp(&b.role).then_with(|| a.person.cmp(&b.person)));
    (current, next)
}

/// The next instant after `now` at which `on_duty` answers differently: a shift starts
/// or ends.
pub fn on_duty_changes_at(shifts: &[Shift], now: Timestamp) -> Option<Timestamp> {
    shifts
        .iter()
        .flat_map(|s| [s.start, s.end])
        .filter(|&t| t > now)
        .min()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shift(role: DutyRole, person: &str, start: &str, end: &str) -> Shift {
        Shift {
            id: person.into(),
            role,
            person: person.into(),
            phone: String::new(),
            start: start.parse().unwrap(),
            end: end.parse().unwrap(),
            origin: String::new(),
        }
    }

    #[test]
    fn on_duty_splits_now_and_next_by_role() {
        let shifts = vec![
            shift(
                DutyRole::Officer,
                "乙",
                "2026-11-29T00:30:00Z",
                "2026-11-30T00:30:00Z",
            ),
            shift(
                DutyRole::Leader,
                "甲",
                "2026-11-29T00:30:00Z",
                "2026-11-30T00:30:00Z",
            ),
            shift(
                DutyRole::Leader,
                "丙",
                "2026-11-30T00:30:00Z",
                "2026-12-01T00:30:00Z",
            ),
            shift(
                DutyRole::Leader,
                "丁",
                "2026-12-01T00:30:00Z",
                "2026-12-02T00:30:00Z",
            ),
        ];
        let now: Timestamp = "2026-11-29T19:00:00Z".parse().unwrap();
        let (cur, next) = on_duty(&shifts, now);
        assert_eq!(
            cur.iter().map(|s| s.person.as_str()).collect::<Vec<_>>(),
            ["甲", "乙"]
        );
        assert_eq!(
            next.iter().map(|s| s.person.as_str()).collect::<Vec<_>>(),
            ["丙"]
        );
        // The end instant belongs to the next shift, not this one.
        let (cur, _) = on_duty(&shifts, "2026-11-30T00:30:00Z".parse().unwrap());
        assert_eq!(cur[0].person, "丙");
    }

    #[test]
    fn who_is_on_duty_changes_only_where_a_shift_starts_or_ends() {
        let shifts = vec![
            shift(
                DutyRole::Officer,
                "乙",
                "2026-11-29T00:30:00Z",
                "2026-11-29T12:30:00Z",
            ),
            shift(
                DutyRole::Officer,
                "丙",
                "2026-11-29T12:30:00Z",
                "2026-11-30T00:30:00Z",
            ),
        ];
        let names = |now: Timestamp| {
            let (cur, next) = on_duty(&shifts, now);
            let n = |v: Vec<&Shift>| v.iter().map(|s| s.person.clone()).collect::<Vec<_>>();
            (n(cur), n(next))
        };
        let now: Timestamp = "2026-11-29T03:00:00Z".parse().unwrap();
        let at = on_duty_changes_at(&shifts, now).unwrap();
        assert_eq!(at, "2026-11-29T12:30:00Z".parse::<Timestamp>().unwrap());
        assert_eq!(names(at - jiff::SignedDuration::from_nanos(1)), names(now));
        assert_ne!(names(at), names(now));
        let last: Timestamp = "2026-11-30T00:30:00Z".parse().unwrap();
        assert_eq!(on_duty_changes_at(&shifts, last), None);
    }
}
