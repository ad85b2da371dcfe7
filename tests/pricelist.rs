//! `scaling-plan catalog import` on small Price List files in AWS's documented formats
//! (tests/fixtures/pricelist): which SKUs become which prices, which are ignored, the source
//! of every price, and plans priced with the result.

use bridge_planner::cli::{run, CliError};
use bridge_planner::model::{plan, Catalog, Component, Tier};
use bridge_planner::pricelist::{import, to_json, ImportReport};

const DIR: &str = "tests/fixtures/pricelist";
const FILES: [&str; 9] = [
    "AmazonECS-us-east-1.json",
    "AmazonECS-eu-west-1.json",
    "AmazonECS-sa-east-1.json",
    "AmazonEC2-eu-west-1.get-products.json",
    "AmazonRDS-eu-west-1.json",
    "AmazonElastiCache-eu-west-1.json",
    "AWSDataTransfer-eu-west-1.json",
    "AmazonCloudFront.json",
    "AmazonVPC-eu-west-1.json",
];

fn imported() -> (Catalog, ImportReport) {
    let files = FILES
        .iter()
        .map(|f| (f.to_string(), std::fs::File::open(format!("{DIR}/{f}")).unwrap()))
        .collect();
    import(files, &Catalog::embedded()).unwrap()
}

