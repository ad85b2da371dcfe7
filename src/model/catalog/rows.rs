//! The catalog's table rows as `build.rs` writes them (`$OUT_DIR/catalog_rows.bin`), read back
//! by the expression it writes (`$OUT_DIR/catalog_data.rs`, `Catalog::embedded` on the page).
//! Every string first (a count, then each as its length and UTF-8 bytes), then each table as its
//! row count and its columns, each column as its length and its cells: a number as its
//! little-endian bytes, text as the index of a string (high bit set: the rest of a text that
//! extends the one read before it, as a rate code extends its SKU), an option as a 0/1 byte
//! before its value. As Rust literals the rows took about twice the gzipped bytes in the page's
//! first-load wasm (a pointer and a length beside every string, a constructor call per row).
//! `tests/catalog_data.rs` checks the catalog read is the JSON's.

/// One column's cells (or the whole file), read in order.
pub struct Column {
    bytes: &'static [u8],
    at: usize,
}
impl Column {
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
/// The file being read: its strings, and where the next table starts.
pub struct Rows {
    file: Column,
    strings: Vec<&'static str>,
    /// The text read last: a text that extends it is written as the rest (a rate code after
    /// its SKU).
    last: std::cell::RefCell<String>,
}
/// A field's type as a cell holds it.
pub trait Decode: Sized {
    fn decode(c: &mut Column, d: &Rows) -> Self;
}
impl Rows {
    pub fn new(bytes: &'static [u8]) -> Rows {
        let mut file = Column { bytes, at: 0 };
        let count = file.len();
        let mut strings = Vec::with_capacity(count);
        for _ in 0..count {
            let len = file.len();
            strings.push(std::str::from_utf8(file.slice(len)).expect("build.rs writes UTF-8"));
        }
        Rows { file, strings, last: Default::default() }
    }
    /// The next table: its row count and its `K` columns.
    pub fn table<const K: usize>(&mut self) -> (usize, [Column; K]) {
        let rows = self.file.len();
        let columns = std::array::from_fn(|_| {
            let len = self.file.len();
            Column { bytes: self.file.slice(len), at: 0 }
        });
        (rows, columns)
    }
    pub fn get<T: Decode>(&self, column: &mut Column) -> T {
        T::decode(column, self)
    }
}
macro_rules! numbers {
    ($($t:ty),*) => { $(impl Decode for $t {
        fn decode(c: &mut Column, _: &Rows) -> $t {
            <$t>::from_le_bytes(c.take())
        }
    })* };
}
numbers!(i8, i16, i32, i64, u8, u16, u32, u64, f32, f64);
impl Decode for bool {
    fn decode(c: &mut Column, _: &Rows) -> bool {
        c.take::<1>()[0] != 0
    }
}
impl Decode for String {
    #[inline(never)]
    fn decode(c: &mut Column, d: &Rows) -> String {
        let i = u16::from_le_bytes(c.take());
        let mut last = d.last.borrow_mut();
        if i & 0x8000 == 0 {
            last.clear();
        }
        last.push_str(d.strings[(i & 0x7fff) as usize]);
        last.clone()
    }
}
impl<T: Decode> Decode for Option<T> {
    fn decode(c: &mut Column, d: &Rows) -> Option<T> {
        (c.take::<1>()[0] != 0).then(|| T::decode(c, d))
    }
}
