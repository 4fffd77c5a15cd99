//! A name the article writes in Latin letters is often written in katakana
//! elsewhere in the same article (Vantora / バントラ, Lumina / ルミナ), and the
//! other way round. The tagger sees one form with a cue and misses the other
//! form in a bare context; this pass reads the other form as the same kind of
//! name when its sound skeleton matches one the article already named.
use std::ops::Range;

use super::spans::{is_katakana_word, is_latin_word};
use crate::document::{AnalyzedSentence, Mention, MentionKind};
use crate::names::{keys_alike, phonetic, Phonetic};
use crate::text::is_katakana;
use crate::tokens::Token;

/// Confidence of a mention found only as another script's spelling of a name.
const OTHER_SCRIPT: f32 = 0.55;

/// Consonant classes two spellings must share; two (M-T) is enough because the
/// other form is already a name of this article.
const MIN_CONSONANTS: usize = 2;

/// Adds mentions for uncovered katakana words or Latin words that sound like a
/// one-word name of the other script already mentioned in the article.
pub(super) fn add_other_script_spellings(
    sentences: &[AnalyzedSentence],
    mentions: &mut Vec<Mention>,
) {
    let mut known: Vec<(String, crate::document::EntityType)> = mentions
        .iter()
        .filter(|m| m.kind == MentionKind::Name)
        .filter_map(|m| Some((word_of(&m.name)?.to_string(), m.etype)))
        .collect();
    known.sort_by(|a, b| a.0.cmp(&b.0));
    known.dedup_by(|a, b| a.0 == b.0);
    if known.is_empty() {
        return;
    }
    // Each known name's script and sound, made once for every word compared.
    let known: Vec<Known> = known
        .into_iter()
        .map(|(name, etype)| Known {
            script: one_word(&name),
            sound: phonetic(&name),
            etype,
        })
        .collect();
    let mut extra = Vec::new();
    // Mentions a whole other-script word replaces (トラ inside バントラ).
    let mut replaced = Vec::new();
    let in_sentence = super::passes::by_sentence(sentences.len(), mentions);
    for (si, s) in sentences.iter().enumerate() {
        let here = in_sentence.get(si).map_or(&[][..], Vec::as_slice);
        add_runs(s, si, here, mentions, &known, &mut extra, &mut replaced);
    }
    let replaced: std::collections::HashSet<usize> = replaced.into_iter().collect();
    let mut k = 0;
    mentions.retain(|_| {
        k += 1;
        !replaced.contains(&(k - 1))
    });
    mentions.extend(extra);
}

/// A one-word name the article already mentions.
struct Known {
    script: Option<Script>,
    sound: Option<Phonetic>,
    etype: crate::document::EntityType,
}

