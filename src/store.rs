//! Stage 7: the oxigraph store. Writes each article in one transaction (so a
//! crash leaves whole articles or none), matches its entities against entities
//! already stored, and answers SPARQL.
use std::path::{Path, PathBuf};

use oxigraph::model::vocab::rdf;
use oxigraph::model::{GraphName, GraphNameRef, Literal, NamedNode, NamedOrBlankNode, Quad, Term};
use oxigraph::sparql::{QueryResults, SparqlEvaluator};
use oxigraph::store::{StorageError, Store as OxStore, Transaction};

use crate::document::{Entity, Extraction};
use crate::entities::{compare_names, name_key, NameMatch};
use crate::error::{Error, Result};
use crate::rdf::{
    article_iri, article_quads, class_iri, entity_iri, mo, skos, IngestInfo, PREFIXES,
};

/// The default store folder when neither `--store` nor `MUSUBI_STORE` is given.
pub const DEFAULT_STORE: &str = "musubi-store";

/// An open store: read-write (ingest) or read-only (query, export, stats).
pub struct Store {
    inner: OxStore,
    path: Option<PathBuf>,
}

/// What ingesting one article did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ingested {
    /// Written: counts of quads, entities (new and reused) and facts.
    Added {
        quads: usize,
        new_entities: usize,
        reused_entities: usize,
        facts: usize,
    },
    /// The same text is already in the store; nothing changed.
    AlreadyPresent,
}

impl Store {
    /// Opens (creating if needed) a store for writing; call
    /// [`Store::load_reference`] before ingesting. Fails with
    /// [`Error::StoreInUse`] when another process holds it.
    pub fn open(path: &Path) -> Result<Store> {
        let inner = OxStore::open(path).map_err(|e| open_error(path, e))?;
        Ok(Store {
            inner,
            path: Some(path.to_path_buf()),
        })
    }

    /// Opens an existing store without taking its write lock, so it can be read
    /// while an ingest runs.
    pub fn open_read_only(path: &Path) -> Result<Store> {
        if !path.join("CURRENT").exists() {
            return Err(Error::Store(format!(
                "no store at {} (run `musubi ingest` first, or pass --store DIR)",
                path.display()
            )));
        }
        let inner = OxStore::open_read_only(path).map_err(|e| open_error(path, e))?;
        Ok(Store {
            inner,
            path: Some(path.to_path_buf()),
        })
    }

    /// A store in memory, for tests and `extract`.
    pub fn in_memory() -> Result<Store> {
        let store = Store {
            inner: OxStore::new().map_err(storage)?,
            path: None,
        };
        store.load_reference(crate::rules::VOCABULARY.1, &[])?;
        Ok(store)
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    pub fn oxigraph(&self) -> &OxStore {
        &self.inner
    }

    /// Replaces the vocabulary graph with `vocabulary` (Turtle) and adds the
    /// pinned entities of each alias file (name, Turtle) to the default graph,
    /// with match keys for their spellings, so articles that use any of those
    /// spellings reuse the pinned IRI (and its `owl:sameAs` links). Pinning is
    /// additive: entries removed from a file stay in the store.
    pub fn load_reference(&self, vocabulary: &str, alias_files: &[(String, String)]) -> Result<()> {
        let graph = NamedNode::new_unchecked(ONTOLOGY_GRAPH);
        let vocab = parse_turtle(
            "ontology/musubi.ttl",
            vocabulary,
            GraphName::NamedNode(graph.clone()),
        )?;
        let mut pinned = Vec::new();
        for (name, text) in alias_files {
            let quads = parse_turtle(name, text, GraphName::DefaultGraph)?;
            for q in &quads {
                let is_name = q.predicate == oxigraph::model::vocab::rdfs::LABEL
                    || q.predicate == skos("altLabel");
                if let (true, Term::Literal(l)) = (is_name, &q.object) {
                    pinned.push(Quad::new(
                        q.subject.clone(),
                        mo("key"),
                        Literal::new_simple_literal(name_key(l.value())),
                        GraphName::DefaultGraph,
                    ));
                }
            }
            pinned.extend(quads);
        }
        let mut tx = self.inner.start_transaction().map_err(storage)?;
        tx.clear_graph(&graph).map_err(storage)?;
        tx.extend(vocab.iter().chain(&pinned));
        tx.commit().map_err(storage)
    }
    /// True when an article with this id is already stored.
    pub fn contains_article(&self, id: &str) -> Result<bool> {
        self.inner
            .contains(oxigraph::model::QuadRef::new(
                &article_iri(id),
                rdf::TYPE,
                &mo("Article"),
                GraphNameRef::DefaultGraph,
            ))
            .map_err(storage)
    }

    /// Writes one article in a single transaction: matches its entities to the
    /// store, then inserts its quads. Either all of it lands or nothing does.
    pub fn ingest(&self, x: &Extraction) -> Result<Ingested> {
        let mut tx = self.inner.start_transaction().map_err(storage)?;
        let art = article_iri(&x.article.id);
        let marker = Quad::new(
            art.clone(),
            rdf::TYPE,
            mo("Article"),
            GraphName::DefaultGraph,
        );
        if tx.contains(&marker).map_err(storage)? {
            return Ok(Ingested::AlreadyPresent);
        }
        let mut iris = Vec::with_capacity(x.entities.len());
        let mut is_new = Vec::with_capacity(x.entities.len());
        let mut close = Vec::new();
        for e in &x.entities {
            match match_entity(&tx, e)? {
                Match::Reuse(node) => {
                    iris.push(node);
                    is_new.push(false);
                }
                found => {
                    let node = mint_iri(&tx, e)?;
                    if let Match::Close(other) = found {
                        close.push((node.clone(), other));
                    }
                    iris.push(node);
                    is_new.push(true);
                }
            }
        }
        let keys: Vec<Vec<String>> = x.entities.iter().map(entity_keys).collect();
        let info = IngestInfo { time: now_xsd() };
        let mut quads = article_quads(x, &iris, &is_new, &keys, &info);
        for (a, b) in close {
            quads.push(Quad::new(a, skos("closeMatch"), b, GraphName::DefaultGraph));
        }
        tx.extend(quads.iter());
        tx.commit().map_err(storage)?;
        Ok(Ingested::Added {
            quads: quads.len(),
            new_entities: is_new.iter().filter(|n| **n).count(),
            reused_entities: is_new.iter().filter(|n| !**n).count(),
            facts: x.facts.iter().filter(|f| f.asserted).count(),
        })
    }

    /// Number of quads in the store.
    pub fn len(&self) -> Result<usize> {
        self.inner.len().map_err(storage)
    }

    pub fn is_empty(&self) -> Result<bool> {
        self.inner.is_empty().map_err(storage)
    }

    /// Parses and runs a SPARQL query. The musubi prefixes (mo:, ent:, skos:…)
    /// are predeclared.
    pub fn query(&self, sparql: &str) -> Result<QueryResults<'static>> {
        self.run_query(sparql, false)
    }

