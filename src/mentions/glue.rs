//! Japanese has no spaces, so a word written just before a name can fuse with
//! it: a heading flattened into the next line (「## 戦略のピボットマーク・X」) or
//! a noun before a katakana name (エクソダスベルクマン). When the article also names
//! the person without that word, the fused mention is trimmed to the name.
//! Symbols glued to a name (a closing 」, a stray ・) are trimmed too.
use std::collections::HashSet;

use super::rules::NerRules;
use crate::document::{AnalyzedSentence, EntityType, Mention, MentionKind};

/// A channel's name with a verbal noun fused on (フジテレビ放送の「…」, テレビ朝日放送
/// 「…」) is the channel's name without it: the noun says what it does. Only
/// after a name that already says it is a channel (テレビ, TV), so that a
/// broadcaster named for broadcasting (文化放送) stays whole.
pub(super) fn trim_broadcast_verbs(
    sentences: &[AnalyzedSentence],
    rules: &NerRules,
    mentions: &mut [Mention],
) {
    for m in mentions.iter_mut().filter(|m| m.kind == MentionKind::Name) {
        let tokens = &sentences[m.sentence].tokens;
        if m.tokens.is_empty() {
            continue;
        }
        let last = &tokens[m.tokens.end - 1];
        // The verb may share a token with the name before it (テレビ|朝日放送).
        let Some(verb) = rules
            .broadcast_verbs
            .iter()
            .find(|v| last.surface.ends_with(v.as_str()))
        else {
            continue;
        };
        let Some(name) = m.name.strip_suffix(verb.as_str()) else {
            continue;
        };
        if !rules
            .channel_words
            .iter()
            .any(|w| name.contains(w.as_str()))
        {
            continue;
        }
        // The span keeps the verb, so that what it is written with (X放送「Y」)
        // stays next to the name; the name is the channel's.
        m.name = name.trim_end().to_string();
        m.etype = EntityType::Organization;
    }
}

/// Trims leading words off a name mention whose remainder is the exact name
/// of another person mention in the article. The words cut must be whole
/// tokens that are not proper nouns and not themselves a known name.
pub(super) fn trim_fused_words(sentences: &[AnalyzedSentence], mentions: &mut [Mention]) {
    let persons: HashSet<String> = mentions
        .iter()
        .filter(|m| m.kind == MentionKind::Name && m.etype == EntityType::Person)
        .map(|m| m.name.clone())
        .collect();
    // Any name may be fused: the tagger often types the fused whole as an
    // organisation (エクソダスベルクマン); what remains is the person.
    for m in mentions.iter_mut().filter(|m| m.kind == MentionKind::Name) {
        // The longest other name the mention ends with, of two characters or
        // more: its proper suffixes, longest first, looked up.
        let Some(known) = m
            .name
            .char_indices()
            .skip(1)
            .map(|(at, _)| &m.name[at..])
            .filter(|k| k.chars().count() >= 2)
            .find_map(|k| persons.get(k))
            .cloned()
        else {
            continue;
        };
        let prefix = &m.name[..m.name.len() - known.len()];
        // A prefix set off by ・ or a space is a given name (ジョナサン・ベルクマン), not a
        // fused word.
        let separated = prefix.contains(['・', '=', ' ']);
        if separated || persons.contains(prefix) || !m.surface.starts_with(prefix) {
            continue;
        }
        let tokens = &sentences[m.sentence].tokens;
        let cut_at = m.start + prefix.chars().count();
        // Every token before the cut is a common noun; the cut falls between
        // tokens or inside an unknown word (lindera groups an unknown katakana
        // run whole, so its bounds are not a dictionary decision).
        let mut k = m.tokens.start;
        let mut ok = true;
        while k < m.tokens.end && tokens[k].end <= cut_at {
            ok &= tokens[k].is_noun() && !tokens[k].is_proper();
            k += 1;
        }
        let inside = k < m.tokens.end && tokens[k].start < cut_at;
        if !ok || k >= m.tokens.end || (inside && !tokens[k].unknown) {
            continue;
        }
        m.start = cut_at;
        m.tokens.start = k;
        m.surface = m.surface[prefix.len()..].to_string();
        m.name = known;
        m.etype = EntityType::Person;
    }
}

