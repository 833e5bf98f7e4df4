//! USGS earthquake GeoJSON: summary feeds (FeatureCollection), FDSN query answers and
//! detail Features. One event can appear under several network ids (`ids`): those
//! are merged, keeping the most recently updated version.

use super::json::{self, str_of};
use super::{FeedError, ParseOptions, Parsed};
use crate::model::{Alert, Area, Circle, Colour, Extra, Link, MsgType, Shapes, Texts};
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
                "not a USGS earthquake GeoJSON: expected a FeatureCollection or a Feature",
            ));
        }
    };
    let mut events: Vec<(Alert, Vec<String>, i64)> = Vec::new();
    let (mut merged, mut skipped) = (0usize, 0usize);
    for f in features {
        let Some((alert, ids, updated)) = feature(f, opts) else {
            skipped += 1;
            continue;
        };
        match events
            .iter_mut()
            .find(|(_, seen, _)| seen.iter().any(|s| ids.contains(s)))
        {
            Some(existing) => {
                merged += 1;
                let mut all = std::mem::take(&mut existing.1);
                all.extend(ids.iter().cloned());
                all.sort();
                all.dedup();
                if updated >= existing.2 {
                    *existing = (alert, all, updated);
                } else {
                    existing.1 = all;
                }
            }
            None => events.push((alert, ids, updated)),
        }
    }
    if merged > 0 {
        warnings.push(format!(
            "{origin}: {merged} duplicate event(s) merged by id/ids"
        ));
    }
    if skipped > 0 {
        warnings.push(format!(
            "{origin}: {skipped} feature(s) without an id or time skipped"
        ));
    }
    Ok(Parsed {
        alerts: events.into_iter().map(|e| e.0).collect(),
        warnings,
        ..Parsed::default()
    })
}

fn feature(f: &Value, opts: &ParseOptions) -> Option<(Alert, Vec<String>, i64)> {
    let p = f.get("properties").filter(|p| p.is_object())?;
    let id = str_of(f, "id");
    if id.is_empty() {
        return None;
    }
    let time = p.get("time").and_then(Value::as_i64)?;
    let sent = jiff::Timestamp::from_millisecond(time).ok()?;
    let updated = p.get("updated").and_then(Value::as_i64).unwrap_or(time);
    let mut ids: Vec<String> = str_of(p, "ids")
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    ids.push(id.to_owned());
    let mag = p.get("mag").and_then(Value::as_f64);
    let by_mag = mag.map_or(Colour::Blue, |m| opts.magnitude.colour(m));
    // PAGER's impact estimate is explicit; a large quake with a green PAGER still shows
    // at least its magnitude colour, so take the more severe of the two.
    let pager = match str_of(p, "alert") {
        "red" => Some(Colour::Red),
        "orange" => Some(Colour::Orange),
        "yellow" => Some(Colour::Yellow),
        _ => None,
    };
    let colour = pager.map_or(by_mag, |c| c.max(by_mag));
    let place = str_of(p, "place");
    let kind = match str_of(p, "type") {
        "" => "earthquake",
        k => k,
    };
    let coords = f
        .get("geometry")
        .and_then(|g| g.get("coordinates"))
        .and_then(Value::as_array);
    let num = |i: usize| coords.and_then(|c| c.get(i)).and_then(Value::as_f64);
    let (lon, lat, depth) = (num(0), num(1), num(2));
    let mag_text = mag.map_or("?".to_owned(), |m| format!("{m:.1}"));
    let title = match str_of(p, "title") {
        "" => format!("M {mag_text} - {place}"),
        t => t.to_owned(),
    };
    let mut description = format!("M{mag_text} {}", str_of(p, "magType"));
    if let Some(d) = depth {
        description.push_str(&format!(", depth {d:.1} km"));
    }
    if p.get("tsunami").and_then(Value::as_i64) == Some(1) {
        description.push_str(", tsunami flag set");
    }
    let status = str_of(p, "status").to_ascii_lowercase();
    if !status.is_empty() {
        description.push_str(&format!(", {status}"));
    }
    let mut links = Vec::new();
    for (rel, key) in [("web", "url"), ("alternate", "detail")] {
        let href = str_of(p, key);
        if href.starts_with("http") {
            links.push(Link {
                rel: rel.into(),
                href: href.to_owned(),
                title: String::new(),
                mime: String::new(),
            });
        }
    }
    let circles = match (lat, lon) {
        (Some(lat), Some(lon))
            if (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon) =>
        {
            vec![Circle {
                lat,
                lon,
                radius_km: 0.0,
            }]
        }
        _ => Vec::new(),
    };
    let alert = Alert {
        id: id.into(),
        source: match str_of(p, "net") {
            "" => "USGS".into(),
            net => format!("USGS/{net}").into(),
        },
        signal_type: kind.into(),
        colour,
        level: colour.level(),
        severity: colour.cap_severity().into(),
        urgency: "Past".into(),
        certainty: "Observed".into(),
        status: "actual".into(),
        // USGS marks withdrawn events `deleted`: keep them in history, out of force.
        msg_type: if status == "deleted" {
            MsgType::Cancel
        } else {
            MsgType::Alert
        },
        texts: Texts::new(&title, &description),
        area: place.into(),
        sent,
        expires: None,
        extra: Extra {
            onset: Some(sent),
            links,
            effective: Some(sent),
            areas: vec![Area {
                description: place.into(),
                shapes: Shapes {
                    circles,
                    ..Shapes::default()
                }
                .into(),
            }],
            ..Extra::default()
        }
        .into(),
        sender: "earthquake.usgs.gov".into(),
        ack: None,
        silence: None,
        seq: 0,
        origin: Default::default(),
    };
    let _ = opts;
    Some((alert, ids, updated))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts() -> ParseOptions {
        ParseOptions::new(
            "q.json",
            "2026-01-01T00:00:00Z".parse().unwrap(),
            jiff::tz::TimeZone::UTC,
        )
    }

    #[test]
    fn duplicates_by_ids_are_merged_keeping_the_newest() {
        let j = r#"{"type":"FeatureCollection","features":[
          {"type":"Feature","id":"ci1","properties":{"mag":4.0,"time":1000,"updated":5,"ids":",ci1,us9,","place":"old"},"geometry":{"type":"Point","coordinates":[-118,34,10]}},
          {"type":"Feature","id":"us9","properties":{"mag":6.2,"time":1000,"updated":9,"ids":",us9,","place":"new","alert":"yellow"},"geometry":{"type":"Point","coordinates":[-118,34,10]}},
          {"type":"Feature","properties":{"mag":1}}]}"#;
        let p = parse(j.as_bytes(), &opts()).unwrap();
        assert_eq!(p.alerts.len(), 1);
        assert_eq!(p.alerts[0].area, "new");
        assert_eq!(p.alerts[0].colour, Colour::Orange);
        assert_eq!(p.warnings.len(), 2, "{:?}", p.warnings);
    }

    #[test]
    fn magnitude_map_is_configurable() {
        let j = r#"{"type":"Feature","id":"x","properties":{"mag":3.1,"time":0}}"#;
        let mut o = opts();
        o.magnitude =
            crate::feeds::mapping::MagnitudeMap(vec![crate::feeds::mapping::MagnitudeStep {
                min: 3.0,
                colour: Colour::Red,
            }]);
        assert_eq!(
            parse(j.as_bytes(), &o).unwrap().alerts[0].colour,
            Colour::Red
        );
    }
}
