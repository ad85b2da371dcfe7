//! Latency by ALB routing: the closed forms and the least-outstanding-requests chain against a
//! discrete-event simulation of the same queues (seeded, so every run is the same), and the
//! Medium preset's figures worked by hand.

use bridge_planner::model::queueing::{
    erlang_c, fleet_sojourn, lor_requests_ahead, round_robin_sigma, sojourn, Discipline, Fleet,
    Quantiles, CFS_PERIOD_S,
};
use std::collections::VecDeque;

/// xorshift64*: a tiny seeded generator, enough for a queue simulation.
struct Rng(u64);

impl Rng {
    fn next_f64(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        let x = self.0.wrapping_mul(0x2545_F491_4F6C_DD1D);
        // In (0, 1]: never 0, so ln() is finite.
        ((x >> 11) as f64 + 1.0) / (1u64 << 53) as f64
    }
    fn exp(&mut self, rate: f64) -> f64 {
        -self.next_f64().ln() / rate
    }
    fn below(&mut self, n: usize) -> usize {
        ((self.next_f64() * n as f64) as usize).min(n - 1)
    }
}

/// Simulates `arrivals` Poisson arrivals at `rate` over `workers` FIFO workers with
/// exponential CPU times (mean 1/mu) and a constant I/O wait after the CPU; returns the p50
/// and p95 of the time in the process (CPU queue + CPU, without the I/O), after a 10% warm-up.
/// Least outstanding requests counts what the ALB sees as outstanding: queued, in service and
/// waiting on I/O (`io_counts`), ties broken at random.
fn simulate(
    d: Discipline,
    rate: f64,
    mu: f64,
    workers: usize,
    arrivals: usize,
    io_s: f64,
    seed: u64,
) -> Quantiles {
    let mut rng = Rng(seed);
    let mut t = 0.0;
    let mut last_finish = vec![0.0f64; workers];
    let mut outstanding: Vec<VecDeque<f64>> = vec![VecDeque::new(); workers];
    let mut times = Vec::with_capacity(arrivals);
    let mut next_rr = 0;
    for i in 0..arrivals {
        t += rng.exp(rate);
        let cpu = rng.exp(mu);
        let k = match d {
            Discipline::Random => rng.below(workers),
            Discipline::RoundRobin => {
                next_rr = (next_rr + 1) % workers;
                next_rr
            }
            Discipline::SharedQueue => {
                (0..workers).min_by(|&a, &b| last_finish[a].total_cmp(&last_finish[b])).unwrap()
            }
            Discipline::LeastOutstanding => {
                for q in outstanding.iter_mut() {
                    while q.front().is_some_and(|&done| done <= t) {
                        q.pop_front();
                    }
                }
                let least = outstanding.iter().map(|q| q.len()).min().unwrap();
                let ties: Vec<usize> =
                    (0..workers).filter(|&k| outstanding[k].len() == least).collect();
                ties[rng.below(ties.len())]
            }
        };
        let finish = last_finish[k].max(t) + cpu;
        last_finish[k] = finish;
        // Requests leave the ALB's count when their response is sent, after the I/O.
        outstanding[k].push_back(finish + io_s);
        if i >= arrivals / 10 {
            times.push(finish - t);
        }
    }
    times.sort_by(f64::total_cmp);
    let at = |q: f64| times[((times.len() as f64) * q) as usize];
    Quantiles { p50_s: at(0.5), p95_s: at(0.95) }
}

fn assert_within(model: Quantiles, sim: Quantiles, tolerance: f64, what: &str) {
    for (name, m, s) in [("p50", model.p50_s, sim.p50_s), ("p95", model.p95_s, sim.p95_s)] {
        let err = (m - s).abs() / s;
        assert!(
            err <= tolerance,
            "{what} {name}: model {:.2} ms, simulation {:.2} ms ({:.1}% apart)",
            m * 1e3,
            s * 1e3,
            err * 100.0
        );
    }
}

/// (total rate, mu, workers): the Medium preset (64% load), two workers at 40%, the Large
/// preset's 18 tasks of 1 vCPU at 600 req/s (67%), 8 workers at 80%, 20 at 85%, 3 at 75%.
const CASES: [(f64, f64, u32); 6] = [
    (80.0, 25.0, 5),
    (20.0, 25.0, 2),
    (600.0, 50.0, 18),
    (160.0, 25.0, 8),
    (425.0, 25.0, 20),
    (56.25, 25.0, 3),
];

