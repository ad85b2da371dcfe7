//! One calibrated row per field: the value measured from the metrics and the edit that sets it,
//! or why the field keeps its value.

use super::*;

pub(super) fn kept(
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
pub(super) fn set_field(
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
pub(super) fn traffic_rows(
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

pub(super) fn round_to(v: f64, decimals: i32) -> f64 {
    let f = 10f64.powi(decimals);
    (v * f).round() / f
}

/// Mean request rate per hour of the day (centred on the hour: 13:00 averages 12:30-13:30,
/// as a custom day is read at each hour and linear between), for weekdays and weekend days.
pub(super) struct HourlyShape {
    pub(super) weekday: [Option<f64>; 24],
    pub(super) weekend: [Option<f64>; 24],
    pub(super) all: [Option<f64>; 24],
    /// Mean requests of a full weekday and a full weekend day (None: no such day covered).
    pub(super) weekday_total: Option<f64>,
    pub(super) weekend_total: Option<f64>,
}

pub(super) fn hourly_shape(inputs: &Inputs) -> HourlyShape {
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
pub(super) fn shape_row(inputs: &Inputs, current: &Scenario, next: &mut Scenario) -> FieldRow {
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
    let note = format!(
        "{note}; busiest hour {busiest:02}:00 UTC; hourly means as a share of the \
        peak, quietest traffic set to 0%"
    );
    row(Some(FieldValue::Text(profile.label().to_string())), inputs.requests.len(), note)
}

pub(super) fn one_day_note(shape: &HourlyShape) -> String {
    match (shape.weekday_total, shape.weekend_total) {
        (Some(wd), Some(we)) if wd > 0.0 => {
            format!(
                "one day for every day: weekend days carry {:.0}% of a weekday's requests",
                we / wd * 100.0
            )
        }
        _ => "one day for every day: the data does not cover both a full weekday and a full \
            weekend day"
            .into(),
    }
}

/// CPU time per request: CPU used (ECS CPUUtilization is CPU used / CPU reserved, so used
/// cores = utilisation x running tasks x task vCPU) over requests, fitted against the request
/// rate and read at the peak, so the idle CPU a task burns counts as it does at the peak.
/// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/cloudwatch-metrics.html
pub(super) fn cpu_row(inputs: &Inputs, current: &Scenario, next: &mut Scenario) -> FieldRow {
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
        "{:.2} ms per request plus {:.3} idle cores over all tasks, read at the peak of {peak:.2} \
            req/s; task size {} vCPU",
        per_request * 1000.0,
        idle,
        vcpu
    );
    set_field(inputs, next, Field::CpuMs, ms, source, n, note)
}

/// Least squares y = a + b x; b falls back to sum(y) / sum(x) (a = 0) when x hardly varies or
/// the slope is not positive. None with fewer than 10 points or no load.
pub(super) fn fit_line(xy: &[(f64, f64)]) -> Option<(f64, f64)> {
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
pub(super) fn tasks_row(inputs: &Inputs, current: &Scenario, next: &mut Scenario) -> FieldRow {
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
            "kept: {mean:.2} tasks ran on average, outside this scenario's {} to {} tasks (is it \
                the deployed one?)",
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
pub(super) fn alb_rows(
    inputs: &Inputs,
    current: &Scenario,
    next: &mut Scenario,
    rows: &mut Vec<FieldRow>,
) {
    rows.push(response_kb_row(inputs, current, next));
    rows.push(requests_per_connection_row(inputs, current, next));
    rows.push(connection_seconds_row(inputs, current, next));
}

/// The response size: bytes the ALB processed per request, less the request's own size.
fn response_kb_row(inputs: &Inputs, current: &Scenario, next: &mut Scenario) -> FieldRow {
    let spec = Field::ResponseKb.spec();
    let source = format!("{} / requests", MetricKey::ProcessedBytes.name());
    match inputs.joined(&[MetricKey::ProcessedBytes]) {
        Err(e) => kept(
            spec.id,
            spec.label,
            spec.unit,
            current.traffic.response_kb,
            source,
            0,
            format!("kept: {e}"),
        ),
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
                        "kept: {per_request_kb:.2} KB per request is less than the request size \
                            assumed ({} KB)",
                        current.alb.request_kb
                    ),
                )
            } else {
                let note = format!(
                    "{per_request_kb:.2} KB processed per request (both directions, headers \
                        included) less {} KB of request",
                    current.alb.request_kb
                );
                set_field(inputs, next, Field::ResponseKb, response, source, r.len(), note)
            }
        }
    }
}

/// Requests per new connection, from the ALB's request and new-connection counts.
fn requests_per_connection_row(
    inputs: &Inputs,
    current: &Scenario,
    next: &mut Scenario,
) -> FieldRow {
    let spec = Field::ReqPerConn.spec();
    let source = format!("requests / {}", MetricKey::NewConnections.name());
    let new_conns = inputs.joined(&[MetricKey::NewConnections]);
    match &new_conns {
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
    }
}

/// Connection duration by Little's law: concurrent connections / new connections per second.
/// ActiveConnectionCount (Sum) adds one sample a minute, so a period's Sum / (period / 60) is
/// its concurrency; it counts client and target connections, as the LCU meter does.
pub(super) fn connection_seconds_row(
    inputs: &Inputs,
    current: &Scenario,
    next: &mut Scenario,
) -> FieldRow {
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
pub(super) fn cache_rows(
    inputs: &Inputs,
    current: &Scenario,
    next: &mut Scenario,
    rows: &mut Vec<FieldRow>,
) {
    let spec = Field::CacheHit.spec();
    let source =
        format!("{} / ({0} + {})", MetricKey::CacheHits.name(), MetricKey::CacheMisses.name());
    let joined = || -> Result<Vec<(f64, f64)>, Unavailable> {
        let hits = inputs.grid(MetricKey::CacheHits)?;
        let misses = inputs.grid(MetricKey::CacheMisses)?;
        Ok(hits.iter().filter_map(|(t, h)| misses.get(t).map(|m| (*h, *m))).collect())
    };
    rows.push(match joined() {
        Err(e) => kept(
            spec.id,
            spec.label,
            spec.unit,
            current.get(Field::CacheHit),
            source,
            0,
            format!("kept: {e}"),
        ),
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
                let note = format!(
                    "{h:.0} hits, {m:.0} misses (Redis lookups; the model reads it \
                    as the share of DB reads Redis answers)"
                );
                set_field(
                    inputs,
                    next,
                    Field::CacheHit,
                    round_to(h / (h + m) * 100.0, 1),
                    source,
                    pairs.len(),
                    note,
                )
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
pub(super) fn pool_row(inputs: &Inputs, current: &Scenario, next: &mut Scenario) -> FieldRow {
    let spec = Field::DbPool.spec();
    let source =
        format!("{} / {}", MetricKey::DbConnections.name(), MetricKey::RunningTasks.name());
    let cur = current.backend.db_pool_per_task as f64;
    // The EC2 fleet runs one process per task; a Fargate task in cluster mode one per vCPU.
    let processes = match current.backend.launch_type {
        LaunchType::Fargate => current.backend.node_workers().max(1) as f64,
        LaunchType::Ec2 => 1.0,
    };
    let ratios = || -> Result<Vec<f64>, Unavailable> {
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
                "99th percentile {p99:.2} connections per Node.js process (median {:.2}); other \
                    clients of the database count too",
                r[r.len() / 2]
            );
            set_field(inputs, next, Field::DbPool, pool, source, r.len(), note)
        }
    }
}
