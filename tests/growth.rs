//! The growth path (issue 28): a hand-worked path, every month re-planned against the targets,
//! events as exactly the differences between months, flat traffic without events, the CLI's
//! report, and properties over growth rates.

use bridge_planner::model::growth::events::changes;
use bridge_planner::model::growth::{roadmap, Growth, GrowthTarget, Limit, Roadmap, TrafficStep};
use bridge_planner::model::optimize::misses;
use bridge_planner::model::{plan, Catalog, Scenario, Tier};
use proptest::prelude::*;

fn catalog() -> Catalog {
    Catalog::embedded()
}

/// The path's promises, checked on any path: month 0 is today's plan; each month's cost is
/// `plan()` of its scenario; spend adds up; the events of each month are exactly the
/// differences from the month before; every month before `unmet_from` meets the targets.
fn check_path(today: &Scenario, g: &Growth, r: &Roadmap, c: &Catalog) {
    assert_eq!(r.months.len(), g.horizon_months as usize);
    let first = &r.months[0];
    assert_eq!(first.scenario, *today, "month 0 is today's scenario");
    assert_eq!(first.monthly_usd, plan(today, c).monthly_total_usd);
    let t = g.targets(today);
    let mut total = 0.0;
    for (i, m) in r.months.iter().enumerate() {
        assert_eq!(m.month as usize, i);
        let p = plan(&m.scenario, c);
        assert_eq!(m.monthly_usd, p.monthly_total_usd, "month {i}: the planner's figure");
        total += m.monthly_usd;
        assert!((m.cumulative_usd - total).abs() < 1e-6 * total.max(1.0));
        let expected = today.traffic.peak_rps * g.factor(today.traffic.peak_rps, m.month);
        assert!((m.peak_rps - expected).abs() < 1e-9 * expected.max(1.0));
        let unmet = r.unmet_from.as_ref().map_or(u32::MAX, |u| u.0);
        if m.month > 0 && m.month < unmet {
            assert!(misses(&p, &m.scenario, &t).is_empty(), "month {i} misses the targets");
        }
        if i > 0 {
            let between = changes(&r.months[i - 1].scenario, &m.scenario);
            let events: Vec<_> =
                r.events.iter().filter(|e| e.month == m.month).map(|e| e.what.clone()).collect();
            assert_eq!(events, between, "month {i}: events are the differences");
        }
    }
    assert!((r.total_usd - total).abs() < 1e-6 * total.max(1.0));
    assert!(r.events.iter().all(|e| e.month >= 1 && e.month < g.horizon_months));
}

#[test]
fn small_at_15_percent_crosses_medium_at_month_12_and_first_outgrows_its_cache() {
    let c = catalog();
    let small = Tier::Small.scenario();
    // Loose latency, the default 30% headroom: the first limit Small breaks is worked by hand.
    let g = Growth { monthly_rate: 0.15, horizon_months: 36, p95_ms: 5000.0, ..Growth::default() };
    let r = roadmap(&small, &g, &c);
    check_path(&small, &g, &r, &c);
    // Peak 15 x 1.15^m reaches Medium's 80 req/s at ceil(ln(80/15) / ln 1.15) = ceil(11.98) =
    // 12 (15 x 1.15^12 = 80.25) and Large's 600 at ceil(ln 40 / ln 1.15) = ceil(26.39) = 27.
    let month = |t: Tier| r.tier_crossings.iter().find(|x| x.tier == t).unwrap().month;
    assert_eq!(month(Tier::Small), Some(0));
    assert_eq!(month(Tier::Medium), Some(12));
    assert_eq!(month(Tier::Large), Some(27));
    assert!((r.months[12].peak_rps - 80.25).abs() < 0.01);
    // The cache's working set grows with traffic: 0.2 GB x 1.15^m. cache.t3.micro has 0.5 GiB
    // and keeps 50% reserved (AWS's advice for micro nodes, data/catalog.json), so 0.25 GB is
    // usable: month 1 holds 0.23 GB, month 2 needs 0.2645 GB. Compute meets the targets till
    // month 6 (4 tasks x 12.5 req/s = 50 req/s; 30% headroom allows 35, and 15 x 1.15^6 =
    // 34.7), so the first change is at month 2, for cache memory.
    let first = &r.events[0];
    assert_eq!(first.month, 2, "{:#?}", r.events);
    let cache = r
        .events
        .iter()
        .filter(|e| e.month == 2)
        .find(|e| matches!(e.what, bridge_planner::model::growth::Change::CacheNode { .. }));
    let cache = cache.expect("the cache node changes at month 2");
    assert_eq!(cache.limits, vec![Limit::CacheMemory]);
    assert!(
        cache.reason.contains("0.26 GB") || cache.reason.contains("0.3 GB"),
        "{}",
        cache.reason
    );
    // Months 0 and 1 hold Small's configuration.
    assert_eq!(changes(&r.months[1].scenario, &small), vec![]);
    // The runs a reservation would be judged against cover the horizon once per kind, and
    // db.t3.micro runs from month 0 until the first database change.
    use bridge_planner::model::growth::holdings::{holdings, Reservable};
    let runs = holdings(&r);
    let db: Vec<_> = runs.iter().filter(|h| h.kind == Reservable::DbClass).collect();
    assert_eq!(db.iter().map(|h| h.months).sum::<u32>(), 36);
    assert_eq!((db[0].name.as_str(), db[0].from_month), ("db.t3.micro", 0));
    let first_db_change = r
        .events
        .iter()
        .find(|e| matches!(e.what, bridge_planner::model::growth::Change::DbClass { .. }));
    assert_eq!(db[0].months, first_db_change.map_or(36, |e| e.month));
    assert!(db.last().unwrap().to_horizon);
}

