//! A trained tagger and decoding: emission scores from the label weights,
//! Viterbi over the label transitions, then the span classifier types each span.
//!
//! The weights are read in place from their tagging tables (see [`layout`]): the
//! shipped model's are embedded in the binary, so a process tags its first
//! sentence without decoding the model, and only the rows its features reach
//! are ever paged in.
use std::borrow::Cow;
use std::path::Path;

use crate::error::{Error, Result};
use crate::tokens::Token;

use super::features::{all_attrs, bucket, features, partners, span_features, Attrs, N_FEATURES};
use super::layout::{self, fitted_scale, ModelFile, Tables};
use super::{allowed, is_inside, type_of, Span, TokenCues, LABELS, TYPES};

/// The shipped tagger's tables, converted by build.rs from ontology/ner-model.bin
/// (trained on ner-wikipedia, CC BY-SA 3.0, see ontology/ner-model.NOTICE.md).
const BUILTIN_TABLES: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/ner-tables.bin"));

/// A trained tagger: label weights (buckets × labels), label transitions, and the
/// span classifier's weights (buckets × types), rounded to i16 in tagging tables.
#[derive(Clone)]
pub struct Model {
    /// The tagging tables: borrowed from the binary, or owned for a model read
    /// from a file or just trained.
    bytes: Cow<'static, [u8]>,
    tables: Tables,
    /// A model just trained keeps its span classifier's weights unrounded, as
    /// cross-validation has always scored with them; a model read from bytes
    /// has only the rounded ones.
    exact_types: Option<Vec<f32>>,
}

/// Weights are too many to print; say what the model is.
impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Model {{ buckets: {} }}", self.tables.buckets)
    }
}

/// Scores of each type for a span's features, from a buckets × types table.
pub(super) fn type_scores(types: &[f32], buckets: usize, feats: &[u64]) -> [f32; TYPES.len()] {
    let mut s = [0f32; TYPES.len()];
    for h in feats {
        let b = bucket(h, buckets) * TYPES.len();
        for (x, w) in s.iter_mut().zip(&types[b..b + TYPES.len()]) {
            *x += w;
        }
    }
    s
}

