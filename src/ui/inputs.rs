//! The inputs column, the printed report's inputs and its table of costs per tier, built in the
//! task after the first chart (`AfterFirstPaint`). Their views are the largest part of the
//! page's code that the first chart does not need, so in the release page they are a wasm chunk
//! of their own, like the panels below the charts (`below.rs`), fetched once the first chart is
//! drawn and before the other chunks. Without the `split` feature (tests, debug builds) this is
//! an ordinary call.

use super::chunk::{from_chunk, ChunkLines, ChunkMissing};
use super::panels::{self, TierPlans};
use super::{catalog, cockpit, controls, report_summary, AppState};
use leptos::prelude::*;

/// How to build each view, once the chunk is in.
pub struct Views {
    control_panel: fn() -> AnyView,
    report_inputs: fn() -> AnyView,
    report_summary: fn() -> AnyView,
    tier_costs: fn(TierPlans) -> AnyView,
}

/// With `split`, wasm-split moves this function and everything only it reaches into a chunk,
/// and the macro makes it `async` (it loads the chunk first; later calls find it loaded).
#[cfg_attr(
    feature = "split",
    leptos::wasm_split::wasm_split(inputs, wasm_split_path = ::leptos::wasm_split, fallible)
)]
fn inputs_chunk() -> Result<Views, ChunkMissing> {
    Ok(Views {
        control_panel: || {
            view! {
                <catalog::FollowsCatalog>
                    <controls::ControlPanel />
                </catalog::FollowsCatalog>
            }
            .into_any()
        },
        report_inputs: || view! { <cockpit::ReportInputs /> }.into_any(),
        // Runs the simulation and the growth path: kept out of the first download.
        report_summary: || view! { <report_summary::ReportSummaryLines /> }.into_any(),
        tier_costs: |tier_plans| {
            panels::tier_cost_table(expect_context::<AppState>(), tier_plans).into_any()
        },
    })
}

#[cfg(feature = "split")]
async fn load() -> Result<Views, ChunkMissing> {
    inputs_chunk().await
}

#[cfg(not(feature = "split"))]
async fn load() -> Result<Views, ChunkMissing> {
    inputs_chunk()
}

/// Waits until the chunk is in (or could not come). The other chunks wait for it: on a slow
/// link they would share the bandwidth, and the inputs are wanted first.
pub async fn ready() {
    let _ = load().await;
}

/// A view this chunk's `Views` build once it is in, with its loading and missing lines.
fn from_views(build: impl FnOnce(Views) -> AnyView + 'static, lines: ChunkLines) -> impl IntoView {
    from_chunk(Box::pin(async move { load().await.map(build) }), lines)
}

/// The inputs column: sliders, fields and choices (`controls::ControlPanel`).
#[component]
pub fn ControlPanel() -> impl IntoView {
    from_views(
        |views| (views.control_panel)(),
        ChunkLines {
            loading: "Loading the inputs…",
            missing: "The inputs could not be loaded. Reload the page when you are online again.",
            classes: ["loading-below", "notice"],
        },
    )
}

/// The printed report's inputs block (`cockpit::ReportInputs`). Only printed, like its lines.
#[component]
pub fn ReportInputs() -> impl IntoView {
    from_views(
        |views| (views.report_inputs)(),
        ChunkLines {
            loading: "Loading the report's inputs…",
            missing:
                "The report's inputs could not be loaded. Reload the page when you are online \
                again.",
            classes: ["report-inputs", "report-inputs"],
        },
    )
}

/// The committed price and the growth path's totals under the headline
/// (`report_summary::ReportSummaryLines`), on screen and printed.
#[component]
pub fn ReportSummary() -> impl IntoView {
    from_views(
        |views| (views.report_summary)(),
        ChunkLines {
            loading: "Loading the committed price and the growth path's totals…",
            missing: "The committed price and the growth path's totals could not be loaded. \
                Reload the page when you are online again.",
            classes: ["report-summary", "notice"],
        },
    )
}

/// The printed report's table of costs per tier (`panels::tier_cost_table`). Only printed.
#[component]
pub fn TierCosts(tier_plans: TierPlans) -> impl IntoView {
    from_views(
        move |views| (views.tier_costs)(tier_plans),
        ChunkLines {
            loading: "Loading the table of costs per tier…",
            missing: "The table of costs per tier could not be loaded. Reload the page when you \
                are online again.",
            classes: ["print-only", "print-only"],
        },
    )
}
