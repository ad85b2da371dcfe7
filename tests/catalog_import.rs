//! The shipped catalog is AWS's published prices: `data/catalog.json` is exactly what
//! `scaling-plan catalog import --base data/catalog-base.json data/prices/raw/*.json` produces
//! (the command in README.md), and its regional prices are the rows of the feeds, each with its
//! rate code and publication date.

use bridge_planner::model::catalog::{Catalog, PriceOrigin, EMBEDDED_CATALOG};
use bridge_planner::model::price_key::PriceKey;
use bridge_planner::model::scenario::{Arch, CacheEngine, CdnGeo, StorageType};
use bridge_planner::pricelist;
use std::collections::BTreeMap;
use std::path::PathBuf;

fn repo(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// The raw feed files, in the order the shell's `*.json` lists them.
fn raw_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(repo("data/prices/raw"))
        .expect("data/prices/raw")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

fn imported() -> Catalog {
    let base_text = std::fs::read_to_string(repo("data/catalog-base.json")).unwrap();
    let base = pricelist::parse_base(&base_text).unwrap();
    let files = raw_files()
        .into_iter()
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::File::open(&p).unwrap(),
            )
        })
        .collect();
    pricelist::import(files, &base).unwrap().0
}

#[test]
fn the_shipped_catalog_is_what_the_import_produces() {
    assert_eq!(raw_files().len(), 10, "the ten feed subsets of data/prices/README.md");
    let produced = pricelist::to_json(&imported());
    assert!(
        produced == EMBEDDED_CATALOG,
        "data/catalog.json differs from the import: run `{}`",
        pricelist::SHIPPED_IMPORT
    );
}

#[test]
fn the_ten_regions_of_the_feeds_are_in_the_catalog() {
    let catalog = Catalog::embedded();
    let codes: Vec<&str> = catalog.regions.keys().map(String::as_str).collect();
    assert_eq!(
        codes,
        [
            "ap-northeast-1",
            "ap-south-1",
            "ap-southeast-1",
            "ap-southeast-2",
            "eu-central-1",
            "eu-west-1",
            "sa-east-1",
            "us-east-1",
            "us-east-2",
            "us-west-2"
        ]
    );
}

