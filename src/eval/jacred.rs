//! JacRED (DocRED format): Japanese Wikipedia documents with entity clusters
//! and Wikidata relations between them. The relations that map to ours are
//! scored end to end, from the raw text with musubi's own names.
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::{FactLine, Score};
use crate::document::{Extraction, Fact, Object};
use crate::error::{Error, Result};
use crate::extract::Extractor;
use crate::names::name_key;
use crate::text::{Article, Layout};

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
}

/// Our relation for a JacRED (Wikidata) property, and whether head and tail swap.
/// Only these properties are scored.
pub const JACRED_RELATIONS: [(&str, &str, bool); 12] = [
    ("P108", "works_for", false),
    ("P112", "founded", true),
    ("P361", "part_of", false),
    ("P463", "member_of", false),
    ("P127", "part_of", false),
    ("P159", "headquartered_in", false),
    ("P131", "located_in", false),
    ("P276", "located_in", false),
    ("P166", "award_received", false),
    ("P6", "heads", true),
    ("P488", "heads", true),
    ("P571", "founded_in", false),
];

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

/// Scores the extractions `extract` gives for each document.
pub fn score_jacred(
    docs: &[JacredDoc],
    mut extract: impl FnMut(&JacredDoc) -> Result<Extraction>,
) -> Result<JacredReport> {
    // Score only our relations that some mapped property of this file gives:
    // a relation the data set never annotates could only add false positives.
    let present: BTreeSet<&str> = docs
        .iter()
        .flat_map(|d| d.labels.iter())
        .filter_map(|l| JACRED_RELATIONS.iter().find(|(p, _, _)| *p == l.r))
        .map(|(_, r, _)| *r)
        .collect();
    let mut per_rel: BTreeMap<String, (usize, usize, usize, usize)> = BTreeMap::new();
    let (mut wrong, mut missed) = (Vec::new(), Vec::new());
    for doc in docs {
        let ex = extract(doc)?;
        let vertex_keys: Vec<BTreeSet<String>> = doc
            .vertex_set
            .iter()
            .map(|v| v.iter().map(|m| name_key(&m.name)).collect())
            .collect();
        let gold: BTreeSet<(usize, &str, usize)> = doc
            .labels
            .iter()
            .filter_map(|l| {
                let (_, rel, inv) = JACRED_RELATIONS.iter().find(|(p, _, _)| *p == l.r)?;
                Some(if *inv {
                    (l.t, *rel, l.h)
                } else {
                    (l.h, *rel, l.t)
                })
            })
            .collect();
        let vertices_of = |names: Vec<String>| -> BTreeSet<usize> {
            let keys: BTreeSet<String> = names.iter().map(|n| name_key(n)).collect();
            (0..vertex_keys.len())
                .filter(|&i| !vertex_keys[i].is_disjoint(&keys))
                .collect()
        };
        // A predicted entity is a vertex when one of its names is one of the
        // vertex's names, or one of its mentions covers exactly the characters
        // of one of the vertex's mentions (names compared without the spaces the
        // tokenised text lost: GenCorp Inc. / GenCorpInc.).
        let spans = doc.mention_spans();
        let mut span_vertices: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); ex.entities.len()];
        for (m, e) in ex.mentions.iter().zip(&ex.mention_entity) {
            let Some(e) = *e else { continue };
            for (v, start, end, _) in &spans {
                if *start == m.start && *end == m.end {
                    span_vertices[e].insert(*v);
                }
            }
        }
        let entity_vertices = |e: usize, names: Vec<String>| -> Vec<usize> {
            let mut vs = vertices_of(names);
            vs.extend(span_vertices[e].iter().copied());
            vs.into_iter().collect()
        };
        let ent_names = |e: usize| -> Vec<String> {
            let ent = &ex.entities[e];
            ent.aliases
                .iter()
                .cloned()
                .chain(std::iter::once(ent.label.clone()))
                .collect()
        };
        let mut predicted: BTreeMap<(Vec<usize>, String, Vec<usize>), &Fact> = BTreeMap::new();
        for f in ex.facts.iter().filter(|f| !f.open) {
            if !present.contains(f.relation.as_str()) {
                continue;
            }
            let s = entity_vertices(f.subject, ent_names(f.subject));
            let o: Vec<usize> = match &f.object {
                Object::Entity(e) => entity_vertices(*e, ent_names(*e)),
                Object::Literal { value, .. } => (0..vertex_keys.len())
                    .filter(|&i| vertex_keys[i].iter().any(|k| k.contains(value.as_str())))
                    .collect(),
            };
            predicted.entry((s, f.relation.clone(), o)).or_insert(f);
        }
        let mut found: BTreeSet<(usize, &str, usize)> = BTreeSet::new();
        for ((s, rel, o), fact) in &predicted {
            let entry = per_rel.entry(rel.clone()).or_default();
            let hits: Vec<&(usize, &str, usize)> = gold
                .iter()
                .filter(|(gh, gr, gt)| gr == rel && s.contains(gh) && o.contains(gt))
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
