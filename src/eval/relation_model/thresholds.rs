//! Choosing the thresholds at which the relation scorer's facts are asserted,
//! from held-out scores: one for all relations, then one per relation.
use std::collections::BTreeMap;

use serde::Serialize;

use super::super::{EvalReport, JacredReport, Score};

/// Per relation: true and false positives, required facts found, and
/// required facts.
pub(super) type RelationCounts = BTreeMap<String, [usize; 4]>;

fn counts(s: &Score) -> [usize; 4] {
    [s.true_positives, s.false_positives, s.found, s.required]
}

pub(super) fn total<'a>(counts: impl Iterator<Item = &'a [usize; 4]>) -> [usize; 4] {
    counts.fold([0; 4], |mut t, c| {
        for (t, c) in t.iter_mut().zip(c) {
            *t += c;
        }
        t
    })
}

/// Per-relation counts of the gold files, with those of the JacRED documents
/// added when `all`.
pub(super) fn relation_counts(
    j: &Option<JacredReport>,
    g: &Option<EvalReport>,
    all: bool,
) -> RelationCounts {
    let mut out: RelationCounts = BTreeMap::new();
    let jacred = j.iter().filter(|_| all).flat_map(|r| &r.per_relation);
    for (r, s) in jacred.chain(g.iter().flat_map(|r| &r.per_relation)) {
        let c = out.entry(r.clone()).or_default();
        *c = total([*c, counts(s)].iter());
    }
    out
}

/// A threshold per relation, from `rows` (a threshold, then the counts on
/// every document and on the gold files; the last row the rules alone):
/// starting from `start`, each relation in turn takes the threshold that
/// gives the best micro F1 over every document, among those where what the
/// model adds of it on the gold files is right `bar` of the time (1: none).
/// Relations are counted apart, so one that news gets wrong (a place in a
/// place that the articles do not state) does not hold back one it gets
/// right (a birth date).
pub(super) fn relation_thresholds(
    relations: &[String],
    rows: &[(f32, RelationCounts, RelationCounts)],
    start: f32,
    bar: f64,
) -> BTreeMap<String, f32> {
    let Some(off) = rows.len().checked_sub(1) else {
        return BTreeMap::new();
    };
    let get = |m: &RelationCounts, r: &str| m.get(r).copied().unwrap_or_default();
    let allowed = |r: &str, i: usize| {
        let (now, rules) = (get(&rows[i].2, r), get(&rows[off].2, r));
        let (tp, fp) = (
            now[0].saturating_sub(rules[0]),
            now[1].saturating_sub(rules[1]),
        );
        i == off || tp + fp == 0 || tp as f64 >= bar * (tp + fp) as f64
    };
    let mut choice: Vec<usize> = relations
        .iter()
        .map(|r| {
            let at = rows.iter().position(|x| x.0 >= start).unwrap_or(off);
            (at..=off).find(|&i| allowed(r, i)).unwrap_or(off)
        })
        .collect();
    let f1 = |choice: &[usize]| {
        let mut t = total(rows[off].1.values());
        for (r, &i) in relations.iter().zip(choice) {
            let (now, rules) = (get(&rows[i].1, r), get(&rows[off].1, r));
            for k in 0..4 {
                t[k] = t[k] + now[k] - rules[k];
            }
        }
        Score::new(t[0], t[1], t[2], t[3]).f1
    };
    for _ in 0..3 {
        for k in 0..relations.len() {
            let mut best = (f1(&choice), choice[k]);
            for i in (0..=off).filter(|&i| allowed(&relations[k], i)) {
                choice[k] = i;
                let f = f1(&choice);
                if f > best.0 {
                    best = (f, i);
                }
            }
            choice[k] = best.1;
        }
    }
    relations
        .iter()
        .zip(choice)
        .map(|(r, i)| (r.clone(), rows[i].0))
        .collect()
}

/// Held-out scores of rules and model together at one threshold.
#[derive(Debug, Clone, Serialize)]
pub struct ThresholdRow {
    pub threshold: f32,
    /// Every training document, pooled.
    pub all: Score,
    /// The JacRED documents, when there are any.
    pub jacred: Option<Score>,
    /// The gold files (news), when there are any.
    pub gold: Option<Score>,
    /// What the model adds to the rules on the gold files: its precision is
    /// that of the model's own facts (recall is left at 1).
    pub gold_added: Option<Score>,
}

/// The threshold of best pooled F1 among those where the facts the model adds
/// on the gold files are right at least `gold_precision` of the time: news
/// readers want facts they can trust, and encyclopedic text, which rewards
/// recall, must not set the bar for them. With no gold file, the best F1 (the
/// higher threshold on ties); with none reaching the bar, the threshold where
/// the model's own facts on the gold files are most precise.
pub(super) fn choose_threshold(table: &[ThresholdRow], gold_precision: f64) -> ThresholdRow {
    let f1 = |r: &&ThresholdRow| r.all.f1;
    let keeps = |r: &&ThresholdRow| {
        r.gold_added.as_ref().is_none_or(|g| {
            g.true_positives + g.false_positives == 0 || g.precision >= gold_precision
        })
    };
    table
        .iter()
        .filter(keeps)
        .max_by(|a, b| {
            f1(a)
                .total_cmp(&f1(b))
                .then(a.threshold.total_cmp(&b.threshold))
        })
        .or_else(|| {
            table.iter().max_by(|a, b| {
                let p = |r: &ThresholdRow| r.gold_added.as_ref().map_or(0.0, |g| g.precision);
                p(a).total_cmp(&p(b))
                    .then(a.threshold.total_cmp(&b.threshold))
            })
        })
        .cloned()
        .expect("a threshold grid is never empty")
}
