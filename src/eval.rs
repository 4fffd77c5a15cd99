//! Scoring extracted facts against gold annotations: the project's own gold
//! format (`*.gold.json`, see ../shared/data/dev) and JacRED (DocRED format).
//!
//! Extracted entities are mapped to gold entities by name: an entity matches a
//! gold entity when its label or one of its aliases equals one of the gold
//! aliases after NFKC (and the name key of [`crate::entities::name_key`]).
//! Open facts are not scored (their relations are not in the vocabulary); facts
//! with `asserted: false` are scored like the others, since the gold files
//! annotate announced plans as facts.
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::document::{Extraction, Fact, Object};
use crate::entities::name_key;
use crate::error::{Error, Result};
use crate::extract::Extractor;
use crate::text::{Article, Layout};

/// Precision, recall and F1 with the counts behind them.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Score {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    /// Predicted facts that match a required fact.
    pub true_positives: usize,
    /// Predicted facts that match neither a required nor an optional fact.
    pub false_positives: usize,
    /// Required facts no prediction matched.
    pub false_negatives: usize,
    /// Required facts some prediction matched, and all required facts: what
    /// pooling several scores needs.
    #[serde(skip)]
    found: usize,
    #[serde(skip)]
    required: usize,
}

impl Score {
    fn new(tp_pred: usize, fp: usize, found: usize, required: usize) -> Score {
        let precision = ratio(tp_pred, tp_pred + fp);
        let recall = ratio(found, required);
        let f1 = if precision + recall > 0.0 {
            2.0 * precision * recall / (precision + recall)
        } else {
            0.0
        };
        Score {
            precision,
            recall,
            f1,
            true_positives: tp_pred,
            false_positives: fp,
            false_negatives: required - found,
            found,
            required,
        }
    }

