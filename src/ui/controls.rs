//! The inputs panel: collapsible sections (traffic, backend, database, cache, network, advanced)
//! with the common inputs open, one slider + number field per numeric input (from `FIELDS`),
//! and selects for the choices. Inputs that do not apply to the chosen launch type are hidden.

use super::format::exact;
use super::price_lists::{by_price, plain};
use super::{catalog, AppState};
use crate::model::display::{
    applies_to, fargate_cpu_choices, fargate_memory_choices, fargate_memory_for, nearest_stop,
    section_of, slider_stops, Section,
};
use crate::model::health::availability_findings;
use crate::model::price_words::{regions_cheapest_first, viewers_near};
use crate::model::scenario::*;
use crate::model::{PriceKey, Scenario};
use leptos::html;
use leptos::prelude::*;

/// The number a field shows: whole numbers without decimals, others to three decimals.
fn field_text(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        exact((v * 1000.0).round() / 1000.0)
    }
}

/// A slider paired with a number field. Both write through `Scenario::with_field`: a refused
/// value is explained at the field and the plan keeps the last valid scenario. A refused value
/// is tried again when other inputs change (raising the maximum lets a minimum through), and
/// dropped when a preset, import or Back replaces the scenario.
#[component]
fn FieldInput(spec: &'static FieldSpec) -> impl IntoView {
    let state = expect_context::<AppState>();
    let error = RwSignal::new(None::<String>);
    let pending = RwSignal::new(None::<f64>);
    let value = Memo::new(move |_| state.scenario.with(|s| s.get(spec.field)));
    let number = NodeRef::<html::Input>::new();
    let set = move |v: f64| match state.apply(Edit::Field(spec.field, v)) {
        Ok(()) => {
            error.set(None);
            pending.set(None);
        }
        Err(e) => {
            error.set(Some(e.message()));
            pending.set(Some(v));
        }
    };
    let acceptable =
        move |s: &Scenario, v: f64| s.apply(Edit::Field(spec.field, v), catalog()).is_ok();
    let parse = move |text: String| parse_field_text(spec, &text);
    retry_and_reset(state, value, number, pending, error, move |v| {
        if state.scenario.with(|s| acceptable(s, v)) {
            set(v);
        }
    });
    let slider_id = format!("f-{}", spec.id);
    let help_id = format!("h-{}", spec.id);
    let err_id = format!("e-{}", spec.id);
    let slider = field_slider(spec, value, slider_id.clone(), help_id.clone(), set, error);
    view! {
        <div
            class="field"
            class:invalid=move || error.with(|e| e.is_some())
            hidden=move || !state.scenario.with(|s| applies_to(spec.id, s))
        >
            <label for=slider_id.clone()>{spec.label}</label>
            <div class="inputs">
                {slider}
                <input
                    type="number"
                    id=format!("n-{}", spec.id)
                    node_ref=number
                    min=spec.min
                    max=spec.max
                    step="any"
                    aria-label=format!("{} in {}", spec.label, spec.unit)
                    aria-invalid=move || if error.with(|e| e.is_some()) { "true" } else { "false" }
                    aria-describedby=format!("{help_id} {err_id}")
                    prop:value=move || field_text(value.get())
                    // Typing: the message clears as soon as the text is valid; the plan follows on
                    // change.
                    on:input=move |ev| {
                        let valid = parse(event_target_value(&ev))
                            .is_ok_and(|v| state.scenario.with_untracked(|s| acceptable(s, v)));
                        if valid {
                            error.set(None)
                        }
                    }
                    on:change=move |ev| match parse(event_target_value(&ev)) {
                        Ok(v) => set(v),
                        Err(e) => {
                            pending.set(None);
                            error.set(Some(e))
                        }
                    }
                /> <span class="unit">{spec.unit}</span>
            </div>
            <p class="help" id=help_id>
                {spec.help}
            </p>
            <p class="error" id=err_id role="status">
                {move || error.get()}
            </p>
        </div>
    }
}

/// A number typed in a field, or the message saying what it must be.
fn parse_field_text(spec: &FieldSpec, text: &str) -> Result<f64, String> {
    text.trim()
        .parse::<f64>()
        .map_err(|_| format!("{} must be a number, in {}", spec.label, spec.unit))
}

