use super::theme::Role;
use crate::app::State;
use crate::app::state::MIN_SIZE;
use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

pub fn draw(state: &State, frame: &mut Frame, area: Rect) {
    let (w, h) = state.view.size;
    let lines = vec![
        Line::from(Span::styled(
            state.lang().t("too_small.title"),
            state.theme().get(Role::Overdue),
        )),
        Line::from(
            state
                .lang()
                .f("too_small.need", &[("w", &MIN_SIZE.0), ("h", &MIN_SIZE.1)]),
        ),
        Line::from(Span::styled(
            state.lang().f("too_small.have", &[("w", &w), ("h", &h)]),
            state.theme().get(Role::Muted),
        )),
    ];
    let top = area.height.saturating_sub(lines.len() as u16) / 2;
    let inner = Rect {
        y: area.y + top,
        height: area.height - top,
        ..area
    };
    frame.render_widget(
        Paragraph::new(lines)
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true }),
        inner,
    );
}
