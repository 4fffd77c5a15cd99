//! How real news writes membership of a group or a team (issue 13), on
//! invented names through the whole pipeline: a bare XのY or X・Y is a
//! member only when the article says X is a group or a side; a name after
//! 元 is a group left.
mod news;

use news::{assert_has, assert_lacks, extract, marked_facts};

#[track_caller]
fn has(text: &str, expected: &[&str]) {
    assert_has(&marked_facts(&extract(text)), expected);
}

#[track_caller]
fn lacks(text: &str, unexpected: &[&str]) {
    assert_lacks(&marked_facts(&extract(text)), unexpected);
}

#[test]
fn a_group_introduced_once_makes_its_bare_name_a_group() {
    // The article calls ABC12 a group in one sentence and writes the bare
    // name before a member in another.
    has(
        "人気グループ・ABC12が新曲を発表した。\nABC12の山田花子がドラマに出演した。",
        &["山田花子 member_of ABC12"],
    );
    has(
        "お笑いコンビ「ミドリノ」が番組に出演した。\nミドリノの田中一郎が司会を務める。",
        &["田中一郎 member_of ミドリノ"],
    );
    // ABC12のメンバー anywhere says ABC12 has members.
    has(
        "ABC12のメンバーが集まった。\nさらに、ABC12の山田花子に質問が寄せられた。",
        &["山田花子 member_of ABC12"],
    );
}

#[test]
fn a_company_named_before_a_person_is_no_group() {
    // Nothing says Aoba Tsushin has members: a guest, a speaker, an
    // employee are all written so.
    lacks(
        "アオバ通信の山田花子が新製品を紹介した。",
        &["山田花子 member_of アオバ通信"],
    );
}

#[test]
fn a_national_side_before_a_player() {
    has(
        "日本代表の田中一郎が得点した。",
        &["田中一郎 member_of 日本代表"],
    );
    has(
        "サッカー日本代表・田中一郎が番組に出演した。",
        &["田中一郎 member_of 日本代表"],
    );
    // The side's coach heads it (a noun rule's fact), and is no member.
    lacks(
        "日本代表・田中一郎監督が会見した。",
        &["田中一郎 member_of 日本代表"],
    );
}

#[test]
fn a_dot_between_places_of_a_list_is_no_address() {
    has(
        "新店は東京・南青山にオープンした。",
        &["南青山 located_in 東京"],
    );
    lacks(
        "大阪・名古屋・神奈川の各都市を巡る。",
        &["名古屋 located_in 大阪", "神奈川 located_in 名古屋"],
    );
}

#[test]
fn a_group_left_is_a_former_membership() {
    has(
        "元ABC12のメンバー、山田花子がドラマに出演した。",
        &["山田花子 member_of ABC12 (former)"],
    );
    has(
        "元サッカー日本代表・田中一郎が番組に出演した。",
        &["田中一郎 member_of 日本代表 (former)"],
    );
}
