//! Training and measuring the relation scorer ([`crate::relations::model`]) on
//! annotated text: JacRED documents (DocRED format) and the project's own gold
//! files (`*.gold.json`, e.g. the tune half of data/gold/livedoor).
//!
//! Every document runs through the real pipeline (musubi's own names, the
//! rules' facts), and each candidate pair is labelled by mapping its two sides
//! to the annotation the way the scorers do: JacRED vertices by name or span,
//! gold entities by alias. A JacRED label counts for a pair only in the
//! sentences its evidence names; elsewhere its relation is left alone rather
//! than taught as absent.
//!
//! [`fit`] is what `musubi train-re` runs: held-out folds of the training
//! documents give the margins the confidence curve is fitted to and the
//! threshold that maximises micro F1 of rules and model together; then one
//! scorer is trained on all of them. [`cross_validate`] repeats that inside
//! each of k outer folds, so every figure it reports comes from documents the
//! scorer (and its threshold) never saw.
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;

use super::gold::{entity_ids, GoldFact, Side};
use super::jacred::{VertexMap, SYMMETRIC};
use super::{
    read_gold, read_jacred, score_extractions, score_jacred, GoldFile, JacredDoc, JacredReport,
    Score,
};
use crate::document::{Extraction, Resolution};
use crate::error::{Error, Result};
use crate::extract::Extractor;
use crate::relations::model::train::{self as trainer, Example, Settings};
use crate::relations::model::{
    self, candidates, Arg, Candidate, ModelSettings, RelationClass, RelationModel,
};
use crate::text::Article;

mod reach;
mod thresholds;

use crate::vocabulary::Vocabulary;
pub use reach::Reach;
pub use thresholds::ThresholdRow;
use thresholds::{choose_threshold, relation_counts, relation_thresholds, total, RelationCounts};

/// Character spans of the sentences a JacRED label names as its evidence.
type Evidence = Vec<(usize, usize)>;

/// Where a training document's annotation comes from.
#[derive(Debug, Clone)]
pub enum Annotation {
    Jacred(Box<JacredDoc>),
    Gold(Box<GoldFile>),
}

/// One annotated document run through the pipeline, with its candidate pairs
/// and their labels.
pub struct TrainingDoc {
    pub annotation: Annotation,
    /// The pipeline's output with the rules alone.
    pub extraction: Extraction,
    candidates: Vec<Candidate>,
    /// Per candidate: relations the annotation states for the pair in this
    /// sentence, and relations to leave alone.
    labels: Vec<(Vec<String>, Vec<String>)>,
    /// Every (subject, relation, object) the annotation states between two of
    /// the extraction's entities (or an entity and a date): what makes a
    /// model fact right.
    truth: BTreeSet<(usize, String, String)>,
}

fn object_key(values: &[crate::document::ValueMention], a: Arg) -> String {
    match a {
        Arg::Entity(e) => format!("e{e}"),
        Arg::Value(v) => format!("v{}", values[v].value),
    }
}

/// The key of a fact in [`TrainingDoc::truth`]: a symmetric relation with its
/// lower entity first.
fn truth_key(
    symmetric: &BTreeSet<String>,
    relation: &str,
    s: usize,
    o: String,
) -> (usize, String, String) {
    if symmetric.contains(relation) {
        if let Some(e) = o.strip_prefix('e').and_then(|e| e.parse::<usize>().ok()) {
            if e < s {
                return (e, relation.to_string(), format!("e{s}"));
            }
        }
    }
    (s, relation.to_string(), o)
}

impl TrainingDoc {
    fn new(extractor: &Extractor, article: Article, annotation: Annotation) -> Result<TrainingDoc> {
        let extraction = extractor.extract_with(article, extractor.known_names(), None)?;
        let sentences = extractor.analyze(&extraction.article)?;
        let res = Resolution {
            entities: extraction.entities.clone(),
            mention_entity: extraction.mention_entity.clone(),
        };
        let lexicon = extractor.rules().ner.lexicon.as_deref();
        let candidates = candidates(
            &sentences,
            &extraction.mentions,
            &extraction.values,
            &res,
            lexicon,
        );
        drop(sentences);
        let mut doc = TrainingDoc {
            annotation,
            extraction,
            candidates,
            labels: Vec::new(),
            truth: BTreeSet::new(),
        };
        doc.label(&extractor.rules().vocabulary.symmetric);
        Ok(doc)
    }

