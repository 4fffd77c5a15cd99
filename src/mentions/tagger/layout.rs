//! The tagger's two byte forms.
//!
//! - The **model file** (`ner-model.bin`, what `musubi train-ner` writes): a
//!   header, the label transitions, then only the non-zero weights as (index
//!   delta, i16) pairs with one scale factor. Small on disk, but it has to be
//!   decoded before use.
//! - The **tagging tables**: the same weights in one row of i16 per feature
//!   bucket, leaving out rows that are all zero, with an index that finds a
//!   bucket's row with one popcount (see [`write_rows`]), so that tagging reads
//!   them where they lie, with no decoding. `build.rs` converts the shipped
//!   model file into them and the binary embeds the result, so a process starts
//!   tagging without decoding 3.6 MB; a folder's own model file is converted at
//!   load.
//!
//! `build.rs` includes this file, so it uses nothing but `std`.

use crate::varint::{write_varint, Reader};

/// Entity types and labels (O, then B-x and I-x per type) the formats are laid
/// out for; `tagger` checks they match its own.
pub const TYPE_COUNT: usize = 5;
pub const LABEL_COUNT: usize = 1 + 2 * TYPE_COUNT;
/// Label transitions: `(LABEL_COUNT + 1) × LABEL_COUNT`, the last row the sentence start.
pub const TRANS_LEN: usize = (LABEL_COUNT + 1) * LABEL_COUNT;

/// Most feature buckets a model file may ask for (64 times the shipped
/// model's): a larger count is a broken file, not a model to allocate for.
const MAX_BUCKETS: usize = 1 << 24;
const FILE_MAGIC: &[u8; 8] = b"MSBNER02";
const TABLES_MAGIC: &[u8; 8] = b"MSBNERT1";
/// Bytes of the tagging tables before the weight tables.
const TABLES_HEADER: usize = 8 + 4 * 3 + 4 * 2 + 4 * TRANS_LEN;

/// A model file's content, rounded weights and all.
pub struct ModelFile {
    pub buckets: usize,
    /// What a stored weight is worth: weight = q × scale.
    pub scale: f32,
    pub trans: Vec<f32>,
    /// Rounded weights, `buckets × LABEL_COUNT` of them.
    pub labels: Vec<i16>,
    /// The span classifier's rounded weights, `buckets × TYPE_COUNT`.
    pub types: Vec<i16>,
}

impl ModelFile {
    /// Writes the model file. Weights are stored in index order, labels first.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(FILE_MAGIC);
        out.extend_from_slice(&(LABEL_COUNT as u32).to_le_bytes());
        out.extend_from_slice(&(self.buckets as u32).to_le_bytes());
        out.extend_from_slice(&self.scale.to_le_bytes());
        for t in &self.trans {
            out.extend_from_slice(&t.to_le_bytes());
        }
        let mut last = 0usize;
        let mut body = Vec::new();
        let mut count = 0u32;
        for (i, q) in self.labels.iter().chain(&self.types).enumerate() {
            if *q != 0 {
                write_varint(&mut body, (i - last) as u64);
                body.extend_from_slice(&q.to_le_bytes());
                last = i;
                count += 1;
            }
        }
        out.extend_from_slice(&count.to_le_bytes());
        out.extend_from_slice(&body);
        out
    }

    pub fn decode(bytes: &[u8]) -> Result<ModelFile, &'static str> {
        let mut r = Reader::new(bytes);
        if r.take(8).ok_or("truncated header")? != FILE_MAGIC {
            return Err("not a musubi NER model (bad magic)");
        }
        if r.u32().ok_or("truncated header")? as usize != LABEL_COUNT {
            return Err("label set differs from this build");
        }
        let buckets = r.u32().ok_or("truncated header")? as usize;
        if !buckets.is_power_of_two() {
            return Err("bucket count is not a power of two");
        }
        if buckets > MAX_BUCKETS {
            return Err("bucket count too large");
        }
        let scale = f32::from_bits(r.u32().ok_or("truncated header")?);
        let trans = (0..TRANS_LEN)
            .map(|_| r.u32().map(f32::from_bits))
            .collect::<Option<Vec<f32>>>()
            .ok_or("truncated transitions")?;
        let mut labels = vec![0i16; buckets * LABEL_COUNT];
        let mut types = vec![0i16; buckets * TYPE_COUNT];
        let count = r.u32().ok_or("truncated weights")?;
        let mut idx = 0usize;
        for _ in 0..count {
            idx = idx.saturating_add(r.varint().ok_or("truncated weights")? as usize);
            let q = r.take(2).ok_or("truncated weights")?;
            let n = labels.len();
            let w = if idx < n {
                labels.get_mut(idx)
            } else {
                types.get_mut(idx - n)
            }
            .ok_or("weight index out of range")?;
            *w = i16::from_le_bytes([q[0], q[1]]);
        }
        Ok(ModelFile {
            buckets,
            scale,
            trans,
            labels,
            types,
        })
    }

    /// The tagging tables of this model. Label weights are rounded again on a
    /// scale fitted to their largest value, as tagging has always read them; the
    /// span classifier's keep the file's rounding and scale.
    pub fn tables(&self) -> Vec<u8> {
        let weight = |q: &i16| f32::from(*q) * self.scale;
        let max = self
            .labels
            .iter()
            .chain(&self.types)
            .fold(0f32, |m, q| m.max(weight(q).abs()));
        let label_scale = fitted_scale(max);
        let labels: Vec<i16> = self
            .labels
            .iter()
            .map(|q| (weight(q) / label_scale).round() as i16)
            .collect();
        write_tables(
            self.buckets,
            (label_scale, self.scale),
            &self.trans,
            &labels,
            &self.types,
        )
    }
}

