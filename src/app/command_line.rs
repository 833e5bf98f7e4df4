//! The `:` command line and the `/` filter line: one prompt at the bottom of the screen,
//! with Tab completion, and (for commands) Up/Down through the commands of this run.
//! The commands and their Chinese aliases are listed in `rooms::COMMANDS`, each naming
//! the action it runs; the `:help` overlay lists them from there.

use super::action::Action;
use super::alert_key::AlertKey;
use super::filter::{FilterTarget, vocabulary};
use super::line_edit::LineEdit;
use super::lists;
use super::msg::Effect;
use super::rooms::{Arg, COMMANDS, Command, command_for};
use super::state::{Lang, Notice, Overlay, Pane, State};
use super::{experts, instructions, silences};
use crate::model::text::sanitize;
use crate::ui::theme::Theme;
use crossterm::event::KeyEvent;
use jiff::SignedDuration;

/// How long a command's answer stays in the status line when no key is pressed.
const NOTICE_FOR: SignedDuration = SignedDuration::from_secs(10);
/// The longest command history kept (this run only).
const HISTORY: usize = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromptKind {
    Command,
    Filter(FilterTarget),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Prompt {
    pub kind: PromptKind,
    pub input: LineEdit,
    /// Where Up/Down stand in the history (None: the line being typed).
    history_at: Option<usize>,
    /// The line being typed before Up was pressed, given back by Down.
    draft: String,
    /// Repeated Tab runs through the candidates of one stem.
    cycle: Option<Cycle>,
    /// What Tab could complete to, shown after the line.
    pub candidates: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
struct Cycle {
    /// The line as it was typed, before completion.
    stem: String,
    next: usize,
}

impl Prompt {
    fn new(kind: PromptKind, text: &str) -> Prompt {
        Prompt {
            kind,
            input: LineEdit::with_text(text),
            history_at: None,
            draft: String::new(),
            cycle: None,
            candidates: Vec::new(),
        }
    }
}

fn names(spec: &Command) -> impl Iterator<Item = &'static str> {
    std::iter::once(spec.name).chain(spec.aliases.iter().copied())
}

/// A command by its name, an alias, or a prefix of exactly one name.
pub fn find(word: &str) -> Option<&'static Command> {
    let word = word.to_lowercase();
    if let Some(s) = COMMANDS.iter().find(|s| names(s).any(|n| n == word)) {
        return Some(s);
    }
    let mut prefixed = COMMANDS.iter().filter(|s| s.name.starts_with(&word));
    match (prefixed.next(), prefixed.next()) {
        (Some(s), None) if !word.is_empty() => Some(s),
        _ => None,
    }
}

/// The command whose name or alias is nearest to `word` (edit distance).
pub fn closest(word: &str) -> &'static Command {
    let word = word.to_lowercase();
    COMMANDS
        .iter()
        .min_by_key(|s| {
            names(s)
                .map(|n| distance(&word, n))
                .min()
                .unwrap_or(usize::MAX)
        })
        .unwrap_or(&COMMANDS[0])
}

/// Levenshtein distance by character.
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let here = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != cb)).min(row[j] + 1).min(here + 1);
            prev = here;
        }
    }
    row[b.len()]
}

pub fn notice(state: &mut State, text: String, error: bool) {
    let until = state.now + NOTICE_FOR;
    state.view.notice = Some(Notice { text, error, until });
}

pub fn open_command(state: &mut State) {
    state.view.prompt = Some(Prompt::new(PromptKind::Command, ""));
}

/// The command line with `action`'s command typed, waiting for its argument.
pub fn open_with(state: &mut State, action: Action) {
    let typed = command_for(action).map_or_else(String::new, |c| format!("{} ", c.name));
    state.view.prompt = Some(Prompt::new(PromptKind::Command, &typed));
}

/// The list a `/` typed now would narrow: the open list overlay's, else the focused pane's.
pub fn filter_target(state: &State) -> Option<FilterTarget> {
    match &state.view.overlay {
        Overlay::List(view) => view.kind.filter(),
        Overlay::None => match state.view.focus {
            Pane::Alerts => Some(FilterTarget::Alerts),
            // The timeline belongs to the selected incident: narrow the incidents.
            Pane::Incidents | Pane::Timeline => Some(FilterTarget::Incidents),
            Pane::Duty => None,
        },
        _ => None,
    }
}

fn cannot_filter(state: &mut State) {
    let text = state.lang().t("command_line.cannot_filter");
    notice(state, text.to_owned(), true);
}

pub fn open_filter(state: &mut State) {
    match filter_target(state) {
        Some(target) => {
            let now = state.view.filters.get(target).to_owned();
            state.view.prompt = Some(Prompt::new(PromptKind::Filter(target), &now));
        }
        None => cannot_filter(state),
    }
}

