//! The engine: `plan(scenario, catalog) -> Plan`. Pure arithmetic, no I/O; every figure the
//! app or the CLI shows comes from here.

use super::catalog::Catalog;
use super::price_key::PriceKey;
use super::queueing::{self, Discipline};
use super::scenario::*;
use serde::Serialize;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Component {
    Frontend,
    Compute,
    LoadBalancer,
    Database,
    Cache,
    Network,
    Operations,
}

impl Component {
    pub const ALL: [Component; 7] = [
        Component::Frontend,
        Component::Compute,
        Component::LoadBalancer,
        Component::Database,
        Component::Cache,
        Component::Network,
        Component::Operations,
    ];
    pub fn label(self) -> &'static str {
        match self {
            Component::Frontend => "S3 + CloudFront",
            Component::Compute => "Compute",
            Component::LoadBalancer => "ALB",
            Component::Database => "RDS",
            Component::Cache => "ElastiCache",
            Component::Network => "Network & egress",
            Component::Operations => "Logs, secrets, ECR",
        }
    }
}

/// One priced line: `monthly_usd = quantity x unit_price_usd`, always.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CostLine {
    pub component: Component,
    pub item: String,
    pub quantity: f64,
    pub unit: String,
    pub unit_price_usd: f64,
    pub monthly_usd: f64,
    /// Catalog key of the price, so the UI can offer to override it.
    pub price_key: PriceKey,
    /// false: the price is an assumption the user should check.
    pub confirmed: bool,
    /// The user replaced the catalog price.
    pub overridden: bool,
    /// Priced as us-east-1's price x the region's factor: the catalog lacks this region's
    /// price (import the region's AWS Price List files to replace it).
    pub regional_factor: bool,
    /// A cost the planning document leaves out.
    pub document_omits: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Info,
    Warning,
    Critical,
}

/// What a warning is about: a stable name for tests, the UI (`data-code`) and the optimiser.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WarningCode {
    CapacityShort,
    InvalidFargateSize,
    NodeSingleCore,
    ConnectionsOverLimit,
    ReplicaConnectionsOverLimit,
    CacheTooSmall,
    DbPrimaryOverloaded,
    DbReplicasOverloaded,
    DbBurstable,
    SingleAzDb,
    CacheNoReplica,
    SpotSingleTask,
    AllSpot,
    SingleTask,
    ScaleToZero,
    Ec2Burstable,
    SingleNat,
    AlbOneAz,
    TargetTooHot,
    NoBackups,
    PublicTasks,
    AlbRules,
    HotAtPeak,
    UnconfirmedPrices,
    ScalingCannotFire,
    ArmSpot,
    EniLimit,
}

