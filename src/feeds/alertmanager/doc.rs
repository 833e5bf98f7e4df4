//! The parts of an Alertmanager JSON answer the reader uses, read straight from the text
//! — strings borrowed where they have no escapes, everything else skipped — and handed over
//! one alert object at a time as the reader comes to it (`walk`): a 100,000-alert answer is
//! read without a tree of itself, and what each alert object took while it was read is
//! free again before the next one, so what the alerts keep lies together in memory.

use serde::de::{
    Deserialize, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor,
};
use std::borrow::Cow;
use std::fmt;

pub type Text<'a> = Cow<'a, str>;

/// A visitor's answer for any value it does not want: consumed and dropped.
macro_rules! skip_other_values {
    ($out:expr) => {
        fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
            Ok($out)
        }
        fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
            Ok($out)
        }
        fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
            Ok($out)
        }
        fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
            Ok($out)
        }
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok($out)
        }
        fn visit_none<E>(self) -> Result<Self::Value, E> {
            Ok($out)
        }
    };
}

/// How deep under the top alerts are looked for: keeps hostile nesting from recursing far.
pub const MAX_DEPTH: usize = 6;

/// An alert object: the fields the reader looks at. Keys it never looks at are skipped; a
/// repeated key keeps its last value, as `serde_json` does.
#[derive(Debug, Default)]
pub struct Object<'a> {
    /// `labels`: None when absent, Some(None) when present but not an object.
    pub labels: Option<Option<Pairs<'a>>>,
    /// `annotations`, when an object.
    pub annotations: Option<Pairs<'a>>,
    pub status: Status<'a>,
    /// String fields (a value of another type reads as absent).
    pub starts_at: Option<Text<'a>>,
    pub ends_at: Option<Text<'a>>,
    pub generator_url: Option<Text<'a>>,
    pub dashboard_url: Option<Text<'a>>,
    /// It carries alerts of its own (`alerts`, or a v1 group's `blocks`): a group, not an
    /// alert, though it has labels.
    nests: bool,
    /// `alerts` or `data` is present: the document is an answer or a payload.
    payload: bool,
    /// A silence has `matchers` and `createdBy`.
    matchers: bool,
    created_by: bool,
}

/// What the top of the document turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    List,
    /// An object; `payload` when it has `alerts` or `data`.
    Object {
        payload: bool,
    },
    Other,
}

/// Where `walk` hands what it finds. Alert objects come in document order; `mark` and
/// `reset` take back what was found inside an object that turns out to be an alert itself
/// (its own nested lists are not looked into).
pub trait Sink<'a> {
    type Mark: Copy;
    fn mark(&self) -> Self::Mark;
    fn reset(&mut self, mark: Self::Mark);
    fn alert(&mut self, object: &Object<'a>);
    /// The first item of the top list (or of the envelope's `data`) is a silence.
    fn silences(&mut self);
}

/// Reads the document, handing each alert object to `sink` as it is read: an object with
/// `labels` and no alerts of its own, under lists and the `alerts`, `data`, `blocks` and
/// `groups` of objects, at most `MAX_DEPTH` deep.
pub fn walk<'a, S: Sink<'a>>(text: &'a str, sink: &mut S) -> Result<Shape, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(text);
    let shape = Walker {
        depth: 0,
        top_list: true,
        first_of_top: false,
        sink,
    }
    .deserialize(&mut de)?;
    de.end()?;
    Ok(shape)
}

/// The top object's `status` word and `commonAnnotations` (webhooks): every alert needs
/// them, and they may stand after the alerts, so they are read first.
#[derive(Debug, Default)]
pub struct Top<'a> {
    pub status: Status<'a>,
    pub common_annotations: Option<Pairs<'a>>,
}

impl Top<'_> {
    /// `status` when it is a word, trimmed; "" otherwise.
    pub fn status_word(&self) -> &str {
        match &self.status {
            Status::Word(w) => w.trim(),
            _ => "",
        }
    }
}

impl<'de> Deserialize<'de> for Top<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Top<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut top = Top::default();
                while let Some(k) = map.next_key::<Str>()? {
                    match k.0.as_ref() {
                        "status" => top.status = map.next_value()?,
                        "commonAnnotations" => {
                            top.common_annotations = map.next_value::<MaybePairs>()?.0
                        }
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(top)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Top::default())
            }
            fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
                Ok(Top::default())
            }
            skip_other_values!(Top::default());
        }
        d.deserialize_any(V)
    }
}

