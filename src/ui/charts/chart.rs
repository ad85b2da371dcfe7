//! The `Chart` component: paints a drawing when its signals or size change, while in view,
//! and shows the exact value of a point on hover, tap or arrow keys; its HTML legend.

use super::{nearest, Area, DrawResult, Hit, LegendEntry, PaintAll, Printing, Swatch, Viewport};
use super::{NARROW, PRINT_WIDTH};
use crate::ui::canvas::MeasuredCanvas;
use leptos::html;
use leptos::prelude::*;
use plotters::prelude::*;
use web_sys::HtmlCanvasElement;

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
    /// Logical width when printed (default `PRINT_WIDTH`), for a chart the style sheet prints
    /// at another width.
    #[prop(optional)]
    print_width: Option<u32>,
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
    let shape = Shape {
        aspect: aspect.unwrap_or(0.55),
        narrow_aspect,
        print_width: print_width.unwrap_or(PRINT_WIDTH),
    };
    measure_on_resize(canvas, size, shape, in_view_at_measure);
    repaint_on_change(canvas, size, draw, error, hits, in_view_at_measure);
    let shown = move || active.get().and_then(|i| hits.with(|h| h.get(i).cloned()));
    let step = move |delta: i64| step_active(hits, active, delta);
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        if read_by_key(hits, active, &ev.key()) {
            ev.prevent_default();
        }
    };
    let (pointer, on_pointer) = follow_pointer(hits, active);
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

/// Where the pointer rests on the chart and the value under it: a repaint under a resting
/// pointer (new data, or the first paint of a chart just scrolled into view) shows the value
/// now under it.
fn follow_pointer(
    hits: RwSignal<Vec<Hit>>,
    active: RwSignal<Option<usize>>,
) -> (StoredValue<Option<(f64, f64)>>, impl Fn(leptos::ev::PointerEvent) + Copy + 'static) {
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
    (pointer, on_pointer)
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
        watched.try_get_value().flatten().into_iter().for_each(crate::ui::onscreen::unwatch)
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
            let now = in_view_at_measure
                .get_value()
                .unwrap_or_else(|| crate::ui::onscreen::in_viewport(&el));
            watched.set_value(crate::ui::onscreen::watch_from(&el, visible, now));
        }
        // Tracking `visible` here is what repaints the chart once it is back in view.
        if !visible.get() && !paint_all.is_some_and(|p| p.0.get()) {
            return;
        }
        let ink = ink.get_or_init(crate::ui::canvas::detached_canvas).clone();
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

/// How a chart is sized: height as a share of the width (on a phone too), width in print.
#[derive(Clone, Copy)]
struct Shape {
    aspect: f64,
    narrow_aspect: Option<f64>,
    print_width: u32,
}

/// Sets the chart's CSS size from its container's width, at mount and when the page is
/// resized (no layout read per repaint).
fn measure_on_resize(
    canvas: NodeRef<html::Canvas>,
    size: RwSignal<(u32, u32)>,
    shape: Shape,
    in_view_at_measure: StoredValue<Option<bool>>,
) {
    let Shape { aspect, narrow_aspect, print_width } = shape;
    let viewport = use_context::<Viewport>();
    let printing = use_context::<Printing>();
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
        let on_screen = parent.as_ref().map(|p| p.client_width()).unwrap_or(0).max(0) as u32;
        let printed = printing.is_some_and(|p| p.0.get());
        let width = if printed && on_screen > 0 { print_width } else { on_screen };
        if width == 0 {
            if waited < 60 {
                request_animation_frame(move || {
                    frames_waited.try_update(|n| *n += 1);
                });
            }
            return;
        }
        // The layout is fresh from reading the width: this read costs nothing more.
        in_view_at_measure.set_value(parent.as_ref().map(crate::ui::onscreen::in_viewport));
        let ratio = if width < NARROW { narrow_aspect.unwrap_or(aspect) } else { aspect };
        let height = ((width as f64 * ratio).round() as u32).clamp(220, 420);
        if size.get_untracked() != (width, height) {
            size.set((width, height));
        }
    });
}

/// Gives the canvas CSS size (w, h) times devicePixelRatio pixels; returns that ratio.
fn size_backing_store(el: &HtmlCanvasElement, (w, h): (u32, u32)) -> f64 {
    let ratio = crate::ui::browser::device_pixel_ratio();
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
    let _ = el.set_attribute("data-painted-at", &format!("{:.3}", crate::ui::browser::now_ms()));
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
