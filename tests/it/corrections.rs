//! Corrections (更正): an entry is never edited; a new entry names the one it corrects, and
//! the console shows both — the correction with what it corrects, the original with a mark
//! and its text as it was. Written with `c`, queued like any entry, posted to the backend.

use crate::support::fixture::*;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::time::Duration;
use watchroom::app::command::{CommandBody, Outcome};
use watchroom::app::form::FormKind;
use watchroom::app::{DetailTarget, Effect, Lang, Msg, Overlay, State, update};
use watchroom::config::ConsoleConfig;
use watchroom::model::*;
use watchroom::sources::SourceEvent;
use watchroom::ui::theme::Role;

fn code(k: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(k, KeyModifiers::NONE))
}

fn typed(s: &mut State, text: &str) {
    for c in text.chars() {
        update(s, key(c));
    }
}

fn with_officer(mut s: State) -> State {
    s.session.officer = Some("测试甲".into());
    s.actions.key_prefix = "t".into();
    s
}

fn sent(effects: &[Effect]) -> Vec<&watchroom::app::command::Command> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Send(c) => Some(c),
            _ => None,
        })
        .collect()
}

fn row_with<'a>(rows: &'a [String], needle: &str) -> &'a String {
    rows.iter()
        .find(|r| r.contains(needle))
        .unwrap_or_else(|| panic!("no row contains {needle:?}:\n{}", rows.join("\n")))
}

/// Where `needle` starts on row `y`, in cells.
fn cell_of(buf: &ratatui::buffer::Buffer, y: u16, needle: &str) -> u16 {
    let first = needle.chars().next().expect("a needle");
    let row = row_text(buf, y);
    let at = row.find(needle).expect("the needle on its row");
    let x = unicode_width::UnicodeWidthStr::width(&row[..at]) as u16;
    assert_eq!(buf[(x, y)].symbol(), first.to_string());
    x
}

fn row_of(rows: &[String], needle: &str) -> u16 {
    rows.iter()
        .position(|r| r.contains(needle))
        .unwrap_or_else(|| panic!("no row contains {needle:?}:\n{}", rows.join("\n"))) as u16
}

/// The fixture's gas explosion, whose 接报 (02:41) a later 更正 (03:04) corrects.
fn corrected_state(lang: &str) -> State {
    let cfg = ConsoleConfig {
        language: lang.into(),
        ..ConsoleConfig::default()
    };
    let mut s = state_in(&cfg);
    let SourceEvent::Snapshot {
        alerts,
        mut incidents,
        shifts,
    } = snapshot()
    else {
        unreachable!("the fixture is a snapshot")
    };
    let gas = incidents
        .iter_mut()
        .find(|i| i.id == "i-2")
        .expect("the gas explosion");
    let mut correction = entry("i-2", "e-4", 8, "更正", "伤者为3人（前报2人有误）");
    correction.corrects = Some("e-1".into());
    gas.timeline.push(correction);
    update(
        &mut s,
        source(
            SourceEvent::Snapshot {
                alerts,
                incidents,
                shifts,
            },
            now(),
        ),
    );
    s
}

