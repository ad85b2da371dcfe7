//! How long each reservable resource runs unchanged along the path: the database class, the
//! cache node type and the EC2 instance type. A 1-year reservation pays back only if what it
//! reserves runs long enough; commitment prices (issue 29, the `prices` branch) compare these
//! runs with each reservation's break-even month to warn when the path outgrows one first.

use super::path::Roadmap;
use serde::Serialize;

/// What a reservation would be bought for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reservable {
    DbClass,
    CacheNode,
    Ec2Instance,
}

/// One run of a resource along the path.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Holding {
    pub kind: Reservable,
    /// The class, node or instance type.
    pub name: String,
    /// How many run (instances or nodes) in the first month of the run.
    pub count: u32,
    pub from_month: u32,
    /// Months it runs before the path changes it, or to the end of the horizon.
    pub months: u32,
    /// Still running at the end of the horizon (it may well run longer).
    pub to_horizon: bool,
}

/// Every run of each reservable resource, in the order they start.
pub fn holdings(r: &Roadmap) -> Vec<Holding> {
    let mut out: Vec<Holding> = Vec::new();
    for kind in [Reservable::DbClass, Reservable::CacheNode, Reservable::Ec2Instance] {
        let mut run: Option<Holding> = None;
        for m in &r.months {
            let s = &m.scenario;
            let now = match kind {
                Reservable::DbClass => Some((
                    s.database.class.clone(),
                    // Instances of the class: the primary (and its Multi-AZ standby) and replicas.
                    u32::from(s.database.multi_az) + 1 + s.database.read_replicas,
                )),
                Reservable::CacheNode => Some((
                    s.cache.node_type.clone(),
                    super::super::plan::cache_nodes(
                        s.cache.shards_in_use(),
                        s.cache.replicas_per_shard,
                    ),
                )),
                Reservable::Ec2Instance => (s.backend.launch_type
                    == super::super::scenario::LaunchType::Ec2)
                    .then(|| (s.backend.ec2_instance.clone(), s.backend.ec2_count)),
            };
            match (&mut run, now) {
                (Some(h), Some((name, _))) if h.name == name => h.months += 1,
                (current, now) => {
                    out.extend(current.take());
                    *current = now.map(|(name, count)| Holding {
                        kind,
                        name,
                        count,
                        from_month: m.month,
                        months: 1,
                        to_horizon: false,
                    });
                }
            }
        }
        out.extend(run.map(|h| Holding { to_horizon: true, ..h }));
    }
    out.sort_by_key(|h| h.from_month);
    out
}
