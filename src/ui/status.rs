//! Bottom bar: per-source health, then key hints from the keymap.

use super::format::age;
use crate::app::{SourceStatus, State};
use crate::model::text::{truncate, width};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// One source's health in a few words: ✓ live, ⟳ polling, ⚠ stale since, ✗ offline and why.
pub fn health_spans(state: &State) -> Vec<Span<'static>> {
    let t = &state.theme;
    let lang = state.lang;
    let mut spans = vec![Span::styled(
        format!(" {} ", lang.pick("源", "Sources")),
        t.style("muted"),
    )];
    if state.sources.is_empty() {
        spans.push(Span::styled(
            lang.pick("连接中…", "connecting…"),
            t.style("stale"),
        ));
    }
    for (n, s) in state.sources.iter().enumerate() {
        if n > 0 {
            spans.push(Span::raw(" · "));
        }
        spans.push(Span::raw(format!("{} ", s.name)));
        let since =
            |t: Option<jiff::Timestamp>| t.map(|t| state.local(t, "%H:%M")).unwrap_or_default();
        let (text, role) = match &s.status {
            SourceStatus::Failed(why) => (
                format!(
                    "✗ {} {} ({})",
                    lang.pick("离线", "offline"),
                    since(s.failed_since),
                    truncate(why, 40)
                ),
                "offline",
            ),
            _ if state.source_stale(s) => (
                format!(
                    "⚠ {} {}",
                    lang.pick("陈旧 自", "stale since"),
                    since(s.last_ok)
                ),
                "stale",
            ),
            SourceStatus::Connecting => (lang.pick("连接中…", "connecting…").to_owned(), "stale"),
            SourceStatus::Live => (
                format!(
                    "✓ {} {}",
                    lang.pick("实时", "live"),
                    s.last_ok
                        .map(|t| age(lang, state.now, t))
                        .unwrap_or_default()
                ),
                "ok",
            ),
            SourceStatus::Polling => (
                format!(
                    "⟳ {} {}",
                    lang.pick("轮询", "polling"),
                    s.last_ok
                        .map(|t| age(lang, state.now, t))
                        .unwrap_or_default()
                ),
                "stale",
            ),
        };
        spans.push(Span::styled(text, t.style(role)));
    }
    spans
}

pub fn hint_spans(state: &State) -> Vec<Span<'static>> {
    let t = &state.theme;
    let mut spans = Vec::new();
    for b in state.keymap.hints(state.mode()) {
        let key = b.key_names.first().cloned().unwrap_or_default();
        spans.push(Span::styled(key, t.style("key")));
        spans.push(Span::raw(format!(" {}  ", state.lang.pick(&b.zh, &b.en))));
    }
    spans
}

pub fn draw(state: &State, frame: &mut Frame, area: Rect) {
    let health = health_spans(state);
    let hints = hint_spans(state);
    let hw: usize = health.iter().map(|s| width(&s.content)).sum();
    let kw: usize = hints.iter().map(|s| width(&s.content)).sum();
    let mut spans = health;
    // Hints give way to health when the bar is short: health is what the officer must see.
    if hw + kw < area.width as usize {
        spans.push(Span::raw(" ".repeat(area.width as usize - hw - kw)));
        spans.extend(hints);
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
