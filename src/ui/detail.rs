//! Full details of one alert or incident, wrapped, over the watch screen.

use super::alerts::level_label;
use super::centred;
use super::format::day_time;
use super::incidents::{corrected_entry, grade_label};
use super::theme::Role;
use crate::app::{DetailTarget, State, words};
use crate::model::{Alert, Incident};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

fn field(state: &State, label: &str, value: String) -> Line<'static> {
    let label = state.lang().f("detail.field", &[("label", &label)]);
    Line::from(vec![
        Span::styled(label, state.theme().get(Role::Muted)),
        Span::raw(value),
    ])
}

fn when(state: &State, t: jiff::Timestamp) -> String {
    day_time(
        state.lang(),
        &t.to_zoned_datetime(state.session.tz.clone()),
        false,
    )
}

fn alert_lines(state: &State, a: &Alert) -> Vec<Line<'static>> {
    let t = &state.theme();
    let l = state.lang();
    let mut v = vec![
        Line::from(vec![
            Span::styled(
                format!(" {} ", level_label(state.lang(), a)),
                t.alert(a.colour),
            ),
            Span::raw(" "),
            Span::styled(a.title().to_owned(), t.get(Role::Title)),
        ]),
        Line::raw(""),
        field(state, l.t("detail.signal"), a.signal_type.to_string()),
        field(
            state,
            l.t("detail.level"),
            l.f(
                "detail.level_value",
                &[
                    ("numeral", &a.level.numeral()),
                    ("level", &words::level(l, a.level)),
                    ("severity", &a.severity),
                ],
            ),
        ),
        field(state, l.t("detail.area"), a.area.to_string()),
        field(state, l.t("detail.source"), a.source.to_string()),
        field(state, l.t("detail.sent"), when(state, a.sent)),
    ];
    if let Some(e) = a.extra.effective {
        v.push(field(state, l.t("detail.effective"), when(state, e)));
    }
    if let Some(e) = a.expires {
        v.push(field(state, l.t("detail.expires"), when(state, e)));
    }
    if !a.urgency.is_empty() || !a.certainty.is_empty() {
        v.push(field(
            state,
            l.t("detail.urgency"),
            format!("{} / {}", a.urgency, a.certainty),
        ));
    }
    if !a.extra.references.is_empty() {
        v.push(field(
            state,
            l.t("detail.updates"),
            a.extra.references.join(", "),
        ));
    }
    if let Some(ack) = &a.ack {
        v.push(field(
            state,
            l.t("detail.acknowledged"),
            format!("{} {} {}", ack.officer, when(state, ack.at), ack.note),
        ));
    }
    for (heading, text) in [
        (l.t("detail.description"), a.description()),
        (l.t("detail.instruction"), a.extra.instruction.as_str()),
    ] {
        if !text.is_empty() {
            v.push(Line::raw(""));
            v.push(Line::from(Span::styled(heading, t.get(Role::Title))));
            v.push(Line::raw(text.to_owned()));
        }
    }
    v.push(Line::raw(""));
    v.push(Line::from(Span::styled(
        format!("id {}", a.id),
        t.get(Role::Muted),
    )));
    v
}

fn incident_lines(state: &State, i: &Incident) -> Vec<Line<'static>> {
    let t = &state.theme();
    let l = state.lang();
    let mut v = vec![
        Line::from(Span::styled(i.title.clone(), t.get(Role::Title))),
        Line::raw(""),
        field(
            state,
            l.t("detail.grade"),
            if i.category.is_empty() {
                grade_label(state.lang(), i.grade).to_owned()
            } else {
                format!("{} ({})", grade_label(state.lang(), i.grade), i.category)
            },
        ),
        field(state, l.t("detail.district"), i.district.clone()),
        field(state, l.t("detail.opened"), when(state, i.opened_at)),
        Line::raw(""),
        Line::from(Span::styled(
            state.lang().t("timeline.title"),
            t.get(Role::Title),
        )),
    ];
    let corrections = state.records.corrections(i);
    for (n, e) in i.timeline.iter().enumerate() {
        let mut line = vec![
            Span::styled(state.local(e.at, "%m-%d %H:%M"), t.get(Role::Muted)),
            Span::raw(" "),
            Span::styled(
                words::show(state.lang(), &e.kind).into_owned(),
                t.get(Role::Key),
            ),
        ];
        if e.corrects.is_some() {
            let what = corrected_entry(
                state,
                &i.timeline,
                corrections.target(n),
                "%m-%d %H:%M",
                true,
            );
            line.push(Span::raw(" "));
            line.push(Span::styled(what, t.get(Role::Muted)));
        }
        line.push(Span::raw(format!(
            " {}",
            state
                .lang()
                .f("detail.entry", &[("author", &e.author), ("text", &e.text)])
        )));
        if corrections.is_corrected(n) {
            line.push(Span::raw(" "));
            line.push(Span::styled(
                state.lang().t("timeline.corrected"),
                t.get(Role::Stale),
            ));
        }
        v.push(Line::from(line));
    }
    v
}

pub fn draw(state: &State, frame: &mut Frame, area: Rect, target: &DetailTarget, scroll: u16) {
    let (title, body) = match target {
        DetailTarget::Alert(key) => (
            state.lang().t("detail.alert_title"),
            state.records.alert_at(key).map(|a| alert_lines(state, a)),
        ),
        DetailTarget::Incident(id) => (
            state.lang().t("detail.incident_title"),
            state
                .records
                .find_incident(id)
                .map(|i| incident_lines(state, i)),
        ),
    };
    let body = body.unwrap_or_else(|| vec![Line::raw(state.lang().t("detail.gone"))]);
    let rect = centred(
        area,
        area.width.saturating_sub(8).min(100),
        area.height.saturating_sub(4),
    );
    super::clear(state, frame, rect);
    let block = Block::bordered()
        .border_style(state.theme().get(Role::BorderFocus))
        .title(Span::styled(
            format!(" {title} "),
            state.theme().get(Role::Title),
        ));
    frame.render_widget(
        Paragraph::new(body)
            .block(block)
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0)),
        rect,
    );
}
