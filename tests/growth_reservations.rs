//! Issue 28, item 4: a 1-year reservation the growth path outgrows before it pays back is named
//! (model, CLI JSON and text), worked by hand from the catalog's published rates.

use bridge_planner::cli::run;
use bridge_planner::model::growth::holdings::{holdings, Reservable};
use bridge_planner::model::growth::{roadmap, Change, Growth};
use bridge_planner::model::{Catalog, Tier};

fn args(a: &[&str]) -> Vec<String> {
    a.iter().map(|s| s.to_string()).collect()
}

#[test]
fn a_cache_node_changed_at_month_2_is_not_worth_reserving() {
    let c = Catalog::embedded();
    let small = Tier::Small.scenario();
    // The path tests/growth.rs works by hand: Small at 15% a month with a loose p95 first
    // changes its cache.t3.micro (Redis OSS) at month 2, for cache memory.
    let g = Growth { monthly_rate: 0.15, horizon_months: 36, p95_ms: 5000.0, ..Growth::default() };
    let r = roadmap(&small, &g, &c);
    let first_cache = r.events.iter().find(|e| matches!(e.what, Change::CacheNode { .. }));
    assert_eq!(first_cache.map(|e| e.month), Some(2));
    // /work/shared/reference/prices/prices.csv, us-east-1, ElastiCache:
    //   cache.t3.micro Redis on-demand $0.017 a node-hour (rateCode
    //   YJHUKPU3DN6YKD58.JRTCKXETXF.6YS6EN2CT7, published 2025-03-14);
    //   cache.t3.micro reserved 1yr No Upfront $0.012 effective hourly (rateCode
    //   YJHUKPU3DN6YKD58.4NA7Y494T4.6YS6EN2CT7, published 2024-10-07).
    // The 12 committed months cost 12 x 0.012 = 0.144 node-hour-dollars a month of hours; on
    // demand pays 0.017 per month used: 0.144 / 0.017 = 8.47 months, so bought at month 0 it
    // pays back at month 9. The path changes it at month 2: no reservation.
    let w = r.outgrown_reservations.iter().find(|w| w.name == "cache.t3.micro");
    let w = w.expect("cache.t3.micro is outgrown");
    assert_eq!(w.kind, Reservable::CacheNode);
    assert_eq!((w.from_month, w.changed_at, w.pays_back_month), (0, 2, 9));
    assert_eq!((w.on_demand_hourly_usd, w.reserved_hourly_usd), (0.017, 0.012));
    assert!((w.break_even_months - 8.470588235294118).abs() < 1e-12);
    assert_eq!(w.rate_code, "YJHUKPU3DN6YKD58.4NA7Y494T4.6YS6EN2CT7");
    assert!(
        w.message.starts_with(
            "No 1-year reservation for cache.t3.micro: the path changes it at month 2; it pays \
             back at month 9 (8.5 months of use"
        ),
        "{}",
        w.message
    );
    // Every run named is shorter than its break-even; every finished run not named of a class
    // or node with a reserved rate ran at least as long (db.t3.micro: 12 x 0.0129 / 0.018 =
    // 8.6 months, rates TGN7QDJF2AGFU9XA.4NA7Y494T4.6YS6EN2CT7 and .JRTCKXETXF.).
    for h in holdings(&r).iter().filter(|h| !h.to_horizon && h.kind != Reservable::Ec2Instance) {
        let named = r.outgrown_reservations.iter().find(|w| w.name == h.name);
        match named.filter(|w| w.from_month == h.from_month) {
            Some(w) => assert!(f64::from(h.months) < w.break_even_months, "{h:?}"),
            None => assert!(h.months >= 8 || h.to_horizon, "{h:?} should be named"),
        }
    }
}

#[test]
fn flat_traffic_outgrows_no_reservation() {
    let c = Catalog::embedded();
    let s = Tier::Medium.scenario();
    let r = roadmap(&s, &Growth::default(), &c);
    assert!(r.events.is_empty());
    assert!(r.outgrown_reservations.is_empty());
}

#[test]
fn the_cli_names_outgrown_reservations_in_json_and_text() {
    let base = ["roadmap", "--tier", "small", "--growth", "0.15", "--months", "24"];
    let json = run(&args(&base)).unwrap();
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let c = Catalog::embedded();
    let small = Tier::Small.scenario();
    let g = Growth { monthly_rate: 0.15, horizon_months: 24, ..Growth::default() };
    let r = roadmap(&small, &g, &c);
    assert!(!r.outgrown_reservations.is_empty());
    let listed = v["reservation_warnings"].as_array().unwrap();
    assert_eq!(listed.len(), r.outgrown_reservations.len());
    for (j, w) in listed.iter().zip(&r.outgrown_reservations) {
        assert_eq!(j["message"], w.message.as_str());
        assert_eq!(j["rate_code"], w.rate_code.as_str());
        assert_eq!(j["changed_at"], w.changed_at);
    }
    let mut text_args = base.to_vec();
    text_args.extend(["--format", "text"]);
    let text = run(&args(&text_args)).unwrap();
    let heading = format!("Reservations outgrown ({})", r.outgrown_reservations.len());
    assert!(text.contains(&heading), "{text}");
    assert!(r.outgrown_reservations.iter().all(|w| text.contains(&w.message)));
}
