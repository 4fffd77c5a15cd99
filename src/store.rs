//! Stage 7: the oxigraph store. Writes whole articles in atomic batches (so a
//! crash leaves whole articles or none), matches their entities against entities
//! already stored, and answers SPARQL.
use std::collections::HashSet;
use std::path::{Path, PathBuf};

use oxigraph::model::vocab::{rdf, rdfs};
use oxigraph::model::{GraphName, GraphNameRef, Literal, NamedNode, NamedOrBlankNode, Quad, Term};
use oxigraph::sparql::{CancellationToken, QueryResults, SparqlEvaluator};
use oxigraph::store::{StorageError, Store as OxStore};

use crate::document::{EntityType, Extraction};
use crate::error::{Error, Result};
use crate::matching::{Decision, Matcher, NodeSource, StoredNode};
use crate::names::{name_key, NameRules};
use crate::rdf::{article_iri, article_quads, mo, skos, IngestInfo, Placement, PREFIXES};
use crate::vocabulary::Vocabulary;

mod durable;
pub use durable::LEDGER;

/// The default store folder when neither `--store` nor `MUSUBI_STORE` is given.
pub const DEFAULT_STORE: &str = "musubi-store";

/// An open store: read-write (ingest) or read-only (query, export, stats).
pub struct Store {
    inner: OxStore,
    path: Option<PathBuf>,
    /// The writer lock ([`take_writer_lock`]), held while open for writing.
    _lock: Option<std::fs::File>,
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
        /// Ids of the articles it replaced (stored from the same source path).
        replaced: Vec<String>,
    },
    /// The same text is already in the store; nothing changed.
    AlreadyPresent,
}

impl Store {
    /// Opens (creating if needed) a store for writing; call
    /// [`Store::load_reference`] before ingesting. Fails with
    /// [`Error::StoreInUse`] when another process holds it, and with
    /// [`Error::LostArticles`] when it holds fewer articles than were reported
    /// stored (see [`Store::sync`]).
    ///
    /// A new store is created whole or not at all (see [`durable`]). A store
    /// whose creation an older musubi left unfinished (column families missing,
    /// no version key) is completed by RocksDB's own opening.
    pub fn open(path: &Path) -> Result<Store> {
        if !path.join("CURRENT").exists() {
            durable::create(path)?;
        }
        let lock = take_writer_lock(path)?;
        let claimed = durable::claimed(path)?;
        let inner = OxStore::open(path).map_err(|e| open_error(path, e))?;
        Store::checked(inner, path, claimed, Some(lock))
    }

    /// Opens an existing store without taking its write lock, so it can be read
    /// while an ingest runs. Checks it as [`Store::open`] does.
    pub fn open_read_only(path: &Path) -> Result<Store> {
        if !path.join("CURRENT").exists() {
            return Err(Error::NoStore(path.to_path_buf()));
        }
        let claimed = durable::claimed(path)?;
        let inner = match OxStore::open_read_only(path) {
            Ok(inner) => inner,
            Err(e) if durable::is_unfinished_creation(&e) => {
                // Only a read-write opening completes it; the store holds nothing
                // yet, so doing that here changes no data.
                drop(OxStore::open(path).map_err(|e| open_error(path, e))?);
                OxStore::open_read_only(path).map_err(|e| open_error(path, e))?
            }
            Err(e) => return Err(open_error(path, e)),
        };
        Store::checked(inner, path, claimed, None)
    }

    fn checked(
        inner: OxStore,
        path: &Path,
        claimed: Option<usize>,
        lock: Option<std::fs::File>,
    ) -> Result<Store> {
        let store = Store {
            inner,
            path: Some(path.to_path_buf()),
            _lock: lock,
        };
        durable::check(&store, path, claimed)?;
        Ok(store)
    }

