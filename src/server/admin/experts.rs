//! `watchroom admin experts import` and `POST /api/v1/admin/experts/import`: the
//! console's importer reads the file (CSV with Chinese or English headers, or JSON; a
//! BOM is fine), every bad row is named `file:line: …`, and the pool is replaced whole in
//! one transaction — or, with bad rows, not at all unless they are to be skipped.

use super::{Actor, refused};
use crate::experts::import::{self, Imported};
use crate::model::{Expert, ExpertDirectory};
use crate::server::error::{ApiFailure, ApiResult};
use crate::server::store::{self, Store};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// What an import changes, or would change in a dry run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExpertsReport {
    pub origin: String,
    pub dry_run: bool,
    /// Experts in the pool after the import.
    pub count: usize,
    /// `name (id)` of each expert added, changed or removed.
    pub added: Vec<String>,
    pub changed: Vec<String>,
    pub removed: Vec<String>,
    /// Rows left out (`--skip-bad`), `file:line: …`.
    pub skipped: Vec<String>,
    /// Rows read with a guess (an unknown role read as 成员 …) and other notes.
    pub warnings: Vec<String>,
}

impl ExpertsReport {
    /// The report as `watchroom admin` prints it.
    pub fn text(&self) -> String {
        let mut out = format!(
            "{}: {} expert{} {}\n",
            self.origin,
            self.count,
            if self.count == 1 { "" } else { "s" },
            if self.dry_run {
                "would be the pool (dry run: nothing was changed)"
            } else {
                "now in the pool"
            }
        );
        for (what, list) in [
            ("added", &self.added),
            ("changed", &self.changed),
            ("removed", &self.removed),
        ] {
            out.push_str(&format!("  {what} {}", list.len()));
            if !list.is_empty() {
                out.push_str(&format!(": {}", list.join(", ")));
            }
            out.push('\n');
        }
        if !self.skipped.is_empty() {
            out.push_str(&format!("  skipped {} bad rows:\n", self.skipped.len()));
            for s in &self.skipped {
                out.push_str(&format!("    {s}\n"));
            }
        }
        out
    }
}

/// Reads the bytes of a pool file; `json` when the caller knows the format, else it is
/// told by the first character (as `import_file` does).
pub fn read(bytes: &[u8], origin: &str, json: Option<bool>) -> ApiResult<Imported> {
    let json = json.unwrap_or_else(|| {
        let body = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
        matches!(
            body.iter().find(|b| !b.is_ascii_whitespace()),
            Some(b'{' | b'[')
        )
    });
    let read = if json {
        import::parse_json(bytes, origin)
    } else {
        import::parse_csv(bytes, origin)
    };
    read.map_err(|e| ApiFailure::field("body", format!("{e:#}")))
}

/// A file's format from its name: `Some(true)` for `.json`, `Some(false)` for `.csv`.
pub fn format_of(name: &str) -> Option<bool> {
    let lower = name.to_lowercase();
    if lower.ends_with(".json") {
        Some(true)
    } else if lower.ends_with(".csv") {
        Some(false)
    } else {
        None
    }
}

fn label(e: &Expert) -> String {
    format!("{} ({})", e.name, e.id)
}

/// The pool the file makes, checked against the current one: ids the file did not give
/// (CSV without an id column) are taken from the current pool's expert of the same name
/// and group, else made new; a repeated id is a bad row.
fn plan(
    imported: Imported,
    current: &ExpertDirectory,
    skip_bad: bool,
    origin: &str,
    dry_run: bool,
) -> ApiResult<(ExpertDirectory, ExpertsReport)> {
    let Imported {
        mut directory,
        warnings,
        mut rejected,
        places,
    } = imported;
    let mut by_name_group: HashMap<(&str, &str), Vec<&Expert>> = HashMap::new();
    for e in &current.items {
        by_name_group
            .entry((e.name.as_str(), e.group.as_str()))
            .or_default()
            .push(e);
    }
    let mut seen: HashMap<String, String> = HashMap::new();
    let mut kept = Vec::with_capacity(directory.items.len());
    let mut taken: HashSet<String> = HashSet::new();
    for (mut e, place) in std::mem::take(&mut directory.items).into_iter().zip(places) {
        let generated =
            e.id.strip_prefix("line-")
                .is_some_and(|n| place.ends_with(&format!(":{n}")));
        if generated {
            e.id = match by_name_group.get(&(e.name.as_str(), e.group.as_str())) {
                Some(same) if same.len() == 1 && !taken.contains(&same[0].id) => same[0].id.clone(),
                _ => store::new_id("expert"),
            };
        }
        if let Some(first) = seen.get(&e.id) {
            rejected.push(format!(
                "{place}: id {:?} is already used at {first}; row skipped",
                e.id
            ));
            continue;
        }
        seen.insert(e.id.clone(), place);
        taken.insert(e.id.clone());
        kept.push(e);
    }
    directory.items = kept;
    if !rejected.is_empty() && !skip_bad {
        return Err(refused(
            origin,
            &rejected,
            "fix them, or skip them with --skip-bad (skip_bad=true)",
        ));
    }
    if directory.items.is_empty() {
        return Err(ApiFailure::field(
            "body",
            format!("{origin}: no experts to import: the pool is left as it is"),
        ));
    }
    let old: HashMap<&str, &Expert> = current.items.iter().map(|e| (e.id.as_str(), e)).collect();
    let new_ids: HashSet<&str> = directory.items.iter().map(|e| e.id.as_str()).collect();
    let mut report = ExpertsReport {
        origin: origin.to_owned(),
        dry_run,
        count: directory.items.len(),
        added: Vec::new(),
        changed: Vec::new(),
        removed: Vec::new(),
        skipped: if skip_bad {
            rejected.clone()
        } else {
            Vec::new()
        },
        warnings: warnings
            .into_iter()
            .filter(|w| !rejected.contains(w))
            .collect(),
    };
    for e in &directory.items {
        match old.get(e.id.as_str()) {
            None => report.added.push(label(e)),
            Some(was) if *was != e => report.changed.push(label(e)),
            Some(_) => {}
        }
    }
    report.removed = current
        .items
        .iter()
        .filter(|e| !new_ids.contains(e.id.as_str()))
        .map(label)
        .collect();
    Ok((directory, report))
}

/// Checks the file against the pool and, unless `dry_run`, replaces the pool with it in
/// one transaction, keeping the previous pool in the admin log and emitting an `experts`
/// event.
pub fn import(
    store: &Store,
    imported: Imported,
    origin: &str,
    skip_bad: bool,
    dry_run: bool,
    actor: &Actor,
    at: Timestamp,
) -> ApiResult<ExpertsReport> {
    if dry_run {
        let current = store.read_blocking(store::experts::directory)?;
        return plan(imported, &current, skip_bad, origin, true).map(|(_, r)| r);
    }
    store.write_blocking(|ch| {
        let current = store::experts::directory(&ch.tx)?;
        let (directory, report) = plan(imported, &current, skip_bad, origin, false)?;
        let summary = serde_json::json!({
            "count": report.count,
            "added": report.added.len(),
            "changed": report.changed.len(),
            "removed": report.removed.len(),
            "skipped": report.skipped.len(),
            "by": actor.by,
            "at": at,
        });
        store::experts::import(ch, &directory, actor, origin, summary, at)?;
        Ok(report)
    })
}
