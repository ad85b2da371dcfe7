//! Commitments: the Savings Plan sized on the simulated fleet (checked against a brute-force
//! scan), reserved rates of the always-on nodes, and the bill below the list total.

use bridge_planner::model::catalog::Catalog;
use bridge_planner::model::commit::*;
use bridge_planner::model::plan::plan;
use bridge_planner::model::presets::Tier;
use bridge_planner::model::simulate;
use proptest::prelude::*;

/// The least cost of a fine scan of commitments from 0 to the busiest hour (and every hour's
/// own spend): what the optimiser must match.
fn brute_force(hourly: &[f64], ratio: f64, scale: f64) -> f64 {
    let top = hourly.iter().fold(0.0_f64, |m, o| m.max(o * ratio));
    let mut best = f64::INFINITY;
    for i in 0..=2000 {
        let c = top * i as f64 / 2000.0;
        best = best.min(savings_plan_cost(hourly, ratio, scale, c));
    }
    for o in hourly {
        best = best.min(savings_plan_cost(hourly, ratio, scale, o * ratio));
    }
    best
}

proptest! {
    #[test]
    fn the_optimum_is_the_least_cost_of_a_brute_force_scan(
        hourly in prop::collection::vec(0.0f64..50.0, 1..200),
        ratio in 0.3f64..1.0,
    ) {
        let scale = 730.0 / hourly.len() as f64;
        let c = optimal_commitment(&hourly, ratio, scale);
        let cost = savings_plan_cost(&hourly, ratio, scale, c);
        let best = brute_force(&hourly, ratio, scale);
        prop_assert!(cost <= best + 1e-6, "optimum {c}: {cost} > scan {best}");
        let plan = size_savings_plan(&hourly, ratio, scale, 1);
        // Never dearer than on-demand: no commitment is one of the candidates.
        prop_assert!(plan.monthly_cost_usd <= plan.monthly_on_demand_usd + 1e-9);
        prop_assert!(plan.monthly_saving_usd >= 0.0);
        let curve_min = plan.curve.iter().map(|p| p.monthly_cost_usd).fold(f64::INFINITY, f64::min);
        prop_assert!(plan.monthly_cost_usd <= curve_min + 1e-6);
    }
}

/// Worked by hand: 24 hours, 12 at $10/h and 12 at $2/h on-demand; plan rates at 0.8 of
/// on-demand (the 1-year x86 ratio: $0.032384 / $0.04048 per vCPU-hour, prices.csv SECONDARY
/// rows). A commitment of $8/h (= 10 x 0.8) covers the busy hours fully and pays $8 in the
/// quiet ones for $1.60 of use: 24 x 8 = $192 a day against 12 x 10 + 12 x 2 = $144 on-demand:
/// dearer. At $1.60/h (the quiet hours' spend at plan rates): 24 x 1.6 + 12 x (8 - 1.6) / 0.8
/// = 38.4 + 96 = $134.40 a day: the optimum; used every hour, so utilisation 100%.
#[test]
fn a_two_level_day_worked_by_hand() {
    let mut hourly = vec![10.0; 12];
    hourly.extend(vec![2.0; 12]);
    let c = optimal_commitment(&hourly, 0.8, 1.0);
    assert!((c - 1.6).abs() < 1e-12, "{c}");
    assert!((savings_plan_cost(&hourly, 0.8, 1.0, c) - 134.4).abs() < 1e-9);
    assert!((savings_plan_cost(&hourly, 0.8, 1.0, 8.0) - 192.0).abs() < 1e-9);
    let p = size_savings_plan(&hourly, 0.8, 1.0, 1);
    assert!((p.monthly_saving_usd - 9.6).abs() < 1e-9);
    assert!((p.utilisation - 1.0).abs() < 1e-12);
    assert_eq!(p.break_even_utilisation, 0.8);
    // 12 months x 134.4 / 144 = 11.2 months.
    assert!((p.months_to_break_even - 11.2).abs() < 1e-9);
}

