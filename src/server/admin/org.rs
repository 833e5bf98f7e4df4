//! `watchroom admin org` and `PUT /api/v1/admin/org`: the office's name, zone and
//! handover time.

use super::Actor;
use crate::model::Office;
use crate::server::error::{ApiFailure, ApiResult};
use crate::server::store::{self, Store};
use jiff::Timestamp;
use jiff::tz::TimeZone;

/// A change to the office details; what is None stays as it is.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OfficeChange {
    pub name: Option<String>,
    pub zone: Option<String>,
    pub handover: Option<String>,
}

impl OfficeChange {
    pub fn is_empty(&self) -> bool {
        self.name.is_none() && self.zone.is_none() && self.handover.is_none()
    }
}

/// The office after `change`, each field checked; a first setting needs the name.
pub fn merged(current: Option<&Office>, change: &OfficeChange) -> ApiResult<Office> {
    let name = match (&change.name, current) {
        (Some(n), _) => {
            let n = crate::model::text::sanitize(n).trim().to_owned();
            if n.is_empty() || n.chars().count() > 200 {
                return Err(ApiFailure::field(
                    "name",
                    "`name` must be the office's name, 1 to 200 characters",
                ));
            }
            n
        }
        (None, Some(c)) => c.name.clone(),
        (None, None) => {
            return Err(ApiFailure::field(
                "name",
                "no office is set yet: give its name (--name 测试市应急管理局)",
            ));
        }
    };
    let zone = match (&change.zone, current) {
        (Some(z), _) => {
            let z = z.trim();
            TimeZone::get(z).map_err(|_| {
                ApiFailure::field(
                    "zone",
                    format!("`zone` {z:?} is not an IANA time zone such as Asia/Shanghai"),
                )
            })?;
            z.to_owned()
        }
        (None, Some(c)) => c.zone.clone(),
        (None, None) => "Asia/Shanghai".to_owned(),
    };
    let handover = match (&change.handover, current) {
        (Some(h), _) => {
            let t = super::roster::time(h).ok_or_else(|| {
                ApiFailure::field(
                    "handover",
                    format!("`handover` {h:?} is not a time of day like 08:30"),
                )
            })?;
            t.strftime("%H:%M").to_string()
        }
        (None, Some(c)) => c.handover.clone(),
        (None, None) => "08:30".to_owned(),
    };
    Ok(Office {
        name,
        zone,
        handover,
    })
}

/// Sets the office details in one transaction; returns them.
pub fn set(
    store: &Store,
    change: &OfficeChange,
    actor: &Actor,
    at: Timestamp,
) -> ApiResult<Office> {
    store.write_blocking(|ch| {
        let current = store::org::get(&ch.tx)?;
        let office = merged(current.as_ref(), change)?;
        if current.as_ref() != Some(&office) {
            store::org::set(ch, &office, actor, at)?;
        }
        Ok(office)
    })
}

pub fn get(store: &Store) -> ApiResult<Option<Office>> {
    store.read_blocking(store::org::get)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_keeps_what_it_does_not_name_and_checks_what_it_does() {
        let first = merged(
            None,
            &OfficeChange {
                name: Some(" 测试市应急管理局 ".into()),
                ..OfficeChange::default()
            },
        )
        .unwrap();
        assert_eq!(first.zone, "Asia/Shanghai");
        assert_eq!(first.handover, "08:30");
        let moved = merged(
            Some(&first),
            &OfficeChange {
                handover: Some("9:00".into()),
                ..OfficeChange::default()
            },
        )
        .unwrap();
        assert_eq!(
            (moved.name.as_str(), moved.handover.as_str()),
            ("测试市应急管理局", "09:00")
        );
        let bad = merged(
            Some(&first),
            &OfficeChange {
                zone: Some("Mars/Olympus".into()),
                ..OfficeChange::default()
            },
        )
        .unwrap_err();
        assert_eq!(bad.field.as_deref(), Some("zone"));
        assert!(merged(None, &OfficeChange::default()).is_err());
    }
}
