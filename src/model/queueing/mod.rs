//! Latency of the API tier as queues: how long a request spends waiting for and using a
//! Node.js process's CPU, for each way the ALB can route.
//!
//! Conventions (the engine's, kept from its first M/M/1 model): requests arrive as a Poisson
//! stream of `rate` per second at the ALB; each of `workers` processes serves one request at a
//! time, first come first served, with an exponential CPU time of mean `1 / mu`; I/O wait is
//! a constant the caller adds. Quantiles are of the time in the process (wait + CPU).
//!
//! * Random routing: each worker is an M/M/1 queue at `rate / workers` (the planner's model
//!   before routing was an input; kept as the reference point).
//! * Round robin (the ALB default,
//! <https://docs.aws.amazon.com/elasticloadbalancing/latest/application/edit-target-group-attributes.html#modify-routing-algorithm>):
//!   each worker gets every `workers`-th request, so its inter-arrival times are Erlang
//!   (`workers` phases of `rate`): an E_c/M/1 queue. As for any GI/M/1 queue the time in system
//!   is exponential with rate `mu (1 - sigma)`, sigma the root in (0, 1) of
//!   `sigma = (rate / (rate + mu (1 - sigma)))^workers` (the Laplace transform of the
//!   inter-arrival time at `mu (1 - sigma)`).
//! * Least outstanding requests: the ALB sends each request to the worker with the fewest
//!   requests in progress (join the shortest queue). No closed form exists; M/M/c (one shared
//!   queue, Erlang C) is its lower bound and is too optimistic by ~13% at p95 for the Medium
//!   preset, because a request committed to a busy worker cannot move to one that frees up
//!   first. The planner solves a Markov chain of (busy workers, waiting requests) in which
//!   waiting requests are spread evenly over the busy workers; a request arriving when all are
//!   busy joins a shortest queue. Tests check it against a simulation of the ALB's rule.

use serde::Serialize;

mod quota;

/// The tasks behind the ALB as the latency model sees them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fleet {
    pub tasks: u32,
    /// Node.js processes per task: cluster mode's workers, handed requests round robin.
    pub processes_each: u32,
    /// CPU one process may use, in cores: below 1 the task's CFS quota share.
    pub cpu_share: f64,
    /// ALB nodes routing apart, each on its own count of outstanding requests.
    pub alb_nodes: u32,
}

/// The CFS bandwidth period under a task's CPU limit. Linux: "Within each given period, a task
/// group is allocated up to quota microseconds of CPU time ... Throttled threads will not be
/// able to run again until the next period", default period 100 ms
/// (<https://docs.kernel.org/scheduler/sched-bwc.html>). AWS: a task's `cpu` is a limit, "Any
/// attempt to use more CPU more than this limit results in throttling"
/// (<https://docs.aws.amazon.com/AmazonECS/latest/developerguide/capacity-tasksize.html>), one of
/// the Fargate task sizes
/// (<https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size>).
/// So a 0.25 vCPU task has 25 ms of CPU per 100 ms, at full core speed until spent.
pub const CFS_PERIOD_S: f64 = 0.1;

/// Time in the process at `rate` req/s over a fleet, the ALB routing by `discipline` and each
/// process running a request at `mu` req/s of a full core:
///
/// * Node.js cluster mode (several processes per task): the ALB picks the task, the cluster's
///   primary hands requests to its workers round robin. Random: each task gets a Poisson share,
///   so each worker is E_p/M/1 at the task's rate. Round robin: every (tasks x p)-th request,
///   E_(np)/M/1. Least outstanding requests: `cluster_least_outstanding`.
/// * ALB nodes that route apart (`nodes_apart`): each request reaches one node, each node
///   routes its own share by its own turn or its own counts.
/// * A fractional vCPU (`cpu_share` < 1, one process): the CFS quota lets a request run at full
///   core speed until the task's quota for the 100 ms period is spent (`quota::quota_fleet`).
pub fn fleet_sojourn(d: Discipline, rate: f64, mu: f64, fleet: Fleet) -> Option<Quantiles> {
    let (n, p) = (fleet.tasks, fleet.processes_each.max(1));
    let inputs_ok = rate.is_finite() && rate >= 0.0 && mu.is_finite() && mu > 0.0;
    if n == 0 || !(fleet.cpu_share > 0.0) || !inputs_ok {
        return None;
    }
    let nodes = fleet.alb_nodes.max(1);
    if p == 1 && fleet.cpu_share < 1.0 {
        return quota::quota_fleet(d, rate, mu, n, nodes, fleet.cpu_share);
    }
    if nodes > 1 && matches!(d, Discipline::RoundRobin | Discipline::LeastOutstanding) {
        return nodes_apart(d, rate, mu, n, p, nodes);
    }
    one_node(d, rate, mu, n, p)
}

