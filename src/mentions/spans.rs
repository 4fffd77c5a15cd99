//! Where names are: the spans the cue rules find (runs of proper, unknown,
//! katakana or Latin nouns extended over name suffixes), the per-token cues
//! the tagger and the rules share, and the corrections of a span's edges that
//! the dictionary's splits call for.
use super::lexicon::{self, NameCues};
use super::naming::rule_type;
use super::rules::{ends_with_one_of, in_list, NameSuffix, NerRules};
use super::tagger::{self, TokenCues};
use crate::document::EntityType;
use crate::text::{is_hiragana, is_kanji, is_katakana};
use crate::tokens::{Tag, Token};

/// Where a name that begins inside a word really begins: IPADIC splits unknown
/// hiragana words at a prefix (み+らい+銀行 for みらい銀行), and a name never starts
/// between two hiragana of one word. Joined prefixes and nouns before it belong to it.
pub(super) fn word_start(tokens: &[Token], mut start: usize, floor: usize) -> usize {
    while start > floor {
        let (p, t) = (&tokens[start - 1], &tokens[start]);
        let glued = p.end == t.start
            && p.surface.ends_with(is_hiragana)
            && t.surface.starts_with(is_hiragana)
            && (p.is_prefix() || p.is_noun() && !p.is_dependent());
        if !glued {
            break;
        }
        start -= 1;
    }
    start
}

/// Where a name that begins with a given name (IPADIC 人名,名) really begins: the
/// dictionary often splits a rare surname into a numeral and a counter or into
/// single kanji (三+部+敏宏), which the tagger then leaves out. Up to three kanji
/// in at most two noun tokens right before the given name, after a non-noun,
/// are the surname (titles and head nouns are not).
pub(super) fn surname_start(
    tokens: &[Token],
    cues: &[TokenCues],
    start: usize,
    floor: usize,
    rules: &NerRules,
) -> usize {
    let given = |k: usize| tokens[k].is_given_name();
    let part = |k: usize| {
        let x = &tokens[k];
        x.is_noun()
            && !x.is_pronoun()
            && x.surface.chars().all(is_kanji)
            && cues[k].cue.is_none()
            && !in_list(&rules.person_heads, x.surface)
            && !rules.anaphors.contains_key(x.surface)
    };
    // The tagger may also start the name inside the surname (部+敏宏): look from
    // the given name.
    let span_start = start;
    let Some(start) =
        (start..tokens.len().min(start + 3)).find(|&g| given(g) && (start..g).all(part))
    else {
        return span_start;
    };
    let mut k = start;
    let mut chars = 0;
    while k > floor && start - k < 2 && part(k - 1) {
        chars += tokens[k - 1].surface.chars().count();
        k -= 1;
    }
    let bounded = k == 0 || !tokens[k - 1].is_noun();
    let words: String = tokens[k..start].iter().map(|x| x.surface).collect();
    // A suffix ends a word (創設+者) unless it counts a numeral (三+部).
    let whole_words =
        (k..start).all(|i| !tokens[i].is_suffix() || i > k && tokens[i - 1].is_number());
    let title = [&rules.person_heads, &rules.person_suffixes]
        .iter()
        .any(|l| l.iter().any(|h| words.ends_with(h.as_str())));
    if k < start && chars <= 3 && bounded && whole_words && !title {
        k
    } else {
        span_start
    }
}

/// Two spans that meet where a given name (IPADIC 人名,名) begins are one person
/// when the first is a short kanji word: the dictionary split a rare surname off
/// (三部+敏宏) and the tagger named the pieces apart. A first span that ends in an
/// organisation or place suffix (北星電機, 港区) is a name of its own.
pub(super) fn join_split_surnames(
    tokens: &[Token],
    cues: &[TokenCues],
    spans: Vec<tagger::Span>,
) -> Vec<tagger::Span> {
    let mut out: Vec<tagger::Span> = Vec::with_capacity(spans.len());
    for sp in spans {
        let joins = out.last().is_some_and(|prev| {
            let surname: String = tokens[prev.start..prev.end]
                .iter()
                .map(|t| t.surface)
                .collect();
            prev.end == sp.start
                && tokens[sp.start].is_given_name()
                && surname.chars().count() <= 3
                && surname.chars().all(is_kanji)
                && cues[prev.end - 1].cue.is_none()
        });
        match out.last_mut() {
            Some(prev) if joins => {
                prev.end = sp.end;
                prev.etype = EntityType::Person;
                prev.confidence = prev.confidence.max(sp.confidence);
            }
            _ => out.push(sp),
        }
    }
    out
}

