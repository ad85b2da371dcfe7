//! What is wrong with a catalog (a file anyone can hand over): each error names the entry at
//! fault. Shown as "catalog: ...".

use super::catalog::{MAX_FACTOR, MAX_UNIT_PRICE_USD};
use std::fmt;

#[derive(Debug, Clone, PartialEq)]
pub enum CatalogError {
    /// Not JSON, or JSON of another shape: the path of the value at fault and serde's words.
    Json {
        path: String,
        detail: String,
    },
    NotAnInstanceName(String),
    NotARegionCode(String),
    BadPrice {
        key: String,
        usd: f64,
    },
    /// `what` (an RDS class, a cache node, ...) has no price entry `key`.
    MissingPrice {
        what: String,
        key: String,
    },
    BadReservedFraction(String),
    CloudFrontTierCount {
        geo: String,
        got: usize,
        expected: usize,
    },
    UnknownGeography(String),
    UnknownPrice(String),
    BadRegionFactor(String),
    RegionOverridesUnknown {
        region: String,
        key: String,
    },
    RegionListsUnknown {
        region: String,
        key: String,
    },
    RegionBadPrice {
        region: String,
        key: String,
    },
    NoUsEast1,
    MissingAssumption(&'static str),
}

impl fmt::Display for CatalogError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use CatalogError::*;
        f.write_str("catalog: ")?;
        match self {
            Json { path, detail } => write!(f, "at `{path}`: {detail}"),
            NotAnInstanceName(name) => {
                write!(f, "`{}` is not an instance class name AWS uses", name.escape_debug())
            }
            NotARegionCode(code) => {
                write!(f, "`{}` is not an AWS region code (like us-east-1)", code.escape_debug())
            }
            BadPrice { key, usd } => {
                write!(
                    f,
                    "price `{key}` must be a number from 0 to {MAX_UNIT_PRICE_USD}, got {usd}"
                )
            }
            MissingPrice { what, key } => write!(f, "{what} has no price entry `{key}`"),
            BadReservedFraction(name) => {
                write!(f, "cache node `{name}` reserved_memory_fraction must be 0 to below 1")
            }
            CloudFrontTierCount { geo, got, expected } => {
                write!(f, "cloudfront_transfer.per_gb.{geo} has {got} prices, expected {expected}")
            }
            UnknownGeography(geo) => {
                write!(f, "cloudfront_transfer.per_gb.{geo} is not a geography the planner knows")
            }
            UnknownPrice(key) => {
                write!(f, "price `{key}` is not a price the engine knows (see PriceKey)")
            }
            BadRegionFactor(name) => {
                write!(f, "region `{name}` factor must be above 0 and at most {MAX_FACTOR}")
            }
            RegionOverridesUnknown { region, key } => {
                write!(f, "region `{region}` overrides unknown price `{key}`")
            }
            RegionListsUnknown { region, key } => {
                write!(f, "region `{region}` lists unknown price `{key}`")
            }
            RegionBadPrice { region, key } => {
                write!(
                    f,
                    "region `{region}` price `{key}` must be a number from 0 to \
                    {MAX_UNIT_PRICE_USD}"
                )
            }
            NoUsEast1 => f.write_str("region `us-east-1` is required"),
            MissingAssumption(a) => write!(f, "assumption `{a}` is missing"),
        }
    }
}

impl std::error::Error for CatalogError {}
