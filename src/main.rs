#![forbid(unsafe_code)]

use anyhow::Context;
use clap::{CommandFactory, Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use watchroom::config::{self, Config};
use watchroom::look::{self, Env, Look};
use watchroom::secret::Secret;

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
    /// A token on the command line shows in the process list: prefer --token-file.
    #[arg(long, global = true, value_name = "T")]
    token: Vec<String>,
    /// Read the bearer token from the first line of this file (keep it mode 600). For
    /// `serve`, the file holds one token to accept per line (blank lines and # comments
    /// are skipped).
    #[arg(long, global = true, value_name = "PATH")]
    token_file: Option<PathBuf>,
    /// Who is on duty at this console (else chosen from the roster at start).
    #[arg(long, global = true, value_name = "NAME")]
    officer: Option<String>,
    /// A wall display: every action is removed from the keys and the help.
    #[arg(long, global = true)]
    read_only: bool,
    /// Keymap: default, vim, a user keymap name, or a path to a keymap file.
    #[arg(long, global = true, value_name = "NAME|PATH")]
    keymap: Option<String>,
    /// Theme: dark, light, high-contrast, night, ansi16, no-color, a user theme, or a path.
    #[arg(long, global = true, value_name = "NAME|PATH")]
    theme: Option<String>,
    /// Where the local store and offline copies live (also WATCHROOM_DATA_DIR; default: the
    /// platform data directory).
    #[arg(long, global = true, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Open a living demo watch room: a backend with fictional data and a simulator runs inside.
    Demo {
        /// How many times faster than usual the simulator plays (e.g. 100 for soak runs).
        #[arg(long, default_value_t = 1.0, value_name = "X")]
        sim_speed: f64,
    },
    /// Sign this console in with a personal token: checks it with the server (--server or
    /// the config file) and keeps it in the config directory (file `token`, mode 600),
    /// where the console finds it when no --token, --token-file or WATCHROOM_TOKEN is
    /// given. The token is read from --token-file, WATCHROOM_TOKEN or standard input.
    Login,
    /// Run the reference duty backend. A new database starts empty: load the office's data
    /// with `watchroom admin`, or seed the fictional demo city with --demo-data.
    ///
    /// Tokens to accept: --token, --token-file (one a line) and WATCHROOM_TOKENS
    /// (comma-separated), all of them; when none of these gives one, WATCHROOM_TOKEN;
    /// else one is generated and printed once.
    Serve {
        /// Address to listen on. Off the loopback address, serve HTTPS (--tls-cert and
        /// --tls-key) or pass --insecure-http.
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: SocketAddr,
        /// Serve HTTPS with this certificate (PEM: the server's certificate first, then
        /// any intermediates). Needs --tls-key.
        #[arg(long, value_name = "PEM", requires = "tls_key")]
        tls_cert: Option<PathBuf>,
        /// The private key of --tls-cert (PEM; keep it mode 600).
        #[arg(long, value_name = "PEM", requires = "tls_cert")]
        tls_key: Option<PathBuf>,
        /// Serve plain HTTP off the loopback address all the same: tokens and records then
        /// cross the network in clear (for a network that is itself encrypted).
        #[arg(long, conflicts_with = "tls_cert")]
        insecure_http: bool,
        /// Open connections from one client address at once (a duty room behind one NAT
        /// address counts as one); more are answered 503.
        #[arg(long, default_value_t = watchroom::server::listen::PER_ADDRESS, value_name = "N")]
        max_connections_per_address: usize,
        /// Open connections in all (default 1024); kept below the open-file limit.
        #[arg(long, value_name = "N")]
        max_connections: Option<usize>,
        /// SQLite database (created, mode 600 and empty, when new; default: server.db in
        /// the data directory).
        #[arg(long, value_name = "PATH")]
        db: Option<PathBuf>,
        /// Seed a new database with the fictional demo city (测试市: experts, roster,
        /// alerts, incidents); health and every console then say DEMO.
        #[arg(long)]
        demo_data: bool,
        /// Play the demo scenario (typhoon, waterlogging, sentinel alerts) in accelerated time;
        /// only in a demo database (--demo-data).
        #[arg(long)]
        simulate: bool,
        /// How many times faster than usual the simulator plays (e.g. 100 for soak runs).
        #[arg(long, default_value_t = 1.0, value_name = "X")]
        sim_speed: f64,
        /// A token that may read but not write (also WATCHROOM_VIEWER_TOKENS, comma-separated);
        /// repeatable. Writes with it get 403.
        #[arg(long, value_name = "T")]
        viewer_token: Vec<String>,
        /// A token that reads GET /metrics and nothing else, for Prometheus (also
        /// WATCHROOM_METRICS_TOKENS, comma-separated); repeatable. Admin tokens read it too.
        #[arg(long, value_name = "T")]
        metrics_token: Vec<String>,
    },
    /// Load the office's data into the server's database: experts, roster and swaps, office.
    ///
    /// Run it on the server machine with the --db that `watchroom serve` uses: it is safe while
    /// the server runs (each change is one transaction), and consoles refresh within seconds.
    /// Every change is recorded with who made it (--by NAME, else the login name) and when;
    /// `watchroom admin log` lists them. The same changes over the API: see docs/api.md.
    Admin(watchroom::server::admin::cli::AdminArgs),
    /// Look up experts by name, pinyin, initials, specialty, group, organisation or district.
    Experts(watchroom::experts::cli::ExpertsArgs),
    /// Read a feed (URL or file) and print what the console would take from it.
    CheckSource(watchroom::feeds::check::CheckSourceArgs),
    /// Send a sample warning to the desktop as the console would, and say whether it showed.
    CheckNotify(watchroom::notify::check::CheckNotifyArgs),
    /// The shift handover review (current shift, or --since), as Markdown or JSON.
    Handover(watchroom::handover::cli::HandoverArgs),
    /// Print where watchroom looks for its config and keeps its data, and the active keymap,
    /// theme and language with where each came from.
    Info,
    /// Check the config file, the keymap (with the user's keymap.toml) and every theme;
    /// problems are printed as file:line: message. Exit status 0 when all is well, else 1.
    CheckConfig,
    /// Print a shell completion script to stdout.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff) to stdout.
    Man,
    /// Enter the terminal like the console and panic (tests the panic report).
    #[command(hide = true)]
    CrashTest,
}

