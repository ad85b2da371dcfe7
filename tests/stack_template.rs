//! stack.yaml against the other exports: the task definition, service, scalable target,
//! scaling policies and scheduled actions inside the template are the values of taskdef.json,
//! service.json, scalable-target.json, scaling-policy*.json and scheduled-action-*.json, field
//! by field; the alarms, budget, log retention, database and cache are deploy.sh's.
//! (cfn-lint and the stack in a mock AWS run from tests/stack_check.py.)

use bridge_planner::export::stack::template;
use bridge_planner::export::{all_files, Context, DEFAULT_PLANNER_URL};
use bridge_planner::model::scenario::{Arch, LaunchType, NetworkLayout, ScalingPolicyKind};
use bridge_planner::model::simulate::Schedule;
use bridge_planner::model::{plan, Catalog, Scenario, Tier};
use proptest::prelude::*;
use serde_json::{json, Map, Value};

const ACCOUNT: &str = "111122223333";

/// Presets and variants that exercise each branch of the exports.
fn scenarios() -> Vec<(&'static str, Scenario)> {
    let mut out = vec![
        ("small", Tier::Small.scenario()),
        ("medium", Tier::Medium.scenario()),
        ("large", Tier::Large.scenario()),
    ];
    let mut spot = Tier::Medium.scenario();
    spot.backend.spot_share = 0.5;
    spot.backend.ephemeral_storage_gib = 50;
    spot.backend.scaling_policy = ScalingPolicyKind::TargetTracking;
    spot.region = "eu-west-1".into();
    spot.simulation.schedule = Some(Schedule { from_hour: 7, to_hour: 24, min_tasks: 3 });
    out.push(("spot, target tracking, schedule, eu-west-1", spot));
    let mut public = Tier::Small.scenario();
    public.network.layout = NetworkLayout::Public;
    public.backend.spot_share = 1.0;
    public.deploy.app_name = "shop-prod-2".into();
    public.cache.cluster_mode = true;
    public.cache.shards = 2;
    public.cache.replicas_per_shard = 1;
    out.push(("public, all Spot, cluster-mode cache with replicas", public));
    let mut ec2 = Tier::Medium.scenario();
    ec2.backend.launch_type = LaunchType::Ec2;
    ec2.backend.ec2_count = 3;
    ec2.database.read_replicas = 2;
    out.push(("EC2 fleet", ec2));
    out
}

struct Exported {
    files: Map<String, Value>,
    text: Map<String, Value>,
    stack: Value,
}

fn export(s: &Scenario) -> Exported {
    let c = Catalog::embedded();
    let p = plan(s, &c);
    let mut files = Map::new();
    let mut text = Map::new();
    for f in all_files(s, &p) {
        if f.name().ends_with(".json") {
            files.insert(f.name().to_string(), serde_json::from_str(&f.content).unwrap());
        }
        text.insert(f.name().to_string(), Value::String(f.content));
    }
    let stack = template(&Context::new(s, &p, DEFAULT_PLANNER_URL));
    Exported { files, text, stack }
}

fn res<'a>(stack: &'a Value, id: &str) -> &'a Value {
    let r = &stack["Resources"][id];
    assert!(r.is_object(), "no resource {id}");
    r
}

/// What each reference in the template stands for in the API files: the names the template
/// gives its own resources, and the documentation account. Subnets and the task security group
/// are the API files' placeholders (deploy.sh fills both in from what it creates).
fn resolve_ref(stack: &Value, name: &str) -> Value {
    let props = |id: &str| &res(stack, id)["Properties"];
    match name {
        "Cluster" => props("Cluster")["ClusterName"].clone(),
        "TaskDefinition" => props("TaskDefinition")["Family"].clone(),
        "LogGroup" => props("LogGroup")["LogGroupName"].clone(),
        "CapacityProvider" => props("CapacityProvider")["Name"].clone(),
        "PublicSubnets" | "PrivateSubnets" => {
            json!(["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"])
        }
        "TargetGroup" => json!(format!(
            "arn:aws:elasticloadbalancing:{}:{ACCOUNT}:targetgroup/{}/0123456789abcdef",
            stack["Rules"]["PlannedRegion"]["Assertions"][0]["Assert"]["Fn::Equals"][1]
                .as_str()
                .unwrap(),
            props("TargetGroup")["Name"].as_str().unwrap()
        )),
        "AWS::AccountId" => json!(ACCOUNT),
        "ImageTag" => stack["Parameters"]["ImageTag"]["Default"].clone(),
        other => panic!("unexpected reference {other}"),
    }
}

