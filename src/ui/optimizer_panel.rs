//! The right-sizing panel: the optimiser's targets, its result and the Pareto chart.

use super::charts::{self, Chart};
use super::format::{ms, usd};
use super::message::{say, Message, Said};
use super::viable::change_list;
use super::{browser, catalog, AppState};
use crate::model::changes::changes;
use crate::model::display::changed_inputs;
use crate::model::optimize::{optimize, Optimization, TargetField, Targets};
use crate::model::scenario::Scenario;
use leptos::prelude::*;

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
            Err(e) => error.set(Some(e.to_string())),
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
    // What the last Apply changed, said beside the button.
    let said = RwSignal::new(None::<Said>);
    let apply = move || apply_best(state, result, stale, said, compute);
    view! {
        <section class="optimizer" aria-labelledby="opt-h">
            <h2 id="opt-h">"Right-size: the cheapest plan that meets your targets"</h2>
            {optimizer_controls(targets, compute)}
            {move || stale.get().then(|| stale_notice(state, result, targets))}
            {move || {
                result
                    .with(|r| {
                        r.as_ref()
                            .map(|(from, r)| optimization_view(
                                from,
                                r,
                                elapsed.get_untracked(),
                                stale,
                                apply,
                            ))
                    })
            }}
            <Message id="opt-applied" said=said />
            {pareto_chart(result)}
        </section>
    }
}

/// Apply: re-runs a stale result first, loads the best plan, says every change it made and
/// refreshes the comparison (the result is stale again only after the user's own edits).
fn apply_best(
    state: AppState,
    result: RwSignal<Option<(Scenario, Optimization)>>,
    stale: Memo<bool>,
    said: RwSignal<Option<Said>>,
    compute: impl Fn(),
) {
    if stale.get_untracked() {
        compute();
    }
    let picked = result.with_untracked(|r| {
        r.as_ref().and_then(|(s, o)| o.best.as_ref().map(|b| (s.clone(), b.scenario.clone())))
    });
    let Some((from, best)) = picked else {
        let refused =
            "Nothing meets the targets for the current inputs; the scenario is unchanged.";
        say(said, "opt-applied", Said::Refused(refused.into()));
        return;
    };
    let list = changes(&from, &best);
    state.load(best);
    compute();
    let words = if list.is_empty() {
        "Applied: the inputs already were the best plan; nothing changed.".into()
    } else {
        format!(
            "Applied {} change{} (Back undoes them): {}.",
            list.len(),
            if list.len() == 1 { "" } else { "s" },
            list.iter().map(|c| c.text()).collect::<Vec<_>>().join("; ")
        )
    };
    say(said, "opt-applied", Said::Done(words));
}

/// Cost against p95 for each compute option, the chosen one circled.
fn pareto_chart(result: RwSignal<Option<(Scenario, Optimization)>>) -> impl IntoView {
    view! {
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
    from: &Scenario,
    r: &Optimization,
    elapsed_ms: f64,
    stale: Memo<bool>,
    apply: impl Fn() + 'static,
) -> impl IntoView {
    let headline = best_view(from, r);
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

/// The best plan with what Apply would change, or the binding target when nothing meets them.
fn best_view(from: &Scenario, r: &Optimization) -> AnyView {
    match r.best.clone() {
        Some(b) => {
            let list = changes(from, &b.scenario);
            view! {
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
                {if list.is_empty() {
                    view! { <p id="opt-no-change">"Your inputs already are this plan."</p> }
                        .into_any()
                } else {
                    view! {
                        <p>"Apply changes:"</p>
                        {change_list(&list, "opt-changes")}
                    }
                        .into_any()
                }}
            }
            .into_any()
        }
        None => view! {
            <p id="opt-binding" class="critical">
                {format!(
                    "No configuration meets the targets. Binding target — {}",
                    r.binding.clone().unwrap_or_default(),
                )}
            </p>
        }
        .into_any(),
    }
}
