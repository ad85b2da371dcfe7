//! Auto scaling simulation, right-sizing and the export files.

use super::charts::{self, Chart};
use super::format::{ms, num, usd};
use super::{browser, catalog, exporter, AppState};
use crate::export::ExportFile;
use crate::model::display::changed_inputs;
use crate::model::optimize::{optimize, Optimization, TargetField, Targets};
use crate::model::scenario::{Edit, Scenario, NODE_LTS};
use crate::model::simulate::{simulate, Horizon, Profile, SimulationSettings, SimulationSummary};
use leptos::prelude::*;

/// The simulation settings, which live in the scenario (so they travel with its link and
/// the exported schedule is the simulated one).
#[derive(Clone, Copy)]
struct Settings(AppState);

impl Settings {
    fn with<R>(&self, f: impl FnOnce(&SimulationSettings) -> R) -> R {
        self.0.scenario.with(|s| f(&s.simulation))
    }
    /// Edits go through `Scenario::apply`; a value out of range is not taken.
    fn apply(&self, edit: Edit) {
        let _ = self.0.apply(edit);
    }
}

#[component]
pub fn SimulationPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let settings = Settings(state);
    // A minute-by-minute week: recomputed once the slider pauses (the headline's bill comes
    // from the plan at once).
    let sim = super::settled(state, |s| simulate(s, catalog(), &s.simulation));
    view! {
        <section class="simulation" aria-labelledby="sim-h">
            <h2 id="sim-h">"Auto scaling over time"</h2>
            <div class="sim-controls">
                {profile_select(settings)} {horizon_select(settings)}
                <label>
                    "Quietest traffic (% of peak) "
                    <input
                        type="number"
                        id="sim-trough"
                        min="0"
                        max="100"
                        step="5"
                        prop:value=move || {
                            settings.with(|s| format!("{:.0}", s.trough_share * 100.0))
                        }
                        on:change=move |ev| {
                            if let Ok(v) = event_target_value(&ev).parse::<f64>() {
                                settings.apply(Edit::SimTroughPct(v))
                            }
                        }
                    />
                </label>
                <label>
                    "Task start-up (s) "
                    <input
                        type="number"
                        id="sim-startup"
                        min="0"
                        max=SimulationSettings::STARTUP_SECONDS_MAX
                        step="5"
                        prop:value=move || settings.with(|s| s.startup_seconds.to_string())
                        on:change=move |ev| {
                            if let Ok(v) = event_target_value(&ev).parse::<u32>() {
                                settings.apply(Edit::SimStartupSeconds(v))
                            }
                        }
                    />
                </label> <label>
                    <input
                        type="checkbox"
                        id="sim-schedule"
                        prop:checked=move || settings.with(|s| s.schedule.is_some())
                        on:change=move |ev| {
                            settings.apply(Edit::SimScheduledMinimum(event_target_checked(&ev)))
                        }
                    />
                    " Scheduled minimum of the average count, Mon–Fri 08–18 UTC (exported as scheduled actions)"
                </label>
            </div>
            {move || {
                settings
                    .with(|s| matches!(s.profile, Profile::Custom(_)))
                    .then(|| view! { <HourlyEditor settings=settings /> })
            }}
            <div class="chart-row">
                <Chart
                    id="chart-sim"
                    label="Desired, running and needed tasks and CPU utilisation over the period"
                    legend=charts::simulation_legend()
                    aspect=0.6
                    draw=move |root| sim.with(|s| charts::draw_simulation(root, s))
                />
                <Chart
                    id="chart-sim-cost"
                    label="Monthly compute cost with auto scaling (quiet, typical, peak month) against fixed Fargate and EC2 fleets"
                    legend=charts::sim_cost_legend()
                    draw=move |root| sim.with(|s| charts::draw_sim_costs(root, s))
                />
            </div>
            {move || sim.with(|s| simulation_summary(&s.summary))}
        </section>
    }
}