/// `status`: a word (API v2 webhooks, groups) or an object with `state` (API v2 alerts).
#[derive(Debug, Default)]
pub enum Status<'a> {
    #[default]
    Absent,
    Word(Text<'a>),
    /// The object's `state` when it is a string.
    Object(Option<Text<'a>>),
    Other,
}

/// The pairs of a JSON object (labels, annotations) sorted by key, the last of a repeated
/// key kept — the order and the answer `serde_json`'s map gives. Values that are not
/// strings read as "".
#[derive(Debug, Default)]
pub struct Pairs<'a>(Vec<(Text<'a>, Text<'a>)>);

impl<'a> Pairs<'a> {
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .binary_search_by(|(k, _)| k.as_ref().cmp(key))
            .ok()
            .map(|i| self.0[i].1.as_ref())
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_ref(), v.as_ref()))
    }

    fn from_unsorted(mut pairs: Vec<(Text<'a>, Text<'a>)>) -> Self {
        // Stable: of a repeated key, the last given stays last in its run.
        pairs.sort_by(|a, b| a.0.cmp(&b.0));
        let mut out: Vec<(Text<'a>, Text<'a>)> = Vec::with_capacity(pairs.len());
        for p in pairs {
            if let Some(last) = out.last_mut()
                && last.0 == p.0
            {
                *last = p;
                continue;
            }
            out.push(p);
        }
        Pairs(out)
    }
}

/// A string borrowed from the text when it can be.
struct Str<'a>(Text<'a>);

impl<'de> Deserialize<'de> for Str<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Str<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Self::Value, E> {
                Ok(Str(Cow::Borrowed(s)))
            }
            fn visit_str<E>(self, s: &str) -> Result<Self::Value, E> {
                Ok(Str(Cow::Owned(s.to_owned())))
            }
            fn visit_string<E>(self, s: String) -> Result<Self::Value, E> {
                Ok(Str(Cow::Owned(s)))
            }
        }
        d.deserialize_str(V)
    }
}

/// Any value; Some when it is a string.
struct MaybeStr<'a>(Option<Text<'a>>);

impl<'de> Deserialize<'de> for MaybeStr<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = MaybeStr<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any value")
            }
            fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Self::Value, E> {
                Ok(MaybeStr(Some(Cow::Borrowed(s))))
            }
            fn visit_str<E>(self, s: &str) -> Result<Self::Value, E> {
                Ok(MaybeStr(Some(Cow::Owned(s.to_owned()))))
            }
            fn visit_string<E>(self, s: String) -> Result<Self::Value, E> {
                Ok(MaybeStr(Some(Cow::Owned(s))))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(MaybeStr(None))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(MaybeStr(None))
            }
            skip_other_values!(MaybeStr(None));
        }
        d.deserialize_any(V)
    }
}

/// Any value; Some when it is an object (its pairs).
struct MaybePairs<'a>(Option<Pairs<'a>>);

impl<'de> Deserialize<'de> for MaybePairs<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = MaybePairs<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any value")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut pairs = Vec::new();
                while let Some(k) = map.next_key::<Str>()? {
                    let v = map.next_value::<MaybeStr>()?;
                    pairs.push((k.0, v.0.unwrap_or_default()));
                }
                Ok(MaybePairs(Some(Pairs::from_unsorted(pairs))))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(MaybePairs(None))
            }
            fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
                Ok(MaybePairs(None))
            }
            skip_other_values!(MaybePairs(None));
        }
        d.deserialize_any(V)
    }
}

impl<'de> Deserialize<'de> for Status<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Status<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any value")
            }
            fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Self::Value, E> {
                Ok(Status::Word(Cow::Borrowed(s)))
            }
            fn visit_str<E>(self, s: &str) -> Result<Self::Value, E> {
                Ok(Status::Word(Cow::Owned(s.to_owned())))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut state = None;
                while let Some(k) = map.next_key::<Str>()? {
                    if k.0 == "state" {
                        state = map.next_value::<MaybeStr>()?.0;
                    } else {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
                Ok(Status::Object(state))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Status::Other)
            }
            skip_other_values!(Status::Other);
        }
        d.deserialize_any(V)
    }
}

/// One value of the document at `depth`, read for the alert objects in it.
struct Walker<'s, S> {
    depth: usize,
    /// This value, if a list, is the top list or the envelope's `data`.
    top_list: bool,
    /// This value is the first item of that list.
    first_of_top: bool,
    sink: &'s mut S,
}

impl<'de, S: Sink<'de>> DeserializeSeed<'de> for Walker<'_, S> {
    type Value = Shape;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Shape, D::Error> {
        if self.depth > MAX_DEPTH {
            IgnoredAny::deserialize(d)?;
            return Ok(Shape::Other);
        }
        d.deserialize_any(self)
    }
}

