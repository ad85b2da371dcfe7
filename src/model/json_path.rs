//! Where in a JSON text a serde_json error happened, as a field path (`database.read_replicas`,
//! `items[2].name`). serde_json reports a line and column; walking the text up to there gives the
//! path. This replaces serde_path_to_error, whose wrapper doubled every deserializer in the wasm.

/// A container being walked: an object with the key last read, or an array with its index.
enum Level {
    Object(Option<String>),
    Array(usize),
}

fn render(levels: &[Level]) -> String {
    let mut path = String::new();
    for level in levels {
        match level {
            Level::Object(Some(key)) => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Level::Object(None) => {}
            Level::Array(i) => path.push_str(&format!("[{i}]")),
        }
    }
    path
}

/// Byte offset of a one-based line and column (serde_json counts columns in bytes).
fn offset(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text.split_inclusive('\n').take(line.saturating_sub(1)).map(str::len).sum();
    (start + column).min(text.len())
}

/// Reads a JSON string starting after its opening quote; returns it and the index after it.
fn read_string(bytes: &[u8], mut i: usize) -> (String, usize) {
    let start = i;
    while i < bytes.len() && bytes[i] != b'"' {
        i += if bytes[i] == b'\\' { 2 } else { 1 };
    }
    let raw = String::from_utf8_lossy(&bytes[start..i.min(bytes.len())]).into_owned();
    (raw, i + 1)
}

/// The path of the value at the error, or "." at the top level. A missing field is reported at
/// the end of its object, so the path is that object's.
pub fn path_at(text: &str, err: &serde_json::Error) -> String {
    let end = offset(text, err.line(), err.column());
    let bytes = text.as_bytes();
    let mut levels: Vec<Level> = Vec::new();
    let mut closed: Option<String> = None;
    // An error at an opening bracket is about the value it opens, not about its first item.
    let mut opened_last = false;
    let mut expect_key = false;
    let mut i = 0;
    while i < end && i < bytes.len() {
        let b = bytes[i];
        i += 1;
        if b != b' ' && b != b'\n' && b != b'\r' && b != b'\t' {
            closed = None;
            opened_last = b == b'{' || b == b'[';
        }
        match b {
            b'{' => {
                levels.push(Level::Object(None));
                expect_key = true;
            }
            b'[' => levels.push(Level::Array(0)),
            b'}' | b']' => {
                levels.pop();
                closed = Some(render(&levels));
            }
            b',' => match levels.last_mut() {
                Some(Level::Array(n)) => *n += 1,
                Some(Level::Object(_)) => expect_key = true,
                None => {}
            },
            b'"' => {
                let (s, next) = read_string(bytes, i);
                i = next;
                if expect_key {
                    if let Some(Level::Object(key)) = levels.last_mut() {
                        *key = Some(s);
                    }
                    expect_key = false;
                }
            }
            _ => {}
        }
    }
    if opened_last {
        levels.pop();
    }
    let path = closed.unwrap_or_else(|| render(&levels));
    if path.is_empty() {
        ".".to_string()
    } else {
        path
    }
}

#[cfg(test)]
mod tests {
    use super::path_at;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Inner {
        count: u32,
        names: Vec<String>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Outer {
        name: String,
        inner: Inner,
        list: Vec<Inner>,
    }

    fn path(text: &str) -> String {
        let err = serde_json::from_str::<Outer>(text).unwrap_err();
        path_at(text, &err)
    }

    #[test]
    fn names_the_field_at_fault() {
        let ok_inner = r#"{"count": 1, "names": ["a", "b"]}"#;
        assert_eq!(
            path(r#"{"name": "x", "inner": {"count": "three", "names": []}, "list": []}"#),
            "inner.count"
        );
        assert_eq!(
            path(&format!(
                r#"{{"name": "x", "inner": {ok_inner}, "list": [{ok_inner}, {{"count": 2, "names": ["a", 5]}}]}}"#
            )),
            "list[1].names[1]"
        );
        assert_eq!(
            path(
                "{\n  \"name\": \"x\",\n  \"inner\": {\n    \"count\": 1,\n    \"bogus\": 2\n  \
                }\n}"
            ),
            "inner.bogus"
        );
        // A missing field: the object that lacks it.
        assert_eq!(path(r#"{"name": "x", "inner": {"count": 1}, "list": []}"#), "inner");
        assert_eq!(path(r#"{"name": 5}"#), "name");
        assert_eq!(path("5"), ".");
        assert_eq!(path(r#"[1]"#), "[0]"); // a struct read from an array: its first field
        assert_eq!(path(r#"{"name": [1]}"#), "name");
        assert_eq!(
            path(r#"{"name": "x", "inner": {"count": 1, "names": {}}, "list": []}"#),
            "inner.names"
        );
        // Keys with escaped quotes and brackets inside strings do not confuse the walk.
        assert_eq!(
            path(r#"{"name": "a\"}]{[", "inner": {"count": -1, "names": []}, "list": []}"#),
            "inner.count"
        );
    }

    #[test]
    fn never_panics_on_garbage() {
        for text in
            ["", "{", "\"", "{\"a\\", "[[[[", "}}}", "{\"name\": \"\u{e9}\u{e9}\", \"inner\": 3}"]
        {
            if let Err(e) = serde_json::from_str::<Outer>(text) {
                let _ = path_at(text, &e);
            }
        }
    }
}
