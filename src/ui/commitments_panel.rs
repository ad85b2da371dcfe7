//! The commitments panel: how each component is paid for (choices kept in the scenario, so in
//! its link), the Savings Plan sized on the simulation (its curve), the reserved nodes, and
//! the bill below the list total (commitments, negotiated discount, credits). Every figure is
//! the model's (`model::commit`); this file only lays them out.

use super::charts::{self, Chart};
use super::format::usd;
use super::{catalog, AppState};
use crate::model::commit::{
    self, Bill, Commitments, FargatePricing, NodePricing, Pricing, PricingChoice, SavingsPlan,
};
use crate::model::scenario::{Edit, Scenario};
use leptos::prelude::*;

const SP_CHART_LABEL: &str = "Monthly Fargate cost against the Savings Plan's hourly commitment";

/// An hourly rate as the catalog has it.
fn rate(usd: f64) -> String {
    format!("${}", crate::model::display::tidy(usd))
}

/// The commitments table and the bill at both pricings, from one scenario.
#[derive(Clone, PartialEq)]
struct Figures {
    scenario: Scenario,
    commitments: Commitments,
    on_demand: Bill,
    committed: Bill,
}

fn figures(s: &Scenario) -> Figures {
    let catalog = catalog();
    let p = crate::model::plan(s, catalog);
    let commitments = commit::commitments(&p, s, catalog, s.pricing);
    Figures {
        scenario: s.clone(),
        on_demand: commit::bill(&p, &s.discounts, &commitments, Pricing::OnDemand),
        committed: commit::bill(&p, &s.discounts, &commitments, Pricing::Committed),
        commitments,
    }
}

/// What the baseline's account pays with its own commitments, beside this one's: a tier at
/// the scenario's region, prices and pricing; a saved scenario as it was saved.
fn baseline_pays(state: AppState, figures: ReadSignal<Figures>) -> Memo<Option<(String, f64)>> {
    Memo::new(move |_| {
        let base = state.baseline.get()?;
        let s = figures.with(|f| match &base {
            super::Baseline::Tier(t) => t.scenario_like(&f.scenario),
            super::Baseline::TierAtMyTraffic(t) => t.at_traffic_of(&f.scenario),
            super::Baseline::Saved(_, s) => (**s).clone(),
        });
        let (_, bill) = commit::scenario_bill(&s, catalog(), Pricing::Committed);
        Some((base.name(), bill.after_discounts_usd))
    })
}

#[component]
pub fn CommitmentsPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    // The Savings Plan runs the simulation again (hour by hour): once the slider pauses.
    let figures = super::settled(state, figures);
    let baseline = baseline_pays(state, figures);
    let sp = move || figures.with(|f| f.commitments.savings_plan.clone());
    let vs_baseline = move || {
        let (name, theirs) = baseline.get()?;
        let ours = figures.with(|f| f.committed.after_discounts_usd);
        let d = crate::model::compare::Delta::between(ours, theirs);
        Some(format!("Against {name} (with its commitments): {}", super::format::delta(&d)))
    };
    view! {
        <section class="commitments" aria-labelledby="commit-h">
            <h2 id="commit-h">"Commitments and what the account pays"</h2>
            {choices(state)}
            {discounts(state)}
            {move || figures.with(|f| bill_table(&f.on_demand, &f.committed))}
            <p id="bill-vs">{vs_baseline}</p>
            {move || {
                sp()
                    .map(|plan| {
                        let summary = savings_plan_text(&plan);
                        view! {
                            <Chart
                                id="chart-savings-plan"
                                label=SP_CHART_LABEL
                                legend=charts::savings_plan_legend()
                                draw=move |root| charts::draw_savings_plan(root, &plan)
                            />
                            <p id="sp-summary">{summary}</p>
                        }
                    })
            }}
            {move || figures.with(|f| reserved_table(&f.commitments))}
        </section>
    }
}

