//! Reading request bodies field by field. Request text is not trusted: every field is
//! type-checked, length-limited and, where the API defines a vocabulary, checked against
//! it; every error names the field it is about.

use super::error::{ApiFailure, ApiResult};
use crate::model::{
    Ack, Alert, Colour, Extra, Grade, IncidentStatus, Level, MsgType, Silence, Texts,
};
use jiff::Timestamp;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

pub mod time;

/// Longest id, idempotency key or reference the API accepts (in characters).
pub const MAX_ID: usize = 128;
const MAX_NAME: usize = 64;
const MAX_TITLE: usize = 200;
const MAX_TEXT: usize = 4000;
const MAX_NOTES: usize = 20_000;
const MAX_REFERENCES: usize = 50;

/// A parsed JSON object body.
#[derive(Debug, Clone)]
pub struct Obj(Map<String, Value>);

impl Obj {
    pub fn parse(bytes: &[u8]) -> ApiResult<Obj> {
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(ApiFailure::field(
                "body",
                "the request body is empty: send a JSON object",
            ));
        }
        match serde_json::from_slice::<Value>(bytes) {
            Ok(Value::Object(map)) => Ok(Obj(map)),
            Ok(_) => Err(ApiFailure::field(
                "body",
                "the request body must be a JSON object ({...})",
            )),
            Err(e) => {
                let field = key_at(bytes, byte_offset(bytes, e.line(), e.column()))
                    .unwrap_or_else(|| "body".to_owned());
                Err(ApiFailure::field(
                    &field,
                    format!(
                        "invalid JSON at line {} column {}: {}",
                        e.line(),
                        e.column(),
                        strip_position(&e.to_string())
                    ),
                ))
            }
        }
    }

    /// The value of `name`, treating JSON `null` as absent.
    fn value(&self, name: &str) -> Option<&Value> {
        self.0.get(name).filter(|v| !v.is_null())
    }

    pub fn opt<T: DeserializeOwned>(&self, name: &str) -> ApiResult<Option<T>> {
        match self.value(name) {
            None => Ok(None),
            Some(v) => serde_json::from_value(v.clone())
                .map(Some)
                .map_err(|e| ApiFailure::field(name, format!("field `{name}`: {e}"))),
        }
    }

    pub fn req<T: DeserializeOwned>(&self, name: &str) -> ApiResult<T> {
        self.opt(name)?.ok_or_else(|| missing(name))
    }

    /// Refuses a field the request does not take: a misspelt `expires` left out silently
    /// would store an alert that never expires.
    pub fn only(&self, known: &[&str]) -> ApiResult<()> {
        match self.0.keys().find(|k| !known.contains(&k.as_str())) {
            None => Ok(()),
            Some(k) => Err(ApiFailure::field(
                k,
                format!(
                    "unknown field `{k}`: this request takes {}",
                    known.join(", ")
                ),
            )),
        }
    }

    /// A time (`time::parse`: RFC 3339, nothing looser).
    pub fn time(&self, name: &str) -> ApiResult<Option<Timestamp>> {
        let Some(v) = self.value(name) else {
            return Ok(None);
        };
        let Value::String(s) = v else {
            return Err(ApiFailure::field(
                name,
                format!(
                    "field `{name}` must be an RFC 3339 time as a string, e.g. {}",
                    time::EXAMPLE
                ),
            ));
        };
        time_field(name, s).map(Some)
    }

    pub fn req_time(&self, name: &str) -> ApiResult<Timestamp> {
        self.time(name)?.ok_or_else(|| missing(name))
    }

    /// A nested record (a handover's review) read whole by serde, then held to the same
    /// rules as the body: no field it does not know, every time RFC 3339.
    pub fn record<T: DeserializeOwned + Serialize>(&self, name: &str) -> ApiResult<Option<T>> {
        let Some(given) = self.value(name) else {
            return Ok(None);
        };
        let record: T = serde_json::from_value(given.clone())
            .map_err(|e| ApiFailure::field(name, format!("field `{name}`: {e}")))?;
        let kept = serde_json::to_value(&record)
            .map_err(|e| ApiFailure::internal(format!("field `{name}`: {e}")))?;
        same_record(name, given, &kept)?;
        Ok(Some(record))
    }

    /// A string of at most `max` characters; absent, null and blank all read as `None`.
    pub fn text(&self, name: &str, max: usize) -> ApiResult<Option<String>> {
        let Some(v) = self.value(name) else {
            return Ok(None);
        };
        let Value::String(s) = v else {
            return Err(ApiFailure::field(
                name,
                format!("field `{name}` must be a string"),
            ));
        };
        let count = s.chars().count();
        if count > max {
            return Err(ApiFailure::field(
                name,
                format!("field `{name}` is {count} characters long; at most {max} are allowed"),
            ));
        }
        let trimmed = s.trim();
        Ok((!trimmed.is_empty()).then(|| trimmed.to_owned()))
    }

    pub fn req_text(&self, name: &str, max: usize) -> ApiResult<String> {
        self.text(name, max)?.ok_or_else(|| missing(name))
    }

    /// An identifier-like string: no whitespace or control characters.
    pub fn ident(&self, name: &str) -> ApiResult<Option<String>> {
        let value = self.text(name, MAX_ID)?;
        if let Some(v) = &value {
            check_ident(name, v)?;
        }
        Ok(value)
    }

    pub fn idempotency_key(&self) -> ApiResult<Option<String>> {
        self.ident("idempotency_key")
    }

    /// A word from a fixed vocabulary, matched case-insensitively and returned as spelled
    /// in `allowed`.
    fn word(&self, name: &str, allowed: &[&str]) -> ApiResult<Option<String>> {
        let Some(v) = self.text(name, MAX_NAME)? else {
            return Ok(None);
        };
        allowed
            .iter()
            .find(|w| w.eq_ignore_ascii_case(&v))
            .map(|w| Some((*w).to_owned()))
            .ok_or_else(|| {
                ApiFailure::field(
                    name,
                    format!("field `{name}`: {v:?} is not one of {}", allowed.join(", ")),
                )
            })
    }
}

