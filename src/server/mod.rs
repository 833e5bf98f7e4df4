//! The reference duty backend (`watchroom serve`): duty API v1 over axum + SQLite. A new
//! database starts empty; the office's data is loaded with `watchroom admin` (the `admin`
//! module, also behind admin-only routes). `--demo-data` seeds the fictional city instead,
//! and an optional scenario simulator keeps it alive.
//!
//! Layout: `routes` (HTTP handlers) → `validate` (request bodies, field by field) →
//! `store` (SQLite, one transaction per change, events) → `events` (broadcast + SSE).
//! `seed` and `simulator` drive the same store operations from the `demo/` data files.

pub mod admin;
mod auth;
mod data;
mod error;
mod events;
mod extract;
pub mod listen;
mod metrics;
mod routes;
mod seed;
mod simulator;
mod store;
mod validate;

pub use error::ApiFailure;
pub use listen::{Limits, TlsFiles, check_plain_http};
/// The fictional demo expert pool (190 people, deterministic), for the expert search's tests
/// and benchmarks.
pub use seed::directory as demo_expert_directory;
pub use store::people::{Role, hash as token_hash};

use anyhow::Context;
use jiff::Timestamp;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use store::Store;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// Where the server reads the time: the system clock, or a test's.
#[derive(Clone)]
pub struct Clock(Arc<dyn Fn() -> Timestamp + Send + Sync>);

impl Clock {
    pub fn system() -> Clock {
        Clock(Arc::new(Timestamp::now))
    }

    /// A clock that reads `f`.
    pub fn from_fn(f: impl Fn() -> Timestamp + Send + Sync + 'static) -> Clock {
        Clock(Arc::new(f))
    }

    pub fn now(&self) -> Timestamp {
        (self.0)()
    }
}

impl std::fmt::Debug for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Clock({})", self.now())
    }
}

impl Default for Clock {
    fn default() -> Self {
        Clock::system()
    }
}

/// How to run the backend.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Where to listen; port 0 picks a free port.
    pub listen: SocketAddr,
    /// SQLite file; created (mode 600, empty) when new.
    pub db: PathBuf,
    /// Seed the fictional demo city into a new database, and keep its roster reaching
    /// ahead. A database that already holds other data is refused.
    pub demo_data: bool,
    /// The time seeding, the demo roster and the admin records go by.
    pub clock: Clock,
    /// Accepted bearer tokens. Empty: one is generated (see `RunningServer::generated_token`).
    pub tokens: Vec<String>,
    /// Tokens that may read but not write (403 on every write).
    pub viewer_tokens: Vec<String>,
    /// Tokens that read `/metrics` and nothing else (Prometheus' scrape token).
    pub metrics_tokens: Vec<String>,
    /// Run the scenario simulator.
    pub simulate: bool,
    /// How many times faster than usual the simulator plays (1.0 = as written).
    pub sim_speed: f64,
    /// Serve HTTPS with this certificate and key.
    pub tls: Option<TlsFiles>,
    /// Serve plain HTTP off the loopback address all the same (see `check_plain_http`).
    pub insecure_http: bool,
    /// Timeouts and connection caps of the listener.
    pub limits: Limits,
}

impl ServeOptions {
    /// Listen on `listen` with the database `db`, empty when new; no token (one is
    /// generated), no viewers, no simulator.
    pub fn new(listen: SocketAddr, db: PathBuf) -> Self {
        ServeOptions {
            listen,
            db,
            demo_data: false,
            clock: Clock::system(),
            tokens: Vec::new(),
            viewer_tokens: Vec::new(),
            metrics_tokens: Vec::new(),
            simulate: false,
            sim_speed: 1.0,
            tls: None,
            insecure_http: false,
            limits: Limits::default(),
        }
    }

    /// As `new`, with the fictional demo city seeded into a new database.
    pub fn demo(listen: SocketAddr, db: PathBuf) -> Self {
        ServeOptions {
            demo_data: true,
            ..ServeOptions::new(listen, db)
        }
    }
}

/// A started backend. Dropping it does not stop it: call `shutdown`.
pub struct RunningServer {
    pub addr: SocketAddr,
    /// Connections are served over TLS.
    pub tls: bool,
    /// Set when no token was given and one was generated.
    pub generated_token: Option<String>,
    /// The database holds the fictional demo data set.
    pub demo: bool,
    /// The database holds nothing yet (no experts, roster, office or records).
    pub empty: bool,
    store: Store,
    clock: Clock,
    stop: watch::Sender<bool>,
    serving: JoinHandle<std::io::Result<()>>,
    tasks: Vec<JoinHandle<()>>,
}

