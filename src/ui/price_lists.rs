//! The instance class lists (RDS, ElastiCache, EC2) of the inputs: each class with the hourly
//! price the plan would charge for it at the scenario's region and price overrides, cheapest
//! first (`model::price_words::classes_at_region`).

use super::format::exact;
use super::{catalog, AppState};
use crate::model::price_words::classes_at_region;
use crate::model::{PriceKey, Scenario};
use leptos::prelude::*;

/// Catalog classes at the scenario's region and price overrides, cheapest first, each with its
/// hourly price (`model::price_words::classes_at_region`); follows the region and overrides.
/// `price` names the price the plan charges for a class (a Multi-AZ database's primary is the
/// Multi-AZ row), so the label, the bill and an override of that row agree; `note` says
/// which price it is when that is not plain ("Multi-AZ").
pub fn by_price<T: Send + Sync + 'static>(
    map: &'static std::collections::BTreeMap<String, T>,
    price: fn(&Scenario, String) -> PriceKey,
    note: fn(&Scenario) -> &'static str,
) -> Signal<Vec<(String, String)>> {
    let state = expect_context::<AppState>();
    let prices = Memo::new(move |_| {
        state.scenario.with(|s| {
            let note = note(s);
            classes_at_region(catalog(), map, |k| price(s, k), &s.region, &s.price_overrides)
                .into_iter()
                .map(|(k, usd)| {
                    let text = format!("{k} (${}/h{note})", exact(usd));
                    (k, text)
                })
                .collect::<Vec<_>>()
        })
    });
    prices.into()
}

/// No note beside a class's hourly price.
pub fn plain(_: &Scenario) -> &'static str {
    ""
}