fn time_field(name: &str, s: &str) -> ApiResult<Timestamp> {
    time::parse(s).map_err(|why| {
        ApiFailure::field(
            name,
            format!(
                "field `{name}` must be an RFC 3339 time such as {}, not {s:?}: {why}",
                time::EXAMPLE
            ),
        )
    })
}

/// Compares what a client sent for a record with what the record, read and written
/// again, holds. A key the record dropped though it held something is one it does not
/// know; a string the record rewrote into the form the server writes times in sat in a
/// time field, and is checked as a time (the rewriting hides how loose it was).
fn same_record(path: &str, given: &Value, kept: &Value) -> ApiResult<()> {
    match (given, kept) {
        (Value::Object(g), Value::Object(k)) => {
            for (key, value) in g {
                let at = format!("{path}.{key}");
                match k.get(key) {
                    Some(kv) => same_record(&at, value, kv)?,
                    None if is_empty(value) => {}
                    None => {
                        return Err(ApiFailure::field(&at, format!("unknown field `{at}`")));
                    }
                }
            }
            Ok(())
        }
        (Value::Array(g), Value::Array(k)) => {
            for (i, (gv, kv)) in g.iter().zip(k).enumerate() {
                same_record(&format!("{path}[{i}]"), gv, kv)?;
            }
            Ok(())
        }
        (Value::String(g), Value::String(k)) if g != k && k.parse::<Timestamp>().is_ok() => {
            time_field(path, g).map(drop)
        }
        _ => Ok(()),
    }
}

/// A value a record may leave out when writing itself (`skip_serializing_if`).
fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Bool(b) => !b,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        Value::Number(n) => n.as_f64() == Some(0.0),
    }
}

fn missing(name: &str) -> ApiFailure {
    ApiFailure::field(name, format!("missing field `{name}`"))
}

pub fn check_ident(name: &str, v: &str) -> ApiResult<()> {
    if v.chars().count() > MAX_ID {
        return Err(ApiFailure::field(
            name,
            format!("field `{name}` is longer than {MAX_ID} characters"),
        ));
    }
    if v.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err(ApiFailure::field(
            name,
            format!("field `{name}` must not contain spaces or control characters"),
        ));
    }
    Ok(())
}

/// serde_json appends " at line L column C"; the message already says where.
fn strip_position(msg: &str) -> &str {
    msg.rfind(" at line ").map_or(msg, |i| &msg[..i])
}

/// serde_json reports a 1-based line and a byte column within it.
fn byte_offset(bytes: &[u8], line: usize, column: usize) -> usize {
    let mut start = 0;
    for _ in 1..line {
        match bytes[start..].iter().position(|&b| b == b'\n') {
            Some(i) => start += i + 1,
            None => break,
        }
    }
    (start + column).min(bytes.len())
}

