//! Matching a typed query against one interned key, position by position.
//!
//! At each character of the key the query may continue with: the character itself (张), a
//! full reading (zhang), an abbreviation (z, or zh/ch/sh) — or, at the end of the query, any
//! beginning of a reading, because the officer is still typing. Placeholders (某) may be
//! spelled or left out. Names are 2–4 characters, so a small depth-first search is cheap.

use super::index::{Key, MAX_POSITIONS, signature_bit};
use super::readings::{fold, table};
use unicode_normalization::UnicodeNormalization;

/// A query, folded once per keystroke.
pub(crate) struct Query {
    pub(crate) chars: Vec<char>,
    /// The query's characters as a bit set, placeholders left out (see `Key::signature`).
    pub(crate) signature: u64,
    /// Positions holding a placeholder (张*伟): they stand for any one character.
    pub(crate) wild: u64,
    pub(crate) all_han: bool,
}

impl Query {
    pub(crate) fn parse(text: &str) -> Query {
        let t = table();
        let mut chars = Vec::new();
        let mut wild = 0u64;
        for c in text.nfc().map(fold) {
            // Spaces and syllable separators (xi'an) only help a human read the query.
            if c.is_whitespace() || c == '\'' || c == '’' || c.is_control() {
                continue;
            }
            if chars.len() == MAX_POSITIONS {
                break;
            }
            if t.is_placeholder(c) {
                wild |= 1u64 << chars.len();
            }
            chars.push(c);
        }
        let all_han = !chars.is_empty() && chars.iter().all(|c| !c.is_ascii());
        let signature = chars
            .iter()
            .enumerate()
            .filter(|(j, _)| wild & (1u64 << j) == 0)
            .fold(0, |sig, (_, c)| sig | signature_bit(*c));
        Query {
            chars,
            signature,
            wild,
            all_han,
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.chars.is_empty()
    }

    /// False when some character of the query occurs nowhere in the key.
    pub(crate) fn could_match(&self, key: &Key) -> bool {
        self.signature & !key.signature == 0
    }

    fn is_wild(&self, j: usize) -> bool {
        self.wild & (1u64 << j) != 0
    }
}

/// Where and how well a query matched a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Found {
    /// The whole key was spelled: every position by its character or a full reading.
    pub(crate) exact: bool,
    /// Positions spelled by character or full reading (not abbreviated).
    pub(crate) full: u32,
    /// Positions of the key the query used.
    pub(crate) mask: u64,
}

impl Found {
    fn better_than(&self, other: &Found) -> bool {
        (self.exact, self.full) > (other.exact, other.full)
    }
}

/// A bound on search steps per key: ordinary keys need a few dozen; a hostile one (a field of
/// 64 heteronyms and a long query) must not cost a keystroke its budget.
const STEP_BUDGET: u32 = 4_000;

struct Walk<'a> {
    key: &'a Key,
    syllables: &'a [Box<[u8]>],
    q: &'a Query,
    abbreviate: bool,
    best: Option<Found>,
    steps: u32,
}

/// Matches the whole query against `key` starting at position `start`. Abbreviations (zmw)
/// are for names; in fields they would let "zha" match 灾害 as z + ha.
pub(crate) fn match_at(
    key: &Key,
    syllables: &[Box<[u8]>],
    q: &Query,
    start: usize,
    abbreviate: bool,
) -> Option<Found> {
    let mut w = Walk {
        key,
        syllables,
        q,
        abbreviate,
        best: None,
        steps: 0,
    };
    w.go(start, 0, 0, 0, true);
    w.best
}

impl Walk<'_> {
    /// Returns true to stop the search (an exact match was found, or the budget is spent).
    fn go(&mut self, k: usize, j: usize, mask: u64, full: u32, all_full: bool) -> bool {
        self.steps += 1;
        if self.steps > STEP_BUDGET {
            return true;
        }
        let q = &self.q.chars;
        let n = self.key.len();
        if j == q.len() {
            let rest = if k >= 64 { 0 } else { !0u64 << k } & low_bits(n);
            let exact = all_full && self.key.skippable & rest == rest && mask & 1 != 0;
            let found = Found { exact, full, mask };
            if self.best.is_none_or(|b| found.better_than(&b)) {
                self.best = Some(found);
            }
            return exact;
        }
        if k == n {
            return false;
        }
        let bit = 1u64 << k;
        let qc = q[j];
        if self.key.is_skippable(k) && self.go(k + 1, j, mask, full, all_full) {
            return true;
        }
        if (qc == self.key.chars[k] || self.q.is_wild(j))
            && self.go(k + 1, j + 1, mask | bit, full + 1, all_full)
        {
            return true;
        }
        if !qc.is_ascii_lowercase() {
            return false;
        }
        let rest = &q[j..];
        for &id in self.key.readings(k) {
            let r: &[u8] = &self.syllables[id as usize];
            let l = common_prefix(r, rest);
            if l == 0 {
                continue;
            }
            let at_end = l == rest.len();
            if l == r.len() {
                if self.go(k + 1, j + l, mask | bit, full + 1, all_full) {
                    return true;
                }
            } else if at_end && self.go(k + 1, j + l, mask | bit, full, false) {
                return true;
            }
            if !self.abbreviate {
                continue;
            }
            // Abbreviations in the middle of a query: the initial letter, or zh/ch/sh.
            for a in [1, 2] {
                let tried = a == l && (l == r.len() || at_end);
                let shape = a == 1 || matches!(r, [b'z' | b'c' | b's', b'h', ..]);
                if a <= l
                    && a < r.len()
                    && !tried
                    && shape
                    && j + a < q.len()
                    && self.go(k + 1, j + a, mask | bit, full, false)
                {
                    return true;
                }
            }
        }
        false
    }
}

