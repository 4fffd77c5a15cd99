//! Stage 7: the oxigraph store. Writes whole articles in atomic batches (so a
//! crash leaves whole articles or none), matches their entities against entities
//! already stored, and answers SPARQL.
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use oxigraph::model::vocab::{rdf, rdfs};
use oxigraph::model::{GraphName, GraphNameRef, Literal, NamedNode, NamedOrBlankNode, Quad, Term};
use oxigraph::sparql::{CancellationToken, QueryResults, SparqlEvaluator};
use oxigraph::store::{StorageError, Store as OxStore};

use crate::document::{Entity, EntityType, Extraction};
use crate::error::{Error, Result};
use crate::names::{name_key, NameRules};
use crate::rdf::{
    article_iri, article_quads, class_iri, entity_iri, mo, skos, IngestInfo, PREFIXES,
};
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
        let mut tx = self.inner.start_transaction().map_err(|e| self.error(e))?;
        tx.clear_graph(&graph).map_err(|e| self.error(e))?;
        tx.extend(vocab.iter().chain(&pinned));
        tx.commit().map_err(|e| self.error(e))
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
            names,
            nodes: Vec::new(),
            node_of_iri: HashMap::new(),
            by_key: HashMap::new(),
            pending: Vec::new(),
            pending_articles: HashSet::new(),
            time: now_xsd(),
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

    /// The id of the one stored article that `wanted` names: its id, a prefix
    /// of the id, its source path, or the file name of its source.
    pub fn find_article(&self, wanted: &str) -> Result<String> {
        let rows = self.select(
            "SELECT ?id ?src WHERE { ?a a mo:Article ; mo:sha256 ?id \
             OPTIONAL { ?a dcterms:source ?src } }",
        )?;
        let text = |t: &Option<Term>| match t {
            Some(Term::Literal(l)) => l.value().to_string(),
            Some(Term::NamedNode(n)) => n.as_str().to_string(),
            _ => String::new(),
        };
        let mut hits: Vec<String> = rows
            .iter()
            .filter(|row| {
                let (id, src) = (text(&row[0]), text(&row[1]));
                id.starts_with(wanted)
                    || (!src.is_empty() && (src == wanted || src.ends_with(&format!("/{wanted}"))))
            })
            .map(|row| text(&row[0]))
            .collect();
        hits.sort();
        hits.dedup();
        match hits.len() {
            1 => Ok(hits.remove(0)),
            0 => Err(Error::ArticleNotFound(wanted.to_string())),
            count => Err(Error::ArticleAmbiguous {
                wanted: wanted.to_string(),
                count,
            }),
        }
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

/// Writes articles to a store in batches. [`Writer::add`] decides the IRIs of an
/// article's entities and queues its quads; [`Writer::commit`] writes everything
/// queued in one atomic write, so a crash leaves whole articles or none.
///
/// Entities are matched through an index of the stored entities' names that the
/// writer fills from the store one key at a time, the first time an article
/// needs that key, and keeps up to date with what it writes. Matching then costs
/// hash lookups instead of store reads, and sees the queued articles too. After
/// an error the index may hold entities that were never written: drop the writer.
pub struct Writer<'s> {
    store: &'s Store,
    names: &'s NameRules,
    nodes: Vec<Node>,
    node_of_iri: HashMap<String, usize>,
    /// Match key → entities (indices into `nodes`) that have it.
    by_key: HashMap<String, KeyEntry>,
    pending: Vec<Quad>,
    pending_articles: HashSet<String>,
    time: String,
    /// Names with types that the queued articles give their entities (see
    /// [`Writer::take_learned_names`]).
    learned: Vec<(String, EntityType)>,
}

/// The entities known to have one match key.
#[derive(Default)]
struct KeyEntry {
    /// Indices into `Writer::nodes`.
    nodes: Vec<usize>,
    /// True once the stored entities with the key were read in; until then
    /// `nodes` holds only those this writer gave the key.
    loaded: bool,
}

/// A stored entity as far as matching needs it.
struct Node {
    iri: NamedNode,
    types: Vec<NamedNode>,
    label: Spelling,
    /// Every name it is known by (label and altLabels).
    names: Vec<Spelling>,
}

/// A name with the two keys [`NameRules::compare`] calls Sure on.
#[derive(Clone)]
struct Spelling {
    text: String,
    key: String,
    spelling: String,
}

impl Spelling {
    fn new(text: &str, rules: &NameRules) -> Spelling {
        Spelling {
            text: text.to_string(),
            key: name_key(text),
            spelling: rules.spelling_key(text),
        }
    }
    /// Same as `rules.compare(a, b) == NameMatch::Sure`, from the keys.
    fn same(&self, other: &Spelling) -> bool {
        self.key == other.key || self.spelling == other.spelling
    }
}

