//! One function per component adds its priced lines: the frontend, compute (Fargate or
//! the EC2 fleet), the ALB, the database, the cache and the costs the document leaves out;
//! then the totals.

use super::*;

// ---- Frontend: S3 + CloudFront ------------------------------------------------------------

/// S3 storage and the GETs of CloudFront's cache misses; CloudFront transfer by volume tier
/// of the viewers' geography, and HTTPS requests beyond the free allowance.
pub(super) fn add_frontend(out: &mut Lines) {
    let (s, catalog) = (out.scenario, out.catalog);
    out.add(
        LineKind::S3Storage,
        "S3 Standard storage",
        s.frontend.s3_storage_gb,
        "GB-month",
        PriceKey::S3StandardGbMonth,
        false,
    );
    let cdn_requests = clean(s.traffic.monthly_page_views * s.traffic.requests_per_page);
    let s3_gets = cdn_requests * clean(1.0 - s.frontend.cdn_hit_ratio);
    out.add_scaled(
        LineKind::S3Requests,
        "S3 GET requests (CloudFront cache misses)",
        s3_gets / 1000.0,
        "1,000 requests",
        PriceKey::S3Get1k,
        1.0,
        false,
    );
    let cf = &catalog.cloudfront_transfer;
    let geo = s.frontend.cdn_geo.key();
    let cdn_gb = clean(s.traffic.monthly_page_views * s.traffic.page_weight_mb / 1024.0);
    if let Some(tier_prices) = cf.per_gb.get(geo) {
        let prices: Vec<TierPrice> = tier_prices
            .iter()
            .enumerate()
            .map(|(i, p)| TierPrice {
                key: PriceKey::CloudFrontTransfer(s.frontend.cdn_geo, i as u8 + 1),
                usd: *p,
                confirmed: true,
                by_factor: false,
            })
            .collect();
        out.add_tiered(
            LineKind::CloudFrontTransfer,
            &format!("CloudFront transfer out ({})", s.frontend.cdn_geo.label()),
            cdn_gb,
            cf.free_gb,
            &cf.tier_sizes_gb,
            &prices,
            false,
        );
    }
    let billable_requests = clean(cdn_requests - cf.free_requests);
    out.add(
        LineKind::CloudFrontRequests,
        "CloudFront HTTPS requests beyond 10 M free",
        billable_requests / 10_000.0,
        "10,000 requests",
        PriceKey::CloudFrontHttps10k(s.frontend.cdn_geo),
        false,
    );
}

// ---- Compute: Fargate or the EC2 fleet -----------------------------------------------------

/// The workers that serve the API: Fargate tasks (one Node.js process each, or one per vCPU
/// in cluster mode) or the EC2 fleet's processes (one per vCPU).
pub(super) struct Workers {
    /// CPU one Node.js process can use (at most one core).
    pub(super) cores_each: f64,
    /// Node.js processes in one worker (task); 1 for the EC2 fleet, whose workers are processes.
    pub(super) processes_each: u32,
    /// Workers running at peak: auto scaling can reach `tasks_max`; EC2 is fixed.
    pub(super) at_peak: u32,
}

pub(super) fn add_compute(
    out: &mut Lines,
    peak_rps: f64,
    billed_tasks: f64,
    simulated_at_peak: Option<u32>,
) -> Workers {
    match out.scenario.backend.launch_type {
        LaunchType::Fargate => add_fargate(out, peak_rps, billed_tasks, simulated_at_peak),
        LaunchType::Ec2 => add_ec2_fleet(out),
    }
}