#[test]
fn flat_traffic_from_a_plan_that_meets_the_targets_changes_nothing() {
    let c = catalog();
    for (tier, g) in [
        (Tier::Medium, Growth::default()),
        (Tier::Small, Growth { p95_ms: 5000.0, horizon_months: 12, ..Growth::default() }),
    ] {
        let s = tier.scenario();
        let t = g.targets(&s);
        assert!(misses(&plan(&s, &c), &s, &t).is_empty(), "{tier:?} meets the targets today");
        let r = roadmap(&s, &g, &c);
        check_path(&s, &g, &r, &c);
        assert!(r.events.is_empty(), "{tier:?}: {:#?}", r.events);
        assert!(r.months.iter().all(|m| m.monthly_usd == r.months[0].monthly_usd));
        let expected = r.months[0].monthly_usd * g.horizon_months as f64;
        assert!((r.total_usd - expected).abs() < 1e-6 * expected);
    }
}

#[test]
fn a_target_peak_sets_the_rate_and_steps_multiply_the_curve() {
    let g = Growth {
        target: Some(GrowthTarget { peak_rps: 600.0, month: 24 }),
        steps: vec![TrafficStep { month: 6, factor: 2.0 }],
        ..Growth::default()
    };
    // 80 -> 600 in 24 months: (600 / 80)^(1/24) - 1 = 8.75% a month.
    let rate = g.rate(80.0);
    assert!((rate - (7.5f64.powf(1.0 / 24.0) - 1.0)).abs() < 1e-12);
    assert!((rate - 0.0875).abs() < 0.0005);
    assert!((g.factor(80.0, 5) - (1.0 + rate).powi(5)).abs() < 1e-12);
    assert!((g.factor(80.0, 6) - 2.0 * (1.0 + rate).powi(6)).abs() < 1e-12);
    // Without the step the target is reached exactly.
    let plain = Growth { steps: vec![], ..g };
    assert!((80.0 * plain.factor(80.0, 24) - 600.0).abs() < 1e-9);
}

/// A change is sized for the next 3 months, so a launch that triples traffic at month 4 is
/// prepared for by month 4 at the latest, and met from its month on.
#[test]
fn a_launch_step_is_met_in_its_month() {
    let c = catalog();
    let s = Tier::Medium.scenario();
    let g = Growth {
        monthly_rate: 0.05,
        horizon_months: 12,
        steps: vec![TrafficStep { month: 4, factor: 3.0 }],
        ..Growth::default()
    };
    let r = roadmap(&s, &g, &c);
    check_path(&s, &g, &r, &c);
    assert!(r.events.iter().any(|e| (1..=4).contains(&e.month)), "the launch is prepared for");
    assert!(!changes(&r.months[0].scenario, &r.months[4].scenario).is_empty());
    assert!(r.unmet_from.is_none(), "{:?}", r.unmet_from);
    assert!(r.events.iter().all(|e| e.lead_time_days <= 14 && (1..=5).contains(&e.phase)));
}

