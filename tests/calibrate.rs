//! Calibration from CloudWatch `get-metric-data` output, against a synthetic system whose figures
//! are known by hand (tests/calibrate_synth.py writes the fixtures and works the figures out:
//! 2 tasks of 0.25 vCPU at 35% CPU serving 20 req/s at the weekday peak, ...).

use bridge_planner::model::calibrate::{calibrate, Calibration, FieldValue};
use bridge_planner::model::metric_data::{format_time, parse_time};
use bridge_planner::model::simulate::{demand_series, Profile};
use bridge_planner::model::{Catalog, Scenario, Tier};
use serde_json::{json, Value};

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/fixtures/calibrate/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn run(text: &str) -> Result<Calibration, String> {
    calibrate(&Tier::Small.scenario(), &Catalog::embedded(), text).map_err(|e| e.to_string())
}

fn number(cal: &Calibration, id: &str) -> Option<f64> {
    let row = cal.rows.iter().find(|r| r.id == id).unwrap_or_else(|| panic!("row {id}"));
    match &row.calibrated {
        Some(FieldValue::Number(v)) => Some(*v),
        _ => None,
    }
}

fn note(cal: &Calibration, id: &str) -> String {
    cal.rows.iter().find(|r| r.id == id).unwrap().note.clone()
}

fn close(got: f64, want: f64, tolerance: f64) {
    assert!((got - want).abs() <= tolerance, "got {got}, want {want} ± {tolerance}");
}

/// Edits the fixture's JSON.
fn edit(text: &str, f: impl FnOnce(&mut Value)) -> String {
    let mut v: Value = serde_json::from_str(text).unwrap();
    f(&mut v);
    v.to_string()
}

fn series<'a>(v: &'a mut Value, id: &str) -> &'a mut Value {
    v["MetricDataResults"].as_array_mut().unwrap().iter_mut().find(|s| s["Id"] == id).unwrap()
}

#[test]
fn a_week_of_five_minute_data_gives_the_hand_worked_figures() {
    let cal = run(&fixture("week-300s.json")).unwrap();
    assert!(cal.problems.is_empty(), "{:?}", cal.problems);
    assert_eq!(cal.window.period_s, 300);
    assert_eq!(cal.window.days, 7.0);
    // Peak 20 req/s; the busiest 5 minutes (12:55 or 13:00) average 19.998, rounded to 20.00.
    close(number(&cal, "peak_rps").unwrap(), 20.0, 0.005);
    // 20 / 5.696 = 3.511 by hand; the per-period rounding of counts moves it < 0.01.
    close(number(&cal, "peak_to_avg").unwrap(), 3.51, 0.01);
    // 2 tasks x 35% x 0.25 vCPU / 20 req/s = 8.75 ms; CPU noise of ±1 point: within 0.05 ms.
    close(number(&cal, "cpu_ms").unwrap(), 8.75, 0.05);
    // 13 KB processed per request less the 1 KB request assumed: 12 KB exactly.
    close(number(&cal, "response_kb").unwrap(), 12.0, 0.005);
    // 8 requests per connection (new connections rounded per period: within 0.01).
    close(number(&cal, "req_per_conn").unwrap(), 8.0, 0.01);
    // 30 s; concurrency is rounded per period and the night has < 1 connection: within 0.5 s.
    close(number(&cal, "alb.connection_seconds").unwrap(), 30.0, 0.5);
    close(number(&cal, "cache_hit").unwrap(), 85.0, 0.05);
    // 400 MiB = 0.3906 GiB.
    close(number(&cal, "working_set").unwrap(), 0.391, 0.0005);
    assert_eq!(number(&cal, "db_pool"), Some(10.0));
    assert_eq!(number(&cal, "tasks_average"), Some(2.0));
    // 100 queries/s per vCPU (rounded to the slider's step of 50).
    assert_eq!(number(&cal, "db_qps"), Some(100.0));
    // Memory and IOPS are shown, not applied, with the reason.
    assert!(number(&cal, "backend.task_memory_mib").is_none());
    assert!(
        note(&cal, "backend.task_memory_mib").starts_with("kept: memory peaked at 51%"),
        "{}",
        note(&cal, "backend.task_memory_mib")
    );
    assert!(note(&cal, "read_share").contains("IOPS count disk operations"));
    let s = &cal.scenario;
    assert_eq!(s.backend.cpu_ms_per_request, number(&cal, "cpu_ms").unwrap());
    assert_eq!(s.traffic.cache_hit_ratio, 0.85);
    assert_eq!(s.name, "Small tier (calibrated)");
    for row in &cal.rows {
        assert!(row.points > 0, "{} has points", row.id);
    }
}

