//! The constructions real news writes facts in (issue 13), each on invented
//! names through the whole pipeline: who makes a product, who plays or sings
//! for whom, whose 監督 a bare 平田誠監督 is, compound titles, founders,
//! tie-ups and stakes, head offices and places in parentheses and addresses,
//! subsidiaries, prizes; and what real news writes that states no fact:
//! boilerplate, former roles, marriages, rankings.
mod news;

use news::{assert_has, assert_lacks, extract, marked_facts as facts};

#[track_caller]
fn has(text: &str, expected: &[&str]) {
    assert_has(&facts(&extract(text)), expected);
}

#[track_caller]
fn lacks(text: &str, relation: &str) {
    let x = extract(text);
    let got: Vec<String> = facts(&x)
        .into_iter()
        .filter(|g| g.split(' ').nth(1) == Some(relation) && !g.ends_with(')'))
        .collect();
    assert!(got.is_empty(), "unexpected {got:#?}");
}

#[track_caller]
fn lacks_fact(text: &str, fact: &str) {
    assert_lacks(&facts(&extract(text)), &[fact]);
}

#[test]
fn product_makers() {
    has(
        "アオバ通信は、ミドリ電機製のスマートフォン「アオバフォン7」を販売する。",
        &["ミドリ電機 developed アオバフォン7"],
    );
    has(
        "ミドリ電機の新型タブレット「ミドリパッドX2」は軽い。",
        &["ミドリ電機 developed ミドリパッドX2"],
    );
    has(
        "アオバ通信はスマートフォン「ソラフォンS3」(ミドリ電機製)を7月6日から発売する。",
        &["ミドリ電機 developed ソラフォンS3"],
    );
    // In a list each parenthetical names the maker of the item right before it.
    let x = extract(
        "ミドリ通信は新モデルとして「スカイ 800」(ミドリ電機製)や「ハヤテ Focus S」(アオバ電子製)、「ツバメ Titan」(ホシノ製)などを紹介した。",
    );
    let got = facts(&x);
    for want in [
        "ミドリ電機 developed スカイ 800",
        "アオバ電子 developed ハヤテ Focus S",
        "ホシノ developed ツバメ Titan",
    ] {
        assert!(got.iter().any(|f| f == want), "{want} not in {got:?}");
    }
    assert!(
        !got.iter().any(|f| f == "ホシノ developed ハヤテ Focus S"),
        "{got:?}"
    );
    has(
        "ヒカリ工業から新しいカメラ「ヒカリショットZ」が登場した。",
        &["ヒカリ工業 developed ヒカリショットZ"],
    );
    has(
        "人気なのは、ヒカリ工業から発表された「ヒカリショットZ2」だ。",
        &["ヒカリ工業 developed ヒカリショットZ2"],
    );
    has(
        "ミドリ電機は「ミドリパッドA」を4月10日から、センサーが動きを検知する「ミドリパッドB」を5月10日から発売する。",
        &[
            "ミドリ電機 developed ミドリパッドA",
            "ミドリ電機 developed ミドリパッドB",
        ],
    );
    // A headline opens with its subject and a comma.
    has(
        "ミドリ電機、新型タブレット「ミドリパッドC」を発表\n同社は10日に発表した。",
        &["ミドリ電機 developed ミドリパッドC"],
    );
    // Titles in brackets side by side are a list.
    has(
        "ミドリ電機、新サービス「アオバパス」「ソラパス」を発表",
        &[
            "ミドリ電機 developed アオバパス",
            "ミドリ電機 developed ソラパス",
        ],
    );
    // A carrier that launches a phone another company made did not make it.
    let text = "アオバ通信は、スマートフォン「ソラフォンS5」(ミドリ電機製)を発売すると発表した。";
    has(text, &["ミドリ電機 developed ソラフォンS5"]);
    lacks_fact(text, "アオバ通信 developed ソラフォンS5");
    has(
        "アオバ通信から、ミドリ電機製の最新Androidスマートフォン「ソラフォンS6」が発売された。",
        &["ミドリ電機 developed ソラフォンS6"],
    );
    lacks_fact(
        "アオバ通信から、ミドリ電機製の最新Androidスマートフォン「ソラフォンS6」が発売された。",
        "ミドリ電機 developed Android",
    );
    // TはXから発売されるカメラだ: the head noun that is the predicate stands
    // for the topic.
    has(
        "「ミドリカメラZ」は、ヒカリ工業から発売されるデジタルカメラだ。",
        &["ヒカリ工業 developed ミドリカメラZ"],
    );
    // 「Y」の後継機「Z」: Z succeeds Y.
    has(
        "ミドリ電機は「ミドリフォン5」の後継機「ミドリフォン6」を発売した。",
        &["ミドリフォン6 follows ミドリフォン5"],
    );
    // A person develops only what the clause says they did: not a product
    // whose 開発 a later sentence's speaker is near.
    lacks(
        "この「ミドリヨーグルト」の開発には3年かかった。山田花子さんが試食した。",
        "developed",
    );
    // A broadcaster's 人気シリーズ is what it airs, not what it makes.
    lacks(
        "アオバテレビの人気シリーズ「ソラの国」が配信された。",
        "developed",
    );
    // A product information block.
    has(
        "■商品詳細\n商品名:ミドリブラシ\n価格:1,890円\n販売元:株式会社ヒカリ工業\n",
        &["株式会社ヒカリ工業 developed ミドリブラシ"],
    );
}