#[test]
fn a_savings_plan_never_shows_a_saving_when_the_rate_is_not_lower() {
    let hourly = vec![3.0, 5.0, 0.0, 7.0];
    let p = size_savings_plan(&hourly, 1.0, 1.0, 1);
    assert_eq!(p.hourly_commitment_usd, 0.0);
    assert_eq!(p.monthly_saving_usd, 0.0);
}

#[test]
fn the_hourly_fleet_averages_to_the_billed_tasks() {
    for tier in [Tier::Small, Tier::Medium, Tier::Large] {
        let s = tier.scenario();
        let hourly = simulate::hourly_tasks(&s);
        let mean = hourly.iter().sum::<f64>() / hourly.len() as f64;
        let billed = bridge_planner::model::plan::billed_tasks(&s);
        assert!((mean - billed).abs() < 1e-9, "{tier:?}: {mean} vs {billed}");
    }
}

/// Medium tier, us-east-1: the Savings Plan's on-demand base is the plan's own on-demand
/// Fargate vCPU and memory lines (one story), and 1 year saves, 3 years more.
#[test]
fn the_savings_plan_prices_the_plans_own_fargate_lines() {
    let catalog = Catalog::embedded();
    let s = Tier::Medium.scenario();
    let p = plan(&s, &catalog);
    let on_demand_lines: f64 = p
        .cost_lines
        .iter()
        .filter(|l| l.item.starts_with("Fargate") && l.item.contains("on-demand"))
        .map(|l| l.monthly_usd)
        .sum();
    let sp1 = fargate_savings_plan(&s, &catalog, 1).unwrap();
    let sp3 = fargate_savings_plan(&s, &catalog, 3).unwrap();
    assert!((sp1.monthly_on_demand_usd - on_demand_lines).abs() < 1e-6, "{sp1:?}");
    assert!(sp1.monthly_saving_usd > 0.0 && sp3.monthly_saving_usd > sp1.monthly_saving_usd);
    assert!(!sp1.estimated);
    // x86, 1 year: $0.032384 / $0.04048 = 0.8 per vCPU-hour, $0.003556 / $0.004445 = 0.8 per
    // GB-hour (prices.csv SECONDARY rows, us-east-1).
    assert!((sp1.rate_ratio - 0.8).abs() < 1e-9, "{}", sp1.rate_ratio);
    let mut eu = s.clone();
    eu.region = "eu-west-1".into();
    let sp_eu = fargate_savings_plan(&eu, &catalog, 1).unwrap();
    assert!(sp_eu.estimated && sp_eu.rates_source.starts_with("estimated for eu-west-1"));
}

/// Reserved rows: a Multi-AZ db.t3.small in us-east-1 at its own reserved row, against its
/// on-demand row (prices.csv: "db.t3.small Multi-AZ on-demand" $0.072, rate code
/// KFZ3UNZPS5C5EB5P.JRTCKXETXF.6YS6EN2CT7; reserved 1yr No Upfront, same SKU, term 4NA7Y494T4).
#[test]
fn reserved_rows_use_the_multi_az_rows() {
    let catalog = Catalog::embedded();
    let mut s = Tier::Medium.scenario();
    s.database.class = "db.t3.small".into();
    s.database.multi_az = true;
    let p = plan(&s, &catalog);
    let choice = PricingChoice { database: NodePricing::Reserved1y, ..Default::default() };
    let rows = reserved_rows(&p, &s, &catalog, choice);
    let primary = rows.iter().find(|r| r.item.contains("primary")).expect("primary row");
    let (rate, _) = catalog
        .reserved(
            "us-east-1",
            &bridge_planner::model::price_key::PriceKey::RdsMultiAzHour("db.t3.small".into()),
        )
        .unwrap();
    assert_eq!(primary.hourly_rate_usd, rate.usd);
    assert!(primary.rate_code.starts_with("KFZ3UNZPS5C5EB5P.4NA7Y494T4"), "{}", primary.rate_code);
    assert!(primary.pays_back && primary.chosen);
    let saving_hour = primary.on_demand_hourly_usd - primary.hourly_rate_usd;
    assert!((primary.monthly_saving_usd - saving_hour * 730.0 * primary.nodes).abs() < 1e-9);
    assert!((primary.yearly_saving_usd - 12.0 * primary.monthly_saving_usd).abs() < 1e-9);
    assert!(primary.months_to_break_even < 12.0);
}

