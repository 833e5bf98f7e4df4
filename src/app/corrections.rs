//! Corrections (更正): nothing on a timeline is edited or deleted, so a mistake is put right
//! by a new entry that names the one it corrects, and both stay. Here: the form that writes
//! one, and which entries of a timeline correct which, worked out once when the incidents
//! change (`Records::corrections`) so that drawing a row only looks it up.

use super::duty_log::{EntryDraft, log_entry};
use super::flash::flash;
use super::form::Form;
use super::msg::Effect;
use super::officer::need_officer;
use super::state::{Overlay, State};
use crate::model::{Incident, TimelineEntry};
use std::collections::HashMap;

/// The kind of a correcting entry, as the duty API names it.
pub const CORRECTION: &str = "更正";
/// How many of an incident's newest entries the correction form offers: a mistake is
/// noticed soon, and a choice stepped through with ←/→ must stay short.
pub const OFFERED: usize = 20;

/// What corrects what on one timeline, by position in it. Empty (and unallocated) for a
/// timeline without corrections, which is nearly every one.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Corrections {
    /// Entries some entry corrects, ascending.
    corrected: Vec<u32>,
    /// Each correction and the entry it corrects (None: not on this timeline), ascending
    /// by the correction.
    targets: Vec<(u32, Option<u32>)>,
}

impl Corrections {
    pub fn of(timeline: &[TimelineEntry]) -> Corrections {
        if timeline.iter().all(|e| e.corrects.is_none()) {
            return Corrections::default();
        }
        let at: HashMap<&str, u32> = timeline
            .iter()
            .enumerate()
            .map(|(n, e)| (e.id.as_str(), n as u32))
            .collect();
        let mut c = Corrections::default();
        for (n, e) in timeline.iter().enumerate() {
            if let Some(id) = &e.corrects {
                let target = at.get(id.as_str()).copied();
                c.targets.push((n as u32, target));
                c.corrected.extend(target);
            }
        }
        c.corrected.sort_unstable();
        c.corrected.dedup();
        c
    }

    /// Whether a later entry corrects the entry at `at`.
    pub fn is_corrected(&self, at: usize) -> bool {
        self.corrected.binary_search(&(at as u32)).is_ok()
    }

    /// Where the entry it corrects is, for the correction at `at`; None when `at` is no
    /// correction or what it corrects is not on this timeline.
    pub fn target(&self, at: usize) -> Option<usize> {
        let n = self
            .targets
            .binary_search_by_key(&(at as u32), |(c, _)| *c)
            .ok()?;
        self.targets[n].1.map(|t| t as usize)
    }
}

/// The entries a correction may name, newest first: those the backend has. A copy still
/// in the outbox has no id of the backend's yet, and a correction names an entry by it.
pub fn offered(incident: &Incident) -> Vec<&TimelineEntry> {
    incident
        .timeline
        .iter()
        .rev()
        .filter(|e| e.idempotency_key.as_deref() != Some(e.id.as_str()))
        .take(OFFERED)
        .collect()
}

/// Open the correction form on the selected incident.
pub fn open(state: &mut State) {
    if need_officer(state) {
        return;
    }
    let Some((id, ids)) = state.selected_incident().map(|i| {
        let ids: Vec<String> = offered(i).iter().map(|e| e.id.clone()).collect();
        (i.id.clone(), ids)
    }) else {
        flash(state, state.lang().t("workflow.no_incident").to_owned());
        return;
    };
    if ids.is_empty() {
        flash(state, state.lang().t("corrections.nothing").to_owned());
        return;
    }
    let form = Form::correction(id, ids);
    state.view.overlay = Overlay::Form(form);
}

/// The correcting entry as the officer wrote it: `corrects` is the id of the entry.
pub fn draft(corrects: &str, text: String) -> EntryDraft {
    EntryDraft {
        corrects: Some(corrects.to_owned()),
        ..EntryDraft::new(CORRECTION, text)
    }
}

