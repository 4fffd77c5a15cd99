//! The project's gold format (`*.gold.json`, see ../shared/data/dev and
//! data/gold/livedoor/GUIDELINES.md): an article's entities with every spelling,
//! its required facts and the optional ones that are neither rewarded nor
//! penalised.
//!
//! Extracted entities are mapped to gold entities by name: an entity matches a
//! gold entity when its label or one of its aliases equals one of the gold
//! aliases after NFKC (and the name key of [`crate::names::name_key`]).
//! Open facts are not scored (their relations are not in the vocabulary), nor
//! are facts marked former (元社長: the guidelines leave former roles out); facts
//! with `asserted: false` are scored like the others, since the gold files
//! annotate announced plans as facts.
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{FactLine, Score};
use crate::document::{Extraction, Object};
use crate::error::{Error, Result};
use crate::extract::Extractor;
use crate::names::name_key;
use crate::text::{Article, Layout};
use crate::vocabulary::Vocabulary;

#[derive(Debug, Clone, Deserialize)]
pub struct GoldFile {
    /// The article's file, relative to the gold file.
    pub article: String,
    /// How the article lays out its header lines; `musubi eval --layout` when absent.
    #[serde(default)]
    pub layout: Option<Layout>,
    pub entities: Vec<GoldEntity>,
    pub facts: Vec<GoldFact>,
    #[serde(default)]
    pub optional: Vec<GoldFact>,
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
    pub(super) fn matches(&self, side: &Side) -> bool {
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
pub(super) enum Side {
    Ids(BTreeSet<String>),
    Literal(String),
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
    /// Required gold facts of relations the vocabulary does not define, left
    /// out of the scores.
    pub out_of_vocabulary: usize,
}

impl EvalReport {
    /// A plain-text rendering for the terminal.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        out.push_str(&format!("micro  {}\n", self.micro));
        if self.out_of_vocabulary > 0 {
            out.push_str(&format!(
                "  ({} required gold facts of relations the vocabulary lacks, not scored)\n",
                self.out_of_vocabulary
            ));
        }
        for a in &self.per_article {
            out.push_str(&format!("  {:<28} {}\n", a.article, a.score));
        }
        out.push_str("per relation:\n");
        for (r, s) in &self.per_relation {
            out.push_str(&format!("  {:<18} {}\n", r, s));
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
        return Err(Error::Usage("eval: no *.gold.json file given".into()));
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
pub(super) fn entity_ids(ex: &Extraction, gold: &[GoldEntity]) -> Vec<BTreeSet<String>> {
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

#[derive(Default)]
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
    vocabulary: &Vocabulary,
    tally: &mut Tally,
) -> Counts {
    let ids = entity_ids(ex, &gold.entities);
    // Gold facts of relations the vocabulary does not define are not scored:
    // the gold set may be annotated ahead of the rules.
    let defined = |g: &&GoldFact| vocabulary.defines(&g.p);
    let required: Vec<&GoldFact> = gold.facts.iter().filter(defined).collect();
    let optional: Vec<&GoldFact> = gold.optional.iter().filter(defined).collect();
    tally.out_of_vocabulary += gold.facts.len() - required.len();
    // Predicted facts in gold terms, once each.
    let mut predicted: BTreeMap<(Side, String, Side), (String, String)> = BTreeMap::new();
    // A fact the extractor marks as about a former role is neither rewarded
    // nor penalised: the guidelines leave former roles unannotated.
    for f in ex
        .facts
        .iter()
        .filter(|f| super::is_prediction(f) && !f.is_former())
    {
        let s = side_of(ex, &ids, &Object::Entity(f.subject));
        let o = side_of(ex, &ids, &f.object);
        let sentence = ex
            .sentences
            .get(f.sentence)
            .map(|s| s.text.clone())
            .unwrap_or_default();
        // Either direction of a symmetric relation is one fact.
        let key = if vocabulary.symmetric.contains(&f.relation) && o < s {
            (o, f.relation.clone(), s)
        } else {
            (s, f.relation.clone(), o)
        };
        predicted.entry(key).or_insert((sentence, f.rule.clone()));
    }
    // A symmetric relation (partnered_with) matches in either direction.
    let matches = |g: &GoldFact, (s, p, o): &(Side, String, Side)| {
        g.p == *p
            && (g.s.matches(s) && g.o.matches(o)
                || vocabulary.symmetric.contains(p) && g.s.matches(o) && g.o.matches(s))
    };
    let mut found = vec![false; required.len()];
    let mut c = Counts {
        required: required.len(),
        ..Counts::default()
    };
    for (key, (sentence, rule)) in &predicted {
        let rel = tally.per_rel.entry(key.1.clone()).or_default();
        let hits: Vec<usize> = (0..required.len())
            .filter(|&i| matches(required[i], key))
            .collect();
        if !hits.is_empty() {
            c.tp += 1;
            rel.tp += 1;
            for i in hits {
                found[i] = true;
            }
        } else if optional.iter().any(|g| matches(g, key)) {
            continue;
        } else {
            c.fp += 1;
            rel.fp += 1;
            tally.wrong.push(FactLine {
                article: name.to_string(),
                subject: side_text(&key.0),
                relation: key.1.clone(),
                object: side_text(&key.2),
                sentence: Some(sentence.clone()),
                rule: Some(rule.clone()),
            });
        }
    }
    for (i, g) in required.iter().enumerate() {
        let rel = tally.per_rel.entry(g.p.clone()).or_default();
        rel.required += 1;
        if found[i] {
            c.found += 1;
            rel.found += 1;
        } else {
            tally.missed.push(FactLine {
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
/// `musubi eval`: extracts each article and scores it against its gold file.
/// An article is read under its gold file's layout, else `layout`, else plain.
pub fn eval_gold(
    extractor: &Extractor,
    pairs: &[(PathBuf, PathBuf)],
    layout: Option<Layout>,
) -> Result<EvalReport> {
    let mut items = Vec::new();
    for (gold_path, article_path) in pairs {
        let gold = read_gold(gold_path)?;
        let layout = gold.layout.or(layout).unwrap_or_default();
        let article = Article::read(article_path, layout)?;
        items.push((extractor.extract(article)?, gold));
    }
    Ok(score_extractions(&items, &extractor.rules().vocabulary))
}

/// What scoring the articles one by one adds up.
#[derive(Default)]
struct Tally {
    per_rel: BTreeMap<String, Counts>,
    missed: Vec<FactLine>,
    wrong: Vec<FactLine>,
    out_of_vocabulary: usize,
}

/// Scores extractions against their gold files, micro-averaged.
pub fn score_extractions(items: &[(Extraction, GoldFile)], vocabulary: &Vocabulary) -> EvalReport {
    let mut tally = Tally::default();
    let mut per_article = Vec::new();
    let (mut tp, mut fp, mut found, mut required) = (0, 0, 0, 0);
    for (ex, gold) in items {
        let name = Path::new(&gold.article).file_name().map_or_else(
            || gold.article.clone(),
            |n| n.to_string_lossy().into_owned(),
        );
        let c = score_article(&name, ex, gold, vocabulary, &mut tally);
        per_article.push(ArticleScore {
            article: name,
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
        per_relation: tally
            .per_rel
            .into_iter()
            .map(|(r, c)| (r, Score::new(c.tp, c.fp, c.found, c.required)))
            .collect(),
        missed: tally.missed,
        wrong: tally.wrong,
        out_of_vocabulary: tally.out_of_vocabulary,
    }
}
