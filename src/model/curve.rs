//! Cost against traffic: the plan re-sized for traffic from near zero to several times the
//! current peak, showing where tasks and replicas step up.

use super::catalog::Catalog;
use super::plan::{db_capacity_qps, fargate_tasks_needed, peak_db_queries, plan};
use super::scenario::{LaunchType, Scenario};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CurvePoint {
    pub peak_rps: f64,
    pub monthly_usd: f64,
    pub tasks: u32,
    pub replicas: u32,
}

/// The scenario re-sized for a peak of `rps`: as many tasks as the peak needs (never fewer than
/// the minimum), replicas added while a replica would run above 80%, page views scaled with
/// the API traffic.
pub fn resized(s: &Scenario, catalog: &Catalog, rps: f64) -> Scenario {
    let mut t = s.clone();
    let scale = if s.traffic.peak_rps > 0.0 { rps / s.traffic.peak_rps } else { 1.0 };
    t.traffic.peak_rps = rps;
    t.traffic.monthly_page_views = s.traffic.monthly_page_views * scale;
    if t.backend.launch_type == LaunchType::Fargate {
        let needed = fargate_tasks_needed(&t).max(t.backend.tasks_min).max(1);
        // The bill follows the same average-to-peak ratio as the scenario's own counts.
        let ratio = if s.backend.tasks_max > 0 {
            s.backend.tasks_average as f64 / s.backend.tasks_max as f64
        } else {
            1.0
        };
        t.backend.tasks_max = needed;
        t.backend.tasks_average =
            ((needed as f64 * ratio).ceil() as u32).clamp(t.backend.tasks_min.min(needed), needed);
    }
    // Replicas: add while the reads would put a replica (or the lone primary) above 80%.
    let (reads, writes) = peak_db_queries(&t);
    let capacity = db_capacity_qps(&t, catalog) * 0.8;
    if capacity > 0.0 {
        let alone = t.database.read_replicas == 0 && reads + writes <= capacity;
        if !alone {
            let needed = (reads / capacity).ceil() as u32;
            t.database.read_replicas = t.database.read_replicas.max(needed).min(5);
        }
    }
    t
}

pub fn cost_curve(
    s: &Scenario,
    catalog: &Catalog,
    points: usize,
    max_factor: f64,
) -> Vec<CurvePoint> {
    let top = (s.traffic.peak_rps * max_factor).max(10.0);
    (1..=points)
        .map(|i| {
            let rps = top * i as f64 / points as f64;
            let t = resized(s, catalog, rps);
            CurvePoint {
                peak_rps: rps,
                monthly_usd: plan(&t, catalog).monthly_total_usd,
                tasks: t.backend.tasks_max,
                replicas: t.database.read_replicas,
            }
        })
        .collect()
}