    fn label(&mut self, symmetric: &BTreeSet<String>) {
        let ex = &self.extraction;
        let mut labels = Vec::with_capacity(self.candidates.len());
        let mut truth = BTreeSet::new();
        match &self.annotation {
            Annotation::Jacred(doc) => {
                let vm = VertexMap::new(doc, ex);
                let spans = doc.sentence_spans();
                // (head, relation, tail, evidence spans)
                let gold: Vec<(usize, &str, usize, Evidence)> = doc
                    .labels
                    .iter()
                    .filter_map(|l| {
                        let (h, r, t) = doc.mapped_label(l)?;
                        let ev = l.evidence.iter().filter_map(|&i| spans.get(i).copied());
                        Some((h, r, t, ev.collect()))
                    })
                    .collect();
                for c in &self.candidates {
                    let xs = vm.entity(c.subject);
                    let ys = match c.object {
                        Arg::Entity(e) => vm.entity(e).to_vec(),
                        Arg::Value(v) => vm.literal(&ex.values[v].value),
                    };
                    let sent = &ex.sentences[c.sentence];
                    let (mut holds, mut neutral) = (Vec::new(), Vec::new());
                    for (h, r, t, ev) in &gold {
                        let both_ways = SYMMETRIC.contains(r);
                        let pair = xs.contains(h) && ys.contains(t)
                            || both_ways && xs.contains(t) && ys.contains(h);
                        if !pair {
                            continue;
                        }
                        truth.insert(truth_key(
                            symmetric,
                            r,
                            c.subject,
                            object_key(&ex.values, c.object),
                        ));
                        let here = ev.is_empty()
                            || ev.iter().any(|&(a, b)| a < sent.end && sent.start < b);
                        let list = if here { &mut holds } else { &mut neutral };
                        if !list.contains(&r.to_string()) {
                            list.push(r.to_string());
                        }
                    }
                    neutral.retain(|r| !holds.contains(r));
                    labels.push((holds, neutral));
                }
            }
            Annotation::Gold(gold) => {
                let ids = entity_ids(ex, &gold.entities);
                for c in &self.candidates {
                    let x = Side::Ids(ids[c.subject].clone());
                    let y = match c.object {
                        Arg::Entity(e) => Side::Ids(ids[e].clone()),
                        Arg::Value(v) => Side::Literal(ex.values[v].value.clone()),
                    };
                    let matching = |facts: &[GoldFact]| -> Vec<String> {
                        let mut out: Vec<String> = facts
                            .iter()
                            .filter(|g| {
                                g.s.matches(&x) && g.o.matches(&y)
                                    || symmetric.contains(&g.p)
                                        && g.s.matches(&y)
                                        && g.o.matches(&x)
                            })
                            .map(|g| g.p.clone())
                            .collect();
                        out.sort();
                        out.dedup();
                        out
                    };
                    let holds = matching(&gold.facts);
                    let mut neutral = matching(&gold.optional);
                    neutral.retain(|r| !holds.contains(r));
                    for r in &holds {
                        truth.insert(truth_key(
                            symmetric,
                            r,
                            c.subject,
                            object_key(&ex.values, c.object),
                        ));
                    }
                    labels.push((holds, neutral));
                }
            }
        }
        self.labels = labels;
        self.truth = truth;
    }

    /// The extraction with the model's facts added to the rules'.
    fn with_model(&self, model: &RelationModel, settings: &ModelSettings) -> Extraction {
        let scored = model::score(
            model,
            &self.candidates,
            &self.extraction.values,
            settings.lowest(),
        );
        self.with_scored(model, &scored, &|r| settings.threshold_of(r))
    }

