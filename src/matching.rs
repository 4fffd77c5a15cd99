//! Matching an article's entities to the entity nodes of a store: for each
//! entity, reuse a node that already stands for it, or mint a new one (linked
//! by `skos:closeMatch` to a node it only may be).
//!
//! The decision is the same whatever holds the nodes, so it lives here, apart
//! from any store: a [`NodeSource`] answers "which nodes have this match key"
//! and "is this IRI taken", and the [`Matcher`] keeps an index of the nodes it
//! has read and of what the articles it placed added to them. The embedded
//! store reads oxigraph, a remote store asks its SPARQL endpoint, and a replay
//! (`musubi reconcile`) starts from nothing and places every stored article
//! again in a fixed order.
//!
//! Matching depends on what came before: a node's spellings are those of the
//! articles placed before, and the first article to name an entity mints its
//! IRI. Its label is the fullest name of those articles (ranked by
//! [`crate::names::fuller_name`]), whatever their order. Placing the same
//! articles in the same order therefore gives the same nodes, which is what a
//! replay relies on.
use std::collections::HashMap;
use std::sync::Arc;

use oxigraph::model::NamedNode;

use crate::document::{Entity, EntityType};
use crate::error::Result;
use crate::mentions::KnownName;
use crate::names::{fuller_name, is_full_name, name_key, NameRules, SurnameHints};
use crate::rdf::{entity_iri, entity_keys, Placement};
use crate::text::is_latin_spelling;

/// Where a [`Matcher`] reads the nodes already stored.
pub trait NodeSource {
    /// The stored nodes that have match key `key`.
    fn nodes_with_key(&mut self, key: &str) -> Result<Vec<StoredNode>>;
    /// True when a stored node already has this IRI.
    fn iri_taken(&mut self, iri: &NamedNode) -> Result<bool>;
    /// Says which keys, and which IRIs (as [`NodeSource::iri_taken`]), will be
    /// asked for next, so that a remote source can fetch them in one request
    /// each. The default does nothing.
    fn prefetch(&mut self, _keys: &[String], _iris: &[NamedNode]) -> Result<()> {
        Ok(())
    }
}

/// A stored node as far as matching needs it.
#[derive(Debug, Clone)]
pub struct StoredNode {
    pub iri: NamedNode,
    pub types: Vec<NamedNode>,
    /// Its `rdfs:label` ("" if it has none).
    pub label: String,
    /// Every name it is known by: label and altLabels.
    pub names: Vec<String>,
    /// True for a node an alias file pins: its label is the user's and stays.
    pub pinned: bool,
}

/// A source with no nodes: what a fresh store, or a replay, starts from.
pub struct NoNodes;

impl NodeSource for NoNodes {
    fn nodes_with_key(&mut self, _key: &str) -> Result<Vec<StoredNode>> {
        Ok(Vec::new())
    }
    fn iri_taken(&mut self, _iri: &NamedNode) -> Result<bool> {
        Ok(false)
    }
}

/// What matching decided for one entity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub placement: Placement,
    /// For a new node: the stored node it may be (`skos:closeMatch`).
    pub close_to: Option<NamedNode>,
}

/// The index a matcher keeps of the nodes it has seen.
///
/// Nodes are read from the source one key at a time, the first time an entity
/// needs that key, and kept up to date with what the placed articles add to
/// them. Matching then costs hash lookups instead of store reads, and sees the
/// articles placed but not yet written too. After the store changed under it
/// (another writer, a removal), [`Matcher::clear`] it.
///
/// The index grows with every entity a run meets (about 58,000 over the
/// livedoor corpus), so it is kept compact: each IRI is held once, shared by
/// the node and the map from IRIs, types are a set of [`EntityType`]s (the only
/// classes matching compares), and each spelling is one allocation.
pub struct Matcher<'r> {
    /// How spellings compare (the cues of `resolution.toml`), as in the
    /// entity stage.
    names: &'r NameRules,
    nodes: Vec<Node>,
    node_of_iri: HashMap<Arc<str>, u32>,
    /// Match key → nodes (indices into `nodes`) that have it.
    by_key: HashMap<Box<str>, KeyEntry>,
}

