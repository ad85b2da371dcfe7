//! What `scaling-plan plan` prints and the app's tier tables show: the plan, plus the planning
//! document's printed figures beside today's.

use crate::model::{plan, Catalog, Plan, Scenario, Tier};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct SeedLineComparison {
    pub label: &'static str,
    pub seed_usd: f64,
    pub today_usd: f64,
    pub why: &'static str,
}

/// A preset tier, computed, against what the planning document printed.
#[derive(Debug, Clone, Serialize)]
pub struct TierComparison {
    pub tier: Tier,
    pub seed_total_usd: f64,
    pub today_total_usd: f64,
    /// Today's figure for what the document priced (without the costs it leaves out).
    pub today_seed_scope_usd: f64,
    pub seed_omitted_usd: f64,
    pub lines: Vec<SeedLineComparison>,
}

impl TierComparison {
    /// The tier as the document defines it (us-east-1, catalog prices).
    pub fn new(tier: Tier, catalog: &Catalog) -> TierComparison {
        TierComparison::from_plan(tier, &plan(&tier.scenario(), catalog))
    }

    /// The tier at the region and price overrides of `current` (`Tier::scenario_like`), as
    /// it is shown beside the user's plan.
    pub fn like(tier: Tier, current: &Scenario, catalog: &Catalog) -> TierComparison {
        TierComparison::from_plan(tier, &plan(&tier.scenario_like(current), catalog))
    }

    pub fn from_plan(tier: Tier, p: &Plan) -> TierComparison {
        let lines: Vec<SeedLineComparison> = tier
            .seed_lines()
            .into_iter()
            .map(|l| SeedLineComparison {
                label: l.label,
                seed_usd: l.usd,
                today_usd: p
                    .cost_lines
                    .iter()
                    .filter(|c| !c.seed_omits && l.components.contains(&c.component))
                    .map(|c| c.monthly_usd)
                    .sum(),
                why: l.why,
            })
            .collect();
        TierComparison {
            tier,
            seed_total_usd: tier.seed_total(),
            today_total_usd: p.monthly_total_usd,
            today_seed_scope_usd: p.monthly_total_usd - p.seed_omitted_usd,
            seed_omitted_usd: p.seed_omitted_usd,
            lines,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct PlanReport {
    pub schema: u32,
    pub catalog_as_of: String,
    #[serde(flatten)]
    pub plan: Plan,
    pub simulation: crate::model::simulate::SimulationSummary,
    pub tiers: Vec<TierComparison>,
}

impl PlanReport {
    pub fn new(scenario: &Scenario, catalog: &Catalog) -> PlanReport {
        PlanReport::with_simulation(scenario, catalog, &scenario.simulation)
    }

    /// The plan and its simulation under `settings`: with auto scaling the Fargate bill is the
    /// average of that same simulated period, so the report tells one story.
    pub fn with_simulation(scenario: &Scenario, catalog: &Catalog, settings: &crate::model::simulate::SimulationSettings) -> PlanReport {
        let mut simulated = scenario.clone();
        simulated.simulation = settings.clone();
        let scenario = &simulated;
        let p = plan(scenario, catalog);
        PlanReport {
            schema: crate::model::scenario::SCENARIO_SCHEMA,
            catalog_as_of: catalog.as_of.clone(),
            simulation: crate::model::simulate::simulate(scenario, catalog, settings).summary,
            plan: p,
            tiers: Tier::ALL.iter().map(|&t| TierComparison::like(t, scenario, catalog)).collect(),
        }
    }
}
