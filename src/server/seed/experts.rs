//! The fictional expert pool, generated deterministically from the name pools: the same
//! data files always give the same 190 people.

use crate::model::{Domain, Expert, ExpertDirectory, Group, GroupRole};
use crate::server::data;
use std::collections::HashSet;

/// A step through a pool that visits every entry before repeating (a prime not dividing
/// the pool size), so neighbours in the list do not get neighbouring surnames.
fn stride(len: usize) -> usize {
    [7, 11, 13, 17, 19, 23]
        .into_iter()
        .find(|s| !len.is_multiple_of(*s))
        .unwrap_or(1)
}

struct NameMaker {
    surnames: Vec<String>,
    given: Vec<String>,
    used: HashSet<String>,
    stride: usize,
}

impl NameMaker {
    /// The `i`-th generated name, skipping names already used or reserved.
    fn make(&mut self, i: usize) -> anyhow::Result<String> {
        let (ns, ng) = (self.surnames.len(), self.given.len());
        // Every demo name is surname + 某 + one given character: the conventional way to
        // write an anonymised name, so nobody can mistake a demo expert for a real person.
        for k in 0..ns * ng {
            let surname = &self.surnames[(i * self.stride + 3 + k * 5) % ns];
            let given = &self.given[(i * 11 + k) % ng];
            let name = format!("{surname}某{given}");
            if self.used.insert(name.clone()) {
                return Ok(name);
            }
        }
        anyhow::bail!(
            "src/server/demo/names.toml: the surname and given-name pools are too small for \
             {} different names",
            i + 1
        )
    }
}

pub fn directory() -> anyhow::Result<ExpertDirectory> {
    let pool = data::expert_pool()?;
    let names = data::names()?;
    let city = data::city()?;
    if names.surnames.is_empty() || names.given.is_empty() || city.districts.is_empty() {
        anyhow::bail!("src/server/demo: the name pools and the district list must not be empty");
    }
    for g in &pool.groups {
        if !pool.domains.iter().any(|d| d.name == g.domain) {
            anyhow::bail!(
                "src/server/demo/experts.toml: group {:?} names an unknown domain {:?}",
                g.name,
                g.domain
            );
        }
        if g.size < 2 || g.specialties.len() < 2 || g.titles.len() < 2 || g.organisations.is_empty()
        {
            anyhow::bail!(
                "src/server/demo/experts.toml: group {:?} needs size ≥ 2 (组长 + 副组长), \
                 ≥ 2 specialties and titles, and an organisation",
                g.name
            );
        }
    }
    for f in &names.fixed {
        let ok = pool
            .groups
            .iter()
            .any(|g| g.name == f.group && f.slot < g.size);
        if !ok {
            anyhow::bail!(
                "src/server/demo/names.toml: fixed name {:?} names group {:?} slot {}, which does not exist",
                f.name,
                f.group,
                f.slot
            );
        }
    }
    let mut maker = NameMaker {
        stride: stride(names.surnames.len()),
        used: names.fixed.iter().map(|f| f.name.clone()).collect(),
        surnames: names.surnames,
        given: names.given,
    };
    let mut items = Vec::new();
    let mut i = 0;
    for (gi, g) in pool.groups.iter().enumerate() {
        for slot in 0..g.size {
            let name = match names
                .fixed
                .iter()
                .find(|f| f.group == g.name && f.slot == slot)
            {
                Some(f) => f.name.clone(),
                None => maker.make(i)?,
            };
            items.push(expert(i, gi, slot, g, name, &city.districts));
            i += 1;
        }
    }
    Ok(ExpertDirectory {
        items,
        groups: pool
            .groups
            .iter()
            .map(|g| Group {
                name: g.name.clone(),
                domain: g.domain.clone(),
            })
            .collect(),
        domains: pool
            .domains
            .iter()
            .map(|d| Domain {
                name: d.name.clone(),
            })
            .collect(),
        next_cursor: None,
    })
}

fn expert(
    i: usize,
    gi: usize,
    slot: usize,
    g: &data::GroupData,
    name: String,
    districts: &[String],
) -> Expert {
    let role = match slot {
        0 => GroupRole::Leader,
        1 => GroupRole::Deputy,
        _ => GroupRole::Member,
    };
    let sp = &g.specialties;
    let mut specialties = match role {
        // The leader leads with the group's headline specialty.
        GroupRole::Leader => vec![sp[0].clone(), sp[1 % sp.len()].clone()],
        _ => vec![
            sp[slot % sp.len()].clone(),
            sp[(slot + 3) % sp.len()].clone(),
        ],
    };
    if slot.is_multiple_of(2) {
        specialties.push(sp[(slot + 5) % sp.len()].clone());
    }
    specialties.dedup();
    let title = match role {
        GroupRole::Leader => g.titles[0].clone(),
        GroupRole::Deputy => g.titles[1].clone(),
        GroupRole::Member => g.titles[slot % g.titles.len()].clone(),
    };
    let mut phones = vec![format!("100-0000-{:04}", 1001 + i)];
    if role != GroupRole::Member {
        phones.push(format!("100-0000-{:04}", 2001 + i));
    }
    Expert {
        id: format!("exp-{:03}", i + 1),
        name,
        domain: g.domain.clone(),
        group: g.name.clone(),
        role,
        specialties,
        title,
        organisation: g.organisations[(slot + gi) % g.organisations.len()].clone(),
        district: districts[(i * 4 + gi) % districts.len()].clone(),
        phones,
        // About one member in ten is away (出差, 病假 …); leaders are kept reachable.
        available: role != GroupRole::Member || (i * 3 + gi) % 10 != 9,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pool_has_the_documented_shape() {
        let dir = directory().unwrap();
        assert_eq!(dir.items.len(), 190);
        assert_eq!(dir.groups.len(), 15);
        assert_eq!(dir.domains.len(), 5);
        for g in &dir.groups {
            let members: Vec<_> = dir.items.iter().filter(|e| e.group == g.name).collect();
            let leaders = members
                .iter()
                .filter(|e| e.role == GroupRole::Leader)
                .count();
            let deputies = members
                .iter()
                .filter(|e| e.role == GroupRole::Deputy)
                .count();
            assert_eq!((leaders, deputies), (1, 1), "{}", g.name);
        }
        for d in &dir.domains {
            assert_eq!(dir.groups.iter().filter(|g| g.domain == d.name).count(), 3);
        }
        let zhang_wei: Vec<_> = dir.items.iter().filter(|e| e.name == "张某伟").collect();
        assert_eq!(zhang_wei.len(), 2);
        assert_ne!(zhang_wei[0].group, zhang_wei[1].group);
        let unavailable = dir.items.iter().filter(|e| !e.available).count();
        assert!(
            (10..=30).contains(&unavailable),
            "{unavailable} unavailable"
        );
        for surname in ["单", "曾", "解", "区", "仇", "朴", "查"] {
            assert!(
                dir.items.iter().any(|e| e.name.starts_with(surname)),
                "{surname}"
            );
        }
        let mut names: Vec<&str> = dir.items.iter().map(|e| e.name.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), 189, "only 张某伟 repeats");
        assert!(
            dir.items
                .iter()
                .all(|e| e.phones.iter().all(|p| p.starts_with("100-0000-")))
        );
    }

    #[test]
    fn generation_is_deterministic() {
        assert_eq!(directory().unwrap(), directory().unwrap());
    }
}
