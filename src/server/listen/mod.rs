//! How `watchroom serve` listens: its own accept loop over plain TCP or TLS, one HTTP/1.1
//! connection per task, with the limits a server on an office network needs — a header,
//! body and idle timeout, a cap of open connections per client address and in all, and
//! a JSON 431 for oversized headers. Over a cap a connection gets a JSON 503 and is
//! closed. On stop, the loop stops accepting and each connection finishes what it is
//! answering (SSE streams end on the same stop) and closes.

mod bodies;
mod deadlines;
mod tls;

pub use tls::{TlsFiles, acceptor as tls_acceptor};

use super::error::ApiFailure;
use super::wait_for_stop;
use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, HeaderValue, Request, Response, StatusCode, header};
use axum::response::IntoResponse;
use bodies::{Answer, TimedBody};
use deadlines::{Activity, Timeouts, Tracked};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use std::collections::HashMap;
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinSet;
use tokio_rustls::TlsAcceptor;
use tower::ServiceExt;

/// The listener's limits. `Default` is what `watchroom serve` uses; tests shorten them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// From a connection's start (after the TLS handshake, which has as long again), or
    /// from the first byte of a later request, to the end of the request's head.
    pub header_timeout: Duration,
    /// The longest pause inside a request body; a steady slow upload goes on.
    pub body_timeout: Duration,
    /// How long a kept-alive connection may wait for its next request.
    pub idle_timeout: Duration,
    /// Open connections from one client address.
    pub per_address: usize,
    /// Open connections in all; `None`: `DEFAULT_MAX_CONNECTIONS`. Either way at most the
    /// open-file limit less `FILE_RESERVE`.
    pub max_connections: Option<usize>,
    /// Bytes of request headers (names, values and their separators) answered with a JSON
    /// 431 beyond this.
    pub max_header_bytes: usize,
}

pub const HEADER_TIMEOUT: Duration = Duration::from_secs(15);
pub const BODY_TIMEOUT: Duration = Duration::from_secs(30);
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(60);
/// A duty room behind one NAT address: a dozen consoles and wall displays, each with an
/// event stream and a few pooled connections, fit with room to spare.
pub const PER_ADDRESS: usize = 64;
pub const DEFAULT_MAX_CONNECTIONS: usize = 1024;
pub const MAX_HEADER_BYTES: usize = 32 * 1024;
/// Request headers counted one by one; more get the JSON 431.
const MAX_HEADERS: usize = 100;
/// What hyper parses before `MAX_HEADERS` is checked; beyond it (or beyond hyper's read
/// buffer, about 400 KiB of head) hyper answers a bare 431 itself.
const PARSED_HEADERS: usize = 250;
/// Open files kept out of the connection cap: the database and its journal, the
/// listener, standard streams, refusals under way, an admin task's reads.
pub const FILE_RESERVE: u64 = 64;
/// The cap never goes below this, however low the open-file limit.
const MIN_CONNECTIONS: usize = 16;
/// Refusals being answered at once; past these a connection over the cap is just closed.
const REFUSALS: usize = 16;
/// The longest a refusal may take (TLS handshake, reading the request, answering).
const REFUSAL_TIME: Duration = Duration::from_secs(2);
/// What a refused client is told to wait.
const RETRY_AFTER_SECONDS: &str = "5";
/// A pause after a failed accept (out of files): the backlog waits meanwhile.
const ACCEPT_PAUSE: Duration = Duration::from_millis(100);

impl Default for Limits {
    fn default() -> Self {
        Limits {
            header_timeout: HEADER_TIMEOUT,
            body_timeout: BODY_TIMEOUT,
            idle_timeout: IDLE_TIMEOUT,
            per_address: PER_ADDRESS,
            max_connections: None,
            max_header_bytes: MAX_HEADER_BYTES,
        }
    }
}

