//! The scenario options that change the exported files: the ALB's routing algorithm, the cache
//! engine (Redis OSS or Valkey), Node.js cluster mode, and the database password read from the
//! secret RDS manages. Exact strings and values, checked in every file that carries them.

use bridge_planner::export::{all_files, stack, Context, DEFAULT_PLANNER_URL, NODE_CLUSTER_ENTRY};
use bridge_planner::model::scenario::{CacheEngine, LaunchType, Routing};
use bridge_planner::model::{plan, Catalog, Scenario, Tier};
use serde_json::{json, Value};

struct Files {
    files: Vec<(String, String)>,
    stack: Value,
}

impl Files {
    fn of(s: &Scenario) -> Files {
        let p = plan(s, &Catalog::embedded());
        let files =
            all_files(s, &p).into_iter().map(|f| (f.name().to_string(), f.content)).collect();
        let stack = stack::template(&Context::new(s, &p, DEFAULT_PLANNER_URL));
        Files { files, stack }
    }
    fn text(&self, name: &str) -> &str {
        &self.files.iter().find(|(n, _)| n == name).unwrap_or_else(|| panic!("no {name}")).1
    }
    fn json(&self, name: &str) -> Value {
        serde_json::from_str(self.text(name)).unwrap()
    }
    fn resource(&self, id: &str) -> &Value {
        &self.stack["Resources"][id]["Properties"]
    }
    /// The value of a setting in a generated script's settings block.
    fn setting(&self, script: &str, name: &str) -> Option<String> {
        let prefix = format!("{name}=");
        self.text(script).lines().find_map(|l| l.strip_prefix(&prefix).map(str::to_string))
    }
}

fn medium() -> Scenario {
    Tier::Medium.scenario()
}

#[test]
fn the_routing_algorithm_reaches_deploy_sh_and_the_stack() {
    // Round robin is the ALB's default and the scenario's: still set explicitly, so a re-plan
    // from least outstanding requests back to round robin changes the target group.
    let f = Files::of(&medium());
    assert_eq!(f.setting("deploy.sh", "TG_ALGORITHM").as_deref(), Some("'round_robin'"));
    assert_eq!(
        f.resource("TargetGroup")["TargetGroupAttributes"],
        json!([{"Key": "load_balancing.algorithm.type", "Value": "round_robin"}])
    );
    let mut s = medium();
    s.alb.routing = Routing::LeastOutstandingRequests;
    let f = Files::of(&s);
    assert_eq!(
        f.setting("deploy.sh", "TG_ALGORITHM").as_deref(),
        Some("'least_outstanding_requests'")
    );
    assert!(f.text("deploy.sh").contains(
        "aws elbv2 modify-target-group-attributes --target-group-arn \"$TG_ARN\" \\\n  \
            --attributes \"Key=load_balancing.algorithm.type,Value=${TG_ALGORITHM}\""
    ));
    assert_eq!(
        f.resource("TargetGroup")["TargetGroupAttributes"],
        json!([{"Key": "load_balancing.algorithm.type", "Value": "least_outstanding_requests"}])
    );
    // The target group's third algorithm (issue #25), in both exports.
    s.alb.routing = Routing::WeightedRandom;
    let f = Files::of(&s);
    assert_eq!(f.setting("deploy.sh", "TG_ALGORITHM").as_deref(), Some("'weighted_random'"));
    assert_eq!(
        f.resource("TargetGroup")["TargetGroupAttributes"],
        json!([{"Key": "load_balancing.algorithm.type", "Value": "weighted_random"}])
    );
}

