//! The stability rule's two moves: grow what runs in place (more of the same), and hold the
//! larger database and cache when the cheapest configuration would step them down.

use super::super::catalog::Catalog;
use super::super::fewest::{optimistic_count, simulated_count};
use super::super::optimize::{misses, Targets};
use super::super::plan::{cache_usable_gb, plan_billed, Plan, PolicyFleet, WarningCode};
use super::super::price_key::PriceKey;
use super::super::scenario::{LaunchType, Scenario};

/// The held configuration grown only by what AWS changes in place: more Fargate tasks (or EC2
/// instances) of the same size and more read replicas of the same class. `None` when that
/// cannot meet the targets at `sizing`'s
/// traffic (a larger class, node or size is needed). With the configuration's plan.
pub fn in_place(sizing: &Scenario, catalog: &Catalog, t: &Targets) -> Option<(Scenario, Plan)> {
    // The routing stays as entered: the right-size search keeps it too, and least outstanding
    // requests cannot lower the p95 floor that makes more of the same size fall short (each
    // check of it solves a Markov chain as large as the fleet).
    let (mut s, fleet) = more_workers(sizing, catalog, t)?;
    // Read replicas do not change what the auto scaling policy runs (the right-size search
    // prices every database option of a compute choice on one simulation too).
    loop {
        let p = plan_billed(&s, catalog, &fleet);
        if misses(&p, &s, t).is_empty() {
            return Some((s, p));
        }
        let db_short = p.warnings.iter().any(|w| {
            matches!(
                w.code,
                WarningCode::DbPrimaryOverloaded
                    | WarningCode::DbReplicasOverloaded
                    | WarningCode::ReplicaConnectionsOverLimit
            )
        });
        if !db_short || s.database.read_replicas >= 5 {
            return None;
        }
        s.database.read_replicas += 1;
    }
}

/// The fewest workers of the held size that meet the compute targets (p95 and headroom),
/// keeping the scenario's ratio of average to maximum tasks, with the fleet its policy runs:
/// counts are screened without simulating and only the last few simulated
/// (`fewest::optimistic_count`, `fewest::simulated_count`).
fn more_workers(s: &Scenario, catalog: &Catalog, t: &Targets) -> Option<(Scenario, PolicyFleet)> {
    let with = |n: u32| {
        let mut x = s.clone();
        match x.backend.launch_type {
            LaunchType::Fargate => {
                let b = &mut x.backend;
                let ratio = b.tasks_average as f64 / b.tasks_max.max(1) as f64;
                b.tasks_max = n.max(b.tasks_min);
                b.tasks_average =
                    ((n as f64 * ratio).ceil() as u32).clamp(b.tasks_min, b.tasks_max);
            }
            LaunchType::Ec2 => x.backend.ec2_count = n,
        }
        x
    };
    let range = match s.backend.launch_type {
        LaunchType::Fargate => (s.backend.tasks_max, 200),
        LaunchType::Ec2 => (s.backend.ec2_count, 100),
    };
    let mut evaluated = 0;
    let fewest = optimistic_count(&with, catalog, t, range, &mut evaluated)?;
    let (n, fleet) = simulated_count(&with, catalog, t, (fewest, range.1), &mut evaluated)?;
    Some((with(n), fleet))
}

/// `best` (the cheapest configuration at `sizing`'s traffic) with the stores held where it
/// would step them down: the compute is `best`'s (a rolling change); the database keeps a class
/// with as many vCPUs and as much memory, at least as many replicas and Multi-AZ once on; the
/// cache never loses usable memory nor leaves cluster mode (AWS cannot turn it off), and grows
/// by shards of its own node type when it is in cluster mode and that fits.
pub fn merge(sizing: &Scenario, best: &Scenario, catalog: &Catalog) -> Scenario {
    let mut out = best.clone();
    out.alb.routing = sizing.alb.routing;
    let (cur, new) = (&sizing.database, &mut out.database);
    let spec = |class: &str| catalog.rds_classes.get(class).map(|c| (c.vcpu, c.memory_gib));
    if let (Some(a), Some(b)) = (spec(&cur.class), spec(&new.class)) {
        if a.0 >= b.0 && a.1 >= b.1 {
            new.class = cur.class.clone();
        }
    }
    new.read_replicas = new.read_replicas.max(cur.read_replicas);
    new.multi_az |= cur.multi_az;
    out.cache = merged_cache(sizing, best, catalog);
    out
}

fn merged_cache(
    sizing: &Scenario,
    best: &Scenario,
    catalog: &Catalog,
) -> super::super::scenario::Cache {
    let (cur, new) = (&sizing.cache, &best.cache);
    let needed = sizing.cache.working_set_gb;
    let usable = |c: &super::super::scenario::Cache| {
        cache_usable_gb(catalog, &c.node_type, c.shards_in_use())
    };
    let replicas = cur.replicas_per_shard.max(new.replicas_per_shard);
    if usable(cur) >= needed {
        return super::super::scenario::Cache { replicas_per_shard: replicas, ..cur.clone() };
    }
    if cur.cluster_mode {
        // Online resharding of the same nodes, up to the search's 6 shards.
        for shards in cur.shards_in_use() + 1..=6 {
            let grown = super::super::scenario::Cache { shards, ..cur.clone() };
            if usable(&grown) >= needed {
                return super::super::scenario::Cache { replicas_per_shard: replicas, ..grown };
            }
        }
    }
    if !cur.cluster_mode && new.cluster_mode {
        // Cluster mode is a migration AWS cannot undo (it needs a replica, Redis OSS 7 and a
        // cluster client): scale the one node up instead (online) while one node holds it.
        if let Some(node) = larger_node(sizing, catalog, needed) {
            let node_type = node.to_string();
            return super::super::scenario::Cache {
                node_type,
                replicas_per_shard: replicas,
                ..cur.clone()
            };
        }
    }
    let mut out = new.clone();
    out.replicas_per_shard = replicas;
    if cur.cluster_mode && !out.cluster_mode {
        out.cluster_mode = true;
        out.shards = out.shards.max(1);
    }
    out
}

/// The cheapest node type of the scenario's engine whose one node holds `needed` GB.
fn larger_node<'a>(s: &Scenario, catalog: &'a Catalog, needed: f64) -> Option<&'a str> {
    let price = |node: &str| {
        let key = PriceKey::CacheHour(s.cache.engine, node.to_string());
        catalog.price(&s.region, &key, &s.price_overrides).usd
    };
    catalog
        .cache_nodes
        .keys()
        .filter(|node| cache_usable_gb(catalog, node, 1) >= needed)
        .min_by(|a, b| price(a).total_cmp(&price(b)))
        .map(String::as_str)
}
