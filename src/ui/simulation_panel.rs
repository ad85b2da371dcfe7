//! The auto scaling simulation panel: traffic shape, horizon, the hourly editor, the charts
//! and the simulation's figures.

use super::charts::{self, Chart};
use super::format::{num, usd};
use super::{catalog, AppState};
use crate::model::scenario::Edit;
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
                {sim_inputs(settings)}
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
                    label="Monthly compute cost with auto scaling (quiet, typical, peak month) \
                        against fixed Fargate and EC2 fleets"
                    legend=charts::sim_cost_legend()
                    draw=move |root| sim.with(|s| charts::draw_sim_costs(root, s))
                />
            </div>
            {move || sim.with(|s| simulation_summary(&s.summary))}
        </section>
    }
}

/// The quietest traffic, the task start-up time and the scheduled minimum.
fn sim_inputs(settings: Settings) -> impl IntoView {
    view! {
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
            " Scheduled minimum of the average count, Mon–Fri 08–18 UTC (exported as \
                scheduled actions)"
        </label>
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
