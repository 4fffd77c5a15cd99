//! Passes over the whole article after the spans: a parenthesised second
//! name (X(Y)), names cut short where the article writes them whole, types
//! from neighbours, descriptions and parentheses, one type per name across the
//! article, and the article's repetitions of names it has already found.
use std::collections::{HashMap, HashSet};

use super::naming::{canonical_name, sentence_text};
use super::rules::{in_list, NerRules};
use super::spans::STRONG;
use crate::document::{AnalyzedSentence, EntityType, Mention, MentionKind};
use crate::text::{is_kana, is_kanji};
use crate::tokens::{Tag, Token};

/// ロジヴィア(Logivia): the name in parentheses right after a name is another name
/// of the same thing; emit it so the entity stage can alias the two.
pub(super) fn add_parenthesised_names(
    sentences: &[AnalyzedSentence],
    rules: &NerRules,
    mentions: &mut Vec<Mention>,
) {
    let mut extra = Vec::new();
    let mut retype = Vec::new();
    let in_sentence = by_sentence(sentences.len(), mentions);
    for m in mentions.iter().filter(|m| m.kind == MentionKind::Name) {
        let s = &sentences[m.sentence];
        let toks = &s.tokens;
        let Some(inner) = parenthesis_after(toks, m.tokens.end) else {
            continue;
        };
        let close = inner.end;
        if inner.is_empty() || inner.len() > 6 {
            continue;
        }
        let text = sentence_text(s, toks[inner.start].start, toks[close - 1].end);
        // A number with a counter starts a profile (7歳・小2), not a name.
        let profile = toks[inner.start].is_number()
            && toks.get(inner.start + 1).is_some_and(Token::is_counter);
        // A second spelling is one word or a few joined words, not a gloss or a date.
        let one_name = !profile
            && text.chars().any(|c| c.is_alphabetic())
            && !text.chars().any(|c| matches!(c, '、' | ',' | ':' | '。'))
            && text
                .chars()
                .all(|c| c.is_alphanumeric() || " ・-.&".contains(c))
            && !text.chars().all(|c| is_kanji(c) || c.is_ascii_digit())
            // A particle makes it a phrase (製品開発のVP), not a name.
            && !toks[inner.clone()].iter().any(Token::is_particle)
            // So does a head noun or title at its end (米ソフトウェア企業, 同社CEO).
            && describes(toks[close - 1].surface, rules).is_none();
        let (start, end) = (toks[inner.start].start, toks[close - 1].end);
        let covering = in_sentence[m.sentence]
            .iter()
            .copied()
            .find(|&o| mentions[o].start < end && start < mentions[o].end);
        if let Some(o) = covering {
            // Already a mention: the same thing, so the same type as the name outside.
            if one_name && (mentions[o].start, mentions[o].end) == (start, end) {
                retype.push((o, m.etype));
            }
        } else if one_name {
            extra.push(Mention {
                sentence: m.sentence,
                tokens: inner.clone(),
                start,
                end,
                name: canonical_name(&text, rules),
                surface: text,
                etype: m.etype,
                kind: MentionKind::Name,
                confidence: m.confidence,
            });
        }
    }
    for (o, t) in retype {
        mentions[o].etype = t;
    }
    mentions.extend(extra);
}

