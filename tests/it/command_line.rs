//! The `:` command line and the `/` filter, through `update()` only: keys in, state out.

use crate::support::fixture::*;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use watchroom::app::command_line::PromptKind;
use watchroom::app::filter::FilterTarget;
use watchroom::app::keymap::Mode;
use watchroom::app::lists::{ListKind, ListView};
use watchroom::app::{Effect, Lang, Msg, Overlay, Pane, State, update};
use watchroom::sources::SourceEvent;
use watchroom::ui::theme::Theme;

fn code(k: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(k, KeyModifiers::NONE))
}

/// Type text as key presses (Chinese too).
fn type_in(s: &mut State, text: &str) -> Vec<Effect> {
    let mut effects = Vec::new();
    for c in text.chars() {
        effects.extend(update(s, code(KeyCode::Char(c))));
    }
    effects
}

/// `:` + the line + Enter.
fn command(s: &mut State, line: &str) -> Vec<Effect> {
    let mut effects = type_in(s, ":");
    effects.extend(type_in(s, line));
    effects.extend(update(s, code(KeyCode::Enter)));
    effects
}

fn prompt_text(s: &State) -> String {
    s.view
        .prompt
        .as_ref()
        .expect("the prompt is open")
        .input
        .text()
        .to_owned()
}

fn shown_alert_ids(s: &State) -> Vec<String> {
    s.shown_alerts().iter().map(|a| a.id.to_string()).collect()
}

fn with_experts() -> State {
    let mut s = state();
    let dir = watchroom::server::demo_expert_directory().expect("demo experts");
    update(&mut s, source(SourceEvent::Experts(dir), now()));
    s
}

#[test]
fn colon_opens_the_command_line_and_esc_leaves_it() {
    let mut s = state();
    type_in(&mut s, ":");
    assert_eq!(s.mode(), Mode::Prompt);
    assert_eq!(s.view.prompt.as_ref().unwrap().kind, PromptKind::Command);
    // Letters that are keys on the watch screen type into the line instead.
    type_in(&mut s, "qj");
    assert_eq!(prompt_text(&s), "qj");
    assert!(!s.quit);
    update(&mut s, code(KeyCode::Esc));
    assert!(s.view.prompt.is_none());
    assert_eq!(s.mode(), Mode::Watch);
}

#[test]
fn experts_command_opens_the_lookup_with_the_query_typed_in() {
    for line in ["experts 燃气", "专家 燃气", "exp 燃气"] {
        let mut s = with_experts();
        command(&mut s, line);
        let Overlay::Experts(view) = &s.view.overlay else {
            panic!(
                ":{line} did not open the expert lookup: {:?}",
                s.view.overlay
            );
        };
        assert_eq!(view.query.text(), "燃气", ":{line}");
        assert!(!view.hits.is_empty(), ":{line} found nobody for 燃气");
        let pool = s.records.expert_pool.as_ref().unwrap();
        let first = pool.expert(&view.hits[0]).unwrap();
        assert!(
            first.specialties.iter().any(|x| x.contains("燃气")) || first.group.contains("生命线"),
            "{first:?}"
        );
    }
}

#[test]
fn theme_command_switches_a_built_in_theme_at_once() {
    let mut s = state();
    assert_eq!(s.theme().name, "dark");
    let effects = command(&mut s, "theme night");
    assert!(
        effects.is_empty(),
        "a built-in theme needs no disk: {effects:?}"
    );
    assert_eq!(s.theme().name, "night");
    assert_eq!(s.theme(), &Theme::builtin("night").unwrap());
    let n = s.view.notice.as_ref().expect("the switch is confirmed");
    assert!(!n.error && n.text.contains("night"), "{n:?}");
}

