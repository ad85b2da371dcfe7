//! The Leptos app. Components read the `Memo<Plan>` and write the `Scenario` signal; every
//! figure comes from the engine in `model`.

mod below;
mod browser;
mod calibrate;
mod canvas;
mod catalog;
pub mod charts;
mod chunk;
mod cockpit;
mod codec;
mod commitments_panel;
mod controls;
pub mod exporter;
mod exports_panel;
mod format;
mod growth;
mod inputs;
mod message;
mod onscreen;
mod optimizer_panel;
mod panels;
mod price_lists;
mod report_summary;
mod scenarios;
mod simulation_panel;
mod viable;

use crate::model::catalog_file::CatalogInUse;
use crate::model::compare::{diff, PlanDiff};
use crate::model::display::override_warning;
use crate::model::opening::{opening, Opening};
use crate::model::{plan, Catalog, Plan, Scenario, Tier};
use leptos::prelude::*;

/// The catalog pricing the plan now: the built-in one or a file the user loaded (see
/// `catalog.rs`). Views that keep a figure follow `AppState::catalog_in_use`.
pub fn catalog() -> &'static Catalog {
    catalog::active()
}

/// The app's state: one scenario signal, the plan derived from it, and a message line.
#[derive(Clone, Copy)]
pub struct AppState {
    pub scenario: RwSignal<Scenario>,
    pub plan: Memo<Plan>,
    pub notice: RwSignal<Option<String>>,
    /// What the working plan is compared with (a tier or a scenario set aside); never loaded
    /// into the working scenario.
    pub baseline: RwSignal<Option<Baseline>>,
    /// The working plan against the baseline's plan, from `model::compare`.
    pub diff: Memo<Option<PlanDiff>>,
    /// The baseline's name, for "vs …" labels.
    pub baseline_name: Memo<Option<String>>,
    /// Counts whole-scenario replacements (presets, imports, Apply, Back): inputs drop a
    /// refused value they were holding when the scenario under them is replaced.
    pub loads: RwSignal<u64>,
    /// Which catalog prices the plan (built in or a loaded file); the plan follows it.
    pub catalog_in_use: RwSignal<CatalogInUse>,
    /// The next URL update makes a new history entry (presets, imports, "apply").
    push_next: StoredValue<bool>,
}

/// The scenario and its plan as they stand once the slider pauses (`SETTLE_MS`; at once after
/// a load). The views far down the page (the export shown, the prices table, the printed
/// inputs, and every panel below the charts while it is out of view) follow these, so a
/// slider move only updates what is in view.
#[derive(Clone, Copy)]
pub struct AtRest {
    pub scenario: ReadSignal<Scenario>,
    pub plan: Memo<Plan>,
    /// That plan against the baseline's.
    pub diff: Memo<Option<PlanDiff>>,
}

/// A baseline: one of the document's tiers (at the user's region and prices) or a scenario the
/// user set aside with "Set as baseline".
#[derive(Clone, Debug, PartialEq)]
pub enum Baseline {
    Tier(Tier),
    /// The tier's setup carrying the working scenario's traffic (`Tier::at_traffic_of`).
    TierAtMyTraffic(Tier),
    Saved(String, Box<Scenario>),
}

impl Baseline {
    pub fn name(&self) -> String {
        match self {
            Baseline::Tier(t) => format!("{} tier", t.label()),
            Baseline::TierAtMyTraffic(t) => format!("{} tier at your traffic", t.label()),
            Baseline::Saved(n, _) => n.clone(),
        }
    }
}

impl AppState {
    /// Makes a user's edit through `Scenario::apply`: a refused one leaves the scenario as it
    /// is and says why.
    pub fn apply(
        &self,
        edit: crate::model::scenario::Edit,
    ) -> Result<(), crate::model::scenario::ScenarioError> {
        let next = self.scenario.with_untracked(|s| s.apply(edit, catalog()))?;
        self.scenario.set(next);
        Ok(())
    }

    /// Makes an edit from a choice or switch, explaining a refusal in the notice line.
    pub fn apply_or_explain(&self, edit: crate::model::scenario::Edit) {
        if let Err(e) = self.apply(edit) {
            self.notice.set(Some(format!("{} (unchanged).", e.message())));
        }
    }

