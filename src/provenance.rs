//! How exports write a fact's provenance.
//!
//! The store keeps one reifier per fact, `<article/ID/fact/N>`, carrying the
//! sentence, offsets, rule, confidence and qualifiers. The embedded store links
//! it to its triple with RDF 1.2 (`rdf:reifies <<( s p o )>>`); a remote store
//! with RDF 1.1 reification (`rdf:subject`, `rdf:predicate`, `rdf:object` on an
//! `rdf:Statement`), since most servers cannot hold triple terms yet. An export
//! can write either form, whatever the store holds, or leave provenance out:
//! a [`Converter`] learns each reifier's triple in a first pass over the quads
//! and rewrites them in a second.
//!
//! [`Provenance::Reification`] is the default: it loads in every RDF 1.1 tool
//! (rdflib, Jena, Virtuoso, Python's and Java's JSON-LD processors), where
//! triple terms are a syntax error.
use std::collections::{HashMap, HashSet};

use oxigraph::model::vocab::rdf;
use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode, Quad, Term, Triple};

use crate::rdf::mo;

/// How a fact's provenance is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Provenance {
    /// RDF 1.2: `?f rdf:reifies <<( s p o )>>` (the embedded store's own form).
    Rdf12,
    /// RDF 1.1: `?f a rdf:Statement ; rdf:subject s ; rdf:predicate p ; rdf:object o`.
    #[default]
    Reification,
    /// No reifiers and no entity records: the asserted facts, the entities and
    /// the articles only.
    None,
}

impl Provenance {
    pub const ALL: [Provenance; 3] = [Provenance::Rdf12, Provenance::Reification, Provenance::None];

    pub fn name(self) -> &'static str {
        match self {
            Provenance::Rdf12 => "rdf12",
            Provenance::Reification => "reification",
            Provenance::None => "none",
        }
    }
}

/// Rewrites a stream of quads into one provenance form. Call [`Converter::learn`]
/// on every quad first (only reifier and record quads matter), then
/// [`Converter::convert`] on every quad, then [`Converter::finish`].
pub struct Converter {
    mode: Provenance,
    /// Reifier → its triple and graph.
    reifiers: HashMap<NamedOrBlankNode, (Triple, GraphName)>,
    /// RDF 1.1 statements being put together: parts seen so far.
    parts: HashMap<NamedOrBlankNode, [Option<Term>; 3]>,
    records: HashSet<NamedOrBlankNode>,
    written: HashSet<NamedOrBlankNode>,
}

impl Converter {
    pub fn new(mode: Provenance) -> Converter {
        Converter {
            mode,
            reifiers: HashMap::new(),
            parts: HashMap::new(),
            records: HashSet::new(),
            written: HashSet::new(),
        }
    }

    /// First pass: notes reifiers in either form, and entity records.
    pub fn learn(&mut self, q: &Quad) {
        if q.predicate == rdf::REIFIES {
            if let Term::Triple(t) = &q.object {
                self.reifiers
                    .insert(q.subject.clone(), ((**t).clone(), q.graph_name.clone()));
            }
        } else if q.predicate == mo("refersTo") {
            self.records.insert(q.subject.clone());
        } else if let Some(i) = part_index(&q.predicate) {
            let parts = self.parts.entry(q.subject.clone()).or_default();
            parts[i] = Some(q.object.clone());
            if let [Some(s), Some(Term::NamedNode(p)), Some(o)] = parts {
                let subject = match s {
                    Term::NamedNode(n) => Some(NamedOrBlankNode::from(n.clone())),
                    Term::BlankNode(b) => Some(NamedOrBlankNode::from(b.clone())),
                    _ => None,
                };
                if let Some(subject) = subject {
                    let triple = Triple::new(subject, p.clone(), o.clone());
                    self.reifiers
                        .insert(q.subject.clone(), (triple, q.graph_name.clone()));
                }
            }
        }
    }

