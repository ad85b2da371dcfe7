//! One Node.js process under a fractional vCPU: a FIFO queue whose server runs at full core
//! speed until the task's CFS quota for the period is spent, then waits for the next period.
//!
//! Linux: "Within each given period, a task group is allocated up to quota microseconds of CPU
//! time ... Throttled threads will not be able to run again until the next period", default
//! period 100 ms (<https://docs.kernel.org/scheduler/sched-bwc.html>). AWS: a task's `cpu` is a
//! limit, "Any attempt to use more CPU more than this limit results in throttling"
//! (<https://docs.aws.amazon.com/AmazonECS/latest/developerguide/capacity-tasksize.html>), one of
//! the Fargate task sizes
//! (<https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size>).
//!
//! The model is a Markov chain over one period cut into `SLOTS` slots, with state (quota used
//! in the period, arrival phase, requests in the task). It is run period after period until the
//! state at the start of a period stops changing, then once more, recording what each arrival
//! finds: its slot, the quota used and the requests ahead. An arrival's time is then exact for
//! that state: its work and the work ahead (exponential, so Erlang) run at full speed on what
//! is left of the quota, then on each later period's quota.

use super::{quantile, round_robin_sigma, sojourn, Discipline, Quantiles, CFS_PERIOD_S};
use std::cell::RefCell;

/// Slots per CFS period: 2.5 ms each, a tenth of a 0.25 vCPU task's 25 ms quota.
const SLOTS: usize = 40;
/// Erlang phases kept of the own node's stream (every n-th request: n phases) and of the
/// other nodes' stream: more cost more time per plan and change the figures by under 2%.
const OWN_PHASES: u32 = 4;
const REST_PHASES: u32 = 3;
/// Periods run at most before the chain counts as not settling (it settles in 30-60 below
/// ~80% load).
const MAX_PERIODS: usize = 400;
/// States the chain may have (quota slots x phases x requests kept): Medium's 0.5 vCPU over 2
/// ALB nodes at 80% load takes ~20,000; beyond, the slower processor stands in.
const STATE_BUDGET: usize = 24_000;

/// Quantiles of the time in the process of n tasks of one process each under a CFS quota of
/// `share` of a core, the ALB's `nodes` routing `rate` by `d`. A task's requests: every n-th of
/// its own node's (round robin), the other nodes' every n-th as one more stream; random
/// routing, a Poisson share. Least outstanding requests is not modelled under a quota: round
/// robin, its upper bound, stands in (tests/queueing.rs measures by how much). None at or past
/// the quota's capacity.
pub(super) fn quota_fleet(
    d: Discipline,
    rate: f64,
    mu: f64,
    n: u32,
    nodes: u32,
    share: f64,
) -> Option<Quantiles> {
    let per_task = rate / n as f64;
    if per_task >= mu * share {
        return None;
    }
    let m = nodes.max(1) as f64;
    let arr = match d {
        Discipline::Random | Discipline::SharedQueue => {
            Arrivals { phases: 1, phase_rate: per_task, rest_phases: 1, rest_rate: 0.0 }
        }
        Discipline::RoundRobin | Discipline::LeastOutstanding => {
            let own = n.min(OWN_PHASES) as usize;
            let rest = if nodes > 1 { n.min(REST_PHASES) as usize } else { 1 };
            Arrivals {
                phases: own,
                phase_rate: own as f64 * per_task / m,
                rest_phases: rest,
                rest_rate: rest as f64 * per_task * (m - 1.0) / m,
            }
        }
    };
    // Requests to keep: what the slower processor (`share` x the speed) would queue at 1e-7,
    // plus 8; doubled while the chain's top holds probability, within `STATE_BUDGET`.
    let sigma = round_robin_sigma(per_task * arr.phases as f64, mu * share, arr.phases as u32);
    let mut depth = sigma.map_or(16, |s| ((1e-7f64).ln() / s.ln()).ceil() as usize + 8);
    depth = depth.max(16);
    let states = (share * SLOTS as f64).round() as usize + 1;
    let states = states * arr.phases * arr.rest_phases;
    let chain = loop {
        if depth * states > STATE_BUDGET {
            // Too close to the quota's capacity to solve per plan: the slower processor (p95
            // within ~15% of the simulation there, p50 high).
            return sojourn(d, rate, mu * share, n);
        }
        if let Some(q) = cached(arr, mu, share, depth) {
            break q;
        }
        depth *= 2;
    };
    if d != Discipline::LeastOutstanding {
        return Some(chain);
    }
    // Least outstanding requests: round robin's chain times what the rule gains over round
    // robin on the slower processor (`share` x the speed), quantile by quantile.
    let slow = |d| {
        super::fleet_sojourn(
            d,
            rate,
            mu * share,
            super::Fleet { tasks: n, processes_each: 1, cpu_share: 1.0, alb_nodes: nodes },
        )
    };
    let (best, turn) = (slow(Discipline::LeastOutstanding)?, slow(Discipline::RoundRobin)?);
    Some(Quantiles {
        p50_s: chain.p50_s * best.p50_s / turn.p50_s,
        p95_s: chain.p95_s * best.p95_s / turn.p95_s,
    })
}

