//! The command that fetches the metrics `scaling-plan calibrate` reads: AWS CLI v2
//! `aws cloudwatch get-metric-data` over the resources the exports create, named by the same
//! `ResourceNames` deploy.sh and stack.yaml use, so it runs as printed on that stack.
//!
//! Shell words (region, ALB name) go through `shell::quote`. The query file is a heredoc whose
//! only expansions are `${ALB}` and `${PERIOD}`, set by the script itself; the names in it come
//! from the app name, which `check_app_name` limits to lowercase letters, digits and hyphens.
//! https://docs.aws.amazon.com/cli/latest/reference/cloudwatch/get-metric-data.html

use super::slots::fill_slots;
use super::{shell, Context, ResourceNames};
use crate::model::metric_data::{MetricSpec, Resource, METRICS};
use crate::model::plan;
use crate::model::{Catalog, Scenario};
use serde_json::{json, Value};

const FETCH_TEMPLATE: &str = include_str!("templates/fetch-metrics.sh");

/// Stand-ins replaced by shell expansions once the JSON is written.
const ALB_SLOT: &str = "@ALB@";
const PERIOD_SLOT: u32 = 86_399;

/// The ElastiCache nodes deploy.sh creates: one cluster named `<app>-cache`, or a replication
/// group whose nodes are `<id>-001...` (one shard) or `<id>-0001-001...` (cluster mode).
/// Returns (every node, the nodes that hold a shard's data once).
/// https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.WhichShouldIMonitor.html
fn cache_nodes(c: &Context, names: &ResourceNames) -> (Vec<String>, Vec<String>) {
    let cache = &c.s.cache;
    let id = names.cache.clone();
    if !cache.cluster_mode && cache.replicas_per_shard == 0 {
        return (vec![id.clone()], vec![id]);
    }
    let per_shard = 1 + cache.replicas_per_shard;
    if cache.cluster_mode {
        let all = (1..=cache.shards)
            .flat_map(|s| (1..=per_shard).map(move |n| (s, n)))
            .map(|(s, n)| format!("{id}-{s:04}-{n:03}"))
            .collect();
        let primaries = (1..=cache.shards).map(|s| format!("{id}-{s:04}-001")).collect();
        (all, primaries)
    } else {
        ((1..=per_shard).map(|n| format!("{id}-{n:03}")).collect(), vec![format!("{id}-001")])
    }
}

fn dimensions(names: &ResourceNames, resource: Resource) -> Value {
    let d = |name: &str, value: String| json!({"Name": name, "Value": value});
    match resource {
        Resource::LoadBalancer => json!([d("LoadBalancer", ALB_SLOT.to_string())]),
        Resource::EcsService | Resource::EcsServiceInsights => {
            json!([
                d("ClusterName", names.cluster.clone()),
                d("ServiceName", names.service.clone())
            ])
        }
        Resource::DbInstance => json!([d("DBInstanceIdentifier", names.db_instance.clone())]),
        Resource::CacheNodes => Value::Null,
    }
}

fn metric_stat(m: &MetricSpec, dims: Value) -> Value {
    json!({"Namespace": m.namespace, "MetricName": m.metric, "Dimensions": dims})
}

fn label(m: &MetricSpec) -> String {
    match (m.qualifiers.first(), m.stat.starts_with('p')) {
        (_, true) => format!("{} {}", m.metric, m.stat),
        (Some(q), false) => format!("{} {}", q.to_ascii_uppercase(), m.metric),
        (None, false) => m.metric.to_string(),
    }
}

/// The `--metric-data-queries` list: one query per series (`Id` as the calibration reads it);
/// ElastiCache series of several nodes are summed by a metric math expression under that `Id`.
pub fn metric_queries(c: &Context) -> Vec<Value> {
    let names = &c.names;
    let (all_nodes, shard_nodes) = cache_nodes(c, names);
    let mut out = Vec::new();
    for m in METRICS.iter() {
        let stat = |dims: Value| {
            json!({"Metric": metric_stat(m, dims), "Period": PERIOD_SLOT,
            "Stat": m.stat})
        };
        if m.resource != Resource::CacheNodes {
            out.push(json!({"Id": m.id, "Label": label(m), "MetricStat": stat(dimensions(names,
                m.resource))}));
            continue;
        }
        // Bytes are held once per shard (replicas copy them); hits and misses add up over nodes.
        let nodes = if m.metric == "BytesUsedForCache" { &shard_nodes } else { &all_nodes };
        let dims = |node: &String| json!([{"Name": "CacheClusterId", "Value": node}]);
        if let [node] = nodes.as_slice() {
            out.push(json!({"Id": m.id, "Label": label(m), "MetricStat": stat(dims(node))}));
            continue;
        }
        let ids: Vec<String> = (1..=nodes.len()).map(|i| format!("{}_{i}", m.id)).collect();
        for (id, node) in ids.iter().zip(nodes) {
            out.push(json!({"Id": id, "MetricStat": stat(dims(node)), "ReturnData": false}));
        }
        out.push(json!({"Id": m.id, "Label": label(m), "Expression": format!("SUM([{}])",
            ids.join(", "))}));
    }
    out
}

/// The fetch script as README and `scaling-plan calibrate --help` print it: bash, AWS CLI v2.
pub fn fetch_script(c: &Context) -> String {
    let queries: Vec<String> = metric_queries(c)
        .iter()
        .map(|q| {
            q.to_string()
                .replace(ALB_SLOT, "${ALB}")
                .replace(&format!("\"Period\":{PERIOD_SLOT}"), "\"Period\":${PERIOD}")
        })
        .collect();
    let (alb_word, region_word) = (shell::quote(&c.names.load_balancer), shell::quote(&c.region));
    // The template's header (up to the first blank line) is for shellcheck and readers.
    let template = FETCH_TEMPLATE.split_once("\n\n").map_or(FETCH_TEMPLATE, |(_, body)| body);
    fill_slots(
        template,
        &[
            ("APP", &c.app),
            ("REGION", &c.region),
            ("ALB", &c.names.load_balancer),
            ("ALB_WORD", &alb_word),
            ("REGION_WORD", &region_word),
            ("QUERIES", &queries.join(",\n  ")),
        ],
    )
}

/// The fetch script for a scenario (its names and region).
pub fn fetch_script_for(s: &Scenario, catalog: &Catalog) -> String {
    let p = plan(s, catalog);
    fetch_script(&Context::new(s, &p, super::DEFAULT_PLANNER_URL))
}
