//! The text the page reads and writes at its edges: the share link in the address bar, the
//! autosave, the baseline and the catalog file kept from the last visit.
//!
//! These readers and writers are most of serde, serde_json, deflate and base64 in the page's
//! wasm, and no first chart needs them on a first visit (nothing to restore). In the release
//! page they are a wasm chunk of their own, like the panels below the charts (`below.rs`):
//! `start` fetches it before mounting the app only when there is something to restore, and
//! otherwise in the task after the first chart. The rest of the page reaches them through
//! `get` / `with`, never by calling `share` directly (that call would pull them back into the
//! first download). Without the `split` feature (tests, debug builds) they are ordinary calls.

use super::chunk::ChunkMissing;
use super::{browser, Baseline};
use crate::model::catalog_file::{read_catalog_file, CatalogFileError, CatalogInUse};
use crate::model::scenario::ScenarioError;
use crate::model::share::{self, LinkError};
use crate::model::{Catalog, Scenario, Tier};
use std::cell::Cell;

/// A catalog file read and described, or what is wrong with it.
type CatalogRead = Result<(Catalog, CatalogInUse), CatalogFileError>;

/// The readers and writers, as plain function pointers: once the chunk is in, calls are
/// synchronous.
pub struct Codec {
    pub decode_link: fn(&str, &Catalog) -> Result<Scenario, LinkError>,
    pub encode_short_link: fn(&Scenario) -> String,
    pub decode_file: fn(&str, &Catalog) -> Result<Scenario, ScenarioError>,
    pub encode_file: fn(&Scenario) -> String,
    pub decode_baseline: fn(&str, &Catalog) -> Option<Baseline>,
    pub encode_baseline: fn(&Baseline) -> String,
    pub read_catalog_file: fn(&str, &str) -> CatalogRead,
}

static CODEC: Codec = Codec {
    decode_link: share::decode_link,
    encode_short_link: share::encode_short_link,
    decode_file: share::decode_file,
    encode_file: share::encode_file,
    decode_baseline,
    encode_baseline,
    read_catalog_file,
};

/// The baseline as kept in localStorage: `{"tier": "medium"}` or `{"name": ..., "file": ...}`.
fn encode_baseline(b: &Baseline) -> String {
    match b {
        Baseline::Tier(t) => serde_json::json!({ "tier": t.label() }).to_string(),
        Baseline::TierAtMyTraffic(t) => {
            serde_json::json!({ "tier": t.label(), "traffic": "mine" }).to_string()
        }
        Baseline::Saved(name, s) => {
            serde_json::json!({ "name": name, "file": share::encode_file(s) }).to_string()
        }
    }
}

/// Reads a stored baseline; anything unreadable is no baseline (it is only a comparison).
fn decode_baseline(text: &str, catalog: &Catalog) -> Option<Baseline> {
    let v: serde_json::Value = serde_json::from_str(text).ok()?;
    if let Some(t) = v.get("tier").and_then(|t| t.as_str()).and_then(Tier::parse) {
        if v.get("traffic").and_then(|t| t.as_str()) == Some("mine") {
            return Some(Baseline::TierAtMyTraffic(t));
        }
        return Some(Baseline::Tier(t));
    }
    let name = v.get("name")?.as_str()?.chars().take(80).collect::<String>();
    let s = share::decode_file(v.get("file")?.as_str()?, catalog).ok()?;
    Some(Baseline::Saved(name, Box::new(s)))
}

/// With `split`, wasm-split moves this function, `CODEC` and everything only they reach into
/// a chunk, and the macro makes it `async` (it loads the chunk first).
#[cfg_attr(
    feature = "split",
    leptos::wasm_split::wasm_split(codec, wasm_split_path = ::leptos::wasm_split, fallible)
)]
fn codec_chunk() -> Result<&'static Codec, ChunkMissing> {
    Ok(&CODEC)
}

thread_local! {
    /// The codec once its chunk is in (`split` only).
    static LOADED: Cell<Option<&'static Codec>> = const { Cell::new(None) };
}

/// The codec, if its chunk is in (always, without `split`).
pub fn get() -> Option<&'static Codec> {
    #[cfg(not(feature = "split"))]
    return Some(&CODEC);
    #[cfg(feature = "split")]
    LOADED.with(Cell::get)
}

/// Fetches the chunk (once; a failed fetch is tried again on the next call).
pub async fn load() -> Result<&'static Codec, ChunkMissing> {
    #[cfg(not(feature = "split"))]
    return codec_chunk();
    #[cfg(feature = "split")]
    {
        if let Some(c) = get() {
            return Ok(c);
        }
        let c = codec_chunk().await?;
        LOADED.with(|l| l.set(Some(c)));
        Ok(c)
    }
}

/// Runs `f` with the codec: at once if it is in, else once its chunk arrives (`None`: it could
/// not be fetched).
pub fn with(f: impl FnOnce(Option<&'static Codec>) + 'static) {
    match get() {
        Some(c) => f(Some(c)),
        None => wasm_bindgen_futures::spawn_local(async move { f(load().await.ok()) }),
    }
}

/// Whether the page has something to read before its first plan: a link in the address bar,
/// an autosave, a baseline or a kept catalog file.
pub fn needed_at_start() -> bool {
    browser::location_hash().len() > 1
        || crate::storage_keys::READ_AT_START.iter().any(|k| browser::storage_get(k).is_some())
}
