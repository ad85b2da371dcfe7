//! `Scenario`: everything a user can set. Plain data with serde, plus a table of numeric
//! fields (`Field`) that gives the UI its sliders and the validator its ranges.

use crate::model::catalog::Catalog;
use crate::model::price_key::PriceKey;
use crate::model::simulate::{Horizon, Profile, Schedule, SimulationSettings};
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

impl LaunchType {
    pub const ALL: [LaunchType; 2] = [LaunchType::Fargate, LaunchType::Ec2];
    /// The choice named `key` (as `key()` gives it), if any.
    pub fn from_key(key: &str) -> Option<LaunchType> {
        LaunchType::ALL.into_iter().find(|c| c.key() == key)
    }
    /// The name in scenario files and share links.
    pub fn key(self) -> &'static str {
        match self {
            LaunchType::Fargate => "fargate",
            LaunchType::Ec2 => "ec2",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            LaunchType::Fargate => "ECS Fargate",
            LaunchType::Ec2 => "EC2 fleet (fixed)",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Arch {
    X86,
    Arm,
}

impl Arch {
    pub const ALL: [Arch; 2] = [Arch::X86, Arch::Arm];
    /// The choice named `key` (as `key()` gives it), if any.
    pub fn from_key(key: &str) -> Option<Arch> {
        Arch::ALL.into_iter().find(|c| c.key() == key)
    }
    /// The name in scenario files, share links and Fargate price keys.
    pub fn key(self) -> &'static str {
        match self {
            Arch::X86 => "x86",
            Arch::Arm => "arm",
        }
    }
    /// Short name in cost lines and summaries.
    pub fn label(self) -> &'static str {
        match self {
            Arch::X86 => "x86",
            Arch::Arm => "ARM",
        }
    }
    /// Name in a choice list.
    pub fn long_label(self) -> &'static str {
        match self {
            Arch::X86 => "x86_64",
            Arch::Arm => "ARM64 (Graviton)",
        }
    }
    /// `runtimePlatform.cpuArchitecture` of an ECS task definition.
    /// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#runtime-platform
    pub fn ecs_cpu_architecture(self) -> &'static str {
        match self {
            Arch::X86 => "X86_64",
            Arch::Arm => "ARM64",
        }
    }
    /// `docker build --platform` value of an image for this architecture.
    pub fn docker_platform(self) -> &'static str {
        match self {
            Arch::X86 => "linux/amd64",
            Arch::Arm => "linux/arm64",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StorageType {
    Gp2,
    Gp3,
}

impl StorageType {
    pub const ALL: [StorageType; 2] = [StorageType::Gp2, StorageType::Gp3];
    /// The storage type named `key` (as `key()` gives it), if any.
    pub fn from_key(key: &str) -> Option<StorageType> {
        StorageType::ALL.into_iter().find(|c| c.key() == key)
    }
    /// The name in scenario files, RDS's `--storage-type` and the storage price key.
    pub fn key(self) -> &'static str {
        match self {
            StorageType::Gp2 => "gp2",
            StorageType::Gp3 => "gp3",
        }
    }
}

/// Where most of the frontend's viewers are: CloudFront prices by viewer geography.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
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
    pub const ALL: [CdnGeo; 6] = [
        CdnGeo::Us,
        CdnGeo::Europe,
        CdnGeo::Japan,
        CdnGeo::Australia,
        CdnGeo::SouthAmerica,
        CdnGeo::India,
    ];
    /// The choice named `key` (as `key()` gives it), if any.
    pub fn from_key(key: &str) -> Option<CdnGeo> {
        CdnGeo::ALL.into_iter().find(|c| c.key() == key)
    }
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

impl NetworkLayout {
    pub const ALL: [NetworkLayout; 3] =
        [NetworkLayout::Public, NetworkLayout::PrivateNat, NetworkLayout::VpcEndpoints];
    /// The choice named `key` (as `key()` gives it), if any.
    pub fn from_key(key: &str) -> Option<NetworkLayout> {
        NetworkLayout::ALL.into_iter().find(|c| c.key() == key)
    }
    /// The name in scenario files and share links.
    pub fn key(self) -> &'static str {
        match self {
            NetworkLayout::Public => "public",
            NetworkLayout::PrivateNat => "private_nat",
            NetworkLayout::VpcEndpoints => "vpc_endpoints",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            NetworkLayout::Public => "Public subnets",
            NetworkLayout::PrivateNat => "Private subnets + NAT",
            NetworkLayout::VpcEndpoints => "Private subnets + VPC endpoints",
        }
    }
}

/// How the ALB picks a target for each request: the target group's
/// `load_balancing.algorithm.type` attribute (round robin unless set).
/// <https://docs.aws.amazon.com/elasticloadbalancing/latest/application/edit-target-group-attributes.html#modify-routing-algorithm>
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Routing {
    #[default]
    RoundRobin,
    LeastOutstandingRequests,
}

impl Routing {
    pub const ALL: [Routing; 2] = [Routing::RoundRobin, Routing::LeastOutstandingRequests];
    /// The choice named `key` (as `key()` gives it), if any.
    pub fn from_key(key: &str) -> Option<Routing> {
        Routing::ALL.into_iter().find(|c| c.key() == key)
    }
    /// The name in scenario files and share links: the target-group attribute's value.
    pub fn key(self) -> &'static str {
        self.target_group_algorithm()
    }
    pub fn label(self) -> &'static str {
        match self {
            Routing::RoundRobin => "Round robin (ALB default)",
            Routing::LeastOutstandingRequests => "Least outstanding requests",
        }
    }
    /// The value of the target-group attribute `load_balancing.algorithm.type`.
    pub fn target_group_algorithm(self) -> &'static str {
        match self {
            Routing::RoundRobin => "round_robin",
            Routing::LeastOutstandingRequests => "least_outstanding_requests",
        }
    }
}

