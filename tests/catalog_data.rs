//! `data/catalog.json` compiled to Rust: `src/model/catalog_data.rs` is the catalog as one Rust
//! expression, which the app (wasm) builds at start instead of parsing JSON, so the wasm carries
//! no JSON deserializer for the catalog's types. This test keeps it equal to the JSON: it fails
//! when they differ, and `UPDATE_CATALOG_DATA=1 cargo test --test catalog_data` rewrites it.
//! The Rust text comes from the catalog's own `Serialize` impls, so new fields need no change here,
//! except in `Price` and `InstanceClass`: the prices and the instance classes are written as tables
//! (`price_table`, `class_table`), which name their fields.

use bridge_planner::model::catalog::*;
use serde::ser::{self, Impossible, Serialize};
use std::collections::BTreeMap;
use std::fmt::Write;

const FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/src/model/catalog_data.rs");

#[derive(Debug)]
struct Unsupported(String);
impl std::fmt::Display for Unsupported {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
impl std::error::Error for Unsupported {}
impl ser::Error for Unsupported {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        Unsupported(msg.to_string())
    }
}
type Result<T> = std::result::Result<T, Unsupported>;

/// Writes a value as a Rust expression. Types are left to inference from the field types.
struct Lit<'a>(&'a mut String, usize);

fn indent(n: usize) -> String {
    "    ".repeat(n)
}

fn pascal(snake: &str) -> String {
    snake.split('_').map(|w| w[..1].to_uppercase() + &w[1..]).collect()
}

macro_rules! int {
    ($($m:ident $t:ty),*) => { $(fn $m(self, v: $t) -> Result<()> { write!(self.0, "{v}").unwrap(); Ok(()) })* };
}

impl<'a> ser::Serializer for Lit<'a> {
    type Ok = ();
    type Error = Unsupported;
    type SerializeSeq = Seq<'a>;
    type SerializeTuple = Impossible<(), Unsupported>;
    type SerializeTupleStruct = Impossible<(), Unsupported>;
    type SerializeTupleVariant = Impossible<(), Unsupported>;
    type SerializeMap = Map<'a>;
    type SerializeStruct = Struct<'a>;
    type SerializeStructVariant = Impossible<(), Unsupported>;

