//! The planning document's tiers, computed today, beside the figures the document printed:
//! what the app's tier tables and `scaling-plan plan` show.

use crate::model::{plan, Catalog, Plan, Scenario, Tier};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct DocumentLineComparison {
    pub label: &'static str,
    pub document_usd: f64,
    pub today_usd: f64,
    pub why: &'static str,
}

/// A preset tier, computed, against what the planning document printed.
#[derive(Debug, Clone, Serialize)]
pub struct TierComparison {
    pub tier: Tier,
    pub document_total_usd: f64,
    pub today_total_usd: f64,
    /// Today's figure for what the document priced (without the costs it leaves out).
    pub today_document_scope_usd: f64,
    pub document_omitted_usd: f64,
    pub lines: Vec<DocumentLineComparison>,
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
        let lines: Vec<DocumentLineComparison> = tier
            .document_lines()
            .into_iter()
            .map(|l| DocumentLineComparison {
                label: l.label,
                document_usd: l.usd,
                today_usd: p
                    .cost_lines
                    .iter()
                    .filter(|c| !c.document_omits && l.components.contains(&c.component))
                    .map(|c| c.monthly_usd)
                    .sum(),
                why: l.why,
            })
            .collect();
        TierComparison {
            tier,
            document_total_usd: tier.document_total(),
            today_total_usd: p.monthly_total_usd,
            today_document_scope_usd: p.monthly_total_usd - p.document_omitted_usd,
            document_omitted_usd: p.document_omitted_usd,
            lines,
        }
    }
}