#[test]
fn valkey_gets_its_engine_version_and_parameter_group_everywhere() {
    let mut s = medium();
    s.cache.engine = CacheEngine::Valkey;
    // One shard with replicas: a replication group, family valkey8 without cluster mode.
    s.cache.cluster_mode = false;
    s.cache.replicas_per_shard = 1;
    let f = Files::of(&s);
    assert_eq!(f.setting("deploy.sh", "CACHE_ENGINE").as_deref(), Some("'valkey'"));
    assert_eq!(f.setting("deploy.sh", "CACHE_ENGINE_VERSION").as_deref(), Some("'8.0'"));
    assert_eq!(
        f.setting("deploy.sh", "CACHE_PARAMETER_GROUP").as_deref(),
        Some("'default.valkey8'")
    );
    assert_eq!(f.setting("teardown.sh", "CACHE_ENGINE").as_deref(), Some("'valkey'"));
    assert!(f.text("deploy.sh").contains(
        "--replication-group-description \"Cache (${CACHE_ENGINE}) for ${APP}\" \
            \"${ENGINE_ARGS[@]}\""
    ));
    let cache = f.resource("Cache");
    assert_eq!(f.stack["Resources"]["Cache"]["Type"], "AWS::ElastiCache::ReplicationGroup");
    assert_eq!(
        (&cache["Engine"], &cache["EngineVersion"], &cache["CacheParameterGroupName"]),
        (&json!("valkey"), &json!("8.0"), &json!("default.valkey8"))
    );
    assert_eq!(cache["ReplicationGroupDescription"], "Valkey for bridge");

    // Cluster mode: the `.cluster.on` group of the same family.
    s.cache.cluster_mode = true;
    s.cache.shards = 2;
    let f = Files::of(&s);
    assert_eq!(
        f.setting("deploy.sh", "CACHE_PARAMETER_GROUP").as_deref(),
        Some("'default.valkey8.cluster.on'")
    );
    assert_eq!(f.resource("Cache")["CacheParameterGroupName"], "default.valkey8.cluster.on");
    assert_eq!(f.resource("Cache")["NumNodeGroups"], 2);

    // One node: a cache cluster, also Valkey 8.0.
    s.cache.cluster_mode = false;
    s.cache.shards = 1;
    s.cache.replicas_per_shard = 0;
    let f = Files::of(&s);
    assert_eq!(f.stack["Resources"]["Cache"]["Type"], "AWS::ElastiCache::CacheCluster");
    assert_eq!(
        (&f.resource("Cache")["Engine"], &f.resource("Cache")["EngineVersion"]),
        (&json!("valkey"), &json!("8.0"))
    );
    assert!(f.text("deploy.sh").contains(
        "aws elasticache create-cache-cluster --cache-cluster-id \"$CACHE_ID\" \
            \"${ENGINE_ARGS[@]}\""
    ));
}

#[test]
fn redis_keeps_its_versions() {
    // Redis OSS without cluster mode: ElastiCache's default version and group (no setting).
    let mut s = medium();
    s.cache.cluster_mode = false;
    s.cache.replicas_per_shard = 1;
    let f = Files::of(&s);
    assert_eq!(f.setting("deploy.sh", "CACHE_ENGINE").as_deref(), Some("'redis'"));
    assert_eq!(f.setting("deploy.sh", "CACHE_ENGINE_VERSION").as_deref(), Some("''"));
    assert_eq!(f.setting("deploy.sh", "CACHE_PARAMETER_GROUP").as_deref(), Some("''"));
    assert_eq!(f.resource("Cache")["Engine"], "redis");
    assert!(f.resource("Cache").get("EngineVersion").is_none());
    assert_eq!(f.resource("Cache")["ReplicationGroupDescription"], "Redis OSS for bridge");
    // Cluster mode: 7.1 and default.redis7.cluster.on, as before.
    s.cache.cluster_mode = true;
    s.cache.shards = 3;
    let f = Files::of(&s);
    assert_eq!(f.setting("deploy.sh", "CACHE_ENGINE_VERSION").as_deref(), Some("'7.1'"));
    assert_eq!(
        f.setting("deploy.sh", "CACHE_PARAMETER_GROUP").as_deref(),
        Some("'default.redis7.cluster.on'")
    );
    assert_eq!(f.resource("Cache")["EngineVersion"], "7.1");
    assert_eq!(f.resource("Cache")["CacheParameterGroupName"], "default.redis7.cluster.on");
}

