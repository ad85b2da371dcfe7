//! The path itself: each month's traffic, the configuration it runs under the stability rule,
//! its plan (the same `plan()` the planner shows for that scenario), binding limit, spend to
//! date, and where it crosses the document's tiers.

use super::super::catalog::Catalog;
use super::super::optimize::{cheapest, misses, Targets};
use super::super::plan::{plan, Plan, WarningCode};
use super::super::presets::Tier;
use super::super::scenario::{LaunchType, Routing, Scenario};
use super::events::{events_between, Cause, Event, Limit};
use super::holdings::{outgrown_reservations, OutgrownReservation};
use super::{stable, Growth};
use serde::Serialize;

/// Months a change is sized ahead for: the configuration chosen at a change meets every
/// target through this many further months (a quarter), so no change follows within them
/// unless a traffic step jumps past the curve.
pub const SIZE_AHEAD_MONTHS: u32 = 3;
/// No downgrade within this many months of the last change, and a downgrade must hold as long.
pub const HOLD_AFTER_CHANGE_MONTHS: u32 = 6;
/// A change AWS makes in place (more tasks, read replicas) is taken
/// over the cheapest configuration when it costs at most this much more.
pub const IN_PLACE_PREMIUM: f64 = 0.10;
/// A downgrade must save at least this share of the monthly cost.
pub const DOWNGRADE_SAVING: f64 = 0.10;

/// The stability rule, as the page and the JSON state it.
pub const STABILITY_RULE: &str = concat!(
    "Hold the configuration while it meets every target at the month's traffic. When it ",
    "would break one, move to the cheapest configuration that meets every target through ",
    "the next 3 months, so no change follows within a quarter unless traffic jumps; a ",
    "change AWS makes in place (more tasks or read replicas on the same sizes) is ",
    "preferred when it costs at most 10% more. While traffic grows the database ",
    "and cache never step down (a smaller class, fewer replicas, less cache memory, cluster ",
    "mode off). Downgrade only after traffic ",
    "fell, never within 6 months of the last change, and only to a configuration that ",
    "holds the next 6 months and saves at least 10%.",
);

/// One month of the path.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Month {
    /// 0 is this month (today's plan).
    pub month: u32,
    pub peak_rps: f64,
    /// API requests in the month (average rate x the catalog's hours).
    pub monthly_requests: f64,
    pub monthly_usd: f64,
    /// Spend from month 0 through this month.
    pub cumulative_usd: f64,
    /// The configuration in a line.
    pub configuration: String,
    /// The month's scenario: the configuration at the month's traffic.
    pub scenario: Scenario,
    /// The limit closest to its ceiling this month.
    pub binding: Limit,
    pub binding_detail: String,
    /// What the compute can serve at peak, req/s (capacity against demand).
    pub capacity_rps: f64,
    /// Targets this month's configuration misses (empty when it meets them all).
    pub misses: Vec<String>,
}

/// The first month the path's peak reaches a tier's.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TierCrossing {
    pub tier: Tier,
    pub peak_rps: f64,
    /// `None`: not within the horizon.
    pub month: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Roadmap {
    /// The compound monthly rate used (entered, or derived from a target peak).
    pub monthly_rate: f64,
    pub horizon_months: u32,
    pub months: Vec<Month>,
    pub events: Vec<Event>,
    pub tier_crossings: Vec<TierCrossing>,
    pub total_usd: f64,
    pub stability_rule: &'static str,
    /// What grows with traffic and what is held, in words.
    pub assumptions: Vec<String>,
    /// The first month after today whose configuration misses a target (no configuration
    /// in the search space meets them), with what it misses.
    pub unmet_from: Option<(u32, String)>,
    /// Right-size searches run (after memoising identical peaks).
    pub searches: u32,
    /// 1-year reservations the path would outgrow before they pay back.
    pub outgrown_reservations: Vec<OutgrownReservation>,
}

