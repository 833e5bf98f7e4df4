//! Every file of the feed corpus (tests/corpus, copied from real public repositories;
//! see tests/corpus/SOURCES.md for origin and licence) is read without a panic, the
//! broken ones give an error, and a selection gives the right values.

use jiff::Timestamp;
use jiff::tz::TimeZone;
use std::path::{Path, PathBuf};
use watchroom::feeds::{self, FeedKind, ParseOptions, Parsed, cap};
use watchroom::model::{Colour, DutyRole, MsgType};

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus");
const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/feeds");

/// Files that are broken on purpose upstream, or are not the kind their folder holds.
const MUST_FAIL: &[&str] = &[
    "cap/gcl-invalid.xml",                  // no <scope>
    "cap/cpl-taiwan-wrong-ns.xml",          // namespace ...:alerts:1.2
    "cap-atom/gcl-no-id.atom",              // its one entry has neither id nor link nor content
    "cap-atom/gcl-no-link.atom",            // its one entry has no link and no content
    "cap-atom/tnris-nws-erroneous.atom",    // truncated
    "ical/ic-broken.ics",                   // DTSTART;;VALUE=…
    "ical/libical-recur-errors.ics",        // bare VEVENTs, no VCALENDAR
    "ical/libical-issue253.ics",            // not UTF-8, unbalanced
    "ical/ic-exdates-multiline.ics",        // a VEVENT fragment, not a calendar
    "nws-json/nwsalerts-active-count.json", // /alerts/active/count, not alerts
    "alertmanager/karma-am0.15-v1-silences.json",
    "alertmanager/karma-am0.31-silences.json",
];

fn now() -> Timestamp {
    "2026-11-29T03:12:45+08:00".parse().unwrap()
}

fn shanghai() -> TimeZone {
    TimeZone::get("Asia/Shanghai").unwrap()
}

fn kind_of(dir: &str) -> FeedKind {
    match dir {
        "cap" | "cap-atom" => FeedKind::Cap,
        "nws-json" => FeedKind::Nws,
        "usgs-geojson" => FeedKind::Usgs,
        "alertmanager" => FeedKind::Alertmanager,
        "ical" => FeedKind::Ical,
        other => panic!("unknown corpus folder {other}"),
    }
}

fn opts(name: &str) -> ParseOptions {
    ParseOptions::new(name, now(), shanghai())
}

fn read(rel: &str) -> Result<Parsed, feeds::FeedError> {
    let dir = rel.split('/').next().unwrap();
    let bytes = std::fs::read(Path::new(CORPUS).join(rel)).unwrap();
    feeds::parse(kind_of(dir), &bytes, &opts(rel))
}

fn corpus_files() -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    for dir in [
        "cap",
        "cap-atom",
        "nws-json",
        "usgs-geojson",
        "alertmanager",
        "ical",
    ] {
        for e in std::fs::read_dir(Path::new(CORPUS).join(dir)).unwrap() {
            let p = e.unwrap().path();
            out.push((
                format!("{dir}/{}", p.file_name().unwrap().to_string_lossy()),
                p,
            ));
        }
    }
    out.sort();
    out
}

#[test]
fn every_corpus_file_is_read_and_only_the_broken_ones_fail() {
    let files = corpus_files();
    assert!(files.len() >= 140, "corpus has {} files", files.len());
    for (rel, path) in files {
        let bytes = std::fs::read(&path).unwrap();
        let kind = kind_of(rel.split('/').next().unwrap());
        let result = std::panic::catch_unwind(|| feeds::parse(kind, &bytes, &opts(&rel)));
        let result = result.unwrap_or_else(|_| panic!("{rel}: parser panicked"));
        match (&result, MUST_FAIL.contains(&rel.as_str())) {
            (Ok(_), false) => {}
            (Err(e), true) => {
                let msg = e.to_string();
                assert!(
                    msg.starts_with(&rel),
                    "{rel}: error does not name the file: {msg}"
                );
                assert!(!msg.contains('\n'), "{rel}: error is not one line: {msg}");
            }
            (Ok(_), true) => panic!("{rel}: broken on purpose but read without error"),
            (Err(e), false) => panic!("{rel}: {e}"),
        }
        // Every kind may also be thrown at every other parser: errors, never panics.
        for other in [
            FeedKind::Cap,
            FeedKind::Nws,
            FeedKind::Usgs,
            FeedKind::Alertmanager,
            FeedKind::Ical,
        ] {
            if other != kind && bytes.len() < 100_000 {
                let r = std::panic::catch_unwind(|| feeds::parse(other, &bytes, &opts(&rel)));
                assert!(r.is_ok(), "{rel} as {other:?}: panicked");
            }
        }
    }
}