/// Prices read by hand from the reference rows (prices.csv of the shared reference; the same
/// rows are in data/prices/raw), by rate code: 3 regions x 5 prices, and what the catalog gives.
#[test]
fn regional_prices_are_the_feed_rows() {
    let catalog = Catalog::embedded();
    let none = BTreeMap::new();
    let t3_small = || PriceKey::RdsMultiAzHour("db.t3.small".into());
    let valkey = || PriceKey::CacheHour(CacheEngine::Valkey, "cache.t3.micro".into());
    let cases: [(&str, PriceKey, f64, &str); 15] = [
        // eu-west-1
        (
            "eu-west-1",
            PriceKey::FargateVcpuHour(Arch::X86),
            0.04048,
            "K4EXFQ5YFQCP98EN.JRTCKXETXF.6YS6EN2CT7",
        ),
        ("eu-west-1", t3_small(), 0.078, "CQGCUJ45W27TE8DG.JRTCKXETXF.6YS6EN2CT7"),
        ("eu-west-1", valkey(), 0.0144, "3E2X8KTCW544U6R2.JRTCKXETXF.6YS6EN2CT7"),
        ("eu-west-1", PriceKey::NatHour, 0.048, "KFNSSCHWD43WZK2R.JRTCKXETXF.6YS6EN2CT7"),
        (
            "eu-west-1",
            PriceKey::RdsStorageMultiAzGbMonth(StorageType::Gp3),
            0.254,
            "EAU4ZF82RTWHAEHF.JRTCKXETXF.6YS6EN2CT7",
        ),
        // ap-southeast-1 (new)
        (
            "ap-southeast-1",
            PriceKey::FargateVcpuHour(Arch::X86),
            0.05056,
            "YQWFZ9WNR4X9DUPX.JRTCKXETXF.6YS6EN2CT7",
        ),
        ("ap-southeast-1", t3_small(), 0.112, "T2XFBJRUPRYGTJ4N.JRTCKXETXF.6YS6EN2CT7"),
        ("ap-southeast-1", valkey(), 0.02, "GG4JY793MU3BDDGC.JRTCKXETXF.6YS6EN2CT7"),
        ("ap-southeast-1", PriceKey::NatHour, 0.059, "98TA3WPUP3A4AH4Y.JRTCKXETXF.6YS6EN2CT7"),
        (
            "ap-southeast-1",
            PriceKey::S3StandardGbMonth,
            0.025,
            "M6MTARCQFUQBQ2V3.JRTCKXETXF.PGHJ3S3EYE",
        ),
        // sa-east-1
        (
            "sa-east-1",
            PriceKey::FargateVcpuHour(Arch::X86),
            0.0696,
            "WYZ4CHTNFEXBJ2QA.JRTCKXETXF.6YS6EN2CT7",
        ),
        ("sa-east-1", t3_small(), 0.151, "J9VNVW4DFTSWDFZD.JRTCKXETXF.6YS6EN2CT7"),
        ("sa-east-1", valkey(), 0.0256, "86C2VXRJS8BEPAH6.JRTCKXETXF.6YS6EN2CT7"),
        ("sa-east-1", PriceKey::NatHour, 0.093, "N3JNXFX89DVACZ9Q.JRTCKXETXF.6YS6EN2CT7"),
        (
            "sa-east-1",
            PriceKey::S3StandardGbMonth,
            0.0405,
            "ZNX83R5ZU4NXKACG.JRTCKXETXF.PGHJ3S3EYE",
        ),
    ];
    for (region, key, usd, rate_code) in cases {
        let p = catalog.price(region, &key, &none);
        assert_eq!(p.usd, usd, "{region} {key}");
        assert!(p.confirmed && !p.by_factor, "{region} {key}");
        let origin = catalog.origin(region, &key, &none);
        assert_eq!(origin.rate_code(), Some(rate_code), "{region} {key}");
        assert!(origin.words().starts_with(&format!("AWS price list, {region}, 20")), "{origin:?}");
    }
}

/// Reserved 1 year No Upfront rates, Multi-AZ from their own rows (prices.csv: "db.t3.small
/// Multi-AZ reserved 1yr No Upfront (effective hourly)").
#[test]
fn reserved_rates_are_the_feed_rows() {
    let catalog = Catalog::embedded();
    let key = PriceKey::RdsMultiAzHour("db.t3.small".into());
    for (region, usd, rate_code) in [
        ("eu-west-1", 0.0532, "CQGCUJ45W27TE8DG.4NA7Y494T4.6YS6EN2CT7"),
        ("ap-southeast-1", 0.0882, "T2XFBJRUPRYGTJ4N.4NA7Y494T4.6YS6EN2CT7"),
        ("sa-east-1", 0.0935, "J9VNVW4DFTSWDFZD.4NA7Y494T4.6YS6EN2CT7"),
    ] {
        let (rate, estimated) = catalog.reserved(region, &key).expect(region);
        assert_eq!((rate.usd, rate.rate_code.as_str(), estimated), (usd, rate_code, false));
    }
    // Valkey: the feed does not split reserved nodes by engine, so the rate is the Redis row's
    // and says it is an estimate.
    let valkey = PriceKey::CacheHour(CacheEngine::Valkey, "cache.t3.micro".into());
    assert!(catalog.reserved("us-east-1", &valkey).unwrap().1);
}

/// What the feeds lack stays an estimate, and says so: ALB, Secrets Manager, ECR, and db.m7g in
/// sa-east-1 (not offered there in the feed).
#[test]
fn what_the_feeds_lack_is_estimated_visibly() {
    let catalog = Catalog::embedded();
    let none = BTreeMap::new();
    for key in [
        PriceKey::AlbHour,
        PriceKey::AlbLcuHour,
        PriceKey::SecretsSecretMonth,
        PriceKey::EcrStorageGbMonth,
        PriceKey::RdsHour("db.m7g.large".into()),
    ] {
        let p = catalog.price("sa-east-1", &key, &none);
        assert!(p.by_factor, "{key}");
        let words = catalog.origin("sa-east-1", &key, &none).words();
        assert!(words.starts_with("estimated for sa-east-1 from the us-east-1 price"), "{words}");
    }
    // CloudFront requests by edge geography are the feed's (global, not by region).
    let https = catalog.prices[&PriceKey::CloudFrontHttps10k(CdnGeo::SouthAmerica).key()].clone();
    assert!(https.confirmed && https.source.contains("rate code"), "{https:?}");
}

