//! The pricing-feed layout: the JSON behind aws.amazon.com/<service>/pricing
//! (`https://b0.p.awsstatic.com/pricing/2.0/meteredUnitMaps/<service>/USD/current/<file>.json`),
//! which keeps every row's Price List rate code and the feed's publication date.
//!
//! Three shapes, as `data/prices/README.md` describes them:
//! * on-demand: `manifest` (`hawkFilePublicationDate`, `source`) and
//!   `regions.<location>.<price name>.{price, rateCode, "Instance Type", set...}`;
//! * reserved instances (1 year, No Upfront): `{<feed file>: {manifest, rows: {<name>:
//!   {price, rateCode, Location, "Instance Type", "Deployment Option"...}}}}`, `price` being the
//!   effective hourly rate;
//! * CloudFront: `geos.<edge geography>.<"Request HTTPS Methods">` (per request).
//!
//! Only rows that are one of the planner's prices are kept; the rest are ignored.

use crate::model::catalog::{Catalog, ListedPrice, Price, Region};
use crate::model::price_key::PriceKey;
use crate::model::scenario::{Arch, CacheEngine, CdnGeo, StorageType};
use serde_json::Value;
use std::collections::BTreeMap;

/// The top-level members of a feed file, as `FileSeed` kept them.
pub(super) type FeedFile = BTreeMap<String, Value>;

/// Whether a top-level key belongs to the feed layout (and not to an offer file).
pub(super) fn is_feed_key(key: &str) -> bool {
    matches!(key, "manifest" | "regions" | "geos" | "source") || key.contains("reservedinstance")
}

/// One price read from a feed.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct FeedRow {
    /// The region code; empty for CloudFront's edge prices (global).
    pub region: String,
    pub key: PriceKey,
    pub usd: f64,
    pub rate_code: String,
    /// A reserved rate (1 year, No Upfront) rather than on-demand.
    pub reserved: bool,
    /// `<file> (AWS pricing feed <manifest source>)`.
    pub file: String,
    /// The feed's publication date, `YYYY-MM-DD`.
    pub published: String,
    /// CloudFront: the edge geography as the feed names it.
    pub edge: String,
}

/// AWS's location names (the feeds' region keys, the Price List's `location`) for the regions
/// the feeds cover
/// (<https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html>).
const LOCATIONS: [(&str, &str); 10] = [
    ("US East (N. Virginia)", "us-east-1"),
    ("US East (Ohio)", "us-east-2"),
    ("US West (Oregon)", "us-west-2"),
    ("EU (Ireland)", "eu-west-1"),
    ("EU (Frankfurt)", "eu-central-1"),
    ("Asia Pacific (Tokyo)", "ap-northeast-1"),
    ("Asia Pacific (Singapore)", "ap-southeast-1"),
    ("Asia Pacific (Sydney)", "ap-southeast-2"),
    ("Asia Pacific (Mumbai)", "ap-south-1"),
    ("South America (Sao Paulo)", "sa-east-1"),
];

fn region_code(location: &str) -> Option<&'static str> {
    LOCATIONS.iter().find(|(l, _)| *l == location).map(|(_, c)| *c)
}

/// CloudFront's edge geographies (the feed's `geos` keys) the planner prices.
const EDGES: [(&str, CdnGeo); 6] = [
    ("United States", CdnGeo::Us),
    ("EU", CdnGeo::Europe),
    ("Japan", CdnGeo::Japan),
    ("Australia", CdnGeo::Australia),
    ("South America", CdnGeo::SouthAmerica),
    ("India", CdnGeo::India),
];

fn text<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

fn price_of(v: &Value) -> Option<f64> {
    text(v, "price").parse::<f64>().ok().filter(|p| p.is_finite() && *p >= 0.0)
}

fn published(manifest: Option<&Value>) -> String {
    let date = manifest.map(|m| text(m, "hawkFilePublicationDate")).unwrap_or("");
    date.get(..10).unwrap_or(date).to_string()
}