/// The nodes known to have one match key.
#[derive(Default)]
struct KeyEntry {
    nodes: Vec<u32>,
    /// True once the source's nodes with the key were read in; until then
    /// `nodes` holds only those this matcher gave the key.
    loaded: bool,
}

/// A node as far as matching needs it.
struct Node {
    iri: Arc<str>,
    types: Types,
    label: Spelling,
    /// Every name it is known by (label and altLabels).
    names: Vec<Spelling>,
    pinned: bool,
}

/// A set of entity types, one bit each (in the order of [`EntityType::ALL`]).
/// A stored node's classes outside the musubi entity types never match an
/// entity, and are left out.
#[derive(Clone, Copy, Default)]
struct Types(u16);

impl Types {
    fn bit(t: EntityType) -> u16 {
        1 << EntityType::ALL.iter().position(|&u| u == t).unwrap_or(0)
    }
    fn of_classes(classes: &[NamedNode]) -> Types {
        let mut set = Types::default();
        for class in classes {
            let local = class.as_str().strip_prefix(crate::rdf::ONTOLOGY);
            if let Some(t) = local.and_then(EntityType::from_name) {
                set.0 |= Types::bit(t);
            }
        }
        set
    }
    fn one(t: EntityType) -> Types {
        Types(Types::bit(t))
    }
    fn contains(self, t: EntityType) -> bool {
        self.0 & Types::bit(t) != 0
    }
    fn iter(self) -> impl Iterator<Item = EntityType> {
        EntityType::ALL
            .into_iter()
            .filter(move |&t| self.contains(t))
    }
}

/// A name with the two keys [`NameRules::compare`] calls Sure on, in one
/// string: the text, then its match key, then its spelling key.
#[derive(Clone)]
struct Spelling {
    all: Box<str>,
    /// Where the match key and the spelling key start in `all`.
    starts: [u32; 2],
}

impl Spelling {
    fn new(text: &str, rules: &NameRules) -> Spelling {
        let key = name_key(text);
        let spelling = rules.spelling_key(text);
        let mut all = String::with_capacity(text.len() + key.len() + spelling.len());
        all.push_str(text);
        all.push_str(&key);
        all.push_str(&spelling);
        Spelling {
            all: all.into_boxed_str(),
            starts: [text.len() as u32, (text.len() + key.len()) as u32],
        }
    }
    fn text(&self) -> &str {
        &self.all[..self.starts[0] as usize]
    }
    fn key(&self) -> &str {
        &self.all[self.starts[0] as usize..self.starts[1] as usize]
    }
    fn spelling(&self) -> &str {
        &self.all[self.starts[1] as usize..]
    }
    /// Same as `rules.compare(a, b) == NameMatch::Sure`, from the keys.
    fn same(&self, other: &Spelling) -> bool {
        self.key() == other.key() || self.spelling() == other.spelling()
    }
}

/// How a stored node relates to a new entity.
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

impl<'r> Matcher<'r> {
    /// A matcher comparing names under `names`.
    pub fn new(names: &'r NameRules) -> Matcher<'r> {
        Matcher {
            names,
            nodes: Vec::new(),
            node_of_iri: HashMap::new(),
            by_key: HashMap::new(),
        }
    }

    /// The rules names are compared under.
    pub fn names(&self) -> &'r NameRules {
        self.names
    }

    /// Forgets every node read from the source.
    pub fn clear(&mut self) {
        *self = Matcher::new(self.names);
    }

