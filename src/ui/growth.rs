//! The growth panel: the growth inputs (kept in the scenario and its link), the path's chart,
//! the stability rule, the table of changes and the CSV. The path is `model::growth::roadmap`;
//! this file formats it. It is computed only while the panel is in view (or printed), from the
//! scenario the sliders settled on.

use super::charts::Chart;
use super::format::usd;
use super::{browser, catalog, charts, AppState};
use crate::model::growth::{roadmap, Growth, GrowthEdit, GrowthTarget, Roadmap};
use crate::model::scenario::{Edit, Scenario};
use leptos::prelude::*;

/// A numeric growth input with its message at the field: a refused value is explained and the
/// scenario keeps its last valid one.
fn growth_input(
    id: String,
    label: &'static str,
    step: &'static str,
    value: impl Fn(&Growth) -> f64 + Send + Sync + 'static,
    edit: impl Fn(&Growth, f64) -> GrowthEdit + Send + Sync + 'static,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let error = RwSignal::new(None::<String>);
    let err_id = format!("e-{id}");
    let for_id = id.clone();
    let check = move |ev: leptos::ev::Event| match event_target_value(&ev).trim().parse::<f64>() {
        Ok(v) => {
            let e = state.scenario.with_untracked(|s| edit(&s.growth, v));
            match state.apply(Edit::Growth(e)) {
                Ok(()) => error.set(None),
                Err(e) => error.set(Some(e.message())),
            }
        }
        Err(_) => error.set(Some(format!("{} must be a number", label.trim()))),
    };
    view! {
        <div class="opt-field" class:invalid=move || error.with(|e| e.is_some())>
            <label for=for_id>{label}</label>
            <input
                type="number"
                id=id
                step=step
                aria-describedby=err_id.clone()
                aria-invalid=move || if error.with(|e| e.is_some()) { "true" } else { "false" }
                prop:value=move || state.scenario.with(|s| super::format::exact(value(&s.growth)))
                on:change=check
            />
            <p class="error" id=err_id role="status">
                {move || error.get()}
            </p>
        </div>
    }
}

/// A month count from a number field (out-of-range values reach the model's check, which
/// explains them).
fn whole(v: f64) -> u32 {
    v.round().clamp(0.0, 1000.0) as u32
}

/// Rate or target peak, horizon, and the targets each month must meet.
fn growth_inputs() -> impl IntoView {
    let state = expect_context::<AppState>();
    let has_target = move || state.scenario.with(|s| s.growth.target.is_some());
    let toggle = move |ev: leptos::ev::Event| {
        let on = event_target_checked(&ev);
        let edit = state.scenario.with_untracked(|s| {
            GrowthEdit::Target(on.then(|| GrowthTarget {
                peak_rps: (s.traffic.peak_rps * 2.0).max(1.0).round(),
                month: s.growth.horizon_months / 2,
            }))
        });
        state.apply_or_explain(Edit::Growth(edit));
    };
    view! {
        <div class="opt-controls growth-inputs">
            <label>
                <input
                    type="checkbox"
                    id="growth-use-target"
                    prop:checked=has_target
                    on:change=toggle
                />
                " Reach a target peak instead of a monthly rate"
            </label>
            {move || {
                if has_target() { target_inputs().into_any() } else { rate_input().into_any() }
            }}
            {growth_input("growth-horizon".into(), "Horizon (months, 6-36) ", "1",
                |g| g.horizon_months as f64, |_, v| GrowthEdit::Horizon(whole(v)))}
            {growth_input("growth-p95".into(), "p95 ceiling (ms) ", "1",
                |g| g.p95_ms, |_, v| GrowthEdit::P95Ms(v))}
            {growth_input("growth-headroom".into(), "Headroom at peak (%) ", "1",
                |g| g.headroom_pct, |_, v| GrowthEdit::HeadroomPct(v))}
            {growth_input("growth-budget".into(), "Budget ($/month, 0 = none) ", "10",
                |g| g.budget_usd, |_, v| GrowthEdit::BudgetUsd(v))}
        </div>
        {steps_inputs()}
    }
}

fn rate_input() -> impl IntoView {
    growth_input(
        "growth-rate".into(),
        "Monthly growth (%) ",
        "0.5",
        |g| (g.monthly_rate * 1000.0).round() / 10.0,
        |_, v| GrowthEdit::RatePct(v),
    )
}

