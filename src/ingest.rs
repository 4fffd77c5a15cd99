//! Batch ingest: many files → the store, extraction in parallel, one writer.
//!
//! Files are taken in batches. Rayon extracts a batch on `threads` workers while
//! the calling thread writes the previous batch, in file order, in one atomic
//! write (a batch of whole articles: a crash loses whole articles or none), and
//! only then reports its articles. Writing in file order keeps the store
//! independent of the thread count and timing (entity IRIs are minted first come,
//! first served), and at most two batches of extractions are in memory at once,
//! however large the corpus.
//!
//! Errors in one file (unreadable, not text, not an article) are reported through
//! the callback and the run goes on; errors of the store end the run, since every
//! later article would fail the same way.
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::sync_channel;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::backend::{ArticleStore, ArticleWriter};
use crate::document::Extraction;
use crate::error::{Error, Result};
use crate::extract::Extractor;
use crate::store::Ingested;
use crate::text::{Article, Layout};

/// How to ingest.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    pub layout: Layout,
    /// Extraction threads; 0 uses one per core.
    pub threads: usize,
    /// Files extracted together before their results go to the writer, which
    /// writes each batch's articles in one atomic commit and reports them after.
    pub batch: usize,
    /// Articles written between two flushes of the store's write buffers. RocksDB
    /// keeps up to 64 MB of memtable per column family (oxigraph has about ten)
    /// before flushing on its own, which let a 7,000-article ingest reach 400 MB
    /// of RSS; flushing as we go keeps memory flat. 0 never flushes.
    pub flush_every: usize,
    /// An article whose source path is stored with other text replaces it.
    pub replace: bool,
    /// Set (by a Ctrl-C handler, say) to stop after the batch being written:
    /// what was extracted before is stored, nothing after is read.
    pub stop: Option<Arc<AtomicBool>>,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            layout: Layout::Plain,
            threads: 0,
            batch: 64,
            flush_every: 500,
            replace: false,
            stop: None,
        }
    }
}

/// What happened to one file, in file order.
pub enum Outcome<'a> {
    /// Extracted and handed to the store (which may find it already there when the
    /// same text occurs twice in one run).
    Stored {
        extraction: &'a Extraction,
        ingested: &'a Ingested,
    },
    /// The store already held this text before the run; it was not extracted again.
    AlreadyPresent { article: &'a Article },
    /// Not an article under the layout (e.g. a LICENSE.txt in a corpus folder).
    NotAnArticle { path: &'a Path, error: &'a Error },
    /// Could not be read, decoded or extracted.
    Failed { path: &'a Path, error: &'a Error },
}

/// Totals of a run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IngestSummary {
    pub files: usize,
    pub added: usize,
    pub already_present: usize,
    pub not_articles: usize,
    pub failed: usize,
    /// Bytes of article text (after decoding) that went through extraction.
    pub text_bytes: u64,
    pub quads: usize,
    /// Asserted facts of the articles added.
    pub facts: usize,
    /// Entities of the articles added that the store did not know yet, and
    /// those it did.
    pub new_entities: usize,
    pub known_entities: usize,
    /// True when the run was stopped through [`IngestOptions::stop`] before the
    /// last file.
    pub interrupted: bool,
    /// Time the writer spent in the store (opening it and writing articles), the
    /// part of the run that does not run in parallel.
    pub store_time: Duration,
}

/// One file after the parallel part.
enum Extracted {
    Done(Box<Extraction>),
    AlreadyPresent(Article),
    Error(Error),
}

