//! The console's logic, Elm-style: `State` is the only truth, `update` the only place
//! that changes it (no I/O: it returns `Effect`s), and the UI draws from `&State`.

pub mod ack;
pub mod action;
pub mod alert_key;
pub mod cache_head;
pub mod command;
pub mod command_line;
pub mod corrections;
pub mod deadlines;
pub mod detail;
pub mod duty_log;
pub mod experts;
pub mod filter;
pub mod flash;
pub mod form;
pub mod handover;
pub mod help;
pub mod instructions;
pub mod intake;
pub mod keymap;
pub mod line_edit;
pub mod lists;
pub mod msg;
pub mod officer;
pub mod outbox;
pub mod overdue;
pub mod pending;
pub mod retention;
pub mod rooms;
pub mod silences;
pub mod state;
pub mod update;
pub mod wall;
pub mod watch;
pub mod words;

pub use action::Action;
pub use alert_key::AlertKey;
pub use msg::{Effect, Msg};
pub use state::{DetailTarget, Lang, Overlay, Pane, SourceHealth, SourceStatus, State};
pub use update::update;
