//! What the sources said: alerts, incidents, the roster, source health, the expert pool
//! and handovers — with what is kept worked out from them (the sorted wall, the index by
//! source and id, each incident's next report and corrections), which every change through
//! these methods puts out of date.

use super::health::SourceHealth;
use crate::app::alert_key::AlertKey;
use crate::app::cache_head::Restoring;
use crate::app::corrections::Corrections;
use crate::app::deadlines::{Due, ReportRules, next_due};
use crate::app::experts::ExpertPool;
use crate::app::retention::Looked;
use crate::app::wall::{self, Index, Wall};
use crate::model::{Alert, Handover, Incident, IncidentStatus, Shift};
use jiff::tz::TimeZone;
use std::borrow::Cow;

#[derive(Debug, Clone, Default)]
pub struct Records {
    /// Changed only through `alerts_mut` and `upsert_alert`, which keep `wall` and
    /// `index` honest.
    pub(super) alerts: Vec<Alert>,
    pub(super) wall: Wall,
    pub(super) index: Index,
    /// Changed through `incidents_mut`, which puts their report deadlines out of date.
    pub(super) incidents: Vec<Incident>,
    pub(super) report_rules: ReportRules,
    /// Each incident's next report, in the incidents' order, for the incidents and rules
    /// as they are; None: out of date. The time-zone arithmetic over every timeline would
    /// otherwise run several times a frame.
    pub(super) dues: Option<Vec<Option<Due>>>,
    /// What corrects what on each incident's timeline, in the incidents' order; None: out
    /// of date. Kept for the same reason as `dues`: the timeline is drawn row by row.
    pub(super) corrections: Option<Vec<Corrections>>,
    pub shifts: Vec<Shift>,
    pub sources: Vec<SourceHealth>,
    /// Sources shown from the head of their cache while the rest is read.
    pub restoring: Restoring,
    /// When `retention` last looked, and when it next has something to do.
    pub retention: Looked,
    /// The expert pool and its search index, once the backend has sent it.
    pub expert_pool: Option<ExpertPool>,
    /// Handover records from the backend, newest first.
    pub handovers: Vec<Handover>,
}

impl Records {
    /// Every alert this console knows, in the order they came.
    pub fn alerts(&self) -> &[Alert] {
        &self.alerts
    }

    /// The alerts to change: the wall and the index are worked out again afterwards.
    pub fn alerts_mut(&mut self) -> &mut Vec<Alert> {
        self.wall.built_at = None;
        self.retention.changed();
        self.index.valid = false;
        &mut self.alerts
    }

    /// The alert from `origin` with this id, to change (not its origin or id).
    pub fn alert_mut(&mut self, origin: &str, id: &str) -> Option<&mut Alert> {
        if !self.index.valid {
            self.index.rebuild(&self.alerts);
        }
        let i = self.index.find(&self.alerts, origin, id)?;
        self.wall.built_at = None;
        self.retention.changed();
        self.alerts.get_mut(i)
    }

    /// Put an alert in place of the one with its (origin, id), or add it; true when new.
    pub fn upsert_alert(&mut self, a: Alert) -> bool {
        self.wall.built_at = None;
        self.retention.changed();
        if !self.index.valid {
            self.index.rebuild(&self.alerts);
        }
        match self.index.find(&self.alerts, &a.origin, &a.id) {
            Some(i) => {
                self.alerts[i] = a;
                false
            }
            None => {
                let at = self.alerts.len() as u32;
                self.index
                    .by_key
                    .entry(wall::key(&a.origin, &a.id))
                    .or_insert(at);
                self.alerts.push(a);
                true
            }
        }
    }

    /// The most severe colour this console already knew for the warning `a` brings
    /// (under the ids of `policy::earlier_ids`, from the same source).
    pub fn previous_colour(&mut self, a: &Alert) -> Option<crate::model::Colour> {
        if !self.index.valid {
            self.index.rebuild(&self.alerts);
        }
        let (index, alerts) = (&self.index, &self.alerts);
        let ids = || crate::notify::policy::earlier_ids(a);
        if index.duplicates {
            // Every copy counts: the most severe colour among them.
            return alerts
                .iter()
                .filter(|k| k.origin == a.origin && ids().any(|id| k.id == id))
                .map(|k| k.colour)
                .max();
        }
        ids()
            .filter_map(|id| index.find(alerts, &a.origin, id))
            .map(|i| alerts[i].colour)
            .max()
    }

