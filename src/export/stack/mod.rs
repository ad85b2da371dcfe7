//! stack.yaml: everything deploy.sh creates for the plan, as one CloudFormation template.
//!
//! One source of truth: the task definition, the service, the scalable target, the scaling
//! policies, the scheduled actions and the CloudFront distribution are the values of
//! taskdef.json, service.json, scalable-target.json, scaling-policy*.json,
//! scheduled-action-*.json and cloudfront-config.json, with the API's field names turned into
//! CloudFormation's (`cfn_properties`) and the values only a deploy knows (account, subnets,
//! security groups, target group, image) replaced by references. tests/stack_template.rs compares
//! them field by field; tests/stack_check.py runs cfn-lint and creates the stack in moto.
//!
//! Intrinsic functions are written in their long form (`Ref`, `Fn::GetAtt`, `Fn::Sub`, ...), so
//! the template is plain data: the same `serde_json::Value` is written as YAML and parsed back
//! by any YAML loader.

mod compute;
mod data_stores;
mod edge;
mod monitoring;
mod network;
mod scaling;

pub use compute::{service_properties, task_definition_properties};
pub use edge::distribution_properties;
pub use monitoring::budget_usd;

use super::{task_definition, yaml, Context, ExportFile};
use crate::model::scenario::{LaunchType, NetworkLayout};
use compute::{backend_service, containers, ec2_fleet};
use data_stores::{cache, database, redis_endpoint};
use edge::frontend;
use monitoring::monitoring;
use network::{load_balancer, network};
use scaling::scaling;
use serde_json::{json, Map, Value};

/// The account number the API files carry in their ARNs (deploy.sh swaps in the caller's).
const DOC_ACCOUNT: &str = "111122223333";

fn r(name: &str) -> Value {
    json!({ "Ref": name })
}
fn att(resource: &str, attribute: &str) -> Value {
    json!({ "Fn::GetAtt": [resource, attribute] })
}
fn sub(text: &str) -> Value {
    json!({ "Fn::Sub": text })
}
fn when(condition: &str, yes: Value, no: Value) -> Value {
    json!({ "Fn::If": [condition, yes, no] })
}
fn no_value() -> Value {
    r("AWS::NoValue")
}
fn resource(kind: &str, properties: Value) -> Value {
    json!({ "Type": kind, "Properties": properties })
}

/// API field names that are not the CloudFormation name with its first letter capitalised
/// (AWS::ECS::TaskDefinition and AWS::ECS::Service reference pages).
const RENAMED: [(&str, &str); 4] = [
    ("placementStrategy", "PlacementStrategies"),
    ("efsVolumeConfiguration", "EFSVolumeConfiguration"),
    ("fsxWindowsFileServerVolumeConfiguration", "FSxWindowsFileServerVolumeConfiguration"),
    ("properties", "ProxyConfigurationProperties"),
];
/// Maps whose keys are data (log driver options, Docker labels), not field names.
const DATA_MAPS: [&str; 4] = ["options", "dockerLabels", "driverOpts", "labels"];

