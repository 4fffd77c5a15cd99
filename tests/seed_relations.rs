//! The seed article through the public API: the facts the project was
//! specified by, as the real pipeline (recogniser, coreference, fact stage)
//! finds them. Entity labels are the recogniser's spellings, so a side matches
//! when the label contains the name asked for.
use musubi::{Article, Extraction, Extractor, Fact, Layout, Object, Rules};

fn seed() -> Extraction {
    let ex = Extractor::new(Rules::builtin().unwrap()).unwrap();
    let article = Article::read(
        std::path::Path::new("../shared/data/seed/article.txt"),
        Layout::Plain,
    )
    .unwrap();
    ex.extract(article).unwrap()
}

fn object_text(x: &Extraction, f: &Fact) -> String {
    match &f.object {
        Object::Entity(e) => x.entities[*e].label.clone(),
        Object::Literal { value, .. } => format!("\"{value}\""),
    }
}

/// The first asserted fact `subject relation object` whose sides contain the names.
#[track_caller]
fn find<'a>(x: &'a Extraction, subject: &str, relation: &str, object: &str) -> &'a Fact {
    x.facts
        .iter()
        .find(|f| {
            !f.open
                && f.relation == relation
                && x.entities[f.subject].label.contains(subject)
                && object_text(x, f).contains(object)
        })
        .unwrap_or_else(|| {
            let all: Vec<String> = x
                .facts
                .iter()
                .map(|f| {
                    format!(
                        "{} {} {}",
                        x.entities[f.subject].label,
                        f.relation,
                        object_text(x, f)
                    )
                })
                .collect();
            panic!("missing {subject} {relation} {object}: {all:#?}")
        })
}

fn qualifier(f: &Fact, property: &str) -> Vec<String> {
    f.qualifiers
        .iter()
        .filter(|q| q.property == property)
        .map(|q| q.value.clone())
        .collect()
}

#[test]
fn seed_article_people_and_organisations() {
    let x = seed();
    for (s, r, o) in [
        ("ジョエル・ピノー", "moved_to", "コヒア"),
        (
            "アレクサンドル・ワン",
            "heads",
            "スーパインテリジェンス部門",
        ),
        ("アレクサンドル・ワン", "founded", "Scale AI"),
        ("ヤン・ルカン", "reports_to", "アレクサンドル・ワン"),
        ("ションジア・ジャオ", "joined", "スーパインテリジェンスラボ"),
    ] {
        find(&x, s, r, o);
    }
}

#[test]
fn seed_article_investment_with_amount_and_share() {
    let x = seed();
    let inv = find(&x, "ザッカーバーグ", "invested_in", "Scale AI");
    assert!(qualifier(inv, "amount").contains(&"14300000000".to_string()));
    assert!(qualifier(inv, "share").contains(&"49".to_string()));
}

#[test]
fn seed_article_benchmark_rivals() {
    let x = seed();
    for rival in ["Anthropic", "OpenAI"] {
        find(&x, rival, "outperformed", "Llama 4");
    }
}

#[test]
fn seed_article_role_qualifier_of_joining() {
    let x = seed();
    let joined = find(
        &x,
        "ションジア・ジャオ",
        "joined",
        "スーパインテリジェンスラボ",
    );
    assert!(
        qualifier(joined, "role").contains(&"チーフサイエンティスト".to_string()),
        "{:?}",
        joined.qualifiers
    );
}
