//! Duty API v1 against the reference server on a loopback port, over real HTTP.

use eventsource_stream::{Event, Eventsource};
use futures::{Stream, StreamExt};
use serde_json::{Value, json};
use std::collections::HashSet;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;
use tempfile::TempDir;
use watchroom::model::{
    Alert, Colour, DutyRole, ExpertDirectory, GroupRole, Handover, Health, Incident, MsgType, Page,
    Shift, TimelineEntry,
};
use watchroom::server::{Role, RunningServer, ServeOptions};

const TOKEN: &str = "test-token-1";
/// Generous: the machine may be busy compiling; nothing here is a speed assertion.
const STEP: Duration = Duration::from_secs(20);

async fn within<T>(what: &str, fut: impl Future<Output = T>) -> T {
    tokio::time::timeout(STEP, fut)
        .await
        .unwrap_or_else(|_| panic!("timed out: {what}"))
}

struct Server {
    running: RunningServer,
    /// A shared seat's token (role leader): every write names the person typed at the
    /// seat, as the tests' bodies do, and carries the seat.
    seat: String,
    base: String,
    http: reqwest::Client,
    _dir: TempDir,
}

async fn serve_with(dir: TempDir, tokens: Vec<String>, simulate: bool) -> Server {
    let running = within(
        "server start",
        watchroom::server::start(ServeOptions {
            tokens,
            simulate,
            ..ServeOptions::demo(
                "127.0.0.1:0".parse().unwrap(),
                dir.path().join("duty.sqlite"),
            )
        }),
    )
    .await
    .expect("server starts");
    static SEATS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = SEATS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let seat = running
        .add_user(&format!("测试席{n}"), Role::Leader, true)
        .await
        .expect("a seat's token");
    Server {
        seat,
        base: format!("http://{}", running.addr),
        running,
        http: reqwest::Client::new(),
        _dir: dir,
    }
}

async fn serve() -> Server {
    serve_with(TempDir::new().unwrap(), vec![TOKEN.to_owned()], false).await
}

impl Server {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn get(&self, path: &str) -> reqwest::RequestBuilder {
        self.http.get(self.url(path)).bearer_auth(&self.seat)
    }

    fn post(&self, path: &str, body: &Value) -> reqwest::RequestBuilder {
        self.http
            .post(self.url(path))
            .bearer_auth(&self.seat)
            .json(body)
    }

    /// GET with the token; asserts 200 and decodes.
    async fn fetch<T: serde::de::DeserializeOwned>(&self, path: &str) -> T {
        let resp = within(path, self.get(path).send()).await.unwrap();
        assert_eq!(resp.status(), 200, "GET {path}");
        within(path, resp.json()).await.unwrap()
    }

    /// POST with the token; asserts the status and decodes the body.
    async fn send<T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        body: Value,
        status: u16,
    ) -> T {
        let resp = within(path, self.post(path, &body).send()).await.unwrap();
        let got = resp.status().as_u16();
        let text = within(path, resp.text()).await.unwrap();
        assert_eq!(got, status, "POST {path}: {text}");
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("POST {path}: {e}: {text}"))
    }

    /// Opens the SSE stream, optionally resuming after `last_event_id`.
    async fn events(&self, last_event_id: Option<u64>) -> EventStream {
        let mut req = self.get("/api/v1/events");
        if let Some(id) = last_event_id {
            req = req.header("Last-Event-ID", id.to_string());
        }
        let resp = within("open SSE", req.send()).await.unwrap();
        assert_eq!(resp.status(), 200);
        let ctype = resp.headers()["content-type"].to_str().unwrap().to_owned();
        assert!(ctype.starts_with("text/event-stream"), "{ctype}");
        Box::pin(resp.bytes_stream().eventsource())
    }

    /// PATCHes the incident closed with the seat's token.
    async fn close(&self, incident_id: &str) -> reqwest::Response {
        let path = format!("/api/v1/incidents/{incident_id}");
        within(
            "close",
            self.http
                .patch(self.url(&path))
                .bearer_auth(&self.seat)
                .json(&json!({"status": "closed"}))
                .send(),
        )
        .await
        .unwrap()
    }

    async fn stop(self) {
        within("shutdown", self.running.shutdown()).await;
    }
}

type EventStream = Pin<
    Box<
        dyn Stream<Item = Result<Event, eventsource_stream::EventStreamError<reqwest::Error>>>
            + Send,
    >,
>;

async fn next_event(stream: &mut EventStream) -> Event {
    within("next SSE event", stream.next())
        .await
        .expect("the stream stays open")
        .expect("a well-formed event")
}

fn alert_body(title: &str, colour: &str) -> Value {
    json!({
        "source": "测试市气象台",
        "signal_type": "暴雨",
        "colour": colour,
        "title": title,
        "area": "南山区",
    })
}

async fn alerts_cursor(s: &Server) -> String {
    let page: Page<Alert> = s.fetch("/api/v1/alerts").await;
    page.next_cursor.expect("alerts always carry a cursor")
}

#[tokio::test]
async fn health_needs_no_token() {
    let s = serve().await;
    let resp = within("health", s.http.get(s.url("/api/v1/health")).send())
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let health: Health = resp.json().await.unwrap();
    assert_eq!(health.status, "ok");
    s.stop().await;
}

