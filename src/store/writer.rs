//! Writing articles into the embedded store: each article's entities are
//! matched to the stored nodes by the shared [`Matcher`] (which reads the
//! store through [`StoreNodes`]), its quads queued, and a batch written in one
//! atomic commit, so a crash leaves whole articles or none. Replacing an
//! article removes the old one and writes the new in one transaction of its
//! own, so the store never holds both versions or neither.
use std::collections::HashSet;

use oxigraph::model::vocab::{rdf, rdfs};
use oxigraph::model::{GraphName, GraphNameRef, Literal, NamedNode, NamedOrBlankNode, Quad, Term};

use super::{now_xsd, Store};
use crate::document::Extraction;
use crate::error::Result;
use crate::matching::{Decision, Matcher, NodeSource, StoredNode};
use crate::mentions::KnownName;
use crate::names::NameRules;
use crate::rdf::{
    article_quads, mo, relabel_additions, relabel_removals, skos, IngestInfo, Placement,
};
use crate::store::Ingested;

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
    learned: Vec<KnownName>,
    /// Default-graph quads that queued articles take away (a node's old label,
    /// see [`relabel_removals`]): removed from the store at the commit.
    removed: Vec<Quad>,
    /// The labels that replace them (see [`relabel_additions`]).
    relabelled: Vec<Quad>,
    /// Nodes the queued articles minted: relabelled in the queue alone.
    minted: HashSet<NamedNode>,
    /// The nodes alias files pin, read at the first article.
    pinned: Option<HashSet<NamedNode>>,
    /// The match keys the store holds, once the matcher has asked for many.
    census: KeyCensus,
}

impl<'s> Writer<'s> {
    pub(super) fn new(store: &'s Store, names: &'s NameRules) -> Writer<'s> {
        Writer {
            store,
            matcher: Matcher::new(names),
            pending: Vec::new(),
            pending_articles: HashSet::new(),
            time: now_xsd(),
            replace: false,
            learned: Vec::new(),
            removed: Vec::new(),
            relabelled: Vec::new(),
            minted: HashSet::new(),
            pinned: None,
            census: KeyCensus::default(),
        }
    }

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
        let decisions = self.place(Reader::Store(self.store), x)?;
        let quads = self.quads(x, &decisions);
        let ingested = ingested(x, &decisions, quads.len(), Vec::new());
        let placements = || decisions.iter().map(|d| &d.placement);
        self.minted
            .extend(placements().filter(|p| p.new).map(|p| p.iri.clone()));
        let removed = relabel_removals(placements());
        if !removed.is_empty() {
            // What an earlier article of the batch wrote and this one takes away.
            self.pending.retain(|q| !removed.contains(q));
            self.relabelled.retain(|q| !removed.contains(q));
            // Stored nodes change in the store too; a node minted in this
            // batch has all its quads in the queue.
            let stored = || placements().filter(|p| !self.minted.contains(&p.iri));
            self.removed.extend(relabel_removals(stored()));
            self.relabelled.extend(relabel_additions(stored()));
        }
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
        // The removal changed nodes the index may hold, and the keys stored.
        self.matcher.clear();
        self.census = KeyCensus::default();
        let decisions = self.place(Reader::Transaction(store, &tx), x)?;
        let quads = self.quads(x, &decisions);
        // The batch is synced before it is reported, which records the count.
        store.before_removing(old.len())?;
        let ingested = ingested(x, &decisions, quads.len(), old);
        for q in relabel_removals(decisions.iter().map(|d| &d.placement)) {
            tx.remove(&q);
        }
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

    /// Places an article's entities on the nodes `reader` holds, and keeps the
    /// names they give the store.
    fn place(&mut self, reader: Reader<'_>, x: &Extraction) -> Result<Vec<Decision>> {
        if self.pinned.is_none() {
            let quads = crate::store::pinned_in(Reader::Store(self.store))?;
            let nodes = quads.into_iter().filter_map(|q| match q.subject {
                NamedOrBlankNode::NamedNode(n) => Some(n),
                _ => None,
            });
            self.pinned = Some(nodes.collect());
        }
        let mut source = StoreNodes {
            reader,
            census: &mut self.census,
            pinned: self.pinned.as_ref().expect("read above"),
        };
        let decisions = self.matcher.place(&mut source, &x.entities)?;
        self.learned
            .extend(self.matcher.learned_names(&x.entities, &decisions));
        Ok(decisions)
    }

    /// Writes the queued articles in one atomic write.
    ///
    /// Stored nodes that queued articles relabel get their new labels first, in
    /// a small transaction of their own: one that removes quads must be able to
    /// read, and such a transaction is slow for a whole batch. A crash between
    /// the two writes leaves the fuller labels without the articles that gave
    /// them, and the run that resumes writes those articles, matching what one
    /// run gives. (Nodes the batch mints are relabelled in the queue, so that no
    /// quad names them before their articles are written.)
    pub fn commit(&mut self) -> Result<()> {
        let store = self.store;
        if !self.removed.is_empty() {
            let mut tx = store
                .inner
                .start_transaction()
                .map_err(|e| store.error(e))?;
            for q in std::mem::take(&mut self.removed) {
                tx.remove(&q);
            }
            tx.extend(&std::mem::take(&mut self.relabelled));
            tx.commit().map_err(|e| store.error(e))?;
        }
        if !self.pending.is_empty() {
            store
                .inner
                .extend(std::mem::take(&mut self.pending))
                .map_err(|e| store.error(e))?;
        }
        self.store.counted(self.pending_articles.len());
        self.pending_articles.clear();
        self.minted.clear();
        // The articles of the next batch are generated now, not when the run began.
        self.time = now_xsd();
        Ok(())
    }

    /// The names (labels and altLabels, with their entities' types) that the
    /// articles added since the last call give the store: what
    /// [`Store::known_names`] would add once they are written, without reading
    /// the store again.
    pub fn take_learned_names(&mut self) -> Vec<KnownName> {
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

    /// True when some quad matches the pattern; reads (and decodes) one at most.
    pub(crate) fn any(
        &self,
        subject: Option<oxigraph::model::NamedOrBlankNodeRef<'_>>,
        predicate: Option<oxigraph::model::NamedNodeRef<'_>>,
        object: Option<oxigraph::model::TermRef<'_>>,
        graph: Option<GraphNameRef<'_>>,
    ) -> Result<bool> {
        let first = match self {
            Reader::Store(s) => s
                .inner
                .quads_for_pattern(subject, predicate, object, graph)
                .next()
                .transpose()
                .map_err(|e| s.error(e))?,
            Reader::Transaction(s, t) => t
                .quads_for_pattern(subject, predicate, object, graph)
                .next()
                .transpose()
                .map_err(|e| s.error(e))?,
        };
        Ok(first.is_some())
    }
}

