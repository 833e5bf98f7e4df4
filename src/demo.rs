//! `watchroom demo`: the reference backend in-process on a free loopback port with a
//! throw-away database and the simulator on, and the console connected to it.

use crate::config::ConsoleConfig;
use crate::console::{ConsoleOptions, run};
use crate::server::{ServeOptions, start};
use anyhow::Context;

pub async fn demo(
    config: ConsoleConfig,
    officer: Option<String>,
    read_only: bool,
    feeds: Vec<crate::feeds::config::FeedConfig>,
    look: crate::look::Look,
) -> anyhow::Result<()> {
    let dir =
        std::env::temp_dir().join(format!("watchroom-demo-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir)
        .with_context(|| format!("cannot create the demo directory {}", dir.display()))?;
    let token = uuid::Uuid::new_v4().simple().to_string();
    let result = async {
        let server = start(ServeOptions {
            listen: ([127, 0, 0, 1], 0).into(),
            db: dir.join("demo.db"),
            tokens: vec![token.clone()],
            simulate: true,
        })
        .await
        .context("starting the demo backend")?;
        let url = format!("http://{}", server.addr);
        let console = run(ConsoleOptions {
            server: url,
            token,
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
