//! ATOM and RSS index feeds of CAP: entries that link to a full message, carry it in
//! `<content>`, or summarise it in `cap:` elements. Fetching linked messages is the
//! poller's job; this module only says which.

use super::cap::{self, CAP_NAMESPACES};
use super::mapping::{colour_word, signal_type};
use super::xml::{Document, Element};
use super::{FeedError, ParseOptions, Parsed, PendingLink, parse_time};
use crate::model::{Alert, Area, Extra, Geocode, Link, MsgType, Texts};

const ATOM_NS: &str = "http://www.w3.org/2005/Atom";

/// An index document: an ATOM `<feed>` or an RSS `<rss>` (or RDF) channel.
pub fn is_index(root: &Element) -> bool {
    (root.name == "feed" && (root.ns == ATOM_NS || root.ns.is_empty()))
        || root.name == "rss"
        || root.name == "RDF"
}

/// One entry of an index.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub id: String,
    pub title: String,
    /// The link to the full CAP message, if the entry has one.
    pub link: Option<String>,
    /// The alert: the embedded CAP message, or one built from the entry's fields.
    pub alert: Alert,
    /// Whether `alert` is the full embedded message (no fetch needed).
    pub complete: bool,
}

pub fn parse(bytes: &[u8], opts: &ParseOptions) -> Result<Parsed, FeedError> {
    let doc = Document::parse(bytes, opts)?;
    let mut parsed = parse_doc(&doc, opts)?;
    let mut w = doc.warnings;
    w.append(&mut parsed.warnings);
    parsed.warnings = w;
    Ok(parsed)
}

/// Entries of an index, each as an alert; those that need their CAP message fetched
/// are listed in `pending`.
pub fn parse_doc(doc: &Document, opts: &ParseOptions) -> Result<Parsed, FeedError> {
    let (entries, warnings) = entries(&doc.root, opts)?;
    let mut parsed = Parsed {
        warnings,
        ..Parsed::default()
    };
    for e in entries {
        if !e.complete
            && let Some(url) = e.link.clone()
        {
            parsed.pending.push(PendingLink {
                url,
                stub: parsed.alerts.len(),
            });
        }
        parsed.alerts.push(e.alert);
    }
    Ok(parsed)
}

/// Read the entries; entries with nothing usable are skipped with a warning, and an index
/// whose every entry was skipped is an error.
pub fn entries(
    root: &Element,
    opts: &ParseOptions,
) -> Result<(Vec<Entry>, Vec<String>), FeedError> {
    let origin = &opts.origin;
    if !is_index(root) {
        return Err(FeedError::at(
            origin,
            root.line,
            1,
            format!(
                "not an ATOM or RSS index: the root element is <{}>",
                root.name
            ),
        ));
    }
    let feed_author = author(root);
    let items: Vec<&Element> = if root.name == "feed" {
        root.all("entry").collect()
    } else {
        let mut v = Vec::new();
        root.find_all(&|e| e.name == "item", &mut v);
        v
    };
    let mut out = Vec::new();
    let mut warnings = Vec::new();
    for item in &items {
        match entry(item, &feed_author, opts) {
            Ok(e) => out.push(e),
            Err(why) => warnings.push(format!("{origin}:{}: entry skipped: {why}", item.line)),
        }
    }
    if out.is_empty() && !items.is_empty() {
        return Err(FeedError::at(
            origin,
            items[0].line,
            1,
            format!(
                "none of the {} entries can be used: {}",
                items.len(),
                warnings.first().map_or("", |w| w.as_str())
            ),
        ));
    }
    Ok((out, warnings))
}

fn author(el: &Element) -> String {
    el.child("author")
        .map(|a| a.text_of("name").to_owned())
        .filter(|n| !n.is_empty())
        .unwrap_or_default()
}

fn cap_child<'a>(el: &'a Element, name: &str) -> &'a str {
    el.children
        .iter()
        .find(|c| c.name == name && is_cap_ns(&c.ns))
        .map_or("", |c| c.text.trim())
}

fn is_cap_ns(ns: &str) -> bool {
    CAP_NAMESPACES.contains(&ns)
}

