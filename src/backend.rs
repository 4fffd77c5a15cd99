//! The store a command works on: the embedded oxigraph store (`--store DIR`)
//! or a remote SPARQL store (`--endpoint URL`). Commands call these methods and
//! do not care which; each method says where the two differ.
use std::io::Write;

use oxigraph::io::RdfFormat;
use oxigraph::model::Term;
use oxigraph::sparql::QueryResults;
use petgraph::graph::DiGraph;

use crate::document::Extraction;
use crate::error::{Error, Result};
use crate::export::{self, GraphNode};
use crate::mentions::KnownName;
use crate::names::NameRules;
use crate::provenance::Provenance;
use crate::query::{Answer, QueryLimits};
use crate::remote::{RemoteStore, RemoteWriter, ReplayReport};
use crate::store::{Ingested, Store, Writer};

/// What [`crate::ingest::ingest_paths`] writes to.
pub trait ArticleStore: Send + Sync {
    type Writer<'a>: ArticleWriter
    where
        Self: 'a;
    /// True when an article with this id is stored.
    fn contains_article(&self, id: &str) -> Result<bool>;
    /// A writer comparing names under `names`; with `replace`, an article
    /// replaces the one stored from the same source path.
    fn writer<'a>(&'a self, names: &'a NameRules, replace: bool) -> Self::Writer<'a>;
    /// Makes what was committed survive a crash, before it is reported stored.
    /// A remote store's server has it once it answered.
    fn sync(&self) -> Result<()> {
        Ok(())
    }
    /// Lets the store free write buffers between batches.
    fn flush(&self) -> Result<()> {
        Ok(())
    }
    /// Keeps other processes from reading while a batch is written, until the
    /// guard is dropped; calls `waiting` first when it has to wait for them.
    /// A remote store's server serves reads and writes itself.
    fn exclude_readers(&self, _waiting: &mut dyn FnMut()) -> Result<Option<std::fs::File>> {
        Ok(None)
    }
    /// Where the store is, for messages.
    fn location(&self) -> String;
}

/// Writes articles in batches: [`ArticleWriter::add`] places one article and
/// queues it, [`ArticleWriter::commit`] writes the batch.
pub trait ArticleWriter {
    fn add(&mut self, x: &Extraction) -> Result<Ingested>;
    fn commit(&mut self) -> Result<()>;
    /// Articles queued and not yet written.
    fn queued(&self) -> usize;
    /// The names (with their entities' types) that the articles added since
    /// the last call give the store, for the next batch to look for.
    fn take_learned_names(&mut self) -> Vec<KnownName>;
}

impl ArticleStore for Store {
    type Writer<'a> = Writer<'a>;
    fn contains_article(&self, id: &str) -> Result<bool> {
        Store::contains_article(self, id)
    }
    fn writer<'a>(&'a self, names: &'a NameRules, replace: bool) -> Writer<'a> {
        Store::writer(self, names).replacing(replace)
    }
    fn sync(&self) -> Result<()> {
        Store::sync(self)
    }
    fn flush(&self) -> Result<()> {
        self.oxigraph().flush().map_err(|e| self.error(e))
    }
    fn exclude_readers(&self, waiting: &mut dyn FnMut()) -> Result<Option<std::fs::File>> {
        Store::exclude_readers(self, waiting)
    }
    fn location(&self) -> String {
        self.path()
            .map_or_else(|| "the store in memory".into(), |p| p.display().to_string())
    }
}

impl ArticleWriter for Writer<'_> {
    fn add(&mut self, x: &Extraction) -> Result<Ingested> {
        Writer::add(self, x)
    }
    fn commit(&mut self) -> Result<()> {
        Writer::commit(self)
    }
    fn queued(&self) -> usize {
        Writer::queued(self)
    }
    fn take_learned_names(&mut self) -> Vec<KnownName> {
        Writer::take_learned_names(self)
    }
}

impl ArticleStore for RemoteStore {
    type Writer<'a> = RemoteWriter<'a>;
    fn contains_article(&self, id: &str) -> Result<bool> {
        RemoteStore::contains_article(self, id)
    }
    fn writer<'a>(&'a self, names: &'a NameRules, replace: bool) -> RemoteWriter<'a> {
        RemoteStore::writer(self, names, replace)
    }
    fn location(&self) -> String {
        self.endpoint.query.clone()
    }
}

