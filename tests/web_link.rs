//! Opening a stranger's link in the app (issue #26): a link that overrides prices says first
//! what the plan costs at published prices, and the user's autosave is neither replaced before
//! an edit nor lost: the page offers to go back to it (wasm-bindgen-test, headless Chromium).
#![cfg(target_arch = "wasm32")]

use bridge_planner::model::display::override_warning;
use bridge_planner::model::{plan, share, PriceKey, Tier};
use bridge_planner::ui::App;
use gloo::timers::future::TimeoutFuture;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const AUTOSAVE: &str = "bridge-planner.autosave";

fn storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

#[wasm_bindgen_test]
async fn a_link_with_prices_says_so_and_keeps_the_autosave() {
    let catalog = bridge_planner::ui::catalog();
    // My own work, autosaved on an earlier visit.
    let mine = Tier::Small.scenario();
    storage().clear().unwrap();
    storage().set_item(AUTOSAVE, &share::encode_file(&mine)).unwrap();
    // A stranger's link that sets every price to 0.
    let mut theirs = Tier::Large.scenario();
    for key in catalog.prices.keys() {
        theirs.price_overrides.insert(PriceKey::parse(key).unwrap(), 0.0);
    }
    let hash = format!("#{}", share::encode_link(&theirs));
    let w = web_sys::window().unwrap();
    w.history()
        .unwrap()
        .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&hash))
        .unwrap();
    let doc = w.document().unwrap();
    let root: web_sys::HtmlElement = doc.create_element("div").unwrap().dyn_into().unwrap();
    doc.body().unwrap().append_child(&root).unwrap();
    leptos::mount::mount_to(root.clone(), App).forget();
    TimeoutFuture::new(600).await; // past the 200 ms autosave delay

    let notice = root.query_selector(".notice[role=alert] span").unwrap().unwrap();
    let expected = override_warning("link", &plan(&theirs, catalog)).unwrap();
    assert!(notice.text_content().unwrap().starts_with(&expected), "{:?}", notice.text_content());
    // The summary bar states the published-price total beside the one shown.
    assert!(root.query_selector("#sb-published").unwrap().is_some());
    // The autosave is still mine: nothing was edited.
    assert_eq!(storage().get_item(AUTOSAVE).unwrap(), Some(share::encode_file(&mine)));
    // "Back to my scenario" brings it back.
    let back: web_sys::HtmlElement =
        root.query_selector("#autosave-back").unwrap().expect("the offer").dyn_into().unwrap();
    back.click();
    TimeoutFuture::new(50).await;
    assert!(root.query_selector("#autosave-offer").unwrap().is_none());
    let total = root.query_selector("#sb-total").unwrap().unwrap().text_content().unwrap();
    assert_eq!(total, bridge_planner::model::display::usd(plan(&mine, catalog).monthly_total_usd));
}