    /// The score of several scored sets taken together (micro-averaged).
    pub fn pool<'a>(scores: impl IntoIterator<Item = &'a Score>) -> Score {
        let (mut tp, mut fp, mut found, mut required) = (0, 0, 0, 0);
        for s in scores {
            tp += s.true_positives;
            fp += s.false_positives;
            found += s.found;
            required += s.required;
        }
        Score::new(tp, fp, found, required)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

// ---- project gold format ----------------------------------------------------

#[derive(Debug, Clone, Deserialize)]
pub struct GoldFile {
    pub article: String,
    pub entities: Vec<GoldEntity>,
    pub facts: Vec<GoldFact>,
    #[serde(default)]
    pub optional: Vec<GoldFact>,
    /// How the article file lays out its header lines: `plain` (the default)
    /// or `livedoor` (URL, date, title, body).
    #[serde(default)]
    pub layout: Option<String>,
}

impl GoldFile {
    /// The layout the gold file names for its article.
    pub fn article_layout(&self) -> std::result::Result<Layout, String> {
        match self.layout.as_deref() {
            None | Some("plain") => Ok(Layout::Plain),
            Some("livedoor") => Ok(Layout::Livedoor),
            Some(other) => Err(format!("unknown layout {other:?} (plain or livedoor)")),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct GoldEntity {
    pub id: String,
    #[serde(rename = "type")]
    pub etype: String,
    pub aliases: Vec<String>,
}

/// One id or a list of ids (any of them).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum GoldRef {
    One(String),
    Any(Vec<String>),
    Literal { literal: String },
}

#[derive(Debug, Clone, Deserialize)]
pub struct GoldFact {
    pub s: GoldRef,
    pub p: String,
    pub o: GoldRef,
}

impl GoldRef {
    fn matches(&self, side: &Side) -> bool {
        match (self, side) {
            (GoldRef::One(id), Side::Ids(ids)) => ids.contains(id),
            (GoldRef::Any(list), Side::Ids(ids)) => list.iter().any(|id| ids.contains(id)),
            (GoldRef::Literal { literal }, Side::Literal(v)) => {
                crate::text::normalize(literal).trim() == v
            }
            _ => false,
        }
    }
    fn text(&self) -> String {
        match self {
            GoldRef::One(id) => id.clone(),
            GoldRef::Any(list) => list.join("|"),
            GoldRef::Literal { literal } => format!("\"{literal}\""),
        }
    }
}

/// A side of a predicted fact in gold terms: the gold ids its entity matches,
/// or a literal value.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Side {
    Ids(BTreeSet<String>),
    Literal(String),
}

/// A fact as written in a report.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FactLine {
    pub article: String,
    pub subject: String,
    pub relation: String,
    pub object: String,
    /// The evidence sentence (predicted facts only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sentence: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ArticleScore {
    pub article: String,
    pub score: Score,
}

/// The result of `musubi eval`.
#[derive(Debug, Clone, Serialize)]
pub struct EvalReport {
    /// Micro-averaged over all articles.
    pub micro: Score,
    pub per_article: Vec<ArticleScore>,
    pub per_relation: BTreeMap<String, Score>,
    /// Required gold facts nothing matched.
    pub missed: Vec<FactLine>,
    /// Predicted facts that match no gold fact.
    pub wrong: Vec<FactLine>,
}

impl EvalReport {
    /// A plain-text rendering for the terminal.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let line = |s: &Score| {
            format!(
                "P {:.3}  R {:.3}  F1 {:.3}  (tp {}, fp {}, fn {})",
                s.precision, s.recall, s.f1, s.true_positives, s.false_positives, s.false_negatives
            )
        };
        out.push_str(&format!("micro  {}\n", line(&self.micro)));
        for a in &self.per_article {
            out.push_str(&format!("  {:<28} {}\n", a.article, line(&a.score)));
        }
        out.push_str("per relation:\n");
        for (r, s) in &self.per_relation {
            out.push_str(&format!("  {:<18} {}\n", r, line(s)));
        }
        if !self.missed.is_empty() {
            out.push_str("missed:\n");
            for f in &self.missed {
                out.push_str(&format!(
                    "  [{}] {} {} {}\n",
                    f.article, f.subject, f.relation, f.object
                ));
            }
        }
        if !self.wrong.is_empty() {
            out.push_str("wrong:\n");
            for f in &self.wrong {
                out.push_str(&format!(
                    "  [{}] {} {} {}  ({}; {})\n",
                    f.article,
                    f.subject,
                    f.relation,
                    f.object,
                    f.rule.as_deref().unwrap_or(""),
                    f.sentence.as_deref().unwrap_or("")
                ));
            }
        }
        out
    }
}

/// Reads a gold file.
pub fn read_gold(path: &Path) -> Result<GoldFile> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    serde_json::from_str(&text).map_err(|e| Error::bad_input(path, format!("not a gold file: {e}")))
}

/// The `*.gold.json` files of a folder, sorted.
pub fn gold_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
        let path = entry.map_err(|e| Error::io(dir, e))?.path();
        if path.to_string_lossy().ends_with(".gold.json") {
            out.push(path);
        }
    }
    out.sort();
    Ok(out)
}

/// Pairs gold files with their articles. Paths ending in `.gold.json` are gold
/// files; each is paired with the given article whose file name is the gold's
/// `article` field, or else with that file next to the gold file.
pub fn pair_inputs(paths: &[PathBuf]) -> Result<Vec<(PathBuf, PathBuf)>> {
    let (golds, articles): (Vec<&PathBuf>, Vec<&PathBuf>) = paths
        .iter()
        .partition(|p| p.to_string_lossy().ends_with(".gold.json"));
    if golds.is_empty() {
        return Err(Error::Other("eval: no *.gold.json file given".into()));
    }
    golds
        .into_iter()
        .map(|g| {
            let gold = read_gold(g)?;
            let named = articles.iter().find(|a| {
                a.file_name()
                    .is_some_and(|n| n.to_string_lossy() == gold.article)
            });
            let article = match named {
                Some(a) => (*a).clone(),
                None if articles.len() == 1 && paths.len() == 2 => articles[0].clone(),
                None => g.parent().unwrap_or(Path::new(".")).join(&gold.article),
            };
            if !article.exists() {
                return Err(Error::bad_input(
                    g,
                    format!("article {} not found", article.display()),
                ));
            }
            Ok((g.clone(), article))
        })
        .collect()
}

