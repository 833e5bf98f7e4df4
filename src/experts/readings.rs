//! How each character of a name or a field can be typed: its pinyin readings (every reading
//! of a heteronym), with the surname table deciding the readings of a name's surname.

use pinyin::ToPinyinMulti;
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::OnceLock;

const TABLE: &str = include_str!("surnames.toml");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TableFile {
    placeholders: Vec<String>,
    surnames: HashMap<String, Vec<String>>,
}

/// The parsed `surnames.toml`.
pub(crate) struct SurnameTable {
    /// Surname → alternatives, each one syllable per character.
    surnames: HashMap<String, Vec<Vec<String>>>,
    /// Longest surname in characters, so lookups try only as many prefixes as can match.
    longest: usize,
    placeholders: Vec<char>,
}

/// Parses and checks the table; the error names the file and the entry.
pub(crate) fn parse_table(text: &str) -> Result<SurnameTable, String> {
    let file: TableFile =
        toml::from_str(text).map_err(|e| format!("src/experts/surnames.toml: {e}"))?;
    let mut placeholders = Vec::new();
    for p in &file.placeholders {
        let mut chars = p.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) => placeholders.push(c),
            _ => {
                return Err(format!(
                    "src/experts/surnames.toml: placeholder {p:?} must be one character"
                ));
            }
        }
    }
    let mut surnames = HashMap::new();
    let mut longest = 0;
    for (surname, alternatives) in file.surnames {
        let n = surname.chars().count();
        let mut parsed = Vec::new();
        for alt in &alternatives {
            let syllables: Vec<String> = alt.split_whitespace().map(str::to_owned).collect();
            let ok = syllables.len() == n
                && syllables
                    .iter()
                    .all(|s| s.bytes().all(|b| b.is_ascii_lowercase()));
            if !ok {
                return Err(format!(
                    "src/experts/surnames.toml: {surname} = {alt:?}: need {n} syllable(s) of \
                     lowercase plain pinyin separated by spaces"
                ));
            }
            parsed.push(syllables);
        }
        if parsed.is_empty() || n == 0 {
            return Err(format!(
                "src/experts/surnames.toml: {surname:?} needs at least one reading"
            ));
        }
        longest = longest.max(n);
        surnames.insert(surname, parsed);
    }
    Ok(SurnameTable {
        surnames,
        longest,
        placeholders,
    })
}

/// The embedded table. A broken table is caught by this module's tests; at run time the search
/// then falls back to plain pinyin rather than refusing to start at 03:00.
pub(crate) fn table() -> &'static SurnameTable {
    static CELL: OnceLock<SurnameTable> = OnceLock::new();
    CELL.get_or_init(|| {
        parse_table(TABLE).unwrap_or_else(|_| SurnameTable {
            surnames: HashMap::new(),
            longest: 0,
            placeholders: vec!['某'],
        })
    })
}

impl SurnameTable {
    pub(crate) fn is_placeholder(&self, c: char) -> bool {
        self.placeholders.contains(&c)
    }

    /// The surname at the start of `chars` and its readings, one list per character. A
    /// compound surname counts only when a given name follows it (单于 alone is 单 + 于).
    pub(crate) fn surname_readings(&self, chars: &[char]) -> Option<Vec<Vec<&str>>> {
        for n in (1..=self.longest.min(chars.len())).rev() {
            if n > 1 && n == chars.len() {
                continue;
            }
            let key: String = chars.iter().take(n).collect();
            if let Some(alts) = self.surnames.get(&key) {
                let mut per_char: Vec<Vec<&str>> = vec![Vec::new(); n];
                for alt in alts {
                    for (i, s) in alt.iter().enumerate() {
                        if !per_char[i].contains(&s.as_str()) {
                            per_char[i].push(s.as_str());
                        }
                    }
                }
                return Some(per_char);
            }
        }
        None
    }
}

/// Every plain reading of `c`, as typed on a keyboard: ü as both v and u, ê as e. Returns how
/// many of them spell the first (everyday) reading.
pub(crate) fn char_readings(c: char, out: &mut Vec<String>) -> usize {
    let Some(multi) = c.to_pinyin_multi() else {
        return 0;
    };
    let mut everyday = 0;
    for (i, p) in multi.into_iter().enumerate() {
        let plain = p.plain();
        if plain.contains('ü') {
            push_unique(out, plain.replace('ü', "v"));
            push_unique(out, plain.replace('ü', "u"));
        } else {
            push_unique(out, plain.replace('ê', "e"));
        }
        if i == 0 {
            everyday = out.len();
        }
    }
    everyday
}

fn push_unique(out: &mut Vec<String>, s: String) {
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_lowercase()) && !out.contains(&s) {
        out.push(s);
    }
}

/// Folds a character for comparison: ASCII and full-width letters to lowercase ASCII.
pub(crate) fn fold(c: char) -> char {
    let c = match c {
        '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
        '\u{3000}' => ' ',
        c => c,
    };
    if c.is_ascii() {
        c.to_ascii_lowercase()
    } else {
        c.to_lowercase().next().unwrap_or(c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_table_parses() {
        let t = parse_table(TABLE).unwrap();
        assert!(t.is_placeholder('某'));
        let chars: Vec<char> = "单某东".chars().collect();
        assert_eq!(t.surname_readings(&chars), Some(vec![vec!["shan"]]));
        let chars: Vec<char> = "尉迟某恭".chars().collect();
        assert_eq!(
            t.surname_readings(&chars),
            Some(vec![vec!["yu"], vec!["chi"]])
        );
        let chars: Vec<char> = "张某伟".chars().collect();
        assert_eq!(t.surname_readings(&chars), None);
    }

    #[test]
    fn bad_tables_are_refused_with_the_entry() {
        let e = parse_table("placeholders = []\n[surnames]\n\"尉迟\" = [\"yuchi\"]\n")
            .err()
            .unwrap();
        assert!(e.contains("尉迟"), "{e}");
        let e = parse_table("placeholders = [\"某某\"]\n[surnames]\n")
            .err()
            .unwrap();
        assert!(e.contains("某某"), "{e}");
    }

    #[test]
    fn heteronyms_give_every_reading_and_u_umlaut_two_spellings() {
        let mut r = Vec::new();
        char_readings('单', &mut r);
        assert!(
            r.contains(&"dan".to_owned()) && r.contains(&"shan".to_owned()),
            "{r:?}"
        );
        let mut r = Vec::new();
        char_readings('吕', &mut r);
        assert!(
            r.contains(&"lv".to_owned()) && r.contains(&"lu".to_owned()),
            "{r:?}"
        );
    }

    #[test]
    fn full_width_letters_fold_to_ascii() {
        assert_eq!(fold('Ｚ'), 'z');
        assert_eq!(fold('W'), 'w');
        assert_eq!(fold('张'), '张');
    }
}
