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
    pub latency: Result<LatencyCheck, String>,
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
    missing: BTreeMap<MetricKey, String>,
    /// Requests per period, with the periods the ALB reported nothing while ECS reported
    /// (no request arrived) as zero. Data gaps stay absent.
    requests: Grid,
    start: i64,
    end: i64,
    problems: Vec<String>,
}

impl Inputs<'_> {
    fn grid(&self, key: MetricKey) -> Result<&Grid, String> {
        self.grids.get(&key).ok_or_else(|| {
            self.missing.get(&key).cloned().unwrap_or_else(|| format!("{} is missing", key.name()))
        })
    }
    /// Periods where every series in `keys` has a value, with the request count first.
    fn joined(&self, keys: &[MetricKey]) -> Result<Vec<(i64, f64, Vec<f64>)>, String> {
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
pub fn calibrate(current: &Scenario, catalog: &Catalog, text: &str) -> Result<Calibration, String> {
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
        return Err(format!(
            "nothing in the metrics file can calibrate the scenario ({})",
            why.join("; ")
        ));
    }
    if !next.name.ends_with("(calibrated)") {
        next.name = format!("{} (calibrated)", next.name.chars().take(60).collect::<String>());
    }
    if let Some(e) = next.validate(catalog).first() {
        return Err(format!(
            "the calibrated scenario is not valid ({e}); the scenario in use is unchanged"
        ));
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

/// Finds every series, checks periods and status, and puts the requests on their grid.
fn prepare<'a>(data: &MetricData, catalog: &'a Catalog) -> Result<Inputs<'a>, String> {
    let mut found: Vec<(MetricKey, &Series)> = Vec::new();
    let mut missing = BTreeMap::new();
    let mut problems: Vec<String> =
        data.messages.iter().map(|m| format!("CloudWatch says: {m}")).collect();
    for spec in metric_data::METRICS.iter() {
        match find(data, spec.key) {
            Ok(s) => found.push((spec.key, s)),
            Err(e) => {
                problems.push(e.clone());
                missing.insert(spec.key, e);
            }
        }
    }
    if found.is_empty() {
        let ids: Vec<String> = data.series.iter().take(5).map(|s| format!("`{}`", s.id)).collect();
        return Err(format!(
            "none of the series calibration reads is in the file (it has {}); fetch with the command `scaling-plan calibrate --help` prints",
            ids.join(", ")
        ));
    }
    // The period: the request series' own, else the first series that has one.
    let base = found
        .iter()
        .find(|(k, _)| *k == MetricKey::Requests)
        .into_iter()
        .chain(found.iter())
        .find_map(|(k, s)| period_of(&s.points).map(|p| (*k, p)));
    let Some((base_key, period)) = base else {
        return Err("every series in the file has fewer than two data points: fetch a longer window (two weeks)".into());
    };
    if !PERIODS.contains(&period) {
        return Err(format!(
            "{} has {period}-second periods; calibration reads 60 or 300 (set \"Period\": 60 or 300 in the queries, as the fetch command does)",
            base_key.name()
        ));
    }
    let mut grids = BTreeMap::new();
    for (key, s) in found {
        match check_series(key, s, period) {
            Ok(grid) => {
                grids.insert(key, grid);
            }
            Err(e) => {
                problems.push(e.clone());
                missing.insert(key, e);
            }
        }
    }
    let (requests, start, end) = request_grid(&grids, period, &mut problems)?;
    for (key, grid) in &grids {
        if *key != MetricKey::Requests {
            if let Some(note) = gap_note(*key, grid, start, end, period) {
                problems.push(note);
            }
        }
    }
    Ok(Inputs { catalog, period, grids, missing, requests, start, end, problems })
}

/// A usable series on its grid, or why it is not usable.
fn check_series(key: MetricKey, s: &Series, period: i64) -> Result<Grid, String> {
    match s.status.as_str() {
        "Complete" => {}
        "PartialData" => {
            return Err(format!(
                "{} is incomplete (StatusCode PartialData): the fetch stopped early; run it again without --max-items",
                key.name()
            ))
        }
        other => {
            return Err(format!("{} could not be read (StatusCode {other}): check the IAM permission cloudwatch:GetMetricData", key.name()))
        }
    }
    if s.points.is_empty() {
        return Err(format!("{} has no data points in the window: is the resource deployed and named as the exports name it?", key.name()));
    }
    match period_of(&s.points) {
        Some(p) if p != period => Err(format!(
            "{} has {p}-second periods but the requests have {period}-second periods: fetch every series with the same period",
            key.name()
        )),
        _ => Ok(s.points.iter().copied().collect()),
    }
}

