//! A hostile metrics file costs bounded time and memory (issue #26, findings 2 and 3): timestamps
//! outside a sane window are refused naming the series, calibration's loops are bounded by the
//! data, parsing is linear in the number of series, and a file over the size cap is refused by
//! its size. Each test runs its work on a thread with a deadline, so a hang fails instead of
//! stalling the suite.

use bridge_planner::cli;
use bridge_planner::model::calibrate::calibrate;
use bridge_planner::model::metric_data::{parse, MAX_METRICS_BYTES};
use bridge_planner::model::{Catalog, Tier};
use serde_json::json;
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// `f`'s result, or a failure when it takes longer than `secs` (the thread is left behind).
fn within<T: Send + 'static>(secs: u64, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(Duration::from_secs(secs))
        .unwrap_or_else(|_| panic!("still running after {secs} s"))
}

fn calibrate_text(text: String) -> Result<usize, String> {
    calibrate(&Tier::Small.scenario(), &Catalog::embedded(), &text)
        .map(|c| c.rows.len())
        .map_err(|e| e.to_string())
}

/// Requests every 300 s from 2026-11-02 00:00 UTC (1793577600), plus `extra` timestamps.
fn requests_with(extra: &[serde_json::Value]) -> String {
    let mut times: Vec<serde_json::Value> =
        (0..24).map(|i| json!(1_793_577_600 + i * 300)).collect();
    let mut values: Vec<serde_json::Value> = (0..24).map(|_| json!(100.0)).collect();
    for t in extra {
        times.push(t.clone());
        values.push(json!(1.0));
    }
    json!({"MetricDataResults": [
        {"Id": "requests", "Label": "RequestCount", "StatusCode": "Complete",
         "Timestamps": times, "Values": values},
        {"Id": "ecs_cpu", "Label": "CPUUtilization", "StatusCode": "Complete",
         "Timestamps": [1_793_577_600, 1_793_577_900], "Values": [30.0, 31.0]}
    ]})
    .to_string()
}

#[test]
fn the_issues_162_byte_file_is_refused_at_once_naming_the_series() {
    // The issue's file: one timestamp of -9.2e18 beside ordinary ones made request_grid step
    // ~1.5e17 periods.
    let text = r#"{"MetricDataResults":[{"Id":"requests","Timestamps":[-9.2e18,1793577600,1793577900],"Values":[1,2,3]}]}"#;
    let started = Instant::now();
    let e = within(10, move || calibrate_text(text.to_string())).unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(2), "took {:?}", started.elapsed());
    assert!(e.contains("series `requests`") && e.contains("-9.2e+18"), "{e}");
    assert!(e.contains("2000-01-01") && e.contains("2100-01-01"), "{e}");
}

#[test]
fn a_year_2999_timestamp_is_refused() {
    // 2999-01-01T00:00:00Z as text and as epoch seconds (32472144000).
    for t in [json!("2999-01-01T00:00:00Z"), json!(32_472_144_000i64)] {
        let e = within(10, move || calibrate_text(requests_with(&[t]))).unwrap_err();
        assert!(e.contains("series `requests`") && e.contains("outside"), "{e}");
    }
}

#[test]
fn a_series_longer_than_cloudwatch_keeps_is_refused() {
    // 2001-01-01 (978307200) is inside the window but 25 years before the rest.
    let e = within(10, || calibrate_text(requests_with(&[json!(978_307_200)]))).unwrap_err();
    assert!(e.contains("series `requests` spans") && e.contains("455 days"), "{e}");
}

#[test]
fn a_sparse_year_calibrates_in_bounded_time() {
    // Two points a year apart at 60-second periods: the grid between them is 525,600 periods
    // with nothing in them; calibration must not step through 1e17 of them, and this many it
    // counts without stepping (the loop is bounded by the data's points).
    let year = 365 * 86_400;
    let text = json!({"MetricDataResults": [{"Id": "requests", "Timestamps":
        [1_762_041_600i64, 1_762_041_660i64, 1_762_041_600i64 + year], "Values": [1, 2, 3]}]})
    .to_string();
    let started = Instant::now();
    let _ = within(20, move || calibrate_text(text));
    assert!(started.elapsed() < Duration::from_secs(5), "took {:?}", started.elapsed());
}

/// A response with `n` series of one point each, Ids `m0`..`m{n-1}` (the shape the issue
/// measured: many Ids, so the merge by Id dominates).
fn many_series(n: usize) -> String {
    let mut out = String::from(r#"{"MetricDataResults":["#);
    for i in 0..n {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&format!(
            r#"{{"Id":"m{i:07}","Label":"x","StatusCode":"Complete","Timestamps":["2026-11-02T13:00:00Z"],"Values":[1.0]}}"#
        ));
    }
    out.push_str("]}");
    out
}

#[test]
fn parsing_is_linear_in_the_number_of_series() {
    // 100k Ids: about 10 s on main's quadratic merge in a release build (53 s for 160k), well
    // over a minute in a debug build; linear, about a second in debug.
    let text = many_series(100_000);
    let n = within(30, move || parse(&text).map(|d| d.series.len())).unwrap();
    assert_eq!(n, 100_000);
}

#[test]
fn a_file_over_the_cap_is_refused_by_its_size() {
    let e = parse(&" ".repeat(MAX_METRICS_BYTES + 1)).unwrap_err().to_string();
    assert!(e.contains("33.6 MB") && e.contains("at most 32 MB"), "{e}");
    // The CLI refuses by the file's size without reading it (a sparse file of 40 MB).
    let dir = std::env::temp_dir().join(format!("metric-limits-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("metrics.json");
    std::fs::File::create(&path).unwrap().set_len(40_000_000).unwrap();
    let argv: Vec<String> = ["calibrate", "--metrics", path.to_str().unwrap(), "--tier", "small"]
        .map(String::from)
        .into();
    let e = cli::run(&argv).unwrap_err();
    assert_eq!(e.exit_code(), 2);
    assert!(e.to_string().contains("is 40.0 MB; calibration reads at most 32 MB"), "{e}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The figures in the report: `cargo test --release --test metric_limits -- --ignored
/// --nocapture`.
#[test]
#[ignore]
fn measure_parse_time_by_series_count() {
    for n in [10_000, 40_000, 160_000] {
        let text = many_series(n);
        let started = Instant::now();
        let parsed = parse(&text).unwrap();
        println!(
            "{n} ids ({:.1} MB): {:.3} s",
            text.len() as f64 / 1e6,
            started.elapsed().as_secs_f64()
        );
        assert_eq!(parsed.series.len(), n);
    }
}