/// Narrow `target` to `text`, keeping the cursor on its row while that row is still shown
/// (else on the first row shown; with nothing shown, the old selection waits).
pub fn set_filter(state: &mut State, target: FilterTarget, text: &str) {
    state.view.filters.set(target, text);
    match target {
        FilterTarget::Alerts => {
            let shown = state.shown_alerts();
            let keep = state
                .view
                .selected_alert
                .as_ref()
                .is_some_and(|key| shown.iter().any(|a| key.is(a)));
            let first = shown.get(0).map(AlertKey::of);
            if !keep && first.is_some() {
                state.view.selected_alert = first;
            }
        }
        FilterTarget::Incidents => {
            let shown = state.shown_incidents().items;
            let keep = state
                .view
                .selected_incident
                .as_ref()
                .is_some_and(|id| shown.iter().any(|i| &i.id == id));
            if !keep && let Some(first) = shown.first() {
                state.view.selected_incident = Some(first.id.clone());
                state.view.timeline_scroll = 0;
            }
        }
        FilterTarget::Silences | FilterTarget::Instructions => lists::filtered(state, target),
    }
}

/// (matching, total) for the list a filter narrows, for "3/41".
pub fn counts(state: &State, target: FilterTarget) -> (usize, usize) {
    match target {
        FilterTarget::Alerts => {
            let s = state.shown_alerts();
            (s.len(), s.total)
        }
        FilterTarget::Incidents => {
            let s = state.shown_incidents();
            (s.items.len(), s.total)
        }
        FilterTarget::Silences => (silences::listed(state).len(), silences::active(state).len()),
        FilterTarget::Instructions => (
            instructions::listed(state).len(),
            crate::model::instruction::instructions(state.records.incidents()).len(),
        ),
    }
}

/// A key bound in the prompt's mode.
pub fn apply(state: &mut State, action: Action) -> Vec<Effect> {
    let Some(prompt) = &mut state.view.prompt else {
        return Vec::new();
    };
    match (action, prompt.kind) {
        (Action::Close, PromptKind::Command) => state.view.prompt = None,
        (Action::Close, PromptKind::Filter(target)) => {
            state.view.prompt = None;
            set_filter(state, target, "");
        }
        (Action::Submit, PromptKind::Command) => {
            let line = prompt.input.text().trim().to_owned();
            state.view.prompt = None;
            return run(state, &line);
        }
        (Action::Submit, PromptKind::Filter(target)) => {
            let text = prompt.input.text().to_owned();
            state.view.prompt = None;
            set_filter(state, target, &text);
        }
        (Action::Complete, _) => complete(state),
        (Action::Up | Action::Down, PromptKind::Command) => {
            recall(state, if action == Action::Up { -1 } else { 1 })
        }
        // While filtering, Up/Down move through what is left.
        (Action::Up | Action::Down, PromptKind::Filter(_)) => {
            return super::update::move_selection(state, if action == Action::Up { -1 } else { 1 });
        }
        _ => {}
    }
    Vec::new()
}

/// Keys the prompt's mode does not bind type into it; a filter narrows as it is typed.
pub fn edit(state: &mut State, key: KeyEvent) -> bool {
    let Some(prompt) = &mut state.view.prompt else {
        return false;
    };
    if !prompt.input.handle_key(key) {
        return false;
    }
    prompt.cycle = None;
    prompt.candidates.clear();
    prompt.history_at = None;
    if let PromptKind::Filter(target) = prompt.kind {
        let text = prompt.input.text().to_owned();
        set_filter(state, target, &text);
    }
    true
}

/// Up (-1) / Down (+1) through the commands run before.
fn recall(state: &mut State, by: isize) {
    let n = state.view.command_history.len();
    let Some(prompt) = &mut state.view.prompt else {
        return;
    };
    if n == 0 {
        return;
    }
    let at = match (prompt.history_at, by < 0) {
        (None, true) => {
            prompt.draft = prompt.input.text().to_owned();
            Some(n - 1)
        }
        (None, false) => None,
        (Some(i), true) => Some(i.saturating_sub(1)),
        (Some(i), false) if i + 1 < n => Some(i + 1),
        (Some(_), false) => None,
    };
    prompt.history_at = at;
    let text = match at {
        Some(i) => state.view.command_history[i].clone(),
        None => std::mem::take(&mut prompt.draft),
    };
    prompt.input = LineEdit::with_text(&text);
    prompt.cycle = None;
}

