//! The fault suite: what `musubi` guarantees when things go wrong, as the
//! README's "Errors" section states it.
//!
//! - A run killed at any moment, during the store's creation or during ingest,
//!   leaves no store or one that opens and holds whole articles, at least those
//!   reported stored; running the same command again ends in exactly the store
//!   one uninterrupted run gives (sorted quads without ingest timestamps).
//! - A damaged write-ahead log never hides a reported article: the store opens
//!   whole, or opening fails with one line naming the log and the way out.
//! - A full disk at creation or mid-ingest fails with one line and leaves whole
//!   articles; with room again, the same command completes the store.
//! - Folder walks survive symlink loops and unreadable folders, reading every
//!   file once and storing the rest.
//! - A 20 MB single-line file is extracted or refused in under 30 s and 500 MB.
//! - A runaway query stops at its `--timeout` with one line and a non-zero exit.
//! - Removing or replacing articles, killed or not, never makes the store look
//!   as if it lost articles: the count it claims drops before the articles go.
//!
//! Kill moments come from a seeded generator, so a failure can be replayed.
//! Disk-full cases mount a tmpfs and are skipped, with a message, where mounting
//! is not allowed. `cargo test --release --test faults -- --ignored` also runs
//! the kill-and-resume test over 1,000 articles.
#![cfg(unix)]
use std::collections::BTreeSet;
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

mod support;
use support::*;

/// Articles of the corpus most cases ingest (three batches of the CLI's 64).
const ARTICLES: usize = 150;

fn musubi() -> Command {
    Command::new(env!("CARGO_BIN_EXE_musubi"))
}

fn ingest_command(store: &Path, input: &Path) -> Command {
    let mut cmd = musubi();
    cmd.arg("--store")
        .arg(store)
        .args(["ingest", "--quiet", "--layout", "livedoor"])
        .arg(input);
    cmd
}

fn stats(store: &Path) -> Output {
    musubi()
        .arg("--store")
        .arg(store)
        .arg("stats")
        .output()
        .unwrap()
}

/// The article count `musubi stats` prints.
fn stated_articles(out: &Output) -> usize {
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines()
        .find_map(|l| l.strip_prefix("articles: "))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no article count in {text:?}"))
}

fn assert_ok(out: &Output, what: &str) {
    assert!(
        out.status.success(),
        "{what}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A failure reported the musubi way: non-zero exit, one line on stderr.
fn assert_one_line_error(out: &Output, what: &str) -> String {
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(!out.status.success(), "{what} succeeded");
    assert_eq!(err.trim_end().lines().count(), 1, "{what}: {err}");
    assert!(!err.contains("panicked"), "{what}: {err}");
    err
}

/// A deterministic generator (xorshift), so kill moments replay.
struct Seeded(u64);
impl Seeded {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    /// A duration in [lo, hi).
    fn between(&mut self, lo: Duration, hi: Duration) -> Duration {
        let span = (hi - lo).as_micros() as u64;
        lo + Duration::from_micros(self.next() % span.max(1))
    }
}

/// A corpus and the store one uninterrupted run makes of it, built once per
/// test process.
struct Reference {
    _dir: tempfile::TempDir,
    input: PathBuf,
    store: PathBuf,
    quads: BTreeSet<Q>,
}

fn reference() -> &'static Reference {
    static REFERENCE: OnceLock<Reference> = OnceLock::new();
    REFERENCE.get_or_init(|| make_reference(ARTICLES))
}

fn make_reference(n: usize) -> Reference {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("archive");
    corpus(&input, n);
    let store = dir.path().join("reference");
    assert_ok(
        &ingest_command(&store, &input).output().unwrap(),
        "reference ingest",
    );
    let quads = quads(&store);
    assert_eq!(articles(&quads).len(), n);
    Reference {
        _dir: dir,
        input,
        store,
        quads,
    }
}

/// Checks a store left by a fault: absent, or it opens and holds whole articles
/// of the reference only, at least `reported` of them. Returns how many.
fn assert_whole(store: &Path, reference: &BTreeSet<Q>, reported: usize) -> usize {
    if !store.exists() {
        assert_eq!(reported, 0, "articles were reported but there is no store");
        return 0;
    }
    let found = quads(store);
    let stored = articles(&found);
    assert!(
        stored.len() >= reported,
        "{} articles stored, {reported} reported",
        stored.len()
    );
    let stray: Vec<_> = found
        .difference(reference)
        .filter(|q| !renamed_later(q, reference))
        .take(3)
        .collect();
    assert!(
        stray.is_empty(),
        "quads no uninterrupted run has: {stray:?}"
    );
    for article in &stored {
        for q in quads_of(reference, article) {
            assert!(found.contains(q), "{article} lacks {q:?}");
        }
    }
    stored.len()
}

/// Whether `q` names a node as the articles so far do and a later article
/// renamed it: a node's label is the fullest name met so far, so a store
/// stopped part-way may label it with what the whole run keeps as an
/// altLabel, and hold as an altLabel what the whole run makes its label.
fn renamed_later(q: &Q, reference: &BTreeSet<Q>) -> bool {
    const LABEL: &str = "<http://www.w3.org/2000/01/rdf-schema#label>";
    const ALT: &str = "<http://www.w3.org/2004/02/skos/core#altLabel>";
    let (s, p, o, g) = q;
    let other = match p.as_str() {
        LABEL => ALT,
        ALT => LABEL,
        _ => return false,
    };
    g.is_empty() && reference.contains(&(s.clone(), other.to_string(), o.clone(), g.clone()))
}

/// Runs `command` and kills it with SIGKILL after `delay`, or lets it finish.
/// Returns how many articles it reported stored.
fn kill_after(mut command: Command, delay: Duration) -> usize {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        std::io::read_to_string(stdout)
            .unwrap_or_default()
            .lines()
            .filter(|l| l.contains(" entities ("))
            .count()
    });
    std::thread::sleep(delay);
    let _ = child.kill();
    child.wait().unwrap();
    reader.join().unwrap()
}

