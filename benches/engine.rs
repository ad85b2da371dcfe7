use bridge_planner::model::optimize::{optimize, Targets};
use bridge_planner::model::simulate::{
    demand_series, run_policy, simulate, Horizon, SimulationSettings,
};
use bridge_planner::model::{plan, Catalog, Tier};
use criterion::{black_box, criterion_group, criterion_main, Criterion};

fn bench_plan(c: &mut Criterion) {
    let catalog = Catalog::embedded();
    for tier in Tier::ALL {
        let scenario = tier.scenario();
        c.bench_function(&format!("plan/{}", tier.label()), |b| {
            b.iter(|| plan(black_box(&scenario), black_box(&catalog)))
        });
    }
    // Least outstanding requests solves a Markov chain instead of a closed form.
    let mut medium = Tier::Medium.scenario();
    medium.alb.routing = bridge_planner::model::scenario::Routing::LeastOutstandingRequests;
    c.bench_function("plan/Medium, least outstanding requests", |b| {
        b.iter(|| plan(black_box(&medium), black_box(&catalog)))
    });
}

fn bench_simulation(c: &mut Criterion) {
    let catalog = Catalog::embedded();
    let settings = SimulationSettings { horizon: Horizon::Week, ..SimulationSettings::default() };
    let scenarios: Vec<_> = Tier::ALL.iter().map(|t| t.scenario()).collect();
    // One 7-day, one-minute simulation of each of the three tiers.
    let demands: Vec<Vec<f64>> =
        scenarios.iter().map(|s| demand_series(s, &settings, 1.0)).collect();
    c.bench_function("run_policy/week/3 tiers", |b| {
        b.iter(|| {
            scenarios
                .iter()
                .zip(&demands)
                .map(|(s, d)| run_policy(black_box(s), black_box(d), 45, None, false).task_hours)
                .sum::<f64>()
        })
    });
    // The full summary the app and CLI show: typical, quiet and peak months for each tier.
    c.bench_function("simulate/week/3 tiers x 3 months", |b| {
        b.iter(|| {
            scenarios
                .iter()
                .map(|s| simulate(black_box(s), &catalog, &settings).summary.task_hours)
                .sum::<f64>()
        })
    });
}

fn bench_optimize(c: &mut Criterion) {
    let catalog = Catalog::embedded();
    for tier in Tier::ALL {
        let s = tier.scenario();
        let t = Targets::for_scenario(&s);
        c.bench_function(&format!("optimize/{}", tier.label()), |b| {
            b.iter(|| optimize(black_box(&s), &catalog, &t))
        });
    }
}

/// The growth path over the longest horizon (36 months) at 15% a month: one right-size search
/// per change, a plan per month (issue 28 asks for the whole path within 100 ms in the browser).
fn bench_roadmap(c: &mut Criterion) {
    use bridge_planner::model::growth::{roadmap, Growth};
    let catalog = Catalog::embedded();
    for tier in Tier::ALL {
        let s = tier.scenario();
        let g = Growth { monthly_rate: 0.15, horizon_months: 36, ..Growth::default() };
        c.bench_function(&format!("roadmap/{} 15% x 36 months", tier.label()), |b| {
            b.iter(|| roadmap(black_box(&s), &g, &catalog))
        });
    }
}

criterion_group!(benches, bench_plan, bench_simulation, bench_optimize, bench_roadmap);
criterion_main!(benches);