/// The scale that maps weights up to `max` in magnitude onto the i16 range.
pub fn fitted_scale(max: f32) -> f32 {
    if max > 0.0 {
        max / i16::MAX as f32
    } else {
        1.0
    }
}

/// Lays out tagging tables from `buckets × LABEL_COUNT` label weights and `buckets
/// × TYPE_COUNT` span classifier weights, rounded, with their two scales.
pub fn write_tables(
    buckets: usize,
    (label_scale, type_scale): (f32, f32),
    trans: &[f32],
    labels: &[i16],
    types: &[i16],
) -> Vec<u8> {
    let mut out = Vec::with_capacity(TABLES_HEADER + 2 * (labels.len() + types.len()));
    out.extend_from_slice(TABLES_MAGIC);
    for n in [LABEL_COUNT, TYPE_COUNT, buckets] {
        out.extend_from_slice(&(n as u32).to_le_bytes());
    }
    out.extend_from_slice(&label_scale.to_le_bytes());
    out.extend_from_slice(&type_scale.to_le_bytes());
    for t in trans {
        out.extend_from_slice(&t.to_le_bytes());
    }
    write_rows(&mut out, labels, LABEL_COUNT);
    write_rows(&mut out, types, TYPE_COUNT);
    out
}

/// Rows of `width` weights, one per bucket, without the rows that are all zero
/// (a quarter of them): a bit per bucket (is its row stored?) and, per block of
/// 64 buckets, the number of rows stored before it, then the stored rows.
///
/// A bucket's row is found with one popcount in an index small enough to stay
/// in cache, and read whole with one load, so tagging is as fast as over dense
/// rows; the shipped tables take 4.9 MB where dense rows take 8.4 MB, and a
/// process that tags one sentence maps fewer pages of them. Rows are kept whole
/// (with their zeros) so that adding one is a fixed loop the compiler unrolls.
fn write_rows(out: &mut Vec<u8>, weights: &[i16], width: usize) {
    let rows: Vec<&[i16]> = weights.chunks(width).collect();
    let stored = |row: &[i16]| row.iter().any(|&q| q != 0);
    let mut ranks = Vec::new();
    let mut count = 0u32;
    for block in rows.chunks(64) {
        let bits = block
            .iter()
            .enumerate()
            .filter(|(_, row)| stored(row))
            .fold(0u64, |bits, (i, _)| bits | 1 << i);
        out.extend_from_slice(&bits.to_le_bytes());
        ranks.extend_from_slice(&count.to_le_bytes());
        count += bits.count_ones();
    }
    out.extend_from_slice(&ranks);
    out.extend_from_slice(&count.to_le_bytes());
    for row in rows.iter().filter(|row| stored(row)) {
        for q in *row {
            out.extend_from_slice(&q.to_le_bytes());
        }
    }
}

