//! The headline's verdict when the plan cannot work at its traffic: why (the critical
//! findings), and the cheapest viable configuration from the right-size search with every
//! change it makes, applied in one step. The figures come from `model::viability`.

use super::format::usd;
use super::{catalog, settled, AppState};
use crate::model::changes::Change;
use crate::model::viability::{not_viable, NotViable};
use leptos::prelude::*;

/// Whether the plan now has a critical finding (follows every move, not only pauses).
pub fn is_critical(state: AppState) -> Memo<bool> {
    Memo::new(move |_| state.plan.with(|p| p.has_critical()))
}

/// The list of changes, each "label: before -> after", removals marked.
pub fn change_list(changes: &[Change], id: &'static str) -> impl IntoView {
    view! {
        <ul class="changes" id=id>
            {changes
                .iter()
                .map(|c| {
                    view! {
                        <li class:removes=c.removes>
                            {c.text()}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

fn fix_view(state: AppState, nv: NotViable) -> AnyView {
    let Some(fix) = nv.fix else {
        return view! {
            <p id="viable-none">
                "The right-size search finds no viable configuration that keeps your other \
                    choices: "
                {nv.binding.unwrap_or_default()}
                ". The warnings below say what to change by hand."
            </p>
        }
        .into_any();
    };
    let scenario = fix.candidate.scenario.clone();
    view! {
        <div class="viable-fix">
            <p>
                "Cheapest change that makes it viable (from the right-size search): "
                <strong id="viable-total">{usd(fix.candidate.monthly_usd)}</strong>
                " a month, " {fix.candidate.label.clone()} ". It changes:"
            </p>
            {change_list(&fix.changes, "viable-changes")}
            <button
                id="apply-viable"
                on:click=move |_| {
                    state.load(scenario.clone());
                    state
                        .notice
                        .set(
                            Some(
                                "Applied the cheapest viable change (Back undoes it).".into(),
                            ),
                        );
                }
            >
                "Apply these changes"
            </button>
        </div>
    }
    .into_any()
}

/// "Not viable at N req/s": shown whenever a finding is critical.
#[component]
pub fn NotViableBanner() -> impl IntoView {
    let state = expect_context::<AppState>();
    let critical = is_critical(state);
    // The search re-plans a few hundred configurations: once the scenario pauses, and only
    // while something is critical.
    let verdict = settled(state, |s| {
        let p = crate::model::plan(s, catalog());
        not_viable(s, &p, catalog())
    });
    let peak = move || state.scenario.with(|s| crate::model::display::tidy(s.traffic.peak_rps));
    move || {
        critical.get().then(|| {
            view! {
                <div class="not-viable" id="not-viable" role="alert">
                    <p class="nv-title">
                        <strong>
                            {move || format!("Not viable at {} req/s.", peak())}
                        </strong>
                        " The total above is what this plan would cost, not what the traffic \
                            needs: "
                        {move || {
                            state
                                .plan
                                .with(|p| crate::model::viability::critical_reasons(p).join(" "))
                        }}
                    </p>
                    {move || verdict.get().map(|nv| fix_view(state, nv))}
                </div>
            }
        })
    }
}
