//! The duty officer's actions through `update()`: forms, optimistic changes, the outbox.

use crate::support::fixture::*;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use jiff::SignedDuration;
use watchroom::app::command::{CommandBody, Outcome};
use watchroom::app::form::FormKind;
use watchroom::app::keymap::Mode;
use watchroom::app::{Effect, Msg, Overlay, State, update};
use watchroom::model::*;
use watchroom::sources::SourceEvent;

fn code(k: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(k, KeyModifiers::NONE))
}

fn typed(s: &mut State, text: &str) {
    for c in text.chars() {
        update(s, key(c));
    }
}

fn with_officer() -> State {
    let mut s = state();
    s.session.officer = Some("测试甲".into());
    s.actions.key_prefix = "t".into();
    s
}

fn sent(effects: &[Effect]) -> Vec<&CommandBody> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Send(c) => Some(&c.body),
            _ => None,
        })
        .collect()
}

#[test]
fn acknowledging_marks_the_alert_at_once_and_queues_it_with_a_key() {
    let mut s = with_officer();
    update(&mut s, key('a'));
    assert!(matches!(&s.view.overlay, Overlay::Form(f) if matches!(f.kind, FormKind::Ack { .. })));
    typed(&mut s, "已报带班领导");
    let effects = update(&mut s, code(KeyCode::Enter));
    assert_eq!(s.view.overlay, Overlay::None);
    assert_eq!(
        sent(&effects),
        [&CommandBody::Ack {
            alert_id: "a-red".into(),
            officer: "测试甲".into(),
            note: "已报带班领导".into()
        }]
    );
    let ack = s.records.find_alert("a-red").unwrap().ack.clone().unwrap();
    assert_eq!((ack.officer.as_str(), ack.at), ("测试甲", now()));
    assert_eq!(s.actions.queue.len(), 1);
    assert_eq!(s.actions.queue[0].command.key, "t-1");
    // An acknowledged red no longer leads an unacknowledged orange.
    let order: Vec<String> = s
        .visible_alerts()
        .iter()
        .map(|a| a.id.to_string())
        .collect();
    assert_eq!(order, ["a-orange", "a-red", "a-yellow", "a-blue"]);

    update(
        &mut s,
        Msg::CommandResult {
            key: "t-1".into(),
            outcome: Outcome::Retrying("connection refused".into()),
        },
    );
    assert_eq!(
        s.actions.queue[0].last_error.as_deref(),
        Some("connection refused")
    );
    update(
        &mut s,
        Msg::CommandResult {
            key: "t-1".into(),
            outcome: Outcome::Accepted,
        },
    );
    assert!(s.actions.queue.is_empty());
}

#[test]
fn without_an_officer_an_action_asks_who_first() {
    let mut s = state();
    s.session.officer = None;
    update(&mut s, key('a'));
    let Overlay::Form(form) = &s.view.overlay else {
        panic!("expected the officer form")
    };
    assert_eq!(form.kind, FormKind::Officer);
    // The choice lists the people on the current shift; Right moves to the next one.
    update(&mut s, code(KeyCode::Right));
    update(&mut s, code(KeyCode::Enter));
    assert_eq!(s.session.officer.as_deref(), Some("李某某（示例）"));
}

#[test]
fn outside_the_demo_the_console_asks_who_is_on_duty_when_the_roster_arrives() {
    let mut s = initial();
    update(&mut s, source(snapshot(), now()));
    assert!(matches!(&s.view.overlay, Overlay::Form(f) if f.kind == FormKind::Officer));
    update(&mut s, code(KeyCode::Esc));
    update(&mut s, source(snapshot(), now()));
    assert_eq!(s.view.overlay, Overlay::None, "asked once only");
}

#[test]
fn a_personal_token_answers_the_who_is_on_duty_question_the_roster_raised() {
    let mut s = initial();
    // The roster comes first (from the local store), and asks.
    update(&mut s, source(snapshot(), now()));
    assert!(matches!(&s.view.overlay, Overlay::Form(f) if f.kind == FormKind::Officer));
    let me = watchroom::model::Me {
        kind: "personal".into(),
        role: "officer".into(),
        person: Some("林某婷（示例）".into()),
        seat: None,
        token_id: "tok-1".into(),
    };
    update(&mut s, source(SourceEvent::Identity(me), now()));
    assert_eq!(s.view.overlay, Overlay::None);
    assert_eq!(s.session.officer.as_deref(), Some("林某婷（示例）"));
}

