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
