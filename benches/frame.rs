//! The console's per-frame and per-burst costs with a big wall: a full frame
//! (`ui::draw` into a ratatui TestBackend) at 120×40 and 200×50 with 100,000 alerts in
//! force and 10,000 timeline entries, an idle second (the clock's tick and its frame
//! through the console's own frame writer), and `update()` taking a burst of 10,000
//! incoming alerts. Figures and method: docs/PERFORMANCE.md.
//!
//! The state is built the way the console builds it: `initial_state`, then one Snapshot
//! from the duty API and `Alive`, through `update()`. All data is fictional.

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use jiff::{SignedDuration, Timestamp};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::hint::black_box;
use watchroom::app::{Msg, State, update};
use watchroom::config::ConsoleConfig;
use watchroom::console::{initial_state, screen};
use watchroom::model::*;
use watchroom::sources::{SourceEvent, SourceUpdate};
use watchroom::ui::panes::Kept;

const ALERTS: usize = 100_000;
const INCIDENTS: usize = 100;
const ENTRIES_PER_INCIDENT: usize = 100;
const BURST: usize = 10_000;

const SIGNALS: [(&str, &str); 6] = [
    ("台风", "台风预警信号"),
    ("暴雨", "暴雨预警信号"),
    ("高温", "高温预警信号"),
    ("大风", "大风预警信号"),
    ("地质灾害", "地质灾害气象风险预警"),
    ("森林火险", "森林火险预警信号"),
];
const DISTRICTS: [&str; 6] = ["南山区", "福田区", "罗湖区", "宝安区", "龙岗区", "全市"];
const COLOURS: [Colour; 4] = [Colour::Blue, Colour::Yellow, Colour::Orange, Colour::Red];

/// 2026-11-29 03:12:45 in Asia/Shanghai.
fn now() -> Timestamp {
    "2026-11-28T19:12:45Z".parse().expect("valid instant")
}

fn alert(n: usize, prefix: &str) -> Alert {
    let (signal, title) = SIGNALS[n % SIGNALS.len()];
    let colour = COLOURS[(n / 7) % COLOURS.len()];
    Alert {
        id: format!("{prefix}-{n}").into(),
        source: "示例市气象台".into(),
        signal_type: signal.into(),
        colour,
        level: colour.level(),
        severity: colour.cap_severity().into(),
        urgency: "Immediate".into(),
        certainty: "Likely".into(),
        status: "actual".into(),
        msg_type: MsgType::Alert,
        texts: Texts::new(&format!("{title}（第{n}号）"), "示例描述"),
        area: DISTRICTS[n % DISTRICTS.len()].into(),
        sent: now() - SignedDuration::from_secs((n % 86_400) as i64),
        expires: None,
        extra: Default::default(),
        sender: Default::default(),
        ack: None,
        silence: None,
        seq: n as u64,
        origin: "duty_api".into(),
    }
}

fn incident(n: usize) -> Incident {
    let id = format!("i-{n}");
    let timeline = (0..ENTRIES_PER_INCIDENT)
        .map(|e| TimelineEntry {
            corrects: None,
            seat: None,
            id: format!("e-{n}-{e}"),
            incident_id: id.clone(),
            at: now() - SignedDuration::from_mins((ENTRIES_PER_INCIDENT - e) as i64),
            author: "值班员 张某伟".into(),
            kind: if e == 0 { "接报" } else { "续报" }.into(),
            text: format!("第{e}次报告：现场处置进行中，已派出救援力量"),
            leader: None,
            assignee: None,
            refers_to: None,
            idempotency_key: None,
            seq: e as u64,
        })
        .collect::<Vec<_>>();
    Incident {
        id,
        title: format!("{}某小区燃气泄漏（{n}）", DISTRICTS[n % DISTRICTS.len()]),
        category: "燃气爆炸".into(),
        grade: [Grade::IV, Grade::III, Grade::II][n % 3],
        district: DISTRICTS[n % DISTRICTS.len()].into(),
        status: IncidentStatus::Open,
        opened_at: now() - SignedDuration::from_hours(3),
        updated_at: timeline.last().map(|e| e.at),
        timeline,
        seq: n as u64,
        origin: "duty_api".into(),
    }
}

fn shifts() -> Vec<Shift> {
    [
        (DutyRole::Leader, "王某某（示例）", "100-0000-0101"),
        (DutyRole::Chief, "李某某（示例）", "100-0000-0102"),
        (DutyRole::Officer, "赵某某（示例）", "100-0000-0103"),
        (DutyRole::Standby, "孙某某（示例）", "100-0000-0105"),
    ]
    .into_iter()
    .map(|(role, person, phone)| Shift {
        id: person.into(),
        role,
        person: person.into(),
        phone: phone.into(),
        start: now() - SignedDuration::from_hours(12),
        end: now() + SignedDuration::from_hours(12),
        origin: "duty_api".into(),
    })
    .collect()
}

fn source(event: SourceEvent) -> Msg {
    source_at(event, now())
}

fn source_at(event: SourceEvent, at: Timestamp) -> Msg {
    Msg::Source(SourceUpdate {
        source: "duty_api".into(),
        at,
        event,
    })
}

