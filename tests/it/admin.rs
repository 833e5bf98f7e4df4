//! The office's own data: a new database is empty, the demo city only on request, and
//! `watchroom admin` (and the admin API) loads experts, roster, swaps and the office into
//! the database a running server uses, reaching its consoles.

use clap::Parser;
use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tempfile::TempDir;
use tokio::sync::mpsc;
use watchroom::model::{DutyRole, ExpertDirectory, Health, Office, Page};
use watchroom::server::admin::RosterShift;
use watchroom::server::admin::cli::{AdminArgs, Outcome};
use watchroom::server::{Clock, RunningServer, ServeOptions};
use watchroom::sources::{SourceEvent, SourceUpdate};

const ADMIN: &str = "admin-token-1";
const VIEWER: &str = "viewer-token-1";
const STEP: Duration = Duration::from_secs(20);

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/admin")
        .join(name)
}

fn at(s: &str) -> Timestamp {
    s.parse().expect("test time")
}

/// 2026-11-29 03:12:45 in 测试市.
fn t0() -> Timestamp {
    at("2026-11-29T03:12:45+08:00")
}

/// A clock the test moves by hand.
#[derive(Clone)]
struct TestClock(Arc<Mutex<Timestamp>>);

impl TestClock {
    fn new(t: Timestamp) -> Self {
        TestClock(Arc::new(Mutex::new(t)))
    }
    fn advance(&self, by: SignedDuration) {
        let mut t = self.0.lock().unwrap();
        *t += by;
    }
    fn clock(&self) -> Clock {
        let me = self.0.clone();
        Clock::from_fn(move || *me.lock().unwrap())
    }
}

#[derive(Parser)]
struct AdminCli {
    #[command(flatten)]
    args: AdminArgs,
}

/// `watchroom admin ARGS` in-process against `db` at `now`, as 林某婷.
fn admin(db: &Path, now: Timestamp, args: &[&str]) -> Outcome {
    let mut argv = vec!["admin", "--db", db.to_str().unwrap(), "--by", "林某婷"];
    argv.extend_from_slice(args);
    let cli = AdminCli::try_parse_from(argv).unwrap_or_else(|e| panic!("{e}"));
    watchroom::server::admin::cli::run(cli.args, None, None, now)
}

fn ok(out: &Outcome) -> &str {
    assert_eq!(
        out.code, 0,
        "stdout: {}\nstderr: {}",
        out.stdout, out.stderr
    );
    &out.stdout
}

async fn start(db: &Path, demo: bool, clock: Clock) -> RunningServer {
    let opts = ServeOptions {
        tokens: vec![ADMIN.into()],
        viewer_tokens: vec![VIEWER.into()],
        demo_data: demo,
        clock,
        ..ServeOptions::new("127.0.0.1:0".parse().unwrap(), db.to_path_buf())
    };
    tokio::time::timeout(STEP, watchroom::server::start(opts))
        .await
        .expect("server start in time")
        .expect("server starts")
}

async fn get<T: serde::de::DeserializeOwned>(s: &RunningServer, path: &str) -> T {
    let resp = reqwest::Client::new()
        .get(format!("http://{}{path}", s.addr))
        .bearer_auth(ADMIN)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200, "GET {path}");
    resp.json().await.unwrap()
}

fn roster_window() -> String {
    "/api/v1/roster?from=2026-11-20T00:00:00%2B08:00&to=2026-12-31T00:00:00%2B08:00".to_owned()
}

async fn roster(s: &RunningServer) -> Vec<RosterShift> {
    get::<Page<RosterShift>>(s, &roster_window()).await.items
}