/// No price of a catalog region comes from the factor where the feeds have the region's row.
#[test]
fn nothing_is_priced_by_factor_where_the_feed_has_a_row() {
    let catalog = Catalog::embedded();
    let none = BTreeMap::new();
    let mut checked = 0;
    for (code, region) in &catalog.regions {
        for name in catalog.prices.keys() {
            let key = PriceKey::parse(name).unwrap();
            let p = catalog.price(code, &key, &none);
            if region.listed.contains_key(name) {
                checked += 1;
                assert!(!p.by_factor && p.confirmed, "{code} {name}");
                assert_eq!(p.usd, region.listed[name].usd, "{code} {name}");
            }
        }
    }
    // 68 feed prices in each of nine regions, 64 in sa-east-1 (no db.m7g there).
    assert_eq!(checked, 9 * 68 + 64);
}

#[test]
fn unconfirmed_only_where_no_aws_row_exists() {
    // Every price still unconfirmed is one the feeds lack (kept in data/catalog-base.json).
    let catalog = Catalog::embedded();
    let base_text = std::fs::read_to_string(repo("data/catalog-base.json")).unwrap();
    let base = pricelist::parse_base(&base_text).unwrap();
    for (name, p) in &catalog.prices {
        if !p.confirmed {
            assert!(base.prices.contains_key(name), "{name} unconfirmed but not hand-kept");
        }
    }
    assert!(matches!(
        catalog.origin("us-east-1", &PriceKey::RdsHour("db.t3.micro".into()), &BTreeMap::new()),
        PriceOrigin::Listed { .. }
    ));
}

mod plans {
    use super::*;
    use bridge_planner::model::plan::{plan, Component};
    use bridge_planner::model::presets::Tier;
    use bridge_planner::model::scenario::LaunchType;
    use proptest::prelude::*;