/// The top-level key whose value was being read when the input stopped making sense,
/// so that `{"title": "x", "colour": purple}` can be reported as a `colour` problem.
fn key_at(bytes: &[u8], end: usize) -> Option<String> {
    let mut depth = 0i32;
    let mut in_string = false;
    let mut escaped = false;
    let mut string_start = 0;
    let mut last_string: Option<(usize, usize)> = None;
    let mut key: Option<(usize, usize)> = None;
    for (i, &b) in bytes[..end].iter().enumerate() {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
                if depth == 1 {
                    last_string = Some((string_start, i));
                }
            }
            continue;
        }
        match b {
            b'"' => {
                in_string = true;
                string_start = i + 1;
            }
            b'{' | b'[' => depth += 1,
            b'}' | b']' => depth -= 1,
            b':' if depth == 1 => key = last_string.take(),
            b',' if depth == 1 => {
                key = None;
                last_string = None;
            }
            _ => {}
        }
    }
    key.map(|(a, b)| String::from_utf8_lossy(&bytes[a..b]).into_owned())
}

// ---- Inputs of the write endpoints -------------------------------------------------

/// `POST /api/v1/alerts`: the alert to store (id may be empty: the server assigns one).
#[derive(Debug, Clone)]
pub struct NewAlert {
    pub alert: Alert,
    pub idempotency_key: Option<String>,
}

const SEVERITIES: [&str; 5] = ["Extreme", "Severe", "Moderate", "Minor", "Unknown"];
const URGENCIES: [&str; 5] = ["Immediate", "Expected", "Future", "Past", "Unknown"];
const CERTAINTIES: [&str; 5] = ["Observed", "Likely", "Possible", "Unlikely", "Unknown"];
const STATUSES: [&str; 5] = ["actual", "exercise", "system", "test", "draft"];
const MSG_TYPES: [&str; 3] = ["alert", "update", "cancel"];

/// The fields of `POST /api/v1/alerts`.
pub const ALERT_FIELDS: [&str; 19] = [
    "id",
    "source",
    "signal_type",
    "colour",
    "level",
    "severity",
    "urgency",
    "certainty",
    "status",
    "msg_type",
    "references",
    "title",
    "description",
    "instruction",
    "area",
    "sent",
    "effective",
    "expires",
    "idempotency_key",
];

/// An alert's fields the server sets: a body that carries them is not what it seems (an
/// alert read back and posted again, with an acknowledgement that would be lost).
const SERVER_ALERT_FIELDS: [&str; 8] = [
    "ack",
    "silence",
    "sender",
    "seq",
    "superseded_by",
    "cancelled_by",
    "resolved_at",
    "origin",
];

pub fn new_alert(obj: &Obj, now: Timestamp) -> ApiResult<NewAlert> {
    if let Some(k) = SERVER_ALERT_FIELDS.iter().find(|k| obj.0.contains_key(**k)) {
        return Err(ApiFailure::field(
            k,
            format!("`{k}` is the server's to set: leave it out of a new alert"),
        ));
    }
    obj.only(&ALERT_FIELDS)?;
    let id = obj.ident("id")?.unwrap_or_default();
    let colour: Colour = obj.req("colour")?;
    let level = match obj.opt::<Level>("level")? {
        Some(level) if level != colour.level() => {
            return Err(ApiFailure::field(
                "level",
                format!(
                    "level {level:?} does not match colour {colour} (which is level {:?}); \
                     leave level out to derive it",
                    colour.level()
                ),
            ));
        }
        _ => colour.level(),
    };
    let msg_type = match obj.word("msg_type", &MSG_TYPES)?.as_deref() {
        Some("update") => MsgType::Update,
        Some("cancel") => MsgType::Cancel,
        _ => MsgType::Alert,
    };
    let references = references(obj)?;
    if msg_type != MsgType::Alert && references.is_empty() {
        return Err(ApiFailure::field(
            "references",
            "an update or cancel must name the alerts it replaces in `references`",
        ));
    }
    if !id.is_empty() && references.contains(&id) {
        return Err(ApiFailure::field(
            "references",
            "an alert cannot reference itself",
        ));
    }
    let sent = obj.time("sent")?.unwrap_or(now);
    let effective = obj.time("effective")?;
    let expires = obj.time("expires")?;
    if let Some(exp) = expires
        && exp <= effective.unwrap_or(sent)
    {
        return Err(ApiFailure::field(
            "expires",
            "`expires` must be later than `sent` (and `effective`)",
        ));
    }
    let alert = Alert {
        origin: Default::default(),
        id: id.into(),
        source: (obj.req_text("source", MAX_TITLE)?).into(),
        signal_type: (obj.req_text("signal_type", MAX_NAME)?).into(),
        colour,
        level,
        severity: (obj
            .word("severity", &SEVERITIES)?
            .unwrap_or_else(|| colour.cap_severity().to_owned()))
        .into(),
        urgency: (obj
            .word("urgency", &URGENCIES)?
            .unwrap_or_else(|| "Unknown".to_owned()))
        .into(),
        certainty: (obj
            .word("certainty", &CERTAINTIES)?
            .unwrap_or_else(|| "Unknown".to_owned()))
        .into(),
        status: (obj
            .word("status", &STATUSES)?
            .unwrap_or_else(|| "actual".to_owned()))
        .into(),
        msg_type,
        texts: Texts::new(
            &obj.req_text("title", MAX_TITLE)?,
            &obj.text("description", MAX_TEXT)?.unwrap_or_default(),
        ),
        area: (obj.text("area", MAX_TEXT)?.unwrap_or_default()).into(),
        sent,
        expires,
        extra: Extra {
            instruction: obj.text("instruction", MAX_TEXT)?.unwrap_or_default(),
            references,
            effective,
            ..Extra::default()
        }
        .into(),
        // Server-controlled: whatever the client sent here is ignored.
        sender: Default::default(),
        ack: None,
        silence: None,
        seq: 0,
    };
    Ok(NewAlert {
        alert,
        idempotency_key: obj.idempotency_key()?,
    })
}

