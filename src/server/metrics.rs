//! `GET /metrics`: what the server has done since it started, in Prometheus' text format —
//! requests by route template (never the raw path, so record ids do not each become a
//! series), method and status; their latency; open event streams; change events; store
//! failures. Counting a request costs one short lock and no allocation once its route has
//! been seen.
//!
//! Read with a metrics token (`serve --metrics-token`, opening nothing else) or an admin
//! token; every other token is refused (403), a missing or unknown one is 401.

use super::AppState;
use super::auth;
use super::error::ApiFailure;
use super::store::people::Role;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Upper bounds of the latency buckets, in seconds: a read answered from SQLite takes a
/// millisecond or two, an import of a large pool seconds.
const BUCKETS: [f64; 11] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// The route label of a request that matched no route (the 404 fallback).
const UNMATCHED: &str = "unmatched";

/// The counters, shared by every request.
#[derive(Default)]
pub struct Metrics {
    routes: Mutex<HashMap<String, RouteStats>>,
}

#[derive(Default)]
struct RouteStats {
    /// (method, status) and how many answers.
    answered: Vec<(&'static str, u16, u64)>,
    /// How many took at most `BUCKETS[i]` and more than the bound before it.
    buckets: [u64; BUCKETS.len()],
    seconds: f64,
    count: u64,
}

/// Methods by name; anything else is `other`, so a client cannot mint label values.
fn method_label(m: &Method) -> &'static str {
    match *m {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

impl Metrics {
    fn observe(&self, route: &str, method: &'static str, status: u16, took: Duration) {
        // A panic elsewhere while counting must not stop the counting.
        let mut routes = self.routes.lock().unwrap_or_else(|p| p.into_inner());
        let stats = match routes.get_mut(route) {
            Some(s) => s,
            None => routes.entry(route.to_owned()).or_default(),
        };
        match stats
            .answered
            .iter_mut()
            .find(|(m, s, _)| *m == method && *s == status)
        {
            Some((_, _, n)) => *n += 1,
            None => stats.answered.push((method, status, 1)),
        }
        let secs = took.as_secs_f64();
        if let Some(i) = BUCKETS.iter().position(|&le| secs <= le) {
            stats.buckets[i] += 1;
        }
        stats.seconds += secs;
        stats.count += 1;
    }

    /// The exposition, metric families in a fixed order and series sorted, so that two
    /// scrapes of an idle server read the same.
    fn render(&self, subscribers: usize, events: u64, store_errors: u64) -> String {
        let routes = self.routes.lock().unwrap_or_else(|p| p.into_inner());
        let mut names: Vec<&String> = routes.keys().collect();
        names.sort();
        let mut out = String::with_capacity(4096);
        // Writing to a String cannot fail.
        let _ = writeln!(
            out,
            "# HELP watchroom_build_info The running watchroom's version.\n\
             # TYPE watchroom_build_info gauge\n\
             watchroom_build_info{{version=\"{}\"}} 1",
            label(env!("CARGO_PKG_VERSION"))
        );
        out.push_str(
            "# HELP watchroom_http_requests_total HTTP requests answered, by route template, method and status.\n\
             # TYPE watchroom_http_requests_total counter\n",
        );
        for name in &names {
            let mut answered = routes[*name].answered.clone();
            answered.sort();
            for (method, status, n) in answered {
                let _ = writeln!(
                    out,
                    "watchroom_http_requests_total{{route=\"{}\",method=\"{method}\",status=\"{status}\"}} {n}",
                    label(name)
                );
            }
        }
        out.push_str(
            "# HELP watchroom_http_request_duration_seconds Time to the response head, by route template.\n\
             # TYPE watchroom_http_request_duration_seconds histogram\n",
        );
        for name in &names {
            let stats = &routes[*name];
            let route = label(name);
            let mut below = 0;
            for (le, n) in BUCKETS.iter().zip(stats.buckets) {
                below += n;
                let _ = writeln!(
                    out,
                    "watchroom_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{le}\"}} {below}"
                );
            }
            let _ = writeln!(
                out,
                "watchroom_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {count}\n\
                 watchroom_http_request_duration_seconds_sum{{route=\"{route}\"}} {sum}\n\
                 watchroom_http_request_duration_seconds_count{{route=\"{route}\"}} {count}",
                count = stats.count,
                sum = stats.seconds,
            );
        }
        let _ = writeln!(
            out,
            "# HELP watchroom_sse_subscribers Open event streams (GET /api/v1/events).\n\
             # TYPE watchroom_sse_subscribers gauge\n\
             watchroom_sse_subscribers {subscribers}\n\
             # HELP watchroom_events_total Change events put on the event stream since the start (this server's writes and watchroom admin's).\n\
             # TYPE watchroom_events_total counter\n\
             watchroom_events_total {events}\n\
             # HELP watchroom_store_errors_total Database operations that failed (not requests refused for what they asked).\n\
             # TYPE watchroom_store_errors_total counter\n\
             watchroom_store_errors_total {store_errors}"
        );
        out
    }
}

/// A label value as the format wants it: backslash, quote and newline escaped.
fn label(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// Counts every request by the route it matched, after it is answered.
pub async fn track(State(app): State<AppState>, req: Request, next: Next) -> Response {
    let route = req.extensions().get::<MatchedPath>().cloned();
    let method = method_label(req.method());
    let started = Instant::now();
    let response = next.run(req).await;
    app.metrics.observe(
        route.as_ref().map_or(UNMATCHED, MatchedPath::as_str),
        method,
        response.status().as_u16(),
        started.elapsed(),
    );
    response
}

pub async fn scrape(State(app): State<AppState>, headers: HeaderMap) -> Response {
    if let Err(refused) = may_read(&app, &headers).await {
        return refused.into_response();
    }
    let body = app.metrics.render(
        app.store.bus().subscribers(),
        app.store.bus().sent(),
        app.store.errors(),
    );
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
        )],
        body,
    )
        .into_response()
}

