//! Crash safety of `musubi ingest`: a run killed with SIGKILL leaves a store that
//! opens and holds whole articles only (each article is one transaction), and
//! running the same command again completes the rest without duplicates. A second
//! process meets a clear "in use" error, or reads a consistent snapshot: reads
//! and batch writes take turns.
#![cfg(unix)]
use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use musubi::store::Store;

mod support;
use support::*;

/// `musubi ingest` as a user runs it, with the default options (each batch
/// looks for the names stored by the batches before it).
fn ingest_command(store: &Path, input: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_musubi"));
    cmd.arg("--store")
        .arg(store)
        .args(["ingest", "--quiet", "--layout", "livedoor"])
        .arg(input);
    cmd
}

/// Starts an ingest and kills it with SIGKILL once `after` articles are reported
/// stored. Returns how many were reported.
fn ingest_and_kill(store: &Path, input: &Path, after: usize) -> usize {
    kill_after(ingest_command(store, input), after)
}

/// Starts `command` and kills it with SIGKILL once it reported `after`
/// articles stored. Returns how many were reported.
fn kill_after(mut command: Command, after: usize) -> usize {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut seen = 0;
    for line in BufReader::new(child.stdout.take().unwrap()).lines() {
        let line = line.unwrap();
        if line.contains("entities") {
            seen += 1;
        }
        if seen >= after {
            break;
        }
    }
    child.kill().unwrap(); // SIGKILL on Unix: no chance to clean up.
    child.wait().unwrap();
    seen
}

#[test]
fn killed_ingest_leaves_whole_articles_and_resumes_without_duplicates() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("archive");
    corpus(&input, 200);

    // The same command, never interrupted: what the store must end up holding.
    let reference_store = tmp.path().join("reference");
    let out = ingest_command(&reference_store, &input).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let reference = quads(&reference_store);
    assert_eq!(articles(&reference).len(), 200);

    let store = tmp.path().join("store");
    for after in [30, 90] {
        let reported = ingest_and_kill(&store, &input, after);
        assert_eq!(reported, after, "ingest ended before it could be killed");
        let crashed = quads(&store);
        let stored = articles(&crashed);
        assert!(
            stored.len() >= after && stored.len() < 200,
            "{}",
            stored.len()
        );
        // Nothing half-written: every quad is one the full run writes… but a
        // label that a later article's fuller name replaces, which the full
        // run keeps as an altLabel.
        let stray: Vec<_> = crashed
            .difference(&reference)
            .filter(|q| !superseded_label(&reference, q))
            .take(3)
            .collect();
        assert!(
            stray.is_empty(),
            "quads the full run does not have: {stray:?}"
        );
        // …and every stored article has all of its quads.
        for article in &stored {
            for q in quads_of(&reference, article) {
                assert!(crashed.contains(q), "{article} lacks {q:?}");
            }
        }
        // No graph without its article.
        for q in &crashed {
            if let Some(article) = article_of_graph(&q.3) {
                assert!(stored.contains(&article), "orphan: {q:?}");
            }
        }
        // The store opens for writing again: the lock died with the process.
        drop(Store::open(&store).expect("store opens read-write after SIGKILL"));
    }

    // Running the same command again stores the rest, and nothing twice.
    let out = ingest_command(&store, &input).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("already in the store"));
    assert_eq!(quads(&store), reference);
}

