//! How the console looks and answers keys: which keymap, theme and language, found from
//! the command line, the config file, the environment and the user's config directory —
//! and where each came from, for `watchroom info` and `check-config`. Reading files happens
//! here, at start (or on a command), never while drawing.

pub mod check;
mod lookup;

use lookup::read;
pub use lookup::{is_path, toml_files};

use crate::app::Lang;
use crate::app::keymap::{Keymap, Layer};
use crate::config::ConsoleConfig;
use crate::file_error::{FileError, FileErrors};
use crate::ui::theme::{self, Theme};
use std::fmt;
use std::path::{Path, PathBuf};

/// What the process environment says about looks, read once at start (`Env::from_process`
/// in main); tests build one by hand.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Env {
    /// `NO_COLOR` is set and not empty (https://no-color.org).
    pub no_color: bool,
    /// The first non-empty of LC_ALL, LC_MESSAGES, LANG, and which it was.
    pub locale: Option<(String, String)>,
}

impl Env {
    pub fn from_process() -> Env {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        Env {
            no_color: var("NO_COLOR").is_some(),
            locale: ["LC_ALL", "LC_MESSAGES", "LANG"]
                .into_iter()
                .find_map(|k| var(k).map(|v| (k.to_owned(), v))),
        }
    }
}

/// The language a locale asks for: one the console has a file for (zh* → Chinese, en* →
/// English); C and POSIX say nothing (None); any other language → English.
pub fn language_of_locale(locale: &str) -> Option<Lang> {
    let lang = locale
        .split(['.', '@'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    if lang.is_empty() || lang == "c" || lang == "posix" {
        None
    } else {
        Some(
            Lang::ALL
                .into_iter()
                .find(|l| lang.starts_with(l.code()))
                .unwrap_or(Lang::En),
        )
    }
}

/// Who chose a keymap, theme or language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// `--keymap` / `--theme` on the command line.
    Flag,
    /// Written in the config file, at this line.
    Config {
        file: PathBuf,
        line: usize,
    },
    /// The environment: `NO_COLOR`, or a locale variable (`LANG=zh_CN.UTF-8`).
    Env(String),
    Default,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Flag => write!(f, "chosen on the command line"),
            Origin::Config { file, line } => write!(f, "chosen at {}:{line}", file.display()),
            Origin::Env(what) => write!(f, "chosen by {what}"),
            Origin::Default => write!(f, "the default"),
        }
    }
}

/// Where the file behind a name was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// Shipped in the binary (`themes/night.toml`).
    Builtin(String),
    File(PathBuf),
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Place::Builtin(p) => write!(f, "built-in {p}"),
            Place::File(p) => write!(f, "{}", p.display()),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Chosen<T> {
    pub value: T,
    pub name: String,
    pub origin: Origin,
    pub place: Place,
    /// For keymaps: the user's `keymap.toml` laid over the chosen one.
    pub layer: Option<PathBuf>,
}

/// Everything that decides the look, gathered at start.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    pub keymap_flag: Option<String>,
    pub theme_flag: Option<String>,
    pub console: ConsoleConfig,
    /// The config file (whether or not it exists); user keymaps and themes live beside it.
    pub config_file: Option<PathBuf>,
    pub env: Env,
}

impl Inputs {
    pub fn config_dir(&self) -> Option<&Path> {
        self.config_file.as_deref().and_then(Path::parent)
    }

    /// A name from the flag, else the config file, with who chose it; paths written in the
    /// config file are relative to its directory.
    fn pick(
        &self,
        flag: &Option<String>,
        config: &Option<String>,
        line: usize,
    ) -> Option<(String, Origin)> {
        if let Some(f) = flag {
            return Some((f.clone(), Origin::Flag));
        }
        let c = config.as_ref()?;
        let name = match self.config_dir() {
            Some(dir) if is_path(c) && Path::new(c).is_relative() => {
                dir.join(c).display().to_string()
            }
            _ => c.clone(),
        };
        let file = self.config_file.clone().unwrap_or_default();
        Some((name, Origin::Config { file, line }))
    }
}

#[derive(Debug, Clone)]
pub struct Look {
    pub keymap: Chosen<Keymap>,
    pub theme: Chosen<Theme>,
    pub lang: Lang,
    pub lang_origin: Origin,
    /// Where the user's themes and keymaps live (`:theme NAME` reads from there).
    pub config_dir: Option<PathBuf>,
}

impl Look {
    /// Resolve keymap, theme and language; every problem in every file is reported.
    pub fn resolve(inputs: &Inputs) -> Result<Look, FileErrors> {
        let keymap = resolve_keymap(inputs);
        let theme = resolve_theme(inputs);
        let (lang, lang_origin) = resolve_language(inputs);
        match (keymap, theme) {
            (Ok(keymap), Ok(theme)) => Ok(Look {
                keymap,
                theme,
                lang,
                lang_origin,
                config_dir: inputs.config_dir().map(Path::to_path_buf),
            }),
            (k, t) => {
                let mut all = Vec::new();
                if let Err(e) = k {
                    all.extend(e.0);
                }
                if let Err(e) = t {
                    all.extend(e.0);
                }
                Err(FileErrors(all))
            }
        }
    }
}

