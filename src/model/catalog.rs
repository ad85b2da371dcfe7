//! The price catalog: data, not code. Loaded from `data/catalog.json` (embedded at build time),
//! every price with its unit, source, as-of date and whether this project could confirm it.

pub use super::catalog_error::CatalogError;
use super::price_key::PriceKey;
use super::scenario::{CacheEngine, CdnGeo, StorageType};
use serde::Serialize;
use std::collections::BTreeMap;

pub mod rows;
mod types;
pub use types::*;

/// The largest unit price a catalog or a price override may hold: above any on-demand unit
/// price AWS publishes for what the planner prices (the largest instance-hours cost a few
/// hundred dollars), so no file or link makes a total infinite or a budget absurd.
pub const MAX_UNIT_PRICE_USD: f64 = 10_000.0;
/// The largest regional factor over us-east-1 (AWS's dearest regions are under 2x).
pub const MAX_FACTOR: f64 = 10.0;

/// A unit price within 0..=`MAX_UNIT_PRICE_USD`.
fn price_in_range(usd: f64) -> bool {
    usd.is_finite() && (0.0..=MAX_UNIT_PRICE_USD).contains(&usd)
}

/// The catalog shipped with the app and the CLI.
pub const EMBEDDED_CATALOG: &str = include_str!("../../data/catalog.json");

impl FargateCpuRow {
    /// Every memory size (MiB) AWS accepts with this cpu value.
    pub fn memory_options(&self) -> Vec<u32> {
        if !self.memory_mib.is_empty() {
            return self.memory_mib.clone();
        }
        if self.memory_step == 0 {
            return Vec::new();
        }
        (self.memory_min..=self.memory_max).step_by(self.memory_step as usize).collect()
    }
}

impl InstanceClass {
    /// ECS tasks in `awsvpc` mode one instance can run: one Node.js process per vCPU, but each
    /// task takes a network interface of its own and the instance keeps its primary one
    /// (<https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-networking-awsvpc.html>;
    /// ENI trunking, which lifts the limit, is not available on t3 and needs an account
    /// setting). A t3.micro (2 vCPU, 2 interfaces) runs 1 task, a t3.xlarge (4 vCPU, 4) 3.
    pub fn awsvpc_tasks(&self) -> u32 {
        let vcpu = self.vcpu.max(1.0) as u32;
        match self.network_interfaces {
            Some(enis) => vcpu.min(enis.saturating_sub(1)).max(1),
            None => vcpu,
        }
    }
}

/// A price as the engine used it: the region's value, and where it came from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ResolvedPrice {
    pub usd: f64,
    pub confirmed: bool,
    pub overridden: bool,
    /// us-east-1's price times the region's factor: the catalog lacks this region's price.
    pub by_factor: bool,
}

impl Catalog {
    /// Parses and checks a catalog. Errors name the entry at fault.
    pub fn from_json(text: &str) -> Result<Catalog, CatalogError> {
        let catalog: Catalog = serde_json::from_str(text).map_err(|e| CatalogError::Json {
            path: super::json_path::path_at(text, &e),
            detail: e.to_string(),
        })?;
        catalog.check()?;
        Ok(catalog)
    }

    /// The catalog compiled into the binary. It is checked by a test, so this cannot fail.
    /// The page builds it from the Rust expression build.rs writes from the JSON (equal, as
    /// tests/catalog_data.rs checks): no JSON parse at start, no catalog deserializer in the
    /// page's first-load wasm.
    pub fn embedded() -> Catalog {
        #[cfg(target_arch = "wasm32")]
        return include!(concat!(env!("OUT_DIR"), "/catalog_data.rs"));
        #[cfg(not(target_arch = "wasm32"))]
        Catalog::from_json(EMBEDDED_CATALOG).expect("embedded catalog is checked by tests")
    }

    /// Names and region codes reach shell, Dockerfile and YAML lines in the exports: a
    /// catalog (a file anyone can hand over) may hold only what AWS itself writes.
    fn check_names(&self) -> Result<(), CatalogError> {
        let classes = self.rds_classes.keys().chain(self.cache_nodes.keys());
        if let Some(name) = classes.chain(self.ec2_instances.keys()).find(|n| !is_instance_name(n))
        {
            return Err(CatalogError::NotAnInstanceName(name.clone()));
        }
        if let Some(code) = self.regions.keys().find(|c| !is_region_code(c)) {
            return Err(CatalogError::NotARegionCode(code.clone()));
        }
        Ok(())
    }

