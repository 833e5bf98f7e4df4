//! Source health over time (ok → stale → down → back), the backend OFFLINE, and the state
//! restored from the local store at start — all through `update` with an injected clock,
//! and drawn on a `TestBackend`.

use crate::support::fixture::*;
use jiff::{SignedDuration, Timestamp};
use watchroom::app::command::{Command, CommandBody, Outcome};
use watchroom::app::msg::Restored;
use watchroom::app::{Effect, Msg, State, update};
use watchroom::config::ConsoleConfig;
use watchroom::console::{initial_state, register_sources};
use watchroom::feeds::{FeedConfig, FeedKind};
use watchroom::sources::{SourceEvent, SourceUpdate};
use watchroom::store::{CachedSource, QueuedCommand, Rejection};

fn screen(state: &mut State) -> String {
    let mut out = text(&render(state, 120, 40)).join("\n");
    out.push('\n');
    out
}

fn feed(name: &str, event: SourceEvent, at: Timestamp) -> Msg {
    Msg::Source(SourceUpdate {
        source: name.into(),
        at,
        event,
    })
}

/// The usual state plus a 10-minute USGS feed, registered as the console does at start.
fn with_quake_feed() -> State {
    let mut config = ConsoleConfig::default();
    config.notify.red_repeat_seconds = 0;
    let mut s = initial_state(&config, false, now()).expect("state");
    let mut quakes = FeedConfig::new("地震", FeedKind::Usgs, "https://feed.example/q.json");
    quakes.interval_seconds = 600;
    register_sources(&mut s, &config, &[quakes]);
    update(&mut s, source(snapshot(), now()));
    update(&mut s, source(SourceEvent::Alive { live: true }, now()));
    let empty = SourceEvent::Snapshot {
        alerts: vec![],
        incidents: vec![],
        shifts: vec![],
    };
    update(&mut s, feed("地震", empty, now()));
    update(
        &mut s,
        feed("地震", SourceEvent::Alive { live: false }, now()),
    );
    // The fixture has an overdue report and an unacknowledged red: their bells ring on this
    // first tick (the red's only once), and are not what these tests are about.
    update(&mut s, Msg::Tick(now()));
    s
}

/// Keep the backend alive at `t`, so only the feed goes quiet.
fn backend_alive(s: &mut State, t: Timestamp) {
    update(s, source(SourceEvent::Alive { live: true }, t));
}

#[test]
fn a_silent_feed_goes_stale_then_down_with_one_bell_and_recovers() {
    let mut s = with_quake_feed();
    let quake = |s: &State| s.records.health("地震").expect("registered").clone();
    // Threshold: two intervals (20 min), longer than stale_after (2 min).
    assert_eq!(quake(&s).stale_after, Some(SignedDuration::from_mins(20)));

    let t = now() + mins(19);
    backend_alive(&mut s, t);
    assert!(update(&mut s, Msg::Tick(t)).is_empty());
    assert!(!s.source_stale(&quake(&s)));

    let t = now() + mins(21);
    backend_alive(&mut s, t);
    assert!(
        update(&mut s, Msg::Tick(t)).is_empty(),
        "stale rings nothing"
    );
    assert!(s.source_stale(&quake(&s)));
    assert_eq!(s.source_down(&quake(&s)), None);
    assert!(screen(&mut s).contains("地震 ⚠ 陈旧 21分钟"));

    let t = now() + mins(41);
    backend_alive(&mut s, t);
    let effects = update(&mut s, Msg::Tick(t));
    assert_eq!(effects, vec![Effect::Bell]);
    assert_eq!(s.source_down(&quake(&s)), Some(now()));
    let flash = s.view.flash.clone().expect("a flash").text;
    assert_eq!(flash, "数据源 地震 已中断 03:12 起");
    let shown = screen(&mut s);
    assert!(shown.contains("⚠ 数据源 地震 已中断 03:12 起"), "{shown}");
    assert!(!shown.contains("OFFLINE"), "the backend is fine:\n{shown}");

    let t = now() + mins(42);
    backend_alive(&mut s, t);
    assert!(
        update(&mut s, Msg::Tick(t)).is_empty(),
        "one bell per outage"
    );

    let t = now() + mins(43);
    update(&mut s, feed("地震", SourceEvent::Alive { live: false }, t));
    update(&mut s, Msg::Tick(t));
    assert_eq!(s.source_down(&quake(&s)), None);
    assert!(!screen(&mut s).contains("已中断"));
    assert!(s.said.down_seen.is_empty(), "a later outage rings again");
}

