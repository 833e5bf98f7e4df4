//! Delivering a notice to the desktop's notification daemon (org.freedesktop.Notifications on
//! the session bus) with notify-rust. A daemon that does not answer can hang a D-Bus call for
//! minutes, so every notice is sent from its own task under a timeout and the outcome comes
//! back to `update` as a message; the loop that draws never waits for D-Bus.

use super::notice::{Notice, Urgency};
use super::settings::NotifySettings;
use crate::app::Msg;
use futures::future::BoxFuture;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotifyError {
    #[error("timed out: no answer from the notification daemon within {} s", .0.as_secs_f32())]
    Timeout(Duration),
    #[error("desktop notification failed: {0}")]
    Failed(String),
}

/// Whether this process was given a session bus (read once, at start): without one the bell
/// stands in, quietly, instead of a connection error for every notice.
pub fn session_bus_present() -> bool {
    std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some_and(|v| !v.is_empty())
}

/// Show one notice through the session bus that `DBUS_SESSION_BUS_ADDRESS` names; the
/// daemon's notification id on success. No timeout of its own: see `Notifier`.
pub async fn show(n: &Notice) -> Result<u32, NotifyError> {
    let urgency = match n.urgency {
        Urgency::Low => notify_rust::Urgency::Low,
        Urgency::Normal => notify_rust::Urgency::Normal,
        Urgency::Critical => notify_rust::Urgency::Critical,
    };
    notify_rust::Notification::new()
        .appname("watchroom")
        .summary(&n.summary)
        .body(&escape_markup(&n.body))
        .urgency(urgency)
        .show_async()
        .await
        .map(|handle| handle.id())
        .map_err(|e| NotifyError::Failed(e.to_string()))
}

/// Most notification daemons read the body as simple markup (the `body-markup` capability):
/// a headline with `<` or `&` must show as written, not as a broken tag.
pub fn escape_markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
    out
}

/// How a notice reaches the desktop; tests put a stand-in daemon here.
pub type Sender = Arc<dyn Fn(Notice) -> BoxFuture<'static, Result<u32, NotifyError>> + Send + Sync>;

pub struct Notifier {
    /// None: no desktop to send to (switched off, or no session bus).
    send: Option<Sender>,
    timeout: Duration,
    results: mpsc::Sender<Msg>,
}

impl Notifier {
    /// The console's notifier: notify-rust when desktop notifications are on and a session
    /// bus exists.
    pub fn new(settings: &NotifySettings, session_bus: bool, results: mpsc::Sender<Msg>) -> Self {
        let send: Option<Sender> = (settings.desktop && session_bus).then(|| {
            Arc::new(|n: Notice| -> BoxFuture<'static, _> {
                Box::pin(async move { show(&n).await })
            }) as Sender
        });
        Notifier {
            send,
            timeout: Duration::from_secs(settings.timeout_seconds.max(1)),
            results,
        }
    }

    pub fn with_sender(send: Sender, timeout: Duration, results: mpsc::Sender<Msg>) -> Self {
        Notifier {
            send: Some(send),
            timeout,
            results,
        }
    }

    /// Hand a notice to the desktop and return at once; the outcome arrives later as
    /// `Msg::Notified`. False when there is no desktop: the caller rings the bell instead.
    /// Must be called inside a tokio runtime.
    pub fn dispatch(&self, n: Notice) -> bool {
        let Some(send) = &self.send else {
            return false;
        };
        let bell_if_undelivered = n.bell_if_undelivered;
        let results = self.results.clone();
        let timeout = self.timeout;
        let sending = send(n);
        tokio::spawn(async move {
            let outcome = match tokio::time::timeout(timeout, sending).await {
                Ok(r) => r,
                Err(_) => Err(NotifyError::Timeout(timeout)),
            };
            // The console may be gone by now; then nobody needs to know.
            let _ = results
                .send(Msg::Notified {
                    outcome: outcome.map(|_| ()),
                    bell_if_undelivered,
                })
                .await;
        });
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notice() -> Notice {
        Notice {
            summary: "红色预警 暴雨 — 南山区".into(),
            body: "暴雨红色预警信号".into(),
            urgency: Urgency::Critical,
            bell_if_undelivered: true,
        }
    }

    /// A daemon that takes the call and never answers must not hold up the caller: the
    /// caller's next timer fires while the notice is outstanding, and the notice ends as a
    /// timeout. Time is paused, so this runs instantly and exactly.
    #[tokio::test(flavor = "current_thread", start_paused = true)]
    async fn a_silent_daemon_times_out_without_stalling_the_caller() {
        let (tx, mut rx) = mpsc::channel(4);
        let never: Sender = Arc::new(|_| Box::pin(std::future::pending()));
        let notifier = Notifier::with_sender(never, Duration::from_secs(3), tx);
        assert!(notifier.dispatch(notice()));
        // One-thread runtime: had dispatch waited on the daemon, nothing else could run.
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert!(rx.try_recv().is_err(), "no outcome yet: still waiting");
        let msg = rx.recv().await.expect("an outcome");
        assert_eq!(
            msg,
            Msg::Notified {
                outcome: Err(NotifyError::Timeout(Duration::from_secs(3))),
                bell_if_undelivered: true,
            }
        );
    }

    #[tokio::test(flavor = "current_thread")]
    async fn a_failing_daemon_reports_its_error_and_a_working_one_reports_success() {
        let (tx, mut rx) = mpsc::channel(4);
        let failing: Sender = Arc::new(|_| {
            Box::pin(async {
                Err(NotifyError::Failed(
                    "org.freedesktop.DBus.Error.ServiceUnknown".into(),
                ))
            })
        });
        Notifier::with_sender(failing, Duration::from_secs(3), tx.clone()).dispatch(notice());
        assert!(matches!(
            rx.recv().await,
            Some(Msg::Notified { outcome: Err(NotifyError::Failed(e)), .. }) if e.contains("ServiceUnknown")
        ));
        let working: Sender = Arc::new(|_| Box::pin(async { Ok(7) }));
        Notifier::with_sender(working, Duration::from_secs(3), tx).dispatch(notice());
        assert!(matches!(
            rx.recv().await,
            Some(Msg::Notified {
                outcome: Ok(()),
                ..
            })
        ));
    }

    #[test]
    fn bodies_are_escaped_for_daemons_that_read_markup() {
        assert_eq!(
            escape_markup("水位>警戒线 <b>&</b> 暴雨"),
            "水位&gt;警戒线 &lt;b&gt;&amp;&lt;/b&gt; 暴雨"
        );
    }

    #[test]
    fn without_a_session_bus_or_when_switched_off_the_bell_stands_in() {
        let (tx, _rx) = mpsc::channel(1);
        let on = NotifySettings::default();
        // dispatch() returns false before touching the runtime, so no runtime is needed.
        assert!(!Notifier::new(&on, false, tx.clone()).dispatch(notice()));
        let off = NotifySettings {
            desktop: false,
            ..NotifySettings::default()
        };
        assert!(!Notifier::new(&off, true, tx).dispatch(notice()));
    }
}
