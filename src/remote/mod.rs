//! Stage 7 on a server: a remote SPARQL store (`--endpoint URL`) instead of the
//! embedded one, for graphs that outgrow one machine or that several writers
//! fill at once. Any store speaking SPARQL 1.1 Query and Update will do, and the
//! Graph Store HTTP Protocol when there is one; musubi keeps nothing locally.
//!
//! Layout: as in the embedded store, except that what the embedded store keeps
//! in its default graph (articles' descriptions, entity nodes) goes into the
//! named graph [`DEFAULT_GRAPH`] — servers differ in what a default graph is,
//! and some (Virtuoso) cannot write one — and that facts' provenance is RDF 1.1
//! reification, which every server reads (see [`crate::provenance`]).
//!
//! Writing an article: each of its graphs is sent with one Graph Store
//! Protocol PUT (idempotent: sending it again replaces it), then its
//! description and its share of the entity nodes with SPARQL updates (a
//! batch's, in requests of at most [`INSERT_CHUNK`] quads), its `a mo:Article`
//! triple last: that triple says the article is stored, so an article whose
//! graphs were sent but whose description was not is sent again next run.
//!
//! Several writers: entity matching reads the shared store with SPARQL, and a
//! writer holds the store's lock (a lease written into [`LOCK_GRAPH`], see
//! [`Lock`]) from the first article it matches in a batch until the batch is
//! written, so no writer mints a node for an entity another writer has stored
//! or is storing. Matching depends on the order in which articles meet, so the
//! store's entity nodes are defined as those that placing every stored article
//! in one canonical order — by source path, then id — gives; a writer keeps
//! that true: when an article it places sorts before a stored article that
//! shares names with it, the writer replays the matching of those articles in
//! canonical order, under the lock, and rewrites what changed ([`replay`]).
//! Two writers that share out a corpus therefore end with the nodes one
//! writer ingesting it all in path order makes; `musubi reconcile` replays the
//! whole store (after a map-style load, or a crashed writer).
use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{GraphName, Literal, NamedNode, NamedOrBlankNode, Quad, Term, Triple};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsParser};
use oxigraph::sparql::{QueryResults, QueryTripleIter};

use crate::error::{Error, Result};
use crate::mentions::KnownName;
use crate::names::NameRules;
use crate::rdf::{article_iri, sparql_prefixes, BASE};
use crate::store::{known_names_of, ALIASES_GRAPH, ONTOLOGY_GRAPH};
use crate::vocabulary::Vocabulary;

mod lock;
mod removal;
mod replay;
mod writer;

pub use lock::Lock;
use replay::replay;
pub use replay::ReplayReport;
pub use writer::RemoteWriter;

/// The named graph holding what the embedded store keeps in its default graph.
pub const DEFAULT_GRAPH: &str = "https://w3id.org/musubi/default";
/// The named graph holding the writers' lock.
pub const LOCK_GRAPH: &str = "https://w3id.org/musubi/lock";

/// Where a remote store answers.
#[derive(Debug, Clone)]
pub struct Endpoint {
    /// SPARQL 1.1 Query endpoint.
    pub query: String,
    /// SPARQL 1.1 Update endpoint (the query endpoint when not given).
    pub update: Option<String>,
    /// Graph Store HTTP Protocol endpoint; without one, graphs are written with
    /// SPARQL Update (`DROP` + `INSERT DATA` in one request).
    pub graph_store: Option<String>,
    /// HTTP basic auth (user, password).
    pub auth: Option<(String, String)>,
    /// Longest wait for one request.
    pub timeout: Duration,
}

impl Endpoint {
    pub fn new(query: &str) -> Endpoint {
        Endpoint {
            query: query.to_string(),
            update: None,
            graph_store: None,
            auth: None,
            timeout: Duration::from_secs(60),
        }
    }
    fn update_url(&self) -> &str {
        self.update.as_deref().unwrap_or(&self.query)
    }
}

/// A remote SPARQL store.
pub struct RemoteStore {
    pub(super) endpoint: Endpoint,
    agent: ureq::Agent,
    /// Names this process in the lock.
    pub(super) writer_id: String,
}

