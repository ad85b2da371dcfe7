//! The control panel: one slider + number field per numeric input (from `FIELDS`), and
//! selects for the choices, grouped as the planning document groups the system.

use super::{catalog, AppState};
use crate::model::scenario::*;
use crate::model::{PriceKey, Scenario};
use leptos::prelude::*;

/// A slider paired with a number field. Both write through `Scenario::apply`, so an
/// out-of-range value is explained and the last good scenario stays.
#[component]
fn FieldInput(spec: &'static FieldSpec) -> impl IntoView {
    let state = expect_context::<AppState>();
    let error = RwSignal::new(None::<String>);
    let value = Memo::new(move |_| state.scenario.with(|s| s.get(spec.field)));
    let apply = move |text: String| {
        let parsed = text.trim().parse::<f64>();
        let result = match parsed {
            Ok(v) => state.apply(Edit::Field(spec.field, v)).map_err(|e| e.message()),
            Err(_) => Err(format!("{} must be a number, in {}", spec.label, spec.unit)),
        };
        error.set(result.err());
    };
    let slider_id = format!("f-{}", spec.id);
    let number_id = format!("n-{}", spec.id);
    let help_id = format!("h-{}", spec.id);
    let err_id = format!("e-{}", spec.id);
    view! {
        <div class="field" class:invalid=move || error.with(|e| e.is_some())>
            <label for=slider_id.clone()>{spec.label}</label>
            <div class="inputs">
                <input type="range" id=slider_id.clone() min=spec.min max=spec.max step=spec.step
                    prop:value=move || value.get().to_string()
                    aria-describedby=help_id.clone()
                    on:input=move |ev| apply(event_target_value(&ev)) />
                <input type="number" id=number_id min=spec.min max=spec.max step=spec.step
                    aria-label=format!("{} in {}", spec.label, spec.unit)
                    aria-invalid=move || if error.with(|e| e.is_some()) { "true" } else { "false" }
                    aria-describedby=format!("{help_id} {err_id}")
                    prop:value=move || { let v = value.get(); if v.fract() == 0.0 { format!("{v:.0}") } else { format!("{}", (v * 1000.0).round() / 1000.0) } }
                    on:change=move |ev| apply(event_target_value(&ev)) />
                <span class="unit">{spec.unit}</span>
            </div>
            <p class="help" id=help_id>{spec.help}</p>
            <p class="error" id=err_id role="status">{move || error.get()}</p>
        </div>
    }
}

/// A choice among options. With `ladder`, the options are ordered (cheapest first) and a
/// slider steps through them beside the select, as the sliders do for numbers.
#[component]
fn Choice(
    id: &'static str,
    label: &'static str,
    help: &'static str,
    options: Vec<(String, String)>,
    get: fn(&Scenario) -> String,
    /// The edit choosing an option makes (`None` for a value no option has).
    set: fn(&str) -> Option<Edit>,
    #[prop(optional)] ladder: bool,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let current = Memo::new(move |_| state.scenario.with(get));
    let help_id = format!("h-{id}");
    let values: Vec<String> = options.iter().map(|o| o.0.clone()).collect();
    let count = values.len();
    let index = {
        let values = values.clone();
        Memo::new(move |_| current.with(|c| values.iter().position(|v| v == c).unwrap_or(0)))
    };
    let slider = ladder.then(|| {
        view! {
            <input type="range" id=format!("l-{id}") min="0" max=count.saturating_sub(1) step="1"
                aria-label=format!("{label}: step through the options, cheapest first")
                aria-valuetext=move || current.get()
                prop:value=move || index.get().to_string()
                on:input=move |ev| {
                    if let Some(edit) = event_target_value(&ev).parse::<usize>().ok().and_then(|i| values.get(i)).and_then(|v| set(v)) {
                        state.apply_or_explain(edit);
                    }
                } />
        }
    });
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <div class="inputs">
                {slider}
                <select id=id aria-describedby=help_id.clone() on:change=move |ev| {
                    if let Some(edit) = set(&event_target_value(&ev)) {
                        state.apply_or_explain(edit);
                    }
                }>
                    {options.into_iter().map(|(value, text)| {
                        let v = value.clone();
                        view! { <option value=value selected=move || current.with(|c| *c == v)>{text}</option> }
                    }).collect_view()}
                </select>
            </div>
            <p class="help" id=help_id>{help}</p>
        </div>
    }
}

/// Catalog classes ordered by their us-east-1 hourly price, cheapest first.
fn by_price<T>(map: &std::collections::BTreeMap<String, T>, price: fn(String) -> PriceKey) -> Vec<(String, String)> {
    catalog().by_hourly_price(map, price).into_iter().map(|(k, usd)| (k.clone(), format!("{k} (${usd}/h)"))).collect()
}

#[component]
fn Toggle(id: &'static str, label: &'static str, help: &'static str, get: fn(&Scenario) -> bool, set: fn(bool) -> Edit) -> impl IntoView {
    let state = expect_context::<AppState>();
    let help_id = format!("h-{id}");
    view! {
        <div class="field toggle">
            <label>
                <input type="checkbox" id=id aria-describedby=help_id.clone() prop:checked=move || state.scenario.with(get)
                    on:change=move |ev| state.apply_or_explain(set(event_target_checked(&ev))) />
                {label}
            </label>
            <p class="help" id=help_id>{help}</p>
        </div>
    }
}