fn target_inputs() -> impl IntoView {
    let peak = |g: &Growth| g.target.map_or(0.0, |t| t.peak_rps);
    let month = |g: &Growth| g.target.map_or(0.0, |t| t.month as f64);
    view! {
        {growth_input("growth-target-peak".into(), "Target peak (req/s) ", "1", peak, move |g, v| {
            GrowthEdit::Target(Some(GrowthTarget { peak_rps: v, month: month(g) as u32 }))
        })}
        {growth_input("growth-target-month".into(), "at month ", "1", month, move |g, v| {
            GrowthEdit::Target(Some(GrowthTarget { peak_rps: peak(g), month: whole(v) }))
        })}
    }
}

/// The one-off traffic steps (a launch, a campaign), each with its month and factor.
fn steps_inputs() -> impl IntoView {
    let state = expect_context::<AppState>();
    let count = move || state.scenario.with(|s| s.growth.steps.len());
    let rows = move || {
        (0..count())
            .map(|i| {
                let (month_id, factor_id) =
                    (format!("growth-step-{i}-month"), format!("growth-step-{i}-factor"));
                view! {
                    <div class="opt-controls growth-step">
                        {growth_input(month_id, "Traffic step at month ", "1",
                            move |g| g.steps.get(i).map_or(0.0, |s| s.month as f64),
                            move |_, v| GrowthEdit::StepMonth(i, whole(v)))}
                        {growth_input(factor_id, "multiplies traffic by ", "0.1",
                            move |g| g.steps.get(i).map_or(1.0, |s| s.factor),
                            move |_, v| GrowthEdit::StepFactor(i, v))}
                        <button on:click=move |_| {
                            state.apply_or_explain(Edit::Growth(GrowthEdit::RemoveStep(i)))
                        }>
                            "Remove"
                        </button>
                    </div>
                }
            })
            .collect_view()
    };
    view! {
        {rows}
        <button
            id="growth-add-step"
            // In braces: a bare `>=` would end the tag in `view!`.
            disabled=move || { count() >= crate::model::growth::MAX_STEPS }
            on:click=move |_| state.apply_or_explain(Edit::Growth(GrowthEdit::AddStep))
        >
            "Add a traffic step (a launch)"
        </button>
    }
}

/// The headline of the path: rate, the tiers it reaches, the spend.
fn summary(r: &Roadmap) -> String {
    let tiers: Vec<String> = r
        .tier_crossings
        .iter()
        .map(|c| match c.month {
            Some(m) => format!("{} ({:.0} req/s) at month {m}", c.tier.label(), c.peak_rps),
            None => format!("{} not within {} months", c.tier.label(), r.horizon_months),
        })
        .collect();
    let first = r.months.first().map_or(0.0, |m| m.monthly_usd);
    let last = r.months.last().map_or(0.0, |m| m.monthly_usd);
    format!(
        "{:.1}% a month: {}. {} over {} months ({} a month now, {} in month {}); {} change{}.",
        r.monthly_rate * 100.0,
        tiers.join(", "),
        usd(r.total_usd),
        r.horizon_months,
        usd(first),
        usd(last),
        r.months.len().saturating_sub(1),
        r.events.len(),
        if r.events.len() == 1 { "" } else { "s" },
    )
}