/// One ALB node (or one shared view) routing `rate` over n tasks of p processes each.
fn one_node(d: Discipline, rate: f64, mu: f64, n: u32, p: u32) -> Option<Quantiles> {
    if p == 1 {
        return sojourn(d, rate, mu, n);
    }
    match d {
        Discipline::Random => sojourn(Discipline::RoundRobin, rate / n as f64, mu, p),
        Discipline::RoundRobin => sojourn(Discipline::RoundRobin, rate, mu, n.checked_mul(p)?),
        Discipline::LeastOutstanding => cluster_least_outstanding(rate, mu, n, p),
        Discipline::SharedQueue => sojourn(d, rate, mu, n.checked_mul(p)?),
    }
}

/// `nodes` ALB nodes, each reached by a random 1/m of the requests (m = nodes) and routing
/// them on its own: its own round-robin turn, or its own counts of outstanding requests (AWS
/// does not say the nodes share them; the user's assumption `Alb::nodes`). A node's share
/// meets, at each process, the other nodes' requests: (m - 1)/m of the process's rate.
///
/// * Round robin: one node's requests see processes slowed by the others' load: E/M/1 as one
///   node at rate/m over processes of speed mu - others (the others' share of the CPU taken
///   away). Exact with one node, random routing as m grows; checked against the simulation.
/// * Least outstanding requests, one process per task: an arriving request finds its node's own
///   requests ahead (the one-node chain at rate/m on processes slowed as above), plus the
///   other nodes' requests at that task, which its node cannot see: Poisson with the mean
///   Little's law gives them ((m - 1)/m of rate/n x the mean time, solved as a fixed point).
///   All are ahead of it (first come, first served), so its time is Erlang(ahead + 1, mu).
/// * Least outstanding requests with cluster mode: the two-level model at rate/m on processes
///   slowed as above.
fn nodes_apart(d: Discipline, rate: f64, mu: f64, n: u32, p: u32, nodes: u32) -> Option<Quantiles> {
    let m = nodes as f64;
    let per_process = rate / (n as f64 * p as f64);
    let slowed = mu - (m - 1.0) / m * per_process;
    if !(slowed > 0.0) || per_process >= mu {
        return None;
    }
    if d != Discipline::LeastOutstanding || p > 1 {
        return one_node(d, rate / m, slowed, n, p);
    }
    let own =
        lor_requests_ahead(rate / m, slowed, n).or_else(|| sigma_ahead(rate / m, slowed, n))?;
    let own_mean: f64 = own.iter().enumerate().map(|(k, p)| k as f64 * p).sum();
    // Others' requests at the task: L = (m - 1)/m x rate/n x E[T], E[T] = (own + L + 1) / mu,
    // so L = c (own + 1) / (1 - c) with c = (m - 1)/m x rate/n / mu (< 1 below saturation).
    let c = (m - 1.0) / m * per_process / mu;
    let others = c * (own_mean + 1.0) / (1.0 - c);
    let len = own.len() + 40 + (others * 6.0) as usize;
    let mut ahead = vec![0.0; len];
    let mut poisson = (-others).exp();
    for j in 0..len {
        for (i, a) in own.iter().enumerate().take(len - j) {
            ahead[i + j] += a * poisson;
        }
        poisson *= others / (j + 1) as f64;
    }
    erlang_mix(ahead, mu)
}

