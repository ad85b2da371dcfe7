//! The table of numeric fields (`FIELDS`): range, unit, help and JSON path per slider, the
//! input groups, and reading or writing a field of a scenario.

use super::*;

/// Group of the control panel, as the planning document groups the system.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    Traffic,
    Frontend,
    Backend,
    Database,
    Cache,
    Network,
}

impl Group {
    pub const ALL: [Group; 6] = [
        Group::Traffic,
        Group::Frontend,
        Group::Backend,
        Group::Database,
        Group::Cache,
        Group::Network,
    ];
    pub fn label(self) -> &'static str {
        match self {
            Group::Traffic => "Traffic",
            Group::Frontend => "Frontend (S3 + CloudFront)",
            Group::Backend => "Backend (ALB + ECS)",
            Group::Database => "Database (RDS PostgreSQL)",
            Group::Cache => "Cache (ElastiCache Redis or Valkey)",
            Group::Network => "Network, logs and secrets",
        }
    }
}

/// One numeric input: its range, unit and help. The UI makes a slider + number field of each;
/// `Scenario::validate` checks values against the same ranges.
#[derive(Debug, Clone, Copy)]
pub struct FieldSpec {
    pub field: Field,
    pub group: Group,
    pub id: &'static str,
    pub label: &'static str,
    pub unit: &'static str,
    pub min: f64,
    pub max: f64,
    pub step: f64,
    pub help: &'static str,
}

macro_rules! fields {
    ($( $variant:ident, $group:ident, $id:literal, $label:literal, $unit:literal, $min:expr,
        $max:expr, $step:expr, $help:literal, |$s:ident| $get:expr, |$t:ident, $v:ident|
        $set:expr; )*) => {
        /// A numeric scenario input that has a slider.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Field { $($variant),* }

        pub const FIELDS: &[FieldSpec] = &[
            $(FieldSpec { field: Field::$variant, group: Group::$group, id: $id, label: $label,
                unit: $unit,
                          min: $min, max: $max, step: $step, help: $help }),*
        ];

        impl Scenario {
            pub fn get(&self, field: Field) -> f64 {
                match field { $(Field::$variant => { let $s = self; $get }),* }
            }
            /// Sets a field without checking it; use `with_field` for user input.
            pub fn set(&mut self, field: Field, value: f64) {
                match field { $(Field::$variant => { let $t = self; let $v = value; $set }),* }
            }
        }
    };
}

