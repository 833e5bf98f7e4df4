//! Every room of the console — the watch screen and each overlay over it — in one table,
//! with the `:` commands beside it. The keymap's check of what a mode can ask for, the `?`
//! help's headings and commands, and the tables in docs/keymaps.md are all read from here,
//! so a room added here is in every one of them, and one left out is in none.

use super::action::Action;
use super::keymap::Mode;
use super::state::{Lang, Overlay, State};

pub mod docs;

/// A text in both languages.
pub type Text = (&'static str, &'static str);

pub struct Room {
    /// Its name in docs and tests.
    pub name: &'static str,
    /// What the help and the docs call it.
    pub title: Text,
    /// The keymap modes its keys are read in.
    pub modes: &'static [Mode],
    /// What a key can ask of it in those modes.
    pub answers: &'static [Action],
    /// The action that opens it from the watch screen (a key or a `:` command).
    pub opened_by: Option<Action>,
}

const MOVES: [Action; 6] = [
    Action::Up,
    Action::Down,
    Action::PageUp,
    Action::PageDown,
    Action::Top,
    Action::Bottom,
];

/// Actions that act from the watch screen and from any overlay but the expert lookup
/// (which keeps its own keys): the `global` mode may bind only these.
pub const FROM_ANYWHERE: &[Action] = &[
    Action::Quit,
    Action::Help,
    Action::Command,
    Action::Experts,
    Action::Handover,
    Action::Silences,
    Action::Instructions,
    Action::Sources,
    Action::History,
    Action::Overdue,
    Action::Theme,
    Action::Lang,
];

macro_rules! with_moves {
    ($($a:expr),* $(,)?) => {
        &[$($a,)* MOVES[0], MOVES[1], MOVES[2], MOVES[3], MOVES[4], MOVES[5]]
    };
}

pub const ROOMS: &[Room] = &[
    Room {
        name: "watch",
        title: ("值班主屏", "Watch screen"),
        modes: &[Mode::Watch],
        answers: with_moves![
            Action::Quit,
            Action::Help,
            Action::FocusNext,
            Action::FocusPrev,
            Action::Open,
            Action::Close,
            Action::Command,
            Action::Filter,
            Action::Ack,
            Action::Log,
            Action::Intake,
            Action::Officer,
            Action::Experts,
            Action::Silence,
            Action::Silences,
            Action::Sources,
            Action::History,
            Action::Overdue,
            Action::Instruct,
            Action::Instructions,
            Action::Handover,
            Action::Theme,
            Action::Lang,
        ],
        opened_by: None,
    },
    Room {
        name: "prompt",
        title: ("命令行 : 与筛选 /", "Command line : and filter /"),
        modes: &[Mode::Prompt],
        answers: &[
            Action::Submit,
            Action::Close,
            Action::Complete,
            Action::Up,
            Action::Down,
        ],
        opened_by: Some(Action::Command),
    },
    Room {
        name: "detail",
        title: ("详情", "Details"),
        modes: &[Mode::Detail],
        answers: with_moves![Action::Close],
        opened_by: Some(Action::Open),
    },
    Room {
        name: "form",
        title: ("表单", "Forms"),
        modes: &[Mode::Form],
        answers: &[
            Action::Submit,
            Action::NextField,
            Action::PrevField,
            Action::Close,
        ],
        opened_by: None,
    },
    Room {
        name: "handover",
        title: ("交接班", "Shift handover"),
        modes: &[Mode::Handover],
        answers: with_moves![Action::Close, Action::Sign, Action::Confirm],
        opened_by: Some(Action::Handover),
    },
    Room {
        name: "silences",
        title: ("静默", "silences"),
        modes: &[Mode::List],
        answers: with_moves![Action::Close, Action::Filter],
        opened_by: Some(Action::Silences),
    },
    Room {
        name: "instructions",
        title: ("督办", "instructions"),
        modes: &[Mode::List],
        answers: with_moves![Action::Close, Action::Filter, Action::FollowUp],
        opened_by: Some(Action::Instructions),
    },
    Room {
        name: "sources",
        title: ("数据源", "sources"),
        modes: &[Mode::List],
        answers: with_moves![Action::Close],
        opened_by: Some(Action::Sources),
    },
    Room {
        name: "history",
        title: ("历史", "history"),
        modes: &[Mode::List],
        answers: with_moves![Action::Close],
        opened_by: Some(Action::History),
    },
    Room {
        name: "overdue",
        title: ("逾期", "overdue"),
        modes: &[Mode::List],
        answers: with_moves![Action::Close],
        opened_by: Some(Action::Overdue),
    },
    Room {
        name: "experts",
        title: ("专家库", "Experts"),
        modes: &[Mode::Experts, Mode::ExpertSearch],
        answers: with_moves![
            Action::Quit,
            Action::Close,
            Action::CloseView,
            Action::Search,
            Action::FocusNext,
            Action::Open,
            Action::ToggleAvailable,
            Action::Copy,
        ],
        opened_by: Some(Action::Experts),
    },
    Room {
        name: "help",
        title: ("帮助", "Help"),
        modes: &[Mode::Help],
        answers: with_moves![Action::Close],
        opened_by: Some(Action::Help),
    },
];