#[test]
fn every_routing_matches_a_simulation_within_5_percent() {
    for (i, &(rate, mu, c)) in CASES.iter().enumerate() {
        for d in [
            Discipline::Random,
            Discipline::RoundRobin,
            Discipline::SharedQueue,
            Discipline::LeastOutstanding,
        ] {
            let model = sojourn(d, rate, mu, c).expect("below saturation");
            let sim = simulate(
                d,
                rate,
                mu,
                c as usize,
                400_000,
                0.0,
                0x9E37_79B9_7F4A_7C15 ^ (i as u64 + 1),
            );
            assert_within(
                model,
                sim,
                0.05,
                &format!("{d:?} at {rate} req/s over {c} x {mu} req/s"),
            );
        }
    }
}

#[test]
fn least_outstanding_errs_on_the_slow_side_at_high_load() {
    // Measured over c = 2..40 and loads 30-85%: within 1% at 50% load, within 5% at 70%, and
    // up to ~7% slower than the simulation at 85% (5 workers): the even spread of waiting
    // requests over busy workers is a little pessimistic when queues are long.
    let model = sojourn(Discipline::LeastOutstanding, 106.25, 25.0, 5).unwrap();
    let sim = simulate(Discipline::LeastOutstanding, 106.25, 25.0, 5, 1_000_000, 0.0, 11);
    for (m, s) in [(model.p50_s, sim.p50_s), (model.p95_s, sim.p95_s)] {
        assert!(m >= s && m <= s * 1.08, "model {m} vs simulation {s}");
    }
}

#[test]
fn requests_waiting_on_io_blur_least_outstanding_towards_round_robin() {
    // The ALB counts a request as outstanding until its response leaves, so requests waiting on
    // I/O (15 ms in the presets) make a just-freed task look busy. Simulated for Medium: p95
    // 162 ms instead of 150 ms without I/O counted (+8%), still well below round robin's 220 ms.
    // The planner's chain ignores this blur (README says so); this test keeps its size known.
    let chain = sojourn(Discipline::LeastOutstanding, 80.0, 25.0, 5).unwrap();
    let round_robin = sojourn(Discipline::RoundRobin, 80.0, 25.0, 5).unwrap();
    let blurred = simulate(Discipline::LeastOutstanding, 80.0, 25.0, 5, 400_000, 0.015, 7);
    assert!(
        blurred.p95_s > chain.p95_s && blurred.p95_s < chain.p95_s * 1.10,
        "{blurred:?} vs {chain:?}"
    );
    assert!(blurred.p95_s < round_robin.p95_s);
}

#[test]
fn medium_preset_by_hand() {
    // Medium: 80 req/s at peak over 5 tasks of 25 req/s (0.5 vCPU, 20 ms of CPU).
    let ms = |q: Quantiles| (q.p50_s * 1e3, q.p95_s * 1e3);
    // Random (M/M/1 per task): 16 req/s each, rate 25 - 16 = 9/s: p95 = ln 20 / 9 = 332.9 ms
    // (348 ms with the 15 ms of I/O), p50 = ln 2 / 9 = 77.0 ms.
    let (p50, p95) = ms(sojourn(Discipline::Random, 80.0, 25.0, 5).unwrap());
    assert!((p95 - 332.86).abs() < 0.01 && (p50 - 77.02).abs() < 0.01, "{p50} {p95}");
    // Round robin: sigma = (80 / (80 + 25 (1 - sigma)))^5. At sigma = 0.4563:
    // 25 x 0.5437 = 13.593; 80 / 93.593 = 0.85477; ln x 5 = -0.78464; e^ = 0.4563. Time in
    // system exponential at 13.593/s: p95 = 2.9957 / 13.593 = 220.4 ms (235 ms with I/O).
    let sigma = round_robin_sigma(80.0, 25.0, 5).unwrap();
    assert!((sigma - 0.4563).abs() < 0.0001, "{sigma}");
    let (_, p95) = ms(sojourn(Discipline::RoundRobin, 80.0, 25.0, 5).unwrap());
    assert!((p95 - 220.4).abs() < 0.1, "{p95}");
    // M/M/5 at a = 3.2: Erlang B 1, 0.7619, 0.5494, 0.3695, 0.2282, 0.1274; C = 0.1274 /
    // (1 - 0.64 x 0.8726) = 0.2886. theta = 125 - 80 = 45/s; P(T > t) = e^(-25t) + 0.2886 x
    // 25/20 (e^(-25t) - e^(-45t)) = 0.05 at t = 131.3 ms (146 ms with I/O).
    assert!((erlang_c(5, 3.2) - 0.2886).abs() < 0.0001);
    let (_, p95) = ms(sojourn(Discipline::SharedQueue, 80.0, 25.0, 5).unwrap());
    assert!((p95 - 131.3).abs() < 0.5, "{p95}");
    // Least outstanding requests sits between: 152.4 ms + 15 ms of I/O = 167 ms (simulated
    // 150.2 ms: the chain is 1.5% slow here).
    let (_, p95) = ms(sojourn(Discipline::LeastOutstanding, 80.0, 25.0, 5).unwrap());
    assert!((p95 - 152.4).abs() < 0.1, "{p95}");
}

