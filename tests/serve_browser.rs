//! `musubi serve` in a real browser: ingests `data/`, starts the server on a
//! free loopback port, and has headless Chromium (driven by playwright-core,
//! tests/browser/explore.mjs) search by another spelling, read an entity's
//! facts and sentences, click a neighbour in the SVG, and check the article
//! page's highlights.
//!
//! Needs Debian's `chromium` and Node.js; `.ci/run` installs both, and the npm
//! package is installed into tests/browser/node_modules on first use. Where
//! Chromium is missing the test says so and passes, except under CI (`CI` set),
//! where it fails. `MUSUBI_SCREENSHOTS=DIR` keeps the screenshots.
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use musubi::names::name_key;
use musubi::store::Store;
use oxigraph::model::Term;

/// Ends the server when the test ends, passed or not.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn manifest() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("MUSUBI_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    path.exists().then_some(path)
}

/// playwright-core in tests/browser/node_modules, installed from the lock file
/// the first time.
fn ensure_playwright() {
    let dir = manifest().join("tests/browser");
    if dir
        .join("node_modules/playwright-core/package.json")
        .exists()
    {
        return;
    }
    let out = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--prefix"])
        .arg(&dir)
        .output()
        .expect("npm (Node.js) is needed for the browser test: apt-get install nodejs npm");
    assert!(
        out.status.success(),
        "npm ci in tests/browser failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn text(t: &Option<Term>) -> String {
    match t {
        Some(Term::Literal(l)) => l.value().to_string(),
        Some(Term::NamedNode(n)) => n.as_str().to_string(),
        _ => String::new(),
    }
}

/// What the browser looks for: an entity with another spelling and a fact
/// (with its sentence) naming a neighbour entity, and the fact's article.
fn pick_case(store: &Path) -> serde_json::Value {
    let store = Store::open_read_only(store).unwrap();
    let rows = store
        .select(
            "SELECT ?label ?alt ?sentence ?nlabel ?id WHERE { \
               ?e rdfs:label ?label ; skos:altLabel ?alt . \
               ?g a mo:Article ; mo:sha256 ?id . \
               GRAPH ?g { ?e ?p ?n . ?f rdf:reifies <<( ?e ?p ?n )>> ; mo:sentence ?sentence } \
               FILTER(STRSTARTS(STR(?p), STR(mo:))) ?n rdfs:label ?nlabel \
             } ORDER BY ?label ?alt ?nlabel",
        )
        .unwrap();
    let row = rows
        .iter()
        .map(|r| r.iter().map(text).collect::<Vec<String>>())
        .find(|r| {
            // Another spelling indeed, not the label in other width or with a dot.
            name_key(&r[1]) != name_key(&r[0])
                && r[1].chars().count() >= 2
                && !r[0].contains(&r[3])
                && !r[3].contains(&r[0])
        })
        .expect("data/ gives an entity with another spelling and a fact");
    serde_json::json!({
        "label": row[0], "alt": row[1], "sentence": row[2], "neighbour": row[3], "article": row[4],
    })
}

#[test]
fn pages_work_in_headless_chromium() {
    let Some(browser) = chromium() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "Chromium is missing in CI: .ci/run must install Debian's chromium"
        );
        eprintln!(
            "skipped: the browser test needs Chromium at /usr/bin/chromium \
             (apt-get install chromium) or MUSUBI_CHROMIUM"
        );
        return;
    };
    ensure_playwright();
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let out = Command::new(env!("CARGO_BIN_EXE_musubi"))
        .arg("--store")
        .arg(&store)
        .args(["ingest", "--quiet"])
        .arg(manifest().join("data"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "ingest failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let case = pick_case(&store);

    let mut child = Command::new(env!("CARGO_BIN_EXE_musubi"))
        .arg("--store")
        .arg(&store)
        .args(["serve", "--bind", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let server = Running(child);
    let url = first
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no address in {first:?}"))
        .trim_end_matches('/')
        .to_string();

    let mut script = Command::new("node");
    script
        .arg(manifest().join("tests/browser/explore.mjs"))
        .env("MUSUBI_URL", &url)
        .env("MUSUBI_CASE", case.to_string())
        .env("MUSUBI_CHROMIUM", &browser);
    let out = script.output().expect("node runs");
    drop(server);
    let stdout = String::from_utf8_lossy(&out.stdout);
    println!("{stdout}");
    assert!(
        out.status.success(),
        "browser checks failed for {case}:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("browser checks passed"));
}
