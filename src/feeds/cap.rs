//! CAP 1.0, 1.1 and 1.2 messages: alone, wrapped in an EDXL-DE envelope, or several in
//! a non-standard `<alerts>` wrapper (SMHI).

use super::mapping::{colour_word, explicit_colour, signal_type};
use super::xml::{Document, Element};
use super::{FeedError, ParseOptions, parse_time};
use crate::model::{Alert, Area, Circle, Extra, Geocode, Link, MsgType, Shapes, Texts};

/// The namespaces CAP has had. Anything else called `alert` is not CAP.
pub const CAP_NAMESPACES: [&str; 4] = [
    "urn:oasis:names:tc:emergency:cap:1.2",
    "urn:oasis:names:tc:emergency:cap:1.1",
    "urn:oasis:names:tc:emergency:cap:1.0",
    "http://www.incident.com/cap/1.0",
];

/// One message as read, with what the alert model does not carry.
#[derive(Debug, Clone, PartialEq)]
pub struct CapMessage {
    pub alert: Alert,
    /// The message carries an XML signature. It is NOT verified.
    pub signed: bool,
    /// The languages of all its `<info>` blocks, in document order.
    pub languages: Vec<String>,
    pub scope: String,
}

/// Parse bytes holding CAP in any of the shapes this module knows.
pub fn parse(
    bytes: &[u8],
    opts: &ParseOptions,
) -> Result<(Vec<CapMessage>, Vec<String>), FeedError> {
    let doc = Document::parse(bytes, opts)?;
    let msgs = parse_doc(&doc, opts)?;
    Ok((msgs, doc.warnings))
}

/// The CAP messages of a parsed document.
pub fn parse_doc(doc: &Document, opts: &ParseOptions) -> Result<Vec<CapMessage>, FeedError> {
    let root = &doc.root;
    let origin = &opts.origin;
    if root.name == "alert" {
        check_namespace(root, origin)?;
        return Ok(vec![message(root, doc.signed, opts)?]);
    }
    let mut found = Vec::new();
    root.find_all(
        &|e| e.name == "alert" && e.child("identifier").is_some(),
        &mut found,
    );
    if found.is_empty() {
        return Err(FeedError::at(
            origin,
            root.line,
            1,
            format!(
                "not a CAP message: the root element is <{}>, not <alert>",
                root.name
            ),
        ));
    }
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for el in found {
        match check_namespace(el, origin).and_then(|_| message(el, el_signed(el), opts)) {
            Ok(m) => out.push(m),
            Err(e) => errors.push(e),
        }
    }
    match (out.is_empty(), errors.into_iter().next()) {
        (true, Some(first)) => Err(first),
        _ => Ok(out),
    }
}

fn el_signed(el: &Element) -> bool {
    el.find(&|e| e.name == "Signature").is_some()
}

fn check_namespace(el: &Element, origin: &str) -> Result<(), FeedError> {
    if el.ns.is_empty() || CAP_NAMESPACES.contains(&el.ns.as_str()) {
        Ok(())
    } else {
        Err(FeedError::at(
            origin,
            el.line,
            1,
            format!(
                "<alert> in namespace {:?}, which is not a CAP namespace (expected {})",
                super::clip(&el.ns, 80),
                CAP_NAMESPACES[0]
            ),
        ))
    }
}

fn required<'a>(el: &'a Element, name: &str, origin: &str) -> Result<&'a str, FeedError> {
    let v = el.text_of(name);
    if v.is_empty() {
        Err(FeedError::at(
            origin,
            el.line,
            1,
            format!("CAP <alert> without the required <{name}>"),
        ))
    } else {
        Ok(v)
    }
}

/// Read one `<alert>` element.
pub fn message(el: &Element, signed: bool, opts: &ParseOptions) -> Result<CapMessage, FeedError> {
    let origin = &opts.origin;
    let identifier = required(el, "identifier", origin)?;
    let sender = required(el, "sender", origin)?;
    let sent_text = required(el, "sent", origin)?;
    let status = required(el, "status", origin)?;
    let msg_type = required(el, "msgType", origin)?;
    let scope = required(el, "scope", origin)?;
    let sent = parse_time(sent_text).ok_or_else(|| {
        FeedError::at(
            origin,
            el.child("sent").map_or(el.line, |s| s.line),
            1,
            format!("<sent> {:?} is not a date-time", super::clip(sent_text, 40)),
        )
    })?;
    let msg_type = match msg_type.to_ascii_lowercase().as_str() {
        "alert" => MsgType::Alert,
        "update" => MsgType::Update,
        "cancel" => MsgType::Cancel,
        other => {
            return Err(FeedError::at(
                origin,
                el.line,
                1,
                format!(
                    "msgType {:?} is not shown on the wall (only Alert, Update, Cancel)",
                    super::clip(other, 20)
                ),
            ));
        }
    };
    let infos: Vec<&Element> = el.all("info").collect();
    let languages: Vec<String> = infos.iter().map(|i| language_of(i).to_owned()).collect();
    let info = choose_info(&infos, &opts.languages);
    let references = el
        .text_of("references")
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    let mut alert = Alert {
        id: (triplet(sender, identifier, sent_text)).into(),
        source: sender.into(),
        signal_type: Default::default(),
        colour: crate::model::Colour::Blue,
        level: crate::model::Level::IV,
        severity: Default::default(),
        urgency: Default::default(),
        certainty: Default::default(),
        status: status.to_ascii_lowercase().into(),
        msg_type,
        texts: Texts::default(),
        area: Default::default(),
        sent,
        expires: None,
        extra: Extra {
            references,
            ..Extra::default()
        }
        .into(),
        sender: sender.into(),
        ack: None,
        silence: None,
        seq: 0,
        origin: Default::default(),
    };
    let note = el.text_of("note");
    match info {
        Some(info) => fill_from_info(&mut alert, info, opts),
        None => {
            alert.texts.set_description(note);
            alert.colour = opts.severity.colour("unknown");
        }
    }
    alert.level = alert.colour.level();
    let title = [
        alert.extra.headline.as_str(),
        alert.signal_type.as_str(),
        note,
        identifier,
    ]
    .into_iter()
    .find(|s| !s.trim().is_empty())
    .unwrap_or_default()
    .trim()
    .to_owned();
    alert.texts.set_title(&title);
    Ok(CapMessage {
        alert,
        signed,
        languages,
        scope: scope.to_owned(),
    })
}