/// Kills ingests of `reference`'s corpus at `kills` seeded moments, each
/// resuming the one before, checking the store after each; then runs the
/// command to its end and compares with the uninterrupted run.
fn kill_and_resume(reference: &Reference, kills: usize, seed: u64, longest: Duration) {
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("store");
    let mut random = Seeded(seed);
    let mut reported = 0;
    for k in 0..kills {
        let delay = random.between(Duration::from_millis(50), longest);
        reported += kill_after(ingest_command(&store, &reference.input), delay);
        let stored = assert_whole(&store, &reference.quads, reported);
        eprintln!("kill {k} after {delay:?}: {stored} articles stored, {reported} reported");
        // What was stored counts as reported for the next run's check.
        reported = stored;
    }
    let out = ingest_command(&store, &reference.input).output().unwrap();
    assert_ok(&out, "resumed ingest");
    let resumed = quads(&store);
    assert_eq!(articles(&resumed).len(), articles(&reference.quads).len());
    let missing: Vec<_> = reference.quads.difference(&resumed).take(3).collect();
    let extra: Vec<_> = resumed.difference(&reference.quads).take(3).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "resumed store differs: missing {missing:?}, extra {extra:?}"
    );
}

#[test]
fn kills_at_twenty_seeded_moments_then_resuming_equals_one_run() {
    kill_and_resume(reference(), 20, 0x5eed_0001, Duration::from_millis(3500));
}

/// `cargo test --release --test faults -- --ignored`: the same over 1,000
/// livedoor articles (several minutes).
#[test]
#[ignore]
fn kills_at_twenty_seeded_moments_over_a_thousand_articles() {
    kill_and_resume(
        &make_reference(1000),
        20,
        0x5eed_1000,
        Duration::from_secs(12),
    );
}

