//! A frame in which only the clock moved is drawn over the last one, pane by pane
//! (`ui::panes`); whatever it draws must be exactly the whole frame for that moment.

use crate::support::fixture::*;
use jiff::SignedDuration;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use watchroom::app::{Lang, Msg, State, update};
use watchroom::model::Ack;
use watchroom::sources::SourceEvent;
use watchroom::ui::{self, panes};

/// Draws the way the console does: whole when something besides the clock changed, else
/// over the last frame.
struct Console {
    kept: panes::Kept,
    last: Option<Buffer>,
    over: usize,
    whole: usize,
    /// Frames that flipped blinking labels instead of drawing the wall.
    flips: usize,
}

impl Console {
    fn new() -> Console {
        Console {
            kept: panes::Kept::default(),
            last: None,
            over: 0,
            whole: 0,
            flips: 0,
        }
    }

    fn frame(&mut self, s: &mut State, w: u16, h: u16) -> Buffer {
        let sorted = s.refresh_wall();
        let whole = s.dirty || sorted || !s.clock_moved;
        s.dirty = false;
        s.clock_moved = false;
        let mut term = Terminal::new(TestBackend::new(w, h)).expect("test backend");
        let mut drawn_over = false;
        let due = (!whole)
            .then(|| panes::due(s, ratatui::layout::Rect::new(0, 0, w, h), &self.kept))
            .flatten();
        if let (Some(due), Some(last)) = (due, &self.last) {
            term.current_buffer_mut().content.clone_from(&last.content);
            self.flips += usize::from(!due.flips.is_empty());
            panes::draw_due(s, &mut term.get_frame(), &due, &mut self.kept);
            drawn_over = true;
        }
        if drawn_over {
            self.over += 1;
        } else {
            let mut f = term.get_frame();
            ui::draw_whole(s, &mut f, &mut self.kept);
            self.whole += 1;
        }
        let buf = term.current_buffer_mut().clone();
        self.last = Some(buf.clone());
        buf
    }
}

fn whole_frame(s: &State, w: u16, h: u16) -> Buffer {
    let mut term = Terminal::new(TestBackend::new(w, h)).expect("test backend");
    let mut f = term.get_frame();
    ui::draw_frame(s, &mut f);
    term.current_buffer_mut().clone()
}

fn differences(a: &Buffer, b: &Buffer) -> Vec<String> {
    let (ta, tb) = (text(a), text(b));
    let mut out: Vec<String> = ta
        .iter()
        .zip(&tb)
        .enumerate()
        .filter(|(_, (x, y))| x != y)
        .map(|(n, (x, y))| format!("row {n}:\n  drawn over: {x}\n  whole:      {y}"))
        .collect();
    if out.is_empty() && a != b {
        let mut cells = a.content.iter().zip(&b.content).enumerate();
        if let Some((n, (x, y))) = cells.find(|(_, (x, y))| x != y) {
            let w = usize::from(a.area.width);
            out.push(format!(
                "same text, another style at {},{}:\n  drawn over: {x:?}\n  whole:      {y:?}",
                n % w,
                n / w
            ));
        }
    }
    out
}

/// No report deadlines: nothing falls overdue (a whole frame) during the walk or the ticks.
fn without_report_deadlines(s: &mut State) {
    s.records.report_rules_mut().rule.clear();
    s.records.report_rules_mut().followup_times.clear();
}

/// Tick from `now()` through `seconds` (past the incident's report deadlines), a second at a time at first and then in uneven
/// steps; every frame must equal the whole frame. Returns how the frames were drawn.
fn walk(s: &mut State, w: u16, h: u16, seconds: i64) -> Console {
    walk_hearing(s, w, h, seconds, None)
}

/// `walk`, with the duty API's stream saying it is alive every `keep_alive` seconds (as
/// its keep-alive comments do), each followed by a frame of its own.
fn walk_hearing(s: &mut State, w: u16, h: u16, seconds: i64, keep_alive: Option<i64>) -> Console {
    update(s, Msg::Resize(w, h));
    let mut console = Console::new();
    console.frame(s, w, h);
    let start = s.now;
    let mut t = start;
    let mut n = 0i64;
    while t < start + SignedDuration::from_secs(seconds) {
        n += 1;
        let step = if n < 150 {
            1
        } else {
            [1, 2, 17, 43, 53, 599][n as usize % 6]
        };
        t += SignedDuration::from_secs(step);
        update(s, Msg::Tick(t));
        let drawn = console.frame(s, w, h);
        let want = whole_frame(s, w, h);
        let diff = differences(&drawn, &want);
        assert!(diff.is_empty(), "at {t} ({w}x{h}):\n{}", diff.join("\n"));
        if let Some(every) = keep_alive
            && t.duration_since(start).as_secs() % every == 0
        {
            update(s, source(SourceEvent::Alive { live: true }, t));
            let drawn = console.frame(s, w, h);
            let want = whole_frame(s, w, h);
            let diff = differences(&drawn, &want);
            assert!(
                diff.is_empty(),
                "keep-alive at {t} ({w}x{h}):\n{}",
                diff.join("\n")
            );
        }
    }
    console
}

#[test]
fn frames_drawn_over_the_last_one_equal_whole_frames_at_every_tick() {
    for (lang, w, h, hours) in [
        (Lang::Zh, 120, 40, 6),
        (Lang::En, 80, 24, 2),
        (Lang::Zh, 200, 50, 1),
    ] {
        let mut s = state();
        s.session.lang = lang;
        let c = walk(&mut s, w, h, hours * 3600);
        assert!(
            c.over > c.whole,
            "{w}x{h}: most frames are drawn over the last ({} over, {} whole)",
            c.over,
            c.whole
        );
        assert!(
            c.flips > 60,
            "{w}x{h}: labels blink by flipping ({})",
            c.flips
        );
    }
}