/// A refused value is tried again (`retry`) whenever the scenario changes, and dropped, with
/// its message and the typed text, when a preset, import or Back replaces the scenario.
fn retry_and_reset(
    state: AppState,
    value: Memo<f64>,
    number: NodeRef<html::Input>,
    pending: RwSignal<Option<f64>>,
    error: RwSignal<Option<String>>,
    retry: impl Fn(f64) + 'static,
) {
    Effect::new(move |_| {
        let Some(v) = pending.get() else { return };
        state.scenario.track();
        retry(v);
    });
    Effect::new(move |prev: Option<u64>| {
        let loads = state.loads.get();
        if prev.is_some_and(|p| p != loads)
            && (pending.get_untracked().is_some() || error.with_untracked(|e| e.is_some()))
        {
            pending.set(None);
            error.set(None);
            if let Some(el) = number.get_untracked() {
                el.set_value(&field_text(value.get_untracked()));
            }
        }
        loads
    });
}

/// The field's slider: through rounded stops over a wide range, else in the field's steps.
fn field_slider(
    spec: &'static FieldSpec,
    value: Memo<f64>,
    slider_id: String,
    help_id: String,
    set: impl Fn(f64) + Copy + 'static,
    error: RwSignal<Option<String>>,
) -> AnyView {
    match slider_stops(spec) {
        // A wide range: the slider steps through rounded values (about +20% a press).
        Some(stops) => {
            let last = stops.len() - 1;
            let stops_pos = stops.clone();
            view! {
                <input
                    type="range"
                    id=slider_id.clone()
                    min="0"
                    max=last
                    step="1"
                    prop:value=move || nearest_stop(&stops_pos, value.get()).to_string()
                    aria-valuetext=move || format!("{} {}", field_text(value.get()), spec.unit)
                    aria-describedby=help_id.clone()
                    on:input=move |ev| {
                        if let Some(v) = event_target_value(&ev)
                            .parse::<usize>()
                            .ok()
                            .and_then(|i| stops.get(i))
                        {
                            set(*v)
                        }
                    }
                />
            }
            .into_any()
        }
        None => view! {
            <input
                type="range"
                id=slider_id.clone()
                min=spec.min
                max=spec.max
                step=spec.step
                prop:value=move || value.get().to_string()
                aria-describedby=help_id.clone()
                on:input=move |ev| match parse_field_text(spec, &event_target_value(&ev)) {
                    Ok(v) => set(v),
                    Err(e) => error.set(Some(e)),
                }
            />
        }
        .into_any(),
    }
}

/// A choice among options. With `ladder`, the options are ordered (cheapest first) and a
/// slider steps through them beside the select, as the sliders do for numbers.
#[component]
fn Choice(
    id: &'static str,
    label: &'static str,
    help: &'static str,
    /// (value, text) pairs; a signal when the texts follow the scenario (prices by region).
    #[prop(into)]
    options: Signal<Vec<(String, String)>>,
    get: fn(&Scenario) -> String,
    /// The edit choosing an option makes (`None` for a value no option has).
    set: fn(&str) -> Option<Edit>,
    #[prop(optional)] ladder: bool,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let current = Memo::new(move |_| state.scenario.with(get));
    let help_id = format!("h-{id}");
    let values = Memo::new(move |_| {
        options.with(|o| o.iter().map(|o| o.0.clone()).collect::<Vec<String>>())
    });
    let index = Memo::new(move |_| {
        current.with(|c| values.with(|v| v.iter().position(|v| v == c).unwrap_or(0)))
    });
    let slider = ladder.then(|| ladder_slider(id, label, current, values, index, set));
    view! {
        <div class="field" hidden=move || !state.scenario.with(|s| applies_to(id, s))>
            <label for=id>{label}</label>
            <div class="inputs" class:ladder=ladder>
                {slider}
                <select
                    id=id
                    aria-describedby=help_id.clone()
                    on:change=move |ev| {
                        if let Some(edit) = set(&event_target_value(&ev)) {
                            state.apply_or_explain(edit);
                        }
                    }
                >
                    {move || {
                        options
                            .get()
                            .into_iter()
                            .map(|(value, text)| {
                                let v = value.clone();
                                view! {
                                    <option
                                        value=value
                                        selected=move || current.with(|c| *c == v)
                                    >
                                        {text}
                                    </option>
                                }
                            })
                            .collect_view()
                    }}
                </select>
            </div>
            <p class="help" id=help_id>
                {help}
            </p>
        </div>
    }
}

