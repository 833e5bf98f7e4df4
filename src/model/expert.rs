//! The emergency expert pool: domains → groups → experts.

use serde::{Deserialize, Serialize};

/// Role in a professional group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum GroupRole {
    #[serde(rename = "组长")]
    Leader,
    #[serde(rename = "副组长")]
    Deputy,
    #[serde(rename = "成员")]
    Member,
}

impl GroupRole {
    pub fn zh(self) -> &'static str {
        match self {
            GroupRole::Leader => "组长",
            GroupRole::Deputy => "副组长",
            GroupRole::Member => "成员",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Expert {
    pub id: String,
    pub name: String,
    pub domain: String,
    pub group: String,
    pub role: GroupRole,
    #[serde(default)]
    pub specialties: Vec<String>,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub organisation: String,
    #[serde(default)]
    pub district: String,
    #[serde(default)]
    pub phones: Vec<String>,
    #[serde(default = "yes")]
    pub available: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Group {
    pub name: String,
    pub domain: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Domain {
    pub name: String,
}

/// `GET /api/v1/experts`: the whole pool in one answer (it is small: ~190 people).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ExpertDirectory {
    pub items: Vec<Expert>,
    #[serde(default)]
    pub groups: Vec<Group>,
    #[serde(default)]
    pub domains: Vec<Domain>,
    #[serde(default)]
    pub next_cursor: Option<String>,
}
