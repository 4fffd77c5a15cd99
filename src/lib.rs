//! musubi: Japanese news articles → an RDF knowledge graph.
//!
//! Data flows one way through small stages, each a module:
//! [`text`] (bytes → article → sentences) → [`tokens`] (lindera/IPADIC) →
//! [`mentions`] (NER) → [`entities`] (aliases, coreference) → [`relations`]
//! (case-frame rules) → [`rdf`] (quads) → [`store`] (oxigraph) → [`export`].
//! [`extract::Extractor`] runs the stages up to facts for one article.
pub mod backend;
pub mod document;
pub mod entities;
pub mod error;
pub mod eval;
pub mod export;
pub mod extract;
pub mod ingest;
pub mod matching;
pub mod mentions;
pub mod provenance;
pub mod rdf;
pub mod relations;
pub mod remote;
mod removal;
pub mod rules;
pub mod store;
pub mod text;
pub mod tokens;

pub use document::*;
pub use error::{Error, Result};
pub use extract::Extractor;
pub use rules::Rules;
pub use text::{Article, Layout};
