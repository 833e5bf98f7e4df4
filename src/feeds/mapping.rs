//! From what a feed says to a warning colour and level.
//!
//! Explicit beats inferred: a colour parameter (GB/T 35965.1 and other profiles), then a
//! colour word in the event or headline (暴雨橙色预警信号, "Yellow Wind Warning"), and only
//! then the CAP severity through a configurable map.

use crate::model::Colour;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Severity word (any case) → colour. Words not in the map fall back to `unknown`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SeverityMap(pub BTreeMap<String, Colour>);

impl Default for SeverityMap {
    fn default() -> Self {
        let pairs = [
            // CAP severities: the levels' own mapping (Extreme→红 … Minor→蓝).
            ("extreme", Colour::Red),
            ("severe", Colour::Orange),
            ("moderate", Colour::Yellow),
            ("minor", Colour::Blue),
            ("unknown", Colour::Blue),
            // Alertmanager / Grafana label conventions.
            ("critical", Colour::Red),
            ("page", Colour::Red),
            ("error", Colour::Orange),
            ("major", Colour::Orange),
            ("high", Colour::Orange),
            ("warning", Colour::Yellow),
            ("warn", Colour::Yellow),
            ("medium", Colour::Yellow),
            ("info", Colour::Blue),
            ("low", Colour::Blue),
            ("none", Colour::Blue),
        ];
        SeverityMap(pairs.iter().map(|(k, c)| ((*k).to_owned(), *c)).collect())
    }
}

impl SeverityMap {
    /// Defaults with the configured entries laid over them (keys compared without case).
    pub fn with_overrides(overrides: &BTreeMap<String, Colour>) -> Self {
        let mut m = SeverityMap::default();
        for (k, c) in overrides {
            m.0.insert(k.trim().to_lowercase(), *c);
        }
        m
    }

    pub fn colour(&self, word: &str) -> Colour {
        let w = word.trim().to_lowercase();
        self.0
            .get(&w)
            .or_else(|| self.0.get("unknown"))
            .copied()
            .unwrap_or(Colour::Blue)
    }
}

/// One step of the magnitude scale: at or above `min`, this colour.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MagnitudeStep {
    pub min: f64,
    pub colour: Colour,
}

/// Earthquake magnitude → colour. Below the lowest step: blue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct MagnitudeMap(pub Vec<MagnitudeStep>);

impl Default for MagnitudeMap {
    fn default() -> Self {
        MagnitudeMap(vec![
            MagnitudeStep {
                min: 5.0,
                colour: Colour::Yellow,
            },
            MagnitudeStep {
                min: 6.0,
                colour: Colour::Orange,
            },
            MagnitudeStep {
                min: 7.0,
                colour: Colour::Red,
            },
        ])
    }
}

impl MagnitudeMap {
    pub fn colour(&self, mag: f64) -> Colour {
        self.0
            .iter()
            .filter(|s| mag >= s.min)
            .map(|s| s.colour)
            .max()
            .unwrap_or(Colour::Blue)
    }
}

/// A colour named in free text: 红/橙/黄/蓝(色), red/orange/amber/yellow/blue, 紅 too.
pub fn colour_word(text: &str) -> Option<Colour> {
    let t = text.trim();
    for (words, c) in [
        (&["红色", "紅色"][..], Colour::Red),
        (&["橙色"][..], Colour::Orange),
        (&["黄色", "黃色"][..], Colour::Yellow),
        (&["蓝色", "藍色"][..], Colour::Blue),
    ] {
        if words.iter().any(|w| t.contains(w)) {
            return Some(c);
        }
    }
    if let Some(c) = single_colour_char(t) {
        return Some(c);
    }
    let lower = t.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    for (w, c) in [
        ("red", Colour::Red),
        ("orange", Colour::Orange),
        ("amber", Colour::Orange),
        ("yellow", Colour::Yellow),
        ("blue", Colour::Blue),
    ] {
        if words.contains(&w) {
            return Some(c);
        }
    }
    None
}

