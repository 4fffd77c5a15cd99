//! Removing articles from a store (`musubi remove`, `ingest --replace`).
//!
//! An article is its graphs (facts, open triples, entity records), its
//! description in the default graph, and its share of the entity nodes it
//! mentions: the spellings, match keys and `mo:mentionedIn` it added. The first
//! two are dropped whole. The nodes are recomputed from the records of the
//! articles that still mention them, which say what each article called the
//! entity; a node no article mentions any more, and that no alias file pins, is
//! deleted with the links to it. A node keeps its IRI and type; its
//! `rdfs:label` becomes the fullest name the remaining articles give it (or the
//! one an alias file pins), as ingesting them alone would. Other articles' matching decisions are
//! kept: removing an article does not move facts between nodes (`musubi
//! reconcile` replays matching for a whole shared store).
//!
//! So ingesting A, then B, then removing B leaves what ingesting A alone does.
use std::collections::{BTreeMap, BTreeSet};

use oxigraph::model::vocab::rdfs;
use oxigraph::model::{GraphName, GraphNameRef, Literal, NamedNode, NamedOrBlankNode, Quad, Term};
use oxigraph::store::Transaction;

use crate::error::Result;
use crate::names::{fuller_name, name_key};
use crate::rdf::{article_iri, mo, open_graph_iri, skos};
use crate::store::{pinned_in, Reader, Store};

/// The names of a node, recomputed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NodeNames {
    pub label: String,
    pub alt_labels: BTreeSet<String>,
    pub keys: BTreeSet<String>,
}

/// What one article's record says about an entity: its fullest name there,
/// and every spelling (the fullest included).
#[derive(Debug, Clone)]
pub(crate) struct RecordNames {
    pub full_name: String,
    pub names: BTreeSet<String>,
}

/// A node's names from the records of the articles that mention it and from
/// what alias files pin (`pinned_label`, `pinned_names`): the label is the pinned
/// one, else the fullest name of the records (as when the articles were
/// ingested, in any order), else the current one.
pub(crate) fn node_names(
    current_label: Option<&str>,
    records: &[RecordNames],
    pinned_label: Option<&str>,
    pinned_names: &BTreeSet<String>,
) -> NodeNames {
    let mut names: BTreeSet<String> = pinned_names.clone();
    for r in records {
        names.extend(r.names.iter().cloned());
        names.insert(r.full_name.clone());
    }
    let fullest =
        records
            .iter()
            .map(|r| r.full_name.as_str())
            .reduce(|a, b| if fuller_name(b, a) { b } else { a });
    let label = pinned_label
        .or(fullest)
        .or(current_label)
        .unwrap_or_default();
    let label = label.to_string();
    names.insert(label.clone());
    let keys = names.iter().map(|n| name_key(n)).collect();
    names.remove(&label);
    NodeNames {
        label,
        alt_labels: names,
        keys,
    }
}

/// Removes the articles with these ids in `tx`, and recomputes the nodes they
/// mentioned.
pub(crate) fn remove_articles(
    store: &Store,
    tx: &mut Transaction<'_>,
    ids: &[String],
) -> Result<()> {
    let mut touched: BTreeSet<NamedNode> = BTreeSet::new();
    for id in ids {
        let article = article_iri(id);
        let graph = GraphName::NamedNode(article.clone());
        for q in Reader::Transaction(store, tx).quads(
            None,
            Some(mo("refersTo").as_ref()),
            None,
            Some(graph.as_ref()),
        )? {
            if let Term::NamedNode(node) = q.object {
                touched.insert(node);
            }
        }
        let about = Reader::Transaction(store, tx).quads(
            Some(article.as_ref().into()),
            None,
            None,
            Some(GraphNameRef::DefaultGraph),
        )?;
        let mentions = Reader::Transaction(store, tx).quads(
            None,
            Some(mo("mentionedIn").as_ref()),
            Some(article.as_ref().into()),
            Some(GraphNameRef::DefaultGraph),
        )?;
        for q in &mentions {
            if let NamedOrBlankNode::NamedNode(node) = &q.subject {
                touched.insert(node.clone());
            }
        }
        for q in about.iter().chain(&mentions) {
            tx.remove(q);
        }
        for g in [article, open_graph_iri(id)] {
            tx.remove_named_graph(&g).map_err(|e| store.error(e))?;
        }
    }
    let pinned = pinned_in(Reader::Transaction(store, tx))?;
    for node in touched {
        let subject = NamedOrBlankNode::from(node.clone());
        let mine: Vec<Quad> = pinned
            .iter()
            .filter(|q| q.subject == subject)
            .cloned()
            .collect();
        recompute_node(store, tx, &node, &mine)?;
    }
    Ok(())
}

