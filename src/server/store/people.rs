//! The office's people and their tokens. A personal token is 256 random bits shown once
//! when it is made; only its SHA-256 is stored (`tokens.hash`), found by a short prefix
//! of that hash and then compared in full in constant time. A shared seat (值班台) is a
//! user too, whose writes carry the person typed at the seat and the seat's name.

use super::{decode, ms, new_id};
use crate::server::error::{ApiFailure, ApiResult};
use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// What a token may do. Everyone reads; an officer acknowledges, silences, logs, takes
/// intake and signs handovers; a chief or leader also records and closes leader
/// instructions; an admin manages people and the office's data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Viewer,
    Officer,
    Chief,
    Leader,
    Admin,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Viewer,
        Role::Officer,
        Role::Chief,
        Role::Leader,
        Role::Admin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Officer => "officer",
            Role::Chief => "chief",
            Role::Leader => "leader",
            Role::Admin => "admin",
        }
    }

    /// Acknowledge, silence, log, take intake, sign and confirm handovers.
    pub fn keeps_duty(self) -> bool {
        matches!(self, Role::Officer | Role::Chief | Role::Leader)
    }

    /// Record (批示) and close (办结) leader instructions.
    pub fn gives_instructions(self) -> bool {
        matches!(self, Role::Chief | Role::Leader)
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str().eq_ignore_ascii_case(s.trim()))
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A person (or a shared seat) who may hold a token.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct User {
    pub id: String,
    /// The person's name as records carry it; for a seat, the seat's name (值班台1).
    pub name: String,
    pub role: Role,
    #[serde(default)]
    pub phone: String,
    /// A shared seat: its writes name the person typed at it, plus the seat.
    #[serde(default)]
    pub seat: bool,
    pub created_at: Timestamp,
    pub created_by: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disabled_at: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disabled_by: Option<String>,
    /// The id of the user's current token (never the token itself).
    #[serde(default)]
    pub token_id: String,
    #[serde(default)]
    pub token_created_at: Option<Timestamp>,
}

/// A token that was just made: the only time it exists in clear.
pub struct NewToken {
    pub token: String,
}

/// How many hex digits of the hash are used to find a token's row.
const LOOKUP: usize = 16;

/// The prefix of personal tokens, so that one pasted in the wrong place is recognisable.
pub const TOKEN_PREFIX: &str = "wr_";

/// 256 random bits from the operating system, as hex after `wr_`.
pub fn fresh_token() -> ApiResult<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| ApiFailure::internal(format!("no randomness for a token: {e}")))?;
    Ok(format!("{TOKEN_PREFIX}{}", hex(&bytes)))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// SHA-256 of the token, hex. The token is 256 random bits, so a plain hash is enough.
