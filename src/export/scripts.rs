//! deploy.sh and teardown.sh: fixed bash templates (`templates/*.sh`, which shellcheck reads as
//! they are) with two lines filled in: the header comment and the settings block.
//!
//! Nothing from the scenario is pasted into the templates' code. Every value the scripts need
//! (resource names, sizes, the health-check path, which branches apply) is one `NAME='value'`
//! line of the generated settings block, quoted by `shell::quote`. The scenario's free text (its
//! name) appears only in the header's comment lines, with control characters removed.

use super::{cache_engine, ec2_fleet, rules, shell, target_group_attributes, Context, ExportFile};
use crate::model::scenario::{Arch, NetworkLayout, ScalingPolicyKind, StorageType};
use crate::model::simulate::StepRule;

const DEPLOY_TEMPLATE: &str = include_str!("templates/deploy.sh");
const TEARDOWN_TEMPLATE: &str = include_str!("templates/teardown.sh");
const HEADER_MARKER: &str = "# @PLANNER_HEADER@\n";
const SETTINGS_MARKER: &str = "# @PLANNER_SETTINGS@\n";

/// Steps deploy.sh and deploy-stack.sh share, as fragments of constant text (each also a file
/// shellcheck reads; its header, up to the first blank line, says what it needs and is dropped).
const FRAGMENTS: [(&str, &str); 4] = [
    ("preamble.sh", include_str!("templates/preamble.sh")),
    ("connection-secrets.sh", include_str!("templates/connection-secrets.sh")),
    ("image-push.sh", include_str!("templates/image-push.sh")),
    ("frontend-upload.sh", include_str!("templates/frontend-upload.sh")),
];

/// A template with its header and settings lines filled in and each fragment it sources
/// (`. "${HERE}/<fragment>"` under its shellcheck directive) put in place.
pub(super) fn fill(template: &str, c: &Context, settings: &[(&str, String)]) -> String {
    debug_assert!(template.contains(HEADER_MARKER) && template.contains(SETTINGS_MARKER));
    let mut out = template.replacen(HEADER_MARKER, &c.header("#"), 1).replacen(
        SETTINGS_MARKER,
        &shell::settings_block(settings),
        1,
    );
    for (name, text) in FRAGMENTS {
        let body = text.split_once("\n\n").map_or("", |(_, rest)| rest);
        let source =
            format!("# shellcheck source-path=SCRIPTDIR source={name}\n. \"${{HERE}}/{name}\"\n");
        out = out.replace(&source, body);
    }
    debug_assert!(
        !out.contains("source-path=SCRIPTDIR"),
        "a fragment the template sources is missing"
    );
    out
}

pub fn deploy(c: &Context) -> String {
    fill(DEPLOY_TEMPLATE, c, &deploy_settings(c))
}

pub fn teardown(c: &Context) -> String {
    fill(TEARDOWN_TEMPLATE, c, &teardown_settings(c))
}

fn yes_no(b: bool) -> String {
    if b { "true" } else { "false" }.to_string()
}

