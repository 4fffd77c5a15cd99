//! How entertainment and culture news writes who is in a work, who made it,
//! who published it and who won what (issue 13), each on invented names
//! through the whole pipeline: cast lists and credits, roles, filmographies,
//! authors and directors, publishers, prizes; and the lines that name a work
//! and a person without relating them.
mod news;

use news::{assert_has, facts_where};

/// The facts of an article whose first line is `headline` and whose body is
/// `body`, as `subject relation object`, asserted ones only.
fn facts(headline: &str, body: &str) -> Vec<String> {
    facts_where(&format!("{headline}\n{body}"), |f| !f.open && f.asserted)
}

#[track_caller]
fn has(body: &str, expected: &[&str]) {
    assert_has(&facts("新作映画の話題", body), expected);
}

#[track_caller]
fn lacks(body: &str, relation: &str) {
    let got: Vec<String> = facts("新作映画の話題", body)
        .into_iter()
        .filter(|g| g.split(' ').nth(1) == Some(relation))
        .collect();
    assert!(got.is_empty(), "unexpected {got:#?}");
}

/// A title may be any phrase, verbs and particles included: it is one name
/// to the grammar, so the clause before it still relates to it.
#[test]
fn titles_made_of_any_words() {
    has(
        "山田花子が主演する映画『青い空』が来月公開される。",
        &["山田花子 performed_in 青い空"],
    );
    has(
        "山田花子、鈴木一郎らが出演する『空を見上げる少女』が公開される。",
        &[
            "山田花子 performed_in 空を見上げる少女",
            "鈴木一郎 performed_in 空を見上げる少女",
        ],
    );
    has(
        "田中一郎が監督した映画『青い空』が公開される。",
        &["田中一郎 created 青い空"],
    );
    // 新作『Y』: the noun before a title is in apposition, not a headline verb.
    has(
        "田中一郎の新作『ブルースカイ』が話題だ。",
        &["田中一郎 created ブルースカイ"],
    );
}

/// Casts: a clause, a role, a parenthesis, a title before the name.
#[test]
fn casts() {
    has(
        "映画『青い空』(山田花子主演)が来月公開される。",
        &["山田花子 performed_in 青い空"],
    );
    has(
        "『青い空』出演の山田花子、鈴木一郎らが来日した。",
        &[
            "山田花子 performed_in 青い空",
            "鈴木一郎 performed_in 青い空",
        ],
    );
    // A、Bら出演の『Y』: everyone listed before the cue is in it.
    has(
        "山田花子、鈴木一郎ら出演の映画『青い空』が公開される。",
        &[
            "山田花子 performed_in 青い空",
            "鈴木一郎 performed_in 青い空",
        ],
    );
    has(
        "山田花子を主演に迎えた映画『青い空』が公開される。",
        &["山田花子 performed_in 青い空"],
    );
    has(
        "映画『青い空』で主演を務めた山田花子が会見した。",
        &["山田花子 performed_in 青い空"],
    );
    has(
        "山田花子が映画『青い空』で主役を演じる。",
        &["山田花子 performed_in 青い空"],
    );
    has(
        "山田花子がナレーションを担当する『青い空』が放送される。",
        &["山田花子 performed_in 青い空"],
    );
    has(
        "鈴木花子が刑事役で映画『青い空』に出演する。",
        &["鈴木花子 performed_in 青い空"],
    );
    has(
        "映画『青い空』の山田花子が会見した。",
        &["山田花子 performed_in 青い空"],
    );
    // A title after a company or a product is no cast; a part is no actor.
    lacks("ミドリ電機の山田花子が会見した。", "performed_in");
    lacks("『青い空』の主人公・山田花子は教師だ。", "performed_in");
    lacks("『青い空』の山田花子役で知られる。", "performed_in");
}

/// 『A』『B』などに出演: every title of a filmography.
#[test]
fn filmographies() {
    has(
        "山田花子は『青い空』『白い雲』などに出演している。",
        &[
            "山田花子 performed_in 青い空",
            "山田花子 performed_in 白い雲",
        ],
    );
}

/// Directors, authors and makers of a work.
#[test]
fn makers_of_works() {
    has(
        "田中一郎が監督を務める映画『青い空』が公開される。",
        &["田中一郎 created 青い空"],
    );
    has(
        "映画『青い空』は、田中一郎が監督を務め、来月公開される。",
        &["田中一郎 created 青い空"],
    );
    has(
        "映画『青い空』(田中一郎監督)が来月公開される。",
        &["田中一郎 created 青い空"],
    );
    has(
        "連載中の『青い空』(原作/田中一郎、作画/鈴木一郎)がドラマ化される。",
        &["田中一郎 created 青い空", "鈴木一郎 created 青い空"],
    );
    has(
        "映画『青い空』は田中一郎が手掛けた作品だ。",
        &["田中一郎 created 青い空"],
    );
    has(
        "田中一郎著『青い空』が話題だ。",
        &["田中一郎 created 青い空"],
    );
    has(
        "田中一郎監督作品『青い空』が公開される。",
        &["田中一郎 created 青い空"],
    );
    has(
        "巨匠、田中一郎監督の『青い空』が公開される。",
        &["田中一郎 created 青い空"],
    );
}