fn cents(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

#[test]
fn each_matching_sku_becomes_a_regional_price_with_its_source() {
    let (c, report) = imported();
    // us-east-1: Fargate x86 and ARM vCPU and GB, ephemeral storage (5); Windows and Spot
    // Fargate SKUs ignored. sa-east-1: x86 vCPU and GB (2); Windows and Spot ignored.
    // eu-west-1: Fargate 2, EC2 t3.small + gp3 + NAT hour + NAT GB (4), RDS db.t3.micro +
    // gp3 + backup (3), cache.t3.micro Redis + Valkey (2), egress 4 tiers, public IPv4 (1) = 16.
    assert_eq!(report.listed.get("us-east-1"), Some(&5));
    assert_eq!(report.listed.get("sa-east-1"), Some(&2));
    assert_eq!(report.listed.get("eu-west-1"), Some(&16));
    // CloudFront: US transfer tiers and US HTTPS requests (global).
    assert_eq!(report.global, 2);
    assert!(report.conflicts.is_empty() && report.skipped.is_empty(), "{report:?}");
    let eu = &c.regions["eu-west-1"];
    let t3 = &eu.listed["ec2.t3.small.hour"];
    assert_eq!(
        (t3.usd, t3.sku.as_str(), t3.published.as_str()),
        (0.0228, "EC2EUT3SMALLLINUX", "2026-11-20T00:00:00Z")
    );
    assert_eq!(t3.offer, "AmazonEC2-eu-west-1.get-products.json (aws pricing get-products)");
    let rds = &eu.listed["rds.db.t3.micro.hour"];
    assert_eq!((rds.usd, rds.sku.as_str()), (0.02, "RDSEUPGMICRO"));
    assert_eq!(rds.offer, "AmazonRDS-eu-west-1.json (AmazonRDS offer file)");
    assert_eq!(eu.listed["cache.cache.t3.micro.hour"].usd, 0.018);
    assert_eq!(eu.listed["cache.valkey.cache.t3.micro.hour"].usd, 0.0144);
    assert_eq!(eu.listed["rds.storage.gp3.gb_month"].usd, 0.127);
    let tiers: Vec<f64> =
        (1..=4).map(|t| eu.listed[&format!("egress.internet.gb.t{t}")].usd).collect();
    assert_eq!(tiers, vec![0.09, 0.085, 0.07, 0.05]);
    assert_eq!(c.regions["sa-east-1"].listed["fargate.x86.vcpu_hour"].usd, 0.0696);
    // Per request in the Price List, per 10,000 in the catalog: 0.000001 x 10,000 = $0.01.
    let https = &c.prices["cloudfront.https_10k.us"];
    assert!((https.usd - 0.01).abs() < 1e-12 && https.source.contains("CFUSHTTPS"), "{https:?}");
}

#[test]
fn skus_of_other_terms_engines_systems_and_usage_types_are_ignored() {
    let (c, _) = imported();
    let eu = &c.regions["eu-west-1"];
    // Reserved terms ($0.0141 t3.small, $0.012 db.t3.micro), Windows ($0.0412), RHEL, SQL
    // Server, dedicated, capacity reservations; MySQL ($0.019) and Multi-AZ ($0.04, $0.254);
    // Memcached; gp2 volumes; inbound transfer; HTTP requests; idle addresses ($0.0051).
    let all: Vec<f64> = c.regions.values().flat_map(|r| r.listed.values().map(|p| p.usd)).collect();
    for ignored in [
        0.0141, 0.012, 0.0412, 0.0828, 0.4, 0.0251, 0.019, 0.04, 0.254, 0.11, 0.0051, 0.09148,
        0.01294,
    ] {
        assert!(!all.contains(&ignored), "{ignored} was imported");
    }
    assert!(!eu.listed.contains_key("rds.storage.gp2.gb_month"));
    assert_eq!(eu.listed["ipv4.public.hour"].sku, "VPCEUIPV4");
}

#[test]
fn plans_use_the_regions_own_prices_and_mark_the_rest() {
    let (c, _) = imported();
    // Medium in eu-west-1: Fargate costs what it costs in us-east-1 (the Price List says so):
    // 2.9847 simulated tasks x (0.5 x 0.04048 + 1 x 0.004445) x 730 = $53.78, where the 1.10
    // factor said $59.16.
    let mut s = Tier::Medium.scenario();
    s.region = "eu-west-1".into();
    let p = plan(&s, &c);
    assert_eq!(cents(p.component_total(Component::Compute)), 53.78);
    assert!(p
        .cost_lines
        .iter()
        .filter(|l| l.component == Component::Compute)
        .all(|l| !l.regional_factor && l.confirmed));
    // Prices the files lack still come from us-east-1 x 1.10, marked.
    let alb = p.cost_lines.iter().find(|l| l.price_key.key() == "alb.hour").unwrap();
    assert!(alb.regional_factor && (alb.unit_price_usd - 0.0225 * 1.10).abs() < 1e-12);
    // Small in sa-east-1: 2 tasks x (0.25 x 0.0696 + 0.5 x 0.0076) x 730 = $30.95 (1.72x
    // us-east-1's $18.02), where the 1.55 factor said $27.93.
    let mut s = Tier::Small.scenario();
    s.region = "sa-east-1".into();
    assert_eq!(cents(plan(&s, &c).component_total(Component::Compute)), 30.95);
    assert_eq!(cents(2.0 * (0.25 * 0.0696 + 0.5 * 0.0076) * 730.0), 30.95);
}

#[test]
fn the_written_catalog_reads_back_the_same() {
    let (c, _) = imported();
    assert_eq!(Catalog::from_json(&to_json(&c)).unwrap(), c);
}

#[test]
fn terms_before_products_and_bad_files() {
    // An offer file whose terms come first is read the same.
    let text = r#"{"offerCode":"AmazonVPC","publicationDate":"2026-11-20T00:00:00Z",
      "terms":{"OnDemand":{"S1":{"S1.JRTCKXETXF":{"priceDimensions":{"S1.JRTCKXETXF.6YS6EN2CT7":{"beginRange":"0","endRange":"Inf","unit":"Hrs","pricePerUnit":{"USD":"0.0060000000"}}}}}},
                "Reserved":{"S1":{"x":{"priceDimensions":{}}}}},
      "products":{"S1":{"sku":"S1","attributes":{"usagetype":"APN1-PublicIPv4:InUseAddress","regionCode":"ap-northeast-1","location":"Asia Pacific (Tokyo)"}}}}"#;
    let (c, report) =
        import(vec![("vpc.json".to_string(), text.as_bytes())], &Catalog::embedded()).unwrap();
    assert_eq!(report.listed.get("ap-northeast-1"), Some(&1));
    assert_eq!(c.regions["ap-northeast-1"].listed["ipv4.public.hour"].usd, 0.006);
    // A region the catalog does not know is added, factor 1 and unconfirmed for what it lacks.
    let text = text.replace("ap-northeast-1", "ap-south-2");
    let (c, _) =
        import(vec![("vpc.json".to_string(), text.as_bytes())], &Catalog::embedded()).unwrap();
    let added = &c.regions["ap-south-2"];
    assert_eq!(
        (added.factor, added.confirmed, added.name.as_str()),
        (1.0, false, "Asia Pacific (Tokyo)")
    );
    // Not a Price List file, and broken JSON: the error names the file.
    let err =
        import(vec![("notes.json".to_string(), &b"{\"hello\": 1}"[..])], &Catalog::embedded())
            .unwrap_err();
    assert!(err.starts_with("notes.json:") && err.contains("PriceList"), "{err}");
    let err =
        import(vec![("cut.json".to_string(), &b"{\"products\": {"[..])], &Catalog::embedded())
            .unwrap_err();
    assert!(err.starts_with("cut.json:"), "{err}");
}

