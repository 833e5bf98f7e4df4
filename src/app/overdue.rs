//! What is overdue, worst first: the reports incidents owe past their time (deadlines of
//! instructions and tasks join this list when they have them). The header counts them and
//! the overdue list (`!`, `:overdue`) shows them.

use super::state::State;
use crate::model::Incident;
use jiff::Timestamp;

pub struct Overdue<'a> {
    pub incident: &'a Incident,
    /// The report owed (电话初报, 续报二 …), as the rules name it.
    pub label: String,
    pub due: Timestamp,
}

impl Overdue<'_> {
    /// Whole minutes past its time.
    pub fn minutes(&self, now: Timestamp) -> i64 {
        now.duration_since(self.due).as_secs() / 60
    }
}

/// Longest overdue first; at the same time, the higher grade first.
pub fn listed(state: &State) -> Vec<Overdue<'_>> {
    let mut all: Vec<Overdue<'_>> = state
        .records
        .incidents()
        .iter()
        .filter_map(|i| {
            let d = state.next_report(i).filter(|d| d.overdue(state.now))?;
            Some(Overdue {
                incident: i,
                label: d.label,
                due: d.due,
            })
        })
        .collect();
    all.sort_by(|a, b| {
        a.due
            .cmp(&b.due)
            .then_with(|| a.incident.grade.cmp(&b.incident.grade).reverse())
            .then_with(|| a.incident.id.cmp(&b.incident.id))
    });
    all
}

pub fn count(state: &State) -> usize {
    state
        .records
        .incidents()
        .iter()
        .filter(|i| state.next_report(i).is_some_and(|d| d.overdue(state.now)))
        .count()
}
