//! Latency of `musubi serve` under concurrent clients on loopback.
//!
//! `cargo bench --bench serve -- --store DIR` runs against a store made by
//! `musubi ingest --layout livedoor ../shared/data/livedoor/text`; without
//! `--store` it builds that store once in `$CARGO_TARGET_DIR/serve-bench-store`
//! (about a minute on 2 cores) and reuses it. `--clients N` (default 8) clients,
//! each on its own keep-alive connection, send requests back to back for
//! `--seconds S` (default 20) per phase:
//! - `entity`: the entity page of an entity with facts, drawn at random;
//! - `two-hop`: a SPARQL query for the entities two facts away from one;
//! - `picture`: the entity's SVG neighbourhood (GraphViz; cached per request,
//!   so after the first round most are cache hits: the cold figure is the first
//!   request of each entity).
//!
//! It prints p50, p99 and max per phase and exits non-zero on any error
//! (a status other than 200, or a broken connection).
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use musubi::ingest::{ingest_paths, IngestOptions};
use musubi::serve::http::encode_param;
use musubi::serve::{ServeOptions, Server};
use musubi::store::Store;
use musubi::{Extractor, Layout, Rules};
use oxigraph::model::Term;

const CORPUS: &str = "../shared/data/livedoor/text";
/// Entities drawn for the requests.
const SAMPLE: usize = 2000;

struct Args {
    store: Option<PathBuf>,
    clients: usize,
    seconds: u64,
    phases: Vec<String>,
}

fn die(msg: &str) -> ! {
    eprintln!("serve bench: {msg}");
    std::process::exit(2)
}

fn parse_args() -> Args {
    let mut args = Args {
        store: None,
        clients: 8,
        seconds: 20,
        phases: vec!["entity".into(), "two-hop".into(), "picture".into()],
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .unwrap_or_else(|| die(&format!("{name} needs a value")))
        };
        match a.as_str() {
            "--store" => args.store = Some(value("--store").into()),
            "--clients" => {
                args.clients = value("--clients")
                    .parse()
                    .unwrap_or_else(|_| die("--clients N"))
            }
            "--seconds" => {
                args.seconds = value("--seconds")
                    .parse()
                    .unwrap_or_else(|_| die("--seconds S"))
            }
            "--phase" => args.phases = vec![value("--phase")],
            "--bench" => {}
            other => die(&format!("unknown argument {other}")),
        }
    }
    args
}

/// The livedoor store, built once.
fn default_store() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("target"));
    let path = target.join("serve-bench-store");
    if path.join("CURRENT").exists() {
        return path;
    }
    let corpus = Path::new(CORPUS);
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus)
        .unwrap_or_else(|e| die(&format!("{}: {e}", corpus.display())))
        .flat_map(|d| {
            let d = d.unwrap().path();
            if d.is_dir() {
                std::fs::read_dir(&d)
                    .unwrap()
                    .map(|f| f.unwrap().path())
                    .collect()
            } else {
                vec![d]
            }
        })
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    eprintln!(
        "building {} from {} files of {CORPUS}…",
        path.display(),
        files.len()
    );
    let extractor = Extractor::new(Rules::builtin().unwrap()).unwrap();
    let options = IngestOptions {
        layout: Layout::Livedoor,
        ..IngestOptions::default()
    };
    let started = Instant::now();
    ingest_paths(
        || {
            let store = Store::open(&path)?;
            let rules = extractor.rules();
            store.load_reference(&rules.vocabulary, &rules.aliases)?;
            Ok(store)
        },
        &extractor,
        &files,
        &options,
        |_| {},
    )
    .unwrap_or_else(|e| die(&e.to_string()));
    eprintln!("built in {:.0} s", started.elapsed().as_secs_f64());
    path
}

/// Entities with at least one fact, drawn evenly by a fixed seed.
fn sample_entities(store: &Store) -> Vec<String> {
    let rows = store
        .select(
            "SELECT DISTINCT ?e WHERE { ?g a mo:Article . GRAPH ?g { ?e ?p ?o } \
             ?e rdfs:label ?l FILTER(STRSTARTS(STR(?p), STR(mo:))) } ORDER BY ?e",
        )
        .unwrap();
    let all: Vec<String> = rows
        .into_iter()
        .filter_map(|r| match &r[0] {
            Some(Term::NamedNode(n)) => Some(n.as_str().to_string()),
            _ => None,
        })
        .collect();
    // xorshift with a fixed seed: the same sample every run.
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut picked = Vec::new();
    for _ in 0..SAMPLE.min(all.len()) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        picked.push(all[(x % all.len() as u64) as usize].clone());
    }
    eprintln!("{} entities with facts; {} drawn", all.len(), picked.len());
    picked
}

/// One keep-alive HTTP/1.1 connection.
struct Client {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
}

impl Client {
    fn connect(addr: SocketAddr) -> Client {
        let s = TcpStream::connect(addr).unwrap();
        s.set_nodelay(true).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
        Client {
            reader: BufReader::new(s.try_clone().unwrap()),
            writer: s,
        }
    }

