//! The cost charts: monthly cost per component for the tiers, and cost against traffic.

use super::axes::{bar, bar_chart, label_font, money_chart, nice_max, usd, whole};
use super::{component_color, Area, DrawResult, Hit, LegendEntry, Swatch, PALETTE};
use crate::model::curve::CurvePoint;
use crate::model::{Component, Plan};
use crate::ui::format::usd as money;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Named plans as `draw_tier_stack` takes them, borrowed from a memo's value.
pub fn borrowed(plans: &[(String, Plan)]) -> Vec<(&str, &Plan)> {
    plans.iter().map(|(name, p)| (name.as_str(), p)).collect()
}

/// Chart 1: monthly cost per component, stacked, for the three tiers and the current scenario.
/// The plans are borrowed from their memos (a slider move clones none of them).
pub fn draw_tier_stack(root: &Area, plans: &[(&str, &Plan)]) -> DrawResult {
    let max = nice_max(plans.iter().map(|(_, p)| p.monthly_total_usd).fold(0.0, f64::max) * 1.1);
    let names: Vec<&str> = plans.iter().map(|p| p.0).collect();
    let mut chart =
        bar_chart(root, "Monthly cost by component", 16, &names, "USD per month", max, true)?;
    let (w, _) = root.dim_in_pixel();
    let side = ((w / plans.len().max(1) as u32) / 6).clamp(6, 30);
    let mut hits = Vec::new();
    for (i, (name, p)) in plans.iter().enumerate() {
        let mut below = 0.0;
        for c in Component::ALL {
            let v = p.component_total(c);
            if v <= 0.0 {
                continue;
            }
            chart.draw_series(std::iter::once(bar(
                i as u32,
                below,
                below + v,
                component_color(c),
                side,
            )))?;
            let a = chart.backend_coord(&(SegmentValue::Exact(i as u32), below + v));
            let b = chart.backend_coord(&(SegmentValue::Exact(i as u32 + 1), below));
            hits.push(Hit::bar(
                (a.0 + side as i32, a.1),
                (b.0 - side as i32, b.1),
                format!("{name}: {} {} of {}", c.label(), money(v), money(p.monthly_total_usd)),
            ));
            below += v;
        }
    }
    // Each bar's total above it: the small tiers stay readable next to Large.
    chart.draw_series(plans.iter().enumerate().map(|(i, (_, p))| {
        Text::new(
            usd(p.monthly_total_usd),
            (SegmentValue::CenterOf(i as u32), p.monthly_total_usd),
            label_font().pos(Pos::new(HPos::Center, VPos::Bottom)),
        )
    }))?;
    Ok(hits)
}

pub fn curve_legend() -> Vec<LegendEntry> {
    vec![
        ("monthly total, re-sized for the traffic", PALETTE[0], Swatch::Line),
        ("a task is added", PALETTE[1], Swatch::Dot),
        ("a read replica is added", PALETTE[3], Swatch::Triangle),
        ("today's peak", PALETTE[2], Swatch::Line),
    ]
}

/// Chart 2: cost against traffic, with steps where tasks or replicas are added.
pub fn draw_cost_curve(
    root: &Area,
    curve: &[CurvePoint],
    current_rps: f64,
    current_usd: f64,
) -> DrawResult {
    let max_x = curve.last().map(|p| p.peak_rps).unwrap_or(1.0).max(1.0);
    let max_y = nice_max(curve.iter().map(|p| p.monthly_usd).fold(current_usd, f64::max) * 1.05);
    let title = ("Monthly cost against peak traffic", 16);
    let mut chart =
        money_chart(root, title, ("Peak API requests per second", whole), max_x, max_y)?;
    let blue = PALETTE[0];
    chart.draw_series(LineSeries::new(
        curve.iter().map(|p| (p.peak_rps, p.monthly_usd)),
        blue.stroke_width(2),
    ))?;
    let orange = PALETTE[1];
    let steps: Vec<_> = curve
        .windows(2)
        .filter(|w| w[1].tasks != w[0].tasks)
        .map(|w| Circle::new((w[1].peak_rps, w[1].monthly_usd), 3, orange.filled()))
        .collect();
    chart.draw_series(steps)?;
    let red = PALETTE[3];
    let replicas: Vec<_> = curve
        .windows(2)
        .filter(|w| w[1].replicas != w[0].replicas)
        .map(|w| TriangleMarker::new((w[1].peak_rps, w[1].monthly_usd), 7, red.filled()))
        .collect();
    chart.draw_series(replicas)?;
    let green = PALETTE[2];
    chart.draw_series(std::iter::once(PathElement::new(
        vec![(current_rps, 0.0), (current_rps, max_y)],
        green.stroke_width(2),
    )))?;
    let mut hits: Vec<Hit> = curve
        .iter()
        .map(|p| {
            Hit::point(
                chart.backend_coord(&(p.peak_rps, p.monthly_usd)),
                format!(
                    "At {:.0} req/s peak: {} a month ({} task{}, {} replica{})",
                    p.peak_rps,
                    money(p.monthly_usd),
                    p.tasks,
                    if p.tasks == 1 { "" } else { "s" },
                    p.replicas,
                    if p.replicas == 1 { "" } else { "s" }
                ),
            )
        })
        .collect();
    let here = Hit::point(
        chart.backend_coord(&(current_rps, current_usd)),
        format!("Today's peak, {current_rps:.0} req/s: {} a month", money(current_usd)),
    );
    let at = hits.iter().position(|h| h.rect.0 > here.rect.0).unwrap_or(hits.len());
    hits.insert(at, here);
    Ok(hits)
}