/// `config` (a configuration) at `factor` times today's traffic: the peak, page views, the
/// cache's working set and the log volume grow with traffic; the rest is the configuration's.
pub fn at_traffic(config: &Scenario, today: &Scenario, factor: f64) -> Scenario {
    let mut s = config.clone();
    s.traffic.peak_rps = today.traffic.peak_rps * factor;
    s.traffic.monthly_page_views = today.traffic.monthly_page_views * factor;
    s.cache.working_set_gb = today.cache.working_set_gb * factor;
    s.network.log_gb_per_month = today.network.log_gb_per_month * factor;
    s
}

const ASSUMPTIONS: [&str; 3] = [
    "Grow with traffic: peak requests, page views, the cache's working set and log volume.",
    "Held as entered: database storage, S3 and ECR storage, outbound traffic, secrets, prices.",
    "Traffic steps multiply the curve from their month on.",
];

/// The right-size search, memoised: the same window peak (and routing) is searched once.
struct Search<'a> {
    today: &'a Scenario,
    catalog: &'a Catalog,
    targets: Targets,
    done: Vec<((u64, Routing, bool), Option<Scenario>)>,
    runs: u32,
    /// The configuration held since this month could not grow in place at this traffic
    /// factor: nor can it at more (the last months of a path nothing fits).
    no_in_place: Option<(u32, f64)>,
    /// Plans of a change's candidates: a change plans the same configuration up to three
    /// times (whether it meets the targets, what it costs against the other candidate).
    plans: Vec<(Scenario, Plan)>,
}

impl Search<'_> {
    /// `plan(s)`, planned once per configuration and traffic.
    fn plan(&mut self, s: &Scenario) -> Plan {
        if let Some((_, p)) = self.plans.iter().find(|(x, _)| x == s) {
            return p.clone();
        }
        let p = plan(s, self.catalog);
        self.plans.push((s.clone(), p.clone()));
        p
    }

    /// The cheapest configuration meeting the targets at `factor` x today's traffic, for a
    /// scenario routed as `routing`; `relaxed` drops the budget.
    fn best(&mut self, factor: f64, routing: Routing, relaxed: bool) -> Option<Scenario> {
        let key = (factor.to_bits(), routing, relaxed);
        if let Some((_, found)) = self.done.iter().find(|(k, _)| *k == key) {
            return found.clone();
        }
        // Monotone: more traffic never makes the targets easier, so above a peak where
        // nothing fits, nothing fits either (the last months of a steep curve).
        let beyond = |((bits, r, x), found): &((u64, Routing, bool), Option<Scenario>)| {
            found.is_none() && *r == routing && *x == relaxed && f64::from_bits(*bits) <= factor
        };
        if self.done.iter().any(beyond) {
            return None;
        }
        self.runs += 1;
        let mut start = at_traffic(self.today, self.today, factor);
        start.alb.routing = routing;
        let t = if relaxed {
            Targets { budget_usd: None, ..self.targets.clone() }
        } else {
            self.targets.clone()
        };
        let found = cheapest(&start, self.catalog, &t).map(|b| b.scenario);
        self.done.push((key, found.clone()));
        found
    }
}

/// The month's record of a configuration, planned.
fn month_of(month: u32, s: Scenario, p: &Plan, t: &Targets, cumulative: f64, hours: f64) -> Month {
    let (binding, binding_detail) = binding(p, t);
    Month {
        month,
        peak_rps: s.traffic.peak_rps,
        monthly_requests: s.monthly_api_requests(hours),
        monthly_usd: p.monthly_total_usd,
        cumulative_usd: cumulative + p.monthly_total_usd,
        configuration: configuration_label(&s),
        binding,
        binding_detail,
        capacity_rps: p.capacity.capacity_rps,
        misses: misses(p, &s, t),
        scenario: s,
    }
}