/// The traffic shape: the built-in days, your own day, and a measured week when one is set.
fn profile_select(settings: Settings) -> impl IntoView {
    view! {
        <label>
            "Traffic shape "
            <select
                id="sim-profile"
                on:change=move |ev| {
                    let v = event_target_value(&ev);
                    if v == "custom" {
                        settings.apply(Edit::SimCustomDay);
                    } else if let Some(p) = Profile::ALL.iter().find(|p| p.key() == v) {
                        settings.apply(Edit::SimProfile(*p));
                    }
                }
            >
                {Profile::ALL
                    .iter()
                    .map(|p| {
                        let p = *p;
                        view! {
                            <option
                                value=p.key()
                                selected=move || settings.with(|s| s.profile == p)
                            >
                                {p.label()}
                            </option>
                        }
                    })
                    .collect_view()}
                <option
                    value="custom"
                    selected=move || { settings.with(|s| matches!(s.profile, Profile::Custom(_))) }
                >
                    "Your own day (hourly)…"
                </option>
                {move || {
                    settings
                        .with(|s| matches!(s.profile, Profile::CustomWeek { .. }))
                        .then(|| {
                            view! {
                                <option value="custom_week" selected=true>
                                    "Measured week (weekdays, weekend)"
                                </option>
                            }
                        })
                }}
            </select>
        </label>
    }
}

/// A day or a week of minutes.
fn horizon_select(settings: Settings) -> impl IntoView {
    view! {
        <label>
            "Period "
            <select
                id="sim-horizon"
                on:change=move |ev| {
                    let week = event_target_value(&ev) == "week";
                    settings
                        .apply(Edit::SimHorizon(if week { Horizon::Week } else { Horizon::Day }));
                }
            >
                <option value="week" selected=move || settings.with(|s| s.horizon == Horizon::Week)>
                    "A week"
                </option>
                <option value="day" selected=move || settings.with(|s| s.horizon == Horizon::Day)>
                    "A day"
                </option>
            </select>
        </label>
    }
}

/// The simulation's figures: task-hours, averages, overload, compute per month, fixed fleets.
fn simulation_summary(s: &SimulationSummary) -> impl IntoView {
    view! {
        <dl class="sim-summary">
            <dt>"Task-hours"</dt>
            <dd id="sim-task-hours">{num(s.task_hours, 1)}</dd>
            <dt>"Average / peak tasks"</dt>
            <dd>{format!("{} / {}", num(s.average_tasks, 2), s.peak_tasks)}</dd>
            <dt>"Minutes over capacity"</dt>
            <dd id="sim-overload">{s.overload_minutes}</dd>
            <dt>"Requests over capacity"</dt>
            <dd>{num(s.requests_over_capacity, 0)}</dd>
            <dt>"Compute per month"</dt>
            <dd id="sim-compute">
                {format!(
                    "{} quiet · {} typical · {} peaks",
                    usd(s.monthly_cost_quiet_usd),
                    usd(s.monthly_cost_typical_usd),
                    usd(s.monthly_cost_peaks_usd),
                )}
            </dd>
            <dt>"Fixed instead"</dt>
            <dd>
                {format!(
                    "{} Fargate tasks {} · {} x {} {}",
                    s.fixed_fargate_tasks,
                    usd(s.fixed_fargate_monthly_usd),
                    s.fixed_ec2_instances,
                    s.fixed_ec2_instance_type,
                    usd(s.fixed_ec2_monthly_usd),
                )}
            </dd>
        </dl>
    }
}

/// A numeric target of the optimiser with its message at the field: a refused value is
/// explained and the targets keep the last valid one; the message clears once the text is valid.
fn target_input(
    targets: RwSignal<Targets>,
    id: &'static str,
    label: &'static str,
    field: TargetField,
    get: fn(&Targets) -> f64,
) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let err_id = format!("e-{id}");
    let check = move |ev: leptos::ev::Event| match event_target_value(&ev).trim().parse::<f64>() {
        Ok(v) => match targets.with_untracked(|t| t.with_target(field, v)) {
            Ok(next) => {
                error.set(None);
                if targets.with_untracked(|t| *t != next) {
                    targets.set(next);
                }
            }
            Err(e) => error.set(Some(e)),
        },
        Err(_) => error.set(Some(format!("{} must be a number", label.trim()))),
    };
    view! {
        <div class="opt-field" class:invalid=move || error.with(|e| e.is_some())>
            <label for=id>{label}</label>
            <input
                type="number"
                id=id
                step="1"
                aria-describedby=err_id.clone()
                aria-invalid=move || if error.with(|e| e.is_some()) { "true" } else { "false" }
                prop:value=move || targets.with(|t| format!("{:.0}", get(t)))
                on:input=check
                on:change=check
            />
            <p class="error" id=err_id role="status">
                {move || error.get()}
            </p>
        </div>
    }
}

