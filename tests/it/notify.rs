//! When the console calls the officer: desktop notices and bells decided by `update()` from
//! the injected clock (the D-Bus side is in `notify_dbus`).

use crate::support::fixture::*;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use jiff::SignedDuration;
use watchroom::app::{Effect, Msg, State, update};
use watchroom::config::ConsoleConfig;
use watchroom::model::*;
use watchroom::notify::desktop::NotifyError;
use watchroom::notify::{Notice, NotifySettings, QuietHours, Urgency};
use watchroom::sources::SourceEvent;

fn secs(s: i64) -> SignedDuration {
    SignedDuration::from_secs(s)
}

/// The clock moves on with the backend still live (a silent source raises its own alarm,
/// with its own bell, which these tests are not about).
fn tick(s: &mut State, after: SignedDuration) -> Vec<Effect> {
    update(s, source(SourceEvent::Alive { live: true }, now() + after));
    update(s, Msg::Tick(now() + after))
}

fn arrive(s: &mut State, a: Alert) -> Vec<Effect> {
    update(s, source(SourceEvent::Alert(a), now()))
}

fn notices(effects: &[Effect]) -> Vec<&Notice> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Notify(n) => Some(n),
            _ => None,
        })
        .collect()
}

fn with_notify(settings: NotifySettings) -> State {
    state_in(&ConsoleConfig {
        notify: settings,
        ..ConsoleConfig::default()
    })
}

/// The fixture without its overdue incident, so only alerts ring.
fn alerts_only(mut s: State) -> State {
    s.records.incidents_mut().clear();
    s
}

fn wind(colour: Colour) -> Alert {
    let mut a = alert("a-wind", colour, "大风", "大风预警信号", "南山区 宝安区", 0);
    a.extra.headline = format!("测试市气象台发布大风{}色预警信号", colour.zh());
    a
}

#[test]
fn a_new_orange_alert_notifies_the_desktop_in_the_console_language() {
    let mut s = state();
    let effects = arrive(&mut s, wind(Colour::Orange));
    assert_eq!(
        effects,
        [Effect::Notify(Notice {
            summary: "橙色预警 大风 — 南山区 宝安区".into(),
            body: "测试市气象台发布大风橙色预警信号".into(),
            urgency: Urgency::Normal,
            bell_if_undelivered: true,
        })]
    );

    let mut en = state_in(&ConsoleConfig {
        language: "en".into(),
        ..ConsoleConfig::default()
    });
    let effects = arrive(&mut en, wind(Colour::Orange));
    assert_eq!(
        notices(&effects)[0].summary,
        "Orange warning 大风 — 南山区 宝安区"
    );
}

#[test]
fn a_new_red_alert_notifies_critically_and_rings_at_once() {
    let mut s = alerts_only(state());
    let effects = arrive(&mut s, wind(Colour::Red));
    let n = notices(&effects);
    assert_eq!(n.len(), 1);
    assert_eq!(n[0].summary, "红色预警 大风 — 南山区 宝安区");
    assert_eq!(n[0].urgency, Urgency::Critical);
    assert!(!n[0].bell_if_undelivered, "it has rung already");
    assert!(effects.contains(&Effect::Bell));
}

#[test]
fn blue_and_yellow_alerts_are_below_the_default_level() {
    let mut s = state();
    assert!(arrive(&mut s, wind(Colour::Blue)).is_empty());
    let mut yellow = wind(Colour::Yellow);
    yellow.id = "a-wind-y".into();
    assert!(arrive(&mut s, yellow).is_empty());

    // min_level = "yellow" lowers the bar.
    let mut s = with_notify(NotifySettings {
        min_level: Colour::Yellow,
        ..NotifySettings::default()
    });
    assert_eq!(notices(&arrive(&mut s, wind(Colour::Yellow))).len(), 1);
}

