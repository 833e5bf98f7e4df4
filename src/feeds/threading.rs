//! CAP Update/Cancel threading by `references` (`sender,identifier,sent` triplets).
//!
//! An Update replaces what it references (the original gets `superseded_by`); a Cancel
//! marks it cancelled (`cancelled_by`). Nothing is dropped: originals and the Cancel itself
//! stay in the list for history, out of force. A Cancel without `<info>` borrows the
//! original's signal, colour and area so the history says what was cancelled.

use crate::model::{Alert, MsgType};
use std::collections::HashMap;

/// `(sender, identifier)` of a triplet; `sent` is compared as an instant when both parse.
fn key_of(reference: &str) -> Option<(String, String, Option<jiff::Timestamp>)> {
    let mut parts = reference.splitn(3, ',');
    let sender = parts.next()?.trim();
    let identifier = parts.next()?.trim();
    if sender.is_empty() || identifier.is_empty() {
        return None;
    }
    let sent = parts.next().and_then(super::parse_time);
    Some((sender.to_owned(), identifier.to_owned(), sent))
}

pub fn thread(alerts: &mut [Alert]) {
    let mut by_key: HashMap<(String, String), Vec<usize>> = HashMap::new();
    for (i, a) in alerts.iter().enumerate() {
        if let Some((s, id, _)) = key_of(&a.id) {
            by_key.entry((s, id)).or_default().push(i);
        }
    }
    let sents: Vec<jiff::Timestamp> = alerts.iter().map(|a| a.sent).collect();
    // Apply in sent order so a later Update wins over an earlier one.
    let mut order: Vec<usize> = (0..alerts.len()).collect();
    order.sort_by_key(|&i| alerts[i].sent);
    for i in order {
        if alerts[i].msg_type == MsgType::Alert || alerts[i].extra.references.is_empty() {
            continue;
        }
        let targets: Vec<usize> = alerts[i]
            .extra
            .references
            .iter()
            .filter_map(|r| key_of(r))
            .flat_map(|(s, id, sent)| {
                by_key
                    .get(&(s, id))
                    .into_iter()
                    .flatten()
                    .copied()
                    .filter(|&j| sent.is_none_or(|t| sents[j] == t))
                    .collect::<Vec<_>>()
            })
            .filter(|&j| j != i)
            .collect();
        for j in targets {
            apply(alerts, i, j);
        }
    }
}

fn apply(alerts: &mut [Alert], by: usize, target: usize) {
    let (by_id, kind) = (alerts[by].id.clone(), alerts[by].msg_type);
    match kind {
        MsgType::Update => {
            let t = &mut alerts[target];
            if t.extra.superseded_by.is_none() {
                t.extra.superseded_by = Some(by_id.into());
            }
        }
        MsgType::Cancel => {
            alerts[target].extra.cancelled_by = Some(by_id.into());
            if alerts[by].signal_type.is_empty() {
                let orig = alerts[target].clone();
                let c = &mut alerts[by];
                c.texts.set_title(orig.title());
                c.signal_type = orig.signal_type;
                c.colour = orig.colour;
                c.level = orig.level;
                c.area = orig.area;
                c.extra.areas = orig.extra.areas.clone();
            }
        }
        MsgType::Alert => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Colour, Extra, Level, Texts};

    fn alert(id: &str, kind: MsgType, refs: &[&str], sent: &str) -> Alert {
        Alert {
            id: id.into(),
            source: Default::default(),
            signal_type: if kind == MsgType::Cancel {
                Default::default()
            } else {
                "暴雨".into()
            },
            colour: Colour::Orange,
            level: Level::II,
            severity: Default::default(),
            urgency: Default::default(),
            certainty: Default::default(),
            status: "actual".into(),
            msg_type: kind,
            texts: Texts::new(id, ""),
            area: "南山区".into(),
            sent: sent.parse().unwrap(),
            expires: None,
            extra: Extra {
                references: refs.iter().map(|r| r.to_string()).collect(),
                ..Extra::default()
            }
            .into(),
            sender: Default::default(),
            ack: None,
            silence: None,
            seq: 0,
            origin: Default::default(),
        }
    }

    #[test]
    fn update_supersedes_and_cancel_cancels_without_dropping() {
        let now = "2026-01-01T00:00:00Z".parse().unwrap();
        let mut v = vec![
            alert(
                "s,A,2026-01-01T00:00:00Z",
                MsgType::Alert,
                &[],
                "2026-01-01T00:00:00Z",
            ),
            alert(
                "s,B,2026-01-01T01:00:00Z",
                MsgType::Update,
                &["s,A,2026-01-01T00:00:00+00:00"],
                "2026-01-01T01:00:00Z",
            ),
            alert(
                "s,C,2026-01-01T02:00:00Z",
                MsgType::Cancel,
                &["s,B,2026-01-01T01:00:00Z"],
                "2026-01-01T02:00:00Z",
            ),
        ];
        thread(&mut v);
        assert_eq!(v.len(), 3);
        assert_eq!(
            v[0].extra.superseded_by.as_deref(),
            Some("s,B,2026-01-01T01:00:00Z")
        );
        assert_eq!(
            v[1].extra.cancelled_by.as_deref(),
            Some("s,C,2026-01-01T02:00:00Z")
        );
        assert!(v.iter().all(|a| !a.in_force(now)));
        // The Cancel had no info: it now says what it cancelled.
        assert_eq!(v[2].signal_type, "暴雨");
        assert_eq!(v[2].area, "南山区");
    }

    #[test]
    fn references_to_unknown_messages_are_harmless() {
        let mut v = vec![alert(
            "s,B,t",
            MsgType::Update,
            &["x,Y,z", "junk", ""],
            "2026-01-01T01:00:00Z",
        )];
        thread(&mut v);
        assert!(v[0].extra.superseded_by.is_none());
    }
}
