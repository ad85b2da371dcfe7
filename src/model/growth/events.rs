//! The changes between two consecutive months of the path: what changes, why, how long ahead
//! to start, whether users notice, and which phase of the planning document it belongs to.
//! The AWS CLI command for each is written by `export::roadmap` (names and quoting live there).
//!
//! Lead times are this planner's planning figures (preparation, testing and AWS's own time),
//! each beside the AWS page that describes the operation it plans for; downtime figures are
//! AWS's, from the page cited beside each.

use super::super::scenario::{LaunchType, Routing, Scenario};
use serde::Serialize;

/// A limit a configuration can break, as the right-size search judges it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Limit {
    /// The p95 latency ceiling.
    P95,
    /// CPU: the headroom left at peak.
    Cpu,
    DbConnections,
    /// The database's query capacity (primary or replicas above 80%).
    DbCpu,
    CacheMemory,
    Budget,
    /// Multi-AZ database, two tasks, a cache replica (production scenarios).
    Availability,
    /// Any other critical finding of the plan.
    Other,
}

impl Limit {
    pub fn label(self) -> &'static str {
        match self {
            Limit::P95 => "p95 latency",
            Limit::Cpu => "CPU headroom",
            Limit::DbConnections => "DB connections",
            Limit::DbCpu => "DB CPU",
            Limit::CacheMemory => "cache memory",
            Limit::Budget => "budget",
            Limit::Availability => "availability",
            Limit::Other => "other limit",
        }
    }
}

/// One thing that differs between two months' configurations.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    /// Fargate task counts: minimum, average (what is billed without auto scaling), maximum.
    TaskCount {
        from: [u32; 3],
        to: [u32; 3],
    },
    /// Fargate task size, architecture and Spot share, as labels; `new_arch` when the
    /// architecture changes (the image must be built for it).
    TaskSize {
        from: String,
        to: String,
        new_arch: bool,
    },
    LaunchType {
        from: LaunchType,
        to: LaunchType,
    },
    /// EC2 instance type and count.
    Ec2Fleet {
        from: (String, u32),
        to: (String, u32),
    },
    DbClass {
        from: String,
        to: String,
    },
    MultiAz {
        to: bool,
    },
    Replicas {
        from: u32,
        to: u32,
    },
    CacheNode {
        from: String,
        to: String,
    },
    CacheReplicas {
        from: u32,
        to: u32,
    },
    Shards {
        from: u32,
        to: u32,
    },
    ClusterMode {
        to: bool,
    },
    Routing {
        from: Routing,
        to: Routing,
    },
}

/// The Fargate size of a scenario as the event table shows it.
pub fn task_size_label(s: &Scenario) -> String {
    let b = &s.backend;
    let spot = if b.spot_share > 0.0 {
        format!(", {:.0}% Spot", b.spot_share * 100.0)
    } else {
        String::new()
    };
    format!(
        "{} vCPU / {} GB {}{spot}",
        b.task_cpu as f64 / 1024.0,
        b.task_memory_mib as f64 / 1024.0,
        b.arch.label()
    )
}

fn counts(s: &Scenario) -> [u32; 3] {
    [s.backend.tasks_min, s.backend.tasks_average, s.backend.tasks_max]
}

/// Every difference between two configurations, in the order a team applies them (capacity
/// of the stores first, compute last), each once.
pub fn changes(a: &Scenario, b: &Scenario) -> Vec<Change> {
    let mut out = Vec::new();
    let (da, db) = (&a.database, &b.database);
    if da.multi_az != db.multi_az {
        out.push(Change::MultiAz { to: db.multi_az });
    }
    if da.class != db.class {
        out.push(Change::DbClass { from: da.class.clone(), to: db.class.clone() });
    }
    if da.read_replicas != db.read_replicas {
        out.push(Change::Replicas { from: da.read_replicas, to: db.read_replicas });
    }
    let (ca, cb) = (&a.cache, &b.cache);
    if ca.cluster_mode != cb.cluster_mode {
        out.push(Change::ClusterMode { to: cb.cluster_mode });
    }
    if ca.node_type != cb.node_type {
        out.push(Change::CacheNode { from: ca.node_type.clone(), to: cb.node_type.clone() });
    }
    if ca.shards_in_use() != cb.shards_in_use() {
        out.push(Change::Shards { from: ca.shards_in_use(), to: cb.shards_in_use() });
    }
    if ca.replicas_per_shard != cb.replicas_per_shard {
        out.push(Change::CacheReplicas { from: ca.replicas_per_shard, to: cb.replicas_per_shard });
    }
    if a.alb.routing != b.alb.routing {
        out.push(Change::Routing { from: a.alb.routing, to: b.alb.routing });
    }
    compute_changes(a, b, &mut out);
    out
}

