//! The rules deploy.sh and stack.yaml both follow, in one place: the budget, the alarm
//! thresholds and the log retention. Each script or template reads them from here.

use super::Context;

/// The budget limit: the projected month at published prices plus 10%, whole dollars: price
/// overrides (a link's) cannot move the alarm away from what AWS bills.
pub fn budget_usd(c: &Context) -> f64 {
    (c.p.published_total_usd() * 1.1).ceil().max(1.0)
}

/// The ALB latency alarm: twice the planned p95 (1 s when the plan is saturated), in seconds
/// rounded to hundredths, as both files write it.
pub fn p95_alarm_seconds(c: &Context) -> f64 {
    let seconds = c.p.capacity.p95_ms.unwrap_or(1000.0) / 1000.0 * 2.0;
    // Rounded as the text is (`{:.2}`), so the two files can never differ by a hundredth.
    format!("{seconds:.2}").parse().unwrap_or(2.0)
}

/// The database connections alarm: 80% of the instance's `max_connections`.
pub fn db_connections_alarm(c: &Context) -> u32 {
    (c.p.capacity.db_max_connections as f64 * 0.8).floor() as u32
}

/// Log retention in days for the scenario's months: CloudWatch Logs accepts only these values
/// (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html).
pub fn log_retention_days(months: f64) -> u32 {
    const ALLOWED: [u32; 22] = [
        1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557,
        2922, 3288, 3653,
    ];
    let days = (months * 30.0).round().max(1.0) as u32;
    *ALLOWED.iter().find(|&&d| d >= days).unwrap_or(&3653)
}
