//! Turns a scenario and its plan into files AWS accepts: the Fargate task definition (JSON and
//! YAML), the ECS service, the auto scaling target and policies, the Dockerfile, the CloudFront
//! distribution config, and the deploy and teardown scripts. Checked in tests against botocore's
//! API models, shellcheck and hadolint, and the scripts run against a mock AWS (tests/moto_deploy.py).

pub mod metrics_query;
mod names;
mod scripts;
pub mod shell;
pub mod stack;
mod yaml;

pub use names::ResourceNames;

use crate::model::scenario::{
    Arch, Cache, CacheEngine, LaunchType, NetworkLayout, ScalingPolicyKind, Scenario,
};
use crate::model::simulate::{StepRule, TargetRule};
use crate::model::{share, Plan};
use serde_json::{json, Value};

/// One export file. The order of `ALL` is the order of the Exports panel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExportFile {
    TaskDefinition,
    TaskDefinitionYaml,
    Service,
    ScalableTarget,
    ScalingPolicy,
    /// The scale-in half of the document's step rule.
    ScalingPolicyIn,
    ScheduledActionStart,
    ScheduledActionEnd,
    Dockerfile,
    CloudFrontConfig,
    DeployScript,
    TeardownScript,
    /// stack.yaml: the whole stack as one CloudFormation template.
    StackTemplate,
    /// deploy-stack.sh: deploys stack.yaml in two passes.
    StackDeployScript,
}

impl ExportFile {
    pub const ALL: [ExportFile; 14] = [
        ExportFile::TaskDefinition,
        ExportFile::TaskDefinitionYaml,
        ExportFile::Service,
        ExportFile::ScalableTarget,
        ExportFile::ScalingPolicy,
        ExportFile::ScalingPolicyIn,
        ExportFile::ScheduledActionStart,
        ExportFile::ScheduledActionEnd,
        ExportFile::Dockerfile,
        ExportFile::CloudFrontConfig,
        ExportFile::DeployScript,
        ExportFile::TeardownScript,
        ExportFile::StackTemplate,
        ExportFile::StackDeployScript,
    ];

    /// The file name (deploy.sh finds the others next to it by these names).
    pub fn name(self) -> &'static str {
        match self {
            ExportFile::TaskDefinition => "taskdef.json",
            ExportFile::TaskDefinitionYaml => "ecs-task-definition.yml",
            ExportFile::Service => "service.json",
            ExportFile::ScalableTarget => "scalable-target.json",
            ExportFile::ScalingPolicy => "scaling-policy.json",
            ExportFile::ScalingPolicyIn => "scaling-policy-in.json",
            ExportFile::ScheduledActionStart => "scheduled-action-start.json",
            ExportFile::ScheduledActionEnd => "scheduled-action-end.json",
            ExportFile::Dockerfile => "Dockerfile",
            ExportFile::CloudFrontConfig => "cloudfront-config.json",
            ExportFile::DeployScript => "deploy.sh",
            ExportFile::TeardownScript => "teardown.sh",
            ExportFile::StackTemplate => "stack.yaml",
            ExportFile::StackDeployScript => "deploy-stack.sh",
        }
    }

    pub fn by_name(name: &str) -> Option<ExportFile> {
        ExportFile::ALL.into_iter().find(|f| f.name() == name)
    }

    /// Whether the file is written executable.
    pub fn is_script(self) -> bool {
        matches!(
            self,
            ExportFile::DeployScript | ExportFile::TeardownScript | ExportFile::StackDeployScript
        )
    }

    /// Whether a scenario has this file (the step rule has two policies; a schedule two actions).
    pub fn applies_to(self, s: &Scenario) -> bool {
        match self {
            ExportFile::ScalingPolicyIn => s.backend.scaling_policy == ScalingPolicyKind::Step,
            ExportFile::ScheduledActionStart | ExportFile::ScheduledActionEnd => {
                s.simulation.schedule.is_some()
            }
            _ => true,
        }
    }
}

/// An export file with its content.
#[derive(Debug, Clone, PartialEq)]
pub struct RenderedFile {
    pub file: ExportFile,
    pub content: String,
}

impl RenderedFile {
    pub fn name(&self) -> &'static str {
        self.file.name()
    }
}

/// Where the "Reopen in the planner" link in each file's header points by default: the
/// published planner. The app passes its own address; the CLI takes `--planner-url`.
pub const DEFAULT_PLANNER_URL: &str = "https://planner.example.com/";

/// Everything the templates need, derived once.
pub struct Context<'a> {
    pub s: &'a Scenario,
    pub p: &'a Plan,
    pub names: ResourceNames,
    pub app: String,
    pub region: String,
    pub link: String,
    /// The scenario name made safe for a comment line.
    pub title: String,
    pub monthly: String,
}