/// Reads one feed file; an error names what is missing.
pub(super) fn read(
    label: &str,
    file: &FeedFile,
    catalog: &Catalog,
) -> Result<Vec<FeedRow>, String> {
    if let Some(regions) = file.get("regions") {
        let manifest = file.get("manifest");
        let service = manifest.map(|m| text(m, "source")).unwrap_or("");
        let base = Base::new(label, service, published(manifest));
        let regions = regions.as_object().ok_or("`regions` is not an object")?;
        let mut rows = Vec::new();
        for (location, prices) in regions {
            let Some(region) = region_code(location) else { continue };
            for (name, row) in prices.as_object().into_iter().flatten() {
                if let Some((key, scale)) = on_demand_key(service, name, row, catalog) {
                    rows.extend(base.row(region, key, row, scale, false));
                }
            }
        }
        return Ok(rows);
    }
    if let Some(geos) = file.get("geos") {
        let base = Base::new(label, "cloudfront", published(file.get("manifest")));
        let mut rows = Vec::new();
        for (edge, geo) in EDGES {
            let Some(row) = geos.get(edge).and_then(|g| g.get("Request HTTPS Methods")) else {
                continue;
            };
            let key = PriceKey::CloudFrontHttps10k(geo);
            rows.extend(
                base.row("", key, row, 10_000.0, false)
                    .map(|r| FeedRow { edge: edge.to_string(), ..r }),
            );
        }
        return Ok(rows);
    }
    let mut rows = Vec::new();
    for (feed, part) in file.iter().filter(|(k, _)| k.contains("reservedinstance")) {
        let manifest = part.get("manifest");
        let service = manifest.map(|m| text(m, "source")).unwrap_or("");
        let base = Base::new(&format!("{label}: {feed}"), service, published(manifest));
        let Some(items) = part.get("rows").and_then(Value::as_object) else {
            return Err(format!("`{feed}` has no `rows`"));
        };
        for row in items.values() {
            let Some(region) = region_code(text(row, "Location")) else { continue };
            if let Some(key) = reserved_key(service, row, catalog) {
                rows.extend(base.row(region, key, row, 1.0, true));
            }
        }
    }
    if rows.is_empty() && !file.keys().any(|k| k.contains("reservedinstance")) {
        return Err("a pricing feed has `regions`, `geos` or reserved-instance files".into());
    }
    Ok(rows)
}

/// What every row of one feed shares.
struct Base {
    file: String,
    published: String,
}

impl Base {
    fn new(label: &str, service: &str, published: String) -> Base {
        Base { file: format!("{label} (AWS pricing feed {service})"), published }
    }

    fn row(
        &self,
        region: &str,
        key: PriceKey,
        row: &Value,
        scale: f64,
        reserved: bool,
    ) -> Option<FeedRow> {
        Some(FeedRow {
            region: region.to_string(),
            key,
            usd: price_of(row)? * scale,
            rate_code: text(row, "rateCode").to_string(),
            reserved,
            file: self.file.clone(),
            published: self.published.clone(),
            edge: String::new(),
        })
    }
}

/// The planner price an on-demand feed row is, and the scale from the feed's unit to the
/// catalog's (per request to per 1,000).
fn on_demand_key(
    service: &str,
    name: &str,
    row: &Value,
    catalog: &Catalog,
) -> Option<(PriceKey, f64)> {
    let one = |key: PriceKey| Some((key, 1.0));
    let instance = text(row, "Instance Type");
    match (service, name) {
        ("ecs", "perCPU per hour") => one(PriceKey::FargateVcpuHour(Arch::X86)),
        ("ecs", "perGB per hour") => one(PriceKey::FargateGbHour(Arch::X86)),
        ("ecs", "ARM perCPU per hour") => one(PriceKey::FargateVcpuHour(Arch::Arm)),
        ("ecs", "ARM perGB per hour") => one(PriceKey::FargateGbHour(Arch::Arm)),
        ("ecs", "Storage per GB-Hours") => one(PriceKey::FargateEphemeralGbHour),
        ("natgateway", "Hourly charge for NAT Gateways") => one(PriceKey::NatHour),
        ("natgateway", "Charge for per GB data processed by NatGateways") => one(PriceKey::NatGb),
        ("vpc", "Hourly charge for In use Public IPv4 Addresses per Hrs") => {
            one(PriceKey::PublicIpv4Hour)
        }
        ("s3", "Standard Storage First 50 TB per GB Mo") => one(PriceKey::S3StandardGbMonth),
        ("s3", "GET and all other requests per Requests") => Some((PriceKey::S3Get1k, 1000.0)),
        ("cloudwatch", "Logs Collected Data Ingestion") => one(PriceKey::LogsIngestGb),
        ("rds-postgresql-ondemand", _) => rds_key(name, instance, catalog).map(|k| (k, 1.0)),
        ("elasticache", _) => {
            let set = text(row, "set");
            let engine = if set.contains("Valkey") {
                CacheEngine::Valkey
            } else if set.contains("Redis") {
                CacheEngine::Redis
            } else {
                return None;
            };
            catalog
                .cache_nodes
                .contains_key(instance)
                .then(|| (PriceKey::CacheHour(engine, instance.to_string()), 1.0))
        }
        _ => None,
    }
}