impl WarningCode {
    pub const ALL: [WarningCode; 27] = [
        WarningCode::CapacityShort,
        WarningCode::InvalidFargateSize,
        WarningCode::NodeSingleCore,
        WarningCode::ConnectionsOverLimit,
        WarningCode::ReplicaConnectionsOverLimit,
        WarningCode::CacheTooSmall,
        WarningCode::DbPrimaryOverloaded,
        WarningCode::DbReplicasOverloaded,
        WarningCode::DbBurstable,
        WarningCode::SingleAzDb,
        WarningCode::CacheNoReplica,
        WarningCode::SpotSingleTask,
        WarningCode::AllSpot,
        WarningCode::SingleTask,
        WarningCode::ScaleToZero,
        WarningCode::Ec2Burstable,
        WarningCode::SingleNat,
        WarningCode::AlbOneAz,
        WarningCode::TargetTooHot,
        WarningCode::NoBackups,
        WarningCode::PublicTasks,
        WarningCode::AlbRules,
        WarningCode::HotAtPeak,
        WarningCode::UnconfirmedPrices,
        WarningCode::ScalingCannotFire,
        WarningCode::ArmSpot,
        WarningCode::EniLimit,
    ];
    /// The name in plan JSON and the page's `data-code`.
    pub fn key(self) -> &'static str {
        match self {
            WarningCode::CapacityShort => "capacity_short",
            WarningCode::InvalidFargateSize => "invalid_fargate_size",
            WarningCode::NodeSingleCore => "node_single_core",
            WarningCode::ConnectionsOverLimit => "connections_over_limit",
            WarningCode::ReplicaConnectionsOverLimit => "replica_connections_over_limit",
            WarningCode::CacheTooSmall => "cache_too_small",
            WarningCode::DbPrimaryOverloaded => "db_primary_overloaded",
            WarningCode::DbReplicasOverloaded => "db_replicas_overloaded",
            WarningCode::DbBurstable => "db_burstable",
            WarningCode::SingleAzDb => "single_az_db",
            WarningCode::CacheNoReplica => "cache_no_replica",
            WarningCode::SpotSingleTask => "spot_single_task",
            WarningCode::AllSpot => "all_spot",
            WarningCode::SingleTask => "single_task",
            WarningCode::ScaleToZero => "scale_to_zero",
            WarningCode::Ec2Burstable => "ec2_burstable",
            WarningCode::SingleNat => "single_nat",
            WarningCode::AlbOneAz => "alb_one_az",
            WarningCode::TargetTooHot => "target_too_hot",
            WarningCode::NoBackups => "no_backups",
            WarningCode::PublicTasks => "public_tasks",
            WarningCode::AlbRules => "alb_rules",
            WarningCode::HotAtPeak => "hot_at_peak",
            WarningCode::UnconfirmedPrices => "unconfirmed_prices",
            WarningCode::ScalingCannotFire => "scaling_cannot_fire",
            WarningCode::ArmSpot => "arm_spot",
            WarningCode::EniLimit => "eni_limit",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Warning {
    pub severity: Severity,
    pub code: WarningCode,
    pub message: String,
    pub fix: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AlbLoad {
    pub new_connections_lcu: f64,
    pub active_connections_lcu: f64,
    pub processed_bytes_lcu: f64,
    pub rule_evaluations_lcu: f64,
    pub lcus: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Capacity {
    /// Requests per second one task (Fargate) or one process (EC2) serves at 100% CPU.
    pub per_worker_rps: f64,
    /// Workers (tasks, or Node.js processes on the EC2 fleet) needed at peak at the target CPU.
    pub tasks_needed: u32,
    /// Workers running at peak: auto scaling can reach `tasks_max`; EC2 is fixed.
    pub workers_at_peak: u32,
    pub capacity_rps: f64,
    pub peak_rps: f64,
    /// Peak load / capacity of the workers at peak, 0-1 or more when overloaded.
    pub utilisation_at_peak: f64,
    /// Share of capacity left at peak, percent; negative when overloaded.
    pub headroom_pct: f64,
    /// Node.js processes serving at peak (tasks x workers per task in cluster mode).
    pub processes_at_peak: u32,
    /// Time in the API at peak: the CPU queue of the ALB's routing algorithm
    /// (`model::queueing`) plus the I/O wait; None when saturated.
    pub p50_ms: Option<f64>,
    pub p95_ms: Option<f64>,
    pub db_primary_qps: f64,
    pub db_replica_qps: f64,
    pub db_primary_utilisation: f64,
    pub db_replica_utilisation: f64,
    pub db_connections_primary: u32,
    pub db_connections_per_replica: u32,
    pub db_max_connections: u32,
    pub cache_needed_gb: f64,
    pub cache_usable_gb: f64,
    pub cache_nodes: u32,
    pub alb: AlbLoad,
    pub monthly_api_requests: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ComponentCost {
    pub component: Component,
    pub label: &'static str,
    pub monthly_usd: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Plan {
    pub scenario_name: String,
    pub region: String,
    pub monthly_total_usd: f64,
    pub cost_per_million_requests_usd: f64,
    /// Sum of the lines the planning document leaves out.
    pub document_omitted_usd: f64,
    pub components: Vec<ComponentCost>,
    pub cost_lines: Vec<CostLine>,
    pub capacity: Capacity,
    pub warnings: Vec<Warning>,
    /// Catalog keys of unconfirmed prices this plan uses.
    pub assumptions_used: Vec<PriceKey>,
    /// How the Fargate tasks are billed (absent on the EC2 fleet).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fargate_billing: Option<FargateBilling>,
}

/// The task count Fargate is billed for, and the other figure as the alternative: with auto
/// scaling (minimum below maximum) the average of the simulated period (the scenario's
/// simulation settings), else the average count entered.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FargateBilling {
    /// Tasks billed all month (an average, so it may be fractional).
    pub billed_tasks: f64,
    /// `billed_tasks` comes from the auto scaling simulation.
    pub from_simulation: bool,
    /// The average count entered (`tasks_average`): the fixed alternative.
    pub fixed_tasks: u32,
    /// Monthly Fargate cost (vCPU, memory, ephemeral storage) of one task running all month.
    pub task_month_usd: f64,
    pub billed_compute_usd: f64,
    /// The same lines at `fixed_tasks`.
    pub fixed_compute_usd: f64,
}

impl Plan {
    pub fn component_total(&self, c: Component) -> f64 {
        self.components.iter().find(|x| x.component == c).map(|x| x.monthly_usd).unwrap_or(0.0)
    }
    /// Warnings that ask for action (critical or warning, not notes).
    pub fn serious_warnings(&self) -> usize {
        self.warnings.iter().filter(|w| w.severity != Severity::Info).count()
    }
    pub fn has_critical(&self) -> bool {
        self.warnings.iter().any(|w| w.severity == Severity::Critical)
    }
}

/// Finite and non-negative, or zero: no NaN or infinity leaves the engine.
fn clean(x: f64) -> f64 {
    if x.is_finite() && x > 0.0 {
        x
    } else {
        0.0
    }
}

/// One volume tier's price for `Lines::add_tiered`.
struct TierPrice {
    key: PriceKey,
    usd: f64,
    confirmed: bool,
    by_factor: bool,
}

struct Lines<'a> {
    catalog: &'a Catalog,
    scenario: &'a Scenario,
    lines: Vec<CostLine>,
}

impl Lines<'_> {
    fn add(
        &mut self,
        component: Component,
        item: impl Into<String>,
        quantity: f64,
        unit: &str,
        key: PriceKey,
        document_omits: bool,
    ) {
        self.add_scaled(component, item, quantity, unit, key, 1.0, document_omits);
    }

    /// Adds a line whose unit price is `catalog price x scale` (e.g. per 1,000 requests, Spot).
    #[allow(clippy::too_many_arguments)]
    fn add_scaled(
        &mut self,
        component: Component,
        item: impl Into<String>,
        quantity: f64,
        unit: &str,
        key: PriceKey,
        scale: f64,
        document_omits: bool,
    ) {
        let quantity = clean(quantity);
        if quantity == 0.0 {
            return;
        }
        let p = self.catalog.price(&self.scenario.region, &key, &self.scenario.price_overrides);
        let unit_price = clean(p.usd * scale);
        self.lines.push(CostLine {
            component,
            item: item.into(),
            quantity,
            unit: unit.into(),
            unit_price_usd: unit_price,
            monthly_usd: quantity * unit_price,
            price_key: key,
            confirmed: p.confirmed,
            overridden: p.overridden,
            regional_factor: p.by_factor,
            document_omits,
        });
    }

    /// Splits `volume` over volume tiers (sizes of all but the last) and adds one line per tier
    /// used. The first `free` units are not billed.
    #[allow(clippy::too_many_arguments)]
    fn add_tiered(
        &mut self,
        component: Component,
        item: &str,
        volume: f64,
        free: f64,
        tier_sizes: &[f64],
        prices: &[TierPrice],
        document_omits: bool,
    ) {
        let mut start = 0.0;
        for (i, TierPrice { key, usd: price, confirmed, by_factor }) in prices.iter().enumerate() {
            let size = tier_sizes.get(i).copied().unwrap_or(f64::INFINITY);
            let end = start + size;
            let billable = clean((volume.min(end) - start.max(free)).max(0.0));
            if billable > 0.0 {
                let name = key.key();
                let overridden = self.scenario.price_overrides.contains_key(&name);
                let unit_price = self
                    .scenario
                    .price_overrides
                    .get(&name)
                    .copied()
                    .filter(|p| p.is_finite() && *p >= 0.0)
                    .unwrap_or(*price);
                let range = if size.is_finite() {
                    format!("tier {} ({:.0}-{:.0} TB)", i + 1, start / 1024.0, end / 1024.0)
                } else {
                    format!("tier {} (over {:.0} TB)", i + 1, start / 1024.0)
                };
                self.lines.push(CostLine {
                    component,
                    item: format!("{item}, {range}"),
                    quantity: billable,
                    unit: "GB".into(),
                    unit_price_usd: unit_price,
                    monthly_usd: billable * unit_price,
                    price_key: key.clone(),
                    confirmed: *confirmed || overridden,
                    overridden,
                    regional_factor: *by_factor && !overridden,
                    document_omits,
                });
            }
            start = end;
            if volume <= start {
                break;
            }
        }
    }
}

/// Builds the plan for a scenario. Never panics and never returns NaN or infinity, whatever
/// the scenario holds (invalid scenarios still plan; `Scenario::validate` reports them).
///
/// Each component adds its priced lines in the order the plan lists them; capacity and
/// latency follow from the workers the compute choice runs; the warnings read the result.
pub fn plan(scenario: &Scenario, catalog: &Catalog) -> Plan {
    plan_billed(scenario, catalog, billed_tasks(scenario))
}

/// Whether auto scaling moves the Fargate task count (the minimum is below the maximum).
pub fn auto_scaling(s: &Scenario) -> bool {
    s.backend.launch_type == LaunchType::Fargate && s.backend.tasks_min < s.backend.tasks_max
}

/// The Fargate task count the month is billed for: with auto scaling the average of the
/// simulated period (one run of the scenario's simulation settings, as the simulation panel
/// shows it), else the average count entered. The EC2 fleet ignores it.
pub fn billed_tasks(s: &Scenario) -> f64 {
    if auto_scaling(s) {
        super::simulate::simulated_average_tasks(s)
    } else {
        s.backend.tasks_average as f64
    }
}

/// `plan` with the billed Fargate task count given: the optimiser simulates each compute
/// choice once and prices its database and cache options with it.
pub fn plan_billed(scenario: &Scenario, catalog: &Catalog, billed_tasks: f64) -> Plan {
    let s = scenario;
    let billed_tasks = clean(billed_tasks);
    let demand = Demand::of(s, catalog);
    let mut out = Lines { catalog, scenario: s, lines: Vec::with_capacity(32) };

    add_frontend(&mut out);
    let workers = add_compute(&mut out, demand.peak_rps, billed_tasks);
    let compute = compute_load(s, demand.peak_rps, &workers);
    let alb = add_load_balancer(&mut out, demand.avg_rps);
    add_database(&mut out);
    let db = database_load(s, catalog, compute.processes_at_peak);
    let cache = add_cache(&mut out);
    add_omitted_costs(&mut out, demand.monthly_api_requests, billed_tasks);

    let lines = out.lines;
    let totals = Totals::of(&lines, demand.monthly_api_requests);
    let capacity = Capacity::of(&demand, &compute, &db, &cache, alb);
    let facts =
        Facts { s, catalog, capacity: &capacity, assumptions_used: &totals.assumptions_used };
    let warnings =
        most_severe_first(WARNING_RULES.iter().filter_map(|rule| rule(&facts)).collect());

    Plan {
        scenario_name: s.name.clone(),
        region: s.region.clone(),
        monthly_total_usd: totals.monthly_total_usd,
        cost_per_million_requests_usd: totals.cost_per_million_requests_usd,
        document_omitted_usd: totals.document_omitted_usd,
        components: totals.components,
        cost_lines: lines,
        capacity,
        warnings,
        assumptions_used: totals.assumptions_used,
        fargate_billing: fargate_billing(s, catalog, billed_tasks),
    }
}

/// The billed task count and the fixed alternative, priced per task-month from the same
/// prices as the Fargate lines.
fn fargate_billing(s: &Scenario, catalog: &Catalog, billed_tasks: f64) -> Option<FargateBilling> {
    if s.backend.launch_type != LaunchType::Fargate {
        return None;
    }
    let h = catalog.hours_per_month;
    let ephemeral =
        catalog.price(&s.region, &PriceKey::FargateEphemeralGbHour, &s.price_overrides).usd;
    let task_month_usd = clean(
        super::simulate::task_hour_usd(s, catalog) * h
            + s.backend.extra_ephemeral_gib() as f64 * ephemeral * h,
    );
    let fixed_tasks = s.backend.tasks_average;
    Some(FargateBilling {
        billed_tasks,
        from_simulation: auto_scaling(s),
        fixed_tasks,
        task_month_usd,
        billed_compute_usd: billed_tasks * task_month_usd,
        fixed_compute_usd: fixed_tasks as f64 * task_month_usd,
    })
}

impl Capacity {
    /// Connections the application's pools can open: `max_connections` less the reserved ones.
    pub fn db_connections_available(&self) -> u32 {
        self.db_max_connections.saturating_sub(DB_RESERVED_CONNECTIONS)
    }
    /// Whether every pool's connections to the primary fit what it allows.
    pub fn primary_connections_fit(&self) -> bool {
        self.db_connections_primary <= self.db_connections_available()
    }
    /// Gathers what the compute, database and cache sizing found at peak.
    fn of(
        demand: &Demand,
        compute: &ComputeLoad,
        db: &DbLoad,
        cache: &CacheFit,
        alb: AlbLoad,
    ) -> Capacity {
        Capacity {
            per_worker_rps: compute.per_worker_rps,
            tasks_needed: compute.tasks_needed,
            workers_at_peak: compute.workers_at_peak,
            processes_at_peak: compute.processes_at_peak,
            capacity_rps: compute.capacity_rps,
            peak_rps: demand.peak_rps,
            utilisation_at_peak: compute.utilisation_at_peak,
            headroom_pct: compute.headroom_pct,
            p50_ms: compute.p50_ms,
            p95_ms: compute.p95_ms,
            db_primary_qps: db.primary_qps,
            db_replica_qps: db.replica_qps,
            db_primary_utilisation: db.primary_utilisation,
            db_replica_utilisation: db.replica_utilisation,
            db_connections_primary: db.connections_primary,
            db_connections_per_replica: db.connections_per_replica,
            db_max_connections: db.max_connections,
            cache_needed_gb: cache.needed_gb,
            cache_usable_gb: cache.usable_gb,
            cache_nodes: cache.nodes,
            alb,
            monthly_api_requests: demand.monthly_api_requests,
        }
    }
}

/// The request rates every component is sized from.
struct Demand {
    peak_rps: f64,
    avg_rps: f64,
    monthly_api_requests: f64,
}

impl Demand {
    fn of(s: &Scenario, catalog: &Catalog) -> Demand {
        let avg_rps = clean(s.avg_rps());
        Demand {
            peak_rps: clean(s.traffic.peak_rps),
            avg_rps,
            monthly_api_requests: avg_rps * catalog.hours_per_month * 3600.0,
        }
    }
}

// ---- Frontend: S3 + CloudFront ------------------------------------------------------------

/// S3 storage and the GETs of CloudFront's cache misses; CloudFront transfer by volume tier
/// of the viewers' geography, and HTTPS requests beyond the free allowance.
fn add_frontend(out: &mut Lines) {
    let (s, catalog) = (out.scenario, out.catalog);
    use Component::Frontend;
    out.add(
        Frontend,
        "S3 Standard storage",
        s.frontend.s3_storage_gb,
        "GB-month",
        PriceKey::S3StandardGbMonth,
        false,
    );
    let cdn_requests = clean(s.traffic.monthly_page_views * s.traffic.requests_per_page);
    let s3_gets = cdn_requests * clean(1.0 - s.frontend.cdn_hit_ratio);
    out.add_scaled(
        Frontend,
        "S3 GET requests (CloudFront cache misses)",
        s3_gets / 1000.0,
        "1,000 requests",
        PriceKey::S3Get1k,
        1.0,
        false,
    );
    let cf = &catalog.cloudfront_transfer;
    let geo = s.frontend.cdn_geo.key();
    let cdn_gb = clean(s.traffic.monthly_page_views * s.traffic.page_weight_mb / 1024.0);
    if let Some(tier_prices) = cf.per_gb.get(geo) {
        let prices: Vec<TierPrice> = tier_prices
            .iter()
            .enumerate()
            .map(|(i, p)| TierPrice {
                key: PriceKey::CloudFrontTransfer(s.frontend.cdn_geo, i as u8 + 1),
                usd: *p,
                confirmed: true,
                by_factor: false,
            })
            .collect();
        out.add_tiered(
            Frontend,
            &format!("CloudFront transfer out ({})", s.frontend.cdn_geo.label()),
            cdn_gb,
            cf.free_gb,
            &cf.tier_sizes_gb,
            &prices,
            false,
        );
    }
    let billable_requests = clean(cdn_requests - cf.free_requests);
    out.add(
        Frontend,
        "CloudFront HTTPS requests beyond 10 M free",
        billable_requests / 10_000.0,
        "10,000 requests",
        PriceKey::CloudFrontHttps10k(s.frontend.cdn_geo),
        false,
    );
}

// ---- Compute: Fargate or the EC2 fleet -----------------------------------------------------

/// The workers that serve the API: Fargate tasks (one Node.js process each, or one per vCPU
/// in cluster mode) or the EC2 fleet's processes (one per vCPU).
struct Workers {
    /// CPU one Node.js process can use (at most one core).
    cores_each: f64,
    /// Node.js processes in one worker (task); 1 for the EC2 fleet, whose workers are processes.
    processes_each: u32,
    /// Workers running at peak: auto scaling can reach `tasks_max`; EC2 is fixed.
    at_peak: u32,
}

fn add_compute(out: &mut Lines, peak_rps: f64, billed_tasks: f64) -> Workers {
    match out.scenario.backend.launch_type {
        LaunchType::Fargate => add_fargate(out, peak_rps, billed_tasks),
        LaunchType::Ec2 => add_ec2_fleet(out),
    }
}

/// Fargate vCPU and memory hours of the billed task count (`billed_tasks`), split into
/// on-demand and Spot, and ephemeral storage above the included 20 GiB.
fn add_fargate(out: &mut Lines, peak_rps: f64, billed_tasks: f64) -> Workers {
    let s = out.scenario;
    let h = out.catalog.hours_per_month;
    let vcpu = s.task_vcpu();
    let mem_gb = s.task_memory_gb();
    let arch = s.backend.arch;
    let tasks = billed_tasks;
    let spot_tasks = tasks * s.backend.spot_share.clamp(0.0, 1.0);
    let on_demand_tasks = tasks - spot_tasks;
    let spot_scale = 1.0 - s.backend.spot_discount.clamp(0.0, 1.0);
    let arch_label = arch.label();
    let basis = if auto_scaling(s) { ", auto scaling average" } else { "" };
    for (label, n, scale) in [("on-demand", on_demand_tasks, 1.0), ("Spot", spot_tasks, spot_scale)]
    {
        out.add_scaled(
            Component::Compute,
            format!("Fargate {arch_label} vCPU, {label} ({n:.1} tasks x {vcpu} vCPU{basis})"),
            n * vcpu * h,
            "vCPU-hour",
            PriceKey::FargateVcpuHour(arch),
            scale,
            false,
        );
        out.add_scaled(
            Component::Compute,
            format!("Fargate {arch_label} memory, {label} ({n:.1} tasks x {mem_gb} GB{basis})"),
            n * mem_gb * h,
            "GB-hour",
            PriceKey::FargateGbHour(arch),
            scale,
            false,
        );
    }
    let extra_storage = s.backend.extra_ephemeral_gib() as f64;
    out.add(
        Component::Compute,
        "Fargate ephemeral storage above 20 GB",
        tasks * extra_storage * h,
        "GB-hour",
        PriceKey::FargateEphemeralGbHour,
        false,
    );
    let b = &s.backend;
    // A scale-out rule that cannot fire (see `scale_out_can_fire`) leaves the entered count.
    let at_peak = if super::simulate::scale_out_can_fire(s) {
        b.tasks_max.min(fargate_tasks_for(peak_rps, s).max(b.tasks_average))
    } else {
        b.tasks_average.min(b.tasks_max)
    };
    Workers { cores_each: b.cores_per_worker(), processes_each: b.node_workers(), at_peak }
}

/// A fixed EC2 fleet and its gp3 root volumes; one Node.js process per vCPU.
fn add_ec2_fleet(out: &mut Lines) -> Workers {
    let (s, catalog) = (out.scenario, out.catalog);
    let class = catalog.ec2_instances.get(&s.backend.ec2_instance);
    let n = s.backend.ec2_count as f64;
    out.add(
        Component::Compute,
        format!("EC2 {} x {}", s.backend.ec2_count, s.backend.ec2_instance),
        n * catalog.hours_per_month,
        "instance-hour",
        PriceKey::Ec2Hour(s.backend.ec2_instance.clone()),
        false,
    );
    out.add(
        Component::Compute,
        "EBS gp3 root volumes",
        n * s.backend.ec2_ebs_gb,
        "GB-month",
        PriceKey::EbsGp3GbMonth,
        false,
    );
    // One Node.js task per vCPU, as many as the instance's network interfaces allow (awsvpc).
    let processes = class.map(|c| c.awsvpc_tasks()).unwrap_or(1) * s.backend.ec2_count;
    Workers { cores_each: 1.0, processes_each: 1, at_peak: processes }
}

// ---- Capacity and latency ------------------------------------------------------------------

/// How the workers running at peak carry the peak.
struct ComputeLoad {
    per_worker_rps: f64,
    tasks_needed: u32,
    workers_at_peak: u32,
    processes_at_peak: u32,
    capacity_rps: f64,
    utilisation_at_peak: f64,
    headroom_pct: f64,
    p50_ms: Option<f64>,
    p95_ms: Option<f64>,
}

/// The queue the ALB's routing algorithm makes of the Node.js processes.
pub fn discipline(routing: Routing) -> Discipline {
    match routing {
        Routing::RoundRobin => Discipline::RoundRobin,
        Routing::LeastOutstandingRequests => Discipline::LeastOutstanding,
    }
}

/// Capacity at peak, utilisation, and latency: the processes running at peak as the queue
/// the ALB's routing makes of them (round robin: E_c/M/1 per process; least outstanding
/// requests: join the shortest queue), plus the I/O wait. Within a task or instance, Node's
/// cluster module hands requests round robin, which is taken as the ALB's rule reaching
/// each process.
fn compute_load(s: &Scenario, peak: f64, workers: &Workers) -> ComputeLoad {
    let workers_at_peak = workers.at_peak;
    let processes_at_peak = workers_at_peak.saturating_mul(workers.processes_each);
    let process_rps = worker_rps(workers.cores_each, s);
    let per_worker_rps = process_rps * workers.processes_each as f64;
    let tasks_needed =
        workers_needed(peak, workers.cores_each, s).div_ceil(workers.processes_each.max(1));
    let capacity_rps = clean(per_worker_rps * workers_at_peak as f64);
    let utilisation_at_peak = if capacity_rps > 0.0 {
        clean(peak / capacity_rps)
    } else if peak > 0.0 {
        1.0e9
    } else {
        0.0
    };
    let utilisation_at_peak = utilisation_at_peak.min(1.0e9);
    let headroom_pct = (1.0 - utilisation_at_peak) * 100.0;
    let io = clean(s.backend.io_wait_ms);
    let latency =
        queueing::sojourn(discipline(s.alb.routing), peak, process_rps, processes_at_peak);
    ComputeLoad {
        per_worker_rps,
        tasks_needed,
        workers_at_peak,
        processes_at_peak,
        capacity_rps,
        utilisation_at_peak,
        headroom_pct,
        p50_ms: latency.map(|q| q.p50_s * 1000.0 + io),
        p95_ms: latency.map(|q| q.p95_s * 1000.0 + io),
    }
}

// ---- ALB: hours + LCUs by the four dimensions ----------------------------------------------

/// ALB hours and LCU-hours; the LCUs billed are the largest of the four dimensions.
fn add_load_balancer(out: &mut Lines, avg_rps: f64) -> AlbLoad {
    let s = out.scenario;
    let h = out.catalog.hours_per_month;
    let new_conn_per_s = avg_rps / s.alb.requests_per_connection.max(1.0);
    let new_connections_lcu = new_conn_per_s / 25.0;
    let active_connections_lcu = new_conn_per_s * clean(s.alb.connection_seconds) / 3000.0;
    let processed_gb_per_hour =
        avg_rps * 3600.0 * clean(s.traffic.response_kb + s.alb.request_kb) / (1024.0 * 1024.0);
    let processed_bytes_lcu = processed_gb_per_hour;
    let rule_evaluations_lcu = avg_rps * clean(s.alb.rules_per_request - 10.0) / 1000.0;
    let lcus = clean(
        new_connections_lcu
            .max(active_connections_lcu)
            .max(processed_bytes_lcu)
            .max(rule_evaluations_lcu),
    );
    out.add(Component::LoadBalancer, "ALB hours", h, "ALB-hour", PriceKey::AlbHour, false);
    out.add(
        Component::LoadBalancer,
        format!("ALB LCUs ({lcus:.3} LCU average)"),
        lcus * h,
        "LCU-hour",
        PriceKey::AlbLcuHour,
        false,
    );
    AlbLoad {
        new_connections_lcu,
        active_connections_lcu,
        processed_bytes_lcu,
        rule_evaluations_lcu,
        lcus,
    }
}

// ---- Database ------------------------------------------------------------------------------

/// RDS instance hours (primary, standby, replicas), storage per copy, backups beyond the free
/// amount.
fn add_database(out: &mut Lines) {
    let s = out.scenario;
    let h = out.catalog.hours_per_month;
    let db = &s.database;
    let copies = primary_copies(db.multi_az);
    let rds_key = PriceKey::RdsHour(db.class.clone());
    let az_note = if db.multi_az { "Multi-AZ: primary + standby" } else { "single-AZ" };
    use Component::Database;
    out.add(
        Database,
        format!("RDS {} primary ({az_note})", db.class),
        copies * h,
        "instance-hour",
        rds_key.clone(),
        false,
    );
    out.add(
        Database,
        format!("RDS {} read replicas x {}", db.class, db.read_replicas),
        db.read_replicas as f64 * h,
        "instance-hour",
        rds_key,
        false,
    );
    let storage_key = PriceKey::RdsStorageGbMonth(db.storage_type);
    out.add(
        Database,
        format!(
            "RDS storage ({} GB x {} copies{})",
            db.storage_gb,
            copies,
            if db.read_replicas > 0 {
                format!(" + {} replicas", db.read_replicas)
            } else {
                String::new()
            }
        ),
        db.storage_gb * rds_instances(db.multi_az, db.read_replicas),
        "GB-month",
        storage_key,
        false,
    );
    let backup = RdsBackup::of(db);
    out.add(
        Database,
        format!(
            "RDS backup storage beyond the free {} GB ({:.1} GB kept for {} days)",
            backup.free_gb, backup.stored_gb, db.backup_retention_days
        ),
        backup.billed_gb(),
        "GB-month",
        PriceKey::RdsBackupGbMonth,
        false,
    );
}

/// Automated backup storage of the database, and the free allowance.
pub struct RdsBackup {
    /// A full snapshot of the data, then each day's changes, kept for the retention period.
    /// The data is taken to fill the provisioned storage (an upper bound).
    pub stored_gb: f64,
    /// "No additional charge for backup storage up to 100% of your total database storage
    /// for a region" (<https://aws.amazon.com/rds/postgresql/pricing/>, Backup Storage): the
    /// provisioned storage of the primary and of each read replica (a Multi-AZ standby is
    /// the same database, counted once).
    pub free_gb: f64,
}

impl RdsBackup {
    pub fn of(db: &Database) -> RdsBackup {
        let storage = clean(db.storage_gb);
        let stored_gb = if db.backup_retention_days == 0 {
            0.0
        } else {
            storage * (1.0 + clean(db.daily_change) * db.backup_retention_days as f64)
        };
        RdsBackup { stored_gb, free_gb: storage * (1.0 + db.read_replicas as f64) }
    }
    /// Backup storage billed: what is kept beyond the free allowance.
    pub fn billed_gb(&self) -> f64 {
        clean(self.stored_gb - self.free_gb)
    }
}

/// Copies of the primary billed: two with Multi-AZ (primary + standby), else one.
/// https://aws.amazon.com/rds/postgresql/pricing/ (Multi-AZ deployments bill the standby)
pub fn primary_copies(multi_az: bool) -> f64 {
    if multi_az {
        2.0
    } else {
        1.0
    }
}

/// RDS instances billed, and copies of the storage: the primary's copies plus each replica.
pub fn rds_instances(multi_az: bool, read_replicas: u32) -> f64 {
    primary_copies(multi_az) + read_replicas as f64
}

/// Queries and connections the database receives at peak.
struct DbLoad {
    primary_qps: f64,
    replica_qps: f64,
    primary_utilisation: f64,
    replica_utilisation: f64,
    max_connections: u32,
    connections_primary: u32,
    connections_per_replica: u32,
}

/// Writes (and reads without replicas) go to the primary, reads spread over the replicas;
/// every worker's pool connects to the primary, and spreads over the replicas.
fn database_load(s: &Scenario, catalog: &Catalog, processes_at_peak: u32) -> DbLoad {
    let db = &s.database;
    let (reads, writes) = peak_db_queries(s);
    let (primary_qps, replica_qps) = if db.read_replicas > 0 {
        (writes, reads / db.read_replicas as f64)
    } else {
        (writes + reads, 0.0)
    };
    let db_capacity = db_capacity_qps(s, catalog);
    let ratio = |load: f64| {
        if db_capacity > 0.0 {
            clean(load / db_capacity)
        } else if load > 0.0 {
            1.0e9
        } else {
            0.0
        }
    };
    // Each Node.js process opens its own pool.
    let pools = processes_at_peak.saturating_mul(s.backend.db_pool_per_task);
    DbLoad {
        primary_qps,
        replica_qps,
        primary_utilisation: ratio(primary_qps),
        replica_utilisation: ratio(replica_qps),
        max_connections: catalog.rds_max_connections(&db.class),
        connections_primary: pools,
        connections_per_replica: if db.read_replicas > 0 {
            pools.div_ceil(db.read_replicas)
        } else {
            0
        },
    }
}

// ---- Cache ---------------------------------------------------------------------------------

/// The Redis nodes and how much of the working set they hold.
struct CacheFit {
    nodes: u32,
    usable_gb: f64,
    needed_gb: f64,
}

/// Nodes of a replication group: each shard has a primary and its replicas.
pub fn cache_nodes(shards: u32, replicas_per_shard: u32) -> u32 {
    shards * (1 + replicas_per_shard)
}

/// Memory the cache can use for data: replicas copy their primary, so only shards add up;
/// each node keeps the reserved memory AWS recommends for its size
/// (`Catalog::cache_usable_gib`). Unknown node types hold nothing.
pub fn cache_usable_gb(catalog: &Catalog, node_type: &str, shards: u32) -> f64 {
    shards as f64 * catalog.cache_usable_gib(node_type)
}

/// ElastiCache node hours: shards x (primary + replicas); memory adds up across shards only.
fn add_cache(out: &mut Lines) -> CacheFit {
    let (s, catalog) = (out.scenario, out.catalog);
    let c = &s.cache;
    let shards = c.shards_in_use();
    let cache_nodes = cache_nodes(shards, c.replicas_per_shard);
    out.add(
        Component::Cache,
        format!(
            "ElastiCache {} {} x {cache_nodes} nodes ({shards} shard{} x (1 + {} replicas))",
            c.engine.label(),
            c.node_type,
            if shards == 1 { "" } else { "s" },
            c.replicas_per_shard
        ),
        cache_nodes as f64 * catalog.hours_per_month,
        "node-hour",
        PriceKey::CacheHour(c.engine, c.node_type.clone()),
        false,
    );
    CacheFit {
        nodes: cache_nodes,
        usable_gb: cache_usable_gb(catalog, &c.node_type, shards),
        needed_gb: clean(c.working_set_gb),
    }
}

// ---- Costs the document leaves out ---------------------------------------------------------

/// Internet egress of API responses, public IPv4 addresses, NAT or VPC endpoints, logs,
/// secrets and ECR: real costs the planning document does not list.
fn add_omitted_costs(out: &mut Lines, monthly_api_requests: f64, billed_tasks: f64) {
    add_api_egress(out, monthly_api_requests);
    add_network_layout(out, billed_tasks);
    let s = out.scenario;
    use Component::Operations;
    out.add(
        Operations,
        "CloudWatch Logs ingestion",
        s.network.log_gb_per_month,
        "GB",
        PriceKey::LogsIngestGb,
        true,
    );
    out.add(
        Operations,
        "CloudWatch Logs storage",
        s.network.log_gb_per_month * s.network.log_retention_months,
        "GB-month",
        PriceKey::LogsStorageGbMonth,
        true,
    );
    out.add(
        Operations,
        "Secrets Manager secrets",
        s.network.secrets as f64,
        "secret-month",
        PriceKey::SecretsSecretMonth,
        true,
    );
    out.add(
        Operations,
        "ECR image storage",
        s.network.ecr_storage_gb,
        "GB-month",
        PriceKey::EcrStorageGbMonth,
        true,
    );
}

/// Data transfer out to the internet by volume tier, after the free 100 GB.
fn add_api_egress(out: &mut Lines, monthly_api_requests: f64) {
    let (s, catalog) = (out.scenario, out.catalog);
    let egress_gb = monthly_api_requests * clean(s.traffic.response_kb) / (1024.0 * 1024.0);
    let egress_prices: Vec<TierPrice> = (1..=4)
        .map(|i| {
            let key = PriceKey::EgressInternetGb(i);
            let p = catalog.price(&s.region, &key, &s.price_overrides);
            TierPrice { key, usd: p.usd, confirmed: p.confirmed, by_factor: p.by_factor }
        })
        .collect();
    // The 100 GB free allowance is shared across services; it is applied to API egress here.
    let sizes: Vec<f64> = catalog
        .egress_tier_sizes_gb
        .iter()
        .enumerate()
        .map(|(i, t)| if i == 0 { t + catalog.egress_free_gb } else { *t })
        .collect();
    out.add_tiered(
        Component::Network,
        "Data transfer out to the internet (API responses, 100 GB free)",
        egress_gb,
        catalog.egress_free_gb,
        &sizes,
        &egress_prices,
        true,
    );
}

/// The ALB's public addresses, and what the tasks' subnets cost: public addresses, NAT
/// gateways, or interface endpoints.
fn add_network_layout(out: &mut Lines, billed_tasks: f64) {
    let s = out.scenario;
    let h = out.catalog.hours_per_month;
    use Component::Network;
    let azs = s.network.azs.max(1) as f64;
    // An internet-facing ALB holds one public IPv4 address per AZ.
    out.add(
        Network,
        format!("Public IPv4 addresses of the ALB ({azs} AZs)"),
        azs * h,
        "address-hour",
        PriceKey::PublicIpv4Hour,
        true,
    );
    match s.network.layout {
        NetworkLayout::Public => {
            let public = match s.backend.launch_type {
                LaunchType::Fargate => billed_tasks,
                LaunchType::Ec2 => s.backend.ec2_count as f64,
            };
            out.add(
                Network,
                "Public IPv4 addresses of tasks/instances (public subnets)",
                public * h,
                "address-hour",
                PriceKey::PublicIpv4Hour,
                true,
            );
        }
        NetworkLayout::PrivateNat => {
            out.add(
                Network,
                format!("NAT gateways ({azs} AZs)"),
                azs * h,
                "gateway-hour",
                PriceKey::NatHour,
                true,
            );
            out.add(
                Network,
                "Public IPv4 addresses of the NAT gateways",
                azs * h,
                "address-hour",
                PriceKey::PublicIpv4Hour,
                true,
            );
            out.add(
                Network,
                "NAT data processed",
                s.network.outbound_gb,
                "GB",
                PriceKey::NatGb,
                true,
            );
        }
        NetworkLayout::VpcEndpoints => {
            // ECR API, ECR Docker, CloudWatch Logs, Secrets Manager; S3 uses a free gateway endpoint.
            out.add(
                Network,
                format!("Interface VPC endpoints (4 services x {azs} AZs)"),
                4.0 * azs * h,
                "endpoint-hour",
                PriceKey::VpceInterfaceHour,
                true,
            );
            out.add(
                Network,
                "VPC endpoint data processed",
                s.network.outbound_gb,
                "GB",
                PriceKey::VpceInterfaceGb,
                true,
            );
        }
    }
}

// ---- Totals --------------------------------------------------------------------------------

struct Totals {
    components: Vec<ComponentCost>,
    monthly_total_usd: f64,
    document_omitted_usd: f64,
    cost_per_million_requests_usd: f64,
    assumptions_used: Vec<PriceKey>,
}

impl Totals {
    fn of(lines: &[CostLine], monthly_api_requests: f64) -> Totals {
        let components: Vec<ComponentCost> = Component::ALL
            .iter()
            .map(|&c| ComponentCost {
                component: c,
                label: c.label(),
                monthly_usd: lines.iter().filter(|l| l.component == c).map(|l| l.monthly_usd).sum(),
            })
            .collect();
        let monthly_total_usd: f64 = lines.iter().map(|l| l.monthly_usd).sum();
        let document_omitted_usd =
            lines.iter().filter(|l| l.document_omits).map(|l| l.monthly_usd).sum();
        let cost_per_million_requests_usd = if monthly_api_requests > 0.0 {
            monthly_total_usd / (monthly_api_requests / 1.0e6)
        } else {
            0.0
        };
        // Each unconfirmed price once, in the order the lines use them (`dedup` alone only drops
        // neighbours, and the same price can appear in lines far apart).
        let mut assumptions_used: Vec<PriceKey> = Vec::new();
        for l in lines.iter().filter(|l| !l.confirmed) {
            if !assumptions_used.contains(&l.price_key) {
                assumptions_used.push(l.price_key.clone());
            }
        }
        Totals {
            components,
            monthly_total_usd,
            document_omitted_usd,
            cost_per_million_requests_usd,
            assumptions_used,
        }
    }
}

// ---- Warnings: one function per rule -------------------------------------------------------

/// What the warning rules read: the inputs and the computed capacity.
struct Facts<'a> {
    s: &'a Scenario,
    catalog: &'a Catalog,
    capacity: &'a Capacity,
    assumptions_used: &'a [PriceKey],
}

impl Facts<'_> {
    fn is_fargate(&self) -> bool {
        self.s.backend.launch_type == LaunchType::Fargate
    }
    fn worker_label(&self) -> &'static str {
        if self.is_fargate() {
            "tasks"
        } else {
            "Node.js processes"
        }
    }
}

