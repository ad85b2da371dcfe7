//! `PriceKey`: the name of a catalog price, typed. The engine and the scenario's
//! `price_overrides` name prices with these; the catalog JSON and files keep the string form,
//! which `key()` writes and `parse()` reads (serde does the same).

use super::scenario::{Arch, CacheEngine, CdnGeo, StorageType};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::cmp::Ordering;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PriceKey {
    /// `s3.standard.gb_month`
    S3StandardGbMonth,
    /// `s3.get_1k`: 1,000 GET requests.
    S3Get1k,
    /// `cloudfront.transfer.<geo>.t<tier>`: a volume tier (from 1) of the catalog's
    /// `cloudfront_transfer` table, not of `prices`.
    CloudFrontTransfer(CdnGeo, u8),
    /// `cloudfront.https_10k.<geo>`: 10,000 HTTPS requests.
    CloudFrontHttps10k(CdnGeo),
    /// `fargate.<arch>.vcpu_hour`
    FargateVcpuHour(Arch),
    /// `fargate.<arch>.gb_hour`
    FargateGbHour(Arch),
    /// `fargate.ephemeral_gb_hour`
    FargateEphemeralGbHour,
    /// `fargate.<arch>.sp<years>y.vcpu_hour`: the Compute Savings Plan rate (No Upfront) for
    /// a term of 1 or 3 years.
    FargateSpVcpuHour(Arch, u8),
    /// `fargate.<arch>.sp<years>y.gb_hour`
    FargateSpGbHour(Arch, u8),
    /// `ec2.<instance type>.hour`
    Ec2Hour(String),
    /// `ebs.gp3.gb_month`
    EbsGp3GbMonth,
    /// `alb.hour`
    AlbHour,
    /// `alb.lcu_hour`
    AlbLcuHour,
    /// `rds.<class>.hour` (the class includes its `db.` prefix).
    RdsHour(String),
    /// `rds.multi_az.<class>.hour`: a Multi-AZ deployment (primary + standby), priced by AWS
    /// as its own row.
    RdsMultiAzHour(String),
    /// `rds.storage.<type>.gb_month`
    RdsStorageGbMonth(StorageType),
    /// `rds.storage_multi_az.<type>.gb_month`: storage of a Multi-AZ deployment (both copies).
    RdsStorageMultiAzGbMonth(StorageType),
    /// `rds.backup.gb_month`
    RdsBackupGbMonth,
    /// `cache.<node type>.hour` for Redis OSS, `cache.valkey.<node type>.hour` for Valkey (the
    /// node type includes its `cache.` prefix).
    CacheHour(CacheEngine, String),
    /// `egress.internet.gb.t<tier>`: a volume tier (from 1) of data transfer out.
    EgressInternetGb(u8),
    /// `ipv4.public.hour`
    PublicIpv4Hour,
    /// `nat.hour`
    NatHour,
    /// `nat.gb`
    NatGb,
    /// `vpce.interface.hour`
    VpceInterfaceHour,
    /// `vpce.interface.gb`
    VpceInterfaceGb,
    /// `logs.ingest.gb`
    LogsIngestGb,
    /// `logs.storage.gb_month`
    LogsStorageGbMonth,
    /// `secrets.secret_month`
    SecretsSecretMonth,
    /// `ecr.storage.gb_month`
    EcrStorageGbMonth,
}

/// Keys without a parameter, with their string form.
const FIXED: [(PriceKey, &str); 16] = [
    (PriceKey::S3StandardGbMonth, "s3.standard.gb_month"),
    (PriceKey::S3Get1k, "s3.get_1k"),
    (PriceKey::FargateEphemeralGbHour, "fargate.ephemeral_gb_hour"),
    (PriceKey::EbsGp3GbMonth, "ebs.gp3.gb_month"),
    (PriceKey::AlbHour, "alb.hour"),
    (PriceKey::AlbLcuHour, "alb.lcu_hour"),
    (PriceKey::RdsBackupGbMonth, "rds.backup.gb_month"),
    (PriceKey::PublicIpv4Hour, "ipv4.public.hour"),
    (PriceKey::NatHour, "nat.hour"),
    (PriceKey::NatGb, "nat.gb"),
    (PriceKey::VpceInterfaceHour, "vpce.interface.hour"),
    (PriceKey::VpceInterfaceGb, "vpce.interface.gb"),
    (PriceKey::LogsIngestGb, "logs.ingest.gb"),
    (PriceKey::LogsStorageGbMonth, "logs.storage.gb_month"),
    (PriceKey::SecretsSecretMonth, "secrets.secret_month"),
    (PriceKey::EcrStorageGbMonth, "ecr.storage.gb_month"),
];

