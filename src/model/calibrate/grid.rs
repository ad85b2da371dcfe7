//! The metrics as per-period grids: the series checked against the period, the request grid,
//! notes on gaps.

use super::*;

/// Finds every series, checks periods and status, and puts the requests on their grid.
pub(super) fn prepare<'a>(
    data: &MetricData,
    catalog: &'a Catalog,
) -> Result<Inputs<'a>, CalibrationError> {
    let mut found: Vec<(MetricKey, &Series)> = Vec::new();
    let mut missing = BTreeMap::new();
    let mut problems: Vec<String> =
        data.messages.iter().map(|m| format!("CloudWatch says: {m}")).collect();
    for spec in metric_data::METRICS.iter() {
        match find(data, spec.key) {
            Ok(s) => found.push((spec.key, s)),
            Err(e) => {
                problems.push(e.to_string());
                missing.insert(spec.key, Unavailable::from(e));
            }
        }
    }
    if found.is_empty() {
        let ids = data.series.iter().take(5).map(|s| format!("`{}`", s.id)).collect();
        return Err(CalibrationError::NoKnownSeries { ids });
    }
    // The period: the request series' own, else the first series that has one.
    let base = found
        .iter()
        .find(|(k, _)| *k == MetricKey::Requests)
        .into_iter()
        .chain(found.iter())
        .find_map(|(k, s)| period_of(&s.points).map(|p| (*k, p)));
    let Some((base_key, period)) = base else {
        return Err(CalibrationError::TooFewPoints);
    };
    if !PERIODS.contains(&period) {
        return Err(CalibrationError::OtherPeriod { series: base_key.name(), period });
    }
    let mut grids = BTreeMap::new();
    for (key, s) in found {
        match check_series(key, s, period) {
            Ok(grid) => {
                grids.insert(key, grid);
            }
            Err(e) => {
                problems.push(e.to_string());
                missing.insert(key, e);
            }
        }
    }
    let (requests, start, end) = request_grid(&grids, period, &mut problems);
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
pub(super) fn check_series(key: MetricKey, s: &Series, period: i64) -> Result<Grid, Unavailable> {
    match s.status.as_str() {
        "Complete" => {}
        "PartialData" => {
            return Err(Unavailable(format!(
                "{} is incomplete (StatusCode PartialData): the fetch stopped early; run it again \
                    without --max-items",
                key.name()
            )))
        }
        other => {
            return Err(Unavailable(format!(
                "{} could not be read (StatusCode {other}): check the \
                IAM permission cloudwatch:GetMetricData",
                key.name()
            )))
        }
    }
    if s.points.is_empty() {
        return Err(Unavailable(format!(
            "{} has no data points in the window: is the resource \
            deployed and named as the exports name it?",
            key.name()
        )));
    }
    match period_of(&s.points) {
        Some(p) if p != period => Err(Unavailable(format!(
            "{} has {p}-second periods but the requests have {period}-second periods: fetch every \
                series with the same period",
            key.name()
        ))),
        _ => Ok(s.points.iter().copied().collect()),
    }
}

/// Request counts with the periods the ALB skipped while ECS reported (no request arrived: the
/// ALB publishes nothing then) as zero; periods with no data at all are gaps and stay out.
/// https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html
pub(super) fn request_grid(
    grids: &BTreeMap<MetricKey, Grid>,
    period: i64,
    problems: &mut Vec<String>,
) -> (Grid, i64, i64) {
    let Some(reported) = grids.get(&MetricKey::Requests) else {
        let any = grids.values().next().expect("at least one series was found");
        let (start, end) = (
            any.keys().min().copied().unwrap_or(0),
            any.keys().max().copied().unwrap_or(0) + period,
        );
        return (Grid::new(), start, end);
    };
    let witness = grids.get(&MetricKey::EcsCpu).or_else(|| grids.get(&MetricKey::RunningTasks));
    let first = *reported.keys().min().expect("non-empty");
    let last = *reported.keys().max().expect("non-empty");
    let mut grid = reported.clone();
    let (mut idle, mut gaps) = (0usize, 0usize);
    // The periods of the window that have data (requests, or the witness alone): visited one
    // by one, and the missing ones between two of them counted, not stepped through, so the
    // work is bounded by the data's size however far apart its timestamps are.
    let on_grid = |t: &&i64| (first..=last).contains(*t) && (**t - first) % period == 0;
    let mut present: Vec<i64> = reported
        .keys()
        .chain(witness.into_iter().flat_map(|w| w.keys()))
        .filter(on_grid)
        .copied()
        .collect();
    present.sort_unstable();
    present.dedup();
    // Runs of missing periods: (start, length in periods).
    let mut runs: Vec<(i64, i64)> = Vec::new();
    let mut previous = first - period;
    for t in present {
        let missing = (t - previous) / period - 1;
        if missing > 0 {
            gaps += missing as usize;
            runs.push((previous + period, missing));
        }
        if !reported.contains_key(&t) {
            grid.insert(t, 0.0);
            idle += 1;
        }
        previous = t;
    }
    let name = MetricKey::Requests.name();
    if idle > 0 {
        problems.push(format!(
            "{name}: {idle} periods without requests (the ALB reported nothing \
            while ECS did): counted as zero traffic"
        ));
    }
    if let Some((at, len)) = runs.iter().max_by_key(|r| r.1) {
        problems.push(format!(
            "{name}: {gaps} of {} periods missing with no ECS data either (left out of the \
                averages); the longest gap is {} from {}",
            (last - first) / period + 1,
            duration(len * period),
            format_time(*at)
        ));
    }
    (grid, first, last + period)
}

/// `Some` message when a series misses more than 1% of the window's periods.
pub(super) fn gap_note(
    key: MetricKey,
    grid: &Grid,
    start: i64,
    end: i64,
    period: i64,
) -> Option<String> {
    let expected = ((end - start) / period).max(1) as usize;
    let inside = grid.keys().filter(|t| **t >= start && **t < end).count();
    let missing = expected.saturating_sub(inside);
    (missing * 100 > expected)
        .then(|| format!("{}: {missing} of {expected} periods missing in the window", key.name()))
}

pub(super) fn duration(secs: i64) -> String {
    if secs >= 3600 {
        format!("{:.1} h", secs as f64 / 3600.0)
    } else {
        format!("{} min", secs / 60)
    }
}