fn warning(
    severity: Severity,
    code: WarningCode,
    message: String,
    fix: impl Into<String>,
) -> Option<Warning> {
    Some(Warning { severity, code, message, fix: fix.into() })
}

/// The warnings, critical first, then warnings, then notes; each severity in rule order. The
/// same order as a stable sort by severity, without a sort's code in the page's wasm.
fn most_severe_first(mut found: Vec<Warning>) -> Vec<Warning> {
    let mut ordered = Vec::with_capacity(found.len());
    for severity in [Severity::Critical, Severity::Warning, Severity::Info] {
        let (this, rest): (Vec<Warning>, Vec<Warning>) =
            found.into_iter().partition(|w| w.severity == severity);
        ordered.extend(this);
        found = rest;
    }
    ordered
}

/// The rules in the order their warnings are listed (before sorting by severity).
const WARNING_RULES: &[fn(&Facts) -> Option<Warning>] = &[
    capacity_short,
    invalid_fargate_size,
    node_single_core,
    connections_over_limit,
    replica_connections_over_limit,
    cache_too_small,
    db_primary_overloaded,
    db_replicas_overloaded,
    db_burstable,
    single_az_db,
    cache_no_replica,
    spot_risk,
    single_task,
    scale_to_zero,
    ec2_burstable,
    single_nat,
    alb_one_az,
    target_too_hot,
    no_backups,
    public_tasks,
    alb_rules,
    hot_at_peak,
    unconfirmed_prices,
    scaling_cannot_fire,
    arm_spot,
    eni_limit,
];