    fn with_scored(
        &self,
        model: &RelationModel,
        scored: &[model::Scored],
        threshold: &dyn Fn(&str) -> f32,
    ) -> Extraction {
        let mut ex = self.extraction.clone();
        let span = |i: usize| ex.sentences.get(i).map(|s| (s.start, s.end));
        let added = model::to_facts(model, scored, span, &ex.values, threshold, &ex.facts);
        ex.facts.extend(added);
        ex
    }
}

/// Reads annotated files and runs each document through the pipeline: files
/// named `*.gold.json` are gold files (their articles read as scored), any
/// other is a JacRED/DocRED file. Documents are prepared in parallel and kept
/// in input order.
pub fn prepare(extractor: &Extractor, paths: &[PathBuf]) -> Result<Vec<TrainingDoc>> {
    let mut jobs: Vec<(Article, Annotation)> = Vec::new();
    let golds: Vec<PathBuf> = paths
        .iter()
        .filter(|p| p.to_string_lossy().ends_with(".gold.json"))
        .cloned()
        .collect();
    for path in paths {
        if golds.contains(path) {
            continue;
        }
        for doc in read_jacred(path)? {
            jobs.push((doc.article(), Annotation::Jacred(Box::new(doc))));
        }
    }
    for (gold_path, article_path) in super::pair_inputs(&golds).unwrap_or_default() {
        let gold = read_gold(&gold_path)?;
        let article = Article::read(&article_path, gold.layout.unwrap_or_default())?;
        jobs.push((article, Annotation::Gold(Box::new(gold))));
    }
    if !golds.is_empty() && !jobs.iter().any(|j| matches!(j.1, Annotation::Gold(_))) {
        return Err(Error::Usage("train-re: no gold file could be read".into()));
    }
    jobs.into_par_iter()
        .map(|(article, annotation)| TrainingDoc::new(extractor, article, annotation))
        .collect()
}

/// Relations the scorer learns: those the training documents state for at
/// least [`MIN_FACTS`] pairs, in name order; literal when their objects are
/// dates, symmetric as the vocabulary declares them.
pub fn classes_for(docs: &[&TrainingDoc], vocabulary: &Vocabulary) -> Vec<RelationClass> {
    let mut count: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for d in docs {
        for (_, r, o) in &d.truth {
            let c = count.entry(r.as_str()).or_default();
            c.0 += 1;
            c.1 += o.starts_with('v') as usize;
        }
    }
    count
        .into_iter()
        .filter(|(_, (n, _))| *n >= MIN_FACTS)
        .map(|(r, (n, dates))| RelationClass {
            relation: r.to_string(),
            literal: 2 * dates > n,
            symmetric: vocabulary.symmetric.contains(r),
        })
        .collect()
}

/// Fewest annotated pairs for a relation to be learnt at all.
pub const MIN_FACTS: usize = 8;

fn examples(docs: &[&TrainingDoc], classes: &[RelationClass]) -> Vec<Example> {
    let index = |r: &String| -> Option<u16> {
        classes
            .iter()
            .position(|c| &c.relation == r)
            .map(|i| i as u16 + 1)
    };
    let mut out = Vec::new();
    for d in docs {
        for (c, (holds, neutral)) in d.candidates.iter().zip(&d.labels) {
            out.push(Example {
                features: c.features.clone(),
                gold: holds.iter().filter_map(index).collect(),
                neutral: neutral.iter().filter_map(index).collect(),
            });
        }
    }
    out
}

/// A trained scorer with its thresholds, chosen on held-out folds.
pub struct Fitted {
    pub model: RelationModel,
    /// The one threshold of best held-out F1 ([`choose_threshold`]).
    pub threshold: f32,
    /// Each relation's own ([`relation_thresholds`]); 1 asserts none.
    pub thresholds: BTreeMap<String, f32>,
    /// Micro F1 of rules and model on the held-out folds at those thresholds.
    pub held_out_f1: f64,
    /// Held-out scores at every threshold tried.
    pub table: Vec<ThresholdRow>,
}

