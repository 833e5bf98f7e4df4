//! A minimal Server-Sent Events parser (the WHATWG event-stream format), fed with
//! arbitrary chunks of bytes.

#[derive(Debug, Clone, PartialEq, Default)]
pub struct SseEvent {
    pub id: Option<String>,
    pub event: String,
    pub data: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SseItem {
    Event(SseEvent),
    /// A `:` comment line, used by servers as a keep-alive.
    Comment,
}

#[derive(Debug, Default)]
pub struct SseParser {
    buf: Vec<u8>,
    id: Option<String>,
    event: String,
    data: Vec<String>,
    /// Bytes in `data` so far: an event that never ends cannot grow memory either.
    data_len: usize,
    /// The current event passed `MAX_EVENT` and is being skipped to its end.
    oversized: bool,
}

/// Lines longer than this without a newline are dropped: a hostile server cannot grow memory.
const MAX_LINE: usize = 4 * 1024 * 1024;
/// An event whose data lines add up to more than this is dropped whole.
const MAX_EVENT: usize = 8 * 1024 * 1024;

impl SseParser {
    pub fn feed(&mut self, chunk: &[u8]) -> Vec<SseItem> {
        self.buf.extend_from_slice(chunk);
        let mut out = Vec::new();
        while let Some(pos) = self.buf.iter().position(|&b| b == b'\n' || b == b'\r') {
            let mut line: Vec<u8> = self.buf.drain(..=pos).collect();
            let term = line.pop();
            // A CRLF pair is one line end.
            if term == Some(b'\r') && self.buf.first() == Some(&b'\n') {
                self.buf.remove(0);
            }
            let line = String::from_utf8_lossy(&line).into_owned();
            self.line(&line, &mut out);
        }
        if self.buf.len() > MAX_LINE {
            self.buf.clear();
        }
        out
    }

    fn line(&mut self, line: &str, out: &mut Vec<SseItem>) {
        if line.is_empty() {
            if !self.data.is_empty() && !self.oversized {
                out.push(SseItem::Event(SseEvent {
                    id: self.id.clone(),
                    event: if self.event.is_empty() {
                        "message".to_owned()
                    } else {
                        std::mem::take(&mut self.event)
                    },
                    data: self.data.join("\n"),
                }));
            }
            self.data.clear();
            self.data_len = 0;
            self.oversized = false;
            self.event.clear();
            return;
        }
        if line.starts_with(':') {
            out.push(SseItem::Comment);
            return;
        }
        let (field, value) = match line.split_once(':') {
            Some((f, v)) => (f, v.strip_prefix(' ').unwrap_or(v)),
            None => (line, ""),
        };
        match field {
            "data" if !self.oversized => {
                self.data_len += value.len() + 1;
                if self.data_len > MAX_EVENT {
                    self.oversized = true;
                    self.data.clear();
                } else {
                    self.data.push(value.to_owned());
                }
            }
            "event" => self.event = value.to_owned(),
            "id" if !value.contains('\0') => self.id = Some(value.to_owned()),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_events_split_across_chunks() {
        let mut p = SseParser::default();
        let mut items = p.feed(b": keep-alive\n\nid: 7\nevent: al");
        items.extend(p.feed(b"ert\ndata: {\"a\":\r\ndata: 1}\r\n\r\n"));
        assert_eq!(
            items,
            vec![
                SseItem::Comment,
                SseItem::Event(SseEvent {
                    id: Some("7".into()),
                    event: "alert".into(),
                    data: "{\"a\":\n1}".into()
                })
            ]
        );
    }

    #[test]
    fn an_event_that_never_ends_is_dropped_not_kept() {
        let mut p = SseParser::default();
        let line = format!("data: {}\n", "x".repeat(1024 * 1024));
        for _ in 0..10 {
            assert!(p.feed(line.as_bytes()).is_empty());
        }
        assert!(p.data.is_empty(), "data kept past the cap");
        // The oversized event is dropped at its end; the next one is read.
        let items = p.feed(b"\ndata: ok\n\n");
        assert_eq!(items.len(), 1);
        let SseItem::Event(e) = &items[0] else {
            panic!("expected an event")
        };
        assert_eq!(e.data, "ok");
    }

    #[test]
    fn id_persists_and_event_name_resets() {
        let mut p = SseParser::default();
        let items = p.feed(b"id: 3\nevent: x\ndata: a\n\ndata: b\n\n");
        let SseItem::Event(second) = &items[1] else {
            panic!("expected an event")
        };
        assert_eq!(second.id.as_deref(), Some("3"));
        assert_eq!(second.event, "message");
    }
}
