//! Backups of the server's database, and putting one back. A backup is taken with SQLite's
//! online backup while the server keeps writing: one step copies every page inside one read
//! transaction, which in WAL mode holds up no writer, so the copy is the database as it was
//! at one commit. A restore replaces the file only while nobody has it open, and keeps the
//! file it replaces: a restore must never be the way data is lost.

use super::Actor;
use crate::server::error::{ApiFailure, ApiResult};
use crate::server::store::{SCHEMA_VERSION, admin_log};
use anyhow::{Context, bail};
use jiff::Timestamp;
use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, ErrorCode, OpenFlags, OptionalExtension};
use serde::Serialize;
use serde_json::json;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// What a database file holds: the report of a backup, the check before a restore.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Contents {
    pub schema_version: i64,
    pub alerts: u64,
    pub incidents: u64,
    pub timeline_entries: u64,
    pub shifts: u64,
    pub experts: u64,
    pub handovers: u64,
    pub users: u64,
    pub audit_rows: u64,
    /// The seq of the newest change event: a console's cursor beyond it means the console
    /// saw changes the file does not hold.
    pub last_seq: u64,
    pub bytes: u64,
}

impl Contents {
    /// The records people made or loaded (not the events and audit rows about them).
    pub fn records(&self) -> u64 {
        self.alerts
            + self.incidents
            + self.timeline_entries
            + self.shifts
            + self.experts
            + self.handovers
            + self.users
    }

    /// One line of counts, as the commands print it.
    pub fn line(&self) -> String {
        format!(
            "{} records: {} alerts, {} incidents ({} timeline entries), {} shifts, {} experts, \
             {} handovers, {} users; {} audit rows; last change {}",
            self.records(),
            self.alerts,
            self.incidents,
            self.timeline_entries,
            self.shifts,
            self.experts,
            self.handovers,
            self.users,
            self.audit_rows,
            self.last_seq
        )
    }

    fn head(&self, path: &Path) -> String {
        format!(
            "{}: integrity ok, schema version {}, {}",
            path.display(),
            self.schema_version,
            size(self.bytes)
        )
    }
}

fn size(bytes: u64) -> String {
    const MIB: f64 = 1024.0 * 1024.0;
    if bytes < 1024 * 1024 {
        format!("{} KiB", bytes.div_ceil(1024))
    } else {
        format!("{:.1} MiB", bytes as f64 / MIB)
    }
}

/// How long a backup step waits for a lock it cannot get at once (another connection
/// switching journal modes, a checkpoint) before giving up.
const BUSY_WAIT: Duration = Duration::from_secs(10);
/// How long a restore waits to find the database free: long enough for a write by a
/// `watchroom admin` to finish, far shorter than any server stays up.
const IN_USE_WAIT: Duration = Duration::from_millis(500);

/// Checks a database file without changing it: SQLite's integrity check, the schema
/// version (one this watchroom opens), and what it holds. Every refusal names the file.
pub fn inspect(path: &Path) -> anyhow::Result<Contents> {
    let shown = path.display();
    let meta = std::fs::metadata(path).with_context(|| format!("cannot read {shown}"))?;
    if !meta.is_file() {
        bail!("{shown} is not a file");
    }
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .with_context(|| format!("cannot open {shown}"))?;
    let problems = integrity(&conn).map_err(|e| match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) => {
            anyhow::anyhow!("{shown} is not an SQLite database (a watchroom backup is one)")
        }
        _ => anyhow::anyhow!("{shown}: the integrity check could not run: {e}"),
    })?;
    if !problems.is_empty() {
        bail!(
            "{shown} is damaged: SQLite's integrity check says:\n  {}",
            problems.join("\n  ")
        );
    }
    let has = |table: &str| -> anyhow::Result<bool> {
        Ok(conn
            .query_row(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1",
                [table],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    };
    let version: Option<String> = if has("meta")? {
        conn.query_row(
            "SELECT value FROM meta WHERE key = 'schema_version'",
            [],
            |r| r.get(0),
        )
        .optional()?
    } else {
        None
    };
    let Some(version) = version else {
        bail!("{shown} is an SQLite database but not watchroom's: it has no schema version");
    };
    let schema_version = match version.trim().parse::<i64>() {
        Ok(v) if (1..=SCHEMA_VERSION).contains(&v) => v,
        Ok(v) => bail!(
            "{shown} has schema version {v}, and this watchroom reads versions 1 to \
             {SCHEMA_VERSION}: use the watchroom that wrote it"
        ),
        Err(_) => bail!("{shown} has a schema version that is not a number: {version:?}"),
    };
    let count = |table: &str| -> anyhow::Result<u64> {
        if !has(table)? {
            return Ok(0);
        }
        let n: i64 = conn
            .query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))
            .with_context(|| format!("{shown}: cannot count the {table}"))?;
        Ok(u64::try_from(n).unwrap_or(0))
    };
    let last_seq: Option<i64> = if has("events")? {
        conn.query_row("SELECT MAX(seq) FROM events", [], |r| r.get(0))?
    } else {
        None
    };
    Ok(Contents {
        schema_version,
        alerts: count("alerts")?,
        incidents: count("incidents")?,
        timeline_entries: count("timeline")?,
        shifts: count("shifts")?,
        experts: count("experts")?,
        handovers: count("handovers")?,
        users: count("users")?,
        audit_rows: count("audit")?,
        last_seq: last_seq.and_then(|n| u64::try_from(n).ok()).unwrap_or(0),
        bytes: meta.len(),
    })
}

