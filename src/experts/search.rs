//! Ranking a query over the index: one call per keystroke.

use super::index::{ExpertIndex, Key};
use super::matcher::{self, Query};
use crate::model::{Expert, GroupRole};
use std::ops::Range;

/// Narrowing that applies before ranking. Domain and group are compared exactly (the view
/// passes names from its tree; the CLI resolves partial names first).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    pub domain: Option<String>,
    pub group: Option<String>,
    pub available_only: bool,
}

/// Why an expert is in the list, best first. Within a rank: higher `score`, then 组长, 副组长,
/// 成员, then available before unavailable, then directory order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rank {
    /// The query was empty: everyone the filters let through.
    Listed,
    /// The query spells the whole name (张伟, 张某伟, zhangwei, zhang mou wei, 张wei).
    Exact,
    /// The query spells the start of the name (zh, zhangw, zmw, 张w, 张mw).
    Prefix,
    /// The query spells a later part of the name (wei, 伟).
    Inside,
    /// A specialty (燃气, 深基坑, ranqi).
    Specialty,
    /// The professional group or the domain.
    Group,
    /// Organisation, district or title.
    Other,
    /// The query's letters in order, with gaps (zhagwei, zhangwi).
    Fuzzy,
}

/// Which field of the expert matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// Nothing matched (empty query).
    None,
    Name,
    /// The n-th entry of `specialties`.
    Specialty(usize),
    Group,
    Domain,
    Organisation,
    District,
    Title,
}

impl Field {
    /// The text of this field of `e` (None for `Field::None` or a missing specialty).
    pub fn text(self, e: &Expert) -> Option<&str> {
        match self {
            Field::None => None,
            Field::Name => Some(&e.name),
            Field::Specialty(i) => e.specialties.get(i).map(String::as_str),
            Field::Group => Some(&e.group),
            Field::Domain => Some(&e.domain),
            Field::Organisation => Some(&e.organisation),
            Field::District => Some(&e.district),
            Field::Title => Some(&e.title),
        }
    }
}

/// One expert in the result list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    /// Position of the expert in the slice the index was built from.
    pub index: usize,
    pub rank: Rank,
    /// Quality within the rank; higher is better.
    pub score: u16,
    /// The field that matched.
    pub field: Field,
    /// Matched characters of that field: bit i = the i-th character (chars, not bytes).
    pub mask: u64,
    /// Matched characters of the name, also when another field decided the rank (a query of
    /// several words: "张伟 燃气").
    pub name_mask: u64,
}

impl Hit {
    /// Byte ranges of the matched characters in the expert's name (empty unless the name
    /// matched). Ranges are into `expert.name` exactly as it is in the directory.
    pub fn name_ranges(&self, expert: &Expert) -> Vec<Range<usize>> {
        ranges(&expert.name, self.name_mask)
    }

    /// The matched field's text and the byte ranges of its matched characters.
    pub fn field_ranges<'e>(&self, expert: &'e Expert) -> Option<(&'e str, Vec<Range<usize>>)> {
        let text = self.field.text(expert)?;
        Some((text, ranges(text, self.mask)))
    }
}

/// Byte ranges in `text` of the characters whose bits are set in `mask`, adjacent characters
/// merged into one range.
pub fn ranges(text: &str, mask: u64) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    for (i, (at, c)) in text.char_indices().enumerate().take(64) {
        if mask & (1u64 << i) == 0 {
            continue;
        }
        let end = at + c.len_utf8();
        match out.last_mut() {
            Some(last) if last.end == at => last.end = end,
            _ => out.push(at..end),
        }
    }
    out
}

/// An expert matched by every word of a several-word query: ranked by its weakest word, the
/// name highlighted wherever a word matched it.
fn all_terms(index: usize, per_term: &[Vec<Option<Best>>]) -> Option<Hit> {
    if per_term.is_empty() {
        return None;
    }
    let mut worst: Option<Best> = None;
    let mut name_mask = 0u64;
    for term in per_term {
        let b = term[index]?;
        if b.field == Field::Name {
            name_mask |= b.mask;
        }
        let weaker = worst.is_none_or(|w| {
            (b.rank, std::cmp::Reverse(b.score)) > (w.rank, std::cmp::Reverse(w.score))
        });
        if weaker {
            worst = Some(b);
        }
    }
    worst.map(|w| Hit {
        index,
        rank: w.rank,
        score: w.score,
        field: w.field,
        mask: w.mask,
        name_mask,
    })
}

/// What the previous search matched, to narrow the next keystroke's search.
pub(crate) struct Narrowing {
    chars: Vec<char>,
    all_han: bool,
    filters: Filters,
    /// Entry indices, ascending.
    candidates: Vec<u32>,
}