fn capacity_short(f: &Facts) -> Option<Warning> {
    let (b, c) = (&f.s.backend, f.capacity);
    let (tasks_needed, workers_at_peak) = (c.tasks_needed, c.workers_at_peak);
    // Short only when the peak asks for more than the fleet's whole CPU; between the target and
    // 100% the fleet still carries it, hot (`hot_at_peak`).
    if !(short_of_target(f) && c.utilisation_at_peak > 1.0) {
        return None;
    }
    let (fix, max_label) = if f.is_fargate() {
        (format!("Raise maximum tasks to {tasks_needed}, choose a larger task (up to 1 vCPU helps a single Node.js process), or cut CPU per request."), "maximum")
    } else {
        (
            format!(
                "Run {} instances or larger ones, or move to Fargate with auto scaling.",
                tasks_needed.div_ceil((workers_at_peak / b.ec2_count.max(1)).max(1))
            ),
            "fleet",
        )
    };
    warning(
        Severity::Critical,
        WarningCode::CapacityShort,
        format!(
            "Peak needs {tasks_needed} {} at {:.0}% CPU but the {max_label} gives {workers_at_peak}: {:.0}% of capacity is asked for.",
            f.worker_label(),
            b.target_cpu_utilisation * 100.0,
            c.utilisation_at_peak * 100.0
        ),
        fix,
    )
}

