//! Incidents (open first, higher grade first) and the selected incident's timeline.

use super::cells::{self, Like, TableRow};
use super::format::{age, age_changes_at, countdown, next_second};
use super::pane_border;
use super::theme::Role;
use crate::app::filter::FilterTarget;
use crate::app::words;
use crate::app::{Lang, Pane, State};
use crate::model::text::{truncate, width};
use crate::model::{Grade, Incident, IncidentStatus, TimelineEntry};
use jiff::Timestamp;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::Span;
use ratatui::widgets::Paragraph;

pub fn grade_label(lang: Lang, g: Grade) -> &'static str {
    match g {
        Grade::IV => lang.t("incidents.grade_iv"),
        Grade::III => lang.t("incidents.grade_iii"),
        Grade::II => lang.t("incidents.grade_ii"),
        Grade::I => lang.t("incidents.grade_i"),
    }
}

/// The grade as a narrow pane shows it.
fn grade_short(lang: Lang, g: Grade) -> &'static str {
    match g {
        Grade::IV => lang.t("incidents.grade_short_iv"),
        Grade::III => lang.t("incidents.grade_short_iii"),
        Grade::II => lang.t("incidents.grade_short_ii"),
        Grade::I => lang.t("incidents.grade_short_i"),
    }
}

fn grade_style(state: &State, g: Grade) -> Style {
    let t = &state.theme();
    match g {
        Grade::I | Grade::II => t.get(Role::Overdue),
        Grade::III => t.get(Role::Stale),
        Grade::IV => t.get(Role::Text),
    }
}

pub fn draw_list(state: &State, frame: &mut Frame, area: Rect) {
    let lang = state.lang();
    let t = &state.theme();
    let shown = state.shown_incidents();
    let sorted = shown.items;
    let open = sorted
        .iter()
        .filter(|i| i.status == IncidentStatus::Open)
        .count();
    let name = lang.t("incidents.title");
    let title = super::filtered_title(
        state,
        name,
        FilterTarget::Incidents,
        format!("{name} · {open}/{}", sorted.len()),
    );
    let border = pane_border(state, Pane::Incidents, title);
    if sorted.is_empty() {
        let text = if shown.total > 0 {
            lang.t("incidents.none_match")
        } else {
            lang.t("incidents.none")
        };
        let inner = border.draw(frame.buffer_mut(), area);
        frame.render_widget(
            Paragraph::new(Span::styled(text, t.get(Role::Muted))),
            inner,
        );
        return;
    }
    // English grade words are long; a narrow pane shows the numeral alone.
    let wide = area.width >= 52;
    let label = |g: Grade| {
        if wide {
            grade_label(lang, g)
        } else {
            grade_short(lang, g)
        }
    };
    let label_w = sorted
        .iter()
        .map(|i| width(label(i.grade)))
        .max()
        .unwrap_or(1) as u16;
    // English report words are longer than the Chinese ones: a narrow pane keeps the
    // next report and its countdown, and drops the latest step.
    let progress_w = if lang == Lang::Zh {
        6
    } else if area.width >= 70 {
        12
    } else {
        0
    };
    let widths = [
        Constraint::Length(label_w),
        Constraint::Fill(1),
        Constraint::Length(progress_w),
        Constraint::Length(if lang == Lang::Zh { 17 } else { 20 }),
    ];
    let title_w = super::alerts::fill_width(area.width, &widths);
    let (selected, offset, shown) = rows_shown(state, &sorted, area);
    let inner = border.draw(frame.buffer_mut(), area);
    if inner.is_empty() {
        return;
    }
    let columns = cells::columns(inner, &widths, 1);
    let highlight = t.get(Role::Selection);
    let buf = frame.buffer_mut();
    for (n, i) in sorted[offset..offset + shown].iter().enumerate() {
        let closed = i.status == IncidentStatus::Closed;
        // A correction puts a record right; it is no step in handling the incident.
        let last = i.timeline.iter().rev().find(|e| e.corrects.is_none());
        let progress = last
            .map(|e| words::show(lang, &e.kind).into_owned())
            .unwrap_or_default();
        let changed = i.updated_at.unwrap_or(i.opened_at);
        // The next report owed, as a countdown; overdue ones count up in the overdue style.
        let due = state.next_report(i).map(|d| {
            let left = d.due.duration_since(state.now);
            let style = if d.overdue(state.now) {
                t.get(Role::Overdue)
            } else if left < jiff::SignedDuration::from_mins(10) {
                t.get(Role::Stale)
            } else {
                t.get(Role::Muted)
            };
            Span::styled(
                format!("{} {}", words::show(lang, &d.label), countdown(left)),
                style,
            )
        });
        let plain = Style::default();
        let row = TableRow {
            style: if closed { t.get(Role::Muted) } else { plain },
            selected: n + offset == selected,
            cells: vec![
                (
                    plain,
                    vec![Span::styled(
                        grade_label(lang, i.grade),
                        grade_style(state, i.grade),
                    )],
                ),
                (plain, vec![Span::raw(truncate(&i.title, title_w))]),
                (
                    plain,
                    vec![Span::raw(if closed {
                        lang.t("incidents.closed").to_owned()
                    } else {
                        progress
                    })],
                ),
                (
                    plain,
                    vec![due.unwrap_or_else(|| Span::raw(age(lang, state.now, changed)))],
                ),
            ],
        };
        let y = inner.y + n as u16;
        row.draw(
            buf,
            Rect {
                y,
                height: 1,
                ..inner
            },
            &columns,
            highlight,
        );
    }
}

