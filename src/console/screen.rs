//! Writing frames to the terminal with as few bytes as the change needs.
//!
//! A watch screen runs for days, often over SSH, and most seconds only the clock changes.
//! ratatui's crossterm writer spends about 70 bytes on such a frame (a synchronized-update
//! pair, colours and attributes set and reset one by one, the cursor hidden again). This
//! backend writes the cells ratatui's diff hands it with one combined SGR per style change
//! and one reset, wraps only frames that change more than a few cells in a synchronized
//! update, touches the cursor only when it changes, and writes nothing at all for a frame
//! that changed nothing. ratatui's `Terminal` keeps the buffers, the diff and the cursor.

use ratatui::backend::{Backend, ClearType, WindowSize};
use ratatui::buffer::{Buffer, Cell, CellDiffOption, CellWidth};
use ratatui::layout::{Position, Rect, Size};
use ratatui::style::{Color, Modifier};
use ratatui::{Frame, Terminal};
use std::io::Write;

/// Frames changing more cells than this are wrapped in a synchronized update (so a
/// terminal that supports it never shows half a frame); a few cells cannot tear.
const SYNC_ABOVE: usize = 8;

const BEGIN_SYNC: &[u8] = b"\x1b[?2026h";
const END_SYNC: &[u8] = b"\x1b[?2026l";
const HIDE_CURSOR: &[u8] = b"\x1b[?25l";
const SHOW_CURSOR: &[u8] = b"\x1b[?25h";
const CLEAR: &[u8] = b"\x1b[2J";

/// The console's terminal: ratatui's, drawing through this backend to standard output.
pub type Term = Terminal<Writer<std::io::Stdout>>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cursor {
    Unknown,
    Hidden,
    At(Position),
}

/// A ratatui backend that collects a frame's bytes and writes them in one piece when the
/// frame is flushed.
#[derive(Debug)]
pub struct Writer<W: Write> {
    out: W,
    /// The bytes of the frame being drawn, written by `flush`.
    bytes: Vec<u8>,
    /// Cells ratatui's diff handed over for this frame.
    cells: usize,
    /// The screen was cleared in this frame: it is drawn whole, in one synchronized update.
    cleared: bool,
    /// Where the terminal's cursor is after `bytes` (None: not known).
    at: Option<Position>,
    /// The cursor as the terminal shows it.
    cursor: Cursor,
    /// The cursor as the frame wants it: shown or not, and where.
    visible: bool,
    wanted: Position,
    /// The screen's size as last told (`resize`): asking the terminal opens /dev/tty.
    size: Size,
    /// The frame being handed over is already on the terminal (`Shown::catch_up`): write
    /// nothing for it.
    muted: bool,
}

impl<W: Write> Writer<W> {
    pub fn new(out: W, size: Size) -> Writer<W> {
        Writer {
            out,
            bytes: Vec::new(),
            cells: 0,
            cleared: false,
            at: None,
            cursor: Cursor::Unknown,
            visible: false,
            wanted: Position::ORIGIN,
            size,
            muted: false,
        }
    }

    /// The terminal is now this size (a resize event); the next frame lays out for it.
    pub fn resize(&mut self, width: u16, height: u16) {
        self.size = Size::new(width, height);
        self.at = None;
    }

    /// Something else wrote to the terminal (a suspended console's shell): where its cursor
    /// is and whether it shows are no longer known.
    pub fn forget_cursor(&mut self) {
        self.cursor = Cursor::Unknown;
        self.at = None;
    }

    /// Where the frames go.
    pub fn writer_mut(&mut self) -> &mut W {
        &mut self.out
    }

    /// Move the terminal's cursor to `p`, along the row when it is known to be on it (a
    /// clock second is then a backspace away from the last one).
    fn move_to(&mut self, p: Position) {
        match self.at {
            // At the right margin a terminal holds the cursor on the last column until the
            // next character wraps; moves from there are taken from the screen's corner.
            Some(at) if at.y == p.y && at.x < self.size.width => {
                move_along(&mut self.bytes, at.x, p.x)
            }
            _ => move_to(&mut self.bytes, p.x, p.y),
        }
        self.at = Some(p);
    }
}

impl<W: Write> Backend for Writer<W> {
    type Error = std::io::Error;

