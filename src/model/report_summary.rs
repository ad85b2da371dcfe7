//! The report's summary beside the monthly total: what the account pays with the scenario's
//! commitments (the commitments panel's bill, `commit`) and what the growth path spends over
//! its first 12 and 24 months (the growth panel's "to date" column, `growth::roadmap`). The
//! page's headline, its printed report and `scaling-plan plan --format text` read these
//! figures; none of them computes one.

use super::catalog::Catalog;
use super::commit::{self, Pricing};
use super::growth::roadmap;
use super::scenario::Scenario;
use serde::Serialize;

/// What the account pays a month with the scenario's pricing choices, as the commitments
/// panel's bill shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CommittedPrice {
    /// The plan's total at list (on-demand) prices.
    pub list_usd: f64,
    /// After the chosen commitments, the negotiated discount and the credits ("The account
    /// pays").
    pub pays_usd: f64,
    /// What the chosen commitments take off (0 when none is chosen).
    pub chosen_saving_usd: f64,
    /// What every commitment that pays back would take off (1-year Savings Plan and every
    /// reserved node that pays back).
    pub available_saving_usd: f64,
}

/// The growth path's spend over its first months (list prices, month 0 is today's plan).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GrowthTotals {
    /// The compound monthly rate the path uses (entered, or derived from a target peak).
    pub monthly_rate: f64,
    pub horizon_months: u32,
    /// Months 0 through 11: `None` when the horizon is shorter.
    pub first_12_usd: Option<f64>,
    /// Months 0 through 23: `None` when the horizon is shorter.
    pub first_24_usd: Option<f64>,
}

/// The figures the report's summary carries next to the monthly total.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportSummary {
    pub committed: CommittedPrice,
    pub growth: GrowthTotals,
}

/// The committed price and the growth totals of a scenario (its own pricing choices,
/// discounts and growth inputs).
pub fn report_summary(s: &Scenario, catalog: &Catalog) -> ReportSummary {
    ReportSummary { committed: committed_price(s, catalog), growth: growth_totals(s, catalog) }
}

/// The commitments panel's bill: the scenario's choices, discounts and credits.
pub fn committed_price(s: &Scenario, catalog: &Catalog) -> CommittedPrice {
    let (c, bill) = commit::scenario_bill(s, catalog, Pricing::Committed);
    CommittedPrice {
        list_usd: bill.list_total_usd,
        pays_usd: bill.after_discounts_usd,
        chosen_saving_usd: bill.commitments_usd,
        available_saving_usd: c.available_monthly_saving_usd,
    }
}

/// The path of the scenario's growth inputs, summed over its first 12 and 24 months.
pub fn growth_totals(s: &Scenario, catalog: &Catalog) -> GrowthTotals {
    let r = roadmap(s, &s.growth, catalog);
    // `cumulative_usd` of month m is the spend of months 0..=m, the panel's "to date".
    let through = |months: usize| r.months.get(months - 1).map(|m| m.cumulative_usd);
    GrowthTotals {
        monthly_rate: r.monthly_rate,
        horizon_months: r.horizon_months,
        first_12_usd: through(12),
        first_24_usd: through(24),
    }
}

impl ReportSummary {
    /// The summary's lines in words, as the CLI prints them and the page says them.
    pub fn lines(&self) -> [String; 2] {
        use super::display::usd;
        let c = &self.committed;
        let committed = if c.chosen_saving_usd > 0.0 || c.pays_usd < c.list_usd {
            format!(
                "with commitments the account pays {} a month (the chosen commitments, discount \
                 and credits off the list {})",
                usd(c.pays_usd),
                usd(c.list_usd)
            )
        } else {
            format!(
                "with commitments: none chosen, so the account pays the list {} a month; every \
                 commitment that pays back would save {} a month",
                usd(c.pays_usd),
                usd(c.available_saving_usd)
            )
        };
        let g = &self.growth;
        let spend = |n: u32, v: Option<f64>| match v {
            Some(v) => format!("{} over {n} months", usd(v)),
            None => format!("{n} months is past the path's {}-month horizon", g.horizon_months),
        };
        let growth = format!(
            "growth path at {:.1}% a month: {}, {}",
            g.monthly_rate * 100.0,
            spend(12, g.first_12_usd),
            spend(24, g.first_24_usd)
        );
        [committed, growth]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::commit::{FargatePricing, NodePricing, PricingChoice};
    use crate::model::growth::GrowthEdit;
    use crate::model::Tier;

    /// Flat traffic (the default growth): every month is today's plan, so 12 and 24 months
    /// are 12 and 24 times the list total (worked: the path holds month 0's configuration).
    #[test]
    fn flat_growth_is_months_times_the_list_total() {
        let c = Catalog::embedded();
        let s = Tier::Medium.scenario();
        let r = report_summary(&s, &c);
        let total = crate::model::plan(&s, &c).monthly_total_usd;
        assert_eq!(r.committed.list_usd, total);
        let close = |a: Option<f64>, b: f64| (a.unwrap() - b).abs() < 1e-6 * b;
        assert!(close(r.growth.first_12_usd, 12.0 * total), "{:?}", r.growth);
        assert!(close(r.growth.first_24_usd, 24.0 * total), "{:?}", r.growth);
        // No commitment chosen, no discount: the account pays the list total.
        assert_eq!(r.committed.pays_usd, total);
        assert_eq!(r.committed.chosen_saving_usd, 0.0);
        assert!(r.committed.available_saving_usd > 0.0);
        assert!(r.lines()[0].contains("none chosen"), "{}", r.lines()[0]);
    }

    /// The figures are the panels' own: the bill's "account pays" with the chosen
    /// commitments, and the path's "to date" at months 11 and 23; a horizon under 24 months
    /// has no 24-month total.
    #[test]
    fn figures_are_the_panels_own() {
        let c = Catalog::embedded();
        let mut s = Tier::Medium.scenario();
        s.pricing = PricingChoice {
            database: NodePricing::Reserved1y,
            cache: NodePricing::Reserved1y,
            fargate: FargatePricing::SavingsPlan1y,
        };
        s.growth = s.growth.edited(GrowthEdit::RatePct(10.0)).unwrap();
        let r = report_summary(&s, &c);
        let (_, bill) = commit::scenario_bill(&s, &c, Pricing::Committed);
        assert_eq!(r.committed.pays_usd, bill.after_discounts_usd);
        assert!(r.committed.pays_usd < r.committed.list_usd);
        let path = roadmap(&s, &s.growth, &c);
        assert_eq!(r.growth.first_12_usd, Some(path.months[11].cumulative_usd));
        assert_eq!(r.growth.first_24_usd, Some(path.months[23].cumulative_usd));
        assert_eq!(r.growth.first_24_usd, Some(path.total_usd));
        assert!(r.lines()[1].starts_with("growth path at 10.0% a month: $"), "{}", r.lines()[1]);
        s.growth = s.growth.edited(GrowthEdit::Horizon(18)).unwrap();
        let short = growth_totals(&s, &c);
        assert!(short.first_12_usd.is_some());
        assert_eq!(short.first_24_usd, None);
    }
}
