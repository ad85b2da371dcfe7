//! The few calls into the browser the app makes: storage, history, clipboard, downloads.
//! Each returns a Result or does nothing on failure; none panics.

use wasm_bindgen::{JsCast, JsValue};

pub use crate::storage_keys::{AUTOSAVE_KEY, BASELINE_KEY, SAVED_KEY};

fn window() -> Option<web_sys::Window> {
    web_sys::window()
}

pub fn storage_get(key: &str) -> Option<String> {
    window()?.local_storage().ok()??.get_item(key).ok()?
}

pub fn storage_set(key: &str, value: &str) -> Result<(), String> {
    let storage = window()
        .and_then(|w| w.local_storage().ok().flatten())
        .ok_or("this browser keeps no local storage")?;
    storage
        .set_item(key, value)
        .map_err(|_| "the browser refused to save (storage full or private mode)".to_string())
}

pub fn location_hash() -> String {
    window().and_then(|w| w.location().hash().ok()).unwrap_or_default()
}

/// Writes the fragment into the address bar: a new history entry (`push`) or in place.
pub fn set_hash(fragment: &str, push: bool) {
    let Some(w) = window() else { return };
    let Ok(history) = w.history() else { return };
    let url = format!("#{fragment}");
    if window().and_then(|w| w.location().hash().ok()).as_deref() == Some(url.as_str()) {
        return;
    }
    let _ = if push {
        history.push_state_with_url(&JsValue::NULL, "", Some(&url))
    } else {
        history.replace_state_with_url(&JsValue::NULL, "", Some(&url))
    };
}

/// The page's address with a given fragment, for the share link.
pub fn url_with_hash(fragment: &str) -> String {
    let Some(w) = window() else { return format!("#{fragment}") };
    let loc = w.location();
    let base = format!(
        "{}{}{}",
        loc.origin().unwrap_or_default(),
        loc.pathname().unwrap_or_default(),
        loc.search().unwrap_or_default()
    );
    format!("{base}#{fragment}")
}

/// The page's own address without fragment or query: where "Reopen in the planner" points.
pub fn page_url() -> String {
    let Some(w) = window() else { return String::new() };
    let loc = w.location();
    format!("{}{}", loc.origin().unwrap_or_default(), loc.pathname().unwrap_or_default())
}

pub fn storage_remove(key: &str) {
    if let Some(storage) = window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = storage.remove_item(key);
    }
}

/// The window's inner width in CSS pixels.
pub fn viewport_width() -> f64 {
    window().and_then(|w| w.inner_width().ok()).and_then(|v| v.as_f64()).unwrap_or(0.0)
}

/// Device pixels per CSS pixel (2 on most phones), at least 1.
pub fn device_pixel_ratio() -> f64 {
    window().map(|w| w.device_pixel_ratio()).filter(|r| r.is_finite() && *r >= 1.0).unwrap_or(1.0)
}

/// Copies text with the async Clipboard API; resolves to an error message on refusal.
pub async fn copy_text(text: String) -> Result<(), String> {
    let w = window().ok_or("no window")?;
    let clipboard = js_sys::Reflect::get(&w.navigator(), &JsValue::from_str("clipboard"))
        .map_err(|_| "no clipboard")?;
    if clipboard.is_undefined() {
        return Err("this page has no clipboard access (it needs https or localhost)".into());
    }
    let write = js_sys::Reflect::get(&clipboard, &JsValue::from_str("writeText"))
        .map_err(|_| "no clipboard")?;
    let write: js_sys::Function = write.dyn_into().map_err(|_| "no clipboard")?;
    let promise: js_sys::Promise = write
        .call1(&clipboard, &JsValue::from_str(&text))
        .map_err(|_| "copy refused")?
        .dyn_into()
        .map_err(|_| "copy refused")?;
    wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .map(|_| ())
        .map_err(|_| "the browser refused the copy".to_string())
}

/// Offers bytes as a file download.
pub fn download_bytes(name: &str, mime: &str, bytes: &[u8]) -> Result<(), String> {
    let array = js_sys::Uint8Array::from(bytes);
    let parts = js_sys::Array::of1(&array);
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &opts)
        .map_err(|_| "cannot make the file")?;
    let url =
        web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| "cannot make the file")?;
    let result = click_link(name, &url);
    let _ = web_sys::Url::revoke_object_url(&url);
    result
}

/// Offers a data: URL (a chart's PNG) as a download.
pub fn download_url(name: &str, url: &str) -> Result<(), String> {
    click_link(name, url)
}

fn click_link(name: &str, url: &str) -> Result<(), String> {
    let doc = window().and_then(|w| w.document()).ok_or("no document")?;
    let a: web_sys::HtmlAnchorElement =
        doc.create_element("a").map_err(|_| "no link")?.dyn_into().map_err(|_| "no link")?;
    a.set_href(url);
    a.set_download(name);
    a.click();
    Ok(())
}

/// Removes the release's snapshot of the first frame (web/first-frame.js shows it while the wasm
/// loads); whether it was there.
/// Removes the loading cue of index.html (shown on every visit until the app starts).
pub fn remove_loading_cue() {
    if let Some(el) =
        window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("loading"))
    {
        el.remove();
    }
}

pub fn remove_first_frame_snapshot() -> bool {
    let snapshot =
        window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("first-frame"));
    snapshot.map(|el| el.remove()).is_some()
}

/// Whether the element with `id` is laid out with some height.
pub fn has_height(id: &str) -> bool {
    window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .is_some_and(|el| el.get_bounding_client_rect().height() > 0.0)
}

/// Scrolls the element with `id` into view when any part of it is outside the window (a
/// message beside a control must be where the eye is); does nothing when it is in view.
pub fn bring_into_view(id: &str) {
    let Some(w) = window() else { return };
    let Some(el) = w.document().and_then(|d| d.get_element_by_id(id)) else { return };
    let r = el.get_bounding_client_rect();
    let height = w.inner_height().ok().and_then(|v| v.as_f64()).unwrap_or(0.0);
    if r.top() < 0.0 || r.bottom() > height {
        el.scroll_into_view_with_bool(false);
    }
}

/// Today's date as the reader's clock has it, "2026-12-06".
pub fn today() -> String {
    let d = js_sys::Date::new_0();
    format!("{:04}-{:02}-{:02}", d.get_full_year(), d.get_month() + 1, d.get_date())
}

pub fn now_ms() -> f64 {
    window().and_then(|w| w.performance()).map(|p| p.now()).unwrap_or(0.0)
}

pub fn print_page() {
    if let Some(w) = window() {
        let _ = w.print();
    }
}

/// Reads the file chosen in a file input's change event as text, then calls `then` with its
/// name and the text (or why it could not be read). The input is cleared first, so choosing
/// the same file again (after fixing it) reads it again. No file chosen: nothing happens.
/// A file over `max_bytes` is refused by its size, before it is read into memory.
pub fn read_chosen_file(
    ev: &web_sys::Event,
    max_bytes: usize,
    then: impl FnOnce(String, Result<String, String>) + 'static,
) {
    let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
    else {
        return;
    };
    let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
    input.set_value("");
    let file = gloo::file::File::from(file);
    if file.size() > max_bytes as u64 {
        let (mb, max) = (file.size() as f64 / 1e6, max_bytes as f64 / 1024.0 / 1024.0);
        then(file.name(), Err(format!("it is {mb:.1} MB, more than the {max:.0} MB read here")));
        return;
    }
    leptos::task::spawn_local(async move {
        let text = gloo::file::futures::read_as_text(&file).await.map_err(|e| e.to_string());
        then(file.name(), text);
    });
}