thread_local! {
    /// Recent chains: a slider that moves something else plans the same fleet again.
    static RECENT: RefCell<Vec<([u64; 7], Option<Quantiles>)>> = const { RefCell::new(Vec::new()) };
}

fn cached(arr: Arrivals, mu: f64, share: f64, depth: usize) -> Option<Quantiles> {
    let key = [
        arr.phases as u64,
        arr.phase_rate.to_bits(),
        arr.rest_phases as u64,
        arr.rest_rate.to_bits(),
        mu.to_bits(),
        share.to_bits(),
        depth as u64,
    ];
    if let Some(hit) = RECENT.with(|r| r.borrow().iter().find(|(k, _)| *k == key).map(|e| e.1)) {
        return hit;
    }
    let q = quota_queue(arr, mu, share, depth);
    RECENT.with(|r| {
        let mut r = r.borrow_mut();
        if r.len() >= 32 {
            r.remove(0);
        }
        r.push((key, q));
    });
    q
}

/// The requests reaching one task: every n-th request of its own ALB node (Erlang: `phases`
/// phases, each ending at `phase_rate`) and those of the other nodes, taken as one more Erlang
/// stream (`rest_phases`, `rest_rate`; one phase at rate 0 with one node).
#[derive(Debug, Clone, Copy)]
pub(super) struct Arrivals {
    pub(super) phases: usize,
    pub(super) phase_rate: f64,
    pub(super) rest_phases: usize,
    pub(super) rest_rate: f64,
}

/// Probabilities of the chain's state, (quota slots used, arrival phase, requests) flattened.
struct Chain {
    quota: usize,
    phases: usize,
    depth: usize,
    p: Vec<f64>,
}

impl Chain {
    fn at(&self, u: usize, a: usize, n: usize) -> usize {
        (u * self.phases + a) * self.depth + n
    }

    /// One slot: arrivals at its start (at most one phase step and one background arrival),
    /// recorded in `seen[(u, n)]`; then, if there is work and quota, the process runs the slot:
    /// completions are Poisson at `mu` (the CPU times are exponential), at most the requests
    /// present. A slot in which the task empties is charged half a slot on average.
    fn step(&mut self, arr: &Arrivals, mu: f64, seen: &mut [f64], next: &mut Vec<f64>) {
        let dt = CFS_PERIOD_S / SLOTS as f64;
        let (k, depth) = (arr.phases.max(1), self.depth);
        let k2 = arr.rest_phases.max(1);
        let step = 1.0 - (-arr.phase_rate * dt).exp();
        let other = 1.0 - (-arr.rest_rate * dt).exp();
        let x = mu * dt;
        let done = [(-x).exp(), x * (-x).exp()];
        // A request reaching an idle process comes on average half way through the slot.
        let half = [(-x / 2.0).exp(), x / 2.0 * (-x / 2.0).exp()];
        next.iter_mut().for_each(|v| *v = 0.0);
        for u in 0..=self.quota {
            for a in 0..k * k2 {
                let (a1, b1) = (a / k2, a % k2);
                for n in 0..depth {
                    let p = self.p[self.at(u, a, n)];
                    if p < 1e-16 {
                        continue;
                    }
                    // (next phase, new own arrival, probability) of the phase process.
                    let moves = [(a1, false, 1.0 - step), ((a1 + 1) % k, a1 + 1 == k, step)];
                    let rest = [(b1, false, 1.0 - other), ((b1 + 1) % k2, b1 + 1 == k2, other)];
                    for (a3, own, pa) in moves {
                        for (b3, bg, pb) in rest {
                            let a2 = a3 * k2 + b3;
                            let w = p * pa * pb;
                            let arrivals = own as usize + bg as usize;
                            if w == 0.0 {
                                continue;
                            }
                            // Each arrival sees the others ahead (own first, then background).
                            if own {
                                seen[u * depth + n] += w;
                            }
                            if bg {
                                seen[u * depth + (n + own as usize).min(depth - 1)] += w;
                            }
                            let n1 = (n + arrivals).min(depth - 1);
                            if n == 0 && n1 > 0 {
                                // It runs half the slot, charged as a whole slot half the time.
                                self.serve(u, a2, n1, 0.5 * w, &half, next);
                                self.serve_uncharged(u, a2, n1, 0.5 * w, &half, next);
                            } else {
                                self.serve(u, a2, n1, w, &done, next);
                            }
                        }
                    }
                }
            }
        }
        std::mem::swap(&mut self.p, next);
    }

