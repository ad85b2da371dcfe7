//! The app's cockpit functions, natively: figures as text without float noise, slider stops,
//! Fargate vCPU/memory choices, the baseline difference, the health gauges, and the input
//! checks that keep the last valid scenario.

use bridge_planner::model::compare::{diff, Delta};
use bridge_planner::model::display::{fargate_memory_for, nearest_stop, slider_stops, tidy, usd};
use bridge_planner::model::health::{availability_findings, gauges, summary, Level};
use bridge_planner::model::scenario::{Field, LaunchType};
use bridge_planner::model::share::{cost_lines_csv, decode_file};
use bridge_planner::model::{plan, Catalog, Tier};
use proptest::prelude::*;

fn catalog() -> Catalog {
    Catalog::embedded()
}

/// The one dollar formatter (page, CLI report, browser tests), worked by hand.
#[test]
fn usd_groups_thousands_and_rounds_to_cents() {
    assert_eq!(usd(0.0), "$0.00");
    assert_eq!(usd(0.004), "$0.00"); // below half a cent
    assert_eq!(usd(0.005), "$0.01"); // half a cent rounds away from zero
    assert_eq!(usd(999.999), "$1,000.00");
    assert_eq!(usd(1234.5), "$1,234.50");
    assert_eq!(usd(1_000_000.0), "$1,000,000.00");
    assert_eq!(usd(-3.1), "-$3.10");
    assert_eq!(usd(-1234.567), "-$1,234.57");
    assert_eq!(usd(f64::NAN), "—");
    assert_eq!(usd(f64::INFINITY), "—");
}

#[test]
fn tidy_drops_float_noise_and_keeps_small_prices() {
    assert_eq!(tidy(0.025300000000000003), "0.0253");
    assert_eq!(tidy(2499.9999999999995), "2500");
    assert_eq!(tidy(0.0000004), "0.0000004");
    assert_eq!(tidy(2_592_000_000.0000005), "2592000000");
    assert_eq!(tidy(0.0), "0");
    assert_eq!(tidy(-1.5), "-1.5");
    assert_eq!(tidy(f64::NAN), "—");
    // 0.1 + 0.2 is the classic: 0.30000000000000004.
    assert_eq!(tidy(0.1 + 0.2), "0.3");
}

#[test]
fn csv_has_no_float_noise_in_any_region() {
    // The examples: regional factors made prices like 0.025300000000000003.
    let c = catalog();
    let noisy = |text: &str| {
        text.split([',', '"']).any(|f| f.contains("0000000000") || f.contains("9999999999"))
    };
    let (mut checked, mut raw_noise) = (0, 0);
    for region in c.regions.keys() {
        for t in Tier::ALL {
            let mut s = t.scenario();
            s.region = region.clone();
            let p = plan(&s, &c);
            let csv = cost_lines_csv(&p);
            assert!(!noisy(&csv), "{region} {t:?}:\n{csv}");
            raw_noise += p
                .cost_lines
                .iter()
                .filter(|l| noisy(&format!("{},{}", l.quantity, l.unit_price_usd)))
                .count();
            checked += 1;
        }
    }
    assert!(checked >= 3 * 2, "several regions checked");
    assert!(
        raw_noise > 0,
        "the engine's exact figures do carry float noise, so this test can fail"
    );
}

#[test]
fn peak_traffic_slider_moves_about_a_fifth_per_press() {
    let spec = Field::PeakRps.spec();
    let stops = slider_stops(spec).expect("0-5,000 in steps of 1 is too fine for a slider");
    assert_eq!(stops[0], 0.0);
    assert_eq!(*stops.last().unwrap(), 5000.0);
    // Every step up to 10, then about +20% per press.
    assert_eq!(&stops[..12], &[0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 12.0]);
    assert!(stops.contains(&80.0) && stops.contains(&400.0) && stops.contains(&1000.0));
    assert!(stops.windows(2).all(|w| w[1] > w[0]), "strictly increasing");
    assert!(stops.len() < 60, "{} stops", stops.len());
    assert_eq!(stops[nearest_stop(&stops, 333.0)], 300.0);
    // A percentage in steps of 1 stays linear.
    assert!(slider_stops(Field::ReadShare.spec()).is_none());
}

