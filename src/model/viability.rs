//! Whether the plan can work at its traffic, and if not, the cheapest change that makes it
//! work: the headline must never present the total of a plan with a critical finding as the
//! answer. The change comes from the right-size search (`optimize`) with the targets a viable
//! plan needs: a p95 that is not saturated, the scenario's own CPU target as headroom, and the
//! availability the scenario asks for (so a fix never quietly drops Multi-AZ in production).

use super::catalog::Catalog;
use super::changes::{changes, Change};
use super::optimize::{optimize, Candidate, Targets};
use super::plan::{plan, Plan, Severity};
use super::scenario::{LaunchType, Scenario};

/// The cheapest viable configuration and what it changes.
#[derive(Debug, Clone, PartialEq)]
pub struct ViableFix {
    pub candidate: Candidate,
    pub changes: Vec<Change>,
}

/// Why a plan is not viable (the messages of its critical findings), and the fix (none when
/// the search finds no viable configuration; `binding` then says what stops it).
#[derive(Debug, Clone, PartialEq)]
pub struct NotViable {
    pub reasons: Vec<String>,
    pub fix: Option<ViableFix>,
    pub binding: Option<String>,
}

/// The targets of "viable": the latency ceiling is the optimiser's highest (60 s), so only a
/// saturated queue fails it; headroom is what the scenario's CPU target leaves (a 70% target
/// keeps 30%), so the fix carries the peak the way the scenario sizes it.
pub fn viable_targets(s: &Scenario) -> Targets {
    Targets {
        p95_ms: 60_000.0,
        headroom_pct: ((1.0 - s.backend.target_cpu_utilisation.clamp(0.05, 1.0)) * 100.0)
            .clamp(0.0, 95.0),
        high_availability: s.production,
        budget_usd: None,
        allow_arm: true,
        allow_spot: false,
        // Stay on the launch type chosen: moving to a fixed fleet is a decision, not a fix.
        allow_ec2: s.backend.launch_type == LaunchType::Ec2,
    }
}

/// The reasons a plan is not viable: its critical findings (empty: viable).
pub fn critical_reasons(p: &Plan) -> Vec<String> {
    p.warnings
        .iter()
        .filter(|w| w.severity == Severity::Critical)
        .map(|w| w.message.clone())
        .collect()
}

/// None when the plan is viable; else why not and the cheapest viable configuration.
pub fn not_viable(s: &Scenario, p: &Plan, catalog: &Catalog) -> Option<NotViable> {
    let reasons = critical_reasons(p);
    if reasons.is_empty() {
        return None;
    }
    let found = optimize(s, catalog, &viable_targets(s));
    let fix = found
        .best
        .filter(|c| !plan(&c.scenario, catalog).has_critical())
        .map(|c| ViableFix { changes: changes(s, &c.scenario), candidate: c });
    Some(NotViable { reasons, fix, binding: found.binding })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Tier;

    /// The repro: Medium at 400 req/s is short of capacity (23 tasks needed, 8 at
    /// most) and, at the 23 tasks the peak needs, over db.t3.small's connections (230 of 207
    /// less 3 reserved): both are named at once, and the fix is viable as a whole.
    #[test]
    fn medium_at_400_rps_is_not_viable_and_the_fix_is() {
        let catalog = Catalog::embedded();
        let mut s = Tier::Medium.scenario();
        s.traffic.peak_rps = 400.0;
        let p = plan(&s, &catalog);
        let nv = not_viable(&s, &p, &catalog).expect("not viable");
        assert!(nv.reasons.iter().any(|r| r.contains("Peak needs 23 tasks")), "{:?}", nv.reasons);
        assert!(nv.reasons.iter().any(|r| r.contains("230 connections")), "{:?}", nv.reasons);
        let fix = nv.fix.expect("a fix");
        let fixed = plan(&fix.candidate.scenario, &catalog);
        assert!(!fixed.has_critical());
        assert_eq!(fixed.monthly_total_usd, fix.candidate.monthly_usd);
        assert!(!fix.changes.is_empty());
        assert!(fix.candidate.scenario.database.multi_az, "production keeps Multi-AZ");
        assert!(not_viable(&fix.candidate.scenario, &fixed, &catalog).is_none());
    }

    /// The search does not change the number of AZs, so an ALB in one AZ has no fix from it:
    /// none is offered rather than one that is still critical.
    #[test]
    fn no_fix_is_offered_that_is_still_critical() {
        let catalog = Catalog::embedded();
        let mut s = Tier::Medium.scenario();
        s.network.azs = 1;
        let nv = not_viable(&s, &plan(&s, &catalog), &catalog).expect("not viable");
        assert!(nv.fix.is_none());
        assert!(nv.binding.is_some());
    }

    #[test]
    fn a_viable_plan_needs_no_fix() {
        let catalog = Catalog::embedded();
        let s = Tier::Medium.scenario();
        assert!(not_viable(&s, &plan(&s, &catalog), &catalog).is_none());
    }
}