impl PriceKey {
    /// The hourly price of a database's primary: the Multi-AZ row (primary + standby, one
    /// price in AWS's price list) when Multi-AZ is on, else the single-AZ row. The plan's
    /// primary line and the class list's labels both read it, so they show one price.
    pub fn rds_primary_hour(class: String, multi_az: bool) -> PriceKey {
        if multi_az {
            PriceKey::RdsMultiAzHour(class)
        } else {
            PriceKey::RdsHour(class)
        }
    }

    /// The catalog's string for this price.
    pub fn key(&self) -> String {
        if let Some((_, s)) = FIXED.iter().find(|(k, _)| k == self) {
            return (*s).to_string();
        }
        match self {
            PriceKey::CloudFrontTransfer(geo, tier) => {
                format!("cloudfront.transfer.{}.t{tier}", geo.key())
            }
            PriceKey::CloudFrontHttps10k(geo) => format!("cloudfront.https_10k.{}", geo.key()),
            PriceKey::FargateVcpuHour(arch) => format!("fargate.{}.vcpu_hour", arch.key()),
            PriceKey::FargateGbHour(arch) => format!("fargate.{}.gb_hour", arch.key()),
            PriceKey::FargateSpVcpuHour(arch, y) => {
                format!("fargate.{}.sp{y}y.vcpu_hour", arch.key())
            }
            PriceKey::FargateSpGbHour(arch, y) => format!("fargate.{}.sp{y}y.gb_hour", arch.key()),
            PriceKey::RdsMultiAzHour(class) => format!("rds.multi_az.{class}.hour"),
            PriceKey::RdsStorageMultiAzGbMonth(t) => {
                format!("rds.storage_multi_az.{}.gb_month", t.key())
            }
            PriceKey::Ec2Hour(instance) => format!("ec2.{instance}.hour"),
            PriceKey::RdsHour(class) => format!("rds.{class}.hour"),
            PriceKey::RdsStorageGbMonth(t) => format!("rds.storage.{}.gb_month", t.key()),
            PriceKey::CacheHour(CacheEngine::Redis, node) => format!("cache.{node}.hour"),
            PriceKey::CacheHour(CacheEngine::Valkey, node) => format!("cache.valkey.{node}.hour"),
            PriceKey::EgressInternetGb(tier) => format!("egress.internet.gb.t{tier}"),
            _ => unreachable!("every key without a parameter is in FIXED"),
        }
    }

    /// Reads the catalog's string form; `None` for a string no price has.
    pub fn parse(key: &str) -> Option<PriceKey> {
        if let Some((k, _)) = FIXED.iter().find(|(_, s)| *s == key) {
            return Some(k.clone());
        }
        let tier =
            |t: &str| t.strip_prefix('t').and_then(|n| n.parse::<u8>().ok()).filter(|n| *n >= 1);
        let named = |rest: &str, suffix: &str| {
            rest.strip_suffix(suffix).filter(|n| !n.is_empty()).map(str::to_string)
        };
        if let Some(rest) = key.strip_prefix("cloudfront.transfer.") {
            let (geo, t) = rest.rsplit_once('.')?;
            return Some(PriceKey::CloudFrontTransfer(CdnGeo::from_key(geo)?, tier(t)?));
        }
        if let Some(geo) = key.strip_prefix("cloudfront.https_10k.") {
            return Some(PriceKey::CloudFrontHttps10k(CdnGeo::from_key(geo)?));
        }
        if let Some(rest) = key.strip_prefix("fargate.") {
            let (arch, what) = rest.split_once('.')?;
            let arch = Arch::from_key(arch)?;
            let plan_years = |t: &str| {
                t.strip_prefix("sp")?
                    .strip_suffix('y')?
                    .parse::<u8>()
                    .ok()
                    .filter(|y| *y == 1 || *y == 3)
            };
            return match what.split_once('.') {
                None if what == "vcpu_hour" => Some(PriceKey::FargateVcpuHour(arch)),
                None if what == "gb_hour" => Some(PriceKey::FargateGbHour(arch)),
                Some((term, "vcpu_hour")) => {
                    Some(PriceKey::FargateSpVcpuHour(arch, plan_years(term)?))
                }
                Some((term, "gb_hour")) => Some(PriceKey::FargateSpGbHour(arch, plan_years(term)?)),
                _ => None,
            };
        }
        if let Some(rest) = key.strip_prefix("rds.storage_multi_az.") {
            return rest
                .strip_suffix(".gb_month")
                .and_then(StorageType::from_key)
                .map(PriceKey::RdsStorageMultiAzGbMonth);
        }
        if let Some(rest) = key.strip_prefix("rds.multi_az.") {
            return named(rest, ".hour").map(PriceKey::RdsMultiAzHour);
        }
        if let Some(rest) = key.strip_prefix("rds.storage.") {
            return rest
                .strip_suffix(".gb_month")
                .and_then(StorageType::from_key)
                .map(PriceKey::RdsStorageGbMonth);
        }
        if let Some(t) = key.strip_prefix("egress.internet.gb.") {
            return Some(PriceKey::EgressInternetGb(tier(t)?));
        }
        if let Some(rest) = key.strip_prefix("ec2.") {
            return named(rest, ".hour").map(PriceKey::Ec2Hour);
        }
        if let Some(rest) = key.strip_prefix("rds.") {
            return named(rest, ".hour").map(PriceKey::RdsHour);
        }
        if let Some(rest) = key.strip_prefix("cache.valkey.") {
            return named(rest, ".hour").map(|node| PriceKey::CacheHour(CacheEngine::Valkey, node));
        }
        if let Some(rest) = key.strip_prefix("cache.") {
            return named(rest, ".hour").map(|node| PriceKey::CacheHour(CacheEngine::Redis, node));
        }
        None
    }

