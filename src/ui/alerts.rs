//! The alert wall: warnings in force, most severe and newest first.

use super::cells::{self, TableRow};
use super::format::{age, age_changes_at};
use super::pane_border;
use super::theme::Role;
use crate::app::filter::FilterTarget;
use crate::app::state::ShownAlerts;
use crate::app::{AlertKey, Lang, Pane, State};
use crate::model::text::truncate;
use crate::model::{Alert, Colour, Level};
use jiff::Timestamp;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::Span;
use ratatui::widgets::Paragraph;

/// The colour-and-level label: never colour alone, so it reads in monochrome too.
pub fn level_label(lang: Lang, a: &Alert) -> String {
    label(lang, a.colour, a.level)
}

fn label(lang: Lang, c: Colour, l: Level) -> String {
    let colour = match c {
        Colour::Blue => lang.t("alerts.label_blue"),
        Colour::Yellow => lang.t("alerts.label_yellow"),
        Colour::Orange => lang.t("alerts.label_orange"),
        Colour::Red => lang.t("alerts.label_red"),
    };
    lang.f(
        "alerts.label",
        &[("colour", &colour), ("level", &l.numeral())],
    )
}

pub fn draw(state: &State, frame: &mut Frame, area: Rect) {
    let lang = state.lang();
    let t = &state.theme();
    let shown = state.shown_alerts();
    let name = lang.t("alerts.title");
    let title = super::filtered_title(
        state,
        name,
        FilterTarget::Alerts,
        format!("{name} · {}", shown.total),
    );
    let total = shown.total;
    let visible = shown;
    let border = pane_border(state, Pane::Alerts, title);
    if visible.is_empty() {
        let text = if total > 0 {
            lang.t("alerts.none_match").to_owned()
        } else if state.records.sources.is_empty() {
            lang.t("alerts.connecting").to_owned()
        } else {
            match state.known() {
                None => lang.t("alerts.no_data").to_owned(),
                Some(Some(at)) => lang.f(
                    "alerts.none_as_of",
                    &[("at", &state.local(at, "%m-%d %H:%M"))],
                ),
                Some(None) => lang.t("alerts.none").to_owned(),
            }
        };
        let inner = border.draw(frame.buffer_mut(), area);
        frame.render_widget(
            Paragraph::new(Span::styled(text, t.get(Role::Muted))),
            inner,
        );
        return;
    }
    // Narrow panes drop the source, then the signal column: the title says most.
    let inner_w = area.width.saturating_sub(3);
    let show_source = inner_w >= 90;
    let show_signal = inner_w >= 56;
    let area_w: usize = if inner_w >= 56 { 14 } else { 8 };
    let label_w = label_width(lang);
    let mut widths = vec![Constraint::Length(label_w)];
    if show_signal {
        widths.push(Constraint::Length(8));
    }
    widths.push(Constraint::Fill(1));
    widths.push(Constraint::Length(area_w as u16));
    if show_source {
        widths.push(Constraint::Length(14));
    }
    widths.push(Constraint::Length(6));
    let title_w = fill_width(area.width, &widths);
    let (selected, offset, shown) = rows_shown(state, &visible, area);
    let inner = border.draw(frame.buffer_mut(), area);
    if inner.is_empty() {
        return;
    }
    let columns = cells::columns(inner, &widths, 1);
    let buf = frame.buffer_mut();
    for (n, a) in visible.range(offset, offset + shown).enumerate() {
        let row = TableRow {
            style: Style::default(),
            selected: n + offset == selected,
            cells: row_cells(
                state,
                a,
                n + offset == selected,
                title_w,
                (show_signal, show_source, area_w),
            ),
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
            Style::default(),
        );
    }
}

