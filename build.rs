//! Writes `data/catalog.json` as one Rust expression, `$OUT_DIR/catalog_data.rs`, which the page
//! builds its catalog from (`Catalog::embedded`): no JSON parse at start, and no deserializer of
//! the catalog's types in the page's first-load wasm (the catalog file reader is in a chunk).
//! The rows of its tables (prices, instance classes, each region's listed and reserved prices)
//! are data, `$OUT_DIR/catalog_rows.bin`, which the expression reads with a small decoder.
//! The JSON is read with the catalog's own types (`src/model/catalog/types.rs`, included here)
//! and written back through their `Serialize` impls, so a new field needs no edit here.
//! tests/catalog_data.rs checks that the expression builds the catalog the JSON gives.

#[allow(dead_code)]
#[path = "src/model/catalog/types.rs"]
mod types;

use serde::ser::{self, Impossible, Serialize};
use std::cell::RefCell;
use std::fmt::Write;

fn main() {
    println!("cargo::rerun-if-changed=data/catalog.json");
    println!("cargo::rerun-if-changed=src/model/catalog/types.rs");
    let text = std::fs::read_to_string("data/catalog.json").expect("data/catalog.json");
    let catalog: types::Catalog = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("data/catalog.json is not a catalog: {e}"));
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR").unwrap());
    let (expression, rows) = generate(&catalog);
    std::fs::write(out.join("catalog_data.rs"), expression).expect("write catalog_data.rs");
    std::fs::write(out.join("catalog_rows.bin"), rows).expect("write catalog_rows.bin");
}

