//! Read-only views of the plan: headline figures, warnings, charts, the request-flow diagram,
//! the cost lines and the planning document's tier tables.

use super::charts::{self, Chart};
use super::format::{delta, exact, ms, ms_delta, num, points_delta, qty, usd};
use super::{catalog, inputs, onscreen, AppState};
use crate::model::curve::cost_curve;
use crate::model::scenario::{LaunchType, NetworkLayout};
use crate::model::tiers::TierComparison;
use crate::model::{plan, Component, CostLine, Plan, Severity, Tier};
use leptos::prelude::*;

#[component]
pub fn TierButtons() -> impl IntoView {
    let state = expect_context::<AppState>();
    // The tier the inputs are, unchanged (none once edited).
    let shown = Memo::new(move |_| state.scenario.with(Tier::matching));
    view! {
        <nav class="tiers" aria-label="Load a tier of the planning document">
            {Tier::ALL
                .iter()
                .map(|&t| {
                    view! {
                        <button
                            class="tier"
                            class:current=move || shown.get() == Some(t)
                            aria-pressed=move || {
                                if shown.get() == Some(t) { "true" } else { "false" }
                            }
                            title="Load this tier into the inputs (Back undoes it). To compare \
                                without loading, use “Compare with”."
                            on:click=move |_| {
                                state
                                    .load(
                                        state.scenario.with_untracked(|cur| t.scenario_like(cur)),
                                    );
                            }
                        >
                            {format!("{} tier", t.label())}
                        </button>
                    }
                })
                .collect_view()}
        </nav>
    }
}

#[component]
fn Figure(
    id: &'static str,
    label: &'static str,
    #[prop(into)] explain: Signal<String>,
    value: Signal<String>,
    /// The difference against the baseline, when one is set.
    #[prop(optional)]
    change: Option<Signal<Option<String>>>,
    /// Set when the figure belongs to a plan that cannot work: shown struck, labelled so.
    #[prop(optional)]
    not_viable: Option<Memo<bool>>,
) -> impl IntoView {
    let explain_id = format!("x-{id}");
    let change_id = format!("{id}-delta");
    let flagged = move || not_viable.is_some_and(|f| f.get());
    view! {
        <div
            class="figure"
            class:not-viable=flagged
            tabindex="0"
            title=move || explain.get()
            aria-describedby=explain_id.clone()
        >
            <span class="figure-label">
                {label}
                {move || flagged().then(|| view! { <span class="nv-tag">" (not viable)"</span> })}
            </span>
            <output id=id class="figure-value">
                {move || value.get()}
            </output>
            {move || {
                change
                    .and_then(|c| c.get())
                    .map(|d| {
                        view! {
                            <span class="delta" id=change_id.clone()>
                                {d}
                            </span>
                        }
                    })
            }}
            <span class="tooltip" id=explain_id.clone() role="tooltip">
                {move || explain.get()}
            </span>
        </div>
    }
}

#[component]
pub fn Headline() -> impl IntoView {
    let state = expect_context::<AppState>();
    let p = state.plan;
    let critical = super::viable::is_critical(state);
    let vs = move |f: fn(&crate::model::compare::PlanDiff) -> crate::model::compare::Delta| {
        Signal::derive(move || state.diff.with(|d| d.as_ref().map(|d| delta(&f(d)))))
    };
    view! {
        <section class="headline" aria-label="Headline figures">
            <div class="figures">
                <Figure
                    id="total"
                    label="Monthly total"
                    explain=Signal::derive(move || {
                        let h = p.with(|p| p.hours_per_month);
                        format!("Sum of every cost line below, {h} hours a month, including the \
                            costs the document leaves out.")
                    })
                    value=Signal::derive(move || p.with(|p| usd(p.monthly_total_usd)))
                    change=vs(|d| d.total)
                    not_viable=critical
                />
                <Figure
                    id="per-million"
                    label="Per million API requests"
                    explain=Signal::derive(move || {
                        let h = p.with(|p| p.hours_per_month);
                        format!("Monthly total divided by the month's API requests (peak / \
                            peak-to-average x {h} h).")
                    })
                    value=Signal::derive(move || p.with(crate::model::display::per_million))
                    change=vs(|d| d.per_million)
                    not_viable=critical
                />
                <Figure
                    id="headroom"
                    label="Headroom at peak"
                    explain="Share of the capacity running at peak that the peak leaves unused; \
                        negative means overloaded."
                    value=Signal::derive(move || {
                        p.with(|p| format!("{}%", num(p.capacity.headroom_pct.max(-999.0), 0)))
                    })
                    change=Signal::derive(move || {
                        state.diff.with(|d| d.as_ref().map(|d| points_delta(&d.headroom_pct)))
                    })
                />
                <Figure
                    id="p95"
                    label="p95 latency at peak"
                    explain="How long 95 of 100 requests take at the busiest minute: the wait for \
                        a free Node.js process, from a queueing model (M/M/1 and its relatives: \
                        requests arrive at random, each process serves one at a time), plus the \
                        I/O wait. 'saturated' when demand exceeds capacity: the queue grows \
                        without end."
                    value=Signal::derive(move || p.with(|p| ms(p.capacity.p95_ms)))
                    change=Signal::derive(move || {
                        state.diff.with(|d| d.as_ref().map(|d| ms_delta(&d.p95_ms)))
                    })
                />
                <Figure
                    id="omitted"
                    label="Left out by the planning document"
                    explain="Egress, public IPs, NAT or endpoints, logs, secrets and ECR: costs \
                        the planning document does not list."
                    value=Signal::derive(move || p.with(|p| usd(p.document_omitted_usd)))
                    change=vs(|d| d.omitted)
                />
            </div>
            <super::viable::NotViableBanner />
            <HeadlineNotes critical />
            <super::cockpit::BaselinePicker />
        </section>
    }
}

