//! Who is in a work, said the ways entertainment news says it when the
//! clause itself names no work (issue 13): the lead or the voices of the work
//! an article is about, and the lists of its cast. Invented names throughout.
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

/// 主演を務めるのはX, 主演を務めるX, 声優をA、Bが担当: the lead and the voices
/// of the article's work.
#[test]
fn the_lead_of_the_work_the_article_is_about() {
    assert_has(
        &about_the_film("主演を務めるのは、人気俳優の山田花子。"),
        &["山田花子 performed_in 青い空"],
    );
    assert_has(
        &about_the_film("主演を務める山田花子が会見に登場した。"),
        &["山田花子 performed_in 青い空"],
    );
    assert_has(
        &about_the_film("日本語吹き替え版の声優を川村一郎、北山三郎らが担当している。"),
        &[
            "川村一郎 performed_in 青い空",
            "北山三郎 performed_in 青い空",
        ],
    );
}

/// Xが主演を務める恋愛映画, Xが主演を務める短編「Y」の発表会: a clause that
/// describes another noun speaks of that thing, not of the article's work.
#[test]
fn a_lead_in_a_clause_describing_another_noun() {
    let got = about_the_film(
        "南田四郎が主演を務める恋愛映画も話題だ。\
         東野五郎が主演を務める短編ドラマの発表会が開かれた。",
    );
    assert_lacks(
        &got,
        &[
            "南田四郎 performed_in 青い空",
            "東野五郎 performed_in 青い空",
        ],
    );
}

/// その他に、A、Bらも出演: "besides" names no work, and a topic says every
/// name of its list.
#[test]
fn a_cast_list_besides_the_lead() {
    let got = about_the_film("その他に、川村一郎、北山三郎らも出演する。");
    assert_has(
        &got,
        &[
            "川村一郎 performed_in 青い空",
            "北山三郎 performed_in 青い空",
        ],
    );
}

/// Aや、『Y』のBという俳優たちも出演: after や and a comma the conjunct is B,
/// not the の-phrase before it; a clause before A is A's alone.
#[test]
fn a_list_whose_second_name_has_a_title_before_it() {
    let got = about_the_film(
        "その他に、『白い雲』で主人公を演じた川村一郎や、『赤い花』の北山三郎という若手俳優たちも出演。",
    );
    assert_has(
        &got,
        &[
            "川村一郎 performed_in 青い空",
            "北山三郎 performed_in 青い空",
            "川村一郎 performed_in 白い雲",
        ],
    );
    assert_lacks(&got, &["北山三郎 performed_in 白い雲"]);
}

/// A round-up of the week's films writes many works in 『』, none much more
/// than the others: the lead a clause leaves unsaid is no cast of the work
/// the headline names first.
#[test]
fn a_round_up_of_many_works_has_no_one_work() {
    let got = facts_where(
        "【週末映画まとめ読み】『青い空』が首位\n\
         今週は『青い空』が首位となり、『赤い川』が2位、『白い山』が3位、\
         『黒い海』が4位、『緑の森』が5位、『黄色い花』が6位に入った。\
         『赤い川』の監督は、撮影時のことや、主演を務める山田花子について語ってくれました。\
         『白い山』と『黒い海』は来週も話題となりそうだ。",
        |f| !f.open && f.asserted,
    );
    assert_lacks(&got, &["山田花子 performed_in 青い空"]);
}

/// A headline naming no work (A、Bらスター30人が集結) is about more than the
/// work its body goes on to: it stands alone.
#[test]
fn a_headline_naming_no_work() {
    let got = facts_where(
        "川村一郎、北山三郎らスター30人が集結した写真が公開\n\
         映画『青い空』の予告映像が公開された。映画『青い空』は来月公開。",
        |f| !f.open && f.asserted,
    );
    assert_lacks(
        &got,
        &[
            "川村一郎 performed_in 青い空",
            "北山三郎 performed_in 青い空",
        ],
    );
}

/// A headline that quotes a phrase of the story in 「」 (「夜の店」で…) is not
/// naming the work: the one the article writes in 『』 is.
#[test]
fn a_work_in_double_brackets_before_a_quoted_phrase() {
    let got = facts_where(
        "人気アイドルが「夜の店」で小遣い稼ぎ\n\
         映画『青い空』の本編映像が公開された。「夜の店」に通う日々を描く。\
         映画『青い空』は来月公開。主人公を演じるのは、人気俳優の山田花子。",
        |f| !f.open && f.asserted,
    );
    assert_has(&got, &["山田花子 performed_in 青い空"]);
    assert_lacks(&got, &["山田花子 performed_in 夜の店"]);
}

/// X主演で映画化した『Y』: the work made with X in the lead is the noun the
/// clause modifies, not the source it adapts.
#[test]
fn a_work_adapted_with_a_lead() {
    let got = about_the_film("人気小説を、北山三郎主演で映画化した『赤い川』も話題だ。");
    assert_has(&got, &["北山三郎 performed_in 赤い川"]);
}

/// A、Bら豪華キャストが勢揃い。: 勢揃い, a plain noun to the dictionary, is
/// the clause's action, written bare or with した.
#[test]
fn a_cast_that_gathers_in_full() {
    let got = about_the_film(
        "川村一郎、北山三郎ら豪華キャストが勢揃い。\
         南田四郎、東野五郎など実力派キャストが勢揃いした。",
    );
    assert_has(
        &got,
        &[
            "川村一郎 performed_in 青い空",
            "北山三郎 performed_in 青い空",
            "南田四郎 performed_in 青い空",
            "東野五郎 performed_in 青い空",
        ],
    );
}

/// A、Bという…から支持を受ける女優が集結, A、Bなど錚々たる豪華キャスト,
/// A、Bという人気の若手俳優たち: the names belong to the cast noun that the
/// words after という or など describe; but in Aという女性が
/// 支持する女優が集結 they are the 女性 who support them, not the cast.
#[test]
fn a_cast_noun_described_after_its_names() {
    let got = about_the_film(
        "川村花子、北山春子という同世代の女性から支持を受ける女優が集結した話題作。",
    );
    assert_has(
        &got,
        &[
            "川村花子 performed_in 青い空",
            "北山春子 performed_in 青い空",
        ],
    );
    let got = about_the_film(
        "さらに南田四郎、東野五郎など錚々たる豪華キャストが集結。\
         西川六郎、中田七郎という人気の若手俳優たちも共演している。",
    );
    assert_has(
        &got,
        &[
            "南田四郎 performed_in 青い空",
            "東野五郎 performed_in 青い空",
            "西川六郎 performed_in 青い空",
            "中田七郎 performed_in 青い空",
        ],
    );
    let got = about_the_film("南田秋子という女性が支持する女優が集結した。");
    assert_lacks(&got, &["南田秋子 performed_in 青い空"]);
}
