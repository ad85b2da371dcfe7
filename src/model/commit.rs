//! Commitments: what a 1- or 3-year commitment saves on the plan's own fleet.
//!
//! * Always-on nodes (database primary or Multi-AZ pair, read replicas, cache nodes): reserved
//!   1 year, No Upfront, at the feed's effective hourly rate for the region
//!   (<https://aws.amazon.com/rds/reserved-instances/>,
//!   <https://aws.amazon.com/elasticache/reserved-cache-nodes/>).
//! * Fargate: a Compute Savings Plan, 1 or 3 years, No Upfront. It bills an hourly commitment
//!   (in dollars at Savings Plan rates) whether used or not; usage beyond it is on-demand
//!   (<https://docs.aws.amazon.com/savingsplans/latest/userguide/sp-applying.html>). The
//!   commitment is sized on the simulation's hourly fleet: the one that minimises the month.
//!
//! Pure: reads a `Plan`, the scenario and the catalog; no I/O.

use super::catalog::{Catalog, PriceOrigin};
use super::plan::{Component, Plan};
use super::price_key::PriceKey;
use super::scenario::{LaunchType, Scenario};
use serde::{Deserialize, Serialize};

/// How an always-on node (RDS instance, ElastiCache node) is paid for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NodePricing {
    #[default]
    OnDemand,
    /// Reserved 1 year, No Upfront.
    Reserved1y,
}

/// How Fargate is paid for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FargatePricing {
    #[default]
    OnDemand,
    /// Compute Savings Plan, 1 year, No Upfront.
    SavingsPlan1y,
    /// Compute Savings Plan, 3 years, No Upfront.
    SavingsPlan3y,
}

impl FargatePricing {
    pub fn term_years(self) -> Option<u8> {
        match self {
            FargatePricing::OnDemand => None,
            FargatePricing::SavingsPlan1y => Some(1),
            FargatePricing::SavingsPlan3y => Some(3),
        }
    }
}

/// The pricing chosen per component (kept in the scenario; on-demand unless chosen).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PricingChoice {
    pub database: NodePricing,
    pub cache: NodePricing,
    pub fargate: FargatePricing,
}

impl PricingChoice {
    pub fn is_on_demand(&self) -> bool {
        *self == PricingChoice::default()
    }

    /// Every commitment that pays back: reserved nodes where a row saves, the 1-year Savings
    /// Plan where it saves. What `--pricing committed` uses when the scenario chose none.
    pub fn recommended(c: &Commitments) -> PricingChoice {
        let pays = |component: Component| {
            c.reserved.iter().any(|r| r.component == component && r.pays_back)
        };
        let node = |yes: bool| if yes { NodePricing::Reserved1y } else { NodePricing::OnDemand };
        let one_year = [&c.savings_plan, &c.savings_plan_other_term]
            .into_iter()
            .flatten()
            .any(|p| p.term_years == 1 && p.monthly_saving_usd > 0.0);
        PricingChoice {
            database: node(pays(Component::Database)),
            cache: node(pays(Component::Cache)),
            fargate: if one_year {
                FargatePricing::SavingsPlan1y
            } else {
                FargatePricing::OnDemand
            },
        }
    }
}

/// Which total a figure follows: the list (on-demand) prices, or the chosen commitments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Pricing {
    #[default]
    OnDemand,
    Committed,
}

impl Pricing {
    pub fn parse(text: &str) -> Option<Pricing> {
        match text {
            "on-demand" => Some(Pricing::OnDemand),
            "committed" => Some(Pricing::Committed),
            _ => None,
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Pricing::OnDemand => "on-demand (list prices)",
            Pricing::Committed => "with commitments",
        }
    }
}

/// One point of the Savings Plan curve: the month's Fargate cost at an hourly commitment.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CurvePoint {
    pub hourly_commitment_usd: f64,
    pub monthly_cost_usd: f64,
}

