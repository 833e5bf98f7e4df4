//! `watchroom check-source <URL|PATH>`: what the console would take from a feed, with
//! its warnings, so a duty room can try a feed before adding it to the config.

use super::config::{FeedConfig, FeedKind, WindowConfig};
use super::read::{ReadState, fetch_bytes, http_client, parse_bytes};
use crate::model::{Alert, Shift};
use jiff::Timestamp;
use jiff::tz::TimeZone;
use serde::Serialize;
use std::io::Write;
use std::process::ExitCode;

#[derive(Debug, Clone, clap::Args)]
pub struct CheckSourceArgs {
    /// An http(s) URL or a local file.
    pub source: String,
    /// The feed's kind; guessed from the content when left out.
    #[arg(long, value_enum)]
    pub kind: Option<FeedKind>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
    /// Roster window start (RFC 3339); default 24 h before now.
    #[arg(long, value_name = "TIME")]
    pub from: Option<String>,
    /// Roster window end (RFC 3339); default 14 days after now.
    #[arg(long, value_name = "TIME")]
    pub to: Option<String>,
    /// Zone times are shown in, and floating roster times read in.
    #[arg(long, default_value = "Asia/Shanghai")]
    pub timezone: String,
    /// Bearer token for the feed.
    #[arg(long, env = "WATCHROOM_FEED_TOKEN", hide_env_values = true)]
    pub token: Option<crate::secret::Secret>,
}

#[derive(Serialize)]
struct Report<'a> {
    source: &'a str,
    kind: &'static str,
    checked_at: Timestamp,
    window: (Timestamp, Timestamp),
    alerts: Vec<AlertLine<'a>>,
    shifts: &'a [Shift],
    warnings: &'a [String],
}

#[derive(Serialize)]
struct AlertLine<'a> {
    /// The alert's state as of now: in_force, expired, superseded, cancelled, resolved,
    /// or cancel (the cancelling message itself).
    state: &'static str,
    #[serde(flatten)]
    alert: &'a Alert,
}

fn state_of(a: &Alert, now: Timestamp) -> &'static str {
    use crate::model::MsgType;
    if a.extra.cancelled_by.is_some() {
        "cancelled"
    } else if a.extra.superseded_by.is_some() {
        "superseded"
    } else if a.extra.resolved_at.is_some_and(|r| r <= now) {
        "resolved"
    } else if a.msg_type == MsgType::Cancel {
        "cancel"
    } else if a.expires.is_some_and(|e| e <= now) {
        "expired"
    } else {
        "in_force"
    }
}

fn time_arg(v: &Option<String>, what: &str) -> Result<Option<Timestamp>, String> {
    v.as_deref()
        .map(|s| {
            s.parse::<Timestamp>()
                .map_err(|e| format!("--{what} {s:?} is not an RFC 3339 time: {e}"))
        })
        .transpose()
}

/// Exit 0 when the feed was read (warnings or not), 1 with a one-line reason when not.
pub async fn run(args: CheckSourceArgs) -> anyhow::Result<ExitCode> {
    match check(&args).await {
        Ok(text) => {
            let mut out = std::io::stdout().lock();
            // A closed pipe (`| head`) is not a failure of the feed.
            let _ = out.write_all(text.as_bytes());
            Ok(ExitCode::SUCCESS)
        }
        Err(reason) => {
            eprintln!("watchroom check-source: {}", reason.replace('\n', " "));
            Ok(ExitCode::from(1))
        }
    }
}

async fn check(args: &CheckSourceArgs) -> Result<String, String> {
    let zone = TimeZone::get(&args.timezone)
        .map_err(|e| format!("--timezone {:?}: {e}", args.timezone))?;
    let now = Timestamp::now();
    let (def_from, def_to) = WindowConfig::default().around(now);
    let window = (
        time_arg(&args.from, "from")?.unwrap_or(def_from),
        time_arg(&args.to, "to")?.unwrap_or(def_to),
    );
    if window.0 >= window.1 {
        return Err("--from must be before --to".into());
    }
    let mut cfg = FeedConfig::new(
        "check-source",
        args.kind.unwrap_or(FeedKind::Cap),
        &args.source,
    );
    cfg.token = args.token.clone();
    cfg.validate()?;
    let http = http_client(&cfg)?;
    let mut state = ReadState::default();
    let (bytes, charset) = fetch_bytes(&http, &cfg, &mut state).await?;
    cfg.kind = match args.kind {
        Some(k) => k,
        None => super::guess_kind(&bytes).ok_or_else(|| {
            format!(
                "{}: cannot tell what kind of feed this is; pass --kind",
                args.source
            )
        })?,
    };
    if cfg.kind == FeedKind::DutyApi {
        return Err("duty_api is checked with `watchroom check-config`, not check-source".into());
    }
    let mut parsed = parse_bytes(&http, &cfg, &mut state, &bytes, charset, now, &zone).await?;
    // The window asked for on the command line, not the config default.
    if cfg.kind == FeedKind::Ical && (args.from.is_some() || args.to.is_some()) {
        let mut opts = cfg.parse_options(&args.source, now, zone.clone());
        opts.window = window;
        parsed = super::parse(cfg.kind, &bytes, &opts).map_err(|e| e.to_string())?;
    }
    let alerts: Vec<AlertLine<'_>> = parsed
        .alerts
        .iter()
        .map(|a| AlertLine {
            state: state_of(a, now),
            alert: a,
        })
        .collect();
    if args.json {
        let report = Report {
            source: &args.source,
            kind: cfg.kind.name(),
            checked_at: now,
            window,
            alerts,
            shifts: &parsed.shifts,
            warnings: &parsed.warnings,
        };
        return serde_json::to_string_pretty(&report)
            .map(|s| s + "\n")
            .map_err(|e| e.to_string());
    }
    Ok(text_report(
        &args.source,
        cfg.kind,
        &alerts,
        &parsed.shifts,
        &parsed.warnings,
        window,
        &zone,
    ))
}

