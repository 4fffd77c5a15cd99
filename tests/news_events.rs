//! Leaving a club and taking part in events as news writes them (issue 13),
//! on invented names through the whole pipeline.
mod news;

use news::{assert_has, assert_lacks, facts_where};

fn asserted(text: &str) -> Vec<String> {
    facts_where(text, |f| !f.open && f.asserted)
}

/// Who is expelled from a club has left it, said actively or in the
/// passive, and in a clause that describes them.
#[test]
fn one_expelled_has_left() {
    for text in [
        "見出し\n山田太郎がアオバ製作所から追放された。",
        "見出し\nアオバ製作所が山田太郎を除名した。",
        "見出し\nアオバ製作所から追放された山田太郎が会見した。",
    ] {
        assert_has(&asserted(text), &["山田太郎 left アオバ製作所"]);
    }
}

/// The agent of a passive expulsion (によって) is not the group left.
#[test]
fn the_agent_of_an_expulsion_is_not_left() {
    let got = asserted("見出し\n山田太郎がアオバ製作所によって追放された。");
    assert_lacks(&got, &["山田太郎 left アオバ製作所"]);
}

/// において is で in the written register: the event a result was had in.
#[test]
fn a_result_in_an_event_written_with_nioite() {
    for text in [
        "見出し\n山田花子が青空選手権において優勝した。",
        "見出し\n青空選手権において、山田花子が優勝した。",
    ] {
        assert_has(&asserted(text), &["山田花子 participant_in 青空選手権"]);
    }
}

/// AはBと対戦し、2-0で快勝した: the opponent of the match that runs into
/// the result is who was beaten, or who won (…1-2で敗れた); a partner one
/// plays with (Bと組んで勝利) is no opponent.
#[test]
fn the_opponent_of_a_match_and_its_result() {
    assert_has(
        &asserted("見出し\nアオバFCはミドリ東京とアウエーで対戦し2-0で快勝した。"),
        &["アオバFC outperformed ミドリ東京"],
    );
    assert_has(
        &asserted("見出し\nアオバFCはミドリ東京とホームで対戦し、1-2で敗れた。"),
        &["ミドリ東京 outperformed アオバFC"],
    );
    assert_lacks(
        &asserted("見出し\nアオバFCはミドリ東京と組んで勝利した。"),
        &["アオバFC outperformed ミドリ東京"],
    );
}
