//! `watchroom serve --tls-cert --tls-key`: HTTPS with a certificate made here by a CA made
//! here, which the console trusts through its `ca_file`; plain HTTP to that port is told to
//! use https; bad files are named; plain HTTP off the loopback is refused.

use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair};
use std::future::Future;
use std::path::{Path, PathBuf};
use std::time::Duration;
use tempfile::TempDir;
use watchroom::client::{ClientOptions, DutyClient};
use watchroom::server::{RunningServer, ServeOptions, TlsFiles};

const TOKEN: &str = "tls-test-token";
/// Generous: the machine may be busy compiling; nothing here is a speed assertion.
const STEP: Duration = Duration::from_secs(20);

async fn within<T>(what: &str, fut: impl Future<Output = T>) -> T {
    tokio::time::timeout(STEP, fut)
        .await
        .unwrap_or_else(|_| panic!("timed out: {what}"))
}

/// A CA's certificate (`ca.pem`), and a server certificate it signed for 127.0.0.1 and
/// localhost (`cert.pem`, `key.pem`).
struct Pki {
    ca: PathBuf,
    files: TlsFiles,
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write a PEM file");
    path
}

fn pki(dir: &Path) -> Pki {
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca = CertifiedIssuer::self_signed(ca_params, KeyPair::generate().unwrap()).unwrap();
    let key = KeyPair::generate().unwrap();
    let cert = CertificateParams::new(vec!["127.0.0.1".to_owned(), "localhost".to_owned()])
        .unwrap()
        .signed_by(&key, &ca)
        .unwrap();
    Pki {
        ca: write(dir, "ca.pem", &ca.pem()),
        files: TlsFiles {
            cert: write(dir, "cert.pem", &cert.pem()),
            key: write(dir, "key.pem", &key.serialize_pem()),
        },
    }
}

fn options(dir: &Path, tls: Option<TlsFiles>) -> ServeOptions {
    ServeOptions {
        tokens: vec![TOKEN.to_owned()],
        tls,
        ..ServeOptions::new("127.0.0.1:0".parse().unwrap(), dir.join("duty.sqlite"))
    }
}

async fn serve_tls(dir: &TempDir) -> (RunningServer, Pki) {
    let pki = pki(dir.path());
    let server = within(
        "server start",
        watchroom::server::start(options(dir.path(), Some(pki.files.clone()))),
    )
    .await
    .expect("the server starts with its certificate");
    (server, pki)
}

#[tokio::test]
async fn the_console_client_talks_to_the_server_over_https_with_its_ca_file() {
    let dir = TempDir::new().unwrap();
    let (server, pki) = serve_tls(&dir).await;
    assert!(server.tls);
    let url = server.url();
    assert!(url.starts_with("https://127.0.0.1:"), "{url}");
    let client = DutyClient::with_options(
        &url,
        TOKEN,
        ClientOptions {
            ca_file: Some(pki.ca.clone()),
            ..ClientOptions::default()
        },
    )
    .expect("a client with the CA file");
    let health = within("health over https", client.health())
        .await
        .expect("health over https");
    assert_eq!(health.status, "ok");
    let me = within("me over https", client.me())
        .await
        .expect("the token is accepted over https");
    assert_eq!(me.kind, "bootstrap");

    // Without the CA the certificate is not trusted: the client checks it.
    let stranger = DutyClient::new(&url, TOKEN).unwrap();
    assert!(within("health untrusted", stranger.health()).await.is_err());
    within("shutdown", server.shutdown()).await;
}

#[tokio::test]
async fn plain_http_to_the_tls_port_is_told_to_use_https() {
    let dir = TempDir::new().unwrap();
    let (server, _pki) = serve_tls(&dir).await;
    let resp = within(
        "plain GET",
        reqwest::Client::new()
            .get(format!("http://{}/api/v1/health", server.addr))
            .send(),
    )
    .await
    .expect("an answer in plain HTTP");
    assert_eq!(resp.status(), 400);
    let body: serde_json::Value = within("body", resp.json()).await.expect("a JSON body");
    let error = body["error"].as_str().unwrap_or_default();
    assert!(error.contains("https://"), "{body}");
    within("shutdown", server.shutdown()).await;
}

#[tokio::test]
async fn bad_tls_files_are_refused_naming_the_file() {
    let dir = TempDir::new().unwrap();
    let good = pki(dir.path());
    let other_key = write(
        dir.path(),
        "other-key.pem",
        &KeyPair::generate().unwrap().serialize_pem(),
    );
    let not_pem = write(dir.path(), "notes.txt", "this is not a certificate\n");
    let missing = dir.path().join("missing.pem");
    let cases = [
        (
            missing.clone(),
            good.files.key.clone(),
            "--tls-cert",
            missing.clone(),
        ),
        (
            not_pem.clone(),
            good.files.key.clone(),
            "--tls-cert",
            not_pem.clone(),
        ),
        (
            good.files.cert.clone(),
            not_pem.clone(),
            "--tls-key",
            not_pem.clone(),
        ),
        (
            good.files.cert.clone(),
            other_key.clone(),
            "does not fit",
            other_key.clone(),
        ),
    ];
    for (cert, key, says, names) in cases {
        let db = dir.path().join("duty.sqlite");
        let opts = options(dir.path(), Some(TlsFiles { cert, key }));
        let e = match within("start", watchroom::server::start(opts)).await {
            Ok(_) => panic!("started with bad TLS files (expected {says})"),
            Err(e) => format!("{e:#}"),
        };
        assert!(
            e.contains(says) && e.contains(&names.display().to_string()),
            "{says}: {e}"
        );
        assert!(
            !db.exists(),
            "a database was made for a server that did not start"
        );
    }
}

#[tokio::test]
async fn plain_http_off_the_loopback_is_refused_before_anything_starts() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("duty.sqlite");
    let opts = ServeOptions {
        listen: "0.0.0.0:0".parse().unwrap(),
        ..options(dir.path(), None)
    };
    let e = match within("start", watchroom::server::start(opts)).await {
        Ok(_) => panic!("served plain HTTP on every address"),
        Err(e) => e.to_string(),
    };
    assert!(
        e.contains("--tls-cert") && e.contains("--insecure-http") && e.contains("0.0.0.0:0"),
        "{e}"
    );
    assert!(!db.exists());
}

#[test]
fn serve_on_every_address_without_tls_says_what_to_pass() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("duty.sqlite");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_watchroom"))
        .args(["serve", "--listen", "0.0.0.0:0", "--token", TOKEN, "--db"])
        .arg(&db)
        .env_remove("WATCHROOM_TOKEN")
        .env_remove("WATCHROOM_TOKENS")
        .output()
        .expect("run watchroom serve");
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("--tls-cert") && said.contains("--insecure-http"),
        "{said}"
    );
    assert!(!db.exists());
}
