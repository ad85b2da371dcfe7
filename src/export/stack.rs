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

use super::ExportFile;
use super::{
    cache_engine, cloudfront_config, scalable_target, scaling_policies, scheduled_actions, service,
    target_group_attributes, task_definition, yaml, Context, DB_PASSWORD_KEY_SUFFIX,
    DB_PASSWORD_SECRET,
};
use crate::model::scenario::{LaunchType, NetworkLayout, ScalingPolicyKind, StorageType};
use crate::model::simulate::StepRule;
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

/// Strings that carry the documentation account become `Fn::Sub` with the stack's account.
fn localise(v: &Value) -> Value {
    match v {
        Value::String(s) if s.contains(DOC_ACCOUNT) => {
            sub(&s.replace("${", "${!").replace(DOC_ACCOUNT, "${AWS::AccountId}"))
        }
        Value::Array(items) => Value::Array(items.iter().map(localise).collect()),
        Value::Object(map) => {
            Value::Object(map.iter().map(|(k, v)| (k.clone(), localise(v))).collect())
        }
        other => other.clone(),
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
    json!({
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": format!("{} on AWS as planned by Bridge Scaling Planner ({}, ${}/month projected)", c.app, c.region, c.monthly),
        "Metadata": {"AWS::CloudFormation::Interface": {"ParameterGroups": [
            {"Label": {"default": "Network"}, "Parameters": ["VpcId", "PublicSubnets", "PrivateSubnets"]},
            {"Label": {"default": "Release"}, "Parameters": ["ImageTag", "LaunchService", "CertificateArn", "AlertEmail"]}
        ]}},
        "Parameters": parameters(c),
        "Rules": {"PlannedRegion": {"Assertions": [{
            "Assert": {"Fn::Equals": [r("AWS::Region"), c.region]},
            "AssertDescription": format!("The plan (prices, log and parameter ARNs) is for {}; deploy there or re-plan for this region.", c.region)
        }]}},
        "Conditions": conditions(c),
        "Resources": resources,
        "Outputs": outputs(c),
    })
}

fn private_layout(c: &Context) -> bool {
    c.s.network.layout != NetworkLayout::Public
}

fn parameters(c: &Context) -> Value {
    let mut p = json!({
        "VpcId": {"Type": "AWS::EC2::VPC::Id", "Description": "The VPC to deploy into."},
        "PublicSubnets": {"Type": "List<AWS::EC2::Subnet::Id>", "Description": "Public subnets in two or more AZs, for the ALB."},
        "ImageTag": {"Type": "String", "Default": "latest", "AllowedPattern": "^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$",
            "Description": "Tag of the backend image pushed to the stack's ECR repository."},
        "CertificateArn": {"Type": "String", "Default": "", "AllowedPattern": "^$|^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/[A-Za-z0-9-]+$",
            "Description": "ACM certificate for HTTPS on the ALB; empty serves the API on plain HTTP port 80."},
        "AlertEmail": {"Type": "String", "Default": "", "AllowedPattern": "^$|^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$",
            "Description": "Address for the alarms and the budget forecast; empty sends none."},
        "LaunchService": {"Type": "String", "Default": "true", "AllowedValues": ["true", "false"],
            "Description": "false creates everything but the ECS service and its scaling (first pass, before the image and connection strings exist)."}
    });
    p["PrivateSubnets"] = if private_layout(c) {
        json!({"Type": "List<AWS::EC2::Subnet::Id>", "Description": "Private subnets for the tasks, the database and the cache."})
    } else {
        json!({"Type": "CommaDelimitedList", "Default": "",
            "Description": "Optional private subnets for the database and the cache; empty puts them in the public subnets (tasks stay public)."})
    };
    if let Some(fleet) = ec2_fleet_plan(c) {
        p["EcsAmiId"] = json!({"Type": "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>", "Default": fleet.ami_parameter,
            "Description": "The ECS-optimised AMI for the container instances (AWS's public SSM parameter)."});
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

/// Subnets of the tasks (and container instances).
fn task_subnets(c: &Context) -> Value {
    if private_layout(c) {
        r("PrivateSubnets")
    } else {
        r("PublicSubnets")
    }
}

/// Subnets of the database and the cache: the private ones when given (as deploy.sh).
fn data_subnets(c: &Context) -> Value {
    if private_layout(c) {
        r("PrivateSubnets")
    } else {
        when("HasPrivateSubnets", r("PrivateSubnets"), r("PublicSubnets"))
    }
}

fn ingress(port_from: u32, port_to: u32, source_group: &str, what: &str) -> Value {
    json!({"IpProtocol": "tcp", "FromPort": port_from, "ToPort": port_to,
        "SourceSecurityGroupId": att(source_group, "GroupId"), "Description": what})
}

fn security_group(c: &Context, name: &str, description: &str, rules: Vec<Value>) -> Value {
    let mut props = json!({"GroupName": name, "GroupDescription": format!("{description} for {}", c.app),
        "VpcId": r("VpcId"), "Tags": cfn_tags(c)});
    if !rules.is_empty() {
        props["SecurityGroupIngress"] = Value::Array(rules);
    }
    resource("AWS::EC2::SecurityGroup", props)
}

/// The security groups of deploy.sh: the ALB open on 80/443, the tasks open to the ALB on the
/// container port, the database and the cache open to the tasks. On EC2 with bridge networking
/// the instances take the tasks' place (dynamic host ports).
fn network(c: &Context) -> Map<String, Value> {
    let port = c.s.backend.container_port as u32;
    let mut m = Map::new();
    let open = |p: u32| json!({"IpProtocol": "tcp", "FromPort": p, "ToPort": p, "CidrIp": "0.0.0.0/0", "Description": "HTTP(S) from anywhere"});
    m.insert(
        "AlbSecurityGroup".into(),
        security_group(c, &c.names.alb_security_group, "ALB", vec![open(443), open(80)]),
    );
    let bridge = network_mode(c) != "awsvpc";
    let (from, to) = if bridge { (32768, 65535) } else { (port, port) };
    m.insert(
        "TaskSecurityGroup".into(),
        security_group(
            c,
            &c.names.task_security_group,
            "ECS tasks",
            vec![ingress(from, to, "AlbSecurityGroup", "From the ALB")],
        ),
    );
    m.insert(
        "DbSecurityGroup".into(),
        security_group(
            c,
            &c.names.db_security_group,
            "RDS",
            vec![ingress(5432, 5432, "TaskSecurityGroup", "PostgreSQL from the tasks")],
        ),
    );
    if is_ec2(c) && !bridge {
        // awsvpc tasks have their own interfaces in the task group; the instances need none open.
        m.insert(
            "InstanceSecurityGroup".into(),
            security_group(c, &format!("{}-instances", c.app), "ECS container instances", vec![]),
        );
    }
    m.insert(
        "CacheSecurityGroup".into(),
        security_group(
            c,
            &c.names.cache_security_group,
            "ElastiCache",
            vec![ingress(6379, 6379, "TaskSecurityGroup", "Redis from the tasks")],
        ),
    );
    m
}

/// RDS PostgreSQL as deploy.sh creates it: the master password managed by RDS in Secrets
/// Manager, encrypted storage, private, a final snapshot when the stack deletes it.
fn database(c: &Context) -> Map<String, Value> {
    let db = &c.s.database;
    let mut m = Map::new();
    m.insert(
        "DbSubnetGroup".into(),
        resource(
            "AWS::RDS::DBSubnetGroup",
            json!({"DBSubnetGroupName": c.names.db_subnet_group, "DBSubnetGroupDescription": format!("Subnets for {}", c.app),
                "SubnetIds": data_subnets(c), "Tags": cfn_tags(c)}),
        ),
    );
    let mut primary = resource(
        "AWS::RDS::DBInstance",
        json!({
            "DBInstanceIdentifier": c.names.db_instance,
            "DBInstanceClass": db.class,
            "Engine": "postgres",
            "MasterUsername": c.names.db_user,
            "ManageMasterUserPassword": true,
            "DBName": c.s.deploy.db_name,
            "AllocatedStorage": (db.storage_gb.round().max(20.0) as u64).to_string(),
            "StorageType": match db.storage_type { StorageType::Gp2 => "gp2", StorageType::Gp3 => "gp3" },
            "StorageEncrypted": true,
            "MultiAZ": db.multi_az,
            "BackupRetentionPeriod": db.backup_retention_days,
            "DBSubnetGroupName": r("DbSubnetGroup"),
            "VPCSecurityGroups": [att("DbSecurityGroup", "GroupId")],
            "PubliclyAccessible": false,
            "CopyTagsToSnapshot": true,
            "Tags": cfn_tags(c)
        }),
    );
    primary["DeletionPolicy"] = json!("Snapshot");
    primary["UpdateReplacePolicy"] = json!("Snapshot");
    m.insert("Database".into(), primary);
    for i in 1..=db.read_replicas {
        let mut replica = resource(
            "AWS::RDS::DBInstance",
            json!({"DBInstanceIdentifier": format!("{}-replica-{i}", c.names.db_instance), "SourceDBInstanceIdentifier": r("Database"),
                "DBInstanceClass": db.class, "PubliclyAccessible": false, "Tags": cfn_tags(c)}),
        );
        // A read replica has no snapshot of its own to keep: its data is the primary's.
        replica["DeletionPolicy"] = json!("Delete");
        replica["UpdateReplacePolicy"] = json!("Delete");
        m.insert(format!("DatabaseReplica{i}"), replica);
    }
    m
}

/// One node without replicas is a plain cache cluster (as deploy.sh); otherwise a replication
/// group, sharded in cluster mode. ElastiCache requires automatic failover in cluster mode
/// (CreateReplicationGroup, AutomaticFailoverEnabled).
fn cache(c: &Context) -> Map<String, Value> {
    let k = &c.s.cache;
    let mut m = Map::new();
    m.insert(
        "CacheSubnetGroup".into(),
        resource(
            "AWS::ElastiCache::SubnetGroup",
            json!({"CacheSubnetGroupName": c.names.cache_subnet_group, "Description": format!("Subnets for {}", c.app),
                "SubnetIds": data_subnets(c), "Tags": cfn_tags(c)}),
        ),
    );
    let single = !k.cluster_mode && k.replicas_per_shard == 0;
    let cache = if single {
        resource(
            "AWS::ElastiCache::CacheCluster",
            with_engine(
                c,
                json!({"ClusterName": c.names.cache, "CacheNodeType": k.node_type, "NumCacheNodes": 1,
                "CacheSubnetGroupName": r("CacheSubnetGroup"), "VpcSecurityGroupIds": [att("CacheSecurityGroup", "GroupId")],
                "Tags": cfn_tags(c)}),
            ),
        )
    } else {
        let mut props = json!({
            "ReplicationGroupId": c.names.cache,
            "ReplicationGroupDescription": format!("{} for {}", k.engine.label(), c.app),
            "CacheNodeType": k.node_type,
            "TransitEncryptionEnabled": true,
            "AtRestEncryptionEnabled": true,
            "CacheSubnetGroupName": r("CacheSubnetGroup"),
            "SecurityGroupIds": [att("CacheSecurityGroup", "GroupId")],
            "Tags": cfn_tags(c)
        });
        props = with_engine(c, props);
        if k.cluster_mode {
            props["NumNodeGroups"] = json!(k.shards.max(1));
            props["ReplicasPerNodeGroup"] = json!(k.replicas_per_shard);
            props["AutomaticFailoverEnabled"] = json!(true);
        } else {
            props["NumCacheClusters"] = json!(1 + k.replicas_per_shard);
            props["AutomaticFailoverEnabled"] = json!(true);
            props["MultiAZEnabled"] = json!(true);
        }
        resource("AWS::ElastiCache::ReplicationGroup", props)
    };
    m.insert("Cache".into(), cache);
    m
}

/// Cache properties with the engine, its version and default parameter group (as deploy.sh).
fn with_engine(c: &Context, mut props: Value) -> Value {
    let e = cache_engine(&c.s.cache);
    props["Engine"] = json!(e.engine);
    if let Some(version) = e.version {
        props["EngineVersion"] = json!(version);
    }
    if let Some(group) = e.parameter_group {
        props["CacheParameterGroupName"] = json!(group);
    }
    props
}

/// Log retention as deploy.sh sets it (CloudWatch Logs accepts only these values).
pub(super) fn retention_days(months: f64) -> u32 {
    const ALLOWED: [u32; 22] = [
        1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557,
        2922, 3288, 3653,
    ];
    let days = (months * 30.0).round().max(1.0) as u32;
    *ALLOWED.iter().find(|&&d| d >= days).unwrap_or(&3653)
}

fn ecs_tasks_role(c: &Context, name: &str) -> Value {
    resource(
        "AWS::IAM::Role",
        json!({"RoleName": name,
            "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
            "Tags": cfn_tags(c)}),
    )
}

/// ECR repository, log group, the two IAM roles, the cluster and the task definition (the
/// values of taskdef.json).
fn containers(c: &Context) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert(
        "Repository".into(),
        resource(
            "AWS::ECR::Repository",
            json!({"RepositoryName": c.names.repository, "ImageScanningConfiguration": {"ScanOnPush": true},
                "EmptyOnDelete": true, "Tags": cfn_tags(c)}),
        ),
    );
    m.insert(
        "LogGroup".into(),
        resource(
            "AWS::Logs::LogGroup",
            json!({"LogGroupName": c.names.log_group, "RetentionInDays": retention_days(c.s.network.log_retention_months)}),
        ),
    );
    let mut execution = ecs_tasks_role(c, &c.names.execution_role);
    execution["Properties"]["ManagedPolicyArns"] = json!([sub(
        "arn:${AWS::Partition}:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
    )]);
    execution["Properties"]["Policies"] = json!([{"PolicyName": c.names.parameters_policy, "PolicyDocument": {"Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": ["ssm:GetParameters"],
            "Resource": sub(&format!("arn:${{AWS::Partition}}:ssm:${{AWS::Region}}:${{AWS::AccountId}}:parameter{}/*", c.names.parameter_prefix))},
            {"Effect": "Allow", "Action": ["secretsmanager:GetSecretValue"], "Resource": att("Database", "MasterUserSecret.SecretArn")}]}}]);
    m.insert("ExecutionRole".into(), execution);
    m.insert("TaskRole".into(), ecs_tasks_role(c, &c.names.task_role));
    let mut cluster = json!({"ClusterName": c.cluster(), "ClusterSettings": [{"Name": "containerInsights", "Value": "enabled"}], "Tags": cfn_tags(c)});
    if !is_ec2(c) {
        cluster["CapacityProviders"] = json!(["FARGATE", "FARGATE_SPOT"]);
    }
    m.insert("Cluster".into(), resource("AWS::ECS::Cluster", cluster));
    m.insert(
        "TaskDefinition".into(),
        resource("AWS::ECS::TaskDefinition", task_definition_properties(c)),
    );
    m
}

