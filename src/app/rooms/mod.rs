//! Every room of the console — the watch screen and each overlay over it — in one table,
//! with the `:` commands beside it. The keymap's check of what a mode can ask for, the `?`
//! help's headings and commands, and the tables in docs/keymaps.md are all read from here,
//! so a room added here is in every one of them, and one left out is in none.

use super::action::Action;
use super::keymap::Mode;
use super::state::{Lang, Overlay, State};
use crate::words;

pub mod docs;

pub struct Room {
    /// Its name in docs and tests.
    pub name: &'static str,
    /// What the help and the docs call it: a key of the catalogue.
    pub title: &'static str,
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
        title: words::key("rooms.watch"),
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
            Action::Correct,
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
        title: words::key("rooms.prompt"),
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
        title: words::key("rooms.detail"),
        modes: &[Mode::Detail],
        answers: with_moves![Action::Close],
        opened_by: Some(Action::Open),
    },
    Room {
        name: "form",
        title: words::key("rooms.form"),
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
        title: words::key("rooms.handover"),
        modes: &[Mode::Handover],
        answers: with_moves![Action::Close, Action::Sign, Action::Confirm],
        opened_by: Some(Action::Handover),
    },
    Room {
        name: "silences",
        title: words::key("rooms.silences"),
        modes: &[Mode::List],
        answers: with_moves![Action::Close, Action::Filter],
        opened_by: Some(Action::Silences),
    },
    Room {
        name: "instructions",
        title: words::key("rooms.instructions"),
        modes: &[Mode::List],
        answers: with_moves![Action::Close, Action::Filter, Action::FollowUp],
        opened_by: Some(Action::Instructions),
    },
    Room {
        name: "sources",
        title: words::key("rooms.sources"),
        modes: &[Mode::List],
        answers: with_moves![Action::Close],
        opened_by: Some(Action::Sources),
    },
    Room {
        name: "history",
        title: words::key("rooms.history"),
        modes: &[Mode::List],
        answers: with_moves![Action::Close],
        opened_by: Some(Action::History),
    },
    Room {
        name: "overdue",
        title: words::key("rooms.overdue"),
        modes: &[Mode::List],
        answers: with_moves![Action::Close],
        opened_by: Some(Action::Overdue),
    },
    Room {
        name: "experts",
        title: words::key("rooms.experts"),
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
        title: words::key("rooms.help"),
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
        Mode::Global => lang.t("help.everywhere").to_owned(),
        Mode::ExpertSearch => lang.t("help.expert_search").to_owned(),
        Mode::Experts => lang.t("help.experts").to_owned(),
        Mode::List => {
            let names: Vec<&str> = ROOMS
                .iter()
                .filter(|r| r.modes == [Mode::List])
                .map(|r| lang.t(r.title))
                .collect();
            let names = names.join(lang.t("help.lists_separator"));
            lang.f("help.lists", &[("names", &names)])
        }
        _ => ROOMS
            .iter()
            .find(|r| r.modes == [mode])
            .map_or_else(|| mode.name(), |r| lang.t(r.title).to_owned()),
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
    /// What the argument is, for help: a key of the catalogue, empty for none (and for
    /// `:lang`, whose argument is a language code: `arg_words`).
    pub arg_text: &'static str,
    /// What it does: a key of the catalogue.
    pub text: &'static str,
}

impl Command {
    /// What the help writes after the name for the argument, if the command takes one:
    /// the codes of the languages there are for `:lang` (`zh|en`).
    pub fn arg_words(&self, lang: Lang) -> String {
        match self.arg {
            Arg::Lang => crate::words::codes().collect::<Vec<_>>().join("|"),
            _ if self.arg_text.is_empty() => String::new(),
            _ => lang.t(self.arg_text).to_owned(),
        }
    }
}

/// The `:` commands, in the order the help lists them.
pub const COMMANDS: &[Command] = &[
    Command {
        name: "experts",
        aliases: &["专家"],
        action: Action::Experts,
        arg: Arg::Experts,
        arg_text: words::key("commands.experts_arg"),
        text: words::key("commands.experts"),
    },
    Command {
        name: "theme",
        aliases: &["主题"],
        action: Action::Theme,
        arg: Arg::Theme,
        arg_text: words::key("commands.theme_arg"),
        text: words::key("commands.theme"),
    },
    Command {
        name: "handover",
        aliases: &["交接班"],
        action: Action::Handover,
        arg: Arg::None,
        arg_text: "",
        text: words::key("commands.handover"),
    },
    Command {
        name: "filter",
        aliases: &["筛选"],
        action: Action::Filter,
        arg: Arg::Filter,
        arg_text: words::key("commands.filter_arg"),
        text: words::key("commands.filter"),
    },
    Command {
        name: "sources",
        aliases: &["源", "数据源"],
        action: Action::Sources,
        arg: Arg::None,
        arg_text: "",
        text: words::key("commands.sources"),
    },
    Command {
        name: "silences",
        aliases: &["静默"],
        action: Action::Silences,
        arg: Arg::None,
        arg_text: "",
        text: words::key("commands.silences"),
    },
    Command {
        name: "history",
        aliases: &["历史", "历史预警"],
        action: Action::History,
        arg: Arg::None,
        arg_text: "",
        text: words::key("commands.history"),
    },
    Command {
        name: "overdue",
        aliases: &["逾期"],
        action: Action::Overdue,
        arg: Arg::None,
        arg_text: "",
        text: words::key("commands.overdue"),
    },
    Command {
        name: "instructions",
        aliases: &["批示", "督办"],
        action: Action::Instructions,
        arg: Arg::None,
        arg_text: "",
        text: words::key("commands.instructions"),
    },
    Command {
        name: "help",
        aliases: &["帮助"],
        action: Action::Help,
        arg: Arg::None,
        arg_text: "",
        text: words::key("commands.help"),
    },
    Command {
        name: "lang",
        aliases: &["语言"],
        action: Action::Lang,
        arg: Arg::Lang,
        arg_text: "",
        text: words::key("commands.lang"),
    },
    Command {
        name: "quit",
        aliases: &["q", "退出"],
        action: Action::Quit,
        arg: Arg::None,
        arg_text: "",
        text: words::key("commands.quit"),
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
        for lang in Lang::ALL {
            let heading = mode_title(lang, Mode::List);
            for r in ROOMS.iter().filter(|r| r.modes == [Mode::List]) {
                assert!(heading.contains(lang.t(r.title)), "{heading}");
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