#[test]
fn every_wide_slider_has_useful_stops_within_its_range() {
    for spec in bridge_planner::model::FIELDS {
        if let Some(stops) = slider_stops(spec) {
            assert_eq!(stops[0], spec.min, "{}", spec.id);
            assert_eq!(*stops.last().unwrap(), spec.max, "{}", spec.id);
            assert!(stops.windows(2).all(|w| w[1] > w[0]), "{} increasing", spec.id);
            assert!(stops.len() <= 120, "{}: {} stops", spec.id, stops.len());
            for v in &stops {
                let steps = (v - spec.min) / spec.step;
                assert!(
                    (steps - steps.round()).abs() < 1e-6 || *v == spec.max,
                    "{} stop {v} off the step",
                    spec.id
                );
            }
        }
    }
}

#[test]
fn fargate_memory_follows_the_vcpu_choice() {
    let c = catalog();
    // 0.5 vCPU / 1 GB -> 1 vCPU: 1 GB is not allowed, the nearest allowed is 2 GB.
    assert_eq!(fargate_memory_for(&c, 1024, 1024), Some(2048));
    // 1 vCPU / 4 GB -> 0.5 vCPU keeps 4 GB (allowed).
    assert_eq!(fargate_memory_for(&c, 512, 4096), Some(4096));
    // 4 vCPU / 30 GB -> 0.25 vCPU: the largest, 2 GB.
    assert_eq!(fargate_memory_for(&c, 256, 30720), Some(2048));
    assert_eq!(fargate_memory_for(&c, 999, 1024), None);
    for (cpu, mem) in c.fargate_pairs() {
        assert_eq!(fargate_memory_for(&c, cpu, mem), Some(mem));
    }
}

#[test]
fn baseline_difference_of_total_and_lines() {
    let c = catalog();
    let base = plan(&Tier::Medium.scenario(), &c);
    let mut s = Tier::Medium.scenario();
    s.database.read_replicas += 1;
    let now = plan(&s, &c);
    let d = diff(&now, &base);
    assert!((d.total.usd - (now.monthly_total_usd - base.monthly_total_usd)).abs() < 1e-9);
    let pct = d.total.pct.unwrap();
    assert!((pct - d.total.usd / base.monthly_total_usd * 100.0).abs() < 1e-9);
    assert_eq!(d.lines.len(), now.cost_lines.len());
    // The replicas line grew by one instance's hours; the sum of line deltas is the total's.
    let sum: f64 = d.lines.iter().map(|l| l.usd).sum::<f64>()
        - d.removed.iter().map(|r| r.monthly_usd).sum::<f64>();
    assert!((sum - d.total.usd).abs() < 1e-6, "{sum} vs {}", d.total.usd);
    // Against itself: nothing changed.
    let same = diff(&base, &base);
    assert!(
        same.total.is_zero() && same.lines.iter().all(Delta::is_zero) && same.removed.is_empty()
    );
}

#[test]
fn baseline_difference_when_lines_come_and_go() {
    let c = catalog();
    let base = plan(&Tier::Medium.scenario(), &c);
    let mut s = Tier::Medium.scenario();
    s.backend.launch_type = LaunchType::Ec2;
    let now = plan(&s, &c);
    let d = diff(&now, &base);
    // Fargate lines are gone, EC2 lines are new (no percentage: nothing to compare with).
    assert!(d.removed.iter().any(|r| r.item.contains("Fargate")), "{:?}", d.removed);
    let ec2 = now
        .cost_lines
        .iter()
        .position(|l| l.unit == "instance-hour" && l.item.starts_with("EC2"))
        .unwrap();
    assert_eq!(d.lines[ec2].pct, None);
    let sum: f64 = d.lines.iter().map(|l| l.usd).sum::<f64>()
        - d.removed.iter().map(|r| r.monthly_usd).sum::<f64>();
    assert!((sum - d.total.usd).abs() < 1e-6);
    assert_eq!(Delta::between(110.0, 100.0), Delta { usd: 10.0, pct: Some(10.0) });
}

