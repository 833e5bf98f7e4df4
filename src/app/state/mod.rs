//! The console's state in named parts: what it was started with (`session`), what the
//! sources said (`records`), what the officer is looking at (`view`), what was already
//! announced (`said`), the actions on their way (`actions`) and the local store's health
//! (`store`). Queries that need several parts — the wall as filtered now, the incidents in
//! watch order, whether a source is down — are here.

mod actions;
mod health;
mod records;
mod said;
mod session;
mod store;
mod view;

pub use actions::Actions;
pub use health::{OFFLINE_GRACE, SourceHealth, SourceStatus};
pub use records::Records;
pub use said::Said;
pub use session::{Lang, Session};
pub use store::Store;
pub use view::{DetailTarget, Flash, MIN_SIZE, Notice, Overlay, Pane, View};

use super::alert_key::AlertKey;
use super::deadlines::Due;
use super::experts::ExpertFocus;
use super::filter::{FilterTarget, Query, Shown};
use super::keymap::{Keymap, Mode};
use super::wall;
use crate::model::{Alert, Incident, incident};
use crate::ui::theme::Theme;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

#[derive(Debug, Clone)]
pub struct State {
    pub now: Timestamp,
    pub session: Session,
    pub records: Records,
    pub view: View,
    pub said: Said,
    pub actions: Actions,
    pub store: Store,
    /// Something visible changed since the last draw: the whole screen is drawn.
    pub dirty: bool,
    /// Only the clock moved since the last draw: only what the time changed is drawn.
    pub clock_moved: bool,
    pub quit: bool,
}

impl State {
    pub fn new(now: Timestamp, tz: TimeZone, keymap: Keymap, theme: Theme) -> State {
        State {
            now,
            session: Session::new(now, tz, keymap, theme),
            records: Records::default(),
            view: View::default(),
            said: Said::default(),
            actions: Actions::default(),
            store: Store::default(),
            dirty: true,
            clock_moved: false,
            quit: false,
        }
    }

    /// The language the console speaks.
    pub fn lang(&self) -> Lang {
        self.session.lang
    }

    /// The theme the console draws with.
    pub fn theme(&self) -> &Theme {
        &self.session.theme
    }

    pub fn too_small(&self) -> bool {
        self.view.too_small()
    }

