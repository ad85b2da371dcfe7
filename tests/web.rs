//! Components in headless Chromium (wasm-bindgen-test): the app mounts, a slider moves the
//! engine's figures, charts repaint, and bad input is explained without losing state.
#![cfg(target_arch = "wasm32")]

use bridge_planner::model::display::usd;
use bridge_planner::model::{plan, Catalog, Tier};
use bridge_planner::ui::App;
use gloo::timers::future::TimeoutFuture;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlCanvasElement, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

fn doc() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

fn mount() -> web_sys::HtmlElement {
    // Start from the Medium tier: no link, no autosave.
    let w = web_sys::window().unwrap();
    w.local_storage().unwrap().unwrap().clear().unwrap();
    let _ =
        w.history().unwrap().replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some("#"));
    let root: web_sys::HtmlElement = doc().create_element("div").unwrap().dyn_into().unwrap();
    doc().body().unwrap().append_child(&root).unwrap();
    // No trunk here, so no exports worker: the page answers the Exports panel's requests with
    // the worker's own function.
    bridge_planner::ui::exporter::set_local(answer_exports);
    leptos::mount::mount_to(root.clone(), App).forget();
    root
}

fn answer_exports(request: &wasm_bindgen::JsValue) -> wasm_bindgen::JsValue {
    bridge_planner::exports_worker::answer(request, bridge_planner::ui::catalog())
}

fn input(root: &web_sys::HtmlElement, id: &str) -> HtmlInputElement {
    root.query_selector(&format!("#{id}")).unwrap().unwrap().dyn_into().unwrap()
}

fn text(root: &web_sys::HtmlElement, id: &str) -> String {
    root.query_selector(&format!("#{id}")).unwrap().unwrap().text_content().unwrap()
}

fn paints(root: &web_sys::HtmlElement, id: &str) -> u32 {
    let c: HtmlCanvasElement =
        root.query_selector(&format!("#{id}")).unwrap().unwrap().dyn_into().unwrap();
    c.get_attribute("data-paints").and_then(|v| v.parse().ok()).unwrap_or(0)
}

/// A chart's paint count once it is in view: charts out of view do not repaint, and repaint
/// once the IntersectionObserver reports them scrolled into view.
async fn seen(root: &web_sys::HtmlElement, id: &str) -> u32 {
    let c = root.query_selector(&format!("#{id}")).unwrap().unwrap();
    let before = paints(root, id);
    c.scroll_into_view();
    for _ in 0..40 {
        if paints(root, id) != before {
            break;
        }
        TimeoutFuture::new(25).await;
    }
    paints(root, id)
}

async fn tick() {
    TimeoutFuture::new(0).await;
    TimeoutFuture::new(0).await;
}

fn fire(el: &HtmlInputElement, event: &str) {
    el.dispatch_event(
        &web_sys::Event::new_with_event_init_dict(event, &{
            let init = web_sys::EventInit::new();
            init.set_bubbles(true);
            init
        })
        .unwrap(),
    )
    .unwrap();
}

#[wasm_bindgen_test]
async fn slider_moves_the_engine_figures_and_repaints_charts() {
    let root = mount();
    tick().await;
    let expected = plan(&Tier::Medium.scenario(), &Catalog::embedded());
    assert_eq!(text(&root, "total"), usd(expected.monthly_total_usd));
    let before = (
        seen(&root, "chart-tiers").await,
        seen(&root, "chart-curve").await,
        seen(&root, "chart-capacity").await,
    );
    assert!(before.0 >= 1 && before.1 >= 1 && before.2 >= 1, "charts painted once in view");

    // The slider steps through rounded values; its position for 200 req/s:
    let stops = bridge_planner::model::display::slider_stops(
        bridge_planner::model::scenario::Field::PeakRps.spec(),
    )
    .unwrap();
    let at_200 = stops.iter().position(|&v| v == 200.0).unwrap();
    let slider = input(&root, "f-peak_rps");
    slider.set_value(&at_200.to_string());
    fire(&slider, "input");
    tick().await;
    let mut s = Tier::Medium.scenario();
    s.traffic.peak_rps = 200.0;
    let want = plan(&s, &Catalog::embedded());
    assert_eq!(text(&root, "total"), usd(want.monthly_total_usd));
    // The chart in view repainted with the move; the others repaint once scrolled back.
    assert!(seen(&root, "chart-capacity").await > before.2);
    assert!(seen(&root, "chart-curve").await > before.1);
    assert!(seen(&root, "chart-tiers").await > before.0);
    root.remove();
}

#[wasm_bindgen_test]
async fn out_of_range_input_is_explained_and_changes_nothing() {
    let root = mount();
    tick().await;
    let total = text(&root, "total");
    let field = input(&root, "n-peak_rps");
    field.set_value("-40");
    fire(&field, "change");
    tick().await;
    assert!(text(&root, "e-peak_rps").contains("between"), "error shown");
    assert_eq!(text(&root, "total"), total, "plan unchanged");
    assert!(!root.inner_html().contains("NaN"));
    root.remove();
}

#[wasm_bindgen_test]
async fn tier_button_loads_the_preset() {
    let root = mount();
    tick().await;
    let button: web_sys::HtmlElement =
        root.query_selector(".tiers button").unwrap().unwrap().dyn_into().unwrap();
    button.click();
    tick().await;
    let want = plan(&Tier::Small.scenario(), &Catalog::embedded());
    assert_eq!(text(&root, "total"), usd(want.monthly_total_usd));
    assert!(web_sys::window().unwrap().location().hash().unwrap().starts_with("#s=v2.small."));
    root.remove();
}

