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
            state.lang().pick("终端太小", "Terminal too small"),
            state.theme().get(Role::Overdue),
        )),
        Line::from(format!(
            "{} {}×{}",
            state.lang().pick("需要", "need"),
            MIN_SIZE.0,
            MIN_SIZE.1
        )),
        Line::from(Span::styled(
            format!("{} {w}×{h}", state.lang().pick("当前", "have")),
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
