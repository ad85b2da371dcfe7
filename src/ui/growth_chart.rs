//! The growth panel's chart: monthly cost over the months with a marker at each month that
//! changes the configuration (above), capacity against demand (below). Like every chart it
//! returns the points a reader can inspect; the figures are the roadmap's.

use super::canvas::MeasuredCanvas;
use super::charts::{DrawResult, Hit, LegendEntry, Swatch};
use super::format::usd as money;
use crate::model::growth::Roadmap;
use plotters::coord::Shift;
use plotters::prelude::*;

type Area = DrawingArea<MeasuredCanvas, Shift>;

const COST: RGBColor = RGBColor(31, 119, 180);
const EVENT: RGBColor = RGBColor(214, 39, 40);
const DEMAND: RGBColor = RGBColor(255, 127, 14);
const CAPACITY: RGBColor = RGBColor(44, 160, 44);

pub fn legend() -> Vec<LegendEntry> {
    vec![
        ("monthly cost", COST, Swatch::Line),
        ("a change of configuration", EVENT, Swatch::Triangle),
        ("peak demand, req/s", DEMAND, Swatch::Line),
        ("capacity at peak, req/s", CAPACITY, Swatch::Line),
    ]
}

/// A round axis top above `v` (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 x a power of ten).
fn axis_top(v: f64) -> f64 {
    if !(v.is_finite() && v > 0.0) {
        return 1.0;
    }
    let mag = 10f64.powf(v.log10().floor());
    [1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|t| v <= *t)
        .unwrap_or(10.0 * mag)
}

fn font() -> TextStyle<'static> {
    ("sans-serif", 12).into_font().into()
}

fn short_usd(v: f64) -> String {
    if v >= 10_000.0 {
        format!("${:.0}k", v / 1000.0)
    } else {
        format!("${v:.0}")
    }
}

/// Cost per month (events marked) above capacity against demand.
pub fn draw(root: &Area, r: &Roadmap) -> DrawResult {
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
    let max = axis_top(r.months.iter().map(|m| m.monthly_usd).fold(0.0, f64::max) * 1.1);
    let mut chart = ChartBuilder::on(area)
        .caption("Monthly cost along the growth path", ("sans-serif", 15))
        .margin(6)
        .x_label_area_size(20)
        .y_label_area_size(58)
        .build_cartesian_2d(months_axis(r), 0.0..max)?;
    chart
        .configure_mesh()
        .max_light_lines(2)
        .label_style(font())
        .y_desc("USD per month")
        .x_label_formatter(&|v| format!("{v:.0}"))
        .y_label_formatter(&|v| short_usd(*v))
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
        hits.push(Hit { rect: (x as f64, y as f64, x as f64, y as f64), text });
    }
    Ok(hits)
}

fn draw_demand(area: &Area, r: &Roadmap) -> DrawResult {
    let top = r.months.iter().map(|m| m.peak_rps.max(m.capacity_rps)).fold(0.0, f64::max);
    let max = axis_top(top * 1.1);
    let mut chart = ChartBuilder::on(area)
        .margin(6)
        .x_label_area_size(34)
        .y_label_area_size(58)
        .build_cartesian_2d(months_axis(r), 0.0..max)?;
    chart
        .configure_mesh()
        .max_light_lines(2)
        .label_style(font())
        .x_desc("Month")
        .y_desc("req/s at peak")
        .x_label_formatter(&|v| format!("{v:.0}"))
        .y_label_formatter(&|v| format!("{v:.0}"))
        .draw()?;
    let demand = r.months.iter().map(|m| (m.month as f64, m.peak_rps));
    chart.draw_series(LineSeries::new(demand, DEMAND.stroke_width(2)))?;
    let capacity = r.months.iter().map(|m| (m.month as f64, m.capacity_rps));
    chart.draw_series(LineSeries::new(capacity, CAPACITY.stroke_width(2)))?;
    Ok(r
        .months
        .iter()
        .map(|m| {
            let (x, y) = chart.backend_coord(&(m.month as f64, m.peak_rps));
            Hit {
                rect: (x as f64, y as f64, x as f64, y as f64),
                text: format!(
                    "Month {}: peak {:.0} req/s, capacity {:.0} req/s ({})",
                    m.month, m.peak_rps, m.capacity_rps, m.binding_detail
                ),
            }
        })
        .collect())
}
