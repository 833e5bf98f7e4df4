//! `watchroom experts [QUERY]`: the expert lookup from a shell, with the view's ranking.

use super::cache::{self, CachedDirectory};
use super::import;
use super::{ExpertIndex, Filters, Hit};
use crate::client::{ClientError, DutyClient};
use crate::model::text::{pad, sanitize, width};
use crate::model::{Expert, ExpertDirectory, GroupRole};
use anyhow::anyhow;
use jiff::Timestamp;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Find experts by name (张伟, zhangwei, zw), specialty (燃气), group, organisation or district.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ExpertsArgs {
    /// What to look for; leave out to list everyone (group leaders first).
    pub query: Option<String>,
    /// Only this domain (事故灾难, 自然灾害 …); a unique part of the name is enough.
    #[arg(long, value_name = "D")]
    pub domain: Option<String>,
    /// Only this professional group; a unique part of the name is enough.
    #[arg(long, value_name = "G")]
    pub group: Option<String>,
    /// Only experts who can be contacted now.
    #[arg(long)]
    pub available: bool,
    /// Print a JSON array instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Show at most N experts (0: all).
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub limit: usize,
    /// Read the pool from a CSV or JSON file instead of the backend.
    #[arg(long, value_name = "PATH")]
    pub file: Option<PathBuf>,
}

/// What a run printed and how it ended; `run` writes it out, tests read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub stdout: String,
    pub stderr: String,
    /// 0 found someone, 1 nobody matched, 2 nothing to search or a bad option.
    pub code: u8,
}

/// Runs the command with the backend `server` (URL) and `token` resolved by the caller, and
/// the cache in the platform data dir.
pub async fn run(
    args: ExpertsArgs,
    server: Option<String>,
    token: Option<String>,
    data_dir: Option<&Path>,
) -> anyhow::Result<ExitCode> {
    let cache = cache::default_path(data_dir);
    let out = run_with(args, server, token, cache.as_deref(), Timestamp::now()).await;
    print!("{}", out.stdout);
    eprint!("{}", out.stderr);
    Ok(ExitCode::from(out.code))
}

/// The whole command with its cache path and clock injected.
pub async fn run_with(
    args: ExpertsArgs,
    server: Option<String>,
    token: Option<String>,
    cache_path: Option<&Path>,
    now: Timestamp,
) -> Outcome {
    let mut err = String::new();
    let directory = match load(&args, server, token, cache_path, now, &mut err).await {
        Ok(d) => d,
        Err(e) => {
            err.push_str(&format!("watchroom experts: {e:#}\n"));
            return Outcome {
                stdout: String::new(),
                stderr: err,
                code: 2,
            };
        }
    };
    let filters = match resolve_filters(&args, &directory) {
        Ok(f) => f,
        Err(e) => {
            err.push_str(&format!("watchroom experts: {e}\n"));
            return Outcome {
                stdout: String::new(),
                stderr: err,
                code: 2,
            };
        }
    };
    let index = ExpertIndex::new(&directory.items);
    let query = args.query.as_deref().unwrap_or("");
    let hits = index.search(query, &filters);
    let total = hits.len();
    let shown: Vec<Hit> = if args.limit == 0 {
        hits
    } else {
        hits.into_iter().take(args.limit).collect()
    };
    let stdout = if args.json {
        json(&shown, &directory.items)
    } else if shown.is_empty() {
        String::new()
    } else {
        table(&shown, &directory.items)
    };
    if total == 0 {
        err.push_str(&format!("watchroom experts: nobody matches {query:?}\n"));
    } else if shown.len() < total {
        err.push_str(&format!(
            "{} of {total} shown; --limit 0 shows all\n",
            shown.len()
        ));
    }
    Outcome {
        stdout,
        stderr: err,
        code: if total == 0 { 1 } else { 0 },
    }
}

/// The directory from `--file`, else the backend (saving a copy), else the saved copy.
async fn load(
    args: &ExpertsArgs,
    server: Option<String>,
    token: Option<String>,
    cache_path: Option<&Path>,
    now: Timestamp,
    err: &mut String,
) -> anyhow::Result<ExpertDirectory> {
    if let Some(path) = &args.file {
        let imported = import::import_file(path)?;
        for w in &imported.warnings {
            err.push_str(&format!("warning: {w}\n"));
        }
        return Ok(imported.directory);
    }
    let why = match server {
        Some(url) => match fetch(&url, token.as_deref().unwrap_or("")).await {
            Ok(directory) => {
                if let Some(path) = cache_path
                    && let Err(e) = cache::save(path, &directory, &url, now)
                {
                    err.push_str(&format!("warning: could not keep an offline copy: {e:#}\n"));
                }
                return Ok(directory);
            }
            Err(e @ ClientError::Transport { .. }) => format!("backend unreachable ({e})"),
            Err(e) => format!("backend failed ({e})"),
        },
        None => "no backend configured".to_owned(),
    };
    let cached = match cache_path.map(cache::load).transpose()? {
        Some(Some(c)) => c,
        _ => {
            return Err(anyhow!(
                "{why}, and no copy has been saved yet. Pass --server URL and --token T, \
                 configure [server] in the config file, or read a file with --file PATH."
            ));
        }
    };
    err.push_str(&format!(
        "watchroom experts: {why}; showing the copy saved at {} from {}{}\n",
        describe_time(&cached, now),
        sanitize(&cached.source),
        cache_path.map_or(String::new(), |p| format!(" ({})", p.display())),
    ));
    Ok(cached.directory)
}