/// The slider beside a ladder's select: steps through the options, cheapest first.
fn ladder_slider(
    id: &'static str,
    label: &'static str,
    current: Memo<String>,
    values: Memo<Vec<String>>,
    index: Memo<usize>,
    set: fn(&str) -> Option<Edit>,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <input
            type="range"
            id=format!("l-{id}")
            min="0"
            max=move || values.with(|v| v.len().saturating_sub(1))
            step="1"
            aria-label=format!("{label}: step through the options, cheapest first")
            aria-valuetext=move || current.get()
            prop:value=move || index.get().to_string()
            on:input=move |ev| {
                let picked = event_target_value(&ev)
                    .parse::<usize>()
                    .ok()
                    .and_then(|i| values.with_untracked(|v| v.get(i).cloned()));
                if let Some(edit) = picked.and_then(|v| set(&v)) {
                    state.apply_or_explain(edit);
                }
            }
        />
    }
}

#[component]
fn Toggle(
    id: &'static str,
    label: &'static str,
    help: &'static str,
    get: fn(&Scenario) -> bool,
    set: fn(bool) -> Edit,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let help_id = format!("h-{id}");
    view! {
        <div class="field toggle">
            <label>
                <input
                    type="checkbox"
                    id=id
                    aria-describedby=help_id.clone()
                    prop:checked=move || state.scenario.with(get)
                    on:change=move |ev| state.apply_or_explain(set(event_target_checked(&ev)))
                />
                {label}
            </label>
            <p class="help" id=help_id>
                {help}
            </p>
        </div>
    }
}

/// Fargate's size as two choices, vCPU then memory, offering only the pairs AWS accepts.
/// Changing the vCPU keeps the memory if it is valid with it, else the nearest valid size.
#[component]
fn TaskSize() -> impl IntoView {
    let state = expect_context::<AppState>();
    let c = catalog();
    let cpu = Memo::new(move |_| state.scenario.with(|s| s.backend.task_cpu));
    let memory = Memo::new(move |_| state.scenario.with(|s| s.backend.task_memory_mib));
    let memories = Memo::new(move |_| fargate_memory_choices(c, cpu.get()));
    view! {
        <div
            class="field task-size"
            hidden=move || !state.scenario.with(|s| applies_to("task_cpu", s))
        >
            <span class="field-label" id="task-size-label">
                "Fargate task size"
            </span>
            <div class="inputs pair" role="group" aria-labelledby="task-size-label">
                <label for="task-cpu" class="sr-only">
                    "vCPU"
                </label>
                {task_cpu_select(state, cpu, memory)}
                <label for="task-memory" class="sr-only">
                    "Memory"
                </label>
                {task_memory_select(state, cpu, memory, memories)}
            </div>
            <p class="help" id="h-task-size">
                "Only the memory sizes Fargate accepts with the chosen vCPU. A Node.js process \
                    uses at most one vCPU."
            </p>
        </div>
    }
}

/// The vCPU choice: a new vCPU keeps the memory if valid with it, else the nearest valid size.
fn task_cpu_select(state: AppState, cpu: Memo<u32>, memory: Memo<u32>) -> impl IntoView {
    let c = catalog();
    view! {
    <select
        id="task-cpu"
        aria-describedby="h-task-size"
        on:change=move |ev| {
            if let Ok(new_cpu) = event_target_value(&ev).parse::<u32>() {
                if let Some(mem) = fargate_memory_for(
                    c,
                    new_cpu,
                    memory.get_untracked(),
                ) {
                    state
                        .apply_or_explain(Edit::TaskSize {
                            cpu: new_cpu,
                            memory_mib: mem,
                        });
                }
            }
        }
    >
        {fargate_cpu_choices(c)
            .into_iter()
            .map(|(units, vcpu)| {
                view! {
                    <option value=units.to_string() selected=move || cpu.get() == units>
                        {format!("{} vCPU", exact(vcpu))}
                    </option>
                }
            })
            .collect_view()}
    </select>
    }
}

