//! Writing frames to the terminal with as few bytes as the change needs.
//!
//! A watch screen runs for days, often over SSH, and most seconds only the clock changes.
//! ratatui's own writer spends about 70 bytes on such a frame (a synchronized-update pair,
//! colours and attributes set and reset one by one, the cursor hidden again); this one
//! writes the cells that changed with one combined SGR per style change and one reset,
//! wraps only frames that change more than a few cells in a synchronized update, touches
//! the cursor only when it changes, and writes nothing at all for a frame that changed
//! nothing. ratatui still lays out and renders each frame into its buffer; only the
//! diffing and writing are here.

use ratatui::buffer::{Buffer, Cell};
use ratatui::layout::{Position, Rect};
use ratatui::style::{Color, Modifier};
use std::io::Write;

/// Frames changing more cells than this are wrapped in a synchronized update (so a
/// terminal that supports it never shows half a frame); a few cells cannot tear.
const SYNC_ABOVE: usize = 8;

const BEGIN_SYNC: &[u8] = b"\x1b[?2026h";
const END_SYNC: &[u8] = b"\x1b[?2026l";
const HIDE_CURSOR: &[u8] = b"\x1b[?25l";
const SHOW_CURSOR: &[u8] = b"\x1b[?25h";
const CLEAR: &[u8] = b"\x1b[2J";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cursor {
    Unknown,
    Hidden,
    At(Position),
}

/// What the terminal shows, as far as this console wrote it.
#[derive(Debug)]
pub struct Screen {
    shown: Option<Buffer>,
    cursor: Cursor,
    /// The next frame clears the terminal first and is drawn whole, in one synchronized
    /// update (after a resize or a resume, the terminal's cells are not what was written).
    redraw: bool,
}

impl Default for Screen {
    fn default() -> Self {
        Screen::new()
    }
}

impl Screen {
    pub fn new() -> Screen {
        Screen {
            shown: None,
            cursor: Cursor::Unknown,
            redraw: false,
        }
    }

    /// The terminal was resized, cleared or replaced (resume): clear it and draw everything
    /// next time.
    pub fn forget(&mut self) {
        self.shown = None;
        self.cursor = Cursor::Unknown;
        self.redraw = true;
    }

    /// The bytes that bring the terminal up to date after `draw` drew `rects` again over
    /// what is shown (lent to it as its argument). None (and nothing drawn) when nothing
    /// is shown at the screen's size, `area`.
    pub fn over(
        &mut self,
        area: Rect,
        rects: &[Rect],
        draw: impl FnOnce(&mut Buffer),
    ) -> Option<Vec<u8>> {
        let shown = match &mut self.shown {
            Some(shown) if shown.area == area && !self.redraw => shown,
            _ => return None,
        };
        let rects: Vec<Rect> = rects.iter().map(|r| r.intersection(shown.area)).collect();
        let before: Vec<Buffer> = rects.iter().map(|&r| cut(shown, r)).collect();
        draw(shown);
        let after: Vec<Buffer> = rects.iter().map(|&r| cut(shown, r)).collect();
        let changes: Vec<(u16, u16, &Cell)> = before
            .iter()
            .zip(&after)
            .flat_map(|(b, a)| b.diff(a))
            .collect();
        let mut out = Vec::new();
        let sync = changes.len() > SYNC_ABOVE;
        if sync {
            out.extend_from_slice(BEGIN_SYNC);
        }
        write_cells(&mut out, &changes);
        // Writing cells moved the terminal's cursor: a shown cursor goes back.
        if let (Cursor::At(p), false) = (self.cursor, changes.is_empty()) {
            move_to(&mut out, p.x, p.y);
        }
        if sync {
            out.extend_from_slice(END_SYNC);
        }
        Some(out)
    }

