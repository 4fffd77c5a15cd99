//! A remote SPARQL store as the store (`--endpoint`), against real servers on
//! loopback: oxigraph's server and Virtuoso 7. Ingest, query, export, stats and
//! remove give what the embedded store gives; articles ingested out of order,
//! or by two writers at once, end as one writer ingesting them in order; the
//! map-style recipe (extract, load, reconcile) gives the graph ingest gives.
//! Names in the invented articles are invented.
#![cfg(unix)]
mod support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use support::ok;
use support::servers::{self, Server};

fn musubi(args: &[String]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_musubi"))
        .args(args)
        .output()
        .expect("musubi runs")
}

fn args(parts: &[&str]) -> Vec<String> {
    parts.iter().map(|s| s.to_string()).collect()
}

fn on(server: &Server, rest: &[&str]) -> Vec<String> {
    let mut a = server.args();
    a.extend(args(rest));
    a
}

fn embedded(store: &Path, rest: &[&str]) -> Vec<String> {
    let mut a = vec!["--store".to_string(), store.display().to_string()];
    a.extend(args(rest));
    a
}

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data")
}

/// Invented articles whose entities merge only in some orders: a bare surname,
/// then full names that share it.
fn surname_articles(dir: &Path) -> Vec<PathBuf> {
    std::fs::create_dir_all(dir).unwrap();
    let texts = [
        "鈴木社長は12日、新工場の建設を発表した。",
        "鈴木一郎社長は20日、決算を発表した。鈴木社長は増益を強調した。",
        "鈴木次郎氏は21日、記者会見を開いた。鈴木氏は新会社の設立を発表した。",
        "佐藤太郎社長は12日、東京都内で記者会見を開いた。佐藤社長は新製品の発売を発表した。",
        "佐藤花子氏は13日、大阪市内で講演した。佐藤氏は地域の課題について語った。",
        "佐藤氏は14日、名古屋市で会見した。",
    ];
    texts
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let p = dir.join(format!("a{i}.txt"));
            std::fs::write(&p, t).unwrap();
            p
        })
        .collect()
}

/// An export as sorted N-Quads lines, comparable across stores: ingest times
/// dropped, and literals in the forms servers normalise them to (Virtuoso
/// writes 0.80 as 0.8).
fn normalized(nquads: &str) -> Vec<String> {
    let mut lines: Vec<String> = nquads
        .lines()
        .filter(|l| !l.contains("prov#generatedAtTime"))
        .map(|l| {
            const DECIMAL: &str = "\"^^<http://www.w3.org/2001/XMLSchema#decimal>";
            match l.find(DECIMAL) {
                Some(end) => {
                    let start = l[..end].rfind('"').unwrap() + 1;
                    let mut v = l[start..end].to_string();
                    if v.contains('.') {
                        v = v.trim_end_matches('0').trim_end_matches('.').to_string();
                    }
                    format!("{}{v}{}", &l[..start], &l[end..])
                }
                None => l.to_string(),
            }
        })
        .collect();
    lines.sort();
    lines
}

fn export(args: Vec<String>) -> Vec<String> {
    let mut a = args;
    a.extend(["export".into(), "--format".into(), "nquads".into()]);
    normalized(&ok(musubi(&a)))
}

/// The whole graph of a store built by ingesting `files` into the embedded store.
fn embedded_graph(files: &[PathBuf], extra: &[&str]) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let mut a = embedded(&store, &["ingest", "-q"]);
    a.extend(args(extra));
    a.extend(files.iter().map(|f| f.display().to_string()));
    ok(musubi(&a));
    export(embedded(&store, &[]))
}

fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    files
}

fn assert_same(what: &str, got: &[String], want: &[String]) {
    if got != want {
        let got_set: BTreeSet<&String> = got.iter().collect();
        let want_set: BTreeSet<&String> = want.iter().collect();
        let extra: Vec<_> = got_set.difference(&want_set).take(5).collect();
        let missing: Vec<_> = want_set.difference(&got_set).take(5).collect();
        panic!(
            "{what}: {} quads, expected {}\nextra: {extra:#?}\nmissing: {missing:#?}",
            got.len(),
            want.len()
        );
    }
}