/// A parameter value that is just the colour character (`红`, `橙` …).
fn single_colour_char(t: &str) -> Option<Colour> {
    match t {
        "红" | "紅" => Some(Colour::Red),
        "橙" => Some(Colour::Orange),
        "黄" | "黃" => Some(Colour::Yellow),
        "蓝" | "藍" => Some(Colour::Blue),
        _ => None,
    }
}

/// Parameter names that carry a colour in the profiles we know.
fn is_colour_parameter(name: &str) -> bool {
    let n = name.trim().to_lowercase();
    n.contains("colo")
        || n == "awareness_level"
        || n == "预警级别"
        || n == "預警級別"
        || n == "预警颜色"
        || n == "warninglevel"
        || n == "level"
}

/// The colour given explicitly by a CAP `<parameter>` or `<eventCode>`, if any.
pub fn explicit_colour<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Option<Colour> {
    pairs
        .into_iter()
        .filter(|(n, _)| is_colour_parameter(n))
        .find_map(|(_, v)| colour_word(v).or_else(|| roman_level(v)))
}

/// Ⅰ/Ⅱ/Ⅲ/Ⅳ 级 (or I/II/III/IV) in a level parameter.
fn roman_level(v: &str) -> Option<Colour> {
    let t = v
        .trim()
        .trim_end_matches('级')
        .trim_end_matches('級')
        .trim();
    Some(match t {
        "Ⅰ" | "I" | "一" => Colour::Red,
        "Ⅱ" | "II" | "二" => Colour::Orange,
        "Ⅲ" | "III" | "三" => Colour::Yellow,
        "Ⅳ" | "IV" | "四" => Colour::Blue,
        _ => return None,
    })
}

/// The signal type of a Chinese warning: 暴雨橙色预警信号 → 暴雨. Other text is kept whole.
pub fn signal_type(event: &str) -> String {
    let e = event.trim();
    for w in ["红色", "紅色", "橙色", "黄色", "黃色", "蓝色", "藍色"] {
        if let Some(i) = e.find(w)
            && i > 0
        {
            return e[..i].to_owned();
        }
    }
    e.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severity_map_defaults_and_overrides() {
        let m = SeverityMap::default();
        assert_eq!(m.colour("Extreme"), Colour::Red);
        assert_eq!(m.colour(" minor "), Colour::Blue);
        assert_eq!(m.colour("whatever"), Colour::Blue);
        let m = SeverityMap::with_overrides(&BTreeMap::from([("Unknown".into(), Colour::Yellow)]));
        assert_eq!(m.colour("nonsense"), Colour::Yellow);
    }

    #[test]
    fn colour_words_in_chinese_and_english() {
        assert_eq!(colour_word("暴雨橙色预警信号"), Some(Colour::Orange));
        assert_eq!(colour_word("紅色"), Some(Colour::Red));
        assert_eq!(colour_word("Yellow Wind Warning"), Some(Colour::Yellow));
        assert_eq!(colour_word("2; yellow; Moderate"), Some(Colour::Yellow));
        assert_eq!(colour_word("Reddish sky"), None);
        assert_eq!(colour_word("Tsunami"), None);
    }

    #[test]
    fn explicit_parameters_win() {
        let p = [("alert_color", "紅色"), ("status_type", "洩洪中")];
        assert_eq!(explicit_colour(p.iter().copied()), Some(Colour::Red));
        assert_eq!(explicit_colour([("预警级别", "Ⅱ级")]), Some(Colour::Orange));
        assert_eq!(explicit_colour([("VTEC", "/O.NEW.KOKX.AQ.Y.0001/")]), None);
    }

    #[test]
    fn magnitude_steps() {
        let m = MagnitudeMap::default();
        assert_eq!(m.colour(4.9), Colour::Blue);
        assert_eq!(m.colour(5.0), Colour::Yellow);
        assert_eq!(m.colour(7.8), Colour::Red);
        assert_eq!(m.colour(f64::NAN), Colour::Blue);
    }

    #[test]
    fn signal_type_strips_the_colour() {
        assert_eq!(signal_type("暴雨橙色预警信号"), "暴雨");
        assert_eq!(signal_type("SEVERE THUNDERSTORM"), "SEVERE THUNDERSTORM");
    }
}
