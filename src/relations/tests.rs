//! Tests of the fact stage on sentences written for them, with mentions built
//! from a list of names ("oracle" mentions), so the stage is tested apart from
//! the recogniser; and on the dev articles, with the real pipeline and with
//! oracle mentions from the gold aliases. The seed article is tested through
//! the public API in tests/seed_relations.rs.
use std::collections::BTreeSet;
use std::path::PathBuf;

use crate::document::{
    AnalyzedSentence, Entity, EntityType, Extraction, Fact, Mention, MentionKind, Object,
    Resolution, ValueMention,
};
use crate::eval::{read_gold, score_extractions, GoldFile};
use crate::text::{Article, Layout};
use crate::{Extractor, Rules};

fn extractor() -> Extractor {
    Extractor::new(Rules::builtin().unwrap()).unwrap()
}

/// Mentions of every alias (longest first, no overlaps) of the given entities,
/// and 彼/彼女 resolved to the last person named before them.
fn oracle(
    sentences: &[AnalyzedSentence],
    entities: &[(Vec<&str>, EntityType)],
) -> (Vec<Mention>, Resolution) {
    let mut found: Vec<(usize, usize, usize, usize, String)> = Vec::new(); // sentence, start, end, entity, alias
    for (si, s) in sentences.iter().enumerate() {
        let chars: Vec<char> = s.sentence.text.chars().collect();
        let mut taken = vec![false; chars.len()];
        let mut aliases: Vec<(usize, &str)> = entities
            .iter()
            .enumerate()
            .flat_map(|(e, (names, _))| names.iter().map(move |n| (e, *n)))
            .collect();
        aliases.sort_by_key(|(_, a)| std::cmp::Reverse(a.chars().count()));
        for (e, alias) in aliases {
            let a: Vec<char> = alias.chars().collect();
            let mut i = 0;
            while i + a.len() <= chars.len() {
                if chars[i..i + a.len()] == a[..] && !taken[i..i + a.len()].iter().any(|t| *t) {
                    taken[i..i + a.len()].iter_mut().for_each(|t| *t = true);
                    found.push((
                        si,
                        s.sentence.start + i,
                        s.sentence.start + i + a.len(),
                        e,
                        alias.to_string(),
                    ));
                    i += a.len();
                } else {
                    i += 1;
                }
            }
        }
        for (i, c) in chars.iter().enumerate() {
            // 彼ら is plural: not a person pronoun.
            if *c == '彼' && !taken[i] && chars.get(i + 1) != Some(&'ら') {
                let len = if chars.get(i + 1) == Some(&'女') {
                    2
                } else {
                    1
                };
                found.push((
                    si,
                    s.sentence.start + i,
                    s.sentence.start + i + len,
                    usize::MAX,
                    "彼".into(),
                ));
            }
        }
    }
    found.sort();
    let mut res = Resolution {
        entities: entities
            .iter()
            .map(|(names, t)| Entity {
                etype: *t,
                label: names[0].to_string(),
                aliases: names.iter().map(|n| n.to_string()).collect::<BTreeSet<_>>(),
                joinable: true,
            })
            .collect(),
        mention_entity: Vec::new(),
    };
    let mut mentions = Vec::new();
    // 彼 refers to the last person named before it, skipping a が-subject of
    // its own sentence (XがYに報告: 彼 is not X).
    let mut last_person = None;
    let mut last_subject: Option<(usize, usize)> = None;
    let mut previous_person = None;
    for (si, start, end, e, alias) in found {
        let s = &sentences[si];
        let pronoun = e == usize::MAX;
        if pronoun {
            if let Some((ssi, se)) = last_subject {
                if ssi == si && last_person == Some(se) {
                    last_person = previous_person;
                }
            }
        }
        mentions.push(Mention {
            sentence: si,
            tokens: s.token_range(start, end),
            start,
            end,
            surface: alias.clone(),
            name: alias,
            etype: if pronoun {
                EntityType::Person
            } else {
                entities[e].1
            },
            kind: if pronoun {
                MentionKind::Pronoun
            } else {
                MentionKind::Name
            },
            confidence: 1.0,
        });
        if pronoun {
            res.mention_entity.push(last_person);
        } else {
            if entities[e].1 == EntityType::Person {
                if last_person != Some(e) {
                    previous_person = last_person;
                }
                last_person = Some(e);
                let next = s.sentence.text.chars().nth(end - s.sentence.start);
                last_subject = (next == Some('が')).then_some((si, e));
            }
            res.mention_entity.push(Some(e));
        }
    }
    (mentions, res)
}