#[test]
fn discounts_and_credits_are_lines_below_the_list_total() {
    let catalog = Catalog::embedded();
    let s = Tier::Medium.scenario();
    let p = plan(&s, &catalog);
    let all = PricingChoice {
        database: NodePricing::Reserved1y,
        cache: NodePricing::Reserved1y,
        fargate: FargatePricing::SavingsPlan1y,
    };
    let c = commitments(&p, &s, &catalog, all);
    let d = Discounts {
        negotiated_percent: 10.0,
        credits_usd_month: 50.0,
        budget_after_discounts: false,
    };
    let on_demand = bill(&p, &d, &c, Pricing::OnDemand);
    assert_eq!(on_demand.total_usd, p.monthly_total_usd);
    let committed = bill(&p, &d, &c, Pricing::Committed);
    assert!(committed.total_usd < on_demand.total_usd);
    assert!(
        (committed.total_usd - (p.monthly_total_usd - c.chosen_monthly_saving_usd)).abs() < 1e-9
    );
    assert!((committed.discount_usd - committed.total_usd * 0.1).abs() < 1e-9);
    assert!((committed.after_discounts_usd - (committed.total_usd * 0.9 - 50.0)).abs() < 1e-9);
    // None chosen: committed is on-demand.
    let none = commitments(&p, &s, &catalog, PricingChoice::default());
    assert_eq!(bill(&p, &d, &none, Pricing::Committed).total_usd, p.monthly_total_usd);
    assert!(none.available_monthly_saving_usd > 0.0);
}

fn cli(args: &[&str]) -> String {
    let argv: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    bridge_planner::cli::run(&argv).unwrap_or_else(|e| panic!("{args:?}: {e:?}"))
}

/// `plan --pricing`: `monthly_total_usd` follows it; the JSON carries the commitments object
/// the issue names; text and CSV print the commitment table.
#[test]
fn the_cli_plan_follows_pricing() {
    let v = |args: &[&str]| -> serde_json::Value { serde_json::from_str(&cli(args)).unwrap() };
    let on_demand = v(&["plan", "--tier", "medium"]);
    let committed = v(&["plan", "--tier", "medium", "--pricing", "committed"]);
    let list = on_demand["list_total_usd"].as_f64().unwrap();
    assert_eq!(on_demand["monthly_total_usd"].as_f64().unwrap(), list);
    assert_eq!(on_demand["pricing"], "on-demand");
    assert_eq!(committed["pricing"], "committed");
    let sp = &committed["commitments"]["savings_plan"];
    assert_eq!(sp["term_years"], 1);
    assert!(sp["hourly_commitment_usd"].as_f64().unwrap() > 0.0);
    let reserved = committed["commitments"]["reserved"].as_array().unwrap();
    assert!(!reserved.is_empty());
    let mut saved = sp["monthly_saving_usd"].as_f64().unwrap();
    for r in reserved {
        for field in ["component", "item", "hourly_rate_usd", "monthly_saving_usd"] {
            assert!(!r[field].is_null(), "{field} in {r}");
        }
        saved += r["monthly_saving_usd"].as_f64().unwrap();
    }
    let total = committed["monthly_total_usd"].as_f64().unwrap();
    assert!((total - (list - saved)).abs() < 1e-6, "{total} vs {list} - {saved}");
    assert!(committed["estimates"]["of_lines"].as_u64().unwrap() > 0);
    // us-east-1: nothing estimated, written as 0.0 (not -0.0, an empty f64 sum).
    assert_eq!(committed["estimates"]["share"].to_string(), "0.0");
    let text = cli(&["plan", "--tier", "medium", "--format", "text", "--pricing", "committed"]);
    assert!(text.contains("with commitments") && text.contains("Commitments (No Upfront)"));
    assert!(text.contains("price: AWS price list, us-east-1, 2025-10, rate code"));
    // The summary under the headline: the committed total the headline shows, and the growth
    // path's totals (flat traffic: 12 and 24 times the list total).
    let pays = bridge_planner::model::display::usd(total);
    assert!(text.contains(&format!("with commitments the account pays {pays} a month")), "{text}");
    let by_months = |n: f64| bridge_planner::model::display::usd(n * list);
    let growth = format!("{} over 12 months, {} over 24 months", by_months(12.0), by_months(24.0));
    assert!(text.contains(&growth), "{growth} in {text}");
    let csv = cli(&["plan", "--tier", "medium", "--format", "csv"]);
    assert!(csv.contains("\"Compute Savings Plan 1y No Upfront\""));
    let err = bridge_planner::cli::run(&[
        "plan".into(),
        "--tier".into(),
        "small".into(),
        "--pricing".into(),
        "reserved".into(),
    ]);
    assert!(format!("{err:?}").contains("--pricing must be on-demand or committed"));
}

