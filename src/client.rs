//! HTTP client for the duty API v1. Every error names the URL it was talking to.

use crate::app::command::Command;
use crate::model::{
    Alert, ApiError, ExpertDirectory, Handover, Health, Incident, IncidentPage, Page, Shift,
    TimelineEntry,
};
use jiff::Timestamp;
use serde::de::DeserializeOwned;
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("{url}: token rejected (401){}", detail(.message))]
    Unauthorized { url: String, message: String },
    #[error("{url}: HTTP {status}{}", detail(.message))]
    Status {
        url: String,
        status: u16,
        message: String,
    },
    #[error("{url}: {message}")]
    Transport { url: String, message: String },
    #[error("{url}: unreadable answer: {message}")]
    Decode { url: String, message: String },
    #[error("invalid server URL {url:?}: {message}")]
    BadUrl { url: String, message: String },
}

/// Which closed incidents a list of incidents carries besides the open ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClosedIncidents {
    Leave,
    /// Those closed and last changed at or after this instant.
    After(Timestamp),
    /// Every one: history, or the changes after a cursor.
    All,
}

/// The cursor after a page: the server's, else the highest seq it held.
pub fn cursor_after(next: Option<&str>, seqs: impl Iterator<Item = u64>) -> u64 {
    let seen = seqs.max().unwrap_or(0);
    next.and_then(|c| c.parse::<u64>().ok())
        .unwrap_or(0)
        .max(seen)
}

fn detail(m: &str) -> String {
    if m.is_empty() {
        String::new()
    } else {
        format!(": {m}")
    }
}

impl ClientError {
    /// Worth sending again later: the network or the server failed, not the request.
    pub fn is_transient(&self) -> bool {
        match self {
            ClientError::Transport { .. } => true,
            ClientError::Status { status, .. } => {
                *status >= 500 || *status == 408 || *status == 429
            }
            _ => false,
        }
    }

    /// A short reason for the status bar.
    pub fn short(&self) -> String {
        match self {
            ClientError::Unauthorized { .. } => "token rejected".to_owned(),
            ClientError::Status { status, .. } => format!("HTTP {status}"),
            ClientError::Transport { message, .. } => message.clone(),
            ClientError::Decode { .. } => "bad data".to_owned(),
            ClientError::BadUrl { .. } => "bad URL".to_owned(),
        }
    }
}

/// Describe a reqwest error by its root cause ("connection refused"), not its wrapper.
pub fn transport_message(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        return "timed out".to_owned();
    }
    let mut src: &dyn std::error::Error = e;
    while let Some(next) = src.source() {
        src = next;
    }
    let root = src.to_string();
    if e.is_connect() {
        if root.to_ascii_lowercase().contains("refused") {
            "connection refused".to_owned()
        } else {
            format!("cannot connect: {root}")
        }
    } else {
        root
    }
}

/// How the duty API client talks to its server: timeouts, the body cap, extra trust.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientOptions {
    /// Time to establish the TCP (and TLS) connection.
    pub connect_timeout: Duration,
    /// Deadline for one whole request, body included (a server that drips one byte a
    /// second is cut off here); for the event stream, the deadline for its headers.
    pub timeout: Duration,
    /// Largest response body read; more is refused with an error naming the cap.
    pub max_bytes: u64,
    /// A PEM file of extra root certificates (a private CA) trusted besides the system's.
    pub ca_file: Option<std::path::PathBuf>,
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            connect_timeout: Duration::from_secs(5),
            timeout: Duration::from_secs(20),
            max_bytes: crate::feeds::fetch::DEFAULT_MAX_BYTES,
            ca_file: None,
        }
    }
}

#[derive(Clone)]
pub struct DutyClient {
    base: String,
    token: String,
    http: reqwest::Client,
    opts: ClientOptions,
}

/// The token is never printed, not even in debug output.
impl std::fmt::Debug for DutyClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DutyClient")
            .field("base", &self.base)
            .field("token", &"<redacted>")
            .field("opts", &self.opts)
            .finish()
    }
}