    /// Makes everything committed so far survive a process kill, a full disk
    /// and an OS crash: flushes the write buffers into synced table files (the
    /// write-ahead log is then no longer needed to find them) and records the
    /// number of stored articles beside them, so that opening the store later
    /// notices if any went missing. Call it after each commit that is to be
    /// reported, before reporting it.
    pub fn sync(&self) -> Result<()> {
        self.inner.flush().map_err(|e| self.error(e))?;
        if let Some(path) = &self.path {
            durable::record(path, self.article_count()?)?;
        }
        Ok(())
    }

    /// Number of articles stored.
    pub fn article_count(&self) -> Result<usize> {
        let mut n = 0;
        for q in self.inner.quads_for_pattern(
            None,
            Some(rdf::TYPE),
            Some(mo("Article").as_ref().into()),
            Some(GraphNameRef::DefaultGraph),
        ) {
            q.map_err(|e| self.error(e))?;
            n += 1;
        }
        Ok(n)
    }

    /// A store in memory, for tests and `extract`.
    pub fn in_memory() -> Result<Store> {
        let store = Store {
            inner: OxStore::new().map_err(|source| Error::Store { path: None, source })?,
            path: None,
            _lock: None,
        };
        let vocabulary =
            Vocabulary::parse(crate::rules::VOCABULARY.1).map_err(|problem| Error::Rules {
                path: "ontology/musubi.ttl (built in)".into(),
                problem,
            })?;
        store.load_reference(&vocabulary, &[])?;
        Ok(store)
    }

    /// A storage error of this store, with its path.
    pub fn error(&self, source: StorageError) -> Error {
        Error::Store {
            path: self.path.clone(),
            source,
        }
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
    pub fn load_reference(
        &self,
        vocabulary: &Vocabulary,
        alias_files: &[(String, String)],
    ) -> Result<()> {
        let graph = NamedNode::new_unchecked(ONTOLOGY_GRAPH);
        let vocab = parse_turtle(
            "ontology/musubi.ttl",
            &vocabulary.text,
            GraphName::NamedNode(graph.clone()),
        )?;
        let pinned = pinned_quads(alias_files)?;
        // The alias files' text, kept in the aliases graph, says which of an
        // entity's names and keys are pinned, so removing articles never takes
        // them away.
        let copies = alias_file_quads(alias_files);
        let mut tx = self.inner.start_transaction().map_err(|e| self.error(e))?;
        tx.clear_graph(&graph).map_err(|e| self.error(e))?;
        tx.extend(vocab.iter().chain(&pinned).chain(&copies));
        tx.commit().map_err(|e| self.error(e))
    }

    /// Ids of the stored articles read from this source path.
    pub fn articles_from(&self, source: &str) -> Result<Vec<String>> {
        let mut ids = Vec::new();
        for q in self.inner.quads_for_pattern(
            None,
            Some(crate::rdf::dcterms("source").as_ref()),
            Some(Literal::new_simple_literal(source).as_ref().into()),
            Some(GraphNameRef::DefaultGraph),
        ) {
            if let NamedOrBlankNode::NamedNode(n) = q.map_err(|e| self.error(e))?.subject {
                if let Some(id) = n.as_str().strip_prefix(crate::rdf::ARTICLE) {
                    ids.push(id.to_string());
                }
            }
        }
        ids.sort();
        Ok(ids)
    }

    /// Removes articles in one transaction: their graphs and description, and
    /// their share of every entity they mention (see [`crate::removal`]).
    /// Synced before it returns, like an ingest's batch (see [`Store::sync`]).
    pub fn remove_articles(&self, ids: &[String]) -> Result<()> {
        let mut tx = self.inner.start_transaction().map_err(|e| self.error(e))?;
        crate::removal::remove_articles(self, &mut tx, ids)?;
        self.before_removing(ids.len())?;
        tx.commit().map_err(|e| self.error(e))?;
        self.sync()
    }

    /// Call before committing a removal of `removed` articles: keeps the
    /// ledger from claiming articles the commit takes away (see [`durable`]).
    fn before_removing(&self, removed: usize) -> Result<()> {
        match &self.path {
            Some(path) => durable::lower(path, removed),
            None => Ok(()),
        }
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
            .map_err(|e| self.error(e))
    }

    /// Writes one article atomically: matches its entities to the store, then
    /// inserts its quads. Either all of it lands or nothing does. For many
    /// articles, a [`Writer`] is faster: it batches articles and remembers the
    /// entities it has seen.
    pub fn ingest(&self, x: &Extraction, names: &NameRules) -> Result<Ingested> {
        let mut writer = self.writer(names);
        let ingested = writer.add(x)?;
        writer.commit()?;
        Ok(ingested)
    }

    /// A writer for this store. Only one writer may write a store at a time (the
    /// store's lock keeps other processes out; within a process, the caller does).
    /// Names are compared under `names` (the spelling cues of
    /// `resolution.toml`), the same rules the entity stage used.
    pub fn writer<'s>(&'s self, names: &'s NameRules) -> Writer<'s> {
        Writer {
            store: self,
            matcher: Matcher::new(names),
            pending: Vec::new(),
            pending_articles: HashSet::new(),
            time: now_xsd(),
            replace: false,
            learned: Vec::new(),
        }
    }

    /// Number of quads in the store.
    pub fn len(&self) -> Result<usize> {
        self.inner.len().map_err(|e| self.error(e))
    }

    pub fn is_empty(&self) -> Result<bool> {
        self.inner.is_empty().map_err(|e| self.error(e))
    }

    /// Parses and runs a SPARQL query. The musubi prefixes (mo:, ent:, skos:…)
    /// are predeclared.
    pub fn query(&self, sparql: &str) -> Result<QueryResults<'static>> {
        self.run_query(sparql, false, None)
    }