#[test]
fn kills_during_creation_leave_no_store_or_a_whole_one() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("one");
    corpus(&input, 1);
    let clean = tmp.path().join("clean");
    assert_ok(&ingest_command(&clean, &input).output().unwrap(), "clean");
    let expected = quads(&clean);
    let mut random = Seeded(0x5eed_0002);
    for k in 0..10 {
        let store = tmp.path().join(format!("store-{k}"));
        let delay = random.between(Duration::from_millis(100), Duration::from_millis(2500));
        let reported = kill_after(ingest_command(&store, &input), delay);
        assert_whole(&store, &expected, reported);
        if store.exists() {
            assert_ok(&stats(&store), "stats after a kill during creation");
        }
        assert_ok(
            &ingest_command(&store, &input).output().unwrap(),
            "ingest after a kill during creation",
        );
        assert_eq!(quads(&store), expected, "kill {k} after {delay:?}");
    }
    // No creation folder is left behind once a later run finished.
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains(".creating-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// How a test damages a write-ahead log.
#[derive(Debug, Clone, Copy)]
enum Damage {
    /// Cut to half its length.
    Truncate,
    /// Garbage written over bytes in the middle.
    Garble,
}

/// Damages every `*.log` of a store (the newest included); returns how many
/// held bytes to damage.
fn damage_logs(store: &Path, damage: Damage) -> usize {
    let mut damaged = 0;
    for entry in std::fs::read_dir(store).unwrap().flatten() {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "log") {
            continue;
        }
        let len = entry.metadata().unwrap().len();
        if len == 0 {
            continue;
        }
        damaged += 1;
        match damage {
            Damage::Truncate => {
                let f = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
                f.set_len(len / 2).unwrap();
            }
            Damage::Garble => {
                let mut bytes = std::fs::read(&path).unwrap();
                let mid = bytes.len() / 2;
                for (i, b) in bytes[mid..].iter_mut().take(4096).enumerate() {
                    *b ^= 0x5A ^ (i as u8);
                }
                std::fs::write(&path, bytes).unwrap();
            }
        }
    }
    damaged
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

/// After a damaged log: the store opens with every reported article, or opening
/// fails with one line that names a log; either way the same ingest, run again
/// (after the way out the error gives), ends in the uninterrupted run's store.
fn assert_damage_never_hides_articles(store: &Path, reported: usize, what: &str) {
    let reference = reference();
    let out = stats(store);
    if out.status.success() {
        assert!(
            stated_articles(&out) >= reported,
            "{what}: exit 0 with {} articles, {reported} reported",
            stated_articles(&out)
        );
    } else {
        let err = assert_one_line_error(&out, what);
        assert!(
            err.contains(".log") && err.contains("recover"),
            "{what}: {err}"
        );
        std::fs::remove_file(store.join(musubi::store::LEDGER)).unwrap();
    }
    assert_ok(
        &ingest_command(store, &reference.input).output().unwrap(),
        what,
    );
    assert_eq!(quads(store), reference.quads, "{what}");
}

#[test]
fn a_damaged_newest_log_never_yields_fewer_articles_than_reported() {
    let reference = reference();
    let tmp = tempfile::tempdir().unwrap();
    for damage in [Damage::Truncate, Damage::Garble] {
        // After a whole run.
        let store = tmp.path().join(format!("whole-{damage:?}"));
        copy_dir(&reference.store, &store);
        damage_logs(&store, damage);
        assert_damage_never_hides_articles(&store, ARTICLES, &format!("whole run, {damage:?}"));
        // After a run killed mid-ingest, with a batch in the log.
        let store = tmp.path().join(format!("killed-{damage:?}"));
        let mut command = ingest_command(&store, &reference.input);
        let mut child = command
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut reported = 0;
        let mut lines =
            std::io::BufRead::lines(std::io::BufReader::new(child.stdout.take().unwrap()));
        while reported < 64 {
            let line = lines
                .next()
                .expect("ingest reports the first batch")
                .unwrap();
            if line.contains(" entities (") {
                reported += 1;
            }
        }
        child.kill().unwrap();
        child.wait().unwrap();
        damage_logs(&store, damage);
        assert_damage_never_hides_articles(&store, reported, &format!("killed run, {damage:?}"));
    }
}

#[test]
fn a_store_that_lost_reported_articles_says_so_and_how_to_recover() {
    let reference = reference();
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("store");
    copy_dir(&reference.store, &store);
    // As if articles synced and reported had vanished.
    std::fs::write(
        store.join(musubi::store::LEDGER),
        format!("{}\n", ARTICLES + 5),
    )
    .unwrap();
    let err = assert_one_line_error(&stats(&store), "stats of a store that lost articles");
    assert!(
        err.contains(&format!(
            "{ARTICLES} articles found but {} were reported",
            ARTICLES + 5
        )),
        "{err}"
    );
    assert!(err.contains(".log") && err.contains("recover"), "{err}");
    let out = ingest_command(&store, &reference.input).output().unwrap();
    assert_one_line_error(&out, "ingest into a store that lost articles");
    assert_damage_never_hides_articles(&store, ARTICLES, "lost articles");
}

/// A tmpfs of `size` mounted on a new folder, unmounted when dropped; None
/// (after saying why) where this process may not mount.
struct Tmpfs {
    dir: PathBuf,
    _parent: tempfile::TempDir,
}

impl Tmpfs {
    fn mount(size: &str) -> Option<Tmpfs> {
        let parent = tempfile::tempdir().unwrap();
        let dir = parent.path().join("fs");
        std::fs::create_dir(&dir).unwrap();
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(&dir)
            .output();
        match out {
            Ok(o) if o.status.success() => Some(Tmpfs {
                dir,
                _parent: parent,
            }),
            Ok(o) => {
                eprintln!(
                    "skipped: cannot mount a tmpfs here ({})",
                    String::from_utf8_lossy(&o.stderr).trim()
                );
                None
            }
            Err(e) => {
                eprintln!("skipped: cannot run mount ({e})");
                None
            }
        }
    }

    fn resize(&self, size: &str) {
        let out = Command::new("mount")
            .args(["-o", &format!("remount,size={size}")])
            .arg(&self.dir)
            .output()
            .unwrap();
        assert_ok(&out, "remount");
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.dir).status();
    }
}

