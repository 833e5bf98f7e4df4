//! End to end: a person is given a personal token (`watchroom admin user add`), signs the
//! console in with it (`watchroom login`), acknowledges an alert with keys in a
//! pseudo-terminal, and the acknowledgement is visible through the duty API under their
//! name — a name the console took from the token, not from a flag.

use crate::support::pty::Pty;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;
use watchroom::model::{Alert, Page};

struct Server {
    child: Child,
    url: String,
    db: std::path::PathBuf,
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
        db: dir.path().join("duty.db"),
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
fn a_console_signed_in_with_a_personal_token_acks_as_that_person() {
    let bootstrap = "e2e-token";
    let server = serve(bootstrap);
    let token = crate::support::people::add_user(&server.db, "测试乙", "officer", false);
    let home = tempfile::tempdir().expect("temp home");
    let mut login = Command::new(env!("CARGO_BIN_EXE_watchroom"))
        .args(["login", "--server", &server.url])
        .envs(Pty::home_env(home.path()))
        .env_remove("WATCHROOM_TOKEN")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start watchroom login");
    {
        use std::io::Write;
        let mut stdin = login.stdin.take().expect("piped stdin");
        writeln!(stdin, "{token}").expect("type the token");
    }
    let out = login.wait_with_output().expect("watchroom login");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        said.contains("signed in") && said.contains("测试乙"),
        "{said}"
    );
    assert!(!said.contains(&token), "login echoed the token: {said}");
    let file = home.path().join("config").join("watchroom").join("token");
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file)
            .expect("the token file")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "{}", file.display());
    }

    // No --token and no --officer: the console finds the login and asks the server who it is.
    let mut console = Pty::start_in(home, &["--server", &server.url]);
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
        found = alerts(&server.url, bootstrap)
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
