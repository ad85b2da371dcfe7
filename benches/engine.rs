use bridge_planner::model::{plan, Catalog, Tier};
use criterion::{black_box, criterion_group, criterion_main, Criterion};

fn bench_plan(c: &mut Criterion) {
    let catalog = Catalog::embedded();
    for tier in Tier::ALL {
        let scenario = tier.scenario();
        c.bench_function(&format!("plan/{}", tier.label()), |b| b.iter(|| plan(black_box(&scenario), black_box(&catalog))));
    }
}

criterion_group!(benches, bench_plan);
criterion_main!(benches);
