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
    /// The store holds fewer articles than it reported stored: part of it was
    /// lost after it was synced (a damaged write-ahead log or table file).
    #[error(
        "store {}: {found} articles found but {reported} were reported stored; {} \
         To recover, restore the folder from a backup, or delete {}/{} to accept the \
         loss and run the same `musubi ingest` again, which stores the missing \
         articles as an uninterrupted run would",
        store.display(),
        log.as_ref().map_or_else(
            || "its write-ahead log is missing.".to_string(),
            |l| format!("its newest write-ahead log {} is damaged or the store was copied without it.", l.display())
        ),
        store.display(),
        crate::store::LEDGER
    )]
    LostArticles {
        store: PathBuf,
        found: usize,
        reported: usize,
        log: Option<PathBuf>,
    },
    /// A query ran past its time limit and was stopped.
    #[error(
        "query stopped after {0:?}, its time limit (raise it with --timeout SECONDS, 0 for none)"
    )]
    QueryTimeout(std::time::Duration),
    /// A query made the process grow past its memory limit (bytes) and was stopped.
    #[error("query stopped: musubi grew past {} MB, its memory limit (raise it with --max-memory MB, 0 for none)", .0 >> 20)]
    QueryTooLarge(u64),
    #[error("SPARQL: {0}")]
    Sparql(String),
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