fn resolve_att(stack: &Value, resource: &str, attribute: &str) -> Value {
    let props = &res(stack, resource)["Properties"];
    let region = stack["Rules"]["PlannedRegion"]["Assertions"][0]["Assert"]["Fn::Equals"][1]
        .as_str()
        .unwrap();
    match (resource, attribute) {
        (_, "Arn") if res(stack, resource)["Type"] == "AWS::IAM::Role" => {
            json!(format!("arn:aws:iam::{ACCOUNT}:role/{}", props["RoleName"].as_str().unwrap()))
        }
        ("Repository", "RepositoryUri") => {
            json!(format!(
                "{ACCOUNT}.dkr.ecr.{region}.amazonaws.com/{}",
                props["RepositoryName"].as_str().unwrap()
            ))
        }
        ("TaskSecurityGroup", "GroupId") => json!("sg-0123456789abcdef0"),
        // The secret RDS creates: the API files carry a placeholder that deploy.sh replaces.
        ("Database", "MasterUserSecret.SecretArn") => {
            json!(bridge_planner::export::placeholder_db_secret_arn(region, ACCOUNT))
        }
        other => panic!("unexpected attribute {other:?}"),
    }
}

/// Evaluates the intrinsic functions of a property value as a deploy with the documentation
/// account and the default parameters would.
fn eval(stack: &Value, v: &Value) -> Value {
    match v {
        Value::Object(m) if m.len() == 1 && m.contains_key("Ref") => {
            resolve_ref(stack, m["Ref"].as_str().unwrap())
        }
        Value::Object(m) if m.len() == 1 && m.contains_key("Fn::GetAtt") => {
            let a = m["Fn::GetAtt"].as_array().unwrap();
            resolve_att(stack, a[0].as_str().unwrap(), a[1].as_str().unwrap())
        }
        Value::Object(m) if m.len() == 1 && m.contains_key("Fn::Sub") => {
            let mut text = m["Fn::Sub"].as_str().unwrap().to_string();
            while let Some(start) = text.find("${") {
                let end = start + text[start..].find('}').unwrap();
                let var = &text[start + 2..end];
                let value = match var.split_once('.') {
                    Some((r, a)) => resolve_att(stack, r, a),
                    None => resolve_ref(stack, var),
                };
                text.replace_range(start..=end, value.as_str().unwrap());
            }
            json!(text)
        }
        Value::Object(m) => {
            assert!(!m.keys().any(|k| k.starts_with("Fn::")), "unexpected function in {v}");
            Value::Object(m.iter().map(|(k, v)| (k.clone(), eval(stack, v))).collect())
        }
        Value::Array(items) => Value::Array(items.iter().map(|i| eval(stack, i)).collect()),
        other => other.clone(),
    }
}

/// CloudFormation property names that are not the API name with a capital first letter.
const CFN_RENAMES: [(&str, &str); 1] = [("placementstrategies", "placementstrategy")];

/// Field names compared without case (API `containerDefinitions` is CloudFormation's
/// `ContainerDefinitions`), after the documented renames.
fn fold_names(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, v)| {
                    let k = k.to_ascii_lowercase();
                    let k = CFN_RENAMES
                        .iter()
                        .find(|(c, _)| *c == k)
                        .map(|(_, a)| a.to_string())
                        .unwrap_or(k);
                    (k, fold_names(v))
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(fold_names).collect()),
        other => other.clone(),
    }
}

fn assert_same(what: &str, api: &Value, cfn: &Value) {
    let (a, c) = (fold_names(api), fold_names(cfn));
    if a != c {
        panic!(
            "{what} differs from its API file:\n api: {}\n cfn: {}",
            serde_json::to_string(&a).unwrap(),
            serde_json::to_string(&c).unwrap()
        );
    }
}

