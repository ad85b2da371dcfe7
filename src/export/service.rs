//! service.json and the target group's routing attribute.

use super::fleet::ec2_fleet;
use super::Context;
use crate::model::scenario::{NetworkLayout, Scenario};
use serde_json::{json, Value};

/// The target-group attribute that sets the ALB's routing algorithm, with the scenario's value
/// (`round_robin` or `least_outstanding_requests`).
/// <https://docs.aws.amazon.com/elasticloadbalancing/latest/application/edit-target-group-attributes.html#modify-routing-algorithm>
pub const ROUTING_ATTRIBUTE: &str = "load_balancing.algorithm.type";

pub fn target_group_attributes(s: &Scenario) -> [(&'static str, &'static str); 1] {
    [(ROUTING_ATTRIBUTE, s.alb.routing.target_group_algorithm())]
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
            "targetGroupArn":
                format!("arn:aws:elasticloadbalancing:{}:{}:targetgroup/{}/0123456789abcdef",
                c.region, c.account(), n.target_group),
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
pub(super) fn task_range(s: &Scenario) -> (u32, u32) {
    match ec2_fleet(s) {
        Some(fleet) => (fleet.tasks, fleet.tasks),
        None => (s.backend.tasks_min, s.backend.tasks_max.max(s.backend.tasks_min)),
    }
}
