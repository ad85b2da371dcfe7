//! The CLI prints no control character a link or file put in its text (issue #26, finding 4):
//! `terminal::escape_controls` property-tested, and the binary run on a scenario whose name
//! writes the clipboard (`ESC]52;c;...BEL`) and erases the line (`ESC[2K`).

use bridge_planner::model::Tier;
use bridge_planner::terminal::{escape_controls, needs_escape};
use proptest::prelude::*;
use std::process::Command;

proptest! {
    #[test]
    fn escaped_text_holds_no_control_character(text in any::<String>()) {
        let out = escape_controls(&text);
        prop_assert!(!out.chars().any(needs_escape), "{out:?}");
        prop_assert!(!out.chars().any(|c| c.is_control() && c != '\n' && c != '\t'));
    }

    #[test]
    fn text_without_controls_is_unchanged(text in "[^\\p{Cc}\\p{Cf}]{0,200}") {
        let out = escape_controls(&text);
        prop_assert_eq!(out.as_ref(), text.as_str());
    }

    /// JSON output stays the same JSON: the escape is JSON's own `\uXXXX`.
    #[test]
    fn escaped_json_reads_back_as_the_same_value(text in any::<String>(), n in any::<f64>()) {
        let value = serde_json::json!({"name": text, "n": if n.is_finite() { n } else { 0.0 }});
        let printed = serde_json::to_string_pretty(&value).unwrap();
        let back: serde_json::Value = serde_json::from_str(&escape_controls(&printed)).unwrap();
        prop_assert_eq!(back, value);
    }
}

#[test]
fn each_kind_of_control_is_escaped() {
    assert_eq!(escape_controls("a\u{1b}]52;c;aGk=\u{7}b"), "a\\u001b]52;c;aGk=\\u0007b");
    assert_eq!(escape_controls("\u{1b}[2K\r\u{7f}\u{9b}"), "\\u001b[2K\\u000d\\u007f\\u009b");
    assert_eq!(escape_controls("left\u{202e}right\u{2066}"), "left\\u202eright\\u2066");
    assert_eq!(escape_controls("line\n\tindented"), "line\n\tindented");
}

const HOSTILE: &str = "Evil\u{1b}]52;c;ZWNobyBwd25lZA==\u{7}\u{1b}[2K\u{9b}31m\u{202e}";

fn has_control(bytes: &[u8]) -> bool {
    let text = String::from_utf8_lossy(bytes);
    text.chars().any(needs_escape)
}

fn run(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_scaling-plan")).args(args).output().unwrap()
}

#[test]
fn the_cli_prints_a_hostile_name_escaped_everywhere() {
    let dir = std::env::temp_dir().join(format!("terminal-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut scenario = Tier::Small.scenario();
    scenario.name = HOSTILE.to_string();
    let file = dir.join("evil.json");
    std::fs::write(&file, serde_json::to_string(&scenario).unwrap()).unwrap();
    let path = file.to_str().unwrap();
    // A scenario file whose damage is named in the message, with the name in it.
    let broken = dir.join("broken\u{1b}[2K.json");
    std::fs::write(&broken, "{").unwrap();
    let runs = [
        run(&["plan", "--scenario", path, "--format", "text"]),
        run(&["plan", "--scenario", path, "--format", "json"]),
        run(&["calibrate", "--help", "--scenario", path]),
        run(&["plan", "--scenario", broken.to_str().unwrap()]),
        run(&["plan", "--tier", HOSTILE]),
        run(&[HOSTILE]),
    ];
    for (i, out) in runs.iter().enumerate() {
        assert!(
            !has_control(&out.stdout),
            "run {i}: stdout {:?}",
            String::from_utf8_lossy(&out.stdout)
        );
        assert!(
            !has_control(&out.stderr),
            "run {i}: stderr {:?}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // The name is shown, escaped, not dropped; and the JSON still reads back as the name.
    let text = String::from_utf8_lossy(&runs[0].stdout);
    assert!(text.starts_with("Evil\\u001b]52;c;ZWNobyBwd25lZA==\\u0007\\u001b[2K"), "{text}");
    let json: serde_json::Value = serde_json::from_slice(&runs[1].stdout).unwrap();
    assert_eq!(json["scenario_name"], HOSTILE);
    assert!(String::from_utf8_lossy(&runs[4].stderr).contains("not `Evil\\u001b]52"));
    std::fs::remove_dir_all(&dir).unwrap();
}