/// Values of every sentence, from the recogniser's value reader.
fn values_of(ex: &Extractor, sentences: &[AnalyzedSentence]) -> Vec<ValueMention> {
    sentences
        .iter()
        .enumerate()
        .flat_map(|(si, s)| crate::mentions::values::find(s, si, &ex.rules().ner))
        .collect()
}

/// Runs the fact stage over oracle mentions and wraps the result for scoring.
fn oracle_extraction(
    ex: &Extractor,
    article: &Article,
    sentences: Vec<AnalyzedSentence>,
    mentions: Vec<Mention>,
    res: Resolution,
) -> Extraction {
    let values = values_of(ex, &sentences);
    let facts = super::extract(&sentences, &mentions, &values, &res, &ex.rules().relations);
    Extraction {
        sentences: sentences.into_iter().map(|s| s.sentence).collect(),
        article: article.clone(),
        mentions,
        values,
        entities: res.entities,
        mention_entity: res.mention_entity,
        facts,
    }
}

/// Facts of `text` with oracle mentions of `entities`, and the same facts as
/// `subject relation object` lines (entity labels, literals quoted).
fn facts_of(text: &str, entities: &[(Vec<&str>, EntityType)]) -> (Vec<Fact>, Vec<String>) {
    let ex = extractor();
    let article = Article::from_text(text, Layout::Plain, None);
    let sentences = ex.analyze(&article).unwrap();
    let (mentions, res) = oracle(&sentences, entities);
    let x = oracle_extraction(&ex, &article, sentences, mentions, res);
    let lines = x
        .facts
        .iter()
        .filter(|f| !f.open)
        .map(|f| {
            let o = match &f.object {
                Object::Entity(e) => x.entities[*e].label.clone(),
                Object::Literal { value, .. } => format!("\"{value}\""),
            };
            format!("{} {} {}", x.entities[f.subject].label, f.relation, o)
        })
        .collect();
    (x.facts, lines)
}

#[track_caller]
fn assert_has(lines: &[String], wanted: &[&str]) {
    for w in wanted {
        assert!(lines.iter().any(|l| l == w), "missing {w}: {lines:?}");
    }
}

/// The first fact of a relation.
#[track_caller]
fn fact<'a>(facts: &'a [Fact], relation: &str) -> &'a Fact {
    facts
        .iter()
        .find(|f| f.relation == relation)
        .unwrap_or_else(|| panic!("no {relation} fact"))
}

fn has_qualifier(f: &Fact, property: &str, value: &str) -> bool {
    f.qualifiers
        .iter()
        .any(|q| q.property == property && q.value == value)
}

use EntityType::{Award, Concept, Organization as Org, Person, Place, Product};

#[test]
fn verb_frame_with_particles() {
    let (f, l) = facts_of(
        "山川一郎氏が北斗重工から東邦電機に移籍した。",
        &[
            (vec!["山川一郎"], Person),
            (vec!["北斗重工"], Org),
            (vec!["東邦電機"], Org),
        ],
    );
    assert_has(
        &l,
        &["山川一郎 moved_to 東邦電機", "山川一郎 left 北斗重工"],
    );
    assert!(f
        .iter()
        .all(|f| f.asserted && f.confidence > 0.0 && f.confidence <= 1.0));
}

#[test]
fn passive_with_zero_subject_and_coordination() {
    // The passive subject is the topic of the previous sentence; に marks the agents.
    let (_, l) = facts_of(
        "一方、青葉FCの新戦術は不発に終わった。若葉SC、港FC、そして桜FCに圧倒された。",
        &[
            (vec!["新戦術"], Product),
            (vec!["若葉SC"], Org),
            (vec!["港FC"], Org),
            (vec!["桜FC"], Org),
            (vec!["青葉FC"], Org),
        ],
    );
    assert_has(
        &l,
        &[
            "若葉SC outperformed 新戦術",
            "港FC outperformed 新戦術",
            "桜FC outperformed 新戦術",
        ],
    );
}

