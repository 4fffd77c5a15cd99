//! Tests of the entity stage. Mentions are built here, not by the recogniser:
//! either directly, or by marking given names in text run through the real
//! sentence splitter and tokeniser (what a good recogniser would hand over).
use std::sync::OnceLock;

use super::*;
use crate::document::{AnalyzedSentence, EntityType, Mention, MentionKind};
use crate::mentions::oracle_mentions;
use crate::names::name_key;
use crate::text::{Article, Layout};
use crate::{Extractor, Rules};

use EntityType::{Organization as Org, Person};

fn extractor() -> &'static Extractor {
    static EX: OnceLock<Extractor> = OnceLock::new();
    EX.get_or_init(|| Extractor::new(Rules::builtin().unwrap()).unwrap())
}

/// The sentences of `text`; the article they borrow from lives as long as the
/// test process (a few kilobytes per test).
fn analyze(text: &str) -> Vec<AnalyzedSentence<'static>> {
    let article = Box::leak(Box::new(Article::from_text(text, Layout::Plain, None)));
    extractor().analyze(article).unwrap()
}

/// Marks the given names, pronouns and anaphors (see [`oracle_mentions`]).
fn mark(sentences: &[AnalyzedSentence], names: &[(&str, EntityType)]) -> Vec<Mention> {
    oracle_mentions(sentences, names, &extractor().rules().ner)
}

fn rules() -> &'static ResolutionRules {
    &extractor().rules().resolution
}

/// The entity holding a spelling.
fn entity_of<'a>(res: &'a Resolution, alias: &str) -> Option<&'a crate::document::Entity> {
    res.entities.iter().find(|e| e.aliases.contains(alias))
}

fn same(res: &Resolution, a: &str, b: &str) -> bool {
    let ia = res.entities.iter().position(|e| e.aliases.contains(a));
    let ib = res.entities.iter().position(|e| e.aliases.contains(b));
    ia.is_some() && ia == ib
}

/// Label of the entity each pronoun/anaphor mention was resolved to, in order.
fn references(mentions: &[Mention], res: &Resolution) -> Vec<(String, Option<String>)> {
    mentions
        .iter()
        .zip(&res.mention_entity)
        .filter(|(m, _)| m.kind != MentionKind::Name)
        .map(|(m, e)| (m.surface.clone(), e.map(|e| res.entities[e].label.clone())))
        .collect()
}

/// Name mentions built without text: for tests of merging alone.
fn names(list: &[(&str, EntityType)]) -> Vec<Mention> {
    list.iter()
        .enumerate()
        .map(|(i, (n, t))| Mention::bare_name(i, n, *t))
        .collect()
}

#[test]
fn two_people_sharing_a_surname_stay_apart() {
    let m = names(&[("佐藤健", Person), ("佐藤優", Person)]);
    let res = resolve(&[], &m, rules());
    assert_eq!(res.entities.len(), 2);
    let m = names(&[("ヨハン・ソラン", Person), ("マリー・ソラン", Person)]);
    assert_eq!(resolve(&[], &m, rules()).entities.len(), 2);
}

#[test]
fn ambiguous_surname_goes_to_the_person_just_mentioned_or_stays_apart() {
    let text = "佐藤健氏と佐藤優氏が会談した。佐藤氏は合意を発表した。\
                会談は長引いた。交渉は続いた。市場は反応しなかった。佐藤氏は再び語った。";
    let sentences = analyze(text);
    let mentions = mark(
        &sentences,
        &[("佐藤健", Person), ("佐藤優", Person), ("佐藤", Person)],
    );
    let res = resolve(&sentences, &mentions, rules());
    let label = |i: usize| res.mention_entity[i].map(|e| res.entities[e].label.clone());
    assert_eq!(mentions[2].name, "佐藤");
    // Next sentence: the most recently named 佐藤.
    assert_eq!(label(2).as_deref(), Some("佐藤優"));
    // Far from both full names: an entity of its own.
    assert_eq!(label(3).as_deref(), Some("佐藤"));
    assert_eq!(res.entities.len(), 3);
    // The ambiguous surname is not an alias of either person.
    assert!(!entity_of(&res, "佐藤健").unwrap().aliases.contains("佐藤"));
}

