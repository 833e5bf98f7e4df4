//! The texts the console shows, one catalogue per language (`words/*.toml`, embedded).
//!
//! Drawing code asks for a text by key: `lang.t("status.sources")` for a plain text,
//! `lang.f("status.offline", &[("since", &since), ("why", &why)])` for one with
//! placeholders, `lang.n(key, count, &[])` for one that reads differently
//! by count (`{n}` is the count). Keys are string literals so that a test can find them
//! all in the source. The files are parsed and checked once, at start; a lookup is one hash
//! of the key and an index, and a plain text is borrowed from the catalogue.
//!
//! A language file may also hold `[values]`: how the duty room's Chinese words that come
//! as data (timeline kinds, report labels) read in that language (see `app::words`).

use crate::app::Lang;
use std::collections::{BTreeSet, HashMap};
use std::fmt::{self, Display, Write as _};
use std::sync::OnceLock;

/// The languages, in `Lang`'s order: code, file name in `words/`, text. The first is the
/// reference: every other file must have exactly its keys, with the same placeholders.
const FILES: [(&str, &str, &str); 2] = [
    ("zh", "zh-CN.toml", include_str!("../words/zh-CN.toml")),
    ("en", "en.toml", include_str!("../words/en.toml")),
];

/// A table holding this key is a text that reads differently by count, not a group.
const PLURAL_OTHER: &str = "other";

static CATALOGUES: OnceLock<Catalogues> = OnceLock::new();

/// Parse and check the embedded catalogues, so that a broken file stops the start with
/// what is wrong, and no frame ever parses.
pub fn load() -> Result<(), Errors> {
    if CATALOGUES.get().is_none() {
        let c = Catalogues::parse(&FILES)?;
        // Another thread may have won: the files are compiled in, so it read the same.
        let _ = CATALOGUES.set(c);
    }
    Ok(())
}

fn catalogues() -> &'static Catalogues {
    // Only code that skipped `load` (a test, a tool) gets here first; the files are
    // compiled in and checked by the unit tests below, so this cannot fail for them.
    CATALOGUES.get_or_init(|| Catalogues::parse(&FILES).unwrap_or_else(|e| panic!("{e}")))
}

/// A key kept in a table to be looked up later (a form's field labels): marked so that
/// the test that finds every key in the source finds it too.
pub const fn key(key: &'static str) -> &'static str {
    key
}

/// Where the catalogue keeps the help text of a key binding: `keys.in.MODE.ACTION` when
/// the action reads differently in that mode, else `keys.ACTION` (names as keymap files
/// spell them). These keys are made from the names, not written in the source: a keymap
/// finds its bindings' keys once, when it is read, and the help and the hint bar look them
/// up with `t` like any other; the test that finds the keys used counts every key a
/// binding could ask for (`app::keymap::text_keys`). None when the catalogue has neither,
/// which a test rules out for every action.
pub fn binding_key(mode: &str, action: &str) -> Option<&'static str> {
    let keys = &catalogues().keys;
    [format!("keys.in.{mode}.{action}"), format!("keys.{action}")]
        .iter()
        .find_map(|k| keys.get_key_value(k.as_str()).map(|(k, _)| &**k))
}

/// The language codes, in `Lang`'s order (`zh`, `en`).
pub fn codes() -> impl Iterator<Item = &'static str> {
    FILES.iter().map(|(code, _, _)| *code)
}

/// The language the officer's code names: the first whose code it starts with, else the
/// reference language.
pub fn lang_of_code(code: &str) -> Lang {
    let code = code.to_ascii_lowercase();
    Lang::ALL
        .iter()
        .zip(codes())
        .find(|(_, c)| code.starts_with(c))
        .map_or(Lang::ALL[0], |(l, _)| *l)
}

impl Lang {
    /// Every language, in the order of `FILES`.
    pub const ALL: [Lang; FILES.len()] = [Lang::Zh, Lang::En];

