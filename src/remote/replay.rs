//! Replaying entity matching over a remote store in canonical order: what
//! keeps the nodes of a shared store independent of the order writers met its
//! articles in, and what `musubi reconcile` runs over the whole store.
use std::collections::{BTreeMap, BTreeSet, HashSet};

use oxigraph::model::vocab::{rdf, rdfs};
use oxigraph::model::{Literal, NamedNode, NamedOrBlankNode, Quad, Term, Triple};

use super::writer::order_key;
use super::{delete_and_insert, iri_values, literal, RemoteStore, DEFAULT_GRAPH, INSERT_CHUNK};
use crate::document::{Entity, EntityType};
use crate::error::Result;
use crate::matching::{Matcher, NodeSource, StoredNode};
use crate::names::NameRules;
use crate::rdf::{
    entity_quads, mo, open_graph_iri, relabel_removals, skos, Placement, ARTICLE, ONTOLOGY,
};
use crate::store::close_matches;

/// What a replay changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReplayReport {
    pub articles: usize,
    pub nodes: usize,
    pub nodes_rewritten: usize,
    pub articles_rewritten: usize,
}

/// One stored article's records, for a replay.
struct Replayed {
    article: NamedNode,
    order: String,
    /// Record index → (record entity, the node it refers to now).
    records: BTreeMap<usize, (Entity, NamedNode)>,
}