    /// GETs `path`; the status, or an error for a broken exchange.
    fn get(&mut self, path: &str) -> std::io::Result<u16> {
        write!(
            self.writer,
            "GET {path} HTTP/1.1\r\nHost: bench\r\nAccept: */*\r\n\r\n"
        )?;
        let mut line = String::new();
        self.reader.read_line(&mut line)?;
        let status: u16 = line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| std::io::Error::other(format!("bad status line {line:?}")))?;
        let mut length = None;
        let mut chunked = false;
        loop {
            line.clear();
            self.reader.read_line(&mut line)?;
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            let lower = l.to_ascii_lowercase();
            if let Some(v) = lower.strip_prefix("content-length:") {
                length = v.trim().parse::<usize>().ok();
            }
            if lower.starts_with("transfer-encoding:") && lower.contains("chunked") {
                chunked = true;
            }
        }
        if chunked {
            loop {
                line.clear();
                self.reader.read_line(&mut line)?;
                let size = usize::from_str_radix(line.trim(), 16).map_err(std::io::Error::other)?;
                let mut chunk = vec![0; size + 2];
                self.reader.read_exact(&mut chunk)?;
                if size == 0 {
                    break;
                }
            }
        } else {
            let mut body = vec![0; length.unwrap_or(0)];
            self.reader.read_exact(&mut body)?;
        }
        Ok(status)
    }
}

fn two_hop(iri: &str) -> String {
    format!(
        "SELECT DISTINCT ?far WHERE {{ \
           {{ GRAPH ?g1 {{ <{iri}> ?p1 ?near }} }} UNION {{ GRAPH ?g1 {{ ?near ?p1 <{iri}> }} }} \
           FILTER(isIRI(?near)) \
           {{ GRAPH ?g2 {{ ?near ?p2 ?far }} }} UNION {{ GRAPH ?g2 {{ ?far ?p2 ?near }} }} \
           FILTER(isIRI(?far) && ?far != <{iri}>) }}"
    )
}

fn path_for(phase: &str, iri: &str) -> String {
    let short = iri.strip_prefix(musubi::rdf::ENTITY).unwrap_or(iri);
    match phase {
        "entity" => format!("/entity?e={}", encode_param(short)),
        "picture" => format!("/graph.svg?e={}&hops=1", encode_param(short)),
        "two-hop" => format!("/sparql?query={}", encode_param(&two_hop(iri))),
        other => die(&format!("unknown phase {other}")),
    }
}

struct PhaseResult {
    latencies: Vec<Duration>,
    cold: Vec<Duration>,
    errors: usize,
}

fn run_phase(
    addr: SocketAddr,
    phase: &str,
    entities: &[String],
    clients: usize,
    seconds: u64,
) -> PhaseResult {
    let until = Instant::now() + Duration::from_secs(seconds);
    let handles: Vec<_> = (0..clients)
        .map(|c| {
            let paths: Vec<String> = entities.iter().map(|e| path_for(phase, e)).collect();
            let phase = phase.to_string();
            std::thread::spawn(move || {
                let mut client = Client::connect(addr);
                let mut latencies = Vec::new();
                let mut cold = Vec::new();
                let mut errors = 0;
                // Each client starts at its own place in the sample.
                let mut i = c * paths.len() / clients.max(1);
                let mut sent = 0;
                while Instant::now() < until {
                    let path = &paths[i % paths.len()];
                    let t = Instant::now();
                    match client.get(path) {
                        Ok(200) => {
                            let d = t.elapsed();
                            latencies.push(d);
                            if sent < paths.len() / clients.max(1) {
                                cold.push(d);
                            }
                        }
                        Ok(status) => {
                            errors += 1;
                            eprintln!("{phase}: status {status} for {path}");
                        }
                        Err(e) => {
                            errors += 1;
                            eprintln!("{phase}: {e} for {path}");
                            client = Client::connect(addr);
                        }
                    }
                    i += 1;
                    sent += 1;
                }
                (latencies, cold, errors)
            })
        })
        .collect();
    let mut result = PhaseResult {
        latencies: Vec::new(),
        cold: Vec::new(),
        errors: 0,
    };
    for h in handles {
        let (l, c, e) = h.join().unwrap();
        result.latencies.extend(l);
        result.cold.extend(c);
        result.errors += e;
    }
    result
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i].as_secs_f64() * 1000.0
}

fn main() {
    let args = parse_args();
    let path = args.store.clone().unwrap_or_else(default_store);
    let store = Store::open_read_only(&path).unwrap_or_else(|e| die(&e.to_string()));
    let entities = sample_entities(&store);
    if entities.is_empty() {
        die("the store has no facts");
    }
    let started = Instant::now();
    let server = Server::bind(
        store,
        ServeOptions {
            bind: "127.0.0.1:0".into(),
            ..ServeOptions::default()
        },
    )
    .unwrap_or_else(|e| die(&e.to_string()));
    eprintln!(
        "server ready in {:.2} s (catalog read)",
        started.elapsed().as_secs_f64()
    );
    let addr = server.local_addr();
    std::thread::spawn(move || server.run());
    println!(
        "store {}; {} clients on loopback, {} s per phase, server threads {}",
        path.display(),
        args.clients,
        args.seconds,
        ServeOptions::default().threads
    );
    println!("| phase | requests | req/s | p50 ms | p99 ms | max ms | errors |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    let mut failed = false;
    for phase in &args.phases {
        let mut r = run_phase(addr, phase, &entities, args.clients, args.seconds);
        r.latencies.sort();
        r.cold.sort();
        println!(
            "| {phase} | {} | {:.0} | {:.1} | {:.1} | {:.1} | {} |",
            r.latencies.len(),
            r.latencies.len() as f64 / args.seconds as f64,
            percentile(&r.latencies, 0.50),
            percentile(&r.latencies, 0.99),
            percentile(&r.latencies, 1.0),
            r.errors
        );
        if phase == "picture" {
            println!(
                "| picture, first request of each entity | {} | | {:.1} | {:.1} | {:.1} | |",
                r.cold.len(),
                percentile(&r.cold, 0.50),
                percentile(&r.cold, 0.99),
                percentile(&r.cold, 1.0)
            );
        }
        failed |= r.errors > 0;
    }
    if failed {
        die("some requests failed");
    }
}