/// Ingest, query, stats, export and remove on a server give what they give on
/// the embedded store.
fn commands_work_like_the_embedded_store(server: &Server) {
    let _taken = server.take();
    let data = files_in(&data_dir());
    let mut a = on(server, &["ingest", "-q"]);
    a.extend(data.iter().map(|f| f.display().to_string()));
    let out = ok(musubi(&a));
    assert_eq!(
        out.lines().filter(|l| l.contains("entities")).count(),
        data.len()
    );
    let want = embedded_graph(&data, &[]);
    assert_same(server.name, &export(server.args()), &want);

    // Ingesting again changes nothing.
    let again = ok(musubi(&a));
    assert!(
        again.lines().all(|l| l.contains("already in the store")),
        "{again}"
    );
    assert_same("after re-ingest", &export(server.args()), &want);

    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let mut e = embedded(&store, &["ingest", "-q"]);
    e.extend(data.iter().map(|f| f.display().to_string()));
    ok(musubi(&e));
    assert_eq!(
        ok(musubi(&on(server, &["stats"]))),
        ok(musubi(&embedded(&store, &["stats"])))
    );
    let q = "SELECT ?who WHERE { GRAPH ?g { ?p mo:heads ?o } GRAPH <https://w3id.org/musubi/default> { ?p rdfs:label ?who } } ORDER BY ?who";
    let remote_rows = ok(musubi(&on(server, &["query", "--format", "csv", q])));
    assert!(remote_rows.lines().count() > 2, "{remote_rows}");

    // Remove the last article on both: the same graph again, and the graph of
    // the others alone.
    ok(musubi(&on(server, &["remove", "university_merger.txt"])));
    ok(musubi(&embedded(
        &store,
        &["remove", "university_merger.txt"],
    )));
    assert_same(
        "after remove",
        &export(server.args()),
        &export(embedded(&store, &[])),
    );
    let rest: Vec<PathBuf> = data
        .iter()
        .filter(|f| !f.ends_with("university_merger.txt"))
        .cloned()
        .collect();
    assert_same(
        "remove = never ingested",
        &export(server.args()),
        &embedded_graph(&rest, &[]),
    );
}

#[test]
fn commands_work_on_oxigraph_server() {
    commands_work_like_the_embedded_store(servers::oxigraph());
}

#[test]
fn commands_work_on_virtuoso() {
    commands_work_like_the_embedded_store(servers::virtuoso());
}

/// Articles ingested in reverse order end as if ingested in path order: the
/// writer replays the matching of the articles that share names.
fn out_of_order_ingest_is_replayed(server: &Server) {
    let _taken = server.take();
    let dir = tempfile::tempdir().unwrap();
    let files = surname_articles(&dir.path().join("a"));
    for f in files.iter().rev() {
        ok(musubi(&on(
            server,
            &["ingest", "-q", &f.display().to_string()],
        )));
    }
    assert_same(
        server.name,
        &export(server.args()),
        &embedded_graph(&files, &[]),
    );
}

#[test]
fn out_of_order_ingest_on_oxigraph_server() {
    out_of_order_ingest_is_replayed(servers::oxigraph());
}

#[test]
fn out_of_order_ingest_on_virtuoso() {
    out_of_order_ingest_is_replayed(servers::virtuoso());
}

/// Livedoor articles spread over the corpus, plus data/ and the invented ones.
fn corpus(dir: &Path) -> Vec<PathBuf> {
    let mut files = surname_articles(&dir.join("a"));
    files.extend(files_in(&data_dir()));
    let livedoor = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/livedoor/text");
    let mut all = Vec::new();
    for cat in ["sports-watch", "topic-news"] {
        all.extend(
            files_in(&livedoor.join(cat))
                .into_iter()
                .filter(|p| !p.ends_with("LICENSE.txt")),
        );
    }
    let picked = dir.join("livedoor");
    std::fs::create_dir_all(&picked).unwrap();
    for p in all.iter().step_by(all.len() / 16).take(16) {
        let to = picked.join(p.file_name().unwrap());
        // The body alone, as a plain article: one layout for the whole corpus.
        let text = std::fs::read_to_string(p).unwrap();
        std::fs::write(&to, text.lines().skip(2).collect::<Vec<_>>().join("\n")).unwrap();
        files.push(to);
    }
    files.sort();
    files
}

