//! Making remote text safe and measurable before it reaches the screen.
//!
//! Text is measured, cut and drawn by grapheme cluster (what a reader sees as one
//! character: a flag, a family emoji joined by ZWJ, a letter with its accents), never
//! by `char`: cutting inside a cluster leaves half a flag or a dangling joiner that a
//! terminal draws in a width nobody counted.

use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// The joiner of emoji sequences (👨‍👩‍👧).
const ZWJ: char = '\u{200d}';
/// The flag whose emoji tag sequences name a region (🏴 + tags + cancel tag).
const BLACK_FLAG: char = '\u{1f3f4}';

/// Strip control characters (including whole ANSI/OSC escape sequences) and invisible
/// format characters, and normalise to NFC. Newlines, tabs and the line and paragraph
/// separators become spaces: every remote string is drawn on one line unless a view
/// wraps it itself.
pub fn sanitize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut joiners = false;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => skip_escape(&mut chars),
            // C1 CSI/OSC introducers carry a sequence just like ESC [ / ESC ].
            '\u{9b}' => skip_csi(&mut chars),
            '\u{9d}' => skip_osc(&mut chars),
            '\n' | '\r' | '\t' | '\u{2028}' | '\u{2029}' => {
                if !out.ends_with(' ') {
                    out.push(' ');
                }
            }
            c if c.is_control() => {}
            // Kept for now: whether they join emoji shows only in their cluster.
            c if is_joiner(c) => {
                joiners = true;
                out.push(c);
            }
            c if is_format(c) => {}
            c => out.push(c),
        }
    }
    let out: String = out.nfc().collect();
    if joiners {
        keep_emoji_joiners(&out)
    } else {
        out
    }
}

/// Unicode's format characters (general category Cf, Unicode 16) but the joiners of
/// emoji (`is_joiner`): invisible, zero-width, and able to disguise text — bidi marks
/// and overrides that reorder it, a soft hyphen some terminals draw and others do not,
/// word joiners and zero-width spaces that make two equal-looking names differ.
fn is_format(c: char) -> bool {
    matches!(
        c,
        '\u{ad}'
            | '\u{600}'..='\u{605}'
            | '\u{61c}'
            | '\u{6dd}'
            | '\u{70f}'
            | '\u{890}'..='\u{891}'
            | '\u{8e2}'
            | '\u{180e}'
            | '\u{200b}'..='\u{200c}'
            | '\u{200e}'..='\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206f}'
            | '\u{feff}'
            | '\u{fff9}'..='\u{fffb}'
            | '\u{110bd}'
            | '\u{110cd}'
            | '\u{13430}'..='\u{1343f}'
            | '\u{1bca0}'..='\u{1bca3}'
            | '\u{1d173}'..='\u{1d17a}'
            | '\u{e0001}'
    )
}

/// The format characters that are part of an emoji: ZWJ and the tag characters of a
/// subdivision flag. Variation selectors (U+FE0E, U+FE0F) are not format characters
/// (they are marks) and stay with the character they select.
fn is_joiner(c: char) -> bool {
    c == ZWJ || ('\u{e0020}'..='\u{e007f}').contains(&c)
}

/// Drops every joiner that does not join an emoji. A ZWJ stays when, inside its
/// grapheme cluster, a character comes before it and a wide one (an emoji) after it:
/// the segmentation rules join the two only when both are pictographs, so anywhere
/// else (between letters, at an end, doubled) it is an invisible character the terminal
/// may or may not draw. Tag characters stay only in a cluster that starts with 🏴.
fn keep_emoji_joiners(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for g in s.graphemes(true) {
        if !g.chars().any(is_joiner) {
            out.push_str(g);
            continue;
        }
        let chars: Vec<char> = g.chars().collect();
        for (i, &c) in chars.iter().enumerate() {
            let keep = if c == ZWJ {
                i > 0 && chars.get(i + 1).is_some_and(|n| n.width() == Some(2))
            } else if is_joiner(c) {
                chars[0] == BLACK_FLAG
            } else {
                true
            };
            if keep {
                out.push(c);
            }
        }
    }
    out
}

/// `sanitize` in place; a string that is already clean (nearly every one) is left as it is,
/// without building a new one: a snapshot of 100,000 alerts is checked, not copied.
pub fn sanitize_in_place<S: std::ops::Deref<Target = str> + From<String>>(s: &mut S) {
    if !is_clean(s) {
        *s = S::from(sanitize(s));
    }
}

/// True when `sanitize` would give `s` back unchanged. Runs over every text of a
/// snapshot of 100,000 alerts: ASCII is a byte scan, and the characters of Chinese text
/// (U+2070–U+FEFE: CJK, kana, Hangul, full-width forms; no control or format character
/// lies there) are passed by one comparison each.
pub fn is_clean(s: &str) -> bool {
    if s.is_ascii() {
        return !s.bytes().any(|b| b.is_ascii_control());
    }
    let mut joiners = false;
    for c in s.chars() {
        if ('\u{2070}'..'\u{feff}').contains(&c) {
            continue;
        }
        if c.is_control() || is_format(c) || matches!(c, '\u{2028}' | '\u{2029}') {
            return false;
        }
        joiners |= is_joiner(c);
    }
    unicode_normalization::is_nfc_quick(s.chars()) == unicode_normalization::IsNormalized::Yes
        && (!joiners || keep_emoji_joiners(s) == s)
}