    int!(serialize_i8 i8, serialize_i16 i16, serialize_i32 i32, serialize_i64 i64, serialize_u8 u8, serialize_u16 u16, serialize_u32 u32, serialize_u64 u64);
    fn serialize_bool(self, v: bool) -> Result<()> {
        write!(self.0, "{v}").unwrap();
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> Result<()> {
        self.serialize_f64(v as f64)
    }
    fn serialize_f64(self, v: f64) -> Result<()> {
        // `{:?}` always writes a float literal (a `.0` or an exponent) and round-trips exactly.
        write!(self.0, "{v:?}").unwrap();
        Ok(())
    }
    fn serialize_char(self, v: char) -> Result<()> {
        write!(self.0, "{v:?}").unwrap();
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<()> {
        write!(self.0, "s({v:?})").unwrap();
        Ok(())
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<()> {
        Err(Unsupported("bytes".into()))
    }
    fn serialize_none(self) -> Result<()> {
        self.0.push_str("None");
        Ok(())
    }
    fn serialize_some<T: ?Sized + Serialize>(self, v: &T) -> Result<()> {
        self.0.push_str("Some(");
        v.serialize(Lit(self.0, self.1))?;
        self.0.push(')');
        Ok(())
    }
    fn serialize_unit(self) -> Result<()> {
        self.0.push_str("()");
        Ok(())
    }
    fn serialize_unit_struct(self, name: &'static str) -> Result<()> {
        self.0.push_str(name);
        Ok(())
    }
    fn serialize_unit_variant(
        self,
        name: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<()> {
        // serde names (snake_case / lowercase) back to the Rust variant.
        write!(self.0, "{name}::{}", pascal(variant)).unwrap();
        Ok(())
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        name: &'static str,
        v: &T,
    ) -> Result<()> {
        write!(self.0, "{name}(").unwrap();
        v.serialize(Lit(self.0, self.1))?;
        self.0.push(')');
        Ok(())
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        name: &'static str,
        _: u32,
        variant: &'static str,
        v: &T,
    ) -> Result<()> {
        write!(self.0, "{name}::{}(", pascal(variant)).unwrap();
        v.serialize(Lit(self.0, self.1))?;
        self.0.push(')');
        Ok(())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Seq<'a>> {
        self.0.push_str("vec![");
        Ok(Seq(self.0, self.1, 0))
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple> {
        Err(Unsupported("tuple".into()))
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct> {
        Err(Unsupported("tuple struct".into()))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant> {
        Err(Unsupported("tuple variant".into()))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Map<'a>> {
        self.0.push_str("m(vec![\n");
        Ok(Map(self.0, self.1 + 1))
    }
    fn serialize_struct(self, name: &'static str, _: usize) -> Result<Struct<'a>> {
        writeln!(self.0, "{name} {{").unwrap();
        Ok(Struct(self.0, self.1 + 1))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant> {
        Err(Unsupported("struct variant".into()))
    }
}

struct Seq<'a>(&'a mut String, usize, usize);
impl ser::SerializeSeq for Seq<'_> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_element<T: ?Sized + Serialize>(&mut self, v: &T) -> Result<()> {
        if self.2 > 0 {
            self.0.push_str(", ");
        }
        self.2 += 1;
        v.serialize(Lit(self.0, self.1))
    }
    fn end(self) -> Result<()> {
        self.0.push(']');
        Ok(())
    }
}

struct Map<'a>(&'a mut String, usize);
impl ser::SerializeMap for Map<'_> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_key<T: ?Sized + Serialize>(&mut self, k: &T) -> Result<()> {
        write!(self.0, "{}(", indent(self.1)).unwrap();
        k.serialize(Lit(self.0, self.1))?;
        self.0.push_str(", ");
        Ok(())
    }
    fn serialize_value<T: ?Sized + Serialize>(&mut self, v: &T) -> Result<()> {
        v.serialize(Lit(self.0, self.1))?;
        self.0.push_str("),\n");
        Ok(())
    }
    fn end(self) -> Result<()> {
        write!(self.0, "{}])", indent(self.1 - 1)).unwrap();
        Ok(())
    }
}

struct Struct<'a>(&'a mut String, usize);
impl ser::SerializeStruct for Struct<'_> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_field<T: ?Sized + Serialize>(&mut self, key: &'static str, v: &T) -> Result<()> {
        write!(self.0, "{}{key}: ", indent(self.1)).unwrap();
        if let Some(table) = TABLES.with(|t| t.borrow().get(key).cloned()) {
            // The catalog's largest maps, as tables of literals: one loop builds each, where a
            // struct expression per entry would take about 100-200 bytes of wasm.
            self.0.push_str(&table);
            self.0.push_str(",\n");
            return Ok(());
        }
        if key == "listed" || key == "reserved" {
            // A region's AWS prices (hundreds per region): a table too.
            let rows: BTreeMap<String, ListedPrice> =
                serde_json::from_value(serde_json::to_value(v).map_err(ser::Error::custom)?)
                    .map_err(ser::Error::custom)?;
            self.0.push_str(&listed_table(&rows, self.1));
            self.0.push_str(",\n");
            return Ok(());
        }
        v.serialize(Lit(self.0, self.1))?;
        self.0.push_str(",\n");
        Ok(())
    }
    fn skip_field(&mut self, key: &'static str) -> Result<()> {
        // Left out by `skip_serializing_if` (an empty map, a None): its default.
        writeln!(self.0, "{}{key}: Default::default(),", indent(self.1)).unwrap();
        Ok(())
    }
    fn end(self) -> Result<()> {
        write!(self.0, "{}}}", indent(self.1 - 1)).unwrap();
        Ok(())
    }
}

thread_local! {
    /// The catalog's fields written as tables (`prices`, the instance classes), by field name
    /// (see `Struct::serialize_field`).
    static TABLES: std::cell::RefCell<BTreeMap<&'static str, String>> = const { std::cell::RefCell::new(BTreeMap::new()) };
}

/// The prices as `prices(&[(key, usd, unit, source, as_of, confirmed), ...])`.
fn price_table(prices: &BTreeMap<String, Price>) -> String {
    let mut out = String::from("prices(&[\n");
    for (key, p) in prices {
        // Destructured: a new field in `Price` stops this test from compiling until it is here.
        let Price { usd, unit, source, as_of, confirmed } = p;
        writeln!(
            out,
            "{}({key:?}, {usd:?}, {unit:?}, {source:?}, {as_of:?}, {confirmed}),",
            indent(2)
        )
        .unwrap();
    }
    out.push_str(&format!("{}])", indent(1)));
    out
}

/// A region's listed or reserved prices as `listed(&[(key, usd, offer, published, sku,
/// rate_code), ...])`.
fn listed_table(rows: &BTreeMap<String, ListedPrice>, depth: usize) -> String {
    let mut out = String::from("listed(&[\n");
    for (key, p) in rows {
        // Destructured: a new field in `ListedPrice` stops this test from compiling until it is here.
        let ListedPrice { usd, offer, published, sku, rate_code } = p;
        writeln!(
            out,
            "{}({key:?}, {usd:?}, {offer:?}, {published:?}, {sku:?}, {rate_code:?}),",
            indent(depth + 1)
        )
        .unwrap();
    }
    out.push_str(&format!("{}])", indent(depth)));
    out
}

