//! The expert lookup: search box, domain → group tree with counts, ranked list with the
//! matched characters highlighted, and a card for the selected expert.

use super::theme::Role;
use crate::app::State;
use crate::app::experts_view::{
    ExpertFocus, ExpertView, TreeRow, first_phone, row_count, tree_rows,
};
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
        GroupRole::Leader => state.lang().pick("组长", "Leader"),
        GroupRole::Deputy => state.lang().pick("副组长", "Deputy"),
        GroupRole::Member => state.lang().pick("成员", "Member"),
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
            Paragraph::new(Span::styled(
                l.pick(
                    "专家库尚未从后台收到",
                    "The expert pool has not arrived from the backend yet",
                ),
                t.get(Role::Muted),
            ))
            .block(block(state, l.pick("专家库", "Experts").to_owned(), true)),
            area,
        );
        return None;
    };
    let dir = &pool.directory;

    // Search box.
    let mut title = format!(
        "{} · {} {} · {} {}",
        l.pick("专家库", "Experts"),
        dir.items.len(),
        l.pick("人", "people"),
        l.pick("匹配", "matching"),
        view.hits.len()
    );
    if view.available_only {
        title.push_str(l.pick(" · 只看可联系", " · available only"));
    }
    let prompt = l.pick(
        "姓名 / 拼音 / 首字母 / 专业：",
        "Name / pinyin / initials / specialty: ",
    );
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
                    TreeRow::All => (l.pick("全部", "All").to_owned(), ""),
                    TreeRow::Domain(d) if d.trim().is_empty() => {
                        (l.pick("（未填领域）", "(no domain)").to_owned(), "")
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
                l.pick("领域 · 专业组", "Domains · groups").to_owned(),
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
    let list_title = l
        .pick("专家 · 组长优先", "Experts · leaders first")
        .to_owned();
    let body_text = if lines.is_empty() {
        vec![Line::from(Span::styled(
            l.pick("无匹配", "Nobody matches"),
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
                .block(block(state, l.pick("详情", "Card").to_owned(), false)),
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
            state.lang().pick("可联系  ", "avail. "),
            t.get(Role::Ok).patch(base),
        )
    } else {
        Span::styled(
            state.lang().pick("不可联系", "away   "),
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
    let colon = l.pick("：", ": ");
    let field = |zh: &str, en: &str, v: String| {
        Line::from(vec![
            Span::styled(format!("{}{colon}", l.pick(zh, en)), t.get(Role::Muted)),
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
        field("领域", "Domain", sanitize(&e.domain)),
        field("专业组", "Group", sanitize(&e.group)),
        field("职称", "Title", sanitize(&e.title)),
        field("单位", "Organisation", sanitize(&e.organisation)),
        field("区", "District", sanitize(&e.district)),
        field(
            "专业",
            "Specialties",
            sanitize(&e.specialties.join(l.pick("、", ", "))),
        ),
        Line::raw(""),
    ];
    for p in &e.phones {
        v.push(Line::from(vec![
            Span::styled(
                format!("{}{colon}", l.pick("电话", "Phone")),
                t.get(Role::Muted),
            ),
            Span::styled(sanitize(p), t.get(Role::Key)),
        ]));
    }
    v.push(if e.available {
        Line::from(Span::styled(
            l.pick("● 可联系", "● Available"),
            t.get(Role::Ok),
        ))
    } else {
        Line::from(Span::styled(
            l.pick("○ 暂不可联系", "○ Not available"),
            t.get(Role::Offline),
        ))
    });
    v
}