/// ElastiCache engine: Valkey nodes cost less than Redis OSS nodes of the same type.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum CacheEngine {
    #[default]
    Redis,
    Valkey,
}

impl CacheEngine {
    pub const ALL: [CacheEngine; 2] = [CacheEngine::Redis, CacheEngine::Valkey];
    /// The choice named `key` (as `key()` gives it), if any.
    pub fn from_key(key: &str) -> Option<CacheEngine> {
        CacheEngine::ALL.into_iter().find(|c| c.key() == key)
    }
    /// The `--engine` value of `aws elasticache create-replication-group` / `create-cache-cluster`.
    pub fn key(self) -> &'static str {
        match self {
            CacheEngine::Redis => "redis",
            CacheEngine::Valkey => "valkey",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            CacheEngine::Redis => "Redis OSS",
            CacheEngine::Valkey => "Valkey",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScalingPolicyKind {
    /// The document's rule: out above 70% CPU, in below 30%.
    Step,
    TargetTracking,
}

impl ScalingPolicyKind {
    pub const ALL: [ScalingPolicyKind; 2] =
        [ScalingPolicyKind::Step, ScalingPolicyKind::TargetTracking];
    /// The choice named `key` (as `key()` gives it), if any.
    pub fn from_key(key: &str) -> Option<ScalingPolicyKind> {
        ScalingPolicyKind::ALL.into_iter().find(|c| c.key() == key)
    }
    /// The name in scenario files and share links.
    pub fn key(self) -> &'static str {
        match self {
            ScalingPolicyKind::Step => "step",
            ScalingPolicyKind::TargetTracking => "target_tracking",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            ScalingPolicyKind::Step => "Step scaling (70% / 30%)",
            ScalingPolicyKind::TargetTracking => "Target tracking",
        }
    }
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
    /// The average number of running tasks over the month (what the bill is based on without
    /// auto scaling). Called `tasks_desired` in files and links made before 2026-11-29.
    #[serde(alias = "tasks_desired")]
    pub tasks_average: u32,
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
    /// The document's step rule: scale out above this CPU, in below `scale_in_cpu`.
    pub scale_out_cpu: f64,
    pub scale_in_cpu: f64,
    /// Node.js cluster mode: one worker process per whole vCPU of the task (at least one), so a
    /// task larger than 1 vCPU uses all of it.
    #[serde(default)]
    pub node_cluster: bool,
}

impl Backend {
    /// Node.js processes in one Fargate task: 1, or one per whole vCPU in cluster mode (the
    /// Dockerfile then starts that many workers).
    pub fn node_workers(&self) -> u32 {
        if self.node_cluster {
            (self.task_cpu / 1024).max(1)
        } else {
            1
        }
    }
    /// CPU (in vCPUs) each Node.js process of a Fargate task can use: its share of the task,
    /// at most one core (a process runs JavaScript on one thread).
    pub fn cores_per_worker(&self) -> f64 {
        (self.task_cpu as f64 / 1024.0 / self.node_workers() as f64).min(1.0)
    }
    /// The highest `CPUUtilization` ECS can report for a task: CPU the processes can use over
    /// CPU reserved. One process on 2 vCPU: 50%.
    /// <https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service_utilization.html>
    pub fn max_cpu_metric(&self) -> f64 {
        let vcpu = self.task_cpu as f64 / 1024.0;
        if vcpu > 0.0 {
            (self.node_workers() as f64 * self.cores_per_worker() / vcpu).min(1.0)
        } else {
            0.0
        }
    }
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
    /// The target group's routing algorithm (files and links without it are round robin).
    #[serde(default)]
    pub routing: Routing,
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
    /// Redis OSS or Valkey (files and links without it are Redis).
    #[serde(default)]
    pub engine: CacheEngine,
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
    pub simulation: SimulationSettings,
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
        Deploy {
            app_name: "bridge".into(),
            node_major: 24,
            health_check_path: "/health".into(),
            db_name: "bridge".into(),
        }
    }
}

/// Node.js LTS lines offered for the image.
pub const NODE_LTS: [u32; 2] = [22, 24];

/// Prefixes AWS reserves in names made from the app name: ECS capacity providers cannot start
/// with `aws`, `ecs` or `fargate` (ECS CreateCapacityProvider), SSM parameter names with `aws` or
/// `ssm` (SSM PutParameter), ALB names with `internal-` (ELBv2 CreateLoadBalancer), S3 bucket
/// names with `sthree-` or `amzn-s3-demo-` (S3 bucket naming rules).
const RESERVED_APP_PREFIXES: [&str; 7] =
    ["aws", "ecs", "fargate", "ssm", "internal-", "sthree-", "amzn-s3-demo-"];

/// Checks an app name so that every resource named from it passes AWS's rules: RDS and
/// ElastiCache identifiers (letter first, letters/digits/hyphens, no `--`, no trailing `-`),
/// S3 bucket names (lowercase), ALB and target-group names (32 characters with suffixes), and
/// the reserved prefixes above.
pub fn check_app_name(name: &str) -> Result<(), String> {
    if name.is_empty() || name.len() > 20 {
        return Err(
            "the app name must be 1 to 20 characters (ALB names with their suffix must fit 32)"
                .into(),
        );
    }
    if !name.chars().next().is_some_and(|c| c.is_ascii_lowercase()) {
        return Err("the app name must start with a lowercase letter (RDS and ElastiCache identifiers require it)".into());
    }
    if let Some(c) =
        name.chars().find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
    {
        return Err(format!("the app name may hold lowercase letters, digits and hyphens only, not `{c}` (S3 and RDS reject it)"));
    }
    if name.contains("--") || name.ends_with('-') {
        return Err("the app name cannot contain two hyphens in a row or end with a hyphen (RDS rejects it)".into());
    }
    if let Some(prefix) = RESERVED_APP_PREFIXES.iter().find(|p| name.starts_with(*p)) {
        return Err(format!("the app name cannot start with `{prefix}` (AWS reserves it for ECS, SSM, ALB or S3 names)"));
    }
    Ok(())
}

