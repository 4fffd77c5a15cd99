//! Recognition on short sentences of several domains (written for these tests,
//! with invented names); the seed article's are in tests/seed_entities.rs.
use super::*;
use crate::document::{EntityType, MentionKind, ValueKind};
use crate::extract::Extractor;
use crate::rules::Rules;
use crate::text::{Article, Layout};

/// Recognition of `text` under the built-in rules and tagger.
pub(super) fn run(text: &str) -> (Vec<Mention>, Vec<ValueMention>) {
    let x = Extractor::new(Rules::builtin().unwrap()).unwrap();
    let a = Article::from_text(text, Layout::Plain, None);
    let s = x.analyze(&a).unwrap();
    recognize(&s, &x.rules().ner)
}

fn names(ms: &[Mention]) -> Vec<(String, EntityType)> {
    ms.iter()
        .filter(|m| m.kind == MentionKind::Name)
        .map(|m| (m.name.clone(), m.etype))
        .collect()
}

fn has(ms: &[Mention], name: &str, t: EntityType) -> bool {
    names(ms).iter().any(|(n, e)| n == name && *e == t)
}

fn values(vs: &[ValueMention]) -> Vec<(ValueKind, String, Option<String>)> {
    vs.iter()
        .map(|v| (v.kind, v.value.clone(), v.unit.clone()))
        .collect()
}

#[test]
fn sports_player_and_club() {
    let (m, v) = run("ミルコ・ヴァランティ選手は昨季、横浜FCで12ゴールを挙げた。");
    assert!(
        has(&m, "ミルコ・ヴァランティ", EntityType::Person),
        "{:?}",
        names(&m)
    );
    assert!(
        has(&m, "横浜FC", EntityType::Organization),
        "{:?}",
        names(&m)
    );
    assert!(values(&v).contains(&(ValueKind::Quantity, "12".into(), Some("ゴール".into()))));
}

#[test]
fn government_ministry_and_date() {
    let (m, v) = run("総務省は2026年8月1日付で新しい制度を導入すると発表した。");
    assert!(
        has(&m, "総務省", EntityType::Organization),
        "{:?}",
        names(&m)
    );
    assert_eq!(values(&v), [(ValueKind::Date, "2026-08-01".into(), None)]);
}

#[test]
fn university_professor_title_is_stripped() {
    let (m, _) = run("東都大学の山川一郎教授は新しい研究所を設立した。");
    assert!(
        has(&m, "東都大学", EntityType::Organization),
        "{:?}",
        names(&m)
    );
    assert!(has(&m, "山川一郎", EntityType::Person), "{:?}", names(&m));
    let person = m.iter().find(|m| m.name == "山川一郎").unwrap();
    assert!(!person.surface.contains("教授"));
}

#[test]
fn finance_apposition_country_prefix_and_money() {
    let (m, v) = run("米半導体メーカーのゼフィロンは、同業のカルデナを約2400億円で買収した。");
    assert!(
        has(&m, "ゼフィロン", EntityType::Organization),
        "{:?}",
        names(&m)
    );
    assert!(values(&v).contains(&(ValueKind::Money, "240000000000".into(), Some("JPY".into()))));
    let (m, _) = run("米ゼフィロンは新しいチップを発表した。");
    assert!(
        names(&m).iter().any(|(n, _)| n == "ゼフィロン"),
        "{:?}",
        names(&m)
    );
}

#[test]
fn honorific_marks_a_person_across_the_article() {
    let (m, _) =
        run("カレンツァ氏は来月退任する。後任にはトルヴァが就く。カレンツァは会見で語った。");
    let k: Vec<_> = m.iter().filter(|m| m.name == "カレンツァ").collect();
    assert_eq!(k.len(), 2, "{:?}", names(&m));
    assert!(k.iter().all(|m| m.etype == EntityType::Person));
}