    /// The bytes that turn what is shown into `next`, with the cursor at `cursor` (None:
    /// hidden). Empty when nothing changed. `next` becomes what is shown, and is left
    /// blank for the next frame to be rendered into (the two buffers trade places: no frame
    /// is copied).
    pub fn frame(&mut self, next: &mut Buffer, cursor: Option<Position>) -> Vec<u8> {
        let blank;
        let shown = match &self.shown {
            Some(b) if b.area == next.area => b,
            _ => {
                blank = Buffer::empty(next.area);
                &blank
            }
        };
        let changes = shown.diff(next);
        let changed = !changes.is_empty();
        let mut out = Vec::new();
        let sync = self.redraw || changes.len() > SYNC_ABOVE;
        if sync {
            out.extend_from_slice(BEGIN_SYNC);
        }
        if std::mem::take(&mut self.redraw) {
            out.extend_from_slice(CLEAR);
        }
        write_cells(&mut out, &changes);
        let want = cursor.map_or(Cursor::Hidden, Cursor::At);
        // Writing cells moves the terminal's cursor: put it back where the frame wants it.
        if want != self.cursor || (changed && cursor.is_some()) {
            match want {
                Cursor::At(p) => {
                    move_to(&mut out, p.x, p.y);
                    if !matches!(self.cursor, Cursor::At(_)) {
                        out.extend_from_slice(SHOW_CURSOR);
                    }
                }
                _ => out.extend_from_slice(HIDE_CURSOR),
            }
            self.cursor = want;
        }
        if sync {
            out.extend_from_slice(END_SYNC);
        }
        let spare = match self.shown.take() {
            Some(mut old) if old.area == next.area => {
                old.reset();
                old
            }
            _ => Buffer::empty(next.area),
        };
        self.shown = Some(std::mem::replace(next, spare));
        out
    }
}

/// Draw a frame rendered into `terminal`'s current buffer: ratatui renders, `screen`
/// writes. The buffer is left blank for the next frame (ratatui's own flush and swap are
/// not used, so its idea of the previous frame is never consulted).
pub fn present(
    terminal: &mut ratatui::DefaultTerminal,
    screen: &mut Screen,
    render: impl FnOnce(&mut ratatui::Frame) -> Option<Position>,
) -> std::io::Result<()> {
    // A new size clears the terminal (ratatui does it here, at once): begin the
    // synchronized update before that, so the terminal never shows the blank screen, and
    // draw everything again in it.
    let size = terminal.size()?;
    if ratatui::layout::Rect::from((ratatui::layout::Position::ORIGIN, size))
        != terminal.get_frame().area()
    {
        let mut out = std::io::stdout().lock();
        out.write_all(BEGIN_SYNC)?;
        screen.forget();
    }
    terminal.autoresize()?;
    let mut frame = terminal.get_frame();
    let cursor = render(&mut frame);
    let bytes = screen.frame(terminal.current_buffer_mut(), cursor);
    write(&bytes)
}

/// Draw again only `rects` of what is shown, with `render`, and write what changed in
/// them. Nothing is copied but those rectangles: the shown frame is lent to ratatui to be
/// drawn over, and only the rectangles are compared. False (nothing done) when what is
/// shown is not of the screen's size, `area`: draw a whole frame then.
///
/// `render` must draw inside `rects` only, and no wide character may cross their edges
/// (panes are bordered; full-width rows have no neighbours).
pub fn present_over(
    terminal: &mut ratatui::DefaultTerminal,
    screen: &mut Screen,
    area: Rect,
    rects: &[Rect],
    render: impl FnOnce(&mut ratatui::Frame),
) -> std::io::Result<bool> {
    if area != terminal.get_frame().area() {
        return Ok(false);
    }
    let Some(bytes) = screen.over(area, rects, |buf| {
        std::mem::swap(terminal.current_buffer_mut(), buf);
        render(&mut terminal.get_frame());
        std::mem::swap(terminal.current_buffer_mut(), buf);
    }) else {
        return Ok(false);
    };
    write(&bytes).map(|()| true)
}

