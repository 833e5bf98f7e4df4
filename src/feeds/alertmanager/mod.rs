//! Prometheus Alertmanager: the API v2 alert list (`/api/v2/alerts`), its grouped form
//! (`/api/v2/alerts/groups`), the legacy v1 groups envelope, and webhook payloads
//! (Alertmanager's and Grafana's). Resolved alerts stay, marked resolved.

mod doc;

use super::mapping::colour_word;
use super::{FeedError, ParseOptions, Parsed};
use crate::model::{Alert, Area, Extra, Link, MsgType};
use doc::{Node, Object, Pairs, Status};

/// How deep under the top alerts are looked for: keeps hostile nesting from recursing far.
const MAX_DEPTH: usize = 6;

/// Alert objects are found under arrays of groups, `data`/`blocks` envelopes and webhooks;
/// an object with `labels` and without `alerts` is an alert (a group has labels too, but
/// carries its alerts in `alerts`). `found` is given each, in document order.
fn walk<'a>(node: Node<'a>, depth: usize, found: &mut impl FnMut(Object<'a>)) {
    if depth > MAX_DEPTH {
        return;
    }
    match node {
        Node::List(items) => {
            for i in items {
                walk(i, depth + 1, found);
            }
        }
        Node::Object(o) => {
            if o.labels.is_some() && o.alerts.is_none() {
                found(*o);
                return;
            }
            let o = *o;
            for inner in [o.alerts, o.data, o.blocks, o.groups].into_iter().flatten() {
                walk(inner, depth + 1, found);
            }
        }
        Node::Other => {}
    }
}

/// How many alert objects `walk` will find: the result is allocated once, at its size.
fn count(node: &Node, depth: usize) -> usize {
    if depth > MAX_DEPTH {
        return 0;
    }
    match node {
        Node::List(items) => items.iter().map(|i| count(i, depth + 1)).sum(),
        Node::Object(o) if o.labels.is_some() && o.alerts.is_none() => 1,
        Node::Object(o) => [&o.alerts, &o.data, &o.blocks, &o.groups]
            .into_iter()
            .flatten()
            .map(|i| count(i, depth + 1))
            .sum(),
        Node::Other => 0,
    }
}

fn looks_like_silences(root: &Node) -> bool {
    let first = match root {
        Node::List(items) => items.first(),
        Node::Object(o) => match &o.data {
            Some(Node::List(items)) => items.first(),
            _ => None,
        },
        Node::Other => None,
    };
    matches!(first, Some(Node::Object(s)) if s.matchers && s.created_by)
}

pub fn parse(bytes: &[u8], opts: &ParseOptions) -> Result<Parsed, FeedError> {
    let origin = &opts.origin;
    let decoded = super::fetch::decode(bytes, opts.charset.as_deref(), origin);
    let mut warnings = decoded.warnings;
    let mut root: Node = super::json::from_text(&decoded.text, origin)?;
    if looks_like_silences(&root) {
        return Err(FeedError::new(
            origin,
            "this is a list of Alertmanager silences, not alerts (use /api/v2/alerts)",
        ));
    }
    let (is_payload, group_status, common) = match &mut root {
        Node::List(_) => (true, String::new(), None),
        Node::Object(o) => (
            o.alerts.is_some() || o.data.is_some(),
            o.status_word().to_owned(),
            o.common_annotations.take(),
        ),
        Node::Other => (false, String::new(), None),
    };
    let mut alerts: Vec<Alert> = Vec::with_capacity(count(&root, 0));
    let (mut found, mut skipped, mut repeated) = (0, 0, 0);
    let mut seen = std::collections::HashSet::with_capacity(alerts.capacity());
    // Each alert object is dropped as soon as it is read: the document and the alerts
    // built from it are not all held at once.
    walk(root, 0, &mut |a| {
        found += 1;
        match alert(&a, &group_status, common.as_ref(), opts) {
            // Alertmanager identifies an alert by its label set (fingerprint): grouped
            // answers list one alert under every receiver that routes it, and some
            // payloads repeat it. It is one alert on the wall.
            Some((fingerprint, al)) => {
                if seen.insert(fingerprint) {
                    alerts.push(al);
                } else {
                    repeated += 1;
                }
            }
            None => skipped += 1,
        }
    });
    if found == 0 && !is_payload {
        return Err(FeedError::new(
            origin,
            "not an Alertmanager alerts answer or webhook payload (no `alerts` list)",
        ));
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

fn label<'a>(labels: &'a Pairs, key: &str) -> &'a str {
    labels.get(key).unwrap_or("").trim()
}

/// Alertmanager's identity for an alert is its label set. Saved payloads do not always
/// keep `fingerprint` in step with the labels, so the id is a hash of the labels
/// themselves (FNV-1a over the sorted pairs), stable across polls.
fn label_fingerprint(labels: &Pairs) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (k, v) in labels.iter() {
        for b in k.bytes().chain([0]).chain(v.bytes()).chain([0]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    h
}

/// The alert and its label fingerprint; None when it has no labels object.
fn alert(
    a: &Object,
    group_status: &str,
    common: Option<&Pairs>,
    opts: &ParseOptions,
) -> Option<(u64, Alert)> {
    let labels = a.labels.as_ref()?.as_ref()?;
    let note = |key: &str| -> String {
        [a.annotations.as_ref(), common]
            .into_iter()
            .flatten()
            .find_map(|m| m.get(key).filter(|s| !s.trim().is_empty()))
            .unwrap_or("")
            .trim()
            .to_owned()
    };
    let text = |v: &Option<doc::Text>| -> String { v.as_deref().unwrap_or("").trim().to_owned() };
    let alertname = label(labels, "alertname");
    let fingerprint = label_fingerprint(labels);
    let id = format!("am:{fingerprint:016x}");
    let state = match &a.status {
        Status::Word(s) => s.to_ascii_lowercase(),
        Status::Object(s) => s.as_deref().unwrap_or("").trim().to_ascii_lowercase(),
        Status::Absent | Status::Other => group_status.to_ascii_lowercase(),
    };
    let starts = super::parse_time(a.starts_at.as_deref().unwrap_or(""));
    // Alertmanager writes the zero time for "no end".
    let ends = super::parse_time(a.ends_at.as_deref().unwrap_or("")).filter(|t| t.as_second() > 0);
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
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(" ");
    }
    if state == "suppressed" {
        description = format!("[silenced/inhibited] {description}");
    }
    let mut links = Vec::new();
    for (rel, href) in [
        ("generator", text(&a.generator_url)),
        ("web", note("runbook_url")),
        ("web", text(&a.dashboard_url)),
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
    Some((
        fingerprint,
        Alert {
            id: id.into(),
            source: match label(labels, "job") {
                "" => "alertmanager".into(),
                j => j.into(),
            },
            signal_type: alertname.into(),
            colour,
            level: colour.level(),
            severity: severity.into(),
            urgency: Default::default(),
            certainty: Default::default(),
            status: "actual".into(),
            msg_type: MsgType::Alert,
            title,
            description,
            area: area.as_str().into(),
            sent,
            effective: starts,
            expires: None,
            extra: Extra {
                resolved_at,
                links,
                ..Extra::default()
            }
            .into(),
            sender: Default::default(),
            areas: if area.is_empty() {
                Vec::new()
            } else {
                vec![Area {
                    description: area.into(),
                    ..Area::default()
                }]
            },
            ack: None,
            silence: None,
            seq: 0,
            origin: Default::default(),
        },
    ))
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
        assert!(p.alerts[0].extra.resolved_at.is_none());
        assert_eq!(
            p.alerts[1].extra.resolved_at,
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
