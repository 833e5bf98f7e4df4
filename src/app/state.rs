use super::alert_key::AlertKey;
use super::command::Pending;
use super::command_line::Prompt;
use super::deadlines::{Due, ReportRules, next_due};
use super::experts_view::{ExpertFocus, ExpertPool, ExpertView};
use super::filter::{FilterTarget, Filters, Query, Shown};
use super::form::Form;
use super::handover_view::HandoverView;
use super::keymap::{Keymap, Mode};
use super::wall::{self, Index, Wall};
use crate::model::{Alert, Incident, Shift, incident};
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
    Alert(AlertKey),
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

    /// Changed only through `alerts_mut` and `upsert_alert`, which keep `wall` and
    /// `index` honest.
    alerts: Vec<Alert>,
    wall: Wall,
    index: Index,
    /// Changed through `incidents_mut`, which puts their report deadlines out of date.
    incidents: Vec<Incident>,
    pub shifts: Vec<Shift>,
    pub sources: Vec<SourceHealth>,
    /// When this console started: a source never heard from is silent since then.
    pub started: Timestamp,
    /// Sources whose data changed since it was last written to the local store.
    pub unsaved: std::collections::BTreeSet<String>,
    /// Sources shown from the head of their cache while the rest is read.
    pub restoring: super::cache_head::Restoring,
    /// Sources announced as down (bell and banner once each, until they recover).
    pub down_seen: std::collections::HashSet<String>,
    /// The local store could not be used: actions are not durable; say so.
    pub store_problem: Option<String>,
    /// Actions queued for another backend than this one (kept, not sent).
    pub pending_elsewhere: usize,
    /// When `retention` last looked, and when it next has something to do.
    pub retention: super::retention::Looked,
    /// Alerts that arrived while the console was running, and when: marked 新 on screen.
    pub arrived: HashMap<AlertKey, Timestamp>,

    pub focus: Pane,
    /// Selections are kept by id so a live list can grow without the cursor jumping; an
    /// alert's by its source too, which another source may share the id with.
    pub selected_alert: Option<AlertKey>,
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
    report_rules: ReportRules,
    /// Each incident's next report (`next_report`), worked out once for the incidents and
    /// rules as they are, in the incidents' order; None: out of date. The time-zone
    /// arithmetic over every timeline would otherwise run several times a frame.
    dues: std::cell::RefCell<Option<Vec<Option<Due>>>>,
    /// Reports already announced as overdue (incident id, label): ring once each.
    pub overdue_seen: std::collections::HashSet<(String, String)>,
    /// Desktop notifications and bells: settings and what has been rung.
    pub notify: crate::notify::NotifyState,

    /// Handover records from the backend, newest first.
    pub handovers: Vec<crate::model::Handover>,
    /// The outgoing officer's handover notes, kept while the review is closed.
    pub handover_notes: String,
    /// Silences already warned about as ending (alert, until), and those announced as
    /// ended: each is said once.
    pub silence_warned: std::collections::HashSet<(AlertKey, Timestamp)>,
    pub silence_ended: std::collections::HashSet<(AlertKey, Timestamp)>,

    /// Something visible changed since the last draw: the whole screen is drawn.
    pub dirty: bool,
    /// Only the clock moved since the last draw: only what the time changed is drawn.
    pub clock_moved: bool,
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
            wall: Wall::default(),
            index: Index::default(),
            incidents: Vec::new(),
            shifts: Vec::new(),
            sources: Vec::new(),
            started: now,
            unsaved: Default::default(),
            restoring: Default::default(),
            down_seen: Default::default(),
            store_problem: None,
            pending_elsewhere: 0,
            retention: Default::default(),
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
            dues: Default::default(),
            overdue_seen: Default::default(),
            handovers: Vec::new(),
            handover_notes: String::new(),
            silence_warned: Default::default(),
            silence_ended: Default::default(),
            notify: Default::default(),
            dirty: true,
            clock_moved: false,
            quit: false,
        }
    }

    /// The language the console speaks.
    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// The theme the console draws with.
    pub fn theme(&self) -> &Theme {
        &self.theme
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
        let waits = |a: &Alert| crate::notify::policy::waits_for_ack(a, self.now);
        if self.wall_fresh() {
            let alerts = &self.alerts;
            let reds = &self.wall.built.red_unacked;
            return reds.iter().any(|&i| waits(&alerts[i as usize]));
        }
        self.alerts.iter().any(waits)
    }

    /// Every alert this console knows, in the order they came.
    pub fn alerts(&self) -> &[Alert] {
        &self.alerts
    }

    /// The alerts to change: the wall and the index are worked out again afterwards.
    pub fn alerts_mut(&mut self) -> &mut Vec<Alert> {
        self.wall.built_at = None;
        self.retention.changed();
        self.index.valid = false;
        &mut self.alerts
    }

    /// The alert from `origin` with this id, to change (not its origin or id).
    pub fn alert_mut(&mut self, origin: &str, id: &str) -> Option<&mut Alert> {
        if !self.index.valid {
            self.index.rebuild(&self.alerts);
        }
        let i = self.index.find(&self.alerts, origin, id)?;
        self.wall.built_at = None;
        self.retention.changed();
        self.alerts.get_mut(i)
    }

    /// The 新 marks of alerts no longer kept go with them.
    pub fn forget_gone_arrivals(&mut self) {
        if self.arrived.is_empty() {
            return;
        }
        if !self.index.valid {
            self.index.rebuild(&self.alerts);
        }
        let alerts = &self.alerts;
        let index = &self.index;
        self.arrived
            .retain(|k, _| index.find(alerts, &k.origin, &k.id).is_some());
    }

    /// Put an alert in place of the one with its (origin, id), or add it; true when new.
    pub fn upsert_alert(&mut self, a: Alert) -> bool {
        self.wall.built_at = None;
        self.retention.changed();
        if !self.index.valid {
            self.index.rebuild(&self.alerts);
        }
        match self.index.find(&self.alerts, &a.origin, &a.id) {
            Some(i) => {
                self.alerts[i] = a;
                false
            }
            None => {
                let at = self.alerts.len() as u32;
                self.index
                    .by_key
                    .entry(wall::key(&a.origin, &a.id))
                    .or_insert(at);
                self.alerts.push(a);
                true
            }
        }
    }

    /// The most severe colour this console already knew for the warning `a` brings
    /// (under the ids of `policy::earlier_ids`, from the same source).
    pub fn previous_colour(&mut self, a: &Alert) -> Option<crate::model::Colour> {
        if !self.index.valid {
            self.index.rebuild(&self.alerts);
        }
        let (index, alerts) = (&self.index, &self.alerts);
        let ids = || crate::notify::policy::earlier_ids(a);
        if index.duplicates {
            // Every copy counts: the most severe colour among them.
            return alerts
                .iter()
                .filter(|k| k.origin == a.origin && ids().any(|id| k.id == id))
                .map(|k| k.colour)
                .max();
        }
        ids()
            .filter_map(|id| index.find(alerts, &a.origin, id))
            .map(|i| alerts[i].colour)
            .max()
    }

    /// The wall as built is still right: same alerts, same filter, and the clock has not
    /// reached anything that changes it.
    fn wall_fresh(&self) -> bool {
        self.wall.built_at.is_some_and(|b| b <= self.now)
            && self.wall.built.until.is_none_or(|u| self.now < u)
    }

    fn shown_fresh(&self) -> bool {
        self.wall_fresh() && self.wall.filter == self.filters.get(FilterTarget::Alerts)
    }

    /// Bring the wall up to date with everything changed since it was built (the console
    /// runs this before each frame; it costs nothing when nothing changed). True when the
    /// wall was sorted again.
    pub fn refresh_wall(&mut self) -> bool {
        let rebuilt = !self.wall_fresh();
        if rebuilt {
            self.wall.built = wall::build(&self.alerts, self.now);
            self.wall.built_at = Some(self.now);
        }
        let text = self.filters.get(FilterTarget::Alerts);
        if rebuilt || self.wall.filter != text {
            let q = Query::parse(text);
            let alerts = &self.alerts;
            self.wall.shown = if q.is_empty() {
                self.wall.built.order.clone()
            } else {
                let order = self.wall.built.order.iter().copied();
                order.filter(|&i| q.alert(&alerts[i as usize])).collect()
            };
            self.wall.filter = text.to_owned();
        }
        rebuilt
    }

    /// Alerts in force, then those cancelled in the last two hours (shown as cancelled, so
    /// a cancellation is seen rather than an alert silently vanishing).
    pub fn visible_alerts(&self) -> Vec<&Alert> {
        let alerts = &self.alerts;
        let at = |i: &u32| &alerts[*i as usize];
        if self.wall_fresh() {
            return self.wall.built.order.iter().map(at).collect();
        }
        wall::build(alerts, self.now).order.iter().map(at).collect()
    }

    /// Alerts that carry a silence, active or ended (few: the tick looks only at these).
    pub fn alerts_with_silence(&self) -> Box<dyn Iterator<Item = &Alert> + '_> {
        // Whether an alert carries a silence does not change with the clock.
        if self.wall.built_at.is_some() {
            let alerts = &self.alerts;
            let with = &self.wall.built.with_silence;
            return Box::new(with.iter().map(|&i| &alerts[i as usize]));
        }
        Box::new(self.alerts.iter().filter(|a| a.silence.is_some()))
    }

    /// Warnings in force by colour, indexed by `Colour as usize`.
    pub fn alert_counts(&self) -> [usize; 4] {
        super::cache_head::whole_counts(self, self.held_counts())
    }

    /// `alert_counts` over the alerts held (a source shown from its cache's head counts
    /// only its head).
    fn held_counts(&self) -> [usize; 4] {
        if self.wall_fresh() {
            return self.wall.built.counts;
        }
        let mut counts = [0; 4];
        for a in self.alerts.iter().filter(|a| a.in_force(self.now)) {
            counts[a.colour as usize] += 1;
        }
        counts
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

    /// When `sorted_incidents` next orders differently if only the clock moves: an
    /// incident's report falls overdue (overdue ones lead).
    pub fn incident_order_changes_at(&self) -> Option<Timestamp> {
        self.incidents
            .iter()
            .filter_map(|i| self.next_report(i))
            .filter(|d| d.done_at.is_none() && d.due > self.now)
            .map(|d| d.due)
            .min()
    }

    /// The next report an open incident owes.
    pub fn next_report(&self, i: &Incident) -> Option<Due> {
        let due = |i: &Incident| {
            (i.status == crate::model::IncidentStatus::Open)
                .then(|| next_due(i, &self.report_rules, &self.tz))
                .flatten()
        };
        // An incident of this state is found by its place (no search, no hashing); one
        // from elsewhere is worked out as it is.
        let place = (i as *const Incident as usize).wrapping_sub(self.incidents.as_ptr() as usize)
            / std::mem::size_of::<Incident>().max(1);
        if !self
            .incidents
            .get(place)
            .is_some_and(|x| std::ptr::eq(x, i))
        {
            return due(i);
        }
        let mut dues = self.dues.borrow_mut();
        dues.get_or_insert_with(|| self.incidents.iter().map(due).collect())[place].clone()
    }

    /// Every incident this console knows.
    pub fn incidents(&self) -> &[Incident] {
        &self.incidents
    }

    /// The incidents to change: their report deadlines are worked out again afterwards.
    pub fn incidents_mut(&mut self) -> &mut Vec<Incident> {
        *self.dues.get_mut() = None;
        self.retention.changed();
        &mut self.incidents
    }

    pub fn report_rules(&self) -> &ReportRules {
        &self.report_rules
    }

    /// The rules to change: every deadline is worked out again afterwards.
    pub fn report_rules_mut(&mut self) -> &mut ReportRules {
        *self.dues.get_mut() = None;
        &mut self.report_rules
    }

    /// The alert list as the wall shows it: `visible_alerts()` narrowed by the `/` filter.
    pub fn shown_alerts(&self) -> ShownAlerts<'_> {
        let alerts = &self.alerts;
        if self.shown_fresh() {
            return ShownAlerts {
                alerts,
                rows: std::borrow::Cow::Borrowed(&self.wall.shown),
                total: super::cache_head::whole_rows(self, &self.wall.built.order),
                hint: &self.wall.hint,
            };
        }
        let order = wall::build(alerts, self.now).order;
        let total = super::cache_head::whole_rows(self, &order);
        let q = Query::parse(self.filters.get(FilterTarget::Alerts));
        let rows = if q.is_empty() {
            order
        } else {
            let order = order.into_iter();
            order.filter(|&i| q.alert(&alerts[i as usize])).collect()
        };
        ShownAlerts {
            alerts,
            rows: std::borrow::Cow::Owned(rows),
            total,
            hint: &self.wall.hint,
        }
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
        let shown = self.shown_alerts();
        shown.get(shown.selected(self.selected_alert.as_ref()))
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

    /// The alert from `origin` with this id, if held.
    pub fn alert(&self, origin: &str, id: &str) -> Option<&Alert> {
        // An out-of-date index scans, as `Index::find` does by itself.
        self.index
            .find(&self.alerts, origin, id)
            .and_then(|i| self.alerts.get(i))
    }

    pub fn alert_at(&self, key: &AlertKey) -> Option<&Alert> {
        self.alert(&key.origin, &key.id)
    }

    /// The first alert held with this id, whatever its source: only where the id is known
    /// to be the only one (tests, a single source); the selection uses `alert_at`.
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

/// The alerts the wall shows, in order: positions in `State::alerts`, borrowed from the
/// kept wall when it is up to date (a frame then copies nothing).
pub struct ShownAlerts<'a> {
    alerts: &'a [Alert],
    rows: std::borrow::Cow<'a, [u32]>,
    /// How many the wall has before the filter.
    pub total: usize,
    hint: &'a std::cell::Cell<usize>,
}