    /// Like [`Store::query`], but the default graph is the union of all graphs
    /// (entities, vocabulary and every article's facts), as in `oxigraph serve
    /// --union-default-graph`: what `musubi query` runs, so a user's plain
    /// `?s ?p ?o` sees facts and labels alike. `GRAPH ?g` still names the
    /// article; a query with its own FROM keeps its dataset.
    pub fn query_all_graphs(&self, sparql: &str) -> Result<QueryResults<'static>> {
        self.run_query(sparql, true)
    }

    fn run_query(&self, sparql: &str, union: bool) -> Result<QueryResults<'static>> {
        let mut evaluator = SparqlEvaluator::new();
        for (p, iri) in PREFIXES {
            evaluator = evaluator
                .with_prefix(p, iri)
                .map_err(|e| Error::Sparql(e.to_string()))?;
        }
        let mut prepared = evaluator
            .parse_query(sparql)
            .map_err(|e| Error::Sparql(syntax_error(&e.to_string())))?;
        if union && prepared.dataset().is_default_dataset() {
            prepared.dataset_mut().set_default_graph_as_union();
        }
        prepared
            .on_store(&self.inner)
            .execute()
            .map_err(|e| Error::Sparql(one_line(&e.to_string())))
    }

    /// Runs a SELECT and returns its rows as (variable → term) lists.
    pub fn select(&self, sparql: &str) -> Result<Vec<Vec<Option<Term>>>> {
        match self.query(sparql)? {
            QueryResults::Solutions(rows) => rows
                .map(|r| {
                    r.map(|s| s.values().to_vec())
                        .map_err(|e| Error::Sparql(e.to_string()))
                })
                .collect(),
            _ => Err(Error::Sparql("expected a SELECT query".into())),
        }
    }
}

/// The graph the vocabulary is loaded into.
pub const ONTOLOGY_GRAPH: &str = "https://w3id.org/musubi/ontology";

enum Match {
    Reuse(NamedNode),
    Close(NamedNode),
    None,
}

/// Keys under which an entity can be found again: one per spelling.
fn entity_keys(e: &Entity) -> Vec<String> {
    let mut keys: Vec<String> = e.aliases.iter().map(|a| name_key(a)).collect();
    keys.sort();
    keys.dedup();
    keys
}

/// Looks for a stored entity of the same type sharing a key with `e`; a shared
/// key is a candidate, and [`compare_names`] on the labels decides between a
/// sure match (reuse) and an unsure one (a new node with `skos:closeMatch`).
fn match_entity(tx: &Transaction<'_>, e: &Entity) -> Result<Match> {
    let class = class_iri(e.etype);
    let mut close = None;
    for key in entity_keys(e) {
        let lit = Literal::new_simple_literal(key);
        for q in tx.quads_for_pattern(
            None,
            Some(mo("key").as_ref()),
            Some(lit.as_ref().into()),
            Some(GraphNameRef::DefaultGraph),
        ) {
            let q = q.map_err(storage)?;
            let NamedOrBlankNode::NamedNode(node) = q.subject else {
                continue;
            };
            let typed = tx
                .contains(oxigraph::model::QuadRef::new(
                    &node,
                    rdf::TYPE,
                    &class,
                    GraphNameRef::DefaultGraph,
                ))
                .map_err(storage)?;
            if !typed {
                continue;
            }
            let stored = labels_of(tx, &node)?;
            let sure = e.aliases.iter().any(|a| {
                stored
                    .iter()
                    .any(|s| compare_names(a, s) == NameMatch::Sure)
            });
            if sure {
                return Ok(Match::Reuse(node));
            }
            close.get_or_insert(node);
        }
    }
    Ok(close.map_or(Match::None, Match::Close))
}