fn main() -> ExitCode {
    watchroom::memory::keep_big_blocks_apart();
    let cli = Cli::parse();
    // Panics are written to the data dir, where `watchroom info` says the data is.
    watchroom::crash::install(
        config::data_dir(cli.data_dir.as_deref()).unwrap_or_else(watchroom::crash::default_dir),
    );
    // The only place the environment's say on looks is read; the rest is given it.
    let env = Env::from_process();
    // Read once here, so that no frame parses and a broken file is named before anything.
    if let Err(e) = watchroom::words::load() {
        eprintln!("watchroom: {e}");
        return ExitCode::FAILURE;
    }
    match &cli.command {
        Some(Command::Completions { shell }) => {
            clap_complete::generate(
                *shell,
                &mut Cli::command(),
                "watchroom",
                &mut std::io::stdout(),
            );
            return ExitCode::SUCCESS;
        }
        Some(Command::Man) => {
            return match clap_mangen::Man::new(Cli::command()).render(&mut std::io::stdout()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("watchroom: cannot write the manual page: {e}");
                    ExitCode::FAILURE
                }
            };
        }
        Some(Command::CheckConfig) => return check_config(&cli, env),
        Some(Command::Info) => {
            info(&cli, env);
            return ExitCode::SUCCESS;
        }
        _ => {}
    }
    let rt = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("watchroom: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match rt.block_on(run(cli, env)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("watchroom: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli, env: Env) -> anyhow::Result<ExitCode> {
    let file = config::load(cli.config.as_deref())?;
    let console_cfg = file.as_ref().map(|c| c.console.clone()).unwrap_or_default();
    match cli.command {
        Some(Command::Demo { sim_speed }) => {
            let look = look_for(&cli.keymap, &cli.theme, &cli.config, &console_cfg, env)?;
            let feeds = file.map(|c| c.sources).unwrap_or_default();
            watchroom::demo::demo(watchroom::demo::DemoOptions {
                config: console_cfg,
                officer: cli.officer,
                read_only: cli.read_only,
                feeds,
                sim_speed: check_speed(sim_speed)?,
                look,
            })
            .await?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Experts(args)) => {
            let server = file.as_ref().and_then(|c| c.server.clone());
            let url = cli
                .server
                .or_else(|| server.as_ref().map(|s| s.url.clone()));
            let token = token_from(&cli.token, cli.token_file.as_deref(), server.as_ref())?;
            let token = token.map(|t| t.expose().to_owned());
            watchroom::experts::cli::run(args, url, token, cli.data_dir.as_deref()).await
        }
        Some(Command::Handover(args)) => {
            let server = file.as_ref().and_then(|c| c.server.clone());
            let url = cli
                .server
                .or_else(|| server.as_ref().map(|s| s.url.clone()));
            let token = token_from(&cli.token, cli.token_file.as_deref(), server.as_ref())?;
            let token = token.map(|t| t.expose().to_owned());
            watchroom::handover::cli::run(args, url, token, &console_cfg).await
        }
        Some(Command::Login) => {
            let server = file.as_ref().and_then(|c| c.server.clone());
            let url = cli
                .server
                .clone()
                .or_else(|| server.as_ref().map(|s| s.url.clone()));
            login(&cli, url, server.as_ref()).await
        }
        Some(Command::CrashTest) => {
            let _terminal = ratatui::init();
            panic!("crash test: a deliberate panic to check the terminal is restored and reported");
        }
        Some(Command::CheckSource(args)) => watchroom::feeds::check::run(args).await,
        Some(Command::CheckNotify(args)) => watchroom::notify::check::run(args, &console_cfg).await,
        Some(Command::Admin(args)) => {
            let login = std::env::var("USER")
                .or_else(|_| std::env::var("LOGNAME"))
                .ok()
                .filter(|u| !u.trim().is_empty());
            let data_dir = cli.data_dir.clone();
            let out = tokio::task::spawn_blocking(move || {
                watchroom::server::admin::cli::run(
                    args,
                    data_dir.as_deref(),
                    login,
                    jiff::Timestamp::now(),
                )
            })
            .await
            .context("the admin task failed")?;
            print!("{}", out.stdout);
            eprint!("{}", out.stderr);
            Ok(out.exit_code())
        }
        Some(Command::Serve {
            listen,
            tls_cert,
            tls_key,
            insecure_http,
            max_connections_per_address,
            max_connections,
            db,
            demo_data,
            simulate,
            sim_speed,
            viewer_token,
            metrics_token,
        }) => {
            if max_connections_per_address == 0 || max_connections == Some(0) {
                anyhow::bail!(
                    "--max-connections and --max-connections-per-address must be at least 1"
                );
            }
            let tls = match (tls_cert, tls_key) {
                (Some(cert), Some(key)) => Some(watchroom::server::TlsFiles { cert, key }),
                _ => None,
            };
            let opts = watchroom::server::ServeOptions {
                demo_data,
                simulate,
                sim_speed: check_speed(sim_speed)?,
                viewer_tokens: viewer_token,
                tls,
                insecure_http,
                limits: watchroom::server::Limits {
                    per_address: max_connections_per_address,
                    max_connections,
                    ..watchroom::server::Limits::default()
                },
                metrics_tokens: metrics_token,
                ..watchroom::server::ServeOptions::new(listen, PathBuf::new())
            };
            let tokens = serve_tokens(cli.token, cli.token_file.as_deref())?;
            serve(opts, db, tokens, cli.data_dir).await
        }
        // Answered in main before the runtime starts.
        Some(Command::Info | Command::CheckConfig | Command::Completions { .. } | Command::Man) => {
            Ok(ExitCode::SUCCESS)
        }
        None => {
            let look = look_for(&cli.keymap, &cli.theme, &cli.config, &console_cfg, env)?;
            let token = match token_from(
                &cli.token,
                cli.token_file.as_deref(),
                file.as_ref().and_then(|c| c.server.as_ref()),
            )? {
                Some(t) => Some(t),
                None => signed_in(&cli.config)?,
            };
            let desk = Desk {
                officer: cli.officer,
                read_only: cli.read_only,
                data_dir: cli.data_dir,
                look,
            };
            console(file, cli.server, token, desk).await
        }
    }
}