/// RDS for PostgreSQL rows: instances (Single-AZ and Multi-AZ), gp2/gp3 storage (Single-AZ
/// and Multi-AZ), backup storage.
fn rds_key(name: &str, instance: &str, catalog: &Catalog) -> Option<PriceKey> {
    let storage = |t: StorageType, multi: bool| {
        Some(if multi {
            PriceKey::RdsStorageMultiAzGbMonth(t)
        } else {
            PriceKey::RdsStorageGbMonth(t)
        })
    };
    match name {
        "Database Storage Single AZ General Purpose" => storage(StorageType::Gp2, false),
        "Database Storage Single AZ General Purpose-GP3" => storage(StorageType::Gp3, false),
        "Database Storage Multi AZ General Purpose" => storage(StorageType::Gp2, true),
        "Database Storage Multi AZ General Purpose-GP3" => storage(StorageType::Gp3, true),
        "Storage Snapshot" => Some(PriceKey::RdsBackupGbMonth),
        _ if name.starts_with("Database Instance PostgreSQL") => {
            instance_key(instance, name.contains("Multi-AZ"), catalog)
        }
        _ => None,
    }
}

fn instance_key(instance: &str, multi_az: bool, catalog: &Catalog) -> Option<PriceKey> {
    catalog.rds_classes.contains_key(instance).then(|| {
        if multi_az {
            PriceKey::RdsMultiAzHour(instance.to_string())
        } else {
            PriceKey::RdsHour(instance.to_string())
        }
    })
}

/// The on-demand price a reserved row replaces (the rows are 1 year, No Upfront: checked).
fn reserved_key(service: &str, row: &Value, catalog: &Catalog) -> Option<PriceKey> {
    if text(row, "PurchaseOption") != "No Upfront" || text(row, "LeaseContractLength") != "1yr" {
        return None;
    }
    let instance = text(row, "Instance Type");
    match service {
        "rds-postgresql-reservedinstance" => {
            (text(row, "Database Engine") == "PostgreSQL").then_some(())?;
            instance_key(instance, text(row, "Deployment Option") == "Multi-AZ", catalog)
        }
        // Not split by engine: the row's on-demand echo is the Redis OSS price.
        "elasticache-reservedinstance" => catalog
            .cache_nodes
            .contains_key(instance)
            .then(|| PriceKey::CacheHour(CacheEngine::Redis, instance.to_string())),
        _ => None,
    }
}

/// The unit of a price the catalog does not have yet (a feed brings it).
fn unit_for(key: &PriceKey) -> &'static str {
    match key {
        PriceKey::RdsHour(_) => "instance-hour",
        PriceKey::RdsMultiAzHour(_) => "Multi-AZ instance-hour (primary + standby)",
        PriceKey::RdsStorageMultiAzGbMonth(_) => "GB-month (Multi-AZ: both copies)",
        PriceKey::RdsStorageGbMonth(_) | PriceKey::RdsBackupGbMonth => "GB-month",
        PriceKey::CacheHour(..) => "node-hour",
        PriceKey::FargateVcpuHour(_) => "vCPU-hour",
        PriceKey::FargateGbHour(_) => "GB-hour",
        PriceKey::FargateEphemeralGbHour => "GB-hour above 20 GB",
        PriceKey::CloudFrontHttps10k(_) => "10,000 HTTPS requests",
        PriceKey::S3StandardGbMonth => "GB-month",
        PriceKey::S3Get1k => "1,000 GET requests",
        PriceKey::NatHour => "NAT gateway-hour",
        PriceKey::NatGb => "GB processed",
        PriceKey::PublicIpv4Hour => "address-hour",
        PriceKey::LogsIngestGb => "GB ingested",
        _ => "unit",
    }
}

