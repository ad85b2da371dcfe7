//! The simulation charts: tasks and CPU over time, compute cost against fixed fleets.

use super::axes::{bar, bar_chart, label_counts, label_font, nice_max, usd};
use super::{Area, DrawResult, Hit, LegendEntry, Swatch, PALETTE};
use crate::model::simulate::Simulation;
use crate::ui::format::usd as money;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

pub fn simulation_legend() -> Vec<LegendEntry> {
    vec![
        ("needed at target CPU", PALETTE[7], Swatch::Line),
        ("desired", PALETTE[1], Swatch::Line),
        ("running", PALETTE[0], Swatch::Line),
        ("CPU %", PALETTE[3], Swatch::Box),
    ]
}

const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// Auto scaling over time: tasks (desired, running, needed) and CPU.
pub fn draw_simulation(root: &Area, sim: &Simulation) -> DrawResult {
    let n = sim.minutes.len().max(1);
    let hours = n as f64 / 60.0;
    let max_tasks = nice_max(
        sim.minutes
            .iter()
            .map(|m| m.desired.max(m.running).max(m.needed) as f64)
            .fold(1.0, f64::max)
            * 1.1,
    );
    let (_, h) = root.dim_in_pixel();
    let (top, bottom) = root.split_vertically(h * 62 / 100);
    let (x_labels, _) = label_counts(root);
    let mut chart = ChartBuilder::on(&top)
        .caption("Tasks over time", ("sans-serif", 14))
        .margin(6)
        .x_label_area_size(20)
        .y_label_area_size(48)
        .build_cartesian_2d(0.0..hours, 0.0..max_tasks)?;
    chart
        .configure_mesh()
        .max_light_lines(2)
        .x_labels(x_labels)
        .y_labels(4)
        .label_style(label_font())
        .y_desc("tasks")
        .x_label_formatter(&|h| format!("{h:.0} h"))
        .draw()?;
    // About 300 points per line (two pixels apiece): each point is the largest value of its
    // stretch of minutes, so short spikes and overloads stay visible.
    let stride = (n / 300).max(1);
    let pts = |f: fn(&crate::model::simulate::Minute) -> f64| {
        sim.minutes
            .chunks(stride)
            .enumerate()
            .map(move |(k, chunk)| {
                ((k * stride) as f64 / 60.0, chunk.iter().map(f).fold(0.0, f64::max))
            })
            .collect::<Vec<_>>()
    };
    let (c0, c1, c2) = (PALETTE[7], PALETTE[0], PALETTE[1]);
    chart.draw_series(LineSeries::new(pts(|m| m.needed as f64), c0.stroke_width(1)))?;
    chart.draw_series(LineSeries::new(pts(|m| m.desired as f64), c2.stroke_width(1)))?;
    chart.draw_series(LineSeries::new(pts(|m| m.running as f64), c1.stroke_width(2)))?;
    let hits = hourly_hits(sim, |at| chart.backend_coord(&at));
    let mut cpu = ChartBuilder::on(&bottom)
        .margin(6)
        .x_label_area_size(32)
        .y_label_area_size(48)
        .build_cartesian_2d(0.0..hours, 0.0..100.0)?;
    cpu.configure_mesh()
        .max_light_lines(2)
        .x_labels(x_labels)
        .y_labels(3)
        .label_style(label_font())
        .x_desc(if n > 24 * 60 { "hours from Monday 00:00" } else { "hour of the day" })
        .y_desc("CPU %")
        .x_label_formatter(&|h| format!("{h:.0}"))
        .draw()?;
    let red = PALETTE[3];
    cpu.draw_series(AreaSeries::new(pts(|m| m.cpu * 100.0), 0.0, red.mix(0.25)).border_style(red))?;
    Ok(hits)
}

/// One inspectable point per hour, on the running line; `at` places (hours, tasks) on the canvas.
fn hourly_hits(sim: &Simulation, at: impl Fn((f64, f64)) -> (i32, i32)) -> Vec<Hit> {
    let n = sim.minutes.len().max(1);
    sim.minutes
        .iter()
        .enumerate()
        .step_by(60)
        .map(|(i, m)| {
            let hour = i / 60;
            let when = if n > 24 * 60 {
                format!("{} {:02}:00", DAYS[(hour / 24) % 7], hour % 24)
            } else {
                format!("{:02}:00", hour % 24)
            };
            Hit::point(
                at((i as f64 / 60.0, m.running as f64)),
                format!(
                    "{when}: {} running, {} desired, {} needed, CPU {:.0}%, {:.0} req/s",
                    m.running,
                    m.desired,
                    m.needed,
                    m.cpu * 100.0,
                    m.demand_rps
                ),
            )
        })
        .collect()
}

pub fn sim_cost_legend() -> Vec<LegendEntry> {
    vec![
        ("with auto scaling", PALETTE[0], Swatch::Box),
        ("fixed fleet sized for the peak", PALETTE[7], Swatch::Box),
    ]
}

/// Monthly compute cost: auto scaling's range against fixed fleets.
pub fn draw_sim_costs(root: &Area, sim: &Simulation) -> DrawResult {
    let s = &sim.summary;
    let bars = [
        ("quiet month", "quiet", s.monthly_cost_quiet_usd),
        ("typical", "typical", s.monthly_cost_typical_usd),
        ("month of peaks", "peaks", s.monthly_cost_peaks_usd),
        ("fixed Fargate", "Fargate", s.fixed_fargate_monthly_usd),
        ("fixed EC2", "EC2", s.fixed_ec2_monthly_usd),
    ];
    let max = nice_max(bars.iter().map(|b| b.2).fold(0.0, f64::max) * 1.15);
    let (w, _) = root.dim_in_pixel();
    let narrow = w < 520;
    let names: Vec<&str> = bars.iter().map(|b| if narrow { b.1 } else { b.0 }).collect();
    let mut chart =
        bar_chart(root, "Compute cost per month", 14, &names, "USD per month", max, true)?;
    let side = (w / 60).clamp(4, 14);
    let mut hits = Vec::new();
    for (i, b) in bars.iter().enumerate() {
        let color = if i < 3 { PALETTE[0] } else { PALETTE[7] };
        chart.draw_series(std::iter::once(bar(i as u32, 0.0, b.2, color, side)))?;
        let a = chart.backend_coord(&(SegmentValue::Exact(i as u32), b.2));
        let z = chart.backend_coord(&(SegmentValue::Exact(i as u32 + 1), 0.0));
        hits.push(Hit::bar(
            (a.0 + side as i32, a.1),
            (z.0 - side as i32, z.1),
            format!("{}: {} a month", b.0, money(b.2)),
        ));
    }
    chart.draw_series(bars.iter().enumerate().map(|(i, b)| {
        Text::new(
            usd(b.2),
            (SegmentValue::CenterOf(i as u32), b.2),
            label_font().pos(Pos::new(HPos::Center, VPos::Bottom)),
        )
    }))?;
    Ok(hits)
}