#[test]
fn parenthesised_second_name_is_a_mention() {
    let (m, _) = run("物流スタートアップのロジヴィア(Logivia)は資金を調達した。");
    let n = names(&m);
    assert!(n.iter().any(|(x, _)| x == "ロジヴィア"), "{n:?}");
    assert!(n.iter().any(|(x, _)| x == "Logivia"), "{n:?}");
    let t: Vec<_> = n
        .iter()
        .filter(|(x, _)| x == "ロジヴィア" || x == "Logivia")
        .map(|(_, t)| *t)
        .collect();
    assert!(t.windows(2).all(|w| w[0] == w[1]));
}

#[test]
fn head_noun_and_parenthesis_type_a_name_with_a_latin_part() {
    let (m, _) = run("AIスタートアップのミライズAI(Miraiz AI)は17日、新しい基盤モデルを公開した。");
    assert!(
        has(&m, "ミライズAI", EntityType::Organization),
        "{:?}",
        names(&m)
    );
    assert!(
        has(&m, "Miraiz AI", EntityType::Organization),
        "{:?}",
        names(&m)
    );
    // A bare acronym is a common noun, not a name.
    assert!(!names(&m).iter().any(|(n, _)| n == "AI"), "{:?}", names(&m));
}

#[test]
fn pronouns_and_anaphors() {
    let (m, _) = run("同社は新製品を発表した。彼女はそれを評価した。同氏も賛成した。");
    let refs: Vec<_> = m
        .iter()
        .filter(|m| m.kind != MentionKind::Name)
        .map(|m| (m.surface.as_str(), m.kind, m.etype))
        .collect();
    assert_eq!(
        refs,
        [
            ("同社", MentionKind::Anaphor, EntityType::Organization),
            ("彼女", MentionKind::Pronoun, EntityType::Person),
            ("同氏", MentionKind::Anaphor, EntityType::Person),
        ]
    );
}

#[test]
fn latin_names_keep_their_spaces() {
    let (m, _) = run("同社はKestrel 4の後継となるモデルを公開した。");
    assert!(
        names(&m).iter().any(|(n, _)| n == "Kestrel 4"),
        "{:?}",
        names(&m)
    );
}

#[test]
fn value_normalisation() {
    let (_, v) = run("X社は128億ドルで37%の株式を取得し、2009年に設立された。4月1日付で450人を採用し、$100 百万ドルを投じる。10月1日に発表した。");
    let v = values(&v);
    let usd = Some("USD".to_string());
    assert!(
        v.contains(&(ValueKind::Money, "12800000000".into(), usd.clone())),
        "{v:?}"
    );
    assert!(
        v.contains(&(ValueKind::Percent, "37".into(), None)),
        "{v:?}"
    );
    assert!(v.contains(&(ValueKind::Year, "2009".into(), None)), "{v:?}");
    assert!(
        v.contains(&(ValueKind::Date, "--04-01".into(), None)),
        "{v:?}"
    );
    assert!(
        v.contains(&(ValueKind::Quantity, "450".into(), Some("人".into()))),
        "{v:?}"
    );
    assert!(
        v.contains(&(ValueKind::Money, "100000000".into(), usd)),
        "{v:?}"
    );
    assert!(
        v.contains(&(ValueKind::Date, "--10-01".into(), None)),
        "{v:?}"
    );
    let (_, v) = run("2026年8月に開業し、株価は12.6%下落した。");
    assert_eq!(
        values(&v),
        [
            (ValueKind::Date, "2026-08".into(), None),
            (ValueKind::Percent, "12.6".into(), None)
        ]
    );
}

#[test]
#[ignore]
/// Prints what recognition finds in MUSUBI_NER_TEXT.
fn dump() {
    let text = std::env::var("MUSUBI_NER_TEXT").unwrap_or_default();
    let (m, v) = run(&text);
    for m in &m {
        println!(
            "{:?} {:?} {} -> {} ({:.2})",
            m.kind, m.etype, m.surface, m.name, m.confidence
        );
    }
    for v in &v {
        println!("{:?} {} -> {} {:?}", v.kind, v.surface, v.value, v.unit);
    }
}

