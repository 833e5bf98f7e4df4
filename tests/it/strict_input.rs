//! What the duty API refuses: times that are not RFC 3339, fields a request does not
//! take, a handover confirmed under another person's name — each a 400 or 403 naming the
//! field — while every request the console itself sends is still taken.

use crate::support::fixture;
use serde_json::{Value, json};
use std::time::Duration;
use tempfile::TempDir;
use watchroom::app::command::CommandBody;
use watchroom::model::{Alert, Handover, Incident, Page};
use watchroom::server::{Clock, Role, RunningServer, ServeOptions};

const BOOTSTRAP: &str = "strict-bootstrap-1";
const STEP: Duration = Duration::from_secs(30);

struct Office {
    server: RunningServer,
    http: reqwest::Client,
    /// Personal tokens of two officers, 测试甲 and 测试乙, and a shared seat's.
    jia: String,
    yi: String,
    seat: String,
    _dir: TempDir,
}

async fn office() -> Office {
    let dir = TempDir::new().unwrap();
    let opts = ServeOptions {
        tokens: vec![BOOTSTRAP.into()],
        clock: Clock::from_fn(|| "2026-11-29T03:00:00Z".parse().unwrap()),
        ..ServeOptions::demo(
            "127.0.0.1:0".parse().unwrap(),
            dir.path().join("duty.sqlite"),
        )
    };
    let server = tokio::time::timeout(STEP, watchroom::server::start(opts))
        .await
        .expect("server start in time")
        .expect("server starts");
    let jia = server
        .add_user("测试甲", Role::Officer, false)
        .await
        .unwrap();
    let yi = server
        .add_user("测试乙", Role::Officer, false)
        .await
        .unwrap();
    let seat = server
        .add_user("值班台9", Role::Officer, true)
        .await
        .unwrap();
    Office {
        server,
        http: reqwest::Client::new(),
        jia,
        yi,
        seat,
        _dir: dir,
    }
}

impl Office {
    async fn call(&self, method: &str, path: &str, token: &str, body: &Value) -> (u16, Value) {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let url = format!("http://{}{path}", self.server.addr);
        let mut req = self.http.request(method, url).bearer_auth(token);
        if !body.is_null() {
            req = req.json(body);
        }
        let resp = tokio::time::timeout(STEP, req.send())
            .await
            .expect("answer in time")
            .expect("request");
        let status = resp.status().as_u16();
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
        let (status, v) = self.call(method, path, token, &body).await;
        assert!(
            (200..300).contains(&status),
            "{method} {path}: {status} {v}"
        );
        serde_json::from_value(v).unwrap()
    }