/// Maps each extracted entity to the gold ids it matches by name.
fn entity_ids(ex: &Extraction, gold: &[GoldEntity]) -> Vec<BTreeSet<String>> {
    let gold_keys: Vec<(String, BTreeSet<String>)> = gold
        .iter()
        .map(|g| {
            (
                g.id.clone(),
                g.aliases.iter().map(|a| name_key(a)).collect(),
            )
        })
        .collect();
    ex.entities
        .iter()
        .map(|e| {
            let keys: BTreeSet<String> = e
                .aliases
                .iter()
                .chain(std::iter::once(&e.label))
                .map(|a| name_key(a))
                .collect();
            gold_keys
                .iter()
                .filter(|(_, g)| !g.is_disjoint(&keys))
                .map(|(id, _)| id.clone())
                .collect()
        })
        .collect()
}

fn side_of(ex: &Extraction, ids: &[BTreeSet<String>], o: &Object) -> Side {
    match o {
        Object::Entity(e) => Side::Ids(ids[*e].clone()),
        Object::Literal { value, .. } => Side::Literal(value.trim().to_string()),
    }
    .or_label(ex, o)
}

trait OrLabel {
    fn or_label(self, ex: &Extraction, o: &Object) -> Self;
}
impl OrLabel for Side {
    /// An entity that matches no gold entity is named by its label, so that
    /// distinct unmatched entities stay distinct.
    fn or_label(self, ex: &Extraction, o: &Object) -> Self {
        match (&self, o) {
            (Side::Ids(ids), Object::Entity(e)) if ids.is_empty() => {
                Side::Ids(BTreeSet::from([format!("?{}", ex.entities[*e].label)]))
            }
            _ => self,
        }
    }
}

fn side_text(s: &Side) -> String {
    match s {
        Side::Ids(ids) => ids.iter().cloned().collect::<Vec<_>>().join("|"),
        Side::Literal(v) => format!("\"{v}\""),
    }
}

struct Counts {
    tp: usize,
    fp: usize,
    found: usize,
    required: usize,
}

/// Scores one extraction against one gold file; adds to the per-relation counts
/// and the missed/wrong lists.
fn score_article(
    name: &str,
    ex: &Extraction,
    gold: &GoldFile,
    per_rel: &mut BTreeMap<String, Counts>,
    missed: &mut Vec<FactLine>,
    wrong: &mut Vec<FactLine>,
) -> Counts {
    let ids = entity_ids(ex, &gold.entities);
    // Predicted facts in gold terms, once each.
    let mut predicted: BTreeMap<(Side, String, Side), (String, String)> = BTreeMap::new();
    for f in ex.facts.iter().filter(|f| is_prediction(f)) {
        let s = side_of(ex, &ids, &Object::Entity(f.subject));
        let o = side_of(ex, &ids, &f.object);
        let sentence = ex
            .sentences
            .get(f.sentence)
            .map(|s| s.text.clone())
            .unwrap_or_default();
        // Either direction of a symmetric relation is one fact.
        let key = if SYMMETRIC.contains(&f.relation.as_str()) && o < s {
            (o, f.relation.clone(), s)
        } else {
            (s, f.relation.clone(), o)
        };
        predicted.entry(key).or_insert((sentence, f.rule.clone()));
    }
    let matches = |g: &GoldFact, (s, p, o): &(Side, String, Side)| {
        g.p == *p
            && (g.s.matches(s) && g.o.matches(o)
                || SYMMETRIC.contains(&p.as_str()) && g.s.matches(o) && g.o.matches(s))
    };
    let mut found = vec![false; gold.facts.len()];
    let mut c = Counts {
        tp: 0,
        fp: 0,
        found: 0,
        required: gold.facts.len(),
    };
    for (key, (sentence, rule)) in &predicted {
        let rel = per_rel.entry(key.1.clone()).or_insert(Counts {
            tp: 0,
            fp: 0,
            found: 0,
            required: 0,
        });
        let hits: Vec<usize> = (0..gold.facts.len())
            .filter(|&i| matches(&gold.facts[i], key))
            .collect();
        if !hits.is_empty() {
            c.tp += 1;
            rel.tp += 1;
            for i in hits {
                found[i] = true;
            }
        } else if gold.optional.iter().any(|g| matches(g, key)) {
            continue;
        } else {
            c.fp += 1;
            rel.fp += 1;
            wrong.push(FactLine {
                article: name.to_string(),
                subject: side_text(&key.0),
                relation: key.1.clone(),
                object: side_text(&key.2),
                sentence: Some(sentence.clone()),
                rule: Some(rule.clone()),
            });
        }
    }
    for (i, g) in gold.facts.iter().enumerate() {
        let rel = per_rel.entry(g.p.clone()).or_insert(Counts {
            tp: 0,
            fp: 0,
            found: 0,
            required: 0,
        });
        rel.required += 1;
        if found[i] {
            c.found += 1;
            rel.found += 1;
        } else {
            missed.push(FactLine {
                article: name.to_string(),
                subject: g.s.text(),
                relation: g.p.clone(),
                object: g.o.text(),
                sentence: None,
                rule: None,
            });
        }
    }
    c
}

