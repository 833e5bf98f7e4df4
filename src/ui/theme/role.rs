//! The roles a theme styles: each one's name in theme files and the role it falls back to
//! when a theme leaves it out. The tree is drawn in docs/themes.md.

use crate::model::Colour;

/// Lists every role once; the enum, its names and its parents all come from this list, so
/// they cannot drift apart.
macro_rules! roles {
    ($($(#[doc = $doc:literal])* $role:ident = $name:literal $(<- $parent:ident)?;)*) => {
        /// A semantic role the views draw in; a theme gives each one a style.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Role {
            $($(#[doc = $doc])* $role,)*
        }

        impl Role {
            /// Every role, in the order of the list above (and of `Role as usize`).
            pub const ALL: &[Role] = &[$(Role::$role,)*];

            /// The role's key in a theme file's `[roles]` table.
            pub const fn name(self) -> &'static str {
                match self {
                    $(Role::$role => $name,)*
                }
            }

            /// The role a theme that leaves this one out gives its style to it; None for
            /// the root, `text`.
            pub const fn parent(self) -> Option<Role> {
                match self {
                    $(Role::$role => roles!(@parent $($parent)?),)*
                }
            }
        }
    };
    (@parent) => { None };
    (@parent $parent:ident) => { Some(Role::$parent) };
}

// A missing role takes the style of one that means the same or more: a left-out warning
// colour looks like the next graver one, never like plain text, and stale looks like
// offline. Only `text` has no parent.
roles! {
    /// The ground every pane is drawn on.
    Text = "text";
    /// Secondary text: ages, closed incidents, labels, cancelled alerts.
    Muted = "muted" <- Text;
    /// Pane frames.
    Border = "border" <- Muted;
    /// The focused pane's frame and overlays' frames.
    BorderFocus = "border.focus" <- Border;
    /// Pane titles, names in cards, section titles in help.
    Title = "title" <- Text;
    /// The title bar.
    Header = "header" <- Title;
    /// The selected row.
    Selection = "selection" <- Header;
    /// Red (Ⅰ) warning labels and counts.
    AlertRed = "alert.red" <- Overdue;
    /// Orange (Ⅱ) warning labels and counts.
    AlertOrange = "alert.orange" <- AlertRed;
    /// Yellow (Ⅲ) warning labels and counts.
    AlertYellow = "alert.yellow" <- AlertOrange;
    /// Blue (Ⅳ) warning labels and counts.
    AlertBlue = "alert.blue" <- AlertYellow;
    /// The ✓officer mark on an acknowledged alert.
    Acknowledged = "acknowledged" <- Ok;
    /// The 新 mark on new arrivals.
    Fresh = "fresh" <- Flash;
    /// A source that answers.
    Ok = "ok" <- Text;
    /// A source gone quiet; a report due within 10 minutes.
    Stale = "stale" <- Offline;
    /// A source that fails.
    Offline = "offline" <- Overdue;
    /// Overdue reports, grade Ⅰ/Ⅱ incidents, flagged form fields.
    Overdue = "overdue" <- Text;
    /// The DEMO, READ-ONLY, 演练 and 测试 marks.
    Demo = "demo" <- Flash;
    /// The flashed message in the summary line.
    Flash = "flash" <- Text;
    /// Key names in hints and help, phone numbers, timeline kinds.
    Key = "key" <- Title;
    /// Matched characters in the expert search.
    Match = "match" <- Key;
}

impl Role {
    /// The role a warning of colour `c` is labelled in.
    pub const fn alert(c: Colour) -> Role {
        match c {
            Colour::Red => Role::AlertRed,
            Colour::Orange => Role::AlertOrange,
            Colour::Yellow => Role::AlertYellow,
            Colour::Blue => Role::AlertBlue,
        }
    }

    pub const COUNT: usize = Role::ALL.len();

    /// The role a theme file names by `name`; None for a name that is not a role.
    pub fn from_name(name: &str) -> Option<Role> {
        Role::ALL.iter().copied().find(|r| r.name() == name)
    }

    /// The role itself, then its parent, up to `text`.
    pub fn lineage(self) -> impl Iterator<Item = Role> {
        std::iter::successors(Some(self), |r| r.parent())
    }
}

/// A role shows as its name in theme files, so messages name it the way the user writes it.
impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_falls_back_to_text_without_a_loop() {
        for &role in Role::ALL {
            let chain: Vec<Role> = role.lineage().take(Role::COUNT + 1).collect();
            assert!(chain.len() <= Role::COUNT, "{role}: the parents loop");
            assert_eq!(chain.last(), Some(&Role::Text), "{role}");
        }
        assert_eq!(Role::Text.parent(), None);
    }

    #[test]
    fn every_role_is_named_once_and_found_by_its_name() {
        for (i, &role) in Role::ALL.iter().enumerate() {
            assert_eq!(role as usize, i, "{role}: ALL is out of order");
            assert_eq!(Role::from_name(role.name()), Some(role));
        }
        let mut names: Vec<&str> = Role::ALL.iter().map(|r| r.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Role::COUNT, "two roles share a name");
        assert_eq!(Role::from_name("alert.purple"), None);
        assert_eq!(Role::from_name("Text"), None);
    }

    #[test]
    fn the_tree_in_the_docs_is_the_tree_of_parents() {
        let doc = include_str!("../../../docs/themes.md");
        let tree = doc
            .split("Each role's parent")
            .nth(1)
            .and_then(|rest| rest.split("```text\n").nth(1))
            .and_then(|rest| rest.split("```").next())
            .expect("docs/themes.md draws the tree in a text block after \"Each role's parent\"");
        // The tree's lines indent by four columns a level; the path down to the line read.
        let mut path: Vec<Role> = Vec::new();
        let mut seen = Vec::new();
        for line in tree.lines() {
            let name = line.trim_start_matches(['│', '├', '└', '─', ' ']);
            let depth = (line.chars().count() - name.chars().count()) / 4;
            let role = Role::from_name(name).unwrap_or_else(|| panic!("docs: no role {name:?}"));
            path.truncate(depth);
            assert_eq!(role.parent(), path.last().copied(), "docs: {role}'s parent");
            path.push(role);
            seen.push(role);
        }
        seen.sort();
        assert_eq!(seen, Role::ALL, "docs: the tree must show every role once");
    }
}