/// How a field value matched, computed once per distinct value per keystroke.
#[derive(Clone, Copy)]
struct FieldFound {
    /// 3 the whole value, 2 its start, 1 inside it; 0 only fuzzily.
    quality: u8,
    fuzzy: u16,
    mask: u64,
}

#[derive(Clone, Copy)]
struct Best {
    rank: Rank,
    score: u16,
    field: Field,
    mask: u64,
}

impl Best {
    fn offer(slot: &mut Option<Best>, b: Best) {
        let better = match slot {
            None => true,
            Some(cur) => {
                (b.rank, std::cmp::Reverse(b.score)) < (cur.rank, std::cmp::Reverse(cur.score))
            }
        };
        if better {
            *slot = Some(b);
        }
    }
}

impl ExpertIndex {
    /// Ranks every expert that matches `query` and passes `filters`, best first. An empty
    /// query lists everyone the filters let through, in the tie order.
    pub fn search(&self, query: &str, filters: &Filters) -> Vec<Hit> {
        let q = Query::parse(query);
        let lookup = |v: &Option<String>| -> Option<Option<u32>> {
            v.as_ref().map(|s| self.field_ids.get(s.trim()).copied())
        };
        let (domain, group) = (lookup(&filters.domain), lookup(&filters.group));
        // A filter naming something nobody belongs to lets nobody through.
        if matches!(domain, Some(None)) || matches!(group, Some(None)) {
            return Vec::new();
        }
        let passes = |e: &super::index::Entry| {
            domain.is_none_or(|d| d == Some(e.domain))
                && group.is_none_or(|g| g == Some(e.group))
                && (!filters.available_only || e.available)
        };
        let mut hits = Vec::new();
        if q.is_empty() {
            for (index, e) in self.entries.iter().enumerate() {
                if passes(e) {
                    hits.push(Hit {
                        index,
                        rank: Rank::Listed,
                        score: 0,
                        field: Field::None,
                        mask: 0,
                        name_mask: 0,
                    });
                }
            }
        } else {
            // "张伟 危化品": when the query as one piece does not match, every word must match
            // something (the name, a specialty, the group …).
            let terms: Vec<Query> = query
                .split_whitespace()
                .map(Query::parse)
                .filter(|t| !t.is_empty())
                .collect();
            let to_hit = |index: usize, b: Best| Hit {
                index,
                rank: b.rank,
                score: b.score,
                field: b.field,
                mask: b.mask,
                name_mask: if b.field == Field::Name { b.mask } else { 0 },
            };
            if terms.len() < 2 {
                let previous = self.narrowing(&q, filters, query);
                self.each_match(&q, &passes, previous.as_deref(), |index, b| {
                    hits.push(to_hit(index, b))
                });
                self.remember(&q, filters, query, &hits);
            } else {
                let mut whole = vec![None; self.entries.len()];
                self.each_match(&q, &passes, None, |index, b| whole[index] = Some(b));
                let per_term: Vec<Vec<Option<Best>>> = terms
                    .iter()
                    .map(|t| {
                        let mut v = vec![None; self.entries.len()];
                        self.each_match(t, &passes, None, |index, b| v[index] = Some(b));
                        v
                    })
                    .collect();
                for (index, best) in whole.iter().enumerate() {
                    if let Some(b) = best {
                        hits.push(to_hit(index, *b));
                    } else if let Some(hit) = all_terms(index, &per_term) {
                        hits.push(hit);
                    }
                }
            }
        }
        // Sort 16-byte (key, position) pairs rather than whole hits, each key computed once.
        let mut order: Vec<(u64, u32)> = hits
            .iter()
            .enumerate()
            .map(|(i, h)| (self.order(h), i as u32))
            .collect();
        order.sort_unstable();
        order.into_iter().map(|(_, i)| hits[i as usize]).collect()
    }

    /// The experts the previous query matched, when they are all the new query can match:
    /// the officer typed one more character. Every way of matching is monotone (what matches
    /// "zhangw" matches "zhang"), except where a rule starts at a length — fields and fuzzy
    /// matching need three letters — so the previous query must be past those lengths, and
    /// queries of several words are not narrowed at all.
    fn narrowing(&self, q: &Query, filters: &Filters, raw: &str) -> Option<Vec<u32>> {
        if raw.trim().contains(char::is_whitespace) {
            return None;
        }
        let mut last = self.last.lock().ok()?;
        let prev = last.take()?;
        let usable = prev.filters == *filters
            && (prev.all_han || prev.chars.len() >= 3)
            && q.chars.len() > prev.chars.len()
            && q.chars.starts_with(&prev.chars);
        usable.then_some(prev.candidates)
    }

    fn remember(&self, q: &Query, filters: &Filters, raw: &str, hits: &[Hit]) {
        if let Ok(mut last) = self.last.lock() {
            *last = (!raw.trim().contains(char::is_whitespace)).then(|| Narrowing {
                chars: q.chars.clone(),
                all_han: q.all_han,
                filters: filters.clone(),
                candidates: hits.iter().map(|h| h.index as u32).collect(),
            });
        }
    }