/// The Savings Plan sized on the simulated hourly fleet.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SavingsPlan {
    pub term_years: u8,
    /// Savings Plan rate / on-demand rate for the task's size and architecture.
    pub rate_ratio: f64,
    /// The commitment that minimises the month (dollars per hour at Savings Plan rates).
    pub hourly_commitment_usd: f64,
    /// On-demand Fargate (vCPU + memory, not Spot, not ephemeral storage) for the month.
    pub monthly_on_demand_usd: f64,
    /// The same usage with the commitment: committed dollars plus the rest on-demand.
    pub monthly_cost_usd: f64,
    pub monthly_saving_usd: f64,
    /// A committed dollar pays back only in hours it is used: at least this share of hours.
    pub break_even_utilisation: f64,
    /// Share of the committed dollars the fleet uses at the optimum.
    pub utilisation: f64,
    /// Months of the term after which the commitment has cost what on-demand would have for
    /// the same usage (term months x cost with the plan / cost on-demand).
    pub months_to_break_even: f64,
    /// The rates outside us-east-1 are us-east-1's discount applied to the region's prices.
    pub estimated: bool,
    /// Where the Savings Plan rates come from, in words.
    pub rates_source: String,
    pub curve: Vec<CurvePoint>,
}

/// One always-on node line of the plan, reserved.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReservedRow {
    pub component: Component,
    pub item: String,
    pub price_key: PriceKey,
    /// Nodes (instances) the line bills all month.
    pub nodes: f64,
    pub on_demand_hourly_usd: f64,
    pub hourly_rate_usd: f64,
    pub monthly_saving_usd: f64,
    pub yearly_saving_usd: f64,
    /// Months of use after which the 12 months committed have cost less than on-demand.
    pub months_to_break_even: f64,
    /// false: the reserved rate is not below on-demand: never counted as a saving.
    pub pays_back: bool,
    /// The scenario chose reserved pricing for this component.
    pub chosen: bool,
    /// The rate is not the node's own row (Valkey takes the Redis OSS reserved row).
    pub estimated: bool,
    pub rate_code: String,
    pub source: String,
}

/// Everything the plan's commitments table shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Commitments {
    pub choice: PricingChoice,
    /// Sized for the chosen term, or for 1 year when on-demand is chosen (what it would save).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub savings_plan: Option<SavingsPlan>,
    /// The 3-year plan beside the 1-year one (or the other way round).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub savings_plan_other_term: Option<SavingsPlan>,
    pub reserved: Vec<ReservedRow>,
    /// What the chosen commitments save a month (only those that pay back).
    pub chosen_monthly_saving_usd: f64,
    /// What every commitment that pays back would save (reserved nodes + 1-year plan).
    pub available_monthly_saving_usd: f64,
}

/// The month's cost of `hourly_on_demand` usage (one value per hour of the period, scaled to a
/// month by `month_scale`) with a commitment of `commitment` dollars per hour at Savings Plan
/// rates (`ratio` = Savings Plan rate / on-demand rate).
pub fn savings_plan_cost(
    hourly_on_demand: &[f64],
    ratio: f64,
    month_scale: f64,
    commitment: f64,
) -> f64 {
    let per_period: f64 = hourly_on_demand.iter().fold(0.0, |sum, &o| {
        let at_plan_rates = o * ratio;
        let uncovered = (at_plan_rates - commitment).max(0.0);
        sum + commitment + if ratio > 0.0 { uncovered / ratio } else { o }
    });
    per_period * month_scale
}

/// The commitment minimising `savings_plan_cost`. The cost is convex and piecewise linear in
/// the commitment with its corners at the hours' spend at plan rates, so the least of them
/// (and of no commitment) is the minimum; ties keep the smaller commitment.
pub fn optimal_commitment(hourly_on_demand: &[f64], ratio: f64, month_scale: f64) -> f64 {
    let mut candidates: Vec<f64> = hourly_on_demand.iter().map(|o| o * ratio).collect();
    candidates.push(0.0);
    candidates.sort_by(f64::total_cmp);
    candidates.dedup();
    let mut best = (0.0, savings_plan_cost(hourly_on_demand, ratio, month_scale, 0.0));
    for c in candidates {
        let cost = savings_plan_cost(hourly_on_demand, ratio, month_scale, c);
        if cost < best.1 - 1e-9 {
            best = (c, cost);
        }
    }
    best.0
}