#[test]
fn the_measured_week_drives_the_simulation_with_the_measured_average() {
    let cal = run(&fixture("week-300s.json")).unwrap();
    let s = &cal.scenario;
    let Profile::CustomWeek { weekday, weekend } = s.simulation.profile else {
        panic!("a weekday/weekend week: {:?}", s.simulation.profile)
    };
    // Weekday 13:00 averages 12:30-13:30 of the bump: 2 + 18 x 0.9958 = 19.92 -> 0.996 of 20.
    close(weekday[13], 0.996, 0.001);
    close(weekday[3], 0.1, 0.001); // 2 req/s at night
    close(weekend[13], 0.249, 0.001); // a quarter of the weekday
    close(weekend[3], 0.025, 0.001);
    assert_eq!(s.simulation.trough_share, 0.0);
    assert!(note(&cal, "simulation.profile")
        .contains("a weekend day carries 25% of a weekday's requests"));
    // The simulated week carries the measured traffic: mean demand = peak / peak-to-average
    // = 5.696 req/s by hand, within 1% (linear interpolation between hourly means).
    let demand = demand_series(s, &s.simulation, 1.0);
    let mean = demand.iter().sum::<f64>() / demand.len() as f64;
    close(mean, 5.696, 0.057);
}

#[test]
fn a_weekday_of_one_minute_data_finds_the_busiest_minute() {
    let cal = run(&fixture("weekday-60s.json")).unwrap();
    assert_eq!(cal.window.period_s, 60);
    // The busiest minute is 1,200 requests: 20.00 req/s exactly.
    assert_eq!(number(&cal, "peak_rps"), Some(20.0));
    assert!(note(&cal, "peak_rps").starts_with("busiest minute"));
    // One weekday: average 7.25 req/s, 20 / 7.25 = 2.759.
    close(number(&cal, "peak_to_avg").unwrap(), 2.76, 0.005);
    assert!(note(&cal, "peak_to_avg").contains("only 1.0 days of data"));
    // No weekend in the data: one day for all days.
    assert!(matches!(cal.scenario.simulation.profile, Profile::Custom(_)));
    close(number(&cal, "cpu_ms").unwrap(), 8.75, 0.05);
}

#[test]
fn measured_p95_is_set_against_the_model_at_the_same_load() {
    let cal = run(&fixture("week-300s.json")).unwrap();
    let l = cal.latency.as_ref().unwrap();
    // The busiest hour (13:00-14:00 on a weekday) averages 2 + 18 x 0.9834 = 19.70 req/s.
    close(l.rps, 19.70, 0.01);
    assert_eq!(l.tasks, 2);
    // Model (the ALB's round robin over c = 2 tasks of 0.25 vCPU, 8.76 ms of CPU): as a slower
    // processor (mu = 0.25 x 1000 / 8.76 = 28.54/s, sigma = 0.2206) p95 = ln 20 / 22.24 s +
    // 15 ms = 149.7 ms. With the CFS quota chain (issue #25: full core speed until the task's
    // 25 ms per 100 ms is spent; 2 ALB nodes, each with its own round-robin turn) p95 = 80.5 +
    // 15 = 95.5 ms, p50 = 6.9 + 15 = 21.9 ms; a simulation of the quota and the two nodes
    // (tests/queueing.rs's, 600,000 requests) gives 80.9 / 6.9 ms. The earlier quota model
    // said 119.1 / 22.9 ms.
    close(l.predicted_p95_ms.unwrap(), 95.5, 1.0);
    close(l.predicted_p50_ms.unwrap(), 21.9, 1.0);
    // The synthetic system was generated 10% slower than an M/M/1-per-task model (p95 175.3 ms,
    // p50 52.1 ms; +-2% noise, median of 12 periods): measured p95 = 1.1 x 175.3 = 192.8 ms,
    // 192.8 / 95.5 = 2.019, so 102% slower than the routing-aware model.
    close(l.measured_p95_ms, 192.8, 2.0);
    close(l.p95_gap_pct.unwrap(), 101.9, 1.5);
    close(l.measured_p50_ms.unwrap(), 1.1 * 52.1, 2.0);
}

