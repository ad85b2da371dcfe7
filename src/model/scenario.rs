//! `Scenario`: everything a user can set. Plain data with serde, plus a table of numeric
//! fields (`Field`) that gives the UI its sliders and the validator its ranges.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Version of the scenario schema, carried by share links, saved values and files.
pub const SCENARIO_SCHEMA: u32 = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LaunchType {
    Fargate,
    Ec2,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Arch {
    X86,
    Arm,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StorageType {
    Gp2,
    Gp3,
}

/// Where most of the frontend's viewers are: CloudFront prices by viewer geography.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CdnGeo {
    Us,
    Europe,
    Japan,
    Australia,
    SouthAmerica,
    India,
}

impl CdnGeo {
    pub const ALL: [CdnGeo; 6] = [CdnGeo::Us, CdnGeo::Europe, CdnGeo::Japan, CdnGeo::Australia, CdnGeo::SouthAmerica, CdnGeo::India];
    pub fn key(self) -> &'static str {
        match self {
            CdnGeo::Us => "us",
            CdnGeo::Europe => "europe",
            CdnGeo::Japan => "japan",
            CdnGeo::Australia => "australia",
            CdnGeo::SouthAmerica => "south_america",
            CdnGeo::India => "india",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            CdnGeo::Us => "US, Canada, Mexico",
            CdnGeo::Europe => "Europe, Israel",
            CdnGeo::Japan => "Japan",
            CdnGeo::Australia => "Australia, New Zealand",
            CdnGeo::SouthAmerica => "South America",
            CdnGeo::India => "India",
        }
    }
    /// The cheapest CloudFront price class that serves this geography from nearby edges.
    pub fn price_class(self) -> &'static str {
        match self {
            CdnGeo::Us | CdnGeo::Europe => "PriceClass_100",
            CdnGeo::Japan | CdnGeo::India => "PriceClass_200",
            CdnGeo::Australia | CdnGeo::SouthAmerica => "PriceClass_All",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NetworkLayout {
    /// Tasks in public subnets with public IPv4 addresses.
    Public,
    /// Tasks in private subnets reaching out through one NAT gateway per AZ.
    PrivateNat,
    /// Private subnets with interface VPC endpoints (ECR, Logs, Secrets Manager) and no NAT.
    VpcEndpoints,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScalingPolicyKind {
    /// The seed's rule: out above 70% CPU, in below 30%.
    Step,
    TargetTracking,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Traffic {
    /// Peak API requests per second reaching the ALB.
    pub peak_rps: f64,
    /// Peak divided by the monthly average request rate.
    pub peak_to_avg: f64,
    pub monthly_page_views: f64,
    /// Average bytes a page view pulls from CloudFront, in MB.
    pub page_weight_mb: f64,
    /// Static-file requests per page view (to CloudFront).
    pub requests_per_page: f64,
    /// Share of DB queries that are reads, 0-1.
    pub read_share: f64,
    /// Share of reads served by Redis instead of the DB, 0-1.
    pub cache_hit_ratio: f64,
    pub db_queries_per_request: f64,
    /// Average API response size in KB (egress and ALB processed bytes).
    pub response_kb: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Frontend {
    pub s3_storage_gb: f64,
    pub cdn_geo: CdnGeo,
    /// Share of CloudFront requests served from edge caches (misses fetch from S3).
    pub cdn_hit_ratio: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Backend {
    pub launch_type: LaunchType,
    /// Fargate task CPU units (256 = 0.25 vCPU).
    pub task_cpu: u32,
    pub task_memory_mib: u32,
    pub tasks_min: u32,
    /// The average number of running tasks over the month (what the bill is based on).
    pub tasks_desired: u32,
    pub tasks_max: u32,
    pub arch: Arch,
    /// Share of tasks on Fargate Spot, 0-1.
    pub spot_share: f64,
    /// Spot discount against on-demand, 0-1 (AWS says "up to 70%"; rates vary).
    pub spot_discount: f64,
    /// CPU time one request needs on a full core, in ms.
    pub cpu_ms_per_request: f64,
    /// Time a request waits on DB/Redis/network without using CPU, in ms.
    pub io_wait_ms: f64,
    /// Utilisation the scaling policy aims for, 0-1.
    pub target_cpu_utilisation: f64,
    pub db_pool_per_task: u32,
    pub ephemeral_storage_gib: u32,
    pub ec2_instance: String,
    pub ec2_count: u32,
    pub ec2_ebs_gb: f64,
    pub container_port: u16,
    pub scaling_policy: ScalingPolicyKind,
    /// The seed's step rule: scale out above this CPU, in below `scale_in_cpu`.
    pub scale_out_cpu: f64,
    pub scale_in_cpu: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Alb {
    /// Listener rules evaluated per request (the first 10 are free of LCU charge).
    pub rules_per_request: f64,
    /// Requests carried by one client connection (keep-alive reuse).
    pub requests_per_connection: f64,
    /// How long a client connection stays open, in seconds.
    pub connection_seconds: f64,
    pub request_kb: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Database {
    pub class: String,
    pub multi_az: bool,
    pub read_replicas: u32,
    pub storage_gb: f64,
    pub storage_type: StorageType,
    pub backup_retention_days: u32,
    /// Share of the database that changes each day (sizes incremental backups), 0-1.
    pub daily_change: f64,
    /// Simple queries one vCPU serves per second: the DB capacity assumption.
    pub qps_per_vcpu: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cache {
    pub node_type: String,
    pub cluster_mode: bool,
    pub shards: u32,
    pub replicas_per_shard: u32,
    pub working_set_gb: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Network {
    pub layout: NetworkLayout,
    pub azs: u32,
    /// Traffic from tasks to the internet or AWS APIs through NAT/endpoints (GB a month).
    pub outbound_gb: f64,
    pub log_gb_per_month: f64,
    pub log_retention_months: f64,
    pub secrets: u32,
    pub ecr_storage_gb: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    #[serde(default = "schema_default")]
    pub schema: u32,
    pub name: String,
    pub region: String,
    /// Production tiers get availability warnings (single AZ, single task).
    pub production: bool,
    pub traffic: Traffic,
    pub frontend: Frontend,
    pub backend: Backend,
    pub alb: Alb,
    pub database: Database,
    pub cache: Cache,
    pub network: Network,
    /// The user's own unit prices (catalog key -> USD), e.g. a negotiated or Savings Plan rate.
    #[serde(default)]
    pub price_overrides: BTreeMap<String, f64>,
    /// Names and settings the exported files use.
    #[serde(default)]
    pub deploy: Deploy,
    /// The traffic over time the auto scaling simulation runs, and its scheduled minimum
    /// (exported as scheduled actions).
    #[serde(default)]
    pub simulation: crate::model::simulate::SimulationSettings,
}

/// What the exports need beyond the plan: names (checked against AWS's rules) and the image.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Deploy {
    /// Prefix of every resource name: cluster, service, DB identifier, buckets...
    pub app_name: String,
    /// Node.js major version of the container image (an LTS line).
    pub node_major: u32,
    pub health_check_path: String,
    pub db_name: String,
}

impl Default for Deploy {
    fn default() -> Self {
        Deploy { app_name: "bridge".into(), node_major: 24, health_check_path: "/health".into(), db_name: "bridge".into() }
    }
}

/// Node.js LTS lines offered for the image.
pub const NODE_LTS: [u32; 2] = [22, 24];

/// Checks an app name so that every resource named from it passes AWS's rules: RDS and
/// ElastiCache identifiers (letter first, letters/digits/hyphens, no `--`, no trailing `-`),
/// S3 bucket names (lowercase), ALB and target-group names (32 characters with suffixes).
pub fn check_app_name(name: &str) -> Result<(), String> {
    if name.is_empty() || name.len() > 20 {
        return Err("the app name must be 1 to 20 characters (ALB names with their suffix must fit 32)".into());
    }
    if !name.chars().next().is_some_and(|c| c.is_ascii_lowercase()) {
        return Err("the app name must start with a lowercase letter (RDS and ElastiCache identifiers require it)".into());
    }
    if let Some(c) = name.chars().find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-')) {
        return Err(format!("the app name may hold lowercase letters, digits and hyphens only, not `{c}` (S3 and RDS reject it)"));
    }
    if name.contains("--") || name.ends_with('-') {
        return Err("the app name cannot contain two hyphens in a row or end with a hyphen (RDS rejects it)".into());
    }
    Ok(())
}

/// A URL path for the health check: starts with `/`, no spaces or quotes, up to 1024 chars.
pub fn check_health_path(path: &str) -> Result<(), String> {
    if !path.starts_with('/') || path.len() > 1024 {
        return Err("the health-check path must start with / and be at most 1024 characters".into());
    }
    if let Some(c) = path.chars().find(|c| !(c.is_ascii_alphanumeric() || "/-._~%!$&()*+,;=:@?".contains(*c))) {
        return Err(format!("the health-check path cannot contain `{c}`"));
    }
    Ok(())
}

/// PostgreSQL database name for RDS: letter first, letters, digits and underscores, up to 63.
pub fn check_db_name(name: &str) -> Result<(), String> {
    if name.is_empty() || name.len() > 63 || !name.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) {
        return Err("the database name must start with a letter and be 1 to 63 characters".into());
    }
    if name.chars().any(|c| !(c.is_ascii_alphanumeric() || c == '_')) {
        return Err("the database name may hold letters, digits and underscores only".into());
    }
    Ok(())
}

fn schema_default() -> u32 {
    SCENARIO_SCHEMA
}

impl Scenario {
    pub fn task_vcpu(&self) -> f64 {
        self.backend.task_cpu as f64 / 1024.0
    }
    pub fn task_memory_gb(&self) -> f64 {
        self.backend.task_memory_mib as f64 / 1024.0
    }
    /// Average API requests per second over the month.
    pub fn avg_rps(&self) -> f64 {
        self.traffic.peak_rps / self.traffic.peak_to_avg.max(1.0)
    }
    pub fn monthly_api_requests(&self, hours_per_month: f64) -> f64 {
        self.avg_rps() * hours_per_month * 3600.0
    }
}

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
    pub const ALL: [Group; 6] = [Group::Traffic, Group::Frontend, Group::Backend, Group::Database, Group::Cache, Group::Network];
    pub fn label(self) -> &'static str {
        match self {
            Group::Traffic => "Traffic",
            Group::Frontend => "Frontend (S3 + CloudFront)",
            Group::Backend => "Backend (ALB + ECS)",
            Group::Database => "Database (RDS PostgreSQL)",
            Group::Cache => "Cache (ElastiCache Redis)",
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
    ($( $variant:ident, $group:ident, $id:literal, $label:literal, $unit:literal, $min:expr, $max:expr, $step:expr, $help:literal, |$s:ident| $get:expr, |$t:ident, $v:ident| $set:expr; )*) => {
        /// A numeric scenario input that has a slider.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Field { $($variant),* }

        pub const FIELDS: &[FieldSpec] = &[
            $(FieldSpec { field: Field::$variant, group: Group::$group, id: $id, label: $label, unit: $unit,
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
        "Peak rate divided by the monthly average; 3 means the average hour carries a third of the peak.",
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
    QueriesPerRequest, Traffic, "queries_per_request", "DB queries per request", "queries", 0.0, 50.0, 0.5,
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
    TasksDesired, Backend, "tasks_desired", "Average tasks", "tasks", 0.0, 200.0, 1.0,
        "Tasks running on average over the month (the seed's \"5 tasks avg\"): the Fargate bill.",
        |s| s.backend.tasks_desired as f64, |s, v| s.backend.tasks_desired = v.round() as u32;
    TasksMax, Backend, "tasks_max", "Maximum tasks", "tasks", 1.0, 200.0, 1.0,
        "Auto scaling never goes above this count; the capacity at peak.",
        |s| s.backend.tasks_max as f64, |s, v| s.backend.tasks_max = v.round() as u32;
    CpuMs, Backend, "cpu_ms", "CPU per request", "ms", 0.1, 1000.0, 0.1,
        "CPU time one request takes on a full core. Node.js runs one request at a time per process.",
        |s| s.backend.cpu_ms_per_request, |s, v| s.backend.cpu_ms_per_request = v;
    IoWaitMs, Backend, "io_wait_ms", "I/O wait per request", "ms", 0.0, 2000.0, 1.0,
        "Time waiting on PostgreSQL, Redis and the network; adds to latency, not to CPU.",
        |s| s.backend.io_wait_ms, |s, v| s.backend.io_wait_ms = v;
    TargetCpu, Backend, "target_cpu", "Target CPU", "%", 10.0, 95.0, 1.0,
        "Utilisation the planner sizes the peak for (and target tracking aims at).",
        |s| s.backend.target_cpu_utilisation * 100.0, |s, v| s.backend.target_cpu_utilisation = v / 100.0;
    SpotShare, Backend, "spot_share", "Fargate Spot share", "%", 0.0, 100.0, 5.0,
        "Share of tasks on Fargate Spot: cheaper, but can be reclaimed with two minutes' notice.",
        |s| s.backend.spot_share * 100.0, |s, v| s.backend.spot_share = v / 100.0;
    SpotDiscount, Backend, "spot_discount", "Spot discount", "%", 0.0, 90.0, 1.0,
        "Assumption: AWS says \"up to 70%\" off and the rate varies. Edit to your observed rate.",
        |s| s.backend.spot_discount * 100.0, |s, v| s.backend.spot_discount = v / 100.0;
    DbPool, Backend, "db_pool", "DB pool per task", "connections", 1.0, 100.0, 1.0,
        "Connections each task's pool opens to the primary (and to a replica).",
        |s| s.backend.db_pool_per_task as f64, |s, v| s.backend.db_pool_per_task = v.round() as u32;
    Ec2Count, Backend, "ec2_count", "EC2 instances", "instances", 1.0, 100.0, 1.0,
        "Fixed fleet size (the seed's option 2); one Node.js process per vCPU.",
        |s| s.backend.ec2_count as f64, |s, v| s.backend.ec2_count = v.round() as u32;
    AlbRules, Backend, "alb_rules", "ALB rules per request", "rules", 0.0, 100.0, 1.0,
        "Listener rules evaluated per request; the first 10 are free of LCU charge.",
        |s| s.alb.rules_per_request, |s, v| s.alb.rules_per_request = v;
    ReqPerConn, Backend, "req_per_conn", "Requests per connection", "req", 1.0, 1000.0, 1.0,
        "Keep-alive reuse: how many requests one client connection carries (new-connection LCUs).",
        |s| s.alb.requests_per_connection, |s, v| s.alb.requests_per_connection = v;
    Replicas, Database, "replicas", "Read replicas", "replicas", 0.0, 5.0, 1.0,
        "Read replicas take the reads that miss Redis; each is billed as its own instance.",
        |s| s.database.read_replicas as f64, |s, v| s.database.read_replicas = v.round() as u32;
    DbStorage, Database, "db_storage", "DB storage", "GB", 20.0, 65536.0, 1.0,
        "Provisioned storage (gp2/gp3), billed twice with Multi-AZ and again per replica.",
        |s| s.database.storage_gb, |s, v| s.database.storage_gb = v;
    BackupDays, Database, "backup_days", "Backup retention", "days", 0.0, 35.0, 1.0,
        "Automated backups kept; storage beyond 100% of the DB size is billed.",
        |s| s.database.backup_retention_days as f64, |s, v| s.database.backup_retention_days = v.round() as u32;
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
        "Data Redis must hold (sessions, hot rows) for the hit ratio above.",
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
}

/// A rejected input: which field, and why, in words a user can act on.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl Scenario {
    /// Returns a copy with `field` set to `value`, or why the value is refused. The scenario
    /// itself is never changed by a bad value.
    pub fn with_field(&self, field: Field, value: f64) -> Result<Scenario, FieldError> {
        let spec = field.spec();
        if !value.is_finite() {
            return Err(FieldError { field: spec.id.into(), message: format!("{} must be a number", spec.label) });
        }
        if value < spec.min || value > spec.max {
            return Err(FieldError {
                field: spec.id.into(),
                message: format!("{} must be between {} and {} {}", spec.label, spec.min, spec.max, spec.unit),
            });
        }
        let mut next = self.clone();
        next.set(field, value);
        // Keep min <= desired <= max: moving one drags the others, as a user expects.
        match field {
            Field::TasksMin => {
                next.backend.tasks_desired = next.backend.tasks_desired.max(next.backend.tasks_min);
                next.backend.tasks_max = next.backend.tasks_max.max(next.backend.tasks_desired).max(1);
            }
            Field::TasksDesired => {
                next.backend.tasks_min = next.backend.tasks_min.min(next.backend.tasks_desired);
                next.backend.tasks_max = next.backend.tasks_max.max(next.backend.tasks_desired);
            }
            Field::TasksMax => {
                next.backend.tasks_desired = next.backend.tasks_desired.min(next.backend.tasks_max);
                next.backend.tasks_min = next.backend.tasks_min.min(next.backend.tasks_desired);
            }
            _ => {}
        }
        Ok(next)
    }

    /// Checks everything a user or a file can get wrong. Empty means valid.
    pub fn validate(&self, catalog: &crate::model::Catalog) -> Vec<FieldError> {
        let mut errors = Vec::new();
        let mut err = |field: &str, message: String| errors.push(FieldError { field: field.into(), message });
        if self.schema == 0 || self.schema > SCENARIO_SCHEMA {
            err("schema", format!("scenario schema {} is not supported (this planner reads 1 to {SCENARIO_SCHEMA})", self.schema));
        }
        for spec in FIELDS {
            let v = self.get(spec.field);
            if !v.is_finite() || v < spec.min || v > spec.max {
                err(spec.id, format!("{} is {v}, must be between {} and {} {}", spec.label, spec.min, spec.max, spec.unit));
            }
        }
        if !catalog.regions.contains_key(&self.region) {
            err(
                "region",
                format!("unknown region `{}`; known: {}", self.region, catalog.regions.keys().cloned().collect::<Vec<_>>().join(", ")),
            );
        }
        if !catalog.is_valid_fargate_size(self.backend.task_cpu, self.backend.task_memory_mib) {
            err(
                "backend.task_memory_mib",
                format!("{} CPU units with {} MiB is not a valid Fargate size", self.backend.task_cpu, self.backend.task_memory_mib),
            );
        }
        let b = &self.backend;
        if !(b.tasks_min <= b.tasks_desired && b.tasks_desired <= b.tasks_max) {
            err(
                "backend.tasks_desired",
                format!("task counts must satisfy min <= average <= max (got {} / {} / {})", b.tasks_min, b.tasks_desired, b.tasks_max),
            );
        }
        if !catalog.ec2_instances.contains_key(&b.ec2_instance) {
            err("backend.ec2_instance", format!("unknown EC2 instance type `{}`", b.ec2_instance));
        }
        if !(21..=200).contains(&b.ephemeral_storage_gib) && b.ephemeral_storage_gib != 20 {
            err("backend.ephemeral_storage_gib", "Fargate ephemeral storage must be 20 (included) to 200 GiB".into());
        }
        if b.container_port == 0 {
            err("backend.container_port", "container port must be 1-65535".into());
        }
        if !(b.scale_in_cpu < b.scale_out_cpu && b.scale_in_cpu > 0.0 && b.scale_out_cpu < 1.0) {
            err("backend.scale_in_cpu", "step scaling needs 0 < scale-in CPU < scale-out CPU < 100%".into());
        }
        if !catalog.rds_classes.contains_key(&self.database.class) {
            err("database.class", format!("unknown RDS class `{}`", self.database.class));
        }
        if !(0.0..=1.0).contains(&self.database.daily_change) {
            err("database.daily_change", "daily change must be between 0 and 1".into());
        }
        if !catalog.cache_nodes.contains_key(&self.cache.node_type) {
            err("cache.node_type", format!("unknown ElastiCache node type `{}`", self.cache.node_type));
        }
        if !self.cache.cluster_mode && self.cache.shards != 1 {
            err("cache.shards", "without cluster mode there is exactly one shard".into());
        }
        if let Err(e) = check_app_name(&self.deploy.app_name) {
            err("deploy.app_name", e);
        }
        if let Err(e) = check_health_path(&self.deploy.health_check_path) {
            err("deploy.health_check_path", e);
        }
        if let Err(e) = check_db_name(&self.deploy.db_name) {
            err("deploy.db_name", e);
        }
        if !NODE_LTS.contains(&self.deploy.node_major) {
            err("deploy.node_major", format!("Node.js {} is not an LTS line this planner offers ({NODE_LTS:?})", self.deploy.node_major));
        }
        let sim = &self.simulation;
        if !(0.0..=1.0).contains(&sim.trough_share) {
            err("simulation.trough_share", "the quietest traffic must be 0 to 100% of the peak".into());
        }
        if sim.startup_seconds > 600 {
            err("simulation.startup_seconds", "task start-up must be 0 to 600 seconds".into());
        }
        if let crate::model::simulate::Profile::Custom(hours) = &sim.profile {
            if hours.iter().any(|h| !(0.0..=1.0).contains(h)) {
                err("simulation.profile", "each hour of a custom day must be 0 to 100%".into());
            }
        }
        if let Some(sch) = sim.schedule {
            if !(sch.from_hour < sch.to_hour && sch.to_hour <= 24) {
                err("simulation.schedule", "the scheduled minimum needs 0 <= from hour < to hour <= 24".into());
            }
            if sch.min_tasks > b.tasks_max {
                err(
                    "simulation.schedule",
                    format!("the scheduled minimum ({}) is above the maximum tasks ({})", sch.min_tasks, b.tasks_max),
                );
            }
        }
        for (key, usd) in &self.price_overrides {
            if !catalog.prices.contains_key(key) {
                err("price_overrides", format!("unknown price `{key}`"));
            } else if !usd.is_finite() || *usd < 0.0 {
                err("price_overrides", format!("price `{key}` must be a non-negative number"));
            }
        }
        for (field, v) in [
            ("alb.connection_seconds", self.alb.connection_seconds),
            ("alb.request_kb", self.alb.request_kb),
            ("backend.ec2_ebs_gb", self.backend.ec2_ebs_gb),
            ("network.ecr_storage_gb", self.network.ecr_storage_gb),
        ] {
            if !v.is_finite() || v < 0.0 {
                err(field, format!("{field} must be a non-negative number"));
            }
        }
        errors
    }

    /// Parses a scenario from JSON and validates it; errors name the field.
    pub fn from_json(text: &str, catalog: &crate::model::Catalog) -> Result<Scenario, String> {
        let scenario: Scenario = serde_json::from_str(text).map_err(|e| {
            let path = crate::model::json_path::path_at(text, &e);
            if path == "." {
                format!("scenario: {e}")
            } else {
                format!("scenario: field `{path}`: {e}")
            }
        })?;
        let errors = scenario.validate(catalog);
        if let Some(first) = errors.first() {
            let more = if errors.len() > 1 { format!(" (and {} more)", errors.len() - 1) } else { String::new() };
            return Err(format!("scenario: field `{}`: {}{more}", first.field, first.message));
        }
        Ok(scenario)
    }
}