/// The cells of an alert's row: its label, then (as the pane's width allows) signal,
/// title with its marks, area, source and age.
fn row_cells<'a>(
    state: &State,
    a: &'a Alert,
    is_selected: bool,
    title_w: usize,
    (show_signal, show_source, area_w): (bool, bool, usize),
) -> Vec<(Style, Vec<Span<'a>>)> {
    let lang = state.lang();
    let t = &state.theme();
    // The selection style must not paint over the colour label, so it is applied to the
    // other cells only.
    let sel = if is_selected {
        t.get(Role::Selection)
    } else {
        Style::default()
    };
    // Mostly none are marked: no key is made for the row then.
    let fresh = !state.said.arrived.is_empty() && state.said.arrived.contains_key(&AlertKey::of(a));
    let mut title_spans = Vec::new();
    if fresh {
        title_spans.push(Span::styled(lang.t("alerts.new"), t.get(Role::Fresh)));
    }
    // The acknowledged mark leads the title so a long title cannot push it off.
    if let Some(ack) = &a.ack {
        title_spans.push(Span::styled(
            format!("✓{} ", ack.officer),
            t.get(Role::Acknowledged),
        ));
    }
    let silenced = crate::app::silences::silenced(a, state.now);
    if let Some(s) = a.silence.as_ref().filter(|_| silenced) {
        title_spans.push(Span::styled(
            lang.f(
                "alerts.silenced_to",
                &[("until", &state.local(s.until, "%H:%M"))],
            ),
            t.get(Role::Muted),
        ));
    }
    if a.extra.cancelled_by.is_some() {
        title_spans.push(Span::styled(lang.t("alerts.cancelled"), t.get(Role::Muted)));
    }
    // Exercises and tests must never be mistaken for the real thing.
    let status = a.status.as_str();
    if status.eq_ignore_ascii_case("exercise") {
        title_spans.push(Span::styled(lang.t("alerts.exercise"), t.get(Role::Demo)));
    } else if status.eq_ignore_ascii_case("test") {
        title_spans.push(Span::styled(lang.t("alerts.test"), t.get(Role::Demo)));
    } else if !status.is_empty() && !status.eq_ignore_ascii_case("actual") {
        title_spans.push(Span::styled(
            format!("[{}] ", status.to_ascii_lowercase().to_uppercase()),
            t.get(Role::Demo),
        ));
    }
    let used: usize = title_spans.iter().map(|s| s.width()).sum();
    title_spans.push(Span::raw(truncate(a.title(), title_w.saturating_sub(used))));
    // Unacknowledged red/orange labels blink once a second until someone acknowledges
    // (a silence holds it off; the alert keeps its place): reverse video flips, so a
    // theme whose label is already reversed blinks too.
    let mut label_style = t.alert(a.colour);
    if blinks(a, state.now) && blink_phase(state.now) {
        label_style = if label_style.add_modifier.contains(Modifier::REVERSED) {
            label_style.remove_modifier(Modifier::REVERSED)
        } else {
            label_style.add_modifier(Modifier::REVERSED)
        };
    }
    let mut cells = vec![(
        Style::default(),
        vec![Span::styled(
            format!(" {} ", level_label(lang, a)),
            label_style,
        )],
    )];
    if show_signal {
        cells.push((sel, vec![Span::raw(truncate(&a.signal_type, 8))]));
    }
    cells.push((sel, title_spans));
    cells.push((sel, vec![Span::raw(truncate(&a.area, area_w))]));
    if show_source {
        cells.push((
            sel,
            vec![Span::styled(truncate(&a.source, 14), t.get(Role::Muted))],
        ));
    }
    cells.push((sel, vec![Span::raw(age(lang, state.now, a.sent))]));
    cells
}

/// The selected row, and the first row and number of rows the pane shows: only the rows
/// that fit are built, so a wall of 100,000 alerts costs one screenful.
fn rows_shown(state: &State, visible: &ShownAlerts, area: Rect) -> (usize, usize, usize) {
    let selected = state.selected_row(visible);
    let (offset, shown) = window(visible.len(), selected, area.height.saturating_sub(2));
    (selected, offset, shown)
}

