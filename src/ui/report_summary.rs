//! Under the headline, on screen and in the printed report: what the account pays with the
//! scenario's commitments and what the growth path spends over 12 and 24 months. The figures
//! are `model::report_summary`'s (the commitments panel's bill and the growth panel's path);
//! this file lays them out.

use super::format::usd;
use super::{catalog, AppState};
use crate::model::report_summary::{report_summary, ReportSummary};
use leptos::prelude::*;

/// The growth path's spend over `months`, or why there is none.
fn spend(id: &'static str, months: u32, v: Option<f64>, horizon: u32) -> impl IntoView {
    match v {
        Some(v) => view! {
            <strong id=id>{usd(v)}</strong>
            {format!(" over {months} months")}
        }
        .into_any(),
        None => view! {
            <span id=id>
                {format!("{months} months is past the path's {horizon}-month horizon")}
            </span>
        }
        .into_any(),
    }
}

fn committed_view(r: &ReportSummary) -> impl IntoView {
    let c = &r.committed;
    let note = if c.chosen_saving_usd > 0.0 || c.pays_usd < c.list_usd {
        "a month, the chosen commitments, discount and credits taken off".to_string()
    } else {
        format!(
            "a month: none chosen; every commitment that pays back would save {} a month \
             (Commitments, below)",
            usd(c.available_saving_usd)
        )
    };
    view! {
        <p id="rs-committed">
            "With commitments the account pays "
            <strong id="rs-pays">{usd(c.pays_usd)}</strong>
            " "
            {note}
        </p>
    }
}

fn growth_view(r: &ReportSummary) -> impl IntoView {
    let g = &r.growth;
    view! {
        <p id="rs-growth">
            {format!("Growth path at {:.1}% a month: ", g.monthly_rate * 100.0)}
            {spend("rs-growth-12", 12, g.first_12_usd, g.horizon_months)}
            ", "
            {spend("rs-growth-24", 24, g.first_24_usd, g.horizon_months)}
            " (list prices; the growth path, below)"
        </p>
    }
}

/// The committed price and the growth path's 12- and 24-month totals, beside the monthly
/// total. Computed once the sliders settle (it runs the simulation and the path), after the
/// first chart is drawn.
#[component]
pub fn ReportSummaryLines() -> impl IntoView {
    let state = expect_context::<AppState>();
    let figures = super::settled_after_first_paint(state, |s| report_summary(s, catalog()));
    let critical = super::viable::is_critical(state);
    view! {
        <div class="report-summary" id="report-summary">
            {move || {
                figures
                    .with(|f| {
                        f.as_ref().map(|r| view! { {committed_view(r)} {growth_view(r)} })
                    })
            }}
            {move || critical.get().then(|| view! { <p>"Both for a plan that is not viable."</p> })}
        </div>
    }
}