    /// Its place in `ALL`.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The short code of this language (`zh`, `en`), as the config file writes it.
    pub fn code(self) -> &'static str {
        FILES[self.index()].0
    }

    /// The text of `key`; the key itself if no catalogue has it (a test sees to that).
    pub fn t(self, key: &'static str) -> &'static str {
        match catalogues().text(self, key) {
            Some(t) => &t.raw,
            None => key,
        }
    }

    /// The text of `key` with its placeholders filled from `args` by name.
    pub fn f(self, key: &'static str, args: &[(&str, &dyn Display)]) -> String {
        match catalogues().text(self, key) {
            Some(t) => t.form(None).fill(args),
            None => key.to_owned(),
        }
    }

    /// The text of `key` for `count` things, with `{n}` the count and the other
    /// placeholders filled from `args`.
    pub fn n(self, key: &'static str, count: usize, args: &[(&str, &dyn Display)]) -> String {
        let count = count as u64;
        match catalogues().text(self, key) {
            Some(t) => t.form(Some(count)).fill_counted(count, args),
            None => key.to_owned(),
        }
    }

    /// How this language shows a Chinese word that came as data, if its file says.
    pub fn value(self, word: &str) -> Option<&'static str> {
        catalogues().langs[self.index()]
            .values
            .get(word)
            .map(|v| &**v)
    }
}

/// What is wrong with a language file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// The file, as `words/NAME.toml`.
    pub file: String,
    /// The key, dotted; empty when the whole file is wrong.
    pub key: String,
    pub problem: String,
}

impl Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.key.is_empty() {
            write!(f, "{}: {}", self.file, self.problem)
        } else {
            write!(f, "{}: {}: {}", self.file, self.key, self.problem)
        }
    }
}

/// Every problem found, one a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Errors(pub Vec<Error>);

impl Display for Errors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_char('\n')?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Errors {}

/// A piece of a text: words as written, or a placeholder's name.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Lit(Box<str>),
    Arg(Box<str>),
}

/// One way a text reads, split into its parts when the file is read.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Form {
    parts: Vec<Part>,
    /// The length of the words as written, a first guess at the filled length.
    lit_len: usize,
}

impl Form {
    fn parse(s: &str) -> Result<Form, String> {
        let mut parts = Vec::new();
        let mut lit = String::new();
        let mut chars = s.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '{' if chars.peek() == Some(&'{') => {
                    chars.next();
                    lit.push('{');
                }
                '}' if chars.peek() == Some(&'}') => {
                    chars.next();
                    lit.push('}');
                }
                '{' => {
                    let mut name = String::new();
                    loop {
                        match chars.next() {
                            Some('}') => break,
                            Some(c) if c.is_ascii_alphanumeric() || c == '_' => name.push(c),
                            _ => {
                                return Err(format!(
                                    "{s:?}: a placeholder is a name in braces, like {{name}} \
                                     (write {{{{ for a brace)"
                                ));
                            }
                        }
                    }
                    if name.is_empty() {
                        return Err(format!("{s:?}: empty placeholder {{}}"));
                    }
                    if !lit.is_empty() {
                        parts.push(Part::Lit(std::mem::take(&mut lit).into()));
                    }
                    parts.push(Part::Arg(name.into()));
                }
                '}' => return Err(format!("{s:?}: a lone }} (write }}}} for a brace)")),
                c => lit.push(c),
            }
        }
        if !lit.is_empty() {
            parts.push(Part::Lit(lit.into()));
        }
        let lit_len = parts
            .iter()
            .map(|p| match p {
                Part::Lit(s) => s.len(),
                Part::Arg(_) => 0,
            })
            .sum();
        Ok(Form { parts, lit_len })
    }

    fn placeholders(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().filter_map(|p| match p {
            Part::Arg(a) => Some(&**a),
            Part::Lit(_) => None,
        })
    }

    fn fill(&self, args: &[(&str, &dyn Display)]) -> String {
        let mut out = String::with_capacity(self.lit_len + 8 * args.len());
        for p in &self.parts {
            match p {
                Part::Lit(s) => out.push_str(s),
                Part::Arg(name) => match args.iter().find(|(n, _)| *n == &**name) {
                    Some((_, v)) => {
                        let _ = write!(out, "{v}");
                    }
                    // Shown as written, so that a forgotten value is seen, not hidden.
                    None => {
                        let _ = write!(out, "{{{name}}}");
                    }
                },
            }
        }
        out
    }

    fn fill_counted(&self, count: u64, args: &[(&str, &dyn Display)]) -> String {
        let mut all: Vec<(&str, &dyn Display)> = Vec::with_capacity(args.len() + 1);
        all.push(("n", &count));
        all.extend_from_slice(args);
        self.fill(&all)
    }
}

