//! The planning document's three tiers, as scenarios, with the figures it printed kept beside
//! them so the app can say "the document said $86; today this is $X, because ...".

use super::scenario::*;
use super::Component;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    Small,
    Medium,
    Large,
}

impl Tier {
    pub const ALL: [Tier; 3] = [Tier::Small, Tier::Medium, Tier::Large];
    pub fn label(self) -> &'static str {
        match self {
            Tier::Small => "Small",
            Tier::Medium => "Medium",
            Tier::Large => "Large",
        }
    }
    pub fn parse(s: &str) -> Option<Tier> {
        match s.to_ascii_lowercase().as_str() {
            "small" => Some(Tier::Small),
            "medium" => Some(Tier::Medium),
            "large" => Some(Tier::Large),
            _ => None,
        }
    }

    /// The document's total for this tier ("Grand Total: ~$86/month").
    pub fn document_total(self) -> f64 {
        match self {
            Tier::Small => 86.0,
            Tier::Medium => 250.0,
            Tier::Large => 1120.0,
        }
    }

    /// The lines the document printed, each with the plan components that correspond to it
    /// and why today's figure differs.
    pub fn document_lines(self) -> Vec<DocumentLine> {
        match self {
            Tier::Small => SMALL_LINES,
            Tier::Medium => MEDIUM_LINES,
            Tier::Large => LARGE_LINES,
        }
        .to_vec()
    }

    /// This tier at the region and with the price overrides of `current`: the tiers the app
    /// sets beside the user's scenario, and what a tier button loads.
    pub fn scenario_like(self, current: &Scenario) -> Scenario {
        let mut s = self.scenario();
        s.region = current.region.clone();
        s.price_overrides = current.price_overrides.clone();
        // How the user pays (commitments, discount, credits) carries over like the prices.
        s.pricing = current.pricing;
        s.discounts = current.discounts;
        s
    }

    /// The tier `s` is, unchanged (at its region and prices), if any: the tier button to mark.
    pub fn matching(s: &Scenario) -> Option<Tier> {
        Tier::ALL.into_iter().find(|t| t.scenario_like(s) == *s)
    }

    /// This tier carrying `current`'s traffic (and at its region and prices): "what would the
    /// tier's setup do with my traffic", the comparison beside the tier as the document sizes it.
    pub fn at_traffic_of(self, current: &Scenario) -> Scenario {
        let mut s = self.scenario_like(current);
        s.traffic = current.traffic.clone();
        s.name = format!("{} tier at your traffic", self.label());
        s
    }

    pub fn scenario(self) -> Scenario {
        let mut s = small();
        match self {
            Tier::Small => {}
            Tier::Medium => medium(&mut s),
            Tier::Large => large(&mut s),
        }
        s.name = format!("{} tier", self.label());
        s
    }
}

/// The document's Small tier (the other tiers start from it).
fn small() -> Scenario {
    Scenario {
        schema: SCENARIO_SCHEMA,
        name: "Small tier".into(),
        region: "us-east-1".into(),
        production: false,
        traffic: Traffic {
            peak_rps: 15.0,
            peak_to_avg: 3.0,
            monthly_page_views: 200_000.0,
            page_weight_mb: 1.5,
            requests_per_page: 20.0,
            read_share: 0.8,
            cache_hit_ratio: 0.6,
            db_queries_per_request: 3.0,
            response_kb: 8.0,
        },
        frontend: Frontend { s3_storage_gb: 1.0, cdn_geo: CdnGeo::Us, cdn_hit_ratio: 0.9 },
        backend: small_backend(),
        alb: Alb {
            rules_per_request: 3.0,
            requests_per_connection: 10.0,
            connection_seconds: 30.0,
            request_kb: 1.0,
            routing: Routing::RoundRobin,
            nodes: 0,
        },
        database: Database {
            class: "db.t3.micro".into(),
            multi_az: false,
            read_replicas: 0,
            storage_gb: 20.0,
            storage_type: StorageType::Gp3,
            backup_retention_days: 7,
            daily_change: 0.02,
            qps_per_vcpu: 1000.0,
        },
        cache: Cache {
            node_type: "cache.t3.micro".into(),
            cluster_mode: false,
            shards: 1,
            replicas_per_shard: 0,
            working_set_gb: 0.2,
            engine: CacheEngine::Redis,
        },
        network: Network {
            layout: NetworkLayout::Public,
            azs: 2,
            outbound_gb: 10.0,
            log_gb_per_month: 5.0,
            log_retention_months: 1.0,
            secrets: 2,
            ecr_storage_gb: 2.0,
        },
        price_overrides: BTreeMap::new(),
        deploy: Deploy::default(),
        simulation: Default::default(),
        pricing: Default::default(),
        discounts: Default::default(),
        growth: Default::default(),
    }
}

