//! Reading keymap files: every binding checked with its line number, conflicts within a
//! file found, and a file's bindings laid over a keymap — the built-in one it extends, the
//! chosen one (the user's `keymap.toml`), or nothing at all (a complete keymap).
//!
//! Reading goes on past a problem, so one run reports every problem in a file: a binding
//! whose mode or action cannot be read is left out, a key name that cannot be read is left
//! out of its binding, and the rest is still laid over its base and checked there.

use super::keys::{Key, parse_key};
use super::{Binding, Keymap, Mode, OwnWords, serde_name};
use crate::app::Lang;
use crate::app::action::Action;
use crate::app::rooms;
use crate::file_error::{Collector, FileError, FileErrors};
use serde::de::DeserializeOwned;
use std::collections::HashMap;
use std::ops::Range;
use toml::Spanned;
use toml::de::{DeTable, DeValue, ValueDeserializer};

/// The fields of a binding; a language's code (`zh`, `en`) is one too, for its help text.
fn binding_fields() -> String {
    let codes: Vec<String> = crate::words::codes().map(|c| format!("`{c}`")).collect();
    format!(
        "`mode`, `action`, `keys`, {}, `hint`, `after`, `before`",
        codes.join(", ")
    )
}

/// One file's bindings, checked on their own: a complete keymap, or changes to another.
#[derive(Debug, Clone, PartialEq)]
pub struct Layer {
    origin: String,
    /// `extends = "NAME"`, and its line.
    extends: Option<(String, usize)>,
    bindings: Vec<LayerBinding>,
}

#[derive(Debug, Clone, PartialEq)]
struct LayerBinding {
    /// The line of `action`, where problems with the binding as a whole are reported.
    line: usize,
    mode: Mode,
    action: Action,
    /// None: the file leaves the keys out, so the base's stay.
    keys: Option<Vec<(String, Key)>>,
    /// The binding's own help text, in the languages the file gives.
    words: OwnWords,
    hint: Option<bool>,
    place: Option<Place>,
}

/// `after = "ACTION"` or `before = "ACTION"`: where the binding goes among its mode's.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Place {
    after: bool,
    next_to: Action,
    line: usize,
}

/// A `[[binding]]` table as written, each field with its place in the text.
#[derive(Default)]
struct RawBinding {
    mode: Option<Spanned<Mode>>,
    action: Option<Spanned<Action>>,
    keys: Option<Vec<Spanned<String>>>,
    words: OwnWords,
    hint: Option<bool>,
    after: Option<Spanned<Action>>,
    before: Option<Spanned<Action>>,
}

impl Layer {
    /// Parse and check one file: unknown fields, modes, actions and key names, a key bound
    /// to two actions in one mode, an action bound twice in one mode.
    pub fn parse(text: &str, origin: &str) -> Result<Layer, FileErrors> {
        let (layer, errors) = Layer::read(text, origin);
        if errors.is_empty() {
            Ok(layer)
        } else {
            Err(FileErrors(errors))
        }
    }

