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
//! description and its share of the entity nodes with one SPARQL update. That
//! update says the article is stored: an article whose graphs were sent but
//! whose update was not is not stored, and the next run sends it again.
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
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::time::Duration;

use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::vocab::{rdf, rdfs};
use oxigraph::model::{GraphName, Literal, NamedNode, NamedOrBlankNode, Quad, Term, Triple};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsParser};
use oxigraph::sparql::{QueryResults, QueryTripleIter};

use crate::document::{Entity, EntityType, Extraction};
use crate::error::{Error, Result};
use crate::matching::{Matcher, NodeSource, StoredNode};
use crate::names::NameRules;
use crate::provenance::{convert_all, Provenance};
use crate::rdf::{
    article_iri, article_quads, entity_keys, entity_quads, mo, open_graph_iri, skos,
    sparql_prefixes, IngestInfo, Placement, ARTICLE, BASE, ONTOLOGY,
};
use crate::removal::{recompute, Recomputed, RecordNames};
use crate::store::{close_matches, ingested, Ingested, ALIASES_GRAPH, ONTOLOGY_GRAPH};
use crate::vocabulary::Vocabulary;

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
    endpoint: Endpoint,
    agent: ureq::Agent,
    /// Names this process in the lock.
    writer_id: String,
}

/// Rows of a SELECT: the values in the order of its variables.
type Rows = Vec<Vec<Option<Term>>>;

