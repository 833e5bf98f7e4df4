//! The handover review from a fixed data set: section contents asserted, and the printed
//! Markdown compared with a reviewed copy (set UPDATE_SNAPSHOTS=1 to rewrite it after a
//! deliberate change, then read the diff).

use crate::support::fixture::*;
use jiff::SignedDuration;
use watchroom::app::{Lang, State};
use watchroom::handover::{Inputs, build, to_markdown};
use watchroom::model::*;

/// The shared fixture plus a silence, a named leader instruction with a follow-up, an
/// acknowledged orange and a cancellation received this shift.
fn data() -> State {
    let mut s = state();
    let red = s
        .records
        .alerts_mut()
        .iter_mut()
        .find(|a| a.id == "a-red")
        .unwrap();
    red.silence = Some(Box::new(Silence {
        seat: None,
        officer: "赵某某（示例）".into(),
        reason: "已电话通知三防办，处置中".into(),
        from: now() - mins(10),
        until: now() + mins(50),
    }));
    let orange = s
        .records
        .alerts_mut()
        .iter_mut()
        .find(|a| a.id == "a-orange")
        .unwrap();
    orange.ack = Some(Box::new(Ack {
        seat: None,
        officer: "钱某某（示例）".into(),
        note: String::new(),
        at: now() - mins(30),
    }));
    let mut cancel = s.records.alerts()[0].clone();
    cancel.id = "a-cancel".into();
    cancel.msg_type = MsgType::Cancel;
    cancel.sent = now() - mins(5);
    s.records.alerts_mut().push(cancel);
    let gas = s
        .records
        .incidents_mut()
        .iter_mut()
        .find(|i| i.id == "i-2")
        .unwrap();
    let mut instruction = entry("i-2", "e-4", 12, "批示", "调派危化品专家到场研判");
    instruction.leader = Some("王某某（示例）".into());
    instruction.assignee = Some("南山区应急管理局（示例）".into());
    let mut follow = entry("i-2", "e-5", 6, "督办", "专家已出发，预计20分钟到场");
    follow.refers_to = Some("e-4".into());
    gas.timeline.push(instruction);
    gas.timeline.push(follow);
    s
}

fn review(s: &State, notes: &str) -> HandoverReport {
    build(&Inputs {
        office: "测试市应急管理局",
        tz: &s.session.tz,
        now: s.now,
        since: None,
        alerts: s.records.alerts(),
        incidents: s.records.incidents(),
        shifts: &s.records.shifts,
        rules: s.records.report_rules(),
        notes,
    })
}

#[test]
fn the_window_is_the_current_shift_and_the_next_shift_is_named() {
    let s = data();
    let r = review(&s, "");
    assert_eq!(r.window_start, now() - SignedDuration::from_hours(19));
    assert_eq!(r.window_end, now());
    assert_eq!(r.shift_end, Some(now() + SignedDuration::from_hours(5)));
    let out: Vec<&str> = r.outgoing.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(out.len(), 5);
    assert_eq!(out[0], "王某某（示例）", "the leader first");
    let next: Vec<&str> = r.incoming.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(next, ["周某某（示例）"]);
}

#[test]
fn every_section_holds_what_the_shift_left() {
    let s = data();
    let r = review(&s, "注意龙岗边坡夜间巡查");
    let warnings: Vec<&str> = r.warnings_in_force.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(warnings, ["a-red", "a-orange", "a-yellow", "a-blue"]);
    assert_eq!(
        (
            r.received.red,
            r.received.orange,
            r.received.yellow,
            r.received.blue
        ),
        (1, 1, 1, 1)
    );
    assert_eq!(r.received.cancelled, 1);
    let unacked: Vec<&str> = r.unacknowledged.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(unacked, ["a-red"], "the orange was acknowledged");
    let incidents: Vec<&str> = r.incidents.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(incidents, ["i-2", "i-1"], "open before closed");
    assert!(r.incidents[0].opened_in_window);
    assert!(r.incidents[0].next_report.as_ref().unwrap().overdue);
    assert!(r.reports.iter().all(|d| d.incident_id == "i-2"));
    assert!(r.reports[0].overdue, "overdue reports lead");
    let instructions: Vec<(&str, &str, usize)> = r
        .instructions
        .iter()
        .map(|i| (i.entry_id.as_str(), i.leader.as_str(), i.followups))
        .collect();
    assert_eq!(
        instructions,
        [("e-3", "值班员 测试甲", 0), ("e-4", "王某某（示例）", 1)]
    );
    assert_eq!(r.silences.len(), 1);
    assert_eq!(r.silences[0].alert_id, "a-red");
    assert_eq!(r.notes, "注意龙岗边坡夜间巡查");
}

#[test]
fn a_closed_instruction_leaves_the_review() {
    let mut s = data();
    let gas = s
        .records
        .incidents_mut()
        .iter_mut()
        .find(|i| i.id == "i-2")
        .unwrap();
    let mut done = entry("i-2", "e-6", 2, "办结", "研判完成");
    done.refers_to = Some("e-4".into());
    gas.timeline.push(done);
    let r = review(&s, "");
    let ids: Vec<&str> = r.instructions.iter().map(|i| i.entry_id.as_str()).collect();
    assert_eq!(ids, ["e-3"]);
}

#[test]
fn the_report_survives_a_json_round_trip() {
    let s = data();
    let r = review(&s, "夜间注意");
    let json = serde_json::to_string(&r).unwrap();
    let back: HandoverReport = serde_json::from_str(&json).unwrap();
    assert_eq!(back, r);
}

fn check_snapshot(name: &str, actual: &str) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/handover")
        .join(name);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (run with UPDATE_SNAPSHOTS=1)", path.display()));
    assert_eq!(actual, expected, "{} differs", path.display());
}

#[test]
fn the_printed_review_matches_the_reviewed_copy_in_chinese_and_english() {
    let s = data();
    let r = review(&s, "注意龙岗边坡夜间巡查\n带班领导手机保持畅通");
    check_snapshot("review.zh.md", &to_markdown(&r, Lang::Zh, None));
    check_snapshot("review.en.md", &to_markdown(&r, Lang::En, None));
}

#[test]
fn a_signed_and_confirmed_record_prints_both_signatures() {
    let s = data();
    let r = review(&s, "");
    let record = Handover {
        incoming_seat: None,
        outgoing_seat: None,
        id: "handover-1".into(),
        outgoing: "赵某某（示例）".into(),
        incoming: "周某某（示例）".into(),
        shift_start: r.window_start,
        shift_end: now(),
        notes: String::new(),
        created_at: Some(now()),
        confirmed_at: Some(now() + mins(4)),
        report: Some(r.clone()),
    };
    let md = to_markdown(&r, Lang::Zh, Some(&record));
    assert!(md.contains("- 交班人：赵某某（示例） 11-29 03:12"), "{md}");
    assert!(md.contains("- 接班人：周某某（示例） 11-29 03:16"), "{md}");
}