/// 「Bold(ボールド) 9900」: a reading in parentheses inside a bracketed title
/// does not end the name; the title is the name without the reading (Bold
/// 9900), and the reading is no name of its own. Without this the name ends at
/// the parenthesis, and the reading alone (ボールド) stands for the product.
pub(super) fn join_titles_across_readings(
    sentences: &[AnalyzedSentence],
    rules: &NerRules,
    mentions: &mut Vec<Mention>,
) {
    let mut covered = Vec::new();
    for (i, m) in mentions.iter_mut().enumerate() {
        if m.kind != MentionKind::Name || m.tokens.start == 0 {
            continue;
        }
        let s = &sentences[m.sentence];
        let toks = &s.tokens;
        let closing = match toks[m.tokens.start - 1].surface {
            "「" => "」",
            "『" => "』",
            _ => continue,
        };
        let Some(inner) = parenthesis_after(toks, m.tokens.end) else {
            continue;
        };
        let reading = !inner.is_empty()
            && toks[inner.clone()]
                .iter()
                .all(|t| t.surface.chars().all(|c| is_kana(c) || c == ' '));
        let rest = inner.end + 1;
        let Some(close) = (rest..toks.len().min(rest + 6)).find(|&k| toks[k].surface == closing)
        else {
            continue;
        };
        // What follows the reading is more of the name (Bold(ボールド) 9900), not a phrase.
        let more_name = close > rest
            && toks[rest..close].iter().all(|t| {
                t.surface
                    .chars()
                    .all(|c| c.is_alphanumeric() || " ・-.&".contains(c))
            });
        if !reading || !more_name {
            continue;
        }
        let (start, end) = (m.start, toks[close - 1].end);
        let before = sentence_text(s, m.start, toks[inner.start - 1].start);
        let after = sentence_text(s, toks[rest].start, end);
        // REGZA(レグザ)Phone: the parenthesis stood between two words.
        let gap = if before.ends_with(|c: char| c.is_ascii_alphanumeric())
            && after.starts_with(|c: char| c.is_ascii_alphanumeric())
        {
            " "
        } else {
            ""
        };
        m.name = canonical_name(&format!("{before}{gap}{after}"), rules);
        m.surface = sentence_text(s, start, end);
        m.tokens.end = close;
        m.end = end;
        covered.push((m.sentence, start, end, i));
    }
    let mut k = 0;
    mentions.retain(|o| {
        let keep = !covered.iter().any(|&(si, start, end, i)| {
            i != k && o.sentence == si && start <= o.start && o.end <= end
        });
        k += 1;
        keep
    });
}

/// A name found whole somewhere in the article (アルテラ技研) is that name wherever
/// its text recurs: a mention the tagger cut short at the same place
/// (アルテラ|技研の社長) is extended to the longer name.
pub(super) fn extend_to_known_names(sentences: &[AnalyzedSentence], mentions: &mut [Mention]) {
    // Surface → canonical name, of the first mention with that surface.
    let mut known: HashMap<String, String> = HashMap::new();
    for m in mentions.iter().filter(|m| m.kind == MentionKind::Name) {
        known
            .entry(m.surface.clone())
            .or_insert_with(|| m.name.clone());
    }
    let longest = known.keys().map(String::len).max().unwrap_or(0);
    let in_sentence = by_sentence(sentences.len(), mentions);
    for i in 0..mentions.len() {
        let m = &mentions[i];
        if m.kind != MentionKind::Name {
            continue;
        }
        let toks = &sentences[m.sentence].tokens;
        let limit = in_sentence[m.sentence]
            .iter()
            .map(|&o| mentions[o].tokens.start)
            .filter(|&start| start >= m.tokens.end)
            .min()
            .unwrap_or(toks.len());
        // The longest known surface that the mention and the tokens after it
        // spell, ending on a token boundary before the next mention.
        let mut acc = m.surface.clone();
        let mut longer = None;
        for (j, t) in toks.iter().enumerate().take(limit).skip(m.tokens.end) {
            if acc.len() >= longest {
                break;
            }
            acc.push_str(t.surface);
            if let Some(name) = known.get(&acc) {
                longer = Some((j + 1, acc.clone(), name.clone()));
            }
        }
        if let Some((j, surface, name)) = longer {
            let m = &mut mentions[i];
            m.tokens.end = j;
            m.end = toks[j - 1].end;
            m.surface = surface;
            m.name = name;
        }
    }
}