fn compute_changes(a: &Scenario, b: &Scenario, out: &mut Vec<Change>) {
    let (la, lb) = (a.backend.launch_type, b.backend.launch_type);
    if la != lb {
        out.push(Change::LaunchType { from: la, to: lb });
    }
    match lb {
        LaunchType::Fargate => {
            let (sa, sb) = (task_size_label(a), task_size_label(b));
            if la == lb && sa != sb {
                let new_arch = a.backend.arch != b.backend.arch;
                out.push(Change::TaskSize { from: sa, to: sb, new_arch });
            }
            if la != lb || counts(a) != counts(b) {
                out.push(Change::TaskCount { from: counts(a), to: counts(b) });
            }
        }
        LaunchType::Ec2 => {
            let fleet = |s: &Scenario| (s.backend.ec2_instance.clone(), s.backend.ec2_count);
            if la != lb || fleet(a) != fleet(b) {
                out.push(Change::Ec2Fleet { from: fleet(a), to: fleet(b) });
            }
        }
    }
}

fn range(c: [u32; 3]) -> String {
    if c[0] == c[2] {
        format!("{}", c[2])
    } else {
        format!("{}-{} (average {})", c[0], c[2], c[1])
    }
}

impl Change {
    /// What changes, in words.
    pub fn describe(&self) -> String {
        let on_off = |on: bool| if on { "on" } else { "off" };
        match self {
            Change::TaskCount { from, to } => {
                format!("Fargate tasks {} -> {}", range(*from), range(*to))
            }
            Change::TaskSize { from, to, .. } => format!("Task size {from} -> {to}"),
            Change::LaunchType { from, to } => {
                format!("Launch type {} -> {}", from.label(), to.label())
            }
            Change::Ec2Fleet { from, to } => {
                format!("EC2 fleet {} x {} -> {} x {}", from.1, from.0, to.1, to.0)
            }
            Change::DbClass { from, to } => format!("Database class {from} -> {to}"),
            Change::MultiAz { to } => format!("Database Multi-AZ {}", on_off(*to)),
            Change::Replicas { from, to } => format!("Read replicas {from} -> {to}"),
            Change::CacheNode { from, to } => format!("Cache node type {from} -> {to}"),
            Change::CacheReplicas { from, to } => {
                format!("Cache replicas per shard {from} -> {to}")
            }
            Change::Shards { from, to } => format!("Cache shards {from} -> {to}"),
            Change::ClusterMode { to } => format!("Cache cluster mode {}", on_off(*to)),
            Change::Routing { from, to } => {
                format!("ALB routing {} -> {}", from.label(), to.label())
            }
        }
    }

    /// The limits this kind of change acts on (used to say why it is made).
    pub fn acts_on(&self) -> &'static [Limit] {
        match self {
            Change::TaskCount { .. }
            | Change::TaskSize { .. }
            | Change::LaunchType { .. }
            | Change::Ec2Fleet { .. }
            | Change::Routing { .. } => &[Limit::P95, Limit::Cpu, Limit::Availability],
            Change::DbClass { .. } => &[Limit::DbCpu, Limit::DbConnections],
            Change::Replicas { .. } => &[Limit::DbCpu, Limit::DbConnections],
            Change::MultiAz { .. } => &[Limit::Availability],
            Change::CacheNode { .. } | Change::Shards { .. } | Change::ClusterMode { .. } => {
                &[Limit::CacheMemory]
            }
            Change::CacheReplicas { .. } => &[Limit::Availability],
        }
    }
}