/// The selected row, and the first row and number of rows the list shows (only the rows
/// that fit are built).
fn rows_shown(state: &State, sorted: &[&Incident], area: Rect) -> (usize, usize, usize) {
    let selected = state.incident_index(sorted);
    let (offset, shown) =
        super::alerts::window(sorted.len(), selected, area.height.saturating_sub(2));
    (selected, offset, shown)
}

/// When the list, as drawn now, next looks different if only the clock moves: a
/// countdown at the next second, else the first age on screen to change or the order to
/// change.
pub fn list_changes_at(state: &State, area: Rect) -> Option<Timestamp> {
    let sorted = state.shown_incidents().items;
    let (_, offset, shown) = rows_shown(state, &sorted, area);
    let mut at = state.incident_order_changes_at();
    for i in &sorted[offset..offset + shown] {
        if state.next_report(i).is_some() {
            return Some(next_second(state.now));
        }
        let next = age_changes_at(state.now, i.updated_at.unwrap_or(i.opened_at));
        at = Some(at.map_or(next, |t| t.min(next)));
    }
    at
}

/// When the timeline next looks different if only the clock moves: only when another
/// incident comes first, for it shows the first one when none is chosen.
pub fn timeline_changes_at(state: &State) -> Option<Timestamp> {
    state.incident_order_changes_at()
}

pub fn draw_timeline(state: &State, frame: &mut Frame, area: Rect) {
    let lang = state.lang();
    let t = &state.theme();
    let incident = state.selected_incident();
    let title = match incident {
        Some(i) => format!("{} · {}", lang.t("timeline.title"), i.title),
        None => lang.t("timeline.title").to_owned(),
    };
    let border = pane_border(state, Pane::Timeline, title);
    let Some(incident) = incident else {
        border.draw(frame.buffer_mut(), area);
        return;
    };
    let inner_h = area.height.saturating_sub(2) as usize;
    let entries = &incident.timeline;
    // Newest at the bottom, like a log; scrolling moves the window up.
    let end = entries
        .len()
        .saturating_sub(state.view.timeline_scroll.min(entries.len()));
    let start = end.saturating_sub(inner_h);
    let inner_w = usize::from(area.width.saturating_sub(2));
    let shown = &entries[start..end];
    let kind_w = shown
        .iter()
        .map(|e| width(&words::show(lang, &e.kind)))
        .max()
        .unwrap_or(0)
        .clamp(4, 14);
    let corrections = state.records.corrections(incident);
    let inner = border.draw(frame.buffer_mut(), area);
    let buf = frame.buffer_mut();
    for (n, e) in shown.iter().enumerate().take(usize::from(inner.height)) {
        let at = start + n;
        let mut used = 5 + 1 + kind_w + 1;
        let mut line = vec![
            Span::styled(state.local(e.at, "%H:%M"), t.get(Role::Muted)),
            Span::raw(" "),
            Span::styled(kind_cell(lang, &e.kind, kind_w), t.get(Role::Key)),
            Span::raw(" "),
        ];
        if e.corrects.is_some() {
            let target = corrections.target(at);
            let mut what = corrected_entry(state, entries, target, "%H:%M", true);
            // A narrow pane names it by its time alone, to keep some of the text.
            if inner_w.saturating_sub(used + width(&what) + 1) < 12 {
                what = corrected_entry(state, entries, target, "%H:%M", false);
            }
            used += width(&what) + 1;
            line.push(Span::styled(what, t.get(Role::Muted)));
            line.push(Span::raw(" "));
        }
        // The mark follows the text, which is cut to leave it room: it must not be lost.
        let mark = corrections
            .is_corrected(at)
            .then(|| lang.t("timeline.corrected"));
        let mark_w = mark.map_or(0, |m| width(m) + 1);
        let text = truncate(&e.text, inner_w.saturating_sub(used + mark_w));
        let spaced = !text.is_empty();
        line.push(Span::raw(text));
        if let Some(m) = mark {
            // With no room for the text, the mark takes its place.
            if spaced {
                line.push(Span::raw(" "));
            }
            line.push(Span::styled(m, t.get(Role::Stale)));
        }
        let y = inner.y + n as u16;
        cells::line(
            buf,
            Rect {
                y,
                height: 1,
                ..inner
            },
            &line,
            Like::Paragraph,
        );
    }
}

/// What a correction corrects, as its row says before its text: the entry's time (in
/// `fmt`) and, `with_kind`, its kind; or that it is not on this timeline.
pub fn corrected_entry(
    state: &State,
    timeline: &[TimelineEntry],
    target: Option<usize>,
    fmt: &str,
    with_kind: bool,
) -> String {
    let lang = state.lang();
    match target.and_then(|t| timeline.get(t)) {
        Some(e) if !with_kind => {
            lang.f("timeline.corrects_at", &[("time", &state.local(e.at, fmt))])
        }
        Some(e) => lang.f(
            "timeline.corrects",
            &[
                ("time", &state.local(e.at, fmt)),
                ("kind", &words::show(lang, &e.kind)),
            ],
        ),
        None => lang.t("timeline.corrects_gone").to_owned(),
    }
}

/// An entry as a choice names it: its time, kind and text.
pub fn entry_label(state: &State, e: &TimelineEntry) -> String {
    let kind = words::show(state.lang(), &e.kind);
    format!("{} {kind} {}", state.local(e.at, "%H:%M"), e.text)
}

/// A timeline kind padded to the column's width (`cells`), never cut.
fn kind_cell(lang: Lang, kind: &str, cells: usize) -> String {
    let k = words::show(lang, kind);
    format!("{k}{}", " ".repeat(cells.saturating_sub(width(&k))))
}
