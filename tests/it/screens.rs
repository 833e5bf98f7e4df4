//! The watch screen drawn on a `TestBackend`, at 120×40 and at small sizes.

use crate::support::fixture::*;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::Color;
use watchroom::app::{Msg, State, update};
use watchroom::config::ConsoleConfig;
use watchroom::model::Texts;
use watchroom::sources::SourceEvent;

fn row_with<'a>(rows: &'a [String], needle: &str) -> (usize, &'a String) {
    rows.iter()
        .enumerate()
        .find(|(_, r)| r.contains(needle))
        .unwrap_or_else(|| panic!("no row contains {needle:?}:\n{}", rows.join("\n")))
}

#[test]
fn watch_screen_at_120x40_shows_every_pane() {
    let mut s = state();
    let rows = text(&render(&mut s, 120, 40));
    let screen = rows.join("\n");
    println!("{screen}");
    // Title bar: office, local clock in Asia/Shanghai, leader on duty, DEMO marker.
    let (_, title) = row_with(&rows, "值班室");
    assert!(title.contains("测试市应急管理局"), "{title}");
    assert!(title.contains("2026-11-29 周日 03:12:45"), "{title}");
    assert!(title.contains("带班领导 王某某（示例）"), "{title}");
    assert!(title.contains("DEMO"), "{title}");
    // Counts by colour, with words, not colour alone.
    let (_, summary) = row_with(&rows, "红 1");
    assert!(summary.contains("橙 1") && summary.contains("黄 1") && summary.contains("蓝 1"));
    // Alerts: level label, signal, title, area, source, age; most severe first.
    let (red_y, red) = row_with(&rows, "台风红色预警信号");
    assert!(
        red.contains("红Ⅰ") && red.contains("南山区 福田区") && red.contains("12分钟"),
        "{red}"
    );
    let (orange_y, _) = row_with(&rows, "暴雨橙色预警信号");
    let (blue_y, _) = row_with(&rows, "发热门诊哨点异常报告");
    assert!(red_y < orange_y && orange_y < blue_y);
    // Incidents and the selected (first open) incident's timeline, minute-stamped.
    row_with(&rows, "南山区某小区燃气爆炸");
    row_with(&rows, "福田区道路积水");
    let (_, tl) = row_with(&rows, "02:41");
    assert!(tl.contains("接报") && tl.contains("110转来"), "{tl}");
    // On duty now and next, with phones.
    let (_, chief) = row_with(&rows, "值班长");
    assert!(
        chief.contains("李某某（示例）") && chief.contains("100-0000-0102"),
        "{chief}"
    );
    row_with(&rows, "下一班 11-29 08:12");
    // Status bar: source health and key hints from the keymap.
    let (y, status) = row_with(&rows, "duty_api");
    assert_eq!(y, 39, "status bar is the last row");
    assert!(
        status.contains("✓ 实时") && status.contains("? 帮助") && status.contains("q 退出"),
        "{status}"
    );
}

#[test]
fn severity_is_coloured_and_labelled() {
    let mut s = state();
    let buf = render(&mut s, 120, 40);
    let rows = text(&buf);
    let (y, _) = row_with(&rows, "台风红色预警信号");
    // The label cell carries the red role's background and the words 红Ⅰ.
    let x = (0..120)
        .find(|&x| buf[(x, y as u16)].symbol() == "红")
        .expect("red label");
    assert_eq!(buf[(x, y as u16)].bg, Color::Indexed(160));
    assert_eq!(buf[(x + 2, y as u16)].symbol(), "Ⅰ");
}

#[test]
fn english_screen_uses_english_labels() {
    let cfg = ConsoleConfig {
        language: "en".into(),
        ..ConsoleConfig::default()
    };
    let mut s = state_in(&cfg);
    let rows = text(&render(&mut s, 120, 40));
    println!("{}", rows.join("\n"));
    row_with(&rows, "RED Ⅰ");
    row_with(&rows, "Leader on duty");
    row_with(&rows, "Sun 29 Nov 2026 03:12:45");
    let (_, status) = row_with(&rows, "duty_api");
    assert!(
        status.contains("✓ live") && status.contains("? Help"),
        "{status}"
    );
}