/// Under the headline figures: the total at published prices, what is billed, how the prices
/// were estimated and the year at this rate.
#[component]
fn HeadlineNotes(critical: Memo<bool>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let p = state.plan;
    view! {
        // With price overrides, the total at published prices, where the total is read.
        {move || {
            p.with(crate::model::display::published_note)
                .map(|note| {
                    view! {
                        <p class="published critical" id="published-total">
                            {format!("With this scenario's own prices; {note}.")}
                        </p>
                    }
                })
        }}
        <p class="bills" id="bills">
            {move || {
                state.scenario.with(|s| p.with(|p| crate::model::display::billed_fleet(s, p)))
            }}
            {move || {
                state.baseline_name.get().map(|n| format!(" Differences are against {n}."))
            }}
        </p>
        <p class="estimates" id="estimates">
            {move || {
                state.scenario.with(|s| p.with(|p| crate::model::display::pricing_note(s, p)))
            }}
        </p>
        <p class="annual">
            "A year at this rate: "
            <strong id="annual" class:struck=move || critical.get()>
                {move || p.with(|p| usd(crate::model::health::summary(p).annual_usd))}
            </strong>
            {move || critical.get().then(|| " (a plan that is not viable)")}
        </p>
        <super::inputs::ReportSummary />
    }
}

#[component]
pub fn Warnings() -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <section class="warnings" aria-labelledby="warnings-h">
            <h2 id="warnings-h">"Warnings"</h2>
            <ul aria-live="polite">
                {move || {
                    state
                        .plan
                        .with(|p| {
                            if p.warnings.is_empty() {
                                return view! {
                                    <li class="ok">"No warnings: the plan meets every check."</li>
                                }
                                    .into_any();
                            }
                            p.warnings
                                .iter()
                                .map(|w| {
                                    let class = match w.severity {
                                        Severity::Critical => "critical",
                                        Severity::Warning => "warning",
                                        Severity::Info => "info",
                                    };
                                    view! {
                                        <li class=class data-code=w.code.key()>
                                            <strong>
                                                {match w.severity {
                                                    Severity::Critical => "Critical: ",
                                                    Severity::Warning => "Warning: ",
                                                    Severity::Info => "Note: ",
                                                }}
                                            </strong>
                                            {w.message.clone()}
                                            <span class="fix">" Fix: " {w.fix.clone()}</span>
                                        </li>
                                    }
                                })
                                .collect_view()
                                .into_any()
                        })
                }}
            </ul>
        </section>
    }
}

