//! Prometheus Alertmanager: the API v2 alert list (`/api/v2/alerts`), its grouped form
//! (`/api/v2/alerts/groups`), the legacy v1 groups envelope, and webhook payloads
//! (Alertmanager's and Grafana's). Resolved alerts stay, marked resolved.

mod doc;

use super::mapping::colour_word;
use super::{FeedError, ParseOptions, Parsed};
use crate::model::{Alert, Extra, Link, MsgType, Texts};
use doc::{Object, Pairs, Shape, Sink, Status, Top};

/// The alerts as `doc::walk` finds them, each made into an `Alert` at once; repeats are
/// taken out once the whole document is read (the first of a label set stays).
struct Found<'c, 'a> {
    top: &'c Top<'a>,
    opts: &'c ParseOptions,
    alerts: Vec<Alert>,
    /// Each alert's label fingerprint, beside it.
    prints: Vec<u64>,
    skipped: usize,
    silences: bool,
}

impl<'a> Sink<'a> for Found<'_, 'a> {
    type Mark = (usize, usize);

    fn mark(&self) -> (usize, usize) {
        (self.alerts.len(), self.skipped)
    }

    fn reset(&mut self, (len, skipped): (usize, usize)) {
        self.alerts.truncate(len);
        self.prints.truncate(len);
        self.skipped = skipped;
    }

    fn alert(&mut self, object: &Object<'a>) {
        match alert(object, self.top, self.opts) {
            Some((print, a)) => {
                self.alerts.push(a);
                self.prints.push(print);
            }
            None => self.skipped += 1,
        }
    }

    fn silences(&mut self) {
        self.silences = true;
    }
}

