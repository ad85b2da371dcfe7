//! The inputs column and the printed report's inputs, built in the task after the first chart
//! (`AfterFirstPaint`). Their views are the largest part of the page's code that the first
//! chart does not need, so in the release page they are a wasm chunk of their own, like the
//! panels below the charts (`below.rs`), fetched once the first chart is drawn and before the
//! other chunks. Without the `split` feature (tests, debug builds)
//! this is an ordinary call.

use super::{catalog, cockpit, controls, ChunkMissing};
use leptos::prelude::*;

/// How to build each view, once the chunk is in.
pub struct Views {
    control_panel: fn() -> AnyView,
    report_inputs: fn() -> AnyView,
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

/// The view `pick` chooses, once the chunk is in; if it cannot come, a line saying so (the
/// figures and charts keep working). `class` styles that line and the one shown while loading:
/// the report's inputs are only printed, so their lines are too.
fn deferred(
    pick: fn(&Views) -> AnyView,
    what: &'static str,
    class: [&'static str; 2],
) -> impl IntoView {
    let [loading_class, missing_class] = class;
    let built = send_wrapper::SendWrapper::new(async move {
        match load().await {
            Ok(views) => pick(&views),
            Err(ChunkMissing) => view! {
                <p class=missing_class role="alert">
                    {format!("The {what} could not be loaded. Reload the page when you are online again.")}
                </p>
            }
            .into_any(),
        }
    });
    view! {
        <Suspense fallback=move || {
            view! { <p class=loading_class>{format!("Loading the {what}…")}</p> }
        }>{Suspend::new(built)}</Suspense>
    }
}

/// The inputs column: sliders, fields and choices (`controls::ControlPanel`).
#[component]
pub fn ControlPanel() -> impl IntoView {
    deferred(|v| (v.control_panel)(), "inputs", ["loading-below", "notice"])
}

/// The printed report's inputs block (`cockpit::ReportInputs`).
#[component]
pub fn ReportInputs() -> impl IntoView {
    deferred(|v| (v.report_inputs)(), "report's inputs", ["report-inputs", "report-inputs"])
}
