//! The growth path as the CLI (`scaling-plan roadmap`) and the page give it: the AWS CLI
//! command of each change (names from `export::ResourceNames`, every value through
//! `export::shell::quote`), the JSON report, a text summary and the CSV.

use crate::export::shell::quote;
use crate::export::{cache_engine, ResourceNames};
use crate::model::growth::holdings::{holdings, Holding, OutgrownReservation};
use crate::model::growth::{Change, Event, Limit, Month, Roadmap};
use crate::model::scenario::Scenario;
use crate::model::Tier;
use serde::Serialize;

/// One AWS CLI call: `aws <words...> --region R --flag value...`, every value quoted as one
/// shell word (`export::shell::quote`); flags and words are fixed text.
fn aws(region: &str, words: &[&str], args: &[(&str, String)], switches: &[&str]) -> String {
    let mut out = format!("aws {} --region {}", words.join(" "), quote(region));
    for (flag, value) in args {
        out.push_str(&format!(" {flag} {}", quote(value)));
    }
    for switch in switches {
        out.push_str(&format!(" {switch}"));
    }
    out
}

/// The command that makes `change`, for the configuration `after` (the month it applies to),
/// or the planning document's phase to follow when no single command does it.
pub fn command(change: &Change, after: &Scenario) -> String {
    let n = ResourceNames::new(&after.deploy.app_name);
    let r = after.region.as_str();
    let ecs = |extra: (&'static str, String)| {
        let args = [("--cluster", n.cluster.clone()), ("--service", n.service.clone()), extra];
        aws(r, &["ecs", "update-service"], &args, &[])
    };
    match change {
        Change::TaskCount { to, .. } => {
            let target = aws(
                r,
                &["application-autoscaling", "register-scalable-target"],
                &[
                    ("--service-namespace", "ecs".into()),
                    ("--scalable-dimension", "ecs:service:DesiredCount".into()),
                    ("--resource-id", n.scalable_resource_id()),
                    ("--min-capacity", to[0].to_string()),
                    ("--max-capacity", to[2].to_string()),
                ],
                &[],
            );
            format!("{} && {target}", ecs(("--desired-count", to[1].to_string())))
        }
        Change::TaskSize { .. } => format!(
            "{} && {} (taskdef.json: this month's export from the planner)",
            aws(
                r,
                &["ecs", "register-task-definition"],
                &[],
                &["--cli-input-json file://taskdef.json"]
            ),
            ecs(("--task-definition", n.family.clone()))
        ),
        Change::LaunchType { to, .. } => format!(
            "Phase 3 of the planning document: deploy on {} (deploy.sh from this month's export)",
            to.label()
        ),
        Change::Ec2Fleet { to, .. } => {
            let c = to.1.to_string();
            let args = [
                ("--auto-scaling-group-name", n.auto_scaling_group.clone()),
                ("--min-size", c.clone()),
                ("--max-size", c.clone()),
                ("--desired-capacity", c),
            ];
            let call = aws(r, &["autoscaling", "update-auto-scaling-group"], &args, &[]);
            format!("{call} (a new instance type: deploy.sh from this month's export)")
        }
        _ => stores(change, after, &n),
    }
}

/// The database's, cache's and load balancer's commands.
fn stores(change: &Change, after: &Scenario, n: &ResourceNames) -> String {
    let r = after.region.as_str();
    let now = ["--apply-immediately"];
    let db = || ("--db-instance-identifier", n.db_instance.clone());
    let group = || ("--replication-group-id", n.cache.clone());
    match change {
        Change::DbClass { to, .. } => {
            let args = [db(), ("--db-instance-class", to.clone())];
            aws(r, &["rds", "modify-db-instance"], &args, &now)
        }
        Change::MultiAz { to } => {
            let switch = if *to { "--multi-az" } else { "--no-multi-az" };
            aws(r, &["rds", "modify-db-instance"], &[db()], &[switch, now[0]])
        }
        Change::Replicas { from, to } => replicas(n, r, *from, *to),
        Change::CacheNode { to, .. } => {
            let args = [group(), ("--cache-node-type", to.clone())];
            aws(r, &["elasticache", "modify-replication-group"], &args, &now)
        }
        Change::CacheReplicas { from, to } => {
            let op = if to > from { "increase-replica-count" } else { "decrease-replica-count" };
            let args = [group(), ("--new-replica-count", to.to_string())];
            aws(r, &["elasticache", op], &args, &now)
        }
        Change::Shards { from, to } => shards(&n.cache, r, *from, *to),
        Change::ClusterMode { .. } => {
            let pg =
                cache_engine(&after.cache).parameter_group.unwrap_or("default.redis7.cluster.on");
            let step = |mode: &str| {
                let args = [
                    group(),
                    ("--cluster-mode", mode.to_string()),
                    ("--cache-parameter-group-name", pg.to_string()),
                ];
                aws(r, &["elasticache", "modify-replication-group"], &args, &now)
            };
            format!(
                "{} (then, with the app on a cluster client and the configuration endpoint) {}",
                step("compatible"),
                step("enabled")
            )
        }
        Change::Routing { to, .. } => {
            let arn = format!(
                "\"$({} --query 'TargetGroups[0].TargetGroupArn' --output text)\"",
                aws(
                    r,
                    &["elbv2", "describe-target-groups"],
                    &[("--names", n.target_group.clone())],
                    &[]
                )
            );
            let value =
                format!("Key=load_balancing.algorithm.type,Value={}", to.target_group_algorithm());
            let call = aws(
                r,
                &["elbv2", "modify-target-group-attributes"],
                &[("--attributes", value)],
                &[],
            );
            format!("{call} --target-group-arn {arn}")
        }
        _ => String::new(),
    }
}

