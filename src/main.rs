#![forbid(unsafe_code)]

use anyhow::Context;
use clap::{Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use watchroom::config::{self, Config};

/// A keyboard-driven watch console for an emergency-management duty room.
#[derive(Parser)]
#[command(name = "watchroom", version, about)]
struct Cli {
    /// Config file (default: config.toml in the platform config directory).
    #[arg(long, global = true, value_name = "PATH")]
    config: Option<PathBuf>,
    /// Duty API base URL, e.g. https://duty.example.org (overrides the config file).
    #[arg(long, global = true, value_name = "URL")]
    server: Option<String>,
    /// Bearer token (also WATCHROOM_TOKEN). For `serve`, a token to accept; repeatable.
    #[arg(long, global = true, value_name = "T")]
    token: Vec<String>,
    /// Who is on duty at this console (else chosen from the roster at start).
    #[arg(long, global = true, value_name = "NAME")]
    officer: Option<String>,
    /// A wall display: every action is removed from the keys and the help.
    #[arg(long, global = true)]
    read_only: bool,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Open a living demo watch room: a backend with fictional data and a simulator runs inside.
    Demo,
    /// Run the reference duty backend.
    Serve {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: SocketAddr,
        /// SQLite database (created and seeded with demo data when new).
        #[arg(long, value_name = "PATH")]
        db: Option<PathBuf>,
        /// Play the demo scenario (typhoon, waterlogging, sentinel alerts) in accelerated time.
        #[arg(long)]
        simulate: bool,
    },
    /// Look up experts by name, pinyin, initials, specialty, group, organisation or district.
    Experts(watchroom::experts::cli::ExpertsArgs),
    /// Read a feed (URL or file) and print what the console would take from it.
    CheckSource(watchroom::feeds::check::CheckSourceArgs),
    /// Send a sample warning to the desktop as the console would, and say whether it showed.
    CheckNotify(watchroom::notify::check::CheckNotifyArgs),
    /// Print where watchroom looks for its config and keeps its data.
    Info,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let rt = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("watchroom: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match rt.block_on(run(cli)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("watchroom: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let file = config::load(cli.config.as_deref())?;
    let console_cfg = file.as_ref().map(|c| c.console.clone()).unwrap_or_default();
    match cli.command {
        Some(Command::Demo) => {
            let feeds = file.map(|c| c.sources).unwrap_or_default();
            watchroom::demo::demo(console_cfg, cli.officer, cli.read_only, feeds).await?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Experts(args)) => {
            let server = file.as_ref().and_then(|c| c.server.clone());
            let url = cli
                .server
                .or_else(|| server.as_ref().map(|s| s.url.clone()));
            let token = token_from(&cli.token, server.as_ref());
            watchroom::experts::cli::run(args, url, token).await
        }
        Some(Command::CheckSource(args)) => watchroom::feeds::check::run(args).await,
        Some(Command::CheckNotify(args)) => watchroom::notify::check::run(args, &console_cfg).await,
        Some(Command::Serve {
            listen,
            db,
            simulate,
        }) => serve(listen, db, cli.token, simulate).await,
        Some(Command::Info) => {
            info(cli.config);
            Ok(ExitCode::SUCCESS)
        }
        None => console(file, cli.server, cli.token, cli.officer, cli.read_only).await,
    }
}

async fn console(
    file: Option<Config>,
    server: Option<String>,
    tokens: Vec<String>,
    officer: Option<String>,
    read_only: bool,
) -> anyhow::Result<ExitCode> {
    let from_file = file.as_ref().and_then(|c| c.server.clone());
    let Some(url) = server.or_else(|| from_file.as_ref().map(|s| s.url.clone())) else {
        eprint!("{}", config::no_server_help());
        return Ok(ExitCode::from(2));
    };
    let token = tokens
        .last()
        .cloned()
        .or_else(|| {
            std::env::var("WATCHROOM_TOKEN")
                .ok()
                .filter(|t| !t.is_empty())
        })
        .or_else(|| from_file.and_then(|s| s.token));
    let Some(token) = token else {
        eprintln!(
            "watchroom: no token for {url}: pass --token, set WATCHROOM_TOKEN, or put token = \"…\" under [server] in the config file."
        );
        return Ok(ExitCode::from(2));
    };
    watchroom::console::run(watchroom::console::ConsoleOptions {
        server: url,
        token,
        demo: false,
        officer,
        read_only,
        feeds: file.as_ref().map(|c| c.sources.clone()).unwrap_or_default(),
        config: file.map(|c| c.console).unwrap_or_default(),
    })
    .await?;
    Ok(ExitCode::SUCCESS)
}

/// The token: `--token`, else WATCHROOM_TOKEN, else the config file's.
fn token_from(tokens: &[String], file: Option<&config::ServerConfig>) -> Option<String> {
    tokens
        .last()
        .cloned()
        .or_else(|| {
            std::env::var("WATCHROOM_TOKEN")
                .ok()
                .filter(|t| !t.is_empty())
        })
        .or_else(|| file.and_then(|s| s.token.clone()))
}

async fn serve(
    listen: SocketAddr,
    db: Option<PathBuf>,
    mut tokens: Vec<String>,
    simulate: bool,
) -> anyhow::Result<ExitCode> {
    if let Ok(env) = std::env::var("WATCHROOM_TOKENS") {
        tokens.extend(
            env.split(',')
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(String::from),
        );
    }
    let db = match db {
        Some(p) => p,
        None => {
            let dirs = config::project_dirs().context("no home directory: pass --db PATH")?;
            let dir = dirs.data_dir();
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            dir.join("server.db")
        }
    };
    let server = watchroom::server::start(watchroom::server::ServeOptions {
        listen,
        db: db.clone(),
        tokens,
        simulate,
    })
    .await?;
    println!(
        "watchroom serve: duty API v1 on http://{} (database {})",
        server.addr,
        db.display()
    );
    if let Some(t) = &server.generated_token {
        println!("No --token given; generated one (shown only now):\n    {t}");
    }
    wait_for_stop().await;
    server.shutdown().await;
    Ok(ExitCode::SUCCESS)
}

async fn wait_for_stop() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {},
                _ = term.recv() => {},
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

fn info(explicit: Option<PathBuf>) {
    let cfg = explicit.or_else(config::default_config_path);
    let show = |p: Option<PathBuf>| {
        p.map(|p| p.display().to_string())
            .unwrap_or_else(|| "(none: no home directory)".into())
    };
    println!("config file:  {}", show(cfg));
    let dirs = config::project_dirs();
    println!(
        "data dir:     {}",
        show(dirs.as_ref().map(|d| d.data_dir().to_path_buf()))
    );
    println!("version:      {}", env!("CARGO_PKG_VERSION"));
}
