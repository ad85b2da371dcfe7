//! The exports worker's requests time out (issue #26): a worker that never answers (a hostile
//! metrics file hung it) is stopped, the request gets the message the panel shows beside its
//! control, and the next request starts a new worker (wasm-bindgen-test, headless Chromium).
#![cfg(target_arch = "wasm32")]

use bridge_planner::ui::exporter;
use gloo::timers::future::TimeoutFuture;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Points the client at a worker script that never answers (not even "ready").
fn silent_worker() {
    let parts = js_sys::Array::of1(&"onmessage = function () {};".into());
    let blob = web_sys::Blob::new_with_str_sequence(&parts).unwrap();
    let url = web_sys::Url::create_object_url_with_blob(&blob).unwrap();
    let doc = web_sys::window().unwrap().document().unwrap();
    let meta = doc.create_element("meta").unwrap();
    meta.set_attribute("name", "exports-worker").unwrap();
    meta.set_attribute("content", &url).unwrap();
    doc.head().unwrap().append_child(&meta).unwrap();
}

#[wasm_bindgen_test]
async fn a_silent_worker_is_stopped_and_the_request_says_so() {
    silent_worker();
    exporter::set_reply_timeout_ms(300);
    let replies: Rc<RefCell<Vec<Result<String, String>>>> = Rc::default();
    for _ in 0..2 {
        let r = replies.clone();
        exporter::request("taskdef.json", "", "{}".into(), move |reply| {
            r.borrow_mut().push(reply.map(|v| v.as_string().unwrap_or_default()));
        });
    }
    TimeoutFuture::new(100).await;
    assert!(replies.borrow().is_empty(), "no answer yet");
    TimeoutFuture::new(500).await;
    assert_eq!(*replies.borrow(), vec![Err(exporter::STUCK.to_string()); 2]);
    // The next request starts a new worker (this one silent too): it times out again, once.
    let r = replies.clone();
    exporter::request("taskdef.json", "", "{}".into(), move |reply| {
        r.borrow_mut().push(reply.map(|v| v.as_string().unwrap_or_default()));
    });
    TimeoutFuture::new(600).await;
    assert_eq!(replies.borrow().len(), 3);
}