/// The integrity check's complaints (none: the file is sound), at most ten.
fn integrity(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare("PRAGMA integrity_check(10)")?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    let lines = rows.collect::<Result<Vec<_>, _>>()?;
    Ok(lines.into_iter().filter(|l| l != "ok").collect())
}

/// What `backup` did.
#[derive(Debug)]
pub struct BackupReport {
    pub path: PathBuf,
    pub contents: Contents,
}

impl BackupReport {
    pub fn text(&self) -> String {
        format!(
            "backup {}\n  {}\n",
            self.contents.head(&self.path),
            self.contents.line()
        )
    }
}

/// Copies the database `db` (which a server may be writing) to `dest`, mode 600, checks
/// the copy, and records the backup in `db`'s admin log and audit trail. The copy is
/// written beside `dest` and moved into place only once checked, so a failed backup
/// leaves no half file, and with `force` an older backup is replaced only by a good one.
pub fn backup(
    db: &Path,
    dest: &Path,
    force: bool,
    actor: &Actor,
    now: Timestamp,
) -> anyhow::Result<BackupReport> {
    if !db.is_file() {
        bail!(
            "there is no database {}: nothing to back up (give the --db that `watchroom serve` uses)",
            db.display()
        );
    }
    if dest.exists() && !force {
        bail!(
            "{} already exists: choose another PATH, or pass --force to replace it",
            dest.display()
        );
    }
    if same_file(db, dest) {
        bail!(
            "{} is the database itself: back it up to another file",
            dest.display()
        );
    }
    let partial = Partial::beside(dest, "partial")?;
    let (store, _) = super::open(db)?;
    store
        .read_blocking(|conn| copy(conn, partial.path()))
        .map_err(|e| anyhow::anyhow!("cannot back up {}: {}", db.display(), e.error))?;
    let contents = inspect(partial.path()).with_context(|| {
        format!(
            "the copy of {} failed its check, so {} was not written",
            db.display(),
            dest.display()
        )
    })?;
    partial.place(dest, force)?;
    let shown = dest.display().to_string();
    store
        .write_blocking(|ch| {
            admin_log::append(
                ch,
                "database.backup",
                actor,
                now,
                &shown,
                json!({ "contents": contents }),
                serde_json::Value::Null,
                0,
            )
        })
        .map_err(|e| {
            anyhow::anyhow!(
                "the backup {shown} is written and sound, but recording it in {} failed: {}",
                db.display(),
                e.error
            )
        })?;
    Ok(BackupReport {
        path: dest.to_path_buf(),
        contents,
    })
}

/// What `restore` did.
#[derive(Debug)]
pub struct RestoreReport {
    pub db: PathBuf,
    pub from: PathBuf,
    pub contents: Contents,
    /// Where the database that was replaced now is (none: there was none).
    pub kept: Option<PathBuf>,
}

impl RestoreReport {
    pub fn text(&self) -> String {
        let mut text = format!(
            "restored {} from {}\n  {}\n",
            self.db.display(),
            self.contents.head(&self.from),
            self.contents.line()
        );
        if let Some(kept) = &self.kept {
            text.push_str(&format!(
                "the database it replaced is kept as {}\n",
                kept.display()
            ));
        }
        text
    }
}

