//! Scenarios that last: share link, named saves, import/export, downloads, comparison, and the
//! user's own prices.

use super::charts::{self, Chart};
use super::format::{exact, ms, num, usd};
use super::message::{say, Message, Said};
use super::{browser, catalog, AppState};
use crate::model::plan::{plan, Plan};
use crate::model::scenario::{check_price_override, Edit};
use crate::model::share::{self, SavedScenarios};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

fn load_saved(notice: RwSignal<Option<String>>) -> SavedScenarios {
    match browser::storage_get(browser::SAVED_KEY) {
        None => SavedScenarios::default(),
        Some(text) => {
            let (saved, problems) = share::decode_saved(&text, catalog());
            if !problems.is_empty() {
                notice.set(Some(problems.join(" ")));
            }
            saved
        }
    }
}

/// Writes the saved list to local storage; a refusal (quota, private mode) is said in `status`.
fn persist(saved: RwSignal<SavedScenarios>, status: RwSignal<String>) {
    if let Err(e) =
        saved.with_untracked(|s| browser::storage_set(browser::SAVED_KEY, &share::encode_saved(s)))
    {
        status.set(format!("Could not save: {e}"));
    }
}

#[component]
pub fn ScenariosPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let saved = RwSignal::new(load_saved(state.notice));
    let name = RwSignal::new(String::from("My scenario"));
    let status = RwSignal::new(String::new());
    let compare = RwSignal::new(Vec::<usize>::new());
    // The link box follows once the slider pauses (as the address bar does).
    let link = super::settled(state, |s| browser::url_with_hash(&share::encode_short_link(s)));
    let save = move |_| {
        let n = name.get_untracked().trim().to_string();
        if n.is_empty() || n.len() > 80 {
            status.set("Give the scenario a name of 1-80 characters.".into());
            return;
        }
        let s = state.scenario.get_untracked();
        saved.update(|list| match list.items.iter_mut().find(|(k, _)| *k == n) {
            Some(item) => item.1 = s,
            None => list.items.push((n.clone(), s)),
        });
        persist(saved, status);
        status.set(format!("Saved \"{n}\"."));
    };
    let compared = Memo::new(move |_| {
        let mut out = vec![("Current".to_string(), state.plan.get())];
        saved.with(|list| {
            for &i in compare.get().iter() {
                if let Some((n, s)) = list.items.get(i) {
                    out.push((n.clone(), plan(s, catalog())));
                }
            }
        });
        out
    });
    view! {
        <section class="scenarios" aria-labelledby="scen-h">
            <h2 id="scen-h">"Share, save and compare"</h2>
            <ShareBox link status />
            <div class="save">
                <label for="save-name">"Name"</label>
                <input
                    id="save-name"
                    prop:value=move || name.get()
                    on:input=move |ev| name.set(event_target_value(&ev))
                />
                <button id="save-btn" on:click=save>
                    "Save"
                </button>
                <span role="status" class="status">
                    {move || status.get()}
                </span>
            </div>
            <ul class="saved" aria-label="Saved scenarios">
                {move || {
                    let count = saved.with(|list| list.items.len());
                    (0..count)
                        .map(|i| view! { <SavedRow i saved compare name status /> })
                        .collect_view()
                }}
            </ul>
            <FileButtons status />
            {move || {
                (compared.with(|c| c.len()) > 1).then(|| view! { <CompareTable compared /> })
            }}
            <p class="print-only">"Reopen this plan: " {move || link.get()}</p>
        </section>
    }
}

/// The share link and its copy button.
#[component]
fn ShareBox(link: ReadSignal<String>, status: RwSignal<String>) -> impl IntoView {
    let copy_link = move |_| {
        let text = link.get_untracked();
        leptos::task::spawn_local(async move {
            status.set(match browser::copy_text(text).await {
                Ok(()) => "Link copied.".into(),
                Err(e) => format!("Copy failed: {e}. Copy the link from the box."),
            })
        });
    };
    view! {
        <div class="share">
            <label for="share-link">"Share link (the whole scenario lives in the link)"</label>
            <input id="share-link" readonly prop:value=move || link.get() />
            <button id="copy-link" on:click=copy_link>
                "Copy link"
            </button>
            <super::catalog::CatalogShareNote />
        </div>
    }
}