    /// Like [`Store::query`], but the default graph is the union of all graphs
    /// (entities, vocabulary and every article's facts), as in `oxigraph serve
    /// --union-default-graph`: what `musubi query` runs, so a user's plain
    /// `?s ?p ?o` sees facts and labels alike. `GRAPH ?g` still names the
    /// article; a query with its own FROM keeps its dataset.
    pub fn query_all_graphs(&self, sparql: &str) -> Result<QueryResults<'static>> {
        self.run_query(sparql, true, None)
    }

    /// Like [`Store::query_all_graphs`], stopping with an evaluation error once
    /// `token` is cancelled: see [`crate::query`] for time limits.
    pub fn query_all_graphs_until(
        &self,
        sparql: &str,
        token: CancellationToken,
    ) -> Result<QueryResults<'static>> {
        self.run_query(sparql, true, Some(token))
    }

    fn run_query(
        &self,
        sparql: &str,
        union: bool,
        token: Option<CancellationToken>,
    ) -> Result<QueryResults<'static>> {
        let mut evaluator = SparqlEvaluator::new();
        if let Some(token) = token {
            evaluator = evaluator.with_cancellation_token(token);
        }
        for (p, iri) in PREFIXES {
            evaluator = evaluator
                .with_prefix(p, iri)
                .expect("the built-in prefixes are valid IRIs");
        }
        let mut prepared = evaluator
            .parse_query(sparql)
            .map_err(|e| Error::SparqlSyntax(syntax_error(&e.to_string(), sparql)))?;
        if union && prepared.dataset().is_default_dataset() {
            prepared.dataset_mut().set_default_graph_as_union();
        }
        prepared
            .on_store(&self.inner)
            .execute()
            .map_err(Error::SparqlEvaluation)
    }

    /// Every name the store knows an entity by (labels and altLabels, in any
    /// graph, alias files included) with the entity's type: what a new article's
    /// recogniser looks for, so that a name seen before is found again in a bare
    /// context (メタを去った…) where no cue marks it.
    pub fn known_names(&self) -> Result<Vec<(String, EntityType)>> {
        let rows = select_rows(self.query_all_graphs(
            "SELECT DISTINCT ?name ?class WHERE { ?e a ?class . \
             { ?e rdfs:label ?name } UNION { ?e skos:altLabel ?name } }",
        )?)?;
        Ok(rows
            .into_iter()
            .filter_map(|row| match row.as_slice() {
                [Some(Term::Literal(name)), Some(Term::NamedNode(class))] => {
                    let local = class.as_str().strip_prefix(crate::rdf::ONTOLOGY)?;
                    Some((name.value().to_string(), EntityType::from_name(local)?))
                }
                _ => None,
            })
            .collect())
    }

    /// Runs a SELECT and returns its rows as (variable → term) lists.
    pub fn select(&self, sparql: &str) -> Result<Vec<Vec<Option<Term>>>> {
        select_rows(self.query(sparql)?)
    }
}

