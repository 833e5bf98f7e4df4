//! The durable outbox: every command is written here before it is sent, kept in order, and
//! removed only when the backend accepted it — or moved to `rejected` with the reason when
//! the backend refused it (4xx), to be shown once.
//!
//! Rows hold the command as JSON with its kind beside it, so new kinds of command need no
//! change here.

use super::{Store, from_ms, ms};
use crate::app::command::Command;
use anyhow::Context;
use jiff::Timestamp;
use rusqlite::{OptionalExtension, params};

/// A command waiting in the outbox, with what happened to it so far.
#[derive(Debug, Clone, PartialEq)]
pub struct QueuedCommand {
    pub command: Command,
    pub attempts: u32,
    pub last_error: Option<String>,
}

/// A command the backend refused, with its reason.
#[derive(Debug, Clone, PartialEq)]
pub struct Rejection {
    pub key: String,
    pub kind: String,
    /// The command itself; None when this version cannot read it.
    pub command: Option<Command>,
    pub reason: String,
    pub rejected_at: Timestamp,
}

/// The command's kind (its serde tag: `ack`, `timeline` …), for people reading the table.
fn kind_of(json: &serde_json::Value) -> String {
    json.get("body")
        .and_then(|b| b.get("command"))
        .and_then(|k| k.as_str())
        .unwrap_or("unknown")
        .to_owned()
}

impl Store {
    /// Write `command` for `target` (the backend URL) at the end of the queue. Writing the
    /// same key twice keeps the first.
    pub fn enqueue(&mut self, target: &str, command: &Command) -> anyhow::Result<()> {
        let json = serde_json::to_value(command).context("cannot encode a command")?;
        self.conn
            .execute(
                "INSERT INTO outbox (key, target, kind, created_ms, body) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT(key) DO NOTHING",
                params![
                    command.key,
                    target,
                    kind_of(&json),
                    ms(command.created_at),
                    json.to_string()
                ],
            )
            .with_context(|| {
                format!(
                    "{}: queueing command {}",
                    self.path.display(),
                    command.key
                )
            })?;
        Ok(())
    }

