//! The release page's snapshot of the first frame (web/first-frame.js) is shown only when the
//! app reads nothing at start: that script lists again the storage keys `codec::needed_at_start`
//! reads. The app's code is wasm-only, so this native test reads both sources as text and fails
//! when a key is added to one and not the other.

use std::fs;

/// The string value of `pub const NAME: &str = "...";` in a source file.
fn const_value(source: &str, name: &str) -> Option<String> {
    let line = source.lines().find(|l| l.contains(&format!("const {name}: &str")))?;
    let start = line.find('"')? + 1;
    let end = start + line[start..].find('"')?;
    Some(line[start..end].to_string())
}

/// The keys `needed_at_start` reads: the constants named in its body, resolved in the ui files.
fn keys_read_at_start() -> Vec<String> {
    let codec = fs::read_to_string("src/ui/codec.rs").unwrap();
    let body_start = codec.find("pub fn needed_at_start").expect("codec::needed_at_start");
    let body = &codec[body_start..];
    let body = &body[..body.find("\n}").unwrap()];
    let sources: Vec<String> = ["src/ui/browser.rs", "src/ui/catalog.rs", "src/ui/codec.rs"]
        .iter()
        .map(|f| fs::read_to_string(f).unwrap())
        .collect();
    let names: Vec<&str> = body
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| w.ends_with("_KEY"))
        .collect();
    assert!(!names.is_empty(), "no *_KEY constant in needed_at_start:\n{body}");
    names
        .iter()
        .map(|n| {
            sources
                .iter()
                .find_map(|s| const_value(s, n))
                .unwrap_or_else(|| panic!("the value of {n} is not found"))
        })
        .collect()
}

#[test]
fn the_snapshot_script_lists_every_key_the_app_reads_at_start() {
    let keys = keys_read_at_start();
    assert_eq!(keys.len(), 3, "{keys:?}");
    let script = fs::read_to_string("web/first-frame.js").unwrap();
    let kept_line =
        script.lines().find(|l| l.contains("const KEPT")).expect("KEPT in first-frame.js");
    for key in &keys {
        assert!(
            kept_line.contains(&format!("'{key}'")),
            "web/first-frame.js does not list {key}: {kept_line}"
        );
    }
    let listed = kept_line.matches("'bridge-planner.").count();
    assert_eq!(
        listed,
        keys.len(),
        "first-frame.js lists keys the app does not read at start: {kept_line}"
    );
    // And the share link: the app reads the fragment, the script checks it.
    assert!(fs::read_to_string("src/ui/codec.rs").unwrap().contains("location_hash().len() > 1"));
    assert!(script.contains("location.hash.length > 1"));
}