/// taskdef.json in CloudFormation's names, with the stack's roles, log group and image.
pub fn task_definition_properties(c: &Context) -> Value {
    let mut td = localise(&cfn_properties(&task_definition(c)));
    td["ExecutionRoleArn"] = att("ExecutionRole", "Arn");
    td["TaskRoleArn"] = att("TaskRole", "Arn");
    if let Some(containers) = td.get_mut("ContainerDefinitions").and_then(Value::as_array_mut) {
        for container in containers {
            container["Image"] = sub("${Repository.RepositoryUri}:${ImageTag}");
            if container["LogConfiguration"]["Options"]["awslogs-group"].is_string() {
                container["LogConfiguration"]["Options"]["awslogs-group"] = r("LogGroup");
            }
            if let Some(secrets) = container.get_mut("Secrets").and_then(Value::as_array_mut) {
                for secret in secrets.iter_mut().filter(|x| x["Name"] == DB_PASSWORD_SECRET) {
                    secret["ValueFrom"] = sub(&format!(
                        "${{Database.MasterUserSecret.SecretArn}}{DB_PASSWORD_KEY_SUFFIX}"
                    ));
                }
            }
        }
    }
    td
}

/// ECS on EC2: a launch template with the ECS-optimised AMI, an Auto Scaling group of the
/// planned fleet, a capacity provider with managed scaling and its association with the cluster.
fn ec2_fleet(c: &Context) -> Map<String, Value> {
    let mut m = Map::new();
    let Some(fleet) = ec2_fleet_plan(c) else { return m };
    let mut role = resource(
        "AWS::IAM::Role",
        json!({"RoleName": c.names.instance_role,
            "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
            "ManagedPolicyArns": [sub("arn:${AWS::Partition}:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role")],
            "Tags": cfn_tags(c)}),
    );
    role["Properties"]["Path"] = json!("/");
    m.insert("InstanceRole".into(), role);
    m.insert(
        "InstanceProfile".into(),
        resource(
            "AWS::IAM::InstanceProfile",
            json!({"InstanceProfileName": c.names.instance_profile, "Roles": [r("InstanceRole")]}),
        ),
    );
    // Instances in public subnets need a public address to reach ECS and ECR (as deploy.sh).
    let instance_group = att(
        if network_mode(c) == "awsvpc" { "InstanceSecurityGroup" } else { "TaskSecurityGroup" },
        "GroupId",
    );
    m.insert(
        "LaunchTemplate".into(),
        resource(
            "AWS::EC2::LaunchTemplate",
            json!({"LaunchTemplateName": c.names.launch_template, "LaunchTemplateData": {
                "ImageId": r("EcsAmiId"),
                "InstanceType": fleet.instance_type,
                "IamInstanceProfile": {"Arn": att("InstanceProfile", "Arn")},
                "NetworkInterfaces": [{"DeviceIndex": 0, "AssociatePublicIpAddress": !private_layout(c), "Groups": [instance_group]}],
                "MetadataOptions": {"HttpTokens": "required", "HttpPutResponseHopLimit": 2},
                "BlockDeviceMappings": [{"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": fleet.root_volume_gb, "VolumeType": "gp3", "Encrypted": true}}],
                "UserData": {"Fn::Base64": sub("#!/bin/bash\necho ECS_CLUSTER=${Cluster} >> /etc/ecs/ecs.config\n")},
                "TagSpecifications": [{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": c.names.launch_template}]}]
            }}),
        ),
    );
    // The plan prices a fixed fleet: the group holds exactly that many instances (as deploy.sh).
    let n = fleet.instances.to_string();
    m.insert(
        "AutoScalingGroup".into(),
        resource(
            "AWS::AutoScaling::AutoScalingGroup",
            json!({"AutoScalingGroupName": c.names.auto_scaling_group, "MinSize": n, "MaxSize": n,
                "VPCZoneIdentifier": task_subnets(c),
                "LaunchTemplate": {"LaunchTemplateId": r("LaunchTemplate"), "Version": att("LaunchTemplate", "LatestVersionNumber")},
                "Tags": [{"Key": "app", "Value": c.app, "PropagateAtLaunch": true}]}),
        ),
    );
    m.insert(
        "CapacityProvider".into(),
        resource(
            "AWS::ECS::CapacityProvider",
            json!({"Name": c.names.capacity_provider, "AutoScalingGroupProvider": {"AutoScalingGroupArn": r("AutoScalingGroup"),
                "ManagedScaling": {"Status": "ENABLED", "TargetCapacity": 100},
                "ManagedTerminationProtection": "DISABLED"}, "Tags": cfn_tags(c)}),
        ),
    );
    m.insert(
        "ClusterCapacityProviders".into(),
        resource(
            "AWS::ECS::ClusterCapacityProviderAssociations",
            json!({"Cluster": r("Cluster"), "CapacityProviders": ["FARGATE", "FARGATE_SPOT", r("CapacityProvider")],
                "DefaultCapacityProviderStrategy": [{"CapacityProvider": r("CapacityProvider"), "Weight": 1}]}),
        ),
    );
    m
}

/// The ALB, the target group and the listener that always exists (HTTPS on 443 with a
/// certificate, HTTP on 80 without); with a certificate port 80 redirects to HTTPS.
fn load_balancer(c: &Context) -> Map<String, Value> {
    let s = c.s;
    let mut m = Map::new();
    m.insert(
        "LoadBalancer".into(),
        resource(
            "AWS::ElasticLoadBalancingV2::LoadBalancer",
            json!({"Name": c.names.load_balancer, "Type": "application", "Scheme": "internet-facing",
                "Subnets": r("PublicSubnets"), "SecurityGroups": [att("AlbSecurityGroup", "GroupId")], "Tags": cfn_tags(c)}),
        ),
    );
    let target_type = if network_mode(c) == "awsvpc" { "ip" } else { "instance" };
    m.insert(
        "TargetGroup".into(),
        resource(
            "AWS::ElasticLoadBalancingV2::TargetGroup",
            json!({"Name": c.names.target_group, "Protocol": "HTTP", "Port": s.backend.container_port, "VpcId": r("VpcId"),
                "TargetType": target_type, "HealthCheckPath": s.deploy.health_check_path,
                "TargetGroupAttributes": target_group_attributes(s).map(|(k, v)| json!({"Key": k, "Value": v})),
                "Tags": cfn_tags(c)}),
        ),
    );
    m.insert(
        "ApiListener".into(),
        resource(
            "AWS::ElasticLoadBalancingV2::Listener",
            json!({"LoadBalancerArn": r("LoadBalancer"),
                "Port": when("HasCertificate", json!(443), json!(80)),
                "Protocol": when("HasCertificate", json!("HTTPS"), json!("HTTP")),
                "Certificates": when("HasCertificate", json!([{"CertificateArn": r("CertificateArn")}]), no_value()),
                "SslPolicy": when("HasCertificate", json!("ELBSecurityPolicy-TLS13-1-2-2021-06"), no_value()),
                "DefaultActions": [{"Type": "forward", "TargetGroupArn": r("TargetGroup")}]}),
        ),
    );
    let mut redirect = resource(
        "AWS::ElasticLoadBalancingV2::Listener",
        json!({"LoadBalancerArn": r("LoadBalancer"), "Port": 80, "Protocol": "HTTP",
            "DefaultActions": [{"Type": "redirect", "RedirectConfig": {"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"}}]}),
    );
    redirect["Condition"] = json!("HasCertificate");
    // Port 80 is free only after the API listener has moved to 443.
    redirect["DependsOn"] = json!(["ApiListener"]);
    m.insert("HttpRedirectListener".into(), redirect);
    m
}

/// service.json in CloudFormation's names, with the stack's cluster, task definition, subnets,
/// security group, target group and (EC2) capacity provider.
pub fn service_properties(c: &Context) -> Value {
    let mut svc = localise(&cfn_properties(&service(c)));
    svc["Cluster"] = r("Cluster");
    svc["TaskDefinition"] = r("TaskDefinition");
    if svc["NetworkConfiguration"]["AwsvpcConfiguration"].is_object() {
        let vpc = &mut svc["NetworkConfiguration"]["AwsvpcConfiguration"];
        vpc["Subnets"] = task_subnets(c);
        vpc["SecurityGroups"] = json!([att("TaskSecurityGroup", "GroupId")]);
    }
    if let Some(lbs) = svc.get_mut("LoadBalancers").and_then(Value::as_array_mut) {
        for lb in lbs {
            lb["TargetGroupArn"] = r("TargetGroup");
        }
    }
    if let Some(strategy) = svc.get_mut("CapacityProviderStrategy").and_then(Value::as_array_mut) {
        for item in strategy {
            let name = item["CapacityProvider"].as_str().unwrap_or("");
            if !name.starts_with("FARGATE") {
                item["CapacityProvider"] = r("CapacityProvider");
            }
        }
    }
    svc
}

fn backend_service(c: &Context) -> Map<String, Value> {
    let mut svc = resource("AWS::ECS::Service", service_properties(c));
    svc["Condition"] = json!("LaunchService");
    // The target group must belong to a load balancer before the service registers tasks.
    let mut after = vec![json!("ApiListener")];
    if is_ec2(c) {
        after.push(json!("ClusterCapacityProviders"));
    }
    svc["DependsOn"] = Value::Array(after);
    let mut m = Map::new();
    m.insert("Service".into(), svc);
    m
}

/// `PolicyName` suffix -> logical ID, e.g. `bridge-cpu-scale-out` -> `ScalingPolicyCpuScaleOut`.
fn policy_id(c: &Context, policy_name: &str) -> String {
    let suffix = policy_name.strip_prefix(&format!("{}-", c.app)).unwrap_or(policy_name);
    let words: String = suffix.split('-').map(capitalise).collect();
    format!("ScalingPolicy{words}")
}

/// The scalable target (scalable-target.json, with the scheduled actions of
/// scheduled-action-*.json) and the policies of scaling-policy*.json; the step policies get the
/// CPU alarms that deploy.sh creates for them.
fn scaling(c: &Context) -> Map<String, Value> {
    let mut m = Map::new();
    let mut target = resource("AWS::ApplicationAutoScaling::ScalableTarget", scalable_target(c));
    let actions: Vec<Value> =
        scheduled_actions(c).into_iter().map(|(_, a)| scheduled_action_properties(&a)).collect();
    if !actions.is_empty() {
        target["Properties"]["ScheduledActions"] = Value::Array(actions);
    }
    target["Condition"] = json!("LaunchService");
    target["DependsOn"] = json!(["Service"]);
    m.insert("ScalableTarget".into(), target);
    let mut ids = Vec::new();
    for (_, policy) in scaling_policies(c) {
        let id = policy_id(c, policy["PolicyName"].as_str().unwrap_or("policy"));
        let mut p = resource("AWS::ApplicationAutoScaling::ScalingPolicy", policy);
        p["Condition"] = json!("LaunchService");
        p["DependsOn"] = json!(["ScalableTarget"]);
        m.insert(id.clone(), p);
        ids.push(id);
    }
    if c.s.backend.scaling_policy == ScalingPolicyKind::Step && ids.len() == 2 {
        let rule = StepRule::from_scenario(c.s);
        let alarm = |name: &str, minutes: u32, threshold: f64, op: &str, policy: &str| {
            let mut a = resource(
                "AWS::CloudWatch::Alarm",
                json!({"AlarmName": name, "Namespace": "AWS/ECS", "MetricName": "CPUUtilization",
                    "Dimensions": [{"Name": "ClusterName", "Value": c.cluster()}, {"Name": "ServiceName", "Value": c.service()}],
                    "Statistic": "Average", "Period": 60, "EvaluationPeriods": minutes, "Threshold": threshold,
                    "ComparisonOperator": op, "AlarmActions": [r(policy)]}),
            );
            a["Condition"] = json!("LaunchService");
            a
        };
        let high = (rule.scale_out_cpu * 100.0).round();
        let low = (rule.scale_in_cpu * 100.0).round();
        m.insert(
            "CpuHighAlarm".into(),
            alarm(
                &c.names.alarm_cpu_high,
                rule.out_evaluation_minutes,
                high,
                "GreaterThanThreshold",
                &ids[0],
            ),
        );
        m.insert(
            "CpuLowAlarm".into(),
            alarm(
                &c.names.alarm_cpu_low,
                rule.in_evaluation_minutes,
                low,
                "LessThanThreshold",
                &ids[1],
            ),
        );
    }
    m
}

/// A put-scheduled-action input as an entry of the scalable target's `ScheduledActions` (the
/// target's namespace, resource and dimension are the scalable target's own).
fn scheduled_action_properties(api: &Value) -> Value {
    let mut a = api.clone();
    if let Some(map) = a.as_object_mut() {
        for k in ["ServiceNamespace", "ResourceId", "ScalableDimension"] {
            map.shift_remove(k);
        }
    }
    a
}

/// cloudfront-config.json (CreateDistribution's DistributionConfig) as CloudFormation's
/// DistributionConfig: `{Quantity, Items}` become lists, `IsIPV6Enabled` is `IPV6Enabled`,
/// error response codes are integers, and the caller reference is CloudFormation's own.
pub fn distribution_properties(c: &Context) -> Value {
    fn unwrap(v: &Value) -> Value {
        match v {
            Value::Object(map) if map.contains_key("Quantity") && map.len() <= 2 => {
                map.get("Items").map(unwrap).unwrap_or_else(|| json!([]))
            }
            Value::Object(map) => {
                Value::Object(map.iter().map(|(k, v)| (k.clone(), unwrap(v))).collect())
            }
            Value::Array(items) => Value::Array(items.iter().map(unwrap).collect()),
            other => other.clone(),
        }
    }
    let mut api = cloudfront_config(c);
    let mut cached = api["DefaultCacheBehavior"]["AllowedMethods"]["CachedMethods"].take();
    if let Some(map) = api["DefaultCacheBehavior"]["AllowedMethods"].as_object_mut() {
        map.shift_remove("CachedMethods");
    }
    let mut cfg = unwrap(&api);
    if let Some(map) = cfg.as_object_mut() {
        map.shift_remove("CallerReference");
        if let Some(v) = map.shift_remove("IsIPV6Enabled") {
            map.insert("IPV6Enabled".into(), v);
        }
    }
    cfg["DefaultCacheBehavior"]["CachedMethods"] = unwrap(&cached.take());
    if let Some(errors) = cfg.get_mut("CustomErrorResponses").and_then(Value::as_array_mut) {
        for e in errors {
            if let Some(code) = e["ResponseCode"].as_str().and_then(|s| s.parse::<u32>().ok()) {
                e["ResponseCode"] = json!(code);
            }
        }
    }
    if let Some(origin) = cfg["Origins"].get_mut(0) {
        origin["DomainName"] = att("FrontendBucket", "RegionalDomainName");
        origin["OriginAccessControlId"] = att("FrontendOriginAccessControl", "Id");
    }
    json!({ "DistributionConfig": cfg, "Tags": cfn_tags(c) })
}

/// The S3 bucket (private, read only by the distribution), origin access control, the
/// distribution of cloudfront-config.json and the bucket policy.
fn frontend(c: &Context) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert(
        "FrontendBucket".into(),
        resource(
            "AWS::S3::Bucket",
            json!({"BucketName": sub(&format!("{}${{AWS::AccountId}}", c.names.bucket_prefix)),
                "PublicAccessBlockConfiguration": {"BlockPublicAcls": true, "IgnorePublicAcls": true, "BlockPublicPolicy": true, "RestrictPublicBuckets": true},
                "BucketEncryption": {"ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]},
                "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
                "Tags": cfn_tags(c)}),
        ),
    );
    m.insert(
        "FrontendOriginAccessControl".into(),
        resource(
            "AWS::CloudFront::OriginAccessControl",
            json!({"OriginAccessControlConfig": {"Name": c.names.origin_access_control, "OriginAccessControlOriginType": "s3",
                "SigningBehavior": "always", "SigningProtocol": "sigv4"}}),
        ),
    );
    m.insert(
        "FrontendDistribution".into(),
        resource("AWS::CloudFront::Distribution", distribution_properties(c)),
    );
    m.insert(
        "FrontendBucketPolicy".into(),
        resource(
            "AWS::S3::BucketPolicy",
            json!({"Bucket": r("FrontendBucket"), "PolicyDocument": {"Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Principal": {"Service": "cloudfront.amazonaws.com"}, "Action": "s3:GetObject",
                "Resource": sub("${FrontendBucket.Arn}/*"),
                "Condition": {"StringEquals": {"AWS:SourceArn": sub("arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:distribution/${FrontendDistribution}")}}
            }]}}),
        ),
    );
    m
}