/// `musubi eval`: extracts each article and scores it against its gold file.
pub fn eval_gold(extractor: &Extractor, pairs: &[(PathBuf, PathBuf)]) -> Result<EvalReport> {
    let mut items = Vec::new();
    for (gold_path, article_path) in pairs {
        let gold = read_gold(gold_path)?;
        let layout = gold
            .article_layout()
            .map_err(|problem| Error::bad_input(gold_path, problem))?;
        let article = Article::read(article_path, layout)?;
        items.push((extractor.extract(article)?, gold));
    }
    Ok(score_extractions(&items))
}

/// Scores extractions against their gold files, micro-averaged.
pub fn score_extractions(items: &[(Extraction, GoldFile)]) -> EvalReport {
    let mut per_rel = BTreeMap::new();
    let mut missed = Vec::new();
    let mut wrong = Vec::new();
    let mut per_article = Vec::new();
    let (mut tp, mut fp, mut found, mut required) = (0, 0, 0, 0);
    for (ex, gold) in items {
        let c = score_article(
            &gold.article,
            ex,
            gold,
            &mut per_rel,
            &mut missed,
            &mut wrong,
        );
        per_article.push(ArticleScore {
            article: gold.article.clone(),
            score: Score::new(c.tp, c.fp, c.found, c.required),
        });
        tp += c.tp;
        fp += c.fp;
        found += c.found;
        required += c.required;
    }
    EvalReport {
        micro: Score::new(tp, fp, found, required),
        per_article,
        per_relation: per_rel
            .into_iter()
            .map(|(r, c)| (r, Score::new(c.tp, c.fp, c.found, c.required)))
            .collect(),
        missed,
        wrong,
    }
}

// ---- JacRED -------------------------------------------------------------------

pub mod relation_model;

#[derive(Debug, Clone, Deserialize)]
pub struct JacredDoc {
    #[serde(default)]
    pub title: String,
    pub sents: Vec<Vec<String>>,
    #[serde(rename = "vertexSet")]
    pub vertex_set: Vec<Vec<JacredMention>>,
    #[serde(default)]
    pub labels: Vec<JacredLabel>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct JacredMention {
    pub name: String,
    #[serde(rename = "type", default)]
    pub etype: String,
    #[serde(default)]
    pub sent_id: usize,
    /// Token range in the sentence.
    #[serde(default)]
    pub pos: Vec<usize>,
}

impl JacredDoc {
    /// The article the document's tokens spell (title on the first line).
    pub fn article(&self) -> Article {
        let body: String = self.sents.iter().map(|s| s.concat()).collect();
        let raw = if self.title.is_empty() {
            body
        } else {
            format!("{}\n{}", self.title, body)
        };
        Article::from_text(&raw, Layout::Plain, None)
    }

