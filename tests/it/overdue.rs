//! What is overdue: counted in the header, listed worst first by `!` and `:overdue`, and
//! drawn at the watch screen's sizes.

use crate::support::fixture::*;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use watchroom::app::rooms::on_screen;
use watchroom::app::{Lang, Msg, State, overdue, update};
use watchroom::config::ConsoleConfig;
use watchroom::console::initial_state;
use watchroom::model::{Grade, IncidentStatus};
use watchroom::sources::SourceEvent;

fn press(s: &mut State, c: KeyCode) {
    update(s, Msg::Key(KeyEvent::new(c, KeyModifiers::NONE)));
}

fn command(s: &mut State, line: &str) {
    for c in format!(":{line}").chars() {
        press(s, KeyCode::Char(c));
    }
    press(s, KeyCode::Enter);
}

/// The fixture, plus a grade Ⅱ incident taken in 70 minutes ago that has made no report:
/// it is later than the fixture's i-2 and leads the list.
fn two_overdue() -> State {
    let mut event = snapshot();
    if let SourceEvent::Snapshot { incidents, .. } = &mut event {
        let mut older = incident(
            "i-3",
            Grade::II,
            "宝安区某仓库火灾",
            IncidentStatus::Open,
            vec![entry("i-3", "e-9", 70, "接报", "119转来：仓库起火")],
        );
        older.opened_at = now() - mins(70);
        incidents.push(older);
    }
    let mut s = initial_state(&ConsoleConfig::default(), true, now()).expect("valid config");
    update(&mut s, source(event, now()));
    s
}

#[test]
fn the_overdue_list_puts_the_longest_overdue_first() {
    let s = two_overdue();
    let list = overdue::listed(&s);
    let ids: Vec<&str> = list.iter().map(|o| o.incident.id.as_str()).collect();
    assert_eq!(ids, ["i-3", "i-2"]);
    assert!(list[0].minutes(s.now) > list[1].minutes(s.now));
    assert_eq!(overdue::count(&s), 2);
}

#[test]
fn the_header_counts_what_is_overdue_in_both_languages() {
    let mut s = two_overdue();
    let buf = render(&mut s, 120, 40);
    assert!(
        row_text(&buf, 1).contains("逾期 2"),
        "{}",
        row_text(&buf, 1)
    );
    s.session.lang = Lang::En;
    let buf = render(&mut s, 120, 40);
    assert!(
        row_text(&buf, 1).contains("Overdue 2"),
        "{}",
        row_text(&buf, 1)
    );
}

#[test]
fn nothing_overdue_is_not_counted() {
    let mut s = two_overdue();
    update(&mut s, Msg::Tick(now() - mins(69)));
    assert_eq!(overdue::count(&s), 0);
    let buf = render(&mut s, 120, 40);
    assert!(!row_text(&buf, 1).contains("逾期"), "{}", row_text(&buf, 1));
}

#[test]
fn the_bang_key_and_the_overdue_command_open_the_overdue_list() {
    let mut s = two_overdue();
    press(&mut s, KeyCode::Char('!'));
    assert_eq!(on_screen(&s).name, "overdue");
    for line in ["overdue", "逾期"] {
        let mut s = two_overdue();
        command(&mut s, line);
        assert_eq!(on_screen(&s).name, "overdue", ":{line}");
    }
    press(&mut s, KeyCode::Esc);
    assert_eq!(on_screen(&s).name, "watch");
}

#[test]
fn the_overdue_list_draws_each_late_report_at_120x40_and_80x24() {
    for (w, h) in [(120, 40), (80, 24)] {
        let mut s = two_overdue();
        press(&mut s, KeyCode::Char('!'));
        let late = overdue::listed(&s)[0].minutes(s.now);
        let rows = text(&render(&mut s, w, h));
        let title = rows.iter().find(|r| r.contains("逾期 · 2"));
        assert!(title.is_some(), "{w}x{h}:\n{}", rows.join("\n"));
        let first = rows
            .iter()
            .position(|r| r.contains(&format!("逾期 {late} 分钟")))
            .unwrap_or_else(|| panic!("{w}x{h}:\n{}", rows.join("\n")));
        assert!(rows[first].contains("电话初报"), "{}", rows[first]);
        let second = rows
            .iter()
            .position(|r| r.contains("南山区某小区燃气爆炸") && r.contains("逾期"));
        assert!(
            second.is_some_and(|n| n > first),
            "{w}x{h}:\n{}",
            rows.join("\n")
        );
    }
}
