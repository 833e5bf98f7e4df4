//! `update()`: keys, source updates and ticks change the state as the officer expects.

use crate::support::fixture::*;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use jiff::SignedDuration;
use watchroom::app::{
    AlertKey, DetailTarget, Effect, Msg, Overlay, Pane, SourceStatus, State, update,
};
use watchroom::model::*;
use watchroom::sources::SourceEvent;

fn code(k: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(k, KeyModifiers::NONE))
}

fn visible_ids(s: &watchroom::app::State) -> Vec<String> {
    s.visible_alerts()
        .iter()
        .map(|a| a.id.to_string())
        .collect()
}

#[test]
fn alerts_are_ordered_most_severe_then_newest() {
    let s = state();
    assert_eq!(visible_ids(&s), ["a-red", "a-orange", "a-yellow", "a-blue"]);
}

#[test]
fn q_and_ctrl_c_quit() {
    let mut s = state();
    assert_eq!(update(&mut s, key('q')), vec![Effect::Quit]);
    let mut s = state();
    let ctrl_c = Msg::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
    assert_eq!(update(&mut s, ctrl_c), vec![Effect::Quit]);
    assert!(s.quit);
}

#[test]
fn tab_cycles_focus_and_shift_tab_goes_back() {
    let mut s = state();
    assert_eq!(s.view.focus, Pane::Alerts);
    update(&mut s, code(KeyCode::Tab));
    assert_eq!(s.view.focus, Pane::Incidents);
    update(&mut s, code(KeyCode::BackTab));
    update(&mut s, code(KeyCode::BackTab));
    assert_eq!(s.view.focus, Pane::Duty);
}

#[test]
fn j_k_move_the_selection_and_stop_at_the_ends() {
    let mut s = state();
    update(&mut s, key('j'));
    update(&mut s, code(KeyCode::Down));
    assert_eq!(selected_id(&s), Some("a-yellow"));
    for _ in 0..5 {
        update(&mut s, key('j'));
    }
    assert_eq!(selected_id(&s), Some("a-blue"));
    update(&mut s, key('g'));
    assert_eq!(selected_id(&s), Some("a-red"));
    update(&mut s, key('k'));
    assert_eq!(selected_id(&s), Some("a-red"));
}

#[test]
fn selection_stays_on_its_alert_when_a_more_severe_one_arrives() {
    let mut s = state();
    update(&mut s, key('j'));
    assert_eq!(selected_id(&s), Some("a-orange"));
    let newer = alert("a-new", Colour::Red, "暴雨", "暴雨红色预警信号", "全市", 0);
    update(&mut s, source(SourceEvent::Alert(newer), now()));
    assert_eq!(visible_ids(&s)[0], "a-new");
    assert_eq!(selected_id(&s), Some("a-orange"));
}

#[test]
fn a_live_alert_is_marked_new_and_flashed_until_it_ages() {
    let mut s = state();
    // No report deadlines here: their overdue flash would mask the one under test.
    s.records.report_rules_mut().rule.clear();
    s.dirty = false;
    let a = alert(
        "a-new",
        Colour::Orange,
        "大风",
        "大风橙色预警信号",
        "盐田区",
        0,
    );
    update(&mut s, source(SourceEvent::Alert(a), now()));
    assert!(s.dirty);
    assert!(
        s.said
            .arrived
            .contains_key(&AlertKey::new("duty_api", "a-new"))
    );
    let flash = s.view.flash.clone().expect("a flash for the new alert");
    assert!(
        flash.text.contains("新预警") && flash.text.contains("大风橙色预警信号"),
        "{}",
        flash.text
    );
    update(&mut s, Msg::Tick(now() + SignedDuration::from_secs(9)));
    assert!(s.view.flash.is_none(), "the flash clears itself");
    update(&mut s, Msg::Tick(now() + SignedDuration::from_mins(11)));
    assert!(
        !s.said
            .arrived
            .contains_key(&AlertKey::new("duty_api", "a-new")),
        "the 新 mark fades"
    );
}

