//! `watchroom check-config`: read the config file, the chosen keymap with the user's layer,
//! the chosen theme and every user keymap and theme, and say what is wrong where.

use super::{Env, Inputs, Look, toml_files};
use crate::app::keymap::{Keymap, Layer};
use crate::ui::theme::Theme;
use std::path::{Path, PathBuf};

#[derive(Debug, Default)]
pub struct Report {
    /// What was read and found good, for stdout.
    pub notes: Vec<String>,
    /// `file:line: message`, one per problem, for stderr.
    pub errors: Vec<String>,
}

impl Report {
    fn error(&mut self, e: impl ToString) {
        let e = e.to_string();
        for line in e.lines() {
            if !self.errors.iter().any(|x| x == line) {
                self.errors.push(line.to_owned());
            }
        }
    }
}

/// Check everything the console would read at start. `config_file` is the file to read;
/// `must_exist` when it was named on the command line.
pub fn check(
    config_file: Option<PathBuf>,
    must_exist: bool,
    keymap_flag: Option<String>,
    theme_flag: Option<String>,
    env: Env,
) -> Report {
    let mut report = Report::default();
    let mut console = crate::config::ConsoleConfig::default();
    match &config_file {
        None => report
            .notes
            .push("config: none (no home directory); defaults in use".into()),
        Some(path) => match std::fs::read_to_string(path) {
            Ok(text) => match crate::config::parse(&text, &path.display().to_string()) {
                Ok(c) => {
                    console = c.console;
                    report.notes.push(format!("config: {} ok", path.display()));
                }
                Err(e) => report.error(format!("{e:#}")),
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !must_exist => report.notes.push(
                format!("config: {} not found; defaults in use", path.display()),
            ),
            Err(e) => report.error(format!("{}: cannot read: {e}", path.display())),
        },
    }
    let inputs = Inputs {
        keymap_flag,
        theme_flag,
        console,
        config_file,
        env,
    };
    match Look::resolve(&inputs) {
        Ok(look) => {
            report.notes.push(super::describe_keymap(&look.keymap));
            report.notes.push(super::describe_theme(&look.theme));
        }
        Err(e) => report.error(e),
    }
    if let Some(dir) = inputs.config_dir() {
        check_user_files(dir, &mut report);
    }
    report
}

/// Every user file, chosen or not: a broken theme should be found before someone switches
/// to it at 03:00.
fn check_user_files(dir: &Path, report: &mut Report) {
    let layer = dir.join("keymap.toml");
    if layer.is_file() {
        match std::fs::read_to_string(&layer) {
            Ok(text) => {
                if let Err(e) = Layer::parse(&text, &layer.display().to_string()) {
                    report.error(e);
                }
            }
            Err(e) => report.error(format!("{}: cannot read: {e}", layer.display())),
        }
    }
    for (kind, sub) in [("keymap", "keymaps"), ("theme", "themes")] {
        for (name, path) in toml_files(&dir.join(sub)) {
            let origin = path.display().to_string();
            let result = std::fs::read_to_string(&path)
                .map_err(|e| format!("{origin}: cannot read: {e}"))
                .and_then(|text| {
                    if kind == "theme" {
                        Theme::parse(&text, &origin).map(drop)
                    } else {
                        Keymap::parse(&text, &origin).map(drop)
                    }
                    .map_err(|e| e.to_string())
                });
            match result {
                Ok(()) => report.notes.push(format!("{kind} {name}: {origin} ok")),
                Err(e) => report.error(e),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_broken_keymap_patch_is_reported_mistake_by_mistake_at_its_lines() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/check-config/patch");
        let report = check(
            Some(dir.join("config.toml")),
            true,
            None,
            None,
            Env::default(),
        );
        let errors = report.errors.join("\n");
        let expected = [
            ("keymaps/desk.toml", 3, "unknown field `colour`"),
            (
                "keymaps/desk.toml",
                8,
                "unknown key name \"Ctlr-a\": \"Ctlr\" is not a modifier",
            ),
            ("keymaps/desk.toml", 14, "unknown field `hnit`"),
            ("keymaps/desk.toml", 17, "unknown variant `wach`"),
            ("keymaps/desk.toml", 23, "unknown variant `acknowledge`"),
            (
                "keymaps/desk.toml",
                29,
                "after \"ack\": mode \"experts\" has no binding for \"ack\"",
            ),
            (
                "keymaps/desk.toml",
                34,
                "key \"A\" in mode \"watch\" is bound to both \"ack\" (line 8)",
            ),
            (
                "keymaps/desk.toml",
                44,
                "action \"ack\" does nothing in mode \"help\"; it works in \"watch\"",
            ),
            (
                "keymaps/emacs-ish.toml",
                2,
                "extends \"emacs\": no such built-in keymap",
            ),
            (
                "keymap.toml",
                2,
                "extends \"default\", but keymap \"desk\" is chosen at",
            ),
        ];
        for (file, line, what) in expected {
            let at = format!("{}:{line}: ", dir.join(file).display());
            assert!(
                report
                    .errors
                    .iter()
                    .any(|e| e.starts_with(&at) && e.contains(what)),
                "expected {at}… {what}:\n{errors}"
            );
        }
        // Each once, though the chosen keymap is read both at start and among the user's.
        assert_eq!(report.errors.len(), expected.len(), "{errors}");
    }
}
