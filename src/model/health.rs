//! The plan's health at a glance: how much of each limit the peak uses (tasks, the primary
//! database, the replicas, Redis memory, DB connections), and the summary the app keeps on
//! screen. Every figure is read from the `Plan`; the limits are the ones the plan checks.

use super::catalog::Catalog;
use super::plan::{db_capacity_qps, Plan, Severity, Warning, WarningCode};
use super::scenario::{LaunchType, Scenario};

/// Months in a year, for the annual cost (the month is 730 hours, so a year is 8,760).
pub const MONTHS_PER_YEAR: f64 = 12.0;

/// How close a gauge is to its limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// Nothing to use (e.g. no replicas): shown, not judged.
    NotUsed,
    Ok,
    /// Above 75% of the limit: little room for growth.
    Near,
    /// At or above the limit.
    Over,
}

/// One use of a limited resource at peak.
#[derive(Debug, Clone, PartialEq)]
pub struct Gauge {
    pub id: &'static str,
    pub label: &'static str,
    pub used: f64,
    pub limit: f64,
    pub unit: &'static str,
    /// used / limit (0 when both are 0; capped at 9.99 for drawing).
    pub share: f64,
    pub level: Level,
}

const NEAR: f64 = 0.75;
const SHARE_CAP: f64 = 9.99;

fn gauge(
    id: &'static str,
    label: &'static str,
    used: f64,
    limit: f64,
    unit: &'static str,
    in_use: bool,
) -> Gauge {
    let share = if limit > 0.0 {
        (used / limit).min(SHARE_CAP)
    } else if used > 0.0 {
        SHARE_CAP
    } else {
        0.0
    };
    let level = if !in_use {
        Level::NotUsed
    } else if share >= 1.0 {
        Level::Over
    } else if share > NEAR {
        Level::Near
    } else {
        Level::Ok
    };
    Gauge { id, label, used, limit, unit, share, level }
}

/// The five gauges of the health panel, always in this order.
pub fn gauges(s: &Scenario, p: &Plan, catalog: &Catalog) -> Vec<Gauge> {
    let c = &p.capacity;
    let db_capacity = db_capacity_qps(s, catalog);
    let workers = if s.backend.launch_type == LaunchType::Fargate {
        "Tasks at peak"
    } else {
        "EC2 fleet at peak"
    };
    vec![
        gauge("tasks", workers, c.peak_rps, c.capacity_rps, "req/s", true),
        gauge(
            "db-primary",
            "Primary database load",
            c.db_primary_qps,
            db_capacity,
            "queries/s",
            true,
        ),
        gauge(
            "db-replicas",
            "Each read replica's load",
            c.db_replica_qps,
            db_capacity,
            "queries/s",
            s.database.read_replicas > 0,
        ),
        gauge("cache-memory", "Redis memory", c.cache_needed_gb, c.cache_usable_gb, "GB", true),
        gauge(
            "db-connections",
            "DB connections (primary)",
            c.db_connections_primary as f64,
            c.db_max_connections as f64,
            "connections",
            true,
        ),
    ]
}

/// The figures of the summary bar.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub monthly_usd: f64,
    pub annual_usd: f64,
    pub p95_ms: Option<f64>,
    pub headroom_pct: f64,
    pub critical: usize,
    pub warnings: usize,
    pub notes: usize,
}

pub fn summary(p: &Plan) -> Summary {
    let count = |sev: Severity| p.warnings.iter().filter(|w| w.severity == sev).count();
    Summary {
        monthly_usd: p.monthly_total_usd,
        annual_usd: p.monthly_total_usd * MONTHS_PER_YEAR,
        p95_ms: p.capacity.p95_ms,
        headroom_pct: p.capacity.headroom_pct,
        critical: count(Severity::Critical),
        warnings: count(Severity::Warning),
        notes: count(Severity::Info),
    }
}

/// What the availability checks ("production") add: the warnings that fire only with them on.
/// The app shows these beside the toggle so its effect is visible.
pub const AVAILABILITY_CHECKS: [WarningCode; 6] = [
    WarningCode::SingleAzDb,
    WarningCode::CacheNoReplica,
    WarningCode::SingleTask,
    WarningCode::SingleNat,
    WarningCode::NoBackups,
    WarningCode::PublicTasks,
];

/// The warnings of the plan raised by the availability checks.
pub fn availability_findings(p: &Plan) -> Vec<&Warning> {
    p.warnings.iter().filter(|w| AVAILABILITY_CHECKS.contains(&w.code)).collect()
}