    /// What `parse` checks, with what could be read kept despite the problems.
    pub fn read(text: &str, origin: &str) -> (Layer, Vec<FileError>) {
        let mut c = Collector::new(origin, text);
        let mut layer = Layer {
            origin: origin.to_owned(),
            extends: None,
            bindings: Vec::new(),
        };
        let root = match DeTable::parse(text) {
            Ok(root) => root.into_inner(),
            Err(e) => {
                c.toml(&e);
                return (layer, c.errors);
            }
        };
        let mut tables = Vec::new();
        for (key, value) in root {
            match key.get_ref().as_ref() {
                "extends" => {
                    if let Some(name) = read_value::<String>(&mut c, value) {
                        let line = c.line(&name.span());
                        layer.extends = Some((name.into_inner(), line));
                    }
                }
                "binding" => {
                    let span = value.span();
                    match value.into_inner() {
                        DeValue::Array(items) => tables.extend(items),
                        _ => c.at(
                            &span,
                            "`binding` is a list of tables: write each as [[binding]]",
                        ),
                    }
                }
                other => c.at(
                    &key.span(),
                    format!("unknown field `{other}`, expected `extends` or `binding`"),
                ),
            }
        }
        // (mode, key) → (action, line) and (mode, action) → line, for conflicts.
        let mut by_key: HashMap<(Mode, Key), (Action, usize)> = HashMap::new();
        let mut by_action: HashMap<(Mode, Action), usize> = HashMap::new();
        for table in tables {
            let Some(raw) = read_binding(&mut c, table) else {
                continue;
            };
            let (Some(mode), Some(action)) = (raw.mode, raw.action) else {
                continue; // read_binding reported it
            };
            let line = c.line(&action.span());
            let (mode, action_span, action) = (*mode.get_ref(), action.span(), action.into_inner());
            if !rooms::answers(mode, action) {
                let works_in: Vec<String> = rooms::modes_answering(action)
                    .into_iter()
                    .map(|m| format!("{:?}", m.name()))
                    .collect();
                c.at(
                    &action_span,
                    format!(
                        "action {:?} does nothing in mode {:?}; it works in {}",
                        serde_name(&action),
                        mode.name(),
                        works_in.join(", ")
                    ),
                );
            }
            if let Some(first) = by_action.insert((mode, action), line) {
                c.at(
                    &action_span,
                    format!(
                        "action {:?} is bound twice in mode {:?} (first at line {first}); \
                         put all its keys in one binding",
                        serde_name(&action),
                        mode.name()
                    ),
                );
            }
            let keys = raw.keys.map(|names| {
                let mut keys = Vec::new();
                for name in names {
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
                    keys.push((name.into_inner(), key));
                }
                keys
            });
            let place = match (raw.after, raw.before) {
                (Some(after), Some(before)) => {
                    c.at(
                        &before.span(),
                        "a binding goes either after or before another, not both",
                    );
                    Some((true, after))
                }
                (Some(after), None) => Some((true, after)),
                (None, Some(before)) => Some((false, before)),
                (None, None) => None,
            }
            .map(|(after, next_to)| Place {
                after,
                line: c.line(&next_to.span()),
                next_to: next_to.into_inner(),
            });
            layer.bindings.push(LayerBinding {
                line,
                mode,
                action,
                keys,
                words: raw.words,
                hint: raw.hint,
                place,
            });
        }
        (layer, c.errors)
    }

    /// The keymap this file says it changes (`extends`), and the line saying so.
    pub fn extends(&self) -> Option<(&str, usize)> {
        self.extends.as_ref().map(|(n, l)| (n.as_str(), *l))
    }

    /// Lay this layer over `base` (rules in docs/keymaps.md).
    pub fn apply(&self, base: Keymap) -> Result<Keymap, FileErrors> {
        let (keymap, errors) = self.lay_over(base);
        if errors.is_empty() {
            Ok(keymap)
        } else {
            Err(FileErrors(errors))
        }
    }

    /// For each binding here, in its mode: its keys are taken from whatever the base bound
    /// them to; the base's binding for the same action gets exactly these keys (none: the
    /// action is unbound; left out: it keeps its own) and keeps its help text and hint
    /// unless this one gives new ones (language by language); an action the base did not
    /// bind in that mode is added at the end of the mode and must bring keys; its help text
    /// is the catalogue's in each language it gives none for. `after`/`before` then moves
    /// the binding next to another of its mode. Returns the keymap made of what could be
    /// laid over, and every problem.
    pub fn lay_over(&self, mut base: Keymap) -> (Keymap, Vec<FileError>) {
        let mut errors = Vec::new();
        let error = |line: usize, message: String| FileError {
            file: self.origin.clone(),
            line,
            message,
        };
        for b in &self.bindings {
            if let Some(keys) = &b.keys {
                for other in base
                    .bindings
                    .iter_mut()
                    .filter(|o| o.mode == b.mode && o.action != b.action)
                {
                    let kept: Vec<(String, Key)> = other
                        .key_names
                        .drain(..)
                        .zip(other.keys.drain(..))
                        .filter(|(_, k)| keys.iter().all(|(_, mine)| mine != k))
                        .collect();
                    (other.key_names, other.keys) = kept.into_iter().unzip();
                }
            }
            let at = match base.position(b.mode, b.action) {
                Some(at) => {
                    let same = &mut base.bindings[at];
                    if let Some(keys) = &b.keys {
                        (same.key_names, same.keys) = keys.iter().cloned().unzip();
                    }
                    for (lang, text) in b.words.iter() {
                        same.own.set(lang, text.to_owned());
                    }
                    if let Some(hint) = b.hint {
                        same.hint = hint;
                    }
                    at
                }
                None => {
                    let Some(keys) = &b.keys else {
                        errors.push(error(
                            b.line,
                            format!(
                                "the binding for {:?} needs keys = [\"…\"]: mode {:?} has no \
                                 binding for it whose keys it could keep",
                                serde_name(&b.action),
                                b.mode.name()
                            ),
                        ));
                        continue;
                    };
                    if keys.is_empty() {
                        continue;
                    }
                    let (key_names, keys) = keys.iter().cloned().unzip();
                    let mut new = Binding::new(b.mode, b.action, key_names, keys);
                    new.own = b.words.clone();
                    new.hint = b.hint.unwrap_or(false);
                    let at = base.end_of_mode(b.mode);
                    base.bindings.insert(at, new);
                    at
                }
            };
            if let Some(place) = b.place
                && let Err(message) = base.move_next_to(at, place)
            {
                errors.push(error(place.line, message));
            }
        }
        base.bindings.retain(|b| !b.keys.is_empty());
        (base, errors)
    }
}