#[test]
fn a_full_disk_at_creation_leaves_no_store_and_the_same_command_then_creates_it() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("one");
    corpus(&input, 1);
    let clean = tmp.path().join("clean");
    assert_ok(&ingest_command(&clean, &input).output().unwrap(), "clean");
    for size in ["64k", "200k", "1m"] {
        let Some(fs) = Tmpfs::mount(size) else {
            return;
        };
        let store = fs.dir.join("store");
        let out = ingest_command(&store, &input).output().unwrap();
        if !out.status.success() {
            let err = assert_one_line_error(&out, "ingest on a full disk");
            assert!(
                err.contains("No space left") || err.contains("space"),
                "{err}"
            );
        }
        assert_whole(&store, &quads(&clean), 0);
        fs.resize("256m");
        assert_ok(
            &ingest_command(&store, &input).output().unwrap(),
            "ingest with room again",
        );
        assert_eq!(quads(&store), quads(&clean), "tmpfs of {size}");
    }
}

#[test]
fn a_disk_full_mid_ingest_keeps_whole_articles_and_resuming_completes_the_store() {
    let reference = reference();
    // The reference store takes about 15 MB (each article graph keeps its
    // entity records, which removal recomputes nodes from), and a batch needs
    // room for its log
    // and its table files at once: the smallest disk on which some batch is
    // stored before the disk fills, so the test does not hang on exact sizes.
    let mut found = None;
    for size in ["6m", "8m", "10m", "12m"] {
        let Some(fs) = Tmpfs::mount(size) else {
            return;
        };
        let store = fs.dir.join("store");
        let out = ingest_command(&store, &reference.input).output().unwrap();
        let reported = String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter(|l| l.contains(" entities ("))
            .count();
        assert!(
            !out.status.success(),
            "the disk did not fill at {size}: enlarge the corpus"
        );
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("space"), "{err}");
        assert!(!err.contains("panicked"), "{err}");
        // Filled before any article: whatever is there must still be whole.
        assert_whole(&store, &reference.quads, reported);
        if reported > 0 {
            found = Some((fs, store, reported));
            break;
        }
    }
    let (fs, store, reported) = found.expect("the disk filled before any article at 12m");
    assert_whole(&store, &reference.quads, reported);
    fs.resize("512m");
    assert_ok(
        &ingest_command(&store, &reference.input).output().unwrap(),
        "ingest with room again",
    );
    assert_eq!(quads(&store), reference.quads);
}

