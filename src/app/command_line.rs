//! The `:` command line and the `/` filter line: one prompt at the bottom of the screen,
//! with Tab completion, and (for commands) Up/Down through the commands of this run.
//! The commands and their Chinese aliases are listed in `COMMANDS`; the `:help` overlay
//! lists them from there.

use super::action::Action;
use super::alert_key::AlertKey;
use super::filter::{FilterTarget, vocabulary};
use super::line_edit::LineEdit;
use super::msg::Effect;
use super::state::{Lang, Notice, Overlay, Pane, State};
use super::{experts_view, handover_view, instructions, silences};
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

/// What a command takes after its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arg {
    None,
    /// A name, a specialty, a domain or group.
    Experts,
    Theme,
    Filter,
    Lang,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmd {
    Experts,
    Theme,
    Handover,
    Filter,
    Sources,
    Silences,
    Instructions,
    History,
    Help,
    Lang,
    Quit,
}

pub struct Spec {
    pub cmd: Cmd,
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    pub arg: Arg,
    /// What the argument is, for help (empty: none).
    pub arg_zh: &'static str,
    pub arg_en: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
}

pub const COMMANDS: &[Spec] = &[
    Spec {
        cmd: Cmd::Experts,
        name: "experts",
        aliases: &["专家"],
        arg: Arg::Experts,
        arg_zh: "查询",
        arg_en: "QUERY",
        zh: "专家库，带查询词（姓名、拼音、专业、组）",
        en: "Expert lookup with a query (name, pinyin, specialty, group)",
    },
    Spec {
        cmd: Cmd::Theme,
        name: "theme",
        aliases: &["主题"],
        arg: Arg::Theme,
        arg_zh: "主题名",
        arg_en: "NAME",
        zh: "切换主题（内置或配置目录 themes/ 下的）",
        en: "Switch the theme (built-in or from themes/ in the config directory)",
    },
    Spec {
        cmd: Cmd::Handover,
        name: "handover",
        aliases: &["交接班"],
        arg: Arg::None,
        arg_zh: "",
        arg_en: "",
        zh: "交接班",
        en: "Shift handover",
    },
    Spec {
        cmd: Cmd::Filter,
        name: "filter",
        aliases: &["筛选"],
        arg: Arg::Filter,
        arg_zh: "词",
        arg_en: "WORDS",
        zh: "筛选当前列表（同 /；不带词即清除）",
        en: "Filter the focused list (as /; no words clears it)",
    },
    Spec {
        cmd: Cmd::Sources,
        name: "sources",
        aliases: &["源", "数据源"],
        arg: Arg::None,
        arg_zh: "",
        arg_en: "",
        zh: "各数据源健康状况",
        en: "Health of every source",
    },
    Spec {
        cmd: Cmd::Silences,
        name: "silences",
        aliases: &["静默"],
        arg: Arg::None,
        arg_zh: "",
        arg_en: "",
        zh: "静默列表",
        en: "Silences",
    },
    Spec {
        cmd: Cmd::History,
        name: "history",
        aliases: &["历史", "历史预警"],
        arg: Arg::None,
        arg_zh: "",
        arg_en: "",
        zh: "已失效、已更新、已解除的预警",
        en: "Alerts no longer in force",
    },
    Spec {
        cmd: Cmd::Instructions,
        name: "instructions",
        aliases: &["批示", "督办"],
        arg: Arg::None,
        arg_zh: "",
        arg_en: "",
        zh: "领导批示督办列表",
        en: "Leader instructions to follow up",
    },
    Spec {
        cmd: Cmd::Help,
        name: "help",
        aliases: &["帮助"],
        arg: Arg::None,
        arg_zh: "",
        arg_en: "",
        zh: "帮助：按键与命令",
        en: "Help: keys and commands",
    },
    Spec {
        cmd: Cmd::Lang,
        name: "lang",
        aliases: &["语言"],
        arg: Arg::Lang,
        arg_zh: "zh|en",
        arg_en: "zh|en",
        zh: "界面语言",
        en: "Language of the screen",
    },
    Spec {
        cmd: Cmd::Quit,
        name: "quit",
        aliases: &["q", "退出"],
        arg: Arg::None,
        arg_zh: "",
        arg_en: "",
        zh: "退出",
        en: "Quit",
    },
];

fn names(spec: &Spec) -> impl Iterator<Item = &'static str> {
    std::iter::once(spec.name).chain(spec.aliases.iter().copied())
}

/// A command by its name, an alias, or a prefix of exactly one name.
pub fn find(word: &str) -> Option<&'static Spec> {
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
pub fn closest(word: &str) -> &'static Spec {
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