    fn draw<'a, I>(&mut self, content: I) -> std::io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        if self.muted {
            return Ok(());
        }
        let mut pen = PLAIN;
        for (x, y, cell) in content {
            self.cells += 1;
            let p = Position::new(x, y);
            if self.at != Some(p) {
                self.move_to(p);
            }
            // A cell advances the terminal's cursor by its width, where every terminal
            // agrees on it; after any other symbol the next cell is moved to explicitly.
            let symbol = cell.symbol();
            self.at = advance(symbol).map(|w| Position::new(x.saturating_add(w), y));
            let want = Pen {
                fg: cell.fg,
                bg: cell.bg,
                modifier: cell.modifier,
            };
            if want != pen {
                sgr(&mut self.bytes, want, pen != PLAIN);
                pen = want;
            }
            self.bytes.extend_from_slice(symbol.as_bytes());
        }
        if pen != PLAIN {
            self.bytes.extend_from_slice(b"\x1b[m");
        }
        Ok(())
    }

    fn hide_cursor(&mut self) -> std::io::Result<()> {
        self.visible = false;
        Ok(())
    }

    fn show_cursor(&mut self) -> std::io::Result<()> {
        self.visible = true;
        Ok(())
    }

    /// Where the frame last put the cursor: never asked of the terminal, whose answer the
    /// running event reader would take instead.
    fn get_cursor_position(&mut self) -> std::io::Result<Position> {
        Ok(self.wanted)
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> std::io::Result<()> {
        self.wanted = position.into();
        Ok(())
    }

    fn clear(&mut self) -> std::io::Result<()> {
        self.clear_region(ClearType::All)
    }

    fn clear_region(&mut self, clear_type: ClearType) -> std::io::Result<()> {
        let code: &[u8] = match clear_type {
            ClearType::All => {
                // Once is enough, however many times ratatui clears before the frame.
                if std::mem::replace(&mut self.cleared, true) {
                    return Ok(());
                }
                // What was shown may have been reflowed, and the cursor with it.
                self.at = None;
                CLEAR
            }
            ClearType::AfterCursor => b"\x1b[J",
            ClearType::BeforeCursor => b"\x1b[1J",
            ClearType::CurrentLine => b"\x1b[2K",
            ClearType::UntilNewLine => b"\x1b[K",
        };
        self.bytes.extend_from_slice(code);
        Ok(())
    }

    fn size(&self) -> std::io::Result<Size> {
        Ok(self.size)
    }

    fn window_size(&mut self) -> std::io::Result<WindowSize> {
        let pixels = crossterm::terminal::window_size()
            .map(|w| Size::new(w.width, w.height))
            .unwrap_or_default();
        Ok(WindowSize {
            columns_rows: self.size,
            pixels,
        })
    }

    /// The end of a frame: put the cursor where the frame wants it and write the frame's
    /// bytes, if any, in one piece.
    fn flush(&mut self) -> std::io::Result<()> {
        if std::mem::take(&mut self.muted) {
            return Ok(());
        }
        let want = if self.visible {
            Cursor::At(self.wanted)
        } else {
            Cursor::Hidden
        };
        // Writing cells moves the terminal's cursor: a shown one goes back where it belongs.
        let moved = matches!(want, Cursor::At(p) if self.at != Some(p));
        if want != self.cursor || moved {
            match want {
                Cursor::At(p) => {
                    if self.at != Some(p) {
                        self.move_to(p);
                    }
                    if !matches!(self.cursor, Cursor::At(_)) {
                        self.bytes.extend_from_slice(SHOW_CURSOR);
                    }
                }
                _ => self.bytes.extend_from_slice(HIDE_CURSOR),
            }
            self.cursor = want;
        }
        let cells = std::mem::take(&mut self.cells);
        let cleared = std::mem::take(&mut self.cleared);
        if self.bytes.is_empty() {
            return Ok(());
        }
        if cleared || cells > SYNC_ABOVE {
            self.bytes.splice(0..0, BEGIN_SYNC.iter().copied());
            self.bytes.extend_from_slice(END_SYNC);
        }
        let written = self
            .out
            .write_all(&self.bytes)
            .and_then(|()| self.out.flush());
        self.bytes.clear();
        written
    }
}

/// The last frame written, for the frames drawn over it. ratatui keeps its own copy to
/// diff against but lends out only a blank buffer to draw in, and a frame that draws a few
/// panes again must start from the cells of the one before.
///
/// A frame drawn over the last one is compared with it and written only where it was drawn
/// (`over`): ratatui's whole-screen diff, the reset of its spare buffer and a copy of the
/// whole frame, for the two or three rows a second changes, were most of what an idle
/// second cost. ratatui's own copy then lags behind what the terminal shows, and is
/// brought up to date before the next whole frame is diffed against it (`catch_up`).
#[derive(Debug, Default)]
pub struct Shown {
    frame: Option<Buffer>,
    /// Frames were drawn over the last whole one: ratatui's copy of the last frame does not
    /// have their cells.
    behind: bool,
}

impl Shown {
    /// The terminal was cleared or resized: the next frame is drawn whole.
    pub fn forget(&mut self) {
        self.frame = None;
        self.behind = false;
    }

    fn keep(&mut self, written: &Buffer) {
        match &mut self.frame {
            Some(frame) if frame.area == written.area => {
                frame.content.clone_from_slice(&written.content)
            }
            _ => self.frame = Some(written.clone()),
        }
    }

    /// Bring ratatui's copy of the last frame up to what the terminal shows, the frames
    /// drawn over it included: the shown frame goes through ratatui's diff as if drawn, to
    /// a writer told that the terminal already has it.
    fn catch_up<W: Write>(&mut self, terminal: &mut Terminal<Writer<W>>) -> std::io::Result<()> {
        // A cleared terminal is drawn whole against a blank frame: nothing to catch up.
        if !std::mem::take(&mut self.behind) || terminal.backend().cleared {
            return Ok(());
        }
        let Some(frame) = &self.frame else {
            return Ok(());
        };
        let current = terminal.current_buffer_mut();
        if current.area != frame.area {
            return Ok(());
        }
        current.content.clone_from_slice(&frame.content);
        terminal.backend_mut().muted = true;
        terminal.apply_buffer()?;
        Ok(())
    }
}

/// Draw a whole frame with `render` and write what changed.
pub fn whole<W: Write>(
    terminal: &mut Terminal<Writer<W>>,
    shown: &mut Shown,
    render: impl FnOnce(&mut Frame),
) -> std::io::Result<()> {
    shown.catch_up(terminal)?;
    let written = terminal.draw(render)?;
    shown.keep(written.buffer);
    Ok(())
}