fn invalid_fargate_size(f: &Facts) -> Option<Warning> {
    let b = &f.s.backend;
    if !f.is_fargate() || f.catalog.is_valid_fargate_size(b.task_cpu, b.task_memory_mib) {
        return None;
    }
    warning(
        Severity::Critical,
        WarningCode::InvalidFargateSize,
        format!(
            "{} CPU units with {} MiB is not a size Fargate accepts; the task definition would be rejected.",
            b.task_cpu, b.task_memory_mib
        ),
        "Pick a size from the task-size list: each CPU value allows only certain memory sizes.",
    )
}

fn node_single_core(f: &Facts) -> Option<Warning> {
    let vcpu = f.s.task_vcpu();
    if !(f.is_fargate() && vcpu > 1.0 && !f.s.backend.node_cluster) {
        return None;
    }
    warning(
        Severity::Warning,
        WarningCode::NodeSingleCore,
        format!(
            "A task of {vcpu} vCPU runs one Node.js process, which uses at most one core: {:.0}% of what you pay for sits idle.",
            (1.0 - 1.0 / vcpu) * 100.0
        ),
        "Use 1 vCPU tasks and more of them, or turn on Node.js cluster mode (one worker per vCPU in each task).",
    )
}

fn connections_over_limit(f: &Facts) -> Option<Warning> {
    let c = f.capacity;
    if c.primary_connections_fit() {
        return None;
    }
    warning(
        Severity::Critical,
        WarningCode::ConnectionsOverLimit,
        format!(
            "{} {} x {} pool = {} connections to the primary; {} allows {} (minus {DB_RESERVED_CONNECTIONS} reserved).",
            c.processes_at_peak,
            if c.processes_at_peak == c.workers_at_peak { f.worker_label() } else { "Node.js processes" },
            f.s.backend.db_pool_per_task,
            c.db_connections_primary,
            f.s.database.class,
            c.db_max_connections
        ),
        "Shrink the pool per process, use RDS Proxy or PgBouncer, or choose a class with more memory.",
    )
}