    /// Replaces the scenario as one step the browser's Back button can undo.
    pub fn load(&self, s: Scenario) {
        self.push_next.set_value(true);
        self.loads.update(|n| *n += 1);
        self.scenario.set(s);
    }
}

const SYNC_DELAY_MS: u32 = 200;

thread_local! {
    /// The pending write of the address bar and autosave; replacing it cancels the previous one.
    static PENDING_SYNC: std::cell::RefCell<Option<gloo::timers::callback::Timeout>> = const {
        std::cell::RefCell::new(None) };
    /// Set when something kept from the last visit (the autosave, a link) could not be read
    /// because the codec's chunk did not arrive: this visit then writes neither the autosave nor
    /// the address bar over it.
    static KEEP_OUTSIDE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    /// The pending re-measure of the charts after a resize.
    static PENDING_RESIZE: std::cell::RefCell<Option<gloo::timers::callback::Timeout>> = const {
        std::cell::RefCell::new(None) };
}

const RESIZE_DELAY_MS: u32 = 120;

/// How long the scenario must stay unchanged before the heavy views (the cost curve re-plans
/// 40 scenarios, each with its own auto scaling simulation) are recomputed.
pub const SETTLE_MS: u32 = 150;

/// A value computed from the scenario, recomputed only once the scenario has stayed unchanged
/// for `SETTLE_MS`: slider moves repaint the headline and the light charts at once, and the
/// heavy ones follow when the user pauses. Loads (presets, imports, Apply, Back) recompute
/// at once.
pub fn settled<T: Send + Sync + 'static>(
    state: AppState,
    compute: impl Fn(&Scenario) -> T + Send + Sync + Clone + 'static,
) -> ReadSignal<T> {
    let value = RwSignal::new(state.scenario.with_untracked(|s| compute(s)));
    follow_when_settled(state, value, compute);
    value.read_only()
}

/// `settled`, with the first value computed in the task after the first chart is drawn (`None`
/// until then): for a view whose computation must not delay the first chart. When the build's
/// snapshot of the first frame was on screen, which shows the finished view, the first value is
/// computed at once: the app's first frame must not show less than the snapshot it replaces.
pub fn settled_after_first_paint<T: Send + Sync + 'static>(
    state: AppState,
    compute: impl Fn(&Scenario) -> T + Send + Sync + Clone + 'static,
) -> ReadSignal<Option<T>> {
    let value = RwSignal::new(None);
    let first = compute.clone();
    let set_first = move || {
        if value.try_with_untracked(|v| v.is_none()).unwrap_or(false) {
            value.try_set(Some(state.scenario.with_untracked(|s| first(s))));
        }
    };
    if onscreen::snapshot_was_shown() {
        set_first();
    } else {
        onscreen::after_first_paint(set_first);
    }
    follow_when_settled(state, value, move |s| Some(compute(s)));
    value.read_only()
}

/// Sets `value` from the scenario once it has stayed unchanged for `SETTLE_MS`, at once after
/// a load.
fn follow_when_settled<T: Send + Sync + 'static>(
    state: AppState,
    value: RwSignal<T>,
    compute: impl Fn(&Scenario) -> T + Send + Sync + Clone + 'static,
) {
    let pending = StoredValue::new_local(None::<gloo::timers::callback::Timeout>);
    let loads = StoredValue::new(state.loads.get_untracked());
    Effect::new(move |first: Option<()>| {
        state.scenario.track();
        if first.is_none() {
            return;
        }
        let update = {
            let compute = compute.clone();
            move || value.set(state.scenario.with_untracked(|s| compute(s)))
        };
        let loaded = state.loads.get_untracked() != loads.get_value();
        loads.set_value(state.loads.get_untracked());
        if loaded {
            pending.set_value(None);
            update();
        } else {
            pending.set_value(Some(gloo::timers::callback::Timeout::new(SETTLE_MS, update)));
        }
    });
}