#[test]
fn founded_in_year_literal_from_passive() {
    let (f, l) = facts_of(
        "北洋大学は1949年に札幌市で設立された。",
        &[(vec!["北洋大学"], Org), (vec!["札幌市"], Place)],
    );
    assert_has(&l, &["北洋大学 founded_in \"1949\""]);
    assert!(matches!(
        &fact(&f, "founded_in").object,
        Object::Literal {
            kind: crate::ValueKind::Year,
            ..
        }
    ));
}

#[test]
fn topic_fills_object_and_chain_shares_subject() {
    let (_, l) = facts_of(
        "東邦電機は1990年に佐藤健氏が設立し、大阪市に本社を置く。",
        &[
            (vec!["東邦電機"], Org),
            (vec!["佐藤健"], Person),
            (vec!["大阪市"], Place),
        ],
    );
    assert_has(
        &l,
        &[
            "佐藤健 founded 東邦電機",
            "東邦電機 founded_in \"1990\"",
            "東邦電機 headquartered_in 大阪市",
        ],
    );
}

#[test]
fn make_someone_the_head_of_something() {
    let (f, l) = facts_of(
        "会長は鈴木花子氏を新設の宇宙事業部の責任者にした。",
        &[(vec!["鈴木花子"], Person), (vec!["宇宙事業部"], Org)],
    );
    assert_has(&l, &["鈴木花子 heads 宇宙事業部"]);
    assert!(has_qualifier(fact(&f, "heads"), "role", "責任者"));
}

#[test]
fn role_nouns_in_apposition_and_copula() {
    let (_, l) = facts_of(
        "東邦電機の創業者である佐藤健氏が講演した。北斗重工の田村明社長は増産を表明した。港銀行の頭取、川口誠氏も出席した。",
        &[(vec!["東邦電機"], Org), (vec!["佐藤健"], Person), (vec!["北斗重工"], Org), (vec!["田村明"], Person), (vec!["港銀行"], Org), (vec!["川口誠"], Person)],
    );
    assert_has(&l, &["佐藤健 founded 東邦電機", "田村明 heads 北斗重工"]);
    let (_, l) = facts_of(
        "川口誠氏は港銀行の頭取だ。",
        &[(vec!["港銀行"], Org), (vec!["川口誠"], Person)],
    );
    assert_has(&l, &["川口誠 heads 港銀行"]);
}

#[test]
fn relative_clause_head_fills_the_gap() {
    let (_, l) = facts_of(
        "「量子暗号」に焦点を当てたクオンタムラボが資金を集めた。",
        &[(vec!["量子暗号"], Concept), (vec!["クオンタムラボ"], Org)],
    );
    assert_has(&l, &["クオンタムラボ focuses_on 量子暗号"]);
}

#[test]
fn negation_and_plans_are_not_asserted() {
    let ents = [(vec!["北洋電機"], Org), (vec!["サクラ工業"], Org)];
    for (text, asserted) in [
        ("北洋電機はサクラ工業を買収しなかった。", false),
        ("北洋電機はサクラ工業を買収する方針だ。", false),
        ("北洋電機はサクラ工業を買収したと発表した。", true),
    ] {
        let (f, _) = facts_of(text, &ents);
        assert_eq!(fact(&f, "acquired").asserted, asserted, "{text}");
    }
}

#[test]
fn conjoined_subjects_relate_pairwise() {
    let (_, l) = facts_of(
        "北洋電機とサクラ工業は業務提携を結んだ。",
        &[(vec!["北洋電機"], Org), (vec!["サクラ工業"], Org)],
    );
    assert_has(&l, &["北洋電機 partnered_with サクラ工業"]);
}

#[test]
fn money_share_count_and_role_qualifiers() {
    let (f, l) = facts_of(
        "東邦電機はサクラ工業の30%の株式に50億円を支払った。北斗重工は500人の従業員を解雇した。中井一郎氏が港研究所の主任研究員として参加した。",
        &[(vec!["東邦電機"], Org), (vec!["サクラ工業"], Org), (vec!["北斗重工"], Org), (vec!["中井一郎"], Person), (vec!["港研究所"], Org)],
    );
    let inv = fact(&f, "invested_in");
    assert!(inv.qualifiers.iter().any(|q| q.property == "amount"
        && q.value == "5000000000"
        && q.unit.as_deref() == Some("JPY")));
    assert!(has_qualifier(inv, "share", "30"));
    assert!(has_qualifier(fact(&f, "laid_off"), "count", "500"));
    assert_has(&l, &["中井一郎 joined 港研究所"]);
    assert!(has_qualifier(fact(&f, "joined"), "role", "主任研究員"));
}

