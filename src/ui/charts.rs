//! Chart drawing with plotters on a canvas. Each function maps engine data to pixels; no
//! planning figure is computed here.

use crate::model::curve::CurvePoint;
use crate::model::optimize::Optimization;
use crate::model::simulate::Simulation;
use crate::model::{Component, Plan};
use leptos::html;
use leptos::prelude::*;
use plotters::coord::ranged1d::SegmentedCoord;
use plotters::coord::types::{RangedCoordf64, RangedCoordu32};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use web_sys::HtmlCanvasElement;

pub const WIDTH: u32 = 600;
pub const HEIGHT: u32 = 330;

const PALETTE: [RGBColor; 8] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(127, 127, 127),
];

pub fn component_color(c: Component) -> RGBColor {
    PALETTE[Component::ALL.iter().position(|&x| x == c).unwrap_or(7) % PALETTE.len()]
}

use super::canvas::MeasuredCanvas;
type Area = DrawingArea<MeasuredCanvas, Shift>;

type DrawResult = Result<(), Box<dyn std::error::Error>>;

/// A canvas that redraws whenever the signals `draw` reads change. Each paint stamps the
/// canvas with a count and a time, which the browser tests and the measurement script read.
#[component]
pub fn Chart<F>(id: &'static str, label: &'static str, draw: F) -> impl IntoView
where
    F: Fn(&Area) -> DrawResult + 'static,
{
    let canvas = NodeRef::<html::Canvas>::new();
    let error = RwSignal::new(None::<String>);
    // Out of view, the chart neither draws nor follows its data; it draws once back in view.
    let visible = RwSignal::new(false);
    let watched = StoredValue::new(None::<u32>);
    on_cleanup(move || watched.try_get_value().flatten().into_iter().for_each(super::onscreen::unwatch));
    Effect::new(move |_| {
        let Some(el) = canvas.get() else { return };
        let el: HtmlCanvasElement = el;
        if watched.get_value().is_none() {
            watched.set_value(super::onscreen::watch(&el, visible));
        }
        if !visible.get() {
            return;
        }
        let Some(backend) = MeasuredCanvas::new(el.clone()) else { return };
        let root = backend.into_drawing_area();
        let result = root.fill(&WHITE).map_err(|e| e.into()).and_then(|_| draw(&root)).and_then(|_| root.present().map_err(|e| e.into()));
        error.set(result.err().map(|e| format!("chart could not be drawn: {e}")));
        let paints = el.get_attribute("data-paints").and_then(|v| v.parse::<u64>().ok()).unwrap_or(0) + 1;
        let _ = el.set_attribute("data-paints", &paints.to_string());
        let _ = el.set_attribute("data-painted-at", &format!("{:.3}", super::browser::now_ms()));
    });
    view! {
        <figure class="chart">
            <canvas id=id node_ref=canvas width=WIDTH height=HEIGHT role="img" aria-label=label></canvas>
            <figcaption class="sr-only">{label}</figcaption>
            {move || error.get().map(|e| view! { <p class="error">{e}</p> })}
        </figure>
    }
}

#[derive(Clone, Copy)]
enum Swatch {
    Box,
    Line,
    Dot,
}

#[derive(Clone, Copy)]
enum Corner {
    Left,
    Right,
}

/// A legend drawn with plain shapes and text. (plotters' own series labels measure text by
/// adding elements to the page, which forces a page layout per label.)
fn legend(area: &Area, corner: Corner, entries: &[(&str, RGBColor, Swatch)]) -> DrawResult {
    let font: TextStyle = ("sans-serif", 11).into_font().into();
    let font = font.pos(Pos::new(HPos::Left, VPos::Center));
    let row = 15;
    let text_w = entries.iter().map(|e| area.estimate_text_size(e.0, &font).map(|s| s.0 as i32).unwrap_or(80)).max().unwrap_or(0);
    let w = text_w + 28;
    let h = row * entries.len() as i32 + 6;
    let (area_w, _) = area.dim_in_pixel();
    let x = match corner {
        Corner::Left => 70,
        Corner::Right => area_w as i32 - w - 14,
    };
    let y = 30;
    area.draw(&Rectangle::new([(x, y), (x + w, y + h)], WHITE.mix(0.85).filled()))?;
    area.draw(&Rectangle::new([(x, y), (x + w, y + h)], BLACK.mix(0.3)))?;
    for (i, (label, color, swatch)) in entries.iter().enumerate() {
        let cy = y + 3 + row * i as i32 + row / 2;
        match swatch {
            Swatch::Box => area.draw(&Rectangle::new([(x + 5, cy - 5), (x + 15, cy + 5)], color.filled()))?,
            Swatch::Line => area.draw(&PathElement::new(vec![(x + 4, cy), (x + 18, cy)], color.stroke_width(2)))?,
            Swatch::Dot => area.draw(&Circle::new((x + 11, cy), 4, color.filled()))?,
        }
        area.draw(&Text::new(label.to_string(), (x + 23, cy), font.clone()))?;
    }
    Ok(())
}

