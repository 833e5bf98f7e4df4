//! Tokens and the like: kept as text, but never shown by `{:?}` (logs, panics, error
//! reports all go through Debug), and read from files with a warning when others can.

use serde::{Deserialize, Serialize};
use std::path::Path;

/// A secret string. `Debug` prints `<redacted>`; the value is reached only by `expose`.
#[derive(Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Self {
        Secret(s.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl std::str::FromStr for Secret {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Secret(s.to_owned()))
    }
}

/// A token read from a file: the first line, trimmed, and a warning when the file is
/// readable by its group or by others (anyone on the machine could then use the token).
#[derive(Debug)]
pub struct TokenFile {
    pub token: Secret,
    pub warning: Option<String>,
}

pub fn read_token_file(path: &Path) -> anyhow::Result<TokenFile> {
    use anyhow::Context;
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the token file {}", path.display()))?;
    let token = text.lines().next().unwrap_or_default().trim();
    if token.is_empty() {
        anyhow::bail!(
            "the token file {} is empty: put the token on its first line",
            path.display()
        );
    }
    Ok(TokenFile {
        token: Secret::new(token),
        warning: loose_permissions(path),
    })
}

/// The tokens of a file that holds one per line (what `watchroom serve --token-file`
/// accepts): blank lines and `#` comments are skipped, a line with a space in it is
/// refused by its line number. Warned about like `read_token_file`.
#[derive(Debug)]
pub struct TokenLines {
    pub tokens: Vec<Secret>,
    pub warning: Option<String>,
}

pub fn read_token_lines(path: &Path) -> anyhow::Result<TokenLines> {
    use anyhow::Context;
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the token file {}", path.display()))?;
    let mut tokens = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let token = line.trim();
        if token.is_empty() || token.starts_with('#') {
            continue;
        }
        if token.chars().any(char::is_whitespace) {
            anyhow::bail!(
                "{}:{}: a token has no spaces: put one token on each line",
                path.display(),
                n + 1
            );
        }
        tokens.push(Secret::new(token));
    }
    if tokens.is_empty() {
        anyhow::bail!(
            "the token file {} holds no token: put one on each line",
            path.display()
        );
    }
    Ok(TokenLines {
        tokens,
        warning: loose_permissions(path),
    })
}

#[cfg(unix)]
fn loose_permissions(path: &Path) -> Option<String> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path).ok()?.permissions().mode();
    (mode & 0o077 != 0).then(|| {
        format!(
            "watchroom: warning: the token file {} can be read by other users (mode {:o}); \
             run `chmod 600 {}`",
            path.display(),
            mode & 0o777,
            path.display()
        )
    })
}

#[cfg(not(unix))]
fn loose_permissions(_path: &Path) -> Option<String> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_the_value() {
        let s = Secret::new("hunter2");
        assert_eq!(format!("{s:?}"), "Secret(<redacted>)");
        assert_eq!(format!("{:?}", Some(s.clone())), "Some(Secret(<redacted>))");
        assert_eq!(s.expose(), "hunter2");
    }

    #[cfg(unix)]
    #[test]
    fn a_token_file_others_can_read_is_warned_about() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("token");
        std::fs::write(&p, "abc123\n").unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600)).unwrap();
        let t = read_token_file(&p).unwrap();
        assert_eq!(t.token.expose(), "abc123");
        assert!(t.warning.is_none());
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o640)).unwrap();
        let w = read_token_file(&p).unwrap().warning.unwrap();
        assert!(w.contains("640") && w.contains("chmod 600"), "{w}");
        std::fs::write(&p, "\n").unwrap();
        assert!(
            read_token_file(&p)
                .unwrap_err()
                .to_string()
                .contains("empty")
        );
    }

    #[test]
    fn a_token_file_for_the_server_holds_one_token_a_line() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("tokens");
        std::fs::write(
            &p,
            "# the office's bootstrap tokens\nfirst-token\n\n  second-token  \n",
        )
        .unwrap();
        let read = read_token_lines(&p).unwrap();
        let got: Vec<&str> = read.tokens.iter().map(Secret::expose).collect();
        assert_eq!(got, ["first-token", "second-token"]);
        std::fs::write(&p, "ok-token\ntwo tokens\n").unwrap();
        let e = read_token_lines(&p).unwrap_err().to_string();
        assert!(
            e.ends_with("tokens:2: a token has no spaces: put one token on each line"),
            "{e}"
        );
        std::fs::write(&p, "# nothing yet\n").unwrap();
        let e = read_token_lines(&p).unwrap_err().to_string();
        assert!(e.contains("holds no token"), "{e}");
    }
}