    /// Character spans of the vertex mentions in [`JacredDoc::article`]'s text:
    /// (vertex, start, end, type).
    pub fn mention_spans(&self) -> Vec<(usize, usize, usize, String)> {
        let token_starts = self.token_starts();
        let mut out = Vec::new();
        for (v, mentions) in self.vertex_set.iter().enumerate() {
            for m in mentions {
                let (Some(starts), [a, b, ..]) = (token_starts.get(m.sent_id), m.pos.as_slice())
                else {
                    continue;
                };
                if let (Some(&s), Some(&e)) = (starts.get(*a), starts.get(*b)) {
                    out.push((v, s, e, m.etype.clone()));
                }
            }
        }
        out
    }
}

impl JacredDoc {
    /// Per sentence, the character offset of each token in
    /// [`JacredDoc::article`]'s text, and of the sentence's end.
    fn token_starts(&self) -> Vec<Vec<usize>> {
        let norm = |s: &str| crate::text::normalize(s).chars().count();
        let mut offset = if self.title.is_empty() {
            0
        } else {
            norm(&self.title) + 1
        };
        let mut token_starts: Vec<Vec<usize>> = Vec::new();
        for sent in &self.sents {
            let mut starts = Vec::new();
            for tok in sent {
                starts.push(offset);
                offset += norm(tok);
            }
            starts.push(offset);
            token_starts.push(starts);
        }
        token_starts
    }

    /// Character spans of the document's sentences in [`JacredDoc::article`]'s text.
    pub fn sentence_spans(&self) -> Vec<(usize, usize)> {
        self.token_starts()
            .iter()
            .map(|s| (s[0], s[s.len() - 1]))
            .collect()
    }

