//! What every page needs and the store keeps spread over many quads: each
//! entity's type, label and spellings, each article's title and date, and the
//! vocabulary's labels. Read once when the server starts (and again after an
//! update), so a page costs one or two SPARQL queries and search is a scan of
//! names in memory rather than a regex over every literal in the store.
use std::collections::HashMap;

use oxigraph::model::Term;

use crate::entities::name_key;
use crate::error::Result;
use crate::rdf::{ARTICLE, ONTOLOGY};
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
}

fn text(t: &Option<Term>) -> Option<String> {
    match t {
        Some(Term::Literal(l)) => Some(l.value().to_string()),
        Some(Term::NamedNode(n)) => Some(n.as_str().to_string()),
        _ => None,
    }
}

impl Catalog {
    pub fn load(store: &Store) -> Result<Catalog> {
        let mut entities: Vec<EntityInfo> = Vec::new();
        let mut by_iri: HashMap<String, usize> = HashMap::new();
        // Labels first, so the label is names[0]; the sort keeps pages stable.
        let rows = store
            .select("SELECT ?e ?l WHERE { ?e rdfs:label ?l FILTER(isIRI(?e)) } ORDER BY ?e ?l")?;
        for row in &rows {
            let (Some(e), Some(l)) = (text(&row[0]), text(&row[1])) else {
                continue;
            };
            if by_iri.contains_key(&e) {
                continue;
            }
            by_iri.insert(e.clone(), entities.len());
            entities.push(EntityInfo {
                iri: e,
                label: l.clone(),
                kind: "Entity".into(),
                names: vec![l],
                articles: 0,
            });
        }
        for row in store.select("SELECT ?e ?l WHERE { ?e skos:altLabel ?l } ORDER BY ?e ?l")? {
            let (Some(e), Some(l)) = (text(&row[0]), text(&row[1])) else {
                continue;
            };
            if let Some(&i) = by_iri.get(&e) {
                if !entities[i].names.contains(&l) {
                    entities[i].names.push(l);
                }
            }
        }
        for row in store.select(&format!(
            "SELECT ?e ?c WHERE {{ ?e a ?c FILTER(STRSTARTS(STR(?c), \"{ONTOLOGY}\")) }}"
        ))? {
            let (Some(e), Some(c)) = (text(&row[0]), text(&row[1])) else {
                continue;
            };
            if let Some(&i) = by_iri.get(&e) {
                entities[i].kind = c[ONTOLOGY.len()..].to_string();
            }
        }
        for row in store.select(
            "SELECT ?e (COUNT(DISTINCT ?a) AS ?n) WHERE { ?e mo:mentionedIn ?a } GROUP BY ?e",
        )? {
            if let (Some(e), Some(n)) = (text(&row[0]), text(&row[1])) {
                if let Some(&i) = by_iri.get(&e) {
                    entities[i].articles = n.parse().unwrap_or(0);
                }
            }
        }
        let mut keys = Vec::new();
        for (i, e) in entities.iter().enumerate() {
            for (n, name) in e.names.iter().enumerate() {
                keys.push((name_key(name), i, n));
            }
        }

        let mut articles = Vec::new();
        for row in store.select(
            "SELECT ?a ?title ?date ?src ?url WHERE { ?a a mo:Article \
             OPTIONAL { ?a dcterms:title ?title } OPTIONAL { ?a dcterms:date ?date } \
             OPTIONAL { ?a dcterms:source ?src } OPTIONAL { ?a dcterms:identifier ?url } } \
             ORDER BY DESC(?date) ?title ?a",
        )? {
            let Some(a) = text(&row[0]) else { continue };
            let Some(id) = a.strip_prefix(ARTICLE) else {
                continue;
            };
            if articles.last().is_some_and(|x: &ArticleInfo| x.id == id) {
                continue;
            }
            articles.push(ArticleInfo {
                id: id.to_string(),
                title: text(&row[1]),
                date: text(&row[2]),
                source: text(&row[3]),
                url: text(&row[4]),
            });
        }
        let article_by_id = articles
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id.clone(), i))
            .collect();

        let mut labels: HashMap<String, (Option<String>, Option<String>)> = HashMap::new();
        for row in store.select(&format!(
            "SELECT ?x ?l (LANG(?l) AS ?lang) WHERE {{ GRAPH <{ONTOLOGY_GRAPH}> {{ ?x rdfs:label ?l }} }}"
        ))? {
            let (Some(x), Some(l), lang) = (text(&row[0]), text(&row[1]), text(&row[2])) else {
                continue;
            };
            let entry = labels.entry(x).or_default();
            match lang.as_deref() {
                Some("en") => entry.1 = Some(l),
                _ => entry.0 = entry.0.take().or(Some(l)),
            }
        }
        Ok(Catalog {
            entities,
            by_iri,
            keys,
            articles,
            article_by_id,
            labels,
        })
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
