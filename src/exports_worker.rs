//! The exports worker: a second wasm (`src/bin/exports-worker.rs`, built by trunk as a web
//! worker) that holds the export generators and their templates, so the page's own wasm does
//! not. The Exports panel starts it when the panel first comes into view (`ui/exporter.rs`);
//! the service worker caches it with the rest of the release, so the exports work offline.
//!
//! One message in, one out. In: `[id, file, planner_url, scenario_json]`, where `file` is an
//! export file's name or `ALL` for the tar archive. Out: `[id, true, content]` (a string, or a
//! `Uint8Array` for the archive) or `[id, false, message]`. The worker posts `"ready"` once its
//! handler is installed; the page holds its requests until then.

use crate::export::{self, Context, ExportFile};
use crate::model::{plan, Catalog, Scenario};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The `file` of a request for every file, as one tar archive.
pub const ALL: &str = "*";

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

/// The reply to one request (also called directly by the component tests, which run without
/// trunk's worker build).
pub fn answer(request: &JsValue, catalog: &Catalog) -> JsValue {
    let request: &js_sys::Array = request.unchecked_ref();
    let id = request.get(0);
    let text = |i: u32| request.get(i).as_string().unwrap_or_default();
    let (ok, payload) = match render(&text(1), &text(2), &text(3), catalog) {
        Ok(payload) => (true, payload),
        Err(message) => (false, JsValue::from_str(&message)),
    };
    js_sys::Array::of3(&id, &JsValue::from_bool(ok), &payload).into()
}

fn render(file: &str, url: &str, json: &str, catalog: &Catalog) -> Result<JsValue, String> {
    let s = Scenario::from_json(json, catalog).map_err(|e| e.message())?;
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