/// Throughput of recognition alone (tokenising excluded), on livedoor news:
/// `cargo test --release --lib recognition_speed -- --ignored --nocapture`.
#[test]
#[ignore]
fn recognition_speed() {
    let x = Extractor::new(Rules::builtin().unwrap()).unwrap();
    let dir = std::path::Path::new("../shared/data/livedoor/text/it-life-hack");
    let articles: Vec<Article> = std::fs::read_dir(dir)
        .unwrap()
        .take(300)
        .filter_map(|e| Article::read(&e.unwrap().path(), Layout::Livedoor).ok())
        .collect();
    let bytes: usize = articles.iter().map(|a| a.text.len()).sum();
    let analysed: Vec<_> = articles.iter().map(|a| x.analyze(a).unwrap()).collect();
    let t = std::time::Instant::now();
    let mut n = 0;
    for s in &analysed {
        n += recognize(s, &x.rules().ner).0.len();
    }
    let secs = t.elapsed().as_secs_f64();
    println!(
        "{n} mentions, {bytes} bytes in {secs:.3} s: {:.1} MB/s",
        bytes as f64 / secs / 1e6
    );
}
#[test]
#[ignore]
fn dump_tokens() {
    let x = Extractor::new(Rules::builtin().unwrap()).unwrap();
    let a = Article::from_text(
        &std::env::var("MUSUBI_NER_TEXT").unwrap(),
        Layout::Plain,
        None,
    );
    for s in x.analyze(&a).unwrap() {
        for t in &s.tokens {
            println!("{} {:?} unk={}", t.surface, t.pos, t.unknown);
        }
        let cues = token_cues(&s.tokens, &x.rules().ner);
        println!("{:?}", rule_spans(&s.tokens, &cues, &x.rules().ner));
    }
}

#[test]
fn both_companies_is_two_mentions_and_a_description_is_one() {
    let (m, _) = run("アルファ工業とベータ電機は提携した。両社は持ち株会社を設立する。");
    let both = m.iter().filter(|m| m.surface == "両社").count();
    assert_eq!(both, 2, "{m:?}");
    assert!(
        has(&m, "持ち株会社", EntityType::Organization),
        "{:?}",
        names(&m)
    );
}

#[test]
fn surname_split_by_the_dictionary_joins_the_given_name() {
    // IPADIC reads 三部 as a numeral and a counter.
    let (m, _) = run("北星電機の三部和彦社長は記者会見で述べた。");
    assert!(has(&m, "三部和彦", EntityType::Person), "{:?}", names(&m));
}

#[test]
fn a_name_does_not_start_inside_a_hiragana_word() {
    // IPADIC reads ご+らく (a prefix and a noun); a name found at らく starts at ご.
    let x = Extractor::new(Rules::builtin().unwrap()).unwrap();
    let toks = x
        .tokenizer()
        .tokenize("ごらく銀行は北浜銀行と組む", 0)
        .unwrap();
    let surfaces: Vec<&str> = toks.iter().map(|t| t.surface).collect();
    assert_eq!(surfaces[..3], ["ご", "らく", "銀行"]);
    assert_eq!(word_start(&toks, 1, 0), 0);
    // Not before the floor, and not across a particle.
    assert_eq!(word_start(&toks, 1, 1), 1);
    let at = surfaces.iter().position(|s| *s == "北浜").unwrap();
    assert_eq!(word_start(&toks, at, 0), at);
}

#[test]
fn a_place_with_daihyo_is_a_team_not_a_title() {
    let (m, _) = run("バレー日本代表の山川太一選手が移籍した。");
    let n = names(&m);
    assert!(
        n.iter()
            .any(|(x, t)| x.ends_with("日本代表") && *t == EntityType::Organization),
        "{n:?}"
    );
    assert!(has(&m, "山川太一", EntityType::Person), "{n:?}");
}

