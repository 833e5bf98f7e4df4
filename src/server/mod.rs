//! The reference duty backend (`watchroom serve`): duty API v1 over axum + SQLite,
//! seeded with fictional demo data, with an optional scenario simulator.
//!
//! Layout: `routes` (HTTP handlers) → `validate` (request bodies, field by field) →
//! `store` (SQLite, one transaction per change, events) → `events` (broadcast + SSE).
//! `seed` and `simulator` drive the same store operations from the `demo/` data files.

mod auth;
mod data;
mod error;
mod events;
mod extract;
mod routes;
mod seed;
mod simulator;
mod store;
mod validate;

pub use error::ApiFailure;
/// The fictional demo expert pool (190 people, deterministic), for the expert search's tests
/// and benchmarks.
pub use seed::directory as demo_expert_directory;

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

/// How to run the backend.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Where to listen; port 0 picks a free port.
    pub listen: SocketAddr,
    /// SQLite file; created and seeded with demo data when new.
    pub db: PathBuf,
    /// Accepted bearer tokens. Empty: one is generated (see `RunningServer::generated_token`).
    pub tokens: Vec<String>,
    /// Tokens that may read but not write (403 on every write).
    pub viewer_tokens: Vec<String>,
    /// Run the scenario simulator.
    pub simulate: bool,
    /// How many times faster than usual the simulator plays (1.0 = as written).
    pub sim_speed: f64,
}

impl ServeOptions {
    /// Listen on `listen` with the database `db`; no token (one is generated), no viewers,
    /// no simulator.
    pub fn new(listen: SocketAddr, db: PathBuf) -> Self {
        ServeOptions {
            listen,
            db,
            tokens: Vec::new(),
            viewer_tokens: Vec::new(),
            simulate: false,
            sim_speed: 1.0,
        }
    }
}

/// A started backend. Dropping it does not stop it: call `shutdown`.
pub struct RunningServer {
    pub addr: SocketAddr,
    /// Set when no token was given and one was generated.
    pub generated_token: Option<String>,
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
    /// Turns true once on shutdown; long-lived SSE streams end on it.
    shutdown: watch::Receiver<bool>,
}

/// How long `shutdown` lets open requests finish before cutting them off.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);
/// How often the demo roster is extended so it keeps reaching two weeks ahead.
const ROSTER_TOP_UP: Duration = Duration::from_secs(3600);

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
    let (tokens, generated_token) = if opts.tokens.is_empty() {
        let token = auth::generate_token();
        (vec![token.clone()], Some(token))
    } else {
        (opts.tokens.clone(), None)
    };
    for token in tokens.iter().chain(&opts.viewer_tokens) {
        auth::check_token(token)?;
    }
    // Parse the scenario up front so a broken data file fails `start`, not the demo later.
    let scenario = if opts.simulate {
        Some(data::scenario()?)
    } else {
        None
    };
    let db_path = opts.db.clone();
    let store = tokio::task::spawn_blocking(move || -> anyhow::Result<Store> {
        let (conn, fresh) = store::open(&db_path)?;
        let store = Store::new(conn, events::Bus::new());
        let now = Timestamp::now();
        if fresh {
            seed::seed(&store, now)
                .with_context(|| format!("cannot seed the demo data into {}", db_path.display()))?;
        }
        seed::top_up_roster(&store, now)?;
        Ok(store)
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
        shutdown: stop_rx.clone(),
    });
    let mut serve_stop = stop_rx.clone();
    let serving = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async move { wait_for_stop(&mut serve_stop).await })
            .await
    });
    let mut tasks = vec![tokio::spawn(keep_roster_ahead(
        store.clone(),
        stop_rx.clone(),
    ))];
    if let Some(scenario) = scenario {
        let speed = if opts.sim_speed.is_finite() && opts.sim_speed > 0.0 {
            opts.sim_speed
        } else {
            1.0
        };
        tasks.push(tokio::spawn(simulator::run(
            store, scenario, speed, stop_rx,
        )));
    }
    Ok(RunningServer {
        addr,
        generated_token,
        stop,
        serving,
        tasks,
    })
}

async fn keep_roster_ahead(store: Store, mut stop: watch::Receiver<bool>) {
    let mut every = tokio::time::interval(ROSTER_TOP_UP);
    every.tick().await; // `start` has just done it.
    loop {
        tokio::select! {
            _ = wait_for_stop(&mut stop) => return,
            _ = every.tick() => {
                let store = store.clone();
                // Failure is retried at the next tick; the roster reaches days ahead.
                let _ = tokio::task::spawn_blocking(move || seed::top_up_roster(&store, Timestamp::now())).await;
            }
        }
    }
}

impl RunningServer {
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