#[test]
fn theme_command_reads_a_user_theme_through_an_effect() {
    let mut s = state();
    s.session.user_themes = vec!["duty-room".into()];
    let effects = command(&mut s, "theme duty-room");
    assert_eq!(effects, vec![Effect::LoadTheme("duty-room".into())]);
    assert_eq!(
        s.theme().name,
        "dark",
        "nothing changes until the file is read"
    );
    let mut loaded = Theme::builtin("light").unwrap();
    loaded.name = "duty-room".into();
    update(
        &mut s,
        Msg::ThemeLoaded {
            name: "duty-room".into(),
            result: Ok(loaded.clone()),
        },
    );
    assert_eq!(s.theme(), &loaded);
    update(
        &mut s,
        Msg::ThemeLoaded {
            name: "broken".into(),
            result: Err("themes/broken.toml:3: unknown role".into()),
        },
    );
    let n = s.view.notice.as_ref().unwrap();
    assert!(n.error && n.text.contains("themes/broken.toml:3"), "{n:?}");
    assert_eq!(
        s.theme(),
        &loaded,
        "a theme that cannot be read changes nothing"
    );
}

#[test]
fn an_unknown_theme_is_named_with_the_ones_there_are() {
    let mut s = state();
    command(&mut s, "theme nigth");
    assert_eq!(s.theme().name, "dark");
    let n = s.view.notice.as_ref().unwrap();
    assert!(n.error, "{n:?}");
    assert!(
        n.text.contains("nigth") && n.text.contains("night") && n.text.contains("high-contrast"),
        "{}",
        n.text
    );
}

#[test]
fn an_unknown_command_is_named_with_the_closest_one() {
    let mut s = state();
    command(&mut s, "thme night");
    let n = s.view.notice.clone().expect("a message in the status line");
    assert!(n.error);
    assert!(
        n.text.contains(":thme") && n.text.contains(":theme"),
        "{}",
        n.text
    );
    s.session.lang = Lang::En;
    command(&mut s, "sorces");
    let n = s.view.notice.clone().unwrap();
    assert_eq!(
        n.text,
        "Unknown command :sorces; did you mean :sources? (:help lists them)"
    );
    // The message goes with the next key.
    type_in(&mut s, "j");
    assert!(s.view.notice.is_none());
}

#[test]
fn tab_completes_command_names_then_their_arguments() {
    let mut s = state();
    type_in(&mut s, ":th");
    update(&mut s, code(KeyCode::Tab));
    assert_eq!(prompt_text(&s), "theme ");
    type_in(&mut s, "n");
    update(&mut s, code(KeyCode::Tab));
    assert_eq!(prompt_text(&s), "theme night");
    update(&mut s, code(KeyCode::Enter));
    assert_eq!(s.theme().name, "night");
}

#[test]
fn tab_runs_through_several_candidates_and_shows_them() {
    let mut s = state();
    type_in(&mut s, ":s");
    update(&mut s, code(KeyCode::Tab));
    let first = prompt_text(&s);
    let shown = s.view.prompt.as_ref().unwrap().candidates.clone();
    assert_eq!(shown, ["sources ", "silences "]);
    update(&mut s, code(KeyCode::Tab));
    let second = prompt_text(&s);
    update(&mut s, code(KeyCode::Tab));
    assert_eq!([first.as_str(), second.as_str()], ["sources ", "silences "]);
    assert_eq!(prompt_text(&s), "sources ", "the cycle starts over");
    // Themes sharing a prefix complete as far as they agree: "high-contrast" is alone.
    update(&mut s, code(KeyCode::Esc));
    type_in(&mut s, ":theme h");
    update(&mut s, code(KeyCode::Tab));
    assert_eq!(prompt_text(&s), "theme high-contrast");
    // Chinese aliases complete too.
    update(&mut s, code(KeyCode::Esc));
    type_in(&mut s, ":交");
    update(&mut s, code(KeyCode::Tab));
    assert_eq!(prompt_text(&s), "交接班 ");
}

#[test]
fn expert_arguments_complete_to_domains_and_groups() {
    let mut s = with_experts();
    type_in(&mut s, ":experts 气象");
    update(&mut s, code(KeyCode::Tab));
    assert_eq!(prompt_text(&s), "experts 气象与防汛防风");
}

