//! The shift handover review (交接班): built from what the console knows (alerts,
//! incidents, roster, reporting rules) for a window of time, then printed as Markdown or
//! JSON. The console's `h` view and `watchroom handover` share this one builder.

pub mod build;
pub mod cli;
pub mod markdown;

pub use build::{Inputs, build, shift_window};
pub use markdown::to_markdown;