#[test]
fn conflicting_skus_keep_the_first_by_name() {
    let text = r#"{"offerCode":"AmazonVPC","publicationDate":"p","products":{
        "B":{"sku":"B","attributes":{"usagetype":"EU-PublicIPv4:InUseAddress","regionCode":"eu-west-1"}},
        "A":{"sku":"A","attributes":{"usagetype":"EU-PublicIPv4:InUseAddress","regionCode":"eu-west-1"}}},
      "terms":{"OnDemand":{
        "A":{"t":{"priceDimensions":{"d":{"pricePerUnit":{"USD":"0.005"}}}}},
        "B":{"t":{"priceDimensions":{"d":{"pricePerUnit":{"USD":"0.007"}}}}}}}}"#;
    let (c, report) =
        import(vec![("vpc.json".to_string(), text.as_bytes())], &Catalog::embedded()).unwrap();
    assert_eq!(c.regions["eu-west-1"].listed["ipv4.public.hour"].sku, "A");
    assert_eq!(report.conflicts.len(), 1, "{report:?}");
}

#[test]
fn the_cli_imports_and_prices_with_the_result() {
    let dir = std::env::temp_dir().join(format!("pricelist-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("catalog.json").display().to_string();
    let mut args: Vec<String> = vec!["catalog".into(), "import".into()];
    args.extend(FILES.iter().map(|f| format!("{DIR}/{f}")));
    args.extend(["--out".into(), out.clone()]);
    let summary = run(&args).unwrap();
    assert!(summary.contains("eu-west-1: 16 prices"), "{summary}");
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    let json = run(&s(&["plan", "--tier", "small", "--catalog", &out])).unwrap();
    assert!(json.contains("\"regional_factor\""));
    assert!(run(&s(&["optimize", "--tier", "small", "--catalog", &out])).is_ok());
    // Missing catalog: exit 1; a file that is no catalog: exit 2; the flag on `scenario`: 2.
    let missing = run(&s(&["plan", "--tier", "small", "--catalog", "/nonexistent/catalog.json"]))
        .unwrap_err();
    assert_eq!(missing.exit_code(), 1);
    let bad = run(&s(&[
        "plan",
        "--tier",
        "small",
        "--catalog",
        &format!("{DIR}/AmazonVPC-eu-west-1.json"),
    ]))
    .unwrap_err();
    assert!(matches!(bad, CliError::BadInput(_)) && bad.exit_code() == 2, "{bad}");
    assert_eq!(
        run(&s(&["scenario", "--tier", "small", "--catalog", &out])).unwrap_err().exit_code(),
        2
    );
    assert_eq!(run(&s(&["catalog", "import"])).unwrap_err().exit_code(), 2);
    assert_eq!(
        run(&s(&["catalog", "import", "/nonexistent.json", "--out", &out]))
            .unwrap_err()
            .exit_code(),
        1
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