#[test]
fn task_definition_service_and_scaling_are_the_api_files() {
    for (name, s) in scenarios() {
        assert_template_holds_api_files(name, &s);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]
    /// The same for scenarios drawn across every setting the four files depend on.
    #[test]
    fn any_scenario_template_holds_the_api_files(
        tier in prop::sample::select(vec![Tier::Small, Tier::Medium, Tier::Large]),
        spot in prop::sample::select(vec![0.0, 0.2, 0.5, 1.0]),
        step in any::<bool>(),
        schedule in proptest::option::of((0u32..23, 1u32..24, 0u32..30)),
        (tasks_min, extra) in (0u32..20, 1u32..40),
        ephemeral in prop::sample::select(vec![20u32, 21, 64, 200]),
        arm in any::<bool>(),
        port in prop::sample::select(vec![80u16, 3000, 8080]),
        public in any::<bool>(),
        ec2 in any::<bool>(),
        region in prop::sample::select(vec!["us-east-1", "eu-west-1", "ap-southeast-2",
            "sa-east-1"]),
        app in prop::sample::select(vec!["bridge", "acme-api", "x1", "shop-prod-2"]),
    ) {
        let mut s = tier.scenario();
        let b = &mut s.backend;
        b.spot_share = spot;
        b.scaling_policy = if step { ScalingPolicyKind::Step } else {
            ScalingPolicyKind::TargetTracking };
        b.tasks_min = tasks_min;
        b.tasks_max = tasks_min + extra;
        b.tasks_average = tasks_min + extra / 2;
        b.ephemeral_storage_gib = ephemeral;
        b.arch = if arm { Arch::Arm } else { Arch::X86 };
        b.container_port = port;
        if ec2 {
            b.launch_type = LaunchType::Ec2;
        }
        s.network.layout = if public { NetworkLayout::Public } else { NetworkLayout::PrivateNat };
        s.simulation.schedule = schedule.map(|(from, len, min)| Schedule { from_hour: from,
            to_hour: (from + len).min(24), min_tasks: min });
        s.region = region.into();
        s.deploy.app_name = app.into();
        assert_template_holds_api_files("generated", &s);
    }
}

fn assert_template_holds_api_files(name: &str, s: &Scenario) {
    {
        let e = export(s);
        let st = &e.stack;
        let td = eval(st, &res(st, "TaskDefinition")["Properties"]);
        assert_same(&format!("{name}: task definition"), &e.files["taskdef.json"], &td);
        let svc = eval(st, &res(st, "Service")["Properties"]);
        assert_same(&format!("{name}: service"), &e.files["service.json"], &svc);
        // The scalable target names the template's own cluster and service.
        let target = &res(st, "ScalableTarget")["Properties"];
        let resource_id = format!(
            "service/{}/{}",
            res(st, "Cluster")["Properties"]["ClusterName"].as_str().unwrap(),
            res(st, "Service")["Properties"]["ServiceName"].as_str().unwrap()
        );
        assert_eq!(target["ResourceId"], json!(resource_id), "{name}");
        let mut bare = target.clone();
        let actions =
            bare.as_object_mut().unwrap().shift_remove("ScheduledActions").unwrap_or(json!([]));
        assert_eq!(bare, e.files["scalable-target.json"], "{name}: scalable target");
        let expected: Vec<&Value> = ["scheduled-action-start.json", "scheduled-action-end.json"]
            .iter()
            .filter_map(|f| e.files.get(*f))
            .collect();
        assert_eq!(actions.as_array().unwrap().len(), expected.len(), "{name}: scheduled actions");
        for (cfn, api) in actions.as_array().unwrap().iter().zip(expected) {
            let mut with_target = cfn.clone();
            for k in ["ServiceNamespace", "ResourceId", "ScalableDimension"] {
                with_target[k] = target[k].clone();
            }
            assert_same(&format!("{name}: scheduled action"), api, &with_target);
        }
        // Every policy file is one ScalingPolicy resource with exactly its properties.
        let policies: Vec<&Value> = st["Resources"]
            .as_object()
            .unwrap()
            .values()
            .filter(|r| r["Type"] == "AWS::ApplicationAutoScaling::ScalingPolicy")
            .map(|r| &r["Properties"])
            .collect();
        let files: Vec<&Value> = ["scaling-policy.json", "scaling-policy-in.json"]
            .iter()
            .filter_map(|f| e.files.get(*f))
            .collect();
        assert_eq!(policies, files, "{name}: scaling policies");
    }
}

