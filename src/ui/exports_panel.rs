//! The exports panel: the names and deploy settings the files use, and the files themselves.

use super::{browser, exporter, AppState};
use crate::export::ExportFile;
use crate::model::scenario::{Edit, Scenario, NODE_LTS};
use leptos::prelude::*;

#[component]
pub fn ExportsPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    // Only the file on screen is generated on each change; "Download all" makes the rest.
    let names = Memo::new(move |_| state.scenario.with(crate::export::files_for));
    // The file chosen by kind: when the list changes (a step policy, a schedule, the EC2
    // launch type) the same file stays on screen, or the first one if it is gone.
    let selected = RwSignal::new(ExportFile::TaskDefinition);
    // "Reopen in the planner" in every file points at this page, wherever it is served.
    let planner_url = StoredValue::new(browser::page_url());
    let shown_file = Memo::new(move |_| {
        names.with(|n| {
            selected.with(|sel| {
                if n.contains(sel) {
                    *sel
                } else {
                    n.first().copied().unwrap_or(ExportFile::TaskDefinition)
                }
            })
        })
    });
    // The files are made by the exports worker (a second wasm, `ui/exporter.rs`), started the
    // first time the panel is in view or used: the page's own wasm has no export generator.
    let (opened, section) = exporter::open_when_seen();
    // The file on screen follows the scenario once the slider pauses ("Download all" uses the
    // scenario as it is). `busy` is true from a request until its reply (`aria-busy`).
    let shown = RwSignal::new(None::<(ExportFile, String)>);
    let busy = RwSignal::new(true);
    let status = RwSignal::new(String::new());
    request_shown_file(opened, shown_file, planner_url, (shown, busy, status));
    view! {
        <section class="exports" aria-labelledby="exports-h" node_ref=section>
            <h2 id="exports-h">"Exports"</h2>
            <p class="muted">
                "Files for AWS CLI v2, generated from the current plan. ARNs use AWS's \
                    documentation account 111122223333 and example subnet, security-group and \
                    target-group IDs so every file is valid as it stands; deploy.sh substitutes \
                    your account and the resources it creates. No password or secret appears in \
                    any file."
            </p>
            {start_here()}
            <DeploySettings />
            {file_tabs(names, shown_file, selected, opened)}
            {export_actions(opened, planner_url, (shown, busy, status))}
            <pre
                id="export-text"
                class="code"
                role="region"
                aria-label="Selected export file"
                aria-busy=move || busy.get().to_string()
                data-file=move || shown.with(|f| f.as_ref().map(|f| f.0.name()))
                tabindex="0"
            >
                {move || shown.with(|f| f.as_ref().map(|f| f.1.clone()).unwrap_or_default())}
            </pre>
        </section>
    }
}

