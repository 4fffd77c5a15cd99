//! Training the relation scorer: an averaged perceptron that ranks a pair's
//! relations above "no relation" and "no relation" above the others, averaged
//! over several visiting orders, then a logistic curve fitted over its margins.
//!
//! Everything is deterministic: the orders come from a seeded xorshift, the
//! runs are summed in run order whatever thread trained them, and all sums run
//! in a fixed order, so the same examples always give the same model bytes.
use rayon::prelude::*;

use super::weights::{RelationClass, RelationModel};
use crate::mentions::tagger::xorshift;

/// One training pair: its features, the relations that hold (class indices,
/// 1-based; none means no relation), and relations to leave alone (they hold
/// for the two entities, but this sentence is not where the text says so).
#[derive(Debug, Clone, Default)]
pub struct Example {
    pub features: Vec<u64>,
    pub gold: Vec<u16>,
    pub neutral: Vec<u16>,
}

/// Training settings.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    pub epochs: usize,
    /// Perceptrons averaged, each visiting the examples in its own order.
    pub runs: usize,
    pub buckets: usize,
    /// How much more an update for a missed relation counts than one for a
    /// pair wrongly given a relation: pairs with no relation outnumber the
    /// others twenty to one, and would otherwise drown them.
    pub positive_weight: f32,
    /// How far a relation must outscore the best wrong one before an example
    /// stops updating.
    pub margin: f32,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            epochs: 8,
            runs: 4,
            buckets: 1 << 18,
            positive_weight: 20.0,
            margin: 0.0,
        }
    }
}

/// Trains a scorer for `classes` on `examples` (uncalibrated: see [`calibrate`]).
pub fn train(examples: &[&Example], classes: Vec<RelationClass>, s: Settings) -> RelationModel {
    let width = classes.len() + 1;
    let buckets = s.buckets.next_power_of_two();
    let per_run: Vec<Vec<f32>> = (0..s.runs as u64)
        .into_par_iter()
        .map(|run| train_once(examples, width, buckets, s, run))
        .collect();
    let mut total = vec![0f32; buckets * width];
    for w in &per_run {
        for (t, x) in total.iter_mut().zip(w) {
            *t += x;
        }
    }
    let runs = s.runs.max(1) as f32;
    for t in &mut total {
        *t /= runs;
    }
    RelationModel::from_weights(buckets, classes, &total)
}

fn train_once(
    examples: &[&Example],
    width: usize,
    buckets: usize,
    s: Settings,
    run: u64,
) -> Vec<f32> {
    let mut w = vec![0f32; buckets * width];
    // Sum over updates of (step × delta); the average is w - acc / steps.
    let mut acc = vec![0f64; w.len()];
    let mut order: Vec<usize> = (0..examples.len()).collect();
    let mut rng = 0x6a09_e667_f3bc_c909u64 ^ run.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    let mut step = 1f64;
    let mut scores = vec![0f32; width];
    let mut slots: Vec<usize> = Vec::new();
    for _ in 0..s.epochs {
        for i in (1..order.len()).rev() {
            order.swap(i, (xorshift(&mut rng) % (i as u64 + 1)) as usize);
        }
        for &e in &order {
            let ex = examples[e];
            slots.clear();
            slots.extend(
                ex.features
                    .iter()
                    .map(|h| (*h as usize & (buckets - 1)) * width),
            );
            scores.iter_mut().for_each(|s| *s = 0.0);
            for &b in &slots {
                for (s, x) in scores.iter_mut().zip(&w[b..b + width]) {
                    *s += x;
                }
            }
            let is_gold = |c: usize| {
                if ex.gold.is_empty() {
                    c == 0
                } else {
                    ex.gold.contains(&(c as u16))
                }
            };
            let wrong = (0..width)
                .filter(|&c| !is_gold(c) && !ex.neutral.contains(&(c as u16)))
                .max_by(|&a, &b| scores[a].total_cmp(&scores[b]).then(b.cmp(&a)));
            let delta = if ex.gold.is_empty() {
                1.0
            } else {
                s.positive_weight
            };
            if let Some(p) = wrong {
                for g in (0..width).filter(|&c| is_gold(c)) {
                    if scores[g] - scores[p] <= s.margin {
                        for &b in &slots {
                            w[b + g] += delta;
                            w[b + p] -= delta;
                            acc[b + g] += step * delta as f64;
                            acc[b + p] -= step * delta as f64;
                        }
                    }
                }
            }
            step += 1.0;
        }
    }
    for (x, a) in w.iter_mut().zip(&acc) {
        *x -= (*a / step) as f32;
    }
    w
}