    /// Decides the nodes of one article's entities, in order, and remembers
    /// what the article adds to them (spellings, keys), so that the entities
    /// placed next see it.
    pub fn place(
        &mut self,
        source: &mut dyn NodeSource,
        entities: &[Entity],
    ) -> Result<Vec<Decision>> {
        let keys: Vec<Vec<String>> = entities.iter().map(entity_keys).collect();
        let unseen: Vec<String> = keys
            .iter()
            .flatten()
            .filter(|k| !self.by_key.get(k.as_str()).is_some_and(|e| e.loaded))
            .cloned()
            .collect();
        // The IRIs new nodes would get.
        let iris: Vec<NamedNode> = entities
            .iter()
            .map(|e| entity_iri(e.etype, &e.label, 1))
            .filter(|iri| !self.node_of_iri.contains_key(iri.as_str()))
            .collect();
        if !unseen.is_empty() || !iris.is_empty() {
            source.prefetch(&unseen, &iris)?;
        }
        let mut decisions = Vec::with_capacity(entities.len());
        for (e, keys) in entities.iter().zip(&keys) {
            let new_names: Vec<Spelling> = e
                .aliases
                .iter()
                .map(|a| Spelling::new(a, self.names))
                .collect();
            let (reuse, close_to) = self.match_entity(source, e, keys, &new_names)?;
            let (node, new, close_to) = match reuse {
                Some(n) => (n, false, None),
                None => {
                    let n = self.mint(source, e)?;
                    (n, true, close_to.map(|c| self.iri(c)))
                }
            };
            // A node's label is the fullest name any of its articles gives it.
            let relabelled_from = if !new
                && !self.nodes[node as usize].pinned
                && fuller_name(&e.label, self.nodes[node as usize].label.text())
            {
                let fuller = Spelling::new(&e.label, self.names);
                let old = std::mem::replace(&mut self.nodes[node as usize].label, fuller);
                Some(old.text().to_string())
            } else {
                None
            };
            let names = &mut self.nodes[node as usize].names;
            for name in new_names {
                if !names.iter().any(|s| s.text() == name.text()) {
                    names.push(name);
                }
            }
            for k in keys {
                let entry = self.by_key.entry(k.as_str().into()).or_default();
                if !entry.nodes.contains(&node) {
                    entry.nodes.push(node);
                }
            }
            decisions.push(Decision {
                placement: Placement {
                    iri: self.iri(node),
                    new,
                    label: self.nodes[node as usize].label.text().to_string(),
                    relabelled_from,
                },
                close_to,
            });
        }
        Ok(decisions)
    }

    /// The names that placing `entities` as `decisions` say gives the store,
    /// each with every type of its node: the entities' spellings, and the label
    /// of a node minted for one. What the store's known names gain once the
    /// article is written, found without reading the store again. Whether
    /// the node is spelled in Latin letters is read across all its names, as
    /// [`KnownName::of_entities`] reads it from the store.
    pub fn learned_names(&self, entities: &[Entity], decisions: &[Decision]) -> Vec<KnownName> {
        let mut learned = Vec::new();
        for (e, d) in entities.iter().zip(decisions) {
            let Some(&node) = self.node_of_iri.get(d.placement.iri.as_str()) else {
                continue;
            };
            let node = &self.nodes[node as usize];
            // `place` has added the entity's spellings to its node's names.
            let latin_spelled = node.names.iter().any(|n| is_latin_spelling(n.text()));
            let label = d.placement.new.then_some(&e.label);
            // A Latin spelling new to the node marks its older names too.
            let older = node.names.iter().map(|n| n.text().to_string());
            let older = older.filter(|_| latin_spelled);
            let names: Vec<String> = e
                .aliases
                .iter()
                .chain(label)
                .cloned()
                .chain(older)
                .collect();
            for name in names {
                for etype in node.types.iter() {
                    learned.push(KnownName {
                        name: name.clone(),
                        etype,
                        latin_spelled,
                    });
                }
            }
        }
        learned
    }

