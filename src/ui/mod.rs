//! Pure drawing: every function here reads `&State` and writes only to the frame.

pub mod alerts;
pub mod cells;
pub mod command_line;
pub mod detail;
pub mod duty;
pub mod experts;
pub mod form;
pub mod format;
pub mod handover;
pub mod header;
pub mod help;
pub mod incidents;
pub mod lists;
pub mod panes;
pub mod status;
pub mod theme;
pub mod too_small;

use crate::app::{Overlay, Pane, State};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::{Block, BorderType};
use theme::Role;

pub fn draw(state: &State, frame: &mut Frame) {
    draw_frame(state, frame);
}

/// Where each pane of the watch screen goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    pub header: Rect,
    pub alerts: Rect,
    pub duty: Rect,
    pub incidents: Rect,
    pub timeline: Rect,
    pub bottom: Rect,
}

pub fn areas(state: &State, area: Rect) -> Areas {
    let [header, body, bottom] = Layout::vertical([
        Constraint::Length(header::height(state)),
        Constraint::Min(10),
        Constraint::Length(1),
    ])
    .areas(area);
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(58), Constraint::Percentage(42)]).areas(body);
    let duty_height = duty::height(state).min(left.height / 2);
    let [alerts, duty] =
        Layout::vertical([Constraint::Min(5), Constraint::Length(duty_height)]).areas(left);
    let [incidents, timeline] =
        Layout::vertical([Constraint::Percentage(40), Constraint::Percentage(60)]).areas(right);
    Areas {
        header,
        alerts,
        duty,
        incidents,
        timeline,
        bottom,
    }
}

/// Draw the whole screen, with the text cursor where typing goes (`Frame::set_cursor_position`;
/// none: hidden).
pub fn draw_frame(state: &State, frame: &mut Frame) {
    draw_screen(state, frame);
}

/// Draw the whole screen and keep, in `kept`, what a frame in which only the clock moves
/// needs to draw only the panes that changed (`panes::due`).
pub fn draw_whole(state: &State, frame: &mut Frame, kept: &mut panes::Kept) {
    match draw_screen(state, frame) {
        Some(panes) => kept.drawn(state, panes),
        None => kept.forget(),
    }
}

/// The whole screen; returns where the panes went (None: the screen is too small for them).
fn draw_screen(state: &State, frame: &mut Frame) -> Option<Areas> {
    let area = frame.area();
    if state.too_small() {
        too_small::draw(state, frame, area);
        return None;
    }
    // The theme's text style is the ground every pane draws on.
    ground(state, frame.buffer_mut(), area);
    let panes = areas(state, area);
    for part in panes::PARTS {
        if part != panes::Part::Status || state.view.prompt.is_none() {
            part.draw(state, frame, part.rect(&panes));
        }
    }
    let bottom = panes.bottom;
    let prompt_cursor = match &state.view.prompt {
        Some(prompt) => command_line::draw(state, frame, bottom, prompt),
        None => None,
    };
    let overlay_cursor = match &state.view.overlay {
        Overlay::None => None,
        Overlay::Help { scroll } => {
            help::draw(state, frame, area, *scroll);
            None
        }
        Overlay::Detail { target, scroll } => {
            detail::draw(state, frame, area, target, *scroll);
            None
        }
        Overlay::Form(form) => form::draw(state, frame, area, form),
        Overlay::Experts(view) => experts::draw(state, frame, body_and_top(area), view),
        Overlay::Handover(view) => handover::draw(state, frame, area, view),
        Overlay::List(view) => {
            lists::draw(state, frame, area, view);
            None
        }
    };
    // The command line is typed over whatever is open, so its cursor wins.
    if let Some(at) = prompt_cursor.or(overlay_cursor) {
        frame.set_cursor_position(at);
    }
    Some(panes)
}

