//! What the tests of news constructions share: an extractor with the built-in
//! rules, and each fact written as `subject relation object`, so that a test
//! reads like the sentence it checks. Each test file uses what it needs.
#![allow(dead_code)]
use std::sync::OnceLock;

use musubi::{Article, Extraction, Extractor, Fact, Layout, Object, Rules};

/// The extraction of an article whose first line is its headline.
pub fn extract(text: &str) -> Extraction {
    static EXTRACTOR: OnceLock<Extractor> = OnceLock::new();
    EXTRACTOR
        .get_or_init(|| Extractor::new(Rules::builtin().unwrap()).unwrap())
        .extract(Article::from_text(text, Layout::Plain, None))
        .unwrap()
}

/// `subject relation object`, with the entities' labels.
pub fn fact_line(x: &Extraction, f: &Fact) -> String {
    let object = match &f.object {
        Object::Entity(e) => &x.entities[*e].label,
        Object::Literal { value, .. } => value,
    };
    format!("{} {} {object}", x.entities[f.subject].label, f.relation)
}

/// The facts of an article whose first line is its headline that `keep`
/// keeps, as `subject relation object`.
pub fn facts_where(text: &str, keep: impl Fn(&Fact) -> bool) -> Vec<String> {
    let x = extract(text);
    x.facts
        .iter()
        .filter(|f| keep(f))
        .map(|f| fact_line(&x, f))
        .collect()
}

/// Every closed fact of `x` as `subject relation object`, with `(former)`
/// or `(not asserted)` when it is not a present, asserted fact.
pub fn marked_facts(x: &Extraction) -> Vec<String> {
    x.facts
        .iter()
        .filter(|f| !f.open)
        .map(|f| {
            let mark = if f.is_former() {
                " (former)"
            } else if !f.asserted {
                " (not asserted)"
            } else {
                ""
            };
            format!("{}{mark}", fact_line(x, f))
        })
        .collect()
}

/// Fails naming each of `expected` that `got` lacks.
#[track_caller]
pub fn assert_has(got: &[String], expected: &[&str]) {
    for e in expected {
        assert!(got.iter().any(|g| g == e), "missing {e} in {got:#?}");
    }
}

/// Fails naming any of `unexpected` that `got` holds.
#[track_caller]
pub fn assert_lacks(got: &[String], unexpected: &[&str]) {
    for e in unexpected {
        assert!(got.iter().all(|g| g != e), "unexpected {e} in {got:#?}");
    }
}