async fn fetch(url: &str, token: &str) -> Result<ExpertDirectory, ClientError> {
    DutyClient::new(url, token)?.experts().await
}

/// "2026-11-29 03:00 CST, 2 h ago" in the machine's zone.
fn describe_time(cached: &CachedDirectory, now: Timestamp) -> String {
    let local = cached
        .saved_at
        .to_zoned_datetime(jiff::tz::TimeZone::system())
        .strftime("%Y-%m-%d %H:%M %Z")
        .to_string();
    let secs = now.as_second() - cached.saved_at.as_second();
    let age = match secs {
        s if s < 0 => "in the future: check the clock".to_owned(),
        s if s < 120 => "just now".to_owned(),
        s if s < 2 * 3600 => format!("{} min ago", s / 60),
        s if s < 2 * 86_400 => format!("{} h ago", s / 3600),
        s => format!("{} days ago", s / 86_400),
    };
    format!("{local}, {age}")
}

/// Turns `--domain`/`--group` into exact names: the exact name, or the one name containing
/// the text. Several or none is an error listing the choices.
fn resolve_filters(args: &ExpertsArgs, dir: &ExpertDirectory) -> Result<Filters, String> {
    let mut domains: Vec<&str> = dir.domains.iter().map(|d| d.name.as_str()).collect();
    let mut groups: Vec<&str> = dir.groups.iter().map(|g| g.name.as_str()).collect();
    for e in &dir.items {
        if !domains.contains(&e.domain.as_str()) {
            domains.push(&e.domain);
        }
        if !groups.contains(&e.group.as_str()) {
            groups.push(&e.group);
        }
    }
    Ok(Filters {
        domain: args
            .domain
            .as_deref()
            .map(|d| pick("domain", d, &domains))
            .transpose()?,
        group: args
            .group
            .as_deref()
            .map(|g| pick("group", g, &groups))
            .transpose()?,
        available_only: args.available,
    })
}

fn pick(what: &str, wanted: &str, names: &[&str]) -> Result<String, String> {
    let wanted = wanted.trim();
    if names.contains(&wanted) {
        return Ok(wanted.to_owned());
    }
    let lower = wanted.to_lowercase();
    let found: Vec<&str> = names
        .iter()
        .copied()
        .filter(|n| !n.is_empty() && n.to_lowercase().contains(&lower))
        .collect();
    match found.as_slice() {
        [one] => Ok((*one).to_owned()),
        [] => Err(format!(
            "no {what} matches {wanted:?}; the {what}s are: {}",
            names.join(", ")
        )),
        many => Err(format!(
            "{wanted:?} matches several {what}s: {}; say which",
            many.join(", ")
        )),
    }
}

#[derive(Serialize)]
struct Row<'a> {
    name: &'a str,
    domain: &'a str,
    group: &'a str,
    role: GroupRole,
    specialties: &'a [String],
    phones: &'a [String],
    available: bool,
}

fn json(hits: &[Hit], experts: &[Expert]) -> String {
    let rows: Vec<Row> = hits
        .iter()
        .filter_map(|h| experts.get(h.index))
        .map(|e| Row {
            name: &e.name,
            domain: &e.domain,
            group: &e.group,
            role: e.role,
            specialties: &e.specialties,
            phones: &e.phones,
            available: e.available,
        })
        .collect();
    // Serialising plain strings and bools cannot fail; an empty array is the honest fallback.
    let mut s = serde_json::to_string_pretty(&rows).unwrap_or_else(|_| "[]".to_owned());
    s.push('\n');
    s
}

/// Column caps in terminal cells: a phone number must never be cut, long specialty lists may.
const CAPS: [usize; 6] = [12, 6, 24, 30, 40, 6];

fn table(hits: &[Hit], experts: &[Expert]) -> String {
    // The table has always been printed in Chinese, whatever the console's language.
    let l = crate::app::Lang::Zh;
    let header = [
        l.t("experts.cli_name"),
        l.t("experts.cli_role"),
        l.t("experts.cli_group"),
        l.t("experts.cli_specialties"),
        l.t("experts.cli_phone"),
        l.t("experts.cli_available"),
    ];
    let role = |r: GroupRole| match r {
        GroupRole::Leader => l.t("experts.leader"),
        GroupRole::Deputy => l.t("experts.deputy"),
        GroupRole::Member => l.t("experts.member"),
    };
    let rows: Vec<[String; 6]> = hits
        .iter()
        .filter_map(|h| experts.get(h.index))
        .map(|e| {
            [
                sanitize(&e.name),
                role(e.role).to_owned(),
                sanitize(&e.group),
                sanitize(&e.specialties.join(l.t("experts.list_separator"))),
                sanitize(&e.phones.join(" ")),
                if e.available {
                    l.t("experts.cli_yes")
                } else {
                    l.t("experts.cli_no")
                }
                .to_owned(),
            ]
        })
        .collect();
    let mut widths = header.map(width);
    for row in &rows {
        for (w, (cell, cap)) in widths.iter_mut().zip(row.iter().zip(CAPS)) {
            *w = (*w).max(width(cell).min(cap));
        }
    }
    let mut out = String::new();
    let mut line = |cells: &[&str]| {
        let mut l = String::new();
        for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
            if i > 0 {
                l.push_str("  ");
            }
            l.push_str(&pad(cell, w));
        }
        out.push_str(l.trim_end());
        out.push('\n');
    };
    line(&header);
    for row in &rows {
        let cells: Vec<&str> = row.iter().map(String::as_str).collect();
        line(&cells);
    }
    out
}
