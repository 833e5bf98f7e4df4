//! A modal form: one labelled row per field, the focused one with a cursor; required
//! fields marked *, flagged fields (missing on submit) in the overdue style.

use super::centred;
use super::theme::Role;
use crate::app::State;
use crate::app::form::{CORRECTS, Field, Form, FormKind};
use crate::model::text::{pad, skip_cells, truncate, width};
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

fn title(state: &State, form: &Form) -> String {
    let l = state.lang();
    let alert = |origin: &str, id: &str| {
        state
            .records
            .alert(origin, id)
            .map(|a| a.title().to_owned())
            .unwrap_or_default()
    };
    let incident = |id: &str| {
        state
            .records
            .find_incident(id)
            .map(|i| i.title.clone())
            .unwrap_or_default()
    };
    match &form.kind {
        FormKind::Officer => l.t("form.officer").to_owned(),
        FormKind::Ack { alert_id, origin } => {
            format!("{} · {}", l.t("form.ack"), alert(origin, alert_id))
        }
        FormKind::Log { incident_id } => {
            format!("{} · {}", l.t("form.log"), incident(incident_id))
        }
        FormKind::Intake => l.t("form.intake").to_owned(),
        FormKind::Silence { alert_id, origin } => {
            format!("{} · {}", l.t("form.silence"), alert(origin, alert_id))
        }
        FormKind::Instruction { incident_id } => {
            format!("{} · {}", l.t("form.instruction"), incident(incident_id))
        }
        FormKind::FollowUp { .. } => l.t("form.follow_up").to_owned(),
        FormKind::Correction { incident_id } => {
            format!("{} · {}", l.t("form.correction"), incident(incident_id))
        }
    }
}

/// A choice as the form shows it: a word in the console's language, or, for the entry a
/// correction names, that entry (its id is the choice).
fn choice(state: &State, form: &Form, field: &Field) -> String {
    let value = field.value();
    match &form.kind {
        FormKind::Correction { incident_id } if field.key == CORRECTS => state
            .records
            .find_incident(incident_id)
            .and_then(|i| i.timeline.iter().find(|e| e.id == value))
            .map_or(value, |e| super::incidents::entry_label(state, e)),
        _ => crate::app::words::show(state.lang(), &value).into_owned(),
    }
}

/// Returns where the text cursor goes.
pub fn draw(state: &State, frame: &mut Frame, area: Rect, form: &Form) -> Option<Position> {
    let t = &state.theme();
    let l = state.lang();
    let label_w = form
        .fields
        .iter()
        .map(|f| width(l.t(f.label)) + 2)
        .max()
        .unwrap_or(8);
    let w = area.width.saturating_sub(8).min(90);
    let h = (form.fields.len() as u16 + 4).min(area.height);
    let rect = centred(area, w, h);
    super::clear(state, frame, rect);
    let value_w = (w as usize).saturating_sub(label_w + 4);
    let mut lines = Vec::new();
    let mut cursor = None;
    for (i, f) in form.fields.iter().enumerate() {
        let focused = i == form.focus;
        let flagged = form.flagged.contains(&i);
        let mark = if f.required { "*" } else { " " };
        let label_style = if flagged {
            t.get(Role::Overdue)
        } else if focused {
            t.get(Role::Key)
        } else {
            t.get(Role::Muted)
        };
        let value = if f.choices.is_empty() {
            f.input.text().to_owned()
        } else {
            // The arrows stay when a long choice (an entry) is cut.
            let shown = truncate(&choice(state, form, f), value_w.saturating_sub(4));
            format!("◀ {shown} ▶")
        };
        // Keep the cursor in view: show the tail of a long value while editing it.
        let shown = if focused && width(&value) > value_w {
            skip_cells(&value, width(&value) - value_w).to_owned()
        } else {
            truncate(&value, value_w)
        };
        let value_style = if focused {
            t.get(Role::Selection)
        } else {
            t.get(Role::Text)
        };
        lines.push(Line::from(vec![
            Span::styled(
                format!("{mark}{}", pad(l.t(f.label), label_w - 1)),
                label_style,
            ),
            Span::styled(pad(&shown, value_w), value_style),
        ]));
        if focused && f.choices.is_empty() {
            let cells = f.input.cursor_cells().min(value_w) as u16;
            cursor = Some(Position {
                x: rect.x + 1 + label_w as u16 + cells.min(width(&shown) as u16),
                y: rect.y + 1 + i as u16,
            });
        }
    }
    lines.push(Line::raw(""));
    let who = state
        .session
        .officer
        .clone()
        .unwrap_or_else(|| l.t("form.not_chosen").to_owned());
    lines.push(Line::from(Span::styled(
        l.f("form.officer_line", &[("name", &who)]),
        t.get(Role::Muted),
    )));
    let block = Block::bordered()
        .border_style(t.get(Role::BorderFocus))
        .title(Span::styled(
            format!(" {} ", title(state, form)),
            t.get(Role::Title),
        ));
    frame.render_widget(Paragraph::new(lines).block(block), rect);
    if let Some(p) = cursor {
        frame.set_cursor_position(p);
    }
    cursor
}
