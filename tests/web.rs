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

/// Waits until `id` exists and its text passes `ok` (the growth path is computed once its
/// panel is in view and the scenario has settled).
async fn until(root: &web_sys::HtmlElement, id: &str, ok: impl Fn(&str) -> bool) -> String {
    for _ in 0..400 {
        if let Some(el) = root.query_selector(&format!("#{id}")).unwrap() {
            let t = el.text_content().unwrap_or_default();
            if ok(&t) {
                return t;
            }
        }
        TimeoutFuture::new(25).await;
    }
    panic!("#{id} never matched")
}

#[wasm_bindgen_test]
async fn growth_panel_follows_its_inputs_explains_bad_ones_and_reads_the_chart() {
    let root = mount();
    tick().await;
    let panel = root.query_selector("section.growth").unwrap().unwrap();
    panel.scroll_into_view();
    // Medium, flat traffic: no change, today's cost every month.
    let flat = until(&root, "growth-summary", |t| t.contains("0.0% a month")).await;
    assert!(flat.contains("0 changes"), "{flat}");
    let rate = input(&root, "growth-rate");
    rate.set_value("15");
    fire(&rate, "change");
    let grown = until(&root, "growth-summary", |t| t.contains("15.0% a month")).await;
    // The engine's own path for the same inputs, formatted as the page does.
    let c = Catalog::embedded();
    let mut s = Tier::Medium.scenario();
    s.growth.monthly_rate = 0.15;
    let r = bridge_planner::model::growth::roadmap(&s, &s.growth, &c);
    assert!(grown.contains(&usd(r.total_usd)), "{grown} vs {}", usd(r.total_usd));
    let rows = root.query_selector_all("#growth-events tbody tr").unwrap().length();
    assert_eq!(rows as usize, r.events.len());
    // How long the 24-month path took in this browser (the page shows it; debug build).
    let ms = root.query_selector("#growth-summary").unwrap().unwrap().get_attribute("data-ms");
    console_log!("growth path in the browser (debug wasm): {ms:?} ms");
    // A horizon out of range is explained at the field and changes nothing.
    let horizon = input(&root, "growth-horizon");
    horizon.set_value("48");
    fire(&horizon, "change");
    tick().await;
    assert!(
        text(&root, "e-growth-horizon").contains("6 to 36"),
        "{}",
        text(&root, "e-growth-horizon")
    );
    assert_eq!(text(&root, "growth-summary"), grown, "the path is unchanged");
    // The chart: its first point read by keyboard is month 0's cost.
    let canvas: web_sys::HtmlElement =
        root.query_selector("#chart-growth").unwrap().unwrap().dyn_into().unwrap();
    // Drawn once in view (its points exist from then on), then read from the keyboard.
    while paints(&root, "chart-growth") == 0 {
        seen(&root, "chart-growth").await;
    }
    canvas.focus().unwrap();
    let tip = until(&root, "chart-growth-value", |t| t.starts_with("Month 0")).await;
    assert!(tip.contains(&usd(r.months[0].monthly_usd)), "{tip}");
    root.remove();
}

/// How long the whole 36-month path at 15% a month takes in this browser, per tier (the
/// median of 5). A measurement printed for the closing note. An optimised build must stay
/// within 250 ms even on a busy shared machine (issue 28 asks 100 ms on an idle one); a debug
/// build, tens of times slower, only within 10 s.
#[wasm_bindgen_test]
async fn growth_path_36_months_in_the_browser() {
    let c = Catalog::embedded();
    let perf = web_sys::window().unwrap().performance().unwrap();
    for tier in Tier::ALL {
        let mut s = tier.scenario();
        s.growth.monthly_rate = 0.15;
        s.growth.horizon_months = 36;
        let mut times: Vec<f64> = (0..5)
            .map(|_| {
                let t0 = perf.now();
                let r = bridge_planner::model::growth::roadmap(&s, &s.growth, &c);
                assert_eq!(r.months.len(), 36);
                perf.now() - t0
            })
            .collect();
        times.sort_by(f64::total_cmp);
        console_log!("growth path, {tier:?} 15% x 36 months: median {:.1} ms", times[2]);
        let bound = if cfg!(debug_assertions) { 10_000.0 } else { 250.0 };
        assert!(times[2] < bound, "{tier:?}: {times:?}");
    }
}
