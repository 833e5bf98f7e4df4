//! RFC 5545 content lines: unfolding, property parameters, value escapes, and the
//! BEGIN/END component tree.

use crate::feeds::FeedError;

#[derive(Debug, Clone, PartialEq)]
pub struct Prop {
    /// Upper-case property name.
    pub name: String,
    /// Upper-case parameter names, values without quotes.
    pub params: Vec<(String, String)>,
    /// The raw value (escapes still in place: they mean different things per type).
    pub value: String,
    pub line: usize,
}

impl Prop {
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The value as text, with `\n`, `\,`, `\;` and `\\` unescaped.
    pub fn text(&self) -> String {
        unescape(&self.value)
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Component {
    pub name: String,
    pub props: Vec<Prop>,
    pub children: Vec<Component>,
    pub line: usize,
}

impl Component {
    pub fn prop(&self, name: &str) -> Option<&Prop> {
        self.props.iter().find(|p| p.name == name)
    }

    pub fn props<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Prop> + 'a {
        self.props.iter().filter(move |p| p.name == name)
    }

    pub fn text(&self, name: &str) -> String {
        self.prop(name).map(Prop::text).unwrap_or_default()
    }
}

pub fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') | Some('N') => out.push('\n'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Split a comma-separated value list, honouring `\,` escapes.
pub fn split_list(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                cur.push(c);
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
            }
            ',' => out.push(unescape(std::mem::take(&mut cur).trim())),
            c => cur.push(c),
        }
    }
    out.push(unescape(cur.trim()));
    out.retain(|x| !x.is_empty());
    out
}

/// Logical lines (folds joined) with the 1-based line number each starts on.
fn unfold(text: &str) -> Vec<(usize, String)> {
    let mut out: Vec<(usize, String)> = Vec::new();
    for (i, raw) in text.split('\n').enumerate() {
        let l = raw.strip_suffix('\r').unwrap_or(raw);
        if let Some(rest) = l.strip_prefix([' ', '\t'])
            && let Some(last) = out.last_mut()
        {
            last.1.push_str(rest);
            continue;
        }
        if l.trim().is_empty() {
            continue;
        }
        out.push((i + 1, l.to_owned()));
    }
    out
}

fn parse_line(line: &str, n: usize, origin: &str) -> Result<Prop, FeedError> {
    let bad = |what: &str| FeedError::at(origin, n, 1, format!("malformed content line: {what}"));
    // The value starts at the first ':' outside a quoted parameter value.
    let mut in_quotes = false;
    let mut colon = None;
    for (i, c) in line.char_indices() {
        match c {
            '"' => in_quotes = !in_quotes,
            ':' if !in_quotes => {
                colon = Some(i);
                break;
            }
            _ => {}
        }
    }
    let colon = colon.ok_or_else(|| bad("no ':' between name and value"))?;
    let (head, value) = (&line[..colon], &line[colon + 1..]);
    let mut parts = split_params(head).into_iter();
    // Some producers put blanks around names and '='; they are not part of either.
    let name = parts.next().unwrap_or_default().trim().to_ascii_uppercase();
    if name.is_empty() {
        return Err(bad("empty property name"));
    }
    let mut params = Vec::new();
    for p in parts {
        let (k, v) = p.split_once('=').ok_or_else(|| {
            bad(&format!(
                "parameter {:?} has no '='",
                crate::feeds::clip(&p, 30)
            ))
        })?;
        let k = k.trim().to_ascii_uppercase();
        if k.is_empty() {
            return Err(bad("parameter without a name"));
        }
        params.push((k, v.trim().trim_matches('"').to_owned()));
    }
    Ok(Prop {
        name,
        params,
        value: value.to_owned(),
        line: n,
    })
}

