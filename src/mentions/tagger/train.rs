//! Training: averaged structured perceptrons for the token labels, and averaged
//! perceptrons for the span classifier, all seeded so that the same data gives
//! the same model bytes on any number of threads.
use rayon::prelude::*;

use crate::tokens::Token;

use super::features::{all_attrs, bucket, features, partners, span_features, N_FEATURES};
use super::model::{type_scores, viterbi, Model};
use super::{b_label, Span, TokenCues, LABELS, TYPES};

/// Default number of feature buckets: large enough that collisions cost little
/// on a corpus of a few thousand sentences.
pub const DEFAULT_BUCKETS: usize = 1 << 18;

/// One token tagger as it trains: label weights (buckets × labels) and label
/// transitions (`trans[prev * LABELS + label]`, row `LABELS` the sentence start).
struct Perceptron {
    weights: Vec<f32>,
    trans: Vec<f32>,
}

/// One training sentence: tokens, their cues, and gold spans in token indices.
#[derive(Clone)]
pub struct Example<'a> {
    pub tokens: Vec<Token<'a>>,
    pub cues: Vec<TokenCues>,
    pub gold: Vec<Span>,
}

fn gold_labels(ex: &Example) -> Vec<usize> {
    let mut y = vec![0; ex.tokens.len()];
    for s in &ex.gold {
        let t = TYPES.iter().position(|x| *x == s.etype).unwrap_or(0);
        for (k, l) in y.iter_mut().enumerate().take(s.end).skip(s.start) {
            *l = if k == s.start {
                b_label(t)
            } else {
                b_label(t) + 1
            };
        }
    }
    y
}

/// Trains an averaged perceptron; examples are visited in a fixed pseudo-random
/// order per epoch so that training is reproducible.
///
/// Trains one tagger per entry of `copies`, on `real` and those copies (each visits
/// its examples in its own order), and averages their weights. Scores are linear
/// in the weights, so the average model scores every label exactly as the mean of
/// the taggers would: an ensemble at the cost of one model when tagging. The span
/// classifier learns from `real` alone: name-swapped copies teach where names
/// are, not what a name's type is (5-fold typed F1 0.738 with them, 0.745 without).
///
/// The taggers train in parallel; each is deterministic and they are summed in
/// run order, so the model is the same on any number of threads.
pub fn train(real: &[Example], copies: &[Vec<Example>], epochs: usize, buckets: usize) -> Model {
    let buckets = buckets.next_power_of_two();
    let (taggers, types) = rayon::join(
        || {
            copies
                .par_iter()
                .enumerate()
                .map(|(run, copies)| train_once(real, copies, epochs, buckets, run as u64))
                .collect::<Vec<Perceptron>>()
        },
        || train_types(real, epochs, buckets, copies.len()),
    );
    let mut taggers = taggers.into_iter();
    let mut m = taggers.next().expect("at least one tagger");
    for o in taggers {
        let pairs = m
            .weights
            .iter_mut()
            .zip(&o.weights)
            .chain(m.trans.iter_mut().zip(&o.trans));
        for (a, b) in pairs {
            *a += b;
        }
    }
    let k = copies.len() as f32;
    for w in m.weights.iter_mut().chain(m.trans.iter_mut()) {
        *w /= k;
    }
    Model::from_trained(buckets, &m.weights, &m.trans, types)
}

/// Taggers averaged by [`train`], one per draw of name-swapped copies. 5-fold
/// typed F1 on ner-wikipedia 0.703 with one, 0.712 with three, 0.713 with five
/// before the copies; with its own draw each tagger differs more: 0.744 with
/// three, 0.746 with five, 0.746 with eight (span F1 0.841, 0.844, 0.845).
/// Tagging costs the same for any number.
pub const ENSEMBLE_RUNS: usize = 5;

/// One averaged tagger over `real` then `copies`; `run` picks the order the
/// examples are visited in.
fn train_once(
    real: &[Example],
    copies: &[Example],
    epochs: usize,
    buckets: usize,
    run: u64,
) -> Perceptron {
    let examples: Vec<&Example> = real.iter().chain(copies).collect();
    let mut m = Perceptron {
        weights: vec![0.0; buckets * LABELS],
        trans: vec![0.0; (LABELS + 1) * LABELS],
    };
    // Sum over updates of (step × delta); the average is w - acc / steps.
    let mut acc_w = vec![0f64; m.weights.len()];
    let mut acc_t = vec![0f64; m.trans.len()];
    let gold: Vec<Vec<usize>> = examples.iter().map(|ex| gold_labels(ex)).collect();
    let feats: Vec<Vec<[u64; N_FEATURES]>> = examples
        .iter()
        .map(|ex| {
            let a = all_attrs(&ex.tokens, &ex.cues);
            (0..a.len())
                .map(|i| {
                    let mut f = [0u64; N_FEATURES];
                    features(&a, i, &mut f);
                    f
                })
                .collect()
        })
        .collect();
    let mut order: Vec<usize> = (0..examples.len()).collect();
    let mut rng = 0x2545_f491_4f6c_dd1du64 ^ run.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    let mut step = 1f64;
    let mut emit = Vec::new();
    for _ in 0..epochs {
        shuffle(&mut order, &mut rng);
        for &e in &order {
            let f = &feats[e];
            let n = f.len();
            emit.clear();
            emit.resize(n * LABELS, 0.0);
            for (i, fi) in f.iter().enumerate() {
                for h in fi {
                    let b = bucket(h, buckets) * LABELS;
                    for l in 0..LABELS {
                        emit[i * LABELS + l] += m.weights[b + l];
                    }
                }
            }
            let pred = viterbi(&m.trans, &emit, n, 0.0);
            let y = &gold[e];
            if pred != *y {
                for i in 0..n {
                    let (yp, yg) = (pred[i], y[i]);
                    if yp != yg {
                        for h in &f[i] {
                            let b = bucket(h, buckets) * LABELS;
                            m.weights[b + yg] += 1.0;
                            m.weights[b + yp] -= 1.0;
                            acc_w[b + yg] += step;
                            acc_w[b + yp] -= step;
                        }
                    }
                    let pp = if i == 0 { LABELS } else { pred[i - 1] };
                    let pg = if i == 0 { LABELS } else { y[i - 1] };
                    if (pp, yp) != (pg, yg) {
                        m.trans[pg * LABELS + yg] += 1.0;
                        m.trans[pp * LABELS + yp] -= 1.0;
                        acc_t[pg * LABELS + yg] += step;
                        acc_t[pp * LABELS + yp] -= step;
                    }
                }
            }
            step += 1.0;
        }
    }
    for (w, a) in m.weights.iter_mut().zip(&acc_w) {
        *w -= (*a / step) as f32;
    }
    for (w, a) in m.trans.iter_mut().zip(&acc_t) {
        *w -= (*a / step) as f32;
    }
    m
}