/// A text: as written (what `t` lends), its parts, and the forms it takes for
/// particular counts.
#[derive(Debug, Clone)]
struct Text {
    raw: Box<str>,
    other: Form,
    /// (count, form) for the counts a language writes differently ("1 action").
    counted: Vec<(u64, Form)>,
}

impl Text {
    fn form(&self, count: Option<u64>) -> &Form {
        count
            .and_then(|n| self.counted.iter().find(|(c, _)| *c == n))
            .map_or(&self.other, |(_, f)| f)
    }

    fn placeholders(&self) -> BTreeSet<&str> {
        std::iter::once(&self.other)
            .chain(self.counted.iter().map(|(_, f)| f))
            .flat_map(Form::placeholders)
            .collect()
    }
}

struct Language {
    /// By the key's index.
    texts: Vec<Text>,
    values: HashMap<Box<str>, Box<str>>,
}

struct Catalogues {
    /// Key → index into each language's texts.
    keys: HashMap<Box<str>, usize>,
    langs: Vec<Language>,
}

impl Catalogues {
    fn text(&self, lang: Lang, key: &str) -> Option<&Text> {
        let i = *self.keys.get(key)?;
        self.langs.get(lang.index())?.texts.get(i)
    }

    /// Read every file and check each against the first.
    fn parse(files: &[(&str, &str, &str)]) -> Result<Catalogues, Errors> {
        let mut errors = Vec::new();
        let mut read = Vec::new();
        for (_, name, text) in files {
            let file = format!("words/{name}");
            match read_file(&file, text) {
                Ok(r) => read.push((file, r)),
                Err(mut e) => errors.append(&mut e),
            }
        }
        if !errors.is_empty() {
            return Err(Errors(errors));
        }
        let Some(((reference, first), _)) = read.split_first() else {
            return Err(Errors(vec![Error {
                file: "words/".to_owned(),
                key: String::new(),
                problem: "no language files".to_owned(),
            }]));
        };
        let keys: HashMap<Box<str>, usize> = first
            .texts
            .iter()
            .enumerate()
            .map(|(i, (k, _))| (k.clone(), i))
            .collect();
        let mut langs = Vec::with_capacity(read.len());
        for (file, r) in &read {
            let mut by_key: HashMap<&str, &Text> = r.texts.iter().map(|(k, t)| (&**k, t)).collect();
            let mut texts = Vec::with_capacity(keys.len());
            for (key, expected) in &first.texts {
                match by_key.remove(&**key) {
                    Some(t) => {
                        let (want, have) = (expected.placeholders(), t.placeholders());
                        if want != have {
                            errors.push(Error {
                                file: file.clone(),
                                key: key.to_string(),
                                problem: format!(
                                    "placeholders {have:?}, but {reference} has {want:?}"
                                ),
                            });
                        }
                        texts.push(t.clone());
                    }
                    None => errors.push(Error {
                        file: file.clone(),
                        key: key.to_string(),
                        problem: format!("missing ({reference} has it)"),
                    }),
                }
            }
            let mut extra: Vec<&str> = by_key.into_keys().collect();
            extra.sort_unstable();
            for key in extra {
                errors.push(Error {
                    file: file.clone(),
                    key: key.to_owned(),
                    problem: format!("not in {reference}: a new key goes there first"),
                });
            }
            langs.push(Language {
                texts,
                values: r.values.clone(),
            });
        }
        if errors.is_empty() {
            Ok(Catalogues { keys, langs })
        } else {
            Err(Errors(errors))
        }
    }
}

struct Read {
    /// In the file's order.
    texts: Vec<(Box<str>, Text)>,
    values: HashMap<Box<str>, Box<str>>,
}

