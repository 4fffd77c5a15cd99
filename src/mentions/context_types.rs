//! Types from what real news writes around a name: a prize word at its end
//! (アカデミー賞), an address it heads (東京都港区…), a team or club word
//! before it, a maker's cue (X製, Xが発売), a label line of an information
//! block (住所: …). Each pass retypes or adds mentions; none reads beyond
//! the sentence of the name, except the information block's heading.
use std::collections::{HashMap, HashSet};

use super::lexicon;
use super::naming::{canonical_name, sentence_text, text_after};
use super::passes::by_sentence;
use super::rules::{in_list, NerRules};
use super::spans::STRONG;
use crate::document::{AnalyzedSentence, EntityType, Mention, MentionKind};
use crate::tokens::Token;

/// Names of prizes (アカデミー賞, 紫綬褒章): the tagger knows no award type, so
/// a name ending in an award word (`award_suffixes`: 賞, 章) is an award
/// whatever type it guessed, and a run of nouns ending in one that it did not
/// find (最優秀選手賞) becomes an award mention. A run opened by an anaphor
/// prefix (同賞) names nothing by itself.
pub(super) fn type_awards(
    sentences: &[AnalyzedSentence],
    rules: &NerRules,
    cued_at: &mut HashSet<(usize, usize)>,
    mentions: &mut Vec<Mention>,
) {
    if rules.award_suffixes.is_empty() {
        return;
    }
    let is_award = |name: &str| {
        rules
            .award_suffixes
            .iter()
            .any(|x| name.ends_with(x.as_str()) && name.chars().count() > x.chars().count() + 1)
    };
    for m in mentions.iter_mut() {
        if m.kind == MentionKind::Name && is_award(&m.name) {
            m.etype = EntityType::Award;
            cued_at.insert((m.sentence, m.start));
        }
    }
    let index = by_sentence(sentences.len(), mentions);
    let mut extra = Vec::new();
    for (si, s) in sentences.iter().enumerate() {
        let toks = &s.tokens;
        for end in 0..toks.len() {
            // 賞 after a noun (アカデミー賞), or one word ending in one (紫綬褒章).
            let award_word = in_list(&rules.award_suffixes, toks[end].surface)
                || toks[end].is_noun() && is_award(toks[end].surface);
            if !award_word {
                continue;
            }
            let part = |t: &Token| {
                t.is_noun()
                    && !(t.is_dependent()
                        || t.is_pronoun()
                        || t.is_number()
                        || t.is_adverbial_noun())
                    || t.is_prefix()
                    || t.surface == "・"
            };
            let mut start = end;
            while start > 0 && part(&toks[start - 1]) {
                start -= 1;
            }
            if toks[start].is_prefix()
                && rules
                    .anaphors
                    .keys()
                    .any(|a| a.starts_with(toks[start].surface))
            {
                continue;
            }
            let (from, to) = (toks[start].start, toks[end].end);
            let text = sentence_text(s, from, to);
            if !is_award(&text) {
                continue;
            }
            let covered = index[si]
                .iter()
                .map(|&i| &mentions[i])
                .chain(
                    extra
                        .iter()
                        .rev()
                        .take_while(|m: &&Mention| m.sentence == si),
                )
                .any(|m| m.start < to && from < m.end);
            if !covered {
                cued_at.insert((si, from));
                extra.push(Mention {
                    sentence: si,
                    tokens: start..end + 1,
                    start: from,
                    end: to,
                    name: canonical_name(&text, rules),
                    surface: text,
                    etype: EntityType::Award,
                    kind: MentionKind::Name,
                    confidence: STRONG,
                });
            }
        }
    }
    mentions.extend(extra);
}

