//! Right-size: the cheapest configuration that meets the user's targets, with alternatives,
//! the cheaper options that were rejected and why, and the binding target when none fits.
//!
//! Search: compute (Fargate size x arch, for each the smallest task count meeting the latency
//! and headroom targets: more tasks only cost more), database (class x replicas, Multi-AZ when
//! the availability floor asks) and cache (node type x shards x replicas). The three parts are
//! chosen jointly only through DB connections (tasks x pool), so each compute option is paired
//! with its cheapest feasible database and the cheapest feasible cache.

use super::catalog::Catalog;
use super::plan::{cache_nodes, cache_usable_gb, plan, rds_instances, Plan, WarningCode};
use super::price_key::PriceKey;
use super::scenario::{Arch, LaunchType, Scenario};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Targets {
    pub p95_ms: f64,
    /// Minimum share of capacity left at peak, percent.
    pub headroom_pct: f64,
    /// Multi-AZ database, a cache replica and at least two tasks.
    pub high_availability: bool,
    pub budget_usd: Option<f64>,
    pub allow_arm: bool,
    /// Also try half the tasks on Fargate Spot (the minimum stays on-demand).
    #[serde(default)]
    pub allow_spot: bool,
    /// Also try the fixed EC2 fleet (the document's option 2).
    #[serde(default)]
    pub allow_ec2: bool,
}