/// The words an argument can complete to.
fn argument_words(state: &State, arg: Arg) -> Vec<String> {
    match arg {
        Arg::None => Vec::new(),
        Arg::Theme => Theme::builtin_names()
            .map(str::to_owned)
            .chain(state.session.user_themes.iter().cloned())
            .collect(),
        Arg::Lang => crate::words::codes().map(str::to_owned).collect(),
        Arg::Filter => {
            let mut v = vocabulary();
            for a in state.visible_alerts() {
                if !v.iter().any(|s| s == a.signal_type.as_str()) {
                    v.push(a.signal_type.to_string());
                }
            }
            v
        }
        Arg::Experts => {
            let Some(pool) = &state.records.expert_pool else {
                return Vec::new();
            };
            let dir = &pool.directory;
            let mut v: Vec<String> = dir.domains.iter().map(|d| sanitize(&d.name)).collect();
            v.extend(dir.groups.iter().map(|g| sanitize(&g.name)));
            v.dedup();
            v
        }
    }
}

/// What the line could complete to: whole lines, so a candidate replaces the line.
fn candidates(state: &State, kind: PromptKind, line: &str) -> Vec<String> {
    let starts = |w: &str, stem: &str| w.to_lowercase().starts_with(&stem.to_lowercase());
    match kind {
        PromptKind::Command => match line.split_once(char::is_whitespace) {
            None => COMMANDS
                .iter()
                .flat_map(names)
                .filter(|n| starts(n, line))
                .map(|n| format!("{n} "))
                .collect(),
            Some((word, rest)) => {
                let Some(spec) = find(word) else {
                    return Vec::new();
                };
                let rest = rest.trim_start();
                argument_words(state, spec.arg)
                    .into_iter()
                    .filter(|w| starts(w, rest))
                    .map(|w| format!("{word} {w}"))
                    .collect()
            }
        },
        // The last word of a filter completes; the words before it stay.
        PromptKind::Filter(_) => {
            let (head, last) = match line.rfind(char::is_whitespace) {
                Some(i) => line.split_at(i + 1),
                None => ("", line),
            };
            if last.is_empty() {
                return Vec::new();
            }
            argument_words(state, Arg::Filter)
                .into_iter()
                .filter(|w| starts(w, last) && w != last)
                .map(|w| format!("{head}{w}"))
                .collect()
        }
    }
}

fn common_prefix(words: &[String]) -> String {
    let Some(first) = words.first() else {
        return String::new();
    };
    let mut end = first.len();
    for w in &words[1..] {
        end = first
            .char_indices()
            .zip(w.chars())
            .take_while(|((_, a), b)| a == b)
            .last()
            .map_or(0, |((i, a), _)| i + a.len_utf8())
            .min(end);
    }
    first[..end].to_owned()
}

/// Tab: one candidate is taken; several are extended to what they share, and a Tab that
/// cannot extend runs through them one by one.
fn complete(state: &mut State) {
    let Some(prompt) = &state.view.prompt else {
        return;
    };
    let kind = prompt.kind;
    let stem = match &prompt.cycle {
        Some(c) => c.stem.clone(),
        None => prompt.input.text().to_owned(),
    };
    let found = candidates(state, kind, &stem);
    let Some(prompt) = &mut state.view.prompt else {
        return;
    };
    prompt.candidates = found.clone();
    let text = match found.len() {
        0 => return,
        1 => found[0].clone(),
        _ => {
            let shared = common_prefix(&found);
            if prompt.cycle.is_none() && shared.chars().count() > stem.chars().count() {
                shared
            } else {
                let next = prompt.cycle.as_ref().map_or(0, |c| c.next);
                prompt.cycle = Some(Cycle {
                    stem: stem.clone(),
                    next: (next + 1) % found.len(),
                });
                found[next % found.len()].clone()
            }
        }
    };
    prompt.input = LineEdit::with_text(&text);
    if let PromptKind::Filter(target) = kind {
        set_filter(state, target, &text);
    }
}

fn remember(state: &mut State, line: &str) {
    if state.view.command_history.last().map(String::as_str) != Some(line) {
        state.view.command_history.push(line.to_owned());
    }
    if state.view.command_history.len() > HISTORY {
        state.view.command_history.remove(0);
    }
}

/// Run one command line (without the `:`).
pub fn run(state: &mut State, line: &str) -> Vec<Effect> {
    let line = line.trim().trim_start_matches(':').trim();
    if line.is_empty() {
        return Vec::new();
    }
    remember(state, line);
    let (word, arg) = line
        .split_once(char::is_whitespace)
        .map_or((line, ""), |(w, a)| (w, a.trim()));
    let Some(spec) = find(word) else {
        let near = closest(word);
        let text = state.lang().f(
            "command_line.unknown",
            &[("word", &word), ("near", &near.name)],
        );
        notice(state, text, true);
        return Vec::new();
    };
    match spec.arg {
        Arg::None => super::update::act(state, spec.action),
        _ => with_arg(state, spec, arg),
    }
}

