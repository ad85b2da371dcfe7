//! The stack's monitoring: the alarms of deploy.sh, the alert topic and the budget.

use super::{att, cfn_tags, no_value, r, resource, when};
use crate::export::Context;
use serde_json::{json, Map, Value};

use crate::export::rules;
pub use crate::export::rules::budget_usd;

/// The monitoring alarms of deploy.sh (same names, metrics and thresholds), the alert topic and
/// the budget with an e-mailed forecast.
pub(super) fn monitoring(c: &Context) -> Map<String, Value> {
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
    alarms(c, &mut m);
    m.insert("Budget".into(), budget(c));
    m
}

/// deploy.sh's alarms, same names, metrics, periods and thresholds (tests/stack_template.rs
/// compares each with deploy.sh's call).
fn alarms(c: &Context, m: &mut Map<String, Value>) {
    let alb =
        json!([{"Name": "LoadBalancer", "Value": att("LoadBalancer", "LoadBalancerFullName")}]);
    let svc = json!([{"Name": "ClusterName", "Value": c.cluster()}, {"Name": "ServiceName",
        "Value": c.service()}]);
    let db = json!([{"Name": "DBInstanceIdentifier", "Value": r("Database")}]);
    let p95_s = rules::p95_alarm_seconds(c);
    // A float in the template, as the stack has always written it.
    let connections = f64::from(rules::db_connections_alarm(c));
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
            p95_s,
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
            "Dimensions": dims, "Period": period, "EvaluationPeriods": periods, "Threshold":
                threshold,
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
}

/// The budget at `budget_usd`, with an e-mailed forecast when there is an address.
fn budget(c: &Context) -> Value {
    let notify = json!([{
        "Notification": {"NotificationType": "FORECASTED", "ComparisonOperator": "GREATER_THAN",
            "Threshold": 100, "ThresholdType": "PERCENTAGE"},
        "Subscribers": [{"SubscriptionType": "EMAIL", "Address": r("AlertEmail")}]
    }]);
    resource(
        "AWS::Budgets::Budget",
        json!({"Budget": {"BudgetName": c.names.budget, "BudgetLimit": {"Amount": budget_usd(c),
            "Unit": "USD"},
            "TimeUnit": "MONTHLY", "BudgetType": "COST"},
            "NotificationsWithSubscribers": when("HasAlertEmail", notify, no_value())}),
    )
}