/// The process's open-file limit (the soft one), where the system says.
pub fn open_file_limit() -> Option<u64> {
    #[cfg(unix)]
    {
        nix::sys::resource::getrlimit(nix::sys::resource::Resource::RLIMIT_NOFILE)
            .ok()
            .map(|(soft, _hard)| soft)
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// The cap of open connections: the one asked for (or the default), kept below the
/// open-file limit so that accepting never runs the process out of files.
pub fn connection_cap(asked: Option<usize>, open_files: Option<u64>) -> usize {
    let asked = asked.unwrap_or(DEFAULT_MAX_CONNECTIONS);
    let room = open_files
        .map(|n| usize::try_from(n.saturating_sub(FILE_RESERVE)).unwrap_or(usize::MAX))
        .unwrap_or(usize::MAX);
    asked.min(room).max(MIN_CONNECTIONS)
}

/// Plain HTTP carries the bearer tokens and the duty records in clear; it is served off
/// the loopback only when asked for by name. Every server has a token (given, or
/// generated), so the rule does not depend on which.
pub fn check_plain_http(listen: SocketAddr, tls: bool, insecure_http: bool) -> anyhow::Result<()> {
    if tls || insecure_http || listen.ip().to_canonical().is_loopback() {
        return Ok(());
    }
    anyhow::bail!(
        "--listen {listen}: refusing plain HTTP off the loopback address: bearer tokens and \
         duty records would cross the network in clear. Pass --tls-cert CERT.pem --tls-key \
         KEY.pem, or listen on 127.0.0.1 behind a TLS proxy, or pass --insecure-http to \
         serve plain HTTP all the same"
    )
}

/// Open connections, in all and per client address.
#[derive(Debug, Default)]
struct Counts {
    total: usize,
    by_address: HashMap<IpAddr, usize>,
}

type SharedCounts = Arc<Mutex<Counts>>;

fn lock(counts: &SharedCounts) -> std::sync::MutexGuard<'_, Counts> {
    // Plain counters: ones a panicking holder left are still whole.
    counts.lock().unwrap_or_else(|e| e.into_inner())
}

/// An open connection's place in the counts, given back on drop.
struct Slot {
    counts: SharedCounts,
    ip: IpAddr,
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut c = lock(&self.counts);
        c.total = c.total.saturating_sub(1);
        if let Some(n) = c.by_address.get_mut(&self.ip) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                c.by_address.remove(&self.ip);
            }
        }
    }
}

/// Takes a slot for a connection from `ip`, or says which cap it is over.
fn admit(
    counts: &SharedCounts,
    ip: IpAddr,
    per_address: usize,
    total: usize,
) -> Result<Slot, ApiFailure> {
    let mut c = lock(counts);
    let from_ip = c.by_address.get(&ip).copied().unwrap_or(0);
    if from_ip >= per_address {
        return Err(ApiFailure::new(
            StatusCode::SERVICE_UNAVAILABLE,
            format!(
                "too many open connections from {ip}: this server takes {per_address} from \
                 one address at once; close idle ones or try again in a few seconds"
            ),
        ));
    }
    if c.total >= total {
        return Err(ApiFailure::new(
            StatusCode::SERVICE_UNAVAILABLE,
            format!(
                "the server has {total} open connections, its most at once; try again in a \
                 few seconds"
            ),
        ));
    }
    c.total += 1;
    *c.by_address.entry(ip).or_insert(0) += 1;
    Ok(Slot {
        counts: counts.clone(),
        ip,
    })
}

/// What every connection task shares.
struct Shared {
    router: Router,
    tls: Option<TlsAcceptor>,
    limits: Limits,
    http: http1::Builder,
}

/// Serves `router` on `tcp` until `stop` turns true, then lets the open connections finish.
pub async fn serve(
    tcp: TcpListener,
    tls: Option<TlsAcceptor>,
    router: Router,
    limits: Limits,
    mut stop: watch::Receiver<bool>,
) -> std::io::Result<()> {
    let total = connection_cap(limits.max_connections, open_file_limit());
    let per_address = limits.per_address.clamp(1, total);
    let mut http = http1::Builder::new();
    // The timeouts are ours (deadlines), which know a long answer from an idle line.
    http.header_read_timeout(None).max_headers(PARSED_HEADERS);
    let shared = Arc::new(Shared {
        router,
        tls,
        limits,
        http,
    });
    let counts = SharedCounts::default();
    let refusals = Arc::new(Semaphore::new(REFUSALS));
    // Dropped with the loop (when `shutdown` gives up waiting), which aborts every task.
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            _ = wait_for_stop(&mut stop) => break,
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
            accepted = tcp.accept() => match accepted {
                Ok((socket, peer)) => {
                    let _ = socket.set_nodelay(true);
                    let ip = peer.ip().to_canonical();
                    match admit(&counts, ip, per_address, total) {
                        Ok(slot) => {
                            connections.spawn(connection(socket, peer, slot, shared.clone(), stop.clone()));
                        }
                        Err(refusal) => {
                            // Past the refusals under way the socket is closed at once.
                            if let Ok(permit) = refusals.clone().try_acquire_owned() {
                                let tls = shared.tls.clone();
                                connections.spawn(async move {
                                    let _permit = permit;
                                    refuse(socket, tls, refusal).await;
                                });
                            }
                        }
                    }
                }
                Err(e) if is_per_connection(&e) => {}
                Err(_) => tokio::time::sleep(ACCEPT_PAUSE).await,
            },
        }
    }
    drop(tcp);
    while connections.join_next().await.is_some() {}
    Ok(())
}