#[test]
fn symlink_loops_are_walked_once_and_every_file_is_read_once() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("corpus");
    corpus(&root.join("a"), 6);
    std::fs::remove_file(root.join("a/LICENSE.txt")).unwrap();
    std::os::unix::fs::symlink(&root, root.join("a/up")).unwrap();
    std::fs::create_dir_all(root.join("b")).unwrap();
    std::os::unix::fs::symlink(root.join("b"), root.join("b/self")).unwrap();
    std::os::unix::fs::symlink(root.join("a"), root.join("b/again")).unwrap();
    let store = tmp.path().join("store");
    let started = Instant::now();
    let out = ingest_command(&store, &root).output().unwrap();
    assert!(started.elapsed() < Duration::from_secs(60));
    assert_ok(&out, "ingest through symlink loops");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(stdout.lines().count(), 6, "{stdout}");
    assert!(!stdout.contains("already in the store"), "{stdout}");
    // b/self, a/up, and a/up again through b/again (a link into a, not a loop).
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.matches("a link back to").count(), 3, "{err}");
    assert_eq!(stated_articles(&stats(&store)), 6);
}

/// This process's effective user id, from a file it creates.
fn euid(dir: &Path) -> u32 {
    use std::os::unix::fs::MetadataExt;
    let probe = dir.join("uid-probe");
    std::fs::write(&probe, "").unwrap();
    let uid = std::fs::metadata(&probe).unwrap().uid();
    std::fs::remove_file(probe).unwrap();
    uid
}