/// Sizes a Savings Plan on an hourly on-demand spend (the period's hours).
pub fn size_savings_plan(
    hourly_on_demand: &[f64],
    ratio: f64,
    month_scale: f64,
    term_years: u8,
) -> SavingsPlan {
    let ratio = if ratio.is_finite() { ratio.clamp(0.0, 1.0) } else { 1.0 };
    let on_demand: f64 = hourly_on_demand.iter().fold(0.0, |sum, o| sum + o) * month_scale;
    let c = optimal_commitment(hourly_on_demand, ratio, month_scale);
    let cost = savings_plan_cost(hourly_on_demand, ratio, month_scale, c);
    let used: f64 = hourly_on_demand.iter().fold(0.0, |sum, o| sum + (o * ratio).min(c));
    let hours = hourly_on_demand.len() as f64;
    let top = hourly_on_demand.iter().fold(0.0_f64, |m, o| m.max(o * ratio));
    let steps = 40;
    let curve = (0..=steps)
        .map(|i| {
            let x = top * i as f64 / steps as f64;
            CurvePoint {
                hourly_commitment_usd: x,
                monthly_cost_usd: savings_plan_cost(hourly_on_demand, ratio, month_scale, x),
            }
        })
        .collect();
    let term_months = 12.0 * term_years as f64;
    SavingsPlan {
        term_years,
        rate_ratio: ratio,
        hourly_commitment_usd: c,
        monthly_on_demand_usd: on_demand,
        monthly_cost_usd: cost,
        monthly_saving_usd: (on_demand - cost).max(0.0),
        break_even_utilisation: ratio,
        utilisation: if c > 0.0 && hours > 0.0 { used / (c * hours) } else { 0.0 },
        months_to_break_even: if on_demand > 0.0 { term_months * cost / on_demand } else { 0.0 },
        estimated: false,
        rates_source: String::new(),
        curve,
    }
}

/// Fargate's on-demand spend per hour of the simulated period: the on-demand (not Spot) share
/// of the tasks running each hour, at the region's vCPU and memory prices.
pub fn fargate_hourly_on_demand(s: &Scenario, catalog: &Catalog) -> Vec<f64> {
    let od = |key: PriceKey| catalog.price(&s.region, &key, &s.price_overrides).usd;
    let arch = s.backend.arch;
    let task_hour = s.task_vcpu() * od(PriceKey::FargateVcpuHour(arch))
        + s.task_memory_gb() * od(PriceKey::FargateGbHour(arch));
    let on_demand_share = 1.0 - s.backend.spot_share.clamp(0.0, 1.0);
    super::simulate::hourly_tasks(s)
        .into_iter()
        .map(|tasks| tasks * on_demand_share * task_hour)
        .collect()
}

/// The Savings Plan rate over the on-demand rate for one task of the scenario, from the
/// us-east-1 rates (the only ones at hand), and where they come from.
fn savings_plan_ratio(s: &Scenario, catalog: &Catalog, years: u8) -> (f64, String) {
    let p = |key: PriceKey| catalog.price("us-east-1", &key, &s.price_overrides).usd;
    let arch = s.backend.arch;
    let (v, g) = (s.task_vcpu(), s.task_memory_gb());
    let od = v * p(PriceKey::FargateVcpuHour(arch)) + g * p(PriceKey::FargateGbHour(arch));
    let sp = v * p(PriceKey::FargateSpVcpuHour(arch, years))
        + g * p(PriceKey::FargateSpGbHour(arch, years));
    let origin =
        catalog.origin("us-east-1", &PriceKey::FargateSpVcpuHour(arch, years), &s.price_overrides);
    let ratio = if od > 0.0 { sp / od } else { 1.0 };
    (ratio, origin.words())
}

/// The Fargate Savings Plan for a term, sized on the scenario's simulated fleet; `None` on
/// the EC2 launch type.
pub fn fargate_savings_plan(s: &Scenario, catalog: &Catalog, years: u8) -> Option<SavingsPlan> {
    let hourly = fargate_hourly_on_demand(s, catalog);
    savings_plan_on(&hourly, s, catalog, years)
}

/// `fargate_savings_plan` on an hourly spend already simulated (both terms share it).
fn savings_plan_on(
    hourly: &[f64],
    s: &Scenario,
    catalog: &Catalog,
    years: u8,
) -> Option<SavingsPlan> {
    if s.backend.launch_type != LaunchType::Fargate || hourly.is_empty() {
        return None;
    }
    let (ratio, source) = savings_plan_ratio(s, catalog, years);
    let scale = catalog.hours_per_month / hourly.len() as f64;
    let mut plan = size_savings_plan(hourly, ratio, scale, years);
    plan.estimated = s.region != "us-east-1";
    plan.rates_source = if plan.estimated {
        format!(
            "estimated for {}: us-east-1's Savings Plan discount ({source}) on the region's \
             on-demand prices",
            s.region
        )
    } else {
        source
    };
    Some(plan)
}