#[test]
fn smallest_supported_size_still_shows_the_worst_alert_and_health() {
    let mut s = state();
    let rows = text(&render(&mut s, 80, 24));
    println!("{}", rows.join("\n"));
    row_with(&rows, "台风红色预警信号");
    row_with(&rows, "duty_api");
    row_with(&rows, "在岗");
}

#[test]
fn too_small_terminal_says_what_it_needs() {
    let mut s = state();
    let rows = text(&render(&mut s, 40, 10));
    let screen = rows.join("\n");
    assert!(
        screen.contains("终端太小") && screen.contains("80×24") && screen.contains("40×10"),
        "{screen}"
    );
}

#[test]
fn help_overlay_lists_the_keymap() {
    let mut s = state();
    update(&mut s, key('?'));
    let rows = text(&render(&mut s, 120, 40));
    let screen = rows.join("\n");
    println!("{screen}");
    for b in s
        .session
        .keymap
        .in_mode(watchroom::app::keymap::Mode::Watch)
    {
        let words = b.text(watchroom::app::Lang::Zh);
        assert!(screen.contains(words), "help misses {words:?}");
    }
    row_with(&rows, "Tab");
    row_with(&rows, "j / Down");
}

#[test]
fn alert_details_show_the_full_text() {
    let mut s = state();
    update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
    );
    let rows = text(&render(&mut s, 120, 40));
    let (_, lvl) = row_with(&rows, "级别");
    assert!(lvl.contains("Ⅰ级 特别严重"), "{lvl}");
    row_with(&rows, "测试描述");
    row_with(&rows, "2026-11-29 周日 03:00");
}

#[test]
fn an_offline_source_says_why_and_since_when() {
    let mut s = state();
    update(
        &mut s,
        source(
            SourceEvent::Failed {
                reason: "connection refused".into(),
            },
            now(),
        ),
    );
    let rows = text(&render(&mut s, 120, 40));
    let (_, status) = row_with(&rows, "duty_api");
    assert!(
        status.contains("✗ 离线 03:12 (connection refused)"),
        "{status}"
    );
}

fn with_experts() -> State {
    let mut s = state();
    let dir = watchroom::server::demo_expert_directory().expect("demo experts");
    update(&mut s, source(SourceEvent::Experts(dir), now()));
    s
}

#[test]
fn expert_view_shows_tree_list_and_card_with_leaders_first() {
    let mut s = with_experts();
    update(&mut s, key('e'));
    for c in "ranqi".chars() {
        update(&mut s, key(c));
    }
    let rows = text(&render(&mut s, 120, 40));
    let screen = rows.join("\n");
    println!("{screen}");
    row_with(&rows, "全部 ");
    row_with(&rows, "190");
    row_with(&rows, "建设工程与城市生命线");
    let (first_y, first) = row_with(&rows, "▌");
    assert!(
        first.contains("组长") && first.contains("100-0000-"),
        "{first}"
    );
    assert!(first_y < 10);
    row_with(&rows, "燃气");
    row_with(&rows, "电话：100-0000-");
}

#[test]
fn expert_view_fits_a_small_terminal() {
    let mut s = with_experts();
    update(&mut s, key('e'));
    for c in "zmw".chars() {
        update(&mut s, key(c));
    }
    let rows = text(&render(&mut s, 80, 24));
    println!("{}", rows.join("\n"));
    row_with(&rows, "张某伟");
}

