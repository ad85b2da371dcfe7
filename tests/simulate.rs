//! Auto scaling simulation: convergence, delays, cooldowns, bounds and overload.

use bridge_planner::model::scenario::{ScalingPolicyKind, Scenario};
use bridge_planner::model::simulate::*;
use bridge_planner::model::{Catalog, Tier};

/// A scenario whose tasks each serve 10 req/s at 100% CPU (0.25 vCPU, 25 ms of CPU).
fn base(policy: ScalingPolicyKind, min: u32, desired: u32, max: u32) -> Scenario {
    let mut s = Tier::Small.scenario();
    s.backend.cpu_ms_per_request = 25.0;
    s.backend.scaling_policy = policy;
    (s.backend.tasks_min, s.backend.tasks_desired, s.backend.tasks_max) = (min, desired, max);
    s.backend.target_cpu_utilisation = 0.5;
    s
}

fn flat(rps: f64, minutes: usize) -> Vec<f64> {
    vec![rps; minutes]
}

#[test]
fn flat_load_converges_and_stays_with_target_tracking() {
    let s = base(ScalingPolicyKind::TargetTracking, 1, 1, 50);
    // 100 req/s at a 50% target: 20 tasks of 10 req/s.
    let r = run_policy(&s, &flat(100.0, 600), 45, None, true);
    let tail: Vec<u32> = r.minutes[300..].iter().map(|m| m.running).collect();
    assert!(tail.iter().all(|&n| n == tail[0]), "settles: {tail:?}");
    assert!((20..=22).contains(&tail[0]), "near the 20 tasks the target needs, got {}", tail[0]);
}

#[test]
fn flat_load_within_the_step_band_stays_put() {
    // 2 tasks at 50% CPU: between the 30% and 70% thresholds, nothing moves.
    let s = base(ScalingPolicyKind::Step, 1, 2, 10);
    let r = run_policy(&s, &flat(10.0, 240), 45, None, true);
    assert!(r.minutes.iter().all(|m| m.running == 2 && m.desired == 2));
    assert_eq!(r.overload_minutes, 0);
}

#[test]
fn step_up_scales_out_after_the_alarm_and_start_up_delay() {
    let s = base(ScalingPolicyKind::Step, 2, 2, 10);
    let rule = StepRule::from_scenario(&s);
    let mut demand = flat(10.0, 30);
    demand.extend(flat(18.0, 60)); // 90% CPU on 2 tasks from minute 30
    let r = run_policy(&s, &demand, 45, None, true);
    let first_desired = r.minutes.iter().position(|m| m.desired > 2).unwrap();
    let first_running = r.minutes.iter().position(|m| m.running > 2).unwrap();
    // The alarm needs `out_evaluation_minutes` breaching datapoints, each published a minute later.
    assert_eq!(first_desired, 30 + rule.out_evaluation_minutes as usize);
    // A task starting takes 45 s, rounded up to the next minute.
    assert_eq!(first_running, first_desired + 1);
    assert!(r.minutes[..first_desired].iter().all(|m| m.running == 2));
}

#[test]
fn scale_in_waits_for_its_cooldown() {
    let s = base(ScalingPolicyKind::Step, 1, 6, 10);
    let rule = StepRule::from_scenario(&s);
    let r = run_policy(&s, &flat(5.0, 120), 45, None, true); // ~8% CPU on 6 tasks
    let changes: Vec<usize> = r.minutes.windows(2).enumerate().filter(|(_, w)| w[1].desired < w[0].desired).map(|(i, _)| i + 1).collect();
    assert!(changes.len() >= 2, "scales in more than once: {changes:?}");
    assert_eq!(changes[0], rule.in_evaluation_minutes as usize);
    for pair in changes.windows(2) {
        assert!(pair[1] - pair[0] >= (rule.in_cooldown_s / 60) as usize, "cooldown respected: {changes:?}");
    }
}

#[test]
fn min_and_max_are_never_crossed() {
    for policy in [ScalingPolicyKind::Step, ScalingPolicyKind::TargetTracking] {
        let s = base(policy, 3, 4, 7);
        let mut demand = flat(0.0, 200);
        demand.extend(flat(1000.0, 200));
        demand.extend(flat(0.0, 200));
        let r = run_policy(&s, &demand, 45, None, true);
        assert!(r.minutes.iter().all(|m| (3..=7).contains(&m.desired) && (3..=7).contains(&m.running)), "{policy:?}");
    }
}

#[test]
fn a_load_the_max_cannot_serve_reports_overload() {
    let s = base(ScalingPolicyKind::TargetTracking, 1, 2, 4);
    let r = run_policy(&s, &flat(100.0, 120), 45, None, false); // max 4 tasks = 40 req/s
    assert_eq!(r.overload_minutes, 120);
    assert!((r.requests_over_capacity - 120.0 * 60.0 * 60.0).abs() < 60.0 * 60.0 * 5.0);
    assert_eq!(r.peak_tasks, 4);
}

#[test]
fn scheduled_minimum_holds_in_business_hours() {
    let s = base(ScalingPolicyKind::Step, 1, 1, 10);
    let sched = Schedule { from_hour: 8, to_hour: 18, min_tasks: 5 };
    let r = run_policy(&s, &flat(1.0, 1440), 45, Some(sched), true);
    assert!(r.minutes[9 * 60..17 * 60].iter().all(|m| m.running >= 5));
    assert!(r.minutes[20 * 60..].iter().any(|m| m.running < 5));
}

#[test]
fn summary_cost_range_is_ordered_and_fixed_fleets_priced() {
    let c = Catalog::embedded();
    for t in Tier::ALL {
        let sim = simulate_default(&t.scenario(), &c);
        let s = &sim.summary;
        assert_eq!(sim.minutes.len(), 7 * 1440);
        assert!(s.monthly_cost_quiet_usd <= s.monthly_cost_typical_usd + 1e-9);
        assert!(s.monthly_cost_typical_usd <= s.monthly_cost_peaks_usd + 1e-9);
        assert!(s.fixed_fargate_monthly_usd > 0.0 && s.fixed_ec2_monthly_usd > 0.0);
        // Task-hours priced at the task's hourly rate.
        let avg = s.task_hours / (7.0 * 24.0);
        assert!((s.monthly_cost_typical_usd - avg * 730.0 * s.task_hour_usd).abs() < 1e-6);
    }
}

#[test]
fn a_custom_day_interpolates_between_hours() {
    let mut hours = [0.0; 24];
    hours[10] = 1.0;
    let p = Profile::Custom(hours);
    assert_eq!(p.shape(10 * 60), 1.0);
    assert!((p.shape(10 * 60 + 30) - 0.5).abs() < 1e-12);
    assert_eq!(p.shape(12 * 60), 0.0);
    assert_eq!(p.shape(1440 + 10 * 60), 1.0, "every day the same");
    // A flat custom day is the flat profile.
    let c = Catalog::embedded();
    let s = Tier::Medium.scenario();
    let flat = simulate(&s, &c, &SimulationSettings { profile: Profile::Flat, ..SimulationSettings::default() });
    let custom = simulate(&s, &c, &SimulationSettings { profile: Profile::Custom([1.0; 24]), ..SimulationSettings::default() });
    assert_eq!(flat.summary.task_hours, custom.summary.task_hours);
    // Starting a custom day from a preset keeps its shape at each hour.
    assert_eq!(Profile::BusinessHours.hourly()[13], Profile::BusinessHours.shape(13 * 60));
}
