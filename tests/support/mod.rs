//! Helpers shared by the test binaries: running the built `musubi`, a corpus of
//! livedoor articles, a store's quads as comparable text, and real SPARQL
//! servers (`servers`).
#![allow(dead_code)]
pub mod servers;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use musubi::rdf::ARTICLE;
use musubi::store::Store;
use oxigraph::model::GraphName;

pub const LIVEDOOR: &str = "../shared/data/livedoor/text";

/// Runs the built `musubi` on the store at `store`.
pub fn musubi(store: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_musubi"))
        .arg("--store")
        .arg(store)
        .args(args)
        .output()
        .expect("musubi runs")
}

/// The standard output of a run that must succeed.
pub fn ok(out: Output) -> String {
    assert!(
        out.status.success(),
        "musubi failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

/// The article the project started from.
pub fn seed() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/seed/article.txt")
}

/// Copies `n` livedoor articles (spread over the categories) and one LICENSE.txt
/// into `dir`, as a user's archive would hold them.
pub fn corpus(dir: &Path, n: usize) {
    std::fs::create_dir_all(dir).unwrap();
    let mut files: Vec<PathBuf> = Vec::new();
    for cat in std::fs::read_dir(LIVEDOOR).expect("livedoor corpus") {
        let cat = cat.unwrap().path();
        if cat.is_dir() {
            for f in std::fs::read_dir(&cat).unwrap() {
                files.push(f.unwrap().path());
            }
        }
    }
    files.sort();
    let articles: Vec<_> = files
        .iter()
        .filter(|p| !p.ends_with("LICENSE.txt"))
        .collect();
    let step = articles.len() / n;
    for p in articles.into_iter().step_by(step).take(n) {
        std::fs::copy(p, dir.join(p.file_name().unwrap())).unwrap();
    }
    let license = files.iter().find(|p| p.ends_with("LICENSE.txt")).unwrap();
    std::fs::copy(license, dir.join("LICENSE.txt")).unwrap();
}

/// A quad as text: subject, predicate, object, graph ("" for the default graph).
pub type Q = (String, String, String, String);

/// Every article quad, without the ingest timestamps (the only triples that differ
/// between two runs over the same files).
pub fn quads(store: &Path) -> BTreeSet<Q> {
    let store = Store::open_read_only(store).expect("store opens after the crash");
    store
        .oxigraph()
        .iter()
        .map(|q| {
            let q = q.expect("readable quad");
            let graph = match &q.graph_name {
                GraphName::DefaultGraph => String::new(),
                g => g.to_string(),
            };
            (
                q.subject.to_string(),
                q.predicate.to_string(),
                q.object.to_string(),
                graph,
            )
        })
        // The vocabulary graph is loaded whole at creation and has blank nodes,
        // which differ between stores.
        .filter(|q| !q.1.contains("prov#generatedAtTime") && !q.3.ends_with("/ontology>"))
        .collect()
}

/// IRIs (in angle brackets) of the stored articles.
pub fn articles(quads: &BTreeSet<Q>) -> BTreeSet<String> {
    quads
        .iter()
        .filter(|q| {
            q.1 == "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
                && q.2 == "<https://w3id.org/musubi/ontology#Article>"
                && q.3.is_empty()
        })
        .map(|q| q.0.clone())
        .collect()
}

/// The article a named graph belongs to: `<…/article/ID>` for `<…/article/ID/open>`.
pub fn article_of_graph(graph: &str) -> Option<String> {
    let id = graph.strip_prefix('<')?.strip_prefix(ARTICLE)?;
    Some(format!("<{ARTICLE}{}>", id.split(['/', '>']).next()?))
}

/// The quads of `reference` that belong to `article`: in its graphs, about it, or
/// pointing at it (`?entity mo:mentionedIn <article>`).
pub fn quads_of<'a>(reference: &'a BTreeSet<Q>, article: &str) -> Vec<&'a Q> {
    reference
        .iter()
        .filter(|q| {
            q.0 == article || q.2 == article || article_of_graph(&q.3).is_some_and(|a| a == article)
        })
        .collect()
}

/// True when `q` is a node's `rdfs:label` that the full run, `reference`, keeps
/// as an altLabel: a later article gave the node a fuller name, which became
/// its label.
pub fn superseded_label(reference: &BTreeSet<Q>, q: &Q) -> bool {
    q.1 == "<http://www.w3.org/2000/01/rdf-schema#label>"
        && reference.contains(&(
            q.0.clone(),
            "<http://www.w3.org/2004/02/skos/core#altLabel>".to_string(),
            q.2.clone(),
            q.3.clone(),
        ))
}