/// A health-check path as the ALB sends it in its request line: `/` first, at most 1024
/// characters (ELBv2 CreateTargetGroup `HealthCheckPath`), and only what RFC 3986 allows in a
/// path and query: unreserved `A-Za-z0-9-._~`, sub-delims `!$&'()*+,;=`, `:`, `@`, `/`, `?`,
/// and `%` followed by two hex digits. No space, `"`, `#`, `\`, backtick or control character.
pub fn check_health_path(path: &str) -> Result<(), String> {
    if !path.starts_with('/') || path.len() > 1024 {
        return Err("the health-check path must start with / and be at most 1024 characters".into());
    }
    if let Some(c) =
        path.chars().find(|c| !(c.is_ascii_alphanumeric() || "-._~!$&'()*+,;=:@/?%".contains(*c)))
    {
        return Err(format!(
            "the health-check path cannot contain `{}` (RFC 3986 allows letters, digits and -._~!$&'()*+,;=:@/?%)",
            c.escape_default()
        ));
    }
    let bytes = path.as_bytes();
    for (i, _) in path.match_indices('%') {
        if !(bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
            && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
        {
            return Err(
                "in the health-check path, % must be followed by two hex digits (e.g. %20)".into(),
            );
        }
    }
    Ok(())
}

/// A user's price for a catalog key: a non-negative number of dollars per unit.
pub fn check_price_override(v: f64) -> Result<f64, String> {
    if v.is_finite() && v >= 0.0 {
        Ok(v)
    } else {
        Err("A price must be zero or more dollars; the plan keeps the last valid price".into())
    }
}

/// PostgreSQL's reserved key words (PostgreSQL documentation, Appendix C, "reserved"): RDS
/// refuses them as the initial database name (RDS CreateDBInstance `DBName`).
const POSTGRES_RESERVED: [&str; 101] = [
    "all",
    "analyse",
    "analyze",
    "and",
    "any",
    "array",
    "as",
    "asc",
    "asymmetric",
    "authorization",
    "binary",
    "both",
    "case",
    "cast",
    "check",
    "collate",
    "collation",
    "column",
    "concurrently",
    "constraint",
    "create",
    "cross",
    "current_catalog",
    "current_date",
    "current_role",
    "current_schema",
    "current_time",
    "current_timestamp",
    "current_user",
    "default",
    "deferrable",
    "desc",
    "distinct",
    "do",
    "else",
    "end",
    "except",
    "false",
    "fetch",
    "for",
    "foreign",
    "freeze",
    "from",
    "full",
    "grant",
    "group",
    "having",
    "ilike",
    "in",
    "initially",
    "inner",
    "intersect",
    "into",
    "is",
    "isnull",
    "join",
    "lateral",
    "leading",
    "left",
    "like",
    "limit",
    "localtime",
    "localtimestamp",
    "natural",
    "not",
    "notnull",
    "null",
    "offset",
    "on",
    "only",
    "or",
    "order",
    "outer",
    "overlaps",
    "placing",
    "primary",
    "references",
    "returning",
    "right",
    "select",
    "session_user",
    "similar",
    "some",
    "symmetric",
    "system_user",
    "table",
    "tablesample",
    "then",
    "to",
    "trailing",
    "true",
    "union",
    "unique",
    "user",
    "using",
    "variadic",
    "verbose",
    "when",
    "where",
    "window",
    "with",
];

/// PostgreSQL database name for RDS: letter first, letters, digits and underscores, up to 63,
/// not a reserved word.
pub fn check_db_name(name: &str) -> Result<(), String> {
    if name.is_empty()
        || name.len() > 63
        || !name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
    {
        return Err("the database name must start with a letter and be 1 to 63 characters".into());
    }
    if name.chars().any(|c| !(c.is_ascii_alphanumeric() || c == '_')) {
        return Err("the database name may hold letters, digits and underscores only".into());
    }
    if POSTGRES_RESERVED.contains(&name.to_ascii_lowercase().as_str()) {
        return Err(format!(
            "`{name}` is a PostgreSQL reserved word, which RDS refuses as a database name"
        ));
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

/// Fargate includes this much ephemeral storage in a task's price; more is billed per GB-hour.
/// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-task-storage.html
pub const FARGATE_EPHEMERAL_INCLUDED_GIB: u32 = 20;
/// The most ephemeral storage a Fargate task can have (same page).
pub const FARGATE_EPHEMERAL_MAX_GIB: u32 = 200;

/// Connections PostgreSQL keeps for superusers (`superuser_reserved_connections`, 3 by
/// default), which the application's pools cannot use.
/// https://www.postgresql.org/docs/current/runtime-config-connection.html#GUC-SUPERUSER-RESERVED-CONNECTIONS
pub const DB_RESERVED_CONNECTIONS: u32 = 3;

/// The service's task counts as ECS and Application Auto Scaling are given them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TaskCounts {
    pub min: u32,
    pub desired: u32,
    pub max: u32,
}

impl Backend {
    /// Task counts with `min <= desired <= max` whatever the scenario holds (a valid scenario
    /// already has it): the exported service's `desiredCount` and the scaling target's
    /// `MinCapacity`/`MaxCapacity`.
    pub fn task_counts(&self) -> TaskCounts {
        let max = self.tasks_max.max(self.tasks_min);
        TaskCounts {
            min: self.tasks_min,
            desired: self.tasks_average.clamp(self.tasks_min, max),
            max,
        }
    }
    /// Ephemeral storage billed beyond what Fargate includes.
    pub fn extra_ephemeral_gib(&self) -> u32 {
        self.ephemeral_storage_gib.saturating_sub(FARGATE_EPHEMERAL_INCLUDED_GIB)
    }
}

impl Cache {
    /// Shards the cache runs: without cluster mode there is exactly one, whatever `shards` says.
    pub fn shards_in_use(&self) -> u32 {
        if self.cluster_mode {
            self.shards.max(1)
        } else {
            1
        }
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
    TasksAverage, Backend, "tasks_average", "Average tasks", "tasks", 0.0, 200.0, 1.0,
        "The planning document's \"5 tasks avg\": billed as entered when minimum = maximum; with auto scaling the bill is the simulated average and this count is the fixed alternative.",
        |s| s.backend.tasks_average as f64, |s, v| s.backend.tasks_average = v.round() as u32;
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
    DbPool, Backend, "db_pool", "DB pool per Node.js process", "connections", 1.0, 100.0, 1.0,
        "Connections each Node.js process's pool opens to the primary (and to a replica); in cluster mode every worker opens its own pool (DB_POOL_SIZE).",
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

/// A rejected input: the JSON path of the field (`backend.cpu_ms_per_request`), and why, in
/// words a user can act on.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// The problems `Scenario::validate` collects, in the order its checks run.
#[derive(Default)]
struct Problems(Vec<FieldError>);

impl Problems {
    fn push(&mut self, field: &str, message: String) {
        self.0.push(FieldError { field: field.into(), message });
    }
}

/// Why a scenario (text, or an edit) was refused. Every message names the JSON path of the
/// field at fault when there is one.
#[derive(Debug, Clone, PartialEq)]
pub enum ScenarioError {
    /// The text is not a scenario at all (not JSON, another file format or schema).
    NotAScenario(String),
    /// A value of the wrong type, a missing or an unknown field, at `path` ("." for the top).
    Parse { path: String, message: String },
    /// Parsed, but values break the rules; the first one first.
    Invalid(Vec<FieldError>),
}

impl ScenarioError {
    /// The first field at fault, when one is known.
    pub fn field(&self) -> Option<&str> {
        match self {
            ScenarioError::NotAScenario(_) => None,
            ScenarioError::Parse { path, .. } => Some(path.as_str()).filter(|p| *p != "."),
            ScenarioError::Invalid(errors) => errors.first().map(|e| e.field.as_str()),
        }
    }
    /// What is wrong, without the field's path (for a message shown beside the input).
    pub fn message(&self) -> String {
        match self {
            ScenarioError::NotAScenario(m) | ScenarioError::Parse { message: m, .. } => m.clone(),
            ScenarioError::Invalid(errors) => {
                errors.first().map(|e| e.message.clone()).unwrap_or_default()
            }
        }
    }
}

impl std::fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ScenarioError::NotAScenario(message) => f.write_str(message),
            ScenarioError::Parse { path, message } if path == "." => {
                write!(f, "scenario: {message}")
            }
            ScenarioError::Parse { path, message } => {
                write!(f, "scenario: field `{path}`: {message}")
            }
            ScenarioError::Invalid(errors) => {
                let Some(first) = errors.first() else { return f.write_str("scenario: invalid") };
                let more = if errors.len() > 1 {
                    format!(" (and {} more)", errors.len() - 1)
                } else {
                    String::new()
                };
                write!(f, "scenario: field `{}`: {}{more}", first.field, first.message)
            }
        }
    }
}

impl std::error::Error for ScenarioError {}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// One edit a user makes. The app writes the scenario only through `Scenario::apply`, so
/// every input is checked by the same rules, and the rules that tie fields together live here.
// One edit is made per user event: a custom day's 24 hours inline cost nothing that matters.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    /// A numeric input (slider and number field), in the field's unit.
    Field(Field, f64),
    Region(String),
    Production(bool),
    CdnGeo(CdnGeo),
    LaunchType(LaunchType),
    /// A Fargate size: CPU units and memory in MiB.
    TaskSize {
        cpu: u32,
        memory_mib: u32,
    },
    Arch(Arch),
    Ec2Instance(String),
    ScalingPolicy(ScalingPolicyKind),
    /// Node.js cluster mode: one worker process per vCPU in each task.
    NodeCluster(bool),
    /// The ALB target group's routing algorithm.
    Routing(Routing),
    CacheEngine(CacheEngine),
    DbClass(String),
    MultiAz(bool),
    CacheNode(String),
    /// Turning cluster mode off leaves exactly one shard.
    ClusterMode(bool),
    NetworkLayout(NetworkLayout),
    /// The user's price for a catalog price; `None` returns to the catalog's.
    PriceOverride(PriceKey, Option<f64>),
    SimProfile(Profile),
    /// A custom day, starting from the shape of the current profile.
    SimCustomDay,
    /// One hour of the custom day, in percent of the way from the quietest traffic to the peak.
    SimCustomHour {
        hour: usize,
        pct: f64,
    },
    SimHorizon(Horizon),
    /// Quietest traffic in percent of the peak.
    SimTroughPct(f64),
    SimStartupSeconds(u32),
    /// The scheduled minimum on weekdays (`Schedule::business_hours`), or none.
    SimScheduledMinimum(bool),
    AppName(String),
    DbName(String),
    HealthCheckPath(String),
    NodeMajor(u32),
}