#[cfg(test)]
impl Layer {
    pub(super) fn binding_count(&self) -> usize {
        self.bindings.len()
    }

    pub(super) fn without(&self, i: usize) -> Layer {
        let mut layer = self.clone();
        layer.bindings.remove(i);
        layer
    }
}

impl Keymap {
    fn position(&self, mode: Mode, action: Action) -> Option<usize> {
        self.bindings
            .iter()
            .position(|o| o.mode == mode && o.action == action)
    }

    /// Where a binding added to `mode` goes: after the mode's last one.
    fn end_of_mode(&self, mode: Mode) -> usize {
        self.bindings
            .iter()
            .rposition(|o| o.mode == mode)
            .map_or(self.bindings.len(), |last| last + 1)
    }

    fn move_next_to(&mut self, at: usize, place: Place) -> Result<(), String> {
        let word = if place.after { "after" } else { "before" };
        let (mode, action) = (self.bindings[at].mode, self.bindings[at].action);
        if place.next_to == action {
            return Err(format!(
                "{word} {:?}: a binding cannot be placed next to itself",
                serde_name(&action)
            ));
        }
        if self.position(mode, place.next_to).is_none() {
            return Err(format!(
                "{word} {:?}: mode {:?} has no binding for {:?} (in this file or the keymap it \
                 is laid over)",
                serde_name(&place.next_to),
                mode.name(),
                serde_name(&place.next_to)
            ));
        }
        let moving = self.bindings.remove(at);
        let next_to = self.position(mode, place.next_to).unwrap_or(at);
        let to = if place.after { next_to + 1 } else { next_to };
        self.bindings.insert(to, moving);
        Ok(())
    }
}

/// Read one value, reporting at its line what cannot be read.
fn read_value<T: DeserializeOwned>(
    c: &mut Collector,
    value: Spanned<DeValue<'_>>,
) -> Option<Spanned<T>> {
    let span = value.span();
    serde::Deserialize::deserialize(ValueDeserializer::from(value))
        .map_err(|e: toml::de::Error| {
            c.at(&e.span().unwrap_or(span), e.message().trim_end().to_owned());
        })
        .ok()
}

/// One `[[binding]]` table, with every field read that can be; None when a field is missing
/// or cannot be read (it is reported), as laying the rest over a base could mislead.
fn read_binding(c: &mut Collector, table: Spanned<DeValue<'_>>) -> Option<RawBinding> {
    let span: Range<usize> = table.span();
    let DeValue::Table(fields) = table.into_inner() else {
        c.at(&span, "each binding is a table: write it as [[binding]]");
        return None;
    };
    let mut raw = RawBinding::default();
    let mut whole = true;
    for (key, value) in fields {
        // Some(false): the field is there but cannot be read.
        let read = match key.get_ref().as_ref() {
            "mode" => Some(set(&mut raw.mode, read_value(c, value))),
            "action" => Some(set(&mut raw.action, read_value(c, value))),
            "keys" => Some(set(
                &mut raw.keys,
                read_value(c, value).map(Spanned::into_inner),
            )),
            "hint" => Some(set(
                &mut raw.hint,
                read_value(c, value).map(Spanned::into_inner),
            )),
            "after" => Some(set(&mut raw.after, read_value(c, value))),
            "before" => Some(set(&mut raw.before, read_value(c, value))),
            other => match Lang::ALL.into_iter().find(|l| l.code() == other) {
                // The binding's own help text in that language.
                Some(lang) => {
                    let text = read_value::<String>(c, value).map(Spanned::into_inner);
                    let read = text.is_some();
                    if let Some(text) = text {
                        raw.words.set(lang, text);
                    }
                    Some(read)
                }
                None => {
                    c.at(
                        &key.span(),
                        format!(
                            "unknown field `{other}`, expected one of {}",
                            binding_fields()
                        ),
                    );
                    None
                }
            },
        };
        whole &= read != Some(false);
    }
    if !whole {
        return None;
    }
    for (missing, name) in [
        (raw.mode.is_none(), "mode"),
        (raw.action.is_none(), "action"),
    ] {
        if missing {
            c.at(&span, format!("missing field `{name}`"));
            whole = false;
        }
    }
    whole.then_some(raw)
}