/// A ruler's or noble's title between a place and a name (フランス王ルイ,
/// ノヴゴロド公ウラジーミル, X侯爵Y): the name after the last title is the
/// person, and the proper name before it the place they rule, each a mention
/// of its own.
pub(super) fn split_titled_names(
    sentences: &[AnalyzedSentence],
    rules: &NerRules,
    mentions: &mut Vec<Mention>,
) {
    if rules.ruler_titles.is_empty() {
        return;
    }
    let mut places = Vec::new();
    for m in mentions.iter_mut() {
        if m.kind != MentionKind::Name || m.tokens.len() < 3 {
            continue;
        }
        let s = &sentences[m.sentence];
        let toks = &s.tokens;
        let Some(k) = (m.tokens.start + 1..m.tokens.end - 1)
            .rev()
            .find(|&k| in_list(&rules.ruler_titles, toks[k].surface))
        else {
            continue;
        };
        // The person's name is katakana (a European or Slavic name), so that a
        // title inside a longer name (王子製紙) is left alone.
        let person = &toks[k + 1..m.tokens.end];
        let katakana = |t: &Token| t.surface.chars().all(crate::text::is_katakana);
        if !katakana(&person[0]) || toks[k + 1].start < m.start {
            continue;
        }
        let place = m.tokens.start..k;
        // A name the dictionary does not know is an unknown word, not a proper noun.
        let named = |t: &Token| t.is_proper() || t.unknown && t.is_noun();
        if toks[place.clone()].iter().all(named) && toks[place.start].start >= m.start {
            let (from, to) = (toks[place.start].start, toks[k - 1].end);
            let text = sentence_text(s, from, to);
            places.push(Mention {
                sentence: m.sentence,
                tokens: place,
                start: from,
                end: to,
                name: canonical_name(&text, rules),
                surface: text,
                etype: EntityType::Place,
                kind: MentionKind::Name,
                confidence: m.confidence,
            });
        }
        let from = toks[k + 1].start;
        let text = sentence_text(s, from, m.end);
        m.tokens.start = k + 1;
        m.start = from;
        m.name = canonical_name(&text, rules);
        m.surface = text;
        m.etype = EntityType::Person;
    }
    mentions.extend(places);
}

/// A sovereign's number is part of the name (ルイ13世, カーロイ1世): a person
/// mention followed by a number and one of `regnal_suffixes` runs over them.
pub(super) fn extend_regnal_numbers(
    sentences: &[AnalyzedSentence],
    rules: &NerRules,
    mentions: &mut [Mention],
) {
    if rules.regnal_suffixes.is_empty() {
        return;
    }
    let taken = Taken::of(mentions);
    for m in mentions.iter_mut() {
        if m.kind != MentionKind::Name || m.etype != EntityType::Person || m.tokens.is_empty() {
            continue;
        }
        let toks = &sentences[m.sentence].tokens;
        let end = m.tokens.end;
        // The number may already be in the mention (ルイ13|世).
        let number_at = if toks[end - 1].is_number() && end - 1 > m.tokens.start {
            end - 1
        } else {
            end
        };
        let (Some(n), Some(suffix)) = (toks.get(number_at), toks.get(number_at + 1)) else {
            continue;
        };
        if !n.is_number() || !in_list(&rules.regnal_suffixes, suffix.surface) {
            continue;
        }
        if number_at == end && taken.overlaps(m.sentence, n.start, suffix.end) {
            continue;
        }
        let text = sentence_text(&sentences[m.sentence], m.end, suffix.end);
        m.tokens.end = number_at + 2;
        m.end = suffix.end;
        m.surface.push_str(&text);
        m.name.push_str(&text);
    }
}