fn env_of(taskdef: &Value) -> Vec<(String, String)> {
    taskdef["containerDefinitions"][0]["environment"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["name"].as_str().unwrap().into(), e["value"].as_str().unwrap().into()))
        .collect()
}

fn cmd_line(dockerfile: &str) -> Vec<String> {
    let line = dockerfile.lines().rfind(|l| l.starts_with("CMD ")).unwrap();
    serde_json::from_str(&line["CMD ".len()..]).unwrap()
}

#[test]
fn single_process_mode_is_unchanged() {
    let mut s = medium();
    s.backend.node_cluster = false;
    s.backend.task_cpu = 2048;
    s.backend.task_memory_mib = 4096;
    let f = Files::of(&s);
    assert_eq!(cmd_line(f.text("Dockerfile")), ["node", "server.js"]);
    assert!(f.text("Dockerfile").contains("ENV NODE_ENV=production PORT=3000\n"));
    let env = env_of(&f.json("taskdef.json"));
    assert!(!env.iter().any(|(k, _)| k == "WEB_CONCURRENCY"));
    assert!(env.contains(&("DB_POOL_SIZE".into(), s.backend.db_pool_per_task.to_string())));
}

#[test]
fn cluster_mode_starts_one_worker_per_vcpu() {
    let mut s = medium();
    s.backend.node_cluster = true;
    s.backend.db_pool_per_task = 10;
    // 4096 CPU units = 4 vCPU: 4 workers, each opening its own pool of 10 (DB_POOL_SIZE=10).
    s.backend.task_cpu = 4096;
    s.backend.task_memory_mib = 8192;
    let f = Files::of(&s);
    assert!(f.text("Dockerfile").contains("ENV NODE_ENV=production PORT=3000 WEB_CONCURRENCY=4\n"));
    let cmd = cmd_line(f.text("Dockerfile"));
    assert_eq!(cmd[..2], ["node", "-e"]);
    assert_eq!(cmd[2], NODE_CLUSTER_ENTRY.lines().map(str::trim).collect::<Vec<_>>().join(" "));
    let env = env_of(&f.json("taskdef.json"));
    assert!(env.contains(&("WEB_CONCURRENCY".into(), "4".into())));
    assert!(env.contains(&("DB_POOL_SIZE".into(), "10".into())));
    // 2048 = 2 vCPU: 2 workers, 10 connections each.
    s.backend.task_cpu = 2048;
    s.backend.task_memory_mib = 4096;
    let env = env_of(&Files::of(&s).json("taskdef.json"));
    assert!(env.contains(&("WEB_CONCURRENCY".into(), "2".into())));
    assert!(env.contains(&("DB_POOL_SIZE".into(), "10".into())));
    // 1 vCPU: one process, nothing to fork.
    s.backend.task_cpu = 1024;
    s.backend.task_memory_mib = 2048;
    assert_eq!(cmd_line(Files::of(&s).text("Dockerfile")), ["node", "server.js"]);
    // The EC2 fleet runs one-vCPU tasks: single process there too.
    s.backend.task_cpu = 4096;
    s.backend.task_memory_mib = 8192;
    s.backend.launch_type = LaunchType::Ec2;
    let f = Files::of(&s);
    assert_eq!(cmd_line(f.text("Dockerfile")), ["node", "server.js"]);
    assert!(!env_of(&f.json("taskdef.json")).iter().any(|(k, _)| k == "WEB_CONCURRENCY"));
}

