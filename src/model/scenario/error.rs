//! What is wrong with a scenario: `FieldError` (one field's path and message) and
//! `ScenarioError`.

use super::*;

/// A rejected input: the JSON path of the field (`backend.cpu_ms_per_request`), and why, in
/// words a user can act on.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// The problems `Scenario::validate` collects, in the order its checks run.
#[derive(Default)]
pub(super) struct Problems(pub(super) Vec<FieldError>);

impl Problems {
    pub(super) fn push(&mut self, field: &str, message: String) {
        self.0.push(FieldError { field: field.into(), message });
    }
}

/// Why a scenario (text, or an edit) was refused. Every message names the JSON path of the
/// field at fault when there is one.
#[derive(Debug, Clone, PartialEq)]
pub enum ScenarioError {
    /// The text is not a scenario at all (not JSON, another file format or schema).
    NotAScenario(String),
    /// A value of the wrong type, a missing or an unknown field, at `path` ("." for the top).
    Parse { path: String, message: String },
    /// Parsed, but values break the rules; the first one first.
    Invalid(Vec<FieldError>),
}

impl ScenarioError {
    /// The first field at fault, when one is known.
    pub fn field(&self) -> Option<&str> {
        match self {
            ScenarioError::NotAScenario(_) => None,
            ScenarioError::Parse { path, .. } => Some(path.as_str()).filter(|p| *p != "."),
            ScenarioError::Invalid(errors) => errors.first().map(|e| e.field.as_str()),
        }
    }
    /// What is wrong, without the field's path (for a message shown beside the input).
    pub fn message(&self) -> String {
        match self {
            ScenarioError::NotAScenario(m) | ScenarioError::Parse { message: m, .. } => m.clone(),
            ScenarioError::Invalid(errors) => {
                errors.first().map(|e| e.message.clone()).unwrap_or_default()
            }
        }
    }
}

impl std::fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ScenarioError::NotAScenario(message) => f.write_str(message),
            ScenarioError::Parse { path, message } if path == "." => {
                write!(f, "scenario: {message}")
            }
            ScenarioError::Parse { path, message } => {
                write!(f, "scenario: field `{path}`: {message}")
            }
            ScenarioError::Invalid(errors) => {
                let Some(first) = errors.first() else { return f.write_str("scenario: invalid") };
                let more = if errors.len() > 1 {
                    format!(" (and {} more)", errors.len() - 1)
                } else {
                    String::new()
                };
                write!(f, "scenario: field `{}`: {}{more}", first.field, first.message)
            }
        }
    }
}

impl std::error::Error for ScenarioError {}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}
