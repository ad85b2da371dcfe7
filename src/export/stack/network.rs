//! The stack's network: the subnets tasks and data stores use, the security groups, and the
//! load balancer with its target group and listeners.

use super::{att, cfn_tags, is_ec2, network_mode, no_value, private_layout, r, resource, when};
use crate::export::{target_group_attributes, Context};
use serde_json::{json, Map, Value};

/// Subnets of the tasks (and container instances).
pub(super) fn task_subnets(c: &Context) -> Value {
    if private_layout(c) {
        r("PrivateSubnets")
    } else {
        r("PublicSubnets")
    }
}

/// Subnets of the database and the cache: the private ones when given (as deploy.sh).
pub(super) fn data_subnets(c: &Context) -> Value {
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
    let mut props = json!({"GroupName": name, "GroupDescription": format!("{description} for {}",
        c.app),
        "VpcId": r("VpcId"), "Tags": cfn_tags(c)});
    if !rules.is_empty() {
        props["SecurityGroupIngress"] = Value::Array(rules);
    }
    resource("AWS::EC2::SecurityGroup", props)
}

/// The security groups of deploy.sh: the ALB open on 80/443, the tasks open to the ALB on the
/// container port, the database and the cache open to the tasks. On EC2 with bridge networking
/// the instances take the tasks' place (dynamic host ports).
pub(super) fn network(c: &Context) -> Map<String, Value> {
    let port = c.s.backend.container_port as u32;
    let mut m = Map::new();
    let open = |p: u32| {
        json!({"IpProtocol": "tcp", "FromPort": p, "ToPort": p, "CidrIp":
        "0.0.0.0/0", "Description": "HTTP(S) from anywhere"})
    };
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

/// The ALB, the target group and the listener that always exists (HTTPS on 443 with a
/// certificate, HTTP on 80 without); with a certificate port 80 redirects to HTTPS.
pub(super) fn load_balancer(c: &Context) -> Map<String, Value> {
    let s = c.s;
    let mut m = Map::new();
    m.insert(
        "LoadBalancer".into(),
        resource(
            "AWS::ElasticLoadBalancingV2::LoadBalancer",
            json!({"Name": c.names.load_balancer, "Type": "application", "Scheme":
                "internet-facing",
                "Subnets": r("PublicSubnets"), "SecurityGroups": [att("AlbSecurityGroup",
                    "GroupId")], "Tags": cfn_tags(c)}),
        ),
    );
    let target_type = if network_mode(c) == "awsvpc" { "ip" } else { "instance" };
    m.insert(
        "TargetGroup".into(),
        resource(
            "AWS::ElasticLoadBalancingV2::TargetGroup",
            json!({"Name": c.names.target_group, "Protocol": "HTTP", "Port":
                s.backend.container_port, "VpcId": r("VpcId"),
                "TargetType": target_type, "HealthCheckPath": s.deploy.health_check_path,
                "TargetGroupAttributes": target_group_attributes(s).map(|(k, v)| json!({"Key": k,
                    "Value": v})),
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
                "Certificates": when("HasCertificate", json!([{"CertificateArn":
                    r("CertificateArn")}]), no_value()),
                "SslPolicy": when("HasCertificate", json!("ELBSecurityPolicy-TLS13-1-2-2021-06"),
                    no_value()),
                "DefaultActions": [{"Type": "forward", "TargetGroupArn": r("TargetGroup")}]}),
        ),
    );
    let mut redirect = resource(
        "AWS::ElasticLoadBalancingV2::Listener",
        json!({"LoadBalancerArn": r("LoadBalancer"), "Port": 80, "Protocol": "HTTP",
            "DefaultActions": [{"Type": "redirect", "RedirectConfig": {"Protocol": "HTTPS",
                "Port": "443", "StatusCode": "HTTP_301"}}]}),
    );
    redirect["Condition"] = json!("HasCertificate");
    // Port 80 is free only after the API listener has moved to 443.
    redirect["DependsOn"] = json!(["ApiListener"]);
    m.insert("HttpRedirectListener".into(), redirect);
    m
}