/// The plan and the exports count DB connections the same way: every Node.js process (each
/// cluster worker) opens a pool of DB_POOL_SIZE, so the primary sees tasks at peak x
/// WEB_CONCURRENCY x DB_POOL_SIZE connections, the figure the plan shows.
#[test]
fn plan_connections_are_tasks_times_workers_times_exported_pool() {
    for (cpu, memory, cluster) in [(4096, 8192, true), (2048, 4096, true), (2048, 4096, false)] {
        let mut s = medium();
        s.backend.node_cluster = cluster;
        s.backend.db_pool_per_task = 7;
        s.backend.task_cpu = cpu;
        s.backend.task_memory_mib = memory;
        let p = plan(&s, &Catalog::embedded());
        let env = env_of(&Files::of(&s).json("taskdef.json"));
        let value =
            |k: &str| env.iter().find(|(n, _)| n == k).map(|(_, v)| v.parse::<u32>().unwrap());
        let pool = value("DB_POOL_SIZE").unwrap();
        let workers = value("WEB_CONCURRENCY").unwrap_or(1);
        // e.g. 4 vCPU in cluster mode: 4 workers x 7 = 28 connections per task.
        assert_eq!(workers, if cluster { cpu / 1024 } else { 1 });
        assert!(p.capacity.workers_at_peak > 0);
        assert_eq!(p.capacity.db_connections_primary, p.capacity.workers_at_peak * workers * pool);
    }
}