/// One saved scenario: compare it, load it, rename it to the Name box's text, delete it.
#[component]
fn SavedRow(
    i: usize,
    saved: RwSignal<SavedScenarios>,
    compare: RwSignal<Vec<usize>>,
    name: RwSignal<String>,
    status: RwSignal<String>,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let label = saved.with_untracked(|l| l.items.get(i).map(|x| x.0.clone()).unwrap_or_default());
    let toggle_compare = move |ev| {
        let on = event_target_checked(&ev);
        compare.update(|c| {
            c.retain(|&x| x != i);
            if on && c.len() < 3 {
                c.push(i)
            }
        })
    };
    let load = move |_| {
        if let Some(s) = saved.with_untracked(|l| l.items.get(i).map(|x| x.1.clone())) {
            state.load(s)
        }
    };
    let rename = move |_| {
        let new_name = name.get_untracked().trim().to_string();
        if new_name.is_empty() {
            status.set("Type the new name in the Name box first.".into());
            return;
        }
        saved.update(|l| {
            if let Some(item) = l.items.get_mut(i) {
                item.0 = new_name.clone();
            }
        });
        persist(saved, status);
    };
    let delete = move |_| {
        saved.update(|l| {
            if i < l.items.len() {
                l.items.remove(i);
            }
        });
        compare.set(vec![]);
        persist(saved, status);
    };
    view! {
        <li>
            <label>
                <input
                    type="checkbox"
                    aria-label=format!("Compare {label}")
                    prop:checked=move || compare.with(|c| c.contains(&i))
                    on:change=toggle_compare
                />
                " "
                {label.clone()}
            </label>
            <button on:click=load>"Load"</button>
            <button on:click=rename>"Rename to Name"</button>
            <button on:click=delete>"Delete"</button>
        </li>
    }
}

/// Downloads (scenario file, cost lines, charts), the import, and the printed report.
#[component]
fn FileButtons(status: RwSignal<String>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let paint_all = use_context::<super::charts::PaintAll>();
    let printing = use_context::<super::charts::Printing>();
    let said = RwSignal::new(None::<Said>);
    let import = move |ev: leptos::ev::Event| import_file(&ev, state, status, said);
    view! {
        <div class="io">
            {download_button(
                "export-json",
                "Download scenario (.json)",
                "scenario.json",
                "application/json",
                move || state.scenario.with_untracked(share::encode_file),
            )}
            <label class="file">
                "Import scenario "
                <input
                    type="file"
                    id="import-file"
                    accept=".json,application/json"
                    on:change=import
                    aria-describedby="import-msg"
                />
            </label>
            <Message id="import-msg" said=said />
            {download_button(
                "export-csv",
                "Cost lines (.csv)",
                "cost-lines.csv",
                "text/csv",
                move || costs_csv(state),
            )}
            <button
                id="export-png"
                on:click=move |_| {
                    with_every_chart_drawn(
                        paint_all,
                        move || {
                            if let Err(e) = download_charts() {
                                status.set(format!("Charts not saved: {e}."))
                            }
                        },
                    )
                }
            >
                "Charts (.png)"
            </button>
            <button
                id="print"
                on:click=move |_| print_report(paint_all, printing)
            >
                "Print report"
            </button>
        </div>
    }
}

/// Reads the chosen scenario file; says beside the control what became of it.
fn import_file(
    ev: &leptos::ev::Event,
    state: AppState,
    status: RwSignal<String>,
    said: RwSignal<Option<Said>>,
) {
    browser::read_chosen_file(ev, share::MAX_INFLATED, move |name, text| {
        let said_now = match text {
            Ok(text) => match share::decode_file(&text, catalog()) {
                Ok(s) => {
                    // A file that changes prices says so first.
                    let prices = crate::model::display::override_warning(
                        "file",
                        &crate::model::plan(&s, catalog()),
                    );
                    state.load(s);
                    status.set("Imported.".into());
                    match prices {
                        Some(p) => Said::Done(format!("Imported {name}. {p}")),
                        None => Said::Done(format!("Imported {name}.")),
                    }
                }
                Err(e) => Said::Refused(format!(
                    "{name} could not be imported: {e}. Your scenario is unchanged."
                )),
            },
            Err(e) => Said::Refused(format!("{name} could not be read: {e}")),
        };
        say(said, "import-msg", said_now)
    });
}

