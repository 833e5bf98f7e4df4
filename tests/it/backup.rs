//! `watchroom admin backup` and `restore`: a backup of a database the server is writing
//! holds everything committed before it started and is sound; a restore takes only a
//! sound watchroom backup, never a database a server has open, and keeps the file it
//! replaces; both are in the audit trail with who ran them.

use clap::Parser;
use jiff::Timestamp;
use rusqlite::Connection;
use serde_json::json;
use std::collections::HashSet;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tempfile::TempDir;
use watchroom::model::{Alert, Page};
use watchroom::server::admin::cli::{AdminArgs, Outcome};
use watchroom::server::{Clock, Role, RunningServer, ServeOptions};

const ADMIN: &str = "admin-token-1";
const STEP: Duration = Duration::from_secs(30);

fn t0() -> Timestamp {
    "2026-12-01T00:30:00Z".parse().expect("test time")
}

#[derive(Parser)]
struct AdminCli {
    #[command(flatten)]
    args: AdminArgs,
}

/// `watchroom admin --db DB --by 林某婷 ARGS` in-process at `t0`.
fn admin(db: &Path, args: &[&str]) -> Outcome {
    let mut argv = vec!["admin", "--db", db.to_str().unwrap(), "--by", "林某婷"];
    argv.extend_from_slice(args);
    let cli = AdminCli::try_parse_from(argv).unwrap_or_else(|e| panic!("{e}"));
    watchroom::server::admin::cli::run(cli.args, None, None, t0())
}

fn ok(out: &Outcome) -> &str {
    assert_eq!(
        out.code, 0,
        "stdout: {}\nstderr: {}",
        out.stdout, out.stderr
    );
    &out.stdout
}