    pub fn mode(&self) -> Mode {
        if self.view.prompt.is_some() {
            return Mode::Prompt;
        }
        match &self.view.overlay {
            Overlay::None => Mode::Watch,
            Overlay::Help { .. } => Mode::Help,
            Overlay::Detail { .. } => Mode::Detail,
            Overlay::Form(_) => Mode::Form,
            Overlay::Experts(v) if v.focus == ExpertFocus::Query => Mode::ExpertSearch,
            Overlay::Experts(_) => Mode::Experts,
            Overlay::Handover(_) => Mode::Handover,
            Overlay::List(_) => Mode::List,
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
        let r = &self.records;
        if self.wall_fresh() {
            let reds = &r.wall.built.red_unacked;
            return reds.iter().any(|&i| waits(&r.alerts[i as usize]));
        }
        r.alerts.iter().any(waits)
    }

    /// The 新 marks of alerts no longer kept go with them.
    pub fn forget_gone_arrivals(&mut self) {
        if self.said.arrived.is_empty() {
            return;
        }
        let r = &mut self.records;
        if !r.index.valid {
            r.index.rebuild(&r.alerts);
        }
        let (alerts, index) = (&r.alerts, &r.index);
        self.said
            .arrived
            .retain(|k, _| index.find(alerts, &k.origin, &k.id).is_some());
    }

    /// The wall as built is still right: same alerts, same filter, and the clock has not
    /// reached anything that changes it.
    fn wall_fresh(&self) -> bool {
        let w = &self.records.wall;
        w.built_at.is_some_and(|b| b <= self.now) && w.built.until.is_none_or(|u| self.now < u)
    }

    fn shown_fresh(&self) -> bool {
        self.wall_fresh() && self.records.wall.filter == self.view.filters.get(FilterTarget::Alerts)
    }

    /// Bring what is kept worked out up to date with everything changed since (the console
    /// runs this before each frame; it costs nothing when nothing changed): the wall, the
    /// row of the selected alert, each incident's next report and corrections. True when
    /// the wall was sorted again.
    pub fn refresh_wall(&mut self) -> bool {
        let rebuilt = !self.wall_fresh();
        let r = &mut self.records;
        if rebuilt {
            r.wall.built = wall::build(&r.alerts, self.now);
            r.wall.built_at = Some(self.now);
        }
        let text = self.view.filters.get(FilterTarget::Alerts);
        if rebuilt || r.wall.filter != text {
            let q = Query::parse(text);
            let alerts = &r.alerts;
            r.wall.shown = if q.is_empty() {
                r.wall.built.order.clone()
            } else {
                let order = r.wall.built.order.iter().copied();
                order.filter(|&i| q.alert(&alerts[i as usize])).collect()
            };
            r.wall.filter = text.to_owned();
        }
        self.records.refresh_dues(&self.session.tz);
        self.records.refresh_corrections();
        self.find_selected_row();
        rebuilt
    }

    /// Keep the selected alert's row where a frame looks for it first.
    pub fn find_selected_row(&mut self) {
        let row = {
            let shown = self.shown_alerts();
            shown.selected(self.view.selected_alert.as_ref(), self.view.alert_row)
        };
        self.view.alert_row = row;
    }

    /// Alerts in force, then those cancelled in the last two hours (shown as cancelled, so
    /// a cancellation is seen rather than an alert silently vanishing).
    pub fn visible_alerts(&self) -> Vec<&Alert> {
        let r = &self.records;
        let at = |i: &u32| &r.alerts[*i as usize];
        if self.wall_fresh() {
            return r.wall.built.order.iter().map(at).collect();
        }
        wall::build(&r.alerts, self.now)
            .order
            .iter()
            .map(at)
            .collect()
    }

    /// Warnings in force by colour, indexed by `Colour as usize`.
    pub fn alert_counts(&self) -> [usize; 4] {
        super::cache_head::whole_counts(self, self.held_counts())
    }

    /// `alert_counts` over the alerts held (a source shown from its cache's head counts
    /// only its head).
    fn held_counts(&self) -> [usize; 4] {
        if self.wall_fresh() {
            return self.records.wall.built.counts;
        }
        let mut counts = [0; 4];
        for a in self
            .records
            .alerts
            .iter()
            .filter(|a| a.in_force(self.now) && a.is_live())
        {
            counts[a.colour as usize] += 1;
        }
        counts
    }

    /// Alerts that have left the wall — expired, replaced by an update, cancelled or
    /// resolved — newest first: the history a duty officer looks back through.
    pub fn history(&self) -> Vec<&Alert> {
        let mut v: Vec<&Alert> = self
            .records
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
            .records
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
        self.records
            .incidents
            .iter()
            .filter_map(|i| self.next_report(i))
            .filter(|d| d.done_at.is_none() && d.due > self.now)
            .map(|d| d.due)
            .min()
    }

    /// The next report an open incident owes.
    pub fn next_report(&self, i: &Incident) -> Option<Due> {
        self.records.next_report(i, &self.session.tz)
    }

    /// The alert list as the wall shows it: `visible_alerts()` narrowed by the `/` filter.
    pub fn shown_alerts(&self) -> ShownAlerts<'_> {
        let r = &self.records;
        let alerts = &r.alerts;
        if self.shown_fresh() {
            return ShownAlerts {
                alerts,
                rows: std::borrow::Cow::Borrowed(&r.wall.shown),
                total: super::cache_head::whole_rows(self, &r.wall.built.order),
            };
        }
        let order = wall::build(alerts, self.now).order;
        let total = super::cache_head::whole_rows(self, &order);
        let q = Query::parse(self.view.filters.get(FilterTarget::Alerts));
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
        }
    }

    /// The row of the selected alert among those shown (the first when none or gone).
    pub fn selected_row(&self, shown: &ShownAlerts) -> usize {
        shown.selected(self.view.selected_alert.as_ref(), self.view.alert_row)
    }

    /// The incident list as shown: `sorted_incidents()` narrowed by the `/` filter.
    pub fn shown_incidents(&self) -> Shown<'_, Incident> {
        let all = self.sorted_incidents();
        let total = all.len();
        let q = Query::parse(self.view.filters.get(FilterTarget::Incidents));
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
        shown.get(self.selected_row(&shown))
    }

    pub fn incident_index(&self, sorted: &[&Incident]) -> usize {
        index_of(
            sorted.iter().map(|i| i.id.as_str()),
            self.view.selected_incident.as_deref(),
        )
    }

    pub fn selected_incident(&self) -> Option<&Incident> {
        let sorted = self.shown_incidents().items;
        let i = self.incident_index(&sorted);
        sorted.get(i).copied()
    }

    /// Format an instant in the configured zone.
    pub fn local(&self, t: Timestamp, fmt: &str) -> String {
        t.to_zoned_datetime(self.session.tz.clone())
            .strftime(fmt)
            .to_string()
    }

    /// How long the source has been silent that it could have spoken: since its last
    /// contact in this run, else since the console started (an old cache does not make a
    /// source we have just begun to ask late).
    fn silence(&self, s: &SourceHealth) -> SignedDuration {
        self.now
            .duration_since(s.last_ok.unwrap_or(self.session.started))
    }

    /// No contact for longer than the source's threshold.
    pub fn source_stale(&self, s: &SourceHealth) -> bool {
        s.stale_after.is_some_and(|limit| self.silence(s) > limit)
    }

    /// Silent for twice its threshold: the source is down, an alarm. Returns the time of
    /// the newest data known from it (the cache's, else the console's start).
    pub fn source_down(&self, s: &SourceHealth) -> Option<Timestamp> {
        let limit = s.stale_after?;
        (self.silence(s) > limit * 2).then(|| s.last_contact().unwrap_or(self.session.started))
    }

    /// The backend (duty API) cannot be reached: since when and why. The screen then says
    /// OFFLINE and keeps showing what it has.
    pub fn backend_offline(&self) -> Option<(Timestamp, String)> {
        let h = self.records.health(super::outbox::ACTION_SOURCE)?;
        if let (SourceStatus::Failed(why), Some(since)) = (&h.status, h.failed_since)
            && (h.last_ok.is_none() || self.now.duration_since(since) >= OFFLINE_GRACE)
        {
            return Some((since, why.clone()));
        }
        let since = self.source_down(h)?;
        let why = self.lang().t("header.no_answer").to_owned();
        Some((since, why))
    }

    /// What the screen can say it knows: `None` while no source has ever given data
    /// (nothing on screen is known to be so); else the instant the data on screen is
    /// from when the backend is offline (it may be out of date), or `Some(None)` when it is
    /// current.
    pub fn known(&self) -> Option<Option<Timestamp>> {
        let heard = self
            .records
            .sources
            .iter()
            .filter_map(SourceHealth::last_contact)
            .max()?;
        Some(self.backend_offline().map(|_| {
            self.records
                .health(super::outbox::ACTION_SOURCE)
                .and_then(SourceHealth::last_contact)
                .unwrap_or(heard)
        }))
    }

    /// Sources down besides the backend when its OFFLINE banner already says so.
    pub fn sources_down(&self) -> Vec<(&SourceHealth, Timestamp)> {
        let offline = self.backend_offline().is_some();
        self.records
            .sources
            .iter()
            .filter(|s| !(offline && s.name == super::outbox::ACTION_SOURCE))
            .filter_map(|s| self.source_down(s).map(|t| (s, t)))
            .collect()
    }

    /// The oldest cache still on screen (no fresh data from that source yet).
    pub fn cached_since(&self) -> Option<Timestamp> {
        self.records
            .sources
            .iter()
            .filter_map(|s| s.cached_at)
            .min()
    }
}

fn index_of<'a>(mut ids: impl Iterator<Item = &'a str>, want: Option<&str>) -> usize {
    want.and_then(|w| ids.position(|id| id == w)).unwrap_or(0)
}

/// The alerts the wall shows, in order: positions in the records' alerts, borrowed from
/// the kept wall when it is up to date (a frame then copies nothing).
pub struct ShownAlerts<'a> {
    alerts: &'a [Alert],
    rows: std::borrow::Cow<'a, [u32]>,
    /// How many the wall has before the filter.
    pub total: usize,
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

    /// The row of this alert (the first row when none or gone). Row `guess` is tried
    /// first, so moving along a long wall does not scan it.
    pub fn selected(&self, key: Option<&AlertKey>, guess: usize) -> usize {
        let Some(key) = key else { return 0 };
        if self.get(guess).is_some_and(|a| key.is(a)) {
            return guess;
        }
        self.iter().position(|a| key.is(a)).unwrap_or(0)
    }
}
