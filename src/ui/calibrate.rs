//! "Calibrate from metrics": the user uploads the JSON the fetch command wrote; the engine
//! (`model::calibrate`) returns the calibrated scenario, which is shown against the one in use,
//! with the measured p95 against the model's and the right-size search run on it. "Use" loads
//! it through `AppState::load`, so Back undoes it. Figures are only formatted here.

use super::format::{ms, usd};
use super::{browser, catalog, AppState};
use crate::export::metrics_query::fetch_script_for;
use crate::model::calibrate::{calibrate, Calibration};
use crate::model::optimize::{optimize, Optimization, Targets};
use crate::model::Scenario;
use leptos::prelude::*;

/// A calibration with the scenario it was made from and the right-size of its result.
#[derive(Clone)]
struct Outcome {
    file: String,
    from: Scenario,
    calibration: Calibration,
    right_size: Optimization,
}

fn run(file: String, text: &str, from: Scenario) -> Result<Outcome, String> {
    let calibration = calibrate(&from, catalog(), text)?;
    let right_size =
        optimize(&calibration.scenario, catalog(), &Targets::for_scenario(&calibration.scenario));
    Ok(Outcome { file, from, calibration, right_size })
}

#[component]
pub fn CalibratePanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let outcome = RwSignal::new(None::<Result<Outcome, String>>);
    let script = Memo::new(move |_| state.scenario.with(|s| fetch_script_for(s, catalog())));
    let upload = move |ev: leptos::ev::Event| {
        browser::read_chosen_file(&ev, move |name, text| {
            let result = match text {
                Ok(text) => run(name.clone(), &text, state.scenario.get_untracked()),
                Err(e) => Err(format!("the file could not be read: {e}")),
            };
            outcome.set(Some(result.map_err(|e| format!("{name}: {e}"))));
        });
    };
    view! {
        <section class="calibrate" aria-labelledby="cal-h">
            <h2 id="cal-h">"Calibrate from metrics"</h2>
            <p>
                "Once the stack runs, its CloudWatch metrics can replace the guesses: fetch two weeks with the script below (AWS CLI v2, bash), then upload the "
                <code>"metrics.json"</code>
                " it writes. Each field says which series it came from and how many data points support it; nothing changes until you use the result."
            </p>
            <details class="fetch-script">
                <summary>"The fetch command for this scenario's stack"</summary>
                <pre id="cal-script">{move || script.get()}</pre>
            </details>
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

#[component]
fn CalibrationView(outcome: Outcome) -> impl IntoView {
    let state = expect_context::<AppState>();
    let Outcome { file, from, calibration: cal, right_size } = outcome;
    let w = cal.window.clone();
    let stale = move || state.scenario.with(|s| *s != from);
    let use_it = cal.scenario.clone();
    view! {
        <div class="cal-result" aria-live="polite">
            <p id="cal-summary">
                {format!(
                    "{file}: {} of {} fields calibrated from {} to {} ({:.1} days, {}-second periods).",
                    cal.calibrated_count(),
                    cal.rows.len(),
                    w.start,
                    w.end,
                    w.days,
                    w.period_s,
                )}
            </p>
            {move || {
                stale()
                    .then(|| {
                        view! {
                            <p class="warning">
                                "The scenario in use changed after this calibration: the \"current\" column is what it was then. Upload the file again to compare with the scenario now."
                            </p>
                        }
                    })
            }}
            {calibration_table(&cal)}
            <LatencyLine latency=cal.latency.clone() />
            {(!cal.problems.is_empty())
                .then(|| {
                    view! {
                        <h3>"In the data"</h3>
                        <ul id="cal-problems">
                            {cal
                                .problems
                                .iter()
                                .map(|p| view! { <li>{p.clone()}</li> })
                                .collect_view()}
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
fn calibration_table(cal: &Calibration) -> impl IntoView {
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
                {cal
                    .rows
                    .iter()
                    .map(|r| {
                        let unit = r.unit;
                        let calibrated = r
                            .calibrated
                            .as_ref()
                            .map(|v| format!("{} {unit}", v.text()))
                            .unwrap_or_else(|| "kept".into());
                        view! {
                            <tr class=if r.calibrated.is_some() { "changed" } else { "kept" }>
                                <th scope="row">{r.label}</th>
                                <td class="n">{format!("{} {unit}", r.current.text())}</td>
                                <td class="n">{calibrated}</td>
                                <td>{r.source.clone()}<br /><small>{r.note.clone()}</small></td>
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

#[component]
fn LatencyLine(latency: Result<crate::model::calibrate::LatencyCheck, String>) -> impl IntoView {
    match latency {
        Ok(l) => {
            let measured_p50 =
                l.measured_p50_ms.map(|v| ms(Some(v))).unwrap_or_else(|| "not fetched".into());
            view! {
                <p id="cal-latency">
                    {format!(
                        "p95 at the busiest hour ({}, {:.2} req/s on {} tasks, {} points): measured {}, the model predicts {}; p50 measured {measured_p50}, predicted {}.{}",
                        l.hour,
                        l.rps,
                        l.tasks,
                        l.points,
                        ms(Some(l.measured_p95_ms)),
                        ms(l.predicted_p95_ms),
                        ms(l.predicted_p50_ms),
                        l.verdict(),
                    )}
                </p>
            }
            .into_any()
        }
        Err(e) => view! {
            <p id="cal-latency" class="muted">
                {format!("Measured against predicted p95: not available — {e}.")}
            </p>
        }
        .into_any(),
    }
}
