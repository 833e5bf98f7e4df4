//! Fills a new database with the fictional demo data set, and keeps the demo roster
//! reaching into the future for a server that runs for weeks.

mod experts;
mod records;
mod roster;

pub use experts::directory;
pub use roster::shifts;

use super::store::{self, Store};
use jiff::Timestamp;

/// The fictional city's office (see `demo/city.toml`).
pub const DEMO_OFFICE: &str = "测试市应急管理局";

/// Seeds everything in one transaction: either the whole demo data set is there or none.
pub fn seed(store: &Store, now: Timestamp) -> anyhow::Result<()> {
    let dir = directory()?;
    let plan = records::plan(now)?;
    let shifts = shifts(now)?;
    let roster = super::data::roster()?;
    let office = crate::model::Office {
        name: DEMO_OFFICE.to_owned(),
        zone: roster.timezone,
        handover: roster.handover,
    };
    let seeder = store::admin_log::Actor::new("watchroom demo data", "seed");
    store.write_blocking(|ch| {
        store::experts::replace_all(&ch.tx, &dir)?;
        store::roster::insert_missing(&ch.tx, &shifts)?;
        // Before the records, so that the newest stored change is still a record's.
        store::org::set(ch, &office, &seeder, now)?;
        records::apply(ch, plan)?;
        store::mark_seeded(&ch.tx, now)
    })?;
    Ok(())
}

/// Adds the demo shifts around `now` that are not stored yet (one per day per seat).
pub fn top_up_roster(store: &Store, now: Timestamp) -> anyhow::Result<usize> {
    let shifts = shifts(now)?;
    Ok(store.write_blocking(|ch| store::roster::insert_missing(&ch.tx, &shifts))?)
}