#[test]
fn organisation_and_person_sharing_a_name_stay_apart() {
    let m = names(&[
        ("本田技研工業", Org),
        ("本田宗一郎", Person),
        ("本田", Person),
    ]);
    let res = resolve(&[], &m, rules());
    assert_eq!(res.entities.len(), 2);
    assert!(same(&res, "本田", "本田宗一郎"));
    // A common noun tagged as a product does not join a person who sounds like it.
    let m = names(&[("サーバー", EntityType::Product), ("サーバ", Person)]);
    assert_eq!(resolve(&[], &m, rules()).entities.len(), 2);
    // The same two spellings of one type are one thing.
    let m = names(&[
        ("サーバー", EntityType::Product),
        ("サーバ", EntityType::Product),
    ]);
    assert_eq!(resolve(&[], &m, rules()).entities.len(), 1);
}

#[test]
fn company_short_forms_merge_but_sibling_companies_do_not() {
    let m = names(&[("楽天グループ", Org), ("楽天", Org)]);
    let res = resolve(&[], &m, rules());
    assert_eq!(res.entities.len(), 1);
    assert_eq!(res.entities[0].label, "楽天グループ");
    let m = names(&[("三菱自動車", Org), ("三菱電機", Org)]);
    assert_eq!(resolve(&[], &m, rules()).entities.len(), 2);
    // A bare name fitting both siblings is not merged with either, far from them.
    let m = names(&[("三菱自動車", Org), ("三菱電機", Org), ("三菱", Org)]);
    let res = resolve(&[], &m, rules());
    assert_eq!(
        res.mention_entity[2].map(|e| res.entities[e].label.as_str()),
        Some("三菱電機")
    );
    // A parent company is not its subsidiary.
    let m = names(&[("ルミナ・リサーチ", Org), ("ルミナ", Org)]);
    assert_eq!(resolve(&[], &m, rules()).entities.len(), 2);
}

#[test]
fn conflicting_types_are_decided_by_the_majority() {
    let m = names(&[("ソラン", Person), ("ソラン", Org), ("ソラン", Person)]);
    let res = resolve(&[], &m, rules());
    assert_eq!(res.entities.len(), 1);
    assert_eq!(res.entities[0].etype, Person);
}

#[test]
fn titles_and_widths_are_folded_into_one_spelling() {
    let m = names(&[
        ("ソラン氏", Person),
        ("ｿﾗﾝ", Person),
        ("ＭＥＴＡ", Org),
        ("META", Org),
    ]);
    let res = resolve(&[], &m, rules());
    assert_eq!(res.entities.len(), 2, "{:#?}", res.entities);
    assert_eq!(res.entities[0].label, "ソラン");
}

#[test]
fn anaphor_head_narrows_to_matching_organisations() {
    let text = "理化学研究所は東京大学と提携した。同大学は新しい研究所を開く。";
    let sentences = analyze(text);
    let mentions = mark(&sentences, &[("理化学研究所", Org), ("東京大学", Org)]);
    let res = resolve(&sentences, &mentions, rules());
    assert_eq!(
        references(&mentions, &res),
        vec![("同大学".to_string(), Some("東京大学".to_string()))]
    );
}

#[test]
fn he_and_she_do_not_share_a_referent() {
    let text = "田中美咲氏は山田太郎氏と会った。彼女は提携を提案した。彼は同意した。";
    let sentences = analyze(text);
    let mentions = mark(&sentences, &[("田中美咲", Person), ("山田太郎", Person)]);
    let res = resolve(&sentences, &mentions, rules());
    assert_eq!(
        references(&mentions, &res),
        vec![
            ("彼女".to_string(), Some("田中美咲".to_string())),
            ("彼".to_string(), Some("山田太郎".to_string())),
        ]
    );
}

#[test]
fn object_anaphor_is_not_its_own_clause_subject() {
    let text = "トヨタ自動車はデンソーと協議した。スズキは同社を買収した。";
    let sentences = analyze(text);
    let mentions = mark(
        &sentences,
        &[("トヨタ自動車", Org), ("デンソー", Org), ("スズキ", Org)],
    );
    let res = resolve(&sentences, &mentions, rules());
    let got = references(&mentions, &res);
    assert_eq!(got.len(), 1);
    assert_ne!(got[0].1.as_deref(), Some("スズキ"));
}

#[test]
fn builtin_resolution_rules_parse() {
    let text = crate::rules::RESOLUTION_RULES.1;
    let parsed: ResolutionRules = toml::from_str(text).unwrap();
    assert!(!parsed.names.honorifics.is_empty());
}

