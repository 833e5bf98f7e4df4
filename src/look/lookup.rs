//! Finding a theme or keymap by name or path: the user's config directory first, then
//! the ones built in. These read the disk, so they run at start or from an effect.

use super::Place;
use crate::app::keymap::Keymap;
use crate::file_error::{FileError, FileErrors};
use crate::ui::theme::{self, Theme};
use std::path::{Path, PathBuf};

/// A value that names a file rather than a theme or keymap.
pub fn is_path(s: &str) -> bool {
    s.contains('/') || s.contains(std::path::MAIN_SEPARATOR) || s.ends_with(".toml")
}

pub(super) fn read(path: &Path) -> Result<String, FileErrors> {
    std::fs::read_to_string(path).map_err(|e| {
        FileError {
            file: path.display().to_string(),
            line: 0,
            message: format!("cannot read: {e}"),
        }
        .into()
    })
}

/// The `.toml` files in a directory, by name (for listings and checks).
pub fn toml_files(dir: &Path) -> Vec<(String, PathBuf)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<(String, PathBuf)> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .filter_map(|p| Some((p.file_stem()?.to_str()?.to_owned(), p)))
        .collect();
    out.sort();
    out
}

impl Theme {
    /// A theme by name — a user theme (`themes/NAME.toml` in `config_dir`) before a
    /// built-in one of the same name — or by path. Reads the disk: call it at start or from
    /// an effect (a `:theme NAME` command), never while drawing.
    pub fn by_name(name: &str, config_dir: Option<&Path>) -> Result<(Theme, Place), FileErrors> {
        if is_path(name) {
            let path = PathBuf::from(name);
            let theme = Theme::parse(&read(&path)?, name)?;
            return Ok((theme, Place::File(path)));
        }
        if let Some(path) = config_dir.map(|d| d.join("themes").join(format!("{name}.toml")))
            && path.is_file()
        {
            let theme = Theme::parse(&read(&path)?, &path.display().to_string())?;
            return Ok((theme, Place::File(path)));
        }
        match theme::BUILTIN.iter().find(|(n, _)| *n == name) {
            Some((n, text)) => {
                let origin = format!("themes/{n}.toml");
                Ok((Theme::parse(text, &origin)?, Place::Builtin(origin)))
            }
            None => Err(FileError {
                file: name.to_owned(),
                line: 0,
                message: format!(
                    "no such theme; there are {}",
                    Theme::available(config_dir).join(", ")
                ),
            }
            .into()),
        }
    }

    /// Every theme name that `by_name` finds: built-in ones, then the user's.
    pub fn available(config_dir: Option<&Path>) -> Vec<String> {
        let mut names: Vec<String> = Theme::builtin_names().map(str::to_owned).collect();
        if let Some(dir) = config_dir {
            for (n, _) in toml_files(&dir.join("themes")) {
                if !names.contains(&n) {
                    names.push(n);
                }
            }
        }
        names
    }
}

impl Keymap {
    /// A keymap (complete, or a patch over a built-in one) by name — `keymaps/NAME.toml` in
    /// `config_dir` before a built-in one — or by path. Reads the disk.
    pub fn by_name(name: &str, config_dir: Option<&Path>) -> Result<(Keymap, Place), FileErrors> {
        if is_path(name) {
            let path = PathBuf::from(name);
            return Ok((Keymap::parse(&read(&path)?, name)?, Place::File(path)));
        }
        if let Some(path) = config_dir.map(|d| d.join("keymaps").join(format!("{name}.toml")))
            && path.is_file()
        {
            let km = Keymap::parse(&read(&path)?, &path.display().to_string())?;
            return Ok((km, Place::File(path)));
        }
        match crate::app::keymap::BUILTIN.iter().find(|(n, _)| *n == name) {
            Some((n, text)) => {
                let origin = format!("keymaps/{n}.toml");
                Ok((Keymap::parse(text, &origin)?, Place::Builtin(origin)))
            }
            None => Err(FileError {
                file: name.to_owned(),
                line: 0,
                message: format!(
                    "no such keymap; there are {}",
                    Keymap::available(config_dir).join(", ")
                ),
            }
            .into()),
        }
    }

    pub fn available(config_dir: Option<&Path>) -> Vec<String> {
        let mut names: Vec<String> = Keymap::builtin_names().map(str::to_owned).collect();
        if let Some(dir) = config_dir {
            for (n, _) in toml_files(&dir.join("keymaps")) {
                if !names.contains(&n) {
                    names.push(n);
                }
            }
        }
        names
    }
}