/// Rows of a SELECT: the values in the order of its variables.
type Rows = Vec<Vec<Option<Term>>>;

/// Page size of large SELECTs: Virtuoso's default cap on result rows.
const PAGE: usize = 10_000;
/// Quads per INSERT DATA or DELETE DATA request: Virtuoso refuses one that
/// compiles to more than 10,000 lines of SQL (about 1,500 triples).
pub(super) const INSERT_CHUNK: usize = 500;

impl RemoteStore {
    /// Connects and checks that the endpoint answers a query.
    pub fn connect(endpoint: Endpoint) -> Result<RemoteStore> {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(endpoint.timeout))
            .http_status_as_error(false)
            .build()
            .into();
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let store = RemoteStore {
            endpoint,
            agent,
            writer_id: format!("{}-{}-{nanos}", hostname(), std::process::id()),
        };
        store.ask("ASK { }")?;
        Ok(store)
    }

    // --- HTTP ---

    fn request(&self, method: &str, url: &str) -> ureq::RequestBuilder<ureq::typestate::WithBody> {
        let mut r = match method {
            "PUT" => self.agent.put(url),
            _ => self.agent.post(url),
        };
        if let Some((user, password)) = &self.endpoint.auth {
            r = r.header("Authorization", basic_auth(user, password));
        }
        r
    }

    /// Sends a request and returns the body of a 2xx answer, or a one-line
    /// error naming the URL.
    fn send(
        &self,
        url: &str,
        result: std::result::Result<ureq::http::Response<ureq::Body>, ureq::Error>,
    ) -> Result<(String, Vec<u8>)> {
        let mut response = result.map_err(|e| http_error(url, e, self.endpoint.timeout))?;
        let status = response.status();
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        let body = response
            .body_mut()
            .with_config()
            .limit(u64::MAX)
            .read_to_vec()
            .map_err(|e| http_error(url, e, self.endpoint.timeout))?;
        if status.is_success() {
            return Ok((content_type, body));
        }
        let detail = String::from_utf8_lossy(&body);
        let detail = detail
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty() && !l.starts_with('<'))
            .unwrap_or("")
            .chars()
            .take(200)
            .collect::<String>();
        let mut problem = format!(
            "{} {}",
            status.as_u16(),
            status.canonical_reason().unwrap_or("")
        );
        if status.as_u16() == 401 || status.as_u16() == 403 {
            problem.push_str(
                " (set MUSUBI_ENDPOINT_USER and MUSUBI_ENDPOINT_PASSWORD for basic auth)",
            );
        }
        if !detail.is_empty() {
            problem.push_str(": ");
            problem.push_str(&detail);
        }
        Err(Error::Endpoint {
            url: url.to_string(),
            problem: problem.trim().to_string(),
        })
    }

    fn post_query(&self, sparql: &str, accept: &str) -> Result<(String, Vec<u8>)> {
        let url = &self.endpoint.query;
        let result = self
            .request("POST", url)
            .header("Accept", accept)
            .send_form([("query", sparql)]);
        self.send(url, result)
    }

    /// Runs a SPARQL update.
    pub fn update(&self, sparql: &str) -> Result<()> {
        let url = self.endpoint.update_url();
        let text = format!("{}{sparql}", sparql_prefixes());
        let result = self
            .request("POST", url)
            .send_form([("update", text.as_str())]);
        self.send(url, result).map(|_| ())
    }

    /// Runs a SELECT (the musubi prefixes declared) and returns its rows.
    pub(super) fn select(&self, sparql: &str) -> Result<Rows> {
        let text = format!("{}{sparql}", sparql_prefixes());
        match self.results(&text)? {
            QueryResults::Solutions(rows) => rows
                .map(|r| {
                    r.map(|s| s.values().to_vec())
                        .map_err(Error::SparqlEvaluation)
                })
                .collect(),
            _ => Err(Error::QueryForm { expected: "SELECT" }),
        }
    }

    /// Runs a SELECT page by page (ORDER BY `order`), for results larger than a
    /// server returns at once.
    pub(super) fn select_all(&self, sparql: &str, order: &str) -> Result<Rows> {
        let mut rows = Vec::new();
        for page in 0.. {
            let got = self.select(&format!(
                "{sparql} ORDER BY {order} LIMIT {PAGE} OFFSET {}",
                page * PAGE
            ))?;
            let done = got.len() < PAGE;
            rows.extend(got);
            if done {
                break;
            }
        }
        Ok(rows)
    }

    pub(super) fn ask(&self, sparql: &str) -> Result<bool> {
        let text = format!("{}{sparql}", sparql_prefixes());
        match self.results(&text)? {
            QueryResults::Boolean(b) => Ok(b),
            _ => Err(Error::QueryForm { expected: "ASK" }),
        }
    }

    /// Runs any query and parses what comes back: SPARQL JSON results, or RDF
    /// for CONSTRUCT and DESCRIBE.
    fn results(&self, sparql: &str) -> Result<QueryResults<'static>> {
        let (content_type, body) = self.post_query(
            sparql,
            "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8",
        )?;
        let url = &self.endpoint.query;
        let bad = |e: String| Error::Endpoint {
            url: url.clone(),
            problem: format!("unreadable answer ({content_type}): {e}"),
        };
        if let Some(format) = RdfFormat::from_media_type(&content_type) {
            let triples = RdfParser::from_format(format)
                .for_reader(body.as_slice())
                .map(|q| q.map(Triple::from).map_err(|e| bad(e.to_string())))
                .collect::<Result<Vec<_>>>()?;
            return Ok(QueryResults::Graph(QueryTripleIter::new(
                triples.into_iter().map(Ok),
            )));
        }
        let format =
            QueryResultsFormat::from_media_type(&content_type).unwrap_or(QueryResultsFormat::Json);
        let parsed = QueryResultsParser::from_format(format)
            .for_reader(std::io::Cursor::new(body))
            .map_err(|e| bad(e.to_string()))?;
        Ok(QueryResults::from(parsed))
    }

    /// A user's query, as `musubi query` runs it: the musubi prefixes declared;
    /// the dataset is the server's (see the README on default graphs).
    pub fn query(&self, sparql: &str) -> Result<QueryResults<'static>> {
        self.results(&format!("{}{sparql}", sparql_prefixes()))
    }

    /// Replaces a named graph with `triples`: one Graph Store Protocol PUT, or
    /// without a graph store, a DROP and INSERT DATA requests.
    pub(super) fn put_graph(&self, graph: &NamedNode, triples: &[Triple]) -> Result<()> {
        let mut body = String::new();
        for t in triples {
            body.push_str(&t.to_string());
            body.push_str(" .\n");
        }
        match &self.endpoint.graph_store {
            Some(url) => {
                let result = self
                    .request("PUT", url)
                    .query("graph", graph.as_str())
                    .header("Content-Type", "application/n-triples")
                    .send(body);
                self.send(url, result).map(|_| ())
            }
            None => {
                self.update(&format!("DROP SILENT GRAPH {graph}"))?;
                for chunk in triples.chunks(INSERT_CHUNK) {
                    let body: String = chunk.iter().map(|t| format!("{t} .\n")).collect();
                    self.update(&format!("INSERT DATA {{ GRAPH {graph} {{ {body} }} }}"))?;
                }
                Ok(())
            }
        }
    }

    /// The triples of a named graph.
    pub(super) fn graph_triples(&self, graph: &NamedNode) -> Result<Vec<Triple>> {
        let rows = self.select_all(
            &format!("SELECT ?s ?p ?o WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}"),
            "?s ?p ?o",
        )?;
        Ok(rows
            .into_iter()
            .filter_map(|r| match <[Option<Term>; 3]>::try_from(r) {
                Ok([Some(s), Some(Term::NamedNode(p)), Some(o)]) => {
                    Some(Triple::new(subject_of(s)?, p, o))
                }
                _ => None,
            })
            .collect())
    }

    /// Inserts quads of the default graph into [`DEFAULT_GRAPH`], in requests of
    /// at most [`INSERT_CHUNK`] quads, in order.
    pub(super) fn insert_default(&self, quads: &[Quad]) -> Result<()> {
        for chunk in quads.chunks(INSERT_CHUNK) {
            let mut body = String::new();
            for q in chunk {
                body.push_str(&format!("{} {} {} .\n", q.subject, q.predicate, q.object));
            }
            self.update(&format!(
                "INSERT DATA {{ GRAPH <{DEFAULT_GRAPH}> {{ {body} }} }}"
            ))?;
        }
        Ok(())
    }

    /// Deletes quads of the default graph from [`DEFAULT_GRAPH`], in requests
    /// of at most [`INSERT_CHUNK`] quads.
    pub(super) fn delete_default(&self, quads: &[Quad]) -> Result<()> {
        for chunk in quads.chunks(INSERT_CHUNK) {
            self.update(&delete_and_insert(chunk, &[]))?;
        }
        Ok(())
    }

    // --- what the commands need ---

    /// True when an article with this id is stored.
    pub fn contains_article(&self, id: &str) -> Result<bool> {
        self.ask(&format!(
            "ASK {{ GRAPH <{DEFAULT_GRAPH}> {{ {} a mo:Article }} }}",
            article_iri(id)
        ))
    }

    /// Replaces the vocabulary graph and adds the pinned entities of the alias
    /// files, as [`crate::store::Store::load_reference`] does. Under the lock:
    /// the vocabulary has blank nodes, so two writers replacing it at once could
    /// leave two copies of them.
    pub fn load_reference(
        &self,
        vocabulary: &Vocabulary,
        alias_files: &[(String, String)],
    ) -> Result<()> {
        let lock = Lock::acquire(self)?;
        self.load_reference_locked(vocabulary, alias_files)?;
        lock.release()
    }

    fn load_reference_locked(
        &self,
        vocabulary: &Vocabulary,
        alias_files: &[(String, String)],
    ) -> Result<()> {
        let vocab = crate::store::parse_turtle(
            "ontology/musubi.ttl",
            &vocabulary.text,
            GraphName::DefaultGraph,
        )?;
        self.put_graph(
            &NamedNode::new_unchecked(ONTOLOGY_GRAPH),
            &vocab.into_iter().map(Triple::from).collect::<Vec<_>>(),
        )?;
        let pinned = crate::store::pinned_quads(alias_files)?;
        if pinned.is_empty() {
            return Ok(());
        }
        self.insert_default(&pinned)?;
        let mut body = String::new();
        for q in crate::store::alias_file_quads(alias_files) {
            body.push_str(&format!("{} {} {} .\n", q.subject, q.predicate, q.object));
        }
        self.update(&format!(
            "INSERT DATA {{ GRAPH <{ALIASES_GRAPH}> {{ {body} }} }}"
        ))
    }

    /// The pinned quads of the alias files this store was given, by node.
    pub(super) fn pinned(&self) -> Result<BTreeMap<NamedNode, Vec<Quad>>> {
        let files: Vec<(String, String)> = self
            .select(&format!(
                "SELECT ?text WHERE {{ GRAPH <{ALIASES_GRAPH}> {{ ?s mo:aliasFile ?text }} }}"
            ))?
            .into_iter()
            .filter_map(|r| Some((ALIASES_GRAPH.to_string(), literal(r.first()?.as_ref())?)))
            .collect();
        let mut by_node: BTreeMap<NamedNode, Vec<Quad>> = BTreeMap::new();
        for q in crate::store::pinned_quads(&files)? {
            if let NamedOrBlankNode::NamedNode(s) = &q.subject {
                by_node.entry(s.clone()).or_default().push(q);
            }
        }
        Ok(by_node)
    }

    /// Every name the store knows an entity by, with its type (see
    /// [`crate::store::Store::known_names`]).
    pub fn known_names(&self) -> Result<Vec<KnownName>> {
        let rows = self.select_all(
            &format!(
                "SELECT DISTINCT ?e ?name ?class WHERE {{ GRAPH <{DEFAULT_GRAPH}> {{ ?e a ?class . \
                 {{ ?e rdfs:label ?name }} UNION {{ ?e skos:altLabel ?name }} }} }}"
            ),
            "?e ?name ?class",
        )?;
        Ok(known_names_of(rows))
    }

    /// Runs a SELECT written for the embedded store's layout: `{DEFAULT}` in it
    /// stands for the graph that holds the default graph's data.
    pub fn select_layout(&self, sparql: &str) -> Result<Rows> {
        self.select(&sparql.replace("{DEFAULT}", &format!("GRAPH <{DEFAULT_GRAPH}>")))
    }

    /// Every quad musubi keeps in the store, with [`DEFAULT_GRAPH`] read back as
    /// the default graph: what an export writes.
    pub fn quads(&self) -> Result<Vec<Quad>> {
        let rows = self.select_all(
            &format!(
                "SELECT ?g ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} \
                 FILTER(STRSTARTS(STR(?g), \"{BASE}\") \
                 && ?g NOT IN (<{LOCK_GRAPH}>, <{ONTOLOGY_GRAPH}>, <{ALIASES_GRAPH}>)) }}"
            ),
            "?g ?s ?p ?o",
        )?;
        Ok(rows
            .into_iter()
            .filter_map(|r| match <[Option<Term>; 4]>::try_from(r) {
                Ok([Some(Term::NamedNode(g)), Some(s), Some(Term::NamedNode(p)), Some(o)]) => {
                    let graph = if g.as_str() == DEFAULT_GRAPH {
                        GraphName::DefaultGraph
                    } else {
                        GraphName::NamedNode(g)
                    };
                    Some(Quad::new(subject_of(s)?, p, canonical(o), graph))
                }
                _ => None,
            })
            .collect())
    }

    /// Ids of the stored articles read from this source path.
    pub(super) fn articles_from(&self, source: &str) -> Result<Vec<String>> {
        Ok(self
            .select(&format!(
                "SELECT ?id WHERE {{ GRAPH <{DEFAULT_GRAPH}> {{ ?a a mo:Article ; mo:sha256 ?id ; \
                 dcterms:source {} }} }}",
                Literal::new_simple_literal(source)
            ))?
            .into_iter()
            .filter_map(|r| literal(r.first()?.as_ref()))
            .collect())
    }

    /// Ids and source paths of the stored articles.
    pub fn articles(&self) -> Result<Vec<(String, Option<String>)>> {
        let rows = self.select_all(
            &format!(
                "SELECT ?id ?src WHERE {{ GRAPH <{DEFAULT_GRAPH}> {{ ?a a mo:Article ; mo:sha256 ?id \
                 OPTIONAL {{ ?a dcterms:source ?src }} }} }}"
            ),
            "?id ?src",
        )?;
        Ok(rows
            .into_iter()
            .filter_map(|r| {
                let id = literal(r.first()?.as_ref())?;
                Some((id, r.get(1).and_then(|t| literal(t.as_ref()))))
            })
            .collect())
    }

    /// A writer for this store (see the module doc for how writers share it).
    pub fn writer<'a>(&'a self, names: &'a NameRules, replace: bool) -> RemoteWriter<'a> {
        RemoteWriter::new(self, names, replace)
    }

    /// The default-graph quads of each of these nodes.
    pub(super) fn node_quads(
        &self,
        nodes: &BTreeSet<NamedNode>,
    ) -> Result<BTreeMap<NamedNode, Vec<Quad>>> {
        let mut out: BTreeMap<NamedNode, Vec<Quad>> = BTreeMap::new();
        let list: Vec<&NamedNode> = nodes.iter().collect();
        for chunk in list.chunks(500) {
            let values: String = chunk.iter().map(|n| format!("{n} ")).collect();
            let rows = self.select_all(
                &format!(
                    "SELECT ?e ?p ?o WHERE {{ VALUES ?e {{ {values} }} GRAPH <{DEFAULT_GRAPH}> {{ ?e ?p ?o }} }}"
                ),
                "?e ?p ?o",
            )?;
            for r in rows {
                if let [Some(Term::NamedNode(e)), Some(Term::NamedNode(p)), Some(o)] =
                    <[Option<Term>; 3]>::try_from(r).unwrap_or_default()
                {
                    out.entry(e.clone()).or_default().push(Quad::new(
                        e,
                        p,
                        o,
                        GraphName::DefaultGraph,
                    ));
                }
            }
        }
        Ok(out)
    }

    /// Replays entity matching over the whole store in canonical order and
    /// rewrites what differs: what `musubi reconcile` runs after a map-style
    /// load or a crashed writer. Also gives articles without an ingest time
    /// (map-style output) the time of this run.
    pub fn reconcile(&self, names: &NameRules) -> Result<ReplayReport> {
        let lock = Lock::acquire(self)?;
        let report = replay(self, None, names)?;
        let time = crate::store::now_xsd();
        self.update(&format!(
            "INSERT {{ GRAPH <{DEFAULT_GRAPH}> {{ ?a prov:generatedAtTime \"{time}\"^^xsd:dateTime }} }} \
             WHERE {{ GRAPH <{DEFAULT_GRAPH}> {{ ?a a mo:Article FILTER NOT EXISTS {{ ?a prov:generatedAtTime ?t }} }} }}"
        ))?;
        lock.release()?;
        Ok(report)
    }
}