/// The entity nodes of an oxigraph store, for matching.
struct StoreNodes<'a, 'c> {
    reader: Reader<'a>,
    census: &'c mut KeyCensus,
    /// The nodes alias files pin.
    pinned: &'c HashSet<NamedNode>,
}

/// Which match keys a store holds, for skipping the reads of keys it does not.
///
/// The matcher asks for each key once (it keeps the nodes it read and those
/// it placed), and most keys of a large ingest are new: reading each one is a
/// RocksDB seek that finds nothing, and fills the block caches with pages that
/// are never used again. So after [`KeyCensus::ASKED`] keys, the writer reads
/// every key the store holds at once, and reads nodes only for those. A key
/// missing from that census is not in the store, since a key this writer
/// writes later was placed by its matcher, which never asks for it again.
/// After the store changed otherwise (a removal), the census starts over.
enum KeyCensus {
    /// Not taken yet: the number of keys asked for so far.
    Asked(usize),
    Taken(HashSet<Box<str>>),
}

impl Default for KeyCensus {
    fn default() -> Self {
        KeyCensus::Asked(0)
    }
}

impl KeyCensus {
    /// Keys read one by one before the census is taken: a small ingest into
    /// a large store reads a few keys, not all of them.
    const ASKED: usize = 256;
}

impl StoreNodes<'_, '_> {
    /// False when the census says no stored node has `key`.
    fn may_hold(&mut self, key: &str) -> Result<bool> {
        let asked = match self.census {
            KeyCensus::Taken(keys) => return Ok(keys.contains(key)),
            KeyCensus::Asked(n) => *n + 1,
        };
        *self.census = if asked < KeyCensus::ASKED {
            KeyCensus::Asked(asked)
        } else {
            let mut keys = HashSet::new();
            for q in self.reader.quads(
                None,
                Some(mo("key").as_ref()),
                None,
                Some(GraphNameRef::DefaultGraph),
            )? {
                if let Term::Literal(l) = q.object {
                    keys.insert(Box::from(l.value()));
                }
            }
            KeyCensus::Taken(keys)
        };
        Ok(match self.census {
            KeyCensus::Taken(keys) => keys.contains(key),
            _ => true,
        })
    }
}

impl NodeSource for StoreNodes<'_, '_> {
    fn nodes_with_key(&mut self, key: &str) -> Result<Vec<StoredNode>> {
        if !self.may_hold(key)? {
            return Ok(Vec::new());
        }
        let lit = Literal::new_simple_literal(key);
        let mut nodes = Vec::new();
        for q in self.reader.quads(
            None,
            Some(mo("key").as_ref()),
            Some(lit.as_ref().into()),
            Some(GraphNameRef::DefaultGraph),
        )? {
            if let NamedOrBlankNode::NamedNode(iri) = q.subject {
                let pinned = self.pinned.contains(&iri);
                nodes.push(stored_node(self.reader, iri, pinned)?);
            }
        }
        Ok(nodes)
    }

    fn iri_taken(&mut self, iri: &NamedNode) -> Result<bool> {
        self.reader.any(
            Some(iri.as_ref().into()),
            None,
            None,
            Some(GraphNameRef::DefaultGraph),
        )
    }
}

/// What matching needs of a stored node: its types, label and spellings.
fn stored_node(reader: Reader<'_>, iri: NamedNode, pinned: bool) -> Result<StoredNode> {
    let mut node = StoredNode {
        iri,
        types: Vec::new(),
        label: String::new(),
        names: Vec::new(),
        pinned,
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
