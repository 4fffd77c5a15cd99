//! Japanese has no spaces, so a word written just before a name can fuse with
//! it: a heading flattened into the next line (「## 戦略のピボットマーク・X」) or
//! a noun before a katakana name (エクソダスベルクマン). When the article also names
//! the person without that word, the fused mention is trimmed to the name.
use crate::document::{AnalyzedSentence, EntityType, Mention, MentionKind};

/// Trims leading words off a name mention whose remainder is the exact name
/// of another person mention in the article. The words cut must be whole
/// tokens that are not proper nouns and not themselves a known name.
pub(super) fn trim_fused_words(sentences: &[AnalyzedSentence], mentions: &mut [Mention]) {
    let persons: Vec<String> = mentions
        .iter()
        .filter(|m| m.kind == MentionKind::Name && m.etype == EntityType::Person)
        .map(|m| m.name.clone())
        .collect();
    // Any name may be fused: the tagger often types the fused whole as an
    // organisation (エクソダスベルクマン); what remains is the person.
    for m in mentions.iter_mut().filter(|m| m.kind == MentionKind::Name) {
        // The longest other name the mention ends with, of two characters or more.
        let Some(known) = persons
            .iter()
            .filter(|k| {
                k.chars().count() >= 2 && k.len() < m.name.len() && m.name.ends_with(k.as_str())
            })
            .max_by_key(|k| k.len())
        else {
            continue;
        };
        let prefix = &m.name[..m.name.len() - known.len()];
        // A prefix set off by ・ or a space is a given name (ジョナサン・ベルクマン), not a
        // fused word.
        let separated = prefix.contains(['・', '=', ' ']);
        if separated || persons.iter().any(|p| p == prefix) || !m.surface.starts_with(prefix) {
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
        m.name = known.clone();
        m.etype = EntityType::Person;
    }
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
