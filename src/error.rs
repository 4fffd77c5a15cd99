//! Typed errors of the library. The binary adds context (which file, which
//! command) with anyhow and prints them on one line.
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The input is not an article we can read (binary, empty, unknown encoding…).
    #[error("{path}: {problem}")]
    BadInput { path: PathBuf, problem: String },
    /// The file is readable text but not an article under the chosen layout (a
    /// LICENSE.txt in a corpus folder): batch ingest skips it rather than failing.
    #[error("{path}: {problem}")]
    NotAnArticle { path: PathBuf, problem: String },
    #[error("dictionary: {0}")]
    Dictionary(String),
    /// A rule or ontology file is malformed; names the file.
    #[error("{path}: {problem}")]
    Rules { path: String, problem: String },
    #[error("store: {0}")]
    Store(String),
    /// The store folder is locked by another musubi process.
    #[error("store {0} is in use by another process; wait for it to finish or open it read-only")]
    StoreInUse(PathBuf),
    #[error("SPARQL: {0}")]
    Sparql(String),
    /// A remote SPARQL store could not be reached or refused a request; names
    /// the URL.
    #[error("endpoint {url}: {problem}")]
    Endpoint { url: String, problem: String },
    #[error("{0}")]
    Other(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
    pub fn bad_input(path: impl Into<PathBuf>, problem: impl Into<String>) -> Self {
        Error::BadInput {
            path: path.into(),
            problem: problem.into(),
        }
    }
}
