//! List answers bounded in bytes as well as in count: a count alone lets a few large
//! records (a long description, a timeline of a thousand entries) build an answer of
//! hundreds of megabytes on the server and past the console's size cap. Bodies are stored
//! as the JSON the answer carries, so their lengths measure the answer.

use super::decode;
use crate::server::error::ApiResult;
use serde::de::DeserializeOwned;

/// About how many bytes of records one answer carries; well below the console's cap on a
/// response (10 MiB), so a page is always readable.
pub const ANSWER_BYTES: usize = 4 * 1024 * 1024;

/// What fitted, and whether more follows (ask again from the last item's cursor).
#[derive(Debug)]
pub struct Bounded<T> {
    pub items: Vec<T>,
    pub more: bool,
}

/// Keeps count of an answer's size. The first record always fits, so a page always moves
/// the cursor on, however large that record is.
#[derive(Debug)]
pub struct Budget {
    limit: usize,
    bytes: usize,
    count: usize,
    used: usize,
}

impl Budget {
    pub fn new(limit: usize, bytes: usize) -> Self {
        Budget {
            limit,
            bytes,
            count: 0,
            used: 0,
        }
    }

    /// Takes a record of `len` bytes if it fits; false when the answer is full.
    pub fn take(&mut self, len: usize) -> bool {
        if self.count >= self.limit || (self.count > 0 && self.used + len > self.bytes) {
            return false;
        }
        self.count += 1;
        self.used += len;
        true
    }
}

/// Decodes bodies, in the order given, while they fit. Ask for one row more than
/// `limit` so a full page knows whether more follows.
pub fn collect<T: DeserializeOwned>(
    bodies: impl Iterator<Item = rusqlite::Result<String>>,
    limit: usize,
    bytes: usize,
) -> ApiResult<Bounded<T>> {
    let mut budget = Budget::new(limit, bytes);
    let mut items = Vec::new();
    for body in bodies {
        let body = body?;
        if !budget.take(body.len()) {
            return Ok(Bounded { items, more: true });
        }
        items.push(decode(&body)?);
    }
    Ok(Bounded { items, more: false })
}

/// A page written straight from the stored bodies, in the order given, as the JSON of a
/// `Page` (`items`, `next_cursor`, `more`): no record is decoded and encoded again, so a
/// console fetching megabytes costs the server a copy, not a parse, and the work happens
/// on the reader's thread while it holds its connection — the pool of readers bounds it.
/// Each row is `(seq, body)`; the cursor is the last seq given, else `since`.
pub fn raw_page(
    rows: impl Iterator<Item = rusqlite::Result<(u64, String)>>,
    since: u64,
    limit: usize,
    bytes: usize,
) -> ApiResult<String> {
    let mut budget = Budget::new(limit, bytes);
    let mut json = String::from("{\"items\":[");
    let (mut next, mut more, mut first) = (since, false, true);
    for row in rows {
        let (seq, body) = row?;
        if !budget.take(body.len()) {
            more = true;
            break;
        }
        if !first {
            json.push(',');
        }
        json.push_str(&body);
        (next, first) = (seq, false);
    }
    json.push_str("],\"next_cursor\":\"");
    json.push_str(&next.to_string());
    json.push('"');
    if more {
        json.push_str(",\"more\":true");
    }
    json.push('}');
    Ok(json)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bodies(lens: &[usize]) -> impl Iterator<Item = rusqlite::Result<String>> + '_ {
        lens.iter()
            .map(|n| Ok(format!("\"{}\"", "x".repeat(n - 2))))
    }

    #[test]
    fn an_answer_stops_at_its_byte_budget_and_says_more_follows() {
        let got: Bounded<String> = collect(bodies(&[40, 40, 40]), 10, 100).unwrap();
        assert_eq!(got.items.len(), 2);
        assert!(got.more);
    }

    #[test]
    fn an_answer_stops_at_its_count() {
        let got: Bounded<String> = collect(bodies(&[4, 4, 4]), 2, 100).unwrap();
        assert_eq!(got.items.len(), 2);
        assert!(got.more);
        let all: Bounded<String> = collect(bodies(&[4, 4]), 2, 100).unwrap();
        assert!(!all.more);
    }

    #[test]
    fn a_raw_page_is_the_json_of_a_page_of_the_bodies() {
        let rows = [
            (3, r#"{"id":"a"}"#),
            (5, r#"{"id":"b"}"#),
            (9, r#"{"id":"c"}"#),
        ]
        .map(|(seq, body)| Ok((seq, body.to_owned())));
        let json = raw_page(rows.into_iter(), 1, 2, 1000).unwrap();
        let page: crate::model::Page<serde_json::Value> = serde_json::from_str(&json).unwrap();
        assert_eq!(
            page.items,
            [
                serde_json::json!({"id": "a"}),
                serde_json::json!({"id": "b"})
            ]
        );
        assert_eq!(page.next_cursor.as_deref(), Some("5"));
        assert!(page.more);
        let empty = raw_page(std::iter::empty(), 7, 2, 1000).unwrap();
        assert_eq!(empty, r#"{"items":[],"next_cursor":"7"}"#);
    }

    #[test]
    fn a_record_larger_than_the_budget_still_moves_the_page_on() {
        let got: Bounded<String> = collect(bodies(&[500, 4]), 10, 100).unwrap();
        assert_eq!(got.items.len(), 1);
        assert!(got.more);
    }
}
