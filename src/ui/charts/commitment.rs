//! The Savings Plan curve: the month's Fargate cost against the hourly commitment, with the
//! optimum and the on-demand cost. The curve is the model's (`commit::SavingsPlan::curve`).

use super::axes::{money_chart, nice_max};
use super::{Area, DrawResult, Hit, LegendEntry, Swatch, PALETTE};
use crate::model::commit::SavingsPlan;
use crate::ui::format::usd as money;
use plotters::prelude::*;

pub fn savings_plan_legend() -> Vec<LegendEntry> {
    vec![
        ("Fargate cost with the commitment", PALETTE[0], Swatch::Line),
        ("on-demand", PALETTE[7], Swatch::Line),
        ("least cost", PALETTE[2], Swatch::Dot),
    ]
}

fn dollars_3(v: &f64) -> String {
    format!("${v:.3}")
}

pub fn draw_savings_plan(root: &Area, sp: &SavingsPlan) -> DrawResult {
    let max_x = sp.curve.last().map(|p| p.hourly_commitment_usd).unwrap_or(0.0).max(0.001);
    let top = sp.curve.iter().map(|p| p.monthly_cost_usd).fold(sp.monthly_on_demand_usd, f64::max);
    let max_y = nice_max(top * 1.05).max(0.01);
    let title = format!("Compute Savings Plan, {} year: monthly Fargate cost", sp.term_years);
    let x = ("Hourly commitment (USD at Savings Plan rates)", dollars_3 as fn(&f64) -> String);
    let mut chart = money_chart(root, (&title, 16), x, max_x, max_y)?;
    let points = || sp.curve.iter().map(|p| (p.hourly_commitment_usd, p.monthly_cost_usd));
    chart.draw_series(LineSeries::new(points(), PALETTE[0].stroke_width(2)))?;
    chart.draw_series(std::iter::once(PathElement::new(
        vec![(0.0, sp.monthly_on_demand_usd), (max_x, sp.monthly_on_demand_usd)],
        PALETTE[7].stroke_width(1),
    )))?;
    let best = (sp.hourly_commitment_usd, sp.monthly_cost_usd);
    chart.draw_series(std::iter::once(Circle::new(best, 5, PALETTE[2].filled())))?;
    let mut hits: Vec<Hit> = sp
        .curve
        .iter()
        .map(|p| {
            Hit::point(
                chart.backend_coord(&(p.hourly_commitment_usd, p.monthly_cost_usd)),
                format!(
                    "Commit ${:.4}/hour: {} a month",
                    p.hourly_commitment_usd,
                    money(p.monthly_cost_usd)
                ),
            )
        })
        .collect();
    let here = Hit::point(
        chart.backend_coord(&best),
        format!(
            "Least cost: commit ${:.4}/hour, {} a month ({} saved)",
            best.0,
            money(best.1),
            money(sp.monthly_saving_usd)
        ),
    );
    let at = hits.iter().position(|h| h.rect.0 > here.rect.0).unwrap_or(hits.len());
    hits.insert(at, here);
    Ok(hits)
}
