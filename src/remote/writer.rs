//! Writing articles to a remote store: matching against it with SPARQL, one
//! batch at a time under the lock.
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use oxigraph::model::vocab::rdf;
use oxigraph::model::{GraphName, Literal, NamedNode, NamedOrBlankNode, Quad, Term, Triple};

use super::lock::Lock;
use super::replay::replay;
use super::{iri_values, literal, RemoteStore, DEFAULT_GRAPH};
use crate::document::Extraction;
use crate::error::Result;
use crate::matching::{Matcher, NodeSource, StoredNode};
use crate::mentions::KnownName;
use crate::names::NameRules;
use crate::provenance::{convert_all, Provenance};
use crate::rdf::{
    article_iri, article_quads, entity_keys, relabel_removals, IngestInfo, Placement,
};
use crate::store::{close_matches, ingested, Ingested};

/// The entity nodes of a remote store, for matching: fetched a whole article's
/// keys at a time.
pub(super) struct RemoteNodes<'a> {
    store: &'a RemoteStore,
    by_key: HashMap<String, Vec<StoredNode>>,
    taken: HashMap<String, bool>,
    /// The nodes alias files pin, read at the first request.
    pinned: Option<HashSet<String>>,
}

impl<'a> RemoteNodes<'a> {
    pub(super) fn new(store: &'a RemoteStore) -> Self {
        RemoteNodes {
            store,
            by_key: HashMap::new(),
            taken: HashMap::new(),
            pinned: None,
        }
    }
    fn clear(&mut self) {
        self.by_key.clear();
        self.taken.clear();
    }
}

impl NodeSource for RemoteNodes<'_> {
    /// One request: the nodes with the keys (types, label, altLabels), and
    /// which of the IRIs are taken.
    fn prefetch(&mut self, keys: &[String], iris: &[NamedNode]) -> Result<()> {
        let iris: Vec<&NamedNode> = iris
            .iter()
            .filter(|i| !self.taken.contains_key(i.as_str()))
            .collect();
        let keys: Vec<&String> = keys
            .iter()
            .filter(|k| !self.by_key.contains_key(*k))
            .collect();
        let mut branches = Vec::new();
        if !keys.is_empty() {
            let values: String = keys
                .iter()
                .map(|k| format!("{} ", Literal::new_simple_literal(k.as_str())))
                .collect();
            branches.push(format!(
                "{{ VALUES ?k {{ {values} }} GRAPH <{DEFAULT_GRAPH}> {{ ?e mo:key ?k . \
                 {{ ?e a ?t }} UNION {{ ?e rdfs:label ?label }} UNION {{ ?e skos:altLabel ?alt }} }} }}"
            ));
        }
        if !iris.is_empty() {
            branches.push(format!(
                "{{ SELECT DISTINCT ?taken WHERE {{ VALUES ?taken {{ {} }} \
                 GRAPH <{DEFAULT_GRAPH}> {{ ?taken ?p ?o }} }} }}",
                iri_values(iris.iter().copied())
            ));
        }
        if branches.is_empty() {
            return Ok(());
        }
        if self.pinned.is_none() {
            let pinned = self.store.pinned()?.into_keys();
            self.pinned = Some(pinned.map(|n| n.as_str().to_string()).collect());
        }
        let pinned = self.pinned.as_ref().expect("read above");
        let rows = self.store.select(&format!(
            "SELECT ?k ?e ?t ?label ?alt ?taken WHERE {{ {} }}",
            branches.join(" UNION ")
        ))?;
        let mut found: BTreeMap<(String, String), StoredNode> = BTreeMap::new();
        let mut taken: HashSet<String> = HashSet::new();
        for r in rows {
            if let Some(Term::NamedNode(t)) = &r[5] {
                taken.insert(t.as_str().to_string());
                continue;
            }
            let (Some(k), Some(Some(Term::NamedNode(e)))) = (literal(r[0].as_ref()), r.get(1))
            else {
                continue;
            };
            let node = found
                .entry((k, e.as_str().to_string()))
                .or_insert_with(|| StoredNode {
                    iri: e.clone(),
                    types: Vec::new(),
                    label: String::new(),
                    names: Vec::new(),
                    pinned: pinned.contains(e.as_str()),
                });
            if let Some(Term::NamedNode(t)) = &r[2] {
                if !node.types.contains(t) {
                    node.types.push(t.clone());
                }
            }
            if let Some(l) = literal(r[3].as_ref()) {
                node.label = l.clone();
                node.names.push(l);
            }
            if let Some(a) = literal(r[4].as_ref()) {
                node.names.push(a);
            }
        }
        for iri in iris {
            self.taken
                .insert(iri.as_str().to_string(), taken.contains(iri.as_str()));
        }
        for k in keys {
            self.by_key.entry(k.clone()).or_default();
        }
        for ((k, _), node) in found {
            self.taken.insert(node.iri.as_str().to_string(), true);
            self.by_key.entry(k).or_default().push(node);
        }
        Ok(())
    }

    fn nodes_with_key(&mut self, key: &str) -> Result<Vec<StoredNode>> {
        if !self.by_key.contains_key(key) {
            self.prefetch(&[key.to_string()], &[])?;
        }
        Ok(self.by_key.get(key).cloned().unwrap_or_default())
    }

    fn iri_taken(&mut self, iri: &NamedNode) -> Result<bool> {
        if let Some(&t) = self.taken.get(iri.as_str()) {
            return Ok(t);
        }
        let t = self.store.ask(&format!(
            "ASK {{ GRAPH <{DEFAULT_GRAPH}> {{ {iri} ?p ?o }} }}"
        ))?;
        self.taken.insert(iri.as_str().to_string(), t);
        Ok(t)
    }
}