/// Confidence a rule span gets when an explicit cue (title, suffix, head noun) typed it.
pub(super) const STRONG: f32 = 0.8;

pub(super) fn overlaps(a: &tagger::Span, b: &tagger::Span) -> bool {
    a.start < b.end && b.start < a.end
}

pub(super) fn is_year(t: &Token) -> bool {
    t.surface.len() == 4 && is_number(t.surface)
}

/// Marks each token with the cue list it belongs to and whether it is quoted.
pub fn token_cues(tokens: &[Token], rules: &NerRules) -> Vec<TokenCues> {
    let mut depth = 0usize;
    let mut cues: Vec<TokenCues> = tokens
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let s = t.surface;
            // A katakana title next to a katakana word is read as part of
            // it (ダイ+アナ, アナ+ソフィア): the dictionary splits such names.
            let glued = rules.suffix_of(s) == Some(NameSuffix::Person)
                && (i > 0 && super::naming::katakana_glued(tokens[i - 1].surface, s)
                    || tokens.get(i + 1).is_some_and(|n| {
                        let kana = |c: char| is_katakana(c) && c != '・';
                        s.chars().all(kana) && n.surface.starts_with(kana)
                    }));
            let cue = rules.suffix_of(s).filter(|_| !glued);
            let c = TokenCues {
                cue,
                quoted: depth > 0,
                names: NameCues::default(),
            };
            match s {
                "「" | "『" => depth += 1,
                "」" | "』" => depth = depth.saturating_sub(1),
                _ => {}
            }
            c
        })
        .collect();
    if let Some(lexicon) = &rules.lexicon {
        for (c, n) in cues.iter_mut().zip(lexicon::name_cues(tokens, lexicon)) {
            c.names = n;
        }
    }
    cues
}

pub(super) fn is_latin_word(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '&' | '\''))
}

pub(super) fn is_katakana_word(s: &str) -> bool {
    s.chars().count() >= 2 && s.chars().all(|c| is_katakana(c) && c != '・')
}

/// A token that can be (part of) a name by itself.
pub(super) fn name_like(t: &Token) -> bool {
    // Unknown-word analysis makes nouns of brackets too.
    if !t.is_noun()
        || !t.surface.chars().any(char::is_alphanumeric)
        || matches!(
            t.pos[1],
            Tag::Number | Tag::Pronoun | Tag::Dependent | Tag::Suffix
        )
    {
        return false;
    }
    t.is_proper() || t.unknown || is_katakana_word(t.surface) || is_latin_word(t.surface)
}

/// A word IPADIC knows as a common noun and the name lexicon lists as a common
/// word (サッカー, スポーツ, スパイ): written like a foreign name, but a word.
pub(super) fn plain_word(t: &Token, c: &TokenCues) -> bool {
    !t.unknown && !t.is_proper() && c.names.word & lexicon::COMMON_WORD != 0
}

/// Token that joins two name parts: ・ or = between name words, one of them foreign.
pub(super) fn joiner(tokens: &[Token], i: usize) -> bool {
    let (Some(p), Some(t), Some(n)) = (
        tokens.get(i.wrapping_sub(1)),
        tokens.get(i),
        tokens.get(i + 1),
    ) else {
        return false;
    };
    // Japanese and Chinese names are never joined with ・: between two words
    // without katakana or Latin letters it separates a list (三越・あさひ銀行).
    // 5-fold typed F1: 3 more names right, 2 more predicted.
    let foreign = |x: &Token| {
        x.surface
            .chars()
            .any(|c| is_katakana(c) || c.is_ascii_alphabetic())
    };
    matches!(t.surface, "・" | "=") && name_like(p) && name_like(n) && (foreign(p) || foreign(n))
}

pub(super) fn is_number(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_digit() || c == '.')
}