#[test]
fn alerts_in_force_at_start_are_not_announced_but_later_snapshots_announce_new_ones() {
    let mut s = watchroom::console::initial_state(&ConsoleConfig::default(), false, now()).unwrap();
    let first = update(&mut s, source(snapshot(), now()));
    assert!(
        notices(&first).is_empty(),
        "the first snapshot is the baseline"
    );

    // Polling while the stream is down: the next snapshot brings one new orange.
    let mut next = snapshot();
    if let SourceEvent::Snapshot { alerts, .. } = &mut next {
        alerts.push(wind(Colour::Orange));
    }
    let effects = update(&mut s, source(next.clone(), now()));
    assert_eq!(notices(&effects).len(), 1);
    assert_eq!(
        notices(&effects)[0].body,
        "测试市气象台发布大风橙色预警信号"
    );
    assert!(
        notices(&update(&mut s, source(next, now()))).is_empty(),
        "once"
    );
}

#[test]
fn updates_that_keep_or_lower_the_level_are_silent_and_one_that_raises_it_notifies() {
    let mut s = alerts_only(state());
    let mut lower = alert(
        "a-orange-2",
        Colour::Yellow,
        "暴雨",
        "暴雨黄色预警信号",
        "全市",
        0,
    );
    lower.msg_type = MsgType::Update;
    lower.extra.references = vec!["测试市气象台,a-orange,2026-11-29T02:32:45+08:00".into()];
    assert!(arrive(&mut s, lower).is_empty());

    let mut same = alert(
        "a-orange-3",
        Colour::Orange,
        "暴雨",
        "暴雨橙色预警信号",
        "全市",
        0,
    );
    same.msg_type = MsgType::Update;
    same.extra.references = vec!["a-orange".into()];
    assert!(arrive(&mut s, same).is_empty());

    let mut raised = alert(
        "a-orange-4",
        Colour::Red,
        "暴雨",
        "暴雨红色预警信号",
        "全市",
        0,
    );
    raised.msg_type = MsgType::Update;
    raised.extra.references = vec!["a-orange".into()];
    let effects = arrive(&mut s, raised);
    assert_eq!(notices(&effects)[0].summary, "红色预警 暴雨 — 全市");
}

#[test]
fn cancelled_expired_and_test_alerts_are_never_announced_and_exercises_are_marked() {
    let mut s = state();
    let mut cancel = wind(Colour::Red);
    cancel.id = "c".into();
    cancel.msg_type = MsgType::Cancel;
    assert!(arrive(&mut s, cancel).is_empty());

    let mut expired = wind(Colour::Red);
    expired.id = "e".into();
    expired.expires = Some(now() - secs(1));
    assert!(arrive(&mut s, expired).is_empty());

    let mut test = wind(Colour::Red);
    test.id = "t".into();
    test.status = "Test".into();
    assert!(arrive(&mut s, test).is_empty());

    let mut drill = wind(Colour::Red);
    drill.id = "x".into();
    drill.status = "Exercise".into();
    let effects = arrive(&mut s, drill);
    assert_eq!(
        notices(&effects)[0].summary,
        "【演练】红色预警 大风 — 南山区 宝安区"
    );
    assert!(
        !effects.contains(&Effect::Bell),
        "a drill does not start the red bell"
    );
}

#[test]
fn an_unacknowledged_red_rings_every_n_seconds_until_acknowledged() {
    let mut s = alerts_only(with_notify(NotifySettings {
        red_repeat_seconds: 60,
        ..NotifySettings::default()
    }));
    s.session.officer = Some("测试甲".into());
    assert_eq!(tick(&mut s, secs(0)), [Effect::Bell], "a-red waits for ack");
    for t in [1, 30, 59] {
        assert!(tick(&mut s, secs(t)).is_empty(), "quiet at {t} s");
    }
    assert_eq!(tick(&mut s, secs(60)), [Effect::Bell]);
    assert!(tick(&mut s, secs(61)).is_empty());
    assert_eq!(tick(&mut s, secs(125)), [Effect::Bell]);

    // Acknowledge a-red (selected first on the wall) the way the officer does: a, Enter.
    update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Char('a'), KeyModifiers::NONE)),
    );
    update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
    );
    assert!(s.records.find_alert("a-red").unwrap().ack.is_some());
    for t in [185, 245, 600] {
        assert!(
            tick(&mut s, secs(t)).is_empty(),
            "silent after ack at {t} s"
        );
    }
    assert!(!s.reminder_pending());
}

