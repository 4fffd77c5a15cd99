//! JacRED (DocRED format): Japanese Wikipedia documents with entity clusters
//! and Wikidata relations between them. The relations that map to ours are
//! scored end to end, from the raw text with musubi's own names.
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::{is_prediction, FactLine, Score};
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

/// The mapped relations that hold both ways (P26 spouse, P3373 sibling): a
/// fact in either direction is the same fact.
pub const SYMMETRIC: [&str; 2] = ["spouse_of", "sibling_of"];

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
    /// tokenised text lost: GenCorp Inc. / GenCorpInc.), or is the last of a
    /// chain of mentions that covers them exactly (an address).
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
        let chars: Vec<char> = ex.article.text.chars().collect();
        let mut entities: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); ex.entities.len()];
        for (m, e) in ex.mentions.iter().zip(&ex.mention_entity) {
            let Some(e) = *e else { continue };
            for (v, start, end, _) in &spans {
                // 遠山氏 / ブルノン家: a clan or family JacRED names with its
                // suffix, which musubi reads as an honorific after a name.
                let clan = *start == m.start
                    && m.end + 1 == *end
                    && matches!(chars.get(m.end), Some('氏' | '家'));
                if *start == m.start && *end == m.end || clan {
                    entities[e].insert(*v);
                }
            }
        }
        // A vertex musubi reads as a chain of names (東京都港区, X大学経済学部)
        // is the last of them: the ones before name what contains it.
        for (v, start, end, _) in &spans {
            let mut inside: Vec<(usize, usize, usize)> = ex
                .mentions
                .iter()
                .zip(&ex.mention_entity)
                .filter(|(m, _)| *start <= m.start && m.end <= *end)
                .filter_map(|(m, e)| Some((m.start, m.end, (*e)?)))
                .collect();
            inside.sort_unstable();
            inside.dedup_by_key(|x| (x.0, x.1));
            let tiled = inside.len() >= 2
                && inside[0].0 == *start
                && inside.windows(2).all(|w| w[0].1 == w[1].0);
            if let (true, Some(&(_, last_end, e))) = (tiled, inside.last()) {
                if last_end == *end {
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

/// How one document's predictions meet its labels.
pub(crate) struct DocumentMatch<'a> {
    /// The document's mapped labels.
    pub(crate) gold: BTreeSet<(usize, &'static str, usize)>,
    /// Each distinct prediction: its relation, its first fact, and whether it
    /// matches a label.
    pub(crate) predicted: Vec<(String, &'a Fact, bool)>,
    /// The labels some prediction matched.
    pub(crate) found: BTreeSet<(usize, &'static str, usize)>,
}

/// Our relations that some mapped property of `docs` gives: a relation the
/// data set never annotates could only add false positives, so only these
/// are scored.
pub(crate) fn relations_present<'a>(
    docs: impl IntoIterator<Item = &'a JacredDoc>,
) -> BTreeSet<&'static str> {
    docs.into_iter()
        .flat_map(|d| d.labels.iter().filter_map(|l| d.mapped_label(l)))
        .map(|(_, r, _)| r)
        .collect()
}

/// Matches the predictions of `ex` (of the relations in `present`) to the
/// labels of `doc`. Predicted entities map to vertices by [`VertexMap`].
pub(crate) fn match_document<'a>(
    doc: &JacredDoc,
    ex: &'a Extraction,
    present: &BTreeSet<&str>,
) -> DocumentMatch<'a> {
    let gold: BTreeSet<(usize, &'static str, usize)> = doc
        .labels
        .iter()
        .filter_map(|l| doc.mapped_label(l))
        .collect();
    let vertices = VertexMap::new(doc, ex);
    let mut keyed: BTreeMap<(Vec<usize>, String, Vec<usize>), &Fact> = BTreeMap::new();
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
        keyed.entry(key).or_insert(f);
    }
    let mut found = BTreeSet::new();
    let mut predicted = Vec::new();
    for ((s, rel, o), fact) in keyed {
        let symmetric = SYMMETRIC.contains(&rel.as_str());
        let hits: Vec<&(usize, &str, usize)> = gold
            .iter()
            .filter(|(gh, gr, gt)| {
                *gr == rel
                    && (s.contains(gh) && o.contains(gt)
                        || symmetric && s.contains(gt) && o.contains(gh))
            })
            .collect();
        predicted.push((rel, fact, !hits.is_empty()));
        found.extend(hits);
    }
    DocumentMatch {
        gold,
        predicted,
        found,
    }
}

/// Scores the extractions `extract` gives for each document.
pub fn score_jacred(
    docs: &[JacredDoc],
    mut extract: impl FnMut(&JacredDoc) -> Result<Extraction>,
) -> Result<JacredReport> {
    let present = relations_present(docs);
    let mut per_rel: BTreeMap<String, (usize, usize, usize, usize)> = BTreeMap::new();
    let (mut wrong, mut missed) = (Vec::new(), Vec::new());
    for doc in docs {
        let ex = extract(doc)?;
        let m = match_document(doc, &ex, &present);
        for (rel, fact, right) in &m.predicted {
            let entry = per_rel.entry(rel.clone()).or_default();
            if *right {
                entry.0 += 1;
                continue;
            }
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
        }
        for g in &m.gold {
            let entry = per_rel.entry(g.1.to_string()).or_default();
            entry.3 += 1;
            if m.found.contains(g) {
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
