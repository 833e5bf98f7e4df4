//! Reading keymap files: every binding checked with its line number, conflicts within a
//! file found, and a user's layer laid over a complete keymap.

use super::keys::{Key, parse_key};
use super::{Binding, Keymap, Mode, serde_name};
use crate::app::action::Action;
use crate::file_error::{Collector, FileError, FileErrors};
use serde::Deserialize;
use std::collections::HashMap;
use toml::Spanned;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    binding: Vec<RawBinding>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBinding {
    mode: Spanned<Mode>,
    keys: Spanned<Vec<Spanned<String>>>,
    action: Spanned<Action>,
    zh: Option<String>,
    en: Option<String>,
    hint: Option<bool>,
}

/// One file's bindings, checked on their own: a complete keymap, or a user's changes.
#[derive(Debug, Clone, PartialEq)]
pub struct Layer {
    origin: String,
    bindings: Vec<LayerBinding>,
}

#[derive(Debug, Clone, PartialEq)]
struct LayerBinding {
    line: usize,
    mode: Mode,
    action: Action,
    key_names: Vec<String>,
    keys: Vec<Key>,
    zh: Option<String>,
    en: Option<String>,
    hint: Option<bool>,
}

impl Layer {
    /// Parse and check one file: unknown modes, actions and key names, a key bound to two
    /// actions in one mode, an action bound twice in one mode.
    pub fn parse(text: &str, origin: &str) -> Result<Layer, FileErrors> {
        let mut c = Collector::new(origin, text);
        let raw: RawFile = match toml::from_str(text) {
            Ok(f) => f,
            Err(e) => {
                c.toml(&e);
                return Err(FileErrors(c.errors));
            }
        };
        let mut bindings = Vec::new();
        // (mode, key) → (action, line) and (mode, action) → line, for conflicts.
        let mut by_key: HashMap<(Mode, Key), (Action, usize)> = HashMap::new();
        let mut by_action: HashMap<(Mode, Action), usize> = HashMap::new();
        for rb in raw.binding {
            let mode = *rb.mode.get_ref();
            let action = *rb.action.get_ref();
            let line = c.line(&rb.action.span());
            if let Some(first) = by_action.insert((mode, action), line) {
                c.at(
                    &rb.action.span(),
                    format!(
                        "action {:?} is bound twice in mode {:?} (first at line {first}); \
                         put all its keys in one binding",
                        serde_name(&action),
                        mode.name()
                    ),
                );
            }
            let mut key_names = Vec::new();
            let mut keys = Vec::new();
            for name in rb.keys.get_ref() {
                let Some(key) = parse_key(name.get_ref()) else {
                    c.at(&name.span(), unknown_key_message(name.get_ref()));
                    continue;
                };
                let key_line = c.line(&name.span());
                match by_key.get(&(mode, key.clone())) {
                    Some((other, _)) if *other == action => {
                        c.at(
                            &name.span(),
                            format!("key {:?} is listed twice", name.get_ref()),
                        );
                        continue;
                    }
                    Some((other, other_line)) => {
                        c.at(
                            &name.span(),
                            format!(
                                "key {:?} in mode {:?} is bound to both {:?} (line {other_line}) and {:?}",
                                name.get_ref(),
                                mode.name(),
                                serde_name(other),
                                serde_name(&action)
                            ),
                        );
                        continue;
                    }
                    None => {}
                }
                by_key.insert((mode, key.clone()), (action, key_line));
                key_names.push(name.get_ref().clone());
                keys.push(key);
            }
            bindings.push(LayerBinding {
                line,
                mode,
                action,
                key_names,
                keys,
                zh: rb.zh,
                en: rb.en,
                hint: rb.hint,
            });
        }
        c.finish(Layer {
            origin: origin.to_owned(),
            bindings,
        })
    }

    /// A complete keymap: every binding must carry its help text. A binding with no keys
    /// binds nothing.
    pub fn into_keymap(self) -> Result<Keymap, FileErrors> {
        let mut errors = Vec::new();
        let mut bindings = Vec::new();
        for b in self.bindings {
            if b.keys.is_empty() {
                continue;
            }
            match (b.zh, b.en) {
                (Some(zh), Some(en)) => bindings.push(Binding {
                    mode: b.mode,
                    key_names: b.key_names,
                    keys: b.keys,
                    action: b.action,
                    zh,
                    en,
                    hint: b.hint.unwrap_or(false),
                }),
                _ => errors.push(needs_text(&self.origin, b.line, b.action)),
            }
        }
        if errors.is_empty() {
            Ok(Keymap { bindings })
        } else {
            Err(FileErrors(errors))
        }
    }

