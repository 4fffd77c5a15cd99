//! The vocabulary (`ontology/musubi.ttl`) as the rest of the library needs it:
//! its Turtle text, which goes into the store as it is, and the relations it
//! defines, read from the Turtle itself so that a user's own relation is known
//! wherever the shipped ones are.
use std::collections::BTreeSet;

use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::vocab::{rdf, rdfs};
use oxigraph::model::{NamedOrBlankNode, Term, Triple};

use crate::rdf::ONTOLOGY;

const OWL: &str = "http://www.w3.org/2002/07/owl#";

/// Classes whose properties describe facts, articles or entities themselves
/// (`mo:sentence`, `mo:sha256`, `mo:mentionedIn`), not relations between things.
const BOOKKEEPING_DOMAINS: [&str; 3] = ["Fact", "Article", "Entity"];

/// A parsed vocabulary.
#[derive(Debug, Clone)]
pub struct Vocabulary {
    /// The Turtle text, loaded into the store's ontology graph.
    pub text: String,
    /// Local names of the relations facts may use (`heads`, `founded_in`).
    pub relations: BTreeSet<String>,
    /// Relations declared `owl:SymmetricProperty` (AとBが提携 says both ways).
    pub symmetric: BTreeSet<String>,
}

impl Vocabulary {
    /// Parses `text`; the error is the parser's message, for the caller to put
    /// the file's name on.
    pub fn parse(text: &str) -> Result<Vocabulary, String> {
        let triples: Vec<Triple> = RdfParser::from_format(RdfFormat::Turtle)
            .for_slice(text.as_bytes())
            .map(|q| q.map(Triple::from))
            .collect::<Result<_, _>>()
            .map_err(|e| {
                e.to_string()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            })?;
        let local = |s: &NamedOrBlankNode| match s {
            NamedOrBlankNode::NamedNode(n) => n.as_str().strip_prefix(ONTOLOGY).map(str::to_string),
            _ => None,
        };
        let typed = |class: &str| -> BTreeSet<String> {
            triples
                .iter()
                .filter(|t| {
                    t.predicate == rdf::TYPE
                        && matches!(&t.object, Term::NamedNode(o) if o.as_str().strip_prefix(OWL) == Some(class))
                })
                .filter_map(|t| local(&t.subject))
                .collect()
        };
        let bookkeeping: BTreeSet<String> = triples
            .iter()
            .filter(|t| {
                t.predicate == rdfs::DOMAIN
                    && matches!(&t.object, Term::NamedNode(o)
                        if o.as_str().strip_prefix(ONTOLOGY).is_some_and(|c| BOOKKEEPING_DOMAINS.contains(&c)))
            })
            .filter_map(|t| local(&t.subject))
            .collect();
        let relations = typed("ObjectProperty")
            .into_iter()
            .chain(typed("DatatypeProperty"))
            .filter(|r| !bookkeeping.contains(r))
            .collect();
        Ok(Vocabulary {
            text: text.to_string(),
            relations,
            symmetric: typed("SymmetricProperty"),
        })
    }

    /// Whether facts may use `relation`.
    pub fn defines(&self, relation: &str) -> bool {
        self.relations.contains(relation)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relations_are_the_properties_between_things() {
        let v = Vocabulary::parse(crate::rules::VOCABULARY.1).unwrap();
        for r in ["heads", "founded_in", "partnered_with", "located_in"] {
            assert!(v.defines(r), "{r}");
        }
        for p in ["sentence", "sha256", "mentionedIn", "confidence"] {
            assert!(!v.defines(p), "{p}");
        }
        assert!(v.symmetric.contains("partnered_with"));
        assert!(!v.symmetric.contains("heads"));
    }
}
