//! Template files with `@NAME@` slots (the Dockerfile, the metrics fetch script): filled in one
//! pass, so a value that itself contains `@PORT@` (a scenario name in the header) is never read
//! as a slot.

/// `template` with every `@NAME@` (capitals and `_`) that `values` names replaced by its value.
/// A slot `values` does not name is a bug in the caller: debug builds panic on it.
pub fn fill_slots(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 256);
    let mut rest = template;
    while let Some(at) = rest.find('@') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let name_len = after.find(|c: char| !(c.is_ascii_uppercase() || c == '_'));
        match name_len {
            Some(n) if n > 0 && after[n..].starts_with('@') => {
                let name = &after[..n];
                let value = values.iter().find(|(k, _)| *k == name).map(|(_, v)| *v);
                debug_assert!(value.is_some(), "template slot @{name}@ has no value");
                out.push_str(value.unwrap_or(""));
                rest = &after[n + 1..];
            }
            _ => {
                out.push('@');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::fill_slots;

    #[test]
    fn fills_each_slot_once_and_leaves_other_text() {
        let t = "a @X@ b @Y@ c user@example.com @lower@ @@";
        assert_eq!(
            fill_slots(t, &[("X", "@Y@"), ("Y", "2")]),
            "a @Y@ b 2 c user@example.com @lower@ @@"
        );
    }
}