/// A yes/no target of the optimiser.
fn target_checkbox(
    targets: RwSignal<Targets>,
    id: &'static str,
    label: &'static str,
    get: fn(&Targets) -> bool,
    set: fn(&mut Targets, bool),
) -> impl IntoView {
    view! {
        <label>
            <input
                type="checkbox"
                id=id
                prop:checked=move || targets.with(get)
                on:change=move |ev| {
                    let on = event_target_checked(&ev);
                    targets.update(|t| set(t, on))
                }
            />
            {label}
        </label>
    }
}

/// The optimiser's targets and its Optimise button.
fn optimizer_controls(targets: RwSignal<Targets>, run: impl Fn() + 'static) -> impl IntoView {
    view! {
        <div class="opt-controls">
            {target_input(
                targets,
                "opt-p95",
                "p95 ceiling (ms) ",
                TargetField::P95Ms,
                |t| t.p95_ms,
            )}
            {target_input(
                targets,
                "opt-headroom",
                "Headroom at peak (%) ",
                TargetField::HeadroomPct,
                |t| t.headroom_pct,
            )}
            {target_input(
                targets,
                "opt-budget",
                "Budget ($/month, 0 = none) ",
                TargetField::BudgetUsd,
                |t| t.budget_usd.unwrap_or(0.0),
            )}
            {target_checkbox(
                targets,
                "opt-ha",
                " High availability (Multi-AZ DB, 2+ tasks, cache replica)",
                |t| t.high_availability,
                |t, on| t.high_availability = on,
            )}
            {target_checkbox(
                targets,
                "opt-arm",
                " Allow ARM",
                |t| t.allow_arm,
                |t, on| t.allow_arm = on,
            )}
            {target_checkbox(
                targets,
                "opt-spot",
                " Allow Fargate Spot (half the tasks)",
                |t| t.allow_spot,
                |t, on| t.allow_spot = on,
            )}
            {target_checkbox(
                targets,
                "opt-ec2",
                " Consider a fixed EC2 fleet",
                |t| t.allow_ec2,
                |t, on| t.allow_ec2 = on,
            )} <button id="opt-run" on:click=move |_| run()>
                "Optimise"
            </button>
        </div>
    }
}

#[component]
pub fn OptimizerPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let targets = RwSignal::new(state.scenario.with_untracked(Targets::for_scenario));
    // The result with the scenario it was computed for: a result for an older scenario is
    // marked out of date, and Apply re-runs it for the current inputs instead of bringing the
    // old ones back.
    let result = RwSignal::new(None::<(Scenario, Optimization)>);
    let elapsed = RwSignal::new(0.0);
    let compute = move || {
        let t0 = browser::now_ms();
        let s = state.scenario.get_untracked();
        let r = targets.with_untracked(|t| optimize(&s, catalog(), t));
        elapsed.set(browser::now_ms() - t0);
        result.set(Some((s, r)));
    };
    // Run once the panel is first in view or printed (at once outside `FollowsWhenSeen`): it
    // takes milliseconds, and out of view nobody waits for it.
    let in_view = use_context::<super::below::PanelInView>();
    Effect::new(move |_| {
        let shown = in_view.is_none_or(|v| v.0.get());
        if shown && result.with_untracked(Option::is_none) {
            compute();
        }
    });
    let stale = Memo::new(move |_| {
        result.with(|r| {
            r.as_ref().is_some_and(|(s, o)| {
                let applied = o.best.as_ref().map(|b| &b.scenario);
                state.scenario.with(|cur| cur != s && Some(cur) != applied)
                    || targets.with(|t| *t != o.targets)
            })
        })
    });
    let apply = move || {
        if stale.get_untracked() {
            compute();
        }
        match result.with_untracked(|r| {
            r.as_ref().and_then(|(_, o)| o.best.as_ref().map(|b| b.scenario.clone()))
        }) {
            Some(best) => state.load(best),
            None => state.notice.set(Some(
                "Nothing meets the targets for the current inputs; the scenario is unchanged."
                    .into(),
            )),
        }
    };
    view! {
        <section class="optimizer" aria-labelledby="opt-h">
            <h2 id="opt-h">"Right-size: the cheapest plan that meets your targets"</h2>
            {optimizer_controls(targets, compute)}
            {move || stale.get().then(|| stale_notice(state, result, targets))}
            {move || {
                result
                    .with(|r| {
                        r.as_ref()
                            .map(|(_, r)| optimization_view(
                                r,
                                elapsed.get_untracked(),
                                stale,
                                apply,
                            ))
                    })
            }}
            <Chart
                id="chart-pareto"
                label="Cost against p95 latency for each compute option, the chosen one circled"
                legend=charts::pareto_legend()
                aspect=0.45
                draw=move |root| {
                    result
                        .with(|r| match r {
                            Some((_, r)) => charts::draw_pareto(root, r),
                            None => charts::draw_waiting(root, "Searching the candidates…"),
                        })
                }
            />
        </section>
    }
}