    /// Asserts a 400 whose `field` is `field` and whose message names it.
    async fn refused(&self, method: &str, path: &str, token: &str, body: Value, field: &str) {
        let (status, v) = self.call(method, path, token, &body).await;
        assert_eq!(
            (status, v["field"].as_str()),
            (400, Some(field)),
            "{method} {path} {body}: {v}"
        );
        let error = v["error"].as_str().unwrap_or_default();
        assert!(error.contains(field), "{error}");
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

    async fn handover(&self, token: &str) -> Handover {
        self.ok(
            "POST",
            "/api/v1/handovers",
            token,
            json!({"shift_start": "2026-11-28T08:30:00+08:00", "shift_end": "2026-11-29T08:30:00+08:00"}),
        )
        .await
    }
}

fn with(mut body: Value, key: &str, value: Value) -> Value {
    body[key] = value;
    body
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn times_that_are_not_rfc_3339_are_refused_naming_the_field() {
    let o = office().await;
    let alert = json!({"source": "测试市气象台", "signal_type": "暴雨", "colour": "blue", "title": "暴雨蓝色预警"});
    let loose = [
        "2026-11-29T08:30:00+25:00",
        "20261129T083000Z",
        "2026-11-29 08:30:00+08:00",
        "0001-01-01T00:00:00Z",
        "-9999-01-01T00:00:00Z",
        "2026-11-29T08:30:00",
    ];
    for t in loose {
        for field in ["sent", "effective", "expires"] {
            let body = with(alert.clone(), field, json!(t));
            o.refused("POST", "/api/v1/alerts", &o.jia, body, field)
                .await;
        }
    }
    let a = o.first_alert().await;
    let silence = json!({"reason": "已通知", "until": loose[0]});
    o.refused(
        "POST",
        &format!("/api/v1/alerts/{a}/silence"),
        &o.jia,
        silence,
        "until",
    )
    .await;
    let i = o.first_incident().await;
    let entry = json!({"kind": "记录", "text": "电话核实", "at": loose[2]});
    o.refused(
        "POST",
        &format!("/api/v1/incidents/{i}/timeline"),
        &o.jia,
        entry,
        "at",
    )
    .await;
    let incident = json!({"title": "测试区某路段积水", "grade": "IV", "opened_at": loose[3]});
    o.refused("POST", "/api/v1/incidents", &o.jia, incident, "opened_at")
        .await;
    let shift = json!({"shift_start": loose[1], "shift_end": "2026-11-29T08:30:00+08:00"});
    o.refused("POST", "/api/v1/handovers", &o.jia, shift, "shift_start")
        .await;
    // Inside a handover's review, too: the field is named by its place in the record.
    let SignedReport(report) = signed_report();
    let mut report = serde_json::to_value(report).unwrap();
    report["window_start"] = json!(loose[2]);
    let body = json!({"shift_start": "2026-11-28T08:30:00+08:00", "shift_end": "2026-11-29T08:30:00+08:00", "report": report});
    o.refused(
        "POST",
        "/api/v1/handovers",
        &o.jia,
        body,
        "report.window_start",
    )
    .await;
    // A query parameter is a time like any other.
    let (status, v) = o
        .call(
            "GET",
            "/api/v1/roster?from=20261129T000000Z",
            &o.jia,
            &Value::Null,
        )
        .await;
    assert_eq!((status, v["field"].as_str()), (400, Some("from")), "{v}");

    // The strict form in every variant the RFC allows is taken.
    for t in [
        "2026-11-29T08:30:00+08:00",
        "2026-11-29T00:30:00.25Z",
        "2026-11-29T00:30:00-00:00",
    ] {
        let body = with(alert.clone(), "sent", json!(t));
        let stored: Alert = o.ok("POST", "/api/v1/alerts", &o.jia, body).await;
        assert_eq!(stored.sent, t.parse().unwrap());
    }
    o.server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_fields_are_refused_naming_the_field() {
    let o = office().await;
    let (a, i) = (o.first_alert().await, o.first_incident().await);
    let h = o.handover(&o.jia).await;
    let cases = [
        (
            "POST",
            "/api/v1/alerts".to_owned(),
            json!({"source": "测试市气象台", "signal_type": "暴雨", "colour": "blue", "title": "暴雨蓝色预警", "expiry": "2026-11-29T08:30:00+08:00"}),
            "expiry",
        ),
        (
            "POST",
            format!("/api/v1/alerts/{a}/ack"),
            json!({"note": "已报", "notes": "已报带班领导"}),
            "notes",
        ),
        (
            "POST",
            format!("/api/v1/alerts/{a}/silence"),
            json!({"reason": "处置中", "until": "2026-11-29T04:00:00+08:00", "for": 30}),
            "for",
        ),
        (
            "POST",
            "/api/v1/incidents".to_owned(),
            json!({"title": "测试区某路段积水", "grade": "IV", "level": "IV"}),
            "level",
        ),
        (
            "PATCH",
            format!("/api/v1/incidents/{i}"),
            json!({"status": "closed", "closed": true}),
            "closed",
        ),
        (
            "POST",
            format!("/api/v1/incidents/{i}/timeline"),
            json!({"kind": "记录", "text": "核实", "officer": "测试甲"}),
            "officer",
        ),
        (
            "POST",
            "/api/v1/handovers".to_owned(),
            json!({"shift_start": "2026-11-28T08:30:00+08:00", "shift_end": "2026-11-29T08:30:00+08:00", "note": "x"}),
            "note",
        ),
        (
            "POST",
            format!("/api/v1/handovers/{}/confirm", h.id),
            json!({"officer": "测试乙"}),
            "officer",
        ),
    ];
    for (method, path, body, field) in cases {
        o.refused(method, &path, &o.yi, body, field).await;
    }
    // Fields only the server sets are refused, not dropped.
    let echoed = json!({"source": "测试市气象台", "signal_type": "暴雨", "colour": "blue", "title": "暴雨蓝色预警", "ack": {"officer": "测试甲"}});
    o.refused("POST", "/api/v1/alerts", &o.jia, echoed, "ack")
        .await;
    // So are the admin routes'.
    let admin = [
        (
            "POST",
            "/api/v1/admin/users".to_owned(),
            json!({"name": "测试丙", "role": "officer", "by": "测试管理员", "mobile": "100"}),
            "mobile",
        ),
        (
            "PUT",
            "/api/v1/admin/org".to_owned(),
            json!({"name": "测试市应急管理局", "by": "测试管理员", "timezone": "Asia/Shanghai"}),
            "timezone",
        ),
        (
            "POST",
            "/api/v1/admin/roster/swaps".to_owned(),
            json!({"shift_id": "s", "person": "测试丙", "asked_by": "测试甲", "approved_by": "测试乙", "by": "测试管理员", "why": "x"}),
            "why",
        ),
        (
            "POST",
            "/api/v1/admin/users/u/disable".to_owned(),
            json!({"by": "测试管理员", "user": "u"}),
            "user",
        ),
    ];
    for (method, path, body, field) in admin {
        o.refused(method, &path, BOOTSTRAP, body, field).await;
    }
    // A handover's review is a record of known fields too.
    let SignedReport(report) = signed_report();
    let mut report = serde_json::to_value(report).unwrap();
    report["warnings_in_force"][0]["colour_name"] = json!("红色");
    let body = json!({"shift_start": "2026-11-28T08:30:00+08:00", "shift_end": "2026-11-29T08:30:00+08:00", "report": report});
    o.refused(
        "POST",
        "/api/v1/handovers",
        &o.jia,
        body,
        "report.warnings_in_force[0].colour_name",
    )
    .await;
    o.server.shutdown().await;
}

/// A review as the console signs it, from the fixed watch-room state, with an
/// acknowledged alert in it.
struct SignedReport(watchroom::model::HandoverReport);

fn signed_report() -> SignedReport {
    let watchroom::sources::SourceEvent::Snapshot {
        mut alerts,
        incidents,
        shifts,
    } = fixture::snapshot()
    else {
        unreachable!()
    };
    alerts[0].ack = Some(Box::new(watchroom::model::Ack {
        officer: "测试甲".into(),
        note: "已报带班领导".into(),
        at: fixture::now(),
        seat: None,
    }));
    let tz = jiff::tz::TimeZone::get("Asia/Shanghai").unwrap();
    let rules = watchroom::app::deadlines::ReportRules::default();
    let report = watchroom::handover::build(&watchroom::handover::Inputs {
        office: "测试市应急管理局值班室",
        tz: &tz,
        now: fixture::now(),
        since: None,
        alerts: &alerts,
        incidents: &incidents,
        shifts: &shifts,
        rules: &rules,
        notes: "注意龙岗边坡夜间巡查",
    });
    assert!(
        !report.warnings_in_force.is_empty() && !report.incoming.is_empty(),
        "the review has lines to check"
    );
    SignedReport(report)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_request_the_console_sends_is_taken() {
    let o = office().await;
    let (alert, incident) = (o.first_alert().await, o.first_incident().await);
    let at = fixture::now();
    let SignedReport(report) = signed_report();
    let bodies = [
        CommandBody::Ack {
            alert_id: alert.clone(),
            officer: "测试甲".into(),
            note: "已报带班领导".into(),
        },
        CommandBody::Silence {
            alert_id: alert.clone(),
            officer: "测试甲".into(),
            reason: "已电话通知区三防办".into(),
            until: at + jiff::SignedDuration::from_hours(1),
        },
        CommandBody::Timeline {
            incident_id: incident.clone(),
            author: "测试甲".into(),
            kind: "续报".into(),
            text: "续报二：现场已封控".into(),
            at,
            leader: None,
            assignee: None,
            refers_to: None,
            corrects: None,
        },
        CommandBody::OpenIncident {
            id: "inc-strict-1".into(),
            title: "测试区某路段积水".into(),
            grade: watchroom::model::Grade::IV,
            category: "内涝".into(),
            district: "测试区".into(),
            opened_at: at,
        },
        CommandBody::Handover {
            outgoing: "测试甲".into(),
            shift_start: at - jiff::SignedDuration::from_hours(19),
            shift_end: at + jiff::SignedDuration::from_hours(5),
            notes: "注意龙岗边坡夜间巡查".into(),
            report: Box::new(report.clone()),
        },
    ];
    for (n, body) in bodies.iter().enumerate() {
        let (path, json) = body.request(&format!("strict-{n}"));
        let _: Value = o.ok("POST", &path, &o.jia, json).await;
    }
    let signed: Page<Handover> = o.ok("GET", "/api/v1/handovers", &o.yi, Value::Null).await;
    let signed = &signed.items[0];
    assert_eq!(signed.report.as_ref(), Some(&report), "stored as signed");
    let confirm = CommandBody::ConfirmHandover {
        handover_id: signed.id.clone(),
        incoming: "测试乙".into(),
    };
    let (path, json) = confirm.request("strict-confirm");
    let confirmed: Handover = o.ok("POST", &path, &o.yi, json).await;
    assert_eq!(confirmed.incoming, "测试乙");
    o.server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_handover_is_confirmed_only_under_the_token_s_person() {
    let o = office().await;
    let h = o.handover(&o.jia).await;
    let path = format!("/api/v1/handovers/{}/confirm", h.id);
    // 测试乙's token, 罗某然's name: refused, saying whose token it is.
    let (status, v) = o
        .call("POST", &path, &o.yi, &json!({"incoming": "罗某然"}))
        .await;
    assert_eq!(
        (status, v["field"].as_str()),
        (403, Some("incoming")),
        "{v}"
    );
    assert!(
        v["error"]
            .as_str()
            .unwrap_or_default()
            .contains("测试乙's token"),
        "{v}"
    );
    // The outgoing officer cannot take over from themselves.
    let (status, v) = o.call("POST", &path, &o.jia, &json!({})).await;
    assert_eq!(
        (status, v["field"].as_str()),
        (403, Some("incoming")),
        "{v}"
    );
    assert!(
        v["error"].as_str().unwrap_or_default().contains("测试甲"),
        "{v}"
    );
    let unconfirmed: Page<Handover> = o.ok("GET", "/api/v1/handovers", &o.yi, Value::Null).await;
    assert_eq!(unconfirmed.items[0].confirmed_at, None);
    // Their own name, or none, is theirs.
    let confirmed: Handover = o.ok("POST", &path, &o.yi, json!({})).await;
    assert_eq!(
        (
            confirmed.incoming.as_str(),
            confirmed.incoming_seat.as_deref()
        ),
        ("测试乙", None)
    );
    // At a shared seat, the person typed there, with the seat.
    let h = o.handover(&o.jia).await;
    let path = format!("/api/v1/handovers/{}/confirm", h.id);
    o.refused("POST", &path, &o.seat, json!({}), "incoming")
        .await;
    let confirmed: Handover = o
        .ok("POST", &path, &o.seat, json!({"incoming": "测试丙"}))
        .await;
    assert_eq!(
        (
            confirmed.incoming.as_str(),
            confirmed.incoming_seat.as_deref()
        ),
        ("测试丙", Some("值班台9"))
    );
    o.server.shutdown().await;
}