/// A problem with the choice itself (an unknown name), placed where the choice was made.
fn choice_error(origin: &Origin, message: String) -> FileErrors {
    let (file, line, message) = match origin {
        Origin::Config { file, line } => (file.display().to_string(), *line, message),
        Origin::Flag => ("command line".to_owned(), 0, message),
        _ => ("watchroom".to_owned(), 0, message),
    };
    FileError {
        file,
        line,
        message,
    }
    .into()
}

/// An unknown name is reported where it was chosen (the config line, or the flag).
fn placed<T>(
    r: Result<T, FileErrors>,
    name: &str,
    origin: &Origin,
    kind: &str,
) -> Result<T, FileErrors> {
    r.map_err(|e| match e.0.as_slice() {
        [one] if one.file == name && one.line == 0 && !is_path(name) => {
            choice_error(origin, format!("{kind} {name:?}: {}", one.message))
        }
        _ => e,
    })
}

/// The flag, else the config file, else the `extends` of the user's `keymap.toml`, else
/// default; then `keymap.toml` laid over it. Every problem in both files is reported.
pub fn resolve_keymap(inputs: &Inputs) -> Result<Chosen<Keymap>, FileErrors> {
    let lines = inputs.console.lines;
    let dir = inputs.config_dir();
    let mut errors = Vec::new();
    let layer_path = dir.map(|d| d.join("keymap.toml")).filter(|p| p.is_file());
    let layer = layer_path.as_ref().and_then(|path| match read(path) {
        Ok(text) => {
            let (layer, e) = Layer::read(&text, &path.display().to_string());
            errors.extend(e);
            Some((path, layer))
        }
        Err(e) => {
            errors.extend(e.0);
            None
        }
    });
    let chosen = inputs.pick(&inputs.keymap_flag, &inputs.console.keymap, lines.keymap);
    let extends = layer
        .as_ref()
        .and_then(|(path, l)| Some((*path, l.extends()?)));
    let (name, origin, by_extends) = match (chosen, extends) {
        (Some((name, origin)), Some((path, (ext, line)))) if name != ext => {
            errors.push(FileError {
                file: path.display().to_string(),
                line,
                message: format!(
                    "extends {ext:?}, but keymap {name:?} is {origin}: this file is laid over \
                     the chosen keymap, so choose {ext:?} there or leave extends out"
                ),
            });
            (name, origin, false)
        }
        (Some((name, origin)), _) => (name, origin, false),
        (None, Some((path, (ext, line)))) => (
            ext.to_owned(),
            Origin::Config {
                file: path.clone(),
                line,
            },
            true,
        ),
        (None, None) => ("default".to_owned(), Origin::Default, false),
    };
    let base = if by_extends && is_path(&name) {
        Err(choice_error(
            &origin,
            format!(
                "extends {name:?}: name a keymap ({}), not a file",
                Keymap::available(dir).join(", ")
            ),
        ))
    } else {
        placed(Keymap::by_name(&name, dir), &name, &origin, "keymap")
    };
    let chosen = match base {
        Ok((base, place)) => {
            let value = match &layer {
                Some((_, layer)) => {
                    let (value, e) = layer.lay_over(base);
                    errors.extend(e);
                    value
                }
                None => base,
            };
            Some(Chosen {
                value,
                name,
                origin,
                place,
                layer: layer_path,
            })
        }
        Err(e) => {
            errors.extend(e.0);
            None
        }
    };
    match chosen {
        Some(chosen) if errors.is_empty() => Ok(chosen),
        _ => {
            errors.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
            Err(FileErrors(errors))
        }
    }
}

/// The flag, else the config file, else `NO_COLOR` (the modifiers-only theme), else dark.
/// A theme the user named on purpose wins over NO_COLOR, as https://no-color.org asks.
pub fn resolve_theme(inputs: &Inputs) -> Result<Chosen<Theme>, FileErrors> {
    let lines = inputs.console.lines;
    let (name, origin) = inputs
        .pick(&inputs.theme_flag, &inputs.console.theme, lines.theme)
        .unwrap_or_else(|| {
            if inputs.env.no_color {
                (theme::NO_COLOR.to_owned(), Origin::Env("NO_COLOR".into()))
            } else {
                ("dark".to_owned(), Origin::Default)
            }
        });
    let (value, place) = placed(
        Theme::by_name(&name, inputs.config_dir()),
        &name,
        &origin,
        "theme",
    )?;
    Ok(Chosen {
        value,
        name,
        origin,
        place,
        layer: None,
    })
}

/// `language` in the config file, else the locale, else Chinese.
pub fn resolve_language(inputs: &Inputs) -> (Lang, Origin) {
    match inputs.console.language.as_str() {
        "" => {}
        code => {
            return (
                Lang::from_code(code),
                Origin::Config {
                    file: inputs.config_file.clone().unwrap_or_default(),
                    line: inputs.console.lines.language,
                },
            );
        }
    }
    if let Some((var, value)) = &inputs.env.locale
        && let Some(lang) = language_of_locale(value)
    {
        return (lang, Origin::Env(format!("{var}={value}")));
    }
    (Lang::Zh, Origin::Default)
}

