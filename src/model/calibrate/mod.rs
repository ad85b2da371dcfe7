//! Calibration: the figures of a scenario measured from CloudWatch instead of guessed. Reads
//! `get-metric-data` output (see `metric_data`) and returns the calibrated scenario with one
//! row per field: the value, the series it came from and how many data points support it, or
//! why the field keeps its value. Also the model's p95 against the measured p95 at the same load.
//! Pure: no I/O, no web types; every figure comes from the data or from `plan()`.

use super::catalog::Catalog;
use super::metric_data::{
    self, find, format_time, period_of, weekday, MetricData, MetricKey, Series,
};
use super::plan::plan;
use super::scenario::{Edit, Field, LaunchType, Scenario};
use super::simulate::Profile;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

mod error;
mod grid;
mod latency;
mod rows;
pub use error::{CalibrationError, Unavailable};
use grid::*;
use latency::*;
use rows::*;

/// Periods the calibration reads: CloudWatch's one-minute and five-minute data.
pub const PERIODS: [i64; 2] = [60, 300];

/// Weekends count as their own day when their daily requests differ from weekdays' by more
/// than this share.
const WEEKEND_DIFFERENCE: f64 = 0.2;

/// A field's value: a number, or words (the traffic shape).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum FieldValue {
    Number(f64),
    Text(String),
}

/// One row of the report: a field, its value now and calibrated (None: kept, `note` says why).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldRow {
    /// The scenario field: a `FIELDS` id or a path such as `alb.connection_seconds`.
    pub id: &'static str,
    pub label: &'static str,
    pub unit: &'static str,
    pub current: FieldValue,
    pub calibrated: Option<FieldValue>,
    /// The series the value came from.
    pub source: String,
    /// Data points behind the value.
    pub points: usize,
    pub note: String,
}

/// The model against the system at the busiest hour of the data.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LatencyCheck {
    /// The hour compared, e.g. `2026-11-04 13:00 UTC`.
    pub hour: String,
    pub rps: f64,
    pub tasks: u32,
    pub measured_p50_ms: Option<f64>,
    pub measured_p95_ms: f64,
    /// The calibrated model at that load and task count (None: saturated).
    pub predicted_p50_ms: Option<f64>,
    pub predicted_p95_ms: Option<f64>,
    /// (measured - predicted) / predicted, percent.
    pub p95_gap_pct: Option<f64>,
    pub points: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Window {
    pub start: String,
    pub end: String,
    pub period_s: i64,
    pub days: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Calibration {
    pub scenario: Scenario,
    pub rows: Vec<FieldRow>,
    /// Why the latency check could not be made, or the check.
    pub latency: Result<LatencyCheck, Unavailable>,
    pub window: Window,
    /// Missing series, gaps, other periods, incomplete series: each names what it is about.
    pub problems: Vec<String>,
}

impl Calibration {
    /// Rows whose value changed.
    pub fn calibrated_count(&self) -> usize {
        self.rows.iter().filter(|r| r.calibrated.is_some()).count()
    }
}

/// A series on the request series' time grid: value by period start.
type Grid = HashMap<i64, f64>;

/// The series found, each on its own grid, plus what was wrong with the others.
struct Inputs<'a> {
    catalog: &'a Catalog,
    period: i64,
    grids: BTreeMap<MetricKey, Grid>,
    missing: BTreeMap<MetricKey, Unavailable>,
    /// Requests per period, with the periods the ALB reported nothing while ECS reported
    /// (no request arrived) as zero. Data gaps stay absent.
    requests: Grid,
    start: i64,
    end: i64,
    problems: Vec<String>,
}

impl Inputs<'_> {
    fn grid(&self, key: MetricKey) -> Result<&Grid, Unavailable> {
        self.grids.get(&key).ok_or_else(|| {
            self.missing
                .get(&key)
                .cloned()
                .unwrap_or_else(|| Unavailable(format!("{} is missing", key.name())))
        })
    }
    /// Periods where every series in `keys` has a value, with the request count first.
    fn joined(&self, keys: &[MetricKey]) -> Result<Vec<(i64, f64, Vec<f64>)>, Unavailable> {
        self.grid(MetricKey::Requests)?;
        let grids: Vec<&Grid> = keys.iter().map(|k| self.grid(*k)).collect::<Result<_, _>>()?;
        let mut rows: Vec<(i64, f64, Vec<f64>)> = self
            .requests
            .iter()
            .filter_map(|(t, n)| {
                grids
                    .iter()
                    .map(|g| g.get(t).copied())
                    .collect::<Option<Vec<f64>>>()
                    .map(|v| (*t, *n, v))
            })
            .collect();
        rows.sort_by_key(|r| r.0);
        Ok(rows)
    }
}

