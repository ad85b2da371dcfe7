//! Chart drawing with plotters on a canvas. Each function maps engine data to pixels and
//! returns the points a reader can inspect (hover, tap or arrow keys show their exact values);
//! no planning figure is computed here.
//!
//! Canvases are drawn at the size they are shown (CSS pixels) times `devicePixelRatio`, so text
//! stays sharp and at its stated size on phones and high-density screens. Legends are HTML
//! under the canvas, so they never cover data.

use super::format::usd as money;
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

/// Smallest text on a chart, CSS pixels (readable on a phone).
const LABEL_PX: u32 = 12;

pub fn component_color(c: Component) -> RGBColor {
    PALETTE[Component::ALL.iter().position(|&x| x == c).unwrap_or(7) % PALETTE.len()]
}

use super::canvas::MeasuredCanvas;
type Area = DrawingArea<MeasuredCanvas, Shift>;

/// A point or bar a reader can inspect: where it is (CSS pixels on the canvas) and what it is.
#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    /// The region that answers to the pointer: x0, y0, x1, y1.
    pub rect: (f64, f64, f64, f64),
    pub text: String,
}

impl Hit {
    fn point(p: (i32, i32), text: String) -> Hit {
        let (x, y) = (p.0 as f64, p.1 as f64);
        Hit { rect: (x, y, x, y), text }
    }
    fn bar(a: (i32, i32), b: (i32, i32), text: String) -> Hit {
        Hit {
            rect: (
                a.0.min(b.0) as f64,
                a.1.min(b.1) as f64,
                a.0.max(b.0) as f64,
                a.1.max(b.1) as f64,
            ),
            text,
        }
    }
    fn distance(&self, x: f64, y: f64) -> f64 {
        let dx = (self.rect.0 - x).max(x - self.rect.2).max(0.0);
        let dy = (self.rect.1 - y).max(y - self.rect.3).max(0.0);
        (dx * dx + dy * dy).sqrt()
    }
    /// Where the value box points: the middle of the top edge.
    fn anchor(&self) -> (f64, f64) {
        ((self.rect.0 + self.rect.2) / 2.0, self.rect.1)
    }
}

pub type DrawResult = Result<Vec<Hit>, Box<dyn std::error::Error>>;

/// How a legend entry is drawn.
#[derive(Clone, Copy)]
pub enum Swatch {
    Box,
    Line,
    Dot,
    Triangle,
}

