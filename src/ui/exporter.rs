//! The page's side of the exports worker (`crate::exports_worker`, a second wasm): started on
//! the first request, requests held until it says it is ready, each reply handed to its
//! callback. The component tests (no trunk, so no worker build) install the worker's answer
//! function in the page with `set_local`.

use std::cell::RefCell;
use std::collections::HashMap;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The worker's start-up script: scripts/post-build.mjs names it by its content and writes its
/// address into `<meta name="exports-worker">`; trunk's own name is the fallback.
fn worker_url() -> String {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector("meta[name=exports-worker]").ok().flatten())
        .and_then(|m| m.get_attribute("content"))
        .unwrap_or_else(|| "./exports-worker_loader.js".into())
}

/// How long a request may go unanswered before the worker is taken as stuck (a calibration of
/// the largest metrics file accepted takes a few seconds): it is then stopped, every waiting
/// request gets `STUCK`, shown beside the control that asked, and the next request starts a
/// fresh worker.
pub const REPLY_TIMEOUT_MS: u32 = 30_000;
thread_local! {
    /// `REPLY_TIMEOUT_MS`, shorter in the component test that hangs a worker on purpose.
    static TIMEOUT_MS: std::cell::Cell<u32> = const { std::cell::Cell::new(REPLY_TIMEOUT_MS) };
}

/// Sets the reply timeout (tests: a worker that never answers, without waiting 30 s).
pub fn set_reply_timeout_ms(ms: u32) {
    TIMEOUT_MS.with(|t| t.set(ms));
}
pub const STUCK: &str =
    "no answer after 30 s, so the exports worker was stopped; the next request \
    (try again) starts a new one";

/// A file's content (a string, or a `Uint8Array` for the archive), or why there is none.
pub type Reply = Result<JsValue, String>;
type Callback = Box<dyn FnOnce(Reply)>;
type Answer = fn(&JsValue) -> JsValue;

#[derive(Default)]
struct Client {
    worker: Option<web_sys::Worker>,
    ready: bool,
    queue: Vec<js_sys::Array>,
    waiting: HashMap<u32, Callback>,
    next_id: u32,
    handlers: Vec<Closure<dyn Fn(JsValue)>>,
    local: Option<Answer>,
}

thread_local! {
    static CLIENT: RefCell<Client> = RefCell::new(Client::default());
}

/// Answers requests in the page with `answer` instead of a worker (component tests).
pub fn set_local(answer: Answer) {
    CLIENT.with(|c| c.borrow_mut().local = Some(answer));
}

/// Whether requests are answered in the page (then the panel needs not wait to be seen).
pub fn is_local() -> bool {
    CLIENT.with(|c| c.borrow().local.is_some())
}

/// Asks for one export file by name (or `exports_worker::ALL`: the tar archive) of the
/// scenario given as JSON; `done` gets the reply.
pub fn request(
    file: &str,
    planner_url: &str,
    scenario_json: String,
    done: impl FnOnce(Reply) + 'static,
) {
    let (id, local) = CLIENT.with(|c| {
        let mut c = c.borrow_mut();
        c.next_id = c.next_id.wrapping_add(1);
        (c.next_id, c.local)
    });
    // The catalog file in use, if any, so the worker prices as the page does.
    let catalog = super::catalog::active_text();
    let message = js_sys::Array::of5(
        &JsValue::from(id),
        &JsValue::from_str(file),
        &JsValue::from_str(planner_url),
        &JsValue::from_str(&scenario_json),
        &JsValue::from_str(catalog.as_deref().unwrap_or("")),
    );
    if let Some(answer) = local {
        done(parse(&answer(&message)).1);
        return;
    }
    let started = CLIENT.with(|c| {
        let mut c = c.borrow_mut();
        c.waiting.insert(id, Box::new(done));
        if c.worker.is_none() && !start(&mut c) {
            return false;
        }
        if c.ready {
            c.worker.as_ref().is_some_and(|w| w.post_message(&message).is_ok())
        } else {
            c.queue.push(message);
            true
        }
    });
    if !started {
        fail_all("the exports could not start in this browser");
        return;
    }
    // A worker that hangs (a hostile file) must not hold the panels until a reload.
    gloo::timers::callback::Timeout::new(TIMEOUT_MS.with(std::cell::Cell::get), move || {
        if CLIENT.with(|c| c.borrow().waiting.contains_key(&id)) {
            fail_all(STUCK);
        }
    })
    .forget();
}

