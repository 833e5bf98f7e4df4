//! Short human forms of times and ages, in the console's language.

use crate::app::Lang;
use jiff::{SignedDuration, Timestamp};

/// "12分钟" / "12m": how long ago `then` was at `now` (future instants read as "now").
pub fn age(lang: Lang, now: Timestamp, then: Timestamp) -> String {
    let secs = now.duration_since(then).as_secs().max(0);
    match secs {
        s if s < 60 => lang.t("age.now").to_owned(),
        s if s < 3600 => lang.f("age.minutes", &[("n", &(s / 60))]),
        s if s < 86_400 => lang.f("age.hours", &[("n", &(s / 3600))]),
        s => lang.f("age.days", &[("n", &(s / 86_400))]),
    }
}

/// The first instant after `now` at which `age(_, now, then)` reads differently: a pane
/// showing ages is drawn again then, not every second.
pub fn age_changes_at(now: Timestamp, then: Timestamp) -> Timestamp {
    let secs = now.duration_since(then).as_secs().max(0);
    let unit = match secs {
        s if s < 3600 => 60,
        s if s < 86_400 => 3600,
        _ => 86_400,
    };
    then + SignedDuration::from_secs((secs / unit + 1) * unit)
}

/// The next whole second after `now`: when a clock with seconds, a countdown or a blink
/// changes.
pub fn next_second(now: Timestamp) -> Timestamp {
    Timestamp::from_second(now.as_second().saturating_add(1)).unwrap_or(Timestamp::MAX)
}

/// "-04:10" style countdown / overrun: signed minutes and seconds.
pub fn countdown(d: SignedDuration) -> String {
    let secs = d.as_secs();
    let sign = if secs < 0 { "-" } else { "" };
    let a = secs.unsigned_abs();
    if a >= 3600 {
        format!("{sign}{}:{:02}:{:02}", a / 3600, (a % 3600) / 60, a % 60)
    } else {
        format!("{sign}{:02}:{:02}", a / 60, a % 60)
    }
}

/// "14:05" for an instant today (in `tz`), "11-28 14:05" for another day.
pub fn clock_at(now: Timestamp, t: Timestamp, tz: &jiff::tz::TimeZone) -> String {
    let (n, z) = (
        now.to_zoned_datetime(tz.clone()),
        t.to_zoned_datetime(tz.clone()),
    );
    if n.date() == z.date() {
        z.strftime("%H:%M").to_string()
    } else {
        z.strftime("%m-%d %H:%M").to_string()
    }
}

/// A date and time as each language writes it: "2026-11-29 周日 03:12" and
/// "Sun 29 Nov 2026 03:12" (with `:45` seconds when asked).
pub fn day_time(lang: Lang, t: &jiff::ZonedDateTime, seconds: bool) -> String {
    let time = t.strftime(if seconds { "%H:%M:%S" } else { "%H:%M" });
    lang.f(
        "date.day_time",
        &[
            ("date", &t.strftime(lang.t("date.date"))),
            (
                "weekday",
                &weekday(lang, t.weekday().to_monday_one_offset()),
            ),
            ("time", &time),
        ],
    )
}

/// The day of the week, Monday 1 … Sunday 7, in `lang`.
pub fn weekday(lang: Lang, n: i8) -> &'static str {
    match n {
        1 => lang.t("date.monday"),
        2 => lang.t("date.tuesday"),
        3 => lang.t("date.wednesday"),
        4 => lang.t("date.thursday"),
        5 => lang.t("date.friday"),
        6 => lang.t("date.saturday"),
        _ => lang.t("date.sunday"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_in_both_languages() {
        let now: Timestamp = "2026-11-29T12:00:00Z".parse().unwrap();
        let ago = |s: i64| now - SignedDuration::from_secs(s);
        assert_eq!(age(Lang::Zh, now, ago(30)), "刚刚");
        assert_eq!(age(Lang::Zh, now, ago(12 * 60 + 5)), "12分钟");
        assert_eq!(age(Lang::En, now, ago(2 * 3600)), "2h");
        assert_eq!(age(Lang::Zh, now, ago(3 * 86_400)), "3天");
        assert_eq!(
            age(Lang::Zh, now, now + SignedDuration::from_secs(90)),
            "刚刚"
        );
    }

    #[test]
    fn an_age_reads_the_same_until_it_changes_and_differently_from_then() {
        let then: Timestamp = "2026-11-29T12:00:00.25Z".parse().unwrap();
        let ns = SignedDuration::from_nanos(1);
        // From before `then` through minutes, hours and days, at uneven steps.
        let mut now = then - SignedDuration::from_secs(90);
        let mut changes = 0;
        while now < then + SignedDuration::from_hours(24 * 3) {
            let at = age_changes_at(now, then);
            assert!(at > now, "{now}: changes at {at}, not after");
            for lang in [Lang::Zh, Lang::En] {
                let shown = age(lang, now, then);
                assert_eq!(
                    age(lang, at - ns, then),
                    shown,
                    "{now}: still {shown} before {at}"
                );
                assert_ne!(age(lang, at, then), shown, "{now}: changes at {at}");
            }
            changes += 1;
            now = at + SignedDuration::from_secs(changes % 7);
        }
        assert!(
            changes >= 60 + 23,
            "minutes, then hours, then days: {changes} changes"
        );
    }

    #[test]
    fn the_next_second_is_whole_and_after_now() {
        let t: Timestamp = "2026-11-29T12:00:00.999Z".parse().unwrap();
        assert_eq!(next_second(t), "2026-11-29T12:00:01Z".parse().unwrap());
        let t: Timestamp = "2026-11-29T12:00:01Z".parse().unwrap();
        assert_eq!(next_second(t), "2026-11-29T12:00:02Z".parse().unwrap());
    }

    #[test]
    fn clock_at_names_the_day_only_when_it_is_not_today() {
        let tz = jiff::tz::TimeZone::get("Asia/Shanghai").unwrap();
        let now: Timestamp = "2026-11-29T06:00:00Z".parse().unwrap();
        let earlier: Timestamp = "2026-11-29T01:05:00Z".parse().unwrap();
        assert_eq!(clock_at(now, earlier, &tz), "09:05");
        let yesterday: Timestamp = "2026-11-28T15:59:00Z".parse().unwrap();
        assert_eq!(clock_at(now, yesterday, &tz), "11-28 23:59");
    }

    #[test]
    fn dates_read_as_each_language_writes_them() {
        let t: Timestamp = "2026-11-28T19:12:45Z".parse().unwrap();
        let z = t.to_zoned_datetime(jiff::tz::TimeZone::get("Asia/Shanghai").unwrap());
        assert_eq!(day_time(Lang::Zh, &z, false), "2026-11-29 周日 03:12");
        assert_eq!(day_time(Lang::En, &z, false), "Sun 29 Nov 2026 03:12");
        assert_eq!(day_time(Lang::En, &z, true), "Sun 29 Nov 2026 03:12:45");
        let z = "2026-12-07T09:05:00+08:00[Asia/Shanghai]"
            .parse::<jiff::ZonedDateTime>()
            .unwrap();
        assert_eq!(day_time(Lang::En, &z, false), "Mon 7 Dec 2026 09:05");
    }

    #[test]
    fn countdowns_are_signed() {
        assert_eq!(countdown(SignedDuration::from_secs(-250)), "-04:10");
        assert_eq!(countdown(SignedDuration::from_secs(3725)), "1:02:05");
    }
}
