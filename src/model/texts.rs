//! An alert's title and description, held in one allocation.
//!
//! A wall of 100,000 alerts pays for each alert's two texts 100,000 times: as two `String`s
//! they cost 48 bytes of the alert and two heap blocks, each with its own header and
//! rounding; here they cost 24 bytes and one block.

use std::fmt;

#[derive(Clone, Default, PartialEq, Eq)]
pub struct Texts {
    /// The title, then the description.
    both: Box<str>,
    title_len: u32,
}

impl Texts {
    pub fn new(title: &str, description: &str) -> Texts {
        // No text read is 4 GiB long (feeds and answers are capped far below that); should
        // one be, the title keeps all of it and the description is empty.
        let Ok(title_len) = u32::try_from(title.len()) else {
            return Texts {
                both: title.into(),
                title_len: u32::MAX,
            };
        };
        let mut both = String::with_capacity(title.len() + description.len());
        both.push_str(title);
        both.push_str(description);
        Texts {
            both: both.into_boxed_str(),
            title_len,
        }
    }

    pub fn title(&self) -> &str {
        let end = (self.title_len as usize).min(self.both.len());
        self.both.get(..end).unwrap_or(&self.both)
    }

    pub fn description(&self) -> &str {
        let start = (self.title_len as usize).min(self.both.len());
        self.both.get(start..).unwrap_or("")
    }

    pub fn set_title(&mut self, title: &str) {
        *self = Texts::new(title, self.description());
    }

    pub fn set_description(&mut self, description: &str) {
        *self = Texts::new(self.title(), description);
    }

    /// Both texts made safe to draw (`text::sanitize`); already clean texts are not copied.
    pub fn sanitize(&mut self) {
        let (title, description) = (self.title(), self.description());
        if super::text::is_clean(title) && super::text::is_clean(description) {
            return;
        }
        *self = Texts::new(
            &super::text::sanitize(title),
            &super::text::sanitize(description),
        );
    }
}

impl fmt::Debug for Texts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Texts")
            .field("title", &self.title())
            .field("description", &self.description())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_and_description_come_back_as_given_and_change_apart() {
        let mut t = Texts::new("暴雨橙色预警", "预计未来3小时降雨量将达50毫米以上");
        assert_eq!(t.title(), "暴雨橙色预警");
        assert_eq!(t.description(), "预计未来3小时降雨量将达50毫米以上");
        t.set_description("");
        assert_eq!((t.title(), t.description()), ("暴雨橙色预警", ""));
        t.set_title("大风");
        assert_eq!((t.title(), t.description()), ("大风", ""));
        assert_eq!(Texts::default().title(), "");
        assert_eq!(Texts::new("", "d").description(), "d");
        assert_ne!(Texts::new("ab", "c"), Texts::new("a", "bc"));
    }

    #[test]
    fn sanitizing_cleans_each_text_apart() {
        let mut t = Texts::new("a\u{1b}[31mb", "c\u{202e}d");
        t.sanitize();
        assert_eq!((t.title(), t.description()), ("ab", "cd"));
    }
}