impl Scenario {
    /// Returns the scenario with `edit` made, or why it is refused: an edit that makes a
    /// field invalid (by `validate`'s rules) is refused with that field's message, and the
    /// scenario itself is never changed.
    pub fn apply(&self, edit: Edit, catalog: &Catalog) -> Result<Scenario, ScenarioError> {
        let next = self.edited(edit).map_err(|e| ScenarioError::Invalid(vec![e]))?;
        // Only what this edit breaks: a field already invalid (an old file) does not block
        // every other edit.
        let before: Vec<String> = self.validate(catalog).into_iter().map(|e| e.field).collect();
        let broken: Vec<FieldError> =
            next.validate(catalog).into_iter().filter(|e| !before.contains(&e.field)).collect();
        if broken.is_empty() {
            Ok(next)
        } else {
            Err(ScenarioError::Invalid(broken))
        }
    }

    /// The edit itself, with the rules that move other fields along.
    fn edited(&self, edit: Edit) -> Result<Scenario, FieldError> {
        let mut next = self.clone();
        let (b, sim) = (&mut next.backend, &mut next.simulation);
        match edit {
            Edit::Field(field, value) => return self.with_field(field, value),
            Edit::Region(region) => next.region = region,
            Edit::Production(on) => next.production = on,
            Edit::CdnGeo(geo) => next.frontend.cdn_geo = geo,
            Edit::LaunchType(launch) => b.launch_type = launch,
            Edit::TaskSize { cpu, memory_mib } => {
                (b.task_cpu, b.task_memory_mib) = (cpu, memory_mib)
            }
            Edit::Arch(arch) => b.arch = arch,
            Edit::Ec2Instance(name) => b.ec2_instance = name,
            Edit::ScalingPolicy(policy) => b.scaling_policy = policy,
            Edit::NodeCluster(on) => b.node_cluster = on,
            Edit::Routing(routing) => next.alb.routing = routing,
            Edit::CacheEngine(engine) => next.cache.engine = engine,
            Edit::DbClass(class) => next.database.class = class,
            Edit::MultiAz(on) => next.database.multi_az = on,
            Edit::CacheNode(node) => next.cache.node_type = node,
            Edit::ClusterMode(on) => {
                next.cache.cluster_mode = on;
                if !on {
                    next.cache.shards = 1;
                }
            }
            Edit::NetworkLayout(layout) => next.network.layout = layout,
            Edit::PriceOverride(key, None) => {
                next.price_overrides.remove(&key.key());
            }
            Edit::PriceOverride(key, Some(usd)) => {
                next.price_overrides.insert(key.key(), usd);
            }
            Edit::SimProfile(profile) => sim.profile = profile,
            Edit::SimCustomDay => sim.profile = Profile::Custom(self.simulation.profile.hourly()),
            Edit::SimCustomHour { hour, pct } => match &mut sim.profile {
                Profile::Custom(hours) if hour < 24 => hours[hour] = pct / 100.0,
                _ => {
                    return Err(FieldError {
                        field: "simulation.profile".into(),
                        message: "only a custom day has hours to set".into(),
                    })
                }
            },
            Edit::SimHorizon(horizon) => sim.horizon = horizon,
            Edit::SimTroughPct(pct) => sim.trough_share = pct / 100.0,
            Edit::SimStartupSeconds(seconds) => sim.startup_seconds = seconds,
            Edit::SimScheduledMinimum(on) => {
                sim.schedule = on.then(|| Schedule::business_hours(self))
            }
            Edit::AppName(name) => next.deploy.app_name = name,
            Edit::DbName(name) => next.deploy.db_name = name,
            Edit::HealthCheckPath(path) => next.deploy.health_check_path = path,
            Edit::NodeMajor(major) => next.deploy.node_major = major,
        }
        Ok(next)
    }
}