#[test]
fn atom_and_rss_indexes_give_their_entries() {
    for (rel, n) in [
        ("cap-atom/ibm-nws-atom-live.xml", 163),
        ("cap-atom/ma-ireland-legacy-big.atom", 232),
        ("cap-atom/ma-uk-legacy.atom", 25),
        ("cap-atom/ma-france-legacy.atom", 12),
        ("cap-atom/cpl-sweden.atom", 4),
        ("cap-atom/gcl-nws-index.atom", 2),
        ("cap-atom/gcl-ny-index.rss", 2),
        ("cap-atom/gcl-no-entries.atom", 0),
        ("cap-atom/gcl-nws-empty-index.atom", 0),
    ] {
        let p = read(rel).unwrap();
        assert_eq!(p.alerts.len(), n, "{rel}");
        assert_eq!(
            p.pending.len(),
            n,
            "{rel}: every entry links to its CAP message"
        );
    }
    // An index entry with cap: fields already says a good deal before its message is fetched.
    let p = read("cap-atom/ma-uk-legacy.atom").unwrap();
    let a = &p.alerts[0];
    assert_eq!(a.colour, Colour::Yellow);
    assert_eq!(a.area, "Strathclyde");
    assert_eq!(a.extra.areas[0].shapes.geocodes[0].value, "UK105");
    // RSS links are read from the element text.
    let p = read("cap-atom/gcl-ny-index.rss").unwrap();
    assert_eq!(
        p.pending[0].url,
        "http://www.nyalert.gov/Public/News/GetCapAlert.aspx?capID=NYAlert-ALLHAZALERT-3167113"
    );
    // CAP embedded in an entry needs no fetch.
    let p = read("cap-atom/gcl-nws-weather.atom").unwrap();
    assert!(p.pending.is_empty());
    assert_eq!(p.alerts[0].signal_type, "Flash Flood Watch");
}

fn fixture_alerts(files: &[&str]) -> Parsed {
    let mut all = Parsed::default();
    for f in files {
        let bytes = std::fs::read(Path::new(FIXTURES).join(f)).unwrap();
        let mut p = feeds::parse(FeedKind::Cap, &bytes, &opts(f)).unwrap();
        all.alerts.append(&mut p.alerts);
    }
    feeds::finish(&mut all);
    all
}

#[test]
fn an_update_chain_threads_onto_its_original_and_a_cancel_marks_it() {
    let p = fixture_alerts(&["cap-chain-1-alert.xml", "cap-chain-2-update.xml"]);
    let (orig, upd) = (&p.alerts[0], &p.alerts[1]);
    assert_eq!(orig.colour, Colour::Yellow, "黄色 in the event name");
    assert_eq!(orig.signal_type, "暴雨");
    assert_eq!(
        upd.colour,
        Colour::Orange,
        "the explicit 预警颜色 parameter wins over Moderate"
    );
    assert_eq!(orig.extra.superseded_by.as_deref(), Some(upd.id.as_str()));
    assert!(!orig.in_force(now()) && upd.msg_type == MsgType::Update);

    let p = fixture_alerts(&[
        "cap-chain-1-alert.xml",
        "cap-chain-2-update.xml",
        "cap-chain-3-cancel.xml",
    ]);
    assert_eq!(p.alerts.len(), 3, "nothing is dropped");
    let (upd, cancel) = (&p.alerts[1], &p.alerts[2]);
    assert_eq!(upd.extra.cancelled_by.as_deref(), Some(cancel.id.as_str()));
    assert_eq!(cancel.msg_type, MsgType::Cancel);
    // The Cancel has no <info>: it borrows what it cancels, for history.
    assert_eq!(cancel.signal_type, "暴雨");
    assert_eq!(cancel.colour, Colour::Orange);
    assert!(p.alerts.iter().all(|a| !a.in_force(now())));
}

