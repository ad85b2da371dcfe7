//! What a product lead keeps an eye on: the summary bar that stays on screen, the health of
//! every limit at peak, the baseline the plan is compared with, and the inputs block of the
//! printed report. Figures come from `model::health` and `model::compare`.

use super::format::{delta, ms, num, usd};
use super::{browser, catalog, codec, AppState, Baseline};
use crate::model::display::default_baseline_name;
use crate::model::health::{gauges, summary, Level, Summary};
use crate::model::Tier;
use leptos::prelude::*;

fn set_baseline(state: AppState, b: Option<Baseline>) {
    state.baseline.set(b.clone());
    let Some(b) = b else {
        browser::storage_remove(browser::BASELINE_KEY);
        return;
    };
    // Kept for the next visit through the codec (in since the first chart). A write that
    // waited for its chunk is dropped if the user chose another baseline meanwhile.
    codec::with(move |codec| {
        let current = state.baseline.with_untracked(|cur| cur.as_ref() == Some(&b));
        if let (Some(codec), true) = (codec, current) {
            let _ = browser::storage_set(browser::BASELINE_KEY, &(codec.encode_baseline)(&b));
        }
    });
}

/// The picker's value for a baseline: "none", "medium", "medium@mine" (the tier at the
/// working traffic), "saved".
fn picker_value(b: &Option<Baseline>) -> String {
    match b {
        None => "none".to_string(),
        Some(Baseline::Tier(t)) => t.label().to_ascii_lowercase(),
        Some(Baseline::TierAtMyTraffic(t)) => format!("{}@mine", t.label().to_ascii_lowercase()),
        Some(Baseline::Saved(..)) => "saved".to_string(),
    }
}

fn picked(v: &str) -> Option<Option<Baseline>> {
    match v {
        "none" => Some(None),
        "saved" => None,
        other => match other.split_once('@') {
            Some((t, "mine")) => Tier::parse(t).map(|t| Some(Baseline::TierAtMyTraffic(t))),
            _ => Tier::parse(other).map(|t| Some(Baseline::Tier(t))),
        },
    }
}

/// "Compared with": none, a tier (at its own traffic or at the user's), or the scenario set
/// aside under a name the user gives (else `default_baseline_name`). Choosing never changes
/// the working scenario.
#[component]
pub fn BaselinePicker() -> impl IntoView {
    let state = expect_context::<AppState>();
    let current = move || state.baseline.with(picker_value);
    let saved_name = move || {
        state.baseline.with(|b| {
            if let Some(Baseline::Saved(n, _)) = b {
                Some(n.clone())
            } else {
                None
            }
        })
    };
    let tier_option = move |value: String, text: String| {
        let v = value.clone();
        view! {
            <option value=value selected=move || current() == v>
                {text}
            </option>
        }
    };
    view! {
        <div class="baseline">
            <label for="baseline-pick">"Compare with "</label>
            <select
                id="baseline-pick"
                on:change=move |ev| {
                    if let Some(b) = picked(&event_target_value(&ev)) {
                        set_baseline(state, b);
                    }
                }
            >
                <option value="none" selected=move || current() == "none">
                    "nothing"
                </option>
                {Tier::ALL
                    .iter()
                    .map(|t| {
                        let key = t.label().to_ascii_lowercase();
                        view! {
                            {tier_option(
                                key.clone(),
                                format!("the {} tier (its own traffic)", t.label()),
                            )}
                            {tier_option(
                                format!("{key}@mine"),
                                format!("the {} tier at my traffic", t.label()),
                            )}
                        }
                    })
                    .collect_view()}
                {move || {
                    saved_name()
                        .map(|n| {
                            view! {
                                <option value="saved" selected=true>
                                    {format!("baseline “{n}”")}
                                </option>
                            }
                        })
                }}
            </select>
            <SaveBaseline />
        </div>
    }
}

/// The baseline's name (typed, or a default from what was changed), Set and Clear.
#[component]
fn SaveBaseline() -> impl IntoView {
    let state = expect_context::<AppState>();
    let typed = RwSignal::new(String::new());
    let default_name = move || state.scenario.with(default_baseline_name);
    view! {
        <label for="baseline-name" class="sr-only">"Name of the baseline"</label>
        <input
            type="text"
            id="baseline-name"
            maxlength="80"
            placeholder=default_name
            prop:value=move || typed.get()
            on:input=move |ev| typed.set(event_target_value(&ev))
        />
        <button
            id="set-baseline"
            on:click=move |_| {
                let s = state.scenario.get_untracked();
                let given = typed.get_untracked().trim().chars().take(80).collect::<String>();
                let name = if given.is_empty() { default_baseline_name(&s) } else { given };
                typed.set(String::new());
                set_baseline(state, Some(Baseline::Saved(name, Box::new(s))));
            }
        >
            "Set as baseline"
        </button>
        {move || {
            state
                .baseline
                .with(|b| b.is_some())
                .then(|| {
                    view! {
                        <button
                            id="clear-baseline"
                            class="quiet"
                            on:click=move |_| set_baseline(state, None)
                        >
                            "Clear"
                        </button>
                    }
                })
        }}
    }
}

