//! Cost against traffic: the plan re-sized for traffic from near zero to several times the
//! current peak, showing where tasks and replicas step up.

use super::catalog::Catalog;
use super::plan::{
    billed_tasks, db_capacity_qps, fargate_tasks_needed, peak_db_queries, plan_billed, PolicyFleet,
};
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

/// Every how many points of the curve the auto scaling period is simulated; the billed task
/// count of the points between is interpolated (a week's simulation per point made the curve
/// five times slower than the rest of a slider move).
const SIMULATED_EVERY: usize = 5;

pub fn cost_curve(
    s: &Scenario,
    catalog: &Catalog,
    points: usize,
    max_factor: f64,
) -> Vec<CurvePoint> {
    let top = (s.traffic.peak_rps * max_factor).max(10.0);
    let scenarios: Vec<(f64, Scenario)> = (1..=points)
        .map(|i| {
            let rps = top * i as f64 / points as f64;
            (rps, resized(s, catalog, rps))
        })
        .collect();
    let billed = billed_at_anchors(&scenarios);
    scenarios
        .iter()
        .zip(billed)
        .map(|((rps, t), billed)| CurvePoint {
            peak_rps: *rps,
            monthly_usd: plan_billed(t, catalog, &PolicyFleet::billed_only(billed))
                .monthly_total_usd,
            tasks: t.backend.tasks_max,
            replicas: t.database.read_replicas,
        })
        .collect()
}

/// The billed Fargate task count of each point: simulated at every `SIMULATED_EVERY`-th point
/// and at the last, linear in between.
fn billed_at_anchors(scenarios: &[(f64, Scenario)]) -> Vec<f64> {
    let n = scenarios.len();
    let anchors: Vec<usize> = (0..n).filter(|i| i % SIMULATED_EVERY == 0 || *i + 1 == n).collect();
    let at: Vec<f64> = anchors.iter().map(|&i| billed_tasks(&scenarios[i].1)).collect();
    (0..n)
        .map(|i| {
            let k = anchors.partition_point(|&a| a <= i) - 1;
            if anchors[k] == i || k + 1 == anchors.len() {
                return at[k];
            }
            let (a, b) = (anchors[k], anchors[k + 1]);
            let w = (scenarios[i].0 - scenarios[a].0) / (scenarios[b].0 - scenarios[a].0);
            at[k] + (at[k + 1] - at[k]) * w
        })
        .collect()
}