#[test]
fn the_comparison_can_fail() {
    let s = Tier::Medium.scenario();
    let e = export(&s);
    let mut td = eval(&e.stack, &res(&e.stack, "TaskDefinition")["Properties"]);
    td["ContainerDefinitions"][0]["PortMappings"][0]["ContainerPort"] = json!(1);
    assert_ne!(fold_names(&e.files["taskdef.json"]), fold_names(&td));
    let mut svc = eval(&e.stack, &res(&e.stack, "Service")["Properties"]);
    svc["DesiredCount"] = json!(999);
    assert_ne!(fold_names(&e.files["service.json"]), fold_names(&svc));
}

/// deploy.sh's generated settings (`NAME='value'` lines).
fn settings(deploy: &str) -> Map<String, Value> {
    deploy
        .lines()
        .filter_map(|l| l.split_once("='"))
        .filter(|(k, v)| {
            !k.is_empty()
                && k.chars().all(|c| c.is_ascii_uppercase() || c == '_' || c.is_ascii_digit())
                && v.ends_with('\'')
        })
        .map(|(k, v)| (k.to_string(), json!(v.trim_end_matches('\''))))
        .collect()
}

/// A word of deploy.sh with its quotes off and a `$SETTING` replaced by the setting's value.
fn word(set: &Map<String, Value>, w: &str) -> String {
    let w = w.trim_matches('"');
    match w.strip_prefix('$') {
        Some(var) => set
            .get(var.trim_matches(|c| c == '{' || c == '}'))
            .and_then(Value::as_str)
            .unwrap_or(w)
            .to_string(),
        None => w.to_string(),
    }
}

/// `--flag` of the `aws cloudwatch put-metric-alarm` call that creates the alarm named `alarm`.
fn deploy_alarm_flag(deploy: &str, alarm: &str, flag: &str) -> Option<String> {
    let set = settings(deploy);
    let call = deploy.split("put-metric-alarm").skip(1).find(|call| {
        let mut words = call.split_whitespace();
        words.next() == Some("--alarm-name")
            && words.next().map(|w| word(&set, w)) == Some(alarm.to_string())
    })?;
    let mut words = call.split_whitespace().skip_while(|w| *w != flag).skip(1);
    words.next().map(|w| word(&set, w))
}

fn setting(deploy: &str, name: &str) -> String {
    settings(deploy)
        .get(name)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("deploy.sh has no setting {name}"))
        .to_string()
}