    /// A label (head, relation, tail in our terms) as a report line, when one
    /// sentence names both its head and its tail.
    fn local_label(&self, (h, rel, t): &(usize, &str, usize)) -> Option<FactLine> {
        let (hs, ts) = (self.vertex_set.get(*h)?, self.vertex_set.get(*t)?);
        let m = hs
            .iter()
            .find(|m| ts.iter().any(|n| n.sent_id == m.sent_id))?;
        Some(FactLine {
            article: self.title.clone(),
            subject: m.name.clone(),
            relation: rel.to_string(),
            object: ts[0].name.clone(),
            sentence: self.sents.get(m.sent_id).map(|s| s.concat()),
            rule: None,
        })
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct JacredLabel {
    pub h: usize,
    pub t: usize,
    pub r: String,
    /// The sentences that state it (none given: any).
    #[serde(default)]
    pub evidence: Vec<usize>,
}

/// Our relation for a JacRED (Wikidata) property, and whether head and tail
/// swap. Only these properties are scored; the others (P937 work location,
/// P1441 present in work, P674 characters, P137 operator, P121 item operated,
/// P400 platform) have no relation in the vocabulary.
///
/// The vocabulary stores one direction of each inverse pair (part_of, not
/// has_part; owned_by, not owner of; follows, not followed by; capital_of, not
/// capital; child_of, not parent of), so a label of the other property counts
/// as the stored direction: `A P527 B` is `B part_of A`. When a document labels
/// both directions of one pair, that is one fact to find.
pub const JACRED_RELATIONS: [(&str, &str, bool); 32] = [
    ("P108", "works_for", false),
    ("P112", "founded", true),
    ("P361", "part_of", false),
    ("P527", "part_of", true),
    ("P463", "member_of", false),
    ("P127", "owned_by", false),
    ("P1830", "owned_by", true),
    ("P159", "headquartered_in", false),
    ("P131", "located_in", false),
    ("P276", "located_in", false),
    ("P166", "award_received", false),
    ("P6", "heads", true),
    ("P488", "heads", true),
    ("P571", "founded_in", false),
    ("P19", "born_in", false),
    ("P20", "died_in", false),
    ("P569", "born_on", false),
    ("P570", "died_on", false),
    ("P69", "educated_at", false),
    ("P27", "citizen_of", false),
    ("P26", "spouse_of", false),
    ("P40", "child_of", true),
    ("P3373", "sibling_of", false),
    ("P170", "created", true),
    ("P175", "performed_in", true),
    ("P123", "published", true),
    ("P1344", "participant_in", false),
    ("P710", "participant_in", true),
    ("P155", "follows", false),
    ("P156", "follows", true),
    ("P1376", "capital_of", false),
    ("P36", "capital_of", true),
];

/// Relations that hold both ways: a fact in either direction is the same fact.
pub const SYMMETRIC: [&str; 4] = ["spouse_of", "sibling_of", "partnered_with", "competes_with"];

/// Whether a fact is a prediction to score: a model fact below its threshold
/// (kept with `asserted: false` so that a user can still query it) is not;
/// a rule's unasserted fact (a plan, 〜を検討) is, since the gold files
/// annotate announced plans.
fn is_prediction(f: &Fact) -> bool {
    !f.open && (f.asserted || f.rule != crate::relations::model::RULE_ID)
}

impl JacredDoc {
    /// A label as (head, relation, tail) in the vocabulary's terms, when its
    /// property maps. A part of a place that is itself a place (P361/P527
    /// between two LOC vertices) is located_in: the vocabulary keeps part_of
    /// for units, subsidiaries and components, and places in places are
    /// located_in (see data/gold/livedoor/GUIDELINES.md). Symmetric relations
    /// put the lower vertex first.
    pub fn mapped_label(&self, l: &JacredLabel) -> Option<(usize, &'static str, usize)> {
        let (_, rel, inv) = JACRED_RELATIONS.iter().find(|(p, _, _)| *p == l.r)?;
        let (h, t) = if *inv { (l.t, l.h) } else { (l.h, l.t) };
        let is_place = |v: usize| {
            self.vertex_set
                .get(v)
                .and_then(|ms| ms.first())
                .is_some_and(|m| m.etype == "LOC")
        };
        let rel = if *rel == "part_of" && is_place(h) && is_place(t) {
            "located_in"
        } else {
            rel
        };
        Some(if SYMMETRIC.contains(&rel) && t < h {
            (t, rel, h)
        } else {
            (h, rel, t)
        })
    }
}

/// A date or year as the value reader writes it (`1985-03-02`, `1985-03`,
/// `1985`), read from a JacRED date vertex's name (1985年3月2日).
fn date_key(name: &str) -> Option<String> {
    let mut parts: Vec<(u32, char)> = Vec::new();
    let mut n: Option<u32> = None;
    for c in crate::text::normalize(name).chars() {
        match c.to_digit(10) {
            Some(d) => n = Some(n.unwrap_or(0).saturating_mul(10).saturating_add(d)),
            None => {
                if let Some(v) = n.take() {
                    parts.push((v, c));
                }
            }
        }
    }
    match parts.as_slice() {
        [(y, '年'), (m, '月'), (d, '日'), ..] => Some(format!("{y:04}-{m:02}-{d:02}")),
        [(y, '年'), (m, '月'), ..] => Some(format!("{y:04}-{m:02}")),
        [(y, '年'), ..] => Some(format!("{y:04}")),
        _ => None,
    }
}

/// The result of `musubi eval-jacred`.
#[derive(Debug, Clone, Serialize)]
pub struct JacredReport {
    pub documents: usize,
    pub micro: Score,
    pub per_relation: BTreeMap<String, Score>,
    /// Predicted facts that match no label, with their sentence and rule.
    pub wrong: Vec<FactLine>,
    /// Labels whose head and tail are named in one sentence and that nothing
    /// matched (labels that need several sentences are not listed).
    pub missed: Vec<FactLine>,
}

impl JacredReport {
    pub fn to_text(&self) -> String {
        let mut out = format!(
            "{} documents\nmicro  P {:.3}  R {:.3}  F1 {:.3}  (tp {}, fp {}, fn {})\n",
            self.documents,
            self.micro.precision,
            self.micro.recall,
            self.micro.f1,
            self.micro.true_positives,
            self.micro.false_positives,
            self.micro.false_negatives
        );
        for (r, s) in &self.per_relation {
            out.push_str(&format!(
                "  {:<18} P {:.3}  R {:.3}  F1 {:.3}  (tp {}, fp {}, fn {})\n",
                r,
                s.precision,
                s.recall,
                s.f1,
                s.true_positives,
                s.false_positives,
                s.false_negatives
            ));
        }
        out
    }
}

/// `musubi eval-jacred`: runs the extractor over each document's text and scores
/// the mapped relations. Predicted entities map to vertices whose mention names
/// equal one of their aliases.
pub fn eval_jacred(extractor: &Extractor, path: &Path) -> Result<JacredReport> {
    let docs = read_jacred(path)?;
    score_jacred(&docs, |doc| extractor.extract(doc.article()))
}

/// Reads a JacRED/DocRED file.
pub fn read_jacred(path: &Path) -> Result<Vec<JacredDoc>> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    serde_json::from_str(&text)
        .map_err(|e| Error::bad_input(path, format!("not a JacRED/DocRED file: {e}")))
}

/// Which vertices of a JacRED document the entities and values of an
/// extraction stand for.
pub(crate) struct VertexMap {
    /// Per entity, its vertices, sorted.
    entities: Vec<Vec<usize>>,
    /// Per vertex, the name keys and the dates of its mentions.
    keys: Vec<BTreeSet<String>>,
    dates: Vec<BTreeSet<String>>,
}

impl VertexMap {
    /// A predicted entity is a vertex when one of its names is one of the
    /// vertex's names, or one of its mentions covers exactly the characters
    /// of one of the vertex's mentions (names compared without the spaces the
    /// tokenised text lost: GenCorp Inc. / GenCorpInc.).
    pub(crate) fn new(doc: &JacredDoc, ex: &Extraction) -> VertexMap {
        let keys: Vec<BTreeSet<String>> = doc
            .vertex_set
            .iter()
            .map(|v| v.iter().map(|m| name_key(&m.name)).collect())
            .collect();
        let dates = doc
            .vertex_set
            .iter()
            .map(|v| v.iter().filter_map(|m| date_key(&m.name)).collect())
            .collect();
        let spans = doc.mention_spans();
        let mut entities: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); ex.entities.len()];
        for (m, e) in ex.mentions.iter().zip(&ex.mention_entity) {
            let Some(e) = *e else { continue };
            for (v, start, end, _) in &spans {
                if *start == m.start && *end == m.end {
                    entities[e].insert(*v);
                }
            }
        }
        for (e, ent) in ex.entities.iter().enumerate() {
            let names: BTreeSet<String> = ent
                .aliases
                .iter()
                .chain(std::iter::once(&ent.label))
                .map(|n| name_key(n))
                .collect();
            entities[e].extend((0..keys.len()).filter(|&i| !keys[i].is_disjoint(&names)));
        }
        VertexMap {
            entities: entities
                .into_iter()
                .map(|v| v.into_iter().collect())
                .collect(),
            keys,
            dates,
        }
    }

