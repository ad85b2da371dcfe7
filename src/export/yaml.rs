//! A small JSON-to-YAML writer for the task definition: block style, strings double-quoted
//! (JSON string escapes are valid YAML), so the output parses back to the same value.

use serde_json::Value;

pub fn to_yaml(v: &Value) -> String {
    let mut out = String::new();
    write(v, 0, &mut out, true);
    out
}

fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => yaml_escape(&serde_json::to_string(s).expect("string")),
        Value::Null => "null".into(),
        other => other.to_string(),
    }
}

fn write(v: &Value, indent: usize, out: &mut String, top: bool) {
    let pad = " ".repeat(indent);
    match v {
        Value::Object(map) => {
            if map.is_empty() {
                out.push_str(" {}\n");
                return;
            }
            if !top {
                out.push('\n');
            }
            for (k, val) in map {
                out.push_str(&format!("{pad}{k}:"));
                match val {
                    Value::Object(_) => write(val, indent + 2, out, false),
                    Value::Array(_) => write(val, indent, out, false),
                    _ => out.push_str(&format!(" {}\n", scalar(val))),
                }
            }
        }
        Value::Array(items) => {
            if items.is_empty() {
                out.push_str(" []\n");
                return;
            }
            out.push('\n');
            for item in items {
                match item {
                    Value::Object(map) if !map.is_empty() => {
                        // First key on the dash line, the rest aligned under it.
                        let mut first = true;
                        for (k, val) in map {
                            let lead = if first { format!("{pad}- ") } else { format!("{pad}  ") };
                            first = false;
                            out.push_str(&format!("{lead}{k}:"));
                            match val {
                                Value::Object(_) => write(val, indent + 4, out, false),
                                Value::Array(_) => write(val, indent + 2, out, false),
                                _ => out.push_str(&format!(" {}\n", scalar(val))),
                            }
                        }
                    }
                    Value::Array(_) => {
                        out.push_str(&format!("{pad}-"));
                        write(item, indent + 2, out, false);
                    }
                    _ => out.push_str(&format!("{pad}- {}\n", scalar(item))),
                }
            }
        }
        _ => out.push_str(&format!("{pad}{}\n", scalar(v))),
    }
}

/// JSON leaves U+2028, U+2029 and the non-characters U+FFFE/U+FFFF raw; a YAML 1.1 reader folds
/// the first two as line breaks and refuses the others, so they are written as escapes.
fn yaml_escape(json: &str) -> String {
    json.chars()
        .map(|c| match c {
            '\u{2028}' | '\u{2029}' | '\u{FFFE}' | '\u{FFFF}' => format!("\\u{:04X}", c as u32),
            c => c.to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::to_yaml;

    #[test]
    fn yaml_line_breaks_and_non_characters_are_escaped() {
        let y = to_yaml(&serde_json::json!({"a": "x\u{2028}y\u{2029}z\u{FFFE}\u{FFFF}"}));
        assert_eq!(y, "a: \"x\\u2028y\\u2029z\\uFFFE\\uFFFF\"\n");
    }
}