#[test]
fn a_generic_noun_with_a_head_word_is_not_a_name() {
    let (m, _) = run("米投資ファンドが出資した。");
    assert!(
        names(&m).iter().all(|(x, _)| !x.contains("ファンド")),
        "{:?}",
        names(&m)
    );
    let (m, _) = run("グルドン・ベンチャーズが出資した。");
    assert!(
        has(&m, "グルドン・ベンチャーズ", EntityType::Organization),
        "{:?}",
        names(&m)
    );
}

#[test]
fn a_military_rank_is_a_title() {
    let (m, _) = run("部隊を率いた村瀬健吾少尉は帰国した。");
    assert!(has(&m, "村瀬健吾", EntityType::Person), "{:?}", names(&m));
}

#[test]
fn known_names_are_found_where_no_cue_marks_them() {
    let x = Extractor::new(Rules::builtin().unwrap())
        .unwrap()
        .with_known_names(vec![
            KnownName::new("ヴェルタ", EntityType::Organization),
            KnownName::new("あの", EntityType::Organization),
        ]);
    let text = "ヴェルタを去った技術者は多い。ヴェルタバースとは関係がない。あの会社だ。";
    let ex = x
        .extract(Article::from_text(text, Layout::Plain, None))
        .unwrap();
    let found: Vec<(String, usize)> = ex
        .mentions
        .iter()
        .filter(|m| m.kind == MentionKind::Name)
        .map(|m| (m.name.clone(), m.start))
        .collect();
    // Once, at the start: not inside the longer katakana word, and plain
    // hiragana words are never looked for.
    assert_eq!(
        found
            .iter()
            .filter(|(n, _)| n.as_str() == "ヴェルタ")
            .collect::<Vec<_>>(),
        [&("ヴェルタ".to_string(), 0)],
        "{found:?}"
    );
    assert!(found.iter().all(|(n, _)| n != "あの"), "{found:?}");
}

/// The name mentions (name, start) of `text` read knowing `known`.
fn known_name_mentions(known: Vec<KnownName>, text: &str) -> Vec<(String, usize)> {
    let x = Extractor::new(Rules::builtin().unwrap())
        .unwrap()
        .with_known_names(known);
    let ex = x
        .extract(Article::from_text(text, Layout::Plain, None))
        .unwrap();
    ex.mentions
        .iter()
        .filter(|m| m.kind == MentionKind::Name)
        .map(|m| (m.name.clone(), m.start))
        .collect()
}

#[test]
fn the_longest_known_name_wins_and_a_name_known_with_two_types_is_not_looked_for() {
    let text = "ミナト電装とミナミがミナセ社を訪ねた。";
    let org = EntityType::Organization;
    let found = known_name_mentions(
        vec![
            KnownName::new("ミナト", org),
            KnownName::new("ミナト電装", org),
            KnownName::new("ミナセ", org),
        ],
        text,
    );
    assert!(found.contains(&("ミナト電装".into(), 0)), "{found:?}");
    assert!(!found.iter().any(|(n, _)| n == "ミナト"), "{found:?}");
    // ミナミ stored as two types adds nothing, and does not hide ミナセ, of
    // the same length and first characters.
    let with_ambiguous = known_name_mentions(
        vec![
            KnownName::new("ミナト", org),
            KnownName::new("ミナト電装", org),
            KnownName::new("ミナミ", org),
            KnownName::new("ミナミ", EntityType::Place),
            KnownName::new("ミナセ", org),
        ],
        text,
    );
    assert_eq!(with_ambiguous, found);
}

