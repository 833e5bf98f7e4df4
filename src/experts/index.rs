//! The search index: everything a keystroke needs, computed once when the directory arrives.
//!
//! Names and field values (specialties, groups, organisations …) are interned: a pool of
//! 100,000 experts has far fewer distinct values than people, and each distinct value is
//! matched once per keystroke, not once per expert.

use super::readings::{self, SurnameTable};
use super::search::Narrowing;
use crate::model::{Expert, GroupRole};
use std::collections::HashMap;
use std::sync::Mutex;

/// Positions past this are neither matched nor highlighted (masks are `u64`).
pub(crate) const MAX_POSITIONS: usize = 64;

/// One interned string, ready for matching: per character its folded form, whether it may be
/// left out (某 in 张某伟), and its readings as ids into the syllable pool.
pub(crate) struct Key {
    pub(crate) chars: Box<[char]>,
    pub(crate) skippable: u64,
    /// Per position, a range into `ids`; the first reading is the one fuzzy matching uses.
    pub(crate) spans: Box<[(u32, u32)]>,
    pub(crate) ids: Box<[u32]>,
    /// Every letter of every reading and every character, as a bit set (see `signature`): a
    /// query with a letter or character outside it cannot match, which rules out most keys
    /// with one AND.
    pub(crate) signature: u64,
}

/// Bit for one character: a–z have their own bits, anything else shares the other 38 by hash.
pub(crate) fn signature_bit(c: char) -> u64 {
    if c.is_ascii_lowercase() {
        1u64 << (c as u32 - 'a' as u32)
    } else {
        1u64 << (26 + (c as u32).wrapping_mul(2_654_435_761) % 38)
    }
}

impl Key {
    pub(crate) fn len(&self) -> usize {
        self.chars.len()
    }

    pub(crate) fn readings(&self, pos: usize) -> &[u32] {
        let (a, b) = self.spans[pos];
        &self.ids[a as usize..b as usize]
    }

    pub(crate) fn is_skippable(&self, pos: usize) -> bool {
        self.skippable & (1u64 << pos) != 0
    }
}

/// Per expert: ids of the interned values, and what the tie order needs.
pub(crate) struct Entry {
    pub(crate) name: u32,
    pub(crate) domain: u32,
    pub(crate) group: u32,
    pub(crate) organisation: u32,
    pub(crate) district: u32,
    pub(crate) title: u32,
    /// Range into `ExpertIndex::specialties`.
    pub(crate) specialties: (u32, u32),
    pub(crate) role: GroupRole,
    pub(crate) available: bool,
}

/// A search index over a slice of experts. Hits refer to experts by their position in that
/// slice, so keep the slice (the directory's `items`) beside the index, unchanged.
pub struct ExpertIndex {
    /// Syllables as ASCII bytes ("zhang"), shared by every key.
    pub(crate) syllables: Vec<Box<[u8]>>,
    pub(crate) names: Vec<Key>,
    /// `names[i].signature`, kept dense: the first test of every keystroke reads all of them.
    pub(crate) name_signatures: Vec<u64>,
    pub(crate) fields: Vec<Key>,
    pub(crate) field_ids: HashMap<String, u32>,
    pub(crate) entries: Vec<Entry>,
    pub(crate) specialties: Vec<u32>,
    /// The previous search's matches: typing one more character searches only those.
    pub(crate) last: Mutex<Option<Narrowing>>,
}

impl ExpertIndex {
    pub fn new(experts: &[Expert]) -> Self {
        let mut b = Builder {
            table: readings::table(),
            syllable_ids: HashMap::new(),
            syllables: Vec::new(),
            names: Vec::new(),
            name_ids: HashMap::new(),
            fields: Vec::new(),
            field_ids: HashMap::new(),
            scratch: Vec::new(),
        };
        let mut entries = Vec::with_capacity(experts.len());
        let mut specialties = Vec::new();
        for e in experts {
            let name = b.name(&e.name);
            let start = specialties.len() as u32;
            for s in &e.specialties {
                specialties.push(b.field(s));
            }
            entries.push(Entry {
                name,
                domain: b.field(&e.domain),
                group: b.field(&e.group),
                organisation: b.field(&e.organisation),
                district: b.field(&e.district),
                title: b.field(&e.title),
                specialties: (start, specialties.len() as u32),
                role: e.role,
                available: e.available,
            });
        }
        ExpertIndex {
            syllables: b.syllables,
            name_signatures: b.names.iter().map(|k| k.signature).collect(),
            names: b.names,
            fields: b.fields,
            field_ids: b.field_ids,
            entries,
            specialties,
            last: Mutex::new(None),
        }
    }