/// The budget limit: the projected month plus 10%, whole dollars (as deploy.sh).
pub fn budget_usd(c: &Context) -> f64 {
    (c.p.monthly_total_usd * 1.1).ceil().max(1.0)
}

/// The monitoring alarms of deploy.sh (same names, metrics and thresholds), the alert topic and
/// the budget with an e-mailed forecast.
fn monitoring(c: &Context) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert(
        "AlertTopic".into(),
        resource("AWS::SNS::Topic", json!({"TopicName": c.names.alert_topic, "Tags": cfn_tags(c)})),
    );
    let mut subscription = resource(
        "AWS::SNS::Subscription",
        json!({"TopicArn": r("AlertTopic"), "Protocol": "email", "Endpoint": r("AlertEmail")}),
    );
    subscription["Condition"] = json!("HasAlertEmail");
    m.insert("AlertSubscription".into(), subscription);
    let alb =
        json!([{"Name": "LoadBalancer", "Value": att("LoadBalancer", "LoadBalancerFullName")}]);
    let svc = json!([{"Name": "ClusterName", "Value": c.cluster()}, {"Name": "ServiceName", "Value": c.service()}]);
    let db = json!([{"Name": "DBInstanceIdentifier", "Value": r("Database")}]);
    let p95_s = c.p.capacity.p95_ms.unwrap_or(1000.0) / 1000.0 * 2.0;
    let connections = (c.p.capacity.db_max_connections as f64 * 0.8).floor();
    let n = &c.names;
    let alarms = [
        (
            "Alb5xxAlarm",
            &n.alarm_alb_5xx,
            "AWS/ApplicationELB",
            "HTTPCode_Target_5XX_Count",
            &alb,
            "Sum",
            300,
            1,
            10.0,
        ),
        (
            "AlbLatencyAlarm",
            &n.alarm_alb_latency,
            "AWS/ApplicationELB",
            "TargetResponseTime",
            &alb,
            "p95",
            300,
            2,
            format!("{p95_s:.2}").parse().unwrap_or(2.0),
        ),
        (
            "MemoryHighAlarm",
            &n.alarm_memory_high,
            "AWS/ECS",
            "MemoryUtilization",
            &svc,
            "Average",
            300,
            2,
            80.0,
        ),
        ("DbCpuAlarm", &n.alarm_db_cpu, "AWS/RDS", "CPUUtilization", &db, "Average", 300, 3, 80.0),
        (
            "DbConnectionsAlarm",
            &n.alarm_db_connections,
            "AWS/RDS",
            "DatabaseConnections",
            &db,
            "Maximum",
            300,
            1,
            connections,
        ),
    ];
    for (id, name, namespace, metric, dims, stat, period, periods, threshold) in alarms {
        let mut props = json!({"AlarmName": name, "Namespace": namespace, "MetricName": metric,
            "Dimensions": dims, "Period": period, "EvaluationPeriods": periods, "Threshold": threshold,
            "ComparisonOperator": "GreaterThanThreshold", "AlarmActions": [r("AlertTopic")]});
        if stat.starts_with('p') {
            props["ExtendedStatistic"] = json!(stat);
        } else {
            props["Statistic"] = json!(stat);
        }
        if namespace == "AWS/ApplicationELB" {
            props["TreatMissingData"] = json!("notBreaching");
        }
        m.insert(id.into(), resource("AWS::CloudWatch::Alarm", props));
    }
    let notify = json!([{
        "Notification": {"NotificationType": "FORECASTED", "ComparisonOperator": "GREATER_THAN", "Threshold": 100, "ThresholdType": "PERCENTAGE"},
        "Subscribers": [{"SubscriptionType": "EMAIL", "Address": r("AlertEmail")}]
    }]);
    m.insert(
        "Budget".into(),
        resource(
            "AWS::Budgets::Budget",
            json!({"Budget": {"BudgetName": c.names.budget, "BudgetLimit": {"Amount": budget_usd(c), "Unit": "USD"},
                "TimeUnit": "MONTHLY", "BudgetType": "COST"},
                "NotificationsWithSubscribers": when("HasAlertEmail", notify, no_value())}),
        ),
    );
    m
}