#[test]
fn a_known_name_that_is_a_dictionary_word_is_not_found_bare() {
    let text = "週末はスポーツとパーティで忙しく、ソフトウェア更新は後回しだ。";
    // An earlier article stored these plain words as names (quoted, or typed
    // by a cue); found bare they are words.
    let known = ["スポーツ", "パーティ", "ソフトウェア更新"]
        .map(|n| KnownName::new(n, EntityType::Product))
        .to_vec();
    assert_eq!(
        known_name_mentions(known, text),
        known_name_mentions(Vec::new(), text)
    );
    // A company the store also knows in Latin letters is a brand's
    // transliteration, found bare however plain the word.
    let brand = KnownName {
        latin_spelled: true,
        ..KnownName::new("パーティ", EntityType::Organization)
    };
    let found = known_name_mentions(vec![brand], text);
    assert!(found.contains(&("パーティ".into(), 8)), "{found:?}");
}

#[test]
fn a_title_after_a_known_place_or_house_does_not_make_it_a_person() {
    let (m, _) = run("衆議院議員の山岡康介氏とスイス選手団が会談した。");
    let n = names(&m);
    assert!(
        n.iter()
            .all(|(x, t)| *t != EntityType::Person || !(x == "衆議院" || x == "スイス")),
        "{n:?}"
    );
    assert!(has(&m, "山岡康介", EntityType::Person), "{n:?}");
}

#[test]
fn an_event_name_keeps_its_edition_and_year() {
    let (m, _) = run("北浜高校は第12回全国高校ボート選手権大会で優勝した。");
    assert!(
        has(&m, "第12回全国高校ボート選手権大会", EntityType::Event),
        "{:?}",
        names(&m)
    );
    let (m, _) = run("同社は2031年ヴェローナ博覧会に出展する。");
    assert!(
        has(&m, "2031年ヴェローナ博覧会", EntityType::Event),
        "{:?}",
        names(&m)
    );
}

#[test]
fn a_company_named_with_dictionary_words_after_a_head_noun() {
    let (m, _) = run("クラウド大手の星空システムズは20日、新しい拠点を開いた。");
    assert!(
        has(&m, "星空システムズ", EntityType::Organization),
        "{:?}",
        names(&m)
    );
    // Without the introducing head noun, two dictionary words stay words.
    let (m, _) = run("新しいシステムズの考え方を示した。");
    assert!(names(&m).is_empty(), "{:?}", names(&m));
}

#[test]
fn a_bracketed_title_after_a_work_noun_is_a_name() {
    let (m, _) = run("彼女は映画「風の向こうに消えた町」で主演した。");
    assert!(
        has(&m, "風の向こうに消えた町", EntityType::Product),
        "{:?}",
        names(&m)
    );
    // A quotation after a verb of saying is not a title.
    let (m, _) = run("社長は「時期尚早だ」と述べた。");
    assert!(
        names(&m).iter().all(|(n, _)| !n.contains("時期尚早")),
        "{:?}",
        names(&m)
    );
}

#[test]
fn a_surname_span_and_a_given_name_span_that_meet_are_one_person() {
    // IPADIC reads 三+部 and tags 和彦 a given name; a tagger that names 三部 and
    // 和彦 apart has split one person. A company name before a given name stays.
    let x = Extractor::new(Rules::builtin().unwrap()).unwrap();
    let rules = &x.rules().ner;
    let span = |start, end, etype| tagger::Span {
        start,
        end,
        etype,
        confidence: 0.7,
    };
    let toks = x.tokenizer().tokenize("三部和彦社長が述べた", 0).unwrap();
    let surfaces: Vec<&str> = toks.iter().map(|t| t.surface).collect();
    assert_eq!(surfaces[..3], ["三", "部", "和彦"]);
    let cues = token_cues(&toks, rules);
    let joined = join_split_surnames(
        &toks,
        &cues,
        vec![
            span(0, 2, EntityType::Organization),
            span(2, 3, EntityType::Person),
        ],
    );
    assert_eq!(joined, vec![span(0, 3, EntityType::Person)]);

    let toks = x.tokenizer().tokenize("北星電機和彦", 0).unwrap();
    let cues = token_cues(&toks, rules);
    let given = toks.iter().position(|t| t.surface == "和彦").unwrap();
    let apart = vec![
        span(0, given, EntityType::Organization),
        span(given, given + 1, EntityType::Person),
    ];
    assert_eq!(join_split_surnames(&toks, &cues, apart.clone()), apart);
}

