//! Themes are data: TOML files that give each semantic role a style. File format and the
//! list of roles: docs/themes.md.

use crate::file_error::{Collector, FileErrors};
use crate::model::Colour;
use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use toml::Spanned;

/// The themes that ship inside the binary, by name; the first is the default.
pub const BUILTIN: &[(&str, &str)] = &[
    ("dark", include_str!("../../../themes/dark.toml")),
    ("light", include_str!("../../../themes/light.toml")),
    (
        "high-contrast",
        include_str!("../../../themes/high-contrast.toml"),
    ),
    ("night", include_str!("../../../themes/night.toml")),
    ("ansi16", include_str!("../../../themes/ansi16.toml")),
    ("no-color", include_str!("../../../themes/no-color.toml")),
];

/// The modifiers-only theme that `NO_COLOR` selects.
pub const NO_COLOR: &str = "no-color";

pub const DARK: &str = BUILTIN[0].1;

/// Every role the views ask for; a theme file must define them all (or extend one that does).
pub const ROLES: &[&str] = &[
    "text",
    "muted",
    "border",
    "border.focus",
    "title",
    "header",
    "selection",
    "alert.red",
    "alert.orange",
    "alert.yellow",
    "alert.blue",
    "acknowledged",
    "fresh",
    "ok",
    "stale",
    "offline",
    "overdue",
    "demo",
    "flash",
    "key",
    "match",
];

#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    pub name: String,
    roles: HashMap<String, Style>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    name: Spanned<String>,
    extends: Option<Spanned<String>>,
    roles: Spanned<BTreeMap<Spanned<String>, Spanned<RawStyle>>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawStyle {
    fg: Option<toml::Value>,
    bg: Option<toml::Value>,
    #[serde(default)]
    bold: bool,
    #[serde(default)]
    dim: bool,
    #[serde(default)]
    italic: bool,
    #[serde(default)]
    underline: bool,
    #[serde(default)]
    reverse: bool,
}

impl Theme {
    pub fn embedded() -> Theme {
        Theme::builtin("dark").expect("the built-in themes are checked by a unit test")
    }

    /// A theme shipped in the binary; None for an unknown name.
    pub fn builtin(name: &str) -> Option<Theme> {
        let (name, text) = BUILTIN.iter().find(|(n, _)| *n == name)?;
        Theme::parse(text, &format!("themes/{name}.toml")).ok()
    }

    pub fn builtin_names() -> impl Iterator<Item = &'static str> {
        BUILTIN.iter().map(|(n, _)| *n)
    }

    /// Parse a theme file; every problem is reported as `origin:line: message`.
    /// `extends = "NAME"` starts from a built-in theme, so a file need only name what differs.
    pub fn parse(text: &str, origin: &str) -> Result<Theme, FileErrors> {
        let mut c = Collector::new(origin, text);
        let file: File = match toml::from_str(text) {
            Ok(f) => f,
            Err(e) => {
                c.toml(&e);
                return Err(FileErrors(c.errors));
            }
        };
        let mut roles = HashMap::new();
        if let Some(base) = &file.extends {
            match BUILTIN.iter().find(|(n, _)| n == base.get_ref()) {
                Some((n, text)) => match Theme::parse(text, &format!("themes/{n}.toml")) {
                    Ok(t) => roles = t.roles,
                    Err(e) => c.errors.extend(e.0),
                },
                None => c.at(
                    &base.span(),
                    format!(
                        "extends {:?}: no such built-in theme (there are {})",
                        base.get_ref(),
                        Theme::builtin_names().collect::<Vec<_>>().join(", ")
                    ),
                ),
            }
        }
        for (role, raw) in file.roles.get_ref() {
            if !ROLES.contains(&role.get_ref().as_str()) {
                c.at(
                    &role.span(),
                    format!(
                        "unknown role {:?} (the roles are listed in docs/themes.md)",
                        role.get_ref()
                    ),
                );
                continue;
            }
            match to_style(raw.get_ref()) {
                Ok(style) => {
                    roles.insert(role.get_ref().clone(), style);
                }
                Err(e) => {
                    c.at(&role.span(), format!("role {:?}: {e}", role.get_ref()));
                    // Reported once, not again as missing.
                    roles.insert(role.get_ref().clone(), Style::default());
                }
            }
        }
        let missing: Vec<&str> = ROLES
            .iter()
            .copied()
            .filter(|r| !roles.contains_key(*r))
            .collect();
        if !missing.is_empty() && file.extends.is_none() {
            c.at(
                &file.roles.span(),
                format!(
                    "roles not defined: {} (define them, or add extends = \"dark\" at the top)",
                    missing.join(", ")
                ),
            );
        }
        c.finish(Theme {
            name: file.name.into_inner(),
            roles,
        })
    }

    pub fn style(&self, role: &str) -> Style {
        self.roles.get(role).copied().unwrap_or_default()
    }

    pub fn alert(&self, c: Colour) -> Style {
        self.style(match c {
            Colour::Red => "alert.red",
            Colour::Orange => "alert.orange",
            Colour::Yellow => "alert.yellow",
            Colour::Blue => "alert.blue",
        })
    }
}