async fn experts(s: &RunningServer) -> ExpertDirectory {
    get(s, "/api/v1/experts").await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_database_is_empty_and_serve_says_how_to_load_data() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("duty.sqlite");
    let mut child = Command::new(env!("CARGO_BIN_EXE_watchroom"))
        .args(["serve", "--listen", "127.0.0.1:0", "--token", ADMIN, "--db"])
        .arg(&db)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start watchroom serve");
    let mut banner = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut banner)
        .unwrap();
    let url = banner
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no URL in {banner:?}"))
        .to_owned();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut said = String::new();
    while !said.contains("--demo-data") {
        let mut line = String::new();
        if stderr.read_line(&mut line).unwrap() == 0 {
            break;
        }
        said.push_str(&line);
    }
    let http = reqwest::Client::new();
    let health: Health = http
        .get(format!("{url}/api/v1/health"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let experts: ExpertDirectory = http
        .get(format!("{url}/api/v1/experts"))
        .bearer_auth(ADMIN)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let roster: Value = http
        .get(format!("{url}/api/v1/roster"))
        .bearer_auth(ADMIN)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let alerts: Value = http
        .get(format!("{url}/api/v1/alerts"))
        .bearer_auth(ADMIN)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert!(said.contains("is empty"), "{said}");
    assert!(said.contains("watchroom admin --db"), "{said}");
    assert!(said.contains("experts import pool.csv"), "{said}");
    assert!(said.contains("roster import roster.csv"), "{said}");
    assert!(said.contains("--demo-data"), "{said}");
    assert!(!health.demo);
    assert_eq!(health.office, None);
    assert!(experts.items.is_empty() && experts.groups.is_empty());
    assert_eq!(roster["items"], json!([]));
    assert_eq!(alerts["items"], json!([]));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&db).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "the database holds phone numbers");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_data_seeds_the_city_and_health_says_demo() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("demo.sqlite");
    let clock = TestClock::new(t0());
    let s = start(&db, true, clock.clock()).await;
    assert!(s.demo && !s.empty);
    let health: Health = get(&s, "/api/v1/health").await;
    assert!(health.demo);
    assert_eq!(
        health.office,
        Some(Office {
            name: "测试市应急管理局".into(),
            zone: "Asia/Shanghai".into(),
            handover: "08:30".into(),
        })
    );
    assert_eq!(experts(&s).await.items.len(), 190);
    let shifts = roster(&s).await;
    assert!(shifts.iter().any(|r| r.shift.covers(t0())));
    s.shutdown().await;
    // The same database served again without the flag is still the demo.
    let s = start(&db, false, clock.clock()).await;
    assert!(get::<Health>(&s, "/api/v1/health").await.demo);
    s.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_data_is_refused_for_a_database_holding_an_office_s_data() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("duty.sqlite");
    ok(&admin(
        &db,
        t0(),
        &["experts", "import", fixture("pool.csv").to_str().unwrap()],
    ));
    let opts = ServeOptions {
        tokens: vec![ADMIN.into()],
        ..ServeOptions::demo("127.0.0.1:0".parse().unwrap(), db.clone())
    };
    let err = watchroom::server::start(opts).await.err().expect("refused");
    assert!(
        format!("{err:#}").contains("already holds an office's data"),
        "{err:#}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_demo_shifts_are_added_to_a_database_that_is_not_demo() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("duty.sqlite");
    let clock = TestClock::new(t0());
    let s = start(&db, false, clock.clock()).await;
    assert!(roster(&s).await.is_empty(), "nothing at start");
    ok(&admin(
        &db,
        t0(),
        &["roster", "import", fixture("roster.csv").to_str().unwrap()],
    ));
    let loaded = roster(&s).await;
    assert_eq!(loaded.len(), 10);
    // Hours and days pass: the hourly roster step adds nothing to a real roster.
    for _ in 0..72 {
        clock.advance(SignedDuration::from_hours(1));
        assert_eq!(s.roster_tick().await.unwrap(), 0);
    }
    assert_eq!(roster(&s).await, loaded);
    s.shutdown().await;
    // Nor does a restart.
    let s = start(&db, false, clock.clock()).await;
    assert_eq!(roster(&s).await, loaded);
    s.shutdown().await;

    // The same hourly step does extend the demo roster as its days pass.
    let demo_dir = TempDir::new().unwrap();
    let demo_clock = TestClock::new(t0());
    let demo = start(
        &demo_dir.path().join("demo.sqlite"),
        true,
        demo_clock.clock(),
    )
    .await;
    demo_clock.advance(SignedDuration::from_hours(72));
    assert!(demo.roster_tick().await.unwrap() > 0);
    demo.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn experts_import_reads_a_good_file_and_says_what_changed() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("duty.sqlite");
    let first = admin(
        &db,
        t0(),
        &["experts", "import", fixture("pool.csv").to_str().unwrap()],
    );
    let text = ok(&first);
    assert!(text.contains("4 experts now in the pool"), "{text}");
    assert!(text.contains("added 4: 林某婷 (t-001)"), "{text}");
    assert!(
        first.stderr.contains("created the database"),
        "{}",
        first.stderr
    );

    let next = admin(
        &db,
        t0(),
        &[
            "experts",
            "import",
            fixture("pool_next.csv").to_str().unwrap(),
        ],
    );
    let text = ok(&next);
    assert!(text.contains("added 1: 孙某杰 (t-005)"), "{text}");
    assert!(text.contains("changed 1: 陈某华 (t-002)"), "{text}");
    assert!(text.contains("removed 1: 赵某敏 (t-004)"), "{text}");

    let s = start(&db, false, Clock::system()).await;
    let pool = experts(&s).await;
    let names: Vec<&str> = pool.items.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["林某婷", "陈某华", "王某强", "孙某杰"]);
    assert!(!pool.items[1].available, "the English file's `no`");
    assert_eq!(pool.groups.len(), 3);
    // Who did it, when, and the pool it replaced are on record.
    let log: Page<Value> = get(&s, "/api/v1/admin/log").await;
    let imports: Vec<&Value> = log
        .items
        .iter()
        .filter(|e| e["action"] == "experts.import")
        .collect();
    assert_eq!(imports.len(), 2);
    assert_eq!(imports[1]["by"], "林某婷");
    assert_eq!(imports[1]["via"], "cli");
    assert_eq!(imports[1]["at"], json!(t0()));
    assert_eq!(imports[1]["previous"]["items"][3]["name"], "赵某敏");
    s.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_with_bad_rows_changes_nothing_and_names_each_row() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("duty.sqlite");
    ok(&admin(
        &db,
        t0(),
        &["experts", "import", fixture("pool.csv").to_str().unwrap()],
    ));
    let bad = fixture("pool_bad.csv");
    let out = admin(&db, t0(), &["experts", "import", bad.to_str().unwrap()]);
    assert_eq!(out.code, 1);
    let origin = bad.display().to_string();
    assert!(
        out.stderr.contains("3 bad rows — nothing was imported"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains(&format!("{origin}:3: the name (姓名) is empty")),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains(&format!(
            "{origin}:4: 13 cells but the header has 11 columns"
        )),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains(&format!(
            "{origin}:5: id \"t-101\" is already used at {origin}:2"
        )),
        "{}",
        out.stderr
    );
    assert!(out.stdout.is_empty());
    let s = start(&db, false, Clock::system()).await;
    let names: Vec<String> = experts(&s)
        .await
        .items
        .into_iter()
        .map(|e| e.name)
        .collect();
    assert_eq!(
        names,
        ["林某婷", "陈某华", "王某强", "赵某敏"],
        "all or nothing"
    );
    s.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn skip_bad_imports_the_good_rows_and_lists_the_rest() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("duty.sqlite");
    let bad = fixture("pool_bad.csv");
    let out = admin(
        &db,
        t0(),
        &["experts", "import", "--skip-bad", bad.to_str().unwrap()],
    );
    let text = ok(&out);
    assert!(text.contains("2 experts now in the pool"), "{text}");
    assert!(text.contains("skipped 3 bad rows"), "{text}");
    assert!(text.contains(&format!("{}:3:", bad.display())), "{text}");
    let s = start(&db, false, Clock::system()).await;
    let names: Vec<String> = experts(&s)
        .await
        .items
        .into_iter()
        .map(|e| e.name)
        .collect();
    assert_eq!(names, ["周某琳", "冯某雪"]);
    s.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dry_run_prints_what_would_change_and_changes_nothing() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("duty.sqlite");
    ok(&admin(
        &db,
        t0(),
        &["experts", "import", fixture("pool.csv").to_str().unwrap()],
    ));
    let out = admin(
        &db,
        t0(),
        &[
            "experts",
            "import",
            "--dry-run",
            fixture("pool_next.csv").to_str().unwrap(),
        ],
    );
    let text = ok(&out);
    assert!(text.contains("dry run: nothing was changed"), "{text}");
    assert!(text.contains("added 1: 孙某杰 (t-005)"), "{text}");
    assert!(text.contains("changed 1: 陈某华 (t-002)"), "{text}");
    assert!(text.contains("removed 1: 赵某敏 (t-004)"), "{text}");
    let roster_out = admin(
        &db,
        t0(),
        &[
            "roster",
            "import",
            "--dry-run",
            fixture("roster.csv").to_str().unwrap(),
        ],
    );
    assert!(
        ok(&roster_out).contains("would add 10"),
        "{}",
        roster_out.stdout
    );
    let s = start(&db, false, Clock::system()).await;
    let names: Vec<String> = experts(&s)
        .await
        .items
        .into_iter()
        .map(|e| e.name)
        .collect();
    assert_eq!(names, ["林某婷", "陈某华", "王某强", "赵某敏"]);
    assert!(roster(&s).await.is_empty());
    let log: Page<Value> = get(&s, "/api/v1/admin/log").await;
    assert_eq!(log.items.len(), 1, "a dry run is not a change");
    s.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_import_while_serving_reaches_a_subscribed_console() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("duty.sqlite");
    let s = start(&db, false, Clock::system()).await;
    let base = format!("http://{}", s.addr);
    let (tx, mut rx) = mpsc::channel::<SourceUpdate>(256);
    let source = tokio::spawn(
        watchroom::sources::duty_api::DutyApiSource {
            name: "duty_api".into(),
            client: watchroom::client::DutyClient::new(&base, ADMIN).unwrap(),
            poll: Duration::from_secs(5),
            tx,
            fetch_experts: true,
            silence: watchroom::sources::duty_api::STREAM_SILENCE,
        }
        .run(),
    );
    // The console's start: the server's word, then the (empty) pool, then the live stream.
    let mut seen_server = None;
    let mut live = false;
    let mut first_pool = None;
    while !(live && first_pool.is_some()) {
        let u = tokio::time::timeout(STEP, rx.recv())
            .await
            .expect("source")
            .unwrap();
        match u.event {
            SourceEvent::Server(h) => seen_server = Some(h),
            SourceEvent::Experts(d) => first_pool = Some(d),
            SourceEvent::Alive { live: true } => live = true,
            _ => {}
        }
    }
    let health = seen_server.expect("health read at start");
    assert!(!health.demo);
    assert!(first_pool.unwrap().items.is_empty());
    // Another process — here another connection — imports while the server serves.
    let db2 = db.clone();
    let out = tokio::task::spawn_blocking(move || {
        admin(
            &db2,
            t0(),
            &["experts", "import", fixture("pool.csv").to_str().unwrap()],
        )
    })
    .await
    .unwrap();
    ok(&out);
    let pool = loop {
        let u = tokio::time::timeout(STEP, rx.recv())
            .await
            .expect("the import reaches the console")
            .unwrap();
        if let SourceEvent::Experts(d) = u.event {
            break d;
        }
    };
    let names: Vec<&str> = pool.items.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["林某婷", "陈某华", "王某强", "赵某敏"]);
    // The office set beside it reaches the console's header too.
    let db3 = db.clone();
    ok(&tokio::task::spawn_blocking(move || {
        admin(
            &db3,
            t0(),
            &[
                "org",
                "--name",
                "测试市应急管理局",
                "--zone",
                "Asia/Shanghai",
            ],
        )
    })
    .await
    .unwrap());
    let office = loop {
        let u = tokio::time::timeout(STEP, rx.recv())
            .await
            .expect("org")
            .unwrap();
        if let SourceEvent::Server(h) = u.event
            && let Some(o) = h.office
        {
            break o;
        }
    };
    assert_eq!(office.name, "测试市应急管理局");
    source.abort();
    s.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn roster_csv_and_ics_import_into_the_office_zone() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("duty.sqlite");
    ok(&admin(
        &db,
        t0(),
        &[
            "org",
            "--name",
            "测试市应急管理局",
            "--zone",
            "Asia/Shanghai",
            "--handover",
            "08:30",
        ],
    ));
    let csv = admin(
        &db,
        t0(),
        &["roster", "import", fixture("roster.csv").to_str().unwrap()],
    );
    assert!(ok(&csv).contains("added 10, replacing 0"), "{}", csv.stdout);
    let ics = admin(
        &db,
        t0(),
        &["roster", "import", fixture("roster.ics").to_str().unwrap()],
    );
    assert!(ok(&ics).contains("added 6, replacing 0"), "{}", ics.stdout);
    let s = start(&db, false, Clock::system()).await;
    let shifts = roster(&s).await;
    assert_eq!(shifts.len(), 16);
    let first = &shifts[0].shift;
    assert_eq!(
        (first.role, first.person.as_str(), first.phone.as_str()),
        (DutyRole::Leader, "王某某", "100-0000-0101")
    );
    assert_eq!(first.start, at("2026-12-01T08:30:00+08:00"));
    assert_eq!(first.end, at("2026-12-02T08:30:00+08:00"));
    // A row without times takes the handover time.
    let standby = shifts.iter().find(|r| r.shift.person == "赵某敏").unwrap();
    assert_eq!(standby.shift.start, at("2026-12-01T08:30:00+08:00"));
    let from_ics: Vec<&RosterShift> = shifts
        .iter()
        .filter(|r| r.shift.start >= at("2026-12-07T00:00:00+08:00"))
        .collect();
    assert_eq!(from_ics.len(), 6);
    assert!(from_ics.iter().any(|r| r.shift.role == DutyRole::Leader
        && r.shift.person == "王某某"
        && r.shift.phone == "100-0000-0101"
        && r.shift.start == at("2026-12-09T08:30:00+08:00")));
    assert!(
        from_ics
            .iter()
            .any(|r| r.shift.role == DutyRole::Officer && r.shift.person == "林某婷")
    );
    s.shutdown().await;
    // A corrected file for the same days replaces those shifts; the old ones stay on record.
    let again = admin(
        &db,
        t0(),
        &["roster", "import", fixture("roster.csv").to_str().unwrap()],
    );
    assert!(
        ok(&again).contains("added 10, replacing 10"),
        "{}",
        again.stdout
    );
    let s = start(&db, false, Clock::system()).await;
    assert_eq!(roster(&s).await.len(), 16);
    s.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_roster_with_bad_rows_names_each_field_and_changes_nothing() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("duty.sqlite");
    let bad = fixture("roster_bad.csv");
    let out = admin(&db, t0(), &["roster", "import", bad.to_str().unwrap()]);
    assert_eq!(out.code, 1);
    let origin = bad.display().to_string();
    for expected in [
        format!("{origin}:3: field 日期 (date): \"2026-13-40\" is not a date"),
        format!("{origin}:4: field 角色 (role): \"driver\" is not 带班领导"),
        format!("{origin}:5: field 开始 (start): \"8点半\" is not a time"),
        "field 姓名 (name) is empty".to_owned(),
    ] {
        assert!(out.stderr.contains(&expected), "{expected}\n{}", out.stderr);
    }
    let skipped = admin(
        &db,
        t0(),
        &["roster", "import", "--skip-bad", bad.to_str().unwrap()],
    );
    assert!(ok(&skipped).contains("added 1,"), "{}", skipped.stdout);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_swap_is_recorded_with_who_asked_who_approved_when_and_the_previous_holder() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("duty.sqlite");
    ok(&admin(
        &db,
        t0(),
        &["roster", "import", fixture("roster.csv").to_str().unwrap()],
    ));
    let clock = TestClock::new(t0());
    let s = start(&db, false, clock.clock()).await;
    let shifts = roster(&s).await;
    let lin = shifts
        .iter()
        .find(|r| r.shift.person == "林某婷")
        .unwrap()
        .shift
        .clone();
    let http = reqwest::Client::new();
    let url = format!("http://{}/api/v1/admin/roster/swaps", s.addr);
    let body = json!({
        "shift_id": lin.id, "person": "孙某杰", "phone": "100-0000-0006",
        "asked_by": "林某婷", "approved_by": "王某某", "reason": "家中有事（示例）", "by": "李某某"
    });
    // A viewer may not; an admin token may.
    let refused = http
        .post(&url)
        .bearer_auth(VIEWER)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
    clock.advance(SignedDuration::from_mins(5));
    let resp = http
        .post(&url)
        .bearer_auth(ADMIN)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let after = roster(&s).await;
    let swapped = after.iter().find(|r| r.shift.id == lin.id).unwrap();
    assert_eq!(swapped.shift.person, "孙某杰");
    assert_eq!(swapped.shift.phone, "100-0000-0006");
    assert_eq!(swapped.shift.start, lin.start);
    let rec = &swapped.swaps[0];
    assert_eq!(
        (rec.previous_person.as_str(), rec.previous_phone.as_str()),
        ("林某婷", "100-0000-0001")
    );
    assert_eq!(
        (rec.asked_by.as_str(), rec.approved_by.as_str()),
        ("林某婷", "王某某")
    );
    assert_eq!((rec.by.as_str(), rec.via.as_str()), ("李某某", "api"));
    assert_eq!(rec.at, t0() + SignedDuration::from_mins(5));
    // 调班 from the command line: two shifts exchange holders, each keeping its record.
    let chen = after
        .iter()
        .find(|r| r.shift.person == "陈某华")
        .unwrap()
        .shift
        .clone();
    let zhou = after
        .iter()
        .find(|r| r.shift.person == "周某琳")
        .unwrap()
        .shift
        .clone();
    let out = admin(
        &db,
        t0() + SignedDuration::from_mins(9),
        &[
            "roster",
            "swap",
            "--shift",
            &chen.id,
            "--with",
            &zhou.id,
            "--asked-by",
            "陈某华",
            "--approved-by",
            "李某某",
        ],
    );
    assert!(ok(&out).contains("陈某华 → 周某琳"), "{}", out.stdout);
    let after = roster(&s).await;
    let c = after.iter().find(|r| r.shift.id == chen.id).unwrap();
    let z = after.iter().find(|r| r.shift.id == zhou.id).unwrap();
    assert_eq!(
        (c.shift.person.as_str(), z.shift.person.as_str()),
        ("周某琳", "陈某华")
    );
    assert_eq!(c.swaps[0].previous_person, "陈某华");
    assert_eq!(c.swaps[0].exchange_with.as_deref(), Some(zhou.id.as_str()));
    assert_eq!(z.swaps[0].previous_person, "周某琳");
    // A second swap of the same shift keeps the first.
    let out = admin(
        &db,
        t0() + SignedDuration::from_mins(20),
        &[
            "roster",
            "swap",
            "--shift",
            &lin.id,
            "--to",
            "吴某宇",
            "--phone",
            "100-0000-0013",
            "--asked-by",
            "孙某杰",
            "--approved-by",
            "王某某",
        ],
    );
    ok(&out);
    let again = roster(&s).await;
    let chain = &again.iter().find(|r| r.shift.id == lin.id).unwrap().swaps;
    let holders: Vec<(&str, &str)> = chain
        .iter()
        .map(|w| (w.previous_person.as_str(), w.person.as_str()))
        .collect();
    assert_eq!(holders, [("林某婷", "孙某杰"), ("孙某杰", "吴某宇")]);
    // An unknown shift is named.
    let missing = http
        .post(&url)
        .bearer_auth(ADMIN)
        .json(&json!({"shift_id": "shift-nope", "person": "孙某杰", "asked_by": "a", "approved_by": "b", "by": "c"}))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
    s.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_office_is_set_stored_and_served() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("duty.sqlite");
    let out = admin(
        &db,
        t0(),
        &[
            "org",
            "--name",
            "测试市应急管理局",
            "--zone",
            "Asia/Shanghai",
            "--handover",
            "8:30",
        ],
    );
    assert!(ok(&out).contains("handover: 08:30"), "{}", out.stdout);
    let bad = admin(&db, t0(), &["org", "--zone", "Mars/Olympus"]);
    assert_eq!(bad.code, 1);
    assert!(
        bad.stderr
            .contains("\"Mars/Olympus\" is not an IANA time zone"),
        "{}",
        bad.stderr
    );
    let s = start(&db, false, Clock::system()).await;
    let health: Health = get(&s, "/api/v1/health").await;
    let expected = Office {
        name: "测试市应急管理局".into(),
        zone: "Asia/Shanghai".into(),
        handover: "08:30".into(),
    };
    assert_eq!(health.office.as_ref(), Some(&expected));
    assert_eq!(get::<Office>(&s, "/api/v1/org").await, expected);
    // Through the API, with an admin token, naming who.
    let http = reqwest::Client::new();
    let url = format!("http://{}/api/v1/admin/org", s.addr);
    let viewer = http
        .put(&url)
        .bearer_auth(VIEWER)
        .json(&json!({"handover": "09:00", "by": "林某婷"}))
        .send()
        .await
        .unwrap();
    assert_eq!(viewer.status(), 403);
    let nobody = http
        .put(&url)
        .bearer_auth(ADMIN)
        .json(&json!({"handover": "09:00"}))
        .send()
        .await
        .unwrap();
    assert_eq!(nobody.status(), 400);
    assert_eq!(nobody.json::<Value>().await.unwrap()["field"], "by");
    let moved = http
        .put(&url)
        .bearer_auth(ADMIN)
        .json(&json!({"handover": "09:00", "by": "林某婷"}))
        .send()
        .await
        .unwrap();
    assert_eq!(moved.status(), 200);
    let office: Office = get(&s, "/api/v1/org").await;
    assert_eq!(
        (office.name.as_str(), office.handover.as_str()),
        ("测试市应急管理局", "09:00")
    );
    s.shutdown().await;
    let shown = admin(&db, t0(), &["org"]);
    assert!(ok(&shown).contains("handover: 09:00"), "{}", shown.stdout);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_admin_api_imports_with_the_same_checks() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("duty.sqlite");
    let s = start(&db, false, Clock::system()).await;
    let http = reqwest::Client::new();
    let url = |q: &str| format!("http://{}/api/v1/admin/experts/import?{q}", s.addr);
    let bad = std::fs::read(fixture("pool_bad.csv")).unwrap();
    let refused = http
        .post(url("by=%E6%9E%97%E6%9F%90%E5%A9%B7&name=pool_bad.csv"))
        .bearer_auth(ADMIN)
        .body(bad.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 400);
    let body: Value = refused.json().await.unwrap();
    let error = body["error"].as_str().unwrap();
    assert!(
        error.contains("pool_bad.csv:3: the name (姓名) is empty"),
        "{error}"
    );
    assert!(experts(&s).await.items.is_empty());
    let viewer = http
        .post(url("by=x&name=pool.csv"))
        .bearer_auth(VIEWER)
        .body(bad.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(viewer.status(), 403);
    let dry: Value = http
        .post(url("by=x&name=pool_bad.csv&skip_bad=true&dry_run=true"))
        .bearer_auth(ADMIN)
        .body(bad.clone())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(dry["dry_run"], true);
    assert_eq!(dry["added"].as_array().unwrap().len(), 2);
    assert!(experts(&s).await.items.is_empty());
    let done = http
        .post(url("by=x&name=pool_bad.csv&skip_bad=true"))
        .bearer_auth(ADMIN)
        .body(bad)
        .send()
        .await
        .unwrap();
    assert_eq!(done.status(), 200);
    assert_eq!(experts(&s).await.items.len(), 2);
    let roster_resp = http
        .post(format!(
            "http://{}/api/v1/admin/roster/import?by=x&name=roster.ics",
            s.addr
        ))
        .bearer_auth(ADMIN)
        .body(std::fs::read(fixture("roster.ics")).unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(roster_resp.status(), 200);
    assert_eq!(roster_resp.json::<Value>().await.unwrap()["added"], 6);
    s.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn simulate_is_refused_for_a_database_that_is_not_demo() {
    let dir = TempDir::new().unwrap();
    let opts = ServeOptions {
        tokens: vec![ADMIN.into()],
        simulate: true,
        ..ServeOptions::new(
            "127.0.0.1:0".parse().unwrap(),
            dir.path().join("duty.sqlite"),
        )
    };
    let err = watchroom::server::start(opts).await.err().expect("refused");
    assert!(format!("{err:#}").contains("add --demo-data"), "{err:#}");
}

#[test]
fn the_console_says_demo_when_the_backend_holds_demo_data_and_shows_its_office() {
    use crate::support::fixture::{now, render, row_text, snapshot, source};
    use watchroom::app::update;
    let config = watchroom::config::ConsoleConfig::default();
    let mut s = watchroom::console::initial_state(&config, false, now()).unwrap();
    update(&mut s, source(snapshot(), now()));
    let health = |demo: bool, office: Option<&str>| Health {
        status: "ok".into(),
        version: "0".into(),
        time: now(),
        demo,
        office: office.map(|name| Office {
            name: name.into(),
            zone: "Asia/Shanghai".into(),
            handover: "08:30".into(),
        }),
    };
    let header = |s: &mut watchroom::app::State| row_text(&render(s, 120, 40), 0);
    assert!(!header(&mut s).contains("DEMO"));
    update(
        &mut s,
        source(SourceEvent::Server(health(true, None)), now()),
    );
    assert!(header(&mut s).contains("DEMO"), "{}", header(&mut s));
    update(
        &mut s,
        source(
            SourceEvent::Server(health(false, Some("测试市某区应急管理局"))),
            now(),
        ),
    );
    let shown = header(&mut s);
    assert!(!shown.contains("DEMO"), "{shown}");
    assert!(shown.contains("测试市某区应急管理局"), "{shown}");
    // A console configured for its own office keeps its name.
    let own = watchroom::config::ConsoleConfig {
        office: "测试市某街道值班室".into(),
        ..watchroom::config::ConsoleConfig::default()
    };
    let mut s = watchroom::console::initial_state(&own, false, now()).unwrap();
    update(
        &mut s,
        source(
            SourceEvent::Server(health(false, Some("测试市某区应急管理局"))),
            now(),
        ),
    );
    assert!(header(&mut s).contains("测试市某街道值班室"));
    // `watchroom demo` says DEMO whatever its backend says.
    let mut s = watchroom::console::initial_state(&config, true, now()).unwrap();
    update(
        &mut s,
        source(SourceEvent::Server(health(false, None)), now()),
    );
    assert!(header(&mut s).contains("DEMO"));
}
