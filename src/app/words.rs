//! The duty room's Chinese words (timeline kinds, report labels, form choices) in English,
//! from one table (`words.toml`). The Chinese word stays the value; only English screens
//! show the translation.

use super::state::Lang;
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::LazyLock;

const TABLE: &str = include_str!("words.toml");

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    words: HashMap<String, String>,
}

static WORDS: LazyLock<HashMap<String, String>> = LazyLock::new(|| {
    toml::from_str::<File>(TABLE)
        .map(|f| f.words)
        .expect("the embedded word table is checked by a unit test")
});

/// Follow-up reports are numbered in Chinese: 续报一, 续报十二.
const FOLLOW_UP: &str = "续报";

/// `word` as the console's language shows it.
pub fn show(lang: Lang, word: &str) -> Cow<'_, str> {
    if lang == Lang::Zh {
        return Cow::Borrowed(word);
    }
    if let Some(en) = WORDS.get(word) {
        return Cow::Owned(en.clone());
    }
    if let Some(n) = word.strip_prefix(FOLLOW_UP).and_then(chinese_number)
        && let Some(en) = WORDS.get(FOLLOW_UP)
    {
        return Cow::Owned(format!("{en} {n}"));
    }
    Cow::Borrowed(word)
}

/// A "kind：text" line as records keep it (a handover's latest entry), with the kind in
/// the console's language.
pub fn show_entry(lang: Lang, line: &str) -> Cow<'_, str> {
    match (lang, line.split_once('：')) {
        (Lang::En, Some((kind, text))) => Cow::Owned(format!("{}: {text}", show(lang, kind))),
        _ => Cow::Borrowed(line),
    }
}

/// 一 … 九十九 as a number; None for anything else.
fn chinese_number(s: &str) -> Option<u32> {
    let digit = |c: char| {
        "一二三四五六七八九"
            .chars()
            .position(|d| d == c)
            .map(|p| p as u32 + 1)
    };
    let chars: Vec<char> = s.chars().collect();
    match chars.as_slice() {
        ['十'] => Some(10),
        [d] => digit(*d),
        ['十', d] => Some(10 + digit(*d)?),
        [t, '十'] => Some(digit(*t)? * 10),
        [t, '十', d] => Some(digit(*t)? * 10 + digit(*d)?),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_parses_and_covers_every_form_choice_and_log_kind() {
        let form = super::super::form::LOG_KINDS
            .iter()
            .chain(super::super::form::GRADES)
            .chain(super::super::form::FOLLOW_UP_KINDS)
            .copied()
            .chain(super::super::form::SILENCE_CHOICES.iter().map(|(l, _)| *l));
        for w in form {
            assert!(WORDS.contains_key(w), "no English for {w:?} in words.toml");
        }
    }

    #[test]
    fn report_kinds_read_in_english_and_stay_chinese_in_chinese() {
        assert_eq!(show(Lang::En, "初报"), "first report");
        assert_eq!(show(Lang::En, "电话初报"), "phone report");
        assert_eq!(show(Lang::En, "续报二"), "update 2");
        assert_eq!(show(Lang::En, "续报十二"), "update 12");
        assert_eq!(show(Lang::En, "续报二十一"), "update 21");
        assert_eq!(show(Lang::Zh, "初报"), "初报");
        // A locally configured label nobody translated is shown as written.
        assert_eq!(show(Lang::En, "区级快报"), "区级快报");
        assert_eq!(
            show_entry(Lang::En, "批示：全力救治"),
            "instruction: 全力救治"
        );
        assert_eq!(show_entry(Lang::Zh, "批示：全力救治"), "批示：全力救治");
    }
}
