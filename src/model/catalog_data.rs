// Generated from data/catalog.json by tests/catalog_data.rs; do not edit.
// Regenerate: UPDATE_CATALOG_DATA=1 cargo test --test catalog_data
{
// One call per string instead of an inlined allocation and copy: a smaller wasm.
#[inline(never)]
fn s(text: &str) -> String {
    text.to_owned()
}
// Maps from a Vec, one insert at a time: collecting would sort, and every map type
// would bring its own copy of the sort (the keys are already in order).
fn m<K: Ord, V>(items: Vec<(K, V)>) -> BTreeMap<K, V> {
    let mut map = BTreeMap::new();
    for (key, value) in items {
        map.insert(key, value);
    }
    map
}
// The prices from a table: (key, usd, unit, source, as_of, confirmed).
#[allow(clippy::type_complexity)]
fn prices(rows: &[(&str, f64, &str, &str, &str, bool)]) -> BTreeMap<String, Price> {
    let mut map = BTreeMap::new();
    for &(key, usd, unit, source, as_of, confirmed) in rows {
        map.insert(s(key), Price { usd, unit: s(unit), source: s(source), as_of: s(as_of), confirmed });
    }
    map
}
// The instance classes from a table: (name, vcpu, memory_gib, burstable_baseline,
// reserved_memory_fraction, network_interfaces).
#[allow(clippy::type_complexity)]
fn classes(
    rows: &[(&str, f64, f64, Option<f64>, Option<f64>, Option<u32>)],
) -> BTreeMap<String, InstanceClass> {
    let mut map = BTreeMap::new();
    for &(name, vcpu, memory_gib, burstable_baseline, reserved_memory_fraction, network_interfaces) in rows {
        let class = InstanceClass { vcpu, memory_gib, burstable_baseline, reserved_memory_fraction, network_interfaces };
        map.insert(s(name), class);
    }
    map
}
Catalog {
    schema: 1,
    as_of: s("2026-11-28"),
    hours_per_month: 730.0,
    notes: s("us-east-1 on-demand USD. Sources: AWS = AWS docs/pricing pages; PL = AWS Price List (us-east-1, 730 h); 3P = third-party write-ups. confirmed=false marks a figure this project could not confirm: the app shows it as an editable assumption."),
    prices: prices(&[
        ("alb.hour", 0.0225, "ALB-hour", "PL, AWS", "2026-11", true),
        ("alb.lcu_hour", 0.008, "LCU-hour", "PL, AWS", "2026-11", true),
        ("cache.cache.m6g.large.hour", 0.149, "node-hour", "best value", "2026-11", false),
        ("cache.cache.r6g.large.hour", 0.206, "node-hour", "best value", "2026-11", false),
        ("cache.cache.t3.medium.hour", 0.068, "node-hour", "3P", "2026-11", true),
        ("cache.cache.t3.micro.hour", 0.017, "node-hour", "3P", "2026-11", true),
        ("cache.cache.t3.small.hour", 0.034, "node-hour", "best value, half of t3.medium", "2026-11", false),
        ("cache.cache.t4g.medium.hour", 0.065, "node-hour", "best value", "2026-11", false),
        ("cache.cache.t4g.micro.hour", 0.016, "node-hour", "best value", "2026-11", false),
        ("cache.cache.t4g.small.hour", 0.032, "node-hour", "best value", "2026-11", false),
        ("cache.valkey.cache.m6g.large.hour", 0.1192, "node-hour", "Redis OSS price x 0.8 (AWS: ElastiCache for Valkey nodes cost 20% less); Redis: best value", "2026-11", false),
        ("cache.valkey.cache.r6g.large.hour", 0.1648, "node-hour", "Redis OSS price x 0.8 (AWS: ElastiCache for Valkey nodes cost 20% less); Redis: best value", "2026-11", false),
        ("cache.valkey.cache.t3.medium.hour", 0.0544, "node-hour", "Redis OSS price x 0.8 (AWS: ElastiCache for Valkey nodes cost 20% less); Redis: 3P", "2026-11", false),
        ("cache.valkey.cache.t3.micro.hour", 0.0136, "node-hour", "Redis OSS price x 0.8 (AWS: ElastiCache for Valkey nodes cost 20% less); Redis: 3P", "2026-11", false),
        ("cache.valkey.cache.t3.small.hour", 0.0272, "node-hour", "Redis OSS price x 0.8 (AWS: ElastiCache for Valkey nodes cost 20% less); Redis: best value, half of t3.medium", "2026-11", false),
        ("cache.valkey.cache.t4g.medium.hour", 0.052, "node-hour", "Redis OSS price x 0.8 (AWS: ElastiCache for Valkey nodes cost 20% less); Redis: best value", "2026-11", false),
        ("cache.valkey.cache.t4g.micro.hour", 0.0128, "node-hour", "Redis OSS price x 0.8 (AWS: ElastiCache for Valkey nodes cost 20% less); Redis: best value", "2026-11", false),
        ("cache.valkey.cache.t4g.small.hour", 0.0256, "node-hour", "Redis OSS price x 0.8 (AWS: ElastiCache for Valkey nodes cost 20% less); Redis: best value", "2026-11", false),
        ("cloudfront.https_10k.australia", 0.0125, "10,000 HTTPS requests", "best value", "2026-11", false),
        ("cloudfront.https_10k.europe", 0.012, "10,000 HTTPS requests", "PL", "2026-11", true),
        ("cloudfront.https_10k.india", 0.012, "10,000 HTTPS requests", "best value", "2026-11", false),
        ("cloudfront.https_10k.japan", 0.012, "10,000 HTTPS requests", "best value", "2026-11", false),
        ("cloudfront.https_10k.south_america", 0.022, "10,000 HTTPS requests", "best value", "2026-11", false),
        ("cloudfront.https_10k.us", 0.01, "10,000 HTTPS requests", "PL", "2026-11", true),
        ("ebs.gp3.gb_month", 0.08, "GB-month", "PL", "2026-11", true),
        ("ec2.t3.large.hour", 0.0832, "instance-hour", "PL", "2026-11", true),
        ("ec2.t3.medium.hour", 0.0416, "instance-hour", "PL", "2026-11", true),
        ("ec2.t3.micro.hour", 0.0104, "instance-hour", "recalled", "2026-11", false),
        ("ec2.t3.small.hour", 0.0208, "instance-hour", "PL", "2026-11", true),
        ("ec2.t3.xlarge.hour", 0.1664, "instance-hour", "best value, twice t3.large", "2026-11", false),
        ("ecr.storage.gb_month", 0.1, "GB-month", "recalled", "2026-11", false),
        ("egress.internet.gb.t1", 0.09, "GB (first 10 TB after 100 GB free)", "3P", "2026-11", true),
        ("egress.internet.gb.t2", 0.085, "GB (next 40 TB)", "3P", "2026-11", true),
        ("egress.internet.gb.t3", 0.07, "GB (next 100 TB)", "3P", "2026-11", true),
        ("egress.internet.gb.t4", 0.05, "GB (over 150 TB)", "3P", "2026-11", true),
        ("fargate.arm.gb_hour", 0.00356, "GB-hour", "3P", "2026-11", true),
        ("fargate.arm.vcpu_hour", 0.03238, "vCPU-hour", "3P", "2026-11", true),
        ("fargate.ephemeral_gb_hour", 0.000111, "GB-hour above 20 GB", "3P", "2026-11", true),
        ("fargate.x86.gb_hour", 0.004445, "GB-hour", "PL, 3P", "2026-11", true),
        ("fargate.x86.vcpu_hour", 0.04048, "vCPU-hour", "PL, 3P", "2026-11", true),
        ("ipv4.public.hour", 0.005, "address-hour", "3P", "2026-11", true),
        ("logs.ingest.gb", 0.5, "GB ingested", "recalled", "2026-11", false),
        ("logs.storage.gb_month", 0.03, "GB-month stored", "recalled", "2026-11", false),
        ("nat.gb", 0.045, "GB processed", "3P", "2026-11", true),
        ("nat.hour", 0.045, "NAT gateway-hour", "3P", "2026-11", true),
        ("rds.backup.gb_month", 0.095, "GB-month beyond provisioned storage", "PL", "2026-11", true),
        ("rds.db.m5.large.hour", 0.178, "instance-hour", "best value", "2026-11", false),
        ("rds.db.m5.xlarge.hour", 0.356, "instance-hour", "best value", "2026-11", false),
        ("rds.db.r5.large.hour", 0.25, "instance-hour", "best value", "2026-11", false),
        ("rds.db.r5.xlarge.hour", 0.5, "instance-hour", "best value", "2026-11", false),
        ("rds.db.r6g.large.hour", 0.225, "instance-hour", "best value", "2026-11", false),
        ("rds.db.r6g.xlarge.hour", 0.45, "instance-hour", "best value", "2026-11", false),
        ("rds.db.t3.large.hour", 0.145, "instance-hour", "PL", "2026-11", true),
        ("rds.db.t3.medium.hour", 0.072, "instance-hour", "estimate from MySQL PL $0.068", "2026-11", false),
        ("rds.db.t3.micro.hour", 0.018, "instance-hour", "estimate from MySQL PL $0.017", "2026-11", false),
        ("rds.db.t3.small.hour", 0.036, "instance-hour", "estimate from MySQL PL $0.034", "2026-11", false),
        ("rds.db.t4g.large.hour", 0.129, "instance-hour", "best value, twice t4g.medium", "2026-11", false),
        ("rds.db.t4g.medium.hour", 0.065, "instance-hour", "3P", "2026-11", true),
        ("rds.db.t4g.micro.hour", 0.016, "instance-hour", "3P", "2026-11", true),
        ("rds.db.t4g.small.hour", 0.032, "instance-hour", "3P", "2026-11", true),
        ("rds.storage.gp2.gb_month", 0.115, "GB-month", "PL", "2026-11", true),
        ("rds.storage.gp3.gb_month", 0.115, "GB-month", "PL", "2026-11", true),
        ("s3.get_1k", 0.0004, "1,000 GET requests", "PL", "2026-11", true),
        ("s3.standard.gb_month", 0.023, "GB-month", "PL", "2026-11", true),
        ("secrets.secret_month", 0.4, "secret-month", "recalled", "2026-11", false),
        ("vpce.interface.gb", 0.01, "GB processed", "3P", "2026-11", true),
        ("vpce.interface.hour", 0.01, "endpoint-hour per AZ", "3P", "2026-11", true),
    ]),
    cloudfront_transfer: CloudFrontTransfer {
        source: s("AWS CloudFront pricing, on-demand data transfer out by volume tier"),
        as_of: s("2026-11"),
        free_gb: 1024.0,
        free_requests: 10000000.0,
        tier_sizes_gb: vec![10240.0, 40960.0, 102400.0, 358400.0, 536576.0, 4194304.0],
        per_gb: m(vec![
            (s("australia"), vec![0.114, 0.098, 0.094, 0.092, 0.09, 0.085, 0.08]),
            (s("europe"), vec![0.085, 0.08, 0.06, 0.04, 0.03, 0.025, 0.02]),
            (s("india"), vec![0.109, 0.085, 0.082, 0.08, 0.078, 0.075, 0.072]),
            (s("japan"), vec![0.114, 0.089, 0.086, 0.084, 0.08, 0.07, 0.06]),
            (s("south_america"), vec![0.11, 0.105, 0.09, 0.08, 0.06, 0.05, 0.04]),
            (s("us"), vec![0.085, 0.08, 0.06, 0.04, 0.03, 0.025, 0.02]),
        ]),
    },
    egress_free_gb: 100.0,
    egress_tier_sizes_gb: vec![10240.0, 40960.0, 102400.0],
    fargate_sizes: vec![FargateCpuRow {
        cpu: 256,
        vcpu: 0.25,
        memory_mib: vec![512, 1024, 2048],
        memory_min: 0,
        memory_max: 0,
        memory_step: 0,
    }, FargateCpuRow {
        cpu: 512,
        vcpu: 0.5,
        memory_mib: vec![],
        memory_min: 1024,
        memory_max: 4096,
        memory_step: 1024,
    }, FargateCpuRow {
        cpu: 1024,
        vcpu: 1.0,
        memory_mib: vec![],
        memory_min: 2048,
        memory_max: 8192,
        memory_step: 1024,
    }, FargateCpuRow {
        cpu: 2048,
        vcpu: 2.0,
        memory_mib: vec![],
        memory_min: 4096,
        memory_max: 16384,
        memory_step: 1024,
    }, FargateCpuRow {
        cpu: 4096,
        vcpu: 4.0,
        memory_mib: vec![],
        memory_min: 8192,
        memory_max: 30720,
        memory_step: 1024,
    }, FargateCpuRow {
        cpu: 8192,
        vcpu: 8.0,
        memory_mib: vec![],
        memory_min: 16384,
        memory_max: 61440,
        memory_step: 4096,
    }, FargateCpuRow {
        cpu: 16384,
        vcpu: 16.0,
        memory_mib: vec![],
        memory_min: 32768,
        memory_max: 122880,
        memory_step: 8192,
    }],
    rds_classes: classes(&[
        ("db.m5.large", 2.0, 8.0, None, None, None),
        ("db.m5.xlarge", 4.0, 16.0, None, None, None),
        ("db.r5.large", 2.0, 16.0, None, None, None),
        ("db.r5.xlarge", 4.0, 32.0, None, None, None),
        ("db.r6g.large", 2.0, 16.0, None, None, None),
        ("db.r6g.xlarge", 4.0, 32.0, None, None, None),
        ("db.t3.large", 2.0, 8.0, Some(0.3), None, None),
        ("db.t3.medium", 2.0, 4.0, Some(0.2), None, None),
        ("db.t3.micro", 2.0, 1.0, Some(0.1), None, None),
        ("db.t3.small", 2.0, 2.0, Some(0.2), None, None),
        ("db.t4g.large", 2.0, 8.0, Some(0.3), None, None),
        ("db.t4g.medium", 2.0, 4.0, Some(0.2), None, None),
        ("db.t4g.micro", 2.0, 1.0, Some(0.1), None, None),
        ("db.t4g.small", 2.0, 2.0, Some(0.2), None, None),
    ]),
    cache_nodes: classes(&[
        ("cache.m6g.large", 0.0, 6.38, None, None, None),
        ("cache.r6g.large", 0.0, 13.07, None, None, None),
        ("cache.t3.medium", 0.0, 3.09, None, None, None),
        ("cache.t3.micro", 0.0, 0.5, None, Some(0.5), None),
        ("cache.t3.small", 0.0, 1.37, None, Some(0.3), None),
        ("cache.t4g.medium", 0.0, 3.09, None, None, None),
        ("cache.t4g.micro", 0.0, 0.5, None, Some(0.5), None),
        ("cache.t4g.small", 0.0, 1.37, None, Some(0.3), None),
    ]),
    ec2_instances: classes(&[
        ("t3.large", 2.0, 8.0, Some(0.3), None, Some(3)),
        ("t3.medium", 2.0, 4.0, Some(0.2), None, Some(3)),
        ("t3.micro", 2.0, 1.0, Some(0.1), None, Some(2)),
        ("t3.small", 2.0, 2.0, Some(0.2), None, Some(3)),
        ("t3.xlarge", 4.0, 16.0, Some(0.4), None, Some(4)),
    ]),
    assumptions: m(vec![
        (s("cache.usable_fraction"), Assumption {
            value: 0.75,
            unit: s("usable / node memory (reserved-memory-percent 25)"),
            source: s("AWS default reserved-memory-percent, recommended for most nodes; micro and small nodes carry their own reserved_memory_fraction (AWS recommends up to 50% and 30%: ElastiCache redis-memory-management)"),
            confirmed: true,
        }),
        (s("rds.instance_memory_fraction"), Assumption {
            value: 0.92,
            unit: s("DBInstanceClassMemory / nominal RAM"),
            source: s("observed defaults run at 88-95% of nominal (aws-facts)"),
            confirmed: false,
        }),
    ]),
    regions: m(vec![
        (s("ap-northeast-1"), Region {
            name: s("Asia Pacific (Tokyo)"),
            factor: 1.27,
            confirmed: false,
            source: s("best value"),
            overrides: Default::default(),
            listed: Default::default(),
        }),
        (s("ap-southeast-2"), Region {
            name: s("Asia Pacific (Sydney)"),
            factor: 1.25,
            confirmed: false,
            source: s("best value"),
            overrides: Default::default(),
            listed: Default::default(),
        }),
        (s("eu-central-1"), Region {
            name: s("Europe (Frankfurt)"),
            factor: 1.16,
            confirmed: false,
            source: s("best value"),
            overrides: Default::default(),
            listed: Default::default(),
        }),
        (s("eu-west-1"), Region {
            name: s("Europe (Ireland)"),
            factor: 1.1,
            confirmed: false,
            source: s("ratio of PL t3.small eu-west-1 $0.0228 / us-east-1 $0.0208"),
            overrides: m(vec![
                (s("ec2.t3.small.hour"), 0.0228),
            ]),
            listed: Default::default(),
        }),
        (s("sa-east-1"), Region {
            name: s("South America (Sao Paulo)"),
            factor: 1.55,
            confirmed: false,
            source: s("best value"),
            overrides: Default::default(),
            listed: Default::default(),
        }),
        (s("us-east-1"), Region {
            name: s("US East (N. Virginia)"),
            factor: 1.0,
            confirmed: true,
            source: s("reference region"),
            overrides: Default::default(),
            listed: Default::default(),
        }),
        (s("us-east-2"), Region {
            name: s("US East (Ohio)"),
            factor: 1.0,
            confirmed: false,
            source: s("assumed equal to us-east-1"),
            overrides: Default::default(),
            listed: Default::default(),
        }),
        (s("us-west-2"), Region {
            name: s("US West (Oregon)"),
            factor: 1.0,
            confirmed: false,
            source: s("assumed equal to us-east-1"),
            overrides: Default::default(),
            listed: Default::default(),
        }),
    ]),
}
}
