//! Throughput and peak memory of the pipeline stages over the livedoor corpus.
//!
//! `cargo bench --bench pipeline` runs a subset (every k-th article, 400 of them);
//! `-- --full` runs all 7,367 articles, `-- --limit N` another subset size,
//! `-- --corpus DIR` another folder of livedoor-layout files, `-- --threads N`
//! the extraction threads of the parallel stages (default: one per core),
//! `-- --only STAGE` one stage (repeatable; `--stages A,B` names several at
//! once, e.g. `--stages ingest,ingest-unsynced` for the cost of syncing every
//! batch, both measured in the same run).
//!
//! Each stage runs in its own child process (this binary re-run with `--stage`),
//! so the peak RSS (VmHWM) printed for a stage is that stage's alone, and caches
//! warmed by one stage do not flatter the next (except the OS page cache: the
//! files are read once before timing so every stage reads them from memory).
//! Besides wall time, each stage reports its CPU time (all threads): on a machine
//! shared with other work it is the steadier figure. The single-threaded extract
//! stage also prints the share of each extraction stage.
//!
//! The `startup` stage times what a user waits for on a small input: `musubi
//! extract` on a one-line file, run [`STARTUP_RUNS`] times as a new process
//! each, with the median wall time, CPU time and peak RSS of a run.
//! `-- --musubi PATH` (repeatable) times other builds of the binary in the same
//! run, e.g. one built at an earlier commit, to give a before and after.
//!
//! `-- --startup-layout FILE --musubi PATH` writes the linker script that
//! build.rs hands the linker (`benches/startup.ld`) from a run of that
//! stage's one-line extract under valgrind's callgrind; PATH must be built
//! with symbols (`cargo rustc --release --bin musubi -- -C strip=none`).
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use rayon::prelude::*;

use musubi::ingest::{ingest_paths, IngestOptions};
use musubi::store::Store;
use musubi::text::split_sentences;
use musubi::{entities, mentions, relations};
use musubi::{Article, Extractor, Layout, Rules};

const DEFAULT_CORPUS: &str = "../shared/data/livedoor/text";
const DEFAULT_LIMIT: usize = 400;

const STAGES: [(&str, &str); 7] = [
    ("read", "read + decode + normalise, 1 thread"),
    (
        "segment",
        "read + split + lindera's segmentation alone (no word details), 1 thread",
    ),
    ("tokenise", "read + split + tokenise, 1 thread"),
    ("extract", "read + extract (all stages to facts), 1 thread"),
    ("extract-par", "read + extract, rayon over all threads"),
    (
        "ingest",
        "ingest_paths into a new on-disk store, synced every batch",
    ),
    (
        "ingest-unsynced",
        "the same without the sync per batch (a flush every 500 articles)",
    ),
];
const STARTUP: &str = "startup";
/// Runs of `musubi extract` timed by the start-up stage (after one untimed run).
const STARTUP_RUNS: usize = 20;
/// The start-up stage's input: one line, invented names.
const ONE_LINE: &str = "北浜物産の山川太一社長は湾岸市で新製品を発表した。\n";

struct Args {
    corpus: PathBuf,
    limit: Option<usize>,
    threads: usize,
    stage: Option<String>,
    /// The stages to run (all when empty).
    only: Vec<String>,
    /// Binaries the start-up stage times; empty: the one built with this bench.
    musubi: Vec<PathBuf>,
    /// Where to write the start-up linker script instead of benchmarking.
    startup_layout: Option<PathBuf>,
}