/// Writes the scenario to the outside: the share link in the address bar and the autosave.
fn sync_outside(state: AppState, push: bool) {
    PENDING_SYNC.with(|p| p.borrow_mut().take());
    if KEEP_OUTSIDE.with(std::cell::Cell::get) {
        return;
    }
    let Some(codec) = codec::get() else {
        // Fetched after the first chart, so this is rare: write once it arrives.
        codec::with(move |c| {
            if c.is_some() {
                sync_outside(state, push)
            }
        });
        return;
    };
    let (link, file) =
        state.scenario.with_untracked(|s| ((codec.encode_short_link)(s), (codec.encode_file)(s)));
    browser::set_hash(&link, push);
    if let Err(e) = browser::storage_set(browser::AUTOSAVE_KEY, &file) {
        state.notice.set(Some(format!("Autosave failed: {e}.")));
    }
}

/// Where the first scenario comes from: the link, else the autosave, else the Medium tier
/// (`model::opening`). A bad link or save is reported and skipped; nothing is overwritten: a
/// link's scenario is shown but the autosave is kept until the user changes something.
fn initial_scenario(catalog: &Catalog) -> Opening {
    let saved = browser::storage_get(browser::AUTOSAVE_KEY);
    let hash = browser::location_hash();
    let Some(codec) = codec::get() else {
        // Only when the codec's chunk could not be fetched (see `start`).
        let mut first = opening(None, None, || Tier::Medium.scenario());
        if saved.is_some() || hash.len() > 1 {
            KEEP_OUTSIDE.with(|k| k.set(true));
            first.notes.push(
                "Your saved scenario or link could not be read: part of the page did \
                not load (offline before it was kept?). Showing the Medium tier; nothing kept was \
                changed. Reload when online."
                    .into(),
            );
            first.bad_link = hash.len() > 1;
        }
        return first;
    };
    let link = (hash.len() > 1).then(|| (codec.decode_link)(&hash, catalog));
    let saved = saved.map(|text| (codec.decode_file)(&text, catalog));
    opening(link, saved, || Tier::Medium.scenario())
}

#[component]
pub fn App() -> impl IntoView {
    let (in_use, first, note) = restore_catalog_and_scenario();
    let catalog_in_use = RwSignal::new(in_use);
    let (bad_link, keep_autosave) = (first.bad_link, first.keep_autosave);
    let kept = KeptAutosave(RwSignal::new(first.autosave.clone()));
    let scenario = RwSignal::new(first.scenario);
    let plan = Memo::new(move |_| {
        catalog_in_use.track();
        scenario.with(|s| plan(s, catalog()))
    });
    let (baseline, baseline_plan, baseline_name) = baseline_signals(scenario, catalog_in_use);
    let diff = diff_from(plan, baseline_plan);
    let state = AppState {
        scenario,
        plan,
        notice: RwSignal::new(note),
        baseline,
        diff,
        baseline_name,
        loads: RwSignal::new(0),
        catalog_in_use,
        push_next: StoredValue::new(false),
    };
    provide_context(state);
    provide_context(at_rest(state, baseline_plan));
    watch_window();
    provide_context(kept);
    sync_with_outside(state, bad_link || keep_autosave);

    view! {
        <Masthead />
        <cockpit::SummaryBar />
        <NoticeBar />
        <AutosaveOffer />
        <main class="layout">
            <aside class="controls" id="inputs" aria-label="Scenario inputs">
                // Built in the task after the first chart is drawn: the inputs are the largest
                // part of the page to build and lay out, and the first frame shows the figures
                // and charts without waiting for them (the column keeps its width).
                // In the release page a wasm chunk of its own (inputs.rs).
                <onscreen::AfterFirstPaint>
                    <inputs::ControlPanel />
                </onscreen::AfterFirstPaint>
            </aside>
            <section class="results" aria-label="Plan">
                <panels::Headline />
                // Only printed: built after the first chart.
                <onscreen::AfterFirstPaint>
                    <inputs::ReportInputs />
                </onscreen::AfterFirstPaint>
                <cockpit::HealthPanel />
                <panels::Warnings />
                <catalog::FollowsCatalog>
                    <panels::ChartsPanel />
                </catalog::FollowsCatalog>
                // Below the charts: built in the next task, after the first chart is drawn; in the
                // release page a wasm chunk of its own, fetched then (below.rs).
                <onscreen::AfterFirstPaint>
                    <below::PanelsBelow />
                </onscreen::AfterFirstPaint>
            </section>
        </main>
        <PageFooter />
    }
}