/// Instance classes as `classes(&[(name, vcpu, memory_gib, burstable_baseline,
/// reserved_memory_fraction, network_interfaces), ...])`.
fn class_table(classes: &BTreeMap<String, InstanceClass>) -> String {
    let mut out = String::from("classes(&[\n");
    for (name, c) in classes {
        // Destructured: a new field in `InstanceClass` stops this test from compiling until it is here.
        let InstanceClass {
            vcpu,
            memory_gib,
            burstable_baseline,
            reserved_memory_fraction,
            network_interfaces,
        } = c;
        writeln!(
            out,
            "{}({name:?}, {vcpu:?}, {memory_gib:?}, {burstable_baseline:?}, {reserved_memory_fraction:?}, {network_interfaces:?}),",
            indent(2)
        )
        .unwrap();
    }
    out.push_str(&format!("{}])", indent(1)));
    out
}

fn generate(catalog: &Catalog) -> String {
    TABLES.with(|t| {
        *t.borrow_mut() = BTreeMap::from([
            ("prices", price_table(&catalog.prices)),
            ("rds_classes", class_table(&catalog.rds_classes)),
            ("cache_nodes", class_table(&catalog.cache_nodes)),
            ("ec2_instances", class_table(&catalog.ec2_instances)),
        ])
    });
    let mut body = String::new();
    catalog.serialize(Lit(&mut body, 0)).expect("every catalog type can be written as Rust");
    format!(
        "// Generated from data/catalog.json by tests/catalog_data.rs; do not edit.\n\
         // Regenerate: UPDATE_CATALOG_DATA=1 cargo test --test catalog_data\n\
         {{\n\
         // One call per string instead of an inlined allocation and copy: a smaller wasm.\n\
         #[inline(never)]\n\
         fn s(text: &str) -> String {{\n    text.to_owned()\n}}\n\
         // Maps from a Vec, one insert at a time: collecting would sort, and every map type\n\
         // would bring its own copy of the sort (the keys are already in order).\n\
         fn m<K: Ord, V>(items: Vec<(K, V)>) -> BTreeMap<K, V> {{\n    \
         let mut map = BTreeMap::new();\n    \
         for (key, value) in items {{\n        map.insert(key, value);\n    }}\n    \
         map\n}}\n\
         // The prices from a table: (key, usd, unit, source, as_of, confirmed).\n\
         #[allow(clippy::type_complexity)]\n\
         fn prices(rows: &[(&str, f64, &str, &str, &str, bool)]) -> BTreeMap<String, Price> {{\n    \
         let mut map = BTreeMap::new();\n    \
         for &(key, usd, unit, source, as_of, confirmed) in rows {{\n        \
         map.insert(s(key), Price {{ usd, unit: s(unit), source: s(source), as_of: s(as_of), confirmed }});\n    \
         }}\n    \
         map\n}}\n\
         // A region's AWS prices from a table: (key, usd, offer, published, sku, rate_code).\n\
         #[allow(clippy::type_complexity)]\n\
         fn listed(rows: &[(&str, f64, &str, &str, &str, &str)]) -> BTreeMap<String, ListedPrice> {{\n    \
         let mut map = BTreeMap::new();\n    \
         for &(key, usd, offer, published, sku, rate_code) in rows {{\n        \
         let price = ListedPrice {{ usd, offer: s(offer), published: s(published), sku: s(sku), rate_code: s(rate_code) }};\n        \
         map.insert(s(key), price);\n    \
         }}\n    \
         map\n}}\n\
         // The instance classes from a table: (name, vcpu, memory_gib, burstable_baseline,\n\
         // reserved_memory_fraction, network_interfaces).\n\
         #[allow(clippy::type_complexity)]\n\
         fn classes(\n    rows: &[(&str, f64, f64, Option<f64>, Option<f64>, Option<u32>)],\n) -> BTreeMap<String, InstanceClass> {{\n    \
         let mut map = BTreeMap::new();\n    \
         for &(name, vcpu, memory_gib, burstable_baseline, reserved_memory_fraction, network_interfaces) in rows {{\n        \
         let class = InstanceClass {{ vcpu, memory_gib, burstable_baseline, reserved_memory_fraction, network_interfaces }};\n        \
         map.insert(s(name), class);\n    \
         }}\n    \
         map\n}}\n\
         {body}\n\
         }}\n"
    )
}

#[test]
fn compiled_catalog_equals_the_json() {
    let catalog = Catalog::embedded();
    let text = generate(&catalog);
    if std::env::var_os("UPDATE_CATALOG_DATA").is_some() {
        std::fs::write(FILE, &text).unwrap();
    }
    let committed = std::fs::read_to_string(FILE).unwrap_or_default();
    assert!(
        committed == text,
        "src/model/catalog_data.rs is not data/catalog.json: run UPDATE_CATALOG_DATA=1 cargo test --test catalog_data"
    );
    // The expression builds the same catalog the JSON gives.
    let compiled: Catalog = include!("../src/model/catalog_data.rs");
    let _: &BTreeMap<String, Price> = &compiled.prices;
    assert_eq!(compiled, catalog);
}
