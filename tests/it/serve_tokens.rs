//! Where `watchroom serve` takes the tokens it accepts from, other than the command line
//! (where the process list shows them): `--token-file`, one token a line, and
//! `WATCHROOM_TOKEN` when nothing else gives one. The real binary on a loopback port.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

struct Serving {
    child: Child,
    url: String,
    stdout: BufReader<std::process::ChildStdout>,
}

impl Serving {
    /// Stops the server and returns all it printed on stdout after its banner.
    fn said(mut self) -> String {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let mut rest = String::new();
        let _ = std::io::Read::read_to_string(&mut self.stdout, &mut rest);
        rest
    }
}

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `watchroom serve` on a free loopback port with `args` and `env`; no other token
/// variable from the test's environment.
fn serve(dir: &std::path::Path, args: &[&str], env: &[(&str, &str)]) -> Serving {
    let mut child = Command::new(env!("CARGO_BIN_EXE_watchroom"))
        .args(["serve", "--listen", "127.0.0.1:0", "--db"])
        .arg(dir.join("duty.db"))
        .args(args)
        .env_remove("WATCHROOM_TOKEN")
        .env_remove("WATCHROOM_TOKENS")
        .env_remove("WATCHROOM_VIEWER_TOKENS")
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start watchroom serve");
    let stdout = child.stdout.take().expect("piped stdout");
    let mut stdout = BufReader::new(stdout);
    let mut banner = String::new();
    stdout.read_line(&mut banner).expect("read the banner");
    let url = banner
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no URL in {banner:?}"))
        .to_owned();
    Serving { child, url, stdout }
}

fn me_status(url: &str, token: &str) -> u16 {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        reqwest::Client::new()
            .get(format!("{url}/api/v1/me"))
            .bearer_auth(token)
            .timeout(std::time::Duration::from_secs(20))
            .send()
            .await
            .expect("GET /me")
            .status()
            .as_u16()
    })
}

#[test]
fn serve_accepts_every_token_of_its_token_file_and_its_command_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("tokens");
    std::fs::write(
        &file,
        "# bootstrap tokens of 测试市应急管理局\nfile-token-one\n\nfile-token-two\n",
    )
    .unwrap();
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let path = file.to_str().expect("a UTF-8 temp path");
    let server = serve(
        dir.path(),
        &["--token-file", path, "--token", "flag-token"],
        &[],
    );
    for token in ["file-token-one", "file-token-two", "flag-token"] {
        assert_eq!(me_status(&server.url, token), 200, "{token}");
    }
    assert_eq!(me_status(&server.url, "not-a-token-it-was-given"), 401);
    let said = server.said();
    assert!(!said.contains("generated"), "{said}");
}

#[test]
fn serve_takes_watchroom_token_when_nothing_else_gives_one() {
    let dir = tempfile::tempdir().expect("temp dir");
    let server = serve(dir.path(), &[], &[("WATCHROOM_TOKEN", "env-token")]);
    assert_eq!(me_status(&server.url, "env-token"), 200);
    let said = server.said();
    assert!(!said.contains("generated"), "{said}");

    // Given a token elsewhere, the console's variable is not made an admin token too.
    let dir = tempfile::tempdir().expect("temp dir");
    let server = serve(
        dir.path(),
        &["--token", "flag-token"],
        &[("WATCHROOM_TOKEN", "env-token")],
    );
    assert_eq!(me_status(&server.url, "flag-token"), 200);
    assert_eq!(me_status(&server.url, "env-token"), 401);
}
