//! What the charts share: label font, round axis maxima, dollar labels, label spacing, text
//! fitting, the bar chart frame and the dollars-against-quantity frame.

use super::{Area, LABEL_PX};
use crate::ui::canvas::MeasuredCanvas;
use plotters::coord::ranged1d::SegmentedCoord;
use plotters::coord::types::{RangedCoordf64, RangedCoordu32};
use plotters::prelude::*;

pub(super) fn label_font() -> TextStyle<'static> {
    ("sans-serif", LABEL_PX).into_font().into()
}

pub(super) fn nice_max(v: f64) -> f64 {
    if !(v.is_finite() && v > 0.0) {
        return 1.0;
    }
    let mag = 10f64.powf(v.log10().floor());
    for m in [1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0] {
        if v <= m * mag {
            return m * mag;
        }
    }
    10.0 * mag
}

/// An axis label in dollars, short.
pub(super) fn usd(v: f64) -> String {
    if v >= 10_000.0 {
        format!("${:.0}k", v / 1000.0)
    } else {
        format!("${v:.0}")
    }
}

/// Label counts that keep axis labels apart: about one per 70 px across, one per 34 px up.
pub(super) fn label_counts(area: &Area) -> (usize, usize) {
    let (w, h) = area.dim_in_pixel();
    (
        ((w as usize).saturating_sub(60) / 70).clamp(2, 10),
        ((h as usize).saturating_sub(40) / 34).clamp(2, 8),
    )
}

/// Shortens `text` with an ellipsis until it fits `max_px`.
fn fit(area: &Area, text: &str, max_px: i32) -> String {
    let font = label_font();
    let width = |t: &str| area.estimate_text_size(t, &font).map(|s| s.0 as i32).unwrap_or(0);
    if width(text) <= max_px {
        return text.to_string();
    }
    let mut chars: Vec<char> = text.chars().collect();
    while chars.len() > 1 {
        chars.pop();
        let t: String = chars.iter().collect::<String>() + "…";
        if width(&t) <= max_px {
            return t;
        }
    }
    "…".into()
}

type BarChart<'a> =
    ChartContext<'a, MeasuredCanvas, Cartesian2d<SegmentedCoord<RangedCoordu32>, RangedCoordf64>>;

/// A bar chart frame: one segment per name along x, 0..max on y, titled, with axis labels.
/// Names that do not fit their bar's width are shortened.
pub(super) fn bar_chart<'a>(
    area: &'a Area,
    title: &str,
    title_size: u32,
    names: &[&str],
    y_desc: &str,
    max: f64,
    money: bool,
) -> Result<BarChart<'a>, Box<dyn std::error::Error>> {
    let (w, _) = area.dim_in_pixel();
    let slot = ((w as i32 - 76) / names.len().max(1) as i32 - 6).max(20);
    let fitted: Vec<String> = names.iter().map(|n| fit(area, n, slot)).collect();
    let (_, y_labels) = label_counts(area);
    let mut chart = ChartBuilder::on(area)
        .caption(title, ("sans-serif", title_size))
        .margin(8)
        .x_label_area_size(28)
        .y_label_area_size(62)
        // A u32 range includes its end: n names are the values 0..=n-1.
        .build_cartesian_2d((0..(names.len() as u32).max(2) - 1).into_segmented(), 0.0..max)?;
    let y_fmt = |v: &f64| if money { usd(*v) } else { format!("{v:.0}") };
    chart
        .configure_mesh()
        .max_light_lines(2)
        .disable_x_mesh()
        .y_labels(y_labels)
        .label_style(label_font())
        .y_desc(y_desc)
        .y_label_formatter(&y_fmt)
        .x_label_formatter(&|v| match v {
            SegmentValue::CenterOf(i) | SegmentValue::Exact(i) => {
                fitted.get(*i as usize).cloned().unwrap_or_default()
            }
            SegmentValue::Last => String::new(),
        })
        .draw()?;
    Ok(chart)
}

type MoneyChart<'a> = ChartContext<'a, MeasuredCanvas, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// A frame of dollars a month (y, from 0) against a quantity (x, from 0), titled, with axis
/// labels: the cost curve, the optimiser's candidates and the Savings Plan curve.
/// Whole numbers along x, as most of them label it.
pub(super) fn whole(v: &f64) -> String {
    format!("{v:.0}")
}

pub(super) fn money_chart<'a>(
    area: &'a Area,
    (title, title_size): (&str, u32),
    (x_desc, x_label): (&str, fn(&f64) -> String),
    max_x: f64,
    max_y: f64,
) -> Result<MoneyChart<'a>, Box<dyn std::error::Error>> {
    let (x_labels, y_labels) = label_counts(area);
    let mut chart = ChartBuilder::on(area)
        .caption(title, ("sans-serif", title_size))
        .margin(8)
        .x_label_area_size(40)
        .y_label_area_size(62)
        .build_cartesian_2d(0.0..max_x, 0.0..max_y)?;
    chart
        .configure_mesh()
        .max_light_lines(2)
        .x_labels(x_labels)
        .y_labels(y_labels)
        .label_style(label_font())
        .x_desc(x_desc)
        .y_desc("USD per month")
        .x_label_formatter(&x_label)
        .y_label_formatter(&|v| usd(*v))
        .draw()?;
    Ok(chart)
}

/// A bar from 0 (or `below`) to `top` in segment `i`, with a margin each side.
pub(super) fn bar(
    i: u32,
    below: f64,
    top: f64,
    color: RGBColor,
    side: u32,
) -> Rectangle<(SegmentValue<u32>, f64)> {
    let mut r = Rectangle::new(
        [(SegmentValue::Exact(i), below), (SegmentValue::Exact(i + 1), top)],
        color.filled(),
    );
    r.set_margin(0, 0, side, side);
    r
}
