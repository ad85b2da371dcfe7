//! The warnings: one function per rule (`WARNING_RULES`), critical first.

use super::*;

// ---- Warnings: one function per rule -------------------------------------------------------

/// What the warning rules read: the inputs and the computed capacity.
pub(super) struct Facts<'a> {
    pub(super) s: &'a Scenario,
    pub(super) catalog: &'a Catalog,
    pub(super) capacity: &'a Capacity,
    pub(super) assumptions_used: &'a [PriceKey],
}

impl Facts<'_> {
    pub(super) fn is_fargate(&self) -> bool {
        self.s.backend.launch_type == LaunchType::Fargate
    }
    pub(super) fn worker_label(&self) -> &'static str {
        if self.is_fargate() {
            "tasks"
        } else {
            "Node.js processes"
        }
    }
}

pub(super) fn warning(
    severity: Severity,
    code: WarningCode,
    message: String,
    fix: impl Into<String>,
) -> Option<Warning> {
    Some(Warning { severity, code, message, fix: fix.into() })
}

/// The warnings, critical first, then warnings, then notes; each severity in rule order. The
/// same order as a stable sort by severity, without a sort's code in the page's wasm.
pub(super) fn most_severe_first(mut found: Vec<Warning>) -> Vec<Warning> {
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
pub(super) const WARNING_RULES: &[fn(&Facts) -> Option<Warning>] = &[
    capacity_short,
    simulated_overload,
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

pub(super) fn capacity_short(f: &Facts) -> Option<Warning> {
    let (b, c) = (&f.s.backend, f.capacity);
    let (tasks_needed, workers_at_peak) = (c.tasks_needed, c.workers_at_peak);
    // Short when the peak asks for the fleet's whole CPU or more (at exactly 100% the queue never
    // drains: p95 is unbounded); between the target and 100% the fleet still carries it, hot
    // (`hot_at_peak`).
    if !(short_of_target(f) && c.utilisation_at_peak >= 1.0) {
        return None;
    }
    let (fix, max_label) = if f.is_fargate() && workers_at_peak < b.tasks_max {
        // The maximum would do: the policy does not reach it (see `simulated_overload`).
        (
            "Make the policy reach the tasks the peak needs: see the auto scaling simulation's \
                warning."
                .to_string(),
            "auto scaling policy at the busiest minute",
        )
    } else if f.is_fargate() {
        (
            format!(
                "Raise maximum tasks to {tasks_needed}, choose a larger task (up to 1 vCPU helps \
            a single Node.js process), or cut CPU per request."
            ),
            "maximum",
        )
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
            "Peak needs {tasks_needed} {} at {:.0}% CPU but the {max_label} gives \
                {workers_at_peak}: {:.0}% of capacity is asked for.",
            f.worker_label(),
            b.target_cpu_utilisation * 100.0,
            c.utilisation_at_peak * 100.0
        ),
        fix,
    )
}

/// The auto scaling simulation found minutes where the tasks serving carry less than the
/// demand: requests queue without bound then (or fail), whatever the peak's figures say.
pub(super) fn simulated_overload(f: &Facts) -> Option<Warning> {
    let o = f.capacity.overload.as_ref()?;
    let period = if o.period_minutes > 1440 { "week" } else { "day" };
    let fix = if !crate::model::simulate::scale_out_can_fire(f.s) {
        "The scale-out rule never fires (see its warning): turn on Node.js cluster mode, use tasks \
            of 1 vCPU or less, or set the scale-out threshold below the highest CPU the task can \
            show."
    } else if f.capacity.tasks_needed > f.s.backend.tasks_max {
        "Raise maximum tasks, choose a larger task, or cut CPU per request."
    } else {
        "Raise the minimum (or schedule it for the busy hours), lower the scale-out threshold, or \
            shorten the task start-up so new tasks arrive before the load does."
    };
    warning(
        Severity::Critical,
        WarningCode::SimulatedOverload,
        format!(
            "The auto scaling simulation runs short of capacity {} minutes a {period} ({} requests \
                over capacity), first on {}.",
            o.minutes,
            crate::model::display::count(o.requests_over_capacity),
            crate::model::simulate::minute_label(o.first_minute)
        ),
        fix,
    )
}

pub(super) fn invalid_fargate_size(f: &Facts) -> Option<Warning> {
    let b = &f.s.backend;
    if !f.is_fargate() || f.catalog.is_valid_fargate_size(b.task_cpu, b.task_memory_mib) {
        return None;
    }
    warning(
        Severity::Critical,
        WarningCode::InvalidFargateSize,
        format!(
            "{} CPU units with {} MiB is not a size Fargate accepts; the task definition would be \
                rejected.",
            b.task_cpu, b.task_memory_mib
        ),
        "Pick a size from the task-size list: each CPU value allows only certain memory sizes.",
    )
}

pub(super) fn node_single_core(f: &Facts) -> Option<Warning> {
    let vcpu = f.s.task_vcpu();
    if !(f.is_fargate() && vcpu > 1.0 && !f.s.backend.node_cluster) {
        return None;
    }
    warning(
        Severity::Warning,
        WarningCode::NodeSingleCore,
        format!(
            "A task of {vcpu} vCPU runs one Node.js process, which uses at most one core: {:.0}% \
                of what you pay for sits idle.",
            (1.0 - 1.0 / vcpu) * 100.0
        ),
        "Use 1 vCPU tasks and more of them, or turn on Node.js cluster mode (one worker per vCPU \
            in each task).",
    )
}

/// Connections to the primary are checked against the larger of the fleet running at peak
/// and the fleet the peak needs: a plan short of capacity would otherwise pass this check, and
/// raising its task count (the capacity warning's fix) would reveal the next critical finding.
pub(super) fn connections_over_limit(f: &Facts) -> Option<Warning> {
    let c = f.capacity;
    let each = c.processes_at_peak.checked_div(c.workers_at_peak).unwrap_or(1);
    let needed = c.tasks_needed.saturating_mul(each.max(1));
    if needed > c.processes_at_peak {
        let connections = needed.saturating_mul(f.s.backend.db_pool_per_task);
        if connections > c.db_connections_available() {
            return warning(
                Severity::Critical,
                WarningCode::ConnectionsOverLimit,
                format!(
                    "The peak needs {} {} ({needed} Node.js processes) x {} pool = {connections} \
                        connections to the primary; {} allows {} (minus {DB_RESERVED_CONNECTIONS} \
                        reserved).",
                    c.tasks_needed,
                    f.worker_label(),
                    f.s.backend.db_pool_per_task,
                    f.s.database.class,
                    c.db_max_connections
                ),
                "Shrink the pool per process, use RDS Proxy or PgBouncer, or choose a class with \
                    more memory.",
            );
        }
    }
    if c.primary_connections_fit() {
        return None;
    }
    warning(
        Severity::Critical,
        WarningCode::ConnectionsOverLimit,
        format!(
            "{} {} x {} pool = {} connections to the primary; {} allows {} (minus \
                {DB_RESERVED_CONNECTIONS} reserved).",
            c.processes_at_peak,
            if c.processes_at_peak == c.workers_at_peak {
                f.worker_label()
            } else {
                "Node.js \
                processes"
            },
            f.s.backend.db_pool_per_task,
            c.db_connections_primary,
            f.s.database.class,
            c.db_max_connections
        ),
        "Shrink the pool per process, use RDS Proxy or PgBouncer, or choose a class with more \
            memory.",
    )
}

pub(super) fn replica_connections_over_limit(f: &Facts) -> Option<Warning> {
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

pub(super) fn cache_too_small(f: &Facts) -> Option<Warning> {
    let (c, cache) = (f.capacity, &f.s.cache);
    if c.cache_needed_gb <= c.cache_usable_gb {
        return None;
    }
    warning(
        Severity::Warning,
        WarningCode::CacheTooSmall,
        format!(
            "The working set of {:.1} GB does not fit the {:.2} GB usable across {} shard(s) of \
                {}: evictions will lower the hit ratio.",
            c.cache_needed_gb,
            c.cache_usable_gb,
            cache.shards_in_use(),
            cache.node_type
        ),
        "Choose a larger node type or add shards (cluster mode).",
    )
}

pub(super) fn db_primary_overloaded(f: &Facts) -> Option<Warning> {
    let c = f.capacity;
    if c.db_primary_utilisation <= 0.8 {
        return None;
    }
    warning(
        Severity::Critical,
        WarningCode::DbPrimaryOverloaded,
        format!(
            "The primary handles {:.0} queries/s at peak, {:.0}% of the assumed {:.0} q/s \
                capacity.",
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

pub(super) fn db_replicas_overloaded(f: &Facts) -> Option<Warning> {
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

pub(super) fn db_burstable(f: &Facts) -> Option<Warning> {
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
            "{} is burstable: it sustains {:.0}% CPU, but peak load is about {:.0}%. Credits run \
                out under long peaks.",
            f.s.database.class,
            baseline * 100.0,
            u * 100.0
        ),
        "Use an m- or r-class for steady load, or accept unlimited-mode surcharges.",
    )
}

pub(super) fn single_az_db(f: &Facts) -> Option<Warning> {
    if !f.s.production || f.s.database.multi_az {
        return None;
    }
    warning(
        Severity::Warning,
        WarningCode::SingleAzDb,
        "The production database is single-AZ: an AZ outage or host failure stops writes until it \
            is restored."
            .into(),
        "Turn on Multi-AZ (doubles instance and storage cost).",
    )
}

pub(super) fn cache_no_replica(f: &Facts) -> Option<Warning> {
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
pub(super) fn spot_risk(f: &Facts) -> Option<Warning> {
    let b = &f.s.backend;
    if f.is_fargate() && b.spot_share > 0.0 && b.tasks_min <= 1 {
        warning(
            Severity::Critical,
            WarningCode::SpotSingleTask,
            "Spot is chosen while the service may run a single task: one interruption takes the \
                API down."
                .into(),
            "Keep at least two tasks, and a base of on-demand tasks in the capacity-provider \
                strategy.",
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

pub(super) fn single_task(f: &Facts) -> Option<Warning> {
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

pub(super) fn scale_to_zero(f: &Facts) -> Option<Warning> {
    if !(f.is_fargate() && f.s.backend.tasks_average == 0 && f.capacity.peak_rps > 0.0) {
        return None;
    }
    warning(
        Severity::Info,
        WarningCode::ScaleToZero,
        "An average of 0 tasks assumes the service is off most of the month; the first request \
            after idle waits 30-60 s for a task to start."
            .into(),
        "Keep a minimum of 1-2 tasks for an API users wait on.",
    )
}

pub(super) fn ec2_burstable(f: &Facts) -> Option<Warning> {
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
pub(super) fn eni_limit(f: &Facts) -> Option<Warning> {
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
            "A {} runs {tasks} awsvpc task{}, not {vcpu}: it takes {} network interfaces and keeps \
                one for itself, so {} of its {vcpu} vCPUs idle{}.",
            b.ec2_instance,
            if tasks == 1 { "" } else { "s" },
            class.network_interfaces.unwrap_or(0),
            vcpu - tasks,
            if vcpu - tasks == 1 { "s" } else { "" }
        ),
        "Choose an instance type with a spare network interface per vCPU (t3.small to t3.large: 3 \
            interfaces for 2 vCPUs), or Fargate.",
    )
}

pub(super) fn single_nat(f: &Facts) -> Option<Warning> {
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

pub(super) fn alb_one_az(f: &Facts) -> Option<Warning> {
    if f.s.network.azs >= 2 {
        return None;
    }
    warning(
        Severity::Critical,
        WarningCode::AlbOneAz,
        "An Application Load Balancer needs subnets in at least two Availability Zones; with one \
            AZ it cannot be created."
            .into(),
        "Use two or more AZs.",
    )
}

pub(super) fn target_too_hot(f: &Facts) -> Option<Warning> {
    let target = f.s.backend.target_cpu_utilisation;
    if !(f.is_fargate() && target > 0.85) {
        return None;
    }
    warning(
        Severity::Warning,
        WarningCode::TargetTooHot,
        format!(
            "A {:.0}% CPU target leaves little room while new tasks start (30-60 s plus the \
                alarm's minutes): a rising peak overloads the running ones.",
            target * 100.0
        ),
        "Aim at 60-75% CPU.",
    )
}

pub(super) fn no_backups(f: &Facts) -> Option<Warning> {
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

pub(super) fn public_tasks(f: &Facts) -> Option<Warning> {
    if !(f.s.production && f.s.network.layout == NetworkLayout::Public) {
        return None;
    }
    warning(
        Severity::Info,
        WarningCode::PublicTasks,
        "Production tasks in public subnets each get a public IPv4 address and are reachable from \
            the internet if a security group allows it.".into(),
        "Use private subnets with NAT gateways or VPC endpoints (compare their cost in the Network \
            lines).",
    )
}

pub(super) fn alb_rules(f: &Facts) -> Option<Warning> {
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
pub(super) fn short_of_target(f: &Facts) -> bool {
    let c = f.capacity;
    (!f.is_fargate() || f.s.backend.tasks_max > 0) && c.tasks_needed > c.workers_at_peak
}

/// The fleet carries the peak but above the scaling target (up to 100% of its CPU): less
/// headroom left for a burst, and queueing latency climbs steeply as CPU nears 100%.
pub(super) fn hot_at_peak(f: &Facts) -> Option<Warning> {
    let (c, target) = (f.capacity, f.s.backend.target_cpu_utilisation);
    if !(short_of_target(f) && c.utilisation_at_peak < 1.0) {
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
            "Peak CPU is {:.0}%, above the {:.0}% target: the {} {} carry the peak with {:.0}% \
                headroom instead of {:.0}%.",
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

pub(super) fn unconfirmed_prices(f: &Facts) -> Option<Warning> {
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
/// never fires. Critical when the tasks the policy keeps cannot carry the peak.
pub(super) fn scaling_cannot_fire(f: &Facts) -> Option<Warning> {
    let (s, b) = (f.s, &f.s.backend);
    if !auto_scaling(s) || crate::model::simulate::scale_out_can_fire(s) {
        return None;
    }
    let needs_more = f.capacity.tasks_needed > f.capacity.workers_at_peak;
    // Critical when the tasks the policy keeps cannot carry the peak at all.
    let short = f.capacity.utilisation_at_peak > 1.0;
    warning(
        if short { Severity::Critical } else { Severity::Warning },
        WarningCode::ScalingCannotFire,
        format!(
            "ECS measures CPU against the CPU reserved: {} Node.js process{} on {} vCPU show at \
                most {:.0}% CPU, so the {:.0}% scale-out rule never fires{}.",
            b.node_workers(),
            if b.node_workers() == 1 { "" } else { "es" },
            s.task_vcpu(),
            b.max_cpu_metric() * 100.0,
            crate::model::simulate::scale_out_threshold(s) * 100.0,
            if needs_more {
                format!(
                    " and the service runs {} tasks at peak while the peak needs \
                {}",
                    f.capacity.workers_at_peak, f.capacity.tasks_needed
                )
            } else {
                String::new()
            }
        ),
        "Turn on Node.js cluster mode (one worker per vCPU), use tasks of 1 vCPU or less, or set \
            the scale-out threshold below the highest CPU the task can show.",
    )
}

/// "Linux tasks with the ARM64 architecture don't support the Fargate Spot capacity
/// provider."
/// <https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-capacity-providers.html>
pub(super) fn arm_spot(f: &Facts) -> Option<Warning> {
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
