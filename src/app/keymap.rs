//! Keymaps are data: TOML tables of bindings per mode. The help screen and the key-hint
//! bar are generated from the same table, so they cannot drift from what the keys do.

use super::action::Action;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde::Deserialize;

/// The embedded default keymap.
pub const DEFAULT_KEYMAP: &str = include_str!("../../keymaps/default.toml");

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Works everywhere, checked after the current mode.
    Global,
    Watch,
    Help,
    Detail,
    /// A form is open: keys not bound here edit the focused field.
    Form,
    /// The expert lookup with the cursor in the search box: keys not bound here type.
    ExpertSearch,
    /// The expert lookup with the cursor in the list or the tree.
    Experts,
    /// The handover review: keys not bound here type the notes.
    Handover,
    /// A list overlay (silences, leader instructions).
    List,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Binding {
    pub mode: Mode,
    /// As written in the file, for display.
    pub key_names: Vec<String>,
    pub keys: Vec<Key>,
    pub action: Action,
    pub zh: String,
    pub en: String,
    pub hint: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Keymap {
    pub bindings: Vec<Binding>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    binding: Vec<RawBinding>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBinding {
    mode: Mode,
    keys: Vec<String>,
    action: Action,
    zh: String,
    en: String,
    #[serde(default)]
    hint: bool,
}

impl Keymap {
    pub fn embedded() -> Keymap {
        Keymap::parse(DEFAULT_KEYMAP, "keymaps/default.toml")
            .expect("the embedded keymap is checked by a unit test")
    }

    /// Parse keymap TOML; errors name `origin` and the binding's position.
    pub fn parse(text: &str, origin: &str) -> anyhow::Result<Keymap> {
        let file: File =
            toml::from_str(text).map_err(|e| anyhow::anyhow!("{origin}: {}", e.message()))?;
        let mut bindings = Vec::new();
        for (n, raw) in file.binding.into_iter().enumerate() {
            let keys = raw
                .keys
                .iter()
                .map(|k| {
                    parse_key(k).ok_or_else(|| {
                        anyhow::anyhow!("{origin}: binding {}: unknown key name {k:?}", n + 1)
                    })
                })
                .collect::<anyhow::Result<Vec<_>>>()?;
            bindings.push(Binding {
                mode: raw.mode,
                key_names: raw.keys,
                keys,
                action: raw.action,
                zh: raw.zh,
                en: raw.en,
                hint: raw.hint,
            });
        }
        Ok(Keymap { bindings })
    }

    /// The action bound to `ev` in `mode`, else in the global mode.
    pub fn action(&self, mode: Mode, ev: &KeyEvent) -> Option<Action> {
        let key = normalise(ev);
        let find = |m: Mode| {
            self.bindings
                .iter()
                .find(|b| b.mode == m && b.keys.contains(&key))
                .map(|b| b.action)
        };
        find(mode).or_else(|| find(Mode::Global))
    }

    pub fn in_mode(&self, mode: Mode) -> impl Iterator<Item = &Binding> {
        self.bindings.iter().filter(move |b| b.mode == mode)
    }

    /// Drop every binding that changes something: the read-only wall has none of them,
    /// not even in help.
    pub fn without_writes(mut self) -> Keymap {
        self.bindings.retain(|b| !b.action.writes());
        self
    }

    pub fn hints(&self, mode: Mode) -> impl Iterator<Item = &Binding> {
        self.in_mode(mode).filter(|b| b.hint)
    }
}

/// Shifted characters arrive with SHIFT set on some terminals and not on others;
/// compare characters without it.
fn normalise(ev: &KeyEvent) -> Key {
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
        "Up" => KeyCode::Up,
        "Down" => KeyCode::Down,
        "Left" => KeyCode::Left,
        "Right" => KeyCode::Right,
        "PageUp" => KeyCode::PageUp,
        "PageDown" => KeyCode::PageDown,
        "Home" => KeyCode::Home,
        "End" => KeyCode::End,
        "Space" => KeyCode::Char(' '),
        f if f.len() > 1 && f.starts_with('F') => KeyCode::F(f[1..].parse().ok()?),
        s => {
            let mut chars = s.chars();
            let c = chars.next()?;
            if chars.next().is_some() {
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

    fn key(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    #[test]
    fn embedded_keymap_parses_and_maps_the_basic_keys() {
        let km = Keymap::embedded();
        let none = KeyModifiers::NONE;
        assert_eq!(
            km.action(Mode::Watch, &key(KeyCode::Char('q'), none)),
            Some(Action::Quit)
        );
        assert_eq!(
            km.action(Mode::Watch, &key(KeyCode::Char('c'), KeyModifiers::CONTROL)),
            Some(Action::Quit)
        );
        assert_eq!(
            km.action(Mode::Help, &key(KeyCode::Esc, none)),
            Some(Action::Close)
        );
        assert_eq!(
            km.action(Mode::Watch, &key(KeyCode::Char('?'), KeyModifiers::SHIFT)),
            Some(Action::Help)
        );
        assert_eq!(
            km.action(Mode::Watch, &key(KeyCode::BackTab, KeyModifiers::SHIFT)),
            Some(Action::FocusPrev)
        );
        assert_eq!(km.action(Mode::Watch, &key(KeyCode::Char('x'), none)), None);
    }

    #[test]
    fn unknown_key_names_and_actions_are_reported() {
        let bad_key =
            "[[binding]]\nmode=\"watch\"\nkeys=[\"Hyper-x\"]\naction=\"quit\"\nzh=\"\"\nen=\"\"\n";
        let err = Keymap::parse(bad_key, "k.toml").unwrap_err().to_string();
        assert!(err.contains("k.toml") && err.contains("Hyper-x"), "{err}");
        let bad_action = bad_key.replace("Hyper-x", "q").replace("quit", "explode");
        let err = Keymap::parse(&bad_action, "k.toml")
            .unwrap_err()
            .to_string();
        assert!(err.contains("explode"), "{err}");
    }
}