#[test]
fn health_gauges_read_the_plan() {
    let c = catalog();
    let s = Tier::Medium.scenario();
    let p = plan(&s, &c);
    let g = gauges(&s, &p, &c);
    let ids: Vec<_> = g.iter().map(|x| x.id).collect();
    assert_eq!(ids, ["tasks", "db-primary", "db-replicas", "cache-memory", "db-connections"]);
    assert_eq!(g[0].used, p.capacity.peak_rps);
    assert_eq!(g[0].limit, p.capacity.capacity_rps);
    assert!((g[0].share - p.capacity.utilisation_at_peak).abs() < 1e-9);
    assert_eq!(g[4].used, p.capacity.db_connections_primary as f64);
    assert_eq!(g[4].limit, p.capacity.db_max_connections as f64);
    assert!((g[1].share - p.capacity.db_primary_utilisation).abs() < 1e-9);
    // Overload shows as Over.
    let mut hot = s.clone();
    hot.traffic.peak_rps = 5000.0;
    let hp = plan(&hot, &c);
    assert_eq!(gauges(&hot, &hp, &c)[0].level, Level::Over);
    // No replicas: the replica gauge is shown as not used.
    let mut none = s.clone();
    none.database.read_replicas = 0;
    assert_eq!(gauges(&none, &plan(&none, &c), &c)[2].level, Level::NotUsed);
}

#[test]
fn summary_counts_warnings_and_annual_cost() {
    let c = catalog();
    let p = plan(&Tier::Small.scenario(), &c);
    let sm = summary(&p);
    assert_eq!(sm.critical + sm.warnings + sm.notes, p.warnings.len());
    assert!((sm.annual_usd - p.monthly_total_usd * 12.0).abs() < 1e-9);
}

#[test]
fn availability_checks_show_what_they_add() {
    let c = catalog();
    let mut s = Tier::Small.scenario();
    s.production = false;
    assert!(availability_findings(&plan(&s, &c)).is_empty());
    s.production = true;
    s.database.multi_az = false;
    let on = plan(&s, &c);
    assert!(availability_findings(&on)
        .iter()
        .any(|w| w.code == bridge_planner::model::plan::WarningCode::SingleAzDb));
}

#[test]
fn minimum_above_maximum_is_refused_with_a_message() {
    let s = Tier::Medium.scenario();
    let max = s.backend.tasks_max;
    let e = s.with_field(Field::TasksMin, (max + 40) as f64).unwrap_err();
    assert!(e.message.contains("above the maximum"), "{}", e.message);
    let e = s.with_field(Field::TasksMax, 0.0).unwrap_err();
    assert!(
        e.message.contains("below the minimum") || e.message.contains("between"),
        "{}",
        e.message
    );
    // At the maximum is fine.
    assert!(s.with_field(Field::TasksMin, max as f64).is_ok());
}

#[test]
fn import_of_a_non_json_file_says_so_in_words() {
    let c = catalog();
    assert_eq!(
        decode_file("hello, this is a text file", &c).unwrap_err().to_string(),
        "this file is not a scenario: it is not JSON"
    );
    assert_eq!(
        decode_file("", &c).unwrap_err().to_string(),
        "this file is not a scenario: it is not JSON"
    );
    let cut = decode_file("{\"format\": \"bridge", &c).unwrap_err().to_string();
    assert!(cut.starts_with("this file is not a scenario") && cut.contains("line 1"), "{cut}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn tidy_text_reads_back_within_rounding(v in -1.0e12f64..1.0e12) {
        let back: f64 = tidy(v).parse().unwrap();
        prop_assert!((back - v).abs() <= v.abs() * 1e-11 + 1e-300, "{v} -> {}", tidy(v));
    }

    #[test]
    fn nearest_stop_is_nearest(v in 0.0f64..5000.0) {
        let stops = slider_stops(Field::PeakRps.spec()).unwrap();
        let i = nearest_stop(&stops, v);
        prop_assert!(stops.iter().all(|s| (s - v).abs() >= (stops[i] - v).abs()));
    }
}

mod short_links {
    use bridge_planner::model::share::{decode_link, encode_link, encode_short_link};
    use bridge_planner::model::simulate::Profile;
    use bridge_planner::model::{Catalog, Tier};
    use proptest::prelude::*;