/// A room by its name.
pub fn room(name: &str) -> &'static Room {
    ROOMS
        .iter()
        .find(|r| r.name == name)
        .expect("rooms are named in this module's table")
}

/// The room on screen: the prompt over whatever is open, else the overlay, else the watch.
pub fn on_screen(state: &State) -> &'static Room {
    use super::lists::ListKind;
    if state.view.prompt.is_some() {
        return room("prompt");
    }
    room(match &state.view.overlay {
        Overlay::None => "watch",
        Overlay::Help { .. } => "help",
        Overlay::Detail { .. } => "detail",
        Overlay::Form(_) => "form",
        Overlay::Experts(_) => "experts",
        Overlay::Handover(_) => "handover",
        Overlay::List(v) => match v.kind {
            ListKind::Silences => "silences",
            ListKind::Instructions => "instructions",
            ListKind::Sources => "sources",
            ListKind::History => "history",
            ListKind::Overdue => "overdue",
        },
    })
}

/// Whether `action` does something in `mode`.
pub fn answers(mode: Mode, action: Action) -> bool {
    if mode == Mode::Global {
        return FROM_ANYWHERE.contains(&action);
    }
    ROOMS
        .iter()
        .any(|r| r.modes.contains(&mode) && r.answers.contains(&action))
}

/// Where `action` does something: the modes, in the help's order.
pub fn modes_answering(action: Action) -> Vec<Mode> {
    Mode::ALL
        .into_iter()
        .filter(|m| answers(*m, action))
        .collect()
}

