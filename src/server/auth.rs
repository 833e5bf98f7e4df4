//! Who is asking, and may they. Every route but health needs a bearer token: a personal
//! or seat token (`watchroom admin user add`, stored as a hash), one of the server's own
//! bootstrap tokens (`--token`, `WATCHROOM_TOKENS`: role admin, no person) or a viewer
//! token (`--viewer-token`). The token's role decides what it may do (`needed`); the
//! handlers take the actor of a write from it (`Caller`).

use super::AppState;
use super::error::{ApiFailure, ApiResult};
use super::store::admin_log::Actor;
use super::store::audit::{self, Origin};
use super::store::people::{self, Found, Role};
use axum::extract::{ConnectInfo, FromRequestParts, MatchedPath, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use rusqlite::Connection;
use std::net::SocketAddr;

/// A fresh random token for a server started without one.
pub fn generate_token() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

/// Tokens go into an HTTP header, so they must be visible ASCII without spaces.
pub fn check_token(token: &str) -> anyhow::Result<()> {
    if token.is_empty() {
        anyhow::bail!("an empty bearer token was given");
    }
    if !token.bytes().all(|b| b.is_ascii_graphic()) {
        anyhow::bail!("bearer tokens must be printable ASCII without spaces");
    }
    Ok(())
}

/// What kind of token was presented.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// One person's: the actor of every write made with it.
    Personal,
    /// A shared seat's: writes name the person typed at it, plus the seat.
    Seat,
    /// The server's own (`--token`, `WATCHROOM_TOKENS`): admin, no person.
    Bootstrap,
    /// `--viewer-token`: reads only, no person.
    Viewer,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Personal => "personal",
            Kind::Seat => "seat",
            Kind::Bootstrap => "bootstrap",
            Kind::Viewer => "viewer",
        }
    }
}

/// The presented token, resolved.
#[derive(Debug, Clone)]
pub struct Identity {
    pub kind: Kind,
    pub role: Role,
    /// The person (personal) or the seat's name (seat); none for bootstrap and viewer.
    pub name: Option<String>,
    /// `tok-…` for a personal or seat token, `bootstrap-…`/`viewer-…` (from a hash
    /// prefix) for the server's own; never the token.
    pub token_id: String,
}

impl Identity {
    pub fn me(&self) -> crate::model::Me {
        crate::model::Me {
            kind: self.kind.as_str().to_owned(),
            role: self.role.as_str().to_owned(),
            person: (self.kind == Kind::Personal)
                .then(|| self.name.clone())
                .flatten(),
            seat: (self.kind == Kind::Seat)
                .then(|| self.name.clone())
                .flatten(),
            token_id: self.token_id.clone(),
        }
    }

    /// How the token is named in a refusal: "林某婷's token (officer)".
    fn described(&self) -> String {
        match (self.kind, &self.name) {
            (Kind::Personal, Some(n)) => format!("this is {n}'s token ({})", self.role),
            (Kind::Seat, Some(n)) => format!("this is the token of the seat {n} ({})", self.role),
            (Kind::Bootstrap, _) => {
                "this is one of the server's bootstrap admin tokens (--token, WATCHROOM_TOKENS), which names no person".to_owned()
            }
            _ => format!("this is a {} token", self.role),
        }
    }
}

/// The permission a request needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    Read,
    /// Acknowledge, silence, log, intake, handovers (officer, chief, leader).
    Duty,
    /// People and the office's data, the audit trail.
    Admin,
}

/// What a request needs, from its method and path: reads for everyone, the admin routes
/// and the audit trail for admins, every other write for those who keep duty.
pub fn needed(method: &Method, path: &str) -> Need {
    let admin = path.starts_with("/api/v1/admin/") || path == "/api/v1/audit";
    match (admin, matches!(*method, Method::GET | Method::HEAD)) {
        (true, _) => Need::Admin,
        (false, true) => Need::Read,
        (false, false) => Need::Duty,
    }
}

pub fn allowed(role: Role, need: Need) -> bool {
    match need {
        Need::Read => true,
        Need::Duty => role.keeps_duty(),
        Need::Admin => role == Role::Admin,
    }
}