/// Credits lines (出演: A、B / 監督: X / 出演はA、Bほか) are of the work the
/// article is about.
#[test]
fn credits_lines() {
    let got = facts(
        "話題作『青い空』の見どころ",
        "映画『青い空』が来月公開される。\n出演:山田花子、鈴木一郎\n監督:田中一郎",
    );
    for e in [
        "山田花子 performed_in 青い空",
        "鈴木一郎 performed_in 青い空",
        "田中一郎 created 青い空",
    ] {
        assert!(got.iter().any(|g| g == e), "missing {e} in {got:#?}");
    }
    let got = facts(
        "話題作『青い空』の見どころ",
        "映画『青い空』が来月公開される。出演は山田花子、鈴木一郎ほか。",
    );
    assert!(
        got.iter().any(|g| g == "鈴木一郎 performed_in 青い空"),
        "{got:#?}"
    );
    // Only the names listed one after another: not a part named later on.
    let got = facts(
        "話題作『青い空』の見どころ",
        "映画『青い空』が来月公開される。主演は山田花子が、気高いヒロイン、鈴木花子を演じる。",
    );
    assert!(
        got.iter().any(|g| g == "山田花子 performed_in 青い空"),
        "{got:#?}"
    );
    assert!(
        !got.iter().any(|g| g == "鈴木花子 performed_in 青い空"),
        "{got:#?}"
    );
    // A line that only opens with a word and は is no credit.
    lacks("今回は山田花子が登場した。", "performed_in");
}

/// A singer's or a band's song (Xの代表曲「Y」, Xの人気曲2曲「A」「B」): the
/// words say they sing it, not that they wrote it.
#[test]
fn songs_of_singers() {
    has(
        "歌手の山田花子の人気曲2曲「青い空」「白い雲」が流れる。",
        &[
            "山田花子 performed_in 青い空",
            "山田花子 performed_in 白い雲",
        ],
    );
    has(
        "ロックバンドのミドリズの代表曲「青い空」を歌う。",
        &["ミドリズ performed_in 青い空"],
    );
}

/// Works written before an actor noun and the actor's name (『A』『B』などの
/// 演技派俳優X): every title of the list is the actor's.
#[test]
fn filmographies_before_the_name() {
    has(
        "「青い空」「白い雲」などの演技派俳優鈴木一郎も出演する。",
        &[
            "鈴木一郎 performed_in 青い空",
            "鈴木一郎 performed_in 白い雲",
        ],
    );
    // A part is no work of the actor's.
    lacks(
        "主人公の青葉などの演技派俳優鈴木一郎も出演する。",
        "performed_in",
    );
}

/// A list joined by や ends in a word that sums it up (AやBといった俳優, Aや
/// Bらの豪華キャスト): every name of it is in the cast, not the last alone.
#[test]
fn cast_lists_joined_by_ya() {
    let got = facts(
        "映画『青い空』が公開",
        "映画『青い空』が公開される。山田太郎や川村一郎らの豪華キャストが集結した。\
         北山三郎や南田四郎といった俳優たちも出演する。",
    );
    for e in [
        "山田太郎 performed_in 青い空",
        "川村一郎 performed_in 青い空",
        "北山三郎 performed_in 青い空",
        "南田四郎 performed_in 青い空",
    ] {
        assert!(got.iter().any(|g| g == e), "missing {e} in {got:#?}");
    }
}

/// A で-phrase that names nothing (殺し屋で, 予告編で) leaves the cast of the
/// article's work to the article; one marked に (他の作品に) is another work.
#[test]
fn a_plain_de_phrase_is_no_other_work() {
    let got = facts(
        "映画『青い空』が公開",
        "映画『青い空』が公開される。同じく殺し屋で川村一郎演じる元相棒が捕虜となった。\
         山田太郎は昨年、他の作品にも出演した。",
    );
    assert!(
        got.iter().any(|g| g == "川村一郎 performed_in 青い空"),
        "{got:#?}"
    );
    assert!(
        got.iter().all(|g| !g.starts_with("山田太郎 performed_in")),
        "{got:#?}"
    );
}

/// A title in 『』 may end in a word that follows people's names (くん,
/// ちゃん): it is still the work's name, whole.
#[test]
fn a_title_ending_like_a_nickname_is_a_work() {
    let got = facts(
        "映画『空飛ぶタロウくん』が公開",
        "映画『空飛ぶタロウくん』が公開される。主人公を演じるのは山田花子。",
    );
    assert!(
        got.iter()
            .any(|g| g == "山田花子 performed_in 空飛ぶタロウくん"),
        "{got:#?}"
    );
}