/// Replaces the database `db` with the backup `from`: checks the backup first, refuses
/// while anyone (a running server) has `db` open, keeps the replaced file beside it as
/// `NAME.before-restore-TIME`, and records the restore in the restored database's admin
/// log and audit trail. A `db` that does not exist yet is simply created from the backup.
pub fn restore(
    db: &Path,
    from: &Path,
    actor: &Actor,
    now: Timestamp,
) -> anyhow::Result<RestoreReport> {
    let contents = inspect(from).context("nothing was restored")?;
    if same_file(db, from) {
        bail!(
            "{} is the database itself: restore from a backup file",
            from.display()
        );
    }
    // Held until the new file is in place, so that no server opens the old one meanwhile.
    let held = if db.exists() { Some(take(db)?) } else { None };
    let kept = held.as_ref().map(|_| aside_name(db, now));
    let partial = Partial::beside(db, "restoring")?;
    {
        let src = Connection::open_with_flags(from, OpenFlags::SQLITE_OPEN_READ_ONLY)
            .with_context(|| format!("cannot open {}", from.display()))?;
        copy(&src, partial.path())
            .map_err(|e| anyhow::anyhow!("cannot copy {}: {}", from.display(), e.error))?;
    }
    {
        // Brought up to this version as `serve` would, and told what happened to it.
        let (store, _) = super::open(partial.path())
            .with_context(|| format!("cannot open the copy of {}", from.display()))?;
        let from_shown = from.display().to_string();
        let summary = json!({
            "contents": contents,
            "database": db.display().to_string(),
            "kept": kept.as_ref().map(|k| k.display().to_string()),
        });
        store
            .write_blocking(|ch| {
                admin_log::append(
                    ch,
                    "database.restore",
                    actor,
                    now,
                    &from_shown,
                    summary,
                    serde_json::Value::Null,
                    0,
                )
            })
            .map_err(|e| anyhow::anyhow!("cannot record the restore: {}", e.error))?;
    }
    if let Some(kept) = &kept {
        std::fs::rename(db, kept).with_context(|| {
            format!(
                "cannot move {} aside to {}: nothing was restored",
                db.display(),
                kept.display()
            )
        })?;
        move_leftovers(db, kept)?;
    }
    partial.place(db, true).with_context(|| match &kept {
        Some(k) => format!(
            "the database was moved to {}: move it back to {} to undo",
            k.display(),
            db.display()
        ),
        None => "nothing was restored".to_owned(),
    })?;
    drop(held);
    Ok(RestoreReport {
        db: db.to_path_buf(),
        from: from.to_path_buf(),
        contents,
        kept,
    })
}

/// Copies every page of `src` into a new file at `to` in one step (one read transaction:
/// a consistent snapshot), then makes the copy a self-contained file without a WAL.
fn copy(src: &Connection, to: &Path) -> ApiResult<()> {
    let mut dst = Connection::open(to)?;
    {
        let backup = Backup::new(src, &mut dst)?;
        let started = Instant::now();
        loop {
            match backup.step(-1)? {
                StepResult::Done => break,
                StepResult::More => {}
                _ if started.elapsed() > BUSY_WAIT => {
                    return Err(ApiFailure::internal(format!(
                        "the database stayed locked for {} s",
                        BUSY_WAIT.as_secs()
                    )));
                }
                _ => std::thread::sleep(Duration::from_millis(50)),
            }
        }
    }
    // The copied header says WAL, as the source's does; a backup is one file.
    dst.pragma_update(None, "journal_mode", "DELETE")?;
    Ok(())
}

/// Opens `db` for nobody else: leaving WAL mode needs every other connection closed (and
/// writes the WAL into the file, so the file kept aside is whole), and an exclusive lock
/// then keeps newcomers out until it is dropped.
fn take(db: &Path) -> anyhow::Result<Option<Connection>> {
    let shown = db.display();
    let conn = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_WRITE)
        .with_context(|| format!("cannot open {shown}"))?;
    conn.busy_timeout(IN_USE_WAIT)?;
    let in_use = || {
        anyhow::anyhow!(
            "{shown} is in use (a `watchroom serve`, or another `watchroom admin`, has it open): \
             stop the server first (systemctl stop watchroom), or restore into a new file with \
             --db NEW.sqlite and point the server at it; nothing was restored"
        )
    };
    let mode: Result<String, _> = conn.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0));
    match mode {
        Ok(m) if m.eq_ignore_ascii_case("delete") => {}
        Ok(_) => return Err(in_use()),
        Err(e) => match e.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => return Err(in_use()),
            // Not a database any more: no server can be using it, and it is kept aside as is.
            Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => return Ok(None),
            _ => return Err(e).with_context(|| format!("cannot take {shown} for the restore")),
        },
    }
    conn.pragma_update(None, "locking_mode", "EXCLUSIVE")?;
    conn.execute_batch("BEGIN EXCLUSIVE; COMMIT;")
        .map_err(|e| match e.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => in_use(),
            _ => anyhow::anyhow!("cannot lock {shown} for the restore: {e}"),
        })?;
    Ok(Some(conn))
}