/// How a scorer is fitted.
#[derive(Debug, Clone, Copy)]
pub struct FitSettings {
    pub training: Settings,
    /// Folds that give the held-out margins for the confidence curve and the threshold.
    pub inner_folds: usize,
    /// Least held-out precision on the gold files the threshold must keep
    /// ([`choose_threshold`]).
    pub gold_precision: f64,
}

impl Default for FitSettings {
    fn default() -> Self {
        FitSettings {
            training: Settings::default(),
            inner_folds: 5,
            gold_precision: 0.85,
        }
    }
}

/// Thresholds tried, as confidences.
fn threshold_grid() -> Vec<f32> {
    (1..=19).map(|i| i as f32 * 0.05).collect()
}

/// Trains a scorer on `docs`: fits its confidence curve and picks its
/// threshold on `inner_folds` held-out folds, then trains on all of them.
pub fn fit(docs: &[&TrainingDoc], vocabulary: &Vocabulary, s: FitSettings) -> Fitted {
    let classes = classes_for(docs, vocabulary);
    let k = s.inner_folds.max(2);
    // Held-out scores of each document, from a scorer trained without it.
    let held: Vec<(usize, RelationModel, Vec<Vec<model::Scored>>)> = (0..k)
        .into_par_iter()
        .map(|fold| {
            let train: Vec<&TrainingDoc> = docs
                .iter()
                .enumerate()
                .filter(|(i, _)| i % k != fold)
                .map(|(_, d)| *d)
                .collect();
            let ex = examples(&train, &classes);
            let refs: Vec<&Example> = ex.iter().collect();
            let m = trainer::train(&refs, classes.clone(), s.training);
            let scored = docs
                .iter()
                .enumerate()
                .filter(|(i, _)| i % k == fold)
                .map(|(_, d)| model::score(&m, &d.candidates, &d.extraction.values, 0.0))
                .collect();
            (fold, m, scored)
        })
        .collect();
    // The confidence curve over held-out margins (as the identity curve's
    // confidences) and whether each fact was right.
    let mut points: Vec<Vec<(f32, bool)>> = vec![Vec::new(); classes.len()];
    let mut per_doc: Vec<Option<(usize, Vec<model::Scored>)>> =
        (0..docs.len()).map(|_| None).collect();
    for (fold, _, scored) in &held {
        let idx = (0..docs.len()).filter(|i| i % k == *fold);
        for (i, sc) in idx.zip(scored) {
            let d = docs[i];
            for x in sc {
                let m = x.margin;
                let rel = &classes[x.class].relation;
                let right = d.truth.contains(&truth_key(
                    &vocabulary.symmetric,
                    rel,
                    x.subject,
                    object_key(&d.extraction.values, x.object),
                ));
                points[x.class].push((m, right));
            }
            per_doc[i] = Some((*fold, sc.clone()));
        }
    }
    let calibration: Vec<(f32, f32)> = points.iter().map(|p| trainer::calibrate(p)).collect();
    let curve = |class: usize, m: f32| {
        let (a, b) = calibration[class];
        1.0 / (1.0 + (-(a * m + b)).exp())
    };
    // Rescore with the fitted curve, then try each threshold on rules and
    // model together.
    let grid = threshold_grid();
    let lowest = grid[0];
    let rescored: Vec<Vec<model::Scored>> = per_doc
        .into_iter()
        .map(|p| {
            p.map(|(_, sc)| {
                sc.into_iter()
                    .map(|mut x| {
                        x.confidence = curve(x.class, x.margin);
                        x
                    })
                    .filter(|x| x.confidence >= lowest)
                    .collect()
            })
            .unwrap_or_default()
        })
        .collect();
    let fold_of = |i: usize| i % k;
    let reports_at = |threshold: &dyn Fn(&str) -> f32| {
        let extractions: Vec<Extraction> = docs
            .iter()
            .enumerate()
            .map(|(i, d)| d.with_scored(&held[fold_of(i)].1, &rescored[i], threshold))
            .collect();
        reports(docs, &extractions, vocabulary)
    };
    // Per relation, its counts on every document and on the gold files, at
    // each threshold of the grid and, last, with the rules alone (no
    // confidence reaches 2).
    let mut per_relation: Vec<(f32, RelationCounts, RelationCounts)> = Vec::new();
    let mut table = Vec::new();
    for t in grid.iter().copied().chain([2.0]) {
        let (j, g) = reports_at(&|_| t);
        per_relation.push((
            t.min(1.0),
            relation_counts(&j, &g, true),
            relation_counts(&j, &g, false),
        ));
        if t > 1.0 {
            break;
        }
        table.push(ThresholdRow {
            threshold: t,
            all: Score::pool(j.iter().map(|r| &r.micro).chain(g.iter().map(|r| &r.micro))),
            jacred: j.map(|r| r.micro),
            gold: g.map(|r| r.micro),
            gold_added: None,
        });
    }
    let rules_gold = per_relation.last().map(|r| total(r.2.values()));
    for (row, (_, _, gold)) in table.iter_mut().zip(&per_relation) {
        let [tp, fp, ..] = total(gold.values());
        let [rtp, rfp, ..] = rules_gold.unwrap_or_default();
        if rules_gold.is_some_and(|r| r[3] > 0) {
            let (tp, fp) = (tp.saturating_sub(rtp), fp.saturating_sub(rfp));
            row.gold_added = Some(Score::new(tp, fp, tp, tp));
        }
    }
    let best = choose_threshold(&table, s.gold_precision);
    let names: Vec<String> = classes.iter().map(|c| c.relation.clone()).collect();
    let thresholds = relation_thresholds(&names, &per_relation, best.threshold, s.gold_precision);
    let (j, g) = reports_at(&|r| thresholds.get(r).copied().unwrap_or(best.threshold));
    let held_out = Score::pool(j.iter().map(|r| &r.micro).chain(g.iter().map(|r| &r.micro)));
    let ex = examples(docs, &classes);
    let refs: Vec<&Example> = ex.iter().collect();
    let mut model = trainer::train(&refs, classes, s.training);
    model.set_calibration(calibration);
    Fitted {
        model,
        threshold: best.threshold,
        thresholds,
        held_out_f1: held_out.f1,
        table,
    }
}

