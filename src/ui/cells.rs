//! Text written straight into the frame's cells, for the panes that draw many rows each
//! frame (the wall, the incident list, the timeline).
//!
//! ratatui's `Table` and `Paragraph` build a `Text` per cell, split every string into
//! graphemes and look up each one's width, and patch styles over rectangles through a
//! bounds-checked index per cell: most of a full frame's cost. The writers here give the
//! same cells and styles — `tests::*` compare them with ratatui's own rendering — but
//! text made only of characters that are each a grapheme of known width (ASCII, CJK
//! ideographs and punctuation, full-width forms, the few symbols the panes draw) is
//! written character by character; any other text (emoji, combining marks, Hangul
//! jamo…) is handed to ratatui as before.

use ratatui::buffer::{Buffer, Cell};
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Paragraph, Widget};

/// How a line meets the right edge and the second cell of a wide character, which
/// ratatui draws differently in its two text paths.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Like {
    /// A `Line` in a table cell (`Span` rendering): a wide character's second cell is
    /// reset, and each span starts where the one before would end uncut.
    Span,
    /// A line of an unwrapped, left-aligned `Paragraph`: a wide character's second
    /// cell keeps what it had, and a character wider than the whole line is skipped.
    Paragraph,
}

/// The cells `c` takes when it is a grapheme on its own beside any other such
/// character and ratatui measures it as `unicode-width` does; None for any other
/// character (those take ratatui's own path).
fn plain_width(c: char) -> Option<u16> {
    match c {
        ' '..='~' => Some(1),
        // Middle dot, dashes and quotes, the ellipsis a cut ends with, Roman numerals
        // (levels), box drawing and blocks (the selection mark), and the marks of a
        // source's health: ◷ cached, ⚠ stale or warned, ✓ live, ✗ offline, ⟳ polling.
        '\u{b7}'
        | '\u{2013}'
        | '\u{2014}'
        | '\u{2018}'
        | '\u{2019}'
        | '\u{201c}'
        | '\u{201d}'
        | '\u{2026}'
        | '\u{2160}'..='\u{216b}'
        | '\u{2500}'..='\u{259f}'
        | '\u{25f7}'
        | '\u{26a0}'
        | '\u{2713}'
        | '\u{2717}'
        | '\u{27f3}' => Some(1),
        // CJK punctuation without its combining tone marks (U+302A–U+302F), ideographs
        // (extension A and the unified block), full-width forms.
        '\u{3000}'..='\u{3029}'
        | '\u{3030}'..='\u{303e}'
        | '\u{3400}'..='\u{4dbf}'
        | '\u{4e00}'..='\u{9fff}'
        | '\u{ff01}'..='\u{ff60}' => Some(2),
        _ => None,
    }
}

/// The cells `text` takes when every character is plain (`plain_width`).
fn plain(text: &str) -> Option<u16> {
    text.chars()
        .try_fold(0u16, |w, c| Some(w.saturating_add(plain_width(c)?)))
}

/// Write `spans` from the left of `area`'s top row, cut at its right edge: the same cells
/// and styles as ratatui's left-aligned `Line` there (`like`: in a table cell or a
/// paragraph). Styles are patched onto the cells, as ratatui does.
pub fn line(buf: &mut Buffer, area: Rect, spans: &[Span], like: Like) {
    let area = Rect { height: 1, ..area }.intersection(buf.area);
    if area.is_empty() {
        return;
    }
    if !spans.iter().all(|s| plain(&s.content).is_some()) {
        slow_line(buf, area, spans, like);
        return;
    }
    let (right, y) = (area.right(), area.y);
    let row = usize::from(y - buf.area.y) * usize::from(buf.area.width);
    let left = buf.area.x;
    let mut x = area.x;
    for span in spans {
        if x >= right {
            break;
        }
        let mut at = x;
        for c in span.content.chars() {
            let w = plain_width(c).unwrap_or(1);
            if like == Like::Paragraph && w > area.width {
                continue;
            }
            if at + w > right {
                // A paragraph stops the whole line at the first character that does
                // not fit; a table cell stops this span (the next starts past the edge).
                if like == Like::Paragraph {
                    return;
                }
                break;
            }
            let i = row + usize::from(at - left);
            buf.content[i].set_char(c).set_style(span.style);
            if w == 2 && like == Like::Span {
                buf.content[i + 1].reset();
            }
            at += w;
        }
        x = match like {
            Like::Span => x.saturating_add(plain(&span.content).unwrap_or(0)),
            Like::Paragraph => at,
        };
    }
}