#[test]
fn demonstrative_owner_is_the_nearest_argument() {
    let text = "北洋電機とサクラ工業は共同持株会社を設立し、その傘下に入る。";
    let ents = [
        (vec!["北洋電機"], Org),
        (vec!["サクラ工業"], Org),
        (vec!["共同持株会社"], Org),
    ];
    let (_, l) = facts_of(text, &ents);
    assert_has(
        &l,
        &[
            "北洋電機 part_of 共同持株会社",
            "サクラ工業 part_of 共同持株会社",
        ],
    );
    // Without the holding company as an entity, その has no owner to give.
    let (_, l) = facts_of(text, &ents[..2]);
    assert!(!l.iter().any(|l| l.contains("part_of")), "{l:?}");
}

#[test]
fn unmapped_predicate_gives_an_open_fact() {
    let (f, _) = facts_of(
        "北洋電機がサクラ工業を訴えた。",
        &[(vec!["北洋電機"], Org), (vec!["サクラ工業"], Org)],
    );
    let open = f.iter().find(|f| f.open).expect("open fact");
    assert_eq!(open.relation, "訴える");
    assert_eq!(open.rule, "open");
}

#[test]
fn award_and_unknown_types_are_constrained() {
    let (_, l) = facts_of(
        "森田真理氏は文化勲章を受賞した。",
        &[(vec!["森田真理"], Person), (vec!["文化勲章"], Award)],
    );
    assert_has(&l, &["森田真理 award_received 文化勲章"]);
    // A place cannot be founded.
    let (_, l) = facts_of(
        "佐藤健氏が大阪市を設立した。",
        &[(vec!["佐藤健"], Person), (vec!["大阪市"], Place)],
    );
    assert!(l.is_empty(), "{l:?}");
}

fn gold_entities(gold: &GoldFile) -> Vec<(Vec<&str>, EntityType)> {
    gold.entities
        .iter()
        .map(|e| {
            let t = EntityType::from_name(&e.etype).unwrap_or(EntityType::Concept);
            let names = e
                .aliases
                .iter()
                .map(String::as_str)
                .filter(|a| !a.starts_with('両'))
                .collect();
            (names, t)
        })
        .collect()
}

/// Scores a folder's articles with oracle mentions (the gold aliases).
fn oracle_eval(golds: &[PathBuf]) -> crate::eval::EvalReport {
    let ex = extractor();
    let mut items = Vec::new();
    for g in golds {
        let gold = read_gold(g).unwrap();
        let article = Article::read(&g.with_file_name(&gold.article), Layout::Plain).unwrap();
        let sentences = ex.analyze(&article).unwrap();
        let (mentions, res) = oracle(&sentences, &gold_entities(&gold));
        let extraction = oracle_extraction(&ex, &article, sentences, mentions, res);
        items.push((extraction, gold));
    }
    score_extractions(&items, &ex.rules().vocabulary)
}

fn gold_files(dir: &str) -> Vec<PathBuf> {
    crate::eval::gold_files(std::path::Path::new(dir)).unwrap()
}

#[test]
fn dev_articles_with_the_real_pipeline() {
    let golds = gold_files("../shared/data/dev");
    let pairs = crate::eval::pair_inputs(&golds).unwrap();
    let report = crate::eval::eval_gold(&extractor(), &pairs, None).unwrap();
    println!("{}", report.to_text());
    assert!(report.micro.f1 >= REAL_DEV_FLOOR, "{}", report.to_text());
}

#[test]
fn dev_articles_with_oracle_mentions() {
    let report = oracle_eval(&gold_files("../shared/data/dev"));
    println!("{}", report.to_text());
    assert!(report.micro.f1 >= ORACLE_DEV_FLOOR, "{}", report.to_text());
}

