//! Matching entities across articles in the store: a shared bare surname does not
//! make two people one node; the same full name does, whatever other spellings
//! the articles use. Names are invented.
use musubi::store::Store;
use musubi::{Article, Extractor, Layout, Rules};
use oxigraph::model::Term;

fn ingest(store: &Store, extractor: &Extractor, text: &str) {
    let article = Article::from_text(text, Layout::Plain, None);
    let x = extractor.extract(article).expect("extraction");
    store
        .ingest(&x, &extractor.rules().resolution.names)
        .expect("ingest");
}

fn text(t: &Option<Term>) -> String {
    match t {
        Some(Term::Literal(l)) => l.value().to_string(),
        Some(Term::NamedNode(n)) => n.as_str().to_string(),
        _ => String::new(),
    }
}

/// IRIs of the persons with this rdfs:label.
fn persons_labelled(store: &Store, label: &str) -> Vec<String> {
    store
        .select(&format!(
            "SELECT ?e WHERE {{ ?e a mo:Person ; rdfs:label \"{label}\" }} ORDER BY ?e"
        ))
        .unwrap()
        .iter()
        .map(|r| text(&r[0]))
        .collect()
}

fn articles_mentioning(store: &Store, iri: &str) -> usize {
    store
        .select(&format!(
            "SELECT (COUNT(?a) AS ?n) WHERE {{ <{iri}> mo:mentionedIn ?a }}"
        ))
        .unwrap()[0][0]
        .as_ref()
        .map(|t| match t {
            Term::Literal(l) => l.value().parse().unwrap(),
            _ => 0,
        })
        .unwrap()
}

fn ask(store: &Store, sparql: &str) -> bool {
    match store.query(sparql).unwrap() {
        oxigraph::sparql::QueryResults::Boolean(b) => b,
        _ => panic!("not an ASK query"),
    }
}

#[test]
fn two_people_sharing_a_bare_surname_stay_two_nodes() {
    let extractor = Extractor::new(Rules::builtin().unwrap()).unwrap();
    let store = Store::in_memory().unwrap();
    ingest(
        &store,
        &extractor,
        "佐藤太郎社長は12日、東京都内で記者会見を開いた。佐藤社長は新製品の発売を発表した。",
    );
    ingest(
        &store,
        &extractor,
        "佐藤花子氏は13日、大阪市内で講演した。佐藤氏は地域の課題について語った。",
    );
    let taro = persons_labelled(&store, "佐藤太郎");
    let hanako = persons_labelled(&store, "佐藤花子");
    assert_eq!(taro.len(), 1, "{taro:?}");
    assert_eq!(hanako.len(), 1, "{hanako:?}");
    assert_ne!(taro, hanako);
    // Each is mentioned in its own article only.
    assert_eq!(articles_mentioning(&store, &taro[0]), 1);
    assert_eq!(articles_mentioning(&store, &hanako[0]), 1);
    // They share a spelling, so they are linked as possibly the same, not merged.
    assert!(ask(
        &store,
        &format!("ASK {{ <{}> skos:closeMatch <{}> }}", hanako[0], taro[0])
    ));

    // A third article that only says 佐藤 names neither of them.
    ingest(&store, &extractor, "佐藤氏は14日、名古屋市で会見した。");
    assert_eq!(articles_mentioning(&store, &taro[0]), 1);
    assert_eq!(articles_mentioning(&store, &hanako[0]), 1);
}

#[test]
fn one_full_name_in_two_articles_is_one_node() {
    let extractor = Extractor::new(Rules::builtin().unwrap()).unwrap();
    let store = Store::in_memory().unwrap();
    ingest(
        &store,
        &extractor,
        "ヤマダ・タロウ選手は14日、練習に参加した。",
    );
    ingest(
        &store,
        &extractor,
        "ヤマダ氏は15日、試合に出場した。ヤマダ・タロウ選手はチームの主将を務める。",
    );
    let nodes = persons_labelled(&store, "ヤマダ・タロウ");
    assert_eq!(nodes.len(), 1, "{nodes:?}");
    assert_eq!(articles_mentioning(&store, &nodes[0]), 2);
}

/// Two articles' 渡辺 are often two people: a bare surname or given name joins
/// nothing across articles, in either order; a full name does, and so does a
/// bare name that its own article ties to a full name.
#[test]
fn a_bare_surname_joins_nothing_across_articles_and_a_full_name_does() {
    let extractor = Extractor::new(Rules::builtin().unwrap()).unwrap();
    let store = Store::in_memory().unwrap();
    // Two articles that each name a 鈴木 by the surname alone: two people.
    ingest(
        &store,
        &extractor,
        "鈴木社長は12日、新工場の建設を発表した。",
    );
    ingest(&store, &extractor, "鈴木監督は13日、来季の続投を表明した。");
    assert_eq!(persons_labelled(&store, "鈴木").len(), 2);
    // A full name, tied to its surname in its own article, joins neither bare node.
    ingest(
        &store,
        &extractor,
        "鈴木一郎社長は20日、決算を発表した。鈴木社長は増益を強調した。",
    );
    let full = persons_labelled(&store, "鈴木一郎");
    assert_eq!(full.len(), 1, "{full:?}");
    assert_eq!(articles_mentioning(&store, &full[0]), 1);
    for bare in persons_labelled(&store, "鈴木") {
        assert_eq!(articles_mentioning(&store, &bare), 1);
    }
    // The same full name in another article joins it; another given name does not.
    ingest(
        &store,
        &extractor,
        "鈴木一郎氏は21日、記者会見を開いた。鈴木氏は新会社の設立を発表した。",
    );
    assert_eq!(articles_mentioning(&store, &full[0]), 2);
    ingest(
        &store,
        &extractor,
        "鈴木次郎氏は22日、記者会見を開いた。鈴木氏は新会社の設立を発表した。",
    );
    assert_eq!(articles_mentioning(&store, &full[0]), 2);
    assert_eq!(persons_labelled(&store, "鈴木次郎").len(), 1);
}