/// The skip link, the printed report's title and the page's header with the tier buttons.
#[component]
fn Masthead() -> impl IntoView {
    let AppState { scenario, catalog_in_use, .. } = expect_context::<AppState>();
    view! {
        <a class="skip" href="#inputs">
            "Skip to the inputs"
        </a>
        // Printed only: the report's title (outside the header, whose text the build's
        // snapshot of the first frame repeats: the date would differ from day to day).
        <p class="report-title" id="report-title">
            {move || {
                let name = scenario.with(|s| s.name.trim().to_string());
                format!(
                    "Scaling plan “{}”, {}",
                    if name.is_empty() { "unnamed scenario" } else { name.as_str() },
                    browser::today(),
                )
            }}
        </p>
        <header class="top">
            <h1>"Bridge Scaling Planner"</h1>
            <p class="tagline">
                "Plan, price and export the AWS setup of the planning document before spending a \
                    dollar. Prices as of "
                {move || catalog_in_use.with(|c| c.as_of.clone())} ", "
                {move || scenario.with(|s| s.region.clone())} "."
            </p>
            <p class="about" id="about-document">
                "The planning document is "
                <cite>"Scaling Bridge to Production on AWS"</cite>
                ": the written plan for running the Bridge web app (a React frontend and a Node.js \
                    API with PostgreSQL and Redis) on AWS, sized in three tiers, Small, Medium and \
                    Large. “The document” on this page means it."
            </p>
            <panels::TierButtons />
        </header>
    }
}

/// The glossary and the note on where the figures come from.
#[component]
fn PageFooter() -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <footer class="foot">
            <dl class="glossary" id="glossary" aria-label="Words used on this page">
                <dt>"LCU"</dt>
                <dd>
                    "Load Balancer Capacity Unit: what an Application Load Balancer bills by the \
                        hour, counting whichever is largest of new connections, open connections, \
                        data processed and routing rules."
                </dd>
                <dt>"M/M/1"</dt>
                <dd>
                    "A textbook queue: requests arrive at random and one server handles them one \
                        at a time. Here each Node.js process is such a server; it tells how long \
                        requests wait when processes are busy."
                </dd>
                <dt>"Working set"</dt>
                <dd>
                    "The data your app reads often enough that it should stay in the Redis cache \
                        (sessions, popular rows). If it does not fit, more reads go to the \
                        database."
                </dd>
                <dt>"p95, headroom"</dt>
                <dd>
                    "p95: 95 of 100 requests finish within this time. Headroom: the share of the \
                        capacity running at peak that the peak leaves unused."
                </dd>
            </dl>
            <p>
                "Every figure comes from the planning engine and the price catalog; prices marked \
                 “assumption” could not be confirmed and can be overridden under Prices. Monthly \
                 figures use "
                {move || state.plan.with(|p| p.hours_per_month)}
                " hours."
            </p>
        </footer>
    }
}

/// The catalog file kept from the last visit (first: the scenario is read against it), then
/// the scenario from the link, the autosave or the default; the two notes as one; whether
/// the link was bad.
fn restore_catalog_and_scenario() -> (CatalogInUse, Opening, Option<String>) {
    let (in_use, catalog_note) = catalog::restore();
    let first = initial_scenario(catalog());
    // A link that changes prices says so before anything else.
    let prices = first
        .from_link
        .then(|| override_warning("link", &plan(&first.scenario, catalog())))
        .flatten();
    let notes: Vec<String> =
        prices.into_iter().chain(catalog_note).chain(first.notes.iter().cloned()).collect();
    let note = (!notes.is_empty()).then(|| notes.join(" "));
    (in_use, first, note)
}

/// The user's autosaved scenario that a link replaced on screen, while the page offers to go
/// back to it.
#[derive(Clone, Copy)]
pub struct KeptAutosave(pub RwSignal<Option<Scenario>>);

