//! The price catalog in use: built in, or a catalog file the user loaded (the JSON
//! `scaling-plan catalog import --out` writes). The file is read and checked by
//! `model::catalog_file`; the choice is kept in local storage for the next visit.

use super::message::{say, Message, Said};
use super::{browser, AppState};
use crate::model::catalog_file::{load_catalog_file, CatalogInUse};
use crate::model::Catalog;
use leptos::prelude::*;
use std::cell::Cell;
use std::sync::OnceLock;

pub use crate::storage_keys::{CATALOG_KEY, CATALOG_NAME_KEY};

thread_local! {
    /// The catalog loaded from a file, if one is in use. Each loaded catalog lives for the rest
    /// of the page (`Box::leak`): views borrow it as `&'static`, and loads are rare user acts.
    static LOADED: Cell<Option<&'static Catalog>> = const { Cell::new(None) };
    /// That file's text: the exports worker (a second wasm) reads it to price the same way.
    static LOADED_TEXT: std::cell::RefCell<Option<std::rc::Rc<str>>> = const {
        std::cell::RefCell::new(None) };
}

/// The text of the catalog file in use (None: the built-in catalog), for the exports worker.
pub fn active_text() -> Option<std::rc::Rc<str>> {
    LOADED_TEXT.with(|t| t.borrow().clone())
}

fn keep_text(text: Option<&str>) {
    LOADED_TEXT.with(|t| *t.borrow_mut() = text.map(std::rc::Rc::from));
}

pub fn built_in() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(Catalog::embedded)
}

/// The catalog that prices the plan now.
pub fn active() -> &'static Catalog {
    LOADED.with(Cell::get).unwrap_or_else(built_in)
}

fn activate(loaded: Option<Catalog>) {
    if loaded.is_none() {
        keep_text(None);
    }
    LOADED.with(|c| c.set(loaded.map(|c| &*Box::leak(Box::new(c)))));
}

/// At start: the catalog file kept from an earlier visit, if any and still readable. A saved
/// catalog that no longer reads is dropped with a message (the user's file is still theirs).
pub fn restore() -> (CatalogInUse, Option<String>) {
    let (Some(text), name) =
        (browser::storage_get(CATALOG_KEY), browser::storage_get(CATALOG_NAME_KEY))
    else {
        activate(None);
        return (CatalogInUse::built_in(built_in()), None);
    };
    let Some(codec) = super::codec::get() else {
        // The codec's chunk did not arrive (see `ui::start`): keep the file for the next visit.
        activate(None);
        let note = "The catalog kept from your last visit could not be read now: part of the page \
            did not load. Using the built-in catalog for this visit.";
        return (CatalogInUse::built_in(built_in()), Some(note.into()));
    };
    match (codec.read_catalog_file)(name.as_deref().unwrap_or("catalog.json"), &text) {
        Ok((c, info)) => {
            activate(Some(c));
            keep_text(Some(&text));
            (info, None)
        }
        Err(e) => {
            activate(None);
            browser::storage_remove(CATALOG_KEY);
            browser::storage_remove(CATALOG_NAME_KEY);
            let note = format!(
                "The catalog kept from your last visit could not be read ({e}); \
                using the built-in catalog."
            );
            (CatalogInUse::built_in(built_in()), Some(note))
        }
    }
}

/// Switches the catalog (None: the built-in one) and re-prices everything: the plan memo
/// follows `catalog_in_use`, and touching the scenario recomputes every view made from it.
fn switch(state: AppState, loaded: Option<(Catalog, CatalogInUse)>) {
    let info = match loaded {
        Some((c, info)) => {
            activate(Some(c));
            info
        }
        None => {
            activate(None);
            CatalogInUse::built_in(built_in())
        }
    };
    state.catalog_in_use.set(info);
    state.loads.update(|n| *n += 1);
    state.scenario.update(|_| {});
}

/// Reads a chosen file: a catalog that loads is used and kept; any other file leaves the
/// catalog in use as it is and says why.
fn load_file(state: AppState, said: RwSignal<Option<Said>>, name: String, text: String) {
    let checked = state.scenario.with_untracked(|s| load_catalog_file(&name, &text, s));
    match checked {
        Ok((c, info)) => {
            let described = info.describe();
            let kept = browser::storage_set(CATALOG_KEY, &text)
                .and_then(|_| browser::storage_set(CATALOG_NAME_KEY, &name));
            keep_text(Some(&text));
            switch(state, Some((c, info)));
            say(
                said,
                "catalog-msg",
                Said::Done(match kept {
                    Ok(()) => format!("{described}."),
                    Err(e) => {
                        browser::storage_remove(CATALOG_KEY);
                        format!("{described} (for this visit only: {e}).")
                    }
                }),
            );
        }
        Err(e) => {
            let current = state.catalog_in_use.with_untracked(CatalogInUse::describe);
            say(
                said,
                "catalog-msg",
                Said::Refused(format!(
                    "The catalog was not loaded: {e}. Still in use: {}.",
                    current.trim_start_matches("Prices: ")
                )),
            );
        }
    }
}

fn on_file_chosen(state: AppState, said: RwSignal<Option<Said>>, ev: leptos::ev::Event) {
    browser::read_chosen_file(
        &ev,
        crate::model::catalog_file::MAX_CATALOG_BYTES,
        move |name, text| match text {
            Ok(text) => load_file(state, said, name, text),
            Err(e) => {
                let msg = Said::Refused(format!("{name} could not be read: {e}"));
                say(said, "catalog-msg", msg)
            }
        },
    );
}

/// Which catalog prices the plan, a file picker and the way back to the built-in one.
#[component]
pub fn CatalogPicker() -> impl IntoView {
    let state = expect_context::<AppState>();
    let built_in_now = move || state.catalog_in_use.with(CatalogInUse::is_built_in);
    let said = RwSignal::new(None::<Said>);
    let reset = move |_| {
        browser::storage_remove(CATALOG_KEY);
        browser::storage_remove(CATALOG_NAME_KEY);
        switch(state, None);
        let msg = Said::Done("Prices: back to the built-in catalog.".into());
        say(said, "catalog-msg", msg);
    };
    view! {
        <div class="catalog-picker">
            <p id="catalog-in-use" role="status">
                {move || state.catalog_in_use.with(CatalogInUse::describe)}
            </p>
            <label>
                "Load a catalog file (from " <code>"scaling-plan catalog import --out FILE"</code>
                ") "
                <input
                    type="file"
                    id="catalog-file"
                    accept=".json,application/json"
                    on:change=move |ev| on_file_chosen(state, said, ev)
                    aria-describedby="catalog-msg"
                />
            </label>
            <button id="catalog-reset" on:click=reset disabled=built_in_now>
                "Use the built-in catalog"
            </button>
            <Message id="catalog-msg" said=said />
        </div>
    }
}

/// Under the share link: the link does not carry the catalog.
#[component]
pub fn CatalogShareNote() -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <p class="muted share-note" id="share-catalog-note">
            {move || state.catalog_in_use.with(CatalogInUse::share_note)}
        </p>
    }
}

/// Views that read the catalog once when they are built (choice lists, tier tables, price
/// sources) are built again when the catalog changes.
#[component]
pub fn FollowsCatalog(children: ChildrenFn) -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        state.catalog_in_use.track();
        children()
    }
}
