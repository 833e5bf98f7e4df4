//! `GET /metrics`: requests counted by route template and status, open event streams,
//! change events, and who may read them.

use serde_json::json;
use std::time::Duration;
use tempfile::TempDir;
use watchroom::model::{Alert, Page};
use watchroom::server::{Clock, Role, RunningServer, ServeOptions};

const ADMIN: &str = "admin-token-1";
const VIEWER: &str = "viewer-token-1";
const METRICS: &str = "metrics-token-1";
const STEP: Duration = Duration::from_secs(20);

struct Server {
    running: RunningServer,
    http: reqwest::Client,
    _dir: TempDir,
}

async fn serve() -> Server {
    let dir = TempDir::new().unwrap();
    let opts = ServeOptions {
        tokens: vec![ADMIN.into()],
        viewer_tokens: vec![VIEWER.into()],
        metrics_tokens: vec![METRICS.into()],
        clock: Clock::from_fn(|| "2026-11-29T03:12:45+08:00".parse().unwrap()),
        ..ServeOptions::demo(
            "127.0.0.1:0".parse().unwrap(),
            dir.path().join("duty.sqlite"),
        )
    };
    let running = tokio::time::timeout(STEP, watchroom::server::start(opts))
        .await
        .expect("server start in time")
        .expect("server starts");
    Server {
        running,
        http: reqwest::Client::new(),
        _dir: dir,
    }
}

impl Server {
    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.running.addr)
    }

    async fn status(&self, path: &str, token: Option<&str>) -> u16 {
        let mut req = self.http.get(self.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        req.send().await.unwrap().status().as_u16()
    }

    async fn metrics(&self) -> String {
        let resp = self
            .http
            .get(self.url("/metrics"))
            .bearer_auth(METRICS)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200);
        resp.text().await.unwrap()
    }
}

/// The value of the series `series` (name and labels, as written), if present.
fn value(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find_map(|l| l.strip_prefix(series)?.strip_prefix(' '))
        .map(|v| v.parse().expect("a number"))
}

fn requests(route: &str, method: &str, status: u16) -> String {
    format!(
        "watchroom_http_requests_total{{route=\"{route}\",method=\"{method}\",status=\"{status}\"}}"
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_are_counted_by_route_template_method_and_status() {
    let s = serve().await;
    let page: Page<Alert> = s
        .http
        .get(s.url("/api/v1/alerts"))
        .bearer_auth(VIEWER)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = page.items[0].id.to_string();
    let one = format!("/api/v1/alerts/{id}");
    assert_eq!(s.status(&one, Some(VIEWER)).await, 200);
    assert_eq!(s.status(&one, Some(VIEWER)).await, 200);
    assert_eq!(
        s.status("/api/v1/alerts/no-such-alert", Some(VIEWER)).await,
        404
    );
    assert_eq!(s.status("/no/such/endpoint", None).await, 404);

    let text = s.metrics().await;
    let route = "/api/v1/alerts/{id}";
    assert_eq!(
        value(&text, &requests(route, "GET", 200)),
        Some(2.0),
        "{text}"
    );
    assert_eq!(
        value(&text, &requests(route, "GET", 404)),
        Some(1.0),
        "{text}"
    );
    assert_eq!(
        value(&text, &requests("/api/v1/alerts", "GET", 200)),
        Some(1.0)
    );
    assert_eq!(value(&text, &requests("unmatched", "GET", 404)), Some(1.0));
    assert!(
        !text.contains(&id) && !text.contains("no-such-alert"),
        "no record id becomes a label"
    );
    let histogram = |part: &str| {
        value(
            &text,
            &format!("watchroom_http_request_duration_seconds_{part}{{route=\"{route}\"}}"),
        )
    };
    assert_eq!(histogram("count"), Some(3.0));
    assert_eq!(
        value(
            &text,
            &format!(
                "watchroom_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}}"
            )
        ),
        Some(3.0)
    );
    assert!(histogram("sum").is_some_and(|s| s >= 0.0));
    assert!(text.contains("# TYPE watchroom_http_request_duration_seconds histogram\n"));
    assert!(text.contains(&format!(
        "watchroom_build_info{{version=\"{}\"}} 1\n",
        env!("CARGO_PKG_VERSION")
    )));
    assert_eq!(value(&text, "watchroom_store_errors_total"), Some(0.0));
    // The scrape itself is counted once it is answered.
    let again = s.metrics().await;
    assert_eq!(value(&again, &requests("/metrics", "GET", 200)), Some(1.0));
    s.running.shutdown().await;
}

/// Reads the gauge until it is `want`: a stream's end reaches the server a moment after
/// the client drops it.
async fn gauge_becomes(s: &Server, want: f64) {
    let since = tokio::time::Instant::now();
    loop {
        let text = s.metrics().await;
        let got = value(&text, "watchroom_sse_subscribers");
        if got == Some(want) {
            return;
        }
        assert!(
            since.elapsed() < STEP,
            "watchroom_sse_subscribers stays {got:?}, not {want}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_open_event_stream_raises_the_subscriber_gauge_and_closing_it_lowers_it() {
    let s = serve().await;
    gauge_becomes(&s, 0.0).await;
    let stream = s
        .http
        .get(s.url("/api/v1/events"))
        .bearer_auth(VIEWER)
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status(), 200);
    gauge_becomes(&s, 1.0).await;
    drop(stream);
    gauge_becomes(&s, 0.0).await;
    s.running.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_change_event_is_counted() {
    let s = serve().await;
    let officer = s
        .running
        .add_user("测试值班员", Role::Officer, false)
        .await
        .unwrap();
    let before = value(&s.metrics().await, "watchroom_events_total").expect("events counted");
    let resp = s
        .http
        .post(s.url("/api/v1/alerts"))
        .bearer_auth(&officer)
        .json(&json!({
            "source": "测试市气象台（示例）", "signal_type": "大风",
            "colour": "blue", "title": "测试大风蓝色预警",
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 201);
    let after = value(&s.metrics().await, "watchroom_events_total").unwrap();
    assert_eq!(after - before, 1.0, "one new alert is one event");
    s.running.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_are_read_with_a_metrics_or_admin_token_only() {
    let s = serve().await;
    let officer = s
        .running
        .add_user("测试值班员", Role::Officer, false)
        .await
        .unwrap();
    assert_eq!(s.status("/metrics", None).await, 401);
    assert_eq!(s.status("/metrics", Some("not-a-token")).await, 401);
    assert_eq!(s.status("/metrics", Some(VIEWER)).await, 403);
    assert_eq!(s.status("/metrics", Some(&officer)).await, 403);
    assert_eq!(s.status("/metrics", Some(ADMIN)).await, 200);
    let resp = s
        .http
        .get(s.url("/metrics"))
        .bearer_auth(METRICS)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(
        resp.headers()["content-type"],
        "text/plain; version=0.0.4; charset=utf-8"
    );
    // A metrics token opens nothing else.
    assert_eq!(s.status("/api/v1/alerts", Some(METRICS)).await, 401);
    assert_eq!(s.status("/api/v1/me", Some(METRICS)).await, 401);
    s.running.shutdown().await;
}