#[component]
pub fn ChartsPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let catalog = catalog();
    // The tiers at the user's region and price overrides, beside the current scenario. The
    // first memo changes only when those do, so the tiers are not re-planned per slider move.
    let prices_of = Memo::new(move |_| state.scenario.with(|s| Tier::Small.scenario_like(s)));
    let tier_plans = Memo::new(move |_| {
        let like = prices_of.get();
        Tier::ALL
            .iter()
            .map(|&t| (t.label().to_string(), plan(&t.scenario_like(&like), catalog)))
            .collect::<Vec<_>>()
    });
    // The curve re-plans 40 scenarios: first computed once the first chart is drawn (at once
    // when the first frame's snapshot showed it), then again whenever the slider pauses.
    let curve = super::settled_after_first_paint(state, move |s| cost_curve(s, catalog, 40, 3.0));
    view! {
        <section class="charts" aria-label="Charts">
            <Chart
                id="chart-tiers"
                label="Stacked monthly cost per component for the Small, Medium and Large tiers \
                    and the current scenario"
                legend=charts::component_legend()
                draw=move |root| {
                    tier_plans.with(|tiers| {
                        state.plan.with(|current| {
                            let mut plans = charts::borrowed(tiers);
                            plans.push(("Current", current));
                            charts::draw_tier_stack(root, &plans)
                        })
                    })
                }
            />
            <Chart
                id="chart-curve"
                label="Monthly cost against peak traffic, with the steps where tasks and replicas \
                    are added"
                legend=charts::curve_legend()
                draw=move |root| {
                    let (rps, usd) = state.plan.with(|p| (p.capacity.peak_rps,
                        p.monthly_total_usd));
                    curve
                        .with(|c| match c {
                            Some(c) => charts::draw_cost_curve(root, c, rps, usd),
                            None => charts::draw_waiting(root, "Computing the cost curve…"),
                        })
                }
            />
            <Chart
                id="chart-capacity"
                label="Requests per second the tasks can serve against the peak, and DB \
                    connections against max_connections"
                aspect=0.5
                narrow_aspect=1.1
                draw=move |root| state.plan.with(|p| charts::draw_capacity(root, p))
            />
            // Only printed: built after the first chart, from the inputs' chunk (inputs.rs).
            <onscreen::AfterFirstPaint>
                <inputs::TierCosts tier_plans=tier_plans />
            </onscreen::AfterFirstPaint>
        </section>
    }
}

/// The tiers' plans beside the current one, as the charts panel keeps them.
pub(super) type TierPlans = Memo<Vec<(String, Plan)>>;

/// The printed report's table of costs per tier (the tier chart's figures as numbers).
pub(super) fn tier_cost_table(state: AppState, tier_plans: TierPlans) -> impl IntoView {
    let row = move |c: Component| {
        view! {
            <tr>
                <td>{c.label()}</td>
                {tier_cells(tier_plans, move |p| p.component_total(c))}
                <td class="n">{move || state.plan.with(|p| usd(p.component_total(c)))}</td>
            </tr>
        }
    };
    let headers = Tier::ALL
        .iter()
        .map(|t| {
            view! {
                <th scope="col" class="n">
                    {t.label()}
                </th>
            }
        })
        .collect_view();
    view! {
        <table class="print-only tier-costs">
            <caption>"Monthly cost per component and tier"</caption>
            <thead>
                <tr>
                    <th scope="col">"Component"</th>
                    {headers}
                    <th scope="col" class="n">
                        "Current"
                    </th>
                </tr>
            </thead>
            <tbody>
                {Component::ALL.iter().map(|&c| row(c)).collect_view()} <tr>
                    <th scope="row">"Total"</th>
                    {tier_cells(tier_plans, |p| p.monthly_total_usd)}
                    <td class="n">{move || state.plan.with(|p| usd(p.monthly_total_usd))}</td>
                </tr>
            </tbody>
        </table>
    }
}

/// One figure of each tier's plan, as cells that follow the tiers' plans.
fn tier_cells(
    tier_plans: TierPlans,
    figure: impl Fn(&Plan) -> f64 + Copy + Send + Sync + 'static,
) -> impl IntoView {
    move || {
        tier_plans.with(|tp| {
            tp.iter().map(|(_, p)| view! { <td class="n">{usd(figure(p))}</td> }).collect_view()
        })
    }
}

#[component]
pub fn Diagram() -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <section class="diagram" aria-labelledby="diagram-h">
            <h2 id="diagram-h">"Request flow"</h2>
            {move || state.scenario.with(|s| state.plan.with(|p| flow(s, p)))}
        </section>
    }
}

/// The request flow's boxes, each with the figures the plan gives it.
fn flow(s: &crate::model::Scenario, p: &Plan) -> impl IntoView {
    let [compute, db, cache, net] = flow_words(s, p);
    view! {
        <ol class="flow">
            <li class="node frontend">
                "CloudFront + S3"
                <small>
                    {format!("{} page views / month", qty(s.traffic.monthly_page_views))}
                </small>
            </li>
            <li class="node alb">
                "Application Load Balancer"
                <small>
                    {format!(
                        "{} req/s peak, {} LCU (the ALB's billing unit)",
                        num(p.capacity.peak_rps, 0),
                        num(p.capacity.alb.lcus, 2),
                    )}
                </small>
            </li>
            <li class="node tasks">{compute} <small>{net}</small></li>
            <li class="node data">
                <span class="db">
                    {db}
                    <small>
                        {format!(
                            "{} / {} connections",
                            p.capacity.db_connections_primary,
                            p.capacity.db_max_connections,
                        )}
                    </small>
                </span>
                <span class="cache">
                    {cache}
                    <small>
                        {format!(
                            "{:.1} of {:.1} GB usable",
                            p.capacity.cache_needed_gb,
                            p.capacity.cache_usable_gb,
                        )}
                    </small>
                </span>
            </li>
        </ol>
    }
}