#[tokio::test]
async fn expert_pool_has_15_groups_of_5_domains_with_one_leader_and_deputy_each() {
    let s = serve().await;
    let dir: ExpertDirectory = s.fetch("/api/v1/experts").await;
    assert_eq!(dir.items.len(), 190);
    assert_eq!(dir.groups.len(), 15);
    assert_eq!(dir.domains.len(), 5);
    for g in &dir.groups {
        assert!(dir.domains.iter().any(|d| d.name == g.domain), "{}", g.name);
        let in_group = || dir.items.iter().filter(|e| e.group == g.name);
        assert_eq!(
            in_group().filter(|e| e.role == GroupRole::Leader).count(),
            1,
            "{}",
            g.name
        );
        assert_eq!(
            in_group().filter(|e| e.role == GroupRole::Deputy).count(),
            1,
            "{}",
            g.name
        );
    }
    for e in &dir.items {
        assert!(!e.phones.is_empty(), "{}", e.name);
        assert!(
            e.phones.iter().all(|p| p.starts_with("100-0000-")),
            "{:?}",
            e.phones
        );
    }
    assert_eq!(dir.items.iter().filter(|e| e.name == "张某伟").count(), 2);
    let ids: HashSet<&str> = dir.items.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids.len(), 190);
    s.stop().await;
}

#[tokio::test]
async fn missing_or_wrong_token_is_401_with_a_json_error() {
    let s = serve().await;
    let routes = [
        "/api/v1/alerts",
        "/api/v1/incidents",
        "/api/v1/roster",
        "/api/v1/experts",
        "/api/v1/handovers",
        "/api/v1/events",
    ];
    for path in routes {
        for token in [None, Some("wrong-token"), Some("")] {
            let mut req = s.http.get(s.url(path));
            if let Some(t) = token {
                req = req.header("Authorization", format!("Bearer {t}"));
            }
            let resp = within(path, req.send()).await.unwrap();
            assert_eq!(resp.status(), 401, "{path} with {token:?}");
            let body: Value = resp.json().await.unwrap();
            assert!(
                body["error"].as_str().is_some_and(|e| !e.is_empty()),
                "{body}"
            );
        }
    }
    let resp = within(
        "post without token",
        s.http
            .post(s.url("/api/v1/alerts"))
            .json(&alert_body("x", "red"))
            .send(),
    )
    .await
    .unwrap();
    assert_eq!(resp.status(), 401);
    // Nothing was stored by the refused POST.
    let page: Page<Alert> = s.fetch("/api/v1/alerts").await;
    assert!(page.items.iter().all(|a| a.title() != "x"));
    s.stop().await;
}

async fn expect_400(s: &Server, path: &str, raw: &str, field: &str) -> String {
    let resp = within(
        path,
        s.http
            .post(s.url(path))
            .bearer_auth(&s.seat)
            .header("content-type", "application/json")
            .body(raw.to_owned())
            .send(),
    )
    .await
    .unwrap();
    assert_eq!(resp.status(), 400, "{raw}");
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["field"], field, "{raw} → {body}");
    body["error"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn bad_bodies_are_400_naming_the_field() {
    let s = serve().await;
    let path = "/api/v1/alerts";
    let error = expect_400(
        &s,
        path,
        "{\n \"source\": \"x\",\n \"colour\": red\n}",
        "colour",
    )
    .await;
    assert!(
        error.contains("line 3") && error.contains("column"),
        "{error}"
    );
    let error = expect_400(&s, path, "{\"title\": \"x\",", "body").await;
    assert!(error.contains("line 1"), "{error}");
    expect_400(
        &s,
        path,
        r#"{"source":"s","signal_type":"暴雨","colour":"red"}"#,
        "title",
    )
    .await;
    let purple = alert_body("t", "purple").to_string();
    let error = expect_400(&s, path, &purple, "colour").await;
    assert!(error.contains("purple"), "{error}");
    let mut mismatch = alert_body("t", "red");
    mismatch["level"] = json!("IV");
    expect_400(&s, path, &mismatch.to_string(), "level").await;
    let mut not_a_time = alert_body("t", "red");
    not_a_time["sent"] = json!("yesterday");
    expect_400(&s, path, &not_a_time.to_string(), "sent").await;
    expect_400(&s, path, "[]", "body").await;

    expect_400(
        &s,
        "/api/v1/alerts/demo-a27/ack",
        r#"{"note":"n"}"#,
        "officer",
    )
    .await;
    let entry = r#"{"author":"甲","text":"t"}"#;
    expect_400(&s, "/api/v1/incidents/demo-inc03/timeline", entry, "kind").await;
    let handover = r#"{"outgoing":"甲","shift_start":"2026-11-29T08:30:00+08:00"}"#;
    expect_400(&s, "/api/v1/handovers", handover, "shift_end").await;
    let resp = within("bad since", s.get("/api/v1/alerts?since=abc").send())
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["field"], "since");
    s.stop().await;
}