/// An accept error that concerns only the connection that failed, not the listener.
fn is_per_connection(e: &std::io::Error) -> bool {
    use std::io::ErrorKind::*;
    matches!(
        e.kind(),
        ConnectionRefused | ConnectionAborted | ConnectionReset
    )
}

async fn connection(
    socket: TcpStream,
    peer: SocketAddr,
    _slot: Slot,
    shared: Arc<Shared>,
    mut stop: watch::Receiver<bool>,
) {
    let Some(acceptor) = shared.tls.clone() else {
        return http(socket, peer, &shared, stop).await;
    };
    let handshake = async {
        if speaks_plain_http(&socket).await {
            let failure = ApiFailure::bad_request(
                "this server speaks HTTPS only: use https:// in the server URL",
            );
            answer_once(socket, failure.into_response()).await;
            return None;
        }
        acceptor.accept(socket).await.ok()
    };
    let secured = tokio::select! {
        _ = wait_for_stop(&mut stop) => return,
        secured = tokio::time::timeout(shared.limits.header_timeout, handshake) => secured,
    };
    if let Ok(Some(stream)) = secured {
        http(stream, peer, &shared, stop).await;
    }
}

/// The client's first byte is a letter (an HTTP method), not a TLS handshake record.
async fn speaks_plain_http(socket: &TcpStream) -> bool {
    let mut first = [0u8; 1];
    matches!(socket.peek(&mut first).await, Ok(1) if first[0].is_ascii_alphabetic())
}

async fn http<I>(io: I, peer: SocketAddr, shared: &Shared, mut stop: watch::Receiver<bool>)
where
    I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let activity = Activity::new();
    let timeouts = Timeouts {
        header: shared.limits.header_timeout,
        idle: shared.limits.idle_timeout,
    };
    let service = {
        let (router, activity) = (shared.router.clone(), activity.clone());
        let (body_timeout, max_header_bytes) =
            (shared.limits.body_timeout, shared.limits.max_header_bytes);
        service_fn(move |request: Request<Incoming>| {
            let under_way = activity.begin();
            let router = router.clone();
            async move {
                let response = answer(request, peer, router, body_timeout, max_header_bytes).await;
                Ok::<_, Infallible>(response.map(|body| Answer::new(body, under_way)))
            }
        })
    };
    let connection = shared
        .http
        .serve_connection(TokioIo::new(Tracked::new(io, activity.clone())), service);
    tokio::pin!(connection);
    // Returning drops the connection, which closes it.
    tokio::select! {
        _ = connection.as_mut() => return,
        _ = activity.expired(timeouts) => return,
        _ = wait_for_stop(&mut stop) => {}
    }
    connection.as_mut().graceful_shutdown();
    tokio::select! {
        _ = connection.as_mut() => {}
        _ = activity.expired(timeouts) => {}
    }
}

async fn answer(
    request: Request<Incoming>,
    peer: SocketAddr,
    router: Router,
    body_timeout: Duration,
    max_header_bytes: usize,
) -> Response<Body> {
    if let Some(failure) = oversized_headers(request.headers(), max_header_bytes) {
        let mut response = failure.into_response();
        // The rest of such a request is not worth reading.
        response
            .headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
        return response;
    }
    let (mut parts, body) = request.into_parts();
    parts.extensions.insert(ConnectInfo(peer));
    let request = Request::from_parts(parts, Body::new(TimedBody::new(body, body_timeout)));
    match router.oneshot(request).await {
        Ok(response) => response,
        Err(never) => match never {},
    }
}