/// A console state holding `alerts` alerts in force and 10,000 timeline entries.
fn state(alerts: usize) -> State {
    let config = ConsoleConfig {
        officer: Some("赵某某（示例）".into()),
        ..ConsoleConfig::default()
    };
    let mut s = initial_state(&config, false, now()).expect("default config is valid");
    s.session.officer = config.officer.clone();
    watchroom::console::register_sources(&mut s, &config, &[]);
    update(
        &mut s,
        source(SourceEvent::Snapshot {
            alerts: (0..alerts).map(|n| alert(n, "a")).collect(),
            incidents: (0..INCIDENTS).map(incident).collect(),
            shifts: shifts(),
        }),
    );
    update(&mut s, source(SourceEvent::Alive { live: true }));
    // As the console does before each frame.
    s.refresh_wall();
    s
}

fn frame(c: &mut Criterion) {
    let mut s = state(ALERTS);
    let mut g = c.benchmark_group("frame");
    g.sample_size(20);
    for (w, h) in [(120u16, 40u16), (200, 50)] {
        update(&mut s, Msg::Resize(w, h));
        let mut term = Terminal::new(TestBackend::new(w, h)).expect("test backend");
        g.bench_function(format!("draw_{w}x{h}_100k_alerts"), |b| {
            b.iter(|| {
                term.draw(|f| watchroom::ui::draw(black_box(&s), f))
                    .expect("draw");
            })
        });
    }
    g.finish();

    // What the officer waits for: a key through `update()`, then the frame it changes;
    // and what the console does each idle second: the clock's tick, then its frame.
    let mut g = c.benchmark_group("loop");
    g.sample_size(20);
    update(&mut s, Msg::Resize(120, 40));
    let mut term = Terminal::new(TestBackend::new(120, 40)).expect("test backend");
    let down = Msg::Key(KeyEvent::new(KeyCode::Char('j'), KeyModifiers::NONE));
    g.bench_function("key_to_frame_120x40_100k_alerts", |b| {
        b.iter(|| {
            black_box(update(&mut s, down.clone()));
            s.refresh_wall();
            term.draw(|f| watchroom::ui::draw(&s, f)).expect("draw");
        })
    });
    g.bench_function("tick_to_frame_120x40_100k_alerts", |b| {
        b.iter(|| {
            let at = s.now + SignedDuration::from_secs(1);
            black_box(update(&mut s, Msg::Tick(at)));
            black_box(update(
                &mut s,
                source_at(SourceEvent::Alive { live: true }, at),
            ));
            s.refresh_wall();
            term.draw(|f| watchroom::ui::draw(&s, f)).expect("draw");
        })
    });
    g.finish();

    // An idle second as the console lives it: the clock's tick through `update()`, then
    // its frame through the console's own frame writer (`console::frame`: only the panes
    // the time changed, drawn over the last frame, diffed and written), the bytes going
    // nowhere. With the big wall, and with nothing on screen but the clock.
    let mut g = c.benchmark_group("idle");
    g.sample_size(20);
    let quiet = quiet_state();
    for (name, start) in [("100k_alerts", &s), ("clock_only", &quiet)] {
        for (w, h) in [(120u16, 40u16), (200, 50)] {
            let mut s = start.clone();
            update(&mut s, Msg::Resize(w, h));
            let writer = screen::Writer::new(std::io::sink(), ratatui::layout::Size::new(w, h));
            let mut term = Terminal::new(writer).expect("a writer to nowhere");
            let mut shown = screen::Shown::default();
            let mut kept = Kept::default();
            frame_step(&mut term, &mut s, &mut shown, &mut kept);
            g.bench_function(format!("tick_{name}_{w}x{h}"), |b| {
                b.iter(|| {
                    let at = s.now + SignedDuration::from_secs(1);
                    black_box(update(&mut s, Msg::Tick(at)));
                    frame_step(&mut term, &mut s, &mut shown, &mut kept);
                })
            });
        }
    }
    g.finish();
}

fn frame_step(
    term: &mut Terminal<screen::Writer<std::io::Sink>>,
    s: &mut State,
    shown: &mut screen::Shown,
    kept: &mut Kept,
) {
    watchroom::console::frame(term, s, shown, kept).expect("written to nowhere");
}

/// A console showing only the roster: nothing on screen changes but the clock.
fn quiet_state() -> State {
    let mut s = state(0);
    update(
        &mut s,
        source(SourceEvent::Snapshot {
            alerts: Vec::new(),
            incidents: Vec::new(),
            shifts: shifts(),
        }),
    );
    s.refresh_wall();
    s
}

fn burst(c: &mut Criterion) {
    let burst: Vec<Msg> = (0..BURST)
        .map(|n| source(SourceEvent::Alert(alert(n, "burst"))))
        .collect();
    let mut g = c.benchmark_group("update");
    g.sample_size(10);
    for base in [0, ALERTS] {
        let start = state(base);
        g.bench_function(format!("burst_10k_alerts_onto_{base}"), |b| {
            b.iter_batched(
                || (start.clone(), burst.clone()),
                |(mut s, msgs)| {
                    for m in msgs {
                        black_box(update(&mut s, m));
                    }
                    // The one sort the next frame costs.
                    s.refresh_wall();
                    s
                },
                BatchSize::LargeInput,
            )
        });
    }
    g.finish();
}

criterion_group!(benches, frame, burst);
criterion_main!(benches);