#[test]
fn variants_that_meet_through_a_third_spelling_merge() {
    // セラン and ソロン are two vowels apart; ソラン is one from each.
    let m = names(&[("セラン", Person), ("ソロン", Person), ("ソラン", Person)]);
    let res = resolve(&[], &m, rules());
    assert_eq!(res.entities.len(), 1, "{:#?}", res.entities);
    // But a bare surname shared by two different full names joins neither
    // when they are far away.
    let m = names(&[
        ("ヨハン・ソラン", Person),
        ("マリー・ソラン", Person),
        ("x", Org),
        ("x", Org),
        ("ソラン", Person),
    ]);
    let res = resolve(&[], &m, rules());
    let label = res.mention_entity[4].map(|e| res.entities[e].label.as_str());
    assert_eq!(label, Some("ソラン"));
}

/// Pairwise precision and recall of name merging on JacRED dev (300 Wikipedia
/// documents whose entity mentions are grouped by hand), with the gold mention
/// spans and types as input: this measures the entity stage alone. Baseline:
/// merging identical spellings only. Run with MUSUBI_SHOW=1 to see the figures
/// and the wrong merges.
#[test]
fn jacred_name_merging_precision_and_recall() {
    let path = "../shared/data/jacred/dev.json";
    let docs: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(path).expect(path)).unwrap();
    let show = std::env::var_os("MUSUBI_SHOW").is_some();
    let (mut tp, mut fp, mut fn_, mut base_tp, mut base_fp) = (0usize, 0usize, 0usize, 0, 0);
    for doc in &docs {
        let mut ms: Vec<(Mention, usize)> = Vec::new();
        for (vi, vertex) in doc["vertexSet"].as_array().unwrap().iter().enumerate() {
            for m in vertex.as_array().unwrap() {
                let etype = match m["type"].as_str().unwrap() {
                    "PER" => Person,
                    "ORG" => Org,
                    "LOC" => EntityType::Place,
                    "ART" => EntityType::Product,
                    _ => continue,
                };
                let name = m["name"].as_str().unwrap().to_string();
                let sent = m["sent_id"].as_u64().unwrap() as usize;
                let pos = m["pos"][0].as_u64().unwrap() as usize;
                ms.push((
                    Mention {
                        sentence: sent,
                        tokens: 0..0,
                        start: pos,
                        end: pos + 1,
                        surface: name.clone(),
                        name,
                        etype,
                        kind: MentionKind::Name,
                        confidence: 0.8,
                    },
                    vi,
                ));
            }
        }
        ms.sort_by_key(|(m, _)| (m.sentence, m.start));
        let mentions: Vec<Mention> = ms.iter().map(|(m, _)| m.clone()).collect();
        let res = resolve(&[], &mentions, rules());
        for i in 0..ms.len() {
            for j in i + 1..ms.len() {
                let gold = ms[i].1 == ms[j].1;
                let pred = res.mention_entity[i].is_some()
                    && res.mention_entity[i] == res.mention_entity[j];
                let base = name_key(&mentions[i].name) == name_key(&mentions[j].name);
                match (gold, pred) {
                    (true, true) => tp += 1,
                    (false, true) => {
                        fp += 1;
                        if show && !base {
                            eprintln!("wrong merge: {} / {}", mentions[i].name, mentions[j].name);
                        }
                    }
                    (true, false) => {
                        fn_ += 1;
                        if std::env::var_os("MUSUBI_SHOW_MISSES").is_some() {
                            eprintln!("missed: {} / {}", mentions[i].name, mentions[j].name);
                        }
                    }
                    _ => {}
                }
                match (gold, base) {
                    (true, true) => base_tp += 1,
                    (false, true) => base_fp += 1,
                    _ => {}
                }
            }
        }
    }
    let p = tp as f64 / (tp + fp) as f64;
    let r = tp as f64 / (tp + fn_) as f64;
    let bp = base_tp as f64 / (base_tp + base_fp) as f64;
    let br = base_tp as f64 / (tp + fn_) as f64;
    if show {
        eprintln!("jacred dev pairs: P {p:.3} R {r:.3} (tp {tp} fp {fp} fn {fn_}); identical spellings only: P {bp:.3} R {br:.3}");
    }
    // Merging variants must gain recall without giving up much precision.
    assert!(r > br, "recall {r:.3} vs baseline {br:.3}");
    assert!(p >= 0.95, "precision {p:.3}");
}