/// XのY where Y is a product and X a company or a product: X makes Y, so X is an
/// organisation, and says so for its other mentions (VantoraのKestrel → Vantora).
/// (Tried too: names of one list (A、B、そしてC) sharing the type of a member
/// typed by a cue or the dictionary: 0.002 F1 worse on ner-wikipedia folds.)
pub(super) fn type_by_neighbours(
    sentences: &[AnalyzedSentence],
    cued_at: &mut HashSet<(usize, usize)>,
    mentions: &mut [Mention],
) {
    let names: Vec<usize> = (0..mentions.len())
        .filter(|&i| mentions[i].kind == MentionKind::Name)
        .collect();
    let between = |a: &Mention, b: &Mention| -> Option<String> {
        (a.sentence == b.sentence && a.tokens.end <= b.tokens.start).then(|| {
            sentences[a.sentence].tokens[a.tokens.end..b.tokens.start]
                .iter()
                .map(|t| t.surface)
                .collect()
        })
    };
    for w in names.windows(2) {
        let (a, b) = (&mentions[w[0]], &mentions[w[1]]);
        if matches!(a.etype, EntityType::Product | EntityType::Organization)
            && b.etype == EntityType::Product
            && between(a, b).as_deref() == Some("の")
            && !cued_at.contains(&(a.sentence, a.start))
        {
            mentions[w[0]].etype = EntityType::Organization;
            cued_at.insert((mentions[w[0]].sentence, mentions[w[0]].start));
        }
    }
}

/// Xは…クラブで、 / Xは…企業だ。: a topic the clause describes with a head noun
/// takes that noun's type (フライブルクは1904年に設立されたクラブで、 makes the city
/// name a club). The head noun must close the clause: で then a comma, or だ/です/
/// である then its end, so that a place (…クラブで練習した) is not read as a description.
pub(super) fn type_by_description(
    sentences: &[AnalyzedSentence],
    rules: &NerRules,
    cued_at: &mut HashSet<(usize, usize)>,
    mentions: &mut [Mention],
) {
    for m in mentions.iter_mut() {
        if m.kind != MentionKind::Name || cued_at.contains(&(m.sentence, m.start)) {
            continue;
        }
        let toks = &sentences[m.sentence].tokens;
        // Xとは、…番組で: a definition describes its topic as は does.
        let defined = toks.get(m.tokens.end).is_some_and(|t| t.surface == "と")
            && toks
                .get(m.tokens.end + 1)
                .is_some_and(|t| t.surface == "は");
        let mut from = m.tokens.end + 1 + usize::from(defined);
        if !defined && toks.get(m.tokens.end).is_none_or(|t| t.surface != "は") {
            continue;
        }
        // Xは、日本の企業である: a comma right after は opens the description.
        if toks.get(from).is_some_and(|t| t.is_comma()) {
            from += 1;
        }
        let clause_end = (from..toks.len())
            .find(|&k| matches!(toks[k].pos[1], Tag::Comma | Tag::Period))
            .unwrap_or(toks.len());
        let words: Vec<&str> = toks[from..clause_end].iter().map(|t| t.surface).collect();
        let comma_after = clause_end < toks.len() && toks[clause_end].is_comma();
        let copula = match words[..] {
            [.., _, "で", "ある"] | [.., _, "で", "あっ", "た"] => 3,
            [.., _, "で"] if comma_after => 2,
            [.., _, "だ" | "です" | "である"] => 2,
            _ => continue,
        };
        let head = &toks[clause_end - copula];
        if !head.is_noun() || clause_end - copula <= from {
            continue;
        }
        // …放送された番組で: a work noun describes a work, a product.
        let work = in_list(&rules.work_heads, head.surface).then_some(EntityType::Product);
        if let Some(t) = rules.head_type(|list| in_list(list, head.surface)).or(work) {
            m.etype = t;
            cued_at.insert((m.sentence, m.start));
        }
    }
}

/// The indices of `mentions` by sentence: the passes below look at the names
/// of one sentence at a time, and scanning the whole article for each would
/// make a long article cost its length squared.
pub(super) fn by_sentence(sentences: usize, mentions: &[Mention]) -> Vec<Vec<usize>> {
    let mut out = vec![Vec::new(); sentences];
    for (i, m) in mentions.iter().enumerate() {
        if let Some(v) = out.get_mut(m.sentence) {
            v.push(i);
        }
    }
    out
}