/// `VALUES` terms for IRIs.
pub(super) fn iri_values<'a>(iris: impl IntoIterator<Item = &'a NamedNode>) -> String {
    iris.into_iter().map(|n| format!("{n} ")).collect()
}

/// One update that deletes `remove` and inserts `add` (default-graph layout).
pub(super) fn delete_and_insert(remove: &[Quad], add: &[Quad]) -> String {
    let body = |quads: &[Quad]| -> String {
        quads
            .iter()
            .map(|q| format!("{} {} {} .\n", q.subject, q.predicate, q.object))
            .collect()
    };
    let mut update = String::new();
    if !remove.is_empty() {
        update.push_str(&format!(
            "DELETE DATA {{ GRAPH <{DEFAULT_GRAPH}> {{ {} }} }} ;\n",
            body(remove)
        ));
    }
    if !add.is_empty() {
        update.push_str(&format!(
            "INSERT DATA {{ GRAPH <{DEFAULT_GRAPH}> {{ {} }} }} ;\n",
            body(add)
        ));
    }
    update
}

/// Virtuoso answers booleans as 1 and 0: read them back as `true` and `false`,
/// as they were written.
fn canonical(t: Term) -> Term {
    match &t {
        Term::Literal(l) if l.datatype() == oxigraph::model::vocab::xsd::BOOLEAN => {
            match l.value() {
                "1" => Literal::from(true).into(),
                "0" => Literal::from(false).into(),
                _ => t,
            }
        }
        _ => t,
    }
}

