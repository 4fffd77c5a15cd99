//! The library's batch ingest (`musubi::ingest::ingest_paths`): the store does
//! not depend on the number of threads, bad files are reported and skipped, the
//! same text twice is stored once, and a store held by another writer ends the run
//! with one clear error.
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use musubi::ingest::{ingest_paths, IngestOptions, IngestSummary, Outcome};
use musubi::store::{Ingested, Store};
use musubi::{Error, Extractor, Layout, Rules};

const LIVEDOOR: &str = "../shared/data/livedoor/text";

/// `n` articles spread over the corpus, in a stable order.
fn some_articles(n: usize) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for cat in std::fs::read_dir(LIVEDOOR).expect("livedoor corpus") {
        let cat = cat.unwrap().path();
        if cat.is_dir() {
            for f in std::fs::read_dir(&cat).unwrap() {
                let f = f.unwrap().path();
                if !f.ends_with("LICENSE.txt") {
                    files.push(f);
                }
            }
        }
    }
    files.sort();
    let step = files.len() / n;
    files.into_iter().step_by(step).take(n).collect()
}

fn run(
    store: &Path,
    files: &[PathBuf],
    threads: usize,
) -> (musubi::Result<IngestSummary>, Vec<String>) {
    let extractor = Extractor::new(Rules::builtin().unwrap()).unwrap();
    let options = IngestOptions {
        layout: Layout::Livedoor,
        threads,
        // Small, so the runs below sync several batches, and later batches
        // look for the names of earlier ones.
        batch: 16,
        ..IngestOptions::default()
    };
    let mut log = Vec::new();
    let summary = ingest_paths(
        || Store::open(store),
        &extractor,
        files,
        &options,
        |o| {
            log.push(match o {
                // Met again within the run: extracted (the check before extracting
                // may run before the first copy is written), then found stored.
                Outcome::Stored {
                    extraction,
                    ingested: Ingested::AlreadyPresent,
                } => format!("present {}", extraction.article.id),
                Outcome::Stored { extraction, .. } => {
                    format!("stored {}", extraction.article.id)
                }
                Outcome::AlreadyPresent { article } => format!("present {}", article.id),
                Outcome::OtherLayout { article, .. } => format!("other layout {}", article.id),
                Outcome::NotAnArticle { path, .. } => format!("skipped {}", path.display()),
                Outcome::Failed { path, error } => {
                    assert!(!error.to_string().contains('\n'));
                    format!("failed {}", path.display())
                }
            })
        },
    );
    (summary, log)
}

/// All quads but the ingest timestamps.
fn quads(store: &Path) -> BTreeSet<String> {
    let store = Store::open_read_only(store).unwrap();
    store
        .oxigraph()
        .iter()
        .map(|q| q.unwrap().to_string())
        .filter(|q| !q.contains("generatedAtTime") && !q.contains("_:"))
        .collect()
}

#[test]
fn the_store_does_not_depend_on_the_thread_count() {
    let tmp = tempfile::tempdir().unwrap();
    let files = some_articles(80);
    let (one, log_one) = run(&tmp.path().join("one"), &files, 1);
    let (two, log_two) = run(&tmp.path().join("two"), &files, 2);
    let (one, two) = (one.unwrap(), two.unwrap());
    assert_eq!(one.added, 80);
    assert_eq!(
        (one.added, one.quads, one.failed),
        (two.added, two.quads, two.failed)
    );
    // Callbacks come in file order whatever the threads did.
    assert_eq!(log_one, log_two);
    assert_eq!(
        quads(&tmp.path().join("one")),
        quads(&tmp.path().join("two"))
    );
}

#[test]
fn bad_files_are_reported_and_the_rest_is_stored() {
    let tmp = tempfile::tempdir().unwrap();
    let mut files = some_articles(20);
    let binary = tmp.path().join("binary.txt");
    std::fs::write(&binary, [0u8, 1, 2, 3, 255]).unwrap();
    let missing = tmp.path().join("missing.txt");
    let license = Path::new(LIVEDOOR).join("it-life-hack/LICENSE.txt");
    files.insert(3, binary.clone());
    files.insert(7, missing.clone());
    files.insert(11, license.clone());
    // The same text twice in one run is stored once.
    files.push(files[0].clone());
    let (summary, log) = run(&tmp.path().join("store"), &files, 2);
    let summary = summary.unwrap();
    assert_eq!(summary.files, 24);
    assert_eq!(summary.added, 20);
    assert_eq!(summary.failed, 2);
    assert_eq!(summary.not_articles, 1);
    assert_eq!(summary.already_present, 1);
    assert_eq!(log[3], format!("failed {}", binary.display()));
    assert_eq!(log[7], format!("failed {}", missing.display()));
    assert_eq!(log[11], format!("skipped {}", license.display()));
    assert!(log[23].starts_with("present "), "{}", log[23]);
}

#[test]
fn only_bad_files_create_no_store() {
    let tmp = tempfile::tempdir().unwrap();
    let empty = tmp.path().join("empty.txt");
    std::fs::write(&empty, b"").unwrap();
    let store = tmp.path().join("store");
    let (summary, _) = run(&store, &[empty], 1);
    assert_eq!(summary.unwrap().failed, 1);
    assert!(!store.exists());
}

#[test]
fn a_locked_store_ends_the_run_with_one_error() {
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("store");
    let _holder = Store::open(&store).unwrap();
    let (summary, log) = run(&store, &some_articles(40), 2);
    match summary {
        Err(e @ Error::StoreInUse(_)) => assert!(e.to_string().contains("in use")),
        other => panic!("expected StoreInUse, got {other:?}"),
    }
    assert!(log.is_empty(), "{log:?}");
}
