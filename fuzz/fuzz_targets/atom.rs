//! Fuzz target: ATOM and RSS indexes of CAP.
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use watchroom::feeds::FeedKind;

fuzz_target!(|data: &[u8]| {
    // Index documents go through the ATOM/RSS reader directly.
    let o = common::opts();
    let _ = watchroom::feeds::atom::parse(data, &o);
    common::run(FeedKind::Cap, data);
});