fn references(obj: &Obj) -> ApiResult<Vec<String>> {
    let refs: Vec<String> = obj.opt("references")?.unwrap_or_default();
    if refs.len() > MAX_REFERENCES {
        return Err(ApiFailure::field(
            "references",
            format!("at most {MAX_REFERENCES} references are allowed"),
        ));
    }
    let mut out: Vec<String> = Vec::with_capacity(refs.len());
    for r in refs {
        let r = r.trim().to_owned();
        check_ident("references", &r)?;
        if r.is_empty() {
            return Err(ApiFailure::field("references", "empty reference"));
        }
        if !out.contains(&r) {
            out.push(r);
        }
    }
    Ok(out)
}

/// `POST /api/v1/alerts/{id}/ack`.
#[derive(Debug, Clone)]
pub struct AckInput {
    /// As given; the handler sets it from the token (`auth::Caller::person`).
    pub officer: Option<String>,
    pub seat: Option<String>,
    pub note: String,
    pub idempotency_key: Option<String>,
}

impl AckInput {
    pub fn to_ack(&self, at: Timestamp) -> Ack {
        Ack {
            officer: self.officer.clone().unwrap_or_default(),
            note: self.note.clone(),
            at,
            seat: self.seat.clone(),
        }
    }
}

pub fn ack(obj: &Obj) -> ApiResult<AckInput> {
    obj.only(&["officer", "note", "idempotency_key"])?;
    Ok(AckInput {
        officer: obj.text("officer", MAX_NAME)?,
        seat: None,
        note: obj.text("note", MAX_TEXT)?.unwrap_or_default(),
        idempotency_key: obj.idempotency_key()?,
    })
}

/// `POST /api/v1/alerts/{id}/silence`.
#[derive(Debug, Clone)]
pub struct SilenceInput {
    /// `silence.officer` is set from the token by the handler.
    pub officer: Option<String>,
    pub silence: Silence,
    pub idempotency_key: Option<String>,
}

/// The longest silence a duty officer may set: beyond a day it is no longer a silence
/// but a decision someone else should take.
const MAX_SILENCE_HOURS: i64 = 24;

/// `until` at or before now lifts a silence (it ends at once).
pub fn silence(obj: &Obj, now: Timestamp) -> ApiResult<SilenceInput> {
    obj.only(&["officer", "reason", "until", "idempotency_key"])?;
    let officer = obj.text("officer", MAX_NAME)?;
    let reason = obj.req_text("reason", MAX_TEXT)?;
    let until = obj.req_time("until")?;
    if until.duration_since(now).as_secs() > MAX_SILENCE_HOURS * 3600 {
        return Err(ApiFailure::field(
            "until",
            format!("`until` is more than {MAX_SILENCE_HOURS} hours ahead"),
        ));
    }
    Ok(SilenceInput {
        officer,
        silence: Silence {
            officer: String::new(),
            reason,
            from: now,
            until: until.max(now),
            seat: None,
        },
        idempotency_key: obj.idempotency_key()?,
    })
}

