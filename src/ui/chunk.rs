//! What the page's wasm chunks share: in the release page (`--features split`) wasm-split cuts
//! the inputs (`inputs.rs`), the panels below the charts (`below.rs`) and the codec of links and
//! saves (`codec.rs`) out of the first download, and each may fail to arrive.

use leptos::prelude::*;
use std::future::Future;
use std::pin::Pin;

/// Why a part of the page in a wasm chunk of its own could not be used: the chunk did not
/// arrive (offline before the service worker kept it, or the server lost it).
#[derive(Debug)]
pub struct ChunkMissing;

#[cfg(feature = "split")]
impl From<leptos::wasm_split::SplitLoaderError> for ChunkMissing {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        ChunkMissing
    }
}

/// A view being built from a chunk (boxed: one copy of `from_chunk` serves every chunk).
pub type ChunkView = Pin<Box<dyn Future<Output = Result<AnyView, ChunkMissing>>>>;

/// What a view from a chunk shows while the chunk comes and if it cannot come, and the classes
/// of those two lines.
pub struct ChunkLines {
    pub loading: &'static str,
    pub missing: &'static str,
    pub classes: [&'static str; 2],
}

/// The view `built` gives once its chunk is in: the `loading` line until then, the `missing`
/// line (an alert) if the chunk cannot come. The rest of the page keeps working either way.
pub fn from_chunk(built: ChunkView, lines: ChunkLines) -> impl IntoView {
    let ChunkLines { loading, missing, classes: [loading_class, missing_class] } = lines;
    // The chunk loader's future is not `Send`; the page has one thread.
    let built = send_wrapper::SendWrapper::new(async move {
        built.await.unwrap_or_else(|ChunkMissing| {
            view! {
                <p class=missing_class role="alert">
                    {missing}
                </p>
            }
            .into_any()
        })
    });
    view! {
        <Suspense fallback=move || {
            view! { <p class=loading_class>{loading}</p> }
        }>{Suspend::new(built)}</Suspense>
    }
}
