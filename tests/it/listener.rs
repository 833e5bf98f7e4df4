//! The listener's limits, over real sockets on loopback: a cap of open connections per
//! client address that leaves other clients served, the header and body timeouts, the idle
//! timeout that spares an event stream, and a JSON 431 for oversized headers. The limits
//! are made small and short here; no assertion is about speed.

use futures::StreamExt;
use serde_json::Value;
use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;
use tempfile::TempDir;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};
use watchroom::server::{Limits, Role, RunningServer, ServeOptions};

const TOKEN: &str = "listener-test-token";
/// Generous: the machine may be busy compiling; nothing here is a speed assertion.
const STEP: Duration = Duration::from_secs(20);

async fn within<T>(what: &str, fut: impl Future<Output = T>) -> T {
    tokio::time::timeout(STEP, fut)
        .await
        .unwrap_or_else(|_| panic!("timed out: {what}"))
}

async fn serve(dir: &TempDir, limits: Limits) -> RunningServer {
    within(
        "server start",
        watchroom::server::start(ServeOptions {
            tokens: vec![TOKEN.to_owned()],
            limits,
            ..ServeOptions::new(
                "127.0.0.1:0".parse().unwrap(),
                dir.path().join("duty.sqlite"),
            )
        }),
    )
    .await
    .expect("server starts")
}

/// A connection from another loopback address than the usual 127.0.0.1, so that the
/// per-address cap it meets is not the one the test's HTTP client meets.
async fn connect_from(source: &str, to: SocketAddr) -> TcpStream {
    let socket = TcpSocket::new_v4().unwrap();
    socket
        .bind(format!("{source}:0").parse().unwrap())
        .expect("bind a loopback source address");
    within("connect", socket.connect(to))
        .await
        .expect("connect")
}

const HEALTH: &[u8] =
    b"GET /api/v1/health HTTP/1.1\r\nHost: watchroom\r\nConnection: close\r\n\r\n";

/// Sends `request` and reads until the server closes.
async fn exchange(stream: &mut TcpStream, request: &[u8]) -> String {
    within("send", stream.write_all(request)).await.unwrap();
    let mut said = Vec::new();
    let _ = within("read to the end", stream.read_to_end(&mut said)).await;
    String::from_utf8_lossy(&said).into_owned()
}

/// The JSON body of a whole HTTP/1.1 answer read as text.
fn json_body(answer: &str) -> Value {
    let body = answer.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    serde_json::from_str(body).unwrap_or_else(|e| panic!("no JSON body ({e}) in {answer:?}"))
}

async fn health_status(server: &RunningServer) -> u16 {
    within(
        "health",
        reqwest::Client::new()
            .get(format!("{}/api/v1/health", server.url()))
            .send(),
    )
    .await
    .expect("health answers")
    .status()
    .as_u16()
}

