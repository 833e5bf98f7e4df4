//! The wall's order is kept between frames (`State::refresh_wall`): whatever changes —
//! alerts arriving, updated, acknowledged, cancelled, expiring with the clock, a snapshot
//! replacing a source, the filter — what the kept wall says must be what sorting afresh
//! says.

use crate::support::fixture::*;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use watchroom::app::command_line::set_filter;
use watchroom::app::filter::FilterTarget;
use watchroom::app::{Msg, State, update};
use watchroom::model::*;
use watchroom::sources::SourceEvent;

fn ids(s: &State) -> Vec<String> {
    s.shown_alerts().iter().map(|a| a.id.to_string()).collect()
}

/// The same questions answered with the kept wall thrown away.
fn afresh(s: &State) -> State {
    let mut copy = s.clone();
    copy.records.alerts_mut();
    copy
}

fn check(s: &State, step: &str) {
    let fresh = afresh(s);
    assert_eq!(ids(s), ids(&fresh), "shown alerts after {step}");
    assert_eq!(s.shown_alerts().total, fresh.shown_alerts().total, "{step}");
    assert_eq!(
        s.alert_counts(),
        fresh.alert_counts(),
        "counts after {step}"
    );
    assert_eq!(
        s.reminder_pending(),
        fresh.reminder_pending(),
        "reminder after {step}"
    );
    assert_eq!(
        s.selected_alert().map(|a| a.id.to_string()),
        fresh.selected_alert().map(|a| a.id.to_string()),
        "selection after {step}"
    );
}

fn arrive(s: &mut State, origin: &str, a: Alert) {
    let msg = Msg::Source(watchroom::sources::SourceUpdate {
        source: origin.to_owned(),
        at: s.now,
        event: SourceEvent::Alert(a),
    });
    update(s, msg);
}

fn tick(s: &mut State, by_min: i64) {
    let at = s.now + mins(by_min);
    update(s, Msg::Tick(at));
    update(s, source(SourceEvent::Alive { live: true }, at));
}

#[test]
fn the_kept_wall_answers_as_a_fresh_sort_after_every_change() {
    let mut s = state();
    s.refresh_wall();
    check(&s, "start");

    // Each step changes something; the wall is refreshed after some steps and not others,
    // as the console refreshes only before a frame.
    let mut step = 0;
    let mut after = |s: &mut State, what: &str| {
        step += 1;
        if step % 2 == 0 {
            s.refresh_wall();
        }
        check(s, what);
        s.refresh_wall();
        check(s, what);
    };

    let mut red = alert(
        "n-red",
        Colour::Red,
        "暴雨",
        "暴雨红色预警信号",
        "南山区",
        0,
    );
    red.expires = Some(s.now + mins(30));
    arrive(&mut s, "duty_api", red.clone());
    after(&mut s, "a new red alert");

    // The same id from another source is another alert.
    let mut other = red.clone();
    other.colour = Colour::Blue;
    other.level = Colour::Blue.level();
    arrive(&mut s, "feed", other);
    after(&mut s, "the same id from another source");

    update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Char('j'), KeyModifiers::NONE)),
    );
    update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Char('j'), KeyModifiers::NONE)),
    );
    after(&mut s, "moving the selection");

    let mut acked = red.clone();
    acked.ack = Some(Box::new(Ack {
        seat: None,
        officer: "值班员 张某伟".into(),
        note: String::new(),
        at: s.now,
    }));
    arrive(&mut s, "duty_api", acked);
    after(&mut s, "the red alert acknowledged");

    let mut orange = alert(
        "n-orange",
        Colour::Orange,
        "大风",
        "大风橙色预警",
        "全市",
        0,
    );
    orange.expires = Some(s.now + mins(90));
    arrive(&mut s, "duty_api", orange.clone());
    after(&mut s, "an orange alert");

    set_filter(&mut s, FilterTarget::Alerts, "橙");
    after(&mut s, "a filter");
    set_filter(&mut s, FilterTarget::Alerts, "");
    after(&mut s, "the filter cleared");

    // Cancelled: the cancel message and the cancelled alert stay two hours as 【已解除】.
    let mut cancel = alert("n-cancel", Colour::Orange, "大风", "解除", "全市", 0);
    cancel.msg_type = MsgType::Cancel;
    cancel.extra.references = vec!["n-orange".into()];
    orange.extra.cancelled_by = Some("n-cancel".into());
    arrive(&mut s, "duty_api", cancel);
    arrive(&mut s, "duty_api", orange);
    after(&mut s, "a cancellation");

    tick(&mut s, 31);
    after(&mut s, "the red alert's expiry passing");
    tick(&mut s, 100);
    after(&mut s, "the cancellation's two hours passing");

    let at = s.now;
    update(&mut s, source(snapshot(), at));
    after(&mut s, "a snapshot replacing the backend's alerts");
}

