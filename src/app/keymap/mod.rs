//! Keymaps are data: TOML tables of bindings per mode. The help screen and the key-hint
//! bar are generated from the same table, so they cannot drift from what the keys do.
//! File format and merging rules: docs/keymaps.md.

mod file;
mod keys;

use super::action::Action;
use super::state::Lang;
use crate::file_error::{FileError, FileErrors};
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
    /// Help text a keymap file gave this binding itself (a user's `zh = "…"`), by language.
    pub own: OwnWords,
    /// The catalogue's key for what the action does in this mode, found when the keymap
    /// is read (`words::binding_key`).
    catalogue: Option<&'static str>,
    pub hint: bool,
}

impl Binding {
    /// A binding with the catalogue's help text and no words of its own.
    pub fn new(mode: Mode, action: Action, key_names: Vec<String>, keys: Vec<Key>) -> Binding {
        Binding {
            mode,
            key_names,
            keys,
            action,
            own: OwnWords::default(),
            catalogue: crate::words::binding_key(&mode.name(), &serde_name(&action)),
            hint: false,
        }
    }

    /// The help text in `lang`: the binding's own in that language, else the catalogue's
    /// for its action in its mode.
    pub fn text(&self, lang: Lang) -> &str {
        match (self.own.get(lang), self.catalogue) {
            (Some(own), _) => own,
            (None, Some(key)) => lang.t(key),
            (None, None) => "",
        }
    }
}

/// Help text by language, each optional: what a keymap file wrote for a binding, one field
/// per language code (`zh`, `en`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OwnWords(Vec<(Lang, String)>);

impl OwnWords {
    pub fn get(&self, lang: Lang) -> Option<&str> {
        self.0
            .iter()
            .find(|(l, _)| *l == lang)
            .map(|(_, t)| t.as_str())
    }

