//! The expert lookup view: a domain → group tree, search as you type, a ranked list and
//! a card. The search itself is `experts::ExpertIndex`; this holds what the officer has
//! typed and selected.

use super::action::Action;
use super::flash::flash;
use super::line_edit::LineEdit;
use super::msg::Effect;
use super::state::{Overlay, State};
use crate::experts::{ExpertIndex, Filters, Hit};
use crate::model::{Expert, ExpertDirectory};
use crossterm::event::KeyEvent;
use std::sync::Arc;

/// The directory and its index, shared (the index is built once per directory).
#[derive(Clone)]
pub struct ExpertPool {
    pub directory: Arc<ExpertDirectory>,
    pub index: Arc<ExpertIndex>,
}

impl std::fmt::Debug for ExpertPool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ExpertPool({} experts)", self.directory.items.len())
    }
}

impl ExpertPool {
    pub fn new(directory: ExpertDirectory) -> ExpertPool {
        let index = ExpertIndex::new(&directory.items);
        ExpertPool {
            directory: Arc::new(directory),
            index: Arc::new(index),
        }
    }

    pub fn expert(&self, hit: &Hit) -> Option<&Expert> {
        self.directory.items.get(hit.index)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExpertFocus {
    Query,
    List,
    Tree,
}

/// One row of the domain → group tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TreeRow {
    All,
    Domain(String),
    Group { domain: String, name: String },
}

#[derive(Debug, Clone, PartialEq)]
pub struct ExpertView {
    pub query: LineEdit,
    pub focus: ExpertFocus,
    pub tree: usize,
    pub available_only: bool,
    pub selected: usize,
    /// The ranking for the current query and filters.
    pub hits: Vec<Hit>,
}

impl ExpertView {
    pub fn new() -> ExpertView {
        ExpertView {
            query: LineEdit::default(),
            focus: ExpertFocus::Query,
            tree: 0,
            available_only: false,
            selected: 0,
            hits: Vec::new(),
        }
    }
}

impl Default for ExpertView {
    fn default() -> Self {
        ExpertView::new()
    }
}

/// The tree rows: everyone, then each domain followed by its groups, in directory order.
pub fn tree_rows(dir: &ExpertDirectory) -> Vec<TreeRow> {
    let mut rows = vec![TreeRow::All];
    let mut domains: Vec<String> = dir.domains.iter().map(|d| d.name.clone()).collect();
    for e in &dir.items {
        if !domains.contains(&e.domain) {
            domains.push(e.domain.clone());
        }
    }
    for d in domains {
        rows.push(TreeRow::Domain(d.clone()));
        let mut groups: Vec<String> = dir
            .groups
            .iter()
            .filter(|g| g.domain == d)
            .map(|g| g.name.clone())
            .collect();
        for e in dir.items.iter().filter(|e| e.domain == d) {
            if !groups.contains(&e.group) {
                groups.push(e.group.clone());
            }
        }
        rows.extend(groups.into_iter().map(|name| TreeRow::Group {
            domain: d.clone(),
            name,
        }));
    }
    rows
}

pub fn row_count(dir: &ExpertDirectory, row: &TreeRow) -> usize {
    match row {
        TreeRow::All => dir.items.len(),
        TreeRow::Domain(d) => dir.items.iter().filter(|e| &e.domain == d).count(),
        TreeRow::Group { domain, name } => dir
            .items
            .iter()
            .filter(|e| &e.domain == domain && &e.group == name)
            .count(),
    }
}

/// Run the search for what is typed and chosen; keep the selection on the same expert.
pub fn refresh(view: &mut ExpertView, pool: &ExpertPool) {
    let before = view.hits.get(view.selected).map(|h| h.index);
    let rows = tree_rows(&pool.directory);
    let mut filters = Filters {
        available_only: view.available_only,
        ..Filters::default()
    };
    match rows.get(view.tree) {
        Some(TreeRow::Domain(d)) => filters.domain = Some(d.clone()),
        Some(TreeRow::Group { domain, name }) => {
            filters.domain = Some(domain.clone());
            filters.group = Some(name.clone());
        }
        _ => {}
    }
    view.hits = pool.index.search(view.query.text(), &filters);
    view.selected = before
        .and_then(|b| view.hits.iter().position(|h| h.index == b))
        .filter(|_| view.query.is_blank())
        .unwrap_or(0);
}

/// The phone to dial first: the first listed.
pub fn first_phone(e: &Expert) -> Option<&str> {
    e.phones
        .iter()
        .map(String::as_str)
        .find(|p| !p.trim().is_empty())
}

/// OSC 52 "set clipboard": works in most terminals, and over SSH, because the terminal
/// on the officer's desk does the copying.
pub fn osc52(text: &str) -> String {
    format!("\u{1b}]52;c;{}\u{7}", base64(text.as_bytes()))
}

fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ABC[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

pub fn open(state: &mut State) {
    let mut view = ExpertView::new();
    if let Some(pool) = &state.records.expert_pool {
        refresh(&mut view, pool);
    }
    state.view.overlay = Overlay::Experts(view);
}

/// The directory arrived: index it, refresh an open view, and keep a copy offline.
pub fn on_directory(state: &mut State, dir: ExpertDirectory) -> Vec<Effect> {
    let pool = ExpertPool::new(dir);
    if let Overlay::Experts(view) = &mut state.view.overlay {
        refresh(view, &pool);
    }
    let keep = Arc::clone(&pool.directory);
    state.records.expert_pool = Some(pool);
    // The demo's fictional pool must not replace a real offline copy.
    if state.session.demo {
        return Vec::new();
    }
    vec![Effect::SaveExperts(keep)]
}

fn rows_len(state: &State) -> usize {
    state
        .records
        .expert_pool
        .as_ref()
        .map_or(1, |p| tree_rows(&p.directory).len())
}

pub fn apply(state: &mut State, action: Action) -> Vec<Effect> {
    let rows = rows_len(state);
    let Overlay::Experts(view) = &mut state.view.overlay else {
        return Vec::new();
    };
    let mut requery = false;
    match action {
        Action::Quit => return vec![Effect::Quit],
        Action::CloseView => state.view.overlay = Overlay::None,
        Action::Close => {
            if view.focus != ExpertFocus::Query {
                view.focus = ExpertFocus::Query;
            } else if view.query.is_blank() {
                state.view.overlay = Overlay::None;
            } else {
                view.query = LineEdit::default();
                requery = true;
            }
        }
        Action::Search => view.focus = ExpertFocus::Query,
        Action::FocusNext | Action::Open => {
            view.focus = match view.focus {
                ExpertFocus::Query => ExpertFocus::List,
                ExpertFocus::List if action == Action::FocusNext => ExpertFocus::Tree,
                ExpertFocus::List => ExpertFocus::List,
                ExpertFocus::Tree => ExpertFocus::Query,
            }
        }
        Action::ToggleAvailable => {
            view.available_only = !view.available_only;
            requery = true;
        }
        Action::Up
        | Action::Down
        | Action::PageUp
        | Action::PageDown
        | Action::Top
        | Action::Bottom => {
            let by: isize = match action {
                Action::Up => -1,
                Action::Down => 1,
                Action::PageUp => -10,
                Action::PageDown => 10,
                Action::Top => isize::MIN / 2,
                _ => isize::MAX / 2,
            };
            if view.focus == ExpertFocus::Tree {
                view.tree = clamp_step(view.tree, by, rows);
                requery = true;
            } else {
                view.selected = clamp_step(view.selected, by, view.hits.len());
            }
        }
        Action::Copy => return copy(state),
        _ => {}
    }
    if requery {
        requery_open(state);
    }
    Vec::new()
}

fn clamp_step(from: usize, by: isize, len: usize) -> usize {
    if len == 0 {
        return 0;
    }
    (from as isize)
        .saturating_add(by)
        .clamp(0, len as isize - 1) as usize
}

fn requery_open(state: &mut State) {
    if let (Overlay::Experts(view), Some(pool)) =
        (&mut state.view.overlay, &state.records.expert_pool)
    {
        refresh(view, pool);
    }
}

/// Typing in the search box.
pub fn edit(state: &mut State, key: KeyEvent) -> bool {
    let Overlay::Experts(view) = &mut state.view.overlay else {
        return false;
    };
    if view.focus != ExpertFocus::Query {
        return false;
    }
    if !view.query.handle_key(key) {
        return false;
    }
    requery_open(state);
    true
}

fn copy(state: &mut State) -> Vec<Effect> {
    let (Overlay::Experts(view), Some(pool)) = (&state.view.overlay, &state.records.expert_pool)
    else {
        return Vec::new();
    };
    let Some(expert) = view.hits.get(view.selected).and_then(|h| pool.expert(h)) else {
        return Vec::new();
    };
    let Some(phone) = first_phone(expert).map(str::to_owned) else {
        let text = state
            .lang()
            .f("experts.no_phone", &[("name", &expert.name)]);
        flash(state, text);
        return Vec::new();
    };
    let text = state.lang().f(
        "experts.copied",
        &[("name", &expert.name), ("phone", &phone)],
    );
    flash(state, text);
    vec![Effect::Copy(phone)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_rfc_examples() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
        assert_eq!(
            osc52("100-0000-0123"),
            "\u{1b}]52;c;MTAwLTAwMDAtMDEyMw==\u{7}"
        );
    }
}
