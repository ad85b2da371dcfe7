//! `Scenario`: everything a user can set. Plain data with serde, plus a table of numeric
//! fields (`Field`) that gives the UI its sliders and the validator its ranges.

use crate::model::catalog::Catalog;
use crate::model::commit::{Discounts, PricingChoice};
use crate::model::price_key::PriceKey;
use crate::model::simulate::{Horizon, Profile, Schedule, SimulationSettings};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

mod aws_names;
/// Version of the scenario schema, carried by share links, saved values and files.
mod choices;
mod edit;
mod error;
mod fields;
mod validate;
pub use aws_names::*;
pub use choices::*;
pub use edit::*;
pub use error::*;
pub use fields::*;
pub use validate::*;

pub const SCENARIO_SCHEMA: u32 = 1;

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
    /// The share of the task-hours on Fargate Spot, 0 to 1.
    pub fn spot_fraction(&self) -> f64 {
        self.spot_share.clamp(0.0, 1.0)
    }
    /// A Spot task-hour's price as a share of the on-demand one.
    pub fn spot_price_factor(&self) -> f64 {
        1.0 - self.spot_discount.clamp(0.0, 1.0)
    }
    /// A task-hour's average price as a share of the on-demand one, over the Spot share: the
    /// plan's on-demand and Spot lines together, per task-hour.
    pub fn blended_price_factor(&self) -> f64 {
        // (1 - spot) + spot x (1 - discount), written as the simulation always computed it.
        1.0 - self.spot_fraction() * self.spot_discount.clamp(0.0, 1.0)
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
    /// ALB nodes routing independently, each on its own count of outstanding requests (a
    /// latency assumption); 0, the default, is one per AZ (`Scenario::alb_nodes`).
    #[serde(default)]
    pub nodes: u32,
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
    pub price_overrides: BTreeMap<PriceKey, f64>,
    /// Names and settings the exported files use.
    #[serde(default)]
    pub deploy: Deploy,
    /// The traffic over time the auto scaling simulation runs, and its scheduled minimum
    /// (exported as scheduled actions).
    #[serde(default)]
    pub simulation: SimulationSettings,
    /// How each component is paid for: on-demand (default), reserved 1 year, a Savings Plan.
    #[serde(default, skip_serializing_if = "PricingChoice::is_on_demand")]
    pub pricing: PricingChoice,
    /// A negotiated discount and promotional credits (none by default): lines below the list
    /// total, never folded into unit prices.
    #[serde(default, skip_serializing_if = "Discounts::is_none")]
    pub discounts: Discounts,
    /// How traffic grows over the coming months and the targets each month must meet (the
    /// growth path, `model::growth`). Files and links without it read the defaults (flat
    /// traffic), and a scenario with the defaults writes none, so links made before it are
    /// unchanged.
    #[serde(default, skip_serializing_if = "crate::model::growth::Growth::is_default")]
    pub growth: crate::model::growth::Growth,
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

fn schema_default() -> u32 {
    SCENARIO_SCHEMA
}

impl Scenario {
    /// ALB nodes routing apart (`Alb::nodes`): the entered count, or one per AZ.
    pub fn alb_nodes(&self) -> u32 {
        if self.alb.nodes > 0 {
            self.alb.nodes
        } else {
            self.network.azs.max(1)
        }
    }
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
        // CloudFront transfer tiers come from the catalog's table, not from `prices`: not
        // overridable.
        let transfer = PriceKey::CloudFrontTransfer(CdnGeo::Us, 1);
        assert_eq!(
            refused(Edit::PriceOverride(transfer, Some(0.01))).field(),
            Some("price_overrides.cloudfront.transfer.us.t1")
        );
        let priced = s.apply(Edit::PriceOverride(PriceKey::AlbHour, Some(0.02)), &c).unwrap();
        assert_eq!(priced.price_overrides.get(&PriceKey::AlbHour), Some(&0.02));
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
