//! The panels below the charts: diagram, cost table, the document's tables, simulation,
//! optimiser, calibration, exports, scenarios and prices.
//!
//! In the release page they are a wasm chunk of their own. `scripts/build-page.sh` builds the
//! page with `--features split` and cuts the wasm with wasm-split at `panels_below`: the first
//! download holds the inputs, the headline and the charts, and the chunk is fetched once the
//! first chart is painted (`AfterFirstPaint`). Without the feature (tests, `trunk serve` in
//! debug) the same function is an ordinary call.

use super::{calibrate, catalog, panels, scenarios, tools};
use leptos::prelude::*;

/// Why the panels could not be shown: their chunk did not arrive (offline before the service
/// worker kept it, or the server lost it).
#[derive(Debug)]
pub struct ChunkMissing;

#[cfg(feature = "split")]
impl From<leptos::wasm_split::SplitLoaderError> for ChunkMissing {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        ChunkMissing
    }
}

/// The views themselves. With `split`, wasm-split moves this function and everything only it
/// reaches into the chunk, and the macro makes it `async` (it loads the chunk first).
#[cfg_attr(
    feature = "split",
    leptos::wasm_split::wasm_split(panels_below, wasm_split_path = ::leptos::wasm_split, fallible)
)]
fn panels_below() -> Result<AnyView, ChunkMissing> {
    Ok(view! {
        <panels::Diagram />
        <panels::CostTable />
        <catalog::FollowsCatalog>
            <panels::DocumentTables />
        </catalog::FollowsCatalog>
        <tools::SimulationPanel />
        <tools::OptimizerPanel />
        <calibrate::CalibratePanel />
        <tools::ExportsPanel />
        <scenarios::ScenariosPanel />
        <catalog::FollowsCatalog>
            <scenarios::PricesPanel />
        </catalog::FollowsCatalog>
    }
    .into_any())
}

#[cfg(feature = "split")]
async fn load_panels_below() -> Result<AnyView, ChunkMissing> {
    panels_below().await
}

#[cfg(not(feature = "split"))]
async fn load_panels_below() -> Result<AnyView, ChunkMissing> {
    panels_below()
}

/// The panels, or a line saying they could not load (the inputs and charts above keep working).
#[component]
pub fn PanelsBelow() -> impl IntoView {
    // The chunk loader's future is not `Send`; the page has one thread.
    let panels = send_wrapper::SendWrapper::new(async {
        load_panels_below().await.unwrap_or_else(|ChunkMissing| {
            view! {
                <p class="notice" role="alert">
                    "The panels below the charts (tables, simulation, exports, scenarios, prices) could not be loaded. Reload the page when you are online again."
                </p>
            }
            .into_any()
        })
    });
    view! {
        <Suspense fallback=|| {
            view! { <p class="loading-below">"Loading the tables, simulation and exports…"</p> }
        }>{Suspend::new(panels)}</Suspense>
    }
}
