//! The terminal and the process around the console: a panic restores the terminal and
//! leaves a report with a backtrace; a token file others can read is warned about.

use crate::support::pty::Pty;
use std::time::Duration;

#[test]
fn a_panic_restores_the_terminal_and_writes_a_report_with_a_backtrace() {
    let mut pty = Pty::start(&["crash-test"]);
    let status = pty.wait_exit(Duration::from_secs(20));
    assert!(!status.success(), "a panic must not exit 0");
    pty.assert_terminal_restored();
    let screen = pty.wait_for("the report's path", Duration::from_secs(5), |s| {
        s.contains("full report is in")
    });
    assert!(screen.contains("deliberate panic"), "{screen}");
    let dir = pty.home().join("data").join("watchroom");
    let reports: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with("panic-"))
        .collect();
    assert_eq!(reports.len(), 1, "one report in {}", dir.display());
    let text = std::fs::read_to_string(reports[0].path()).unwrap();
    assert!(text.contains("message: crash test"), "{text}");
    assert!(text.contains("place: src/main.rs"), "{text}");
    // A forced backtrace lists frames even without RUST_BACKTRACE.
    assert!(
        text.contains("backtrace:\n") && text.contains("main"),
        "{text}"
    );
}

#[cfg(unix)]
#[test]
fn a_token_file_readable_by_others_is_warned_about_and_the_token_never_printed() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("token");
    std::fs::write(&file, "very-secret-token\n").unwrap();
    let run = |mode: u32| {
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(mode)).unwrap();
        std::process::Command::new(env!("CARGO_BIN_EXE_watchroom"))
            .args([
                "experts",
                "zw",
                "--server",
                "http://127.0.0.1:9",
                "--token-file",
            ])
            .arg(&file)
            .env("HOME", dir.path())
            .env("XDG_DATA_HOME", dir.path().join("data"))
            .env("XDG_CONFIG_HOME", dir.path().join("config"))
            .env_remove("WATCHROOM_TOKEN")
            .output()
            .expect("run watchroom")
    };
    let loose = run(0o644);
    let err = String::from_utf8_lossy(&loose.stderr);
    assert!(
        err.contains("can be read by other users") && err.contains("644"),
        "{err}"
    );
    assert!(!err.contains("very-secret-token"), "{err}");
    assert!(!String::from_utf8_lossy(&loose.stdout).contains("very-secret-token"));
    let tight = run(0o600);
    let err = String::from_utf8_lossy(&tight.stderr);
    assert!(!err.contains("can be read by other users"), "{err}");
}

/// Ctrl-Z leaves the terminal as the shell needs it and, on resume, the whole screen comes
/// back: the frame writer forgets what it had shown, since the terminal was cleared. (In
/// this pseudo-terminal the console's process group has no shell to stop it for, so the
/// kernel lets it run straight on: what is checked is the way out and the way back.)
#[cfg(unix)]
#[test]
fn after_ctrl_z_the_whole_screen_is_drawn_again() {
    let mut pty = Pty::start(&["demo"]);
    pty.wait_watch_screen();
    // Whatever is on the test's screen from now on was drawn after this point: the panes'
    // frames and titles come back only if the console draws the whole screen again.
    pty.blank_view();
    pty.press(&[0x1a]);
    let screen = pty.wait_for(
        "the watch screen drawn again",
        Duration::from_secs(20),
        |s| s.contains("预警 Alerts") && s.contains("在岗 On duty") && s.contains("带班领导"),
    );
    assert!(screen.contains("事件 Incidents"), "{screen}");
    assert!(
        pty.child.try_wait().expect("child state").is_none(),
        "still running"
    );
    pty.press(b"q");
    assert!(pty.wait_exit(Duration::from_secs(20)).success());
    pty.assert_terminal_restored();
}

/// Started from a script, a pipe or a service, the console says it needs a terminal and
/// exits; it does not panic.
#[test]
fn without_a_terminal_the_console_says_so_instead_of_panicking() {
    let home = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_watchroom"))
        .args(["--server", "http://127.0.0.1:9", "--token", "t"])
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("XDG_DATA_HOME", home.path().join("data"))
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run watchroom");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("needs a terminal"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    let data = home.path().join("data").join("watchroom");
    let reports = std::fs::read_dir(&data)
        .map(|d| {
            d.filter_map(Result::ok)
                .filter(|e| e.file_name().to_string_lossy().starts_with("panic-"))
                .count()
        })
        .unwrap_or(0);
    assert_eq!(reports, 0, "no panic report in {}", data.display());
}
