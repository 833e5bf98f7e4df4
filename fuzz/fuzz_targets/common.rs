//! What every target shares: fixed time and zone, and the checks run on every result.

use watchroom::feeds::{self, FeedKind, ParseOptions};

pub fn opts() -> ParseOptions {
    let now = "2026-11-29T03:00:00+08:00".parse().unwrap_or_default();
    let zone = jiff::tz::TimeZone::get("Asia/Shanghai").unwrap_or(jiff::tz::TimeZone::UTC);
    let mut o = ParseOptions::new("fuzz", now, zone);
    // A wide window makes the recurrence expander work hard.
    o.window = (
        "2000-01-01T00:00:00Z".parse().unwrap_or_default(),
        "2040-01-01T00:00:00Z".parse().unwrap_or_default(),
    );
    o
}

pub fn run(kind: FeedKind, data: &[u8]) {
    let o = opts();
    if let Ok(p) = feeds::parse(kind, data, &o) {
        for a in &p.alerts {
            // Whatever came in, nothing that reaches the screen may carry a control character.
            for s in [
                a.title.as_str(),
                a.description.as_str(),
                a.area.as_str(),
                a.source.as_str(),
                a.extra.headline.as_str(),
            ] {
                assert!(
                    !s.chars().any(|c| c.is_control()),
                    "control character in {s:?}"
                );
            }
            assert_eq!(a.level, a.colour.level());
        }
        for s in &p.shifts {
            assert!(s.end >= s.start, "shift ends before it starts");
            assert!(s.start < o.window.1, "shift outside the window");
        }
        for l in &p.pending {
            assert!(l.stub < p.alerts.len());
        }
    }
}