/// `POST /api/v1/incidents/{id}/timeline`.
#[derive(Debug, Clone)]
pub struct NewEntry {
    /// As given; the handler sets it from the token.
    pub author: Option<String>,
    pub seat: Option<String>,
    pub kind: String,
    pub text: String,
    pub at: Option<Timestamp>,
    pub leader: Option<String>,
    pub assignee: Option<String>,
    pub refers_to: Option<String>,
    /// A correction (更正): the id of the entry it corrects.
    pub corrects: Option<String>,
    pub idempotency_key: Option<String>,
}

/// How far ahead of the server's clock a client may stamp an entry (clock skew).
const MAX_FUTURE_SECS: i64 = 600;

pub fn timeline_entry(obj: &Obj, now: Timestamp) -> ApiResult<NewEntry> {
    obj.only(&[
        "author",
        "kind",
        "text",
        "at",
        "leader",
        "assignee",
        "refers_to",
        "corrects",
        "idempotency_key",
    ])?;
    let at = obj.time("at")?;
    if let Some(at) = at
        && at.duration_since(now).as_secs() > MAX_FUTURE_SECS
    {
        return Err(ApiFailure::field(
            "at",
            "`at` is more than 10 minutes in the future; check the client's clock",
        ));
    }
    Ok(NewEntry {
        author: obj.text("author", MAX_NAME)?,
        seat: None,
        kind: obj.req_text("kind", MAX_NAME)?,
        text: obj.req_text("text", MAX_TEXT)?,
        at,
        leader: obj.text("leader", MAX_NAME)?,
        assignee: obj.text("assignee", MAX_NAME)?,
        refers_to: obj.ident("refers_to")?,
        corrects: obj.ident("corrects")?,
        idempotency_key: obj.idempotency_key()?,
    })
}

/// `POST /api/v1/incidents`.
#[derive(Debug, Clone)]
pub struct NewIncident {
    pub id: Option<String>,
    pub title: String,
    pub category: String,
    pub grade: Grade,
    pub district: String,
    pub opened_at: Option<Timestamp>,
    pub idempotency_key: Option<String>,
}

pub fn new_incident(obj: &Obj) -> ApiResult<NewIncident> {
    obj.only(&[
        "id",
        "title",
        "category",
        "grade",
        "district",
        "opened_at",
        "idempotency_key",
    ])?;
    Ok(NewIncident {
        id: obj.ident("id")?,
        title: obj.req_text("title", MAX_TITLE)?,
        category: obj.text("category", MAX_NAME)?.unwrap_or_default(),
        grade: obj.req("grade")?,
        district: obj.text("district", MAX_TITLE)?.unwrap_or_default(),
        opened_at: obj.time("opened_at")?,
        idempotency_key: obj.idempotency_key()?,
    })
}

/// `PATCH /api/v1/incidents/{id}`: only the fields present change.
#[derive(Debug, Clone, Default)]
pub struct IncidentPatch {
    pub title: Option<String>,
    pub category: Option<String>,
    pub grade: Option<Grade>,
    pub district: Option<String>,
    pub status: Option<IncidentStatus>,
    /// A retried patch must not undo a later change made by someone else.
    pub idempotency_key: Option<String>,
}

pub fn incident_patch(obj: &Obj) -> ApiResult<IncidentPatch> {
    obj.only(&[
        "title",
        "category",
        "grade",
        "district",
        "status",
        "idempotency_key",
    ])?;
    let patch = IncidentPatch {
        title: obj.text("title", MAX_TITLE)?,
        category: obj.text("category", MAX_NAME)?,
        grade: obj.opt("grade")?,
        district: obj.text("district", MAX_TITLE)?,
        status: obj.opt("status")?,
        idempotency_key: obj.idempotency_key()?,
    };
    if patch.title.is_none()
        && patch.category.is_none()
        && patch.grade.is_none()
        && patch.district.is_none()
        && patch.status.is_none()
    {
        return Err(ApiFailure::field(
            "body",
            "nothing to change: give at least one of title, category, grade, district, status",
        ));
    }
    Ok(patch)
}

/// `POST /api/v1/handovers`.
#[derive(Debug, Clone)]
pub struct NewHandover {
    /// As given; the handler sets it from the token.
    pub outgoing: Option<String>,
    pub outgoing_seat: Option<String>,
    pub incoming: String,
    pub shift_start: Timestamp,
    pub shift_end: Timestamp,
    pub notes: String,
    pub report: Option<crate::model::HandoverReport>,
    pub idempotency_key: Option<String>,
}

