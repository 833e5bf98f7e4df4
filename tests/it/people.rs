//! People and tokens, and accountable writes: every route under every role, the actor of
//! a write taken from the token, shared seats, corrections, the audit trail, and tokens
//! that are never kept or said in clear.

use clap::Parser;
use jiff::Timestamp;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;
use tempfile::TempDir;
use watchroom::model::{Alert, Handover, Incident, Me, Page, TimelineEntry};
use watchroom::server::admin::cli::{AdminArgs, Outcome};
use watchroom::server::{Clock, RunningServer, ServeOptions};

const BOOTSTRAP: &str = "people-bootstrap-1";
const LISTED_VIEWER: &str = "people-viewer-1";
const STEP: Duration = Duration::from_secs(30);

struct Office {
    server: RunningServer,
    http: reqwest::Client,
    db: std::path::PathBuf,
    _dir: TempDir,
}

async fn office() -> Office {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("duty.sqlite");
    let opts = ServeOptions {
        tokens: vec![BOOTSTRAP.into()],
        viewer_tokens: vec![LISTED_VIEWER.into()],
        clock: Clock::from_fn(|| "2026-11-29T03:00:00Z".parse().unwrap()),
        ..ServeOptions::demo("127.0.0.1:0".parse().unwrap(), db.clone())
    };
    let server = tokio::time::timeout(STEP, watchroom::server::start(opts))
        .await
        .expect("server start in time")
        .expect("server starts");
    Office {
        server,
        http: reqwest::Client::new(),
        db,
        _dir: dir,
    }
}

impl Office {
    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.server.addr)
    }

    async fn call(
        &self,
        method: &str,
        path: &str,
        token: &str,
        body: Option<&Value>,
    ) -> (u16, Value) {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let mut req = self.http.request(method, self.url(path)).bearer_auth(token);
        if let Some(b) = body {
            req = req.json(b);
        }
        let resp = tokio::time::timeout(STEP, req.send())
            .await
            .expect("answer in time")
            .expect("request");
        let status = resp.status().as_u16();
        if resp
            .headers()
            .get("content-type")
            .is_some_and(|c| c.to_str().unwrap_or("").starts_with("text/event-stream"))
        {
            return (status, Value::Null);
        }
        let text = resp.text().await.unwrap_or_default();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    async fn ok<T: serde::de::DeserializeOwned>(
        &self,
        method: &str,
        path: &str,
        token: &str,
        body: Value,
    ) -> T {
        let (status, v) = self.call(method, path, token, Some(&body)).await;
        assert!(
            (200..300).contains(&status),
            "{method} {path}: {status} {v}"
        );
        serde_json::from_value(v).unwrap()
    }

    /// A user added through the admin API with the bootstrap token: its token.
    async fn user(&self, body: Value) -> String {
        let mut body = body;
        body["by"] = json!("测试管理员");
        let (status, v) = self
            .call("POST", "/api/v1/admin/users", BOOTSTRAP, Some(&body))
            .await;
        assert_eq!(status, 201, "{v}");
        v["token"].as_str().expect("the token, once").to_owned()
    }

    async fn first_alert(&self) -> String {
        let page: Page<Alert> = self
            .ok("GET", "/api/v1/alerts", BOOTSTRAP, Value::Null)
            .await;
        page.items[0].id.to_string()
    }

    async fn first_incident(&self) -> String {
        let page: Page<Incident> = self
            .ok("GET", "/api/v1/incidents", BOOTSTRAP, Value::Null)
            .await;
        page.items[0].id.clone()
    }
}

#[derive(Parser)]
struct AdminCli {
    #[command(flatten)]
    args: AdminArgs,
}

fn admin(db: &Path, now: Timestamp, args: &[&str]) -> Outcome {
    let mut argv = vec!["admin", "--db", db.to_str().unwrap(), "--by", "测试管理员"];
    argv.extend_from_slice(args);
    let cli = AdminCli::try_parse_from(argv).unwrap_or_else(|e| panic!("{e}"));
    watchroom::server::admin::cli::run(cli.args, None, None, now)
}