    /// Calls `found`, in directory order, with the best match of `q` for every expert that
    /// matches and passes (among `only`, when given).
    fn each_match(
        &self,
        q: &Query,
        passes: &dyn Fn(&super::index::Entry) -> bool,
        only: Option<&[u32]>,
        mut found: impl FnMut(usize, Best),
    ) {
        let fields: Vec<Option<FieldFound>> =
            self.fields.iter().map(|k| self.match_field(k, q)).collect();
        let any_field = fields.iter().any(Option::is_some);
        // Names are matched once each (two 张某伟 share one key), and only when the query's
        // characters all occur in them.
        let mut names: Vec<Option<Option<Best>>> = vec![None; self.names.len()];
        let mut visit = |index: usize| {
            let e = &self.entries[index];
            if !passes(e) {
                return;
            }
            let n = e.name as usize;
            let mut best = if q.signature & !self.name_signatures[n] != 0 {
                None
            } else {
                *names[n].get_or_insert_with(|| self.match_name(&self.names[n], q))
            };
            // Fields rank from Specialty down: only a field can beat a weaker name match.
            if any_field && best.is_none_or(|b| b.rank > Rank::Specialty) {
                self.offer_fields(e, &fields, &mut best);
            }
            if let Some(b) = best {
                found(index, b);
            }
        };
        match only {
            Some(candidates) => candidates.iter().for_each(|i| visit(*i as usize)),
            None => (0..self.entries.len()).for_each(&mut visit),
        }
    }

    fn order(&self, h: &Hit) -> u64 {
        let e = &self.entries[h.index];
        let role = match e.role {
            GroupRole::Leader => 0u64,
            GroupRole::Deputy => 1,
            GroupRole::Member => 2,
        };
        (h.rank as u64) << 56
            | u64::from(u16::MAX - h.score) << 40
            | role << 38
            | u64::from(!e.available) << 37
            | (h.index as u64 & 0xffff_ffff)
    }

    fn match_name(&self, key: &Key, q: &Query) -> Option<Best> {
        if let Some((start, f)) = matcher::match_anywhere(key, &self.syllables, q, true) {
            let rank = match (start, f.exact) {
                (0, true) => Rank::Exact,
                (0, false) => Rank::Prefix,
                _ => Rank::Inside,
            };
            return Some(Best {
                rank,
                score: f.full as u16,
                field: Field::Name,
                mask: f.mask,
            });
        }
        matcher::fuzzy(key, &self.syllables, q).map(|(score, mask)| Best {
            rank: Rank::Fuzzy,
            score,
            field: Field::Name,
            mask,
        })
    }

    fn match_field(&self, key: &Key, q: &Query) -> Option<FieldFound> {
        // One or two typed letters are the start of a name: in fields they would match a
        // syllable of nearly every organisation (测试市 shi, 示例 li).
        if q.chars.len() < 3 && !q.all_han {
            return None;
        }
        if let Some((start, f)) = matcher::match_anywhere(key, &self.syllables, q, false) {
            let quality = match (start, f.exact) {
                (0, true) => 3,
                (0, false) => 2,
                _ => 1,
            };
            return Some(FieldFound {
                quality,
                fuzzy: 0,
                mask: f.mask,
            });
        }
        // Fuzzy over fields only in characters (危品 → 危化品); letters with gaps over every
        // field would bury the list in noise.
        if q.all_han {
            return matcher::fuzzy(key, &self.syllables, q).map(|(score, mask)| FieldFound {
                quality: 0,
                fuzzy: score / 2,
                mask,
            });
        }
        None
    }

    fn offer_fields(
        &self,
        e: &super::index::Entry,
        fields: &[Option<FieldFound>],
        best: &mut Option<Best>,
    ) {
        let mut offer = |id: u32, rank: Rank, field: Field| {
            if let Some(f) = fields[id as usize] {
                let (rank, score) = if f.quality == 0 {
                    (Rank::Fuzzy, f.fuzzy)
                } else {
                    (rank, u16::from(f.quality))
                };
                Best::offer(
                    best,
                    Best {
                        rank,
                        score,
                        field,
                        mask: f.mask,
                    },
                );
            }
        };
        for (i, id) in self.entry_specialties(e).iter().enumerate() {
            offer(*id, Rank::Specialty, Field::Specialty(i));
        }
        offer(e.group, Rank::Group, Field::Group);
        offer(e.domain, Rank::Group, Field::Domain);
        offer(e.organisation, Rank::Other, Field::Organisation);
        offer(e.district, Rank::Other, Field::District);
        offer(e.title, Rank::Other, Field::Title);
    }
}