#[test]
fn own_articles_with_oracle_mentions() {
    let report = oracle_eval(&gold_files("data"));
    println!("{}", report.to_text());
    assert!(report.micro.f1 >= ORACLE_OWN_FLOOR, "{}", report.to_text());
}

// Floors just under the figures measured (real pipeline on dev 0.850; oracle
// mentions: dev 1.000, data/ 0.921, JacRED precision 0.627 over all 32 mapped
// properties, 0.653 over the 12 scored before); oracle ones: the fact stage alone.
const REAL_DEV_FLOOR: f64 = 0.84;
const ORACLE_DEV_FLOOR: f64 = 0.99;
const ORACLE_OWN_FLOOR: f64 = 0.91;

/// JacRED with the annotated vertex mentions as oracle mentions: the fact stage
/// on encyclopedic text, apart from the recogniser.
#[test]
fn jacred_with_oracle_mentions() {
    let docs =
        crate::eval::read_jacred(std::path::Path::new("../shared/data/jacred/dev.json")).unwrap();
    let ex = extractor();
    let report = crate::eval::score_jacred(&docs, |doc| {
        let article = doc.article();
        let sentences = ex.analyze(&article)?;
        let mut mentions = Vec::new();
        let mut res = Resolution::default();
        let mut vertex_entity = std::collections::BTreeMap::new();
        for (v, start, end, t) in doc.mention_spans() {
            let etype = match t.as_str() {
                "PER" => Person,
                "ORG" => Org,
                "LOC" => Place,
                "ART" => Product,
                _ => continue,
            };
            let Some(si) = sentences
                .iter()
                .position(|s| s.sentence.start <= start && end <= s.sentence.end)
            else {
                continue;
            };
            let name: String = article.text.chars().skip(start).take(end - start).collect();
            let e = *vertex_entity.entry(v).or_insert_with(|| {
                res.entities
                    .push(Entity::new(etype, name.clone(), BTreeSet::new()));
                res.entities.len() - 1
            });
            res.entities[e].aliases.insert(name.clone());
            mentions.push(Mention {
                sentence: si,
                tokens: sentences[si].token_range(start, end),
                start,
                end,
                surface: name.clone(),
                name,
                etype,
                kind: MentionKind::Name,
                confidence: 1.0,
            });
            res.mention_entity.push(Some(e));
        }
        Ok(oracle_extraction(&ex, &article, sentences, mentions, res))
    })
    .unwrap();
    println!("{}", report.to_text());
    assert!(
        report.micro.precision >= JACRED_ORACLE_PRECISION_FLOOR,
        "{}",
        report.to_text()
    );
}

const JACRED_ORACLE_PRECISION_FLOOR: f64 = 0.62;

#[test]
fn genitive_subject_of_a_relative_clause() {
    let (_, l) = facts_of(
        "山本太郎氏の設立した北洋技研は、札幌市に本社を置く。",
        &[
            (vec!["山本太郎"], Person),
            (vec!["北洋技研"], Org),
            (vec!["札幌市"], Place),
        ],
    );
    assert_has(
        &l,
        &[
            "山本太郎 founded 北洋技研",
            "北洋技研 headquartered_in 札幌市",
        ],
    );
}

#[test]
fn places_in_places() {
    let ents = [
        (vec!["青葉町"], Place),
        (vec!["北海県"], Place),
        (vec!["南部地方"], Place),
        (vec!["港市"], Place),
    ];
    // The clause modifies the head noun (町), so the subject is the topic, and
    // the predicate noun's の-phrase places the topic too.
    let (_, l) = facts_of("青葉町は、北海県にある南部地方の町である。", &ents);
    assert_has(
        &l,
        &["青葉町 located_in 北海県", "青葉町 located_in 南部地方"],
    );
    assert!(
        !l.contains(&"南部地方 located_in 北海県".to_string()),
        "{l:?}"
    );
    // Two names written together: the second is inside the first.
    let (_, l) = facts_of("北海県港市で大会が開かれた。", &ents);
    assert_has(&l, &["港市 located_in 北海県"]);
}

#[test]
fn role_noun_of_an_unnamed_owner_takes_no_owner_from_the_discourse() {
    let (_, l) = facts_of(
        "東邦電機は新体制を発表した。佐藤健氏は民間企業の顧問に就く。",
        &[(vec!["東邦電機"], Org), (vec!["佐藤健"], Person)],
    );
    assert!(!l.iter().any(|l| l.starts_with("佐藤健")), "{l:?}");
}