/// "Out of date", naming what changed since the result was computed.
fn stale_notice(
    state: AppState,
    result: RwSignal<Option<(Scenario, Optimization)>>,
    targets: RwSignal<Targets>,
) -> impl IntoView {
    let changed = move || {
        result.with(|r| {
            let Some((s, o)) = r.as_ref() else { return String::new() };
            let mut parts: Vec<&str> =
                state.scenario.with(|cur| changed_inputs(s, cur)).into_iter().take(4).collect();
            if targets.with(|t| *t != o.targets) {
                parts.push("the targets");
            }
            parts.join(", ")
        })
    };
    view! {
        <p id="opt-stale" class="stale" role="status">
            <strong>"Out of date: "</strong>
            {move || format!("computed before you changed {}. ", changed())}
            "Apply re-runs it for the current inputs first."
        </p>
    }
}

/// The best plan (or the binding target), Apply, the next alternatives and what was rejected.
fn optimization_view(
    r: &Optimization,
    elapsed_ms: f64,
    stale: Memo<bool>,
    apply: impl Fn() + 'static,
) -> impl IntoView {
    let headline = match r.best.clone() {
        Some(b) => view! {
            <p id="opt-best">
                <strong>{b.label.clone()}</strong>
                {format!(
                    ": {} a month (now {}), p95 {}, headroom {:.0}%.",
                    usd(b.monthly_usd),
                    usd(r.start_monthly_usd),
                    ms(b.p95_ms),
                    b.headroom_pct,
                )}
            </p>
        }
        .into_any(),
        None => view! {
            <p id="opt-binding" class="critical">
                {format!(
                    "No configuration meets the targets. Binding target — {}",
                    r.binding.clone().unwrap_or_default(),
                )}
            </p>
        }
        .into_any(),
    };
    let alternatives = r
        .alternatives
        .iter()
        .map(|a| {
            let text = format!("{}: {} (+{})", a.label, usd(a.monthly_usd), usd(a.above_best_usd));
            view! { <li>{text}</li> }
        })
        .collect_view();
    let rejected = r
        .rejected
        .iter()
        .map(|c| {
            let text =
                format!("{}: {} — misses {}", c.label, usd(c.monthly_usd), c.misses.join(", "));
            view! { <li>{text}</li> }
        })
        .collect_view();
    view! {
        <div class="opt-result" class:is-stale=move || stale.get() aria-live="polite">
            <p class="muted">
                {format!("{} plans evaluated in {:.0} ms.", r.evaluated, elapsed_ms)}
            </p>
            {headline}
            <button id="opt-apply" on:click=move |_| apply()>
                {move || {
                    if stale.get() {
                        "Re-run for the current inputs and apply (Back undoes it)"
                    } else {
                        "Apply (Back undoes it)"
                    }
                }}
            </button>
            <h3>"Next alternatives"</h3>
            <ul>{alternatives}</ul>
            <h3>"Cheaper options rejected"</h3>
            {r
                .rejected
                .is_empty()
                .then(|| {
                    view! {
                        <p class="muted">
                            "None: nothing cheaper was tried that the targets reject."
                        </p>
                    }
                })}
            <ul>{rejected}</ul>
        </div>
    }
}

