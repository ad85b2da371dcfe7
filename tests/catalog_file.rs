//! Loading a catalog file in the app (`model::catalog_file`): the file `scaling-plan catalog
//! import --out` writes is read, described ("Prices: … loaded from file, as of …, N regions"),
//! and prices the plan; a bad file is refused with a message naming it, and the caller keeps
//! its catalog.

use bridge_planner::model::catalog_file::{
    display_name, load_catalog_file, CatalogInUse, CatalogOrigin, MAX_CATALOG_BYTES,
};
use bridge_planner::model::{plan, Catalog, Tier};
use bridge_planner::pricelist::{import, to_json};

/// The fixture Price List files imported, as `catalog import --out` writes them.
fn imported_text() -> String {
    let files =
        ["AmazonECS-eu-west-1.json", "AmazonECS-sa-east-1.json", "AmazonRDS-eu-west-1.json"]
            .iter()
            .map(|f| {
                (
                    f.to_string(),
                    std::fs::File::open(format!("tests/fixtures/pricelist/{f}")).unwrap(),
                )
            })
            .collect();
    to_json(&import(files, &Catalog::embedded()).unwrap().0)
}

#[test]
fn the_built_in_catalog_says_so() {
    let info = CatalogInUse::built_in(&Catalog::embedded());
    // The newest publication date of the AWS feeds it is produced from (VPC, 2025-11-04).
    assert_eq!(info.describe(), "Prices: built-in catalog, 2025-11-04");
    assert!(info.is_built_in());
    assert!(info.share_note().contains("recipient prices it with the catalog their planner uses"));
}

#[test]
fn an_imported_file_is_described_and_prices_the_plan() {
    let mut s = Tier::Medium.scenario();
    s.region = "eu-west-1".into();
    let (c, info) = load_catalog_file("catalog.json", &imported_text(), &s).unwrap();
    // The built-in catalog's 10 regions, each with AWS's published prices; the fixtures'
    // are the newest (2026-11-20).
    assert_eq!(
        info.describe(),
        "Prices: catalog.json loaded from file, as of 2026-11-20, 10 regions (10 from the AWS \
            Price List)"
    );
    assert_eq!(info.origin, CatalogOrigin::File("catalog.json".into()));
    assert!(info.share_note().contains("not your catalog.json"));
    // The fixtures' Price List offer files and the built-in catalog's pricing feeds are two
    // copies of AWS's eu-west-1 prices: the plans agree to the cent.
    let built_in = plan(&s, &Catalog::embedded()).monthly_total_usd;
    let from_file = plan(&s, &c).monthly_total_usd;
    assert!((built_in - from_file).abs() < 0.005, "{built_in} vs {from_file}");
    // And the file is what prices the plan: a price it changes changes the plan.
    let mut changed = c.clone();
    changed
        .regions
        .get_mut("eu-west-1")
        .unwrap()
        .listed
        .get_mut("fargate.x86.vcpu_hour")
        .unwrap()
        .usd = 0.05;
    assert!(plan(&s, &changed).monthly_total_usd > from_file + 1.0);
}

#[test]
fn bad_files_are_refused_with_their_name() {
    let s = Tier::Medium.scenario();
    let err = |text: &str| load_catalog_file("prices.json", text, &s).unwrap_err().to_string();
    assert_eq!(err(""), "prices.json is empty");
    assert!(err("{not json").starts_with("prices.json is not a planner catalog: catalog: at `"));
    // A scenario file is not a catalog.
    let scenario = bridge_planner::model::share::encode_file(&s);
    assert!(
        err(&scenario).starts_with("prices.json is not a planner catalog"),
        "{}",
        err(&scenario)
    );
    // A negative price fails the catalog's own checks, naming the price.
    let text = imported_text().replacen("\"usd\": 0.04048", "\"usd\": -1.0", 1);
    assert_eq!(
        err(&text),
        "prices.json is not a planner catalog: catalog: price `fargate.x86.vcpu_hour` must be a \
            number from 0 to 10000, got -1"
    );
    // Too large: refused before parsing.
    let big = " ".repeat(MAX_CATALOG_BYTES + 1);
    assert_eq!(err(&big), "prices.json is 21.0 MB; a catalog file is at most 20 MB");
}

#[test]
fn a_catalog_the_scenario_does_not_fit_is_refused() {
    let mut s = Tier::Medium.scenario();
    s.region = "eu-west-1".into();
    let mut c: serde_json::Value = serde_json::from_str(&imported_text()).unwrap();
    c["regions"].as_object_mut().unwrap().remove("eu-west-1");
    let message = load_catalog_file("old.json", &c.to_string(), &s).unwrap_err().to_string();
    assert!(
        message.starts_with("old.json does not fit the current scenario (region: "),
        "{message}"
    );
}

#[test]
fn file_names_are_shown_safely() {
    assert_eq!(display_name("a\u{7}b\nc.json"), "abc.json");
    assert_eq!(display_name("\n"), "catalog file");
    assert_eq!(display_name(&"x".repeat(200)).len(), 80);
}
