//! The console's side of the local store: read once at start (before the first frame), and
//! each source's state written off the UI task, a little after it changes.

use crate::app::msg::Restored;
use crate::app::{Msg, State};
use crate::store::Start;
use crate::store::head::{Partial, Wanted};
use crate::store::sources::{EncodedSource, read_alerts};
use crate::store::{Store, StoreHandle, path_in};
use jiff::Timestamp;
use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// A burst of changes (a snapshot, then a stream of events) is written once, this long
/// after the first of them.
pub const SAVE_AFTER: Duration = Duration::from_secs(2);
/// How long closing the console waits for the last writes.
pub const FLUSH_LIMIT: Duration = Duration::from_secs(5);

/// The rest of the sources restored from their heads, still to be read.
#[derive(Debug, Default)]
pub struct Rest {
    path: PathBuf,
    /// Name, how many alerts its body holds, and whether it is still wanted.
    sources: Vec<(String, usize, Wanted)>,
}

impl Rest {
    /// Read the rest of each source off the UI task, one after the other, each sent as
    /// `Msg::CacheRest` when read. Started once the first frame is out, so as not to
    /// compete with it.
    pub fn start(self, report: mpsc::Sender<Msg>) {
        if self.sources.is_empty() {
            return;
        }
        tokio::spawn(async move {
            for (source, expect, wanted) in self.sources {
                if !wanted.is_wanted() {
                    continue;
                }
                let path = self.path.clone();
                let name = source.clone();
                let read = move || read_alerts(&path, &name, expect, &wanted);
                let alerts = tokio::task::spawn_blocking(read)
                    .await
                    .map_err(anyhow::Error::from)
                    .and_then(|r| r)
                    .map_err(|e| format!("{e:#}"));
                if report
                    .send(Msg::CacheRest { source, alerts })
                    .await
                    .is_err()
                {
                    return;
                }
            }
        });
    }
}

/// Open the store in `data_dir` and read what it kept for these sources (name, location)
/// and this backend: of a big source, only the head of its wall (the rest is for `Rest`).
/// No data dir: nothing is kept between runs.
pub async fn open(
    data_dir: Option<PathBuf>,
    server: String,
    locations: Vec<(String, String)>,
    experts_copy: Option<PathBuf>,
) -> anyhow::Result<(Option<StoreHandle>, Restored, Rest)> {
    let Some(dir) = data_dir else {
        return Ok((None, Restored::default(), Rest::default()));
    };
    tokio::task::spawn_blocking(move || {
        let now = Timestamp::now();
        let mut store = Store::open(&path_in(&dir), now)?;
        let mut restored = Restored::default();
        let mut rest = Rest {
            path: store.path().to_owned(),
            sources: Vec::new(),
        };
        for (name, location) in &locations {
            match store.load_start(name, location, now) {
                Ok(Some(Start::Whole(cached))) => restored.sources.push(cached),
                Ok(Some(Start::Head {
                    cached,
                    figures,
                    whole_alerts,
                })) => {
                    let wanted = Wanted::new();
                    restored.sources.push(cached);
                    let partial = Partial {
                        figures,
                        wanted: wanted.clone(),
                    };
                    restored.heads.push((name.clone(), partial));
                    rest.sources.push((name.clone(), whole_alerts, wanted));
                }
                Ok(None) => {}
                // The next save replaces the unreadable row; until then, say so.
                Err(e) => restored.problem = Some(format!("{e:#}")),
            }
        }
        restored.outbox = store.pending(&server, now)?;
        restored.rejected = store.unseen_rejections()?;
        restored.pending_elsewhere = store.pending_elsewhere(&server)?;
        if let Some(path) = experts_copy
            && let Ok(Some(copy)) = crate::experts::cache::load(&path)
            && copy.source == server
        {
            restored.experts = Some(copy.directory);
        }
        Ok((Some(store.shared()), restored, rest))
    })
    .await?
}

/// One source's part of the state, encoded as the store keeps it (from references: the
/// state is not copied first), with the head of its wall when it is big.
pub fn encode_source(state: &State, name: &str, location: &str) -> anyhow::Result<EncodedSource> {
    let saved_at = state
        .records
        .health(name)
        .and_then(|h| h.last_ok)
        .unwrap_or(state.now);
    let wall: Vec<&crate::model::Alert> = state
        .visible_alerts()
        .into_iter()
        .filter(|a| a.origin == name)
        .collect();
    EncodedSource::new(
        name,
        location,
        saved_at,
        state.records.alerts().iter().filter(|a| a.origin == name),
        state
            .records
            .incidents()
            .iter()
            .filter(|i| i.origin == name),
        state.records.shifts.iter().filter(|s| s.origin == name),
        Some((&wall, state.now)),
    )
}