/// `line` for text with a character that is not plain: ratatui draws it.
fn slow_line(buf: &mut Buffer, area: Rect, spans: &[Span], like: Like) {
    let line = Line::from(spans.to_vec());
    match like {
        Like::Span => line.render(area, buf),
        Like::Paragraph => Paragraph::new(line).render(area, buf),
    }
}

/// Patch `style` over every cell of `rect`, as `Buffer::set_style` does, a row at a time.
pub fn restyle(buf: &mut Buffer, rect: Rect, style: Style) {
    if style == Style::default() {
        return;
    }
    for row in rows_mut(buf, rect) {
        for cell in row {
            cell.set_style(style);
        }
    }
}

/// The cells of `rect` (cut to the buffer), a row at a time: no place looked up per cell.
pub fn rows_mut(buf: &mut Buffer, rect: Rect) -> impl Iterator<Item = &mut [Cell]> {
    let rect = rect.intersection(buf.area);
    let width = usize::from(buf.area.width);
    let (left, right) = (
        usize::from(rect.left() - buf.area.left()),
        usize::from(rect.right() - buf.area.left()),
    );
    let skip = usize::from(rect.top() - buf.area.top());
    buf.content
        .chunks_mut(width.max(1))
        .skip(skip)
        .take(usize::from(rect.height))
        .map(move |row| &mut row[left..right])
}

/// A pane's frame: all four borders and one title at the top left, drawn as ratatui's
/// `Block::bordered().border_type(..).border_style(..).title(title)` draws it, without
/// its pass over every cell of the pane for the block's own (empty) style.
pub struct Border<'a> {
    pub kind: BorderType,
    pub style: Style,
    pub title: Span<'a>,
}

impl Border<'_> {
    /// Draw the frame around `area`; returns the inside.
    pub fn draw(&self, buf: &mut Buffer, area: Rect) -> Rect {
        let area = area.intersection(buf.area);
        let inner = Block::bordered().inner(area);
        if area.is_empty() {
            return inner;
        }
        let set = self.kind.to_border_set();
        let (left, top) = (area.left(), area.top());
        let (right, bottom) = (area.right() - 1, area.bottom() - 1);
        let mut put = |x: u16, y: u16, symbol: &str| {
            buf[(x, y)].set_symbol(symbol).set_style(self.style);
        };
        for y in top..=bottom {
            put(left, y, set.vertical_left);
        }
        for x in left..=right {
            put(x, top, set.horizontal_top);
        }
        for y in top..=bottom {
            put(right, y, set.vertical_right);
        }
        for x in left..=right {
            put(x, bottom, set.horizontal_bottom);
        }
        put(right, bottom, set.bottom_right);
        put(right, top, set.top_right);
        put(left, bottom, set.bottom_left);
        put(left, top, set.top_left);
        let titles = Rect {
            x: left.saturating_add(1),
            y: top,
            width: area.width.saturating_sub(2),
            height: 1,
        };
        if !titles.is_empty() {
            let width = (self.title.width().min(usize::from(u16::MAX)) as u16).min(titles.width);
            line(
                buf,
                Rect { width, ..titles },
                std::slice::from_ref(&self.title),
                Like::Span,
            );
        }
        inner
    }
}

/// The mark before the selected row of a table.
pub const SELECTION_MARK: &str = "▌";

/// Where a ratatui `Table` with the one-cell `SELECTION_MARK`, a row selected, a gap of
/// `spacing` between columns and columns of `widths` puts each column in a row of
/// `inner` (the block's inside): x and width, in the buffer's coordinates.
pub fn columns(inner: Rect, widths: &[Constraint], spacing: u16) -> Vec<(u16, u16)> {
    let [_, columns] = Layout::horizontal([Constraint::Length(1), Constraint::Fill(0)])
        .areas(Rect::new(0, 0, inner.width, 1));
    Layout::horizontal(widths.iter().copied())
        .flex(Flex::Start)
        .spacing(spacing)
        .split(columns)
        .iter()
        .map(|c| (inner.x + c.x, c.width))
        .collect()
}

/// One row of a table drawn as ratatui's `Table` draws it: the row's style over the row,
/// the selection mark, then each cell's style over its column and its text.
pub struct TableRow<'a> {
    pub style: Style,
    pub selected: bool,
    /// Per column: the cell's style and its spans.
    pub cells: Vec<(Style, Vec<Span<'a>>)>,
}