/// X(製品開発のVP) / X(同社社長): a parenthesis right after a name that ends in a
/// title or head noun says what the name is, as an apposition does. News writes
/// people this way, and a foreign name alone gives the tagger little to go on.
pub(super) fn type_by_parenthesis(
    sentences: &[AnalyzedSentence],
    rules: &NerRules,
    cued_at: &mut HashSet<(usize, usize)>,
    mentions: &mut [Mention],
) {
    /// Longest parenthesis read as a description, in tokens.
    const MAX_TOKENS: usize = 12;
    for m in mentions.iter_mut() {
        if m.kind != MentionKind::Name || cued_at.contains(&(m.sentence, m.start)) {
            continue;
        }
        let toks = &sentences[m.sentence].tokens;
        let Some(inner) = parenthesis_after(toks, m.tokens.end) else {
            continue;
        };
        if inner.is_empty() || inner.len() > MAX_TOKENS {
            continue;
        }
        if let Some(t) = describes(toks[inner.end - 1].surface, rules) {
            m.etype = t;
            cued_at.insert((m.sentence, m.start));
        }
    }
}

/// The tokens inside a parenthesis that opens at token `open`, up to the first
/// closing one; None if none opens there or it is never closed.
pub(super) fn parenthesis_after(toks: &[Token], open: usize) -> Option<std::ops::Range<usize>> {
    if toks.get(open)?.surface != "(" {
        return None;
    }
    let close = (open + 1..toks.len()).find(|&k| toks[k].surface == ")")?;
    Some(open + 1..close)
}

/// What a word ending a description says the described thing is: a person's
/// title (社長, VP) or a head noun (企業, 都市).
pub(super) fn describes(word: &str, rules: &NerRules) -> Option<EntityType> {
    if in_list(&rules.person_suffixes, word) {
        Some(EntityType::Person)
    } else {
        rules.head_type(|list| in_list(list, word))
    }
}

/// Descriptions that introduce an organisation without naming it (持ち株会社,
/// 新会社): mentions of their own, so that later references (その傘下, 同社)
/// and facts have something to point to.
pub(super) fn add_descriptions(
    sentences: &[AnalyzedSentence],
    rules: &NerRules,
    mentions: &mut Vec<Mention>,
) {
    if rules.organization_descriptions.is_empty() {
        return;
    }
    let targets: Vec<(&String, EntityType)> = rules
        .organization_descriptions
        .iter()
        .map(|d| (d, EntityType::Organization))
        .collect();
    add_occurrences(sentences, &targets, mentions);
}

/// Adds a mention ([`OCCURRENCE_CONFIDENCE`]) for each token-aligned occurrence of each
/// target string that no mention covers yet: the article's repetitions of a
/// known name, or of a description.
pub(super) fn add_occurrences(
    sentences: &[AnalyzedSentence],
    targets: &[(&String, EntityType)],
    mentions: &mut Vec<Mention>,
) {
    // Each target string with its indices in `targets` (which set the order in
    // which overlapping occurrences claim the text), sorted by string: the
    // strings that begin with a given text are then one run of the list, and
    // the search from a token stops as soon as no target begins with the
    // tokens read so far.
    let mut wanted: Vec<(&str, Vec<usize>)> = Vec::new();
    let mut order: Vec<usize> = (0..targets.len()).collect();
    order.sort_by(|&a, &b| targets[a].0.cmp(targets[b].0).then(a.cmp(&b)));
    for k in order {
        let name = targets[k].0.as_str();
        match wanted.last_mut() {
            Some((last, ks)) if *last == name => ks.push(k),
            _ => wanted.push((name, vec![k])),
        }
    }
    let mut taken = Taken::of(mentions);
    let mut extra = Vec::new();
    let mut found = Vec::new();
    let mut acc = String::new();
    for (si, s) in sentences.iter().enumerate() {
        let toks = &s.tokens;
        for i in 0..toks.len() {
            if toks[i].surface.is_empty() {
                continue;
            }
            // Targets spelt by the tokens from i on, ending on a token boundary.
            found.clear();
            acc.clear();
            for (j, t) in toks.iter().enumerate().skip(i) {
                acc.push_str(t.surface);
                let at = wanted.partition_point(|(name, _)| *name < acc.as_str());
                match wanted.get(at) {
                    Some((name, ks)) if name.starts_with(acc.as_str()) => {
                        if name.len() == acc.len() {
                            found.extend(ks.iter().map(|&k| (k, j + 1)));
                        }
                    }
                    _ => break,
                }
            }
            found.sort_unstable();
            for &(k, j) in &found {
                let (name, ty) = targets[k];
                add_occurrence(&mut taken, &mut extra, si, toks, i..j, name, ty);
            }
        }
    }
    mentions.extend(extra);
}