#[test]
fn only_calibrated_fields_change() {
    let current = Tier::Small.scenario();
    let cal = run(&fixture("week-300s.json")).unwrap();
    let mut expected = current.clone();
    let c = &cal.scenario;
    expected.name = c.name.clone();
    expected.traffic.peak_rps = c.traffic.peak_rps;
    expected.traffic.peak_to_avg = c.traffic.peak_to_avg;
    expected.traffic.response_kb = c.traffic.response_kb;
    expected.traffic.cache_hit_ratio = c.traffic.cache_hit_ratio;
    expected.backend.cpu_ms_per_request = c.backend.cpu_ms_per_request;
    expected.backend.db_pool_per_task = c.backend.db_pool_per_task;
    expected.alb.requests_per_connection = c.alb.requests_per_connection;
    expected.alb.connection_seconds = c.alb.connection_seconds;
    expected.cache.working_set_gb = c.cache.working_set_gb;
    expected.database.qps_per_vcpu = c.database.qps_per_vcpu;
    expected.simulation.profile = c.simulation.profile;
    expected.simulation.trough_share = c.simulation.trough_share;
    assert_eq!(&expected, c);
}

#[test]
fn a_missing_metric_keeps_its_fields_and_names_what_is_missing() {
    let text = edit(&fixture("week-300s.json"), |v| {
        v["MetricDataResults"].as_array_mut().unwrap().retain(|s| s["Id"] != "ecs_cpu");
    });
    let cal = run(&text).unwrap();
    let current = Tier::Small.scenario();
    assert_eq!(number(&cal, "cpu_ms"), None);
    assert_eq!(cal.scenario.backend.cpu_ms_per_request, current.backend.cpu_ms_per_request);
    // Only the RDS series is labelled CPUUtilization now, and it is taken by its Id.
    let why = note(&cal, "cpu_ms");
    assert!(why.starts_with("kept: CPUUtilization (Id `ecs_cpu`) is missing"), "{why}");
    assert!(cal.problems.iter().any(|p| p.contains("`ecs_cpu`")));
    // Everything else is still calibrated.
    assert_eq!(number(&cal, "peak_rps"), Some(20.0));
    assert_eq!(number(&cal, "db_pool"), Some(10.0));
}

#[test]
fn the_latency_check_says_what_is_missing() {
    let text = edit(&fixture("week-300s.json"), |v| {
        v["MetricDataResults"]
            .as_array_mut()
            .unwrap()
            .retain(|s| s["Id"] != "response_p95" && s["Id"] != "response_p50");
    });
    let cal = run(&text).unwrap();
    let e = cal.latency.unwrap_err();
    assert!(e.0.contains("TargetResponseTime p95 (Id `response_p95`) is missing"), "{e}");
}

#[test]
fn series_are_found_by_label_when_ids_differ() {
    let text = edit(&fixture("week-300s.json"), |v| {
        for (i, s) in v["MetricDataResults"].as_array_mut().unwrap().iter_mut().enumerate() {
            let id = s["Id"].as_str().unwrap().to_string();
            s["Id"] = json!(format!("m{i}"));
            // The user's own labels: the metric name plus a word where two series share it.
            match id.as_str() {
                "ecs_cpu" => s["Label"] = json!("ECS CPUUtilization"),
                "db_cpu" => s["Label"] = json!("RDS CPUUtilization"),
                "response_p95" => s["Label"] = json!("TargetResponseTime p95"),
                "response_p50" => s["Label"] = json!("TargetResponseTime p50"),
                _ => {}
            }
        }
    });
    let cal = run(&text).unwrap();
    assert!(cal.problems.is_empty(), "{:?}", cal.problems);
    close(number(&cal, "cpu_ms").unwrap(), 8.75, 0.05);
    assert!(cal.latency.is_ok());
}

