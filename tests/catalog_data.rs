//! The page builds its catalog from a Rust expression that build.rs writes from
//! data/catalog.json (`Catalog::embedded` on wasm). This test builds the same expression
//! natively and checks it gives the catalog the JSON gives, field by field.

use bridge_planner::model::catalog::*;
use std::collections::BTreeMap;

#[test]
fn the_compiled_catalog_is_the_json() {
    let compiled: Catalog = include!(concat!(env!("OUT_DIR"), "/catalog_data.rs"));
    let _: &BTreeMap<String, Price> = &compiled.prices;
    assert_eq!(compiled, Catalog::from_json(EMBEDDED_CATALOG).unwrap());
}