#[test]
fn c_writes_a_correction_of_the_chosen_entry_shown_at_once_and_queued_with_what_it_corrects() {
    let mut s = with_officer(state());
    update(&mut s, key('c'));
    let Overlay::Form(form) = &s.view.overlay else {
        panic!("c opens a form: {:?}", s.view.overlay)
    };
    assert_eq!(
        form.kind,
        FormKind::Correction {
            incident_id: "i-2".into()
        }
    );
    // The incident's entries, newest first.
    assert_eq!(form.fields[0].choices, ["e-3", "e-2", "e-1"]);
    let rows = text(&render(&mut s, 120, 40));
    row_with(&rows, "更正 · 南山区某小区燃气爆炸");
    row_with(&rows, "◀ 02:58 批示 全力救治，30分钟续报 ▶");

    // The first report, two steps back; the text is required.
    update(&mut s, code(KeyCode::Right));
    update(&mut s, code(KeyCode::Right));
    update(&mut s, code(KeyCode::Tab));
    update(&mut s, code(KeyCode::Enter));
    assert!(matches!(&s.view.overlay, Overlay::Form(f) if f.flagged == [1]));
    typed(&mut s, "伤者为3人");
    let effects = update(&mut s, code(KeyCode::Enter));
    assert_eq!(s.view.overlay, Overlay::None);
    let [command] = sent(&effects)[..] else {
        panic!("one command: {effects:?}")
    };
    assert_eq!(
        command.body,
        CommandBody::Timeline {
            incident_id: "i-2".into(),
            author: "测试甲".into(),
            kind: "更正".into(),
            text: "伤者为3人".into(),
            at: now(),
            leader: None,
            assignee: None,
            refers_to: None,
            corrects: Some("e-1".into()),
        }
    );
    assert_eq!(command.body.request(&command.key).1["corrects"], "e-1");
    assert_eq!(s.actions.queue.len(), 1);

    // Its pending copy is a correction already, and the original keeps its text.
    let gas = s.records.find_incident("i-2").expect("the incident");
    let copy = gas.timeline.last().expect("the copy");
    assert_eq!(
        (copy.kind.as_str(), copy.corrects.as_deref()),
        ("更正", Some("e-1"))
    );
    assert_eq!(gas.timeline[0].text, "110转来：燃气爆炸，2人受伤");
    let rows = text(&render(&mut s, 120, 40));
    let original = row_with(&rows, "110转来");
    assert!(original.contains("（已更正）"), "{original}");
    let correction = row_with(&rows, "伤者为3人");
    assert!(
        correction.contains("更正 → 02:41 接报 伤者为3人"),
        "{correction}"
    );
}

#[test]
fn an_incident_with_nothing_delivered_offers_nothing_to_correct() {
    let mut s = with_officer(state());
    // Only a copy still in the outbox: the backend has no id for it yet.
    update(&mut s, key('l'));
    update(&mut s, code(KeyCode::Tab));
    typed(&mut s, "现场已封控");
    update(&mut s, code(KeyCode::Enter));
    let gas = s
        .records
        .incidents_mut()
        .iter_mut()
        .find(|i| i.id == "i-2")
        .expect("the incident");
    gas.timeline.retain(|e| e.idempotency_key.is_some());
    assert_eq!(gas.timeline.len(), 1);
    update(&mut s, key('c'));
    assert_eq!(s.view.overlay, Overlay::None);
    let said = s.view.flash.as_ref().map(|f| f.text.clone());
    assert!(
        said.as_deref()
            .is_some_and(|t| t.contains("还没有可更正的条目")),
        "{said:?}"
    );
}