    fn check(&self) -> Result<(), CatalogError> {
        use CatalogError::*;
        for (key, p) in &self.prices {
            if !price_in_range(p.usd) {
                return Err(BadPrice { key: key.clone(), usd: p.usd });
            }
        }
        self.check_names()?;
        self.check_priced()?;
        for key in self.prices.keys() {
            if PriceKey::parse(key).is_none() {
                return Err(UnknownPrice(key.clone()));
            }
        }
        self.check_regions()?;
        for a in ["rds.instance_memory_fraction", "cache.usable_fraction"] {
            if !self.assumptions.contains_key(a) {
                return Err(MissingAssumption(a));
            }
        }
        Ok(())
    }

    /// Every class, node, instance and CloudFront geography has its prices.
    fn check_priced(&self) -> Result<(), CatalogError> {
        use CatalogError::*;
        let need = |key: PriceKey, what: String| -> Result<(), CatalogError> {
            if self.prices.contains_key(&key.key()) {
                Ok(())
            } else {
                Err(MissingPrice { what, key: key.key() })
            }
        };
        for key in self.rds_price_keys() {
            need(key.clone(), format!("RDS (`{key}`)"))?;
        }
        for (name, node) in &self.cache_nodes {
            for engine in CacheEngine::ALL {
                need(
                    PriceKey::CacheHour(engine, name.clone()),
                    format!("{} cache node `{name}`", engine.label()),
                )?;
            }
            if node.reserved_memory_fraction.is_some_and(|f| !(0.0..1.0).contains(&f)) {
                return Err(BadReservedFraction(name.clone()));
            }
        }
        for name in self.ec2_instances.keys() {
            need(PriceKey::Ec2Hour(name.clone()), format!("EC2 instance `{name}`"))?;
        }
        let tiers = self.cloudfront_transfer.tier_sizes_gb.len() + 1;
        for (geo, prices) in &self.cloudfront_transfer.per_gb {
            if prices.len() != tiers {
                let (got, expected) = (prices.len(), tiers);
                return Err(CloudFrontTierCount { geo: geo.clone(), got, expected });
            }
            let Some(geo) = CdnGeo::from_key(geo) else {
                return Err(UnknownGeography(geo.clone()));
            };
            need(
                PriceKey::CloudFrontHttps10k(geo),
                format!("CloudFront geography `{}`", geo.key()),
            )?;
        }
        Ok(())
    }

    /// Each region's factor, overrides and listed prices.
    fn check_regions(&self) -> Result<(), CatalogError> {
        use CatalogError::*;
        for (name, region) in &self.regions {
            let region_key = |key: &String| (name.clone(), key.clone());
            if !(region.factor.is_finite() && region.factor > 0.0 && region.factor <= MAX_FACTOR) {
                return Err(BadRegionFactor(name.clone()));
            }
            if let Some(key) = region.overrides.keys().find(|k| !self.prices.contains_key(*k)) {
                let (region, key) = region_key(key);
                return Err(RegionOverridesUnknown { region, key });
            }
            if let Some((key, _)) = region.overrides.iter().find(|(_, usd)| !price_in_range(**usd))
            {
                let (region, key) = region_key(key);
                return Err(RegionBadPrice { region, key });
            }
            for (key, listed) in region.listed.iter().chain(&region.reserved) {
                let (r, k) = region_key(key);
                if !self.prices.contains_key(key) {
                    return Err(RegionListsUnknown { region: r, key: k });
                }
                if !price_in_range(listed.usd) {
                    return Err(RegionBadPrice { region: r, key: k });
                }
            }
        }
        if !self.regions.contains_key("us-east-1") {
            return Err(NoUsEast1);
        }
        Ok(())
    }

    /// The RDS prices every class and storage type needs: Single-AZ and Multi-AZ (its own
    /// rows in AWS's price list).
    fn rds_price_keys(&self) -> Vec<PriceKey> {
        let classes = self
            .rds_classes
            .keys()
            .flat_map(|c| [PriceKey::RdsHour(c.clone()), PriceKey::RdsMultiAzHour(c.clone())]);
        let storage = StorageType::ALL
            .into_iter()
            .flat_map(|t| [PriceKey::RdsStorageGbMonth(t), PriceKey::RdsStorageMultiAzGbMonth(t)]);
        classes.chain(storage).collect()
    }

    /// Looks up a price for a region, applying the user's overrides first.
    /// Unknown keys price at zero and are reported as unconfirmed, so a stale override can
    /// never crash the engine.
    /// Order: the user's override, the region's Price List price, the region's known price,
    /// then us-east-1's price x the region's factor (marked `by_factor`, an assumption unless
    /// the factor itself is confirmed).
    pub fn price(
        &self,
        region: &str,
        key: &PriceKey,
        overrides: &BTreeMap<PriceKey, f64>,
    ) -> ResolvedPrice {
        let found = |usd: f64, confirmed: bool| ResolvedPrice {
            usd,
            confirmed,
            overridden: false,
            by_factor: false,
        };
        let name = key.key();
        let Some(base) = self.prices.get(&name) else {
            return found(0.0, false);
        };
        if let Some(&usd) = overrides.get(key) {
            if usd.is_finite() && usd >= 0.0 {
                return ResolvedPrice { overridden: true, ..found(usd, true) };
            }
        }
        if key.is_global() {
            return found(base.usd, base.confirmed);
        }
        let Some(r) = self.regions.get(region) else {
            return found(base.usd, false);
        };
        if let Some(listed) = r.listed.get(&name) {
            return found(listed.usd, true);
        }
        if let Some(&usd) = r.overrides.get(&name) {
            return found(usd, true);
        }
        if region == "us-east-1" {
            return found(base.usd, base.confirmed);
        }
        ResolvedPrice {
            by_factor: true,
            ..found(base.usd * r.factor, base.confirmed && r.confirmed)
        }
    }