/// An article that names one organisation, `label`, also written `short`, and
/// nothing else: what the store's matching sees, without the recogniser.
fn naming(text: &str, label: &str, short: &str) -> musubi::Extraction {
    musubi::Extraction {
        article: Article::from_text(text, Layout::Plain, None),
        sentences: Vec::new(),
        mentions: Vec::new(),
        values: Vec::new(),
        entities: vec![musubi::Entity {
            etype: musubi::EntityType::Organization,
            label: label.into(),
            aliases: [label.to_string(), short.to_string()].into(),
            joinable: true,
        }],
        mention_entity: Vec::new(),
        facts: Vec::new(),
    }
}

fn organizations(store: &Store) -> usize {
    store
        .select("SELECT ?e WHERE { ?e a mo:Organization }")
        .unwrap()
        .len()
}

#[test]
fn the_users_resolution_rules_decide_how_the_store_merges() {
    // The shipped rules drop a one-character country before a foreign name
    // (英X is X), so 英ノルデン and 独ノルデン, both also called ノルデン, are
    // one company; a user's resolution.toml without country prefixes makes
    // them two whose fullest names disagree, and the store must follow it.
    let dir = tempfile::tempdir().unwrap();
    let shipped = std::fs::read_to_string("ontology/resolution.toml").unwrap();
    let own: String = shipped
        .lines()
        .map(|l| {
            if l.starts_with("country_prefixes") {
                "country_prefixes = []"
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(dir.path().join("resolution.toml"), own).unwrap();
    let user = Rules::load(Some(dir.path())).unwrap();
    let builtin = Rules::builtin().unwrap();
    let a = naming("英ノルデンの記事。", "英ノルデン", "ノルデン");
    let b = naming("独ノルデンの記事。", "独ノルデン", "ノルデン");
    for (rules, want) in [(&builtin, 1), (&user, 2)] {
        let store = Store::in_memory().unwrap();
        store.ingest(&a, &rules.resolution.names).unwrap();
        store.ingest(&b, &rules.resolution.names).unwrap();
        assert_eq!(organizations(&store), want);
    }
}

/// The rdfs:label and altLabels of every organisation, sorted.
fn organization_names(store: &Store) -> Vec<(String, Vec<String>)> {
    let rows = store
        .select(
            "SELECT ?label (GROUP_CONCAT(?alt; separator=\"|\") AS ?alts) WHERE { \
             ?e a mo:Organization ; rdfs:label ?label OPTIONAL { ?e skos:altLabel ?alt } } \
             GROUP BY ?e ?label ORDER BY ?label",
        )
        .unwrap();
    rows.iter()
        .map(|r| {
            let mut alts: Vec<String> = text(&r[1])
                .split('|')
                .filter(|a| !a.is_empty())
                .map(String::from)
                .collect();
            alts.sort();
            (text(&r[0]), alts)
        })
        .collect()
}

#[test]
fn a_nodes_label_is_its_fullest_name_whatever_order_the_articles_came_in() {
    let rules = Rules::builtin().unwrap();
    let names = &rules.resolution.names;
    let short = naming("ノルデンが新製品を出した。", "ノルデン", "ノルデン");
    let full = naming("ノルデン電機の記事。", "ノルデン電機", "ノルデン");
    let want = vec![("ノルデン電機".to_string(), vec!["ノルデン".to_string()])];
    for order in [[&short, &full], [&full, &short]] {
        let store = Store::in_memory().unwrap();
        for x in order {
            store.ingest(x, names).unwrap();
        }
        assert_eq!(organization_names(&store), want);
        // In one batch too: the label the first article wrote is replaced
        // before it reaches the store.
        let batch = Store::in_memory().unwrap();
        let mut writer = batch.writer(names);
        for x in order {
            writer.add(x).unwrap();
        }
        writer.commit().unwrap();
        assert_eq!(organization_names(&batch), want);
    }
    // Taking the fuller article back leaves what the short one alone gives.
    let store = Store::in_memory().unwrap();
    store.ingest(&short, names).unwrap();
    store.ingest(&full, names).unwrap();
    store
        .remove_articles(std::slice::from_ref(&full.article.id))
        .unwrap();
    assert_eq!(
        organization_names(&store),
        vec![("ノルデン".to_string(), Vec::new())]
    );
}

#[test]
fn a_long_run_still_finds_the_entities_stored_before_it() {
    // A writer reads stored match keys one by one at first, then takes a
    // census of them all and reads only those: an entity stored before the
    // run must still be found after the census, and one placed during the
    // run too.
    let names = &Rules::builtin().unwrap().resolution.names;
    let store = Store::in_memory().unwrap();
    store
        .ingest(&naming("前の記事。", "湾岸重工業", "湾岸重工"), names)
        .unwrap();
    let mut writer = store.writer(names);
    for i in 0..300 {
        let label = format!("架空商事{i}号");
        let x = naming(&format!("記事{i}。"), &label, &format!("架空{i}"));
        writer.add(&x).unwrap();
        if i % 64 == 63 {
            writer.commit().unwrap();
        }
    }
    writer
        .add(&naming("後の記事。", "湾岸重工業", "湾岸重工"))
        .unwrap();
    writer
        .add(&naming("最後の記事。", "架空商事7号", "架空7"))
        .unwrap();
    writer.commit().unwrap();
    assert_eq!(organizations(&store), 301);
}