impl Targets {
    pub fn for_scenario(s: &Scenario) -> Targets {
        Targets {
            p95_ms: 250.0,
            headroom_pct: 30.0,
            high_availability: s.production,
            budget_usd: None,
            allow_arm: true,
            allow_spot: false,
            allow_ec2: true,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Candidate {
    pub label: String,
    pub monthly_usd: f64,
    pub p95_ms: Option<f64>,
    pub headroom_pct: f64,
    /// Monthly cost above the best candidate (0 for the best; set once the best is known).
    pub above_best_usd: f64,
    /// Empty when the candidate meets every target.
    pub misses: Vec<String>,
    pub scenario: Scenario,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Optimization {
    pub targets: Targets,
    pub start_monthly_usd: f64,
    pub best: Option<Candidate>,
    /// The next cheapest feasible configurations that differ from the best.
    pub alternatives: Vec<Candidate>,
    /// Cheaper configurations than the best, each with the target it misses.
    pub rejected: Vec<Candidate>,
    /// When nothing meets the targets: the target that binds, and by how much.
    pub binding: Option<String>,
    /// Every compute option evaluated (for the Pareto chart of cost against p95).
    pub frontier: Vec<Candidate>,
    pub evaluated: u32,
}

const MAX_TASKS: u32 = 200;
const MAX_EC2: u32 = 100;

/// Reasons the plan misses the targets (empty: it meets them all).
pub fn misses(p: &Plan, s: &Scenario, t: &Targets) -> Vec<String> {
    let c = &p.capacity;
    let mut out = Vec::new();
    match c.p95_ms {
        None => out.push("saturated at peak".to_string()),
        Some(v) if v > t.p95_ms => out.push(format!("p95 {v:.0} ms > {:.0} ms", t.p95_ms)),
        _ => {}
    }
    if c.headroom_pct < t.headroom_pct {
        out.push(format!("headroom {:.0}% < {:.0}%", c.headroom_pct.max(-999.0), t.headroom_pct));
    }
    if t.high_availability {
        if !s.database.multi_az {
            out.push("single-AZ database".into());
        }
        if s.backend.launch_type == LaunchType::Fargate && s.backend.tasks_min < 2 {
            out.push("fewer than 2 tasks".into());
        }
        if s.backend.launch_type == LaunchType::Ec2 && s.backend.ec2_count < 2 {
            out.push("a single EC2 instance".into());
        }
        if s.cache.replicas_per_shard == 0 {
            out.push("cache without replica".into());
        }
    }
    // The engine's own findings, from one set of rules: every critical one (connections over
    // the limit, an overloaded primary, Spot on a single task, an ALB in one AZ...) and the
    // warnings that break a target (replicas, cache, CPU credits). Capacity is judged above by
    // the p95 and headroom targets.
    const ALSO_REJECTING: [WarningCode; 4] = [
        WarningCode::ReplicaConnectionsOverLimit,
        WarningCode::DbReplicasOverloaded,
        WarningCode::CacheTooSmall,
        WarningCode::Ec2Burstable,
    ];
    for w in &p.warnings {
        let critical = w.severity == super::plan::Severity::Critical && w.code != WarningCode::CapacityShort;
        if critical || ALSO_REJECTING.contains(&w.code) {
            out.push(w.message.clone());
        }
    }
    if let Some(b) = t.budget_usd {
        if p.monthly_total_usd > b {
            out.push(format!("${:.0} > budget ${b:.0}", p.monthly_total_usd));
        }
    }
    out
}

fn candidate(label: String, s: Scenario, catalog: &Catalog, t: &Targets) -> (Candidate, Plan) {
    let p = plan(&s, catalog);
    let m = misses(&p, &s, t);
    (
        Candidate {
            label,
            monthly_usd: p.monthly_total_usd,
            p95_ms: p.capacity.p95_ms,
            headroom_pct: p.capacity.headroom_pct,
            above_best_usd: 0.0,
            misses: m,
            scenario: s,
        },
        p,
    )
}

/// The scenario with `n` workers: Fargate tasks (all running at peak, n as the average too:
/// candidates are priced with the peak count all month) or EC2 instances.
fn with_count(base: &Scenario, n: u32) -> Scenario {
    let mut s = base.clone();
    match s.backend.launch_type {
        LaunchType::Fargate => {
            s.backend.tasks_min = s.backend.tasks_min.max(2).min(n);
            s.backend.tasks_desired = n;
            s.backend.tasks_max = n;
        }
        LaunchType::Ec2 => s.backend.ec2_count = n,
    }
    s
}

/// Smallest count meeting the compute targets (p95, headroom, burstable baseline), by
/// bisection: each only improves with more workers.
fn min_count(base: &Scenario, catalog: &Catalog, t: &Targets, floor: u32, max: u32, evaluated: &mut u32) -> Option<u32> {
    let ok = |n: u32, evaluated: &mut u32| {
        *evaluated += 1;
        let s = with_count(base, n);
        let p = plan(&s, catalog);
        p.capacity.p95_ms.is_some_and(|v| v <= t.p95_ms) && p.capacity.headroom_pct >= t.headroom_pct && burstable_ok(&p, &s, catalog)
    };
    if !ok(max, evaluated) {
        return None;
    }
    let (mut lo, mut hi) = (floor.max(1), max);
    if ok(lo, evaluated) {
        return Some(lo);
    }
    while hi - lo > 1 {
        let mid = (lo + hi) / 2;
        if ok(mid, evaluated) {
            hi = mid
        } else {
            lo = mid
        }
    }
    Some(hi)
}

/// A burstable (t3) EC2 fleet must run within its CPU baseline at peak, or it spends credits.
fn burstable_ok(p: &Plan, s: &Scenario, catalog: &Catalog) -> bool {
    if s.backend.launch_type != LaunchType::Ec2 {
        return true;
    }
    match catalog.ec2_instances.get(&s.backend.ec2_instance).and_then(|c| c.burstable_baseline) {
        Some(baseline) => p.capacity.utilisation_at_peak <= baseline,
        None => true,
    }
}

pub fn optimize(start: &Scenario, catalog: &Catalog, t: &Targets) -> Optimization {
    let start_monthly_usd = plan(start, catalog).monthly_total_usd;
    let mut evaluated = 1u32;
    let floor = if t.high_availability { 2 } else { 1 };

    // Database options, cheapest first; cache options likewise.
    let mut db_options: Vec<(String, u32, bool, f64)> = Vec::new();
    for class in catalog.rds_classes.keys() {
        let hourly = catalog.price(&start.region, &PriceKey::RdsHour(class.clone()), &start.price_overrides).usd;
        for replicas in 0..=5u32 {
            for multi_az in [false, true] {
                if t.high_availability && !multi_az {
                    continue;
                }
                db_options.push((class.clone(), replicas, multi_az, hourly * rds_instances(multi_az, replicas)));
            }
        }
    }
    db_options.sort_by(|a, b| a.3.total_cmp(&b.3));
    let mut cache_options: Vec<(String, bool, u32, u32, f64)> = Vec::new();
    for node in catalog.cache_nodes.keys() {
        let hourly = catalog.price(&start.region, &PriceKey::CacheHour(node.clone()), &start.price_overrides).usd;
        for shards in 1..=6u32 {
            for replicas in 0..=2u32 {
                if t.high_availability && replicas == 0 {
                    continue;
                }
                cache_options.push((node.clone(), shards > 1, shards, replicas, hourly * cache_nodes(shards, replicas) as f64));
            }
        }
    }
    cache_options.sort_by(|a, b| a.4.total_cmp(&b.4));
    // The cache is independent of the rest: its cheapest fitting option.
    let cache_choice = cache_options
        .iter()
        .find(|(node, _, shards, _, _)| {
            catalog.cache_nodes.contains_key(node) && cache_usable_gb(catalog, node, *shards) >= start.cache.working_set_gb
        })
        .cloned();

    let mut frontier = Vec::new();
    let mut feasible: Vec<Candidate> = Vec::new();
    let mut rejected: Vec<Candidate> = Vec::new();
    let arches: &[Arch] = if t.allow_arm { &[Arch::X86, Arch::Arm] } else { &[Arch::X86] };
    let min_memory = start.backend.task_memory_mib;
    let mut compute_binding: Option<String> = None;
    let mut any_sized = false;

    // Compute options: a base scenario per task size x arch (x Spot), and per EC2 type.
    let mut compute: Vec<(Scenario, String, u32)> = Vec::new();
    let spot_shares: &[f64] = if t.allow_spot { &[0.0, 0.5] } else { &[0.0] };
    for &arch in arches {
        for row in &catalog.fargate_sizes {
            // A Node.js process uses one core: sizes above 1 vCPU add cost, not throughput.
            if row.vcpu > 1.0 {
                continue;
            }
            let Some(memory) = row.memory_options().into_iter().find(|&m| m >= min_memory) else {
                continue;
            };
            for &spot in spot_shares {
                let mut base = start.clone();
                base.backend.launch_type = LaunchType::Fargate;
                base.backend.arch = arch;
                base.backend.task_cpu = row.cpu;
                base.backend.task_memory_mib = memory;
                base.backend.spot_share = spot;
                let arch_label = arch.label();
                let spot_label = if spot > 0.0 { format!(" ({:.0}% Spot)", spot * 100.0) } else { String::new() };
                compute.push((base, format!("{} vCPU/{} GB {arch_label}{spot_label}", row.vcpu, memory as f64 / 1024.0), MAX_TASKS));
            }
        }
    }
    if t.allow_ec2 {
        for name in catalog.ec2_instances.keys() {
            let mut base = start.clone();
            base.backend.launch_type = LaunchType::Ec2;
            base.backend.ec2_instance = name.clone();
            base.backend.spot_share = 0.0;
            compute.push((base, format!("EC2 {name}"), MAX_EC2));
        }
    }

    for (mut base, size_label, max_count) in compute {
        if let Some((node, cluster, shards, replicas, _)) = &cache_choice {
            base.cache.node_type = node.clone();
            base.cache.cluster_mode = *cluster;
            base.cache.shards = *shards;
            base.cache.replicas_per_shard = *replicas;
        }
        let Some(n) = min_count(&base, catalog, t, floor, max_count, &mut evaluated) else {
            let p = plan(&with_count(&base, max_count), catalog);
            compute_binding = Some(match p.capacity.p95_ms {
                Some(v) if v > t.p95_ms => format!(
                    "p95 latency: even {max_count} x {size_label} give {v:.0} ms against a {:.0} ms target ({:.0} ms is I/O wait more capacity cannot remove)",
                    t.p95_ms, start.backend.io_wait_ms
                ),
                Some(_) => format!("headroom: even {max_count} x {size_label} leave {:.0}% against a {:.0}% target", p.capacity.headroom_pct, t.headroom_pct),
                None => format!("capacity: {max_count} x {size_label} cannot serve the peak"),
            });
            continue;
        };
        any_sized = true;
        let sized = with_count(&base, n);
        // Cheapest database that passes with this many tasks.
        let mut chosen = None;
        for (class, replicas, multi_az, _) in &db_options {
            let mut s = sized.clone();
            s.database.class = class.clone();
            s.database.read_replicas = *replicas;
            s.database.multi_az = *multi_az;
            evaluated += 1;
            let label = format!(
                "{n} x {size_label}, {class}{}{}, {} x {}",
                if *replicas > 0 { format!(" + {replicas} replicas") } else { String::new() },
                if *multi_az { " Multi-AZ" } else { "" },
                s.cache.node_type,
                s.cache.shards * (1 + s.cache.replicas_per_shard)
            );
            let (c, _) = candidate(label, s, catalog, t);
            if c.misses.is_empty() {
                chosen = Some(c);
                break;
            } else if rejected.len() < 400 {
                rejected.push(c);
            }
        }
        if let Some(c) = chosen {
            // One fewer task with the same database and cache: the cheaper option the
            // targets reject, and by how much.
            if n > floor {
                let fewer = with_count(&c.scenario, n - 1);
                let label = c.label.replacen(&format!("{n} x "), &format!("{} x ", n - 1), 1);
                rejected.push(candidate(label, fewer, catalog, t).0);
                evaluated += 1;
            }
            frontier.push(c.clone());
            feasible.push(c);
        }
    }

    let all_misses: Vec<String> = rejected.iter().flat_map(|c| c.misses.iter().cloned()).collect();
    feasible.sort_by(|a, b| a.monthly_usd.total_cmp(&b.monthly_usd));
    let best = feasible.first().cloned();
    let best_cost = best.as_ref().map(|b| b.monthly_usd).unwrap_or(f64::INFINITY);
    let alternatives: Vec<Candidate> =
        feasible.iter().skip(1).take(2).map(|c| Candidate { above_best_usd: c.monthly_usd - best_cost, ..c.clone() }).collect();
    rejected.retain(|c| !c.misses.is_empty() && c.monthly_usd < best_cost);
    rejected.sort_by(|a, b| b.monthly_usd.total_cmp(&a.monthly_usd));
    rejected.dedup_by(|a, b| a.label == b.label);
    rejected.truncate(8);

    let binding = if best.is_some() {
        None
    } else if !any_sized {
        compute_binding
    } else if cache_choice.is_none() {
        Some(format!("cache: a working set of {:.1} GB fits no node type in up to 6 shards", start.cache.working_set_gb))
    } else {
        // Every compute option found a count but nothing else passed: the most frequent miss.
        let mut counts: Vec<(String, usize)> = Vec::new();
        for m in all_misses.iter() {
            match counts.iter_mut().find(|c| c.0 == *m) {
                Some(c) => c.1 += 1,
                None => counts.push((m.clone(), 1)),
            }
        }
        counts.sort_by_key(|c| std::cmp::Reverse(c.1));
        Some(counts.first().map(|c| c.0.clone()).unwrap_or_else(|| "no configuration in the search space meets the targets".into()))
    };
    let binding = match (&binding, t.budget_usd) {
        (Some(_), Some(budget)) => {
            // If only the budget fails, say by how much.
            let no_budget = Targets { budget_usd: None, ..t.clone() };
            let relaxed = optimize(start, catalog, &no_budget);
            match relaxed.best {
                Some(b) => Some(format!(
                    "budget: the cheapest configuration meeting the other targets costs ${:.2}, ${:.2} over the ${budget:.2} budget",
                    b.monthly_usd,
                    b.monthly_usd - budget
                )),
                None => binding,
            }
        }
        _ => binding,
    };

    Optimization { targets: t.clone(), start_monthly_usd, best, alternatives, rejected, binding, frontier, evaluated }
}