/// The three pricing choices; each change goes through `Scenario::apply`.
fn choices(state: AppState) -> impl IntoView {
    let choice = move || state.scenario.with(|s| s.pricing);
    let set = move |f: fn(&mut PricingChoice, &str), value: String| {
        let mut next = state.scenario.with_untracked(|s| s.pricing);
        f(&mut next, &value);
        state.apply_or_explain(Edit::Pricing(next));
    };
    const NODE: &[(&str, &str)] =
        &[("on_demand", "on-demand"), ("reserved_1y", "reserved 1 year, No Upfront")];
    const FARGATE: &[(&str, &str)] = &[
        ("on_demand", "on-demand"),
        ("sp_1y", "Compute Savings Plan 1 year, No Upfront"),
        ("sp_3y", "Compute Savings Plan 3 years, No Upfront"),
    ];
    view! {
        <div class="pricing-choices">
            {pricing_select(
                ("pricing-database", "Database "),
                NODE,
                move || node_value(choice().database),
                move |v| set(|c, v| c.database = node(v), v),
            )}
            {pricing_select(
                ("pricing-cache", "Cache "),
                NODE,
                move || node_value(choice().cache),
                move |v| set(|c, v| c.cache = node(v), v),
            )}
            {pricing_select(
                ("pricing-fargate", "Fargate "),
                FARGATE,
                move || fargate_value(choice().fargate),
                move |v| set(|c, v| c.fargate = fargate(v), v),
            )}
        </div>
    }
}

/// One labelled select of a pricing choice: its (value, text) options, the value chosen now,
/// and what choosing another does.
fn pricing_select(
    (id, label): (&'static str, &'static str),
    options: &'static [(&'static str, &'static str)],
    value: impl Fn() -> &'static str + Send + Sync + 'static,
    pick: impl Fn(String) + 'static,
) -> impl IntoView {
    view! {
        <label>
            {label}
            <select id=id prop:value=value on:change=move |ev| pick(event_target_value(&ev))>
                {options
                    .iter()
                    .map(|(v, text)| view! { <option value=*v>{*text}</option> })
                    .collect_view()}
            </select>
        </label>
    }
}

fn node(v: &str) -> NodePricing {
    if v == "reserved_1y" {
        NodePricing::Reserved1y
    } else {
        NodePricing::OnDemand
    }
}

fn node_value(p: NodePricing) -> &'static str {
    match p {
        NodePricing::OnDemand => "on_demand",
        NodePricing::Reserved1y => "reserved_1y",
    }
}

fn fargate(v: &str) -> FargatePricing {
    match v {
        "sp_1y" => FargatePricing::SavingsPlan1y,
        "sp_3y" => FargatePricing::SavingsPlan3y,
        _ => FargatePricing::OnDemand,
    }
}

fn fargate_value(p: FargatePricing) -> &'static str {
    match p {
        FargatePricing::OnDemand => "on_demand",
        FargatePricing::SavingsPlan1y => "sp_1y",
        FargatePricing::SavingsPlan3y => "sp_3y",
    }
}

/// The negotiated discount and credits, with the refusal beside the input.
fn discounts(state: AppState) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let apply = move |edit: Edit| match state.apply(edit) {
        Ok(()) => error.set(None),
        Err(e) => error.set(Some(format!("{} (unchanged)", e.message()))),
    };
    let d = move || state.scenario.with(|s| s.discounts);
    // A number goes through `Scenario::apply`; anything else is refused beside the input.
    let number = move |ev: leptos::ev::Event, edit: fn(f64) -> Edit, what: &'static str| {
        match event_target_value(&ev).parse::<f64>() {
            Ok(v) => apply(edit(v)),
            Err(_) => error.set(Some(format!("{what} must be a number"))),
        }
    };
    let on_discount = move |ev| number(ev, Edit::DiscountPercent, "the discount");
    let on_credits = move |ev| number(ev, Edit::CreditsPerMonth, "credits");
    view! {
        <div class="discounts">
            <label>
                "Negotiated discount (% off the total) "
                <input
                    type="number"
                    id="discount-pct"
                    min="0"
                    max="100"
                    step="1"
                    prop:value=move || crate::model::display::tidy(d().negotiated_percent)
                    on:change=on_discount
                />
            </label>
            <label>
                "Promotional credits (USD a month) "
                <input
                    type="number"
                    id="credits-month"
                    min="0"
                    step="10"
                    prop:value=move || crate::model::display::tidy(d().credits_usd_month)
                    on:change=on_credits
                />
            </label>
            <label>
                <input
                    type="checkbox"
                    id="budget-after-discounts"
                    prop:checked=move || d().budget_after_discounts
                    on:change=move |ev| apply(Edit::BudgetAfterDiscounts(event_target_checked(&ev)))
                />
                " The exported budget uses the total after the discount and credits"
            </label>
            <span class="field-error" role="alert" id="discount-error">
                {move || error.get()}
            </span>
        </div>
    }
}