/// Blank cells in the theme's text style over `rect`, as a fresh frame has them before
/// anything is drawn (row by row over the cells: a styled `Block` looks up every cell's
/// place, a tenth of a frame's cost).
pub fn ground(state: &State, buf: &mut ratatui::buffer::Buffer, rect: Rect) {
    let style = state.theme().get(Role::Text);
    for row in cells::rows_mut(buf, rect) {
        for cell in row {
            cell.reset();
            cell.set_style(style);
        }
    }
}

/// Everything but the status bar: full-screen views keep source health in sight.
fn body_and_top(area: Rect) -> Rect {
    Rect {
        height: area.height.saturating_sub(1),
        ..area
    }
}

/// A pane's frame: highlighted when it has the focus.
pub fn pane_border(state: &State, pane: Pane, title: String) -> cells::Border<'static> {
    let focused = state.view.focus == pane && matches!(state.view.overlay, Overlay::None);
    let (kind, style) = if focused {
        (BorderType::Thick, state.theme().get(Role::BorderFocus))
    } else {
        (BorderType::Plain, state.theme().get(Role::Border))
    };
    cells::Border {
        kind,
        style,
        title: ratatui::text::Span::styled(format!(" {title} "), state.theme().get(Role::Title)),
    }
}

/// A list's title with its filter, if any: "预警 Alerts [红] 3/41".
pub fn filtered_title(
    state: &State,
    name: &str,
    target: crate::app::filter::FilterTarget,
    plain: String,
) -> String {
    let words = state.view.filters.get(target);
    if words.is_empty() {
        return plain;
    }
    let (n, total) = crate::app::command_line::counts(state, target);
    format!("{name} [{words}] {n}/{total}")
}

/// Blank an overlay's rectangle down to the theme's text style. A double-width
/// character just left of it would otherwise still claim the overlay's first column (the
/// terminal never gets that column's border), and one cut at its right edge would leave
/// half a character: both neighbours become spaces.
pub fn clear(state: &State, frame: &mut Frame, rect: Rect) {
    frame.render_widget(ratatui::widgets::Clear, rect);
    frame.render_widget(Block::new().style(state.theme().get(Role::Text)), rect);
    let buf = frame.buffer_mut();
    let bounds = buf.area;
    for y in rect.top()..rect.bottom() {
        if rect.left() > bounds.left() {
            let cell = &mut buf[(rect.left() - 1, y)];
            if unicode_width::UnicodeWidthStr::width(cell.symbol()) > 1 {
                cell.set_symbol(" ");
            }
        }
        if rect.right() < bounds.right() {
            let cell = &mut buf[(rect.right(), y)];
            if cell.symbol().is_empty() {
                cell.set_symbol(" ");
            }
        }
    }
}

/// A rectangle of at most `w`×`h` centred in `area`.
pub fn centred(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

#[cfg(test)]
mod clear_tests {
    use super::*;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    #[test]
    fn an_overlay_edge_never_shares_a_column_with_half_a_wide_character() {
        let mut term = Terminal::new(TestBackend::new(20, 3)).unwrap();
        term.draw(|f| {
            // "测" at column 9 covers 9 and 10; "试" at 14 covers 14 and 15.
            f.buffer_mut()
                .set_string(9, 1, "测", ratatui::style::Style::default());
            f.buffer_mut()
                .set_string(14, 1, "试", ratatui::style::Style::default());
            let state = crate::app::State::new(
                jiff::Timestamp::UNIX_EPOCH,
                jiff::tz::TimeZone::UTC,
                crate::app::keymap::Keymap::embedded(),
                crate::ui::theme::Theme::embedded(),
            );
            clear(&state, f, Rect::new(10, 0, 5, 3));
        })
        .unwrap();
        let buf = term.backend().buffer();
        assert_eq!(
            buf[(9, 1)].symbol(),
            " ",
            "left neighbour no longer claims column 10"
        );
        assert_eq!(
            buf[(15, 1)].symbol(),
            " ",
            "the cut half on the right is blank"
        );
    }
}