    /// Second pass: the quads to write in place of `q`.
    pub fn convert(&mut self, q: Quad) -> Vec<Quad> {
        let Some((triple, graph)) = self.reifiers.get(&q.subject) else {
            if self.mode == Provenance::None && self.records.contains(&q.subject) {
                return Vec::new();
            }
            return vec![q];
        };
        if self.mode == Provenance::None || is_structural(&q) {
            return Vec::new();
        }
        let mut out = Vec::new();
        if self.written.insert(q.subject.clone()) {
            out = structure(self.mode, &q.subject, triple, graph);
        }
        out.push(q);
        out
    }

    /// Reifiers that had no quad but their link to the triple.
    pub fn finish(self) -> Vec<Quad> {
        if self.mode == Provenance::None {
            return Vec::new();
        }
        let mut rest: Vec<Quad> = self
            .reifiers
            .iter()
            .filter(|(r, _)| !self.written.contains(*r))
            .flat_map(|(r, (t, g))| structure(self.mode, r, t, g))
            .collect();
        rest.sort_by_key(|q| q.to_string());
        rest
    }
}

/// 0, 1, 2 for rdf:subject, rdf:predicate, rdf:object.
fn part_index(p: &NamedNode) -> Option<usize> {
    [rdf::SUBJECT, rdf::PREDICATE, rdf::OBJECT]
        .iter()
        .position(|x| p == x)
}

/// True for the quads that tie a reifier to its triple, in either form.
fn is_structural(q: &Quad) -> bool {
    q.predicate == rdf::REIFIES
        || part_index(&q.predicate).is_some()
        || (q.predicate == rdf::TYPE && q.object == Term::NamedNode(rdf::STATEMENT.into()))
}

/// The quads that tie reifier `r` to `t` in `mode`.
fn structure(mode: Provenance, r: &NamedOrBlankNode, t: &Triple, g: &GraphName) -> Vec<Quad> {
    let quad = |p: NamedNode, o: Term| Quad::new(r.clone(), p, o, g.clone());
    match mode {
        Provenance::Rdf12 => vec![quad(rdf::REIFIES.into(), Term::Triple(Box::new(t.clone())))],
        Provenance::Reification => vec![
            quad(rdf::TYPE.into(), rdf::STATEMENT.into()),
            quad(rdf::SUBJECT.into(), t.subject.clone().into()),
            quad(rdf::PREDICATE.into(), t.predicate.clone().into()),
            quad(rdf::OBJECT.into(), t.object.clone()),
        ],
        Provenance::None => Vec::new(),
    }
}

/// Converts a whole list of quads (two passes over it).
pub fn convert_all(quads: Vec<Quad>, mode: Provenance) -> Vec<Quad> {
    let mut converter = Converter::new(mode);
    for q in &quads {
        converter.learn(q);
    }
    let mut out: Vec<Quad> = quads
        .into_iter()
        .flat_map(|q| converter.convert(q))
        .collect();
    out.extend(converter.finish());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::Literal;

    fn n(s: &str) -> NamedNode {
        NamedNode::new_unchecked(format!("http://e/{s}"))
    }

    #[test]
    fn the_three_forms_convert_into_each_other() {
        let g = GraphName::NamedNode(n("g"));
        let t = Triple::new(n("s"), n("p"), n("o"));
        let fact = vec![
            Quad::new(n("s"), n("p"), n("o"), g.clone()),
            Quad::new(
                n("f"),
                rdf::REIFIES,
                Term::Triple(Box::new(t.clone())),
                g.clone(),
            ),
            Quad::new(n("f"), mo("rule"), Literal::from("r1"), g.clone()),
        ];
        let reified = convert_all(fact.clone(), Provenance::Reification);
        assert_eq!(reified.len(), 6, "{reified:?}");
        assert!(reified.iter().all(|q| !matches!(q.object, Term::Triple(_))));
        let back = convert_all(reified, Provenance::Rdf12);
        let sorted = |mut v: Vec<Quad>| {
            v.sort_by_key(|q| q.to_string());
            v
        };
        assert_eq!(sorted(back.clone()), sorted(fact.clone()));
        let none = convert_all(back, Provenance::None);
        assert_eq!(none, vec![fact[0].clone()]);
    }
}