fn parse_args() -> Args {
    let mut args = Args {
        corpus: PathBuf::from(DEFAULT_CORPUS),
        limit: Some(DEFAULT_LIMIT),
        threads: 0,
        stage: None,
        only: Vec::new(),
        musubi: Vec::new(),
        startup_layout: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .unwrap_or_else(|| die(&format!("{name} needs a value")))
        };
        match a.as_str() {
            "--full" => args.limit = None,
            "--limit" => {
                args.limit = Some(
                    value("--limit")
                        .parse()
                        .unwrap_or_else(|_| die("--limit N")),
                )
            }
            "--corpus" => args.corpus = value("--corpus").into(),
            "--threads" => {
                args.threads = value("--threads")
                    .parse()
                    .unwrap_or_else(|_| die("--threads N"))
            }
            "--stage" => args.stage = Some(value("--stage")),
            "--only" | "--stages" => {
                for stage in value(&a).split(',') {
                    if stage != STARTUP && !STAGES.iter().any(|(s, _)| *s == stage) {
                        die(&format!("no stage {stage}"));
                    }
                    args.only.push(stage.to_string())
                }
            }
            "--musubi" => args.musubi.push(value("--musubi").into()),
            "--startup-layout" => args.startup_layout = Some(value("--startup-layout").into()),
            // cargo bench passes --bench to harness-less benches.
            "--bench" => {}
            other => die(&format!(
                "unknown argument {other}; use --full, --limit N, --corpus DIR, --threads N, \
                 --only STAGE, --stages A,B, --musubi PATH, --startup-layout FILE"
            )),
        }
    }
    args
}

fn die(msg: &str) -> ! {
    eprintln!("pipeline bench: {msg}");
    std::process::exit(2)
}

/// Article files under `dir` (names `category-NNN.txt`, as the livedoor corpus
/// names them; LICENSE.txt and README.txt are left out), evenly spread when limited.
fn corpus_files(dir: &Path, limit: Option<usize>) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries =
            std::fs::read_dir(&d).unwrap_or_else(|e| die(&format!("{}: {e}", d.display())));
        for e in entries {
            let p = e.expect("readable folder").path();
            let name = p
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .to_string();
            if p.is_dir() {
                stack.push(p);
            } else if name.ends_with(".txt") && name.chars().any(|c| c.is_ascii_digit()) {
                files.push(p);
            }
        }
    }
    files.sort();
    if files.is_empty() {
        die(&format!("no article files under {}", dir.display()));
    }
    match limit {
        Some(n) if n < files.len() => {
            let step = files.len() as f64 / n as f64;
            (0..n)
                .map(|i| files[(i as f64 * step) as usize].clone())
                .collect()
        }
        _ => files,
    }
}

/// Peak resident set size of this process in KiB.
fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

/// CPU time (user + system, all threads) of this process in seconds. On a
/// machine shared with other work, wall time depends on the neighbours' load;
/// CPU time much less so.
fn cpu_secs() -> f64 {
    // Fields 14 and 15 of /proc/self/stat, in clock ticks (USER_HZ, 100 on Linux).
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            let rest = s.rsplit_once(')')?.1;
            let f: Vec<&str> = rest.split_whitespace().collect();
            let ticks = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
            Some(ticks / 100.0)
        })
        .unwrap_or(0.0)
}