#[test]
fn an_expiry_takes_an_alert_off_the_kept_wall_without_any_change_to_the_alerts() {
    let mut s = state();
    let mut a = alert("short", Colour::Yellow, "雷电", "雷电黄色预警", "全市", 0);
    a.expires = Some(s.now + mins(5));
    arrive(&mut s, "duty_api", a);
    s.refresh_wall();
    assert!(ids(&s).contains(&"short".to_owned()));
    let yellow = s.alert_counts()[Colour::Yellow as usize];

    // Only the clock moves: the wall must see the expiry before and after a refresh.
    s.now += mins(6);
    assert!(!ids(&s).contains(&"short".to_owned()));
    assert_eq!(s.alert_counts()[Colour::Yellow as usize], yellow - 1);
    s.refresh_wall();
    assert!(!ids(&s).contains(&"short".to_owned()));
}

#[test]
fn the_selection_stays_on_its_alert_when_a_new_one_lands_above_it() {
    let mut s = state();
    s.refresh_wall();
    let down = Msg::Key(KeyEvent::new(KeyCode::Char('j'), KeyModifiers::NONE));
    update(&mut s, down.clone());
    update(&mut s, down);
    let chosen = s.selected_alert().map(|a| a.id.to_string());
    assert!(chosen.is_some());

    let red = alert("top", Colour::Red, "台风", "台风红色预警信号", "全市", 0);
    arrive(&mut s, "duty_api", red);
    s.refresh_wall();
    assert_eq!(ids(&s)[0], "top", "the new red alert leads the wall");
    assert_eq!(s.selected_alert().map(|a| a.id.to_string()), chosen);
}

#[test]
fn an_update_replaces_only_the_alert_of_its_own_source() {
    let mut s = state();
    let a = alert("same", Colour::Yellow, "暴雨", "暴雨黄色预警", "全市", 0);
    arrive(&mut s, "duty_api", a.clone());
    arrive(&mut s, "feed", a.clone());
    let mut b = a;
    b.texts.set_title("暴雨黄色预警（更新）");
    arrive(&mut s, "feed", b);
    let titles = |origin: &str| -> Vec<String> {
        s.records
            .alerts()
            .iter()
            .filter(|x| x.id == "same" && x.origin == origin)
            .map(|x| x.title().to_owned())
            .collect()
    };
    assert_eq!(titles("duty_api"), ["暴雨黄色预警"]);
    assert_eq!(titles("feed"), ["暴雨黄色预警（更新）"]);
}

#[test]
fn a_clock_set_back_brings_an_expired_alert_back_on_the_kept_wall() {
    let mut s = state();
    let start = s.now;
    let mut a = alert("brief", Colour::Orange, "大风", "大风橙色预警", "全市", 0);
    a.expires = Some(start + mins(1));
    arrive(&mut s, "duty_api", a);
    s.now = start + mins(2);
    s.refresh_wall();
    assert!(!ids(&s).contains(&"brief".to_owned()), "expired");
    // The machine's clock is stepped back (NTP): the alert is in force again.
    s.now = start;
    assert!(ids(&s).contains(&"brief".to_owned()));
    check(&s, "the clock set back");
}

