//! People for tests of the real binary: `watchroom admin user add` on the server's
//! database, and the token it prints once.

use std::path::Path;
use std::process::Command;

/// Adds `name` (or, with `seat`, a shared seat of that name) with `role` to the database
/// `db` and returns the token printed.
pub fn add_user(db: &Path, name: &str, role: &str, seat: bool) -> String {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_watchroom"));
    cmd.args(["admin", "--by", "测试管理员", "--db"]).arg(db);
    cmd.args(["user", "add"]);
    if seat {
        cmd.args(["--seat", name]);
    } else {
        cmd.arg(name);
    }
    let out = cmd
        .args(["--role", role])
        .output()
        .expect("run watchroom admin user add");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
        .lines()
        .find(|l| l.starts_with("wr_"))
        .unwrap_or_else(|| panic!("no token in {stdout:?}"))
        .to_owned()
}
