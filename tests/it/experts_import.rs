//! The expert importer (CSV in Chinese or English, with or without BOM, bad rows; JSON in the
//! API's shape) and the `watchroom experts` command over files, the backend and the cache.

use std::path::PathBuf;
use watchroom::experts::cli::{ExpertsArgs, run_with};
use watchroom::experts::{cache, import};
use watchroom::model::GroupRole;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/experts")
        .join(name)
}

fn names(imported: &import::Imported) -> Vec<&str> {
    imported
        .directory
        .items
        .iter()
        .map(|e| e.name.as_str())
        .collect()
}

#[test]
fn reads_a_good_file_with_chinese_headers() {
    let got = import::import_file(&fixture("good_zh.csv")).unwrap();
    assert_eq!(got.warnings, Vec::<String>::new());
    assert_eq!(names(&got), ["甲某一", "乙某二", "丙某三"]);
    let first = &got.directory.items[0];
    assert_eq!(first.domain, "事故灾难");
    assert_eq!(first.group, "建设工程与城市生命线");
    assert_eq!(first.role, GroupRole::Leader);
    assert_eq!(first.specialties, ["燃气", "深基坑"]);
    assert_eq!(first.title, "教授级高工");
    assert_eq!(first.organisation, "测试市燃气集团（示例）");
    assert_eq!(first.district, "福田区");
    assert_eq!(first.phones, ["100-0000-0001", "100-0000-0002"]);
    assert!(first.available);
    let second = &got.directory.items[1];
    assert_eq!(second.role, GroupRole::Deputy);
    assert_eq!(second.specialties, ["供水管网", "排水管网"]);
    assert!(!second.available);
    assert_eq!(got.directory.items[2].specialties, ["台风", "暴雨内涝"]);
    assert!(got.directory.items[2].available);
    // Groups and domains are gathered from the rows, in order of appearance.
    let groups: Vec<&str> = got
        .directory
        .groups
        .iter()
        .map(|g| g.name.as_str())
        .collect();
    assert_eq!(groups, ["建设工程与城市生命线", "气象与防汛防风"]);
    assert_eq!(got.directory.domains.len(), 2);
}

#[test]
fn reads_a_file_with_a_bom_and_english_headers() {
    let got = import::import_file(&fixture("bom_en.csv")).unwrap();
    assert_eq!(got.warnings, Vec::<String>::new());
    assert_eq!(names(&got), ["丁某四", "戊某五"]);
    let first = &got.directory.items[0];
    assert_eq!(first.role, GroupRole::Leader);
    assert_eq!(first.specialties, ["传染病", "流行病学"]);
    assert_eq!(first.title, "主任医师");
    assert!(!got.directory.items[1].available);
}

#[test]
fn bad_rows_are_reported_by_file_and_line_and_the_rest_is_read() {
    let path = fixture("bad_rows.csv");
    let got = import::import_file(&path).unwrap();
    assert_eq!(names(&got), ["己某六", "庚某七", "辛某八", "癸某十"]);
    let origin = path.display().to_string();
    let expected = [
        (3, "the name (姓名) is empty; row skipped"),
        (4, "role \"顾问\" is not 组长, 副组长 or 成员; read as 成员"),
        (5, "availability \"也许\""),
        (6, "8 cells but the header has 6 columns"),
    ];
    assert_eq!(got.warnings.len(), expected.len(), "{:#?}", got.warnings);
    for (w, (line, what)) in got.warnings.iter().zip(expected) {
        let prefix = format!("{origin}:{line}: ");
        assert!(w.starts_with(&prefix), "{w} should start with {prefix}");
        assert!(w.contains(what), "{w} should say {what}");
    }
    let last = &got.directory.items[3];
    assert_eq!(last.specialties, ["数据恢复", "取证"]);
    assert!(!last.available);
    assert_eq!(got.directory.items[1].role, GroupRole::Member);
}

#[test]
fn a_row_that_is_not_utf8_is_reported_and_skipped() {
    // 张 in GBK is D5 C5: a sheet saved in the legacy encoding.
    let bytes = b"name,phone\nA,1\n\xd5\xc5,2\nB,3\n";
    let got = import::parse_csv(bytes, "legacy.csv").unwrap();
    assert_eq!(names(&got), ["A", "B"]);
    assert_eq!(got.warnings.len(), 1);
    assert!(
        got.warnings[0].starts_with("legacy.csv:3: not UTF-8"),
        "{:?}",
        got.warnings
    );
}

#[test]
fn unknown_columns_warn_and_a_missing_name_column_fails() {
    let got = import::parse_csv("姓名,备注\n甲某一,夜班\n".as_bytes(), "x.csv").unwrap();
    assert_eq!(names(&got), ["甲某一"]);
    assert_eq!(got.warnings, ["x.csv:1: unknown column \"备注\" ignored"]);
    let err = import::import_file(&fixture("no_name.csv"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("no_name.csv:1: no name column"), "{err}");
    assert!(err.contains("专家"), "{err}");
    let err = import::parse_csv(b"", "empty.csv").unwrap_err().to_string();
    assert!(err.starts_with("empty.csv:"), "{err}");
}

#[test]
fn reads_json_in_the_api_shape_and_as_a_bare_array() {
    let path = fixture("directory.json");
    let got = import::import_file(&path).unwrap();
    assert_eq!(names(&got), ["子某甲", "寅某丙"]);
    assert_eq!(got.warnings.len(), 1, "{:?}", got.warnings);
    assert!(
        got.warnings[0].contains("items[1] (丑某乙)"),
        "{:?}",
        got.warnings
    );
    // The group the file did not list is gathered from the experts.
    let groups: Vec<&str> = got
        .directory
        .groups
        .iter()
        .map(|g| g.name.as_str())
        .collect();
    assert_eq!(groups, ["应急指挥与预案演练", "政策法规与新闻宣传"]);

    let got = import::import_file(&fixture("array.json")).unwrap();
    assert_eq!(names(&got), ["卯某丁"]);
    assert_eq!(got.directory.items[0].role, GroupRole::Deputy);

    let err = import::parse_json(b"{\"items\": [\n  {\"name\": }\n]}", "broken.json")
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("broken.json:2:"), "{err}");
}

