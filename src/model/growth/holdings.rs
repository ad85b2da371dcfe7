//! How long each reservable resource runs unchanged along the path: the database class, the
//! cache node type and the EC2 instance type. A 1-year reservation pays back only if what it
//! reserves runs long enough: `outgrown_reservations` compares each run with the reservation's
//! break-even month at the catalog's reserved rates (`Catalog::reserved`) and names the ones
//! the path outgrows first.

use super::super::catalog::Catalog;
use super::super::price_key::PriceKey;
use super::super::scenario::Scenario;
use super::path::Roadmap;
use serde::Serialize;

/// What a reservation would be bought for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reservable {
    DbClass,
    CacheNode,
    Ec2Instance,
}

/// One run of a resource along the path.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Holding {
    pub kind: Reservable,
    /// The class, node or instance type.
    pub name: String,
    /// How many run (instances or nodes) in the first month of the run.
    pub count: u32,
    pub from_month: u32,
    /// Months it runs before the path changes it, or to the end of the horizon.
    pub months: u32,
    /// Still running at the end of the horizon (it may well run longer).
    pub to_horizon: bool,
}

/// Every run of each reservable resource, in the order they start.
pub fn holdings(r: &Roadmap) -> Vec<Holding> {
    let mut out: Vec<Holding> = Vec::new();
    for kind in [Reservable::DbClass, Reservable::CacheNode, Reservable::Ec2Instance] {
        let mut run: Option<Holding> = None;
        for m in &r.months {
            let s = &m.scenario;
            let now = match kind {
                Reservable::DbClass => Some((
                    s.database.class.clone(),
                    // Instances of the class: the primary (and its Multi-AZ standby) and replicas.
                    u32::from(s.database.multi_az) + 1 + s.database.read_replicas,
                )),
                Reservable::CacheNode => Some((
                    s.cache.node_type.clone(),
                    super::super::plan::cache_nodes(
                        s.cache.shards_in_use(),
                        s.cache.replicas_per_shard,
                    ),
                )),
                Reservable::Ec2Instance => (s.backend.launch_type
                    == super::super::scenario::LaunchType::Ec2)
                    .then(|| (s.backend.ec2_instance.clone(), s.backend.ec2_count)),
            };
            match (&mut run, now) {
                (Some(h), Some((name, _))) if h.name == name => h.months += 1,
                (current, now) => {
                    out.extend(current.take());
                    *current = now.map(|(name, count)| Holding {
                        kind,
                        name,
                        count,
                        from_month: m.month,
                        months: 1,
                        to_horizon: false,
                    });
                }
            }
        }
        out.extend(run.map(|h| Holding { to_horizon: true, ..h }));
    }
    out.sort_by_key(|h| h.from_month);
    out
}

/// A 1-year reservation the path would outgrow before it pays back: the run of `name` ends
/// (the path changes it) before the months of use after which the 12 committed months cost
/// less than on-demand (`commit::ReservedRow::months_to_break_even`, the same rule).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutgrownReservation {
    pub kind: Reservable,
    pub name: String,
    pub from_month: u32,
    /// The month the path runs something else instead.
    pub changed_at: u32,
    /// 12 x reserved rate / on-demand rate.
    pub break_even_months: f64,
    /// The first month by whose end the reservation would have paid back.
    pub pays_back_month: u32,
    pub on_demand_hourly_usd: f64,
    pub reserved_hourly_usd: f64,
    /// The reserved rate's code in AWS's price list (`Catalog::reserved`).
    pub rate_code: String,
    pub message: String,
}

/// The on-demand price key a run is reserved against, from the month it starts: the database
/// primary (the Multi-AZ pair's rate when Multi-AZ), a cache node of the engine. EC2 has no
/// reserved rate in the catalog, so an EC2 run is not judged.
fn reserved_key(h: &Holding, s: &Scenario) -> Option<PriceKey> {
    match h.kind {
        Reservable::DbClass if s.database.multi_az => {
            Some(PriceKey::RdsMultiAzHour(h.name.clone()))
        }
        Reservable::DbClass => Some(PriceKey::RdsHour(h.name.clone())),
        Reservable::CacheNode => Some(PriceKey::CacheHour(s.cache.engine, h.name.clone())),
        Reservable::Ec2Instance => None,
    }
}

/// Every run the path changes before a 1-year, No Upfront reservation of it would pay back
/// (<https://aws.amazon.com/rds/reserved-instances/>,
/// <https://aws.amazon.com/elasticache/reserved-cache-nodes/>: the term is billed whether
/// used or not). A run still going at the horizon is not judged (it may well run longer), nor
/// one whose reserved rate saves nothing.
pub fn outgrown_reservations(r: &Roadmap, catalog: &Catalog) -> Vec<OutgrownReservation> {
    let mut out = Vec::new();
    for h in holdings(r).into_iter().filter(|h| !h.to_horizon) {
        let Some(s) = r.months.get(h.from_month as usize).map(|m| &m.scenario) else {
            continue;
        };
        let Some(key) = reserved_key(&h, s) else { continue };
        let Some((rate, _)) = catalog.reserved(&s.region, &key) else { continue };
        let on_demand = catalog.price(&s.region, &key, &s.price_overrides).usd;
        if on_demand <= 0.0 || rate.usd >= on_demand {
            continue;
        }
        let break_even = 12.0 * rate.usd / on_demand;
        if f64::from(h.months) >= break_even {
            continue;
        }
        let changed_at = h.from_month + h.months;
        let pays_back_month = h.from_month + break_even.ceil() as u32;
        let message = format!(
            "No 1-year reservation for {}: the path changes it at month {changed_at}; it pays \
             back at month {pays_back_month} ({break_even:.1} months of use at ${} an hour \
             reserved against ${} on-demand, rate {}).",
            h.name, rate.usd, on_demand, rate.rate_code
        );
        out.push(OutgrownReservation {
            kind: h.kind,
            name: h.name,
            from_month: h.from_month,
            changed_at,
            break_even_months: break_even,
            pays_back_month,
            on_demand_hourly_usd: on_demand,
            reserved_hourly_usd: rate.usd,
            rate_code: rate.rate_code.clone(),
            message,
        });
    }
    out
}
