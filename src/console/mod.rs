//! The console runtime: terminal setup and restore, and the one event loop that feeds
//! keys, source updates and clock ticks to `update`, drawing only when something changed.

use crate::app::keymap::Keymap;
use crate::app::{Effect, Lang, Msg, State, update};
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
use ratatui::DefaultTerminal;
use std::time::Duration;
use tokio::sync::mpsc;

pub mod outbox;

pub struct ConsoleOptions {
    pub server: String,
    pub token: String,
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
}

/// Build the initial state from the configuration (no terminal, no network).
pub fn initial_state(config: &ConsoleConfig, demo: bool, now: Timestamp) -> anyhow::Result<State> {
    let tz = TimeZone::get(&config.timezone)
        .with_context(|| format!("console.timezone: unknown time zone {:?}", config.timezone))?;
    let mut state = State::new(now, tz, Keymap::embedded(), Theme::embedded());
    state.office = config.office.clone();
    state.lang = Lang::from_code(&config.language);
    state.stale_after = SignedDuration::from_secs(config.stale_after_seconds.max(1) as i64);
    state.demo = demo;
    if let Some(rules) = &config.reporting {
        state.report_rules = rules.clone();
    }
    Ok(state)
}

pub async fn run(opts: ConsoleOptions) -> anyhow::Result<()> {
    let mut state = initial_state(&opts.config, opts.demo, Timestamp::now())?;
    let mut config_dir = None;
    if let Some(look) = opts.look {
        state.keymap = look.keymap.value;
        state.theme = look.theme.value;
        state.lang = look.lang;
        config_dir = look.config_dir;
    }
    // Listed once here so that `:theme` completes them without touching the disk.
    state.user_themes = Theme::available(config_dir.as_deref())
        .into_iter()
        .filter(|n| Theme::builtin(n).is_none())
        .collect();
    state.source_kinds = source_kinds(&opts.feeds);
    state.officer = opts.officer.or_else(|| opts.config.officer.clone());
    state.read_only = opts.read_only;
    if state.read_only {
        state.keymap = state.keymap.clone().without_writes();
    }
    state.key_prefix = uuid::Uuid::new_v4().simple().to_string()[..12].to_owned();
    let client = DutyClient::new(&opts.server, &opts.token)?;
    let (source_tx, mut rx) = mpsc::channel(1024);
    let source = tokio::spawn(
        DutyApiSource {
            name: crate::app::workflow::ACTION_SOURCE.to_owned(),
            client: client.clone(),
            poll: Duration::from_secs(opts.config.poll_seconds.max(1)),
            tx: source_tx.clone(),
            fetch_experts: opts.config.experts_file.is_none(),
        }
        .run(),
    );
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
                zone: state.tz.clone(),
                tx: source_tx.clone(),
            }
            .run(),
        ));
    }
    drop(source_tx);
    let (out_tx, out_rx) = mpsc::unbounded_channel();
    let (result_tx, mut result_rx) = mpsc::channel(256);
    let sender = tokio::spawn(outbox::run(client, out_rx, result_tx.clone()));
    // ratatui::init enters raw mode and the alternate screen and installs a panic hook
    // that restores the terminal before the panic message is printed.
    // NO_COLOR is handled by choosing the modifiers-only theme. crossterm's own handling
    // writes an SGR reset for every colour change, which would also cancel the bold and
    // reverse video that theme relies on; and a theme the user named on purpose wins.
    crossterm::style::force_color_output(true);
    let mut terminal = ratatui::init();
    let mut io = LoopIo {
        sources: &mut rx,
        results: &mut result_rx,
        outbox: out_tx,
        server: opts.server.clone(),
        answers: result_tx,
        config_dir,
    };
    let result = event_loop(&mut terminal, &mut state, &mut io).await;
    ratatui::restore();
    source.abort();
    sender.abort();
    for f in feeds {
        f.abort();
    }
    result
}