/// Fargate vCPU and memory hours of the billed task count (`billed_tasks`), split into
/// on-demand and Spot, and ephemeral storage above the included 20 GiB.
pub(super) fn add_fargate(
    out: &mut Lines,
    peak_rps: f64,
    billed_tasks: f64,
    simulated_at_peak: Option<u32>,
) -> Workers {
    let s = out.scenario;
    let h = out.catalog.hours_per_month;
    let vcpu = s.task_vcpu();
    let mem_gb = s.task_memory_gb();
    let arch = s.backend.arch;
    let tasks = billed_tasks;
    let spot_tasks = tasks * s.backend.spot_fraction();
    let on_demand_tasks = tasks - spot_tasks;
    let spot_scale = s.backend.spot_price_factor();
    let arch_label = arch.label();
    let basis = if auto_scaling(s) { ", auto scaling average" } else { "" };
    for (label, n, scale, spot) in
        [("on-demand", on_demand_tasks, 1.0, false), ("Spot", spot_tasks, spot_scale, true)]
    {
        out.add_scaled(
            LineKind::FargateVcpu { spot },
            format!("Fargate {arch_label} vCPU, {label} ({n:.1} tasks x {vcpu} vCPU{basis})"),
            n * vcpu * h,
            "vCPU-hour",
            PriceKey::FargateVcpuHour(arch),
            scale,
            false,
        );
        out.add_scaled(
            LineKind::FargateMemory { spot },
            format!("Fargate {arch_label} memory, {label} ({n:.1} tasks x {mem_gb} GB{basis})"),
            n * mem_gb * h,
            "GB-hour",
            PriceKey::FargateGbHour(arch),
            scale,
            false,
        );
    }
    let extra_storage = s.backend.extra_ephemeral_gib() as f64;
    out.add(
        LineKind::FargateEphemeral,
        "Fargate ephemeral storage above 20 GB",
        tasks * extra_storage * h,
        "GB-hour",
        PriceKey::FargateEphemeralGbHour,
        false,
    );
    let b = &s.backend;
    // With auto scaling, the tasks the policy really runs at the busiest minute (the simulated
    // period's); without a simulation, what the policy would reach: a scale-out rule that
    // cannot fire (see `scale_out_can_fire`) leaves the entered count.
    let at_peak = if let Some(n) = simulated_at_peak {
        n
    } else if crate::model::simulate::scale_out_can_fire(s) {
        b.tasks_max.min(fargate_tasks_for(peak_rps, s).max(b.tasks_average))
    } else {
        b.tasks_average.min(b.tasks_max)
    };
    Workers { cores_each: b.cores_per_worker(), processes_each: b.node_workers(), at_peak }
}

/// A fixed EC2 fleet and its gp3 root volumes; one Node.js process per vCPU.
pub(super) fn add_ec2_fleet(out: &mut Lines) -> Workers {
    let (s, catalog) = (out.scenario, out.catalog);
    let class = catalog.ec2_instances.get(&s.backend.ec2_instance);
    let n = s.backend.ec2_count as f64;
    out.add(
        LineKind::Ec2Instances,
        format!("EC2 {} x {}", s.backend.ec2_count, s.backend.ec2_instance),
        n * catalog.hours_per_month,
        "instance-hour",
        PriceKey::Ec2Hour(s.backend.ec2_instance.clone()),
        false,
    );
    out.add(
        LineKind::Ec2RootVolumes,
        "EBS gp3 root volumes",
        n * s.backend.ec2_ebs_gb,
        "GB-month",
        PriceKey::EbsGp3GbMonth,
        false,
    );
    // One Node.js task per vCPU, as many as the instance's network interfaces allow (awsvpc).
    let processes = class.map(|c| c.awsvpc_tasks()).unwrap_or(1) * s.backend.ec2_count;
    Workers { cores_each: 1.0, processes_each: 1, at_peak: processes }
}

// ---- ALB: hours + LCUs by the four dimensions ----------------------------------------------

/// ALB hours and LCU-hours; the LCUs billed are the largest of the four dimensions.
pub(super) fn add_load_balancer(out: &mut Lines, avg_rps: f64) -> AlbLoad {
    let s = out.scenario;
    let h = out.catalog.hours_per_month;
    let new_conn_per_s = avg_rps / s.alb.requests_per_connection.max(1.0);
    let new_connections_lcu = new_conn_per_s / 25.0;
    let active_connections_lcu = new_conn_per_s * clean(s.alb.connection_seconds) / 3000.0;
    let processed_gb_per_hour =
        avg_rps * 3600.0 * clean(s.traffic.response_kb + s.alb.request_kb) / (1024.0 * 1024.0);
    let processed_bytes_lcu = processed_gb_per_hour;
    let rule_evaluations_lcu = avg_rps * clean(s.alb.rules_per_request - 10.0) / 1000.0;
    let lcus = clean(
        new_connections_lcu
            .max(active_connections_lcu)
            .max(processed_bytes_lcu)
            .max(rule_evaluations_lcu),
    );
    out.add(LineKind::AlbHours, "ALB hours", h, "ALB-hour", PriceKey::AlbHour, false);
    out.add(
        LineKind::AlbLcus,
        format!("ALB LCUs ({lcus:.3} LCU average)"),
        lcus * h,
        "LCU-hour",
        PriceKey::AlbLcuHour,
        false,
    );
    AlbLoad {
        new_connections_lcu,
        active_connections_lcu,
        processed_bytes_lcu,
        rule_evaluations_lcu,
        lcus,
    }
}

