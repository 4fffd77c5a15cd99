//! Taking part in an event as news writes it: the event's name from the noun
//! that ends it (…オープン, …予選, …試写会), and the verbs and nouns that say
//! someone was there (臨む, 制する, X大会優勝のY), on invented names through
//! the whole pipeline.
mod news;

use musubi::EntityType;
use news::{assert_has, assert_lacks, extract, facts_where};

fn asserted(text: &str) -> Vec<String> {
    facts_where(text, |f| !f.open && f.asserted)
}

fn event_names(text: &str) -> Vec<String> {
    extract(text)
        .entities
        .iter()
        .filter(|e| e.etype == EntityType::Event)
        .map(|e| e.label.clone())
        .collect()
}

/// A tournament named for a place or a sponsor with オープン, a qualifying
/// round (…予選), a marathon or a relay: each names an event.
#[test]
fn endings_that_name_an_event() {
    let text = "見出し\n山田花子は2031年にアオバ女子オープンで優勝した。\n\
                山田太郎は青空カップアジア最終予選に出場した。\n\
                佐藤一郎はミドリ国際女子マラソンに出場した。\n\
                鈴木次郎はアオバ実業団駅伝に出場した。";
    let names = event_names(text);
    for name in [
        "アオバ女子オープン",
        "青空カップアジア最終予選",
        "ミドリ国際女子マラソン",
        "アオバ実業団駅伝",
    ] {
        assert!(names.iter().any(|n| n == name), "{name} not in {names:?}");
    }
    assert_has(
        &asserted(text),
        &[
            "山田花子 participant_in アオバ女子オープン",
            "山田太郎 participant_in 青空カップアジア最終予選",
            "佐藤一郎 participant_in ミドリ国際女子マラソン",
            "鈴木次郎 participant_in アオバ実業団駅伝",
        ],
    );
}

/// A title in brackets after an event noun (イベント「…」, 見本市「…」,
/// ツアー「…」) names an event, whatever words it is made of; after a work
/// noun it still names a work.
#[test]
fn a_title_after_an_event_noun_names_an_event() {
    let text = "見出し\nゲームの見本市「AOBA EXPO 2031」がミドリ市で開催された。\n\
                山田花子が全国ツアー「SORA LIVE TOUR」に出演した。\n\
                映画「ミドリの丘」が公開された。\n\
                アオバ商事はイベント「ミドリフェア」に出展した。";
    let names = event_names(text);
    for name in ["AOBA EXPO 2031", "SORA LIVE TOUR"] {
        assert!(names.iter().any(|n| n == name), "{name} not in {names:?}");
    }
    assert!(!names.iter().any(|n| n == "ミドリの丘"), "{names:?}");
    assert_has(
        &asserted(text),
        &[
            "AOBA EXPO 2031 located_in ミドリ市",
            "山田花子 performed_in SORA LIVE TOUR",
            "アオバ商事 participant_in ミドリフェア",
        ],
    );
}

/// A premiere or a screening of a film is an event its guests attend.
#[test]
fn a_guest_at_a_screening_takes_part_in_it() {
    let got = asserted("見出し\n女優の佐藤花子が映画『ミドリの丘』の女性限定試写会に出席した。");
    assert_has(&got, &["佐藤花子 participant_in 女性限定試写会"]);
}

/// The lead of the film a screening shows does not perform in the
/// screening: the clause describes the film, though the screening ends the
/// phrase it modifies.
#[test]
fn the_lead_of_a_screened_film_does_not_perform_in_the_screening() {
    let got = asserted(
        "見出し\n山田花子は、初主演を務める映画『ミドリの丘』の完成披露試写会に参加した。",
    );
    assert_has(&got, &["山田花子 participant_in 完成披露試写会"]);
    assert_lacks(&got, &["山田花子 performed_in 完成披露試写会"]);
}

/// A host said with で still performs in the event.
#[test]
fn a_host_of_an_event_said_with_de() {
    let got = asserted("見出し\n山田花子がアオバ音楽祭で司会を務めた。");
    assert_has(&got, &["山田花子 performed_in アオバ音楽祭"]);
}

/// 臨む, 挑む, 初出場: the verbs of going into a competition.
#[test]
fn going_into_a_competition() {
    for (text, fact) in [
        (
            "見出し\n山田太郎が来月の青空選手権に臨む。",
            "山田太郎 participant_in 青空選手権",
        ),
        (
            "見出し\n青空選手権に挑む山田太郎が会見した。",
            "山田太郎 participant_in 青空選手権",
        ),
        (
            "見出し\n鈴木一郎がアオバ五輪に初出場した。",
            "鈴木一郎 participant_in アオバ五輪",
        ),
    ] {
        assert_has(&asserted(text), &[fact]);
    }
}

/// Who won an event (Xを制する, Xを制覇) or finished it (Xを完走) took part.
#[test]
fn winning_or_finishing_an_event() {
    for (text, fact) in [
        (
            "見出し\nアオバFCが青空選手権を制した。",
            "アオバFC participant_in 青空選手権",
        ),
        (
            "見出し\nミドリ高校がアオバ杯を初制覇した。",
            "ミドリ高校 participant_in アオバ杯",
        ),
        (
            "見出し\n山田太郎がミドリ国際マラソンを完走した。",
            "山田太郎 participant_in ミドリ国際マラソン",
        ),
    ] {
        assert_has(&asserted(text), &[fact]);
    }
}

/// X大会優勝のY, X五輪金メダリストのY: a winner or medallist named with the
/// event took part in it.
#[test]
fn a_winner_named_with_the_event() {
    assert_has(
        &asserted("見出し\nアオバ女子オープン優勝の佐藤花子が来日した。"),
        &["佐藤花子 participant_in アオバ女子オープン"],
    );
    assert_has(
        &asserted("見出し\n柔道家でアオバ五輪金メダリストの山田太郎が会見した。"),
        &["山田太郎 participant_in アオバ五輪"],
    );
}

/// A shop's opening (Xオープン) is no event someone takes part in; nor is a
/// product line (…コレクション) an event.
#[test]
fn a_collection_is_no_event() {
    let names = event_names("見出し\nアオバ商事が新作のミドリコレクションを発売した。");
    assert!(names.is_empty(), "{names:?}");
}
