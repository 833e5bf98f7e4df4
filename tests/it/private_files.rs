//! Every file the console and the server create holds something personal, so each is
//! mode 600 whatever the umask: the real binaries, started under umask 022, in a scratch
//! home — the server's database, the login token, the expert copy, the console's local
//! store, a signed handover's Markdown copy and a crash report.

use crate::support::pty::Pty;
use std::io::{BufRead, BufReader, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BOOTSTRAP: &str = "private-files-token";
/// What a default umask lets through: group and others may read.
const UMASK: &str = "022";

/// `watchroom …` started by `sh` under `UMASK`, in `home`.
fn watchroom(home: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new("/bin/sh");
    cmd.args(["-c", &format!("umask {UMASK} && exec \"$0\" \"$@\"")])
        .arg(env!("CARGO_BIN_EXE_watchroom"))
        .args(args)
        .envs(Pty::home_env(home))
        .env_remove("WATCHROOM_TOKEN");
    cmd
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Every regular file under `dir`, with its permission bits.
fn files(dir: &Path) -> Vec<(PathBuf, u32)> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for entry in std::fs::read_dir(&d).expect("read a scratch dir") {
            let path = entry.expect("a dir entry").path();
            let meta = std::fs::symlink_metadata(&path).expect("metadata");
            if meta.is_dir() {
                todo.push(path);
            } else if meta.is_file() {
                out.push((path, meta.permissions().mode() & 0o777));
            }
        }
    }
    out.sort();
    out
}

fn wait_until(what: &str, limit: Duration, pred: impl Fn() -> bool) {
    let start = Instant::now();
    while !pred() {
        assert!(start.elapsed() < limit, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn every_file_the_console_and_the_server_create_is_mode_600() {
    let home = tempfile::tempdir().expect("scratch home");
    let data = home.path().join("data").join("watchroom");

    let mut child = watchroom(
        home.path(),
        &["serve", "--listen", "127.0.0.1:0", "--token", BOOTSTRAP],
    )
    .stdout(Stdio::piped())
    .stderr(Stdio::null())
    .spawn()
    .expect("start watchroom serve");
    let stdout = child.stdout.take().expect("piped stdout");
    let server = Server(child);
    let mut banner = String::new();
    BufReader::new(stdout)
        .read_line(&mut banner)
        .expect("read the banner");
    let url = banner
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no URL in {banner:?}"))
        .to_owned();
    let db = data.join("server.db");
    let token = crate::support::people::add_user(&db, "测试乙", "officer", false);
    // Not the demo data: a console showing the demo city keeps no handover copy.
    let pool = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/admin/pool.csv");
    let out = watchroom(
        home.path(),
        &["admin", "--by", "测试管理员", "experts", "import"],
    )
    .arg(&pool)
    .output()
    .expect("watchroom admin experts import");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let mut login = watchroom(home.path(), &["login", "--server", &url])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start watchroom login");
    writeln!(login.stdin.take().expect("piped stdin"), "{token}").expect("type the token");
    let out = login.wait_with_output().expect("watchroom login");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let out = watchroom(
        home.path(),
        &["--server", &url, "--token", &token, "experts", "燃气"],
    )
    .output()
    .expect("watchroom experts");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // The console, signed in by the login: it keeps its store and signs a handover,
    // whose Markdown copy it keeps too.
    let handovers = data.join("handovers");
    let mut console = Pty::start_in_umask(home, UMASK, &["--server", &url]);
    console.wait_for("the live backend", Duration::from_secs(60), |s| {
        s.contains("✓ 实时")
    });
    console.press(b"h");
    console.wait_for("the handover review", Duration::from_secs(10), |s| {
        s.contains("签字交班")
    });
    console.press("注意龙岗边坡夜间巡查".as_bytes());
    console.press(b"\x13");
    wait_until(
        "the handover's Markdown copy",
        Duration::from_secs(20),
        || std::fs::read_dir(&handovers).is_ok_and(|mut d| d.next().is_some()),
    );
    console.press(b"q");
    assert!(console.wait_exit(Duration::from_secs(15)).success());

    // A crash report, as the panic hook writes it.
    let bt = std::backtrace::Backtrace::disabled();
    watchroom::crash::write_report(&data, "测试", "src/x.rs:1:2", &bt).expect("a report");

    let found = files(console.home());
    drop(server);
    let names: Vec<String> = found
        .iter()
        .map(|(p, _)| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    let store = watchroom::store::path_in(&data);
    for (what, present) in [
        (
            "the server's database",
            names.iter().any(|n| n == "server.db"),
        ),
        ("the login token", names.iter().any(|n| n == "token")),
        ("the expert copy", names.iter().any(|n| n == "experts.json")),
        ("the local store", found.iter().any(|(p, _)| *p == store)),
        (
            "the handover copy",
            names
                .iter()
                .any(|n| n.starts_with("handover-") && n.ends_with(".md")),
        ),
        (
            "the crash report",
            names.iter().any(|n| n.starts_with("panic-")),
        ),
    ] {
        assert!(present, "no {what} among {names:?}");
    }
    let loose: Vec<String> = found
        .iter()
        .filter(|(_, mode)| *mode != 0o600)
        .map(|(p, mode)| format!("{} {mode:o}", p.display()))
        .collect();
    assert!(loose.is_empty(), "not mode 600: {loose:#?}");
}