    /// Alerts that carry a silence, active or ended (few: the tick looks only at these).
    pub fn alerts_with_silence(&self) -> Box<dyn Iterator<Item = &Alert> + '_> {
        // Whether an alert carries a silence does not change with the clock.
        if self.wall.built_at.is_some() {
            let alerts = &self.alerts;
            let with = &self.wall.built.with_silence;
            return Box::new(with.iter().map(|&i| &alerts[i as usize]));
        }
        Box::new(self.alerts.iter().filter(|a| a.silence.is_some()))
    }

    /// The alert from `origin` with this id, if held.
    pub fn alert(&self, origin: &str, id: &str) -> Option<&Alert> {
        // An out-of-date index scans, as `Index::find` does by itself.
        self.index
            .find(&self.alerts, origin, id)
            .and_then(|i| self.alerts.get(i))
    }

    pub fn alert_at(&self, key: &AlertKey) -> Option<&Alert> {
        self.alert(&key.origin, &key.id)
    }

    /// The first alert held with this id, whatever its source: only where the id is known
    /// to be the only one (tests, a single source); the selection uses `alert_at`.
    pub fn find_alert(&self, id: &str) -> Option<&Alert> {
        self.alerts.iter().find(|a| a.id == id)
    }

    /// Every incident this console knows.
    pub fn incidents(&self) -> &[Incident] {
        &self.incidents
    }

    /// The incidents to change: their report deadlines are worked out again afterwards.
    pub fn incidents_mut(&mut self) -> &mut Vec<Incident> {
        self.dues = None;
        self.corrections = None;
        self.retention.changed();
        &mut self.incidents
    }

    pub fn find_incident(&self, id: &str) -> Option<&Incident> {
        self.incidents.iter().find(|i| i.id == id)
    }

    pub fn report_rules(&self) -> &ReportRules {
        &self.report_rules
    }

    /// The rules to change: every deadline is worked out again afterwards.
    pub fn report_rules_mut(&mut self) -> &mut ReportRules {
        self.dues = None;
        &mut self.report_rules
    }

    /// Work out each incident's next report again if the incidents or rules changed.
    pub fn refresh_dues(&mut self, tz: &TimeZone) {
        if self.dues.is_none() {
            let (incidents, rules) = (&self.incidents, &self.report_rules);
            self.dues = Some(incidents.iter().map(|i| due(i, rules, tz)).collect());
        }
    }

    /// The next report incident `i` owes: kept if `i` is one of these incidents and the
    /// kept deadlines are up to date, else worked out now.
    pub fn next_report(&self, i: &Incident, tz: &TimeZone) -> Option<Due> {
        let kept = self.dues.as_ref().and_then(|dues| {
            let place = self.incidents.iter().position(|x| std::ptr::eq(x, i))?;
            dues.get(place)
        });
        match kept {
            Some(d) => d.clone(),
            None => due(i, &self.report_rules, tz),
        }
    }

    /// Work out each incident's corrections again if the incidents changed.
    pub fn refresh_corrections(&mut self) {
        if self.corrections.is_none() {
            let of = |i: &Incident| Corrections::of(&i.timeline);
            self.corrections = Some(self.incidents.iter().map(of).collect());
        }
    }

    /// What corrects what on incident `i`'s timeline: kept if `i` is one of these
    /// incidents and the kept ones are up to date, else worked out now.
    pub fn corrections(&self, i: &Incident) -> Cow<'_, Corrections> {
        let kept = self.corrections.as_ref().and_then(|kept| {
            let place = self.incidents.iter().position(|x| std::ptr::eq(x, i))?;
            kept.get(place)
        });
        match kept {
            Some(c) => Cow::Borrowed(c),
            None => Cow::Owned(Corrections::of(&i.timeline)),
        }
    }

    pub fn health(&self, name: &str) -> Option<&SourceHealth> {
        self.sources.iter().find(|s| s.name == name)
    }
}

/// The next report an open incident owes under these rules.
fn due(i: &Incident, rules: &ReportRules, tz: &TimeZone) -> Option<Due> {
    (i.status == IncidentStatus::Open)
        .then(|| next_due(i, rules, tz))
        .flatten()
}
