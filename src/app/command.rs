//! Actions a duty officer takes that must reach the backend. Each carries an idempotency
//! key so that sending it twice (after a timeout, a restart) applies it once.

use crate::model::Grade;
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
    },
    OpenIncident {
        id: String,
        title: String,
        grade: Grade,
        category: String,
        district: String,
        opened_at: Timestamp,
    },
}

impl CommandBody {
    /// A few words for the status bar and error messages.
    pub fn describe(&self) -> String {
        match self {
            CommandBody::Ack { alert_id, .. } => format!("确认 {alert_id}"),
            CommandBody::Timeline { kind, .. } => format!("记录 {kind}"),
            CommandBody::OpenIncident { title, .. } => format!("接报 {title}"),
        }
    }
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