fn initial() -> State {
    let cfg = watchroom::config::ConsoleConfig::default();
    watchroom::console::initial_state(&cfg, false, now()).unwrap()
}

#[test]
fn the_demo_picks_an_officer_itself() {
    let s = state();
    assert_eq!(s.session.officer.as_deref(), Some("赵某某（示例）"));
}

#[test]
fn a_log_entry_appears_at_once_and_its_echo_does_not_duplicate_it() {
    let mut s = with_officer();
    update(&mut s, code(KeyCode::Tab));
    update(&mut s, key('l'));
    update(&mut s, code(KeyCode::Right)); // 记录 → 接报
    update(&mut s, code(KeyCode::Right)); // → 核实
    update(&mut s, code(KeyCode::Tab));
    typed(&mut s, "消防已到场");
    let effects = update(&mut s, code(KeyCode::Enter));
    let [
        CommandBody::Timeline {
            kind,
            text,
            incident_id,
            ..
        },
    ] = sent(&effects)[..]
    else {
        panic!("one timeline command expected: {effects:?}")
    };
    assert_eq!(
        (kind.as_str(), text.as_str(), incident_id.as_str()),
        ("核实", "消防已到场", "i-2")
    );
    let inc = s.records.find_incident("i-2").unwrap();
    assert_eq!(inc.timeline.last().unwrap().text, "消防已到场");
    let n = inc.timeline.len();

    let mut echo = entry("i-2", "server-77", 0, "核实", "消防已到场");
    echo.idempotency_key = Some("t-1".into());
    update(&mut s, source(SourceEvent::Timeline(echo), now()));
    let inc = s.records.find_incident("i-2").unwrap();
    assert_eq!(inc.timeline.len(), n);
    assert_eq!(inc.timeline.last().unwrap().id, "server-77");
}

#[test]
fn a_log_entry_needs_text() {
    let mut s = with_officer();
    update(&mut s, key('l'));
    let effects = update(&mut s, code(KeyCode::Enter));
    assert!(effects.is_empty());
    let Overlay::Form(form) = &s.view.overlay else {
        panic!("the form stays open")
    };
    assert_eq!(form.flagged, vec![1]);
}

#[test]
fn intake_flags_missing_elements_then_opens_the_incident_on_a_second_enter() {
    let mut s = with_officer();
    update(&mut s, key('n'));
    let effects = update(&mut s, code(KeyCode::Enter));
    assert!(effects.is_empty(), "the title is required");
    typed(&mut s, "福田区某下穿通道内涝");
    update(&mut s, code(KeyCode::Tab));
    update(&mut s, code(KeyCode::Right)); // 较大 Ⅲ
    update(&mut s, code(KeyCode::Tab)); // time (pre-filled 03:12)
    update(&mut s, code(KeyCode::Tab)); // place
    typed(&mut s, "福田区 某路下穿通道");
    let first = update(&mut s, code(KeyCode::Enter));
    assert!(first.is_empty());
    let Overlay::Form(form) = &s.view.overlay else {
        panic!("the form stays open for a second look")
    };
    assert_eq!(form.flagged.len(), 7, "the other elements are flagged");
    let effects = update(&mut s, code(KeyCode::Enter));
    let bodies = sent(&effects);
    let CommandBody::OpenIncident {
        id,
        grade,
        district,
        opened_at,
        ..
    } = bodies[0]
    else {
        panic!("first the incident: {bodies:?}")
    };
    assert_eq!(
        (*grade, district.as_str(), *opened_at),
        (Grade::III, "福田区", now() - SignedDuration::from_secs(45))
    );
    let CommandBody::Timeline {
        kind,
        text,
        incident_id,
        ..
    } = bodies[1]
    else {
        panic!("then its 接报 entry")
    };
    assert_eq!((kind.as_str(), incident_id), ("接报", id));
    assert!(
        text.contains("事发地点（区、街道）：福田区 某路下穿通道"),
        "{text}"
    );
    assert!(
        text.contains("待补充：") && text.contains("伤亡情况"),
        "{text}"
    );
    assert_eq!(s.selected_incident().unwrap().title, "福田区某下穿通道内涝");
}