fn nice_max(v: f64) -> f64 {
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

fn usd(v: f64) -> String {
    if v >= 10_000.0 {
        format!("${:.0}k", v / 1000.0)
    } else {
        format!("${v:.0}")
    }
}

type BarChart<'a> = ChartContext<'a, MeasuredCanvas, Cartesian2d<SegmentedCoord<RangedCoordu32>, RangedCoordf64>>;

/// A bar chart frame: one segment per name along x, 0..max on y, titled, with axis labels.
fn bar_chart<'a>(
    area: &'a Area,
    title: &str,
    title_size: u32,
    names: &[&str],
    y_desc: &str,
    max: f64,
    money: bool,
) -> Result<BarChart<'a>, Box<dyn std::error::Error>> {
    let mut chart = ChartBuilder::on(area)
        .caption(title, ("sans-serif", title_size))
        .margin(8)
        .x_label_area_size(28)
        .y_label_area_size(58)
        // A u32 range includes its end: n names are the values 0..=n-1.
        .build_cartesian_2d((0..(names.len() as u32).max(2) - 1).into_segmented(), 0.0..max)?;
    let y_fmt = |v: &f64| if money { usd(*v) } else { format!("{v:.0}") };
    chart
        .configure_mesh()
        .max_light_lines(2)
        .disable_x_mesh()
        .y_desc(y_desc)
        .y_label_formatter(&y_fmt)
        .x_label_formatter(&|v| match v {
            SegmentValue::CenterOf(i) | SegmentValue::Exact(i) => names.get(*i as usize).map(|s| s.to_string()).unwrap_or_default(),
            SegmentValue::Last => String::new(),
        })
        .draw()?;
    Ok(chart)
}

/// Chart 1: monthly cost per component, stacked, for the three tiers and the current scenario.
pub fn draw_tier_stack(root: &Area, plans: &[(String, Plan)]) -> DrawResult {
    let max = nice_max(plans.iter().map(|(_, p)| p.monthly_total_usd).fold(0.0, f64::max) * 1.05);
    let names: Vec<&str> = plans.iter().map(|p| p.0.as_str()).collect();
    let mut chart = bar_chart(root, "Monthly cost by component", 17, &names, "USD per month", max, true)?;
    for c in Component::ALL {
        let color = component_color(c);
        let bars: Vec<_> = plans
            .iter()
            .enumerate()
            .map(|(i, (_, p))| {
                let below: f64 = Component::ALL.iter().take_while(|&&x| x != c).map(|&x| p.component_total(x)).sum();
                let mut bar = Rectangle::new(
                    [(SegmentValue::Exact(i as u32), below), (SegmentValue::Exact(i as u32 + 1), below + p.component_total(c))],
                    color.filled(),
                );
                bar.set_margin(0, 0, 14, 14);
                bar
            })
            .collect();
        chart.draw_series(bars)?;
    }
    // Each bar's total above it: the small tiers stay readable next to Large.
    chart.draw_series(plans.iter().enumerate().map(|(i, (_, p))| {
        let style: TextStyle = ("sans-serif", 12).into_font().into();
        Text::new(
            usd(p.monthly_total_usd),
            (SegmentValue::CenterOf(i as u32), p.monthly_total_usd),
            style.pos(Pos::new(HPos::Center, VPos::Bottom)),
        )
    }))?;
    legend(root, Corner::Right, &Component::ALL.iter().map(|&c| (c.label(), component_color(c), Swatch::Box)).collect::<Vec<_>>())?;
    Ok(())
}