/// Replays entity matching in canonical order over the articles whose nodes
/// share match keys (transitively) with `keys` — or over the whole store — and
/// rewrites the nodes and article graphs that come out different.
pub(super) fn replay(
    store: &RemoteStore,
    keys: Option<BTreeSet<String>>,
    names: &NameRules,
) -> Result<ReplayReport> {
    // The nodes of the component: those with the keys, then those sharing keys
    // with them, until nothing new comes.
    let nodes: BTreeSet<NamedNode> = match keys {
        None => store
            .select_all(
                &format!(
                    "SELECT DISTINCT ?e WHERE {{ GRAPH <{DEFAULT_GRAPH}> {{ ?e mo:key ?k }} }}"
                ),
                "?e",
            )?
            .into_iter()
            .filter_map(|r| match r.into_iter().next()? {
                Some(Term::NamedNode(n)) => Some(n),
                _ => None,
            })
            .collect(),
        Some(mut keys) => {
            let mut nodes = BTreeSet::new();
            let mut asked: BTreeSet<String> = BTreeSet::new();
            loop {
                let new: Vec<String> = keys.difference(&asked).cloned().collect();
                if new.is_empty() {
                    break;
                }
                for chunk in new.chunks(500) {
                    let values: String = chunk
                        .iter()
                        .map(|k| format!("{} ", Literal::new_simple_literal(k.as_str())))
                        .collect();
                    for r in store.select(&format!(
                        "SELECT DISTINCT ?e ?k2 WHERE {{ VALUES ?k {{ {values} }} GRAPH <{DEFAULT_GRAPH}> {{ \
                         ?e mo:key ?k . ?e mo:key ?k2 }} }}"
                    ))? {
                        if let (Some(Term::NamedNode(e)), Some(k2)) = (&r[0], literal(r[1].as_ref())) {
                            nodes.insert(e.clone());
                            keys.insert(k2);
                        }
                    }
                }
                asked.extend(new);
            }
            nodes
        }
    };
    // The stored articles mentioning them, and their records about them.
    let current = store.node_quads(&nodes)?;
    let mut articles: BTreeSet<NamedNode> = BTreeSet::new();
    for quads in current.values() {
        for q in quads {
            if let (true, Term::NamedNode(a)) = (q.predicate == mo("mentionedIn"), &q.object) {
                articles.insert(a.clone());
            }
        }
    }
    let mut replayed: BTreeMap<NamedNode, Replayed> = BTreeMap::new();
    let list: Vec<&NamedNode> = articles.iter().collect();
    for chunk in list.chunks(200) {
        let values = iri_values(chunk.iter().copied());
        for r in store.select_all(
            &format!(
                "SELECT ?a ?id ?src ?r ?e ?type ?full ?name ?bare WHERE {{ VALUES ?a {{ {values} }} \
                 GRAPH <{DEFAULT_GRAPH}> {{ ?a a mo:Article ; mo:sha256 ?id OPTIONAL {{ ?a dcterms:source ?src }} }} \
                 GRAPH ?a {{ ?r mo:refersTo ?e ; mo:entityType ?type ; mo:fullName ?full \
                 OPTIONAL {{ ?r mo:name ?name }} OPTIONAL {{ ?r mo:bareName ?bare }} }} }}"
            ),
            "?a ?r ?name",
        )? {
            let [Some(Term::NamedNode(a)), Some(id), src, Some(Term::NamedNode(rec)), Some(Term::NamedNode(e)), Some(Term::NamedNode(t)), Some(full), name, bare] =
                <[Option<Term>; 9]>::try_from(r).unwrap_or_default()
            else {
                continue;
            };
            if !nodes.contains(&e) {
                continue;
            }
            let Some(index) = rec
                .as_str()
                .rsplit_once("/entity/")
                .and_then(|(_, n)| n.parse::<usize>().ok())
            else {
                continue;
            };
            let Some(etype) = t
                .as_str()
                .strip_prefix(ONTOLOGY)
                .and_then(EntityType::from_name)
            else {
                continue;
            };
            let id = literal(Some(&id)).unwrap_or_default();
            let entry = replayed.entry(a.clone()).or_insert_with(|| Replayed {
                article: a.clone(),
                order: order_key(literal(src.as_ref()).as_deref(), &id),
                records: BTreeMap::new(),
            });
            let full = literal(Some(&full)).unwrap_or_default();
            let (entity, _) = entry.records.entry(index).or_insert_with(|| {
                (
                    Entity {
                        etype,
                        label: full.clone(),
                        aliases: BTreeSet::from([full.clone()]),
                        joinable: bare.is_none(),
                    },
                    e.clone(),
                )
            });
            if let Some(n) = literal(name.as_ref()) {
                entity.aliases.insert(n);
            }
        }
    }
    let mut order: Vec<Replayed> = replayed.into_values().collect();
    order.sort_by(|a, b| a.order.cmp(&b.order));

    // Pinned nodes start the replay, as they start a store.
    let pinned_quads = store.pinned()?;
    let mut source = ReplaySource {
        store,
        pinned: &pinned_quads,
        component: &nodes,
    };
    let mut matcher = Matcher::new(names);
    let mut desired: BTreeMap<NamedNode, HashSet<Quad>> = BTreeMap::new();
    for (node, quads) in &pinned_quads {
        if nodes.contains(node) {
            desired
                .entry(node.clone())
                .or_default()
                .extend(quads.iter().cloned());
        }
    }
    // Per article: old IRI → new IRI, where they differ.
    let mut renames: BTreeMap<NamedNode, BTreeMap<NamedNode, NamedNode>> = BTreeMap::new();
    for article in &order {
        let entities: Vec<Entity> = article.records.values().map(|(e, _)| e.clone()).collect();
        let decisions = matcher.place(&mut source, &entities)?;
        let placements: Vec<Placement> = decisions.iter().map(|d| d.placement.clone()).collect();
        for q in relabel_removals(&placements) {
            if let NamedOrBlankNode::NamedNode(s) = &q.subject {
                if let Some(quads) = desired.get_mut(s) {
                    quads.remove(&q);
                }
            }
        }
        for q in entity_quads(&article.article, &entities, &placements)
            .into_iter()
            .chain(close_matches(&decisions))
        {
            if let NamedOrBlankNode::NamedNode(s) = &q.subject {
                desired.entry(s.clone()).or_default().insert(q);
            }
        }
        for ((_, old), placed) in article.records.values().zip(&placements) {
            if *old != placed.iri {
                renames
                    .entry(article.article.clone())
                    .or_default()
                    .entry(old.clone())
                    .or_insert_with(|| placed.iri.clone());
            }
        }
    }

    // Article graphs whose records now point elsewhere.
    for (article, map) in &renames {
        let id = article.as_str().strip_prefix(ARTICLE).unwrap_or_default();
        for g in [article.clone(), open_graph_iri(id)] {
            let triples = store.graph_triples(&g)?;
            if triples.is_empty() {
                continue;
            }
            let renamed: Vec<Triple> = triples.into_iter().map(|t| rename(t, map)).collect();
            store.put_graph(&g, &renamed)?;
        }
    }
    // Nodes whose quads differ.
    let mut remove = Vec::new();
    let mut add = Vec::new();
    let mut rewritten = 0;
    let all: BTreeSet<&NamedNode> = current.keys().chain(desired.keys()).collect();
    for node in all {
        let now: BTreeSet<String> = current
            .get(node)
            .map(|qs| qs.iter().map(ToString::to_string).collect())
            .unwrap_or_default();
        let want: BTreeSet<String> = desired
            .get(node)
            .map(|qs| qs.iter().map(ToString::to_string).collect())
            .unwrap_or_default();
        if now != want {
            rewritten += 1;
            remove.extend(current.get(node).cloned().unwrap_or_default());
            add.extend(desired.get(node).cloned().unwrap_or_default());
        }
    }
    for chunk in remove.chunks(INSERT_CHUNK) {
        store.update(&delete_and_insert(chunk, &[]))?;
    }
    store.insert_default(&add)?;
    Ok(ReplayReport {
        articles: order.len(),
        nodes: desired.len(),
        nodes_rewritten: rewritten,
        articles_rewritten: renames.len(),
    })
}