fn refusal(identity: &Identity, need: Need) -> ApiFailure {
    let what = identity.described();
    let text = match (identity.role, need) {
        (Role::Viewer, _) => {
            format!("{what} and may only read: ask for an officer's token to make changes")
        }
        (_, Need::Admin) => format!(
            "{what}: people, the office's data and the audit trail are managed with an admin token"
        ),
        (Role::Admin, _) => format!(
            "{what}: duty records (acknowledgements, log entries, handovers) are made with a \
             personal token (watchroom admin user add NAME --role officer) or a shared seat's \
             (--seat NAME), so that each names who made it"
        ),
        _ => format!("{what} and may not do this"),
    };
    ApiFailure::new(StatusCode::FORBIDDEN, text)
}

/// A stable, harmless id for one of the server's own tokens: a prefix of its hash.
fn listed_id(prefix: &str, token: &str) -> String {
    format!("{prefix}-{}", &people::hash(token)[..12])
}

pub(crate) fn presented(headers: &HeaderMap) -> Result<String, ApiFailure> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Err(ApiFailure::unauthorized(
            "missing bearer token: send the header `Authorization: Bearer <token>`",
        ));
    };
    value
        .to_str()
        .ok()
        .and_then(|v| {
            let (scheme, token) = v.trim().split_once(' ')?;
            scheme
                .eq_ignore_ascii_case("bearer")
                .then(|| token.trim().to_owned())
        })
        .ok_or_else(|| {
            ApiFailure::unauthorized("the Authorization header must be `Bearer <token>`")
        })
}

pub(crate) fn listed(tokens: &[String], presented: &str) -> Option<String> {
    let mut hit = None;
    for token in tokens {
        if people::same(token.as_bytes(), presented.as_bytes()) {
            hit = Some(token.clone());
        }
    }
    hit
}

/// Resolves the token (never logging it), checks the role against the route and hands
/// the identity on to the handler.
pub async fn require_token(State(app): State<AppState>, mut req: Request, next: Next) -> Response {
    let token = match presented(req.headers()) {
        Ok(t) => t,
        Err(e) => return e.into_response(),
    };
    let identity = match identify(&app, token).await {
        Ok(i) => i,
        Err(e) => return e.into_response(),
    };
    let need = needed(req.method(), req.uri().path());
    if !allowed(identity.role, need) {
        return refusal(&identity, need).into_response();
    }
    req.extensions_mut().insert(identity);
    next.run(req).await
}

pub(crate) async fn identify(app: &AppState, token: String) -> ApiResult<Identity> {
    if let Some(t) = listed(&app.tokens, &token) {
        return Ok(Identity {
            kind: Kind::Bootstrap,
            role: Role::Admin,
            name: None,
            token_id: listed_id("bootstrap", &t),
        });
    }
    if let Some(t) = listed(&app.viewer_tokens, &token) {
        return Ok(Identity {
            kind: Kind::Viewer,
            role: Role::Viewer,
            name: None,
            token_id: listed_id("viewer", &t),
        });
    }
    match app
        .store
        .read(move |conn| people::resolve(conn, &token))
        .await?
    {
        Some(Found::Active { user, token_id }) => Ok(Identity {
            kind: if user.seat {
                Kind::Seat
            } else {
                Kind::Personal
            },
            role: user.role,
            name: Some(user.name),
            token_id,
        }),
        Some(Found::Revoked { name }) => Err(ApiFailure::unauthorized(format!(
            "this token of {name} no longer works (rotated, or the user was disabled): ask an admin for a new one"
        ))),
        None => Err(ApiFailure::unauthorized(
            "the bearer token is not valid for this server",
        )),
    }
}

/// Who makes the request being handled: the token's identity, the client's address and
/// the route (`POST /api/v1/alerts/{id}/ack`), for the actor and the audit trail.
#[derive(Debug, Clone)]
pub struct Caller {
    pub identity: Identity,
    pub address: Option<String>,
    pub action: String,
}

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = ApiFailure;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiFailure> {
        let identity = parts.extensions.get::<Identity>().cloned().ok_or_else(|| {
            ApiFailure::internal("no identity for a request past the token check")
        })?;
        let address = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip().to_string());
        let path = parts
            .extensions
            .get::<MatchedPath>()
            .map_or_else(|| parts.uri.path().to_owned(), |m| m.as_str().to_owned());
        Ok(Caller {
            identity,
            address,
            action: format!("{} {path}", parts.method),
        })
    }
}