fn check_speed(x: f64) -> anyhow::Result<f64> {
    if x.is_finite() && (0.01..=10_000.0).contains(&x) {
        Ok(x)
    } else {
        anyhow::bail!("--sim-speed must be a number from 0.01 to 10000, not {x}")
    }
}

/// The keymap, theme and language for the console; a broken user file stops the start
/// with every problem listed, rather than a console that answers keys unexpectedly.
fn look_for(
    keymap: &Option<String>,
    theme: &Option<String>,
    config_file: &Option<PathBuf>,
    console: &config::ConsoleConfig,
    env: Env,
) -> anyhow::Result<Look> {
    let inputs = look::Inputs {
        keymap_flag: keymap.clone(),
        theme_flag: theme.clone(),
        console: console.clone(),
        config_file: config_file.clone().or_else(config::default_config_path),
        env,
    };
    Look::resolve(&inputs).map_err(|e| {
        anyhow::anyhow!("{e}\n(`watchroom check-config` checks every keymap and theme file)")
    })
}

fn check_config(cli: &Cli, env: Env) -> ExitCode {
    let (path, must_exist) = match &cli.config {
        Some(p) => (Some(p.clone()), true),
        None => (config::default_config_path(), false),
    };
    let report = look::check::check(path, must_exist, cli.keymap.clone(), cli.theme.clone(), env);
    for note in &report.notes {
        println!("{note}");
    }
    for e in &report.errors {
        eprintln!("{e}");
    }
    if report.errors.is_empty() {
        println!("all good");
        ExitCode::SUCCESS
    } else {
        eprintln!(
            "{} problem{} found",
            report.errors.len(),
            if report.errors.len() == 1 { "" } else { "s" }
        );
        ExitCode::FAILURE
    }
}