#[test]
fn an_event_time_after_now_means_yesterday() {
    let mut s = with_officer();
    // 00:05 in Shanghai.
    s.now = "2026-11-28T16:05:00Z".parse().unwrap();
    let t = watchroom::app::intake::parse_event_time(&s, "23:55").unwrap();
    assert_eq!(t, "2026-11-28T15:55:00Z".parse().unwrap());
    let t = watchroom::app::intake::parse_event_time(&s, "00:12").unwrap();
    assert_eq!(
        t,
        "2026-11-28T16:12:00Z".parse().unwrap(),
        "a few minutes ahead is a clock skew, not yesterday"
    );
    assert!(watchroom::app::intake::parse_event_time(&s, "25:00").is_none());
}

#[test]
fn a_rejected_command_leaves_the_outbox_and_says_why() {
    let mut s = with_officer();
    update(&mut s, key('a'));
    update(&mut s, code(KeyCode::Enter));
    update(
        &mut s,
        Msg::CommandResult {
            key: "t-1".into(),
            outcome: Outcome::Rejected("HTTP 404: no such alert".into()),
        },
    );
    assert!(s.actions.queue.is_empty());
    assert!(
        s.view
            .flash
            .as_ref()
            .unwrap()
            .text
            .contains("no such alert")
    );
}

#[test]
fn acknowledging_an_alert_from_another_feed_stays_local() {
    let mut s = with_officer();
    let mut quake = alert("us1", Colour::Red, "地震", "M7 地震", "外海", 0);
    quake.ack = None;
    update(
        &mut s,
        Msg::Source(watchroom::sources::SourceUpdate {
            source: "usgs".into(),
            at: now(),
            event: SourceEvent::Snapshot {
                alerts: vec![quake],
                incidents: vec![],
                shifts: vec![],
            },
        }),
    );
    update(&mut s, key('g'));
    assert_eq!(selected_id(&s), Some("us1"));
    update(&mut s, key('a'));
    let effects = update(&mut s, code(KeyCode::Enter));
    assert!(sent(&effects).is_empty());
    assert!(s.records.find_alert("us1").unwrap().ack.is_some());
}

#[test]
fn read_only_removes_every_action_from_keys_and_help() {
    let mut s = with_officer();
    s.session.read_only = true;
    s.session.keymap = s.session.keymap.clone().without_writes();
    assert!(update(&mut s, key('a')).is_empty());
    assert_eq!(s.view.overlay, Overlay::None);
    assert!(
        s.session
            .keymap
            .in_mode(Mode::Watch)
            .all(|b| !b.action.writes())
    );
    assert!(
        s.session
            .keymap
            .in_mode(Mode::Watch)
            .any(|b| b.text(watchroom::app::Lang::Zh) == "帮助")
    );
}

#[test]
fn an_overdue_report_rings_once_goes_to_the_top_and_clears_when_made() {
    let mut s = with_officer();
    // i-2 (较大) was opened 40 minutes ago and has no 初报: the 30-minute phone report is late.
    let next = s
        .next_report(s.records.find_incident("i-2").unwrap())
        .unwrap();
    assert_eq!(next.label, "电话初报");
    assert!(next.overdue(now()));
    assert_eq!(s.sorted_incidents()[0].id, "i-2");
    // It rings (once, with the red reminder) and notifies the desktop (`notify`).
    assert_eq!(update(&mut s, Msg::Tick(now()))[0], Effect::Bell);
    assert!(
        s.view
            .flash
            .as_ref()
            .unwrap()
            .text
            .contains("报告逾期 电话初报")
    );
    assert!(
        update(&mut s, Msg::Tick(now() + SignedDuration::from_secs(1))).is_empty(),
        "once"
    );

    // Logging the phone report (kind 初报) fulfils it; the written report is next.
    update(&mut s, code(KeyCode::Tab));
    update(&mut s, key('l'));
    for _ in 0..5 {
        update(&mut s, code(KeyCode::Right)); // 记录 → … → 初报
    }
    update(&mut s, code(KeyCode::Tab));
    typed(&mut s, "电话报市政府总值班室");
    update(&mut s, code(KeyCode::Enter));
    let next = s
        .next_report(s.records.find_incident("i-2").unwrap())
        .unwrap();
    assert_eq!(next.label, "书面报告");
    assert!(!next.overdue(now()));
}

