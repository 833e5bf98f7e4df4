//! End to end: the real `watchroom demo` binary in a pseudo-terminal, read through a
//! VT100 parser the way a person sees it.

use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

struct Demo {
    child: Box<dyn portable_pty::Child + Send + Sync>,
    keys: Box<dyn Write + Send>,
    parser: Arc<Mutex<vt100::Parser>>,
    // Kept alive for the test's length: dropping them closes the terminal.
    _master: Box<dyn portable_pty::MasterPty + Send>,
    _home: tempfile::TempDir,
}

impl Demo {
    fn start() -> Demo {
        let home = tempfile::tempdir().expect("temp home");
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: 40,
                cols: 120,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open a pty");
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_watchroom"));
        cmd.arg("demo");
        cmd.env("NO_COLOR", "1");
        cmd.env("TERM", "xterm-256color");
        // A clean home: no user config may change what the demo shows.
        cmd.env("HOME", home.path());
        cmd.env("XDG_CONFIG_HOME", home.path().join("config"));
        cmd.env("XDG_DATA_HOME", home.path().join("data"));
        cmd.env_remove("WATCHROOM_TOKEN");
        let child = pair.slave.spawn_command(cmd).expect("spawn watchroom demo");
        drop(pair.slave);

        let parser = Arc::new(Mutex::new(vt100::Parser::new(40, 120, 0)));
        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        let feed = Arc::clone(&parser);
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                feed.lock().expect("parser lock").process(&buf[..n]);
            }
        });
        let keys = pair.master.take_writer().expect("pty writer");
        Demo {
            child,
            keys,
            parser,
            _master: pair.master,
            _home: home,
        }
    }

    fn contents(&self) -> String {
        self.parser.lock().expect("parser lock").screen().contents()
    }

    /// Wait until `pred` holds for the screen text, or fail showing the last screen.
    fn wait_for(&self, what: &str, limit: Duration, pred: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let text = self.contents();
            if pred(&text) {
                return text;
            }
            if start.elapsed() > limit {
                panic!("timed out after {limit:?} waiting for {what}; screen:\n{text}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn wait_watch_screen(&self) -> String {
        self.wait_for(
            "the watch screen with demo data",
            Duration::from_secs(60),
            |s| {
                s.contains("预警 Alerts")
                    && s.contains("DEMO")
                    && s.contains("✓ 实时")
                    && s.contains("带班领导")
            },
        )
    }

    fn press(&mut self, bytes: &[u8]) {
        self.keys.write_all(bytes).expect("type a key");
        self.keys.flush().expect("flush keys");
    }

    fn wait_exit(&mut self, limit: Duration) -> portable_pty::ExitStatus {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("wait for watchroom") {
                return status;
            }
            if start.elapsed() > limit {
                let _ = self.child.kill();
                panic!("watchroom did not exit; screen:\n{}", self.contents());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// After exit: the alternate screen is left and the cursor is visible again.
    fn assert_terminal_restored(&self) {
        let parser = self.parser.lock().expect("parser lock");
        assert!(
            !parser.screen().alternate_screen(),
            "still on the alternate screen"
        );
        assert!(!parser.screen().hide_cursor(), "cursor still hidden");
    }
}

#[test]
fn demo_comes_alive_shows_help_and_quits_cleanly() {
    let mut demo = Demo::start();
    let first = demo.wait_watch_screen();
    assert!(
        first.contains("在岗 On duty") && first.contains("事件 Incidents"),
        "{first}"
    );

    // The simulator pushes something new; it reaches the screen with no key pressed.
    demo.wait_for(
        "a simulator alert to arrive by itself",
        Duration::from_secs(45),
        |s| s.contains("新预警") || s.contains("新到"),
    );

    demo.press(b"?");
    let help = demo.wait_for("the help overlay", Duration::from_secs(10), |s| {
        s.contains("帮助 · 按键")
    });
    assert!(help.contains("下一窗格") && help.contains("退出"), "{help}");
    demo.press(b"\x1b");
    demo.wait_for("help to close", Duration::from_secs(10), |s| {
        !s.contains("帮助 · 按键")
    });

    demo.press(b"q");
    let status = demo.wait_exit(Duration::from_secs(15));
    assert!(status.success(), "exit status {status:?}");
    demo.assert_terminal_restored();
}

#[test]
fn sigterm_ends_the_demo_and_restores_the_terminal() {
    let mut demo = Demo::start();
    demo.wait_watch_screen();
    let pid = demo.child.process_id().expect("child pid");
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .expect("run kill");
    assert!(killed.success());
    let status = demo.wait_exit(Duration::from_secs(15));
    assert!(status.success(), "exit status {status:?}");
    demo.assert_terminal_restored();
}

#[test]
fn console_without_config_explains_and_exits_2() {
    let home = tempfile::tempdir().expect("temp home");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_watchroom"))
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env_remove("WATCHROOM_TOKEN")
        .output()
        .expect("run watchroom");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("watchroom demo") && err.contains("[server]"),
        "{err}"
    );
}