#[test]
fn real_update_messages_carry_their_references() {
    let p = read("cap/cpl-mexico-es419.xml").unwrap();
    let a = &p.alerts[0];
    assert_eq!(a.msg_type, MsgType::Update);
    assert_eq!(
        a.extra.references,
        ["smn.cna.gob.mx,avisossmn-ciclontropical-4061,2018-10-20T04:15:00-05:00"]
    );
    let p = read("cap/cpl-nws-multipolygon.xml").unwrap();
    assert_eq!(
        p.alerts[0].extra.areas[0].shapes.polygons.len()
            + p.alerts[0]
                .extra
                .areas
                .iter()
                .skip(1)
                .map(|a| a.shapes.polygons.len())
                .sum::<usize>(),
        2
    );
}

#[test]
fn a_cancel_without_info_is_kept() {
    let p = read("cap/cpl-athoc-cancel-noinfo.xml").unwrap();
    let a = &p.alerts[0];
    assert_eq!(a.msg_type, MsgType::Cancel);
    assert_eq!(a.sender, "AtHoc");
    assert_eq!(
        a.extra.references,
        ["AtHoc,1017033100951096-517189320160225203219800,2016-02-25T12:32:19-08:00"]
    );
    assert!(!a.in_force(now()));
    let p = read("cap/oc-ipaws-cancel.xml").unwrap();
    assert_eq!(p.alerts[0].msg_type, MsgType::Cancel);
}

#[test]
fn zh_tw_message_gives_its_chinese_headline_and_explicit_colour() {
    let p = read("cap/cpl-taiwan-zh-bom.xml").unwrap();
    let a = &p.alerts[0];
    assert_eq!(a.title(), "明德水庫:洩洪中");
    assert_eq!(a.extra.headline, "明德水庫:洩洪中");
    assert_eq!(a.source, "水利署");
    assert_eq!(a.area, "苗栗縣頭屋鄉");
    // Severity says Moderate; the alert_color parameter says 紅色 and wins.
    assert_eq!(a.colour, Colour::Red);
    assert_eq!(a.sent, "2014-05-14T12:10:00Z".parse::<Timestamp>().unwrap());
    assert_eq!(
        a.extra.links[0].href,
        "http://fhy2.wra.gov.tw/Pub_Web_2011/Page/Reservoir.aspx"
    );
}

#[test]
fn language_preference_picks_chinese_then_english() {
    let p = read("cap/kwc-macau-zh-pt-en.xml").unwrap();
    assert!(
        p.alerts[0].title().contains("季候風"),
        "{}",
        p.alerts[0].title()
    );
    let p = read("cap/kwc-il-he-en.xml").unwrap();
    assert_eq!(
        p.alerts[0].title(),
        "Flash Floods",
        "no Chinese: English before Hebrew"
    );
}

#[test]
fn cap_inside_an_edxl_de_envelope() {
    let p = read("cap/gcl-bushfire.edxlde.xml").unwrap();
    assert_eq!(p.alerts.len(), 7);
    assert_eq!(
        p.alerts[0].id,
        "webmaster@rfs.nsw.gov.au,tag:www.rfs.nsw.gov.au2011-10-18:40500,2011-10-17T11:18:00-00:00"
    );
    assert_eq!(p.alerts[0].title(), "One Tree MVA (Unmapped Incident)");
    let p = read("cap/cpl-smhi-alerts-wrapper.xml").unwrap();
    assert_eq!(p.alerts.len(), 17);
}