#[test]
fn an_updated_alert_replaces_the_old_copy_and_a_superseded_one_leaves_the_wall() {
    let mut s = state();
    let mut red = s.records.find_alert("a-red").cloned().unwrap();
    red.ack = Some(Box::new(Ack {
        seat: None,
        officer: "测试甲".into(),
        note: String::new(),
        at: now(),
    }));
    update(&mut s, source(SourceEvent::Alert(red), now()));
    assert_eq!(s.records.alerts().len(), 4);
    assert!(s.records.find_alert("a-red").unwrap().ack.is_some());
    assert!(s.said.arrived.is_empty(), "an update is not a new arrival");

    let mut orange = s.records.find_alert("a-orange").cloned().unwrap();
    orange.extra.superseded_by = Some("a-red".into());
    update(&mut s, source(SourceEvent::Alert(orange), now()));
    assert_eq!(visible_ids(&s), ["a-red", "a-yellow", "a-blue"]);
}

#[test]
fn expired_and_cancelled_alerts_are_not_shown() {
    let mut s = state();
    let mut expiring = alert(
        "a-exp",
        Colour::Yellow,
        "大雾",
        "大雾黄色预警信号",
        "宝安区",
        5,
    );
    expiring.expires = Some(now() + SignedDuration::from_mins(1));
    let mut cancel = alert(
        "a-cancel",
        Colour::Blue,
        "大雾",
        "解除大雾预警",
        "宝安区",
        1,
    );
    cancel.msg_type = MsgType::Cancel;
    update(&mut s, source(SourceEvent::Alert(expiring), now()));
    update(&mut s, source(SourceEvent::Alert(cancel), now()));
    assert!(visible_ids(&s).contains(&"a-exp".to_owned()));
    assert!(!visible_ids(&s).contains(&"a-cancel".to_owned()));
    update(&mut s, Msg::Tick(now() + SignedDuration::from_mins(2)));
    assert!(!visible_ids(&s).contains(&"a-exp".to_owned()));
}

#[test]
fn remote_text_is_sanitised_on_arrival() {
    let mut s = state();
    let a = alert(
        "a-x",
        Colour::Blue,
        "雷电",
        "\u{1b}[2J\u{1b}]0;pwned\u{7}雷电蓝色预警",
        "全市\n",
        0,
    );
    update(&mut s, source(SourceEvent::Alert(a), now()));
    let got = s.records.find_alert("a-x").unwrap();
    assert_eq!(got.title(), "雷电蓝色预警");
    assert_eq!(got.area, "全市 ");
}

#[test]
fn timeline_entries_join_their_incident_in_time_order() {
    let mut s = state();
    update(
        &mut s,
        source(
            SourceEvent::Timeline(entry("i-2", "e-9", 1, "初报", "电话报市政府总值班室")),
            now(),
        ),
    );
    update(
        &mut s,
        source(
            SourceEvent::Timeline(entry("i-2", "e-8", 20, "处置", "疏散群众")),
            now(),
        ),
    );
    // The same entry again (e.g. replayed after a reconnect) is not duplicated.
    update(
        &mut s,
        source(
            SourceEvent::Timeline(entry("i-2", "e-9", 1, "初报", "电话报市政府总值班室")),
            now(),
        ),
    );
    let inc = s.records.find_incident("i-2").unwrap();
    let kinds: Vec<&str> = inc.timeline.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(kinds, ["接报", "核实", "处置", "批示", "初报"]);
}

#[test]
fn incident_events_without_a_timeline_keep_the_known_one() {
    let mut s = state();
    let mut i = s.records.find_incident("i-2").cloned().unwrap();
    i.timeline.clear();
    i.status = IncidentStatus::Closed;
    update(&mut s, source(SourceEvent::Incident(i), now()));
    let got = s.records.find_incident("i-2").unwrap();
    assert_eq!(got.status, IncidentStatus::Closed);
    assert_eq!(got.timeline.len(), 3);
}

#[test]
fn open_incidents_come_first_and_enter_opens_details() {
    let mut s = state();
    let order: Vec<&str> = s.sorted_incidents().iter().map(|i| i.id.as_str()).collect();
    assert_eq!(order, ["i-2", "i-1"]);
    update(&mut s, code(KeyCode::Enter));
    assert_eq!(
        s.view.overlay,
        Overlay::Detail {
            target: DetailTarget::Alert(AlertKey::new("duty_api", "a-red")),
            scroll: 0
        }
    );
    update(&mut s, code(KeyCode::Esc));
    assert_eq!(s.view.overlay, Overlay::None);
    update(&mut s, code(KeyCode::Tab));
    update(&mut s, code(KeyCode::Enter));
    assert_eq!(
        s.view.overlay,
        Overlay::Detail {
            target: DetailTarget::Incident("i-2".into()),
            scroll: 0
        }
    );
}