/// The memory choice: only the sizes Fargate accepts with the chosen vCPU.
fn task_memory_select(
    state: AppState,
    cpu: Memo<u32>,
    memory: Memo<u32>,
    memories: Memo<Vec<u32>>,
) -> impl IntoView {
    view! {
    <select
        id="task-memory"
        aria-describedby="h-task-size"
        on:change=move |ev| {
            if let Ok(mem) = event_target_value(&ev).parse::<u32>() {
                state
                    .apply_or_explain(Edit::TaskSize {
                        cpu: cpu.get_untracked(),
                        memory_mib: mem,
                    });
            }
        }
    >
        {move || {
            memories
                .get()
                .into_iter()
                .map(|mib| {
                    view! {
                        <option
                            value=mib.to_string()
                            selected=move || memory.get() == mib
                        >
                            {format!("{} GB", exact(mib as f64 / 1024.0))}
                        </option>
                    }
                })
                .collect_view()
        }}
    </select>
    }
}

/// "Availability checks" (the scenario's `production` flag) and what they find right now.
#[component]
fn AvailabilityChecks() -> impl IntoView {
    let state = expect_context::<AppState>();
    let findings = Memo::new(move |_| {
        state.plan.with(|p| {
            availability_findings(p).iter().map(|w| w.message.clone()).collect::<Vec<_>>()
        })
    });
    let on = Memo::new(move |_| state.scenario.with(|s| s.production));
    view! {
        <div class="field toggle checks">
            <label>
                <input
                    type="checkbox"
                    id="production"
                    aria-describedby="h-production checks-effect"
                    prop:checked=move || on.get()
                    on:change=move |ev| {
                        state.apply_or_explain(Edit::Production(event_target_checked(&ev)))
                    }
                />
                "Availability checks (production)"
            </label>
            <p class="help" id="h-production">
                "Checks what a production service needs: a Multi-AZ database, two or more tasks, a \
                    cache replica, backups, one NAT gateway per AZ, private subnets. It changes no \
                    price; it adds warnings, and the optimiser's high-availability target starts \
                    on."
            </p>
            <p class="effect" id="checks-effect" aria-live="polite">
                {move || {
                    if !on.get() {
                        "Off: none of these checks run.".to_string()
                    } else {
                        findings
                            .with(|f| {
                                if f.is_empty() {
                                    "On: the plan passes every availability check.".to_string()
                                } else {
                                    format!(
                                        "On: {} finding{} — {}",
                                        f.len(),
                                        if f.len() == 1 { "" } else { "s" },
                                        f.join(" "),
                                    )
                                }
                            })
                    }
                }}
            </p>
        </div>
    }
}

fn fields_of(section: Section) -> impl IntoView {
    FIELDS
        .iter()
        .filter(move |f| section_of(f.id) == section)
        .map(|spec| view! { <FieldInput spec=spec /> })
        .collect_view()
}

fn choices(section: Section) -> AnyView {
    match section {
        Section::Traffic => fields_of(section).into_any(),
        Section::Backend => backend_choices().into_any(),
        Section::Database => database_choices().into_any(),
        Section::Cache => cache_choices().into_any(),
        Section::Network => network_choices().into_any(),
        Section::Advanced => advanced_choices().into_any(),
    }
}

/// Launch type, task size, architecture and EC2 type, then the backend's sliders.
fn backend_choices() -> impl IntoView {
    let c = catalog();
    view! {
        <Choice
            id="launch_type"
            label="Runs on"
            help="ECS Fargate (the document's option 1) or a fixed EC2 fleet (option 2). Inputs of \
                the other option are hidden."
            options=pairs(&LaunchType::ALL, |l| (l.key().to_string(), l.label().to_string()))
            get=|s| s.backend.launch_type.key().to_string()
            set=|v| LaunchType::from_key(v).map(Edit::LaunchType)
        />
        <TaskSize />
        <Choice
            id="arch"
            label="CPU architecture"
            help="ARM (Graviton) Fargate costs about 20% less per vCPU-hour."
            options=pairs(&Arch::ALL, |a| (a.key().to_string(), a.long_label().to_string()))
            get=|s| s.backend.arch.key().to_string()
            set=|v| Arch::from_key(v).map(Edit::Arch)
        />
        <Choice
            id="ec2_instance"
            label="EC2 instance type"
            help="For the fixed fleet: burstable t3 classes, one Node.js process per vCPU."
            ladder=true
            options=by_price(&c.ec2_instances, |_, k| PriceKey::Ec2Hour(k), plain)
            get=|s| s.backend.ec2_instance.clone()
            set=|v| Some(Edit::Ec2Instance(v.to_string()))
        />
        {fields_of(Section::Backend)}
    }
}

