//! Who made, wrote or published a work and where an event was held, as news
//! writes them (issue 13), on invented names through the whole pipeline: the
//! author of the book a film adapts, a publisher in parentheses after a
//! title, and the place of an event whose name reads as a product's.
mod news;

use news::{assert_has, assert_lacks, extract, fact_line};

/// The asserted facts of an article whose first line is `headline`.
fn facts(headline: &str, body: &str) -> Vec<String> {
    let x = extract(&format!("{headline}\n{body}"));
    x.facts
        .iter()
        .filter(|f| !f.open && f.asserted)
        .map(|f| fact_line(&x, f))
        .collect()
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