impl ArticleWriter for RemoteWriter<'_> {
    fn add(&mut self, x: &Extraction) -> Result<Ingested> {
        RemoteWriter::add(self, x)
    }
    fn commit(&mut self) -> Result<()> {
        RemoteWriter::commit(self)
    }
    fn queued(&self) -> usize {
        RemoteWriter::queued(self)
    }
    fn take_learned_names(&mut self) -> Vec<KnownName> {
        RemoteWriter::take_learned_names(self)
    }
}

/// The store a command works on.
pub enum Backend {
    Embedded(Store),
    Remote(RemoteStore),
}

/// An article as `musubi remove` and `export --article` find it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleRef {
    pub id: String,
    pub source: Option<String>,
}

impl Backend {
    /// A user's query. The embedded store answers over the union of its graphs;
    /// a remote store over whatever its server's default dataset is.
    pub fn query(&self, sparql: &str) -> Result<QueryResults<'static>> {
        match self {
            Backend::Embedded(s) => s.query_all_graphs(sparql),
            Backend::Remote(r) => r.query(sparql),
        }
    }

    /// A user's query under `limits` (see [`crate::query`]).
    pub fn query_limited(&self, sparql: &str, limits: &QueryLimits) -> Result<Answer> {
        match self {
            Backend::Embedded(s) => crate::query::run(s, sparql, limits),
            Backend::Remote(r) => crate::query::run_with(|_| r.query(sparql), limits),
        }
    }

    /// Runs a SELECT written for the embedded store's layout, where `{DEFAULT}`
    /// opens a group on the data the embedded store keeps in its default graph.
    fn select(&self, sparql: &str) -> Result<Vec<Vec<Option<Term>>>> {
        match self {
            Backend::Embedded(s) => s.select(&sparql.replace("{DEFAULT}", "")),
            Backend::Remote(r) => r.select_layout(sparql),
        }
    }

    /// How the store links a fact's reifier to its triple.
    pub fn provenance(&self) -> Provenance {
        match self {
            Backend::Embedded(_) => Provenance::Rdf12,
            Backend::Remote(_) => Provenance::Reification,
        }
    }

    /// The stored articles whose id starts with `wanted`, or whose source path
    /// is `wanted` or ends with `/wanted` (a file name).
    pub fn find_articles(&self, wanted: &str) -> Result<Vec<ArticleRef>> {
        let all: Vec<ArticleRef> = match self {
            Backend::Embedded(_) => self
                .select(
                    "SELECT ?id ?src WHERE { ?a a mo:Article ; mo:sha256 ?id \
                     OPTIONAL { ?a dcterms:source ?src } }",
                )?
                .into_iter()
                .filter_map(|r| {
                    Some(ArticleRef {
                        id: text(r.first()?.as_ref()?),
                        source: r.get(1)?.as_ref().map(text),
                    })
                })
                .collect(),
            Backend::Remote(r) => r
                .articles()?
                .into_iter()
                .map(|(id, source)| ArticleRef { id, source })
                .collect(),
        };
        let mut hits: Vec<ArticleRef> = all
            .into_iter()
            .filter(|a| {
                a.id.starts_with(wanted)
                    || a.source.as_deref().is_some_and(|s| {
                        !wanted.is_empty() && (s == wanted || s.ends_with(&format!("/{wanted}")))
                    })
            })
            .collect();
        hits.sort_by(|a, b| a.id.cmp(&b.id));
        hits.dedup();
        Ok(hits)
    }

    /// The id of the one stored article `wanted` names (see
    /// [`Backend::find_articles`]).
    pub fn find_article(&self, wanted: &str) -> Result<String> {
        let mut hits = self.find_articles(wanted)?;
        match hits.len() {
            1 => Ok(hits.remove(0).id),
            0 => Err(Error::ArticleNotFound(wanted.to_string())),
            count => Err(Error::ArticleAmbiguous {
                wanted: wanted.to_string(),
                count,
            }),
        }
    }

    /// Removes stored articles: see [`crate::removal`].
    pub fn remove_articles(&self, ids: &[String]) -> Result<()> {
        match self {
            Backend::Embedded(s) => s.remove_articles(ids),
            Backend::Remote(r) => r.remove_articles(ids),
        }
    }

    /// Names the store knows, for finding them again in new articles.
    pub fn known_names(&self) -> Result<Vec<KnownName>> {
        match self {
            Backend::Embedded(s) => s.known_names(),
            Backend::Remote(r) => r.known_names(),
        }
    }

    /// Writes the store (or one article's graph) as RDF.
    pub fn write_rdf(
        &self,
        format: RdfFormat,
        provenance: Provenance,
        article: Option<&str>,
        out: &mut dyn Write,
    ) -> Result<()> {
        match self {
            Backend::Embedded(s) => export::write_rdf(s, format, provenance, article, out),
            Backend::Remote(r) => {
                let quads = r.quads()?;
                export::write_quads(
                    || quads.iter().cloned().map(Ok),
                    format,
                    provenance,
                    article,
                    out,
                )
            }
        }
    }

    /// The facts as a graph for pictures.
    pub fn fact_graph(&self, article: Option<&str>) -> Result<DiGraph<GraphNode, String>> {
        export::fact_graph_with(|q| self.select(q), article)
    }

    /// Replays entity matching over the whole store (remote stores only),
    /// comparing names under `names`.
    pub fn reconcile(&self, names: &NameRules) -> Result<ReplayReport> {
        match self {
            Backend::Remote(r) => r.reconcile(names),
            Backend::Embedded(_) => Err(Error::Usage(
                "reconcile works on a remote store: give --endpoint URL (the embedded store \
                 matches entities as it ingests)"
                    .into(),
            )),
        }
    }

    /// Articles, entities by type and facts by relation, as text for people.
    pub fn stats(&self) -> Result<String> {
        let count = |q: &str| -> Result<Vec<(String, String)>> {
            Ok(self
                .select(q)?
                .into_iter()
                .map(|r| {
                    let cell = |t: &Option<Term>| t.as_ref().map(short).unwrap_or_default();
                    (cell(&r[0]), cell(&r[1]))
                })
                .collect())
        };
        let mut out = String::new();
        let articles = count(
            "SELECT ?x (COUNT(?a) AS ?n) WHERE { {DEFAULT} { ?a a mo:Article } } GROUP BY ?x",
        )?;
        out.push_str(&format!(
            "articles: {}\n",
            articles.first().map_or("0", |r| r.1.as_str())
        ));
        out.push_str("entities by type:\n");
        for (t, n) in count(
            "SELECT ?t (COUNT(DISTINCT ?e) AS ?n) WHERE { {DEFAULT} { ?e a ?t ; mo:mentionedIn ?a } } \
             GROUP BY ?t ORDER BY DESC(?n)",
        )? {
            out.push_str(&format!("  {t:<14} {n}\n"));
        }
        out.push_str("facts by relation:\n");
        // Counted by reifier, one per fact, so the provenance properties the
        // reifiers carry are not mistaken for relations; facts marked not
        // asserted are left out, as they are from the article graphs.
        let facts = match self.provenance() {
            Provenance::Rdf12 => {
                "SELECT ?p (COUNT(*) AS ?n) WHERE { {DEFAULT} { ?g a mo:Article } \
                 GRAPH ?g { ?f rdf:reifies ?t ; mo:asserted true } BIND(PREDICATE(?t) AS ?p) } \
                 GROUP BY ?p ORDER BY DESC(?n) ?p"
            }
            _ => {
                "SELECT ?p (COUNT(*) AS ?n) WHERE { {DEFAULT} { ?g a mo:Article } \
                 GRAPH ?g { ?f rdf:predicate ?p ; mo:asserted ?asserted } FILTER(?asserted) } \
                 GROUP BY ?p ORDER BY DESC(?n) ?p"
            }
        };
        for (p, n) in count(facts)? {
            out.push_str(&format!("  {p:<18} {n}\n"));
        }
        let open = count(&format!(
            "SELECT ?x (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} \
             FILTER(STRSTARTS(STR(?p), \"{}\")) }} GROUP BY ?x",
            crate::rdf::OPEN
        ))?;
        out.push_str(&format!(
            "open triples: {}\n",
            open.first().map_or("0", |r| r.1.as_str())
        ));
        Ok(out)
    }
}

/// A literal's text, or an IRI's local name.
fn short(t: &Term) -> String {
    match t {
        Term::Literal(l) => l.value().to_string(),
        Term::NamedNode(n) => n
            .as_str()
            .rsplit(['#', '/'])
            .next()
            .unwrap_or("")
            .to_string(),
        _ => String::new(),
    }
}

fn text(t: &Term) -> String {
    match t {
        Term::Literal(l) => l.value().to_string(),
        other => other.to_string(),
    }
}
