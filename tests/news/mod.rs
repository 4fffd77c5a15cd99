//! What the tests of news constructions share: an extractor with the built-in
//! rules, and each fact written as `subject relation object`, so that a test
//! reads like the sentence it checks.
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