impl<'a> Context<'a> {
    pub fn new(s: &'a Scenario, p: &'a Plan, planner_url: &str) -> Context<'a> {
        // No control characters, and none that a YAML 1.1 reader (PyYAML, cfn-lint) takes as a
        // line break (U+2028, U+2029) or refuses (U+FFFE, U+FFFF): the title ends a comment line.
        let title: String = s
            .name
            .chars()
            .filter(|c| {
                !c.is_control() && !matches!(c, '\u{2028}' | '\u{2029}' | '\u{FFFE}' | '\u{FFFF}')
            })
            .take(80)
            .collect();
        Context {
            s,
            p,
            names: ResourceNames::new(&s.deploy.app_name),
            app: s.deploy.app_name.clone(),
            // A second guard behind the catalog's check: a region code ends comment lines.
            region: s.region.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect(),
            link: format!("{planner_url}#{}", share::encode_short_link(s)),
            title,
            monthly: format!("{:.2}", p.monthly_total_usd),
        }
    }
    pub fn header(&self, comment: &str) -> String {
        format!(
            "{c} Generated by Bridge Scaling Planner for scenario \"{}\" ({})\n{c} Projected monthly cost: ${} (730 h; prices as of the planner's catalog)\n{c} Reopen in the planner: {}\n",
            self.title, self.region, self.monthly, self.link, c = comment
        )
    }
    pub fn family(&self) -> String {
        self.names.family.clone()
    }
    pub fn cluster(&self) -> String {
        self.names.cluster.clone()
    }
    pub fn service(&self) -> String {
        self.names.service.clone()
    }
    /// The documentation account; deploy.sh replaces it with the caller's account.
    pub fn account(&self) -> &'static str {
        "111122223333"
    }
    fn tags(&self) -> Value {
        json!([
            {"key": "planner-scenario", "value": tag_value(&self.title)},
            {"key": "planner-monthly-usd", "value": self.monthly},
            {"key": "app", "value": self.app},
        ])
    }
}

/// Tag values: up to 256 characters of letters, digits, spaces and `_.:/=+-@`.
fn tag_value(s: &str) -> String {
    let v: String = s
        .chars()
        .map(|c| if c.is_alphanumeric() || " _.:/=+-@".contains(c) { c } else { '_' })
        .take(256)
        .collect();
    if v.is_empty() {
        "scenario".into()
    } else {
        v
    }
}

fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).expect("json") + "\n"
}

/// The catalog the exporters read instance sizes from (parsed once).
fn catalog() -> &'static crate::model::Catalog {
    static CATALOG: std::sync::OnceLock<crate::model::Catalog> = std::sync::OnceLock::new();
    CATALOG.get_or_init(crate::model::Catalog::embedded)
}

/// ECS on a fixed EC2 fleet, as the plan prices it: one Node.js task per vCPU (the plan's
/// processes), each with 1 vCPU and its share of the instance's memory.
#[derive(Debug, Clone, PartialEq)]
pub struct Ec2Fleet {
    pub instance_type: String,
    pub instances: u32,
    /// Tasks the fleet runs: vCPUs x instances.
    pub tasks: u32,
    pub task_memory_mib: u32,
    /// Graviton instance families (t4g, m7g...) run arm64 images.
    pub arm: bool,
    /// Root volume: the planned EBS size, at least the 30 GB of the AL2023 ECS AMI's snapshot.
    pub root_volume_gb: u32,
    /// The public SSM parameter holding the current ECS-optimised Amazon Linux 2023 AMI.
    pub ami_parameter: &'static str,
}

/// The ECS agent registers less memory than the instance's nominal size (the OS keeps some);
/// tasks get their share of 90%, in 32 MiB steps.
const ECS_REGISTERED_MEMORY_SHARE: f64 = 0.9;