#[test]
fn group_and_team_membership() {
    has(
        "人気グループ・ABC12の山田花子が新曲を歌った。",
        &["山田花子 member_of ABC12"],
    );
    has(
        "ハンブルクの田中一郎選手は2得点を挙げた。",
        &["田中一郎 member_of ハンブルク"],
    );
    has(
        "日本代表MF佐藤健太が所属するベルンFCは、ローザンヌと対戦した。",
        &["佐藤健太 member_of 日本代表", "佐藤健太 member_of ベルンFC"],
    );
    // 所属 names staff, not members, of an agency.
    has(
        "アオバ企画事務所所属の鈴木花子がドラマに出演した。",
        &["鈴木花子 works_for アオバ企画事務所"],
    );
    lacks(
        "アオバ企画事務所所属の鈴木花子がドラマに出演した。",
        "member_of",
    );
}

#[test]
fn leaving_a_team_a_company_or_a_group() {
    has(
        "木村一郎は北斗ユナイテッドを退団した。",
        &["木村一郎 left 北斗ユナイテッド"],
    );
    has(
        "山田花子はアオバ企画を退社した。",
        &["山田花子 left アオバ企画"],
    );
    has(
        "佐藤次郎がアオバ電機を抜けた。",
        &["佐藤次郎 left アオバ電機"],
    );
}

#[test]
fn a_bare_role_noun_belongs_to_the_team_the_article_is_about() {
    has(
        "北斗ユナイテッドは昨日、南海FCに1-0で勝利した。平田誠監督は「良い試合だった」と話した。",
        &[
            "北斗ユナイテッド outperformed 南海FC",
            "平田誠 heads 北斗ユナイテッド",
        ],
    );
}

#[test]
fn compound_titles_and_founders() {
    has(
        "北斗重工業の会長兼社長に昇格した内田誠氏は語った。",
        &["内田誠 heads 北斗重工業"],
    );
    has(
        "北斗重工業の代表取締役社長CEOの内田誠氏は語った。",
        &["内田誠 heads 北斗重工業"],
    );
    has(
        "北斗重工業代表取締役社長、内田誠氏が会見した。",
        &["内田誠 heads 北斗重工業"],
    );
    has(
        "北斗電機は1950年に設立された。創業者の木村一郎氏は昨年亡くなった。",
        &["木村一郎 founded 北斗電機"],
    );
    // A deputy (副 before any leader's title) works for the organisation.
    for text in [
        "デイリー・ミドリ社副編集長の佐藤一郎氏は語った。",
        "北斗重工業の副社長の内田誠氏は語った。",
    ] {
        let got = facts(&extract(text));
        assert!(
            got.iter()
                .any(|f| f.ends_with("works_for デイリー・ミドリ社")
                    || f.ends_with("works_for 北斗重工業")),
            "{text}: {got:?}"
        );
        assert!(
            !got.iter().any(|f| f.contains(" heads ")),
            "{text}: {got:?}"
        );
    }
}

#[test]
fn tie_ups_stakes_and_subsidiaries() {
    has(
        "北斗電機はアオバ化学工業と資本業務提携を結んだ。",
        &["北斗電機 partnered_with アオバ化学工業"],
    );
    // Two companies announcing a launch together have made no tie-up.
    lacks(
        "北斗電機およびアオバ化学工業は18日、新型電池を発売すると発表した。",
        "partnered_with",
    );
    has(
        "北斗電機はアオバ化学工業の株式の10%を取得した。",
        &["北斗電機 invested_in アオバ化学工業"],
    );
    has(
        "アオバ化学工業は、北斗電機の子会社で、化学品を作っている。",
        &["アオバ化学工業 part_of 北斗電機"],
    );
    has(
        "北斗電機傘下のアオバ化学工業が新工場を建てた。",
        &["アオバ化学工業 part_of 北斗電機"],
    );
}