#[test]
fn bad_growth_inputs_are_refused_naming_the_field() {
    let cases: [(Growth, &str); 6] = [
        (Growth { monthly_rate: 2.0, ..Growth::default() }, "growth.monthly_rate"),
        (Growth { horizon_months: 40, ..Growth::default() }, "growth.horizon_months"),
        (Growth { horizon_months: 5, ..Growth::default() }, "growth.horizon_months"),
        (
            Growth {
                target: Some(GrowthTarget { peak_rps: 100.0, month: 30 }),
                ..Growth::default()
            },
            "growth.target.month",
        ),
        (
            Growth { steps: vec![TrafficStep { month: 3, factor: 0.0 }], ..Growth::default() },
            "growth.steps[0].factor",
        ),
        (Growth { p95_ms: f64::NAN, ..Growth::default() }, "growth.p95_ms"),
    ];
    for (g, field) in cases {
        let errors = g.validate();
        assert_eq!(errors.first().map(|e| e.field.as_str()), Some(field), "{errors:?}");
    }
    assert!(Growth::default().validate().is_empty());
    // An edit that breaks a rule leaves the inputs as they were and says why.
    use bridge_planner::model::growth::GrowthEdit;
    let g = Growth::default();
    let e = g.edited(GrowthEdit::Horizon(48)).unwrap_err();
    assert_eq!(e.field, "growth.horizon_months");
    assert!(e.message.contains("6 to 36"));
    let g2 = g.edited(GrowthEdit::RatePct(15.0)).unwrap();
    assert_eq!(g2.monthly_rate, 0.15);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(6))]
    /// Over growth rates (and a step), every path keeps its promises; growing traffic never
    /// crosses a tier before a smaller one.
    #[test]
    fn paths_keep_their_promises(
        tier in prop::sample::select(Tier::ALL.to_vec()),
        rate in -0.2f64..0.4,
        horizon in 6u32..=10,
        step in prop::option::of((1u32..6, 0.5f64..3.0)),
    ) {
        let c = catalog();
        let s = tier.scenario();
        let g = Growth {
            monthly_rate: rate,
            horizon_months: horizon,
            steps: step.map(|(m, f)| vec![TrafficStep { month: m, factor: f }]).unwrap_or_default(),
            ..Growth::default()
        };
        prop_assert!(g.validate().is_empty());
        let r = roadmap(&s, &g, &c);
        check_path(&s, &g, &r, &c);
        if rate >= 0.0 && step.is_none_or(|(_, f)| f >= 1.0) {
            let months: Vec<Option<u32>> = r.tier_crossings.iter().map(|x| x.month).collect();
            for w in months.windows(2) {
                if let (Some(a), Some(b)) = (w[0], w[1]) {
                    prop_assert!(a <= b);
                }
            }
        }
    }
}

mod links_and_files {
    use super::*;
    use bridge_planner::model::share::{decode_link, encode_link, encode_short_link};

    #[test]
    fn a_scenario_without_growth_reads_the_defaults_and_writes_none() {
        let c = catalog();
        let s = Tier::Medium.scenario();
        let json = serde_json::to_string(&s).unwrap();
        // Default inputs are not written: files and links made before the growth path are the
        // same bytes, and a scenario without the field (such a file) reads the defaults.
        assert!(!json.contains("\"growth\""), "{json}");
        let back = Scenario::from_json(&json, &c).unwrap();
        assert_eq!(back.growth, Growth::default());
        assert_eq!(back, s);
    }