#[test]
fn help_opens_and_its_keys_do_not_move_the_watch_screen() {
    let mut s = state();
    update(&mut s, key('?'));
    assert_eq!(s.view.overlay, Overlay::Help { scroll: 0 });
    update(&mut s, key('j'));
    assert_eq!(s.view.overlay, Overlay::Help { scroll: 1 });
    assert_eq!(s.view.selected_alert, None);
    // q closes help rather than quitting.
    assert!(update(&mut s, key('q')).is_empty());
    assert_eq!(s.view.overlay, Overlay::None);
}

#[test]
fn source_health_follows_the_stream() {
    let mut s = state();
    assert_eq!(s.records.sources[0].status, SourceStatus::Live);
    let t1 = now() + SignedDuration::from_secs(5);
    update(
        &mut s,
        source(
            SourceEvent::Failed {
                reason: "connection refused".into(),
            },
            t1,
        ),
    );
    assert_eq!(
        s.records.sources[0].status,
        SourceStatus::Failed("connection refused".into())
    );
    assert_eq!(s.records.sources[0].failed_since, Some(t1));
    update(
        &mut s,
        source(
            SourceEvent::Failed {
                reason: "connection refused".into(),
            },
            t1 + SignedDuration::from_secs(5),
        ),
    );
    assert_eq!(
        s.records.sources[0].failed_since,
        Some(t1),
        "failing since the first failure"
    );
    update(
        &mut s,
        source(
            SourceEvent::Alive { live: false },
            t1 + SignedDuration::from_secs(9),
        ),
    );
    assert_eq!(s.records.sources[0].status, SourceStatus::Polling);
    let last = s.records.sources[0].clone();
    update(&mut s, Msg::Tick(t1 + SignedDuration::from_mins(3)));
    assert!(
        s.source_stale(&last),
        "no contact for longer than stale_after"
    );
}

#[test]
fn ticks_and_resizes_mark_the_screen_dirty_but_unbound_keys_do_not() {
    let mut s = state();
    s.dirty = false;
    update(&mut s, key('x'));
    assert!(!s.dirty);
    update(&mut s, Msg::Resize(60, 20));
    assert!(s.dirty && s.too_small());
    assert!(
        !s.needs_tick(),
        "nothing time-based shows on the too-small screen"
    );
}

#[test]
fn a_snapshot_replaces_only_its_own_sources_items() {
    let mut s = state();
    let quake = alert(
        "us7000abcd",
        Colour::Orange,
        "地震",
        "M6.1 地震速报",
        "外海",
        3,
    );
    let other = watchroom::sources::SourceUpdate {
        source: "usgs".into(),
        at: now(),
        event: SourceEvent::Snapshot {
            alerts: vec![quake],
            incidents: vec![],
            shifts: vec![],
        },
    };
    update(&mut s, Msg::Source(other.clone()));
    assert_eq!(s.visible_alerts().len(), 5);
    assert_eq!(s.records.find_alert("us7000abcd").unwrap().origin, "usgs");
    // The duty API's next snapshot leaves the usgs alert alone, and vice versa.
    update(&mut s, source(snapshot(), now()));
    assert_eq!(s.visible_alerts().len(), 5);
    assert_eq!(s.records.incidents().len(), 2);
    let empty = watchroom::sources::SourceUpdate {
        event: SourceEvent::Snapshot {
            alerts: vec![],
            incidents: vec![],
            shifts: vec![],
        },
        ..other
    };
    update(&mut s, Msg::Source(empty));
    assert_eq!(visible_ids(&s), ["a-red", "a-orange", "a-yellow", "a-blue"]);
    assert_eq!(s.records.shifts.len(), 6);
}