async fn may_read(app: &AppState, headers: &HeaderMap) -> Result<(), ApiFailure> {
    let token = auth::presented(headers)?;
    if auth::listed(&app.metrics_tokens, &token).is_some() {
        return Ok(());
    }
    let identity = auth::identify(app, token).await?;
    if identity.role == Role::Admin {
        return Ok(());
    }
    Err(ApiFailure::new(
        StatusCode::FORBIDDEN,
        format!(
            "a {} token may not read /metrics: use a metrics token (serve --metrics-token, \
             WATCHROOM_METRICS_TOKENS) or an admin token",
            identity.role
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn counts_go_by_route_method_and_status_and_buckets_add_up() {
        let m = Metrics::default();
        m.observe("/api/v1/alerts/{id}", "GET", 200, ms(1));
        m.observe("/api/v1/alerts/{id}", "GET", 200, ms(30));
        m.observe("/api/v1/alerts/{id}", "GET", 404, ms(20_000));
        let text = m.render(2, 7, 1);
        assert!(text.contains(
            "watchroom_http_requests_total{route=\"/api/v1/alerts/{id}\",method=\"GET\",status=\"200\"} 2\n"
        ));
        assert!(text.contains(
            "watchroom_http_requests_total{route=\"/api/v1/alerts/{id}\",method=\"GET\",status=\"404\"} 1\n"
        ));
        let bucket = |le: &str| {
            format!(
                "watchroom_http_request_duration_seconds_bucket{{route=\"/api/v1/alerts/{{id}}\",le=\"{le}\"}} "
            )
        };
        assert!(text.contains(&format!("{}1\n", bucket("0.005"))));
        assert!(text.contains(&format!("{}2\n", bucket("0.05"))));
        assert!(text.contains(&format!("{}2\n", bucket("10"))));
        assert!(text.contains(&format!("{}3\n", bucket("+Inf"))));
        assert!(text.contains("watchroom_sse_subscribers 2\n"));
        assert!(text.contains("watchroom_events_total 7\n"));
        assert!(text.ends_with("watchroom_store_errors_total 1\n"));
    }

    #[test]
    fn label_values_are_escaped_and_odd_methods_are_other() {
        assert_eq!(label("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
        assert_eq!(method_label(&Method::from_bytes(b"BREW").unwrap()), "other");
    }
}
