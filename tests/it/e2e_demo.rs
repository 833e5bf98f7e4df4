//! End to end: the real `watchroom demo` binary in a pseudo-terminal, read through a
//! VT100 parser the way a person sees it.

use crate::support::pty::Pty;
use std::time::Duration;

#[test]
fn demo_comes_alive_shows_help_and_quits_cleanly() {
    let mut demo = Pty::start(&["demo"]);
    let first = demo.wait_watch_screen();
    assert!(
        first.contains("在岗 On duty")
            && first.contains("事件 Incidents")
            && first.contains("DEMO"),
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
    let mut demo = Pty::start(&["demo"]);
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