/// Confidence of a mention found only as an occurrence of a name known from
/// elsewhere (the article's other mentions, or the store): a guess, but one
/// already made once.
pub(super) const OCCURRENCE_CONFIDENCE: f32 = 0.6;

/// Adds to `extra` a mention of `name` over `tokens` of sentence `si`, unless
/// it overlaps a span `taken` (the mentions found before and those in `extra`).
pub(super) fn add_occurrence(
    taken: &mut Taken,
    extra: &mut Vec<Mention>,
    si: usize,
    toks: &[Token],
    tokens: std::ops::Range<usize>,
    name: &str,
    etype: EntityType,
) {
    let (start, end) = (toks[tokens.start].start, toks[tokens.end - 1].end);
    if !taken.overlaps(si, start, end) {
        taken.add(si, start, end);
        extra.push(Mention {
            sentence: si,
            tokens,
            start,
            end,
            surface: name.to_string(),
            name: name.to_string(),
            etype,
            kind: MentionKind::Name,
            confidence: OCCURRENCE_CONFIDENCE,
        });
    }
}

/// Weight of a mention typed by an explicit cue against plain tagger guesses.
pub(super) const CUE_VOTE: f32 = 3.0;

/// One article names one thing one way: a name typed by an explicit cue somewhere
/// (a title, a head noun) keeps that type everywhere, other names take the type
/// most of their mentions have, and later bare repetitions of a known name that
/// the tagger missed become mentions too.
pub(super) fn harmonise_article(
    sentences: &[AnalyzedSentence],
    cued_at: &HashSet<(usize, usize)>,
    mentions: &mut Vec<Mention>,
) {
    let mut votes: HashMap<String, [f32; 7]> = HashMap::new();
    // Parts of a person's full name (マーク・X → X) are that person when used alone.
    let mut person_parts: HashSet<String> = HashSet::new();
    for m in mentions.iter().filter(|m| m.kind == MentionKind::Name) {
        let cued = cued_at.contains(&(m.sentence, m.start));
        let v = votes.entry(m.name.clone()).or_default();
        v[m.etype as usize] += if cued { CUE_VOTE } else { 1.0 };
        if m.etype == EntityType::Person && (cued || m.confidence >= STRONG) {
            person_parts.extend(
                m.name
                    .split(['・', '='])
                    .filter(|p| *p != m.name && p.chars().count() >= 2)
                    .map(str::to_string),
            );
        }
    }
    for p in &person_parts {
        if let Some(v) = votes.get_mut(p) {
            // Decisive unless a cue somewhere said otherwise.
            let other = (0..v.len())
                .filter(|&k| k != EntityType::Person as usize)
                .fold(0f32, |m, k| m.max(v[k]));
            v[EntityType::Person as usize] += other + CUE_VOTE;
        }
    }
    let best: HashMap<String, EntityType> = votes
        .into_iter()
        .map(|(name, v)| {
            let k = (0..v.len())
                .filter(|&k| v[k] > 0.0)
                .max_by(|&a, &b| v[a].total_cmp(&v[b]))
                .unwrap_or(0);
            (name, EntityType::ALL[k])
        })
        .collect();
    for m in mentions.iter_mut().filter(|m| m.kind == MentionKind::Name) {
        if let Some(t) = best.get(&m.name) {
            m.etype = *t;
        }
    }
    // Repetitions: token-aligned occurrences of a name of two or more tokens'
    // worth of characters, not inside another mention.
    let mut known: Vec<(&String, EntityType)> = best
        .iter()
        .filter(|(n, _)| n.chars().count() >= 2 && !n.chars().all(|c| c.is_ascii_uppercase()))
        .map(|(n, t)| (n, *t))
        .collect();
    known.sort();
    add_occurrences(sentences, &known, mentions);
}