/// Requests ahead under round robin (E/M/1: geometric with ratio sigma from 1): the stand-in
/// when the least-outstanding chain is too large to solve.
fn sigma_ahead(rate: f64, mu: f64, workers: u32) -> Option<Vec<f64>> {
    let sigma = round_robin_sigma(rate, mu, workers)?;
    let len = ((1e-9f64).ln() / sigma.ln()).ceil().clamp(1.0, 1.0e5) as usize;
    Some((0..len).map(|k| (1.0 - sigma) * sigma.powi(k as i32)).collect())
}

/// Least outstanding requests to tasks of `p` cluster workers each: the ALB picks the task
/// with the fewest requests, the cluster's round robin then picks the worker, which is the one
/// the ALB's rule would have chosen about one time in p. The quantiles are taken 1/p of the way
/// from round robin over all n x p workers to least outstanding requests over them (fitted to
/// a simulation of both levels: p95 within 6%, p50 within 8%, tests/queueing.rs).
fn cluster_least_outstanding(rate: f64, mu: f64, n: u32, p: u32) -> Option<Quantiles> {
    let all = n.checked_mul(p)?;
    let best = sojourn(Discipline::LeastOutstanding, rate, mu, all)?;
    let turn = sojourn(Discipline::RoundRobin, rate, mu, all)?;
    let w = 1.0 / p as f64;
    Some(Quantiles {
        p50_s: turn.p50_s + w * (best.p50_s - turn.p50_s),
        p95_s: turn.p95_s + w * (best.p95_s - turn.p95_s),
    })
}

/// p50 and p95 of the time in the process (wait + CPU), in seconds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Quantiles {
    pub p50_s: f64,
    pub p95_s: f64,
}

/// How the ALB spreads requests over the workers (a scenario input for the ALB; random is the
/// reference model only).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Discipline {
    Random,
    RoundRobin,
    LeastOutstanding,
    /// One shared queue (M/M/c): what least outstanding requests approaches, never reaches.
    SharedQueue,
}

/// Quantiles of the time in the process, or None when the workers cannot keep up (load >= 1)
/// or the inputs are not positive and finite.
pub fn sojourn(discipline: Discipline, rate: f64, mu: f64, workers: u32) -> Option<Quantiles> {
    if !(rate.is_finite() && mu.is_finite() && mu > 0.0 && rate >= 0.0) || workers == 0 {
        return None;
    }
    let c = workers as f64;
    if rate >= c * mu {
        return None;
    }
    if rate == 0.0 {
        // No queueing: the CPU time alone, exponential with rate mu.
        return Some(exponential(mu));
    }
    match discipline {
        Discipline::Random => Some(exponential(mu - rate / c)),
        Discipline::RoundRobin => {
            round_robin_sigma(rate, mu, workers).map(|sigma| exponential(mu * (1.0 - sigma)))
        }
        Discipline::SharedQueue => shared_queue(rate, mu, workers),
        // Very close to saturation the chain needs too many levels to solve per slider move;
        // round robin (its upper bound, in closed form) stands in there.
        Discipline::LeastOutstanding => least_outstanding(rate, mu, workers)
            .or_else(|| round_robin_sigma(rate, mu, workers).map(|s| exponential(mu * (1.0 - s)))),
    }
}

/// Quantiles of an exponential time with rate `r`: -ln(1 - q) / r.
fn exponential(r: f64) -> Quantiles {
    Quantiles { p50_s: std::f64::consts::LN_2 / r, p95_s: 20f64.ln() / r }
}

