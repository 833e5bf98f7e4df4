//! Key names as written in keymap files, and key events as terminals send them.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

/// Shifted characters arrive with SHIFT set on some terminals and not on others;
/// compare characters without it.
pub fn normalise(ev: &KeyEvent) -> Key {
    let mut mods = ev.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
    if matches!(ev.code, KeyCode::Char(_) | KeyCode::BackTab) {
        mods.remove(KeyModifiers::SHIFT);
    }
    let code = match ev.code {
        KeyCode::Char(c) if mods.contains(KeyModifiers::CONTROL) => {
            KeyCode::Char(c.to_ascii_lowercase())
        }
        c => c,
    };
    Key { code, mods }
}

/// A single key: one character ("q", "?", "G"), or a named key, with `Ctrl-`/`Alt-` prefixes.
pub fn parse_key(name: &str) -> Option<Key> {
    let mut mods = KeyModifiers::NONE;
    let mut rest = name;
    loop {
        if let Some(r) = rest.strip_prefix("Ctrl-") {
            mods |= KeyModifiers::CONTROL;
            rest = r;
        } else if let Some(r) = rest.strip_prefix("Alt-") {
            mods |= KeyModifiers::ALT;
            rest = r;
        } else {
            break;
        }
    }
    let code = match rest {
        "Tab" => KeyCode::Tab,
        "BackTab" | "Shift-Tab" => KeyCode::BackTab,
        "Enter" => KeyCode::Enter,
        "Esc" => KeyCode::Esc,
        "Backspace" => KeyCode::Backspace,
        "Delete" => KeyCode::Delete,
        "Insert" => KeyCode::Insert,
        "Up" => KeyCode::Up,
        "Down" => KeyCode::Down,
        "Left" => KeyCode::Left,
        "Right" => KeyCode::Right,
        "PageUp" => KeyCode::PageUp,
        "PageDown" => KeyCode::PageDown,
        "Home" => KeyCode::Home,
        "End" => KeyCode::End,
        "Space" => KeyCode::Char(' '),
        f if f.len() > 1 && f.starts_with('F') => match f[1..].parse() {
            Ok(n @ 1..=24) => KeyCode::F(n),
            _ => return None,
        },
        s => {
            let mut chars = s.chars();
            let c = chars.next()?;
            if chars.next().is_some() || c.is_control() {
                return None;
            }
            KeyCode::Char(if mods.contains(KeyModifiers::CONTROL) {
                c.to_ascii_lowercase()
            } else {
                c
            })
        }
    };
    Some(Key { code, mods })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_to_the_keys_terminals_send() {
        let k = |code, mods| Some(Key { code, mods });
        assert_eq!(parse_key("q"), k(KeyCode::Char('q'), KeyModifiers::NONE));
        assert_eq!(
            parse_key("Ctrl-D"),
            k(KeyCode::Char('d'), KeyModifiers::CONTROL)
        );
        assert_eq!(parse_key("Shift-Tab"), parse_key("BackTab"));
        assert_eq!(parse_key("F12"), k(KeyCode::F(12), KeyModifiers::NONE));
        for bad in ["", "gg", "Hyper-x", "F0", "F99", "Ctrl-"] {
            assert_eq!(parse_key(bad), None, "{bad:?}");
        }
    }
}
