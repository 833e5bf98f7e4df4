//! Desktop notifications over a real, private D-Bus session: a `dbus-daemon` started by the
//! test, a small org.freedesktop.Notifications service in the test that records what it is
//! sent, and the console's notifier run as `watchroom check-notify` in a child process whose
//! environment alone names the private bus (the test's own environment is never changed).

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use zbus::OwnedVariant;

const NAME: &str = "org.freedesktop.Notifications";
const PATH: &str = "/org/freedesktop/Notifications";
/// Only a guard against a hung child, far above any expected run: not a speed assert.
const HANG_GUARD: Duration = Duration::from_secs(120);

/// One `Notify` call as the service received it.
#[derive(Debug, Clone)]
struct Received {
    app_name: String,
    summary: String,
    body: String,
    urgency: Option<u8>,
    expire_timeout: i32,
}

struct Recorder {
    seen: Arc<Mutex<Vec<Received>>>,
    /// False: take the call and never answer, like a wedged notification daemon.
    answer: bool,
}

#[zbus::interface(name = "org.freedesktop.Notifications")]
impl Recorder {
    #[allow(clippy::too_many_arguments)]
    async fn notify(
        &self,
        app_name: String,
        _replaces_id: u32,
        _app_icon: String,
        summary: String,
        body: String,
        _actions: Vec<String>,
        hints: HashMap<String, OwnedVariant>,
        expire_timeout: i32,
    ) -> u32 {
        let urgency = hints
            .get("urgency")
            .and_then(|v| v.downcast_ref::<u8>().ok());
        let id = {
            let mut seen = self.seen.lock().expect("recorder lock");
            seen.push(Received {
                app_name,
                summary,
                body,
                urgency,
                expire_timeout,
            });
            seen.len() as u32
        };
        if !self.answer {
            std::future::pending::<()>().await;
        }
        id
    }

    fn get_capabilities(&self) -> Vec<String> {
        vec!["body".into()]
    }

    fn get_server_information(&self) -> (String, String, String, String) {
        (
            "recorder".into(),
            "watchroom tests".into(),
            "1.0".into(),
            "1.2".into(),
        )
    }

    fn close_notification(&self, _id: u32) {}
}

/// A private session bus on a socket in a temporary directory; stopped on drop.
struct PrivateBus {
    child: Child,
    address: String,
    _dir: tempfile::TempDir,
}

impl PrivateBus {
    /// None (with a note) only when dbus-daemon is not installed.
    fn start() -> Option<PrivateBus> {
        let dir = tempfile::tempdir().expect("temp dir");
        let config = dir.path().join("bus.conf");
        std::fs::write(
            &config,
            format!(
                r#"<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path={}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"#,
                dir.path().join("bus").display()
            ),
        )
        .expect("write bus config");
        let spawned = Command::new("dbus-daemon")
            .arg(format!("--config-file={}", config.display()))
            .args(["--nofork", "--print-address"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            // It complains that it cannot raise its fd limit when not root: noise, not failure.
            .stderr(Stdio::null())
            .spawn();
        let mut child = match spawned {
            Ok(c) => c,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                eprintln!(
                    "SKIPPED: dbus-daemon is not installed (apt-get install dbus-daemon); \
                     the desktop-notification test needs it"
                );
                return None;
            }
            Err(e) => panic!("cannot start dbus-daemon: {e}"),
        };
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("piped stdout"))
            .read_line(&mut line)
            .expect("dbus-daemon prints its address");
        let address = line.trim().to_owned();
        assert!(
            address.starts_with("unix:"),
            "dbus-daemon printed {address:?} instead of an address; run it by hand with \
             --config-file to see why"
        );
        Some(PrivateBus {
            child,
            address,
            _dir: dir,
        })
    }
}

impl Drop for PrivateBus {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Serve the recorder on the private bus under the well-known notifications name.
async fn serve(bus: &PrivateBus, answer: bool) -> (zbus::Connection, Arc<Mutex<Vec<Received>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let recorder = Recorder {
        seen: seen.clone(),
        answer,
    };
    let conn = zbus::connection::Builder::address(bus.address.as_str())
        .serve_at(PATH, recorder)
        .name(NAME)
        .build()
        .await
        .expect("connect the recorder to the private bus");
    (conn, seen)
}

/// `watchroom check-notify` with only the private bus in its environment's D-Bus variable.
async fn check_notify(bus: &PrivateBus, extra: &[&str]) -> (bool, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "[console]\nlanguage = \"zh\"\n").expect("write config");
    let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_watchroom"));
    cmd.arg("--config")
        .arg(&config)
        .arg("check-notify")
        .args(extra)
        .env("DBUS_SESSION_BUS_ADDRESS", &bus.address)
        .kill_on_drop(true);
    let out = tokio::time::timeout(HANG_GUARD, cmd.output())
        .await
        .expect("check-notify finished")
        .expect("run check-notify");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    println!("check-notify said:\n{text}");
    (out.status.success(), text)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_red_warning_reaches_the_notification_daemon_with_summary_body_and_urgency() {
    let Some(bus) = PrivateBus::start() else {
        return;
    };
    let (_conn, seen) = serve(&bus, true).await;
    let (ok, said) = check_notify(&bus, &["--level", "red"]).await;
    let seen = seen.lock().unwrap().clone();
    println!("the service recorded: {seen:#?}");
    assert!(ok, "check-notify failed:\n{said}");
    assert!(said.contains("shown"), "{said}");
    assert_eq!(seen.len(), 1, "one Notify call");
    let n = &seen[0];
    assert_eq!(n.app_name, "watchroom");
    assert_eq!(n.summary, "红色预警 通知测试 — 本机");
    assert_eq!(n.body, "桌面通知测试：看到这条即可用");
    assert_eq!(n.urgency, Some(2), "red is critical");
    assert_eq!(n.expire_timeout, -1, "the daemon's default display time");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_orange_warning_is_sent_with_normal_urgency() {
    let Some(bus) = PrivateBus::start() else {
        return;
    };
    let (_conn, seen) = serve(&bus, true).await;
    let (ok, said) = check_notify(&bus, &["--level", "orange"]).await;
    assert!(ok, "{said}");
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].summary, "橙色预警 通知测试 — 本机");
    assert_eq!(seen[0].urgency, Some(1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_daemon_that_never_answers_is_given_up_on_at_the_timeout() {
    let Some(bus) = PrivateBus::start() else {
        return;
    };
    let (_conn, seen) = serve(&bus, false).await;
    let (ok, said) = check_notify(&bus, &["--timeout", "1"]).await;
    assert!(
        !ok,
        "a notice nobody answered is not reported as shown:\n{said}"
    );
    assert!(
        said.contains("timed out: no answer from the notification daemon within 1 s"),
        "{said}"
    );
    assert!(
        said.contains("the console rings the terminal bell instead"),
        "{said}"
    );
    // The call did reach the daemon: this was a hang, not a missing service.
    assert_eq!(seen.lock().unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bus_without_a_notification_daemon_is_an_error_not_a_hang() {
    let Some(bus) = PrivateBus::start() else {
        return;
    };
    let (ok, said) = check_notify(&bus, &["--timeout", "30"]).await;
    assert!(!ok, "{said}");
    assert!(
        said.contains("not shown: desktop notification failed"),
        "{said}"
    );
    assert!(
        said.contains("ServiceUnknown") || said.contains("org.freedesktop.Notifications"),
        "{said}"
    );
}