fn to_style(raw: &RawStyle) -> Result<Style, String> {
    let mut s = Style::default();
    if let Some(c) = &raw.fg {
        s = s.fg(to_colour(c)?);
    }
    if let Some(c) = &raw.bg {
        s = s.bg(to_colour(c)?);
    }
    for (on, m) in [
        (raw.bold, Modifier::BOLD),
        (raw.dim, Modifier::DIM),
        (raw.italic, Modifier::ITALIC),
        (raw.underline, Modifier::UNDERLINED),
        (raw.reverse, Modifier::REVERSED),
    ] {
        if on {
            s = s.add_modifier(m);
        }
    }
    Ok(s)
}

fn to_colour(c: &toml::Value) -> Result<Color, String> {
    match c {
        toml::Value::Integer(i) => u8::try_from(*i)
            .map(Color::Indexed)
            .map_err(|_| format!("colour {i} is not a 256-colour index (0–255)")),
        toml::Value::String(n) => n.parse::<Color>().map_err(|_| {
            format!("unknown colour {n:?} (a name such as red or lightred, \"#rrggbb\", or 0–255)")
        }),
        other => Err(format!(
            "colour {other}: give a name, \"#rrggbb\" or a number 0–255"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_theme_defines_every_role() {
        for (name, text) in BUILTIN {
            let t = Theme::parse(text, name).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(t.name, *name);
            for role in ROLES {
                assert!(t.roles.contains_key(*role), "{name} lacks {role}");
            }
        }
    }

    #[test]
    fn embedded_theme_is_dark() {
        let t = Theme::embedded();
        assert_eq!(t.name, "dark");
        assert_eq!(t.alert(Colour::Red).bg, Some(Color::Indexed(160)));
        assert!(t.style("selection").add_modifier.contains(Modifier::BOLD));
    }

    #[test]
    fn bad_themes_say_what_is_wrong_and_where() {
        let err = Theme::parse(
            "name=\"x\"\nextends=\"dark\"\n[roles]\ntext={fg=\"mauve-ish\"}\n",
            "t.toml",
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.starts_with("t.toml:4: ") && err.contains("mauve-ish"),
            "{err}"
        );
        let err = Theme::parse("name=\"x\"\n[roles]\ntext={}\n", "t.toml")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("t.toml:2: ") && err.contains("not defined"),
            "{err}"
        );
        let err = Theme::parse("name=\"x\"\nextends=\"dusk\"\n[roles]\n", "t.toml")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("t.toml:2: ") && err.contains("dusk"),
            "{err}"
        );
    }

    #[test]
    fn a_theme_may_extend_a_builtin_one() {
        let t = Theme::parse(
            "name=\"mine\"\nextends=\"night\"\n[roles]\nselection={reverse=true}\n",
            "t.toml",
        )
        .unwrap();
        let night = Theme::builtin("night").unwrap();
        assert_eq!(t.style("alert.red"), night.style("alert.red"));
        assert_eq!(
            t.style("selection"),
            Style::default().add_modifier(Modifier::REVERSED)
        );
    }
}

#[cfg(test)]
mod builtin_styles;