/// The resource names both scripts use.
fn name_settings(c: &Context) -> Vec<(&'static str, String)> {
    let n = &c.names;
    vec![
        ("APP", n.app.clone()),
        ("PLAN_REGION", c.region.clone()),
        ("CLUSTER", n.cluster.clone()),
        ("SERVICE", n.service.clone()),
        ("REPO", n.repository.clone()),
        ("LOG_GROUP", n.log_group.clone()),
        ("DB_ID", n.db_instance.clone()),
        ("DB_SUBNET_GROUP", n.db_subnet_group.clone()),
        ("CACHE_ID", n.cache.clone()),
        ("CACHE_SUBNET_GROUP", n.cache_subnet_group.clone()),
        ("ALB_NAME", n.load_balancer.clone()),
        ("TG_NAME", n.target_group.clone()),
        ("PARAM_PREFIX", n.parameter_prefix.clone()),
        ("BUCKET_PREFIX", n.bucket_prefix.clone()),
        ("OAC_NAME", n.origin_access_control.clone()),
        ("EXECUTION_ROLE", n.execution_role.clone()),
        ("TASK_ROLE", n.task_role.clone()),
        ("PARAMS_POLICY", n.parameters_policy.clone()),
        ("ALB_SG_NAME", n.alb_security_group.clone()),
        ("TASK_SG_NAME", n.task_security_group.clone()),
        ("DB_SG_NAME", n.db_security_group.clone()),
        ("CACHE_SG_NAME", n.cache_security_group.clone()),
        ("TOPIC_NAME", n.alert_topic.clone()),
        ("BUDGET_NAME", n.budget.clone()),
        ("ALARM_CPU_HIGH", n.alarm_cpu_high.clone()),
        ("ALARM_CPU_LOW", n.alarm_cpu_low.clone()),
        ("ALARM_ALB_5XX", n.alarm_alb_5xx.clone()),
        ("ALARM_ALB_LATENCY", n.alarm_alb_latency.clone()),
        ("ALARM_MEMORY_HIGH", n.alarm_memory_high.clone()),
        ("ALARM_DB_CPU", n.alarm_db_cpu.clone()),
        ("ALARM_DB_CONNECTIONS", n.alarm_db_connections.clone()),
        ("LAUNCH_TEMPLATE", n.launch_template.clone()),
        ("ASG_NAME", n.auto_scaling_group.clone()),
        ("CAPACITY_PROVIDER", n.capacity_provider.clone()),
        ("INSTANCE_ROLE", n.instance_role.clone()),
        ("INSTANCE_PROFILE", n.instance_profile.clone()),
        ("CACHE_LAYOUT", cache_layout(c).into()),
        ("CACHE_ENGINE", cache_engine(&c.s.cache).engine.into()),
        ("DB_REPLICAS", c.s.database.read_replicas.to_string()),
    ]
}

/// `single` (one node, a cache cluster), `replicated` (one shard with replicas) or `cluster`
/// (cluster mode, sharded): the first is a cache cluster, the others a replication group.
fn cache_layout(c: &Context) -> &'static str {
    let cache = &c.s.cache;
    match (cache.cluster_mode, cache.replicas_per_shard) {
        (true, _) => "cluster",
        (false, 0) => "single",
        (false, _) => "replicated",
    }
}

