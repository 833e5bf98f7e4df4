//! The duty room's Chinese words (timeline kinds, report labels, form choices) in the
//! console's language, from the `[values]` table of its file in `words/`. The Chinese word
//! stays the value; a language whose file has no English, say, for it shows it as it came.

use super::state::Lang;
use crate::model::{Colour, DutyRole, Grade, Level};
use std::borrow::Cow;

/// Follow-up reports are numbered in Chinese: 续报一, 续报十二.
const FOLLOW_UP: &str = "续报";

/// `word` as the console's language shows it.
pub fn show(lang: Lang, word: &str) -> Cow<'_, str> {
    if let Some(shown) = lang.value(word) {
        return Cow::Borrowed(shown);
    }
    if let Some(n) = word.strip_prefix(FOLLOW_UP).and_then(chinese_number)
        && let Some(shown) = lang.value(FOLLOW_UP)
    {
        return Cow::Owned(lang.f("timeline.follow_up", &[("update", &shown), ("n", &n)]));
    }
    Cow::Borrowed(word)
}

/// A "kind：text" line as records keep it (a handover's latest entry), with the kind in
/// the console's language.
pub fn show_entry(lang: Lang, line: &str) -> Cow<'_, str> {
    match line.split_once('：') {
        Some((kind, text)) => Cow::Owned(lang.f(
            "timeline.entry",
            &[("kind", &show(lang, kind)), ("text", &text)],
        )),
        None => Cow::Borrowed(line),
    }
}

/// A warning colour's word (红, red).
pub fn colour(lang: Lang, c: Colour) -> &'static str {
    match c {
        Colour::Blue => lang.t("colour.blue"),
        Colour::Yellow => lang.t("colour.yellow"),
        Colour::Orange => lang.t("colour.orange"),
        Colour::Red => lang.t("colour.red"),
    }
}

/// A warning level's word (严重, severe).
pub fn level(lang: Lang, l: Level) -> &'static str {
    match l {
        Level::IV => lang.t("level.iv"),
        Level::III => lang.t("level.iii"),
        Level::II => lang.t("level.ii"),
        Level::I => lang.t("level.i"),
    }
}

/// An event grade's word (较大, major).
pub fn grade(lang: Lang, g: Grade) -> &'static str {
    match g {
        Grade::IV => lang.t("grade.iv"),
        Grade::III => lang.t("grade.iii"),
        Grade::II => lang.t("grade.ii"),
        Grade::I => lang.t("grade.i"),
    }
}

/// A duty role's name (值班长, Chief).
pub fn duty_role(lang: Lang, r: DutyRole) -> &'static str {
    match r {
        DutyRole::Leader => lang.t("duty_role.leader"),
        DutyRole::Chief => lang.t("duty_role.chief"),
        DutyRole::Officer => lang.t("duty_role.officer"),
        DutyRole::Standby => lang.t("duty_role.standby"),
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
        // The words are Chinese already; every other language needs each of them.
        for lang in Lang::ALL.into_iter().filter(|l| *l != Lang::Zh) {
            for w in form.clone() {
                assert!(
                    lang.value(w).is_some(),
                    "no {} for {w:?} in the [values] of words/",
                    lang.code()
                );
            }
        }
    }

    #[test]
    fn colours_grades_levels_and_roles_read_as_the_filter_and_the_tools_write_them() {
        // The filter matches the model's words and the command-line tools print them:
        // what a screen shows is what can be typed there.
        for c in Colour::ALL {
            assert_eq!(colour(Lang::Zh, c), c.zh());
            assert_eq!(colour(Lang::En, c), c.en());
        }
        for g in [Grade::IV, Grade::III, Grade::II, Grade::I] {
            assert_eq!(grade(Lang::Zh, g), g.zh());
            assert_eq!(grade(Lang::En, g), g.en());
            let l = g_level(g);
            assert_eq!(level(Lang::Zh, l), l.zh());
            assert_eq!(level(Lang::En, l), l.en());
        }
        for r in DutyRole::ALL {
            assert_eq!(duty_role(Lang::Zh, r), r.zh());
            assert_eq!(duty_role(Lang::En, r), r.en());
        }
    }

    fn g_level(g: Grade) -> Level {
        match g {
            Grade::IV => Level::IV,
            Grade::III => Level::III,
            Grade::II => Level::II,
            Grade::I => Level::I,
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
