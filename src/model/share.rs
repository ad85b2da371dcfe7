//! Scenario encodings that outlive a session: the share link fragment, the saved value in
//! localStorage and the JSON file. Every decoder takes arbitrary input and returns a clear error
//! instead of panicking; a decoded scenario is always valid.

use super::catalog::Catalog;
use super::scenario::{Scenario, ScenarioError, SCENARIO_SCHEMA};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};

/// Prefix of a share-link fragment: `#s=v1.<base64url(deflate(json))>`.
pub const LINK_PREFIX: &str = "s=v1.";
/// Inflated links (and scenario files) larger than this are refused (a hostile link cannot
/// exhaust memory).
pub const MAX_INFLATED: usize = 256 * 1024;

/// The share-link fragment (without `#`) for a scenario.
pub fn encode_link(s: &Scenario) -> String {
    let json = serde_json::to_vec(s).expect("scenario serializes");
    let packed = miniz_oxide::deflate::compress_to_vec(&json, 9);
    format!("{LINK_PREFIX}{}", URL_SAFE_NO_PAD.encode(packed))
}

/// Why a share link could not be opened.
#[derive(Debug, Clone, PartialEq)]
pub enum LinkError {
    /// The fragment is not `s=...`.
    NotAScenario,
    /// `s=` without a `v1.` version.
    NoVersion,
    /// A format this planner does not read.
    UnknownVersion(String),
    /// A short link (`v2`) starting from a tier this planner does not have.
    UnknownTier(String),
    /// Cut short or altered: not base64, not deflate, or not UTF-8.
    Damaged(&'static str),
    /// It decodes, but the scenario is refused.
    Scenario(ScenarioError),
}

impl std::fmt::Display for LinkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LinkError::NotAScenario => {
                f.write_str("this link does not hold a scenario (expected #s=v1.…)")
            }
            LinkError::NoVersion => {
                f.write_str("the link's scenario has no version; it may be truncated")
            }
            LinkError::UnknownVersion(v) => write!(
                f,
                "the link uses format {v}, which this version of the planner does not read"
            ),
            LinkError::UnknownTier(t) => write!(f, "the link starts from an unknown tier `{t}`"),
            LinkError::Damaged(what) => write!(f, "the link is damaged: its scenario {what}"),
            LinkError::Scenario(e) => write!(f, "the link's {e}"),
        }
    }
}

impl std::error::Error for LinkError {}

/// Decodes a share-link fragment (with or without `#`).
pub fn decode_link(fragment: &str, catalog: &Catalog) -> Result<Scenario, LinkError> {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    let Some(body) = fragment.strip_prefix("s=") else {
        return Err(LinkError::NotAScenario);
    };
    let Some((version, payload)) = body.split_once('.') else {
        return Err(LinkError::NoVersion);
    };
    if version == "v2" {
        return decode_short_link(payload, catalog);
    }
    if version != "v1" {
        return Err(LinkError::UnknownVersion(version.to_string()));
    }
    let text = unpack(payload)?;
    Scenario::from_json(&text, catalog).map_err(LinkError::Scenario)
}

/// base64url(deflate(text)) back to text, refusing what is damaged or too large.
fn unpack(payload: &str) -> Result<String, LinkError> {
    let packed = URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .map_err(|_| LinkError::Damaged("is not valid base64 (was it cut short when copied?)"))?;
    let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_INFLATED)
        .map_err(|_| LinkError::Damaged("does not decompress (was it cut short when copied?)"))?;
    String::from_utf8(json).map_err(|_| LinkError::Damaged("is not text"))
}

/// Prefix of a short link: `#s=v2.<tier>.<base64url(deflate(json))>`, where the JSON holds only
/// what differs from that tier of the planning document. A typical edited scenario is about
/// 100 characters instead of 1,000, short enough to print and to type.
pub const SHORT_LINK_PREFIX: &str = "s=v2.";

/// The parts of `to` that differ from `from`: objects key by key (recursively), any other
/// value whole.
fn changes(from: &serde_json::Value, to: &serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match (from, to) {
        (Value::Object(a), Value::Object(b)) => Value::Object(
            b.iter()
                .filter(|(k, v)| a.get(*k) != Some(v))
                .map(|(k, v)| {
                    (k.clone(), a.get(k).map(|old| changes(old, v)).unwrap_or_else(|| v.clone()))
                })
                .collect(),
        ),
        _ => to.clone(),
    }
}

