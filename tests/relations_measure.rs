//! Figures of the fact stage with the real pipeline, printed, not asserted:
//! `cargo test --release --test relations_measure -- --ignored --nocapture`.
use std::path::{Path, PathBuf};

use musubi::{eval, Extractor, Rules};

fn gold_files(dir: &str) -> Vec<PathBuf> {
    eval::gold_files(Path::new(dir)).unwrap()
}

#[test]
#[ignore = "measurement: prints P/R/F1 of dev, data/ and JacRED"]
fn measure_real_pipeline() {
    let ex = Extractor::new(Rules::builtin().unwrap()).unwrap();
    for dir in ["../shared/data/dev", "data"] {
        let pairs = eval::pair_inputs(&gold_files(dir)).unwrap();
        let report = eval::eval_gold(&ex, &pairs, None).unwrap();
        println!("== {dir}\n{}", report.to_text());
    }
    // Written after the rules of the first measurement, before any tuning on them.
    let fresh: Vec<PathBuf> = [
        "data/tech_cloud_acquisition.gold.json",
        "data/sports_baseball_manager.gold.json",
    ]
    .iter()
    .map(PathBuf::from)
    .collect();
    let report = eval::eval_gold(&ex, &eval::pair_inputs(&fresh).unwrap(), None).unwrap();
    println!("== new articles\n{}", report.to_text());
    let report = eval::eval_jacred(&ex, Path::new("../shared/data/jacred/dev.json")).unwrap();
    println!("== JacRED dev\n{}", report.to_text());
    if let Ok(path) = std::env::var("MUSUBI_JACRED_ERRORS") {
        let lines = |title: &str, v: &[eval::FactLine]| {
            std::iter::once(format!("== {title}"))
                .chain(v.iter().map(|f| {
                    format!(
                        "{} {} {} ({}) | {}",
                        f.subject,
                        f.relation,
                        f.object,
                        f.rule.as_deref().unwrap_or(""),
                        f.sentence.as_deref().unwrap_or("")
                    )
                }))
                .collect::<Vec<_>>()
        };
        let mut out = lines("wrong", &report.wrong);
        out.extend(lines("missed (one sentence)", &report.missed));
        std::fs::write(path, out.join("\n")).unwrap();
    }
}

/// Mentions, entities and facts of the articles named in `MUSUBI_DUMP`
/// (space-separated paths): for reading errors.
#[test]
#[ignore = "debugging aid: set MUSUBI_DUMP"]
fn dump_extractions() {
    let ex = Extractor::new(Rules::builtin().unwrap()).unwrap();
    let paths = std::env::var("MUSUBI_DUMP").unwrap_or_default();
    for p in paths.split_whitespace() {
        let article = musubi::Article::read(Path::new(p), musubi::Layout::Plain).unwrap();
        let x = ex.extract(article).unwrap();
        println!("== {p}");
        for (m, e) in x.mentions.iter().zip(&x.mention_entity) {
            println!("  m s{} {} {:?} -> {:?}", m.sentence, m.surface, m.etype, e);
        }
        for (i, e) in x.entities.iter().enumerate() {
            println!("  e{i} {} {:?}", e.label, e.etype);
        }
        for f in &x.facts {
            let o = match &f.object {
                musubi::Object::Entity(e) => x.entities[*e].label.clone(),
                musubi::Object::Literal { value, .. } => format!("\"{value}\""),
            };
            println!(
                "  f s{} {} {} {} [{}{}]",
                f.sentence,
                x.entities[f.subject].label,
                f.relation,
                o,
                f.rule,
                if f.asserted { "" } else { " hyp" }
            );
        }
    }
}

#[test]
#[ignore = "check: JacRED vertex spans land on their names in the article text"]
fn jacred_spans_align() {
    let docs = eval::read_jacred(Path::new("../shared/data/jacred/dev.json")).unwrap();
    let (mut ok, mut bad) = (0, 0);
    for doc in &docs {
        let article = doc.article();
        let chars: Vec<char> = article.text.chars().collect();
        for (v, s, e, _) in doc.mention_spans() {
            let got: String = chars
                .get(s..e)
                .map(|c| c.iter().collect())
                .unwrap_or_default();
            let want = musubi::names::name_key(&doc.vertex_set[v][0].name);
            if musubi::names::name_key(&got) == want
                || doc.vertex_set[v]
                    .iter()
                    .any(|m| musubi::names::name_key(&m.name) == musubi::names::name_key(&got))
            {
                ok += 1;
            } else {
                bad += 1;
                if bad < 8 {
                    println!("{:?} vs {:?}", got, doc.vertex_set[v][0].name);
                }
            }
        }
    }
    println!("aligned {ok}, not {bad}");
}
