//! The scenario's choices (launch type, architecture, storage, CDN geography, network layout,
//! routing, cache engine, scaling policy), each with its AWS value and its label.

use super::*;

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
    /// Each request to a target drawn at random (by weight; equal weights here).
    WeightedRandom,
}

impl Routing {
    pub const ALL: [Routing; 3] =
        [Routing::RoundRobin, Routing::LeastOutstandingRequests, Routing::WeightedRandom];
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
            Routing::WeightedRandom => "Weighted random",
        }
    }
    /// The value of the target-group attribute `load_balancing.algorithm.type`.
    pub fn target_group_algorithm(self) -> &'static str {
        match self {
            Routing::RoundRobin => "round_robin",
            Routing::LeastOutstandingRequests => "least_outstanding_requests",
            Routing::WeightedRandom => "weighted_random",
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
