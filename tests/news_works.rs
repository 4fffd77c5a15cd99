//! How entertainment and culture news writes who is in a work, who made it,
//! who published it and who won what (issue 13), each on invented names
//! through the whole pipeline: cast lists and credits, roles, filmographies,
//! authors and directors, publishers, prizes; and the lines that name a work
//! and a person without relating them.
use std::sync::OnceLock;

use musubi::{Article, Extraction, Extractor, Layout, Object, Rules};

fn extractor() -> &'static Extractor {
    static EX: OnceLock<Extractor> = OnceLock::new();
    EX.get_or_init(|| Extractor::new(Rules::builtin().unwrap()).unwrap())
}

/// The facts of an article whose first line is `headline` and whose body is
/// `body`, as `subject relation object`, asserted ones only.
fn facts(headline: &str, body: &str) -> Vec<String> {
    let text = format!("{headline}\n{body}");
    let x: Extraction = extractor()
        .extract(Article::from_text(&text, Layout::Plain, None))
        .unwrap();
    x.facts
        .iter()
        .filter(|f| !f.open && f.asserted)
        .map(|f| {
            let object = match &f.object {
                Object::Entity(e) => x.entities[*e].label.clone(),
                Object::Literal { value, .. } => value.clone(),
            };
            format!("{} {} {object}", x.entities[f.subject].label, f.relation)
        })
        .collect()
}

#[track_caller]
fn has(body: &str, expected: &[&str]) {
    let got = facts("新作映画の話題", body);
    for e in expected {
        assert!(got.iter().any(|g| g == e), "missing {e} in {got:#?}");
    }
}

#[track_caller]
fn lacks(body: &str, relation: &str) {
    let got: Vec<String> = facts("新作映画の話題", body)
        .into_iter()
        .filter(|g| g.split(' ').nth(1) == Some(relation))
        .collect();
    assert!(got.is_empty(), "unexpected {got:#?}");
}

/// A title may be any phrase, verbs and particles included: it is one name
/// to the grammar, so the clause before it still relates to it.
#[test]
fn titles_made_of_any_words() {
    has(
        "山田花子が主演する映画『青い空』が来月公開される。",
        &["山田花子 performed_in 青い空"],
    );
    has(
        "山田花子、鈴木一郎らが出演する『空を見上げる少女』が公開される。",
        &[
            "山田花子 performed_in 空を見上げる少女",
            "鈴木一郎 performed_in 空を見上げる少女",
        ],
    );
    has(
        "田中一郎が監督した映画『青い空』が公開される。",
        &["田中一郎 created 青い空"],
    );
    // 新作『Y』: the noun before a title is in apposition, not a headline verb.
    has(
        "田中一郎の新作『ブルースカイ』が話題だ。",
        &["田中一郎 created ブルースカイ"],
    );
}
