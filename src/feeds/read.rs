//! Reading one configured source once: fetch (HTTP with a conditional GET, or a local
//! file) under the size cap, parse, and for ATOM/RSS indexes fetch the linked CAP
//! messages. Shared by the poller and `check-source`.

use super::config::FeedConfig;
use super::fetch::{charset_of, read_body_capped, read_file_capped};
use super::{ParseOptions, Parsed};
use crate::client::transport_message;
use jiff::Timestamp;
use jiff::tz::TimeZone;
use std::collections::HashMap;
use std::time::Duration;

/// What a poll remembers between rounds.
#[derive(Debug, Default)]
pub struct ReadState {
    etag: Option<String>,
    last_modified: Option<String>,
    /// The last body and its declared charset, re-parsed on 304 (rosters move with now).
    body: Option<(Vec<u8>, Option<String>)>,
    /// Linked CAP messages already fetched, by URL (they do not change once issued).
    linked: HashMap<String, Parsed>,
}

pub fn http_client(cfg: &FeedConfig) -> Result<reqwest::Client, String> {
    reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(cfg.timeout_seconds.min(10)))
        .timeout(Duration::from_secs(cfg.timeout_seconds))
        .user_agent(concat!(
            "watchroom/",
            env!("CARGO_PKG_VERSION"),
            " (duty room console)"
        ))
        .build()
        .map_err(|e| format!("{}: cannot build an HTTP client: {e}", cfg.url))
}

fn request(http: &reqwest::Client, cfg: &FeedConfig, url: &str) -> reqwest::RequestBuilder {
    let mut req = http.get(url);
    for (k, v) in &cfg.headers {
        req = req.header(k.as_str(), v.as_str());
    }
    if let Some(t) = cfg.token.as_ref().filter(|t| !t.is_empty()) {
        req = req.bearer_auth(t.expose());
    }
    req
}

