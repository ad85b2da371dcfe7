//! The working plan against a baseline (a scenario the user set aside, or a tier of the
//! planning document): the difference of the total, of each component and of each cost line.
//! The app only formats these; no difference is computed in a component.

use super::plan::{Component, CostLine, LineKind, Plan};

/// A change from the baseline: dollars, and percent of the baseline's figure (`None` when the
/// baseline had nothing there, so no percentage exists).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Delta {
    pub usd: f64,
    pub pct: Option<f64>,
}

impl Delta {
    pub fn between(now: f64, base: f64) -> Delta {
        let usd = now - base;
        let pct = if base.abs() > f64::EPSILON { Some(usd / base * 100.0) } else { None };
        Delta { usd, pct }
    }
    /// Below half a cent: the same figure on screen.
    pub fn is_zero(&self) -> bool {
        self.usd.abs() < 0.005
    }
}

/// A baseline line the working plan no longer has (e.g. replicas removed).
#[derive(Debug, Clone, PartialEq)]
pub struct RemovedLine {
    pub component: Component,
    pub item: String,
    pub monthly_usd: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PlanDiff {
    pub total: Delta,
    pub per_million: Delta,
    /// One per component, in `Component::ALL` order.
    pub components: Vec<(Component, Delta)>,
    /// One per cost line of the working plan, in its order.
    pub lines: Vec<Delta>,
    pub removed: Vec<RemovedLine>,
}

/// Lines are matched by kind (and order among lines of the same kind, as CloudFront's volume
/// tiers): an RDS class or Fargate size change is the same line at another price, and a line of
/// another kind (NAT gateways' addresses instead of the tasks') shows as new.
fn line_keys(lines: &[CostLine]) -> Vec<(LineKind, usize)> {
    let mut keys: Vec<(LineKind, usize)> = Vec::with_capacity(lines.len());
    for l in lines {
        let n = keys.iter().filter(|x| x.0 == l.kind).count();
        keys.push((l.kind, n));
    }
    keys
}

/// The working plan `now` against `base`.
pub fn diff(now: &Plan, base: &Plan) -> PlanDiff {
    let now_keys = line_keys(&now.cost_lines);
    let base_keys = line_keys(&base.cost_lines);
    let lines = now
        .cost_lines
        .iter()
        .zip(&now_keys)
        .map(|(l, k)| {
            let before = base_keys
                .iter()
                .position(|b| b == k)
                .map(|i| base.cost_lines[i].monthly_usd)
                .unwrap_or(0.0);
            Delta::between(l.monthly_usd, before)
        })
        .collect();
    let removed = base
        .cost_lines
        .iter()
        .zip(&base_keys)
        .filter(|(_, k)| !now_keys.contains(k))
        .map(|(l, _)| RemovedLine {
            component: l.component,
            item: l.item.clone(),
            monthly_usd: l.monthly_usd,
        })
        .collect();
    PlanDiff {
        total: Delta::between(now.monthly_total_usd, base.monthly_total_usd),
        per_million: Delta::between(
            now.cost_per_million_requests_usd,
            base.cost_per_million_requests_usd,
        ),
        components: Component::ALL
            .iter()
            .map(|&c| (c, Delta::between(now.component_total(c), base.component_total(c))))
            .collect(),
        lines,
        removed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::scenario::Arch;
    use crate::model::{plan, Catalog, Tier};

    /// The texts differ ("Fargate x86_64 vCPU ..." against "Fargate ARM64 vCPU ..."), the kind
    /// does not: moving to Graviton is the same lines at other prices, nothing removed.
    #[test]
    fn an_architecture_change_is_the_same_lines_at_other_prices() {
        let catalog = Catalog::embedded();
        let base = Tier::Medium.scenario();
        let mut arm = base.clone();
        arm.backend.arch = Arch::Arm;
        let (now, before) = (plan(&arm, &catalog), plan(&base, &catalog));
        let d = diff(&now, &before);
        assert!(
            d.removed.is_empty(),
            "removed: {:?}",
            d.removed.iter().map(|r| &r.item).collect::<Vec<_>>()
        );
        let fargate =
            now.cost_lines.iter().position(|l| l.kind == LineKind::FargateVcpu { spot: false });
        let i = fargate.expect("an on-demand vCPU line");
        assert!(d.lines[i].usd < 0.0, "ARM is cheaper per vCPU-hour: {:?}", d.lines[i]);
    }
}
