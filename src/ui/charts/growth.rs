//! The growth panel's chart: monthly cost over the months with a marker at each month that
//! changes the configuration (above), capacity against demand (below). Like every chart it
//! returns the points a reader can inspect; the figures are the roadmap's.

use super::axes::{label_counts, label_font, nice_max, usd};
use super::{Area, DrawResult, Hit, LegendEntry, Swatch, PALETTE};
use crate::model::growth::Roadmap;
use crate::ui::format::usd as money;
use plotters::prelude::*;

const COST: RGBColor = PALETTE[0];
const EVENT: RGBColor = PALETTE[3];
const DEMAND: RGBColor = PALETTE[1];
const CAPACITY: RGBColor = PALETTE[2];

pub fn growth_legend() -> Vec<LegendEntry> {
    vec![
        ("monthly cost", COST, Swatch::Line),
        ("a change of configuration", EVENT, Swatch::Triangle),
        ("peak demand, req/s", DEMAND, Swatch::Line),
        ("capacity at peak, req/s", CAPACITY, Swatch::Line),
    ]
}

/// Cost per month (events marked) above capacity against demand.
pub fn draw_growth(root: &Area, r: &Roadmap) -> DrawResult {
    let (_, h) = root.dim_in_pixel();
    let (top, bottom) = root.split_vertically(h * 58 / 100);
    let mut hits = draw_cost(&top, r)?;
    hits.extend(draw_demand(&bottom, r)?);
    Ok(hits)
}

fn months_axis(r: &Roadmap) -> std::ops::Range<f64> {
    0.0..(r.months.len().max(2) - 1) as f64
}

fn draw_cost(area: &Area, r: &Roadmap) -> DrawResult {
    let max = nice_max(r.months.iter().map(|m| m.monthly_usd).fold(0.0, f64::max) * 1.1);
    let mut chart = ChartBuilder::on(area)
        .caption("Monthly cost along the growth path", ("sans-serif", 15))
        .margin(6)
        .x_label_area_size(20)
        .y_label_area_size(58)
        .build_cartesian_2d(months_axis(r), 0.0..max)?;
    let (x_labels, y_labels) = label_counts(area);
    chart
        .configure_mesh()
        .max_light_lines(2)
        .x_labels(x_labels)
        .y_labels(y_labels)
        .label_style(label_font())
        .y_desc("USD per month")
        .x_label_formatter(&|v| format!("{v:.0}"))
        .y_label_formatter(&|v| usd(*v))
        .draw()?;
    let points = r.months.iter().map(|m| (m.month as f64, m.monthly_usd));
    chart.draw_series(LineSeries::new(points, COST.stroke_width(2)))?;
    let mut hits: Vec<Hit> = Vec::new();
    for m in &r.months {
        let (x, y) = chart.backend_coord(&(m.month as f64, m.monthly_usd));
        let events: Vec<&str> =
            r.events.iter().filter(|e| e.month == m.month).map(|e| e.change.as_str()).collect();
        let mut text = format!(
            "Month {}: {} a month ({} to date); {}",
            m.month,
            money(m.monthly_usd),
            money(m.cumulative_usd),
            m.configuration
        );
        if !events.is_empty() {
            chart.draw_series(std::iter::once(TriangleMarker::new(
                (m.month as f64, m.monthly_usd),
                7,
                EVENT.filled(),
            )))?;
            text = format!("{text}. Changes: {}", events.join("; "));
        }
        hits.push(Hit::point((x, y), text));
    }
    Ok(hits)
}

fn draw_demand(area: &Area, r: &Roadmap) -> DrawResult {
    let top = r.months.iter().map(|m| m.peak_rps.max(m.capacity_rps)).fold(0.0, f64::max);
    let max = nice_max(top * 1.1);
    let mut chart = ChartBuilder::on(area)
        .margin(6)
        .x_label_area_size(34)
        .y_label_area_size(58)
        .build_cartesian_2d(months_axis(r), 0.0..max)?;
    let (x_labels, y_labels) = label_counts(area);
    chart
        .configure_mesh()
        .max_light_lines(2)
        .x_labels(x_labels)
        .y_labels(y_labels.min(4))
        .label_style(label_font())
        .x_desc("Month")
        .y_desc("req/s at peak")
        .x_label_formatter(&|v| format!("{v:.0}"))
        .y_label_formatter(&|v| format!("{v:.0}"))
        .draw()?;
    let demand = r.months.iter().map(|m| (m.month as f64, m.peak_rps));
    chart.draw_series(LineSeries::new(demand, DEMAND.stroke_width(2)))?;
    let capacity = r.months.iter().map(|m| (m.month as f64, m.capacity_rps));
    chart.draw_series(LineSeries::new(capacity, CAPACITY.stroke_width(2)))?;
    Ok(r.months
        .iter()
        .map(|m| {
            let (x, y) = chart.backend_coord(&(m.month as f64, m.peak_rps));
            Hit::point(
                (x, y),
                format!(
                    "Month {}: peak {:.0} req/s, capacity {:.0} req/s ({})",
                    m.month, m.peak_rps, m.capacity_rps, m.binding_detail
                ),
            )
        })
        .collect())
}
