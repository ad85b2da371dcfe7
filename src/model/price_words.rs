//! Prices as a reader sees them: where each price comes from in words ("AWS price list,
//! eu-west-1, 2025-10" rather than the catalog's "PL, 3P"), the regions in price order, the
//! instance classes at the region's prices with the user's overrides, and the CloudFront
//! viewer geography that matches a region. Read from the catalog's data only, so a catalog
//! whose source fields change (a Price List import) is described by the same rules.

use super::catalog::Catalog;
use super::price_key::PriceKey;
use super::scenario::CdnGeo;
use std::collections::BTreeMap;

/// The catalog's source abbreviations in words: "PL" is the AWS Price List, "AWS" an AWS
/// pricing page, "3P" a third-party copy of AWS's price table.
pub fn source_words(source: &str) -> String {
    let words: Vec<String> = source
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|part| match part {
            "PL" => "AWS price list".to_string(),
            "AWS" => "AWS pricing page".to_string(),
            "3P" => "a third-party copy of AWS's prices".to_string(),
            "best value" | "recalled" => "an estimate".to_string(),
            other => other.to_string(),
        })
        .collect();
    if words.is_empty() {
        "the catalog".into()
    } else {
        words.join(" and ")
    }
}

/// Where the price of `key` in `region` comes from, in words, as `Catalog::price` resolves it
/// (`Catalog::origin`): the user's override, the region's AWS price list row, the catalog's own
/// source and date, or an estimate from the us-east-1 price by the region's factor.
pub fn price_source(
    catalog: &Catalog,
    region: &str,
    key: &PriceKey,
    overrides: &BTreeMap<PriceKey, f64>,
) -> String {
    catalog.origin(region, key, overrides).words()
}

/// The catalog's regions, cheapest first: by the factor on us-east-1 prices, then by code.
pub fn regions_cheapest_first(catalog: &Catalog) -> Vec<(String, String, f64)> {
    let mut out: Vec<(String, String, f64)> =
        catalog.regions.iter().map(|(k, r)| (k.clone(), r.name.clone(), r.factor)).collect();
    out.sort_by(|a, b| a.2.total_cmp(&b.2).then_with(|| a.0.cmp(&b.0)));
    out
}

