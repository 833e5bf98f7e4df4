//! When a connection is cut between requests: a new connection, or one whose client has
//! begun the next request, has the header timeout to send the whole head; a kept-alive
//! connection with nothing under way has the idle timeout. While a request is being
//! answered (an SSE stream is one answer that lasts) no timeout of this module runs.

use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::sync::Notify;
use tokio::time::Instant;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    pub header: Duration,
    pub idle: Duration,
}

/// Why a connection was closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cut {
    /// The request head did not arrive in time.
    Header,
    /// Nothing was asked for too long after the last answer.
    Idle,
}

#[derive(Debug)]
struct Phase {
    /// Requests whose answer has not been sent to its end.
    in_flight: usize,
    /// Since when nothing is under way: the connection's start or the last answer's end.
    since: Instant,
    /// A request has been answered on this connection.
    served: bool,
    /// The first byte after `since`: the next request has begun.
    first_byte: Option<Instant>,
}

/// What the connection's reads and its requests tell the deadline watcher.
#[derive(Debug)]
pub struct Activity {
    phase: Mutex<Phase>,
    changed: Notify,
}

impl Activity {
    pub fn new() -> Arc<Activity> {
        Arc::new(Activity {
            phase: Mutex::new(Phase {
                in_flight: 0,
                since: Instant::now(),
                served: false,
                first_byte: None,
            }),
            changed: Notify::new(),
        })
    }

    fn phase(&self) -> MutexGuard<'_, Phase> {
        // The phase is plain counters and times: one a panicking holder left is still whole.
        self.phase.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// `n` bytes came from the client.
    fn read(&self, n: usize) {
        if n == 0 {
            return;
        }
        let mut p = self.phase();
        if p.in_flight == 0 && p.first_byte.is_none() {
            p.first_byte = Some(Instant::now());
            drop(p);
            self.changed.notify_one();
        }
    }

    /// A request head was read; the request is under way until the guard is dropped
    /// (with the answer's body, once it has been sent or abandoned).
    pub fn begin(self: &Arc<Self>) -> InFlight {
        self.phase().in_flight += 1;
        self.changed.notify_one();
        InFlight(self.clone())
    }

    fn deadline(&self, t: Timeouts) -> Option<(Instant, Cut)> {
        let p = self.phase();
        if p.in_flight > 0 {
            None
        } else if !p.served {
            // A first byte late in the wait does not buy a new connection more time.
            Some((p.since + t.header, Cut::Header))
        } else if let Some(first) = p.first_byte {
            Some((first + t.header, Cut::Header))
        } else {
            Some((p.since + t.idle, Cut::Idle))
        }
    }

    /// Resolves when the connection has overstayed: the caller then closes it.
    pub async fn expired(&self, t: Timeouts) -> Cut {
        loop {
            match self.deadline(t) {
                None => self.changed.notified().await,
                Some((at, why)) => {
                    tokio::select! {
                        _ = self.changed.notified() => {}
                        _ = tokio::time::sleep_until(at) => {
                            // The phase may have moved on in the same instant.
                            if self.deadline(t) == Some((at, why)) {
                                return why;
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A request under way; dropping it ends the request.
#[derive(Debug)]
pub struct InFlight(Arc<Activity>);

impl Drop for InFlight {
    fn drop(&mut self) {
        let mut p = self.0.phase();
        p.in_flight = p.in_flight.saturating_sub(1);
        if p.in_flight == 0 {
            p.since = Instant::now();
            p.served = true;
            p.first_byte = None;
        }
        drop(p);
        self.0.changed.notify_one();
    }
}

/// The client's stream, telling `Activity` about every read.
pub struct Tracked<I> {
    inner: I,
    activity: Arc<Activity>,
}

impl<I> Tracked<I> {
    pub fn new(inner: I, activity: Arc<Activity>) -> Self {
        Tracked { inner, activity }
    }
}

impl<I: AsyncRead + Unpin> AsyncRead for Tracked<I> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.inner).poll_read(cx, buf);
        if let Poll::Ready(Ok(())) = polled {
            self.activity.read(buf.filled().len() - before);
        }
        polled
    }
}

impl<I: AsyncWrite + Unpin> AsyncWrite for Tracked<I> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: Timeouts = Timeouts {
        header: Duration::from_secs(10),
        idle: Duration::from_secs(60),
    };

    #[tokio::test(start_paused = true)]
    async fn a_new_connection_has_the_header_timeout() {
        let a = Activity::new();
        let start = Instant::now();
        assert_eq!(a.expired(T).await, Cut::Header);
        assert_eq!(Instant::now() - start, T.header);
    }

    #[tokio::test(start_paused = true)]
    async fn a_new_connection_s_first_byte_does_not_restart_its_clock() {
        let a = Activity::new();
        let start = Instant::now();
        tokio::time::advance(Duration::from_secs(9)).await;
        a.read(1);
        assert_eq!(a.expired(T).await, Cut::Header);
        assert_eq!(Instant::now() - start, T.header);
    }

    #[tokio::test(start_paused = true)]
    async fn after_an_answer_the_idle_timeout_runs_until_the_next_request_begins() {
        let a = Activity::new();
        drop(a.begin());
        let start = Instant::now();
        assert_eq!(a.expired(T).await, Cut::Idle);
        assert_eq!(Instant::now() - start, T.idle);

        drop(a.begin());
        tokio::time::advance(Duration::from_secs(30)).await;
        a.read(5);
        let begun = Instant::now();
        assert_eq!(a.expired(T).await, Cut::Header);
        assert_eq!(Instant::now() - begun, T.header);
    }

    #[tokio::test(start_paused = true)]
    async fn a_request_under_way_is_never_cut() {
        let a = Activity::new();
        let open = a.begin();
        let waited = tokio::time::timeout(Duration::from_secs(3600), a.expired(T)).await;
        assert!(waited.is_err(), "cut while answering: {waited:?}");
        drop(open);
        let end = Instant::now();
        assert_eq!(a.expired(T).await, Cut::Idle);
        assert_eq!(Instant::now() - end, T.idle);
    }
}
