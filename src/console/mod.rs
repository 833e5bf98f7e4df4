//! The console runtime: terminal setup and restore, and the one event loop that feeds
//! keys, source updates and clock ticks to `update`, drawing only when something changed.

use crate::app::keymap::Keymap;
use crate::app::{Effect, Lang, Msg, SourceHealth, State, update};
use crate::client::DutyClient;
use crate::config::ConsoleConfig;
use crate::sources::duty_api::DutyApiSource;
use crate::ui;
use crate::ui::theme::Theme;
use anyhow::Context;
use crossterm::event::{Event, EventStream, KeyEventKind};
use futures::StreamExt;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use std::time::Duration;
use tokio::sync::mpsc;

pub mod outbox;
pub mod persist;
pub mod screen;

pub struct ConsoleOptions {
    pub server: String,
    pub token: String,
    /// Timeouts, body cap and extra CA for the duty API.
    pub client: crate::client::ClientOptions,
    pub demo: bool,
    pub config: ConsoleConfig,
    /// Who is on duty at this console (else asked at start).
    pub officer: Option<String>,
    /// A wall display: no actions.
    pub read_only: bool,
    /// Feeds besides the duty API.
    pub feeds: Vec<crate::feeds::config::FeedConfig>,
    /// Keymap, theme and language as resolved at start; None: the built-in defaults.
    pub look: Option<crate::look::Look>,
    /// Where the local store lives; None: nothing is kept between runs.
    pub data_dir: Option<std::path::PathBuf>,
}

/// Build the initial state from the configuration (no terminal, no network).
pub fn initial_state(config: &ConsoleConfig, demo: bool, now: Timestamp) -> anyhow::Result<State> {
    let tz = TimeZone::get(&config.timezone)
        .with_context(|| format!("console.timezone: unknown time zone {:?}", config.timezone))?;
    let mut state = State::new(now, tz, Keymap::embedded(), Theme::embedded());
    state.session.office = config.office.clone();
    state.session.lang = Lang::from_code(&config.language);
    state.session.stale_after = SignedDuration::from_secs(config.stale_after_seconds.max(1) as i64);
    state.session.demo = demo;
    state.session.demo_started = demo;
    if let Some(rules) = &config.reporting {
        *state.records.report_rules_mut() = rules.clone();
    }
    state.said.notify.settings = config.notify.clone();
    Ok(state)
}

/// Every configured source is on the status bar from the start, with the silence after
/// which it is stale: `stale_after_seconds`, or two of its intervals if that is longer.
/// A file read once is never stale.
pub fn register_sources(
    state: &mut State,
    config: &ConsoleConfig,
    feeds: &[crate::feeds::config::FeedConfig],
) {
    let floor = state.session.stale_after;
    let limit = |every_secs: u64| Some(floor.max(SignedDuration::from_secs(2 * every_secs as i64)));
    state.records.sources.push(SourceHealth::new(
        crate::app::outbox::ACTION_SOURCE,
        limit(config.poll_seconds.max(1)),
    ));
    for f in feeds
        .iter()
        .filter(|f| f.kind != crate::feeds::config::FeedKind::DutyApi)
    {
        state
            .records
            .sources
            .push(SourceHealth::new(&f.name, limit(f.interval_seconds.max(1))));
    }
    if config.experts_file.is_some() {
        state
            .records
            .sources
            .push(SourceHealth::new(EXPERTS_FILE, None));
    }
}

/// The source name of an expert pool read from a file.
const EXPERTS_FILE: &str = "experts_file";

