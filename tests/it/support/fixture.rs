//! A fixed, fictional watch-room state for update and screen tests: the clock and the
//! zone are injected, so results do not depend on when or where the tests run.

use jiff::{SignedDuration, Timestamp};
use ratatui::buffer::Buffer;
use ratatui::{Terminal, backend::TestBackend};
use watchroom::app::{Msg, State, update};
use watchroom::config::ConsoleConfig;
use watchroom::console::initial_state;
use watchroom::model::*;
use watchroom::sources::{SourceEvent, SourceUpdate};

/// 2026-11-29 03:12:45 in Asia/Shanghai.
pub fn now() -> Timestamp {
    "2026-11-28T19:12:45Z".parse().expect("valid instant")
}

/// A plain key press (no modifiers).
pub fn key(c: char) -> Msg {
    Msg::Key(crossterm::event::KeyEvent::new(
        crossterm::event::KeyCode::Char(c),
        crossterm::event::KeyModifiers::NONE,
    ))
}

pub fn mins(m: i64) -> SignedDuration {
    SignedDuration::from_mins(m)
}

pub fn alert(
    id: &str,
    colour: Colour,
    signal: &str,
    title: &str,
    area: &str,
    ago_min: i64,
) -> Alert {
    Alert {
        id: id.into(),
        source: "测试市气象台".into(),
        signal_type: signal.into(),
        colour,
        level: colour.level(),
        severity: colour.cap_severity().into(),
        urgency: "Immediate".into(),
        certainty: "Likely".into(),
        status: "actual".into(),
        msg_type: MsgType::Alert,
        texts: Texts::new(title, "测试描述"),
        area: area.into(),
        sent: now() - mins(ago_min),
        expires: None,
        extra: Default::default(),
        sender: Default::default(),
        ack: None,
        silence: None,
        seq: 1,
        origin: "duty_api".into(),
    }
}

pub fn entry(incident: &str, id: &str, ago_min: i64, kind: &str, text: &str) -> TimelineEntry {
    TimelineEntry {
        corrects: None,
        seat: None,
        id: id.into(),
        incident_id: incident.into(),
        at: now() - mins(ago_min),
        author: "值班员 测试甲".into(),
        kind: kind.into(),
        text: text.into(),
        leader: None,
        assignee: None,
        refers_to: None,
        idempotency_key: None,
        seq: 1,
    }
}

pub fn incident(
    id: &str,
    grade: Grade,
    title: &str,
    status: IncidentStatus,
    timeline: Vec<TimelineEntry>,
) -> Incident {
    Incident {
        id: id.into(),
        title: title.into(),
        category: "燃气爆炸".into(),
        grade,
        district: "南山区".into(),
        status,
        opened_at: now() - mins(40),
        updated_at: timeline.last().map(|e| e.at),
        timeline,
        seq: 1,
        origin: "duty_api".into(),
    }
}

pub fn shift(role: DutyRole, person: &str, phone: &str, start_h: i64, hours: i64) -> Shift {
    let start = now() + SignedDuration::from_hours(start_h);
    Shift {
        id: format!("{person}-{start_h}"),
        role,
        person: person.into(),
        phone: phone.into(),
        start,
        end: start + SignedDuration::from_hours(hours),
        origin: "duty_api".into(),
    }
}

pub fn snapshot() -> SourceEvent {
    SourceEvent::Snapshot {
        alerts: vec![
            alert(
                "a-blue",
                Colour::Blue,
                "发热哨点",
                "发热门诊哨点异常报告",
                "罗湖区",
                300,
            ),
            alert(
                "a-red",
                Colour::Red,
                "台风",
                "台风红色预警信号",
                "南山区 福田区",
                12,
            ),
            alert(
                "a-orange",
                Colour::Orange,
                "暴雨",
                "暴雨橙色预警信号",
                "全市",
                40,
            ),
            alert(
                "a-yellow",
                Colour::Yellow,
                "地质灾害",
                "地质灾害气象风险预警",
                "龙岗区",
                120,
            ),
        ],
        incidents: vec![
            incident(
                "i-1",
                Grade::IV,
                "福田区道路积水",
                IncidentStatus::Closed,
                vec![entry("i-1", "e-0", 90, "终报", "积水已排除")],
            ),
            incident(
                "i-2",
                Grade::III,
                "南山区某小区燃气爆炸",
                IncidentStatus::Open,
                vec![
                    entry("i-2", "e-1", 31, "接报", "110转来：燃气爆炸，2人受伤"),
                    entry("i-2", "e-2", 25, "核实", "区应急办确认，已派消防3车"),
                    entry("i-2", "e-3", 14, "批示", "全力救治，30分钟续报"),
                ],
            ),
        ],
        shifts: vec![
            shift(DutyRole::Leader, "王某某（示例）", "100-0000-0101", -19, 24),
            shift(DutyRole::Chief, "李某某（示例）", "100-0000-0102", -19, 24),
            shift(
                DutyRole::Officer,
                "赵某某（示例）",
                "100-0000-0103",
                -19,
                24,
            ),
            shift(
                DutyRole::Officer,
                "钱某某（示例）",
                "100-0000-0104",
                -19,
                24,
            ),
            shift(
                DutyRole::Standby,
                "孙某某（示例）",
                "100-0000-0105",
                -19,
                24,
            ),
            shift(DutyRole::Leader, "周某某（示例）", "100-0000-0106", 5, 24),
        ],
    }
}

pub fn source(event: SourceEvent, at: Timestamp) -> Msg {
    Msg::Source(SourceUpdate {
        source: "duty_api".into(),
        at,
        event,
    })
}

/// A state after the snapshot and a live stream, at `now()`, in Chinese.
pub fn state() -> State {
    state_in(&ConsoleConfig::default())
}

pub fn state_in(config: &ConsoleConfig) -> State {
    let mut s = initial_state(config, true, now()).expect("default config is valid");
    update(&mut s, source(snapshot(), now()));
    update(&mut s, source(SourceEvent::Alive { live: true }, now()));
    s
}

/// The id of the alert the cursor is kept on (its source aside).
pub fn selected_id(s: &State) -> Option<&str> {
    s.view.selected_alert.as_ref().map(|k| k.id.as_str())
}

/// The state drawn by `ui::draw` on a `w`×`h` screen.
pub fn render(state: &mut State, w: u16, h: u16) -> Buffer {
    update(state, Msg::Resize(w, h));
    let mut term = Terminal::new(TestBackend::new(w, h)).expect("test backend");
    term.draw(|f| watchroom::ui::draw(state, f)).expect("draw");
    term.backend().buffer().clone()
}

/// A row of a drawn screen as text; a wide character appears once (the cell it also
/// covers is skipped).
pub fn row_text(buf: &Buffer, y: u16) -> String {
    let mut row = String::new();
    let mut skip = 0;
    for x in 0..buf.area.width {
        if skip > 0 {
            skip -= 1;
            continue;
        }
        let sym = buf[(x, y)].symbol();
        row.push_str(sym);
        skip = unicode_width::UnicodeWidthStr::width(sym).saturating_sub(1);
    }
    row
}

/// Every row of a drawn screen as text.
pub fn text(buf: &Buffer) -> Vec<String> {
    (0..buf.area.height).map(|y| row_text(buf, y)).collect()
}