/// The console's own options from the command line.
struct Desk {
    officer: Option<String>,
    read_only: bool,
    data_dir: Option<PathBuf>,
    look: Look,
}

async fn console(
    file: Option<Config>,
    server: Option<String>,
    token: Option<Secret>,
    desk: Desk,
) -> anyhow::Result<ExitCode> {
    let from_file = file.as_ref().and_then(|c| c.server.clone());
    let Some(url) = server
        .clone()
        .or_else(|| from_file.as_ref().map(|s| s.url.clone()))
    else {
        eprint!("{}", config::no_server_help());
        return Ok(ExitCode::from(2));
    };
    let Some(token) = token else {
        eprintln!(
            "watchroom: no token for {url}: pass --token or --token-file, set WATCHROOM_TOKEN, \
             or put token_file = \"…\" (or token = \"…\") under [server] in the config file."
        );
        return Ok(ExitCode::from(2));
    };
    // Timeouts, the size cap and the CA file come from [server] even when --server
    // overrides its URL.
    let client = from_file
        .unwrap_or_else(|| config::ServerConfig::new(&url))
        .client_options();
    watchroom::console::run(watchroom::console::ConsoleOptions {
        server: url,
        token: token.expose().to_owned(),
        client,
        demo: false,
        officer: desk.officer,
        read_only: desk.read_only,
        data_dir: config::data_dir(desk.data_dir.as_deref()),
        look: Some(desk.look),
        feeds: file.as_ref().map(|c| c.sources.clone()).unwrap_or_default(),
        config: file.map(|c| c.console).unwrap_or_default(),
    })
    .await?;
    Ok(ExitCode::SUCCESS)
}

/// The token: `--token`, else `--token-file`, else WATCHROOM_TOKEN, else the config
/// file's `token`, else its `token_file`. A token file others can read is warned about.
fn token_from(
    tokens: &[String],
    token_file: Option<&std::path::Path>,
    file: Option<&config::ServerConfig>,
) -> anyhow::Result<Option<Secret>> {
    if let Some(t) = tokens.last() {
        return Ok(Some(Secret::new(t.clone())));
    }
    let from_file = |path: &std::path::Path| -> anyhow::Result<Option<Secret>> {
        let read = watchroom::secret::read_token_file(path)?;
        if let Some(w) = read.warning {
            eprintln!("{w}");
        }
        Ok(Some(read.token))
    };
    if let Some(path) = token_file {
        return from_file(path);
    }
    if let Some(t) = std::env::var("WATCHROOM_TOKEN")
        .ok()
        .filter(|t| !t.is_empty())
    {
        return Ok(Some(Secret::new(t)));
    }
    if let Some(t) = file.and_then(|s| s.token.clone()).filter(|t| !t.is_empty()) {
        return Ok(Some(t));
    }
    match file.and_then(|s| s.token_file.as_deref()) {
        Some(path) => from_file(path),
        None => Ok(None),
    }
}