/// Rewrites a node's label, spellings and keys from the records of the
/// articles that still mention it, or deletes it when none does.
fn recompute_node(
    store: &Store,
    tx: &mut Transaction<'_>,
    node: &NamedNode,
    pinned: &[Quad],
) -> Result<()> {
    let default = Some(GraphNameRef::DefaultGraph);
    let reader = Reader::Transaction(store, tx);
    let described = reader.quads(Some(node.as_ref().into()), None, None, default)?;
    let mut records: BTreeMap<NamedNode, Vec<RecordNames>> = BTreeMap::new();
    for q in reader.quads(
        None,
        Some(mo("refersTo").as_ref()),
        Some(node.as_ref().into()),
        None,
    )? {
        let GraphName::NamedNode(graph) = &q.graph_name else {
            continue;
        };
        let record = read_record(reader, &q.subject, graph)?;
        records.entry(graph.clone()).or_default().push(record);
    }
    match recompute(node, &described, pinned, &records) {
        Recomputed::Keep => {}
        Recomputed::Delete => {
            let pointing = reader.quads(None, None, Some(node.as_ref().into()), default)?;
            for q in described.iter().chain(&pointing) {
                tx.remove(q);
            }
        }
        Recomputed::Rewrite { old, new } => {
            for q in &old {
                tx.remove(q);
            }
            tx.extend(&new);
        }
    }
    Ok(())
}

/// What becomes of a node once some articles are gone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Recomputed {
    /// Left as it is (an article stored before records were kept mentions it).
    Keep,
    /// No article mentions it and no alias file pins it.
    Delete,
    /// Its label, spellings and keys: `old` quads replaced by `new`.
    Rewrite { old: Vec<Quad>, new: Vec<Quad> },
}

/// Decides what becomes of `node`, given its default-graph quads once the
/// removed articles' `mo:mentionedIn` are gone (`described`), its pinned quads
/// (`pinned`, from the alias files) and the records of the remaining
/// articles that refer to it, by article graph.
pub(crate) fn recompute(
    node: &NamedNode,
    described: &[Quad],
    pinned: &[Quad],
    records: &BTreeMap<NamedNode, Vec<RecordNames>>,
) -> Recomputed {
    let mentioned: BTreeSet<&NamedNode> = described
        .iter()
        .filter(|q| q.predicate == mo("mentionedIn"))
        .filter_map(|q| match &q.object {
            Term::NamedNode(a) => Some(a),
            _ => None,
        })
        .collect();
    if mentioned.is_empty() && pinned.is_empty() {
        return Recomputed::Delete;
    }
    if !mentioned.iter().all(|a| records.contains_key(*a)) {
        // An article stored before records were kept: its share of the names
        // is unknown, so they are left as they are.
        return Recomputed::Keep;
    }
    let label_property = NamedNode::from(rdfs::LABEL);
    let literal = |q: &Quad, p: &NamedNode| match &q.object {
        Term::Literal(l) if q.predicate == *p => Some(l.value().to_string()),
        _ => None,
    };
    let current_label = described.iter().find_map(|q| literal(q, &label_property));
    let pinned_label = pinned.iter().find_map(|q| literal(q, &label_property));
    let pinned_names: BTreeSet<String> = pinned
        .iter()
        .filter_map(|q| literal(q, &label_property).or_else(|| literal(q, &skos("altLabel"))))
        .collect();
    let remaining: Vec<RecordNames> = mentioned
        .iter()
        .flat_map(|a| records[*a].iter().cloned())
        .collect();
    let names = node_names(
        current_label.as_deref(),
        &remaining,
        pinned_label.as_deref(),
        &pinned_names,
    );
    let old: Vec<Quad> = described
        .iter()
        .filter(|q| {
            let p = &q.predicate;
            *p == label_property || *p == skos("altLabel") || *p == mo("key")
        })
        .cloned()
        .collect();
    Recomputed::Rewrite {
        old,
        new: name_quads(node, &names),
    }
}

/// The default-graph quads of a node's names.
pub(crate) fn name_quads(node: &NamedNode, names: &NodeNames) -> Vec<Quad> {
    let quad = |p: NamedNode, value: &str| {
        Quad::new(
            node.clone(),
            p,
            Literal::new_simple_literal(value),
            GraphName::DefaultGraph,
        )
    };
    let mut quads = vec![quad(rdfs::LABEL.into(), &names.label)];
    quads.extend(names.alt_labels.iter().map(|a| quad(skos("altLabel"), a)));
    quads.extend(names.keys.iter().map(|k| quad(mo("key"), k)));
    quads
}

/// The names a record (in `graph`) gives its entity.
fn read_record(
    reader: Reader<'_>,
    record: &NamedOrBlankNode,
    graph: &NamedNode,
) -> Result<RecordNames> {
    let mut out = RecordNames {
        full_name: String::new(),
        names: BTreeSet::new(),
    };
    for q in reader.quads(
        Some(record.as_ref()),
        None,
        None,
        Some(graph.as_ref().into()),
    )? {
        if let Term::Literal(l) = q.object {
            if q.predicate == mo("fullName") {
                out.full_name = l.value().to_string();
                out.names.insert(out.full_name.clone());
            } else if q.predicate == mo("name") {
                out.names.insert(l.value().to_string());
            }
        }
    }
    Ok(out)
}
