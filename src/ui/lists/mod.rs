//! The list overlays, one kind drawn one way: a framed page centred over the watch
//! screen, scrolled, or kept on its chosen row. Each list's module gives its page.

mod history;
mod instructions;
mod overdue;
mod silences;
mod sources;

use super::centred;
use super::theme::Role;
use crate::app::State;
use crate::app::lists::{ListKind, ListView};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

/// What one list shows.
pub struct Page {
    pub title: String,
    pub lines: Vec<Line<'static>>,
    /// The line of the chosen row, for a list whose rows are chosen: the page scrolls to
    /// keep it in sight.
    pub chosen: Option<usize>,
}

fn rect(area: Rect) -> Rect {
    centred(
        area,
        area.width.saturating_sub(8).min(110),
        area.height.saturating_sub(4),
    )
}

pub fn draw(state: &State, frame: &mut Frame, area: Rect, view: &ListView) {
    let r = rect(area);
    let width = r.width.saturating_sub(2) as usize;
    let page = match view.kind {
        ListKind::Silences => silences::page(state, width),
        ListKind::Instructions => instructions::page(state, width, view.at),
        ListKind::Sources => sources::page(state, width),
        ListKind::History => history::page(state, width),
        ListKind::Overdue => overdue::page(state, width),
    };
    let scroll = match page.chosen {
        Some(line) => (line + 2).saturating_sub(r.height.saturating_sub(2) as usize),
        None => view.at,
    };
    super::clear(state, frame, r);
    let block = Block::bordered()
        .border_style(state.theme().get(Role::BorderFocus))
        .title(Span::styled(
            format!(" {} ", page.title),
            state.theme().get(Role::Title),
        ));
    frame.render_widget(
        Paragraph::new(page.lines)
            .block(block)
            .scroll((scroll.min(u16::MAX as usize) as u16, 0)),
        r,
    );
}
