//! Reads the JSON that `aws cloudwatch get-metric-data` prints (`MetricDataResults`, each with
//! `Id`, `Label`, `Timestamps`, `Values`, `StatusCode`) and finds the series calibration needs,
//! by `Id` or by `Label` (whose default is the metric name). Pure: text in, series out.
//!
//! Response format:
//! https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html
//! The AWS CLI pages through `NextToken` itself and concatenates the pages' `MetricDataResults`,
//! so one `Id` can appear several times, each with a slice of the series: they are merged here.

pub use super::metrics_error::MetricsError;
use serde_json::Value;
use std::collections::HashMap;

/// A series calibration uses: which CloudWatch metric and statistic, and the query `Id` the
/// documented fetch command gives it. The fetch command and the reader share this table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MetricKey {
    Requests,
    ResponseP50,
    ResponseP95,
    ProcessedBytes,
    ActiveConnections,
    NewConnections,
    EcsCpu,
    EcsMemory,
    RunningTasks,
    DbCpu,
    DbConnections,
    DbReadIops,
    DbWriteIops,
    CacheHits,
    CacheMisses,
    CacheBytes,
}

/// Where a metric lives, so the fetch command can ask for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resource {
    LoadBalancer,
    EcsService,
    EcsServiceInsights,
    DbInstance,
    CacheNodes,
}

#[derive(Debug, Clone, Copy)]
pub struct MetricSpec {
    pub key: MetricKey,
    /// The query `Id` of the documented command (lowercase first, letters, digits, `_`).
    pub id: &'static str,
    pub namespace: &'static str,
    pub metric: &'static str,
    pub stat: &'static str,
    pub resource: Resource,
    /// Words that tell this series from another of the same metric name in a `Label`
    /// (CPUUtilization is both ECS and RDS; TargetResponseTime is fetched as p50 and p95).
    pub qualifiers: &'static [&'static str],
}

const fn spec(
    key: MetricKey,
    id: &'static str,
    namespace: &'static str,
    metric: &'static str,
    stat: &'static str,
    resource: Resource,
    qualifiers: &'static [&'static str],
) -> MetricSpec {
    MetricSpec { key, id, namespace, metric, stat, resource, qualifiers }
}

use MetricKey::*;
use Resource::*;

/// Every series the calibration reads. Statistics as each service's documentation recommends:
/// ALB counts as Sum, TargetResponseTime as percentiles, utilisation as Average.
pub const METRICS: [MetricSpec; 16] = [
    spec(Requests, "requests", "AWS/ApplicationELB", "RequestCount", "Sum", LoadBalancer, &[]),
    spec(
        ResponseP50,
        "response_p50",
        "AWS/ApplicationELB",
        "TargetResponseTime",
        "p50",
        LoadBalancer,
        &["p50"],
    ),
    spec(
        ResponseP95,
        "response_p95",
        "AWS/ApplicationELB",
        "TargetResponseTime",
        "p95",
        LoadBalancer,
        &["p95"],
    ),
    spec(
        ProcessedBytes,
        "processed_bytes",
        "AWS/ApplicationELB",
        "ProcessedBytes",
        "Sum",
        LoadBalancer,
        &[],
    ),
    spec(
        ActiveConnections,
        "active_connections",
        "AWS/ApplicationELB",
        "ActiveConnectionCount",
        "Sum",
        LoadBalancer,
        &[],
    ),
    spec(
        NewConnections,
        "new_connections",
        "AWS/ApplicationELB",
        "NewConnectionCount",
        "Sum",
        LoadBalancer,
        &[],
    ),
    spec(
        EcsCpu,
        "ecs_cpu",
        "AWS/ECS",
        "CPUUtilization",
        "Average",
        EcsService,
        &["ecs", "service", "task", "tasks"],
    ),
    spec(EcsMemory, "ecs_memory", "AWS/ECS", "MemoryUtilization", "Average", EcsService, &[]),
    spec(
        RunningTasks,
        "running_tasks",
        "ECS/ContainerInsights",
        "RunningTaskCount",
        "Average",
        EcsServiceInsights,
        &[],
    ),
    spec(
        DbCpu,
        "db_cpu",
        "AWS/RDS",
        "CPUUtilization",
        "Average",
        DbInstance,
        &["rds", "db", "database", "postgres", "postgresql"],
    ),
    spec(
        DbConnections,
        "db_connections",
        "AWS/RDS",
        "DatabaseConnections",
        "Maximum",
        DbInstance,
        &[],
    ),
    spec(DbReadIops, "db_read_iops", "AWS/RDS", "ReadIOPS", "Average", DbInstance, &[]),
    spec(DbWriteIops, "db_write_iops", "AWS/RDS", "WriteIOPS", "Average", DbInstance, &[]),
    spec(CacheHits, "cache_hits", "AWS/ElastiCache", "CacheHits", "Sum", CacheNodes, &[]),
    spec(CacheMisses, "cache_misses", "AWS/ElastiCache", "CacheMisses", "Sum", CacheNodes, &[]),
    spec(
        CacheBytes,
        "cache_bytes",
        "AWS/ElastiCache",
        "BytesUsedForCache",
        "Maximum",
        CacheNodes,
        &[],
    ),
];

