//! Query → ranking, table-driven, over a small fixed pool of fictional experts, and a few
//! checks over the 190-expert demo directory.
// Highlights are lists of byte ranges; a list of one range is what is meant.
#![allow(clippy::single_range_in_vec_init)]

use watchroom::experts::{ExpertIndex, Field, Filters, Rank};
use watchroom::model::{Expert, GroupRole};

const LIFELINE: &str = "建设工程与城市生命线";
const CHEM: &str = "危险化学品与工贸安全";

/// (name, domain, group, role, specialties, organisation, district, available)
type Row = (
    &'static str,
    &'static str,
    &'static str,
    GroupRole,
    &'static [&'static str],
    &'static str,
    &'static str,
    bool,
);

use GroupRole::{Deputy, Leader, Member};

const POOL: &[Row] = &[
    /* 0 */
    (
        "张某伟",
        "事故灾难",
        LIFELINE,
        Member,
        &["深基坑", "燃气"],
        "测试市建设工程质量安全监督站（示例）",
        "福田区",
        true,
    ),
    /* 1 */
    (
        "赵某文",
        "事故灾难",
        CHEM,
        Leader,
        &["危化品", "化工工艺"],
        "测试市化工研究院（示例）",
        "南山区",
        true,
    ),
    /* 2 */
    (
        "单某东",
        "事故灾难",
        CHEM,
        Deputy,
        &["危化品储运"],
        "测试大学化学工程学院（示例）",
        "宝安区",
        true,
    ),
    /* 3 */
    (
        "曾某波",
        "自然灾害",
        "气象与防汛防风",
        Leader,
        &["台风", "暴雨内涝"],
        "测试市气象台（示例）",
        "福田区",
        true,
    ),
    /* 4 */
    (
        "张某伟",
        "公共卫生",
        "紧急医学救援",
        Leader,
        &["创伤救治"],
        "测试市急救中心（示例）",
        "罗湖区",
        true,
    ),
    /* 5 */
    (
        "周某明",
        "事故灾难",
        LIFELINE,
        Leader,
        &["燃气", "供水管网"],
        "测试市水务集团（示例）",
        "龙岗区",
        true,
    ),
    /* 6 */
    (
        "丹某华",
        "事故灾难",
        LIFELINE,
        Member,
        &["电力"],
        "测试市燃气集团（示例）",
        "龙华区",
        false,
    ),
    /* 7 */
    (
        "吕某强",
        "事故灾难",
        "火灾防治与交通运输事故",
        Member,
        &["消防救援"],
        "测试市消防救援支队（示例）",
        "盐田区",
        true,
    ),
    /* 8 */
    (
        "郑某伟",
        "自然灾害",
        "地质与地震灾害",
        Deputy,
        &["地震"],
        "测试市地震局（示例）",
        "坪山区",
        true,
    ),
    /* 9 */
    (
        "查某斌",
        "综合管理",
        "应急指挥与预案演练",
        Member,
        &["预案"],
        "测试市应急管理局（示例）",
        "光明区",
        true,
    ),
    /* 10 */
    (
        "张某文",
        "事故灾难",
        LIFELINE,
        Deputy,
        &["燃气"],
        "测试市供电局（示例）",
        "南山区",
        false,
    ),
    /* 11 */
    (
        "尉迟某恭",
        "社会安全",
        "公共安全与反恐处突",
        Member,
        &["反恐"],
        "测试市公安局（示例）",
        "大鹏新区",
        true,
    ),
    /* 12 */
    (
        "区某欣",
        "公共卫生",
        "传染病防控",
        Leader,
        &["传染病"],
        "测试市疾控中心（示例）",
        "福田区",
        true,
    ),
];

fn pool() -> Vec<Expert> {
    POOL.iter()
        .enumerate()
        .map(
            |(i, (name, domain, group, role, specialties, org, district, available))| Expert {
                id: format!("t{i}"),
                name: (*name).to_owned(),
                domain: (*domain).to_owned(),
                group: (*group).to_owned(),
                role: *role,
                specialties: specialties.iter().map(|s| (*s).to_owned()).collect(),
                title: "高级工程师".to_owned(),
                organisation: (*org).to_owned(),
                district: (*district).to_owned(),
                phones: vec![format!("100-0000-{:04}", 9000 + i)],
                available: *available,
            },
        )
        .collect()
}

fn ranking(index: &ExpertIndex, query: &str, filters: &Filters) -> Vec<usize> {
    index
        .search(query, filters)
        .iter()
        .map(|h| h.index)
        .collect()
}