fn write(bytes: &[u8]) -> std::io::Result<()> {
    if !bytes.is_empty() {
        // The same stream ratatui's backend writes to.
        let mut out = std::io::stdout().lock();
        out.write_all(bytes)?;
        out.flush()?;
    }
    Ok(())
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

fn write_cells(out: &mut Vec<u8>, changes: &[(u16, u16, &Cell)]) {
    let mut pen = PLAIN;
    let mut next_pos: Option<(u16, u16)> = None;
    for &(x, y, cell) in changes {
        if next_pos != Some((x, y)) {
            move_to(out, x, y);
        }
        // As ratatui's writer: a cell advances the cursor by one; after a wide character
        // the diff skips its second cell, so the next cell is moved to explicitly.
        next_pos = Some((x.saturating_add(1), y));
        let want = Pen {
            fg: cell.fg,
            bg: cell.bg,
            modifier: cell.modifier,
        };
        if want != pen {
            sgr(out, want);
            pen = want;
        }
        out.extend_from_slice(cell.symbol().as_bytes());
    }
    if pen != PLAIN {
        out.extend_from_slice(b"\x1b[0m");
    }
}

/// The cells of `rect` as a buffer of their own, at their place on the screen.
fn cut(buf: &Buffer, rect: Rect) -> Buffer {
    let mut part = Buffer::empty(rect);
    let w = usize::from(rect.width);
    for y in rect.top()..rect.bottom() {
        let (from, to) = (buf.index_of(rect.x, y), part.index_of(rect.x, y));
        part.content[to..to + w].clone_from_slice(&buf.content[from..from + w]);
    }
    part
}

fn move_to(out: &mut Vec<u8>, x: u16, y: u16) {
    let _ = write!(out, "\x1b[{};{}H", u32::from(y) + 1, u32::from(x) + 1);
}

/// One SGR sequence that sets the whole pen from a reset: `ESC[0;1;38;5;15;48;5;236m`.
fn sgr(out: &mut Vec<u8>, pen: Pen) {
    out.extend_from_slice(b"\x1b[0");
    const MODS: [(Modifier, &str); 9] = [
        (Modifier::BOLD, "1"),
        (Modifier::DIM, "2"),
        (Modifier::ITALIC, "3"),
        (Modifier::UNDERLINED, "4"),
        (Modifier::SLOW_BLINK, "5"),
        (Modifier::RAPID_BLINK, "6"),
        (Modifier::REVERSED, "7"),
        (Modifier::HIDDEN, "8"),
        (Modifier::CROSSED_OUT, "9"),
    ];
    for (m, code) in MODS {
        if pen.modifier.contains(m) {
            out.push(b';');
            out.extend_from_slice(code.as_bytes());
        }
    }
    colour(out, pen.fg, false);
    colour(out, pen.bg, true);
    out.push(b'm');
}

fn colour(out: &mut Vec<u8>, c: Color, background: bool) {
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
            let _ = write!(out, ";{};5;{n}", if background { 48 } else { 38 });
            return;
        }
        Color::Rgb(r, g, b) => {
            let _ = write!(out, ";{};2;{r};{g};{b}", if background { 48 } else { 38 });
            return;
        }
    };
    let _ = write!(out, ";{code}");
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

    #[test]
    fn frames_written_read_back_the_same_through_a_terminal_emulator() {
        let mut parser = vt100::Parser::new(H, W, 0);
        let mut screen = Screen::new();
        let (a, b) = (frame_a(), frame_b());
        show(&mut parser, &screen.frame(&mut a.clone(), None));
        same(&parser, &a);
        show(&mut parser, &screen.frame(&mut b.clone(), None));
        same(&parser, &b);
        show(&mut parser, &screen.frame(&mut a.clone(), None));
        same(&parser, &a);
    }

    #[test]
    fn an_unchanged_frame_writes_nothing() {
        let mut screen = Screen::new();
        let a = frame_a();
        let mut next = a.clone();
        assert!(!screen.frame(&mut next, None).is_empty());
        assert_eq!(next, Buffer::empty(a.area), "left blank for the next frame");
        assert!(screen.frame(&mut a.clone(), None).is_empty());
    }

    #[test]
    fn a_new_second_on_the_clock_costs_under_40_bytes() {
        let mut screen = Screen::new();
        screen.frame(&mut frame_a(), None);
        let mut next = frame_a();
        next.set_string(0, 0, " 值班室 · 测试市            23:49:02 ", header());
        let bytes = screen.frame(&mut next.clone(), None);
        assert!(bytes.len() < 40, "{} bytes: {bytes:?}", bytes.len());
        // No synchronized update for one cell; one SGR for the whole pen, one reset.
        assert!(!bytes.windows(BEGIN_SYNC.len()).any(|w| w == BEGIN_SYNC));
        let mut parser = vt100::Parser::new(H, W, 0);
        parser.process(&Screen::new().frame(&mut frame_a(), None));
        parser.process(&bytes);
        same(&parser, &next);
    }

    #[test]
    fn a_big_change_is_one_synchronized_update() {
        let mut screen = Screen::new();
        let bytes = screen.frame(&mut frame_a(), None);
        assert!(bytes.starts_with(BEGIN_SYNC) && bytes.ends_with(END_SYNC));
    }

    #[test]
    fn the_cursor_is_shown_where_asked_and_hidden_once() {
        let mut parser = vt100::Parser::new(H, W, 0);
        let mut screen = Screen::new();
        let a = frame_a();
        show(
            &mut parser,
            &screen.frame(&mut a.clone(), Some(Position::new(5, 3))),
        );
        assert!(!parser.screen().hide_cursor());
        assert_eq!(parser.screen().cursor_position(), (3, 5));
        // Cells change elsewhere: the cursor goes back where the frame wants it.
        show(
            &mut parser,
            &screen.frame(&mut frame_b(), Some(Position::new(5, 3))),
        );
        assert_eq!(parser.screen().cursor_position(), (3, 5));
        show(&mut parser, &screen.frame(&mut frame_b(), None));
        assert!(parser.screen().hide_cursor());
        assert!(screen.frame(&mut frame_b(), None).is_empty(), "hidden once");
    }

    #[test]
    fn a_forgotten_screen_is_drawn_whole_again() {
        let mut screen = Screen::new();
        let a = frame_a();
        screen.frame(&mut a.clone(), None);
        screen.forget();
        let bytes = screen.frame(&mut a.clone(), None);
        // Cleared first, inside the synchronized update, so the screen never shows blank.
        assert!(bytes.starts_with(&[BEGIN_SYNC, CLEAR].concat()));
        let mut parser = vt100::Parser::new(H, W, 0);
        parser.process(b"garbage left by a terminal that reflowed");
        show(&mut parser, &bytes);
        same(&parser, &a);
    }

    #[test]
    fn drawing_over_rectangles_writes_their_changes_and_keeps_the_rest() {
        let mut parser = vt100::Parser::new(H, W, 0);
        let mut screen = Screen::new();
        let (a, b) = (frame_a(), frame_b());
        show(&mut parser, &screen.frame(&mut a.clone(), None));
        // The clock row and the alert row change; the other rows stay as shown.
        let rects = [Rect::new(0, 0, W, 1), Rect::new(0, 2, W, 1)];
        let mut want = a.clone();
        for r in rects {
            for x in r.left()..r.right() {
                want[(x, r.y)] = b[(x, r.y)].clone();
            }
        }
        let bytes = screen
            .over(a.area, &rects, |shown| {
                assert_eq!(*shown, a, "drawn over what is shown");
                for r in rects {
                    for x in r.left()..r.right() {
                        shown[(x, r.y)] = b[(x, r.y)].clone();
                    }
                }
            })
            .expect("the same size is shown");
        show(&mut parser, &bytes);
        same(&parser, &want);
        assert!(
            screen.frame(&mut want.clone(), None).is_empty(),
            "what is shown is the frame drawn over"
        );
        let other = Rect::new(0, 0, W + 1, H);
        assert!(
            screen
                .over(other, &rects, |_| panic!("not drawn"))
                .is_none()
        );
        screen.forget();
        assert!(
            screen
                .over(a.area, &rects, |_| panic!("not drawn"))
                .is_none()
        );
    }
}
