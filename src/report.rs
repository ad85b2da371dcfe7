//! What `scaling-plan plan` prints and the app's tier tables show: the plan, plus the planning
//! document's printed figures beside today's.

use crate::model::commit::{self, Bill, Commitments, Pricing, PricingChoice};
use crate::model::display::usd;
use crate::model::report_summary::ReportSummary;
use crate::model::tiers::TierComparison;
use crate::model::{plan, Catalog, Plan, Scenario, Tier};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct PlanReport {
    pub schema: u32,
    pub catalog_as_of: String,
    #[serde(flatten)]
    pub plan: Plan,
    pub simulation: crate::model::simulate::SimulationSummary,
    pub tiers: Vec<TierComparison>,
    /// Which pricing `monthly_total_usd` follows (`--pricing`).
    pub pricing: Pricing,
    /// The total at list (on-demand) prices: the sum of the cost lines.
    pub list_total_usd: f64,
    pub commitments: Commitments,
    /// Below the list total: commitments, the negotiated discount, credits.
    pub bill: Bill,
}

impl PlanReport {
    pub fn new(scenario: &Scenario, catalog: &Catalog) -> PlanReport {
        PlanReport::with_simulation(scenario, catalog, &scenario.simulation)
    }

    /// The plan and its simulation under `settings`: with auto scaling the Fargate bill is the
    /// average of that same simulated period, so the report tells one story.
    pub fn with_simulation(
        scenario: &Scenario,
        catalog: &Catalog,
        settings: &crate::model::simulate::SimulationSettings,
    ) -> PlanReport {
        PlanReport::priced(scenario, catalog, settings, Pricing::OnDemand)
    }

    /// The report with `monthly_total_usd` following `pricing`: the list total on-demand;
    /// with commitments, less what the scenario's chosen commitments save (every commitment
    /// that pays back when it chose none). The cost lines stay at list prices.
    pub fn priced(
        scenario: &Scenario,
        catalog: &Catalog,
        settings: &crate::model::simulate::SimulationSettings,
        pricing: Pricing,
    ) -> PlanReport {
        let mut simulated = scenario.clone();
        simulated.simulation = settings.clone();
        let scenario = &simulated;
        let mut p = plan(scenario, catalog);
        let mut choice = scenario.pricing;
        let mut commitments = commit::commitments(&p, scenario, catalog, choice);
        if pricing == Pricing::Committed && choice.is_on_demand() {
            choice = PricingChoice::recommended(&commitments);
            commitments = commit::commitments(&p, scenario, catalog, choice);
        }
        let bill = commit::bill(&p, &scenario.discounts, &commitments, pricing);
        let list_total_usd = p.monthly_total_usd;
        p.monthly_total_usd = bill.total_usd;
        PlanReport {
            schema: crate::model::scenario::SCENARIO_SCHEMA,
            catalog_as_of: catalog.as_of.clone(),
            simulation: crate::model::simulate::simulate(scenario, catalog, settings).summary,
            plan: p,
            tiers: Tier::ALL.iter().map(|&t| TierComparison::like(t, scenario, catalog)).collect(),
            pricing,
            list_total_usd,
            commitments,
            bill,
        }
    }
}