#[test]
fn a_person_with_a_role_noun_of_their_own_does_not_hold_the_modifier() {
    // 代表 of a team is not its leader when the person is named as 選手.
    let (_, l) = facts_of(
        "北海FC代表の森田健選手が来日した。",
        &[(vec!["北海FC"], Org), (vec!["森田健"], Person)],
    );
    assert!(!l.contains(&"森田健 heads 北海FC".to_string()), "{l:?}");
}

#[test]
fn role_noun_in_apposition_with_a_comma_and_copula_role_nouns() {
    let ents = [
        (vec!["北洋電機"], Org),
        (vec!["東邦ホールディングス"], Org),
        (vec!["鈴木花子"], Person),
    ];
    for (text, want) in [
        (
            "北洋電機の創業者、鈴木花子氏は話した。",
            "鈴木花子 founded 北洋電機",
        ),
        (
            "鈴木花子氏は北洋電機の創業者だ。",
            "鈴木花子 founded 北洋電機",
        ),
        (
            "北洋電機は東邦ホールディングスの子会社だ。",
            "北洋電機 part_of 東邦ホールディングス",
        ),
    ] {
        let (_, l) = facts_of(text, &ents);
        assert_eq!(l, vec![want.to_string()], "{text}");
    }
}

#[test]
fn headquarters_as_the_topic() {
    let (_, l) = facts_of(
        "北洋電機の本社は札幌市にある。",
        &[(vec!["北洋電機"], Org), (vec!["札幌市"], Place)],
    );
    assert_eq!(l, vec!["北洋電機 headquartered_in 札幌市".to_string()]);
}

#[test]
fn headquarters_in_a_parenthetical() {
    let (_, l) = facts_of(
        "北洋電機(本社・札幌市)は新製品を発表した。",
        &[(vec!["北洋電機"], Org), (vec!["札幌市"], Place)],
    );
    assert_has(&l, &["北洋電機 headquartered_in 札幌市"]);
}

#[test]
fn event_nouns_take_their_phrases_as_arguments() {
    let ents = [
        (vec!["北洋電機"], Org),
        (vec!["サクラ工業"], Org),
        (vec!["東邦ホールディングス"], Org),
    ];
    for (text, want, asserted) in [
        (
            "北洋電機はサクラ工業の買収を発表した。",
            "北洋電機 acquired サクラ工業",
            true,
        ),
        (
            "北洋電機によるサクラ工業の買収が完了した。",
            "北洋電機 acquired サクラ工業",
            true,
        ),
        (
            "東邦ホールディングスは北洋電機への出資を決めた。",
            "東邦ホールディングス invested_in 北洋電機",
            true,
        ),
        (
            "北洋電機はサクラ工業の買収を検討している。",
            "北洋電機 acquired サクラ工業",
            false,
        ),
    ] {
        let (f, l) = facts_of(text, &ents);
        assert_has(&l, &[want]);
        let rel = want.split(' ').nth(1).unwrap();
        assert_eq!(fact(&f, rel).asserted, asserted, "{text}");
    }
}

#[test]
fn an_explicit_topic_that_is_no_name_keeps_earlier_subjects_out() {
    // The subject of 出資 is the unrecognised 港キャピタル (marked by も) and
    // that of 連携 the common noun 政府: neither may be replaced by the person
    // of the sentence before.
    let ents = [
        (vec!["山田一郎"], Person),
        (vec!["東邦電機"], Org),
        (vec!["サクラ工業"], Org),
        (vec!["北洋研究所"], Org),
    ];
    for text in [
        "山田一郎氏は東邦電機の社長を務める。サクラ工業には港キャピタルも出資している。",
        "山田一郎氏は東邦電機の顧問に就く。政府はまた、北洋研究所と連携して研究を進める。",
    ] {
        let (_, l) = facts_of(text, &ents);
        let borrowed: Vec<&String> = l
            .iter()
            .filter(|l| {
                l.starts_with("山田一郎 invested_in") || l.starts_with("山田一郎 partnered_with")
            })
            .collect();
        assert!(borrowed.is_empty(), "{text}: {l:?}");
    }
    // Without a subject of its own the clause takes the earlier (company) one.
    let (_, l) = facts_of(
        "東邦電機は新型電池を開発した。北洋研究所と連携して研究を進める。",
        &ents,
    );
    assert_has(&l, &["東邦電機 partnered_with 北洋研究所"]);
}