#[tokio::test]
async fn unknown_ids_and_routes_are_404_json() {
    let s = serve().await;
    for (path, body) in [
        ("/api/v1/alerts/no-such-alert/ack", json!({"officer": "甲"})),
        (
            "/api/v1/incidents/no-such-incident/timeline",
            json!({"author": "甲", "kind": "记录", "text": "t"}),
        ),
    ] {
        let resp = within(path, s.post(path, &body).send()).await.unwrap();
        assert_eq!(resp.status(), 404, "{path}");
        let body: Value = resp.json().await.unwrap();
        assert!(
            body["error"].as_str().unwrap().contains("no-such"),
            "{body}"
        );
    }
    for path in ["/api/v1/incidents/nope/timeline", "/api/v1/nothing-here"] {
        let resp = within(path, s.get(path).send()).await.unwrap();
        assert_eq!(resp.status(), 404, "{path}");
        let body: Value = resp.json().await.unwrap();
        assert!(body["error"].is_string(), "{body}");
    }
    s.stop().await;
}

#[tokio::test]
async fn posted_alert_is_listed_after_the_cursor_and_streamed_with_resume() {
    let s = serve().await;
    let cursor = alerts_cursor(&s).await;
    let before: u64 = cursor.parse().unwrap();
    let mut live = s.events(None).await;

    let created: Alert = s
        .send(
            "/api/v1/alerts",
            alert_body("暴雨黄色预警信号（测试）", "yellow"),
            201,
        )
        .await;
    assert!(!created.id.is_empty());
    assert_eq!(created.level.colour(), Colour::Yellow);
    assert_eq!(created.severity, "Moderate");
    assert!(created.seq > before);

    // The full list has it; the list after the earlier cursor has only it.
    let all: Page<Alert> = s.fetch("/api/v1/alerts").await;
    assert!(all.items.iter().any(|a| a.id == created.id));
    let newer: Page<Alert> = s.fetch(&format!("/api/v1/alerts?since={cursor}")).await;
    assert_eq!(newer.items, vec![created.clone()]);
    assert_eq!(newer.next_cursor, Some(created.seq.to_string()));
    let none: Page<Alert> = s
        .fetch(&format!("/api/v1/alerts?since={}", created.seq))
        .await;
    assert!(none.items.is_empty());
    assert_eq!(none.next_cursor, Some(created.seq.to_string()));

    // Live stream: the event carries the alert itself.
    let event = next_event(&mut live).await;
    assert_eq!(event.event, "alert");
    assert_eq!(event.id, created.seq.to_string());
    let streamed: Alert = serde_json::from_str(&event.data).unwrap();
    assert_eq!(streamed, created);

    // Resuming after the earlier cursor replays exactly what came after it …
    let mut resumed = s.events(Some(before)).await;
    let replayed = next_event(&mut resumed).await;
    assert_eq!(replayed.id, created.seq.to_string());
    // … and then continues live with nothing repeated.
    let second: Alert = s
        .send("/api/v1/alerts", alert_body("第二条", "blue"), 201)
        .await;
    let next = next_event(&mut resumed).await;
    assert_eq!(next.id, second.seq.to_string());
    assert_eq!(next_event(&mut live).await.id, second.seq.to_string());

    // Resuming at the newest id replays nothing; the next live event is the first seen.
    let mut caught_up = s.events(Some(second.seq)).await;
    let third: Alert = s
        .send("/api/v1/alerts", alert_body("第三条", "blue"), 201)
        .await;
    assert_eq!(next_event(&mut caught_up).await.id, third.seq.to_string());

    // The query form of the resume id works for clients that cannot set headers.
    let resp = within(
        "events via query",
        s.get(&format!("/api/v1/events?last_event_id={}", second.seq))
            .send(),
    )
    .await
    .unwrap();
    let mut by_query: EventStream = Box::pin(resp.bytes_stream().eventsource());
    assert_eq!(next_event(&mut by_query).await.id, third.seq.to_string());
    s.stop().await;
}

#[tokio::test]
async fn update_with_references_marks_the_old_alert_superseded() {
    let s = serve().await;
    let mut live = s.events(None).await;
    let blue: Alert = s
        .send(
            "/api/v1/alerts",
            alert_body("台风蓝色预警信号", "blue"),
            201,
        )
        .await;
    let mut update = alert_body("台风黄色预警信号", "yellow");
    update["msg_type"] = json!("update");
    update["references"] = json!([blue.id]);
    update["level"] = json!("III");
    let yellow: Alert = s.send("/api/v1/alerts", update, 201).await;
    assert_eq!(yellow.msg_type, MsgType::Update);
    assert_eq!(yellow.extra.references, vec![blue.id.clone()]);

    let page: Page<Alert> = s.fetch(&format!("/api/v1/alerts?since={}", blue.seq)).await;
    let old = page
        .items
        .iter()
        .find(|a| a.id == blue.id)
        .expect("old alert changed");
    assert_eq!(old.extra.superseded_by.as_deref(), Some(yellow.id.as_str()));
    assert!(
        old.seq > yellow.seq,
        "the mark is a change after the update"
    );
    assert!(!old.in_force(jiff::Timestamp::now()));

    // Stream: blue created, yellow created, blue superseded.
    let ids: Vec<String> = vec![
        next_event(&mut live).await.id,
        next_event(&mut live).await.id,
        next_event(&mut live).await.id,
    ];
    assert_eq!(ids, [blue.seq, yellow.seq, old.seq].map(|n| n.to_string()));

    let mut cancel = alert_body("台风黄色预警信号解除", "yellow");
    cancel["msg_type"] = json!("cancel");
    cancel["references"] = json!([yellow.id]);
    let cancelled: Alert = s.send("/api/v1/alerts", cancel, 201).await;
    let page: Page<Alert> = s.fetch(&format!("/api/v1/alerts?since={}", old.seq)).await;
    let yellow_now = page.items.iter().find(|a| a.id == yellow.id).unwrap();
    assert_eq!(
        yellow_now.extra.superseded_by.as_deref(),
        Some(cancelled.id.as_str())
    );
    s.stop().await;
}