impl MetricKey {
    pub fn spec(self) -> &'static MetricSpec {
        METRICS.iter().find(|m| m.key == self).expect("every key has a spec")
    }
    /// How a message names the series: `RequestCount (Id requests)`.
    pub fn name(self) -> String {
        let s = self.spec();
        let stat = if s.stat.starts_with('p') { format!(" {}", s.stat) } else { String::new() };
        format!("{}{stat} (Id `{}`)", s.metric, s.id)
    }
}

/// One returned series, its points sorted by time without duplicates.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub id: String,
    pub label: String,
    pub status: String,
    /// (epoch seconds, value)
    pub points: Vec<(i64, f64)>,
}

/// The whole response: its series and the service's messages.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MetricData {
    pub series: Vec<Series>,
    pub messages: Vec<String>,
}

/// What other AWS outputs look like, so a wrong file gets a message that says what it is.
const OTHER_OUTPUTS: [(&str, &str); 7] = [
    ("Datapoints", "`aws cloudwatch get-metric-statistics`"),
    ("MetricAlarms", "`aws cloudwatch describe-alarms`"),
    ("Metrics", "`aws cloudwatch list-metrics`"),
    ("LoadBalancers", "`aws elbv2 describe-load-balancers`"),
    ("MetricWidgetImage", "`aws cloudwatch get-metric-widget-image`"),
    ("DashboardBody", "`aws cloudwatch get-dashboard`"),
    ("traffic", "the planner (a scenario file)"),
];

/// The largest metrics file the CLI and the app read. The fetch script's longest window, 15 days
/// of one-minute data for every series in `METRICS`, is about 10 MB as the AWS CLI prints it
/// (`tests/fixtures/calibrate/weekday-60s.json` is one such day: 0.7 MB); parsing holds about
/// ten times the file in memory, so a larger file is refused before it is read.
pub const MAX_METRICS_BYTES: usize = 32 * 1024 * 1024;

/// Timestamps calibration accepts: 2000-01-01 to 2100-01-01 (UTC). CloudWatch began in 2009; a
/// time outside this window is a damaged file, and would make a period grid of ~1e17 steps.
pub const EARLIEST_TIME: i64 = 946_684_800;
pub const LATEST_TIME: i64 = 4_102_444_800;

/// The longest span one series may cover: CloudWatch keeps data points at most 455 days (15
/// months, one-hour periods; one-minute data 15 days, five-minute data 63 days).
/// https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_concepts.html#metrics-retention
pub const MAX_SPAN_SECS: i64 = 455 * 86_400;

/// The message for a file over `MAX_METRICS_BYTES` (the CLI checks the file's size before
/// reading it, the app the chosen file's).
pub fn too_large(bytes: u64) -> Option<MetricsError> {
    (bytes > MAX_METRICS_BYTES as u64).then_some(MetricsError::TooLarge { bytes })
}