fn small_backend() -> Backend {
    Backend {
        launch_type: LaunchType::Fargate,
        task_cpu: 256,
        task_memory_mib: 512,
        tasks_min: 2,
        tasks_average: 2,
        tasks_max: 4,
        arch: Arch::X86,
        spot_share: 0.0,
        spot_discount: 0.7,
        cpu_ms_per_request: 20.0,
        io_wait_ms: 15.0,
        target_cpu_utilisation: 0.7,
        db_pool_per_task: 10,
        ephemeral_storage_gib: 20,
        ec2_instance: "t3.small".into(),
        ec2_count: 3,
        ec2_ebs_gb: 20.0,
        container_port: 3000,
        scaling_policy: ScalingPolicyKind::Step,
        scale_out_cpu: 0.7,
        scale_in_cpu: 0.3,
        node_cluster: false,
    }
}

/// What the document's Medium tier changes from Small.
fn medium(s: &mut Scenario) {
    s.production = true;
    s.traffic.peak_rps = 80.0;
    s.traffic.monthly_page_views = 1_000_000.0;
    s.traffic.page_weight_mb = 1.5;
    s.traffic.requests_per_page = 25.0;
    s.backend.task_cpu = 512;
    s.backend.task_memory_mib = 1024;
    s.backend.tasks_min = 2;
    s.backend.tasks_average = 5;
    s.backend.tasks_max = 8;
    s.database.class = "db.t3.small".into();
    s.database.multi_az = true;
    s.database.read_replicas = 1;
    s.database.storage_gb = 50.0;
    s.cache.node_type = "cache.t3.small".into();
    s.cache.replicas_per_shard = 1;
    s.cache.working_set_gb = 0.8;
    s.network.layout = NetworkLayout::PrivateNat;
    s.network.log_gb_per_month = 20.0;
    s.network.outbound_gb = 30.0;
    s.network.secrets = 3;
    s.network.ecr_storage_gb = 5.0;
}

/// What the document's Large tier changes from Small.
fn large(s: &mut Scenario) {
    s.production = true;
    s.traffic.peak_rps = 600.0;
    s.traffic.monthly_page_views = 5_000_000.0;
    s.traffic.page_weight_mb = 1.5;
    s.traffic.requests_per_page = 30.0;
    s.backend.task_cpu = 1024;
    s.backend.task_memory_mib = 2048;
    s.backend.tasks_min = 10;
    s.backend.tasks_average = 15;
    s.backend.tasks_max = 20;
    s.backend.db_pool_per_task = 10;
    s.database.class = "db.r5.large".into();
    s.database.multi_az = true;
    s.database.read_replicas = 3;
    s.database.storage_gb = 200.0;
    s.cache.node_type = "cache.t3.medium".into();
    s.cache.cluster_mode = true;
    s.cache.shards = 3;
    s.cache.replicas_per_shard = 0;
    s.cache.working_set_gb = 5.0;
    s.network.layout = NetworkLayout::PrivateNat;
    s.network.azs = 3;
    s.network.log_gb_per_month = 100.0;
    s.network.outbound_gb = 100.0;
    s.network.secrets = 4;
    s.network.ecr_storage_gb = 10.0;
}