pub fn ec2_fleet(s: &Scenario) -> Option<Ec2Fleet> {
    if s.backend.launch_type != LaunchType::Ec2 {
        return None;
    }
    let class = catalog().ec2_instances.get(&s.backend.ec2_instance);
    // The engine's count: one task per vCPU as far as the network interfaces allow (awsvpc).
    let tasks_each = class.map(|c| c.awsvpc_tasks()).unwrap_or(1);
    let memory_mib = class.map(|c| c.memory_gib * 1024.0).unwrap_or(1024.0);
    let task_memory_mib =
        ((memory_mib * ECS_REGISTERED_MEMORY_SHARE / tasks_each as f64 / 32.0).floor() as u32 * 32)
            .max(128);
    let family = s.backend.ec2_instance.split('.').next().unwrap_or("");
    let arm = family
        .trim_start_matches(|ch: char| ch.is_ascii_alphabetic())
        .trim_start_matches(|ch: char| ch.is_ascii_digit())
        .starts_with('g');
    Some(Ec2Fleet {
        instance_type: s.backend.ec2_instance.clone(),
        instances: s.backend.ec2_count.max(1),
        tasks: tasks_each * s.backend.ec2_count.max(1),
        task_memory_mib,
        arm,
        root_volume_gb: (s.backend.ec2_ebs_gb.round() as u32).max(30),
        ami_parameter: if arm {
            "/aws/service/ecs/optimized-ami/amazon-linux-2023/arm64/recommended/image_id"
        } else {
            "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id"
        },
    })
}

/// The target-group attribute that sets the ALB's routing algorithm, with the scenario's value
/// (`round_robin` or `least_outstanding_requests`).
/// <https://docs.aws.amazon.com/elasticloadbalancing/latest/application/edit-target-group-attributes.html#modify-routing-algorithm>
pub const ROUTING_ATTRIBUTE: &str = "load_balancing.algorithm.type";

pub fn target_group_attributes(s: &Scenario) -> [(&'static str, &'static str); 1] {
    [(ROUTING_ATTRIBUTE, s.alb.routing.target_group_algorithm())]
}

/// How deploy.sh and stack.yaml create the cache: engine, engine version and the default
/// parameter group of that version's family (cluster mode needs the `.cluster.on` one).
/// Valkey 8.x is parameter-group family `valkey8`, whose defaults are `default.valkey8` and
/// `default.valkey8.cluster.on`
/// (<https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/ParameterGroups.Engine.html>).
/// Redis OSS without cluster mode keeps ElastiCache's default version and group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CacheEngineSettings {
    pub engine: &'static str,
    pub version: Option<&'static str>,
    pub parameter_group: Option<&'static str>,
}

/// The Valkey version the exports create (family `valkey8`).
pub const VALKEY_VERSION: &str = "8.0";
/// The Redis OSS version cluster mode is created with (family `redis7`).
pub const REDIS_CLUSTER_VERSION: &str = "7.1";

pub fn cache_engine(cache: &Cache) -> CacheEngineSettings {
    let engine = cache.engine.key();
    match (cache.engine, cache.cluster_mode) {
        (CacheEngine::Redis, false) => {
            CacheEngineSettings { engine, version: None, parameter_group: None }
        }
        (CacheEngine::Redis, true) => CacheEngineSettings {
            engine,
            version: Some(REDIS_CLUSTER_VERSION),
            parameter_group: Some("default.redis7.cluster.on"),
        },
        (CacheEngine::Valkey, false) => CacheEngineSettings {
            engine,
            version: Some(VALKEY_VERSION),
            parameter_group: Some("default.valkey8"),
        },
        (CacheEngine::Valkey, true) => CacheEngineSettings {
            engine,
            version: Some(VALKEY_VERSION),
            parameter_group: Some("default.valkey8.cluster.on"),
        },
    }
}

/// Node.js worker processes the image's start command forks: `Some(n)` for a Fargate task in
/// cluster mode with two or more whole vCPUs (`Backend::node_workers`), `None` for a single
/// process (one vCPU or less, cluster mode off, or the EC2 fleet's one-vCPU tasks).
pub fn cluster_workers(s: &Scenario) -> Option<u32> {
    let workers = s.backend.node_workers();
    (s.backend.node_cluster && s.backend.launch_type == LaunchType::Fargate && workers > 1)
        .then_some(workers)
}

/// The ECS secret that carries the database password: the `password` key of the secret RDS
/// manages (`--manage-master-user-password`). ECS reads it when a task starts, so a task
/// started after a rotation gets the new password; DATABASE_URL holds no password.
/// <https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-secrets-manager.html>
pub const DB_PASSWORD_SECRET: &str = "PGPASSWORD";
/// The JSON key and the `valueFrom` suffix ECS uses to read one key of a Secrets Manager secret
/// (`arn:...:secret:NAME:json-key:version-stage:version-id`, stage and version empty = current).
pub const DB_PASSWORD_KEY_SUFFIX: &str = ":password::";

/// The master secret's ARN as the API files carry it (deploy.sh and stack.yaml put the real
/// one in its place): RDS names its secrets `rds!db-<uuid>`.
pub fn placeholder_db_secret_arn(region: &str, account: &str) -> String {
    format!(
        "arn:aws:secretsmanager:{region}:{account}:secret:rds!db-00000000-0000-0000-0000-000000000000-AbCdEf"
    )
}

