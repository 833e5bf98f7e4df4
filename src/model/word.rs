//! Short words that many alerts repeat (the source, the signal, the CAP severity, urgency,
//! certainty and status words, the sender, the console source), held once and shared.
//!
//! A wall of 100,000 alerts holds a few dozen distinct words in each of these fields, so
//! each alert keeps only a pointer (8 bytes) to a shared copy instead of a 24-byte inline
//! string per field. Words are interned in one process-wide table: equal words are one
//! allocation. The table forgets words no alert holds any more when it has doubled since it
//! last looked, so a feed that keeps inventing words cannot grow it without bound.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Borrow;
use std::collections::HashSet;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, LazyLock, Mutex};

/// A shared, immutable short string; the empty word holds nothing.
#[derive(Clone, Default)]
pub struct Word(Option<Arc<Box<str>>>);

/// The table's entry, looked up by its text.
struct Entry(Arc<Box<str>>);

impl Borrow<str> for Entry {
    fn borrow(&self) -> &str {
        &self.0
    }
}
impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        **self.0 == **other.0
    }
}
impl Eq for Entry {}
impl Hash for Entry {
    fn hash<H: Hasher>(&self, h: &mut H) {
        (**self.0).hash(h)
    }
}

struct Table {
    words: HashSet<Entry>,
    /// Size at which the table next drops words nobody holds.
    sweep_at: usize,
}

const FIRST_SWEEP: usize = 4096;

static TABLE: LazyLock<Mutex<Table>> = LazyLock::new(|| {
    Mutex::new(Table {
        words: HashSet::new(),
        sweep_at: FIRST_SWEEP,
    })
});

impl Word {
    pub const fn new() -> Word {
        Word(None)
    }

    /// The shared copy of `s`, made if this is its first use.
    pub fn intern(s: &str) -> Word {
        if s.is_empty() {
            return Word(None);
        }
        // A poisoned table is still a consistent set of words: nothing panics while
        // holding the lock in a way that leaves it half-changed.
        let mut t = TABLE.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(e) = t.words.get(s) {
            return Word(Some(e.0.clone()));
        }
        if t.words.len() >= t.sweep_at {
            t.words.retain(|e| Arc::strong_count(&e.0) > 1);
            t.sweep_at = (t.words.len() * 2).max(FIRST_SWEEP);
        }
        let shared = Arc::new(Box::<str>::from(s));
        t.words.insert(Entry(shared.clone()));
        Word(Some(shared))
    }

    pub fn as_str(&self) -> &str {
        self.0.as_deref().map_or("", |b| b)
    }
}

impl std::ops::Deref for Word {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Word {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for Word {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq for Word {
    fn eq(&self, other: &Word) -> bool {
        match (&self.0, &other.0) {
            (Some(a), Some(b)) if Arc::ptr_eq(a, b) => true,
            _ => self.as_str() == other.as_str(),
        }
    }
}
impl Eq for Word {}

impl PartialEq<str> for Word {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}
impl PartialEq<&str> for Word {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}
impl PartialEq<String> for Word {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}
impl PartialEq<Word> for str {
    fn eq(&self, other: &Word) -> bool {
        self == other.as_str()
    }
}
impl PartialEq<Word> for &str {
    fn eq(&self, other: &Word) -> bool {
        *self == other.as_str()
    }
}

impl PartialOrd for Word {
    fn partial_cmp(&self, other: &Word) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Word {
    fn cmp(&self, other: &Word) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl Hash for Word {
    fn hash<H: Hasher>(&self, h: &mut H) {
        self.as_str().hash(h)
    }
}

impl fmt::Debug for Word {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Word {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl From<&str> for Word {
    fn from(s: &str) -> Word {
        Word::intern(s)
    }
}
impl From<&String> for Word {
    fn from(s: &String) -> Word {
        Word::intern(s)
    }
}
impl From<String> for Word {
    fn from(s: String) -> Word {
        Word::intern(&s)
    }
}
impl From<std::borrow::Cow<'_, str>> for Word {
    fn from(s: std::borrow::Cow<'_, str>) -> Word {
        Word::intern(&s)
    }
}
impl From<Word> for String {
    fn from(w: Word) -> String {
        w.as_str().to_owned()
    }
}

impl Serialize for Word {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Word {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Word, D::Error> {
        struct Visit;
        impl serde::de::Visitor<'_> for Visit {
            type Value = Word;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            // Borrowed or not, the text is only looked up: no copy unless it is new.
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Word, E> {
                Ok(Word::intern(v))
            }
        }
        d.deserialize_str(Visit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_words_share_one_copy() {
        let a = Word::from("Severe-test-word");
        let b = Word::from(String::from("Severe-test-word"));
        let (Some(x), Some(y)) = (&a.0, &b.0) else {
            panic!("non-empty words hold their text")
        };
        assert!(Arc::ptr_eq(x, y));
        assert_eq!(a, b);
        assert_eq!(a, "Severe-test-word");
    }

    #[test]
    fn the_empty_word_holds_nothing_and_reads_empty() {
        let w = Word::from("");
        assert!(w.0.is_none());
        assert!(w.is_empty());
        assert_eq!(w, Word::default());
        assert_eq!(serde_json::to_string(&w).unwrap(), "\"\"");
    }

    #[test]
    fn words_nobody_holds_are_forgotten_when_the_table_sweeps() {
        let kept = Word::from("kept-across-sweep");
        for n in 0..(FIRST_SWEEP * 3) {
            drop(Word::from(format!("passing-word-{n}").as_str()));
        }
        let t = TABLE.lock().unwrap();
        assert!(
            t.words.len() < FIRST_SWEEP * 2,
            "{} words held",
            t.words.len()
        );
        assert!(t.words.contains("kept-across-sweep"));
        drop(t);
        assert_eq!(kept, Word::from("kept-across-sweep"));
    }

    #[test]
    fn round_trips_through_json_as_a_plain_string() {
        let w: Word = serde_json::from_str("\"台风\\u0020\"").unwrap();
        assert_eq!(w, "台风 ");
        assert_eq!(serde_json::to_string(&w).unwrap(), "\"台风 \"");
    }
}