/// The CAP reference key of a message: `sender,identifier,sent`.
pub fn triplet(sender: &str, identifier: &str, sent: &str) -> String {
    format!("{},{},{}", sender.trim(), identifier.trim(), sent.trim())
}

fn language_of(info: &Element) -> &str {
    match info.text_of("language") {
        // CAP: an info block without a language is en-US.
        "" => "en-US",
        l => l,
    }
}

/// Pick the `<info>` in the best language: an exact tag first (zh-CN), then the same
/// primary language (zh-TW for zh), then the first block.
pub fn choose_info<'a>(infos: &[&'a Element], prefs: &[String]) -> Option<&'a Element> {
    for p in prefs {
        if let Some(i) = infos
            .iter()
            .find(|i| language_of(i).eq_ignore_ascii_case(p))
        {
            return Some(i);
        }
        let primary = p.split(['-', '_']).next().unwrap_or(p);
        if let Some(i) = infos.iter().find(|i| {
            language_of(i)
                .split(['-', '_'])
                .next()
                .is_some_and(|l| l.eq_ignore_ascii_case(primary))
        }) {
            return Some(i);
        }
    }
    infos.first().copied()
}

/// valueName/value pairs of `<parameter>` or `<eventCode>`; CAP 1.0 wrote `name=value`.
fn pairs<'a>(info: &'a Element, name: &'a str) -> Vec<(&'a str, &'a str)> {
    info.all(name)
        .map(|p| {
            if p.child("valueName").is_some() || p.child("value").is_some() {
                (p.text_of("valueName"), p.text_of("value"))
            } else {
                p.text.trim().split_once('=').unwrap_or(("", p.text.trim()))
            }
        })
        .collect()
}

fn fill_from_info(a: &mut Alert, info: &Element, opts: &ParseOptions) {
    let event = info.text_of("event");
    a.signal_type = signal_type(event).into();
    a.severity = info.text_of("severity").into();
    a.urgency = info.text_of("urgency").into();
    a.certainty = info.text_of("certainty").into();
    a.extra.headline = info.text_of("headline").to_owned();
    a.texts.set_description(info.text_of("description"));
    a.extra.instruction = info.text_of("instruction").to_owned();
    a.extra.effective = parse_time(info.text_of("effective"));
    a.extra.onset = parse_time(info.text_of("onset"));
    a.expires = parse_time(info.text_of("expires"));
    if let Some(name) = Some(info.text_of("senderName")).filter(|s| !s.is_empty()) {
        a.source = name.into();
    }
    let mut params = pairs(info, "parameter");
    params.extend(pairs(info, "eventCode"));
    a.colour = explicit_colour(params)
        .or_else(|| colour_word(event))
        .or_else(|| colour_word(&a.extra.headline))
        .unwrap_or_else(|| opts.severity.colour(&a.severity));
    let web = info.text_of("web");
    if !web.is_empty() {
        a.extra.links.push(Link {
            rel: "web".into(),
            href: web.to_owned(),
            title: String::new(),
            mime: String::new(),
        });
    }
    for r in info.all("resource") {
        let uri = r.text_of("uri");
        // An embedded derefUri payload (audio, images) is not kept: it can be megabytes.
        if uri.is_empty() {
            continue;
        }
        a.extra.links.push(Link {
            rel: "resource".into(),
            href: uri.to_owned(),
            title: r.text_of("resourceDesc").to_owned(),
            mime: r.text_of("mimeType").to_owned(),
        });
    }
    a.extra.areas = info.all("area").map(area).collect();
    a.area = (a
        .extra
        .areas
        .iter()
        .map(|x| x.description.trim())
        .filter(|d| !d.is_empty())
        .collect::<Vec<_>>()
        .join("; "))
    .into();
}

