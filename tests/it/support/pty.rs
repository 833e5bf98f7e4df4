//! The real binary in a pseudo-terminal, read through a VT100 parser the way a person
//! sees it.

use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub struct Pty {
    pub child: Box<dyn portable_pty::Child + Send + Sync>,
    keys: Box<dyn Write + Send>,
    parser: Arc<Mutex<vt100::Parser>>,
    // Kept alive for the test's length: dropping them closes the terminal.
    _master: Box<dyn portable_pty::MasterPty + Send>,
    _home: tempfile::TempDir,
}

impl Pty {
    /// Run watchroom with `args` in a 120×40 pseudo-terminal with a clean, empty home.
    pub fn start(args: &[&str]) -> Pty {
        Pty::start_in(tempfile::tempdir().expect("temp home"), args)
    }

    /// As `start`, in a home prepared beforehand (e.g. by `watchroom login`, run with
    /// `Pty::home_env`).
    pub fn start_in(home: tempfile::TempDir, args: &[&str]) -> Pty {
        Pty::spawn(
            home,
            CommandBuilder::new(env!("CARGO_BIN_EXE_watchroom")),
            args,
        )
    }

    /// As `start_in`, started by `sh` with `umask` set first: the permissions of the files
    /// it creates then do not depend on the umask the tests run under.
    pub fn start_in_umask(home: tempfile::TempDir, umask: &str, args: &[&str]) -> Pty {
        let mut sh = CommandBuilder::new("/bin/sh");
        sh.args(["-c", &format!("umask {umask} && exec \"$0\" \"$@\"")]);
        sh.arg(env!("CARGO_BIN_EXE_watchroom"));
        Pty::spawn(home, sh, args)
    }

    fn spawn(home: tempfile::TempDir, mut cmd: CommandBuilder, args: &[&str]) -> Pty {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: 40,
                cols: 120,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open a pty");
        cmd.args(args);
        cmd.env("NO_COLOR", "1");
        cmd.env("TERM", "xterm-256color");
        // A clean home: no user config may change what the demo shows.
        for (k, v) in Pty::home_env(home.path()) {
            cmd.env(k, v);
        }
        cmd.env_remove("WATCHROOM_TOKEN");
        let child = pair.slave.spawn_command(cmd).expect("spawn watchroom");
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
        Pty {
            child,
            keys,
            parser,
            _master: pair.master,
            _home: home,
        }
    }

    /// The environment `start_in` gives the binary for `home`, for a command run there
    /// first.
    pub fn home_env(home: &std::path::Path) -> Vec<(&'static str, std::path::PathBuf)> {
        vec![
            ("HOME", home.to_path_buf()),
            ("XDG_CONFIG_HOME", home.join("config")),
            ("XDG_DATA_HOME", home.join("data")),
        ]
    }

    /// The clean home the binary runs in (its data dir is `data/watchroom` under it).
    pub fn home(&self) -> &std::path::Path {
        self._home.path()
    }

    pub fn contents(&self) -> String {
        self.parser.lock().expect("parser lock").screen().contents()
    }

    /// Wait until `pred` holds for the screen text, or fail showing the last screen.
    pub fn wait_for(&self, what: &str, limit: Duration, pred: impl Fn(&str) -> bool) -> String {
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

    pub fn wait_watch_screen(&self) -> String {
        self.wait_for("the watch screen with data", Duration::from_secs(60), |s| {
            s.contains("预警 Alerts") && s.contains("✓ 实时") && s.contains("带班领导")
        })
    }

    /// Blank this test's copy of the screen (not the program's): only what the program
    /// draws afresh shows again.
    pub fn blank_view(&self) {
        self.parser.lock().expect("parser lock").process(b"\x1b[2J");
    }

    pub fn press(&mut self, bytes: &[u8]) {
        self.keys.write_all(bytes).expect("type a key");
        self.keys.flush().expect("flush keys");
    }

    pub fn wait_exit(&mut self, limit: Duration) -> portable_pty::ExitStatus {
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
    pub fn assert_terminal_restored(&self) {
        let parser = self.parser.lock().expect("parser lock");
        assert!(
            !parser.screen().alternate_screen(),
            "still on the alternate screen"
        );
        assert!(!parser.screen().hide_cursor(), "cursor still hidden");
    }
}
