//! Right-size: the cheapest configuration that meets the user's targets, with alternatives,
//! the cheaper options that were rejected and why, and the binding target when none fits.
//!
//! Search: compute (Fargate size x arch, for each the smallest task count meeting the latency
//! and headroom targets: more tasks only cost more), database (class x replicas, Multi-AZ when
//! the availability floor asks) and cache (node type x shards x replicas). The three parts are
//! chosen jointly only through DB connections (tasks x pool), so each compute option is paired
//! with its cheapest feasible database and the cheapest feasible cache.

use super::catalog::Catalog;
use super::fewest::{optimistic_count, simulated_count};
use super::plan::{
    cache_nodes, cache_usable_gb, db_capacity_qps, peak_db_queries, plan, plan_billed,
    policy_fleet, Component, Plan, PolicyFleet, WarningCode,
};
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

/// The optimiser's numeric targets, as the app edits them one at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetField {
    P95Ms,
    HeadroomPct,
    BudgetUsd,
}

/// A target value out of its range: which target (its message says the range).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TargetError(pub TargetField);

impl std::fmt::Display for TargetError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self.0 {
            TargetField::P95Ms => {
                "The p95 ceiling must be a positive number of milliseconds, up to 60,000"
            }
            TargetField::HeadroomPct => "Headroom must be 0 to 95% of capacity",
            TargetField::BudgetUsd => "The budget must be 0 (none) or a positive number of dollars",
        })
    }
}

impl std::error::Error for TargetError {}

impl Targets {
    /// A copy with one target changed, or why the value is refused (the targets stay as they were).
    pub fn with_target(&self, field: TargetField, v: f64) -> Result<Targets, TargetError> {
        let mut next = self.clone();
        match field {
            TargetField::P95Ms if v.is_finite() && v > 0.0 && v <= 60_000.0 => next.p95_ms = v,
            TargetField::HeadroomPct if v.is_finite() && (0.0..=95.0).contains(&v) => {
                next.headroom_pct = v
            }
            TargetField::BudgetUsd if v.is_finite() && v >= 0.0 => {
                next.budget_usd = (v > 0.0).then_some(v)
            }
            _ => return Err(TargetError(field)),
        }
        Ok(next)
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
        let critical =
            w.severity == super::plan::Severity::Critical && w.code != WarningCode::CapacityShort;
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

/// Plans and judges one configuration; `fleet` is what its policy runs (`plan::policy_fleet`),
/// passed in so database and cache options of one compute choice share one simulation.
fn candidate(
    label: String,
    s: Scenario,
    catalog: &Catalog,
    t: &Targets,
    fleet: &PolicyFleet,
) -> (Candidate, Plan) {
    let p = plan_billed(&s, catalog, fleet);
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
            s.backend.tasks_average = n;
            s.backend.tasks_max = n;
        }
        LaunchType::Ec2 => s.backend.ec2_count = n,
    }
    s
}

/// A database option of the search: class x replicas x Multi-AZ, with its hourly price.
#[derive(Debug, Clone)]
struct DbOption {
    class: String,
    replicas: u32,
    multi_az: bool,
    hourly: f64,
}

/// A cache option: node type x shards x replicas per shard, with its hourly price.
#[derive(Debug, Clone)]
struct CacheOption {
    node: String,
    shards: u32,
    replicas: u32,
    hourly: f64,
}

/// A compute option: the start scenario on one Fargate size x arch (x Spot) or one EC2 type.
struct ComputeOption {
    base: Scenario,
    label: String,
    max_count: u32,
}

/// Database options, cheapest first (Multi-AZ only when availability is a target).
fn database_options(start: &Scenario, catalog: &Catalog, t: &Targets) -> Vec<DbOption> {
    let mut options = Vec::new();
    for class in catalog.rds_classes.keys() {
        let price = |key: PriceKey| catalog.price(&start.region, &key, &start.price_overrides).usd;
        let single = price(PriceKey::RdsHour(class.clone()));
        let pair = price(PriceKey::RdsMultiAzHour(class.clone()));
        for replicas in 0..=5u32 {
            for multi_az in [false, true] {
                if t.high_availability && !multi_az {
                    continue;
                }
                let primary = if multi_az { pair } else { single };
                options.push(DbOption {
                    class: class.clone(),
                    replicas,
                    multi_az,
                    hourly: primary + single * replicas as f64,
                });
            }
        }
    }
    options.sort_by(|a, b| a.hourly.total_cmp(&b.hourly));
    options
}