/// A server URL as the user typed it, made absolute: no scheme means https, except for a
/// loopback host (a backend on this machine), which means http.
pub fn normalize_server_url(url: &str) -> Result<String, ClientError> {
    let url = url.trim().trim_end_matches('/');
    let bad = |message: &str| ClientError::BadUrl {
        url: url.to_owned(),
        message: message.to_owned(),
    };
    if url.is_empty() {
        return Err(bad("the server URL is empty"));
    }
    let absolute = if let Some((scheme, _)) = url.split_once("://") {
        if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
            return Err(bad("must be http:// or https://"));
        }
        url.to_owned()
    } else {
        let host = url.split(['/', '?']).next().unwrap_or_default();
        let scheme = if is_loopback_host(host) {
            "http"
        } else {
            "https"
        };
        format!("{scheme}://{url}")
    };
    let parsed = reqwest::Url::parse(&absolute).map_err(|e| bad(&e.to_string()))?;
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(bad("names no host"));
    }
    Ok(absolute)
}

/// `localhost`, `127.x.y.z` or `[::1]`, with or without a port.
fn is_loopback_host(host_port: &str) -> bool {
    let host = if let Some(rest) = host_port.strip_prefix('[') {
        rest.split(']').next().unwrap_or_default()
    } else {
        host_port.rsplit_once(':').map_or(host_port, |(h, _)| h)
    };
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

impl DutyClient {
    pub fn new(base: &str, token: &str) -> Result<Self, ClientError> {
        Self::with_options(base, token, ClientOptions::default())
    }

    /// What `with_options` would refuse, found without building the HTTP client (which
    /// loads the system's root certificates): the address and the extra CA file.
    pub fn check(base: &str, opts: &ClientOptions) -> Result<(), ClientError> {
        let base = normalize_server_url(base)?;
        if let Some(path) = &opts.ca_file {
            load_ca_file(path).map_err(|message| ClientError::BadUrl { url: base, message })?;
        }
        Ok(())
    }

    pub fn with_options(base: &str, token: &str, opts: ClientOptions) -> Result<Self, ClientError> {
        let base = normalize_server_url(base)?;
        let mut builder = reqwest::Client::builder()
            .connect_timeout(opts.connect_timeout)
            .user_agent(concat!("watchroom/", env!("CARGO_PKG_VERSION")));
        if let Some(path) = &opts.ca_file {
            let certs = load_ca_file(path).map_err(|message| ClientError::BadUrl {
                url: base.clone(),
                message,
            })?;
            builder = builder.tls_certs_merge(certs);
        }
        let http = builder.build().map_err(|e| ClientError::BadUrl {
            url: base.clone(),
            message: e.to_string(),
        })?;
        Ok(DutyClient {
            base,
            token: token.to_owned(),
            http,
            opts,
        })
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    async fn get<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, String)],
    ) -> Result<T, ClientError> {
        let url = self.url(path);
        let resp = self
            .http
            .get(&url)
            .bearer_auth(&self.token)
            .query(query)
            .timeout(self.opts.timeout)
            .send()
            .await
            .map_err(|e| ClientError::Transport {
                url: url.clone(),
                message: transport_message(&e),
            })?;
        decode(url, resp, self.opts.max_bytes).await
    }

    async fn post<B: serde::Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<T, ClientError> {
        let url = self.url(path);
        let resp = self
            .http
            .post(&url)
            .bearer_auth(&self.token)
            .json(body)
            .timeout(self.opts.timeout)
            .send()
            .await
            .map_err(|e| ClientError::Transport {
                url: url.clone(),
                message: transport_message(&e),
            })?;
        decode(url, resp, self.opts.max_bytes).await
    }

    /// Send one outbox command; its key is the idempotency key, so a resend is harmless.
    pub async fn send(&self, command: &Command) -> Result<(), ClientError> {
        let (path, body) = command.body.request(&command.key);
        self.post::<_, serde_json::Value>(&path, &body)
            .await
            .map(drop)
    }

    /// Who the token is (`GET /api/v1/me`): its person, or seat, and role.
    pub async fn me(&self) -> Result<crate::model::Me, ClientError> {
        self.get("/api/v1/me", &[]).await
    }

    pub async fn health(&self) -> Result<Health, ClientError> {
        self.get("/api/v1/health", &[]).await
    }

    pub async fn alerts(&self, since: Option<u64>) -> Result<Page<Alert>, ClientError> {
        let q: Vec<(&str, String)> = since
            .map(|s| ("since", s.to_string()))
            .into_iter()
            .collect();
        self.get("/api/v1/alerts", &q).await
    }

    /// Incidents changed after `since`, page by page, each timeline whole: the open ones,
    /// and closed ones as `closed` says. Returns them with the cursor to ask from next.
    pub async fn incidents(
        &self,
        since: u64,
        closed: ClosedIncidents,
    ) -> Result<(Vec<Incident>, u64), ClientError> {
        let mut query = vec![("since", String::new())];
        match closed {
            ClosedIncidents::Leave => {}
            ClosedIncidents::After(t) => query.push(("closed_after", t.to_string())),
            ClosedIncidents::All => query.push(("status", "all".to_owned())),
        }
        let mut cursor = since;
        let mut all = Vec::new();
        loop {
            query[0].1 = cursor.to_string();
            let page: IncidentPage = self.get("/api/v1/incidents", &query).await?;
            let next = cursor_after(
                page.next_cursor.as_deref(),
                page.items.iter().map(|i| i.seq),
            )
            .max(cursor);
            let more = page.more && next > cursor;
            for mut incident in page.items {
                if page.timeline_cut.contains(&incident.id) {
                    self.rest_of_timeline(&mut incident).await?;
                }
                all.push(incident);
            }
            if page.more && !more {
                return Err(ClientError::Decode {
                    url: self.url("/api/v1/incidents"),
                    message: format!(
                        "the server said more follows but its cursor stayed at {cursor}"
                    ),
                });
            }
            cursor = next;
            if !more {
                return Ok((all, cursor));
            }
        }
    }

    /// Fetches the entries of a cut timeline after the highest seq it holds.
    async fn rest_of_timeline(&self, incident: &mut Incident) -> Result<(), ClientError> {
        let path = format!("/api/v1/incidents/{}/timeline", incident.id);
        let mut since = incident.timeline.iter().map(|e| e.seq).max().unwrap_or(0);
        loop {
            let page: Page<TimelineEntry> =
                self.get(&path, &[("since", since.to_string())]).await?;
            let next = cursor_after(
                page.next_cursor.as_deref(),
                page.items.iter().map(|e| e.seq),
            )
            .max(since);
            incident.timeline.extend(page.items);
            if !page.more {
                break;
            }
            if next <= since {
                return Err(ClientError::Decode {
                    url: self.url(&path),
                    message: format!(
                        "the server said more follows but its cursor stayed at {since}"
                    ),
                });
            }
            since = next;
        }
        crate::model::sort_timeline(&mut incident.timeline);
        Ok(())
    }

    pub async fn roster(&self, from: Timestamp, to: Timestamp) -> Result<Page<Shift>, ClientError> {
        self.get(
            "/api/v1/roster",
            &[("from", from.to_string()), ("to", to.to_string())],
        )
        .await
    }

    /// Handover records, newest first.
    pub async fn handovers(&self, limit: usize) -> Result<Vec<Handover>, ClientError> {
        let page: Page<Handover> = self
            .get("/api/v1/handovers", &[("limit", limit.to_string())])
            .await?;
        Ok(page.items)
    }

    pub async fn experts(&self) -> Result<ExpertDirectory, ClientError> {
        self.get("/api/v1/experts", &[]).await
    }

    /// Open the event stream, resuming after `last_event_id` when given.
    pub async fn events(
        &self,
        last_event_id: Option<u64>,
    ) -> Result<reqwest::Response, ClientError> {
        let url = self.url("/api/v1/events");
        let mut req = self
            .http
            .get(&url)
            .bearer_auth(&self.token)
            .header("Accept", "text/event-stream");
        if let Some(id) = last_event_id {
            req = req.header("Last-Event-ID", id.to_string());
        }
        // The stream itself has no deadline (it is meant to stay open), but its headers do:
        // a server that accepts and then says nothing must not hold the source for ever.
        let resp = match tokio::time::timeout(self.opts.timeout, req.send()).await {
            Err(_) => {
                return Err(ClientError::Transport {
                    url,
                    message: "timed out waiting for the response headers".to_owned(),
                });
            }
            Ok(sent) => sent.map_err(|e| ClientError::Transport {
                url: url.clone(),
                message: transport_message(&e),
            })?,
        };
        check_status(&url, resp).await
    }
}

