//! End to end: a console in a pseudo-terminal acknowledges an alert with keys, and the
//! acknowledgement is then visible through the duty API.

use crate::support::pty::Pty;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;
use watchroom::model::{Alert, Page};

struct Server {
    child: Child,
    url: String,
    _dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `watchroom serve` on a free loopback port; its first line says where it listens.
fn serve(token: &str) -> Server {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut child = Command::new(env!("CARGO_BIN_EXE_watchroom"))
        .args([
            "serve",
            "--demo-data",
            "--listen",
            "127.0.0.1:0",
            "--token",
            token,
            "--db",
        ])
        .arg(dir.path().join("duty.db"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start watchroom serve");
    let stdout = child.stdout.take().expect("piped stdout");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("read the banner");
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no URL in {line:?}"))
        .to_owned();
    Server {
        child,
        url,
        _dir: dir,
    }
}

fn alerts(url: &str, token: &str) -> Vec<Alert> {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        let page: Page<Alert> = reqwest::Client::new()
            .get(format!("{url}/api/v1/alerts"))
            .bearer_auth(token)
            .send()
            .await
            .expect("GET alerts")
            .json()
            .await
            .expect("alerts JSON");
        page.items
    })
}

#[test]
fn an_ack_typed_in_the_console_reaches_the_backend() {
    let token = "e2e-token";
    let server = serve(token);
    let mut console = Pty::start(&[
        "--server",
        &server.url,
        "--token",
        token,
        "--officer",
        "测试乙",
    ]);
    console.wait_watch_screen();
    console.press(b"a");
    console.wait_for("the acknowledge form", Duration::from_secs(10), |s| {
        s.contains("确认预警 ·")
    });
    console.press("已通知三防办".as_bytes());
    console.press(b"\r");
    console.wait_for("the ack on the wall", Duration::from_secs(10), |s| {
        s.contains("✓测试乙")
    });

    let mut found = None;
    for _ in 0..50 {
        found = alerts(&server.url, token)
            .into_iter()
            .find(|a| a.ack.as_ref().is_some_and(|k| k.officer == "测试乙"));
        if found.is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    let acked = found.expect("the backend has the acknowledgement");
    assert_eq!(acked.ack.expect("ack").note, "已通知三防办");
    assert!(
        acked.colour >= watchroom::model::Colour::Orange,
        "the top alert was a red or orange one"
    );

    console.press(b"q");
    assert!(console.wait_exit(Duration::from_secs(15)).success());
}