#[test]
fn exercises_and_tests_are_marked_on_the_wall() {
    let mut s = state();
    let mut drill = alert(
        "a-drill",
        watchroom::model::Colour::Red,
        "台风",
        "台风红色预警信号",
        "全市",
        1,
    );
    drill.status = "exercise".into();
    update(&mut s, source(SourceEvent::Alert(drill), now()));
    let rows = text(&render(&mut s, 120, 40));
    let marked = rows
        .iter()
        .filter(|r| r.contains("【演练】台风红色预警信号"))
        .count();
    assert_eq!(marked, 1, "{}", rows.join("\n"));
}

/// Any CJK character (ideographs, CJK punctuation, full-width forms): box drawing, Ⅰ–Ⅳ,
/// "·" and "…" are not.
fn cjk(c: char) -> bool {
    matches!(c as u32, 0x2E80..=0x9FFF | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFFEF)
}

fn no_cjk(rows: &[String], what: &str) {
    for (y, r) in rows.iter().enumerate() {
        assert!(
            !r.chars().any(cjk),
            "{what}: row {y} has Chinese on an English screen: {r:?}\n{}",
            rows.join("\n")
        );
    }
}

/// English, with every piece of data in ASCII: any Chinese left on screen is chrome that
/// does not follow the language (or a duty-room word without its English). Timeline
/// kinds and report labels stay Chinese, as the backend records them.
fn english_ascii_state() -> State {
    let cfg = ConsoleConfig {
        language: "en".into(),
        office: "Test City EMB".into(),
        ..ConsoleConfig::default()
    };
    let mut s = state_in(&cfg);
    for (n, a) in s.records.alerts_mut().iter_mut().enumerate() {
        a.texts = Texts::new(&format!("Warning number {n}"), "A test description.");
        a.signal_type = "Storm".into();
        a.area = "Nanshan".into();
        a.source = "Test Met Office".into();
    }
    for i in s.records.incidents_mut().iter_mut() {
        i.title = format!("Gas explosion {}", i.id);
        i.category = "gas".into();
        i.district = "Nanshan".into();
        for e in i.timeline.iter_mut() {
            e.author = "Officer A".into();
            e.text = "Reported by phone".into();
            if e.kind == "批示" {
                e.leader = Some("Leader B".into());
            }
        }
    }
    for (n, sh) in s.records.shifts.iter_mut().enumerate() {
        sh.person = format!("Person {n}");
    }
    s.session.officer = Some("Officer A".into());
    // The demo's welcome names the (Chinese) officer it picked.
    s.view.flash = None;
    s
}

#[test]
fn english_screens_have_no_chinese_outside_the_data() {
    for (w, h) in [(120, 40), (80, 24)] {
        let mut s = english_ascii_state();
        let rows = text(&render(&mut s, w, h));
        no_cjk(&rows, &format!("watch screen {w}x{h}"));
        // The incident's timeline shows the duty-room words in English.
        if h == 40 {
            row_with(&rows, "intake");
            row_with(&rows, "verified");
            row_with(&rows, "instruction");
            // The phone report the 较大 incident owes, with its countdown.
            row_with(&rows, "phone report");
        }
        // Every overlay and prompt, in turn.
        let steps: &[(&str, &[KeyCode])] = &[
            ("help", &[KeyCode::Char('?')]),
            ("alert details", &[KeyCode::Enter]),
            ("incident details", &[KeyCode::Tab, KeyCode::Enter]),
            ("command line", &[KeyCode::Char(':')]),
            ("filter line", &[KeyCode::Char('/'), KeyCode::Char('r')]),
            ("log form", &[KeyCode::Tab, KeyCode::Char('l')]),
            ("intake form", &[KeyCode::Char('n')]),
            ("silence form", &[KeyCode::Char('s')]),
            ("silences", &[KeyCode::Char('S')]),
            ("instructions", &[KeyCode::Char('I')]),
            ("handover", &[KeyCode::Char('h')]),
        ];
        for (what, keys) in steps {
            let mut s = english_ascii_state();
            for k in *keys {
                update(&mut s, Msg::Key(KeyEvent::new(*k, KeyModifiers::NONE)));
            }
            let rows = text(&render(&mut s, w, h));
            no_cjk(&rows, &format!("{what} {w}x{h}"));
        }
        for line in ["sources", "thme", "theme nope"] {
            let mut s = english_ascii_state();
            update(&mut s, key(':'));
            for c in line.chars() {
                update(&mut s, key(c));
            }
            update(
                &mut s,
                Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
            );
            let rows = text(&render(&mut s, w, h));
            no_cjk(&rows, &format!(":{line} {w}x{h}"));
        }
    }
}