#[tokio::test]
async fn repeated_idempotency_key_returns_the_same_alert() {
    let s = serve().await;
    let mut body = alert_body("大风蓝色预警信号（推送测试）", "blue");
    body["idempotency_key"] = json!("push-0001");
    let first: Alert = s.send("/api/v1/alerts", body.clone(), 201).await;
    let again: Alert = s.send("/api/v1/alerts", body, 200).await;
    assert_eq!(first, again);
    let page: Page<Alert> = s.fetch("/api/v1/alerts").await;
    assert_eq!(
        page.items
            .iter()
            .filter(|a| a.title() == "大风蓝色预警信号（推送测试）")
            .count(),
        1
    );
    // A client-chosen id that exists already is a conflict, not an overwrite.
    let mut dup = alert_body("重复", "blue");
    dup["id"] = json!(first.id);
    let resp = within("dup id", s.post("/api/v1/alerts", &dup).send())
        .await
        .unwrap();
    assert_eq!(resp.status(), 409);
    s.stop().await;
}

#[tokio::test]
async fn timeline_post_dedupes_on_idempotency_key_and_streams() {
    let s = serve().await;
    let incidents: Page<Incident> = s.fetch("/api/v1/incidents").await;
    let open = incidents
        .items
        .iter()
        .find(|i| i.id == "demo-inc03")
        .expect("the demo incident exists");
    let before = open.timeline.len();
    let mut live = s.events(None).await;

    let path = format!("/api/v1/incidents/{}/timeline", open.id);
    let body = json!({
        "author": "林某婷",
        "kind": "续报",
        "text": "续报三：现场监测数据稳定。",
        "idempotency_key": "outbox-42",
    });
    let entry: TimelineEntry = s.send(&path, body.clone(), 201).await;
    assert_eq!(entry.incident_id, open.id);
    assert_eq!(entry.kind, "续报");
    let again: TimelineEntry = s.send(&path, body, 200).await;
    assert_eq!(again, entry);

    let page: Page<TimelineEntry> = s.fetch(&path).await;
    assert_eq!(page.items.len(), before + 1);
    assert_eq!(page.items.iter().filter(|e| e.id == entry.id).count(), 1);
    assert!(
        page.items.windows(2).all(|w| w[0].at <= w[1].at),
        "oldest first"
    );

    let event = next_event(&mut live).await;
    assert_eq!(event.event, "timeline");
    assert_eq!(event.id, entry.seq.to_string());
    let streamed: TimelineEntry = serde_json::from_str(&event.data).unwrap();
    assert_eq!(streamed, entry);

    // The incident moved past the cursor with the entry's seq.
    let changed: Page<Incident> = s
        .fetch(&format!("/api/v1/incidents?since={}", entry.seq - 1))
        .await;
    assert_eq!(changed.items.len(), 1);
    assert_eq!(changed.items[0].id, open.id);
    assert_eq!(changed.items[0].seq, entry.seq);
    assert_eq!(
        changed.items[0].timeline.last().map(|e| &e.id),
        Some(&entry.id)
    );
    s.stop().await;
}

#[tokio::test]
async fn ack_sets_the_ack_and_shows_on_the_stream() {
    let s = serve().await;
    let mut live = s.events(None).await;
    let red: Alert = s
        .send("/api/v1/alerts", alert_body("暴雨红色预警信号", "red"), 201)
        .await;
    assert!(red.ack.is_none());
    assert_eq!(next_event(&mut live).await.id, red.seq.to_string());

    let path = format!("/api/v1/alerts/{}/ack", red.id);
    let body = json!({"officer": "罗浩然", "note": "已报带班领导", "idempotency_key": "ack-1"});
    let acked: Alert = s.send(&path, body.clone(), 200).await;
    let ack = acked.ack.clone().expect("ack is set");
    assert_eq!(
        (ack.officer.as_str(), ack.note.as_str()),
        ("罗浩然", "已报带班领导")
    );
    assert!(acked.seq > red.seq);

    let event = next_event(&mut live).await;
    assert_eq!(event.event, "alert");
    let streamed: Alert = serde_json::from_str(&event.data).unwrap();
    assert_eq!(streamed, acked);

    // A retried ack (same key) changes nothing.
    let again: Alert = s.send(&path, body, 200).await;
    assert_eq!(again, acked);
    let page: Page<Alert> = s
        .fetch(&format!("/api/v1/alerts?since={}", acked.seq))
        .await;
    assert!(page.items.is_empty());
    s.stop().await;
}