#[test]
fn signed_messages_are_read_and_flagged() {
    for rel in [
        "cap/kwc-tsunami-signed.xml",
        "cap/cpl-canada-naad-signed.xml",
        "cap/wis2box-seychelles-ecdsa-signed.xml",
        "cap/cpl-pagasa-test-signed.xml",
    ] {
        let bytes = std::fs::read(Path::new(CORPUS).join(rel)).unwrap();
        let (msgs, _) = cap::parse(&bytes, &opts(rel)).unwrap();
        assert!(msgs[0].signed, "{rel}");
    }
    let bytes = std::fs::read(Path::new(CORPUS).join("cap/gcl-dhs-hsas.xml")).unwrap();
    assert!(!cap::parse(&bytes, &opts("x")).unwrap().0[0].signed);
    let p = read("cap/kwc-tsunami-signed.xml").unwrap();
    assert_eq!(p.alerts[0].extra.areas[0].shapes.circles.len(), 1);
    // A test message stays a test: never mistaken for a real one.
    assert_eq!(
        read("cap/cpl-pagasa-test-signed.xml").unwrap().alerts[0].status,
        "test"
    );
}

#[test]
fn hostile_and_oddly_encoded_xml() {
    let p = read("cap/gcl-xxe.xml").unwrap();
    let a = &p.alerts[0];
    assert_eq!(a.extra.headline, "SEVERE THUNDERSTORM WARNING");
    assert_eq!(a.source, "NATIONAL WEATHER SERVICE SACRAMENTO CA");
    let everything = format!("{a:?}");
    assert!(
        !everything.contains("root:") && !everything.contains("payload"),
        "{everything}"
    );
    assert!(p.warnings.iter().any(|w| w.contains("not expanded")));
    let p = read("cap-atom/gcl-xxe.atom").unwrap();
    assert!(!format!("{p:?}").contains("root:"));

    let p = read("cap/gcl-usgs-eq-iso8859.xml").unwrap();
    assert!(
        p.alerts[0].title().contains("Usulután"),
        "{}",
        p.alerts[0].title()
    );
    let p = read("cap-atom/cpl-pelmorex.atom").unwrap();
    assert!(
        p.warnings.iter().any(|w| w.contains("declared UTF-8")),
        "{:?}",
        p.warnings
    );
    assert_eq!(p.alerts.len(), 1, "decoded with replacement, not dropped");

    let e = read("cap-atom/tnris-nws-erroneous.atom").unwrap_err();
    assert!(e.line.is_some(), "{e}");
}

#[test]
fn usgs_feature_counts_magnitudes_and_dedupe() {
    let p = read("usgs-geojson/summary-all_hour-2017.json").unwrap();
    assert_eq!(p.alerts.len(), 8);
    // metadata.count says 245, but the feed has 247 features: the features count.
    assert_eq!(
        read("usgs-geojson/summary-2.5_week-2016.json")
            .unwrap()
            .alerts
            .len(),
        247
    );
    let p = read("usgs-geojson/summary-all_week-2014.json").unwrap();
    assert_eq!(
        p.alerts.len(),
        1512,
        "1513 features, one event listed twice under its ids"
    );
    assert!(p.warnings.iter().any(|w| w.contains("merged")));
    let p = read("usgs-geojson/fdsn-query-tohoku-summary.json").unwrap();
    let a = &p.alerts[0];
    assert_eq!(a.title(), "M 9.1 - 2011 Great Tohoku Earthquake, Japan");
    assert_eq!(a.colour, Colour::Red);
    assert!(a.description().starts_with("M9.1"), "{}", a.description());
    let p = read("usgs-geojson/fdsn-query-northridge-summary.json").unwrap();
    assert_eq!(p.alerts[0].colour, Colour::Orange, "M6.7");
    assert!(
        read("usgs-geojson/fdsn-scenario-empty.json")
            .unwrap()
            .alerts
            .is_empty()
    );
}

