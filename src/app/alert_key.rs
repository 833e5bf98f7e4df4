//! Which alert: its source and its id there. Two sources may use one id (the same CAP
//! message from the duty API and a feed, two Alertmanager instances), so the id alone
//! does not say which alert the officer chose.

use crate::model::{Alert, Word};
use compact_str::CompactString;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AlertKey {
    /// The console source the alert came from (`Alert::origin`).
    pub origin: Word,
    pub id: CompactString,
}

impl AlertKey {
    pub fn of(a: &Alert) -> AlertKey {
        AlertKey {
            origin: a.origin.clone(),
            id: a.id.clone(),
        }
    }

    pub fn new(origin: &str, id: &str) -> AlertKey {
        AlertKey {
            origin: Word::intern(origin),
            id: id.into(),
        }
    }

    /// `a` is this alert.
    pub fn is(&self, a: &Alert) -> bool {
        a.id == self.id && a.origin == self.origin
    }
}