/// A 431 for headers beyond `max_bytes` or `MAX_HEADERS`, in the API's JSON shape.
fn oversized_headers(headers: &HeaderMap, max_bytes: usize) -> Option<ApiFailure> {
    // Each as sent: name, ": ", value, CRLF.
    let bytes: usize = headers
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len() + 4)
        .sum();
    let failure = |what: String| ApiFailure::new(StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE, what);
    if bytes > max_bytes {
        Some(failure(format!(
            "the request's headers are {bytes} bytes, more than the {max_bytes} this server \
             takes: send a smaller cookie or fewer headers"
        )))
    } else if headers.len() > MAX_HEADERS {
        Some(failure(format!(
            "the request has {} headers, more than the {MAX_HEADERS} this server takes",
            headers.len()
        )))
    } else {
        None
    }
}

/// Answers a connection over a cap with a 503 (through TLS where the server speaks it),
/// then closes it.
async fn refuse(socket: TcpStream, tls: Option<TlsAcceptor>, refusal: ApiFailure) {
    let mut response = refusal.into_response();
    response.headers_mut().insert(
        header::RETRY_AFTER,
        HeaderValue::from_static(RETRY_AFTER_SECONDS),
    );
    let _ = tokio::time::timeout(REFUSAL_TIME, async move {
        match tls {
            None => answer_once(socket, response).await,
            Some(acceptor) => {
                if let Ok(stream) = acceptor.accept(socket).await {
                    answer_once(stream, response).await;
                }
            }
        }
    })
    .await;
}

/// Reads one request head, answers it with `response` whatever it asked, and closes.
async fn answer_once<I>(io: I, response: Response<Body>)
where
    I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let response = Mutex::new(Some(response));
    let service = service_fn(move |_request: Request<Incoming>| {
        let taken = response.lock().unwrap_or_else(|e| e.into_inner()).take();
        async move {
            Ok::<_, Infallible>(
                taken.unwrap_or_else(|| StatusCode::SERVICE_UNAVAILABLE.into_response()),
            )
        }
    });
    let mut http = http1::Builder::new();
    http.keep_alive(false).header_read_timeout(None);
    let _ = http.serve_connection(TokioIo::new(io), service).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_connection_cap_stays_below_the_open_file_limit() {
        assert_eq!(connection_cap(None, None), DEFAULT_MAX_CONNECTIONS);
        assert_eq!(connection_cap(None, Some(256)), 256 - FILE_RESERVE as usize);
        assert_eq!(connection_cap(Some(100), Some(65536)), 100);
        assert_eq!(
            connection_cap(Some(5000), Some(1024)),
            1024 - FILE_RESERVE as usize
        );
        assert_eq!(connection_cap(None, Some(20)), MIN_CONNECTIONS);
    }

    #[test]
    fn a_slot_is_given_back_when_its_connection_closes() {
        let counts = SharedCounts::default();
        let ip: IpAddr = "127.0.0.2".parse().unwrap();
        let other: IpAddr = "127.0.0.3".parse().unwrap();
        let a = admit(&counts, ip, 2, 3).unwrap();
        let _b = admit(&counts, ip, 2, 3).unwrap();
        let over = admit(&counts, ip, 2, 3).err().unwrap();
        assert_eq!(over.status, StatusCode::SERVICE_UNAVAILABLE);
        assert!(over.error.contains("127.0.0.2"), "{}", over.error);
        let _c = admit(&counts, other, 2, 3).unwrap();
        let full = admit(&counts, "127.0.0.4".parse().unwrap(), 2, 3)
            .err()
            .unwrap();
        assert!(full.error.contains("3 open connections"), "{}", full.error);
        drop(a);
        assert!(admit(&counts, ip, 2, 3).is_ok());
    }

    #[test]
    fn plain_http_is_refused_off_the_loopback_unless_asked_for() {
        let on = |s: &str| s.parse::<SocketAddr>().unwrap();
        assert!(check_plain_http(on("127.0.0.1:8080"), false, false).is_ok());
        assert!(check_plain_http(on("[::1]:8080"), false, false).is_ok());
        assert!(check_plain_http(on("[::ffff:127.0.0.1]:8080"), false, false).is_ok());
        let e = check_plain_http(on("0.0.0.0:8080"), false, false)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("--tls-cert") && e.contains("--insecure-http") && e.contains("0.0.0.0:8080"),
            "{e}"
        );
        assert!(check_plain_http(on("[::]:8080"), false, false).is_err());
        assert!(check_plain_http(on("192.0.2.10:8080"), true, false).is_ok());
        assert!(check_plain_http(on("192.0.2.10:8080"), false, true).is_ok());
    }
}
