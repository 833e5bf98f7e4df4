//! Reading the expert pool from the files people keep it in: a spreadsheet saved as CSV, or
//! JSON in the API's shape. A bad row is reported (`file:line: what is wrong`) and skipped or
//! read as well as it can be; the rest of the file is still read.

use crate::model::text::sanitize;
use crate::model::{Domain, Expert, ExpertDirectory, Group, GroupRole};
use anyhow::{Context, anyhow};
use std::collections::HashSet;
use std::path::Path;

/// A directory read from a file, and what was wrong with parts of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    pub directory: ExpertDirectory,
    /// `file:line: what is wrong`, one per problem, in file order.
    pub warnings: Vec<String>,
    /// The warnings about rows that were skipped (unreadable, no name, malformed): each
    /// is also in `warnings`. An import that must take every row refuses the file if any.
    pub rejected: Vec<String>,
    /// Where each expert of `directory.items` was read, in the same order: `file:line`
    /// for CSV, `file: items[i]` for JSON.
    pub places: Vec<String>,
}

/// Reads a CSV or JSON file. JSON is recognised by its extension or by its first character.
pub fn import_file(path: &Path) -> anyhow::Result<Imported> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let origin = path.display().to_string();
    let is_json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
        || matches!(
            strip_bom(&bytes).iter().find(|b| !b.is_ascii_whitespace()),
            Some(b'{' | b'[')
        );
    if is_json {
        parse_json(&bytes, &origin)
    } else {
        parse_csv(&bytes, &origin)
    }
}

fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Id,
    Name,
    Domain,
    Group,
    Role,
    Specialties,
    Title,
    Organisation,
    District,
    Phones,
    Available,
}

/// Header spellings seen in real sheets, compared after trimming, lowercasing and dropping
/// spaces, underscores and hyphens.
const HEADERS: &[(Column, &[&str])] = &[
    (Column::Id, &["id", "编号", "专家编号"]),
    (Column::Name, &["name", "姓名", "名字", "专家姓名"]),
    (
        Column::Domain,
        &["domain", "领域", "所属领域", "专业领域", "类别"],
    ),
    (
        Column::Group,
        &["group", "专业组", "所属专业组", "分组", "组别", "组"],
    ),
    (
        Column::Role,
        &["role", "职务", "组内职务", "角色", "组内角色"],
    ),
    (
        Column::Specialties,
        &[
            "specialties",
            "specialty",
            "specialities",
            "speciality",
            "keywords",
            "专业",
            "专长",
            "专业特长",
            "擅长",
            "擅长领域",
            "关键词",
        ],
    ),
    (Column::Title, &["title", "职称", "技术职称"]),
    (
        Column::Organisation,
        &[
            "organisation",
            "organization",
            "org",
            "单位",
            "工作单位",
            "所在单位",
        ],
    ),
    (
        Column::District,
        &["district", "区", "所在区", "辖区", "区域"],
    ),
    (
        Column::Phones,
        &[
            "phone",
            "phones",
            "tel",
            "mobile",
            "电话",
            "联系电话",
            "手机",
            "手机号",
            "联系方式",
        ],
    ),
    (
        Column::Available,
        &["available", "availability", "可联系", "是否可联系", "可用"],
    ),
];

fn column(header: &str) -> Option<Column> {
    let h: String = header
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '_' | '-' | '\u{3000}'))
        .flat_map(char::to_lowercase)
        .collect();
    HEADERS
        .iter()
        .find(|(_, names)| names.contains(&h.as_str()))
        .map(|(c, _)| *c)
}