#[tokio::test]
async fn idle_connections_from_one_address_hit_the_cap_while_health_from_another_answers() {
    const CAP: usize = 4;
    let dir = TempDir::new().unwrap();
    let server = serve(
        &dir,
        Limits {
            per_address: CAP,
            max_connections: Some(64),
            ..Limits::default()
        },
    )
    .await;
    let mut idle = Vec::new();
    for _ in 0..CAP {
        idle.push(connect_from("127.0.0.2", server.addr).await);
    }
    for n in 0..5 {
        let mut over = connect_from("127.0.0.2", server.addr).await;
        let answer = exchange(&mut over, HEALTH).await;
        assert!(
            answer.starts_with("HTTP/1.1 503"),
            "connection {} over the cap: {answer:?}",
            CAP + n + 1
        );
        let error = json_body(&answer)["error"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        assert!(error.contains("127.0.0.2"), "{error}");
        assert!(
            answer.to_ascii_lowercase().contains("retry-after: 5"),
            "{answer}"
        );
    }
    assert_eq!(
        health_status(&server).await,
        200,
        "another address is served"
    );

    // A closed connection gives its place back.
    drop(idle.pop());
    let mut served = false;
    for _ in 0..100 {
        let mut again = connect_from("127.0.0.2", server.addr).await;
        if exchange(&mut again, HEALTH)
            .await
            .starts_with("HTTP/1.1 200")
        {
            served = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(
        served,
        "the freed place was never given to a new connection"
    );
    within("shutdown", server.shutdown()).await;
}

#[tokio::test]
async fn a_client_sending_its_headers_slowly_is_cut_after_the_header_timeout() {
    let dir = TempDir::new().unwrap();
    let server = serve(
        &dir,
        Limits {
            header_timeout: Duration::from_millis(300),
            ..Limits::default()
        },
    )
    .await;
    let stream = TcpStream::connect(server.addr).await.unwrap();
    let (mut reader, mut writer) = stream.into_split();
    let closed = tokio::spawn(async move {
        let mut said = Vec::new();
        let _ = reader.read_to_end(&mut said).await;
        String::from_utf8_lossy(&said).into_owned()
    });
    writer
        .write_all(b"GET /api/v1/health HTTP/1.1\r\nHost: watchroom\r\n")
        .await
        .unwrap();
    // One header line every 50 ms, never the blank line that ends the head: at most 20 s
    // of dripping, far past the 300 ms the head may take.
    let mut cut = false;
    for n in 0..400 {
        if closed.is_finished() {
            cut = true;
            break;
        }
        if writer
            .write_all(format!("X-Drip-{n}: a\r\n").as_bytes())
            .await
            .is_err()
        {
            cut = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(cut, "a head dripping for 20 s was never cut");
    let said = within("the close", closed).await.unwrap();
    assert!(
        !said.contains("200 OK"),
        "the dripped request was answered: {said}"
    );
    assert_eq!(health_status(&server).await, 200);
    within("shutdown", server.shutdown()).await;
}

#[tokio::test]
async fn a_request_body_that_stops_arriving_is_cut_after_the_body_timeout() {
    let dir = TempDir::new().unwrap();
    let server = serve(
        &dir,
        Limits {
            body_timeout: Duration::from_millis(300),
            ..Limits::default()
        },
    )
    .await;
    let feed = server
        .add_user("测试市气象台值班", Role::Officer, false)
        .await
        .expect("a feed's token");
    let mut stream = TcpStream::connect(server.addr).await.unwrap();
    let head = format!(
        "POST /api/v1/alerts HTTP/1.1\r\nHost: watchroom\r\nAuthorization: Bearer {feed}\r\n\
         Content-Type: application/json\r\nContent-Length: 200\r\n\r\n{{\"title\": \"半"
    );
    // The body promises 200 bytes, sends a few, then nothing while the answer is awaited.
    let answer = exchange(&mut stream, head.as_bytes()).await;
    assert!(answer.starts_with("HTTP/1.1 4"), "{answer:?}");
    let error = json_body(&answer)["error"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(error.contains("stopped arriving"), "{answer}");
    within("shutdown", server.shutdown()).await;
}

#[tokio::test]
async fn an_event_stream_outlives_the_idle_timeout_that_closes_an_idle_connection() {
    let dir = TempDir::new().unwrap();
    let idle = Duration::from_millis(200);
    let server = serve(
        &dir,
        Limits {
            idle_timeout: idle,
            header_timeout: idle,
            ..Limits::default()
        },
    )
    .await;
    let http = reqwest::Client::new();
    let events = within(
        "open the stream",
        http.get(format!("{}/api/v1/events", server.url()))
            .bearer_auth(TOKEN)
            .send(),
    )
    .await
    .expect("the event stream opens");
    assert_eq!(events.status(), 200);
    let mut events = events.bytes_stream();

    // A kept-alive connection with nothing asked is closed after the idle timeout.
    let mut kept = TcpStream::connect(server.addr).await.unwrap();
    kept.write_all(b"GET /api/v1/health HTTP/1.1\r\nHost: watchroom\r\n\r\n")
        .await
        .unwrap();
    let mut said = Vec::new();
    let _ = within("the idle close", kept.read_to_end(&mut said)).await;
    let said = String::from_utf8_lossy(&said);
    assert!(said.starts_with("HTTP/1.1 200"), "{said}");

    // The stream has been silent for longer than that (its keep-alive comments come
    // every 15 s), and still carries the next change.
    tokio::time::sleep(idle * 4).await;
    let body = serde_json::json!({
        "source": "测试市气象台",
        "signal_type": "暴雨",
        "colour": "yellow",
        "title": "测试市暴雨黄色预警",
        "area": "南山区",
    });
    let feed = server
        .add_user("测试市气象台值班", Role::Officer, false)
        .await
        .expect("a feed's token");
    let created = within(
        "create an alert",
        http.post(format!("{}/api/v1/alerts", server.url()))
            .bearer_auth(&feed)
            .json(&body)
            .send(),
    )
    .await
    .expect("an alert is created");
    assert_eq!(created.status(), 201, "{:?}", created.text().await);
    let mut seen = String::new();
    while !seen.contains("测试市暴雨黄色预警") {
        let chunk = within("the alert on the stream", events.next())
            .await
            .expect("the stream is still open")
            .expect("a chunk of the stream");
        seen.push_str(&String::from_utf8_lossy(&chunk));
    }

    // Shutting down ends the stream, and the server stops.
    within("shutdown", server.shutdown()).await;
    while let Some(chunk) = within("the stream's end", events.next()).await {
        if chunk.is_err() {
            break;
        }
    }
}

#[tokio::test]
async fn headers_too_large_get_431_with_a_json_body() {
    let dir = TempDir::new().unwrap();
    let server = serve(&dir, Limits::default()).await;
    let http = reqwest::Client::new();
    let big = "a".repeat(40 * 1024);
    let resp = within(
        "a big header",
        http.get(format!("{}/api/v1/health", server.url()))
            .header("X-Big", &big)
            .send(),
    )
    .await
    .expect("an answer");
    assert_eq!(resp.status(), 431);
    let body: Value = within("body", resp.json()).await.expect("a JSON body");
    assert!(
        body["error"]
            .as_str()
            .unwrap_or_default()
            .contains("headers"),
        "{body}"
    );

    let mut many = http.get(format!("{}/api/v1/health", server.url()));
    for n in 0..150 {
        many = many.header(format!("x-many-{n}"), "1");
    }
    let resp = within("many headers", many.send())
        .await
        .expect("an answer");
    assert_eq!(resp.status(), 431);
    let body: Value = within("body", resp.json()).await.expect("a JSON body");
    assert!(body["error"].is_string(), "{body}");

    assert_eq!(health_status(&server).await, 200);
    within("shutdown", server.shutdown()).await;
}