/// Brackets and joiners that cannot be part of a name: a closing bracket it did
/// not open (the name ends before it: 「A!」、「B」 is two titles), an opening one
/// left unclosed at its edge, and a ・ at either edge. Unknown-word analysis
/// groups symbols with the word next to them, so a span can take them in.
pub(super) fn trim_stray_symbols(sentences: &[AnalyzedSentence], mentions: &mut Vec<Mention>) {
    for m in mentions.iter_mut().filter(|m| m.kind == MentionKind::Name) {
        let (cut_start, keep) = kept_chars(&m.surface);
        if (cut_start, keep) == (0, m.surface.chars().count()) {
            continue;
        }
        m.surface = m.surface.chars().skip(cut_start).take(keep).collect();
        let (n_start, n_keep) = kept_chars(&m.name);
        m.name = m.name.chars().skip(n_start).take(n_keep).collect();
        m.start += cut_start;
        m.end = m.start + keep;
        let tokens = &sentences[m.sentence].tokens;
        while m.tokens.end > m.tokens.start + 1 && tokens[m.tokens.end - 1].start >= m.end {
            m.tokens.end -= 1;
        }
        while m.tokens.start + 1 < m.tokens.end && tokens[m.tokens.start].end <= m.start {
            m.tokens.start += 1;
        }
    }
    mentions.retain(|m| !m.surface.is_empty() && !m.name.is_empty());
}

/// A label or a head noun glued to a name by a colon or = (販売元:株式会社X,
/// 人気ブランド=X, =「X): what follows is the name. Only common words are cut,
/// so a name written with = (ジャン=ポール) stays whole, and so does a title
/// that fills its brackets (『ミッション:インポッシブル』).
pub(super) fn trim_labels(sentences: &[AnalyzedSentence], mentions: &mut Vec<Mention>) {
    for m in mentions.iter_mut().filter(|m| m.kind == MentionKind::Name) {
        let chars: Vec<char> = m.surface.chars().collect();
        let Some(k) = chars.iter().rposition(|c| matches!(c, ':' | '=')) else {
            continue;
        };
        if sentences[m.sentence]
            .sentence
            .fills_brackets(m.start, m.end)
        {
            continue;
        }
        if !(2..=10).contains(&k) && chars[0] != '=' && chars[0] != ':' || k + 1 >= chars.len() {
            continue;
        }
        let cut = m.start + k + 1;
        let tokens = &sentences[m.sentence].tokens;
        let common = tokens[m.tokens.clone()]
            .iter()
            .filter(|t| t.end <= cut)
            .all(|t| {
                t.is_symbol()
                    || t.is_noun() && !t.is_proper() && !t.unknown
                    || "=:".contains(t.surface)
            });
        if !common {
            continue;
        }
        let mut skip = k + 1;
        while skip < chars.len() && chars[skip] == ' ' {
            skip += 1;
        }
        let prefix: String = chars[..skip].iter().collect();
        m.surface = chars[skip..].iter().collect();
        if let Some(rest) = m.name.strip_prefix(prefix.trim_end()) {
            m.name = rest.trim_start().to_string();
        }
        m.start += skip;
        while m.tokens.start + 1 < m.tokens.end && tokens[m.tokens.start].end <= m.start {
            m.tokens.start += 1;
        }
    }
    mentions.retain(|m| !m.surface.is_empty());
}

/// Words that join two names and are never part of one (株式会社ミドリ及び株式会社
/// アオバ): the tagger can take the whole run as one organisation.
const NAME_COORDINATORS: [&str; 7] = [
    "及び",
    "および",
    "並びに",
    "ならびに",
    "または",
    "又は",
    "もしくは",
];

/// Splits a name mention at a coordinator between two names into the two names.
pub(super) fn split_coordinated(sentences: &[AnalyzedSentence], mentions: &mut Vec<Mention>) {
    let mut added = Vec::new();
    for m in mentions.iter_mut().filter(|m| m.kind == MentionKind::Name) {
        let tokens = &sentences[m.sentence].tokens;
        let Some(k) = (m.tokens.start + 1..m.tokens.end.saturating_sub(1))
            .find(|&k| NAME_COORDINATORS.contains(&tokens[k].surface))
        else {
            continue;
        };
        let word = tokens[k].surface;
        let (Some((left_name, right_name)), Some((left, right))) =
            (m.name.split_once(word), m.surface.split_once(word))
        else {
            continue;
        };
        if [left_name, right_name, left, right]
            .iter()
            .any(|s| s.trim().is_empty())
        {
            continue;
        }
        let mut second = m.clone();
        second.tokens = k + 1..m.tokens.end;
        second.start = tokens[k].end;
        second.surface = right.to_string();
        second.name = right_name.to_string();
        m.tokens = m.tokens.start..k;
        m.end = tokens[k].start;
        m.surface = left.to_string();
        m.name = left_name.to_string();
        added.push(second);
    }
    mentions.extend(added);
    mentions.sort_by_key(|m| (m.sentence, m.start));
}

const BRACKETS: [(char, char); 5] = [
    ('「', '」'),
    ('『', '』'),
    ('(', ')'),
    ('【', '】'),
    ('《', '》'),
];

