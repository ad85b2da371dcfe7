//! Bridge Scaling Planner: a pure planning engine (`model`), exporters (`export`), and the
//! Leptos app (`ui`, wasm only).

pub mod model;

pub mod cli;
pub mod export;
/// The exports worker's side (a second wasm, loaded by the Exports panel).
#[cfg(target_arch = "wasm32")]
pub mod exports_worker;
/// AWS Price List files to the catalog (`scaling-plan catalog import`).
pub mod pricelist;
pub mod report;
/// The growth path for the CLI and the page: commands, JSON, text, CSV.
pub mod roadmap;
/// The page's local-storage keys (here, not in `ui`: a native test reads them).
pub mod storage_keys;
/// Text for a terminal: control characters escaped (what the CLI prints).
pub mod terminal;
#[cfg(target_arch = "wasm32")]
pub mod ui;