impl Caller {
    /// The person a duty write is made by, and the seat, from the token. `field` is the
    /// body field naming them (`officer`, `author`, `outgoing`, `incoming`): a personal
    /// token may leave it out or must name its own person; a seat's token must name the
    /// person at the seat.
    pub fn person(
        &self,
        field: &str,
        given: Option<String>,
    ) -> ApiResult<(String, Option<String>)> {
        let id = &self.identity;
        match (id.kind, &id.name, given) {
            (Kind::Personal, Some(person), None) => Ok((person.clone(), None)),
            (Kind::Personal, Some(person), Some(g)) if g == *person => Ok((g, None)),
            (Kind::Personal, Some(person), Some(g)) => Err(ApiFailure {
                status: StatusCode::FORBIDDEN,
                error: format!(
                    "this is {person}'s token: `{field}` must be {person} (or left out), not {g:?}; \
                     {g} signs in with their own token"
                ),
                field: Some(field.to_owned()),
            }),
            (Kind::Seat, Some(_), Some(g)) => Ok((g, id.name.clone())),
            (Kind::Seat, Some(seat), None) => Err(ApiFailure::field(
                field,
                format!(
                    "this is the token of the shared seat {seat}: say who is at it in `{field}`"
                ),
            )),
            _ => Err(refusal(id, Need::Duty)),
        }
    }

    /// The actor of a duty write whose body names nobody (a new incident, a patch, an
    /// ingested alert): the token's person, or for a seat the seat itself.
    pub fn unnamed(&self) -> ApiResult<(String, Option<String>)> {
        match (self.identity.kind, &self.identity.name) {
            (Kind::Personal, Some(person)) => Ok((person.clone(), None)),
            (Kind::Seat, Some(seat)) => Ok((seat.clone(), Some(seat.clone()))),
            _ => Err(refusal(&self.identity, Need::Duty)),
        }
    }

    /// The actor of an admin change: a personal admin's own name (`by`, when given,
    /// must be it); with a bootstrap token, which names nobody, `by` is required.
    pub fn admin_actor(&self, by: Option<&str>) -> ApiResult<Actor> {
        let name = match (self.identity.kind, &self.identity.name, by) {
            (Kind::Personal, Some(me), None) => me.clone(),
            (Kind::Personal, Some(me), Some(b)) => {
                let b = super::admin::name("by", b)?;
                if b != *me {
                    return Err(ApiFailure {
                        status: StatusCode::FORBIDDEN,
                        error: format!(
                            "this is {me}'s token: `by` must be {me} (or left out), not {b:?}"
                        ),
                        field: Some("by".to_owned()),
                    });
                }
                b
            }
            (_, _, Some(b)) => super::admin::name("by", b)?,
            (_, _, None) => {
                return Err(ApiFailure::field(
                    "by",
                    "say who makes the change: `by` (e.g. ?by=林某婷); a bootstrap token names nobody",
                ));
            }
        };
        Ok(Actor {
            by: name,
            via: "api".to_owned(),
            origin: self.origin(None),
        })
    }

    /// The token, role, address (and seat) of the request, for the audit trail.
    pub fn origin(&self, seat: Option<String>) -> Origin {
        Origin {
            seat,
            role: Some(self.identity.role.as_str().to_owned()),
            token_id: Some(self.identity.token_id.clone()),
            address: self.address.clone(),
        }
    }

    /// Records the write in the audit trail (inside its transaction).
    pub fn audit(
        &self,
        conn: &Connection,
        by: &str,
        seat: Option<String>,
        target: &str,
        seq: Option<u64>,
        at: Timestamp,
    ) -> ApiResult<()> {
        audit::record(
            conn,
            by,
            "api",
            &self.origin(seat),
            &self.action,
            target,
            seq,
            at,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_checked_and_routes_need_roles() {
        assert!(check_token("t0k-EN_1").is_ok());
        assert!(check_token("has space").is_err());
        assert!(check_token("").is_err());
        assert_eq!(generate_token().len(), 32);
        assert_eq!(needed(&Method::GET, "/api/v1/alerts"), Need::Read);
        assert_eq!(needed(&Method::POST, "/api/v1/alerts/x/ack"), Need::Duty);
        assert_eq!(needed(&Method::GET, "/api/v1/admin/log"), Need::Admin);
        assert_eq!(needed(&Method::GET, "/api/v1/audit"), Need::Admin);
        assert!(!allowed(Role::Admin, Need::Duty));
        assert!(allowed(Role::Chief, Need::Duty));
        assert!(!allowed(Role::Leader, Need::Admin));
    }
}