/// Read replicas are named as deploy.sh names them (`<db>-replica-<n>`).
fn replicas(n: &ResourceNames, region: &str, from: u32, to: u32) -> String {
    let one = |i: u32| {
        let id = ("--db-instance-identifier", format!("{}-replica-{i}", n.db_instance));
        if to > from {
            let source = ("--source-db-instance-identifier", n.db_instance.clone());
            aws(region, &["rds", "create-db-instance-read-replica"], &[id, source], &[])
        } else {
            aws(region, &["rds", "delete-db-instance"], &[id], &["--skip-final-snapshot"])
        }
    };
    let ids: Vec<u32> =
        if to > from { (from + 1..=to).collect() } else { (to + 1..=from).collect() };
    ids.into_iter().map(one).collect::<Vec<_>>().join(" && ")
}

/// Online resharding; fewer shards name the ones to remove (ElastiCache numbers them 0001...).
fn shards(cache: &str, region: &str, from: u32, to: u32) -> String {
    let args =
        [("--replication-group-id", cache.to_string()), ("--node-group-count", to.to_string())];
    let base = aws(
        region,
        &["elasticache", "modify-replication-group-shard-configuration"],
        &args,
        &["--apply-immediately"],
    );
    if to >= from {
        return base;
    }
    let remove: Vec<String> = (to + 1..=from).map(|i| quote(&format!("{i:04}"))).collect();
    format!("{base} --node-groups-to-remove {}", remove.join(" "))
}

/// One month as the CLI's JSON gives it.
#[derive(Debug, Clone, Serialize)]
pub struct MonthRow<'a> {
    pub month: u32,
    pub peak_rps: f64,
    pub monthly_requests: f64,
    pub monthly_usd: f64,
    pub cumulative_usd: f64,
    pub scenario: &'a Scenario,
    pub configuration: &'a str,
    pub binding: Limit,
    pub binding_detail: &'a str,
    pub capacity_rps: f64,
    pub misses: &'a [String],
}

/// One change as the CLI's JSON gives it.
#[derive(Debug, Clone, Serialize)]
pub struct EventRow<'a> {
    pub month: u32,
    pub change: &'a str,
    pub reason: &'a str,
    pub downtime: &'a str,
    pub lead_time_days: u32,
    pub command: String,
    pub phase: u8,
    pub limits: &'a [Limit],
    pub source: &'a str,
    pub what: &'a Change,
}

/// The report: `months`, `events`, `tier_crossings` (tier -> first month, `null` beyond the
/// horizon), with the total, the rate, the stability rule and the assumptions beside them.
#[derive(Debug, Clone, Serialize)]
pub struct RoadmapReport<'a> {
    pub months: Vec<MonthRow<'a>>,
    pub events: Vec<EventRow<'a>>,
    pub tier_crossings: std::collections::BTreeMap<&'static str, Option<u32>>,
    pub total_usd: f64,
    pub monthly_rate: f64,
    pub horizon_months: u32,
    pub stability_rule: &'a str,
    pub assumptions: &'a [String],
    pub unmet_from: Option<(u32, &'a str)>,
    /// How long each database class, cache node type and EC2 instance type runs unchanged:
    /// what a 1-year reservation's break-even is compared with.
    pub holdings: Vec<Holding>,
    /// 1-year reservations the path would outgrow before they pay back, each with its
    /// message, rates and rate code (`holdings::outgrown_reservations`).
    pub reservation_warnings: &'a [OutgrownReservation],
}

fn month_row(m: &Month) -> MonthRow<'_> {
    MonthRow {
        month: m.month,
        peak_rps: m.peak_rps,
        monthly_requests: m.monthly_requests,
        monthly_usd: m.monthly_usd,
        cumulative_usd: m.cumulative_usd,
        scenario: &m.scenario,
        configuration: &m.configuration,
        binding: m.binding,
        binding_detail: &m.binding_detail,
        capacity_rps: m.capacity_rps,
        misses: &m.misses,
    }
}

/// The configuration an event applies to: its month's.
fn month_scenario<'a>(r: &'a Roadmap, e: &Event) -> Option<&'a Scenario> {
    r.months.get(e.month as usize).map(|m| &m.scenario)
}

