//! Hostile and broken servers: every fault ends in a clear error on that source only —
//! no panic, no hang — and the other sources keep working. Also: the event stream resumes
//! across a real backend restart without losing or repeating an event, and the
//! backend's own defences (viewer tokens, body cap).

use crate::support::fault_server::{Fault, FaultServer, Request};
use crate::support::fixture;
use jiff::tz::TimeZone;
use std::collections::HashMap;
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::time::timeout;
use watchroom::app::{Msg, SourceStatus, update};
use watchroom::client::{ClientOptions, DutyClient};
use watchroom::feeds::{FeedConfig, FeedKind};
use watchroom::model::{Alert, Colour};
use watchroom::server::{RunningServer, ServeOptions};
use watchroom::sources::duty_api::DutyApiSource;
use watchroom::sources::feed::FeedSource;
use watchroom::sources::{SourceEvent, SourceUpdate};

const TOKEN: &str = "officer-token";
const VIEWER: &str = "viewer-token";
/// Generous: only a hang reaches it.
const LIMIT: Duration = Duration::from_secs(20);

fn fast_client(base: &str) -> DutyClient {
    DutyClient::with_options(
        base,
        TOKEN,
        ClientOptions {
            connect_timeout: Duration::from_secs(1),
            timeout: Duration::from_secs(2),
            max_bytes: 64 * 1024,
            ca_file: None,
        },
    )
    .expect("client")
}

fn duty_source(base: &str, tx: mpsc::Sender<SourceUpdate>) -> DutyApiSource {
    DutyApiSource {
        name: "duty_api".into(),
        client: fast_client(base),
        poll: Duration::from_millis(200),
        tx,
        fetch_experts: false,
        silence: Duration::from_secs(2),
    }
}

fn page(alerts: &[Alert]) -> Vec<u8> {
    serde_json::json!({"items": alerts, "next_cursor": "1"})
        .to_string()
        .into_bytes()
}

