//! `scaling-plan catalog import`: reads AWS Price List files and writes the planner's catalog
//! with each region's own prices, every one with its source (offer file, publication date,
//! SKU).
//!
//! Two formats, as AWS documents them
//! (<https://docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/reading-service-price-list-file-for-services.html>):
//! * bulk offer files (`offers/v1.0/aws/<service>/current/<region>/index.json`): `offerCode`,
//!   `publicationDate`, `products` (SKU -> `productFamily`, `attributes`) and
//!   `terms.OnDemand` (SKU -> term -> `priceDimensions` -> `pricePerUnit.USD`); read as a
//!   stream that keeps only the products the planner prices, so a large EC2 file fits in memory;
//! * the output of `aws pricing get-products`: `PriceList`, an array of JSON strings, each one
//!   product with its `terms`.
//!
//! Only on-demand terms are read (reserved terms are ignored), and only the SKUs that match one
//! of the planner's prices (`rule_for`): PostgreSQL Single-AZ for RDS, Linux shared-tenancy
//! instances without pre-installed software for EC2, Redis and Valkey for ElastiCache...

mod feed;

use crate::model::catalog::{Catalog, ListedPrice, Region};
use crate::model::price_key::PriceKey;
use crate::model::scenario::{Arch, CacheEngine, CdnGeo, StorageType};
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// What a product prices in the planner's catalog.
#[derive(Debug, Clone, PartialEq)]
enum Target {
    /// A regional price, the first (or only) price dimension times `scale` (e.g. per request
    /// to per 1,000 requests).
    Regional { key: PriceKey, scale: f64 },
    /// Internet egress by volume tier: `egress.internet.gb.t1..t4`.
    EgressTiers,
    /// CloudFront transfer by volume tier for a viewer geography (global, not regional).
    CloudFrontTransfer(CdnGeo),
    /// CloudFront HTTPS requests per 10,000 for a viewer geography (global).
    CloudFrontHttps(CdnGeo),
}

/// One on-demand price dimension: a volume range and its price.
#[derive(Debug, Clone, PartialEq)]
struct Dimension {
    begin: f64,
    usd: f64,
}

/// A product the planner prices, with its on-demand dimensions once the terms are read.
#[derive(Debug, Clone)]
struct Product {
    sku: String,
    region: String,
    location: String,
    target: Target,
    dimensions: Vec<Dimension>,
}

/// Where a file's prices come from.
#[derive(Debug, Clone)]
struct FileSource {
    offer: String,
    published: String,
}

impl FileSource {
    /// A price of this file (offer files give the SKU, not the rate code).
    fn listed(&self, usd: f64, sku: &str) -> ListedPrice {
        ListedPrice {
            usd,
            offer: self.offer.clone(),
            published: self.published.clone(),
            sku: sku.to_string(),
            rate_code: String::new(),
        }
    }
}

/// What an import changed, for the CLI's summary.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImportReport {
    /// Regional prices written, by region.
    pub listed: BTreeMap<String, usize>,
    /// Global prices (CloudFront) written.
    pub global: usize,
    /// Products read that match a planner price.
    pub matched: usize,
    /// Same price, same region, different figures in the files: the first SKU (by name) kept.
    pub conflicts: Vec<String>,
    /// Products matched but not usable (e.g. a tier layout the catalog does not have).
    pub skipped: Vec<String>,
}

/// Reads Price List files (`(label, reader)`: the label names the file in every source) and
/// returns `base` with the prices they list. Errors name the file. Pricing feeds are applied
/// after offer files and `get-products` output: their rows carry rate codes and replace the
/// same prices from the others.
pub fn import<R: std::io::Read>(
    files: Vec<(String, R)>,
    base: &Catalog,
) -> Result<(Catalog, ImportReport), String> {
    let mut products: Vec<(Product, FileSource)> = Vec::new();
    let mut feed_rows = Vec::new();
    for (label, reader) in files {
        match read_file(&label, reader, base).map_err(|e| format!("{label}: {e}"))? {
            Read::Products(source, found) => {
                products.extend(found.into_iter().map(|p| (p, source.clone())))
            }
            Read::Feed(rows) => feed_rows.extend(rows),
        }
    }
    let mut catalog = base.clone();
    let mut report = apply(&mut catalog, products);
    report.matched += feed_rows.len();
    for (region, n) in feed::apply(&mut catalog, &feed_rows) {
        *report.listed.entry(region).or_insert(0) += n;
    }
    let text = serde_json::to_string(&catalog).map_err(|e| e.to_string())?;
    // The result must load like any catalog (its own checks, every key known).
    Catalog::from_json(&text).map(|c| (c, report)).map_err(|e| e.to_string())
}

