//! The expert lookup: search box, domain → group tree with counts, ranked list with the
//! matched characters highlighted, and a card for the selected expert.

use super::theme::Role;
use crate::app::State;
use crate::app::experts::{ExpertFocus, ExpertView, TreeRow, first_phone, row_count, tree_rows};
use crate::experts::Hit;
use crate::model::text::{pad, sanitize, truncate, width};
use crate::model::{Expert, GroupRole};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Paragraph, Wrap};

fn block<'a>(state: &State, title: String, focused: bool) -> Block<'a> {
    let t = &state.theme();
    Block::bordered()
        .border_type(if focused {
            BorderType::Thick
        } else {
            BorderType::Plain
        })
        .border_style(if focused {
            t.get(Role::BorderFocus)
        } else {
            t.get(Role::Border)
        })
        .title(Span::styled(format!(" {title} "), t.get(Role::Title)))
}

/// `text` split into spans with the byte ranges highlighted.
fn highlighted(
    text: &str,
    ranges: &[std::ops::Range<usize>],
    base: Style,
    hi: Style,
) -> Vec<Span<'static>> {
    let mut spans = Vec::new();
    let mut at = 0;
    for r in ranges {
        if r.start < at
            || r.end > text.len()
            || !text.is_char_boundary(r.start)
            || !text.is_char_boundary(r.end)
        {
            continue;
        }
        if r.start > at {
            spans.push(Span::styled(sanitize(&text[at..r.start]), base));
        }
        spans.push(Span::styled(sanitize(&text[r.clone()]), hi));
        at = r.end;
    }
    if at < text.len() {
        spans.push(Span::styled(sanitize(&text[at..]), base));
    }
    spans
}

fn role(state: &State, r: GroupRole) -> &'static str {
    match r {
        GroupRole::Leader => state.lang().t("experts.leader"),
        GroupRole::Deputy => state.lang().t("experts.deputy"),
        GroupRole::Member => state.lang().t("experts.member"),
    }
}

/// Returns where the text cursor goes.
pub fn draw(state: &State, frame: &mut Frame, area: Rect, view: &ExpertView) -> Option<Position> {
    super::clear(state, frame, area);
    let t = &state.theme();
    let l = state.lang();
    let [top, body] = Layout::vertical([Constraint::Length(3), Constraint::Min(3)]).areas(area);
    let Some(pool) = &state.records.expert_pool else {
        frame.render_widget(
            Paragraph::new(Span::styled(l.t("experts.not_arrived"), t.get(Role::Muted)))
                .block(block(state, l.t("experts.title").to_owned(), true)),
            area,
        );
        return None;
    };
    let dir = &pool.directory;

    // Search box.
    let mut title = l.f(
        "experts.search_title",
        &[("people", &dir.items.len()), ("matching", &view.hits.len())],
    );
    if view.available_only {
        title.push_str(" · ");
        title.push_str(l.t("experts.available_only"));
    }
    let prompt = l.t("experts.prompt");
    let q = view.query.text();
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(prompt, t.get(Role::Muted)),
            Span::raw(q.to_owned()),
        ]))
        .block(block(state, title, view.focus == ExpertFocus::Query)),
        top,
    );
    let cursor = (view.focus == ExpertFocus::Query).then(|| Position {
        x: top.x
            + 1
            + (width(prompt) + view.query.cursor_cells()).min(top.width as usize - 2) as u16,
        y: top.y + 1,
    });
    if let Some(p) = cursor {
        frame.set_cursor_position(p);
    }

    let card_w = if body.width >= 110 { 40 } else { 0 };
    let tree_w = if body.width >= 90 { 30 } else { 0 };
    let [tree_area, list_area, card_area] = Layout::horizontal([
        Constraint::Length(tree_w),
        Constraint::Min(20),
        Constraint::Length(card_w),
    ])
    .areas(body);

    // Tree.
    if tree_w > 0 {
        let rows = tree_rows(dir);
        let inner_h = tree_area.height.saturating_sub(2) as usize;
        let start = view.tree.saturating_sub(inner_h.saturating_sub(1));
        let lines: Vec<Line> = rows
            .iter()
            .enumerate()
            .skip(start)
            .take(inner_h)
            .map(|(i, r)| {
                let (label, indent) = match r {
                    TreeRow::All => (l.t("experts.all").to_owned(), ""),
                    TreeRow::Domain(d) if d.trim().is_empty() => {
                        (l.t("experts.no_domain").to_owned(), "")
                    }
                    TreeRow::Domain(d) => (sanitize(d), ""),
                    TreeRow::Group { name, .. } => (sanitize(name), "  "),
                };
                let count = row_count(dir, r).to_string();
                let room = (tree_w as usize).saturating_sub(4 + indent.len() + count.len());
                let text = format!("{indent}{} {count}", pad(&label, room));
                let style = if i == view.tree {
                    t.get(Role::Selection)
                } else if matches!(r, TreeRow::Group { .. }) {
                    t.get(Role::Text)
                } else {
                    t.get(Role::Title)
                };
                Line::from(Span::styled(text, style))
            })
            .collect();
        frame.render_widget(
            Paragraph::new(lines).block(block(
                state,
                l.t("experts.tree_title").to_owned(),
                view.focus == ExpertFocus::Tree,
            )),
            tree_area,
        );
    }

    // List.
    let inner_h = list_area.height.saturating_sub(2) as usize;
    let start = view.selected.saturating_sub(inner_h.saturating_sub(1));
    let hi = t.get(Role::Match);
    let lines: Vec<Line> = view
        .hits
        .iter()
        .enumerate()
        .skip(start)
        .take(inner_h)
        .filter_map(|(i, h)| pool.expert(h).map(|e| (i, h, e)))
        .map(|(i, h, e)| list_line(state, i == view.selected, h, e, hi, list_area.width))
        .collect();
    let list_title = l.t("experts.list_title").to_owned();
    let body_text = if lines.is_empty() {
        vec![Line::from(Span::styled(
            l.t("experts.nobody_matches"),
            t.get(Role::Muted),
        ))]
    } else {
        lines
    };
    frame.render_widget(
        Paragraph::new(body_text).block(block(state, list_title, view.focus == ExpertFocus::List)),
        list_area,
    );

    // Card.
    if card_w > 0
        && let Some(e) = view.hits.get(view.selected).and_then(|h| pool.expert(h))
    {
        frame.render_widget(
            Paragraph::new(card(state, e))
                .wrap(Wrap { trim: false })
                .block(block(state, l.t("experts.card_title").to_owned(), false)),
            card_area,
        );
    }
    cursor
}