/// Of the characters of `s`: how many stray symbols to cut at the start, and how
/// many characters to keep after them (see [`trim_stray_symbols`]).
fn kept_chars(s: &str) -> (usize, usize) {
    let chars: Vec<char> = s.chars().collect();
    let mut depth = [0usize; BRACKETS.len()];
    let mut end = chars.len();
    for (k, c) in chars.iter().enumerate() {
        if let Some(i) = BRACKETS.iter().position(|p| p.0 == *c) {
            depth[i] += 1;
        } else if let Some(i) = BRACKETS.iter().position(|p| p.1 == *c) {
            if depth[i] == 0 {
                end = k;
                break;
            }
            depth[i] -= 1;
        }
    }
    let kept = &chars[..end];
    let unclosed =
        |c: char, rest: &[char]| BRACKETS.iter().any(|p| p.0 == c && !rest.contains(&p.1));
    let mut start = 0;
    while start < end && (kept[start] == '・' || unclosed(kept[start], &kept[start + 1..end])) {
        start += 1;
    }
    while end > start && (kept[end - 1] == '・' || BRACKETS.iter().any(|p| p.0 == kept[end - 1])) {
        end -= 1;
    }
    (start, end - start)
}

#[cfg(test)]
mod tests {
    use crate::document::{EntityType, MentionKind};

    fn persons(text: &str) -> Vec<String> {
        super::super::tests::run(text)
            .0
            .iter()
            .filter(|m| m.kind == MentionKind::Name && m.etype == EntityType::Person)
            .map(|m| format!("{}@{}", m.name, m.start))
            .collect()
    }

    #[test]
    fn names_joined_by_oyobi_are_two_names() {
        let names: Vec<String> = super::super::tests::run(
            "株式会社ミドリ及び株式会社アオバが運営する動画サービスは好調だ。",
        )
        .0
        .iter()
        .filter(|m| m.kind == MentionKind::Name)
        .map(|m| format!("{}@{}", m.name, m.start))
        .collect();
        assert!(names.contains(&"株式会社ミドリ@0".to_string()), "{names:?}");
        assert!(names.contains(&"株式会社アオバ@9".to_string()), "{names:?}");
    }

    #[test]
    fn a_heading_fused_to_a_name_is_cut_off() {
        let text = "## 新戦略のピボットジョナサン・ベルクマンは方針を変えた。\
                    ジョナサン・ベルクマンは記者会見で語った。";
        let found = persons(text);
        let first = text.chars().position(|c| c == 'ジ').unwrap();
        assert!(
            found.contains(&format!("ジョナサン・ベルクマン@{first}")),
            "{found:?}"
        );
        assert!(
            found.iter().all(|p| !p.starts_with("ピボット")),
            "{found:?}"
        );
    }

    #[test]
    fn a_fused_name_typed_as_an_organisation_is_the_person() {
        let text = "ジョナサン・ベルクマンは方針を変えた。ベルクマンは語った。\
                    ## エクソダスベルクマンだけではない。";
        let found = persons(text);
        let last = text
            .rfind("ベルクマン")
            .map(|b| text[..b].chars().count())
            .unwrap();
        assert!(
            found.iter().any(|p| p.ends_with(&format!("@{last}"))),
            "{found:?}"
        );
    }

    #[test]
    fn no_name_ends_in_a_closing_bracket_it_did_not_open() {
        let text = "「ポポラジ!」は佐々木花子が出演するラジオ番組。\
                    番組「モグモグ探検隊!!」、「ワクワク!」などに出演した。";
        let (mentions, _) = super::super::tests::run(text);
        let names: Vec<&str> = mentions
            .iter()
            .filter(|m| m.kind == MentionKind::Name)
            .map(|m| m.surface.as_str())
            .collect();
        let chars: Vec<char> = text.chars().collect();
        for m in mentions.iter().filter(|m| m.kind == MentionKind::Name) {
            let at: String = chars[m.start..m.end].iter().collect();
            assert_eq!(at, m.surface, "offsets follow the trimmed surface");
        }
        assert!(
            names
                .iter()
                .all(|n| !n.ends_with(['」', '・']) && !n.starts_with('・')),
            "{names:?}"
        );
    }

    #[test]
    fn a_given_name_is_not_a_fused_word() {
        let found = persons("ジョナサン・ベルクマンは方針を変えた。ベルクマンは語った。");
        assert!(
            found.contains(&"ジョナサン・ベルクマン@0".to_string()),
            "{found:?}"
        );
    }

    #[test]
    fn a_name_not_given_alone_elsewhere_is_left_whole() {
        let found = persons("ピボットジョナサン・ベルクマンは方針を変えた。");
        assert!(
            found.iter().all(|p| !p.starts_with("ジョナサン")),
            "{found:?}"
        );
    }
}
