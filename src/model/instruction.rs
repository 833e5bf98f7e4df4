//! Leader instructions (领导批示) and their follow-up (督办), read from incident timelines:
//! a 批示 entry is an instruction; 督办 entries that refer to it record follow-ups; a 办结
//! entry that refers to it closes it. Keeping them on the timeline keeps one record of
//! what happened, in order, with its minute.

use super::incident::{Incident, TimelineEntry};
use jiff::Timestamp;

pub const INSTRUCTION: &str = "批示";
pub const FOLLOW_UP: &str = "督办";
pub const CLOSE: &str = "办结";

#[derive(Debug, Clone, PartialEq)]
pub struct Instruction<'a> {
    pub incident: &'a Incident,
    pub entry: &'a TimelineEntry,
    pub followups: Vec<&'a TimelineEntry>,
    pub closed_by: Option<&'a TimelineEntry>,
}

impl Instruction<'_> {
    /// Still being followed up: not closed, and its incident still open.
    /// Followed up until someone closes it (办结), whatever becomes of its incident.
    pub fn open(&self) -> bool {
        self.closed_by.is_none()
    }

    /// The leader who gave it (older records only name the author).
    pub fn leader(&self) -> &str {
        self.entry.leader.as_deref().unwrap_or(&self.entry.author)
    }

    pub fn assignee(&self) -> &str {
        self.entry.assignee.as_deref().unwrap_or_default()
    }

    pub fn at(&self) -> Timestamp {
        self.entry.at
    }
}

/// An entry written before the instruction's echo came back names it by its idempotency
/// key; later ones by the id the backend gave it.
fn refers_to(e: &TimelineEntry, instruction: &TimelineEntry) -> bool {
    e.refers_to
        .as_deref()
        .is_some_and(|r| r == instruction.id || instruction.idempotency_key.as_deref() == Some(r))
}

/// Whether an instruction on this incident is still being followed up.
pub fn has_open(incident: &Incident) -> bool {
    instructions(std::slice::from_ref(incident))
        .iter()
        .any(Instruction::open)
}

/// Every instruction on these incidents, oldest first.
pub fn instructions(incidents: &[Incident]) -> Vec<Instruction<'_>> {
    let mut out = Vec::new();
    for incident in incidents {
        for entry in incident.timeline.iter().filter(|e| e.kind == INSTRUCTION) {
            let about = |kind: &'static str| {
                incident
                    .timeline
                    .iter()
                    .filter(move |e| e.kind == kind && refers_to(e, entry))
            };
            out.push(Instruction {
                incident,
                entry,
                followups: about(FOLLOW_UP).collect(),
                closed_by: about(CLOSE).next(),
            });
        }
    }
    out.sort_by(|a, b| {
        a.at()
            .cmp(&b.at())
            .then_with(|| a.entry.id.cmp(&b.entry.id))
    });
    out
}