impl Scenario {
    /// Returns a copy with `field` set to `value`, or why the value is refused. The scenario
    /// itself is never changed by a bad value.
    pub fn with_field(&self, field: Field, value: f64) -> Result<Scenario, FieldError> {
        let spec = field.spec();
        if !value.is_finite() {
            return Err(FieldError {
                field: field.json_path().into(),
                message: format!("{} must be a number", spec.label),
            });
        }
        if value < spec.min || value > spec.max {
            return Err(FieldError {
                field: field.json_path().into(),
                message: format!(
                    "{} must be between {} and {} {}",
                    spec.label, spec.min, spec.max, spec.unit
                ),
            });
        }
        // Minimum above maximum is a mistake to explain, not to fix silently.
        let (min, max) = (self.backend.tasks_min as f64, self.backend.tasks_max as f64);
        let crossed = match field {
            Field::TasksMin if value.round() > max => {
                Some(format!("Minimum tasks ({value:.0}) cannot be above the maximum ({max:.0}); raise Maximum tasks first"))
            }
            Field::TasksMax if value.round() < min => {
                Some(format!("Maximum tasks ({value:.0}) cannot be below the minimum ({min:.0}); lower Minimum tasks first"))
            }
            _ => None,
        };
        if let Some(message) = crossed {
            return Err(FieldError { field: field.json_path().into(), message });
        }
        if field == Field::Shards && !self.cache.cluster_mode && value.round() != 1.0 {
            return Err(FieldError {
                field: field.json_path().into(),
                message: "Without cluster mode there is exactly one shard; turn on cluster mode to add shards".into(),
            });
        }
        let mut next = self.clone();
        next.set(field, value);
        // Keep min <= desired <= max: moving one drags the others, as a user expects.
        match field {
            Field::TasksMin => {
                next.backend.tasks_average = next.backend.tasks_average.max(next.backend.tasks_min);
                next.backend.tasks_max =
                    next.backend.tasks_max.max(next.backend.tasks_average).max(1);
            }
            Field::TasksAverage => {
                next.backend.tasks_min = next.backend.tasks_min.min(next.backend.tasks_average);
                next.backend.tasks_max = next.backend.tasks_max.max(next.backend.tasks_average);
            }
            Field::TasksMax => {
                next.backend.tasks_average = next.backend.tasks_average.min(next.backend.tasks_max);
                next.backend.tasks_min = next.backend.tasks_min.min(next.backend.tasks_average);
                if let Some(schedule) = &mut next.simulation.schedule {
                    schedule.min_tasks = schedule.min_tasks.min(next.backend.tasks_max);
                }
            }
            _ => {}
        }
        Ok(next)
    }