/// Asks the processor to start reading `bytes` (a row of at most a cache
/// line, which may straddle two), which the caller will read soon.
#[inline]
fn prefetch(bytes: &[u8]) {
    #[cfg(target_arch = "x86_64")]
    for at in [bytes.first(), bytes.last()].into_iter().flatten() {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        // SAFETY: a prefetch is only a hint to the cache: it never faults and
        // reads nothing into the program, whatever the address.
        unsafe { _mm_prefetch::<_MM_HINT_T0>((at as *const u8).cast()) };
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = bytes;
}

/// The `N` little-endian i16 values of a table row, as an array: with its
/// length known, adding a row compiles to a few vector instructions.
#[inline]
fn row<const N: usize>(bytes: &[u8]) -> [i16; N] {
    let bytes = &bytes[..2 * N];
    std::array::from_fn(|k| i16::from_le_bytes([bytes[2 * k], bytes[2 * k + 1]]))
}

impl Model {
    /// The shipped tagger, read in place from the binary.
    pub fn builtin() -> Result<Model> {
        Model::from_tables(Cow::Borrowed(BUILTIN_TABLES)).map_err(|problem| Error::Rules {
            path: "built-in NER model".into(),
            problem: problem.into(),
        })
    }

    fn from_tables(bytes: Cow<'static, [u8]>) -> std::result::Result<Model, &'static str> {
        Ok(Model {
            tables: Tables::parse(&bytes)?,
            bytes,
            exact_types: None,
        })
    }

    /// A model from trained weights: label weights are rounded to i16 on a scale
    /// fitted to the largest weight of either table, as the model file stores them.
    pub(super) fn from_trained(
        buckets: usize,
        weights: &[f32],
        trans: &[f32],
        types: Vec<f32>,
    ) -> Model {
        let max = weights
            .iter()
            .chain(&types)
            .fold(0f32, |m, w| m.max(w.abs()));
        let scale = fitted_scale(max);
        let round = |w: &f32| (w / scale).round() as i16;
        let bytes = layout::write_tables(
            buckets,
            (scale, scale),
            trans,
            &weights.iter().map(round).collect::<Vec<_>>(),
            &types.iter().map(round).collect::<Vec<_>>(),
        );
        let mut m = Model::from_tables(Cow::Owned(bytes)).expect("tables just written");
        m.exact_types = Some(types);
        m
    }

    fn type_scores(&self, feats: &[u64]) -> [f32; TYPES.len()] {
        let t = &self.tables;
        if let Some(types) = &self.exact_types {
            return type_scores(types, t.buckets, feats);
        }
        // A bucket with no stored row adds zeros, which change no sum.
        let mut s = [0f32; TYPES.len()];
        for h in feats {
            if let Some(r) = t.types.row(&self.bytes, bucket(h, t.buckets)) {
                for (x, q) in s.iter_mut().zip(row::<{ TYPES.len() }>(r)) {
                    *x += f32::from(q) * t.type_scale;
                }
            }
        }
        s
    }

    /// Emission scores for every token, `LABELS` per token.
    ///
    /// Tagging waits on memory: each feature reads a row at random from
    /// megabytes of tables. So the rows of token `i + 1` are located, and their
    /// reads started, before the rows of token `i` are summed: by the time a
    /// row is added it is on its way or there.
    fn scores(&self, a: &[Attrs], out: &mut Vec<f32>) {
        let t = &self.tables;
        out.clear();
        out.resize(a.len() * LABELS, 0.0);
        let mut rows: [&[u8]; N_FEATURES] = [&[]; N_FEATURES];
        let mut next_rows: [&[u8]; N_FEATURES] = [&[]; N_FEATURES];
        let mut n = if a.is_empty() {
            0
        } else {
            self.locate_rows(a, 0, &mut rows)
        };
        for i in 0..a.len() {
            let next_n = if i + 1 < a.len() {
                self.locate_rows(a, i + 1, &mut next_rows)
            } else {
                0
            };
            let mut sum = [0i32; LABELS];
            for r in &rows[..n] {
                for (s, q) in sum.iter_mut().zip(row::<LABELS>(r)) {
                    *s += i32::from(q);
                }
            }
            for (o, x) in out[i * LABELS..(i + 1) * LABELS].iter_mut().zip(sum) {
                *o = x as f32 * t.label_scale;
            }
            std::mem::swap(&mut rows, &mut next_rows);
            n = next_n;
        }
    }

    /// Writes the stored label rows of token `i`'s features into `found`,
    /// starting their reads, and returns how many there are.
    fn locate_rows<'b>(
        &'b self,
        a: &[Attrs],
        i: usize,
        found: &mut [&'b [u8]; N_FEATURES],
    ) -> usize {
        let t = &self.tables;
        let mut f = [0u64; N_FEATURES];
        features(a, i, &mut f);
        let mut n = 0;
        for h in &f {
            if let Some(r) = t.labels.row(&self.bytes, bucket(h, t.buckets)) {
                prefetch(r);
                found[n] = r;
                n += 1;
            }
        }
        n
    }

    /// Best label sequence for a sentence.
    fn labels(&self, a: &[Attrs]) -> (Vec<usize>, Vec<f32>) {
        let mut emit = Vec::new();
        self.scores(a, &mut emit);
        let path = viterbi(&self.tables.trans, &emit, a.len(), NAME_BIAS);
        (path, emit)
    }

    /// The typed spans the model finds in one sentence's tokens.
    pub fn tag(&self, tokens: &[Token], cues: &[TokenCues]) -> Vec<Span> {
        let a = all_attrs(tokens, cues);
        let (path, emit) = self.labels(&a);
        // Confidence: how much the chosen labels outscore "no name", squashed.
        let mut spans = spans_of(&path, |i, l| emit[i * LABELS + l] - emit[i * LABELS]);
        let bounds: Vec<(usize, usize)> = spans.iter().map(|s| (s.start, s.end)).collect();
        let partner = partners(tokens, &bounds);
        let mut f = Vec::new();
        let mut chars = Vec::new();
        for (sp, partner) in spans.iter_mut().zip(partner) {
            chars.clear();
            chars.extend(
                tokens[sp.start..sp.end]
                    .iter()
                    .flat_map(|t| t.surface.chars()),
            );
            span_features(&a, &chars, sp.start, sp.end, partner, &mut f);
            // The span classifier alone types the span: with the name lexicon, adding
            // the token tagger's opinion no longer helps (5-fold typed F1 0.734 with
            // weight 0, 0.735 with 0.25, 0.733 with 0.5), and it is the less stable
            // of the two on news.
            let sc = self.type_scores(&f);
            let k = (0..TYPES.len())
                .max_by(|&x, &y| sc[x].total_cmp(&sc[y]))
                .unwrap_or(0);
            sp.etype = TYPES[k];
        }
        spans
    }

    /// Writes the model file (see [`layout`]).
    pub fn save(&self, path: &Path) -> Result<()> {
        std::fs::write(path, self.to_bytes()).map_err(|e| Error::io(path, e))
    }

    /// The model file: the label weights as tagging reads them, and the span
    /// classifier's rounded on the same scale.
    pub fn to_bytes(&self) -> Vec<u8> {
        let t = &self.tables;
        let scale = t.label_scale;
        let types = match &self.exact_types {
            Some(types) => types.iter().map(|w| (w / scale).round() as i16).collect(),
            None => t
                .types
                .dense(&self.bytes, t.buckets)
                .iter()
                .map(|&q| (f32::from(q) * t.type_scale / scale).round() as i16)
                .collect(),
        };
        ModelFile {
            buckets: t.buckets,
            scale,
            trans: t.trans.to_vec(),
            labels: t.labels.dense(&self.bytes, t.buckets),
            types,
        }
        .encode()
    }

    /// Reads a model file.
    pub fn from_bytes(bytes: &[u8]) -> Result<Model> {
        let bad = |what: &str| Error::Rules {
            path: "NER model".into(),
            problem: what.into(),
        };
        let file = ModelFile::decode(bytes).map_err(bad)?;
        Model::from_tables(Cow::Owned(file.tables())).map_err(bad)
    }

    pub fn load(path: &Path) -> Result<Model> {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        Model::from_bytes(&bytes).map_err(|e| match e {
            Error::Rules { problem, .. } => Error::Rules {
                path: path.display().to_string(),
                problem,
            },
            other => other,
        })
    }
}

/// Best labels for `n` tokens under the transitions `trans` (see
/// [`layout::TRANS_LEN`]); `name_bias` is added to every name label's score.
pub(super) fn viterbi(trans: &[f32], emit: &[f32], n: usize, name_bias: f32) -> Vec<usize> {
    let bias = |l: usize| if l == 0 { 0.0 } else { name_bias };
    if n == 0 {
        return Vec::new();
    }
    let mut score = vec![f32::NEG_INFINITY; n * LABELS];
    let mut back = vec![0usize; n * LABELS];
    for l in 0..LABELS {
        if allowed(None, l) {
            score[l] = emit[l] + bias(l) + trans[LABELS * LABELS + l];
        }
    }
    // into[l][p]: the transition p → l, minus infinity where it is not
    // allowed, so the inner loop below needs no test: a forbidden or
    // unreachable label scores minus infinity, which never beats `best`.
    let mut into = [[f32::NEG_INFINITY; LABELS]; LABELS];
    for (l, row) in into.iter_mut().enumerate() {
        for (p, t) in row.iter_mut().enumerate() {
            if allowed(Some(p), l) {
                *t = trans[p * LABELS + l];
            }
        }
    }
    for i in 1..n {
        let prev: &[f32; LABELS] = score[(i - 1) * LABELS..i * LABELS]
            .try_into()
            .expect("one row of scores");
        let prev = *prev;
        for (l, into) in into.iter().enumerate() {
            let mut best = f32::NEG_INFINITY;
            let mut arg = 0;
            for (p, (s, t)) in prev.iter().zip(into).enumerate() {
                let s = s + t;
                if s > best {
                    best = s;
                    arg = p;
                }
            }
            score[i * LABELS + l] = best + emit[i * LABELS + l] + bias(l);
            back[i * LABELS + l] = arg;
        }
    }
    let last = &score[(n - 1) * LABELS..];
    let mut l = (0..LABELS)
        .max_by(|&x, &y| last[x].total_cmp(&last[y]))
        .unwrap_or(0);
    let mut path = vec![0; n];
    for i in (0..n).rev() {
        path[i] = l;
        l = back[i * LABELS + l];
    }
    path
}

fn spans_of(path: &[usize], margin: impl Fn(usize, usize) -> f32) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut i = 0;
    while i < path.len() {
        let l = path[i];
        if l == 0 || is_inside(l) {
            i += 1;
            continue;
        }
        let t = type_of(l);
        let mut j = i + 1;
        while j < path.len() && is_inside(path[j]) && type_of(path[j]) == t {
            j += 1;
        }
        let m: f32 = (i..j).map(|k| margin(k, path[k])).sum::<f32>() / (j - i) as f32;
        spans.push(Span {
            start: i,
            end: j,
            etype: TYPES[t],
            confidence: 1.0 / (1.0 + (-m / MARGIN_SCALE).exp()),
        });
        i = j;
    }
    spans
}

/// Added to the name labels' scores of every token when tagging (not in training). The averaged
/// perceptron, trained to get whole sentences right, finds fewer names than there
/// are (5-fold on ner-wikipedia: 6,472 predicted for 6,650 gold at bias 0); a small
/// push toward names evens precision and recall. 5-fold typed F1 by bias: 0 →
/// 0.748, 8 → 0.749, 10 → 0.749, 12 → 0.750, 14 → 0.750, 16 → 0.749, 24 → 0.745;
/// a typical margin is about 90 (see [`MARGIN_SCALE`]).
const NAME_BIAS: f32 = 12.0;

/// Perceptron scores are sums of update counts; this maps a typical margin to ~0.9.
const MARGIN_SCALE: f32 = 40.0;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn model_bytes_round_trip() {
        let mut weights = vec![0f32; 16 * LABELS];
        weights[5] = 1.5;
        weights[100] = -0.25;
        let mut trans = vec![0f32; layout::TRANS_LEN];
        trans[3] = 2.0;
        let mut types = vec![0f32; 16 * TYPES.len()];
        types[7] = 0.5;
        let m = Model::from_trained(16, &weights, &trans, types);
        let bytes = m.to_bytes();
        let back = Model::from_bytes(&bytes).unwrap();
        let label = |m: &Model, i: usize| {
            let t = &m.tables;
            f32::from(t.labels.dense(&m.bytes, t.buckets)[i]) * t.label_scale
        };
        assert!((label(&back, 5) - 1.5).abs() < 1e-3);
        assert!((label(&back, 100) + 0.25).abs() < 1e-3);
        assert_eq!(back.tables.trans[3], 2.0);
        // Read back and written again, a model file keeps its bytes.
        assert_eq!(back.to_bytes(), bytes);
        assert!(Model::from_bytes(b"junk").is_err());
    }

    #[test]
    fn builtin_tables_are_the_shipped_model_file() {
        let file = include_bytes!("../../../ontology/ner-model.bin");
        let decoded = Model::from_bytes(file).unwrap();
        let builtin = Model::builtin().unwrap();
        assert!(decoded.bytes == builtin.bytes);
    }
}
