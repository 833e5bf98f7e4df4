//! `watchroom check-notify`: send one sample warning to the desktop the way the console does
//! (same notifier, same timeout) and say what happened, so a duty room can check its setup.

use super::desktop::{Notifier, session_bus_present};
use super::notice;
use crate::app::{Lang, Msg};
use crate::config::ConsoleConfig;
use crate::model::{Alert, Colour};
use anyhow::{Context, anyhow};
use std::process::ExitCode;
use tokio::sync::mpsc;

#[derive(clap::Args, Debug)]
pub struct CheckNotifyArgs {
    /// Seconds to wait for the notification daemon (default: timeout_seconds under
    /// [console.notify], 3).
    #[arg(long, value_name = "SECONDS")]
    pub timeout: Option<u64>,
    /// Colour of the sample warning: blue, yellow, orange or red.
    #[arg(long, default_value = "red")]
    pub level: String,
}

fn sample(colour: Colour, lang: Lang) -> anyhow::Result<Alert> {
    serde_json::from_value(serde_json::json!({
        "id": "check-notify",
        "source": "watchroom",
        "signal_type": lang.t("notify.test_signal"),
        "colour": colour,
        "level": colour.level(),
        "title": lang.t("notify.test_title"),
        "area": lang.t("notify.test_area"),
        "sent": jiff::Timestamp::now(),
    }))
    .context("building the sample warning")
}

pub async fn run(args: CheckNotifyArgs, config: &ConsoleConfig) -> anyhow::Result<ExitCode> {
    let colour: Colour = serde_json::from_value(serde_json::json!(args.level)).map_err(|_| {
        anyhow!(
            "--level: expected blue, yellow, orange or red, got {:?}",
            args.level
        )
    })?;
    let lang = Lang::from_code(&config.language);
    if !session_bus_present() {
        println!(
            "no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set): the console rings the terminal bell instead"
        );
        return Ok(ExitCode::FAILURE);
    }
    let mut settings = config.notify.clone();
    if !settings.desktop {
        println!("note: desktop = false under [console.notify]; the console itself only rings");
        settings.desktop = true;
    }
    if let Some(t) = args.timeout {
        settings.timeout_seconds = t;
    }
    let notice = notice::for_alert(&sample(colour, lang)?, lang);
    println!("sending: {} | {}", notice.summary, notice.body);
    let (tx, mut rx) = mpsc::channel(1);
    let started = std::time::Instant::now();
    Notifier::new(&settings, true, tx).dispatch(notice);
    let outcome = match rx.recv().await {
        Some(Msg::Notified { outcome, .. }) => outcome,
        other => anyhow::bail!("unexpected answer from the notifier: {other:?}"),
    };
    let waited = started.elapsed().as_secs_f32();
    match outcome {
        Ok(()) => {
            println!("shown: the notification daemon accepted it ({waited:.1} s)");
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            println!("not shown: {e} ({waited:.1} s); the console rings the terminal bell instead");
            Ok(ExitCode::FAILURE)
        }
    }
}
