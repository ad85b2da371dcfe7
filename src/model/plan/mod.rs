//! The engine: `plan(scenario, catalog) -> Plan`. Pure arithmetic, no I/O; every figure the
//! app or the CLI shows comes from here.

use super::catalog::Catalog;
use super::price_key::PriceKey;
use super::queueing::{self, Discipline};
use super::scenario::*;
use serde::Serialize;

mod capacity;
mod costs;
mod kind;
mod lines;
mod warnings;
pub use capacity::*;
pub use costs::*;
pub use kind::LineKind;
use lines::*;
use warnings::*;

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
    /// What the line bills (not in the JSON: `component`, `item` and `price_key` say it there).
    #[serde(skip)]
    pub kind: LineKind,
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
    SimulatedOverload,
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
    pub const ALL: [WarningCode; 28] = [
        WarningCode::CapacityShort,
        WarningCode::SimulatedOverload,
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
            WarningCode::SimulatedOverload => "simulated_overload",
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
    /// The auto scaling simulation's minutes over capacity, if any: the fleet the policy runs
    /// does not carry the traffic then, whatever the peak's figures say.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub overload: Option<Overload>,
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
    /// The same plan at the catalog's published prices, when the scenario overrides prices
    /// (absent otherwise): a link that sets prices cannot hide what AWS bills.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at_published_prices: Option<PublishedPrices>,
    /// The hours in the catalog's month that every monthly figure uses (not in the JSON).
    #[serde(skip)]
    pub hours_per_month: f64,
}

/// A plan's total with every price override removed, beside the plan's own.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PublishedPrices {
    /// How many prices the scenario overrides.
    pub overridden_prices: usize,
    /// The monthly total at published prices (the same fleet, billed task count and lines).
    pub monthly_total_usd: f64,
    /// `monthly_total_usd` less the plan's own total: positive when the overrides make the
    /// plan look cheaper than AWS would bill it.
    pub difference_usd: f64,
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
    /// The monthly total at published prices: what a budget alarm is set from (the plan's own
    /// total when the scenario overrides no price).
    pub fn published_total_usd(&self) -> f64 {
        self.at_published_prices.as_ref().map_or(self.monthly_total_usd, |p| p.monthly_total_usd)
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

/// Builds the plan for a scenario. Never panics and never returns NaN or infinity, whatever
/// the scenario holds (invalid scenarios still plan; `Scenario::validate` reports them).
///
/// Each component adds its priced lines in the order the plan lists them; capacity and
/// latency follow from the workers the compute choice runs; the warnings read the result.
pub fn plan(scenario: &Scenario, catalog: &Catalog) -> Plan {
    plan_billed(scenario, catalog, &policy_fleet(scenario))
}

/// Whether auto scaling moves the Fargate task count (the minimum is below the maximum).
pub fn auto_scaling(s: &Scenario) -> bool {
    s.backend.launch_type == LaunchType::Fargate && s.backend.tasks_min < s.backend.tasks_max
}

/// What the service runs over the scenario's simulated period: the Fargate task count billed,
/// the tasks serving at the busiest minute, and the minutes the policy leaves over capacity.
/// With auto scaling all three come from one run of the policy (`simulate::period_run`, as
/// the simulation panel shows it); without, the entered average count runs all month.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PolicyFleet {
    /// Tasks billed all month (an average, so it may be fractional).
    pub billed_tasks: f64,
    /// Tasks serving at the busiest minute of the simulated period (auto scaling only).
    pub at_peak: Option<u32>,
    /// Minutes of the simulated period with more demand than the tasks serving carry.
    pub overload: Option<Overload>,
}

/// The simulated period's minutes over capacity.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Overload {
    pub minutes: u32,
    /// Requests beyond what the tasks serving could carry, over the period.
    pub requests_over_capacity: f64,
    /// First minute over capacity (0 = Monday 00:00).
    pub first_minute: usize,
    /// Minutes in the simulated period (a day or a week).
    pub period_minutes: usize,
}