fn skip_escape(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    match chars.peek() {
        Some('[') => {
            chars.next();
            skip_csi(chars);
        }
        Some(']') | Some('P') | Some('_') | Some('^') | Some('X') => {
            chars.next();
            skip_osc(chars);
        }
        Some(_) => {
            chars.next();
        }
        None => {}
    }
}

fn skip_csi(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    for c in chars.by_ref() {
        if ('\u{40}'..='\u{7e}').contains(&c) {
            break;
        }
    }
}

fn skip_osc(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    while let Some(c) = chars.next() {
        match c {
            '\u{7}' | '\u{9c}' => break,
            '\u{1b}' => {
                if chars.peek() == Some(&'\\') {
                    chars.next();
                }
                break;
            }
            _ => {}
        }
    }
}

/// A character that is a grapheme cluster of its own beside any other such character:
/// not a mark, joiner, regional indicator, Hangul jamo or anything else the segmentation
/// rules attach to a neighbour. Text made only of them (ASCII, Latin, general
/// punctuation, CJK) is measured and cut a `char` at a time, without segmenting it.
fn stands_alone(c: char) -> bool {
    matches!(
        c,
        ' '..='~'
            | '\u{a0}'..='\u{2ff}'
            | '\u{2010}'..='\u{2027}'
            | '\u{2030}'..='\u{205e}'
            | '\u{3000}'..='\u{3029}'
            | '\u{3030}'..='\u{303e}'
            | '\u{3400}'..='\u{4dbf}'
            | '\u{4e00}'..='\u{9fff}'
            | '\u{ff01}'..='\u{ff60}'
    )
}

/// The grapheme clusters of `s` with their widths in cells, as ratatui draws them (each
/// cluster in one cell, as wide as unicode-width measures the cluster).
fn clusters(s: &str) -> Box<dyn Iterator<Item = (&str, usize)> + '_> {
    if s.chars().all(stands_alone) {
        Box::new(
            s.char_indices()
                .map(|(i, c)| (&s[i..i + c.len_utf8()], c.width().unwrap_or(0))),
        )
    } else {
        Box::new(s.graphemes(true).map(|g| (g, UnicodeWidthStr::width(g))))
    }
}

/// Display width in terminal cells (CJK counts two, a flag or a ZWJ family two), summed
/// over grapheme clusters as they are drawn.
pub fn width(s: &str) -> usize {
    if s.chars().all(stands_alone) {
        UnicodeWidthStr::width(s)
    } else {
        s.graphemes(true).map(UnicodeWidthStr::width).sum()
    }
}

/// Cut `s` to at most `max` cells, ending with `…` when something was cut; never inside
/// a grapheme cluster.
pub fn truncate(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_owned();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for (g, w) in clusters(s) {
        if used + w > max - 1 {
            break;
        }
        out.push_str(g);
        used += w;
    }
    out.push('…');
    out
}

/// `s` without the leading clusters that fit in `cells` cells: the tail of a long value
/// shown while it is edited.
pub fn skip_cells(s: &str, cells: usize) -> &str {
    let (mut used, mut at) = (0, 0);
    for (g, w) in clusters(s) {
        used += w;
        if used > cells {
            break;
        }
        at += g.len();
    }
    &s[at..]
}

