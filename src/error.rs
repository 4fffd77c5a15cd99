//! Typed errors of the library. Each variant says what went wrong in the
//! library's terms and keeps the underlying error as its `#[source]`; the
//! binary prints the chain on one line (`musubi: error: store x: …: …`), so a
//! variant's own message never repeats its source's.
use std::path::PathBuf;

/// An error of any stage, with what it was doing when it failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The input is not an article we can read (binary, empty, unknown encoding…).
    #[error("{}: {problem}", path.display())]
    BadInput { path: PathBuf, problem: String },
    /// The file is readable text but not an article under the chosen layout (a
    /// LICENSE.txt in a corpus folder): batch ingest skips it rather than failing.
    #[error("{}: {problem}", path.display())]
    NotAnArticle { path: PathBuf, problem: String },
    /// The embedded IPADIC dictionary could not be loaded or used.
    #[error("dictionary")]
    Dictionary(#[source] lindera::error::LinderaError),
    /// A rule, model or ontology file is malformed; names the file.
    #[error("{path}: {problem}")]
    Rules { path: String, problem: String },
    /// There is no store at the path (nothing was ever ingested there).
    #[error("no store at {} (run `musubi ingest` first, or pass --store DIR)", .0.display())]
    NoStore(PathBuf),
    /// The store folder is held by another musubi process that writes to it.
    #[error(
        "store {} is in use by another process; wait for it to finish or open it read-only",
        .0.display()
    )]
    StoreInUse(PathBuf),
    /// Reading or writing the store failed (`path` is None for a store in memory).
    #[error("store{}", path.as_ref().map(|p| format!(" {}", p.display())).unwrap_or_default())]
    Store {
        path: Option<PathBuf>,
        #[source]
        source: oxigraph::store::StorageError,
    },
    /// The store's files say it cannot be read as it is (damaged tables).
    #[error(
        "store {} is damaged: restore the folder from a backup, or ingest the articles \
         again into a new store",
        path.display()
    )]
    StoreDamaged {
        path: PathBuf,
        #[source]
        source: oxigraph::store::StorageError,
    },
    /// The store's folder is in a state musubi cannot use (a folder that is not
    /// a store, an unreadable article count…); `problem` says what to do.
    #[error("store {}: {problem}", path.display())]
    StoreState { path: PathBuf, problem: String },
    /// A SPARQL query does not parse; the message points into the user's text.
    #[error("SPARQL syntax: {0}")]
    SparqlSyntax(String),
    /// A SPARQL query parsed but failed while running.
    #[error("SPARQL")]
    SparqlEvaluation(#[source] oxigraph::sparql::QueryEvaluationError),
    /// A query of the wrong form for the call (a CONSTRUCT where rows are read).
    #[error("SPARQL: expected a {expected} query")]
    QueryForm { expected: &'static str },
    /// No stored article matches what the user named.
    #[error("no article {0:?} in the store (give its id, a prefix of it, or its file name)")]
    ArticleNotFound(String),
    /// Several stored articles match what the user named.
    #[error("{count} articles match {wanted:?}; give more of the id")]
    ArticleAmbiguous { wanted: String, count: usize },
    /// Writing RDF, DOT or a report failed.
    #[error("writing {what}")]
    Write {
        what: &'static str,
        #[source]
        source: std::io::Error,
    },
    /// GraphViz `dot` could not be run or failed.
    #[error(
        "GraphViz `dot` is needed for {format} output: install it with \
         `apt-get install -y graphviz fonts-ipafont-gothic`, or export --format dot"
    )]
    Graphviz {
        format: String,
        #[source]
        source: std::io::Error,
    },
    /// The extraction threads could not be started.
    #[error("starting extraction threads")]
    Threads(#[source] rayon::ThreadPoolBuildError),
    /// A stage panicked on one file: a bug, reported for that file alone.
    #[error("{}: internal error while extracting (a bug, please report): {message}", path.display())]
    Internal { path: PathBuf, message: String },
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
    /// A command was given arguments it cannot work with.
    #[error("{0}")]
    Usage(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// The error and its sources on one line, as the binary prints them
    /// (`x.txt: Permission denied (os error 13)`); a source whose text the line
    /// already holds is left out.
    pub fn report(&self) -> String {
        one_line(self)
    }

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

/// Any error and its sources on one line, without repeats.
pub fn one_line(error: &dyn std::error::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut next = Some(error);
    while let Some(e) = next {
        let text = e.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        next = e.source();
    }
    parts
        .join(": ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}