/// Where a name ending at token `end` continues as Latin words or a version number:
/// one space or a hyphen between a Latin word and the next (Kestrel 4, NX-Core,
/// Vantora Systems). The tokenizer drops the space, so look at the offsets.
pub(super) fn latin_end(tokens: &[Token], mut end: usize) -> usize {
    while end < tokens.len() && end > 0 {
        let p = &tokens[end - 1];
        if !p.surface.ends_with(|c: char| c.is_ascii_alphanumeric()) {
            break;
        }
        let n = &tokens[end];
        let latin_or_number = |t: &Token| is_latin_word(t.surface) || is_number(t.surface);
        if n.start == p.end + 1
            && latin_or_number(n)
            && p.surface.chars().any(|c| c.is_ascii_alphabetic())
        {
            end += 1;
        } else if n.start == p.end
            && n.surface == "-"
            && tokens
                .get(end + 1)
                .is_some_and(|x| x.start == n.end && latin_or_number(x))
        {
            end += 2;
        } else {
            break;
        }
    }
    end
}

/// The spans the cue rules find: runs of proper, unknown, katakana or Latin nouns,
/// extended over name suffixes, typed by the strongest cue around them.
pub(super) fn rule_spans(
    tokens: &[Token],
    cues: &[TokenCues],
    rules: &NerRules,
) -> Vec<tagger::Span> {
    let mut spans = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        if let Some((end, etype)) = introduced_title(tokens, i, rules) {
            spans.push(tagger::Span {
                start: i + 1,
                end,
                etype,
                confidence: STRONG,
            });
            i = end + 1;
            continue;
        }
        if let Some(j) = described_company(tokens, cues, i, rules) {
            spans.push(tagger::Span {
                start: i,
                end: j,
                etype: EntityType::Organization,
                confidence: STRONG,
            });
            i = j;
            continue;
        }
        if !name_like(&tokens[i]) || tokens[i].surface.chars().count() < 2 && !tokens[i].is_proper()
        {
            i += 1;
            continue;
        }
        let start = i;
        let mut j = i + 1;
        loop {
            if j < tokens.len() && name_like(&tokens[j]) {
                j += 1;
            } else if j + 1 < tokens.len() && joiner(tokens, j) {
                j += 2;
            } else if latin_end(tokens, j) > j {
                j = latin_end(tokens, j);
            } else if j < tokens.len()
                && match cues[j].cue {
                    Some(NameSuffix::Organization | NameSuffix::Event) => true,
                    Some(NameSuffix::Place) => tokens[j].is_suffix(),
                    _ => false,
                }
            {
                j += 1;
            } else {
                break;
            }
        }
        // Common words before a title or a place ending (サッカー選手, スポーツ村)
        // describe, they do not name. An organisation or event ending still makes
        // a name of them (湾岸マラソン大会), and so does anything the dictionaries
        // do not know as a word. 5-fold typed F1 on ner-wikipedia 0.738 → 0.740
        // (38 fewer names predicted, 2 fewer right).
        let described = (start..j).all(|k| {
            plain_word(&tokens[k], &cues[k])
                || matches!(cues[k].cue, Some(NameSuffix::Person | NameSuffix::Place))
        });
        let org_or_event =
            |c: &TokenCues| matches!(c.cue, Some(NameSuffix::Organization | NameSuffix::Event));
        if described && cues.get(j).is_none_or(|c| !org_or_event(c)) {
            i = j;
            continue;
        }
        let (etype, strong) = rule_type(tokens, cues, start, j, rules);
        let (start, j) = if etype == EntityType::Event && strong {
            let (s, e) = event_extent(tokens, start, j);
            (s.max(spans.last().map_or(0, |p: &tagger::Span| p.end)), e)
        } else {
            (start, j)
        };
        spans.push(tagger::Span {
            start,
            end: j,
            etype,
            confidence: if strong { STRONG } else { 0.5 },
        });
        i = j;
    }
    spans
}

/// An event's name is the whole noun compound its suffix ends, with the year or
/// the edition written before it and a year written right after it:
/// 1996年アトランタオリンピック, 第69回全日本大学バスケットボール選手権大会, M-1グランプリ2018.
pub(super) fn event_extent(tokens: &[Token], mut start: usize, mut end: usize) -> (usize, usize) {
    let part = |t: &Token| {
        (t.is_noun() && !matches!(t.pos[1], Tag::Dependent | Tag::Pronoun | Tag::AdverbialNoun))
            || t.is_prefix()
    };
    while start > 0 && part(&tokens[start - 1]) && tokens[start - 1].end == tokens[start].start {
        start -= 1;
    }
    // 1982 FIFAワールドカップ: a year set off by one space.
    if start > 0 {
        let p = &tokens[start - 1];
        if is_year(p) && p.end + 1 == tokens[start].start {
            start -= 1;
        }
    }
    if let Some(n) = tokens.get(end) {
        if is_year(n) && n.start <= tokens[end - 1].end + 1 {
            end += 1;
        }
    }
    (start, end)
}