/// Writes the feed rows into the catalog: each region's `listed` (on-demand) and `reserved`
/// prices; us-east-1's rows also become the catalog's base prices (what other regions'
/// estimates start from), CloudFront's the global request prices. Then every region's factor
/// is re-measured from the feeds. Returns the count written per region.
pub(super) fn apply(catalog: &mut Catalog, rows: &[FeedRow]) -> BTreeMap<String, usize> {
    let mut written = BTreeMap::new();
    for row in rows {
        let name = row.key.key();
        if row.region.is_empty() {
            let source = format!(
                "AWS price list, CloudFront {} edge, rate code {}",
                row.edge, row.rate_code
            );
            set_base(catalog, &name, &row.key, row.usd, source, &row.published);
            *written.entry("CloudFront (global)".to_string()).or_insert(0) += 1;
            continue;
        }
        let listed = ListedPrice {
            usd: row.usd,
            offer: row.file.clone(),
            published: row.published.clone(),
            sku: row.rate_code.split('.').next().unwrap_or("").to_string(),
            rate_code: row.rate_code.clone(),
        };
        if row.region == "us-east-1" && !row.reserved {
            let source = format!("AWS price list, us-east-1, rate code {}", row.rate_code);
            set_base(catalog, &name, &row.key, row.usd, source, &row.published);
        }
        let region = catalog.regions.entry(row.region.clone()).or_insert_with(|| Region {
            name: row.region.clone(),
            factor: 1.0,
            confirmed: false,
            source: String::new(),
            overrides: BTreeMap::new(),
            listed: BTreeMap::new(),
            reserved: BTreeMap::new(),
        });
        let into = if row.reserved { &mut region.reserved } else { &mut region.listed };
        into.insert(name, listed);
        *written.entry(row.region.clone()).or_insert(0) += 1;
    }
    if !rows.is_empty() {
        measure_factors(catalog);
    }
    written
}

fn set_base(
    catalog: &mut Catalog,
    name: &str,
    key: &PriceKey,
    usd: f64,
    source: String,
    as_of: &str,
) {
    let unit =
        catalog.prices.get(name).map(|p| p.unit.clone()).unwrap_or_else(|| unit_for(key).into());
    catalog.prices.insert(
        name.to_string(),
        Price { usd, unit, source, as_of: as_of.to_string(), confirmed: true },
    );
}

/// A region's factor (what prices its feeds lack are estimated with) as the median of its
/// feed prices over us-east-1's, rounded to 0.01: measured, not guessed. Instance prices (RDS,
/// ElastiCache) are left out: they are most of the rows, and the prices estimated with the
/// factor (ALB, Secrets Manager, ECR, EC2, transfer) are services like Fargate, NAT, S3 and logs.
fn measure_factors(catalog: &mut Catalog) {
    let Some(base) = catalog.regions.get("us-east-1").map(|r| r.listed.clone()) else {
        return;
    };
    for (code, region) in catalog.regions.iter_mut().filter(|(c, _)| *c != "us-east-1") {
        let mut ratios: Vec<f64> = region
            .listed
            .iter()
            .filter(|(k, _)| !is_instance_price(k))
            .filter_map(|(k, l)| base.get(k).filter(|b| b.usd > 0.0).map(|b| l.usd / b.usd))
            .filter(|r| r.is_finite() && *r > 0.0)
            .collect();
        if ratios.is_empty() {
            continue;
        }
        ratios.sort_by(f64::total_cmp);
        let mid = ratios.len() / 2;
        let median =
            if ratios.len() % 2 == 1 { ratios[mid] } else { (ratios[mid - 1] + ratios[mid]) / 2.0 };
        region.factor = (median * 100.0).round() / 100.0;
        region.confirmed = false;
        region.source = format!(
            "median of {}'s {} AWS price list prices (Fargate, NAT, IPv4, S3, logs) over \
             us-east-1's; only prices the feeds lack are estimated with it",
            code,
            ratios.len()
        );
    }
}

fn is_instance_price(key: &str) -> bool {
    matches!(
        PriceKey::parse(key),
        Some(
            PriceKey::RdsHour(_)
                | PriceKey::RdsMultiAzHour(_)
                | PriceKey::RdsStorageGbMonth(_)
                | PriceKey::RdsStorageMultiAzGbMonth(_)
                | PriceKey::RdsBackupGbMonth
                | PriceKey::CacheHour(..)
        )
    )
}
