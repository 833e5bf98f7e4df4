//! `watchroom handover`: the handover review of the current shift (or since a given
//! time) from the backend, as Markdown or JSON; or a signed record as it was stored.

use super::{Inputs, build, to_markdown};
use crate::app::Lang;
use crate::client::{ClosedIncidents, DutyClient};
use crate::config::ConsoleConfig;
use crate::model::Handover;
use anyhow::{Context, bail};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Md,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct HandoverArgs {
    /// Start of the window (RFC 3339, e.g. 2026-11-28T08:30:00+08:00); default: the start
    /// of the current shift on the roster.
    #[arg(long, value_name = "TIME")]
    pub since: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "md")]
    pub format: Format,
    /// Print a signed record instead of a fresh review: its id, or `latest`.
    #[arg(long, value_name = "ID")]
    pub record: Option<String>,
    /// Notes and cautions to include in a fresh review.
    #[arg(long, default_value = "")]
    pub notes: String,
}

pub async fn run(
    args: HandoverArgs,
    server: Option<String>,
    token: Option<String>,
    config: &ConsoleConfig,
) -> anyhow::Result<ExitCode> {
    let Some(server) = server else {
        bail!("no server: pass --server URL or set [server] url in the config file");
    };
    let Some(token) = token else {
        bail!("no token for {server}: pass --token or set WATCHROOM_TOKEN");
    };
    let client = DutyClient::new(&server, &token)?;
    let tz = TimeZone::get(&config.timezone)
        .with_context(|| format!("console.timezone: unknown time zone {:?}", config.timezone))?;
    let lang = Lang::from_code(&config.language);
    let out = match &args.record {
        Some(which) => {
            let records = client.handovers(1000).await?;
            let record = pick_record(&records, which)?;
            render_record(record, args.format, lang)?
        }
        None => {
            let since = args
                .since
                .as_deref()
                .map(|s| {
                    s.parse::<Timestamp>()
                        .with_context(|| format!("--since {s:?}: not an RFC 3339 time"))
                })
                .transpose()?;
            let now = Timestamp::now();
            let alerts = client.alerts(None).await?.items;
            // Open incidents, and closed ones the report may still name: back to --since,
            // else two days.
            let closed_from = since.unwrap_or(now - SignedDuration::from_hours(48));
            let (incidents, _) = client
                .incidents(0, ClosedIncidents::After(closed_from))
                .await?;
            let shifts = client
                .roster(
                    now - SignedDuration::from_hours(48),
                    now + SignedDuration::from_hours(48),
                )
                .await?
                .items;
            let rules = config.reporting.clone().unwrap_or_default();
            let report = build(&Inputs {
                office: &config.office,
                tz: &tz,
                now,
                since,
                alerts: &alerts,
                incidents: &incidents,
                shifts: &shifts,
                rules: &rules,
                notes: &args.notes,
            });
            match args.format {
                Format::Md => to_markdown(&report, lang, None),
                Format::Json => serde_json::to_string_pretty(&report)? + "\n",
            }
        }
    };
    print!("{out}");
    Ok(ExitCode::SUCCESS)
}

fn pick_record<'a>(records: &'a [Handover], which: &str) -> anyhow::Result<&'a Handover> {
    let found = if which == "latest" {
        records.first()
    } else {
        records.iter().find(|h| h.id == which)
    };
    found.with_context(|| format!("no handover record {which:?} on the server"))
}

/// A stored record: its signed review with the signatures filled in.
pub fn render_record(record: &Handover, format: Format, lang: Lang) -> anyhow::Result<String> {
    Ok(match format {
        Format::Json => serde_json::to_string_pretty(record)? + "\n",
        Format::Md => match &record.report {
            Some(report) => to_markdown(report, lang, Some(record)),
            None => bail!(
                "handover record {} carries no review (signed by an older client)",
                record.id
            ),
        },
    })
}