#[test]
fn an_unreadable_folder_is_reported_and_the_rest_is_stored() {
    use std::os::unix::process::CommandExt;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o777)).unwrap();
    let root = dir.join("corpus");
    corpus(&root.join("good"), 3);
    corpus(&root.join("locked"), 2);
    // Root reads any folder: run musubi as nobody then, from a copy it may run.
    let as_root = euid(dir) == 0;
    let exe = dir.join("musubi");
    std::fs::copy(env!("CARGO_BIN_EXE_musubi"), &exe).unwrap();
    for p in [&root, &root.join("good")] {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    for f in std::fs::read_dir(root.join("good")).unwrap().flatten() {
        std::fs::set_permissions(f.path(), std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    std::fs::set_permissions(root.join("locked"), std::fs::Permissions::from_mode(0o000)).unwrap();
    let store = dir.join("store");
    let mut cmd = Command::new(&exe);
    if as_root {
        cmd.uid(65534).gid(65534);
    }
    let out = cmd
        .arg("--store")
        .arg(&store)
        .args(["ingest", "--quiet", "--layout", "livedoor"])
        .arg(&root)
        .output()
        .unwrap();
    std::fs::set_permissions(root.join("locked"), std::fs::Permissions::from_mode(0o755)).unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{err}");
    let locked: Vec<&str> = err.lines().filter(|l| l.contains("locked")).collect();
    assert_eq!(locked.len(), 1, "{err}");
    assert!(locked[0].contains("ermission denied"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(stated_articles(&stats(&store)), 3);
}

/// Peak resident memory (KiB) of a running process, from /proc.
fn peak_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

#[test]
fn a_twenty_megabyte_single_line_is_done_in_thirty_seconds_and_500_mb() {
    let tmp = tempfile::tempdir().unwrap();
    let sentence = "東京の会社が新しい製品を発表し、大阪で販売を始めた。";
    let mut text = sentence.repeat(10_000_000 / sentence.len());
    text.push_str(&"あア亜".repeat(10_000_000 / "あア亜".len()));
    let file = tmp.path().join("one-line.txt");
    std::fs::write(&file, &text).unwrap();
    let started = Instant::now();
    let mut child = musubi()
        .arg("--store")
        .arg(tmp.path().join("store"))
        .args(["ingest", "--quiet"])
        .arg(&file)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut peak = 0;
    while child.try_wait().unwrap().is_none() {
        peak = peak.max(peak_kib(child.id()).unwrap_or(0));
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("still running after 60 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let took = started.elapsed();
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    eprintln!("20 MB line: {took:?}, peak {} MiB: {err}", peak >> 10);
    assert!(!err.contains("panicked"), "{err}");
    if !out.status.success() {
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
        assert!(err.contains("one-line.txt"), "{err}");
    }
    assert!(took < Duration::from_secs(30), "{took:?}");
    assert!(peak < 500 << 10, "peak {} MiB", peak >> 10);
}

#[test]
fn a_runaway_query_stops_at_its_timeout_with_one_line() {
    let reference = reference();
    for sparql in [
        "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
        "SELECT ?a WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?f LIMIT 1",
    ] {
        let started = Instant::now();
        let out = musubi()
            .arg("--store")
            .arg(&reference.store)
            .args(["query", "--timeout", "2", "--format", "tsv", sparql])
            .stdout(Stdio::null())
            .output()
            .unwrap();
        let took = started.elapsed();
        let err = assert_one_line_error(&out, sparql);
        assert!(err.contains("time limit"), "{err}");
        assert!(took < Duration::from_secs(15), "{sparql}: {took:?}");
    }
    // The table keeps its rows in memory, so it stops at a cap and says so.
    let out = musubi()
        .arg("--store")
        .arg(&reference.store)
        .args(["query", "--timeout", "0", "--format", "table"])
        .arg("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }")
        .output()
        .unwrap();
    assert_ok(&out, "table of a cartesian product");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.trim_end().ends_with("--format tsv for all)"),
        "{}",
        &stdout[stdout.len() - 200..]
    );
}

#[test]
fn one_file_is_one_article_whatever_its_line_ends_or_layout() {
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("store");
    let text = "http://example.com/1\n2024-01-01\n見出しです\n東京の会社が新しい製品を発表した。\n大阪で販売を始めた。\n";
    let clean = tmp.path().join("clean.txt");
    std::fs::write(&clean, text).unwrap();
    let spaced = tmp.path().join("spaced.txt");
    std::fs::write(&spaced, text.replace('\n', "  \t\n")).unwrap();
    assert_ok(&ingest_command(&store, &clean).output().unwrap(), "first");
    let out = ingest_command(&store, &spaced).output().unwrap();
    assert_ok(&out, "trailing spaces");
    assert!(String::from_utf8_lossy(&out.stdout).contains("already in the store"));
    // The same file under the plain layout: reported, not stored again.
    let out = musubi()
        .arg("--store")
        .arg(&store)
        .args(["ingest", "--quiet"])
        .arg(&clean)
        .output()
        .unwrap();
    let err = assert_one_line_error(&out, "the same file under another layout");
    assert!(
        err.contains("clean.txt") && err.contains("--layout livedoor"),
        "{err}"
    );
    assert_eq!(stated_articles(&stats(&store)), 1);
}

#[test]
fn non_japanese_encodings_are_refused_by_name() {
    let tmp = tempfile::tempdir().unwrap();
    let korean = "서울의 회사가 새로운 제품을 발표했다. 부산에서 판매를 시작했다.".repeat(5);
    let (euc_kr, _, _) = encoding_rs::EUC_KR.encode(&korean);
    let chinese = "北京的公司发布了新产品，并在上海开始销售。".repeat(5);
    let (gbk, _, _) = encoding_rs::GBK.encode(&chinese);
    let utf32: Vec<u8> = [0xFF, 0xFE, 0, 0]
        .into_iter()
        .chain(
            "日本語の記事です。"
                .chars()
                .flat_map(|c| (c as u32).to_le_bytes()),
        )
        .collect();
    for (name, bytes, says) in [
        ("korean.txt", euc_kr.to_vec(), "not Japanese"),
        ("chinese.txt", gbk.to_vec(), "not"),
        ("utf32.txt", utf32, "UTF-32"),
    ] {
        let path = tmp.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let err = musubi::Article::read(&path, musubi::Layout::Plain)
            .expect_err(name)
            .to_string();
        assert!(err.contains(name) && err.contains(says), "{err}");
    }
}

#[test]
fn rule_and_query_errors_name_what_the_user_wrote() {
    let tmp = tempfile::tempdir().unwrap();
    let missing = tmp.path().join("no-such-rules");
    let out = musubi()
        .arg("--ontology")
        .arg(&missing)
        .args(["extract", "x.txt"])
        .output()
        .unwrap();
    let err = assert_one_line_error(&out, "--ontology on a missing folder");
    assert!(err.contains("no-such-rules"), "{err}");

    let rules = tmp.path().join("rules");
    std::fs::create_dir(&rules).unwrap();
    let mut ttl = std::fs::File::create(rules.join("musubi.ttl")).unwrap();
    writeln!(
        ttl,
        "@prefix mo: <https://w3id.org/musubi/ontology#> .\nmo:Broken a ."
    )
    .unwrap();
    let article = tmp.path().join("a.txt");
    std::fs::write(&article, "東京の会社が製品を発表した。").unwrap();
    let out = musubi()
        .arg("--ontology")
        .arg(&rules)
        .arg("--store")
        .arg(tmp.path().join("store"))
        .arg("ingest")
        .arg(&article)
        .output()
        .unwrap();
    let err = assert_one_line_error(&out, "a broken musubi.ttl");
    assert!(
        err.contains(&rules.join("musubi.ttl").display().to_string()),
        "{err}"
    );

    let store = &reference().store;
    for (sparql, at) in [
        ("SELEC ?x WHERE { ?x ?p ?o }", "line 1 column 1"),
        ("SELECT ?x WHERE { ?x ?p ?o", "line 1 column 27"),
        ("INSERT DATA { <a:b> <a:c> <a:d> }", "line 1 column 1"),
    ] {
        let out = musubi()
            .arg("--store")
            .arg(store)
            .args(["query", sparql])
            .output()
            .unwrap();
        let err = assert_one_line_error(&out, sparql);
        assert!(err.contains(at), "{sparql}: {err}");
    }
}

/// The ledger's count, if the store has one.
fn ledger(store: &Path) -> Option<usize> {
    let text = std::fs::read_to_string(store.join(musubi::store::LEDGER)).ok()?;
    text.trim().parse().ok()
}

/// Removing and replacing articles lowers the count the store claims with the
/// store: killed at seeded moments, a removal leaves a store that opens (never
/// "lost articles") and whose ledger claims no more than it holds; finished,
/// the ledger is the article count again, and the same holds for `--replace`.
#[test]
fn removals_keep_the_ledger_consistent_when_killed() {
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("store");
    let input = tmp.path().join("archive");
    corpus(&input, ARTICLES);
    assert_ok(&ingest_command(&store, &input).output().unwrap(), "ingest");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&input)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| !p.ends_with("LICENSE.txt"))
        .collect();
    files.sort();
    let doomed: Vec<String> = files
        .iter()
        .step_by(2)
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    let remove = || {
        let mut cmd = musubi();
        cmd.arg("--store").arg(&store).arg("remove").args(&doomed);
        cmd
    };
    let mut random = Seeded(0x5eed_0002);
    for _ in 0..5 {
        let delay = random.between(Duration::from_millis(100), Duration::from_millis(1500));
        kill_after(remove(), delay);
        let out = stats(&store);
        assert_ok(&out, "stats after a killed removal");
        let held = stated_articles(&out);
        assert!(ledger(&store).unwrap() <= held, "ledger above {held}");
    }
    // Running it again removes the rest (the articles gone are reported missing).
    let _ = remove().output().unwrap();
    let held = stated_articles(&stats(&store));
    assert_eq!(held, ARTICLES - doomed.len());
    assert_eq!(ledger(&store), Some(held));

    // Replacing keeps the count: one article out, one in, per corrected file.
    let corrected: Vec<&PathBuf> = files.iter().skip(1).step_by(2).take(20).collect();
    for p in &corrected {
        let text = std::fs::read_to_string(p).unwrap();
        std::fs::write(p, format!("{text}\n訂正:記事の一部を修正しました。\n")).unwrap();
    }
    let replace = || {
        let mut cmd = musubi();
        cmd.arg("--store")
            .arg(&store)
            .args(["ingest", "--quiet", "--layout", "livedoor", "--replace"])
            .args(&corrected);
        cmd
    };
    kill_after(replace(), Duration::from_millis(800));
    let out = stats(&store);
    assert_ok(&out, "stats after a killed replace");
    assert!(ledger(&store).unwrap() <= stated_articles(&out));
    assert_ok(&replace().output().unwrap(), "replace");
    assert_eq!(stated_articles(&stats(&store)), held);
    assert_eq!(ledger(&store), Some(held));
}
