//! taskdef.json: the container, its start command (cluster mode), environment, database
//! secret and health check.

use super::fleet::ec2_fleet;
use super::{shell, Context};
use crate::model::scenario::{Arch, LaunchType, Scenario};
use serde_json::{json, Value};

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
            "image": format!("{account}.dkr.ecr.{}.amazonaws.com/{}:latest", c.region,
                n.repository),
            "essential": true,
            "portMappings": [{"containerPort": port, "protocol": "tcp", "name": "http"}],
            "environment": environment(s),
            "secrets": [
                {"name": "DATABASE_URL", "valueFrom": param("DATABASE_URL")},
                {"name": "DATABASE_READ_URL", "valueFrom": param("DATABASE_READ_URL")},
                {"name": "REDIS_URL", "valueFrom": param("REDIS_URL")},
                {"name": DB_PASSWORD_SECRET, "valueFrom": format!("{}{DB_PASSWORD_KEY_SUFFIX}",
                    placeholder_db_secret_arn(&c.region, account))}
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
/// `WEB_CONCURRENCY` workers that each run `server.js` (`cluster.setupPrimary`), replaces a worker
/// that dies after
/// running a while (one that dies within 10 s of starting stops the task, so a broken build
/// fails the deployment instead of looping), and passes SIGTERM/SIGINT on to the workers so
/// ECS stops the task cleanly. Written for `node -e` (one statement per line, no `//`).
pub const NODE_CLUSTER_ENTRY: &str = include_str!("templates/cluster-entry.js");

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
pub(super) fn health_check_url(s: &Scenario) -> String {
    format!("http://127.0.0.1:{}{}", s.backend.container_port, s.deploy.health_check_path)
}

/// The task definition's `CMD-SHELL` health check: ECS runs it with `/bin/sh -c`, so the URL
/// goes in as one single-quoted word. `|| exit 1` maps every wget failure to the 1 ECS expects.
pub fn health_check_command(s: &Scenario) -> String {
    format!("wget -q -O /dev/null {} || exit 1", shell::quote(&health_check_url(s)))
}