/// `register-task-definition --cli-input-json` input.
pub fn task_definition(c: &Context) -> Value {
    let s = c.s;
    let account = c.account();
    let n = &c.names;
    let param = |name: &str| {
        format!("arn:aws:ssm:{}:{account}:parameter{}/{name}", c.region, n.parameter_prefix)
    };
    let port = s.backend.container_port;
    let mut def = json!({
        "family": n.family,
        "networkMode": "awsvpc",
        "requiresCompatibilities": ["FARGATE"],
        "cpu": s.backend.task_cpu.to_string(),
        "memory": s.backend.task_memory_mib.to_string(),
        "runtimePlatform": {
            "cpuArchitecture": if s.backend.arch == Arch::Arm { "ARM64" } else { "X86_64" },
            "operatingSystemFamily": "LINUX"
        },
        "executionRoleArn": format!("arn:aws:iam::{account}:role/{}", n.execution_role),
        "taskRoleArn": format!("arn:aws:iam::{account}:role/{}", n.task_role),
        "containerDefinitions": [{
            "name": n.container,
            "image": format!("{account}.dkr.ecr.{}.amazonaws.com/{}:latest", c.region, n.repository),
            "essential": true,
            "portMappings": [{"containerPort": port, "protocol": "tcp", "name": "http"}],
            "environment": environment(s),
            "secrets": [
                {"name": "DATABASE_URL", "valueFrom": param("DATABASE_URL")},
                {"name": "DATABASE_READ_URL", "valueFrom": param("DATABASE_READ_URL")},
                {"name": "REDIS_URL", "valueFrom": param("REDIS_URL")},
                {"name": DB_PASSWORD_SECRET, "valueFrom": format!("{}{DB_PASSWORD_KEY_SUFFIX}", placeholder_db_secret_arn(&c.region, account))}
            ],
            "logConfiguration": {
                "logDriver": "awslogs",
                "options": {
                    "awslogs-group": n.log_group,
                    "awslogs-region": c.region,
                    "awslogs-stream-prefix": "backend"
                }
            },
            "healthCheck": {
                "command": ["CMD-SHELL", health_check_command(s)],
                "interval": 30,
                "timeout": 5,
                "retries": 3,
                "startPeriod": 60
            },
            "stopTimeout": 30
        }],
        "tags": c.tags()
    });
    if let Some(fleet) = ec2_fleet(s) {
        // ECS on EC2, awsvpc: each task gets its own network interface and security group.
        def["requiresCompatibilities"] = json!(["EC2"]);
        def["cpu"] = json!("1024");
        def["memory"] = json!(fleet.task_memory_mib.to_string());
        def["runtimePlatform"]["cpuArchitecture"] =
            json!(if fleet.arm { "ARM64" } else { "X86_64" });
    } else if s.backend.ephemeral_storage_gib > 20 {
        def["ephemeralStorage"] = json!({"sizeInGiB": s.backend.ephemeral_storage_gib});
    }
    def
}

/// The container's plain settings; in cluster mode `WEB_CONCURRENCY`, the workers the image's
/// start command forks (the same value as the Dockerfile's `ENV`).
fn environment(s: &Scenario) -> Value {
    let mut env = vec![
        json!({"name": "NODE_ENV", "value": "production"}),
        json!({"name": "PORT", "value": s.backend.container_port.to_string()}),
        json!({"name": "DB_POOL_SIZE", "value": db_pool_per_process(s).to_string()}),
    ];
    if let Some(workers) = cluster_workers(s) {
        env.push(json!({"name": "WEB_CONCURRENCY", "value": workers.to_string()}));
    }
    Value::Array(env)
}

/// Connections each Node.js process may open: the pool field as entered. In cluster mode each
/// worker opens its own pool of that size, as the engine counts (processes x pool), so a task
/// holds workers x pool connections.
pub fn db_pool_per_process(s: &Scenario) -> u32 {
    s.backend.db_pool_per_task
}