/// Addresses are chains of places: 東京都新宿区西新宿2丁目 names 東京都, 新宿区
/// and 西新宿, each inside the one before. A place name that runs over an
/// administrative level (`address_levels`: 都, 県, 区…) into a further proper
/// name is split there, and the house number that follows the last name
/// (2丁目6-1) is no part of it, nor is a word that names a part of the place
/// (`place_areas`: ロンドン南部, 山梨県内), nor, inside the chain, such a word
/// between two places (X州南東部Y郡). 東京・広尾 is two places too. A name of
/// another type that ends in such a word (ドルガリア北西部 read as an
/// organisation) is the place it names a part of.
pub(super) fn split_addresses(
    sentences: &[AnalyzedSentence],
    rules: &NerRules,
    mentions: &mut Vec<Mention>,
) {
    if rules.address_levels.is_empty() {
        return;
    }
    let lexicon = rules.lexicon.as_deref();
    let mut out = Vec::with_capacity(mentions.len());
    for mut m in mentions.drain(..) {
        if m.kind == MentionKind::Name && m.etype != EntityType::Place && m.tokens.len() >= 2 {
            let s = &sentences[m.sentence];
            let toks = &s.tokens;
            let tail = (m.tokens.start + 1..m.tokens.end.min(toks.len())).any(|k| {
                toks[k].start < m.end
                    && in_list(&rules.place_areas, &sentence_text(s, toks[k].start, m.end))
            });
            if tail {
                m.etype = EntityType::Place;
            }
        }
        if m.kind != MentionKind::Name || m.etype != EntityType::Place || m.tokens.is_empty() {
            out.push(m);
            continue;
        }
        let s = &sentences[m.sentence];
        let toks = &s.tokens;
        // The house number ends the name: cut at the first number. So does a
        // word that names a part of the place (ロンドン南部, 県内).
        let mut end = m.tokens.end.min(toks.len());
        if let Some(k) = (m.tokens.start + 1..end).find(|&k| {
            toks[k].is_number()
                || toks[k].start < m.end
                    && in_list(&rules.place_areas, &sentence_text(s, toks[k].start, m.end))
        }) {
            end = k;
        }
        let known = lexicon.is_some_and(|l| l.classes(&m.name) != 0);
        let mut cuts = vec![m.tokens.start];
        // Part words inside the chain (X州南東部Y郡: Y郡 lies in the south-east
        // of X州): token ranges that belong to no place.
        let mut areas: Vec<std::ops::Range<usize>> = Vec::new();
        let mut k = m.tokens.start + 1;
        while k < end {
            let area = (1..=3).filter(|j| k + j < end).find(|&j| {
                toks[k + j].is_noun()
                    && !toks[k + j].is_number()
                    && in_list(
                        &rules.place_areas,
                        &sentence_text(s, toks[k].start, toks[k + j - 1].end),
                    )
            });
            if let Some(j) = area {
                cuts.push(k);
                cuts.push(k + j);
                areas.push(k..k + j);
                k += j + 1;
                continue;
            }
            let prev = &toks[k - 1];
            let level = prev.is_suffix() && in_list(&rules.address_levels, prev.surface);
            let joined = prev.surface == "・" && !known;
            if (level || joined) && toks[k].is_proper() {
                cuts.push(k);
            }
            k += 1;
        }
        if cuts.len() == 1 && end == m.tokens.end {
            out.push(m);
            continue;
        }
        cuts.push(end);
        for w in cuts.windows(2) {
            if areas.iter().any(|r| r.start == w[0] && r.end == w[1]) {
                continue;
            }
            let (mut a, b) = (w[0], w[1]);
            // A ・ between two places belongs to neither.
            if toks[a].surface == "・" {
                a += 1;
            }
            let mut b = b;
            while b > a && toks[b - 1].surface == "・" {
                b -= 1;
            }
            if a >= b {
                continue;
            }
            let (from, to) = (toks[a].start.max(m.start), toks[b - 1].end.min(m.end));
            if from >= to {
                continue;
            }
            let text = sentence_text(s, from, to);
            out.push(Mention {
                sentence: m.sentence,
                tokens: a..b,
                start: from,
                end: to,
                name: canonical_name(&text, rules),
                surface: text,
                etype: EntityType::Place,
                kind: MentionKind::Name,
                confidence: m.confidence,
            });
        }
    }
    *mentions = out;
}