    /// Where the price `price()` gives comes from, in the same order of precedence.
    pub fn origin(
        &self,
        region: &str,
        key: &PriceKey,
        overrides: &BTreeMap<PriceKey, f64>,
    ) -> PriceOrigin {
        let name = key.key();
        let catalog_origin = || match self.prices.get(&name) {
            Some(p) => PriceOrigin::Catalog {
                source: p.source.clone(),
                as_of: p.as_of.clone(),
                confirmed: p.confirmed,
            },
            None => PriceOrigin::Catalog {
                source: "not in the catalog".into(),
                as_of: String::new(),
                confirmed: false,
            },
        };
        if overrides.get(key).is_some_and(|u| u.is_finite() && *u >= 0.0) {
            return PriceOrigin::Override;
        }
        if let PriceKey::CloudFrontTransfer(geo, tier) = key {
            // The feed's transfer rows carry no geography but the US first tier's.
            let t = &self.cloudfront_transfer;
            let exact = *geo == CdnGeo::Us && *tier == 1;
            return PriceOrigin::Catalog {
                source: t.source.clone(),
                as_of: t.as_of.clone(),
                confirmed: exact,
            };
        }
        if key.is_global() || !self.prices.contains_key(&name) {
            return catalog_origin();
        }
        let Some(r) = self.regions.get(region) else {
            return catalog_origin();
        };
        if let Some(l) = r.listed.get(&name) {
            return PriceOrigin::Listed {
                region: region.to_string(),
                published: l.published.clone(),
                rate_code: if l.rate_code.is_empty() { l.sku.clone() } else { l.rate_code.clone() },
                file: l.offer.clone(),
            };
        }
        if r.overrides.contains_key(&name) || region == "us-east-1" {
            return catalog_origin();
        }
        PriceOrigin::Estimated { region: region.to_string(), factor: r.factor }
    }

    /// The reserved rate (1 year, No Upfront) of an always-on node for the on-demand price
    /// `key` in `region`, and whether it is an estimate: ElastiCache's reserved feed does not
    /// split nodes by engine, so a Valkey node takes the Redis OSS row (whose on-demand echo is
    /// the Redis price), an upper bound for Valkey.
    pub fn reserved(&self, region: &str, key: &PriceKey) -> Option<(&ListedPrice, bool)> {
        let r = self.regions.get(region)?;
        match key {
            PriceKey::RdsHour(_) | PriceKey::RdsMultiAzHour(_) => {
                r.reserved.get(&key.key()).map(|l| (l, false))
            }
            PriceKey::CacheHour(CacheEngine::Redis, _) => {
                r.reserved.get(&key.key()).map(|l| (l, false))
            }
            PriceKey::CacheHour(CacheEngine::Valkey, node) => r
                .reserved
                .get(&PriceKey::CacheHour(CacheEngine::Redis, node.clone()).key())
                .map(|l| (l, true)),
            _ => None,
        }
    }

    /// Memory Redis/Valkey can use on one node: its memory less the reserved share AWS
    /// recommends for its size (25% by default; up to 30% on small and 50% on micro burstable
    /// nodes).
    /// <https://docs.aws.amazon.com/AmazonElastiCache/latest/red-ug/redis-memory-management.html>
    pub fn cache_usable_gib(&self, node: &str) -> f64 {
        let Some(n) = self.cache_nodes.get(node) else {
            return 0.0;
        };
        let usable = match n.reserved_memory_fraction {
            Some(reserved) => 1.0 - reserved,
            None => self.assumption("cache.usable_fraction"),
        };
        n.memory_gib * usable
    }

    /// Instance classes (RDS, ElastiCache or EC2) with their us-east-1 hourly price, cheapest
    /// first: the order the choice ladders step through.
    pub fn by_hourly_price<T>(
        &self,
        classes: &BTreeMap<String, T>,
        price: fn(String) -> PriceKey,
    ) -> Vec<(String, f64)> {
        let mut out: Vec<(String, f64)> = classes
            .keys()
            .map(|k| {
                (k.clone(), self.prices.get(&price(k.clone()).key()).map(|p| p.usd).unwrap_or(0.0))
            })
            .collect();
        out.sort_by(|a, b| a.1.total_cmp(&b.1));
        out
    }