/// The help's heading for a mode: the rooms read in it (the list overlays share one).
pub fn mode_title(lang: Lang, mode: Mode) -> String {
    match mode {
        Mode::Global => lang.pick("全局", "Everywhere").to_owned(),
        Mode::ExpertSearch => lang
            .pick("专家库 · 搜索框", "Experts · search box")
            .to_owned(),
        Mode::Experts => lang.pick("专家库 · 列表", "Experts · list").to_owned(),
        Mode::List => {
            let names: Vec<&str> = ROOMS
                .iter()
                .filter(|r| r.modes == [Mode::List])
                .map(|r| lang.pick(r.title.0, r.title.1))
                .collect();
            match lang {
                Lang::Zh => format!("列表（{}）", names.join("、")),
                Lang::En => format!("Lists ({})", names.join(", ")),
            }
        }
        _ => ROOMS.iter().find(|r| r.modes == [mode]).map_or_else(
            || mode.name(),
            |r| lang.pick(r.title.0, r.title.1).to_owned(),
        ),
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

/// A `:` command: a name for an action, and what it takes after the name.
pub struct Command {
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    /// What it runs: the action a key bound to it runs, given the argument.
    pub action: Action,
    pub arg: Arg,
    /// What the argument is, for help (empty: none).
    pub arg_text: Text,
    pub text: Text,
}

/// The `:` commands, in the order the help lists them.
pub const COMMANDS: &[Command] = &[
    Command {
        name: "experts",
        aliases: &["专家"],
        action: Action::Experts,
        arg: Arg::Experts,
        arg_text: ("查询", "QUERY"),
        text: (
            "专家库，带查询词（姓名、拼音、专业、组）",
            "Expert lookup with a query (name, pinyin, specialty, group)",
        ),
    },
    Command {
        name: "theme",
        aliases: &["主题"],
        action: Action::Theme,
        arg: Arg::Theme,
        arg_text: ("主题名", "NAME"),
        text: (
            "切换主题（内置或配置目录 themes/ 下的）",
            "Switch the theme (built-in or from themes/ in the config directory)",
        ),
    },
    Command {
        name: "handover",
        aliases: &["交接班"],
        action: Action::Handover,
        arg: Arg::None,
        arg_text: ("", ""),
        text: ("交接班", "Shift handover"),
    },
    Command {
        name: "filter",
        aliases: &["筛选"],
        action: Action::Filter,
        arg: Arg::Filter,
        arg_text: ("词", "WORDS"),
        text: (
            "筛选当前列表（同 /；不带词即清除）",
            "Filter the focused list (as /; no words clears it)",
        ),
    },
    Command {
        name: "sources",
        aliases: &["源", "数据源"],
        action: Action::Sources,
        arg: Arg::None,
        arg_text: ("", ""),
        text: ("各数据源健康状况", "Health of every source"),
    },
    Command {
        name: "silences",
        aliases: &["静默"],
        action: Action::Silences,
        arg: Arg::None,
        arg_text: ("", ""),
        text: ("静默列表", "Silences"),
    },
    Command {
        name: "history",
        aliases: &["历史", "历史预警"],
        action: Action::History,
        arg: Arg::None,
        arg_text: ("", ""),
        text: ("已失效、已更新、已解除的预警", "Alerts no longer in force"),
    },
    Command {
        name: "overdue",
        aliases: &["逾期"],
        action: Action::Overdue,
        arg: Arg::None,
        arg_text: ("", ""),
        text: ("逾期的报告，最久的在前", "What is overdue, longest first"),
    },
    Command {
        name: "instructions",
        aliases: &["批示", "督办"],
        action: Action::Instructions,
        arg: Arg::None,
        arg_text: ("", ""),
        text: ("领导批示督办列表", "Leader instructions to follow up"),
    },
    Command {
        name: "help",
        aliases: &["帮助"],
        action: Action::Help,
        arg: Arg::None,
        arg_text: ("", ""),
        text: ("帮助：按键与命令", "Help: keys and commands"),
    },
    Command {
        name: "lang",
        aliases: &["语言"],
        action: Action::Lang,
        arg: Arg::Lang,
        arg_text: ("zh|en", "zh|en"),
        text: ("界面语言", "Language of the screen"),
    },
    Command {
        name: "quit",
        aliases: &["q", "退出"],
        action: Action::Quit,
        arg: Arg::None,
        arg_text: ("", ""),
        text: ("退出", "Quit"),
    },
];

/// The command that runs `action`, if one does.
pub fn command_for(action: Action) -> Option<&'static Command> {
    COMMANDS.iter().find(|c| c.action == action)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::keymap::{Keymap, serde_name};

    #[test]
    fn every_builtin_binding_asks_its_mode_for_something_it_answers() {
        for name in Keymap::builtin_names() {
            let km = Keymap::builtin(name).expect("built-in keymaps parse");
            for b in &km.bindings {
                assert!(
                    answers(b.mode, b.action),
                    "keymap {name}: {} in mode {} does nothing there",
                    serde_name(&b.action),
                    b.mode.name()
                );
            }
        }
    }

    #[test]
    fn every_action_is_answered_somewhere_and_said_in_english() {
        let km = Keymap::embedded();
        for a in Action::ALL {
            assert!(!modes_answering(*a).is_empty(), "{a:?} is answered nowhere");
            assert!(docs::describe(&km, *a).is_some(), "{a:?} has no text");
        }
    }

    #[test]
    fn every_room_can_be_reached_by_a_key_or_a_command() {
        let km = Keymap::embedded();
        for r in ROOMS
            .iter()
            .filter(|r| r.name != "watch" && r.name != "form")
        {
            let opened_by = r
                .opened_by
                .expect("a room other than the watch opens somehow");
            let key = km.bindings.iter().any(|b| b.action == opened_by);
            assert!(
                key || command_for(opened_by).is_some(),
                "{} cannot be opened",
                r.name
            );
        }
    }

    #[test]
    fn every_command_runs_an_action_answered_on_the_watch_screen() {
        for c in COMMANDS {
            assert!(answers(Mode::Watch, c.action), ":{}", c.name);
        }
    }

    #[test]
    fn every_list_overlay_heads_the_help_of_the_list_mode() {
        for lang in [Lang::Zh, Lang::En] {
            let heading = mode_title(lang, Mode::List);
            for r in ROOMS.iter().filter(|r| r.modes == [Mode::List]) {
                assert!(
                    heading.contains(lang.pick(r.title.0, r.title.1)),
                    "{heading}"
                );
            }
        }
        assert_eq!(
            mode_title(Lang::En, Mode::List),
            "Lists (silences, instructions, sources, history, overdue)"
        );
    }

    #[test]
    fn the_keymap_page_holds_the_tables_the_rooms_give() {
        let page = include_str!("../../../docs/keymaps.md");
        let want = docs::tables(&Keymap::embedded());
        assert!(
            page.contains(&want),
            "docs/keymaps.md is behind src/app/rooms; replace its part between the marks \
             with:\n{want}"
        );
    }
}