pub async fn run(opts: ConsoleOptions) -> anyhow::Result<()> {
    // Said plainly before anything starts, rather than as a panic from deep in the
    // terminal set-up (run from cron, a pipe or a service without a terminal).
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        anyhow::bail!(
            "the watch screen needs a terminal, and standard input or output is not one \
             (for scripts: `watchroom handover`, `watchroom check-source`, `watchroom serve`)"
        );
    }
    let mut state = initial_state(&opts.config, opts.demo, Timestamp::now())?;
    let mut config_dir = None;
    if let Some(look) = opts.look {
        state.session.keymap = look.keymap.value;
        state.session.theme = look.theme.value;
        state.session.lang = look.lang;
        config_dir = look.config_dir;
    }
    // Listed once here so that `:theme` completes them without touching the disk.
    state.session.user_themes = Theme::available(config_dir.as_deref())
        .into_iter()
        .filter(|n| Theme::builtin(n).is_none())
        .collect();
    state.session.source_kinds = source_kinds(&opts.feeds);
    state.session.officer = opts.officer.or_else(|| opts.config.officer.clone());
    state.session.read_only = opts.read_only;
    if state.session.read_only {
        state.session.keymap = state.session.keymap.clone().without_writes();
    }
    state.actions.key_prefix = uuid::Uuid::new_v4().simple().to_string()[..12].to_owned();
    register_sources(&mut state, &opts.config, &opts.feeds);
    // A wrong address or CA file stops the start here, said plainly. The HTTP client itself
    // is built on the blocking pool, out of the first frame's way: it loads the system's
    // root certificates, tens of milliseconds.
    DutyClient::check(&opts.server, &opts.client)?;
    let client = {
        let (server, token, options) =
            (opts.server.clone(), opts.token.clone(), opts.client.clone());
        let build = tokio::task::spawn_blocking(move || {
            DutyClient::with_options(&server, &token, options).map_err(|e| e.to_string())
        });
        futures::FutureExt::shared(Box::pin(async move {
            build
                .await
                .map_err(|e| e.to_string())
                .and_then(|built| built)
        }))
    };

    // Where each stored source came from: a cache from another server is not shown.
    let mut locations = vec![(
        crate::app::outbox::ACTION_SOURCE.to_owned(),
        opts.server.clone(),
    )];
    locations.extend(
        opts.feeds
            .iter()
            .filter(|f| f.kind != crate::feeds::config::FeedKind::DutyApi)
            .map(|f| (f.name.clone(), f.url.clone())),
    );
    let experts_copy = opts
        .data_dir
        .as_deref()
        .filter(|_| opts.config.experts_file.is_none())
        .and_then(|d| crate::experts::cache::default_path(Some(d)));
    // The cache is read before the first frame, so the screen starts with it.
    let opened = persist::open(
        opts.data_dir.clone(),
        opts.server.clone(),
        locations.clone(),
        experts_copy.clone(),
    )
    .await;
    let (store, restored, rest) = match opened {
        Ok(opened) => opened,
        Err(e) => {
            state.store.problem = Some(format!("{e:#}"));
            (None, Default::default(), Default::default())
        }
    };
    let queue: std::collections::VecDeque<_> =
        restored.outbox.iter().map(|q| q.command.clone()).collect();
    let restore_effects = update(&mut state, Msg::Restored(restored));

    let (source_tx, mut rx) = mpsc::channel(1024);
    let source = tokio::spawn({
        let (client, tx) = (client.clone(), source_tx.clone());
        let poll = Duration::from_secs(opts.config.poll_seconds.max(1));
        let fetch_experts = opts.config.experts_file.is_none();
        async move {
            let name = crate::app::outbox::ACTION_SOURCE.to_owned();
            match client.await {
                Ok(client) => {
                    DutyApiSource {
                        name,
                        client,
                        poll,
                        tx,
                        fetch_experts,
                        silence: crate::sources::duty_api::STREAM_SILENCE,
                    }
                    .run()
                    .await
                }
                Err(reason) => {
                    let event = crate::sources::SourceEvent::Failed { reason };
                    let at = Timestamp::now();
                    let update = crate::sources::SourceUpdate {
                        source: name,
                        at,
                        event,
                    };
                    let _ = tx.send(update).await;
                }
            }
        }
    });
    if let Some(path) = opts.config.experts_file.clone() {
        tokio::spawn(experts_from_file(path, source_tx.clone()));
    }
    let mut feeds = Vec::new();
    for config in opts.feeds {
        if config.kind == crate::feeds::config::FeedKind::DutyApi {
            continue;
        }
        feeds.push(tokio::spawn(
            crate::sources::feed::FeedSource {
                config,
                zone: state.session.tz.clone(),
                tx: source_tx.clone(),
            }
            .run(),
        ));
    }
    drop(source_tx);
    let (out_tx, out_rx) = mpsc::unbounded_channel();
    let (recorded_tx, recorded_rx) = mpsc::unbounded_channel();
    let (result_tx, mut result_rx) = mpsc::channel(256);
    let wake = std::sync::Arc::new(tokio::sync::Notify::new());
    let recorder = tokio::spawn(outbox::record(
        store.clone(),
        opts.server.clone(),
        out_rx,
        recorded_tx,
        result_tx.clone(),
    ));
    let sender = tokio::spawn({
        let (store, report, wake) = (store.clone(), result_tx.clone(), wake.clone());
        async move {
            // Without a client nothing can be sent: the source says why, and the store keeps
            // every action for the next start.
            if let Ok(client) = client.await {
                outbox::deliver(outbox::Delivery {
                    client,
                    store,
                    queue,
                    recorded: recorded_rx,
                    report,
                    wake,
                })
                .await;
            }
        }
    });
    let notifier = crate::notify::desktop::Notifier::new(
        &opts.config.notify,
        crate::notify::desktop::session_bus_present(),
        result_tx.clone(),
    );
    let saver = persist::Saver::start(store.clone(), locations, result_tx.clone());
    // NO_COLOR is handled by choosing the modifiers-only theme. crossterm's own handling
    // writes an SGR reset for every colour change, which would also cancel the bold and
    // reverse video that theme relies on; and a theme the user named on purpose wins.
    crossterm::style::force_color_output(true);
    let mut terminal = screen::enter().context("setting up the terminal")?;
    let mut io = LoopIo {
        sources: &mut rx,
        results: &mut result_rx,
        outbox: Some(out_tx),
        server: opts.server.clone(),
        experts_copy,
        data_dir: if opts.demo {
            None
        } else {
            opts.data_dir.clone()
        },
        store,
        saver,
        wake,
        save_at: None,
        notifier,
        answers: result_tx,
        config_dir,
        given_back: std::time::Instant::now(),
        rest: Some(rest),
    };
    io.perform(restore_effects);
    let result = event_loop(&mut terminal, &mut state, &mut io).await;
    screen::leave();
    source.abort();
    for f in feeds {
        f.abort();
    }
    // What the officer did last must be on disk before the console goes: let the recorder
    // drain its queue, and write the sources' last state.
    io.outbox = None;
    let _ = tokio::time::timeout(persist::FLUSH_LIMIT, recorder).await;
    sender.abort();
    io.saver.flush(&mut state).await;
    result
}

