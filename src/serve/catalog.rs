//! What every page needs and the store keeps spread over many quads: each
//! entity's type, label and spellings, each article's title and date, and the
//! vocabulary's labels. Read once when the server starts (and again after an
//! update), so a page costs one or two SPARQL queries and search is a scan of
//! names in memory rather than a regex over every literal in the store.
use std::collections::HashMap;
use std::path::Path;

use oxigraph::model::vocab::{rdf, rdfs, xsd};
use oxigraph::model::{
    GraphName, GraphNameRef, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, Quad, Term,
    TermRef,
};

use crate::error::{Error, Result};
use crate::names::name_key;
use crate::rdf::{mo, skos, ARTICLE, DCTERMS, ONTOLOGY};
use crate::store::{Store, ONTOLOGY_GRAPH};

use super::html::Lang;

/// An entity as pages show it.
#[derive(Debug, Clone)]
pub struct EntityInfo {
    pub iri: String,
    pub label: String,
    /// Local name of its class in the vocabulary (`Person`…), or `Entity`.
    pub kind: String,
    /// Every spelling: the label first, then the altLabels.
    pub names: Vec<String>,
    /// Number of articles that mention it.
    pub articles: usize,
}

/// An article as pages list it.
#[derive(Debug, Clone, Default)]
pub struct ArticleInfo {
    pub id: String,
    pub title: Option<String>,
    pub date: Option<String>,
    pub source: Option<String>,
    pub url: Option<String>,
}

impl ArticleInfo {
    /// The title, else the source file, else the id.
    pub fn name(&self) -> &str {
        self.title
            .as_deref()
            .or(self.source.as_deref())
            .unwrap_or(&self.id)
    }
}

/// A search result: the entity and the spelling that matched.
#[derive(Debug, Clone)]
pub struct Hit<'c> {
    pub entity: &'c EntityInfo,
    pub matched: &'c str,
    pub how: Match,
}

/// How a spelling matched the search, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Match {
    Exact,
    Prefix,
    Partial,
}

pub struct Catalog {
    entities: Vec<EntityInfo>,
    by_iri: HashMap<String, usize>,
    /// (name key, entity, index into its names).
    keys: Vec<(String, usize, usize)>,
    articles: Vec<ArticleInfo>,
    article_by_id: HashMap<String, usize>,
    /// IRI → (ja label, en label) of vocabulary terms.
    labels: HashMap<String, (Option<String>, Option<String>)>,
    /// Entity IRI → (reifier, graph) of its statements marked not asserted.
    not_asserted: HashMap<String, Vec<(String, String)>>,
}

/// The IRI of a subject, if it is one.
fn subject_iri(s: &NamedOrBlankNode) -> Option<&str> {
    match s {
        NamedOrBlankNode::NamedNode(n) => Some(n.as_str()),
        NamedOrBlankNode::BlankNode(_) => None,
    }
}

fn literal(t: &Term) -> Option<&str> {
    match t {
        Term::Literal(l) => Some(l.value()),
        _ => None,
    }
}

impl Catalog {
    /// Reads the catalog with scans of a few predicates (no SPARQL: on a store
    /// of thousands of articles this takes a second, not tens of seconds).
    pub fn load(store: &Store) -> Result<Catalog> {
        let ox = store.oxigraph();
        let default = Some(GraphNameRef::DefaultGraph);
        let scan = |p: NamedNodeRef<'_>, o: Option<TermRef<'_>>, g: Option<GraphNameRef<'_>>| {
            ox.quads_for_pattern(None, Some(p), o, g)
                .collect::<std::result::Result<Vec<Quad>, _>>()
                .map_err(|source| Error::Store {
                    path: store.path().map(Path::to_path_buf),
                    source,
                })
        };
        let mentioned_in = mo("mentionedIn");
        let alt_label = skos("altLabel");

