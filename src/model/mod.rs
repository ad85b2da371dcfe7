//! The planning engine: `Scenario` + `Catalog` in, `Plan` out. No web types here.

pub mod catalog;
pub mod curve;
pub mod json_path;
pub mod optimize;
pub mod plan;
pub mod presets;
pub mod scenario;
pub mod share;
pub mod simulate;

pub use catalog::Catalog;
pub use plan::{plan, Component, CostLine, Plan, Severity, Warning};
pub use presets::Tier;
pub use scenario::{Field, Scenario, FIELDS};
