//! Silences, leader instructions and the shift handover through `update()`: each key
//! path, the optimistic change, the command queued, and what the clock does later.

use crate::support::fixture::*;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use jiff::SignedDuration;
use watchroom::app::command::CommandBody;
use watchroom::app::form::FormKind;
use watchroom::app::lists::{ListKind, ListView};
use watchroom::app::{AlertKey, Effect, Msg, Overlay, State, update};
use watchroom::model::*;
use watchroom::sources::SourceEvent;

fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

fn code(k: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(k, KeyModifiers::NONE))
}

fn typed(s: &mut State, text: &str) {
    for c in text.chars() {
        update(s, key(c));
    }
}

fn with_officer(name: &str) -> State {
    let mut s = state();
    // Reporting deadlines ring on ticks too; these tests listen for silences only.
    *s.records.report_rules_mut() = watchroom::app::deadlines::ReportRules {
        rule: Vec::new(),
        followup_times: Vec::new(),
        followup_grades: Vec::new(),
    };
    s.session.officer = Some(name.into());
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

/// The clock moves on with the backend still live (a silent source would raise its own
/// alarm, which these tests are not about).
fn tick(s: &mut State, at: jiff::Timestamp) -> Vec<Effect> {
    update(s, source(SourceEvent::Alive { live: true }, at));
    update(s, Msg::Tick(at))
}

#[test]
fn a_silence_needs_a_reason_and_is_queued_with_who_and_until_when() {
    let mut s = with_officer("测试甲");
    update(&mut s, key('s'));
    assert!(
        matches!(&s.view.overlay, Overlay::Form(f) if matches!(f.kind, FormKind::Silence { .. }))
    );
    // Without a reason the form stays open with the field flagged.
    update(&mut s, code(KeyCode::Enter));
    let Overlay::Form(f) = &s.view.overlay else {
        panic!("the form must stay open without a reason")
    };
    assert_eq!(f.flagged, [1]);
    typed(&mut s, "已电话确认现场");
    let effects = update(&mut s, code(KeyCode::Enter));
    assert_eq!(s.view.overlay, Overlay::None);
    let until = now() + SignedDuration::from_mins(30);
    assert_eq!(
        sent(&effects),
        [&CommandBody::Silence {
            alert_id: "a-red".into(),
            officer: "测试甲".into(),
            reason: "已电话确认现场".into(),
            until,
        }]
    );
    let silence = s
        .records
        .find_alert("a-red")
        .unwrap()
        .silence
        .clone()
        .unwrap();
    assert_eq!((silence.from, silence.until), (now(), until));
    // Silencing is not acknowledging.
    assert!(s.records.find_alert("a-red").unwrap().ack.is_none());
}

#[test]
fn a_silence_warns_before_it_ends_and_the_alert_sounds_again_after() {
    let mut s = with_officer("测试甲");
    update(&mut s, key('s'));
    update(&mut s, code(KeyCode::Right)); // 1 小时
    update(&mut s, code(KeyCode::Tab));
    typed(&mut s, "处置中");
    update(&mut s, code(KeyCode::Enter));
    s.said.arrived.clear();

    assert!(tick(&mut s, now() + SignedDuration::from_mins(50)).is_empty());
    assert!(
        s.view
            .flash
            .as_ref()
            .is_none_or(|f| !f.text.contains("静默即将结束"))
    );

    tick(&mut s, now() + SignedDuration::from_mins(56));
    let flash = s
        .view
        .flash
        .clone()
        .expect("a warning five minutes before the end");
    assert!(flash.text.contains("静默即将结束"), "{}", flash.text);
    // Said once.
    s.view.flash = None;
    tick(&mut s, now() + SignedDuration::from_mins(57));
    assert!(s.view.flash.is_none());

    let effects = tick(&mut s, now() + SignedDuration::from_mins(60));
    assert_eq!(
        effects,
        [Effect::Bell],
        "the alert still stands: it sounds again"
    );
    assert!(s.view.flash.as_ref().unwrap().text.contains("静默已结束"));
    assert!(
        s.said
            .arrived
            .contains_key(&AlertKey::new("duty_api", "a-red")),
        "marked new again"
    );
    // Announced once (the unacknowledged red keeps its own reminder bell from now on).
    s.view.flash = None;
    tick(&mut s, now() + SignedDuration::from_mins(61));
    assert!(
        s.view
            .flash
            .as_ref()
            .is_none_or(|f| !f.text.contains("静默已结束"))
    );
}

#[test]
fn a_silence_that_ends_after_the_alert_was_cancelled_stays_quiet() {
    let mut s = with_officer("测试甲");
    update(&mut s, key('s'));
    update(&mut s, code(KeyCode::Tab));
    typed(&mut s, "处置中");
    update(&mut s, code(KeyCode::Enter));
    let mut red = s.records.find_alert("a-red").unwrap().clone();
    red.extra.cancelled_by = Some("a-red-cancel".into());
    update(
        &mut s,
        source(
            SourceEvent::Alert(red),
            now() + SignedDuration::from_mins(5),
        ),
    );
    let effects = tick(&mut s, now() + SignedDuration::from_mins(31));
    assert!(effects.is_empty(), "{effects:?}");
}

#[test]
fn the_silence_list_shows_active_silences_and_lifting_one_ends_it() {
    let mut s = with_officer("测试甲");
    update(&mut s, key('s'));
    update(&mut s, code(KeyCode::Tab));
    typed(&mut s, "已通知区三防办");
    update(&mut s, code(KeyCode::Enter));
    assert_eq!(watchroom::app::silences::active(&s).len(), 1);
    update(&mut s, key('S'));
    assert_eq!(
        s.view.overlay,
        Overlay::List(ListView {
            kind: ListKind::Silences,
            at: 0
        })
    );
    update(&mut s, code(KeyCode::Esc));

    update(&mut s, key('s'));
    for _ in 0..6 {
        update(&mut s, code(KeyCode::Right)); // … 解除静默
    }
    update(&mut s, code(KeyCode::Tab));
    typed(&mut s, "恢复提醒");
    let effects = update(&mut s, code(KeyCode::Enter));
    let [CommandBody::Silence { until, .. }] = sent(&effects)[..] else {
        panic!("one silence command: {effects:?}")
    };
    assert_eq!(*until, now());
    assert!(watchroom::app::silences::active(&s).is_empty());
}

#[test]
fn a_leader_instruction_is_followed_up_until_closed() {
    let mut s = with_officer("测试甲");
    update(&mut s, key('\t')); // incidents pane
    update(&mut s, code(KeyCode::Tab));
    s.view.selected_incident = Some("i-2".into());
    update(&mut s, key('i'));
    let Overlay::Form(f) = &s.view.overlay else {
        panic!("instruction form")
    };
    assert_eq!(
        f.value("leader"),
        "王某某（示例）",
        "the leader on duty is pre-filled"
    );
    typed(&mut s, "组织危化品专家研判");
    update(&mut s, code(KeyCode::Tab));
    update(&mut s, code(KeyCode::Tab));
    typed(&mut s, "南山区应急管理局");
    let effects = update(&mut s, code(KeyCode::Enter));
    let [
        CommandBody::Timeline {
            kind,
            leader,
            assignee,
            refers_to,
            ..
        },
    ] = sent(&effects)[..]
    else {
        panic!("one timeline command: {effects:?}")
    };
    assert_eq!(kind, "批示");
    assert_eq!(leader.as_deref(), Some("王某某（示例）"));
    assert_eq!(assignee.as_deref(), Some("南山区应急管理局"));
    assert_eq!(refers_to, &None);

    // The list: the older 批示 of the fixture (no leader named) and the new one, both open.
    update(&mut s, key('I'));
    let list = watchroom::app::instructions::listed(&s);
    assert_eq!(list.len(), 2);
    assert!(list.iter().all(|i| i.open()));
    let new_key = list[1].entry.id.clone();

    update(&mut s, code(KeyCode::Down));
    assert_eq!(
        s.view.overlay,
        Overlay::List(ListView {
            kind: ListKind::Instructions,
            at: 1
        })
    );
    update(&mut s, code(KeyCode::Enter));
    assert!(
        matches!(&s.view.overlay, Overlay::Form(f) if matches!(f.kind, FormKind::FollowUp { .. })),
        "{:?}",
        s.view.overlay
    );
    update(&mut s, code(KeyCode::Tab));
    typed(&mut s, "专家已到场");
    let effects = update(&mut s, code(KeyCode::Enter));
    let [
        CommandBody::Timeline {
            kind, refers_to, ..
        },
    ] = sent(&effects)[..]
    else {
        panic!("one follow-up: {effects:?}")
    };
    assert_eq!(
        (kind.as_str(), refers_to.as_deref()),
        ("督办", Some(new_key.as_str()))
    );
    assert_eq!(
        watchroom::app::instructions::listed(&s)[1].followups.len(),
        1
    );

    update(&mut s, code(KeyCode::Down));
    update(&mut s, code(KeyCode::Enter));
    update(&mut s, code(KeyCode::Right)); // 办结
    update(&mut s, code(KeyCode::Tab));
    typed(&mut s, "研判完成，风险解除");
    update(&mut s, code(KeyCode::Enter));
    let list = watchroom::app::instructions::listed(&s);
    let closed: Vec<bool> = list.iter().map(|i| i.open()).collect();
    assert_eq!(closed, [true, false], "open first, the closed one last");
}

#[test]
fn signing_the_handover_sends_the_review_with_the_notes() {
    let mut s = with_officer("赵某某（示例）");
    s.session.demo = false;
    update(&mut s, key('h'));
    assert!(matches!(s.view.overlay, Overlay::Handover(_)));
    typed(&mut s, "注意龙岗边坡夜间巡查");
    // Closing keeps the notes; opening again shows them.
    update(&mut s, code(KeyCode::Esc));
    assert_eq!(s.view.handover_notes, "注意龙岗边坡夜间巡查");
    update(&mut s, key('h'));
    let effects = update(&mut s, ctrl('s'));
    let [
        CommandBody::Handover {
            outgoing,
            notes,
            report,
            shift_start,
            shift_end,
        },
    ] = sent(&effects)[..]
    else {
        panic!("one handover command: {effects:?}")
    };
    assert_eq!(outgoing, "赵某某（示例）");
    assert_eq!(notes, "注意龙岗边坡夜间巡查");
    assert_eq!(report.notes, *notes);
    assert_eq!(*shift_start, now() - SignedDuration::from_hours(19));
    assert_eq!(*shift_end, now() + SignedDuration::from_hours(5));
    assert!(
        effects.iter().any(
            |e| matches!(e, Effect::SaveHandover { markdown, .. } if markdown.contains("注意龙岗边坡夜间巡查"))
        ),
        "a local Markdown copy is kept"
    );
    assert_eq!(s.view.overlay, Overlay::None);
    assert!(s.view.handover_notes.is_empty());
}

fn signed_record(outgoing: &str) -> Handover {
    Handover {
        incoming_seat: None,
        outgoing_seat: None,
        id: "handover-1".into(),
        outgoing: outgoing.into(),
        incoming: String::new(),
        shift_start: now() - SignedDuration::from_hours(19),
        shift_end: now() + SignedDuration::from_hours(5),
        notes: String::new(),
        created_at: Some(now()),
        confirmed_at: None,
        report: None,
    }
}

#[test]
fn the_incoming_officer_confirms_and_the_outgoing_one_cannot() {
    let mut s = with_officer("赵某某（示例）");
    update(
        &mut s,
        source(
            SourceEvent::Handover(signed_record("赵某某（示例）")),
            now(),
        ),
    );
    update(&mut s, key('h'));
    assert!(sent(&update(&mut s, ctrl('o'))).is_empty());
    assert!(
        s.view
            .flash
            .as_ref()
            .unwrap()
            .text
            .contains("交班人不能自己确认")
    );

    s.session.officer = Some("周某某（示例）".into());
    let effects = update(&mut s, ctrl('o'));
    assert_eq!(
        sent(&effects),
        [&CommandBody::ConfirmHandover {
            handover_id: "handover-1".into(),
            incoming: "周某某（示例）".into()
        }]
    );
    assert_eq!(s.records.handovers[0].confirmed_at, Some(now()));
    assert_eq!(s.records.handovers[0].incoming, "周某某（示例）");
}

#[test]
fn a_read_only_wall_has_no_silence_instruction_or_signing_keys() {
    let mut s = state();
    s.session.read_only = true;
    s.session.keymap = s.session.keymap.clone().without_writes();
    for c in ['s', 'i'] {
        update(&mut s, key(c));
        assert_eq!(s.view.overlay, Overlay::None, "{c}");
    }
    update(&mut s, key('h'));
    assert!(
        matches!(s.view.overlay, Overlay::Handover(_)),
        "the review can be read"
    );
    assert!(sent(&update(&mut s, ctrl('s'))).is_empty());
    typed(&mut s, "x");
    let Overlay::Handover(v) = &s.view.overlay else {
        panic!()
    };
    assert_eq!(v.notes.text(), "");
}

#[test]
fn a_silenced_red_does_not_ring_its_reminder_until_the_silence_ends() {
    let mut s = with_officer("测试甲");
    // The reminder rings at once for the unacknowledged red; then silence it.
    tick(&mut s, now());
    update(&mut s, key('s'));
    update(&mut s, code(KeyCode::Tab));
    typed(&mut s, "处置中");
    update(&mut s, code(KeyCode::Enter));
    for m in [2, 10, 20, 29] {
        let effects = tick(&mut s, now() + SignedDuration::from_mins(m));
        assert!(!effects.contains(&Effect::Bell), "minute {m}: {effects:?}");
    }
    let effects = tick(&mut s, now() + SignedDuration::from_mins(30));
    assert!(
        effects.contains(&Effect::Bell),
        "the silence is over: {effects:?}"
    );
}

#[test]
fn an_instruction_stands_until_closed_though_its_incident_closes() {
    let mut s = with_officer("测试甲");
    let closed = {
        let mut i = s.records.find_incident("i-2").expect("fixture").clone();
        i.status = IncidentStatus::Closed;
        i.updated_at = Some(now());
        i
    };
    update(&mut s, source(SourceEvent::Incident(closed), now()));
    let open: Vec<String> = watchroom::app::instructions::listed(&s)
        .iter()
        .filter(|i| i.open())
        .map(|i| i.entry.id.clone())
        .collect();
    assert_eq!(
        open,
        ["e-3"],
        "the 批示 on the closed incident is still followed up"
    );
    let report = watchroom::app::handover::report(&s, "");
    assert!(report.instructions.iter().any(|l| l.entry_id == "e-3"));

    // A day and more later the console forgets closed incidents — not this one.
    tick(&mut s, now() + SignedDuration::from_hours(30));
    assert!(
        s.records.find_incident("i-2").is_some(),
        "kept for its instruction"
    );
    assert!(
        s.records.find_incident("i-1").is_none(),
        "a closed one with none goes"
    );
}

#[test]
fn the_silence_list_counts_the_minutes_left() {
    let mut s = with_officer("测试甲");
    update(&mut s, key('s')); // the default choice: 30 minutes
    update(&mut s, code(KeyCode::Tab));
    typed(&mut s, "已通知区三防办");
    update(&mut s, code(KeyCode::Enter));
    update(&mut s, key('S'));
    let all = text(&render(&mut s, 120, 40)).join("\n");
    assert!(all.contains("余 30 分钟"), "{all}");
    tick(&mut s, now() + SignedDuration::from_secs(12 * 60 + 30));
    let all = text(&render(&mut s, 120, 40)).join("\n");
    assert!(
        all.contains("余 18 分钟"),
        "17.5 minutes left shows as 18:\n{all}"
    );
}