/// The cheapest cache that holds the working set (the cache is independent of the rest).
fn cheapest_cache(start: &Scenario, catalog: &Catalog, t: &Targets) -> Option<CacheOption> {
    let mut options = Vec::new();
    for node in catalog.cache_nodes.keys() {
        let hourly = catalog
            .price(
                &start.region,
                &PriceKey::CacheHour(start.cache.engine, node.clone()),
                &start.price_overrides,
            )
            .usd;
        for shards in 1..=6u32 {
            for replicas in 0..=2u32 {
                if t.high_availability && replicas == 0 {
                    continue;
                }
                options.push(CacheOption {
                    node: node.clone(),
                    shards,
                    replicas,
                    hourly: hourly * cache_nodes(shards, replicas) as f64,
                });
            }
        }
    }
    options.sort_by(|a, b| a.hourly.total_cmp(&b.hourly));
    options
        .into_iter()
        .find(|o| cache_usable_gb(catalog, &o.node, o.shards) >= start.cache.working_set_gb)
}

/// Fargate sizes x arch (x half on Spot) and, when allowed, each EC2 type. A Node.js process
/// uses one core, so sizes above 1 vCPU are tried only in cluster mode; ARM is never paired
/// with Spot (Fargate Spot runs x86_64 only).
fn compute_options(start: &Scenario, catalog: &Catalog, t: &Targets) -> Vec<ComputeOption> {
    let arches: &[Arch] = if t.allow_arm { &[Arch::X86, Arch::Arm] } else { &[Arch::X86] };
    let spot_shares: &[f64] = if t.allow_spot { &[0.0, 0.5] } else { &[0.0] };
    let mut options = Vec::new();
    for &arch in arches {
        for row in &catalog.fargate_sizes {
            if row.vcpu > 1.0 && !(start.backend.node_cluster && row.vcpu <= 4.0) {
                continue;
            }
            let Some(memory) =
                row.memory_options().into_iter().find(|&m| m >= start.backend.task_memory_mib)
            else {
                continue;
            };
            for &spot in spot_shares {
                if arch == Arch::Arm && spot > 0.0 {
                    continue;
                }
                let mut base = start.clone();
                base.backend.launch_type = LaunchType::Fargate;
                base.backend.arch = arch;
                base.backend.task_cpu = row.cpu;
                base.backend.task_memory_mib = memory;
                base.backend.spot_share = spot;
                let arch_label = arch.label();
                let spot_label = if spot > 0.0 {
                    format!(" ({:.0}% Spot)", spot * 100.0)
                } else {
                    String::new()
                };
                let label = format!(
                    "{} vCPU/{} GB {arch_label}{spot_label}",
                    row.vcpu,
                    memory as f64 / 1024.0
                );
                options.push(ComputeOption { base, label, max_count: MAX_TASKS });
            }
        }
    }
    if t.allow_ec2 {
        for name in catalog.ec2_instances.keys() {
            let mut base = start.clone();
            base.backend.launch_type = LaunchType::Ec2;
            base.backend.ec2_instance = name.clone();
            base.backend.spot_share = 0.0;
            options.push(ComputeOption { base, label: format!("EC2 {name}"), max_count: MAX_EC2 });
        }
    }
    options
}

/// What the search found so far.
#[derive(Default)]
struct Findings {
    /// Each with its compute option's place in `compute_options` (ties go to the first).
    feasible: Vec<(usize, Candidate)>,
    rejected: Vec<Candidate>,
    frontier: Vec<Candidate>,
    /// Why the last compute option that could not be sized failed.
    compute_binding: Option<String>,
    any_sized: bool,
    evaluated: u32,
    /// Only the best is wanted (`cheapest`): nothing rejected is recorded.
    lean: bool,
}

impl Findings {
    /// Whether a configuration of compute option `index` costing at least `floor` could still
    /// be the best: cheaper than the best so far, or as cheap and earlier in the options.
    fn could_beat(&self, floor: f64, index: usize) -> bool {
        let best = self.feasible.iter().min_by(|a, b| order(a, b));
        best.is_none_or(|(i, b)| floor < b.monthly_usd || (floor == b.monthly_usd && index < *i))
    }
}