/// The list a `/` typed now would narrow: the open list overlay's, else the focused pane's.
pub fn filter_target(state: &State) -> Option<FilterTarget> {
    match &state.view.overlay {
        Overlay::Silences { .. } => Some(FilterTarget::Silences),
        Overlay::Instructions { .. } => Some(FilterTarget::Instructions),
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
    let text = state.lang().pick(
        "此处没有可筛选的列表：请先切到预警或事件窗格",
        "Nothing to filter here: move to the alerts or the incidents first",
    );
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
        FilterTarget::Silences => {
            if let Overlay::Silences { scroll } = &mut state.view.overlay {
                *scroll = 0;
            }
        }
        FilterTarget::Instructions => {
            let n = instructions::listed(state).len();
            if let Overlay::Instructions { selected } = &mut state.view.overlay {
                *selected = (*selected).min(n.saturating_sub(1));
            }
        }
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
        Arg::Lang => vec!["zh".to_owned(), "en".to_owned()],
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
        let text = match state.lang() {
            Lang::Zh => format!(
                "未知命令 :{word}，是否要 :{}？（:help 列出全部命令）",
                near.name
            ),
            Lang::En => format!(
                "Unknown command :{word}; did you mean :{}? (:help lists them)",
                near.name
            ),
        };
        notice(state, text, true);
        return Vec::new();
    };
    let l = state.lang();
    match spec.cmd {
        Cmd::Quit => {
            state.quit = true;
            return vec![Effect::Quit];
        }
        Cmd::Help => state.view.overlay = Overlay::Help { scroll: 0 },
        Cmd::Handover => handover_view::open(state),
        Cmd::Sources => state.view.overlay = Overlay::Sources { scroll: 0 },
        Cmd::Silences => silences::open_list(state),
        Cmd::Instructions => instructions::open_list(state),
        Cmd::History => state.view.overlay = Overlay::History { scroll: 0 },
        Cmd::Experts => {
            experts_view::open(state);
            if let Overlay::Experts(view) = &mut state.view.overlay {
                view.query = LineEdit::with_text(arg);
            }
            if let (Overlay::Experts(view), Some(pool)) =
                (&mut state.view.overlay, &state.records.expert_pool)
            {
                experts_view::refresh(view, pool);
            }
        }
        Cmd::Filter => match filter_target(state) {
            Some(target) => set_filter(state, target, arg),
            None => cannot_filter(state),
        },
        Cmd::Lang => match arg {
            "zh" | "中文" => state.session.lang = Lang::Zh,
            "en" | "english" | "English" => state.session.lang = Lang::En,
            _ => {
                let text = format!("{} zh | en", l.pick("语言可选：", "Languages:"));
                notice(state, text, true);
            }
        },
        Cmd::Theme => return theme(state, arg),
    }
    Vec::new()
}

/// `:theme NAME`. Built-in themes are embedded, so switching to one is pure; a user's
/// theme file is read off the UI task (`Effect::LoadTheme`) and comes back as
/// `Msg::ThemeLoaded`. A user theme wins over a built-in one of the same name, as at start.
fn theme(state: &mut State, name: &str) -> Vec<Effect> {
    let l = state.lang();
    if name.is_empty() {
        let all = argument_words(state, Arg::Theme).join(", ");
        let text = format!(
            "{} {} · {} {all}",
            l.pick("当前主题", "Theme"),
            state.theme().name,
            l.pick("可选", "available:")
        );
        notice(state, text, false);
        return Vec::new();
    }
    if state.session.user_themes.iter().any(|t| t == name) || crate::look::is_path(name) {
        let text = format!("{} {name}…", l.pick("正在读取主题", "Reading theme"));
        notice(state, text, false);
        return vec![Effect::LoadTheme(name.to_owned())];
    }
    match Theme::builtin(name) {
        Some(t) => {
            state.session.theme = t;
            let text = format!("{} {name}", l.pick("主题：", "Theme:"));
            notice(state, text, false);
        }
        None => {
            let all = argument_words(state, Arg::Theme).join(", ");
            let text = match l {
                Lang::Zh => format!("没有主题 {name}；可选：{all}"),
                Lang::En => format!("No theme called {name}; there are {all}"),
            };
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
                format!("{} {name}", l.pick("主题：", "Theme:")),
                false,
            );
        }
        Err(why) => {
            let text = format!(
                "{} {name}: {}",
                l.pick("主题读取失败", "Cannot use theme"),
                sanitize(&why)
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
        assert_eq!(find("theme").map(|s| s.cmd), Some(Cmd::Theme));
        assert_eq!(find("专家").map(|s| s.cmd), Some(Cmd::Experts));
        assert_eq!(find("q").map(|s| s.cmd), Some(Cmd::Quit));
        assert_eq!(find("exp").map(|s| s.cmd), Some(Cmd::Experts));
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