fn replica_connections_over_limit(f: &Facts) -> Option<Warning> {
    let c = f.capacity;
    if !(f.s.database.read_replicas > 0
        && c.db_connections_per_replica > c.db_connections_available())
    {
        return None;
    }
    warning(
        Severity::Warning,
        WarningCode::ReplicaConnectionsOverLimit,
        format!(
            "Each replica receives about {} connections; {} allows {}.",
            c.db_connections_per_replica, f.s.database.class, c.db_max_connections
        ),
        "Add replicas or reduce the pool per process.",
    )
}

fn cache_too_small(f: &Facts) -> Option<Warning> {
    let (c, cache) = (f.capacity, &f.s.cache);
    if c.cache_needed_gb <= c.cache_usable_gb {
        return None;
    }
    warning(
        Severity::Warning,
        WarningCode::CacheTooSmall,
        format!(
            "The working set of {:.1} GB does not fit the {:.2} GB usable across {} shard(s) of {}: evictions will lower the hit ratio.",
            c.cache_needed_gb,
            c.cache_usable_gb,
            cache.shards_in_use(),
            cache.node_type
        ),
        "Choose a larger node type or add shards (cluster mode).",
    )
}

fn db_primary_overloaded(f: &Facts) -> Option<Warning> {
    let c = f.capacity;
    if c.db_primary_utilisation <= 0.8 {
        return None;
    }
    warning(
        Severity::Critical,
        WarningCode::DbPrimaryOverloaded,
        format!(
            "The primary handles {:.0} queries/s at peak, {:.0}% of the assumed {:.0} q/s capacity.",
            c.db_primary_qps,
            c.db_primary_utilisation * 100.0,
            db_capacity_qps(f.s, f.catalog)
        ),
        if f.s.database.read_replicas == 0 {
            "Add a read replica for reads, raise the cache hit ratio, or choose a larger class."
        } else {
            "Choose a larger class: writes do not spread over replicas."
        },
    )
}

fn db_replicas_overloaded(f: &Facts) -> Option<Warning> {
    let c = f.capacity;
    if c.db_replica_utilisation <= 0.8 {
        return None;
    }
    warning(
        Severity::Warning,
        WarningCode::DbReplicasOverloaded,
        format!(
            "Each replica handles {:.0} reads/s at peak, {:.0}% of assumed capacity.",
            c.db_replica_qps,
            c.db_replica_utilisation * 100.0
        ),
        "Add replicas or raise the Redis hit ratio.",
    )
}

fn db_burstable(f: &Facts) -> Option<Warning> {
    let baseline =
        f.catalog.rds_classes.get(&f.s.database.class).and_then(|c| c.burstable_baseline)?;
    let u = f.capacity.db_primary_utilisation.max(f.capacity.db_replica_utilisation);
    if u <= baseline {
        return None;
    }
    warning(
        Severity::Warning,
        WarningCode::DbBurstable,
        format!(
            "{} is burstable: it sustains {:.0}% CPU, but peak load is about {:.0}%. Credits run out under long peaks.",
            f.s.database.class,
            baseline * 100.0,
            u * 100.0
        ),
        "Use an m- or r-class for steady load, or accept unlimited-mode surcharges.",
    )
}

