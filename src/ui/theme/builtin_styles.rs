//! The style each built-in theme gives each role, written down once from the themes' files so
//! that a change to how themes are read cannot quietly repaint a shipped theme.

use super::*;

/// Style as one line: colours by ratatui's names, then the modifiers set, in flag order.
fn describe(s: Style) -> String {
    let mut v = Vec::new();
    if let Some(c) = s.fg {
        v.push(format!("fg {c:?}"));
    }
    if let Some(c) = s.bg {
        v.push(format!("bg {c:?}"));
    }
    if let Some(c) = s.underline_color {
        v.push(format!("underline {c:?}"));
    }
    for (n, _) in s.add_modifier.iter_names() {
        v.push(n.to_lowercase());
    }
    for (n, _) in s.sub_modifier.iter_names() {
        v.push(format!("not {}", n.to_lowercase()));
    }
    v.join(", ")
}

#[test]
fn every_builtin_theme_gives_every_role_its_pinned_style() {
    for (theme, _) in BUILTIN {
        let t = Theme::builtin(theme).unwrap_or_else(|| panic!("{theme} does not parse"));
        for role in Role::ALL {
            let want = PINNED
                .iter()
                .find(|(n, r, _)| n == theme && *r == role.name())
                .map(|(_, _, s)| *s)
                .unwrap_or_else(|| panic!("{theme} {role}: not pinned"));
            assert_eq!(describe(t.get(*role)), want, "{theme} {role}");
        }
    }
    assert_eq!(PINNED.len(), BUILTIN.len() * Role::COUNT);
}