#[test]
fn head_offices_places_and_addresses() {
    has(
        "北陸第一銀行(金沢市)は新店舗を開いた。",
        &["北陸第一銀行 headquartered_in 金沢市"],
    );
    has(
        "所在地:東京都新宿区西新宿2丁目6-1",
        &["新宿区 located_in 東京都", "西新宿 located_in 新宿区"],
    );
    has(
        "■ボナペティ六本木店\n期間:10月28日〜31日\n住所:東京都港区六本木3-13-14\n",
        &["ボナペティ六本木店 located_in 六本木"],
    );
    // A region lists its parts in parentheses; a shop its place.
    has(
        "キャンペーンは東北全域(アオバ県、ソラ県)のショップで行う。",
        &["アオバ県 located_in 東北全域", "ソラ県 located_in 東北全域"],
    );
    lacks_fact(
        "キャンペーンは東北全域(アオバ県、ソラ県)のショップで行う。",
        "東北全域 located_in アオバ県",
    );
    has(
        "ラウンジ「ルミナ」をパリと東京に出店している。",
        &["ルミナ located_in パリ", "ルミナ located_in 東京"],
    );
}

#[test]
fn prizes_are_awards() {
    has(
        "佐藤健太は最優秀選手賞を受賞した。",
        &["佐藤健太 award_received 最優秀選手賞"],
    );
    has(
        "山田花子は日本アカデミー賞新人俳優賞に輝いた。",
        &["山田花子 award_received 日本アカデミー賞新人俳優賞"],
    );
    let x = extract("ノーベル平和賞を受けた木村一郎氏が来日した。");
    let award = x.entities.iter().find(|e| e.label == "ノーベル平和賞");
    assert_eq!(
        award.map(|e| e.etype),
        Some(musubi::EntityType::Award),
        "{:?}",
        x.entities
    );
}

#[test]
fn boilerplate_yields_no_facts() {
    let text = "【話題】ミドリ電機、新製品を予告\n\
                ミドリ電機は新製品を予告した。\n\
                (文/山田太郎)\n\
                ■関連記事\n\
                ・ヒカリ工業がアオバ通信を買収\n\
                ・北斗重工業の内田誠社長が退任\n\
                記事執筆:鈴木花子\n";
    let x = extract(text);
    assert!(facts(&x).is_empty(), "{:#?}", facts(&x));
    assert!(
        x.entities
            .iter()
            .all(|e| e.label != "話題" && e.label != "ヒカリ工業"),
        "{:?}",
        x.entities
    );
}

#[test]
fn former_roles_are_kept_but_not_present() {
    let x = extract("北斗重工業の前社長の内田誠氏は講演した。元代表の木村一郎氏も来た。");
    let former: Vec<_> = x.facts.iter().filter(|f| f.relation == "heads").collect();
    assert!(!former.is_empty(), "{:#?}", facts(&x));
    assert!(
        former.iter().all(|f| f.is_former() && !f.asserted),
        "{:#?}",
        facts(&x)
    );
    has(
        "大阪府の前知事・橋田徹氏が批判した。",
        &["橋田徹 heads 大阪府 (former)"],
    );
    // A state in the past progressive is former too.
    lacks(
        "学生時代に吹奏楽部に所属していた佐藤花子さんは語った。",
        "member_of",
    );
}

#[test]
fn marriages_divorces_and_rankings_are_no_partnerships_or_wins() {
    lacks("山田太郎と鈴木花子の離婚が成立した。", "partnered_with");
    lacks("山田太郎と鈴木花子が結婚で合意した。", "partnered_with");
    lacks(
        "山田太郎は鈴木花子と協力して番組を作った。",
        "partnered_with",
    );
    lacks(
        "ミドリフォンの販売台数がアオバフォンを上回った。",
        "outperformed",
    );
}