/// Request counts with the periods the ALB skipped while ECS reported (no request arrived: the
/// ALB publishes nothing then) as zero; periods with no data at all are gaps and stay out.
/// https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html
fn request_grid(
    grids: &BTreeMap<MetricKey, Grid>,
    period: i64,
    problems: &mut Vec<String>,
) -> Result<(Grid, i64, i64), String> {
    let Some(reported) = grids.get(&MetricKey::Requests) else {
        let any = grids.values().next().expect("at least one series was found");
        let (start, end) = (
            any.keys().min().copied().unwrap_or(0),
            any.keys().max().copied().unwrap_or(0) + period,
        );
        return Ok((Grid::new(), start, end));
    };
    let witness = grids.get(&MetricKey::EcsCpu).or_else(|| grids.get(&MetricKey::RunningTasks));
    let first = *reported.keys().min().expect("non-empty");
    let last = *reported.keys().max().expect("non-empty");
    let mut grid = reported.clone();
    let (mut idle, mut gaps) = (0usize, 0usize);
    // Runs of missing periods: (start, length in periods).
    let mut runs: Vec<(i64, i64)> = Vec::new();
    let mut run: Option<(i64, i64)> = None;
    let mut t = first;
    while t <= last {
        if reported.contains_key(&t) {
            runs.extend(run.take());
        } else if witness.is_some_and(|w| w.contains_key(&t)) {
            grid.insert(t, 0.0);
            idle += 1;
            runs.extend(run.take());
        } else {
            gaps += 1;
            run = Some(run.map_or((t, 1), |(s, n)| (s, n + 1)));
        }
        t += period;
    }
    runs.extend(run);
    let name = MetricKey::Requests.name();
    if idle > 0 {
        problems.push(format!("{name}: {idle} periods without requests (the ALB reported nothing while ECS did): counted as zero traffic"));
    }
    if let Some((at, len)) = runs.iter().max_by_key(|r| r.1) {
        problems.push(format!(
            "{name}: {gaps} of {} periods missing with no ECS data either (left out of the averages); the longest gap is {} from {}",
            (last - first) / period + 1,
            duration(len * period),
            format_time(*at)
        ));
    }
    Ok((grid, first, last + period))
}

/// `Some` message when a series misses more than 1% of the window's periods.
fn gap_note(key: MetricKey, grid: &Grid, start: i64, end: i64, period: i64) -> Option<String> {
    let expected = ((end - start) / period).max(1) as usize;
    let inside = grid.keys().filter(|t| **t >= start && **t < end).count();
    let missing = expected.saturating_sub(inside);
    (missing * 100 > expected)
        .then(|| format!("{}: {missing} of {expected} periods missing in the window", key.name()))
}

fn duration(secs: i64) -> String {
    if secs >= 3600 {
        format!("{:.1} h", secs as f64 / 3600.0)
    } else {
        format!("{} min", secs / 60)
    }
}

fn kept(
    id: &'static str,
    label: &'static str,
    unit: &'static str,
    current: f64,
    source: String,
    points: usize,
    note: String,
) -> FieldRow {
    FieldRow {
        id,
        label,
        unit,
        current: FieldValue::Number(current),
        calibrated: None,
        source,
        points,
        note,
    }
}

/// Sets a slider field as a user's edit would (`Scenario::apply`: its range and every rule the
/// edit could break); a value refused is kept with the reason.
fn set_field(
    inputs: &Inputs,
    next: &mut Scenario,
    field: Field,
    value: f64,
    source: String,
    points: usize,
    note: String,
) -> FieldRow {
    let spec = field.spec();
    let current = next.get(field);
    match next.apply(Edit::Field(field, value), inputs.catalog) {
        Ok(s) => {
            *next = s;
            FieldRow {
                id: spec.id,
                label: spec.label,
                unit: spec.unit,
                current: FieldValue::Number(current),
                calibrated: Some(FieldValue::Number(value)),
                source,
                points,
                note,
            }
        }
        Err(e) => kept(
            spec.id,
            spec.label,
            spec.unit,
            current,
            source,
            points,
            format!("kept: the data gives {value:.3}, but {}", e.message()),
        ),
    }
}

