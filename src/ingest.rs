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
//! Each batch is synced ([`ArticleStore::sync`]) before its articles are
//! reported, so whatever is reported stored survives a kill, a full disk or an
//! OS crash (a remote store holds a batch once its server has answered).
//!
//! With `known_names`, each batch also looks for the names that the batches
//! before it stored (the writer hands them back before it commits), on top of
//! the names the extractor was given. An article's facts thus depend only on the
//! store before the run and on the articles before its batch in file order,
//! never on timing: a run killed and started again stores exactly what one
//! uninterrupted run stores, since whole batches are committed and the files are
//! cut into the same batches each time.
//!
//! Errors in one file (unreadable, not text, not an article) are reported through
//! the callback and the run goes on; errors of the store end the run, since every
//! later article would fail the same way.
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{channel, sync_channel};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::backend::{ArticleStore, ArticleWriter};
use crate::document::Extraction;
use crate::error::{Error, Result};
use crate::extract::Extractor;
use crate::mentions::{KnownName, KnownNames};
use crate::store::{Ingested, Store};
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
    /// Sync every batch before reporting it ([`ArticleStore::sync`]): reported
    /// articles then survive an OS crash and a damaged write-ahead log. Off, batches are
    /// only flushed every `flush_every` articles, for memory; benches compare.
    pub sync: bool,
    /// Without `sync`: articles written between two flushes of the store's write
    /// buffers. RocksDB keeps up to 64 MB of memtable per column family (oxigraph
    /// has about ten) before flushing on its own, which let a 7,000-article ingest
    /// reach 400 MB of RSS; flushing as we go keeps memory flat. 0 never flushes.
    pub flush_every: usize,
    /// An article whose source path is stored with other text replaces it.
    pub replace: bool,
    /// Set (by a Ctrl-C handler, say) to stop after the batch being written:
    /// what was extracted before is stored, nothing after is read.
    pub stop: Option<Arc<AtomicBool>>,
    /// Each batch also looks for the names the batches before it stored.
    pub known_names: bool,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            layout: Layout::Plain,
            threads: 0,
            batch: 64,
            sync: true,
            flush_every: 500,
            replace: false,
            stop: None,
            known_names: true,
        }
    }
}

/// What happened to one file, in file order, or (once a run) that the run
/// waits for readers.
pub enum Outcome<'a> {
    /// Extracted and handed to the store (which may find it already there when the
    /// same text occurs twice in one run).
    Stored {
        extraction: &'a Extraction,
        ingested: &'a Ingested,
    },
    /// The store already held this text before the run; it was not extracted again.
    AlreadyPresent { article: &'a Article },
    /// The store holds this file already, read under another layout; it was not
    /// stored again.
    OtherLayout {
        article: &'a Article,
        stored_as: Layout,
    },
    /// Not an article under the layout (e.g. a LICENSE.txt in a corpus folder).
    NotAnArticle { path: &'a Path, error: &'a Error },
    /// Could not be read, decoded or extracted.
    Failed { path: &'a Path, error: &'a Error },
    /// Not about a file: the next batch waits for other processes reading
    /// `store` (queries, exports, `musubi serve`) to close it.
    WaitingForReaders { store: &'a str },
}

/// Totals of a run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IngestSummary {
    pub files: usize,
    pub added: usize,
    pub already_present: usize,
    /// Files stored before under another layout, not stored again.
    pub other_layout: usize,
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
    /// The parts of `store_time` spent placing articles (matching their
    /// entities, building their quads), committing batches (the store's
    /// inserts) and syncing them.
    pub placing_time: Duration,
    pub commit_time: Duration,
    pub sync_time: Duration,
}

/// One file after the parallel part.
enum Extracted {
    /// With the other ids of its text (see [`Article::other_ids`]).
    Done(Box<Extraction>, Vec<(String, Layout)>),
    AlreadyPresent(Article),
    OtherLayout(Article, Layout),
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
    let learn = options.known_names;