fn refused(out: &Outcome) -> &str {
    assert_eq!(out.code, 1, "expected a refusal, got: {}", out.stdout);
    &out.stderr
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

async fn start(db: &Path) -> RunningServer {
    let opts = ServeOptions {
        tokens: vec![ADMIN.into()],
        clock: Clock::from_fn(t0),
        ..ServeOptions::new("127.0.0.1:0".parse().unwrap(), db.to_path_buf())
    };
    tokio::time::timeout(STEP, watchroom::server::start(opts))
        .await
        .expect("server start in time")
        .expect("server starts")
}

/// Posts an alert with `token`; its id once the server has committed it.
async fn post_alert(http: &reqwest::Client, s: &RunningServer, token: &str, n: usize) -> String {
    let resp = http
        .post(format!("http://{}/api/v1/alerts", s.addr))
        .bearer_auth(token)
        .json(&json!({
            "source": "测试市气象台（示例）",
            "signal_type": "暴雨",
            "colour": "yellow",
            "title": format!("测试暴雨黄色预警 {n}"),
            "area": "测试区",
        }))
        .send()
        .await
        .expect("post an alert");
    assert_eq!(resp.status(), 201, "POST /api/v1/alerts");
    resp.json::<Alert>()
        .await
        .expect("the stored alert")
        .id
        .to_string()
}

async fn alert_ids(s: &RunningServer) -> HashSet<String> {
    let page: Page<Alert> = reqwest::Client::new()
        .get(format!("http://{}/api/v1/alerts?limit=5000", s.addr))
        .bearer_auth(ADMIN)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    page.items.into_iter().map(|a| a.id.to_string()).collect()
}

fn count(db: &Path, table: &str) -> i64 {
    Connection::open(db)
        .unwrap()
        .query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

/// A database holding an office and one backup of it.
fn office_with_backup(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let db = dir.join("duty.sqlite");
    ok(&admin(&db, &["org", "--name", "测试市应急管理局（示例）"]));
    let bak = dir.join("duty-backup.sqlite");
    ok(&admin(&db, &["backup", path(&bak)]));
    (db, bak)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_while_alerts_are_posted_holds_every_alert_committed_before_it() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("duty.sqlite");
    let s = start(&db).await;
    let officer = s
        .add_user("测试值班员", Role::Officer, false)
        .await
        .unwrap();
    let committed = Arc::new(Mutex::new(Vec::<String>::new()));
    let (stop, mut stopped) = tokio::sync::watch::channel(false);
    let writer = {
        let (committed, addr, officer) = (committed.clone(), s.addr, officer.clone());
        tokio::spawn(async move {
            let http = reqwest::Client::new();
            let mut n = 0;
            while !*stopped.borrow_and_update() {
                let resp = http
                    .post(format!("http://{addr}/api/v1/alerts"))
                    .bearer_auth(&officer)
                    .json(&json!({
                        "source": "测试市气象台（示例）", "signal_type": "暴雨",
                        "colour": "blue", "title": format!("测试暴雨蓝色预警 {n}"),
                    }))
                    .send()
                    .await
                    .expect("post an alert");
                assert_eq!(resp.status(), 201);
                let id = resp.json::<Alert>().await.unwrap().id.to_string();
                committed.lock().unwrap().push(id);
                n += 1;
            }
        })
    };
    let waited = tokio::time::Instant::now();
    while committed.lock().unwrap().len() < 20 {
        assert!(waited.elapsed() < STEP, "the writer posts alerts");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let before: Vec<String> = committed.lock().unwrap().clone();
    let bak = dir.path().join("duty-backup.sqlite");
    let (db2, bak2) = (db.clone(), bak.clone());
    let out = tokio::task::spawn_blocking(move || admin(&db2, &["backup", path(&bak2)]))
        .await
        .unwrap();
    let text = ok(&out).to_owned();
    // The server went on writing: the writer is still committing alerts after the backup.
    let after_backup = committed.lock().unwrap().len();
    while committed.lock().unwrap().len() < after_backup + 5 {
        assert!(waited.elapsed() < STEP * 2, "the server keeps writing");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    stop.send(true).unwrap();
    writer.await.unwrap();
    s.shutdown().await;

    assert!(text.contains("integrity ok, schema version 3"), "{text}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&bak).unwrap().permissions().mode();
        assert_eq!(
            mode & 0o777,
            0o600,
            "the backup is readable by its owner only"
        );
    }
    let in_backup = count(&bak, "alerts");
    assert!(
        text.contains(&format!("{in_backup} alerts")),
        "the report counts the alerts: {text}"
    );
    let integrity: String = Connection::open(&bak)
        .unwrap()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(integrity, "ok");

    let restored = dir.path().join("restored.sqlite");
    ok(&admin(&restored, &["restore", path(&bak)]));
    let s = start(&restored).await;
    let ids = alert_ids(&s).await;
    s.shutdown().await;
    let missing: Vec<&String> = before.iter().filter(|id| !ids.contains(*id)).collect();
    assert!(
        missing.is_empty(),
        "committed before the backup but not in it: {missing:?}"
    );
    assert_eq!(ids.len() as i64, in_backup);
    assert!(
        (ids.len() as i64) < committed.lock().unwrap().len() as i64,
        "alerts posted after the backup are not in it"
    );
}

#[test]
fn a_backup_refuses_an_existing_file_unless_forced_and_never_the_database_itself() {
    let dir = TempDir::new().unwrap();
    let (db, bak) = office_with_backup(dir.path());
    let first = std::fs::read(&bak).unwrap();
    let err = refused(&admin(&db, &["backup", path(&bak)])).to_owned();
    assert!(
        err.contains("already exists") && err.contains("--force"),
        "{err}"
    );
    assert_eq!(
        std::fs::read(&bak).unwrap(),
        first,
        "the old backup is untouched"
    );
    ok(&admin(&db, &["backup", "--force", path(&bak)]));
    // The second backup holds the first one's record.
    assert_eq!(count(&bak, "admin_log"), 2);
    let err = refused(&admin(&db, &["backup", "--force", path(&db)])).to_owned();
    assert!(err.contains("the database itself"), "{err}");
    let none = dir.path().join("nothing.sqlite");
    let err = refused(&admin(
        &none,
        &["backup", path(&dir.path().join("x.sqlite"))],
    ))
    .to_owned();
    assert!(err.contains("there is no database"), "{err}");
    assert!(
        !none.exists(),
        "backing up a missing database does not create it"
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "no partial files left: {leftovers:?}");
}

#[test]
fn a_restore_refuses_a_file_that_is_not_a_sound_watchroom_backup_and_changes_nothing() {
    let dir = TempDir::new().unwrap();
    let (db, bak) = office_with_backup(dir.path());
    let before = std::fs::read(&db).unwrap();

    let junk = dir.path().join("junk.sqlite");
    std::fs::write(&junk, "这不是数据库\n".repeat(500)).unwrap();
    let foreign = dir.path().join("foreign.sqlite");
    Connection::open(&foreign)
        .unwrap()
        .execute_batch("CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('x');")
        .unwrap();
    let later = dir.path().join("later.sqlite");
    std::fs::copy(&bak, &later).unwrap();
    Connection::open(&later)
        .unwrap()
        .execute(
            "UPDATE meta SET value = '99' WHERE key = 'schema_version'",
            [],
        )
        .unwrap();
    let damaged = dir.path().join("damaged.sqlite");
    let mut bytes = std::fs::read(&bak).unwrap();
    let page = 4096;
    assert!(bytes.len() > 4 * page, "the backup has pages to damage");
    for b in &mut bytes[2 * page..4 * page] {
        *b = 0x5a;
    }
    std::fs::write(&damaged, bytes).unwrap();

    for (file, says) in [
        (&junk, "is not an SQLite database"),
        (&foreign, "not watchroom's"),
        (&later, "schema version 99"),
        (&damaged, "damaged.sqlite"),
        (&dir.path().join("missing.sqlite"), "cannot read"),
    ] {
        let err = refused(&admin(&db, &["restore", path(file)])).to_owned();
        assert!(err.contains(says), "{}: {err}", file.display());
        assert!(err.contains("nothing was restored"), "{err}");
        assert!(
            err.contains(path(file)),
            "the refusal names the file: {err}"
        );
    }
    assert_eq!(
        std::fs::read(&db).unwrap(),
        before,
        "the database is untouched"
    );
    let aside = std::fs::read_dir(dir.path())
        .unwrap()
        .filter(|e| {
            let name = e.as_ref().unwrap().file_name();
            let name = name.to_string_lossy();
            name.contains("before-restore") || name.starts_with('.')
        })
        .count();
    assert_eq!(aside, 0, "no file was moved aside or left half-written");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restore_refuses_while_a_server_has_the_database_open_and_keeps_the_replaced_one() {
    let dir = TempDir::new().unwrap();
    let (db, bak) = office_with_backup(dir.path());
    let s = start(&db).await;
    let officer = s
        .add_user("测试值班员", Role::Officer, false)
        .await
        .unwrap();
    let http = reqwest::Client::new();
    let later = post_alert(&http, &s, &officer, 1).await;

    let (db2, bak2) = (db.clone(), bak.clone());
    let out = tokio::task::spawn_blocking(move || admin(&db2, &["restore", path(&bak2)]))
        .await
        .unwrap();
    let err = refused(&out).to_owned();
    assert!(
        err.contains("is in use") && err.contains("stop the server"),
        "{err}"
    );
    // The server is undisturbed.
    assert!(alert_ids(&s).await.contains(&later));
    s.shutdown().await;

    let text = ok(&admin(&db, &["restore", path(&bak)])).to_owned();
    let kept = dir
        .path()
        .join("duty.sqlite.before-restore-20261201T003000Z");
    assert!(
        text.contains(path(&kept)),
        "the report says where the old database is: {text}"
    );
    // The replaced database is whole, with the alert the backup does not have.
    let s = start(&kept).await;
    assert!(alert_ids(&s).await.contains(&later));
    s.shutdown().await;
    let s = start(&db).await;
    assert!(
        !alert_ids(&s).await.contains(&later),
        "the backup is in place"
    );
    s.shutdown().await;
}

#[test]
fn backup_and_restore_are_in_the_audit_trail_with_who_ran_them() {
    let dir = TempDir::new().unwrap();
    let (db, bak) = office_with_backup(dir.path());
    let audit = ok(&admin(&db, &["audit"])).to_owned();
    let line = audit
        .lines()
        .find(|l| l.contains("database.backup"))
        .unwrap_or_else(|| panic!("no backup in the audit trail:\n{audit}"));
    assert!(
        line.contains("林某婷") && line.contains(path(&bak)) && line.contains("(cli)"),
        "{line}"
    );

    ok(&admin(&db, &["restore", path(&bak)]));
    let audit = ok(&admin(&db, &["audit"])).to_owned();
    let line = audit
        .lines()
        .find(|l| l.contains("database.restore"))
        .unwrap_or_else(|| panic!("no restore in the audit trail:\n{audit}"));
    assert!(
        line.contains("林某婷") && line.contains(path(&bak)),
        "{line}"
    );
    let log = ok(&admin(&db, &["log"])).to_owned();
    assert!(
        log.contains("database.restore") && log.contains("before-restore-20261201T003000Z"),
        "the admin log says where the replaced database was kept: {log}"
    );
}
