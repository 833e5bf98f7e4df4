//! People and their tokens, from `watchroom admin user …` and the admin API: each change
//! is one transaction, recorded in the admin log and the audit trail. The token made by
//! `add` and `rotate` is returned once to be shown once; the database keeps its hash.

use super::Actor;
use crate::server::error::{ApiFailure, ApiResult};
use crate::server::store::people::{self, NewToken, Role, User};
use crate::server::store::{Store, admin_log};
use jiff::Timestamp;
use serde::Serialize;
use serde_json::json;

/// What `add` and `rotate` answer: the user and, this once, their token.
#[derive(Debug, Serialize)]
pub struct Issued {
    pub user: User,
    /// The token in clear: shown now, never again (only its hash is kept).
    pub token: String,
}

/// A new user (a person, or a shared seat with `seat`).
pub struct NewUser {
    pub name: String,
    pub role: Role,
    pub phone: String,
    pub seat: bool,
}

pub fn parse_role(field: &str, s: &str) -> ApiResult<Role> {
    Role::parse(s).ok_or_else(|| {
        ApiFailure::field(
            field,
            format!("`{field}` {s:?} is not a role: use viewer, officer, chief, leader or admin"),
        )
    })
}

fn issued(user: User, token: NewToken) -> Issued {
    Issued {
        user,
        token: token.token,
    }
}

pub fn add(store: &Store, new: NewUser, actor: &Actor, at: Timestamp) -> ApiResult<Issued> {
    let name = super::name(if new.seat { "seat" } else { "name" }, &new.name)?;
    let phone = crate::model::text::sanitize(&new.phone).trim().to_owned();
    store.write_blocking(|ch| {
        let (user, token) =
            people::add(&ch.tx, &name, new.role, &phone, new.seat, &actor.by, at)?;
        admin_log::append(
            ch,
            "user.add",
            actor,
            at,
            &user.id,
            json!({"name": user.name, "role": user.role, "seat": user.seat, "token_id": user.token_id}),
            serde_json::Value::Null,
            0,
        )?;
        Ok(issued(user, token))
    })
}

pub fn list(store: &Store) -> ApiResult<Vec<User>> {
    store.read_blocking(people::list)
}

pub fn disable(store: &Store, who: &str, actor: &Actor, at: Timestamp) -> ApiResult<User> {
    store.write_blocking(|ch| {
        let (before, user) = people::disable(&ch.tx, who, &actor.by, at)?;
        admin_log::append(
            ch,
            "user.disable",
            actor,
            at,
            &user.id,
            json!({"name": user.name, "role": user.role}),
            serde_json::to_value(&before)?,
            0,
        )?;
        Ok(user)
    })
}

pub fn rotate(store: &Store, who: &str, actor: &Actor, at: Timestamp) -> ApiResult<Issued> {
    store.write_blocking(|ch| {
        let (before, user, token) = people::rotate(&ch.tx, who, at)?;
        admin_log::append(
            ch,
            "token.rotate",
            actor,
            at,
            &user.id,
            json!({"name": user.name, "token_id": user.token_id, "revoked": before.token_id}),
            serde_json::Value::Null,
            0,
        )?;
        Ok(issued(user, token))
    })
}

/// One line per user for `user list`.
pub fn line(u: &User) -> String {
    let state = match u.disabled_at {
        Some(at) => format!(
            "disabled {at} by {}",
            u.disabled_by.as_deref().unwrap_or("?")
        ),
        None => "active".to_owned(),
    };
    format!(
        "{}  {}{}  {}  {}  token {}  {}\n",
        u.id,
        u.name,
        if u.seat { " (shared seat)" } else { "" },
        u.role,
        if u.phone.is_empty() { "-" } else { &u.phone },
        u.token_id,
        state
    )
}
