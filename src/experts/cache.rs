//! The last expert directory the console received, kept on disk so that `watchroom experts`
//! still answers at 03:00 when the backend is down.

use crate::model::ExpertDirectory;
use anyhow::Context;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// What the cache file holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CachedDirectory {
    pub saved_at: Timestamp,
    /// Where the directory came from (the server URL or the imported file).
    pub source: String,
    pub directory: ExpertDirectory,
}

/// `experts.json` in the data dir (`--data-dir`, `WATCHROOM_DATA_DIR`, else the platform's:
/// `~/.local/share/watchroom` on Linux).
pub fn default_path(data_dir: Option<&Path>) -> Option<PathBuf> {
    crate::config::data_dir(data_dir).map(|d| d.join("experts.json"))
}

/// Writes the cache atomically (a temporary file renamed over the old one), so a crash while
/// saving never leaves half a directory behind; private, since it holds phone numbers.
pub fn save(
    path: &Path,
    directory: &ExpertDirectory,
    source: &str,
    now: Timestamp,
) -> anyhow::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the data directory {}", dir.display()))?;
    }
    let cached = CachedDirectory {
        saved_at: now,
        source: source.to_owned(),
        directory: directory.clone(),
    };
    let json = serde_json::to_vec(&cached).context("cannot encode the expert directory")?;
    crate::private_file::write(path, &json)
        .with_context(|| format!("cannot write {}", path.display()))
}

/// Reads the cache; `Ok(None)` when there is none yet.
pub fn load(path: &Path) -> anyhow::Result<Option<CachedDirectory>> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
    };
    serde_json::from_slice(&bytes)
        .map(Some)
        .with_context(|| format!("{}: not a saved expert directory", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Expert, GroupRole};

    #[test]
    fn saves_and_loads_with_the_time_and_source() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub").join("experts.json");
        assert_eq!(load(&path).unwrap(), None);
        let directory = ExpertDirectory {
            items: vec![Expert {
                id: "e1".into(),
                name: "甲某一".into(),
                domain: "综合管理".into(),
                group: "应急指挥与预案演练".into(),
                role: GroupRole::Leader,
                specialties: vec!["预案".into()],
                title: String::new(),
                organisation: String::new(),
                district: String::new(),
                phones: vec!["100-0000-0001".into()],
                available: true,
            }],
            ..Default::default()
        };
        let at: Timestamp = "2026-11-29T03:00:00Z".parse().unwrap();
        save(&path, &directory, "http://127.0.0.1:1", at).unwrap();
        let back = load(&path).unwrap().unwrap();
        assert_eq!(back.saved_at, at);
        assert_eq!(back.source, "http://127.0.0.1:1");
        assert_eq!(back.directory, directory);
    }

    #[test]
    fn a_damaged_cache_names_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("experts.json");
        std::fs::write(&path, "{not json").unwrap();
        let err = format!("{:#}", load(&path).unwrap_err());
        assert!(err.contains("experts.json"), "{err}");
    }
}