/// What each box of the flow says: the compute fleet, the database, the cache, the network.
fn flow_words(s: &crate::model::Scenario, p: &Plan) -> [String; 4] {
    let compute = match s.backend.launch_type {
        LaunchType::Fargate => format!(
            "{}–{} Fargate tasks ({} billed on average, {} at peak), {} vCPU / {} GB {}",
            s.backend.tasks_min,
            s.backend.tasks_max,
            p.fargate_billing.as_ref().map(|f| num(f.billed_tasks, 2)).unwrap_or_default(),
            p.capacity.workers_at_peak,
            s.task_vcpu(),
            s.task_memory_gb(),
            s.backend.arch.label()
        ),
        LaunchType::Ec2 => format!(
            "{} x EC2 {} ({} Node.js processes)",
            s.backend.ec2_count, s.backend.ec2_instance, p.capacity.workers_at_peak
        ),
    };
    let db = format!(
        "RDS {} primary{} + {} read replica{}",
        s.database.class,
        if s.database.multi_az { " (Multi-AZ)" } else { "" },
        s.database.read_replicas,
        if s.database.read_replicas == 1 { "" } else { "s" }
    );
    let cache = format!(
        "Redis {} x {} nodes ({} shard{}, {} replica/shard)",
        s.cache.node_type,
        p.capacity.cache_nodes,
        s.cache.shards,
        if s.cache.shards == 1 { "" } else { "s" },
        s.cache.replicas_per_shard
    );
    let net = match s.network.layout {
        NetworkLayout::Public => "public subnets".to_string(),
        NetworkLayout::PrivateNat => {
            format!("private subnets, {} NAT gateways", s.network.azs)
        }
        NetworkLayout::VpcEndpoints => "private subnets, VPC endpoints".to_string(),
    };
    [compute, db, cache, net]
}

#[component]
pub fn CostTable() -> impl IntoView {
    let state = expect_context::<AppState>();
    let baseline_header = move || {
        state.baseline_name.get().map(|n| {
            view! {
                <th scope="col" class="n vs">
                    {format!("vs {n}")}
                </th>
            }
        })
    };
    let total_vs = move || {
        state.diff.with(|d| {
            d.as_ref().map(|d| {
                view! {
                    <td class="n vs" id="total-vs">
                        {delta(&d.total)}
                    </td>
                }
            })
        })
    };
    view! {
        <section class="costs" aria-labelledby="costs-h">
            <h2 id="costs-h">"Cost lines"</h2>
            <table>
                <caption class="sr-only">"Every cost line: quantity times unit price"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Component"</th>
                        <th scope="col">"Item"</th>
                        <th scope="col" class="n">
                            "Quantity"
                        </th>
                        <th scope="col" class="n">
                            "Unit price"
                        </th>
                        <th scope="col" class="n">
                            "Monthly"
                        </th>
                        <th scope="col">"Price from"</th>
                        {baseline_header}
                    </tr>
                </thead>
                <tbody>
                    // Rows keyed by position: a slider move updates the cells' text in place
                    // instead of rebuilding the table.
                    <For each=move || 0..state.plan.with(|p| p.cost_lines.len()) key=|i| *i let:i>
                        {cost_line_row(state, i)}
                    </For>
                    {move || removed_rows(state)}
                </tbody>
                <tfoot>
                    <tr>
                        <th scope="row" colspan="4">
                            "Total (list prices, on-demand)"
                        </th>
                        <td class="n">{move || state.plan.with(|p| usd(p.monthly_total_usd))}</td>
                        <td></td>
                        {total_vs}
                    </tr>
                </tfoot>
            </table>
        </section>
    }
}

/// The item, with a note when the planning document leaves the line out.
fn item_text(l: &CostLine) -> String {
    let note = if l.document_omits { " — not in the document" } else { "" };
    format!("{}{note}", l.item)
}