/// What kind of feed each source is, as `:sources` shows it.
fn source_kinds(feeds: &[crate::feeds::config::FeedConfig]) -> Vec<(String, String)> {
    let mut kinds = vec![
        (
            crate::app::workflow::ACTION_SOURCE.to_owned(),
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
            source: "experts_file".to_owned(),
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
    outbox: mpsc::UnboundedSender<crate::app::command::Command>,
    /// The backend's URL, recorded with the offline expert copy.
    server: String,
    /// Where work done off the UI task sends its answer back as a message.
    answers: mpsc::Sender<Msg>,
    /// The user's config directory, where `:theme NAME` finds their themes.
    config_dir: Option<std::path::PathBuf>,
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
                    let seq = crate::app::experts_view::osc52(&text);
                    let _ = out.write_all(seq.as_bytes()).and_then(|()| out.flush());
                }
                // Disk work goes to the blocking pool, never the loop that draws.
                Effect::SaveExperts(dir) => {
                    if let Some(path) = crate::experts::cache::default_path() {
                        let source = self.server.clone();
                        tokio::task::spawn_blocking(move || {
                            let _ =
                                crate::experts::cache::save(&path, &dir, &source, Timestamp::now());
                        });
                    }
                }
                Effect::Bell => {
                    use std::io::Write;
                    let mut out = std::io::stdout();
                    let _ = out.write_all(b"\x07").and_then(|()| out.flush());
                }
                Effect::SaveHandover { name, markdown } => {
                    if let Some(dirs) = crate::config::project_dirs() {
                        let dir = dirs.data_dir().join("handovers");
                        tokio::task::spawn_blocking(move || {
                            let _ = std::fs::create_dir_all(&dir)
                                .and_then(|()| std::fs::write(dir.join(name), markdown));
                        });
                    }
                }
                // The sender task lives as long as the loop; if it is gone we are quitting.
                Effect::Send(c) => {
                    let _ = self.outbox.send(c);
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

async fn event_loop(
    terminal: &mut DefaultTerminal,
    state: &mut State,
    io: &mut LoopIo<'_>,
) -> anyhow::Result<()> {
    let mut events = EventStream::new();
    let mut signals = Signals::new()?;
    let size = terminal.size()?;
    state.size = (size.width, size.height);
    // Tick on whole seconds so the clock on screen changes when the real one does.
    let first = Duration::from_nanos(
        1_000_000_000 - u64::from(Timestamp::now().subsec_nanosecond().max(0) as u32),
    );
    let mut tick =
        tokio::time::interval_at(tokio::time::Instant::now() + first, Duration::from_secs(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);

    loop {
        if state.dirty {
            draw(terminal, state)?;
            state.dirty = false;
        }
        let msg = tokio::select! {
            ev = events.next() => match ev {
                Some(Ok(Event::Key(k))) if k.kind != KeyEventKind::Release => Msg::Key(k),
                Some(Ok(Event::Resize(w, h))) => Msg::Resize(w, h),
                Some(Ok(_)) => continue,
                Some(Err(e)) => return Err(e).context("reading the terminal"),
                None => return Ok(()),
            },
            Some(u) = io.sources.recv() => Msg::Source(u),
            Some(m) = io.results.recv() => m,
            _ = tick.tick(), if state.needs_tick() => Msg::Tick(Timestamp::now()),
            _ = signals.recv() => return Ok(()),
        };
        let mut effects = update(state, msg);
        // Coalesce a burst of source updates into one frame.
        while let Ok(u) = io.sources.try_recv() {
            effects.extend(update(state, Msg::Source(u)));
        }
        if io.perform(effects) {
            return Ok(());
        }
    }
}

fn draw(terminal: &mut DefaultTerminal, state: &State) -> anyhow::Result<()> {
    use crossterm::terminal::{BeginSynchronizedUpdate, EndSynchronizedUpdate};
    crossterm::execute!(std::io::stdout(), BeginSynchronizedUpdate)?;
    terminal.draw(|f| ui::draw(state, f))?;
    crossterm::execute!(std::io::stdout(), EndSynchronizedUpdate)?;
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
