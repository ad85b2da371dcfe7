//! The stack's compute: ECR, the log group, the IAM roles, the cluster, the task definition,
//! the EC2 fleet (launch template, Auto Scaling group, capacity provider) and the service.

use super::network::task_subnets;
use super::{
    att, cfn_properties, cfn_tags, ec2_fleet_plan, is_ec2, localise, network_mode, private_layout,
    r, resource, sub,
};
use crate::export::{
    service, task_definition, Context, DB_PASSWORD_KEY_SUFFIX, DB_PASSWORD_SECRET,
};
use serde_json::{json, Map, Value};

fn ecs_tasks_role(c: &Context, name: &str) -> Value {
    resource(
        "AWS::IAM::Role",
        json!({"RoleName": name,
            "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action":
                    "sts:AssumeRole"}]},
            "Tags": cfn_tags(c)}),
    )
}

/// ECR repository, log group, the two IAM roles, the cluster and the task definition (the
/// values of taskdef.json).
pub(super) fn containers(c: &Context) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert(
        "Repository".into(),
        resource(
            "AWS::ECR::Repository",
            json!({"RepositoryName": c.names.repository, "ImageScanningConfiguration":
                {"ScanOnPush": true},
                "EmptyOnDelete": true, "Tags": cfn_tags(c)}),
        ),
    );
    m.insert(
        "LogGroup".into(),
        resource(
            "AWS::Logs::LogGroup",
            json!({"LogGroupName": c.names.log_group, "RetentionInDays":
                crate::export::rules::log_retention_days(c.s.network.log_retention_months)}),
        ),
    );
    let mut execution = ecs_tasks_role(c, &c.names.execution_role);
    execution["Properties"]["ManagedPolicyArns"] = json!([sub(
        "arn:${AWS::Partition}:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
    )]);
    execution["Properties"]["Policies"] = json!([{"PolicyName": c.names.parameters_policy,
        "PolicyDocument": {"Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": ["ssm:GetParameters"],
            "Resource":
                sub(&format!("arn:${{AWS::Partition}}:ssm:${{AWS::Region}}:${{AWS::AccountId}}:parameter{}/*", c.names.parameter_prefix))},
            {"Effect": "Allow", "Action": ["secretsmanager:GetSecretValue"], "Resource":
                att("Database", "MasterUserSecret.SecretArn")}]}}]);
    m.insert("ExecutionRole".into(), execution);
    m.insert("TaskRole".into(), ecs_tasks_role(c, &c.names.task_role));
    let mut cluster = json!({"ClusterName": c.cluster(), "ClusterSettings": [{"Name":
        "containerInsights", "Value": "enabled"}], "Tags": cfn_tags(c)});
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
pub(super) fn ec2_fleet(c: &Context) -> Map<String, Value> {
    let mut m = Map::new();
    let Some(fleet) = ec2_fleet_plan(c) else { return m };
    instance_role(c, &mut m);
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
                "NetworkInterfaces": [{"DeviceIndex": 0, "AssociatePublicIpAddress":
                    !private_layout(c), "Groups": [instance_group]}],
                "MetadataOptions": {"HttpTokens": "required", "HttpPutResponseHopLimit": 2},
                "BlockDeviceMappings": [{"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize":
                    fleet.root_volume_gb, "VolumeType": "gp3", "Encrypted": true}}],
                "UserData": {"Fn::Base64": sub("#!/bin/bash\necho ECS_CLUSTER=${Cluster} >> \
                    /etc/ecs/ecs.config\n")},
                "TagSpecifications": [{"ResourceType": "instance", "Tags": [{"Key": "Name",
                    "Value": c.names.launch_template}]}]
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
                "LaunchTemplate": {"LaunchTemplateId": r("LaunchTemplate"), "Version":
                    att("LaunchTemplate", "LatestVersionNumber")},
                "Tags": [{"Key": "app", "Value": c.app, "PropagateAtLaunch": true}]}),
        ),
    );
    m.insert(
        "CapacityProvider".into(),
        resource(
            "AWS::ECS::CapacityProvider",
            json!({"Name": c.names.capacity_provider, "AutoScalingGroupProvider":
                {"AutoScalingGroupArn": r("AutoScalingGroup"),
                "ManagedScaling": {"Status": "ENABLED", "TargetCapacity": 100},
                "ManagedTerminationProtection": "DISABLED"}, "Tags": cfn_tags(c)}),
        ),
    );
    m.insert(
        "ClusterCapacityProviders".into(),
        resource(
            "AWS::ECS::ClusterCapacityProviderAssociations",
            json!({"Cluster": r("Cluster"), "CapacityProviders": ["FARGATE", "FARGATE_SPOT",
                r("CapacityProvider")],
                "DefaultCapacityProviderStrategy": [{"CapacityProvider": r("CapacityProvider"),
                    "Weight": 1}]}),
        ),
    );
    m
}

/// The instances' IAM role (the ECS agent's managed policy) and its instance profile.
fn instance_role(c: &Context, m: &mut Map<String, Value>) {
    let mut role = resource(
        "AWS::IAM::Role",
        json!({"RoleName": c.names.instance_role,
            "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action":
                    "sts:AssumeRole"}]},
            "ManagedPolicyArns":
                [sub("arn:${AWS::Partition}:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role")],
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

pub(super) fn backend_service(c: &Context) -> Map<String, Value> {
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