/// Teams named after their place: a place that players or staff are "of"
/// (ハンブルクの田中選手, ハンブルクのFW田中, ハンブルク監督) is a club, unless the
/// lexicon calls it a country (日本の選手) or its name ends like a polity
/// (X県, X市). So is a place a team plays (Xと対戦, Xを下し:
/// `team_contexts`). And a team name that swallowed a player's title (日本代表MF)
/// is cut before it.
pub(super) fn type_teams(
    sentences: &[AnalyzedSentence],
    rules: &NerRules,
    cued_at: &mut HashSet<(usize, usize)>,
    mentions: &mut [Mention],
) {
    if rules.team_titles.is_empty() {
        return;
    }
    for m in mentions.iter_mut() {
        if m.kind != MentionKind::Name || m.etype != EntityType::Organization {
            continue;
        }
        let Some(title) = rules
            .team_titles
            .iter()
            .find(|t| m.name.ends_with(t.as_str()) && m.name.len() > t.len())
        else {
            continue;
        };
        let toks = &sentences[m.sentence].tokens;
        let keep = m.name.chars().count() - title.chars().count();
        let cut = m.start + keep;
        let Some(k) = (m.tokens.start..m.tokens.end).find(|&k| toks[k].start == cut) else {
            continue;
        };
        m.tokens.end = k;
        m.end = cut;
        m.surface = m.surface.chars().take(keep).collect();
        m.name = m.name.chars().take(keep).collect();
    }
    let lexicon = rules.lexicon.as_deref();
    // Persons by (sentence, first token), so that each place looks up the
    // name after it instead of scanning every mention of the article.
    let persons: HashMap<(usize, usize), usize> = mentions
        .iter()
        .filter(|p| p.etype == EntityType::Person)
        .map(|p| ((p.sentence, p.tokens.start), p.tokens.end))
        .collect();
    let mut teams = Vec::new();
    for (i, m) in mentions.iter().enumerate() {
        if m.kind != MentionKind::Name || m.etype != EntityType::Place {
            continue;
        }
        let toks = &sentences[m.sentence].tokens;
        let polity = rules
            .place_suffixes
            .iter()
            .any(|x| m.name.ends_with(x.as_str()))
            || lexicon.is_some_and(|l| l.classes(&m.name) & lexicon::COUNTRY != 0);
        if polity {
            continue;
        }
        let is_title = |k: usize| {
            toks.get(k)
                .is_some_and(|t| in_list(&rules.team_titles, t.surface))
        };
        let mut k = m.tokens.end;
        if toks.get(k).is_some_and(|t| t.surface == "の") {
            k += 1;
        }
        // The title right after, or after the person it names (の田中一郎選手).
        let person_then_title = persons.get(&(m.sentence, k)).is_some_and(|&end| {
            is_title(end)
                || toks.get(end).is_some_and(|t| {
                    rules
                        .team_titles
                        .iter()
                        .any(|x| t.surface.starts_with(x.as_str()))
                })
        });
        // (Xとアウェーで対戦し, Xを下し): a place a team plays against is a team.
        let plays = rules
            .team_contexts
            .iter()
            .any(|c| text_after(toks, m.tokens.end).starts_with(c.as_str()));
        if is_title(k) || person_then_title || plays {
            teams.push(i);
        }
    }
    for i in teams {
        let m = &mut mentions[i];
        m.etype = EntityType::Organization;
        cued_at.insert((m.sentence, m.start));
    }
}