/// What a change costs the team and the users: downtime, lead time, the document's phase and
/// the AWS page each figure comes from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Impact {
    pub downtime: String,
    /// Whether users notice at all.
    pub disruptive: bool,
    /// Days ahead of the month to start (prepare, test, wait for a maintenance window).
    pub lead_time_days: u32,
    /// Phase 1-5 of the planning document's migration guide the change belongs to.
    pub phase: u8,
    /// The AWS page the downtime and the operation are taken from.
    pub source: &'static str,
}

fn impact(
    downtime: &str,
    disruptive: bool,
    lead_time_days: u32,
    phase: u8,
    source: &'static str,
) -> Impact {
    Impact { downtime: downtime.into(), disruptive, lead_time_days, phase, source }
}

/// Rolling ECS deployments keep the healthy tasks serving while new ones start (minimum
/// healthy percent): a count, size or capacity change is not seen by users.
/// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-ecs.html
const ECS_ROLLING: &str =
    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-ecs.html";
/// A class change on a Multi-AZ instance is made on the standby, then a failover: "Failover
/// times are typically 60-120 seconds".
/// https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.MultiAZ.Failover.html
const RDS_FAILOVER: &str =
    "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.MultiAZ.Failover.html";
/// Modifications apply at the next weekly maintenance window unless applied immediately;
/// "some modifications result in downtime because Amazon RDS must reboot your DB instance".
/// https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.DBInstance.Modifying.html
const RDS_MODIFY: &str =
    "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.DBInstance.Modifying.html";
/// Turning Multi-AZ on "doesn't result in an outage".
/// https://docs.aws.amazon.com/systems-manager-automation-runbooks/latest/userguide/automation-aws-multi-az-rds.html
const RDS_MULTI_AZ: &str =
    "https://docs.aws.amazon.com/systems-manager-automation-runbooks/latest/userguide/automation-aws-multi-az-rds.html";
/// A new replica starts from a snapshot: about one second of I/O suspension on a single-AZ
/// source, none on a Multi-AZ one (the snapshot is taken from the standby).
/// https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ReadRepl.Create.html
const RDS_REPLICA: &str =
    "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ReadRepl.Create.html";
/// Online vertical scaling: the cluster keeps serving with minimal downtime (a few seconds of
/// interrupted reads and writes when the DNS entry moves to the new nodes).
/// https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/redis-cluster-vertical-scaling.html
const CACHE_VERTICAL: &str =
    "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/redis-cluster-vertical-scaling.html";
/// Replicas are added to a replication group online.
/// https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/increase-replica-count.html
const CACHE_REPLICAS: &str =
    "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/increase-replica-count.html";
/// Online resharding: "scale ... dynamically with no downtime".
/// https://docs.aws.amazon.com/AmazonElastiCache/latest/red-ug/redis-cluster-resharding-online.html
const CACHE_RESHARD: &str =
    "https://docs.aws.amazon.com/AmazonElastiCache/latest/red-ug/redis-cluster-resharding-online.html";
/// Cluster mode disabled -> enabled: two steps through "compatible", clients must move to a
/// cluster-aware client and the configuration endpoint, at least one replica, Redis OSS 7.0 or
/// Valkey 7.2, and it cannot be reverted.
/// https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/modify-cluster-mode.html
const CACHE_CLUSTER_MODE: &str =
    "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/modify-cluster-mode.html";
/// The routing algorithm is a target group attribute, changed in place.
/// https://docs.aws.amazon.com/elasticloadbalancing/latest/application/edit-target-group-attributes.html
const ALB_ROUTING: &str =
    "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/edit-target-group-attributes.html";