    fn serve(&self, u: usize, a: usize, n: usize, w: f64, done: &[f64; 2], next: &mut [f64]) {
        if n == 0 || u >= self.quota {
            next[self.at(u, a, n)] += w;
            return;
        }
        let (none, one) = (done[0], done[1]);
        next[self.at(u + 1, a, n)] += w * none;
        if n > 1 {
            next[self.at(u + 1, a, n - 1)] += w * one;
        }
        let empties = if n > 1 { 1.0 - none - one } else { 1.0 - none };
        let left = if n > 1 { n.saturating_sub(2) } else { 0 };
        if left == 0 {
            next[self.at(u + 1, a, 0)] += 0.5 * w * empties;
            next[self.at(u, a, 0)] += 0.5 * w * empties;
        } else {
            next[self.at(u + 1, a, left)] += w * empties;
        }
    }

    /// As `serve`, the slot not charged to the quota (a request that came late in it).
    fn serve_uncharged(
        &self,
        u: usize,
        a: usize,
        n: usize,
        w: f64,
        d: &[f64; 2],
        next: &mut [f64],
    ) {
        if u >= self.quota {
            next[self.at(u, a, n)] += w;
            return;
        }
        let (none, one) = (d[0], d[1]);
        next[self.at(u, a, n)] += w * none;
        if n > 1 {
            next[self.at(u, a, n - 1)] += w * one;
        }
        let rest = if n > 1 { 1.0 - none - one } else { 1.0 - none };
        next[self.at(u, a, n.saturating_sub(2))] += w * rest;
    }

    /// A new period: the quota used goes back to 0. Returns how far the state at the start
    /// of the period moved from `before` (which it then replaces).
    fn new_period(&mut self, before: &mut [f64]) -> f64 {
        let mut change = 0.0;
        for a in 0..self.phases {
            for n in 0..self.depth {
                let mut sum = 0.0;
                for u in 0..=self.quota {
                    let i = self.at(u, a, n);
                    sum += self.p[i];
                    self.p[i] = 0.0;
                }
                let j = a * self.depth + n;
                change += (sum - before[j]).abs();
                before[j] = sum;
                let i = self.at(0, a, n);
                self.p[i] = sum;
            }
        }
        change
    }
}

/// Quantiles of the time in the process of a task with a CFS quota of `share` of a core, its
/// requests arriving as `arr`, each needing an exponential CPU time at `mu` (a full core).
/// None when the queue does not settle (the quota cannot keep up, or needs more than `depth`).
fn quota_queue(arr: Arrivals, mu: f64, share: f64, depth: usize) -> Option<Quantiles> {
    let quota = ((share * SLOTS as f64).round() as usize).clamp(1, SLOTS);
    if arr.phase_rate + arr.rest_rate <= 0.0 {
        // No traffic: a request finds nobody ahead and the whole quota, anywhere in a period.
        let mut idle = vec![0.0; (quota + 1) * depth];
        idle[0] = 1.0;
        return arrival_quantiles(&vec![idle; SLOTS], quota, depth, mu);
    }
    let phases = arr.phases.max(1) * arr.rest_phases.max(1);
    let size = (quota + 1) * phases * depth;
    let mut chain = Chain { quota, phases, depth, p: vec![0.0; size] };
    chain.p[0] = 1.0;
    let mut next = vec![0.0; size];
    let mut seen = vec![0.0; (quota + 1) * depth];
    if !settle(&mut chain, &arr, mu, &mut seen, &mut next) {
        return None;
    }
    let top: f64 = (0..phases).map(|a| chain.p[chain.at(0, a, depth - 1)]).sum();
    if top > 1e-6 {
        return None;
    }
    // One more period, recording what arrivals find in each slot.
    let mut by_slot = Vec::with_capacity(SLOTS);
    for _ in 0..SLOTS {
        seen.iter_mut().for_each(|v| *v = 0.0);
        chain.step(&arr, mu, &mut seen, &mut next);
        by_slot.push(seen.clone());
    }
    arrival_quantiles(&by_slot, quota, depth, mu)
}