pub(super) fn subject_of(t: Term) -> Option<NamedOrBlankNode> {
    match t {
        Term::NamedNode(n) => Some(n.into()),
        Term::BlankNode(b) => Some(b.into()),
        _ => None,
    }
}

pub(super) fn literal(t: Option<&Term>) -> Option<String> {
    match t? {
        Term::Literal(l) => Some(l.value().to_string()),
        _ => None,
    }
}

fn hostname() -> String {
    std::fs::read_to_string("/etc/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_else(|_| "host".into())
}

/// `Basic base64(user:password)`.
fn basic_auth(user: &str, password: &str) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let bytes = format!("{user}:{password}").into_bytes();
    let mut out = String::from("Basic ");
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// A transport error as one line naming the URL.
fn http_error(url: &str, e: ureq::Error, timeout: Duration) -> Error {
    let problem = match &e {
        ureq::Error::Timeout(_) => format!("no answer within {} s (timed out)", timeout.as_secs()),
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
            "connection refused (is the server running?)".to_string()
        }
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => {
            format!("no answer within {} s (timed out)", timeout.as_secs())
        }
        ureq::Error::HostNotFound => "host not found".to_string(),
        ureq::Error::ConnectionFailed => "connection failed".to_string(),
        other => crate::store::one_line(&other.to_string()),
    };
    Error::Endpoint {
        url: url.to_string(),
        problem,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_auth_is_base64() {
        assert_eq!(
            basic_auth("Aladdin", "open sesame"),
            "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
        );
        assert_eq!(basic_auth("a", "b"), "Basic YTpi");
    }
}