fn split_params(head: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut in_quotes = false;
    for c in head.chars() {
        match c {
            '"' => {
                in_quotes = !in_quotes;
                cur.push(c);
            }
            ';' if !in_quotes => out.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    out.push(cur);
    out
}

/// Deeper than VCALENDAR > VTIMEZONE > STANDARD or VEVENT > VALARM ever goes.
const MAX_DEPTH: usize = 16;

/// The top-level components (normally one or more VCALENDARs), and warnings.
pub fn parse(text: &str, origin: &str) -> Result<(Vec<Component>, Vec<String>), FeedError> {
    let mut stack: Vec<Component> = Vec::new();
    let mut top: Vec<Component> = Vec::new();
    let mut warnings = Vec::new();
    for (n, line) in unfold(text) {
        let prop = parse_line(&line, n, origin)?;
        match prop.name.as_str() {
            "BEGIN" => {
                if stack.len() >= MAX_DEPTH {
                    return Err(FeedError::at(origin, n, 1, "components nested too deep"));
                }
                stack.push(Component {
                    name: prop.value.trim().to_ascii_uppercase(),
                    line: n,
                    ..Component::default()
                });
            }
            "END" => {
                let name = prop.value.trim().to_ascii_uppercase();
                let Some(done) = stack.pop() else {
                    return Err(FeedError::at(
                        origin,
                        n,
                        1,
                        format!("END:{name} without BEGIN"),
                    ));
                };
                if done.name != name {
                    return Err(FeedError::at(
                        origin,
                        n,
                        1,
                        format!(
                            "END:{name} closes BEGIN:{} of line {}",
                            done.name, done.line
                        ),
                    ));
                }
                match stack.last_mut() {
                    Some(parent) => parent.children.push(done),
                    None => top.push(done),
                }
            }
            _ => match stack.last_mut() {
                Some(c) => c.props.push(prop),
                // Some servers append a comment after the calendar; it carries nothing.
                None if !top.is_empty() => warnings.push(format!(
                    "{origin}:{n}: {} after END:{} ignored",
                    prop.name,
                    top.last().map_or("", |c| c.name.as_str())
                )),
                None => {
                    return Err(FeedError::at(
                        origin,
                        n,
                        1,
                        format!("{} outside any BEGIN:VCALENDAR", prop.name),
                    ));
                }
            },
        }
    }
    if let Some(open) = stack.last() {
        return Err(FeedError::at(
            origin,
            open.line,
            1,
            format!("BEGIN:{} is never closed", open.name),
        ));
    }
    Ok((top, warnings))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unfolds_and_unescapes() {
        let (c, _) = parse(
            "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:带班\r\n 领导\\, 王某某\\n\r\nDTSTART;TZID=\"China Standard Time\":20260101T083000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
            "r.ics",
        )
        .unwrap();
        let ev = &c[0].children[0];
        assert_eq!(ev.text("SUMMARY"), "带班领导, 王某某\n");
        assert_eq!(
            ev.prop("DTSTART").unwrap().param("TZID"),
            Some("China Standard Time")
        );
        assert_eq!(split_list("a\\,b,c"), ["a,b", "c"]);
    }

    #[test]
    fn structure_errors_name_the_line() {
        let e = parse("BEGIN:VCALENDAR\nBEGIN:VEVENT\nEND:VCALENDAR\n", "r.ics").unwrap_err();
        assert_eq!(e.line, Some(3));
        let e = parse(
            "BEGIN:VCALENDAR\nDTSTART;;VALUE=DATE:2020\nEND:VCALENDAR",
            "r",
        )
        .unwrap_err();
        assert_eq!(e.line, Some(2), "{e}");
        assert!(parse("BEGIN:VCALENDAR\nX", "r").is_err());
        assert!(parse("X:1\nBEGIN:VCALENDAR\nEND:VCALENDAR", "r").is_err());
        let (_, w) = parse("BEGIN:VCALENDAR\nEND:VCALENDAR\nX-COMMENT:cached", "r").unwrap();
        assert_eq!(w, ["r:3: X-COMMENT after END:VCALENDAR ignored"]);
    }
}
