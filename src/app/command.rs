//! Actions a duty officer takes that must reach the backend. Each carries an idempotency
//! key so that sending it twice (after a timeout, a restart) applies it once.

use super::state::Lang;
use crate::model::{Grade, HandoverReport};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Command {
    pub key: String,
    pub created_at: Timestamp,
    pub body: CommandBody,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "command", rename_all = "snake_case")]
pub enum CommandBody {
    Ack {
        alert_id: String,
        officer: String,
        note: String,
    },
    Timeline {
        incident_id: String,
        author: String,
        kind: String,
        text: String,
        at: Timestamp,
        /// For a leader instruction (批示): who gave it, who carries it out.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        leader: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        assignee: Option<String>,
        /// For a follow-up (督办) or closing (办结): the instruction's entry id.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        refers_to: Option<String>,
        /// For a correction (更正): the id of the entry it corrects.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        corrects: Option<String>,
    },
    OpenIncident {
        id: String,
        title: String,
        grade: Grade,
        category: String,
        district: String,
        opened_at: Timestamp,
    },
    /// Hold off the bell and flashing for an alert until `until` (at or before now: lift).
    Silence {
        alert_id: String,
        officer: String,
        reason: String,
        until: Timestamp,
    },
    /// The outgoing officer signs the handover record.
    Handover {
        outgoing: String,
        shift_start: Timestamp,
        shift_end: Timestamp,
        notes: String,
        report: Box<HandoverReport>,
    },
    /// The incoming officer confirms (接班) a signed handover record.
    ConfirmHandover {
        handover_id: String,
        incoming: String,
    },
}

impl CommandBody {
    /// A few words for logs and error messages (in Chinese).
    pub fn describe(&self) -> String {
        self.describe_in(Lang::Zh)
    }

    /// A few words for the status bar, in the console's language.
    pub fn describe_in(&self, lang: Lang) -> String {
        match self {
            CommandBody::Ack { alert_id, .. } => lang.f("command.ack", &[("id", alert_id)]),
            CommandBody::Timeline { kind, .. } => {
                lang.f("command.log", &[("kind", &super::words::show(lang, kind))])
            }
            CommandBody::OpenIncident { title, .. } => {
                lang.f("command.intake", &[("title", title)])
            }
            CommandBody::Silence { alert_id, .. } => lang.f("command.silence", &[("id", alert_id)]),
            CommandBody::Handover { outgoing, .. } => {
                lang.f("command.handover", &[("who", outgoing)])
            }
            CommandBody::ConfirmHandover { incoming, .. } => {
                lang.f("command.takeover", &[("who", incoming)])
            }
        }
    }

    /// The duty API request that carries this command: path and JSON body, with `key` as
    /// the idempotency key so that a resend applies once.
    pub fn request(&self, key: &str) -> (String, serde_json::Value) {
        use serde_json::json;
        match self {
            CommandBody::Ack {
                alert_id,
                officer,
                note,
            } => (
                format!("/api/v1/alerts/{}/ack", path_segment(alert_id)),
                json!({"officer": officer, "note": note, "idempotency_key": key}),
            ),
            CommandBody::Timeline {
                incident_id,
                author,
                kind,
                text,
                at,
                leader,
                assignee,
                refers_to,
                corrects,
            } => (
                format!("/api/v1/incidents/{}/timeline", path_segment(incident_id)),
                json!({
                    "author": author, "kind": kind, "text": text, "at": at, "leader": leader,
                    "assignee": assignee, "refers_to": refers_to, "corrects": corrects,
                    "idempotency_key": key
                }),
            ),
            CommandBody::OpenIncident {
                id,
                title,
                grade,
                category,
                district,
                opened_at,
            } => (
                "/api/v1/incidents".to_owned(),
                json!({
                    "id": id, "title": title, "grade": grade, "category": category,
                    "district": district, "opened_at": opened_at, "idempotency_key": key
                }),
            ),
            CommandBody::Silence {
                alert_id,
                officer,
                reason,
                until,
            } => (
                format!("/api/v1/alerts/{}/silence", path_segment(alert_id)),
                json!({"officer": officer, "reason": reason, "until": until, "idempotency_key": key}),
            ),
            CommandBody::Handover {
                outgoing,
                shift_start,
                shift_end,
                notes,
                report,
            } => (
                "/api/v1/handovers".to_owned(),
                json!({
                    "outgoing": outgoing, "shift_start": shift_start, "shift_end": shift_end,
                    "notes": notes, "report": report, "idempotency_key": key
                }),
            ),
            CommandBody::ConfirmHandover {
                handover_id,
                incoming,
            } => (
                format!("/api/v1/handovers/{}/confirm", path_segment(handover_id)),
                json!({"incoming": incoming}),
            ),
        }
    }
}

/// An id as one URL path segment (ids are checked by the server, but a feed's may be odd).
pub fn path_segment(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    for b in id.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// How the backend answered a command.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Accepted,
    /// Not delivered yet (network, 5xx); it stays queued and is retried.
    Retrying(String),
    /// The backend refused it (4xx): retrying cannot help.
    Rejected(String),
}

/// A command not yet accepted by the backend.
#[derive(Debug, Clone, PartialEq)]
pub struct Pending {
    pub command: Command,
    pub last_error: Option<String>,
}