/// Where `watchroom login` keeps the token: `token` beside the config file.
fn login_path(config: &Option<PathBuf>) -> Option<PathBuf> {
    let cfg = config.clone().or_else(config::default_config_path)?;
    Some(cfg.parent()?.join("token"))
}

/// The token `watchroom login` stored, if any.
fn signed_in(config: &Option<PathBuf>) -> anyhow::Result<Option<Secret>> {
    match login_path(config).filter(|p| p.exists()) {
        Some(path) => {
            let read = watchroom::secret::read_token_file(&path)?;
            if let Some(w) = read.warning {
                eprintln!("{w}");
            }
            Ok(Some(read.token))
        }
        None => Ok(None),
    }
}

/// `watchroom login`: the token from --token-file, WATCHROOM_TOKEN or stdin, checked
/// with `GET /api/v1/me`, written mode 600 beside the config file.
async fn login(
    cli: &Cli,
    url: Option<String>,
    server: Option<&config::ServerConfig>,
) -> anyhow::Result<ExitCode> {
    let Some(url) = url else {
        eprint!("{}", config::no_server_help());
        return Ok(ExitCode::from(2));
    };
    let token = match token_from(&cli.token, cli.token_file.as_deref(), None)? {
        Some(t) => t,
        None => {
            use std::io::IsTerminal;
            if std::io::stdin().is_terminal() {
                eprintln!("Paste the personal token (watchroom admin user add …) and press Enter:");
            }
            let mut line = String::new();
            std::io::stdin()
                .read_line(&mut line)
                .context("cannot read the token from standard input")?;
            let line = line.trim();
            if line.is_empty() {
                anyhow::bail!("no token given: paste it, or pass --token-file PATH");
            }
            Secret::new(line.to_owned())
        }
    };
    let options = server
        .cloned()
        .unwrap_or_else(|| config::ServerConfig::new(&url))
        .client_options();
    let client = watchroom::client::DutyClient::with_options(&url, token.expose(), options)?;
    let me = client
        .me()
        .await
        .map_err(|e| anyhow::anyhow!("{url} did not accept the token: {e}"))?;
    let path = login_path(&cli.config).context(
        "no config directory (no home directory): pass --token-file to the console instead",
    )?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    watchroom::private_file::write(&path, format!("{}\n", token.expose()).as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))?;
    let who = match (&me.person, &me.seat) {
        (Some(p), _) => p.clone(),
        (None, Some(s)) => format!("the shared seat {s}"),
        _ => format!("a {} token", me.kind),
    };
    println!(
        "signed in to {url} as {who} ({}); the token is kept in {} (mode 600)",
        me.role,
        path.display()
    );
    Ok(ExitCode::SUCCESS)
}

fn env_list(name: &str) -> Vec<String> {
    std::env::var(name)
        .map(|v| {
            v.split(',')
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(String::from)
                .collect()
        })
        .unwrap_or_default()
}

/// The tokens `serve` accepts: every one of --token, --token-file and WATCHROOM_TOKENS;
/// WATCHROOM_TOKEN only when these give none, since it is the console's variable and may
/// hold a person's own token rather than one meant for the server.
fn serve_tokens(
    mut tokens: Vec<String>,
    token_file: Option<&std::path::Path>,
) -> anyhow::Result<Vec<String>> {
    if let Some(path) = token_file {
        let read = watchroom::secret::read_token_lines(path)?;
        if let Some(w) = read.warning {
            eprintln!("{w}");
        }
        tokens.extend(read.tokens.iter().map(|t| t.expose().to_owned()));
    }
    tokens.extend(env_list("WATCHROOM_TOKENS"));
    if tokens.is_empty()
        && let Some(t) = std::env::var("WATCHROOM_TOKEN")
            .ok()
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty())
    {
        tokens.push(t);
    }
    Ok(tokens)
}

