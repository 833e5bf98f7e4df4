//! The integration tests, one binary: each area is a module, so the library and its
//! dependencies are linked into one test executable instead of one per area. Run one area
//! with `cargo test --test it <module>::`, e.g. `cargo test --test it api::`.
#![forbid(unsafe_code)]

mod support;

mod admin;
mod api;
mod backup;
mod cache_head;
mod command_line;
mod corpus;
mod corrections;
mod duty_actions;
mod e2e_ack;
mod e2e_demo;
mod e2e_store;
mod experts_import;
mod experts_search;
mod faults;
mod handover;
mod listener;
mod look;
// The allocator's give_back is only measured against glibc: elsewhere it returns nothing.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
mod memory;
mod metrics;
mod notify;
mod notify_dbus;
mod overdue;
mod panes;
mod people;
#[cfg(unix)]
mod private_files;
mod screens;
mod serve_tokens;
mod staleness;
mod strict_input;
mod terminal;
mod text_cells;
mod tls;
mod update;
mod wall;
mod workflow;