/// The unit price, with a note when it is the user's or an unconfirmed assumption.
fn unit_price_text(l: &CostLine) -> String {
    let note = if l.overridden {
        " (your price)"
    } else if !l.confirmed {
        " (assumption)"
    } else {
        ""
    };
    format!("${}{note}", exact(l.unit_price_usd))
}

/// Row `i` of the cost lines; its cells follow the plan in place.
fn cost_line_row(state: AppState, i: usize) -> impl IntoView {
    let cell = move |f: fn(&CostLine) -> String| {
        state.plan.with(|p| p.cost_lines.get(i).map(f).unwrap_or_default())
    };
    let flag =
        move |f: fn(&CostLine) -> bool| state.plan.with(|p| p.cost_lines.get(i).is_some_and(f));
    let vs = move || {
        state.diff.with(|d| {
            d.as_ref().map(|d| {
                view! { <td class="n vs">{d.lines.get(i).map(delta).unwrap_or_default()}</td> }
            })
        })
    };
    view! {
        <tr
            class:omitted=move || flag(|l| l.document_omits)
            class:assumed=move || flag(|l| !l.confirmed)
        >
            <td>{move || cell(|l| l.component.label().to_string())}</td>
            <td>{move || cell(item_text)}</td>
            <td class="n">{move || cell(|l| format!("{} {}", qty(l.quantity), l.unit))}</td>
            <td class="n">{move || cell(unit_price_text)}</td>
            <td class="n">{move || cell(|l| usd(l.monthly_usd))}</td>
            <td class="src" title=move || cell(|l| l.rate_code.clone().unwrap_or_default())>
                {move || cell(|l| l.source.clone())}
            </td>
            {vs}
        </tr>
    }
}

/// The baseline's lines the working plan no longer has (none without a baseline).
fn removed_rows(state: AppState) -> impl IntoView {
    state.diff.with(|d| {
        d.as_ref().map(|d| {
            d.removed
                .iter()
                .map(|r| {
                    view! {
                        <tr class="removed">
                            <td>{r.component.label()}</td>
                            <td>{format!("{} — only in the baseline", r.item)}</td>
                            <td></td>
                            <td></td>
                            <td class="n">"$0.00"</td>
                            <td></td>
                            <td class="n vs">{format!("−{}", usd(r.monthly_usd))}</td>
                        </tr>
                    }
                })
                .collect_view()
        })
    })
}

#[component]
pub fn DocumentTables() -> impl IntoView {
    let catalog = catalog();
    let state = expect_context::<AppState>();
    // The tiers at the user's region and price overrides, as the charts show them. The memo
    // changes only when those do, so the tables are not rebuilt on every slider move.
    let prices_of = Memo::new(move |_| state.scenario.with(|s| Tier::Small.scenario_like(s)));
    let tables =
        move || prices_of.with(|like| Tier::ALL.map(|t| TierComparison::like(t, like, catalog)));
    view! {
        <section class="document-tiers" aria-labelledby="document-tiers-h">
            <h2 id="document-tiers-h">"The document's tiers, at today's prices"</h2>
            <div class="document-tiers-grid">
                {move || {
                    tables()
                        .into_iter()
                        .map(|t| {
                            view! {
                                <table>
                                    <caption>
                                        {format!(
                                            "{}: document ~{}, today {} ({} of it left out by the \
                                                document)",
                                            t.tier.label(),
                                            usd(t.document_total_usd),
                                            usd(t.today_total_usd),
                                            usd(t.document_omitted_usd),
                                        )}
                                    </caption>
                                    <thead>
                                        <tr>
                                            <th scope="col">"Line"</th>
                                            <th scope="col" class="n">
                                                "Document"
                                            </th>
                                            <th scope="col" class="n">
                                                "Today"
                                            </th>
                                            <th scope="col">"Why"</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {t
                                            .lines
                                            .iter()
                                            .map(|l| {
                                                view! {
                                                    <tr>
                                                        <td>{l.label}</td>
                                                        <td class="n">{usd(l.document_usd)}</td>
                                                        <td class="n">{usd(l.today_usd)}</td>
                                                        <td class="why">{l.why.clone()}</td>
                                                    </tr>
                                                }
                                            })
                                            .collect_view()} <tr class="omitted">
                                            <td>
                                                "Not in the document (egress, network, logs, \
                                                    secrets, ECR)"
                                            </td>
                                            <td class="n">"—"</td>
                                            <td class="n">{usd(t.document_omitted_usd)}</td>
                                            <td class="why">
                                                "See the cost lines marked “not in the document”."
                                            </td>
                                        </tr>
                                    </tbody>
                                </table>
                            }
                        })
                        .collect_view()
                }}
            </div>
        </section>
    }
}