/// Two writers ingesting the even and the odd files of a corpus at once end
/// with the graph one writer ingesting it all makes: the same entities, the
/// same triples.
fn two_writers_end_as_one(server: &Server) {
    let _taken = server.take();
    let dir = tempfile::tempdir().unwrap();
    let files = corpus(dir.path());
    // Every article read on its own: by default a writer also looks for the
    // names stored when it starts, which depends on when the other started.
    let one = |part: &[&PathBuf]| -> std::process::Child {
        let mut a = on(server, &["ingest", "-q", "--no-known-names"]);
        a.extend(part.iter().map(|f| f.display().to_string()));
        Command::new(env!("CARGO_BIN_EXE_musubi"))
            .args(a)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let even: Vec<&PathBuf> = files.iter().step_by(2).collect();
    let odd: Vec<&PathBuf> = files.iter().skip(1).step_by(2).collect();
    let (a, b) = (one(&even), one(&odd));
    for child in [a, b] {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let two = export(server.args());
    let two_count = server.count();
    let entities = |graph: &[String]| -> BTreeSet<String> {
        graph
            .iter()
            .filter(|l| {
                l.starts_with("<https://w3id.org/musubi/entity/") && l.contains("rdf-schema#label")
            })
            .cloned()
            .collect()
    };

    server.clear();
    let all: Vec<&PathBuf> = files.iter().collect();
    let out = one(&all).wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let single = export(server.args());
    assert_eq!(
        entities(&two),
        entities(&single),
        "{}: entities",
        server.name
    );
    assert_same(server.name, &two, &single);
    assert_eq!(two_count, server.count(), "{}: quads", server.name);
    // And both are what the embedded store makes.
    assert_same(
        "embedded",
        &single,
        &embedded_graph(&files, &["--no-known-names"]),
    );
}

#[test]
fn two_writers_on_oxigraph_server() {
    two_writers_end_as_one(servers::oxigraph());
}

#[test]
fn two_writers_on_virtuoso() {
    two_writers_end_as_one(servers::virtuoso());
}

/// The README's map-style recipe: `extract --format nquads` file by file (a
/// pure function, run here as a batch engine would), the pieces loaded with the
/// server's Graph Store Protocol, then `reconcile`: the graph `ingest` makes.
#[test]
fn the_map_style_recipe_gives_the_graph_ingest_gives() {
    let server = servers::oxigraph();
    let _taken = server.take();
    let dir = tempfile::tempdir().unwrap();
    let mut files = surname_articles(&dir.path().join("a"));
    files.extend(files_in(&data_dir()));
    // Map: each file on its own, in any order, as many processes as you like.
    let pieces = dir.path().join("pieces");
    std::fs::create_dir_all(&pieces).unwrap();
    for (i, f) in files.iter().rev().enumerate() {
        let nq = ok(musubi(&args(&[
            "extract",
            "--format",
            "nquads",
            "--default-graph",
            "https://w3id.org/musubi/default",
            &f.display().to_string(),
        ])));
        std::fs::write(pieces.join(format!("{i}.nq")), nq).unwrap();
    }
    // The same output from a file list on stdin.
    let list: String = files.iter().map(|f| format!("{}\n", f.display())).collect();
    let mut child = Command::new(env!("CARGO_BIN_EXE_musubi"))
        .args(["extract", "--format", "nquads", "--files-from", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), list.as_bytes()).unwrap();
    let listed = ok(child.wait_with_output().unwrap());
    assert!(listed.lines().count() > 500);
    // Load.
    for piece in std::fs::read_dir(&pieces).unwrap() {
        let status = Command::new("curl")
            .args([
                "-sS",
                "--fail",
                "-X",
                "POST",
                "-H",
                "Content-Type: application/n-quads",
            ])
            .arg("--data-binary")
            .arg(format!("@{}", piece.unwrap().path().display()))
            .arg(&server.graph_store)
            .status()
            .unwrap();
        assert!(status.success());
    }
    // Reduce.
    let report = ok(musubi(&on(server, &["reconcile"])));
    assert!(report.contains("reconciled 14 articles"), "{report}");
    assert_same(
        "recipe",
        &export(server.args()),
        &embedded_graph(&files, &[]),
    );
    // Reconciling again changes nothing.
    let again = ok(musubi(&on(server, &["reconcile"])));
    assert!(
        again.contains("0 rewritten; 0 article graphs rewritten"),
        "{again}"
    );
}
