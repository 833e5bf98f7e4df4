//! A small, safe XML tree for the feed parsers.
//!
//! quick-xml never fetches anything: a DOCTYPE is skipped whole, so external entities,
//! parameter entities and XInclude are never resolved. References to entities other than
//! the five predefined ones are dropped (and reported), which is what keeps an XXE payload
//! such as `&xxe;` from putting anything into the text.

use super::FeedError;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::reader::NsReader;

/// Deeper than any real feed (EDXL-DE around CAP is about ten levels) and shallow enough
/// that walking the tree recursively can never exhaust the stack.
const MAX_DEPTH: usize = 96;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Element {
    /// Namespace URI, empty when the element has none.
    pub ns: String,
    /// Local name, without prefix.
    pub name: String,
    /// Attributes by local name.
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Element>,
    /// The element's own text (CDATA included), children's text excluded.
    pub text: String,
    /// 1-based line of the start tag.
    pub line: usize,
}

impl Element {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Children with this local name, whatever their namespace.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// Trimmed text of the first child called `name`, or "".
    pub fn text_of(&self, name: &str) -> &str {
        self.child(name).map_or("", |c| c.text.trim())
    }

    /// The first element at or below this one (depth first) that `pred` accepts.
    pub fn find(&self, pred: &dyn Fn(&Element) -> bool) -> Option<&Element> {
        if pred(self) {
            return Some(self);
        }
        self.children.iter().find_map(|c| c.find(pred))
    }

    /// Every element at or below this one that `pred` accepts, not looking inside matches.
    pub fn find_all<'a>(&'a self, pred: &dyn Fn(&Element) -> bool, out: &mut Vec<&'a Element>) {
        if pred(self) {
            out.push(self);
            return;
        }
        for c in &self.children {
            c.find_all(pred, out);
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub root: Element,
    pub warnings: Vec<String>,
    /// Whether any `Signature` element (XML-DSig) appears: signatures are not verified.
    pub signed: bool,
}

impl Document {
    /// Decode and parse `bytes`; errors name the origin and the line and column.
    pub fn parse(bytes: &[u8], opts: &super::ParseOptions) -> Result<Document, FeedError> {
        let origin = &opts.origin;
        let decoded = super::fetch::decode(bytes, opts.charset.as_deref(), origin);
        let mut doc = Self::parse_str(&decoded.text, origin)?;
        let mut warnings = decoded.warnings;
        warnings.append(&mut doc.warnings);
        doc.warnings = warnings;
        Ok(doc)
    }

    pub fn parse_str(text: &str, origin: &str) -> Result<Document, FeedError> {
        let mut reader = NsReader::from_str(text);
        let cfg = reader.config_mut();
        cfg.trim_text(false);
        cfg.check_end_names = true;
        let mut stack: Vec<Element> = Vec::new();
        let mut root: Option<Element> = None;
        let mut warnings = Vec::new();
        let mut dropped_entities: Vec<String> = Vec::new();
        let mut signed = false;
        let mut lines = LineCounter::default();
        let err_at = |pos: u64, msg: String| {
            let (line, col) = line_col(text, pos as usize);
            FeedError::at(origin, line, col, format!("not well-formed XML: {msg}"))
        };
        loop {
            let pos = reader.buffer_position();
            let (ns, event) = match reader.read_resolved_event() {
                Ok((ns, ev)) => (ns_string(&ns), ev),
                Err(e) => return Err(err_at(reader.error_position(), e.to_string())),
            };
            match event {
                Event::Start(_) | Event::Empty(_) if root.is_some() => {
                    return Err(err_at(pos, "content after the root element".into()));
                }
                Event::Start(start) => {
                    if stack.len() >= MAX_DEPTH {
                        return Err(err_at(pos, format!("nested deeper than {MAX_DEPTH}")));
                    }
                    let el = element(ns, &start, lines.line_at(text, pos as usize), &mut warnings);
                    signed |= el.name == "Signature";
                    stack.push(el);
                }
                Event::Empty(start) => {
                    let el = element(ns, &start, lines.line_at(text, pos as usize), &mut warnings);
                    signed |= el.name == "Signature";
                    match stack.last_mut() {
                        Some(parent) => parent.children.push(el),
                        None => root = Some(el),
                    }
                }
                Event::End(_) => {
                    let Some(done) = stack.pop() else {
                        return Err(err_at(pos, "closing tag without an opening one".into()));
                    };
                    match stack.last_mut() {
                        Some(parent) => parent.children.push(done),
                        None => root = Some(done),
                    }
                }
                Event::Text(t) => {
                    let content = t.xml10_content();
                    match stack.last_mut() {
                        Some(el) => el.text.push_str(&content),
                        None if !content.trim().is_empty() => {
                            return Err(err_at(pos, "text outside the root element".into()));
                        }
                        None => {}
                    }
                }
                Event::CData(c) => {
                    if let Some(el) = stack.last_mut() {
                        el.text.push_str(&c.xml10_content());
                    }
                }
                Event::GeneralRef(r) => {
                    let resolved = match r.resolve_char_ref() {
                        Ok(Some(c)) => Some(c.to_string()),
                        Ok(None) => predefined(&r.xml10_content()).map(str::to_owned),
                        Err(e) => return Err(err_at(pos, e.to_string())),
                    };
                    match resolved {
                        Some(s) => {
                            if let Some(el) = stack.last_mut() {
                                el.text.push_str(&s);
                            }
                        }
                        None => {
                            let name = super::clip(&r.xml10_content(), 40);
                            if !dropped_entities.contains(&name) {
                                dropped_entities.push(name);
                            }
                        }
                    }
                }
                Event::DocType(_) => warnings.push(format!(
                    "{origin}: DOCTYPE ignored; its entities are not expanded"
                )),
                Event::Eof => break,
                Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
            }
        }
        if let Some(open) = stack.last() {
            return Err(err_at(
                text.len() as u64,
                format!("document ends inside <{}> (line {})", open.name, open.line),
            ));
        }
        for name in dropped_entities {
            warnings.push(format!(
                "{origin}: entity &{name}; not expanded (external and custom entities never are)"
            ));
        }
        match root {
            Some(root) => Ok(Document {
                root,
                warnings,
                signed,
            }),
            None => Err(FeedError::new(origin, "no XML element in the document")),
        }
    }
}

fn predefined(name: &str) -> Option<&'static str> {
    Some(match name {
        "lt" => "<",
        "gt" => ">",
        "amp" => "&",
        "apos" => "'",
        "quot" => "\"",
        _ => return None,
    })
}

