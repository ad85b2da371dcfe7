//! The right-size chart: cost against p95 of every compute option.

use super::axes::{money_chart, nice_max, whole};
use super::{Area, DrawResult, Hit, LegendEntry, Swatch, PALETTE};
use crate::model::optimize::Optimization;
use crate::ui::format::usd as money;
use plotters::prelude::*;

pub fn pareto_legend() -> Vec<LegendEntry> {
    vec![
        ("compute option", PALETTE[0], Swatch::Dot),
        ("p95 target", PALETTE[7], Swatch::Line),
        ("cheapest that meets the targets", PALETTE[2], Swatch::Dot),
    ]
}

/// Right-size: cost against p95 of every compute option, the chosen one marked.
pub fn draw_pareto(root: &Area, opt: &Optimization) -> DrawResult {
    let pts: Vec<(f64, f64, &str)> = opt
        .frontier
        .iter()
        .filter_map(|c| c.p95_ms.map(|p| (p, c.monthly_usd, c.label.as_str())))
        .collect();
    let max_x = nice_max(pts.iter().map(|p| p.0).fold(opt.targets.p95_ms, f64::max) * 1.1);
    let max_y = nice_max(pts.iter().map(|p| p.1).fold(opt.start_monthly_usd, f64::max) * 1.1);
    let title = ("Candidates: cost against p95 latency", 14);
    let mut chart = money_chart(root, title, ("p95 latency at peak (ms)", whole), max_x, max_y)?;
    let blue = PALETTE[0];
    chart.draw_series(pts.iter().map(|&(x, y, _)| Circle::new((x, y), 4, blue.filled())))?;
    let gray = PALETTE[7];
    chart.draw_series(std::iter::once(PathElement::new(
        vec![(opt.targets.p95_ms, 0.0), (opt.targets.p95_ms, max_y)],
        gray.stroke_width(1),
    )))?;
    if let Some(best) = &opt.best {
        if let Some(p) = best.p95_ms {
            let green = PALETTE[2];
            chart.draw_series(std::iter::once(Circle::new(
                (p, best.monthly_usd),
                8,
                green.stroke_width(3),
            )))?;
        }
    }
    let mut sorted = pts.clone();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    Ok(sorted
        .iter()
        .map(|&(x, y, label)| {
            Hit::point(
                chart.backend_coord(&(x, y)),
                format!("{label}: {} a month, p95 {x:.0} ms", money(y)),
            )
        })
        .collect())
}