/// What every handler can reach.
#[derive(Clone)]
pub(crate) struct AppState {
    store: Store,
    tokens: Arc<[String]>,
    /// Read-only tokens.
    viewer_tokens: Arc<[String]>,
    /// Tokens for `/metrics` only.
    metrics_tokens: Arc<[String]>,
    metrics: Arc<metrics::Metrics>,
    /// The database holds the demo data set (said in health).
    demo: bool,
    clock: Clock,
    /// Turns true once on shutdown; long-lived SSE streams end on it.
    shutdown: watch::Receiver<bool>,
}

/// How long `shutdown` lets open requests finish before cutting them off.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);
/// How often the demo roster is extended so it keeps reaching two weeks ahead.
const ROSTER_TOP_UP: Duration = Duration::from_secs(3600);
/// How often the server looks for changes another process (`watchroom admin`) stored,
/// to stream them to the consoles.
const EXTERNAL_CHANGES: Duration = Duration::from_millis(500);

/// What `watchroom serve` says on stderr when the database holds nothing yet.
pub fn empty_database_help(db: &std::path::Path) -> String {
    let db = db.display();
    format!(
        "watchroom serve: the database {db} is empty: no experts, roster or office yet.\n\
         Load the office's data on this machine (safe while the server runs):\n\
         \x20   watchroom admin --db {db} org --name 测试市应急管理局 --zone Asia/Shanghai --handover 08:30\n\
         \x20   watchroom admin --db {db} experts import pool.csv      (or pool.json; --dry-run first)\n\
         \x20   watchroom admin --db {db} roster import roster.csv     (or roster.ics)\n\
         or try the fictional demo city in a new database: watchroom serve --db demo.sqlite --demo-data\n"
    )
}

/// Resolves when `stop` turns true. If the `RunningServer` was dropped without
/// `shutdown`, the sender is gone and this never resolves: dropping does not stop.
pub(crate) async fn wait_for_stop(stop: &mut watch::Receiver<bool>) {
    if stop.wait_for(|s| *s).await.is_err() {
        std::future::pending::<()>().await;
    }
}

/// Opens (and on first use seeds) the database, binds, and starts serving and the
/// background tasks. Returns once the socket is listening.
pub async fn start(opts: ServeOptions) -> anyhow::Result<RunningServer> {
    // Both refusals come before the database is touched: nothing is created for a server
    // that will not start.
    check_plain_http(opts.listen, opts.tls.is_some(), opts.insecure_http)?;
    let tls = opts.tls.as_ref().map(listen::tls_acceptor).transpose()?;
    let (tokens, generated_token) = if opts.tokens.is_empty() {
        let token = auth::generate_token();
        (vec![token.clone()], Some(token))
    } else {
        (opts.tokens.clone(), None)
    };
    for token in tokens
        .iter()
        .chain(&opts.viewer_tokens)
        .chain(&opts.metrics_tokens)
    {
        auth::check_token(token)?;
    }
    // Parse the scenario up front so a broken data file fails `start`, not the demo later.
    let scenario = if opts.simulate {
        Some(data::scenario()?)
    } else {
        None
    };
    let db_path = opts.db.clone();
    let (clock, demo_data, simulate) = (opts.clock.clone(), opts.demo_data, opts.simulate);
    let (store, demo, empty) = tokio::task::spawn_blocking(move || -> anyhow::Result<_> {
        let (conn, opened) = store::open(&db_path)?;
        let store = Store::new(conn, events::Bus::new())?
            .with_readers(&db_path, store::readers::READERS)?;
        let now = clock.now();
        let empty = store
            .read_blocking(store::is_empty)
            .map_err(|e| anyhow::anyhow!("{}: {e}", db_path.display()))?;
        let demo = match (demo_data, opened.demo) {
            (_, true) => true,
            (true, false) if empty => {
                seed::seed(&store, now).with_context(|| {
                    format!("cannot seed the demo data into {}", db_path.display())
                })?;
                true
            }
            (true, false) => anyhow::bail!(
                "--demo-data: {} already holds an office's data; the fictional demo city \
                 goes only into a new database (pass another --db PATH)",
                db_path.display()
            ),
            (false, false) => false,
        };
        if simulate && !demo {
            anyhow::bail!(
                "--simulate plays the fictional demo scenario, and {} does not hold the demo \
                 data: add --demo-data for a new database",
                db_path.display()
            );
        }
        roster_hour(&store, demo, now)?;
        Ok((store, demo, empty && !demo))
    })
    .await
    .context("the database set-up task failed")??;

    let listener = TcpListener::bind(opts.listen)
        .await
        .with_context(|| format!("cannot listen on {}", opts.listen))?;
    let addr = listener.local_addr()?;
    let (stop, stop_rx) = watch::channel(false);
    let app = routes::router(AppState {
        store: store.clone(),
        tokens: tokens.into(),
        viewer_tokens: opts.viewer_tokens.clone().into(),
        metrics_tokens: opts.metrics_tokens.clone().into(),
        metrics: Default::default(),
        demo,
        clock: opts.clock.clone(),
        shutdown: stop_rx.clone(),
    });
    let serving = tokio::spawn(listen::serve(
        listener,
        tls.clone(),
        app,
        opts.limits.clone(),
        stop_rx.clone(),
    ));
    let mut tasks = vec![tokio::spawn(stream_external_changes(
        store.clone(),
        stop_rx.clone(),
    ))];
    tasks.push(tokio::spawn(keep_roster_ahead(
        store.clone(),
        demo,
        opts.clock.clone(),
        stop_rx.clone(),
    )));
    if let Some(scenario) = scenario {
        let speed = if opts.sim_speed.is_finite() && opts.sim_speed > 0.0 {
            opts.sim_speed
        } else {
            1.0
        };
        tasks.push(tokio::spawn(simulator::run(
            store.clone(),
            scenario,
            speed,
            stop_rx,
        )));
    }
    Ok(RunningServer {
        addr,
        tls: tls.is_some(),
        generated_token,
        demo,
        empty,
        store,
        clock: opts.clock,
        stop,
        serving,
        tasks,
    })
}