/// The root sigma in (0, 1) of sigma = (rate / (rate + mu (1 - sigma)))^c, by bisection: the
/// right side minus sigma is positive at 0 and negative just below 1 when the load is below 1.
pub fn round_robin_sigma(rate: f64, mu: f64, workers: u32) -> Option<f64> {
    let c = workers as i32;
    if workers == 0 || rate <= 0.0 || rate >= workers as f64 * mu {
        return None;
    }
    let g = |s: f64| (rate / (rate + mu * (1.0 - s))).powi(c) - s;
    let (mut lo, mut hi) = (0.0f64, 1.0f64);
    // Find a point just below 1 where g < 0 (g(1) = 0 is the trivial root).
    let mut eps = 1e-3;
    while g(1.0 - eps) >= 0.0 {
        eps *= 0.1;
        if eps < 1e-15 {
            return None;
        }
    }
    hi -= eps;
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if g(mid) > 0.0 {
            lo = mid
        } else {
            hi = mid
        }
        if hi - lo < 1e-15 {
            break;
        }
    }
    Some(0.5 * (lo + hi))
}

/// Erlang C: probability that a request waits in an M/M/c queue with offered load `a = rate /
/// mu`, from the Erlang B recursion B(k) = a B(k-1) / (k + a B(k-1)) (stable for large c).
pub fn erlang_c(workers: u32, a: f64) -> f64 {
    let c = workers as f64;
    let rho = a / c;
    if rho >= 1.0 {
        return 1.0;
    }
    let mut b = 1.0;
    for k in 1..=workers {
        b = a * b / (k as f64 + a * b);
    }
    b / (1.0 - rho * (1.0 - b))
}

/// M/M/c: the wait is 0 with probability 1 - C, else exponential with rate theta = c mu - rate;
/// the time in system adds an exponential CPU time (rate mu), so
/// P(T > t) = e^(-mu t) + C mu / (theta - mu) (e^(-mu t) - e^(-theta t)), or
/// e^(-mu t) (1 + C mu t) when theta = mu.
fn shared_queue(rate: f64, mu: f64, workers: u32) -> Option<Quantiles> {
    let c_wait = erlang_c(workers, rate / mu);
    let theta = workers as f64 * mu - rate;
    let tail = move |t: f64| {
        if (theta - mu).abs() < 1e-9 * mu {
            (-mu * t).exp() * (1.0 + c_wait * mu * t)
        } else {
            (-mu * t).exp() + c_wait * mu / (theta - mu) * ((-mu * t).exp() - (-theta * t).exp())
        }
    };
    Some(Quantiles {
        p50_s: quantile(&tail, 0.5, 1.0 / mu)?,
        p95_s: quantile(&tail, 0.95, 1.0 / mu)?,
    })
}

/// The time t where `tail(t) = 1 - q`, by bracketing and bisection; `scale` is a typical time.
fn quantile(tail: &dyn Fn(f64) -> f64, q: f64, scale: f64) -> Option<f64> {
    let target = 1.0 - q;
    let mut hi = scale.max(1e-12);
    let mut steps = 0;
    while tail(hi) > target {
        hi *= 2.0;
        steps += 1;
        if steps > 200 || !hi.is_finite() {
            return None;
        }
    }
    let mut lo = 0.0;
    // A relative precision of 1e-9 (a nanosecond in a second) is plenty.
    for _ in 0..100 {
        if hi - lo <= 1e-9 * hi {
            break;
        }
        let mid = 0.5 * (lo + hi);
        if tail(mid) > target {
            lo = mid
        } else {
            hi = mid
        }
    }
    Some(0.5 * (lo + hi))
}

/// Least outstanding requests as a Markov chain of (b busy workers, w waiting requests).
/// Arrivals go to an idle worker while there is one (b + 1), else join a shortest queue
/// (w + 1). Waiting requests are assumed spread evenly over the busy workers, so
/// max(b - w, 0) workers hold a single request: a departure there frees the worker (b - 1);
/// elsewhere it starts a waiting request (w - 1).
///
/// Solved level by level (w) without iteration: the only way up from level w is an arrival
/// at b = c, so the time spent in level w + 1 and above per entry can be computed from the
/// top level down (each level is a tridiagonal system plus one rank-one term, solved by the
/// Thomas algorithm and Sherman-Morrison), then the levels' probabilities follow upwards.
fn least_outstanding(rate: f64, mu: f64, workers: u32) -> Option<Quantiles> {
    erlang_mix(lor_requests_ahead(rate, mu, workers)?, mu)
}

