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
    /// An event larger than the parser keeps, dropped whole: the reader must say so and
    /// fetch what it carried another way.
    Dropped {
        id: Option<String>,
        event: String,
    },
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
    /// The current line passed `MAX_EVENT` and is being skipped to its newline.
    skipping_line: bool,
}

/// An event (or a line) whose data adds up to more than this is dropped whole and
/// reported: a hostile server cannot grow memory, and nothing is dropped unsaid.
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
            if std::mem::take(&mut self.skipping_line) {
                continue;
            }
            let line = String::from_utf8_lossy(&line).into_owned();
            self.line(&line, &mut out);
        }
        if self.buf.len() > MAX_EVENT {
            self.buf.clear();
            self.skipping_line = true;
            self.oversized = true;
            self.data.clear();
        } else if self.skipping_line {
            self.buf.clear();
        }
        out
    }

    fn line(&mut self, line: &str, out: &mut Vec<SseItem>) {
        if line.is_empty() {
            if self.oversized {
                out.push(SseItem::Dropped {
                    id: self.id.clone(),
                    event: if self.event.is_empty() {
                        "message".to_owned()
                    } else {
                        std::mem::take(&mut self.event)
                    },
                });
            } else if !self.data.is_empty() {
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
        // The oversized event is dropped at its end, and said; the next one is read.
        let items = p.feed(b"\ndata: ok\n\n");
        assert_eq!(items.len(), 2);
        assert!(matches!(&items[0], SseItem::Dropped { .. }), "{items:?}");
        let SseItem::Event(e) = &items[1] else {
            panic!("expected an event")
        };
        assert_eq!(e.data, "ok");
    }

    #[test]
    fn a_line_too_long_to_keep_drops_its_event_and_says_which() {
        let mut p = SseParser::default();
        let mut items = p.feed(b"id: 41\nevent: incident\ndata: ");
        let chunk = vec![b'x'; 1024 * 1024];
        for _ in 0..9 {
            items.extend(p.feed(&chunk));
        }
        assert!(p.buf.len() <= MAX_EVENT, "the long line was kept");
        // The rest of the long line is not read as lines of its own.
        items.extend(p.feed(b"xxxx\n\nid: 42\nevent: alert\ndata: {}\n\n"));
        assert_eq!(
            items,
            vec![
                SseItem::Dropped {
                    id: Some("41".into()),
                    event: "incident".into()
                },
                SseItem::Event(SseEvent {
                    id: Some("42".into()),
                    event: "alert".into(),
                    data: "{}".into()
                })
            ]
        );
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