/// Cheapest first; at the same cost, the earlier compute option.
fn order(a: &(usize, Candidate), b: &(usize, Candidate)) -> std::cmp::Ordering {
    a.1.monthly_usd.total_cmp(&b.1.monthly_usd).then(a.0.cmp(&b.0))
}

/// A compute option with the fewest workers that could meet the compute targets
/// (`optimistic_count`).
struct Screened {
    option: ComputeOption,
    index: usize,
    fewest: u32,
}

/// Why `max_count` workers of one compute option still miss the compute targets.
fn compute_binding(
    base: &Scenario,
    label: &str,
    max_count: u32,
    catalog: &Catalog,
    t: &Targets,
) -> String {
    let p = plan(&with_count(base, max_count), catalog);
    match p.capacity.p95_ms {
        Some(v) if v > t.p95_ms => format!(
            "p95 latency: even {max_count} x {label} give {v:.0} ms against a {:.0} ms target \
                ({:.0} ms is I/O wait more capacity cannot remove)",
            t.p95_ms, base.backend.io_wait_ms
        ),
        Some(_) => format!(
            "headroom: even {max_count} x {label} leave {:.0}% against a {:.0}% \
            target",
            p.capacity.headroom_pct, t.headroom_pct
        ),
        None => format!("capacity: {max_count} x {label} cannot serve the peak"),
    }
}

/// `sized` with one database option.
fn with_database(sized: &Scenario, db: &DbOption) -> Scenario {
    let mut s = sized.clone();
    s.database.class = db.class.clone();
    s.database.read_replicas = db.replicas;
    s.database.multi_az = db.multi_az;
    s
}

/// A floor under the monthly cost of any configuration of `option` with at least `fewest`
/// workers: the plan without its database at the minimum task count billed (the simulated
/// average is never below it, and more workers only cost more), plus the cheapest database's
/// instance hours (a database costs at least its instance hours; the options are sorted by
/// them).
fn cost_floor(option: &ComputeOption, fewest: u32, db_options: &[DbOption], c: &Catalog) -> f64 {
    let Some(first) = db_options.first() else {
        return 0.0;
    };
    let s = with_database(&with_count(&option.base, fewest), first);
    let p = plan_billed(&s, c, &PolicyFleet::billed_only(s.backend.tasks_min as f64));
    without_db(&p) + first.hourly * c.hours_per_month
}

fn without_db(p: &Plan) -> f64 {
    p.monthly_total_usd - p.component_total(Component::Database)
}

/// Sizes one screened compute option: the smallest count meeting the compute targets with
/// its simulated fleet, then the cheapest database passing with it; records the option one
/// worker short as rejected.
fn size_compute(
    screened: Screened,
    db_options: &[DbOption],
    floor: u32,
    catalog: &Catalog,
    t: &Targets,
    found: &mut Findings,
) {
    let Screened { option, index, fewest, .. } = screened;
    let ComputeOption { base, label: size_label, max_count } = option;
    let range = (fewest, max_count);
    let with = |n: u32| with_count(&base, n);
    let Some((n, billed)) = simulated_count(&with, catalog, t, range, &mut found.evaluated) else {
        if !found.lean {
            let binding = compute_binding(&base, &size_label, max_count, catalog, t);
            found.compute_binding = Some(binding);
        }
        return;
    };
    found.any_sized = true;
    let sized = with_count(&base, n);
    let hours = catalog.hours_per_month;
    let mut chosen = None;
    let mut rest_of_plan = None;
    // The most connections a class allowed and the primary's pools still outgrew: every
    // class allowing no more fails too, whatever its replicas and Multi-AZ (the pools connect
    // to the primary: `plan::database_load`), so the lean search skips it.
    let mut outgrown = 0;
    for db in db_options {
        let floor = rest_of_plan.map(|r: f64| r + db.hourly * hours);
        if found.lean && floor.is_some_and(|f| !found.could_beat(f, index)) {
            break;
        }
        if found.lean && catalog.rds_max_connections(&db.class) <= outgrown {
            continue;
        }
        let s = with_database(&sized, db);
        found.evaluated += 1;
        let label = format!(
            "{n} x {size_label}, {}{}{}, {} x {}",
            db.class,
            if db.replicas > 0 { format!(" + {} replicas", db.replicas) } else { String::new() },
            if db.multi_az { " Multi-AZ" } else { "" },
            s.cache.node_type,
            s.cache.shards * (1 + s.cache.replicas_per_shard)
        );
        let (c, p) = candidate(label, s, catalog, t, &billed);
        rest_of_plan = rest_of_plan.or(Some(without_db(&p)));
        if p.warnings.iter().any(|w| w.code == WarningCode::ConnectionsOverLimit) {
            outgrown = outgrown.max(p.capacity.db_max_connections);
        }
        if c.misses.is_empty() {
            chosen = Some(c);
            break;
        } else if !found.lean && found.rejected.len() < 400 {
            found.rejected.push(c);
        }
    }
    let Some(c) = chosen else {
        return;
    };
    // One fewer worker with the same database and cache: the cheaper option the targets
    // reject, and by how much.
    if n > floor && !found.lean {
        let fewer = with_count(&c.scenario, n - 1);
        let label = c.label.replacen(&format!("{n} x "), &format!("{} x ", n - 1), 1);
        let billed = policy_fleet(&fewer);
        found.rejected.push(candidate(label, fewer, catalog, t, &billed).0);
        found.evaluated += 1;
    }
    found.frontier.push(c.clone());
    found.feasible.push((index, c));
}