#[test]
fn nws_alerts_json() {
    let p = read("nws-json/nwsalerts-phoenix-2024.json").unwrap();
    assert_eq!(p.alerts.len(), 2);
    assert_eq!(p.alerts[0].signal_type, "Excessive Heat Warning");
    assert_eq!(p.alerts[0].msg_type, MsgType::Update);
    assert!(!p.alerts[0].extra.references.is_empty());
    let p = read("nws-json/wxgov-washington-38.json").unwrap();
    assert_eq!(p.alerts.len(), 38);
    // The weather.gov test proxy templated the times: kept, with a warning.
    assert!(p.warnings.iter().any(|w| w.contains("unreadable `sent`")));
}

#[test]
fn alertmanager_payloads() {
    // 79 alerts, but only 19 label sets: Alertmanager's identity is the label set.
    let p = read("alertmanager/ks-webhook-79-alerts-no-receiver.json").unwrap();
    assert_eq!(p.alerts.len(), 19);
    assert!(
        p.warnings.iter().any(|w| w.contains("60 repeated")),
        "{:?}",
        p.warnings
    );
    let p = read("alertmanager/bougou-webhook-firing-resolved.json").unwrap();
    assert!(
        p.alerts.iter().any(|a| a.extra.resolved_at.is_some()),
        "resolved → resolved"
    );
    // The v1 groups answer keeps its alerts under each group's `blocks`: 24 listed, 12
    // label sets; the groups themselves are not alerts.
    let p = read("alertmanager/karma-am0.15-v1-alerts-groups.json").unwrap();
    assert_eq!(p.alerts.len(), 12);
    assert!(p.alerts.iter().all(|a| a.signal_type.as_str() != ""));
    assert!(
        p.warnings.iter().any(|w| w.contains("12 repeated")),
        "{:?}",
        p.warnings
    );
    let p = read("alertmanager/karma-am0.31-alerts-groups.json").unwrap();
    assert!(!p.alerts.is_empty());
    let ids: std::collections::HashSet<_> = p.alerts.iter().map(|a| &a.id).collect();
    assert_eq!(
        ids.len(),
        p.alerts.len(),
        "an alert routed to two receivers is listed once"
    );
}

fn roster(window: (&str, &str)) -> Parsed {
    let bytes = std::fs::read(Path::new(FIXTURES).join("roster-dst-overrides.ics")).unwrap();
    let mut o = opts("roster-dst-overrides.ics");
    o.window = (window.0.parse().unwrap(), window.1.parse().unwrap());
    feeds::parse(FeedKind::Ical, &bytes, &o).unwrap()
}

#[test]
fn ical_overrides_across_a_dst_change_give_the_right_shifts() {
    let p = roster(("2026-03-20T00:00:00Z", "2026-04-10T00:00:00Z"));
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
    let chiefs: Vec<(String, String, String)> = p
        .shifts
        .iter()
        .filter(|s| s.role == DutyRole::Chief)
        .map(|s| (s.person.clone(), s.start.to_string(), s.end.to_string()))
        .collect();
    let want = [
        ("测试甲", "2026-03-26T07:30:00Z", "2026-03-27T07:30:00Z"),
        ("测试甲", "2026-03-27T07:30:00Z", "2026-03-28T07:30:00Z"),
        // Moved by RECURRENCE-ID: 09:00 CET to 08:30 CEST across the change.
        ("测试乙", "2026-03-28T08:00:00Z", "2026-03-29T06:30:00Z"),
        // After the change the handover stays at 08:30 local, now UTC+2.
        ("测试甲", "2026-03-29T06:30:00Z", "2026-03-30T06:30:00Z"),
        // 03-30 cancelled by an override, 03-31 by EXDATE;
        // from 04-01 on, RANGE=THISANDFUTURE hands the series to 测试丙.
        ("测试丙", "2026-04-01T06:30:00Z", "2026-04-02T06:30:00Z"),
        ("测试丙", "2026-04-02T06:30:00Z", "2026-04-03T06:30:00Z"),
    ];
    let want: Vec<(String, String, String)> = want
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect();
    assert_eq!(chiefs, want);
    assert_eq!(
        p.shifts
            .iter()
            .find(|s| s.person == "测试甲")
            .unwrap()
            .phone,
        "100-0000-0201"
    );
    // The Windows zone "China Standard Time" is Asia/Shanghai: 08:30 is 00:30Z.
    let leaders: Vec<String> = p
        .shifts
        .iter()
        .filter(|s| s.role == DutyRole::Leader)
        .map(|s| format!("{} {}", s.person, s.start))
        .collect();
    assert_eq!(
        leaders,
        ["测试丁 2026-03-26T00:30:00Z", "测试丁 2026-04-02T00:30:00Z"]
    );
    // The window cuts: only shifts overlapping it are given.
    let p = roster(("2026-03-29T12:00:00Z", "2026-03-29T13:00:00Z"));
    assert_eq!(p.shifts.len(), 1);
    assert_eq!(p.shifts[0].person, "测试甲");
}

