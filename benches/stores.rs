//! Ingest throughput into each kind of store: the embedded oxigraph store and
//! remote SPARQL stores (oxigraph's server and Virtuoso 7, started on loopback
//! as the tests start them), with one writer and with two writers sharing the
//! corpus out.
//!
//! `cargo bench --bench stores` ingests 200 livedoor articles spread over the
//! corpus (`-- --limit N` another number, `-- --threads N` the extraction
//! threads of each writer). Every run reads each article on its own
//! (`--no-known-names`), so all runs extract the same facts and the figures
//! differ only by the store. Needs `oxigraph` (pip) and `virtuoso-t` (apt).
#[path = "../tests/support/servers.rs"]
mod servers;

use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

const CORPUS: &str = "../shared/data/livedoor/text";

fn die(msg: &str) -> ! {
    eprintln!("stores bench: {msg}");
    std::process::exit(2)
}

/// `n` articles spread evenly over the corpus, sorted by path.
fn corpus(n: usize) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for cat in std::fs::read_dir(CORPUS).unwrap_or_else(|_| die("no livedoor corpus")) {
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
    let step = files.len() as f64 / n as f64;
    let mut picked: Vec<PathBuf> = (0..n)
        .map(|i| files[(i as f64 * step) as usize].clone())
        .collect();
    picked.sort();
    picked
}

/// Runs `musubi ingest` over `parts` at once (one process each) and returns
/// the wall time in seconds.
fn ingest(store_args: &[String], parts: &[Vec<PathBuf>], threads: usize) -> f64 {
    let started = Instant::now();
    let children: Vec<_> = parts
        .iter()
        .map(|files| {
            Command::new(musubi_bin())
                .args(store_args)
                .args(["ingest", "-q", "--no-known-names", "--layout", "livedoor"])
                .args(["--threads", &threads.to_string()])
                .args(files)
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap_or_else(|e| die(&format!("musubi: {e}")))
        })
        .collect();
    for c in children {
        let out = c.wait_with_output().unwrap();
        if !out.status.success() {
            die(&format!(
                "an ingest failed: {}",
                String::from_utf8_lossy(&out.stderr)
            ));
        }
    }
    started.elapsed().as_secs_f64()
}

/// The release binary next to this bench's.
fn musubi_bin() -> PathBuf {
    let me = std::env::current_exe().unwrap();
    let dir = me.parent().unwrap().parent().unwrap();
    let bin = dir.join("musubi");
    if !bin.exists() {
        die("build the binary first: cargo build --release");
    }
    bin
}

fn main() {
    let mut limit = 200;
    let mut threads = 0;
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--limit" => {
                limit = it
                    .next()
                    .and_then(|v| v.parse().ok())
                    .unwrap_or_else(|| die("--limit N"))
            }
            "--threads" => {
                threads = it
                    .next()
                    .and_then(|v| v.parse().ok())
                    .unwrap_or_else(|| die("--threads N"))
            }
            "--bench" => {}
            other => die(&format!(
                "unknown argument {other}; use --limit N, --threads N"
            )),
        }
    }
    let files = corpus(limit);
    let halves = vec![
        files.iter().step_by(2).cloned().collect::<Vec<_>>(),
        files.iter().skip(1).step_by(2).cloned().collect::<Vec<_>>(),
    ];
    // Warm the page cache and the binary.
    for f in &files {
        let _ = std::fs::read(f);
    }
    println!(
        "{} articles, {} extraction threads per writer, {} cores",
        files.len(),
        if threads == 0 {
            "all".to_string()
        } else {
            threads.to_string()
        },
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    println!("| store | writers | seconds | articles/s |");
    println!("|---|---:|---:|---:|");
    let report = |name: &str, writers: usize, secs: f64| {
        println!(
            "| {name} | {writers} | {secs:.2} | {:.0} |",
            files.len() as f64 / secs
        );
    };
    // The embedded store has one writer at a time.
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let args = vec!["--store".to_string(), store.display().to_string()];
    report(
        "embedded (RocksDB)",
        1,
        ingest(&args, std::slice::from_ref(&files), threads),
    );
    for server in [servers::oxigraph(), servers::virtuoso()] {
        for (writers, parts) in [(1, vec![files.clone()]), (2, halves.clone())] {
            server.clear();
            let secs = ingest(&server.args(), &parts, threads);
            report(&format!("{} server", server.name), writers, secs);
        }
    }
}