/// `duty.sqlite.before-restore-20261201T083000Z`, or with `-2`, `-3` … when taken.
fn aside_name(db: &Path, now: Timestamp) -> PathBuf {
    let base = format!(
        "{}.before-restore-{}",
        file_name(db),
        now.strftime("%Y%m%dT%H%M%SZ")
    );
    let mut candidate = db.with_file_name(&base);
    let mut n = 2;
    while candidate.exists() {
        candidate = db.with_file_name(format!("{base}-{n}"));
        n += 1;
    }
    candidate
}

/// A `-wal` left beside the database (one that could not be written into it) goes aside
/// with it; the `-shm` index is rebuilt from them and is dropped.
fn move_leftovers(db: &Path, kept: &Path) -> anyhow::Result<()> {
    let with = |p: &Path, suffix: &str| p.with_file_name(format!("{}{suffix}", file_name(p)));
    let wal = with(db, "-wal");
    if wal.exists() {
        let to = with(kept, "-wal");
        std::fs::rename(&wal, &to)
            .with_context(|| format!("cannot move {} to {}", wal.display(), to.display()))?;
    }
    let shm = with(db, "-shm");
    if shm.exists() {
        std::fs::remove_file(&shm).with_context(|| format!("cannot remove {}", shm.display()))?;
    }
    Ok(())
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "watchroom.sqlite".to_owned())
}

fn same_file(a: &Path, b: &Path) -> bool {
    matches!((a.canonicalize(), b.canonicalize()), (Ok(x), Ok(y)) if x == y)
}

/// A file being written beside its destination (same directory, so the final rename is
/// atomic), mode 600 from its creation; removed, with its journal, unless placed.
struct Partial {
    path: PathBuf,
    placed: bool,
}

impl Partial {
    fn beside(dest: &Path, what: &str) -> anyhow::Result<Partial> {
        let dir = match dest.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        if !dir.is_dir() {
            bail!("the directory {} does not exist", dir.display());
        }
        let path = dir.join(format!(
            ".{}.{what}-{}",
            file_name(dest),
            uuid::Uuid::new_v4().simple()
        ));
        crate::private_file::create_new(&path)
            .with_context(|| format!("cannot create a file in {}", dir.display()))?;
        Ok(Partial {
            path,
            placed: false,
        })
    }

    fn path(&self) -> &Path {
        &self.path
    }

    /// Moves the file to `dest` once it is on disk: replacing what is there with
    /// `replace`, else only if nothing is (a link, which fails rather than overwrite).
    fn place(mut self, dest: &Path, replace: bool) -> anyhow::Result<()> {
        std::fs::File::open(&self.path)
            .and_then(|f| f.sync_all())
            .with_context(|| format!("cannot write {} to disk", self.path.display()))?;
        let moved = if replace {
            std::fs::rename(&self.path, dest)
        } else {
            match std::fs::hard_link(&self.path, dest) {
                Ok(()) => std::fs::remove_file(&self.path),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => bail!(
                    "{} appeared while the backup ran: choose another PATH, or pass --force",
                    dest.display()
                ),
                // A file system without links: check, then rename.
                Err(_) if dest.exists() => bail!("{} already exists", dest.display()),
                Err(_) => std::fs::rename(&self.path, dest),
            }
        };
        moved.with_context(|| format!("cannot move the new file to {}", dest.display()))?;
        self.placed = true;
        if let Some(dir) = dest.parent().filter(|p| !p.as_os_str().is_empty()) {
            // The rename itself survives a power cut only once the directory is written.
            let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
        }
        Ok(())
    }
}

impl Drop for Partial {
    fn drop(&mut self) {
        if !self.placed {
            let _ = std::fs::remove_file(&self.path);
            for suffix in ["-journal", "-wal", "-shm"] {
                let _ = std::fs::remove_file(
                    self.path
                        .with_file_name(format!("{}{suffix}", file_name(&self.path))),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_in_kib_then_mib() {
        assert_eq!(size(0), "0 KiB");
        assert_eq!(size(1500), "2 KiB");
        assert_eq!(size(3 * 1024 * 1024 + 512 * 1024), "3.5 MiB");
    }

    #[test]
    fn the_file_kept_aside_is_named_by_the_time_and_never_taken_twice() {
        let dir = tempfile::TempDir::new().unwrap();
        let db = dir.path().join("duty.sqlite");
        let now: Timestamp = "2026-12-01T00:30:00Z".parse().unwrap();
        let first = aside_name(&db, now);
        assert_eq!(
            first.file_name().unwrap(),
            "duty.sqlite.before-restore-20261201T003000Z"
        );
        std::fs::write(&first, b"x").unwrap();
        assert_eq!(
            aside_name(&db, now).file_name().unwrap(),
            "duty.sqlite.before-restore-20261201T003000Z-2"
        );
    }
}