// ---- Database ------------------------------------------------------------------------------

/// RDS instance hours (primary, standby, replicas), storage per copy, backups beyond the free
/// amount.
pub(super) fn add_database(out: &mut Lines) {
    let s = out.scenario;
    let h = out.catalog.hours_per_month;
    let db = &s.database;
    // Multi-AZ is its own row in AWS's price list (the pair, primary + standby), instances
    // and storage alike (<https://aws.amazon.com/rds/postgresql/pricing/>).
    let primary_key = PriceKey::rds_primary_hour(db.class.clone(), db.multi_az);
    let (az_note, storage_key) = if db.multi_az {
        (
            "Multi-AZ: primary + standby, one Multi-AZ price",
            PriceKey::RdsStorageMultiAzGbMonth(db.storage_type),
        )
    } else {
        ("single-AZ", PriceKey::RdsStorageGbMonth(db.storage_type))
    };
    out.add(
        LineKind::RdsPrimary,
        format!("RDS {} primary ({az_note})", db.class),
        h,
        "instance-hour",
        primary_key,
        false,
    );
    out.add(
        LineKind::RdsReplicas,
        format!("RDS {} read replicas x {}", db.class, db.read_replicas),
        db.read_replicas as f64 * h,
        "instance-hour",
        PriceKey::RdsHour(db.class.clone()),
        false,
    );
    let copies = if db.multi_az { ", Multi-AZ: both copies" } else { "" };
    out.add(
        LineKind::RdsStorage,
        format!("RDS storage ({} GB{copies})", db.storage_gb),
        db.storage_gb,
        "GB-month",
        storage_key,
        false,
    );
    out.add(
        LineKind::RdsReplicaStorage,
        format!("RDS storage of the read replicas ({} GB x {})", db.storage_gb, db.read_replicas),
        db.storage_gb * db.read_replicas as f64,
        "GB-month",
        PriceKey::RdsStorageGbMonth(db.storage_type),
        false,
    );
    let backup = RdsBackup::of(db);
    out.add(
        LineKind::RdsBackup,
        format!(
            "RDS backup storage beyond the free {} GB ({:.1} GB kept for {} days)",
            backup.free_gb, backup.stored_gb, db.backup_retention_days
        ),
        backup.billed_gb(),
        "GB-month",
        PriceKey::RdsBackupGbMonth,
        false,
    );
}

/// Automated backup storage of the database, and the free allowance.
pub struct RdsBackup {
    /// A full snapshot of the data, then each day's changes, kept for the retention period.
    /// The data is taken to fill the provisioned storage (an upper bound).
    pub stored_gb: f64,
    /// "No additional charge for backup storage up to 100% of your total database storage
    /// for a region" (<https://aws.amazon.com/rds/postgresql/pricing/>, Backup Storage): the
    /// provisioned storage of the primary and of each read replica (a Multi-AZ standby is
    /// the same database, counted once).
    pub free_gb: f64,
}

impl RdsBackup {
    pub fn of(db: &Database) -> RdsBackup {
        let storage = clean(db.storage_gb);
        let stored_gb = if db.backup_retention_days == 0 {
            0.0
        } else {
            storage * (1.0 + clean(db.daily_change) * db.backup_retention_days as f64)
        };
        RdsBackup { stored_gb, free_gb: storage * (1.0 + db.read_replicas as f64) }
    }
    /// Backup storage billed: what is kept beyond the free allowance.
    pub fn billed_gb(&self) -> f64 {
        clean(self.stored_gb - self.free_gb)
    }
}

/// Queries and connections the database receives at peak.

// ---- Cache ---------------------------------------------------------------------------------

