//! Errors that point into a file: `file:line: message`, one per line, the form editors and
//! terminals jump to. Config, keymap and theme files all report through these.

use std::fmt;
use std::ops::Range;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileError {
    /// The file as the user would name it (a path, or `keymaps/vim.toml` for a built-in).
    pub file: String,
    /// 1-based; 0 when the problem belongs to the file as a whole.
    pub line: usize,
    pub message: String,
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(f, "{}:{}: {}", self.file, self.line, self.message)
        }
    }
}

impl std::error::Error for FileError {}

/// Every problem found in one or more files; shown one per line.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FileErrors(pub Vec<FileError>);

impl fmt::Display for FileErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (n, e) in self.0.iter().enumerate() {
            if n > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for FileErrors {}

impl From<FileError> for FileErrors {
    fn from(e: FileError) -> Self {
        FileErrors(vec![e])
    }
}

/// Collects problems in one file's text, turning byte spans into line numbers.
pub struct Collector<'a> {
    pub file: &'a str,
    text: &'a str,
    pub errors: Vec<FileError>,
}

impl<'a> Collector<'a> {
    pub fn new(file: &'a str, text: &'a str) -> Collector<'a> {
        Collector {
            file,
            text,
            errors: Vec::new(),
        }
    }

    pub fn line(&self, span: &Range<usize>) -> usize {
        line_of(self.text, span.start)
    }

    pub fn at(&mut self, span: &Range<usize>, message: impl Into<String>) {
        let line = self.line(span);
        self.errors.push(FileError {
            file: self.file.to_owned(),
            line,
            message: message.into(),
        });
    }

    /// A TOML syntax or shape error, at the place toml points to.
    pub fn toml(&mut self, e: &toml::de::Error) {
        let line = e.span().map_or(0, |s| line_of(self.text, s.start));
        self.errors.push(FileError {
            file: self.file.to_owned(),
            line,
            message: e.message().trim_end().to_owned(),
        });
    }

    pub fn finish<T>(self, value: T) -> Result<T, FileErrors> {
        if self.errors.is_empty() {
            Ok(value)
        } else {
            Err(FileErrors(self.errors))
        }
    }
}

/// The 1-based line and column of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

pub fn line_of(text: &str, offset: usize) -> usize {
    line_col(text, offset).0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_become_lines_and_columns() {
        let text = "a = 1\n中文 = 2\nc = 3\n";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 6), (2, 1));
        // Inside a multi-byte character: the character's own column.
        assert_eq!(line_col(text, 7), (2, 1));
        assert_eq!(line_col(text, text.find('c').unwrap()), (3, 1));
        assert_eq!(line_col(text, 10_000).0, 4);
    }

    #[test]
    fn errors_print_as_file_line_message() {
        let mut c = Collector::new("k.toml", "x\ny\n");
        c.at(&(2..3), "bad y");
        let err = c.finish(()).unwrap_err();
        assert_eq!(err.to_string(), "k.toml:2: bad y");
    }
}
