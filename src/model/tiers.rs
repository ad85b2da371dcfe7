//! The planning document's tiers, computed today, beside the figures the document printed:
//! what the app's tier tables and `scaling-plan plan` show.

use crate::model::display::{tidy, usd};
use crate::model::{plan, Catalog, Component, Plan, Scenario, Tier};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct DocumentLineComparison {
    pub label: &'static str,
    pub document_usd: f64,
    pub today_usd: f64,
    /// What today's figure bills, generated from the plan's own lines, then the note on how
    /// the document's figure differs.
    pub why: String,
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
                    // An empty f64 sum is -0.0; + 0.0 makes it 0 (no "-0" in the JSON).
                    .sum::<f64>()
                    + 0.0,
                why: format!("{} {}", bills(tier, p, l.components), l.why).trim_start().to_string(),
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

/// What the plan bills for `components`, in its own figures: the Fargate fleet as billed
/// tasks x task size at the task-month price, every other line as its item and amount.
fn bills(tier: Tier, p: &Plan, components: &[Component]) -> String {
    let mut parts = Vec::new();
    for &component in components {
        if let (Component::Compute, Some(f)) = (component, &p.fargate_billing) {
            let s = tier.scenario();
            let how = if f.from_simulation {
                format!(
                    "on average (auto scaling {}-{} over the simulated week)",
                    s.backend.tasks_min, s.backend.tasks_max
                )
            } else {
                "all month".to_string()
            };
            parts.push(format!(
                "{} tasks {how} x {} vCPU / {} GB at {} a task-month = {}.",
                tidy((f.billed_tasks * 100.0).round() / 100.0),
                tidy(s.task_vcpu()),
                tidy(s.task_memory_gb()),
                usd(f.task_month_usd),
                usd(f.billed_compute_usd)
            ));
            continue;
        }
        let lines: Vec<String> = p
            .cost_lines
            .iter()
            .filter(|c| c.component == component && !c.document_omits)
            .map(|c| format!("{} {}", c.item, usd(c.monthly_usd)))
            .collect();
        if !lines.is_empty() {
            parts.push(format!("{}.", lines.join("; ")));
        }
    }
    parts.join(" ")
}