/// The difference of the headline total against the baseline, or nothing.
pub fn total_delta(state: AppState) -> Option<String> {
    state.diff.with(|d| d.as_ref().map(|d| delta(&d.total)))
}

/// Total, p95, headroom and the count of warnings, always on screen (sticky).
/// With price overrides, the total at published prices beside the one shown: a link's prices
/// cannot hide what AWS bills.
#[component]
fn PublishedTotal() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        state.plan.with(|p| p.at_published_prices.as_ref().map(|a| a.monthly_total_usd)).map(|t| {
            view! {
                <span class="sb-published" id="sb-published">
                    {format!(" ({} at published prices)", usd(t))}
                </span>
            }
        })
    }
}

#[component]
pub fn SummaryBar() -> impl IntoView {
    let state = expect_context::<AppState>();
    let sm = Memo::new(move |_| state.plan.with(summary));
    let warnings = move || sm.with(warning_words);
    let level = move || sm.with(level_of);
    view! {
        <div class="summary-bar" role="region" aria-label="Summary of the plan">
            <span class="sb-item sb-total">
                <span class="sb-label">"Monthly "</span>
                <strong id="sb-total" class:not-viable=move || sm.with(|s| s.critical > 0)>
                    {move || sm.with(|s| usd(s.monthly_usd))}
                </strong>
                {move || {
                    sm.with(|s| s.critical > 0)
                        .then(|| {
                            view! {
                                <a class="sb-nv" id="sb-not-viable" href="#not-viable">
                                    "not viable"
                                </a>
                            }
                        })
                }}
                <PublishedTotal />
                {move || {
                    total_delta(state)
                        .map(|d| {
                            view! {
                                <span class="delta" id="sb-delta">
                                    {d}
                                    <span class="delta-vs">
                                        {format!(
                                            " vs {}",
                                            state.baseline_name.get().unwrap_or_default(),
                                        )}
                                    </span>
                                </span>
                            }
                        })
                }}
            </span>
            <span class="sb-item">
                <span class="sb-label">"p95 "</span>
                <strong id="sb-p95">{move || sm.with(|s| ms(s.p95_ms))}</strong>
            </span>
            <span class="sb-item">
                <span class="sb-label">"Headroom "</span>
                <strong id="sb-headroom">
                    {move || sm.with(|s| format!("{}%", num(s.headroom_pct.max(-999.0), 0)))}
                </strong>
            </span>
            <a
                class=move || format!("sb-item sb-warnings {}", level())
                id="sb-warnings"
                href="#warnings-h"
            >
                {warnings}
            </a>
            <a class="sb-item sb-jump" href="#inputs">
                "Inputs"
            </a>
        </div>
    }
}

/// "1 critical, 2 warnings, 3 notes" or "no warnings, …".
fn warning_words(s: &Summary) -> String {
    let mut parts = Vec::new();
    if s.critical > 0 {
        parts.push(format!("{} critical", s.critical));
    }
    if s.warnings > 0 {
        parts.push(format!("{} warning{}", s.warnings, if s.warnings == 1 { "" } else { "s" }));
    }
    if parts.is_empty() {
        parts.push("no warnings".into());
    }
    if s.notes > 0 {
        parts.push(format!("{} note{}", s.notes, if s.notes == 1 { "" } else { "s" }));
    }
    parts.join(", ")
}

/// The summary bar's class: its most severe warning.
fn level_of(s: &Summary) -> &'static str {
    if s.critical > 0 {
        "critical"
    } else if s.warnings > 0 {
        "warning"
    } else {
        "ok"
    }
}

fn gauge_text(used: f64, limit: f64, unit: &str) -> String {
    let decimals = if unit == "GB" { 2 } else { 0 };
    format!("{} of {} {unit}", num(used, decimals), num(limit, decimals))
}