/// The character spans mentions take, by sentence, for overlap tests.
#[derive(Default)]
pub(super) struct Taken {
    by_sentence: HashMap<usize, Vec<(usize, usize)>>,
}

impl Taken {
    pub(crate) fn of(mentions: &[Mention]) -> Taken {
        let mut taken = Taken::default();
        for m in mentions {
            taken.add(m.sentence, m.start, m.end);
        }
        taken
    }

    fn add(&mut self, sentence: usize, start: usize, end: usize) {
        self.by_sentence
            .entry(sentence)
            .or_default()
            .push((start, end));
    }

    fn overlaps(&self, sentence: usize, start: usize, end: usize) -> bool {
        self.by_sentence
            .get(&sentence)
            .is_some_and(|spans| spans.iter().any(|&(s, e)| s < end && start < e))
    }
}

/// 「A」「B」「C」: titles written one after another in brackets are items of one
/// list, and in news such a list is of works (a film called after a king is
/// no person). When most members of a run are products, a member the tagger
/// typed otherwise becomes one too; a member a cue typed keeps its type.
pub(super) fn type_bracket_runs(
    sentences: &[AnalyzedSentence],
    cued_at: &HashSet<(usize, usize)>,
    mentions: &mut [Mention],
) {
    let bracketed = |m: &Mention| {
        let toks = &sentences[m.sentence].tokens;
        m.kind == MentionKind::Name
            && m.tokens.start > 0
            && matches!(
                (
                    toks[m.tokens.start - 1].surface,
                    toks.get(m.tokens.end).map(|t| t.surface)
                ),
                ("「", Some("」")) | ("『", Some("』"))
            )
    };
    // Members of a run follow one another with only a closing and an opening
    // bracket between them (」「, 』『, or 」、「).
    let next_of = |a: &Mention, b: &Mention| {
        let toks = &sentences[a.sentence].tokens;
        a.sentence == b.sentence
            && b.tokens.start >= a.tokens.end + 2
            && b.tokens.start <= a.tokens.end + 3
            && toks[a.tokens.end + 1..b.tokens.start - 1]
                .iter()
                .all(|t| t.is_comma() || t.surface == "・")
    };
    let order: Vec<usize> = (0..mentions.len())
        .filter(|&i| bracketed(&mentions[i]))
        .collect();
    let mut k = 0;
    while k < order.len() {
        let mut run = vec![order[k]];
        while k + 1 < order.len() && next_of(&mentions[order[k]], &mentions[order[k + 1]]) {
            k += 1;
            run.push(order[k]);
        }
        k += 1;
        let products = run
            .iter()
            .filter(|&&i| mentions[i].etype == EntityType::Product)
            .count();
        if run.len() < 3 || 2 * products <= run.len() {
            continue;
        }
        for i in run {
            if !cued_at.contains(&(mentions[i].sentence, mentions[i].start)) {
                mentions[i].etype = EntityType::Product;
            }
        }
    }
}