/// Splits a list cell: specialties and phones are written `a;b`, `a；b`, `a、b` or `a,b`.
fn list(cell: &str) -> Vec<String> {
    cell.split([';', '；', '、', ',', '，', '\n'])
        .map(|s| sanitize(s).trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

fn role(cell: &str) -> Option<GroupRole> {
    match cell.trim().to_lowercase().as_str() {
        "组长" | "leader" | "head" | "chair" => Some(GroupRole::Leader),
        "副组长" | "deputy" | "vice" | "deputy leader" | "vice leader" => {
            Some(GroupRole::Deputy)
        }
        "成员" | "组员" | "member" | "" => Some(GroupRole::Member),
        _ => None,
    }
}

fn yes_no(cell: &str) -> Option<bool> {
    match cell.trim().to_lowercase().as_str() {
        "是" | "yes" | "y" | "true" | "1" | "可" | "可联系" | "" => Some(true),
        "否" | "no" | "n" | "false" | "0" | "不可" | "不可联系" => Some(false),
        _ => None,
    }
}

/// Reads a CSV file's bytes; `origin` names the file in messages. Fails as a whole only when
/// the header row is unusable.
pub fn parse_csv(bytes: &[u8], origin: &str) -> anyhow::Result<Imported> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(false)
        .from_reader(strip_bom(bytes));
    let mut records = reader.byte_records();
    let mut warnings = Vec::new();
    let header = match records.next() {
        None => {
            return Err(anyhow!(
                "{origin}: the file is empty (expected a header row)"
            ));
        }
        Some(Err(e)) => return Err(anyhow!("{origin}:1: unreadable header row: {e}")),
        Some(Ok(h)) => h,
    };
    let mut columns = Vec::new();
    for cell in header.iter() {
        let text = String::from_utf8_lossy(cell);
        let c = column(&text);
        if c.is_none() && !text.trim().is_empty() {
            warnings.push(format!(
                "{origin}:1: unknown column {:?} ignored",
                text.trim()
            ));
        }
        columns.push(c);
    }
    if !columns.contains(&Some(Column::Name)) {
        return Err(anyhow!(
            "{origin}:1: no name column (姓名 or name); the header row has: {}",
            header
                .iter()
                .map(|c| String::from_utf8_lossy(c).trim().to_owned())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let mut items = Vec::new();
    let mut rejected = Vec::new();
    let mut places = Vec::new();
    for record in records {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                let w = format!("{origin}:{line}: unreadable row: {e}");
                rejected.push(w.clone());
                warnings.push(w);
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        if record.iter().all(|c| c.iter().all(u8::is_ascii_whitespace)) {
            continue;
        }
        match row(&record, &columns, line) {
            Ok((expert, row_warnings)) => {
                warnings.extend(
                    row_warnings
                        .into_iter()
                        .map(|w| format!("{origin}:{line}: {w}")),
                );
                items.push(expert);
                places.push(format!("{origin}:{line}"));
            }
            Err(w) => {
                let w = format!("{origin}:{line}: {w}; row skipped");
                rejected.push(w.clone());
                warnings.push(w);
            }
        }
    }
    Ok(Imported {
        directory: directory(items, Vec::new(), Vec::new()),
        warnings,
        rejected,
        places,
    })
}

/// One data row. `Err` skips the row; the warnings keep it.
fn row(
    record: &csv::ByteRecord,
    columns: &[Option<Column>],
    line: u64,
) -> Result<(Expert, Vec<String>), String> {
    if record.len() > columns.len() {
        return Err(format!(
            "{} cells but the header has {} columns (a separator inside a cell needs quotes)",
            record.len(),
            columns.len()
        ));
    }
    let mut e = Expert {
        id: String::new(),
        name: String::new(),
        domain: String::new(),
        group: String::new(),
        role: GroupRole::Member,
        specialties: Vec::new(),
        title: String::new(),
        organisation: String::new(),
        district: String::new(),
        phones: Vec::new(),
        available: true,
    };
    let mut warnings = Vec::new();
    for (cell, col) in record.iter().zip(columns) {
        let Some(col) = col else { continue };
        let cell = std::str::from_utf8(cell)
            .map_err(|_| "not UTF-8 text (save the sheet as \"CSV UTF-8\")".to_owned())?;
        let text = sanitize(cell).trim().to_owned();
        match col {
            Column::Id => e.id = text,
            Column::Name => e.name = text,
            Column::Domain => e.domain = text,
            Column::Group => e.group = text,
            Column::Title => e.title = text,
            Column::Organisation => e.organisation = text,
            Column::District => e.district = text,
            Column::Specialties => e.specialties = list(cell),
            Column::Phones => e.phones = list(cell),
            Column::Role => match role(&text) {
                Some(r) => e.role = r,
                None => warnings.push(format!(
                    "role {text:?} is not 组长, 副组长 or 成员; read as 成员"
                )),
            },
            Column::Available => match yes_no(&text) {
                Some(a) => e.available = a,
                None => warnings.push(format!(
                    "availability {text:?} is not 是/否 (yes/no, true/false, 1/0); read as 是"
                )),
            },
        }
    }
    if e.name.is_empty() {
        return Err("the name (姓名) is empty".to_owned());
    }
    if e.id.is_empty() {
        e.id = format!("line-{line}");
    }
    Ok((e, warnings))
}

/// Fills in the group and domain lists from the experts when the file did not give them.
fn directory(items: Vec<Expert>, groups: Vec<Group>, domains: Vec<Domain>) -> ExpertDirectory {
    let mut groups = groups;
    let mut domains = domains;
    let mut seen_g: HashSet<String> = groups.iter().map(|g| g.name.clone()).collect();
    let mut seen_d: HashSet<String> = domains.iter().map(|d| d.name.clone()).collect();
    for e in &items {
        if !e.domain.is_empty() && seen_d.insert(e.domain.clone()) {
            domains.push(Domain {
                name: e.domain.clone(),
            });
        }
        if !e.group.is_empty() && seen_g.insert(e.group.clone()) {
            groups.push(Group {
                name: e.group.clone(),
                domain: e.domain.clone(),
            });
        }
    }
    ExpertDirectory {
        items,
        groups,
        domains,
        next_cursor: None,
    }
}

/// Reads JSON in the API's shape: `{"items": [...], "groups": [...], "domains": [...]}` or a
/// bare array of experts. A malformed expert is reported by its position and skipped.
pub fn parse_json(bytes: &[u8], origin: &str) -> anyhow::Result<Imported> {
    let value: serde_json::Value = serde_json::from_slice(strip_bom(bytes))
        .map_err(|e| anyhow!("{origin}:{}:{}: not valid JSON: {e}", e.line(), e.column()))?;
    let (items, groups, domains, prefix) = match value {
        serde_json::Value::Array(items) => (items, Vec::new(), Vec::new(), ""),
        serde_json::Value::Object(mut map) => {
            let items = match map.remove("items") {
                Some(serde_json::Value::Array(a)) => a,
                _ => {
                    return Err(anyhow!(
                        "{origin}: expected an array of experts or an object with \"items\": [...]"
                    ));
                }
            };
            let groups = match map.remove("groups") {
                Some(g) => {
                    serde_json::from_value(g).map_err(|e| anyhow!("{origin}: \"groups\": {e}"))?
                }
                None => Vec::new(),
            };
            let domains = match map.remove("domains") {
                Some(d) => {
                    serde_json::from_value(d).map_err(|e| anyhow!("{origin}: \"domains\": {e}"))?
                }
                None => Vec::new(),
            };
            (items, groups, domains, "items")
        }
        _ => {
            return Err(anyhow!(
                "{origin}: expected an array of experts or an object with \"items\": [...]"
            ));
        }
    };
    let mut warnings = Vec::new();
    let mut rejected = Vec::new();
    let mut places = Vec::new();
    let mut experts = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        let label = item
            .get("name")
            .and_then(|n| n.as_str())
            .map(|n| format!(" ({})", sanitize(n)))
            .unwrap_or_default();
        match serde_json::from_value::<Expert>(item) {
            Ok(e) => {
                experts.push(clean(e));
                places.push(format!("{origin}: {prefix}[{i}]"));
            }
            Err(e) => {
                let w = format!("{origin}: {prefix}[{i}]{label}: {e}; skipped");
                rejected.push(w.clone());
                warnings.push(w);
            }
        }
    }
    Ok(Imported {
        directory: directory(experts, groups, domains),
        warnings,
        rejected,
        places,
    })
}

/// Text from a file reaches the screen: strip control characters and escapes, normalise.
fn clean(mut e: Expert) -> Expert {
    for s in [
        &mut e.name,
        &mut e.domain,
        &mut e.group,
        &mut e.title,
        &mut e.organisation,
        &mut e.district,
    ] {
        *s = sanitize(s).trim().to_owned();
    }
    for list in [&mut e.specialties, &mut e.phones] {
        for s in list.iter_mut() {
            *s = sanitize(s).trim().to_owned();
        }
    }
    e
}