#[tokio::test]
async fn roster_now_has_a_full_watch_handing_over_at_0830_shanghai() {
    let s = serve().await;
    let page: Page<Shift> = s.fetch("/api/v1/roster").await;
    let now = jiff::Timestamp::now();
    let current: Vec<&Shift> = page.items.iter().filter(|sh| sh.covers(now)).collect();
    let count = |role| current.iter().filter(|sh| sh.role == role).count();
    assert_eq!(count(DutyRole::Leader), 1);
    assert_eq!(count(DutyRole::Chief), 1);
    assert_eq!(count(DutyRole::Officer), 2);
    assert_eq!(count(DutyRole::Standby), 1);
    for sh in &page.items {
        let local = sh.start.in_tz("Asia/Shanghai").unwrap();
        assert_eq!((local.hour(), local.minute()), (8, 30), "{}", sh.id);
        assert_eq!(sh.end.duration_since(sh.start).as_hours(), 24);
        assert!(sh.phone.starts_with("100-0000-"));
    }
    assert!(
        page.items
            .windows(2)
            .all(|w| (w[0].start, w[0].role) <= (w[1].start, w[1].role)),
        "ordered by start, role"
    );

    // An explicit window: two whole local days → the shifts overlapping it.
    let path = "/api/v1/roster?from=2000-01-01T00:00:00%2B08:00&to=2000-01-02T00:00:00%2B08:00";
    let old: Page<Shift> = s.fetch(path).await;
    assert!(
        old.items.is_empty(),
        "the demo roster does not reach back to 2000"
    );
    let resp = within("bad from", s.get("/api/v1/roster?from=tomorrow").send())
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["field"], "from");
    s.stop().await;
}

#[tokio::test]
async fn demo_seed_has_alerts_in_all_colours_and_incidents_with_timelines() {
    let s = serve().await;
    let alerts: Page<Alert> = s.fetch("/api/v1/alerts").await;
    assert!(alerts.items.len() >= 30, "{} alerts", alerts.items.len());
    let colours: HashSet<Colour> = alerts.items.iter().map(|a| a.colour).collect();
    assert_eq!(colours.len(), 4);
    assert!(alerts.items.windows(2).all(|w| w[0].seq < w[1].seq));
    let now = jiff::Timestamp::now();
    assert!(alerts.items.iter().any(|a| a.extra.superseded_by.is_some()));
    assert!(alerts.items.iter().any(|a| a.msg_type == MsgType::Cancel));
    assert!(
        alerts
            .items
            .iter()
            .any(|a| a.expires.is_some_and(|e| e < now))
    );
    assert!(
        alerts
            .items
            .iter()
            .any(|a| a.in_force(now) && a.colour == Colour::Red)
    );
    assert!(alerts.items.iter().all(|a| a.sent <= now));
    assert!(
        alerts
            .items
            .iter()
            .all(|a| now.duration_since(a.sent).as_hours() <= 48)
    );
    let signals: HashSet<&str> = alerts
        .items
        .iter()
        .map(|a| a.signal_type.as_str())
        .collect();
    assert!(signals.len() >= 6, "{signals:?}");

    // The seed's closed incidents too: the list gives them when asked.
    let incidents: Page<Incident> = s.fetch("/api/v1/incidents?status=all").await;
    assert!(incidents.items.len() >= 5);
    for i in &incidents.items {
        assert!(!i.timeline.is_empty(), "{}", i.title);
        assert!(
            i.timeline.windows(2).all(|w| w[0].at <= w[1].at),
            "{}",
            i.title
        );
        assert!(i.timeline.iter().all(|e| e.incident_id == i.id));
    }
    let grades: HashSet<_> = incidents.items.iter().map(|i| i.grade).collect();
    assert!(grades.len() >= 3);
    s.stop().await;
}

#[tokio::test]
async fn restart_keeps_the_data_without_seeding_again() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().to_owned();
    let s = serve_with(dir, vec![TOKEN.to_owned()], false).await;
    let posted: Alert = s
        .send("/api/v1/alerts", alert_body("重启前", "blue"), 201)
        .await;
    let before: Page<Alert> = s.fetch("/api/v1/alerts").await;
    // Keep the directory alive across the restart.
    let Server { running, _dir, .. } = s;
    within("shutdown", running.shutdown()).await;

    let s = serve_with(_dir, vec![TOKEN.to_owned()], false).await;
    assert!(path.join("duty.sqlite").exists());
    let after: Page<Alert> = s.fetch("/api/v1/alerts").await;
    assert_eq!(after.items, before.items);
    assert!(after.items.iter().any(|a| a.id == posted.id));
    let dir: ExpertDirectory = s.fetch("/api/v1/experts").await;
    assert_eq!(dir.items.len(), 190);
    s.stop().await;
}

#[tokio::test]
async fn a_token_is_generated_when_none_is_given() {
    let s = serve_with(TempDir::new().unwrap(), Vec::new(), false).await;
    let token = s
        .running
        .generated_token
        .clone()
        .expect("a generated token");
    assert!(token.len() >= 16);
    let ok = within(
        "generated token",
        s.http
            .get(s.url("/api/v1/experts"))
            .bearer_auth(&token)
            .send(),
    )
    .await
    .unwrap();
    assert_eq!(ok.status(), 200);
    let old = s.http.get(s.url("/api/v1/experts")).bearer_auth(TOKEN);
    let refused = within("old token", old.send()).await.unwrap();
    assert_eq!(refused.status(), 401);
    s.stop().await;
}