/// "Back to your autosaved scenario": shown after a link opened over the user's own work.
#[component]
fn AutosaveOffer() -> impl IntoView {
    let state = expect_context::<AppState>();
    let KeptAutosave(kept) = expect_context::<KeptAutosave>();
    move || {
        kept.with(|k| k.as_ref().map(|s| s.name.clone())).map(|name| {
            let back = move |_| {
                if let Some(s) = kept.get_untracked() {
                    state.load(s);
                }
                kept.set(None);
            };
            view! {
                <div class="notice autosave-offer" id="autosave-offer" role="status">
                    <span>
                        {format!("This link replaced your own scenario “{name}” on screen; it \
                            stays saved until you change something here. ")}
                    </span>
                    <button id="autosave-back" on:click=back>
                        "Back to my scenario"
                    </button>
                    <button on:click=move |_| kept.set(None) aria-label="Keep the link's scenario">
                        "×"
                    </button>
                </div>
            }
        })
    }
}

/// The scenario and plan at rest, for the views far down the page.
fn at_rest(state: AppState, baseline_plan: Memo<Option<Plan>>) -> AtRest {
    let rest_scenario = settled(state, |s| s.clone());
    let rest_plan = Memo::new(move |_| {
        state.catalog_in_use.track();
        rest_scenario.with(|s| crate::model::plan(s, catalog()))
    });
    AtRest { scenario: rest_scenario, plan: rest_plan, diff: diff_from(rest_plan, baseline_plan) }
}

/// A plan against the baseline's plan (none without a baseline).
fn diff_from(plan: Memo<Plan>, baseline_plan: Memo<Option<Plan>>) -> Memo<Option<PlanDiff>> {
    Memo::new(move |_| baseline_plan.with(|b| b.as_ref().map(|b| plan.with(|p| diff(p, b)))))
}

/// The message line (a bad link, a refused import, ...) with its dismiss button.
#[component]
fn NoticeBar() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        state.notice.get().map(|n| {
            view! {
                <div class="notice" role="alert">
                    <span>{n}</span>
                    <button on:click=move |_| state.notice.set(None) aria-label="Dismiss message">
                        "×"
                    </button>
                </div>
            }
        })
    }
}

/// The baseline (from local storage), its plan at the user's region, prices and catalog,
/// and its name.
#[allow(clippy::type_complexity)]
fn baseline_signals(
    scenario: RwSignal<Scenario>,
    catalog_in_use: RwSignal<CatalogInUse>,
) -> (RwSignal<Option<Baseline>>, Memo<Option<Plan>>, Memo<Option<String>>) {
    let baseline = RwSignal::new(codec::get().and_then(|codec| {
        browser::storage_get(browser::BASELINE_KEY)
            .and_then(|text| (codec.decode_baseline)(&text, catalog()))
    }));
    // A tier baseline follows the user's region and prices; this memo changes only with them.
    let prices_of = Memo::new(move |_| scenario.with(|s| Tier::Small.scenario_like(s)));
    let baseline_plan = Memo::new(move |_| {
        catalog_in_use.track();
        baseline.with(|b| match b {
            None => None,
            Some(Baseline::Tier(t)) => {
                Some(prices_of.with(|like| crate::model::plan(&t.scenario_like(like), catalog())))
            }
            // Follows every change of the working traffic.
            Some(Baseline::TierAtMyTraffic(t)) => {
                Some(scenario.with(|s| crate::model::plan(&t.at_traffic_of(s), catalog())))
            }
            Some(Baseline::Saved(_, s)) => Some(crate::model::plan(s, catalog())),
        })
    });
    let baseline_name = Memo::new(move |_| baseline.with(|b| b.as_ref().map(Baseline::name)));
    (baseline, baseline_plan, baseline_name)
}