/// Draw `rects` again over the last frame with `render`, and write what changed in them.
/// False (nothing done) when the last frame is not known at the screen's size, `area`:
/// draw a whole frame then. The cursor stays hidden: panes alone never show it.
///
/// `render` must draw inside `rects` only, and no wide character may cross their edges
/// (panes are bordered; full-width rows have no neighbours). Only the rectangles are
/// copied, compared and written: nothing else on the screen is looked at.
pub fn over<W: Write>(
    terminal: &mut Terminal<Writer<W>>,
    shown: &mut Shown,
    area: Rect,
    rects: &[Rect],
    render: impl FnOnce(&mut Frame),
) -> std::io::Result<bool> {
    let last = match &mut shown.frame {
        Some(last) if last.area == area && terminal.get_frame().area() == area => last,
        _ => return Ok(false),
    };
    let rects: Vec<Rect> = rects
        .iter()
        .map(|r| r.intersection(area))
        .filter(|r| !r.is_empty())
        .collect();
    // The last frame is drawn over in place of ratatui's blank buffer, which meanwhile
    // keeps what the rectangles showed.
    let drawn = terminal.current_buffer_mut();
    std::mem::swap(drawn, last);
    for &rect in &rects {
        for (before, now) in rows(last, rect).zip(rows(drawn, rect)) {
            last.content[before].clone_from_slice(&drawn.content[now]);
        }
    }
    render(&mut terminal.get_frame());
    let drawn = terminal.current_buffer_mut();
    std::mem::swap(drawn, last);
    // `last` is the new frame; `drawn` (ratatui's buffer) holds the rectangles as they
    // were, and is left blank again.
    let mut changed: Vec<(u16, u16, usize)> = Vec::new();
    for &rect in &rects {
        for (y, range) in (rect.top()..rect.bottom()).zip(rows(last, rect)) {
            let start = range.start;
            let (was, now) = (&drawn.content[range.clone()], &last.content[range]);
            row_changes(was, now, |i| {
                changed.push((rect.x + i as u16, y, start + i));
            });
        }
    }
    for &rect in &rects {
        for range in rows(drawn, rect) {
            drawn.content[range].iter_mut().for_each(Cell::reset);
        }
    }
    let writer = terminal.backend_mut();
    writer.draw(changed.iter().map(|&(x, y, i)| (x, y, &last.content[i])))?;
    writer.hide_cursor()?;
    writer.flush()?;
    shown.behind = true;
    Ok(true)
}

/// Modifiers that show on a blank cell, as ratatui's diff has them.
const VISIBLE_ON_BLANK: Modifier = Modifier::REVERSED
    .union(Modifier::UNDERLINED)
    .union(Modifier::SLOW_BLINK)
    .union(Modifier::RAPID_BLINK)
    .union(Modifier::CROSSED_OUT);

fn is_skip(cell: &Cell) -> bool {
    #[allow(deprecated)]
    let skip = cell.skip;
    matches!(cell.diff_option, CellDiffOption::Skip)
        || (skip && matches!(cell.diff_option, CellDiffOption::None))
}

/// The cells of `next` to write over `prev` (a row, or the part of one a rectangle holds,
/// with no wide character across its ends), found as ratatui's `Buffer::diff` finds them
/// over a whole screen: `change` gets the index of each. The same rules, on slices: no
/// buffer is built or copied for the rows drawn again.
fn row_changes(prev: &[Cell], next: &[Cell], mut change: impl FnMut(usize)) {
    let len = prev.len().min(next.len());
    let mut pos = 0;
    while pos < len {
        let i = pos;
        pos += 1;
        let (current, previous) = (&next[i], &prev[i]);
        match current.diff_option {
            CellDiffOption::Skip => {}
            _ if is_skip(current) => {}
            CellDiffOption::ForcedWidth(width) => {
                pos = pos.saturating_add(usize::from(width.get()) - 1);
                if current != previous {
                    change(i);
                }
            }
            CellDiffOption::None | CellDiffOption::AlwaysUpdate => {
                let width = cell_width(current);
                if current.diff_option == CellDiffOption::None && current == previous {
                    pos += width.saturating_sub(1);
                    continue;
                }
                let previous_width = cell_width(previous);
                // Cells after a wide character that ratatui writes again: those an emoji
                // with VS16 covers, when their symbols changed; and all those a wider
                // character, styled visibly on blanks, covered before.
                let mut trailing = None;
                if width > 1 && current.symbol().contains('\u{FE0F}') {
                    trailing = Some((i + 1, (i + width).min(len), false));
                } else if width > 1 {
                    pos += width - 1;
                } else if previous_width > width
                    && (previous.bg != Color::Reset
                        || previous.modifier.intersects(VISIBLE_ON_BLANK))
                {
                    trailing = Some((i + 1, i + previous_width, true));
                }
                change(i);
                if let Some((mut j, mut end, force)) = trailing {
                    while j < end.min(len) {
                        let at = j;
                        j += cell_width(&next[at]).max(1);
                        end = end.max(j).min(len);
                        if !is_skip(&next[at]) && (force || prev[at].symbol() != next[at].symbol())
                        {
                            change(at);
                        }
                    }
                    pos = end;
                }
            }
        }
    }
}