    #[test]
    fn growth_inputs_travel_in_short_and_long_links() {
        let c = catalog();
        let mut s = Tier::Small.scenario();
        s.growth = Growth {
            monthly_rate: 0.15,
            horizon_months: 18,
            steps: vec![TrafficStep { month: 6, factor: 2.0 }],
            budget_usd: 900.0,
            ..Growth::default()
        };
        let short = encode_short_link(&s);
        assert!(short.starts_with("s=v2.small."), "{short}");
        // Only what differs from the tier: the growth object's four changed inputs.
        use base64::Engine;
        let packed = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(short.trim_start_matches("s=v2.small."))
            .unwrap();
        let patch = miniz_oxide::inflate::decompress_to_vec(&packed).unwrap();
        let patch: serde_json::Value = serde_json::from_slice(&patch).unwrap();
        assert_eq!(
            patch,
            serde_json::json!({"growth": {"monthly_rate": 0.15, "horizon_months": 18,
                "steps": [{"month": 6, "factor": 2.0}], "budget_usd": 900.0}})
        );
        assert_eq!(decode_link(&short, &c).unwrap(), s);
        assert_eq!(decode_link(&encode_link(&s), &c).unwrap(), s);
        // A link from before the growth path (no growth field) still opens, with the defaults.
        let old = encode_short_link(&Tier::Medium.scenario());
        assert_eq!(decode_link(&old, &c).unwrap().growth, Growth::default());
    }

    #[test]
    fn a_file_with_bad_growth_inputs_is_refused_naming_the_field() {
        let c = catalog();
        let mut s = Tier::Small.scenario();
        s.growth.horizon_months = 48;
        let json = serde_json::to_string(&s).unwrap();
        let err = Scenario::from_json(&json, &c).unwrap_err();
        assert_eq!(err.field(), Some("growth.horizon_months"), "{err}");
        let text = json.replace("\"horizon_months\":48", "\"horizon_months\":24,\"speed\":1");
        let err = Scenario::from_json(&text, &c).unwrap_err();
        assert!(err.to_string().contains("growth"), "{err}");
    }

    #[test]
    fn an_edit_goes_through_scenario_apply() {
        use bridge_planner::model::growth::GrowthEdit;
        use bridge_planner::model::scenario::Edit;
        let c = catalog();
        let s = Tier::Small.scenario();
        let next = s.apply(Edit::Growth(GrowthEdit::RatePct(15.0)), &c).unwrap();
        assert_eq!(next.growth.monthly_rate, 0.15);
        let err = s.apply(Edit::Growth(GrowthEdit::RatePct(500.0)), &c).unwrap_err();
        assert_eq!(err.field(), Some("growth.monthly_rate"));
    }
}

mod cli {
    use bridge_planner::cli::run;

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn roadmap_json_has_the_issue_s_keys() {
        let out = run(&args(&["roadmap", "--tier", "small", "--growth", "0.15", "--months", "24"]))
            .unwrap();
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        let months = v["months"].as_array().unwrap();
        assert_eq!(months.len(), 24);
        for key in ["month", "peak_rps", "monthly_usd", "cumulative_usd", "scenario", "binding"] {
            assert!(months[0].get(key).is_some(), "months[0].{key}");
        }
        assert_eq!(months[12]["month"], 12);
        let events = v["events"].as_array().unwrap();
        assert!(!events.is_empty());
        for key in ["month", "change", "reason", "downtime", "lead_time_days", "command"] {
            assert!(events[0].get(key).is_some(), "events[0].{key}");
        }
        assert!(events.iter().all(|e| e["command"].as_str().is_some_and(|c| !c.is_empty())));
        assert_eq!(v["tier_crossings"]["small"], 0);
        assert_eq!(v["tier_crossings"]["medium"], 12);
        assert!(v["tier_crossings"]["large"].is_null(), "27 is beyond 24 months");
        // The scenario of a month is a scenario: planned again it costs the month's figure.
        let c = bridge_planner::model::Catalog::embedded();
        let s: bridge_planner::model::Scenario =
            serde_json::from_value(months[5]["scenario"].clone()).unwrap();
        let p = bridge_planner::model::plan(&s, &c);
        assert!((p.monthly_total_usd - months[5]["monthly_usd"].as_f64().unwrap()).abs() < 1e-9);
    }