#[wasm_bindgen_test]
async fn names_aws_would_reject_are_explained_and_not_exported() {
    let root = mount();
    tick().await;
    let name = input(&root, "app-name");
    name.set_value("Shop API");
    fire(&name, "input");
    tick().await;
    assert!(text(&root, "e-app-name").contains("lowercase"), "{}", text(&root, "e-app-name"));
    assert!(
        text(&root, "export-text").contains("bridge-backend"),
        "exports keep the last good name"
    );
    name.set_value("shop-api");
    fire(&name, "input");
    tick().await;
    assert!(text(&root, "e-app-name").is_empty());
    // The file on screen follows once the inputs pause (150 ms).
    TimeoutFuture::new(400).await;
    assert!(text(&root, "export-text").contains("shop-api-backend"));
    root.remove();
}

#[wasm_bindgen_test]
async fn calibrate_panel_shows_the_fetch_script_for_the_scenario() {
    let root = mount();
    tick().await;
    let script = text(&root, "cal-script");
    assert!(script.contains("aws cloudwatch get-metric-data"), "the fetch command is shown");
    assert!(
        script.contains("\"bridge-cluster\"") && script.contains("--names 'bridge-alb'"),
        "with the exported names"
    );
    // The script follows the scenario: a new app name renames every resource in it.
    let name = input(&root, "app-name");
    name.set_value("shop");
    fire(&name, "input");
    tick().await;
    assert!(text(&root, "cal-script").contains("\"shop-cluster\""), "script follows the app name");
    root.remove();
}

#[wasm_bindgen_test]
async fn minimum_above_maximum_is_explained_at_the_field_and_clears() {
    let root = mount();
    tick().await;
    let total = text(&root, "total");
    let min = input(&root, "n-tasks_min");
    min.set_value("50");
    fire(&min, "change");
    tick().await;
    assert!(text(&root, "e-tasks_min").contains("maximum"), "{}", text(&root, "e-tasks_min"));
    assert_eq!(text(&root, "total"), total, "plan keeps the last valid value");
    // Raising the maximum lets the minimum through, and the message goes.
    let max = input(&root, "n-tasks_max");
    max.set_value("60");
    fire(&max, "change");
    tick().await;
    tick().await;
    assert!(text(&root, "e-tasks_min").is_empty(), "{}", text(&root, "e-tasks_min"));
    assert_eq!(input(&root, "n-tasks_min").value(), "50");
    root.remove();
}

#[wasm_bindgen_test]
async fn baseline_shows_the_difference_and_leaves_the_scenario() {
    let root = mount();
    tick().await;
    let total = text(&root, "total");
    let pick = root.query_selector("#baseline-pick").unwrap().unwrap();
    js_sys::Reflect::set(&pick, &"value".into(), &"small".into()).unwrap();
    pick.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    tick().await;
    let c = Catalog::embedded();
    let medium = plan(&Tier::Medium.scenario(), &c).monthly_total_usd;
    let small = plan(&Tier::Small.scenario(), &c).monthly_total_usd;
    let d = bridge_planner::model::compare::Delta::between(medium, small);
    let want = format!("+{}, +{:.1}%", usd(d.usd), d.pct.unwrap());
    assert_eq!(text(&root, "total-delta"), want);
    assert_eq!(text(&root, "total"), total, "the working scenario is not replaced");
    web_sys::window().unwrap().local_storage().unwrap().unwrap().clear().unwrap();
    root.remove();
}

/// The commitments panel: the reserved table and the Savings Plan are the model's figures; a
/// pricing choice changes the scenario (its link) and the bill; a bad discount is explained
/// beside the input and changes nothing.
#[wasm_bindgen_test]
async fn commitments_panel_follows_the_choices() {
    use bridge_planner::model::commit::{self, PricingChoice};
    let root = mount();
    tick().await;
    let s = Tier::Medium.scenario();
    let catalog = Catalog::embedded();
    let p = plan(&s, &catalog);
    let c = commit::commitments(&p, &s, &catalog, PricingChoice::default());
    let sp = c.savings_plan.as_ref().unwrap();
    assert!(text(&root, "sp-summary").contains(&usd(sp.monthly_saving_usd)));
    assert!(text(&root, "reserved").contains(&c.reserved[0].item));
    assert!(text(&root, "estimates").contains("every price is us-east-1's own"));
    let pick: web_sys::HtmlSelectElement =
        root.query_selector("#pricing-database").unwrap().unwrap().dyn_into().unwrap();
    pick.set_value("reserved_1y");
    pick.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    TimeoutFuture::new(400).await;
    let chosen: f64 = c
        .reserved
        .iter()
        .filter(|r| r.component == bridge_planner::model::Component::Database)
        .map(|r| r.monthly_saving_usd)
        .sum();
    assert!(
        text(&root, "bill").contains(&usd(p.monthly_total_usd - chosen)),
        "{}",
        text(&root, "bill")
    );
    let discount = input(&root, "discount-pct");
    discount.set_value("150");
    fire(&discount, "change");
    tick().await;
    assert!(text(&root, "discount-error").contains("between 0 and 100"));
    root.remove();
}