/// The plan's always-on node lines with their reserved rates.
pub fn reserved_rows(
    plan: &Plan,
    s: &Scenario,
    catalog: &Catalog,
    choice: PricingChoice,
) -> Vec<ReservedRow> {
    let h = catalog.hours_per_month;
    plan.cost_lines
        .iter()
        .filter(|l| l.quantity > 0.0)
        .filter_map(|l| {
            let chosen = match &l.price_key {
                PriceKey::RdsHour(_) | PriceKey::RdsMultiAzHour(_) => {
                    choice.database == NodePricing::Reserved1y
                }
                PriceKey::CacheHour(..) => choice.cache == NodePricing::Reserved1y,
                _ => return None,
            };
            let (rate, estimated) = catalog.reserved(&s.region, &l.price_key)?;
            let nodes = l.quantity / h;
            let saving_hour = l.unit_price_usd - rate.usd;
            let pays_back = saving_hour > 0.0;
            let monthly = if pays_back { saving_hour * l.quantity } else { 0.0 };
            let origin = PriceOrigin::Listed {
                region: s.region.clone(),
                published: rate.published.clone(),
                rate_code: rate.rate_code.clone(),
                file: rate.offer.clone(),
            };
            Some(ReservedRow {
                component: l.component,
                item: l.item.clone(),
                price_key: l.price_key.clone(),
                nodes,
                on_demand_hourly_usd: l.unit_price_usd,
                hourly_rate_usd: rate.usd,
                monthly_saving_usd: monthly,
                yearly_saving_usd: monthly * 12.0,
                months_to_break_even: if l.unit_price_usd > 0.0 {
                    12.0 * rate.usd / l.unit_price_usd
                } else {
                    12.0
                },
                pays_back,
                chosen,
                estimated,
                rate_code: rate.rate_code.clone(),
                source: origin.words(),
            })
        })
        .collect()
}

/// The commitments table of a plan: the Savings Plan sized on its simulation, the reserved
/// rows, and what the chosen ones save (`choice`: the scenario's).
pub fn commitments(
    plan: &Plan,
    s: &Scenario,
    catalog: &Catalog,
    choice: PricingChoice,
) -> Commitments {
    let years = choice.fargate.term_years().unwrap_or(1);
    let hourly = if s.backend.launch_type == LaunchType::Fargate {
        fargate_hourly_on_demand(s, catalog)
    } else {
        Vec::new()
    };
    let savings_plan = savings_plan_on(&hourly, s, catalog, years);
    let other = savings_plan_on(&hourly, s, catalog, if years == 1 { 3 } else { 1 });
    let reserved = reserved_rows(plan, s, catalog, choice);
    let reserved_chosen: f64 =
        reserved.iter().filter(|r| r.chosen).fold(0.0, |sum, r| sum + r.monthly_saving_usd);
    // fold from 0.0: an empty f64 sum is -0.0, which the JSON would show.
    let reserved_all: f64 = reserved.iter().fold(0.0, |sum, r| sum + r.monthly_saving_usd);
    let sp_saving = savings_plan.as_ref().map_or(0.0, |p| p.monthly_saving_usd);
    let sp_1y =
        if years == 1 { sp_saving } else { other.as_ref().map_or(0.0, |p| p.monthly_saving_usd) };
    let sp_chosen = if choice.fargate.term_years().is_some() { sp_saving } else { 0.0 };
    Commitments {
        choice,
        savings_plan,
        savings_plan_other_term: other,
        reserved,
        chosen_monthly_saving_usd: reserved_chosen + sp_chosen,
        available_monthly_saving_usd: reserved_all + sp_1y,
    }
}

/// A scenario's commitments and bill at a pricing: the plan, its commitments table (the
/// scenario's choices) and what the account pays.
pub fn scenario_bill(s: &Scenario, catalog: &Catalog, pricing: Pricing) -> (Commitments, Bill) {
    let p = super::plan::plan(s, catalog);
    let c = commitments(&p, s, catalog, s.pricing);
    let b = bill(&p, &s.discounts, &c, pricing);
    (c, b)
}

/// Below the list total: what commitments, a negotiated discount and credits take off.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bill {
    pub pricing: Pricing,
    /// The plan's total at list (on-demand) prices.
    pub list_total_usd: f64,
    /// Saved by the chosen commitments (0 on-demand).
    pub commitments_usd: f64,
    /// The total the pricing gives: list, less the chosen commitments when committed.
    pub total_usd: f64,
    /// The negotiated discount's share off eligible spend, and what it takes off.
    pub discount_percent: f64,
    pub discount_usd: f64,
    pub credits_usd: f64,
    /// What the account pays after the discount and the credits (never below 0).
    pub after_discounts_usd: f64,
}

