//! The fewest workers meeting the compute targets (p95, headroom, a burstable fleet's
//! baseline), for the right-size search (`optimize`) and the growth path's in-place growth
//! (`growth::stable`). Every plan's capacity at peak comes from its simulated auto scaling
//! (`plan::policy_fleet`), which costs more than the rest of a plan: counts are screened
//! first without simulating, and only from the fewest that could pass are they simulated.

use super::catalog::Catalog;
use super::optimize::Targets;
use super::plan::{plan_billed, policy_fleet, Plan, PolicyFleet};
use super::scenario::{LaunchType, Scenario};

/// Whether `s` meets the compute targets (p95, headroom, burstable baseline) with `fleet`.
fn compute_ok(s: &Scenario, catalog: &Catalog, t: &Targets, fleet: &PolicyFleet) -> bool {
    compute_ok_plan(&plan_billed(s, catalog, fleet), s, catalog, t)
}

fn compute_ok_plan(p: &Plan, s: &Scenario, catalog: &Catalog, t: &Targets) -> bool {
    p.capacity.p95_ms.is_some_and(|v| v <= t.p95_ms)
        && p.capacity.headroom_pct >= t.headroom_pct
        && burstable_ok(p, s, catalog)
}

/// The fleet a count is first judged with, without simulating: every task serving at peak,
/// billed at the minimum. The simulated policy never runs more than its maximum at its busiest
/// minute (`PolicyFleet::at_peak` <= `tasks_max`), and more tasks only lower the p95 and raise
/// the headroom, so a count this fleet cannot carry fails with the simulation too: only counts
/// that pass it are simulated (the one story holds: what is chosen is judged as `plan` says).
fn optimistic_fleet(s: &Scenario) -> PolicyFleet {
    PolicyFleet {
        billed_tasks: s.backend.tasks_min as f64,
        at_peak: Some(s.backend.tasks_max),
        overload: None,
    }
}

/// The smallest count that passes between one known to fail and one known to pass, by
/// bisection (`ok` only improves with the count).
fn bisect(mut failed: u32, mut passed: u32, mut ok: impl FnMut(u32) -> bool) -> u32 {
    while passed - failed > 1 {
        let mid = (failed + passed) / 2;
        if ok(mid) {
            passed = mid
        } else {
            failed = mid
        }
    }
    passed
}

/// The smallest `n` in `lo..=hi` with `ok(n)`, knowing `ok(hi)` (`ok` only improves with
/// `n`), starting at a `guess` from below: the guess and the count under it when it is right,
/// else steps doubling up from it, then bisection.
fn smallest_near(lo: u32, hi: u32, guess: u32, mut ok: impl FnMut(u32) -> bool) -> u32 {
    let g = guess.clamp(lo, hi);
    if g == hi {
        return if hi > lo && ok(hi - 1) { bisect_from(lo, hi - 1, ok) } else { hi };
    }
    if ok(g) {
        return if g > lo && ok(g - 1) { bisect_from(lo, g - 1, ok) } else { g };
    }
    let (mut failed, mut step) = (g, 1);
    while failed + step < hi {
        if ok(failed + step) {
            return bisect(failed, failed + step, ok);
        }
        (failed, step) = (failed + step, step * 2);
    }
    bisect(failed, hi, ok)
}

/// The smallest `n` in `lo..=passed` with `ok(n)`, knowing `ok(passed)`.
fn bisect_from(lo: u32, passed: u32, mut ok: impl FnMut(u32) -> bool) -> u32 {
    if lo == passed || ok(lo) {
        lo
    } else {
        bisect(lo, passed, ok)
    }
}

/// Fewest workers `with(n)`, `n` in `lo..=hi`, that could meet the compute targets: judged
/// with the optimistic fleet, no simulation. The count the simulation confirms
/// (`simulated_count`) is never below it. The first guess is the count the headroom target
/// asks for (capacity grows in proportion to the workers serving); the p95 may ask for more.
pub(crate) fn optimistic_count(
    with: &impl Fn(u32) -> Scenario,
    catalog: &Catalog,
    t: &Targets,
    (lo, hi): (u32, u32),
    evaluated: &mut u32,
) -> Option<u32> {
    let lo = lo.max(1).min(hi);
    let s = with(hi);
    *evaluated += 1;
    let p = plan_billed(&s, catalog, &optimistic_fleet(&s));
    if !compute_ok_plan(&p, &s, catalog, t) {
        return None;
    }
    let per_worker = p.capacity.capacity_rps / hi.max(1) as f64;
    let allowed = per_worker * (1.0 - t.headroom_pct / 100.0);
    let guess = if allowed > 0.0 { (p.capacity.peak_rps / allowed).ceil() } else { hi as f64 };
    let guess = if guess.is_finite() { guess.clamp(1.0, hi as f64) as u32 } else { hi };
    Some(smallest_near(lo, hi, guess, |n| {
        *evaluated += 1;
        let s = with(n);
        compute_ok(&s, catalog, t, &optimistic_fleet(&s))
    }))
}

/// Smallest count from `from` (the optimistic count) meeting the compute targets with the
/// fleet its policy runs (`plan::policy_fleet`), returned with that fleet: `from` first (the
/// policy usually reaches its maximum at the busiest minute), then `max` (`None` when even it
/// falls short), then doubling steps up from `from`, then bisection.
pub(crate) fn simulated_count(
    with: &impl Fn(u32) -> Scenario,
    catalog: &Catalog,
    t: &Targets,
    (from, max): (u32, u32),
    evaluated: &mut u32,
) -> Option<(u32, PolicyFleet)> {
    let mut judge = |n: u32| {
        *evaluated += 1;
        let s = with(n);
        let fleet = policy_fleet(&s);
        compute_ok(&s, catalog, t, &fleet).then_some(fleet)
    };
    if let Some(fleet) = judge(from) {
        return Some((from, fleet));
    }
    let (mut n, mut fleet) = (max, judge(max)?);
    let (mut failed, mut step) = (from, 1);
    while failed + step < n {
        match judge(failed + step) {
            Some(f) => {
                (n, fleet) = (failed + step, f);
                break;
            }
            None => (failed, step) = (failed + step, step * 2),
        }
    }
    while n - failed > 1 {
        let mid = (failed + n) / 2;
        match judge(mid) {
            Some(f) => (n, fleet) = (mid, f),
            None => failed = mid,
        }
    }
    Some((n, fleet))
}

/// A burstable (t3) EC2 fleet must run within its CPU baseline at peak, or it spends credits.
fn burstable_ok(p: &Plan, s: &Scenario, catalog: &Catalog) -> bool {
    if s.backend.launch_type != LaunchType::Ec2 {
        return true;
    }
    match catalog.ec2_instances.get(&s.backend.ec2_instance).and_then(|c| c.burstable_baseline) {
        Some(baseline) => p.capacity.utilisation_at_peak <= baseline,
        None => true,
    }
}