#[test]
fn a_reference_before_no_owns_the_name_after_it() {
    // 同クラブの is a reference, not a description: the name after it is the
    // coach, not a club.
    let (m, _) = run(
        "ソラノ市を本拠地とするクラブがある。同クラブのヨハネス・ベルクマイヤー監督は会見した。",
    );
    assert!(
        has(&m, "ヨハネス・ベルクマイヤー", EntityType::Person),
        "{:?}",
        names(&m)
    );
}

#[test]
fn a_topic_described_by_a_head_noun_takes_its_type() {
    // Without the description the tagger reads a town here.
    let (m, _) = run("ドイツのハイデンブルクは1911年に設立されたクラブで、強豪だ。");
    assert!(
        has(&m, "ハイデンブルク", EntityType::Organization),
        "{:?}",
        names(&m)
    );
    // The definition of an encyclopedia: Xは、…である。
    let (m, _) = run("ドイツのハイデンブルクは、1911年に設立されたクラブである。");
    assert!(
        has(&m, "ハイデンブルク", EntityType::Organization),
        "{:?}",
        names(&m)
    );
    // A place where something happens is no description.
    let (m, _) = run("ドイツのハイデンブルクは地元のクラブで練習した。");
    assert!(
        !has(&m, "ハイデンブルク", EntityType::Organization),
        "{:?}",
        names(&m)
    );
}

#[test]
fn common_words_before_a_title_are_not_a_name_for_the_rules() {
    let strong = |text: &str| rule_span_texts(text, STRONG);
    // サッカー and スポーツ are words: a title or a place ending after them describes.
    assert_eq!(
        strong("兄はサッカー選手で、スポーツ村に住む。"),
        Vec::<String>::new()
    );
    // An unknown word before the same title is a name, and an event ending still
    // makes words a name.
    assert_eq!(
        strong("ミルコ・ヴァランティ選手が出場した。"),
        ["ミルコ・ヴァランティ"]
    );
    assert!(
        strong("湾岸マラソン大会に協賛した。")
            .iter()
            .any(|n| n.ends_with("マラソン大会")),
        "{:?}",
        strong("湾岸マラソン大会に協賛した。")
    );
}

/// The spans the cue rules alone find with at least `confidence`, as text.
fn rule_span_texts(text: &str, confidence: f32) -> Vec<String> {
    let x = Extractor::new(Rules::builtin().unwrap()).unwrap();
    let a = Article::from_text(text, Layout::Plain, None);
    let s = &x.analyze(&a).unwrap()[0];
    let cues = token_cues(&s.tokens, &x.rules().ner);
    rule_spans(&s.tokens, &cues, &x.rules().ner)
        .iter()
        .filter(|r| r.confidence >= confidence)
        .map(|r| s.tokens[r.start..r.end].iter().map(|t| t.surface).collect())
        .collect()
}

#[test]
fn a_middle_dot_joins_foreign_names_but_separates_japanese_ones() {
    let spans = |text: &str| rule_span_texts(text, 0.0);
    assert_eq!(
        spans("ミルコ・ヴァランティが出場した。"),
        ["ミルコ・ヴァランティ"]
    );
    assert_eq!(spans("東京・大阪で開かれた。"), ["東京", "大阪"]);
}

#[test]
fn a_head_noun_before_a_name_is_not_part_of_it() {
    for (text, name) in [
        ("首都ヴァレンカで会議が開かれた。", "ヴァレンカ"),
        (
            "子会社ノルデリア・ロボティクスが発表した。",
            "ノルデリア・ロボティクス",
        ),
        ("FWミルコ・ヴァランティが得点した。", "ミルコ・ヴァランティ"),
    ] {
        let (m, _) = run(text);
        let n = names(&m);
        assert!(n.iter().any(|(x, _)| x == name), "{text}: {n:?}");
    }
}