#[test]
fn cast_and_makers_of_works() {
    // Parts played in a named work; after と and a comma, the conjunct is the
    // next noun a relative clause modifies, not that clause's object.
    has(
        "映画『ミドリの森』で、主人公・佐藤花子を演じた三村健と、ヒロイン・鈴木まりを演じた香坂ゆりが、新人賞を受賞。",
        &[
            "三村健 performed_in ミドリの森",
            "香坂ゆり performed_in ミドリの森",
        ],
    );
    lacks_fact(
        "映画『ミドリの森』で、主人公・佐藤花子を演じた三村健と、ヒロイン・鈴木まりを演じた香坂ゆりが、新人賞を受賞。",
        "鈴木まり performed_in ミドリの森",
    );
    // A count noun sums up the names before it (A、B、Cの3人).
    has(
        "映画『アオバの空』には香坂ゆり、三村健、西条まりの3人が出演する。",
        &[
            "香坂ゆり performed_in アオバの空",
            "三村健 performed_in アオバの空",
            "西条まり performed_in アオバの空",
        ],
    );
    // A cleft (Yで主演を務めるのはXだ) names who does what the clause says.
    has(
        "映画『アオバの空』で主演を務めるのは三村健だ。",
        &["三村健 performed_in アオバの空"],
    );
    has(
        "新型スマートフォン「ソラ7」を開発したのはミドリ電機です。",
        &["ミドリ電機 developed ソラ7"],
    );
    has(
        "女優の山田花子が映画『ブルー・オーシャン』に出演する。",
        &["山田花子 performed_in ブルー・オーシャン"],
    );
    has(
        "鈴木三郎が映画『ブラック・フォレスト』を監督した。",
        &["鈴木三郎 created ブラック・フォレスト"],
    );
    has(
        "山田太郎氏の新曲「スプリング・ソング」が話題だ。",
        &["山田太郎 created スプリング・ソング"],
    );
    // In an article about one film, 監督を務める and X演じる<役> with no work
    // named are of that film: the title the headline gives, or the one the
    // body repeats.
    let article = "【映画部】山田花子演じる“痛い女”に注目『ブルー・オーシャン』\n\
         『ブルー・オーシャン』は話題作だ。木村一郎演じる主人公が面白い。\
         ヒロインは森下ゆりが演じる。父親役の川村健が熱演。佐藤四郎が監督を務め、高橋五郎が脚本を手掛ける。";
    has(
        article,
        &[
            "山田花子 performed_in ブルー・オーシャン",
            "木村一郎 performed_in ブルー・オーシャン",
            "森下ゆり performed_in ブルー・オーシャン",
            "川村健 performed_in ブルー・オーシャン",
            "佐藤四郎 created ブルー・オーシャン",
            "高橋五郎 created ブルー・オーシャン",
        ],
    );
    // Only the name right before the verb plays the part (A、B演じるC: A is
    // another thing of a list); and a clause with no article to read says
    // nothing of a work.
    let list = "【映画部】新作『ブルー・オーシャン』の予告編\n\
         『ブルー・オーシャン』の予告編に、宇宙人タロウ、木村一郎演じる主人公が登場。";
    has(list, &["木村一郎 performed_in ブルー・オーシャン"]);
    lacks_fact(list, "タロウ performed_in ブルー・オーシャン");
    // A title that fills its brackets keeps a colon inside it.
    has(
        "【映画部】『ミッション：ブルー』が公開\n本作『ミッション：ブルー』は、木村一郎演じる探偵の物語。",
        &["木村一郎 performed_in ミッション:ブルー"],
    );
    lacks("木村一郎演じる主人公が面白い。", "performed_in");
    // A work the article is about is one it writes as a title: a brand named
    // in passing is not.
    lacks(
        "ミドリ電機のスマホ特集\nミドリ電機のソラ7は人気だ。ソラ7のCMで木村一郎演じる社長が話題。",
        "performed_in",
    );
    // The actor is named in the clause: a topic carried from earlier
    // sentences may be a character or a speaker.
    lacks_fact(
        "【映画部】『ブルー・オーシャン』の見どころ\n『ブルー・オーシャン』の監督は語る。主人公を演じる喜びがあった。",
        "ブルー・オーシャン performed_in ブルー・オーシャン",
    );
}

/// X主演の映画『Y』: the name glued to 主演 is a person, the work's star.
#[test]
fn a_star_written_before_shuen() {
    has(
        "マーク・クロウ主演の映画『ミッドナイト・レーン』が9月から公開される。",
        &["マーク・クロウ performed_in ミッドナイト・レーン"],
    );
}