/// The Redis nodes and how much of the working set they hold.
pub(super) struct CacheFit {
    pub(super) nodes: u32,
    pub(super) usable_gb: f64,
    pub(super) needed_gb: f64,
}

/// Nodes of a replication group: each shard has a primary and its replicas.
pub fn cache_nodes(shards: u32, replicas_per_shard: u32) -> u32 {
    shards * (1 + replicas_per_shard)
}

/// Memory the cache can use for data: replicas copy their primary, so only shards add up;
/// each node keeps the reserved memory AWS recommends for its size
/// (`Catalog::cache_usable_gib`). Unknown node types hold nothing.
pub fn cache_usable_gb(catalog: &Catalog, node_type: &str, shards: u32) -> f64 {
    shards as f64 * catalog.cache_usable_gib(node_type)
}

/// ElastiCache node hours: shards x (primary + replicas); memory adds up across shards only.
pub(super) fn add_cache(out: &mut Lines) -> CacheFit {
    let (s, catalog) = (out.scenario, out.catalog);
    let c = &s.cache;
    let shards = c.shards_in_use();
    let cache_nodes = cache_nodes(shards, c.replicas_per_shard);
    out.add(
        LineKind::CacheNodes,
        format!(
            "ElastiCache {} {} x {cache_nodes} nodes ({shards} shard{} x (1 + {} replicas))",
            c.engine.label(),
            c.node_type,
            if shards == 1 { "" } else { "s" },
            c.replicas_per_shard
        ),
        cache_nodes as f64 * catalog.hours_per_month,
        "node-hour",
        PriceKey::CacheHour(c.engine, c.node_type.clone()),
        false,
    );
    CacheFit {
        nodes: cache_nodes,
        usable_gb: cache_usable_gb(catalog, &c.node_type, shards),
        needed_gb: clean(c.working_set_gb),
    }
}

// ---- Costs the document leaves out ---------------------------------------------------------

/// Internet egress of API responses, public IPv4 addresses, NAT or VPC endpoints, logs,
/// secrets and ECR: real costs the planning document does not list.
pub(super) fn add_omitted_costs(out: &mut Lines, monthly_api_requests: f64, billed_tasks: f64) {
    add_api_egress(out, monthly_api_requests);
    add_network_layout(out, billed_tasks);
    let s = out.scenario;
    out.add(
        LineKind::LogsIngestion,
        "CloudWatch Logs ingestion",
        s.network.log_gb_per_month,
        "GB",
        PriceKey::LogsIngestGb,
        true,
    );
    out.add(
        LineKind::LogsStorage,
        "CloudWatch Logs storage",
        s.network.log_gb_per_month * s.network.log_retention_months,
        "GB-month",
        PriceKey::LogsStorageGbMonth,
        true,
    );
    out.add(
        LineKind::Secrets,
        "Secrets Manager secrets",
        s.network.secrets as f64,
        "secret-month",
        PriceKey::SecretsSecretMonth,
        true,
    );
    out.add(
        LineKind::EcrStorage,
        "ECR image storage",
        s.network.ecr_storage_gb,
        "GB-month",
        PriceKey::EcrStorageGbMonth,
        true,
    );
}

/// Data transfer out to the internet by volume tier, after the free 100 GB.
pub(super) fn add_api_egress(out: &mut Lines, monthly_api_requests: f64) {
    let (s, catalog) = (out.scenario, out.catalog);
    let egress_gb = monthly_api_requests * clean(s.traffic.response_kb) / (1024.0 * 1024.0);
    let egress_prices: Vec<TierPrice> = (1..=4)
        .map(|i| {
            let key = PriceKey::EgressInternetGb(i);
            let p = catalog.price(&s.region, &key, &s.price_overrides);
            TierPrice { key, usd: p.usd, confirmed: p.confirmed, by_factor: p.by_factor }
        })
        .collect();
    // The 100 GB free allowance is shared across services; it is applied to API egress here.
    let sizes: Vec<f64> = catalog
        .egress_tier_sizes_gb
        .iter()
        .enumerate()
        .map(|(i, t)| if i == 0 { t + catalog.egress_free_gb } else { *t })
        .collect();
    out.add_tiered(
        LineKind::ApiEgress,
        "Data transfer out to the internet (API responses, 100 GB free)",
        egress_gb,
        catalog.egress_free_gb,
        &sizes,
        &egress_prices,
        true,
    );
}