/// When nothing is feasible: the compute target that binds, or the cache, or the most
/// frequent miss among the rejected options.
fn binding_without_budget(found: &Findings, cache_fits: bool, start: &Scenario) -> String {
    if !found.any_sized {
        return found
            .compute_binding
            .clone()
            .unwrap_or_else(|| "no compute option in the search space".into());
    }
    if !cache_fits {
        return format!(
            "cache: a working set of {:.1} GB fits no node type in up to 6 shards",
            start.cache.working_set_gb
        );
    }
    let mut counts: Vec<(&String, usize)> = Vec::new();
    for m in found.rejected.iter().flat_map(|c| c.misses.iter()) {
        match counts.iter_mut().find(|c| c.0 == m) {
            Some(c) => c.1 += 1,
            None => counts.push((m, 1)),
        }
    }
    counts.sort_by_key(|c| std::cmp::Reverse(c.1));
    counts
        .first()
        .map(|c| c.0.clone())
        .unwrap_or_else(|| "no configuration in the search space meets the targets".into())
}

/// If only the budget fails, says by how much (searching again without it).
fn budget_binding(start: &Scenario, catalog: &Catalog, t: &Targets, budget: f64) -> Option<String> {
    let relaxed = optimize(start, catalog, &Targets { budget_usd: None, ..t.clone() });
    relaxed.best.map(|b| {
        format!(
            "budget: the cheapest configuration meeting the other targets costs ${:.2}, ${:.2} \
                over the ${budget:.2} budget",
            b.monthly_usd,
            b.monthly_usd - budget
        )
    })
}

/// Sizes every compute option with its cheapest passing database and the cheapest cache.
/// Each option is screened first without simulating (`optimistic_count`). The lean search
/// takes the options by a floor under their cost (`cost_floor`), cheapest first, and skips
/// any whose floor cannot beat the best found, so few are screened and fewer simulated.
fn search(
    start: &Scenario,
    catalog: &Catalog,
    t: &Targets,
    db_options: &[DbOption],
    found: &mut Findings,
) -> Option<CacheOption> {
    let floor = if t.high_availability { 2 } else { 1 };
    let cache_choice = cheapest_cache(start, catalog, t);
    let mut options: Vec<(f64, usize, ComputeOption)> = Vec::new();
    for (index, mut option) in compute_options(start, catalog, t).into_iter().enumerate() {
        if let Some(cache) = &cache_choice {
            option.base.cache.node_type = cache.node.clone();
            option.base.cache.cluster_mode = cache.shards > 1;
            option.base.cache.shards = cache.shards;
            option.base.cache.replicas_per_shard = cache.replicas;
        }
        let lowest = if found.lean { cost_floor(&option, floor, db_options, catalog) } else { 0.0 };
        options.push((lowest, index, option));
    }
    options.sort_by(|a, b| a.0.total_cmp(&b.0));
    for (lowest, index, option) in options {
        if found.lean && !found.could_beat(lowest, index) {
            continue;
        }
        let with = |n: u32| with_count(&option.base, n);
        let range = (floor, option.max_count);
        let Some(fewest) = optimistic_count(&with, catalog, t, range, &mut found.evaluated) else {
            if !found.lean {
                let (base, label, max) = (&option.base, &option.label, option.max_count);
                found.compute_binding = Some(compute_binding(base, label, max, catalog, t));
            }
            continue;
        };
        let lowest = cost_floor(&option, fewest, db_options, catalog);
        if found.lean && !found.could_beat(lowest, index) {
            continue;
        }
        size_compute(Screened { option, index, fewest }, db_options, floor, catalog, t, found);
    }
    found.feasible.sort_by(order);
    cache_choice
}

