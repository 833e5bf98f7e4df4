//! Sends queued commands to the backend one at a time, in order, retrying with backoff
//! while the network or the server fails, and reports each outcome to the app.

use crate::app::Msg;
use crate::app::command::{Command, Outcome};
use crate::client::DutyClient;
use std::time::Duration;
use tokio::sync::mpsc;

const MAX_BACKOFF: Duration = Duration::from_secs(30);

pub async fn run(
    client: DutyClient,
    mut rx: mpsc::UnboundedReceiver<Command>,
    tx: mpsc::Sender<Msg>,
) {
    while let Some(command) = rx.recv().await {
        let mut backoff = Duration::from_secs(1);
        loop {
            let outcome = match client.send(&command).await {
                Ok(()) => Outcome::Accepted,
                Err(e) if e.is_transient() => Outcome::Retrying(e.short()),
                Err(e) => Outcome::Rejected(e.to_string()),
            };
            let retry = matches!(outcome, Outcome::Retrying(_));
            let msg = Msg::CommandResult {
                key: command.key.clone(),
                outcome,
            };
            if tx.send(msg).await.is_err() {
                return;
            }
            if !retry {
                break;
            }
            tokio::time::sleep(backoff).await;
            backoff = (backoff * 2).min(MAX_BACKOFF);
        }
    }
}
