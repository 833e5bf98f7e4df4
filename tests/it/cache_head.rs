//! A big source restored from the head of its cache (`store::head`): the first state shows
//! exactly the first rows of the whole wall with the whole wall's counts, keys that need
//! the whole wall wait for it, and once the rest is in the wall is the one a full restore
//! gives. The clock is injected: saved at `now()`, restored an hour later, after some
//! alerts expired and some cancellations aged off the wall.

use crate::support::fixture::*;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use jiff::Timestamp;
use watchroom::app::msg::Restored;
use watchroom::app::{Msg, State, update};
use watchroom::config::ConsoleConfig;
use watchroom::console::persist::encode_source;
use watchroom::console::{initial_state, register_sources};
use watchroom::model::*;
use watchroom::sources::SourceEvent;
use watchroom::store::head::{HEAD_ROWS, Partial, Wanted};
use watchroom::store::sources::read_alerts;
use watchroom::store::{CachedSource, Start, Store};

const FEED: &str = "监测示例";
const URL: &str = "/srv/feeds/monitor.json";

/// `n` alerts and a quarter as many cancellation messages: some resolved or expired before
/// the save, some expiring between the save and the restore, cancellations of every age,
/// colours and acknowledgements mixed so that the order is not the order they came in.
/// With 1,000, fewer than `HEAD_ROWS` are in force and the head reaches into the
/// cancellations; with 3,000, the head is alerts in force only, and not all of them.
fn big_source(n: usize) -> Vec<Alert> {
    let colours = [Colour::Red, Colour::Orange, Colour::Yellow, Colour::Blue];
    let mut alerts = Vec::new();
    for i in 0..n {
        let colour = colours[(i * 7 / 3) % 4];
        let mut a = alert(
            &format!("m-{i:04}"),
            colour,
            "管网",
            &format!("管网压力异常（示例监测点 {i}）"),
            "南山区",
            (i % 300) as i64,
        );
        a.origin = FEED.into();
        if i % 3 == 0 {
            a.ack = Some(Box::new(Ack {
                seat: None,
                officer: "张某伟".into(),
                note: String::new(),
                at: now() - mins(1),
            }));
        }
        match i % 8 {
            0 | 4 => a.extra.resolved_at = Some(now() - mins(5)),
            1 | 5 => {
                let mut c = alert(
                    &format!("c-{i:04}"),
                    colour,
                    "管网",
                    "解除",
                    "南山区",
                    (i % 180) as i64,
                );
                c.msg_type = MsgType::Cancel;
                c.origin = FEED.into();
                a.extra.cancelled_by = Some(c.id.as_str().into());
                alerts.push(c);
            }
            2 => a.expires = Some(now() - mins(1)),
            6 => a.expires = Some(now() + mins((i % 120) as i64)),
            _ => {}
        }
        alerts.push(a);
    }
    alerts
}

fn console(at: Timestamp) -> State {
    let config = ConsoleConfig::default();
    let mut s = initial_state(&config, false, at).expect("state");
    register_sources(&mut s, &config, &[]);
    s.now = at;
    s
}

fn cached(alerts: Vec<Alert>) -> CachedSource {
    CachedSource {
        source: FEED.into(),
        location: URL.into(),
        saved_at: now(),
        alerts,
        incidents: Vec::new(),
        shifts: Vec::new(),
    }
}

fn restore(s: &mut State, restored: Restored) {
    update(s, Msg::Restored(restored));
    s.refresh_wall();
}

fn ids(s: &State) -> Vec<String> {
    s.shown_alerts().iter().map(|a| a.id.to_string()).collect()
}

fn later() -> Timestamp {
    now() + mins(60)
}

/// The store written by a console holding the big source at `now()`.
fn saved(n: usize) -> (tempfile::TempDir, std::path::PathBuf) {
    let mut s = console(now());
    restore(
        &mut s,
        Restored {
            sources: vec![cached(big_source(n))],
            ..Default::default()
        },
    );
    assert!(s.shown_alerts().len() > HEAD_ROWS, "the wall is cut");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("console.db");
    let mut store = Store::open(&path, now()).unwrap();
    let encoded = encode_source(&s, FEED, URL).unwrap();
    assert!(encoded.head.is_some(), "a big source is saved with a head");
    store.save_encoded(&encoded).unwrap();
    (dir, path)
}

/// A console an hour later restored from the head, and one restored from the whole body.
fn head_and_whole(path: &std::path::Path) -> (State, State) {
    let store = Store::open(path, later()).unwrap();
    let Some(Start::Head {
        cached,
        figures,
        whole_alerts,
    }) = store.load_start(FEED, URL, later()).unwrap()
    else {
        panic!("a head is read first");
    };
    assert_eq!(
        whole_alerts,
        store.load_source(FEED, URL).unwrap().unwrap().alerts.len()
    );
    assert!(cached.alerts.len() <= HEAD_ROWS + HEAD_ROWS / 2);
    let mut head = console(later());
    restore(
        &mut head,
        Restored {
            sources: vec![cached],
            heads: vec![(
                FEED.into(),
                Partial {
                    figures,
                    wanted: Wanted::new(),
                },
            )],
            ..Default::default()
        },
    );
    let mut whole = console(later());
    let all = store.load_source(FEED, URL).unwrap().unwrap();
    restore(
        &mut whole,
        Restored {
            sources: vec![all],
            ..Default::default()
        },
    );
    (head, whole)
}

