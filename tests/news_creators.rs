//! Who made a work, said the ways entertainment news credits a director or an
//! author beside the verbs (監督する, 手掛ける): 監督のX, X監督最新作『Y』, X監督に
//! よる『Y』, X監督が放つ『Y』, X監督がメガホンを取る. Invented names throughout.
mod news;

use news::{assert_has, assert_lacks, facts_where};

/// The asserted facts of an article about the film 『青い空』, whose body
/// opens by naming it again and goes on with `body`.
fn about_the_film(body: &str) -> Vec<String> {
    facts_where(
        &format!("映画『青い空』が公開\n映画『青い空』が来月公開される。{body}"),
        |f| !f.open && f.asserted,
    )
}

/// The asserted facts of a one-sentence article whose headline is `text`.
fn said(text: &str) -> Vec<String> {
    facts_where(&format!("{text}\n{text}"), |f| !f.open && f.asserted)
}

/// 監督のX: the director of the work the sentence names, else of the one
/// the article is about.
#[test]
fn the_director_named_after_the_role_noun() {
    assert_has(
        &about_the_film("監督の川村一郎は「楽しい現場でした」と語った。"),
        &["川村一郎 created 青い空"],
    );
    assert_has(
        &about_the_film("先月には監督の川村一郎と主演の山田花子が来日を果たした。"),
        &["川村一郎 created 青い空"],
    );
}

/// 原作者のX, 脚本担当のX, 原作・X: the author of the work it adapts and its
/// writer made it too.
#[test]
fn the_author_named_after_the_role_noun() {
    assert_has(
        &about_the_film("原作者の川村一郎は、この映画化について「楽しみです」と話している。"),
        &["川村一郎 created 青い空"],
    );
    assert_has(
        &about_the_film("会場には脚本担当の北山三郎、監督の川村一郎らも駆け付けた。"),
        &["北山三郎 created 青い空", "川村一郎 created 青い空"],
    );
    assert_has(
        &facts_where(
            "漫画『白い森』が映画化\n漫画『白い森』が映画化される。作者の川村一郎は、恋模様を描いた『赤い川』で大ブレイクした。",
            |f| !f.open && f.asserted,
        ),
        &["川村一郎 created 赤い川"],
    );
}

/// 撮影監督のX, 映画監督のX, 第3監督のX: a compound names another trade or
/// rank, or a calling, not the making of the work.
#[test]
fn a_compound_role_noun_is_not_the_director() {
    let got = about_the_film("撮影監督の川村一郎は「楽しい現場でした」と語った。");
    assert_lacks(&got, &["川村一郎 created 青い空"]);
    let got = about_the_film("俳優兼映画監督の北山三郎が、好きな映画について語った。");
    assert_lacks(&got, &["北山三郎 created 青い空"]);
}

/// X監督最新作『Y』, X監督による『Y』, X監督が放つ / 贈る『Y』.
#[test]
fn the_director_written_with_the_title() {
    assert_has(
        &said("川村一郎監督最新作『白い森』のワールドプレミアが開催された。"),
        &["川村一郎 created 白い森"],
    );
    assert_has(
        &said("巨匠の川村一郎監督による『白い森』が技術賞を総ナメした。"),
        &["川村一郎 created 白い森"],
    );
    assert_has(
        &said("名匠の川村一郎監督が放つサスペンス『白い森』が公開される。"),
        &["川村一郎 created 白い森"],
    );
    assert_has(
        &said("『赤い川』の川村一郎監督が贈る感動のドラマ『白い森』が日本公開となる。"),
        &["川村一郎 created 白い森"],
    );
}

/// X監督がメガホンを取る, in an article about a work: X directs it.
#[test]
fn the_director_who_takes_the_megaphone() {
    assert_has(
        &about_the_film("前作に続き、川村一郎監督が再びメガホンを取った。"),
        &["川村一郎 created 青い空"],
    );
}