fn labels_of(tx: &Transaction<'_>, node: &NamedNode) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for p in [
        oxigraph::model::vocab::rdfs::LABEL.into_owned(),
        skos("altLabel"),
    ] {
        for q in tx.quads_for_pattern(
            Some(node.as_ref().into()),
            Some(p.as_ref()),
            None,
            Some(GraphNameRef::DefaultGraph),
        ) {
            if let Term::Literal(l) = q.map_err(storage)?.object {
                out.push(l.value().to_string());
            }
        }
    }
    Ok(out)
}

/// A fresh IRI for a new entity: its label, with `-2`, `-3`… when taken.
fn mint_iri(tx: &Transaction<'_>, e: &Entity) -> Result<NamedNode> {
    for n in 1.. {
        let node = entity_iri(e.etype, &e.label, n);
        let taken = tx
            .quads_for_pattern(
                Some(node.as_ref().into()),
                None,
                None,
                Some(GraphNameRef::DefaultGraph),
            )
            .next()
            .is_some();
        if !taken {
            return Ok(node);
        }
    }
    unreachable!("some suffix is always free")
}

fn now_xsd() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

fn parse_turtle(name: &str, text: &str, graph: GraphName) -> Result<Vec<Quad>> {
    oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::Turtle)
        .with_default_graph(graph)
        .for_slice(text.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| Error::Rules {
            path: name.to_string(),
            problem: one_line(&e.to_string()),
        })
}

fn storage(e: StorageError) -> Error {
    Error::Store(one_line(&e.to_string()))
}

fn open_error(path: &Path, e: StorageError) -> Error {
    let msg = e.to_string();
    if msg.contains("lock") || msg.contains("Resource temporarily unavailable") {
        Error::StoreInUse(path.to_path_buf())
    } else {
        Error::Store(format!("{}: {}", path.display(), one_line(&msg)))
    }
}

/// The parser lists every token it expected; one line only needs where.
fn syntax_error(s: &str) -> String {
    match s.split_once(": expected one of") {
        Some((at, _)) => format!("syntax {at}: unexpected input"),
        None => one_line(s),
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Articles, entities by type and facts by relation, as text for people.
pub fn stats(store: &Store) -> Result<String> {
    let count = |q: &str| -> Result<Vec<(String, String)>> {
        Ok(store
            .select(q)?
            .into_iter()
            .map(|r| {
                let text = |t: &Option<Term>| match t {
                    Some(Term::Literal(l)) => l.value().to_string(),
                    Some(Term::NamedNode(n)) => n
                        .as_str()
                        .rsplit(['#', '/'])
                        .next()
                        .unwrap_or("")
                        .to_string(),
                    _ => String::new(),
                };
                (text(&r[0]), text(&r[1]))
            })
            .collect())
    };
    let mut out = String::new();
    let articles = count("SELECT ?x (COUNT(?a) AS ?n) WHERE { ?a a mo:Article } GROUP BY ?x")?;
    out.push_str(&format!(
        "articles: {}\n",
        articles.first().map_or("0", |r| r.1.as_str())
    ));
    out.push_str("entities by type:\n");
    for (t, n) in count("SELECT ?t (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a ?t ; mo:mentionedIn ?a } GROUP BY ?t ORDER BY DESC(?n)")? {
        out.push_str(&format!("  {t:<14} {n}\n"));
    }
    out.push_str("facts by relation:\n");
    // Counted by reifier, one per fact, so the provenance properties the reifiers
    // carry are not mistaken for relations; facts marked not asserted are left out,
    // as they are from the article graphs.
    for (p, n) in count(
        "SELECT ?p (COUNT(*) AS ?n) WHERE { ?g a mo:Article . \
         GRAPH ?g { ?f rdf:reifies ?t ; mo:asserted true } BIND(PREDICATE(?t) AS ?p) } \
         GROUP BY ?p ORDER BY DESC(?n) ?p",
    )? {
        out.push_str(&format!("  {p:<18} {n}\n"));
    }
    let open = count(&format!(
        "SELECT ?x (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?p), \"{}\")) }} GROUP BY ?x",
        crate::rdf::OPEN
    ))?;
    out.push_str(&format!(
        "open triples: {}\n",
        open.first().map_or("0", |r| r.1.as_str())
    ));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_xsd_datetimes() {
        let t = now_xsd();
        assert_eq!(t.len(), 20);
        assert!(t.starts_with("20") && t.ends_with('Z'));
    }
}