/// The canonical order of articles: by source path, then id.
pub(super) fn order_key(source: Option<&str>, id: &str) -> String {
    format!("{}\t{id}", source.unwrap_or(""))
}

/// An article waiting to be written.
struct Pending {
    id: String,
    quads: Vec<Quad>,
    /// Default-graph quads it takes away (see [`relabel_removals`]).
    removed: Vec<Quad>,
}

/// Writes articles to a remote store in batches (see the module doc).
pub struct RemoteWriter<'a> {
    store: &'a RemoteStore,
    matcher: Matcher<'a>,
    source: RemoteNodes<'a>,
    lock: Option<Lock<'a>>,
    pending: Vec<Pending>,
    pending_ids: HashSet<String>,
    /// Keys of articles placed out of canonical order: their components are
    /// replayed when the batch is written.
    replay_keys: BTreeSet<String>,
    time: String,
    replace: bool,
    /// Names the queued articles give the store (see
    /// [`RemoteWriter::take_learned_names`]).
    learned: Vec<KnownName>,
}

impl<'a> RemoteWriter<'a> {
    pub(super) fn new(store: &'a RemoteStore, names: &'a NameRules, replace: bool) -> Self {
        RemoteWriter {
            store,
            matcher: Matcher::new(names),
            source: RemoteNodes::new(store),
            lock: None,
            pending: Vec::new(),
            pending_ids: HashSet::new(),
            replay_keys: BTreeSet::new(),
            time: crate::store::now_xsd(),
            replace,
            learned: Vec::new(),
        }
    }

    /// Places one article (taking the store's lock for the batch if this
    /// writer does not hold it yet) and queues its quads.
    pub fn add(&mut self, x: &Extraction) -> Result<Ingested> {
        if self.lock.is_none() {
            self.lock = Some(Lock::acquire(self.store)?);
            // Other writers may have changed the store since the last batch.
            self.matcher.clear();
            self.source.clear();
        }
        if self.pending_ids.contains(&x.article.id) {
            return Ok(Ingested::AlreadyPresent);
        }
        let source = x.article.source.as_ref().map(|p| p.display().to_string());
        let order = order_key(source.as_deref(), &x.article.id);
        let keys: BTreeSet<String> = x.entities.iter().flat_map(entity_keys).collect();
        let (stored, later) = self.standing(&x.article.id, &order, &keys)?;
        if stored {
            return Ok(Ingested::AlreadyPresent);
        }
        let mut replaced = Vec::new();
        if let (true, Some(source)) = (self.replace, &source) {
            replaced = self.store.articles_from(source)?;
            if !replaced.is_empty() {
                self.write_pending()?;
                self.store.remove_locked(&replaced)?;
                self.matcher.clear();
                self.source.clear();
            }
        }
        if later {
            self.replay_keys.extend(keys);
        }
        let decisions = self.matcher.place(&mut self.source, &x.entities)?;
        self.learned
            .extend(self.matcher.learned_names(&x.entities, &decisions));
        let placements: Vec<Placement> = decisions.iter().map(|d| d.placement.clone()).collect();
        let info = IngestInfo {
            time: Some(self.time.clone()),
        };
        let mut quads = article_quads(x, &placements, &info);
        quads.extend(close_matches(&decisions));
        let done = ingested(x, &decisions, quads.len(), replaced);
        let removed = relabel_removals(&placements);
        for earlier in &mut self.pending {
            earlier.quads.retain(|q| !removed.contains(q));
        }
        self.pending_ids.insert(x.article.id.clone());
        self.pending.push(Pending {
            id: x.article.id.clone(),
            quads,
            removed,
        });
        Ok(done)
    }