fn entry(item: &Element, feed_author: &str, opts: &ParseOptions) -> Result<Entry, String> {
    let id = [item.text_of("id"), item.text_of("guid")]
        .into_iter()
        .find(|s| !s.is_empty())
        .unwrap_or_default()
        .to_owned();
    let title = item.text_of("title").to_owned();
    let link = entry_link(item);
    // A full CAP message inside <content> needs no fetch.
    if let Some(embedded) = item
        .child("content")
        .and_then(|c| c.children.iter().find(|x| x.name == "alert"))
    {
        let signed = embedded.find(&|e| e.name == "Signature").is_some();
        let msg = cap::message(embedded, signed, opts).map_err(|e| e.message)?;
        return Ok(Entry {
            id,
            title,
            link,
            alert: msg.alert,
            complete: true,
        });
    }
    let has_cap = item.children.iter().any(|c| is_cap_ns(&c.ns));
    if link.is_none() && !has_cap {
        return Err(if id.is_empty() {
            "no id, no link and no CAP content".to_owned()
        } else {
            format!("{}: no link and no CAP content", super::clip(&id, 120))
        });
    }
    let key = if id.is_empty() {
        link.clone().unwrap_or_default()
    } else {
        id.clone()
    };
    Ok(Entry {
        alert: stub(item, &key, &title, link.as_deref(), feed_author, opts),
        id,
        title,
        link,
        complete: false,
    })
}

/// The link to the CAP message: one typed as CAP/XML, else `alternate`, else the first.
fn entry_link(item: &Element) -> Option<String> {
    let links: Vec<&Element> = item.all("link").collect();
    let href = |l: &&Element| -> Option<String> {
        let h = l
            .attr("href")
            .map(str::trim)
            .unwrap_or_else(|| l.text.trim());
        (!h.is_empty()).then(|| h.to_owned())
    };
    let typed = links.iter().find(|l| {
        l.attr("type")
            .is_some_and(|t| t.contains("cap") || t.contains("xml"))
    });
    let alternate = links
        .iter()
        .find(|l| l.attr("rel").is_none_or(|r| r == "alternate"));
    typed
        .and_then(href)
        .or_else(|| alternate.and_then(href))
        .or_else(|| links.first().and_then(href))
}

/// An alert from what the index entry itself says (cap: fields, title, summary).
fn stub(
    item: &Element,
    key: &str,
    title: &str,
    link: Option<&str>,
    feed_author: &str,
    opts: &ParseOptions,
) -> Alert {
    let event = cap_child(item, "event");
    let severity = cap_child(item, "severity");
    let sent = [
        cap_child(item, "sent"),
        item.text_of("published"),
        item.text_of("updated"),
    ]
    .into_iter()
    .find_map(parse_time)
    .or_else(|| rfc2822(item.text_of("pubDate")))
    .unwrap_or(opts.now);
    let colour = colour_word(event)
        .or_else(|| colour_word(title).filter(|_| !event.is_empty()))
        .unwrap_or_else(|| opts.severity.colour(severity));
    let msg_type = match [cap_child(item, "msgType"), cap_child(item, "message_type")]
        .into_iter()
        .find(|s| !s.is_empty())
        .unwrap_or("")
        .to_ascii_lowercase()
        .as_str()
    {
        "update" => MsgType::Update,
        "cancel" => MsgType::Cancel,
        _ => MsgType::Alert,
    };
    let area_desc = cap_child(item, "areaDesc");
    let mut area = Area {
        description: area_desc.into(),
        ..Area::default()
    };
    for c in item.children.iter().filter(|c| is_cap_ns(&c.ns)) {
        match c.name.as_str() {
            "polygon" => area.shapes.polygons.extend(cap::polygon(&c.text)),
            "circle" => area.shapes.circles.extend(cap::circle(&c.text)),
            "geocode" => {
                let (n, v) = (c.text_of("valueName"), c.text_of("value"));
                if !v.is_empty() {
                    area.shapes.geocodes.push(Geocode {
                        name: n.to_owned(),
                        value: v.to_owned(),
                    });
                }
            }
            _ => {}
        }
    }
    let summary = [item.text_of("summary"), item.text_of("description")]
        .into_iter()
        .find(|s| !s.is_empty())
        .unwrap_or_default();
    let author = Some(author(item))
        .filter(|a| !a.is_empty())
        .unwrap_or_else(|| feed_author.to_owned());
    let status = match cap_child(item, "status") {
        "" => "actual".to_owned(),
        s => s.to_ascii_lowercase(),
    };
    Alert {
        id: key.into(),
        source: author.clone().into(),
        signal_type: signal_type(event).into(),
        colour,
        level: colour.level(),
        severity: severity.into(),
        urgency: cap_child(item, "urgency").into(),
        certainty: cap_child(item, "certainty").into(),
        status: status.into(),
        msg_type,
        texts: Texts::new(
            [title, event, key]
                .into_iter()
                .find(|s| !s.trim().is_empty())
                .unwrap_or_default()
                .trim(),
            summary,
        ),
        area: area_desc.into(),
        sent,
        expires: parse_time(cap_child(item, "expires")),
        extra: Extra {
            onset: parse_time(cap_child(item, "onset")),
            links: link
                .map(|l| Link {
                    rel: "alternate".into(),
                    href: l.to_owned(),
                    title: String::new(),
                    mime: String::new(),
                })
                .into_iter()
                .collect(),
            effective: parse_time(cap_child(item, "effective")),
            areas: if area.description.is_empty()
                && area.shapes.polygons.is_empty()
                && area.shapes.circles.is_empty()
                && area.shapes.geocodes.is_empty()
            {
                Vec::new()
            } else {
                vec![area]
            },
            ..Extra::default()
        }
        .into(),
        sender: author.into(),
        ack: None,
        silence: None,
        seq: 0,
        origin: Default::default(),
    }
}