    /// Checks everything a user or a file can get wrong. Empty means valid.
    pub fn validate(&self, catalog: &Catalog) -> Vec<FieldError> {
        let mut err = Problems::default();
        self.validate_inputs(catalog, &mut err);
        self.validate_backend(catalog, &mut err);
        self.validate_data_stores(catalog, &mut err);
        self.validate_deploy(&mut err);
        self.validate_simulation(&mut err);
        self.validate_prices_and_quantities(catalog, &mut err);
        err.0
    }

    /// The schema, every numeric input against its range, and the region.
    fn validate_inputs(&self, catalog: &Catalog, err: &mut Problems) {
        if self.schema == 0 || self.schema > SCENARIO_SCHEMA {
            err.push("schema", format!("scenario schema {} is not supported (this planner reads 1 to {SCENARIO_SCHEMA})", self.schema));
        }
        for spec in FIELDS {
            let v = self.get(spec.field);
            if !v.is_finite() || v < spec.min || v > spec.max {
                err.push(
                    spec.field.json_path(),
                    format!(
                        "{} is {v}, must be between {} and {} {}",
                        spec.label, spec.min, spec.max, spec.unit
                    ),
                );
            }
        }
        if !catalog.regions.contains_key(&self.region) {
            err.push(
                "region",
                format!(
                    "unknown region `{}`; known: {}",
                    self.region,
                    catalog.regions.keys().cloned().collect::<Vec<_>>().join(", ")
                ),
            );
        }
        if !catalog.is_valid_fargate_size(self.backend.task_cpu, self.backend.task_memory_mib) {
            err.push(
                "backend.task_memory_mib",
                format!(
                    "{} CPU units with {} MiB is not a valid Fargate size",
                    self.backend.task_cpu, self.backend.task_memory_mib
                ),
            );
        }
    }

    /// Task size and counts, Spot with ARM, the EC2 type, storage, port and scaling thresholds.
    fn validate_backend(&self, catalog: &Catalog, err: &mut Problems) {
        let b = &self.backend;
        if !(b.tasks_min <= b.tasks_average && b.tasks_average <= b.tasks_max) {
            err.push(
                "backend.tasks_average",
                format!(
                    "task counts must satisfy min <= average <= max (got {} / {} / {})",
                    b.tasks_min, b.tasks_average, b.tasks_max
                ),
            );
        }
        // "Linux tasks with the ARM64 architecture don't support the Fargate Spot capacity
        // provider." <https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-capacity-providers.html>
        if b.launch_type == LaunchType::Fargate && b.arch == Arch::Arm && b.spot_share > 0.0 {
            err.push(
                "backend.spot_share",
                "Fargate Spot does not run ARM64 tasks: choose x86_64 for a Spot share, or set the Spot share to 0".into(),
            );
        }
        if !catalog.ec2_instances.contains_key(&b.ec2_instance) {
            err.push(
                "backend.ec2_instance",
                format!("unknown EC2 instance type `{}`", b.ec2_instance),
            );
        }
        if !(FARGATE_EPHEMERAL_INCLUDED_GIB..=FARGATE_EPHEMERAL_MAX_GIB)
            .contains(&b.ephemeral_storage_gib)
        {
            err.push(
                "backend.ephemeral_storage_gib",
                format!("Fargate ephemeral storage must be {FARGATE_EPHEMERAL_INCLUDED_GIB} (included) to {FARGATE_EPHEMERAL_MAX_GIB} GiB"),
            );
        }
        if b.container_port == 0 {
            err.push("backend.container_port", "container port must be 1-65535".into());
        }
        if !(b.scale_in_cpu < b.scale_out_cpu && b.scale_in_cpu > 0.0 && b.scale_out_cpu < 1.0) {
            err.push(
                "backend.scale_in_cpu",
                "step scaling needs 0 < scale-in CPU < scale-out CPU < 100%".into(),
            );
        }
    }

    /// The RDS class, the daily change, the cache node and its shards.
    fn validate_data_stores(&self, catalog: &Catalog, err: &mut Problems) {
        if !catalog.rds_classes.contains_key(&self.database.class) {
            err.push("database.class", format!("unknown RDS class `{}`", self.database.class));
        }
        if !(0.0..=1.0).contains(&self.database.daily_change) {
            err.push("database.daily_change", "daily change must be between 0 and 1".into());
        }
        if !catalog.cache_nodes.contains_key(&self.cache.node_type) {
            err.push(
                "cache.node_type",
                format!("unknown ElastiCache node type `{}`", self.cache.node_type),
            );
        }
        if !self.cache.cluster_mode && self.cache.shards != 1 {
            err.push("cache.shards", "without cluster mode there is exactly one shard".into());
        }
    }