fn local(t: Timestamp, zone: &TimeZone) -> String {
    zone.to_datetime(t).strftime("%Y-%m-%d %H:%M").to_string()
}

fn text_report(
    source: &str,
    kind: FeedKind,
    alerts: &[AlertLine<'_>],
    shifts: &[Shift],
    warnings: &[String],
    window: (Timestamp, Timestamp),
    zone: &TimeZone,
) -> String {
    let mut s = format!(
        "{source}\n  kind {} · {} alert(s) · {} shift(s) · {} warning(s) · times in {}\n",
        kind.name(),
        alerts.len(),
        shifts.len(),
        warnings.len(),
        zone.iana_name().unwrap_or("the given zone")
    );
    for l in alerts {
        let a = l.alert;
        s.push_str(&format!(
            "  {}{} {:<10} {:<9} {:<8} {} · {} · {} · sent {}{}\n",
            a.colour.zh(),
            a.level.numeral(),
            l.state,
            a.status,
            format!("{:?}", a.msg_type).to_lowercase(),
            crate::model::text::truncate(&a.signal_type, 20),
            crate::model::text::truncate(a.title(), 60),
            crate::model::text::truncate(&a.area, 40),
            local(a.sent, zone),
            a.expires
                .map(|e| format!(" · expires {}", local(e, zone)))
                .unwrap_or_default(),
        ));
    }
    if kind == FeedKind::Ical {
        s.push_str(&format!(
            "  shifts from {} to {}\n",
            local(window.0, zone),
            local(window.1, zone)
        ));
    }
    for sh in shifts {
        s.push_str(&format!(
            "  {} {} {} {} – {}\n",
            sh.role.zh(),
            sh.person,
            sh.phone,
            local(sh.start, zone),
            local(sh.end, zone)
        ));
    }
    for w in warnings {
        s.push_str(&format!("  warning: {w}\n"));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(source: &str) -> CheckSourceArgs {
        CheckSourceArgs {
            source: source.into(),
            kind: None,
            json: false,
            from: None,
            to: None,
            timezone: "Asia/Shanghai".into(),
            token: None,
        }
    }

    #[tokio::test]
    async fn reads_a_local_cap_file_and_guesses_its_kind() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.xml");
        std::fs::write(&p, "<alert xmlns='urn:oasis:names:tc:emergency:cap:1.2'><identifier>1</identifier><sender>s</sender><sent>2020-01-01T00:00:00Z</sent><status>Test</status><msgType>Alert</msgType><scope>Public</scope><info><event>台风红色预警信号</event><headline>台风红色预警</headline></info></alert>").unwrap();
        let out = check(&args(&p.display().to_string())).await.unwrap();
        assert!(out.contains("kind cap · 1 alert(s)"), "{out}");
        assert!(out.contains("红Ⅰ"), "{out}");
        assert!(out.contains(" test "), "{out}");
        let mut a = args(&p.display().to_string());
        a.json = true;
        let v: serde_json::Value = serde_json::from_str(&check(&a).await.unwrap()).unwrap();
        // No <expires>: it is taken to end assume_expiry_hours (24) after it was sent.
        assert_eq!(v["alerts"][0]["state"], "expired");
        assert_eq!(v["alerts"][0]["expires"], "2020-01-02T00:00:00Z");
        assert_eq!(v["alerts"][0]["colour"], "red");
    }

    #[tokio::test]
    async fn failures_are_one_line_reasons() {
        let e = check(&args("/nonexistent/feed.xml")).await.unwrap_err();
        assert!(e.starts_with("/nonexistent/feed.xml: cannot open"), "{e}");
        let mut a = args("x");
        a.from = Some("yesterday".into());
        assert!(check(&a).await.unwrap_err().contains("--from"));
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("b.txt");
        std::fs::write(&p, "hello").unwrap();
        assert!(
            check(&args(&p.display().to_string()))
                .await
                .unwrap_err()
                .contains("--kind")
        );
    }
}