fn ns_string(ns: &ResolveResult<'_>) -> String {
    match ns {
        ResolveResult::Bound(n) => n.as_ref().to_owned(),
        ResolveResult::Unbound => String::new(),
        ResolveResult::Unknown(p) => format!("?{p}"),
    }
}

fn element(ns: String, start: &BytesStart<'_>, line: usize, warnings: &mut Vec<String>) -> Element {
    let name = start.local_name().as_ref().to_owned();
    let mut attrs = Vec::new();
    for a in start.attributes().with_checks(false).flatten() {
        let key = a.key.local_name().as_ref().to_owned();
        let value = match a.normalized_value(quick_xml::XmlVersion::Implicit1_0) {
            Ok(v) => v.into_owned(),
            Err(_) => {
                if warnings.len() < 50 {
                    warnings.push(format!(
                        "line {line}: attribute {key} has an unknown entity; kept as written"
                    ));
                }
                a.value.to_string()
            }
        };
        attrs.push((key, value));
    }
    Element {
        ns,
        name,
        attrs,
        children: Vec::new(),
        text: String::new(),
        line,
    }
}

/// Line numbers for increasing offsets, counting each newline once: scanning from the
/// start for every element made big documents quadratic.
#[derive(Default)]
struct LineCounter {
    offset: usize,
    line: usize,
}

impl LineCounter {
    fn line_at(&mut self, text: &str, offset: usize) -> usize {
        let offset = offset.min(text.len());
        if offset < self.offset {
            *self = LineCounter::default();
        }
        let chunk = text.as_bytes().get(self.offset..offset).unwrap_or_default();
        self.line += chunk.iter().filter(|b| **b == b'\n').count();
        self.offset = offset;
        self.line + 1
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut end = offset.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let before = &text[..end];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_a_tree_with_namespaces_and_text() {
        let d = Document::parse_str(
            "<a xmlns='urn:x' xmlns:c='urn:c'><c:b k='v &amp; w'>t&lt;1&#x41;<![CDATA[<z>]]></c:b><e/></a>",
            "t",
        )
        .unwrap();
        assert_eq!(d.root.ns, "urn:x");
        let b = d.root.child("b").unwrap();
        assert_eq!(b.ns, "urn:c");
        assert_eq!(b.text, "t<1A<z>");
        assert_eq!(b.attr("k"), Some("v & w"));
        assert!(d.root.child("e").is_some());
    }

    #[test]
    fn errors_say_where() {
        let e = Document::parse_str("<a>\n<b></a>", "f.xml").unwrap_err();
        assert_eq!(e.origin, "f.xml");
        assert_eq!(e.line, Some(2), "{e}");
        let e = Document::parse_str("<a>\n<b>", "f.xml").unwrap_err();
        assert!(e.message.contains("ends inside"), "{e}");
        assert!(Document::parse_str("", "f").is_err());
        assert!(Document::parse_str("<a/><b/>", "f").is_err());
    }

    #[test]
    fn custom_entities_are_dropped_not_expanded() {
        let d = Document::parse_str(
            "<!DOCTYPE a [<!ENTITY x SYSTEM 'file:///etc/passwd'>]><a>ok&x;</a>",
            "t",
        )
        .unwrap();
        assert_eq!(d.root.text, "ok");
        assert_eq!(d.warnings.len(), 2, "{:?}", d.warnings);
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowed() {
        let s = "<a>".repeat(10_000);
        let e = Document::parse_str(&s, "t").unwrap_err();
        assert!(e.message.contains("deeper"), "{e}");
    }
}