#[test]
fn the_timeline_marks_the_corrected_entry_and_shows_what_a_correction_corrects() {
    for (lang, mark, reference, kind, intake) in [
        ("zh", "（已更正）", "→ 02:41 接报", "更正", "接报"),
        (
            "en",
            "(corrected)",
            "→ 02:41 intake",
            "correction",
            "intake",
        ),
    ] {
        for (w, h) in [(120, 40), (80, 24)] {
            let mut s = corrected_state(lang);
            let buf = render(&mut s, w, h);
            let rows = text(&buf);
            println!("{lang} {w}x{h}\n{}", rows.join("\n"));
            // The original: its text as it was (cut only where the pane is narrow), the
            // mark after it in the stale role.
            let original = row_with(&rows, "│02:41");
            let whole = "110转来：燃气爆炸，2人受伤";
            let from = original.find(intake).expect("its kind") + intake.len();
            let shown = original[from..]
                .trim_start()
                .split_once(&format!(" {mark}"))
                .map(|(text, _)| text)
                .unwrap_or_else(|| panic!("no mark after the text: {original}"));
            let stem = shown.strip_suffix('…').unwrap_or(shown);
            assert!(
                shown == whole || (shown != stem && whole.starts_with(stem)),
                "{lang} {w}x{h}: {original}"
            );
            if (lang, w) == ("zh", 120) {
                assert_eq!(shown, whole, "room enough for all of it");
                // The incident's latest step is the instruction, not the correction.
                let listed = row_with(&rows, "│▌较大");
                assert!(
                    listed.contains("批示") && !listed.contains("更正"),
                    "{listed}"
                );
            }
            let y = row_of(&rows, "│02:41");
            let x = cell_of(&buf, y, mark);
            assert_eq!(Some(buf[(x, y)].fg), s.theme().get(Role::Stale).fg);
            // The correction: its kind, then what it corrects (muted), then its text.
            let correction = row_with(&rows, "03:04");
            let y = row_of(&rows, "03:04");
            assert!(
                correction.contains(&format!("03:04 {kind}")),
                "{lang} {w}x{h}: {correction}"
            );
            // A narrow pane names it by its time alone and keeps some of the text.
            let reference = if correction.contains(reference) {
                reference
            } else {
                "→ 02:41"
            };
            if w == 120 {
                assert!(correction.contains(reference), "{lang}: {correction}");
            }
            assert!(
                correction.contains(&format!("{reference} 伤者")),
                "{lang} {w}x{h}: {correction}"
            );
            assert!(!correction.contains(mark), "{correction}");
            let x = cell_of(&buf, y, reference);
            assert_eq!(Some(buf[(x, y)].fg), s.theme().get(Role::Muted).fg);
            // Nothing else is marked.
            assert!(!row_with(&rows, "区应急办确认").contains(mark));
        }
    }
}

#[test]
fn a_pane_too_narrow_for_the_text_still_shows_the_mark() {
    let mut s = corrected_state("en");
    // "written report" widens the kind column to 14 cells.
    let gas = s
        .records
        .incidents_mut()
        .iter_mut()
        .find(|i| i.id == "i-2")
        .expect("the incident");
    gas.timeline
        .push(entry("i-2", "e-5", 5, "书面报告", "书面报告已报送"));
    let rows = text(&render(&mut s, 80, 24));
    let original = row_with(&rows, "│02:41");
    assert!(
        original.contains("intake         (corrected)│"),
        "{original}"
    );
}

#[test]
fn the_incident_detail_marks_the_corrected_entry_and_names_what_corrects_it() {
    for (lang, mark, reference) in [
        ("zh", "（已更正）", "→ 11-29 02:41 接报"),
        ("en", "(corrected)", "→ 11-29 02:41 intake"),
    ] {
        let mut s = corrected_state(lang);
        s.view.overlay = Overlay::Detail {
            target: DetailTarget::Incident("i-2".into()),
            scroll: 0,
        };
        let rows = text(&render(&mut s, 120, 40));
        println!("{}", rows.join("\n"));
        let original = row_with(&rows, "110转来");
        assert!(original.contains(mark), "{original}");
        let correction = row_with(&rows, "伤者为3人");
        assert!(correction.contains(reference), "{correction}");
        assert!(!correction.contains(mark), "{correction}");
    }
}

#[test]
fn the_help_and_a_read_only_wall_know_the_correct_key() {
    let mut s = state();
    s.session.lang = Lang::En;
    update(&mut s, key('?'));
    let rows = text(&render(&mut s, 120, 40));
    assert!(
        rows.iter().any(|r| r.contains("Correct an entry")),
        "{}",
        rows.join("\n")
    );
    let mut wall = state();
    wall.session.read_only = true;
    wall.session.officer = Some("测试甲".into());
    update(&mut wall, key('c'));
    assert_eq!(wall.view.overlay, Overlay::None);
}

// End to end -----------------------------------------------------------------------------

const STEP: Duration = Duration::from_secs(20);

