//! The mentions a perfect recogniser would give, from a list of names: what
//! tests and measurements hand to the later stages to measure them alone.
use super::NerRules;
use crate::document::{AnalyzedSentence, EntityType, Mention, MentionKind};

fn oracle_mention(
    s: &AnalyzedSentence,
    start: usize,
    end: usize,
    etype: EntityType,
    kind: MentionKind,
) -> Mention {
    let surface: String = s
        .sentence
        .text
        .chars()
        .skip(start - s.sentence.start)
        .take(end - start)
        .collect();
    Mention {
        sentence: s.sentence.index,
        tokens: s.token_range(start, end),
        start,
        end,
        name: surface.clone(),
        surface,
        etype,
        kind,
        confidence: 0.8,
    }
}

/// The mentions a perfect recogniser would hand to the entity stage: every
/// occurrence of the given names (longest first), the pronouns 彼/彼女(ら) and
/// the 同X/両X anaphors of `rules`. Used to measure the later stages alone.
pub fn oracle_mentions(
    sentences: &[AnalyzedSentence],
    names: &[(&str, EntityType)],
    rules: &NerRules,
) -> Vec<Mention> {
    let mut names = names.to_vec();
    names.sort_by_key(|(n, _)| std::cmp::Reverse(n.chars().count()));
    let mut anaphors: Vec<(&String, &EntityType)> = rules.anaphors.iter().collect();
    anaphors.sort_by_key(|(a, _)| std::cmp::Reverse(a.chars().count()));
    let mut out = Vec::new();
    for s in sentences {
        let chars: Vec<char> = s.sentence.text.chars().collect();
        let rest = |i: usize| chars[i..].iter().collect::<String>();
        let mut i = 0;
        while i < chars.len() {
            let at = s.sentence.start + i;
            let tail = rest(i);
            if let Some((n, t)) = names.iter().find(|(n, _)| tail.starts_with(n)) {
                let len = n.chars().count();
                out.push(oracle_mention(s, at, at + len, *t, MentionKind::Name));
                i += len;
                continue;
            }
            if let Some((a, t)) = anaphors.iter().find(|(a, _)| tail.starts_with(a.as_str())) {
                let len = a.chars().count();
                out.push(oracle_mention(s, at, at + len, **t, MentionKind::Anaphor));
                i += len;
                continue;
            }
            let pronoun = s.tokens.iter().position(|t| {
                t.start == at && ["彼", "彼女", "彼ら", "彼女ら"].contains(&t.surface)
            });
            if let Some(p) = pronoun {
                let mut end = s.tokens[p].end;
                if let Some(next) = s.tokens.get(p + 1) {
                    if next.surface == "ら" || next.surface == "たち" {
                        end = next.end;
                    }
                }
                out.push(oracle_mention(
                    s,
                    at,
                    end,
                    EntityType::Person,
                    MentionKind::Pronoun,
                ));
                i = end - s.sentence.start;
                continue;
            }
            i += 1;
        }
    }
    out
}