/// The Small tier's lines as the planning document printed them.
const SMALL_LINES: &[DocumentLine] = &[
    DocumentLine {
        label: "S3 storage",
        usd: 1.0,
        components: &[],
        why: "Folded into the CloudFront + S3 line below: 1 GB of \
        build output costs cents.",
    },
    DocumentLine {
        label: "CloudFront",
        usd: 5.0,
        components: &[Component::Frontend],
        why: "The always-free 1 TB and 10 M requests a month \
        cover a small site; S3 GETs on cache misses remain.",
    },
    DocumentLine {
        label: "Fargate (2 tasks)",
        usd: 30.0,
        components: &[Component::Compute],
        why: "The document's ~$15 a task matches no \
        Fargate size.",
    },
    DocumentLine {
        label: "ALB",
        usd: 20.0,
        components: &[Component::LoadBalancer],
        why: "LCUs are computed from the traffic; small traffic \
        needs a fraction of one LCU.",
    },
    DocumentLine {
        label: "RDS db.t3.micro",
        usd: 15.0,
        components: &[Component::Database],
        why: "Single-AZ as the document has it.",
    },
    DocumentLine {
        label: "ElastiCache cache.t3.micro",
        usd: 15.0,
        components: &[Component::Cache],
        why: "One node, as the document has \
        it.",
    },
];

/// The Medium tier's lines as the planning document printed them.
const MEDIUM_LINES: &[DocumentLine] = &[
    DocumentLine {
        label: "S3 + CloudFront",
        usd: 50.0,
        components: &[Component::Frontend],
        why: "Transfer beyond the free 1 TB at the \
        first volume tier, plus requests beyond 10 M.",
    },
    DocumentLine {
        label: "Fargate (5 tasks avg)",
        usd: 75.0,
        components: &[Component::Compute],
        why: "The document priced 5 tasks all \
        month at $15 a task, which fits no Fargate size; auto scaling bills fewer.",
    },
    DocumentLine {
        label: "ALB",
        usd: 20.0,
        components: &[Component::LoadBalancer],
        why: "LCUs are computed from the traffic.",
    },
    DocumentLine {
        label: "RDS db.t3.small + 1 replica",
        usd: 60.0,
        components: &[Component::Database],
        why: "Primary Multi-AZ (production) \
        doubles instance and storage; the replica is a third instance with its own \
        storage.",
    },
    DocumentLine {
        label: "ElastiCache cache.t3.small",
        usd: 45.0,
        components: &[Component::Cache],
        why: "One primary and one replica for \
        failover; the document's $45 is above today's node price.",
    },
];

/// The Large tier's lines as the planning document printed them.
const LARGE_LINES: &[DocumentLine] = &[
    DocumentLine {
        label: "S3 + CloudFront",
        usd: 200.0,
        components: &[Component::Frontend],
        why: "Transfer beyond the free tier across the \
        volume tiers, plus requests.",
    },
    DocumentLine {
        label: "Fargate (10-20 tasks)",
        usd: 300.0,
        components: &[Component::Compute],
        why: "The document took the midpoint of \
        10 and 20 tasks; the simulated policy runs fewer outside the busy hours.",
    },
    DocumentLine {
        label: "ALB",
        usd: 20.0,
        components: &[Component::LoadBalancer],
        why: "At this traffic LCUs are a real part of the ALB \
        bill, not a rounding error.",
    },
    DocumentLine {
        label: "RDS db.r5.large + 3 replicas",
        usd: 400.0,
        components: &[Component::Database],
        why: "The primary alone, \
        Multi-AZ, costs about what the document gave for all four instances.",
    },
    DocumentLine {
        label: "ElastiCache 3-node cluster",
        usd: 200.0,
        components: &[Component::Cache],
        why: "3 shards of cache.t3.medium, no \
        replicas, as the document's 3-node cluster.",
    },
];

/// One line the planning document printed for a tier.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct DocumentLine {
    pub label: &'static str,
    pub usd: f64,
    /// The plan components this line covers; empty when another line covers it.
    #[serde(skip)]
    pub components: &'static [Component],
    pub why: &'static str,
}