    /// The names and versions that reach AWS and the Dockerfile.
    fn validate_deploy(&self, err: &mut Problems) {
        if let Err(e) = check_app_name(&self.deploy.app_name) {
            err.push("deploy.app_name", e);
        }
        if let Err(e) = check_health_path(&self.deploy.health_check_path) {
            err.push("deploy.health_check_path", e);
        }
        if let Err(e) = check_db_name(&self.deploy.db_name) {
            err.push("deploy.db_name", e);
        }
        if !NODE_LTS.contains(&self.deploy.node_major) {
            err.push(
                "deploy.node_major",
                format!(
                    "Node.js {} is not an LTS line this planner offers ({NODE_LTS:?})",
                    self.deploy.node_major
                ),
            );
        }
    }

    /// The simulation's settings: trough, start-up, custom day or week, the schedule.
    fn validate_simulation(&self, err: &mut Problems) {
        let b = &self.backend;
        let sim = &self.simulation;
        if !SimulationSettings::TROUGH_SHARE.contains(&sim.trough_share) {
            err.push(
                "simulation.trough_share",
                "the quietest traffic must be 0 to 100% of the peak".into(),
            );
        }
        if sim.startup_seconds > SimulationSettings::STARTUP_SECONDS_MAX {
            err.push(
                "simulation.startup_seconds",
                format!(
                    "task start-up must be 0 to {} seconds",
                    SimulationSettings::STARTUP_SECONDS_MAX
                ),
            );
        }
        if let Profile::Custom(hours) = &sim.profile {
            if hours.iter().any(|h| !(0.0..=1.0).contains(h)) {
                err.push(
                    "simulation.profile",
                    "each hour of a custom day must be 0 to 100%".into(),
                );
            }
        }
        if let crate::model::simulate::Profile::CustomWeek { weekday, weekend } = &sim.profile {
            if weekday.iter().chain(weekend).any(|h| !(0.0..=1.0).contains(h)) {
                err.push(
                    "simulation.profile",
                    "each hour of a measured week must be 0 to 100%".into(),
                );
            }
        }
        if let Some(sch) = sim.schedule {
            if !(sch.from_hour < sch.to_hour && sch.to_hour <= 24) {
                err.push(
                    "simulation.schedule",
                    "the scheduled minimum needs 0 <= from hour < to hour <= 24".into(),
                );
            }
            if sch.min_tasks > b.tasks_max {
                err.push(
                    "simulation.schedule",
                    format!(
                        "the scheduled minimum ({}) is above the maximum tasks ({})",
                        sch.min_tasks, b.tasks_max
                    ),
                );
            }
        }
    }

    /// Price overrides (known key, non-negative) and the quantities without a slider.
    fn validate_prices_and_quantities(&self, catalog: &Catalog, err: &mut Problems) {
        for (key, usd) in &self.price_overrides {
            if !catalog.prices.contains_key(key) {
                err.push(&format!("price_overrides.{key}"), format!("unknown price `{key}`"));
            } else if !usd.is_finite() || *usd < 0.0 {
                err.push(
                    &format!("price_overrides.{key}"),
                    format!("price `{key}` must be a non-negative number"),
                );
            }
        }
        for (field, v) in [
            ("alb.connection_seconds", self.alb.connection_seconds),
            ("alb.request_kb", self.alb.request_kb),
            ("backend.ec2_ebs_gb", self.backend.ec2_ebs_gb),
            ("network.ecr_storage_gb", self.network.ecr_storage_gb),
        ] {
            if !v.is_finite() || v < 0.0 {
                err.push(field, format!("{field} must be a non-negative number"));
            }
        }
    }