/// What a route needs.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Need {
    Read,
    Duty,
    Instruction,
    Admin,
}

struct Tok {
    label: &'static str,
    token: String,
    /// The name a body gives for the actor: the token's own person, the person at a
    /// seat, or someone (for tokens that name nobody).
    name: &'static str,
    personal: bool,
    allowed: fn(Need) -> bool,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_under_every_role_is_allowed_or_403_never_a_500() {
    let o = office().await;
    let toks = vec![
        Tok {
            label: "viewer",
            token: o.user(json!({"name": "测试观察", "role": "viewer"})).await,
            name: "测试观察",
            personal: true,
            allowed: |n| n == Need::Read,
        },
        Tok {
            label: "officer",
            token: o
                .user(json!({"name": "测试值班员", "role": "officer"}))
                .await,
            name: "测试值班员",
            personal: true,
            allowed: |n| matches!(n, Need::Read | Need::Duty),
        },
        Tok {
            label: "chief",
            token: o.user(json!({"name": "测试值班长", "role": "chief"})).await,
            name: "测试值班长",
            personal: true,
            allowed: |n| n != Need::Admin,
        },
        Tok {
            label: "leader",
            token: o.user(json!({"name": "测试领导", "role": "leader"})).await,
            name: "测试领导",
            personal: true,
            allowed: |n| n != Need::Admin,
        },
        Tok {
            label: "admin",
            token: o.user(json!({"name": "测试管理", "role": "admin"})).await,
            name: "测试管理",
            personal: true,
            allowed: |n| matches!(n, Need::Read | Need::Admin),
        },
        Tok {
            label: "seat (officer)",
            token: o.user(json!({"seat": "值班台1", "role": "officer"})).await,
            name: "席上某人",
            personal: false,
            allowed: |n| matches!(n, Need::Read | Need::Duty),
        },
        Tok {
            label: "bootstrap",
            token: BOOTSTRAP.to_owned(),
            name: "某人",
            personal: false,
            allowed: |n| matches!(n, Need::Read | Need::Admin),
        },
        Tok {
            label: "--viewer-token",
            token: LISTED_VIEWER.to_owned(),
            name: "某人",
            personal: false,
            allowed: |n| n == Need::Read,
        },
    ];
    let alert = o.first_alert().await;
    let incident = o.first_incident().await;
    let mut counts = std::collections::BTreeMap::<&str, (usize, usize)>::new();
    let mut n = 0;
    for tok in &toks {
        n += 1;
        // Records to act on, fresh for each token where acting twice would differ. The
        // handover is signed at the seat by someone none of the tokens is: its outgoing
        // officer could not confirm it.
        let handover: Handover = o
            .ok("POST", "/api/v1/handovers", &toks[5].token, json!({"outgoing": "测试交班人", "shift_start": "2026-11-28T08:30:00+08:00", "shift_end": "2026-11-29T08:30:00+08:00"}))
            .await;
        let victim = o
            .user(json!({"name": format!("待停用{n}"), "role": "viewer"}))
            .await;
        drop(victim);
        let users: Page<Value> = o
            .ok("GET", "/api/v1/admin/users", BOOTSTRAP, Value::Null)
            .await;
        let victim_id = users
            .items
            .iter()
            .rev()
            .find(|u| u["name"] == format!("待停用{n}"))
            .expect("the user")["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let by = if tok.personal {
            json!(null)
        } else {
            json!("测试管理员")
        };
        let name = tok.name;
        let with = |mut v: Value, field: &str| {
            v[field] = json!(name);
            v
        };
        let routes: Vec<(&str, String, Need, Option<Value>)> = vec![
            ("GET", "/api/v1/health".into(), Need::Read, None),
            ("GET", "/api/v1/me".into(), Need::Read, None),
            ("GET", "/api/v1/org".into(), Need::Read, None),
            ("GET", "/api/v1/alerts".into(), Need::Read, None),
            ("GET", format!("/api/v1/alerts/{alert}"), Need::Read, None),
            ("GET", "/api/v1/incidents".into(), Need::Read, None),
            (
                "GET",
                format!("/api/v1/incidents/{incident}"),
                Need::Read,
                None,
            ),
            (
                "GET",
                format!("/api/v1/incidents/{incident}/timeline"),
                Need::Read,
                None,
            ),
            ("GET", "/api/v1/roster".into(), Need::Read, None),
            ("GET", "/api/v1/experts".into(), Need::Read, None),
            ("GET", "/api/v1/handovers".into(), Need::Read, None),
            ("GET", "/api/v1/events".into(), Need::Read, None),
            (
                "POST",
                "/api/v1/alerts".into(),
                Need::Duty,
                Some(
                    json!({"source": "测试市气象台", "signal_type": "大雾", "colour": "yellow", "title": "大雾黄色预警信号"}),
                ),
            ),
            (
                "POST",
                format!("/api/v1/alerts/{alert}/ack"),
                Need::Duty,
                Some(with(json!({"note": "已阅"}), "officer")),
            ),
            (
                "POST",
                format!("/api/v1/alerts/{alert}/silence"),
                Need::Duty,
                Some(with(
                    json!({"reason": "处置中", "until": "2026-11-29T04:00:00Z"}),
                    "officer",
                )),
            ),
            (
                "POST",
                "/api/v1/incidents".into(),
                Need::Duty,
                Some(json!({"title": "测试区某路段积水", "grade": "IV"})),
            ),
            (
                "PATCH",
                format!("/api/v1/incidents/{incident}"),
                Need::Duty,
                Some(json!({"district": "南山区"})),
            ),
            (
                "POST",
                format!("/api/v1/incidents/{incident}/timeline"),
                Need::Duty,
                Some(with(json!({"kind": "记录", "text": "电话核实"}), "author")),
            ),
            (
                "POST",
                format!("/api/v1/incidents/{incident}/timeline"),
                Need::Instruction,
                Some(with(
                    json!({"kind": "批示", "text": "全力救治", "leader": "王某某"}),
                    "author",
                )),
            ),
            (
                "POST",
                format!("/api/v1/incidents/{incident}/timeline"),
                Need::Instruction,
                Some(with(json!({"kind": "办结", "text": "已办结"}), "author")),
            ),
            (
                "POST",
                "/api/v1/handovers".into(),
                Need::Duty,
                Some(with(
                    json!({"shift_start": "2026-11-28T08:30:00+08:00", "shift_end": "2026-11-29T08:30:00+08:00"}),
                    "outgoing",
                )),
            ),
            (
                "POST",
                format!("/api/v1/handovers/{}/confirm", handover.id),
                Need::Duty,
                Some(with(json!({}), "incoming")),
            ),
            (
                "POST",
                "/api/v1/admin/experts/import?name=pool.json".into(),
                Need::Admin,
                Some(json!([])),
            ),
            (
                "POST",
                "/api/v1/admin/roster/import?name=roster.csv".into(),
                Need::Admin,
                Some(json!("日期,开始,结束,角色,姓名,电话")),
            ),
            (
                "POST",
                "/api/v1/admin/roster/swaps".into(),
                Need::Admin,
                Some(
                    json!({"shift_id": "no-such-shift", "person": "孙某杰", "asked_by": "林某婷", "approved_by": "王某某", "by": by}),
                ),
            ),
            (
                "PUT",
                "/api/v1/admin/org".into(),
                Need::Admin,
                Some(json!({"handover": "08:30", "by": by})),
            ),
            ("GET", "/api/v1/admin/log".into(), Need::Admin, None),
            ("GET", "/api/v1/admin/users".into(), Need::Admin, None),
            (
                "POST",
                "/api/v1/admin/users".into(),
                Need::Admin,
                Some(json!({"name": format!("新同事{n}"), "role": "officer", "by": by})),
            ),
            (
                "POST",
                format!("/api/v1/admin/users/{victim_id}/token"),
                Need::Admin,
                Some(json!({"by": by})),
            ),
            (
                "POST",
                format!("/api/v1/admin/users/{victim_id}/disable"),
                Need::Admin,
                Some(json!({"by": by})),
            ),
            ("GET", "/api/v1/audit".into(), Need::Admin, None),
        ];
        for (method, path, need, body) in &routes {
            let body = body.clone().map(|mut b| {
                if b.get("by").is_some_and(Value::is_null) {
                    b.as_object_mut().unwrap().remove("by");
                }
                b
            });
            let (status, answer) = o.call(method, path, &tok.token, body.as_ref()).await;
            let expect = (tok.allowed)(*need);
            assert!(
                status < 500,
                "{} {method} {path}: {status} {answer}",
                tok.label
            );
            assert_ne!(status, 401, "{} {method} {path}: {answer}", tok.label);
            if expect {
                assert_ne!(status, 403, "{} may {method} {path}: {answer}", tok.label);
            } else {
                assert_eq!(
                    status, 403,
                    "{} may not {method} {path}: {answer}",
                    tok.label
                );
                assert!(
                    answer["error"].as_str().is_some_and(|e| !e.is_empty()),
                    "{answer}"
                );
            }
            let c = counts.entry(tok.label).or_default();
            if expect { c.0 += 1 } else { c.1 += 1 }
        }
    }
    let (allowed, refused) = counts.values().fold((0, 0), |a, c| (a.0 + c.0, a.1 + c.1));
    for (label, (a, r)) in &counts {
        println!("role × route: {label}: {a} allowed, {r} refused (403)");
    }
    println!(
        "role × route: {} cases: {allowed} allowed, {refused} refused, no 500",
        allowed + refused
    );
    assert_eq!(allowed + refused, 32 * toks.len());
    o.server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_ack_naming_another_person_is_refused_saying_whose_token_it_is() {
    let o = office().await;
    let token = o
        .user(json!({"name": "林某婷", "role": "officer", "phone": "100-0000-0001"}))
        .await;
    let me: Me = o.ok("GET", "/api/v1/me", &token, Value::Null).await;
    assert_eq!(
        (me.kind.as_str(), me.role.as_str(), me.person.as_deref()),
        ("personal", "officer", Some("林某婷"))
    );
    assert!(me.token_id.starts_with("tok-") && !token.contains(&me.token_id));
    let alert = o.first_alert().await;
    let path = format!("/api/v1/alerts/{alert}/ack");
    let (status, answer) = o
        .call(
            "POST",
            &path,
            &token,
            Some(&json!({"officer": "罗某然", "note": "代签"})),
        )
        .await;
    assert_eq!(status, 403, "{answer}");
    assert_eq!(answer["field"], "officer");
    let error = answer["error"].as_str().unwrap();
    assert!(
        error.contains("林某婷") && error.contains("罗某然"),
        "{error}"
    );
    // Left out, the name is the token's person; given, it must be theirs.
    let acked: Alert = o
        .ok("POST", &path, &token, json!({"note": "已报带班领导"}))
        .await;
    let ack = acked.ack.expect("acknowledged");
    assert_eq!(
        (ack.officer.as_str(), ack.seat.as_deref()),
        ("林某婷", None)
    );
    let again: Alert = o
        .ok("POST", &path, &token, json!({"officer": "林某婷"}))
        .await;
    assert_eq!(again.ack.unwrap().officer, "林某婷");
    // A handover cannot be signed or confirmed under someone else's name either.
    let (status, answer) = o.call("POST", "/api/v1/handovers", &token, Some(&json!({"outgoing": "别人", "shift_start": "2026-11-28T08:30:00+08:00", "shift_end": "2026-11-29T08:30:00+08:00"}))).await;
    assert_eq!(
        (status, answer["field"].as_str()),
        (403, Some("outgoing")),
        "{answer}"
    );
    // An officer records no leader instruction.
    let incident = o.first_incident().await;
    let (status, answer) = o
        .call(
            "POST",
            &format!("/api/v1/incidents/{incident}/timeline"),
            &token,
            Some(&json!({"kind": "批示", "text": "x"})),
        )
        .await;
    assert_eq!(
        (status, answer["field"].as_str()),
        (403, Some("kind")),
        "{answer}"
    );
    o.server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shared_seat_s_writes_carry_the_person_typed_there_and_the_seat() {
    let o = office().await;
    let seat = o.user(json!({"seat": "值班台1", "role": "officer"})).await;
    let me: Me = o.ok("GET", "/api/v1/me", &seat, Value::Null).await;
    assert_eq!(
        (me.kind.as_str(), me.person, me.seat.as_deref()),
        ("seat", None, Some("值班台1"))
    );
    let alert = o.first_alert().await;
    let path = format!("/api/v1/alerts/{alert}/ack");
    let (status, answer) = o
        .call("POST", &path, &seat, Some(&json!({"note": "无名"})))
        .await;
    assert_eq!(
        (status, answer["field"].as_str()),
        (400, Some("officer")),
        "{answer}"
    );
    let acked: Alert = o
        .ok(
            "POST",
            &path,
            &seat,
            json!({"officer": "罗某然", "note": "已阅"}),
        )
        .await;
    let ack = acked.ack.unwrap();
    assert_eq!(
        (ack.officer.as_str(), ack.seat.as_deref()),
        ("罗某然", Some("值班台1"))
    );
    let incident = o.first_incident().await;
    let entry: TimelineEntry = o
        .ok(
            "POST",
            &format!("/api/v1/incidents/{incident}/timeline"),
            &seat,
            json!({"author": "冯某楠", "kind": "记录", "text": "电话核实"}),
        )
        .await;
    assert_eq!(
        (entry.author.as_str(), entry.seat.as_deref()),
        ("冯某楠", Some("值班台1"))
    );
    let audit: Page<Value> = o.ok("GET", "/api/v1/audit", BOOTSTRAP, Value::Null).await;
    let row = audit
        .items
        .iter()
        .find(|r| r["target"] == entry.id.as_str())
        .expect("the entry's audit row");
    assert_eq!(
        (row["by"].as_str(), row["seat"].as_str()),
        (Some("冯某楠"), Some("值班台1"))
    );
    o.server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_correction_is_a_new_entry_and_the_original_stays() {
    let o = office().await;
    let token = o.user(json!({"name": "林某婷", "role": "officer"})).await;
    let incident = o.first_incident().await;
    let path = format!("/api/v1/incidents/{incident}/timeline");
    let wrong: TimelineEntry = o
        .ok(
            "POST",
            &path,
            &token,
            json!({"kind": "核实", "text": "伤者 3 人"}),
        )
        .await;
    let fix: TimelineEntry = o
        .ok(
            "POST",
            &path,
            &token,
            json!({"kind": "更正", "text": "伤者 2 人（前报 3 人有误）", "corrects": wrong.id}),
        )
        .await;
    assert_eq!(fix.corrects.as_deref(), Some(wrong.id.as_str()));
    let page: Page<TimelineEntry> = o.ok("GET", &path, &token, Value::Null).await;
    let original = page
        .items
        .iter()
        .find(|e| e.id == wrong.id)
        .expect("the original is kept");
    assert_eq!(original, &wrong, "the original is unchanged");
    assert!(page.items.iter().any(|e| e.id == fix.id));
    let (status, answer) = o
        .call(
            "POST",
            &path,
            &token,
            Some(&json!({"kind": "更正", "text": "x", "corrects": "entry-none"})),
        )
        .await;
    assert_eq!(
        (status, answer["field"].as_str()),
        (400, Some("corrects")),
        "{answer}"
    );
    o.server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_write_is_in_the_audit_trail_with_its_token_id_and_address() {
    let o = office().await;
    let officer = o.user(json!({"name": "林某婷", "role": "officer"})).await;
    let leader = o.user(json!({"name": "王某某", "role": "leader"})).await;
    let alert = o.first_alert().await;
    let mut targets = Vec::new();
    let a: Alert = o.ok("POST", "/api/v1/alerts", &officer, json!({"source": "测试市气象台", "signal_type": "大雾", "colour": "yellow", "title": "大雾黄色预警信号"})).await;
    targets.push(("POST /api/v1/alerts", a.id.to_string()));
    let _: Alert = o
        .ok(
            "POST",
            &format!("/api/v1/alerts/{alert}/ack"),
            &officer,
            json!({}),
        )
        .await;
    targets.push(("POST /api/v1/alerts/{id}/ack", alert.clone()));
    let _: Alert = o
        .ok(
            "POST",
            &format!("/api/v1/alerts/{alert}/silence"),
            &officer,
            json!({"reason": "处置中", "until": "2026-11-29T04:00:00Z"}),
        )
        .await;
    targets.push(("POST /api/v1/alerts/{id}/silence", alert.clone()));
    let i: Incident = o
        .ok(
            "POST",
            "/api/v1/incidents",
            &officer,
            json!({"title": "测试区某路段积水", "grade": "IV"}),
        )
        .await;
    targets.push(("POST /api/v1/incidents", i.id.clone()));
    let _: Incident = o
        .ok(
            "PATCH",
            &format!("/api/v1/incidents/{}", i.id),
            &officer,
            json!({"status": "closed"}),
        )
        .await;
    targets.push(("PATCH /api/v1/incidents/{id}", i.id.clone()));
    let e: TimelineEntry = o
        .ok(
            "POST",
            &format!("/api/v1/incidents/{}/timeline", i.id),
            &leader,
            json!({"kind": "批示", "text": "全力处置"}),
        )
        .await;
    targets.push(("POST /api/v1/incidents/{id}/timeline", e.id.clone()));
    let h: Handover = o.ok("POST", "/api/v1/handovers", &officer, json!({"shift_start": "2026-11-28T08:30:00+08:00", "shift_end": "2026-11-29T08:30:00+08:00"})).await;
    targets.push(("POST /api/v1/handovers", h.id.clone()));
    let _: Handover = o
        .ok(
            "POST",
            &format!("/api/v1/handovers/{}/confirm", h.id),
            &leader,
            json!({}),
        )
        .await;
    targets.push(("POST /api/v1/handovers/{id}/confirm", h.id.clone()));
    let _: Value = o
        .ok(
            "PUT",
            "/api/v1/admin/org",
            BOOTSTRAP,
            json!({"name": "测试市应急管理局值班室", "by": "测试管理员"}),
        )
        .await;

    let audit: Page<Value> = o.ok("GET", "/api/v1/audit", BOOTSTRAP, Value::Null).await;
    let text = serde_json::to_string(&audit).unwrap();
    assert!(!text.contains(&officer) && !text.contains(&leader) && !text.contains(BOOTSTRAP));
    for (action, target) in &targets {
        let row = audit
            .items
            .iter()
            .find(|r| r["action"] == *action && r["target"] == target.as_str())
            .unwrap_or_else(|| panic!("no audit row for {action} {target}: {text}"));
        assert!(
            row["token_id"]
                .as_str()
                .is_some_and(|t| t.starts_with("tok-")),
            "{row}"
        );
        assert_eq!(row["address"], "127.0.0.1", "{row}");
        assert!(row["by"] == "林某婷" || row["by"] == "王某某", "{row}");
        assert!(row["at"].as_str().is_some());
    }
    for action in ["user.add", "org.set"] {
        let row = audit
            .items
            .iter()
            .rev()
            .find(|r| r["action"] == action)
            .unwrap_or_else(|| panic!("{action}: {text}"));
        assert!(
            row["token_id"]
                .as_str()
                .is_some_and(|t| t.starts_with("bootstrap-")),
            "{row}"
        );
    }
    // The same trail from the command line, from a date on.
    let out = admin(&o.db, Timestamp::now(), &["audit", "--since", "2026-01-01"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("POST /api/v1/alerts/{id}/ack") && out.stdout.contains("林某婷"),
        "{}",
        out.stdout
    );
    let later = admin(
        &o.db,
        Timestamp::now(),
        &["audit", "--since", "2999-01-01T00:00:00Z"],
    );
    assert_eq!(later.stdout, "");
    o.server.shutdown().await;
}

#[test]
fn users_are_added_listed_rotated_and_disabled_and_tokens_never_kept_or_logged_in_clear() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("duty.db");
    let now: Timestamp = "2026-11-29T03:00:00Z".parse().unwrap();
    let added = admin(
        &db,
        now,
        &[
            "user",
            "add",
            "林某婷",
            "--role",
            "officer",
            "--phone",
            "100-0000-0001",
        ],
    );
    assert_eq!(added.code, 0, "{}", added.stderr);
    let token = added
        .stdout
        .lines()
        .find(|l| l.starts_with("wr_"))
        .expect("the token, once")
        .to_owned();
    assert_eq!(token.len(), 3 + 64);
    assert!(!added.stderr.contains(&token));
    let bad = admin(&db, now, &["user", "add", "某人", "--role", "driver"]);
    assert!(
        bad.code != 0 && bad.stderr.contains("--role"),
        "{}",
        bad.stderr
    );
    let seat = admin(
        &db,
        now,
        &["user", "add", "--seat", "值班台1", "--role", "officer"],
    );
    assert!(seat.stdout.contains("(shared seat)"), "{}", seat.stdout);
    let list = admin(&db, now, &["user", "list"]);
    assert!(
        list.stdout.contains("林某婷")
            && list.stdout.contains("officer")
            && list.stdout.contains("active")
    );
    assert!(!list.stdout.contains(&token));

    // A real server on loopback, its output captured.
    let mut child = Command::new(env!("CARGO_BIN_EXE_watchroom"))
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--token",
            BOOTSTRAP,
            "--db",
        ])
        .arg(&db)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start watchroom serve");
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut banner = String::new();
    stdout.read_line(&mut banner).unwrap();
    let url = banner
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap()
        .to_owned();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let status = |token: &str| {
        rt.block_on(async {
            reqwest::Client::new()
                .get(format!("{url}/api/v1/me"))
                .bearer_auth(token)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        })
    };
    assert_eq!(status(&token), 200);
    let rotated = admin(&db, now, &["token", "rotate", "林某婷"]);
    let fresh = rotated
        .stdout
        .lines()
        .find(|l| l.starts_with("wr_"))
        .expect("a new token")
        .to_owned();
    assert_eq!((status(&token), status(&fresh)), (401, 200));
    let disabled = admin(&db, now, &["user", "disable", "林某婷"]);
    assert!(disabled.stdout.contains("disabled"), "{}", disabled.stdout);
    assert_eq!(status(&fresh), 401);
    let log = admin(&db, now, &["log"]);
    assert!(
        log.stdout.contains("user.add")
            && log.stdout.contains("token.rotate")
            && log.stdout.contains("user.disable")
    );
    let _ = child.kill();
    let _ = child.wait();
    let mut said = banner;
    stdout.read_to_string(&mut said).unwrap();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut said)
        .unwrap();

    let mut stored = Vec::new();
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        stored.extend(std::fs::read(entry.unwrap().path()).unwrap());
    }
    let stored = String::from_utf8_lossy(&stored);
    for t in [&token, &fresh] {
        assert!(
            !stored.contains(t.as_str()),
            "a token is in the database in clear"
        );
        assert!(
            !stored.contains(&t[3..]),
            "a token's secret is in the database"
        );
        assert!(
            !said.contains(t.as_str()),
            "the server said a token: {said}"
        );
        assert!(!log.stdout.contains(t.as_str()));
    }
    let hash = watchroom::server::token_hash(&fresh);
    assert!(stored.contains(&hash), "the database keeps the hash");
}