/// The RDS class and Multi-AZ, then the database's sliders.
fn database_choices() -> impl IntoView {
    let c = catalog();
    view! {
        <Choice
            id="db_class"
            label="Instance class"
            help="The document's ladder (db.t3.micro to db.r5.large) plus t4g, m5 and r6g classes."
            ladder=true
            options=by_price(
                &c.rds_classes,
                |s, k| PriceKey::rds_primary_hour(k, s.database.multi_az),
                |s| if s.database.multi_az { " Multi-AZ" } else { "" },
            )
            get=|s| s.database.class.clone()
            set=|v| Some(Edit::DbClass(v.to_string()))
        />
        <Toggle
            id="multi_az"
            label="Multi-AZ (standby)"
            help="A synchronous standby in a second AZ: AWS prices the pair (instance and \
                storage) as one Multi-AZ row, about twice the single-AZ price."
            get=|s| s.database.multi_az
            set=Edit::MultiAz
        />
        {fields_of(Section::Database)}
    }
}

/// Engine, node type and cluster mode, then the cache's sliders.
fn cache_choices() -> impl IntoView {
    let c = catalog();
    view! {
        <Choice
            id="cache_engine"
            label="Engine"
            help="Valkey nodes cost about 20% less than Redis OSS nodes of the same type."
            options=pairs(&CacheEngine::ALL, |e| (e.key().to_string(), e.label().to_string()))
            get=|s| s.cache.engine.key().to_string()
            set=|v| CacheEngine::from_key(v).map(Edit::CacheEngine)
        />
        <Choice
            id="cache_node"
            label="Node type"
            help="The document's cache.t3 ladder plus larger nodes; 75% of node memory is usable \
                (70% on small, 50% on micro nodes, as AWS recommends)."
            ladder=true
            options=by_price(
                &c.cache_nodes,
                |s, n| PriceKey::CacheHour(s.cache.engine, n),
                plain,
            )
            get=|s| s.cache.node_type.clone()
            set=|v| Some(Edit::CacheNode(v.to_string()))
        />
        <Toggle
            id="cluster_mode"
            label="Cluster mode (shards)"
            help="Spreads keys over shards (create-replication-group); off means one shard."
            get=|s| s.cache.cluster_mode
            set=Edit::ClusterMode
        />
        {fields_of(Section::Cache)}
    }
}

/// Network layout and viewer geography, then the network's sliders.
fn network_choices() -> impl IntoView {
    view! {
        <Choice
            id="network_layout"
            label="Network layout"
            help="Where tasks run: public subnets (public IPs), private subnets with NAT per AZ, \
                or private with VPC endpoints."
            options=pairs(&NetworkLayout::ALL, |l| (l.key().to_string(), l.label().to_string()))
            get=|s| s.network.layout.key().to_string()
            set=|v| NetworkLayout::from_key(v).map(Edit::NetworkLayout)
        />
        <Choice
            id="cdn_geo"
            label="Where most viewers are"
            help="CloudFront prices transfer by viewer geography; this also picks the price class."
            options=pairs(&CdnGeo::ALL, |g| (g.key().to_string(), g.label().to_string()))
            get=|s| s.frontend.cdn_geo.key().to_string()
            set=|v| CdnGeo::from_key(v).map(Edit::CdnGeo)
        />
        {fields_of(Section::Network)}
    }
}

