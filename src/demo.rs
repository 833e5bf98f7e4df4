//! `watchroom demo`: the reference backend in-process on a free loopback port with a
//! throw-away database and the simulator on, and the console connected to it.

use crate::config::ConsoleConfig;
use crate::console::{ConsoleOptions, run};
use crate::server::{ServeOptions, start};
use anyhow::Context;

pub struct DemoOptions {
    pub config: ConsoleConfig,
    pub officer: Option<String>,
    pub read_only: bool,
    pub feeds: Vec<crate::feeds::config::FeedConfig>,
    /// How many times faster than usual the simulator plays.
    pub sim_speed: f64,
    pub look: crate::look::Look,
}

pub async fn demo(opts: DemoOptions) -> anyhow::Result<()> {
    let DemoOptions {
        config,
        officer,
        read_only,
        feeds,
        sim_speed,
        look,
    } = opts;
    let dir =
        std::env::temp_dir().join(format!("watchroom-demo-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir)
        .with_context(|| format!("cannot create the demo directory {}", dir.display()))?;
    let token = uuid::Uuid::new_v4().simple().to_string();
    let result = async {
        let server = start(ServeOptions {
            tokens: vec![token],
            simulate: true,
            sim_speed,
            ..ServeOptions::demo(([127, 0, 0, 1], 0).into(), dir.join("demo.db"))
        })
        .await
        .context("starting the demo backend")?;
        let url = format!("http://{}", server.addr);
        // The console signs in as a shared seat, so the officer chosen from the roster is
        // the one its acknowledgements and log entries carry, with the seat's name.
        let seat = server
            .add_user("演示值班台", crate::server::Role::Leader, true)
            .await?;
        let console = run(ConsoleOptions {
            server: url,
            token: seat,
            client: crate::client::ClientOptions::default(),
            demo: true,
            config,
            officer,
            read_only,
            look: Some(look),
            feeds,
            // The demo keeps its store in its scratch directory: it never reads or writes
            // the user's cache or outbox.
            data_dir: Some(dir.clone()),
        })
        .await;
        server.shutdown().await;
        console
    }
    .await;
    // The demo database is scratch: nothing in it is worth keeping.
    let _ = std::fs::remove_dir_all(&dir);
    result
}
