//! The headline's verdict when the plan cannot work at its traffic: why (the critical
//! findings), and the cheapest viable configuration from the right-size search with every
//! change it makes, applied in one step. The figures come from `model::viability`.
//!
//! The search (the optimiser's, and the change list) is needed only once a plan is not viable:
//! in the release page it is a wasm chunk of its own (`viable`), fetched the first time a
//! settled scenario is critical, like the codec (`codec.rs`). The first chart never waits for
//! it; the verdict's reasons show at once, the fix when the chunk is in.

use super::chunk::ChunkMissing;
use super::format::usd;
use super::{catalog, settled, AppState};
use crate::model::changes::Change;
use crate::model::viability::{not_viable, NotViable};
use crate::model::{Catalog, Scenario};
use leptos::prelude::*;
use std::cell::Cell;

/// The search for the cheapest viable change.
type FixSearch = fn(&Scenario, &Catalog) -> Option<NotViable>;

fn find_fix(s: &Scenario, catalog: &Catalog) -> Option<NotViable> {
    not_viable(s, &crate::model::plan(s, catalog), catalog)
}

/// With `split`, wasm-split moves this function and everything only it reaches (the search)
/// into a chunk, and the macro makes it `async` (it loads the chunk first).
#[cfg_attr(
    feature = "split",
    leptos::wasm_split::wasm_split(viable, wasm_split_path = ::leptos::wasm_split, fallible)
)]
fn search_chunk() -> Result<FixSearch, ChunkMissing> {
    Ok(find_fix)
}

thread_local! {
    /// The search once its chunk is in (`split` only).
    static LOADED: Cell<Option<FixSearch>> = const { Cell::new(None) };
}

/// The search (once; a failed fetch is tried again on the next call).
async fn load() -> Result<FixSearch, ChunkMissing> {
    #[cfg(not(feature = "split"))]
    return search_chunk();
    #[cfg(feature = "split")]
    {
        if let Some(f) = LOADED.with(Cell::get) {
            return Ok(f);
        }
        let f = search_chunk().await?;
        LOADED.with(|l| l.set(Some(f)));
        Ok(f)
    }
}

/// The verdict for the scenario at rest: `None` while nothing is critical, while the search's
/// chunk comes, or if it cannot come (the reasons above the fix still show).
fn verdict_at_rest(state: AppState) -> RwSignal<Option<NotViable>> {
    let verdict = RwSignal::new(None);
    // The search re-plans a few hundred configurations: once the scenario pauses, and only
    // while something is critical.
    let critical =
        settled(state, |s| crate::model::plan(s, catalog()).has_critical().then(|| s.clone()));
    Effect::new(move |_| {
        let Some(s) = critical.get() else {
            verdict.set(None);
            return;
        };
        wasm_bindgen_futures::spawn_local(async move {
            let Ok(search) = load().await else { return };
            // The scenario may have moved on while the chunk came.
            if critical.try_with_untracked(|c| c.as_ref() == Some(&s)) == Some(true) {
                verdict.try_set(search(&s, catalog()));
            }
        });
    });
    verdict
}

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
    let verdict = verdict_at_rest(state);
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