pub fn new_handover(obj: &Obj) -> ApiResult<NewHandover> {
    obj.only(&[
        "outgoing",
        "incoming",
        "shift_start",
        "shift_end",
        "notes",
        "report",
        "idempotency_key",
    ])?;
    let outgoing = obj.text("outgoing", MAX_NAME)?;
    let shift_start = obj.req_time("shift_start")?;
    let shift_end = obj.req_time("shift_end")?;
    if shift_end <= shift_start {
        return Err(ApiFailure::field(
            "shift_end",
            "`shift_end` must be later than `shift_start`",
        ));
    }
    Ok(NewHandover {
        outgoing,
        outgoing_seat: None,
        incoming: obj.text("incoming", MAX_NAME)?.unwrap_or_default(),
        shift_start,
        shift_end,
        notes: obj.text("notes", MAX_NOTES)?.unwrap_or_default(),
        report: obj.record("report")?,
        idempotency_key: obj.idempotency_key()?,
    })
}

/// `POST /api/v1/handovers/{id}/confirm`.
/// The name given, if any; the handler sets the confirming person from the token.
pub fn confirm_handover(obj: &Obj) -> ApiResult<Option<String>> {
    // A confirmation is the same however often it is sent, so a key changes nothing; it
    // is taken because every write takes one.
    obj.only(&["incoming", "idempotency_key"])?;
    obj.idempotency_key()?;
    obj.text("incoming", MAX_NAME)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obj(s: &str) -> Obj {
        Obj::parse(s.as_bytes()).expect("test input is a JSON object")
    }

    fn field_of(r: ApiResult<impl std::fmt::Debug>) -> String {
        r.expect_err("expected a rejection")
            .field
            .unwrap_or_default()
    }

    #[test]
    fn syntax_errors_say_where_and_which_field() {
        let e = Obj::parse(br#"{"title": "x", "colour": purple}"#).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("colour"));
        assert!(e.error.contains("line 1 column"), "{}", e.error);
        let e = Obj::parse(b"{\n  \"title\": \"x\",\n  \"area\": \"a\" \"b\"\n}").unwrap_err();
        assert!(e.error.contains("line 3"), "{}", e.error);
        assert_eq!(
            Obj::parse(b"[1]").unwrap_err().field.as_deref(),
            Some("body")
        );
        assert_eq!(
            Obj::parse(b"  ").unwrap_err().field.as_deref(),
            Some("body")
        );
        assert_eq!(
            Obj::parse(b"{\"a\":").unwrap_err().field.as_deref(),
            Some("a")
        );
    }

    #[test]
    fn alert_fields_are_checked_and_derived() {
        let now = Timestamp::UNIX_EPOCH;
        let base = r#""source":"s","signal_type":"暴雨","title":"t""#;
        let ok = new_alert(&obj(&format!("{{{base},\"colour\":\"orange\"}}")), now).unwrap();
        assert_eq!(ok.alert.level, Level::II);
        assert_eq!(ok.alert.severity, "Severe");
        assert_eq!(ok.alert.sent, now);
        let purple = new_alert(&obj(&format!("{{{base},\"colour\":\"purple\"}}")), now);
        assert_eq!(field_of(purple), "colour");
        let mismatch = format!("{{{base},\"colour\":\"red\",\"level\":\"IV\"}}");
        assert_eq!(field_of(new_alert(&obj(&mismatch), now)), "level");
        let no_title = r#"{"source":"s","signal_type":"x","colour":"red"}"#;
        assert_eq!(field_of(new_alert(&obj(no_title), now)), "title");
        let update = format!("{{{base},\"colour\":\"red\",\"msg_type\":\"update\"}}");
        assert_eq!(field_of(new_alert(&obj(&update), now)), "references");
        let severity = format!("{{{base},\"colour\":\"red\",\"severity\":\"huge\"}}");
        assert_eq!(field_of(new_alert(&obj(&severity), now)), "severity");
    }

    #[test]
    fn long_and_odd_text_is_refused() {
        let long = format!("{{\"officer\":\"{}\"}}", "甲".repeat(MAX_NAME + 1));
        assert_eq!(field_of(ack(&obj(&long))), "officer");
        assert_eq!(field_of(ack(&obj(r#"{"officer":7}"#))), "officer");
        let key = r#"{"officer":"a","idempotency_key":"a b"}"#;
        assert_eq!(field_of(ack(&obj(key))), "idempotency_key");
    }
}
