//! What happens when the console panics: the terminal is restored first (ratatui's hook,
//! installed over this one, does that), then the message, the place and a full backtrace
//! go to a log file in the data dir, and stderr says where that file is.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Install the hook; reports go to `dir` (created when the first panic happens).
pub fn install(dir: PathBuf) {
    std::panic::set_hook(Box::new(move |info| {
        let backtrace = std::backtrace::Backtrace::force_capture();
        let message = panic_message(info);
        let place = info
            .location()
            .map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column()))
            .unwrap_or_else(|| "unknown place".to_owned());
        eprintln!("watchroom panicked at {place}: {message}");
        match write_report(&dir, &message, &place, &backtrace) {
            Ok(path) => eprintln!("watchroom: the full report is in {}", path.display()),
            Err(e) => eprintln!(
                "watchroom: could not write the report to {}: {e}\n{backtrace}",
                dir.display()
            ),
        }
    }));
}

fn panic_message(info: &std::panic::PanicHookInfo<'_>) -> String {
    let payload = info.payload();
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(a panic without a message)".to_owned())
}

/// Write one report file and return its path.
pub fn write_report(
    dir: &Path,
    message: &str,
    place: &str,
    backtrace: &std::backtrace::Backtrace,
) -> std::io::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    let now = jiff::Timestamp::now();
    let path = dir.join(format!(
        "panic-{}-{}.log",
        now.strftime("%Y%m%dT%H%M%SZ"),
        std::process::id()
    ));
    let mut file = crate::private_file::create_new(&path)?;
    writeln!(
        file,
        "watchroom {} panicked at {now}\nplace: {place}\nmessage: {message}\n\nbacktrace:\n{backtrace}",
        env!("CARGO_PKG_VERSION")
    )?;
    file.flush()?;
    Ok(path)
}

/// Where reports go: the platform data dir, else the temp dir.
pub fn default_dir() -> PathBuf {
    crate::config::project_dirs()
        .map(|d| d.data_dir().to_path_buf())
        .unwrap_or_else(std::env::temp_dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_holds_message_place_and_backtrace() {
        let dir = tempfile::tempdir().unwrap();
        let bt = std::backtrace::Backtrace::force_capture();
        let path = write_report(dir.path(), "boom", "src/x.rs:1:2", &bt).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("message: boom"), "{text}");
        assert!(text.contains("place: src/x.rs:1:2"));
        assert!(text.contains("backtrace:"));
        assert!(
            path.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("panic-"),
            "{path:?}"
        );
    }
}
