//! "Calibrate from metrics": the user uploads the JSON the fetch command wrote; the engine
//! (`model::calibrate`, run in the exports worker) returns the calibrated scenario, which is shown
//! against the one in use,
//! with the measured p95 against the model's and the right-size search run on it. "Use" loads
//! it through `AppState::load`, so Back undoes it. Figures are only formatted here.

use super::format::{ms, usd};
use super::message::{say, Message, Said};
use super::{browser, catalog, exporter, AppState};
use crate::exports_worker::{CALIBRATE, FETCH_SCRIPT};
use crate::model::optimize::{optimize, Optimization, Targets};
use crate::model::Scenario;
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

/// One row of the calibration table, as the worker words it.
#[derive(Clone)]
struct Row {
    label: String,
    current: String,
    calibrated: String,
    source: String,
    note: String,
    points: u32,
    changed: bool,
}

/// A calibration with the scenario it was made from and the right-size of its result. The
/// calibration itself runs in the exports worker (`exports_worker`), which returns it as text.
#[derive(Clone)]
struct Outcome {
    file: String,
    from: Scenario,
    scenario: Scenario,
    summary: String,
    rows: Vec<Row>,
    latency: (bool, String),
    problems: Vec<String>,
    right_size: Optimization,
}

fn texts(v: &JsValue) -> Vec<JsValue> {
    v.dyn_ref::<js_sys::Array>().map(|a| a.to_vec()).unwrap_or_default()
}

fn text(v: &JsValue) -> String {
    v.as_string().unwrap_or_default()
}

/// The worker's reply (see `exports_worker`) as an outcome, with the right-size run here.
fn read_outcome(file: String, from: Scenario, reply: &JsValue) -> Result<Outcome, String> {
    let parts = texts(reply);
    let part = |i: usize| parts.get(i).cloned().unwrap_or(JsValue::UNDEFINED);
    let scenario = Scenario::from_json(&text(&part(0)), catalog()).map_err(|e| e.message())?;
    let rows = texts(&part(2))
        .iter()
        .map(|r| {
            let r = texts(r);
            let t = |i: usize| r.get(i).map(text).unwrap_or_default();
            Row {
                label: t(0),
                current: t(1),
                calibrated: t(2),
                source: t(3),
                note: t(4),
                points: r.get(5).and_then(|v| v.as_f64()).unwrap_or(0.0) as u32,
                changed: r.get(6).and_then(|v| v.as_bool()).unwrap_or(false),
            }
        })
        .collect();
    let latency = texts(&part(3));
    let right_size = optimize(&scenario, catalog(), &Targets::for_scenario(&scenario));
    Ok(Outcome {
        file,
        from,
        scenario,
        summary: text(&part(1)),
        rows,
        latency: (
            latency.first().and_then(|v| v.as_bool()).unwrap_or(false),
            latency.get(1).map(text).unwrap_or_default(),
        ),
        problems: texts(&part(4)).iter().map(text).collect(),
        right_size,
    })
}

#[component]
pub fn CalibratePanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let outcome = RwSignal::new(None::<Result<Outcome, String>>);
    // The fetch script comes from the exports worker, started once the panel is in view.
    let (opened, section) = exporter::open_when_seen();
    let script = RwSignal::new(String::new());
    let latest = StoredValue::new(0u32);
    Effect::new(move |_| {
        if !opened.get() {
            return;
        }
        // A catalog file loaded or dropped prices the files anew.
        state.catalog_in_use.track();
        let json = state.scenario.with(|s| serde_json::to_string(s).unwrap_or_default());
        let ticket = latest.get_value().wrapping_add(1);
        latest.set_value(ticket);
        exporter::request(FETCH_SCRIPT, "", json, move |reply| {
            if latest.try_get_value() == Some(ticket) {
                script
                    .set(reply.map(|v| text(&v)).unwrap_or_else(|e| format!("Unavailable: {e}.")));
            }
        });
    });
    let upload = move |ev: leptos::ev::Event| {
        browser::read_chosen_file(
            &ev,
            crate::model::metric_data::MAX_METRICS_BYTES,
            move |name, text| {
                let text = match text {
                    Ok(text) => text,
                    Err(e) => {
                        outcome.set(Some(Err(format!("{name}: the file could not be read: {e}"))));
                        return;
                    }
                };
                let from = state.scenario.get_untracked();
                let json = serde_json::to_string(&from).unwrap_or_default();
                exporter::request(CALIBRATE, &text, json, move |reply| {
                    let result = reply.and_then(|r| read_outcome(name.clone(), from, &r));
                    outcome.set(Some(result.map_err(|e| format!("{name}: {e}"))));
                });
            },
        );
    };
    view! {
        <section class="calibrate" aria-labelledby="cal-h" node_ref=section>
            <h2 id="cal-h">"Calibrate from metrics"</h2>
            <p>
                "Once the stack runs, its CloudWatch metrics can replace the guesses: fetch two \
                    weeks with the script below (AWS CLI v2, bash), then upload the "
                <code>"metrics.json"</code>
                " it writes. Each field says which series it came from and how many data points \
                    support it; nothing changes until you use the result."
            </p>
            <FetchScript script />
            <label class="file">
                "Metrics file (get-metric-data output) "
                <input type="file" id="cal-file" accept=".json,application/json" on:change=upload />
            </label>
            {move || {
                outcome
                    .get()
                    .map(|r| match r {
                        Err(e) => {
                            view! {
                                <p id="cal-error" class="critical" role="alert">
                                    {format!("{e}. Your scenario is unchanged.")}
                                </p>
                            }
                                .into_any()
                        }
                        Ok(o) => view! { <CalibrationView outcome=o /> }.into_any(),
                    })
            }}
        </section>
    }
}

