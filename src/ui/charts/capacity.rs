//! The capacity chart: what the tasks serve against the peak, DB connections against the limit.

use super::axes::{bar, bar_chart, label_font, nice_max};
use super::{Area, DrawResult, Hit, NARROW, PALETTE};
use crate::model::Plan;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

#[allow(clippy::too_many_arguments)]
fn draw_pair(
    area: &Area,
    title: &str,
    unit: &str,
    names: [&str; 2],
    values: [f64; 2],
    colors: [RGBColor; 2],
) -> DrawResult {
    let max = nice_max(values[0].max(values[1]) * 1.2);
    let mut chart = bar_chart(area, title, 14, &names, unit, max, false)?;
    let (w, _) = area.dim_in_pixel();
    let side = (w / 12).clamp(8, 40);
    let mut hits = Vec::new();
    for i in 0..2u32 {
        let v = values[i as usize];
        chart.draw_series(std::iter::once(bar(i, 0.0, v, colors[i as usize], side)))?;
        let a = chart.backend_coord(&(SegmentValue::Exact(i), v));
        let b = chart.backend_coord(&(SegmentValue::Exact(i + 1), 0.0));
        hits.push(Hit::bar(
            (a.0 + side as i32, a.1),
            (b.0 - side as i32, b.1),
            format!("{title} — {}: {v:.0} {unit}", names[i as usize]),
        ));
    }
    chart.draw_series((0..2u32).map(|i| {
        let v = values[i as usize];
        Text::new(
            format!("{v:.0}"),
            (SegmentValue::CenterOf(i), v),
            label_font().pos(Pos::new(HPos::Center, VPos::Bottom)),
        )
    }))?;
    Ok(hits)
}

/// Chart 3: what the tasks can serve against the peak, and DB connections against the limit.
/// Side by side on a wide screen, one above the other on a narrow one.
pub fn draw_capacity(root: &Area, p: &Plan) -> DrawResult {
    let (w, h) = root.dim_in_pixel();
    let (first, second) =
        if w >= NARROW { root.split_horizontally(w / 2) } else { root.split_vertically(h / 2) };
    let c = &p.capacity;
    let cap_color = if c.capacity_rps >= c.peak_rps { PALETTE[2] } else { PALETTE[3] };
    let mut hits = draw_pair(
        &first,
        "Capacity vs peak demand",
        "req/s",
        ["can serve", "peak"],
        [c.capacity_rps, c.peak_rps],
        [cap_color, PALETTE[0]],
    )?;
    let conn_color = if c.primary_connections_fit() { PALETTE[0] } else { PALETTE[3] };
    hits.extend(draw_pair(
        &second,
        "DB connections (primary)",
        "connections",
        ["in use", "limit"],
        [c.db_connections_primary as f64, c.db_max_connections as f64],
        [conn_color, PALETTE[7]],
    )?);
    Ok(hits)
}