/// The rows of a SELECT's results as term lists, in the order of its variables.
fn select_rows(results: QueryResults<'_>) -> Result<Vec<Vec<Option<Term>>>> {
    match results {
        QueryResults::Solutions(rows) => rows
            .map(|r| {
                r.map(|s| s.values().to_vec())
                    .map_err(Error::SparqlEvaluation)
            })
            .collect(),
        _ => Err(Error::QueryForm { expected: "SELECT" }),
    }
}

/// The graph the vocabulary is loaded into.
pub const ONTOLOGY_GRAPH: &str = "https://w3id.org/musubi/ontology";

/// The graph holding the text of the alias files a store was given.
pub const ALIASES_GRAPH: &str = "https://w3id.org/musubi/aliases";

/// Writes articles to a store in batches. [`Writer::add`] decides the IRIs of an
/// article's entities and queues its quads; [`Writer::commit`] writes everything
/// queued in one atomic write, so a crash leaves whole articles or none.
///
/// Entities are matched by a [`Matcher`] reading the store (see
/// [`crate::matching`]); its index also sees the queued articles. After an
/// error the index may hold entities that were never written: drop the writer.
pub struct Writer<'s> {
    store: &'s Store,
    matcher: Matcher<'s>,
    pending: Vec<Quad>,
    pending_articles: HashSet<String>,
    time: String,
    replace: bool,
    /// Names with types that the queued articles give their entities (see
    /// [`Writer::take_learned_names`]).
    learned: Vec<(String, EntityType)>,
}