    /// Give `lang` this text, in place of any it had.
    pub fn set(&mut self, lang: Lang, text: String) {
        match self.0.iter_mut().find(|(l, _)| *l == lang) {
            Some((_, t)) => *t = text,
            None => self.0.push((lang, text)),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Each language given, with its text, in the order written.
    pub fn iter(&self) -> impl Iterator<Item = (Lang, &str)> {
        self.0.iter().map(|(l, t)| (*l, t.as_str()))
    }
}

/// Every key of the catalogue a binding's help text could come from: `keys.ACTION` for
/// each action, `keys.in.MODE.ACTION` for each mode and an action it answers. The test of
/// unused keys counts these as used (they are made from names, see `words::binding_key`).
pub fn text_keys() -> Vec<String> {
    let mut keys: Vec<String> = Action::ALL
        .iter()
        .map(|a| format!("keys.{}", serde_name(a)))
        .collect();
    for mode in Mode::ALL {
        for a in Action::ALL {
            if super::rooms::answers(mode, *a) {
                keys.push(format!("keys.in.{}.{}", mode.name(), serde_name(a)));
            }
        }
    }
    keys
}

#[derive(Debug, Clone, PartialEq)]
pub struct Keymap {
    /// Within a mode, in the order the help and the hint bar list them.
    pub bindings: Vec<Binding>,
}

/// `extending`: the built-in keymaps already on the way here, so that one extending itself
/// (through others or not) is an error instead of an endless loop.
/// `builtins`: the keymaps `extends` may name (BUILTIN, but for tests).
fn parse_file(
    text: &str,
    origin: &str,
    builtins: &[(&str, &str)],
    extending: &mut Vec<String>,
) -> Result<Keymap, FileErrors> {
    let (layer, mut errors) = Layer::read(text, origin);
    let base = match layer.extends() {
        None => Ok(Keymap {
            bindings: Vec::new(),
        }),
        Some((name, line)) => {
            let at = |message: String| FileError {
                file: origin.to_owned(),
                line,
                message,
            };
            match builtins.iter().find(|(n, _)| *n == name) {
                None => Err(FileErrors(vec![at(format!(
                    "extends {name:?}: no such built-in keymap (there are {})",
                    builtins
                        .iter()
                        .map(|(n, _)| *n)
                        .collect::<Vec<_>>()
                        .join(", ")
                ))])),
                Some(_) if extending.iter().any(|n| n == name) => Err(FileErrors(vec![at(
                    format!("extends {name:?}: a keymap cannot extend itself"),
                )])),
                Some((n, text)) => {
                    extending.push(name.to_owned());
                    let origin = format!("keymaps/{n}.toml");
                    let base = parse_file(text, &origin, builtins, extending);
                    extending.pop();
                    base
                }
            }
        }
    };
    match base {
        Ok(base) => {
            let (keymap, more) = layer.lay_over(base);
            errors.extend(more);
            if errors.is_empty() {
                return Ok(keymap);
            }
        }
        // Without a base, what the file changes cannot be checked; what it says can.
        Err(e) => errors.extend(e.0),
    }
    // Read first, laid over second: put them back in the order an editor walks the file.
    errors.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    Err(FileErrors(errors))
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

    /// A keymap file: a complete keymap, or with `extends = "NAME"` a patch over that
    /// built-in keymap. Every problem is reported as `origin:line: message`.
    pub fn parse(text: &str, origin: &str) -> Result<Keymap, FileErrors> {
        parse_file(text, origin, BUILTIN, &mut Vec::new())
    }

    /// This keymap with a user's layer laid over it (rules in docs/keymaps.md).
    pub fn with_layer(self, layer: &Layer) -> Result<Keymap, FileErrors> {
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
    fn builtin_keymaps_carry_no_texts_and_every_binding_has_the_catalogues() {
        for name in Keymap::builtin_names() {
            for b in Keymap::builtin(name).unwrap().bindings {
                assert!(b.own.is_empty(), "keymaps/{name}.toml: {b:?} has words");
                for lang in Lang::ALL {
                    assert!(!b.text(lang).is_empty(), "keymaps/{name}.toml: {b:?}");
                }
            }
        }
    }

    #[test]
    fn every_action_has_its_help_text_in_the_catalogue_and_a_mode_its_own_only_if_it_differs() {
        use crate::words::binding_key;
        for a in Action::ALL {
            let name = serde_name(a);
            // No mode is named "", so this is the action's own key.
            let general = binding_key("", &name);
            assert_eq!(
                general,
                Some(format!("keys.{name}").as_str()),
                "in words/*.toml"
            );
            for mode in Mode::ALL {
                let here = binding_key(&mode.name(), &name);
                if here != general
                    && let (Some(here), Some(general)) = (here, general)
                {
                    assert!(
                        Lang::ALL.iter().any(|l| l.t(here) != l.t(general)),
                        "{here} reads as {general} in every language: drop it"
                    );
                }
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
    fn the_vim_patch_gives_binding_for_binding_the_complete_vim_keymap_it_replaced() {
        let frozen = Keymap::parse(
            include_str!("../../../tests/fixtures/keymaps/vim-complete.toml"),
            "tests/fixtures/keymaps/vim-complete.toml",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let vim = BUILTIN.iter().find(|(n, _)| *n == "vim").unwrap().1;
        assert_eq!(
            Layer::parse(vim, "vim.toml")
                .unwrap()
                .extends()
                .map(|e| e.0),
            Some("default")
        );
        let patched = Keymap::parse(vim, "keymaps/vim.toml").unwrap_or_else(|e| panic!("{e}"));
        // Binding by binding, so a difference names its place: the mode, the keys and their
        // names in order, the action, the hint, and the help text in every language as the
        // help would show it (the frozen copy's own words, the patch's from the catalogue).
        let seen = |b: &Binding| {
            let texts: Vec<&str> = Lang::ALL.iter().map(|l| b.text(*l)).collect();
            (
                b.mode,
                b.key_names.clone(),
                b.keys.clone(),
                b.action,
                b.hint,
                texts.join(" | "),
            )
        };
        for (i, (p, f)) in patched.bindings.iter().zip(&frozen.bindings).enumerate() {
            assert_eq!(
                seen(p),
                seen(f),
                "binding {i}: the patch gives the first, the frozen copy the second"
            );
        }
        assert_eq!(patched.bindings.len(), frozen.bindings.len());
        for mode in Mode::ALL {
            let actions = |k: &Keymap| k.in_mode(mode).map(|b| b.action).collect::<Vec<_>>();
            assert_eq!(actions(&patched), actions(&frozen), "order in {mode:?}");
        }
    }

    #[test]
    fn every_binding_in_a_builtin_patch_changes_the_keymap_it_extends() {
        for (name, text) in BUILTIN {
            let origin = format!("keymaps/{name}.toml");
            let layer = Layer::parse(text, &origin).unwrap();
            let Some((base, _)) = layer.extends() else {
                continue;
            };
            let base = Keymap::builtin(base).unwrap();
            let whole = layer.apply(base.clone()).unwrap();
            for i in 0..layer.binding_count() {
                // Err: a later binding is placed after this one, so it is needed.
                if let Ok(without) = layer.without(i).apply(base.clone()) {
                    assert_ne!(
                        without,
                        whole,
                        "{origin}: binding {} changes nothing",
                        i + 1
                    );
                }
            }
        }
    }

    #[test]
    fn a_patch_rebinds_unbinds_adds_retexts_and_places() {
        let patch = "extends = \"default\"\n\
            [[binding]]\nmode = \"watch\"\naction = \"intake\"\nkeys = []\n\
            [[binding]]\nmode = \"watch\"\naction = \"ack\"\nen = \"Ack\"\nafter = \"help\"\n\
            [[binding]]\nmode = \"list\"\naction = \"top\"\nkeys = [\"g\"]\nzh = \"到顶\"\nen = \"Top\"\n\
            [[binding]]\nmode = \"list\"\naction = \"bottom\"\nkeys = [\"G\"]\nzh = \"到底\"\nen = \"Bottom\"\nbefore = \"close\"\n";
        let km = Keymap::parse(patch, "p.toml").unwrap_or_else(|e| panic!("{e}"));
        let none = KeyModifiers::NONE;
        assert_eq!(km.action(Mode::Watch, &key(KeyCode::Char('n'), none)), None);
        let watch: Vec<_> = km.in_mode(Mode::Watch).map(|b| b.action).collect();
        assert_eq!(&watch[..3], [Action::Help, Action::Ack, Action::Quit]);
        let ack = km
            .in_mode(Mode::Watch)
            .find(|b| b.action == Action::Ack)
            .unwrap();
        assert_eq!(
            (ack.text(Lang::En), ack.text(Lang::Zh), ack.hint),
            ("Ack", "确认预警", true)
        );
        assert_eq!(ack.key_names, ["a"], "keys left out stay");
        let list: Vec<_> = km.in_mode(Mode::List).map(|b| b.action).collect();
        assert_eq!(list.first(), Some(&Action::Bottom));
        assert_eq!(
            list.last(),
            Some(&Action::Top),
            "a new binding goes at the end of its mode"
        );
    }

    #[test]
    fn a_user_file_may_extend_vim_and_a_file_without_extends_is_complete() {
        let mine = Keymap::parse(
            "extends = \"vim\"\n[[binding]]\nmode = \"watch\"\naction = \"ack\"\nkeys = [\"A\"]\n",
            "mine.toml",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let vim = Keymap::builtin("vim").unwrap();
        assert_eq!(mine.bindings.len(), vim.bindings.len());
        let none = KeyModifiers::NONE;
        assert_eq!(
            mine.action(Mode::Watch, &key(KeyCode::Char('A'), none)),
            Some(Action::Ack)
        );
        assert_eq!(
            mine.action(Mode::Watch, &key(KeyCode::Char('l'), none)),
            Some(Action::FocusNext)
        );
        let complete = Keymap::parse(
            "[[binding]]\nmode = \"watch\"\naction = \"ack\"\nkeys = [\"A\"]\nzh = \"确认\"\nen = \"Ack\"\n",
            "wall.toml",
        )
        .unwrap();
        assert_eq!(complete.bindings.len(), 1);
    }

    #[test]
    fn a_patch_reports_every_mistake_at_its_line_in_one_run() {
        let text = "extends = \"vim\"\n\
            colour = \"red\"\n\
            [[binding]]\nmode = \"watch\"\naction = \"ack\"\nkeys = [\"Ctlr-x\"]\nhnit = true\n\
            [[binding]]\nmode = \"wach\"\naction = \"ack\"\n\
            [[binding]]\nmode = \"watch\"\naction = \"explode\"\n\
            [[binding]]\nmode = \"experts\"\naction = \"top\"\nafter = \"ack\"\n\
            [[binding]]\nmode = \"watch\"\naction = \"log\"\nkeys = [\"y\"]\n\
            [[binding]]\nmode = \"watch\"\naction = \"intake\"\nkeys = [\"y\"]\n";
        let err = Keymap::parse(text, "p.toml").unwrap_err().to_string();
        for (line, what) in [
            (2, "unknown field `colour`"),
            (6, "\"Ctlr\" is not a modifier"),
            (7, "unknown field `hnit`"),
            (9, "unknown variant `wach`"),
            (13, "unknown variant `explode`"),
            (17, "mode \"experts\" has no binding for \"ack\""),
            (25, "bound to both \"log\" (line 21) and \"intake\""),
        ] {
            let at = format!("p.toml:{line}: ");
            assert!(
                err.lines().any(|l| l.starts_with(&at) && l.contains(what)),
                "expected {at}… {what}:\n{err}"
            );
        }
        assert_eq!(err.lines().count(), 7, "{err}");
        let err = Keymap::parse("# mine\nextends = \"emacs\"\n", "p.toml").unwrap_err();
        assert!(
            err.to_string().starts_with("p.toml:2: extends \"emacs\""),
            "{err}"
        );
        assert!(err.to_string().contains("default, vim"), "{err}");
    }

    #[test]
    fn every_keymap_example_in_the_docs_loads() {
        let doc = include_str!("../../../docs/keymaps.md");
        let blocks: Vec<&str> = doc
            .split("```toml\n")
            .skip(1)
            .filter_map(|b| b.split_once("```").map(|(toml, _)| toml))
            .collect();
        assert!(blocks.len() >= 3, "{blocks:?}");
        for (i, block) in blocks.iter().enumerate() {
            let origin = format!("docs/keymaps.md example {}", i + 1);
            let layer = Layer::parse(block, &origin).unwrap_or_else(|e| panic!("{e}"));
            if layer.extends().is_some() {
                Keymap::parse(block, &origin).unwrap_or_else(|e| panic!("{e}"));
            }
            for name in Keymap::builtin_names() {
                let base = Keymap::builtin(name).unwrap();
                layer
                    .apply(base)
                    .unwrap_or_else(|e| panic!("over {name}: {e}"));
            }
        }
    }

    #[test]
    fn keymaps_extending_each_other_in_a_ring_are_an_error_not_a_loop() {
        let ring = [("a", "extends = \"b\"\n"), ("b", "\nextends = \"a\"\n")];
        let err = parse_file("extends = \"a\"\n", "mine.toml", &ring, &mut Vec::new())
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "keymaps/b.toml:2: extends \"a\": a keymap cannot extend itself"
        );
    }

    #[test]
    fn mode_names_are_the_file_spelling() {
        assert_eq!(Mode::ExpertSearch.name(), "expert_search");
        assert_eq!(serde_name(&Action::PageDown), "page_down");
    }
}