/// Span classifiers averaged per tagger, each visiting the spans in its own order.
/// Which type a name gets depended on that order more than the tagger's spans
/// did; 5-fold typed F1 on ner-wikipedia over five training orders: mean 0.749
/// (0.747-0.751) with one, 0.751 (0.748-0.753) with eight; four gave most of it.
const TYPE_ORDERS: u64 = 8;

/// Trains the span type classifier on the gold spans: for each of `runs`,
/// [`TYPE_ORDERS`] averaged perceptrons, all averaged into one weight table.
fn train_types(examples: &[Example], epochs: usize, buckets: usize, runs: usize) -> Vec<f32> {
    let mut data: Vec<(Vec<u64>, usize)> = Vec::new();
    for ex in examples {
        let a = all_attrs(&ex.tokens, &ex.cues);
        let mut gold = ex.gold.clone();
        gold.sort_by_key(|s| (s.start, s.end));
        let bounds: Vec<(usize, usize)> = gold.iter().map(|s| (s.start, s.end)).collect();
        for (sp, partner) in gold.iter().zip(partners(&ex.tokens, &bounds)) {
            let mut f = Vec::new();
            let chars: Vec<char> = ex.tokens[sp.start..sp.end]
                .iter()
                .flat_map(|t| t.surface.chars())
                .collect();
            span_features(&a, &chars, sp.start, sp.end, partner, &mut f);
            data.push((f, TYPES.iter().position(|t| *t == sp.etype).unwrap_or(0)));
        }
    }
    let len = buckets * TYPES.len();
    // Summed per run, then over runs, in a fixed order: the same bytes on any
    // number of threads.
    let per_run: Vec<Vec<f32>> = (0..runs as u64)
        .into_par_iter()
        .map(|run| {
            let mut sum = vec![0f32; len];
            for sub in 0..TYPE_ORDERS {
                let w = train_types_once(&data, epochs, buckets, run + 1000 * sub);
                for (s, w) in sum.iter_mut().zip(&w) {
                    *s += w / TYPE_ORDERS as f32;
                }
            }
            sum
        })
        .collect();
    let mut runs_iter = per_run.into_iter();
    let mut total = runs_iter.next().unwrap_or_else(|| vec![0f32; len]);
    for w in runs_iter {
        for (t, x) in total.iter_mut().zip(&w) {
            *t += x;
        }
    }
    for t in &mut total {
        *t /= runs.max(1) as f32;
    }
    total
}

/// One averaged perceptron over the span examples: its weights, buckets × types.
fn train_types_once(
    data: &[(Vec<u64>, usize)],
    epochs: usize,
    buckets: usize,
    seed: u64,
) -> Vec<f32> {
    let nt = TYPES.len();
    let mut types = vec![0f32; buckets * nt];
    let mut acc = vec![0f64; types.len()];
    let mut step = 1f64;
    let mut rng = 0x9e37_79b9_7f4a_7c15u64 ^ seed.wrapping_mul(0x2545_f491_4f6c_dd1d);
    let mut order: Vec<usize> = (0..data.len()).collect();
    for _ in 0..epochs {
        shuffle(&mut order, &mut rng);
        for &d in &order {
            let (f, y) = &data[d];
            let sc = type_scores(&types, buckets, f);
            let p = (0..nt)
                .max_by(|&x, &z| sc[x].total_cmp(&sc[z]))
                .unwrap_or(0);
            if p != *y {
                for h in f {
                    let b = bucket(h, buckets) * nt;
                    types[b + y] += 1.0;
                    types[b + p] -= 1.0;
                    acc[b + y] += step;
                    acc[b + p] -= step;
                }
            }
            step += 1.0;
        }
    }
    for (w, a) in types.iter_mut().zip(&acc) {
        *w -= (*a / step) as f32;
    }
    types
}

/// Next number of a xorshift64 generator: training's only randomness, seeded so
/// that it is reproducible.
pub fn xorshift(rng: &mut u64) -> u64 {
    *rng ^= *rng << 13;
    *rng ^= *rng >> 7;
    *rng ^= *rng << 17;
    *rng
}

/// Fisher-Yates shuffle driven by [`xorshift`].
fn shuffle(order: &mut [usize], rng: &mut u64) {
    for i in (1..order.len()).rev() {
        order.swap(i, (xorshift(rng) % (i as u64 + 1)) as usize);
    }
}