/// X製 (シャープ製, ロロ・ピアーナ社製): the name before a maker suffix
/// (`maker_suffixes`) is the organisation that made the thing. A mention ending
/// there becomes an organisation, and a run of name-like words there that the
/// tagger left (シャープ, a word in IPADIC) becomes one, unless the lexicon
/// calls it a place (日本製: where, not who) or only a common word (ステンレス製:
/// what it is made of).
pub(super) fn type_makers(
    sentences: &[AnalyzedSentence],
    rules: &NerRules,
    cued_at: &mut HashSet<(usize, usize)>,
    mentions: &mut Vec<Mention>,
) {
    let Some(lexicon) = rules.lexicon.as_deref() else {
        return;
    };
    let index = by_sentence(sentences.len(), mentions);
    let mut extra = Vec::new();
    for (si, s) in sentences.iter().enumerate() {
        let toks = &s.tokens;
        for k in 1..toks.len() {
            if !in_list(&rules.maker_suffixes, toks[k].surface) {
                continue;
            }
            let at = toks[k].start;
            let ending = index[si]
                .iter()
                .copied()
                .find(|&i| mentions[i].kind == MentionKind::Name && mentions[i].end == at);
            if let Some(i) = ending {
                let m = &mut mentions[i];
                if m.etype != EntityType::Place {
                    m.etype = EntityType::Organization;
                    cued_at.insert((si, m.start));
                }
                continue;
            }
            let mut start = k;
            while start > 0 && super::spans::name_like(&toks[start - 1]) {
                start -= 1;
            }
            if start == k {
                continue;
            }
            let from = toks[start].start;
            let text = sentence_text(s, from, at);
            let classes = lexicon.classes(&text);
            let known_name = classes & lexicon::OTHER_PROPER != 0;
            let place = classes & (lexicon::PLACE | lexicon::COUNTRY) != 0;
            let unknown = classes == 0 && toks[start..k].iter().all(|t| t.unknown || t.is_proper());
            let covered = index[si]
                .iter()
                .map(|&i| &mentions[i])
                .chain(
                    extra
                        .iter()
                        .rev()
                        .take_while(|m: &&Mention| m.sentence == si),
                )
                .any(|m| m.start < at && from < m.end);
            if covered || place || !(known_name || unknown) {
                continue;
            }
            cued_at.insert((si, from));
            extra.push(Mention {
                sentence: si,
                tokens: start..k,
                start: from,
                end: at,
                name: canonical_name(&text, rules),
                surface: text,
                etype: EntityType::Organization,
                kind: MentionKind::Name,
                confidence: STRONG,
            });
        }
    }
    mentions.extend(extra);
}

/// 商品名:X: the value of a product label (`product_labels`) is the name of a
/// product, whole up to the end of its line; 開発者:X (`maker_labels`), of an
/// organisation, unless the recogniser found an organisation or a person
/// there already (開発者:Canon Inc is the company it knows).
pub(super) fn type_by_label(
    sentences: &[AnalyzedSentence],
    rules: &NerRules,
    cued_at: &mut HashSet<(usize, usize)>,
    mentions: &mut Vec<Mention>,
) {
    /// Longest value read as one name, in characters.
    const MAX_CHARS: usize = 40;
    // One value per labelled line: sentence → its span.
    let mut replaced: HashMap<usize, (usize, usize)> = HashMap::new();
    let mut added = Vec::new();
    for (si, s) in sentences.iter().enumerate() {
        let text = s
            .sentence
            .text
            .trim_start_matches(|c: char| !c.is_alphanumeric());
        let skipped = s.sentence.text.chars().count() - text.chars().count();
        let Some((label, value)) = text.split_once(':') else {
            continue;
        };
        let etype = if in_list(&rules.product_labels, label.trim()) {
            EntityType::Product
        } else if in_list(&rules.maker_labels, label.trim()) {
            EntityType::Organization
        } else {
            continue;
        };
        let value_trimmed = value.trim_start();
        let from = s.sentence.start
            + skipped
            + label.chars().count()
            + 1
            + (value.chars().count() - value_trimmed.chars().count());
        let name = value_trimmed.trim_end();
        let n = name.chars().count();
        if n == 0 || n > MAX_CHARS {
            continue;
        }
        let to = from + n;
        let tokens = s.token_range(from, to);
        if tokens.is_empty() {
            continue;
        }
        let named = mentions.iter().any(|m| {
            m.sentence == si
                && m.start < to
                && from < m.end
                && matches!(m.etype, EntityType::Organization | EntityType::Person)
        });
        if etype == EntityType::Organization && named {
            continue;
        }
        replaced.insert(si, (from, to));
        cued_at.insert((si, from));
        added.push(Mention {
            sentence: si,
            tokens,
            start: from,
            end: to,
            surface: name.to_string(),
            name: canonical_name(name, rules),
            etype,
            kind: MentionKind::Name,
            confidence: STRONG,
        });
    }
    if !added.is_empty() {
        mentions.retain(|m| {
            replaced
                .get(&m.sentence)
                .is_none_or(|&(from, to)| !(m.start < to && from < m.end))
        });
        mentions.extend(added);
    }
}