/// A quantity without float noise: up to 3 decimals, trailing zeros dropped.
fn quantity(v: f64) -> String {
    let s = format!("{v:.3}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

impl PlanReport {
    /// The plan for a terminal or a pull request: headline, cost lines, warnings.
    pub fn to_text(&self) -> String {
        self.to_text_with(None)
    }

    /// `to_text`, with the report summary's lines (the committed price and the growth path's
    /// 12- and 24-month totals, `model::report_summary`) under the headline.
    pub fn to_text_with(&self, summary: Option<&ReportSummary>) -> String {
        let mut out = self.headline_text();
        for line in summary.iter().flat_map(|s| s.lines()) {
            out.push_str(&format!("  {line}\n"));
        }
        out.push_str(&cost_lines_text(&self.plan));
        let p = &self.plan;
        out.push_str(&bill_text(&self.bill));
        out.push_str(&commitments_text(&self.commitments));
        out.push_str(&format!("\nWarnings ({})\n", p.warnings.len()));
        if p.warnings.is_empty() {
            out.push_str("  none\n");
        }
        for w in &p.warnings {
            let severity = serde_json::to_value(w.severity)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            out.push_str(&format!("  [{severity}] {}\n    fix: {}\n", w.message, w.fix));
        }
        self.push_tiers(&mut out);
        out
    }

    /// The first lines: the total, how it was priced, per million, the peak and what is left out.
    fn headline_text(&self) -> String {
        let p = &self.plan;
        let c = &p.capacity;
        let mut out = format!(
            "{} ({}): {} a month, {}\n",
            p.scenario_name,
            p.region,
            usd(p.monthly_total_usd),
            self.pricing.label()
        );
        out.push_str(&format!("  {}\n", p.estimates.sentence(&p.region)));
        // Price overrides cannot hide what AWS bills: the published-price total comes next.
        if let Some(note) = crate::model::display::published_note(p) {
            out.push_str(&format!("  with the scenario's own prices; {note}\n"));
        }
        out.push_str(&format!(
            "  {} per million API requests; prices as of {}\n",
            crate::model::display::per_million(p),
            self.catalog_as_of
        ));
        let p95 = c.p95_ms.map_or("saturated".to_string(), |ms| format!("{ms:.0} ms"));
        out.push_str(&format!(
            "  peak {} req/s on {} workers ({} needed): p95 {p95}, headroom {:.0}%\n",
            quantity(c.peak_rps),
            c.workers_at_peak,
            c.tasks_needed,
            c.headroom_pct
        ));
        if let Some(o) = &c.overload {
            out.push_str(&format!(
                "  auto scaling falls behind: over capacity {} minutes a {} ({} requests), first \
                    {}\n",
                o.minutes,
                if o.period_minutes > 1440 { "week" } else { "day" },
                crate::model::display::count(o.requests_over_capacity),
                crate::model::simulate::minute_label(o.first_minute)
            ));
        }
        out.push_str(&format!(
            "  costs the planning document leaves out: {}\n",
            usd(p.document_omitted_usd)
        ));
        out
    }

    /// The planning document's tiers beside today's figures, with what each line bills.
    fn push_tiers(&self, out: &mut String) {
        out.push_str("\nThe planning document's tiers (document -> today)\n");
        for t in &self.tiers {
            out.push_str(&format!(
                "  {}: {} -> {} ({} of it not in the document)\n",
                t.tier.label(),
                usd(t.document_total_usd),
                usd(t.today_total_usd),
                usd(t.document_omitted_usd)
            ));
            for l in &t.lines {
                out.push_str(&format!(
                    "    {}: {} -> {}. {}\n",
                    l.label,
                    usd(l.document_usd),
                    usd(l.today_usd),
                    l.why
                ));
            }
        }
    }
}

/// A unit price: cents for prices of a dollar or more, else up to 6 significant decimals.
fn usd_unit(v: f64) -> String {
    if v.abs() >= 1.0 {
        usd(v)
    } else {
        let s = format!("{v:.6}");
        format!("${}", s.trim_end_matches('0').trim_end_matches('.'))
    }
}

/// The lines below the list total.
fn bill_text(b: &Bill) -> String {
    let mut out = format!("\n  List total (on-demand)  {}\n", usd(b.list_total_usd));
    if b.commitments_usd > 0.0 {
        out.push_str(&format!("  Commitments             -{}\n", usd(b.commitments_usd)));
        out.push_str(&format!("  Total with commitments  {}\n", usd(b.total_usd)));
    }
    if b.discount_usd > 0.0 {
        out.push_str(&format!(
            "  Negotiated discount {}%  -{}\n",
            crate::model::display::tidy(b.discount_percent),
            usd(b.discount_usd)
        ));
    }
    if b.credits_usd > 0.0 {
        out.push_str(&format!("  Credits                 -{}\n", usd(b.credits_usd)));
    }
    if b.discount_usd > 0.0 || b.credits_usd > 0.0 {
        out.push_str(&format!("  The account pays        {}\n", usd(b.after_discounts_usd)));
    }
    out
}

/// The commitment table: the Savings Plan sized on the simulation, the reserved nodes.
fn commitments_text(c: &Commitments) -> String {
    let mut out = String::from("\nCommitments (No Upfront)\n");
    for sp in [&c.savings_plan, &c.savings_plan_other_term].into_iter().flatten() {
        out.push_str(&format!(
            "  Fargate Compute Savings Plan {}y: commit {}/hour, saves {} a month ({} instead \
             of {} on-demand); pays back above {:.0}% use, {:.0}% used; {}\n",
            sp.term_years,
            usd_unit(sp.hourly_commitment_usd),
            usd(sp.monthly_saving_usd),
            usd(sp.monthly_cost_usd),
            usd(sp.monthly_on_demand_usd),
            sp.break_even_utilisation * 100.0,
            sp.utilisation * 100.0,
            sp.rates_source
        ));
    }
    for r in &c.reserved {
        let verdict = if !r.pays_back {
            "does not pay back: stays on-demand".to_string()
        } else {
            format!(
                "saves {} a month, {} a year; pays back after {:.1} months",
                usd(r.monthly_saving_usd),
                usd(r.yearly_saving_usd),
                r.months_to_break_even
            )
        };
        let chosen = if r.chosen { " [chosen]" } else { "" };
        let estimated = if r.estimated { " (estimate: Redis OSS reserved row)" } else { "" };
        out.push_str(&format!(
            "  Reserved 1y {}: {} -> {}/hour{chosen}; {verdict}; {}{estimated}\n",
            r.item,
            usd_unit(r.on_demand_hourly_usd),
            usd_unit(r.hourly_rate_usd),
            r.source
        ));
    }
    out.push_str(&format!(
        "  chosen commitments save {} a month; all that pay back would save {}\n",
        usd(c.chosen_monthly_saving_usd),
        usd(c.available_monthly_saving_usd)
    ));
    out
}

/// Every cost line with its quantity, unit price, total and the price's source.
fn cost_lines_text(p: &Plan) -> String {
    let mut out = String::new();
    out.push_str("\nCost lines\n");
    let width = p.cost_lines.iter().map(|l| l.item.chars().count()).max().unwrap_or(0);
    for l in &p.cost_lines {
        let note = if l.overridden {
            "  (your price)"
        } else if !l.confirmed {
            "  (assumption)"
        } else {
            ""
        };
        // "2500 x 1,000 requests" when the unit is itself a count.
        let times = if l.unit.starts_with(|c: char| c.is_ascii_digit()) { " x" } else { "" };
        out.push_str(&format!(
            "  {:<19} {:<width$}  {}{times} {} at {} = {}{note}\n",
            l.component.label(),
            l.item,
            quantity(l.quantity),
            l.unit,
            usd_unit(l.unit_price_usd),
            usd(l.monthly_usd),
        ));
        match &l.rate_code {
            Some(code) => out.push_str(&format!("      price: {}, rate code {code}\n", l.source)),
            None => out.push_str(&format!("      price: {}\n", l.source)),
        }
    }
    out
}