fields! {
    PeakRps, Traffic, "peak_rps", "Peak API requests", "req/s", 0.0, 5000.0, 1.0,
        "Requests per second reaching the ALB at the busiest minute of the month.",
        |s| s.traffic.peak_rps, |s, v| s.traffic.peak_rps = v;
    PeakToAvg, Traffic, "peak_to_avg", "Peak-to-average ratio", "x", 1.0, 20.0, 0.1,
        "Peak rate divided by the monthly average; 3 means the average hour carries a third of the \
            peak.",
        |s| s.traffic.peak_to_avg, |s, v| s.traffic.peak_to_avg = v;
    PageViews, Traffic, "page_views", "Monthly page views", "views", 0.0, 200_000_000.0, 10_000.0,
        "Page views of the React frontend per month, served by CloudFront.",
        |s| s.traffic.monthly_page_views, |s, v| s.traffic.monthly_page_views = v;
    PageWeight, Traffic, "page_weight", "Page weight", "MB", 0.0, 20.0, 0.1,
        "Average bytes a page view downloads from CloudFront (after browser caching).",
        |s| s.traffic.page_weight_mb, |s, v| s.traffic.page_weight_mb = v;
    RequestsPerPage, Traffic, "requests_per_page", "Requests per page", "req", 0.0, 200.0, 1.0,
        "Static-file requests CloudFront serves per page view.",
        |s| s.traffic.requests_per_page, |s, v| s.traffic.requests_per_page = v;
    ReadShare, Traffic, "read_share", "Reads", "%", 0.0, 100.0, 1.0,
        "Share of DB queries that read; reads can go to replicas and Redis.",
        |s| s.traffic.read_share * 100.0, |s, v| s.traffic.read_share = v / 100.0;
    CacheHit, Traffic, "cache_hit", "Redis hit ratio", "%", 0.0, 100.0, 1.0,
        "Share of reads answered by Redis instead of PostgreSQL.",
        |s| s.traffic.cache_hit_ratio * 100.0, |s, v| s.traffic.cache_hit_ratio = v / 100.0;
    QueriesPerRequest, Traffic, "queries_per_request", "DB queries per request", "queries", 0.0,
        50.0, 0.5,
        "Database queries one API request makes before the cache.",
        |s| s.traffic.db_queries_per_request, |s, v| s.traffic.db_queries_per_request = v;
    ResponseKb, Traffic, "response_kb", "API response size", "KB", 0.0, 2000.0, 1.0,
        "Average response body; drives ALB processed bytes and data transfer out.",
        |s| s.traffic.response_kb, |s, v| s.traffic.response_kb = v;
    S3Gb, Frontend, "s3_gb", "S3 storage", "GB", 0.0, 10000.0, 1.0,
        "Size of the React build and other static assets kept in S3.",
        |s| s.frontend.s3_storage_gb, |s, v| s.frontend.s3_storage_gb = v;
    CdnHit, Frontend, "cdn_hit", "CloudFront hit ratio", "%", 0.0, 100.0, 1.0,
        "Requests served from edge caches; misses are fetched from S3 (S3 GET charges).",
        |s| s.frontend.cdn_hit_ratio * 100.0, |s, v| s.frontend.cdn_hit_ratio = v / 100.0;
    TasksMin, Backend, "tasks_min", "Minimum tasks", "tasks", 0.0, 200.0, 1.0,
        "Auto scaling never goes below this count.",
        |s| s.backend.tasks_min as f64, |s, v| s.backend.tasks_min = v.round() as u32;
    TasksAverage, Backend, "tasks_average", "Average tasks", "tasks", 0.0, 200.0, 1.0,
        "The planning document's \"5 tasks avg\": billed as entered when minimum = maximum; with \
            auto scaling the bill is the simulated average and this count is the fixed \
            alternative.",
        |s| s.backend.tasks_average as f64, |s, v| s.backend.tasks_average = v.round() as u32;
    TasksMax, Backend, "tasks_max", "Maximum tasks", "tasks", 1.0, 200.0, 1.0,
        "Auto scaling never goes above this count; the capacity at peak.",
        |s| s.backend.tasks_max as f64, |s, v| s.backend.tasks_max = v.round() as u32;
    CpuMs, Backend, "cpu_ms", "CPU per request", "ms", 0.1, 1000.0, 0.1,
        "CPU time one request takes on a full core. Node.js runs one request at a time per \
            process.",
        |s| s.backend.cpu_ms_per_request, |s, v| s.backend.cpu_ms_per_request = v;
    IoWaitMs, Backend, "io_wait_ms", "I/O wait per request", "ms", 0.0, 2000.0, 1.0,
        "Time waiting on PostgreSQL, Redis and the network; adds to latency, not to CPU.",
        |s| s.backend.io_wait_ms, |s, v| s.backend.io_wait_ms = v;
    TargetCpu, Backend, "target_cpu", "Target CPU", "%", 10.0, 95.0, 1.0,
        "Utilisation the planner sizes the peak for (and target tracking aims at).",
        |s| s.backend.target_cpu_utilisation * 100.0, |s, v| s.backend.target_cpu_utilisation = v
            / 100.0;
    SpotShare, Backend, "spot_share", "Fargate Spot share", "%", 0.0, 100.0, 5.0,
        "Share of tasks on Fargate Spot: cheaper, but can be reclaimed with two minutes' notice.",
        |s| s.backend.spot_share * 100.0, |s, v| s.backend.spot_share = v / 100.0;
    SpotDiscount, Backend, "spot_discount", "Spot discount", "%", 0.0, 90.0, 1.0,
        "Assumption: AWS says \"up to 70%\" off and the rate varies. Edit to your observed rate.",
        |s| s.backend.spot_discount * 100.0, |s, v| s.backend.spot_discount = v / 100.0;
    DbPool, Backend, "db_pool", "DB pool per Node.js process", "connections", 1.0, 100.0, 1.0,
        "Connections each Node.js process's pool opens to the primary (and to a replica); in \
            cluster mode every worker opens its own pool (DB_POOL_SIZE).",
        |s| s.backend.db_pool_per_task as f64, |s, v| s.backend.db_pool_per_task = v.round() as u32;
    Ec2Count, Backend, "ec2_count", "EC2 instances", "instances", 1.0, 100.0, 1.0,
        "Fixed fleet size (the planning document's option 2); one Node.js process per vCPU.",
        |s| s.backend.ec2_count as f64, |s, v| s.backend.ec2_count = v.round() as u32;
    AlbRules, Backend, "alb_rules", "ALB rules per request", "rules", 0.0, 100.0, 1.0,
        "Listener rules evaluated per request; the first 10 are free of LCU charge.",
        |s| s.alb.rules_per_request, |s, v| s.alb.rules_per_request = v;
    ReqPerConn, Backend, "req_per_conn", "Requests per connection", "req", 1.0, 1000.0, 1.0,
        "Keep-alive reuse: how many requests one client connection carries (new-connection LCUs).",
        |s| s.alb.requests_per_connection, |s, v| s.alb.requests_per_connection = v;
    AlbNodes, Backend, "alb_nodes", "ALB nodes routing apart", "nodes", 0.0, 20.0, 1.0,
        "Latency assumption: ALB nodes that each route on their own: their own round-robin turn, \
            their own count of outstanding requests (an ALB runs a node per AZ; AWS does not say \
            whether they share counts). 0 = one per AZ; 1 = one shared view.",
        |s| s.alb.nodes as f64, |s, v| s.alb.nodes = v.round() as u32;
    Replicas, Database, "replicas", "Read replicas", "replicas", 0.0, 5.0, 1.0,
        "Read replicas take the reads that miss Redis; each is billed as its own instance.",
        |s| s.database.read_replicas as f64, |s, v| s.database.read_replicas = v.round() as u32;
    DbStorage, Database, "db_storage", "DB storage", "GB", 20.0, 65536.0, 1.0,
        "Provisioned storage (gp2/gp3), billed twice with Multi-AZ and again per replica.",
        |s| s.database.storage_gb, |s, v| s.database.storage_gb = v;
    BackupDays, Database, "backup_days", "Backup retention", "days", 0.0, 35.0, 1.0,
        "Automated backups kept; storage beyond 100% of the DB size is billed.",
        |s| s.database.backup_retention_days as f64, |s, v| s.database.backup_retention_days =
            v.round() as u32;
    DbQps, Database, "db_qps", "DB queries per vCPU", "q/s", 50.0, 10000.0, 50.0,
        "Capacity assumption: simple indexed queries one DB vCPU serves per second.",
        |s| s.database.qps_per_vcpu, |s, v| s.database.qps_per_vcpu = v;
    Shards, Cache, "shards", "Shards", "shards", 1.0, 30.0, 1.0,
        "Cluster-mode shards; memory adds up across shards.",
        |s| s.cache.shards as f64, |s, v| s.cache.shards = v.round() as u32;
    CacheReplicas, Cache, "cache_replicas", "Replicas per shard", "replicas", 0.0, 5.0, 1.0,
        "Replicas give failover and read capacity, not memory.",
        |s| s.cache.replicas_per_shard as f64, |s, v| s.cache.replicas_per_shard = v.round() as u32;
    WorkingSet, Cache, "working_set", "Working set", "GB", 0.0, 1000.0, 0.1,
        "The working set is the data your app reads often enough that it should stay in memory \
            (sessions, hot rows); Redis must hold it for the hit ratio above.",
        |s| s.cache.working_set_gb, |s, v| s.cache.working_set_gb = v;
    Azs, Network, "azs", "Availability zones", "AZs", 1.0, 6.0, 1.0,
        "AZs the VPC spans; one NAT gateway (or endpoint set) per AZ.",
        |s| s.network.azs as f64, |s, v| s.network.azs = v.round() as u32;
    OutboundGb, Network, "outbound_gb", "Outbound from tasks", "GB/month", 0.0, 100000.0, 1.0,
        "Image pulls, log shipping and third-party API calls leaving the private subnets.",
        |s| s.network.outbound_gb, |s, v| s.network.outbound_gb = v;
    LogGb, Network, "log_gb", "Logs ingested", "GB/month", 0.0, 100000.0, 1.0,
        "CloudWatch Logs volume written by the tasks each month.",
        |s| s.network.log_gb_per_month, |s, v| s.network.log_gb_per_month = v;
    LogRetention, Network, "log_retention", "Log retention", "months", 0.0, 120.0, 1.0,
        "How long logs are kept; stored volume = monthly volume x months.",
        |s| s.network.log_retention_months, |s, v| s.network.log_retention_months = v;
    Secrets, Network, "secrets", "Secrets", "secrets", 0.0, 100.0, 1.0,
        "Secrets Manager secrets (DATABASE_URL, REDIS_URL, API keys...).",
        |s| s.network.secrets as f64, |s, v| s.network.secrets = v.round() as u32;
}