fn read_file(file: &str, text: &str) -> Result<Read, Vec<Error>> {
    let table: toml::Table = toml::from_str(text).map_err(|e| {
        vec![Error {
            file: file.to_owned(),
            key: String::new(),
            problem: e.to_string(),
        }]
    })?;
    let mut errors = Vec::new();
    let mut read = Read {
        texts: Vec::new(),
        values: HashMap::new(),
    };
    for (k, v) in table {
        if k == "values" {
            match v {
                toml::Value::Table(t) => {
                    for (word, shown) in t {
                        match shown {
                            toml::Value::String(s) => {
                                read.values.insert(word.into(), s.into());
                            }
                            _ => errors.push(Error {
                                file: file.to_owned(),
                                key: format!("values.{word}"),
                                problem: "a value reads as a string".to_owned(),
                            }),
                        }
                    }
                }
                _ => errors.push(Error {
                    file: file.to_owned(),
                    key: k,
                    problem: "values is a table of word = text".to_owned(),
                }),
            }
            continue;
        }
        flatten(file, k, v, &mut read.texts, &mut errors);
    }
    if errors.is_empty() {
        Ok(read)
    } else {
        Err(errors)
    }
}

fn flatten(
    file: &str,
    key: String,
    v: toml::Value,
    out: &mut Vec<(Box<str>, Text)>,
    errors: &mut Vec<Error>,
) {
    let error = |key: &str, problem: String| Error {
        file: file.to_owned(),
        key: key.to_owned(),
        problem,
    };
    match v {
        toml::Value::String(s) => match Form::parse(&s) {
            Ok(other) => out.push((
                key.into(),
                Text {
                    raw: s.into(),
                    other,
                    counted: Vec::new(),
                },
            )),
            Err(p) => errors.push(error(&key, p)),
        },
        toml::Value::Table(t) if t.contains_key(PLURAL_OTHER) => {
            let mut raw = None;
            let mut other = None;
            let mut counted = Vec::new();
            for (form, s) in t {
                let Some(s) = s.as_str() else {
                    errors.push(error(&key, format!("{form}: a form is a string")));
                    continue;
                };
                let parsed = match Form::parse(s) {
                    Ok(f) => f,
                    Err(p) => {
                        errors.push(error(&key, p));
                        continue;
                    }
                };
                if form == PLURAL_OTHER {
                    raw = Some(s.into());
                    other = Some(parsed);
                } else if let Ok(n) = form.parse::<u64>() {
                    counted.push((n, parsed));
                } else {
                    errors.push(error(
                        &key,
                        format!("{form:?}: a form is named by a count (1 = …) or other"),
                    ));
                }
            }
            if let (Some(raw), Some(other)) = (raw, other) {
                out.push((
                    key.into(),
                    Text {
                        raw,
                        other,
                        counted,
                    },
                ));
            }
        }
        toml::Value::Table(t) => {
            for (k, v) in t {
                flatten(file, format!("{key}.{k}"), v, out, errors);
            }
        }
        _ => errors.push(error(
            &key,
            "a text is a string or a group of texts".to_owned(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn parse(files: &[(&str, &str, &str)]) -> Result<Catalogues, Errors> {
        Catalogues::parse(files)
    }

    fn problems(files: &[(&str, &str, &str)]) -> String {
        match parse(files) {
            Ok(_) => String::new(),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn the_embedded_words_load_with_every_key_in_every_language() {
        if let Err(e) = load() {
            panic!("{e}");
        }
        let c = catalogues();
        assert_eq!(c.langs.len(), Lang::ALL.len());
        for l in &c.langs {
            assert_eq!(l.texts.len(), c.keys.len());
        }
    }

    #[test]
    fn lang_follows_the_order_of_the_files() {
        for (i, l) in Lang::ALL.iter().enumerate() {
            assert_eq!(l.index(), i);
            assert_eq!(l.code(), FILES[i].0);
        }
        assert_eq!(lang_of_code("en_GB"), Lang::En);
        assert_eq!(lang_of_code("EN"), Lang::En);
        assert_eq!(lang_of_code("zh"), Lang::Zh);
        assert_eq!(lang_of_code("de"), Lang::Zh);
    }

    #[test]
    fn a_missing_key_in_a_language_file_is_an_error_naming_file_and_key() {
        let e = problems(&[
            (
                "zh",
                "zh-CN.toml",
                "[status]\nsources = \"源\"\nlive = \"实时\"\n",
            ),
            ("en", "en.toml", "[status]\nsources = \"Sources\"\n"),
        ]);
        assert_eq!(
            e,
            "words/en.toml: status.live: missing (words/zh-CN.toml has it)"
        );
    }

    #[test]
    fn a_key_only_in_a_translation_is_an_error_naming_file_and_key() {
        let e = problems(&[
            ("zh", "zh-CN.toml", "[status]\nsources = \"源\"\n"),
            (
                "en",
                "en.toml",
                "[status]\nsources = \"Sources\"\nlive = \"live\"\n",
            ),
        ]);
        assert!(
            e.starts_with("words/en.toml: status.live: not in words/zh-CN.toml"),
            "{e}"
        );
    }

    #[test]
    fn placeholders_that_differ_between_languages_are_an_error() {
        let e = problems(&[
            ("zh", "zh-CN.toml", "[a]\nb = \"{who} 于 {since}\"\n"),
            ("en", "en.toml", "[a]\nb = \"{who} since {when}\"\n"),
        ]);
        assert!(e.starts_with("words/en.toml: a.b: placeholders"), "{e}");
        let broken = problems(&[("zh", "zh-CN.toml", "[a]\nb = \"{who\"\n")]);
        assert!(broken.starts_with("words/zh-CN.toml: a.b:"), "{broken}");
    }

    #[test]
    fn placeholders_are_filled_by_name_and_counts_choose_their_form() {
        let c = parse(&[
            (
                "zh",
                "zh-CN.toml",
                "[a]\nb = \"{who} 于 {since} {{原样}}\"\nn = \"{n} 项{what}\"\n",
            ),
            (
                "en",
                "en.toml",
                "[a]\nb = \"{who} since {since}\"\nn = { 1 = \"one {what}\", other = \"{n} {what}s\" }\n",
            ),
        ])
        .unwrap_or_else(|e| panic!("{e}"));
        let text = |l: Lang, k: &str| c.text(l, k).unwrap_or_else(|| panic!("{k}"));
        let args: [(&str, &dyn Display); 2] = [("since", &"03:12"), ("who", &"王")];
        assert_eq!(
            text(Lang::Zh, "a.b").form(None).fill(&args),
            "王 于 03:12 {原样}"
        );
        assert_eq!(
            text(Lang::En, "a.b").form(None).fill(&args),
            "王 since 03:12"
        );
        let what: [(&str, &dyn Display); 1] = [("what", &"action")];
        let en = text(Lang::En, "a.n");
        assert_eq!(en.form(Some(1)).fill_counted(1, &what), "one action");
        assert_eq!(en.form(Some(3)).fill_counted(3, &what), "3 actions");
        assert_eq!(en.form(Some(0)).fill_counted(0, &what), "0 actions");
        let zh = text(Lang::Zh, "a.n");
        assert_eq!(zh.form(Some(1)).fill_counted(1, &[("what", &"")]), "1 项");
        // A value the caller forgot shows as its placeholder.
        assert_eq!(
            text(Lang::En, "a.b").form(None).fill(&[]),
            "{who} since {since}"
        );
    }

    /// Keys found in the source, by call form: `.t("k")`, `.f("k", &[("a", …), …])`,
    /// `.n("k", count, &[…])`, with the names each call fills; and `words::key("k")`, a
    /// key kept for a later `.t`.
    fn calls_in(text: &str, out: &mut Vec<(char, String, Vec<String>)>) {
        for form in ['t', 'f', 'n', 'k'] {
            let needle = if form == 'k' {
                "words::key(".to_owned()
            } else {
                format!(".{form}(")
            };
            let mut rest = text;
            while let Some(at) = rest.find(&needle) {
                rest = &rest[at + needle.len()..];
                // rustfmt may put the key on a line of its own.
                let Some(quoted) = rest.trim_start().strip_prefix('"') else {
                    continue;
                };
                rest = quoted;
                let Some(end) = rest.find('"') else { break };
                let key = rest[..end].to_owned();
                let mut names = Vec::new();
                if form == 'f' || form == 'n' {
                    // The names filled are the string literals that open each pair, up to
                    // the end of the argument list.
                    let mut a = args_of(&rest[end + 1..]);
                    while let Some(p) = a.find('(') {
                        a = &a[p + 1..];
                        let Some(pair) = a.trim_start().strip_prefix('"') else {
                            continue;
                        };
                        let name: String = pair
                            .chars()
                            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                            .collect();
                        if pair[name.len()..].starts_with("\",") {
                            names.push(name);
                        }
                    }
                }
                out.push((form, key, names));
            }
        }
    }

    /// The slice `&[…]` that follows, up to its own closing bracket (strings skipped).
    fn args_of(text: &str) -> &str {
        let Some(open) = text.find('[') else {
            return "";
        };
        let (mut depth, mut in_string, mut escaped) = (0, false, false);
        for (i, c) in text[open..].char_indices() {
            match c {
                _ if escaped => escaped = false,
                '\\' if in_string => escaped = true,
                '"' => in_string = !in_string,
                '[' if !in_string => depth += 1,
                ']' if !in_string => {
                    depth -= 1;
                    if depth == 0 {
                        return &text[open..open + i];
                    }
                }
                _ => {}
            }
        }
        ""
    }

    fn source_calls() -> Vec<(char, String, Vec<String>)> {
        fn walk(dir: &Path, out: &mut Vec<(char, String, Vec<String>)>) {
            let Ok(entries) = std::fs::read_dir(dir) else {
                return;
            };
            for e in entries.flatten() {
                let p = e.path();
                if p.is_dir() {
                    walk(&p, out);
                } else if p.extension().is_some_and(|x| x == "rs")
                    && !p.ends_with("src/words.rs")
                    && let Ok(text) = std::fs::read_to_string(&p)
                {
                    calls_in(&text, out);
                }
            }
        }
        let mut out = Vec::new();
        walk(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut out);
        out
    }

    #[test]
    fn every_key_is_used_and_every_key_used_exists() {
        let c = catalogues();
        let calls = source_calls();
        let used: BTreeSet<&str> = calls.iter().map(|(_, k, _)| k.as_str()).collect();
        let missing: Vec<&&str> = used.iter().filter(|k| !c.keys.contains_key(**k)).collect();
        assert!(missing.is_empty(), "used but in no catalogue: {missing:?}");
        // The help texts of key bindings are found by the names of mode and action
        // (`binding_key`): each is used if a binding could ask for it.
        let bindings_may_ask = crate::app::keymap::text_keys();
        let mut unused: Vec<&str> = c
            .keys
            .keys()
            .map(|k| &**k)
            .filter(|k| !used.contains(k) && !bindings_may_ask.iter().any(|b| b == k))
            .collect();
        unused.sort_unstable();
        assert!(
            unused.is_empty(),
            "in the catalogues but never used: {unused:?}"
        );
    }

    #[test]
    fn the_help_texts_of_key_bindings_are_plain_texts() {
        let c = catalogues();
        for key in crate::app::keymap::text_keys() {
            let Some(text) = c.text(Lang::ALL[0], &key) else {
                continue;
            };
            assert!(
                text.placeholders().is_empty() && text.counted.is_empty(),
                "{key}: a key's help text has no placeholders and one form"
            );
        }
    }

    #[test]
    fn every_call_fills_exactly_the_placeholders_of_its_text() {
        let c = catalogues();
        for (form, key, names) in source_calls() {
            let Some(text) = c.text(Lang::ALL[0], &key) else {
                continue;
            };
            let mut want: BTreeSet<&str> = text.placeholders();
            if form == 'n' {
                want.remove("n");
            }
            let have: BTreeSet<&str> = names.iter().map(String::as_str).collect();
            if form == 't' || form == 'k' {
                assert!(want.is_empty(), "{key} has placeholders {want:?}: call .f");
            } else {
                assert_eq!(have, want, ".{form}(\"{key}\") fills {have:?}");
            }
            assert!(
                form == 'n' || text.counted.is_empty(),
                "{key} reads differently by count: call .n"
            );
        }
    }
}