/// A legend entry (HTML, under the chart).
pub type LegendEntry = (&'static str, RGBColor, Swatch);

pub fn component_legend() -> Vec<LegendEntry> {
    Component::ALL.iter().map(|&c| (c.label(), component_color(c), Swatch::Box)).collect()
}

/// The page's width in CSS pixels, updated on resize: charts measure themselves again only
/// then (reading a size on every repaint would force a page layout per chart).
#[derive(Clone, Copy)]
pub struct Viewport(pub RwSignal<f64>);

/// While true, every chart draws whether or not it is in view (printing, one PNG of all).
#[derive(Clone, Copy)]
pub struct PaintAll(pub RwSignal<bool>);

/// Below this width (CSS px) a chart is laid out for a phone.
const NARROW: u32 = 480;

/// Pointer within this distance (CSS px) of a point or bar shows its value.
const HIT_RADIUS: f64 = 28.0;

fn nearest(hits: &[Hit], x: f64, y: f64) -> Option<usize> {
    let mut best: Option<(usize, f64)> = None;
    for (i, h) in hits.iter().enumerate() {
        let d = h.distance(x, y);
        if d <= HIT_RADIUS && best.is_none_or(|b| d < b.1) {
            best = Some((i, d));
        }
    }
    best.map(|b| b.0)
}

/// A canvas that redraws whenever the signals `draw` reads change. Each paint stamps the
/// canvas with a count and a time, which the browser tests and the measurement script read.
/// Hover, tap or the arrow keys (when the chart has focus) show the exact value of a point.
#[component]
pub fn Chart<F>(
    id: &'static str,
    label: &'static str,
    draw: F,
    #[prop(optional)] legend: Vec<LegendEntry>,
    /// Height as a share of the width (default 0.55), kept within 220-420 px.
    #[prop(optional)]
    aspect: Option<f64>,
    /// The same below 480 px of width (a chart that stacks its parts on a phone).
    #[prop(optional)]
    narrow_aspect: Option<f64>,
) -> impl IntoView
where
    F: Fn(&Area) -> DrawResult + 'static,
{
    let canvas = NodeRef::<html::Canvas>::new();
    let error = RwSignal::new(None::<String>);
    let hits = RwSignal::new(Vec::<Hit>::new());
    let active = RwSignal::new(None::<usize>);
    let size = RwSignal::new((0u32, 0u32));
    // Whether the chart's box was in view when it was measured (read with its width, so the
    // first paint forces no second layout to know it).
    let in_view_at_measure = StoredValue::new(None::<bool>);
    measure_on_resize(canvas, size, aspect.unwrap_or(0.55), narrow_aspect, in_view_at_measure);
    repaint_on_change(canvas, size, draw, error, hits, in_view_at_measure);
    let shown = move || active.get().and_then(|i| hits.with(|h| h.get(i).cloned()));
    let step = move |delta: i64| step_active(hits, active, delta);
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        if read_by_key(hits, active, &ev.key()) {
            ev.prevent_default();
        }
    };
    // Where the pointer rests on the chart: a repaint under it (new data, or the first paint
    // of a chart just scrolled into view) shows the value now under it.
    let pointer = StoredValue::new(None::<(f64, f64)>);
    let show_at = move |(x, y): (f64, f64)| {
        let found = hits.with_untracked(|h| nearest(h, x, y));
        if found != active.get_untracked() {
            active.set(found);
        }
    };
    let on_pointer = move |ev: leptos::ev::PointerEvent| {
        let at = (ev.offset_x() as f64, ev.offset_y() as f64);
        pointer.set_value(Some(at));
        show_at(at);
    };
    Effect::new(move |_| {
        hits.track();
        if let Some(at) = pointer.get_value() {
            show_at(at);
        }
    });
    let tip_id = format!("{id}-value");
    view! {
        <figure class="chart">
            <div class="chart-box">
                <canvas
                    id=id
                    node_ref=canvas
                    role="img"
                    aria-label=format!("{label}. Focus and use the arrow keys to read each value.")
                    tabindex="0"
                    aria-describedby=tip_id.clone()
                    on:keydown=on_key
                    on:pointermove=on_pointer
                    on:pointerdown=on_pointer
                    on:pointerleave=move |_| {
                        pointer.set_value(None);
                        active.set(None);
                    }
                    on:blur=move |_| active.set(None)
                    on:focus=move |_| {
                        if active.get_untracked().is_none() {
                            step(0)
                        }
                    }
                ></canvas>
                {move || shown().map(|h| value_tip(h, size.get_untracked().0))}
            </div>
            <p class="sr-only" id=tip_id aria-live="polite">
                {move || shown().map(|h| h.text).unwrap_or_default()}
            </p>
            {legend_list(legend)}
            <figcaption class="sr-only">{label}</figcaption>
            {move || error.get().map(|e| view! { <p class="error">{e}</p> })}
        </figure>
    }
}

/// Paints whenever `draw`'s signals or the size change, while the chart is in view (or
/// everything is being drawn for print); keeps the hits and any drawing error.
fn repaint_on_change<F>(
    canvas: NodeRef<html::Canvas>,
    size: RwSignal<(u32, u32)>,
    draw: F,
    error: RwSignal<Option<String>>,
    hits: RwSignal<Vec<Hit>>,
    in_view_at_measure: StoredValue<Option<bool>>,
) where
    F: Fn(&Area) -> DrawResult + 'static,
{
    let paint_all = use_context::<PaintAll>();
    // Out of view, the chart neither draws nor follows its data; it draws once back in view.
    let visible = RwSignal::new(false);
    let watched = StoredValue::new(None::<u32>);
    // Off the page: the chart is drawn there and copied in one go (see MeasuredCanvas).
    let ink = std::cell::OnceCell::<Option<HtmlCanvasElement>>::new();
    let paints = std::cell::Cell::new(0u64);
    on_cleanup(move || {
        watched.try_get_value().flatten().into_iter().for_each(super::onscreen::unwatch)
    });
    Effect::new(move |_| {
        let (w, h) = size.get();
        let Some(el) = canvas.get() else { return };
        if w == 0 {
            return;
        }
        let el: HtmlCanvasElement = el;
        let ratio = size_backing_store(&el, (w, h));
        if watched.get_value().is_none() {
            let now =
                in_view_at_measure.get_value().unwrap_or_else(|| super::onscreen::in_viewport(&el));
            watched.set_value(super::onscreen::watch_from(&el, visible, now));
        }
        // Tracking `visible` here is what repaints the chart once it is back in view.
        if !visible.get() && !paint_all.is_some_and(|p| p.0.get()) {
            return;
        }
        let ink = ink.get_or_init(super::canvas::detached_canvas).clone();
        let Some(backend) = MeasuredCanvas::new(el.clone(), ink, (w, h), ratio) else { return };
        match paint(backend, &draw) {
            Ok(h) => {
                error.set(None);
                hits.set(h);
            }
            Err(e) => error.set(Some(format!("chart could not be drawn: {e}"))),
        }
        paints.set(paints.get() + 1);
        stamp_paint(&el, paints.get());
    });
}