fn area(el: &Element) -> Area {
    Area {
        description: el.text_of("areaDesc").into(),
        shapes: Shapes {
            polygons: el.all("polygon").filter_map(|p| polygon(&p.text)).collect(),
            circles: el.all("circle").filter_map(|c| circle(&c.text)).collect(),
            geocodes: pairs(el, "geocode")
                .into_iter()
                .filter(|(_, v)| !v.is_empty())
                .map(|(n, v)| Geocode {
                    name: n.to_owned(),
                    value: v.to_owned(),
                })
                .collect(),
        }
        .into(),
    }
}

fn point(s: &str) -> Option<[f64; 2]> {
    let (lat, lon) = s.split_once(',')?;
    let lat: f64 = lat.trim().parse().ok()?;
    let lon: f64 = lon.trim().parse().ok()?;
    ((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon)).then_some([lat, lon])
}

/// `lat,lon lat,lon …`; a ring needs at least four points (CAP 1.2). Malformed → None.
pub fn polygon(s: &str) -> Option<Vec<[f64; 2]>> {
    let pts: Option<Vec<[f64; 2]>> = s.split_whitespace().map(point).collect();
    pts.filter(|p| p.len() >= 3)
}

/// `lat,lon radius` (radius in km).
pub fn circle(s: &str) -> Option<Circle> {
    let mut it = s.split_whitespace();
    let [lat, lon] = point(it.next()?)?;
    let radius_km: f64 = it.next()?.parse().ok()?;
    (radius_km.is_finite() && radius_km >= 0.0).then_some(Circle {
        lat,
        lon,
        radius_km,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Colour;

    fn opts() -> ParseOptions {
        ParseOptions::new(
            "t.xml",
            "2026-01-01T00:00:00Z".parse().unwrap(),
            jiff::tz::TimeZone::UTC,
        )
    }

    const MSG: &str = r#"<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
<identifier>X1</identifier><sender>qx@example.cn</sender><sent>2026-06-01T08:00:00+08:00</sent>
<status>Exercise</status><msgType>Alert</msgType><scope>Public</scope>
<info><language>en-US</language><event>Rainstorm</event><severity>Severe</severity>
<headline>Rainstorm warning</headline><area><areaDesc>A</areaDesc><polygon>1,2 3,4 5,6 1,2</polygon><circle>22.5,114.0 10</circle></area></info>
<info><language>zh-CN</language><event>暴雨黄色预警信号</event><severity>Severe</severity>
<headline>深圳市暴雨黄色预警</headline><area><areaDesc>南山区</areaDesc><geocode><valueName>GB/T 2260</valueName><value>440305</value></geocode></area></info>
</alert>"#;

    #[test]
    fn chinese_info_is_preferred_and_its_colour_word_wins() {
        let (msgs, _) = parse(MSG.as_bytes(), &opts()).unwrap();
        let a = &msgs[0].alert;
        assert_eq!(a.id, "qx@example.cn,X1,2026-06-01T08:00:00+08:00");
        assert_eq!(a.title(), "深圳市暴雨黄色预警");
        assert_eq!(a.signal_type, "暴雨");
        // Severity says Severe (橙), the signal itself says 黄: the signal wins.
        assert_eq!(a.colour, Colour::Yellow);
        assert_eq!(a.status, "exercise");
        assert_eq!(a.area, "南山区");
        assert_eq!(a.extra.areas[0].shapes.geocodes[0].value, "440305");
        assert_eq!(msgs[0].languages, ["en-US", "zh-CN"]);
    }

    #[test]
    fn language_preference_is_configurable() {
        let mut o = opts();
        o.languages = vec!["en".into()];
        let (msgs, _) = parse(MSG.as_bytes(), &o).unwrap();
        let a = &msgs[0].alert;
        assert_eq!(a.title(), "Rainstorm warning");
        assert_eq!(a.colour, Colour::Orange);
        assert_eq!(a.extra.areas[0].shapes.polygons[0].len(), 4);
        assert_eq!(a.extra.areas[0].shapes.circles[0].radius_km, 10.0);
    }

    #[test]
    fn missing_required_fields_and_foreign_roots_are_errors() {
        let e = parse(b"<alert xmlns='urn:oasis:names:tc:emergency:cap:1.2'><identifier>1</identifier></alert>", &opts()).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("t.xml:1:1: CAP <alert> without the required <sender>"),
            "{e}"
        );
        let e = parse(b"<html/>", &opts()).unwrap_err();
        assert!(e.message.contains("not a CAP message"), "{e}");
        let e = parse(b"<alert xmlns='urn:x'/>", &opts()).unwrap_err();
        assert!(e.message.contains("not a CAP namespace"), "{e}");
    }

    #[test]
    fn shapes_reject_garbage() {
        assert!(polygon("1,2 3,x 5,6").is_none());
        assert!(polygon("91,2 3,4 5,6").is_none());
        assert!(circle("1,2").is_none());
        assert!(circle("1,2 -3").is_none());
    }
}
