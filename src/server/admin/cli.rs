//! `watchroom admin`: the office's data, loaded on the server machine into the database
//! `watchroom serve` uses — also while it serves.

use super::org::OfficeChange;
use super::users::{self, NewUser};
use super::{Actor, backup, experts, org, roster};
use crate::server::error::ApiFailure;
use crate::server::store::roster::SwapRequest;
use clap::{Args, Subcommand};
use jiff::Timestamp;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Load and keep current the office's data in the server's database: the expert pool,
/// the duty roster and its swaps, the office's name, zone and handover time, and the
/// people who sign in (each with a personal token, or a shared seat's). Run it on the
/// server machine with the --db that `watchroom serve` uses; it is safe while the server
/// runs, and consoles refresh within seconds. Every change is recorded with who made it,
/// and every write to the server (these and the consoles') is in `watchroom admin audit`.
#[derive(Debug, Args)]
pub struct AdminArgs {
    /// The server's SQLite database (default: server.db in the data directory, as for
    /// `watchroom serve`). Created, empty, when it does not exist.
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Who makes the change, recorded with it (default: the login name, $USER).
    #[arg(long, global = true, value_name = "NAME")]
    pub by: Option<String>,
    #[command(subcommand)]
    pub command: AdminCommand,
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// The expert pool.
    Experts {
        #[command(subcommand)]
        command: ExpertsCommand,
    },
    /// The duty roster: import, list, swap shifts.
    Roster {
        #[command(subcommand)]
        command: RosterCommand,
    },
    /// Show or set the office's name, time zone and daily handover time, e.g.
    /// `watchroom admin org --name 测试市应急管理局 --zone Asia/Shanghai --handover 08:30`.
    Org {
        /// The office's name, shown on every console.
        #[arg(long)]
        name: Option<String>,
        /// IANA time zone (default Asia/Shanghai).
        #[arg(long)]
        zone: Option<String>,
        /// Local time of the daily shift handover, HH:MM (default 08:30); roster rows
        /// without a start or end time take it.
        #[arg(long, value_name = "HH:MM")]
        handover: Option<String>,
    },
    /// Print the record of changes made with `watchroom admin` and the admin API.
    Log,
    /// The people who sign in, and shared seats: add (prints a personal token once), list,
    /// disable.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Personal tokens: rotate (a new one, printed once; the old one stops working).
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Copy the database to PATH, safe while the server runs; the copy is checked.
    ///
    /// SQLite's online backup: the database as it was at one moment, while the server keeps
    /// writing. The copy (mode 600) is checked (integrity, schema version) and its records
    /// counted; the backup is recorded in the admin log and the audit trail. An existing
    /// PATH is refused unless --force.
    Backup {
        /// The backup file to write, e.g. /var/backups/watchroom/duty-2026-12-01.sqlite.
        path: PathBuf,
        /// Replace PATH if it exists (only once the new copy is written and checked).
        #[arg(long)]
        force: bool,
    },
    /// Replace the database with a backup, with the server stopped; the old file is kept.
    ///
    /// Refused while a server (or anyone) has the database open: stop `watchroom serve`
    /// first, or restore into a new file with --db NEW.sqlite. The backup is checked first;
    /// the replaced database is kept beside it as NAME.before-restore-TIME; the restore is
    /// recorded in the restored database's admin log and audit trail.
    Restore {
        /// The backup file (made by `watchroom admin backup`).
        path: PathBuf,
    },
    /// Print the audit trail: every write — who, what, when, from which token (its id,
    /// never the token) and address.
    Audit {
        /// From this time on: a date (2026-12-01, the office's zone) or an RFC 3339 time.
        #[arg(long, value_name = "DATE|TIME")]
        since: Option<String>,
        /// At most this many rows.
        #[arg(long, default_value_t = 1000)]
        limit: usize,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a person with a role and print their personal token, once (only its hash is
    /// kept): `user add 林某婷 --role officer --phone 100-0000-0001`. With --seat instead of
    /// a name, a shared seat's token (`user add --seat 值班台1 --role officer`): its
    /// writes carry the person typed at the seat and the seat's name. Roles: viewer
    /// (reads), officer (acknowledges, silences, logs, takes intake, signs handovers),
    /// chief and leader (also record and close leader instructions), admin (people and
    /// the office's data; no duty records).
    Add {
        /// The person's name, as records will carry it.
        #[arg(required_unless_present = "seat", conflicts_with = "seat")]
        name: Option<String>,
        /// viewer, officer, chief, leader or admin.
        #[arg(long)]
        role: String,
        #[arg(long)]
        phone: Option<String>,
        /// A shared seat's token instead of a person's, named e.g. 值班台1.
        #[arg(long, value_name = "SEAT")]
        seat: Option<String>,
    },
    /// List people and seats with their roles, token ids and state.
    List,
    /// Disable a user (by id or name): their tokens stop working at once.
    Disable {
        /// The user's id (see `user list`) or name.
        user: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Give a user (by id or name) a new token, printed once; the old one stops working.
    Rotate {
        /// The user's id (see `user list`) or name.
        user: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum ExpertsCommand {
    /// Replace the whole expert pool with a CSV or JSON file. CSV headers may be Chinese
    /// or English (姓名/name, 领域/domain, 专业组/group, 职务/role, 专长/specialties,
    /// 职称/title, 单位/organisation, 区/district, 电话/phone, 可联系/available); a BOM is
    /// fine. A file with a bad row changes nothing unless --skip-bad.
    Import {
        /// pool.csv or pool.json.
        file: PathBuf,
        /// Print what would change (added, changed, removed) and change nothing.
        #[arg(long)]
        dry_run: bool,
        /// Leave bad rows out (each is listed) and import the rest.
        #[arg(long)]
        skip_bad: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum RosterCommand {
    /// Import shifts from a CSV (日期,开始,结束,角色,姓名,电话 or date,start,end,role,name,
    /// phone) or an iCalendar file. They replace the current shifts that start between the
    /// file's first start and last end (those stay on record). A file with a bad row
    /// changes nothing unless --skip-bad.
    Import {
        /// roster.csv or roster.ics.
        file: PathBuf,
        #[arg(long)]
        dry_run: bool,
        #[arg(long)]
        skip_bad: bool,
        /// iCalendar: expand recurring shifts from this date (default: a month ago).
        #[arg(long, value_name = "YYYY-MM-DD")]
        from: Option<String>,
        /// iCalendar: … up to this date (default: a year ahead).
        #[arg(long, value_name = "YYYY-MM-DD")]
        to: Option<String>,
    },
    /// List the current shifts (with their ids, for `swap`).
    List {
        /// First day (default: today).
        #[arg(long, value_name = "YYYY-MM-DD")]
        from: Option<String>,
        /// How many days.
        #[arg(long, default_value_t = 7)]
        days: u32,
    },
    /// Record a shift swap: 替班 (--to someone else) or 调班 (--with another shift, the
    /// two holders exchange). The previous holder stays on record.
    Swap {
        /// The shift's id (see `roster list`).
        #[arg(long, value_name = "ID")]
        shift: String,
        /// 替班: who takes the shift.
        #[arg(long, value_name = "NAME", conflicts_with = "with")]
        to: Option<String>,
        /// 替班: their phone.
        #[arg(long, value_name = "PHONE", requires = "to")]
        phone: Option<String>,
        /// 调班: the shift whose holder exchanges with this one's.
        #[arg(long, value_name = "ID")]
        with: Option<String>,
        /// Who asked for the swap.
        #[arg(long, value_name = "NAME")]
        asked_by: String,
        /// Who approved it.
        #[arg(long, value_name = "NAME")]
        approved_by: String,
        /// Why (optional).
        #[arg(long, default_value = "")]
        reason: String,
    },
}

/// What a run prints and its exit status, so that tests can check it without a process.
#[derive(Debug, Default, PartialEq)]
pub struct Outcome {
    pub stdout: String,
    pub stderr: String,
    pub code: u8,
}

impl Outcome {
    pub fn exit_code(&self) -> ExitCode {
        ExitCode::from(self.code)
    }
}

fn failed(e: impl std::fmt::Display) -> Outcome {
    Outcome {
        stdout: String::new(),
        stderr: format!("watchroom admin: {e}\n"),
        code: 1,
    }
}

fn api(e: ApiFailure) -> Outcome {
    failed(e.error)
}

/// The database: `--db`, else server.db in `data_dir` (as `watchroom serve`).
fn db_path(db: Option<PathBuf>, data_dir: Option<&Path>) -> anyhow::Result<PathBuf> {
    match db {
        Some(p) => Ok(p),
        None => {
            let dir = crate::config::data_dir(data_dir).ok_or_else(|| {
                anyhow::anyhow!(
                    "no home directory: pass --db PATH (the database `watchroom serve` uses)"
                )
            })?;
            Ok(dir.join("server.db"))
        }
    }
}

fn actor(by: Option<String>, login: Option<String>) -> Result<Actor, ApiFailure> {
    let Some(by) = by.or(login) else {
        return Err(ApiFailure::field(
            "by",
            "say who makes the change: --by NAME (no $USER to take it from)",
        ));
    };
    Ok(Actor::new(
        super::name("by", &by)
            .map_err(|e| ApiFailure::field("by", format!("--by: {}", e.error)))?,
        "cli",
    ))
}

fn local_date(s: &str, field: &str) -> Result<jiff::civil::Date, ApiFailure> {
    s.trim().parse().map_err(|_| {
        ApiFailure::field(
            field,
            format!("--{field} {s:?} is not a date like 2026-12-01"),
        )
    })
}

fn restore(db: &Path, from: &Path, who: &Actor, now: Timestamp) -> Outcome {
    if let Some(parent) = db.parent().filter(|p| !p.as_os_str().is_empty())
        && let Err(e) = std::fs::create_dir_all(parent)
    {
        return failed(format!("cannot create {}: {e}", parent.display()));
    }
    match backup::restore(db, from, who, now) {
        Ok(report) => Outcome {
            stdout: report.text(),
            stderr: format!(
                "watchroom admin: now start `watchroom serve` on {} (systemctl start watchroom)\n",
                db.display()
            ),
            code: 0,
        },
        Err(e) => failed(format!("{e:#}")),
    }
}

/// Runs `watchroom admin` at `now`; `login` is who runs it when --by is not given.
pub fn run(
    args: AdminArgs,
    data_dir: Option<&Path>,
    login: Option<String>,
    now: Timestamp,
) -> Outcome {
    let db = match db_path(args.db, data_dir) {
        Ok(p) => p,
        Err(e) => return failed(e),
    };
    // A backup reads a database that must exist, and a restore puts one in place: neither
    // opens (so creates) the file as the other commands do.
    match args.command {
        AdminCommand::Backup { path, force } => {
            return match actor(args.by, login) {
                Err(e) => api(e),
                Ok(who) => match backup::backup(&db, &path, force, &who, now) {
                    Ok(report) => Outcome {
                        stdout: report.text(),
                        ..Outcome::default()
                    },
                    Err(e) => failed(format!("{e:#}")),
                },
            };
        }
        AdminCommand::Restore { path } => {
            return match actor(args.by, login) {
                Err(e) => api(e),
                Ok(who) => restore(&db, &path, &who, now),
            };
        }
        _ => {}
    }
    let existed = db.exists();
    if !existed
        && let Some(parent) = db.parent().filter(|p| !p.as_os_str().is_empty())
        && let Err(e) = std::fs::create_dir_all(parent)
    {
        return failed(format!("cannot create {}: {e}", parent.display()));
    }
    let (store, opened) = match super::open(&db) {
        Ok(s) => s,
        Err(e) => return failed(format!("{e:#}")),
    };
    let mut out = Outcome::default();
    if !existed {
        out.stderr.push_str(&format!(
            "watchroom admin: created the database {} (new, empty)\n",
            db.display()
        ));
    }
    if opened.demo
        && !matches!(
            args.command,
            AdminCommand::Log
                | AdminCommand::Audit { .. }
                | AdminCommand::User {
                    command: UserCommand::List
                }
                | AdminCommand::Roster {
                    command: RosterCommand::List { .. }
                }
        )
    {
        out.stderr.push_str(&format!(
            "watchroom admin: note: {} holds the fictional demo data set; consoles keep saying DEMO\n",
            db.display()
        ));
    }
    let result = match args.command {
        AdminCommand::Experts {
            command:
                ExpertsCommand::Import {
                    file,
                    dry_run,
                    skip_bad,
                },
        } => actor(args.by, login).and_then(|who| {
            let origin = file.display().to_string();
            let bytes = std::fs::read(&file).map_err(|e| {
                ApiFailure::field("file", format!("cannot read {origin}: {e}"))
            })?;
            let imported = experts::read(&bytes, &origin, experts::format_of(&origin))?;
            let report = experts::import(&store, imported, &origin, skip_bad, dry_run, &who, now)?;
            for w in &report.warnings {
                out.stderr.push_str(&format!("warning: {w}\n"));
            }
            Ok(report.text())
        }),
        AdminCommand::Roster {
            command:
                RosterCommand::Import {
                    file,
                    dry_run,
                    skip_bad,
                    from,
                    to,
                },
        } => actor(args.by, login).and_then(|who| {
            let origin = file.display().to_string();
            let bytes = std::fs::read(&file).map_err(|e| {
                ApiFailure::field("file", format!("cannot read {origin}: {e}"))
            })?;
            let (zone, handover) = roster::office_defaults(&store)?;
            let mut window = roster::default_window(now);
            let day_start = |d: jiff::civil::Date| {
                d.to_zoned_datetime(zone.clone())
                    .map(|z| z.timestamp())
                    .map_err(|e| ApiFailure::field("from", e.to_string()))
            };
            if let Some(f) = from {
                window.0 = day_start(local_date(&f, "from")?)?;
            }
            if let Some(t) = to {
                window.1 = day_start(local_date(&t, "to")?)?;
            }
            let opts = roster::ReadOptions {
                zone: zone.clone(),
                handover,
                window,
                now,
            };
            let read = if roster::is_ics(&origin, &bytes) {
                roster::read_ics(&bytes, &origin, &opts)?
            } else {
                roster::read_csv(&bytes, &origin, &opts)?
            };
            let report = roster::import(&store, read, &origin, skip_bad, dry_run, &who, now)?;
            for w in &report.warnings {
                out.stderr.push_str(&format!("warning: {w}\n"));
            }
            Ok(report.text(&zone))
        }),
        AdminCommand::Roster {
            command: RosterCommand::List { from, days },
        } => (|| {
            let (zone, _) = roster::office_defaults(&store)?;
            let first = match from {
                Some(f) => local_date(&f, "from")?,
                None => now.to_zoned_datetime(zone.clone()).date(),
            };
            let start = first
                .to_zoned_datetime(zone.clone())
                .map_err(|e| ApiFailure::field("from", e.to_string()))?
                .timestamp();
            let end = start + jiff::SignedDuration::from_hours(24 * i64::from(days.clamp(1, 366)));
            let shifts = roster::list(&store, start, end)?;
            let mut text = String::new();
            if shifts.is_empty() {
                text.push_str("no shifts in that window (import a roster: watchroom admin roster import roster.csv)\n");
            }
            for s in shifts {
                let t = |x: Timestamp| x.to_zoned_datetime(zone.clone()).strftime("%m-%d %H:%M").to_string();
                text.push_str(&format!(
                    "{}  {}–{}  {}  {} {}{}\n",
                    s.shift.id,
                    t(s.shift.start),
                    t(s.shift.end),
                    s.shift.role.zh(),
                    s.shift.person,
                    s.shift.phone,
                    s.swaps
                        .last()
                        .map(|w| format!("  (was {}; asked by {}, approved by {})", w.previous_person, w.asked_by, w.approved_by))
                        .unwrap_or_default()
                ));
            }
            Ok(text)
        })(),
        AdminCommand::Roster {
            command:
                RosterCommand::Swap {
                    shift,
                    to,
                    phone,
                    with,
                    asked_by,
                    approved_by,
                    reason,
                },
        } => actor(args.by, login).and_then(|who| {
            if to.is_none() && with.is_none() {
                return Err(ApiFailure::field(
                    "to",
                    "say who takes the shift (--to NAME, 替班) or which shift it is exchanged with (--with ID, 调班)",
                ));
            }
            let req = SwapRequest {
                shift_id: shift.trim().to_owned(),
                person: to.map(|p| super::name("to", &p)).transpose()?,
                phone: phone.unwrap_or_default().trim().to_owned(),
                exchange_with: with.map(|w| w.trim().to_owned()),
                asked_by: super::name("asked_by", &asked_by)?,
                approved_by: super::name("approved_by", &approved_by)?,
                reason: reason.trim().to_owned(),
            };
            let changed = roster::swap(&store, &req, &who, now)?;
            let mut text = String::new();
            for s in changed {
                if let Some(w) = s.swaps.last() {
                    text.push_str(&format!(
                        "{}: {} {} → {} (asked by {}, approved by {}, recorded {} by {})\n",
                        s.shift.id,
                        s.shift.role.zh(),
                        w.previous_person,
                        w.person,
                        w.asked_by,
                        w.approved_by,
                        w.at,
                        w.by
                    ));
                }
            }
            Ok(text)
        }),
        AdminCommand::Org {
            name,
            zone,
            handover,
        } => {
            let change = OfficeChange {
                name,
                zone,
                handover,
            };
            (|| {
                let office = if change.is_empty() {
                    org::get(&store)?
                } else {
                    let who = actor(args.by, login)?;
                    Some(org::set(&store, &change, &who, now)?)
                };
                Ok(match office {
                    Some(o) => format!(
                        "office: {}\nzone: {}\nhandover: {}\n",
                        o.name, o.zone, o.handover
                    ),
                    None => "no office set: watchroom admin org --name NAME --zone Asia/Shanghai --handover 08:30\n".to_owned(),
                })
            })()
        }
        AdminCommand::User {
            command:
                UserCommand::Add {
                    name,
                    role,
                    phone,
                    seat,
                },
        } => actor(args.by, login).and_then(|who| {
            let role = users::parse_role("role", &role)
                .map_err(|e| ApiFailure::field("role", format!("--role: {}", e.error)))?;
            let is_seat = seat.is_some();
            let new = NewUser {
                name: seat.or(name).unwrap_or_default(),
                role,
                phone: phone.unwrap_or_default(),
                seat: is_seat,
            };
            let issued = users::add(&store, new, &who, now)?;
            out.stderr.push_str(
                "watchroom admin: the token is shown only now (the database keeps its hash): \
                 give it to its holder, who signs in with `watchroom login`\n",
            );
            Ok(format!(
                "{}{}\n",
                users::line(&issued.user),
                issued.token
            ))
        }),
        AdminCommand::User {
            command: UserCommand::List,
        } => users::list(&store).map(|list| {
            if list.is_empty() {
                return "no users yet: watchroom admin user add NAME --role officer\n".to_owned();
            }
            list.iter().map(users::line).collect()
        }),
        AdminCommand::User {
            command: UserCommand::Disable { user },
        } => actor(args.by, login)
            .and_then(|who| users::disable(&store, user.trim(), &who, now))
            .map(|u| users::line(&u)),
        AdminCommand::Token {
            command: TokenCommand::Rotate { user },
        } => actor(args.by, login).and_then(|who| {
            let issued = users::rotate(&store, user.trim(), &who, now)?;
            out.stderr.push_str(
                "watchroom admin: the new token is shown only now; the old one no longer works\n",
            );
            Ok(format!("{}{}\n", users::line(&issued.user), issued.token))
        }),
        AdminCommand::Audit { since, limit } => (|| {
            let since = match since {
                None => None,
                Some(s) => Some(match s.trim().parse::<Timestamp>() {
                    Ok(t) => t,
                    Err(_) => {
                        let (zone, _) = roster::office_defaults(&store)?;
                        local_date(&s, "since")?
                            .to_zoned_datetime(zone)
                            .map_err(|e| ApiFailure::field("since", e.to_string()))?
                            .timestamp()
                    }
                }),
            };
            let rows = store.read_blocking(|conn| {
                crate::server::store::audit::since(conn, since, limit.clamp(1, 100_000))
            })?;
            let mut text = String::new();
            for e in rows {
                let o = &e.origin;
                text.push_str(&format!(
                    "{}  {}{}  {}  {}  {}  token {}  from {}  ({})\n",
                    e.at,
                    e.by,
                    o.seat.as_deref().map(|s| format!(" @{s}")).unwrap_or_default(),
                    o.role.as_deref().unwrap_or("-"),
                    e.action,
                    e.target,
                    o.token_id.as_deref().unwrap_or("-"),
                    o.address.as_deref().unwrap_or("-"),
                    e.via
                ));
            }
            Ok(text)
        })(),
        AdminCommand::Log => store
            .read_blocking(crate::server::store::admin_log::list)
            .map(|entries| {
                let mut text = String::new();
                for e in entries {
                    text.push_str(&format!(
                        "{}  {}  by {} ({})  {}  {}\n",
                        e.at, e.action, e.by, e.via, e.origin, e.summary
                    ));
                }
                text
            }),
        AdminCommand::Backup { .. } | AdminCommand::Restore { .. } => Err(ApiFailure::internal(
            "backup and restore are run before the database is opened",
        )),
    };
    match result {
        Ok(text) => {
            out.stdout = text;
            out
        }
        Err(e) => {
            let mut f = api(e);
            f.stderr.insert_str(0, &out.stderr);
            f
        }
    }
}
