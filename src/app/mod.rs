//! The console's logic, Elm-style: `State` is the only truth, `update` the only place
//! that changes it (no I/O: it returns `Effect`s), and the UI draws from `&State`.

pub mod action;
pub mod alert_key;
pub mod cache_head;
pub mod command;
pub mod command_line;
pub mod deadlines;
pub mod detail;
pub mod experts_view;
pub mod filter;
pub mod form;
pub mod handover_view;
pub mod help;
pub mod instructions;
pub mod keymap;
pub mod line_edit;
pub mod lists;
pub mod msg;
pub mod pending;
pub mod retention;
pub mod rooms;
pub mod silences;
pub mod state;
pub mod update;
pub mod wall;
pub mod watch;
pub mod words;
pub mod workflow;

pub use action::Action;
pub use alert_key::AlertKey;
pub use msg::{Effect, Msg};
pub use state::{DetailTarget, Lang, Overlay, Pane, SourceHealth, SourceStatus, State};
pub use update::update;
