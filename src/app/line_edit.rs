//! A one-line text editor for form fields: cursor by character, CJK-aware width.

use crate::model::text::width;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineEdit {
    text: String,
    /// Cursor position in characters (not bytes).
    cursor: usize,
}

/// Longest text a field takes: a duty-log line, not an essay.
const MAX_CHARS: usize = 2000;

impl LineEdit {
    pub fn with_text(text: &str) -> LineEdit {
        LineEdit {
            text: text.to_owned(),
            cursor: text.chars().count(),
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn is_blank(&self) -> bool {
        self.text.trim().is_empty()
    }

    fn byte_at(&self, chars: usize) -> usize {
        self.text
            .char_indices()
            .nth(chars)
            .map_or(self.text.len(), |(i, _)| i)
    }

    pub fn insert(&mut self, c: char) {
        if c.is_control() || self.text.chars().count() >= MAX_CHARS {
            return;
        }
        let at = self.byte_at(self.cursor);
        self.text.insert(at, c);
        self.cursor += 1;
    }

    pub fn backspace(&mut self) {
        if self.cursor == 0 {
            return;
        }
        self.cursor -= 1;
        let at = self.byte_at(self.cursor);
        self.text.remove(at);
    }

    pub fn delete(&mut self) {
        if self.cursor < self.text.chars().count() {
            let at = self.byte_at(self.cursor);
            self.text.remove(at);
        }
    }

    /// Ctrl-W: delete the word before the cursor (and the spaces after it).
    pub fn delete_word(&mut self) {
        let chars: Vec<char> = self.text.chars().collect();
        let mut start = self.cursor;
        while start > 0 && chars[start - 1].is_whitespace() {
            start -= 1;
        }
        while start > 0 && !chars[start - 1].is_whitespace() {
            start -= 1;
        }
        let (a, b) = (self.byte_at(start), self.byte_at(self.cursor));
        self.text.replace_range(a..b, "");
        self.cursor = start;
    }

    pub fn left(&mut self) {
        self.cursor = self.cursor.saturating_sub(1);
    }

    pub fn right(&mut self) {
        self.cursor = (self.cursor + 1).min(self.text.chars().count());
    }

    pub fn home(&mut self) {
        self.cursor = 0;
    }

    pub fn end(&mut self) {
        self.cursor = self.text.chars().count();
    }

    /// The editing keys every text field shares; false when `key` is not one of them.
    pub fn handle_key(&mut self, key: KeyEvent) -> bool {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Char('w') if ctrl => self.delete_word(),
            KeyCode::Char('u') if ctrl => *self = LineEdit::default(),
            KeyCode::Char('a') if ctrl => self.home(),
            KeyCode::Char('e') if ctrl => self.end(),
            KeyCode::Char(c) if !ctrl => self.insert(c),
            KeyCode::Backspace => self.backspace(),
            KeyCode::Delete => self.delete(),
            KeyCode::Left => self.left(),
            KeyCode::Right => self.right(),
            KeyCode::Home => self.home(),
            KeyCode::End => self.end(),
            _ => return false,
        }
        true
    }

    /// Cells from the start of the text to the cursor, for placing the terminal cursor.
    pub fn cursor_cells(&self) -> usize {
        width(&self.text[..self.byte_at(self.cursor)])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_by_character_with_chinese_text() {
        let mut e = LineEdit::default();
        for c in "燃气泄漏".chars() {
            e.insert(c);
        }
        e.left();
        e.backspace();
        assert_eq!(e.text(), "燃气漏");
        assert_eq!(e.cursor_cells(), 4);
        e.home();
        e.delete();
        assert_eq!(e.text(), "气漏");
        e.end();
        e.insert(' ');
        e.insert('a');
        e.delete_word();
        assert_eq!(e.text(), "气漏 ");
        e.delete_word();
        assert_eq!(e.text(), "");
    }

    #[test]
    fn control_characters_are_not_inserted() {
        let mut e = LineEdit::default();
        e.insert('\u{1b}');
        e.insert('\n');
        assert!(e.is_blank());
    }
}
