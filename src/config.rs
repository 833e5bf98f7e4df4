//! The console's configuration file (TOML in the platform config dir) and where things live.

use anyhow::{Context, anyhow};
use serde::Deserialize;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Deserialize, Default, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub server: Option<ServerConfig>,
    #[serde(default)]
    pub console: ConsoleConfig,
    /// Further feeds (`[[source]]` tables): CAP, NWS, USGS, Alertmanager, iCalendar rosters.
    #[serde(default, rename = "source")]
    pub sources: Vec<crate::feeds::config::FeedConfig>,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ServerConfig {
    /// Base URL of the duty API, e.g. `https://duty.example.org`; without a scheme,
    /// https (http for a loopback address).
    pub url: String,
    #[serde(default)]
    pub token: Option<crate::secret::Secret>,
    /// A file whose first line is the token (kept out of the config file).
    #[serde(default)]
    pub token_file: Option<PathBuf>,
    /// A PEM file of extra root certificates to trust (a private CA).
    #[serde(default)]
    pub ca_file: Option<PathBuf>,
    /// Seconds to establish a connection (default 5).
    #[serde(default = "default_connect_timeout")]
    pub connect_timeout_seconds: u64,
    /// Seconds one request may take, body included (default 20).
    #[serde(default = "default_timeout")]
    pub timeout_seconds: u64,
    /// Largest answer accepted, in bytes (default 10 MiB).
    #[serde(default = "default_max_bytes")]
    pub max_bytes: u64,
}

fn default_connect_timeout() -> u64 {
    5
}
fn default_timeout() -> u64 {
    20
}
fn default_max_bytes() -> u64 {
    crate::feeds::fetch::DEFAULT_MAX_BYTES
}

impl ServerConfig {
    /// A server with every default but its URL.
    pub fn new(url: &str) -> Self {
        ServerConfig {
            url: url.to_owned(),
            token: None,
            token_file: None,
            ca_file: None,
            connect_timeout_seconds: default_connect_timeout(),
            timeout_seconds: default_timeout(),
            max_bytes: default_max_bytes(),
        }
    }

    pub fn client_options(&self) -> crate::client::ClientOptions {
        use std::time::Duration;
        crate::client::ClientOptions {
            connect_timeout: Duration::from_secs(self.connect_timeout_seconds.max(1)),
            timeout: Duration::from_secs(self.timeout_seconds.max(1)),
            max_bytes: self.max_bytes.max(1024),
            ca_file: self.ca_file.clone(),
        }
    }
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct ConsoleConfig {
    /// Office name shown in the title bar.
    pub office: String,
    /// IANA zone that every time on screen is shown in.
    pub timezone: String,
    /// `zh` or `en`; empty: from the locale (LC_ALL, LC_MESSAGES, LANG), else `zh`.
    pub language: String,
    /// Seconds between polls when the event stream is unavailable.
    pub poll_seconds: u64,
    /// A source with no successful contact for this long is shown as stale.
    pub stale_after_seconds: u64,
    /// Who is on duty at this console; when unset, the console asks at start.
    pub officer: Option<String>,
    /// A spreadsheet (CSV) or JSON file to take the expert pool from instead of the backend.
    pub experts_file: Option<std::path::PathBuf>,
    /// Reporting deadlines; unset means the built-in defaults (src/app/report_rules.toml).
    pub reporting: Option<crate::app::deadlines::ReportRules>,
    /// Colour theme: a built-in or user theme name, or a path to a theme file.
    pub theme: Option<String>,
    /// Keymap: a built-in or user keymap name, or a path to a keymap file.
    pub keymap: Option<String>,
    /// Desktop notifications and the bell (`[console.notify]`).
    pub notify: crate::notify::NotifySettings,
    /// Where `theme`, `keymap` and `language` were written, for messages about them.
    #[serde(skip)]
    pub lines: SettingLines,
}

/// 1-based line numbers of settings in the config file; 0 when not written there.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SettingLines {
    pub theme: usize,
    pub keymap: usize,
    pub language: usize,
}