#[test]
fn alarms_budget_logs_database_and_cache_are_deploy_sh() {
    for (name, s) in scenarios() {
        let e = export(&s);
        let st = &e.stack;
        let deploy = e.text["deploy.sh"].as_str().unwrap();
        let mut alarms = 0;
        for r in st["Resources"]
            .as_object()
            .unwrap()
            .values()
            .filter(|r| r["Type"] == "AWS::CloudWatch::Alarm")
        {
            let p = &r["Properties"];
            let alarm = p["AlarmName"].as_str().unwrap();
            let threshold = deploy_alarm_flag(deploy, alarm, "--threshold")
                .unwrap_or_else(|| panic!("{name}: deploy.sh has no alarm {alarm}"));
            assert_eq!(
                p["Threshold"].as_f64().unwrap(),
                threshold.parse::<f64>().unwrap(),
                "{name}: {alarm}"
            );
            let periods = deploy_alarm_flag(deploy, alarm, "--evaluation-periods").unwrap();
            assert_eq!(
                p["EvaluationPeriods"].as_u64().unwrap().to_string(),
                periods,
                "{name}: {alarm}"
            );
            assert_eq!(
                p["MetricName"].as_str().unwrap(),
                deploy_alarm_flag(deploy, alarm, "--metric-name").unwrap()
            );
            assert_eq!(
                p["Period"].as_u64().unwrap().to_string(),
                deploy_alarm_flag(deploy, alarm, "--period").unwrap()
            );
            alarms += 1;
        }
        let step = s.backend.scaling_policy == ScalingPolicyKind::Step;
        assert_eq!(alarms, if step { 7 } else { 5 }, "{name}: alarms");
        let amount =
            res(st, "Budget")["Properties"]["Budget"]["BudgetLimit"]["Amount"].as_f64().unwrap();
        assert_eq!(amount.to_string(), setting(deploy, "BUDGET_USD"));
        assert_eq!(
            res(st, "LogGroup")["Properties"]["RetentionInDays"].to_string(),
            setting(deploy, "LOG_RETENTION_DAYS")
        );
        let db = &res(st, "Database")["Properties"];
        assert_eq!(db["DBInstanceClass"].as_str().unwrap(), setting(deploy, "DB_CLASS"));
        assert_eq!(db["AllocatedStorage"].as_str().unwrap(), setting(deploy, "DB_STORAGE_GB"));
        assert_eq!(db["StorageType"].as_str().unwrap(), setting(deploy, "DB_STORAGE_TYPE"));
        assert_eq!(db["BackupRetentionPeriod"].to_string(), setting(deploy, "DB_BACKUP_DAYS"));
        assert_eq!(db["MultiAZ"].to_string(), setting(deploy, "DB_MULTI_AZ"));
        assert_eq!(db["MasterUsername"].as_str().unwrap(), setting(deploy, "DB_USER"));
        assert_eq!(db["DBName"].as_str().unwrap(), setting(deploy, "DB_NAME"));
        assert_eq!(db["ManageMasterUserPassword"], json!(true));
        assert!(db.get("MasterUserPassword").is_none(), "no password in the template");
        assert_eq!(s.database.read_replicas.to_string(), setting(deploy, "DB_REPLICAS"));
        for i in 1..=s.database.read_replicas {
            let replica = &res(st, &format!("DatabaseReplica{i}"))["Properties"];
            assert_eq!(replica["SourceDBInstanceIdentifier"], json!({"Ref": "Database"}));
            assert_eq!(
                replica["DBInstanceIdentifier"],
                json!(format!("{}-replica-{i}", setting(deploy, "DB_ID")))
            );
        }
        assert!(st["Resources"]
            .get(format!("DatabaseReplica{}", s.database.read_replicas + 1))
            .is_none());
        let cache = res(st, "Cache");
        let layout = setting(deploy, "CACHE_LAYOUT");
        match cache["Type"].as_str().unwrap() {
            "AWS::ElastiCache::CacheCluster" => assert_eq!(layout, "single", "{name}"),
            _ if cache["Properties"].get("NumNodeGroups").is_some() => {
                assert_eq!(layout, "cluster", "{name}");
                assert_eq!(
                    cache["Properties"]["NumNodeGroups"].to_string(),
                    setting(deploy, "CACHE_SHARDS")
                );
                assert_eq!(
                    cache["Properties"]["ReplicasPerNodeGroup"].to_string(),
                    setting(deploy, "CACHE_REPLICAS_PER_SHARD")
                );
            }
            _ => {
                assert_ne!(layout, "cluster", "{name}");
                assert_ne!(layout, "single", "{name}");
                assert_eq!(
                    cache["Properties"]["NumCacheClusters"],
                    json!(1 + s.cache.replicas_per_shard)
                );
            }
        }
        assert_eq!(
            cache["Properties"]["CacheNodeType"].as_str().unwrap(),
            setting(deploy, "CACHE_NODE_TYPE")
        );
        assert_eq!(
            res(st, "TargetGroup")["Properties"]["HealthCheckPath"].as_str().unwrap(),
            setting(deploy, "HEALTH_PATH")
        );
    }
}

#[test]
fn ec2_launch_type_gets_a_fleet_and_fargate_does_not() {
    for (name, s) in scenarios() {
        let e = export(&s);
        let st = &e.stack;
        let fleet = [
            "LaunchTemplate",
            "AutoScalingGroup",
            "CapacityProvider",
            "ClusterCapacityProviders",
            "InstanceProfile",
        ];
        if s.backend.launch_type == LaunchType::Ec2 {
            for id in fleet {
                res(st, id);
            }
            assert_eq!(
                st["Parameters"]["EcsAmiId"]["Type"],
                "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>"
            );
            assert_eq!(
                st["Parameters"]["EcsAmiId"]["Default"],
                "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id"
            );
            let asg = &res(st, "AutoScalingGroup")["Properties"];
            assert_eq!(asg["MinSize"], json!(s.backend.ec2_count.to_string()));
            let cp = &res(st, "CapacityProvider")["Properties"]["AutoScalingGroupProvider"];
            assert_eq!(cp["ManagedScaling"]["Status"], "ENABLED");
            assert_eq!(
                res(st, "LaunchTemplate")["Properties"]["LaunchTemplateData"]["InstanceType"],
                json!(s.backend.ec2_instance)
            );
        } else {
            for id in fleet {
                assert!(st["Resources"].get(id).is_none(), "{name}: {id} without EC2");
            }
            assert!(st["Parameters"].get("EcsAmiId").is_none());
        }
    }
}