/// A base catalog for `import --base`: the hand-kept part of a catalog, which may lack the
/// prices the imported files bring (the result is checked as a whole).
pub fn parse_base(text: &str) -> Result<Catalog, String> {
    serde_json::from_str(text)
        .map_err(|e| format!("at `{}`: {e}", crate::model::json_path::path_at(text, &e)))
}

/// The command that produces the shipped catalog (README, tests/catalog_import.rs).
pub const SHIPPED_IMPORT: &str =
    "scaling-plan catalog import --base data/catalog-base.json data/prices/raw/*.json --out \
        data/catalog.json";

/// The catalog as JSON, one price per line where it helps a diff.
pub fn to_json(catalog: &Catalog) -> String {
    serde_json::to_string_pretty(catalog).expect("catalog serializes") + "\n"
}

/// What one file gave: Price List products with their file's source, or pricing-feed rows.
enum Read {
    Products(FileSource, Vec<Product>),
    Feed(Vec<feed::FeedRow>),
}

fn read_file<R: std::io::Read>(label: &str, reader: R, base: &Catalog) -> Result<Read, String> {
    let mut de = serde_json::Deserializer::from_reader(std::io::BufReader::new(reader));
    let file = FileSeed { catalog: base }
        .deserialize(&mut de)
        .map_err(|e| format!("not a Price List file I can read: {e}"))?;
    match file {
        ParsedFile::Feed(members) => Ok(Read::Feed(feed::read(label, &members, base)?)),
        ParsedFile::Offer { offer_code, published, products } => Ok(Read::Products(
            FileSource { offer: format!("{label} ({offer_code} offer file)"), published },
            products,
        )),
        ParsedFile::GetProducts { entries } => {
            let mut products = Vec::new();
            let mut published = BTreeSet::new();
            for (i, entry) in entries.iter().enumerate() {
                let item: PriceListItem =
                    serde_json::from_str(entry).map_err(|e| format!("PriceList[{i}]: {e}"))?;
                published.insert(item.publication_date.clone().unwrap_or_default());
                let service = item
                    .service_code
                    .clone()
                    .or_else(|| item.product.attributes.get("servicecode").cloned())
                    .unwrap_or_default();
                if let Some(mut p) = match_product(&service, &item.product, base) {
                    p.dimensions = on_demand_dimensions(item.terms.on_demand.values().next());
                    products.push(p);
                }
            }
            let published =
                published.into_iter().filter(|p| !p.is_empty()).collect::<Vec<_>>().join(", ");
            Ok(Read::Products(
                FileSource { offer: format!("{label} (aws pricing get-products)"), published },
                products,
            ))
        }
    }
}

// ---- The two formats ---------------------------------------------------------------------

enum ParsedFile {
    Feed(feed::FeedFile),
    Offer { offer_code: String, published: String, products: Vec<Product> },
    GetProducts { entries: Vec<String> },
}

#[derive(Debug, Clone, Deserialize)]
struct RawProduct {
    #[serde(default)]
    sku: String,
    #[serde(rename = "productFamily", default)]
    product_family: String,
    #[serde(default)]
    attributes: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Deserialize)]
struct RawDimension {
    #[serde(rename = "beginRange", alias = "startingRange", default)]
    begin_range: Option<String>,
    #[serde(rename = "pricePerUnit")]
    price_per_unit: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Deserialize)]
struct RawTerm {
    #[serde(rename = "priceDimensions", default)]
    price_dimensions: BTreeMap<String, RawDimension>,
}