    /// How many experts the index was built from.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub(crate) fn entry_specialties(&self, e: &Entry) -> &[u32] {
        &self.specialties[e.specialties.0 as usize..e.specialties.1 as usize]
    }
}

struct Builder {
    table: &'static SurnameTable,
    syllable_ids: HashMap<String, u32>,
    syllables: Vec<Box<[u8]>>,
    names: Vec<Key>,
    name_ids: HashMap<String, u32>,
    fields: Vec<Key>,
    field_ids: HashMap<String, u32>,
    scratch: Vec<String>,
}

impl Builder {
    fn name(&mut self, s: &str) -> u32 {
        if let Some(id) = self.name_ids.get(s) {
            return *id;
        }
        let key = self.key(s, true);
        let id = self.names.len() as u32;
        self.names.push(key);
        self.name_ids.insert(s.to_owned(), id);
        id
    }

    fn field(&mut self, s: &str) -> u32 {
        if let Some(id) = self.field_ids.get(s) {
            return *id;
        }
        let key = self.key(s, false);
        let id = self.fields.len() as u32;
        self.fields.push(key);
        self.field_ids.insert(s.to_owned(), id);
        id
    }

    fn syllable(&mut self, s: &str) -> u32 {
        if let Some(id) = self.syllable_ids.get(s) {
            return *id;
        }
        let id = self.syllables.len() as u32;
        self.syllables.push(s.as_bytes().into());
        self.syllable_ids.insert(s.to_owned(), id);
        id
    }

    fn key(&mut self, s: &str, is_name: bool) -> Key {
        let raw: Vec<char> = s.chars().take(MAX_POSITIONS).collect();
        let surname = if is_name {
            self.table.surname_readings(&raw)
        } else {
            None
        };
        let mut skippable = 0u64;
        let mut spans = Vec::with_capacity(raw.len());
        let mut ids = Vec::new();
        for (pos, &c) in raw.iter().enumerate() {
            if self.table.is_placeholder(c) || c.is_whitespace() {
                skippable |= 1u64 << pos;
            }
            let start = ids.len() as u32;
            match surname.as_ref().and_then(|s| s.get(pos)) {
                // A surname's table readings replace its everyday ones.
                Some(table_readings) => {
                    for r in table_readings {
                        ids.push(self.syllable(r));
                    }
                }
                None => {
                    let mut scratch = std::mem::take(&mut self.scratch);
                    scratch.clear();
                    let everyday = readings::char_readings(c, &mut scratch);
                    // Given names keep every reading of a heteronym (乐 lè/yuè, 朝 zhāo/cháo).
                    // A surname missing from the table is read the everyday way: the pinyin
                    // data also lists archaic readings (邓 shān), which would put every 邓 among
                    // the answers to "shan". Field words are read the everyday way too: 区 (ōu)
                    // would make "ou" match every district.
                    let keep = if is_name && pos > 0 {
                        scratch.len()
                    } else {
                        everyday
                    };
                    for r in scratch.iter().take(keep) {
                        ids.push(self.syllable(r));
                    }
                    self.scratch = scratch;
                }
            }
            spans.push((start, ids.len() as u32));
        }
        let chars: Box<[char]> = raw.into_iter().map(readings::fold).collect();
        let mut signature = chars.iter().fold(0, |sig, c| sig | signature_bit(*c));
        for id in &ids {
            for b in self.syllables[*id as usize].iter() {
                signature |= signature_bit(char::from(*b));
            }
        }
        Key {
            chars,
            signature,
            skippable,
            spans: spans.into(),
            ids: ids.into(),
        }
    }
}