#[test]
fn y_in_the_expert_list_copies_the_phone_with_osc52() {
    let mut s = with_officer();
    let dir = watchroom::server::demo_expert_directory().expect("demo experts");
    update(&mut s, source(SourceEvent::Experts(dir), now()));
    update(&mut s, key('e'));
    typed(&mut s, "weixianhuaxue");
    update(&mut s, code(KeyCode::Tab));
    let effects = update(&mut s, key('y'));
    let [Effect::Copy(phone)] = &effects[..] else {
        panic!("one copy effect expected: {effects:?}")
    };
    assert!(phone.starts_with("100-0000-"), "{phone}");
    assert!(s.view.flash.as_ref().unwrap().text.contains("OSC 52"));
    // Esc returns to the search box, Esc again clears it, then leaves.
    update(&mut s, code(KeyCode::Esc));
    update(&mut s, code(KeyCode::Esc));
    assert!(matches!(&s.view.overlay, Overlay::Experts(v) if v.query.is_blank()));
    update(&mut s, code(KeyCode::Esc));
    assert_eq!(s.view.overlay, Overlay::None);
}

/// A red `dup-1` from `origin`, with its own title and text, arrives live.
fn dup_arrives(s: &mut State, origin: &str) {
    let title = format!("{origin} 暴雨红色预警");
    let mut a = alert("dup-1", Colour::Red, "暴雨", &title, "东区", 1);
    a.texts = Texts::new(&title, &format!("{origin} 的预警正文"));
    a.ack = None;
    update(
        s,
        Msg::Source(watchroom::sources::SourceUpdate {
            source: origin.into(),
            at: now(),
            event: SourceEvent::Alert(a),
        }),
    );
}

/// Two feeds that report an alert under one id (the same CAP message, two Alertmanagers):
/// `feed_a`'s (held first) and `feed_b`'s.
fn two_sources_one_id() -> State {
    let mut s = with_officer();
    dup_arrives(&mut s, "feed_a");
    dup_arrives(&mut s, "feed_b");
    s
}

/// Move the cursor from the top of the wall to the lower of the two `dup-1` rows; its
/// source and the other's.
fn select_the_lower_dup(s: &mut State) -> (String, String) {
    let rows: Vec<(String, String)> = s
        .shown_alerts()
        .iter()
        .map(|a| (a.origin.to_string(), a.id.to_string()))
        .collect();
    let at: Vec<usize> = (0..rows.len()).filter(|&n| rows[n].1 == "dup-1").collect();
    assert_eq!(at.len(), 2, "both sources' rows are on the wall: {rows:?}");
    update(s, key('g'));
    for _ in 0..at[1] {
        update(s, key('j'));
    }
    let chosen = rows[at[1]].0.clone();
    let other = rows[at[0]].0.clone();
    assert_ne!(chosen, other);
    (chosen, other)
}

fn screen(s: &mut State) -> String {
    text(&render(s, 120, 40)).join("\n")
}

#[test]
fn detail_shows_the_selected_rows_alert_not_another_sources_of_the_same_id() {
    let mut s = two_sources_one_id();
    let (chosen, other) = select_the_lower_dup(&mut s);
    update(&mut s, code(KeyCode::Enter));
    assert_eq!(s.mode(), Mode::Detail);
    let shown = screen(&mut s);
    assert!(
        shown.contains(&format!("{chosen} 的预警正文")),
        "the detail is the selected row's alert:\n{shown}"
    );
    assert!(
        !shown.contains(&format!("{other} 的预警正文")),
        "not the other source's:\n{shown}"
    );
}

