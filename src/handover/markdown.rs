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
    fn t(&self, zh: &'static str, en: &'static str) -> &'static str {
        match self.lang {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }

    /// Punctuation between the report's own words (data keeps its own).
    fn p(&self, zh: &'static str) -> &'static str {
        let en = match zh {
            "：" => ": ",
            "，" => ", ",
            "；" => "; ",
            "（" => " (",
            "）" => ")",
            _ => zh,
        };
        self.t(zh, en)
    }

    fn time(&self, t: Timestamp) -> String {
        t.to_zoned_datetime(self.tz.clone())
            .strftime("%m-%d %H:%M")
            .to_string()
    }

    fn line(&mut self, s: &str) {
        self.text.push_str(s);
        self.text.push('\n');
    }

    fn heading(&mut self, zh: &'static str, en: &'static str, count: Option<usize>) {
        let title = self.t(zh, en);
        self.text.push('\n');
        match count {
            Some(n) => self.line(&format!("## {title} ({n})")),
            None => self.line(&format!("## {title}")),
        }
        self.text.push('\n');
    }

    fn none(&mut self) {
        let word = self.t("无。", "None.");
        self.line(word);
    }

    fn people(&self, list: &[OnDuty]) -> String {
        if list.is_empty() {
            return self.t("（排班表无记录）", "(not on the roster)").to_owned();
        }
        list.iter()
            .map(|p| {
                let role = self.t(p.role.zh(), p.role.en());
                format!("{role} {}", p.name)
            })
            .collect::<Vec<_>>()
            .join(self.p("，"))
    }

    fn alert(&self, a: &AlertLine) -> String {
        let level = match self.lang {
            Lang::Zh => format!("{}色 {}级", a.colour.zh(), a.level.numeral()),
            Lang::En => format!("{} {}", a.colour.en(), a.level.numeral()),
        };
        let mut s = format!("- **{level}** {}", a.title);
        if !a.area.is_empty() {
            let _ = write!(s, "{}{}{}", self.p("（"), a.area, self.p("）"));
        }
        if a.status != "actual" && !a.status.is_empty() {
            let _ = write!(s, " 【{}】", a.status);
        }
        let _ = write!(s, " — {} {}", a.source, self.time(a.sent));
        if let Some(e) = a.expires {
            let _ = write!(
                s,
                "{}{} {}",
                self.p("，"),
                self.t("至", "until"),
                self.time(e)
            );
        }
        match &a.ack {
            Some(ack) => {
                let _ = write!(
                    s,
                    "{}{} {} {}",
                    self.p("；"),
                    self.t("已确认", "acknowledged by"),
                    ack.officer,
                    self.time(ack.at)
                );
            }
            None => {
                let _ = write!(
                    s,
                    "{}{}",
                    self.p("；"),
                    self.t("未确认", "not acknowledged")
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
    let (colon, comma, semi, lp, rp) = (o.p("："), o.p("，"), o.p("；"), o.p("（"), o.p("）"));
    let title = o.t("交接班记录", "Shift handover");
    o.line(&format!("# {} {title}", report.office).replace("#  ", "# "));
    o.text.push('\n');
    let window = format!(
        "{} – {}{}{}{}",
        o.time(report.window_start),
        o.time(report.window_end),
        o.p("（"),
        report.timezone,
        o.p("）")
    );
    let rows = [
        (o.t("时段", "Window"), window),
        (o.t("交班", "Outgoing"), o.people(&report.outgoing)),
        (o.t("接班", "Incoming"), o.people(&report.incoming)),
    ];
    for (k, v) in rows {
        o.line(&format!("- {k}{}{v}", o.p("：")));
    }

    let r = o.report;
    o.heading(
        "生效中的预警",
        "Warnings in force",
        Some(r.warnings_in_force.len()),
    );
    if r.warnings_in_force.is_empty() {
        o.none();
    }
    for a in &r.warnings_in_force {
        let line = o.alert(a);
        o.line(&line);
    }

    o.heading("本班收到的预警", "Alerts received this shift", None);
    let c = &r.received;
    let counts = match lang {
        Lang::Zh => format!(
            "共 {} 条：红色 {}，橙色 {}，黄色 {}，蓝色 {}；解除 {}。",
            c.total(),
            c.red,
            c.orange,
            c.yellow,
            c.blue,
            c.cancelled
        ),
        Lang::En => format!(
            "{} in all: red {}, orange {}, yellow {}, blue {}; cancellations {}.",
            c.total(),
            c.red,
            c.orange,
            c.yellow,
            c.blue,
            c.cancelled
        ),
    };
    o.line(&counts);
    o.text.push('\n');
    let sub = o.t(
        "尚未确认（红、橙）：",
        "Still unacknowledged (red, orange):",
    );
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
        "本班新增或变化的事件",
        "Incidents opened or changed",
        Some(r.incidents.len()),
    );
    if r.incidents.is_empty() {
        o.none();
    }
    for i in &r.incidents {
        let status = match i.status {
            IncidentStatus::Open => o.t("处置中", "open"),
            IncidentStatus::Closed => o.t("已结束", "closed"),
        };
        let new = if i.opened_in_window {
            o.t("本班接报", "opened this shift")
        } else {
            o.t("本班有更新", "changed this shift")
        };
        let grade = o.t(i.grade.zh(), i.grade.en());
        let gap = o.t("", " ");
        let mut s = format!(
            "- **{}**{lp}{grade} {}{comma}{}{comma}{status}{rp}{gap}{new}{comma}{} {}",
            i.title,
            i.grade.numeral(),
            i.district,
            o.t("记录", "entries"),
            i.entries_in_window
        );
        if let Some(n) = &i.next_report {
            let _ = write!(
                s,
                "{}{} {} {}",
                o.p("；"),
                o.t("下一报告", "next report"),
                crate::app::words::show(o.lang, &n.label),
                o.time(n.due)
            );
            if n.overdue {
                s.push_str(o.t("（已超时）", " (overdue)"));
            }
        }
        o.line(&s);
        if !i.latest.is_empty() {
            o.line(&format!(
                "  - {}{}{}",
                o.t("最新", "latest"),
                o.p("："),
                crate::app::words::show_entry(o.lang, &i.latest)
            ));
        }
    }

    o.heading(
        "待报与超时报告",
        "Reports pending or overdue",
        Some(r.reports.len()),
    );
    if r.reports.is_empty() {
        o.none();
    }
    for d in &r.reports {
        let mark = if d.overdue {
            o.t("**已超时**", "**overdue**")
        } else {
            o.t("待报", "due")
        };
        o.line(&format!(
            "- {mark} {} — {}{}{} {}",
            crate::app::words::show(o.lang, &d.label),
            d.incident_title,
            o.p("，"),
            o.t("时限", "due"),
            o.time(d.due)
        ));
    }

    o.heading(
        "督办中的领导批示",
        "Open leader instructions",
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
            o.t("承办", "assignee"),
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
                o.t("督办", "follow-ups"),
                i.followups,
                i.last_followup
            );
        }
        o.line(&s);
    }

    o.heading("静默中的预警", "Active silences", Some(r.silences.len()));
    if r.silences.is_empty() {
        o.none();
    }
    for s in &r.silences {
        o.line(&format!(
            "- {} — {} {} {}{comma}{}{colon}{}",
            s.title,
            s.silence.officer,
            o.t("静默至", "silenced until"),
            o.time(s.silence.until),
            o.t("原因", "reason"),
            s.silence.reason
        ));
    }

    o.heading("交班提示与注意事项", "Notes and cautions", None);
    if r.notes.trim().is_empty() {
        o.none();
    } else {
        for l in r.notes.lines().filter(|l| !l.trim().is_empty()) {
            o.line(&format!("- {}", l.trim()));
        }
    }
    o.heading("签字", "Signatures", None);
    let signed = |name: &str, at: Option<Timestamp>| match at {
        Some(at) if !name.is_empty() => format!("{name} {}", o.time(at)),
        _ => String::new(),
    };
    let outgoing = record.map_or_else(String::new, |h| signed(&h.outgoing, h.created_at));
    let incoming = record.map_or_else(String::new, |h| signed(&h.incoming, h.confirmed_at));
    let colon = o.p("：");
    o.line(&format!(
        "- {}{colon}{outgoing}",
        o.t("交班人", "Outgoing officer")
    ));
    o.line(&format!(
        "- {}{colon}{incoming}",
        o.t("接班人", "Incoming officer")
    ));
    o.text
}