fn rest(s: &mut State, path: &std::path::Path) {
    let wanted = Wanted::new();
    let alerts = read_alerts(path, FEED, 0, &wanted).map_err(|e| format!("{e:#}"));
    update(
        s,
        Msg::CacheRest {
            source: FEED.into(),
            alerts,
        },
    );
    s.refresh_wall();
}

fn key(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

#[test]
fn the_head_shows_the_first_rows_and_whole_counts_and_the_rest_makes_the_full_wall() {
    for n in [1000, 3000] {
        head_first_then_rest(n);
    }
}

fn head_first_then_rest(n: usize) {
    let (_dir, path) = saved(n);
    let (mut head, mut whole) = head_and_whole(&path);

    let first = ids(&head);
    let all = ids(&whole);
    assert!(
        first.len() >= 100,
        "enough rows for any screen: {}",
        first.len()
    );
    assert!(first.len() < all.len());
    assert_eq!(
        first,
        all[..first.len()],
        "the head is the whole wall's first rows"
    );
    let cancelled = first.iter().any(|id| {
        let a = head.records.alerts().iter().find(|a| a.id == id.as_str());
        a.is_some_and(|a| a.extra.cancelled_by.is_some())
    });
    assert_eq!(
        cancelled,
        n == 1000,
        "the small wall's head holds cancelled alerts, shown through their messages"
    );
    let in_force = |s: &State| {
        s.records
            .alerts()
            .iter()
            .filter(|a| a.in_force(later()))
            .count()
    };
    assert_eq!(
        in_force(&head) < in_force(&whole),
        n == 3000,
        "the big wall's head holds only some of the alerts in force"
    );
    assert_eq!(head.alert_counts(), whole.alert_counts());
    assert_eq!(head.shown_alerts().total, whole.shown_alerts().total);
    assert_eq!(
        text(&render(&mut head, 120, 40)),
        text(&render(&mut whole, 120, 40)),
        "the first screen is the same"
    );

    rest(&mut head, &path);
    assert!(head.records.restoring.heads.is_empty());
    assert_eq!(ids(&head), all, "after the rest, the full wall");
    assert_eq!(head.alert_counts(), whole.alert_counts());
    assert_eq!(head.shown_alerts().total, whole.shown_alerts().total);
    let sorted = |s: &State| {
        let mut v: Vec<String> = s
            .records
            .alerts()
            .iter()
            .map(|a| a.id.to_string())
            .collect();
        v.sort();
        v
    };
    assert_eq!(
        sorted(&head),
        sorted(&whole),
        "every alert, the history too"
    );
}

#[test]
fn going_to_the_end_waits_for_the_rest_and_acts_then_while_an_ack_acts_at_once() {
    let (_dir, path) = saved(1000);
    let (mut head, mut whole) = head_and_whole(&path);

    update(&mut head, key('a'));
    assert!(
        head.records.restoring.waiting.is_empty(),
        "an ack on a shown alert"
    );
    update(
        &mut head,
        Msg::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)),
    );
    update(&mut whole, key('a'));
    update(
        &mut whole,
        Msg::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)),
    );

    let before = head.selected_alert().map(|a| a.id.to_string());
    update(&mut head, key('G'));
    update(&mut head, key('k'));
    assert_eq!(
        head.records.restoring.waiting.len(),
        2,
        "`k` after a waiting key waits too"
    );
    assert_eq!(head.selected_alert().map(|a| a.id.to_string()), before);
    assert!(
        head.view.flash.is_some(),
        "the officer is told the key waits"
    );

    rest(&mut head, &path);
    update(&mut whole, key('G'));
    update(&mut whole, key('k'));
    assert!(head.records.restoring.waiting.is_empty());
    let at = |s: &State| s.selected_alert().map(|a| a.id.to_string());
    assert_eq!(
        at(&head),
        at(&whole),
        "one above the last row of the full wall"
    );
    assert_ne!(at(&head), before);
}

#[test]
fn fresh_data_replaces_the_head_and_the_rest_read_later_is_dropped() {
    let (_dir, path) = saved(1000);
    let (mut head, _) = head_and_whole(&path);
    let wanted = head.records.restoring.heads[FEED].wanted.clone();
    let mut one = alert("m-new", Colour::Red, "管网", "新的预警", "南山区", 0);
    one.origin = FEED.into();
    update(
        &mut head,
        source_named(
            SourceEvent::Snapshot {
                alerts: vec![one],
                incidents: vec![],
                shifts: vec![],
            },
            later(),
        ),
    );
    assert!(head.records.restoring.heads.is_empty());
    assert!(!wanted.is_wanted(), "a read of the rest in progress stops");
    rest(&mut head, &path);
    assert_eq!(ids(&head), ["m-new"]);
    assert_eq!(head.shown_alerts().total, 1);
    assert_eq!(head.alert_counts(), [0, 0, 0, 1]);
}

fn source_named(event: SourceEvent, at: Timestamp) -> Msg {
    Msg::Source(watchroom::sources::SourceUpdate {
        source: FEED.into(),
        at,
        event,
    })
}
