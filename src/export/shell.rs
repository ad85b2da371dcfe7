//! The one way a planner value reaches generated shell text (deploy.sh, teardown.sh, the
//! container's `CMD-SHELL` health check): as a single-quoted word. Inside single quotes the
//! shell expands nothing (`$`, backticks, `\`, `!`, globs are literal), and the only character
//! that needs care, `'` itself, becomes `'\''` (close, escaped quote, reopen). POSIX sh and bash
//! read it the same way.

/// `value` as one single-quoted shell word. NUL cannot be held by a shell word or variable,
/// so it is dropped (no validated value contains one).
pub fn quote(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('\'');
    for c in value.chars() {
        match c {
            '\'' => out.push_str(r"'\''"),
            '\0' => {}
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// The settings block of a generated script: one `NAME='value'` line per setting, between two
/// marker lines (the tests source exactly this block). Names are fixed identifiers chosen by the
/// exporter, never user input.
pub fn settings_block(settings: &[(&str, String)]) -> String {
    let mut out = String::from(SETTINGS_START);
    out.push('\n');
    for (name, value) in settings {
        debug_assert!(
            name.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'),
            "{name}"
        );
        out.push_str(name);
        out.push('=');
        out.push_str(&quote(value));
        out.push('\n');
    }
    out.push_str(SETTINGS_END);
    out.push('\n');
    out
}

/// First line of the generated settings block.
pub const SETTINGS_START: &str =
    "# ---- Settings from the planner (generated; every value single-quoted) ----";
/// Last line of the generated settings block.
pub const SETTINGS_END: &str = "# ---- End of the planner's settings ----";

#[cfg(test)]
mod tests {
    use super::quote;

    #[test]
    fn quotes_make_one_literal_word() {
        assert_eq!(quote("bridge"), "'bridge'");
        assert_eq!(quote(""), "''");
        assert_eq!(quote("it's"), r"'it'\''s'");
        assert_eq!(quote("/$(id)`x`;&!*"), "'/$(id)`x`;&!*'");
        assert_eq!(quote("a\0b"), "'ab'");
    }
}
