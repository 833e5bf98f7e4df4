//! Creating the files watchroom writes: every one holds something personal (names and
//! phone numbers in the stores and the expert copy, who acknowledged what in a handover,
//! the token, a crash report's backtrace among the officer's data), so each is created
//! readable and writable by its owner only (mode 600 on unix), whatever the umask. The
//! one place files are made; nothing else calls `File::create` or `fs::write`.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The permissions of a new file.
#[cfg(unix)]
pub const MODE: u32 = 0o600;

fn options() -> OpenOptions {
    let mut options = OpenOptions::new();
    options.write(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, MODE);
    options
}

/// A new file at `path`; an existing one is an error (`AlreadyExists`).
pub fn create_new(path: &Path) -> std::io::Result<File> {
    options().create_new(true).open(path)
}

/// Makes `path` an empty private file unless it exists: before SQLite opens a database
/// there, which would create it by the umask (its -wal and -shm files then take the
/// database file's permissions).
pub fn touch(path: &Path) -> std::io::Result<()> {
    match create_new(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

/// Writes `bytes` to `path` whole or not at all: a private temporary file beside it,
/// synced, renamed over it. A crash while writing never leaves half a file, and a file
/// that was readable by others before is replaced by a private one.
pub fn write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = temporary(path);
    // Left by a crash between creating and renaming: nobody else writes there.
    let _ = std::fs::remove_file(&tmp);
    let written = create_new(&tmp).and_then(|mut f| {
        f.write_all(bytes)?;
        f.sync_all()
    });
    match written.and_then(|()| std::fs::rename(&tmp, path)) {
        Ok(()) => Ok(()),
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e)
        }
    }
}

fn temporary(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".tmp");
    path.with_file_name(name)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn files_are_made_private_and_a_loose_one_is_replaced_by_a_private_one() {
        let dir = tempfile::tempdir().unwrap();
        let loose = dir.path().join("experts.json");
        std::fs::write(&loose, "old").unwrap();
        std::fs::set_permissions(&loose, std::fs::Permissions::from_mode(0o644)).unwrap();
        write(&loose, b"new").unwrap();
        assert_eq!(
            (std::fs::read_to_string(&loose).unwrap(), mode(&loose)),
            ("new".to_owned(), MODE)
        );
        assert!(!temporary(&loose).exists());
        let db = dir.path().join("store.db");
        touch(&db).unwrap();
        touch(&db).unwrap();
        assert_eq!(mode(&db), MODE);
        let new = dir.path().join("panic.log");
        drop(create_new(&new).unwrap());
        assert_eq!(mode(&new), MODE);
        assert!(
            create_new(&new).is_err(),
            "an existing file is not overwritten"
        );
    }
}