#[test]
fn a_second_process_gets_store_in_use_or_a_read_only_view() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("archive");
    // More files than one batch (64), so some are stored before the pipe blocks.
    corpus(&input, 100);
    // A named pipe sorts last and blocks the ingest, store open, until written to.
    let fifo = input.join("zz-pipe.txt");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());

    let store = tmp.path().join("store");
    let mut first = ingest_command(&store, &input)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(first.stdout.take().unwrap()).lines();
    // The first article reported stored: the store is open and locked.
    lines.next().unwrap().unwrap();

    let other = tmp.path().join("other.txt");
    std::fs::write(&other, "別の記事です。東京で会議が開かれた。").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_musubi"))
        .arg("--store")
        .arg(&store)
        .arg("ingest")
        .arg(&other)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("in use by another process"), "{err}");

    // Readers are not locked out.
    let out = Command::new(env!("CARGO_BIN_EXE_musubi"))
        .arg("--store")
        .arg(&store)
        .arg("stats")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8(out.stdout)
        .unwrap()
        .starts_with("articles: "));

    // Unblock the first ingest; it finishes normally.
    std::fs::OpenOptions::new()
        .write(true)
        .open(&fifo)
        .unwrap()
        .write_all(
            "http://example.com/pipe\n2024-01-01\n見出し\nパイプから届いた記事です。".as_bytes(),
        )
        .unwrap();
    let rest: Vec<String> = lines.map(|l| l.unwrap()).collect();
    assert!(first.wait().unwrap().success());
    assert!(rest.iter().any(|l| l.contains("zz-pipe.txt")), "{rest:?}");
}

/// RocksDB cannot open a store read-only while another process writes it, so
/// reads and batch writes take turns: readers started again and again during
/// an ingest all succeed and see whole batches, and an ingest waits, saying so
/// once, while a reader holds the store open.
#[test]
fn readers_and_batch_writes_take_turns() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("archive");
    corpus(&input, 300);
    let store = tmp.path().join("store");
    // Created first, so that a reader can hold it open before the ingest.
    let one = std::fs::read_dir(&input)
        .unwrap()
        .map(|f| f.unwrap().path())
        .find(|p| !p.ends_with("LICENSE.txt"))
        .unwrap();
    assert!(ingest_command(&store, &one).status().unwrap().success());

    let reader = Store::open_read_only(&store).unwrap();
    let mut ingest = ingest_command(&store, &input)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(ingest.stderr.take().unwrap()).lines();
    let first = stderr.next().unwrap().unwrap();
    assert!(
        first.contains("waiting for the programs reading"),
        "{first}"
    );
    assert_eq!(reader.article_count().unwrap(), 1);
    drop(reader);

    let mut reads = 0;
    while ingest.try_wait().unwrap().is_none() {
        let out = Command::new(env!("CARGO_BIN_EXE_musubi"))
            .arg("--store")
            .arg(&store)
            .arg("stats")
            .output()
            .unwrap();
        // A read that keeps meeting the writer's compaction says to run again;
        // it never calls the store damaged.
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success() || err.contains("run the command again"),
            "{}: {err}",
            out.status
        );
        reads += usize::from(out.status.success());
    }
    assert!(ingest.wait().unwrap().success());
    let rest: Vec<String> = stderr.map(|l| l.unwrap()).collect();
    assert!(
        !rest.iter().any(|l| l.contains("waiting for")),
        "told more than once: {rest:?}"
    );
    assert!(reads > 0);
    assert_eq!(
        Store::open_read_only(&store)
            .unwrap()
            .article_count()
            .unwrap(),
        300
    );
}

/// The livedoor files of `dir`, sorted (LICENSE.txt left out).
fn articles_in(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| !p.ends_with("LICENSE.txt"))
        .collect();
    files.sort();
    files
}

/// Checks what a store killed while removing or replacing must still be: every
/// stored article whole (all of `reference`'s quads in its graphs), no graph
/// without its article, no entity mentioned by an article that is gone, and
/// every entity an article refers to described.
fn assert_consistent(store: &Path, reference: &BTreeSet<Q>) {
    let crashed = quads(store);
    let stored = articles(&crashed);
    for q in &crashed {
        if let Some(article) = article_of_graph(&q.3) {
            assert!(stored.contains(&article), "orphan: {q:?}");
        }
        if q.1 == "<https://w3id.org/musubi/ontology#mentionedIn>" {
            assert!(stored.contains(&q.2), "mentions a removed article: {q:?}");
        }
        if q.1 == "<https://w3id.org/musubi/ontology#refersTo>" {
            let described = crashed
                .iter()
                .any(|d| d.0 == q.2 && d.3.is_empty() && d.1.ends_with("rdf-schema#label>"));
            assert!(described, "no entity {} for {q:?}", q.2);
        }
    }
    for article in &stored {
        let own: Vec<&Q> = reference.iter().filter(|q| q.3 == *article).collect();
        for q in own {
            assert!(crashed.contains(q), "{article} lacks {q:?}");
        }
    }
}

