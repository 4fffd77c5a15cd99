//! musubi: Japanese news articles → an RDF knowledge graph.
//!
//! Data flows one way through small stages, each a module:
//! [`text`] (bytes → article → sentences) → [`tokens`] (lindera/IPADIC) →
//! [`mentions`] (NER) → [`entities`] (aliases, coreference) → [`relations`]
//! (case-frame rules) → [`rdf`] (quads) → [`store`] (oxigraph) → [`export`], [`serve`].
//! [`extract::Extractor`] runs the stages up to facts for one article;
//! [`ingest`] runs it over many files ([`walk`] finds them) into a store, and
//! [`query`] answers SPARQL under time and memory limits.
//!
//! Below the stages sit modules that several of them share: [`names`] (how
//! spellings of one name compare, used within an article and across the
//! store), [`grammar`] (particles, copula, passive) and [`vocabulary`]. The
//! rules every stage reads are values ([`rules::Rules`]), loaded from
//! `ontology/` or a user's folder and handed down; nothing is global.
//! Measuring and training ([`eval`]) sit beside the pipeline, not in it.
//!
//! The store may also be a remote SPARQL server ([`remote`]); [`backend`]
//! is what commands call whichever it is.
pub mod backend;
pub mod document;
pub mod entities;
pub mod error;
pub mod eval;
pub mod export;
pub mod extract;
pub mod grammar;
pub mod ingest;
pub mod matching;
pub mod mentions;
pub mod names;
pub mod provenance;
pub mod query;
pub mod rdf;
pub mod relations;
pub mod remote;
mod removal;
pub mod rules;
pub mod screening;
pub mod serve;
pub mod store;
pub mod text;
pub mod tokens;
mod varint;
pub mod vocabulary;
pub mod walk;

pub use document::*;
pub use error::{Error, Result};
pub use extract::Extractor;
pub use mentions::KnownName;
pub use rules::Rules;
pub use text::{Article, Layout};
