//! The parts of an Alertmanager JSON answer the reader uses, deserialised straight from the
//! text — strings borrowed where they have no escapes, everything else skipped — instead of
//! as a whole `serde_json::Value` tree: a 100,000-alert answer is read without a second,
//! many times larger, copy of itself.

use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::borrow::Cow;
use std::fmt;

pub type Text<'a> = Cow<'a, str>;

/// A JSON value as far as the reader cares: lists and objects are walked, the rest skipped.
#[derive(Debug)]
pub enum Node<'a> {
    List(Vec<Node<'a>>),
    Object(Box<Object<'a>>),
    Other,
}

/// A JSON object: an alert, a group, an envelope or a silence. Keys the reader never
/// looks at are skipped; a repeated key keeps its last value, as `serde_json` does.
#[derive(Debug, Default)]
pub struct Object<'a> {
    /// `labels`: None when absent, Some(None) when present but not an object.
    pub labels: Option<Option<Pairs<'a>>>,
    /// `annotations`, when an object.
    pub annotations: Option<Pairs<'a>>,
    /// `commonAnnotations` (webhooks), when an object.
    pub common_annotations: Option<Pairs<'a>>,
    pub status: Status<'a>,
    /// String fields (a value of another type reads as absent).
    pub starts_at: Option<Text<'a>>,
    pub ends_at: Option<Text<'a>>,
    pub generator_url: Option<Text<'a>>,
    pub dashboard_url: Option<Text<'a>>,
    /// Where alerts may be nested, whatever the value's type (presence matters too).
    pub alerts: Option<Node<'a>>,
    pub data: Option<Node<'a>>,
    pub blocks: Option<Node<'a>>,
    pub groups: Option<Node<'a>>,
    /// A silence has `matchers` and `createdBy`.
    pub matchers: bool,
    pub created_by: bool,
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

impl Object<'_> {
    /// `status` when it is a word, trimmed; "" otherwise.
    pub fn status_word(&self) -> &str {
        match &self.status {
            Status::Word(w) => w.trim(),
            _ => "",
        }
    }
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

impl<'de> Deserialize<'de> for Node<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Node<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
                while let Some(n) = seq.next_element::<Node>()? {
                    items.push(n);
                }
                Ok(Node::List(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                object(map).map(|o| Node::Object(Box::new(o)))
            }
            fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
                Ok(Node::Other)
            }
            skip_other_values!(Node::Other);
        }
        d.deserialize_any(V)
    }
}

fn object<'de, A: MapAccess<'de>>(mut map: A) -> Result<Object<'de>, A::Error> {
    let mut o = Object::default();
    while let Some(k) = map.next_key::<Str>()? {
        match k.0.as_ref() {
            "labels" => o.labels = Some(map.next_value::<MaybePairs>()?.0),
            "annotations" => o.annotations = map.next_value::<MaybePairs>()?.0,
            "commonAnnotations" => o.common_annotations = map.next_value::<MaybePairs>()?.0,
            "status" => o.status = map.next_value()?,
            "startsAt" => o.starts_at = map.next_value::<MaybeStr>()?.0,
            "endsAt" => o.ends_at = map.next_value::<MaybeStr>()?.0,
            "generatorURL" => o.generator_url = map.next_value::<MaybeStr>()?.0,
            "dashboardURL" => o.dashboard_url = map.next_value::<MaybeStr>()?.0,
            "alerts" => o.alerts = Some(map.next_value()?),
            "data" => o.data = Some(map.next_value()?),
            "blocks" => o.blocks = Some(map.next_value()?),
            "groups" => o.groups = Some(map.next_value()?),
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
    Ok(o)
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

    #[test]
    fn any_json_is_a_node_and_escaped_strings_are_read() {
        let text = r#"[1, null, "x", {"labels": {"a": "\u00e9"}, "status": {"state": "active"},
            "deep": [[[{"labels": 1}]]], "alerts": 3}]"#;
        let Node::List(items) = serde_json::from_str::<Node>(text).unwrap() else {
            panic!("a list")
        };
        assert_eq!(items.len(), 4);
        let Node::Object(o) = &items[3] else {
            panic!("an object")
        };
        assert_eq!(
            o.labels.as_ref().unwrap().as_ref().unwrap().get("a"),
            Some("é")
        );
        assert!(matches!(&o.status, Status::Object(Some(s)) if s == "active"));
        assert!(matches!(o.alerts, Some(Node::Other)));
    }
}