#[derive(Debug, Clone, Default, Deserialize)]
struct RawTerms {
    #[serde(rename = "OnDemand", default)]
    on_demand: BTreeMap<String, RawTerm>,
}

/// One entry of `aws pricing get-products`' `PriceList`.
#[derive(Debug, Clone, Deserialize)]
struct PriceListItem {
    product: RawProduct,
    #[serde(rename = "serviceCode", default)]
    service_code: Option<String>,
    #[serde(rename = "publicationDate", default)]
    publication_date: Option<String>,
    #[serde(default)]
    terms: RawTerms,
}

/// The on-demand dimensions of one term, lowest range first; prices that do not parse are
/// left out.
fn on_demand_dimensions(term: Option<&RawTerm>) -> Vec<Dimension> {
    let Some(term) = term else {
        return Vec::new();
    };
    let mut dims: Vec<Dimension> = term
        .price_dimensions
        .values()
        .filter_map(|d| {
            let usd = d
                .price_per_unit
                .get("USD")?
                .parse::<f64>()
                .ok()
                .filter(|x| x.is_finite() && *x >= 0.0)?;
            let begin = d.begin_range.as_deref().unwrap_or("0").parse::<f64>().unwrap_or(0.0);
            Some(Dimension { begin, usd })
        })
        .collect();
    dims.sort_by(|a, b| a.begin.total_cmp(&b.begin));
    dims
}

/// Deserializes a whole file: an offer file (kept products only) or get-products output.
struct FileSeed<'a> {
    catalog: &'a Catalog,
}

impl<'de> DeserializeSeed<'de> for FileSeed<'_> {
    type Value = ParsedFile;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<ParsedFile, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for FileSeed<'_> {
    type Value = ParsedFile;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(
            "an offer file (`products` and `terms`) or `aws pricing get-products` output \
            (`PriceList`)",
        )
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ParsedFile, A::Error> {
        let (mut offer_code, mut published) = (String::new(), String::new());
        let mut kept: Option<BTreeMap<String, Product>> = None;
        let mut terms_first: Option<BTreeMap<String, RawTerm>> = None;
        let mut price_list: Option<Vec<String>> = None;
        let mut feed = feed::FeedFile::new();
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                k if feed::is_feed_key(k) => {
                    feed.insert(key, map.next_value()?);
                }
                "offerCode" => offer_code = map.next_value()?,
                "publicationDate" => published = map.next_value()?,
                "PriceList" => price_list = Some(map.next_value()?),
                "products" => {
                    kept = Some(map.next_value_seed(ProductsSeed {
                        catalog: self.catalog,
                        service: &offer_code,
                    })?)
                }
                "terms" => {
                    let on_demand = map.next_value_seed(TermsSeed {
                        wanted: kept.as_ref().map(|k| k.keys().cloned().collect()),
                    })?;
                    match kept.as_mut() {
                        Some(products) => attach(products, on_demand),
                        None => terms_first = Some(on_demand),
                    }
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        if let Some(entries) = price_list {
            return Ok(ParsedFile::GetProducts { entries });
        }
        if kept.is_none() && feed.keys().any(|k| k != "source" && k != "manifest") {
            return Ok(ParsedFile::Feed(feed));
        }
        let Some(mut products) = kept else {
            return Err(serde::de::Error::custom(
                "no `products` (offer file) or `PriceList` (get-products output)",
            ));
        };
        if let Some(on_demand) = terms_first {
            attach(&mut products, on_demand);
        }
        Ok(ParsedFile::Offer { offer_code, published, products: products.into_values().collect() })
    }
}

fn attach(products: &mut BTreeMap<String, Product>, on_demand: BTreeMap<String, RawTerm>) {
    for (sku, term) in on_demand {
        if let Some(p) = products.get_mut(&sku) {
            p.dimensions = on_demand_dimensions(Some(&term));
        }
    }
}

/// The `products` object, keeping only what the planner prices.
struct ProductsSeed<'a> {
    catalog: &'a Catalog,
    service: &'a str,
}