#[component]
pub fn ExportsPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    // Only the file on screen is generated on each change; "Download all" makes the rest.
    let names = Memo::new(move |_| state.scenario.with(crate::export::files_for));
    // The file chosen by kind: when the list changes (a step policy, a schedule, the EC2
    // launch type) the same file stays on screen, or the first one if it is gone.
    let selected = RwSignal::new(ExportFile::TaskDefinition);
    // "Reopen in the planner" in every file points at this page, wherever it is served.
    let planner_url = StoredValue::new(browser::page_url());
    let shown_file = Memo::new(move |_| {
        names.with(|n| {
            selected.with(|sel| {
                if n.contains(sel) {
                    *sel
                } else {
                    n.first().copied().unwrap_or(ExportFile::TaskDefinition)
                }
            })
        })
    });
    // The files are made by the exports worker (a second wasm, `ui/exporter.rs`), started the
    // first time the panel is in view or used: the page's own wasm has no export generator.
    let (opened, section) = exporter::open_when_seen();
    // The file on screen follows the scenario once the slider pauses ("Download all" uses the
    // scenario as it is). `busy` is true from a request until its reply (`aria-busy`).
    let at_rest = expect_context::<super::AtRest>();
    let shown = RwSignal::new(None::<(ExportFile, String)>);
    let busy = RwSignal::new(true);
    let status = RwSignal::new(String::new());
    let latest = StoredValue::new(0u32);
    Effect::new(move |_| {
        if !opened.get() {
            return;
        }
        // A catalog file loaded or dropped prices the files anew.
        state.catalog_in_use.track();
        let file = shown_file.get();
        let json = at_rest.scenario.with(|s| serde_json::to_string(s).unwrap_or_default());
        let ticket = latest.get_value().wrapping_add(1);
        latest.set_value(ticket);
        busy.set(true);
        exporter::request(file.name(), &planner_url.get_value(), json, move |reply| {
            // A newer request is on its way: its reply is the one to show.
            if latest.try_get_value() != Some(ticket) {
                return;
            }
            match reply {
                Ok(text) => shown.set(Some((file, text.as_string().unwrap_or_default()))),
                Err(e) => {
                    shown.set(None);
                    status.set(format!("Exports unavailable: {e}."));
                }
            }
            busy.set(false);
        });
    });
    let copy = move |_| {
        let text = shown.with_untracked(|f| f.as_ref().map(|f| f.1.clone()).unwrap_or_default());
        leptos::task::spawn_local(async move {
            match browser::copy_text(text).await {
                Ok(()) => status.set("Copied.".into()),
                Err(e) => {
                    status.set(format!("Copy failed: {e}. Select the text and copy it by hand."))
                }
            }
        });
    };
    let download = move |_| {
        shown.with_untracked(|f| {
            if let Some((file, content)) = f {
                if let Err(e) =
                    browser::download_bytes(file.name(), "text/plain", content.as_bytes())
                {
                    status.set(format!("Download failed: {e}"));
                }
            }
        })
    };
    let download_all = move |_| {
        opened.set(true);
        let json = state.scenario.with_untracked(|s| serde_json::to_string(s).unwrap_or_default());
        let url = planner_url.get_value();
        exporter::request(crate::exports_worker::ALL, &url, json, move |reply| {
            let result = reply.and_then(|archive| {
                let bytes = js_sys::Uint8Array::new(&archive).to_vec();
                browser::download_bytes("bridge-deploy.tar", "application/x-tar", &bytes)
            });
            if let Err(e) = result {
                status.set(format!("Download failed: {e}"));
            }
        });
    };
    view! {
        <section class="exports" aria-labelledby="exports-h" node_ref=section>
            <h2 id="exports-h">"Exports"</h2>
            <p class="muted">
                "Files for AWS CLI v2, generated from the current plan. ARNs use AWS's documentation account 111122223333 and example subnet, security-group and target-group IDs so every file is valid as it stands; deploy.sh substitutes your account and the resources it creates. No password or secret appears in any file."
            </p>
            <DeploySettings />
            <div class="tabs" role="group" aria-label="Export files: choose one to show">
                // Only the list of names drives the tab buttons, so they are rebuilt when a file
                // comes or goes, not on every change of the plan.
                {move || {
                    names
                        .get()
                        .into_iter()
                        .map(|file| {
                            view! {
                                <button
                                    class="tab"
                                    id=format!("tab-{}", file.name())
                                    aria-pressed=move || (shown_file.get() == file).to_string()
                                    aria-controls="export-text"
                                    on:click=move |_| {
                                        opened.set(true);
                                        selected.set(file);
                                    }
                                >
                                    {file.name()}
                                </button>
                            }
                        })
                        .collect_view()
                }}
            </div>
            <div class="export-actions">
                // While the worker is making the file for the current plan, the one on screen is
                // the previous plan's: Copy and Download wait for the new one.
                <button id="export-copy" on:click=copy disabled=move || busy.get()>
                    "Copy"
                </button>
                <button id="export-download" on:click=download disabled=move || busy.get()>
                    "Download"
                </button>
                <button id="export-all" on:click=download_all>
                    "Download all (.tar)"
                </button>
                <span class="status" role="status">
                    {move || status.get()}
                </span>
            </div>
            <pre
                id="export-text"
                class="code"
                role="region"
                aria-label="Selected export file"
                aria-busy=move || busy.get().to_string()
                data-file=move || shown.with(|f| f.as_ref().map(|f| f.0.name()))
                tabindex="0"
            >
                {move || shown.with(|f| f.as_ref().map(|f| f.1.clone()).unwrap_or_default())}
            </pre>
        </section>
    }
}