        // Entities: whatever has a label in the default graph. The smallest
        // label wins where there are several, so pages are stable.
        let mut labels_of: HashMap<String, String> = HashMap::new();
        for q in scan(rdfs::LABEL, None, default)? {
            let (Some(e), Some(l)) = (subject_iri(&q.subject), literal(&q.object)) else {
                continue;
            };
            let slot = labels_of
                .entry(e.to_string())
                .or_insert_with(|| l.to_string());
            if l < slot.as_str() {
                *slot = l.to_string();
            }
        }
        let mut entities: Vec<EntityInfo> = labels_of
            .into_iter()
            .map(|(iri, label)| EntityInfo {
                iri,
                names: vec![label.clone()],
                label,
                kind: "Entity".into(),
                articles: 0,
            })
            .collect();
        entities.sort_by(|a, b| a.iri.cmp(&b.iri));
        let by_iri: HashMap<String, usize> = entities
            .iter()
            .enumerate()
            .map(|(i, e)| (e.iri.clone(), i))
            .collect();
        for q in scan(alt_label.as_ref(), None, default)? {
            let (Some(e), Some(l)) = (subject_iri(&q.subject), literal(&q.object)) else {
                continue;
            };
            if let Some(&i) = by_iri.get(e) {
                if !entities[i].names.iter().any(|n| n == l) {
                    entities[i].names.push(l.to_string());
                }
            }
        }
        for q in scan(rdf::TYPE, None, default)? {
            let (Some(e), Term::NamedNode(c)) = (subject_iri(&q.subject), &q.object) else {
                continue;
            };
            if let (Some(&i), Some(kind)) = (by_iri.get(e), c.as_str().strip_prefix(ONTOLOGY)) {
                entities[i].kind = kind.to_string();
            }
        }
        for q in scan(mentioned_in.as_ref(), None, default)? {
            if let Some(&i) = subject_iri(&q.subject).and_then(|e| by_iri.get(e)) {
                entities[i].articles += 1;
            }
        }
        for e in &mut entities {
            e.names[1..].sort();
        }
        let mut keys = Vec::new();
        for (i, e) in entities.iter().enumerate() {
            for (n, name) in e.names.iter().enumerate() {
                keys.push((name_key(name), i, n));
            }
        }