/// What kind of feed each source is, as `:sources` shows it.
fn source_kinds(feeds: &[crate::feeds::config::FeedConfig]) -> Vec<(String, String)> {
    let mut kinds = vec![
        (
            crate::app::outbox::ACTION_SOURCE.to_owned(),
            "duty API".to_owned(),
        ),
        ("experts_file".to_owned(), "experts file".to_owned()),
    ];
    for f in feeds {
        kinds.push((f.name.clone(), crate::app::keymap::serde_name(&f.kind)));
    }
    kinds
}

/// Read the configured expert file off the UI task and hand the pool to the app; a bad row
/// only warns, an unreadable file shows as a failed source.
async fn experts_from_file(
    path: std::path::PathBuf,
    tx: mpsc::Sender<crate::sources::SourceUpdate>,
) {
    use crate::sources::{SourceEvent, SourceUpdate};
    let read = tokio::task::spawn_blocking({
        let path = path.clone();
        move || crate::experts::import::import_file(&path)
    })
    .await;
    let mut events = Vec::new();
    match read {
        Ok(Ok(imported)) => {
            events.extend(
                imported
                    .warnings
                    .into_iter()
                    .map(|text| SourceEvent::Warning { text }),
            );
            events.push(SourceEvent::Experts(imported.directory));
            events.push(SourceEvent::Alive { live: false });
        }
        Ok(Err(e)) => events.push(SourceEvent::Failed {
            reason: format!("{e:#}"),
        }),
        Err(e) => events.push(SourceEvent::Failed {
            reason: e.to_string(),
        }),
    }
    for event in events {
        let update = SourceUpdate {
            source: EXPERTS_FILE.to_owned(),
            at: Timestamp::now(),
            event,
        };
        if tx.send(update).await.is_err() {
            return;
        }
    }
}

