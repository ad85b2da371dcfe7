//! The `scaling-plan` CLI and the exporters, natively. (AWS-model validation, shellcheck and
//! hadolint run from tests/aws_validate.py.)

use bridge_planner::cli::run;
use bridge_planner::export::{all_files, tar_archive};
use bridge_planner::model::{plan, Catalog, Tier};
use std::process::Command;

fn args(a: &[&str]) -> Vec<String> {
    a.iter().map(|s| s.to_string()).collect()
}

#[test]
fn scenario_and_plan_commands_print_json() {
    let scenario = run(&args(&["scenario", "--tier", "small"])).unwrap();
    let v: serde_json::Value = serde_json::from_str(&scenario).unwrap();
    assert_eq!(v["backend"]["tasks_average"], 2);
    let p: serde_json::Value =
        serde_json::from_str(&run(&args(&["plan", "--tier", "medium"])).unwrap()).unwrap();
    assert!(p["monthly_total_usd"].as_f64().unwrap() > 0.0);
    let line = &p["cost_lines"][0];
    for key in ["component", "item", "quantity", "unit_price_usd", "monthly_usd"] {
        assert!(!line[key].is_null(), "cost line has {key}");
    }
    assert!(p["capacity"]["tasks_needed"].as_u64().is_some());
    assert!(p["warnings"].is_array());
    assert!(p["simulation"]["task_hours"].as_f64().unwrap() > 0.0);
    assert!(p["simulation"]["overload_minutes"].as_u64().is_some());
    assert!(p["simulation"]["monthly_cost_typical_usd"].as_f64().unwrap() > 0.0);
    assert_eq!(p["tiers"].as_array().unwrap().len(), 3);
    let spike: serde_json::Value = serde_json::from_str(
        &run(&args(&["plan", "--tier", "small", "--profile", "launch_spike", "--horizon", "day"]))
            .unwrap(),
    )
    .unwrap();
    assert_eq!(spike["simulation"]["profile"], "launch_spike");
    assert_eq!(spike["simulation"]["horizon"], "day");
    assert!(run(&args(&["plan", "--tier", "small", "--profile", "rush"]))
        .unwrap_err()
        .to_string()
        .contains("--profile must be"));
}

#[test]
fn bad_input_is_a_clear_error() {
    assert!(run(&args(&["plan", "--tier", "huge"]))
        .unwrap_err()
        .to_string()
        .contains("small, medium or large"));
    assert!(run(&args(&["plan"]))
        .unwrap_err()
        .to_string()
        .contains("missing --tier, --scenario or --link"));
    assert!(run(&args(&["frobnicate"])).unwrap_err().to_string().contains("unknown command"));
    assert!(run(&args(&["plan", "--scenario", "/no/such/file.json"]))
        .unwrap_err()
        .to_string()
        .contains("cannot read"));
}