        // Articles, newest first.
        let article_class = mo("Article");
        let mut articles: Vec<ArticleInfo> =
            scan(rdf::TYPE, Some(article_class.as_ref().into()), default)?
                .iter()
                .filter_map(|q| subject_iri(&q.subject)?.strip_prefix(ARTICLE))
                .map(|id| ArticleInfo {
                    id: id.to_string(),
                    ..ArticleInfo::default()
                })
                .collect();
        let mut article_by_id: HashMap<String, usize> = articles
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id.clone(), i))
            .collect();
        for (field, property) in ["title", "date", "source", "identifier"].iter().enumerate() {
            let p = NamedNode::new_unchecked(format!("{DCTERMS}{property}"));
            for q in scan(p.as_ref(), None, default)? {
                let id = subject_iri(&q.subject).and_then(|s| s.strip_prefix(ARTICLE));
                let (Some(&i), Some(v)) =
                    (id.and_then(|id| article_by_id.get(id)), literal(&q.object))
                else {
                    continue;
                };
                let a = &mut articles[i];
                let slot = match field {
                    0 => &mut a.title,
                    1 => &mut a.date,
                    2 => &mut a.source,
                    _ => &mut a.url,
                };
                *slot = Some(v.to_string());
            }
        }
        articles.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.name().cmp(b.name())));
        article_by_id = articles
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id.clone(), i))
            .collect();

        // The vocabulary's labels.
        let mut labels: HashMap<String, (Option<String>, Option<String>)> = HashMap::new();
        let vocabulary = NamedNode::new_unchecked(ONTOLOGY_GRAPH);
        for q in scan(rdfs::LABEL, None, Some(vocabulary.as_ref().into()))? {
            let (Some(x), Term::Literal(l)) = (subject_iri(&q.subject), &q.object) else {
                continue;
            };
            let entry = labels.entry(x.to_string()).or_default();
            match l.language() {
                Some("en") => entry.1 = Some(l.value().to_string()),
                _ => entry.0 = entry.0.take().or(Some(l.value().to_string())),
            }
        }

        // Statements the text negates or only plans have no asserted triple to
        // find them by: index their reifiers by subject and object.
        let mut not_asserted: HashMap<String, Vec<(String, String)>> = HashMap::new();
        let no = Literal::new_typed_literal("false", xsd::BOOLEAN);
        for q in scan(mo("asserted").as_ref(), Some(no.as_ref().into()), None)? {
            let (NamedOrBlankNode::NamedNode(f), GraphName::NamedNode(g)) =
                (&q.subject, &q.graph_name)
            else {
                continue;
            };
            let reified = ox
                .quads_for_pattern(
                    Some(f.as_ref().into()),
                    Some(rdf::REIFIES),
                    None,
                    Some(g.as_ref().into()),
                )
                .filter_map(|r| r.ok());
            for r in reified {
                if let Term::Triple(t) = &r.object {
                    let ends = [
                        subject_iri(&t.subject),
                        match &t.object {
                            Term::NamedNode(n) => Some(n.as_str()),
                            _ => None,
                        },
                    ];
                    for e in ends.into_iter().flatten() {
                        not_asserted
                            .entry(e.to_string())
                            .or_default()
                            .push((f.as_str().to_string(), g.as_str().to_string()));
                    }
                }
            }
        }
        Ok(Catalog {
            entities,
            by_iri,
            keys,
            articles,
            article_by_id,
            labels,
            not_asserted,
        })
    }

    /// Reifiers (and their graphs) of statements about `iri` that are not asserted.
    pub fn not_asserted(&self, iri: &str) -> &[(String, String)] {
        self.not_asserted.get(iri).map_or(&[], Vec::as_slice)
    }

    pub fn entity(&self, iri: &str) -> Option<&EntityInfo> {
        self.by_iri.get(iri).map(|&i| &self.entities[i])
    }

    pub fn article(&self, id: &str) -> Option<&ArticleInfo> {
        self.article_by_id.get(id).map(|&i| &self.articles[i])
    }

    /// Articles, newest first.
    pub fn articles(&self) -> &[ArticleInfo] {
        &self.articles
    }

    pub fn entity_count(&self) -> usize {
        self.entities.len()
    }

    /// A vocabulary term's label in `lang`, else in the other language, else its
    /// local name.
    pub fn label(&self, iri: &str, lang: Lang) -> String {
        let local = || {
            crate::export::local_name(&Term::NamedNode(oxigraph::model::NamedNode::new_unchecked(
                iri,
            )))
        };
        match self.labels.get(iri) {
            Some((ja, en)) => {
                let (first, second) = match lang {
                    Lang::Ja => (ja, en),
                    Lang::En => (en, ja),
                };
                first
                    .clone()
                    .or_else(|| second.clone())
                    .unwrap_or_else(local)
            }
            None => local(),
        }
    }

    /// The label of a class given by its local name (`Person`).
    pub fn class_label(&self, kind: &str, lang: Lang) -> String {
        self.label(&format!("{ONTOLOGY}{kind}"), lang)
    }

    /// Entities with a spelling that matches `query` up to width, case and
    /// separators (the store's own name keys): exact spellings first, then
    /// spellings that start with it, then those that contain it; among equals,
    /// entities in more articles first. Returns at most `limit` hits and the
    /// number of entities that matched.
    pub fn search(&self, query: &str, kind: Option<&str>, limit: usize) -> (Vec<Hit<'_>>, usize) {
        let key = name_key(query.trim());
        if key.is_empty() {
            return (Vec::new(), 0);
        }
        let mut best: HashMap<usize, (Match, usize)> = HashMap::new();
        for (k, e, n) in &self.keys {
            let how = if *k == key {
                Match::Exact
            } else if k.starts_with(&key) {
                Match::Prefix
            } else if k.contains(&key) {
                Match::Partial
            } else {
                continue;
            };
            if kind.is_some_and(|t| self.entities[*e].kind != t) {
                continue;
            }
            let slot = best.entry(*e).or_insert((how, *n));
            if how < slot.0 {
                *slot = (how, *n);
            }
        }
        let total = best.len();
        let mut hits: Vec<Hit<'_>> = best
            .into_iter()
            .map(|(e, (how, n))| Hit {
                entity: &self.entities[e],
                matched: &self.entities[e].names[n],
                how,
            })
            .collect();
        hits.sort_by(|a, b| {
            (a.how, std::cmp::Reverse(a.entity.articles), &a.entity.label).cmp(&(
                b.how,
                std::cmp::Reverse(b.entity.articles),
                &b.entity.label,
            ))
        });
        hits.truncate(limit);
        (hits, total)
    }
}