#[test]
fn up_and_down_walk_through_the_commands_of_this_run() {
    let mut s = state();
    command(&mut s, "theme night");
    command(&mut s, "sources");
    update(&mut s, code(KeyCode::Esc));
    type_in(&mut s, ":the");
    update(&mut s, code(KeyCode::Up));
    assert_eq!(prompt_text(&s), "sources");
    update(&mut s, code(KeyCode::Up));
    assert_eq!(prompt_text(&s), "theme night");
    update(&mut s, code(KeyCode::Up));
    assert_eq!(prompt_text(&s), "theme night", "the oldest stays");
    update(&mut s, code(KeyCode::Down));
    assert_eq!(prompt_text(&s), "sources");
    update(&mut s, code(KeyCode::Down));
    assert_eq!(
        prompt_text(&s),
        "the",
        "past the newest, the line typed comes back"
    );
    assert_eq!(s.view.command_history, ["theme night", "sources"]);
}

#[test]
fn commands_open_the_views_they_name() {
    let mut s = state();
    command(&mut s, "handover");
    assert!(
        matches!(s.view.overlay, Overlay::Handover(_)),
        "{:?}",
        s.view.overlay
    );
    for (line, want) in [
        ("sources", "sources"),
        ("silences", "silences"),
        ("instructions", "instructions"),
        ("history", "history"),
        ("help", "help"),
        ("源", "sources"),
        ("督办", "instructions"),
    ] {
        let mut s = state();
        command(&mut s, line);
        let got = watchroom::app::rooms::on_screen(&s).name;
        assert_eq!(got, want, ":{line} opened {:?}", s.view.overlay);
    }
    let mut s = state();
    command(&mut s, "lang en");
    assert_eq!(s.lang(), Lang::En);
    for quit in ["quit", "q", "退出"] {
        let mut s = state();
        assert_eq!(command(&mut s, quit), vec![Effect::Quit], ":{quit}");
        assert!(s.quit);
    }
}

#[test]
fn slash_narrows_the_alerts_as_typed_enter_keeps_and_esc_restores() {
    let mut s = state();
    let all = shown_alert_ids(&s);
    assert_eq!(all.len(), 4);
    type_in(&mut s, "/");
    assert_eq!(
        s.view.prompt.as_ref().unwrap().kind,
        PromptKind::Filter(FilterTarget::Alerts)
    );
    type_in(&mut s, "红");
    assert_eq!(shown_alert_ids(&s), ["a-red"], "narrowed while typing");
    update(&mut s, code(KeyCode::Esc));
    assert!(s.view.prompt.is_none());
    assert_eq!(shown_alert_ids(&s), all, "Esc clears the filter");

    type_in(&mut s, "/orange");
    update(&mut s, code(KeyCode::Enter));
    assert!(s.view.prompt.is_none());
    assert_eq!(s.view.filters.alerts, "orange");
    assert_eq!(shown_alert_ids(&s), ["a-orange"], "Enter keeps the filter");
    // The kept filter is cleared by Esc on the watch screen.
    update(&mut s, code(KeyCode::Esc));
    assert_eq!(shown_alert_ids(&s), all);
}

#[test]
fn filter_words_match_signal_area_and_source_and_all_must_match() {
    let mut s = state();
    let mut shown = |q: &str| {
        command(&mut s, &format!("filter {q}"));
        shown_alert_ids(&s)
    };
    assert_eq!(shown("台风"), ["a-red"]);
    assert_eq!(shown("龙岗"), ["a-yellow"]);
    assert_eq!(
        shown("气象台").len(),
        4,
        "every fixture alert has that source"
    );
    assert_eq!(shown("黄色"), ["a-yellow"]);
    assert_eq!(shown("BLUE"), ["a-blue"]);
    assert_eq!(shown("红 福田"), ["a-red"]);
    assert!(shown("红 龙岗").is_empty());
    assert_eq!(shown("").len(), 4, ":filter with no words clears");
}