#[test]
fn a_kanji_prefix_is_a_surname_only_where_the_dictionary_splits_the_name() {
    let text = "森本健太氏が創業した。森本氏は語った。森氏は反対した。";
    let sentences = analyze(text);
    let mentions = mark(
        &sentences,
        &[("森本健太", Person), ("森本", Person), ("森", Person)],
    );
    let res = resolve(&sentences, &mentions, rules());
    assert!(same(&res, "森本", "森本健太"));
    assert!(!same(&res, "森", "森本健太"), "{:#?}", res.entities);
}

/// Robustness on real news of every livedoor category (whatever the current
/// recogniser finds): references point at entities of their own type, every
/// entity is used, and labels are among the aliases.
#[test]
fn livedoor_articles_resolve_to_well_formed_entities() {
    let root = std::path::Path::new("../shared/data/livedoor/text");
    let mut categories: Vec<_> = std::fs::read_dir(root)
        .expect("../shared/data/livedoor/text")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    categories.sort();
    let mut articles = 0;
    for dir in categories {
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .filter(|p| !p.ends_with("LICENSE.txt"))
            .collect();
        files.sort();
        for path in files.into_iter().take(5) {
            let text = std::fs::read_to_string(&path).unwrap();
            let article = Article::from_text(&text, Layout::Plain, None);
            let sentences = extractor().analyze(&article).unwrap();
            let (mentions, _) = crate::mentions::recognize(&sentences, &extractor().rules().ner);
            let res = resolve(&sentences, &mentions, rules());
            assert_eq!(res.mention_entity.len(), mentions.len());
            let mut used = vec![false; res.entities.len()];
            for (m, e) in mentions.iter().zip(&res.mention_entity) {
                if let Some(e) = *e {
                    used[e] = true;
                    if m.kind != MentionKind::Name {
                        assert_eq!(res.entities[e].etype, m.etype, "{}", path.display());
                    }
                }
            }
            assert!(used.iter().all(|u| *u), "{}", path.display());
            for e in &res.entities {
                assert!(e.aliases.contains(&e.label), "{}: {e:?}", path.display());
            }
            articles += 1;
        }
    }
    assert!(articles >= 40, "{articles} articles");
}

#[test]
fn a_person_spelling_mistyped_by_the_recogniser_joins_by_cue_strength() {
    let m = names(&[
        ("ヨハン・ソラン", Person),
        ("ソラン", Person),
        ("セラン", Org),
        ("ソロン", Person),
        ("ソロン", Person),
    ]);
    let res = resolve(&[], &m, rules());
    assert_eq!(res.entities.len(), 1, "{:#?}", res.entities);
    assert_eq!(res.entities[0].etype, Person);
    // An organisation spelt exactly like a person's surname stays apart, and
    // so does a kanji one.
    let m = names(&[
        ("ウォルト・ディズニー", Person),
        ("ディズニー", Person),
        ("ディズニー", Person),
        ("ディズニー社", Org),
        ("本田宗一郎", Person),
        ("本田", Person),
        ("本田", Person),
        ("本田", Org),
    ]);
    let res = resolve(&[], &m, rules());
    assert!(!same(&res, "ディズニー社", "ウォルト・ディズニー"));
    // (本田 is one spelling, so its type is voted: Person, with the founder.)
    assert_eq!(res.entities.len(), 3, "{:#?}", res.entities);
    // A mistyped spelling mentioned more than the person is not overruled.
    let m = names(&[("ヨハン・ソラン", Person), ("セラン", Org), ("セラン", Org)]);
    assert_eq!(resolve(&[], &m, rules()).entities.len(), 2);
}

#[test]
fn a_name_cut_short_keeps_the_role_of_its_phrase() {
    // The recogniser found 北斗 of 北斗技研: the topic particle after the whole
    // noun phrase still makes it the topic, and 同社 the topic company rather
    // than a fund named as a subject in the headline.
    let text = "半導体新興の北斗技研、資金を調達 米ファンドが出資\n半導体の北斗技研(Hokuto Giken)は12日、資金調達を発表した。米ファンドの東光キャピタルなどが出資した。\n同社は2019年に設立された。";
    let sentences = analyze(text);
    let mentions = mark(
        &sentences,
        &[
            ("北斗", Org),
            ("ファンド", Org),
            ("Hokuto Giken", EntityType::Product),
            ("東光キャピタル", Org),
        ],
    );
    let res = resolve(&sentences, &mentions, rules());
    assert_eq!(
        references(&mentions, &res),
        vec![("同社".to_string(), Some("北斗".to_string()))]
    );
}