/// Outside us-east-1 the header says how much of the total is estimated.
#[test]
fn the_header_counts_the_estimated_lines() {
    let catalog = Catalog::embedded();
    let mut s = Tier::Medium.scenario();
    s.region = "sa-east-1".into();
    let p = plan(&s, &catalog);
    let e = bridge_planner::model::estimates::estimates(&p);
    let by_hand: Vec<_> =
        p.cost_lines.iter().filter(|l| l.monthly_usd > 0.0 && l.regional_factor).collect();
    // ALB hours and LCUs, internet egress, logs storage, Secrets Manager, ECR: the feeds lack
    // them; CloudFront transfer (US, first tier) is the feed's.
    let keys: Vec<String> = by_hand.iter().map(|l| l.price_key.key()).collect();
    for k in ["alb.hour", "alb.lcu_hour", "secrets.secret_month", "ecr.storage.gb_month"] {
        assert!(keys.contains(&k.to_string()), "{k} not estimated: {keys:?}");
    }
    assert_eq!(e.lines, by_hand.len());
    let money: f64 = by_hand.iter().map(|l| l.monthly_usd).sum();
    assert!((e.share - money / p.monthly_total_usd).abs() < 1e-12);
    assert!(e.sentence("sa-east-1").contains("estimated for sa-east-1 from the us-east-1 price"));
}

/// The choices and discounts live in the scenario: a short link keeps them (only what differs
/// from the tier), a scenario without them writes no new field (old links and files read the
/// same), and a bad discount is refused with its field.
#[test]
fn choices_travel_in_the_link_and_bad_discounts_are_refused() {
    use bridge_planner::model::scenario::Edit;
    use bridge_planner::model::share::{decode_link, encode_link, encode_short_link};
    let catalog = Catalog::embedded();
    let plain = Tier::Medium.scenario();
    let json = serde_json::to_string(&plain).unwrap();
    assert!(!json.contains("pricing") && !json.contains("discounts"), "{json}");
    let choice = PricingChoice {
        database: NodePricing::Reserved1y,
        cache: NodePricing::OnDemand,
        fargate: FargatePricing::SavingsPlan3y,
    };
    let s = plain.apply(Edit::Pricing(choice), &catalog).unwrap();
    let s = s.apply(Edit::DiscountPercent(12.5), &catalog).unwrap();
    let s = s.apply(Edit::CreditsPerMonth(100.0), &catalog).unwrap();
    let s = s.apply(Edit::BudgetAfterDiscounts(true), &catalog).unwrap();
    for link in [encode_link(&s), encode_short_link(&s)] {
        assert_eq!(decode_link(&link, &catalog).unwrap(), s, "{link}");
    }
    let err = s.apply(Edit::DiscountPercent(120.0), &catalog).unwrap_err();
    assert_eq!(err.field(), Some("discounts.negotiated_percent"));
    let err = s.apply(Edit::CreditsPerMonth(-5.0), &catalog).unwrap_err();
    assert_eq!(err.field(), Some("discounts.credits_usd_month"));
    // The exported budget: the list total, or after the discount and credits when asked.
    let d = s.discounts;
    assert_eq!(d.budget_basis_usd(1000.0), 1000.0 * 0.875 - 100.0);
    let off = Discounts { budget_after_discounts: false, ..d };
    assert_eq!(off.budget_basis_usd(1000.0), 1000.0);
}