/// Page size of large SELECTs: Virtuoso's default cap on result rows.
const PAGE: usize = 10_000;
/// Quads per INSERT DATA or DELETE DATA request: Virtuoso refuses one that
/// compiles to more than 10,000 lines of SQL (about 1,500 triples).
const INSERT_CHUNK: usize = 500;

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
    fn select(&self, sparql: &str) -> Result<Rows> {
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
    fn select_all(&self, sparql: &str, order: &str) -> Result<Rows> {
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

    fn ask(&self, sparql: &str) -> Result<bool> {
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
    fn put_graph(&self, graph: &NamedNode, triples: &[Triple]) -> Result<()> {
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
    fn graph_triples(&self, graph: &NamedNode) -> Result<Vec<Triple>> {
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
    fn insert_default(&self, quads: &[Quad]) -> Result<()> {
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
    fn pinned(&self) -> Result<BTreeMap<NamedNode, Vec<Quad>>> {
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
    pub fn known_names(&self) -> Result<Vec<(String, EntityType)>> {
        let rows = self.select_all(
            &format!(
                "SELECT DISTINCT ?name ?class WHERE {{ GRAPH <{DEFAULT_GRAPH}> {{ ?e a ?class . \
                 {{ ?e rdfs:label ?name }} UNION {{ ?e skos:altLabel ?name }} }} }}"
            ),
            "?name ?class",
        )?;
        Ok(rows
            .into_iter()
            .filter_map(|row| match row.as_slice() {
                [Some(Term::Literal(name)), Some(Term::NamedNode(class))] => {
                    let local = class.as_str().strip_prefix(ONTOLOGY)?;
                    Some((name.value().to_string(), EntityType::from_name(local)?))
                }
                _ => None,
            })
            .collect())
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
    fn articles_from(&self, source: &str) -> Result<Vec<String>> {
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
        RemoteWriter {
            store: self,
            matcher: Matcher::new(names),
            source: RemoteNodes::new(self),
            lock: None,
            pending: Vec::new(),
            pending_ids: HashSet::new(),
            replay_keys: BTreeSet::new(),
            time: crate::store::now_xsd(),
            replace,
        }
    }

    /// Removes articles, as [`crate::store::Store::remove_articles`] does:
    /// their graphs and description go, and the nodes they mentioned are
    /// recomputed from the articles that remain. One SPARQL update, under the
    /// lock.
    pub fn remove_articles(&self, ids: &[String]) -> Result<()> {
        let lock = Lock::acquire(self)?;
        self.remove_locked(ids)?;
        lock.release()
    }

    fn remove_locked(&self, ids: &[String]) -> Result<()> {
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

    /// The default-graph quads of each of these nodes.
    fn node_quads(&self, nodes: &BTreeSet<NamedNode>) -> Result<BTreeMap<NamedNode, Vec<Quad>>> {
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
fn iri_values<'a>(iris: impl IntoIterator<Item = &'a NamedNode>) -> String {
    iris.into_iter().map(|n| format!("{n} ")).collect()
}

/// One update that deletes `remove` and inserts `add` (default-graph layout).
fn delete_and_insert(remove: &[Quad], add: &[Quad]) -> String {
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

fn subject_of(t: Term) -> Option<NamedOrBlankNode> {
    match t {
        Term::NamedNode(n) => Some(n.into()),
        Term::BlankNode(b) => Some(b.into()),
        _ => None,
    }
}

fn literal(t: Option<&Term>) -> Option<String> {
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

/// The writers' lock: a lease in [`LOCK_GRAPH`].
///
/// A writer inserts its own lease triple, then reads the graph: if its lease
/// is the only live one it holds the lock; otherwise it withdraws its lease and
/// tries again after a random pause. Two writers that both inserted see both
/// leases (each reads after its own insert, so whichever reads second sees the
/// first's), and at most one of them can see its lease alone. This needs
/// nothing of the server but that a read sees the updates completed before it,
/// which a single SPARQL server gives. A lease names its holder and an expiry,
/// so the lock of a writer that died is taken over once the lease runs out.
pub struct Lock<'a> {
    store: &'a RemoteStore,
    lease: String,
    released: bool,
}

/// How long a lease lasts; a writer renews it with each batch.
const LEASE: Duration = Duration::from_secs(600);
/// How long a writer waits for the lock before giving up.
const LOCK_WAIT: Duration = Duration::from_secs(1800);

impl<'a> Lock<'a> {
    pub fn acquire(store: &'a RemoteStore) -> Result<Lock<'a>> {
        let started = std::time::Instant::now();
        let mut attempt: u32 = 0;
        loop {
            let now = unix_now();
            let lease = format!("{} until {}", store.writer_id, now + LEASE.as_secs());
            let lease_literal = Literal::new_simple_literal(&lease);
            store.update(&format!(
                "INSERT DATA {{ GRAPH <{LOCK_GRAPH}> {{ <{LOCK_GRAPH}> mo:lease {lease_literal} }} }}"
            ))?;
            let rows = store.select(&format!(
                "SELECT ?lease WHERE {{ GRAPH <{LOCK_GRAPH}> {{ <{LOCK_GRAPH}> mo:lease ?lease }} }}"
            ))?;
            let leases: Vec<String> = rows
                .into_iter()
                .filter_map(|r| literal(r.first()?.as_ref()))
                .collect();
            let (live, dead): (Vec<&String>, Vec<&String>) = leases
                .iter()
                .partition(|l| lease_expiry(l).is_some_and(|t| t > now));
            if !dead.is_empty() {
                let dead: String = dead
                    .iter()
                    .map(|l| {
                        format!(
                            "<{LOCK_GRAPH}> mo:lease {} .\n",
                            Literal::new_simple_literal(*l)
                        )
                    })
                    .collect();
                store.update(&format!(
                    "DELETE DATA {{ GRAPH <{LOCK_GRAPH}> {{ {dead} }} }}"
                ))?;
            }
            let mut lock = Lock {
                store,
                lease,
                released: false,
            };
            if live.len() == 1 && *live[0] == lock.lease {
                return Ok(lock);
            }
            lock.withdraw()?;
            lock.released = true;
            if started.elapsed() > LOCK_WAIT {
                let holder = live
                    .iter()
                    .find(|l| **l != &lock.lease)
                    .map_or("another writer", |l| l.as_str());
                return Err(Error::Endpoint {
                    url: store.endpoint.update_url().to_string(),
                    problem: format!("the store's lock is held by {holder}; gave up waiting"),
                });
            }
            attempt += 1;
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.subsec_nanos());
            let pause = 20 + u64::from(nanos % 100) * u64::from(attempt.min(10));
            std::thread::sleep(Duration::from_millis(pause));
        }
    }

    fn withdraw(&self) -> Result<()> {
        self.store.update(&format!(
            "DELETE DATA {{ GRAPH <{LOCK_GRAPH}> {{ <{LOCK_GRAPH}> mo:lease {} }} }}",
            Literal::new_simple_literal(&self.lease)
        ))
    }

    /// Gives the lock up.
    pub fn release(mut self) -> Result<()> {
        self.released = true;
        self.withdraw()
    }
}

impl Drop for Lock<'_> {
    fn drop(&mut self) {
        if !self.released {
            // After an error: give the lock back if the server still answers.
            let _ = self.withdraw();
        }
    }
}

fn lease_expiry(lease: &str) -> Option<u64> {
    lease.rsplit_once(" until ")?.1.parse().ok()
}

fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// The entity nodes of a remote store, for matching: fetched a whole article's
/// keys at a time.
struct RemoteNodes<'a> {
    store: &'a RemoteStore,
    by_key: HashMap<String, Vec<StoredNode>>,
    taken: HashMap<String, bool>,
}

impl<'a> RemoteNodes<'a> {
    fn new(store: &'a RemoteStore) -> Self {
        RemoteNodes {
            store,
            by_key: HashMap::new(),
            taken: HashMap::new(),
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
fn order_key(source: Option<&str>, id: &str) -> String {
    format!("{}\t{id}", source.unwrap_or(""))
}

/// An article waiting to be written.
struct Pending {
    id: String,
    quads: Vec<Quad>,
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
}

impl RemoteWriter<'_> {
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
        let placements: Vec<Placement> = decisions.iter().map(|d| d.placement.clone()).collect();
        let info = IngestInfo {
            time: Some(self.time.clone()),
        };
        let mut quads = article_quads(x, &placements, &info);
        quads.extend(close_matches(&decisions));
        let done = ingested(x, &decisions, quads.len(), replaced);
        self.pending_ids.insert(x.article.id.clone());
        self.pending.push(Pending {
            id: x.article.id.clone(),
            quads,
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
        for article in std::mem::take(&mut self.pending) {
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
}

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
fn replay(
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
                "SELECT ?a ?id ?src ?r ?e ?type ?full ?name WHERE {{ VALUES ?a {{ {values} }} \
                 GRAPH <{DEFAULT_GRAPH}> {{ ?a a mo:Article ; mo:sha256 ?id OPTIONAL {{ ?a dcterms:source ?src }} }} \
                 GRAPH ?a {{ ?r mo:refersTo ?e ; mo:entityType ?type ; mo:fullName ?full \
                 OPTIONAL {{ ?r mo:name ?name }} }} }}"
            ),
            "?a ?r ?name",
        )? {
            let [Some(Term::NamedNode(a)), Some(id), src, Some(Term::NamedNode(rec)), Some(Term::NamedNode(e)), Some(Term::NamedNode(t)), Some(full), name] =
                <[Option<Term>; 8]>::try_from(r).unwrap_or_default()
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

    #[test]
    fn leases_name_their_expiry() {
        assert_eq!(
            lease_expiry("host-1-2 until 1700000000"),
            Some(1_700_000_000)
        );
        assert_eq!(lease_expiry("garbage"), None);
    }
}