/// What the roster gets at start and hourly: the fictional roster of a demo database is
/// extended so it keeps reaching two weeks ahead; any other database's roster is what
/// the office loaded, and is left alone. Returns how many shifts were added.
fn roster_hour(store: &Store, demo: bool, now: Timestamp) -> anyhow::Result<usize> {
    if demo {
        seed::top_up_roster(store, now)
    } else {
        Ok(0)
    }
}

async fn keep_roster_ahead(
    store: Store,
    demo: bool,
    clock: Clock,
    mut stop: watch::Receiver<bool>,
) {
    let mut every = tokio::time::interval(ROSTER_TOP_UP);
    every.tick().await; // `start` has just done it.
    loop {
        tokio::select! {
            _ = wait_for_stop(&mut stop) => return,
            _ = every.tick() => {
                let (store, now) = (store.clone(), clock.now());
                // Failure is retried at the next tick; the roster reaches days ahead.
                let _ = tokio::task::spawn_blocking(move || roster_hour(&store, demo, now)).await;
            }
        }
    }
}

/// Streams the changes `watchroom admin` stores from another process.
async fn stream_external_changes(store: Store, mut stop: watch::Receiver<bool>) {
    let mut every = tokio::time::interval(EXTERNAL_CHANGES);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = wait_for_stop(&mut stop) => return,
            _ = every.tick() => {
                let store = store.clone();
                // A failure (the file busy past the timeout) is retried at the next tick.
                let _ = tokio::task::spawn_blocking(move || store.broadcast_external()).await;
            }
        }
    }
}

impl RunningServer {
    /// The base URL consoles use: `https://` when serving TLS.
    pub fn url(&self) -> String {
        let scheme = if self.tls { "https" } else { "http" };
        format!("{scheme}://{}", self.addr)
    }

    /// Does now what the server does hourly to the roster: extends the demo roster
    /// (reading the server's clock), and leaves any other database's roster alone.
    /// Returns how many shifts were added.
    pub async fn roster_tick(&self) -> anyhow::Result<usize> {
        let (store, demo, now) = (self.store.clone(), self.demo, self.clock.now());
        tokio::task::spawn_blocking(move || roster_hour(&store, demo, now))
            .await
            .context("the roster task failed")?
    }

    /// Adds a person (or, with `seat`, a shared seat) with `role`, as `watchroom admin
    /// user add` does, and returns their token (shown once; the database keeps its hash).
    pub async fn add_user(&self, name: &str, role: Role, seat: bool) -> anyhow::Result<String> {
        let (store, now) = (self.store.clone(), self.clock.now());
        let new = admin::users::NewUser {
            name: name.to_owned(),
            role,
            phone: String::new(),
            seat,
        };
        let actor = admin::Actor::new("watchroom serve", "server");
        tokio::task::spawn_blocking(move || admin::users::add(&store, new, &actor, now))
            .await
            .context("the user task failed")?
            .map(|issued| issued.token)
            .map_err(|e| anyhow::anyhow!("cannot add {name}: {}", e.error))
    }

    /// Stops the simulator and the server: open SSE streams end, requests in flight get
    /// a few seconds to finish.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        for task in self.tasks.drain(..) {
            let _ = task.await;
        }
        if tokio::time::timeout(SHUTDOWN_GRACE, &mut self.serving)
            .await
            .is_err()
        {
            self.serving.abort();
        }
    }
}