/// A command that takes an argument: the same action as its key, given the argument.
fn with_arg(state: &mut State, command: &Command, arg: &str) -> Vec<Effect> {
    let l = state.lang();
    match command.arg {
        Arg::None => return super::update::act(state, command.action),
        Arg::Experts => {
            super::update::act(state, command.action);
            if let Overlay::Experts(view) = &mut state.view.overlay {
                view.query = LineEdit::with_text(arg);
            }
            if let (Overlay::Experts(view), Some(pool)) =
                (&mut state.view.overlay, &state.records.expert_pool)
            {
                experts::refresh(view, pool);
            }
        }
        Arg::Filter => match filter_target(state) {
            Some(target) => set_filter(state, target, arg),
            None => cannot_filter(state),
        },
        Arg::Lang => match language_named(arg) {
            Some(lang) => state.session.lang = lang,
            None => {
                let codes = crate::words::codes().collect::<Vec<_>>().join(" | ");
                let text = l.f("command_line.languages", &[("codes", &codes)]);
                notice(state, text, true);
            }
        },
        Arg::Theme => return theme(state, arg),
    }
    Vec::new()
}

/// The language `:lang` names: its code (`zh`, `en`), or 中文 or English as written.
fn language_named(word: &str) -> Option<Lang> {
    let code = match word {
        "中文" => "zh",
        "english" | "English" => "en",
        code => code,
    };
    Lang::ALL.into_iter().find(|l| l.code() == code)
}

/// `:theme NAME`. Built-in themes are embedded, so switching to one is pure; a user's
/// theme file is read off the UI task (`Effect::LoadTheme`) and comes back as
/// `Msg::ThemeLoaded`. A user theme wins over a built-in one of the same name, as at start.
fn theme(state: &mut State, name: &str) -> Vec<Effect> {
    let l = state.lang();
    if name.is_empty() {
        let all = argument_words(state, Arg::Theme).join(", ");
        let text = l.f(
            "command_line.theme_now",
            &[("name", &state.theme().name), ("all", &all)],
        );
        notice(state, text, false);
        return Vec::new();
    }
    if state.session.user_themes.iter().any(|t| t == name) || crate::look::is_path(name) {
        let text = l.f("command_line.theme_reading", &[("name", &name)]);
        notice(state, text, false);
        return vec![Effect::LoadTheme(name.to_owned())];
    }
    match Theme::builtin(name) {
        Some(t) => {
            state.session.theme = t;
            let text = l.f("command_line.theme_set", &[("name", &name)]);
            notice(state, text, false);
        }
        None => {
            let all = argument_words(state, Arg::Theme).join(", ");
            let text = l.f("command_line.no_theme", &[("name", &name), ("all", &all)]);
            notice(state, text, true);
        }
    }
    Vec::new()
}

/// The answer to `Effect::LoadTheme`.
pub fn theme_loaded(state: &mut State, name: &str, result: Result<Theme, String>) {
    let l = state.lang();
    match result {
        Ok(t) => {
            state.session.theme = t;
            notice(
                state,
                l.f("command_line.theme_set", &[("name", &name)]),
                false,
            );
        }
        Err(why) => {
            let text = l.f(
                "command_line.theme_failed",
                &[("name", &name), ("why", &sanitize(&why))],
            );
            notice(state, text, true);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_aliases_and_unique_prefixes_find_their_command() {
        assert_eq!(find("theme").map(|s| s.action), Some(Action::Theme));
        assert_eq!(find("专家").map(|s| s.action), Some(Action::Experts));
        assert_eq!(find("q").map(|s| s.action), Some(Action::Quit));
        assert_eq!(find("exp").map(|s| s.action), Some(Action::Experts));
        // "s" starts both sources and silences.
        assert!(find("s").is_none());
        assert!(find("thme").is_none());
    }

    #[test]
    fn the_closest_command_is_offered() {
        assert_eq!(closest("thme").name, "theme");
        assert_eq!(closest("sorces").name, "sources");
        assert_eq!(closest("hanover").name, "handover");
        assert_eq!(distance("kitten", "sitting"), 3);
    }

    #[test]
    fn shared_prefixes_are_cut_at_character_boundaries() {
        let w = vec!["交接班 ".to_owned(), "交通 ".to_owned()];
        assert_eq!(common_prefix(&w), "交");
        assert_eq!(common_prefix(&["silences ".into(), "sources ".into()]), "s");
    }
}