#[tokio::test]
async fn handovers_are_kept_and_confirmed() {
    let s = serve().await;
    let mut live = s.events(None).await;
    let body = json!({
        "outgoing": "林某婷",
        "shift_start": "2026-11-28T08:30:00+08:00",
        "shift_end": "2026-11-29T08:30:00+08:00",
        "notes": "台风红色预警生效中；龙岗区边坡滑塌待续报。",
        "idempotency_key": "handover-1",
    });
    let created: Handover = s.send("/api/v1/handovers", body.clone(), 201).await;
    assert!(created.created_at.is_some() && created.confirmed_at.is_none());
    let again: Handover = s.send("/api/v1/handovers", body, 200).await;
    assert_eq!(again, created);
    assert_eq!(next_event(&mut live).await.event, "handover");

    let path = format!("/api/v1/handovers/{}/confirm", created.id);
    let confirmed: Handover = s.send(&path, json!({"incoming": "罗浩然"}), 200).await;
    assert_eq!(confirmed.incoming, "罗浩然");
    assert!(confirmed.confirmed_at.is_some());
    let resp = within(
        "re-confirm",
        s.post(&path, &json!({"incoming": "别人"})).send(),
    )
    .await
    .unwrap();
    assert_eq!(resp.status(), 409);

    let list: Page<Handover> = s.fetch("/api/v1/handovers").await;
    assert_eq!(list.items, vec![confirmed]);
    s.stop().await;
}

#[tokio::test]
async fn incidents_can_be_opened_and_closed() {
    let s = serve().await;
    let opened: Incident = s
        .send(
            "/api/v1/incidents",
            json!({"title": "测试区某路段塌陷", "grade": "III", "district": "南山区"}),
            201,
        )
        .await;
    assert!(opened.timeline.is_empty());
    let resp = s.close(opened.id.as_str()).await;
    assert_eq!(resp.status(), 200);
    let closed: Incident = resp.json().await.unwrap();
    assert_eq!(closed.status, watchroom::model::IncidentStatus::Closed);
    assert!(closed.seq > opened.seq);
    s.stop().await;
}

#[tokio::test]
async fn a_repeated_patch_does_not_undo_a_later_change() {
    let s = serve().await;
    let opened: Incident = s
        .send(
            "/api/v1/incidents",
            json!({"title": "测试区某路段塌陷", "grade": "III"}),
            201,
        )
        .await;
    let path = format!("/api/v1/incidents/{}", opened.id);
    let patch = |body: Value| {
        let req = s.http.patch(s.url(&path)).bearer_auth(&s.seat).json(&body);
        async move {
            let resp = within("patch", req.send()).await.unwrap();
            assert_eq!(resp.status(), 200);
            resp.json::<Incident>().await.unwrap()
        }
    };
    let closed = patch(json!({"status": "closed", "idempotency_key": "close-1"})).await;
    assert_eq!(closed.status, watchroom::model::IncidentStatus::Closed);
    let reopened = patch(json!({"status": "open", "idempotency_key": "reopen-1"})).await;
    // The first request retried (a lost answer, a console restarted): nothing changes.
    let again = patch(json!({"status": "closed", "idempotency_key": "close-1"})).await;
    assert_eq!(again.status, watchroom::model::IncidentStatus::Open);
    assert_eq!(again.seq, reopened.seq, "no new change was recorded");
    let now: Incident = s.fetch(&path).await;
    assert_eq!(now.status, watchroom::model::IncidentStatus::Open);
    s.stop().await;
}

#[tokio::test]
async fn the_simulator_sends_events_without_any_request() {
    let s = serve_with(TempDir::new().unwrap(), vec![TOKEN.to_owned()], true).await;
    let mut live = s.events(None).await;
    let event = next_event(&mut live).await;
    assert!(["alert", "incident", "timeline"].contains(&event.event.as_str()));
    let _: Value = serde_json::from_str(&event.data).unwrap();
    s.stop().await;
}

#[tokio::test]
async fn shutdown_ends_open_event_streams() {
    let s = serve().await;
    let mut live = s.events(None).await;
    s.stop().await;
    let end = within("stream end after shutdown", live.next()).await;
    assert!(end.is_none() || end.is_some_and(|r| r.is_err()));
}

