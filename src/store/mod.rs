//! Stage 7: the oxigraph store. Writes whole articles in atomic batches (so a
//! crash leaves whole articles or none), matches their entities against entities
//! already stored, and answers SPARQL.
//!
//! This module opens the store (read-write under its lock, or read-only),
//! loads the vocabulary and alias files, and reads and queries it. The parts
//! with a job of their own live apart: [`writer`] places and writes articles,
//! `durable` makes a store on disk trustworthy after a fault (atomic creation,
//! the ledger of articles reported stored), and `syntax` turns SPARQL syntax
//! errors into one line pointing into the user's query.
use std::path::{Path, PathBuf};

use oxigraph::model::vocab::rdf;
use oxigraph::model::{GraphName, GraphNameRef, Literal, NamedNode, NamedOrBlankNode, Quad, Term};
use oxigraph::sparql::{
    CancellationToken, PreparedSparqlQuery, PreparedSparqlUpdate, QueryResults, SparqlEvaluator,
};
use oxigraph::store::{StorageError, Store as OxStore};

use crate::document::{EntityType, Extraction};
use crate::error::{Error, Result};
use crate::mentions::KnownName;
use crate::names::{name_key, NameRules};
use crate::rdf::{article_iri, mo, skos, PREFIXES};
use crate::vocabulary::Vocabulary;

mod durable;
mod syntax;
mod writer;
pub use durable::LEDGER;
pub(crate) use syntax::one_line;
use syntax::{syntax_error, syntax_position};
pub(crate) use writer::Reader;
pub use writer::{close_matches, ingested, Writer};

/// The default store folder when neither `--store` nor `MUSUBI_STORE` is given.
pub const DEFAULT_STORE: &str = "musubi-store";

/// An open store: read-write (ingest) or read-only (query, export, stats).
pub struct Store {
    inner: OxStore,
    path: Option<PathBuf>,
    /// The lock held while open: the writer lock ([`take_writer_lock`]) when
    /// open for writing, the readers' shared lock ([`durable::start_reading`])
    /// when open for reading.
    _lock: Option<std::fs::File>,
    /// Opened with [`Store::open_read_only`].
    read_only: bool,
    /// Articles stored, when known: counted when opened for writing, raised by
    /// each commit and forgotten by a removal, after which the next sync counts
    /// again. Counting at every sync, a scan of the type index per batch, took
    /// ingest's peak memory over the livedoor corpus from 221 to 350 MiB.
    articles: std::sync::Mutex<Option<usize>>,
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
    /// while an ingest runs: it waits for the batch being written, if any, and
    /// keeps the next one waiting until dropped. Checks it as [`Store::open`]
    /// does.
    pub fn open_read_only(path: &Path) -> Result<Store> {
        if !path.join("CURRENT").exists() {
            return Err(Error::NoStore(path.to_path_buf()));
        }
        let reading = durable::start_reading(path)?;
        let lock = path.join(WRITER_LOCK);
        let store = durable::open_read_only(path, &lock, || {
            let claimed = durable::claimed(path)?;
            let inner = match OxStore::open_read_only(path) {
                Ok(inner) => inner,
                Err(e) if durable::is_unfinished_creation(&e) => {
                    // Only a read-write opening completes it; the store holds
                    // nothing yet, so doing that here changes no data.
                    drop(OxStore::open(path).map_err(|e| open_error(path, e))?);
                    OxStore::open_read_only(path).map_err(|e| open_error(path, e))?
                }
                Err(e) => return Err(open_error(path, e)),
            };
            Store::checked(inner, path, claimed, None)
        })?;
        Ok(Store {
            _lock: reading,
            read_only: true,
            ..store
        })
    }

    fn checked(
        inner: OxStore,
        path: &Path,
        claimed: Option<usize>,
        lock: Option<std::fs::File>,
    ) -> Result<Store> {
        let writable = lock.is_some();
        let store = Store {
            inner,
            path: Some(path.to_path_buf()),
            _lock: lock,
            read_only: false,
            articles: std::sync::Mutex::new(None),
        };
        if writable || claimed.is_some() {
            let found = store.article_count()?;
            durable::check(found, path, claimed)?;
            if writable {
                *store.count() = Some(found);
            }
        }
        Ok(store)
    }