impl Fitted {
    /// `[model]` settings with these thresholds and the given floor.
    pub fn settings(&self, floor: f32) -> ModelSettings {
        ModelSettings {
            enabled: true,
            threshold: self.threshold,
            floor,
            thresholds: self.thresholds.clone(),
        }
    }
}

/// The JacRED report of the JacRED documents and the gold report of the gold
/// files, each when there are any.
fn reports(
    docs: &[&TrainingDoc],
    extractions: &[Extraction],
    vocabulary: &Vocabulary,
) -> (Option<JacredReport>, Option<super::EvalReport>) {
    let mut jdocs = Vec::new();
    let mut jex = Vec::new();
    let mut gold = Vec::new();
    for (d, ex) in docs.iter().zip(extractions) {
        match &d.annotation {
            Annotation::Jacred(j) => {
                jdocs.push((**j).clone());
                jex.push(ex.clone());
            }
            Annotation::Gold(g) => gold.push((ex.clone(), (**g).clone())),
        }
    }
    let j = (!jdocs.is_empty()).then(|| {
        let mut it = jex.into_iter();
        score_jacred(&jdocs, |_| {
            Ok(it.next().expect("one extraction per document"))
        })
        .expect("scoring prepared extractions does not fail")
    });
    let g = (!gold.is_empty()).then(|| score_extractions(&gold, vocabulary));
    (j, g)
}

/// The result of `musubi eval-jacred --folds K`.
#[derive(Debug, Clone, Serialize)]
pub struct RelationCrossValidation {
    pub folds: usize,
    /// Documents added to every fold's training data and never scored.
    pub extra_training_documents: usize,
    /// The threshold each fold's scorer chose on its own training folds.
    pub thresholds: Vec<f32>,
    /// The rules alone on the same documents.
    pub rules_only: JacredReport,
    /// Rules and the held-out scorer together.
    pub rules_and_model: JacredReport,
    /// Per relation, where its labels are lost on the way to the scorer.
    pub reach: BTreeMap<String, Reach>,
}