async fn serve(
    mut opts: watchroom::server::ServeOptions,
    db: Option<PathBuf>,
    tokens: Vec<String>,
    data_dir: Option<PathBuf>,
) -> anyhow::Result<ExitCode> {
    opts.viewer_tokens
        .extend(env_list("WATCHROOM_VIEWER_TOKENS"));
    opts.metrics_tokens
        .extend(env_list("WATCHROOM_METRICS_TOKENS"));
    opts.tokens = tokens;
    let db = match db {
        Some(p) => p,
        None => {
            let dir = config::data_dir(data_dir.as_deref())
                .context("no home directory: pass --db PATH")?;
            let dir = dir.as_path();
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            dir.join("server.db")
        }
    };
    opts.db = db.clone();
    let server = watchroom::server::start(opts).await?;
    println!(
        "watchroom serve: duty API v1 on {} (database {})",
        server.url(),
        db.display()
    );
    if let Some(t) = &server.generated_token {
        println!("No --token given; generated one (shown only now):\n    {t}");
    }
    if server.demo {
        eprintln!(
            "watchroom serve: {} holds the fictional demo city (DEMO): no real office's data",
            db.display()
        );
    } else if server.empty {
        eprint!("{}", watchroom::server::empty_database_help(&db));
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

fn info(cli: &Cli, env: Env) {
    let show = |p: Option<PathBuf>| {
        p.map(|p| p.display().to_string())
            .unwrap_or_else(|| "(none: no home directory)".into())
    };
    let cfg_path = cli.config.clone().or_else(config::default_config_path);
    let loaded = config::load(cli.config.as_deref());
    let state = match &loaded {
        Ok(Some(_)) => "",
        Ok(None) => " (not found: defaults in use)",
        Err(_) => " (has errors: see below)",
    };
    println!("config file:  {}{state}", show(cfg_path.clone()));
    println!(
        "config dir:   {}  (keymap.toml, keymaps/NAME.toml, themes/NAME.toml)",
        show(
            cfg_path
                .as_deref()
                .and_then(|p| p.parent())
                .map(PathBuf::from)
        )
    );
    let dirs = config::project_dirs();
    let data = config::data_dir(cli.data_dir.as_deref());
    println!("data dir:     {}", show(data.clone()));
    println!(
        "local store:  {}",
        show(data.as_deref().map(watchroom::store::path_in))
    );
    println!(
        "cache dir:    {}",
        show(dirs.as_ref().map(|d| d.cache_dir().to_path_buf()))
    );
    println!("log dir:      {}", show(config::log_dir()));
    println!(
        "expert copy:  {}",
        show(watchroom::experts::cache::default_path(data.as_deref()))
    );
    let console = match loaded {
        Ok(c) => c.map(|c| c.console).unwrap_or_default(),
        Err(e) => {
            println!("config error: {e:#}");
            config::ConsoleConfig::default()
        }
    };
    let inputs = look::Inputs {
        keymap_flag: cli.keymap.clone(),
        theme_flag: cli.theme.clone(),
        console,
        config_file: cfg_path,
        env,
    };
    match look::resolve_keymap(&inputs) {
        Ok(k) => println!("{}", look::describe_keymap(&k)),
        Err(e) => println!("keymap error: {e}"),
    }
    match look::resolve_theme(&inputs) {
        Ok(t) => println!("{}", look::describe_theme(&t)),
        Err(e) => println!("theme error: {e}"),
    }
    println!(
        "themes:       {}",
        watchroom::ui::theme::Theme::available(inputs.config_dir()).join(", ")
    );
    println!(
        "keymaps:      {}",
        watchroom::app::keymap::Keymap::available(inputs.config_dir()).join(", ")
    );
    let (lang, origin) = look::resolve_language(&inputs);
    println!("language:     {}  ({origin})", lang.code());
    println!("version:      {}", env!("CARGO_PKG_VERSION"));
}