/// Runs the generated start command with Node.js (the project's e2e tests need Node, so it is
/// installed wherever the tests run): WEB_CONCURRENCY=3 starts three workers running server.js,
/// SIGTERM stops them all and the primary exits 0; a server.js that dies at once stops the
/// primary with exit 1 instead of a restart loop.
#[test]
fn the_cluster_entry_runs_workers_and_stops_on_sigterm() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let mut s = medium();
    s.backend.node_cluster = true;
    s.backend.task_cpu = 2048;
    s.backend.task_memory_mib = 4096;
    let script = cmd_line(Files::of(&s).text("Dockerfile"))[2].clone();
    let dir = std::env::temp_dir().join(format!("sp-cluster-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("server.js"),
        "console.log(`worker ${require('node:cluster').isWorker}`);\n\
         process.on('SIGTERM', () => process.exit(0));\nsetInterval(() => {}, 1000);\n",
    )
    .unwrap();
    let mut child = Command::new("node")
        .args(["-e", &script])
        .env("WEB_CONCURRENCY", "3")
        .current_dir(&dir)
        .stdout(Stdio::piped())
        .spawn()
        .expect("node is needed for this test (it runs the generated start command)");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    assert_eq!(lines.next().unwrap().unwrap(), "cluster: 3 workers running server.js");
    for _ in 0..3 {
        assert_eq!(lines.next().unwrap().unwrap(), "worker true");
    }
    let killed = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(killed.success());
    assert_eq!(child.wait().unwrap().code(), Some(0));

    std::fs::write(dir.join("server.js"), "process.exit(3);\n").unwrap();
    let out = Command::new("node")
        .args(["-e", &script])
        .env("WEB_CONCURRENCY", "2")
        .current_dir(&dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains(" exited (3)"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_database_password_comes_from_the_managed_secret() {
    let s = medium();
    let f = Files::of(&s);
    let td = f.json("taskdef.json");
    let secrets = td["containerDefinitions"][0]["secrets"].as_array().unwrap();
    let pg = secrets.iter().find(|x| x["name"] == "PGPASSWORD").unwrap();
    assert_eq!(
        pg["valueFrom"],
        "arn:aws:secretsmanager:us-east-1:111122223333:secret:rds!db-00000000-0000-0000-0000-000000000000-AbCdEf:password::"
    );
    // The YAML task definition carries the same secret.
    assert!(f.text("ecs-task-definition.yml").contains("name: \"PGPASSWORD\""));
    // The stack reads the secret RDS creates for the database.
    let container = &f.resource("TaskDefinition")["ContainerDefinitions"][0];
    let pg = container["Secrets"].as_array().unwrap().iter().find(|x| x["Name"] == "PGPASSWORD");
    assert_eq!(
        pg.unwrap()["ValueFrom"],
        json!({"Fn::Sub": "${Database.MasterUserSecret.SecretArn}:password::"})
    );
    let statements = &f.resource("ExecutionRole")["Policies"][0]["PolicyDocument"]["Statement"];
    assert_eq!(
        statements[1],
        json!({"Effect": "Allow", "Action": ["secretsmanager:GetSecretValue"],
            "Resource": {"Fn::GetAtt": ["Database", "MasterUserSecret.SecretArn"]}})
    );
    // deploy.sh: the URLs carry no password; the task definition gets the secret's ARN.
    let deploy = f.text("deploy.sh");
    assert!(deploy.contains(
        "put_secret_param DATABASE_URL \
            \"postgresql://${DB_USER}@${DB_HOST}:5432/${DB_NAME}?sslmode=verify-full\""
    ));
    assert!(deploy
        .contains("map(if .name == \"PGPASSWORD\" then .valueFrom = ($secret + \":password::\")"));
    assert!(deploy.contains(
        "{Effect: \"Allow\", Action: [\"secretsmanager:GetSecretValue\"], Resource: $secret}"
    ));
    assert!(!deploy.contains("DB_PASSWORD_ENC") && !deploy.contains("url_encode"));
    let stack_deploy = f.text("deploy-stack.sh");
    assert!(stack_deploy.contains(
        "put_secret_param DATABASE_READ_URL \
            \"postgresql://${DB_USER}@${READ_HOST}:5432/${DB_NAME}?sslmode=verify-full\""
    ));
    assert!(!stack_deploy.contains("secretsmanager get-secret-value"));
}

/// node-postgres verifies the server certificate (the URLs say `sslmode=verify-full`), so the
/// image carries RDS's CA bundle, readable by the unprivileged user (ADD from a URL is 0600
/// otherwise), and Node.js adds it to its trust store before any worker starts.
#[test]
fn the_image_trusts_rds_certificates() {
    for cluster in [false, true] {
        let mut s = medium();
        s.backend.node_cluster = cluster;
        s.backend.task_cpu = 2048;
        s.backend.task_memory_mib = 4096;
        let f = Files::of(&s);
        let docker = f.text("Dockerfile");
        let runtime = &docker[docker.rfind("\nFROM ").unwrap()..];
        assert!(runtime.contains(
            "\nADD --chmod=644 https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem \
                /etc/ssl/certs/rds-global-bundle.pem\n"
        ));
        assert!(
            runtime.contains("\nENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/rds-global-bundle.pem\n")
        );
        // Before the USER line and the start command: the bundle is in place when node starts.
        assert!(runtime.find("NODE_EXTRA_CA_CERTS").unwrap() < runtime.find("\nCMD ").unwrap());
        for script in ["deploy.sh", "deploy-stack.sh"] {
            let urls: Vec<_> =
                f.text(script).lines().filter(|l| l.contains("postgresql://")).collect();
            assert_eq!(urls.len(), 2, "{script}");
            assert!(
                urls.iter().all(|l| l.ends_with("?sslmode=verify-full\"")),
                "{script}: {urls:?}"
            );
        }
    }
}

/// Writes the exported files of `s` into a fresh directory (`out/`).
fn exported(s: &Scenario, name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("sp-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for sub in ["out", "backend"] {
        std::fs::create_dir_all(dir.join(sub)).unwrap();
    }
    let p = plan(s, &Catalog::embedded());
    for f in all_files(s, &p) {
        std::fs::write(dir.join("out").join(f.name()), f.content).unwrap();
    }
    dir
}

/// Runs an exported script under bash with `aws` and `docker` as exported shell functions that
/// log their arguments to `<dir>/<tool>.calls`, read their input as the real ones do (a pipe
/// into one that does not would end the writer with SIGPIPE) and print nothing. Functions, not
/// stub files: a file written while another test thread forks can fail to exec with ETXTBSY.
fn run_with_stubs(
    dir: &std::path::Path,
    script: &str,
    env: &[(&str, String)],
) -> std::process::Output {
    let mut cmd = std::process::Command::new("bash");
    cmd.arg(dir.join("out").join(script));
    for tool in ["aws", "docker"] {
        let log = dir.join(format!("{tool}.calls"));
        cmd.env(
            format!("BASH_FUNC_{tool}%%"),
            format!("() {{ printf '%s\\n' \"$*\" >> '{}'; cat > /dev/null; }}", log.display()),
        );
    }
    cmd.envs(env.iter().map(|(k, v)| (*k, v.as_str()))).output().unwrap()
}

/// The image is built from the exported Dockerfile on every run, even when BACKEND_DIR has a
/// Dockerfile of its own from an earlier deploy (which used to be kept, so turning cluster mode
/// on never reached the image); the script says the other one is not used.
#[test]
fn deploy_stack_builds_from_the_exported_dockerfile() {
    let mut s = medium();
    s.backend.node_cluster = true;
    s.backend.task_cpu = 2048;
    s.backend.task_memory_mib = 4096;
    let dir = exported(&s, "dockerfile");
    std::fs::write(dir.join("backend/Dockerfile"), "FROM node:20\nCMD [\"node\", \"server.js\"]\n")
        .unwrap();
    let out = run_with_stubs(
        &dir,
        "deploy-stack.sh",
        &[
            ("VPC_ID", "vpc-0123456789abcdef0".into()),
            ("PUBLIC_SUBNETS", "subnet-0aaaaaaaaaaaaaaa1,subnet-0aaaaaaaaaaaaaaa2".into()),
            ("PRIVATE_SUBNETS", "subnet-0bbbbbbbbbbbbbbb1,subnet-0bbbbbbbbbbbbbbb2".into()),
            ("BACKEND_DIR", dir.join("backend").display().to_string()),
            ("FRONTEND_DIST", dir.join("no-dist").display().to_string()),
        ],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{:?}\n{stdout}\n{stderr}", out.status);
    let docker = std::fs::read_to_string(dir.join("docker.calls")).unwrap();
    let build = docker.lines().find(|l| l.starts_with("build ")).expect("no docker build");
    let exported = dir.join("out/Dockerfile");
    assert!(build.contains(&format!(" -f {} ", exported.display())), "{build}");
    assert!(build.ends_with(&format!(" {}", dir.join("backend").display())), "{build}");
    assert!(stderr.contains("backend/Dockerfile differs and is not used"), "{stderr}");
    // The backend's own Dockerfile is left as it was.
    let own = std::fs::read_to_string(dir.join("backend/Dockerfile")).unwrap();
    assert!(!own.contains("WEB_CONCURRENCY"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// A re-run of deploy.sh with another cache engine in the plan: Redis OSS -> Valkey is switched
/// in place for a replication group with the plan's engine arguments (version 8.0 and the Valkey
/// parameter group, from ENGINE_ARGS), anything else stops with a message. (tests/moto_deploy.py
/// runs both directions against moto.)
#[test]
fn deploy_sh_switches_a_redis_replication_group_to_valkey() {
    let mut s = medium();
    s.cache.engine = CacheEngine::Valkey;
    let f = Files::of(&s);
    let deploy = f.text("deploy.sh");
    assert!(deploy.contains(
        "aws elasticache modify-replication-group --replication-group-id \"$CACHE_ID\" \
            \"${ENGINE_ARGS[@]}\" \\\n        --apply-immediately"
    ));
    assert!(deploy
        .contains("elif [ \"$RUNNING_ENGINE\" = redis ] && [ \"$CACHE_ENGINE\" = valkey ]; then"));
    assert_eq!(f.setting("deploy.sh", "CACHE_ENGINE").as_deref(), Some("'valkey'"));
    assert_eq!(f.setting("deploy.sh", "CACHE_ENGINE_VERSION").as_deref(), Some("'8.0'"));
    // Both existing-cache paths read the running engine before waiting on the cache.
    assert_eq!(deploy.matches("RUNNING_ENGINE=\"$(aws elasticache describe-").count(), 2);
}

/// teardown.sh looks security groups up in the app's VPC only, so it needs VPC_ID: without it,
/// one line naming what to set and no AWS call.
#[test]
fn teardown_needs_the_vpc() {
    let dir = exported(&medium(), "teardown");
    let out = run_with_stubs(&dir, "teardown.sh", &[("VPC_ID", String::new())]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stderr.trim(), "teardown.sh: set VPC_ID: the VPC deploy.sh deployed into (vpc-...)");
    assert!(!dir.join("aws.calls").exists());
    let _ = std::fs::remove_dir_all(&dir);
}
