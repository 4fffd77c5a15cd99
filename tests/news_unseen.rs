//! Constructions that unseen livedoor articles write facts in and that the
//! rules fitted to the tuned half missed (issue 13, recall that generalises),
//! each on invented names through the whole pipeline.
mod news;

use news::{assert_has, assert_lacks, facts_where};

/// The asserted facts of an article (headline on the first line), as
/// `subject relation object`.
fn facts(text: &str) -> Vec<String> {
    facts_where(text, |f| !f.open && f.asserted && !f.is_former())
}

#[track_caller]
fn has(text: &str, expected: &[&str]) {
    assert_has(&facts(text), expected);
}

#[track_caller]
fn lacks(text: &str, unexpected: &[&str]) {
    assert_lacks(&facts(text), unexpected);
}

/// The information block closing an app review: アプリ名 names the app,
/// 開発者 its maker, whatever words either is made of.
#[test]
fn app_information_blocks() {
    has(
        "便利なアプリを使おう\n\
         今回はメモを共有できるアプリを紹介します。\n\
         記事執筆:ぽんた\n\
         アプリ名:Blue Note Pad\n\
         価格:無料\n\
         カテゴリ:仕事効率化\n\
         開発者:Kumoya Works\n\
         バージョン:1.2.0",
        &["Kumoya Works developed Blue Note Pad"],
    );
    // A 販売元 line under an advertisement names a shop, not the maker.
    lacks(
        "新しいプリンタの話題\n\
         今回はプリンタを試した。\n\
         ミドリ電機 インクタンク 5色パック\n\
         販売元:Kumoya Shop\n\
         クチコミを見る",
        &["Kumoya Shop developed インクタンク"],
    );
}

/// Xをはじめ、A、B / Xを筆頭に、A、B: X opens the list, it is no object of
/// a verb 始める; so the cast that gathers or appears counts X too.
#[test]
fn lists_opened_by_hajime_and_hittou() {
    let film = "映画『青い空』の話題\n映画『青い空』が来月公開される。\n";
    has(
        &format!("{film}キャストに山田花子をはじめ、鈴木一郎、佐藤次郎といった実力派が集結した。"),
        &[
            "山田花子 performed_in 青い空",
            "鈴木一郎 performed_in 青い空",
            "佐藤次郎 performed_in 青い空",
        ],
    );
    has(
        &format!("{film}主演の山田花子を筆頭に、鈴木一郎、佐藤次郎らが出演する。"),
        &[
            "山田花子 performed_in 青い空",
            "佐藤次郎 performed_in 青い空",
        ],
    );
}

/// 「Y」(Xテレビ), 「Y」(X放送): a programme with its broadcaster alone in
/// parentheses; a maker in parentheses after a product is no broadcaster.
#[test]
fn broadcaster_in_parentheses() {
    has(
        "人気番組の話題\n8日に放送された「ミドリの夜更かし」(ソラ放送)で、山田花子が新曲を披露した。",
        &["ソラ放送 published ミドリの夜更かし"],
    );
    lacks(
        "新型スマホの話題\n新型スマートフォン「ブルー1」(ミドリ電機)を試した。",
        &["ミドリ電機 published ブルー1"],
    );
}

/// にて is the written form of で: where an event is held, where a company
/// exhibits.
#[test]
fn nite_marks_the_place_as_de_does() {
    has(
        "音楽祭の話題\n19日、南ホールにて第3回ミドリ音楽祭が開催された。",
        &["第3回ミドリ音楽祭 located_in 南ホール"],
    );
    has(
        "展示会の話題\n北見本市2012にてミドリ電機が新型タブレットを出展した。",
        &["ミドリ電機 participant_in 北見本市2012"],
    );
}

/// A product head noun before brackets types the name inside them, whatever
/// the tagger reads in a lower-case word (動画サービス「mikan」: a service, so
/// whoever runs it made a product). A person's title before brackets opens a
/// quotation and types nothing.
#[test]
fn product_heads_before_brackets() {
    has(
        "新サービス\nクモヤ技研のスマホ用音声検索サービス「mikan」を試してみた。",
        &["クモヤ技研 developed mikan"],
    );
    has(
        "新サービス\nクモヤ技研が運営する動画サービス「mikan」で配信される。",
        &["クモヤ技研 developed mikan"],
    );
}