/// A title in brackets right after a work noun (映画「…」, 小説『…』), or any
/// title in 『』 that is no phrase, is the name of that work, whatever words it
/// is made of; after an event noun (イベント「…」, 見本市「…」), the name of
/// that event. Returns the index of the closing bracket and the type when
/// token `open` opens such a title.
pub(super) fn introduced_title(
    tokens: &[Token],
    open: usize,
    rules: &NerRules,
) -> Option<(usize, EntityType)> {
    let closing = match tokens[open].surface {
        "「" => "」",
        "『" => "』",
        _ => return None,
    };
    let head = head_before(tokens, open, rules);
    let event = head
        .as_ref()
        .is_some_and(|head| ends_with_one_of(&rules.event_heads, head));
    let after_head = event || head.is_some_and(|head| ends_with_one_of(&rules.work_heads, &head));
    // News writes the titles of works in 『』 whatever stands before them
    // (檀れい演じる…に注目『ガール』); a quotation in 「」 needs the noun.
    if !after_head && closing != "』" {
        return None;
    }
    let close = (open + 1..tokens.len().min(open + 30)).find(|&k| tokens[k].surface == closing)?;
    let phrase = tokens[open + 1..close]
        .iter()
        .any(|t| matches!(t.surface, "。" | "、" | "!" | "?"));
    let etype = if event {
        EntityType::Event
    } else {
        EntityType::Product
    };
    (close > open + 1 && (after_head || !phrase)).then_some((close, etype))
}

/// A company named with dictionary words only (青空+システムズ) is still a name when
/// the text introduces it as one: after an organisation head noun (クラウド大手の,
/// 新興企業) and ending in an organisation suffix word. Returns the end of the name.
pub(super) fn described_company(
    tokens: &[Token],
    cues: &[TokenCues],
    start: usize,
    rules: &NerRules,
) -> Option<usize> {
    let word =
        |t: &Token| t.is_noun() && !matches!(t.pos[1], Tag::Dependent | Tag::Pronoun | Tag::Number);
    if start == 0 || !word(&tokens[start]) || word(&tokens[start - 1]) {
        return None;
    }
    let mut end = start;
    while end < tokens.len() && word(&tokens[end]) && end - start < 4 {
        end += 1;
    }
    let last = &tokens[end - 1];
    let suffix_word =
        cues[end - 1].cue == Some(NameSuffix::Organization) && last.surface.chars().count() >= 2;
    if end - start < 2 || !suffix_word || end < tokens.len() && word(&tokens[end]) {
        return None;
    }
    let head = head_before(tokens, start, rules)?;
    ends_with_one_of(&rules.organization_heads, &head).then_some(end)
}

/// The noun compound before token `start`, skipping one の (スタート+アップ →
/// スタートアップ); head nouns are matched against its end. A name or a reference
/// before の is an owner, not a description: 東京大学の加藤 is a person at the
/// university, 同クラブのX監督 a person at the club.
pub(super) fn head_before(tokens: &[Token], start: usize, rules: &NerRules) -> Option<String> {
    let mut k = start;
    let owner = k > 0 && tokens[k - 1].surface == "の";
    if owner {
        k -= 1;
        if k > 0 && (tokens[k - 1].is_proper() || tokens[k - 1].unknown) {
            return None;
        }
    } else if k > 0 && matches!(tokens[k - 1].surface, "・" | "=") {
        // 人気グループ・X, 俳優・X: a head noun joined by ・.
        k -= 1;
        if k > 0 && (tokens[k - 1].is_proper() || tokens[k - 1].unknown) {
            return None;
        }
    }
    let mut from = k;
    while from > 0 && k - from < 3 && (tokens[from - 1].is_noun() || tokens[from - 1].is_prefix()) {
        from -= 1;
    }
    let head: String = tokens[from..k].iter().map(|t| t.surface).collect();
    let reference = owner && rules.anaphors.keys().any(|a| head.ends_with(a.as_str()));
    (from < k && !reference).then_some(head)
}