#[test]
fn with_nothing_blinking_frames_drawn_over_still_equal_whole_frames() {
    let mut s = state();
    // Acknowledged: the labels stop blinking, so the wall is drawn only as ages change.
    for id in ["a-red", "a-orange"] {
        let a = s
            .records
            .alert_mut("duty_api", id)
            .expect("in the snapshot");
        a.ack = Some(Box::new(Ack {
            seat: None,
            officer: "赵某某（示例）".into(),
            note: Default::default(),
            at: now(),
        }));
    }
    without_report_deadlines(&mut s);
    // Past the next shift (+5 h) and many ages.
    let c = walk(&mut s, 120, 40, 6 * 3600);
    assert!(c.over > c.whole, "{} over, {} whole", c.over, c.whole);
    assert_eq!(c.flips, 0, "nothing blinks");
}

#[test]
fn as_the_backend_falls_silent_frames_drawn_over_still_equal_whole_frames() {
    // No contact after the start: the source goes stale, then down (a banner: the layout
    // changes), with the title bar and the status bar saying so by the second.
    let mut s = state();
    s.records.report_rules_mut().rule.clear();
    walk(&mut s, 120, 40, 3600);
    assert!(s.backend_offline().is_some(), "the walk reached OFFLINE");
}

#[test]
fn a_keep_alive_from_the_live_stream_draws_only_the_panes_and_frames_still_equal_whole_ones() {
    let mut s = state();
    without_report_deadlines(&mut s);
    // Past the snapshot's flashes and the new-alert marks; silent that long, the source
    // went stale, and hearing from it again is a whole frame.
    update(&mut s, Msg::Tick(now() + mins(10)));
    s.dirty = false;
    update(
        &mut s,
        source(SourceEvent::Alive { live: true }, now() + mins(10)),
    );
    assert!(s.dirty, "no longer stale: the whole screen");
    s.dirty = false;
    s.clock_moved = false;
    let then = now() + mins(10) + SignedDuration::from_secs(15);
    update(&mut s, Msg::Tick(then));
    s.dirty = false;
    s.clock_moved = false;
    update(&mut s, source(SourceEvent::Alive { live: true }, then));
    assert!(
        s.clock_moved && !s.dirty,
        "only when it was heard from moved"
    );
    // Polling instead of the stream, and back, are other pictures: the whole screen.
    s.clock_moved = false;
    update(&mut s, source(SourceEvent::Alive { live: false }, then));
    assert!(s.dirty, "the stream went down: the whole screen");
    s.dirty = false;
    update(&mut s, source(SourceEvent::Alive { live: true }, then));
    assert!(s.dirty, "live again: the whole screen");
    // Every 15 s, as the backend's keep-alive comes, frames drawn over equal whole ones.
    let mut s = state();
    let c = walk_hearing(&mut s, 120, 40, 3600, Some(15));
    assert!(c.over > c.whole, "{} over, {} whole", c.over, c.whole);
}

#[test]
fn a_tick_that_moves_only_the_clock_asks_for_the_panes_and_one_that_ends_a_flash_for_all() {
    let mut s = state();
    without_report_deadlines(&mut s);
    // Past the snapshot's flashes and the new-alert marks.
    update(&mut s, Msg::Tick(now() + mins(10)));
    s.dirty = false;
    s.clock_moved = false;
    update(
        &mut s,
        Msg::Tick(now() + mins(10) + SignedDuration::from_secs(1)),
    );
    assert!(s.clock_moved && !s.dirty, "only the clock moved");
    s.clock_moved = false;
    update(
        &mut s,
        source(
            SourceEvent::Alert(alert(
                "a-new",
                watchroom::model::Colour::Blue,
                "大风",
                "大风蓝色预警信号",
                "盐田区",
                0,
            )),
            now() + mins(10),
        ),
    );
    s.dirty = false;
    // Within the minute since retention last ran, so only the flash can end.
    let secs = |n: i64| now() + mins(10) + SignedDuration::from_secs(n);
    update(&mut s, Msg::Tick(secs(5)));
    assert!(s.clock_moved && !s.dirty, "the flash is still on");
    s.clock_moved = false;
    update(&mut s, Msg::Tick(secs(30)));
    assert!(s.dirty, "the flash ended: the whole screen");
}

#[test]
fn a_minute_in_which_retention_drops_nothing_moves_only_the_clock() {
    let mut s = state();
    without_report_deadlines(&mut s);
    // Past the snapshot's flashes and the new-alert marks; retention looks at +9 min.
    update(&mut s, Msg::Tick(now() + mins(9)));
    update(&mut s, Msg::Tick(now() + mins(10)));
    // The alerts changed: retention looks at its next minute, and finds nothing to drop.
    let mut more = s.records.alerts()[0].clone();
    more.id = "a-more".into();
    s.records.alerts_mut().push(more);
    s.dirty = false;
    s.clock_moved = false;
    let alerts = s.records.alerts().len();
    let then = now() + mins(10) + SignedDuration::from_secs(1);
    update(&mut s, Msg::Tick(then));
    assert_eq!(s.records.retention.at(), Some(then), "retention looked");
    assert_eq!(s.records.alerts().len(), alerts, "nothing dropped");
    assert!(s.clock_moved && !s.dirty, "only the clock moved");
}