/// The ALB's public addresses, and what the tasks' subnets cost: public addresses, NAT
/// gateways, or interface endpoints.
pub(super) fn add_network_layout(out: &mut Lines, billed_tasks: f64) {
    let s = out.scenario;
    let h = out.catalog.hours_per_month;
    let azs = s.network.azs.max(1) as f64;
    // An internet-facing ALB holds one public IPv4 address per AZ.
    out.add(
        LineKind::AlbPublicIpv4,
        format!("Public IPv4 addresses of the ALB ({azs} AZs)"),
        azs * h,
        "address-hour",
        PriceKey::PublicIpv4Hour,
        true,
    );
    match s.network.layout {
        NetworkLayout::Public => {
            let public = match s.backend.launch_type {
                LaunchType::Fargate => billed_tasks,
                LaunchType::Ec2 => s.backend.ec2_count as f64,
            };
            out.add(
                LineKind::TaskPublicIpv4,
                "Public IPv4 addresses of tasks/instances (public subnets)",
                public * h,
                "address-hour",
                PriceKey::PublicIpv4Hour,
                true,
            );
        }
        NetworkLayout::PrivateNat => {
            out.add(
                LineKind::NatGateways,
                format!("NAT gateways ({azs} AZs)"),
                azs * h,
                "gateway-hour",
                PriceKey::NatHour,
                true,
            );
            out.add(
                LineKind::NatPublicIpv4,
                "Public IPv4 addresses of the NAT gateways",
                azs * h,
                "address-hour",
                PriceKey::PublicIpv4Hour,
                true,
            );
            out.add(
                LineKind::NatData,
                "NAT data processed",
                s.network.outbound_gb,
                "GB",
                PriceKey::NatGb,
                true,
            );
        }
        NetworkLayout::VpcEndpoints => {
            // ECR API, ECR Docker, CloudWatch Logs, Secrets Manager; S3 uses a free gateway
            // endpoint.
            out.add(
                LineKind::VpcEndpoints,
                format!("Interface VPC endpoints (4 services x {azs} AZs)"),
                4.0 * azs * h,
                "endpoint-hour",
                PriceKey::VpceInterfaceHour,
                true,
            );
            out.add(
                LineKind::VpcEndpointData,
                "VPC endpoint data processed",
                s.network.outbound_gb,
                "GB",
                PriceKey::VpceInterfaceGb,
                true,
            );
        }
    }
}

// ---- Totals --------------------------------------------------------------------------------

pub(super) struct Totals {
    pub(super) components: Vec<ComponentCost>,
    pub(super) monthly_total_usd: f64,
    pub(super) document_omitted_usd: f64,
    pub(super) cost_per_million_requests_usd: f64,
    pub(super) assumptions_used: Vec<PriceKey>,
}

impl Totals {
    pub(super) fn of(lines: &[CostLine], monthly_api_requests: f64) -> Totals {
        let components: Vec<ComponentCost> = Component::ALL
            .iter()
            .map(|&c| ComponentCost {
                component: c,
                label: c.label(),
                monthly_usd: lines.iter().filter(|l| l.component == c).map(|l| l.monthly_usd).sum(),
            })
            .collect();
        let monthly_total_usd: f64 = lines.iter().map(|l| l.monthly_usd).sum();
        let document_omitted_usd =
            lines.iter().filter(|l| l.document_omits).map(|l| l.monthly_usd).sum();
        let cost_per_million_requests_usd = if monthly_api_requests > 0.0 {
            monthly_total_usd / (monthly_api_requests / 1.0e6)
        } else {
            0.0
        };
        // Each unconfirmed price once, in the order the lines use them (`dedup` alone only drops
        // neighbours, and the same price can appear in lines far apart).
        let mut assumptions_used: Vec<PriceKey> = Vec::new();
        for l in lines.iter().filter(|l| !l.confirmed) {
            if !assumptions_used.contains(&l.price_key) {
                assumptions_used.push(l.price_key.clone());
            }
        }
        Totals {
            components,
            monthly_total_usd,
            document_omitted_usd,
            cost_per_million_requests_usd,
            assumptions_used,
        }
    }
}