    pub(crate) fn entity(&self, e: usize) -> &[usize] {
        self.entities.get(e).map_or(&[], Vec::as_slice)
    }

    /// A date is the vertex that names the same day (or month, or year); a
    /// year also any vertex whose name holds it (2013年).
    pub(crate) fn literal(&self, value: &str) -> Vec<usize> {
        (0..self.keys.len())
            .filter(|&i| {
                self.dates[i].contains(value)
                    || value.len() == 4 && self.keys[i].iter().any(|k| k.contains(value))
            })
            .collect()
    }
}

/// Scores the extractions `extract` gives for each document.
pub fn score_jacred(
    docs: &[JacredDoc],
    mut extract: impl FnMut(&JacredDoc) -> Result<Extraction>,
) -> Result<JacredReport> {
    // Score only our relations that some mapped property of this file gives:
    // a relation the data set never annotates could only add false positives.
    let present: BTreeSet<&str> = docs
        .iter()
        .flat_map(|d| d.labels.iter().filter_map(|l| d.mapped_label(l)))
        .map(|(_, r, _)| r)
        .collect();
    let mut per_rel: BTreeMap<String, (usize, usize, usize, usize)> = BTreeMap::new();
    let (mut wrong, mut missed) = (Vec::new(), Vec::new());
    for doc in docs {
        let ex = extract(doc)?;
        let gold: BTreeSet<(usize, &str, usize)> = doc
            .labels
            .iter()
            .filter_map(|l| doc.mapped_label(l))
            .collect();
        let vertices = VertexMap::new(doc, &ex);
        let mut predicted: BTreeMap<(Vec<usize>, String, Vec<usize>), &Fact> = BTreeMap::new();
        for f in ex.facts.iter().filter(|f| is_prediction(f)) {
            if !present.contains(f.relation.as_str()) {
                continue;
            }
            let s = vertices.entity(f.subject).to_vec();
            let o: Vec<usize> = match &f.object {
                Object::Entity(e) => vertices.entity(*e).to_vec(),
                Object::Literal { value, .. } => vertices.literal(value),
            };
            // Either direction of a symmetric relation is one fact.
            let key = if SYMMETRIC.contains(&f.relation.as_str()) && o < s {
                (o, f.relation.clone(), s)
            } else {
                (s, f.relation.clone(), o)
            };
            predicted.entry(key).or_insert(f);
        }
        let mut found: BTreeSet<(usize, &str, usize)> = BTreeSet::new();
        for ((s, rel, o), fact) in &predicted {
            let entry = per_rel.entry(rel.clone()).or_default();
            let symmetric = SYMMETRIC.contains(&rel.as_str());
            let hits: Vec<&(usize, &str, usize)> = gold
                .iter()
                .filter(|(gh, gr, gt)| {
                    gr == rel
                        && (s.contains(gh) && o.contains(gt)
                            || symmetric && s.contains(gt) && o.contains(gh))
                })
                .collect();
            if hits.is_empty() {
                entry.1 += 1;
                let object = match &fact.object {
                    Object::Entity(e) => ex.entities[*e].label.clone(),
                    Object::Literal { value, .. } => format!("\"{value}\""),
                };
                wrong.push(FactLine {
                    article: doc.title.clone(),
                    subject: ex.entities[fact.subject].label.clone(),
                    relation: rel.clone(),
                    object,
                    sentence: ex.sentences.get(fact.sentence).map(|s| s.text.clone()),
                    rule: Some(fact.rule.clone()),
                });
            } else {
                entry.0 += 1;
                found.extend(hits);
            }
        }
        for g in &gold {
            let entry = per_rel.entry(g.1.to_string()).or_default();
            entry.3 += 1;
            if found.contains(g) {
                entry.2 += 1;
            } else if let Some(line) = doc.local_label(g) {
                missed.push(line);
            }
        }
    }
    let total = per_rel.values().fold((0, 0, 0, 0), |a, c| {
        (a.0 + c.0, a.1 + c.1, a.2 + c.2, a.3 + c.3)
    });
    Ok(JacredReport {
        documents: docs.len(),
        micro: Score::new(total.0, total.1, total.2, total.3),
        per_relation: per_rel
            .into_iter()
            .map(|(r, c)| (r, Score::new(c.0, c.1, c.2, c.3)))
            .collect(),
        wrong,
        missed,
    })
}