#[test]
fn queries_give_the_expected_ranking() {
    let experts = pool();
    let index = ExpertIndex::new(&experts);
    let none = Filters::default();
    let cases: &[(&str, &[usize])] = &[
        // Characters, with or without the placeholder 某; the 组长 before the 成员.
        ("张伟", &[4, 0]),
        ("张某伟", &[4, 0]),
        // Full pinyin, with and without spaces; 某 may be spelled or left out.
        ("zhangmouwei", &[4, 0]),
        ("zhang mou wei", &[4, 0]),
        ("zhangwei", &[4, 0]),
        ("ZhangWei", &[4, 0]),
        // Initials and mixtures: 组长 (directory order), 副组长 (available first), 成员.
        ("zmw", &[1, 4, 8, 10, 0]),
        ("zw", &[1, 4, 8, 10, 0]),
        ("张w", &[4, 10, 0]),
        ("zhangw", &[4, 10, 0]),
        ("张mw", &[4, 10, 0]),
        ("zhmw", &[1, 4, 8, 10, 0]),
        // A full reading beats the start of a longer one: 查 zha before 赵 zhao and 张 zhang.
        ("zha", &[9, 1, 4, 10, 0]),
        // Surname readings from the table. After the name: 创伤 (shang, still being typed),
        // then the districts 南山区 and 坪山区.
        ("shan", &[2, 4, 1, 8, 10]),
        // 郑某伟 (zheng) only fuzzily, last.
        ("zeng", &[3, 8]),
        ("ou", &[12]),
        ("yuchi", &[11]),
        ("ycmg", &[11]),
        // ü typed as v or u.
        ("lv", &[7]),
        ("lu", &[7]),
        ("lvmq", &[7]),
        // Specialty keywords: exact specialty before a longer one; ties by role, then
        // availability; an organisation match after every specialty match.
        ("燃气", &[5, 10, 0, 6]),
        ("ranqi", &[5, 10, 0, 6]),
        ("深基坑", &[0]),
        ("危化品", &[1, 2]),
        ("台风", &[3]),
        // Group and district.
        ("城市生命线", &[5, 10, 0, 6]),
        ("紧急医学", &[4]),
        ("大鹏", &[11]),
        // A later part of the name comes after every name prefix, before specialties.
        ("伟", &[4, 8, 0]),
        // Several words: each must match something; ranked by the weakest.
        ("张伟 燃气", &[0]),
        ("zw 燃气", &[10, 0]),
        ("zhang mou wei", &[4, 0]),
    ];
    let mut failures = Vec::new();
    for (query, expected) in cases {
        let got = ranking(&index, query, &none);
        if got != *expected {
            let names: Vec<&str> = got.iter().map(|i| experts[*i].name.as_str()).collect();
            failures.push(format!(
                "{query:?}: expected {expected:?}, got {got:?} {names:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn a_surname_is_read_as_a_surname() {
    let experts = pool();
    let index = ExpertIndex::new(&experts);
    let none = Filters::default();
    // 单 is dān in 单位 but Shàn as a surname: "dan" finds 丹某华, not 单某东 by name.
    let dan = index.search("dan", &none);
    assert_eq!(dan.first().map(|h| h.index), Some(6));
    assert!(
        dan.iter().all(|h| h.index != 2 || h.rank > Rank::Inside),
        "{dan:?}"
    );
    // 曾 is céng in 曾经 but Zēng as a surname.
    assert!(ranking(&index, "ceng", &none).is_empty());
    // 查 is chá in 检查 but Zhā as a surname.
    assert!(!ranking(&index, "cha", &none).contains(&9));
    // 尉迟 is Yùchí, not wèichí.
    assert!(!ranking(&index, "weichi", &none).contains(&11));
}

#[test]
fn ranks_and_highlights_say_what_matched() {
    let experts = pool();
    let index = ExpertIndex::new(&experts);
    let none = Filters::default();
    let hits = index.search("zhangwei", &none);
    assert_eq!(hits[0].rank, Rank::Exact);
    assert_eq!(hits[0].field, Field::Name);
    // 张 and 伟 were typed; 某 was left out.
    assert_eq!(hits[0].name_ranges(&experts[4]), vec![0..3, 6..9]);

    let hits = index.search("zmw", &none);
    assert!(hits[..5].iter().all(|h| h.rank == Rank::Prefix));
    assert_eq!(hits[0].name_ranges(&experts[hits[0].index]), vec![0..9]);

    let hits = index.search("燃气", &none);
    assert_eq!(hits[0].rank, Rank::Specialty);
    assert_eq!(hits[0].field, Field::Specialty(0));
    assert_eq!(hits[2].field, Field::Specialty(1), "张某伟 has 燃气 second");
    assert!(hits[0].name_ranges(&experts[5]).is_empty());
    assert_eq!(
        hits[0].field_ranges(&experts[5]),
        Some(("燃气", vec![0..6]))
    );
    let last = hits[3];
    assert_eq!((last.rank, last.field), (Rank::Other, Field::Organisation));
    assert_eq!(
        last.field_ranges(&experts[6]),
        Some(("测试市燃气集团（示例）", vec![9..15]))
    );

    let hits = index.search("城市生命线", &none);
    assert_eq!((hits[0].rank, hits[0].field), (Rank::Group, Field::Group));

    let hits = index.search("伟", &none);
    assert_eq!(hits[0].rank, Rank::Inside);
    assert_eq!(hits[0].name_ranges(&experts[4]), vec![6..9]);

    // Several words: the specialty decides the rank, the name is highlighted all the same.
    let hits = index.search("张伟 燃气", &none);
    assert_eq!(
        (hits[0].rank, hits[0].field),
        (Rank::Specialty, Field::Specialty(1))
    );
    assert_eq!(hits[0].name_ranges(&experts[0]), vec![0..3, 6..9]);
}

#[test]
fn typos_are_found_last_by_fuzzy_matching() {
    let experts = pool();
    let index = ExpertIndex::new(&experts);
    let none = Filters::default();
    // A letter left out of "wei".
    let hits = index.search("zhangwi", &none);
    assert_eq!(hits.iter().map(|h| h.index).collect::<Vec<_>>(), vec![4, 0]);
    assert!(hits.iter().all(|h| h.rank == Rank::Fuzzy));
    // Characters with a gap: 危…品 in 危化品.
    let hits = index.search("危品", &none);
    assert_eq!(
        hits.first().map(|h| (h.index, h.rank)),
        Some((1, Rank::Fuzzy))
    );
    // Nonsense finds nobody.
    assert!(index.search("xqzk", &none).is_empty());
}

#[test]
fn filters_narrow_before_ranking() {
    let experts = pool();
    let index = ExpertIndex::new(&experts);
    let lifeline = Filters {
        group: Some(LIFELINE.to_owned()),
        ..Default::default()
    };
    assert_eq!(ranking(&index, "", &lifeline), vec![5, 10, 0, 6]);
    assert_eq!(ranking(&index, "zw", &lifeline), vec![10, 0]);
    let available = Filters {
        group: Some(LIFELINE.to_owned()),
        available_only: true,
        ..Default::default()
    };
    assert_eq!(ranking(&index, "", &available), vec![5, 0]);
    let health = Filters {
        domain: Some("公共卫生".to_owned()),
        ..Default::default()
    };
    assert_eq!(ranking(&index, "", &health), vec![4, 12]);
    assert_eq!(ranking(&index, "zhangwei", &health), vec![4]);
    let unknown = Filters {
        group: Some("没有这个组".to_owned()),
        ..Default::default()
    };
    assert!(ranking(&index, "", &unknown).is_empty());
}

#[test]
fn an_empty_query_lists_everyone_leaders_first() {
    let experts = pool();
    let index = ExpertIndex::new(&experts);
    let all = ranking(&index, "", &Filters::default());
    assert_eq!(all, vec![1, 3, 4, 5, 12, 2, 8, 10, 0, 7, 9, 11, 6]);
    assert_eq!(ranking(&index, "   ", &Filters::default()), all);
}

#[test]
fn hostile_input_does_not_break_the_search() {
    let mut experts = pool();
    experts[0].name = "\u{1b}[31m红\u{1b}[0m".to_owned();
    experts[1].name = String::new();
    experts[2].organisation = "长".repeat(200);
    let index = ExpertIndex::new(&experts);
    let none = Filters::default();
    for q in [
        "红",
        "zhang",
        &"chang".repeat(30),
        "\u{1b}",
        "某",
        "*",
        "''",
        "长长长",
    ] {
        let hits = index.search(q, &none);
        for h in hits {
            let e = &experts[h.index];
            for r in h.name_ranges(e) {
                assert!(e.name.is_char_boundary(r.start) && e.name.is_char_boundary(r.end));
            }
        }
    }
}

// ---- over the demo directory (190 fictional experts, deterministic) ----

fn demo() -> Vec<Expert> {
    watchroom::server::demo_expert_directory()
        .expect("the demo data files are part of the crate")
        .items
}

#[test]
fn demo_zhangwei_finds_both_zhang_wei_first() {
    let experts = demo();
    let index = ExpertIndex::new(&experts);
    for q in ["zhangwei", "张伟", "张某伟", "zhang mou wei"] {
        let hits = index.search(q, &Filters::default());
        assert!(hits.len() >= 2, "{q}");
        for h in &hits[..2] {
            assert_eq!(experts[h.index].name, "张某伟", "{q}");
            assert_eq!(h.rank, Rank::Exact, "{q}");
        }
        assert_ne!(experts[hits[0].index].group, experts[hits[1].index].group);
    }
}

#[test]
fn demo_specialty_finds_the_group_leader_first() {
    let experts = demo();
    let index = ExpertIndex::new(&experts);
    let hits = index.search("燃气", &Filters::default());
    let first = &experts[hits[0].index];
    assert_eq!(
        (first.group.as_str(), first.role),
        (LIFELINE, GroupRole::Leader)
    );
    let hits = index.search("台风", &Filters::default());
    let first = &experts[hits[0].index];
    assert_eq!(
        (first.group.as_str(), first.role),
        ("气象与防汛防风", GroupRole::Leader)
    );
}

#[test]
fn demo_heteronym_surnames() {
    let experts = demo();
    let index = ExpertIndex::new(&experts);
    for (q, name) in [
        ("shan", "单某东"),
        ("zeng", "曾某波"),
        ("xie", "解某新"),
        ("ou", "区某欣"),
        ("qiu", "仇某国"),
        ("piao", "朴某云"),
        ("zha", "查某斌"),
        ("shanmd", "单某东"),
    ] {
        let hits = index.search(q, &Filters::default());
        let found = hits
            .iter()
            .find(|h| experts[h.index].name == name)
            .unwrap_or_else(|| panic!("{q} does not find {name}"));
        assert!(found.rank <= Rank::Prefix, "{q} → {name}: {:?}", found.rank);
    }
    for (q, name) in [
        ("dan", "单某东"),
        ("ceng", "曾某波"),
        ("jie", "解某新"),
        ("qu", "区某欣"),
    ] {
        let hits = index.search(q, &Filters::default());
        assert!(
            hits.iter()
                .all(|h| experts[h.index].name != name || h.rank > Rank::Prefix),
            "{q} ranks {name} as a surname match"
        );
    }
}

#[test]
fn demo_empty_query_and_filters() {
    let experts = demo();
    let index = ExpertIndex::new(&experts);
    let all = index.search("", &Filters::default());
    assert_eq!(all.len(), 190);
    assert!(
        all[..15]
            .iter()
            .all(|h| experts[h.index].role == GroupRole::Leader)
    );
    assert!(
        all[15..30]
            .iter()
            .all(|h| experts[h.index].role == GroupRole::Deputy)
    );
    let chem = index.search(
        "",
        &Filters {
            group: Some(CHEM.to_owned()),
            ..Default::default()
        },
    );
    assert_eq!(chem.len(), 13);
    assert_eq!(experts[chem[0].index].name, "单某东");
    let available = index.search(
        "",
        &Filters {
            available_only: true,
            ..Default::default()
        },
    );
    assert_eq!(
        available.len(),
        experts.iter().filter(|e| e.available).count()
    );
}

#[test]
fn typing_one_character_more_gives_the_same_ranking_as_a_fresh_search() {
    // The index narrows each keystroke's search to the previous keystroke's matches; that must
    // never change the answer.
    let experts = demo();
    let typed = ExpertIndex::new(&experts);
    let filters = [
        Filters::default(),
        Filters {
            available_only: true,
            ..Default::default()
        },
    ];
    for f in &filters {
        for q in [
            "zhangmouwei",
            "张某伟",
            "ranqi",
            "危化品储运",
            "shanmd",
            "zhagnwei",
            "张wei",
            "chenjh",
            "yu chi",
        ] {
            let chars: Vec<char> = q.chars().collect();
            for n in 1..=chars.len() {
                let prefix: String = chars[..n].iter().collect();
                let fresh = ExpertIndex::new(&experts).search(&prefix, f);
                assert_eq!(typed.search(&prefix, f), fresh, "{prefix:?} {f:?}");
            }
        }
    }
}