#[test]
fn one_worker_is_mm1_whatever_the_routing() {
    // With one worker every rule sends it everything: M/M/1 at 20 of 25 req/s, rate 5/s:
    // p50 = ln 2 / 5 = 138.6 ms, p95 = ln 20 / 5 = 599.1 ms.
    for d in [
        Discipline::Random,
        Discipline::RoundRobin,
        Discipline::SharedQueue,
        Discipline::LeastOutstanding,
    ] {
        let q = sojourn(d, 20.0, 25.0, 1).unwrap();
        assert!(
            (q.p50_s - 0.138629).abs() < 1e-5 && (q.p95_s - 0.599146).abs() < 1e-5,
            "{d:?}: {q:?}"
        );
    }
}

#[test]
fn saturation_and_bad_input_give_none_never_nan() {
    for d in [
        Discipline::Random,
        Discipline::RoundRobin,
        Discipline::SharedQueue,
        Discipline::LeastOutstanding,
    ] {
        assert_eq!(sojourn(d, 125.0, 25.0, 5), None, "load 1");
        assert_eq!(sojourn(d, 10.0, 0.0, 5), None);
        assert_eq!(sojourn(d, 10.0, 25.0, 0), None);
        assert_eq!(sojourn(d, f64::NAN, 25.0, 5), None);
        // No traffic: the CPU time alone, ln 2 / 25 = 27.7 ms at the median.
        assert!((sojourn(d, 0.0, 25.0, 5).unwrap().p50_s - 0.027726).abs() < 1e-6);
        // Close to saturation: finite, ordered.
        let q = sojourn(d, 124.0, 25.0, 5).unwrap();
        assert!(q.p50_s.is_finite() && q.p95_s > q.p50_s, "{d:?}: {q:?}");
    }
    // Many workers stay cheap and sane.
    let q = sojourn(Discipline::LeastOutstanding, 3500.0, 25.0, 200).unwrap();
    assert!(q.p95_s.is_finite() && q.p95_s >= 20f64.ln() / 25.0 - 1e-9);
}

#[test]
fn requests_ahead_is_a_distribution() {
    let ahead = lor_requests_ahead(80.0, 25.0, 5).unwrap();
    assert!((ahead.iter().sum::<f64>() - 1.0).abs() < 1e-9);
    assert!(ahead.iter().all(|p| *p >= 0.0));
    // An idle task is found most of the time at 64% load (simulated: ~76%).
    assert!(ahead[0] > 0.7 && ahead[0] < 0.8, "{}", ahead[0]);
}

#[test]
fn the_orderings_hold() {
    // Shared queue <= least outstanding <= round robin <= random, at every load.
    for load in [0.2, 0.5, 0.7, 0.9, 0.97] {
        for c in [2u32, 5, 12, 40] {
            let rate = load * c as f64 * 25.0;
            let p = |d| sojourn(d, rate, 25.0, c).unwrap().p95_s;
            let (sq, lor, rr, rnd) = (
                p(Discipline::SharedQueue),
                p(Discipline::LeastOutstanding),
                p(Discipline::RoundRobin),
                p(Discipline::Random),
            );
            assert!(
                sq <= lor * (1.0 + 1e-9) && lor <= rr * (1.0 + 1e-9) && rr <= rnd * (1.0 + 1e-9),
                "load {load} c {c}: {sq} {lor} {rr} {rnd}"
            );
        }
    }
}