/// Writes sources' state in the order asked, on its own task.
pub struct Saver {
    tx: Option<mpsc::UnboundedSender<Vec<anyhow::Result<EncodedSource>>>>,
    task: Option<JoinHandle<()>>,
    locations: HashMap<String, String>,
}

impl Saver {
    pub fn start(
        store: Option<StoreHandle>,
        locations: Vec<(String, String)>,
        report: mpsc::Sender<Msg>,
    ) -> Saver {
        let locations = locations.into_iter().collect();
        let Some(store) = store else {
            return Saver {
                tx: None,
                task: None,
                locations,
            };
        };
        let (tx, mut rx) = mpsc::unbounded_channel::<Vec<anyhow::Result<EncodedSource>>>();
        let task = tokio::spawn(async move {
            let mut failing = false;
            while let Some(batch) = rx.recv().await {
                let bytes: usize = batch.iter().flatten().map(|c| c.body.len()).sum();
                let written = store
                    .run(move |s| {
                        let written = batch.into_iter().try_for_each(|c| s.save_encoded(&c?));
                        // A big source was just loaded and encoded: what both took is free now.
                        if bytes >= crate::memory::BIG {
                            crate::memory::give_back();
                        }
                        written
                    })
                    .await;
                let news = match written {
                    Err(e) => {
                        failing = true;
                        Some(Msg::StoreProblem(Some(format!("{e:#}"))))
                    }
                    Ok(()) if failing => {
                        failing = false;
                        Some(Msg::StoreProblem(None))
                    }
                    Ok(()) => None,
                };
                if let Some(msg) = news
                    && report.send(msg).await.is_err()
                {
                    return;
                }
            }
        });
        Saver {
            tx: Some(tx),
            task: Some(task),
            locations,
        }
    }

    /// Hand the sources changed since the last save to the writer task.
    pub fn save(&self, state: &mut State) {
        // A source still shown from its head waits for the rest: writing it now would put
        // the head in place of the whole cache.
        let (names, waiting): (Vec<String>, Vec<String>) = std::mem::take(&mut state.store.unsaved)
            .into_iter()
            .partition(|n| !state.records.restoring.heads.contains_key(n));
        state.store.unsaved.extend(waiting);
        let batch: Vec<anyhow::Result<EncodedSource>> = names
            .iter()
            .filter_map(|n| {
                self.locations
                    .get(n)
                    .map(|loc| encode_source(state, n, loc))
            })
            .collect();
        if let Some(tx) = &self.tx
            && !batch.is_empty()
        {
            let _ = tx.send(batch);
        }
    }

    /// Save what is left and wait (a bounded time) until it is written.
    pub async fn flush(&mut self, state: &mut State) {
        self.save(state);
        self.tx = None;
        if let Some(task) = self.task.take() {
            let _ = tokio::time::timeout(FLUSH_LIMIT, task).await;
        }
    }
}