    /// Parses a scenario from JSON and validates it; errors name the field by its JSON path.
    pub fn from_json(text: &str, catalog: &Catalog) -> Result<Scenario, ScenarioError> {
        let scenario: Scenario = serde_json::from_str(text).map_err(|e| ScenarioError::Parse {
            path: crate::model::json_path::path_at(text, &e),
            message: e.to_string(),
        })?;
        let errors = scenario.validate(catalog);
        if !errors.is_empty() {
            return Err(ScenarioError::Invalid(errors));
        }
        Ok(scenario)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The path each field names in errors is where `set` writes it in the JSON.
    #[test]
    fn every_field_names_its_json_path() {
        let base = crate::model::Tier::Large.scenario();
        let before = serde_json::to_value(&base).unwrap();
        for spec in FIELDS {
            let mut s = base.clone();
            let v = if s.get(spec.field) == spec.max { spec.min } else { spec.max };
            s.set(spec.field, v);
            let after = serde_json::to_value(&s).unwrap();
            let at = |json: &serde_json::Value| {
                spec.field.json_path().split('.').fold(json.clone(), |j, k| j[k].clone())
            };
            assert!(
                !at(&after).is_null(),
                "{} names `{}`, which is not in the JSON",
                spec.id,
                spec.field.json_path()
            );
            assert_ne!(
                at(&before),
                at(&after),
                "{} did not change `{}`",
                spec.id,
                spec.field.json_path()
            );
        }
    }

    #[test]
    fn choices_round_trip_through_their_key_as_serde_names_them() {
        fn check<T: Serialize + PartialEq + std::fmt::Debug + Copy>(
            all: &[T],
            key: fn(T) -> &'static str,
            from: fn(&str) -> Option<T>,
        ) {
            for &c in all {
                assert_eq!(
                    serde_json::to_value(c).unwrap(),
                    serde_json::Value::String(key(c).into())
                );
                assert_eq!(from(key(c)), Some(c));
            }
            assert_eq!(from("no-such-choice"), None);
        }
        check(&LaunchType::ALL, LaunchType::key, LaunchType::from_key);
        check(&Arch::ALL, Arch::key, Arch::from_key);
        check(&StorageType::ALL, StorageType::key, StorageType::from_key);
        check(&CdnGeo::ALL, CdnGeo::key, CdnGeo::from_key);
        check(&NetworkLayout::ALL, NetworkLayout::key, NetworkLayout::from_key);
        check(&ScalingPolicyKind::ALL, ScalingPolicyKind::key, ScalingPolicyKind::from_key);
    }

    fn catalog() -> Catalog {
        Catalog::embedded()
    }

    #[test]
    fn apply_makes_the_edit_and_its_consequences_and_leaves_the_original() {
        let c = catalog();
        let large = crate::model::Tier::Large.scenario();
        assert!(large.cache.cluster_mode && large.cache.shards == 3);
        let next = large.apply(Edit::ClusterMode(false), &c).unwrap();
        assert_eq!((next.cache.cluster_mode, next.cache.shards), (false, 1));
        assert_eq!(large.cache.shards, 3, "the original is untouched");
        let next = large.apply(Edit::SimScheduledMinimum(true), &c).unwrap();
        assert_eq!(
            next.simulation.schedule,
            Some(Schedule { from_hour: 8, to_hour: 18, min_tasks: 15 })
        );
        let next = next.apply(Edit::SimScheduledMinimum(false), &c).unwrap();
        assert_eq!(next.simulation.schedule, None);
        let next = large.apply(Edit::Field(Field::TasksMin, 18.0), &c).unwrap();
        assert_eq!(
            (next.backend.tasks_min, next.backend.tasks_average, next.backend.tasks_max),
            (18, 18, 20)
        );
    }

    #[test]
    fn apply_refuses_what_validate_refuses_naming_the_json_path() {
        let c = catalog();
        let s = crate::model::Tier::Small.scenario();
        let refused = |u: Edit| s.apply(u, &c).unwrap_err();
        assert_eq!(refused(Edit::Region("mars-1".into())).field(), Some("region"));
        assert_eq!(refused(Edit::DbClass("db.x9.huge".into())).field(), Some("database.class"));
        assert_eq!(refused(Edit::CacheNode("cache.nope".into())).field(), Some("cache.node_type"));
        assert_eq!(
            refused(Edit::Ec2Instance("t9.nano".into())).field(),
            Some("backend.ec2_instance")
        );
        assert_eq!(
            refused(Edit::TaskSize { cpu: 256, memory_mib: 4096 }).field(),
            Some("backend.task_memory_mib")
        );
        assert_eq!(
            refused(Edit::Field(Field::CpuMs, 0.0)).field(),
            Some("backend.cpu_ms_per_request")
        );
        assert_eq!(refused(Edit::SimTroughPct(150.0)).field(), Some("simulation.trough_share"));
        assert_eq!(
            refused(Edit::SimStartupSeconds(601)).field(),
            Some("simulation.startup_seconds")
        );
        assert_eq!(
            refused(Edit::SimCustomHour { hour: 3, pct: 50.0 }).field(),
            Some("simulation.profile")
        );
        assert_eq!(refused(Edit::AppName("Bad_Name".into())).field(), Some("deploy.app_name"));
        assert_eq!(refused(Edit::NodeMajor(19)).field(), Some("deploy.node_major"));
        assert_eq!(
            refused(Edit::PriceOverride(PriceKey::AlbHour, Some(-1.0))).field(),
            Some("price_overrides.alb.hour")
        );
        // CloudFront transfer tiers come from the catalog's table, not from `prices`: not overridable.
        let transfer = PriceKey::CloudFrontTransfer(CdnGeo::Us, 1);
        assert_eq!(
            refused(Edit::PriceOverride(transfer, Some(0.01))).field(),
            Some("price_overrides.cloudfront.transfer.us.t1")
        );
        let priced = s.apply(Edit::PriceOverride(PriceKey::AlbHour, Some(0.02)), &c).unwrap();
        assert_eq!(priced.price_overrides.get("alb.hour"), Some(&0.02));
        let back = priced.apply(Edit::PriceOverride(PriceKey::AlbHour, None), &c).unwrap();
        assert!(back.price_overrides.is_empty());
    }

    #[test]
    fn an_old_invalid_field_does_not_block_other_edits() {
        let c = catalog();
        let mut s = crate::model::Tier::Small.scenario();
        s.deploy.node_major = 18;
        assert!(s.apply(Edit::Production(true), &c).unwrap().production);
    }

    #[test]
    fn task_counts_and_extra_storage_are_consistent_whatever_the_scenario_holds() {
        let mut b = crate::model::Tier::Medium.scenario().backend;
        assert_eq!(b.task_counts(), TaskCounts { min: 2, desired: 5, max: 8 });
        (b.tasks_min, b.tasks_average, b.tasks_max) = (6, 9, 4);
        assert_eq!(b.task_counts(), TaskCounts { min: 6, desired: 6, max: 6 });
        (b.tasks_min, b.tasks_average, b.tasks_max) = (2, 0, 4);
        assert_eq!(b.task_counts(), TaskCounts { min: 2, desired: 2, max: 4 });
        b.ephemeral_storage_gib = 20;
        assert_eq!(b.extra_ephemeral_gib(), 0);
        b.ephemeral_storage_gib = 50;
        assert_eq!(b.extra_ephemeral_gib(), 30);
        b.ephemeral_storage_gib = 0;
        assert_eq!(b.extra_ephemeral_gib(), 0);
    }
}