const PINNED: &[(&str, &str, &str)] = &[
    ("dark", "text", ""),
    ("dark", "muted", "fg DarkGray"),
    ("dark", "border", "fg DarkGray"),
    ("dark", "border.focus", "fg Cyan, bold"),
    ("dark", "title", "fg White, bold"),
    ("dark", "header", "fg White, bg Indexed(236), bold"),
    ("dark", "selection", "bg Indexed(238), bold"),
    ("dark", "alert.red", "fg White, bg Indexed(160), bold"),
    ("dark", "alert.orange", "fg Black, bg Indexed(208), bold"),
    ("dark", "alert.yellow", "fg Black, bg Indexed(220), bold"),
    ("dark", "alert.blue", "fg White, bg Indexed(26), bold"),
    ("dark", "acknowledged", "fg Green"),
    ("dark", "fresh", "fg LightRed, bold"),
    ("dark", "ok", "fg Green"),
    ("dark", "stale", "fg Yellow, bold"),
    ("dark", "offline", "fg LightRed, bold"),
    ("dark", "overdue", "fg LightRed, bold"),
    ("dark", "demo", "fg Black, bg Magenta, bold"),
    ("dark", "flash", "fg Black, bg Yellow, bold"),
    ("dark", "key", "fg Cyan, bold"),
    ("dark", "match", "fg LightRed, bold, underlined"),
    ("light", "text", ""),
    ("light", "muted", "fg Indexed(242)"),
    ("light", "border", "fg Indexed(248)"),
    ("light", "border.focus", "fg Indexed(25), bold"),
    ("light", "title", "fg Indexed(16), bold"),
    ("light", "header", "fg Indexed(16), bg Indexed(254), bold"),
    ("light", "selection", "bg Indexed(252), bold"),
    (
        "light",
        "alert.red",
        "fg Indexed(231), bg Indexed(160), bold",
    ),
    (
        "light",
        "alert.orange",
        "fg Indexed(16), bg Indexed(208), bold",
    ),
    (
        "light",
        "alert.yellow",
        "fg Indexed(16), bg Indexed(220), bold",
    ),
    (
        "light",
        "alert.blue",
        "fg Indexed(231), bg Indexed(26), bold",
    ),
    ("light", "acknowledged", "fg Indexed(28)"),
    ("light", "fresh", "fg Indexed(160), bold"),
    ("light", "ok", "fg Indexed(28)"),
    ("light", "stale", "fg Indexed(130), bold"),
    ("light", "offline", "fg Indexed(160), bold"),
    ("light", "overdue", "fg Indexed(160), bold"),
    ("light", "demo", "fg Indexed(231), bg Indexed(90), bold"),
    ("light", "flash", "fg Indexed(16), bg Indexed(220), bold"),
    ("light", "key", "fg Indexed(25), bold"),
    ("light", "match", "fg Indexed(160), bold, underlined"),
    ("high-contrast", "text", "fg White"),
    ("high-contrast", "muted", "fg Gray"),
    ("high-contrast", "border", "fg White"),
    ("high-contrast", "border.focus", "fg Indexed(226), bold"),
    ("high-contrast", "title", "fg White, bold"),
    (
        "high-contrast",
        "header",
        "fg Indexed(16), bg Indexed(231), bold",
    ),
    ("high-contrast", "selection", "bold, reversed"),
    (
        "high-contrast",
        "alert.red",
        "fg Indexed(231), bg Indexed(196), bold",
    ),
    (
        "high-contrast",
        "alert.orange",
        "fg Indexed(16), bg Indexed(208), bold",
    ),
    (
        "high-contrast",
        "alert.yellow",
        "fg Indexed(16), bg Indexed(226), bold",
    ),
    (
        "high-contrast",
        "alert.blue",
        "fg Indexed(231), bg Indexed(21), bold",
    ),
    ("high-contrast", "acknowledged", "fg Indexed(46), bold"),
    ("high-contrast", "fresh", "fg Indexed(226), bold"),
    ("high-contrast", "ok", "fg Indexed(46), bold"),
    (
        "high-contrast",
        "stale",
        "fg Indexed(226), bold, underlined",
    ),
    (
        "high-contrast",
        "offline",
        "fg Indexed(196), bold, underlined",
    ),
    (
        "high-contrast",
        "overdue",
        "fg Indexed(196), bold, underlined",
    ),
    (
        "high-contrast",
        "demo",
        "fg Indexed(16), bg Indexed(201), bold",
    ),
    (
        "high-contrast",
        "flash",
        "fg Indexed(16), bg Indexed(226), bold",
    ),
    ("high-contrast", "key", "fg Indexed(51), bold"),
    (
        "high-contrast",
        "match",
        "fg Indexed(226), bold, underlined",
    ),
    ("night", "text", "fg Indexed(137)"),
    ("night", "muted", "fg Indexed(95)"),
    ("night", "border", "fg Indexed(52)"),
    ("night", "border.focus", "fg Indexed(130), bold"),
    ("night", "title", "fg Indexed(172), bold"),
    ("night", "header", "fg Indexed(137), bg Indexed(233)"),
    ("night", "selection", "fg Indexed(180), bg Indexed(236)"),
    (
        "night",
        "alert.red",
        "fg Indexed(180), bg Indexed(88), bold",
    ),
    (
        "night",
        "alert.orange",
        "fg Indexed(16), bg Indexed(130), bold",
    ),
    ("night", "alert.yellow", "fg Indexed(16), bg Indexed(136)"),
    ("night", "alert.blue", "fg Indexed(180), bg Indexed(60)"),
    ("night", "acknowledged", "fg Indexed(64)"),
    ("night", "fresh", "fg Indexed(166), bold"),
    ("night", "ok", "fg Indexed(64)"),
    ("night", "stale", "fg Indexed(136)"),
    ("night", "offline", "fg Indexed(160), bold"),
    ("night", "overdue", "fg Indexed(160), bold"),
    ("night", "demo", "fg Indexed(16), bg Indexed(95)"),
    ("night", "flash", "fg Indexed(16), bg Indexed(136), bold"),
    ("night", "key", "fg Indexed(172)"),
    ("night", "match", "fg Indexed(166), underlined"),
    ("ansi16", "text", ""),
    ("ansi16", "muted", "fg DarkGray"),
    ("ansi16", "border", "fg DarkGray"),
    ("ansi16", "border.focus", "fg LightCyan, bold"),
    ("ansi16", "title", "fg White, bold"),
    ("ansi16", "header", "fg White, bg Blue, bold"),
    ("ansi16", "selection", "fg Black, bg Gray"),
    ("ansi16", "alert.red", "fg White, bg Red, bold"),
    ("ansi16", "alert.orange", "fg Black, bg Yellow, bold"),
    ("ansi16", "alert.yellow", "fg LightYellow, bold, underlined"),
    ("ansi16", "alert.blue", "fg White, bg Blue, bold"),
    ("ansi16", "acknowledged", "fg Green"),
    ("ansi16", "fresh", "fg LightRed, bold"),
    ("ansi16", "ok", "fg Green"),
    ("ansi16", "stale", "fg Yellow, bold"),
    ("ansi16", "offline", "fg LightRed, bold"),
    ("ansi16", "overdue", "fg LightRed, bold"),
    ("ansi16", "demo", "fg Black, bg Magenta"),
    ("ansi16", "flash", "fg Black, bg LightYellow, bold"),
    ("ansi16", "key", "fg Cyan, bold"),
    ("ansi16", "match", "fg LightRed, bold, underlined"),
    ("no-color", "text", ""),
    ("no-color", "muted", "dim"),
    ("no-color", "border", ""),
    ("no-color", "border.focus", "bold"),
    ("no-color", "title", "bold"),
    ("no-color", "header", "bold"),
    ("no-color", "selection", "reversed"),
    ("no-color", "alert.red", "bold, underlined, reversed"),
    ("no-color", "alert.orange", "bold, underlined"),
    ("no-color", "alert.yellow", "bold"),
    ("no-color", "alert.blue", ""),
    ("no-color", "acknowledged", "italic"),
    ("no-color", "fresh", "bold"),
    ("no-color", "ok", ""),
    ("no-color", "stale", "bold"),
    ("no-color", "offline", "bold, underlined"),
    ("no-color", "overdue", "bold, underlined"),
    ("no-color", "demo", "reversed"),
    ("no-color", "flash", "bold, reversed"),
    ("no-color", "key", "bold"),
    ("no-color", "match", "underlined"),
];