fn list_line(
    state: &State,
    selected: bool,
    h: &Hit,
    e: &Expert,
    hi: Style,
    w: u16,
) -> Line<'static> {
    let t = &state.theme();
    let base = if selected {
        t.get(Role::Selection)
    } else {
        t.get(Role::Text)
    };
    let name_w: usize = 8;
    let mut spans = vec![Span::styled(
        if selected { "▌" } else { " " },
        t.get(Role::Key),
    )];
    let name_spans = highlighted(&e.name, &h.name_ranges(e), base, hi.patch(base));
    let name_cells: usize = name_spans.iter().map(|s| width(&s.content)).sum();
    spans.extend(name_spans);
    spans.push(Span::styled(
        " ".repeat(name_w.saturating_sub(name_cells) + 1),
        base,
    ));
    let role_style = match e.role {
        GroupRole::Leader | GroupRole::Deputy => t.get(Role::Key),
        GroupRole::Member => t.get(Role::Muted),
    };
    spans.push(Span::styled(
        pad(role(state, e.role), 7),
        role_style.patch(base),
    ));
    let phone = first_phone(e).unwrap_or("—");
    spans.push(Span::styled(
        pad(&sanitize(phone), 15),
        t.get(Role::Key).patch(base),
    ));
    let avail = if e.available {
        Span::styled(
            state.lang().t("experts.available_cell"),
            t.get(Role::Ok).patch(base),
        )
    } else {
        Span::styled(
            state.lang().t("experts.away_cell"),
            t.get(Role::Offline).patch(base),
        )
    };
    spans.push(avail);
    let used: usize = spans.iter().map(|s| width(&s.content)).sum();
    let room = (w as usize).saturating_sub(used + 3);
    // Specialties first: they are what the officer is matching the emergency against.
    let rest = format!(
        " {} · {}",
        sanitize(&e.specialties.join("、")),
        sanitize(&e.group)
    );
    spans.push(Span::styled(
        truncate(&rest, room),
        t.get(Role::Muted).patch(base),
    ));
    Line::from(spans)
}

fn card(state: &State, e: &Expert) -> Vec<Line<'static>> {
    let t = &state.theme();
    let l = state.lang();
    let field = |label: &str, v: String| {
        Line::from(vec![
            Span::styled(
                l.f("experts.field", &[("label", &label)]),
                t.get(Role::Muted),
            ),
            Span::raw(v),
        ])
    };
    let mut v = vec![
        Line::from(vec![
            Span::styled(sanitize(&e.name), t.get(Role::Title)),
            Span::raw("  "),
            Span::styled(role(state, e.role), t.get(Role::Key)),
        ]),
        Line::raw(""),
        field(l.t("experts.domain"), sanitize(&e.domain)),
        field(l.t("experts.group"), sanitize(&e.group)),
        field(l.t("experts.job_title"), sanitize(&e.title)),
        field(l.t("experts.organisation"), sanitize(&e.organisation)),
        field(l.t("experts.district"), sanitize(&e.district)),
        field(
            l.t("experts.specialties"),
            sanitize(&e.specialties.join(l.t("experts.list_separator"))),
        ),
        Line::raw(""),
    ];
    for p in &e.phones {
        v.push(Line::from(vec![
            Span::styled(
                l.f("experts.field", &[("label", &l.t("experts.phone"))]),
                t.get(Role::Muted),
            ),
            Span::styled(sanitize(p), t.get(Role::Key)),
        ]));
    }
    v.push(if e.available {
        Line::from(Span::styled(l.t("experts.available"), t.get(Role::Ok)))
    } else {
        Line::from(Span::styled(
            l.t("experts.not_available"),
            t.get(Role::Offline),
        ))
    });
    v
}
