//! The officer's actions on their way to the backend, in two tasks:
//!
//! - `record` writes each command to the local store as it comes from the app, in order,
//!   and only then hands it on — so a command is on disk before it is ever sent, and is
//!   written promptly even while the sender waits on a dead network;
//! - `deliver` sends the queue (what an earlier run left, then the new ones) one at a time,
//!   in order, retrying network failures and 5xx with backoff (woken early when the backend
//!   is back), and removes a command from the store only when the backend accepted it, or
//!   moves it to the store's `rejected` table when the backend refused it (4xx).
//!
//! Each outcome goes to the app as `Msg::CommandResult`; store failures as `Msg::StoreProblem`.

use crate::app::Msg;
use crate::app::command::{Command, Outcome};
use crate::client::{ClientError, DutyClient};
use crate::store::StoreHandle;
use jiff::Timestamp;
use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Notify, mpsc};

const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// Write each command to the store (when there is one), then pass it to `deliver`.
pub async fn record(
    store: Option<StoreHandle>,
    target: String,
    mut from_app: mpsc::UnboundedReceiver<Command>,
    to_sender: mpsc::UnboundedSender<Command>,
    report: mpsc::Sender<Msg>,
) {
    while let Some(command) = from_app.recv().await {
        if let Some(store) = &store {
            let (t, c) = (target.clone(), command.clone());
            let written = store.run(move |s| s.enqueue(&t, &c)).await;
            // Unwritten, the command is still sent: better delivered than durable.
            let problem = written.err().map(|e| format!("{e:#}"));
            if problem.is_some() && report.send(Msg::StoreProblem(problem)).await.is_err() {
                return;
            }
        }
        if to_sender.send(command).is_err() {
            return;
        }
    }
}

/// What the sender works with.
pub struct Delivery {
    pub client: DutyClient,
    pub store: Option<StoreHandle>,
    /// Commands an earlier run left in the store, oldest first: they go before new ones.
    pub queue: VecDeque<Command>,
    pub recorded: mpsc::UnboundedReceiver<Command>,
    pub report: mpsc::Sender<Msg>,
    /// Notified when the backend is reachable again: retry now, not after the backoff.
    pub wake: Arc<Notify>,
}

pub async fn deliver(mut d: Delivery) {
    let mut backoff = Duration::from_secs(1);
    loop {
        while let Ok(c) = d.recorded.try_recv() {
            d.queue.push_back(c);
        }
        let Some(command) = d.queue.front().cloned() else {
            match d.recorded.recv().await {
                Some(c) => {
                    d.queue.push_back(c);
                    continue;
                }
                None => return,
            }
        };
        let outcome = classify(d.client.send(&command).await);
        if let Some(store) = &d.store {
            let (key, o, now) = (command.key.clone(), outcome.clone(), Timestamp::now());
            let noted = store
                .run(move |s| match &o {
                    Outcome::Accepted => s.accepted(&key),
                    Outcome::Retrying(why) => s.attempt_failed(&key, why, now),
                    Outcome::Rejected(why) => s.reject(&key, why, now),
                })
                .await;
            if let Err(e) = noted
                && d.report
                    .send(Msg::StoreProblem(Some(format!("{e:#}"))))
                    .await
                    .is_err()
            {
                return;
            }
        }
        let retry = matches!(outcome, Outcome::Retrying(_));
        let msg = Msg::CommandResult {
            key: command.key.clone(),
            outcome,
        };
        if d.report.send(msg).await.is_err() {
            return;
        }
        if !retry {
            d.queue.pop_front();
            backoff = Duration::from_secs(1);
            continue;
        }
        tokio::select! {
            _ = tokio::time::sleep(backoff) => backoff = (backoff * 2).min(MAX_BACKOFF),
            _ = d.wake.notified() => backoff = Duration::from_secs(1),
        }
    }
}

/// Which answers end a command's journey.
pub fn classify(result: Result<(), ClientError>) -> Outcome {
    match result {
        Ok(()) => Outcome::Accepted,
        // A 2xx answer whose body we could not read: the backend did apply it.
        Err(ClientError::Decode { .. }) => Outcome::Accepted,
        // A refused token is this console's problem, not the action's: keep the action
        // for when the token is put right.
        Err(e @ ClientError::Unauthorized { .. }) => Outcome::Retrying(e.short()),
        Err(e) if e.is_transient() => Outcome::Retrying(e.short()),
        Err(e) => Outcome::Rejected(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(code: u16) -> ClientError {
        ClientError::Status {
            url: "http://127.0.0.1:1/api/v1/alerts/a/ack".into(),
            status: code,
            message: "no such alert".into(),
        }
    }

    #[test]
    fn only_a_refusal_of_the_request_itself_rejects() {
        assert_eq!(classify(Ok(())), Outcome::Accepted);
        assert!(matches!(classify(Err(status(503))), Outcome::Retrying(_)));
        assert!(matches!(classify(Err(status(429))), Outcome::Retrying(_)));
        let refused = ClientError::Transport {
            url: "http://127.0.0.1:1".into(),
            message: "connection refused".into(),
        };
        assert_eq!(
            classify(Err(refused)),
            Outcome::Retrying("connection refused".into())
        );
        let token = ClientError::Unauthorized {
            url: "http://127.0.0.1:1".into(),
            message: String::new(),
        };
        assert!(matches!(classify(Err(token)), Outcome::Retrying(_)));
        match classify(Err(status(404))) {
            Outcome::Rejected(why) => assert!(why.contains("404"), "{why}"),
            other => panic!("{other:?}"),
        }
    }
}