/// The path from `today` with the growth inputs `g` (the scenario's own, `today.growth`).
pub fn roadmap(today: &Scenario, g: &Growth, catalog: &Catalog) -> Roadmap {
    let t = g.targets(today);
    let factors: Vec<f64> =
        (0..g.horizon_months).map(|m| g.factor(today.traffic.peak_rps, m)).collect();
    let mut search = Search {
        today,
        catalog,
        targets: t.clone(),
        done: Vec::new(),
        runs: 0,
        no_in_place: None,
        plans: Vec::new(),
    };
    let mut months: Vec<Month> = Vec::with_capacity(factors.len());
    let mut events = Vec::new();
    let mut current = today.clone();
    let (mut last_change, mut factor_at_change) = (0u32, factors[0]);
    for (m, &factor) in factors.iter().enumerate() {
        let m = m as u32;
        let held = at_traffic(&current, today, factor);
        let held_plan = plan(&held, catalog);
        let decision = if m == 0 {
            None
        } else if !misses(&held_plan, &held, &t).is_empty() {
            upgrade(&mut search, &factors, (m, last_change), &held, &held_plan, &t)
        } else if factor < factor_at_change * 0.95 && m - last_change >= HOLD_AFTER_CHANGE_MONTHS {
            downgrade(&mut search, &factors, m, &held, &held_plan)
        } else {
            None
        };
        let cumulative = months.last().map_or(0.0, |x: &Month| x.cumulative_usd);
        let hours = catalog.hours_per_month;
        match decision {
            Some((next, cause, sized_to)) => {
                let next = at_traffic(&next, today, factor);
                events.extend(events_between(m, &held, &next, &cause, sized_to));
                let p = plan(&next, catalog);
                months.push(month_of(m, next.clone(), &p, &t, cumulative, hours));
                current = next;
                (last_change, factor_at_change) = (m, factor);
            }
            None => months.push(month_of(m, held, &held_plan, &t, cumulative, hours)),
        }
    }
    let mut r = finish(g, today, months, events, search.runs);
    r.outgrown_reservations = outgrown_reservations(&r, catalog);
    r
}

fn finish(
    g: &Growth,
    today: &Scenario,
    months: Vec<Month>,
    events: Vec<Event>,
    searches: u32,
) -> Roadmap {
    let tier_crossings = Tier::ALL
        .iter()
        .map(|&tier| {
            let peak_rps = tier.scenario().traffic.peak_rps;
            // A hair under the peak counts: 15 x 1.15^12 is 80.25, but a curve meant to land
            // exactly on a tier must not miss it by rounding.
            let month =
                months.iter().find(|m| m.peak_rps >= peak_rps * (1.0 - 1e-9)).map(|m| m.month);
            TierCrossing { tier, peak_rps, month }
        })
        .collect();
    let unmet_from = months
        .iter()
        .find(|m| m.month > 0 && !m.misses.is_empty())
        .map(|m| (m.month, m.misses.join("; ")));
    Roadmap {
        unmet_from,
        monthly_rate: g.rate(today.traffic.peak_rps),
        horizon_months: g.horizon_months,
        total_usd: months.last().map_or(0.0, |m| m.cumulative_usd),
        months,
        events,
        tier_crossings,
        stability_rule: STABILITY_RULE,
        assumptions: ASSUMPTIONS.iter().map(|a| a.to_string()).collect(),
        searches,
        outgrown_reservations: Vec::new(),
    }
}

/// The largest traffic factor from `from` through `months` more (within the horizon), and the
/// last month of that window.
fn window(factors: &[f64], from: u32, months: u32) -> (f64, u32) {
    let end = (from + months).min(factors.len() as u32 - 1);
    let top = factors[from as usize..=end as usize].iter().cloned().fold(0.0, f64::max);
    (top, end)
}

type Decision = Option<(Scenario, Cause, u32)>;