/// Resolves at `at`, or never when there is nothing to wait for.
pub async fn until(at: Option<tokio::time::Instant>) {
    match at {
        Some(t) => tokio::time::sleep_until(t).await,
        None => std::future::pending().await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::command::{Command, CommandBody};
    use crate::model::ExpertDirectory;
    use crate::store::CachedSource;

    const URL: &str = "http://127.0.0.1:7";

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn source(name: &str, location: &str) -> CachedSource {
        CachedSource {
            source: name.into(),
            location: location.into(),
            saved_at: at("2026-11-29T02:00:00Z"),
            alerts: Vec::new(),
            incidents: Vec::new(),
            shifts: Vec::new(),
        }
    }

    #[tokio::test]
    async fn start_reads_this_servers_cache_outbox_and_expert_copy_only() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&path_in(dir.path()), Timestamp::now()).unwrap();
        store.save_source(&source("duty_api", URL)).unwrap();
        store
            .save_source(&source("地震", "https://old.example/q.json"))
            .unwrap();
        let ack = |key: &str| Command {
            key: key.into(),
            created_at: at("2026-11-29T02:01:00Z"),
            body: CommandBody::Ack {
                alert_id: "a-1".into(),
                officer: "测试乙".into(),
                note: String::new(),
            },
        };
        store.enqueue(URL, &ack("k-1")).unwrap();
        store.enqueue("https://other.example", &ack("k-2")).unwrap();
        drop(store);
        let copy = dir.path().join("experts.json");
        crate::experts::cache::save(&copy, &ExpertDirectory::default(), URL, Timestamp::now())
            .unwrap();

        let locations = vec![
            ("duty_api".to_owned(), URL.to_owned()),
            ("地震".to_owned(), "https://new.example/q.json".to_owned()),
        ];
        let (store, restored, _) = open(
            Some(dir.path().to_path_buf()),
            URL.into(),
            locations,
            Some(copy),
        )
        .await
        .unwrap();
        assert!(store.is_some());
        let names: Vec<&str> = restored.sources.iter().map(|c| c.source.as_str()).collect();
        assert_eq!(
            names,
            ["duty_api"],
            "the feed moved: its old cache is not shown"
        );
        let keys: Vec<&str> = restored
            .outbox
            .iter()
            .map(|q| q.command.key.as_str())
            .collect();
        assert_eq!(keys, ["k-1"]);
        assert_eq!(restored.pending_elsewhere, 1);
        assert!(restored.experts.is_some());
        assert_eq!(restored.problem, None);
    }

    #[tokio::test]
    async fn without_a_data_dir_nothing_is_kept() {
        let (store, restored, _) = open(None, URL.into(), Vec::new(), None).await.unwrap();
        assert!(store.is_none());
        assert_eq!(restored, Restored::default());
    }

    #[tokio::test]
    async fn a_source_shown_from_its_head_is_not_written_until_the_rest_is_in() {
        let dir = tempfile::tempdir().unwrap();
        let now = at("2026-11-29T03:00:00Z");
        let mut store = Store::open(&path_in(dir.path()), now).unwrap();
        let mut whole = source("监测", "/srv/feed.json");
        let one: crate::model::Alert = serde_json::from_value(serde_json::json!({
            "id": "a-1", "source": "测试", "signal_type": "管网", "colour": "red",
            "level": "I", "severity": "Extreme", "urgency": "Immediate", "certainty": "Likely",
            "status": "actual", "title": "管网压力异常", "description": "", "instruction": "",
            "area": "南山区", "sent": "2026-11-29T01:00:00Z", "references": []
        }))
        .unwrap();
        whole.alerts = (0..3)
            .map(|i| {
                let mut a = one.clone();
                a.id = format!("a-{i}").into();
                a
            })
            .collect();
        store.save_source(&whole).unwrap();
        let handle = store.shared();

        let mut state = State::new(
            now,
            jiff::tz::TimeZone::UTC,
            crate::app::keymap::Keymap::embedded(),
            crate::ui::theme::Theme::embedded(),
        );
        let mut head = one.clone();
        head.origin = "监测".into();
        state.records.alerts_mut().push(head);
        let figures = crate::store::head::WallFigures {
            at: now,
            rows: 3,
            counts: [0, 0, 0, 3],
            leaves: Vec::new(),
        };
        let partial = Partial {
            figures,
            wanted: Wanted::new(),
        };
        state.records.restoring.heads.insert("监测".into(), partial);
        state.store.unsaved.insert("监测".into());
        let (tx, _rx) = mpsc::channel(8);
        let locations = vec![("监测".to_owned(), "/srv/feed.json".to_owned())];
        let mut saver = Saver::start(Some(handle.clone()), locations, tx);
        saver.save(&mut state);
        assert!(state.store.unsaved.contains("监测"), "still to be written");
        let count = |h: StoreHandle| async move {
            h.run(|s| {
                Ok(s.load_source("监测", "/srv/feed.json")?
                    .unwrap()
                    .alerts
                    .len())
            })
            .await
        };
        assert_eq!(
            count(handle.clone()).await.unwrap(),
            3,
            "the whole cache is kept"
        );

        let mut rest = whole.alerts.clone();
        for a in &mut rest {
            a.origin = "监测".into();
        }
        crate::app::cache_head::rest_arrived(&mut state, "监测", Ok(rest));
        assert_eq!(state.records.alerts().len(), 3);
        let mut live = one.clone();
        live.id = "a-live".into();
        live.origin = "监测".into();
        state.records.alerts_mut().push(live);
        saver.flush(&mut state).await;
        assert!(state.store.unsaved.is_empty());
        assert_eq!(
            count(handle.clone()).await.unwrap(),
            4,
            "written whole, with what came since, once the rest is in"
        );
    }
}