#[test]
fn a_counted_role_noun_is_nobody_s_role() {
    let ents = [(vec!["山田一郎"], Person), (vec!["東邦電機"], Org)];
    for text in [
        "山田一郎氏が東邦電機の社員300人を解雇した。",
        "山田一郎氏が東邦電機の300人の社員を解雇した。",
    ] {
        let (_, l) = facts_of(text, &ents);
        assert!(!l.iter().any(|l| l.contains("works_for")), "{text}: {l:?}");
    }
    // One person's role is still one.
    let (_, l) = facts_of("東邦電機の社員、山田一郎氏が講演した。", &ents);
    assert_has(&l, &["山田一郎 works_for 東邦電機"]);
}

#[test]
fn a_source_left_unsaid_is_not_the_earlier_topic() {
    // Where 山田 moved from is not said: not the company of the sentence before.
    let (_, l) = facts_of(
        "北洋電機は新製品を発表した。山田一郎氏が東邦電機に移った。",
        &[
            (vec!["北洋電機"], Org),
            (vec!["山田一郎"], Person),
            (vec!["東邦電機"], Org),
        ],
    );
    assert_has(&l, &["山田一郎 moved_to 東邦電機"]);
    assert!(!l.iter().any(|l| l.contains(" left ")), "{l:?}");
}

#[test]
fn a_national_side_is_no_organisation_to_head_or_join_by_name() {
    // XX代表 after a country is a national side: its player neither heads the
    // country nor is a member of a name cut before 代表.
    let (_, l) = facts_of(
        "日本代表の山田一郎氏が会見した。",
        &[(vec!["日本"], Place), (vec!["山田一郎"], Person)],
    );
    assert!(!l.iter().any(|l| l.contains(" heads ")), "{l:?}");
    let (_, l) = facts_of(
        "サッカー北洋代表の山田一郎選手が東邦FCに移籍した。",
        &[
            (vec!["サッカー北洋"], Org),
            (vec!["山田一郎"], Person),
            (vec!["東邦FC"], Org),
        ],
    );
    assert_has(&l, &["山田一郎 moved_to 東邦FC"]);
    assert!(!l.iter().any(|l| l.contains("サッカー北洋")), "{l:?}");
    // The representative of a company still heads it.
    let (_, l) = facts_of(
        "北洋電機代表の山田一郎氏が会見した。",
        &[(vec!["北洋電機"], Org), (vec!["山田一郎"], Person)],
    );
    assert_has(&l, &["山田一郎 heads 北洋電機"]);
}

#[test]
fn a_headquarters_topic_without_owner_belongs_to_the_sentence_topic() {
    let (_, l) = facts_of(
        "東邦FCは1950年に設立されたクラブで、本拠地は北洋市にある。",
        &[(vec!["東邦FC"], Org), (vec!["北洋市"], Place)],
    );
    assert_has(&l, &["東邦FC headquartered_in 北洋市"]);
}

#[test]
fn the_name_right_before_a_role_noun_owns_it() {
    // 日本代表 is the national side; the event named before it does not own 代表.
    let (_, l) = facts_of(
        "北洋五輪女子スキー日本代表の山田花子が転倒した。",
        &[
            (vec!["北洋五輪"], Org),
            (vec!["日本"], Place),
            (vec!["山田花子"], Person),
        ],
    );
    assert!(!l.iter().any(|l| l.contains(" heads ")), "{l:?}");
}

#[test]
fn a_phrase_without_content_word_before_a_parenthesis_does_not_crash() {
    // A livedoor article whose headline list (・「ずん」のやす、…(SANSPO.COM)) gave
    // the parenthesis rule a phrase with no content word; it read token -1.
    let path = PathBuf::from("../shared/data/livedoor/text/topic-news/topic-news-6247805.txt");
    let article = Article::read(&path, Layout::Livedoor).unwrap();
    extractor().extract(article).unwrap();
}