/// The start command of an image in cluster mode, as `node -e` data: the primary (PID 1) forks
/// `WEB_CONCURRENCY` workers that each run `server.js` (`cluster.setupPrimary`), replaces a worker that dies after
/// running a while (one that dies within 10 s of starting stops the task, so a broken build
/// fails the deployment instead of looping), and passes SIGTERM/SIGINT on to the workers so
/// ECS stops the task cleanly. Written for `node -e` (one statement per line, no `//`).
pub const NODE_CLUSTER_ENTRY: &str = r#"const cluster = require("node:cluster");
const workers = Math.max(1, Number.parseInt(process.env.WEB_CONCURRENCY || "1", 10) || 1);
cluster.setupPrimary({ exec: require("node:path").resolve("server.js"), execArgv: [] });
let stopping = false;
const started = new Map();
const fork = () => { const w = cluster.fork(); started.set(w.id, Date.now()); };
const stopAll = (sig) => { stopping = true; for (const w of Object.values(cluster.workers)) w.process.kill(sig); };
for (let i = 0; i < workers; i++) fork();
console.log(`cluster: ${workers} workers running server.js`);
cluster.on("exit", (w, code, signal) => {
  if (stopping) return;
  const ranMs = Date.now() - started.get(w.id);
  started.delete(w.id);
  console.error(`cluster: worker ${w.process.pid} exited (${signal || code})`);
  if (ranMs < 10000) { process.exitCode = 1; stopAll("SIGTERM"); } else { fork(); }
});
for (const sig of ["SIGTERM", "SIGINT"]) process.on(sig, () => stopAll(sig));"#;

/// The image's exec-form start command: `node server.js`, or in cluster mode the cluster entry
/// above (a JSON array: the script is data, never parsed by a shell).
pub fn start_command(s: &Scenario) -> Vec<String> {
    match cluster_workers(s) {
        Some(_) => vec![
            "node".into(),
            "-e".into(),
            NODE_CLUSTER_ENTRY.lines().map(str::trim).collect::<Vec<_>>().join(" "),
        ],
        None => vec!["node".into(), "server.js".into()],
    }
}

/// The URL the container's own health check requests.
fn health_check_url(s: &Scenario) -> String {
    format!("http://127.0.0.1:{}{}", s.backend.container_port, s.deploy.health_check_path)
}

/// The task definition's `CMD-SHELL` health check: ECS runs it with `/bin/sh -c`, so the URL
/// goes in as one single-quoted word. `|| exit 1` maps every wget failure to the 1 ECS expects.
pub fn health_check_command(s: &Scenario) -> String {
    format!("wget -q -O /dev/null {} || exit 1", shell::quote(&health_check_url(s)))
}

/// `create-service --cli-input-json` input. Subnets, security group and target group are the
/// values deploy.sh fills in from the resources it creates.
pub fn service(c: &Context) -> Value {
    let s = c.s;
    let n = &c.names;
    let private = s.network.layout != NetworkLayout::Public;
    let mut svc = json!({
        "cluster": n.cluster,
        "serviceName": n.service,
        "taskDefinition": n.family,
        "desiredCount": s.backend.tasks_average.max(s.backend.tasks_min),
        "platformVersion": "LATEST",
        "networkConfiguration": {"awsvpcConfiguration": {
            "subnets": ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"],
            "securityGroups": ["sg-0123456789abcdef0"],
            "assignPublicIp": if private { "DISABLED" } else { "ENABLED" }
        }},
        "loadBalancers": [{
            "targetGroupArn": format!("arn:aws:elasticloadbalancing:{}:{}:targetgroup/{}/0123456789abcdef", c.region, c.account(), n.target_group),
            "containerName": n.container,
            "containerPort": s.backend.container_port
        }],
        "healthCheckGracePeriodSeconds": 60,
        "deploymentConfiguration": {
            "deploymentCircuitBreaker": {"enable": true, "rollback": true},
            "maximumPercent": 200,
            "minimumHealthyPercent": 100
        },
        "enableECSManagedTags": true,
        "propagateTags": "SERVICE",
        "tags": c.tags()
    });
    if let Some(fleet) = ec2_fleet(s) {
        // The fixed fleet runs every planned process; tasks on EC2 cannot have public IPs.
        svc["desiredCount"] = json!(fleet.tasks);
        svc.as_object_mut().expect("object").remove("platformVersion");
        svc["networkConfiguration"]["awsvpcConfiguration"]["assignPublicIp"] = json!("DISABLED");
        svc["capacityProviderStrategy"] =
            json!([{"capacityProvider": n.capacity_provider, "weight": 1, "base": 0}]);
    } else if s.backend.spot_share > 0.0 {
        // A base of on-demand tasks (the minimum) and the rest split by the Spot share.
        let spot = (s.backend.spot_share * 100.0).round() as i64;
        let base = s.backend.tasks_min.max(1) as i64;
        let mut strategy = vec![
            json!({"capacityProvider": "FARGATE", "base": base, "weight": (100 - spot).max(0)}),
        ];
        strategy.push(json!({"capacityProvider": "FARGATE_SPOT", "weight": spot}));
        if spot >= 100 {
            strategy[0]["weight"] = json!(0);
        }
        svc["capacityProviderStrategy"] = Value::Array(strategy);
    } else {
        svc["launchType"] = json!("FARGATE");
    }
    svc
}