/// A button that offers `text()` as the file `file`.
fn download_button(
    id: &'static str,
    label: &'static str,
    file: &'static str,
    mime: &'static str,
    text: impl Fn() -> String + 'static,
) -> impl IntoView {
    view! {
        <button
            id=id
            on:click=move |_| {
                let _ = browser::download_bytes(file, mime, text().as_bytes());
            }
        >
            {label}
        </button>
    }
}

/// The working plan beside up to three saved ones: a table and a stacked cost chart.
#[component]
fn CompareTable(compared: Memo<Vec<(String, Plan)>>) -> impl IntoView {
    let rows = move || {
        compared.with(|c| {
            c.iter()
                .map(|(n, p)| {
                    view! {
                        <tr>
                            <td>{n.clone()}</td>
                            <td class="n">{usd(p.monthly_total_usd)}</td>
                            <td class="n">
                                {format!("{}%", num(p.capacity.headroom_pct.max(-999.0), 0))}
                            </td>
                            <td class="n">{ms(p.capacity.p95_ms)}</td>
                            <td class="n">{p.serious_warnings()}</td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <div class="compare">
            <table>
                <caption>"Side by side"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Scenario"</th>
                        <th scope="col" class="n">
                            "Monthly"
                        </th>
                        <th scope="col" class="n">
                            "Headroom"
                        </th>
                        <th scope="col" class="n">
                            "p95"
                        </th>
                        <th scope="col" class="n">
                            "Warnings"
                        </th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
            <Chart
                id="chart-compare"
                label="Monthly cost per component of the compared scenarios"
                legend=charts::component_legend()
                aspect=0.45
                draw=move |root| compared.with(|c| charts::draw_tier_stack(root,
                    &charts::borrowed(c)))
            />
        </div>
    }
}

/// Runs `then` once every chart, in view or not, has drawn the current data.
fn with_every_chart_drawn(
    paint_all: Option<super::charts::PaintAll>,
    then: impl FnOnce() + 'static,
) {
    if let Some(p) = paint_all {
        p.0.set(true);
    }
    leptos::task::spawn_local(async move {
        gloo::timers::future::TimeoutFuture::new(0).await;
        then();
        if let Some(p) = paint_all {
            p.0.set(false);
        }
    });
}

/// Prints with every chart drawn at its print width (the dialog's `beforeprint` comes too late
/// for the charts to redraw: they are set first), then back to the screen's.
fn print_report(
    paint_all: Option<super::charts::PaintAll>,
    printing: Option<super::charts::Printing>,
) {
    if let Some(p) = printing {
        p.0.set(true);
    }
    with_every_chart_drawn(paint_all, move || {
        browser::print_page();
        if let Some(p) = printing {
            p.0.set(false);
        }
    });
}

/// Every chart on the page stacked into one PNG (one download, not one per chart).
fn download_charts() -> Result<(), String> {
    let doc = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let list = doc.query_selector_all("canvas[data-paints]").map_err(|_| "no charts")?;
    let charts: Vec<web_sys::HtmlCanvasElement> = (0..list.length())
        .filter_map(|i| list.item(i).and_then(|n| n.dyn_into::<web_sys::HtmlCanvasElement>().ok()))
        .filter(|c| c.width() > 0 && c.height() > 0)
        .collect();
    if charts.is_empty() {
        return Err("there is no chart on the page".into());
    }
    let gap = 24;
    let width = charts.iter().map(|c| c.width()).max().unwrap_or(1);
    let height = charts.iter().map(|c| c.height()).sum::<u32>() + gap * (charts.len() as u32 - 1);
    let sheet: web_sys::HtmlCanvasElement = doc
        .create_element("canvas")
        .map_err(|_| "no canvas")?
        .dyn_into()
        .map_err(|_| "no canvas")?;
    sheet.set_width(width);
    sheet.set_height(height);
    let ctx: web_sys::CanvasRenderingContext2d = sheet
        .get_context("2d")
        .ok()
        .flatten()
        .ok_or("no canvas")?
        .dyn_into()
        .map_err(|_| "no canvas")?;
    ctx.set_fill_style_str("#ffffff");
    ctx.fill_rect(0.0, 0.0, width as f64, height as f64);
    let mut y = 0.0;
    for c in &charts {
        ctx.draw_image_with_html_canvas_element(c, 0.0, y)
            .map_err(|_| "a chart could not be copied")?;
        y += (c.height() + gap) as f64;
    }
    let url = sheet.to_data_url().map_err(|_| "the image could not be made")?;
    browser::download_url("bridge-charts.png", &url)
}

/// One price as the plan uses it: catalog key, unit, USD, confirmed, overridden by the user.
#[derive(Clone, PartialEq)]
struct PriceRow {
    key: String,
    unit: String,
    usd: f64,
    confirmed: bool,
    overridden: bool,
}

/// The prices the current plan uses, each once, in cost-line order.
fn prices_in_plan(p: &Plan) -> Vec<PriceRow> {
    let mut rows: Vec<PriceRow> = Vec::new();
    for l in &p.cost_lines {
        if !rows.iter().any(|r| r.key == l.price_key.key()) {
            rows.push(PriceRow {
                key: l.price_key.key(),
                unit: l.unit.clone(),
                usd: l.unit_price_usd,
                confirmed: l.confirmed,
                overridden: l.overridden,
            });
        }
    }
    rows
}

#[component]
pub fn PricesPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    // The row list changes only when a price comes or goes, so rows (and their handlers) are
    // not rebuilt on every slider move; the figures in a row update in place.
    let used = Memo::new(move |_| state.plan.with(prices_in_plan));
    let show_all = RwSignal::new(false);
    let keys = Memo::new(move |_| {
        if show_all.get() {
            catalog().prices.keys().cloned().collect::<Vec<_>>()
        } else {
            used.with(|rows| rows.iter().map(|r| r.key.clone()).collect::<Vec<_>>())
        }
    });
    // A price the plan does not use yet: the catalog's value for the scenario's region.
    let row = move |key: &str| -> Option<PriceRow> {
        used.with(|rows| rows.iter().find(|r| r.key == key).cloned()).or_else(|| {
            let p = catalog().prices.get(key)?;
            let key = crate::model::PriceKey::parse(key)?;
            let r = state.scenario.with(|s| catalog().price(&s.region, &key, &s.price_overrides));
            Some(PriceRow {
                key: key.key(),
                unit: p.unit.clone(),
                usd: r.usd,
                confirmed: r.confirmed,
                overridden: r.overridden,
            })
        })
    };
    view! {
        <section class="prices" aria-labelledby="prices-h">
            <h2 id="prices-h">"Prices used (edit to override)"</h2>
            <super::catalog::CatalogPicker />
            <p class="muted">
                "Overrides travel with the scenario and its share link. Clear a field to return to \
                    the catalog price."
            </p>
            <label>
                <input
                    type="checkbox"
                    id="prices-all"
                    on:change=move |ev| show_all.set(event_target_checked(&ev))
                />
                " Show every price in the catalog"
            </label>
            <table>
                <thead>
                    <tr>
                        <th scope="col">"Price"</th>
                        <th scope="col">"Unit"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col" class="n">
                            "USD"
                        </th>
                    </tr>
                </thead>
                <tbody>
                    <For each=move || keys.get() key=|k| k.clone() let:key>
                        <PriceOverrideRow
                            row=Signal::derive({
                                let key = key.clone();
                                move || row(&key)
                            })
                            key=key
                        />
                    </For>
                </tbody>
            </table>
        </section>
    }
}

/// Checks a typed price and, on `commit` (the field's change event), applies it as the
/// scenario's override; an empty field returns to the catalog price. A refused price is
/// explained at the field and the plan keeps the last valid one.
fn price_override_check(
    key: String,
    error: RwSignal<Option<String>>,
) -> impl Fn(String, bool) + Clone + 'static {
    let state = expect_context::<AppState>();
    move |text: String, commit: bool| {
        let text = text.trim().to_string();
        let price = crate::model::PriceKey::parse(&key);
        if text.is_empty() {
            error.set(None);
            if let (true, Some(price)) = (commit, price) {
                let _ = state.apply(Edit::PriceOverride(price, None));
            }
            return;
        }
        let checked = text
            .parse::<f64>()
            .map_err(|_| "A price must be a number of dollars".to_string())
            .and_then(|v| check_price_override(v).map_err(|e| e.to_string()));
        match (checked, price) {
            (Err(e), _) => error.set(Some(e)),
            (Ok(v), Some(price)) if commit => {
                let applied = state.apply(Edit::PriceOverride(price, Some(v)));
                error.set(applied.err().map(|e| e.message()));
            }
            (Ok(_), _) => error.set(None),
        }
    }
}

/// The cost lines, then the commitment table and the bill below the list total.
fn costs_csv(state: AppState) -> String {
    use crate::model::commit::{self, Pricing};
    let lines = state.plan.with_untracked(share::cost_lines_csv);
    let (c, bill) =
        state.scenario.with_untracked(|s| commit::scenario_bill(s, catalog(), Pricing::Committed));
    lines + &commit::commitments_csv(&c, &bill)
}

/// One row of the prices table: the key, unit, where the price comes from, and its field.
#[component]
fn PriceOverrideRow(key: String, row: Signal<Option<PriceRow>>) -> impl IntoView {
    // Where the price comes from for the scenario's region: "AWS price list, eu-west-1,
    // 2025-10, rate code ...", "estimated for sa-east-1 from the us-east-1 price (x 1.72)".
    let state = expect_context::<AppState>();
    let parsed = crate::model::PriceKey::parse(&key);
    let source = move || match &parsed {
        Some(k) => state.scenario.with(|s| {
            let o = catalog().origin(&s.region, k, &s.price_overrides);
            match o.rate_code() {
                Some(code) => format!("{}, rate code {code}", o.words()),
                None => o.words(),
            }
        }),
        None => "catalog table".into(),
    };
    let editable = catalog().prices.contains_key(&key);
    let error = RwSignal::new(None::<String>);
    let err_id = format!("e-price-{}", key.replace('.', "-"));
    let check = price_override_check(key.clone(), error);
    view! {
        <tr
            class:assumed=move || row.with(|r| r.as_ref().is_some_and(|r| !r.confirmed))
            class:overridden=move || row.with(|r| r.as_ref().is_some_and(|r| r.overridden))
        >
            <td>
                <code>{key.clone()}</code>
            </td>
            <td>{move || row.with(|r| r.as_ref().map(|r| r.unit.clone()).unwrap_or_default())}</td>
            <td>
                {move || match row.get() {
                    Some(r) if r.overridden => "your price".to_string(),
                    Some(r) if r.confirmed => source(),
                    _ => format!("assumption: {}", source()),
                }}
            </td>
            <td class="n price-cell" class:invalid=move || error.with(|e| e.is_some())>
                <input
                    type="number"
                    min="0"
                    step="any"
                    aria-label=format!("Price for {key}")
                    disabled=!editable
                    id=format!("price-{}", key.replace('.', "-"))
                    aria-invalid=move || if error.with(|e| e.is_some()) { "true" } else { "false" }
                    aria-describedby=err_id.clone()
                    prop:value=move || {
                        row.with(|r| r.as_ref().map(|r| exact(r.usd)).unwrap_or_default())
                    }
                    on:input={
                        let check = check.clone();
                        move |ev| check(event_target_value(&ev), false)
                    }
                    on:change=move |ev| check(event_target_value(&ev), true)
                />
                <p class="error" id=err_id.clone() role="status">
                    {move || error.get()}
                </p>
            </td>
        </tr>
    }
}
