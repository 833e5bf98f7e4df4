//! Prometheus Alertmanager: the API v2 alert list (`/api/v2/alerts`), its grouped form
//! (`/api/v2/alerts/groups`), the legacy v1 groups envelope, and webhook payloads
//! (Alertmanager's and Grafana's). Resolved alerts stay, marked resolved.

use super::json::{self, str_of, time_of};
use super::mapping::colour_word;
use super::{FeedError, ParseOptions, Parsed};
use crate::model::{Alert, Area, Link, MsgType};
use serde_json::{Map, Value};

/// Alert objects found under arrays of groups, `data`/`blocks` envelopes and webhooks.
/// The depth bound keeps hostile nesting from recursing far.
fn collect<'a>(v: &'a Value, depth: usize, out: &mut Vec<&'a Value>) {
    if depth > 6 {
        return;
    }
    match v {
        Value::Array(items) => {
            for i in items {
                collect(i, depth + 1, out);
            }
        }
        Value::Object(m) => {
            // A group also has labels, but carries its alerts in `alerts`.
            if m.contains_key("labels") && !m.contains_key("alerts") {
                out.push(v);
                return;
            }
            for key in ["alerts", "data", "blocks", "groups"] {
                if let Some(inner) = m.get(key) {
                    collect(inner, depth + 1, out);
                }
            }
        }
        _ => {}
    }
}

fn looks_like_silences(v: &Value) -> bool {
    v.as_array()
        .and_then(|a| a.first())
        .or_else(|| {
            v.get("data")
                .and_then(Value::as_array)
                .and_then(|a| a.first())
        })
        .is_some_and(|s| s.get("matchers").is_some() && s.get("createdBy").is_some())
}

pub fn parse(bytes: &[u8], opts: &ParseOptions) -> Result<Parsed, FeedError> {
    let origin = &opts.origin;
    let (v, mut warnings) = json::parse(bytes, opts)?;
    if looks_like_silences(&v) {
        return Err(FeedError::new(
            origin,
            "this is a list of Alertmanager silences, not alerts (use /api/v2/alerts)",
        ));
    }
    let mut found = Vec::new();
    collect(&v, 0, &mut found);
    let is_payload = v.is_array() || v.get("alerts").is_some() || v.get("data").is_some();
    if found.is_empty() && !is_payload {
        return Err(FeedError::new(
            origin,
            "not an Alertmanager alerts answer or webhook payload (no `alerts` list)",
        ));
    }
    let group_status = str_of(&v, "status");
    let common = v.get("commonAnnotations").and_then(Value::as_object);
    let mut alerts: Vec<Alert> = Vec::new();
    let (mut skipped, mut repeated) = (0, 0);
    let mut seen = std::collections::HashSet::new();
    for a in found {
        match alert(a, group_status, common, opts) {
            // Alertmanager identifies an alert by its label set (fingerprint): grouped
            // answers list one alert under every receiver that routes it, and some
            // payloads repeat it. It is one alert on the wall.
            Some(al) => {
                if seen.insert(al.id.clone()) {
                    alerts.push(al);
                } else {
                    repeated += 1;
                }
            }
            None => skipped += 1,
        }
    }
    if repeated > 0 {
        warnings.push(format!(
            "{origin}: {repeated} repeated alert(s) with the same labels listed once"
        ));
    }
    if skipped > 0 {
        warnings.push(format!(
            "{origin}: {skipped} alert(s) without labels skipped"
        ));
    }
    Ok(Parsed {
        alerts,
        warnings,
        ..Parsed::default()
    })
}

fn label<'a>(labels: &'a Map<String, Value>, key: &str) -> &'a str {
    labels.get(key).and_then(Value::as_str).unwrap_or("").trim()
}