/// The service's task range: the planned minimum to maximum, or on the fixed EC2 fleet every
/// planned process all the time.
fn task_range(s: &Scenario) -> (u32, u32) {
    match ec2_fleet(s) {
        Some(fleet) => (fleet.tasks, fleet.tasks),
        None => (s.backend.tasks_min, s.backend.tasks_max.max(s.backend.tasks_min)),
    }
}

/// `register-scalable-target --cli-input-json` input.
pub fn scalable_target(c: &Context) -> Value {
    let (min, max) = task_range(c.s);
    json!({
        "ServiceNamespace": "ecs",
        "ResourceId": c.names.scalable_resource_id(),
        "ScalableDimension": "ecs:service:DesiredCount",
        "MinCapacity": min,
        "MaxCapacity": max
    })
}

/// `put-scaling-policy --cli-input-json` inputs, with the file names they are written to: the
/// policy the simulation ran (one target-tracking policy, or the document's two step policies).
pub fn scaling_policies(c: &Context) -> Vec<(ExportFile, Value)> {
    let s = c.s;
    match s.backend.scaling_policy {
        ScalingPolicyKind::TargetTracking => {
            let t = TargetRule::from_scenario(s);
            vec![(
                ExportFile::ScalingPolicy,
                json!({
                    "PolicyName": c.names.target_tracking_policy,
                    "ServiceNamespace": "ecs",
                    "ResourceId": c.names.scalable_resource_id(),
                    "ScalableDimension": "ecs:service:DesiredCount",
                    "PolicyType": "TargetTrackingScaling",
                    "TargetTrackingScalingPolicyConfiguration": {
                        "TargetValue": (t.target_cpu * 100.0).round(),
                        "PredefinedMetricSpecification": {"PredefinedMetricType": "ECSServiceAverageCPUUtilization"},
                        "ScaleOutCooldown": t.out_cooldown_s,
                        "ScaleInCooldown": t.in_cooldown_s,
                        "DisableScaleIn": false
                    }
                }),
            )]
        }
        ScalingPolicyKind::Step => {
            let r = StepRule::from_scenario(s);
            // Step bounds are relative to the alarm threshold.
            let big = (r.big_step_above * 100.0).round();
            vec![
                (
                    ExportFile::ScalingPolicy,
                    json!({
                        "PolicyName": c.names.scale_out_policy,
                        "ServiceNamespace": "ecs",
                        "ResourceId": c.names.scalable_resource_id(),
                        "ScalableDimension": "ecs:service:DesiredCount",
                        "PolicyType": "StepScaling",
                        "StepScalingPolicyConfiguration": {
                            "AdjustmentType": "PercentChangeInCapacity",
                            "MinAdjustmentMagnitude": 1,
                            "Cooldown": r.out_cooldown_s,
                            "MetricAggregationType": "Average",
                            "StepAdjustments": [
                                {"MetricIntervalLowerBound": 0.0, "MetricIntervalUpperBound": big, "ScalingAdjustment": r.out_small_pct},
                                {"MetricIntervalLowerBound": big, "ScalingAdjustment": r.out_big_pct}
                            ]
                        }
                    }),
                ),
                (
                    ExportFile::ScalingPolicyIn,
                    json!({
                        "PolicyName": c.names.scale_in_policy,
                        "ServiceNamespace": "ecs",
                        "ResourceId": c.names.scalable_resource_id(),
                        "ScalableDimension": "ecs:service:DesiredCount",
                        "PolicyType": "StepScaling",
                        "StepScalingPolicyConfiguration": {
                            "AdjustmentType": "ChangeInCapacity",
                            "Cooldown": r.in_cooldown_s,
                            "MetricAggregationType": "Average",
                            "StepAdjustments": [
                                {"MetricIntervalUpperBound": 0.0, "ScalingAdjustment": -r.in_tasks}
                            ]
                        }
                    }),
                ),
            ]
        }
    }
}