/// The channels the loop reads and writes besides the terminal.
struct LoopIo<'a> {
    sources: &'a mut mpsc::Receiver<crate::sources::SourceUpdate>,
    results: &'a mut mpsc::Receiver<Msg>,
    /// None once the console is closing.
    outbox: Option<mpsc::UnboundedSender<crate::app::command::Command>>,
    /// The backend's URL, recorded with the offline expert copy.
    server: String,
    /// Where the offline expert copy goes (None: the demo, or a pool from a file).
    experts_copy: Option<std::path::PathBuf>,
    /// Signed handovers are kept here as Markdown (None: the demo keeps nothing).
    data_dir: Option<std::path::PathBuf>,
    store: Option<crate::store::StoreHandle>,
    saver: persist::Saver,
    wake: std::sync::Arc<tokio::sync::Notify>,
    /// When the sources changed since the last save are written (debounced).
    save_at: Option<tokio::time::Instant>,
    /// Desktop notifications; their outcomes come back on `results`.
    notifier: crate::notify::desktop::Notifier,
    /// Where work done off the UI task sends its answer back as a message.
    answers: mpsc::Sender<Msg>,
    /// The rest of the cache, read once the first frame is out.
    rest: Option<persist::Rest>,
    /// The user's config directory, where `:theme NAME` finds their themes.
    config_dir: Option<std::path::PathBuf>,
    /// When freed memory was last given back (`memory::give_back`).
    given_back: std::time::Instant,
}

impl LoopIo<'_> {
    /// Carry out effects; true when the console should stop.
    fn perform(&self, effects: Vec<Effect>) -> bool {
        let mut quit = false;
        for e in effects {
            match e {
                Effect::Quit => quit = true,
                Effect::Copy(text) => {
                    use std::io::Write;
                    let mut out = std::io::stdout();
                    let seq = crate::app::experts::osc52(&text);
                    let _ = out.write_all(seq.as_bytes()).and_then(|()| out.flush());
                }
                // Disk work goes to the blocking pool, never the loop that draws.
                Effect::SaveExperts(dir) => {
                    if let Some(path) = self.experts_copy.clone() {
                        let source = self.server.clone();
                        tokio::task::spawn_blocking(move || {
                            let _ =
                                crate::experts::cache::save(&path, &dir, &source, Timestamp::now());
                        });
                    }
                }
                Effect::Bell => ring_bell(),
                Effect::Notify(n) => {
                    let bell = n.bell_if_undelivered;
                    if !self.notifier.dispatch(n) && bell {
                        ring_bell();
                    }
                }
                Effect::SaveHandover { name, markdown } => {
                    if let Some(dir) = self.data_dir.as_ref().map(|d| d.join("handovers")) {
                        tokio::task::spawn_blocking(move || {
                            let _ = std::fs::create_dir_all(&dir).and_then(|()| {
                                crate::private_file::write(&dir.join(name), markdown.as_bytes())
                            });
                        });
                    }
                }
                // The recorder writes it to the store, then the sender sends it.
                Effect::Send(c) => {
                    if let Some(out) = &self.outbox {
                        let _ = out.send(c);
                    }
                }
                Effect::RetryOutbox => self.wake.notify_one(),
                Effect::RejectionsShown(keys) => {
                    if let Some(store) = self.store.clone() {
                        tokio::spawn(async move {
                            let _ = store.run(move |s| s.rejections_shown(&keys)).await;
                        });
                    }
                }
                Effect::LoadTheme(name) => {
                    let dir = self.config_dir.clone();
                    let answers = self.answers.clone();
                    tokio::spawn(async move {
                        let read = tokio::task::spawn_blocking({
                            let name = name.clone();
                            move || Theme::by_name(&name, dir.as_deref())
                        })
                        .await;
                        let result = match read {
                            Ok(Ok((theme, _))) => Ok(theme),
                            Ok(Err(e)) => Err(e.to_string()),
                            Err(e) => Err(e.to_string()),
                        };
                        let _ = answers.send(Msg::ThemeLoaded { name, result }).await;
                    });
                }
            }
        }
        quit
    }
}