/// The changes, one row each, with the command or phase.
fn event_table(r: &Roadmap) -> impl IntoView {
    let rows = r
        .events
        .iter()
        .map(|e| {
            let command = r
                .months
                .get(e.month as usize)
                .map(|m| crate::roadmap::command(&e.what, &m.scenario))
                .unwrap_or_default();
            view! {
                <tr>
                    <td>{e.month}</td>
                    <td>{e.change.clone()}</td>
                    <td>{e.reason.clone()}</td>
                    <td>{e.downtime.clone()}</td>
                    <td>{format!("{} days", e.lead_time_days)}</td>
                    <td>
                        <span class="muted">{format!("Phase {} · ", e.phase)}</span>
                        <code>{command}</code>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table id="growth-events">
            <thead>
                <tr>
                    <th>"Month"</th>
                    <th>"Change"</th>
                    <th>"Why"</th>
                    <th>"Downtime"</th>
                    <th>"Start ahead"</th>
                    <th>"Phase · command"</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

/// Spend and configuration by month.
fn month_table(r: &Roadmap) -> impl IntoView {
    let rows = r
        .months
        .iter()
        .map(|m| {
            view! {
                <tr>
                    <td>{m.month}</td>
                    <td>{format!("{:.0}", m.peak_rps)}</td>
                    <td>{usd(m.monthly_usd)}</td>
                    <td>{usd(m.cumulative_usd)}</td>
                    <td>{m.binding_detail.clone()}</td>
                    <td>{m.configuration.clone()}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <details class="growth-months">
            <summary>"Month by month"</summary>
            <table id="growth-months">
                <thead>
                    <tr>
                        <th>"Month"</th>
                        <th>"Peak req/s"</th>
                        <th>"Monthly"</th>
                        <th>"To date"</th>
                        <th>"Closest limit"</th>
                        <th>"Configuration"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </details>
    }
}

/// The 1-year reservations the path outgrows before they pay back (`outgrown_reservations`).
fn reservations_view(r: &Roadmap) -> impl IntoView {
    let items = r
        .outgrown_reservations
        .iter()
        .map(|w| view! { <li>{w.message.clone()}</li> })
        .collect_view();
    let none = r.outgrown_reservations.is_empty().then(|| {
        view! {
            // Not `muted`: the report prints it (print hides muted lines).
            <p id="growth-reservations-none">
                "No reservation outgrown: every database class and cache node the path changes \
                 runs long enough for a 1-year reservation to pay back."
            </p>
        }
    });
    view! {
        <div id="growth-reservations">
            <h3>"Reservations the path outgrows"</h3>
            {none}
            <ul class="warnings">{items}</ul>
        </div>
    }
}

fn result_view(r: &Roadmap, elapsed_ms: f64) -> impl IntoView {
    let csv = crate::roadmap::to_csv(r);
    let unmet = r.unmet_from.clone().map(|(m, why)| {
        view! {
            <p class="critical" role="alert">
                {format!("From month {m} no configuration in the search meets the targets: {why}")}
            </p>
        }
    });
    view! {
        <p id="growth-summary" data-ms=format!("{elapsed_ms:.1}")>{summary(r)}</p>
        <p class="muted">
            {format!("{} right-size searches, computed in {elapsed_ms:.0} ms.", r.searches)}
        </p>
        {unmet}
        <p class="muted">{r.assumptions.join(" ")}</p>
        {if r.events.is_empty() {
            view! {
                <p id="growth-no-changes">
                    {format!("No change of configuration within the {} months.", r.horizon_months)}
                </p>
            }
                .into_any()
        } else {
            event_table(r).into_any()
        }}
        {reservations_view(r)}
        {month_table(r)}
        <button
            id="growth-csv"
            on:click=move |_| {
                let _ = browser::download_bytes("growth-path.csv", "text/csv", csv.as_bytes());
            }
        >
            "Growth path (.csv)"
        </button>
    }
}

#[component]
pub fn GrowthPanel() -> impl IntoView {
    let at_rest = expect_context::<super::AtRest>();
    let in_view = use_context::<super::below::PanelInView>();
    let result = RwSignal::new(None::<(Roadmap, f64)>);
    let computed_for = StoredValue::new(None::<Scenario>);
    // Computed while the panel is seen (or printed), for the scenario the sliders settled on.
    Effect::new(move |_| {
        let shown = in_view.is_none_or(|v| v.0.get());
        if !shown {
            return;
        }
        at_rest.scenario.with(|s| {
            if computed_for.with_value(|c| c.as_ref() == Some(s)) {
                return;
            }
            let t0 = browser::now_ms();
            let r = roadmap(s, &s.growth, catalog());
            result.set(Some((r, browser::now_ms() - t0)));
            computed_for.set_value(Some(s.clone()));
        })
    });
    view! {
        <section class="growth" aria-labelledby="growth-h">
            <h2 id="growth-h">"Scale gradually: the growth path"</h2>
            {growth_inputs()}
            <p class="growth-rule">
                <strong>"Stability rule: "</strong>
                {crate::model::growth::STABILITY_RULE}
            </p>
            <Chart
                id="chart-growth"
                label="Monthly cost along the growth path, each change marked; capacity and demand"
                legend=charts::growth_legend()
                aspect=0.6
                // Printed the page's width (186 mm): 12 px labels at 12 x 186 / 640 = 3.5 mm.
                print_width=640
                draw=move |root| {
                    result
                        .with(|r| match r {
                            Some((r, _)) => charts::draw_growth(root, r),
                            None => super::charts::draw_waiting(root, "Computing the path…"),
                        })
                }
            />
            {move || result.with(|r| r.as_ref().map(|(r, ms)| result_view(r, *ms)))}
        </section>
    }
}