/// Pad `s` with spaces on the right to exactly `cells` wide (truncating if longer).
pub fn pad(s: &str, cells: usize) -> String {
    let t = truncate(s, cells);
    let w = width(&t);
    format!("{t}{}", " ".repeat(cells.saturating_sub(w)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitize_removes_escapes_and_controls() {
        assert_eq!(sanitize("\u{1b}[31m红色\u{1b}[0m预警"), "红色预警");
        assert_eq!(sanitize("a\u{1b}]0;title\u{7}b"), "ab");
        assert_eq!(sanitize("a\u{1b}]8;;http://x\u{1b}\\b"), "ab");
        assert_eq!(sanitize("line1\r\nline2\tend\u{0}"), "line1 line2 end");
        assert_eq!(sanitize("\u{202e}evil"), "evil");
        assert_eq!(sanitize("\u{9b}2Jok"), "ok");
    }

    #[test]
    fn sanitize_normalises_to_nfc() {
        assert_eq!(sanitize("e\u{301}"), "\u{e9}");
    }

    #[test]
    fn sanitizing_in_place_gives_what_sanitize_gives() {
        for raw in [
            "台风红色预警信号",
            "plain ascii",
            "",
            "\u{1b}[31m红色\u{1b}[0m预警",
            "line1\r\nline2",
            "\u{202e}evil",
            "\u{9b}2Jok",
            "e\u{301}",
            "zero\u{200b}width",
        ] {
            let mut s = raw.to_owned();
            sanitize_in_place(&mut s);
            assert_eq!(s, sanitize(raw), "{raw:?}");
        }
    }

    /// Strings with every kind of invisible character, joiner and cluster the console
    /// meets, for the checks below.
    const ODD: [&str; 18] = [
        "左\u{200e}右\u{200f}",
        "\u{61c}阿拉伯\u{2060}词",
        "软\u{ad}连字符",
        "零\u{200c}宽\u{2063}\u{2064}",
        "\u{2066}隔离\u{2069}\u{feff}",
        "行\u{2028}段\u{2029}尾",
        "🇨🇳国旗",
        "👨\u{200d}👩\u{200d}👧 家",
        "❤\u{fe0f}心",
        "👍🏻赞",
        "🏴\u{e0067}\u{e0062}\u{e0065}\u{e006e}\u{e0067}\u{e007f}英格兰",
        "a\u{200d}b",
        "\u{200d}起头",
        "结尾\u{200d}",
        "👨\u{200d}\u{200d}👩",
        "台\u{e0067}\u{e007f}风",
        "\u{e0001}\u{e0065}\u{e006e}标签",
        "e\u{301}🇨🇳🇺",
    ];

    #[test]
    fn invisible_format_characters_are_stripped_and_emoji_keep_their_joiners() {
        for (raw, clean) in [
            (ODD[0], "左右"),
            (ODD[1], "阿拉伯词"),
            (ODD[2], "软连字符"),
            (ODD[3], "零宽"),
            (ODD[4], "隔离"),
            (ODD[5], "行 段 尾"),
            (ODD[6], ODD[6]),
            (ODD[7], ODD[7]),
            (ODD[8], ODD[8]),
            (ODD[9], ODD[9]),
            (ODD[10], ODD[10]),
            (ODD[11], "ab"),
            (ODD[12], "起头"),
            (ODD[13], "结尾"),
            (ODD[14], "👨👩"),
            (ODD[15], "台风"),
            (ODD[16], "标签"),
            (ODD[17], "\u{e9}🇨🇳🇺"),
        ] {
            assert_eq!(sanitize(raw), clean, "{raw:?}");
        }
    }

    #[test]
    fn clean_means_sanitize_changes_nothing() {
        let samples = ODD.iter().copied().chain([
            "台风红色预警信号",
            "plain ascii",
            "bell\u{7}",
            "",
            "Ａ１　〃",
            "e\u{301}",
        ]);
        for raw in samples {
            let once = sanitize(raw);
            assert_eq!(
                sanitize(&once),
                once,
                "{raw:?}: sanitising twice changes more"
            );
            assert!(
                is_clean(&once),
                "{raw:?}: sanitised but not clean: {once:?}"
            );
            assert_eq!(is_clean(raw), once == raw, "{raw:?}");
        }
    }

    #[test]
    fn flags_and_joined_emoji_are_measured_and_cut_whole() {
        assert_eq!(width("🇨🇳"), 2);
        assert_eq!(width("👨\u{200d}👩\u{200d}👧"), 2);
        assert_eq!(width("🇨🇳🇨🇳台"), 6);
        // Never half a flag, never a joiner left dangling.
        assert_eq!(truncate("🇨🇳🇨🇳台", 2), "…");
        assert_eq!(truncate("🇨🇳🇨🇳台", 3), "🇨🇳…");
        assert_eq!(truncate("🇨🇳🇨🇳台", 5), "🇨🇳🇨🇳…");
        assert_eq!(
            truncate("👨\u{200d}👩\u{200d}👧家园", 4),
            "👨\u{200d}👩\u{200d}👧…"
        );
        assert_eq!(truncate("e\u{301}e\u{301}e\u{301}", 2), "e\u{301}…");
        for s in ODD {
            for cells in 0..=width(s) + 1 {
                assert_eq!(width(&pad(s, cells)), cells, "{s:?} in {cells}");
            }
        }
    }

    #[test]
    fn the_tail_of_a_value_starts_at_a_whole_cluster() {
        assert_eq!(skip_cells("台风abc", 3), "风abc");
        assert_eq!(skip_cells("台风abc", 4), "abc");
        assert_eq!(skip_cells("🇨🇳🇨🇳x", 3), "🇨🇳x");
        assert_eq!(skip_cells("👨\u{200d}👩\u{200d}👧x", 2), "x");
        assert_eq!(skip_cells("abc", 0), "abc");
    }

    #[test]
    fn chinese_is_two_cells_wide() {
        assert_eq!(width("台风red"), 7);
        assert_eq!(truncate("台风红色预警信号", 7), "台风红…");
        assert_eq!(width(&pad("台风", 6)), 6);
        assert_eq!(pad("台风红色", 5), "台风…");
    }
}