/// The page width (for the charts to measure themselves again once a resize pauses) and
/// printing (every chart drawn, in view or not, so the report is never stale).
fn watch_window() {
    // The page width, for the charts to measure themselves again after a resize (once the
    // resizing pauses).
    let viewport = charts::Viewport(RwSignal::new(browser::viewport_width()));
    provide_context(viewport);
    // Printing draws every chart, in view or not, so the report is never stale.
    let paint_all = charts::PaintAll(RwSignal::new(false));
    provide_context(paint_all);
    let printing = charts::Printing(RwSignal::new(false));
    provide_context(printing);
    let _ = window_event_listener(leptos::ev::beforeprint, move |_| {
        paint_all.0.set(true);
        printing.0.set(true);
    });
    let _ = window_event_listener(leptos::ev::afterprint, move |_| {
        paint_all.0.set(false);
        printing.0.set(false);
    });
    let _ = window_event_listener(leptos::ev::resize, move |_| {
        PENDING_RESIZE.with(|p| {
            *p.borrow_mut() =
                Some(gloo::timers::callback::Timeout::new(RESIZE_DELAY_MS, move || {
                    viewport.0.set(browser::viewport_width())
                }))
        })
    });
}

/// Sync with the outside: the address bar (share link + history) and the autosave, written
/// when the user pauses (at once for presets, imports and Apply); Back and Forward reopen the
/// scenario of that history entry.
fn sync_with_outside(state: AppState, hold_first: bool) {
    let scenario = state.scenario;
    let skip_first = StoredValue::new(hold_first);
    Effect::new(move |_| {
        scenario.track();
        if skip_first.get_value() {
            // Keep a bad link in the address bar, and the autosave under a link's scenario,
            // until the user changes something.
            skip_first.set_value(false);
            return;
        }
        let push = state.push_next.get_value();
        state.push_next.set_value(false);
        if push {
            // A preset, import or "apply": its own history entry, written at once.
            sync_outside(state, true);
        } else {
            // Slider moves: write the address bar and the autosave once the user pauses.
            // Browsers throttle history updates, and each write costs milliseconds.
            PENDING_SYNC.with(|p| {
                *p.borrow_mut() =
                    Some(gloo::timers::callback::Timeout::new(SYNC_DELAY_MS, move || {
                        sync_outside(state, false)
                    }))
            });
        }
    });
    // Leaving the page: write what is pending.
    let _ = window_event_listener(leptos::ev::pagehide, move |_| {
        if PENDING_SYNC.with(|p| p.borrow_mut().take()).is_some() {
            sync_outside(state, false);
        }
    });
    // Back and Forward: reopen the scenario of that history entry.
    let _ = window_event_listener(leptos::ev::popstate, move |_| {
        let hash = browser::location_hash();
        if hash.len() > 1 {
            codec::with(move |codec| match codec.map(|c| (c.decode_link)(&hash, catalog())) {
                Some(Ok(s)) => {
                    if scenario.with_untracked(|cur| *cur != s) {
                        state.loads.update(|n| *n += 1);
                        scenario.set(s);
                    }
                }
                Some(Err(e)) => {
                    state.notice.set(Some(format!("That history entry could not be opened: {e}.")))
                }
                None => state.notice.set(Some(
                    "That history entry could not be opened: part of the page did not load.".into(),
                )),
            });
        }
    });
    // The codec's chunk, if `start` did not fetch it: after the first chart and the inputs, so
    // the first pause of a slider writes the link and the autosave without waiting.
    onscreen::after_first_paint(|| {
        wasm_bindgen_futures::spawn_local(async {
            inputs::ready().await;
            let _ = codec::load().await;
        })
    });
}

pub fn start() {
    // A panic (a bug: nothing on the page may panic) prints its message in the console before
    // the wasm aborts.
    console_error_panic_hook::set_once();
    // The build's snapshot of the first frame gives way to the app: removed here, in the task
    // that builds and draws the app's first frame (when shown at all: web/first-frame.js shows
    // it only when nothing is to be read at start).
    onscreen::set_snapshot_was_shown(browser::remove_first_frame_snapshot());
    if codec::needed_at_start() {
        // A link, autosave, baseline or kept catalog to read before the first plan: fetch the
        // codec's chunk first (if it fails, `App` says so and overwrites nothing).
        wasm_bindgen_futures::spawn_local(async {
            let _ = codec::load().await;
            browser::remove_loading_cue();
            leptos::mount::mount_to_body(App);
        });
    } else {
        browser::remove_loading_cue();
        leptos::mount::mount_to_body(App);
    }
}
