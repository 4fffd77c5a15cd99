//! A spot a guide lists under a heading with where it is: ■恋弁天 (西新宿、
//! 新宿住友ビル). The words between the heading mark and a parenthesis that
//! holds places alone name a place in them, though the tagger, reading a
//! heading with nothing around it, often finds no name there (恋|弁天, 天使の像).
use std::collections::HashSet;

use super::naming::run_mention;
use super::passes::parenthesis_after;
use super::rules::NerRules;
use crate::document::{AnalyzedSentence, EntityType, Mention, MentionKind};
use crate::tokens::Token;

/// Confidence of a spot named by its heading: the places after it are the cue.
const HEADING_CONFIDENCE: f32 = 0.8;
/// Characters a heading's name may take: a longer run is a headline, not a name.
const MAX_NAME_CHARS: usize = 15;

/// Adds a place mention for each heading name followed by a parenthesis of
/// places, replacing what the tagger found inside it.
pub(super) fn name_listed_spots(
    sentences: &[AnalyzedSentence],
    rules: &NerRules,
    cued_at: &mut HashSet<(usize, usize)>,
    mentions: &mut Vec<Mention>,
) {
    for (si, s) in sentences.iter().enumerate() {
        let toks = &s.tokens;
        // The heading may follow a caption on the same line (…のお墨付き■X).
        let Some(mark) = toks
            .iter()
            .rposition(|t| rules.heading_marks.iter().any(|m| m == t.surface))
        else {
            continue;
        };
        let start = mark + 1;
        let mut end = start;
        while toks.get(end).is_some_and(|t| name_word(t)) {
            end += 1;
        }
        let mut open = end;
        while toks.get(open).is_some_and(Token::is_blank) {
            open += 1;
        }
        if end == start || !toks[end - 1].is_noun() {
            continue;
        }
        let chars: usize = toks[start..end]
            .iter()
            .map(|t| t.surface.chars().count())
            .sum();
        if chars > MAX_NAME_CHARS {
            continue;
        }
        let Some(inside) = parenthesis_after(toks, open) else {
            continue;
        };
        if !places_alone(toks, inside, si, mentions) {
            continue;
        }
        let (from, to) = (toks[start].start, toks[end - 1].end);
        mentions.retain(|m| m.sentence != si || m.end <= from || to <= m.start);
        cued_at.insert((si, from));
        mentions.push(run_mention(
            toks,
            si,
            start..end,
            EntityType::Place,
            HEADING_CONFIDENCE,
        ));
    }
}

/// A word a spot's name is made of: a noun, a prefix, or the の of 天使の像.
fn name_word(t: &Token) -> bool {
    // The dictionary reads a bare ( as a noun.
    !t.is_blank()
        && !t.is_symbol()
        && !t.is_open_bracket()
        && !matches!(t.surface, "(" | ")")
        && (t.is_noun() || t.is_prefix() || t.is_adnominalizer())
}

/// Whether the tokens `inside` a parenthesis are place mentions and the
/// commas or dots between them, with at least one place.
fn places_alone(
    toks: &[Token],
    inside: std::ops::Range<usize>,
    si: usize,
    mentions: &[Mention],
) -> bool {
    let places: Vec<&Mention> = mentions
        .iter()
        .filter(|m| {
            m.sentence == si
                && m.kind == MentionKind::Name
                && m.etype == EntityType::Place
                && inside.contains(&m.tokens.start)
                && m.tokens.end <= inside.end
        })
        .collect();
    !places.is_empty()
        && inside.clone().all(|k| {
            let t = &toks[k];
            t.is_blank()
                || t.is_comma()
                || t.surface == "・"
                || places.iter().any(|m| m.tokens.contains(&k))
        })
}