/// Parses `get-metric-data` output. Errors say what the file is instead, or what is wrong.
pub fn parse(text: &str) -> Result<MetricData, MetricsError> {
    if let Some(e) = too_large(text.len() as u64) {
        return Err(e);
    }
    if text.trim().is_empty() {
        return Err(MetricsError::Empty);
    }
    let root: Value =
        serde_json::from_str(text).map_err(|e| MetricsError::NotJson(e.to_string()))?;
    let Some(obj) = root.as_object() else {
        return Err(MetricsError::NotAnObject);
    };
    let Some(results) = obj.get("MetricDataResults") else {
        if let Some((_, what)) = OTHER_OUTPUTS.iter().find(|(k, _)| obj.contains_key(*k)) {
            return Err(MetricsError::OtherCommand(what));
        }
        let keys = obj.keys().take(5).cloned().collect();
        return Err(MetricsError::NoResults { keys });
    };
    let Some(results) = results.as_array() else {
        return Err(MetricsError::ResultsNotAList);
    };
    let mut data = MetricData::default();
    // Where each Id's series is in `data.series`: a file with many series is read in linear
    // time (a scan per entry made 160k series take about a minute).
    let mut index: HashMap<String, usize> = HashMap::new();
    for (i, entry) in results.iter().enumerate() {
        let part = parse_entry(entry, i)?;
        match index.get(&part.id) {
            // Later pages of the same query: add their points; Complete wins over PartialData.
            Some(&at) => {
                let existing = &mut data.series[at];
                existing.points.extend(part.points);
                if part.status == "Complete" {
                    existing.status = part.status;
                }
            }
            None => {
                index.insert(part.id.clone(), data.series.len());
                data.series.push(part);
            }
        }
    }
    for s in &mut data.series {
        s.points.sort_by_key(|p| p.0);
        s.points.dedup_by_key(|p| p.0);
        check_span(s)?;
    }
    if let Some(messages) = obj.get("Messages").and_then(|m| m.as_array()) {
        for m in messages {
            let code = m.get("Code").and_then(|c| c.as_str()).unwrap_or("");
            let value = m.get("Value").and_then(|c| c.as_str()).unwrap_or("");
            data.messages.push(format!("{code} {value}").trim().to_string());
        }
    }
    if data.series.is_empty() {
        return Err(MetricsError::NoSeries);
    }
    Ok(data)
}

fn parse_entry(entry: &Value, index: usize) -> Result<Series, MetricsError> {
    let id = entry.get("Id").and_then(|v| v.as_str()).ok_or(MetricsError::NoId { index })?;
    let label = entry.get("Label").and_then(|v| v.as_str()).unwrap_or("").to_string();
    let status = entry.get("StatusCode").and_then(|v| v.as_str()).unwrap_or("Complete").to_string();
    let list = |key: &str| -> Result<&[Value], MetricsError> {
        match entry.get(key) {
            None | Some(Value::Null) => Ok(&[]),
            Some(Value::Array(a)) => Ok(a.as_slice()),
            Some(_) => Err(MetricsError::NotAList { id: id.into(), key: key.into() }),
        }
    };
    let (times, values) = (list("Timestamps")?, list("Values")?);
    if times.len() != values.len() {
        let (timestamps, values) = (times.len(), values.len());
        return Err(MetricsError::LengthMismatch { id: id.into(), timestamps, values });
    }
    let mut points = Vec::with_capacity(times.len());
    for (t, v) in times.iter().zip(values) {
        let text = || t.to_string();
        let at = parse_time(t)
            .ok_or_else(|| MetricsError::NotATimestamp { id: id.into(), text: text() })?;
        if !(EARLIEST_TIME..LATEST_TIME).contains(&at) {
            return Err(MetricsError::OutsideWindow { id: id.into(), text: text() });
        }
        let value = v
            .as_f64()
            .filter(|x| x.is_finite())
            .ok_or_else(|| MetricsError::NotANumber { id: id.into(), text: v.to_string() })?;
        points.push((at, value));
    }
    Ok(Series { id: id.to_string(), label, status, points })
}

/// A series (its points sorted) spans at most `MAX_SPAN_SECS`.
fn check_span(s: &Series) -> Result<(), MetricsError> {
    let (Some(first), Some(last)) = (s.points.first(), s.points.last()) else { return Ok(()) };
    if last.0 - first.0 > MAX_SPAN_SECS {
        return Err(MetricsError::SpanTooLong { id: s.id.clone(), first: first.0, last: last.0 });
    }
    Ok(())
}