    std::thread::scope(|scope| -> Result<()> {
        // The names each written batch gives the store, for the next batch.
        let (learned_sender, learned) = channel::<Vec<KnownName>>();
        let store = &store;
        let layout = options.layout;
        let stop = options.stop.clone();
        scope.spawn(move || {
            let mut known: KnownNames = extractor.known_names().clone();
            for (i, chunk) in files.chunks(batch).enumerate() {
                if stop.as_ref().is_some_and(|s| s.load(Ordering::SeqCst)) {
                    return;
                }
                if learn && i > 0 {
                    match learned.recv() {
                        Ok(names) => known.add(names, &extractor.rules().ner),
                        // The writer stopped on a store error.
                        Err(_) => return,
                    }
                }
                let results: Vec<Extracted> = pool.install(|| {
                    chunk
                        .par_iter()
                        .map(|path| extract_one(extractor, &known, store.get(), path, layout))
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
        // Waiting for readers is told once a run, not before every batch.
        let mut told_waiting = false;
        let mut since_flush = 0;
        for results in receiver {
            // Written first, all in one commit and synced; reported after, so
            // whatever is reported stored is in the store even if the process or
            // the machine dies next.
            let started = Instant::now();
            let mut written = Vec::with_capacity(results.len());
            for result in results {
                let result = match result {
                    Extracted::Done(x, other_ids) => {
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
                        let opened = store.get().expect("opened with the writer");
                        match stored_under(opened, &other_ids, layout)? {
                            Some(Found::Same) => Extracted::AlreadyPresent(x.article),
                            Some(Found::Other(l)) => Extracted::OtherLayout(x.article, l),
                            None => {
                                let w = writer.as_mut().expect("opened above");
                                let placing = Instant::now();
                                let ingested = w.add(&x)?;
                                summary.placing_time += placing.elapsed();
                                written.push((Extracted::Done(x, other_ids), Some(ingested)));
                                continue;
                            }
                        }
                    }
                    other => other,
                };
                written.push((result, None));
            }
            if let Some(w) = writer.as_mut() {
                if learn {
                    // Cannot fail while the extractors wait for it; after they
                    // finished, nobody needs it.
                    let _ = learned_sender.send(w.take_learned_names());
                }
                since_flush += w.queued();
                let opened = store.get().expect("opened with the writer");
                let _readers_out = opened.exclude_readers(&mut || {
                    if !told_waiting {
                        told_waiting = true;
                        on_article(Outcome::WaitingForReaders {
                            store: &opened.location(),
                        })
                    }
                })?;
                let committing = Instant::now();
                w.commit()?;
                let syncing = Instant::now();
                summary.commit_time += syncing - committing;
                if options.sync {
                    opened.sync()?;
                } else if options.flush_every > 0 && since_flush >= options.flush_every {
                    opened.flush()?;
                    since_flush = 0;
                }
                summary.sync_time += syncing.elapsed();
            } else if learn {
                let _ = learned_sender.send(Vec::new());
            }
            summary.store_time += started.elapsed();
            for (result, ingested) in written {
                let path = paths.next().expect("one result per file");
                match (result, ingested) {
                    (Extracted::Done(x, _), Some(ingested)) => {
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
                    (Extracted::OtherLayout(article, stored_as), _) => {
                        summary.other_layout += 1;
                        on_article(Outcome::OtherLayout {
                            article: &article,
                            stored_as,
                        });
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
                    (Extracted::Done(..), None) => unreachable!("every extraction is written"),
                }
            }
        }
        Ok(())
    })?;
    let handled = summary.added
        + summary.already_present
        + summary.other_layout
        + summary.not_articles
        + summary.failed;
    summary.interrupted = handled < files.len();
    Ok(summary)
}

/// How the store holds a file already under one of its other ids.
enum Found {
    /// Under this layout (an id from before line ends were trimmed).
    Same,
    /// Under another layout.
    Other(Layout),
}

fn stored_under(
    store: &impl ArticleStore,
    other_ids: &[(String, Layout)],
    layout: Layout,
) -> Result<Option<Found>> {
    for (id, l) in other_ids {
        if store.contains_article(id)? {
            return Ok(Some(if *l == layout {
                Found::Same
            } else {
                Found::Other(*l)
            }));
        }
    }
    Ok(None)
}

fn extract_one(
    extractor: &Extractor,
    known: &KnownNames,
    store: Option<&impl ArticleStore>,
    path: &Path,
    layout: Layout,
) -> Extracted {
    let read = crate::text::read_text(path)
        .and_then(|text| Ok((Article::from_file_text(&text, layout, path)?, text)));
    let (article, text) = match read {
        Ok(a) => a,
        Err(e) => return Extracted::Error(e),
    };
    let other_ids = Article::other_ids(&text, layout, path);
    drop(text);
    if let Some(store) = store {
        match store.contains_article(&article.id) {
            Ok(true) => return Extracted::AlreadyPresent(article),
            Ok(false) => {}
            // Let the writer meet the store error in its own transaction.
            Err(_) => {}
        }
        match stored_under(store, &other_ids, layout) {
            Ok(Some(Found::Same)) => return Extracted::AlreadyPresent(article),
            Ok(Some(Found::Other(l))) => return Extracted::OtherLayout(article, l),
            Ok(None) | Err(_) => {}
        }
    }
    // A bug in one stage must not end a run over a whole archive: the file is
    // reported as failed and the others go on.
    let extracted = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        extractor.extract_knowing(article, known)
    }));
    match extracted {
        Ok(Ok(x)) => Extracted::Done(Box::new(x), other_ids),
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

/// The names an ingest into the store at `path` starts knowing (see
/// [`Extractor::with_known_names`]): every name the store holds, and the names
/// that `rules`' alias files pin, which opening the store loads into it. Read
/// from a store that exists only; a new store starts with the pinned names, as
/// an existing one does.
pub fn starting_names(path: &Path, rules: &crate::Rules) -> Result<Vec<KnownName>> {
    let mut names = if path.join("CURRENT").exists() {
        Store::open_read_only(path)?.known_names()?
    } else {
        Vec::new()
    };
    names.extend(pinned_names(rules)?);
    Ok(names)
}

/// The names that `rules`' alias files pin, with their types: what opening a
/// store loads into it before the first article.
pub fn pinned_names(rules: &crate::Rules) -> Result<Vec<KnownName>> {
    let pinned = Store::in_memory()?;
    pinned.load_reference(&rules.vocabulary, &rules.aliases)?;
    pinned.known_names()
}

/// Makes the C allocator (glibc's malloc, which RocksDB and Rust share here)
/// serve blocks of 1 MiB and more from their own mappings, returned to the
/// system as soon as they are freed. Call it once, before a long ingest.
///
/// By default glibc raises that threshold each time such a block is freed, up
/// to 32 MiB, after which RocksDB's write buffers (flushed every batch) and the
/// batches' large vectors come from the heap, whose freed memory stays with the
/// process. Over the livedoor corpus that kept about 25 MiB more at the peak,
/// for a second or two of system time saved. A process-wide setting, so it is
/// for the program to choose; elsewhere than on glibc it does nothing.
pub fn return_large_blocks_when_freed() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        use std::ffi::c_int;
        extern "C" {
            fn mallopt(param: c_int, value: c_int) -> c_int;
        }
        /// glibc's `M_MMAP_THRESHOLD` (malloc.h); setting it also stops the
        /// threshold from growing.
        const M_MMAP_THRESHOLD: c_int = -3;
        // SAFETY: mallopt only changes allocator parameters; any value is
        // accepted or refused (returning 0), never unsafe to pass.
        unsafe {
            mallopt(M_MMAP_THRESHOLD, 1 << 20);
        }
    }
}