/// The time in the process of a request with K requests ahead (`ahead[k]` = P(K = k)), each
/// and its own an exponential CPU time at `mu`.
pub fn erlang_mix(ahead: Vec<f64>, mu: f64) -> Option<Quantiles> {
    // Requests ahead of an arriving one in its worker's queue: K, so its time in the process is
    // Erlang(K + 1, mu): P(T > t) = sum_i Poisson(i; mu t) P(K >= i).
    let mut at_least = vec![0.0; ahead.len()];
    let mut acc = 0.0;
    for i in (0..ahead.len()).rev() {
        acc += ahead[i];
        at_least[i] = acc.min(1.0);
    }
    let tail = move |t: f64| {
        let x = mu * t;
        if x <= 0.0 {
            return 1.0;
        }
        if x < 500.0 {
            // Poisson terms by recurrence: e^-x, x e^-x, x^2/2 e^-x, ...
            let mut term = (-x).exp();
            let mut sum = 0.0;
            for (i, p) in at_least.iter().enumerate() {
                if i > 0 {
                    term *= x / i as f64;
                }
                sum += term * p;
            }
            return sum;
        }
        // Long queues: in log space, where e^-x alone would underflow.
        let (ln_x, mut ln_fact, mut sum) = (x.ln(), 0.0f64, 0.0f64);
        for (i, p) in at_least.iter().enumerate() {
            if i > 0 {
                ln_fact += (i as f64).ln();
            }
            sum += (-x + i as f64 * ln_x - ln_fact).exp() * p;
        }
        sum
    };
    Some(Quantiles {
        p50_s: quantile(&tail, 0.5, 1.0 / mu)?,
        p95_s: quantile(&tail, 0.95, 1.0 / mu)?,
    })
}

/// Distribution of the number of requests ahead of an arriving request under least outstanding
/// requests (index = requests ahead), from the (busy, waiting) chain described above.
pub fn lor_requests_ahead(rate: f64, mu: f64, workers: u32) -> Option<Vec<f64>> {
    let c = workers as usize;
    let rho = rate / (workers as f64 * mu);
    if workers == 0 || !(rho > 0.0 && rho < 1.0) {
        return None;
    }
    let top = levels_needed(rho, c)?;
    let n = c + 1;
    // occupancy[k * n + b]: expected time in (b, k) per excursion that enters level k at b = c
    // and ends on the first return to level k - 1. Computed for k = top down to 1.
    let mut occupancy = vec![0.0; (top + 1) * n];
    let mut ret = vec![0.0; n]; // where an excursion to level k + 1 comes back, by phase
    let mut level = LevelSolver::new(n);
    for k in (1..=top).rev() {
        let row = &mut occupancy[k * n..(k + 1) * n];
        level.solve(rate, mu, k, &ret, k == top, row)?;
        for (b, r) in ret.iter_mut().enumerate() {
            *r = row[b] * mu * b.min(k) as f64;
        }
    }
    // Level 0 (nobody waits): cut equations between phases b and b + 1,
    // rate x(b) = mu (b + 1) x(b + 1) + rate x(c) G(b), G(b) = returns landing at or below b.
    let mut level0 = vec![0.0; n];
    level0[c] = 1.0;
    let mut landed = vec![0.0; n];
    let mut cum = 0.0;
    for (b, r) in ret.iter().enumerate() {
        cum += r;
        landed[b] = cum;
    }
    for b in (0..c).rev() {
        level0[b] = (mu * (b + 1) as f64 * level0[b + 1] + rate * landed[b]) / rate;
    }
    // Levels upward: x_k = rate x_{k-1}(c) a_k; requests ahead: 0 while a worker is idle,
    // 1 + floor(w / c) when all are busy (the shortest of evenly spread queues).
    let mut ahead = vec![0.0; 2 + top / c];
    ahead[0] = level0[..c].iter().sum();
    ahead[1] += level0[c];
    let mut previous_at_c = level0[c];
    for k in 1..=top {
        let row = &occupancy[k * n..(k + 1) * n];
        let entries = rate * previous_at_c;
        ahead[0] += entries * row[..c].iter().sum::<f64>();
        let at_c = entries * row[c];
        ahead[1 + k / c] += at_c;
        previous_at_c = at_c;
    }
    let total: f64 = ahead.iter().sum();
    if !(total.is_finite() && total > 0.0) {
        return None;
    }
    Some(ahead.into_iter().map(|p| p / total).collect())
}

