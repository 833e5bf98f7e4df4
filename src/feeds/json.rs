//! Small helpers for reading loosely shaped JSON without panicking.

use super::FeedError;
use serde_json::Value;

pub fn parse(bytes: &[u8], opts: &super::ParseOptions) -> Result<(Value, Vec<String>), FeedError> {
    let origin = &opts.origin;
    let decoded = super::fetch::decode(bytes, opts.charset.as_deref(), origin);
    let v: Value = from_text(&decoded.text, origin)?;
    Ok((v, decoded.warnings))
}

/// `text` read as `T` (which may borrow from it); a syntax error names the place.
pub fn from_text<'a, T: serde::Deserialize<'a>>(
    text: &'a str,
    origin: &str,
) -> Result<T, FeedError> {
    serde_json::from_str(text)
        .map_err(|e| FeedError::at(origin, e.line(), e.column(), format!("not valid JSON: {e}")))
}

pub fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("").trim()
}

pub fn time_of(v: &Value, key: &str) -> Option<jiff::Timestamp> {
    super::parse_time(str_of(v, key))
}
