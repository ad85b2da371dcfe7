//! Service auto scaling: the scalable target, the scaling policies and the scheduled actions.

use super::service::task_range;
use super::{Context, ExportFile};
use crate::model::scenario::ScalingPolicyKind;
use crate::model::simulate::{StepRule, TargetRule};
use serde_json::{json, Value};

/// `register-scalable-target --cli-input-json` input.
pub fn scalable_target(c: &Context) -> Value {
    let (min, max) = task_range(c.s);
    json!({
        "ServiceNamespace": "ecs",
        "ResourceId": c.names.scalable_resource_id(),
        "ScalableDimension": "ecs:service:DesiredCount",
        "MinCapacity": min,
        "MaxCapacity": max
    })
}

/// `put-scaling-policy --cli-input-json` inputs, with the file names they are written to: the
/// policy the simulation ran (one target-tracking policy, or the document's two step policies).
pub fn scaling_policies(c: &Context) -> Vec<(ExportFile, Value)> {
    let s = c.s;
    match s.backend.scaling_policy {
        ScalingPolicyKind::TargetTracking => {
            let t = TargetRule::from_scenario(s);
            vec![(
                ExportFile::ScalingPolicy,
                json!({
                    "PolicyName": c.names.target_tracking_policy,
                    "ServiceNamespace": "ecs",
                    "ResourceId": c.names.scalable_resource_id(),
                    "ScalableDimension": "ecs:service:DesiredCount",
                    "PolicyType": "TargetTrackingScaling",
                    "TargetTrackingScalingPolicyConfiguration": {
                        "TargetValue": (t.target_cpu * 100.0).round(),
                        "PredefinedMetricSpecification": {"PredefinedMetricType":
                            "ECSServiceAverageCPUUtilization"},
                        "ScaleOutCooldown": t.out_cooldown_s,
                        "ScaleInCooldown": t.in_cooldown_s,
                        "DisableScaleIn": false
                    }
                }),
            )]
        }
        ScalingPolicyKind::Step => {
            let r = StepRule::from_scenario(s);
            // Step bounds are relative to the alarm threshold.
            let big = (r.big_step_above * 100.0).round();
            vec![
                (
                    ExportFile::ScalingPolicy,
                    json!({
                        "PolicyName": c.names.scale_out_policy,
                        "ServiceNamespace": "ecs",
                        "ResourceId": c.names.scalable_resource_id(),
                        "ScalableDimension": "ecs:service:DesiredCount",
                        "PolicyType": "StepScaling",
                        "StepScalingPolicyConfiguration": {
                            "AdjustmentType": "PercentChangeInCapacity",
                            "MinAdjustmentMagnitude": 1,
                            "Cooldown": r.out_cooldown_s,
                            "MetricAggregationType": "Average",
                            "StepAdjustments": [
                                {"MetricIntervalLowerBound": 0.0, "MetricIntervalUpperBound": big,
                                    "ScalingAdjustment": r.out_small_pct},
                                {"MetricIntervalLowerBound": big, "ScalingAdjustment":
                                    r.out_big_pct}
                            ]
                        }
                    }),
                ),
                (
                    ExportFile::ScalingPolicyIn,
                    json!({
                        "PolicyName": c.names.scale_in_policy,
                        "ServiceNamespace": "ecs",
                        "ResourceId": c.names.scalable_resource_id(),
                        "ScalableDimension": "ecs:service:DesiredCount",
                        "PolicyType": "StepScaling",
                        "StepScalingPolicyConfiguration": {
                            "AdjustmentType": "ChangeInCapacity",
                            "Cooldown": r.in_cooldown_s,
                            "MetricAggregationType": "Average",
                            "StepAdjustments": [
                                {"MetricIntervalUpperBound": 0.0, "ScalingAdjustment": -r.in_tasks}
                            ]
                        }
                    }),
                ),
            ]
        }
    }
}

/// `put-scheduled-action --cli-input-json` inputs for the simulated scheduled minimum: raise the
/// minimum on weekday mornings, restore it in the evening (UTC).
pub fn scheduled_actions(c: &Context) -> Vec<(ExportFile, Value)> {
    let Some(sch) = c.s.simulation.schedule else { return Vec::new() };
    let (min, max) = task_range(c.s);
    let action = |name: &str, cron: String, min: u32| {
        json!({
            "ServiceNamespace": "ecs",
            "ScheduledActionName": name,
            "ResourceId": c.names.scalable_resource_id(),
            "ScalableDimension": "ecs:service:DesiredCount",
            "Schedule": cron,
            "Timezone": "Etc/UTC",
            "ScalableTargetAction": {"MinCapacity": min, "MaxCapacity": max}
        })
    };
    // The evening action at hour 24 is midnight of the next weekday.
    let end = if sch.to_hour >= 24 {
        "cron(0 0 ? * TUE-SAT *)".to_string()
    } else {
        format!("cron(0 {} ? * MON-FRI *)", sch.to_hour)
    };
    vec![
        (
            ExportFile::ScheduledActionStart,
            action(
                &c.names.scheduled_start,
                format!("cron(0 {} ? * MON-FRI *)", sch.from_hour),
                sch.min_tasks.max(min).min(max),
            ),
        ),
        (ExportFile::ScheduledActionEnd, action(&c.names.scheduled_end, end, min)),
    ]
}