impl PolicyFleet {
    /// A fleet known only by its billed count (the cost curve's interpolated points): the peak
    /// is then sized as without a simulation.
    pub fn billed_only(billed_tasks: f64) -> PolicyFleet {
        PolicyFleet { billed_tasks, at_peak: None, overload: None }
    }
}

/// The scenario's `PolicyFleet`.
pub fn policy_fleet(s: &Scenario) -> PolicyFleet {
    if !auto_scaling(s) {
        return PolicyFleet::billed_only(s.backend.tasks_average as f64);
    }
    let run = crate::model::simulate::period_run(s);
    let period_minutes = s.simulation.horizon.minutes();
    let overload = run.first_overload_minute.map(|first_minute| Overload {
        minutes: run.overload_minutes,
        requests_over_capacity: run.requests_over_capacity,
        first_minute,
        period_minutes,
    });
    PolicyFleet {
        billed_tasks: crate::model::simulate::average_tasks(&run, period_minutes),
        at_peak: run.at_peak.map(|p| p.running),
        overload,
    }
}

/// The Fargate task count the month is billed for: with auto scaling the average of the
/// simulated period (one run of the scenario's simulation settings, as the simulation panel
/// shows it), else the average count entered. The EC2 fleet ignores it.
pub fn billed_tasks(s: &Scenario) -> f64 {
    policy_fleet(s).billed_tasks
}

/// `plan` with the policy's fleet given: the optimiser simulates each compute choice once and
/// prices its database and cache options with it.
pub fn plan_billed(scenario: &Scenario, catalog: &Catalog, fleet: &PolicyFleet) -> Plan {
    let s = scenario;
    let billed_tasks = clean(fleet.billed_tasks);
    let demand = Demand::of(s, catalog);
    let mut out = Lines { catalog, scenario: s, lines: Vec::with_capacity(32) };

    add_frontend(&mut out);
    let workers = add_compute(&mut out, demand.peak_rps, billed_tasks, fleet.at_peak);
    let compute = compute_load(s, demand.peak_rps, &workers);
    let alb = add_load_balancer(&mut out, demand.avg_rps);
    add_database(&mut out);
    let db = database_load(s, catalog, compute.processes_at_peak);
    let cache = add_cache(&mut out);
    add_omitted_costs(&mut out, demand.monthly_api_requests, billed_tasks);

    let lines = out.lines;
    let totals = Totals::of(&lines, demand.monthly_api_requests);
    let mut capacity = Capacity::of(&demand, &compute, &db, &cache, alb);
    capacity.overload = fleet.overload.clone();
    let facts =
        Facts { s, catalog, capacity: &capacity, assumptions_used: &totals.assumptions_used };
    let warnings =
        most_severe_first(WARNING_RULES.iter().filter_map(|rule| rule(&facts)).collect());

    Plan {
        hours_per_month: catalog.hours_per_month,
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
        at_published_prices: at_published_prices(s, catalog, fleet, totals.monthly_total_usd),
    }
}

/// The plan re-priced with the scenario's overrides removed (same fleet: the simulation does
/// not depend on prices), when there are overrides.
fn at_published_prices(
    s: &Scenario,
    catalog: &Catalog,
    fleet: &PolicyFleet,
    own_total_usd: f64,
) -> Option<PublishedPrices> {
    if s.price_overrides.is_empty() {
        return None;
    }
    let mut published = s.clone();
    published.price_overrides.clear();
    let total = plan_billed(&published, catalog, fleet).monthly_total_usd;
    Some(PublishedPrices {
        overridden_prices: s.price_overrides.len(),
        monthly_total_usd: total,
        difference_usd: total - own_total_usd,
    })
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
        crate::model::simulate::task_hour_usd(s, catalog) * h
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
            overload: None,
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
        scenario.price_overrides.insert(PriceKey::parse("egress.internet.gb.t3").unwrap(), 0.05);
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
            LineKind::ApiEgress,
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
        out.add_tiered(
            LineKind::ApiEgress,
            "egress",
            80.0,
            100.0,
            &[1000.0, 4000.0],
            &prices,
            true,
        );
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