    /// Lay this layer over `base`. For each binding here, in its mode: its keys are taken
    /// from whatever the base bound them to; the base's binding for the same action gets
    /// exactly these keys (none: the action is unbound) and keeps its help text unless this
    /// one gives new text; an action the base did not bind in that mode is added and must
    /// bring its help text.
    pub fn apply(&self, mut base: Keymap) -> Result<Keymap, FileErrors> {
        let mut errors = Vec::new();
        for b in &self.bindings {
            for other in base
                .bindings
                .iter_mut()
                .filter(|o| o.mode == b.mode && o.action != b.action)
            {
                let kept: Vec<(String, Key)> = other
                    .key_names
                    .drain(..)
                    .zip(other.keys.drain(..))
                    .filter(|(_, k)| !b.keys.contains(k))
                    .collect();
                (other.key_names, other.keys) = kept.into_iter().unzip();
            }
            match base
                .bindings
                .iter_mut()
                .find(|o| o.mode == b.mode && o.action == b.action)
            {
                Some(same) => {
                    same.key_names = b.key_names.clone();
                    same.keys = b.keys.clone();
                    if let Some(zh) = &b.zh {
                        same.zh = zh.clone();
                    }
                    if let Some(en) = &b.en {
                        same.en = en.clone();
                    }
                    if let Some(hint) = b.hint {
                        same.hint = hint;
                    }
                }
                None if b.keys.is_empty() => {}
                None => match (&b.zh, &b.en) {
                    (Some(zh), Some(en)) => base.bindings.push(Binding {
                        mode: b.mode,
                        key_names: b.key_names.clone(),
                        keys: b.keys.clone(),
                        action: b.action,
                        zh: zh.clone(),
                        en: en.clone(),
                        hint: b.hint.unwrap_or(false),
                    }),
                    _ => errors.push(needs_text(&self.origin, b.line, b.action)),
                },
            }
        }
        base.bindings.retain(|b| !b.keys.is_empty());
        if errors.is_empty() {
            Ok(base)
        } else {
            Err(FileErrors(errors))
        }
    }
}

fn needs_text(origin: &str, line: usize, action: Action) -> FileError {
    FileError {
        file: origin.to_owned(),
        line,
        message: format!(
            "the binding for {:?} needs its help text: zh = \"…\" and en = \"…\"",
            serde_name(&action)
        ),
    }
}

fn unknown_key_message(name: &str) -> String {
    let chars = name.chars().count();
    if chars > 1 && name.chars().all(|c| c.is_ascii_alphanumeric()) && !name.contains('-') {
        format!(
            "unknown key name {name:?}: a binding takes single keys (sequences such as \"gg\" \
             are not supported); named keys are Tab, BackTab, Enter, Esc, Space, Up, Down, Left, \
             Right, PageUp, PageDown, Home, End, Backspace, Delete, Insert, F1…F24"
        )
    } else {
        format!(
            "unknown key name {name:?}: use one character, a named key (Tab, Enter, Esc, Up, \
             PageDown, F1 …) or a Ctrl-/Alt- prefix"
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    fn press(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
    }

    const TWO: &str = "[[binding]]\nmode = \"watch\"\nkeys = [\"j\"]\naction = \"down\"\nzh = \"下\"\nen = \"Down\"\n\n\
                       [[binding]]\nmode = \"watch\"\nkeys = [\"k\"]\naction = \"up\"\nzh = \"上\"\nen = \"Up\"\n";

    #[test]
    fn a_key_bound_twice_in_one_mode_is_a_conflict_with_both_lines() {
        let text = TWO.replace("[\"k\"]", "[\"j\"]");
        let err = Keymap::parse(&text, "k.toml").unwrap_err().to_string();
        assert!(err.starts_with("k.toml:10: "), "{err}");
        assert!(
            err.contains("\"down\" (line 3)") && err.contains("\"up\""),
            "{err}"
        );
    }

    #[test]
    fn the_same_key_in_two_modes_is_no_conflict() {
        let text = TWO
            .replacen("\"watch\"", "\"help\"", 1)
            .replace("\"k\"", "\"j\"");
        let km = Keymap::parse(&text, "k.toml").unwrap();
        assert_eq!(km.action(Mode::Help, &press('j')), Some(Action::Down));
        assert_eq!(km.action(Mode::Watch, &press('j')), Some(Action::Up));
    }

    #[test]
    fn unknown_names_are_reported_at_their_line() {
        let err = Keymap::parse(&TWO.replace("\"up\"", "\"upward\""), "k.toml")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("k.toml:11: ") && err.contains("upward"),
            "{err}"
        );
        let err = Keymap::parse(&TWO.replace("\"watch\"", "\"wach\""), "k.toml")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("k.toml:2: ") && err.contains("wach"),
            "{err}"
        );
        let err = Keymap::parse(&TWO.replace("[\"k\"]", "[\"kk\"]"), "k.toml")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("k.toml:10: ") && err.contains("sequences"),
            "{err}"
        );
    }

    #[test]
    fn a_layer_rebinds_steals_and_unbinds() {
        let base = Keymap::parse(TWO, "base.toml").unwrap();
        // `k` now moves down; `up` loses `k` and is left with no key, so it goes.
        let layer = Layer::parse(
            "[[binding]]\nmode = \"watch\"\nkeys = [\"k\", \"j\"]\naction = \"down\"\n",
            "user.toml",
        )
        .unwrap();
        let km = base.clone().with_layer(&layer).unwrap();
        assert_eq!(km.action(Mode::Watch, &press('k')), Some(Action::Down));
        assert!(km.in_mode(Mode::Watch).all(|b| b.action != Action::Up));
        // The help text stays when the layer gives none.
        assert_eq!(km.bindings[0].zh, "下");
        let off = Layer::parse(
            "[[binding]]\nmode = \"watch\"\nkeys = []\naction = \"down\"\n",
            "user.toml",
        )
        .unwrap();
        let km = base.with_layer(&off).unwrap();
        assert_eq!(km.action(Mode::Watch, &press('j')), None);
        assert_eq!(km.action(Mode::Watch, &press('k')), Some(Action::Up));
    }

    #[test]
    fn a_new_binding_in_a_layer_needs_help_text() {
        let base = Keymap::parse(TWO, "base.toml").unwrap();
        let layer = Layer::parse(
            "\n[[binding]]\nmode = \"watch\"\nkeys = [\"x\"]\naction = \"quit\"\n",
            "user.toml",
        )
        .unwrap();
        let err = base.with_layer(&layer).unwrap_err().to_string();
        assert!(
            err.starts_with("user.toml:5: ") && err.contains("zh"),
            "{err}"
        );
    }
}
