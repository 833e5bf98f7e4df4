//! Reading a response body or a file under a size cap, and turning bytes into text
//! whatever the feed claims its encoding is.

use encoding_rs::{Encoding, UTF_8};
use std::path::Path;

/// The default cap on every body read: no feed the console knows of comes near it.
pub const DEFAULT_MAX_BYTES: u64 = 10 * 1024 * 1024;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

pub fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes)
}

/// Text decoded from a feed, and what did not add up on the way.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded<'a> {
    /// Borrowed from the bytes when they were already UTF-8: a large body is not copied.
    pub text: std::borrow::Cow<'a, str>,
    pub warnings: Vec<String>,
}

/// Decode `bytes`. A byte-order mark wins, then the charset the server declared, then
/// the one the document declares (`<?xml encoding=…?>`), then UTF-8. Bytes that do not
/// fit the chosen charset are replaced (U+FFFD) and reported, never dropped silently.
pub fn decode<'a>(bytes: &'a [u8], http_charset: Option<&str>, origin: &str) -> Decoded<'a> {
    let mut warnings = Vec::new();
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        if had_errors {
            warnings.push(format!(
                "{origin}: not valid {} although it starts with its byte-order mark; unreadable bytes replaced",
                enc.name()
            ));
        }
        return Decoded { text, warnings };
    }
    let from_http = http_charset.and_then(|c| lookup(c, origin, &mut warnings));
    let from_doc = xml_declared_encoding(bytes).and_then(|c| lookup(&c, origin, &mut warnings));
    if let (Some(h), Some(d)) = (from_http, from_doc)
        && h != d
    {
        warnings.push(format!(
            "{origin}: the server says {} but the document says {}; read as {}",
            h.name(),
            d.name(),
            h.name()
        ));
    }
    // A UTF-16 declaration on a document without a BOM that we could read up to here
    // as ASCII is a lie: the declaration itself was single-byte.
    let enc = from_http
        .or(from_doc)
        .map(|e| e.output_encoding())
        .unwrap_or(UTF_8);
    let (text, had_errors) = enc.decode_without_bom_handling(bytes);
    if had_errors {
        warnings.push(format!(
            "{origin}: declared {} but the bytes are not; unreadable bytes replaced with \u{FFFD}",
            enc.name()
        ));
    }
    Decoded { text, warnings }
}

fn lookup(label: &str, origin: &str, warnings: &mut Vec<String>) -> Option<&'static Encoding> {
    let enc = Encoding::for_label(label.trim().as_bytes());
    if enc.is_none() {
        warnings.push(format!(
            "{origin}: unknown charset {:?}, read as UTF-8",
            crate::feeds::clip(label, 40)
        ));
    }
    enc
}

/// The `encoding` pseudo-attribute of an XML declaration, if the document starts with one.
fn xml_declared_encoding(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(512)];
    let head = String::from_utf8_lossy(head);
    let decl = head.trim_start().strip_prefix("<?xml")?;
    let decl = &decl[..decl.find("?>")?];
    let at = decl.find("encoding")?;
    let rest = decl[at + "encoding".len()..]
        .trim_start()
        .strip_prefix('=')?;
    let rest = rest.trim_start();
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let inner = &rest[1..];
    Some(inner[..inner.find(quote)?].to_owned())
}

/// The `charset` parameter of a Content-Type header value.
pub fn charset_of(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| v.trim().trim_matches('"').to_owned())
    })
}

/// Read a local file, refusing anything over `max` bytes before reading it whole.
pub fn read_file_capped(path: &Path, max: u64) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| format!("cannot open: {e}"))?;
    let mut buf = Vec::new();
    // One byte over the cap tells "too big" from "exactly the cap".
    file.take(max.saturating_add(1))
        .read_to_end(&mut buf)
        .map_err(|e| format!("cannot read: {e}"))?;
    if buf.len() as u64 > max {
        return Err(format!("larger than the {} byte cap", max));
    }
    Ok(buf)
}

/// Read a response body chunk by chunk, giving up as soon as it passes `max` bytes.
pub async fn read_body_capped(mut resp: reqwest::Response, max: u64) -> Result<Vec<u8>, String> {
    if let Some(len) = resp.content_length()
        && len > max
    {
        return Err(format!("body of {len} bytes is over the {max} byte cap"));
    }
    let mut buf = Vec::new();
    while let Some(chunk) = resp
        .chunk()
        .await
        .map_err(|e| crate::client::transport_message(&e))?
    {
        if (buf.len() + chunk.len()) as u64 > max {
            return Err(format!("body is over the {max} byte cap"));
        }
        buf.extend_from_slice(&chunk);
    }
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_wins_and_is_removed() {
        let d = decode(b"\xEF\xBB\xBF<a/>", Some("iso-8859-1"), "x");
        assert_eq!(d.text, "<a/>");
        assert!(d.warnings.is_empty());
        let d = decode(b"\xFF\xFEa\0b\0", None, "x");
        assert_eq!(d.text, "ab");
    }

    #[test]
    fn declared_latin1_is_decoded() {
        let d = decode(
            b"<?xml version='1.0' encoding='ISO-8859-1'?><a>caf\xE9</a>",
            None,
            "x",
        );
        assert!(d.text.ends_with("<a>caf\u{e9}</a>"), "{}", d.text);
        assert!(d.warnings.is_empty());
    }

    #[test]
    fn utf8_declared_but_latin1_bytes_are_replaced_with_a_warning() {
        let d = decode(
            b"<?xml version=\"1.0\" encoding=\"UTF-8\"?><a>\xE9t\xE9</a>",
            None,
            "u",
        );
        assert!(d.text.contains("\u{FFFD}t\u{FFFD}"));
        assert_eq!(d.warnings.len(), 1);
        assert!(
            d.warnings[0].starts_with("u: declared UTF-8"),
            "{:?}",
            d.warnings
        );
    }

    #[test]
    fn server_and_document_disagreeing_is_reported() {
        let d = decode(
            b"<?xml version='1.0' encoding='utf-8'?><a/>",
            Some("gb2312"),
            "u",
        );
        assert_eq!(d.warnings.len(), 1, "{:?}", d.warnings);
        assert_eq!(charset_of("text/xml; charset=\"GBK\""), Some("GBK".into()));
        assert_eq!(charset_of("text/xml"), None);
    }

    #[test]
    fn file_over_the_cap_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f");
        std::fs::write(&p, b"12345").unwrap();
        assert!(read_file_capped(&p, 5).is_ok());
        assert!(read_file_capped(&p, 4).unwrap_err().contains("cap"));
    }
}