#[test]
fn a_failing_backend_is_offline_after_a_grace_and_the_data_stays() {
    let mut s = state();
    let t1 = now() + SignedDuration::from_secs(30);
    update(
        &mut s,
        source(
            SourceEvent::Failed {
                reason: "connection refused".into(),
            },
            t1,
        ),
    );
    update(&mut s, Msg::Tick(t1 + SignedDuration::from_secs(2)));
    assert_eq!(s.backend_offline(), None, "a reconnect is not an outage");
    update(&mut s, Msg::Tick(t1 + SignedDuration::from_secs(6)));
    assert_eq!(
        s.backend_offline(),
        Some((t1, "connection refused".to_owned()))
    );
    let shown = screen(&mut s);
    assert!(
        shown.contains(
            "✗ OFFLINE 离线 自 03:13 起 · 后台不可达：connection refused · 画面数据截至 03:12"
        ),
        "{shown}"
    );
    assert!(
        shown.contains("台风红色预警信号"),
        "the data stays:\n{shown}"
    );

    // Back: the outbox is told to send now, and the banner goes.
    let effects = update(
        &mut s,
        source(
            SourceEvent::Alive { live: true },
            t1 + SignedDuration::from_secs(8),
        ),
    );
    assert_eq!(effects, vec![Effect::RetryOutbox]);
    assert_eq!(s.backend_offline(), None);
    assert!(!screen(&mut s).contains("OFFLINE"));
}

#[test]
fn a_backend_never_reached_is_offline_at_once() {
    let config = ConsoleConfig::default();
    let mut s = initial_state(&config, false, now()).expect("state");
    register_sources(&mut s, &config, &[]);
    update(
        &mut s,
        source(
            SourceEvent::Failed {
                reason: "connection refused".into(),
            },
            now(),
        ),
    );
    assert_eq!(
        s.backend_offline(),
        Some((now(), "connection refused".to_owned()))
    );
}

fn cached(saved_ago_min: i64) -> CachedSource {
    let SourceEvent::Snapshot {
        alerts,
        incidents,
        shifts,
    } = snapshot()
    else {
        unreachable!()
    };
    CachedSource {
        source: "duty_api".into(),
        location: "http://127.0.0.1:9".into(),
        saved_at: now() - mins(saved_ago_min),
        alerts,
        incidents,
        shifts,
    }
}

fn fresh_console() -> State {
    let config = ConsoleConfig::default();
    let mut s = initial_state(&config, false, now()).expect("state");
    register_sources(&mut s, &config, &[]);
    s
}

#[test]
fn the_cache_shows_at_once_with_its_age_until_fresh_data_replaces_it() {
    let mut s = fresh_console();
    let effects = update(
        &mut s,
        Msg::Restored(Restored {
            sources: vec![cached(12)],
            ..Default::default()
        }),
    );
    assert!(effects.is_empty());
    assert_eq!(s.cached_since(), Some(now() - mins(12)));
    assert!(s.store.unsaved.is_empty(), "the cache is not written back");
    let shown = screen(&mut s);
    assert!(shown.contains("台风红色预警信号"), "{shown}");
    assert!(shown.contains(" 缓存 12分钟前 "), "header mark:\n{shown}");
    assert!(
        shown.contains("duty_api ◷ 缓存 12分钟前"),
        "status bar:\n{shown}"
    );

    update(&mut s, source(snapshot(), now() + mins(1)));
    assert_eq!(s.cached_since(), None);
    assert!(s.store.unsaved.contains("duty_api"), "fresh data is saved");
    assert!(!screen(&mut s).contains("缓存"));
}

#[test]
fn a_cache_older_than_the_threshold_is_stale_and_offline_says_as_of_when() {
    let mut s = fresh_console();
    s.session.lang = watchroom::app::Lang::En;
    update(
        &mut s,
        Msg::Restored(Restored {
            sources: vec![cached(12)],
            ..Default::default()
        }),
    );
    update(
        &mut s,
        source(
            SourceEvent::Failed {
                reason: "connection refused".into(),
            },
            now(),
        ),
    );
    let shown = screen(&mut s);
    assert!(shown.contains(" cached 12m ago "), "{shown}");
    assert!(
        shown.contains("✗ OFFLINE since 03:12 · backend unreachable: connection refused · showing data as of 03:00"),
        "{shown}"
    );
}

#[test]
fn fresh_data_that_came_first_is_not_replaced_by_the_cache() {
    let mut s = state();
    let mut old = cached(30);
    old.alerts.truncate(1);
    update(
        &mut s,
        Msg::Restored(Restored {
            sources: vec![old],
            ..Default::default()
        }),
    );
    assert_eq!(s.records.alerts().len(), 4);
    assert_eq!(s.cached_since(), None);
}

fn queued(key: &str, body: CommandBody) -> QueuedCommand {
    QueuedCommand {
        command: Command {
            key: key.into(),
            created_at: now() - mins(5),
            body,
        },
        attempts: 3,
        last_error: Some("connection refused".into()),
    }
}