#[test]
fn imported_text_is_made_safe_for_the_terminal() {
    let got = import::parse_csv(
        "姓名,单位\n\"甲\u{1b}[31m某一\",\"测试\u{7}单位\"\n".as_bytes(),
        "e.csv",
    )
    .unwrap();
    assert_eq!(got.directory.items[0].name, "甲某一");
    assert_eq!(got.directory.items[0].organisation, "测试单位");
}

// ---- the command ----

fn args(query: &str) -> ExpertsArgs {
    ExpertsArgs {
        query: Some(query.to_owned()),
        limit: 20,
        ..Default::default()
    }
}

fn now() -> jiff::Timestamp {
    "2026-11-29T03:00:00Z".parse().unwrap()
}

#[tokio::test]
async fn the_command_prints_a_table_from_a_file() {
    let a = ExpertsArgs {
        file: Some(fixture("good_zh.csv")),
        ..args("燃气")
    };
    let out = run_with(a, None, None, None, now()).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", out.stdout);
    assert!(lines[0].starts_with("姓名"));
    assert!(lines[1].starts_with("甲某一  组长"), "{}", lines[1]);
    assert!(lines[1].contains("100-0000-0001 100-0000-0002"));
    // Columns line up in terminal cells, CJK counting two.
    let col = |l: &str, needle: &str| watchroom::model::text::width(&l[..l.find(needle).unwrap()]);
    assert_eq!(col(lines[0], "专业组"), col(lines[1], "建设工程"));
}

#[tokio::test]
async fn the_command_prints_json_and_respects_filters_and_limit() {
    let a = ExpertsArgs {
        file: Some(fixture("good_zh.csv")),
        json: true,
        group: Some("城市生命线".to_owned()),
        ..args("")
    };
    let out = run_with(a, None, None, None, now()).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let rows = v.as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["name"], "甲某一");
    assert_eq!(rows[0]["role"], "组长");
    assert_eq!(rows[0]["group"], "建设工程与城市生命线");
    assert_eq!(rows[0]["domain"], "事故灾难");
    assert_eq!(rows[0]["specialties"][1], "深基坑");
    assert_eq!(rows[0]["phones"][0], "100-0000-0001");
    assert_eq!(rows[1]["available"], false);

    let a = ExpertsArgs {
        file: Some(fixture("good_zh.csv")),
        limit: 1,
        ..args("")
    };
    let out = run_with(a, None, None, None, now()).await;
    assert_eq!(out.stdout.lines().count(), 2);
    assert!(out.stderr.contains("1 of 3 shown"), "{}", out.stderr);

    let a = ExpertsArgs {
        file: Some(fixture("good_zh.csv")),
        group: Some("没有".to_owned()),
        ..args("")
    };
    let out = run_with(a, None, None, None, now()).await;
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("no group matches \"没有\""),
        "{}",
        out.stderr
    );

    let a = ExpertsArgs {
        file: Some(fixture("good_zh.csv")),
        ..args("xqzk")
    };
    let out = run_with(a, None, None, None, now()).await;
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("nobody matches"), "{}", out.stderr);
}

#[tokio::test]
async fn an_unreachable_backend_falls_back_to_the_saved_copy_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let cache_path = dir.path().join("experts.json");
    // Port 1 on loopback: nothing listens, the connection is refused at once.
    let server = Some("http://127.0.0.1:1".to_owned());
    let out = run_with(
        args("zhang"),
        server.clone(),
        None,
        Some(&cache_path),
        now(),
    )
    .await;
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("backend unreachable"), "{}", out.stderr);
    assert!(
        out.stderr.contains("no copy has been saved"),
        "{}",
        out.stderr
    );

    let saved = import::import_file(&fixture("good_zh.csv"))
        .unwrap()
        .directory;
    let saved_at: jiff::Timestamp = "2026-11-29T01:00:00Z".parse().unwrap();
    cache::save(&cache_path, &saved, "http://duty.example.org", saved_at).unwrap();
    let out = run_with(args("jmy"), server, None, Some(&cache_path), now()).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("backend unreachable (http://127.0.0.1:1"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("showing the copy saved at"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("2 h ago"), "{}", out.stderr);
    assert!(out.stdout.contains("甲某一"), "{}", out.stdout);

    let out = run_with(args(""), None, None, Some(&cache_path), now()).await;
    assert!(
        out.stderr
            .contains("no backend configured; showing the copy"),
        "{}",
        out.stderr
    );
    assert_eq!(out.stdout.lines().count(), 4);
}