    /// Keeps reading processes out until the returned guard is dropped: hold
    /// it while committing and syncing a batch (see [`durable`] for why reads
    /// and writes take turns). Calls `waiting` first when it has to wait for
    /// readers. `None` for a store in memory.
    pub fn exclude_readers(&self, waiting: impl FnOnce()) -> Result<Option<std::fs::File>> {
        self.path
            .as_deref()
            .map(|path| durable::start_writing(path, waiting))
            .transpose()
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
            let known = *self.count();
            let articles = match known {
                Some(n) => n,
                None => self.article_count()?,
            };
            *self.count() = Some(articles);
            durable::record(path, articles)?;
        }
        Ok(())
    }

    /// The article count kept for [`Store::sync`].
    fn count(&self) -> std::sync::MutexGuard<'_, Option<usize>> {
        // The count is a plain number: a panic while it was held left it whole.
        self.articles
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Notes that a commit stored `added` more articles.
    fn counted(&self, added: usize) {
        if let Some(n) = self.count().as_mut() {
            *n += added;
        }
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
            read_only: false,
            articles: std::sync::Mutex::new(None),
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
        if let Some(path) = &self.path {
            // Opened for reading while an ingest compacts files away (see
            // durable::open_read_only): not damage, and running again helps.
            if self.read_only {
                let lost = source.to_string().contains("No such file");
                if lost && durable::writer_running(&path.join(WRITER_LOCK)) {
                    return Error::StoreChanging(path.clone());
                }
            }
        }
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
        *self.count() = None;
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
        Writer::new(self, names)
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
        self.prepare_query(sparql, union, None)?
            .on_store(&self.inner)
            .execute()
            .map_err(Error::SparqlEvaluation)
    }

    /// Parses a query with the musubi prefixes predeclared, to be stopped when
    /// `token` is cancelled. With `union`, the default graph is the union of
    /// all graphs unless the query names its own dataset (FROM).
    pub(crate) fn prepare_query(
        &self,
        sparql: &str,
        union: bool,
        token: Option<CancellationToken>,
    ) -> Result<PreparedSparqlQuery> {
        let mut prepared = evaluator(token)
            .parse_query(sparql)
            .map_err(|e| Error::SparqlSyntax(syntax_error(&e.to_string(), sparql)))?;
        if union && prepared.dataset().is_default_dataset() {
            prepared.dataset_mut().set_default_graph_as_union();
        }
        Ok(prepared)
    }

    /// Parses a SPARQL update with the musubi prefixes predeclared, to be
    /// stopped when `token` is cancelled.
    pub(crate) fn prepare_update(
        &self,
        sparql: &str,
        token: Option<CancellationToken>,
    ) -> Result<PreparedSparqlUpdate> {
        evaluator(token)
            .parse_update(sparql)
            .map_err(|e| Error::SparqlSyntax(syntax_position(&e.to_string())))
    }

    /// Every name the store knows an entity by (labels and altLabels, in any
    /// graph, alias files included) with the entity's type: what a new article's
    /// recogniser looks for, so that a name seen before is found again in a bare
    /// context (メタを去った…) where no cue marks it.
    pub fn known_names(&self) -> Result<Vec<KnownName>> {
        let rows = select_rows(self.query_all_graphs(
            "SELECT DISTINCT ?e ?name ?class WHERE { ?e a ?class . \
             { ?e rdfs:label ?name } UNION { ?e skos:altLabel ?name } }",
        )?)?;
        Ok(known_names_of(rows))
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

/// The known names in the rows of `SELECT ?e ?name ?class` over entities'
/// labels and altLabels, from this store or a remote one.
pub(crate) fn known_names_of(rows: Vec<Vec<Option<Term>>>) -> Vec<KnownName> {
    KnownName::of_entities(rows.into_iter().filter_map(|row| match row.as_slice() {
        [Some(e), Some(Term::Literal(name)), Some(Term::NamedNode(class))] => {
            let local = class.as_str().strip_prefix(crate::rdf::ONTOLOGY)?;
            let etype = EntityType::from_name(local)?;
            Some((e.clone(), name.value().to_string(), etype))
        }
        _ => None,
    }))
}

/// The graph the vocabulary is loaded into.
pub const ONTOLOGY_GRAPH: &str = "https://w3id.org/musubi/ontology";

/// The graph holding the text of the alias files a store was given.
pub const ALIASES_GRAPH: &str = "https://w3id.org/musubi/aliases";

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
/// RocksDB is asked; readers take the readers' lock instead (see [`durable`]).
fn take_writer_lock(path: &Path) -> Result<std::fs::File> {
    std::fs::create_dir_all(path).map_err(|e| Error::io(path, e))?;
    let lock_path = path.join(WRITER_LOCK);
    let file = durable::lock_file(&lock_path).map_err(|e| Error::io(&lock_path, e))?;
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

/// A SPARQL parser with the musubi prefixes predeclared, stopped when `token`
/// is cancelled.
fn evaluator(token: Option<CancellationToken>) -> SparqlEvaluator {
    let mut evaluator = SparqlEvaluator::new();
    if let Some(token) = token {
        evaluator = evaluator.with_cancellation_token(token);
    }
    for (p, iri) in PREFIXES {
        evaluator = evaluator
            .with_prefix(p, iri)
            .expect("the built-in prefixes are valid IRIs");
    }
    evaluator
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
