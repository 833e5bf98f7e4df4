//! Keymaps are data: TOML tables of bindings per mode. The help screen and the key-hint
//! bar are generated from the same table, so they cannot drift from what the keys do.
//! File format and merging rules: docs/keymaps.md.

mod file;
mod keys;

use super::action::Action;
use crossterm::event::KeyEvent;
use serde::{Deserialize, Serialize};

pub use file::Layer;
pub use keys::{Key, normalise, parse_key};

/// The keymaps that ship inside the binary, by name.
pub const BUILTIN: &[(&str, &str)] = &[
    ("default", include_str!("../../../keymaps/default.toml")),
    ("vim", include_str!("../../../keymaps/vim.toml")),
];

/// The embedded default keymap.
pub const DEFAULT_KEYMAP: &str = BUILTIN[0].1;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
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
    /// A list overlay (silences, leader instructions, sources).
    List,
    /// The `:` command line or the `/` filter line: keys not bound here type.
    Prompt,
}

impl Mode {
    /// Every mode, in the order the help lists them.
    pub const ALL: [Mode; 10] = [
        Mode::Watch,
        Mode::Prompt,
        Mode::Detail,
        Mode::Form,
        Mode::Handover,
        Mode::List,
        Mode::Experts,
        Mode::ExpertSearch,
        Mode::Help,
        Mode::Global,
    ];

    /// The name used in keymap files.
    pub fn name(self) -> String {
        serde_name(&self)
    }
}

/// The snake_case name serde gives a unit variant (as keymap files spell it).
pub fn serde_name<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

#[derive(Debug, Clone, PartialEq)]
pub struct Binding {
    pub mode: Mode,
    /// As written in the file, for display; parallel to `keys`.
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

impl Keymap {
    pub fn embedded() -> Keymap {
        Keymap::builtin("default").expect("the built-in keymaps are checked by a unit test")
    }

    /// A keymap shipped in the binary; None for an unknown name.
    pub fn builtin(name: &str) -> Option<Keymap> {
        let (name, text) = BUILTIN.iter().find(|(n, _)| *n == name)?;
        Keymap::parse(text, &format!("keymaps/{name}.toml")).ok()
    }

    pub fn builtin_names() -> impl Iterator<Item = &'static str> {
        BUILTIN.iter().map(|(n, _)| *n)
    }

    /// A complete keymap; every problem is reported as `origin:line: message`.
    pub fn parse(text: &str, origin: &str) -> Result<Keymap, crate::file_error::FileErrors> {
        Layer::parse(text, origin)?.into_keymap()
    }

    /// This keymap with a user's layer laid over it (rules in docs/keymaps.md).
    pub fn with_layer(self, layer: &Layer) -> Result<Keymap, crate::file_error::FileErrors> {
        layer.apply(self)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::{KeyCode, KeyModifiers};

    fn key(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    #[test]
    fn every_builtin_keymap_parses() {
        for (name, text) in BUILTIN {
            let origin = format!("keymaps/{name}.toml");
            if let Err(e) = Keymap::parse(text, &origin) {
                panic!("{e}");
            }
        }
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
    fn vim_keymap_moves_with_hjkl_and_pages_with_ctrl_d_u() {
        let km = Keymap::builtin("vim").unwrap();
        let none = KeyModifiers::NONE;
        let ctrl = KeyModifiers::CONTROL;
        let at = |c: char, m| km.action(Mode::Watch, &key(KeyCode::Char(c), m));
        assert_eq!(at('j', none), Some(Action::Down));
        assert_eq!(at('k', none), Some(Action::Up));
        assert_eq!(at('h', none), Some(Action::FocusPrev));
        assert_eq!(at('l', none), Some(Action::FocusNext));
        assert_eq!(at('g', none), Some(Action::Top));
        assert_eq!(at('G', KeyModifiers::SHIFT), Some(Action::Bottom));
        assert_eq!(at('d', ctrl), Some(Action::PageDown));
        assert_eq!(at('u', ctrl), Some(Action::PageUp));
        // `/` filters and `:` opens the command line, as in vim.
        assert_eq!(at('/', none), Some(Action::Filter));
        assert_eq!(at(':', none), Some(Action::Command));
    }

    #[test]
    fn mode_names_are_the_file_spelling() {
        assert_eq!(Mode::ExpertSearch.name(), "expert_search");
        assert_eq!(serde_name(&Action::PageDown), "page_down");
    }
}