/// X監督の最新作が / X主演の新作が with no title in the sentence: the new
/// work is the one the article is about; elsewhere nothing.
#[test]
fn a_directors_new_work_is_the_articles_work() {
    let article = "【映画部】“家族愛”の物語『ブルー・オーシャン』\n\
         この夏おすすめの映画『ブルー・オーシャン』をご紹介。\
         『ミナトの夜』『湾岸物語』と話題作を送り出してきた佐藤四郎監督の最新作が、この夏やってきます。\
         森下ゆり主演の新作は家族の物語だ。";
    has(
        article,
        &[
            "佐藤四郎 created ブルー・オーシャン",
            "森下ゆり performed_in ブルー・オーシャン",
        ],
    );
    lacks("佐藤四郎監督の最新作が、この夏やってきます。", "created");
}

/// The work an article is about is one it writes in 『』, before a place or a
/// shop it only quotes in 「」, however often that is named.
#[test]
fn the_articles_work_is_the_one_in_double_brackets() {
    let article = "【元気東北】家族の絆を噛みしめる\n\
         今回は、秋田県が舞台の『アオバの川』をご紹介する。\n\
         『アオバの川』\n\
         ロケ地は「白糸の滝」である。「白糸の滝」は名勝で、「白糸の滝」の眺めは良い。\
         木村一郎が演じる釣り師が面白い。";
    has(article, &["木村一郎 performed_in アオバの川"]);
    lacks_fact(article, "木村一郎 performed_in 白糸の滝");
}

/// 主演のX: the star of the work the sentence writes in 『』, or of the one
/// the headline names; a round-up of several films names no one work.
#[test]
fn the_lead_named_after_shuen() {
    has(
        "映画『アオバの空』の完成披露試写会が行われ、主演の森下ゆりほか、川村健が舞台挨拶を行った。",
        &["森下ゆり performed_in アオバの空"],
    );
    has(
        "【映画部】『ブルー・オーシャン』が公開\n『ブルー・オーシャン』は話題作だ。\
         レッドカーペットには、主演の木村一郎が登場した。",
        &["木村一郎 performed_in ブルー・オーシャン"],
    );
    lacks(
        "【週末映画まとめ読み】今週の話題\n『アオバの空』と『ミナトの夜』が公開された。\
         『アオバの空』も『ミナトの夜』も人気だ。レッドカーペットには、主演の木村一郎が登場した。",
        "performed_in",
    );
}

/// A、Bら豪華キャストが集結 / A、Bといったキャストが集結 / Xという俳優たちも
/// 出演, in an article about one work: its cast.
#[test]
fn cast_lists_gather_in_the_articles_work() {
    let article = "【映画部】『ブルー・オーシャン』が公開\n『ブルー・オーシャン』は話題作だ。\
         森下ゆり、香坂ゆり、西条まりら豪華キャストが集結した。\
         ほかに、川村健、三村健といった実力派キャストが集結している。\
         『湾岸物語』の木村一郎という若手俳優たちも出演。";
    has(
        article,
        &[
            "森下ゆり performed_in ブルー・オーシャン",
            "香坂ゆり performed_in ブルー・オーシャン",
            "西条まり performed_in ブルー・オーシャン",
            "川村健 performed_in ブルー・オーシャン",
            "三村健 performed_in ブルー・オーシャン",
            "木村一郎 performed_in ブルー・オーシャン",
        ],
    );
    lacks(
        "森下ゆり、香坂ゆりら豪華キャストが集結した。",
        "performed_in",
    );
}

/// A name that fills 『』 is a work, however the tagger reads it where it
/// stands bare (the title shared with its heroine).
#[test]
fn a_title_in_double_brackets_is_a_work() {
    has(
        "【映画】美しい王女が対決\n破格のエンタテインメント『ミドリホワイト』が6月15日に公開。\
         主人公のミドリホワイトを演じるのは、人気女優の森下ゆり。\
         ミドリホワイトは森に逃げ込んだ。女王はミドリホワイトを執拗に追いかける。",
        &["森下ゆり performed_in ミドリホワイト"],
    );
}

/// <役>を演じるのは、…X。 names the actor in the sentence's last noun, however
/// the clause before it is chunked; a cleft inside a quotation is the
/// speaker's, not the sentence's.
#[test]
fn a_cleft_names_who_plays_the_part() {
    let article = "【映画部】『ブルー・オーシャン』の予告編が解禁\n\
         『ブルー・オーシャン』は話題作だ。\
         主人公の青井を演じるのは、『湾岸物語』で一躍トップスターの仲間入りを果たした森下ゆり。\
         対する悪役を演じるのは、ベテラン俳優の川村健。\
         監督を務めるのは、アニメーターの佐藤四郎。";
    has(
        article,
        &[
            "森下ゆり performed_in ブルー・オーシャン",
            "川村健 performed_in ブルー・オーシャン",
            "佐藤四郎 created ブルー・オーシャン",
        ],
    );
    lacks_fact(
        "【映画部】『ブルー・オーシャン』の予告編が解禁\n『ブルー・オーシャン』は話題作だ。\
         「青井を演じるのはとても楽しかったです」と語る森下ゆり。",
        "森下ゆり performed_in ブルー・オーシャン",
    );
}