/// The list total, then what the chosen commitments, the discount and the credits take off.
fn bill_table(on_demand: &Bill, committed: &Bill) -> impl IntoView {
    let mut rows = vec![("List total (on-demand prices)", usd(on_demand.list_total_usd))];
    if committed.commitments_usd > 0.0 {
        rows.push(("Chosen commitments", format!("−{}", usd(committed.commitments_usd))));
        rows.push(("Total with commitments", usd(committed.total_usd)));
    }
    if committed.discount_usd > 0.0 {
        rows.push(("Negotiated discount", format!("−{}", usd(committed.discount_usd))));
    }
    if committed.credits_usd > 0.0 {
        rows.push(("Credits", format!("−{}", usd(committed.credits_usd))));
    }
    rows.push(("The account pays", usd(committed.after_discounts_usd)));
    view! {
        <table class="bill" id="bill">
            <caption>"Below the list total: never folded into unit prices"</caption>
            <tbody>
                {rows
                    .into_iter()
                    .map(|(label, v)| {
                        view! {
                            <tr>
                                <th scope="row">{label}</th>
                                <td class="n">{v}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}

fn savings_plan_text(sp: &SavingsPlan) -> String {
    let estimate = if sp.estimated { " (an estimate)" } else { "" };
    format!(
        "Commit {}/hour for {} year{}: {} a month instead of {} on-demand, {} saved{estimate}. \
         A committed dollar pays back only if the fleet uses it {:.0}% of the hours; at this \
         commitment it is used {:.0}%. Rates: {}.",
        crate::model::display::usd(sp.hourly_commitment_usd),
        sp.term_years,
        if sp.term_years == 1 { "" } else { "s" },
        usd(sp.monthly_cost_usd),
        usd(sp.monthly_on_demand_usd),
        usd(sp.monthly_saving_usd),
        sp.break_even_utilisation * 100.0,
        sp.utilisation * 100.0,
        sp.rates_source
    )
}

/// The always-on nodes: on-demand and reserved rates, saving, months to break even.
fn reserved_table(c: &Commitments) -> impl IntoView {
    let rows = c
        .reserved
        .iter()
        .map(|r| {
            let saving = if r.pays_back {
                let (month, year) = (usd(r.monthly_saving_usd), usd(r.yearly_saving_usd));
                format!("{month} a month, {year} a year")
            } else {
                "does not pay back: stays on-demand".to_string()
            };
            let source = if r.estimated {
                format!("{} (estimate: the Redis OSS reserved row)", r.source)
            } else {
                r.source.clone()
            };
            view! {
                <tr class:chosen=r.chosen>
                    <td>{r.item.clone()}</td>
                    <td class="n">{rate(r.on_demand_hourly_usd)}</td>
                    <td class="n">{rate(r.hourly_rate_usd)}</td>
                    <td class="n">{saving}</td>
                    <td class="n">{format!("{:.1}", r.months_to_break_even)}</td>
                    <td title=r.rate_code.clone()>{source}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="reserved" id="reserved">
            <caption>"Reserved 1 year, No Upfront: the always-on nodes"</caption>
            <thead>
                <tr>
                    <th scope="col">"Node"</th>
                    <th scope="col" class="n">"On-demand /h"</th>
                    <th scope="col" class="n">"Reserved /h"</th>
                    <th scope="col" class="n">"Saving"</th>
                    <th scope="col" class="n">"Months to break even"</th>
                    <th scope="col">"Rate"</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
        <p>
            {format!(
                "Chosen commitments save {} a month; every commitment that pays back would \
                 save {}.",
                usd(c.chosen_monthly_saving_usd),
                usd(c.available_monthly_saving_usd),
            )}
        </p>
    }
}
