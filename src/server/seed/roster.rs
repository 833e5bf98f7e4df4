//! The demo roster: one shift per day per seat, handing over at a fixed local time.

use crate::model::Shift;
use crate::server::data;
use anyhow::Context;
use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;
use jiff::{Span, Timestamp};

/// People rotate by calendar day counted from here, so a date always shows the same
/// people no matter when the server was started.
const ROTATION_EPOCH: Date = Date::constant(2020, 1, 1);

/// The handover instant of `date` in `tz`.
fn handover_on(date: Date, at: Time, tz: &TimeZone) -> anyhow::Result<Timestamp> {
    Ok(date
        .to_datetime(at)
        .to_zoned_datetime(tz.clone())
        .with_context(|| format!("no {at} on {date} in the roster's time zone"))?
        .timestamp())
}

/// The demo shifts from `days_before` days before the local date of `now` to
/// `days_after` days after it.
pub fn shifts(now: Timestamp) -> anyhow::Result<Vec<Shift>> {
    let r = data::roster()?;
    let tz = TimeZone::get(&r.timezone).with_context(|| {
        format!(
            "src/server/demo/roster.toml: unknown timezone {:?}",
            r.timezone
        )
    })?;
    let at: Time = r.handover.parse().with_context(|| {
        format!(
            "src/server/demo/roster.toml: handover {:?} is not HH:MM",
            r.handover
        )
    })?;
    let today = now.to_zoned_datetime(tz.clone()).date();
    let mut out = Vec::new();
    for offset in -r.days_before..=r.days_after {
        let date = today.checked_add(Span::new().days(offset))?;
        let start = handover_on(date, at, &tz)?;
        let end = handover_on(date.tomorrow()?, at, &tz)?;
        let day = date
            .duration_since(ROTATION_EPOCH)
            .as_hours()
            .div_euclid(24);
        for seat in &r.seats {
            if seat.people.is_empty() {
                anyhow::bail!(
                    "src/server/demo/roster.toml: seat {:?} has no people",
                    seat.role
                );
            }
            for k in 0..seat.count {
                let n = seat.people.len() as i64;
                let pick = (day * seat.count as i64 + k as i64).rem_euclid(n) as usize;
                let person = &seat.people[pick];
                out.push(Shift {
                    origin: String::new(),
                    id: format!("shift-{date}-{}-{}", seat.role.en().to_lowercase(), k + 1),
                    role: seat.role,
                    person: person.name.clone(),
                    phone: person.phone.clone(),
                    start,
                    end,
                });
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::DutyRole;
    use crate::model::roster::on_duty;

    #[test]
    fn every_instant_has_a_full_watch() {
        // Around midnight, the handover minute and a DST-free zone's whole day.
        for now in [
            "2026-11-29T00:29:59+08:00",
            "2026-11-29T00:30:00Z",
            "2026-11-28T16:00:00Z",
            "2026-06-30T23:59:59-07:00",
        ] {
            let now: Timestamp = now.parse().unwrap();
            let all = shifts(now).unwrap();
            let (current, next) = on_duty(&all, now);
            let roles: Vec<DutyRole> = current.iter().map(|s| s.role).collect();
            assert_eq!(
                roles,
                [
                    DutyRole::Leader,
                    DutyRole::Chief,
                    DutyRole::Officer,
                    DutyRole::Officer,
                    DutyRole::Standby
                ],
                "at {now}"
            );
            assert_eq!(next.len(), 5);
            let local = current[0].start.in_tz("Asia/Shanghai").unwrap();
            assert_eq!((local.hour(), local.minute()), (8, 30));
            assert_ne!(current[2].person, current[3].person);
        }
    }

    #[test]
    fn a_date_always_gets_the_same_people() {
        let a = shifts("2026-11-29T12:00:00Z".parse().unwrap()).unwrap();
        let b = shifts("2026-11-30T12:00:00Z".parse().unwrap()).unwrap();
        let same = a
            .iter()
            .find(|s| s.id.starts_with("shift-2026-11-30-leader"))
            .unwrap();
        assert_eq!(Some(same), b.iter().find(|s| s.id == same.id));
    }
}
