//! Loading and keeping current the office's own data — the expert pool, the roster with
//! its shift swaps, the office's name, zone and handover time — from `watchroom admin`
//! on the server machine (against the database `watchroom serve` uses, while it serves)
//! and from the admin-only API routes. Both run the same operations here: the file is
//! read and checked first, then the change is made in one transaction, recorded in the
//! admin log (who, when, through what, what was there before) and announced with an
//! event so that consoles refresh.

pub mod backup;
pub mod cli;
pub mod experts;
pub mod org;
pub mod roster;
pub mod users;

pub use super::store::admin_log::{Actor, LogEntry};
pub use super::store::roster::{ImportChange, RosterShift, Swap, SwapRequest};

use super::error::{ApiFailure, ApiResult};
use super::events::Bus;
use super::store::{self, Store};
use std::path::Path;

/// Opens the database `watchroom serve` uses (creating it, empty, if new) for changes
/// made beside the running server. SQLite in WAL mode lets both write to it: each change
/// waits for the other's transaction (`store::BUSY_TIMEOUT`), and the server streams
/// what was changed here to its consoles within a second.
pub fn open(db: &Path) -> anyhow::Result<(Store, store::Opened)> {
    let (conn, opened) = store::open(db)?;
    Ok((Store::new(conn, Bus::new())?, opened))
}

/// The longest name (`by`, `asked_by`, a person) taken.
const MAX_NAME: usize = 64;

/// A person's name from a request or the command line: trimmed, not empty, not too
/// long, no control characters.
pub fn name(field: &str, value: &str) -> ApiResult<String> {
    let v = crate::model::text::sanitize(value).trim().to_owned();
    if v.is_empty() {
        return Err(ApiFailure::field(
            field,
            format!("`{field}` is empty: say who"),
        ));
    }
    if v.chars().count() > MAX_NAME {
        return Err(ApiFailure::field(
            field,
            format!("`{field}` is longer than {MAX_NAME} characters"),
        ));
    }
    Ok(v)
}

/// The refusal of a file with bad rows: every problem on its own line.
fn refused(origin: &str, rejected: &[String], hint: &str) -> ApiFailure {
    let n = rejected.len();
    let mut text = format!(
        "{origin}: {n} bad row{} — nothing was imported ({hint}):",
        if n == 1 { "" } else { "s" }
    );
    for r in rejected {
        text.push('\n');
        text.push_str(r);
    }
    ApiFailure::field("body", text)
}
