//! What several test modules share: the fixed watch-room state, a misbehaving HTTP server
//! and the real binary in a pseudo-terminal.

pub mod fault_server;
pub mod fixture;
pub mod people;
pub mod pty;
