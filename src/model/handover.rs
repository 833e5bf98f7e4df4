//! The shift handover record (交接班记录) and the review it carries: what the outgoing
//! officer hands over, as plain data so it can be stored, sent, printed and compared.

use super::alert::{Ack, Silence};
use super::incident::IncidentStatus;
use super::levels::{Colour, Grade, Level};
use super::roster::DutyRole;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Handover {
    #[serde(default)]
    pub id: String,
    pub outgoing: String,
    #[serde(default)]
    pub incoming: String,
    pub shift_start: Timestamp,
    pub shift_end: Timestamp,
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    pub created_at: Option<Timestamp>,
    #[serde(default)]
    pub confirmed_at: Option<Timestamp>,
    /// The shared seats the outgoing officer signed and the incoming one confirmed at,
    /// when they used a seat's token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outgoing_seat: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incoming_seat: Option<String>,
    /// The review the outgoing officer signed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report: Option<HandoverReport>,
}

/// Everything a handover review shows, computed once for a window of time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HandoverReport {
    pub office: String,
    /// IANA name of the zone the times are printed in.
    pub timezone: String,
    pub window_start: Timestamp,
    pub window_end: Timestamp,
    /// The shift being handed over (from the roster), when there is one.
    #[serde(default)]
    pub shift_end: Option<Timestamp>,
    pub outgoing: Vec<OnDuty>,
    pub incoming: Vec<OnDuty>,
    pub warnings_in_force: Vec<AlertLine>,
    pub received: LevelCounts,
    pub unacknowledged: Vec<AlertLine>,
    pub incidents: Vec<IncidentLine>,
    pub reports: Vec<ReportLine>,
    pub instructions: Vec<InstructionLine>,
    pub silences: Vec<SilenceLine>,
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OnDuty {
    pub role: DutyRole,
    pub name: String,
    #[serde(default)]
    pub phone: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlertLine {
    pub id: String,
    pub colour: Colour,
    pub level: Level,
    pub signal_type: String,
    pub title: String,
    pub area: String,
    pub source: String,
    /// actual, exercise, test …
    pub status: String,
    pub sent: Timestamp,
    pub expires: Option<Timestamp>,
    pub ack: Option<Ack>,
}

/// Alerts received in the window, by colour (cancellations counted apart).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LevelCounts {
    pub red: usize,
    pub orange: usize,
    pub yellow: usize,
    pub blue: usize,
    pub cancelled: usize,
}

impl LevelCounts {
    pub fn total(&self) -> usize {
        self.red + self.orange + self.yellow + self.blue
    }

    pub fn add(&mut self, colour: Colour) {
        match colour {
            Colour::Red => self.red += 1,
            Colour::Orange => self.orange += 1,
            Colour::Yellow => self.yellow += 1,
            Colour::Blue => self.blue += 1,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IncidentLine {
    pub id: String,
    pub title: String,
    pub grade: Grade,
    pub status: IncidentStatus,
    pub district: String,
    pub opened_at: Timestamp,
    /// Opened inside the window (else: changed inside it).
    pub opened_in_window: bool,
    pub entries_in_window: usize,
    /// The newest timeline entry: "kind: text".
    pub latest: String,
    pub next_report: Option<ReportLine>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportLine {
    pub incident_id: String,
    pub incident_title: String,
    /// 初报, 书面报告, 续报二 …
    pub label: String,
    pub due: Timestamp,
    pub overdue: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InstructionLine {
    pub entry_id: String,
    pub incident_id: String,
    pub incident_title: String,
    pub at: Timestamp,
    pub leader: String,
    pub assignee: String,
    pub text: String,
    /// Follow-ups (督办) recorded so far, and the newest one's text.
    pub followups: usize,
    pub last_followup: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SilenceLine {
    pub alert_id: String,
    pub title: String,
    pub colour: Colour,
    pub silence: Silence,
}