async fn check_status(
    url: &str,
    resp: reqwest::Response,
) -> Result<reqwest::Response, ClientError> {
    let status = resp.status();
    if status.is_success() {
        return Ok(resp);
    }
    // An error page is read only up to 64 KiB: it is shown as one line anyway.
    let body = crate::feeds::fetch::read_body_capped(resp, 64 * 1024)
        .await
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default();
    let message = serde_json::from_str::<ApiError>(&body)
        .map(|e| e.error)
        .unwrap_or_else(|_| {
            crate::model::text::truncate(&crate::model::text::sanitize(&body), 200)
        });
    if status.as_u16() == 401 {
        Err(ClientError::Unauthorized {
            url: url.to_owned(),
            message,
        })
    } else {
        Err(ClientError::Status {
            url: url.to_owned(),
            status: status.as_u16(),
            message,
        })
    }
}

async fn decode<T: DeserializeOwned>(
    url: String,
    resp: reqwest::Response,
    max_bytes: u64,
) -> Result<T, ClientError> {
    let resp = check_status(&url, resp).await?;
    let bytes = crate::feeds::fetch::read_body_capped(resp, max_bytes)
        .await
        .map_err(|message| ClientError::Transport {
            url: url.clone(),
            message,
        })?;
    serde_json::from_slice(&bytes).map_err(|e| ClientError::Decode {
        url,
        message: e.to_string(),
    })
}

