//! Prizes and contests as news writes them (issue 13): a record of winning
//! that a clause says someone has. Invented names throughout.
mod news;

use news::{assert_has, assert_lacks, facts_where};

fn asserted(text: &str) -> Vec<String> {
    facts_where(text, |f| !f.open && f.asserted)
}

/// X賞受賞歴のあるY, X賞の受賞経験を持つY: the name the clause modifies has
/// won the prize.
#[test]
fn a_record_of_winning_held_by_the_name_it_describes() {
    assert_has(
        &asserted("青空映画賞受賞歴のある山田花子が出演する。"),
        &["山田花子 award_received 青空映画賞"],
    );
    assert_has(
        &asserted("青空映画賞の受賞経験を持つ川村一郎が監督を務める。"),
        &["川村一郎 award_received 青空映画賞"],
    );
}

/// Of AとB after such a clause, only A is said to have the record.
#[test]
fn a_record_of_winning_before_a_pair_of_names() {
    let got = asserted("青空映画賞受賞歴のある山田花子と、川村一郎が共演した。");
    assert_has(&got, &["山田花子 award_received 青空映画賞"]);
    assert_lacks(&got, &["川村一郎 award_received 青空映画賞"]);
}

/// A clause without a name to run into (受賞経験のある俳優) says nothing of
/// the other names of the sentence.
#[test]
fn a_record_of_winning_of_an_unnamed_noun() {
    let got = asserted("青空映画賞受賞経験のある俳優が山田花子と共演する。");
    assert_lacks(&got, &["山田花子 award_received 青空映画賞"]);
}

/// A prize given in the passive: the recipient keeps its に (AにX賞が贈られた),
/// the prize its に after 選ばれる (AがX賞に選ばれた); a prize decided
/// says its winner with に (X賞はAに決まった).
#[test]
fn a_prize_given_chosen_or_decided_in_the_passive() {
    assert_has(
        &asserted("見出し\n青空財団から山田花子に青空映画賞が贈られた。"),
        &["山田花子 award_received 青空映画賞"],
    );
    assert_has(
        &asserted("見出し\n川村一郎が青空映画賞に選ばれた。"),
        &["川村一郎 award_received 青空映画賞"],
    );
    assert_has(
        &asserted("見出し\n今年の青空映画賞は川村一郎に決まった。"),
        &["川村一郎 award_received 青空映画賞"],
    );
}

/// The giver of a passive is no recipient, and a prize decided for a day
/// or a place names no winner.
#[test]
fn a_giver_or_a_date_is_no_recipient() {
    let got = asserted("見出し\n青空財団から山田花子に青空映画賞が贈られた。");
    assert_lacks(&got, &["青空財団 award_received 青空映画賞"]);
    let got = asserted("見出し\n青空映画賞の発表は東京で3月に決まった。");
    assert_lacks(&got, &["東京 award_received 青空映画賞"]);
}

/// A passive whose topic names nothing (映画は…に選ばれている) is about that
/// thing: the subject of a clause that describes it is no winner.
#[test]
fn a_passive_about_an_unnamed_topic() {
    let got =
        asserted("見出し\n山田花子が出演している映画は、大ヒット作で、青空映画賞に選ばれている。");
    assert_lacks(&got, &["山田花子 award_received 青空映画賞"]);
}