impl<'de> DeserializeSeed<'de> for ProductsSeed<'_> {
    type Value = BTreeMap<String, Product>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for ProductsSeed<'_> {
    type Value = BTreeMap<String, Product>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a map of SKU to product")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = BTreeMap::new();
        while let Some(sku) = map.next_key::<String>()? {
            let mut raw: RawProduct = map.next_value()?;
            if raw.sku.is_empty() {
                raw.sku = sku.clone();
            }
            let service = if self.service.is_empty() {
                raw.attributes.get("servicecode").cloned().unwrap_or_default()
            } else {
                self.service.to_string()
            };
            if let Some(p) = match_product(&service, &raw, self.catalog) {
                out.insert(sku, p);
            }
        }
        Ok(out)
    }
}

/// `terms`: only `OnDemand`, and only the wanted SKUs when they are known.
struct TermsSeed {
    wanted: Option<BTreeSet<String>>,
}

impl<'de> DeserializeSeed<'de> for TermsSeed {
    type Value = BTreeMap<String, RawTerm>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for TermsSeed {
    type Value = BTreeMap<String, RawTerm>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("the terms by type (OnDemand, Reserved)")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = BTreeMap::new();
        while let Some(term_type) = map.next_key::<String>()? {
            if term_type != "OnDemand" {
                map.next_value::<IgnoredAny>()?;
                continue;
            }
            let by_sku: BTreeMap<String, IgnoredOr<BTreeMap<String, RawTerm>>> =
                map.next_value_seed(WantedSkus { wanted: self.wanted.as_ref() })?;
            for (sku, terms) in by_sku {
                if let IgnoredOr::Kept(terms) = terms {
                    if let Some(term) = terms.into_values().next() {
                        out.insert(sku, term);
                    }
                }
            }
        }
        Ok(out)
    }
}

enum IgnoredOr<T> {
    Ignored,
    Kept(T),
}

/// `terms.OnDemand`: SKU -> terms, parsed only for the wanted SKUs.
struct WantedSkus<'a> {
    wanted: Option<&'a BTreeSet<String>>,
}

impl<'de> DeserializeSeed<'de> for WantedSkus<'_> {
    type Value = BTreeMap<String, IgnoredOr<BTreeMap<String, RawTerm>>>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for WantedSkus<'_> {
    type Value = BTreeMap<String, IgnoredOr<BTreeMap<String, RawTerm>>>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a map of SKU to on-demand terms")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = BTreeMap::new();
        while let Some(sku) = map.next_key::<String>()? {
            if self.wanted.is_none_or(|w| w.contains(&sku)) {
                let terms: BTreeMap<String, RawTerm> = map.next_value()?;
                out.insert(sku, IgnoredOr::Kept(terms));
            } else {
                map.next_value::<IgnoredAny>()?;
                out.insert(sku, IgnoredOr::Ignored);
            }
        }
        Ok(out)
    }
}

// ---- Which SKU is which planner price ------------------------------------------------------

/// `USE1-Fargate-GB-Hours` -> `Fargate-GB-Hours`: usage types carry a region prefix
/// (upper-case letters and digits, 2 to 5 of them), except some in us-east-1.
fn usage(raw: &RawProduct) -> &str {
    let u = raw.attributes.get("usagetype").map(String::as_str).unwrap_or("");
    match u.split_once('-') {
        Some((head, rest))
            if (2..=5).contains(&head.len())
                && head.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
                && !rest.is_empty() =>
        {
            rest
        }
        _ => u,
    }
}