/// Puts `patch` (as `changes` makes it) onto `base`.
fn apply_changes(base: &mut serde_json::Value, patch: &serde_json::Value) {
    match (base, patch) {
        (serde_json::Value::Object(a), serde_json::Value::Object(p)) => {
            for (k, v) in p {
                match a.get_mut(k) {
                    Some(slot) if slot.is_object() && v.is_object() => apply_changes(slot, v),
                    _ => {
                        a.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (slot, p) => *slot = p.clone(),
    }
}

/// A scenario as a JSON value, through its text (exact: serde_json reads floats back as
/// written): the wasm then has one `Serialize` of the scenario, to text, not a second one into
/// `Value`.
fn json_value(s: &Scenario) -> serde_json::Value {
    serde_json::to_string(s).ok().and_then(|t| serde_json::from_str(&t).ok()).unwrap_or_default()
}

/// The shortest link for a scenario: its differences from the nearest tier (`s=v2.`), or the
/// whole scenario (`s=v1.`) when that is shorter or the differences cannot express it.
pub fn encode_short_link(s: &Scenario) -> String {
    use super::presets::Tier;
    let full = json_value(s);
    let best = Tier::ALL
        .iter()
        .filter_map(|t| {
            let mut base = json_value(&t.scenario());
            let patch = changes(&base, &full);
            apply_changes(&mut base, &patch);
            (base == full).then(|| (*t, serde_json::to_vec(&patch).unwrap_or_default()))
        })
        .min_by_key(|(_, patch)| patch.len());
    let long = encode_link(s);
    match best {
        Some((tier, patch)) => {
            let packed = miniz_oxide::deflate::compress_to_vec(&patch, 9);
            let short = format!(
                "{SHORT_LINK_PREFIX}{}.{}",
                tier.label().to_ascii_lowercase(),
                URL_SAFE_NO_PAD.encode(packed)
            );
            if short.len() < long.len() {
                short
            } else {
                long
            }
        }
        None => long,
    }
}

fn decode_short_link(body: &str, catalog: &Catalog) -> Result<Scenario, LinkError> {
    let (tier, payload) = body
        .split_once('.')
        .ok_or(LinkError::Damaged("names no tier (was it cut short when copied?)"))?;
    let tier = super::presets::Tier::parse(tier)
        .ok_or_else(|| LinkError::UnknownTier(tier.chars().take(20).collect()))?;
    let text = unpack(payload)?;
    let patch: serde_json::Value =
        serde_json::from_str(&text).map_err(|_| LinkError::Damaged("changes are not JSON"))?;
    if !patch.is_object() {
        return Err(LinkError::Damaged("changes are not a list of fields"));
    }
    let mut patch = patch;
    upgrade_renamed_fields(&mut patch);
    let mut value = json_value(&tier.scenario());
    apply_changes(&mut value, &patch);
    Scenario::from_json(&value.to_string(), catalog).map_err(LinkError::Scenario)
}

/// Fields renamed since links were first shared: a short link's changes name the old field,
/// which would sit beside the tier's new one (a whole scenario reads the old name by a serde
/// alias instead).
fn upgrade_renamed_fields(patch: &mut serde_json::Value) {
    if let Some(backend) = patch.get_mut("backend").and_then(|b| b.as_object_mut()) {
        if let Some(v) = backend.remove("tasks_desired") {
            backend.insert("tasks_average".into(), v);
        }
    }
}

/// A scenario file: the scenario with the schema version, as downloaded and imported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScenarioFile {
    pub format: String,
    pub schema: u32,
    pub scenario: Scenario,
}

pub const FILE_FORMAT: &str = "bridge-scaling-planner/scenario";

pub fn encode_file(s: &Scenario) -> String {
    let compact = serde_json::to_string(&ScenarioFile {
        format: FILE_FORMAT.into(),
        schema: SCENARIO_SCHEMA,
        scenario: s.clone(),
    })
    .expect("serializes");
    // Pretty-printed through a serde_json::Value: the app has that printer already (exports), so
    // the wasm needs no second, pretty-printing copy of every Serialize impl of the scenario.
    let value: serde_json::Value =
        serde_json::from_str(&compact).expect("serde_json reads its own output");
    serde_json::to_string_pretty(&value).expect("serializes")
}

/// Reads an imported file: a `ScenarioFile`, or a bare scenario as `scaling-plan scenario` prints.
pub fn decode_file(text: &str, catalog: &Catalog) -> Result<Scenario, ScenarioError> {
    let not_a_scenario = ScenarioError::NotAScenario;
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        not_a_scenario(if text.trim_start().starts_with(['{', '[']) {
            format!(
                "this file is not a scenario: its JSON is cut short or broken at line {}",
                e.line()
            )
        } else {
            "this file is not a scenario: it is not JSON".to_string()
        })
    })?;
    if let Some(format) = value.get("format") {
        if format.as_str() != Some(FILE_FORMAT) {
            return Err(not_a_scenario(format!(
                "the file's format is {format}, not {FILE_FORMAT}"
            )));
        }
        let schema = value.get("schema").and_then(|v| v.as_u64()).unwrap_or(0);
        if schema == 0 || schema > SCENARIO_SCHEMA as u64 {
            return Err(not_a_scenario(format!(
                "the file has schema {schema}; this planner reads 1 to {SCENARIO_SCHEMA}"
            )));
        }
        let inner = value
            .get("scenario")
            .ok_or_else(|| not_a_scenario("the file has no `scenario`".into()))?;
        return Scenario::from_json(&inner.to_string(), catalog);
    }
    Scenario::from_json(text, catalog)
}

/// Named scenarios kept in localStorage, as one JSON value.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SavedScenarios {
    pub schema: u32,
    pub items: Vec<(String, Scenario)>,
}