/// Utilisation of every limit at peak, whether or not a warning fires.
#[component]
pub fn HealthPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let list =
        Memo::new(move |_| state.scenario.with(|s| state.plan.with(|p| gauges(s, p, catalog()))));
    let count = list.with_untracked(|g| g.len());
    view! {
        <section class="health" aria-labelledby="health-h">
            <h2 id="health-h">"Health at peak"</h2>
            <ul class="gauges">
                {(0..count)
                    .map(|i| {
                        let g = move || list.with(|l| l.get(i).cloned());
                        let level = move || match g().map(|g| g.level) {
                            Some(Level::Over) => "over",
                            Some(Level::Near) => "near",
                            Some(Level::NotUsed) => "unused",
                            _ => "ok",
                        };
                        let id = list.with_untracked(|l| l[i].id);
                        view! {
                            <li class=move || format!("gauge {}", level()) id=format!("g-{id}")>
                                <span class="g-label">
                                    {move || g().map(|g| g.label).unwrap_or_default()}
                                </span>
                                <span
                                    class="g-bar"
                                    role="meter"
                                    aria-valuemin="0"
                                    aria-valuemax="100"
                                    aria-valuenow=move || {
                                        g()
                                            .map(|g| format!("{:.0}", g.share * 100.0))
                                            .unwrap_or_default()
                                    }
                                    aria-label=move || g().map(|g| g.label).unwrap_or_default()
                                >
                                    <span
                                        class="g-fill"
                                        style:width=move || {
                                            g()
                                                .map(|g| format!("{:.1}%", g.share.min(1.0) *
                                                    100.0))
                                                .unwrap_or_default()
                                        }
                                    ></span>
                                </span>
                                <span class="g-text">
                                    {move || {
                                        g()
                                            .map(|g| {
                                                if g.level == Level::NotUsed {
                                                    "no read replicas".to_string()
                                                } else {
                                                    format!(
                                                        "{} ({:.0}%)",
                                                        gauge_text(g.used, g.limit, g.unit),
                                                        g.share * 100.0,
                                                    )
                                                }
                                            })
                                            .unwrap_or_default()
                                    }}
                                </span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}

/// The inputs block of the printed report: the choices and the numbers of the open sections.
#[component]
pub fn ReportInputs() -> impl IntoView {
    use crate::model::display::{applies_to, section_of, tidy, Section};
    use crate::model::scenario::{Arch, LaunchType, NetworkLayout, FIELDS};
    // Rows keyed by label, following the scenario at rest: a pause updates one cell's text.
    let at_rest = expect_context::<super::AtRest>();
    let rows = Memo::new(move |_| {
        at_rest.scenario.with(|s| {
            let mut rows: Vec<(String, String)> = vec![
                ("Region".into(), s.region.clone()),
                ("Availability checks".into(), if s.production { "on" } else { "off" }.into()),
                (
                    "Runs on".into(),
                    match s.backend.launch_type {
                        LaunchType::Fargate => format!(
                            "Fargate {} vCPU / {} GB {}",
                            tidy(s.task_vcpu()),
                            tidy(s.task_memory_gb()),
                            if s.backend.arch == Arch::Arm { "ARM" } else { "x86" }
                        ),
                        LaunchType::Ec2 => format!("EC2 {} fleet", s.backend.ec2_instance),
                    },
                ),
                (
                    "Database".into(),
                    format!(
                        "{}{}",
                        s.database.class,
                        if s.database.multi_az { ", Multi-AZ" } else { "" }
                    ),
                ),
                ("Cache".into(), s.cache.node_type.clone()),
                (
                    "Network".into(),
                    match s.network.layout {
                        NetworkLayout::Public => "public subnets",
                        NetworkLayout::PrivateNat => "private + NAT",
                        NetworkLayout::VpcEndpoints => "private + endpoints",
                    }
                    .into(),
                ),
            ];
            rows.extend(
                FIELDS
                    .iter()
                    .filter(|f| section_of(f.id) != Section::Advanced && applies_to(f.id, s))
                    .map(|f| (f.label.to_string(), format!("{} {}", tidy(s.get(f.field)), f.unit))),
            );
            rows
        })
    });
    view! {
        <section class="report-inputs" aria-hidden="true">
            <h2>"Inputs"</h2>
            <dl>
                <For
                    each=move || rows.with(|r| r.iter().map(|x| x.0.clone()).collect::<Vec<_>>())
                    key=|k| k.clone()
                    let:k
                >
                    {
                        let label = k.clone();
                        view! {
                            <dt>{k}</dt>
                            <dd>
                                {move || {
                                    rows.with(|r| {
                                        r.iter()
                                            .find(|x| x.0 == label)
                                            .map(|x| x.1.clone())
                                            .unwrap_or_default()
                                    })
                                }}
                            </dd>
                        }
                    }
                </For>
            </dl>
        </section>
    }
}