impl TableRow<'_> {
    /// Draw the row across `row` (one row of the block's inside) in `columns`; a
    /// selected row then gets `highlight` over it all.
    pub fn draw(&self, buf: &mut Buffer, row: Rect, columns: &[(u16, u16)], highlight: Style) {
        restyle(buf, row, self.style);
        if self.selected {
            let mark = Rect { width: 1, ..row }.intersection(row);
            line(buf, mark, &[Span::raw(SELECTION_MARK)], Like::Span);
        }
        for (&(x, width), (style, spans)) in columns.iter().zip(&self.cells) {
            let cell = Rect { x, width, ..row }.intersection(row);
            restyle(buf, cell, *style);
            line(buf, cell, spans, Like::Span);
        }
        if self.selected {
            restyle(buf, row, highlight);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::style::{Color, Modifier};
    use ratatui::widgets::{Cell, Row, Table, TableState};

    fn ground() -> Style {
        Style::new().fg(Color::White).bg(Color::Black)
    }

    /// A `w`×1 buffer on the theme-like ground, offset from the origin like a pane.
    fn grounded(w: u16) -> Buffer {
        let mut buf = Buffer::empty(Rect::new(3, 2, w, 1));
        buf.set_style(buf.area, ground());
        buf
    }

    fn styles() -> [Style; 2] {
        [
            Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
            Style::new().bg(Color::Blue).remove_modifier(Modifier::BOLD),
        ]
    }

    /// The two spans `a` and `b` drawn by ratatui and by `line` into areas of every width
    /// up to the buffer's, in both ways.
    fn same_as_ratatui(a: &str, b: &str) {
        let [sa, sb] = styles();
        let spans = [Span::styled(a, sa), Span::styled(b, sb)];
        let total = ratatui::text::Line::from(spans.to_vec()).width() as u16 + 2;
        for w in 0..=total {
            let area = Rect::new(4, 2, w, 1);
            for like in [Like::Span, Like::Paragraph] {
                let mut want = grounded(total + 2);
                let line_ = Line::from(spans.to_vec());
                match like {
                    Like::Span => line_.render(area, &mut want),
                    Like::Paragraph => Paragraph::new(line_).render(area, &mut want),
                }
                let mut got = grounded(total + 2);
                line(&mut got, area, &spans, like);
                // Cells compare symbol, colours and modifiers.
                assert_eq!(got, want, "{like:?} {a:?}+{b:?} in {w} cells");
            }
        }
    }

    #[test]
    fn mixed_text_is_written_as_ratatui_writes_it_at_every_cut() {
        let texts = [
            "",
            "abc",
            "台风红色预警",
            "a台风b",
            "【演练】台风…",
            "✓张某伟 ",
            "红Ⅰ ▌·",
            "🌀台风🌀",
            "e\u{301}a\u{308}\u{301}",
            "\u{301}起头的组合",
            "👨\u{200d}👩\u{200d}👧 家",
            "🇨🇳旗",
            "ｶﾞｷﾞ",
            "❤\u{fe0f}心",
            "한국어 ᄀᄀ각",
            "\u{3000}〃〜Ａ１",
        ];
        for a in texts {
            for b in texts {
                same_as_ratatui(a, b);
            }
        }
    }

    #[test]
    fn every_plain_character_is_one_grapheme_of_the_width_ratatui_gives_it() {
        let ranges = [
            ' '..='~',
            '\u{80}'..='\u{33ff}',
            '\u{3400}'..='\u{4dbf}',
            '\u{4e00}'..='\u{9fff}',
            '\u{ff00}'..='\u{ffef}',
        ];
        let mut plain_chars = 0;
        for c in ranges.into_iter().flatten() {
            let Some(w) = plain_width(c) else { continue };
            plain_chars += 1;
            let s = c.to_string();
            assert_eq!(
                unicode_width::UnicodeWidthChar::width(c),
                Some(usize::from(w)),
                "{c:?}"
            );
            // Beside ASCII, a wide character and itself: each a grapheme of its own,
            // as ratatui draws it too (the rendering compares the cells).
            for pair in [
                format!("a{c}"),
                format!("{c}a"),
                format!("{c}{c}"),
                format!("{c}台"),
            ] {
                use unicode_segmentation::UnicodeSegmentation;
                assert_eq!(pair.graphemes(true).count(), 2, "{c:?} in {pair:?}");
                assert_eq!(
                    unicode_width::UnicodeWidthStr::width(pair.as_str()),
                    usize::from(plain(&pair).unwrap_or(0)),
                    "{pair:?}"
                );
            }
            // Drawn beside others, every character outside the ideograph blocks and a
            // sample of the ideographs (the checks above cover them all).
            if !matches!(c, '\u{3400}'..='\u{9fff}') || u32::from(c) % 97 == 0 {
                same_as_ratatui(&s, &format!("{s}a台"));
            }
        }
        assert!(plain_chars > 20_000, "{plain_chars}");
    }

    #[test]
    fn a_border_is_drawn_as_ratatuis_block_draws_it() {
        let [sa, sb] = styles();
        let titles = [
            " 预警 Alerts · 100000 ",
            " 时间线 · 🌀台风 ",
            " Alerts ",
            "",
        ];
        for kind in [BorderType::Plain, BorderType::Thick] {
            for title in titles {
                for (w, h) in [(0, 0), (1, 1), (2, 2), (3, 5), (7, 3), (12, 4), (30, 6)] {
                    let area = Rect::new(4, 1, w, h);
                    let mut want = Buffer::empty(Rect::new(0, 0, 40, 8));
                    want.set_style(want.area, ground());
                    let block = Block::bordered()
                        .border_type(kind)
                        .border_style(sa)
                        .title(Span::styled(title, sb));
                    (&block).render(area, &mut want);
                    let mut got = Buffer::empty(Rect::new(0, 0, 40, 8));
                    got.set_style(got.area, ground());
                    let border = Border {
                        kind,
                        style: sa,
                        title: Span::styled(title, sb),
                    };
                    let inner = border.draw(&mut got, area);
                    assert_eq!(inner, block.inner(area), "{w}x{h}");
                    assert_eq!(got, want, "{kind:?} {title:?} {w}x{h}");
                }
            }
        }
    }

    /// A two-row table drawn by ratatui and by `TableRow`, the second row selected.
    #[test]
    fn a_table_row_is_drawn_as_ratatui_draws_it() {
        let widths = [
            Constraint::Length(5),
            Constraint::Length(3),
            Constraint::Fill(1),
            Constraint::Length(4),
        ];
        let [sa, sb] = styles();
        let sel = Style::new()
            .bg(Color::Yellow)
            .add_modifier(Modifier::REVERSED);
        let texts = [
            ("红Ⅰ", "台风🌀", "台风红色预警信号（第1号）", "12分钟"),
            (" 橙Ⅱ ", "abc", "a\u{301}组合 ✓张某伟 【演练】", "刚刚"),
        ];
        for outer in [12u16, 20, 27, 33, 40] {
            for highlight in [Style::default(), sel] {
                let area = Rect::new(1, 1, outer, 4);
                let block = Block::bordered();
                let rows = texts.iter().enumerate().map(|(n, t)| {
                    let row = Row::new(vec![
                        Cell::from(Span::styled(t.0, sa)),
                        Cell::from(t.1).style(sb),
                        Cell::from(Line::from(vec![Span::styled("新 ", sa), Span::raw(t.2)])),
                        Cell::from(t.3),
                    ]);
                    if n == 0 { row.style(sb) } else { row }
                });
                let table = Table::new(rows, widths)
                    .block(block.clone())
                    .row_highlight_style(highlight)
                    .highlight_symbol(SELECTION_MARK);
                let mut want = Buffer::empty(Rect::new(0, 0, outer + 2, 6));
                want.set_style(want.area, ground());
                let mut ts = TableState::default().with_selected(Some(1));
                ratatui::widgets::StatefulWidget::render(table, area, &mut want, &mut ts);

                let mut got = Buffer::empty(Rect::new(0, 0, outer + 2, 6));
                got.set_style(got.area, ground());
                (&block).render(area, &mut got);
                let inner = block.inner(area);
                let cols = columns(inner, &widths, 1);
                for (n, t) in texts.iter().enumerate() {
                    let row = TableRow {
                        style: if n == 0 { sb } else { Style::default() },
                        selected: n == 1,
                        cells: vec![
                            (Style::default(), vec![Span::styled(t.0, sa)]),
                            (sb, vec![Span::raw(t.1)]),
                            (
                                Style::default(),
                                vec![Span::styled("新 ", sa), Span::raw(t.2)],
                            ),
                            (Style::default(), vec![Span::raw(t.3)]),
                        ],
                    };
                    let y = inner.y + n as u16;
                    row.draw(
                        &mut got,
                        Rect {
                            y,
                            height: 1,
                            ..inner
                        },
                        &cols,
                        highlight,
                    );
                }
                assert_eq!(got, want, "{outer} cells, highlight {highlight:?}");
            }
        }
    }
}
