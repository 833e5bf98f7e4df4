//! The `/` filter: narrows a list to the rows whose words match what is typed. Every
//! word must match (AND), case does not matter. A colour word (红, 红色, red …) matches an
//! alert of that colour; a grade word (较大, major, Ⅲ …) an incident of that grade; other
//! words match the row's text. Filtering works on the list as already sorted, so the
//! order never changes while typing.

use crate::model::{Alert, Colour, Grade, Incident};

/// Which list a filter narrows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilterTarget {
    Alerts,
    Incidents,
    Silences,
    Instructions,
}

/// What is filtered, per list; empty means the whole list.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filters {
    pub alerts: String,
    pub incidents: String,
    pub silences: String,
    pub instructions: String,
}

impl Filters {
    pub fn get(&self, target: FilterTarget) -> &str {
        match target {
            FilterTarget::Alerts => &self.alerts,
            FilterTarget::Incidents => &self.incidents,
            FilterTarget::Silences => &self.silences,
            FilterTarget::Instructions => &self.instructions,
        }
    }

    pub fn set(&mut self, target: FilterTarget, text: &str) {
        let slot = match target {
            FilterTarget::Alerts => &mut self.alerts,
            FilterTarget::Incidents => &mut self.incidents,
            FilterTarget::Silences => &mut self.silences,
            FilterTarget::Instructions => &mut self.instructions,
        };
        text.trim().clone_into(slot);
    }
}

/// A list after filtering, with the size before, for "3/41".
#[derive(Debug, Clone)]
pub struct Shown<'a, T> {
    pub items: Vec<&'a T>,
    pub total: usize,
}

#[derive(Debug, Clone, PartialEq)]
enum Word {
    Colour(Colour),
    Grade(Grade),
    Text(String),
}

/// A parsed filter text.
#[derive(Debug, Clone, PartialEq)]
pub struct Query(Vec<Word>);

/// Colour words as the officer types them; the rest of the table is `Colour::zh`/`en`.
const COLOUR_WORDS: &[(&str, Colour)] = &[
    ("红色", Colour::Red),
    ("橙色", Colour::Orange),
    ("黄色", Colour::Yellow),
    ("蓝色", Colour::Blue),
];

/// The words `:filter` completes: colours and grades, both languages.
pub fn vocabulary() -> Vec<String> {
    let mut v: Vec<String> = Vec::new();
    for c in Colour::ALL.iter().rev() {
        v.push(c.zh().to_owned());
        v.push(c.en().to_owned());
    }
    for g in [Grade::I, Grade::II, Grade::III, Grade::IV] {
        v.push(g.zh().to_owned());
        if !g.en().contains(' ') {
            v.push(g.en().to_owned());
        }
    }
    v
}

fn colour_word(w: &str) -> Option<Colour> {
    Colour::ALL
        .into_iter()
        .find(|c| c.zh() == w || c.en() == w)
        .or_else(|| COLOUR_WORDS.iter().find(|(z, _)| *z == w).map(|(_, c)| *c))
}

fn grade_word(w: &str) -> Option<Grade> {
    [Grade::I, Grade::II, Grade::III, Grade::IV]
        .into_iter()
        .find(|g| g.zh() == w || g.en() == w || g.numeral() == w)
}

impl Query {
    pub fn parse(text: &str) -> Query {
        Query(
            text.split_whitespace()
                .map(|w| {
                    let lower = w.to_lowercase();
                    if let Some(c) = colour_word(&lower) {
                        Word::Colour(c)
                    } else if let Some(g) = grade_word(&lower).or_else(|| grade_word(w)) {
                        Word::Grade(g)
                    } else {
                        Word::Text(lower)
                    }
                })
                .collect(),
        )
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn alert(&self, a: &Alert) -> bool {
        let text = [a.title(), &*a.signal_type, &*a.area, &*a.source].map(|s| s.to_lowercase());
        self.0.iter().all(|w| match w {
            Word::Colour(c) => a.colour == *c,
            // A level numeral reads the same as the grade's: Ⅰ is red.
            Word::Grade(g) => a.level.numeral() == g.numeral() || contains(&text, g.zh()),
            Word::Text(t) => contains(&text, t),
        })
    }

    pub fn incident(&self, i: &Incident) -> bool {
        let text = [&i.title, &i.category, &i.district].map(|s| s.to_lowercase());
        self.0.iter().all(|w| match w {
            Word::Grade(g) => i.grade == *g,
            Word::Colour(c) => contains(&text, c.zh()),
            Word::Text(t) => contains(&text, t),
        })
    }

    /// Rows with no colour or grade of their own (silences, instructions) match on text;
    /// a colour or grade word matches as the word itself.
    pub fn text(&self, fields: &[&str]) -> bool {
        let text: Vec<String> = fields.iter().map(|s| s.to_lowercase()).collect();
        self.0.iter().all(|w| match w {
            Word::Colour(c) => contains(&text, c.zh()) || contains(&text, c.en()),
            Word::Grade(g) => contains(&text, g.zh()),
            Word::Text(t) => contains(&text, t),
        })
    }
}

fn contains<S: AsRef<str>>(fields: &[S], needle: &str) -> bool {
    fields.iter().any(|f| f.as_ref().contains(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_told_apart() {
        let q = Query::parse("红 Major 燃气");
        assert_eq!(
            q.0,
            vec![
                Word::Colour(Colour::Red),
                Word::Grade(Grade::III),
                Word::Text("燃气".into())
            ]
        );
        assert_eq!(Query::parse("RED").0, vec![Word::Colour(Colour::Red)]);
        assert_eq!(Query::parse("橙色").0, vec![Word::Colour(Colour::Orange)]);
        assert!(Query::parse("  ").is_empty());
    }

    #[test]
    fn text_rows_match_every_word() {
        let q = Query::parse("张 台风");
        assert!(q.text(&["张某伟", "台风红色预警"]));
        assert!(!q.text(&["张某伟", "暴雨"]));
    }
}
