//! Fuzz target: GeoJSON: api.weather.gov alerts and USGS earthquakes.
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use watchroom::feeds::FeedKind;

fuzz_target!(|data: &[u8]| {
    common::run(FeedKind::Nws, data);
    common::run(FeedKind::Usgs, data);
});