/// A triple with IRIs renamed.
fn rename(t: Triple, map: &BTreeMap<NamedNode, NamedNode>) -> Triple {
    let subject = match t.subject {
        NamedOrBlankNode::NamedNode(n) => map.get(&n).cloned().unwrap_or(n).into(),
        other => other,
    };
    let object = match t.object {
        Term::NamedNode(n) => map.get(&n).cloned().unwrap_or(n).into(),
        other => other,
    };
    Triple::new(subject, t.predicate, object)
}

/// What a replay starts from: the pinned nodes only. An IRI is taken when a
/// pinned node has it, or a node outside the replayed component does.
struct ReplaySource<'a> {
    store: &'a RemoteStore,
    pinned: &'a BTreeMap<NamedNode, Vec<Quad>>,
    component: &'a BTreeSet<NamedNode>,
}

impl NodeSource for ReplaySource<'_> {
    fn nodes_with_key(&mut self, key: &str) -> Result<Vec<StoredNode>> {
        let lit = Term::Literal(Literal::new_simple_literal(key));
        Ok(self
            .pinned
            .iter()
            .filter(|(_, qs)| {
                qs.iter()
                    .any(|q| q.predicate == mo("key") && q.object == lit)
            })
            .map(|(iri, qs)| {
                let mut node = StoredNode {
                    iri: iri.clone(),
                    types: Vec::new(),
                    label: String::new(),
                    names: Vec::new(),
                    pinned: true,
                };
                for q in qs {
                    match &q.object {
                        Term::NamedNode(t) if q.predicate == rdf::TYPE => {
                            node.types.push(t.clone())
                        }
                        Term::Literal(l) if q.predicate == rdfs::LABEL => {
                            node.label = l.value().to_string();
                            node.names.push(l.value().to_string());
                        }
                        Term::Literal(l) if q.predicate == skos("altLabel") => {
                            node.names.push(l.value().to_string())
                        }
                        _ => {}
                    }
                }
                node
            })
            .collect())
    }

    fn iri_taken(&mut self, iri: &NamedNode) -> Result<bool> {
        if self.pinned.contains_key(iri) {
            return Ok(true);
        }
        if self.component.contains(iri) {
            return Ok(false);
        }
        self.store.ask(&format!(
            "ASK {{ GRAPH <{DEFAULT_GRAPH}> {{ {iri} ?p ?o }} }}"
        ))
    }
}
