//! Removing articles from a remote store, as [`crate::removal`] does for the
//! embedded one: the articles' graphs and descriptions are dropped and the
//! entity nodes they mentioned are recomputed from the articles that remain,
//! in one SPARQL update request sent under the store's lock, so no other
//! musubi writer matches against a half-removed article. Whether a request
//! that fails midway can leave part of it done is up to the server (oxigraph
//! applies one update as one transaction).
use std::collections::{BTreeMap, BTreeSet};

use oxigraph::model::{GraphName, NamedNode, Quad, Term};

use super::DEFAULT_GRAPH;
use super::{delete_and_insert, iri_values, literal, subject_of, Lock, RemoteStore, Rows};
use crate::error::Result;
use crate::rdf::{article_iri, mo};
use crate::removal::{recompute, Recomputed, RecordNames};

impl RemoteStore {
    /// Removes articles, as [`crate::store::Store::remove_articles`] does:
    /// their graphs and description go, and the nodes they mentioned are
    /// recomputed from the articles that remain. One SPARQL update, under the
    /// lock.
    pub fn remove_articles(&self, ids: &[String]) -> Result<()> {
        let lock = Lock::acquire(self)?;
        self.remove_locked(ids)?;
        lock.release()
    }

    pub(super) fn remove_locked(&self, ids: &[String]) -> Result<()> {
        let removed: BTreeSet<NamedNode> = ids.iter().map(|id| article_iri(id)).collect();
        let values = iri_values(&removed);
        let rows = self.select(&format!(
            "SELECT DISTINCT ?e WHERE {{ VALUES ?a {{ {values} }} \
             {{ GRAPH ?a {{ ?r mo:refersTo ?e }} }} UNION \
             {{ GRAPH <{DEFAULT_GRAPH}> {{ ?e mo:mentionedIn ?a }} }} }}"
        ))?;
        let touched: BTreeSet<NamedNode> = rows
            .into_iter()
            .filter_map(|r| match r.into_iter().next()? {
                Some(Term::NamedNode(n)) => Some(n),
                _ => None,
            })
            .collect();
        let mut update = String::new();
        for a in &removed {
            update.push_str(&format!(
                "DROP SILENT GRAPH {a} ;\nDROP SILENT GRAPH <{}/open> ;\n\
                 DELETE WHERE {{ GRAPH <{DEFAULT_GRAPH}> {{ {a} ?p ?o }} }} ;\n\
                 DELETE WHERE {{ GRAPH <{DEFAULT_GRAPH}> {{ ?e mo:mentionedIn {a} }} }} ;\n",
                a.as_str()
            ));
        }
        let (remove, add) = self.recompute_nodes(&touched, &removed)?;
        update.push_str(&delete_and_insert(&remove, &add));
        self.update(&update)
    }

    /// What removing `removed` does to the nodes in `touched`: the quads to
    /// delete and to insert (in the default graph's layout).
    fn recompute_nodes(
        &self,
        touched: &BTreeSet<NamedNode>,
        removed: &BTreeSet<NamedNode>,
    ) -> Result<(Vec<Quad>, Vec<Quad>)> {
        if touched.is_empty() {
            return Ok((Vec::new(), Vec::new()));
        }
        let values = iri_values(touched);
        let described = self.node_quads(touched)?;
        let pointing = self.select_all(
            &format!(
                "SELECT ?s ?p ?e WHERE {{ VALUES ?e {{ {values} }} GRAPH <{DEFAULT_GRAPH}> {{ ?s ?p ?e }} }}"
            ),
            "?s ?p ?e",
        )?;
        let pinned = self.pinned()?;
        let records = self.select_all(
            &format!(
                "SELECT ?e ?g ?r ?full ?name WHERE {{ VALUES ?e {{ {values} }} \
                 GRAPH ?g {{ ?r mo:refersTo ?e ; mo:fullName ?full OPTIONAL {{ ?r mo:name ?name }} }} }}"
            ),
            "?e ?g ?r ?name",
        )?;
        let mut by_node: BTreeMap<NamedNode, BTreeMap<NamedNode, BTreeMap<String, RecordNames>>> =
            BTreeMap::new();
        for r in records {
            let [Some(Term::NamedNode(e)), Some(Term::NamedNode(g)), Some(rec), Some(full), name] =
                <[Option<Term>; 5]>::try_from(r).unwrap_or_default()
            else {
                continue;
            };
            if removed.contains(&g) {
                continue;
            }
            let full = literal(Some(&full)).unwrap_or_default();
            let entry = by_node
                .entry(e)
                .or_default()
                .entry(g)
                .or_default()
                .entry(rec.to_string())
                .or_insert_with(|| RecordNames {
                    full_name: full.clone(),
                    names: BTreeSet::from([full.clone()]),
                });
            if let Some(n) = literal(name.as_ref()) {
                entry.names.insert(n);
            }
        }
        // Rows (a, p, b) as default-graph quads, those with `node` at `position` (0 or 2).
        let quads_at = |rows: &Rows, node: &NamedNode, position: usize| -> Vec<Quad> {
            rows.iter()
                .filter(|r| r[position] == Some(Term::NamedNode(node.clone())))
                .filter_map(|r| match [r[0].clone(), r[1].clone(), r[2].clone()] {
                    [Some(s), Some(Term::NamedNode(p)), Some(o)] => {
                        Some(Quad::new(subject_of(s)?, p, o, GraphName::DefaultGraph))
                    }
                    _ => None,
                })
                .collect()
        };
        let mut remove = Vec::new();
        let mut add = Vec::new();
        for node in touched {
            let mine: Vec<Quad> = described
                .get(node)
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .filter(|q| {
                    !(q.predicate == mo("mentionedIn")
                        && removed
                            .iter()
                            .any(|a| q.object == Term::NamedNode(a.clone())))
                })
                .collect();
            let records: BTreeMap<NamedNode, Vec<RecordNames>> = by_node
                .remove(node)
                .unwrap_or_default()
                .into_iter()
                .map(|(g, recs)| (g, recs.into_values().collect()))
                .collect();
            match recompute(
                node,
                &mine,
                pinned.get(node).map_or(&[][..], Vec::as_slice),
                &records,
            ) {
                Recomputed::Keep => {}
                Recomputed::Delete => {
                    remove.extend(mine);
                    remove.extend(quads_at(&pointing, node, 2));
                }
                Recomputed::Rewrite { old, new } => {
                    remove.extend(old);
                    add.extend(new);
                }
            }
        }
        Ok((remove, add))
    }
}
