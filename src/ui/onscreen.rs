//! Whether an element is in the viewport, as a signal: a chart out of view skips its repaint
//! until it scrolls into view. One IntersectionObserver watches every chart.

use leptos::prelude::*;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, IntersectionObserver, IntersectionObserverEntry};

struct Watcher {
    observer: IntersectionObserver,
    _callback: Closure<dyn FnMut(js_sys::Array)>,
    targets: Vec<(u32, Element, RwSignal<bool>)>,
    next_key: u32,
}

thread_local! {
    static WATCHER: RefCell<Option<Watcher>> = const { RefCell::new(None) };
}

fn on_entries(entries: js_sys::Array) {
    // Collect first: setting a signal runs effects, which may watch or unwatch elements.
    let changes: Vec<(RwSignal<bool>, bool)> = WATCHER.with(|w| {
        let w = w.borrow();
        let Some(w) = w.as_ref() else { return Vec::new() };
        entries
            .iter()
            .filter_map(|e| e.dyn_into::<IntersectionObserverEntry>().ok())
            .filter_map(|e| {
                let target = e.target();
                w.targets.iter().find(|t| t.1 == target).map(|t| (t.2, e.is_intersecting()))
            })
            .collect()
    });
    for (signal, visible) in changes {
        if signal.try_get_untracked() != Some(visible) {
            signal.try_set(visible);
        }
    }
}

/// Whether any part of the element is inside the viewport now (one layout read, at mount).
pub fn in_viewport(el: &Element) -> bool {
    let r = el.get_bounding_client_rect();
    let window = web_sys::window();
    let height = window
        .as_ref()
        .and_then(|w| w.inner_height().ok())
        .and_then(|v| v.as_f64())
        .unwrap_or(f64::MAX);
    let width = window
        .as_ref()
        .and_then(|w| w.inner_width().ok())
        .and_then(|v| v.as_f64())
        .unwrap_or(f64::MAX);
    r.bottom() > 0.0 && r.top() < height && r.right() > 0.0 && r.left() < width
}

/// Keeps `visible` equal to whether `el` is in the viewport, until `unwatch(key)`. Without
/// IntersectionObserver the element counts as always visible.
pub fn watch(el: &Element, visible: RwSignal<bool>) -> Option<u32> {
    watch_from(el, visible, in_viewport(el))
}

/// `watch`, starting from `now_visible` (read by the caller along with other layout, so this
/// adds no layout read).
pub fn watch_from(el: &Element, visible: RwSignal<bool>, now_visible: bool) -> Option<u32> {
    visible.set(now_visible);
    let key = WATCHER.with(|w| {
        let mut w = w.borrow_mut();
        if w.is_none() {
            let callback = Closure::<dyn FnMut(js_sys::Array)>::new(on_entries);
            let observer = IntersectionObserver::new(callback.as_ref().unchecked_ref()).ok()?;
            *w = Some(Watcher { observer, _callback: callback, targets: Vec::new(), next_key: 0 });
        }
        let w = w.as_mut()?;
        let key = w.next_key;
        w.next_key += 1;
        w.observer.observe(el);
        w.targets.push((key, el.clone(), visible));
        Some(key)
    });
    if key.is_none() {
        visible.set(true);
    }
    key
}

pub fn unwatch(key: u32) {
    WATCHER.with(|w| {
        if let Some(w) = w.borrow_mut().as_mut() {
            if let Some(i) = w.targets.iter().position(|t| t.0 == key) {
                let (_, el, _) = w.targets.swap_remove(i);
                w.observer.unobserve(&el);
            }
        }
    })
}

thread_local! {
    static SNAPSHOT_WAS_SHOWN: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether the build's snapshot of the first frame (web/first-frame.js) was on screen when the
/// app started (`ui::start`).
pub fn snapshot_was_shown() -> bool {
    SNAPSHOT_WAS_SHOWN.with(std::cell::Cell::get)
}

pub fn set_snapshot_was_shown(shown: bool) {
    SNAPSHOT_WAS_SHOWN.with(|s| s.set(shown));
}

/// Runs `f` in the task after the app's first one: after the first chart is drawn.
pub fn after_first_paint(f: impl FnOnce() + 'static) {
    set_timeout(f, std::time::Duration::ZERO);
}

/// Renders its children in the task after the app's first one, so the first chart is drawn
/// (and can be painted) before the inputs and the panels further down build: the inputs are
/// the largest part of the first screen to build and lay out, and simulation, exports, tables
/// and the share link together take longer than the charts.
#[component]
pub fn AfterFirstPaint(children: ChildrenFn) -> impl IntoView {
    let ready = RwSignal::new(false);
    after_first_paint(move || ready.set(true));
    move || ready.get().then(|| children())
}