#[test]
fn a_series_moved_this_and_future_keeps_its_local_time_across_dst() {
    let bytes = std::fs::read(Path::new(FIXTURES).join("roster-thisandfuture-dst.ics")).unwrap();
    let mut o = opts("roster-thisandfuture-dst.ics");
    o.window = (
        "2026-03-20T00:00:00Z".parse().unwrap(),
        "2026-04-10T00:00:00Z".parse().unwrap(),
    );
    let p = feeds::parse(FeedKind::Ical, &bytes, &o).unwrap();
    let got: Vec<String> = p
        .shifts
        .iter()
        .map(|s| format!("{} {} {}", s.person, s.start, s.end))
        .collect();
    // Berlin: CET (UTC+1) until 2026-03-29 02:00, then CEST (UTC+2). From 03-27 on the
    // series starts at 09:30 local: 08:30Z before the change, 07:30Z after it.
    assert_eq!(
        got,
        [
            "测试戊 2026-03-25T07:30:00Z 2026-03-26T07:30:00Z",
            "测试戊 2026-03-26T07:30:00Z 2026-03-27T07:30:00Z",
            "测试己 2026-03-27T08:30:00Z 2026-03-28T08:30:00Z",
            "测试己 2026-03-28T08:30:00Z 2026-03-29T07:30:00Z",
            "测试己 2026-03-29T07:30:00Z 2026-03-30T07:30:00Z",
            "测试己 2026-03-30T07:30:00Z 2026-03-31T07:30:00Z",
        ]
    );
}

#[test]
fn ical_corpus_values() {
    let p = read_window("ical/ic-exchange2010-quoted-tzid.ics");
    // TZID "Eastern Standard Time" (Windows) is America/New_York, EDT on 2024-10-28.
    assert_eq!(p.shifts[0].start.to_string(), "2024-10-28T21:00:00Z");
    // COUNT=3, the middle one cancelled by a STATUS:CANCELLED override.
    let p = read_window("ical/ric-cancel-status.ics");
    let starts: Vec<String> = p.shifts.iter().map(|s| s.start.to_string()).collect();
    assert_eq!(starts, ["2020-01-28T21:00:00Z", "2020-01-30T21:00:00Z"]);
    let p = read_window("ical/holiday-cn-2025.ics");
    assert_eq!(p.shifts[0].person, "元旦假期");
    assert_eq!(p.shifts[0].start.to_string(), "2024-12-31T16:00:00Z");
    let p = read_window("ical/ric-sabredav-exdate-count.ics");
    assert_eq!(p.shifts.len(), 7, "COUNT=8 less one EXDATE");
    let p = read_window("ical/ic-bom.ics");
    assert!(p.shifts.is_empty());
}

fn read_window(rel: &str) -> Parsed {
    let bytes = std::fs::read(Path::new(CORPUS).join(rel)).unwrap();
    let mut o = opts(rel);
    o.window = (
        "2000-01-01T00:00:00Z".parse().unwrap(),
        "2030-01-01T00:00:00Z".parse().unwrap(),
    );
    feeds::parse(FeedKind::Ical, &bytes, &o).unwrap()
}