#[test]
fn a_title_in_parentheses_after_a_name_types_it() {
    let (ms, _) = run("エリナ・ボスコヴァ(製品開発のVP)がトルメアに移った。\
                       トルメア(米ソフトウェア企業)は声明を出した。");
    let found = names(&ms);
    assert!(
        found.contains(&("エリナ・ボスコヴァ".to_string(), EntityType::Person)),
        "{found:?}"
    );
    assert!(
        found.contains(&("トルメア".to_string(), EntityType::Organization)),
        "{found:?}"
    );
    // The description is not a second name of the company.
    assert!(found.iter().all(|(n, _)| !n.contains("企業")), "{found:?}");
}

#[test]
fn a_name_with_no_and_an_event_noun_is_an_event() {
    let (ms, _) = run("1573年、カルドナの乱が起きた。ベスタ村の戦い方を学んだ。");
    let found = names(&ms);
    assert!(
        found.contains(&("カルドナの乱".to_string(), EntityType::Event)),
        "{found:?}"
    );
    assert!(found.iter().all(|(n, _)| !n.ends_with("戦い")), "{found:?}");
}

#[test]
fn a_country_written_before_a_foreign_name_is_a_place_of_its_own() {
    let (ms, _) = run("米ゼフィロスは新しい工場を建てた。");
    let found = names(&ms);
    assert!(
        found.contains(&("米".to_string(), EntityType::Place)),
        "{found:?}"
    );
    assert!(found.iter().any(|(n, _)| n == "ゼフィロス"), "{found:?}");
}

#[test]
fn a_word_naming_part_of_a_place_is_no_part_of_its_name() {
    let (m, _) = run("ザルヴェニア南部の港町で、祭りが開かれた。");
    assert!(
        has(&m, "ザルヴェニア", EntityType::Place),
        "{:?}",
        names(&m)
    );
    assert!(
        !names(&m).iter().any(|(n, _)| n.contains("南部")),
        "{:?}",
        names(&m)
    );
    let (m, _) = run("大会はオルテガ州内の三つの会場で行われる。");
    assert!(has(&m, "オルテガ州", EntityType::Place), "{:?}", names(&m));
}

#[test]
fn a_name_ending_in_a_word_naming_part_of_a_place_is_that_place() {
    let (m, _) = run("ドルガリア北西部で大雨が続き、サンテリオ一帯に警報が出た。");
    for place in ["ドルガリア", "サンテリオ"] {
        assert!(has(&m, place, EntityType::Place), "{:?}", names(&m));
    }
    assert!(
        !names(&m)
            .iter()
            .any(|(n, _)| n.contains("北西部") || n.contains("一帯")),
        "{:?}",
        names(&m)
    );
}

#[test]
fn a_word_naming_part_of_a_place_inside_an_address_parts_two_places() {
    let (m, _) = run("ベルナは、ザルヴェニア州南東部ドルテン郡にある町である。");
    let found = names(&m);
    assert!(has(&m, "ザルヴェニア州", EntityType::Place), "{found:?}");
    assert!(has(&m, "ドルテン郡", EntityType::Place), "{found:?}");
    assert!(
        !found.iter().any(|(n, _)| n.contains("南東部")),
        "{found:?}"
    );
}

#[test]
fn a_sovereigns_number_is_part_of_the_name() {
    let (m, _) = run("ヴァルデマール7世はオルテガ王国の国王である。");
    assert!(
        has(&m, "ヴァルデマール7世", EntityType::Person),
        "{:?}",
        names(&m)
    );
}

#[test]
fn a_rulers_title_parts_the_place_from_the_person() {
    let (m, _) = run("ザルヴェニア王ヴァルデマール7世は城を建てた。");
    assert!(
        has(&m, "ヴァルデマール7世", EntityType::Person),
        "{:?}",
        names(&m)
    );
    assert!(
        has(&m, "ザルヴェニア", EntityType::Place),
        "{:?}",
        names(&m)
    );
}