pub fn submit(state: &mut State, incident_id: &str, corrects: &str, text: String) -> Vec<Effect> {
    let effects: Vec<Effect> = log_entry(state, incident_id, draft(corrects, text))
        .into_iter()
        .collect();
    if !effects.is_empty() {
        flash(state, state.lang().t("corrections.recorded").to_owned());
    }
    effects
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::command::CommandBody;
    use jiff::Timestamp;

    fn entry(id: &str, corrects: Option<&str>) -> TimelineEntry {
        TimelineEntry {
            id: id.into(),
            incident_id: "i-1".into(),
            at: Timestamp::UNIX_EPOCH,
            author: "测试甲".into(),
            kind: "续报".into(),
            text: "伤者 3 人".into(),
            leader: None,
            assignee: None,
            refers_to: None,
            idempotency_key: None,
            corrects: corrects.map(str::to_owned),
            seat: None,
            seq: 0,
        }
    }

    #[test]
    fn a_timeline_without_corrections_marks_nothing() {
        let c = Corrections::of(&[entry("e-1", None), entry("e-2", None)]);
        assert_eq!(c, Corrections::default());
        assert!(!c.is_corrected(0) && !c.is_corrected(1));
        assert_eq!(c.target(1), None);
    }

    #[test]
    fn a_correction_points_at_its_entry_and_marks_it_corrected() {
        let c = Corrections::of(&[
            entry("e-1", None),
            entry("e-2", None),
            entry("e-3", Some("e-1")),
            entry("e-4", Some("e-3")),
            entry("e-5", Some("e-gone")),
        ]);
        assert!(c.is_corrected(0) && c.is_corrected(2));
        assert!(!c.is_corrected(1) && !c.is_corrected(3) && !c.is_corrected(4));
        assert_eq!(c.target(2), Some(0));
        assert_eq!(c.target(3), Some(2));
        // What it corrects is not here: it is still a correction, pointing nowhere.
        assert_eq!(c.target(4), None);
        assert_eq!(c.target(0), None);
    }

    #[test]
    fn the_form_offers_delivered_entries_newest_first() {
        let mut pending = entry("k-9", None);
        pending.idempotency_key = Some("k-9".into());
        let mut echoed = entry("e-3", None);
        echoed.idempotency_key = Some("k-8".into());
        let mut timeline = vec![entry("e-1", None), entry("e-2", None), echoed, pending];
        let incident = Incident {
            id: "i-1".into(),
            title: "测试事件".into(),
            category: String::new(),
            grade: crate::model::Grade::IV,
            district: String::new(),
            status: crate::model::IncidentStatus::Open,
            opened_at: Timestamp::UNIX_EPOCH,
            updated_at: None,
            timeline: timeline.clone(),
            seq: 0,
            origin: String::new(),
        };
        let ids: Vec<&str> = offered(&incident).iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["e-3", "e-2", "e-1"]);
        timeline.extend((0..30).map(|n| entry(&format!("x-{n}"), None)));
        let long = Incident {
            timeline,
            ..incident
        };
        let offered = offered(&long);
        assert_eq!(offered.len(), OFFERED);
        assert_eq!(offered[0].id, "x-29");
    }

    #[test]
    fn the_draft_is_a_correction_naming_its_entry() {
        let d = draft("entry-7", "伤者 2 人（前报 3 人有误）".into());
        assert_eq!(d.kind, CORRECTION);
        assert_eq!(d.corrects.as_deref(), Some("entry-7"));
        assert_eq!(d.text, "伤者 2 人（前报 3 人有误）");
        assert_eq!((d.refers_to, d.leader, d.assignee), (None, None, None));
    }

    #[test]
    fn the_command_sends_what_it_corrects() {
        let body = CommandBody::Timeline {
            incident_id: "i-1".into(),
            author: "测试甲".into(),
            kind: CORRECTION.into(),
            text: "伤者 2 人".into(),
            at: Timestamp::UNIX_EPOCH,
            leader: None,
            assignee: None,
            refers_to: None,
            corrects: Some("entry-7".into()),
        };
        let (path, json) = body.request("k-1");
        assert_eq!(path, "/api/v1/incidents/i-1/timeline");
        assert_eq!(json["corrects"], "entry-7");
        assert_eq!(json["kind"], "更正");
        assert_eq!(json["idempotency_key"], "k-1");
        // Kept in the outbox across a restart, it still names the entry.
        let kept: CommandBody =
            serde_json::from_value(serde_json::to_value(&body).expect("serialise"))
                .expect("deserialise");
        assert_eq!(kept, body);
    }

    #[test]
    fn an_outbox_kept_before_corrections_existed_still_reads() {
        let old = serde_json::json!({
            "command": "timeline", "incident_id": "i-1", "author": "测试甲", "kind": "续报",
            "text": "x", "at": "2026-11-28T19:12:45Z"
        });
        let body: CommandBody = serde_json::from_value(old).expect("an old command reads");
        assert!(matches!(body, CommandBody::Timeline { corrects: None, .. }));
        assert!(body.request("k").1["corrects"].is_null());
    }
}