#[test]
fn a_shared_metric_name_without_a_telling_label_is_not_guessed() {
    let text = edit(&fixture("week-300s.json"), |v| {
        for (i, s) in v["MetricDataResults"].as_array_mut().unwrap().iter_mut().enumerate() {
            s["Id"] = json!(format!("m{i}"));
        }
    });
    let cal = run(&text).unwrap();
    let why = note(&cal, "cpu_ms");
    assert!(
        why.contains(
            "is ambiguous: a series labelled `CPUUtilization` could be `ecs_cpu` or \
            `db_cpu`; give the query the Id `ecs_cpu`"
        ),
        "{why}"
    );
    assert!(cal.latency.as_ref().unwrap_err().0.contains("response_p95"));
    // Unambiguous labels still work.
    assert_eq!(number(&cal, "peak_rps"), Some(20.0));
}

#[test]
fn pages_of_one_series_are_merged() {
    // The AWS CLI concatenates pages: each Id appears once per page with part of its points.
    let text = edit(&fixture("week-300s.json"), |v| {
        let results = v["MetricDataResults"].as_array().unwrap().clone();
        let mut pages = Vec::new();
        for s in &results {
            let n = s["Timestamps"].as_array().unwrap().len();
            for (k, range) in [(0, 0..n / 3), (1, n / 3..n)] {
                let mut part = s.clone();
                part["Timestamps"] = json!(s["Timestamps"].as_array().unwrap()[range.clone()]);
                part["Values"] = json!(s["Values"].as_array().unwrap()[range]);
                part["StatusCode"] = json!(if k == 0 { "PartialData" } else { "Complete" });
                pages.push(part);
            }
        }
        v["MetricDataResults"] = json!(pages);
    });
    let whole = run(&fixture("week-300s.json")).unwrap();
    let paged = run(&text).unwrap();
    assert_eq!(whole.scenario, paged.scenario);
    assert!(paged.problems.is_empty());
}

#[test]
fn an_incomplete_series_is_named() {
    let text = edit(&fixture("week-300s.json"), |v| {
        series(v, "cache_hits")["StatusCode"] = json!("PartialData")
    });
    let cal = run(&text).unwrap();
    assert!(note(&cal, "cache_hit")
        .contains("CacheHits (Id `cache_hits`) is incomplete (StatusCode PartialData)"));
    assert_eq!(
        cal.scenario.traffic.cache_hit_ratio,
        Tier::Small.scenario().traffic.cache_hit_ratio
    );
}

#[test]
fn a_gap_in_all_series_is_reported_and_left_out() {
    // Drop Wednesday 2026-11-04 from every series.
    let (from, to) = (
        parse_time(&json!("2026-11-04T00:00:00Z")).unwrap(),
        parse_time(&json!("2026-11-05T00:00:00Z")).unwrap(),
    );
    let text = edit(&fixture("week-300s.json"), |v| {
        for s in v["MetricDataResults"].as_array_mut().unwrap() {
            let (ts, vs): (Vec<Value>, Vec<Value>) = s["Timestamps"]
                .as_array()
                .unwrap()
                .iter()
                .zip(s["Values"].as_array().unwrap())
                .filter(|(t, _)| !(from..to).contains(&parse_time(t).unwrap()))
                .map(|(t, v)| (t.clone(), v.clone()))
                .unzip();
            s["Timestamps"] = json!(ts);
            s["Values"] = json!(vs);
        }
    });
    let cal = run(&text).unwrap();
    let gap = cal.problems.iter().find(|p| p.starts_with("RequestCount")).expect("a gap message");
    assert!(
        gap.contains("288 of 2016 periods missing")
            && gap.contains("24.0 h from 2026-11-04 00:00 UTC"),
        "{gap}"
    );
    // The average leaves the gap out: (4 x 7.25 + 2 x 1.8125) / 6 = 5.438 -> 20 / 5.438 = 3.678.
    close(number(&cal, "peak_to_avg").unwrap(), 3.68, 0.01);
}

#[test]
fn quiet_periods_the_alb_skipped_count_as_no_traffic() {
    // The ALB publishes nothing in a minute without requests; ECS still reports CPU then.
    let night = parse_time(&json!("2026-11-03T03:00:00Z")).unwrap();
    let text = edit(&fixture("week-300s.json"), |v| {
        let s = series(v, "requests");
        let keep: Vec<bool> = s["Timestamps"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| !(night..night + 3600).contains(&parse_time(t).unwrap()))
            .collect();
        for key in ["Timestamps", "Values"] {
            let kept: Vec<Value> = s[key]
                .as_array()
                .unwrap()
                .iter()
                .zip(&keep)
                .filter(|(_, k)| **k)
                .map(|(x, _)| x.clone())
                .collect();
            s[key] = json!(kept);
        }
    });
    let cal = run(&text).unwrap();
    assert!(
        cal.problems.iter().any(|p| p.contains("12 periods without requests")),
        "{:?}",
        cal.problems
    );
    // One hour at 2 req/s less: the average drops by 7200 / 604800 s = 0.0119 req/s.
    close(number(&cal, "peak_to_avg").unwrap(), 20.0 / (5.696 - 0.0119), 0.01);
}

