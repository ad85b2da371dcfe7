//! The busiest hour, the database capacity it shows, the rows that only inform, and the
//! measured p95 against the model's at that hour.

use super::*;

/// Periods of the busiest clock hour (the most requests), with their start times.
pub(super) fn busiest_hour(inputs: &Inputs) -> Option<(i64, Vec<i64>)> {
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
pub(super) fn db_capacity_row(
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
            format!(
                "kept: the database ran at {:.1}% CPU at the busiest hour, too idle to measure \
                its capacity",
                cpu * 100.0
            ),
        );
    }
    let mut at_load = next.clone();
    at_load.traffic.peak_rps = rps;
    let primary_qps = plan(&at_load, catalog).capacity.db_primary_qps;
    let vcpu = catalog.rds_classes.get(&current.database.class).map(|c| c.vcpu).unwrap_or(1.0);
    let qps = round_to(primary_qps / (cpu * vcpu) / 50.0, 0) * 50.0;
    let note = format!(
        "{:.1}% CPU on {vcpu} vCPU at {rps:.2} req/s ({}), when the model sends {primary_qps:.1} \
            queries/s to the primary (given the query mix and hit ratio)",
        cpu * 100.0,
        format_time(hour)
    );
    set_field(inputs, next, Field::DbQps, qps, source, both.len(), note)
}

/// Measured figures the model has no field for: shown, not applied, with the reason.
pub(super) fn info_rows(inputs: &Inputs, current: &Scenario) -> Vec<FieldRow> {
    let mut rows = Vec::new();
    let mib = current.backend.task_memory_mib as f64;
    let (note, points) = match inputs.grid(MetricKey::EcsMemory) {
        Err(e) => (format!("kept: {e}"), 0),
        Ok(g) => {
            let max = g.values().fold(0.0f64, |a, b| a.max(*b));
            (
                format!(
                    "kept: memory peaked at {max:.0}% of {mib:.0} MiB ({:.0} MiB); the right-size \
                        search picks task sizes",
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
    let iops = || -> Result<(f64, f64, usize), Unavailable> {
        let r = inputs.grid(MetricKey::DbReadIops)?;
        let w = inputs.grid(MetricKey::DbWriteIops)?;
        let max = |g: &Grid| g.values().fold(0.0f64, |a, b| a.max(*b));
        Ok((max(r), max(w), r.len().min(w.len())))
    };
    let (note, points) = match iops() {
        Err(e) => (format!("kept: {e}"), 0),
        Ok((r, w, n)) => (
            format!(
                "kept: disk reads peaked at {r:.0} IOPS and writes at {w:.0} \
            IOPS; IOPS count disk operations, not queries (most reads come from PostgreSQL's \
            memory), so the read share stays"
            ),
            n,
        ),
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
pub(super) fn latency_check(
    inputs: &Inputs,
    calibrated: &Scenario,
    catalog: &Catalog,
) -> Result<LatencyCheck, Unavailable> {
    let p95 = inputs.grid(MetricKey::ResponseP95)?;
    inputs.grid(MetricKey::Requests)?;
    let (hour, periods) = busiest_hour(inputs)
        .ok_or_else(|| Unavailable("no requests in the window to compare latency at".into()))?;
    let tasks_grid = inputs.grid(MetricKey::RunningTasks).ok();
    let at: Vec<i64> = periods.into_iter().filter(|t| p95.contains_key(t)).collect();
    if at.is_empty() {
        return Err(Unavailable(format!(
            "{} has no data in the busiest hour ({})",
            MetricKey::ResponseP95.name(),
            format_time(hour)
        )));
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