/// Fits the logistic curve P(right | margin) = 1 / (1 + exp(-(a·m + b))) to
/// held-out margins and whether each was right: Platt scaling, with his
/// smoothed targets, by Newton's method with a backtracking line search (Lin,
/// Lin and Weng's version, which cannot diverge on separable data).
pub fn calibrate(points: &[(f32, bool)]) -> (f32, f32) {
    let pos = points.iter().filter(|p| p.1).count() as f64;
    let neg = points.len() as f64 - pos;
    if pos == 0.0 {
        // Never right on held-out folds: never confident.
        return (0.0, -10.0);
    }
    if neg == 0.0 {
        return (1.0, 0.0);
    }
    let hi = (pos + 1.0) / (pos + 2.0);
    let lo = 1.0 / (neg + 2.0);
    let target = |right: bool| if right { hi } else { lo };
    // Negative log-likelihood, computed without overflow.
    let objective = |a: f64, b: f64| -> f64 {
        points
            .iter()
            .map(|&(m, right)| {
                let f = a * m as f64 + b;
                let t = target(right);
                if f >= 0.0 {
                    (1.0 - t) * f + (-f).exp().ln_1p()
                } else {
                    -t * f + f.exp().ln_1p()
                }
            })
            .sum()
    };
    let sigmoid = |f: f64| {
        if f >= 0.0 {
            1.0 / (1.0 + (-f).exp())
        } else {
            let e = f.exp();
            e / (1.0 + e)
        }
    };
    let (mut a, mut b) = (0f64, ((pos + 1.0) / (neg + 1.0)).ln());
    let mut value = objective(a, b);
    for _ in 0..100 {
        let (mut ga, mut gb) = (0f64, 0f64);
        let (mut haa, mut hab, mut hbb) = (1e-12, 0f64, 1e-12);
        for &(m, right) in points {
            let m = m as f64;
            let p = sigmoid(a * m + b);
            let d = p - target(right);
            let v = p * (1.0 - p);
            ga += m * d;
            gb += d;
            haa += m * m * v;
            hab += m * v;
            hbb += v;
        }
        if ga.abs() < 1e-6 && gb.abs() < 1e-6 {
            break;
        }
        let det = haa * hbb - hab * hab;
        let da = -(hbb * ga - hab * gb) / det;
        let db = -(haa * gb - hab * ga) / det;
        let slope = ga * da + gb * db;
        let mut step = 1.0;
        let mut moved = false;
        while step >= 1e-10 {
            let (na, nb) = (a + step * da, b + step * db);
            let nv = objective(na, nb);
            if nv < value + 1e-4 * step * slope {
                (a, b, value) = (na, nb, nv);
                moved = true;
                break;
            }
            step /= 2.0;
        }
        if !moved {
            break;
        }
    }
    (a as f32, b as f32)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn class(r: &str) -> RelationClass {
        RelationClass {
            relation: r.into(),
            literal: false,
            symmetric: false,
        }
    }

    #[test]
    fn learns_separable_classes_the_same_way_twice() {
        let ex = |f: u64, g: &[u16]| Example {
            features: vec![f, 99],
            gold: g.to_vec(),
            neutral: vec![],
        };
        let data = [
            ex(1, &[1]),
            ex(2, &[2]),
            ex(3, &[]),
            ex(1, &[1]),
            ex(2, &[2]),
        ];
        let refs: Vec<&Example> = data.iter().collect();
        let s = Settings {
            epochs: 5,
            runs: 2,
            buckets: 64,
            positive_weight: 1.0,
            margin: 0.0,
        };
        let m = train(&refs, vec![class("a"), class("b")], s);
        let mut out = Vec::new();
        m.margins(&[1, 99], &mut out);
        assert!(out[0] > 0.0 && out[1] < 0.0, "{out:?}");
        m.margins(&[3, 99], &mut out);
        assert!(out[0] < 0.0 && out[1] < 0.0, "{out:?}");
        let again = train(&refs, vec![class("a"), class("b")], s);
        assert_eq!(m.to_bytes(), again.to_bytes());
    }

    #[test]
    fn calibration_orders_margins() {
        let mut pts = Vec::new();
        for i in 0..100 {
            let m = i as f32 / 10.0 - 5.0;
            pts.push((m, i % 10 < i / 10));
        }
        let (a, b) = calibrate(&pts);
        let p = |m: f32| 1.0 / (1.0 + (-(a * m + b)).exp());
        assert!(a > 0.0 && p(4.0) > 0.7 && p(-4.0) < 0.3, "{a} {b}");
    }
}
