//! Who made, wrote or published a work and where an event was held, as news
//! writes them (issue 13), on invented names through the whole pipeline: the
//! author of the book a film adapts, a publisher in parentheses after a
//! title, and the place of an event whose name reads as a product's.
mod news;

use news::{assert_has, assert_lacks, facts_where};

/// The asserted facts of an article whose first line is `headline`.
fn facts(headline: &str, body: &str) -> Vec<String> {
    facts_where(&format!("{headline}\n{body}"), |f| !f.open && f.asserted)
}

/// Xの小説を原作に: the author of the source made the work the article (or,
/// when the sentence goes on to name one in 『』, the sentence) is about.
#[test]
fn the_author_of_a_source_made_the_adaptation() {
    assert_has(
        &facts(
            "映画『ミドリの森』が公開",
            "映画『ミドリの森』は、山田花子の小説を原作に、人気女優が集結した話題作だ。",
        ),
        &["山田花子 created ミドリの森"],
    );
    assert_has(
        &facts(
            "新作映画の話題",
            "累計100万部を突破した鈴木一郎の大人気コミックを原作に、\
             待望の映画第二弾『ミドリの森2』が遂に公開。",
        ),
        &["鈴木一郎 created ミドリの森2"],
    );
    // No word of a source: liking a writer's novels makes no film of theirs.
    assert_lacks(
        &facts("映画『ミドリの森』が公開", "山田花子の小説は昔から好きだ。"),
        &["山田花子 created ミドリの森"],
    );
}

/// 『Y』(X社), 「Y」(X社刊): the publisher in parentheses after a title.
#[test]
fn a_publisher_in_parentheses_after_a_title() {
    assert_has(
        &facts("新刊の話題", "著書に『青い森の歩き方』(緑風社)がある。"),
        &["緑風社 published 青い森の歩き方"],
    );
    assert_has(
        &facts(
            "新刊の話題",
            "著書に『青い森の歩き方』(緑風出版)、『赤い森の歩き方』(すばる舎)など。",
        ),
        &["すばる舎 published 赤い森の歩き方"],
    );
    // A name ending in 出版 or 書房 is a publisher's (an organisation).
    assert_has(
        &facts("新刊の話題", "著書に『青い森の歩き方』(アオバ出版)がある。"),
        &["アオバ出版 published 青い森の歩き方"],
    );
    assert_has(
        &facts("新刊の話題", "著書に『青い森の歩き方』(ミドリ書房)がある。"),
        &["ミドリ書房 published 青い森の歩き方"],
    );
    assert_has(
        &facts(
            "新刊の話題",
            "山田花子の著書「青い森の歩き方」(緑風社刊)が7月14日に発売となった。",
        ),
        &["緑風社 published 青い森の歩き方"],
    );
}

/// Yで開催された「X」: what is held somewhere is an event, whatever its name
/// reads as; but a thing the clause is only about (its topic) is not held.
#[test]
fn an_event_held_in_a_place() {
    assert_has(
        &facts(
            "イベントの話題",
            "先月、金沢市で開催された「ミドリトークLIVE」では観客が大いに盛り上がった。",
        ),
        &["ミドリトークLIVE located_in 金沢市"],
    );
    let got = facts(
        "新製品の話題",
        "「ミドリフォン」は、今年2月に金沢市で開催された会議で発表されたモデルだ。",
    );
    assert_lacks(&got, &["ミドリフォン located_in 金沢市"]);
}

/// 『Y』(X): a reading list writes a book's author alone in parentheses;
/// a name in 「」 with a person after it is as often a character's.
#[test]
fn an_author_alone_in_parentheses_after_a_title() {
    assert_has(
        &facts(
            "おすすめの本",
            "今月のおすすめは『青い森の歩き方』(山田花子)だ。",
        ),
        &["山田花子 created 青い森の歩き方"],
    );
    assert_lacks(
        &facts(
            "映画『青い森』が公開",
            "ある日、かつての相棒・「ハンター」(鈴木一郎)の写真が届く。",
        ),
        &["鈴木一郎 created ハンター"],
    );
}

/// 「Y」はX系で放送となる: a broadcast said with a noun and なる.
#[test]
fn a_broadcaster_said_with_a_noun() {
    assert_has(
        &facts(
            "番組の話題",
            "ドラマ『青い森』は、7月9日の夜9時にミドリテレビ系で放送となる。",
        ),
        &["ミドリテレビ published 青い森"],
    );
}
