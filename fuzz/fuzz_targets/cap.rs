//! Fuzz target: CAP messages (also EDXL-DE and the SMHI wrapper) and, through the same entry point, ATOM indexes.
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use watchroom::feeds::FeedKind;

fuzz_target!(|data: &[u8]| {
    common::run(FeedKind::Cap, data);
});