#[test]
fn killed_remove_leaves_whole_articles_and_finishes_on_rerun() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("archive");
    corpus(&input, 120);
    let files = articles_in(&input);
    let doomed: Vec<String> = files
        .iter()
        .step_by(2)
        .map(|p| p.display().to_string())
        .collect();
    let remove = |store: &Path| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_musubi"));
        cmd.arg("--store").arg(store).arg("remove").args(&doomed);
        cmd
    };
    // The same removal, never interrupted.
    let reference_store = tmp.path().join("reference");
    assert!(ingest_command(&reference_store, &input)
        .output()
        .unwrap()
        .status
        .success());
    let full = quads(&reference_store);
    assert!(remove(&reference_store).output().unwrap().status.success());
    let reference = quads(&reference_store);
    assert_eq!(articles(&reference).len(), 60);

    let store = tmp.path().join("store");
    assert!(ingest_command(&store, &input)
        .output()
        .unwrap()
        .status
        .success());
    let reported = {
        let mut child = remove(&store)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut seen = 0;
        for line in BufReader::new(child.stdout.take().unwrap()).lines() {
            if line.unwrap().contains("removed") {
                seen += 1;
            }
            if seen >= 20 {
                break;
            }
        }
        child.kill().unwrap();
        child.wait().unwrap();
        seen
    };
    assert_eq!(reported, 20, "remove ended before it could be killed");
    let left = articles(&quads(&store)).len();
    assert!((60..=100).contains(&left), "{left} articles left");
    assert_consistent(&store, &full);
    // Running the same command again removes the rest (the articles already
    // gone are reported missing): the store of the uninterrupted run.
    let out = remove(&store).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.matches("no article").count(), 120 - left, "{err}");
    assert_eq!(quads(&store), reference);
}

#[test]
fn killed_replace_keeps_one_version_of_each_article() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("archive");
    corpus(&input, 120);
    let files = articles_in(&input);
    let reference_store = tmp.path().join("reference");
    let store = tmp.path().join("store");
    for s in [&reference_store, &store] {
        assert!(ingest_command(s, &input).output().unwrap().status.success());
    }
    let before = quads(&store);
    // Every third article corrected.
    let changed: Vec<&PathBuf> = files.iter().step_by(3).collect();
    for p in &changed {
        let text = std::fs::read_to_string(p).unwrap();
        std::fs::write(p, format!("{text}\n訂正:記事の一部を修正しました。\n")).unwrap();
    }
    let replace = |store: &Path| {
        let mut cmd = ingest_command(store, &input);
        cmd.arg("--replace");
        cmd
    };
    assert!(replace(&reference_store).output().unwrap().status.success());
    let reference = quads(&reference_store);
    assert_eq!(articles(&reference).len(), 120);

    let reported = kill_after(replace(&store), 10);
    assert_eq!(reported, 10);
    assert_consistent(&store, &before.union(&reference).cloned().collect());
    // One version of each file, old or new, never both nor neither.
    let crashed = quads(&store);
    let sources: Vec<&Q> = crashed
        .iter()
        .filter(|q| q.1 == "<http://purl.org/dc/terms/source>")
        .collect();
    assert_eq!(sources.len(), 120, "one article per file");
    let out = replace(&store).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(quads(&store), reference);
}
