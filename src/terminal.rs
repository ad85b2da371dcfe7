//! Text for a terminal: what the CLI prints carries scenario names, catalog text and region
//! strings from files and links it did not write, and a terminal obeys control characters in it
//! (`ESC]52;c;...` writes the clipboard, `ESC[2K` erases a line, `CR` overwrites one, `U+202E`
//! reverses what follows). The one helper here escapes them; `bin/scaling-plan.rs` passes
//! everything it prints, output and errors, through it.

use std::borrow::Cow;

/// Whether `c` is shown as an escape: every control character (C0 but newline and tab, DEL,
/// C1) and the Unicode bidirectional controls (embeddings, overrides, isolates, marks).
/// <https://www.unicode.org/reports/tr9/#Directional_Formatting_Characters>
pub fn needs_escape(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}')
        || matches!(c, '\u{2066}'..='\u{2069}')
}

/// `text` with each character `needs_escape` names written as `\u001b` (four hex digits, every
/// such character is in the Basic Multilingual Plane). Inside a JSON string that escape means
/// the same character, so JSON output stays the same JSON; elsewhere it shows what was there.
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if needs_escape(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}
