//! Remote text in the frame's cells: invisible format characters never reach a cell, and
//! a flag or a ZWJ-joined emoji, cut or not, takes exactly its width — one cell holding
//! the whole cluster, the cell it also covers blank — with the next text right after.

use crate::support::fixture::{self, alert, render, row_text, source, state};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;
use unicode_segmentation::UnicodeSegmentation;
use watchroom::model::Colour;
use watchroom::model::text::{pad, sanitize, width};
use watchroom::sources::SourceEvent;

const FAMILY: &str = "👨\u{200d}👩\u{200d}👧";
const ENGLAND: &str = "🏴\u{e0067}\u{e0062}\u{e0065}\u{e006e}\u{e0067}\u{e007f}";

/// The invisible characters a feed's text has been seen to carry.
const INVISIBLE: [char; 5] = ['\u{200e}', '\u{200f}', '\u{61c}', '\u{2060}', '\u{ad}'];

/// True for a cell symbol holding a format character that is not part of an emoji.
fn holds_invisible(symbol: &str) -> bool {
    symbol
        .chars()
        .any(|c| INVISIBLE.contains(&c) || c == '\u{200b}' || c == '\u{feff}')
        || symbol.ends_with('\u{200d}')
}

#[test]
fn a_flag_or_a_joined_emoji_takes_its_width_and_the_next_text_starts_right_after() {
    let texts = [
        format!("🇨🇳🇨🇳台风{FAMILY}家"),
        format!("{FAMILY}{FAMILY}x"),
        format!("{ENGLAND}英格兰🇨🇳"),
        "❤\u{fe0f}👍🏻心e\u{301}".to_owned(),
    ];
    for text in &texts {
        let clusters: Vec<&str> = text.graphemes(true).collect();
        for cells in 0..=width(text) as u16 + 1 {
            let shown = pad(text, usize::from(cells));
            let mut buf = Buffer::empty(Rect::new(0, 0, cells + 3, 1));
            Line::from(vec![Span::raw(shown.clone()), Span::raw("|")]).render(buf.area, &mut buf);
            let at = |x: u16| buf[(x, 0)].symbol().to_owned();
            assert_eq!(
                at(cells),
                "|",
                "{text:?} in {cells}: the next text starts right after"
            );
            // Walk the cells: each holds one whole cluster of the text (or the cut's
            // `…`, or padding), a wide one followed by the blank cell it covers.
            let mut x = 0;
            let mut drawn = Vec::new();
            while x < cells {
                let symbol = at(x);
                let w = width(&symbol).max(1) as u16;
                assert!(
                    clusters.contains(&symbol.as_str()) || symbol == "…" || symbol == " ",
                    "{text:?} in {cells}: cell {x} holds {symbol:?}, not a whole cluster"
                );
                for covered in x + 1..x + w {
                    assert_eq!(at(covered), " ", "{text:?} in {cells}: cell {covered}");
                }
                drawn.push(symbol);
                x += w;
            }
            assert_eq!(x, cells, "{text:?} in {cells}: the clusters end at the cut");
            let kept: String = drawn.concat();
            let kept = kept.trim_end().trim_end_matches('…');
            assert!(text.starts_with(kept), "{text:?} in {cells}: drew {kept:?}");
        }
    }
}

#[test]
fn invisible_format_characters_never_reach_a_cell() {
    let mut s = state();
    let title = format!("测试\u{200e}国旗🇨🇳\u{200f}家庭{FAMILY}\u{ad}暴雨\u{2060}预警\u{61c}信号");
    let mut a = alert("a-odd", Colour::Red, "暴雨", &title, "全市", 1);
    a.seq = 99;
    watchroom::app::update(&mut s, source(SourceEvent::Alert(a), fixture::now()));
    let visible = format!("测试国旗🇨🇳家庭{FAMILY}暴雨预警信号");
    let stored = s
        .records
        .alert("duty_api", "a-odd")
        .expect("the alert is kept")
        .title()
        .to_owned();

    // Drawn as a row's spans are: every cell holds what is seen, and nothing follows
    // the title but the next text.
    let mut buf = Buffer::empty(Rect::new(0, 0, 40, 1));
    Line::from(vec![Span::raw(stored.clone()), Span::raw("|")]).render(buf.area, &mut buf);
    assert_eq!(row_text(&buf, 0).trim_end(), format!("{visible}|"));
    assert_eq!(buf[(width(&visible) as u16, 0)].symbol(), "|");
    assert_no_invisible(&buf);

    // And on the wall.
    let buf = render(&mut s, 160, 40);
    let rows: Vec<String> = (0..buf.area.height).map(|y| row_text(&buf, y)).collect();
    assert!(
        rows.iter().any(|r| r.contains(&visible)),
        "the title drawn whole and without gaps:\n{}",
        rows.join("\n")
    );
    assert_no_invisible(&buf);
    assert_eq!(stored, visible);
    assert_eq!(sanitize(&title), visible);
}

fn assert_no_invisible(buf: &Buffer) {
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            let symbol = buf[(x, y)].symbol();
            assert!(!holds_invisible(symbol), "cell ({x}, {y}) holds {symbol:?}");
        }
    }
}