/// Runs one stage in this process and prints `RESULT seconds articles peak_kib cpu_secs`.
fn run_stage(stage: &str, files: &[PathBuf], threads: usize) {
    let extractor = Extractor::new(Rules::builtin().expect("rules")).expect("dictionary");
    let read = |p: &PathBuf| Article::read(p, Layout::Livedoor).expect("corpus article");
    let start = Instant::now();
    let cpu_start = cpu_secs();
    let articles = match stage {
        "read" => {
            let chars: usize = files.iter().map(|p| read(p).text.len()).sum();
            std::hint::black_box(chars);
            files.len()
        }
        "segment" | "tokenise" => {
            let tokenizer = extractor.tokenizer();
            let mut tokens = 0;
            for p in files {
                let a = read(p);
                for s in split_sentences(&a.text) {
                    tokens += if stage == "segment" {
                        tokenizer.count_words(&s.text)
                    } else {
                        tokenizer.tokenize(&s.text, s.start).map(|t| t.len())
                    }
                    .expect("tokens");
                }
            }
            std::hint::black_box(tokens);
            files.len()
        }
        "extract" => {
            // The stages of Extractor::extract, timed apart.
            let rules = extractor.rules();
            let mut took = [0.0f64; 5];
            let mut facts = 0;
            for p in files {
                let t0 = Instant::now();
                let article = read(p);
                let t1 = Instant::now();
                let analyzed = extractor.analyze(&article).expect("tokens");
                let t2 = Instant::now();
                let (mentions, values) = mentions::recognize(&analyzed, &rules.ner);
                let t3 = Instant::now();
                let resolution = entities::resolve(&analyzed, &mentions, &rules.resolution);
                let t4 = Instant::now();
                facts += relations::extract(
                    &analyzed,
                    &mentions,
                    &values,
                    &resolution,
                    &rules.relations,
                )
                .len();
                let t5 = Instant::now();
                for (k, (a, b)) in [(t0, t1), (t1, t2), (t2, t3), (t3, t4), (t4, t5)]
                    .into_iter()
                    .enumerate()
                {
                    took[k] += (b - a).as_secs_f64();
                }
            }
            std::hint::black_box(facts);
            let total: f64 = took.iter().sum();
            let share = |k: usize| format!("{:.0}%", 100.0 * took[k] / total);
            eprintln!(
                "extract: read {}, tokens {}, mentions {}, entities {}, relations {}",
                share(0),
                share(1),
                share(2),
                share(3),
                share(4)
            );
            files.len()
        }
        "extract-par" => {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            let facts: usize = pool.install(|| {
                files
                    .par_iter()
                    .map(|p| extractor.extract(read(p)).expect("extraction").facts.len())
                    .sum()
            });
            std::hint::black_box(facts);
            files.len()
        }
        "ingest" | "ingest-unsynced" => {
            // As `musubi ingest` does.
            musubi::ingest::return_large_blocks_when_freed();
            let dir =
                std::env::temp_dir().join(format!("musubi-bench-store-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            let options = IngestOptions {
                layout: Layout::Livedoor,
                threads,
                sync: stage == "ingest",
                ..IngestOptions::default()
            };
            let summary = ingest_paths(
                || {
                    let store = Store::open(&dir)?;
                    let rules = extractor.rules();
                    store.load_reference(&rules.vocabulary, &rules.aliases)?;
                    Ok(store)
                },
                &extractor,
                files,
                &options,
                |_| {},
            )
            .expect("ingest");
            let _ = std::fs::remove_dir_all(&dir);
            assert_eq!(summary.failed, 0);
            eprintln!(
                "{stage}: writer busy {:.2} s in the store (placing {:.2}, committing {:.2}, \
                 syncing {:.2}), {} quads",
                summary.store_time.as_secs_f64(),
                summary.placing_time.as_secs_f64(),
                summary.commit_time.as_secs_f64(),
                summary.sync_time.as_secs_f64(),
                summary.quads
            );
            summary.added + summary.already_present
        }
        other => die(&format!("unknown stage {other}")),
    };
    let secs = start.elapsed().as_secs_f64();
    let cpu = cpu_secs() - cpu_start;
    println!("RESULT {secs} {articles} {} {cpu}", peak_rss_kib());
}

/// Runs `musubi extract` on a one-line file: once untimed, then
/// [`STARTUP_RUNS`] times, and prints `RESULT wall_ms cpu_ms peak_kib
/// largest_peak_kib`: the medians of wall time, CPU time and peak RSS of the
/// timed runs, and the largest peak RSS.
fn run_startup(musubi: &Path) {
    let dir = std::env::temp_dir().join(format!("musubi-bench-startup-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| die(&format!("{}: {e}", dir.display())));
    let input = dir.join("one-line.txt");
    std::fs::write(&input, ONE_LINE).unwrap_or_else(|e| die(&format!("{}: {e}", input.display())));
    evict_from_page_cache(musubi);
    run_once(musubi, &input);
    let runs: Vec<(f64, f64, u64)> = (0..STARTUP_RUNS)
        .map(|_| run_once(musubi, &input))
        .collect();
    let _ = std::fs::remove_dir_all(&dir);
    let median = |key: fn(&(f64, f64, u64)) -> f64| {
        let mut v: Vec<f64> = runs.iter().map(key).collect();
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let largest = runs.iter().map(|r| r.2).max().unwrap_or(0);
    println!(
        "RESULT {} {} {} {largest}",
        median(|r| r.0),
        median(|r| r.1),
        median(|r| r.2 as f64)
    );
}

/// One `musubi extract` process: its wall time and CPU time (ms) and peak RSS (KiB).
// The child is reaped by wait4, which std's wait cannot replace: it gives no rusage.
#[allow(clippy::zombie_processes)]
fn run_once(musubi: &Path, input: &Path) -> (f64, f64, u64) {
    let start = Instant::now();
    let child = Command::new(musubi)
        .arg("extract")
        .arg(input)
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap_or_else(|e| die(&format!("{}: {e}", musubi.display())));
    let mut status = 0;
    // SAFETY: rusage is plain data, for which all zeros is a valid value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for our own child, which nothing else reaps, and writes only
    // into `status` and `usage`. std offers no rusage of one child.
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    let wall = start.elapsed().as_secs_f64() * 1e3;
    if pid < 0 || !libc::WIFEXITED(status) || libc::WEXITSTATUS(status) != 0 {
        die(&format!("{} extract failed", musubi.display()));
    }
    let ms = |t: libc::timeval| t.tv_sec as f64 * 1e3 + t.tv_usec as f64 / 1e3;
    (
        wall,
        ms(usage.ru_utime) + ms(usage.ru_stime),
        usage.ru_maxrss as u64,
    )
}

/// Drops a binary's pages from the page cache, so that every binary timed starts
/// from the state a reboot leaves. A binary just written by the linker sits in
/// large page-cache folios that the kernel maps whole on a fault, which adds up
/// to 8 MB to the RSS of each run; pages read back from disk come in smaller
/// pieces.
fn evict_from_page_cache(path: &Path) {
    let Ok(file) = std::fs::File::open(path) else {
        return;
    };
    // SAFETY: a system call on a descriptor that `file` owns and keeps open.
    unsafe {
        libc::posix_fadvise(
            std::os::fd::AsRawFd::as_raw_fd(&file),
            0,
            0,
            libc::POSIX_FADV_DONTNEED,
        )
    };
}

/// Writes the linker script that puts the functions a one-line `musubi
/// extract` runs side by side (see `group_startup_code` in build.rs): one
/// pattern per function that ran in `musubi`, in the order callgrind lists them.
fn write_startup_layout(musubi: &Path, out: &Path) {
    let dir = std::env::temp_dir().join(format!("musubi-bench-layout-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| die(&format!("{}: {e}", dir.display())));
    let input = dir.join("one-line.txt");
    std::fs::write(&input, ONE_LINE).unwrap_or_else(|e| die(&format!("{}: {e}", input.display())));
    let profile = dir.join("callgrind.out");
    let musubi = std::fs::canonicalize(musubi)
        .unwrap_or_else(|e| die(&format!("{}: {e}", musubi.display())));
    let status = Command::new("valgrind")
        .args(["--tool=callgrind", "--demangle=no"])
        .arg(format!("--callgrind-out-file={}", profile.display()))
        .arg(&musubi)
        .arg("extract")
        .arg(&input)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap_or_else(|e| die(&format!("valgrind: {e} (apt-get install valgrind)")));
    if !status.success() {
        die(&format!("valgrind {} extract failed", musubi.display()));
    }
    let text = std::fs::read_to_string(&profile)
        .unwrap_or_else(|e| die(&format!("{}: {e}", profile.display())));
    let _ = std::fs::remove_dir_all(&dir);
    let ran = functions_run_in(&text, &musubi.to_string_lossy());
    // A function may have other names at its address (C++ constructors' C1
    // and C2, functions LLVM merged as identical); the section bears one of
    // them and callgrind reports any, so every name at the address is taken.
    let symbols = Command::new("nm")
        .args(["--defined-only", "--format=posix"])
        .arg(&musubi)
        .output()
        .unwrap_or_else(|e| die(&format!("nm: {e} (apt-get install binutils)")));
    let mut address_of = std::collections::HashMap::new();
    let mut names_at: std::collections::HashMap<&str, Vec<&str>> = Default::default();
    let listing = String::from_utf8_lossy(&symbols.stdout);
    for line in listing.lines() {
        // posix format: name type address [size]
        let mut fields = line.split_whitespace();
        if let (Some(name), Some("t" | "T" | "w" | "W"), Some(at)) =
            (fields.next(), fields.next(), fields.next())
        {
            address_of.insert(name, at);
            names_at.entry(at).or_default().push(name);
        }
    }
    if address_of.is_empty() {
        die(&format!(
            "{} has no symbols: build it with `cargo rustc --release --bin musubi -- -C strip=none`",
            musubi.display()
        ));
    }
    let sections = ran
        .iter()
        .filter_map(|f| address_of.get(f.as_str()))
        .flat_map(|at| names_at[at].iter());
    let mut seen = std::collections::HashSet::new();
    let mut script = String::from(
        "/* The code a one-line `musubi extract` runs, grouped before the rest (build.rs).\n   \
         Written by `cargo bench --bench pipeline -- --startup-layout FILE --musubi PATH`. */\n\
         SECTIONS {\n  .text.hot : {\n",
    );
    for pattern in sections.filter_map(|f| section_pattern(f)) {
        if seen.insert(pattern.clone()) {
            script.push_str(&format!("    *(.text.{pattern})\n"));
        }
    }
    script.push_str("  }\n} INSERT BEFORE .text;\n");
    std::fs::write(out, script).unwrap_or_else(|e| die(&format!("{}: {e}", out.display())));
    println!("{} patterns for {} functions run", seen.len(), ran.len());
}

/// The functions of `object` that ran, in the order of a callgrind profile.
/// Callgrind names an object or function once, at its first use (`ob=(3)
/// /path`, `fn=(12) name`, or as a callee: `cob=`, `cfn=`), and by id alone
/// after; `fn=` lines start the costs of a function of the last `ob=`. It
/// files much of a position-independent executable's code under the object
/// `???`, so those functions count as the binary's too (a name that is not
/// the binary's matches nothing when it links). Recursive calls get a `'N`
/// suffix, dropped here.
fn functions_run_in(profile: &str, object: &str) -> Vec<String> {
    let mut objects = std::collections::HashMap::new();
    let mut functions = std::collections::HashMap::new();
    let mut current = None;
    let mut ran = Vec::new();
    for line in profile.lines() {
        let Some((key, rest)) = line.split_once("=(") else {
            continue;
        };
        let Some((id, name)) = rest.split_once(')') else {
            continue;
        };
        let name = name.trim();
        match key {
            "ob" | "cob" => {
                if !name.is_empty() {
                    objects.insert(id, name);
                }
                if key == "ob" {
                    current = objects.get(id).copied();
                }
            }
            "fn" | "cfn" => {
                if !name.is_empty() {
                    functions.insert(id, name);
                }
                if key == "fn" && matches!(current, Some(o) if o == object || o == "???") {
                    if let Some(f) = functions.get(id) {
                        ran.push(f.split('\'').next().unwrap_or(f).to_string());
                    }
                }
            }
            _ => {}
        }
    }
    ran
}

/// A linker-script pattern for the section of function `name` that still
/// matches it after the code around it changes: what varies from build to
/// build becomes `*` (the hash that ends a Rust legacy-mangled name, `17h`
/// and 16 hex digits; the `.llvm.N` of a function made visible across codegen
/// units; the crate hashes `Cs…_` of a v0-mangled name). Generic functions
/// share a legacy name, so the pattern also takes their other instances.
fn section_pattern(name: &str) -> Option<String> {
    let name = name.split(".llvm.").next().unwrap_or(name);
    if name.starts_with("0x") || name.contains(['*', '?', '[', ']', '\\', ' ']) {
        return None;
    }
    let legacy_hash = |n: &str| {
        let tail = n.get(n.len().checked_sub(20)?..)?;
        let hex = tail.strip_prefix("17h")?.strip_suffix('E')?;
        (hex.len() == 16 && hex.bytes().all(|b| b.is_ascii_hexdigit())).then(|| n.len() - 20)
    };
    if let Some(end) = legacy_hash(name) {
        return Some(format!("{}17h*", &name[..end]));
    }
    if !name.starts_with("_R") {
        return Some(format!("{name}*"));
    }
    let mut pattern = String::new();
    let mut rest = name;
    while let Some(at) = rest.find("Cs") {
        let after = &rest[at + 2..];
        let hash_len = after
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        if hash_len > 0 && after.as_bytes().get(hash_len) == Some(&b'_') {
            pattern.push_str(&rest[..at]);
            pattern.push_str("Cs*_");
            rest = &after[hash_len + 1..];
        } else {
            pattern.push_str(&rest[..at + 2]);
            rest = after;
        }
    }
    pattern.push_str(rest);
    pattern.push('*');
    Some(pattern)
}

/// The musubi binary cargo built with this bench.
fn default_musubi() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_musubi"))
}

/// Times start-up for each binary of `--musubi` (or the one built with the
/// bench), each in a child running `--stage startup`.
fn startup_stage(args: &Args) {
    let exe = std::env::current_exe().expect("own path");
    let binaries = if args.musubi.is_empty() {
        vec![default_musubi()]
    } else {
        args.musubi.clone()
    };
    println!();
    println!(
        "start-up: `musubi extract` on a one-line file, {STARTUP_RUNS} runs each \
         (medians, and the largest peak RSS of any run)"
    );
    println!(
        "{:>9} {:>9} {:>9} {:>9}  binary",
        "wall ms", "cpu ms", "peak MiB", "largest"
    );
    for musubi in binaries {
        let out = Command::new(&exe)
            .args(["--stage", STARTUP, "--musubi"])
            .arg(&musubi)
            .output()
            .expect("stage runs");
        let stdout = String::from_utf8_lossy(&out.stdout);
        match stdout.lines().find_map(|l| l.strip_prefix("RESULT ")) {
            Some(result) => {
                let v: Vec<f64> = result
                    .split_whitespace()
                    .map(|x| x.parse().unwrap())
                    .collect();
                println!(
                    "{:>9.1} {:>9.1} {:>9.1} {:>9.1}  {}",
                    v[0],
                    v[1],
                    v[2] / 1024.0,
                    v[3] / 1024.0,
                    musubi.display()
                );
            }
            None => eprintln!(
                "startup failed for {}: {}",
                musubi.display(),
                String::from_utf8_lossy(&out.stderr).trim()
            ),
        }
    }
}

fn main() {
    let args = parse_args();
    if let Some(out) = &args.startup_layout {
        let [musubi] = args.musubi.as_slice() else {
            die("--startup-layout needs one --musubi PATH, built with symbols");
        };
        write_startup_layout(musubi, out);
        return;
    }
    if let Some(stage) = &args.stage {
        if stage == STARTUP {
            run_startup(&args.musubi.first().cloned().unwrap_or_else(default_musubi));
        } else {
            run_stage(stage, &corpus_files(&args.corpus, args.limit), args.threads);
        }
        return;
    }
    let wanted = |stage: &str| args.only.is_empty() || args.only.iter().any(|s| s == stage);
    if STAGES.iter().any(|(stage, _)| wanted(stage)) {
        pipeline_stages(&args, &wanted);
    }
    if wanted(STARTUP) {
        startup_stage(&args);
    }
}

/// Runs the stages over the corpus that `wanted` names and prints their table.
fn pipeline_stages(args: &Args, wanted: &dyn Fn(&str) -> bool) {
    let files = corpus_files(&args.corpus, args.limit);
    // Warm the page cache so no stage pays for the disk.
    let bytes: u64 = files
        .iter()
        .map(|p| std::fs::read(p).map(|b| b.len() as u64).unwrap_or(0))
        .sum();
    let mb = bytes as f64 / 1e6;
    let threads = if args.threads == 0 {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    } else {
        args.threads
    };
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "musubi pipeline bench: {} articles, {mb:.1} MB from {} ({threads} threads for the parallel stages)",
        files.len(),
        args.corpus.display()
    );
    println!(
        "load average before: {}",
        load.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    );
    println!();
    println!(
        "{:<12} {:>8} {:>8} {:>10} {:>9} {:>10} {:>8} {:>10}  what",
        "stage", "seconds", "MB/s", "articles/s", "peak MiB", "time/tok", "cpu s", "MB/cpu-s"
    );
    let exe = std::env::current_exe().expect("own path");
    let mut rows = Vec::new();
    let mut notes = Vec::new();
    for (stage, what) in STAGES.into_iter().filter(|(stage, _)| wanted(stage)) {
        let mut cmd = Command::new(&exe);
        cmd.args(["--stage", stage, "--corpus"])
            .arg(&args.corpus)
            .args(["--threads", &threads.to_string()]);
        match args.limit {
            Some(n) => cmd.args(["--limit", &n.to_string()]),
            None => cmd.arg("--full"),
        };
        let out = cmd.output().expect("stage runs");
        let stdout = String::from_utf8_lossy(&out.stdout);
        match stdout.lines().find_map(|l| l.strip_prefix("RESULT ")) {
            Some(result) => {
                // Notes a stage prints about itself (the writer's share, …).
                for note in String::from_utf8_lossy(&out.stderr).lines() {
                    if note.starts_with(&format!("{stage}: ")) {
                        notes.push(note.to_string());
                    }
                }
                let v: Vec<f64> = result
                    .split_whitespace()
                    .map(|x| x.parse().unwrap())
                    .collect();
                rows.push((stage, what, Some((v[0], v[1], v[2], v[3]))));
            }
            None => {
                eprintln!(
                    "{stage} failed: {}",
                    String::from_utf8_lossy(&out.stderr).trim()
                );
                rows.push((stage, what, None));
            }
        }
    }
    let tokenise_secs = rows
        .iter()
        .find(|r| r.0 == "tokenise")
        .and_then(|r| r.2)
        .map(|r| r.0);
    for (stage, what, result) in rows {
        let Some((secs, articles, peak_kib, cpu)) = result else {
            println!("{stage:<12} failed (see above)");
            continue;
        };
        let ratio = tokenise_secs.map_or("-".to_string(), |t| format!("{:.2}x", secs / t));
        println!(
            "{stage:<12} {secs:>8.2} {:>8.2} {:>10.1} {:>9.1} {ratio:>10} {cpu:>8.2} {:>10.2}  {what}",
            mb / secs,
            articles / secs,
            peak_kib / 1024.0,
            mb / cpu,
        );
    }
    for note in notes {
        println!("{note}");
    }
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!();
    println!(
        "load average after: {}",
        load.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    );
    println!("time/tok: the stage's wall time over bare tokenising's (lower is faster).");
    println!(
        "cpu s: CPU time of all the stage's threads; MB/cpu-s: throughput per core-second, \
         which the load of other processes on the machine changes much less than MB/s."
    );
}