/// The cells `cell` takes, as ratatui measures it; a narrow symbol or a CJK character
/// without looking its width up (most cells of a frame are one or the other).
fn cell_width(cell: &Cell) -> usize {
    if cell.diff_option == CellDiffOption::None {
        let symbol = cell.symbol();
        if symbol.len() == 1 {
            return 1;
        }
        if advance(symbol) == Some(2) {
            return 2;
        }
    }
    usize::from(cell.cell_width())
}

/// The ranges of `buf.content` that hold `rect`'s rows.
fn rows(buf: &Buffer, rect: Rect) -> impl Iterator<Item = std::ops::Range<usize>> + use<> {
    let (width, left, top) = (usize::from(buf.area.width), buf.area.x, buf.area.y);
    let w = usize::from(rect.width);
    let x = usize::from(rect.x - left);
    (rect.top()..rect.bottom()).map(move |y| {
        let start = usize::from(y - top) * width + x;
        start..start + w
    })
}

/// Enter raw mode and the alternate screen and make the console's terminal. A panic
/// leaves them again (and shows the cursor) before its message is printed.
pub fn enter() -> std::io::Result<Term> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        leave();
        hook(info);
    }));
    crossterm::terminal::enable_raw_mode()?;
    crossterm::execute!(std::io::stdout(), crossterm::terminal::EnterAlternateScreen)?;
    let (width, height) = crossterm::terminal::size()?;
    Terminal::new(Writer::new(std::io::stdout(), Size::new(width, height)))
}

/// Leave raw mode and the alternate screen, and show the cursor again.
pub fn leave() {
    ratatui::restore();
    let _ = crossterm::execute!(std::io::stdout(), crossterm::cursor::Show);
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Pen {
    fg: Color,
    bg: Color,
    modifier: Modifier,
}

const PLAIN: Pen = Pen {
    fg: Color::Reset,
    bg: Color::Reset,
    modifier: Modifier::empty(),
};

/// How far writing `symbol` moves the terminal's cursor, where terminals agree on it: one
/// column for a narrow symbol, two for a CJK ideograph, CJK punctuation or a full-width
/// form; None for anything else (emoji, ambiguous widths), after which the next cell is
/// moved to explicitly.
fn advance(symbol: &str) -> Option<u16> {
    if symbol.len() == 1 {
        return Some(1);
    }
    let mut chars = symbol.chars();
    let (Some(c), None) = (chars.next(), chars.next()) else {
        return (unicode_width::UnicodeWidthStr::width(symbol) == 1).then_some(1);
    };
    match c {
        '\u{3000}'..='\u{3029}'
        | '\u{3030}'..='\u{303e}'
        | '\u{3400}'..='\u{4dbf}'
        | '\u{4e00}'..='\u{9fff}'
        | '\u{ff01}'..='\u{ff60}' => Some(2),
        _ => (unicode_width::UnicodeWidthChar::width(c) == Some(1)).then_some(1),
    }
}

fn move_to(out: &mut Vec<u8>, x: u16, y: u16) {
    out.extend_from_slice(b"\x1b[");
    number(out, u32::from(y) + 1);
    out.push(b';');
    number(out, u32::from(x) + 1);
    out.push(b'H');
}

/// `n` in decimal, without the formatting machinery (a frame writes dozens).
fn number(out: &mut Vec<u8>, n: u32) {
    let mut digits = [0u8; 10];
    let mut at = digits.len();
    let mut n = n;
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[at..]);
}

/// The shortest of the moves along a row from column `from` to `to`: backspaces, cursor
/// back or forward by n, or to the column.
fn move_along(out: &mut Vec<u8>, from: u16, to: u16) {
    let digits = |n: u32| {
        if n < 10 {
            1
        } else if n < 100 {
            2
        } else if n < 1000 {
            3
        } else {
            5
        }
    };
    let column = u32::from(to) + 1;
    if to < from {
        let n = u32::from(from - to);
        if n <= 3 {
            out.extend(std::iter::repeat_n(b'\x08', n as usize));
        } else if digits(n) <= digits(column) {
            csi(out, n, b'D');
        } else {
            csi(out, column, b'G');
        }
    } else {
        let n = u32::from(to - from);
        if digits(n) <= digits(column) {
            csi(out, n, b'C');
        } else {
            csi(out, column, b'G');
        }
    }
}

/// `ESC [ n final`.
fn csi(out: &mut Vec<u8>, n: u32, last: u8) {
    out.extend_from_slice(b"\x1b[");
    number(out, n);
    out.push(last);
}

/// One SGR sequence that sets the whole pen: from the terminal's plain attributes
/// (`reset` false) `ESC[1;97;48;5;236m`, else from a reset, `ESC[0;1;97;48;5;236m`.
fn sgr(out: &mut Vec<u8>, pen: Pen, reset: bool) {
    const MODS: [(Modifier, u8); 9] = [
        (Modifier::BOLD, 1),
        (Modifier::DIM, 2),
        (Modifier::ITALIC, 3),
        (Modifier::UNDERLINED, 4),
        (Modifier::SLOW_BLINK, 5),
        (Modifier::RAPID_BLINK, 6),
        (Modifier::REVERSED, 7),
        (Modifier::HIDDEN, 8),
        (Modifier::CROSSED_OUT, 9),
    ];
    out.extend_from_slice(b"\x1b[");
    let start = out.len();
    if reset {
        out.push(b'0');
    }
    for (m, code) in MODS {
        if pen.modifier.contains(m) {
            param(out, start);
            out.push(b'0' + code);
        }
    }
    colour(out, start, pen.fg, false);
    colour(out, start, pen.bg, true);
    out.push(b'm');
}

