//! Crash safety of `musubi ingest`: a run killed with SIGKILL leaves a store that
//! opens and holds whole articles only (each article is one transaction), and
//! running the same command again completes the rest without duplicates. A second
//! process meets a clear "in use" error, or reads a consistent snapshot.
#![cfg(unix)]
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
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
    let mut command = ingest_command(store, input);
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
        // Nothing half-written: every quad is one the full run writes…
        let stray: Vec<_> = crashed.difference(&reference).take(3).collect();
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