/// How a stored entity relates to a new one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Fit {
    /// Shares a key and nothing more: a possible variant (`skos:closeMatch`).
    Close,
    /// One's fullest name is a known spelling of the other (佐藤 / 佐藤太郎 when the
    /// stored 佐藤太郎 was also called 佐藤), and no two full names disagree.
    Partial,
    /// The fullest names agree.
    Full,
}

impl Writer<'_> {
    /// Queues one article: decides its entities' IRIs and its quads. Nothing is
    /// in the store before [`Writer::commit`].
    pub fn add(&mut self, x: &Extraction) -> Result<Ingested> {
        if self.pending_articles.contains(&x.article.id)
            || self.store.contains_article(&x.article.id)?
        {
            return Ok(Ingested::AlreadyPresent);
        }
        let mut iris = Vec::with_capacity(x.entities.len());
        let mut is_new = Vec::with_capacity(x.entities.len());
        let mut close = Vec::new();
        let keys: Vec<Vec<String>> = x.entities.iter().map(entity_keys).collect();
        for (e, keys) in x.entities.iter().zip(&keys) {
            let new_names: Vec<Spelling> = e
                .aliases
                .iter()
                .map(|a| Spelling::new(a, self.names))
                .collect();
            let (reuse, close_to) = self.match_entity(e, keys, &new_names)?;
            let node = match reuse {
                Some(n) => {
                    is_new.push(false);
                    n
                }
                None => {
                    let n = self.mint(e)?;
                    if let Some(other) = close_to {
                        close.push((self.nodes[n].iri.clone(), self.nodes[other].iri.clone()));
                    }
                    is_new.push(true);
                    n
                }
            };
            // What the quads below add to the store's known names: every
            // spelling they write (the label only for a new node), with every
            // type the node has.
            let minted = is_new.last() == Some(&true);
            let label = minted.then_some(&e.label);
            for name in e.aliases.iter().chain(label) {
                for class in &self.nodes[node].types {
                    let local = class.as_str().strip_prefix(crate::rdf::ONTOLOGY);
                    if let Some(t) = local.and_then(EntityType::from_name) {
                        self.learned.push((name.clone(), t));
                    }
                }
            }
            // What the quads below add to the node, so later articles see it.
            for name in new_names {
                if !self.nodes[node].names.iter().any(|s| s.text == name.text) {
                    self.nodes[node].names.push(name);
                }
            }
            for k in keys {
                let entry = self.by_key.entry(k.clone()).or_default();
                if !entry.nodes.contains(&node) {
                    entry.nodes.push(node);
                }
            }
            iris.push(self.nodes[node].iri.clone());
        }
        let info = IngestInfo {
            time: self.time.clone(),
        };
        let mut quads = article_quads(x, &iris, &is_new, &keys, &info);
        for (a, b) in close {
            quads.push(Quad::new(a, skos("closeMatch"), b, GraphName::DefaultGraph));
        }
        let count = quads.len();
        self.pending.extend(quads);
        self.pending_articles.insert(x.article.id.clone());
        Ok(Ingested::Added {
            quads: count,
            new_entities: is_new.iter().filter(|n| **n).count(),
            reused_entities: is_new.iter().filter(|n| !**n).count(),
            facts: x.facts.iter().filter(|f| f.asserted).count(),
        })
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

    /// The stored entity `e` is, if any, and else the one it may be
    /// (`skos:closeMatch`). Candidates share a match key and the type; a
    /// candidate is reused when the fullest names agree, or when one's fullest
    /// name is a known spelling of the other and no full names conflict
    /// (given names differ) — and then only if it is the only such candidate,
    /// since a bare surname shared by two people names neither.
    fn match_entity(
        &mut self,
        e: &Entity,
        keys: &[String],
        new_names: &[Spelling],
    ) -> Result<(Option<usize>, Option<usize>)> {
        let class = class_iri(e.etype);
        let label = Spelling::new(&e.label, self.names);
        let mut candidates: Vec<usize> = Vec::new();
        for key in keys {
            self.load_key(key)?;
            for &n in &self.by_key[key].nodes {
                if !candidates.contains(&n) && self.nodes[n].types.contains(&class) {
                    candidates.push(n);
                }
            }
        }
        // Store order and the order entities were met differ between a run and a
        // resumed run; IRI order does not.
        candidates.sort_by(|&a, &b| self.nodes[a].iri.as_str().cmp(self.nodes[b].iri.as_str()));
        let person = e.etype == EntityType::Person;
        let fits: Vec<(usize, Fit)> = candidates
            .iter()
            .map(|&n| {
                (
                    n,
                    fit(&self.nodes[n], &label, new_names, person, self.names),
                )
            })
            .collect();
        let reuse = match fits.iter().find(|f| f.1 == Fit::Full) {
            Some(&(n, _)) => Some(n),
            None => match fits
                .iter()
                .filter(|f| f.1 == Fit::Partial)
                .collect::<Vec<_>>()[..]
            {
                [&(n, _)] => Some(n),
                _ => None,
            },
        };
        Ok((reuse, candidates.first().copied()))
    }

    /// Brings the stored entities with match key `key` into the index.
    fn load_key(&mut self, key: &str) -> Result<()> {
        if self.by_key.get(key).is_some_and(|k| k.loaded) {
            return Ok(());
        }
        let lit = Literal::new_simple_literal(key);
        let mut found = Vec::new();
        for q in self.store.inner.quads_for_pattern(
            None,
            Some(mo("key").as_ref()),
            Some(lit.as_ref().into()),
            Some(GraphNameRef::DefaultGraph),
        ) {
            if let NamedOrBlankNode::NamedNode(node) = q.map_err(|e| self.store.error(e))?.subject {
                found.push(node);
            }
        }
        let found = found
            .into_iter()
            .map(|iri| self.node(iri))
            .collect::<Result<Vec<usize>>>()?;
        let entry = self.by_key.entry(key.to_string()).or_default();
        for n in found {
            if !entry.nodes.contains(&n) {
                entry.nodes.push(n);
            }
        }
        entry.loaded = true;
        Ok(())
    }

    /// The index of a stored entity, read from the store the first time.
    fn node(&mut self, iri: NamedNode) -> Result<usize> {
        if let Some(&n) = self.node_of_iri.get(iri.as_str()) {
            return Ok(n);
        }
        let mut types = Vec::new();
        let mut label = None;
        let mut names = Vec::new();
        for q in self.store.inner.quads_for_pattern(
            Some(iri.as_ref().into()),
            None,
            None,
            Some(GraphNameRef::DefaultGraph),
        ) {
            let q = q.map_err(|e| self.store.error(e))?;
            match q.object {
                Term::NamedNode(t) if q.predicate == rdf::TYPE => types.push(t),
                Term::Literal(l) if q.predicate == rdfs::LABEL => {
                    let s = Spelling::new(l.value(), self.names);
                    label.get_or_insert_with(|| s.clone());
                    names.push(s);
                }
                Term::Literal(l) if q.predicate == skos("altLabel") => {
                    names.push(Spelling::new(l.value(), self.names))
                }
                _ => {}
            }
        }
        let label = label.unwrap_or_else(|| Spelling::new("", self.names));
        Ok(self.push_node(Node {
            iri,
            types,
            label,
            names,
        }))
    }

    fn push_node(&mut self, node: Node) -> usize {
        self.node_of_iri
            .insert(node.iri.as_str().to_string(), self.nodes.len());
        self.nodes.push(node);
        self.nodes.len() - 1
    }

    /// A new entity with a fresh IRI: its label, with `-2`, `-3`… when taken.
    fn mint(&mut self, e: &Entity) -> Result<usize> {
        for n in 1.. {
            let iri = entity_iri(e.etype, &e.label, n);
            if self.node_of_iri.contains_key(iri.as_str()) {
                continue;
            }
            let stored = self
                .store
                .inner
                .quads_for_pattern(
                    Some(iri.as_ref().into()),
                    None,
                    None,
                    Some(GraphNameRef::DefaultGraph),
                )
                .next()
                .is_some();
            if stored {
                continue;
            }
            let label = Spelling::new(&e.label, self.names);
            return Ok(self.push_node(Node {
                iri,
                types: vec![class_iri(e.etype)],
                names: vec![label.clone()],
                label,
            }));
        }
        unreachable!("some suffix is always free")
    }
}

/// How stored entity `node` fits a new one with fullest name `label` and
/// spellings `names`.
fn fit(node: &Node, label: &Spelling, names: &[Spelling], person: bool, rules: &NameRules) -> Fit {
    if label.same(&node.label) {
        return Fit::Full;
    }
    let known =
        node.names.iter().any(|s| s.same(label)) || names.iter().any(|s| s.same(&node.label));
    if !known {
        return Fit::Close;
    }
    let conflict = person
        && names.iter().any(|a| {
            node.names
                .iter()
                .any(|s| rules.given_names_conflict(&a.text, &s.text))
        });
    if conflict {
        Fit::Close
    } else {
        Fit::Partial
    }
}

/// Keys under which an entity can be found again: one per spelling.
fn entity_keys(e: &Entity) -> Vec<String> {
    let mut keys: Vec<String> = e.aliases.iter().map(|a| name_key(a)).collect();
    keys.sort();
    keys.dedup();
    keys
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