fn deploy_settings(c: &Context) -> Vec<(&'static str, String)> {
    let s = c.s;
    let (db, cache, b) = (&s.database, &s.cache, &s.backend);
    let step = StepRule::from_scenario(s);
    let fleet = ec2_fleet(s);
    // The image runs on the fleet's instances, or on Fargate in the planned architecture.
    let arm = fleet.as_ref().map_or(b.arch == Arch::Arm, |f| f.arm);
    let mut out = name_settings(c);
    out.extend([
        ("DB_NAME", s.deploy.db_name.clone()),
        ("DB_USER", c.names.db_user.clone()),
        ("DB_CLASS", db.class.clone()),
        ("DB_STORAGE_GB", (db.storage_gb.round().max(20.0) as u64).to_string()),
        ("DB_STORAGE_TYPE", if db.storage_type == StorageType::Gp2 { "gp2" } else { "gp3" }.into()),
        ("DB_MULTI_AZ", yes_no(db.multi_az)),
        ("DB_BACKUP_DAYS", db.backup_retention_days.to_string()),
        ("CACHE_NODE_TYPE", cache.node_type.clone()),
        ("CACHE_SHARDS", cache.shards.to_string()),
        ("CACHE_REPLICAS_PER_SHARD", cache.replicas_per_shard.to_string()),
        ("CACHE_ENGINE_VERSION", cache_engine(cache).version.unwrap_or_default().into()),
        ("CACHE_PARAMETER_GROUP", cache_engine(cache).parameter_group.unwrap_or_default().into()),
        ("TG_ALGORITHM", target_group_attributes(s)[0].1.into()),
        ("TASKS_IN_PRIVATE_SUBNETS", yes_no(s.network.layout != NetworkLayout::Public)),
        ("CONTAINER_PORT", b.container_port.to_string()),
        ("HEALTH_PATH", s.deploy.health_check_path.clone()),
        ("IMAGE_PLATFORM", if arm { "linux/arm64" } else { "linux/amd64" }.into()),
        ("LAUNCH_TYPE", if fleet.is_some() { "ec2" } else { "fargate" }.into()),
        ("EC2_INSTANCE_TYPE", fleet.as_ref().map(|f| f.instance_type.clone()).unwrap_or_default()),
        ("EC2_INSTANCES", fleet.as_ref().map(|f| f.instances.to_string()).unwrap_or_default()),
        ("EC2_ROOT_GB", fleet.as_ref().map(|f| f.root_volume_gb.to_string()).unwrap_or_default()),
        (
            "EC2_AMI_PARAMETER",
            fleet.as_ref().map(|f| f.ami_parameter.to_string()).unwrap_or_default(),
        ),
        (
            "LOG_RETENTION_DAYS",
            rules::log_retention_days(s.network.log_retention_months).to_string(),
        ),
        (
            "SCALING_POLICY",
            if b.scaling_policy == ScalingPolicyKind::Step { "step" } else { "target_tracking" }
                .into(),
        ),
        ("SCALE_OUT_CPU", format!("{}", (step.scale_out_cpu * 100.0).round())),
        ("SCALE_IN_CPU", format!("{}", (step.scale_in_cpu * 100.0).round())),
        ("SCALE_OUT_MINUTES", step.out_evaluation_minutes.to_string()),
        ("SCALE_IN_MINUTES", step.in_evaluation_minutes.to_string()),
        ("SCHEDULED_MINIMUM", yes_no(s.simulation.schedule.is_some())),
        ("P95_ALARM_SECONDS", format!("{:.2}", rules::p95_alarm_seconds(c))),
        ("DB_CONNECTIONS_ALARM", rules::db_connections_alarm(c).to_string()),
        ("BUDGET_USD", format!("{:.0}", rules::budget_usd(c))),
        ("PLANNED_MONTHLY_USD", c.monthly.clone()),
        ("PUBLISHED_MONTHLY_USD", format!("{:.2}", c.p.published_total_usd())),
        // The data migration's psql checks RDS's certificate with this bundle (verify-full).
        ("RDS_CA_BUNDLE_URL", super::RDS_CA_BUNDLE_URL.to_string()),
    ]);
    out.extend(file_settings());
    out
}

/// The names of the files deploy.sh reads next to itself.
fn file_settings() -> [(&'static str, String); 9] {
    let f = |file: ExportFile| file.name().to_string();
    [
        ("TASKDEF_FILE", f(ExportFile::TaskDefinition)),
        ("SERVICE_FILE", f(ExportFile::Service)),
        ("SCALABLE_TARGET_FILE", f(ExportFile::ScalableTarget)),
        ("POLICY_FILE", f(ExportFile::ScalingPolicy)),
        ("POLICY_IN_FILE", f(ExportFile::ScalingPolicyIn)),
        ("SCHEDULE_START_FILE", f(ExportFile::ScheduledActionStart)),
        ("SCHEDULE_END_FILE", f(ExportFile::ScheduledActionEnd)),
        ("CLOUDFRONT_FILE", f(ExportFile::CloudFrontConfig)),
        ("DOCKERFILE_FILE", f(ExportFile::Dockerfile)),
    ]
}

fn teardown_settings(c: &Context) -> Vec<(&'static str, String)> {
    let mut out = name_settings(c);
    out.push(("FAMILY", c.names.family.clone()));
    out.push(("LAUNCH_TYPE", if ec2_fleet(c.s).is_some() { "ec2" } else { "fargate" }.into()));
    out
}