impl Field {
    pub fn spec(self) -> &'static FieldSpec {
        FIELDS.iter().find(|f| f.field == self).expect("every field has a spec")
    }
    pub fn by_id(id: &str) -> Option<Field> {
        FIELDS.iter().find(|f| f.id == id).map(|f| f.field)
    }
    /// Where the field is in the scenario's JSON, as errors name it.
    pub fn json_path(self) -> &'static str {
        match self {
            Field::PeakRps => "traffic.peak_rps",
            Field::PeakToAvg => "traffic.peak_to_avg",
            Field::PageViews => "traffic.monthly_page_views",
            Field::PageWeight => "traffic.page_weight_mb",
            Field::RequestsPerPage => "traffic.requests_per_page",
            Field::ReadShare => "traffic.read_share",
            Field::CacheHit => "traffic.cache_hit_ratio",
            Field::QueriesPerRequest => "traffic.db_queries_per_request",
            Field::ResponseKb => "traffic.response_kb",
            Field::S3Gb => "frontend.s3_storage_gb",
            Field::CdnHit => "frontend.cdn_hit_ratio",
            Field::TasksMin => "backend.tasks_min",
            Field::TasksAverage => "backend.tasks_average",
            Field::TasksMax => "backend.tasks_max",
            Field::CpuMs => "backend.cpu_ms_per_request",
            Field::IoWaitMs => "backend.io_wait_ms",
            Field::TargetCpu => "backend.target_cpu_utilisation",
            Field::SpotShare => "backend.spot_share",
            Field::SpotDiscount => "backend.spot_discount",
            Field::DbPool => "backend.db_pool_per_task",
            Field::Ec2Count => "backend.ec2_count",
            Field::AlbRules => "alb.rules_per_request",
            Field::ReqPerConn => "alb.requests_per_connection",
            Field::AlbNodes => "alb.nodes",
            Field::Replicas => "database.read_replicas",
            Field::DbStorage => "database.storage_gb",
            Field::BackupDays => "database.backup_retention_days",
            Field::DbQps => "database.qps_per_vcpu",
            Field::Shards => "cache.shards",
            Field::CacheReplicas => "cache.replicas_per_shard",
            Field::WorkingSet => "cache.working_set_gb",
            Field::Azs => "network.azs",
            Field::OutboundGb => "network.outbound_gb",
            Field::LogGb => "network.log_gb_per_month",
            Field::LogRetention => "network.log_retention_months",
            Field::Secrets => "network.secrets",
        }
    }
}
