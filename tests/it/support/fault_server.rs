//! A misbehaving HTTP server on loopback: each request is answered the way the test's
//! handler says — dropped, delayed, dripped a byte at a time, reset, 500, garbage, a huge
//! body, escape sequences, invalid UTF-8, or a conditional GET with an ETag.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// What the server saw of one request.
#[derive(Debug, Clone)]
pub struct Request {
    pub path: String,
    /// Header names lower-cased.
    pub headers: HashMap<String, String>,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(String::as_str)
    }
}

/// How to answer one request.
#[derive(Debug, Clone)]
pub enum Fault {
    /// Close the connection without a word.
    Drop,
    /// Close with a TCP reset.
    Reset,
    /// Say nothing for this long, then answer as the inner fault says.
    Delay(Duration, Box<Fault>),
    /// Send the headers, then the body one byte every `every`.
    Drip { body: Vec<u8>, every: Duration },
    /// A complete answer.
    Body {
        status: u16,
        content_type: String,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// 200 with `bytes` of filler and no Content-Length (so only a streaming cap stops it).
    Huge { bytes: usize },
    /// 304 Not Modified.
    NotModified,
}

impl Fault {
    pub fn json(body: impl Into<Vec<u8>>) -> Fault {
        Fault::Body {
            status: 200,
            content_type: "application/json".into(),
            headers: Vec::new(),
            body: body.into(),
        }
    }

    pub fn status(status: u16, body: &str) -> Fault {
        Fault::Body {
            status,
            content_type: "application/json".into(),
            headers: Vec::new(),
            body: body.as_bytes().to_vec(),
        }
    }

    /// 200 with the given content type and validators.
    pub fn with_etag(content_type: &str, etag: &str, body: impl Into<Vec<u8>>) -> Fault {
        Fault::Body {
            status: 200,
            content_type: content_type.into(),
            headers: vec![
                ("ETag".into(), etag.into()),
                (
                    "Last-Modified".into(),
                    "Sun, 29 Nov 2026 03:00:00 GMT".into(),
                ),
            ],
            body: body.into(),
        }
    }
}

type Handler = Arc<dyn Fn(&Request) -> Fault + Send + Sync>;

pub struct FaultServer {
    pub addr: SocketAddr,
    requests: Arc<Mutex<Vec<Request>>>,
    task: JoinHandle<()>,
}

impl FaultServer {
    pub async fn start(handler: impl Fn(&Request) -> Fault + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let addr = listener.local_addr().expect("local addr");
        let handler: Handler = Arc::new(handler);
        let requests = Arc::new(Mutex::new(Vec::new()));
        let reqs = requests.clone();
        let task = tokio::spawn(async move {
            while let Ok((sock, _)) = listener.accept().await {
                let (handler, reqs) = (handler.clone(), reqs.clone());
                tokio::spawn(async move {
                    let Some(req) = read_head(&sock).await else {
                        return;
                    };
                    reqs.lock().unwrap().push(req.clone());
                    let fault = handler(&req);
                    answer(sock, fault).await;
                });
            }
        });
        FaultServer {
            addr,
            requests,
            task,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub fn requests(&self) -> Vec<Request> {
        self.requests.lock().unwrap().clone()
    }
}

impl Drop for FaultServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Read up to the blank line that ends the request head (bodies are ignored).
async fn read_head(sock: &TcpStream) -> Option<Request> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        sock.readable().await.ok()?;
        match sock.try_read(&mut chunk) {
            Ok(0) => return None,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => continue,
            Err(_) => return None,
        }
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).into_owned();
            let mut lines = head.split("\r\n");
            let mut first = lines.next()?.split(' ');
            // Skip the method: the tests ask only what was asked for.
            first.next()?;
            let path = first.next()?.to_owned();
            let headers = lines
                .filter_map(|l| l.split_once(':'))
                .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
                .collect();
            return Some(Request { path, headers });
        }
        if buf.len() > 64 * 1024 {
            return None;
        }
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        304 => "Not Modified",
        401 => "Unauthorized",
        404 => "Not Found",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

async fn answer(mut sock: TcpStream, fault: Fault) {
    match fault {
        Fault::Drop => drop(sock),
        Fault::Reset => {
            let _ = sock.set_zero_linger();
            drop(sock);
        }
        Fault::Delay(d, inner) => {
            tokio::time::sleep(d).await;
            Box::pin(answer(sock, *inner)).await;
        }
        Fault::Drip { body, every } => {
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            if sock.write_all(head.as_bytes()).await.is_err() {
                return;
            }
            for b in body {
                if sock.write_all(&[b]).await.is_err() || sock.flush().await.is_err() {
                    return;
                }
                tokio::time::sleep(every).await;
            }
        }
        Fault::Body {
            status,
            content_type,
            headers,
            body,
        } => {
            let mut head = format!(
                "HTTP/1.1 {status} {}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n",
                reason(status),
                body.len()
            );
            for (k, v) in headers {
                head.push_str(&format!("{k}: {v}\r\n"));
            }
            head.push_str("\r\n");
            let _ = sock.write_all(head.as_bytes()).await;
            let _ = sock.write_all(&body).await;
            let _ = sock.shutdown().await;
        }
        Fault::Huge { bytes } => {
            let head =
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n";
            if sock.write_all(head.as_bytes()).await.is_err() {
                return;
            }
            let block = vec![b'['; 64 * 1024];
            let mut sent = 0;
            while sent < bytes {
                if sock.write_all(&block).await.is_err() {
                    return;
                }
                sent += block.len();
            }
            let _ = sock.shutdown().await;
        }
        Fault::NotModified => {
            let _ = sock
                .write_all(b"HTTP/1.1 304 Not Modified\r\nConnection: close\r\n\r\n")
                .await;
            let _ = sock.shutdown().await;
        }
    }
}