/// Before each SGR parameter but the first (the sequence's parameters begin at `start`).
fn param(out: &mut Vec<u8>, start: usize) {
    if out.len() > start {
        out.push(b';');
    }
}

fn colour(out: &mut Vec<u8>, start: usize, c: Color, background: bool) {
    // The sixteen named colours as 30–37 / 90–97 (40–47 / 100–107 behind), which every
    // terminal knows, rather than as entries of the 256-colour palette.
    let named = |n: u8| {
        let base: u8 = if n < 8 { 30 } else { 90 };
        (base + n % 8) + if background { 10 } else { 0 }
    };
    let code = match c {
        Color::Reset => return,
        Color::Black => named(0),
        Color::Red => named(1),
        Color::Green => named(2),
        Color::Yellow => named(3),
        Color::Blue => named(4),
        Color::Magenta => named(5),
        Color::Cyan => named(6),
        Color::Gray => named(7),
        Color::DarkGray => named(8),
        Color::LightRed => named(9),
        Color::LightGreen => named(10),
        Color::LightYellow => named(11),
        Color::LightBlue => named(12),
        Color::LightMagenta => named(13),
        Color::LightCyan => named(14),
        Color::White => named(15),
        Color::Indexed(n) => {
            param(out, start);
            out.extend_from_slice(if background { b"48;5;" } else { b"38;5;" });
            number(out, u32::from(n));
            return;
        }
        Color::Rgb(r, g, b) => {
            param(out, start);
            out.extend_from_slice(if background { b"48;2;" } else { b"38;2;" });
            for (n, c) in [r, g, b].into_iter().enumerate() {
                if n > 0 {
                    out.push(b';');
                }
                number(out, u32::from(c));
            }
            return;
        }
    };
    param(out, start);
    number(out, u32::from(code));
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::layout::Rect;
    use ratatui::style::Style;

    const W: u16 = 40;
    const H: u16 = 6;

    fn header() -> Style {
        Style::new()
            .fg(Color::White)
            .bg(Color::Indexed(236))
            .add_modifier(Modifier::BOLD)
    }

    fn frame_a() -> Buffer {
        let mut b = Buffer::empty(Rect::new(0, 0, W, H));
        b.set_string(0, 0, " 值班室 · 测试市            23:49:01 ", header());
        b.set_string(1, 2, " 红Ⅰ ", Style::new().fg(Color::White).bg(Color::Red));
        b.set_string(7, 2, "台风红色预警信号", Style::new());
        b.set_string(0, 4, "rgb", Style::new().fg(Color::Rgb(10, 200, 30)));
        b.set_string(
            4,
            4,
            "dim it",
            Style::new().add_modifier(Modifier::DIM | Modifier::ITALIC),
        );
        b
    }

    fn frame_b() -> Buffer {
        let mut b = frame_a();
        b.set_string(0, 0, " 值班室 · 测试市            23:49:02 ", header());
        b.set_string(
            1,
            2,
            " 红Ⅰ ",
            Style::new()
                .fg(Color::White)
                .bg(Color::Red)
                .add_modifier(Modifier::REVERSED),
        );
        b.set_string(7, 2, "Typhoon warning (red)   ", Style::new());
        b.set_string(0, 5, "新", Style::new().fg(Color::LightYellow));
        b
    }

    /// What a terminal shows after these bytes.
    fn show(parser: &mut vt100::Parser, bytes: &[u8]) {
        parser.process(bytes);
    }

    fn same(parser: &vt100::Parser, b: &Buffer) {
        let screen = parser.screen();
        for y in 0..H {
            for x in 0..W {
                let want = &b[(x, y)];
                let Some(got) = screen.cell(y, x) else {
                    panic!("no cell at {x},{y}")
                };
                if got.is_wide_continuation() {
                    continue;
                }
                // The emulator reads a blank cell as empty, written or not.
                let got_text = if got.contents().is_empty() {
                    " "
                } else {
                    got.contents()
                };
                assert_eq!(got_text, want.symbol(), "symbol at {x},{y}");
                assert_eq!(
                    got.bold(),
                    want.modifier.contains(Modifier::BOLD),
                    "bold at {x},{y}"
                );
                assert_eq!(
                    got.inverse(),
                    want.modifier.contains(Modifier::REVERSED),
                    "reverse at {x},{y}"
                );
                assert_eq!(
                    got.italic(),
                    want.modifier.contains(Modifier::ITALIC),
                    "italic at {x},{y}"
                );
                let colour = |c: Color| match c {
                    Color::Reset => vt100::Color::Default,
                    Color::White => vt100::Color::Idx(15),
                    Color::Red => vt100::Color::Idx(1),
                    Color::LightYellow => vt100::Color::Idx(11),
                    Color::Indexed(n) => vt100::Color::Idx(n),
                    Color::Rgb(r, g, b) => vt100::Color::Rgb(r, g, b),
                    other => panic!("colour {other:?} not in these frames"),
                };
                assert_eq!(got.fgcolor(), colour(want.fg), "fg at {x},{y}");
                assert_eq!(got.bgcolor(), colour(want.bg), "bg at {x},{y}");
            }
        }
    }

    type TestTerm = Terminal<Writer<Vec<u8>>>;

    fn term() -> TestTerm {
        Terminal::new(Writer::new(Vec::new(), Size::new(W, H))).expect("a writer to memory")
    }

    /// The console's terminal, as far as these tests need it.
    struct Console {
        term: TestTerm,
        shown: Shown,
    }

    impl Console {
        fn new() -> Console {
            Console {
                term: term(),
                shown: Shown::default(),
            }
        }

        /// The bytes that bring the terminal to `b`, with the cursor at `cursor` (None:
        /// hidden), drawn as a whole frame.
        fn frame(&mut self, b: &Buffer, cursor: Option<Position>) -> Vec<u8> {
            whole(&mut self.term, &mut self.shown, |f| {
                f.buffer_mut().content.clone_from(&b.content);
                if let Some(p) = cursor {
                    f.set_cursor_position(p);
                }
            })
            .expect("written to memory");
            self.written()
        }

        fn written(&mut self) -> Vec<u8> {
            std::mem::take(self.term.backend_mut().writer_mut())
        }
    }

    fn has(bytes: &[u8], part: &[u8]) -> bool {
        bytes.windows(part.len()).any(|w| w == part)
    }

    #[test]
    fn frames_written_read_back_the_same_through_a_terminal_emulator() {
        let mut parser = vt100::Parser::new(H, W, 0);
        let mut console = Console::new();
        let (a, b) = (frame_a(), frame_b());
        show(&mut parser, &console.frame(&a, None));
        same(&parser, &a);
        show(&mut parser, &console.frame(&b, None));
        same(&parser, &b);
        show(&mut parser, &console.frame(&a, None));
        same(&parser, &a);
    }

    #[test]
    fn an_unchanged_frame_writes_nothing() {
        let mut console = Console::new();
        let a = frame_a();
        assert!(!console.frame(&a, None).is_empty());
        assert!(console.frame(&a, None).is_empty());
        let over = over(
            &mut console.term,
            &mut console.shown,
            a.area,
            &[a.area],
            |_| {},
        );
        assert!(over.expect("written to memory"), "drawn over");
        assert!(console.written().is_empty(), "nothing drawn over changed");
    }

    #[test]
    fn a_new_second_on_the_clock_costs_under_40_bytes() {
        let mut console = Console::new();
        console.frame(&frame_a(), None);
        let mut next = frame_a();
        next.set_string(0, 0, " 值班室 · 测试市            23:49:02 ", header());
        let bytes = console.frame(&next, None);
        assert!(bytes.len() < 40, "{} bytes: {bytes:?}", bytes.len());
        // No synchronized update for one cell; one SGR for the whole pen, one reset.
        assert!(!has(&bytes, BEGIN_SYNC));
        let mut parser = vt100::Parser::new(H, W, 0);
        parser.process(&Console::new().frame(&frame_a(), None));
        parser.process(&bytes);
        same(&parser, &next);
    }

    #[test]
    fn a_second_on_the_clock_after_the_last_one_is_a_backspace_and_its_digit() {
        let mut parser = vt100::Parser::new(H, W, 0);
        let mut console = Console::new();
        let mut clock = frame_a();
        show(&mut parser, &console.frame(&clock, None));
        let mut sizes = Vec::new();
        for second in 2..=5 {
            let time = format!(" 值班室 · 测试市            23:49:0{second} ");
            clock.set_string(0, 0, &time, header());
            let bytes = console.frame(&clock, None);
            show(&mut parser, &bytes);
            same(&parser, &clock);
            sizes.push(bytes.len());
        }
        // The first moves from where the last whole frame ended; each later one steps back
        // over the digit it wrote: BS, one SGR from plain (ESC[1;97;48;5;236m), the digit,
        // one reset (ESC[m).
        assert!(sizes[1..].iter().all(|&n| n == 21), "{sizes:?}");
    }

    #[test]
    fn a_big_change_is_one_synchronized_update() {
        let mut console = Console::new();
        let bytes = console.frame(&frame_a(), None);
        assert!(bytes.starts_with(BEGIN_SYNC) && bytes.ends_with(END_SYNC));
        assert_eq!(
            bytes
                .windows(BEGIN_SYNC.len())
                .filter(|w| *w == BEGIN_SYNC)
                .count(),
            1
        );
    }

    #[test]
    fn the_cursor_is_shown_where_asked_and_hidden_once() {
        let mut parser = vt100::Parser::new(H, W, 0);
        let mut console = Console::new();
        let a = frame_a();
        show(&mut parser, &console.frame(&a, Some(Position::new(5, 3))));
        assert!(!parser.screen().hide_cursor());
        assert_eq!(parser.screen().cursor_position(), (3, 5));
        assert!(
            console.frame(&a, Some(Position::new(5, 3))).is_empty(),
            "shown where it was: nothing to write"
        );
        // Cells change elsewhere: the cursor goes back where the frame wants it.
        show(
            &mut parser,
            &console.frame(&frame_b(), Some(Position::new(5, 3))),
        );
        assert_eq!(parser.screen().cursor_position(), (3, 5));
        let bytes = console.frame(&frame_b(), Some(Position::new(9, 1)));
        assert!(!has(&bytes, SHOW_CURSOR), "already shown: only moved");
        show(&mut parser, &bytes);
        assert_eq!(parser.screen().cursor_position(), (1, 9));
        show(&mut parser, &console.frame(&frame_b(), None));
        assert!(parser.screen().hide_cursor());
        assert!(console.frame(&frame_b(), None).is_empty(), "hidden once");
    }

    #[test]
    fn a_cleared_terminal_is_drawn_whole_again() {
        let mut console = Console::new();
        let a = frame_a();
        console.frame(&a, None);
        // A resize event, or the console back from a suspension.
        console.term.clear().expect("cleared in memory");
        console.shown.forget();
        assert!(console.written().is_empty(), "cleared with the next frame");
        let bytes = console.frame(&a, None);
        // Cleared first, inside the synchronized update, so the screen never shows blank.
        assert!(
            bytes.starts_with(&[BEGIN_SYNC, CLEAR].concat()),
            "{bytes:?}"
        );
        let mut parser = vt100::Parser::new(H, W, 0);
        parser.process(b"garbage left by a terminal that reflowed");
        show(&mut parser, &bytes);
        same(&parser, &a);
    }

    #[test]
    fn a_new_size_is_laid_out_and_cleared_in_the_next_frame() {
        let mut console = Console::new();
        console.frame(&frame_a(), None);
        console.term.backend_mut().resize(W + 4, H + 2);
        let mut area = None;
        whole(&mut console.term, &mut console.shown, |f| {
            area = Some(f.area())
        })
        .expect("written to memory");
        assert_eq!(area, Some(Rect::new(0, 0, W + 4, H + 2)));
        let bytes = console.written();
        assert!(
            bytes.starts_with(&[BEGIN_SYNC, CLEAR].concat()),
            "{bytes:?}"
        );
        assert_eq!(
            bytes.windows(CLEAR.len()).filter(|w| *w == CLEAR).count(),
            1
        );
        assert!(
            !over(
                &mut console.term,
                &mut console.shown,
                Rect::new(0, 0, W, H),
                &[],
                |_| { panic!("not drawn") }
            )
            .expect("nothing written"),
            "the last frame is of another size"
        );
    }

    #[test]
    fn drawing_over_rectangles_writes_their_changes_and_keeps_the_rest() {
        let mut parser = vt100::Parser::new(H, W, 0);
        let mut console = Console::new();
        let (a, b) = (frame_a(), frame_b());
        show(&mut parser, &console.frame(&a, None));
        // The clock row and the alert row change; the other rows stay as shown.
        let rects = [Rect::new(0, 0, W, 1), Rect::new(0, 2, W, 1)];
        let mut want = a.clone();
        for r in rects {
            for x in r.left()..r.right() {
                want[(x, r.y)] = b[(x, r.y)].clone();
            }
        }
        let drawn = over(&mut console.term, &mut console.shown, a.area, &rects, |f| {
            assert_eq!(*f.buffer_mut(), a, "drawn over what is shown");
            for r in rects {
                for x in r.left()..r.right() {
                    f.buffer_mut()[(x, r.y)] = b[(x, r.y)].clone();
                }
            }
        })
        .expect("written to memory");
        assert!(drawn, "the same size is shown");
        show(&mut parser, &console.written());
        same(&parser, &want);
        assert!(
            console.frame(&want, None).is_empty(),
            "what is shown is the frame drawn over"
        );
        let other = Rect::new(0, 0, W + 1, H);
        let not = |console: &mut Console, area| {
            over(&mut console.term, &mut console.shown, area, &[], |_| {
                panic!("not drawn")
            })
            .expect("nothing written")
        };
        assert!(!not(&mut console, other));
        console.shown.forget();
        assert!(!not(&mut console, a.area));
    }

    /// Draw `rects` of `b` over what is shown, as the console draws panes again.
    fn draw_over(console: &mut Console, b: &Buffer, rects: &[Rect]) -> Vec<u8> {
        let drawn = over(&mut console.term, &mut console.shown, b.area, rects, |f| {
            for r in rects {
                for y in r.top()..r.bottom() {
                    for x in r.left()..r.right() {
                        f.buffer_mut()[(x, y)] = b[(x, y)].clone();
                    }
                }
            }
        })
        .expect("written to memory");
        assert!(drawn, "the same size is shown");
        console.written()
    }

    #[test]
    fn a_whole_frame_after_frames_drawn_over_is_compared_with_what_they_wrote() {
        let mut parser = vt100::Parser::new(H, W, 0);
        let mut console = Console::new();
        let (a, b) = (frame_a(), frame_b());
        show(&mut parser, &console.frame(&a, None));
        let rects = [Rect::new(0, 0, W, 1), Rect::new(0, 2, W, 1)];
        show(&mut parser, &draw_over(&mut console, &b, &rects));
        // The whole frame puts back the rows drawn over: ratatui's own copy of the last
        // frame must have them, or it would find nothing changed.
        let bytes = console.frame(&a, None);
        assert!(!bytes.is_empty());
        show(&mut parser, &bytes);
        same(&parser, &a);
        assert!(console.frame(&a, None).is_empty(), "nothing left to write");
        // And again after frames drawn over twice in a row.
        show(&mut parser, &draw_over(&mut console, &b, &rects[..1]));
        show(&mut parser, &draw_over(&mut console, &b, &rects[1..]));
        show(&mut parser, &console.frame(&b, None));
        same(&parser, &b);
    }

    #[test]
    fn drawing_over_leaves_ratatuis_buffer_blank_for_the_next_whole_frame() {
        let mut console = Console::new();
        let (a, b) = (frame_a(), frame_b());
        console.frame(&a, None);
        draw_over(
            &mut console,
            &b,
            &[Rect::new(0, 0, W, 3), Rect::new(0, 5, W, 1)],
        );
        assert_eq!(
            *console.term.current_buffer_mut(),
            Buffer::empty(a.area),
            "a whole frame is drawn on a blank buffer"
        );
    }

    #[test]
    fn a_second_on_the_clock_drawn_over_is_a_backspace_and_its_digit() {
        let mut parser = vt100::Parser::new(H, W, 0);
        let mut console = Console::new();
        let mut clock = frame_a();
        show(&mut parser, &console.frame(&clock, None));
        let row = [Rect::new(0, 0, W, 1)];
        let mut sizes = Vec::new();
        for second in 2..=5 {
            let time = format!(" 值班室 · 测试市            23:49:0{second} ");
            clock.set_string(0, 0, &time, header());
            let bytes = draw_over(&mut console, &clock, &row);
            show(&mut parser, &bytes);
            same(&parser, &clock);
            sizes.push(bytes.len());
        }
        assert!(sizes[1..].iter().all(|&n| n == 21), "{sizes:?}");
    }

    #[test]
    fn cjk_characters_written_side_by_side_need_no_move_between_them() {
        let mut parser = vt100::Parser::new(H, W, 0);
        let mut console = Console::new();
        let a = frame_a();
        show(&mut parser, &console.frame(&a, None));
        let mut b = a.clone();
        b.set_string(7, 2, "暴雨橙色预警信号", Style::new());
        let bytes = console.frame(&b, None);
        show(&mut parser, &bytes);
        same(&parser, &b);
        let moves = bytes.iter().filter(|&&c| c == b'H').count();
        assert_eq!(moves, 1, "one move to the first character: {bytes:?}");
        // A symbol whose width terminals disagree on is followed by an explicit move.
        assert_eq!(advance("台"), Some(2));
        assert_eq!(advance("a"), Some(1));
        assert_eq!(advance("😀"), None);
        assert_eq!(advance("Ⅰ"), Some(1));
        // Where it says two columns, ratatui measures two as well.
        let wide = [
            '\u{3000}'..='\u{303e}',
            '\u{3400}'..='\u{9fff}',
            '\u{ff01}'..='\u{ff60}',
        ];
        for c in wide.into_iter().flatten() {
            let cell = Cell::from(c);
            if advance(cell.symbol()) == Some(2) {
                assert_eq!(cell_width(&cell), usize::from(cell.cell_width()), "{c:?}");
                assert_eq!(cell.cell_width(), 2, "{c:?}");
            }
        }
    }

    #[test]
    fn rows_drawn_over_are_compared_as_ratatuis_diff_compares_buffers() {
        let mut rng = fastrand::Rng::with_seed(20261203);
        let symbols = [
            " ",
            "a",
            "b",
            "台",
            "风",
            "😀",
            "❤\u{fe0f}",
            "e\u{301}",
            "Ⅰ",
            "ﾞ",
            "▌",
        ];
        let styles = [
            Style::new(),
            Style::new().bg(Color::Red),
            Style::new().add_modifier(Modifier::REVERSED),
            Style::new().add_modifier(Modifier::UNDERLINED),
            header(),
        ];
        let options = [
            CellDiffOption::Skip,
            CellDiffOption::AlwaysUpdate,
            CellDiffOption::ForcedWidth(std::num::NonZeroU16::new(2).expect("not zero")),
        ];
        let row = |rng: &mut fastrand::Rng, area: Rect| {
            let mut b = Buffer::empty(area);
            let mut x = area.x;
            while x < area.right() {
                let symbol = symbols[rng.usize(..symbols.len())];
                let style = styles[rng.usize(..styles.len())];
                let room = usize::from(area.right() - x);
                let (to, _) = b.set_stringn(x, area.y, symbol, room, style);
                x = to.max(x + 1);
            }
            b
        };
        for n in 0..30_000 {
            let area = Rect::new(3, 7, rng.u16(1..=14), 1);
            let prev = row(&mut rng, area);
            // Mostly a few cells changed, as a second on the clock changes them; now and
            // then a row changed throughout.
            let mut next = if n % 4 == 0 {
                row(&mut rng, area)
            } else {
                let mut next = prev.clone();
                for _ in 0..rng.usize(1..=3) {
                    let x = rng.u16(area.left()..area.right());
                    let symbol = symbols[rng.usize(..symbols.len())];
                    let style = styles[rng.usize(..styles.len())];
                    next.set_stringn(x, area.y, symbol, usize::from(area.right() - x), style);
                }
                next
            };
            if n % 7 == 0 {
                let x = rng.u16(area.left()..area.right());
                next[(x, area.y)].set_diff_option(options[rng.usize(..options.len())]);
            }
            let want: Vec<(u16, u16)> = prev.diff(&next).iter().map(|&(x, y, _)| (x, y)).collect();
            let mut got = Vec::new();
            row_changes(&prev.content, &next.content, |i| {
                got.push((area.x + i as u16, area.y))
            });
            assert_eq!(got, want, "{prev:?} -> {next:?}");
        }
    }
}