#[test]
fn chinese_screen_keeps_its_chinese_date_and_words() {
    let mut s = state();
    let rows = text(&render(&mut s, 120, 40));
    row_with(&rows, "2026-11-29 周日 03:12:45");
    row_with(&rows, "接报");
    row_with(&rows, "电话初报");
}

#[test]
fn the_filter_line_shows_what_is_typed_and_how_many_match() {
    let mut s = state();
    for c in "/红".chars() {
        update(&mut s, key(c));
    }
    let rows = text(&render(&mut s, 120, 40));
    let bottom = &rows[39];
    assert!(bottom.starts_with("/红"), "{bottom}");
    assert!(bottom.contains("1/4"), "{bottom}");
    assert!(
        bottom.contains("Enter 保留") && bottom.contains("Esc 清除"),
        "{bottom}"
    );
    let (_, title) = row_with(&rows, "预警 Alerts [红] 1/4");
    assert!(!title.contains("暴雨橙色"), "{title}");
    assert!(!rows.iter().any(|r| r.contains("暴雨橙色预警信号")));
    // Enter keeps the filter in the pane title; the status bar comes back.
    update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
    );
    let rows = text(&render(&mut s, 120, 40));
    row_with(&rows, "预警 Alerts [红] 1/4");
    assert!(rows[39].starts_with(" 源"), "{}", rows[39]);
    // English: the same in English words.
    s.session.lang = watchroom::app::Lang::En;
    let rows = text(&render(&mut s, 120, 40));
    row_with(&rows, "Alerts [红] 1/4");
}

#[test]
fn the_command_line_shows_candidates_and_an_unknown_command_in_the_status_line() {
    let mut s = state();
    for c in ":s".chars() {
        update(&mut s, key(c));
    }
    update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE)),
    );
    let rows = text(&render(&mut s, 120, 40));
    let bottom = &rows[39];
    assert!(bottom.starts_with(":sources "), "{bottom}");
    assert!(bottom.contains("sources  silences"), "{bottom}");
    update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)),
    );
    for c in ":thme".chars() {
        update(&mut s, key(c));
    }
    update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
    );
    let rows = text(&render(&mut s, 120, 40));
    let bottom = &rows[39];
    assert!(
        bottom.contains("未知命令 :thme") && bottom.contains(":theme"),
        "{bottom}"
    );
    assert!(
        bottom.contains("duty_api"),
        "health stays in sight: {bottom}"
    );
}

#[test]
fn the_sources_overlay_lists_kind_status_times_and_reason() {
    let mut s = state();
    s.session.source_kinds = vec![
        ("duty_api".into(), "duty API".into()),
        ("气象CAP".into(), "cap".into()),
    ];
    update(
        &mut s,
        Msg::Source(watchroom::sources::SourceUpdate {
            source: "气象CAP".into(),
            at: now(),
            event: SourceEvent::Failed {
                reason: "HTTP 503 from https://example.org/cap".into(),
            },
        }),
    );
    for c in ":sources".chars() {
        update(&mut s, key(c));
    }
    update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
    );
    let rows = text(&render(&mut s, 120, 40));
    println!("{}", rows.join("\n"));
    row_with(&rows, "数据源");
    let (_, duty) = row_with(&rows, "duty API");
    assert!(
        duty.contains("✓ 实时") && duty.contains("11-29 03:12:45"),
        "{duty}"
    );
    let (y, cap) = row_with(&rows, "气象CAP ");
    assert!(cap.contains("✗ 离线") && cap.contains("cap"), "{cap}");
    assert!(rows[y + 1].contains("原因：") && rows[y + 1].contains("HTTP 503"));
}