/// Instance classes (RDS, ElastiCache, EC2) at the region's hourly prices with the user's
/// overrides, cheapest first: what the choice lists show and step through.
pub fn classes_at_region<T>(
    catalog: &Catalog,
    classes: &BTreeMap<String, T>,
    price: impl Fn(String) -> PriceKey,
    region: &str,
    overrides: &BTreeMap<PriceKey, f64>,
) -> Vec<(String, f64)> {
    let mut out: Vec<(String, f64)> = classes
        .keys()
        .map(|k| (k.clone(), catalog.price(region, &price(k.clone()), overrides).usd))
        .collect();
    out.sort_by(|a, b| a.1.total_cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
    out
}

/// The CloudFront viewer geography of the people near a region (none for a region whose
/// viewers no single geography covers, e.g. Singapore).
pub fn viewers_near(region: &str) -> Option<CdnGeo> {
    let starts = |p: &str| region.starts_with(p);
    if starts("us-") || starts("ca-") {
        Some(CdnGeo::Us)
    } else if starts("eu-") || starts("il-") {
        Some(CdnGeo::Europe)
    } else if starts("ap-northeast-1") || starts("ap-northeast-3") {
        Some(CdnGeo::Japan)
    } else if starts("ap-southeast-2") || starts("ap-southeast-4") {
        Some(CdnGeo::Australia)
    } else if starts("sa-") {
        Some(CdnGeo::SouthAmerica)
    } else if starts("ap-south-") {
        Some(CdnGeo::India)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_in_words() {
        let c = Catalog::embedded();
        let none = BTreeMap::new();
        let vcpu = PriceKey::FargateVcpuHour(crate::model::scenario::Arch::X86);
        // data/catalog.json: us-east-1's Fargate vCPU row of the ECS feed, published 2025-10-27.
        assert_eq!(
            price_source(&c, "us-east-1", &vcpu, &none),
            "AWS price list, us-east-1, 2025-10"
        );
        // The ALB hour is in no feed: sa-east-1's is the us-east-1 price x the region's factor.
        let alb = price_source(&c, "sa-east-1", &PriceKey::AlbHour, &none);
        assert!(alb.starts_with("estimated for sa-east-1 from the us-east-1 price (x "), "{alb}");
        let mut mine = BTreeMap::new();
        mine.insert(vcpu.clone(), 0.05);
        assert_eq!(price_source(&c, "eu-west-1", &vcpu, &mine), "your price");
        for region in c.regions.keys() {
            assert!(!price_source(&c, region, &vcpu, &none).contains("PL"), "{region}");
        }
        assert_eq!(source_words("PL, 3P"), "AWS price list and a third-party copy of AWS's prices");
    }

    #[test]
    fn a_listed_price_names_its_region_and_month() {
        let mut c = Catalog::embedded();
        let key = PriceKey::AlbHour;
        let r = c.regions.get_mut("eu-west-1").unwrap();
        r.listed.insert(
            key.key(),
            crate::model::catalog::ListedPrice {
                usd: 0.0252,
                offer: "AWSELB.json".into(),
                published: "2025-10-01T00:00:00Z".into(),
                sku: "X".into(),
                rate_code: String::new(),
            },
        );
        assert_eq!(
            price_source(&c, "eu-west-1", &key, &BTreeMap::new()),
            "AWS price list, eu-west-1, 2025-10"
        );
    }

    #[test]
    fn regions_step_cheapest_first_and_classes_follow_the_region() {
        let c = Catalog::embedded();
        let regions = regions_cheapest_first(&c);
        assert!(regions.windows(2).all(|w| w[0].2 <= w[1].2));
        // us-east-1 is among the cheapest (eu-west-1's measured factor is 1.00 too).
        assert_eq!(regions[0].2, 1.0);
        assert!(regions.iter().take_while(|r| r.2 == 1.0).any(|r| r.0 == "us-east-1"));
        let none = BTreeMap::new();
        let us = classes_at_region(&c, &c.rds_classes, PriceKey::RdsHour, "us-east-1", &none);
        let sp = classes_at_region(&c, &c.rds_classes, PriceKey::RdsHour, "sa-east-1", &none);
        let small = |v: &[(String, f64)]| v.iter().find(|x| x.0 == "db.t3.small").unwrap().1;
        assert!(small(&sp) > small(&us));
        let mut mine = BTreeMap::new();
        mine.insert(PriceKey::RdsHour("db.t3.small".into()), 0.001);
        let cheap = classes_at_region(&c, &c.rds_classes, PriceKey::RdsHour, "us-east-1", &mine);
        assert_eq!(cheap[0], ("db.t3.small".to_string(), 0.001));
        assert_eq!(viewers_near("eu-west-1"), Some(CdnGeo::Europe));
        assert_eq!(viewers_near("ap-southeast-1"), None);
    }

    /// The class list's price of the scenario's class is the plan's primary line, Multi-AZ
    /// (its own row since the feed catalog) or not, with an override of that row: the page's
    /// DB list names its key with `PriceKey::rds_primary_hour` as the plan does.
    #[test]
    fn the_class_list_shows_the_price_the_primary_line_charges() {
        use crate::model::plan::LineKind;
        let c = Catalog::embedded();
        for multi_az in [true, false] {
            for region in ["us-east-1", "sa-east-1"] {
                let mut s = crate::model::Tier::Medium.scenario();
                (s.region, s.database.multi_az) = (region.to_string(), multi_az);
                let key = PriceKey::rds_primary_hour(s.database.class.clone(), multi_az);
                for over in [None, Some(0.5)] {
                    if let Some(usd) = over {
                        s.price_overrides.insert(key.clone(), usd);
                    }
                    let by_key = |k: String| PriceKey::rds_primary_hour(k, multi_az);
                    let list =
                        classes_at_region(&c, &c.rds_classes, by_key, region, &s.price_overrides);
                    let shown = list.iter().find(|x| x.0 == s.database.class).unwrap().1;
                    let p = crate::model::plan(&s, &c);
                    let line = p.cost_lines.iter().find(|l| l.kind == LineKind::RdsPrimary);
                    let line = line.unwrap();
                    assert_eq!(line.price_key, key, "{region} {multi_az}");
                    assert_eq!(shown, line.unit_price_usd, "{region} {multi_az} {over:?}");
                    if let Some(usd) = over {
                        assert_eq!(shown, usd);
                    }
                }
            }
        }
    }
}
