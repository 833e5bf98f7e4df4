//! Making remote text safe and measurable before it reaches the screen.

use unicode_normalization::UnicodeNormalization;
use unicode_width::UnicodeWidthStr;

/// Strip control characters (including whole ANSI/OSC escape sequences) and
/// normalise to NFC. Newlines and tabs become spaces: every remote string is
/// drawn on one line unless a view wraps it itself.
pub fn sanitize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => skip_escape(&mut chars),
            // C1 CSI/OSC introducers carry a sequence just like ESC [ / ESC ].
            '\u{9b}' => skip_csi(&mut chars),
            '\u{9d}' => skip_osc(&mut chars),
            '\n' | '\r' | '\t' => {
                if !out.ends_with(' ') {
                    out.push(' ');
                }
            }
            c if c.is_control() => {}
            // Bidi overrides and zero-width format characters can disguise text.
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200b}' | '\u{feff}' => {}
            c => out.push(c),
        }
    }
    out.nfc().collect()
}

/// `sanitize` in place; a string that is already clean (nearly every one) is left as it is,
/// without building a new one: a snapshot of 100,000 alerts is checked, not copied.
pub fn sanitize_in_place<S: std::ops::Deref<Target = str> + From<String>>(s: &mut S) {
    if !is_clean(s) {
        *s = S::from(sanitize(s));
    }
}

/// True when `sanitize` would give `s` back unchanged.
pub fn is_clean(s: &str) -> bool {
    !s.chars().any(|c| {
        c.is_control()
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200b}' | '\u{feff}')
    }) && unicode_normalization::is_nfc_quick(s.chars()) == unicode_normalization::IsNormalized::Yes
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

/// Display width in terminal cells (CJK counts two).
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// Cut `s` to at most `max` cells, ending with `…` when something was cut.
pub fn truncate(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_owned();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > max - 1 {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
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

    #[test]
    fn chinese_is_two_cells_wide() {
        assert_eq!(width("台风red"), 7);
        assert_eq!(truncate("台风红色预警信号", 7), "台风红…");
        assert_eq!(width(&pad("台风", 6)), 6);
        assert_eq!(pad("台风红色", 5), "台风…");
    }
}