fn single_az_db(f: &Facts) -> Option<Warning> {
    if !f.s.production || f.s.database.multi_az {
        return None;
    }
    warning(
        Severity::Warning,
        WarningCode::SingleAzDb,
        "The production database is single-AZ: an AZ outage or host failure stops writes until it is restored.".into(),
        "Turn on Multi-AZ (doubles instance and storage cost).",
    )
}

fn cache_no_replica(f: &Facts) -> Option<Warning> {
    if !(f.s.production && f.s.cache.replicas_per_shard == 0) {
        return None;
    }
    warning(
        Severity::Info,
        WarningCode::CacheNoReplica,
        "Redis has no replica: a node failure loses the cache (and sessions kept in it).".into(),
        "Add one replica per shard for automatic failover.",
    )
}

/// Spot with a single task is critical; all tasks on Spot is a warning.
fn spot_risk(f: &Facts) -> Option<Warning> {
    let b = &f.s.backend;
    if f.is_fargate() && b.spot_share > 0.0 && b.tasks_min <= 1 {
        warning(
            Severity::Critical,
            WarningCode::SpotSingleTask,
            "Spot is chosen while the service may run a single task: one interruption takes the API down.".into(),
            "Keep at least two tasks, and a base of on-demand tasks in the capacity-provider strategy.",
        )
    } else if f.is_fargate() && b.spot_share >= 1.0 {
        warning(
            Severity::Warning,
            WarningCode::AllSpot,
            "Every task is on Fargate Spot: a capacity reclaim can stop all of them at once."
                .into(),
            "Keep a base of on-demand tasks (e.g. the minimum count).",
        )
    } else {
        None
    }
}

fn single_task(f: &Facts) -> Option<Warning> {
    if !(f.s.production && f.is_fargate() && f.s.backend.tasks_min < 2) {
        return None;
    }
    warning(
        Severity::Warning,
        WarningCode::SingleTask,
        "Production with fewer than two tasks has no redundancy across AZs.".into(),
        "Set the minimum to 2 or more.",
    )
}

fn scale_to_zero(f: &Facts) -> Option<Warning> {
    if !(f.is_fargate() && f.s.backend.tasks_average == 0 && f.capacity.peak_rps > 0.0) {
        return None;
    }
    warning(
        Severity::Info,
        WarningCode::ScaleToZero,
        "An average of 0 tasks assumes the service is off most of the month; the first request after idle waits 30-60 s for a task to start.".into(),
        "Keep a minimum of 1-2 tasks for an API users wait on.",
    )
}

fn ec2_burstable(f: &Facts) -> Option<Warning> {
    if f.is_fargate() {
        return None;
    }
    let b = &f.s.backend;
    let baseline =
        f.catalog.ec2_instances.get(&b.ec2_instance).and_then(|c| c.burstable_baseline)?;
    let utilisation = f.capacity.utilisation_at_peak;
    if utilisation <= baseline {
        return None;
    }
    warning(
        Severity::Warning,
        WarningCode::Ec2Burstable,
        format!(
            "{} sustains {:.0}% CPU per vCPU; peak asks for {:.0}%.",
            b.ec2_instance,
            baseline * 100.0,
            utilisation * 100.0
        ),
        "Size the fleet for the baseline, or use Fargate which has no CPU credits.",
    )
}

/// ECS on EC2 in `awsvpc` mode: each task takes a network interface and the instance keeps its
/// own (<https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-networking-awsvpc.html>),
/// so an instance with fewer spare interfaces than vCPUs leaves vCPUs idle.
fn eni_limit(f: &Facts) -> Option<Warning> {
    if f.is_fargate() {
        return None;
    }
    let b = &f.s.backend;
    let class = f.catalog.ec2_instances.get(&b.ec2_instance)?;
    let (tasks, vcpu) = (class.awsvpc_tasks(), class.vcpu.max(1.0) as u32);
    if tasks >= vcpu {
        return None;
    }
    warning(
        Severity::Warning,
        WarningCode::EniLimit,
        format!(
            "A {} runs {tasks} awsvpc task{}, not {vcpu}: it takes {} network interfaces and keeps one for itself, so {} of its {vcpu} vCPUs idle{}.",
            b.ec2_instance,
            if tasks == 1 { "" } else { "s" },
            class.network_interfaces.unwrap_or(0),
            vcpu - tasks,
            if vcpu - tasks == 1 { "s" } else { "" }
        ),
        "Choose an instance type with a spare network interface per vCPU (t3.small to t3.large: 3 interfaces for 2 vCPUs), or Fargate.",
    )
}

fn single_nat(f: &Facts) -> Option<Warning> {
    let n = &f.s.network;
    if !(n.layout == NetworkLayout::PrivateNat && n.azs == 1 && f.s.production) {
        return None;
    }
    warning(
        Severity::Warning,
        WarningCode::SingleNat,
        "One NAT gateway: if its AZ fails, tasks in the other AZs lose outbound access.".into(),
        "Use one NAT gateway per AZ.",
    )
}

fn alb_one_az(f: &Facts) -> Option<Warning> {
    if f.s.network.azs >= 2 {
        return None;
    }
    warning(
        Severity::Critical,
        WarningCode::AlbOneAz,
        "An Application Load Balancer needs subnets in at least two Availability Zones; with one AZ it cannot be created.".into(),
        "Use two or more AZs.",
    )
}

fn target_too_hot(f: &Facts) -> Option<Warning> {
    let target = f.s.backend.target_cpu_utilisation;
    if !(f.is_fargate() && target > 0.85) {
        return None;
    }
    warning(
        Severity::Warning,
        WarningCode::TargetTooHot,
        format!(
            "A {:.0}% CPU target leaves little room while new tasks start (30-60 s plus the alarm's minutes): a rising peak overloads the running ones.",
            target * 100.0
        ),
        "Aim at 60-75% CPU.",
    )
}

fn no_backups(f: &Facts) -> Option<Warning> {
    if !(f.s.production && f.s.database.backup_retention_days == 0) {
        return None;
    }
    warning(
        Severity::Warning,
        WarningCode::NoBackups,
        "Automated backups are off: no point-in-time recovery for the production database.".into(),
        "Keep backups for 7 days or more (storage up to the DB size is free).",
    )
}

fn public_tasks(f: &Facts) -> Option<Warning> {
    if !(f.s.production && f.s.network.layout == NetworkLayout::Public) {
        return None;
    }
    warning(
        Severity::Info,
        WarningCode::PublicTasks,
        "Production tasks in public subnets each get a public IPv4 address and are reachable from the internet if a security group allows it.".into(),
        "Use private subnets with NAT gateways or VPC endpoints (compare their cost in the Network lines).",
    )
}

fn alb_rules(f: &Facts) -> Option<Warning> {
    if f.s.alb.rules_per_request <= 100.0 {
        return None;
    }
    warning(
        Severity::Warning,
        WarningCode::AlbRules,
        "An ALB listener holds at most 100 rules.".into(),
        "Split routing over listeners or host names.",
    )
}

/// The fleet at peak needs more workers than the target utilisation allows.
fn short_of_target(f: &Facts) -> bool {
    let c = f.capacity;
    (!f.is_fargate() || f.s.backend.tasks_max > 0) && c.tasks_needed > c.workers_at_peak
}

/// The fleet carries the peak but above the scaling target (up to 100% of its CPU): less
/// headroom left for a burst, and queueing latency climbs steeply as CPU nears 100%.
fn hot_at_peak(f: &Facts) -> Option<Warning> {
    let (c, target) = (f.capacity, f.s.backend.target_cpu_utilisation);
    if !(short_of_target(f) && c.utilisation_at_peak <= 1.0) {
        return None;
    }
    let fix = if f.is_fargate() {
        format!(
            "Raise maximum tasks to {} to keep the {:.0}% target.",
            c.tasks_needed,
            target * 100.0
        )
    } else {
        let per_instance = (c.workers_at_peak / f.s.backend.ec2_count.max(1)).max(1);
        format!(
            "Run {} instances (or larger ones) to keep the {:.0}% target.",
            c.tasks_needed.div_ceil(per_instance),
            target * 100.0
        )
    };
    warning(
        Severity::Warning,
        WarningCode::HotAtPeak,
        format!(
            "Peak CPU is {:.0}%, above the {:.0}% target: the {} {} carry the peak with {:.0}% headroom instead of {:.0}%.",
            c.utilisation_at_peak * 100.0,
            target * 100.0,
            c.workers_at_peak,
            f.worker_label(),
            c.headroom_pct,
            (1.0 - target) * 100.0
        ),
        fix,
    )
}