impl RelationCrossValidation {
    pub fn to_text(&self) -> String {
        let mut out = format!(
            "{} documents, {}-fold (each scored by a model trained on the other folds{}); thresholds {}\n",
            self.rules_only.documents,
            self.folds,
            if self.extra_training_documents > 0 {
                format!(" and {} extra documents", self.extra_training_documents)
            } else {
                String::new()
            },
            self.thresholds
                .iter()
                .map(|t| format!("{t:.2}"))
                .collect::<Vec<_>>()
                .join(" ")
        );
        out.push_str(&format!(
            "rules only     micro  {}\n",
            self.rules_only.micro
        ));
        out.push_str(&format!(
            "rules + model  micro  {}\n",
            self.rules_and_model.micro
        ));
        out.push_str("per relation (rules only | rules + model):\n");
        let empty = Score::default();
        for (r, s) in &self.rules_and_model.per_relation {
            let before = self.rules_only.per_relation.get(r).unwrap_or(&empty);
            out.push_str(&format!(
                "  {:<16} F1 {:.3} | P {:.3}  R {:.3}  F1 {:.3}  (tp {}, fp {}, fn {})\n",
                r,
                before.f1,
                s.precision,
                s.recall,
                s.f1,
                s.true_positives,
                s.false_positives,
                s.false_negatives
            ));
        }
        out.push_str(&Reach::table(&self.reach));
        out
    }
}

/// k-fold cross-validation of rules + scorer on a JacRED file: document i is
/// in fold i mod k; each fold is scored by a scorer fitted (threshold
/// included) on the other folds and the `extra` documents. The rules alone
/// are scored on the same documents.
pub fn cross_validate(
    extractor: &Extractor,
    path: &Path,
    k: usize,
    extra: &[PathBuf],
    s: FitSettings,
) -> Result<RelationCrossValidation> {
    let folds = cross_fold(extractor, &[path.to_path_buf()], k, extra, s)?;
    let vocabulary = &extractor.rules().vocabulary;
    let all: Vec<&TrainingDoc> = folds.docs.iter().collect();
    let rules: Vec<Extraction> = folds.docs.iter().map(|d| d.extraction.clone()).collect();
    let none = || Error::Usage("no JacRED document to score".into());
    Ok(RelationCrossValidation {
        folds: k,
        extra_training_documents: folds.extra,
        rules_only: reports(&all, &rules, vocabulary).0.ok_or_else(none)?,
        rules_and_model: reports(&all, &folds.with_model, vocabulary)
            .0
            .ok_or_else(none)?,
        reach: reach::reach(&folds.docs, &folds.with_model),
        thresholds: folds.thresholds,
    })
}

/// Documents cross-validated: document i is in fold i mod k and scored by a
/// scorer fitted (threshold included) on the other folds and the `extra`
/// documents, which are never scored.
struct Folds {
    docs: Vec<TrainingDoc>,
    /// How many extra documents every fold trained on.
    extra: usize,
    /// Each document's extraction with its held-out scorer's facts.
    with_model: Vec<Extraction>,
    /// Each fold's threshold.
    thresholds: Vec<f32>,
}