#[test]
fn exercises_and_tests_stay_on_the_wall_but_never_count_as_warnings_in_force() {
    let mut s = state();
    let before = s.alert_counts();
    let earlier = watchroom::app::handover::report(&s, "");
    for (id, status, colour) in [
        ("a-drill", "exercise", watchroom::model::Colour::Orange),
        ("a-probe", "test", watchroom::model::Colour::Red),
    ] {
        let mut a = alert(id, colour, "台风", "台风预警信号", "全市", 1);
        a.status = status.into();
        update(&mut s, source(SourceEvent::Alert(a), now()));
    }
    assert_eq!(
        s.alert_counts(),
        before,
        "the tallies hold live warnings only"
    );
    let report = watchroom::app::handover::report(&s, "");
    assert_eq!(
        report.warnings_in_force.len(),
        earlier.warnings_in_force.len()
    );
    assert_eq!(
        report.received, earlier.received,
        "nor among those received"
    );
    assert!(
        !report
            .unacknowledged
            .iter()
            .any(|l| l.title == "台风预警信号")
    );
    let rows = text(&render(&mut s, 120, 40));
    for mark in ["【演练】台风预警信号", "【测试】台风预警信号"] {
        assert!(
            rows.iter().any(|r| r.contains(mark)),
            "{mark}:\n{}",
            rows.join("\n")
        );
    }
    assert!(
        row_text(&render(&mut s, 120, 40), 1).contains(&format!("红 {}", before[3])),
        "the header's red tally is unchanged"
    );
}

#[test]
fn an_incident_without_a_category_shows_its_grade_without_empty_brackets() {
    let mut s = state();
    let bare = {
        let mut i = s.records.find_incident("i-2").expect("fixture").clone();
        i.category = String::new();
        i
    };
    update(&mut s, source(SourceEvent::Incident(bare), now()));
    s.view.selected_incident = Some("i-2".into());
    s.view.focus = watchroom::app::Pane::Incidents;
    update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
    );
    let rows = text(&render(&mut s, 120, 40));
    let (_, grade) = row_with(&rows, "等级");
    assert!(!grade.contains("()"), "{grade}");
}

fn failed(reason: &str) -> SourceEvent {
    SourceEvent::Failed {
        reason: reason.into(),
    }
}

#[test]
fn with_no_data_ever_the_screen_says_it_does_not_know_rather_than_none() {
    let mut s = watchroom::console::initial_state(&Default::default(), true, now())
        .expect("default config");
    update(&mut s, source(failed("connection refused"), now()));
    let rows = text(&render(&mut s, 120, 40));
    let all = rows.join("\n");
    assert!(all.contains("尚无数据"), "{all}");
    assert!(all.contains("尚无排班数据"), "{all}");
    assert!(!all.contains("当前无生效预警"), "{all}");
    assert!(!all.contains("此刻无人在岗"), "{all}");
}

#[test]
fn with_the_backend_offline_an_empty_wall_says_as_of_when() {
    let mut s = watchroom::console::initial_state(&Default::default(), true, now())
        .expect("default config");
    let empty = SourceEvent::Snapshot {
        alerts: Vec::new(),
        incidents: Vec::new(),
        shifts: Vec::new(),
    };
    update(&mut s, source(empty, now()));
    let rows = text(&render(&mut s, 120, 40));
    assert!(
        rows.join("\n").contains("当前无生效预警"),
        "live and empty: none"
    );
    let later = now() + mins(10);
    update(&mut s, source(failed("connection refused"), later));
    update(&mut s, Msg::Tick(later));
    let all = text(&render(&mut s, 120, 40)).join("\n");
    assert!(all.contains("03:12 时无生效预警；此后没有数据"), "{all}");
    assert!(
        all.contains("的排班表中此刻无人在岗；此后没有数据"),
        "{all}"
    );
}