    #[test]
    fn roadmap_text_escapes_control_characters_and_csv_has_a_row_per_month() {
        let dir = std::env::temp_dir().join(format!("growth-cli-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut s = bridge_planner::model::Tier::Small.scenario();
        s.name = "evil\u{1b}[2Jname".into();
        let path = dir.join("s.json");
        std::fs::write(&path, serde_json::to_string(&s).unwrap()).unwrap();
        let p = path.to_str().unwrap();
        let text = run(&args(&["roadmap", "--scenario", p, "--growth", "0.1", "--format", "text"]))
            .unwrap();
        assert!(!text.contains('\u{1b}'), "no raw escape reaches the terminal");
        assert!(text.contains("evil\\u{1b}[2Jname"), "{text}");
        let csv =
            run(&args(&["roadmap", "--scenario", p, "--months", "12", "--format", "csv"])).unwrap();
        assert_eq!(csv.lines().count(), 13);
        assert!(csv.starts_with("month,peak_rps,"));
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn roadmap_refuses_bad_growth_naming_the_field() {
        let err = run(&args(&["roadmap", "--tier", "small", "--growth", "5"])).unwrap_err();
        assert_eq!(err.exit_code(), 2);
        assert!(err.to_string().contains("growth.monthly_rate"), "{err}");
        let err = run(&args(&["roadmap", "--tier", "small", "--months", "40"])).unwrap_err();
        assert!(err.to_string().contains("growth.horizon_months"), "{err}");
        let err = run(&args(&["roadmap", "--tier", "small", "--step", "6x2"])).unwrap_err();
        assert!(err.to_string().contains("MONTH:FACTOR"), "{err}");
    }
}

/// The growth path's lean search finds exactly the optimiser's best, from small to large
/// traffic, with and without availability and budget.
#[test]
fn the_lean_search_finds_the_optimiser_s_best() {
    use bridge_planner::model::optimize::{cheapest, optimize};
    let c = catalog();
    for tier in Tier::ALL {
        for factor in [0.5, 1.0, 2.0, 3.0, 6.0, 9.0, 20.0] {
            let mut s = tier.scenario();
            s.traffic.peak_rps *= factor;
            for budget in [None, Some(2000.0)] {
                let t = bridge_planner::model::optimize::Targets {
                    budget_usd: budget,
                    ..Growth::default().targets(&s)
                };
                let full = optimize(&s, &c, &t).best;
                let lean = cheapest(&s, &c, &t);
                assert_eq!(
                    lean.as_ref().map(|b| (&b.label, b.monthly_usd)),
                    full.as_ref().map(|b| (&b.label, b.monthly_usd)),
                    "{tier:?} x {factor} budget {budget:?}"
                );
            }
        }
    }
}

/// CPU time of the whole 36-month path at 15% a month for each tier, from the process's own
/// CPU clock (/proc/self/stat: the machine is shared, so wall time would count other work).
/// A measurement, not a test: `cargo test --profile bench --test growth -- --ignored
/// --nocapture cpu_time`.
#[test]
#[ignore]
fn cpu_time_of_the_36_month_path() {
    fn cpu_ms() -> f64 {
        let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
        let after = stat.rsplit_once(") ").map_or("", |x| x.1);
        let f: Vec<f64> = after.split(' ').map(|x| x.parse().unwrap_or(0.0)).collect();
        // utime and stime are fields 14 and 15 of the line (11 and 12 after the name), in
        // clock ticks of 10 ms.
        (f.get(11).unwrap_or(&0.0) + f.get(12).unwrap_or(&0.0)) * 10.0
    }
    let c = catalog();
    for tier in Tier::ALL {
        let s = tier.scenario();
        let g = Growth { monthly_rate: 0.15, horizon_months: 36, ..Growth::default() };
        let runs = 20;
        let (t0, w0) = (cpu_ms(), std::time::Instant::now());
        let mut searches = 0;
        for _ in 0..runs {
            searches = roadmap(&s, &g, &c).searches;
        }
        println!(
            "{tier:?} 15% x 36 months: {:.1} ms CPU, {:.1} ms wall per path, {searches} searches",
            (cpu_ms() - t0) / runs as f64,
            w0.elapsed().as_secs_f64() * 1000.0 / runs as f64
        );
    }
}