/// The fetch command for the scenario's stack, with Copy and Download and their messages.
#[component]
fn FetchScript(script: RwSignal<String>) -> impl IntoView {
    let script_said = RwSignal::new(None::<Said>);
    view! {
        <details class="fetch-script">
            <summary>"The fetch command for this scenario's stack"</summary>
            <div class="export-actions">
                <button
                    id="cal-script-copy"
                    on:click=move |_| {
                        let text = script.get_untracked();
                        leptos::task::spawn_local(async move {
                            say(
                                    script_said,
                                    "cal-script-msg",
                                        match browser::copy_text(text).await {
                                            Ok(()) => Said::Done("Copied.".into()),
                                            Err(e) => {
                                                Said::Refused(
                                                    format!(
                                                        "Copy failed: {e}. Select the text and \
                                                            copy it by hand.",
                                                    ),
                                                )
                                            }
                                        },
                            );
                        });
                    }
                >
                    "Copy"
                </button>
                <button
                    id="cal-script-download"
                    on:click=move |_| {
                        let text = script.get_untracked();
                        if let Err(e) = browser::download_bytes(
                            "fetch-metrics.sh",
                            "text/plain",
                            text.as_bytes(),
                        ) {
                            let msg = Said::Refused(format!("Download failed: {e}"));
                            say(script_said, "cal-script-msg", msg);
                        }
                    }
                >
                    "Download fetch-metrics.sh"
                </button>
            </div>
            <Message id="cal-script-msg" said=script_said />
            <pre id="cal-script" class="wrap">
                {move || script.get()}
            </pre>
        </details>
    }
}

#[component]
fn CalibrationView(outcome: Outcome) -> impl IntoView {
    let state = expect_context::<AppState>();
    let Outcome { file, from, scenario, summary, rows, latency, problems, right_size } = outcome;
    let stale = move || state.scenario.with(|s| *s != from);
    let use_it = scenario;
    let (latency_ok, latency_text) = latency;
    view! {
        <div class="cal-result" aria-live="polite">
            <p id="cal-summary">{format!("{file}: {summary}")}</p>
            {move || {
                stale()
                    .then(|| {
                        view! {
                            <p class="warning">
                                "The scenario in use changed after this calibration: the \
                                    \"current\" column is what it was then. Upload the file again \
                                    to compare with the scenario now."
                            </p>
                        }
                    })
            }}
            {calibration_table(rows)}
            <p id="cal-latency" class:muted=!latency_ok>
                {latency_text}
            </p>
            {(!problems.is_empty())
                .then(|| {
                    view! {
                        <h3>"In the data"</h3>
                        <ul id="cal-problems">
                            {problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}
                        </ul>
                    }
                })}
            <h3>"Right-size on the calibrated scenario"</h3>
            <p id="cal-rightsize">{right_size_text(&right_size)}</p>
            <button id="cal-use" on:click=move |_| state.load(use_it.clone())>
                "Use the calibrated scenario (Back undoes it)"
            </button>
            {right_size
                .best
                .clone()
                .map(|b| {
                    let s = b.scenario.clone();
                    view! {
                        <button id="cal-use-rightsized" on:click=move |_| state.load(s.clone())>
                            "Use the right-sized calibrated scenario"
                        </button>
                    }
                })}
        </div>
    }
}

/// One row per calibrated field: current value, calibrated value (or kept), source, points.
fn calibration_table(rows: Vec<Row>) -> impl IntoView {
    view! {
        <table id="cal-table">
            <caption>"Calibrated against the scenario in use"</caption>
            <thead>
                <tr>
                    <th scope="col">"Field"</th>
                    <th scope="col" class="n">
                        "Current"
                    </th>
                    <th scope="col" class="n">
                        "Calibrated"
                    </th>
                    <th scope="col">"Source"</th>
                    <th scope="col" class="n">
                        "Points"
                    </th>
                </tr>
            </thead>
            <tbody>
                {rows
                    .into_iter()
                    .map(|r| {
                        view! {
                            <tr class=if r.changed { "changed" } else { "kept" }>
                                <th scope="row">{r.label}</th>
                                <td class="n">{r.current}</td>
                                <td class="n">{r.calibrated}</td>
                                <td>{r.source}<br /><small>{r.note}</small></td>
                                <td class="n">{r.points}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}

/// The right-sized calibrated scenario in a sentence, or the target that binds.
fn right_size_text(right_size: &Optimization) -> String {
    match &right_size.best {
        Some(b) => format!(
            "{}: {} a month (the calibrated scenario as it is: {}), p95 {}, headroom {:.0}%.",
            b.label,
            usd(b.monthly_usd),
            usd(right_size.start_monthly_usd),
            ms(b.p95_ms),
            b.headroom_pct,
        ),
        None => format!(
            "No configuration meets the default targets. Binding target — {}",
            right_size.binding.clone().unwrap_or_default(),
        ),
    }
}