#[test]
fn the_red_reminder_keeps_the_clock_running_on_a_too_small_screen() {
    let mut s = alerts_only(state());
    update(&mut s, Msg::Resize(60, 20));
    assert!(!s.needs_tick(), "nothing time-based on screen");
    assert!(s.reminder_pending(), "but a-red waits for acknowledgement");
}

#[test]
fn quiet_hours_silence_orange_but_not_red() {
    // now() is 03:12 in Shanghai, inside 23:00-07:00.
    let quiet = NotifySettings {
        quiet_hours: Some(QuietHours::parse("23:00-07:00").unwrap()),
        ..NotifySettings::default()
    };
    let mut s = alerts_only(with_notify(quiet.clone()));
    assert!(arrive(&mut s, wind(Colour::Orange)).is_empty());
    let mut red = wind(Colour::Red);
    red.id = "a-wind-red".into();
    let effects = arrive(&mut s, red);
    assert_eq!(notices(&effects).len(), 1);
    assert!(effects.contains(&Effect::Bell));
    assert_eq!(
        tick(&mut s, secs(60)),
        [Effect::Bell],
        "the red reminder too"
    );

    // The same orange at 09:12 Shanghai is announced.
    let mut day = alerts_only(with_notify(quiet));
    let later = now() + SignedDuration::from_hours(6);
    let effects = update(
        &mut day,
        source(SourceEvent::Alert(wind(Colour::Orange)), later),
    );
    assert_eq!(notices(&effects).len(), 1);
}

#[test]
fn an_overdue_report_rings_and_notifies_once() {
    // i-2 (较大) opened 40 minutes ago owes its 30-minute phone report.
    let mut s = state();
    let effects = tick(&mut s, secs(0));
    assert_eq!(effects.iter().filter(|e| **e == Effect::Bell).count(), 1);
    assert_eq!(
        notices(&effects),
        [&Notice {
            summary: "报告逾期 电话初报".into(),
            body: "南山区某小区燃气爆炸（较大）".into(),
            urgency: Urgency::Critical,
            bell_if_undelivered: false,
        }]
    );
    assert!(tick(&mut s, secs(1)).is_empty(), "once");
}

fn status_row(s: &mut State) -> String {
    row_text(&render(s, 120, 40), 39)
}

#[test]
fn an_undelivered_notice_falls_back_to_the_bell_and_the_status_bar_says_so_quietly() {
    let mut s = state();
    assert!(!status_row(&mut s).contains("通知不可用"));
    let flash_before = s.view.flash.clone();
    let failed = |bell| Msg::Notified {
        outcome: Err(NotifyError::Timeout(std::time::Duration::from_secs(3))),
        bell_if_undelivered: bell,
    };
    assert_eq!(update(&mut s, failed(true)), [Effect::Bell]);
    assert!(update(&mut s, failed(false)).is_empty(), "it rang already");
    assert_eq!(s.said.notify.failures, 2);
    assert_eq!(s.view.flash, flash_before, "no pop-up, only the status bar");
    assert!(status_row(&mut s).contains("通知不可用，改用响铃"));

    let ok = Msg::Notified {
        outcome: Ok(()),
        bell_if_undelivered: true,
    };
    assert!(update(&mut s, ok).is_empty());
    assert!(!status_row(&mut s).contains("通知不可用"));
}

#[test]
fn notify_settings_are_read_from_the_config_file_with_clear_errors() {
    let cfg = watchroom::config::parse(
        "[console.notify]\nmin_level = \"red\"\nred_repeat_seconds = 30\nquiet_hours = \"22:30-06:30\"\n",
        "test.toml",
    )
    .unwrap();
    assert_eq!(cfg.console.notify.min_level, Colour::Red);
    assert_eq!(cfg.console.notify.red_repeat_seconds, 30);
    assert_eq!(cfg.console.notify.timeout_seconds, 3);
    assert!(cfg.console.notify.quiet_hours.is_some());

    let e = watchroom::config::parse("[console.notify]\nquiet_hours = \"late\"\n", "test.toml")
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("test.toml:2:"), "{e}");
    assert!(e.contains("HH:MM-HH:MM"), "{e}");
    let e = watchroom::config::parse("[console.notify]\nmin_level = \"purple\"\n", "test.toml")
        .unwrap_err()
        .to_string();
    assert!(e.contains("test.toml:2:") && e.contains("purple"), "{e}");
}