#[test]
fn acknowledging_acts_on_the_selected_rows_source_after_the_wall_moves() {
    let mut s = two_sources_one_id();
    let (chosen, other) = select_the_lower_dup(&mut s);
    // A newer red from a third feed lands above: the rows shift under the cursor, which
    // stays on the alert chosen.
    let mut newer = alert(
        "new-1",
        Colour::Red,
        "大风",
        "feed_c 大风红色预警",
        "西区",
        0,
    );
    newer.ack = None;
    update(
        &mut s,
        Msg::Source(watchroom::sources::SourceUpdate {
            source: "feed_c".into(),
            at: now(),
            event: SourceEvent::Alert(newer),
        }),
    );
    let selected = s
        .selected_alert()
        .map(|a| (a.origin.to_string(), a.id.to_string()));
    assert_eq!(selected, Some((chosen.clone(), "dup-1".to_owned())));

    update(&mut s, key('a'));
    let form = screen(&mut s);
    assert!(
        form.contains(&format!("确认预警 · {chosen} 暴雨红色预警")),
        "the form names the selected row's alert:\n{form}"
    );
    update(&mut s, code(KeyCode::Enter));
    let acked = |origin: &str| {
        s.records
            .alerts()
            .iter()
            .find(|a| a.origin == origin && a.id == "dup-1")
            .map(|a| a.ack.is_some())
    };
    assert_eq!(
        acked(&chosen),
        Some(true),
        "the selected row's alert is acknowledged"
    );
    assert_eq!(
        acked(&other),
        Some(false),
        "the other source's is untouched"
    );
}

#[test]
fn a_new_arrival_marks_its_own_sources_row_not_another_of_the_same_id() {
    let mut s = with_officer();
    dup_arrives(&mut s, "feed_a");
    s.said.arrived.clear();
    dup_arrives(&mut s, "feed_b");
    let wall = screen(&mut s);
    assert!(wall.contains("新 feed_b 暴雨红色预警"), "{wall}");
    assert!(wall.contains("feed_a 暴雨红色预警"), "{wall}");
    assert!(
        !wall.contains("新 feed_a"),
        "feed_a's alert did not arrive:\n{wall}"
    );
}

/// Log an entry of `kind` on the selected incident from the duty-log form.
fn log_kind(s: &mut State, kind: &str, text: &str) -> Vec<Effect> {
    update(s, key('l'));
    let Overlay::Form(form) = &s.view.overlay else {
        panic!("the duty-log form opens: {:?}", s.view.overlay);
    };
    let at = form.fields[0]
        .choices
        .iter()
        .position(|c| c == kind)
        .unwrap_or_else(|| panic!("{kind} is offered: {:?}", form.fields[0].choices));
    for _ in 0..at {
        update(s, code(KeyCode::Right));
    }
    update(s, code(KeyCode::Tab));
    typed(s, text);
    update(s, code(KeyCode::Enter))
}

#[test]
fn a_written_report_can_be_logged_and_stops_its_clock() {
    let mut s = with_officer();
    update(&mut s, code(KeyCode::Tab)); // the incidents; i-2 leads (its report is late)
    log_kind(&mut s, "初报", "电话报市政府总值班室");
    let i2 = |s: &State| s.next_report(s.records.find_incident("i-2").unwrap());
    assert_eq!(i2(&s).unwrap().label, "书面报告");
    let effects = log_kind(&mut s, "书面报告", "书面报告已报送市政府总值班室");
    assert!(
        sent(&effects)
            .iter()
            .any(|b| matches!(b, CommandBody::Timeline { kind, .. } if kind == "书面报告")),
        "{effects:?}"
    );
    assert_ne!(i2(&s).map(|d| d.label), Some("书面报告".to_owned()));
}

#[test]
fn the_duty_log_offers_every_kind_a_local_reporting_rule_waits_for() {
    let mut s = with_officer();
    s.records
        .report_rules_mut()
        .rule
        .push(watchroom::app::deadlines::Rule {
            grade: Grade::III,
            label: "传真报告".into(),
            kind: "传真".into(),
            within_minutes: 90,
        });
    update(&mut s, code(KeyCode::Tab));
    update(&mut s, key('l'));
    let Overlay::Form(form) = &s.view.overlay else {
        panic!("{:?}", s.view.overlay);
    };
    let kinds = &form.fields[0].choices;
    for k in ["书面报告", "传真"] {
        assert!(kinds.iter().any(|c| c == k), "{k} missing from {kinds:?}");
    }
}
