//! The tables of docs/keymaps.md, written from the rooms, the commands and the default
//! keymap, and checked against the file by a test so the page cannot fall behind.

use super::{COMMANDS, ROOMS, answers};
use crate::app::Lang;
use crate::app::action::Action;
use crate::app::keymap::{Keymap, Mode, serde_name};

/// The marks the generated part of docs/keymaps.md stands between.
pub const BEGIN: &str = "<!-- rooms: written from src/app/rooms; a test checks it -->";
pub const END: &str = "<!-- end of rooms -->";

/// The page is in English.
const LANG: Lang = Lang::En;

/// What an action does, in English: the help text of the default keymap's first binding
/// for it, else its command's text.
pub fn describe(keymap: &Keymap, action: Action) -> Option<String> {
    keymap
        .bindings
        .iter()
        .find(|b| b.action == action)
        .map(|b| b.text(LANG).to_owned())
        .or_else(|| super::command_for(action).map(|c| LANG.t(c.text).to_owned()))
}

fn code(name: String) -> String {
    format!("`{name}`")
}

/// The generated part, marks included.
pub fn tables(keymap: &Keymap) -> String {
    let mut out =
        format!("{BEGIN}\n\n**Modes** — where a binding works, and the room it is read in.\n\n");
    out.push_str("| mode | room | its keys can ask for |\n| --- | --- | --- |\n");
    for mode in Mode::ALL {
        let rooms: Vec<&str> = if mode == Mode::Global {
            vec!["everywhere, after the mode on screen found nothing (not in the expert lookup)"]
        } else {
            ROOMS
                .iter()
                .filter(|r| r.modes.contains(&mode))
                .map(|r| LANG.t(r.title))
                .collect()
        };
        let actions: Vec<String> = Action::ALL
            .iter()
            .filter(|a| answers(mode, **a))
            .map(|a| code(serde_name(a)))
            .collect();
        out.push_str(&format!(
            "| `{}` | {} | {} |\n",
            mode.name(),
            rooms.join(", "),
            actions.join(" ")
        ));
    }
    out.push_str("\n**Actions.**\n\n| action | what it does |\n| --- | --- |\n");
    for a in Action::ALL {
        let what = describe(keymap, *a).unwrap_or_default();
        let writes = if a.writes() {
            " (not on a `--read-only` wall)"
        } else {
            ""
        };
        out.push_str(&format!("| `{}` | {what}{writes} |\n", serde_name(a)));
    }
    out.push_str(
        "\n**Commands** — typed after `:`; each runs the action a key bound to it runs.\n\n",
    );
    out.push_str("| command | aliases | runs | what it does |\n| --- | --- | --- | --- |\n");
    for c in COMMANDS {
        let arg = match c.arg_words(LANG) {
            w if w.is_empty() => w,
            w => format!(" {w}"),
        };
        let aliases: Vec<String> = c.aliases.iter().map(|a| format!("`:{a}`")).collect();
        out.push_str(&format!(
            "| `:{}{arg}` | {} | `{}` | {} |\n",
            c.name,
            aliases.join(" "),
            serde_name(&c.action),
            LANG.t(c.text)
        ));
    }
    out.push('\n');
    out.push_str(END);
    out
}
