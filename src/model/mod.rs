//! The planning engine: `Scenario` + `Catalog` in, `Plan` out. No web types here.

pub mod calibrate;
pub mod catalog;
pub mod catalog_error;
pub mod catalog_file;
pub mod changes;
pub mod commit;
pub mod compare;
pub mod curve;
pub mod display;
pub mod estimates;
pub mod fewest;
pub mod growth;
pub mod health;
pub mod json_path;
pub mod metric_data;
pub mod metrics_error;
pub mod opening;
pub mod optimize;
pub mod plan;
pub mod presets;
pub mod price_key;
pub mod price_words;
pub mod queueing;
pub mod report_summary;
pub mod scenario;
pub mod share;
pub mod simulate;
pub mod tiers;
pub mod viability;

pub use catalog::Catalog;
pub use plan::{plan, Component, CostLine, Plan, Severity, Warning, WarningCode};
pub use presets::Tier;
pub use price_key::PriceKey;
pub use scenario::{Field, Scenario, FIELDS};
