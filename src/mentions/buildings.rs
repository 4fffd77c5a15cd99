//! The building of an address: 六本木3-13-14 第3ゴトウビルB1F names, after the
//! house number, the building the place is in and the floor in it. The tagger
//! reads such a run as anything (an organisation swallowing the floor, the
//! floor alone as a product), so a name ending in a facility word
//! (`facility_suffixes`: ビル, タワー) right before a floor (B1F, 2F, 3階) is a
//! place, and the floor is no name.
use super::naming::run_mention;
use super::rules::NerRules;
use crate::document::{AnalyzedSentence, EntityType, Mention};
use crate::tokens::Token;

/// Confidence of a building found by its floor: the floor is an explicit cue.
const BUILDING_CONFIDENCE: f32 = 0.8;

/// Replaces the mentions over each building-and-floor run by a place mention
/// of the building.
pub(super) fn find_buildings(
    sentences: &[AnalyzedSentence],
    rules: &NerRules,
    mentions: &mut Vec<Mention>,
) {
    if rules.facility_suffixes.is_empty() {
        return;
    }
    for (si, s) in sentences.iter().enumerate() {
        let toks = &s.tokens;
        for end in 1..toks.len() {
            let Some(floor_end) = floor_after(toks, end) else {
                continue;
            };
            let Some(start) = building_start(toks, end, rules) else {
                continue;
            };
            let (from, to) = (toks[start].start, toks[floor_end - 1].end);
            mentions.retain(|m| m.sentence != si || m.end <= from || to <= m.start);
            mentions.push(run_mention(
                toks,
                si,
                start..end,
                EntityType::Place,
                BUILDING_CONFIDENCE,
            ));
        }
    }
}

/// The end of a floor (B1F, 2F, 地下1階, B1F-3F) written from token `at`,
/// after any spaces: a number, with B or 地下 before it for a basement, and F
/// or 階 after it.
fn floor_after(toks: &[Token], at: usize) -> Option<usize> {
    let mut i = at;
    while toks.get(i).is_some_and(Token::is_blank) {
        i += 1;
    }
    // Tokens may hold the floor whole (B1F) or in pieces (B|1|F, 地下|1|階).
    let mut text = String::new();
    for (k, t) in toks.iter().enumerate().skip(i).take(4) {
        text.push_str(t.surface);
        // 高層ビル30階分: a floor count that a word goes on from is no floor.
        // (Written on: after a space, the next word is the line's next item.)
        let word_follows = toks.get(k + 1).is_some_and(|n| {
            n.start == t.end && n.is_noun() && n.surface.starts_with(char::is_alphabetic)
        });
        if is_floor(&text) {
            return (!word_follows).then_some(k + 1);
        }
    }
    None
}

fn is_floor(text: &str) -> bool {
    let rest = text
        .strip_prefix("地下")
        .or_else(|| text.strip_prefix('B'))
        .unwrap_or(text);
    let Some(number) = rest.strip_suffix('F').or_else(|| rest.strip_suffix('階')) else {
        return false;
    };
    !number.is_empty() && number.chars().all(|c| c.is_ascii_digit())
}

/// Where the building's name that ends before token `end` starts: its last
/// token ends in a facility word, and it runs back over nouns and prefixes
/// (第3, 新宿高野第二) to a space, a symbol or a house number (2-6-1). None
/// when there is no such name, or it is the facility word alone (ビル1F).
fn building_start(toks: &[Token], end: usize, rules: &NerRules) -> Option<usize> {
    let last = toks[end - 1].surface;
    let suffix = rules
        .facility_suffixes
        .iter()
        .find(|x| last.ends_with(x.as_str()))?;
    let mut start = end - 1;
    while start > 0 {
        let t = &toks[start - 1];
        // A number right after another or after a hyphen is the house number's.
        let in_house_number = t.is_number()
            && start >= 2
            && (toks[start - 2].is_number() || breaks_name(toks[start - 2].surface));
        let part_of_name = (t.is_noun() || t.is_prefix())
            && !t.is_symbol()
            && !breaks_name(t.surface)
            && !in_house_number;
        if !part_of_name {
            break;
        }
        start -= 1;
    }
    let name_len: usize = toks[start..end].iter().map(|t| t.surface.len()).sum();
    (name_len > suffix.len()).then_some(start)
}

/// Whether a token holds what no building's name holds: a space, a hyphen of
/// a house number, a label's colon, a bracket or a comma.
fn breaks_name(surface: &str) -> bool {
    surface.trim().is_empty()
        || surface
            .chars()
            .any(|c| c.is_whitespace() || "-‐−:：、,()（）「」".contains(c))
}
