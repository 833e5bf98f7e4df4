//! Themes are data: TOML files that give each semantic role a style.

use crate::model::Colour;
use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;
use std::collections::HashMap;

pub const DARK: &str = include_str!("../../themes/dark.toml");

/// Every role the views ask for; a theme file must define them all.
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
    "fresh",
    "ok",
    "stale",
    "offline",
    "overdue",
    "demo",
    "flash",
    "key",
];

#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    pub name: String,
    roles: HashMap<String, Style>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    name: String,
    roles: HashMap<String, RawStyle>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawStyle {
    fg: Option<RawColour>,
    bg: Option<RawColour>,
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

#[derive(Deserialize)]
#[serde(untagged)]
enum RawColour {
    Index(u8),
    Name(String),
}

impl Theme {
    pub fn embedded() -> Theme {
        Theme::parse(DARK, "themes/dark.toml")
            .expect("the embedded theme is checked by a unit test")
    }

    pub fn parse(text: &str, origin: &str) -> anyhow::Result<Theme> {
        let file: File =
            toml::from_str(text).map_err(|e| anyhow::anyhow!("{origin}: {}", e.message()))?;
        let mut roles = HashMap::new();
        for (role, raw) in file.roles {
            if !ROLES.contains(&role.as_str()) {
                anyhow::bail!("{origin}: unknown role {role:?}");
            }
            let style =
                to_style(&raw).map_err(|e| anyhow::anyhow!("{origin}: role {role:?}: {e}"))?;
            roles.insert(role, style);
        }
        if let Some(missing) = ROLES.iter().find(|r| !roles.contains_key(**r)) {
            anyhow::bail!("{origin}: role {missing:?} is not defined");
        }
        Ok(Theme {
            name: file.name,
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

fn to_colour(c: &RawColour) -> Result<Color, String> {
    match c {
        RawColour::Index(i) => Ok(Color::Indexed(*i)),
        RawColour::Name(n) => n
            .parse::<Color>()
            .map_err(|_| format!("unknown colour {n:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_theme_defines_every_role() {
        let t = Theme::embedded();
        assert_eq!(t.name, "dark");
        assert_eq!(t.alert(Colour::Red).bg, Some(Color::Indexed(160)));
        assert!(t.style("selection").add_modifier.contains(Modifier::BOLD));
    }

    #[test]
    fn bad_themes_say_what_is_wrong() {
        let err = Theme::parse("name=\"x\"\n[roles]\ntext={fg=\"mauve-ish\"}\n", "t.toml")
            .unwrap_err()
            .to_string();
        assert!(err.contains("t.toml") && err.contains("mauve-ish"), "{err}");
        let err = Theme::parse("name=\"x\"\n[roles]\ntext={}\n", "t.toml")
            .unwrap_err()
            .to_string();
        assert!(err.contains("is not defined"), "{err}");
    }
}