/// Where one table's parts are in the bytes (see [`write_rows`]).
#[derive(Debug, Clone)]
pub struct Rows {
    width: usize,
    bits: usize,
    ranks: usize,
    rows: usize,
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

impl Rows {
    /// Reads the table at `at` for `buckets` rows of `width`; returns it and
    /// where the next part starts.
    fn parse(bytes: &[u8], at: usize, buckets: usize, width: usize) -> Option<(Rows, usize)> {
        let blocks = buckets.div_ceil(64);
        let ranks = at + 8 * blocks;
        let count = u32_at(bytes, ranks + 4 * blocks)? as usize;
        let rows = ranks + 4 * blocks + 4;
        let end = rows + 2 * width * count;
        let table = Rows {
            width,
            bits: at,
            ranks,
            rows,
        };
        (end <= bytes.len()).then_some((table, end))
    }

    /// The stored row of bucket `b` (`width` little-endian i16), None when its
    /// weights are all zero.
    #[inline]
    pub fn row<'a>(&self, bytes: &'a [u8], b: usize) -> Option<&'a [u8]> {
        let (block, bit) = (b / 64, 1u64 << (b % 64));
        let at = self.bits + 8 * block;
        let bits = u64::from_le_bytes(bytes[at..at + 8].try_into().expect("8 bytes"));
        if bits & bit == 0 {
            return None;
        }
        let at = self.ranks + 4 * block;
        let before = u32::from_le_bytes(bytes[at..at + 4].try_into().expect("4 bytes"));
        let k = before as usize + (bits & (bit - 1)).count_ones() as usize;
        let size = 2 * self.width;
        Some(&bytes[self.rows + k * size..self.rows + (k + 1) * size])
    }

    /// All `buckets` rows, zeros included.
    pub fn dense(&self, bytes: &[u8], buckets: usize) -> Vec<i16> {
        let mut out = vec![0i16; buckets * self.width];
        for (b, dst) in out.chunks_mut(self.width).enumerate() {
            if let Some(row) = self.row(bytes, b) {
                for (d, q) in dst.iter_mut().zip(row.chunks_exact(2)) {
                    *d = i16::from_le_bytes([q[0], q[1]]);
                }
            }
        }
        out
    }
}

/// The header of tagging tables and where their rows are in the bytes; the rows
/// are read in place.
#[derive(Debug, Clone)]
pub struct Tables {
    pub buckets: usize,
    /// Label weight = i16 × label_scale; span classifier weight = i16 × type_scale.
    pub label_scale: f32,
    pub type_scale: f32,
    pub trans: [f32; TRANS_LEN],
    /// Rows of `LABEL_COUNT` label weights.
    pub labels: Rows,
    /// Rows of `TYPE_COUNT` span classifier weights.
    pub types: Rows,
}

impl Tables {
    /// Checks the header and the lengths; the rows are not read.
    pub fn parse(bytes: &[u8]) -> Result<Tables, &'static str> {
        let mut r = Reader::new(bytes);
        if r.take(8) != Some(&TABLES_MAGIC[..]) {
            return Err("not musubi tagging tables (bad magic)");
        }
        let mut n = || r.u32().map(|n| n as usize).ok_or("truncated header");
        let (labels, types, buckets) = (n()?, n()?, n()?);
        if (labels, types) != (LABEL_COUNT, TYPE_COUNT) {
            return Err("label set differs from this build");
        }
        if !buckets.is_power_of_two() {
            return Err("bucket count is not a power of two");
        }
        let label_scale = f32::from_bits(r.u32().ok_or("truncated header")?);
        let type_scale = f32::from_bits(r.u32().ok_or("truncated header")?);
        let mut trans = [0f32; TRANS_LEN];
        for t in &mut trans {
            *t = f32::from_bits(r.u32().ok_or("truncated transitions")?);
        }
        let truncated = "truncated weight tables";
        let (labels, end) =
            Rows::parse(bytes, r.position(), buckets, LABEL_COUNT).ok_or(truncated)?;
        let (types, end) = Rows::parse(bytes, end, buckets, TYPE_COUNT).ok_or(truncated)?;
        if end != bytes.len() {
            return Err("trailing bytes after the weight tables");
        }
        Ok(Tables {
            buckets,
            label_scale,
            type_scale,
            trans,
            labels,
            types,
        })
    }
}