/// The planner price a product is, if any (see the module documentation for the rules).
fn rule_for(service: &str, raw: &RawProduct, catalog: &Catalog) -> Option<Target> {
    let attr = |k: &str| raw.attributes.get(k).map(String::as_str);
    let regional = |key: PriceKey| Some(Target::Regional { key, scale: 1.0 });
    let family = raw.product_family.as_str();
    let u = usage(raw);
    // NAT gateways and ALBs are listed under more than one service code.
    match (family, u) {
        ("NAT Gateway", "NatGateway-Hours") => return regional(PriceKey::NatHour),
        ("NAT Gateway", "NatGateway-Bytes") => return regional(PriceKey::NatGb),
        ("Load Balancer-Application", "LoadBalancerUsage") => return regional(PriceKey::AlbHour),
        ("Load Balancer-Application", "LCUUsage") => return regional(PriceKey::AlbLcuHour),
        _ => {}
    }
    match service {
        "AmazonECS" => match u {
            "Fargate-vCPU-Hours:perCPU" => regional(PriceKey::FargateVcpuHour(Arch::X86)),
            "Fargate-GB-Hours" => regional(PriceKey::FargateGbHour(Arch::X86)),
            "Fargate-ARM-vCPU-Hours:perCPU" => regional(PriceKey::FargateVcpuHour(Arch::Arm)),
            "Fargate-ARM-GB-Hours" => regional(PriceKey::FargateGbHour(Arch::Arm)),
            "Fargate-EphemeralStorage-GB-Hours" => regional(PriceKey::FargateEphemeralGbHour),
            _ => None,
        },
        "AmazonEC2" => ec2_rule(raw, catalog),
        "AmazonRDS" => rds_rule(raw, catalog),
        "AmazonElastiCache" => {
            let node = attr("instanceType")?;
            let engine = match attr("cacheEngine")? {
                "Redis" => CacheEngine::Redis,
                "Valkey" => CacheEngine::Valkey,
                _ => return None,
            };
            (catalog.cache_nodes.contains_key(node) && u.contains("NodeUsage:")).then(|| {
                Target::Regional { key: PriceKey::CacheHour(engine, node.to_string()), scale: 1.0 }
            })
        }
        "AmazonS3" => match u {
            "TimedStorage-ByteHrs" if attr("volumeType").is_none_or(|v| v == "Standard") => {
                regional(PriceKey::S3StandardGbMonth)
            }
            "Requests-Tier2" => Some(Target::Regional { key: PriceKey::S3Get1k, scale: 1000.0 }),
            _ => None,
        },
        "AWSDataTransfer" => (u == "DataTransfer-Out-Bytes"
            && attr("transferType").is_none_or(|t| t == "AWS Outbound"))
        .then_some(Target::EgressTiers),
        "AmazonCloudFront" => cloudfront_rule(raw),
        "AmazonVPC" => match u {
            "PublicIPv4:InUseAddress" => regional(PriceKey::PublicIpv4Hour),
            "VpcEndpoint-Hours" => regional(PriceKey::VpceInterfaceHour),
            "VpcEndpoint-Bytes" => regional(PriceKey::VpceInterfaceGb),
            _ => None,
        },
        "AmazonCloudWatch" => match u {
            "DataProcessing-Bytes" => regional(PriceKey::LogsIngestGb),
            "TimedStorage-ByteHrs" => regional(PriceKey::LogsStorageGbMonth),
            _ => None,
        },
        "AWSSecretsManager" => (u == "AWSSecretsManager-Secrets")
            .then_some(Target::Regional { key: PriceKey::SecretsSecretMonth, scale: 1.0 }),
        "AmazonECR" => (u == "TimedStorage-ByteHrs")
            .then_some(Target::Regional { key: PriceKey::EcrStorageGbMonth, scale: 1.0 }),
        _ => None,
    }
}

/// EC2: Linux, shared tenancy, no pre-installed software, on-demand capacity (not Windows,
/// RHEL, SQL Server, dedicated hosts or capacity reservations); gp3 volumes.
fn ec2_rule(raw: &RawProduct, catalog: &Catalog) -> Option<Target> {
    let attr = |k: &str| raw.attributes.get(k).map(String::as_str);
    match raw.product_family.as_str() {
        "Compute Instance" => {
            let t = attr("instanceType")?;
            let plain = attr("operatingSystem") == Some("Linux")
                && attr("tenancy") == Some("Shared")
                && attr("preInstalledSw").is_none_or(|v| v == "NA")
                && attr("capacitystatus").is_none_or(|v| v == "Used")
                && attr("licenseModel").is_none_or(|v| v == "No License required")
                && usage(raw).contains("BoxUsage:");
            (plain && catalog.ec2_instances.contains_key(t))
                .then(|| Target::Regional { key: PriceKey::Ec2Hour(t.to_string()), scale: 1.0 })
        }
        "Storage" => (attr("volumeApiName") == Some("gp3"))
            .then_some(Target::Regional { key: PriceKey::EbsGp3GbMonth, scale: 1.0 }),
        _ => None,
    }
}

