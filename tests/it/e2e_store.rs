//! End to end, the real binary in a pseudo-terminal: the console starts from its local
//! store while the backend is down, and actions typed while it is down survive `kill -9`
//! and reach the backend exactly once when it is back.

use crate::support::fixture;
use crate::support::pty::Pty;
use jiff::{SignedDuration, Timestamp};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;
use watchroom::model::{Alert, Incident, Page};
use watchroom::sources::SourceEvent;
use watchroom::store::{CachedSource, Store, path_in};

const TOKEN: &str = "e2e-store-token";

/// A loopback address nobody listens on: connecting is refused at once.
fn closed_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    l.local_addr().expect("addr").port()
}

struct Server {
    child: Child,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `watchroom serve` on `listen` with the database `db`; returns once it listens.
fn serve(listen: &str, db: &Path) -> (Server, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_watchroom"))
        .args([
            "serve",
            "--demo-data",
            "--listen",
            listen,
            "--token",
            TOKEN,
            "--db",
        ])
        .arg(db)
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
    (Server { child }, url)
}

fn get<T: serde::de::DeserializeOwned>(url: &str) -> T {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        reqwest::Client::new()
            .get(url)
            .bearer_auth(TOKEN)
            .send()
            .await
            .expect("GET")
            .json()
            .await
            .expect("JSON")
    })
}

/// A console whose officer 测试乙 signs in with `token` (their own, made with
/// `watchroom admin user add`), named at start too so that it can act while offline.
fn console(url: &str, token: &str, data: &Path) -> Pty {
    Pty::start(&[
        "--server",
        url,
        "--token",
        token,
        "--officer",
        "测试乙",
        "--data-dir",
        data.to_str().expect("utf-8 path"),
    ])
}