const PRELUDE: &str = r#"
// One call per string instead of an inlined allocation and copy: a smaller wasm.
#[inline(never)]
fn s(text: &str) -> String {
    text.to_owned()
}
// Maps from a Vec, one insert at a time: collecting would sort, and every map type would bring
// its own copy of the sort (the keys are already in order).
#[allow(dead_code)]
fn m<K: Ord, V>(items: Vec<(K, V)>) -> BTreeMap<K, V> {
    let mut map = BTreeMap::new();
    for (key, value) in items {
        map.insert(key, value);
    }
    map
}
// The tables as build.rs wrote them (catalog_rows.bin): every string (a count, then each as
// its length and UTF-8 bytes), then each table as its row count and its columns, each column
// as its length and its cells: a number as its little-endian bytes, text as the index of a
// string, an option as a 0/1 byte before its value. As data, a column at a time, the rows
// take about half the gzipped bytes they took as Rust literals (a pointer and a length beside
// every string, a constructor call per row).
struct Cursor {
    bytes: &'static [u8],
    at: usize,
}
impl Cursor {
    fn take<const N: usize>(&mut self) -> [u8; N] {
        let out = self.bytes[self.at..self.at + N].try_into().expect("build.rs wrote it");
        self.at += N;
        out
    }
    fn len(&mut self) -> usize {
        u32::from_le_bytes(self.take()) as usize
    }
    fn slice(&mut self, len: usize) -> &'static [u8] {
        let bytes: &'static [u8] = self.bytes;
        self.at += len;
        &bytes[self.at - len..self.at]
    }
}
struct Data {
    file: Cursor,
    strings: Vec<&'static str>,
}
trait Decode: Sized {
    fn decode(c: &mut Cursor, strings: &[&'static str]) -> Self;
}
impl Data {
    fn new(bytes: &'static [u8]) -> Data {
        let mut file = Cursor { bytes, at: 0 };
        let count = file.len();
        let mut strings = Vec::with_capacity(count);
        for _ in 0..count {
            let len = file.len();
            strings.push(std::str::from_utf8(file.slice(len)).expect("build.rs writes UTF-8"));
        }
        Data { file, strings }
    }
    /// The next table: its row count and its `K` columns.
    fn table<const K: usize>(&mut self) -> (usize, [Cursor; K]) {
        let rows = self.file.len();
        let columns = std::array::from_fn(|_| {
            let len = self.file.len();
            Cursor { bytes: self.file.slice(len), at: 0 }
        });
        (rows, columns)
    }
    fn get<T: Decode>(&self, column: &mut Cursor) -> T {
        T::decode(column, &self.strings)
    }
}
macro_rules! numbers {
    ($($t:ty),*) => { $(impl Decode for $t {
        fn decode(c: &mut Cursor, _: &[&'static str]) -> $t {
            <$t>::from_le_bytes(c.take())
        }
    })* };
}
numbers!(i8, i16, i32, i64, u8, u16, u32, u64, f32, f64);
impl Decode for bool {
    fn decode(c: &mut Cursor, _: &[&'static str]) -> bool {
        c.take::<1>()[0] != 0
    }
}
impl Decode for String {
    #[inline(never)]
    fn decode(c: &mut Cursor, strings: &[&'static str]) -> String {
        s(strings[u16::from_le_bytes(c.take()) as usize])
    }
}
impl<T: Decode> Decode for Option<T> {
    fn decode(c: &mut Cursor, strings: &[&'static str]) -> Option<T> {
        (c.take::<1>()[0] != 0).then(|| T::decode(c, strings))
    }
}
#[allow(unused_mut, unused_variables)]
let mut d = Data::new(include_bytes!(concat!(env!("OUT_DIR"), "/catalog_rows.bin")));
"#;

/// The expression and the rows' data it reads.
fn generate(catalog: &types::Catalog) -> (String, Vec<u8>) {
    // Twice: the first pass finds each table's columns over every map of its struct type, so
    // that one builder serves them all; the second writes the rows with those columns.
    let mut body = String::new();
    catalog.serialize(Lit(&mut body, 1)).expect("every catalog type can be written as Rust");
    body.clear();
    BLOB.with(|b| *b.borrow_mut() = Blob::default());
    catalog.serialize(Lit(&mut body, 1)).expect("every catalog type can be written as Rust");
    let tables = TABLES.with(|t| std::mem::take(&mut *t.borrow_mut()));
    let mut out = String::from("// Generated by build.rs from data/catalog.json.\n{\n");
    out.push_str(PRELUDE);
    for (i, table) in tables.iter().enumerate() {
        out.push_str(&table.builder(i + 1));
    }
    writeln!(out, "{body}\n}}").unwrap();
    (out, BLOB.with(|b| b.borrow().file()))
}

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

fn unsupported<T>(what: &str) -> Result<T> {
    Err(Unsupported(what.to_string()))
}

fn indent(n: usize) -> String {
    "    ".repeat(n)
}

fn pascal(snake: &str) -> String {
    snake.split('_').map(|w| w[..1].to_uppercase() + &w[1..]).collect()
}

// ---- tables --------------------------------------------------------------------------------
// A map from strings to a struct of plain fields (numbers, text, booleans, options of them) is
// written as a table: its rows go to the data file (`Blob`), and one loop per struct type and
// shape reads them back into the map (`d.get()` decodes each field by its type).

/// What a table's column holds, over the rows seen so far.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Column {
    /// A number or a bool.
    Plain,
    /// `Some(number or bool)` (`None` in some rows).
    OptionalPlain,
    /// Text.
    Text,
    /// Optional text.
    OptionalText,
    /// `None` in every row so far.
    Skipped,
    /// Left out by `skip_serializing_if` in every row so far: not in the data, the field's
    /// `Default::default()` (left out in some rows only: an empty text or `None` there).
    Default,
}

/// A cell's value as the data file holds it.
#[derive(Debug)]
enum Value {
    /// A number or a bool: its little-endian bytes.
    Bytes(Vec<u8>),
    Text(String),
    Optional(Option<Box<Value>>),
    /// Left out by `skip_serializing_if`.
    Default,
}

/// One row's cell: its value and kind.
struct Cell(Value, Column);

struct Row {
    name: &'static str,
    cells: Vec<(&'static str, Cell)>,
}

struct Table {
    name: &'static str,
    fields: Vec<&'static str>,
    columns: Vec<Column>,
}

impl Table {
    fn builder_name(&self, index: usize) -> String {
        format!("table_{index}_{}", self.name.to_lowercase())
    }

    /// The closure that reads a map of this struct from the data.
    fn builder(&self, index: usize) -> String {
        let mut read = 0;
        let mut fields = Vec::new();
        for (field, column) in self.fields.iter().zip(&self.columns) {
            if *column == Column::Default {
                fields.push(format!("{field}: Default::default()"));
            } else {
                read += 1;
                fields.push(format!("{field}: d.get(&mut c[{read}])"));
            }
        }
        format!(
            "let {} = |d: &mut Data| {{\n    let (rows, mut c) = d.table::<{}>();\n    \
             let mut map = BTreeMap::new();\n    for _ in 0..rows {{\n        \
             let key: String = d.get(&mut c[0]);\n        \
             map.insert(key, {} {{ {} }});\n    }}\n    map\n}};\n",
            self.builder_name(index),
            read + 1,
            self.name,
            fields.join(", ")
        )
    }
}

/// The data file: every string once (in the order first written), then the tables.
#[derive(Default)]
struct Blob {
    strings: Vec<String>,
    index: std::collections::HashMap<String, u16>,
    tables: Vec<u8>,
}

fn len_bytes(len: usize) -> [u8; 4] {
    u32::try_from(len).expect("under 4 GiB").to_le_bytes()
}

impl Blob {
    fn text(&mut self, out: &mut Vec<u8>, text: &str) {
        let next = u16::try_from(self.strings.len()).expect("under 65,536 strings");
        let i = *self.index.entry(text.to_string()).or_insert(next);
        if i == next {
            self.strings.push(text.to_string());
        }
        out.extend(i.to_le_bytes());
    }

    fn value(&mut self, out: &mut Vec<u8>, value: &Value, column: Column) {
        match (value, column) {
            (Value::Bytes(b), _) => out.extend(b),
            (Value::Text(t), _) => self.text(out, t),
            (Value::Optional(None), _) => out.push(0),
            (Value::Optional(Some(v)), _) => {
                out.push(1);
                self.value(out, v, column);
            }
            // A skipped field in a column that others fill: text's default, or `None`.
            (Value::Default, Column::Text) => self.text(out, ""),
            (Value::Default, _) => out.push(0),
        }
    }

    /// A table: its row count, then its key column and every column the data holds.
    fn table(&mut self, rows: &[(String, Row)], columns: &[Column]) {
        let mut keys = Vec::new();
        for (key, _) in rows {
            self.text(&mut keys, key);
        }
        self.tables.extend(len_bytes(rows.len()));
        self.tables.extend(len_bytes(keys.len()));
        self.tables.extend(keys);
        for (i, column) in columns.iter().enumerate() {
            if *column == Column::Default {
                continue;
            }
            let mut cells = Vec::new();
            for (_, row) in rows {
                self.value(&mut cells, &row.cells[i].1 .0, *column);
            }
            self.tables.extend(len_bytes(cells.len()));
            self.tables.extend(cells);
        }
    }

    fn file(&self) -> Vec<u8> {
        let mut out = Vec::from(len_bytes(self.strings.len()));
        for s in &self.strings {
            out.extend(len_bytes(s.len()));
            out.extend(s.as_bytes());
        }
        out.extend(&self.tables);
        out
    }
}

thread_local! {
    /// The builders the expression calls, in the order they are first needed.
    static TABLES: RefCell<Vec<Table>> = const { RefCell::new(Vec::new()) };
    /// The rows of the tables, in the order the expression reads them.
    static BLOB: RefCell<Blob> = RefCell::new(Blob::default());
}

/// A column's kind given one more cell of `kind` (`None`: not one type).
fn merge(known: Column, kind: Column) -> Option<Column> {
    match (known, kind) {
        (a, b) if a == b => Some(a),
        (a, Column::Default) | (Column::Default, a) => Some(a),
        (a, Column::Skipped) | (Column::Skipped, a) => Some(a),
        _ => None,
    }
}

/// Each column's kind over `rows`, or `None` when they are not all plain structs of one shape
/// (or a row leaves out a field the data could not give a default for).
fn columns_of(rows: &[(String, Row)]) -> Option<(&'static str, Vec<&'static str>, Vec<Column>)> {
    let (_, first) = rows.first()?;
    let fields: Vec<&'static str> = first.cells.iter().map(|(f, _)| *f).collect();
    let mut columns = vec![Column::Default; fields.len()];
    for (_, row) in rows {
        if row.name != first.name || row.cells.len() != fields.len() {
            return None;
        }
        for (i, (name, Cell(_, kind))) in row.cells.iter().enumerate() {
            if *name != fields[i] {
                return None;
            }
            columns[i] = merge(columns[i], *kind)?;
        }
    }
    let defaulted = |i: usize| rows.iter().any(|(_, r)| matches!(r.cells[i].1 .0, Value::Default));
    if (0..fields.len()).any(|i| columns[i] == Column::Plain && defaulted(i)) {
        return None;
    }
    Some((first.name, fields, columns))
}

/// The map written as a call of a table builder (its rows into the data), or `None` when its
/// values are not all plain structs of one shape.
fn as_table(rows: &[(String, Row)]) -> Option<String> {
    let (name, fields, columns) = columns_of(rows)?;
    let table = Table { name, fields, columns };
    let index = TABLES.with(|t| {
        let mut tables = t.borrow_mut();
        let same = |t: &Table| t.name == table.name && t.fields == table.fields;
        match tables.iter().position(same) {
            Some(i) => {
                let merged: Option<Vec<Column>> = tables[i]
                    .columns
                    .iter()
                    .zip(&table.columns)
                    .map(|(a, b)| merge(*a, *b))
                    .collect();
                tables[i].columns = merged?;
                Some(i)
            }
            None => {
                tables.push(table);
                Some(tables.len() - 1)
            }
        }
    })?;
    let (name, columns) = TABLES.with(|t| {
        let table = &t.borrow()[index];
        (table.builder_name(index + 1), table.columns.clone())
    });
    BLOB.with(|b| b.borrow_mut().table(rows, &columns));
    Some(format!("{name}(&mut d)"))
}

// ---- the expression ------------------------------------------------------------------------

/// Writes a value as a Rust expression; types are left to inference from the field types.
struct Lit<'a>(&'a mut String, usize);

macro_rules! literal {
    ($($m:ident $t:ty),*) => { $(fn $m(self, v: $t) -> Result<()> {
        write!(self.0, "{v:?}").unwrap();
        Ok(())
    })* };
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

    // `{:?}` writes a float as a float literal (a `.0` or an exponent) that round-trips exactly.
    literal!(serialize_i8 i8, serialize_i16 i16, serialize_i32 i32, serialize_i64 i64,
        serialize_u8 u8, serialize_u16 u16, serialize_u32 u32, serialize_u64 u64,
        serialize_f32 f32, serialize_f64 f64, serialize_bool bool, serialize_char char);
    fn serialize_str(self, v: &str) -> Result<()> {
        write!(self.0, "s({v:?})").unwrap();
        Ok(())
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<()> {
        unsupported("bytes")
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
        unsupported("tuple")
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct> {
        unsupported("tuple struct")
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant> {
        unsupported("tuple variant")
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Map<'a>> {
        Ok(Map { out: self.0, depth: self.1, entries: Vec::new(), key: None })
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
        unsupported("struct variant")
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

/// A map: each entry kept as its key's and value's Rust text and, when the key is text and the
/// value a plain struct, as a table row; written at the end as a table or as `m(vec![...])`.
struct Map<'a> {
    out: &'a mut String,
    depth: usize,
    entries: Vec<(String, String, Option<(String, Row)>)>,
    key: Option<(String, Option<String>)>,
}

impl ser::SerializeMap for Map<'_> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_key<T: ?Sized + Serialize>(&mut self, k: &T) -> Result<()> {
        let mut text = String::new();
        k.serialize(Lit(&mut text, self.depth + 1))?;
        self.key = Some((text, k.serialize(KeyText).ok()));
        Ok(())
    }
    fn serialize_value<T: ?Sized + Serialize>(&mut self, v: &T) -> Result<()> {
        let (key, raw) = self.key.take().expect("a key before its value");
        let mut text = String::new();
        v.serialize(Lit(&mut text, self.depth + 1))?;
        let row = raw.and_then(|raw| Some((raw, v.serialize(RowOf).ok()??)));
        self.entries.push((key, text, row));
        Ok(())
    }
    fn end(mut self) -> Result<()> {
        let rows: Option<Vec<(String, Row)>> =
            self.entries.iter_mut().map(|e| e.2.take()).collect();
        if let Some(table) = rows.as_deref().and_then(|rows| as_table(rows)) {
            self.out.push_str(&table);
            return Ok(());
        }
        self.out.push_str("m(vec![\n");
        for (key, value, _) in &self.entries {
            writeln!(self.out, "{}({key}, {value}),", indent(self.depth + 1)).unwrap();
        }
        write!(self.out, "{}])", indent(self.depth)).unwrap();
        Ok(())
    }
}

struct Struct<'a>(&'a mut String, usize);
impl ser::SerializeStruct for Struct<'_> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_field<T: ?Sized + Serialize>(&mut self, key: &'static str, v: &T) -> Result<()> {
        write!(self.0, "{}{key}: ", indent(self.1)).unwrap();
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

// ---- a map's key as plain text, a struct as a table row ------------------------------------

/// Serializes only a string, to its text; anything else is an error.
struct KeyText;
/// Serializes only a struct of plain fields, to a `Row` (`Ok(None)` for anything else).
struct RowOf;
/// Serializes only a plain field, to its `Cell`.
struct CellOf;

/// Everything but the handled methods of a serializer that accepts one kind of value.
macro_rules! refuse_all_but {
    ($ok:ty; $($keep:ident),*) => {
        type Ok = $ok;
        type Error = Unsupported;
        type SerializeSeq = Impossible<$ok, Unsupported>;
        type SerializeTuple = Impossible<$ok, Unsupported>;
        type SerializeTupleStruct = Impossible<$ok, Unsupported>;
        type SerializeTupleVariant = Impossible<$ok, Unsupported>;
        type SerializeMap = Impossible<$ok, Unsupported>;
        type SerializeStructVariant = Impossible<$ok, Unsupported>;
        fn serialize_bytes(self, _: &[u8]) -> Result<$ok> {
            unsupported("bytes")
        }
        fn serialize_unit(self) -> Result<$ok> {
            unsupported("unit")
        }
        fn serialize_char(self, _: char) -> Result<$ok> {
            unsupported("char")
        }
        fn serialize_unit_struct(self, _: &'static str) -> Result<$ok> {
            unsupported(
                "unit \
            struct",
            )
        }
        fn serialize_unit_variant(self, _: &'static str, _: u32, _: &'static str) -> Result<$ok> {
            unsupported("variant")
        }
        fn serialize_newtype_struct<T: ?Sized + Serialize>(
            self,
            _: &'static str,
            _: &T,
        ) -> Result<$ok> {
            unsupported("newtype")
        }
        fn serialize_newtype_variant<T: ?Sized + Serialize>(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: &T,
        ) -> Result<$ok> {
            unsupported("newtype variant")
        }
        fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq> {
            unsupported("seq")
        }
        fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple> {
            unsupported("tuple")
        }
        fn serialize_tuple_struct(
            self,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeTupleStruct> {
            unsupported("tuple struct")
        }
        fn serialize_tuple_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeTupleVariant> {
            unsupported("tuple variant")
        }
        fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap> {
            unsupported("map")
        }
        fn serialize_struct_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeStructVariant> {
            unsupported("struct variant")
        }
    };
}

macro_rules! refuse_scalars {
    ($ok:ty; $($m:ident $t:ty),*) => { $(fn $m(self, _: $t) -> Result<$ok> {
        unsupported("scalar")
    })* };
}

impl ser::Serializer for KeyText {
    refuse_all_but!(String;);
    type SerializeStruct = Impossible<String, Unsupported>;
    refuse_scalars!(String; serialize_i8 i8, serialize_i16 i16, serialize_i32 i32,
        serialize_i64 i64, serialize_u8 u8, serialize_u16 u16, serialize_u32 u32,
        serialize_u64 u64, serialize_f32 f32, serialize_f64 f64, serialize_bool bool);
    fn serialize_str(self, v: &str) -> Result<String> {
        Ok(v.to_string())
    }
    fn serialize_none(self) -> Result<String> {
        unsupported("none")
    }
    fn serialize_some<T: ?Sized + Serialize>(self, _: &T) -> Result<String> {
        unsupported("some")
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct> {
        unsupported("struct")
    }
}

/// `Err` ends the row early; `RowOf` turns it into `Ok(None)` at the end.
struct RowFields(Row, bool);

impl ser::Serializer for RowOf {
    refuse_all_but!(Option<Row>;);
    type SerializeStruct = RowFields;
    refuse_scalars!(Option<Row>; serialize_i8 i8, serialize_i16 i16, serialize_i32 i32,
        serialize_i64 i64, serialize_u8 u8, serialize_u16 u16, serialize_u32 u32,
        serialize_u64 u64, serialize_f32 f32, serialize_f64 f64, serialize_bool bool);
    fn serialize_str(self, _: &str) -> Result<Option<Row>> {
        unsupported("str")
    }
    fn serialize_none(self) -> Result<Option<Row>> {
        unsupported("none")
    }
    fn serialize_some<T: ?Sized + Serialize>(self, _: &T) -> Result<Option<Row>> {
        unsupported("some")
    }
    fn serialize_struct(self, name: &'static str, _: usize) -> Result<RowFields> {
        Ok(RowFields(Row { name, cells: Vec::new() }, true))
    }
}

impl ser::SerializeStruct for RowFields {
    type Ok = Option<Row>;
    type Error = Unsupported;
    fn serialize_field<T: ?Sized + Serialize>(&mut self, key: &'static str, v: &T) -> Result<()> {
        match v.serialize(CellOf) {
            Ok(cell) => self.0.cells.push((key, cell)),
            Err(_) => self.1 = false,
        }
        Ok(())
    }
    fn skip_field(&mut self, key: &'static str) -> Result<()> {
        self.0.cells.push((key, Cell(Value::Default, Column::Default)));
        Ok(())
    }
    fn end(self) -> Result<Option<Row>> {
        Ok(self.1.then_some(self.0))
    }
}

macro_rules! literal_cells {
    ($($m:ident $t:ty),*) => { $(fn $m(self, v: $t) -> Result<Cell> {
        Ok(Cell(Value::Bytes(v.to_le_bytes().to_vec()), Column::Plain))
    })* };
}

impl ser::Serializer for CellOf {
    refuse_all_but!(Cell;);
    type SerializeStruct = Impossible<Cell, Unsupported>;
    literal_cells!(serialize_i8 i8, serialize_i16 i16, serialize_i32 i32, serialize_i64 i64,
        serialize_u8 u8, serialize_u16 u16, serialize_u32 u32, serialize_u64 u64,
        serialize_f32 f32, serialize_f64 f64);
    fn serialize_bool(self, v: bool) -> Result<Cell> {
        Ok(Cell(Value::Bytes(vec![v as u8]), Column::Plain))
    }
    fn serialize_str(self, v: &str) -> Result<Cell> {
        Ok(Cell(Value::Text(v.to_string()), Column::Text))
    }
    fn serialize_none(self) -> Result<Cell> {
        Ok(Cell(Value::Optional(None), Column::Skipped))
    }
    fn serialize_some<T: ?Sized + Serialize>(self, v: &T) -> Result<Cell> {
        let Cell(value, kind) = v.serialize(CellOf)?;
        let kind = match kind {
            Column::Plain => Column::OptionalPlain,
            Column::Text => Column::OptionalText,
            _ => return unsupported("nested option"),
        };
        Ok(Cell(Value::Optional(Some(Box::new(value))), kind))
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct> {
        unsupported("struct")
    }
}