fn choices(group: Group) -> AnyView {
    let c = catalog();
    match group {
        Group::Traffic => view! {
            <Choice id="region" label="Region" help="Prices are keyed by region; regions other than us-east-1 use a documented factor (an assumption) unless a price is known."
                ladder=true options=c.regions.iter().map(|(k, r)| (k.clone(), format!("{k} — {}", r.name))).collect()
                get=|s| s.region.clone() set=|v| Some(Edit::Region(v.to_string())) />
            <Toggle id="production" label="Production tier" help="Production gets availability checks: Multi-AZ database, two or more tasks, a cache replica."
                get=|s| s.production set=Edit::Production />
        }.into_any(),
        Group::Frontend => view! {
            <Choice id="cdn_geo" label="Where most viewers are" help="CloudFront prices transfer by viewer geography; this also picks the price class."
                options=CdnGeo::ALL.iter().map(|g| (g.key().to_string(), g.label().to_string())).collect()
                get=|s| s.frontend.cdn_geo.key().to_string() set=|v| CdnGeo::from_key(v).map(Edit::CdnGeo) />
        }.into_any(),
        Group::Backend => view! {
            <Choice id="launch_type" label="Runs on" help="ECS Fargate (the document's option 1) or a fixed EC2 fleet (option 2)."
                options=LaunchType::ALL.iter().map(|l| (l.key().to_string(), l.label().to_string())).collect()
                get=|s| s.backend.launch_type.key().to_string() set=|v| LaunchType::from_key(v).map(Edit::LaunchType) />
            <Choice id="task_size" label="Fargate task size" ladder=true help="Only the CPU/memory pairs Fargate accepts. A Node.js process uses at most one vCPU."
                options=c.fargate_pairs().into_iter().map(|(cpu, mem)| (format!("{cpu}/{mem}"), format!("{} vCPU / {} GB", cpu as f64 / 1024.0, mem as f64 / 1024.0))).collect()
                get=|s| format!("{}/{}", s.backend.task_cpu, s.backend.task_memory_mib)
                set=|v| { let (cpu, mem) = v.split_once('/')?; Some(Edit::TaskSize { cpu: cpu.parse().ok()?, memory_mib: mem.parse().ok()? }) } />
            <Choice id="arch" label="CPU architecture" help="ARM (Graviton) Fargate costs about 20% less per vCPU-hour."
                options=Arch::ALL.iter().map(|a| (a.key().to_string(), a.long_label().to_string())).collect()
                get=|s| s.backend.arch.key().to_string() set=|v| Arch::from_key(v).map(Edit::Arch) />
            <Choice id="ec2_instance" label="EC2 instance type" help="For the fixed fleet: burstable t3 classes, one Node.js process per vCPU."
                ladder=true options=by_price(&c.ec2_instances, PriceKey::Ec2Hour) get=|s| s.backend.ec2_instance.clone() set=|v| Some(Edit::Ec2Instance(v.to_string())) />
            <Choice id="policy" label="Scaling policy" help="Step scaling is the document's rule (out above 70% CPU, in below 30%); target tracking holds one CPU target."
                options=ScalingPolicyKind::ALL.iter().map(|p| (p.key().to_string(), p.label().to_string())).collect()
                get=|s| s.backend.scaling_policy.key().to_string() set=|v| ScalingPolicyKind::from_key(v).map(Edit::ScalingPolicy) />
        }.into_any(),
        Group::Database => view! {
            <Choice id="db_class" label="Instance class" help="The document's ladder (db.t3.micro to db.r5.large) plus t4g, m5 and r6g classes."
                ladder=true options=by_price(&c.rds_classes, PriceKey::RdsHour) get=|s| s.database.class.clone() set=|v| Some(Edit::DbClass(v.to_string())) />
            <Toggle id="multi_az" label="Multi-AZ (standby)" help="A synchronous standby in a second AZ; bills instance and storage twice."
                get=|s| s.database.multi_az set=Edit::MultiAz />
        }.into_any(),
        Group::Cache => view! {
            <Choice id="cache_node" label="Node type" help="The document's cache.t3 ladder plus larger nodes; about 75% of node memory is usable."
                ladder=true options=by_price(&c.cache_nodes, PriceKey::CacheHour) get=|s| s.cache.node_type.clone() set=|v| Some(Edit::CacheNode(v.to_string())) />
            <Toggle id="cluster_mode" label="Cluster mode (shards)" help="Spreads keys over shards (create-replication-group); off means one shard."
                get=|s| s.cache.cluster_mode set=Edit::ClusterMode />
        }.into_any(),
        Group::Network => view! {
            <Choice id="network_layout" label="Network layout" help="Where tasks run: public subnets (public IPs), private subnets with NAT per AZ, or private with VPC endpoints."
                options=NetworkLayout::ALL.iter().map(|l| (l.key().to_string(), l.label().to_string())).collect()
                get=|s| s.network.layout.key().to_string() set=|v| NetworkLayout::from_key(v).map(Edit::NetworkLayout) />
        }.into_any(),
    }
}

#[component]
pub fn ControlPanel() -> impl IntoView {
    Group::ALL
        .iter()
        .map(|&group| {
            view! {
                <fieldset class="group">
                    <legend>{group.label()}</legend>
                    {choices(group)}
                    {FIELDS.iter().filter(|f| f.group == group).map(|spec| view! { <FieldInput spec=spec/> }).collect_view()}
                </fieldset>
            }
        })
        .collect_view()
}