    /// The node `e` is, if any, and else the one it may be (`skos:closeMatch`).
    /// Candidates share a match key and the type; a joinable `e` (see
    /// [`Entity::joinable`]) reuses a candidate when
    /// the fullest names agree, or when one's fullest name is a known spelling
    /// of the other and no full names conflict (given names differ) — and then
    /// only if it is the only such candidate, since a bare surname shared by two
    /// people names neither.
    fn match_entity(
        &mut self,
        source: &mut dyn NodeSource,
        e: &Entity,
        keys: &[String],
        new_names: &[Spelling],
    ) -> Result<(Option<u32>, Option<u32>)> {
        let label = Spelling::new(&e.label, self.names);
        let mut candidates: Vec<u32> = Vec::new();
        for key in keys {
            self.load_key(source, key)?;
            for &n in &self.by_key[key.as_str()].nodes {
                if !candidates.contains(&n) && self.nodes[n as usize].types.contains(e.etype) {
                    candidates.push(n);
                }
            }
        }
        // Store order and the order entities were met differ between a run and a
        // resumed run; IRI order does not.
        candidates.sort_by(|&a, &b| self.nodes[a as usize].iri.cmp(&self.nodes[b as usize].iri));
        let person = e.etype == EntityType::Person;
        let fits: Vec<(u32, Fit)> = candidates
            .iter()
            .map(|&n| {
                let node = &self.nodes[n as usize];
                (n, fit(node, &label, new_names, person, self.names))
            })
            .collect();
        // A bare surname or given name joins nothing across articles: it may
        // still be a possible variant of the candidates (skos:closeMatch).
        if !e.joinable {
            return Ok((None, candidates.first().copied()));
        }
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

    /// Brings the source's nodes with match key `key` into the index.
    fn load_key(&mut self, source: &mut dyn NodeSource, key: &str) -> Result<()> {
        if self.by_key.get(key).is_some_and(|k| k.loaded) {
            return Ok(());
        }
        let found: Vec<u32> = source
            .nodes_with_key(key)?
            .into_iter()
            .map(|stored| self.node(stored))
            .collect();
        let entry = self.by_key.entry(key.into()).or_default();
        for n in found {
            if !entry.nodes.contains(&n) {
                entry.nodes.push(n);
            }
        }
        entry.loaded = true;
        Ok(())
    }

    /// The index of a stored node; the copy already in the index wins, since it
    /// also holds what placed articles added.
    fn node(&mut self, stored: StoredNode) -> u32 {
        if let Some(&n) = self.node_of_iri.get(stored.iri.as_str()) {
            return n;
        }
        self.push_node(Node {
            iri: stored.iri.as_str().into(),
            types: Types::of_classes(&stored.types),
            label: Spelling::new(&stored.label, self.names),
            names: stored
                .names
                .iter()
                .map(|n| Spelling::new(n, self.names))
                .collect(),
            pinned: stored.pinned,
        })
    }

    fn push_node(&mut self, node: Node) -> u32 {
        let n = u32::try_from(self.nodes.len()).expect("fewer than 4 billion nodes");
        self.node_of_iri.insert(node.iri.clone(), n);
        self.nodes.push(node);
        n
    }

    /// The IRI of node `n`.
    fn iri(&self, n: u32) -> NamedNode {
        NamedNode::new_unchecked(self.nodes[n as usize].iri.to_string())
    }

    /// A new node with a fresh IRI: its label, with `-2`, `-3`… when taken.
    fn mint(&mut self, source: &mut dyn NodeSource, e: &Entity) -> Result<u32> {
        for n in 1.. {
            let iri = entity_iri(e.etype, &e.label, n);
            if self.node_of_iri.contains_key(iri.as_str()) || source.iri_taken(&iri)? {
                continue;
            }
            let label = Spelling::new(&e.label, self.names);
            return Ok(self.push_node(Node {
                iri: iri.as_str().into(),
                types: Types::one(e.etype),
                names: vec![label.clone()],
                label,
                pinned: false,
            }));
        }
        unreachable!("some suffix is always free")
    }
}

/// How stored node `node` fits a new entity with fullest name `label` and
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
    // A stored person known by a bare name only (渡辺) was joined to nothing
    // across articles, and a fuller name elsewhere does not make it so.
    let bare = person
        && !is_full_name(
            node.label.text(),
            node.names.iter().map(|s| s.text()),
            &SurnameHints::new(),
        );
    let conflict = bare
        || person
            && names.iter().any(|a| {
                node.names
                    .iter()
                    .any(|s| rules.given_names_conflict(a.text(), s.text()))
            });
    if conflict {
        Fit::Close
    } else {
        Fit::Partial
    }
}
