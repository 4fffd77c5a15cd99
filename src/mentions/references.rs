//! Words that point back: pronouns (彼, 彼女) and anaphors (同社, 両社, also
//! when the tokeniser splits 同 + 社). The entity stage finds what they refer to.
use super::rules::{in_list, NerRules};
use crate::document::{AnalyzedSentence, EntityType, Mention, MentionKind};

/// Pronouns (彼) and anaphors (同社, also when the tokenizer splits 同 + 社).
pub(super) fn find(s: &AnalyzedSentence, si: usize, rules: &NerRules, out: &mut Vec<Mention>) {
    let toks = &s.tokens;
    // A token and the next joined, in one buffer for the sentence.
    let mut two = String::new();
    let mut i = 0;
    while i < toks.len() {
        let t = &toks[i];
        if in_list(&rules.person_pronouns, t.surface) {
            out.push(reference(
                s,
                si,
                i..i + 1,
                EntityType::Person,
                MentionKind::Pronoun,
            ));
            i += 1;
            continue;
        }
        let found = if let Some(ty) = rules.anaphors.get(t.surface) {
            Some((i..i + 1, *ty))
        } else {
            toks.get(i + 1).and_then(|n| {
                two.clear();
                two.push_str(t.surface);
                two.push_str(n.surface);
                rules.anaphors.get(&two).map(|ty| (i..i + 2, *ty))
            })
        };
        let Some((range, ty)) = found else {
            i += 1;
            continue;
        };
        let m = reference(s, si, range.clone(), ty, MentionKind::Anaphor);
        // 両社 names two things: one mention per referent, over the same text
        // (the entity stage gives the second a different antecedent).
        if in_list(&rules.pair_anaphors, &m.surface) {
            out.push(m.clone());
        }
        out.push(m);
        i = range.end;
    }
}

pub(super) fn reference(
    s: &AnalyzedSentence,
    sentence: usize,
    tokens: std::ops::Range<usize>,
    etype: EntityType,
    kind: MentionKind,
) -> Mention {
    let surface: String = s.tokens[tokens.clone()].iter().map(|t| t.surface).collect();
    Mention {
        sentence,
        start: s.tokens[tokens.start].start,
        end: s.tokens[tokens.end - 1].end,
        name: surface.clone(),
        surface,
        tokens,
        etype,
        kind,
        confidence: 0.9,
    }
}