impl Default for ConsoleConfig {
    fn default() -> Self {
        ConsoleConfig {
            office: "测试市应急管理局".to_owned(),
            timezone: "Asia/Shanghai".to_owned(),
            language: String::new(),
            poll_seconds: 5,
            stale_after_seconds: 120,
            officer: None,
            reporting: None,
            experts_file: None,
            theme: None,
            keymap: None,
            lines: SettingLines::default(),
            notify: Default::default(),
        }
    }
}

/// The platform directories (`~/.config/watchroom`, `~/.local/share/watchroom` on Linux).
pub fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "watchroom")
}

/// Where logs go: the state dir on Linux (`~/.local/state/watchroom`), else the local data dir.
pub fn log_dir() -> Option<PathBuf> {
    let dirs = project_dirs()?;
    Some(
        dirs.state_dir()
            .unwrap_or_else(|| dirs.data_local_dir())
            .join("log"),
    )
}

/// Where watchroom keeps its data (the console's local store, the experts' offline copy):
/// `explicit` (`--data-dir`), else `WATCHROOM_DATA_DIR`, else the platform data dir.
pub fn data_dir(explicit: Option<&Path>) -> Option<PathBuf> {
    if let Some(p) = explicit {
        return Some(p.to_path_buf());
    }
    if let Some(p) = std::env::var_os("WATCHROOM_DATA_DIR").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    project_dirs().map(|d| d.data_dir().to_path_buf())
}

pub fn default_config_path() -> Option<PathBuf> {
    project_dirs().map(|d| d.config_dir().join("config.toml"))
}

/// Parse a config file's text; `origin` names it in errors (`path:line:col: message`).
pub fn parse(text: &str, origin: &str) -> anyhow::Result<Config> {
    let mut config = parse_toml(text, origin)?;
    config.console.lines = setting_lines(text);
    let language = &config.console.language;
    if !(language.is_empty() || crate::words::codes().any(|c| c == language)) {
        let codes: Vec<String> = crate::words::codes().map(|c| format!("{c:?}")).collect();
        anyhow::bail!(
            "{origin}:{}: language {language:?}: use {} (or leave it out to follow the locale)",
            config.console.lines.language,
            codes.join(" or ")
        );
    }
    let mut names = std::collections::HashSet::new();
    for source in &config.sources {
        source.validate().map_err(|e| anyhow!("{origin}: {e}"))?;
        if !names.insert(source.name.as_str()) {
            anyhow::bail!(
                "{origin}: two [[source]] tables are named {:?}",
                source.name
            );
        }
    }
    Ok(config)
}

/// A second, lenient reading of the file that keeps where a few settings were written.
fn setting_lines(text: &str) -> SettingLines {
    #[derive(Deserialize)]
    struct Spans {
        console: Option<ConsoleSpans>,
    }
    #[derive(Deserialize)]
    struct ConsoleSpans {
        theme: Option<toml::Spanned<toml::Value>>,
        keymap: Option<toml::Spanned<toml::Value>>,
        language: Option<toml::Spanned<toml::Value>>,
    }
    let line = |v: &Option<toml::Spanned<toml::Value>>| {
        v.as_ref()
            .map_or(0, |v| crate::file_error::line_of(text, v.span().start))
    };
    match toml::from_str::<Spans>(text) {
        Ok(Spans {
            console: Some(c), ..
        }) => SettingLines {
            theme: line(&c.theme),
            keymap: line(&c.keymap),
            language: line(&c.language),
        },
        _ => SettingLines::default(),
    }
}

fn parse_toml(text: &str, origin: &str) -> anyhow::Result<Config> {
    toml::from_str::<Config>(text).map_err(|e| {
        let place = e
            .span()
            .map(|s| {
                let (line, col) = crate::file_error::line_col(text, s.start);
                format!("{origin}:{line}:{col}")
            })
            .unwrap_or_else(|| origin.to_owned());
        anyhow!("{place}: {}", e.message())
    })
}