impl Writer<'_> {
    /// With `replace`, an article whose source path is already stored with
    /// other text replaces that article (see [`Writer::add`]).
    pub fn replacing(mut self, replace: bool) -> Self {
        self.replace = replace;
        self
    }

    /// Queues one article: decides its entities' IRIs and its quads. Nothing is
    /// in the store before [`Writer::commit`].
    ///
    /// When replacing, an article stored from the same source path is removed
    /// and this one written in its place in one transaction (committing what was
    /// queued before it first), so the store holds the old text or the new,
    /// never both or neither.
    pub fn add(&mut self, x: &Extraction) -> Result<Ingested> {
        if self.pending_articles.contains(&x.article.id)
            || self.store.contains_article(&x.article.id)?
        {
            return Ok(Ingested::AlreadyPresent);
        }
        let replaced = match (&x.article.source, self.replace) {
            (Some(source), true) => self.store.articles_from(&source.display().to_string())?,
            _ => Vec::new(),
        };
        if !replaced.is_empty() {
            return self.replace_now(x, replaced);
        }
        let decisions = self
            .matcher
            .place(&mut StoreNodes(Reader::Store(self.store)), &x.entities)?;
        self.learned
            .extend(self.matcher.learned_names(&x.entities, &decisions));
        let quads = self.quads(x, &decisions);
        let ingested = ingested(x, &decisions, quads.len(), Vec::new());
        self.pending.extend(quads);
        self.pending_articles.insert(x.article.id.clone());
        Ok(ingested)
    }

    fn replace_now(&mut self, x: &Extraction, old: Vec<String>) -> Result<Ingested> {
        self.commit()?;
        let store = self.store;
        let mut tx = store
            .inner
            .start_transaction()
            .map_err(|e| store.error(e))?;
        crate::removal::remove_articles(store, &mut tx, &old)?;
        // The removal changed nodes the index may hold.
        self.matcher.clear();
        let decisions = self.matcher.place(
            &mut StoreNodes(Reader::Transaction(store, &tx)),
            &x.entities,
        )?;
        self.learned
            .extend(self.matcher.learned_names(&x.entities, &decisions));
        let quads = self.quads(x, &decisions);
        // The batch is synced before it is reported, which records the count.
        store.before_removing(old.len())?;
        let ingested = ingested(x, &decisions, quads.len(), old);
        tx.extend(&quads);
        tx.commit().map_err(|e| store.error(e))?;
        Ok(ingested)
    }

    /// The quads of an article placed as `decisions` say.
    fn quads(&self, x: &Extraction, decisions: &[Decision]) -> Vec<Quad> {
        let placements: Vec<Placement> = decisions.iter().map(|d| d.placement.clone()).collect();
        let info = IngestInfo {
            time: Some(self.time.clone()),
        };
        let mut quads = article_quads(x, &placements, &info);
        quads.extend(close_matches(decisions));
        quads
    }

    /// Writes the queued articles in one atomic write.
    pub fn commit(&mut self) -> Result<()> {
        if !self.pending.is_empty() {
            self.store
                .inner
                .extend(std::mem::take(&mut self.pending))
                .map_err(|e| self.store.error(e))?;
        }
        self.pending_articles.clear();
        // The articles of the next batch are generated now, not when the run began.
        self.time = now_xsd();
        Ok(())
    }

    /// The names (labels and altLabels, with their entities' types) that the
    /// articles added since the last call give the store: what
    /// [`Store::known_names`] would add once they are written, without reading
    /// the store again.
    pub fn take_learned_names(&mut self) -> Vec<(String, EntityType)> {
        std::mem::take(&mut self.learned)
    }

    /// Articles queued and not yet committed.
    pub fn queued(&self) -> usize {
        self.pending_articles.len()
    }
}

/// `skos:closeMatch` links from new nodes to the stored nodes they may be.
pub fn close_matches(decisions: &[Decision]) -> Vec<Quad> {
    decisions
        .iter()
        .filter_map(|d| {
            let other = d.close_to.as_ref()?;
            Some(Quad::new(
                d.placement.iri.clone(),
                skos("closeMatch"),
                other.clone(),
                GraphName::DefaultGraph,
            ))
        })
        .collect()
}

/// What [`Writer::add`] reports for an article placed as `decisions` say.
pub fn ingested(
    x: &Extraction,
    decisions: &[Decision],
    quads: usize,
    replaced: Vec<String>,
) -> Ingested {
    Ingested::Added {
        quads,
        new_entities: decisions.iter().filter(|d| d.placement.new).count(),
        reused_entities: decisions.iter().filter(|d| !d.placement.new).count(),
        facts: x.facts.iter().filter(|f| f.asserted).count(),
        replaced,
    }
}

/// Reads a store, or a transaction on one (which sees its own writes).
#[derive(Clone, Copy)]
pub(crate) enum Reader<'a> {
    Store(&'a Store),
    Transaction(&'a Store, &'a oxigraph::store::Transaction<'a>),
}

impl Reader<'_> {
    pub(crate) fn quads(
        &self,
        subject: Option<oxigraph::model::NamedOrBlankNodeRef<'_>>,
        predicate: Option<oxigraph::model::NamedNodeRef<'_>>,
        object: Option<oxigraph::model::TermRef<'_>>,
        graph: Option<GraphNameRef<'_>>,
    ) -> Result<Vec<Quad>> {
        match self {
            Reader::Store(s) => s
                .inner
                .quads_for_pattern(subject, predicate, object, graph)
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| s.error(e)),
            Reader::Transaction(s, t) => t
                .quads_for_pattern(subject, predicate, object, graph)
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| s.error(e)),
        }
    }
}