/// Peak requests per second (the busiest period) and the peak-to-average ratio.
fn traffic_rows(
    inputs: &Inputs,
    current: &Scenario,
    next: &mut Scenario,
    rows: &mut Vec<FieldRow>,
) {
    let source = MetricKey::Requests.name();
    let n = inputs.requests.len();
    // The earliest of equally busy periods, whatever the map's order.
    let peak = inputs.requests.iter().map(|(t, c)| (*c / inputs.period as f64, *t)).fold(
        (0.0, 0),
        |a, b| {
            if b.0 > a.0 || (b.0 == a.0 && b.1 < a.1) {
                b
            } else {
                a
            }
        },
    );
    if n < 2 || peak.0 <= 0.0 {
        let why = inputs
            .grid(MetricKey::Requests)
            .err()
            .unwrap_or_else(|| "no requests in the window".into());
        rows.push(kept(
            "peak_rps",
            "Peak API requests",
            "req/s",
            current.traffic.peak_rps,
            source.clone(),
            n,
            format!("kept: {why}"),
        ));
        rows.push(kept(
            "peak_to_avg",
            "Peak-to-average ratio",
            "x",
            current.traffic.peak_to_avg,
            source,
            n,
            format!("kept: {why}"),
        ));
        return;
    }
    let which = if inputs.period == 60 {
        "busiest minute"
    } else {
        "busiest 5 minutes (a burst within 5 minutes is not visible at this period)"
    };
    let note = format!("{which}: {}", format_time(peak.1));
    rows.push(set_field(
        inputs,
        next,
        Field::PeakRps,
        round_to(peak.0, 2),
        source.clone(),
        n,
        note,
    ));
    let total: f64 = inputs.requests.values().sum();
    let average = total / (n as f64 * inputs.period as f64);
    let days = (inputs.end - inputs.start) as f64 / 86400.0;
    let short = if days < 6.5 {
        format!("; only {days:.1} days of data: a week or more gives a fairer average")
    } else {
        String::new()
    };
    let note = format!("average {average:.2} req/s over {n} periods{short}");
    rows.push(set_field(
        inputs,
        next,
        Field::PeakToAvg,
        round_to(peak.0 / average, 2),
        source,
        n,
        note,
    ));
}

fn round_to(v: f64, decimals: i32) -> f64 {
    let f = 10f64.powi(decimals);
    (v * f).round() / f
}

/// Mean request rate per hour of the day (centred on the hour: 13:00 averages 12:30-13:30,
/// as a custom day is read at each hour and linear between), for weekdays and weekend days.
struct HourlyShape {
    weekday: [Option<f64>; 24],
    weekend: [Option<f64>; 24],
    all: [Option<f64>; 24],
    /// Mean requests of a full weekday and a full weekend day (None: no such day covered).
    weekday_total: Option<f64>,
    weekend_total: Option<f64>,
}