/// Sets the chart's CSS size from its container's width, at mount and when the page is
/// resized (no layout read per repaint).
fn measure_on_resize(
    canvas: NodeRef<html::Canvas>,
    size: RwSignal<(u32, u32)>,
    aspect: f64,
    narrow_aspect: Option<f64>,
    in_view_at_measure: StoredValue<Option<bool>>,
) {
    let viewport = use_context::<Viewport>();
    // A chart built before it is in the document (the panels below the charts arrive in their
    // own wasm chunk, inside a Suspense) measures 0 px: it measures again on the next frames.
    let frames_waited = RwSignal::new(0u8);
    Effect::new(move |_| {
        if let Some(v) = viewport {
            v.0.track();
        }
        let waited = frames_waited.get();
        let Some(el) = canvas.get() else { return };
        let el: HtmlCanvasElement = el;
        let parent = el.parent_element();
        let width = parent.as_ref().map(|p| p.client_width()).unwrap_or(0).max(0) as u32;
        if width == 0 {
            if waited < 60 {
                request_animation_frame(move || {
                    frames_waited.try_update(|n| *n += 1);
                });
            }
            return;
        }
        // The layout is fresh from reading the width: this read costs nothing more.
        in_view_at_measure.set_value(parent.as_ref().map(super::onscreen::in_viewport));
        let ratio = if width < NARROW { narrow_aspect.unwrap_or(aspect) } else { aspect };
        let height = ((width as f64 * ratio).round() as u32).clamp(220, 420);
        if size.get_untracked() != (width, height) {
            size.set((width, height));
        }
    });
}

/// Gives the canvas CSS size (w, h) times devicePixelRatio pixels; returns that ratio.
fn size_backing_store(el: &HtmlCanvasElement, (w, h): (u32, u32)) -> f64 {
    let ratio = super::browser::device_pixel_ratio();
    let (pw, ph) = ((w as f64 * ratio).round() as u32, (h as f64 * ratio).round() as u32);
    if el.width() != pw || el.height() != ph {
        el.set_width(pw);
        el.set_height(ph);
        let _ = web_sys::HtmlElement::style(el).set_property("height", &format!("{h}px"));
    }
    ratio
}

/// One paint: white background, the chart, then the frame shown.
fn paint(backend: MeasuredCanvas, draw: &impl Fn(&Area) -> DrawResult) -> DrawResult {
    let root = backend.into_drawing_area();
    let result = root.fill(&WHITE).map_err(|e| e.into()).and_then(|_| draw(&root));
    result.and_then(|h| root.present().map(|_| h).map_err(|e| e.into()))
}

/// Counts the paint and stamps its time on the canvas (read by tests and the measurements).
fn stamp_paint(el: &HtmlCanvasElement, paints: u64) {
    let _ = el.set_attribute("data-paints", &paints.to_string());
    let _ = el.set_attribute("data-painted-at", &format!("{:.3}", super::browser::now_ms()));
}

/// Moves the shown value `delta` points on (wrapping); 0 shows the first when none is shown.
fn step_active(hits: RwSignal<Vec<Hit>>, active: RwSignal<Option<usize>>, delta: i64) {
    let n = hits.with_untracked(|h| h.len()) as i64;
    if n == 0 {
        return;
    }
    let next = match active.get_untracked() {
        None => 0,
        Some(i) => (i as i64 + delta).rem_euclid(n),
    };
    active.set(Some(next as usize));
}