/// The entity nodes of an oxigraph store, for matching.
struct StoreNodes<'a>(Reader<'a>);

impl NodeSource for StoreNodes<'_> {
    fn nodes_with_key(&mut self, key: &str) -> Result<Vec<StoredNode>> {
        let lit = Literal::new_simple_literal(key);
        let mut nodes = Vec::new();
        for q in self.0.quads(
            None,
            Some(mo("key").as_ref()),
            Some(lit.as_ref().into()),
            Some(GraphNameRef::DefaultGraph),
        )? {
            if let NamedOrBlankNode::NamedNode(iri) = q.subject {
                nodes.push(stored_node(self.0, iri)?);
            }
        }
        Ok(nodes)
    }

    fn iri_taken(&mut self, iri: &NamedNode) -> Result<bool> {
        Ok(!self
            .0
            .quads(
                Some(iri.as_ref().into()),
                None,
                None,
                Some(GraphNameRef::DefaultGraph),
            )?
            .is_empty())
    }
}

/// What matching needs of a stored node: its types, label and spellings.
fn stored_node(reader: Reader<'_>, iri: NamedNode) -> Result<StoredNode> {
    let mut node = StoredNode {
        iri,
        types: Vec::new(),
        label: String::new(),
        names: Vec::new(),
    };
    for q in reader.quads(
        Some(node.iri.as_ref().into()),
        None,
        None,
        Some(GraphNameRef::DefaultGraph),
    )? {
        match q.object {
            Term::NamedNode(t) if q.predicate == rdf::TYPE => node.types.push(t),
            Term::Literal(l) if q.predicate == rdfs::LABEL => {
                if node.label.is_empty() {
                    node.label = l.value().to_string();
                }
                node.names.push(l.value().to_string());
            }
            Term::Literal(l) if q.predicate == skos("altLabel") => {
                node.names.push(l.value().to_string())
            }
            _ => {}
        }
    }
    Ok(node)
}

/// The quads that keep alias files' text in the aliases graph (one literal per
/// file, not a copy of its triples, which a query over all graphs would then
/// see twice).
pub(crate) fn alias_file_quads(alias_files: &[(String, String)]) -> Vec<Quad> {
    let aliases = NamedNode::new_unchecked(ALIASES_GRAPH);
    alias_files
        .iter()
        .map(|(_, text)| {
            Quad::new(
                aliases.clone(),
                mo("aliasFile"),
                Literal::new_simple_literal(text),
                GraphName::NamedNode(aliases.clone()),
            )
        })
        .collect()
}

/// The pinned quads of the alias files a store was given: see
/// [`alias_file_quads`].
pub(crate) fn pinned_in(reader: Reader<'_>) -> Result<Vec<Quad>> {
    let aliases = NamedNode::new_unchecked(ALIASES_GRAPH);
    let files: Vec<(String, String)> = reader
        .quads(
            None,
            Some(mo("aliasFile").as_ref()),
            None,
            Some(aliases.as_ref().into()),
        )?
        .into_iter()
        .filter_map(|q| match q.object {
            Term::Literal(l) => Some((ALIASES_GRAPH.to_string(), l.value().to_string())),
            _ => None,
        })
        .collect();
    pinned_quads(&files)
}

/// The pinned entities of alias files (name, Turtle), in the default graph, with
/// match keys for their spellings.
pub(crate) fn pinned_quads(alias_files: &[(String, String)]) -> Result<Vec<Quad>> {
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
    Ok(pinned)
}

pub(crate) fn now_xsd() -> String {
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

pub(crate) fn parse_turtle(name: &str, text: &str, graph: GraphName) -> Result<Vec<Quad>> {
    oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::Turtle)
        .with_default_graph(graph)
        .for_slice(text.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| Error::Rules {
            path: name.to_string(),
            problem: one_line(&e.to_string()),
        })
}