/// GET `url` under the size cap. Ok(None) is "not modified".
async fn get(
    http: &reqwest::Client,
    cfg: &FeedConfig,
    url: &str,
    validators: Option<(&Option<String>, &Option<String>)>,
) -> Result<Option<(Vec<u8>, Option<String>, Option<String>, Option<String>)>, String> {
    let mut req = request(http, cfg, url);
    if let Some((etag, modified)) = validators {
        if let Some(e) = etag {
            req = req.header("If-None-Match", e.as_str());
        }
        if let Some(m) = modified {
            req = req.header("If-Modified-Since", m.as_str());
        }
    }
    let resp = req
        .send()
        .await
        .map_err(|e| format!("{url}: {}", transport_message(&e)))?;
    let status = resp.status();
    if status == reqwest::StatusCode::NOT_MODIFIED {
        return Ok(None);
    }
    if !status.is_success() {
        return Err(format!("{url}: HTTP {}", status.as_u16()));
    }
    let header = |name: &str| {
        resp.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let charset = header("content-type").as_deref().and_then(charset_of);
    let etag = header("etag");
    let modified = header("last-modified");
    let body = read_body_capped(resp, cfg.max_bytes)
        .await
        .map_err(|e| format!("{url}: {e}"))?;
    Ok(Some((body, charset, etag, modified)))
}

/// Read the source once at `now`; errors are one line naming the URL or file.
pub async fn read_once(
    http: &reqwest::Client,
    cfg: &FeedConfig,
    state: &mut ReadState,
    now: Timestamp,
    zone: &TimeZone,
) -> Result<Parsed, String> {
    let (bytes, charset) = fetch_bytes(http, cfg, state).await?;
    parse_bytes(http, cfg, state, &bytes, charset, now, zone).await
}

/// The body of the source (a conditional GET, or the file), and its declared charset.
pub async fn fetch_bytes(
    http: &reqwest::Client,
    cfg: &FeedConfig,
    state: &mut ReadState,
) -> Result<(Vec<u8>, Option<String>), String> {
    let url = cfg.url.trim();
    if cfg.is_remote() {
        match get(http, cfg, url, Some((&state.etag, &state.last_modified))).await? {
            Some((body, charset, etag, modified)) => {
                state.etag = etag;
                state.last_modified = modified;
                state.body = Some((body.clone(), charset.clone()));
                Ok((body, charset))
            }
            None => state
                .body
                .clone()
                .ok_or_else(|| format!("{url}: 304 Not Modified before any body was read")),
        }
    } else {
        let path = std::path::PathBuf::from(url);
        let max = cfg.max_bytes;
        let body = tokio::task::spawn_blocking(move || read_file_capped(&path, max))
            .await
            .map_err(|e| format!("{url}: {e}"))?
            .map_err(|e| format!("{url}: {e}"))?;
        Ok((body, None))
    }
}

/// Parse a body of the source; for a remote ATOM/RSS index, fetch what it links to.
pub async fn parse_bytes(
    http: &reqwest::Client,
    cfg: &FeedConfig,
    state: &mut ReadState,
    bytes: &[u8],
    charset: Option<String>,
    now: Timestamp,
    zone: &TimeZone,
) -> Result<Parsed, String> {
    let mut opts = cfg.parse_options(cfg.url.trim(), now, zone.clone());
    opts.charset = charset;
    let mut parsed = super::parse(cfg.kind, bytes, &opts).map_err(|e| e.to_string())?;
    if cfg.is_remote() && !parsed.pending.is_empty() {
        fetch_linked(http, cfg, state, &mut parsed, &opts).await;
    }
    assume_expiry(&mut parsed.alerts, cfg.assume_expiry_hours);
    Ok(parsed)
}

/// Alerts that name no end get one `hours` after they were sent (0: none), so a feed's
/// old items move off the wall into history instead of standing for ever.
pub fn assume_expiry(alerts: &mut [crate::model::Alert], hours: u64) {
    if hours == 0 {
        return;
    }
    let after = jiff::SignedDuration::from_hours(hours.min(24 * 366) as i64);
    for a in alerts.iter_mut().filter(|a| a.expires.is_none()) {
        a.expires = a.sent.checked_add(after).ok();
    }
}

/// Replace index stubs by the CAP messages they link to (at most `max_linked` new
/// fetches per round; the rest keep their stub until a later round).
async fn fetch_linked(
    http: &reqwest::Client,
    cfg: &FeedConfig,
    state: &mut ReadState,
    parsed: &mut Parsed,
    opts: &ParseOptions,
) {
    let base = reqwest::Url::parse(cfg.url.trim()).ok();
    let pending = std::mem::take(&mut parsed.pending);
    let (mut fetched, mut deferred) = (0usize, 0usize);
    let mut failures: Vec<String> = Vec::new();
    let mut replacements: Vec<(usize, Parsed)> = Vec::new();
    for link in &pending {
        let url = match base.as_ref().and_then(|b| b.join(&link.url).ok()) {
            Some(u) if matches!(u.scheme(), "http" | "https") => u.to_string(),
            _ => {
                failures.push(format!(
                    "{}: not an http(s) link",
                    super::clip(&link.url, 100)
                ));
                continue;
            }
        };
        if let Some(p) = state.linked.get(&url) {
            replacements.push((link.stub, p.clone()));
            continue;
        }
        if fetched >= cfg.max_linked {
            deferred += 1;
            continue;
        }
        fetched += 1;
        let result = match get(http, cfg, &url, None).await {
            Ok(Some((body, charset, _, _))) => {
                let mut o = opts.clone();
                o.origin = url.clone();
                o.charset = charset;
                super::parse(super::FeedKind::Cap, &body, &o).map_err(|e| e.to_string())
            }
            Ok(None) => Err(format!("{url}: unexpected 304")),
            Err(e) => Err(e),
        };
        match result {
            Ok(p) => {
                state.linked.insert(url, p.clone());
                replacements.push((link.stub, p));
            }
            Err(e) => failures.push(e),
        }
    }
    // Forget messages the index no longer lists.
    let wanted: Vec<String> = pending
        .iter()
        .filter_map(|l| base.as_ref()?.join(&l.url).ok().map(|u| u.to_string()))
        .collect();
    state.linked.retain(|k, _| wanted.contains(k));
    let mut extra = Vec::new();
    for (stub, mut p) in replacements {
        parsed.warnings.append(&mut p.warnings);
        let mut alerts = p.alerts.into_iter();
        if let (Some(first), Some(slot)) = (alerts.next(), parsed.alerts.get_mut(stub)) {
            *slot = first;
        }
        extra.extend(alerts);
    }
    parsed.alerts.extend(extra);
    if !failures.is_empty() {
        parsed.warnings.push(format!(
            "{} linked CAP message(s) could not be read (their index entries are shown): {}",
            failures.len(),
            failures
                .iter()
                .take(3)
                .cloned()
                .collect::<Vec<_>>()
                .join("; ")
        ));
    }
    if deferred > 0 {
        parsed.warnings.push(format!(
            "{deferred} linked message(s) over max_linked = {}: fetched in later rounds",
            cfg.max_linked
        ));
    }
    super::finish(parsed);
}

#[cfg(test)]
mod expiry_tests {
    use super::assume_expiry;

    #[test]
    fn alerts_without_an_end_get_one_and_others_keep_theirs() {
        let mut quake: crate::model::Alert = serde_json::from_value(serde_json::json!({
            "id": "q", "source": "USGS", "signal_type": "地震", "colour": "yellow",
            "level": "III", "title": "M 5.1", "sent": "2026-11-28T00:00:00Z"
        }))
        .unwrap();
        let mut cap = quake.clone();
        cap.expires = Some("2026-11-28T06:00:00Z".parse().unwrap());
        let mut kept = quake.clone();
        assume_expiry(std::slice::from_mut(&mut kept), 0);
        assert_eq!(kept.expires, None, "0 keeps it until the feed drops it");
        let mut both = [quake.clone(), cap.clone()];
        assume_expiry(&mut both, 24);
        quake.expires = Some("2026-11-29T00:00:00Z".parse().unwrap());
        assert_eq!(both, [quake, cap]);
    }
}
