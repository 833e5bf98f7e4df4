//! The handover review as Markdown, ready to print or paste: one section per item of the
//! handover checklist, in the console's language, times in the report's zone.

use crate::app::Lang;
use crate::model::handover::{AlertLine, OnDuty};
use crate::model::{Handover, HandoverReport, IncidentStatus};
use jiff::Timestamp;
use jiff::tz::TimeZone;
use std::fmt::Write;

struct Out<'a> {
    lang: Lang,
    tz: TimeZone,
    text: String,
    report: &'a HandoverReport,
}

impl Out<'_> {
    fn time(&self, t: Timestamp) -> String {
        t.to_zoned_datetime(self.tz.clone())
            .strftime("%m-%d %H:%M")
            .to_string()
    }

    fn line(&mut self, s: &str) {
        self.text.push_str(s);
        self.text.push('\n');
    }

    fn heading(&mut self, title: &str, count: Option<usize>) {
        self.text.push('\n');
        match count {
            Some(n) => self.line(&format!("## {title} ({n})")),
            None => self.line(&format!("## {title}")),
        }
        self.text.push('\n');
    }

    fn none(&mut self) {
        let word = self.lang.t("report.none");
        self.line(word);
    }

    fn people(&self, list: &[OnDuty]) -> String {
        if list.is_empty() {
            return self.lang.t("report.not_on_the_roster").to_owned();
        }
        list.iter()
            .map(|p| {
                let role = crate::app::words::duty_role(self.lang, p.role);
                format!("{role} {}", p.name)
            })
            .collect::<Vec<_>>()
            .join(self.lang.t("report.comma"))
    }

    fn alert(&self, a: &AlertLine) -> String {
        let level = self.lang.f(
            "report.level",
            &[
                ("colour", &crate::app::words::colour(self.lang, a.colour)),
                ("numeral", &a.level.numeral()),
            ],
        );
        let mut s = format!("- **{level}** {}", a.title);
        if !a.area.is_empty() {
            let _ = write!(
                s,
                "{}{}{}",
                self.lang.t("report.open_paren"),
                a.area,
                self.lang.t("report.close_paren")
            );
        }
        if a.status != "actual" && !a.status.is_empty() {
            let _ = write!(s, " 【{}】", a.status);
        }
        let _ = write!(s, " — {} {}", a.source, self.time(a.sent));
        if let Some(e) = a.expires {
            let _ = write!(
                s,
                "{}{} {}",
                self.lang.t("report.comma"),
                self.lang.t("report.until"),
                self.time(e)
            );
        }
        match &a.ack {
            Some(ack) => {
                let _ = write!(
                    s,
                    "{}{} {} {}",
                    self.lang.t("report.semicolon"),
                    self.lang.t("report.acknowledged_by"),
                    ack.officer,
                    self.time(ack.at)
                );
            }
            None => {
                let _ = write!(
                    s,
                    "{}{}",
                    self.lang.t("report.semicolon"),
                    self.lang.t("report.not_acknowledged")
                );
            }
        }
        s
    }
}