/// The certificates of a PEM file (one or several), with an error naming the file.
pub fn load_ca_file(path: &std::path::Path) -> Result<Vec<reqwest::Certificate>, String> {
    let pem =
        std::fs::read(path).map_err(|e| format!("ca_file {}: cannot read: {e}", path.display()))?;
    let certs = reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| {
        format!(
            "ca_file {}: not a PEM certificate file: {e}",
            path.display()
        )
    })?;
    if certs.is_empty() {
        return Err(format!(
            "ca_file {}: holds no PEM certificate (-----BEGIN CERTIFICATE-----)",
            path.display()
        ));
    }
    Ok(certs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_without_scheme_is_https_unless_loopback() {
        let n = |u: &str| normalize_server_url(u).unwrap();
        assert_eq!(n("duty.example.org"), "https://duty.example.org");
        assert_eq!(n("duty.example.org:8443/"), "https://duty.example.org:8443");
        assert_eq!(n("127.0.0.1:8080"), "http://127.0.0.1:8080");
        assert_eq!(n("localhost:8080"), "http://localhost:8080");
        assert_eq!(n("[::1]:8080"), "http://[::1]:8080");
        assert_eq!(n("http://duty.example.org"), "http://duty.example.org");
        assert!(normalize_server_url("ftp://x").is_err());
        assert!(normalize_server_url("").is_err());
    }

    #[test]
    fn debug_output_never_shows_the_token() {
        let c = DutyClient::new("http://127.0.0.1:1", "s3cret-token").unwrap();
        let shown = format!("{c:?}");
        assert!(!shown.contains("s3cret"), "{shown}");
        assert!(shown.contains("redacted"));
    }

    #[test]
    fn a_ca_file_that_is_not_pem_is_refused_with_its_path() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("ca.pem");
        std::fs::write(&p, "not a certificate").unwrap();
        let err = DutyClient::with_options(
            "https://duty.example.org",
            "t",
            ClientOptions {
                ca_file: Some(p.clone()),
                ..ClientOptions::default()
            },
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("ca.pem"), "{err}");
    }
}