async fn within<T>(what: &str, fut: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(STEP, fut)
        .await
        .unwrap_or_else(|_| panic!("timed out: {what}"))
}

#[tokio::test]
async fn a_correction_reaches_the_backend_naming_its_entry_and_the_entry_stays_as_it_was() {
    use watchroom::client::{ClosedIncidents, DutyClient};
    use watchroom::server::{Clock, Role as Duty, ServeOptions};
    let dir = tempfile::tempdir().expect("temp dir");
    let running = within(
        "server start",
        watchroom::server::start(ServeOptions {
            clock: Clock::from_fn(now),
            ..ServeOptions::demo(
                "127.0.0.1:0".parse().expect("address"),
                dir.path().join("duty.sqlite"),
            )
        }),
    )
    .await
    .expect("server starts");
    let token = running
        .add_user("测试甲", Duty::Officer, false)
        .await
        .expect("a personal token");
    let client =
        DutyClient::new(&format!("http://{}", running.addr), &token).expect("a duty client");
    let (before, _) = within("incidents", client.incidents(0, ClosedIncidents::Leave))
        .await
        .expect("the demo incidents");

    let mut s = with_officer(
        watchroom::console::initial_state(&ConsoleConfig::default(), true, now())
            .expect("default config is valid"),
    );
    let snapshot = |incidents: Vec<Incident>| {
        source(
            SourceEvent::Snapshot {
                alerts: Vec::new(),
                incidents,
                shifts: Vec::new(),
            },
            now(),
        )
    };
    update(&mut s, snapshot(before.clone()));
    let incident = s.selected_incident().expect("an open incident").clone();
    let original = incident
        .timeline
        .last()
        .expect("the demo incident has entries")
        .clone();

    update(&mut s, key('c'));
    update(&mut s, code(KeyCode::Tab));
    typed(&mut s, "伤者为3人（前报有误）");
    let effects = update(&mut s, code(KeyCode::Enter));
    let [command] = sent(&effects)[..] else {
        panic!("one command: {effects:?}")
    };
    within("send", client.send(command))
        .await
        .expect("the backend takes the correction");
    update(
        &mut s,
        Msg::CommandResult {
            key: command.key.clone(),
            outcome: Outcome::Accepted,
        },
    );

    let (after, _) = within("incidents", client.incidents(0, ClosedIncidents::Leave))
        .await
        .expect("the incidents again");
    let stored = after
        .iter()
        .find(|i| i.id == incident.id)
        .expect("the incident");
    let correction = stored
        .timeline
        .iter()
        .find(|e| e.kind == "更正")
        .expect("the correction is stored");
    assert_eq!(correction.corrects.as_deref(), Some(original.id.as_str()));
    assert_eq!(correction.text, "伤者为3人（前报有误）");
    assert_eq!(correction.author, "测试甲");
    assert_eq!(
        correction.idempotency_key.as_deref(),
        Some(command.key.as_str())
    );
    let kept = before
        .iter()
        .find(|i| i.id == incident.id)
        .and_then(|i| i.timeline.iter().find(|e| e.id == original.id))
        .expect("the original as first read");
    let now_stored = stored
        .timeline
        .iter()
        .find(|e| e.id == original.id)
        .expect("the original is still there");
    assert_eq!(now_stored, kept, "the corrected entry was changed");
    assert_eq!(stored.timeline.len(), incident.timeline.len() + 1);

    // The backend's copy replaces the console's: one correction, the original marked.
    update(&mut s, snapshot(after.clone()));
    let shown = s.records.find_incident(&incident.id).expect("the incident");
    assert_eq!(
        shown.timeline.iter().filter(|e| e.kind == "更正").count(),
        1
    );
    let rows = text(&render(&mut s, 120, 40));
    let marked = rows.iter().filter(|r| r.contains("（已更正）")).count();
    assert_eq!(marked, 1, "{}", rows.join("\n"));
    within("shutdown", running.shutdown()).await;
}