    #[test]
    fn an_edited_tier_fits_in_a_short_link() {
        let c = Catalog::embedded();
        let mut s = Tier::Medium.scenario();
        s.traffic.peak_rps = 400.0;
        s.backend.tasks_max = 23;
        let link = encode_short_link(&s);
        assert!(link.starts_with("s=v2.medium."), "{link}");
        assert!(link.len() < 120, "{} chars: {link}", link.len());
        assert!(encode_link(&s).len() > 5 * link.len(), "much shorter than the whole scenario");
        assert_eq!(decode_link(&link, &c).unwrap(), s);
        assert_eq!(decode_link(&format!("#{link}"), &c).unwrap(), s);
        // A preset itself: an empty change list.
        for t in Tier::ALL {
            let l = encode_short_link(&t.scenario());
            assert_eq!(decode_link(&l, &c).unwrap(), t.scenario());
        }
    }

    #[test]
    fn short_links_carry_overrides_custom_days_and_names() {
        let c = Catalog::embedded();
        let mut s = Tier::Large.scenario();
        s.price_overrides.insert(bridge_planner::model::PriceKey::parse("alb.hour").unwrap(), 0.02);
        s.simulation.profile = Profile::Custom([0.5; 24]);
        s.name = "Ünïcode & \"quotes\" #hash".into();
        s.region = "eu-west-1".into();
        assert_eq!(decode_link(&encode_short_link(&s), &c).unwrap(), s);
    }

    #[test]
    fn bad_short_links_say_what_is_wrong() {
        let c = Catalog::embedded();
        assert!(decode_link("s=v2.huge.AAAA", &c)
            .unwrap_err()
            .to_string()
            .contains("unknown tier"));
        assert!(decode_link("s=v2.medium", &c).unwrap_err().to_string().contains("names no tier"));
        assert!(decode_link("s=v2.medium.!!!", &c).unwrap_err().to_string().contains("base64"));
        let mut s = Tier::Small.scenario();
        s.backend.task_memory_mib = 3000;
        let err = decode_link(&encode_short_link(&s), &c).unwrap_err().to_string();
        assert!(err.contains("task_memory_mib"), "{err}");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn short_link_decoder_never_panics(text in ".{0,300}", bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            use base64::Engine;
            let c = Catalog::embedded();
            let _ = decode_link(&format!("s=v2.{text}"), &c);
            let _ = decode_link(&format!("s=v2.medium.{text}"), &c);
            let packed = miniz_oxide::deflate::compress_to_vec(&bytes, 6);
            let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&packed);
            let link = format!("s=v2.small.{payload}");
            let refused = decode_link(&link, &c).is_err();
            prop_assert!(refused || std::str::from_utf8(&bytes).is_ok());
        }

        #[test]
        fn every_valid_scenario_round_trips_by_short_link(peak in 0.0f64..5000.0, tasks in 1u32..100, replicas in 0u32..=5, name in "[ -~]{0,40}", tier in 0usize..3) {
            let c = Catalog::embedded();
            let mut s = Tier::ALL[tier].scenario();
            s.traffic.peak_rps = peak;
            s.backend.tasks_average = tasks;
            s.backend.tasks_max = tasks.max(s.backend.tasks_max);
            s.backend.tasks_min = s.backend.tasks_min.min(tasks);
            s.database.read_replicas = replicas;
            s.name = name;
            prop_assert!(s.validate(&c).is_empty());
            let link = encode_short_link(&s);
            prop_assert!(link.len() <= encode_link(&s).len());
            prop_assert_eq!(decode_link(&link, &c).unwrap(), s);
        }
    }
}

#[test]
fn baseline_lines_match_by_kind_not_by_position() {
    let c = catalog();
    // Small (public subnets, db.t3.micro) against a copy with NAT gateways and a larger class.
    let base = plan(&Tier::Small.scenario(), &c);
    let mut s = Tier::Small.scenario();
    s.network.layout = bridge_planner::model::scenario::NetworkLayout::PrivateNat;
    s.database.class = "db.t3.small".into();
    let now = plan(&s, &c);
    let d = diff(&now, &base);
    let find = |text: &str| now.cost_lines.iter().position(|l| l.item.contains(text)).unwrap();
    // The primary is the same line at another price: a percentage, not "new".
    assert!(d.lines[find("primary")].pct.is_some());
    // NAT gateways' addresses are a new kind of line.
    assert_eq!(d.lines[find("addresses of the NAT")].pct, None);
    let sum: f64 = d.lines.iter().map(|l| l.usd).sum::<f64>()
        - d.removed.iter().map(|r| r.monthly_usd).sum::<f64>();
    assert!((sum - d.total.usd).abs() < 1e-6);
}