/// The held configuration breaks a target at month `m`: the configuration for the next
/// months, preferring an in-place change, without the budget when nothing fits it.
fn upgrade(
    search: &mut Search,
    factors: &[f64],
    (m, since): (u32, u32),
    held: &Scenario,
    held_plan: &Plan,
    t: &Targets,
) -> Decision {
    let (top, sized_to) = window(factors, m, SIZE_AHEAD_MONTHS);
    let today = search.today;
    let catalog = search.catalog;
    let routing = held.alb.routing;
    // Nothing within the budget: the cheapest that meets the other targets (the month then
    // shows it over budget).
    let budget = t.budget_usd.is_some();
    let best = search.best(top, routing, false).or_else(|| {
        if budget {
            search.best(top, routing, true)
        } else {
            None
        }
    });
    let sizing = at_traffic(held, today, top);
    // Hold the larger database and cache: the cheapest configuration's stores are taken only
    // where they do not step down from what runs (a merge that misses falls back to it).
    let best = best.map(|b| {
        let merged = stable::merge(&sizing, &b, catalog);
        let p = search.plan(&merged);
        if misses(&p, &merged, t).is_empty() {
            merged
        } else {
            b
        }
    });
    let hopeless = search.no_in_place.is_some_and(|(s, f)| s == since && top >= f);
    let in_place = if hopeless { None } else { stable::in_place(&sizing, catalog, t) };
    if in_place.is_none() && !hopeless {
        search.no_in_place = Some((since, top));
    }
    let in_place = in_place.map(|(s, p)| {
        search.plans.push((s.clone(), p));
        s
    });
    let mut cost = |s: &Scenario| search.plan(s).monthly_total_usd;
    let chosen = match (best, in_place) {
        (Some(b), Some(i)) if cost(&i) <= cost(&b) * (1.0 + IN_PLACE_PREMIUM) => i,
        (Some(b), _) => b,
        (None, Some(i)) => i,
        (None, None) => return None,
    };
    let limits = broken_limits(held_plan, held, t);
    Some((chosen, Cause::Breaks { limits }, sized_to))
}

/// Traffic fell: a cheaper configuration that holds the next months, if it saves enough.
fn downgrade(
    search: &mut Search,
    factors: &[f64],
    m: u32,
    held: &Scenario,
    held_plan: &Plan,
) -> Decision {
    let (top, sized_to) = window(factors, m, HOLD_AFTER_CHANGE_MONTHS);
    let best = search.best(top, held.alb.routing, false)?;
    let now = at_traffic(&best, search.today, factors[m as usize]);
    let saves = held_plan.monthly_total_usd - plan(&now, search.catalog).monthly_total_usd;
    (saves >= held_plan.monthly_total_usd * DOWNGRADE_SAVING).then_some((
        best,
        Cause::Cheaper { saves_usd: saves },
        sized_to,
    ))
}

/// The limits a plan breaks against the targets, each with its figure.
pub fn broken_limits(p: &Plan, s: &Scenario, t: &Targets) -> Vec<(Limit, String)> {
    let c = &p.capacity;
    let mut out = Vec::new();
    match c.p95_ms {
        None => out.push((Limit::P95, format!("saturated at {:.0} req/s", c.peak_rps))),
        Some(v) if v > t.p95_ms => out.push((
            Limit::P95,
            format!("{v:.0} ms > {:.0} ms at {:.0} req/s", t.p95_ms, c.peak_rps),
        )),
        _ => {}
    }
    if c.headroom_pct < t.headroom_pct {
        out.push((
            Limit::Cpu,
            format!("{:.0}% headroom < {:.0}%", c.headroom_pct.max(-999.0), t.headroom_pct),
        ));
    }
    for w in &p.warnings {
        let limit = match w.code {
            WarningCode::ConnectionsOverLimit | WarningCode::ReplicaConnectionsOverLimit => {
                Limit::DbConnections
            }
            WarningCode::DbPrimaryOverloaded | WarningCode::DbReplicasOverloaded => Limit::DbCpu,
            WarningCode::CacheTooSmall => Limit::CacheMemory,
            _ => continue,
        };
        if !out.iter().any(|(l, _)| *l == limit) {
            out.push((limit, w.message.clone()));
        }
    }
    if let Some(b) = t.budget_usd.filter(|b| p.monthly_total_usd > *b) {
        out.push((Limit::Budget, format!("${:.0} > ${b:.0} a month", p.monthly_total_usd)));
    }
    let named = out.len();
    let rest = misses(p, s, t);
    if named == 0 && !rest.is_empty() {
        let availability = t.high_availability
            && (!s.database.multi_az || s.cache.replicas_per_shard == 0 || s.backend.tasks_min < 2);
        let limit = if availability { Limit::Availability } else { Limit::Other };
        out.push((limit, rest.join("; ")));
    }
    out
}