fn low_bits(n: usize) -> u64 {
    if n >= 64 { !0 } else { (1u64 << n) - 1 }
}

fn common_prefix(r: &[u8], q: &[char]) -> usize {
    r.iter()
        .zip(q)
        .take_while(|(b, c)| char::from(**b) == **c)
        .count()
}

/// The best match of the query anywhere in the key: `(start, found)`, preferring a match that
/// starts at the first position, then an exact one, then more full readings.
pub(crate) fn match_anywhere(
    key: &Key,
    syllables: &[Box<[u8]>],
    q: &Query,
    abbreviate: bool,
) -> Option<(usize, Found)> {
    if !q.could_match(key) {
        return None;
    }
    let mut best: Option<(usize, Found)> = None;
    for start in 0..key.len() {
        if key.is_skippable(start) {
            continue;
        }
        // Cheap first-character test before the walk: most keys fail here.
        let qc = q.chars[0];
        let can_start = qc == key.chars[start]
            || q.is_wild(0)
            || (qc.is_ascii_lowercase()
                && key
                    .readings(start)
                    .iter()
                    .any(|id| syllables[*id as usize].first().map(|b| char::from(*b)) == Some(qc)));
        if !can_start {
            continue;
        }
        if let Some(f) = match_at(key, syllables, q, start, abbreviate) {
            let take = match &best {
                None => true,
                Some((bs, bf)) => *bs != 0 && (start == 0 || f.better_than(bf)),
            };
            if take {
                best = Some((start, f));
            }
            if start == 0 && f.exact {
                break;
            }
        }
    }
    best
}

/// A fuzzy match: the query's letters in order within the key's first readings (or its
/// characters), the first one at the start of a syllable. Returns a score (higher is better)
/// and the positions used.
pub(crate) fn fuzzy(key: &Key, syllables: &[Box<[u8]>], q: &Query) -> Option<(u16, u64)> {
    // Two letters with a gap between them match most names: fuzzy needs three, or two
    // characters (危品).
    let min = if q.all_han { 2 } else { 3 };
    if q.chars.len() < min || !q.could_match(key) {
        return None;
    }
    let n = key.len();
    let reading = |k: usize| -> &[u8] {
        key.readings(k)
            .first()
            .map_or(&[][..], |id| &syllables[*id as usize][..])
    };
    let q0 = q.chars[0];
    let start = (0..n).find(|&k| {
        !key.is_skippable(k)
            && (key.chars[k] == q0 || (q0.is_ascii() && reading(k).first() == Some(&(q0 as u8))))
    })?;
    let (mut k, mut o) = (start, 0usize);
    let mut mask = 0u64;
    let mut breaks = 0u16;
    // The previous match: position, the offset just after it, whether it ended its syllable.
    let mut last: Option<(usize, usize, bool)> = None;
    for &qc in &q.chars {
        let mut hit = None;
        while k < n {
            if o == 0 && key.chars[k] == qc {
                hit = Some((k, 0, true));
                k += 1;
                break;
            }
            let r = reading(k);
            let found = if qc.is_ascii() {
                r.get(o..)
                    .and_then(|s| s.iter().position(|b| char::from(*b) == qc))
            } else {
                None
            };
            if let Some(p) = found {
                let at = o + p;
                o = at + 1;
                let ended = o >= r.len();
                hit = Some((k, at, ended));
                if ended {
                    k += 1;
                    o = 0;
                }
                break;
            }
            k += 1;
            o = 0;
        }
        let (hk, at, ended) = hit?;
        if let Some((pk, next, pended)) = last {
            // A run continues into the next syllable, or over a 某 nobody typed.
            let adjacent = if hk == pk {
                at == next
            } else {
                pended && at == 0 && (pk + 1..hk).all(|i| key.is_skippable(i))
            };
            if !adjacent {
                breaks += 1;
            }
        }
        last = Some((hk, at + 1, ended));
        mask |= 1u64 << hk;
    }
    let penalty = breaks.saturating_mul(15) + if start > 0 { 10 } else { 0 };
    Some((100u16.saturating_sub(penalty).max(1), mask))
}