/// BEL on the terminal, from the loop only, so it never lands inside a frame being drawn.
fn ring_bell() {
    use std::io::Write;
    let mut out = std::io::stdout();
    let _ = out.write_all(b"\x07").and_then(|()| out.flush());
}

async fn event_loop(
    terminal: &mut screen::Term,
    state: &mut State,
    io: &mut LoopIo<'_>,
) -> anyhow::Result<()> {
    let mut events = EventStream::new();
    let mut signals = Signals::new()?;
    let mut shown = screen::Shown::default();
    let size = terminal.size()?;
    state.view.size = (size.width, size.height);
    // Tick on whole seconds so the clock on screen changes when the real one does.
    let first = Duration::from_nanos(
        1_000_000_000 - u64::from(Timestamp::now().subsec_nanosecond().max(0) as u32),
    );
    let mut tick =
        tokio::time::interval_at(tokio::time::Instant::now() + first, Duration::from_secs(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);

    let mut kept = ui::panes::Kept::default();
    loop {
        if state.dirty || state.clock_moved {
            frame(terminal, state, &mut shown, &mut kept)?;
            if let Some(rest) = io.rest.take() {
                rest.start(io.answers.clone());
            }
        }
        let save_at = io.save_at;
        let first = tokio::select! {
            ev = events.next() => match ev {
                Some(Ok(ev)) => Input::Terminal(ev),
                Some(Err(e)) => return Err(e).context("reading the terminal"),
                None => return Ok(()),
            },
            Some(u) = io.sources.recv() => Input::Msg(Msg::Source(u)),
            Some(m) = io.results.recv() => Input::Msg(m),
            _ = tick.tick(), if state.needs_tick() || state.reminder_pending() => {
                Input::Msg(Msg::Tick(Timestamp::now()))
            }
            _ = persist::until(save_at) => {
                io.save_at = None;
                io.saver.save(state);
                continue;
            }
            _ = signals.recv() => return Ok(()),
        };
        // Everything already waiting goes into this one frame: a burst of source updates,
        // a storm of resize events while a window is dragged, keys typed ahead.
        let mut terminal_events = Vec::new();
        let mut msgs = Vec::new();
        match first {
            Input::Terminal(ev) => terminal_events.push(ev),
            Input::Msg(m) => msgs.push(m),
        }
        // Polled with this task's waker (`poll!`), not a no-op one (`now_or_never`):
        // crossterm's stream keeps the waker of the poll that found nothing and wakes only
        // that one when input comes, so a no-op waker here left the next key unread until
        // the clock's tick woke the loop, up to a second later.
        while let std::task::Poll::Ready(Some(Ok(ev))) = futures::poll!(events.next()) {
            terminal_events.push(ev);
        }
        while let Ok(u) = io.sources.try_recv() {
            msgs.push(Msg::Source(u));
        }
        let mut effects = Vec::new();
        for input in coalesce(terminal_events) {
            match input {
                TerminalInput::Msg(m) => {
                    // Shrunk and grown back between frames, the terminal may hold reflowed
                    // or cut cells that the last frame no longer describes: the next frame
                    // clears it and is drawn whole.
                    if let Msg::Resize(width, height) = m {
                        terminal.backend_mut().resize(width, height);
                        terminal.clear()?;
                        shown.forget();
                    }
                    effects.extend(update(state, m))
                }
                TerminalInput::Suspend => {
                    suspend(terminal)?;
                    shown.forget();
                    let size = terminal.size()?;
                    effects.extend(update(state, Msg::Resize(size.width, size.height)));
                    state.dirty = true;
                }
            }
        }
        for m in msgs {
            effects.extend(update(state, m));
        }
        // A big wall's passing work — retention each minute, a whole frame after a key —
        // frees memory the allocator would keep: it goes back once a minute.
        if state.records.alerts().len() >= crate::memory::BIG_WALL
            && io.given_back.elapsed() >= crate::memory::EVERY
        {
            io.given_back = std::time::Instant::now();
            tokio::task::spawn_blocking(crate::memory::give_back);
        }
        if io.perform(effects) {
            return Ok(());
        }
        // Changed sources are written a little later, so a burst is one write.
        if !state.store.unsaved.is_empty() && io.save_at.is_none() {
            io.save_at = Some(tokio::time::Instant::now() + persist::SAVE_AFTER);
        }
    }
}

/// Draw the frame for what changed since the last one: only the panes the time changed,
/// over the last frame, when nothing but the clock moved; else the whole screen.
pub fn frame<W: std::io::Write>(
    terminal: &mut ratatui::Terminal<screen::Writer<W>>,
    state: &mut State,
    shown: &mut screen::Shown,
    kept: &mut ui::panes::Kept,
) -> std::io::Result<()> {
    // Once for everything since the last frame (a burst of alerts sorts once).
    let sorted = state.refresh_wall();
    let whole = state.dirty || sorted;
    // The size the last resize event gave, not asked of the terminal: crossterm opens
    // /dev/tty for each such question, every second.
    let area = ratatui::layout::Rect::new(0, 0, state.view.size.0, state.view.size.1);
    let due = (!whole)
        .then(|| ui::panes::due(state, area, kept))
        .flatten();
    let over = match due {
        Some(due) => screen::over(terminal, shown, area, &due.rects(), |f| {
            ui::panes::draw_due(state, f, &due, kept)
        })?,
        None => false,
    };
    if !over {
        screen::whole(terminal, shown, |f| ui::draw_whole(state, f, kept))?;
    }
    state.dirty = false;
    state.clock_moved = false;
    Ok(())
}

// Built once per wake-up and consumed at once; boxing would only add an allocation.
#[allow(clippy::large_enum_variant)]
enum Input {
    Terminal(Event),
    Msg(Msg),
}

/// What the loop does with a terminal event.
#[derive(Debug, PartialEq)]
#[allow(clippy::large_enum_variant)]
pub enum TerminalInput {
    Msg(Msg),
    /// Ctrl-Z: give the terminal back to the shell until `fg`.
    Suspend,
}

/// Turn a batch of terminal events into messages. Of a run of resizes only the last counts
/// (a window being dragged sends dozens; the screen is laid out once, at the final size).
pub fn coalesce(events: Vec<Event>) -> Vec<TerminalInput> {
    use crossterm::event::{KeyCode, KeyModifiers};
    let mut out: Vec<TerminalInput> = Vec::new();
    for ev in events {
        let input = match ev {
            Event::Key(k)
                if k.kind != KeyEventKind::Release
                    && k.code == KeyCode::Char('z')
                    && k.modifiers.contains(KeyModifiers::CONTROL) =>
            {
                TerminalInput::Suspend
            }
            Event::Key(k) if k.kind != KeyEventKind::Release => TerminalInput::Msg(Msg::Key(k)),
            Event::Resize(w, h) => {
                if let Some(TerminalInput::Msg(Msg::Resize(..))) = out.last() {
                    out.pop();
                }
                TerminalInput::Msg(Msg::Resize(w, h))
            }
            _ => continue,
        };
        out.push(input);
    }
    out
}

/// Ctrl-Z: restore the terminal, stop like any job does (SIGTSTP), and on `fg` (SIGCONT)
/// take the terminal back; the caller redraws.
fn suspend(terminal: &mut screen::Term) -> anyhow::Result<()> {
    screen::leave();
    #[cfg(unix)]
    nix::sys::signal::raise(nix::sys::signal::Signal::SIGTSTP).context("suspending (SIGTSTP)")?;
    // Execution resumes here after SIGCONT.
    crossterm::terminal::enable_raw_mode().context("re-entering raw mode")?;
    crossterm::execute!(
        std::io::stdout(),
        crossterm::terminal::EnterAlternateScreen,
        crossterm::terminal::Clear(crossterm::terminal::ClearType::All)
    )
    .context("re-entering the alternate screen")?;
    // The shell wrote to the terminal meanwhile, and its window may have changed size: the
    // next frame clears it and is drawn whole, with the cursor set afresh.
    let (width, height) = crossterm::terminal::size().context("reading the terminal's size")?;
    let writer = terminal.backend_mut();
    writer.forget_cursor();
    writer.resize(width, height);
    terminal.clear().context("clearing the terminal")?;
    Ok(())
}

/// SIGTERM and SIGHUP end the console the same way `q` does, so the terminal is restored.
struct Signals {
    #[cfg(unix)]
    term: tokio::signal::unix::Signal,
    #[cfg(unix)]
    hup: tokio::signal::unix::Signal,
}

impl Signals {
    fn new() -> anyhow::Result<Signals> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Ok(Signals {
                term: signal(SignalKind::terminate()).context("installing the SIGTERM handler")?,
                hup: signal(SignalKind::hangup()).context("installing the SIGHUP handler")?,
            })
        }
        #[cfg(not(unix))]
        Ok(Signals {})
    }

    async fn recv(&mut self) {
        #[cfg(unix)]
        tokio::select! {
            _ = self.term.recv() => {},
            _ = self.hup.recv() => {},
        }
        #[cfg(not(unix))]
        std::future::pending::<()>().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    #[test]
    fn a_resize_storm_becomes_one_resize() {
        let mut storm: Vec<Event> = (0..1000).map(|n| Event::Resize(80 + n % 50, 24)).collect();
        storm.push(Event::Resize(132, 43));
        assert_eq!(
            coalesce(storm),
            vec![TerminalInput::Msg(Msg::Resize(132, 43))]
        );
    }

    #[test]
    fn keys_between_resizes_keep_their_order_and_ctrl_z_suspends() {
        let key = |c, m| Event::Key(KeyEvent::new(KeyCode::Char(c), m));
        let out = coalesce(vec![
            Event::Resize(90, 30),
            Event::Resize(100, 30),
            key('j', KeyModifiers::NONE),
            Event::Resize(120, 40),
            key('z', KeyModifiers::CONTROL),
        ]);
        assert_eq!(out.len(), 4, "{out:?}");
        assert_eq!(out[0], TerminalInput::Msg(Msg::Resize(100, 30)));
        assert!(matches!(out[1], TerminalInput::Msg(Msg::Key(_))));
        assert_eq!(out[2], TerminalInput::Msg(Msg::Resize(120, 40)));
        assert_eq!(out[3], TerminalInput::Suspend);
    }
}