/// A text input for a name the exports use, checked against AWS's rules as the user types.
/// A rejected value is explained and the last good one stays in the scenario.
#[component]
fn NameInput(
    id: &'static str,
    label: &'static str,
    help: &'static str,
    get: fn(&Scenario) -> String,
    set: fn(String) -> Edit,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let error = RwSignal::new(None::<String>);
    let err_id = format!("e-{id}");
    view! {
        <div class="field name-field" class:invalid=move || error.with(|e| e.is_some())>
            <label for=id>{label}</label>
            <input
                type="text"
                id=id
                spellcheck="false"
                autocomplete="off"
                aria-describedby=err_id.clone()
                aria-invalid=move || if error.with(|e| e.is_some()) { "true" } else { "false" }
                prop:value=move || state.scenario.with(get)
                on:input=move |ev| {
                    match state.apply(set(event_target_value(&ev))) {
                        Ok(()) => error.set(None),
                        Err(e) => {
                            error
                                .set(
                                    Some(
                                        format!(
                                            "{}. The exports keep using “{}”.",
                                            e.message(),
                                            state.scenario.with_untracked(get),
                                        ),
                                    ),
                                )
                        }
                    }
                }
            />
            <p class="help">{help}</p>
            <p class="error" id=err_id role="status">
                {move || error.get()}
            </p>
        </div>
    }
}

#[component]
fn DeploySettings() -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <fieldset class="deploy-settings">
            <legend>"Names and image"</legend>
            <NameInput
                id="app-name"
                label="App name (prefix of every resource)"
                help="Cluster, service, DB and cache identifiers, buckets and the ALB are named from it."
                get=|s| s.deploy.app_name.clone()
                set=Edit::AppName
            />
            <NameInput
                id="db-name"
                label="Database name"
                help="The PostgreSQL database created in RDS."
                get=|s| s.deploy.db_name.clone()
                set=Edit::DbName
            />
            <NameInput
                id="health-path"
                label="Health-check path"
                help="Used by the container HEALTHCHECK, the task definition and the target group."
                get=|s| s.deploy.health_check_path.clone()
                set=Edit::HealthCheckPath
            />
            <div class="field">
                <label for="node-major">"Node.js LTS"</label>
                <select
                    id="node-major"
                    on:change=move |ev| {
                        if let Ok(v) = event_target_value(&ev).parse::<u32>() {
                            state.apply_or_explain(Edit::NodeMajor(v))
                        }
                    }
                >
                    {NODE_LTS
                        .iter()
                        .map(|&v| {
                            view! {
                                <option
                                    value=v.to_string()
                                    selected=move || {
                                        state.scenario.with(|s| s.deploy.node_major == v)
                                    }
                                >
                                    {format!("node:{v}-alpine")}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
        </fieldset>
    }
}

/// Twenty-four vertical sliders: the share of the way from the quietest traffic to the peak at
/// each hour of the day. Arrow keys move one, as with every slider.
#[component]
fn HourlyEditor(settings: Settings) -> impl IntoView {
    let value = move |h: usize| {
        settings.with(|s| if let Profile::Custom(v) = s.profile { v[h] } else { 0.0 })
    };
    view! {
        <fieldset class="hourly">
            <legend>
                "Your day: traffic at each hour, % of the way from the quietest to the peak"
            </legend>
            <div class="hours">
                {(0..24usize)
                    .map(|h| {
                        view! {
                            <label class="hour">
                                <input
                                    type="range"
                                    class="vertical"
                                    id=format!("hour-{h}")
                                    min="0"
                                    max="100"
                                    step="5"
                                    aria-label=format!("{h:02}:00, percent of peak")
                                    prop:value=move || format!("{:.0}", value(h) * 100.0)
                                    on:input=move |ev| {
                                        if let Ok(v) = event_target_value(&ev).parse::<f64>() {
                                            settings
                                                .apply(Edit::SimCustomHour {
                                                    hour: h,
                                                    pct: v.clamp(0.0, 100.0),
                                                });
                                        }
                                    }
                                />
                                <span>{format!("{h:02}")}</span>
                            </label>
                        }
                    })
                    .collect_view()}
            </div>
        </fieldset>
    }
}