/// Routing, Node.js cluster mode, the scaling policy, then the advanced sliders by group.
fn advanced_choices() -> impl IntoView {
    view! {
        <Choice
            id="routing"
            label="ALB routing"
            help="How the ALB picks a task for each request (the target group's algorithm): it \
                sets the latency at peak."
            options=pairs(&Routing::ALL, |r| (r.key().to_string(), r.label().to_string()))
            get=|s| s.alb.routing.key().to_string()
            set=|v| Routing::from_key(v).map(Edit::Routing)
        />
        <Toggle
            id="node_cluster"
            label="Node.js cluster mode"
            help="One worker process per vCPU in each task, so tasks above 1 vCPU use all their \
                CPU (ECS reports CPU against the CPU reserved)."
            get=|s| s.backend.node_cluster
            set=Edit::NodeCluster
        />
        <Choice
            id="policy"
            label="Scaling policy"
            help="Step scaling is the document's rule (out above 70% CPU, in below 30%); target \
                tracking holds one CPU target."
            options=pairs(&ScalingPolicyKind::ALL, |p| (p.key().to_string(), p.label().to_string()))
            get=|s| s.backend.scaling_policy.key().to_string()
            set=|v| ScalingPolicyKind::from_key(v).map(Edit::ScalingPolicy)
        />
        {Group::ALL
            .iter()
            .map(|&g| {
                let specs: Vec<&'static FieldSpec> = FIELDS
                    .iter()
                    .filter(|f| f.group == g && section_of(f.id) == Section::Advanced)
                    .collect();
                (!specs.is_empty())
                    .then(|| {
                        view! {
                            <h4 class="subgroup">{g.label()}</h4>
                            {specs
                                .into_iter()
                                .map(|spec| view! { <FieldInput spec=spec /> })
                                .collect_view()}
                        }
                    })
            })
            .collect_view()}
    }
}

/// The regions cheapest first, each with its factor on us-east-1 prices.
fn region_options(c: &crate::model::Catalog) -> Vec<(String, String)> {
    regions_cheapest_first(c)
        .into_iter()
        .map(|(k, name, factor)| {
            let text = format!("{k}: {name}, x{factor:.2}");
            (k, text)
        })
        .collect()
}

/// A choice list from an enum's values.
fn pairs<T: Copy>(all: &[T], pair: fn(T) -> (String, String)) -> Vec<(String, String)> {
    all.iter().map(|&x| pair(x)).collect()
}

/// After a change of region, when CloudFront is priced for viewers elsewhere: the geography
/// of the region's own viewers, one click away (the user may serve viewers elsewhere).
#[component]
fn ViewerHint() -> impl IntoView {
    let state = expect_context::<AppState>();
    // Offered once the region differs from the one the inputs opened with, until "Keep" for
    // that region.
    let opened_with = state.scenario.with_untracked(|s| s.region.clone());
    let kept = RwSignal::new(None::<String>);
    let suggestion = move || {
        state.scenario.with(|s| {
            let moved = s.region != opened_with && kept.with(|k| k.as_ref() != Some(&s.region));
            viewers_near(&s.region).filter(|g| moved && *g != s.frontend.cdn_geo)
        })
    };
    move || {
        let geo = suggestion()?;
        let (now, region) = state.scenario.with(|s| (s.frontend.cdn_geo.label(), s.region.clone()));
        Some(view! {
            <p class="effect" id="viewer-hint" role="status">
                {format!(
                    "CloudFront is still priced for viewers in {now}. Most viewers near {region}? ",
                )}
                <button
                    id="viewer-hint-apply"
                    on:click=move |_| state.apply_or_explain(Edit::CdnGeo(geo))
                >
                    {format!("Price for {}", geo.label())}
                </button>
                " "
                <button
                    class="quiet"
                    id="viewer-hint-keep"
                    on:click=move |_| {
                        kept.set(Some(state.scenario.with_untracked(|s| s.region.clone())))
                    }
                >
                    "Keep"
                </button>
            </p>
        })
    }
}

#[component]
pub fn ControlPanel() -> impl IntoView {
    let c = catalog();
    view! {
        <div class="always">
            <Choice
                id="region"
                label="Region"
                help="Ordered cheapest first by the region's price level (the catalog's factor on \
                    us-east-1 prices; x1.00 is us-east-1's). Prices are AWS's published prices for \
                    the region (rate code and date beside each cost line); what AWS's feeds lack \
                    is estimated from the us-east-1 price and marked as such."
                ladder=true
                options=region_options(c)
                get=|s| s.region.clone()
                set=|v| Some(Edit::Region(v.to_string()))
            />
            <ViewerHint />
            <AvailabilityChecks />
        </div>
        {Section::ALL
            .iter()
            .map(|&section| {
                view! {
                    <details
                        class="group"
                        open=section.open_at_start()
                        id=format!(
                            "sec-{}",
                            section
                                .label()
                                .split_whitespace()
                                .next()
                                .unwrap_or("x")
                                .to_ascii_lowercase(),
                        )
                    >
                        <summary>{section.label()}</summary>
                        {choices(section)}
                    </details>
                }
            })
            .collect_view()}
    }
}