fn unconfirmed_prices(f: &Facts) -> Option<Warning> {
    if f.assumptions_used.is_empty() {
        return None;
    }
    warning(
        Severity::Info,
        WarningCode::UnconfirmedPrices,
        format!(
            "{} prices in this plan are assumptions this project could not confirm ({}).",
            f.assumptions_used.len(),
            f.assumptions_used.iter().map(PriceKey::key).collect::<Vec<_>>().join(", ")
        ),
        "Check them against your bill or the AWS Pricing Calculator, and override them in Prices.",
    )
}

/// ECS reports `CPUUtilization` as CPU used over CPU reserved
/// (<https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service_utilization.html>):
/// one Node.js process on a 2 vCPU task never shows more than 50%, so a 70% scale-out rule
/// never fires. Critical when the peak needs more tasks than the service starts with.
fn scaling_cannot_fire(f: &Facts) -> Option<Warning> {
    let (s, b) = (f.s, &f.s.backend);
    if !auto_scaling(s) || super::simulate::scale_out_can_fire(s) {
        return None;
    }
    let needs_more = f.capacity.tasks_needed > b.tasks_average;
    warning(
        if needs_more { Severity::Critical } else { Severity::Warning },
        WarningCode::ScalingCannotFire,
        format!(
            "ECS measures CPU against the CPU reserved: {} Node.js process{} on {} vCPU show at most {:.0}% CPU, so the {:.0}% scale-out rule never fires{}.",
            b.node_workers(),
            if b.node_workers() == 1 { "" } else { "es" },
            s.task_vcpu(),
            b.max_cpu_metric() * 100.0,
            super::simulate::scale_out_threshold(s) * 100.0,
            if needs_more { format!(" and the service stays at {} tasks while the peak needs {}", b.tasks_average, f.capacity.tasks_needed) } else { String::new() }
        ),
        "Turn on Node.js cluster mode (one worker per vCPU), use tasks of 1 vCPU or less, or set the scale-out threshold below the highest CPU the task can show.",
    )
}

/// "Linux tasks with the ARM64 architecture don't support the Fargate Spot capacity
/// provider." <https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-capacity-providers.html>
fn arm_spot(f: &Facts) -> Option<Warning> {
    let b = &f.s.backend;
    if !(f.is_fargate() && b.arch == Arch::Arm && b.spot_share > 0.0) {
        return None;
    }
    warning(
        Severity::Critical,
        WarningCode::ArmSpot,
        "Fargate Spot does not run ARM64 tasks: the Spot share of this service would never start."
            .into(),
        "Choose x86_64 to use Fargate Spot, or set the Spot share to 0 to keep ARM.",
    )
}

/// DB queries per second at peak that reach PostgreSQL: (reads after the cache, writes).
pub fn peak_db_queries(s: &Scenario) -> (f64, f64) {
    let queries = clean(s.traffic.peak_rps) * clean(s.traffic.db_queries_per_request);
    let read_share = s.traffic.read_share.clamp(0.0, 1.0);
    let reads = queries * read_share * (1.0 - s.traffic.cache_hit_ratio.clamp(0.0, 1.0));
    (reads, queries * (1.0 - read_share))
}

/// Queries per second one instance of the scenario's class serves (the capacity assumption).
pub fn db_capacity_qps(s: &Scenario, catalog: &Catalog) -> f64 {
    catalog.rds_classes.get(&s.database.class).map(|c| c.vcpu).unwrap_or(1.0)
        * clean(s.database.qps_per_vcpu)
}

/// Fargate tasks needed at peak at the target CPU.
pub fn fargate_tasks_needed(s: &Scenario) -> u32 {
    fargate_tasks_for(clean(s.traffic.peak_rps), s)
}

/// Fargate tasks needed to serve `rps` at the target CPU: its Node.js processes each take
/// their share (`Backend::node_workers`).
pub fn fargate_tasks_for(rps: f64, s: &Scenario) -> u32 {
    workers_needed(rps, s.backend.cores_per_worker(), s).div_ceil(s.backend.node_workers())
}

/// Requests per second one Fargate task serves at 100% CPU: its Node.js processes, each using
/// at most one core.
pub fn fargate_task_rps(s: &Scenario) -> f64 {
    s.backend.node_workers() as f64 * worker_rps(s.backend.cores_per_worker(), s)
}

/// Requests per second one worker with `cores` of CPU serves at 100% CPU: a Node.js process
/// runs one request at a time, so its rate is its CPU share over the CPU time per request.
pub fn worker_rps(cores: f64, s: &Scenario) -> f64 {
    if s.backend.cpu_ms_per_request > 0.0 {
        cores * 1000.0 / s.backend.cpu_ms_per_request
    } else {
        0.0
    }
}

/// Workers needed to serve `rps` at the target utilisation when each has `cores` of CPU.
pub fn workers_needed(rps: f64, cores: f64, s: &Scenario) -> u32 {
    let per_worker = worker_rps(cores, s) * s.backend.target_cpu_utilisation.clamp(0.05, 1.0);
    if rps <= 0.0 || per_worker <= 0.0 {
        return 0;
    }
    (rps / per_worker).ceil().min(1.0e6) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warning_codes_serialize_as_their_key() {
        for code in WarningCode::ALL {
            assert_eq!(
                serde_json::to_value(code).unwrap(),
                serde_json::Value::String(code.key().into())
            );
        }
    }

    /// 6,000 GB over tiers of 1,000 and 4,000 GB with the first 100 GB free: 900 GB at the
    /// first price, 4,000 at the second, 1,000 at the third (here overridden by the user).
    #[test]
    fn tiered_volume_is_split_after_the_free_allowance() {
        let catalog = Catalog::embedded();
        let mut scenario = crate::model::Tier::Small.scenario();
        scenario.price_overrides.insert("egress.internet.gb.t3".into(), 0.05);
        let mut out = Lines { catalog: &catalog, scenario: &scenario, lines: Vec::new() };
        let prices = [
            TierPrice {
                key: PriceKey::EgressInternetGb(1),
                usd: 0.09,
                confirmed: true,
                by_factor: false,
            },
            TierPrice {
                key: PriceKey::EgressInternetGb(2),
                usd: 0.085,
                confirmed: true,
                by_factor: false,
            },
            TierPrice {
                key: PriceKey::EgressInternetGb(3),
                usd: 0.07,
                confirmed: false,
                by_factor: false,
            },
        ];
        out.add_tiered(
            Component::Network,
            "egress",
            6000.0,
            100.0,
            &[1000.0, 4000.0],
            &prices,
            true,
        );
        let got: Vec<(f64, f64, bool)> =
            out.lines.iter().map(|l| (l.quantity, l.unit_price_usd, l.overridden)).collect();
        assert_eq!(got, vec![(900.0, 0.09, false), (4000.0, 0.085, false), (1000.0, 0.05, true)]);
        assert!(out.lines[2].confirmed, "the user's own price counts as confirmed");
        assert_eq!(out.lines[2].item, "egress, tier 3 (over 5 TB)");
        assert!(out
            .lines
            .iter()
            .all(|l| l.monthly_usd == l.quantity * l.unit_price_usd && l.document_omits));
        // Within the free allowance nothing is billed.
        let mut out = Lines { catalog: &catalog, scenario: &scenario, lines: Vec::new() };
        out.add_tiered(Component::Network, "egress", 80.0, 100.0, &[1000.0, 4000.0], &prices, true);
        assert!(out.lines.is_empty());
    }

    #[test]
    fn warnings_are_listed_most_severe_first_in_rule_order() {
        let w =
            |severity, code| Warning { severity, code, message: String::new(), fix: String::new() };
        let codes = WarningCode::ALL;
        let found = vec![
            w(Severity::Info, codes[0]),
            w(Severity::Critical, codes[1]),
            w(Severity::Warning, codes[2]),
            w(Severity::Critical, codes[3]),
            w(Severity::Info, codes[4]),
            w(Severity::Warning, codes[5]),
        ];
        let mut by_sort = found.clone();
        by_sort.sort_by_key(|w| std::cmp::Reverse(w.severity));
        let ordered = most_severe_first(found);
        assert_eq!(ordered, by_sort);
        let order: Vec<_> = ordered.iter().map(|w| w.code).collect();
        assert_eq!(order, [codes[1], codes[3], codes[2], codes[5], codes[0], codes[4]]);
    }

    #[test]
    fn warning_code_keys_are_distinct() {
        let mut keys: Vec<&str> = WarningCode::ALL.iter().map(|c| c.key()).collect();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), WarningCode::ALL.len());
    }
}