/// The label blinks: an unacknowledged red or orange alert, not silenced.
fn blinks(a: &Alert, now: Timestamp) -> bool {
    a.needs_ack() && !crate::app::silences::silenced(a, now)
}

/// In this second the blinking labels show flipped (reverse video changed).
pub fn blink_phase(now: Timestamp) -> bool {
    now.as_second() % 2 == 0
}

/// When the pane, as drawn now, next looks different if only the clock moves, besides
/// its blinking labels (`blinking`): the first age or silence on screen to change.
pub fn changes_at(state: &State, area: Rect) -> Option<Timestamp> {
    let visible = state.shown_alerts();
    let (_, offset, shown) = rows_shown(state, &visible, area);
    let now = state.now;
    visible
        .range(offset, offset + shown)
        .flat_map(|a| {
            let silence = crate::app::silences::silenced_changes_at(a, now);
            silence.into_iter().chain([age_changes_at(now, a.sent)])
        })
        .min()
}

/// The cells of the blinking labels of the pane as drawn now: each second they differ from
/// the second before only in reverse video. (The table puts its one-cell selection column
/// after the border, then the label column.)
pub fn blinking(state: &State, area: Rect) -> Vec<Rect> {
    let visible = state.shown_alerts();
    if visible.is_empty() {
        return Vec::new();
    }
    let (_, offset, shown) = rows_shown(state, &visible, area);
    let label_w = label_width(state.lang());
    visible
        .range(offset, offset + shown)
        .enumerate()
        .filter(|(_, a)| blinks(a, state.now))
        .map(|(n, a)| {
            let w = crate::model::text::width(&format!(" {} ", level_label(state.lang(), a)));
            Rect {
                x: area.x + 2,
                y: area.y + 1 + n as u16,
                width: (w as u16).min(label_w),
                height: 1,
            }
            .intersection(area)
        })
        .collect()
}

/// The label column: as wide as the widest label with its two spaces.
fn label_width(lang: Lang) -> u16 {
    Colour::ALL
        .iter()
        .map(|c| crate::model::text::width(&label(lang, *c, c.level())) + 2)
        .max()
        .unwrap_or_default() as u16
}

/// The rows a pane of `height` rows shows: the first screenful while the selection is
/// on it, else the screenful that ends at the selection. Returns (first row, row count).
pub fn window(len: usize, selected: usize, height: u16) -> (usize, usize) {
    let h = usize::from(height).max(1);
    let offset = (selected + 1).saturating_sub(h).min(len.saturating_sub(1));
    (offset, h.min(len - offset.min(len)))
}

/// The width the one `Fill` column of a table gets inside a bordered pane `outer` cells
/// wide, with the one-cell highlight symbol and a one-cell gap between columns.
pub fn fill_width(outer: u16, widths: &[Constraint]) -> usize {
    let fixed: u16 = widths
        .iter()
        .map(|c| match c {
            Constraint::Length(n) => *n,
            _ => 0,
        })
        .sum();
    let gaps = widths.len().saturating_sub(1) as u16;
    usize::from(outer.saturating_sub(2 + 1 + fixed + gaps))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_follows_the_selection() {
        assert_eq!(window(100_000, 0, 20), (0, 20));
        assert_eq!(window(100_000, 19, 20), (0, 20));
        assert_eq!(window(100_000, 20, 20), (1, 20));
        assert_eq!(window(100_000, 99_999, 20), (99_980, 20));
        assert_eq!(window(3, 2, 20), (0, 3));
        assert_eq!(window(0, 0, 20), (0, 0));
    }

    #[test]
    fn the_label_column_fits_the_widest_label_of_each_language() {
        assert_eq!(label_width(Lang::Zh), 5);
        assert_eq!(label_width(Lang::En), 10);
        assert_eq!(label(Lang::Zh, Colour::Red, Level::I), "红Ⅰ");
        assert_eq!(label(Lang::En, Colour::Yellow, Level::III), "YELLOW Ⅲ");
    }
}
