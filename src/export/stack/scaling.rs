//! The stack's service auto scaling: the scalable target with its scheduled actions, the
//! policies of scaling-policy*.json and the CPU alarms of the step policies.

use super::{capitalise, r, resource};
use crate::export::{scalable_target, scaling_policies, scheduled_actions, Context};
use crate::model::scenario::ScalingPolicyKind;
use crate::model::simulate::StepRule;
use serde_json::{json, Map, Value};

/// `PolicyName` suffix -> logical ID, e.g. `bridge-cpu-scale-out` -> `ScalingPolicyCpuScaleOut`.
fn policy_id(c: &Context, policy_name: &str) -> String {
    let suffix = policy_name.strip_prefix(&format!("{}-", c.app)).unwrap_or(policy_name);
    let words: String = suffix.split('-').map(capitalise).collect();
    format!("ScalingPolicy{words}")
}

/// The scalable target (scalable-target.json, with the scheduled actions of
/// scheduled-action-*.json) and the policies of scaling-policy*.json; the step policies get the
/// CPU alarms that deploy.sh creates for them.
pub(super) fn scaling(c: &Context) -> Map<String, Value> {
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
                    "Dimensions": [{"Name": "ClusterName", "Value": c.cluster()}, {"Name":
                        "ServiceName", "Value": c.service()}],
                    "Statistic": "Average", "Period": 60, "EvaluationPeriods": minutes,
                        "Threshold": threshold,
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
