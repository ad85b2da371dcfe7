//! Latency by ALB routing: the closed forms and the least-outstanding-requests chain against a
//! discrete-event simulation of the same queues (seeded, so every run is the same), and the
//! Medium preset's figures worked by hand.

use bridge_planner::model::queueing::{
    erlang_c, lor_requests_ahead, round_robin_sigma, sojourn, Discipline, Quantiles,
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