/// Takes the store's writer lock: a file lock on `musubi.lock` in the store
/// folder, held as long as the store is open for writing. A second writer finds
/// it taken and gets [`Error::StoreInUse`] from the lock's own outcome, before
/// RocksDB is asked; readers take no lock.
fn take_writer_lock(path: &Path) -> Result<std::fs::File> {
    std::fs::create_dir_all(path).map_err(|e| Error::io(path, e))?;
    let lock_path = path.join(WRITER_LOCK);
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .map_err(|e| Error::io(&lock_path, e))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(Error::StoreInUse(path.to_path_buf())),
        Err(std::fs::TryLockError::Error(e)) => Err(Error::io(&lock_path, e)),
    }
}

/// The file whose lock marks a store as open for writing.
const WRITER_LOCK: &str = "musubi.lock";

/// The error of opening the store at `path`: damage is told apart, because
/// what to do about it is not what to do about other failures.
fn open_error(path: &Path, source: StorageError) -> Error {
    match source {
        StorageError::Corruption(_) => Error::StoreDamaged {
            path: path.to_path_buf(),
            source,
        },
        source => Error::Store {
            path: Some(path.to_path_buf()),
            source,
        },
    }
}

/// A syntax error as one line that points into the user's text. The parser
/// reports the furthest point any rule reached and every token it expected
/// there, which for a misspelt or unsupported query form is far from the
/// mistake ("SELEC ?x WHERE" fails "at 1:10: expected CONSTRUCT"): the form is
/// checked here first, the rest reported at the parser's position.
fn syntax_error(message: &str, sparql: &str) -> String {
    const FORMS: [&str; 4] = ["SELECT", "ASK", "CONSTRUCT", "DESCRIBE"];
    const UPDATES: [&str; 10] = [
        "INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH",
    ];
    if let Some((at, word)) = query_form(sparql) {
        let upper = word.to_uppercase();
        let (line, column) = line_column(sparql, at);
        if UPDATES.contains(&upper.as_str()) {
            return format!(
                "line {line} column {column}: {word} is a SPARQL update; `musubi query` runs \
                 SELECT, ASK, CONSTRUCT or DESCRIBE (the store changes through `musubi ingest`)"
            );
        }
        if !FORMS.contains(&upper.as_str()) {
            return format!(
                "line {line} column {column}: expected SELECT, ASK, CONSTRUCT or DESCRIBE, found {word:?}"
            );
        }
    }
    let Some((at, expected)) = message.split_once(": expected ") else {
        return one_line(message);
    };
    let position = at
        .rsplit(' ')
        .next()
        .and_then(|p| p.split_once(':'))
        .map_or_else(|| at.to_string(), |(l, c)| format!("line {l} column {c}"));
    if expected.contains("Prefix not found") {
        format!("syntax error at {position}: unknown prefix (mo:, ent:, art:, rdf:, rdfs:, skos:… are predeclared)")
    } else {
        format!("syntax error at {position}: unexpected input")
    }
}

/// The query form keyword (its byte offset and text) after any PREFIX and BASE
/// declarations and comments, if the text has a word there at all.
fn query_form(sparql: &str) -> Option<(usize, &str)> {
    let mut at = 0;
    loop {
        let rest = &sparql[at..];
        let trimmed = rest.trim_start();
        at += rest.len() - trimmed.len();
        let upper = trimmed.get(..6).unwrap_or("").to_uppercase();
        if trimmed.starts_with('#') {
            at += trimmed.find('\n').unwrap_or(trimmed.len());
        } else if upper.starts_with("PREFIX") || upper.starts_with("BASE") {
            at += trimmed.find('>')? + 1;
        } else {
            let end = trimmed
                .find(|c: char| !c.is_alphanumeric())
                .unwrap_or(trimmed.len());
            return (end > 0).then(|| (at, &trimmed[..end]));
        }
    }
}

/// 1-based line and column (in characters) of a byte offset.
fn line_column(text: &str, at: usize) -> (usize, usize) {
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, column)
}

pub(crate) fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
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