/// Alertmanager's identity for an alert is its label set. Saved payloads do not always
/// keep `fingerprint` in step with the labels, so the id is a hash of the labels
/// themselves (FNV-1a over the sorted pairs), stable across polls.
fn label_fingerprint(labels: &Map<String, Value>) -> String {
    let mut pairs: Vec<(&String, &str)> = labels
        .iter()
        .map(|(k, v)| (k, v.as_str().unwrap_or("")))
        .collect();
    pairs.sort();
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (k, v) in pairs {
        for b in k.bytes().chain([0]).chain(v.bytes()).chain([0]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    format!("am:{h:016x}")
}

fn alert(
    a: &Value,
    group_status: &str,
    common: Option<&Map<String, Value>>,
    opts: &ParseOptions,
) -> Option<Alert> {
    let labels = a.get("labels")?.as_object()?;
    let empty = Map::new();
    let ann = a
        .get("annotations")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let note = |key: &str| -> String {
        [Some(ann), common]
            .into_iter()
            .flatten()
            .find_map(|m| {
                m.get(key)
                    .and_then(Value::as_str)
                    .filter(|s| !s.trim().is_empty())
            })
            .unwrap_or("")
            .trim()
            .to_owned()
    };
    let alertname = label(labels, "alertname");
    let id = label_fingerprint(labels);
    let state = match a.get("status") {
        Some(Value::String(s)) => s.to_ascii_lowercase(),
        Some(Value::Object(o)) => str_of(&Value::Object(o.clone()), "state").to_ascii_lowercase(),
        _ => group_status.to_ascii_lowercase(),
    };
    let starts = time_of(a, "startsAt");
    // Alertmanager writes the zero time for "no end".
    let ends = time_of(a, "endsAt").filter(|t| t.as_second() > 0);
    let resolved_at = (state == "resolved").then(|| ends.unwrap_or(opts.now));
    let severity = label(labels, "severity");
    let title = [
        note("summary"),
        note("title"),
        note("message"),
        note("alert"),
        alertname.to_owned(),
    ]
    .into_iter()
    .find(|s| !s.is_empty())
    .unwrap_or_else(|| id.clone());
    let colour = colour_word(label(labels, "colour"))
        .or_else(|| colour_word(label(labels, "color")))
        .unwrap_or_else(|| opts.severity.colour(severity));
    let area = ["instance", "namespace", "cluster", "job", "service"]
        .into_iter()
        .map(|k| label(labels, k))
        .find(|s| !s.is_empty())
        .unwrap_or("")
        .to_owned();
    let mut description = note("description");
    if description.is_empty() {
        description = labels
            .iter()
            .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or("")))
            .collect::<Vec<_>>()
            .join(" ");
    }
    if state == "suppressed" {
        description = format!("[silenced/inhibited] {description}");
    }
    let mut links = Vec::new();
    for (rel, href) in [
        ("generator", str_of(a, "generatorURL").to_owned()),
        ("web", note("runbook_url")),
        ("web", str_of(a, "dashboardURL").to_owned()),
    ] {
        if href.starts_with("http") {
            links.push(Link {
                rel: rel.into(),
                href,
                title: String::new(),
                mime: String::new(),
            });
        }
    }
    let sent = starts.unwrap_or(opts.now);
    Some(Alert {
        id,
        source: match label(labels, "job") {
            "" => "alertmanager".to_owned(),
            j => j.to_owned(),
        },
        signal_type: alertname.to_owned(),
        colour,
        level: colour.level(),
        severity: severity.to_owned(),
        urgency: String::new(),
        certainty: String::new(),
        status: "actual".into(),
        msg_type: MsgType::Alert,
        title,
        description,
        instruction: String::new(),
        area: area.clone(),
        sent,
        effective: starts,
        expires: None,
        references: Vec::new(),
        superseded_by: None,
        cancelled_by: None,
        resolved_at,
        onset: None,
        sender: String::new(),
        headline: String::new(),
        links,
        areas: if area.is_empty() {
            Vec::new()
        } else {
            vec![Area {
                description: area,
                ..Area::default()
            }]
        },
        ack: None,
        silence: None,
        seq: 0,
        origin: String::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Colour;

    fn opts() -> ParseOptions {
        ParseOptions::new(
            "am",
            "2026-01-01T00:00:00Z".parse().unwrap(),
            jiff::tz::TimeZone::UTC,
        )
    }

    #[test]
    fn webhook_firing_and_resolved() {
        let j = r#"{"status":"firing","alerts":[
          {"status":"firing","labels":{"alertname":"DiskFull","severity":"critical","instance":"db1"},"annotations":{"summary":"Disk full"},"startsAt":"2025-01-01T00:00:00Z","endsAt":"0001-01-01T00:00:00Z","fingerprint":"f1"},
          {"status":"resolved","labels":{"alertname":"Load","severity":"warning"},"annotations":{},"startsAt":"2025-01-01T00:00:00Z","endsAt":"2025-01-01T01:00:00Z"}]}"#;
        let p = parse(j.as_bytes(), &opts()).unwrap();
        assert_eq!(p.alerts.len(), 2);
        assert_eq!(p.alerts[0].colour, Colour::Red);
        assert_eq!(p.alerts[0].title, "Disk full");
        assert_eq!(p.alerts[0].area, "db1");
        assert!(p.alerts[0].resolved_at.is_none());
        assert_eq!(
            p.alerts[1].resolved_at,
            Some("2025-01-01T01:00:00Z".parse().unwrap())
        );
        assert!(!p.alerts[1].in_force(opts().now));
    }

    #[test]
    fn silences_and_other_json_are_refused() {
        let s = r#"[{"id":"x","matchers":[],"createdBy":"me"}]"#;
        assert!(
            parse(s.as_bytes(), &opts())
                .unwrap_err()
                .message
                .contains("silences")
        );
        assert!(parse(b"{\"a\":1}", &opts()).is_err());
        assert!(parse(b"[]", &opts()).unwrap().alerts.is_empty());
    }
}