/// Every command the console sends, as it sends it (`CommandBody::request`), posted twice
/// with one key: the second answer is the first record and no second change is made.
#[tokio::test]
async fn every_write_sent_twice_with_one_key_is_applied_once() {
    use watchroom::app::command::CommandBody;
    let s = serve().await;
    let red: Alert = s
        .send("/api/v1/alerts", alert_body("暴雨红色预警信号", "red"), 201)
        .await;
    let at: jiff::Timestamp = "2026-11-28T19:00:00Z".parse().unwrap();
    let incident_id = "inc-twice".to_owned();
    let bodies = [
        CommandBody::OpenIncident {
            id: incident_id.clone(),
            title: "测试燃气泄漏".into(),
            grade: watchroom::model::Grade::III,
            category: "燃气".into(),
            district: "南山区".into(),
            opened_at: at,
        },
        CommandBody::Timeline {
            incident_id: incident_id.clone(),
            author: "测试甲".into(),
            kind: "批示".into(),
            text: "组织专家研判".into(),
            at,
            leader: Some("测试乙".into()),
            assignee: Some("测试丙".into()),
            refers_to: None,
            corrects: None,
        },
        CommandBody::Ack {
            alert_id: red.id.to_string(),
            officer: "测试甲".into(),
            note: "已报".into(),
        },
        CommandBody::Silence {
            alert_id: red.id.to_string(),
            officer: "测试甲".into(),
            reason: "处置中".into(),
            until: jiff::Timestamp::now() + jiff::SignedDuration::from_mins(30),
        },
        CommandBody::Handover {
            outgoing: "测试甲".into(),
            shift_start: at,
            shift_end: at + jiff::SignedDuration::from_hours(24),
            notes: "注意".into(),
            report: Box::new(sample_report(at)),
        },
    ];
    let mut live = s.events(Some(red.seq)).await;
    for (n, body) in bodies.iter().enumerate() {
        let key = format!("twice-{n}");
        let (path, json) = body.request(&key);
        let first = within(&path, s.post(&path, &json).send()).await.unwrap();
        assert!(first.status().is_success(), "{path}: {}", first.status());
        let first: Value = within(&path, first.json()).await.unwrap();
        let changes = changes_until_marker(&s, &mut live, &format!("marker-a-{n}")).await;
        assert!(changes >= 1, "{path}: the first request made a change");

        let second = within(&path, s.post(&path, &json).send()).await.unwrap();
        assert_eq!(second.status(), 200, "{path}: a repeat is not a creation");
        let second: Value = within(&path, second.json()).await.unwrap();
        assert_eq!(
            second, first,
            "{path}: the repeat answers with the first record"
        );
        let changes = changes_until_marker(&s, &mut live, &format!("marker-b-{n}")).await;
        assert_eq!(changes, 0, "{path}: the repeat made no change");
    }
    let incident: Incident = s.fetch(&format!("/api/v1/incidents/{incident_id}")).await;
    assert_eq!(incident.timeline.len(), 1);
    assert_eq!(incident.timeline[0].leader.as_deref(), Some("测试乙"));
    let red: Alert = s.fetch(&format!("/api/v1/alerts/{}", red.id)).await;
    assert_eq!(
        red.silence.as_ref().map(|x| x.reason.as_str()),
        Some("处置中")
    );
    let handovers: Page<Handover> = s.fetch("/api/v1/handovers").await;
    assert_eq!(handovers.items.len(), 1);
    assert_eq!(
        handovers.items[0].report.as_ref().map(|r| r.notes.as_str()),
        Some("注意")
    );
    s.stop().await;
}

/// Posts a marker alert and counts the changes streamed before it.
async fn changes_until_marker(s: &Server, live: &mut EventStream, marker: &str) -> usize {
    let mut body = alert_body(marker, "blue");
    body["id"] = json!(marker);
    let _: Alert = s.send("/api/v1/alerts", body, 201).await;
    let mut n = 0;
    loop {
        let event = next_event(live).await;
        if event.event == "alert" && event.data.contains(&format!("\"id\":\"{marker}\"")) {
            return n;
        }
        n += 1;
    }
}

fn sample_report(at: jiff::Timestamp) -> watchroom::model::HandoverReport {
    watchroom::model::HandoverReport {
        office: "测试市应急管理局".into(),
        timezone: "Asia/Shanghai".into(),
        window_start: at,
        window_end: at,
        shift_end: None,
        outgoing: Vec::new(),
        incoming: Vec::new(),
        warnings_in_force: Vec::new(),
        received: Default::default(),
        unacknowledged: Vec::new(),
        incidents: Vec::new(),
        reports: Vec::new(),
        instructions: Vec::new(),
        silences: Vec::new(),
        notes: "注意".into(),
    }
}

#[tokio::test]
async fn an_ack_reaches_every_subscriber() {
    let s = serve().await;
    let mut first = s.events(None).await;
    let mut second = s.events(None).await;
    let red: Alert = s
        .send("/api/v1/alerts", alert_body("台风红色预警信号", "red"), 201)
        .await;
    for stream in [&mut first, &mut second] {
        assert_eq!(next_event(stream).await.id, red.seq.to_string());
    }
    let path = format!("/api/v1/alerts/{}/ack", red.id);
    let acked: Alert = s
        .send(
            &path,
            json!({"officer": "测试甲", "note": "", "idempotency_key": "k"}),
            200,
        )
        .await;
    for stream in [&mut first, &mut second] {
        let event = next_event(stream).await;
        assert_eq!(event.event, "alert");
        let seen: Alert = serde_json::from_str(&event.data).unwrap();
        assert_eq!(seen.ack, acked.ack);
    }
    s.stop().await;
}

/// An incident with a timeline of `n` long entries (each about 12 KB of text).
async fn long_incident(s: &Server, n: usize) -> Incident {
    let opened: Incident = s
        .send(
            "/api/v1/incidents",
            json!({"title": "测试区某化工园区长时处置", "grade": "II", "district": "测试区"}),
            201,
        )
        .await;
    let text = "现场持续处置，各组按预案推进。".repeat(4000 / 15);
    let path = format!("/api/v1/incidents/{}/timeline", opened.id);
    let posts = (0..n).map(|k| {
        let body =
            json!({"author": "测试员（示例）", "kind": "记录", "text": format!("{k:04}{text}")});
        let path = path.clone();
        async move {
            let _: TimelineEntry = s.send(&path, body, 201).await;
        }
    });
    futures::stream::iter(posts)
        .buffer_unordered(8)
        .collect::<Vec<()>>()
        .await;
    opened
}

