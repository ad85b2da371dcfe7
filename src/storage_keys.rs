//! The keys the page keeps in the browser's local storage. Not wasm-only: the release page's
//! first-frame snapshot (web/first-frame.js) lists `READ_AT_START` again, as it runs before the
//! wasm, and a native test (tests/first_frame_keys.rs) compares its list with this one.

pub const AUTOSAVE_KEY: &str = "bridge-planner.autosave";
pub const SAVED_KEY: &str = "bridge-planner.saved";
pub const BASELINE_KEY: &str = "bridge-planner.baseline";
/// The loaded catalog's text and file name.
pub const CATALOG_KEY: &str = "bridge-planner.catalog";
pub const CATALOG_NAME_KEY: &str = "bridge-planner.catalog-name";

/// What the page reads before its first plan when it is kept (`ui::codec::needed_at_start`):
/// with any of these, or a share link in the address bar, the first frame is not the default
/// plan, so the snapshot of the default plan must not be shown.
pub const READ_AT_START: [&str; 3] = [AUTOSAVE_KEY, BASELINE_KEY, CATALOG_KEY];