    /// In one request: whether the article `id` is stored, and whether a stored
    /// article sorts after `order` and shares a match key with the nodes an
    /// article with `keys` may join (then placing it now is not what placing in
    /// canonical order does, and its component is replayed).
    fn standing(&self, id: &str, order: &str, keys: &BTreeSet<String>) -> Result<(bool, bool)> {
        let mut query = format!(
            "SELECT ?stored ?later WHERE {{ {{ GRAPH <{DEFAULT_GRAPH}> {{ {} a mo:Article }} \
             BIND(true AS ?stored) }}",
            article_iri(id)
        );
        if !keys.is_empty() {
            let values: String = keys
                .iter()
                .map(|k| format!("{} ", Literal::new_simple_literal(k.as_str())))
                .collect();
            let order = Literal::new_simple_literal(order);
            query.push_str(&format!(
                " UNION {{ SELECT (true AS ?later) WHERE {{ VALUES ?k {{ {values} }} \
                 GRAPH <{DEFAULT_GRAPH}> {{ ?n mo:key ?k . ?n mo:key ?k2 . ?m mo:key ?k2 . \
                 ?m mo:mentionedIn ?a . ?a mo:sha256 ?id OPTIONAL {{ ?a dcterms:source ?s }} }} \
                 FILTER(CONCAT(COALESCE(STR(?s), \"\"), \"\\t\", STR(?id)) > {order}) }} LIMIT 1 }}"
            ));
        }
        query.push_str(" }");
        let rows = self.store.select(&query)?;
        Ok((
            rows.iter().any(|r| r[0].is_some()),
            rows.iter().any(|r| r.get(1).is_some_and(Option::is_some)),
        ))
    }

    /// Sends the queued articles: their graphs, then their descriptions and
    /// entity quads.
    fn write_pending(&mut self) -> Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let mut default = Vec::new();
        let mut markers = Vec::new();
        let mut removed = Vec::new();
        for article in std::mem::take(&mut self.pending) {
            removed.extend(article.removed);
            let quads = convert_all(article.quads, Provenance::Reification);
            let mut graphs: BTreeMap<NamedNode, Vec<Triple>> = BTreeMap::new();
            for q in quads {
                match q.graph_name.clone() {
                    GraphName::NamedNode(g) => graphs.entry(g).or_default().push(q.into()),
                    _ if q.subject == NamedOrBlankNode::from(article_iri(&article.id))
                        && q.predicate == rdf::TYPE =>
                    {
                        markers.push(q)
                    }
                    _ => default.push(q),
                }
            }
            for (g, triples) in graphs {
                self.store.put_graph(&g, &triples)?;
            }
        }
        // The type triples last: they make the articles stored.
        default.extend(markers);
        self.store.delete_default(&removed)?;
        self.store.insert_default(&default)?;
        self.pending_ids.clear();
        Ok(())
    }

    /// Writes the queued articles, replays what was placed out of order, and
    /// gives the lock up.
    pub fn commit(&mut self) -> Result<()> {
        self.write_pending()?;
        if !self.replay_keys.is_empty() {
            let keys = std::mem::take(&mut self.replay_keys);
            replay(self.store, Some(keys), self.matcher.names())?;
            self.matcher.clear();
            self.source.clear();
        }
        if let Some(lock) = self.lock.take() {
            lock.release()?;
        }
        self.time = crate::store::now_xsd();
        Ok(())
    }

    pub fn queued(&self) -> usize {
        self.pending.len()
    }

    /// The names (with their entities' types) that the articles added since
    /// the last call give the store, as [`crate::store::Writer::take_learned_names`].
    pub fn take_learned_names(&mut self) -> Vec<KnownName> {
        std::mem::take(&mut self.learned)
    }
}