fn redis_endpoint(c: &Context) -> Value {
    let k = &c.s.cache;
    if !k.cluster_mode && k.replicas_per_shard == 0 {
        att("Cache", "RedisEndpoint.Address")
    } else if k.cluster_mode {
        att("Cache", "ConfigurationEndPoint.Address")
    } else {
        att("Cache", "PrimaryEndPoint.Address")
    }
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
        "FrontendUrl": {"Description": "The frontend on CloudFront", "Value": sub("https://${FrontendDistribution.DomainName}")},
        "FrontendBucketName": {"Value": r("FrontendBucket")},
        "DistributionId": {"Value": r("FrontendDistribution")},
        "RepositoryUri": {"Value": att("Repository", "RepositoryUri")},
        "DatabaseEndpoint": {"Value": att("Database", "Endpoint.Address")},
        "DatabaseReadEndpoint": {"Value": read},
        "DatabaseSecretArn": {"Description": "The master password, managed by RDS in Secrets Manager", "Value": att("Database", "MasterUserSecret.SecretArn")},
        "RedisEndpoint": {"Value": redis_endpoint(c)},
        "RedisScheme": {"Description": "rediss (TLS) for a replication group, redis for a single node", "Value": if single { "redis" } else { "rediss" }},
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

const DEPLOY_STACK_TEMPLATE: &str = include_str!("templates/deploy-stack.sh");

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