/// Epoch seconds from an ISO 8601 timestamp (`2026-11-02T13:00:00Z`, `...+00:00`,
/// `...T13:00:00.000-05:00`, a space instead of `T`) or a number of seconds since 1970.
pub fn parse_time(v: &Value) -> Option<i64> {
    if let Some(n) = v.as_f64() {
        // Milliseconds when too large to be seconds (after year 5138).
        let secs = if n.abs() > 1.0e11 { n / 1000.0 } else { n };
        return secs.is_finite().then_some(secs.floor() as i64);
    }
    let s = v.as_str()?.trim();
    let b = s.as_bytes();
    if b.len() < 19
        || b[4] != b'-'
        || b[7] != b'-'
        || !(b[10] == b'T' || b[10] == b' ')
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let num = |r: std::ops::Range<usize>| s.get(r)?.parse::<i64>().ok();
    let (y, mo, d, h, mi, se) =
        (num(0..4)?, num(5..7)?, num(8..10)?, num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || se > 60 {
        return None;
    }
    let mut rest = &s[19..];
    if let Some(frac) = rest.strip_prefix('.') {
        let digits = frac.find(|c: char| !c.is_ascii_digit()).unwrap_or(frac.len());
        rest = &frac[digits..];
    }
    let offset = match rest {
        "" | "Z" | "z" => 0,
        _ => {
            let sign = match rest.as_bytes()[0] {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let hm = rest[1..].replace(':', "");
            if hm.len() != 4 || !hm.bytes().all(|c| c.is_ascii_digit()) {
                return None;
            }
            sign * (hm[..2].parse::<i64>().ok()? * 3600 + hm[2..].parse::<i64>().ok()? * 60)
        }
    };
    Some(days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se - offset)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

/// `2026-11-02 13:00 UTC` for messages.
pub fn format_time(epoch: i64) -> String {
    let days = epoch.div_euclid(86400);
    let secs = epoch.rem_euclid(86400);
    // Inverse of days_from_civil.
    let z = days + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + if m <= 2 { 1 } else { 0 };
    format!("{y:04}-{m:02}-{d:02} {:02}:{:02} UTC", secs / 3600, secs % 3600 / 60)
}

/// Day of the week, 0 = Monday (1970-01-01 was a Thursday).
pub fn weekday(epoch: i64) -> usize {
    (epoch.div_euclid(86400) + 3).rem_euclid(7) as usize
}

/// The words of a label, for matching: `TargetResponseTime p95` -> [targetresponsetime, p95].
fn words(label: &str) -> Vec<String> {
    label
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .map(|w| w.to_ascii_lowercase())
        .collect()
}

/// The series for `key`: by `Id`, else by a `Label` naming the metric (and, for a metric name
/// two series share, a word that says which). `Err` says what is missing or ambiguous.
pub fn find(data: &MetricData, key: MetricKey) -> Result<&Series, MetricsError> {
    let spec = key.spec();
    if let Some(s) = data.series.iter().find(|s| s.id == spec.id) {
        return Ok(s);
    }
    let metric = spec.metric.to_ascii_lowercase();
    // A series whose Id belongs to another key is that key's, whatever its label.
    let taken = |s: &Series| METRICS.iter().any(|m| m.key != key && m.id == s.id);
    let named: Vec<&Series> =
        data.series.iter().filter(|s| !taken(s) && words(&s.label).contains(&metric)).collect();
    let shared = METRICS.iter().filter(|m| m.metric == spec.metric).count() > 1;
    let fits = |s: &&Series| -> bool {
        let w = words(&s.label);
        !shared || spec.qualifiers.iter().any(|q| w.iter().any(|x| x == q))
    };
    let matching: Vec<&Series> = named.iter().copied().filter(fits).collect();
    match matching.as_slice() {
        [one] => Ok(one),
        [] if shared && !named.is_empty() => Err(MetricsError::Ambiguous {
            detail: format!(
                "{} is ambiguous: a series labelled `{}` could be {}; give the query the Id `{}`",
                key.name(),
                named[0].label,
                METRICS
                    .iter()
                    .filter(|m| m.metric == spec.metric)
                    .map(|m| format!("`{}`", m.id))
                    .collect::<Vec<_>>()
                    .join(" or "),
                spec.id
            ),
        }),
        [] => Err(MetricsError::Missing { metric: spec.metric, id: spec.id, name: key.name() }),
        many => Err(MetricsError::Ambiguous {
            detail: format!(
            "{} is ambiguous: {} series are labelled with it ({}); give the one to use the Id `{}`",
            key.name(),
            many.len(),
            many.iter().map(|s| format!("`{}`", s.id)).collect::<Vec<_>>().join(", "),
            spec.id
        ),
        }),
    }
}

/// The sampling period of a series in seconds: the most common step between its points.
pub fn period_of(points: &[(i64, f64)]) -> Option<i64> {
    let mut steps: Vec<i64> =
        points.windows(2).map(|w| w[1].0 - w[0].0).filter(|d| *d > 0).collect();
    if steps.is_empty() {
        return None;
    }
    steps.sort_unstable();
    let (mut best, mut best_n, mut i) = (steps[0], 0, 0);
    while i < steps.len() {
        let j =
            steps[i..].iter().position(|x| *x != steps[i]).map(|k| i + k).unwrap_or(steps.len());
        if j - i > best_n {
            best = steps[i];
            best_n = j - i;
        }
        i = j;
    }
    Some(best)
}