#[test]
fn binary_exits_2_naming_the_field_and_never_panics() {
    let dir = std::env::temp_dir().join(format!("sp-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.json");
    let mut v = serde_json::to_value(Tier::Small.scenario()).unwrap();
    v["database"]["read_replicas"] = serde_json::json!("three");
    std::fs::write(&bad, v.to_string()).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_scaling-plan"))
        .args(["plan", "--scenario", bad.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("database.read_replicas"), "{err}");
    std::fs::write(&bad, "\u{0}\u{1}garbage").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_scaling-plan"))
        .args(["plan", "--scenario", bad.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn export_writes_every_file() {
    let dir = std::env::temp_dir().join(format!("sp-export-{}", std::process::id()));
    let listed =
        run(&args(&["export", "--tier", "large", "--out", dir.to_str().unwrap()])).unwrap();
    for name in [
        "taskdef.json",
        "ecs-task-definition.yml",
        "service.json",
        "scalable-target.json",
        "scaling-policy.json",
        "Dockerfile",
        "cloudfront-config.json",
        "deploy.sh",
        "teardown.sh",
    ] {
        assert!(dir.join(name).exists(), "{name}");
        assert!(listed.contains(name));
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn exports_carry_the_plan() {
    let c = Catalog::embedded();
    let s = Tier::Large.scenario();
    let p = plan(&s, &c);
    let files = all_files(&s, &p);
    let get = |n: &str| files.iter().find(|f| f.name() == n).unwrap().content.clone();
    let td: serde_json::Value = serde_json::from_str(&get("taskdef.json")).unwrap();
    assert_eq!(td["cpu"], "1024");
    assert_eq!(td["memory"], "2048");
    assert_eq!(td["networkMode"], "awsvpc");
    let env: Vec<&str> = td["containerDefinitions"][0]["environment"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert!(!env.contains(&"DATABASE_URL"), "secrets are not environment");
    let target: serde_json::Value = serde_json::from_str(&get("scalable-target.json")).unwrap();
    assert_eq!(
        (target["MinCapacity"].as_u64(), target["MaxCapacity"].as_u64()),
        (Some(10), Some(20))
    );
    // The document's step rule is the policy that was simulated.
    let policy: serde_json::Value = serde_json::from_str(&get("scaling-policy.json")).unwrap();
    assert_eq!(policy["PolicyType"], "StepScaling");
    let deploy = get("deploy.sh");
    assert!(
        deploy.contains("\nSCALE_OUT_CPU='70'\n") && deploy.contains("\nSCALE_IN_CPU='30'\n"),
        "the document's 70%/30% rule"
    );
    assert!(
        deploy.contains("--manage-master-user-password")
            && !deploy.contains("--master-username admin")
    );
    assert!(
        deploy.contains("\nCACHE_LAYOUT='cluster'\n") && deploy.contains("\nCACHE_SHARDS='3'\n")
    );
    assert!(deploy.contains(&format!("{:.2}", p.monthly_total_usd)));
    for f in &files {
        assert!(
            f.content.contains(&format!("{:.2}", p.monthly_total_usd))
                || f.name().ends_with(".json"),
            "{} has the header",
            f.name()
        );
    }
    let docker = get("Dockerfile");
    assert!(
        docker.contains("FROM node:24-alpine")
            && docker.contains("npm ci --omit=dev")
            && docker.contains("USER ")
            && docker.contains("HEALTHCHECK")
    );
    // A single-node cache uses create-cache-cluster.
    let small = Tier::Small.scenario();
    let files = all_files(&small, &plan(&small, &c));
    assert!(files
        .iter()
        .find(|f| f.name() == "deploy.sh")
        .unwrap()
        .content
        .contains("\nCACHE_LAYOUT='single'\n"));
}

#[test]
fn hostile_scenario_names_stay_in_comments() {
    let c = Catalog::embedded();
    let mut s = Tier::Small.scenario();
    s.name = "x\"\n rm -rf / $(reboot) `id`".into();
    let files = all_files(&s, &plan(&s, &c));
    let deploy = &files.iter().find(|f| f.name() == "deploy.sh").unwrap().content;
    let mut matched = 0;
    for l in deploy.lines().filter(|l| l.contains("rm -rf /")) {
        assert!(l.starts_with('#'), "{l}");
        matched += 1;
    }
    assert_eq!(matched, 1, "the name appears once, in the header comment");
}

#[test]
fn tar_archive_is_well_formed() {
    let c = Catalog::embedded();
    let s = Tier::Medium.scenario();
    let files = all_files(&s, &plan(&s, &c));
    let tar = tar_archive(&files);
    assert_eq!(tar.len() % 512, 0);
    let dir = std::env::temp_dir().join(format!("sp-tar-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("all.tar"), &tar).unwrap();
    let ok = Command::new("tar")
        .arg("-xf")
        .arg(dir.join("all.tar"))
        .arg("-C")
        .arg(&dir)
        .status()
        .unwrap();
    assert!(ok.success());
    for f in &files {
        assert_eq!(std::fs::read_to_string(dir.join(f.name())).unwrap(), f.content);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_simulated_schedule_is_exported() {
    use bridge_planner::model::simulate::Schedule;
    let c = Catalog::embedded();
    let mut s = Tier::Medium.scenario();
    s.simulation.schedule = Some(Schedule { from_hour: 8, to_hour: 18, min_tasks: 4 });
    let files = all_files(&s, &plan(&s, &c));
    let start: serde_json::Value = serde_json::from_str(
        &files.iter().find(|f| f.name() == "scheduled-action-start.json").unwrap().content,
    )
    .unwrap();
    assert_eq!(start["Schedule"], "cron(0 8 ? * MON-FRI *)");
    assert_eq!(start["ScalableTargetAction"]["MinCapacity"], 4);
    let end: serde_json::Value = serde_json::from_str(
        &files.iter().find(|f| f.name() == "scheduled-action-end.json").unwrap().content,
    )
    .unwrap();
    assert_eq!(end["ScalableTargetAction"]["MinCapacity"], s.backend.tasks_min);
    assert!(files
        .iter()
        .find(|f| f.name() == "deploy.sh")
        .unwrap()
        .content
        .contains("\nSCHEDULED_MINIMUM='true'\n"));
    // Without a schedule there is nothing to schedule.
    let plain = Tier::Medium.scenario();
    assert!(!all_files(&plain, &plan(&plain, &c))
        .iter()
        .any(|f| f.name().starts_with("scheduled-action")));
}

#[test]
fn binary_exits_1_for_files_it_cannot_read_and_names_fields_by_json_path() {
    let out = Command::new(env!("CARGO_BIN_EXE_scaling-plan"))
        .args(["plan", "--scenario", "/no/such/dir/scenario.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read scenario file"));

    let dir = std::env::temp_dir().join(format!("sp-cli-path-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("slow.json");
    let mut v = serde_json::to_value(Tier::Small.scenario()).unwrap();
    v["backend"]["cpu_ms_per_request"] = serde_json::json!(5000.0);
    std::fs::write(&bad, v.to_string()).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_scaling-plan"))
        .args(["plan", "--scenario", bad.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("field `backend.cpu_ms_per_request`"), "{err}");
    // An output directory that cannot be created (a file is in the way) is an I/O failure.
    let blocker = dir.join("file");
    std::fs::write(&blocker, "x").unwrap();
    let out_dir = blocker.join("out");
    let out = Command::new(env!("CARGO_BIN_EXE_scaling-plan"))
        .args(["export", "--tier", "small", "--out", out_dir.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_ec2_fleet_gets_ec2_exports() {
    use bridge_planner::model::scenario::LaunchType;
    let c = Catalog::embedded();
    let mut s = Tier::Medium.scenario();
    s.backend.launch_type = LaunchType::Ec2;
    s.backend.ec2_instance = "t3.small".into();
    s.backend.ec2_count = 3;
    let files = all_files(&s, &plan(&s, &c));
    let get = |n: &str| files.iter().find(|f| f.name() == n).unwrap().content.clone();
    let td: serde_json::Value = serde_json::from_str(&get("taskdef.json")).unwrap();
    assert_eq!(td["requiresCompatibilities"], serde_json::json!(["EC2"]));
    assert_eq!(td["networkMode"], "awsvpc");
    // One task per vCPU: t3.small has 2 vCPUs and 2 GiB; 2048 MiB x 90% / 2 = 921.6, in 32 MiB
    // steps 896 MiB per task.
    assert_eq!((td["cpu"].as_str(), td["memory"].as_str()), (Some("1024"), Some("896")));
    assert_eq!(td["runtimePlatform"]["cpuArchitecture"], "X86_64");
    assert!(td.get("ephemeralStorage").is_none());
    let svc: serde_json::Value = serde_json::from_str(&get("service.json")).unwrap();
    assert_eq!(svc["capacityProviderStrategy"][0]["capacityProvider"], "bridge-ec2");
    assert!(svc.get("launchType").is_none() && svc.get("platformVersion").is_none());
    // 3 instances x 2 vCPUs = 6 tasks, all the time (the fixed fleet the plan prices).
    assert_eq!(svc["desiredCount"], 6);
    assert_eq!(svc["networkConfiguration"]["awsvpcConfiguration"]["assignPublicIp"], "DISABLED");
    let target: serde_json::Value = serde_json::from_str(&get("scalable-target.json")).unwrap();
    assert_eq!(
        (target["MinCapacity"].as_u64(), target["MaxCapacity"].as_u64()),
        (Some(6), Some(6))
    );
    let deploy = get("deploy.sh");
    for setting in [
        "LAUNCH_TYPE='ec2'",
        "EC2_INSTANCE_TYPE='t3.small'",
        "EC2_INSTANCES='3'",
        "EC2_AMI_PARAMETER='/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id'",
        "IMAGE_PLATFORM='linux/amd64'",
    ] {
        assert!(deploy.contains(&format!("\n{setting}\n")), "{setting}");
    }
    assert!(get("teardown.sh").contains("\nLAUNCH_TYPE='ec2'\n"));
    // Fargate stays Fargate.
    let fargate = Tier::Medium.scenario();
    let files = all_files(&fargate, &plan(&fargate, &c));
    let td: serde_json::Value = serde_json::from_str(&files[0].content).unwrap();
    assert_eq!(td["requiresCompatibilities"], serde_json::json!(["FARGATE"]));
    assert!(files
        .iter()
        .find(|f| f.name() == "deploy.sh")
        .unwrap()
        .content
        .contains("\nLAUNCH_TYPE='fargate'\n"));
}

#[test]
fn a_share_link_becomes_the_same_files_the_app_shows() {
    use bridge_planner::model::share::{decode_link, encode_link, encode_short_link};
    let c = Catalog::embedded();
    let mut s = Tier::Large.scenario();
    s.name = "From the product lead".into();
    s.deploy.health_check_path = "/$(id)".into();
    let url = format!("https://planner.example.com/?utm=x#{}", encode_link(&s));
    let dir = std::env::temp_dir().join(format!("sp-link-{}", std::process::id()));
    let listed = run(&args(&[
        "export",
        "--link",
        &url,
        "--out",
        dir.to_str().unwrap(),
        "--planner-url",
        "https://plans.example.org/app/",
    ]))
    .unwrap();
    let expected = bridge_planner::export::render_all(&bridge_planner::export::Context::new(
        &s,
        &plan(&s, &c),
        "https://plans.example.org/app/",
    ));
    assert_eq!(listed.lines().count(), expected.len());
    for f in &expected {
        assert_eq!(std::fs::read_to_string(dir.join(f.name())).unwrap(), f.content, "{}", f.name());
    }
    let deploy = std::fs::read_to_string(dir.join("deploy.sh")).unwrap();
    assert!(deploy.contains(&format!(
        "# Reopen in the planner: https://plans.example.org/app/#{}",
        encode_short_link(&s)
    )));
    // The short link (the differences from the nearest tier) opens the same scenario.
    assert_eq!(decode_link(&encode_short_link(&s), &c).unwrap(), s);
    let _ = std::fs::remove_dir_all(&dir);
    // The default header link is the published planner, not a local address.
    assert!(all_files(&s, &plan(&s, &c))[1]
        .content
        .contains(bridge_planner::export::DEFAULT_PLANNER_URL));
    assert!(!bridge_planner::export::DEFAULT_PLANNER_URL.contains("127.0.0.1"));
    // plan --link reads the fragment alone too, and prints the same plan as the scenario.
    let from_link: serde_json::Value =
        serde_json::from_str(&run(&args(&["plan", "--link", &encode_link(&s)])).unwrap()).unwrap();
    assert_eq!(from_link["monthly_total_usd"].as_f64(), Some(plan(&s, &c).monthly_total_usd));
    // A damaged or hostile link is refused with the reason.
    let err = run(&args(&["plan", "--link", "https://planner.example.com/#s=v1.AAAA"]))
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("--link: the link is damaged"), "{err}");
    let err = run(&args(&[
        "export",
        "--tier",
        "small",
        "--out",
        "/tmp/x",
        "--planner-url",
        "javascript:alert(1)",
    ]))
    .unwrap_err()
    .to_string();
    assert!(err.contains("--planner-url must be"), "{err}");
    assert!(run(&args(&["plan", "--tier", "small", "--link", &url]))
        .unwrap_err()
        .to_string()
        .contains("one of --tier, --scenario and --link"));
}

#[test]
fn plan_prints_a_readable_summary_as_text() {
    let c = Catalog::embedded();
    let s = Tier::Medium.scenario();
    let p = plan(&s, &c);
    let text = run(&args(&["plan", "--tier", "medium", "--format", "text"])).unwrap();
    let first = text.lines().next().unwrap();
    let total = format!("{:.2}", p.monthly_total_usd);
    assert!(
        first.starts_with("Medium tier (us-east-1): $")
            && first.contains(&total[..total.len() - 3]),
        "{first}"
    );
    // One line per cost line, each ending in its monthly figure.
    let mut matched = 0;
    for line in &p.cost_lines {
        let row = text
            .lines()
            .find(|l| l.contains(&line.item))
            .unwrap_or_else(|| panic!("no row for {}", line.item));
        assert!(
            row.contains(&format!("= ${:.2}", line.monthly_usd)) || line.monthly_usd >= 1000.0,
            "{row}"
        );
        matched += 1;
    }
    assert!(matched > 10, "{matched} cost lines");
    assert!(text.contains(&format!("Warnings ({})", p.warnings.len())));
    for w in &p.warnings {
        assert!(text.contains(&w.message));
    }
    // JSON stays the default.
    assert!(run(&args(&["plan", "--tier", "medium"])).unwrap().trim_start().starts_with('{'));
    assert!(run(&args(&["plan", "--tier", "medium", "--format", "yaml"]))
        .unwrap_err()
        .to_string()
        .contains("json, text or csv"));
}

#[test]
fn deploy_refuses_replicas_without_backups_before_calling_aws() {
    use std::os::unix::fs::PermissionsExt;
    let c = Catalog::embedded();
    let mut s = Tier::Medium.scenario();
    s.database.read_replicas = 1;
    s.database.backup_retention_days = 0;
    let dir = std::env::temp_dir().join(format!("sp-replicas-{}", std::process::id()));
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    for tool in ["aws", "jq", "docker"] {
        // Any call would be recorded: none may happen.
        let path = bin.join(tool);
        std::fs::write(
            &path,
            format!("#!/bin/sh\necho {tool} >> '{}/called'\nexit 1\n", dir.display()),
        )
        .unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let files = all_files(&s, &plan(&s, &c));
    for f in &files {
        std::fs::write(dir.join(f.name()), &f.content).unwrap();
    }
    let out = Command::new("bash")
        .arg(dir.join("deploy.sh"))
        .env("PATH", format!("{}:/usr/bin:/bin", bin.display()))
        .env("VPC_ID", "vpc-1")
        .env("PUBLIC_SUBNETS", "subnet-a,subnet-b")
        .env("PRIVATE_SUBNETS", "subnet-c,subnet-d")
        .env("BACKEND_DIR", &dir)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("read replicas but no automated backups"), "{err}");
    assert!(!dir.join("called").exists(), "no tool ran");
    let _ = std::fs::remove_dir_all(&dir);
}

/// awsvpc tasks on EC2 each take a network interface and the instance keeps one
/// (task-networking-awsvpc.html): a t3.xlarge (4 vCPU, 4 interfaces) runs 3 tasks, a t3.micro
/// (2 vCPU, 2 interfaces) 1. The plan's capacity, the warning and the exported service agree:
/// 3 t3.xlarge = 9 tasks of 16,384 MiB x 90% / 3 = 4915.2 -> 4896 MiB (32 MiB steps);
/// 2 t3.micro = 2 tasks of 1,024 x 90% / 1 = 921.6 -> 896 MiB.
#[test]
fn ec2_tasks_stop_at_the_instances_network_interfaces() {
    use bridge_planner::model::scenario::LaunchType;
    let c = Catalog::embedded();
    for (instance, count, tasks, memory, idle) in
        [("t3.xlarge", 3, 9, "4896", 1), ("t3.micro", 2, 2, "896", 1), ("t3.small", 3, 6, "896", 0)]
    {
        let mut s = Tier::Medium.scenario();
        s.backend.launch_type = LaunchType::Ec2;
        s.backend.ec2_instance = instance.into();
        s.backend.ec2_count = count;
        let p = plan(&s, &c);
        assert_eq!(p.capacity.workers_at_peak, tasks, "{instance}");
        let warned = p.warnings.iter().find(|w| w.code.key() == "eni_limit");
        assert_eq!(warned.is_some(), idle > 0, "{instance}: {:?}", p.warnings);
        if let Some(w) = warned {
            assert!(w.message.contains(&format!("{idle} of its")), "{}", w.message);
        }
        let files = all_files(&s, &p);
        let get = |n: &str| files.iter().find(|f| f.name() == n).unwrap().content.clone();
        let svc: serde_json::Value = serde_json::from_str(&get("service.json")).unwrap();
        assert_eq!(svc["desiredCount"], tasks, "{instance}");
        let td: serde_json::Value = serde_json::from_str(&get("taskdef.json")).unwrap();
        assert_eq!(td["memory"].as_str(), Some(memory), "{instance}");
    }
}
