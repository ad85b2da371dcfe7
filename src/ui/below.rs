//! The panels below the charts: diagram, cost table, the document's tables, simulation,
//! optimiser, growth path, calibration, exports, scenarios and prices.
//!
//! In the release page they are a wasm chunk of their own. `scripts/page-wasm.mjs` builds the
//! page with `--features split` and cuts the wasm with wasm-split at `panels_below`: the first
//! download holds the inputs, the headline and the charts, and the chunk is fetched once the
//! first chart is painted (`AfterFirstPaint`). Without the feature (tests, `trunk serve` in
//! debug) the same function is an ordinary call.

use super::chunk::{from_chunk, ChunkLines, ChunkMissing};
use super::{
    calibrate, catalog, charts, commitments_panel, exports_panel, growth, onscreen,
    optimizer_panel, panels, scenarios, simulation_panel, AppState, AtRest,
};
use leptos::prelude::*;

/// The views themselves. With `split`, wasm-split moves this function and everything only it
/// reaches into the chunk, and the macro makes it `async` (it loads the chunk first).
#[cfg_attr(
    feature = "split",
    leptos::wasm_split::wasm_split(panels_below, wasm_split_path = ::leptos::wasm_split, fallible)
)]
fn panels_below() -> Result<AnyView, ChunkMissing> {
    Ok(view! {
        <FollowsWhenSeen>
            <panels::Diagram />
        </FollowsWhenSeen>
        <FollowsWhenSeen>
            <panels::CostTable />
        </FollowsWhenSeen>
        <FollowsWhenSeen>
            <commitments_panel::CommitmentsPanel />
        </FollowsWhenSeen>
        <FollowsWhenSeen>
            <catalog::FollowsCatalog>
                <panels::DocumentTables />
            </catalog::FollowsCatalog>
        </FollowsWhenSeen>
        <FollowsWhenSeen>
            <simulation_panel::SimulationPanel />
        </FollowsWhenSeen>
        <FollowsWhenSeen>
            <optimizer_panel::OptimizerPanel />
        </FollowsWhenSeen>
        <FollowsWhenSeen>
            <growth::GrowthPanel />
        </FollowsWhenSeen>
        <FollowsWhenSeen>
            <calibrate::CalibratePanel />
        </FollowsWhenSeen>
        <FollowsWhenSeen>
            <exports_panel::ExportsPanel />
        </FollowsWhenSeen>
        <FollowsWhenSeen>
            <scenarios::ScenariosPanel />
        </FollowsWhenSeen>
        <FollowsWhenSeen>
            <catalog::FollowsCatalog>
                <scenarios::PricesPanel />
            </catalog::FollowsCatalog>
        </FollowsWhenSeen>
    }
    .into_any())
}

/// Whether the panel around a view is in view or printing (`FollowsWhenSeen`): work that only
/// that panel shows can wait for it.
#[derive(Clone, Copy)]
pub struct PanelInView(pub Signal<bool>);

/// One panel below the charts. In view (or while the page prints) its views follow every
/// slider move; out of view they show the plan at rest (`AtRest`: the one the slider settled
/// on, `SETTLE_MS` after the last move), so a slider move costs nothing there and the panel
/// is never more than a pause behind. The views read `AppState::plan` and `diff` as
/// everywhere else: this provides them. Edits still go to the one working scenario.
///
/// The wrapper is what is watched (a panel rebuilt for a new catalog is a new element); the
/// style sheet lets the browser skip its style, layout and paint while out of view
/// (`content-visibility: auto`).
#[component]
fn FollowsWhenSeen(children: Children) -> impl IntoView {
    let state = expect_context::<AppState>();
    let at_rest = expect_context::<AtRest>();
    let paint_all = use_context::<charts::PaintAll>();
    let seen = RwSignal::new(false);
    let live = move || seen.get() || paint_all.is_some_and(|p| p.0.get());
    provide_context(PanelInView(Signal::derive(live)));
    let plan = Memo::new(move |_| if live() { state.plan.get() } else { at_rest.plan.get() });
    let diff = Memo::new(move |_| if live() { state.diff.get() } else { at_rest.diff.get() });
    provide_context(AppState { plan, diff, ..state });
    let wrapper = NodeRef::<leptos::html::Div>::new();
    let watched = StoredValue::new(None::<u32>);
    Effect::new(move |_| {
        if watched.get_value().is_none() {
            if let Some(el) = wrapper.get() {
                watched.set_value(onscreen::watch(&el, seen));
            }
        }
    });
    on_cleanup(move || watched.try_get_value().flatten().into_iter().for_each(onscreen::unwatch));
    view! { <div class="follows" node_ref=wrapper>{children()}</div> }
}

#[cfg(feature = "split")]
async fn load_panels_below() -> Result<AnyView, ChunkMissing> {
    // After the inputs' chunk: on a slow link the two would share the bandwidth.
    super::inputs::ready().await;
    panels_below().await
}

#[cfg(not(feature = "split"))]
async fn load_panels_below() -> Result<AnyView, ChunkMissing> {
    panels_below()
}

/// The panels, or a line saying they could not load (the inputs and charts above keep working).
#[component]
pub fn PanelsBelow() -> impl IntoView {
    from_chunk(
        Box::pin(load_panels_below()),
        ChunkLines {
            loading: "Loading the tables, simulation and exports…",
            missing:
                "The panels below the charts (tables, simulation, exports, scenarios, prices) \
                could not be loaded. Reload the page when you are online again.",
            classes: ["loading-below", "notice"],
        },
    )
}