    /// CloudFront prices by viewer geography, not by the region of the origin; the Compute
    /// Savings Plan rates are us-east-1's, used everywhere as a discount ratio
    /// (`commit::fargate_savings_plan`), so they are not scaled by a region's factor.
    pub fn is_global(&self) -> bool {
        matches!(
            self,
            PriceKey::CloudFrontTransfer(..)
                | PriceKey::CloudFrontHttps10k(_)
                | PriceKey::FargateSpVcpuHour(..)
                | PriceKey::FargateSpGbHour(..)
        )
    }
}

impl std::fmt::Display for PriceKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.key())
    }
}

/// Plans and reports carry the catalog's string.
impl Serialize for PriceKey {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.key())
    }
}

/// Scenario files and links name prices by the catalog's string; one that names no price is
/// refused where it is read.
impl<'de> Deserialize<'de> for PriceKey {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<PriceKey, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        PriceKey::parse(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown price `{text}`")))
    }
}

/// Ordered by the catalog's string, so a scenario's overrides keep the order they had in files
/// and links written when they were keyed by that string.
impl Ord for PriceKey {
    fn cmp(&self, other: &PriceKey) -> Ordering {
        self.key().cmp(&other.key())
    }
}

impl PartialOrd for PriceKey {
    fn partial_cmp(&self, other: &PriceKey) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_catalog_price_has_a_key_that_round_trips() {
        let catalog = crate::model::Catalog::embedded();
        for name in catalog.prices.keys() {
            let key = PriceKey::parse(name)
                .unwrap_or_else(|| panic!("no PriceKey for catalog price `{name}`"));
            assert_eq!(&key.key(), name);
        }
        for geo in CdnGeo::ALL {
            for tier in 1..=catalog.cloudfront_transfer.tier_sizes_gb.len() as u8 + 1 {
                let key = PriceKey::CloudFrontTransfer(geo, tier);
                assert_eq!(PriceKey::parse(&key.key()), Some(key));
            }
        }
    }

    #[test]
    fn strings_that_name_no_price_do_not_parse() {
        for bad in [
            "",
            "alb",
            "alb.hours",
            "fargate.mips.vcpu_hour",
            "fargate.x86.hour",
            "egress.internet.gb.t0",
            "egress.internet.gb.tx",
            "cloudfront.transfer.mars.t1",
            "cloudfront.transfer.us",
            "ec2..hour",
            "ec2.t3.small",
            "rds.storage.io1.gb_month",
            "cache..hour",
            "cache.valkey..hour",
            "fargate.x86.sp2y.vcpu_hour",
            "fargate.x86.sp1y.hour",
            "rds.multi_az..hour",
            "rds.storage_multi_az.io1.gb_month",
        ] {
            assert_eq!(PriceKey::parse(bad), None, "`{bad}` parsed");
        }
    }

    #[test]
    fn serializes_as_the_catalog_string() {
        let json = serde_json::to_string(&PriceKey::CacheHour(
            CacheEngine::Redis,
            "cache.t3.micro".into(),
        ))
        .unwrap();
        assert_eq!(json, "\"cache.cache.t3.micro.hour\"");
        let json = serde_json::to_string(&PriceKey::CacheHour(
            CacheEngine::Valkey,
            "cache.t3.micro".into(),
        ))
        .unwrap();
        assert_eq!(json, "\"cache.valkey.cache.t3.micro.hour\"");
    }
}