/// A well-behaved duty API serving `alerts`, with an event stream that only keeps alive.
fn healthy_duty_api(alerts: Vec<Alert>) -> impl Fn(&Request) -> Fault + Send + Sync {
    move |req| match req.path.split('?').next().unwrap_or_default() {
        "/api/v1/alerts" => Fault::json(page(&alerts)),
        "/api/v1/incidents" | "/api/v1/roster" => Fault::json(&br#"{"items":[]}"#[..]),
        "/api/v1/events" => Fault::Drip {
            body: b": keep-alive\n\n".repeat(1000),
            every: Duration::from_millis(5),
        },
        _ => Fault::status(404, r#"{"error":"no such endpoint"}"#),
    }
}

/// The first `Failed` the source reports (a hang fails the test).
async fn first_failure(rx: &mut mpsc::Receiver<SourceUpdate>) -> String {
    timeout(LIMIT, async {
        loop {
            let u = rx.recv().await.expect("source alive");
            if let SourceEvent::Failed { reason } = u.event {
                return reason;
            }
        }
    })
    .await
    .expect("a failure is reported, not a hang")
}

#[tokio::test]
async fn each_duty_api_fault_is_one_clear_error_naming_the_url() {
    let cases: Vec<(&str, Fault, &[&str])> = vec![
        ("drop", Fault::Drop, &[]),
        ("reset", Fault::Reset, &[]),
        (
            "500",
            Fault::status(500, r#"{"error":"database on fire"}"#),
            &["HTTP 500", "database on fire"],
        ),
        (
            "garbage",
            Fault::json(&b"<html>\x1b[31mnot json"[..]),
            &["unreadable answer"],
        ),
        (
            "invalid utf-8",
            Fault::json(&b"{\"items\": [\"\xff\xfe\"]}"[..]),
            &["unreadable answer"],
        ),
        ("huge body", Fault::Huge { bytes: 1024 * 1024 }, &["cap"]),
        (
            "no answer",
            Fault::Delay(Duration::from_secs(30), Box::new(Fault::Drop)),
            &["timed out"],
        ),
        (
            "drip",
            Fault::Drip {
                body: page(&[]),
                every: Duration::from_secs(1),
            },
            &["timed out"],
        ),
    ];
    for (name, fault, words) in cases {
        let server = FaultServer::start(move |_| fault.clone()).await;
        let (tx, mut rx) = mpsc::channel(64);
        let task = tokio::spawn(duty_source(&server.url(""), tx).run());
        let reason = first_failure(&mut rx).await;
        assert!(
            reason.contains(&server.url("/api/v1/alerts")),
            "{name}: the error names the URL: {reason}"
        );
        for w in words {
            assert!(reason.contains(w), "{name}: {reason:?} lacks {w:?}");
        }
        assert!(
            !reason.contains('\u{1b}'),
            "{name}: escape in the reason: {reason:?}"
        );
        drop(rx);
        task.abort();
    }
}

#[tokio::test]
async fn a_dripping_event_stream_is_declared_silent_and_polling_takes_over() {
    let alert = fixture::alert("a1", Colour::Red, "台风", "台风红色预警", "全市", 5);
    let alerts = vec![alert];
    let server = FaultServer::start(move |req| {
        if req.path.starts_with("/api/v1/events") {
            // One byte a second never makes a whole event or keep-alive.
            Fault::Drip {
                body: b": zzzzzzzzzzzzzzzzzzzz".to_vec(),
                every: Duration::from_secs(1),
            }
        } else {
            healthy_duty_api(alerts.clone())(req)
        }
    })
    .await;
    let (tx, mut rx) = mpsc::channel(64);
    let task = tokio::spawn(duty_source(&server.url(""), tx).run());
    let reason = first_failure(&mut rx).await;
    assert!(reason.contains("event stream silent"), "{reason}");
    assert!(reason.contains("/api/v1/events"), "{reason}");
    // Polling keeps the source alive meanwhile.
    let polled = timeout(LIMIT, async {
        loop {
            if let SourceEvent::Alive { live: false } = rx.recv().await.unwrap().event {
                return true;
            }
        }
    })
    .await;
    assert_eq!(polled, Ok(true));
    task.abort();
}

#[tokio::test]
async fn an_event_too_large_to_read_is_said_and_its_change_fetched_again() {
    let first = fixture::alert("a1", Colour::Yellow, "暴雨", "暴雨黄色预警", "全市", 5);
    let mut carried = fixture::alert("a2", Colour::Red, "暴雨", "暴雨红色预警", "全市", 1);
    carried.seq = 7;
    let server = FaultServer::start(move |req| {
        let path = req.path.split('?').next().unwrap_or_default();
        match path {
            // The snapshot; then, asked from before the dropped event, its alert.
            "/api/v1/alerts" if req.path.contains("since=") => Fault::json(
                serde_json::json!({"items": [carried.clone()], "next_cursor": "7"})
                    .to_string()
                    .into_bytes(),
            ),
            "/api/v1/events" => {
                let mut body = b"id: 7\nevent: alert\ndata: ".to_vec();
                body.extend(std::iter::repeat_n(b'x', 9 * 1024 * 1024));
                body.extend_from_slice(b"\n\n: keep-alive\n\n");
                Fault::Body {
                    status: 200,
                    content_type: "text/event-stream".into(),
                    headers: Vec::new(),
                    body,
                }
            }
            _ => healthy_duty_api(vec![first.clone()])(req),
        }
    })
    .await;
    let (tx, mut rx) = mpsc::channel(64);
    let task = tokio::spawn(duty_source(&server.url(""), tx).run());
    let (warning, fetched) = timeout(LIMIT, async {
        let mut warning = None;
        loop {
            match rx.recv().await.expect("source alive").event {
                SourceEvent::Warning { text } => warning = Some(text),
                SourceEvent::Alert(a) if a.id == "a2" => return (warning, a),
                _ => {}
            }
        }
    })
    .await
    .expect("the dropped event's alert is fetched, not lost");
    let warning = warning.expect("the drop is said before the fetch");
    assert!(warning.contains("too large"), "{warning}");
    assert!(
        warning.contains("alert") && warning.contains('7'),
        "{warning}"
    );
    assert_eq!(fetched.colour, Colour::Red);
    task.abort();
}

const QUAKE: &str = r#"{"type":"FeatureCollection","features":[{"type":"Feature","id":"q1","properties":{"mag":6.1,"time":0,"title":"M 6.1 - 测试"}}]}"#;

#[tokio::test]
async fn a_failing_duty_api_leaves_other_sources_working() {
    let broken = FaultServer::start(|_| Fault::status(503, r#"{"error":"down"}"#)).await;
    let feed = FaultServer::start(|_| Fault::json(QUAKE)).await;
    let (tx, mut rx) = mpsc::channel(256);
    let duty = tokio::spawn(duty_source(&broken.url(""), tx.clone()).run());
    let mut cfg = FeedConfig::new("地震", FeedKind::Usgs, &feed.url("/quakes.json"));
    cfg.interval_seconds = 1;
    let quakes = tokio::spawn(
        FeedSource {
            config: cfg,
            zone: TimeZone::UTC,
            tx,
        }
        .run(),
    );
    let mut state = fixture::state();
    state.records.alerts_mut().clear();
    state.records.sources.clear();
    let (mut duty_failed, mut feed_alive) = (false, false);
    timeout(LIMIT, async {
        while !(duty_failed && feed_alive) {
            let u = rx.recv().await.unwrap();
            match (&u.source[..], &u.event) {
                ("duty_api", SourceEvent::Failed { .. }) => duty_failed = true,
                ("地震", SourceEvent::Alive { .. }) => feed_alive = true,
                _ => {}
            }
            update(&mut state, Msg::Source(u));
        }
    })
    .await
    .expect("both sources report");
    let health: HashMap<_, _> = state
        .records
        .sources
        .iter()
        .map(|s| (s.name.as_str(), &s.status))
        .collect();
    match health["duty_api"] {
        SourceStatus::Failed(r) => assert!(r.contains("HTTP 503"), "{r}"),
        other => panic!("duty_api should have failed: {other:?}"),
    }
    assert_eq!(health["地震"], &SourceStatus::Polling);
    assert!(
        state.records.alerts().iter().any(|a| a.origin == "地震"),
        "the feed's alert is on the wall"
    );
    duty.abort();
    quakes.abort();
}

#[tokio::test]
async fn a_304_keeps_the_previous_items_and_counts_as_healthy() {
    let server = FaultServer::start(|req| {
        if req.header("if-none-match") == Some("\"v1\"") {
            Fault::NotModified
        } else {
            Fault::with_etag("application/json", "\"v1\"", QUAKE)
        }
    })
    .await;
    let mut cfg = FeedConfig::new("地震", FeedKind::Usgs, &server.url("/q.json"));
    cfg.interval_seconds = 1;
    let (tx, mut rx) = mpsc::channel(64);
    let task = tokio::spawn(
        FeedSource {
            config: cfg,
            zone: TimeZone::UTC,
            tx,
        }
        .run(),
    );
    let mut snapshots = Vec::new();
    timeout(LIMIT, async {
        while snapshots.len() < 2 {
            match rx.recv().await.unwrap().event {
                SourceEvent::Snapshot { alerts, .. } => snapshots.push(alerts),
                SourceEvent::Failed { reason } => panic!("a 304 is not a failure: {reason}"),
                _ => {}
            }
        }
        // And the round after the 304 still ends healthy.
        loop {
            if let SourceEvent::Alive { .. } = rx.recv().await.unwrap().event {
                break;
            }
        }
    })
    .await
    .expect("two rounds");
    assert_eq!(snapshots[0], snapshots[1], "the 304 round keeps the items");
    assert_eq!(snapshots[1][0].title(), "M 6.1 - 测试");
    let reqs = server.requests();
    assert!(reqs.len() >= 2);
    assert_eq!(reqs[0].header("if-none-match"), None);
    assert_eq!(reqs[1].header("if-none-match"), Some("\"v1\""));
    assert_eq!(
        reqs[1].header("if-modified-since"),
        Some("Sun, 29 Nov 2026 03:00:00 GMT")
    );
    task.abort();
}

#[tokio::test]
async fn feed_faults_name_the_url_and_never_hang() {
    let cases: Vec<(&str, Fault, &str)> = vec![
        ("500", Fault::status(500, "oops"), "HTTP 500"),
        (
            "drip",
            Fault::Drip {
                body: QUAKE.as_bytes().to_vec(),
                every: Duration::from_secs(1),
            },
            "timed out",
        ),
        ("huge", Fault::Huge { bytes: 256 * 1024 }, "cap"),
        ("garbage", Fault::json(&b"\x00\x01garbage{"[..]), ""),
        ("reset", Fault::Reset, ""),
    ];
    for (name, fault, word) in cases {
        let server = FaultServer::start(move |_| fault.clone()).await;
        let url = server.url("/feed.json");
        let mut cfg = FeedConfig::new("地震", FeedKind::Usgs, &url);
        cfg.timeout_seconds = 2;
        cfg.max_bytes = 64 * 1024;
        let (tx, mut rx) = mpsc::channel(64);
        let task = tokio::spawn(
            FeedSource {
                config: cfg,
                zone: TimeZone::UTC,
                tx,
            }
            .run(),
        );
        let reason = first_failure(&mut rx).await;
        assert!(reason.contains(&url), "{name}: {reason}");
        assert!(reason.contains(word), "{name}: {reason:?} lacks {word:?}");
        task.abort();
    }
}

#[tokio::test]
async fn a_cap_feed_with_invalid_utf8_is_read_with_a_warning() {
    let cap = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
        <alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\"><identifier>x1</identifier>\
        <sender>s</sender><sent>2026-11-29T03:00:00+08:00</sent><status>Actual</status>\
        <msgType>Alert</msgType><scope>Public</scope><info><event>暴雨\u{ff}</event>\
        <urgency>Immediate</urgency><severity>Severe</severity><certainty>Likely</certainty>\
        <headline>暴雨橙色预警</headline></info></alert>";
    // U+00FF was written as its UTF-8 pair; make it one stray byte instead.
    let bytes = cap.replace('\u{ff}', "\u{1}").into_bytes();
    let bytes: Vec<u8> = bytes
        .into_iter()
        .map(|b| if b == 1 { 0xff } else { b })
        .collect();
    let server = FaultServer::start(move |_| Fault::Body {
        status: 200,
        content_type: "application/xml".into(),
        headers: Vec::new(),
        body: bytes.clone(),
    })
    .await;
    let (tx, mut rx) = mpsc::channel(64);
    let task = tokio::spawn(
        FeedSource {
            config: FeedConfig::new("气象CAP", FeedKind::Cap, &server.url("/cap.xml")),
            zone: TimeZone::UTC,
            tx,
        }
        .run(),
    );
    let (mut title, mut warned) = (None, false);
    timeout(LIMIT, async {
        while title.is_none() || !warned {
            match rx.recv().await.unwrap().event {
                SourceEvent::Snapshot { alerts, .. } => {
                    title = alerts.first().map(|a| a.title().to_owned())
                }
                SourceEvent::Warning { text } => warned |= text.contains("UTF-8"),
                SourceEvent::Failed { reason } => panic!("{reason}"),
                _ => {}
            }
        }
    })
    .await
    .expect("snapshot and warning");
    assert_eq!(title.as_deref(), Some("暴雨橙色预警"));
    task.abort();
}

fn screen_text(state: &mut watchroom::app::State, w: u16, h: u16) -> String {
    let mut out = fixture::text(&fixture::render(state, w, h)).join("\n");
    out.push('\n');
    out
}

#[tokio::test]
async fn escapes_in_remote_titles_never_reach_the_screen_and_long_titles_end_with_an_ellipsis() {
    let evil = fixture::alert(
        "evil",
        Colour::Red,
        "台风",
        "\u{1b}]0;pwned\u{7}\u{1b}[2J\u{1b}[31m台风红色预警\u{1b}[0m\u{9b}1;1H\u{202e}信号",
        "全市\u{1b}]8;;http://x\u{1b}\\",
        5,
    );
    let long = fixture::alert(
        "long",
        Colour::Orange,
        "暴雨",
        &"长".repeat(10_000),
        "南山区",
        6,
    );
    let server = FaultServer::start(healthy_duty_api(vec![evil, long])).await;
    let (tx, mut rx) = mpsc::channel(64);
    let task = tokio::spawn(duty_source(&server.url(""), tx).run());
    let mut state = fixture::state();
    timeout(LIMIT, async {
        loop {
            let u = rx.recv().await.unwrap();
            let done = matches!(u.event, SourceEvent::Snapshot { .. });
            update(&mut state, Msg::Source(u));
            if done {
                break;
            }
        }
    })
    .await
    .expect("snapshot");
    task.abort();
    let text = screen_text(&mut state, 120, 40);
    assert!(!text.contains('\u{1b}') && !text.contains('\u{9b}') && !text.contains('\u{7}'));
    assert!(!text.contains("pwned"), "OSC title text leaked:\n{text}");
    assert!(text.contains("台风红色预警信号"), "{text}");
    let row = text
        .lines()
        .find(|l| l.contains("长长长"))
        .expect("the long title is on screen");
    assert!(row.contains("长…"), "cut with an ellipsis: {row}");
    assert!(row.contains("南山区"), "the area column survives: {row}");
}

#[test]
fn a_hundred_thousand_alerts_draw_one_screenful() {
    let mut state = fixture::state();
    let alerts: Vec<Alert> = (0..100_000)
        .map(|n| {
            fixture::alert(
                &format!("a{n:06}"),
                Colour::Blue,
                "雷电",
                &format!("第{n:06}号预警"),
                "全市",
                n % 600,
            )
        })
        .collect();
    update(
        &mut state,
        fixture::source(
            SourceEvent::Snapshot {
                alerts,
                incidents: Vec::new(),
                shifts: Vec::new(),
            },
            fixture::now(),
        ),
    );
    let text = screen_text(&mut state, 120, 40);
    assert!(text.contains("预警 Alerts · 100000"), "{text}");
    // Select one far down the list: the window follows it.
    let far = state.visible_alerts()[76_543];
    let far_title = far.title().to_owned();
    state.view.selected_alert = Some(watchroom::app::AlertKey::of(far));
    let text = screen_text(&mut state, 120, 40);
    assert!(text.contains(&far_title), "{far_title} not shown:\n{text}");
}

// ---- The real backend: event ids across a restart, viewer tokens, the body cap ----

async fn serve(db: &std::path::Path, listen: std::net::SocketAddr) -> RunningServer {
    let mut last = None;
    // The port of a server just stopped may take a moment to be free again.
    for _ in 0..50 {
        match watchroom::server::start(ServeOptions {
            tokens: vec![TOKEN.into()],
            viewer_tokens: vec![VIEWER.into()],
            ..ServeOptions::demo(listen, db.to_path_buf())
        })
        .await
        {
            Ok(s) => return s,
            Err(e) => last = Some(e),
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("server did not start: {last:?}");
}

/// Collect updates into `got` until one satisfies `pred`.
async fn wait(
    got: &mut Vec<SourceUpdate>,
    rx: &mut mpsc::Receiver<SourceUpdate>,
    pred: &dyn Fn(&SourceEvent) -> bool,
) -> Result<(), tokio::time::error::Elapsed> {
    timeout(LIMIT, async {
        loop {
            let u = rx.recv().await.expect("source alive");
            let hit = pred(&u.event);
            got.push(u);
            if hit {
                return;
            }
        }
    })
    .await
}

async fn post_alert(base: &str, token: &str, title: &str) -> reqwest::Response {
    reqwest::Client::new()
        .post(format!("{base}/api/v1/alerts"))
        .bearer_auth(token)
        .json(&serde_json::json!({
            "source": "测试市气象台", "signal_type": "暴雨", "colour": "yellow",
            "title": title, "area": "全市", "sent": jiff::Timestamp::now().to_string()
        }))
        .send()
        .await
        .expect("post")
}

#[tokio::test]
async fn the_event_stream_resumes_across_a_backend_restart_without_loss_or_repeat() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("duty.db");
    let first = serve(&db, "127.0.0.1:0".parse().unwrap()).await;
    let addr = first.addr;
    let base = format!("http://{addr}");
    // Alerts are ingested by a department's feed with its own token (the bootstrap token
    // is admin and makes no duty records); it is kept in the database across the restart.
    let feed = first
        .add_user("测试市气象台推送", watchroom::server::Role::Officer, false)
        .await
        .expect("the feed's token");
    let (tx, mut rx) = mpsc::channel(1024);
    let source = tokio::spawn(duty_source(&base, tx).run());
    let mut got: Vec<SourceUpdate> = Vec::new();
    let titled = |t: &'static str| move |e: &SourceEvent| matches!(e, SourceEvent::Alert(a) if a.title() == t);
    wait(&mut got, &mut rx, &|e| {
        matches!(e, SourceEvent::Alive { live: true })
    })
    .await
    .expect("stream up");
    assert_eq!(post_alert(&base, &feed, "重启前").await.status(), 201);
    wait(&mut got, &mut rx, &titled("重启前"))
        .await
        .expect("live event");

    first.shutdown().await;
    wait(&mut got, &mut rx, &|e| {
        matches!(e, SourceEvent::Failed { .. })
    })
    .await
    .expect("the stream's end is reported");
    let second = serve(&db, addr).await;
    assert_eq!(second.addr, addr);
    // Written before the console is back on the stream: only a resume can deliver them.
    for t in ["重启后一", "重启后二"] {
        assert_eq!(post_alert(&base, &feed, t).await.status(), 201);
    }
    wait(&mut got, &mut rx, &titled("重启后二"))
        .await
        .expect("resumed");
    wait(&mut got, &mut rx, &|e| {
        matches!(e, SourceEvent::Alive { live: true })
    })
    .await
    .expect("stream back");
    assert_eq!(post_alert(&base, &feed, "恢复后").await.status(), 201);
    wait(&mut got, &mut rx, &titled("恢复后"))
        .await
        .expect("live again");
    source.abort();
    second.shutdown().await;

    let mut seen: HashMap<String, usize> = HashMap::new();
    for u in &got {
        if let SourceEvent::Alert(a) = &u.event {
            *seen.entry(a.title().to_owned()).or_default() += 1;
        }
    }
    for t in ["重启前", "重启后一", "重启后二", "恢复后"] {
        assert_eq!(
            seen.get(t),
            Some(&1),
            "{t} delivered {:?} times",
            seen.get(t)
        );
    }
}

#[tokio::test]
async fn viewer_tokens_read_but_get_403_on_writes_and_bodies_over_the_cap_get_413() {
    let dir = tempfile::tempdir().unwrap();
    let server = serve(&dir.path().join("d.db"), "127.0.0.1:0".parse().unwrap()).await;
    let base = format!("http://{}", server.addr);
    let feed = server
        .add_user("测试市气象台推送", watchroom::server::Role::Officer, false)
        .await
        .expect("the feed's token");
    let http = reqwest::Client::new();
    let get = |token: &'static str| {
        http.get(format!("{base}/api/v1/alerts"))
            .bearer_auth(token)
            .send()
    };
    assert_eq!(get(VIEWER).await.unwrap().status(), 200);
    let denied = post_alert(&base, VIEWER, "观察者").await;
    assert_eq!(denied.status(), 403);
    let body: serde_json::Value = denied.json().await.expect("a JSON error");
    assert!(
        body["error"].as_str().unwrap().contains("only read"),
        "{body}"
    );
    assert_eq!(post_alert(&base, &feed, "值班员").await.status(), 201);

    // Health is open; everything else wants a token.
    let open = http
        .get(format!("{base}/api/v1/health"))
        .send()
        .await
        .unwrap();
    assert_eq!(open.status(), 200);
    for path in [
        "/api/v1/alerts",
        "/api/v1/incidents",
        "/api/v1/events",
        "/api/v1/experts",
    ] {
        let r = http.get(format!("{base}{path}")).send().await.unwrap();
        assert_eq!(r.status(), 401, "{path}");
    }

    let huge = format!(r#"{{"title": "{}"}}"#, "x".repeat(2 * 1024 * 1024));
    let r = http
        .post(format!("{base}/api/v1/alerts"))
        .bearer_auth(&feed)
        .header("content-type", "application/json")
        .body(huge)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 413);
    let body: serde_json::Value = r.json().await.expect("a JSON error");
    assert!(body["error"].is_string(), "{body}");
    server.shutdown().await;
}