#[test]
fn the_selection_stays_on_its_alert_while_it_is_shown() {
    let mut s = state();
    type_in(&mut s, "j");
    assert_eq!(selected_id(&s), Some("a-orange"));
    command(&mut s, "filter 全市");
    assert_eq!(selected_id(&s), Some("a-orange"), "still shown");
    command(&mut s, "filter 台风");
    assert_eq!(selected_id(&s), Some("a-red"), "moved to what is shown");
    command(&mut s, "filter 没有这种预警");
    assert!(shown_alert_ids(&s).is_empty());
    assert_eq!(selected_id(&s), Some("a-red"), "nothing shown: kept");
    command(&mut s, "filter");
    assert_eq!(selected_id(&s), Some("a-red"));
    // Moving while filtered stays within what is shown.
    command(&mut s, "filter 全市");
    type_in(&mut s, "jjj");
    assert_eq!(selected_id(&s), Some("a-orange"));
}

#[test]
fn up_and_down_in_the_filter_line_move_through_what_is_left() {
    let mut s = state();
    type_in(&mut s, "/区");
    assert_eq!(shown_alert_ids(&s), ["a-red", "a-yellow", "a-blue"]);
    update(&mut s, code(KeyCode::Down));
    assert_eq!(selected_id(&s), Some("a-yellow"));
    assert_eq!(prompt_text(&s), "区", "the line is untouched");
}

#[test]
fn slash_on_the_incidents_filters_by_grade_category_and_district() {
    let mut s = state();
    update(&mut s, code(KeyCode::Tab));
    assert_eq!(s.view.focus, Pane::Incidents);
    let ids = |s: &State| -> Vec<String> {
        s.shown_incidents()
            .items
            .iter()
            .map(|i| i.id.clone())
            .collect()
    };
    assert_eq!(ids(&s).len(), 2);
    type_in(&mut s, "/较大");
    assert_eq!(ids(&s), ["i-2"]);
    update(&mut s, code(KeyCode::Enter));
    assert_eq!(s.selected_incident().map(|i| i.id.as_str()), Some("i-2"));
    command(&mut s, "filter general");
    assert_eq!(ids(&s), ["i-1"]);
    assert_eq!(
        s.selected_incident().map(|i| i.id.as_str()),
        Some("i-1"),
        "the timeline follows what is shown"
    );
    command(&mut s, "filter 积水");
    assert_eq!(ids(&s), ["i-1"]);
    // The alerts were never touched.
    assert_eq!(s.shown_alerts().len(), 4);
}

#[test]
fn the_duty_pane_has_nothing_to_filter_and_says_so() {
    let mut s = state();
    s.view.focus = Pane::Duty;
    type_in(&mut s, "/");
    assert!(s.view.prompt.is_none());
    assert!(s.view.notice.as_ref().is_some_and(|n| n.error));
}

#[test]
fn slash_filters_the_instructions_list_and_esc_clears_before_closing() {
    let mut s = state();
    command(&mut s, "instructions");
    let listed = |s: &State| watchroom::app::instructions::listed(s).len();
    assert_eq!(listed(&s), 1);
    type_in(&mut s, "/");
    assert_eq!(
        s.view.prompt.as_ref().unwrap().kind,
        PromptKind::Filter(FilterTarget::Instructions)
    );
    type_in(&mut s, "救治");
    assert_eq!(listed(&s), 1);
    type_in(&mut s, " 暴雨");
    assert_eq!(listed(&s), 0);
    update(&mut s, code(KeyCode::Enter));
    assert!(matches!(
        s.view.overlay,
        Overlay::List(ListView {
            kind: ListKind::Instructions,
            ..
        })
    ));
    update(&mut s, code(KeyCode::Esc));
    assert_eq!(listed(&s), 1, "the first Esc clears the filter");
    assert!(matches!(
        s.view.overlay,
        Overlay::List(ListView {
            kind: ListKind::Instructions,
            ..
        })
    ));
    update(&mut s, code(KeyCode::Esc));
    assert_eq!(s.view.overlay, Overlay::None, "the second closes the list");
}