#[test]
fn actions_left_in_the_outbox_show_over_the_cache_and_a_fresh_snapshot() {
    let mut s = fresh_console();
    let ack = queued(
        "k-1",
        CommandBody::Ack {
            alert_id: "a-red".into(),
            officer: "测试乙".into(),
            note: "已通知三防办".into(),
        },
    );
    let entry = queued(
        "k-2",
        CommandBody::Timeline {
            incident_id: "i-2".into(),
            author: "测试乙".into(),
            kind: "核实".into(),
            text: "现场已封控".into(),
            at: now() - mins(5),
            leader: None,
            assignee: None,
            refers_to: None,
            corrects: None,
        },
    );
    update(
        &mut s,
        Msg::Restored(Restored {
            sources: vec![cached(12)],
            outbox: vec![ack, entry],
            ..Default::default()
        }),
    );
    let check = |s: &State| {
        let red = s.records.find_alert("a-red").expect("a-red");
        assert_eq!(red.ack.as_ref().map(|a| a.officer.as_str()), Some("测试乙"));
        let i2 = s.records.find_incident("i-2").expect("i-2");
        let ours: Vec<_> = i2
            .timeline
            .iter()
            .filter(|e| e.text == "现场已封控")
            .collect();
        assert_eq!(ours.len(), 1, "{:?}", i2.timeline);
    };
    check(&s);
    assert_eq!(s.actions.queue.len(), 2);
    assert!(screen(&mut s).contains("待发送 2"));

    // The backend's picture does not have them yet; they stay, once each.
    update(&mut s, source(snapshot(), now()));
    check(&s);
    update(&mut s, source(snapshot(), now()));
    check(&s);

    update(
        &mut s,
        Msg::CommandResult {
            key: "k-1".into(),
            outcome: Outcome::Accepted,
        },
    );
    assert_eq!(s.actions.queue.len(), 1);
    assert!(screen(&mut s).contains("待发送 1"));
}

#[test]
fn refusals_from_an_earlier_run_are_shown_and_marked_seen() {
    let mut s = fresh_console();
    let rejection = Rejection {
        key: "k-9".into(),
        kind: "ack".into(),
        command: Some(Command {
            key: "k-9".into(),
            created_at: now() - mins(50),
            body: CommandBody::Ack {
                alert_id: "a-gone".into(),
                officer: "测试乙".into(),
                note: String::new(),
            },
        }),
        reason: "HTTP 404: no alert \"a-gone\"".into(),
        rejected_at: now() - mins(40),
    };
    let effects = update(
        &mut s,
        Msg::Restored(Restored {
            rejected: vec![rejection],
            ..Default::default()
        }),
    );
    assert_eq!(effects, vec![Effect::RejectionsShown(vec!["k-9".into()])]);
    let flash = s.view.flash.clone().expect("flash");
    assert!(
        flash
            .text
            .contains("后台拒绝了 1 项操作：确认 a-gone：HTTP 404"),
        "{}",
        flash.text
    );
    assert!(flash.until >= now() + mins(0) + SignedDuration::from_secs(30));
}

#[test]
fn a_refusal_during_the_run_is_marked_seen_too() {
    let mut s = state();
    let effects = update(
        &mut s,
        Msg::CommandResult {
            key: "k-3".into(),
            outcome: Outcome::Rejected("HTTP 409".into()),
        },
    );
    assert_eq!(effects, vec![Effect::RejectionsShown(vec!["k-3".into()])]);
}

#[test]
fn a_failing_store_is_said_on_screen_until_it_works_again() {
    let mut s = state();
    update(
        &mut s,
        Msg::StoreProblem(Some("console.db: disk I/O error".into())),
    );
    let shown = screen(&mut s);
    assert!(
        shown.contains("本地存储故障：console.db: disk I/O error"),
        "{shown}"
    );
    update(&mut s, Msg::StoreProblem(None));
    assert!(!screen(&mut s).contains("本地存储故障"));
}

#[test]
fn every_banner_at_once_still_leaves_the_wall_at_80_by_24() {
    let mut s = with_quake_feed();
    let t = now() + mins(45);
    update(
        &mut s,
        source(
            SourceEvent::Failed {
                reason: "connection refused".into(),
            },
            t,
        ),
    );
    update(
        &mut s,
        Msg::StoreProblem(Some("console.db: disk I/O error".into())),
    );
    update(&mut s, Msg::Tick(t));
    let rows = text(&render(&mut s, 80, 24));
    let shown = rows.join("\n");
    assert!(rows[2].contains("OFFLINE"), "{shown}");
    assert!(rows[3].contains("数据源 地震 已中断 03:12 起"), "{shown}");
    assert!(rows[4].contains("本地存储故障"), "{shown}");
    assert!(rows[5].contains("预警 Alerts"), "{shown}");
    assert!(shown.contains("台风红色预警信号"), "{shown}");
}