#[test]
fn near_saturation_least_outstanding_falls_back_to_its_round_robin_bound() {
    // 200 workers at 99% load: 2 x ln(1e-8) / ln(0.99) = 3,666 levels x 201 phases is more than
    // the 250,000 the chain may take per plan; round robin, its upper bound, stands in.
    let (rate, mu, c) = (0.99 * 200.0 * 25.0, 25.0, 200);
    assert_eq!(lor_requests_ahead(rate, mu, c), None);
    assert_eq!(
        sojourn(Discipline::LeastOutstanding, rate, mu, c),
        sojourn(Discipline::RoundRobin, rate, mu, c)
    );
    // At 90% the chain is solved: 2 x ln(1e-8) / ln(0.9) = 350 levels x 201 phases.
    assert!(lor_requests_ahead(0.9 * 5000.0, mu, c).is_some());
}

// ---- Two levels, ALB nodes and the CFS quota (issue #25) --------------------------------------

/// The finish time of `work` seconds of CPU started at `start` on a process whose task may use
/// `share` of a core per CFS period: it runs at full speed until the period's quota is spent,
/// then waits for the next period. `used` is (period index, CPU used in it).
fn run_with_quota(start: f64, work: f64, share: f64, used: &mut (i64, f64)) -> f64 {
    if share >= 1.0 {
        return start + work;
    }
    let quota = share * CFS_PERIOD_S;
    let (mut t, mut left) = (start, work);
    let mut k = ((t + 1e-12) / CFS_PERIOD_S).floor() as i64;
    if used.0 != k {
        *used = (k, 0.0);
    }
    loop {
        let end = (k + 1) as f64 * CFS_PERIOD_S;
        let room = (quota - used.1).min(end - t);
        if room <= 1e-12 {
            k += 1;
            t = t.max(end);
            *used = (k, 0.0);
            continue;
        }
        let run = left.min(room);
        t += run;
        used.1 += run;
        left -= run;
        if left <= 1e-15 {
            return t;
        }
    }
}

/// The ALB and the tasks as they run: `fleet.alb_nodes` nodes, each request reaching one at
/// random, each node routing by `d` over the tasks with its own round-robin turn or its own
/// counts of outstanding requests (ties at random); inside a task the cluster's primary hands
/// requests to its workers round robin; each worker FIFO, CPU exponential at `mu` of a full
/// core, under the task's CFS quota. Returns the time in the process after a 10% warm-up.
fn simulate_fleet(d: Discipline, rate: f64, mu: f64, fleet: Fleet, arrivals: usize) -> Quantiles {
    let (tasks, p, nodes) =
        (fleet.tasks as usize, fleet.processes_each as usize, fleet.alb_nodes as usize);
    let mut rng = Rng(0x5EED ^ (tasks * 131 + p * 17 + nodes) as u64);
    let mut last_finish = vec![0.0f64; tasks * p];
    let mut quota_used = vec![(-1i64, 0.0f64); tasks * p];
    // Per node and task: finish times of the requests that node sent there, sorted.
    let mut outstanding: Vec<Vec<Vec<f64>>> = vec![vec![Vec::new(); tasks]; nodes];
    let mut turn: Vec<usize> = (0..nodes).map(|_| rng.below(tasks)).collect();
    let mut inner = vec![0usize; tasks];
    let (mut t, mut times) = (0.0, Vec::with_capacity(arrivals));
    for i in 0..arrivals {
        t += rng.exp(rate);
        let cpu = rng.exp(mu);
        let node = rng.below(nodes);
        let task = match d {
            Discipline::Random => rng.below(tasks),
            Discipline::RoundRobin => {
                turn[node] = (turn[node] + 1) % tasks;
                turn[node]
            }
            _ => {
                for q in outstanding[node].iter_mut() {
                    q.retain(|&done| done > t);
                }
                let least = outstanding[node].iter().map(Vec::len).min().unwrap();
                let ties: Vec<usize> =
                    (0..tasks).filter(|&k| outstanding[node][k].len() == least).collect();
                ties[rng.below(ties.len())]
            }
        };
        inner[task] = (inner[task] + 1) % p;
        let k = task * p + inner[task];
        let finish =
            run_with_quota(last_finish[k].max(t), cpu, fleet.cpu_share, &mut quota_used[k]);
        last_finish[k] = finish;
        outstanding[node][task].push(finish);
        if i >= arrivals / 10 {
            times.push(finish - t);
        }
    }
    times.sort_by(f64::total_cmp);
    let at = |q: f64| times[((times.len() as f64) * q) as usize];
    Quantiles { p50_s: at(0.5), p95_s: at(0.95) }
}