/// Chart 2: cost against traffic, with steps where tasks or replicas are added.
pub fn draw_cost_curve(root: &Area, curve: &[CurvePoint], current_rps: f64, current_usd: f64) -> DrawResult {
    let max_x = curve.last().map(|p| p.peak_rps).unwrap_or(1.0).max(1.0);
    let max_y = nice_max(curve.iter().map(|p| p.monthly_usd).fold(current_usd, f64::max) * 1.05);
    let mut chart = ChartBuilder::on(root)
        .caption("Monthly cost against peak traffic", ("sans-serif", 17))
        .margin(8)
        .x_label_area_size(36)
        .y_label_area_size(58)
        .build_cartesian_2d(0.0..max_x, 0.0..max_y)?;
    chart
        .configure_mesh()
        .max_light_lines(2)
        .x_desc("Peak API requests per second")
        .y_desc("USD per month")
        .y_label_formatter(&|v| usd(*v))
        .draw()?;
    let blue = PALETTE[0];
    chart.draw_series(LineSeries::new(curve.iter().map(|p| (p.peak_rps, p.monthly_usd)), blue.stroke_width(2)))?;
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
    chart.draw_series(std::iter::once(PathElement::new(vec![(current_rps, 0.0), (current_rps, max_y)], green.stroke_width(2))))?;
    legend(
        root,
        Corner::Left,
        &[
            ("monthly total, re-sized for the traffic", blue, Swatch::Line),
            ("a task is added", orange, Swatch::Dot),
            ("a read replica is added", red, Swatch::Dot),
            ("today's peak", green, Swatch::Line),
        ],
    )?;
    Ok(())
}

fn draw_pair(area: &Area, title: &str, unit: &str, names: [&str; 2], values: [f64; 2], colors: [RGBColor; 2]) -> DrawResult {
    let max = nice_max(values[0].max(values[1]) * 1.15);
    let mut chart = bar_chart(area, title, 15, &names, unit, max, false)?;
    chart.draw_series((0..2u32).map(|i| {
        let mut bar =
            Rectangle::new([(SegmentValue::Exact(i), 0.0), (SegmentValue::Exact(i + 1), values[i as usize])], colors[i as usize].filled());
        bar.set_margin(0, 0, 18, 18);
        bar
    }))?;
    chart.draw_series((0..2u32).map(|i| {
        Text::new(format!("{:.0}", values[i as usize]), (SegmentValue::CenterOf(i), values[i as usize]), ("sans-serif", 12).into_font())
    }))?;
    Ok(())
}

/// Chart 3: what the tasks can serve against the peak, and DB connections against the limit.
pub fn draw_capacity(root: &Area, p: &Plan) -> DrawResult {
    let (left, right) = root.split_horizontally(WIDTH / 2);
    let c = &p.capacity;
    let cap_color = if c.capacity_rps >= c.peak_rps { PALETTE[2] } else { PALETTE[3] };
    draw_pair(
        &left,
        "Capacity vs peak demand",
        "requests per second",
        ["can serve", "peak"],
        [c.capacity_rps, c.peak_rps],
        [cap_color, PALETTE[0]],
    )?;
    let conn_color = if c.primary_connections_fit() { PALETTE[0] } else { PALETTE[3] };
    draw_pair(
        &right,
        "DB connections (primary)",
        "connections",
        ["in use", "limit"],
        [c.db_connections_primary as f64, c.db_max_connections as f64],
        [conn_color, PALETTE[7]],
    )?;
    Ok(())
}

/// Auto scaling over time: tasks (desired, running, needed) and CPU.
pub fn draw_simulation(root: &Area, sim: &Simulation) -> DrawResult {
    let n = sim.minutes.len().max(1);
    let hours = n as f64 / 60.0;
    let max_tasks = nice_max(sim.minutes.iter().map(|m| m.desired.max(m.running).max(m.needed) as f64).fold(1.0, f64::max) * 1.1);
    let (top, bottom) = root.split_vertically(HEIGHT * 62 / 100);
    let mut chart = ChartBuilder::on(&top)
        .caption("Tasks over time", ("sans-serif", 15))
        .margin(6)
        .x_label_area_size(18)
        .y_label_area_size(44)
        .build_cartesian_2d(0.0..hours, 0.0..max_tasks)?;
    chart.configure_mesh().max_light_lines(2).y_desc("tasks").x_label_formatter(&|h| format!("{h:.0} h")).draw()?;
    // About 300 points per line (two pixels apiece): each point is the largest value of its
    // stretch of minutes, so short spikes and overloads stay visible.
    let stride = (n / 300).max(1);
    let pts = |f: fn(&crate::model::simulate::Minute) -> f64| {
        sim.minutes
            .chunks(stride)
            .enumerate()
            .map(move |(k, chunk)| ((k * stride) as f64 / 60.0, chunk.iter().map(f).fold(0.0, f64::max)))
            .collect::<Vec<_>>()
    };
    let (c0, c1, c2) = (PALETTE[7], PALETTE[0], PALETTE[1]);
    chart.draw_series(LineSeries::new(pts(|m| m.needed as f64), c0.stroke_width(1)))?;
    chart.draw_series(LineSeries::new(pts(|m| m.desired as f64), c2.stroke_width(1)))?;
    chart.draw_series(LineSeries::new(pts(|m| m.running as f64), c1.stroke_width(2)))?;
    legend(
        &top,
        Corner::Right,
        &[("needed at target CPU", c0, Swatch::Line), ("desired", c2, Swatch::Line), ("running", c1, Swatch::Line)],
    )?;
    let mut cpu =
        ChartBuilder::on(&bottom).margin(6).x_label_area_size(30).y_label_area_size(44).build_cartesian_2d(0.0..hours, 0.0..100.0)?;
    cpu.configure_mesh()
        .max_light_lines(2)
        .x_desc("hours from Monday 00:00")
        .y_desc("CPU %")
        .x_label_formatter(&|h| format!("{h:.0}"))
        .draw()?;
    let red = PALETTE[3];
    cpu.draw_series(AreaSeries::new(pts(|m| m.cpu * 100.0), 0.0, red.mix(0.25)).border_style(red))?;
    Ok(())
}

