//! HTTP client for the duty API v1. Every error names the URL it was talking to.

use crate::app::command::Command;
use crate::model::{Alert, ApiError, ExpertDirectory, Handover, Health, Incident, Page, Shift};
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

#[derive(Clone)]
pub struct DutyClient {
    base: String,
    token: String,
    http: reqwest::Client,
}

impl DutyClient {
    pub fn new(base: &str, token: &str) -> Result<Self, ClientError> {
        let base = base.trim_end_matches('/').to_owned();
        if !(base.starts_with("http://") || base.starts_with("https://")) {
            return Err(ClientError::BadUrl {
                url: base,
                message: "must start with http:// or https://".to_owned(),
            });
        }
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .user_agent(concat!("watchroom/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| ClientError::BadUrl {
                url: base.clone(),
                message: e.to_string(),
            })?;
        Ok(DutyClient {
            base,
            token: token.to_owned(),
            http,
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
            .timeout(Duration::from_secs(20))
            .send()
            .await
            .map_err(|e| ClientError::Transport {
                url: url.clone(),
                message: transport_message(&e),
            })?;
        decode(url, resp).await
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
            .timeout(Duration::from_secs(20))
            .send()
            .await
            .map_err(|e| ClientError::Transport {
                url: url.clone(),
                message: transport_message(&e),
            })?;
        decode(url, resp).await
    }

    /// Send one outbox command; its key is the idempotency key, so a resend is harmless.
    pub async fn send(&self, command: &Command) -> Result<(), ClientError> {
        let (path, body) = command.body.request(&command.key);
        self.post::<_, serde_json::Value>(&path, &body)
            .await
            .map(drop)
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

    pub async fn incidents(&self) -> Result<Page<Incident>, ClientError> {
        self.get("/api/v1/incidents", &[]).await
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
        let resp = req.send().await.map_err(|e| ClientError::Transport {
            url: url.clone(),
            message: transport_message(&e),
        })?;
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
    let body = resp.text().await.unwrap_or_default();
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
) -> Result<T, ClientError> {
    let resp = check_status(&url, resp).await?;
    let bytes = resp.bytes().await.map_err(|e| ClientError::Transport {
        url: url.clone(),
        message: transport_message(&e),
    })?;
    serde_json::from_slice(&bytes).map_err(|e| ClientError::Decode {
        url,
        message: e.to_string(),
    })
}
