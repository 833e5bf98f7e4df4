use super::command::Pending;
use super::command_line::Prompt;
use super::deadlines::{Due, ReportRules, next_due};
use super::experts_view::{ExpertFocus, ExpertPool, ExpertView};
use super::filter::{FilterTarget, Filters, Query, Shown};
use super::form::Form;
use super::handover_view::HandoverView;
use super::keymap::{Keymap, Mode};
use crate::model::{Alert, Incident, Shift, alert, incident};
use crate::ui::theme::Theme;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    pub fn from_code(code: &str) -> Lang {
        if code.to_ascii_lowercase().starts_with("en") {
            Lang::En
        } else {
            Lang::Zh
        }
    }

    /// Pick the text for this language.
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

/// The panes of the watch screen, in focus order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Alerts,
    Incidents,
    Timeline,
    Duty,
}

impl Pane {
    pub const ORDER: [Pane; 4] = [Pane::Alerts, Pane::Incidents, Pane::Timeline, Pane::Duty];
}

#[derive(Debug, Clone, PartialEq)]
pub enum DetailTarget {
    Alert(String),
    Incident(String),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Overlay {
    None,
    Help {
        scroll: u16,
    },
    Detail {
        target: DetailTarget,
        scroll: u16,
    },
    Form(Form),
    Experts(ExpertView),
    /// The shift handover review, with the outgoing officer's notes being typed.
    Handover(HandoverView),
    /// Active silences: who, why, until when.
    Silences {
        scroll: u16,
    },
    /// Leader instructions being followed up (督办); Enter records progress or closes one.
    Instructions {
        selected: usize,
    },
    /// Every source's health in full: kind, status, last contact, failing since, why.
    Sources {
        scroll: u16,
    },
    /// Alerts no longer in force (expired, updated, cancelled, resolved), newest first.
    History {
        scroll: u16,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum SourceStatus {
    /// Not heard from yet.
    Connecting,
    /// Live event stream.
    Live,
    /// Stream down, polling works.
    Polling,
    Failed(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct SourceHealth {
    pub name: String,
    pub status: SourceStatus,
    pub last_ok: Option<Timestamp>,
    pub failed_since: Option<Timestamp>,
    /// Silent longer than this is stale, twice this is down (an alarm); None: a source
    /// read once (a file), never stale.
    pub stale_after: Option<SignedDuration>,
    /// The data on screen came from the local store, saved then; cleared by fresh data.
    pub cached_at: Option<Timestamp>,
    /// The newest thing the source's data was off in (charset, skipped entries …) and
    /// when: read, but worth a look.
    pub warning: Option<(Timestamp, String)>,
}

impl SourceHealth {
    pub fn new(name: &str, stale_after: Option<SignedDuration>) -> SourceHealth {
        SourceHealth {
            name: name.to_owned(),
            status: SourceStatus::Connecting,
            last_ok: None,
            failed_since: None,
            stale_after,
            cached_at: None,
            warning: None,
        }
    }

    /// The newest data known to be true: the last contact, else the cache's age.
    pub fn last_contact(&self) -> Option<Timestamp> {
        self.last_ok.or(self.cached_at)
    }
}

/// A failing backend is announced as OFFLINE once it has failed this long (a dropped
/// stream that reconnects at once is not worth a banner), or at once when the console
/// has not reached it since it started.
pub const OFFLINE_GRACE: SignedDuration = SignedDuration::from_secs(5);

#[derive(Debug, Clone, PartialEq)]
pub struct Flash {
    pub text: String,
    pub until: Timestamp,
}

/// The answer to a `:` command, shown in the status line until the next key.
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    pub text: String,
    pub error: bool,
    pub until: Timestamp,
}

#[derive(Debug, Clone)]
pub struct State {
    pub office: String,
    pub demo: bool,
    pub lang: Lang,
    pub tz: TimeZone,
    pub now: Timestamp,
    pub stale_after: SignedDuration,
    pub size: (u16, u16),
    pub keymap: Keymap,
    pub theme: Theme,

    pub alerts: Vec<Alert>,
    pub incidents: Vec<Incident>,
    pub shifts: Vec<Shift>,
    pub sources: Vec<SourceHealth>,
    /// When this console started: a source never heard from is silent since then.
    pub started: Timestamp,
    /// Sources whose data changed since it was last written to the local store.
    pub unsaved: std::collections::BTreeSet<String>,
    /// Sources announced as down (bell and banner once each, until they recover).
    pub down_seen: std::collections::HashSet<String>,
    /// The local store could not be used: actions are not durable; say so.
    pub store_problem: Option<String>,
    /// Actions queued for another backend than this one (kept, not sent).
    pub pending_elsewhere: usize,
    /// Alerts that arrived while the console was running, and when: marked 新 on screen.
    pub arrived: HashMap<String, Timestamp>,

    pub focus: Pane,
    /// Selections are kept by id so a live list can grow without the cursor jumping.
    pub selected_alert: Option<String>,
    pub selected_incident: Option<String>,
    /// Lines scrolled up from the newest timeline entry.
    pub timeline_scroll: usize,
    pub duty_scroll: usize,
    pub overlay: Overlay,
    pub flash: Option<Flash>,
    /// The `:` command line or the `/` filter line being typed, over whatever is open.
    pub prompt: Option<Prompt>,
    /// What each list is narrowed to (`/`).
    pub filters: Filters,
    /// Commands run since start, oldest first (Up/Down on the command line).
    pub command_history: Vec<String>,
    pub notice: Option<Notice>,
    /// Themes of the user's config directory, by name (listed at start, for `:theme`).
    pub user_themes: Vec<String>,
    /// What kind of feed each source is (name, kind), for `:sources`.
    pub source_kinds: Vec<(String, String)>,

    /// Who is on duty at this console; every action carries it.
    pub officer: Option<String>,
    /// A wall display: no action can be taken.
    pub read_only: bool,
    /// The officer was asked once at start; do not nag again.
    pub asked_officer: bool,
    /// Actions not yet accepted by the backend, oldest first.
    pub outbox: Vec<Pending>,
    /// Idempotency keys are `{key_prefix}-{n}`: the prefix is unique per console run.
    pub key_prefix: String,
    pub next_key: u64,

    /// The expert pool and its search index, once the backend has sent it.
    pub expert_pool: Option<ExpertPool>,
    pub report_rules: ReportRules,
    /// Reports already announced as overdue (incident id, label): ring once each.
    pub overdue_seen: std::collections::HashSet<(String, String)>,
    /// Desktop notifications and bells: settings and what has been rung.
    pub notify: crate::notify::NotifyState,

    /// Handover records from the backend, newest first.
    pub handovers: Vec<crate::model::Handover>,
    /// The outgoing officer's handover notes, kept while the review is closed.
    pub handover_notes: String,
    /// Silences already warned about as ending (alert id, until), and those announced as
    /// ended: each is said once.
    pub silence_warned: std::collections::HashSet<(String, Timestamp)>,
    pub silence_ended: std::collections::HashSet<(String, Timestamp)>,

    /// Something visible changed since the last draw.
    pub dirty: bool,
    pub quit: bool,
}

/// Smallest terminal the watch screen is designed for.
pub const MIN_SIZE: (u16, u16) = (80, 24);

impl State {
    pub fn new(now: Timestamp, tz: TimeZone, keymap: Keymap, theme: Theme) -> State {
        State {
            office: String::new(),
            demo: false,
            lang: Lang::Zh,
            tz,
            now,
            stale_after: SignedDuration::from_secs(120),
            size: (120, 40),
            keymap,
            theme,
            alerts: Vec::new(),
            incidents: Vec::new(),
            shifts: Vec::new(),
            sources: Vec::new(),
            started: now,
            unsaved: Default::default(),
            down_seen: Default::default(),
            store_problem: None,
            pending_elsewhere: 0,
            arrived: HashMap::new(),
            focus: Pane::Alerts,
            selected_alert: None,
            selected_incident: None,
            timeline_scroll: 0,
            duty_scroll: 0,
            overlay: Overlay::None,
            flash: None,
            prompt: None,
            filters: Filters::default(),
            command_history: Vec::new(),
            notice: None,
            user_themes: Vec::new(),
            source_kinds: Vec::new(),
            officer: None,
            read_only: false,
            asked_officer: false,
            outbox: Vec::new(),
            key_prefix: "wr".to_owned(),
            next_key: 1,
            expert_pool: None,
            report_rules: ReportRules::default(),
            overdue_seen: Default::default(),
            handovers: Vec::new(),
            handover_notes: String::new(),
            silence_warned: Default::default(),
            silence_ended: Default::default(),
            notify: Default::default(),
            dirty: true,
            quit: false,
        }
    }

    pub fn too_small(&self) -> bool {
        self.size.0 < MIN_SIZE.0 || self.size.1 < MIN_SIZE.1
    }

    pub fn mode(&self) -> Mode {
        if self.prompt.is_some() {
            return Mode::Prompt;
        }
        match &self.overlay {
            Overlay::None => Mode::Watch,
            Overlay::Help { .. } => Mode::Help,
            Overlay::Detail { .. } => Mode::Detail,
            Overlay::Form(_) => Mode::Form,
            Overlay::Experts(v) if v.focus == ExpertFocus::Query => Mode::ExpertSearch,
            Overlay::Experts(_) => Mode::Experts,
            Overlay::Handover(_) => Mode::Handover,
            Overlay::Silences { .. }
            | Overlay::Instructions { .. }
            | Overlay::Sources { .. }
            | Overlay::History { .. } => Mode::List,
        }
    }

    /// The clock, ages and staleness are on screen unless the too-small notice hides them.
    pub fn needs_tick(&self) -> bool {
        !self.too_small()
    }

    /// A red warning waits for acknowledgement: its reminder bell needs the clock even when
    /// nothing time-based is on screen.
    pub fn reminder_pending(&self) -> bool {
        self.alerts
            .iter()
            .any(|a| crate::notify::policy::waits_for_ack(a, self.now))
    }

    /// Alerts in force, then those cancelled in the last two hours (shown as cancelled, so
    /// a cancellation is seen rather than an alert silently vanishing).
    pub fn visible_alerts(&self) -> Vec<&Alert> {
        self.visible_alerts_unfiltered_then_filtered()
    }

    /// Alerts that have left the wall — expired, replaced by an update, cancelled or
    /// resolved — newest first: the history a duty officer looks back through.
    pub fn history(&self) -> Vec<&Alert> {
        let mut v: Vec<&Alert> = self
            .alerts
            .iter()
            .filter(|a| a.msg_type != crate::model::MsgType::Cancel && !a.in_force(self.now))
            .collect();
        v.sort_by(|a, b| b.sent.cmp(&a.sent).then_with(|| a.id.cmp(&b.id)));
        v
    }

    fn visible_alerts_unfiltered_then_filtered(&self) -> Vec<&Alert> {
        // The messages that cancelled something, by (origin, id): a wall of many alerts
        // must not be quadratic.
        let cancellers: std::collections::HashSet<(&str, &str)> = self
            .alerts
            .iter()
            .filter_map(|a| Some((a.origin.as_str(), a.cancelled_by.as_deref()?)))
            .collect();
        let cancels: HashMap<(&str, &str), Timestamp> = self
            .alerts
            .iter()
            .filter(|c| cancellers.contains(&(c.origin.as_str(), c.id.as_str())))
            .map(|c| ((c.origin.as_str(), c.id.as_str()), c.sent))
            .collect();
        let recent = |a: &Alert| {
            a.cancelled_by.as_deref().is_some_and(|by| {
                cancels.get(&(a.origin.as_str(), by)).is_some_and(|sent| {
                    self.now.duration_since(*sent) < SignedDuration::from_hours(2)
                })
            })
        };
        // Sorted on keys laid out side by side (`alert::watch_key`) rather than by reaching
        // into each alert for every comparison: with 100,000 alerts this is most of a frame.
        let mut keyed: Vec<(bool, alert::WatchKey<'_>, &Alert)> = self
            .alerts
            .iter()
            .filter(|a| a.in_force(self.now) || recent(a))
            .map(|a| (a.cancelled_by.is_some(), alert::watch_key(a), a))
            .collect();
        keyed.sort_by(|x, y| (x.0, &x.1).cmp(&(y.0, &y.1)));
        keyed.into_iter().map(|(_, _, a)| a).collect()
    }

    /// Cancelled by a message sent within the last two hours.
    pub fn recently_cancelled(&self, a: &Alert) -> bool {
        let Some(by) = &a.cancelled_by else {
            return false;
        };
        self.alerts
            .iter()
            .find(|c| c.id == by && c.origin == a.origin)
            .is_some_and(|c| self.now.duration_since(c.sent) < SignedDuration::from_hours(2))
    }

    /// Incidents with an overdue report first, then open before closed, higher grade,
    /// most recently changed.
    pub fn sorted_incidents(&self) -> Vec<&Incident> {
        let mut v: Vec<(bool, &Incident)> = self
            .incidents
            .iter()
            .map(|i| (self.next_report(i).is_some_and(|d| d.overdue(self.now)), i))
            .collect();
        v.sort_by(|(oa, a), (ob, b)| ob.cmp(oa).then_with(|| incident::watch_order(a, b)));
        v.into_iter().map(|(_, i)| i).collect()
    }

    /// The next report an open incident owes.
    pub fn next_report(&self, i: &Incident) -> Option<Due> {
        if i.status != crate::model::IncidentStatus::Open {
            return None;
        }
        next_due(i, &self.report_rules, &self.tz)
    }

    /// The alert list as the wall shows it: `visible_alerts()` narrowed by the `/` filter.
    pub fn shown_alerts(&self) -> Shown<'_, Alert> {
        let all = self.visible_alerts();
        let total = all.len();
        let q = Query::parse(self.filters.get(FilterTarget::Alerts));
        let items = if q.is_empty() {
            all
        } else {
            all.into_iter().filter(|a| q.alert(a)).collect()
        };
        Shown { items, total }
    }

    /// The incident list as shown: `sorted_incidents()` narrowed by the `/` filter.
    pub fn shown_incidents(&self) -> Shown<'_, Incident> {
        let all = self.sorted_incidents();
        let total = all.len();
        let q = Query::parse(self.filters.get(FilterTarget::Incidents));
        let items = if q.is_empty() {
            all
        } else {
            all.into_iter().filter(|i| q.incident(i)).collect()
        };
        Shown { items, total }
    }

    /// The alert the cursor is on, among those shown.
    pub fn selected_alert(&self) -> Option<&Alert> {
        let shown = self.shown_alerts().items;
        let i = self.alert_index(&shown);
        shown.get(i).copied()
    }

    /// Index of the selected alert in a list of alerts (the first when none or gone).
    pub fn alert_index(&self, visible: &[&Alert]) -> usize {
        index_of(
            visible.iter().map(|a| a.id.as_str()),
            self.selected_alert.as_deref(),
        )
    }

    pub fn incident_index(&self, sorted: &[&Incident]) -> usize {
        index_of(
            sorted.iter().map(|i| i.id.as_str()),
            self.selected_incident.as_deref(),
        )
    }

    pub fn selected_incident(&self) -> Option<&Incident> {
        let sorted = self.shown_incidents().items;
        let i = self.incident_index(&sorted);
        sorted.get(i).copied()
    }

    pub fn find_alert(&self, id: &str) -> Option<&Alert> {
        self.alerts.iter().find(|a| a.id == id)
    }

    pub fn find_incident(&self, id: &str) -> Option<&Incident> {
        self.incidents.iter().find(|i| i.id == id)
    }

    /// Format an instant in the configured zone.
    pub fn local(&self, t: Timestamp, fmt: &str) -> String {
        t.to_zoned_datetime(self.tz.clone())
            .strftime(fmt)
            .to_string()
    }

    /// How long the source has been silent that it could have spoken: since its last
    /// contact in this run, else since the console started (an old cache does not make a
    /// source we have just begun to ask late).
    fn silence(&self, s: &SourceHealth) -> SignedDuration {
        self.now.duration_since(s.last_ok.unwrap_or(self.started))
    }

    /// No contact for longer than the source's threshold.
    pub fn source_stale(&self, s: &SourceHealth) -> bool {
        s.stale_after.is_some_and(|limit| self.silence(s) > limit)
    }

    /// Silent for twice its threshold: the source is down, an alarm. Returns the time of
    /// the newest data known from it (the cache's, else the console's start).
    pub fn source_down(&self, s: &SourceHealth) -> Option<Timestamp> {
        let limit = s.stale_after?;
        (self.silence(s) > limit * 2).then(|| s.last_contact().unwrap_or(self.started))
    }

    pub fn health(&self, name: &str) -> Option<&SourceHealth> {
        self.sources.iter().find(|s| s.name == name)
    }

    /// The backend (duty API) cannot be reached: since when and why. The screen then says
    /// OFFLINE and keeps showing what it has.
    pub fn backend_offline(&self) -> Option<(Timestamp, String)> {
        let h = self.health(super::workflow::ACTION_SOURCE)?;
        if let (SourceStatus::Failed(why), Some(since)) = (&h.status, h.failed_since)
            && (h.last_ok.is_none() || self.now.duration_since(since) >= OFFLINE_GRACE)
        {
            return Some((since, why.clone()));
        }
        let since = self.source_down(h)?;
        let why = self.lang.pick("无响应", "no answer").to_owned();
        Some((since, why))
    }

    /// Sources down besides the backend when its OFFLINE banner already says so.
    pub fn sources_down(&self) -> Vec<(&SourceHealth, Timestamp)> {
        let offline = self.backend_offline().is_some();
        self.sources
            .iter()
            .filter(|s| !(offline && s.name == super::workflow::ACTION_SOURCE))
            .filter_map(|s| self.source_down(s).map(|t| (s, t)))
            .collect()
    }

    /// The oldest cache still on screen (no fresh data from that source yet).
    pub fn cached_since(&self) -> Option<Timestamp> {
        self.sources.iter().filter_map(|s| s.cached_at).min()
    }
}

fn index_of<'a>(mut ids: impl Iterator<Item = &'a str>, want: Option<&str>) -> usize {
    want.and_then(|w| ids.position(|id| id == w)).unwrap_or(0)
}