/// Load the config: an explicit path must exist; the default path may be absent (→ None).
pub fn load(explicit: Option<&Path>) -> anyhow::Result<Option<Config>> {
    let (path, must_exist) = match explicit {
        Some(p) => (p.to_path_buf(), true),
        None => match default_config_path() {
            Some(p) => (p, false),
            None => return Ok(None),
        },
    };
    match std::fs::read_to_string(&path) {
        Ok(text) => parse(&text, &path.display().to_string()).map(Some),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !must_exist => Ok(None),
        Err(e) => Err(e).with_context(|| format!("cannot read config file {}", path.display())),
    }
}

/// What to print when there is nowhere to connect to.
pub fn no_server_help() -> String {
    let path = default_config_path()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "config.toml".to_owned());
    format!(
        "watchroom: no duty backend configured.\n\n\
         Either pass one on the command line:\n    watchroom --server https://duty.example.org --token YOUR_TOKEN\n\n\
         or write {path}:\n    [server]\n    url = \"https://duty.example.org\"\n    token = \"YOUR_TOKEN\"\n\n\
         (the token may also come from the WATCHROOM_TOKEN environment variable).\n\
         To see a living watch room right now, run:\n    watchroom demo\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_full_config() {
        let c = parse(
            "[server]\nurl = \"http://127.0.0.1:8080\"\ntoken = \"t\"\n[console]\nlanguage = \"en\"\n",
            "c.toml",
        )
        .unwrap();
        let server = c.server.unwrap();
        assert_eq!(server.url, "http://127.0.0.1:8080");
        assert!(
            !format!("{server:?}").contains("\"t\""),
            "token shown by Debug"
        );
        assert_eq!(c.console.language, "en");
        assert_eq!(c.console.timezone, "Asia/Shanghai");
    }

    #[test]
    fn the_readme_reporting_example_parses() {
        let c = parse(
            "[console.reporting]\nfollowup_times = [\"08:00\"]\nfollowup_grades = [\"III\"]\n\
             [[console.reporting.rule]]\ngrade = \"III\"\nlabel = \"电话初报\"\nkind = \"初报\"\nwithin_minutes = 30\n",
            "c.toml",
        )
        .unwrap();
        let rules = c.console.reporting.unwrap();
        assert_eq!(rules.rule[0].within_minutes, 30);
    }

    #[test]
    fn errors_name_file_line_and_field() {
        let err = parse("[server]\nurl = \"x\"\ntokn = \"t\"\n", "my.toml")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("my.toml:3:"), "{err}");
        assert!(err.contains("tokn"), "{err}");
    }

    #[test]
    fn sources_are_checked_and_their_names_unique() {
        let one = "[[source]]\nname = \"地震\"\nkind = \"usgs\"\nurl = \"q.json\"\n";
        assert_eq!(parse(one, "c.toml").unwrap().sources.len(), 1);
        let err = parse(&format!("{one}{one}"), "c.toml")
            .unwrap_err()
            .to_string();
        assert!(err.contains("c.toml") && err.contains("地震"), "{err}");
    }

    #[test]
    fn look_settings_keep_their_lines_and_language_is_checked() {
        let c = parse(
            "[console]\noffice = \"x\"\ntheme = \"night\"\nkeymap = \"vim\"\n",
            "c.toml",
        )
        .unwrap();
        assert_eq!(c.console.theme.as_deref(), Some("night"));
        assert_eq!((c.console.lines.theme, c.console.lines.keymap), (3, 4));
        assert_eq!(c.console.language, "");
        let err = parse("[console]\n\nlanguage = \"fr\"\n", "c.toml")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("c.toml:3: ") && err.contains("fr"), "{err}");
    }

    #[test]
    fn a_missing_explicit_file_is_an_error() {
        let err = load(Some(Path::new("/nonexistent/watchroom.toml"))).unwrap_err();
        assert!(err.to_string().contains("/nonexistent/watchroom.toml"));
    }
}