impl<'a> ShownAlerts<'a> {
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn get(&self, n: usize) -> Option<&'a Alert> {
        let i = *self.rows.get(n)?;
        self.alerts.get(i as usize)
    }

    pub fn iter(&self) -> impl Iterator<Item = &'a Alert> + '_ {
        self.rows.iter().map(|&i| &self.alerts[i as usize])
    }

    /// Rows `from..to` (clamped to the list).
    pub fn range(&self, from: usize, to: usize) -> impl Iterator<Item = &'a Alert> + '_ {
        let to = to.min(self.rows.len());
        self.rows[from.min(to)..to]
            .iter()
            .map(|&i| &self.alerts[i as usize])
    }

    /// The selection has moved to row `n`: look there first next time.
    pub fn note_selected(&self, n: usize) {
        self.hint.set(n);
    }

    /// The row of this alert (the first row when none or gone). Where it was last found is
    /// tried first, so moving along a long wall does not scan it.
    pub fn selected(&self, key: Option<&AlertKey>) -> usize {
        let Some(key) = key else { return 0 };
        let guess = self.hint.get();
        if self.get(guess).is_some_and(|a| key.is(a)) {
            return guess;
        }
        let found = self.iter().position(|a| key.is(a));
        if let Some(n) = found {
            self.hint.set(n);
        }
        found.unwrap_or(0)
    }
}