/// Reads the saved list; bad entries are dropped and reported, never fatal.
pub fn decode_saved(text: &str, catalog: &Catalog) -> (SavedScenarios, Vec<String>) {
    let mut problems = Vec::new();
    let value: serde_json::Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            return (
                SavedScenarios { schema: SCENARIO_SCHEMA, items: vec![] },
                vec![format!("saved scenarios were unreadable and were set aside: {e}")],
            )
        }
    };
    let mut items = Vec::new();
    if let Some(list) = value.get("items").and_then(|v| v.as_array()) {
        for entry in list {
            let name = entry.get(0).and_then(|v| v.as_str()).unwrap_or("(unnamed)").to_string();
            match entry.get(1).map(|v| Scenario::from_json(&v.to_string(), catalog)) {
                Some(Ok(s)) => items.push((name, s)),
                Some(Err(e)) => {
                    problems.push(format!("saved scenario \"{name}\" could not be read: {e}"))
                }
                None => problems.push(format!("saved scenario \"{name}\" is empty")),
            }
        }
    } else {
        problems.push("saved scenarios were in an unknown format and were set aside".into());
    }
    (SavedScenarios { schema: SCENARIO_SCHEMA, items }, problems)
}

pub fn encode_saved(saved: &SavedScenarios) -> String {
    serde_json::to_string(saved).expect("serializes")
}

/// CSV of the plan's cost lines (RFC 4180 quoting).
pub fn cost_lines_csv(p: &super::Plan) -> String {
    let q = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    let mut out =
        String::from("component,item,quantity,unit,unit_price_usd,monthly_usd,price_key,confirmed,overridden,left_out_by_document\n");
    for l in &p.cost_lines {
        out.push_str(&format!(
            "{},{},{},{},{},{:.2},{},{},{},{}\n",
            q(l.component.label()),
            q(&l.item),
            super::display::tidy(l.quantity),
            q(&l.unit),
            super::display::tidy(l.unit_price_usd),
            l.monthly_usd,
            q(&l.price_key.key()),
            l.confirmed,
            l.overridden,
            l.document_omits
        ));
    }
    out.push_str(&format!("{},{},,,,{:.2},,,,\n", q("Total"), q(""), p.monthly_total_usd));
    // With price overrides, the same lines at published prices: what AWS bills.
    if let Some(a) = &p.at_published_prices {
        let what = format!("{} prices overridden", a.overridden_prices);
        out.push_str(&format!(
            "{},{},,,,{:.2},,,,\n",
            q("Total at published prices"),
            q(&what),
            a.monthly_total_usd
        ));
    }
    out
}