#[test]
fn a_cancelled_alert_stays_visible_as_cancelled_for_two_hours() {
    let mut s = state();
    let mut cancel = alert("c-1", Colour::Orange, "暴雨", "解除暴雨橙色预警", "全市", 0);
    cancel.msg_type = MsgType::Cancel;
    cancel.extra.references = vec!["a-orange".into()];
    let mut orange = s.records.find_alert("a-orange").cloned().unwrap();
    orange.extra.cancelled_by = Some("c-1".into());
    update(&mut s, source(SourceEvent::Alert(cancel), now()));
    update(&mut s, source(SourceEvent::Alert(orange), now()));
    assert_eq!(
        visible_ids(&s),
        ["a-red", "a-yellow", "a-blue", "a-orange"],
        "last, not gone"
    );
    assert!(
        !s.records.find_alert("a-orange").unwrap().needs_ack(),
        "a cancelled alert does not blink"
    );
    update(&mut s, Msg::Tick(now() + SignedDuration::from_mins(121)));
    assert!(!visible_ids(&s).contains(&"a-orange".to_owned()));
}

#[test]
fn expired_updated_and_cancelled_alerts_leave_the_wall_for_the_history() {
    let mut s = state();
    let mut old = alert(
        "a-old",
        Colour::Orange,
        "大风",
        "大风橙色预警信号",
        "全市",
        600,
    );
    old.expires = Some(now() - mins(60));
    let mut replaced = alert(
        "a-v1",
        Colour::Yellow,
        "暴雨",
        "暴雨黄色预警信号",
        "全市",
        90,
    );
    replaced.extra.superseded_by = Some("a-orange".into());
    for a in [old, replaced] {
        update(&mut s, source(SourceEvent::Alert(a), now()));
    }
    let wall: Vec<&str> = s.visible_alerts().iter().map(|a| a.id.as_str()).collect();
    assert!(
        !wall.contains(&"a-old") && !wall.contains(&"a-v1"),
        "{wall:?}"
    );
    let history: Vec<&str> = s.history().iter().map(|a| a.id.as_str()).collect();
    assert_eq!(history, ["a-v1", "a-old"], "newest first, nothing in force");
    update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Char('H'), KeyModifiers::NONE)),
    );
    assert_eq!(
        s.view.overlay,
        watchroom::app::Overlay::List(watchroom::app::lists::ListView::new(
            watchroom::app::lists::ListKind::History
        ))
    );
    // The history names the message that replaced an alert by its title, not its id.
    let rows = text(&render(&mut s, 120, 40));
    let updated = rows
        .iter()
        .find(|r| r.contains("暴雨黄色预警信号"))
        .unwrap_or_else(|| panic!("{}", rows.join("\n")));
    assert!(updated.contains("→ 暴雨橙色预警信号"), "{updated}");
    assert!(!updated.contains("a-orange"), "{updated}");
}

#[test]
fn a_feed_warning_marks_its_source_and_names_what_was_off() {
    let mut s = state();
    let warning = SourceEvent::Warning {
        text: "declared charset GB2312 but the bytes are UTF-8\u{1b}[31m".into(),
    };
    update(
        &mut s,
        Msg::Source(watchroom::sources::SourceUpdate {
            source: "澳门气象局".into(),
            at: now(),
            event: warning,
        }),
    );
    let h = s
        .records
        .sources
        .iter()
        .find(|h| h.name == "澳门气象局")
        .unwrap();
    let (at, text) = h.warning.clone().expect("the warning is kept");
    assert_eq!(at, now());
    assert!(text.starts_with("declared charset GB2312"), "{text}");
    assert!(
        !text.contains('\u{1b}'),
        "remote text is sanitised: {text:?}"
    );
}

#[test]
fn an_incidents_next_report_follows_its_timeline_and_the_rules() {
    let mut s = state();
    let next = |s: &State| {
        let gas = s
            .records
            .incidents()
            .iter()
            .find(|i| i.id == "i-2")
            .expect("i-2");
        s.next_report(gas)
    };
    let owed = next(&s).expect("the open incident owes a report");
    assert_eq!(next(&s), Some(owed.clone()), "asked again, the same");
    let kind = s
        .records
        .report_rules()
        .rule
        .iter()
        .find(|r| r.label == owed.label)
        .expect("a rule for it")
        .kind
        .clone();
    let gas = s
        .records
        .incidents_mut()
        .iter_mut()
        .find(|i| i.id == "i-2")
        .expect("i-2");
    gas.timeline
        .push(entry("i-2", "e-made", 1, &kind, "report made"));
    assert_ne!(
        next(&s).map(|d| d.label),
        Some(owed.label),
        "once made, another report is next"
    );
    s.records.report_rules_mut().rule.clear();
    s.records.report_rules_mut().followup_times.clear();
    assert_eq!(next(&s), None, "no rules, nothing owed");
}