/// One line on where the keymap came from, for `info` and `check-config`.
pub fn describe_keymap(k: &Chosen<Keymap>) -> String {
    let mut s = format!("keymap:       {}  ({}; {}", k.name, k.place, k.origin);
    if let Some(layer) = &k.layer {
        s.push_str(&format!("; {} laid over it", layer.display()));
    }
    s.push(')');
    s
}

pub fn describe_theme(t: &Chosen<Theme>) -> String {
    format!("theme:        {}  ({}; {})", t.name, t.place, t.origin)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locales_give_languages() {
        assert_eq!(language_of_locale("zh_CN.UTF-8"), Some(Lang::Zh));
        assert_eq!(language_of_locale("zh_TW"), Some(Lang::Zh));
        assert_eq!(language_of_locale("en_GB.UTF-8"), Some(Lang::En));
        assert_eq!(language_of_locale("de_DE@euro"), Some(Lang::En));
        assert_eq!(language_of_locale("C.UTF-8"), None);
        assert_eq!(language_of_locale("POSIX"), None);
    }

    #[test]
    fn language_comes_from_config_then_locale_then_default() {
        let mut inputs = Inputs::default();
        assert_eq!(resolve_language(&inputs), (Lang::Zh, Origin::Default));
        inputs.env.locale = Some(("LANG".into(), "en_US.UTF-8".into()));
        assert_eq!(resolve_language(&inputs).0, Lang::En);
        inputs.console.language = "zh".into();
        assert_eq!(resolve_language(&inputs).0, Lang::Zh);
    }

    #[test]
    fn no_color_picks_the_modifiers_only_theme_unless_a_theme_is_named() {
        let mut inputs = Inputs {
            env: Env {
                no_color: true,
                locale: None,
            },
            ..Inputs::default()
        };
        let t = resolve_theme(&inputs).unwrap();
        assert_eq!(t.name, "no-color");
        assert_eq!(t.origin, Origin::Env("NO_COLOR".into()));
        inputs.theme_flag = Some("night".into());
        assert_eq!(resolve_theme(&inputs).unwrap().value.name, "night");
        inputs.env.no_color = false;
        inputs.theme_flag = None;
        assert_eq!(resolve_theme(&inputs).unwrap().value.name, "dark");
    }

    #[test]
    fn an_unknown_name_in_the_config_is_reported_at_its_line() {
        let inputs = Inputs {
            console: ConsoleConfig {
                theme: Some("dusk".into()),
                lines: crate::config::SettingLines {
                    theme: 7,
                    ..Default::default()
                },
                ..ConsoleConfig::default()
            },
            config_file: Some(PathBuf::from("/etc/wr/config.toml")),
            ..Inputs::default()
        };
        let err = resolve_theme(&inputs).unwrap_err().to_string();
        assert!(
            err.starts_with("/etc/wr/config.toml:7: theme \"dusk\""),
            "{err}"
        );
        assert!(err.contains("night"), "{err}");
    }

    #[test]
    fn keymap_toml_with_extends_chooses_its_keymap_unless_another_is_chosen() {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("config.toml");
        let layer = dir.path().join("keymap.toml");
        std::fs::write(
            &layer,
            "extends = \"vim\"\n[[binding]]\nmode = \"watch\"\naction = \"ack\"\nkeys = [\"A\"]\n",
        )
        .unwrap();
        let mut inputs = Inputs {
            config_file: Some(config.clone()),
            ..Inputs::default()
        };
        let k = resolve_keymap(&inputs).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(k.name, "vim");
        assert_eq!(
            k.origin,
            Origin::Config {
                file: layer.clone(),
                line: 1
            }
        );
        let ack = k.value.in_mode(crate::app::keymap::Mode::Watch);
        let ack = ack
            .filter(|b| b.action == crate::app::Action::Ack)
            .collect::<Vec<_>>();
        assert_eq!(ack[0].key_names, ["A"]);
        // The same name chosen in the config file agrees with it; another is an error.
        inputs.console.keymap = Some("vim".into());
        assert!(resolve_keymap(&inputs).is_ok());
        inputs.console.keymap = Some("default".into());
        inputs.console.lines.keymap = 4;
        let err = resolve_keymap(&inputs).unwrap_err().to_string();
        let at = format!(
            "{}:1: extends \"vim\", but keymap \"default\" is chosen at {}:4",
            layer.display(),
            config.display()
        );
        assert!(err.starts_with(&at), "{err}");
        // Without extends it is laid over whichever keymap is chosen, as it always was.
        std::fs::write(
            &layer,
            "[[binding]]\nmode = \"watch\"\naction = \"ack\"\nkeys = [\"A\"]\n",
        )
        .unwrap();
        let k = resolve_keymap(&inputs).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((k.name.as_str(), k.layer), ("default", Some(layer)));
    }
}