/// Ingests `files` into the store that `open_store` opens. The store is opened when
/// the first article is ready to be written, so a run over nothing but bad input
/// creates no store. `on_article` sees every file once, in order.
pub fn ingest_paths<S: ArticleStore>(
    open_store: impl FnOnce() -> Result<S>,
    extractor: &Extractor,
    files: &[PathBuf],
    options: &IngestOptions,
    mut on_article: impl FnMut(Outcome<'_>),
) -> Result<IngestSummary> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.threads)
        .thread_name(|i| format!("musubi-extract-{i}"))
        .build()
        .map_err(Error::Threads)?;
    // Set by the writer when it opens the store; workers then skip texts already
    // stored without extracting them, which makes resuming a killed run cheap.
    let store: OnceLock<S> = OnceLock::new();
    let mut open_store = Some(open_store);
    let mut summary = IngestSummary {
        files: files.len(),
        ..IngestSummary::default()
    };
    let batch = options.batch.max(1);
    // Capacity 1: the extractors run at most one batch ahead of the writer.
    let (sender, receiver) = sync_channel::<Vec<Extracted>>(1);

    std::thread::scope(|scope| -> Result<()> {
        let store = &store;
        let layout = options.layout;
        let stop = options.stop.clone();
        scope.spawn(move || {
            for chunk in files.chunks(batch) {
                if stop.as_ref().is_some_and(|s| s.load(Ordering::SeqCst)) {
                    return;
                }
                let results: Vec<Extracted> = pool.install(|| {
                    chunk
                        .par_iter()
                        .map(|path| extract_one(extractor, store.get(), path, layout))
                        .collect()
                });
                if sender.send(results).is_err() {
                    // The writer stopped on a store error: no point going on.
                    return;
                }
            }
        });
        let mut paths = files.iter();
        let mut writer: Option<S::Writer<'_>> = None;
        let mut since_flush = 0;
        for results in receiver {
            // Written first, all in one commit; reported after, so whatever is
            // reported stored is in the store even if the process dies next.
            let started = Instant::now();
            let mut written = Vec::with_capacity(results.len());
            for result in results {
                let ingested = match &result {
                    Extracted::Done(x) => {
                        if writer.is_none() {
                            let opener = open_store.take().expect("opened once");
                            // Cannot fail: only this thread sets it.
                            let _ = store.set(opener()?);
                            writer = Some(
                                store
                                    .get()
                                    .expect("set above")
                                    .writer(&extractor.rules().resolution.names, options.replace),
                            );
                        }
                        let w = writer.as_mut().expect("opened above");
                        Some(w.add(x)?)
                    }
                    _ => None,
                };
                written.push((result, ingested));
            }
            if let Some(w) = writer.as_mut() {
                since_flush += w.queued();
                w.commit()?;
                if options.flush_every > 0 && since_flush >= options.flush_every {
                    store.get().expect("opened with the writer").flush()?;
                    since_flush = 0;
                }
            }
            summary.store_time += started.elapsed();
            for (result, ingested) in written {
                let path = paths.next().expect("one result per file");
                match (result, ingested) {
                    (Extracted::Done(x), Some(ingested)) => {
                        summary.text_bytes += x.article.text.len() as u64;
                        match ingested {
                            Ingested::Added {
                                quads,
                                facts,
                                new_entities,
                                reused_entities,
                                ..
                            } => {
                                summary.added += 1;
                                summary.quads += quads;
                                summary.facts += facts;
                                summary.new_entities += new_entities;
                                summary.known_entities += reused_entities;
                            }
                            Ingested::AlreadyPresent => summary.already_present += 1,
                        }
                        on_article(Outcome::Stored {
                            extraction: &x,
                            ingested: &ingested,
                        });
                    }
                    (Extracted::AlreadyPresent(article), _) => {
                        summary.already_present += 1;
                        on_article(Outcome::AlreadyPresent { article: &article });
                    }
                    (Extracted::Error(error @ Error::NotAnArticle { .. }), _) => {
                        summary.not_articles += 1;
                        on_article(Outcome::NotAnArticle {
                            path,
                            error: &error,
                        });
                    }
                    (Extracted::Error(error), _) => {
                        summary.failed += 1;
                        on_article(Outcome::Failed {
                            path,
                            error: &error,
                        });
                    }
                    (Extracted::Done(_), None) => unreachable!("every extraction is written"),
                }
            }
        }
        Ok(())
    })?;
    let handled = summary.added + summary.already_present + summary.not_articles + summary.failed;
    summary.interrupted = handled < files.len();
    Ok(summary)
}

fn extract_one(
    extractor: &Extractor,
    store: Option<&impl ArticleStore>,
    path: &Path,
    layout: Layout,
) -> Extracted {
    let article = match Article::read(path, layout) {
        Ok(a) => a,
        Err(e) => return Extracted::Error(e),
    };
    if let Some(store) = store {
        match store.contains_article(&article.id) {
            Ok(true) => return Extracted::AlreadyPresent(article),
            Ok(false) => {}
            // Let the writer meet the store error in its own transaction.
            Err(_) => {}
        }
    }
    // A bug in one stage must not end a run over a whole archive: the file is
    // reported as failed and the others go on.
    let extracted =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| extractor.extract(article)));
    match extracted {
        Ok(Ok(x)) => Extracted::Done(Box::new(x)),
        Ok(Err(e)) => Extracted::Error(e),
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            Extracted::Error(Error::Internal {
                path: path.to_path_buf(),
                message: what.split_whitespace().collect::<Vec<_>>().join(" "),
            })
        }
    }
}