#[test]
fn another_period_is_named() {
    // Every other CPU point: a 600-second series among 300-second ones.
    let text = edit(&fixture("week-300s.json"), |v| {
        let s = series(v, "ecs_cpu");
        for key in ["Timestamps", "Values"] {
            let every_other: Vec<Value> =
                s[key].as_array().unwrap().iter().step_by(2).cloned().collect();
            s[key] = json!(every_other);
        }
    });
    let cal = run(&text).unwrap();
    assert!(note(&cal, "cpu_ms").contains(
        "CPUUtilization (Id `ecs_cpu`) has 600-second periods \
        but the requests have 300-second periods"
    ));
    // Hourly data for everything: refused with the period named.
    let hourly = edit(&fixture("week-300s.json"), |v| {
        for s in v["MetricDataResults"].as_array_mut().unwrap() {
            for key in ["Timestamps", "Values"] {
                let every_12th: Vec<Value> =
                    s[key].as_array().unwrap().iter().step_by(12).cloned().collect();
                s[key] = json!(every_12th);
            }
        }
    });
    let e = run(&hourly).unwrap_err();
    assert!(
        e.contains(
            "RequestCount (Id `requests`) has 3600-second periods; calibration reads 60 or 300"
        ),
        "{e}"
    );
}

#[test]
fn wrong_files_get_a_message_saying_what_they_are() {
    let cases: [(&str, &str); 7] = [
        ("", "the metrics file is empty"),
        ("   \n", "the metrics file is empty"),
        ("RequestCount 12", "not JSON"),
        (
            r#"{"Label": "CPUUtilization", "Datapoints": []}"#,
            "comes from `aws cloudwatch get-metric-statistics`",
        ),
        (r#"{"MetricAlarms": []}"#, "comes from `aws cloudwatch describe-alarms`"),
        (r#"{"MetricDataResults": [], "Messages": []}"#, "`MetricDataResults` is empty"),
        (
            r#"{"MetricDataResults": [{"Id": "x1", "Label": "Foo", "Timestamps": ["2026-11-02T00:00:00Z"], "Values": [1]}]}"#,
            "none of the series calibration reads is in the file",
        ),
    ];
    for (text, want) in cases {
        let e = run(text).unwrap_err();
        assert!(e.contains(want), "{text:?}: {e}");
    }
    let scenario = serde_json::to_string(&Tier::Small.scenario()).unwrap();
    assert!(run(&scenario).unwrap_err().contains("the planner (a scenario file)"));
    let damaged = r#"{"MetricDataResults": [{"Id": "requests", "Timestamps": ["2026-11-02T00:00:00Z"], "Values": []}]}"#;
    assert!(run(damaged).unwrap_err().contains("1 timestamps but 0 values"));
}

#[test]
fn a_file_with_no_usable_figure_changes_nothing() {
    // Only ElastiCache memory, one point: nothing to calibrate the traffic from.
    let text = r#"{"MetricDataResults": [{"Id": "requests", "Timestamps": ["2026-11-02T00:00:00Z"], "Values": [5]}]}"#;
    let e = run(text).unwrap_err();
    assert!(e.contains("fewer than two data points"), "{e}");
}

#[test]
fn timestamps_in_the_formats_the_cli_prints() {
    let t = |s: &str| parse_time(&json!(s));
    assert_eq!(t("2026-11-02T13:00:00Z"), Some(1_793_624_400));
    assert_eq!(t("2026-11-02T13:00:00+00:00"), Some(1_793_624_400));
    assert_eq!(t("2026-11-02T14:00:00.000+01:00"), Some(1_793_624_400));
    assert_eq!(t("2026-11-02 13:00:00"), Some(1_793_624_400));
    assert_eq!(parse_time(&json!(1_793_624_400)), Some(1_793_624_400));
    assert_eq!(parse_time(&json!(1_793_624_400_000u64)), Some(1_793_624_400));
    assert_eq!(t("yesterday"), None);
    assert_eq!(t("2026-13-02T13:00:00Z"), None);
    assert_eq!(format_time(1_793_624_400), "2026-11-02 13:00 UTC");
}

#[test]
fn the_calibrated_scenario_round_trips_as_a_file() {
    let cal = run(&fixture("week-300s.json")).unwrap();
    let text = bridge_planner::model::share::encode_file(&cal.scenario);
    let back = bridge_planner::model::share::decode_file(&text, &Catalog::embedded()).unwrap();
    assert_eq!(back, cal.scenario);
    let link = bridge_planner::model::share::encode_link(&cal.scenario);
    assert_eq!(
        bridge_planner::model::share::decode_link(&link, &Catalog::embedded()).unwrap(),
        cal.scenario
    );
    // A bad measured week is refused like a bad custom day.
    let mut bad: Scenario = cal.scenario.clone();
    bad.simulation.profile = Profile::CustomWeek { weekday: [1.5; 24], weekend: [0.0; 24] };
    assert!(bad.validate(&Catalog::embedded()).iter().any(|e| e.field == "simulation.profile"));
}

#[test]
fn a_custom_week_runs_friday_night_into_saturday() {
    let mut weekday = [1.0; 24];
    weekday[0] = 0.0;
    let weekend = [0.0; 24];
    let p = Profile::CustomWeek { weekday, weekend };
    // Friday 23:30 (day 4): halfway from the weekday's 23:00 (1.0) to Saturday 00:00 (0.0).
    assert_eq!(p.shape(4 * 1440 + 23 * 60 + 30), 0.5);
    // Sunday 23:30: halfway to Monday 00:00 (0.0 on a weekday too).
    assert_eq!(p.shape(6 * 1440 + 23 * 60 + 30), 0.0);
    assert_eq!(p.shape(2 * 1440 + 12 * 60), 1.0);
    assert_eq!(p.key(), "custom_week");
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// Any text gets a calibration or a message, never a panic or a non-finite figure.
        #[test]
        fn any_input_is_an_answer_or_a_message(
            ids in prop::collection::vec(prop::sample::select(vec!["requests", "ecs_cpu",
                "running_tasks", "db_connections", "cache_hits", "cache_misses", "response_p95",
                "x"]), 1..6),
            values in prop::collection::vec(prop::num::f64::ANY, 0..40),
            step in prop::sample::select(vec![0i64, 60, 300, 61, 3600]),
        ) {
            let results: Vec<Value> = ids.iter().map(|id| {
                let vs: Vec<Value> = values.iter().map(|v| if v.is_finite() { json!(v) } else {
                    json!(0) }).collect();
                let ts: Vec<Value> = (0..vs.len()).map(|i| json!(1_793_577_600 + i as i64 *
                    step)).collect();
                json!({"Id": id, "Label": "", "Timestamps": ts, "Values": vs, "StatusCode":
                    "Complete"})
            }).collect();
            let text = json!({"MetricDataResults": results}).to_string();
            if let Ok(cal) = run(&text) {
                for r in &cal.rows {
                    if let Some(FieldValue::Number(v)) = r.calibrated {
                        prop_assert!(v.is_finite()); }
                }
                prop_assert!(cal.scenario.validate(&Catalog::embedded()).is_empty());
            }
        }

        #[test]
        fn any_text_is_an_answer_or_a_message(text in ".{0,200}") {
            let _ = run(&text);
        }
    }
}

mod command_line {
    use super::*;
    use bridge_planner::cli::run as cli;
    use bridge_planner::export::metrics_query::fetch_script_for;
    use bridge_planner::model::metric_data::METRICS;

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    /// The query list inside the script, with the shell's two expansions filled in.
    fn queries(script: &str) -> Vec<Value> {
        let start = script.find("<<EOF\n").unwrap() + 6;
        let end = script[start..].find("\nEOF\n").unwrap() + start;
        let json = script[start..end]
            .replace("${ALB}", "app/bridge-alb/50dc6c495c0c9188")
            .replace("${PERIOD}", "300");
        serde_json::from_str(&json).unwrap()
    }

    #[test]
    fn help_prints_the_fetch_script_with_the_exported_names() {
        let help = cli(&args(&["calibrate", "--help", "--tier", "small"])).unwrap();
        for want in [
            "aws cloudwatch get-metric-data",
            "--names 'bridge-alb'",
            "\"bridge-cluster\"",
            "\"bridge-backend\"",
            "\"bridge-db\"",
            "\"CacheClusterId\",\"Value\":\"bridge-cache\"",
            "ECS/ContainerInsights",
            "\"Stat\":\"p95\"",
            "--metric-data-queries file://metric-queries.json",
        ] {
            assert!(help.contains(want), "{want}");
        }
        let q = queries(&help);
        for m in METRICS.iter() {
            let query =
                q.iter().find(|x| x["Id"] == m.id).unwrap_or_else(|| panic!("query {}", m.id));
            assert_eq!(query["MetricStat"]["Metric"]["MetricName"], m.metric);
            assert_eq!(query["MetricStat"]["Stat"], m.stat);
            assert_eq!(query["MetricStat"]["Period"], 300);
        }
        // The default (no scenario) is the Medium tier: one cache shard with a replica.
        assert!(cli(&args(&["calibrate", "--help"]))
            .unwrap()
            .contains("names of the scenario `Medium tier`"));
        assert!(cli(&args(&["help"])).unwrap().contains("scaling-plan calibrate --metrics FILE"));
    }

    #[test]
    fn cache_nodes_of_a_replication_group_are_summed() {
        let mut s = Tier::Small.scenario();
        s.cache.cluster_mode = true;
        s.cache.shards = 2;
        s.cache.replicas_per_shard = 1;
        let q = queries(&fetch_script_for(&s, &Catalog::embedded()));
        let node = |id: &str| {
            q.iter().find(|x| x["Id"] == id).unwrap()["MetricStat"]["Metric"]["Dimensions"][0]
                ["Value"]
                .clone()
        };
        // Hits and misses over every node (2 shards x (primary + replica)), bytes over shards.
        assert_eq!(node("cache_hits_1"), "bridge-cache-0001-001");
        assert_eq!(node("cache_hits_4"), "bridge-cache-0002-002");
        assert_eq!(node("cache_bytes_2"), "bridge-cache-0002-001");
        let sum = |id: &str| q.iter().find(|x| x["Id"] == id).unwrap()["Expression"].clone();
        assert_eq!(
            sum("cache_hits"),
            "SUM([cache_hits_1, cache_hits_2, cache_hits_3, cache_hits_4])"
        );
        assert_eq!(sum("cache_bytes"), "SUM([cache_bytes_1, cache_bytes_2])");
        assert!(q
            .iter()
            .filter(|x| x["Id"].as_str().unwrap().contains("_hits_"))
            .all(|x| x["ReturnData"] == false));
        // One shard with a replica (cluster mode off): <id>-001, <id>-002.
        let q = queries(&fetch_script_for(&Tier::Medium.scenario(), &Catalog::embedded()));
        assert!(q
            .iter()
            .any(|x| x["MetricStat"]["Metric"]["Dimensions"][0]["Value"] == "bridge-cache-002"));
        // Ids: unique, a lowercase letter first, letters, digits and `_` (GetMetricData's rule);
        // at most 500 queries.
        let ids: Vec<&str> = q.iter().map(|x| x["Id"].as_str().unwrap()).collect();
        let mut unique = ids.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), ids.len());
        assert!(ids.iter().all(|i| i.starts_with(|c: char| c.is_ascii_lowercase())
            && i.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')));
        assert!(ids.len() <= 500);
    }

    #[test]
    fn calibrate_writes_a_scenario_the_other_commands_read() {
        let dir = std::env::temp_dir().join(format!("calibrate-cli-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let out = dir.join("calibrated.json");
        let metrics =
            format!("{}/tests/fixtures/calibrate/week-300s.json", env!("CARGO_MANIFEST_DIR"));
        let report = cli(&args(&[
            "calibrate",
            "--metrics",
            &metrics,
            "--tier",
            "small",
            "--out",
            out.to_str().unwrap(),
        ]))
        .unwrap();
        assert!(
            report.starts_with(
                "Calibrated 12 of 14 fields from 2026-11-02 00:00 UTC to 2026-11-09 00:00 UTC"
            ),
            "{report}"
        );
        assert!(report.contains("The system is 102% slower than the model at p95."), "{report}");
        let plan = cli(&args(&["plan", "--scenario", out.to_str().unwrap()])).unwrap();
        let p: Value = serde_json::from_str(&plan).unwrap();
        assert_eq!(
            p["simulation"]["profile"]["custom_week"]["weekday"].as_array().unwrap().len(),
            24
        );
        // Without --out the scenario is the output.
        let scenario =
            cli(&args(&["calibrate", "--metrics", &metrics, "--tier", "small"])).unwrap();
        assert!(Scenario::from_json(&scenario, &Catalog::embedded()).is_ok());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn calibrate_errors_name_what_is_wrong() {
        assert!(cli(&args(&["calibrate", "--tier", "small"]))
            .unwrap_err()
            .to_string()
            .contains("missing --metrics FILE"));
        assert!(cli(&args(&["calibrate", "--metrics", "/nonexistent/m.json", "--tier", "small"]))
            .unwrap_err()
            .to_string()
            .contains("cannot read metrics file"));
        assert!(cli(&args(&["calibrate", "--metrics", "/dev/null", "--tier", "small"]))
            .unwrap_err()
            .to_string()
            .contains("the metrics file is empty"));
        assert!(cli(&args(&["calibrate", "--metric", "x", "--tier", "small"]))
            .unwrap_err()
            .to_string()
            .contains("unknown argument `--metric`"));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        /// Whatever valid app name: the script expands only its own variables (the name is
        /// limited to lowercase letters, digits and hyphens, none special to the shell).
        #[test]
        fn the_script_expands_only_its_own_variables(app in "[a-z][a-z0-9-]{0,19}") {
            let mut s = Tier::Large.scenario();
            s.deploy.app_name = app;
            proptest::prop_assume!(s.validate(&Catalog::embedded()).is_empty());
            let script = fetch_script_for(&s, &Catalog::embedded());
            // Backticks only in comment lines.
            proptest::prop_assert!(script.lines().filter(|l| !l.starts_with('#')).all(|l|
                !l.contains('`')));
            let allowed = ["${DAYS:-14}", "${PERIOD:-300}", "${DAYS}", "${ALB}", "${PERIOD}",
                "$REGION", "$START", "$END", "$(aws ", "$(date "];
            for (i, _) in script.match_indices('$') {
                proptest::prop_assert!(allowed.iter().any(|a| script[i..].starts_with(a)),
                    "unexpected expansion at {}", &script[i..(i + 20).min(script.len())]);
            }
            proptest::prop_assert_eq!(queries(&script).len(),
                queries(&fetch_script_for(&Tier::Large.scenario(), &Catalog::embedded())).len());
        }
    }
}

#[test]
fn without_requests_the_traffic_fields_name_the_request_series() {
    let text = edit(&fixture("week-300s.json"), |v| {
        v["MetricDataResults"].as_array_mut().unwrap().retain(|s| s["Id"] != "requests");
    });
    let cal = run(&text).unwrap();
    for id in [
        "peak_rps",
        "peak_to_avg",
        "simulation.profile",
        "cpu_ms",
        "response_kb",
        "req_per_conn",
        "db_qps",
    ] {
        assert!(
            note(&cal, id).contains("RequestCount (Id `requests`) is missing"),
            "{id}: {}",
            note(&cal, id)
        );
    }
    assert!(cal
        .latency
        .as_ref()
        .unwrap_err()
        .0
        .contains("RequestCount (Id `requests`) is missing"));
    // What needs no requests is still calibrated.
    assert_eq!(number(&cal, "cache_hit"), Some(85.0));
    assert_eq!(number(&cal, "db_pool"), Some(10.0));
    assert_eq!(cal.scenario.traffic.peak_rps, Tier::Small.scenario().traffic.peak_rps);
}

#[test]
fn readme_shows_the_fetch_script_as_the_cli_prints_it() {
    let readme =
        std::fs::read_to_string(format!("{}/README.md", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let script = bridge_planner::export::metrics_query::fetch_script_for(
        &Tier::Medium.scenario(),
        &Catalog::embedded(),
    );
    assert!(
        readme.contains(&format!("```bash\n{script}```")),
        "README's fetch script is the one `scaling-plan calibrate --help` prints"
    );
}
