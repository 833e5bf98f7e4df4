//! Themes are data: TOML files that give each semantic role a style. File format and the
//! list of roles: docs/themes.md.

use crate::file_error::{Collector, FileErrors};
use crate::model::Colour;
use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

mod role;
pub use role::Role;

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

#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    pub name: String,
    /// Indexed by `Role as usize`, so drawing reads a style without looking up a name.
    styles: [Style; Role::COUNT],
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
    /// `extends = "NAME"` starts from a built-in theme, so a file need only name what differs;
    /// without it, a role the file leaves out takes its nearest named ancestor's style
    /// (`Role::parent`), and `text`, the root, must be named.
    pub fn parse(text: &str, origin: &str) -> Result<Theme, FileErrors> {
        let mut c = Collector::new(origin, text);
        let file: File = match toml::from_str(text) {
            Ok(f) => f,
            Err(e) => {
                c.toml(&e);
                return Err(FileErrors(c.errors));
            }
        };
        let mut base = None;
        if let Some(name) = &file.extends {
            match BUILTIN.iter().find(|(n, _)| n == name.get_ref()) {
                Some((n, text)) => match Theme::parse(text, &format!("themes/{n}.toml")) {
                    Ok(t) => base = Some(t),
                    Err(e) => c.errors.extend(e.0),
                },
                None => c.at(
                    &name.span(),
                    format!(
                        "extends {:?}: no such built-in theme (there are {})",
                        name.get_ref(),
                        Theme::builtin_names().collect::<Vec<_>>().join(", ")
                    ),
                ),
            }
        }
        let mut defined = [None; Role::COUNT];
        for (name, raw) in file.roles.get_ref() {
            let Some(role) = Role::from_name(name.get_ref()) else {
                c.at(
                    &name.span(),
                    format!(
                        "unknown role {:?} (the roles are listed in docs/themes.md)",
                        name.get_ref()
                    ),
                );
                continue;
            };
            match to_style(raw.get_ref()) {
                Ok(style) => defined[role as usize] = Some(style),
                Err(e) => {
                    c.at(&name.span(), format!("role {:?}: {e}", name.get_ref()));
                    // Reported once, not again as missing.
                    defined[role as usize] = Some(Style::default());
                }
            }
        }
        if file.extends.is_none() && defined[Role::Text as usize].is_none() {
            c.at(
                &file.roles.span(),
                "role \"text\" not defined: every role the file leaves out falls back to it \
                 (define it, or add extends = \"dark\" at the top)",
            );
        }
        let styles = std::array::from_fn(|i| {
            let role = Role::ALL[i];
            match &base {
                // A role the file leaves out keeps the base theme's style, whatever the file
                // gives that role's parent: extending changes only what it names.
                Some(base) => defined[i].unwrap_or(base.get(role)),
                None => role
                    .lineage()
                    .find_map(|r| defined[r as usize])
                    .unwrap_or_default(),
            }
        });
        c.finish(Theme {
            name: file.name.into_inner(),
            styles,
        })
    }

    /// The style this theme gives `role`.
    pub fn get(&self, role: Role) -> Style {
        self.styles[role as usize]
    }

    pub fn alert(&self, c: Colour) -> Style {
        self.get(Role::alert(c))
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

    /// The roles a theme file names itself, whatever it would inherit.
    fn named(text: &str) -> Vec<String> {
        let file: File = toml::from_str(text).unwrap_or_else(|e| panic!("{e}"));
        file.roles
            .into_inner()
            .into_keys()
            .map(|k| k.into_inner())
            .collect()
    }

    #[test]
    fn every_builtin_theme_names_every_role_itself() {
        for (name, text) in BUILTIN {
            let t = Theme::parse(text, name).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(t.name, *name);
            let named = named(text);
            for role in Role::ALL {
                assert!(
                    named.iter().any(|n| n == role.name()),
                    "{name} lacks {role}"
                );
            }
        }
    }

    #[test]
    fn embedded_theme_is_dark() {
        let t = Theme::embedded();
        assert_eq!(t.name, "dark");
        assert_eq!(t.alert(Colour::Red).bg, Some(Color::Indexed(160)));
        assert!(t.get(Role::Selection).add_modifier.contains(Modifier::BOLD));
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
        let err = Theme::parse("name=\"x\"\n[roles]\nmuted={}\n", "t.toml")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("t.toml:2: ") && err.contains("role \"text\" not defined"),
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
        assert_eq!(t.get(Role::AlertRed), night.get(Role::AlertRed));
        assert_eq!(
            t.get(Role::Selection),
            Style::default().add_modifier(Modifier::REVERSED)
        );
    }

    #[test]
    fn an_unknown_role_is_an_error_at_its_line() {
        let err = Theme::parse(
            "name=\"x\"\n[roles]\ntext={}\n\"border.focsu\"={bold=true}\nkey={}\n",
            "t.toml",
        )
        .unwrap_err()
        .to_string();
        assert_eq!(
            err,
            "t.toml:4: unknown role \"border.focsu\" (the roles are listed in docs/themes.md)"
        );
    }

    #[test]
    fn a_role_left_out_takes_its_nearest_named_ancestors_style() {
        let t = Theme::parse(
            "name=\"x\"\n[roles]\ntext={fg=\"white\"}\nborder={fg=\"gray\"}\n\
             overdue={fg=\"red\",bold=true}\n\"alert.orange\"={bg=208}\n",
            "t.toml",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let text = Style::default().fg(Color::White);
        let border = Style::default().fg(Color::Gray);
        let overdue = Style::default().fg(Color::Red).add_modifier(Modifier::BOLD);
        let orange = Style::default().bg(Color::Indexed(208));
        // The parent itself, then a grandparent past a role the file leaves out too.
        assert_eq!(t.get(Role::BorderFocus), border);
        assert_eq!(t.get(Role::Muted), text);
        assert_eq!(t.get(Role::AlertRed), overdue);
        assert_eq!(t.get(Role::Stale), overdue);
        assert_eq!(t.get(Role::AlertOrange), orange);
        assert_eq!(t.get(Role::AlertBlue), orange);
        assert_eq!(t.get(Role::Match), text);
    }

    #[test]
    fn extending_keeps_the_base_style_of_a_role_left_out() {
        let t = Theme::parse(
            "name=\"x\"\nextends=\"dark\"\n[roles]\nborder={fg=\"red\"}\n",
            "t.toml",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let dark = Theme::builtin("dark").unwrap();
        assert_eq!(t.get(Role::Border), Style::default().fg(Color::Red));
        assert_eq!(t.get(Role::BorderFocus), dark.get(Role::BorderFocus));
    }

    #[test]
    fn a_theme_naming_only_text_styles_every_role_alike() {
        let t = Theme::parse("name=\"x\"\n[roles]\ntext={dim=true}\n", "t.toml")
            .unwrap_or_else(|e| panic!("{e}"));
        for &role in Role::ALL {
            assert_eq!(
                t.get(role),
                Style::default().add_modifier(Modifier::DIM),
                "{role}"
            );
        }
    }
}

#[cfg(test)]
mod builtin_styles;
