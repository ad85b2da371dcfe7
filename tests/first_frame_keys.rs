//! The release page's snapshot of the first frame (web/first-frame.js) is shown only when the
//! app reads nothing at start. That script runs before the wasm, so it lists again the storage
//! keys the app reads at start (`storage_keys::READ_AT_START`, which `ui::codec::needed_at_start`
//! reads): this test fails when the two lists differ. e2e/e2e.mjs checks in the browser that
//! each key, and a share link, hides the snapshot.

use bridge_planner::storage_keys::READ_AT_START;

/// The quoted strings of the script's `const KEPT = [...]` line.
fn kept_in_script() -> Vec<String> {
    let script = std::fs::read_to_string("web/first-frame.js").unwrap();
    let line =
        script.lines().find(|l| l.contains("const KEPT = [")).expect("KEPT in first-frame.js");
    let list = &line[line.find('[').unwrap() + 1..line.rfind(']').unwrap()];
    list.split(',').map(|k| k.trim().trim_matches('\'').to_string()).collect()
}

#[test]
fn the_snapshot_script_lists_the_keys_the_app_reads_at_start() {
    let mut app: Vec<String> = READ_AT_START.iter().map(|k| k.to_string()).collect();
    let mut script = kept_in_script();
    app.sort();
    script.sort();
    assert_eq!(script, app, "web/first-frame.js's KEPT is not storage_keys::READ_AT_START");
}