/// 『W』のX is cast only where the sentence speaks of acting; elsewhere X is
/// as often the director or a character.
#[test]
fn a_title_next_to_a_name_is_cast_when_the_sentence_says_acting() {
    has(
        "出演は『ミナトの夜』の山川花子、『湾岸物語』の川上次郎。",
        &[
            "山川花子 performed_in ミナトの夜",
            "川上次郎 performed_in 湾岸物語",
        ],
    );
    lacks(
        "監督は、感動作『ミナトの夜』の山川太一が務める。",
        "performed_in",
    );
}

#[test]
fn broadcasters_and_their_programmes() {
    has(
        "アニメ「ハヤテ」は毎週日曜にミドリテレビ系で放送される。",
        &["ミドリテレビ published ハヤテ"],
    );
    has(
        "27日放送、フジテレビ「ミドリの窓!」は、特集を組んだ。",
        &["フジテレビ published ミドリの窓!"],
    );
    has(
        "TBS「サクラ1」では対談を放送した。",
        &["TBS published サクラ1"],
    );
    // A book with its publisher alone in parentheses.
    has(
        "著書に『青い空』(ミドリ書房)など。",
        &["ミドリ書房 published 青い空"],
    );
    // 『Y』(X系): the network in parentheses after the programme.
    has(
        "9日に放送された「ミドリの窓」(ミドリテレビ系)で語った。",
        &["ミドリテレビ published ミドリの窓"],
    );
}

/// A relative clause describes its head noun: when the noun names nothing,
/// the clause says nothing of the topic.
#[test]
fn relative_clauses_describe_their_head_noun() {
    lacks(
        "アオバ通信は2日、湾岸市にある駅の地下街をサービスの範囲にしたと発表した。",
        "located_in",
    );
    has(
        "「ミドリ銀座」は3月6日に湾岸市にオープンした旗艦店となります。",
        &["ミドリ銀座 located_in 湾岸市"],
    );
    has(
        "ヒカリラボは2018年に川口翔氏が設立したスタートアップで、湾岸市に本社を置く。",
        &["川口翔 founded ヒカリラボ"],
    );
    // A dependent noun (こと) makes the clause a complement.
    has(
        "アオバ通信は2006年にミドリ電機を買収したことで市場に参入した。",
        &["アオバ通信 acquired ミドリ電機"],
    );
}

#[test]
fn schools_and_events() {
    has(
        "佐藤次郎さんは港北学院大学を卒業した。",
        &["佐藤次郎 educated_at 港北学院大学"],
    );
    lacks("佐藤次郎さんは港北学院大学を卒業した。", "left");
    has(
        "港北学院大学卒の佐藤次郎さんが講演した。",
        &["佐藤次郎 educated_at 港北学院大学"],
    );
    has(
        "佐藤次郎選手は北洋高校出身だ。",
        &["佐藤次郎 educated_at 北洋高校"],
    );
    // A school one comes from is no team one plays for.
    lacks("北洋高校出身の佐藤次郎選手が活躍した。", "member_of");
    has(
        "アオバ県出身の佐藤次郎さんが語った。",
        &["佐藤次郎 born_in アオバ県"],
    );
    has(
        "田中一郎選手は北洋国際マラソンに出場した。",
        &["田中一郎 participant_in 北洋国際マラソン"],
    );
}

/// A result in an event (Y大会で優勝, Y選手権で敗れる) says one took part in it;
/// a place one wins in is no event.
#[test]
fn results_in_an_event_are_taking_part() {
    has(
        "田中一郎選手は北洋国際マラソンで優勝した。",
        &["田中一郎 participant_in 北洋国際マラソン"],
    );
    has(
        "先月行われた北洋選手権で敗れた佐藤次郎選手が雪辱を誓った。",
        &["佐藤次郎 participant_in 北洋選手権"],
    );
    has(
        "北洋国際マラソンで銀メダルを獲得した佐藤次郎選手が帰国した。",
        &["佐藤次郎 participant_in 北洋国際マラソン"],
    );
    lacks("田中一郎選手は湾岸市で優勝した。", "participant_in");
}
