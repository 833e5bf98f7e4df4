//! api.weather.gov alerts: a GeoJSON FeatureCollection (or one Feature) whose
//! properties are CAP fields in camelCase.

use super::json::{self, str_of, time_of};
use super::mapping::{colour_word, explicit_colour, signal_type};
use super::{FeedError, ParseOptions, Parsed, cap::triplet};
use crate::model::{Alert, Area, Extra, Geocode, Link, MsgType, Shapes, Texts};
use serde_json::Value;

pub fn parse(bytes: &[u8], opts: &ParseOptions) -> Result<Parsed, FeedError> {
    let origin = &opts.origin;
    let (v, mut warnings) = json::parse(bytes, opts)?;
    let features: Vec<&Value> = match str_of(&v, "type") {
        "FeatureCollection" => v
            .get("features")
            .and_then(Value::as_array)
            .map(|a| a.iter().collect())
            .unwrap_or_default(),
        "Feature" => vec![&v],
        _ => {
            return Err(FeedError::new(
                origin,
                "not an NWS alerts answer: expected a GeoJSON FeatureCollection of alerts \
                 (is this /alerts/active/count or another endpoint?)",
            ));
        }
    };
    let mut alerts = Vec::new();
    let mut bad_times = 0;
    for (i, f) in features.iter().enumerate() {
        match feature(f, opts, &mut bad_times) {
            Some(a) => alerts.push(a),
            None => warnings.push(format!("{origin}: feature {i} has no properties; skipped")),
        }
    }
    if bad_times > 0 {
        warnings.push(format!(
            "{origin}: {bad_times} alert(s) with an unreadable `sent` time, shown as read at {}",
            opts.now
        ));
    }
    Ok(Parsed {
        alerts,
        warnings,
        ..Parsed::default()
    })
}