/// `put-scheduled-action --cli-input-json` inputs for the simulated scheduled minimum: raise the
/// minimum on weekday mornings, restore it in the evening (UTC).
pub fn scheduled_actions(c: &Context) -> Vec<(ExportFile, Value)> {
    let Some(sch) = c.s.simulation.schedule else { return Vec::new() };
    let (min, max) = task_range(c.s);
    let action = |name: &str, cron: String, min: u32| {
        json!({
            "ServiceNamespace": "ecs",
            "ScheduledActionName": name,
            "ResourceId": c.names.scalable_resource_id(),
            "ScalableDimension": "ecs:service:DesiredCount",
            "Schedule": cron,
            "Timezone": "Etc/UTC",
            "ScalableTargetAction": {"MinCapacity": min, "MaxCapacity": max}
        })
    };
    // The evening action at hour 24 is midnight of the next weekday.
    let end = if sch.to_hour >= 24 {
        "cron(0 0 ? * TUE-SAT *)".to_string()
    } else {
        format!("cron(0 {} ? * MON-FRI *)", sch.to_hour)
    };
    vec![
        (
            ExportFile::ScheduledActionStart,
            action(
                &c.names.scheduled_start,
                format!("cron(0 {} ? * MON-FRI *)", sch.from_hour),
                sch.min_tasks.max(min).min(max),
            ),
        ),
        (ExportFile::ScheduledActionEnd, action(&c.names.scheduled_end, end, min)),
    ]
}

/// `create-distribution --distribution-config` input: the S3 origin behind origin access
/// control, SPA-friendly errors, HTTPS redirect, the price class of the viewers' geography.
pub fn cloudfront_config(c: &Context) -> Value {
    let origin_id = format!("{}s3", c.names.bucket_prefix);
    let comment: String =
        format!("{} frontend, planner scenario {}", c.app, c.title).chars().take(128).collect();
    json!({
        "CallerReference": format!("{}{}", c.names.bucket_prefix, crate::model::share::encode_link(c.s).len()),
        "Comment": comment,
        "Enabled": true,
        "DefaultRootObject": "index.html",
        "PriceClass": c.s.frontend.cdn_geo.price_class(),
        "HttpVersion": "http2and3",
        "IsIPV6Enabled": true,
        "Origins": {"Quantity": 1, "Items": [{
            "Id": origin_id,
            "DomainName": format!("{}{}.s3.{}.amazonaws.com", c.names.bucket_prefix, c.account(), c.region),
            "OriginAccessControlId": "E0123456789ABC",
            "S3OriginConfig": {"OriginAccessIdentity": ""}
        }]},
        "DefaultCacheBehavior": {
            "TargetOriginId": origin_id,
            "ViewerProtocolPolicy": "redirect-to-https",
            "Compress": true,
            "AllowedMethods": {"Quantity": 2, "Items": ["GET", "HEAD"], "CachedMethods": {"Quantity": 2, "Items": ["GET", "HEAD"]}},
            // AWS managed policy "CachingOptimized".
            "CachePolicyId": "658327ea-f89d-4fab-a63d-7e88639e58f6"
        },
        "CustomErrorResponses": {"Quantity": 2, "Items": [
            {"ErrorCode": 403, "ResponsePagePath": "/index.html", "ResponseCode": "200", "ErrorCachingMinTTL": 10},
            {"ErrorCode": 404, "ResponsePagePath": "/index.html", "ResponseCode": "200", "ErrorCachingMinTTL": 10}
        ]},
        "ViewerCertificate": {"CloudFrontDefaultCertificate": true, "MinimumProtocolVersion": "TLSv1.2_2021"}
    })
}

/// Where the image gets RDS's CA certificates (all regions) and where it keeps them; Node.js
/// adds them to its trust store through `NODE_EXTRA_CA_CERTS`.
/// <https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.SSL.html>
pub const RDS_CA_BUNDLE_URL: &str =
    "https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem";
pub const RDS_CA_BUNDLE_PATH: &str = "/etc/ssl/certs/rds-global-bundle.pem";

/// A multi-stage Node.js image: current LTS on alpine, `npm ci --omit=dev`, non-root, exec-form
/// CMD and a HEALTHCHECK on the scenario's port and path.
pub fn dockerfile(c: &Context) -> String {
    let s = c.s;
    let node = s.deploy.node_major;
    let port = s.backend.container_port;
    let (env, start_note) = match cluster_workers(s) {
        Some(n) => (
            format!(" WEB_CONCURRENCY={n}"),
            format!("# Node.js cluster mode: one worker per vCPU ({n}, WEB_CONCURRENCY), each running server.js;\n# a worker that dies is replaced, SIGTERM stops them all. DB_POOL_SIZE is per worker (each opens its own pool).\n"),
        ),
        None => (String::new(), String::new()),
    };
    format!(
        r#"# syntax=docker/dockerfile:1
{header}

# Build stage: all dependencies, then the build (if package.json has one).
FROM node:{node}-alpine AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build --if-present

# Runtime stage: production dependencies only, as the image's unprivileged `node` user (1000).
FROM node:{node}-alpine
ENV NODE_ENV=production PORT={port}{env}
# RDS's CA bundle: DATABASE_URL says sslmode=verify-full, so node-postgres checks the server's
# certificate, and RDS's CAs are not in Node.js's trust store (readable by the node user).
# https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.SSL.html
ADD --chmod=644 {rds_ca_url} {rds_ca_path}
ENV NODE_EXTRA_CA_CERTS={rds_ca_path}
WORKDIR /app
COPY --chown=node:node package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force
COPY --from=build --chown=node:node /app .
USER 1000:1000
EXPOSE {port}
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD {health}
{start_note}CMD {start}
"#,
        header = c.header("#").trim_end(),
        rds_ca_url = RDS_CA_BUNDLE_URL,
        rds_ca_path = RDS_CA_BUNDLE_PATH,
        // Exec form (a JSON array, no shell): the URL is data, JSON-escaped.
        health = serde_json::to_string(&["wget", "-q", "-O", "/dev/null", &health_check_url(s)])
            .expect("strings serialize"),
        start = serde_json::to_string(&start_command(s)).expect("strings serialize"),
    )
}