/// Runs the chain period after period until the state at a period's start moves by less than
/// 1e-8. The distance shrinks geometrically (by r a period); every 8 periods the state is moved
/// ahead to where that geometric series ends (x + r / (1 - r) (x - previous x)), which cuts
/// the periods needed several times over. False when it does not settle.
fn settle(
    chain: &mut Chain,
    arr: &Arrivals,
    mu: f64,
    seen: &mut [f64],
    next: &mut Vec<f64>,
) -> bool {
    let size = chain.phases * chain.depth;
    let (mut before, mut older) = (vec![0.0; size], vec![0.0; size]);
    let mut last_change = f64::INFINITY;
    for period in 0..MAX_PERIODS {
        for _ in 0..SLOTS {
            chain.step(arr, mu, seen, next);
        }
        older.copy_from_slice(&before);
        let change = chain.new_period(&mut before);
        if change < 1e-8 {
            return true;
        }
        let r = change / last_change;
        last_change = change;
        if period % 8 == 7 && r > 0.5 && r < 0.995 {
            let ahead = r / (1.0 - r);
            for (x, old) in before.iter_mut().zip(&older) {
                *x = (*x + ahead * (*x - old)).max(0.0);
            }
            let total: f64 = before.iter().sum();
            for (j, x) in before.iter_mut().enumerate() {
                *x /= total;
                let i = chain.at(0, j / chain.depth, j % chain.depth);
                chain.p[i] = *x;
            }
            last_change = f64::INFINITY;
        }
    }
    false
}

/// P(T > t) over what arrivals find: with `ahead` requests before it, an arrival finishes when
/// the CPU done since it came reaches its Erlang(ahead + 1, mu) work, so
/// P(T > t) = sum P(Poisson(mu c(t)) <= ahead), c(t) the CPU the quota allows by t.
fn arrival_quantiles(
    by_slot: &[Vec<f64>],
    quota: usize,
    depth: usize,
    mu: f64,
) -> Option<Quantiles> {
    let dt = CFS_PERIOD_S / SLOTS as f64;
    // (left in this period's quota, time to the period's end, P(ahead >= i) for each i).
    let mut groups: Vec<(f64, f64, Vec<f64>)> = Vec::new();
    let mut total = 0.0;
    for (s, seen) in by_slot.iter().enumerate() {
        for u in 0..=quota {
            let row = &seen[u * depth..(u + 1) * depth];
            let mass: f64 = row.iter().sum();
            if mass < 1e-14 {
                continue;
            }
            total += mass;
            // An arrival comes half way through its slot on average: half a slot nearer the
            // period's end, and half a slot more of the quota used if the process was running.
            let end = (SLOTS - s) as f64 * dt - dt / 2.0;
            let left = (quota - u) as f64 * dt;
            let busy_left = if u < quota { left - dt / 2.0 } else { 0.0 };
            // Nobody ahead (the process idle) and someone ahead, each with its own quota left.
            let idle = [row[0]].into_iter().chain(std::iter::repeat(0.0)).take(depth);
            let busy = [0.0].into_iter().chain(row[1..].iter().copied());
            for (row, left) in [(idle.collect::<Vec<_>>(), left), (busy.collect(), busy_left)] {
                let mut at_least = vec![0.0; depth];
                let mut acc = 0.0;
                for i in (0..depth).rev() {
                    acc += row[i];
                    at_least[i] = acc;
                }
                if acc > 1e-14 {
                    groups.push((left.min(end), end, at_least));
                }
            }
        }
    }
    if !(total > 0.0) {
        return None;
    }
    let full = quota as f64 * dt;
    let tail = |t: f64| {
        let mut sum = 0.0;
        for (left, end, at_least) in &groups {
            let cpu = if t <= *left {
                t
            } else if t <= *end {
                *left
            } else {
                let after = t - end;
                let periods = (after / CFS_PERIOD_S).floor();
                left + periods * full + (after - periods * CFS_PERIOD_S).min(full)
            };
            let x = mu * cpu;
            let mut term = (-x).exp();
            for (i, p) in at_least.iter().enumerate() {
                if i > 0 {
                    term *= x / i as f64;
                }
                sum += term * p;
            }
        }
        sum / total
    };
    Some(Quantiles {
        p50_s: quantile(&tail, 0.5, 1.0 / mu)?,
        p95_s: quantile(&tail, 0.95, 1.0 / mu)?,
    })
}