    fn line<'a>(
        p: &'a bridge_planner::model::Plan,
        key: &str,
    ) -> &'a bridge_planner::model::plan::CostLine {
        p.cost_lines.iter().find(|l| l.price_key.key() == key).unwrap_or_else(|| panic!("{key}"))
    }

    /// Medium tier (db.t3.small Multi-AZ + 1 replica, 50 GB gp3, cache.t3.small Redis x 2,
    /// NAT in 2 AZs) in three regions, line by line from the reference rows (prices.csv; the
    /// rate code is on the line):
    /// * eu-west-1: db.t3.small Multi-AZ $0.078 (CQGCUJ45W27TE8DG.JRTCKXETXF.6YS6EN2CT7) x 730
    ///   = $56.94; gp3 Multi-AZ $0.254 (EAU4ZF82RTWHAEHF) x 50 = $12.70; NAT $0.048
    ///   (KFNSSCHWD43WZK2R) x 1460 = $70.08;
    /// * ap-southeast-1: db.t3.small Multi-AZ $0.112 (T2XFBJRUPRYGTJ4N) x 730 = $81.76; gp3
    ///   Multi-AZ $0.276 (BGF4DVRTWCBBXHUW) x 50 = $13.80; NAT $0.059 (98TA3WPUP3A4AH4Y) x 1460
    ///   = $86.14;
    /// * sa-east-1: db.t3.small Multi-AZ $0.151 (J9VNVW4DFTSWDFZD) x 730 = $110.23; gp3
    ///   Multi-AZ $0.438 (76QZ3RFK75ZTYQZE) x 50 = $21.90; NAT $0.093 (N3JNXFX89DVACZ9Q) x 1460
    ///   = $135.78.
    /// Plus the Fargate vCPU unit price and the S3 storage unit price of each region (rows in
    /// `regional_prices_are_the_feed_rows`).
    #[test]
    fn medium_in_three_regions_worked_by_hand() {
        let catalog = Catalog::embedded();
        let cases = [
            (
                "eu-west-1",
                56.94,
                "CQGCUJ45W27TE8DG",
                12.70,
                "EAU4ZF82RTWHAEHF",
                70.08,
                "KFNSSCHWD43WZK2R",
                0.04048,
                0.023,
            ),
            (
                "ap-southeast-1",
                81.76,
                "T2XFBJRUPRYGTJ4N",
                13.80,
                "BGF4DVRTWCBBXHUW",
                86.14,
                "98TA3WPUP3A4AH4Y",
                0.05056,
                0.025,
            ),
            (
                "sa-east-1",
                110.23,
                "J9VNVW4DFTSWDFZD",
                21.90,
                "76QZ3RFK75ZTYQZE",
                135.78,
                "N3JNXFX89DVACZ9Q",
                0.0696,
                0.0405,
            ),
        ];
        let cents = |x: f64| (x * 100.0).round() / 100.0;
        for (region, db, db_sku, storage, storage_sku, nat, nat_sku, vcpu, s3) in cases {
            let mut s = Tier::Medium.scenario();
            s.region = region.into();
            let p = plan(&s, &catalog);
            let l = line(&p, "rds.multi_az.db.t3.small.hour");
            assert_eq!(
                (cents(l.monthly_usd), l.source.as_str()),
                (db, &*format!("AWS price list, {region}, 2024-09"))
            );
            assert!(l.rate_code.as_deref().unwrap().starts_with(db_sku));
            let l = line(&p, "rds.storage_multi_az.gp3.gb_month");
            assert_eq!(cents(l.monthly_usd), storage, "{region}");
            assert!(l.rate_code.as_deref().unwrap().starts_with(storage_sku));
            let l = line(&p, "nat.hour");
            assert_eq!(cents(l.monthly_usd), nat, "{region}");
            assert!(l.rate_code.as_deref().unwrap().starts_with(nat_sku));
            assert_eq!(line(&p, "fargate.x86.vcpu_hour").unit_price_usd, vcpu, "{region}");
            assert_eq!(line(&p, "s3.standard.gb_month").unit_price_usd, s3, "{region}");
            assert!(p
                .cost_lines
                .iter()
                .filter(|l| l.component == Component::Database)
                .all(|l| !l.regional_factor));
        }
    }

    fn regions() -> Vec<String> {
        Catalog::embedded().regions.keys().cloned().collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        /// No line of a plan in a catalog region is priced by factor where the region has the
        /// feed's row; a line priced by factor says so in words.
        #[test]
        fn no_line_is_priced_by_factor_where_the_feed_has_a_row(
            region in prop::sample::select(regions()),
            tier in prop::sample::select(Tier::ALL.to_vec()),
            multi_az: bool,
            valkey: bool,
            arm: bool,
            ec2: bool,
            class in prop::sample::select(Catalog::embedded().rds_classes.keys().cloned().collect::<Vec<_>>()),
        ) {
            use bridge_planner::model::scenario::{Arch, CacheEngine};
            let catalog = Catalog::embedded();
            let mut s = tier.scenario();
            s.region = region.clone();
            s.database.multi_az = multi_az;
            s.database.class = class;
            s.cache.engine = if valkey { CacheEngine::Valkey } else { CacheEngine::Redis };
            s.backend.arch = if arm { Arch::Arm } else { Arch::X86 };
            if ec2 {
                s.backend.launch_type = LaunchType::Ec2;
            }
            let p = plan(&s, &catalog);
            let listed = &catalog.regions[&region].listed;
            for l in &p.cost_lines {
                let key = l.price_key.key();
                if listed.contains_key(&key) {
                    prop_assert!(!l.regional_factor, "{region} {key} priced by factor");
                    prop_assert_eq!(l.unit_price_usd, listed[&key].usd);
                }
                if l.regional_factor {
                    let words = format!("estimated for {region} from the us-east-1 price");
                    prop_assert!(l.source.starts_with(&words), "{}", l.source);
                }
            }
        }
    }
}
