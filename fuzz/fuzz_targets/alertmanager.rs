//! Fuzz target: Alertmanager API v2 answers and webhook payloads.
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use watchroom::feeds::FeedKind;

fuzz_target!(|data: &[u8]| {
    common::run(FeedKind::Alertmanager, data);
});