/// RDS for PostgreSQL, Single-AZ prices (the planner doubles them for Multi-AZ): instances,
/// gp2/gp3 storage, backup storage beyond the free allowance.
fn rds_rule(raw: &RawProduct, catalog: &Catalog) -> Option<Target> {
    let attr = |k: &str| raw.attributes.get(k).map(String::as_str);
    let single_az = attr("deploymentOption").is_none_or(|d| d == "Single-AZ");
    let regional = |key: PriceKey| Some(Target::Regional { key, scale: 1.0 });
    match (raw.product_family.as_str(), usage(raw)) {
        ("Database Instance", _) => {
            let class = attr("instanceType")?;
            (attr("databaseEngine") == Some("PostgreSQL")
                && single_az
                && catalog.rds_classes.contains_key(class))
            .then(|| Target::Regional { key: PriceKey::RdsHour(class.to_string()), scale: 1.0 })
        }
        ("Database Storage", u)
            if single_az
                && attr("databaseEngine").is_none_or(|e| e == "PostgreSQL" || e == "Any") =>
        {
            match u {
                "RDS:GP2-Storage" => regional(PriceKey::RdsStorageGbMonth(StorageType::Gp2)),
                "RDS:GP3-Storage" => regional(PriceKey::RdsStorageGbMonth(StorageType::Gp3)),
                _ => None,
            }
        }
        ("Storage Snapshot", "RDS:ChargedBackupUsage") => regional(PriceKey::RdsBackupGbMonth),
        _ => None,
    }
}

/// CloudFront: `US-DataTransfer-Out-Bytes` (tiers) and `US-Requests-Tier2-HTTPS` by viewer
/// geography (US, EU, JP, AU, SA, IN).
fn cloudfront_rule(raw: &RawProduct) -> Option<Target> {
    let u = raw.attributes.get("usagetype")?;
    let (geo, what) = u.split_once('-')?;
    let geo = match geo {
        "US" => CdnGeo::Us,
        "EU" => CdnGeo::Europe,
        "JP" => CdnGeo::Japan,
        "AU" => CdnGeo::Australia,
        "SA" => CdnGeo::SouthAmerica,
        "IN" => CdnGeo::India,
        _ => return None,
    };
    match what {
        "DataTransfer-Out-Bytes" => Some(Target::CloudFrontTransfer(geo)),
        "Requests-Tier2-HTTPS" => Some(Target::CloudFrontHttps(geo)),
        _ => None,
    }
}

fn match_product(service: &str, raw: &RawProduct, catalog: &Catalog) -> Option<Product> {
    let target = rule_for(service, raw, catalog)?;
    let attr = |k: &str| raw.attributes.get(k).cloned().unwrap_or_default();
    let region = [attr("regionCode"), attr("fromRegionCode")]
        .into_iter()
        .find(|r| !r.is_empty())
        .unwrap_or_default();
    let global = matches!(target, Target::CloudFrontTransfer(_) | Target::CloudFrontHttps(_));
    if region.is_empty() && !global {
        return None;
    }
    // A file from anywhere: keep only region codes as AWS writes them (they reach the exports).
    if !region.is_empty() && !crate::model::catalog::is_region_code(&region) {
        return None;
    }
    let location = [attr("location"), attr("fromLocation")]
        .into_iter()
        .find(|l| !l.is_empty())
        .unwrap_or_else(|| region.clone());
    Some(Product { sku: raw.sku.clone(), region, location, target, dimensions: Vec::new() })
}

// ---- Writing the catalog -------------------------------------------------------------------