    /// The commands queued for `target`, oldest first. A row this version cannot read is
    /// moved to `rejected` (saying so) rather than blocking the rows after it.
    pub fn pending(&mut self, target: &str, now: Timestamp) -> anyhow::Result<Vec<QueuedCommand>> {
        let rows: Vec<(String, String, u32, Option<String>)> = {
            let mut stmt = self.conn.prepare(
                "SELECT key, body, attempts, last_error FROM outbox WHERE target = ?1 ORDER BY seq",
            )?;
            stmt.query_map([target], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?
            .collect::<Result<_, _>>()
            .with_context(|| format!("{}: reading the outbox", self.path.display()))?
        };
        let mut out = Vec::new();
        for (key, body, attempts, last_error) in rows {
            match serde_json::from_str::<Command>(&body) {
                Ok(command) => out.push(QueuedCommand {
                    command,
                    attempts,
                    last_error,
                }),
                Err(e) => self.reject(
                    &key,
                    &format!("this version of watchroom cannot read it ({e})"),
                    now,
                )?,
            }
        }
        Ok(out)
    }

    /// How many commands wait for other backends than `target` (they are kept, not sent).
    pub fn pending_elsewhere(&self, target: &str) -> anyhow::Result<usize> {
        let n: i64 = self.conn.query_row(
            "SELECT count(*) FROM outbox WHERE target != ?1",
            [target],
            |r| r.get(0),
        )?;
        Ok(n as usize)
    }

    /// A send failed in a way worth retrying: count it and keep the reason.
    pub fn attempt_failed(&mut self, key: &str, error: &str, now: Timestamp) -> anyhow::Result<()> {
        self.conn.execute(
            "UPDATE outbox SET attempts = attempts + 1, last_error = ?2, last_attempt_ms = ?3
             WHERE key = ?1",
            params![key, error, ms(now)],
        )?;
        Ok(())
    }

    /// The backend accepted the command: it leaves the outbox.
    pub fn accepted(&mut self, key: &str) -> anyhow::Result<()> {
        self.conn
            .execute("DELETE FROM outbox WHERE key = ?1", [key])
            .with_context(|| format!("{}: removing command {key}", self.path.display()))?;
        Ok(())
    }

    /// The backend refused the command: move it to `rejected` with the reason, in one step.
    pub fn reject(&mut self, key: &str, reason: &str, now: Timestamp) -> anyhow::Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT OR REPLACE INTO rejected (key, target, kind, created_ms, body, reason, rejected_ms)
             SELECT key, target, kind, created_ms, body, ?2, ?3 FROM outbox WHERE key = ?1",
            params![key, reason, ms(now)],
        )?;
        tx.execute("DELETE FROM outbox WHERE key = ?1", [key])?;
        tx.commit()
            .with_context(|| format!("{}: rejecting command {key}", self.path.display()))?;
        Ok(())
    }

    /// Rejections not yet shown to anyone, oldest first.
    pub fn unseen_rejections(&self) -> anyhow::Result<Vec<Rejection>> {
        let mut stmt = self.conn.prepare(
            "SELECT key, kind, body, reason, rejected_ms FROM rejected WHERE shown = 0
             ORDER BY rejected_ms, key",
        )?;
        let rows = stmt
            .query_map([], |r| {
                let body: String = r.get(2)?;
                Ok(Rejection {
                    key: r.get(0)?,
                    kind: r.get(1)?,
                    command: serde_json::from_str(&body).ok(),
                    reason: r.get(3)?,
                    rejected_at: from_ms(r.get(4)?),
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// These rejections have been put in front of the officer.
    pub fn rejections_shown(&mut self, keys: &[String]) -> anyhow::Result<()> {
        let tx = self.conn.transaction()?;
        for key in keys {
            tx.execute("UPDATE rejected SET shown = 1 WHERE key = ?1", [key])?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Attempts and last error of a queued command (None once it has left the outbox).
    pub fn attempts(&self, key: &str) -> anyhow::Result<Option<(u32, Option<String>)>> {
        Ok(self
            .conn
            .query_row(
                "SELECT attempts, last_error FROM outbox WHERE key = ?1",
                [key],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::command::CommandBody;

    const URL: &str = "http://127.0.0.1:1";

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn ack(n: u32) -> Command {
        Command {
            key: format!("k-{n}"),
            created_at: at("2026-11-29T03:00:00Z"),
            body: CommandBody::Ack {
                alert_id: format!("a-{n}"),
                officer: "张某伟".into(),
                note: "已通知".into(),
            },
        }
    }

    fn timeline(n: u32) -> Command {
        Command {
            key: format!("k-{n}"),
            created_at: at("2026-11-29T03:01:00Z"),
            body: CommandBody::Timeline {
                incident_id: "i-1".into(),
                author: "张某伟".into(),
                kind: "记录".into(),
                text: format!("第{n}条"),
                at: at("2026-11-29T03:01:00Z"),
                leader: None,
                assignee: None,
                refers_to: None,
                corrects: None,
            },
        }
    }

    fn open(dir: &tempfile::TempDir) -> Store {
        Store::open(&dir.path().join("console.db"), at("2026-11-29T03:00:00Z")).unwrap()
    }

    fn keys(q: &[QueuedCommand]) -> Vec<&str> {
        q.iter().map(|c| c.command.key.as_str()).collect()
    }

    #[test]
    fn commands_come_back_in_the_order_queued_after_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let now = at("2026-11-29T03:02:00Z");
        let mut store = open(&dir);
        // Keys chosen so that neither key nor kind order matches queue order.
        for c in [timeline(9), ack(2), timeline(5)] {
            store.enqueue(URL, &c).unwrap();
        }
        store.enqueue(URL, &ack(2)).unwrap();
        drop(store);
        let mut store = open(&dir);
        let q = store.pending(URL, now).unwrap();
        assert_eq!(keys(&q), ["k-9", "k-2", "k-5"]);
        assert_eq!(q[0].command, timeline(9));
        assert_eq!(q[1].command, ack(2));
        assert!(
            store
                .pending("https://other.example", now)
                .unwrap()
                .is_empty()
        );
        assert_eq!(store.pending_elsewhere("https://other.example").unwrap(), 3);
    }

    #[test]
    fn attempts_are_counted_and_acceptance_removes() {
        let dir = tempfile::tempdir().unwrap();
        let now = at("2026-11-29T03:02:00Z");
        let mut store = open(&dir);
        store.enqueue(URL, &ack(1)).unwrap();
        store.enqueue(URL, &ack(2)).unwrap();
        store
            .attempt_failed("k-1", "connection refused", now)
            .unwrap();
        store.attempt_failed("k-1", "HTTP 503", now).unwrap();
        assert_eq!(
            store.attempts("k-1").unwrap(),
            Some((2, Some("HTTP 503".to_owned())))
        );
        let q = store.pending(URL, now).unwrap();
        assert_eq!(q[0].attempts, 2);
        assert_eq!(q[0].last_error.as_deref(), Some("HTTP 503"));
        store.accepted("k-1").unwrap();
        assert_eq!(keys(&store.pending(URL, now).unwrap()), ["k-2"]);
        assert_eq!(store.attempts("k-1").unwrap(), None);
    }

    #[test]
    fn a_rejected_command_is_kept_with_its_reason_and_shown_once() {
        let dir = tempfile::tempdir().unwrap();
        let now = at("2026-11-29T03:02:00Z");
        let mut store = open(&dir);
        store.enqueue(URL, &ack(1)).unwrap();
        store.enqueue(URL, &timeline(2)).unwrap();
        store.reject("k-1", "HTTP 404: no alert a-1", now).unwrap();
        assert_eq!(keys(&store.pending(URL, now).unwrap()), ["k-2"]);
        let seen = store.unseen_rejections().unwrap();
        assert_eq!(seen.len(), 1);
        assert_eq!(seen[0].kind, "ack");
        assert_eq!(seen[0].reason, "HTTP 404: no alert a-1");
        assert_eq!(seen[0].command, Some(ack(1)));
        assert_eq!(seen[0].rejected_at, now);
        store.rejections_shown(&["k-1".to_owned()]).unwrap();
        assert!(store.unseen_rejections().unwrap().is_empty());
    }

    #[test]
    fn an_unreadable_row_is_set_aside_and_does_not_block_the_queue() {
        let dir = tempfile::tempdir().unwrap();
        let now = at("2026-11-29T03:02:00Z");
        let mut store = open(&dir);
        store.enqueue(URL, &ack(1)).unwrap();
        store
            .conn
            .execute(
                "INSERT INTO outbox (key, target, kind, created_ms, body) VALUES ('k-x', ?1, 'future', 0, '{\"body\":{\"command\":\"future\"}}')",
                [URL],
            )
            .unwrap();
        store.enqueue(URL, &ack(3)).unwrap();
        assert_eq!(keys(&store.pending(URL, now).unwrap()), ["k-1", "k-3"]);
        let seen = store.unseen_rejections().unwrap();
        assert_eq!(seen[0].key, "k-x");
        assert_eq!(seen[0].kind, "future");
        assert!(seen[0].reason.contains("cannot read"), "{}", seen[0].reason);
    }
}
