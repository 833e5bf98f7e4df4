//! Computing a handover review. Pure: the clock, zone and data come in as arguments.

use crate::app::deadlines::{ReportRules, deadlines};
use crate::model::handover::{
    AlertLine, IncidentLine, InstructionLine, LevelCounts, OnDuty, ReportLine, SilenceLine,
};
use crate::model::instruction::instructions;
use crate::model::roster::on_duty;
use crate::model::{Alert, DutyRole, HandoverReport, Incident, MsgType, Shift, alert};
use jiff::Timestamp;
use jiff::tz::TimeZone;

pub struct Inputs<'a> {
    pub office: &'a str,
    pub tz: &'a TimeZone,
    pub now: Timestamp,
    /// Start of the window; `None`: the start of the current shift (else the last 24 h).
    pub since: Option<Timestamp>,
    pub alerts: &'a [Alert],
    pub incidents: &'a [Incident],
    pub shifts: &'a [Shift],
    pub rules: &'a ReportRules,
    pub notes: &'a str,
}

/// The duty officers' current shift: its start and end (the 带班领导 may hand over on
/// another rhythm, so the officers' shift sets the window).
pub fn shift_window(shifts: &[Shift], now: Timestamp) -> Option<(Timestamp, Timestamp)> {
    let (current, _) = on_duty(shifts, now);
    let officers: Vec<&&Shift> = current
        .iter()
        .filter(|s| matches!(s.role, DutyRole::Chief | DutyRole::Officer))
        .collect();
    let pick = if officers.is_empty() {
        current.iter().collect()
    } else {
        officers
    };
    let start = pick.iter().map(|s| s.start).min()?;
    let end = pick.iter().map(|s| s.end).max()?;
    Some((start, end))
}

fn people(shifts: &[&Shift]) -> Vec<OnDuty> {
    shifts
        .iter()
        .map(|s| OnDuty {
            role: s.role,
            name: s.person.clone(),
            phone: s.phone.clone(),
        })
        .collect()
}

fn alert_line(a: &Alert) -> AlertLine {
    AlertLine {
        id: a.id.to_string(),
        colour: a.colour,
        level: a.level,
        signal_type: a.signal_type.to_string(),
        title: a.title().to_owned(),
        area: a.area.to_string(),
        source: a.source.to_string(),
        status: a.status.to_string(),
        sent: a.sent,
        expires: a.expires,
        ack: a.ack.as_deref().cloned(),
    }
}

pub fn build(inp: &Inputs<'_>) -> HandoverReport {
    let now = inp.now;
    let window = shift_window(inp.shifts, now);
    let start = inp
        .since
        .or(window.map(|w| w.0))
        .unwrap_or(now - jiff::SignedDuration::from_hours(24));
    let in_window = |t: Timestamp| start <= t && t <= now;

    let (current, next) = on_duty(inp.shifts, now);

    let mut in_force: Vec<&Alert> = inp.alerts.iter().filter(|a| a.in_force(now)).collect();
    in_force.sort_by(|a, b| alert::watch_order(a, b));

    let mut received = LevelCounts::default();
    // Exercises and tests are not warnings received: they stay out of every tally.
    for a in inp
        .alerts
        .iter()
        .filter(|a| in_window(a.sent) && a.is_live())
    {
        if a.msg_type == MsgType::Cancel {
            received.cancelled += 1;
        } else {
            received.add(a.colour);
        }
    }

    let mut incidents: Vec<&Incident> = inp
        .incidents
        .iter()
        .filter(|i| {
            in_window(i.opened_at)
                || i.updated_at.is_some_and(in_window)
                || i.timeline.iter().any(|e| in_window(e.at))
        })
        .collect();
    incidents.sort_by(|a, b| crate::model::incident::watch_order(a, b));

    let mut reports = Vec::new();
    let mut incident_lines = Vec::new();
    for i in &incidents {
        let owed: Vec<ReportLine> = if i.status == crate::model::IncidentStatus::Open {
            deadlines(i, inp.rules, inp.tz)
                .into_iter()
                .filter(|d| d.done_at.is_none())
                .map(|d| ReportLine {
                    incident_id: i.id.clone(),
                    incident_title: i.title.clone(),
                    overdue: d.overdue(now),
                    label: d.label,
                    due: d.due,
                })
                .collect()
        } else {
            Vec::new()
        };
        let latest = i
            .timeline
            .iter()
            .max_by_key(|e| e.at)
            .map(|e| format!("{}：{}", e.kind, e.text))
            .unwrap_or_default();
        incident_lines.push(IncidentLine {
            id: i.id.clone(),
            title: i.title.clone(),
            grade: i.grade,
            status: i.status,
            district: i.district.clone(),
            opened_at: i.opened_at,
            opened_in_window: in_window(i.opened_at),
            entries_in_window: i.timeline.iter().filter(|e| in_window(e.at)).count(),
            latest,
            next_report: owed.first().cloned(),
        });
        reports.extend(owed);
    }
    // Overdue first, then by due time: the order a duty officer works through them.
    reports.sort_by(|a, b| b.overdue.cmp(&a.overdue).then(a.due.cmp(&b.due)));

    let instructions = instructions(inp.incidents)
        .into_iter()
        .filter(|i| i.open())
        .map(|i| InstructionLine {
            entry_id: i.entry.id.clone(),
            incident_id: i.incident.id.clone(),
            incident_title: i.incident.title.clone(),
            at: i.at(),
            leader: i.leader().to_owned(),
            assignee: i.assignee().to_owned(),
            text: i.entry.text.clone(),
            followups: i.followups.len(),
            last_followup: i
                .followups
                .iter()
                .max_by_key(|e| e.at)
                .map(|e| e.text.clone())
                .unwrap_or_default(),
        })
        .collect();

    let silences = in_force
        .iter()
        .filter_map(|a| {
            let s = a.silence.as_deref().filter(|s| s.active(now))?;
            Some(SilenceLine {
                alert_id: a.id.to_string(),
                title: a.title().to_owned(),
                colour: a.colour,
                silence: s.clone(),
            })
        })
        .collect();

    HandoverReport {
        office: inp.office.to_owned(),
        timezone: inp.tz.iana_name().unwrap_or("UTC").to_owned(),
        window_start: start,
        window_end: now,
        shift_end: window.map(|w| w.1),
        outgoing: people(&current),
        incoming: people(&next),
        unacknowledged: in_force
            .iter()
            .filter(|a| a.needs_ack() && a.is_live())
            .map(|a| alert_line(a))
            .collect(),
        warnings_in_force: in_force
            .iter()
            .filter(|a| a.is_live())
            .map(|a| alert_line(a))
            .collect(),
        received,
        incidents: incident_lines,
        reports,
        instructions,
        silences,
        notes: inp.notes.to_owned(),
    }
}