fn hourly_shape(inputs: &Inputs) -> HourlyShape {
    let p = inputs.period;
    let mut sums = [[(0.0f64, 0usize); 24]; 3];
    let mut days: BTreeMap<i64, (f64, usize)> = BTreeMap::new();
    for (t, count) in &inputs.requests {
        let centre = t + p / 2;
        let shifted = centre + 1800;
        let hour = (shifted.rem_euclid(86400) / 3600) as usize;
        let weekend = weekday(shifted) >= 5;
        for k in [if weekend { 1 } else { 0 }, 2] {
            sums[k][hour].0 += count / p as f64;
            sums[k][hour].1 += 1;
        }
        let day = days.entry(centre.div_euclid(86400)).or_default();
        day.0 += count;
        day.1 += 1;
    }
    let mean = |k: usize| -> [Option<f64>; 24] {
        std::array::from_fn(|h| (sums[k][h].1 > 0).then(|| sums[k][h].0 / sums[k][h].1 as f64))
    };
    // Days with at least 90% of their periods count towards the daily totals.
    let full = (86400 / p) as usize * 9 / 10;
    let total = |weekend: bool| {
        let v: Vec<f64> = days
            .iter()
            .filter(|(d, (_, n))| *n >= full && (weekday(**d * 86400) >= 5) == weekend)
            .map(|(_, (c, _))| *c)
            .collect();
        (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
    };
    HourlyShape {
        weekday: mean(0),
        weekend: mean(1),
        all: mean(2),
        weekday_total: total(false),
        weekend_total: total(true),
    }
}

/// The traffic shape for the simulation: the measured day (or weekday and weekend day) as a
/// share of the peak, with the quietest traffic at 0 so the shape alone carries the trough.
fn shape_row(inputs: &Inputs, current: &Scenario, next: &mut Scenario) -> FieldRow {
    let source = MetricKey::Requests.name();
    let now = FieldValue::Text(current.simulation.profile.label().to_string());
    let row = |calibrated: Option<FieldValue>, points: usize, note: String| FieldRow {
        id: "simulation.profile",
        label: "Traffic shape (simulation)",
        unit: "",
        current: now.clone(),
        calibrated,
        source: source.clone(),
        points,
        note,
    };
    let peak = next.traffic.peak_rps;
    if inputs.requests.is_empty() || peak <= 0.0 || (inputs.end - inputs.start) < 86400 {
        let why = inputs
            .grid(MetricKey::Requests)
            .err()
            .unwrap_or_else(|| "less than a day of requests".into());
        return row(None, inputs.requests.len(), format!("kept: {why}"));
    }
    let shape = hourly_shape(inputs);
    let day = |hours: &[Option<f64>; 24]| -> Option<[f64; 24]> {
        hours
            .iter()
            .map(|v| v.map(|r| round_to((r / peak).clamp(0.0, 1.0), 3)))
            .collect::<Option<Vec<f64>>>()
            .map(|v| v.try_into().expect("24 hours"))
    };
    let split = match (shape.weekday_total, shape.weekend_total) {
        (Some(wd), Some(we)) if wd > 0.0 && (we / wd - 1.0).abs() > WEEKEND_DIFFERENCE => {
            Some(we / wd)
        }
        _ => None,
    };
    let (profile, note) = match (split, day(&shape.weekday), day(&shape.weekend)) {
        (Some(ratio), Some(weekday), Some(weekend)) => (
            Profile::CustomWeek { weekday, weekend },
            format!(
                "weekdays and weekend apart: a weekend day carries {:.0}% of a weekday's requests",
                ratio * 100.0
            ),
        ),
        _ => match day(&shape.all) {
            Some(all) => (Profile::Custom(all), one_day_note(&shape)),
            None => {
                let hole = shape.all.iter().position(|v| v.is_none()).unwrap_or(0);
                return row(
                    None,
                    inputs.requests.len(),
                    format!("kept: no request data around {hole:02}:00 UTC on any day"),
                );
            }
        },
    };
    let busiest = (0..24)
        .max_by(|a, b| shape.all[*a].unwrap_or(0.0).total_cmp(&shape.all[*b].unwrap_or(0.0)))
        .unwrap_or(0);
    let shaped = next
        .apply(Edit::SimProfile(profile), inputs.catalog)
        .and_then(|s| s.apply(Edit::SimTroughPct(0.0), inputs.catalog));
    match shaped {
        Ok(s) => *next = s,
        Err(e) => {
            return row(
                None,
                inputs.requests.len(),
                format!("kept: the measured shape was refused ({e})"),
            )
        }
    }
    let note = format!("{note}; busiest hour {busiest:02}:00 UTC; hourly means as a share of the peak, quietest traffic set to 0%");
    row(Some(FieldValue::Text(profile.label().to_string())), inputs.requests.len(), note)
}

fn one_day_note(shape: &HourlyShape) -> String {
    match (shape.weekday_total, shape.weekend_total) {
        (Some(wd), Some(we)) if wd > 0.0 => {
            format!("one day for every day: weekend days carry {:.0}% of a weekday's requests", we / wd * 100.0)
        }
        _ => "one day for every day: the data does not cover both a full weekday and a full weekend day".into(),
    }
}

/// CPU time per request: CPU used (ECS CPUUtilization is CPU used / CPU reserved, so used
/// cores = utilisation x running tasks x task vCPU) over requests, fitted against the request
/// rate and read at the peak, so the idle CPU a task burns counts as it does at the peak.
/// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/cloudwatch-metrics.html
fn cpu_row(inputs: &Inputs, current: &Scenario, next: &mut Scenario) -> FieldRow {
    let spec = Field::CpuMs.spec();
    let source =
        format!("{} x {} / requests", MetricKey::EcsCpu.name(), MetricKey::RunningTasks.name());
    let rows = match inputs.joined(&[MetricKey::EcsCpu, MetricKey::RunningTasks]) {
        Ok(r) => r,
        Err(e) => {
            return kept(
                spec.id,
                spec.label,
                spec.unit,
                current.backend.cpu_ms_per_request,
                source,
                0,
                format!("kept: {e}"),
            )
        }
    };
    let vcpu = current.task_vcpu();
    let p = inputs.period as f64;
    let xy: Vec<(f64, f64)> =
        rows.iter().map(|(_, n, v)| (n / p, v[0] / 100.0 * v[1] * vcpu)).collect();
    let peak = next.traffic.peak_rps;
    let n = xy.len();
    let Some((idle, per_request)) = fit_line(&xy) else {
        return kept(
            spec.id,
            spec.label,
            spec.unit,
            current.backend.cpu_ms_per_request,
            source,
            n,
            "kept: fewer than 10 periods with requests, CPU and tasks together".into(),
        );
    };
    let cores_at_peak = idle + per_request * peak;
    let ms = round_to(cores_at_peak / peak * 1000.0, 2);
    if !(ms.is_finite() && ms > 0.0) {
        return kept(
            spec.id,
            spec.label,
            spec.unit,
            current.backend.cpu_ms_per_request,
            source,
            n,
            "kept: CPU does not rise with requests in this data".into(),
        );
    }
    let note = format!(
        "{:.2} ms per request plus {:.3} idle cores over all tasks, read at the peak of {peak:.2} req/s; task size {} vCPU",
        per_request * 1000.0,
        idle,
        vcpu
    );
    set_field(inputs, next, Field::CpuMs, ms, source, n, note)
}

/// Least squares y = a + b x; b falls back to sum(y) / sum(x) (a = 0) when x hardly varies or
/// the slope is not positive. None with fewer than 10 points or no load.
fn fit_line(xy: &[(f64, f64)]) -> Option<(f64, f64)> {
    let n = xy.len() as f64;
    if xy.len() < 10 {
        return None;
    }
    let (sx, sy) = xy.iter().fold((0.0, 0.0), |a, (x, y)| (a.0 + x, a.1 + y));
    if sx <= 0.0 {
        return None;
    }
    let (mx, my) = (sx / n, sy / n);
    let (sxx, sxy) = xy
        .iter()
        .fold((0.0, 0.0), |a, (x, y)| (a.0 + (x - mx) * (x - mx), a.1 + (x - mx) * (y - my)));
    if sxx > 1e-9 * n * mx * mx.max(1.0) && sxy > 0.0 {
        let b = sxy / sxx;
        Some((my - b * mx, b))
    } else {
        Some((0.0, sy / sx))
    }
}

/// Average running tasks over the window: the count the bill is based on.
fn tasks_row(inputs: &Inputs, current: &Scenario, next: &mut Scenario) -> FieldRow {
    let spec = Field::TasksAverage.spec();
    let source = MetricKey::RunningTasks.name();
    let cur = current.backend.tasks_average as f64;
    let grid = match inputs.grid(MetricKey::RunningTasks) {
        Ok(g) => g,
        Err(e) => {
            return kept(spec.id, spec.label, spec.unit, cur, source, 0, format!("kept: {e}"))
        }
    };
    let mean = grid.values().sum::<f64>() / grid.len() as f64;
    let b = &current.backend;
    let rounded = mean.round().max(1.0);
    if rounded < b.tasks_min as f64 || rounded > b.tasks_max as f64 {
        let note = format!(
            "kept: {mean:.2} tasks ran on average, outside this scenario's {} to {} tasks (is it the deployed one?)",
            b.tasks_min, b.tasks_max
        );
        return kept(spec.id, spec.label, spec.unit, cur, source, grid.len(), note);
    }
    set_field(
        inputs,
        next,
        Field::TasksAverage,
        rounded,
        source,
        grid.len(),
        format!("{mean:.2} tasks ran on average"),
    )
}

/// The ALB's LCU inputs: response size, requests per connection, connection duration.
/// https://aws.amazon.com/elasticloadbalancing/pricing/ (LCU dimensions)
fn alb_rows(inputs: &Inputs, current: &Scenario, next: &mut Scenario, rows: &mut Vec<FieldRow>) {
    let spec = Field::ResponseKb.spec();
    let source = format!("{} / requests", MetricKey::ProcessedBytes.name());
    rows.push(match inputs.joined(&[MetricKey::ProcessedBytes]) {
        Err(e) => kept(spec.id, spec.label, spec.unit, current.traffic.response_kb, source, 0, format!("kept: {e}")),
        Ok(r) => {
            let (bytes, reqs) = r.iter().fold((0.0, 0.0), |a, (_, n, v)| (a.0 + v[0], a.1 + n));
            let per_request_kb = bytes / reqs.max(1.0) / 1024.0;
            let response = round_to(per_request_kb - current.alb.request_kb, 2);
            if reqs <= 0.0 || response < 0.0 {
                kept(
                    spec.id,
                    spec.label,
                    spec.unit,
                    current.traffic.response_kb,
                    source,
                    r.len(),
                    format!(
                        "kept: {per_request_kb:.2} KB per request is less than the request size assumed ({} KB)",
                        current.alb.request_kb
                    ),
                )
            } else {
                let note = format!(
                    "{per_request_kb:.2} KB processed per request (both directions, headers included) less {} KB of request",
                    current.alb.request_kb
                );
                set_field(inputs, next, Field::ResponseKb, response, source, r.len(), note)
            }
        }
    });
    let spec = Field::ReqPerConn.spec();
    let source = format!("requests / {}", MetricKey::NewConnections.name());
    let new_conns = inputs.joined(&[MetricKey::NewConnections]);
    rows.push(match &new_conns {
        Err(e) => kept(
            spec.id,
            spec.label,
            spec.unit,
            current.alb.requests_per_connection,
            source,
            0,
            format!("kept: {e}"),
        ),
        Ok(r) => {
            let (reqs, conns) = r.iter().fold((0.0, 0.0), |a, (_, n, v)| (a.0 + n, a.1 + v[0]));
            if conns <= 0.0 {
                kept(
                    spec.id,
                    spec.label,
                    spec.unit,
                    current.alb.requests_per_connection,
                    source,
                    r.len(),
                    "kept: no new connections in the data".into(),
                )
            } else {
                set_field(
                    inputs,
                    next,
                    Field::ReqPerConn,
                    round_to(reqs / conns, 2),
                    source,
                    r.len(),
                    format!("{reqs:.0} requests over {conns:.0} new connections"),
                )
            }
        }
    });
    rows.push(connection_seconds_row(inputs, current, next));
}

/// Connection duration by Little's law: concurrent connections / new connections per second.
/// ActiveConnectionCount (Sum) adds one sample a minute, so a period's Sum / (period / 60) is
/// its concurrency; it counts client and target connections, as the LCU meter does.
fn connection_seconds_row(inputs: &Inputs, current: &Scenario, next: &mut Scenario) -> FieldRow {
    let source =
        format!("{} / {}", MetricKey::ActiveConnections.name(), MetricKey::NewConnections.name());
    let cur = current.alb.connection_seconds;
    let (id, label, unit) = ("alb.connection_seconds", "Connection duration", "s");
    match inputs.joined(&[MetricKey::ActiveConnections, MetricKey::NewConnections]) {
        Err(e) => kept(id, label, unit, cur, source, 0, format!("kept: {e}")),
        Ok(r) => {
            let (active, new) = r.iter().fold((0.0, 0.0), |a, (_, _, v)| (a.0 + v[0], a.1 + v[1]));
            if new <= 0.0 {
                return kept(
                    id,
                    label,
                    unit,
                    cur,
                    source,
                    r.len(),
                    "kept: no new connections in the data".into(),
                );
            }
            let seconds = round_to(60.0 * active / new, 1);
            next.alb.connection_seconds = seconds;
            let note = format!(
                "{:.1} connections open on average",
                active * 60.0 / (r.len() as f64 * inputs.period as f64)
            );
            FieldRow {
                id,
                label,
                unit,
                current: FieldValue::Number(cur),
                calibrated: Some(FieldValue::Number(seconds)),
                source,
                points: r.len(),
                note,
            }
        }
    }
}

/// Redis hit ratio and the memory it holds.
fn cache_rows(inputs: &Inputs, current: &Scenario, next: &mut Scenario, rows: &mut Vec<FieldRow>) {
    let spec = Field::CacheHit.spec();
    let source =
        format!("{} / ({0} + {})", MetricKey::CacheHits.name(), MetricKey::CacheMisses.name());
    let joined = || -> Result<Vec<(f64, f64)>, String> {
        let hits = inputs.grid(MetricKey::CacheHits)?;
        let misses = inputs.grid(MetricKey::CacheMisses)?;
        Ok(hits.iter().filter_map(|(t, h)| misses.get(t).map(|m| (*h, *m))).collect())
    };
    rows.push(match joined() {
        Err(e) => kept(spec.id, spec.label, spec.unit, current.get(Field::CacheHit), source, 0, format!("kept: {e}")),
        Ok(pairs) => {
            let (h, m) = pairs.iter().fold((0.0, 0.0), |a, p| (a.0 + p.0, a.1 + p.1));
            if h + m <= 0.0 {
                kept(
                    spec.id,
                    spec.label,
                    spec.unit,
                    current.get(Field::CacheHit),
                    source,
                    pairs.len(),
                    "kept: no cache lookups in the data".into(),
                )
            } else {
                let note = format!("{h:.0} hits, {m:.0} misses (Redis lookups; the model reads it as the share of DB reads Redis answers)");
                set_field(inputs, next, Field::CacheHit, round_to(h / (h + m) * 100.0, 1), source, pairs.len(), note)
            }
        }
    });
    let spec = Field::WorkingSet.spec();
    let source = MetricKey::CacheBytes.name();
    rows.push(match inputs.grid(MetricKey::CacheBytes) {
        Err(e) => kept(
            spec.id,
            spec.label,
            spec.unit,
            current.cache.working_set_gb,
            source,
            0,
            format!("kept: {e}"),
        ),
        Ok(g) => {
            let max = g.values().fold(0.0f64, |a, b| a.max(*b));
            let gb = round_to(max / 1024f64.powi(3), 3);
            set_field(
                inputs,
                next,
                Field::WorkingSet,
                gb,
                source,
                g.len(),
                format!("the most Redis held in the window ({:.0} MiB)", max / 1024f64.powi(2)),
            )
        }
    });
}

/// DB connections each Node.js process holds at its busiest: the 99th percentile of
/// connections / (tasks x processes per task), rounded up. The exported task definition sets
/// the pool (DB_POOL_SIZE, per process: each cluster worker opens its own) to this.
fn pool_row(inputs: &Inputs, current: &Scenario, next: &mut Scenario) -> FieldRow {
    let spec = Field::DbPool.spec();
    let source =
        format!("{} / {}", MetricKey::DbConnections.name(), MetricKey::RunningTasks.name());
    let cur = current.backend.db_pool_per_task as f64;
    // The EC2 fleet runs one process per task; a Fargate task in cluster mode one per vCPU.
    let processes = match current.backend.launch_type {
        LaunchType::Fargate => current.backend.node_workers().max(1) as f64,
        LaunchType::Ec2 => 1.0,
    };
    let ratios = || -> Result<Vec<f64>, String> {
        let conns = inputs.grid(MetricKey::DbConnections)?;
        let tasks = inputs.grid(MetricKey::RunningTasks)?;
        Ok(conns
            .iter()
            .filter_map(|(t, c)| tasks.get(t).filter(|n| **n >= 0.5).map(|n| c / (n * processes)))
            .collect())
    };
    match ratios() {
        Err(e) => kept(spec.id, spec.label, spec.unit, cur, source, 0, format!("kept: {e}")),
        Ok(r) if r.len() < 10 => kept(
            spec.id,
            spec.label,
            spec.unit,
            cur,
            source,
            r.len(),
            "kept: fewer than 10 periods with both series".into(),
        ),
        Ok(mut r) => {
            r.sort_by(f64::total_cmp);
            let p99 = r[(r.len() - 1) * 99 / 100];
            let pool = p99.ceil().max(1.0);
            let note = format!(
                "99th percentile {p99:.2} connections per Node.js process (median {:.2}); other clients of the database count too",
                r[r.len() / 2]
            );
            set_field(inputs, next, Field::DbPool, pool, source, r.len(), note)
        }
    }
}

/// Periods of the busiest clock hour (the most requests), with their start times.
fn busiest_hour(inputs: &Inputs) -> Option<(i64, Vec<i64>)> {
    let mut hours: BTreeMap<i64, (f64, Vec<i64>)> = BTreeMap::new();
    for (t, n) in &inputs.requests {
        let h = hours.entry(t.div_euclid(3600) * 3600).or_default();
        h.0 += n;
        h.1.push(*t);
    }
    hours
        .into_iter()
        .max_by(|a, b| a.1 .0.total_cmp(&b.1 .0))
        .filter(|(_, (n, _))| *n > 0.0)
        .map(|(h, (_, ts))| (h, ts))
}

/// The DB capacity assumption that makes the model's primary load match the measured RDS CPU
/// at the busiest hour: queries per second the model sends there / (CPU share x vCPUs).
fn db_capacity_row(
    inputs: &Inputs,
    current: &Scenario,
    catalog: &Catalog,
    next: &mut Scenario,
) -> FieldRow {
    let spec = Field::DbQps.spec();
    let source = format!("{} at the busiest hour", MetricKey::DbCpu.name());
    let cur = current.database.qps_per_vcpu;
    let (db_cpu, (hour, periods)) = match (inputs.grid(MetricKey::DbCpu), busiest_hour(inputs)) {
        (Err(e), _) => {
            return kept(spec.id, spec.label, spec.unit, cur, source, 0, format!("kept: {e}"))
        }
        (_, None) => {
            let why = inputs
                .grid(MetricKey::Requests)
                .err()
                .unwrap_or_else(|| "no requests to compare the DB load with".into());
            return kept(spec.id, spec.label, spec.unit, cur, source, 0, format!("kept: {why}"));
        }
        (Ok(g), Some(h)) => (g, h),
    };
    let both: Vec<(f64, f64)> =
        periods.iter().filter_map(|t| db_cpu.get(t).map(|c| (inputs.requests[t], *c))).collect();
    if both.is_empty() {
        return kept(
            spec.id,
            spec.label,
            spec.unit,
            cur,
            source,
            0,
            format!("kept: no RDS CPU data in the busiest hour ({})", format_time(hour)),
        );
    }
    let rps = both.iter().map(|b| b.0).sum::<f64>() / (both.len() as f64 * inputs.period as f64);
    let cpu = both.iter().map(|b| b.1).sum::<f64>() / both.len() as f64 / 100.0;
    if cpu < 0.05 {
        return kept(
            spec.id,
            spec.label,
            spec.unit,
            cur,
            source,
            both.len(),
            format!("kept: the database ran at {:.1}% CPU at the busiest hour, too idle to measure its capacity", cpu * 100.0),
        );
    }
    let mut at_load = next.clone();
    at_load.traffic.peak_rps = rps;
    let primary_qps = plan(&at_load, catalog).capacity.db_primary_qps;
    let vcpu = catalog.rds_classes.get(&current.database.class).map(|c| c.vcpu).unwrap_or(1.0);
    let qps = round_to(primary_qps / (cpu * vcpu) / 50.0, 0) * 50.0;
    let note = format!(
        "{:.1}% CPU on {vcpu} vCPU at {rps:.2} req/s ({}), when the model sends {primary_qps:.1} queries/s to the primary (given the query mix and hit ratio)",
        cpu * 100.0,
        format_time(hour)
    );
    set_field(inputs, next, Field::DbQps, qps, source, both.len(), note)
}

/// Measured figures the model has no field for: shown, not applied, with the reason.
fn info_rows(inputs: &Inputs, current: &Scenario) -> Vec<FieldRow> {
    let mut rows = Vec::new();
    let mib = current.backend.task_memory_mib as f64;
    let (note, points) = match inputs.grid(MetricKey::EcsMemory) {
        Err(e) => (format!("kept: {e}"), 0),
        Ok(g) => {
            let max = g.values().fold(0.0f64, |a, b| a.max(*b));
            (
                format!(
                    "kept: memory peaked at {max:.0}% of {mib:.0} MiB ({:.0} MiB); the right-size search picks task sizes",
                    max / 100.0 * mib
                ),
                g.len(),
            )
        }
    };
    rows.push(FieldRow {
        id: "backend.task_memory_mib",
        label: "Task memory",
        unit: "MiB",
        current: FieldValue::Number(mib),
        calibrated: None,
        source: MetricKey::EcsMemory.name(),
        points,
        note,
    });
    let iops = || -> Result<(f64, f64, usize), String> {
        let r = inputs.grid(MetricKey::DbReadIops)?;
        let w = inputs.grid(MetricKey::DbWriteIops)?;
        let max = |g: &Grid| g.values().fold(0.0f64, |a, b| a.max(*b));
        Ok((max(r), max(w), r.len().min(w.len())))
    };
    let (note, points) = match iops() {
        Err(e) => (format!("kept: {e}"), 0),
        Ok((r, w, n)) => (format!("kept: disk reads peaked at {r:.0} IOPS and writes at {w:.0} IOPS; IOPS count disk operations, not queries (most reads come from PostgreSQL's memory), so the read share stays"), n),
    };
    let spec = Field::ReadShare.spec();
    let source = format!("{} / {}", MetricKey::DbReadIops.name(), MetricKey::DbWriteIops.name());
    rows.push(FieldRow {
        id: spec.id,
        label: spec.label,
        unit: spec.unit,
        current: FieldValue::Number(current.get(Field::ReadShare)),
        calibrated: None,
        source,
        points,
        note,
    });
    rows
}

/// Measured p50/p95 at the busiest hour against the calibrated model at the same request rate
/// with the tasks that ran then.
fn latency_check(
    inputs: &Inputs,
    calibrated: &Scenario,
    catalog: &Catalog,
) -> Result<LatencyCheck, String> {
    let p95 = inputs.grid(MetricKey::ResponseP95)?;
    inputs.grid(MetricKey::Requests)?;
    let (hour, periods) =
        busiest_hour(inputs).ok_or("no requests in the window to compare latency at")?;
    let tasks_grid = inputs.grid(MetricKey::RunningTasks).ok();
    let at: Vec<i64> = periods.into_iter().filter(|t| p95.contains_key(t)).collect();
    if at.is_empty() {
        return Err(format!(
            "{} has no data in the busiest hour ({})",
            MetricKey::ResponseP95.name(),
            format_time(hour)
        ));
    }
    let rps = at.iter().map(|t| inputs.requests[t]).sum::<f64>()
        / (at.len() as f64 * inputs.period as f64);
    let tasks = match tasks_grid {
        Some(g) => {
            let v: Vec<f64> = at.iter().filter_map(|t| g.get(t).copied()).collect();
            if v.is_empty() {
                calibrated.backend.tasks_average as f64
            } else {
                v.iter().sum::<f64>() / v.len() as f64
            }
        }
        None => calibrated.backend.tasks_average as f64,
    };
    let tasks = (tasks.round() as u32).max(1);
    let median_ms = |g: &Grid| -> Option<f64> {
        let mut v: Vec<f64> = at.iter().filter_map(|t| g.get(t).map(|s| s * 1000.0)).collect();
        v.sort_by(f64::total_cmp);
        (!v.is_empty()).then(|| v[v.len() / 2])
    };
    let measured_p95_ms = median_ms(p95).expect("periods with p95 data");
    let measured_p50_ms = inputs.grid(MetricKey::ResponseP50).ok().and_then(median_ms);
    let mut at_load = calibrated.clone();
    at_load.traffic.peak_rps = rps;
    at_load.backend.tasks_min = at_load.backend.tasks_min.min(tasks);
    at_load.backend.tasks_average = tasks;
    at_load.backend.tasks_max = tasks;
    let c = plan(&at_load, catalog).capacity;
    let gap = c.p95_ms.filter(|p| *p > 0.0).map(|p| (measured_p95_ms - p) / p * 100.0);
    Ok(LatencyCheck {
        hour: format_time(hour),
        rps,
        tasks,
        measured_p50_ms,
        measured_p95_ms,
        predicted_p50_ms: c.p50_ms,
        predicted_p95_ms: c.p95_ms,
        p95_gap_pct: gap,
        points: at.len(),
    })
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
                    "Latency at the busiest hour ({}, {:.2} req/s on {} tasks, {} points): measured p95 {:.0} ms, model {}; measured p50 {}, model {}.",
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