/// An ECS API request body with CloudFormation's property names: `containerDefinitions` ->
/// `ContainerDefinitions`, `sizeInGiB` -> `SizeInGiB`, the `RENAMED` exceptions, and the keys of
/// `DATA_MAPS` kept as they are. Values are not touched.
pub fn cfn_properties(api: &Value) -> Value {
    match api {
        Value::Object(map) => {
            let mut out = Map::new();
            for (k, v) in map {
                let name = RENAMED
                    .iter()
                    .find(|(a, _)| a == k)
                    .map(|(_, c)| c.to_string())
                    .unwrap_or_else(|| capitalise(k));
                let value = if DATA_MAPS.contains(&k.as_str()) && v.is_object() {
                    v.clone()
                } else {
                    cfn_properties(v)
                };
                out.insert(name, value);
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(cfn_properties).collect()),
        other => other.clone(),
    }
}

fn capitalise(k: &str) -> String {
    let mut chars = k.chars();
    chars.next().map(|f| f.to_ascii_uppercase().to_string() + chars.as_str()).unwrap_or_default()
}

/// The ARNs of the API files (fields named `...Arn` and secrets' `ValueFrom`, in
/// CloudFormation's names) whose account is the documentation account become `Fn::Sub` with
/// the stack's account in the ARN's account field, and nowhere else: a value that merely
/// contains the number (a health path `/111122223333`) stays as it is.
fn localise(v: &Value) -> Value {
    match v {
        Value::Array(items) => Value::Array(items.iter().map(localise).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| {
                    let arn_field = k.ends_with("Arn") || k == "ValueFrom";
                    let local = v.as_str().filter(|_| arn_field).and_then(localise_arn);
                    (k.clone(), local.unwrap_or_else(|| localise(v)))
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

/// `arn:partition:service:region:account:resource` with the documentation account, as
/// `Fn::Sub` of the stack's account (`${` elsewhere in it escaped as `${!`, a literal).
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html>
fn localise_arn(arn: &str) -> Option<Value> {
    let mut parts: Vec<String> = arn.splitn(6, ':').map(|p| p.replace("${", "${!")).collect();
    if parts.len() != 6 || parts[0] != "arn" || parts[4] != DOC_ACCOUNT {
        return None;
    }
    parts[4] = "${AWS::AccountId}".into();
    Some(sub(&parts.join(":")))
}

/// Free text in the resources (the CloudFront comment carries the scenario's name) that holds
/// `${`: CloudFormation keeps a plain string as it is, but `${...}` in one reads as a forgotten
/// `Fn::Sub` (cfn-lint E1029), and a Sub of only escaped `${!` as a needless one (W1020). So
/// the text becomes `Fn::Join` of pieces split between `$` and `{`: the same text once joined,
/// with no `${` in any piece. Strings already inside an intrinsic function are left alone.
/// <https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-join.html>
fn escape_free_text(v: &mut Value) {
    match v {
        Value::String(s) if s.contains("${") => {
            let pieces: Vec<&str> = s.split("${").collect();
            let last = pieces.len() - 1;
            let items: Vec<String> = pieces
                .iter()
                .enumerate()
                .map(|(i, p)| {
                    let open = if i > 0 { "{" } else { "" };
                    let close = if i < last { "$" } else { "" };
                    format!("{open}{p}{close}")
                })
                .collect();
            *v = json!({ "Fn::Join": ["", items] });
        }
        Value::Array(items) => items.iter_mut().for_each(escape_free_text),
        Value::Object(map) if !map.keys().any(|k| k.starts_with("Fn::") || k == "Ref") => {
            map.values_mut().for_each(escape_free_text)
        }
        _ => {}
    }
}

fn cfn_tags(c: &Context) -> Value {
    cfn_properties(&c.tags())
}

/// The target type follows the task definition's network mode: `awsvpc` tasks register by IP.
fn network_mode(c: &Context) -> String {
    task_definition(c)["networkMode"].as_str().unwrap_or("awsvpc").to_string()
}

fn is_ec2(c: &Context) -> bool {
    c.s.backend.launch_type == LaunchType::Ec2
}

/// The fleet the plan prices (instance type and count, AMI parameter, root volume): the same
/// `Ec2Fleet` deploy.sh and the task definition use.
fn ec2_fleet_plan(c: &Context) -> Option<super::Ec2Fleet> {
    super::ec2_fleet(c.s)
}

/// The whole template as data.
pub fn template(c: &Context) -> Value {
    let mut resources = Map::new();
    for part in [
        network(c),
        database(c),
        cache(c),
        containers(c),
        ec2_fleet(c),
        load_balancer(c),
        backend_service(c),
        scaling(c),
        frontend(c),
        monitoring(c),
    ] {
        resources.extend(part);
    }
    let mut resources = Value::Object(resources);
    escape_free_text(&mut resources);
    json!({
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": description(c),
        "Metadata": {"AWS::CloudFormation::Interface": {"ParameterGroups": [
            {"Label": {"default": "Network"}, "Parameters": ["VpcId", "PublicSubnets",
                "PrivateSubnets"]},
            {"Label": {"default": "Release"}, "Parameters": ["ImageTag", "LaunchService",
                "CertificateArn", "AlertEmail"]}
        ]}},
        "Parameters": parameters(c),
        "Rules": {"PlannedRegion": {"Assertions": [{
            "Assert": {"Fn::Equals": [r("AWS::Region"), c.region]},
            "AssertDescription": format!("The plan (prices, log and parameter ARNs) is for {}; \
                deploy there or re-plan for this region.", c.region)
        }]}},
        "Conditions": conditions(c),
        "Resources": resources,
        "Outputs": outputs(c),
    })
}

/// The template's description: the app, region and projected month; with price overrides also
/// the month at published prices (plain text: a description takes no intrinsic function, and
/// none of its parts can hold `${`).
fn description(c: &Context) -> String {
    let published = c.published.as_ref().map_or(String::new(), |note| format!("; {note}"));
    format!(
        "{} on AWS as planned by Bridge Scaling Planner ({}, ${}/month projected{published})",
        c.app, c.region, c.monthly
    )
}

fn private_layout(c: &Context) -> bool {
    c.s.network.layout != NetworkLayout::Public
}

fn parameters(c: &Context) -> Value {
    let mut p = json!({
        "VpcId": {"Type": "AWS::EC2::VPC::Id", "Description": "The VPC to deploy into."},
        "PublicSubnets": {"Type": "List<AWS::EC2::Subnet::Id>", "Description": "Public subnets in \
            two or more AZs, for the ALB."},
        "ImageTag": {"Type": "String", "Default": "latest", "AllowedPattern":
            "^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$",
            "Description": "Tag of the backend image pushed to the stack's ECR repository."},
        "CertificateArn": {"Type": "String", "Default": "", "AllowedPattern":
            "^$|^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/[A-Za-z0-9-]+$",
            "Description": "ACM certificate for HTTPS on the ALB; empty serves the API on plain \
                HTTP port 80."},
        "AlertEmail": {"Type": "String", "Default": "", "AllowedPattern":
            "^$|^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$",
            "Description": "Address for the alarms and the budget forecast; empty sends none."},
        "LaunchService": {"Type": "String", "Default": "true", "AllowedValues": ["true", "false"],
            "Description": "false creates everything but the ECS service and its scaling (first \
                pass, before the image and connection strings exist)."}
    });
    p["PrivateSubnets"] = if private_layout(c) {
        json!({"Type": "List<AWS::EC2::Subnet::Id>", "Description": "Private subnets for the \
            tasks, the database and the cache."})
    } else {
        json!({"Type": "CommaDelimitedList", "Default": "",
            "Description": "Optional private subnets for the database and the cache; empty puts \
                them in the public subnets (tasks stay public)."})
    };
    if let Some(fleet) = ec2_fleet_plan(c) {
        p["EcsAmiId"] = json!({"Type": "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>",
            "Default": fleet.ami_parameter,
            "Description": "The ECS-optimised AMI for the container instances (AWS's public SSM \
                parameter)."});
    }
    p
}

fn conditions(c: &Context) -> Value {
    let not_empty = |param: &str| json!({"Fn::Not": [{"Fn::Equals": [r(param), ""]}]});
    let mut cond = json!({
        "HasCertificate": not_empty("CertificateArn"),
        "HasAlertEmail": not_empty("AlertEmail"),
        "LaunchService": {"Fn::Equals": [r("LaunchService"), "true"]}
    });
    if !private_layout(c) {
        cond["HasPrivateSubnets"] =
            json!({"Fn::Not": [{"Fn::Equals": [{"Fn::Join": ["", r("PrivateSubnets")]}, ""]}]});
    }
    cond
}

fn outputs(c: &Context) -> Value {
    let read = if c.s.database.read_replicas > 0 {
        att("DatabaseReplica1", "Endpoint.Address")
    } else {
        att("Database", "Endpoint.Address")
    };
    let single = !c.s.cache.cluster_mode && c.s.cache.replicas_per_shard == 0;
    json!({
        "ApiUrl": {"Description": "The API behind the ALB", "Value": when("HasCertificate",
            sub("https://${LoadBalancer.DNSName}"), sub("http://${LoadBalancer.DNSName}"))},
        "FrontendUrl": {"Description": "The frontend on CloudFront", "Value":
            sub("https://${FrontendDistribution.DomainName}")},
        "FrontendBucketName": {"Value": r("FrontendBucket")},
        "DistributionId": {"Value": r("FrontendDistribution")},
        "RepositoryUri": {"Value": att("Repository", "RepositoryUri")},
        "DatabaseEndpoint": {"Value": att("Database", "Endpoint.Address")},
        "DatabaseReadEndpoint": {"Value": read},
        "DatabaseSecretArn": {"Description": "The master password, managed by RDS in Secrets \
            Manager", "Value": att("Database", "MasterUserSecret.SecretArn")},
        "RedisEndpoint": {"Value": redis_endpoint(c)},
        "RedisScheme": {"Description": "rediss (TLS) for a replication group, redis for a single \
            node", "Value": if single { "redis" } else { "rediss" }},
    })
}

/// stack.yaml: the header (scenario, cost, link, how to deploy) and the template.
pub fn render(c: &Context) -> String {
    let private = if private_layout(c) { " PrivateSubnets=subnet-c,subnet-d" } else { "" };
    format!(
        "{header}#\n\
# The whole stack as one CloudFormation template, with the same task definition, service and\n\
# scaling policies as taskdef.json, service.json and scaling-policy.json. deploy-stack.sh deploys\n\
# it: the stack without the service, then the connection strings (SSM SecureStrings) and the\n\
# image, then the stack with the service. Its first pass by hand:\n\
#   aws cloudformation deploy --region {region} --stack-name {app} --template-file stack.yaml \\\n\
#     --capabilities CAPABILITY_NAMED_IAM --parameter-overrides VpcId=vpc-... \\\n\
#     PublicSubnets=subnet-a,subnet-b{private} LaunchService=false\n\
# Copying a local database into RDS stays in deploy.sh (MIGRATE_DATA=1).\n\
{body}",
        header = c.header("#"),
        region = c.region,
        app = c.app,
        body = yaml::to_yaml(&template(c)),
    )
}

const DEPLOY_STACK_TEMPLATE: &str = include_str!("../templates/deploy-stack.sh");

/// deploy-stack.sh: a fixed bash template (shellcheck reads it as it is) filled like deploy.sh
/// (`scripts::fill`: header, settings block of single-quoted values, shared fragments).
pub fn deploy_script(c: &Context) -> String {
    let platform = match task_definition(c)["runtimePlatform"]["cpuArchitecture"].as_str() {
        Some("ARM64") => "linux/arm64",
        _ => "linux/amd64",
    };
    let settings = [
        ("APP", c.names.app.clone()),
        ("PLAN_REGION", c.region.clone()),
        ("PARAM_PREFIX", c.names.parameter_prefix.clone()),
        ("DB_USER", c.names.db_user.clone()),
        ("DB_NAME", c.s.deploy.db_name.clone()),
        ("TASKS_IN_PRIVATE_SUBNETS", private_layout(c).to_string()),
        ("IMAGE_PLATFORM", platform.to_string()),
        ("TEMPLATE_FILE", ExportFile::StackTemplate.name().to_string()),
        ("DOCKERFILE_FILE", ExportFile::Dockerfile.name().to_string()),
    ];
    super::scripts::fill(DEPLOY_STACK_TEMPLATE, c, &settings)
}
