//! The exports worker: a second wasm (`src/bin/exports-worker.rs`, built by trunk as a web
//! worker) that holds the export generators and their templates, the metrics fetch script and
//! the calibration, so the page's own wasm does not. The Exports and Calibrate panels start it
//! when they first come into view or are used (`ui/exporter.rs`); the service worker caches it
//! with the rest of the release, so both work offline.
//!
//! One message in, one out. In: `[id, what, argument, scenario_json, catalog_json]`
//! (`catalog_json` the catalog file the page prices with, empty for the built-in catalog):
//! - `what` an export file's name, or `ALL` for the tar archive; `argument` the planner's URL;
//! - `what` = `FETCH_SCRIPT`: the `get-metric-data` script for the scenario's stack;
//! - `what` = `CALIBRATE`, `argument` the metrics file's text: the calibration, as
//!   `[scenario_json, summary, rows, [latency_ok, latency_text], problems]`, each row
//!   `[label, current, calibrated or "kept", source, note, points, changed]` (text, so the page
//!   needs no deserializer for it).
//!
//! Out: `[id, true, payload]` or `[id, false, message]`. The worker posts `"ready"` once its
//! handler is installed; the page holds its requests until then.

use crate::export::{self, Context, ExportFile};
use crate::model::calibrate::{calibrate, Calibration, LatencyCheck};
use crate::model::{plan, Catalog, Scenario};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The `what` of a request for every export file, as one tar archive.
pub const ALL: &str = "*";
/// The `what` of a request for the metrics fetch script.
pub const FETCH_SCRIPT: &str = "fetch-script";
/// The `what` of a request for a calibration from a metrics file.
pub const CALIBRATE: &str = "calibrate";

/// Installs the message handler in the worker and tells the page it is ready.
pub fn start() {
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let catalog = Catalog::embedded();
    let reply_to = scope.clone();
    let on_message =
        Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
            let _ = reply_to.post_message(&answer(&ev.data(), &catalog));
        });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    let _ = scope.post_message(&JsValue::from_str("ready"));
}

thread_local! {
    /// The last catalog file a request named, read once: (its text, the catalog).
    static FILE_CATALOG: std::cell::RefCell<Option<(String, Catalog)>> = const {
        std::cell::RefCell::new(None) };
}

/// The reply to one request (also called directly by the component tests, which run without
/// trunk's worker build). `built_in` prices a request that names no catalog file.
pub fn answer(request: &JsValue, built_in: &Catalog) -> JsValue {
    let request: &js_sys::Array = request.unchecked_ref();
    let id = request.get(0);
    let text = |i: u32| request.get(i).as_string().unwrap_or_default();
    let catalog_text = text(4);
    let result = if catalog_text.is_empty() {
        render(&text(1), &text(2), &text(3), built_in)
    } else {
        with_file_catalog(catalog_text, |c| render(&text(1), &text(2), &text(3), c))
    };
    let (ok, payload) = match result {
        Ok(payload) => (true, payload),
        Err(message) => (false, JsValue::from_str(&message)),
    };
    js_sys::Array::of3(&id, &JsValue::from_bool(ok), &payload).into()
}

fn with_file_catalog(
    text: String,
    f: impl FnOnce(&Catalog) -> Result<JsValue, String>,
) -> Result<JsValue, String> {
    FILE_CATALOG.with(|cell| {
        let mut cell = cell.borrow_mut();
        if cell.as_ref().is_none_or(|(t, _)| *t != text) {
            let catalog =
                Catalog::from_json(&text).map_err(|e| format!("the catalog file: {e}"))?;
            *cell = Some((text, catalog));
        }
        f(&cell.as_ref().expect("just set").1)
    })
}

fn render(what: &str, argument: &str, json: &str, catalog: &Catalog) -> Result<JsValue, String> {
    let s = Scenario::from_json(json, catalog).map_err(|e| e.message())?;
    match what {
        FETCH_SCRIPT => {
            return Ok(export::metrics_query::fetch_script_for(&s, catalog).into());
        }
        CALIBRATE => {
            return calibrate(&s, catalog, argument)
                .map(|c| calibration(&c))
                .map_err(|e| e.to_string())
        }
        _ => {}
    }
    let (file, url) = (what, argument);
    let p = plan(&s, catalog);
    let c = Context::new(&s, &p, url);
    if file == ALL {
        let archive = export::tar_archive(&export::render_all(&c));
        return Ok(js_sys::Uint8Array::from(archive.as_slice()).into());
    }
    let kind = ExportFile::by_name(file).ok_or("no such export file")?;
    let rendered = export::render(&c, kind).ok_or("this scenario has no such file")?;
    Ok(JsValue::from_str(&rendered.content))
}

/// A calibration as the Calibrate panel shows it (see the module's comment for the shape).
fn calibration(c: &Calibration) -> JsValue {
    let w = &c.window;
    let summary = format!(
        "{} of {} fields calibrated from {} to {} ({:.1} days, {}-second periods).",
        c.calibrated_count(),
        c.rows.len(),
        w.start,
        w.end,
        w.days,
        w.period_s,
    );
    let rows: js_sys::Array = c
        .rows
        .iter()
        .map(|r| {
            let calibrated = r
                .calibrated
                .as_ref()
                .map(|v| format!("{} {}", v.text(), r.unit))
                .unwrap_or("kept".into());
            let row: [JsValue; 7] = [
                r.label.into(),
                format!("{} {}", r.current.text(), r.unit).into(),
                calibrated.into(),
                r.source.as_str().into(),
                r.note.as_str().into(),
                (r.points as f64).into(),
                r.calibrated.is_some().into(),
            ];
            JsValue::from(row.into_iter().collect::<js_sys::Array>())
        })
        .collect();
    let latency = match &c.latency {
        Ok(l) => js_sys::Array::of2(&true.into(), &latency_text(l).into()),
        Err(e) => js_sys::Array::of2(
            &false.into(),
            &format!("Measured against predicted p95: not available — {e}.").into(),
        ),
    };
    let problems: js_sys::Array = c.problems.iter().map(|p| JsValue::from(p.as_str())).collect();
    let json = serde_json::to_string(&c.scenario).unwrap_or_default();
    let parts: [JsValue; 5] =
        [json.into(), summary.into(), rows.into(), latency.into(), problems.into()];
    parts.into_iter().collect::<js_sys::Array>().into()
}

fn latency_text(l: &LatencyCheck) -> String {
    let ms = |v: Option<f64>| match v {
        Some(v) if v.is_finite() => format!("{v:.0} ms"),
        _ => "saturated".to_string(),
    };
    let measured_p50 = l.measured_p50_ms.map(|v| ms(Some(v))).unwrap_or("not fetched".into());
    format!(
        "p95 at the busiest hour ({}, {:.2} req/s on {} tasks, {} points): measured {}, the model \
            predicts {}; p50 measured {measured_p50}, predicted {}.{}",
        l.hour,
        l.rps,
        l.tasks,
        l.points,
        ms(Some(l.measured_p95_ms)),
        ms(l.predicted_p95_ms),
        ms(l.predicted_p50_ms),
        l.verdict(),
    )
}