/// Waiting-request levels to keep: enough that even a queue twice as long as M/M/c's is cut
/// below 1e-8 of probability. None when that takes more than `LEVEL_BUDGET` phase-levels
/// (above ~97% load with 200 workers, ~99.9% with 5).
fn levels_needed(rho: f64, c: usize) -> Option<usize> {
    const LEVEL_BUDGET: usize = 250_000;
    let mmc_levels = (1e-8f64).ln() / rho.ln();
    let levels = ((2.0 * mmc_levels).ceil() as usize).max(4 * c.max(1));
    (levels.saturating_mul(c + 1) <= LEVEL_BUDGET).then_some(levels)
}

/// Occupation times a(b) of one level k (k >= 1) for an excursion entering at phase c:
/// a (D - P) = e_c, where D is the total rate out of each phase (rate + mu b; no arrival out
/// of phase c on the top level, which blocks) and P holds the moves within the level:
/// b -> b + 1 at `rate`, b -> b - 1 at mu max(b - k, 0), and c -> (up and back) at `rate`,
/// returning at phase j with probability `ret[j]`. Transposed, (D - P)^T is tridiagonal
/// minus rate * ret e_c^T: Sherman-Morrison on two right-hand sides of one tridiagonal
/// system, solved together by the Thomas algorithm (the matrix is column diagonally dominant,
/// so no pivoting is needed). Buffers are kept between levels.
struct LevelSolver {
    c_prime: Vec<f64>,
    y: Vec<f64>,
    z: Vec<f64>,
}

impl LevelSolver {
    fn new(n: usize) -> LevelSolver {
        LevelSolver { c_prime: vec![0.0; n], y: vec![0.0; n], z: vec![0.0; n] }
    }

    fn solve(
        &mut self,
        rate: f64,
        mu: f64,
        k: usize,
        ret: &[f64],
        top: bool,
        out: &mut [f64],
    ) -> Option<()> {
        let n = out.len();
        let c = n - 1;
        // Row b of the transpose: lower -(b-1 -> b) = -rate, diagonal D(b), upper
        // -(b+1 -> b) = -mu max(b + 1 - k, 0).
        let diag = |b: usize| if b == c && top { mu * b as f64 } else { rate + mu * b as f64 };
        let lower = |b: usize| if b == 0 { 0.0 } else { -rate };
        let upper = |b: usize| if b + 1 < n { -mu * (b + 1).saturating_sub(k) as f64 } else { 0.0 };
        let unit = |b: usize| if b == c { 1.0 } else { 0.0 };
        let (c_prime, y, z) = (&mut self.c_prime, &mut self.y, &mut self.z);
        for b in 0..n {
            let (prev_c, prev_y, prev_z) =
                if b == 0 { (0.0, 0.0, 0.0) } else { (c_prime[b - 1], y[b - 1], z[b - 1]) };
            let denom = diag(b) - lower(b) * prev_c;
            if denom == 0.0 {
                return None;
            }
            c_prime[b] = upper(b) / denom;
            y[b] = (unit(b) - lower(b) * prev_y) / denom;
            z[b] = (ret[b] - lower(b) * prev_z) / denom;
        }
        for b in (0..n - 1).rev() {
            y[b] -= c_prime[b] * y[b + 1];
            z[b] -= c_prime[b] * z[b + 1];
        }
        if top {
            out.copy_from_slice(y);
            return Some(());
        }
        let denom = 1.0 - rate * z[c];
        if denom.is_nan() || denom <= 0.0 {
            return None;
        }
        let scale = rate * y[c] / denom;
        for b in 0..n {
            out[b] = (y[b] + scale * z[b]).max(0.0);
        }
        Some(())
    }
}