/// [`add_other_script_spellings`] for the word runs of one sentence, whose
/// mentions are `here` (indices into `mentions`).
fn add_runs(
    s: &AnalyzedSentence,
    si: usize,
    here: &[usize],
    mentions: &[Mention],
    known: &[Known],
    extra: &mut Vec<Mention>,
    replaced: &mut Vec<usize>,
) {
    for run in word_runs(s) {
        let (start, end) = (s.tokens[run.start].start, s.tokens[run.end - 1].end);
        let overlapping: Vec<usize> = here
            .iter()
            .copied()
            .filter(|&k| {
                let m = &mentions[k];
                m.start < end && start < m.end
            })
            .collect();
        // A mention as long as the word or longer already reads it.
        if overlapping
            .iter()
            .any(|&k| mentions[k].start <= start && end <= mentions[k].end)
        {
            continue;
        }
        // One reaching outside the word reads the text differently: keep it.
        if overlapping
            .iter()
            .any(|&k| mentions[k].start < start || end < mentions[k].end)
        {
            continue;
        }
        let surface: String = s.tokens[run.clone()].iter().map(|t| t.surface).collect();
        let Some(script) = one_word(&surface) else {
            continue;
        };
        let Some(sound) = phonetic(&surface) else {
            continue;
        };
        let found = known.iter().find(|k| {
            k.script.is_some_and(|k| k != script)
                && k.sound
                    .as_ref()
                    .is_some_and(|ks| keys_alike(&sound, ks, MIN_CONSONANTS))
        });
        if let Some(Known { etype, .. }) = found {
            replaced.extend(overlapping);
            extra.push(Mention {
                sentence: si,
                tokens: run,
                start,
                end,
                name: surface.clone(),
                surface,
                etype: *etype,
                kind: MentionKind::Name,
                confidence: OTHER_SCRIPT,
            });
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Script {
    Latin,
    Katakana,
    /// Katakana and Latin in one word (ルミナAI).
    Mixed,
}

/// The script of a name written as one word (no spaces or ・), else None.
fn one_word(name: &str) -> Option<Script> {
    if is_latin_word(name) {
        let letters = name.chars().filter(char::is_ascii_alphabetic).count();
        (letters >= 3).then_some(Script::Latin)
    } else if is_katakana_word(name) {
        Some(Script::Katakana)
    } else if name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || (is_katakana(c) && c != '・'))
        && name.chars().any(is_katakana)
        && name.chars().any(|c| c.is_ascii_alphabetic())
    {
        Some(Script::Mixed)
    } else {
        None
    }
}

/// The name as one word, or its word part before a kanji ending (Vantora社,
/// ルミナ本社 → the word).
fn word_of(name: &str) -> Option<&str> {
    let cut = name
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_alphanumeric() || (is_katakana(*c) && *c != '・')))
        .map_or(name.len(), |(i, _)| i);
    let rest_is_kanji = name[cut..].chars().all(crate::text::is_kanji);
    (rest_is_kanji && one_word(&name[..cut]).is_some()).then_some(&name[..cut])
}

fn is_word_token(t: &Token) -> bool {
    is_latin_word(t.surface)
        || (!t.surface.is_empty() && t.surface.chars().all(|c| is_katakana(c) && c != '・'))
}

/// Maximal runs of adjacent katakana or Latin tokens, read as one word: a word
/// the tokeniser split is read whole (ミラーレス is not ミラ, ルミナ|AI is
/// one name). A run glued to a following or preceding noun (ミラ社内) is part
/// of a longer word and left out.
fn word_runs(s: &AnalyzedSentence) -> Vec<Range<usize>> {
    let toks = &s.tokens;
    let glued = |a: &Token, b: &Token| a.end == b.start;
    let mut runs = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        if !is_word_token(&toks[i]) {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < toks.len() && is_word_token(&toks[j]) && glued(&toks[j - 1], &toks[j]) {
            j += 1;
        }
        let noun_before = i > 0 && toks[i - 1].is_noun() && glued(&toks[i - 1], &toks[i]);
        let noun_after = j < toks.len() && toks[j].is_noun() && glued(&toks[j - 1], &toks[j]);
        if !noun_before && !noun_after {
            runs.push(i..j);
        }
        i = j;
    }
    runs
}

#[cfg(test)]
mod tests {
    use crate::document::{EntityType, MentionKind};

    fn names(text: &str) -> Vec<(String, EntityType)> {
        super::super::tests::run(text)
            .0
            .iter()
            .filter(|m| m.kind == MentionKind::Name)
            .map(|m| (m.surface.clone(), m.etype))
            .collect()
    }

    #[test]
    fn a_katakana_spelling_of_a_latin_name_is_the_same_kind_of_name() {
        let found = names(
            "米Vantora社は新しい半導体を発表した。アナリストはバントラの株価が上がると見ている。",
        );
        let latin = found.iter().find(|(s, _)| s.contains("Vantora")).unwrap();
        assert!(
            found.contains(&("バントラ".to_string(), latin.1)),
            "{found:?}"
        );
    }

    #[test]
    fn longer_words_and_unrelated_katakana_stay_common_nouns() {
        // ミラーレス contains the sound of Mira but is another word; データ has
        // no Latin name to be a spelling of.
        let found = names("Mira社は声明を出した。ミラーレスのデータは増えている。");
        assert!(
            found.iter().all(|(s, _)| s != "ミラ" && s != "データ"),
            "{found:?}"
        );
    }

    #[test]
    fn lower_case_english_words_are_not_names() {
        let found = names("同社は研究文化を dismantled し、Vantoraとの提携に向けて舵を切った。");
        assert!(found.iter().all(|(s, _)| s != "dismantled"), "{found:?}");
    }
}