fn fleet(tasks: u32, processes_each: u32, cpu_share: f64, alb_nodes: u32) -> Fleet {
    Fleet { tasks, processes_each, cpu_share, alb_nodes }
}

#[test]
fn node_cluster_mode_behind_each_routing_matches_a_simulation_of_both_levels() {
    // (rate, tasks, workers per task) at mu 25: the 3 x 2 at 80%, 2 x 2 and 2 x 4 at
    // 80%, 5 x 4 at 75%, 5 x 2 at 40%. Random and round robin are exact (Poisson or Erlang
    // arrivals per worker): within 5%. Least outstanding requests (1/p of the way from round
    // robin to the one-level chain): p95 within 6% (measured +1.5%, -3.2%, -2.2%, +5.3%,
    // +3.0%: 5 x 4 at 75% is past 5%), p50 within 8% (-4.8%, -6.2%, -6.9%, +1.2%, +2.9%).
    for &(rate, n, p) in &[(120.0, 3, 2), (80.0, 2, 2), (160.0, 2, 4), (300.0, 5, 4), (100.0, 5, 2)]
    {
        for d in [Discipline::Random, Discipline::RoundRobin, Discipline::LeastOutstanding] {
            let f = fleet(n, p, 1.0, 1);
            let model = fleet_sojourn(d, rate, 25.0, f).unwrap();
            let sim = simulate_fleet(d, rate, 25.0, f, 300_000);
            let what = format!("{d:?} {n} x {p} at {rate}");
            let lor = d == Discipline::LeastOutstanding;
            let (p50_tolerance, p95_tolerance) = if lor { (0.08, 0.06) } else { (0.05, 0.05) };
            assert_within(Quantiles { p50_s: sim.p50_s, ..model }, sim, p95_tolerance, &what);
            assert_within(Quantiles { p95_s: sim.p95_s, ..model }, sim, p50_tolerance, &what);
        }
    }
    // The engine on main treated the 3 x 2 workers as one least-outstanding system of 6: p95
    // 194 ms against the simulated ~277 ms. Now within 2%.
    let six = sojourn(Discipline::LeastOutstanding, 120.0, 25.0, 6).unwrap();
    let two_level = fleet_sojourn(Discipline::LeastOutstanding, 120.0, 25.0, fleet(3, 2, 1.0, 1));
    assert!(two_level.unwrap().p95_s > six.p95_s * 1.3);
}

/// (p50, p95) of the model over the simulation, minus 1.
fn errors(model: Quantiles, sim: Quantiles) -> (f64, f64) {
    (model.p50_s / sim.p50_s - 1.0, model.p95_s / sim.p95_s - 1.0)
}

/// Checks the model against `simulate_fleet` for every routing and 1-3 ALB nodes, the error
/// bounds given per routing as ((p50 low, p50 high), (p95 low, p95 high)).
fn check_nodes_and_routing(
    cases: &[(f64, f64, u32, f64)],
    bounds: impl Fn(Discipline) -> ((f64, f64), (f64, f64)),
) {
    for &(rate, mu, n, share) in cases {
        for nodes in 1..=3 {
            for d in [Discipline::RoundRobin, Discipline::LeastOutstanding, Discipline::Random] {
                let f = fleet(n, 1, share, nodes);
                let model = fleet_sojourn(d, rate, mu, f).unwrap();
                let sim = simulate_fleet(d, rate, mu, f, 300_000);
                let (e50, e95) = errors(model, sim);
                let ((lo50, hi50), (lo95, hi95)) = bounds(d);
                assert!(
                    (lo50..=hi50).contains(&e50) && (lo95..=hi95).contains(&e95),
                    "{d:?} {n} x {share} vCPU, {nodes} nodes at {rate}: model {model:?}, \
                     simulation {sim:?} ({:+.1}%, {:+.1}%)",
                    e50 * 100.0,
                    e95 * 100.0
                );
            }
        }
    }
}