/// Put a value read into its field; false when it could not be read.
fn set<T>(field: &mut Option<T>, value: Option<T>) -> bool {
    let read = value.is_some();
    *field = value;
    read
}

fn unknown_key_message(name: &str) -> String {
    let chars = name.chars().count();
    // "Ctlr-x": name the part that is wrong rather than the whole grammar.
    if let Some((mods, _)) = name.rsplit_once('-')
        && let Some(bad) = mods
            .split('-')
            .find(|m| !m.is_empty() && !["Ctrl", "Alt", "Shift"].contains(m))
    {
        return format!(
            "unknown key name {name:?}: {bad:?} is not a modifier (write Ctrl- or Alt- in front \
             of a key)"
        );
    }
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
        assert_eq!(km.bindings[0].text(Lang::Zh), "下");
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
    fn a_new_binding_reads_the_catalogue_in_each_language_it_gives_no_text_for() {
        let base = Keymap::parse(TWO, "base.toml").unwrap();
        let layer = Layer::parse(
            "\n[[binding]]\nmode = \"watch\"\nkeys = [\"x\"]\naction = \"quit\"\n\n\
             [[binding]]\nmode = \"watch\"\nkeys = [\"g\"]\naction = \"top\"\nen = \"To the top\"\n",
            "user.toml",
        )
        .unwrap();
        let km = base.with_layer(&layer).unwrap_or_else(|e| panic!("{e}"));
        let text = |a: Action, l: Lang| {
            km.in_mode(Mode::Watch)
                .find(|b| b.action == a)
                .map(|b| b.text(l).to_owned())
        };
        assert_eq!(text(Action::Quit, Lang::Zh).as_deref(), Some("退出"));
        assert_eq!(text(Action::Quit, Lang::En).as_deref(), Some("Quit"));
        // Its own words win in their language; the other reads the catalogue's.
        assert_eq!(text(Action::Top, Lang::En).as_deref(), Some("To the top"));
        assert_eq!(text(Action::Top, Lang::Zh).as_deref(), Some("到顶"));
        // A mode where the action reads differently has its own words in the catalogue.
        let close = Layer::parse(
            "[[binding]]\nmode = \"help\"\nkeys = [\"q\"]\naction = \"close\"\n",
            "user.toml",
        )
        .unwrap();
        let km = Keymap::parse(TWO, "base.toml")
            .unwrap()
            .with_layer(&close)
            .unwrap();
        assert_eq!(
            km.in_mode(Mode::Help).next().unwrap().text(Lang::En),
            "Close help"
        );
    }

    #[test]
    fn a_binding_missing_its_mode_or_badly_typed_is_reported_and_the_rest_still_read() {
        let text = "# x\n[[binding]]\naction = \"up\"\nkeys = [\"k\"]\n\n\
                    [[binding]]\nmode = \"watch\"\naction = \"down\"\nkeys = \"j\"\n\n\
                    [[binding]]\nmode = \"watch\"\naction = \"top\"\nkeys = [\"g\"]\nhint = \"yes\"\n\n\
                    [[binding]]\nmode = \"watch\"\naction = \"bottom\"\nkeys = [\"G\"]\n";
        let (layer, errors) = Layer::read(text, "k.toml");
        let errors = FileErrors(errors).to_string();
        assert!(
            errors.contains("k.toml:2: missing field `mode`"),
            "{errors}"
        );
        assert!(errors.contains("k.toml:9: invalid type"), "{errors}");
        assert!(errors.contains("k.toml:15: invalid type"), "{errors}");
        assert_eq!(errors.lines().count(), 3, "{errors}");
        // A binding with a field it cannot read is left out whole: its keys may not be what
        // the file meant.
        let read: Vec<_> = layer.bindings.iter().map(|b| b.action).collect();
        assert_eq!(read, [Action::Bottom]);
    }
}
