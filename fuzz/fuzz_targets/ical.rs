//! Fuzz target: iCalendar rosters: lines, zones, RRULE expansion and overrides.
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use watchroom::feeds::FeedKind;

fuzz_target!(|data: &[u8]| {
    common::run(FeedKind::Ical, data);
});