/// `record`: the signed record the report belongs to, to fill in the signatures.
pub fn to_markdown(report: &HandoverReport, lang: Lang, record: Option<&Handover>) -> String {
    let tz = TimeZone::get(&report.timezone).unwrap_or(TimeZone::UTC);
    let mut o = Out {
        lang,
        tz,
        text: String::new(),
        report,
    };
    let (colon, comma, semi, lp, rp) = (
        o.lang.t("report.colon"),
        o.lang.t("report.comma"),
        o.lang.t("report.semicolon"),
        o.lang.t("report.open_paren"),
        o.lang.t("report.close_paren"),
    );
    let title = o.lang.t("report.title");
    o.line(&format!("# {} {title}", report.office).replace("#  ", "# "));
    o.text.push('\n');
    let window = format!(
        "{} – {}{}{}{}",
        o.time(report.window_start),
        o.time(report.window_end),
        o.lang.t("report.open_paren"),
        report.timezone,
        o.lang.t("report.close_paren")
    );
    let rows = [
        (o.lang.t("report.window"), window),
        (o.lang.t("report.outgoing"), o.people(&report.outgoing)),
        (o.lang.t("report.incoming"), o.people(&report.incoming)),
    ];
    for (k, v) in rows {
        o.line(&format!("- {k}{}{v}", o.lang.t("report.colon")));
    }

    let r = o.report;
    o.heading(
        o.lang.t("report.heading_warnings_in_force"),
        Some(r.warnings_in_force.len()),
    );
    if r.warnings_in_force.is_empty() {
        o.none();
    }
    for a in &r.warnings_in_force {
        let line = o.alert(a);
        o.line(&line);
    }

    o.heading(o.lang.t("report.heading_alerts_received_this_shift"), None);
    let c = &r.received;
    let counts = lang.f(
        "report.received_counts",
        &[
            ("total", &c.total()),
            ("red", &c.red),
            ("orange", &c.orange),
            ("yellow", &c.yellow),
            ("blue", &c.blue),
            ("cancelled", &c.cancelled),
        ],
    );
    o.line(&counts);
    o.text.push('\n');
    let sub = o.lang.t("report.unacknowledged");
    o.line(sub);
    o.text.push('\n');
    if r.unacknowledged.is_empty() {
        o.none();
    }
    for a in &r.unacknowledged {
        let line = o.alert(a);
        o.line(&line);
    }

    o.heading(
        o.lang.t("report.heading_incidents_opened_or_changed"),
        Some(r.incidents.len()),
    );
    if r.incidents.is_empty() {
        o.none();
    }
    for i in &r.incidents {
        let status = match i.status {
            IncidentStatus::Open => o.lang.t("report.open"),
            IncidentStatus::Closed => o.lang.t("report.closed"),
        };
        let new = if i.opened_in_window {
            o.lang.t("report.opened_this_shift")
        } else {
            o.lang.t("report.changed_this_shift")
        };
        let grade = crate::app::words::grade(o.lang, i.grade);
        let gap = o.lang.t("report.status_gap");
        let mut s = format!(
            "- **{}**{lp}{grade} {}{comma}{}{comma}{status}{rp}{gap}{new}{comma}{} {}",
            i.title,
            i.grade.numeral(),
            i.district,
            o.lang.t("report.entries"),
            i.entries_in_window
        );
        if let Some(n) = &i.next_report {
            let _ = write!(
                s,
                "{}{} {} {}",
                o.lang.t("report.semicolon"),
                o.lang.t("report.next_report"),
                crate::app::words::show(o.lang, &n.label),
                o.time(n.due)
            );
            if n.overdue {
                s.push_str(o.lang.t("report.overdue_note"));
            }
        }
        o.line(&s);
        if !i.latest.is_empty() {
            o.line(&format!(
                "  - {}{}{}",
                o.lang.t("report.latest"),
                o.lang.t("report.colon"),
                crate::app::words::show_entry(o.lang, &i.latest)
            ));
        }
    }

    o.heading(
        o.lang.t("report.heading_reports_pending_or_overdue"),
        Some(r.reports.len()),
    );
    if r.reports.is_empty() {
        o.none();
    }
    for d in &r.reports {
        let mark = if d.overdue {
            o.lang.t("report.overdue_mark")
        } else {
            o.lang.t("report.due_mark")
        };
        o.line(&format!(
            "- {mark} {} — {}{}{} {}",
            crate::app::words::show(o.lang, &d.label),
            d.incident_title,
            o.lang.t("report.comma"),
            o.lang.t("report.due_by"),
            o.time(d.due)
        ));
    }

    o.heading(
        o.lang.t("report.heading_open_leader_instructions"),
        Some(r.instructions.len()),
    );
    if r.instructions.is_empty() {
        o.none();
    }
    for i in &r.instructions {
        let mut s = format!(
            "- {} {}{colon}{}{lp}{}{semi}{} {}{rp}",
            o.time(i.at),
            i.leader,
            i.text,
            i.incident_title,
            o.lang.t("report.assignee"),
            if i.assignee.is_empty() {
                "—"
            } else {
                &i.assignee
            }
        );
        if i.followups > 0 {
            let _ = write!(
                s,
                "{semi}{} {}{colon}{}",
                o.lang.t("report.follow_ups"),
                i.followups,
                i.last_followup
            );
        }
        o.line(&s);
    }

    o.heading(
        o.lang.t("report.heading_active_silences"),
        Some(r.silences.len()),
    );
    if r.silences.is_empty() {
        o.none();
    }
    for s in &r.silences {
        o.line(&format!(
            "- {} — {} {} {}{comma}{}{colon}{}",
            s.title,
            s.silence.officer,
            o.lang.t("report.silenced_until"),
            o.time(s.silence.until),
            o.lang.t("report.reason"),
            s.silence.reason
        ));
    }

    o.heading(o.lang.t("report.heading_notes_and_cautions"), None);
    if r.notes.trim().is_empty() {
        o.none();
    } else {
        for l in r.notes.lines().filter(|l| !l.trim().is_empty()) {
            o.line(&format!("- {}", l.trim()));
        }
    }
    o.heading(o.lang.t("report.heading_signatures"), None);
    let signed = |name: &str, at: Option<Timestamp>| match at {
        Some(at) if !name.is_empty() => format!("{name} {}", o.time(at)),
        _ => String::new(),
    };
    let outgoing = record.map_or_else(String::new, |h| signed(&h.outgoing, h.created_at));
    let incoming = record.map_or_else(String::new, |h| signed(&h.incoming, h.confirmed_at));
    let colon = o.lang.t("report.colon");
    o.line(&format!(
        "- {}{colon}{outgoing}",
        o.lang.t("report.outgoing_officer")
    ));
    o.line(&format!(
        "- {}{colon}{incoming}",
        o.lang.t("report.incoming_officer")
    ));
    o.text
}