/// The limit closest to its ceiling, as a share of it, with the figures.
pub fn binding(p: &Plan, t: &Targets) -> (Limit, String) {
    let c = &p.capacity;
    let allowed_utilisation = (1.0 - t.headroom_pct / 100.0).max(0.05);
    let conns = c.db_connections_available().max(1) as f64;
    let mut shares = vec![
        (
            Limit::P95,
            c.p95_ms.map_or(f64::INFINITY, |v| v / t.p95_ms),
            format!(
                "p95 {} of {:.0} ms",
                c.p95_ms.map_or("saturated".into(), |v| format!("{v:.0}")),
                t.p95_ms
            ),
        ),
        (
            Limit::Cpu,
            c.utilisation_at_peak / allowed_utilisation,
            format!(
                "CPU {:.0}% at peak of {:.0}% allowed",
                c.utilisation_at_peak * 100.0,
                allowed_utilisation * 100.0
            ),
        ),
        (
            Limit::DbConnections,
            c.db_connections_primary.max(c.db_connections_per_replica) as f64 / conns,
            format!(
                "{} of {} DB connections",
                c.db_connections_primary.max(c.db_connections_per_replica),
                conns
            ),
        ),
        (
            Limit::DbCpu,
            c.db_primary_utilisation.max(c.db_replica_utilisation) / 0.8,
            format!(
                "DB at {:.0}% of its queries/s (80% allowed)",
                c.db_primary_utilisation.max(c.db_replica_utilisation) * 100.0
            ),
        ),
    ];
    if c.cache_usable_gb > 0.0 {
        shares.push((
            Limit::CacheMemory,
            c.cache_needed_gb / c.cache_usable_gb,
            format!("cache {:.1} of {:.1} GB", c.cache_needed_gb, c.cache_usable_gb),
        ));
    }
    if let Some(b) = t.budget_usd {
        shares.push((
            Limit::Budget,
            p.monthly_total_usd / b,
            format!("${:.0} of ${b:.0} budget", p.monthly_total_usd),
        ));
    }
    shares
        .into_iter()
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(l, _, text)| (l, text))
        .unwrap_or((Limit::Other, String::new()))
}

/// The configuration in a line: compute, database, cache, routing.
pub fn configuration_label(s: &Scenario) -> String {
    let b = &s.backend;
    let compute = match b.launch_type {
        LaunchType::Fargate => {
            let counts = if b.tasks_min == b.tasks_max {
                format!("{}", b.tasks_max)
            } else {
                format!("{}-{}", b.tasks_min, b.tasks_max)
            };
            format!("{counts} x {}", super::events::task_size_label(s))
        }
        LaunchType::Ec2 => format!("{} x EC2 {}", b.ec2_count, b.ec2_instance),
    };
    let d = &s.database;
    let replicas = if d.read_replicas > 0 {
        format!(" + {} replicas", d.read_replicas)
    } else {
        String::new()
    };
    let c = &s.cache;
    format!(
        "{compute}; {}{replicas}{}; {} x {}{}",
        d.class,
        if d.multi_az { " Multi-AZ" } else { "" },
        c.shards_in_use() * (1 + c.replicas_per_shard),
        c.node_type,
        if c.cluster_mode { " (cluster mode)" } else { "" },
    )
}
