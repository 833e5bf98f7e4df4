//! watchroom: a keyboard-driven watch console for an emergency-management duty room,
//! and the reference duty backend it talks to.
// Denied, not forbidden, for two calls into the allocator (`memory`), whose reasons stand
// beside them.
#![deny(unsafe_code)]

pub mod app;
pub mod client;
pub mod config;
pub mod console;
pub mod crash;
pub mod demo;
pub mod experts;
pub mod feeds;
pub mod file_error;
pub mod handover;
pub mod look;
pub mod memory;
pub mod model;
pub mod notify;
pub mod private_file;
pub mod secret;
pub mod server;
pub mod sources;
pub mod store;
pub mod ui;
pub mod words;
