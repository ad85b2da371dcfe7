//! The catalog's data types, as `data/catalog.json` holds them: fields and serde attributes
//! only (their methods are in `model/catalog.rs`). build.rs includes this file to read the JSON
//! and write it as Rust for the page, so a new field needs no edit there.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Price {
    pub usd: f64,
    pub unit: String,
    pub source: String,
    pub as_of: String,
    /// false: a best value the user should treat (and may edit) as an assumption.
    pub confirmed: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CloudFrontTransfer {
    pub source: String,
    pub as_of: String,
    pub free_gb: f64,
    pub free_requests: f64,
    /// Sizes of every tier but the last (open-ended) one.
    pub tier_sizes_gb: Vec<f64>,
    /// Per geography: one price per tier, `tier_sizes_gb.len() + 1` entries.
    pub per_gb: BTreeMap<String, Vec<f64>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FargateCpuRow {
    pub cpu: u32,
    pub vcpu: f64,
    #[serde(default)]
    pub memory_mib: Vec<u32>,
    #[serde(default)]
    pub memory_min: u32,
    #[serde(default)]
    pub memory_max: u32,
    #[serde(default)]
    pub memory_step: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InstanceClass {
    #[serde(default)]
    pub vcpu: f64,
    pub memory_gib: f64,
    /// CPU share a burstable (t-class) instance sustains without spending credits.
    #[serde(default)]
    pub burstable_baseline: Option<f64>,
    /// ElastiCache nodes: share of memory to reserve (`reserved-memory-percent`) when AWS
    /// recommends more than the default 25% for this size.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reserved_memory_fraction: Option<f64>,
    /// EC2 instances: the most network interfaces (ENIs) the instance type takes
    /// (<https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/AvailableIpPerENI.html>).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network_interfaces: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Assumption {
    pub value: f64,
    pub unit: String,
    pub source: String,
    pub confirmed: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Region {
    pub name: String,
    /// Multiplier on us-east-1 prices for region-priced services (not CloudFront).
    pub factor: f64,
    pub confirmed: bool,
    pub source: String,
    /// Prices known for this region, replacing `us-east-1 x factor`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub overrides: BTreeMap<String, f64>,
    /// Prices read from the AWS Price List for this region (`scaling-plan catalog import`),
    /// each with its source; they replace `us-east-1 x factor` and `overrides`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub listed: BTreeMap<String, ListedPrice>,
    /// Reserved rates (1 year, No Upfront, the effective hourly rate) read from AWS's
    /// reserved-instance feeds, keyed by the on-demand price they replace
    /// (`rds.<class>.hour`, `rds.multi_az.<class>.hour`, `cache.<node>.hour`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub reserved: BTreeMap<String, ListedPrice>,
}

/// A regional price as the AWS Price List gives it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListedPrice {
    pub usd: f64,
    /// The offer file (or `aws pricing get-products` output) it was read from.
    pub offer: String,
    /// The file's `publicationDate`.
    pub published: String,
    pub sku: String,
    /// The Price List rate code (`<SKU>.<term>.<price dimension>`), when the file gives it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub rate_code: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalog {
    pub schema: u32,
    pub as_of: String,
    pub hours_per_month: f64,
    pub notes: String,
    pub prices: BTreeMap<String, Price>,
    pub cloudfront_transfer: CloudFrontTransfer,
    pub egress_free_gb: f64,
    pub egress_tier_sizes_gb: Vec<f64>,
    pub fargate_sizes: Vec<FargateCpuRow>,
    pub rds_classes: BTreeMap<String, InstanceClass>,
    pub cache_nodes: BTreeMap<String, InstanceClass>,
    pub ec2_instances: BTreeMap<String, InstanceClass>,
    pub assumptions: BTreeMap<String, Assumption>,
    pub regions: BTreeMap<String, Region>,
}