/// Rows in the store's outbox, read beside the running console.
fn outbox_rows(data: &Path) -> i64 {
    let conn = rusqlite::Connection::open_with_flags(
        path_in(data),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .expect("open the store read-only");
    conn.query_row("SELECT count(*) FROM outbox", [], |r| r.get(0))
        .expect("count the outbox")
}

#[test]
fn the_console_starts_from_its_cache_while_the_backend_is_down() {
    let data = tempfile::tempdir().expect("data dir");
    let url = format!("http://127.0.0.1:{}", closed_port());
    let SourceEvent::Snapshot {
        alerts,
        incidents,
        shifts,
    } = fixture::snapshot()
    else {
        unreachable!()
    };
    let now = Timestamp::now();
    let mut store = Store::open(&path_in(data.path()), now).expect("store");
    store
        .save_source(&CachedSource {
            source: "duty_api".into(),
            location: url.clone(),
            saved_at: now - SignedDuration::from_mins(12),
            alerts,
            incidents,
            shifts,
        })
        .expect("fill the store");
    drop(store);

    let mut pty = console(&url, TOKEN, data.path());
    let screen = pty.wait_for(
        "cached alerts marked cached and OFFLINE",
        Duration::from_secs(20),
        |s| {
            s.contains("台风红色预警信号")
                && s.contains("南山区某小区燃气爆炸")
                && (s.contains("缓存 12分钟前") || s.contains("缓存 13分钟前"))
                && s.contains("✗ OFFLINE 离线 自")
                && s.contains("后台不可达")
        },
    );
    assert!(screen.contains("duty_api ✗ 离线"), "{screen}");
    pty.press(b"q");
    assert!(pty.wait_exit(Duration::from_secs(15)).success());
}

#[test]
fn actions_typed_offline_survive_kill_9_and_are_applied_once() {
    let data = tempfile::tempdir().expect("data dir");
    let backend = tempfile::tempdir().expect("backend dir");
    let db = backend.path().join("duty.db");
    let (server, url) = serve("127.0.0.1:0", &db);
    let officer = crate::support::people::add_user(&db, "测试乙", "officer", false);
    let listen = url.trim_start_matches("http://").to_owned();

    // 1. A first run fills the cache from the live backend.
    let mut first = console(&url, &officer, data.path());
    first.wait_watch_screen();
    first.press(b"q");
    assert!(first.wait_exit(Duration::from_secs(15)).success());
    drop(server);

    // 2. The backend is down: the console shows the cache; the officer acts.
    let mut offline = console(&url, &officer, data.path());
    offline.wait_for("the cache, OFFLINE", Duration::from_secs(20), |s| {
        s.contains("缓存") && s.contains("OFFLINE") && s.contains("预警 Alerts")
    });
    offline.press(b"a");
    offline.wait_for("the acknowledge form", Duration::from_secs(10), |s| {
        s.contains("确认预警 ·")
    });
    offline.press("已通知三防办（离线）".as_bytes());
    offline.press(b"\r");
    offline.wait_for("the ack on the wall", Duration::from_secs(10), |s| {
        s.contains("✓测试乙") && s.contains("待发送 1")
    });
    for (n, text) in ["现场已封控（离线一）", "续报已电话报出（离线二）"]
        .iter()
        .enumerate()
    {
        offline.press(b"l");
        offline.wait_for("the log form", Duration::from_secs(10), |s| {
            s.contains("值班记录 ·")
        });
        offline.press(b"\t");
        offline.press(text.as_bytes());
        offline.press(b"\r");
        let pending = format!("待发送 {}", n + 2);
        offline.wait_for(&pending, Duration::from_secs(10), |s| s.contains(&pending));
    }
    // Written before sent: all three are on disk while the backend is still down.
    let mut rows = 0;
    for _ in 0..50 {
        rows = outbox_rows(data.path());
        if rows == 3 {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(rows, 3, "the outbox on disk");
    let pid = offline.child.process_id().expect("console pid");
    let killed = Command::new("kill")
        .args(["-KILL", &pid.to_string()])
        .status()
        .expect("run kill");
    assert!(killed.success());
    let status = offline.wait_exit(Duration::from_secs(10));
    assert!(!status.success(), "killed, not a clean exit");
    // Kept to play, later, a console that sent everything but died before noting it.
    let undelivered = tempfile::tempdir().expect("copy dir");
    copy_store(data.path(), undelivered.path());

    // 3. The backend is back on the same address; the console restarts and delivers.
    let (_server, url_again) = serve(&listen, &db);
    assert_eq!(url_again, url);
    let mut again = console(&url, &officer, data.path());
    again.wait_for("the outbox delivered", Duration::from_secs(60), |s| {
        s.contains("✓ 实时") && !s.contains("待发送")
    });
    applied_once(&url);
    again.press(b"q");
    assert!(again.wait_exit(Duration::from_secs(15)).success());
    assert_eq!(outbox_rows(data.path()), 0, "the outbox is empty after");

    // 4. The same three sent again (as after a crash between sending and noting it):
    // the backend applies none of them a second time.
    copy_store(undelivered.path(), data.path());
    assert_eq!(outbox_rows(data.path()), 3);
    let mut replay = console(&url, &officer, data.path());
    replay.wait_for("the replay delivered", Duration::from_secs(60), |s| {
        s.contains("✓ 实时") && !s.contains("待发送")
    });
    applied_once(&url);
    replay.press(b"q");
    assert!(replay.wait_exit(Duration::from_secs(15)).success());
    assert_eq!(outbox_rows(data.path()), 0);
}

/// The store's files (database and write-ahead log) from one data dir to another.
fn copy_store(from: &Path, to: &Path) {
    let db = path_in(from);
    let name = db
        .file_name()
        .expect("file name")
        .to_string_lossy()
        .into_owned();
    for suffix in ["", "-wal", "-shm"] {
        let src = from.join(format!("{name}{suffix}"));
        let dst = to.join(format!("{name}{suffix}"));
        if src.exists() {
            std::fs::copy(&src, &dst).expect("copy the store");
        } else {
            let _ = std::fs::remove_file(&dst);
        }
    }
}

/// The ack and the two log entries typed offline are each on the backend once.
fn applied_once(url: &str) {
    let alerts: Page<Alert> = get(&format!("{url}/api/v1/alerts"));
    let acked: Vec<&Alert> = alerts
        .items
        .iter()
        .filter(|a| {
            a.ack
                .as_ref()
                .is_some_and(|k| k.note == "已通知三防办（离线）")
        })
        .collect();
    assert_eq!(acked.len(), 1, "one alert acknowledged with the note");
    assert_eq!(
        acked[0].ack.as_ref().map(|k| k.officer.as_str()),
        Some("测试乙")
    );

    let incidents: Page<Incident> = get(&format!("{url}/api/v1/incidents"));
    for text in ["现场已封控（离线一）", "续报已电话报出（离线二）"] {
        let mut entries = Vec::new();
        for i in &incidents.items {
            let timeline: Page<watchroom::model::TimelineEntry> =
                get(&format!("{url}/api/v1/incidents/{}/timeline", i.id));
            entries.extend(timeline.items.into_iter().filter(|e| e.text == text));
        }
        assert_eq!(entries.len(), 1, "{text:?} recorded exactly once");
        assert_eq!(entries[0].author, "测试乙");
    }
}