/// Calibrates `current` from `get-metric-data` output. `Err` only when nothing in the file can
/// calibrate anything (empty, another command's output, no known series); otherwise every
/// field the data cannot support keeps its value and its row says why.
pub fn calibrate(
    current: &Scenario,
    catalog: &Catalog,
    text: &str,
) -> Result<Calibration, CalibrationError> {
    let data = metric_data::parse(text)?;
    let inputs = prepare(&data, catalog)?;
    let mut next = current.clone();
    let mut rows = Vec::new();
    traffic_rows(&inputs, current, &mut next, &mut rows);
    rows.push(shape_row(&inputs, current, &mut next));
    rows.push(cpu_row(&inputs, current, &mut next));
    rows.push(tasks_row(&inputs, current, &mut next));
    alb_rows(&inputs, current, &mut next, &mut rows);
    cache_rows(&inputs, current, &mut next, &mut rows);
    rows.push(pool_row(&inputs, current, &mut next));
    rows.push(db_capacity_row(&inputs, current, catalog, &mut next));
    rows.extend(info_rows(&inputs, current));
    if rows.iter().all(|r| r.calibrated.is_none()) {
        let why: Vec<String> =
            rows.iter().map(|r| format!("{}: {}", r.label, r.note)).take(4).collect();
        return Err(CalibrationError::NothingCalibrated { why });
    }
    if !next.name.ends_with("(calibrated)") {
        next.name = format!("{} (calibrated)", next.name.chars().take(60).collect::<String>());
    }
    if let Some(e) = next.validate(catalog).first() {
        return Err(CalibrationError::Invalid(e.to_string()));
    }
    let latency = latency_check(&inputs, &next, catalog);
    let window = Window {
        start: format_time(inputs.start),
        end: format_time(inputs.end),
        period_s: inputs.period,
        days: (inputs.end - inputs.start) as f64 / 86400.0,
    };
    Ok(Calibration { scenario: next, rows, latency, window, problems: inputs.problems })
}

impl LatencyCheck {
    /// How far the system is from the model, in words (empty when the model is saturated).
    pub fn verdict(&self) -> String {
        match self.p95_gap_pct {
            Some(gap) => {
                format!(
                    " The system is {:.0}% {} than the model at p95.",
                    gap.abs(),
                    if gap >= 0.0 { "slower" } else { "faster" }
                )
            }
            None => String::new(),
        }
    }
}

impl FieldValue {
    /// The value as the report shows it.
    pub fn text(&self) -> String {
        match self {
            FieldValue::Number(v) if v.fract() == 0.0 => format!("{v:.0}"),
            FieldValue::Number(v) => format!("{}", round_to(*v, 3)),
            FieldValue::Text(t) => t.clone(),
        }
    }
}

impl Calibration {
    /// The report as text (the CLI prints it): window, every field, the latency check, problems.
    pub fn summary(&self) -> String {
        let w = &self.window;
        let mut out = format!(
            "Calibrated {} of {} fields from {} to {} ({:.1} days, {}-second periods).\n\n",
            self.calibrated_count(),
            self.rows.len(),
            w.start,
            w.end,
            w.days,
            w.period_s
        );
        for r in &self.rows {
            let now = format!("{} {}", r.current.text(), r.unit);
            let new = match &r.calibrated {
                Some(v) => format!("{} {}", v.text(), r.unit),
                None => "kept".to_string(),
            };
            out.push_str(&format!(
                "{:<28} {:>16} -> {:<34} {} points of {}\n",
                r.label,
                now.trim(),
                new.trim(),
                r.points,
                r.source
            ));
            out.push_str(&format!("{:<28} {}\n", "", r.note));
        }
        out.push('\n');
        match &self.latency {
            Ok(l) => {
                let ms = |v: Option<f64>| {
                    v.map(|x| format!("{x:.0} ms")).unwrap_or_else(|| "saturated".into())
                };
                out.push_str(&format!(
                    "Latency at the busiest hour ({}, {:.2} req/s on {} tasks, {} points): \
                        measured p95 {:.0} ms, model {}; measured p50 {}, model {}.",
                    l.hour,
                    l.rps,
                    l.tasks,
                    l.points,
                    l.measured_p95_ms,
                    ms(l.predicted_p95_ms),
                    ms(l.measured_p50_ms),
                    ms(l.predicted_p50_ms)
                ));
                out.push_str(&l.verdict());
                out.push('\n');
            }
            Err(e) => out.push_str(&format!("Latency check not made: {e}\n")),
        }
        if !self.problems.is_empty() {
            out.push_str("\nIn the data:\n");
            for p in &self.problems {
                out.push_str(&format!("- {p}\n"));
            }
        }
        out
    }
}