#[tokio::test]
async fn a_console_reads_incidents_larger_than_its_response_cap() {
    let s = serve().await;
    // 500 entries of 12 KB: 6 MB of timeline in one incident, past a 5 MiB cap.
    let big = long_incident(&s, 500).await;
    // Page by page, each bounded; the page that holds it has it cut.
    let mut cursor = "0".to_owned();
    let mut listed = HashSet::new();
    loop {
        let path = format!("/api/v1/incidents?since={cursor}");
        let raw = within("list", s.get(&path).send()).await.unwrap();
        let raw = within("list body", raw.bytes()).await.unwrap();
        assert!(
            raw.len() <= 4 * 1024 * 1024 + 64 * 1024,
            "{} bytes",
            raw.len()
        );
        let page: watchroom::model::IncidentPage = serde_json::from_slice(&raw).unwrap();
        if page.items.iter().any(|i| i.id == big.id) {
            assert_eq!(page.timeline_cut, vec![big.id.clone()]);
        } else {
            assert!(page.timeline_cut.is_empty());
        }
        listed.extend(page.items.into_iter().map(|i| i.id));
        if !page.more {
            break;
        }
        cursor = page.next_cursor.unwrap();
    }
    assert!(listed.contains(&big.id));

    let client = watchroom::client::DutyClient::with_options(
        &s.base,
        &s.seat,
        watchroom::client::ClientOptions {
            max_bytes: 5 * 1024 * 1024,
            ..Default::default()
        },
    )
    .unwrap();
    let (incidents, _) = within(
        "paged incidents",
        client.incidents(0, watchroom::client::ClosedIncidents::Leave),
    )
    .await
    .expect("every page fits the console's cap");
    let got = incidents
        .iter()
        .find(|i| i.id == big.id)
        .expect("the big incident");
    assert_eq!(got.timeline.len(), 500);
    let ids: HashSet<&str> = got.timeline.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids.len(), 500, "an entry came twice");
    assert!(
        got.timeline
            .windows(2)
            .all(|w| (w[0].at, w[0].seq) <= (w[1].at, w[1].seq))
    );
    // The other open incidents came too, each once.
    let got: HashSet<String> = incidents.iter().map(|i| i.id.clone()).collect();
    assert_eq!(got.len(), incidents.len());
    assert_eq!(got, listed);
    s.stop().await;
}

#[tokio::test]
async fn closing_a_long_incident_streams_its_fields_not_its_timeline() {
    let s = serve().await;
    let big = long_incident(&s, 40).await;
    let at = alerts_cursor(&s).await.parse::<u64>().unwrap();
    let mut live = s.events(Some(at)).await;
    let resp = s.close(big.id.as_str()).await;
    assert_eq!(resp.status(), 200);
    // Past the incident's opening and its entries, to the close.
    let (event, closed) = loop {
        let e = next_event(&mut live).await;
        if e.event != "incident" {
            continue;
        }
        let i: Incident = serde_json::from_str(&e.data).unwrap();
        if i.id == big.id && i.status == watchroom::model::IncidentStatus::Closed {
            break (e, i);
        }
    };
    assert!(event.data.len() < 2048, "{} bytes", event.data.len());
    assert!(closed.timeline.is_empty());
    s.stop().await;
}

#[tokio::test]
async fn the_watch_list_holds_open_incidents_and_closed_ones_only_when_asked() {
    let s = serve().await;
    let opened: Incident = s
        .send(
            "/api/v1/incidents",
            json!({"title": "测试区某路段积水", "grade": "IV", "district": "测试区"}),
            201,
        )
        .await;
    let before_close = jiff::Timestamp::now() - jiff::SignedDuration::from_secs(60);
    let resp = s.close(opened.id.as_str()).await;
    assert_eq!(resp.status(), 200);
    let has = |page: &Page<Incident>| page.items.iter().any(|i| i.id == opened.id);
    let watch: Page<Incident> = s.fetch("/api/v1/incidents").await;
    assert!(!has(&watch));
    assert!(
        watch
            .items
            .iter()
            .all(|i| i.status == watchroom::model::IncidentStatus::Open)
    );
    let recent: Page<Incident> = s
        .fetch(&format!("/api/v1/incidents?closed_after={before_close}"))
        .await;
    assert!(has(&recent));
    let later = before_close + jiff::SignedDuration::from_hours(2);
    let not_recent: Page<Incident> = s
        .fetch(&format!("/api/v1/incidents?closed_after={later}"))
        .await;
    assert!(!has(&not_recent));
    let all: Page<Incident> = s.fetch("/api/v1/incidents?status=all").await;
    assert!(has(&all));
    let resp = within("bad status", s.get("/api/v1/incidents?status=gone").send())
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    let err: watchroom::model::ApiError = resp.json().await.unwrap();
    assert_eq!(err.field.as_deref(), Some("status"));
    s.stop().await;
}