    pub fn assumption(&self, key: &str) -> f64 {
        self.assumptions.get(key).map(|a| a.value).unwrap_or(0.0)
    }

    pub fn fargate_row(&self, cpu: u32) -> Option<&FargateCpuRow> {
        self.fargate_sizes.iter().find(|r| r.cpu == cpu)
    }

    /// Whether AWS accepts this cpu/memory pair for a Fargate task.
    pub fn is_valid_fargate_size(&self, cpu: u32, memory_mib: u32) -> bool {
        self.fargate_row(cpu).is_some_and(|r| r.memory_options().contains(&memory_mib))
    }

    /// Every valid (cpu units, memory MiB) pair, smallest first.
    pub fn fargate_pairs(&self) -> Vec<(u32, u32)> {
        self.fargate_sizes
            .iter()
            .flat_map(|r| r.memory_options().into_iter().map(move |m| (r.cpu, m)))
            .collect()
    }

    /// `max_connections` default of RDS for PostgreSQL:
    /// LEAST(DBInstanceClassMemory / 9531392, 5000).
    pub fn rds_max_connections(&self, class: &str) -> u32 {
        let Some(c) = self.rds_classes.get(class) else {
            return 0;
        };
        let instance_memory = c.memory_gib
            * 1024.0
            * 1024.0
            * 1024.0
            * self.assumption("rds.instance_memory_fraction");
        ((instance_memory / 9_531_392.0).floor() as u32).min(5000)
    }
}

/// Where a price comes from (`Catalog::origin`), said in words beside the price.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PriceOrigin {
    /// The user's own figure.
    Override,
    /// A row of AWS's price list (a pricing feed or an offer file) for this region.
    Listed { region: String, published: String, rate_code: String, file: String },
    /// The catalog's own figure (us-east-1's or a global one) with its source.
    Catalog { source: String, as_of: String, confirmed: bool },
    /// The region has no price of its own: us-east-1's times the region's factor.
    Estimated { region: String, factor: f64 },
}

impl PriceOrigin {
    /// "AWS price list, eu-west-1, 2025-10", "estimated for sa-east-1 from the us-east-1
    /// price (x 1.29)", "your price", or the catalog's own source and date.
    pub fn words(&self) -> String {
        let month = |d: &str| d.get(..7).unwrap_or(d).to_string();
        match self {
            PriceOrigin::Override => "your price".into(),
            PriceOrigin::Listed { region, published, .. } => {
                format!("AWS price list, {region}, {}", month(published))
            }
            PriceOrigin::Catalog { source, as_of, confirmed } => {
                let sep = if as_of.is_empty() { "" } else { ", " };
                let unconfirmed = if *confirmed { "" } else { " (unconfirmed)" };
                let source = super::price_words::source_words(source);
                format!("{source}{sep}{}{unconfirmed}", month(as_of))
            }
            PriceOrigin::Estimated { region, factor } => {
                format!("estimated for {region} from the us-east-1 price (x {factor})")
            }
        }
    }

    /// The Price List rate code, when the price is a row of it.
    pub fn rate_code(&self) -> Option<&str> {
        match self {
            PriceOrigin::Listed { rate_code, .. } if !rate_code.is_empty() => Some(rate_code),
            _ => None,
        }
    }

    pub fn is_estimate(&self) -> bool {
        matches!(self, PriceOrigin::Estimated { .. })
    }
}

/// An AWS region code as AWS writes them: `us-east-1`, `ap-southeast-2`, `us-gov-west-1`,
/// `eu-isoe-west-1`
/// (<https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html>):
/// a two-letter area, lowercase words, and a number, joined by hyphens.
pub fn is_region_code(code: &str) -> bool {
    let parts: Vec<&str> = code.split('-').collect();
    let word = |w: &&str| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase());
    code.len() <= 30
        && parts.len() >= 3
        && parts[0].len() == 2
        && word(&parts[0])
        && parts[1..parts.len() - 1].iter().all(word)
        && parts
            .last()
            .is_some_and(|n| (1..=2).contains(&n.len()) && n.bytes().all(|b| b.is_ascii_digit()))
}

/// An instance class or node type name as AWS writes them: `t3.micro`, `db.r6g.2xlarge`,
/// `cache.t4g.small`, `u-6tb1.metal`: lowercase letters, digits and hyphens in dot-separated parts.
pub fn is_instance_name(name: &str) -> bool {
    let parts: Vec<&str> = name.split('.').collect();
    name.len() <= 40
        && (2..=3).contains(&parts.len())
        && parts.iter().all(|p| {
            !p.is_empty()
                && !p.starts_with('-')
                && p.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        })
}
