//! Warning colours (蓝黄橙红), warning levels (Ⅳ–Ⅰ) and event grades.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Warning colour. Ordered by severity: Blue < Yellow < Orange < Red.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Colour {
    Blue,
    Yellow,
    Orange,
    Red,
}

impl Colour {
    pub const ALL: [Colour; 4] = [Colour::Blue, Colour::Yellow, Colour::Orange, Colour::Red];

    /// The warning level that this colour stands for.
    pub fn level(self) -> Level {
        match self {
            Colour::Blue => Level::IV,
            Colour::Yellow => Level::III,
            Colour::Orange => Level::II,
            Colour::Red => Level::I,
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            Colour::Blue => "蓝",
            Colour::Yellow => "黄",
            Colour::Orange => "橙",
            Colour::Red => "红",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Colour::Blue => "blue",
            Colour::Yellow => "yellow",
            Colour::Orange => "orange",
            Colour::Red => "red",
        }
    }

    /// The CAP `severity` word that corresponds to this colour.
    pub fn cap_severity(self) -> &'static str {
        self.level().cap_severity()
    }

    pub fn from_cap_severity(word: &str) -> Option<Colour> {
        Level::from_cap_severity(word).map(Level::colour)
    }
}

impl fmt::Display for Colour {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.en())
    }
}

/// Warning level Ⅳ (lowest) … Ⅰ (highest).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Level {
    IV,
    III,
    II,
    I,
}

impl Level {
    pub fn colour(self) -> Colour {
        match self {
            Level::IV => Colour::Blue,
            Level::III => Colour::Yellow,
            Level::II => Colour::Orange,
            Level::I => Colour::Red,
        }
    }

    /// The roman numeral as printed on Chinese warnings.
    pub fn numeral(self) -> &'static str {
        match self {
            Level::IV => "Ⅳ",
            Level::III => "Ⅲ",
            Level::II => "Ⅱ",
            Level::I => "Ⅰ",
        }
    }

    /// 一般 / 较重 / 严重 / 特别严重.
    pub fn zh(self) -> &'static str {
        match self {
            Level::IV => "一般",
            Level::III => "较重",
            Level::II => "严重",
            Level::I => "特别严重",
        }
    }

    /// The level's word in English (the Chinese 一般 / 较重 / 严重 / 特别严重).
    pub fn en(self) -> &'static str {
        match self {
            Level::IV => "general",
            Level::III => "heavy",
            Level::II => "severe",
            Level::I => "very severe",
        }
    }

    pub fn cap_severity(self) -> &'static str {
        match self {
            Level::IV => "Minor",
            Level::III => "Moderate",
            Level::II => "Severe",
            Level::I => "Extreme",
        }
    }

    pub fn from_cap_severity(word: &str) -> Option<Level> {
        match word.trim().to_ascii_lowercase().as_str() {
            "minor" => Some(Level::IV),
            "moderate" => Some(Level::III),
            "severe" => Some(Level::II),
            "extreme" => Some(Level::I),
            _ => None,
        }
    }
}

impl PartialOrd for Level {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Level {
    /// Ⅰ is the most severe, so it compares greatest.
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.colour().cmp(&other.colour())
    }
}

/// Event grade: Ⅰ 特别重大, Ⅱ 重大, Ⅲ 较大, Ⅳ 一般.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Grade {
    IV,
    III,
    II,
    I,
}

impl Grade {
    fn rank(self) -> u8 {
        match self {
            Grade::IV => 0,
            Grade::III => 1,
            Grade::II => 2,
            Grade::I => 3,
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            Grade::IV => "一般",
            Grade::III => "较大",
            Grade::II => "重大",
            Grade::I => "特别重大",
        }
    }

    pub fn numeral(self) -> &'static str {
        match self {
            Grade::IV => "Ⅳ",
            Grade::III => "Ⅲ",
            Grade::II => "Ⅱ",
            Grade::I => "Ⅰ",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Grade::IV => "general",
            Grade::III => "major",
            Grade::II => "serious",
            Grade::I => "very serious",
        }
    }
}

impl PartialOrd for Grade {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Grade {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.rank().cmp(&other.rank())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_and_level_map_both_ways() {
        for c in Colour::ALL {
            assert_eq!(c.level().colour(), c);
            assert_eq!(Colour::from_cap_severity(c.cap_severity()), Some(c));
        }
        assert_eq!(Colour::Red.level(), Level::I);
        assert_eq!(Level::I.zh(), "特别严重");
        assert_eq!(Level::from_cap_severity("Unknown"), None);
    }

    #[test]
    fn severity_order_puts_red_and_grade_one_highest() {
        assert!(Level::I > Level::II && Level::II > Level::III && Level::III > Level::IV);
        assert!(Colour::Red > Colour::Blue);
        assert!(Grade::I > Grade::III);
    }

    #[test]
    fn wire_names_match_the_api() {
        assert_eq!(
            serde_json::to_string(&Colour::Orange).unwrap(),
            "\"orange\""
        );
        assert_eq!(serde_json::to_string(&Level::III).unwrap(), "\"III\"");
        assert_eq!(serde_json::from_str::<Grade>("\"II\"").unwrap(), Grade::II);
    }
}