fn apply(catalog: &mut Catalog, mut products: Vec<(Product, FileSource)>) -> ImportReport {
    let mut report = ImportReport::default();
    // The first SKU by name wins a conflict, whatever order the files came in.
    products.sort_by(|a, b| a.0.sku.cmp(&b.0.sku));
    let mut seen: BTreeMap<(String, String), (String, f64)> = BTreeMap::new();
    for (p, source) in products {
        report.matched += 1;
        let listed = |usd: f64| source.listed(usd, &p.sku);
        let first = p.dimensions.first().map(|d| d.usd);
        match &p.target {
            Target::Regional { key, scale } => {
                let Some(usd) = first else {
                    report.skipped.push(format!("{} SKU {}: no on-demand price", key, p.sku));
                    continue;
                };
                put(catalog, &mut report, &mut seen, &p, key.clone(), listed(usd * scale));
            }
            Target::EgressTiers => {
                let paid: Vec<f64> =
                    p.dimensions.iter().map(|d| d.usd).filter(|usd| *usd > 0.0).collect();
                if paid.len() != catalog.egress_tier_sizes_gb.len() + 1 {
                    report.skipped.push(format!(
                        "egress SKU {} in {}: {} paid tiers, the catalog has {}",
                        p.sku,
                        p.region,
                        paid.len(),
                        catalog.egress_tier_sizes_gb.len() + 1
                    ));
                    continue;
                }
                for (i, usd) in paid.iter().enumerate() {
                    put(
                        catalog,
                        &mut report,
                        &mut seen,
                        &p,
                        PriceKey::EgressInternetGb(i as u8 + 1),
                        listed(*usd),
                    );
                }
            }
            Target::CloudFrontTransfer(geo) => {
                let tiers: Vec<f64> = p.dimensions.iter().map(|d| d.usd).collect();
                if tiers.len() != catalog.cloudfront_transfer.tier_sizes_gb.len() + 1 {
                    report.skipped.push(format!(
                        "CloudFront transfer SKU {} ({}): {} tiers, the catalog has {}",
                        p.sku,
                        geo.key(),
                        tiers.len(),
                        catalog.cloudfront_transfer.tier_sizes_gb.len() + 1
                    ));
                    continue;
                }
                catalog.cloudfront_transfer.per_gb.insert(geo.key().to_string(), tiers);
                catalog.cloudfront_transfer.source =
                    format!("AWS Price List: {}, SKU {}", source.offer, p.sku);
                catalog.cloudfront_transfer.as_of = source.published.clone();
                report.global += 1;
            }
            Target::CloudFrontHttps(geo) => {
                let Some(usd) = first else { continue };
                if let Some(price) =
                    catalog.prices.get_mut(&PriceKey::CloudFrontHttps10k(*geo).key())
                {
                    price.usd = usd * 10_000.0;
                    price.source = format!("AWS Price List: {}, SKU {}", source.offer, p.sku);
                    price.as_of = source.published.clone();
                    price.confirmed = true;
                    report.global += 1;
                }
            }
        }
    }
    report
}

/// Writes one regional price, adding the region when the catalog does not know it.
fn put(
    catalog: &mut Catalog,
    report: &mut ImportReport,
    seen: &mut BTreeMap<(String, String), (String, f64)>,
    p: &Product,
    key: PriceKey,
    price: ListedPrice,
) {
    let name = key.key();
    if let Some((sku, usd)) = seen.get(&(p.region.clone(), name.clone())) {
        if *usd != price.usd {
            report.conflicts.push(format!(
                "{name} in {}: SKU {sku} ${usd} kept, SKU {} ${} ignored",
                p.region, price.sku, price.usd
            ));
        }
        return;
    }
    seen.insert((p.region.clone(), name.clone()), (price.sku.clone(), price.usd));
    let region = catalog.regions.entry(p.region.clone()).or_insert_with(|| Region {
        name: p.location.clone(),
        factor: 1.0,
        confirmed: false,
        source: format!(
            "added by catalog import from {}; prices its files lack use us-east-1's \
            (factor 1, an assumption)",
            price.offer
        ),
        overrides: BTreeMap::new(),
        listed: BTreeMap::new(),
        reserved: BTreeMap::new(),
    });
    region.listed.insert(name, price);
    *report.listed.entry(p.region.clone()).or_insert(0) += 1;
}