fn cross_fold(
    extractor: &Extractor,
    paths: &[PathBuf],
    k: usize,
    extra: &[PathBuf],
    s: FitSettings,
) -> Result<Folds> {
    if k < 2 {
        return Err(Error::Usage(
            "cross-validation needs at least 2 folds".into(),
        ));
    }
    let docs = prepare(extractor, paths)?;
    let more = prepare(extractor, extra)?;
    let vocabulary = &extractor.rules().vocabulary;
    let floor = extractor.rules().relations.model.floor;
    let mut thresholds = Vec::new();
    let mut merged: Vec<Option<Extraction>> = (0..docs.len()).map(|_| None).collect();
    for fold in 0..k {
        let train: Vec<&TrainingDoc> = docs
            .iter()
            .enumerate()
            .filter(|(i, _)| i % k != fold)
            .map(|(_, d)| d)
            .chain(&more)
            .collect();
        let fitted = fit(&train, vocabulary, s);
        thresholds.push(fitted.threshold);
        let settings = fitted.settings(floor);
        for (i, d) in docs.iter().enumerate().filter(|(i, _)| i % k == fold) {
            merged[i] = Some(d.with_model(&fitted.model, &settings));
        }
    }
    let with_model = merged
        .into_iter()
        .map(|e| e.expect("every fold scored"))
        .collect();
    Ok(Folds {
        docs,
        extra: more.len(),
        with_model,
        thresholds,
    })
}

/// The result of `musubi eval --folds K`: the gold files cross-validated.
#[derive(Debug, Clone, Serialize)]
pub struct GoldCrossValidation {
    pub folds: usize,
    /// Documents added to every fold's training data and never scored.
    pub extra_training_documents: usize,
    /// The rules alone on the same articles.
    pub rules_only: super::EvalReport,
    /// Rules and the held-out scorer together.
    pub rules_and_model: super::EvalReport,
    /// What the scorer adds to the rules: its facts right and wrong (recall
    /// left at 1).
    pub added: Score,
}

impl GoldCrossValidation {
    pub fn to_text(&self) -> String {
        let mut out = format!(
            "{} articles, {}-fold (each scored by a model trained on the other folds and {} extra documents)\n",
            self.rules_only.per_article.len(),
            self.folds,
            self.extra_training_documents
        );
        out.push_str(&format!(
            "rules only     micro  {}\n",
            self.rules_only.micro
        ));
        out.push_str(&format!(
            "rules + model  micro  {}\n",
            self.rules_and_model.micro
        ));
        out.push_str(&format!(
            "model's own facts: P {:.3}  (right {}, wrong {})\n",
            self.added.precision, self.added.true_positives, self.added.false_positives
        ));
        out.push_str(&self.rules_and_model.to_text());
        out
    }
}

/// k-fold cross-validation of rules + scorer on gold files (article i in fold
/// i mod k), each fold's scorer fitted on the other folds and the `extra`
/// documents (JacRED): how right what the scorer adds to news is, measured on
/// articles it never saw.
pub fn cross_validate_gold(
    extractor: &Extractor,
    golds: &[PathBuf],
    k: usize,
    extra: &[PathBuf],
    s: FitSettings,
) -> Result<GoldCrossValidation> {
    let folds = cross_fold(extractor, golds, k, extra, s)?;
    let vocabulary = &extractor.rules().vocabulary;
    let all: Vec<&TrainingDoc> = folds.docs.iter().collect();
    let rules: Vec<Extraction> = folds.docs.iter().map(|d| d.extraction.clone()).collect();
    let none = || Error::Usage("no gold file to score".into());
    let rules_only = reports(&all, &rules, vocabulary).1.ok_or_else(none)?;
    let rules_and_model = reports(&all, &folds.with_model, vocabulary)
        .1
        .ok_or_else(none)?;
    let (r, m) = (&rules_only.micro, &rules_and_model.micro);
    let tp = m.true_positives.saturating_sub(r.true_positives);
    let fp = m.false_positives.saturating_sub(r.false_positives);
    Ok(GoldCrossValidation {
        folds: k,
        extra_training_documents: folds.extra,
        added: Score::new(tp, fp, tp, tp),
        rules_only,
        rules_and_model,
    })
}

/// `musubi train-re`: fits a scorer on all the given files.
pub fn train_relation_model(
    extractor: &Extractor,
    paths: &[PathBuf],
    s: FitSettings,
) -> Result<Fitted> {
    let docs = prepare(extractor, paths)?;
    if docs.is_empty() {
        return Err(Error::Usage("train-re: no annotated document".into()));
    }
    let refs: Vec<&TrainingDoc> = docs.iter().collect();
    Ok(fit(&refs, &extractor.rules().vocabulary, s))
}