#[test]
fn https_only_with_a_certificate_and_outputs_name_the_urls() {
    let s = Tier::Small.scenario();
    let st = export(&s).stack;
    let api = &res(&st, "ApiListener")["Properties"];
    assert_eq!(api["Protocol"], json!({"Fn::If": ["HasCertificate", "HTTPS", "HTTP"]}));
    assert_eq!(res(&st, "HttpRedirectListener")["Condition"], "HasCertificate");
    assert_eq!(
        st["Conditions"]["HasCertificate"],
        json!({"Fn::Not": [{"Fn::Equals": [{"Ref": "CertificateArn"}, ""]}]})
    );
    for key in ["ApiUrl", "FrontendUrl"] {
        assert!(st["Outputs"][key]["Value"].is_object(), "{key}");
    }
    for p in
        ["VpcId", "PublicSubnets", "PrivateSubnets", "ImageTag", "CertificateArn", "AlertEmail"]
    {
        assert!(st["Parameters"][p].is_object(), "parameter {p}");
    }
    // Every Ref names a parameter, a resource or a pseudo parameter; every GetAtt a resource.
    fn refs(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                if let Some(Value::String(r)) = m.get("Ref") {
                    out.push(r.clone());
                }
                if let Some(Value::Array(a)) = m.get("Fn::GetAtt") {
                    out.push(a[0].as_str().unwrap().to_string());
                }
                m.values().for_each(|v| refs(v, out));
            }
            Value::Array(a) => a.iter().for_each(|v| refs(v, out)),
            _ => {}
        }
    }
    for (_, s) in scenarios() {
        let st = export(&s).stack;
        let mut found = Vec::new();
        refs(&st["Resources"], &mut found);
        refs(&st["Outputs"], &mut found);
        for r in found {
            assert!(
                r.starts_with("AWS::")
                    || st["Parameters"].get(&r).is_some()
                    || st["Resources"].get(&r).is_some(),
                "dangling reference {r}"
            );
        }
    }
}

#[test]
fn stack_yaml_is_in_every_export_list() {
    let c = Catalog::embedded();
    let s = Tier::Small.scenario();
    let files = all_files(&s, &plan(&s, &c));
    let stack = files.iter().find(|f| f.name() == "stack.yaml").expect("stack.yaml exported");
    assert!(stack.content.starts_with("# Generated by Bridge Scaling Planner"));
    assert!(stack.content.contains("aws cloudformation deploy"));
    let script =
        files.iter().find(|f| f.name() == "deploy-stack.sh").expect("deploy-stack.sh exported");
    assert!(script.file.is_script() && script.content.contains("TEMPLATE_FILE='stack.yaml'"));
    assert!(
        script.content.contains("LaunchService=false")
            && script.content.contains("LaunchService=true")
    );
    assert!(bridge_planner::export::files_for(&s)
        .contains(&bridge_planner::export::ExportFile::StackTemplate));
    // The scenario's free text stays in comments and quoted strings.
    // YAML 1.1 readers (PyYAML, so cfn-lint) also break lines at U+0085, U+2028 and U+2029: a
    // name that carried one into the header comment would add a top-level key to the template.
    let mut hostile = Tier::Small.scenario();
    hostile.name = "x\"\nResources: {}\n$(id)\u{2028}Transform: AWS::Include\u{2029}Bogus: \
        1\u{85}Evil: 2\u{FFFF}"
        .into();
    let files = all_files(&hostile, &plan(&hostile, &c));
    let text = &files.iter().find(|f| f.name() == "stack.yaml").unwrap().content;
    let top: Vec<&str> = text
        .split(['\n', '\r', '\u{85}', '\u{2028}', '\u{2029}'])
        .filter(|l| {
            !l.starts_with('#') && !l.starts_with(' ') && !l.starts_with('-') && !l.is_empty()
        })
        .map(|l| l.split(':').next().unwrap())
        .collect();
    assert_eq!(
        top,
        [
            "AWSTemplateFormatVersion",
            "Description",
            "Metadata",
            "Parameters",
            "Rules",
            "Conditions",
            "Resources",
            "Outputs"
        ]
    );
    assert!(!text.contains(['\u{FFFE}', '\u{FFFF}']));
}