/// The bill below the list total. The negotiated discount applies to what is left after the
/// commitments (a private pricing discount applies to the net spend; commitments are already
/// discounted usage, so it is taken on the total the pricing gives).
pub fn bill(
    plan: &Plan,
    discounts: &Discounts,
    commitments: &Commitments,
    pricing: Pricing,
) -> Bill {
    let list = plan.monthly_total_usd;
    let committed = match pricing {
        Pricing::OnDemand => 0.0,
        Pricing::Committed => commitments.chosen_monthly_saving_usd.min(list),
    };
    let total = list - committed;
    let pct = discounts.negotiated_percent.clamp(0.0, 100.0);
    let discount = total * pct / 100.0;
    let credits = discounts.credits_usd_month.max(0.0).min(total - discount);
    Bill {
        pricing,
        list_total_usd: list,
        commitments_usd: committed,
        total_usd: total,
        discount_percent: pct,
        discount_usd: discount,
        credits_usd: credits,
        after_discounts_usd: (total - discount - credits).max(0.0),
    }
}

/// A negotiated discount and promotional credits (default none): their own lines below the
/// list total, never folded into unit prices.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Discounts {
    /// Percent off the monthly total (0-100).
    pub negotiated_percent: f64,
    /// Promotional credits per month, USD.
    pub credits_usd_month: f64,
    /// The exports' budget uses the total after discount and credits.
    pub budget_after_discounts: bool,
}

impl Discounts {
    pub fn is_none(&self) -> bool {
        *self == Discounts::default()
    }

    /// What the exported budget is set from: the list total, or, when the user says so, the
    /// list total less the negotiated discount and the credits. Commitments are not taken off
    /// (a budget should warn before usage outgrows them).
    pub fn budget_basis_usd(&self, list_total_usd: f64) -> f64 {
        if !self.budget_after_discounts {
            return list_total_usd;
        }
        let pct = self.negotiated_percent.clamp(0.0, 100.0);
        (list_total_usd * (1.0 - pct / 100.0) - self.credits_usd_month.max(0.0)).max(0.0)
    }
}

/// The commitment table and the bill below the list total as CSV (RFC 4180 quoting), written
/// after the cost lines.
pub fn commitments_csv(c: &Commitments, b: &Bill) -> String {
    let q = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    let tidy = super::display::tidy;
    let mut out = String::from(
        "\ncommitment,item,on_demand_hourly_usd,hourly_rate_usd,hourly_commitment_usd,\
         monthly_saving_usd,yearly_saving_usd,months_to_break_even,pays_back,chosen,estimated,\
         source\n",
    );
    for sp in [&c.savings_plan, &c.savings_plan_other_term].into_iter().flatten() {
        let chosen = c.choice.fargate.term_years() == Some(sp.term_years);
        out.push_str(&format!(
            "{},{},,,{},{:.2},{:.2},{},{},{chosen},{},{}\n",
            q(&format!("Compute Savings Plan {}y No Upfront", sp.term_years)),
            q("Fargate"),
            tidy(sp.hourly_commitment_usd),
            sp.monthly_saving_usd,
            sp.monthly_saving_usd * 12.0,
            format!("{:.1}", sp.months_to_break_even),
            sp.monthly_saving_usd > 0.0,
            sp.estimated,
            q(&sp.rates_source)
        ));
    }
    for r in &c.reserved {
        out.push_str(&format!(
            "{},{},{},{},,{:.2},{:.2},{},{},{},{},{}\n",
            q("Reserved 1y No Upfront"),
            q(&r.item),
            tidy(r.on_demand_hourly_usd),
            tidy(r.hourly_rate_usd),
            r.monthly_saving_usd,
            r.yearly_saving_usd,
            format!("{:.1}", r.months_to_break_even),
            r.pays_back,
            r.chosen,
            r.estimated,
            q(&format!("{}, rate code {}", r.source, r.rate_code))
        ));
    }
    out.push_str("\nbill,monthly_usd\n");
    for (label, v) in [
        ("List total (on-demand)", b.list_total_usd),
        ("Commitments", -b.commitments_usd),
        ("Total with the chosen commitments", b.total_usd),
        ("Negotiated discount", -b.discount_usd),
        ("Credits", -b.credits_usd),
        ("The account pays", b.after_discounts_usd),
    ] {
        out.push_str(&format!("{},{v:.2}\n", q(label)));
    }
    out
}