fn start(c: &mut Client) -> bool {
    let Ok(worker) = web_sys::Worker::new(&worker_url()) else { return false };
    let on_message = Closure::<dyn Fn(JsValue)>::new(|ev: JsValue| {
        on_message(ev.unchecked_into::<web_sys::MessageEvent>().data())
    });
    // The worker's script or wasm could not load (offline before the first visit cached it).
    let on_error = Closure::<dyn Fn(JsValue)>::new(|_| {
        fail_all("the exports could not load; reconnect and try again")
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    // Kept (not replaced) across restarts: a restart may happen inside the old error handler.
    c.handlers.extend([on_message, on_error]);
    c.worker = Some(worker);
    c.ready = false;
    true
}

fn on_message(data: JsValue) {
    if data.as_string().as_deref() == Some("ready") {
        CLIENT.with(|c| {
            let mut c = c.borrow_mut();
            c.ready = true;
            let queue = std::mem::take(&mut c.queue);
            if let Some(w) = c.worker.as_ref() {
                queue.iter().for_each(|m| {
                    let _ = w.post_message(m);
                });
            }
        });
        return;
    }
    let (id, reply) = parse(&data);
    // Take the callback out before calling it: it may make the next request.
    let done = CLIENT.with(|c| c.borrow_mut().waiting.remove(&id));
    if let Some(done) = done {
        done(reply);
    }
}

/// Every waiting request gets `message`; the next request starts a new worker.
fn fail_all(message: &str) {
    let waiting: Vec<Callback> = CLIENT.with(|c| {
        let mut c = c.borrow_mut();
        if let Some(w) = c.worker.take() {
            w.terminate();
        }
        c.ready = false;
        c.queue.clear();
        c.waiting.drain().map(|(_, done)| done).collect()
    });
    for done in waiting {
        done(Err(message.to_string()));
    }
}

fn parse(reply: &JsValue) -> (u32, Reply) {
    let reply: &js_sys::Array = reply.unchecked_ref();
    let id = reply.get(0).as_f64().unwrap_or(0.0) as u32;
    let payload = reply.get(2);
    if reply.get(1).as_bool() == Some(true) {
        (id, Ok(payload))
    } else {
        (id, Err(payload.as_string().unwrap_or_default()))
    }
}

/// For a panel that needs the worker: `opened` becomes true, for good, the first time the
/// returned section is in view (or when the panel sets it on use, e.g. a click), so the worker
/// starts only when someone looks at exports or calibration.
pub fn open_when_seen(
) -> (leptos::prelude::RwSignal<bool>, leptos::prelude::NodeRef<leptos::html::Section>) {
    use leptos::prelude::*;
    let opened = RwSignal::new(is_local());
    let in_view = RwSignal::new(false);
    let section = NodeRef::<leptos::html::Section>::new();
    let watched = StoredValue::new(None::<u32>);
    on_cleanup(move || {
        watched.try_get_value().flatten().into_iter().for_each(super::onscreen::unwatch)
    });
    Effect::new(move |_| {
        if let (Some(el), None) = (section.get(), watched.get_value()) {
            watched.set_value(super::onscreen::watch(&el, in_view));
        }
    });
    Effect::new(move |_| {
        if in_view.get() && !opened.get_untracked() {
            opened.set(true);
        }
    });
    (opened, section)
}
