//! The prices panel's catalog file in headless Chromium (wasm-bindgen-test): a catalog file
//! chosen in the file input prices the plan (the headline total changes to the engine's figure
//! with that catalog), is said to be in use, survives a reload, and the built-in catalog comes
//! back with one button. A bad file is explained and changes nothing.
#![cfg(target_arch = "wasm32")]

use bridge_planner::model::display::usd;
use bridge_planner::model::{plan, Catalog, Tier};
use bridge_planner::ui::App;
use gloo::timers::future::TimeoutFuture;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_sys::{HtmlElement, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

fn doc() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

fn storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

/// The app on the Medium tier; `keep` leaves local storage as it is (a reload).
fn mount(keep: bool) -> HtmlElement {
    if !keep {
        storage().clear().unwrap();
    } else {
        let _ = storage().remove_item("bridge-planner.autosave");
    }
    let w = web_sys::window().unwrap();
    let _ =
        w.history().unwrap().replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some("#"));
    let root: HtmlElement = doc().create_element("div").unwrap().dyn_into().unwrap();
    doc().body().unwrap().append_child(&root).unwrap();
    leptos::mount::mount_to(root.clone(), App).forget();
    root
}

fn text(root: &HtmlElement, id: &str) -> Option<String> {
    root.query_selector(&format!("#{id}")).unwrap().map(|e| e.text_content().unwrap())
}

/// Waits (up to 3 s) until `check` holds; file reads and the panels below the charts are async.
async fn until(what: &str, check: impl Fn() -> bool) {
    for _ in 0..150 {
        if check() {
            return;
        }
        TimeoutFuture::new(20).await;
    }
    panic!("timed out waiting for {what}");
}

fn choose_file(root: &HtmlElement, name: &str, content: &str) {
    let input: HtmlInputElement =
        root.query_selector("#catalog-file").unwrap().unwrap().dyn_into().unwrap();
    let parts = js_sys::Array::of1(&JsValue::from_str(content));
    let file = web_sys::File::new_with_str_sequence(&parts, name).unwrap();
    let transfer = web_sys::DataTransfer::new().unwrap();
    transfer.items().add_with_file(&file).unwrap();
    input.set_files(transfer.files().as_ref());
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    input
        .dispatch_event(&web_sys::Event::new_with_event_init_dict("change", &init).unwrap())
        .unwrap();
}

/// data/catalog.json with Fargate's x86 vCPU-hour doubled (0.04048 -> 0.08096), in us-east-1's
/// AWS price list row (what us-east-1 is priced at) and in the base price.
fn dearer_catalog() -> String {
    let mut v: serde_json::Value =
        serde_json::from_str(include_str!("../data/catalog.json")).unwrap();
    let key = "fargate.x86.vcpu_hour";
    assert_eq!(v["prices"][key]["usd"], 0.04048);
    v["prices"][key]["usd"] = 0.08096.into();
    v["regions"]["us-east-1"]["listed"][key]["usd"] = 0.08096.into();
    serde_json::to_string_pretty(&v).unwrap()
}

#[wasm_bindgen_test]
async fn a_catalog_file_prices_the_plan_until_reset() {
    let root = mount(false);
    until("the prices panel", || text(&root, "catalog-in-use").is_some()).await;
    let built_in = plan(&Tier::Medium.scenario(), &Catalog::embedded()).monthly_total_usd;
    assert_eq!(text(&root, "total").unwrap(), usd(built_in));
    assert_eq!(text(&root, "catalog-in-use").unwrap(), "Prices: built-in catalog, 2025-11-04");

    // A bad file: explained, the catalog and the plan as they were.
    choose_file(&root, "bad.json", "{\"schema\": 1, oops");
    until("the refusal", || {
        text(&root, "inputs").is_some()
            && root.query_selector("#catalog-msg").unwrap().is_some_and(|n| {
                n.text_content()
                    .unwrap()
                    .contains("The catalog was not loaded: bad.json is not a planner catalog")
            })
    })
    .await;
    assert_eq!(text(&root, "catalog-in-use").unwrap(), "Prices: built-in catalog, 2025-11-04");
    assert_eq!(text(&root, "total").unwrap(), usd(built_in));

    // The dearer catalog: the total is the engine's with it.
    let file = dearer_catalog();
    let dearer =
        plan(&Tier::Medium.scenario(), &Catalog::from_json(&file).unwrap()).monthly_total_usd;
    assert!(dearer > built_in + 1.0, "{dearer} vs {built_in}");
    choose_file(&root, "dearer.json", &file);
    until("the file's catalog", || text(&root, "total").as_deref() == Some(usd(dearer).as_str()))
        .await;
    assert_eq!(
        text(&root, "catalog-in-use").unwrap(),
        "Prices: dearer.json loaded from file, as of 2025-11-04, 10 regions (10 from the AWS Price List)"
    );
    assert!(text(&root, "share-catalog-note").unwrap().contains("not your dearer.json"));
    assert_eq!(
        storage().get_item("bridge-planner.catalog-name").unwrap().as_deref(),
        Some("dearer.json")
    );
    root.remove();

    // A reload keeps it.
    let root = mount(true);
    until("the prices panel", || text(&root, "catalog-in-use").is_some()).await;
    assert_eq!(text(&root, "total").unwrap(), usd(dearer));
    assert!(text(&root, "catalog-in-use")
        .unwrap()
        .starts_with("Prices: dearer.json loaded from file"));

    // Back to the built-in catalog.
    let reset: HtmlElement =
        root.query_selector("#catalog-reset").unwrap().unwrap().dyn_into().unwrap();
    reset.click();
    until("the built-in catalog", || {
        text(&root, "total").as_deref() == Some(usd(built_in).as_str())
    })
    .await;
    assert_eq!(text(&root, "catalog-in-use").unwrap(), "Prices: built-in catalog, 2025-11-04");
    assert!(storage().get_item("bridge-planner.catalog").unwrap().is_none());
    assert!(!root.inner_html().contains("NaN"));
    root.remove();
}