pub fn parse(bytes: &[u8], opts: &ParseOptions) -> Result<Parsed, FeedError> {
    let origin = &opts.origin;
    let decoded = super::fetch::decode(bytes, opts.charset.as_deref(), origin);
    let mut warnings = decoded.warnings;
    let text: &str = &decoded.text;
    let broken = |e: serde_json::Error| {
        FeedError::at(origin, e.line(), e.column(), format!("not valid JSON: {e}"))
    };
    // Only a webhook payload or an envelope (an object at the top) has a status and common
    // annotations for its alerts: read them first, as they may stand after the alerts.
    let top: Top = if text.trim_start().starts_with('{') {
        super::json::from_text(text, origin)?
    } else {
        Top::default()
    };
    let mut found = Found {
        top: &top,
        opts,
        alerts: Vec::new(),
        prints: Vec::new(),
        skipped: 0,
        silences: false,
    };
    let shape = doc::walk(text, &mut found).map_err(broken)?;
    if found.silences {
        return Err(FeedError::new(
            origin,
            "this is a list of Alertmanager silences, not alerts (use /api/v2/alerts)",
        ));
    }
    let is_payload = matches!(shape, Shape::List | Shape::Object { payload: true });
    if found.alerts.is_empty() && found.skipped == 0 && !is_payload {
        return Err(FeedError::new(
            origin,
            "not an Alertmanager alerts answer or webhook payload (no `alerts` list)",
        ));
    }
    // Alertmanager identifies an alert by its label set (fingerprint): grouped answers
    // list one alert under every receiver that routes it, and some payloads repeat it. It
    // is one alert on the wall.
    let mut seen = std::collections::HashSet::with_capacity(found.prints.len());
    let mut first = found.prints.iter().map(|p| seen.insert(*p));
    let mut alerts = found.alerts;
    alerts.retain(|_| first.next().unwrap_or(true));
    alerts.shrink_to_fit();
    let repeated = found.prints.len() - alerts.len();
    if repeated > 0 {
        warnings.push(format!(
            "{origin}: {repeated} repeated alert(s) with the same labels listed once"
        ));
    }
    if found.skipped > 0 {
        warnings.push(format!(
            "{origin}: {} alert(s) without labels skipped",
            found.skipped
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
fn alert(a: &Object, top: &Top, opts: &ParseOptions) -> Option<(u64, Alert)> {
    let common = top.common_annotations.as_ref();
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
        Status::Absent | Status::Other => top.status_word().to_ascii_lowercase(),
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
    let (area_key, area) = ["instance", "namespace", "cluster", "job", "service"]
        .into_iter()
        .map(|k| (k, label(labels, k)))
        .find(|(_, v)| !v.is_empty())
        .unwrap_or(("", ""));
    let mut description = note("description");
    if description.is_empty() {
        // The labels, but for those the alert shows as fields of its own (signal, level,
        // area, source): a wall of 100,000 keeps each of them once.
        let shown = ["alertname", "severity", "colour", "color", "job", area_key];
        for (k, v) in labels.iter().filter(|(k, _)| !shown.contains(k)) {
            if !description.is_empty() {
                description.push(' ');
            }
            description.push_str(k);
            description.push('=');
            description.push_str(v);
        }
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
    // `startsAt` is both when the alert was raised and when it took effect: it is kept
    // once, as `sent` (an alert's effective time defaults to its sent time).
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
            texts: Texts::new(&title, &description),
            area: area.into(),
            sent,
            expires: None,
            extra: Extra {
                resolved_at,
                links,
                ..Extra::default()
            }
            .into(),
            sender: Default::default(),
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
        assert_eq!(p.alerts[0].title(), "Disk full");
        assert_eq!(p.alerts[0].area, "db1");
        assert!(p.alerts[0].extra.resolved_at.is_none());
        assert_eq!(
            p.alerts[1].extra.resolved_at,
            Some("2025-01-01T01:00:00Z".parse().unwrap())
        );
        assert!(!p.alerts[1].in_force(opts().now));
    }

    #[test]
    fn without_a_description_the_labels_not_shown_as_fields_stand_for_it() {
        let j = r#"[{"labels":{"alertname":"PipePressure","severity":"warning","job":"scada",
            "instance":"station-7","district":"南山区","zone":"b"}},
            {"labels":{"alertname":"Own","job":"x"},"annotations":{"description":"kept"}}]"#;
        let p = parse(j.as_bytes(), &opts()).unwrap();
        let a = &p.alerts[0];
        assert_eq!(a.description(), "district=南山区 zone=b");
        assert_eq!(
            (
                a.signal_type.as_str(),
                a.severity.as_str(),
                a.area.as_str(),
                a.source.as_str()
            ),
            ("PipePressure", "warning", "station-7", "scada")
        );
        assert_eq!(p.alerts[1].description(), "kept");
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

    fn titles(j: &str) -> (Vec<String>, Vec<String>) {
        let p = parse(j.as_bytes(), &opts()).unwrap();
        (
            p.alerts.iter().map(|a| a.title().to_owned()).collect(),
            p.warnings,
        )
    }

    #[test]
    fn alerts_are_found_in_document_order_under_groups_and_envelopes() {
        // The API v2 groups answer: each group's alerts, in order, the group itself not an
        // alert (it has `alerts`).
        let groups = r#"[{"labels":{"team":"a"},"alerts":[
            {"labels":{"alertname":"A1"}},{"labels":{"alertname":"A2"}}]},
          {"labels":{"team":"b"},"alerts":[{"labels":{"alertname":"B1"}}]}]"#;
        assert_eq!(titles(groups).0, ["A1", "A2", "B1"]);
        // The v1 envelope, its status after its data, and blocks inside.
        let v1 = r#"{"data":[{"labels":{"g":"1"},"blocks":[{"alerts":[
            {"labels":{"alertname":"V1"}}]}]}],"status":"success"}"#;
        assert_eq!(titles(v1).0, ["V1"]);
        // An alert's own nested lists are not looked into: it is one alert.
        let nested = r#"[{"labels":{"alertname":"Outer"},"data":[{"labels":{"alertname":"Inner"}}]},
            {"labels":{"alertname":"Next"}}]"#;
        assert_eq!(titles(nested).0, ["Outer", "Next"]);
        // Deeper than six levels under the top is not looked at.
        let deep = r#"[[[[[[[{"labels":{"alertname":"TooDeep"}}]]]]]],
            [[[[[{"labels":{"alertname":"DeepEnough"}}]]]]]]"#;
        assert_eq!(titles(deep).0, ["DeepEnough"]);
    }

    #[test]
    fn a_webhooks_common_annotations_count_wherever_they_stand() {
        let j = r#"{"alerts":[{"labels":{"alertname":"X"},"annotations":{}},
            {"labels":{"alertname":"Y"},"annotations":{"summary":"own"}}],
            "status":"resolved","commonAnnotations":{"summary":"shared","description":"d"}}"#;
        let p = parse(j.as_bytes(), &opts()).unwrap();
        let got: Vec<_> = p
            .alerts
            .iter()
            .map(|a| (a.title(), a.description()))
            .collect();
        assert_eq!(got, [("shared", "d"), ("own", "d")]);
        // The payload's status stands for alerts without their own.
        assert!(p.alerts.iter().all(|a| a.extra.resolved_at.is_some()));
    }

    #[test]
    fn repeated_and_unlabelled_alerts_are_counted_once_in_warnings() {
        let j = r#"[{"labels":{"alertname":"R","i":"1"},"annotations":{"summary":"first"}},
            {"labels":{"alertname":"Bad"},"data":[{"labels":{"alertname":"R","i":"1"}}]},
            {"labels":"not an object"},
            {"labels":{"i":"1","alertname":"R"},"annotations":{"summary":"second"}},
            {"labels":{"alertname":"S"}}]"#;
        let (t, w) = titles(j);
        assert_eq!(t, ["first", "Bad", "S"]);
        assert_eq!(w.len(), 2, "{w:?}");
        assert!(w[0].contains("1 repeated"), "{w:?}");
        assert!(w[1].contains("1 alert(s) without labels"), "{w:?}");
    }

    #[test]
    fn silences_are_refused_at_the_top_and_under_data() {
        for s in [
            r#"[{"id":"x","matchers":[],"createdBy":"me"},{"labels":{"alertname":"A"}}]"#,
            r#"{"status":"success","data":[{"id":"x","matchers":[],"createdBy":"me"}]}"#,
        ] {
            let e = parse(s.as_bytes(), &opts()).unwrap_err();
            assert!(e.message.contains("silences"), "{}", e.message);
        }
    }

    #[test]
    fn broken_json_names_its_line_and_column() {
        let e = parse(b"[{\"labels\":{}},\n {\"labels\": }]", &opts()).unwrap_err();
        assert_eq!((e.line, e.column), (Some(2), Some(13)), "{e:?}");
    }
}