fn rfc2822(s: &str) -> Option<jiff::Timestamp> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    jiff::fmt::rfc2822::DateTimeParser::new()
        .parse_timestamp(s)
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Colour;

    fn opts() -> ParseOptions {
        ParseOptions::new(
            "i.atom",
            "2026-01-01T00:00:00Z".parse().unwrap(),
            jiff::tz::TimeZone::UTC,
        )
    }

    #[test]
    fn atom_entries_with_links_are_pending() {
        let x = r#"<feed xmlns="http://www.w3.org/2005/Atom" xmlns:cap="urn:oasis:names:tc:emergency:cap:1.1">
<entry><id>e1</id><title>T</title><link href="http://x/1.cap"/><cap:severity>Extreme</cap:severity><cap:event>Flood</cap:event></entry>
<entry><title>nothing here</title></entry></feed>"#;
        let p = parse(x.as_bytes(), &opts()).unwrap();
        assert_eq!(p.alerts.len(), 1);
        assert_eq!(
            p.pending,
            vec![PendingLink {
                url: "http://x/1.cap".into(),
                stub: 0
            }]
        );
        assert_eq!(p.alerts[0].colour, Colour::Red);
        assert_eq!(p.warnings.len(), 1);
    }

    #[test]
    fn rss_items_use_link_text_and_pubdate() {
        let x = "<rss version='2.0'><channel><item><title>A</title><link>http://x/a</link><guid>g</guid><pubDate>Fri, 04 Feb 2011 20:20:00 GMT</pubDate></item></channel></rss>";
        let p = parse(x.as_bytes(), &opts()).unwrap();
        assert_eq!(p.alerts[0].id, "g");
        assert_eq!(p.alerts[0].sent.to_string(), "2011-02-04T20:20:00Z");
        assert_eq!(p.pending[0].url, "http://x/a");
    }

    #[test]
    fn an_index_of_only_unusable_entries_is_an_error() {
        let x = "<feed xmlns='http://www.w3.org/2005/Atom'><entry><title>x</title></entry></feed>";
        assert!(parse(x.as_bytes(), &opts()).is_err());
        let x = "<feed xmlns='http://www.w3.org/2005/Atom'><title>empty</title></feed>";
        assert!(parse(x.as_bytes(), &opts()).unwrap().alerts.is_empty());
    }
}