#[test]
fn alb_nodes_routing_apart_match_the_simulation_for_each_routing() {
    // Medium (80 req/s over 5 x 25 req/s), Large (600 over 18 x 50), 3 tasks at 75%, 8 at 80%,
    // with 1, 2 and 3 nodes each routing its own requests (random node per request).
    // Measured (p50 / p95 errors): round robin, one node slowed by the others' load, within
    // +-1.4% / -2.1..+7.9%; random exact (within 4%, the simulation's noise at 80%); least
    // outstanding requests (own chain plus the other nodes' requests, Poisson): +0.1..+19.7% /
    // -0.4..+13.7%, highest at 3 nodes: past the 10% aim of issue #25.
    let cases = [
        (80.0, 25.0, 5, 1.0),
        (600.0, 50.0, 18, 1.0),
        (56.25, 25.0, 3, 1.0),
        (160.0, 25.0, 8, 1.0),
    ];
    check_nodes_and_routing(&cases, |d| match d {
        Discipline::LeastOutstanding => ((-0.03, 0.22), (-0.03, 0.15)),
        Discipline::RoundRobin => ((-0.03, 0.03), (-0.04, 0.09)),
        _ => ((-0.05, 0.05), (-0.05, 0.05)),
    });
    // Nodes routing apart cost latency: Medium's least-outstanding p95 with 3 nodes is 200.7
    // ms against 152.4 with one (simulated 184.2 and 148.9).
    let one = fleet_sojourn(Discipline::LeastOutstanding, 80.0, 25.0, fleet(5, 1, 1.0, 1)).unwrap();
    let three = fleet_sojourn(Discipline::LeastOutstanding, 80.0, 25.0, fleet(5, 1, 1.0, 3));
    assert!(three.unwrap().p95_s > one.p95_s * 1.25);
}

#[test]
fn a_fractional_vcpu_is_a_cfs_quota_not_a_slower_processor() {
    // Small (15 req/s over 2 tasks of 0.25 vCPU, 20 ms of CPU: 50 req/s on a full core),
    // Medium (80 over 5 of 0.5 vCPU), 3 tasks of 0.25 vCPU at 20 req/s; 1-3 ALB nodes.
    // Measured (p50 / p95): round robin -12.2..+0.5% / -11.8..+1.0% (Medium with one node is
    // the -11.8% p95; Small with 3 nodes the -12.2% p50); random -5.2..-1.9% / -5.6..-0.8%;
    // least outstanding requests (round robin's chain x the rule's gain on the slower
    // processor) -11.1..+25.5% / -3.3..+11.7%: the p50 misses the 10% aim for Small.
    let cases = [(15.0, 50.0, 2, 0.25), (80.0, 50.0, 5, 0.5), (20.0, 50.0, 3, 0.25)];
    check_nodes_and_routing(&cases, |d| match d {
        Discipline::LeastOutstanding => ((-0.13, 0.27), (-0.05, 0.13)),
        Discipline::RoundRobin => ((-0.13, 0.02), (-0.13, 0.02)),
        _ => ((-0.07, 0.01), (-0.07, 0.01)),
    });
    // The slower-processor model on main put Small's p50 at 87 ms (102 with the I/O) against
    // ~40 simulated; the quota chain says 42.8 ms with the preset's 2 nodes (simulated 43.4).
    let small = fleet_sojourn(Discipline::RoundRobin, 15.0, 50.0, fleet(2, 1, 0.25, 2)).unwrap();
    let slow = sojourn(Discipline::RoundRobin, 15.0, 12.5, 2).unwrap();
    assert!(small.p50_s < slow.p50_s * 0.5, "{small:?} vs {slow:?}");
    // No traffic: the CPU time alone at full speed, the quota never binding at the median
    // (ln 2 / 50 = 13.9 ms).
    let idle = fleet_sojourn(Discipline::RoundRobin, 0.0, 50.0, fleet(2, 1, 0.25, 2)).unwrap();
    assert!((idle.p50_s - 0.01386).abs() < 0.0015, "{idle:?}");
    // Past the quota's capacity (2 x 12.5 req/s): none.
    assert_eq!(fleet_sojourn(Discipline::RoundRobin, 25.0, 50.0, fleet(2, 1, 0.25, 1)), None);
}