#[test]
fn the_colour_an_alert_had_counts_every_copy_a_feed_repeated() {
    let mut s = state();
    let mut orange = alert("twice", Colour::Orange, "暴雨", "暴雨橙色预警", "全市", 5);
    orange.origin = "feed".into();
    let mut red = orange.clone();
    red.colour = Colour::Red;
    red.level = Colour::Red.level();
    // One snapshot holding the same id twice (a feed that repeats itself).
    let msg = Msg::Source(watchroom::sources::SourceUpdate {
        source: "feed".to_owned(),
        at: s.now,
        event: SourceEvent::Snapshot {
            alerts: vec![orange.clone(), red],
            incidents: vec![],
            shifts: vec![],
        },
    });
    update(&mut s, msg);
    let mut next = alert("next", Colour::Red, "暴雨", "暴雨红色预警", "全市", 0);
    next.origin = "feed".into();
    next.msg_type = MsgType::Update;
    next.extra.references = vec!["twice".into()];
    assert_eq!(s.records.previous_colour(&next), Some(Colour::Red));
}

#[test]
fn a_thread_cancelled_by_a_message_naming_all_of_it_stands_once() {
    let mut s = state();
    let mut first = alert("t-1", Colour::Yellow, "大风", "大风黄色预警", "全市", 20);
    let mut update_msg = alert("t-2", Colour::Orange, "大风", "大风橙色预警", "全市", 10);
    update_msg.msg_type = MsgType::Update;
    update_msg.extra.references = vec!["t-1".into()];
    first.extra.superseded_by = Some("t-2".into());
    let mut cancel = alert("t-3", Colour::Orange, "大风", "大风预警解除", "全市", 0);
    cancel.msg_type = MsgType::Cancel;
    cancel.extra.references = vec!["t-1".into(), "t-2".into()];
    first.extra.cancelled_by = Some("t-3".into());
    update_msg.extra.cancelled_by = Some("t-3".into());
    for a in [first, update_msg, cancel] {
        arrive(&mut s, "duty_api", a);
    }
    s.refresh_wall();
    let shown: Vec<String> = ids(&s)
        .into_iter()
        .filter(|id| id.starts_with("t-"))
        .collect();
    assert_eq!(shown, ["t-2"], "one row for the thread, its latest message");
    check(&s, "a cancelled thread");
    let history: Vec<&str> = s.history().iter().map(|a| a.id.as_str()).collect();
    for id in ["t-1", "t-2"] {
        assert!(history.contains(&id), "history keeps {id}: {history:?}");
    }
}

#[test]
fn the_wall_leads_with_what_waits_for_acknowledgement_then_by_level_then_newest() {
    let mut s = state();
    let acked = |mut a: Alert| {
        a.ack = Some(Box::new(Ack {
            seat: None,
            officer: "值班员 测试甲".into(),
            note: String::new(),
            at: now(),
        }));
        a
    };
    for a in [
        acked(alert(
            "w-red-acked",
            Colour::Red,
            "暴雨",
            "暴雨红色（已确认）",
            "全市",
            1,
        )),
        alert("w-orange", Colour::Orange, "大风", "大风橙色", "全市", 30),
        alert("w-red", Colour::Red, "台风", "台风红色", "全市", 60),
        acked(alert(
            "w-yellow-new",
            Colour::Yellow,
            "雷电",
            "雷电黄色新",
            "全市",
            2,
        )),
        acked(alert(
            "w-yellow-old",
            Colour::Yellow,
            "雷电",
            "雷电黄色旧",
            "全市",
            50,
        )),
    ] {
        arrive(&mut s, "duty_api", a);
    }
    let order: Vec<String> = ids(&s)
        .into_iter()
        .filter(|id| id.starts_with("w-"))
        .collect();
    assert_eq!(
        order,
        [
            "w-red",
            "w-orange",
            "w-red-acked",
            "w-yellow-new",
            "w-yellow-old"
        ],
        "unacknowledged red and orange lead (red first), then by level, then newest"
    );
}