pub fn report(r: &Roadmap) -> RoadmapReport<'_> {
    let events = r
        .events
        .iter()
        .map(|e| EventRow {
            month: e.month,
            change: &e.change,
            reason: &e.reason,
            downtime: &e.downtime,
            lead_time_days: e.lead_time_days,
            command: month_scenario(r, e).map(|s| command(&e.what, s)).unwrap_or_default(),
            phase: e.phase,
            limits: &e.limits,
            source: e.source,
            what: &e.what,
        })
        .collect();
    let tier_crossings = r.tier_crossings.iter().map(|c| (tier_key(c.tier), c.month)).collect();
    RoadmapReport {
        months: r.months.iter().map(month_row).collect(),
        events,
        tier_crossings,
        total_usd: r.total_usd,
        monthly_rate: r.monthly_rate,
        horizon_months: r.horizon_months,
        stability_rule: r.stability_rule,
        assumptions: &r.assumptions,
        unmet_from: r.unmet_from.as_ref().map(|(m, t)| (*m, t.as_str())),
        holdings: holdings(r),
        reservation_warnings: &r.outgrown_reservations,
    }
}

fn tier_key(t: Tier) -> &'static str {
    match t {
        Tier::Small => "small",
        Tier::Medium => "medium",
        Tier::Large => "large",
    }
}

/// Text for a terminal: control characters in names the user typed are shown escaped, never
/// sent to the terminal.
fn printable(s: &str) -> String {
    s.chars()
        .flat_map(|c| {
            let escaped: Vec<char> =
                if c.is_control() { c.escape_default().collect() } else { vec![c] };
            escaped
        })
        .collect()
}

fn usd(v: f64) -> String {
    crate::model::display::usd(v)
}

/// The path for a terminal: rate, tiers, each month's cost and configuration, the events.
pub fn to_text(r: &Roadmap, scenario: &Scenario) -> String {
    let mut out = format!(
        "{}: {:.1}% a month over {} months, {} in total\n",
        printable(&scenario.name),
        r.monthly_rate * 100.0,
        r.horizon_months,
        usd(r.total_usd)
    );
    for c in &r.tier_crossings {
        let at = c.month.map_or("not within the horizon".to_string(), |m| format!("month {m}"));
        out.push_str(&format!("  reaches {} ({} req/s): {at}\n", c.tier.label(), c.peak_rps));
    }
    out.push_str(&format!("\nRule: {}\n\nMonths\n", r.stability_rule));
    for m in &r.months {
        out.push_str(&format!(
            "  {:>2}  {:>8.1} req/s  {:>11}  total {:>12}  {}  [{}]\n",
            m.month,
            m.peak_rps,
            usd(m.monthly_usd),
            usd(m.cumulative_usd),
            printable(&m.configuration),
            m.binding_detail
        ));
    }
    out.push_str(&format!("\nChanges ({})\n", r.events.len()));
    for e in &r.events {
        let cmd = month_scenario(r, e).map(|s| command(&e.what, s)).unwrap_or_default();
        out.push_str(&format!(
            "  month {}: {}\n    why: {}\n    downtime: {}; start {} days ahead; phase {}\n    \
             {}\n",
            e.month,
            printable(&e.change),
            printable(&e.reason),
            e.downtime,
            e.lead_time_days,
            e.phase,
            printable(&cmd)
        ));
    }
    if let Some((m, why)) = &r.unmet_from {
        out.push_str(&format!("\nFrom month {m} nothing in the search meets the targets: {why}\n"));
    }
    out.push_str(&reservations_text(r));
    out
}

/// The reservations the path outgrows before they pay back, or that none is.
fn reservations_text(r: &Roadmap) -> String {
    let mut out = format!("\nReservations outgrown ({})\n", r.outgrown_reservations.len());
    if r.outgrown_reservations.is_empty() {
        out.push_str("  none: every class and node the path changes ran long enough to pay back\n");
    }
    for w in &r.outgrown_reservations {
        out.push_str(&format!("  {}\n", printable(&w.message)));
    }
    out
}

/// RFC 4180 field.
fn q(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// One row per month, with the changes that month starts.
pub fn to_csv(r: &Roadmap) -> String {
    let mut out = String::from(concat!(
        "month,peak_rps,monthly_requests,monthly_usd,cumulative_usd,configuration,binding,",
        "changes,reasons,downtime,lead_time_days\n"
    ));
    for m in &r.months {
        let ev: Vec<&Event> = r.events.iter().filter(|e| e.month == m.month).collect();
        let join =
            |f: fn(&Event) -> String| ev.iter().map(|e| f(e)).collect::<Vec<_>>().join(" | ");
        out.push_str(&format!(
            "{},{:.2},{:.0},{:.2},{:.2},{},{},{},{},{},{}\n",
            m.month,
            m.peak_rps,
            m.monthly_requests,
            m.monthly_usd,
            m.cumulative_usd,
            q(&m.configuration),
            q(&m.binding_detail),
            q(&join(|e| e.change.clone())),
            q(&join(|e| e.reason.clone())),
            q(&join(|e| e.downtime.clone())),
            ev.iter().map(|e| e.lead_time_days).max().map_or(String::new(), |d| d.to_string()),
        ));
    }
    out
}