pub fn hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// Compares without stopping at the first differing byte.
pub fn same(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn get_row(conn: &Connection, id: &str) -> ApiResult<Option<User>> {
    let body: Option<String> = conn
        .query_row("SELECT body FROM users WHERE id = ?1", params![id], |r| {
            r.get(0)
        })
        .optional()?;
    body.as_deref().map(decode).transpose()
}

fn save(conn: &Connection, user: &User) -> ApiResult<()> {
    conn.execute(
        "INSERT INTO users (id, name, body) VALUES (?1, ?2, ?3)
         ON CONFLICT(id) DO UPDATE SET name = excluded.name, body = excluded.body",
        params![user.id, user.name, serde_json::to_string(user)?],
    )?;
    Ok(())
}

/// Every user, oldest first.
pub fn list(conn: &Connection) -> ApiResult<Vec<User>> {
    let mut stmt = conn.prepare_cached("SELECT body FROM users ORDER BY rowid")?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    rows.map(|row| decode(&row?)).collect()
}

/// A user by id, or by name (the active one of that name).
pub fn find(conn: &Connection, who: &str) -> ApiResult<Option<User>> {
    if let Some(u) = get_row(conn, who)? {
        return Ok(Some(u));
    }
    let mut found: Vec<User> = list(conn)?.into_iter().filter(|u| u.name == who).collect();
    found.sort_by_key(|u| u.disabled_at.is_none());
    Ok(found.pop())
}

fn store_token(conn: &Connection, user_id: &str, token: &str, now: Timestamp) -> ApiResult<String> {
    let id = new_id("tok");
    let h = hash(token);
    conn.execute(
        "INSERT INTO tokens (id, user_id, lookup, hash, created_ms) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![id, user_id, &h[..LOOKUP], h, ms(now)],
    )?;
    Ok(id)
}

/// Adds a user with a fresh token. A name already held by an active user is refused
/// (records carry names, so two people of one name must be told apart by it).
pub fn add(
    conn: &Connection,
    name: &str,
    role: Role,
    phone: &str,
    seat: bool,
    by: &str,
    now: Timestamp,
) -> ApiResult<(User, NewToken)> {
    if list(conn)?
        .iter()
        .any(|u| u.name == name && u.disabled_at.is_none())
    {
        return Err(ApiFailure::conflict(
            "name",
            format!(
                "there is already a user named {name:?}: give the new one a name that tells \
                 them apart (e.g. {name}（二）), or rotate the existing one's token"
            ),
        ));
    }
    let token = fresh_token()?;
    let mut user = User {
        id: new_id("user"),
        name: name.to_owned(),
        role,
        phone: phone.to_owned(),
        seat,
        created_at: now,
        created_by: by.to_owned(),
        disabled_at: None,
        disabled_by: None,
        token_id: String::new(),
        token_created_at: Some(now),
    };
    save(conn, &user)?;
    user.token_id = store_token(conn, &user.id, &token, now)?;
    save(conn, &user)?;
    Ok((user, NewToken { token }))
}

fn revoke_all(conn: &Connection, user_id: &str, now: Timestamp) -> ApiResult<()> {
    conn.execute(
        "UPDATE tokens SET revoked_ms = ?1 WHERE user_id = ?2 AND revoked_ms IS NULL",
        params![ms(now), user_id],
    )?;
    Ok(())
}

/// Disables a user: their tokens stop working at once. Returns the user as it was
/// before and as it is now.
pub fn disable(conn: &Connection, who: &str, by: &str, now: Timestamp) -> ApiResult<(User, User)> {
    let before = find(conn, who)?.ok_or_else(|| not_found(who))?;
    if before.disabled_at.is_some() {
        return Err(ApiFailure::conflict(
            "id",
            format!("{} ({}) is already disabled", before.name, before.id),
        ));
    }
    let mut user = before.clone();
    user.disabled_at = Some(now);
    user.disabled_by = Some(by.to_owned());
    revoke_all(conn, &user.id, now)?;
    save(conn, &user)?;
    Ok((before, user))
}

/// A new token for the user; the old one stops working at once.
pub fn rotate(conn: &Connection, who: &str, now: Timestamp) -> ApiResult<(User, User, NewToken)> {
    let before = find(conn, who)?.ok_or_else(|| not_found(who))?;
    if before.disabled_at.is_some() {
        return Err(ApiFailure::conflict(
            "id",
            format!(
                "{} ({}) is disabled: add them again rather than giving a disabled user a token",
                before.name, before.id
            ),
        ));
    }
    let token = fresh_token()?;
    revoke_all(conn, &before.id, now)?;
    let mut user = before.clone();
    user.token_id = store_token(conn, &user.id, &token, now)?;
    user.token_created_at = Some(now);
    save(conn, &user)?;
    Ok((before, user, NewToken { token }))
}

fn not_found(who: &str) -> ApiFailure {
    ApiFailure::new(
        axum::http::StatusCode::NOT_FOUND,
        format!("no user with id or name {who:?} (watchroom admin user list)"),
    )
}

/// What a presented personal token is.
pub enum Found {
    Active {
        user: Box<User>,
        token_id: String,
    },
    /// A token that was rotated away or whose user was disabled.
    Revoked {
        name: String,
    },
}

/// Looks a presented token up by its hash; `None` when no personal token matches.
pub fn resolve(conn: &Connection, presented: &str) -> ApiResult<Option<Found>> {
    let h = hash(presented);
    let mut stmt = conn.prepare_cached(
        "SELECT id, user_id, hash, revoked_ms FROM tokens WHERE lookup = ?1 ORDER BY created_ms",
    )?;
    let rows = stmt.query_map(params![&h[..LOOKUP]], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, Option<i64>>(3)?,
        ))
    })?;
    let mut hit = None;
    for row in rows {
        let (id, user_id, stored, revoked) = row?;
        if same(stored.as_bytes(), h.as_bytes()) {
            hit = Some((id, user_id, revoked));
        }
    }
    let Some((token_id, user_id, revoked)) = hit else {
        return Ok(None);
    };
    let user = get_row(conn, &user_id)?.ok_or_else(|| {
        ApiFailure::internal(format!("token {token_id} names a missing user {user_id}"))
    })?;
    if revoked.is_some() || user.disabled_at.is_some() {
        return Ok(Some(Found::Revoked { name: user.name }));
    }
    Ok(Some(Found::Active {
        user: Box::new(user),
        token_id,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_256_bits_and_only_their_hash_is_kept() {
        let t = fresh_token().expect("randomness");
        assert_eq!(t.len(), TOKEN_PREFIX.len() + 64);
        assert_ne!(t, fresh_token().expect("randomness"));
        assert_eq!(hash(&t).len(), 64);
        assert!(!hash(&t).contains(&t[TOKEN_PREFIX.len()..]));
        assert!(same(b"abc", b"abc") && !same(b"abc", b"abd") && !same(b"ab", b"abc"));
        assert_eq!(Role::parse("Chief"), Some(Role::Chief));
        assert_eq!(Role::parse("driver"), None);
    }
}