/// The arrow keys, Home and End move the shown value; Escape hides it. False for any
/// other key (left to the page).
fn read_by_key(hits: RwSignal<Vec<Hit>>, active: RwSignal<Option<usize>>, key: &str) -> bool {
    match key {
        "ArrowRight" | "ArrowDown" => step_active(hits, active, 1),
        "ArrowLeft" | "ArrowUp" => step_active(hits, active, -1),
        "Home" => active.set(Some(0)),
        "End" => active.set(Some(hits.with_untracked(|h| h.len().saturating_sub(1)))),
        "Escape" => active.set(None),
        _ => return false,
    }
    true
}

/// The box with a point's exact value, kept inside a chart `width` px wide.
fn value_tip(h: Hit, width: u32) -> impl IntoView {
    let (x, y) = h.anchor();
    // Right half points get a box to their left. Set through the CSSOM (style:...): the
    // Content-Security-Policy refuses style attributes.
    let (left, right) = if x > width as f64 / 2.0 {
        ("auto".to_string(), format!("{:.0}px", width as f64 - x))
    } else {
        (format!("{x:.0}px"), "auto".to_string())
    };
    view! {
        <div
            class="chart-tip"
            style:left=left
            style:right=right
            style:top=format!("{:.0}px", (y - 8.0).max(0.0))
        >
            {h.text}
        </div>
    }
}

/// The HTML legend under a chart (none when empty).
fn legend_list(legend: Vec<LegendEntry>) -> Option<impl IntoView> {
    (!legend.is_empty()).then(|| {
        let items = legend
            .into_iter()
            .map(|(text, c, sw)| {
                let class = match sw {
                    Swatch::Box => "sw box",
                    Swatch::Line => "sw line",
                    Swatch::Dot => "sw dot",
                    Swatch::Triangle => "sw tri",
                };
                view! {
                    <li>
                        <span
                            class=class
                            style:color=format!("rgb({},{},{})", c.0, c.1, c.2)
                        ></span>
                        {text}
                    </li>
                }
            })
            .collect_view();
        view! {
            <ul class="legend" aria-hidden="true">
                {items}
            </ul>
        }
    })
}

fn label_font() -> TextStyle<'static> {
    ("sans-serif", LABEL_PX).into_font().into()
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

/// An axis label in dollars, short.
fn usd(v: f64) -> String {
    if v >= 10_000.0 {
        format!("${:.0}k", v / 1000.0)
    } else {
        format!("${v:.0}")
    }
}

/// Label counts that keep axis labels apart: about one per 70 px across, one per 34 px up.
fn label_counts(area: &Area) -> (usize, usize) {
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
fn bar_chart<'a>(
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

/// A bar from 0 (or `below`) to `top` in segment `i`, with a margin each side.
fn bar(
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
    let (x_labels, y_labels) = label_counts(root);
    let mut chart = ChartBuilder::on(root)
        .caption("Monthly cost against peak traffic", ("sans-serif", 16))
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
        .x_desc("Peak API requests per second")
        .y_desc("USD per month")
        .x_label_formatter(&|v| format!("{v:.0}"))
        .y_label_formatter(&|v| usd(*v))
        .draw()?;
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
    // One inspectable point per hour, on the running line.
    let hits: Vec<Hit> = sim
        .minutes
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
                chart.backend_coord(&(i as f64 / 60.0, m.running as f64)),
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
        .collect();
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
    let (x_labels, y_labels) = label_counts(root);
    let mut chart = ChartBuilder::on(root)
        .caption("Candidates: cost against p95 latency", ("sans-serif", 14))
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
        .x_desc("p95 latency at peak (ms)")
        .y_desc("USD per month")
        .x_label_formatter(&|v| format!("{v:.0}"))
        .y_label_formatter(&|v| usd(*v))
        .draw()?;
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

/// A chart waiting for its data: a line of text instead of an empty box.
pub fn draw_waiting(root: &Area, text: &str) -> DrawResult {
    let (w, h) = root.dim_in_pixel();
    root.draw(&Text::new(
        text.to_string(),
        (w as i32 / 2, h as i32 / 2),
        ("sans-serif", 14).into_font().color(&PALETTE[7]).pos(Pos::new(HPos::Center, VPos::Center)),
    ))?;
    Ok(Vec::new())
}