/// Downtime, lead time and phase of one change; `before` is the configuration it starts from.
pub fn impact_of(change: &Change, before: &Scenario) -> Impact {
    match change {
        Change::TaskCount { .. } => impact("none (rolling)", false, 1, 3, ECS_ROLLING),
        // A new task definition revision, rolled out; a new architecture needs the image built
        // for it and tested first (phase 2).
        Change::TaskSize { new_arch, .. } => {
            let (days, phase) = if *new_arch { (7, 2) } else { (2, 3) };
            impact("none (rolling)", false, days, phase, ECS_ROLLING)
        }
        Change::LaunchType { .. } | Change::Ec2Fleet { .. } => {
            let days = if matches!(change, Change::LaunchType { .. }) { 14 } else { 2 };
            impact("none (new capacity, rolling)", false, days, 3, ECS_ROLLING)
        }
        Change::DbClass { .. } if before.database.multi_az => impact(
            "about 1-2 minutes: a Multi-AZ failover (typically 60-120 s)",
            true,
            7,
            1,
            RDS_FAILOVER,
        ),
        Change::DbClass { .. } => impact(
            "several minutes: a single-AZ instance restarts on the new class",
            true,
            7,
            1,
            RDS_MODIFY,
        ),
        Change::MultiAz { .. } => impact("none", false, 7, 1, RDS_MULTI_AZ),
        Change::Replicas { from, to } if to > from && before.database.multi_az => {
            impact("none", false, if *from == 0 { 7 } else { 1 }, 1, RDS_REPLICA)
        }
        Change::Replicas { from, to } if to > from => impact(
            "about 1 s of I/O suspension on the primary (single-AZ source snapshot)",
            false,
            if *from == 0 { 7 } else { 1 },
            1,
            RDS_REPLICA,
        ),
        Change::Replicas { .. } => impact("none (move reads off first)", false, 1, 1, RDS_MODIFY),
        Change::CacheNode { .. } => impact(
            "a few seconds of interrupted cache reads and writes (online vertical scaling)",
            false,
            7,
            1,
            CACHE_VERTICAL,
        ),
        Change::CacheReplicas { .. } => impact("none", false, 1, 1, CACHE_REPLICAS),
        Change::Shards { .. } => impact("none (online resharding)", false, 1, 1, CACHE_RESHARD),
        Change::ClusterMode { .. } => impact(
            concat!(
                "a migration: online through cluster mode compatible, but the app must switch ",
                "to a cluster-aware client (a deploy); irreversible"
            ),
            true,
            14,
            1,
            CACHE_CLUSTER_MODE,
        ),
        Change::Routing { .. } => impact("none (in place)", false, 0, 5, ALB_ROUTING),
    }
}

/// Why the path changes configuration at a month.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Cause {
    /// The held configuration would break these limits this month (each with its figure).
    Breaks { limits: Vec<(Limit, String)> },
    /// Traffic fell and a cheaper configuration holds the next months.
    Cheaper { saves_usd: f64 },
}

/// One change of the path.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    /// The first month the new configuration runs.
    pub month: u32,
    /// What changes, in words.
    pub change: String,
    pub what: Change,
    pub reason: String,
    /// The limits that make the change necessary (empty for a saving).
    pub limits: Vec<Limit>,
    pub downtime: String,
    pub lead_time_days: u32,
    pub phase: u8,
    pub source: &'static str,
}

/// The events of `month`: each difference between the two configurations, with its reason.
/// `sized_to` is the last month the new configuration was sized for.
pub fn events_between(
    month: u32,
    before: &Scenario,
    after: &Scenario,
    cause: &Cause,
    sized_to: u32,
) -> Vec<Event> {
    changes(before, after)
        .into_iter()
        .map(|what| {
            let (reason, limits) = reason(&what, cause, sized_to);
            let imp = impact_of(&what, before);
            Event {
                month,
                change: what.describe(),
                what,
                reason,
                limits,
                downtime: imp.downtime,
                lead_time_days: imp.lead_time_days,
                phase: imp.phase,
                source: imp.source,
            }
        })
        .collect()
}

fn reason(what: &Change, cause: &Cause, sized_to: u32) -> (String, Vec<Limit>) {
    match cause {
        Cause::Cheaper { saves_usd } => (
            format!(
                "traffic fell: a configuration ${saves_usd:.0} a month cheaper meets every \
                 target through month {sized_to}"
            ),
            Vec::new(),
        ),
        Cause::Breaks { limits } => {
            let own: Vec<&(Limit, String)> =
                limits.iter().filter(|(l, _)| what.acts_on().contains(l)).collect();
            let all: Vec<&(Limit, String)> = limits.iter().collect();
            let (list, prefix) = if own.is_empty() {
                (all, "part of the cheapest configuration that fixes: ")
            } else {
                (own, "")
            };
            let text: Vec<String> =
                list.iter().map(|(l, why)| format!("{}: {why}", l.label())).collect();
            let limits = list.iter().map(|(l, _)| *l).collect();
            (format!("{prefix}{} (sized through month {sized_to})", text.join("; ")), limits)
        }
    }
}