impl<'de, S: Sink<'de>> Visitor<'de> for Walker<'_, S> {
    type Value = Shape;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Shape, A::Error> {
        let mut first = self.top_list;
        while seq
            .next_element_seed(Walker {
                depth: self.depth + 1,
                top_list: false,
                first_of_top: first,
                sink: &mut *self.sink,
            })?
            .is_some()
        {
            first = false;
        }
        Ok(Shape::List)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Shape, A::Error> {
        let mark = self.sink.mark();
        let mut o = Object::default();
        while let Some(k) = map.next_key::<Str>()? {
            match k.0.as_ref() {
                "labels" => o.labels = Some(map.next_value::<MaybePairs>()?.0),
                "annotations" => o.annotations = map.next_value::<MaybePairs>()?.0,
                "status" => o.status = map.next_value()?,
                "startsAt" => o.starts_at = map.next_value::<MaybeStr>()?.0,
                "endsAt" => o.ends_at = map.next_value::<MaybeStr>()?.0,
                "generatorURL" => o.generator_url = map.next_value::<MaybeStr>()?.0,
                "dashboardURL" => o.dashboard_url = map.next_value::<MaybeStr>()?.0,
                key @ ("alerts" | "data" | "blocks" | "groups") => {
                    o.nests |= matches!(key, "alerts" | "blocks");
                    o.payload |= matches!(key, "alerts" | "data");
                    map.next_value_seed(Walker {
                        depth: self.depth + 1,
                        top_list: self.depth == 0 && key == "data",
                        first_of_top: false,
                        sink: &mut *self.sink,
                    })?;
                }
                "matchers" => {
                    map.next_value::<IgnoredAny>()?;
                    o.matchers = true;
                }
                "createdBy" => {
                    map.next_value::<IgnoredAny>()?;
                    o.created_by = true;
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        if self.first_of_top && o.matchers && o.created_by {
            self.sink.silences();
        }
        if o.labels.is_some() && !o.nests {
            self.sink.reset(mark);
            self.sink.alert(&o);
        }
        Ok(Shape::Object { payload: o.payload })
    }

    fn visit_str<E>(self, _: &str) -> Result<Shape, E> {
        Ok(Shape::Other)
    }

    skip_other_values!(Shape::Other);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_keep_the_last_of_a_repeated_key_in_key_order_and_borrow() {
        let text = r#"{"b":"2","a":"1","b":"3","n":5}"#;
        let p: MaybePairs = serde_json::from_str(text).unwrap();
        let p = p.0.unwrap();
        assert_eq!(
            p.iter().collect::<Vec<_>>(),
            [("a", "1"), ("b", "3"), ("n", "")]
        );
        assert!(matches!(p.0[0].1, Cow::Borrowed(_)));
        assert_eq!(p.get("b"), Some("3"));
        assert_eq!(p.get("c"), None);
    }

    #[derive(Default)]
    struct Names(Vec<String>, bool);

    impl<'a> Sink<'a> for Names {
        type Mark = usize;
        fn mark(&self) -> usize {
            self.0.len()
        }
        fn reset(&mut self, mark: usize) {
            self.0.truncate(mark);
        }
        fn alert(&mut self, o: &Object<'a>) {
            let labels = o.labels.as_ref().and_then(|l| l.as_ref());
            self.0
                .push(labels.and_then(|l| l.get("a")).unwrap_or("?").to_owned());
        }
        fn silences(&mut self) {
            self.1 = true;
        }
    }

    #[test]
    fn any_json_is_walked_and_escaped_strings_are_read() {
        let text = r#"[1, null, "x", {"labels": {"a": "\u00e9"}, "status": {"state": "active"},
            "deep": [[[{"labels": 1}]]], "data": 3}, {"labels": 2}]"#;
        let mut names = Names::default();
        assert_eq!(walk(text, &mut names).unwrap(), Shape::List);
        assert_eq!(names.0, ["é", "?"]);
        assert!(!names.1);
        let mut names = Names::default();
        assert_eq!(
            walk(
                r#"{"data": [{"matchers": [], "createdBy": "x"}]}"#,
                &mut names
            )
            .unwrap(),
            Shape::Object { payload: true }
        );
        assert!(names.1, "a silence first under data");
        assert!(
            walk("[1] 2", &mut Names::default()).is_err(),
            "trailing text"
        );
    }

    #[test]
    fn the_top_objects_status_and_common_annotations_are_read_wherever_they_stand() {
        let top: Top = serde_json::from_str(
            r#"{"alerts": [{"labels": {}}], "commonAnnotations": {"s": "x"}, "status": " firing "}"#,
        )
        .unwrap();
        assert_eq!(top.status_word(), "firing");
        assert_eq!(top.common_annotations.unwrap().get("s"), Some("x"));
    }
}