/// The files a scenario exports, in the order the Exports panel lists them.
pub fn files_for(s: &Scenario) -> Vec<ExportFile> {
    ExportFile::ALL.into_iter().filter(|f| f.applies_to(s)).collect()
}

/// Every export file, with the header link pointing at the published planner.
pub fn all_files(s: &Scenario, p: &Plan) -> Vec<RenderedFile> {
    render_all(&Context::new(s, p, DEFAULT_PLANNER_URL))
}

/// Every export file for a context (its header link points at the context's planner URL).
pub fn render_all(c: &Context) -> Vec<RenderedFile> {
    files_for(c.s).into_iter().filter_map(|f| render(c, f)).collect()
}

/// One export file (the app renders only the file on screen).
pub fn file(file: ExportFile, s: &Scenario, p: &Plan, planner_url: &str) -> Option<RenderedFile> {
    render(&Context::new(s, p, planner_url), file)
}

/// One file's content, or None when the scenario does not have that file.
pub fn render(c: &Context, file: ExportFile) -> Option<RenderedFile> {
    if !file.applies_to(c.s) {
        return None;
    }
    let content = match file {
        ExportFile::TaskDefinition => pretty(&task_definition(c)),
        ExportFile::TaskDefinitionYaml => {
            format!("{}{}", c.header("#"), yaml::to_yaml(&task_definition(c)))
        }
        ExportFile::Service => pretty(&service(c)),
        ExportFile::ScalableTarget => pretty(&scalable_target(c)),
        ExportFile::Dockerfile => dockerfile(c),
        ExportFile::CloudFrontConfig => pretty(&cloudfront_config(c)),
        ExportFile::DeployScript => scripts::deploy(c),
        ExportFile::TeardownScript => scripts::teardown(c),
        ExportFile::StackTemplate => stack::render(c),
        ExportFile::StackDeployScript => stack::deploy_script(c),
        ExportFile::ScalingPolicy
        | ExportFile::ScalingPolicyIn
        | ExportFile::ScheduledActionStart
        | ExportFile::ScheduledActionEnd => {
            let (_, value) = scaling_policies(c)
                .into_iter()
                .chain(scheduled_actions(c))
                .find(|(f, _)| *f == file)?;
            pretty(&value)
        }
    };
    Some(RenderedFile { file, content })
}

/// A POSIX tar archive of the files (the "Download all" button).
pub fn tar_archive(files: &[RenderedFile]) -> Vec<u8> {
    let mut out = Vec::new();
    for f in files {
        let mut header = [0u8; 512];
        let name = f.name().as_bytes();
        header[..name.len().min(100)].copy_from_slice(&name[..name.len().min(100)]);
        let mode = if f.file.is_script() { "0000755\0" } else { "0000644\0" };
        header[100..108].copy_from_slice(mode.as_bytes());
        header[108..116].copy_from_slice(b"0000000\0");
        header[116..124].copy_from_slice(b"0000000\0");
        header[124..136].copy_from_slice(format!("{:011o}\0", f.content.len()).as_bytes());
        header[136..148].copy_from_slice(b"00000000000\0");
        header[156] = b'0';
        header[257..263].copy_from_slice(b"ustar\0");
        header[263..265].copy_from_slice(b"00");
        header[148..156].copy_from_slice(b"        ");
        let sum: u32 = header.iter().map(|&b| b as u32).sum();
        header[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
        out.extend_from_slice(&header);
        out.extend_from_slice(f.content.as_bytes());
        out.resize(out.len().div_ceil(512) * 512, 0);
    }
    out.resize(out.len() + 1024, 0);
    out
}