/// Monthly compute cost: auto scaling's range against fixed fleets.
pub fn draw_sim_costs(root: &Area, sim: &Simulation) -> DrawResult {
    let s = &sim.summary;
    let bars = [
        ("quiet month", s.monthly_cost_quiet_usd),
        ("typical", s.monthly_cost_typical_usd),
        ("month of peaks", s.monthly_cost_peaks_usd),
        ("fixed Fargate", s.fixed_fargate_monthly_usd),
        ("fixed EC2", s.fixed_ec2_monthly_usd),
    ];
    let max = nice_max(bars.iter().map(|b| b.1).fold(0.0, f64::max) * 1.15);
    let names: Vec<&str> = bars.iter().map(|b| b.0).collect();
    let mut chart = bar_chart(root, "Compute cost per month", 15, &names, "USD per month", max, true)?;
    chart.draw_series(bars.iter().enumerate().map(|(i, b)| {
        let color = if i < 3 { PALETTE[0] } else { PALETTE[7] };
        let mut r = Rectangle::new([(SegmentValue::Exact(i as u32), 0.0), (SegmentValue::Exact(i as u32 + 1), b.1)], color.filled());
        r.set_margin(0, 0, 10, 10);
        r
    }))?;
    chart.draw_series(
        bars.iter().enumerate().map(|(i, b)| Text::new(usd(b.1), (SegmentValue::CenterOf(i as u32), b.1), ("sans-serif", 12).into_font())),
    )?;
    Ok(())
}

/// Right-size: cost against p95 of every compute option, the chosen one marked.
pub fn draw_pareto(root: &Area, opt: &Optimization) -> DrawResult {
    let pts: Vec<(f64, f64)> = opt.frontier.iter().filter_map(|c| c.p95_ms.map(|p| (p, c.monthly_usd))).collect();
    let max_x = nice_max(pts.iter().map(|p| p.0).fold(opt.targets.p95_ms, f64::max) * 1.1);
    let max_y = nice_max(pts.iter().map(|p| p.1).fold(opt.start_monthly_usd, f64::max) * 1.1);
    let mut chart = ChartBuilder::on(root)
        .caption("Candidates: cost against p95 latency", ("sans-serif", 15))
        .margin(8)
        .x_label_area_size(34)
        .y_label_area_size(58)
        .build_cartesian_2d(0.0..max_x, 0.0..max_y)?;
    chart
        .configure_mesh()
        .max_light_lines(2)
        .x_desc("p95 latency at peak (ms)")
        .y_desc("USD per month")
        .y_label_formatter(&|v| usd(*v))
        .draw()?;
    let blue = PALETTE[0];
    chart.draw_series(pts.iter().map(|&p| Circle::new(p, 4, blue.filled())))?;
    let gray = PALETTE[7];
    chart.draw_series(std::iter::once(PathElement::new(
        vec![(opt.targets.p95_ms, 0.0), (opt.targets.p95_ms, max_y)],
        gray.stroke_width(1),
    )))?;
    if let Some(best) = &opt.best {
        if let Some(p) = best.p95_ms {
            let green = PALETTE[2];
            chart.draw_series(std::iter::once(Circle::new((p, best.monthly_usd), 8, green.stroke_width(3))))?;
        }
    }
    legend(
        root,
        Corner::Right,
        &[
            ("feasible option", blue, Swatch::Dot),
            ("p95 target", gray, Swatch::Line),
            ("cheapest that meets the targets", PALETTE[2], Swatch::Dot),
        ],
    )?;
    Ok(())
}