/// "Start here": the two paths, what must exist first, and the scripts' known limits
/// (`export::guide`, checked against the templates).
fn start_here() -> impl IntoView {
    use crate::export::guide::{KNOWN_LIMITS, NEEDS_FIRST, PATHS};
    view! {
        <div class="start-here" id="exports-start">
            <h3>"Start here"</h3>
            <p>
                "1. Download all (.tar) and unpack it. 2. Take one path, then run it with the \
                    settings below:"
            </p>
            <ul>
                {PATHS
                    .iter()
                    .map(|(file, what)| {
                        view! {
                            <li>
                                <code>{format!("bash {file}")}</code>
                                ": "
                                {*what}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <p>"What must exist first:"</p>
            <ul id="exports-needs">
                {NEEDS_FIRST.iter().map(|n| view! { <li>{*n}</li> }).collect_view()}
            </ul>
            <p>"Known limits:"</p>
            <ul id="exports-limits">
                {KNOWN_LIMITS.iter().map(|n| view! { <li>{*n}</li> }).collect_view()}
            </ul>
        </div>
    }
}

/// The MIME type a file downloads as: a name without an extension (Dockerfile) as bytes, so
/// the browser does not add ".txt" to it.
pub fn download_type(name: &str) -> &'static str {
    if name.contains('.') {
        "text/plain"
    } else {
        "application/octet-stream"
    }
}

/// The file on screen as the worker made it, whether a request is on its way (`aria-busy`),
/// and the panel's status line.
type Shown = (RwSignal<Option<(ExportFile, String)>>, RwSignal<bool>, RwSignal<String>);

/// Asks the exports worker for the file on screen whenever it or the scenario at rest changes,
/// once the panel has been opened; a newer request's reply replaces an older one's.
fn request_shown_file(
    opened: RwSignal<bool>,
    shown_file: Memo<ExportFile>,
    planner_url: StoredValue<String>,
    (shown, busy, status): Shown,
) {
    let state = expect_context::<AppState>();
    let at_rest = expect_context::<super::AtRest>();
    let latest = StoredValue::new(0u32);
    Effect::new(move |_| {
        if !opened.get() {
            return;
        }
        // A catalog file loaded or dropped prices the files anew.
        state.catalog_in_use.track();
        let file = shown_file.get();
        let json = at_rest.scenario.with(|s| serde_json::to_string(s).unwrap_or_default());
        let ticket = latest.get_value().wrapping_add(1);
        latest.set_value(ticket);
        busy.set(true);
        exporter::request(file.name(), &planner_url.get_value(), json, move |reply| {
            // A newer request is on its way: its reply is the one to show.
            if latest.try_get_value() != Some(ticket) {
                return;
            }
            match reply {
                Ok(text) => shown.set(Some((file, text.as_string().unwrap_or_default()))),
                Err(e) => {
                    shown.set(None);
                    status.set(format!("Exports unavailable: {e}."));
                }
            }
            busy.set(false);
        });
    });
}

/// One tab button per export file of the scenario.
fn file_tabs(
    names: Memo<Vec<ExportFile>>,
    shown_file: Memo<ExportFile>,
    selected: RwSignal<ExportFile>,
    opened: RwSignal<bool>,
) -> impl IntoView {
    view! {
        <div class="tabs" role="group" aria-label="Export files: choose one to show">
            // Only the list of names drives the tab buttons, so they are rebuilt when a file
            // comes or goes, not on every change of the plan.
            {move || {
                names
                    .get()
                    .into_iter()
                    .map(|file| {
                        view! {
                            <button
                                class="tab"
                                id=format!("tab-{}", file.name())
                                aria-pressed=move || (shown_file.get() == file).to_string()
                                aria-controls="export-text"
                                on:click=move |_| {
                                    opened.set(true);
                                    selected.set(file);
                                }
                            >
                                {file.name()}
                            </button>
                        }
                    })
                    .collect_view()
            }}
        </div>
    }
}

/// Copy, Download, Download all and the status line.
fn export_actions(
    opened: RwSignal<bool>,
    planner_url: StoredValue<String>,
    (shown, busy, status): Shown,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let copy = move |_| {
        let text = shown.with_untracked(|f| f.as_ref().map(|f| f.1.clone()).unwrap_or_default());
        leptos::task::spawn_local(async move {
            match browser::copy_text(text).await {
                Ok(()) => status.set("Copied.".into()),
                Err(e) => {
                    status.set(format!("Copy failed: {e}. Select the text and copy it by hand."))
                }
            }
        });
    };
    let download = move |_| {
        shown.with_untracked(|f| {
            if let Some((file, content)) = f {
                if let Err(e) = browser::download_bytes(
                    file.name(),
                    download_type(file.name()),
                    content.as_bytes(),
                ) {
                    status.set(format!("Download failed: {e}"));
                }
            }
        })
    };
    let download_all = move |_| {
        opened.set(true);
        let json = state.scenario.with_untracked(|s| serde_json::to_string(s).unwrap_or_default());
        let url = planner_url.get_value();
        exporter::request(crate::exports_worker::ALL, &url, json, move |reply| {
            let result = reply.and_then(|archive| {
                let bytes = js_sys::Uint8Array::new(&archive).to_vec();
                browser::download_bytes("bridge-deploy.tar", "application/x-tar", &bytes)
            });
            if let Err(e) = result {
                status.set(format!("Download failed: {e}"));
            }
        });
    };
    view! {
        <div class="export-actions">
            // While the worker is making the file for the current plan, the one on screen is
            // the previous plan's: Copy and Download wait for the new one.
            <button id="export-copy" on:click=copy disabled=move || busy.get()>
                "Copy"
            </button>
            <button id="export-download" on:click=download disabled=move || busy.get()>
                "Download"
            </button>
            <button id="export-all" on:click=download_all>
                "Download all (.tar)"
            </button>
            <span class="status" role="status">
                {move || status.get()}
            </span>
        </div>
    }
}

/// A text input for a name the exports use, checked against AWS's rules as the user types.
/// A rejected value is explained and the last good one stays in the scenario.
#[component]
fn NameInput(
    id: &'static str,
    label: &'static str,
    help: &'static str,
    get: fn(&Scenario) -> String,
    set: fn(String) -> Edit,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let error = RwSignal::new(None::<String>);
    let err_id = format!("e-{id}");
    view! {
        <div class="field name-field" class:invalid=move || error.with(|e| e.is_some())>
            <label for=id>{label}</label>
            <input
                type="text"
                id=id
                spellcheck="false"
                autocomplete="off"
                aria-describedby=err_id.clone()
                aria-invalid=move || if error.with(|e| e.is_some()) { "true" } else { "false" }
                prop:value=move || state.scenario.with(get)
                on:input=move |ev| {
                    match state.apply(set(event_target_value(&ev))) {
                        Ok(()) => error.set(None),
                        Err(e) => {
                            error
                                .set(
                                    Some(
                                        format!(
                                            "{}. The exports keep using “{}”.",
                                            e.message(),
                                            state.scenario.with_untracked(get),
                                        ),
                                    ),
                                )
                        }
                    }
                }
            />
            <p class="help">{help}</p>
            <p class="error" id=err_id role="status">
                {move || error.get()}
            </p>
        </div>
    }
}

#[component]
fn DeploySettings() -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <fieldset class="deploy-settings">
            <legend>"Names and image"</legend>
            <NameInput
                id="app-name"
                label="App name (prefix of every resource)"
                help="Cluster, service, DB and cache identifiers, buckets and the ALB are named \
                    from it."
                get=|s| s.deploy.app_name.clone()
                set=Edit::AppName
            />
            <NameInput
                id="db-name"
                label="Database name"
                help="The PostgreSQL database created in RDS."
                get=|s| s.deploy.db_name.clone()
                set=Edit::DbName
            />
            <NameInput
                id="health-path"
                label="Health-check path"
                help="Used by the container HEALTHCHECK, the task definition and the target group."
                get=|s| s.deploy.health_check_path.clone()
                set=Edit::HealthCheckPath
            />
            <div class="field">
                <label for="node-major">"Node.js LTS"</label>
                <select
                    id="node-major"
                    on:change=move |ev| {
                        if let Ok(v) = event_target_value(&ev).parse::<u32>() {
                            state.apply_or_explain(Edit::NodeMajor(v))
                        }
                    }
                >
                    {NODE_LTS
                        .iter()
                        .map(|&v| {
                            view! {
                                <option
                                    value=v.to_string()
                                    selected=move || {
                                        state.scenario.with(|s| s.deploy.node_major == v)
                                    }
                                >
                                    {format!("node:{v}-alpine")}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
        </fieldset>
    }
}