fn feature(f: &Value, opts: &ParseOptions, bad_times: &mut usize) -> Option<Alert> {
    let p = f.get("properties").filter(|p| p.is_object())?;
    let identifier = match str_of(p, "identifier") {
        "" => str_of(p, "id"),
        s => s,
    };
    let identifier = if identifier.is_empty() {
        str_of(f, "id")
    } else {
        identifier
    };
    let sender = str_of(p, "sender");
    let sent = time_of(p, "sent").unwrap_or_else(|| {
        *bad_times += 1;
        opts.now
    });
    let event = str_of(p, "event");
    let severity = str_of(p, "severity");
    let params: Vec<(String, String)> = p
        .get("parameters")
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .flat_map(|(k, v)| {
                    let vals: Vec<String> = match v {
                        Value::Array(a) => a
                            .iter()
                            .filter_map(|x| x.as_str().map(str::to_owned))
                            .collect(),
                        Value::String(s) => vec![s.clone()],
                        _ => vec![],
                    };
                    vals.into_iter().map(move |x| (k.clone(), x))
                })
                .collect()
        })
        .unwrap_or_default();
    let headline = str_of(p, "headline");
    let colour = explicit_colour(params.iter().map(|(a, b)| (a.as_str(), b.as_str())))
        .or_else(|| colour_word(event))
        .unwrap_or_else(|| opts.severity.colour(severity));
    let references = p
        .get("references")
        .and_then(Value::as_array)
        .map(|refs| {
            refs.iter()
                .map(|r| {
                    triplet(
                        str_of(r, "sender"),
                        str_of(r, "identifier"),
                        str_of(r, "sent"),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let msg_type = match str_of(p, "messageType").to_ascii_lowercase().as_str() {
        "update" => MsgType::Update,
        "cancel" => MsgType::Cancel,
        _ => MsgType::Alert,
    };
    let mut geocodes = Vec::new();
    if let Some(g) = p.get("geocode").and_then(Value::as_object) {
        for (name, vals) in g {
            for v in vals
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
            {
                geocodes.push(Geocode {
                    name: name.clone(),
                    value: v.to_owned(),
                });
            }
        }
    }
    let area_desc = str_of(p, "areaDesc");
    let area = Area {
        description: area_desc.into(),
        shapes: Shapes {
            polygons: geometry_rings(f.get("geometry")),
            circles: Vec::new(),
            geocodes,
        }
        .into(),
    };
    let mut links = Vec::new();
    let self_link = match str_of(p, "@id") {
        "" => str_of(f, "id"),
        s => s,
    };
    if self_link.starts_with("http") {
        links.push(Link {
            rel: "alternate".into(),
            href: self_link.to_owned(),
            title: String::new(),
            mime: "application/geo+json".into(),
        });
    }
    let sent_text = str_of(p, "sent");
    Some(Alert {
        id: (triplet(sender, identifier, sent_text)).into(),
        source: match str_of(p, "senderName") {
            "" => sender.into(),
            s => s.into(),
        },
        signal_type: signal_type(event).into(),
        colour,
        level: colour.level(),
        severity: severity.into(),
        urgency: str_of(p, "urgency").into(),
        certainty: str_of(p, "certainty").into(),
        status: match str_of(p, "status") {
            "" => "actual".into(),
            s => s.to_ascii_lowercase().into(),
        },
        msg_type,
        texts: Texts::new(
            if headline.is_empty() { event } else { headline },
            str_of(p, "description"),
        ),
        area: area_desc.into(),
        sent,
        // `ends` is when the hazard ends; `expires` only when this message does.
        expires: time_of(p, "ends").or_else(|| time_of(p, "expires")),
        extra: Extra {
            instruction: str_of(p, "instruction").to_owned(),
            references,
            onset: time_of(p, "onset"),
            headline: headline.to_owned(),
            links,
            effective: time_of(p, "effective"),
            areas: vec![area],
            ..Extra::default()
        }
        .into(),
        sender: sender.into(),
        ack: None,
        silence: None,
        seq: 0,
        origin: Default::default(),
    })
}

/// GeoJSON Polygon / MultiPolygon rings as `[lat, lon]` (GeoJSON writes lon, lat).
pub fn geometry_rings(g: Option<&Value>) -> Vec<Vec<[f64; 2]>> {
    let Some(g) = g.filter(|g| g.is_object()) else {
        return Vec::new();
    };
    let coords = g.get("coordinates");
    let polys: Vec<&Value> = match str_of(g, "type") {
        "Polygon" => coords.into_iter().collect(),
        "MultiPolygon" => coords
            .and_then(Value::as_array)
            .map(|a| a.iter().collect())
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    let mut out = Vec::new();
    for poly in polys {
        for ring in poly.as_array().into_iter().flatten() {
            let pts: Vec<[f64; 2]> = ring
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|pt| {
                    let a = pt.as_array()?;
                    let lon = a.first()?.as_f64()?;
                    let lat = a.get(1)?.as_f64()?;
                    Some([lat, lon])
                })
                .collect();
            if pts.len() >= 3 {
                out.push(pts);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Colour;

    #[test]
    fn reads_a_feature_collection() {
        let j = r#"{"type":"FeatureCollection","features":[{"id":"https://api.weather.gov/alerts/u1","type":"Feature",
          "geometry":{"type":"Polygon","coordinates":[[[-100,30],[-101,30],[-101,31],[-100,30]]]},
          "properties":{"id":"u1","sent":"2024-07-01T10:00:00-07:00","sender":"w-nws.webmaster@noaa.gov","senderName":"NWS Phoenix AZ",
          "status":"Actual","messageType":"Update","severity":"Extreme","event":"Excessive Heat Warning","headline":"H",
          "references":[{"identifier":"u0","sender":"w-nws.webmaster@noaa.gov","sent":"2024-06-30T10:00:00-07:00"}],
          "geocode":{"UGC":["AZZ530"],"SAME":["004013"]},"areaDesc":"Phoenix"}}]}"#;
        let o = ParseOptions::new(
            "n.json",
            "2026-01-01T00:00:00Z".parse().unwrap(),
            jiff::tz::TimeZone::UTC,
        );
        let p = parse(j.as_bytes(), &o).unwrap();
        let a = &p.alerts[0];
        assert_eq!(a.colour, Colour::Red);
        assert_eq!(a.msg_type, MsgType::Update);
        assert_eq!(
            a.extra.references,
            ["w-nws.webmaster@noaa.gov,u0,2024-06-30T10:00:00-07:00"]
        );
        assert_eq!(a.extra.areas[0].shapes.polygons[0][0], [30.0, -100.0]);
        assert_eq!(a.extra.areas[0].shapes.geocodes.len(), 2);
        assert!(parse(b"{\"total\": 3}", &o).is_err());
        assert!(
            parse(b"[1", &o)
                .unwrap_err()
                .to_string()
                .starts_with("n.json:1:")
        );
    }
}