/// Whether the peak's queries overload a database option whatever the compute (primary or
/// replicas above 80%: `DbPrimaryOverloaded` is critical and `DbReplicasOverloaded` rejects).
fn overloaded(start: &Scenario, catalog: &Catalog, o: &DbOption) -> bool {
    let mut s = start.clone();
    s.database.class = o.class.clone();
    s.database.read_replicas = o.replicas;
    let (reads, writes) = peak_db_queries(&s);
    let capacity = db_capacity_qps(&s, catalog);
    let (primary, replica) =
        if o.replicas > 0 { (writes, reads / o.replicas as f64) } else { (writes + reads, 0.0) };
    let share = |load: f64| {
        if capacity > 0.0 {
            load / capacity
        } else if load > 0.0 {
            1.0e9
        } else {
            0.0
        }
    };
    share(primary) > 0.8 || share(replica) > 0.8
}

/// The cheapest configuration meeting the targets: `optimize(..).best`, searched leaner for
/// callers that need only it (the growth path runs it at each change). Database options the
/// peak's queries overload are dropped first (they fail with every compute option), and
/// nothing rejected is recorded. `tests/growth.rs` checks it equals `optimize`'s best.
pub fn cheapest(start: &Scenario, catalog: &Catalog, t: &Targets) -> Option<Candidate> {
    let mut db_options = database_options(start, catalog, t);
    db_options.retain(|o| !overloaded(start, catalog, o));
    let mut found = Findings { lean: true, ..Findings::default() };
    search(start, catalog, t, &db_options, &mut found);
    found.feasible.into_iter().next().map(|(_, c)| c)
}

pub fn optimize(start: &Scenario, catalog: &Catalog, t: &Targets) -> Optimization {
    let start_monthly_usd = plan(start, catalog).monthly_total_usd;
    let db_options = database_options(start, catalog, t);
    let mut found = Findings { evaluated: 1, ..Findings::default() };
    let cache_choice = search(start, catalog, t, &db_options, &mut found);
    let best = found.feasible.first().map(|(_, c)| c.clone());
    let best_cost = best.as_ref().map(|b| b.monthly_usd).unwrap_or(f64::INFINITY);
    let alternatives: Vec<Candidate> = found
        .feasible
        .iter()
        .skip(1)
        .take(2)
        .map(|(_, c)| Candidate { above_best_usd: c.monthly_usd - best_cost, ..c.clone() })
        .collect();
    let binding = if best.is_some() {
        None
    } else {
        let without_budget = binding_without_budget(&found, cache_choice.is_some(), start);
        Some(
            t.budget_usd
                .and_then(|budget| budget_binding(start, catalog, t, budget))
                .unwrap_or(without_budget),
        )
    };
    let mut rejected = std::mem::take(&mut found.rejected);
    rejected.retain(|c| !c.misses.is_empty() && c.monthly_usd < best_cost);
    rejected.sort_by(|a, b| b.monthly_usd.total_cmp(&a.monthly_usd));
    rejected.dedup_by(|a, b| a.label == b.label);
    rejected.truncate(8);

    Optimization {
        targets: t.clone(),
        start_monthly_usd,
        best,
        alternatives,
        rejected,
        binding,
        frontier: found.frontier,
        evaluated: found.evaluated,
    }
}
