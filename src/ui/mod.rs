//! The Leptos app (wasm only).
pub fn start() {}
