//! From a span to a mention: the name's extent and type from the explicit
//! cues around it (titles, suffixes, head nouns, what follows it), and its
//! canonical form without titles or a country prefix.
use super::rules::{ends_with_one_of, in_list, NameSuffix, NerRules};
use super::spans::{event_extent, head_before, name_like, STRONG};
use super::tagger::{self, TokenCues};
use crate::document::{AnalyzedSentence, EntityType, Mention, MentionKind};
use crate::text::is_katakana;
use crate::tokens::{Tag, Token};

/// A country written as one character before a name (米, 英): a place.
pub(super) fn country_mention(s: &AnalyzedSentence, si: usize, k: usize) -> Mention {
    run_mention(&s.tokens, si, k..k + 1, EntityType::Place, STRONG)
}

/// A name mention of the tokens `run` of sentence `si`, named as written: what
/// a pass that finds a name by its own cue (a floor, a heading) adds.
pub(super) fn run_mention(
    toks: &[Token],
    si: usize,
    run: std::ops::Range<usize>,
    etype: EntityType,
    confidence: f32,
) -> Mention {
    let name: String = toks[run.clone()].iter().map(|t| t.surface).collect();
    Mention {
        sentence: si,
        start: toks[run.start].start,
        end: toks[run.end - 1].end,
        tokens: run,
        surface: name.clone(),
        name,
        etype,
        kind: MentionKind::Name,
        confidence,
    }
}

/// Type from explicit cues, and whether such a cue was found.
pub(super) fn explicit_type(
    tokens: &[Token],
    cues: &[TokenCues],
    start: usize,
    end: usize,
    rules: &NerRules,
) -> Option<EntityType> {
    let next = tokens.get(end).map_or("", |t| t.surface);
    if in_list(&rules.person_honorifics, next) && !katakana_glued(tokens[end - 1].surface, next) {
        return Some(EntityType::Person);
    }
    // What follows: Xの創設者, Xに入社 say X is an organisation.
    let after: String = tokens[end..(end + 3).min(tokens.len())]
        .iter()
        .map(|t| t.surface)
        .collect();
    if rules
        .organization_contexts
        .iter()
        .any(|c| after.starts_with(c.as_str()))
    {
        return Some(EntityType::Organization);
    }
    let last: String = tokens[start..end].iter().map(|t| t.surface).collect();
    // レディー・ガガが歌う, 「ジョン・スミス」の新曲: a foreign name written with a
    // middle dot before such a cue is a singer's or an actor's, whatever the
    // tagger read (a dotted name in 「」 often looks like a product to it).
    if foreign_dotted(&last)
        && rules
            .person_contexts
            .iter()
            .any(|c| text_after(tokens, end).starts_with(c.as_str()))
    {
        return Some(EntityType::Person);
    }
    // Suffixes of two or more characters also count inside a token or across
    // tokens (…ラボ, …大学, 博覧+会); one-character ones (社, 省) only as their own token.
    let ends_with_any = |list: &[String]| {
        list.iter().any(|x| {
            last.len() > x.len() && last.ends_with(x.as_str()) && x.chars().nth(1).is_some()
        })
    };
    if ends_with_any(&rules.organization_suffixes) {
        return Some(EntityType::Organization);
    }
    if ends_with_any(&rules.event_suffixes) {
        return Some(EntityType::Event);
    }
    match cues[end - 1].cue {
        Some(NameSuffix::Organization) if end - start > 1 => return Some(EntityType::Organization),
        Some(NameSuffix::Event) if end - start > 1 => return Some(EntityType::Event),
        _ => {}
    }
    // A product head noun also describes the name it introduces in brackets
    // (動画サービス「…」), and so does a group's (お笑いコンビ「…」). Other
    // heads do not: after 社長 or 韓国 a bracket opens a quotation or a
    // newspaper's name, not a person or a place.
    if start > 0 && matches!(tokens[start - 1].surface, "「" | "『") {
        let head = head_before(tokens, start - 1, rules)?;
        if ends_with_one_of(&rules.group_heads, &head) {
            return Some(EntityType::Organization);
        }
        // An event noun (イベント「…」, 見本市「…」) names an event.
        if ends_with_one_of(&rules.event_heads, &head) {
            return Some(EntityType::Event);
        }
        // A work noun (映画「…」, ブログ「…」) names a work as well: a product.
        let work = ends_with_one_of(&rules.product_heads, &head)
            || ends_with_one_of(&rules.work_heads, &head);
        return work.then_some(EntityType::Product);
    }
    let head = head_before(tokens, start, rules)?;
    let ty = rules.head_type(|list| ends_with_one_of(list, &head))?;
    // モデルの…: a product head that is also a person's job (a fashion model)
    // does not make a product of a name the dictionary reads as a person's.
    let person_name = tokens[start..end]
        .iter()
        .any(|t| t.is_proper() && t.pos[2] == Tag::PersonName);
    (ty != EntityType::Product || !person_name).then_some(ty)
}

/// A katakana name of two or more words joined by middle dots (ジョン・スミス),
/// as foreign people's names are written; not a band's or a work's opened by
/// an article (ザ・…, ジ・…).
pub(super) fn foreign_dotted(name: &str) -> bool {
    let words: Vec<&str> = name.split('・').collect();
    words.len() >= 2
        && words
            .iter()
            .all(|w| !w.is_empty() && w.chars().all(|c| is_katakana(c) || c == 'ー'))
        && !matches!(words[0], "ザ" | "ジ")
}

/// The text right after a name, past the bracket that closes it (「X」の新曲),
/// as far as the cues after names reach.
pub(super) fn text_after(tokens: &[Token], end: usize) -> String {
    let from = if tokens
        .get(end)
        .is_some_and(|t| matches!(t.surface, "」" | "』"))
    {
        end + 1
    } else {
        end
    };
    tokens[from.min(tokens.len())..(from + 4).min(tokens.len())]
        .iter()
        .map(|t| t.surface)
        .collect()
}

pub(super) fn rule_type(
    tokens: &[Token],
    cues: &[TokenCues],
    start: usize,
    end: usize,
    rules: &NerRules,
) -> (EntityType, bool) {
    if let Some(t) = explicit_type(tokens, cues, start, end, rules) {
        return (t, true);
    }
    // A title after an unknown word: a person (the tagger, when present, knows
    // better: 東京都知事, 西武監督).
    // Not after a place or an organisation the dictionary knows: スイス選手 and
    // 衆議院議員 name the country and the house, not a person.
    let last = &tokens[end - 1];
    let institution =
        last.is_proper() && matches!(last.pos[2], Tag::Region | Tag::OrganizationName);
    // 日本代表: a team (name_mention joins the two words).
    if last.is_place_name()
        && tokens
            .get(end)
            .is_some_and(|t| in_list(&rules.team_suffixes, t.surface))
    {
        return (EntityType::Organization, true);
    }
    if cues
        .get(end)
        .is_some_and(|c| c.cue == Some(NameSuffix::Person))
        && !institution
    {
        return (EntityType::Person, true);
    }
    // 長友+佑+都: a one-character place suffix after a surname and a given
    // name ends the given name (佑都), as no place is named that way.
    let full_name_before = end - start >= 3
        && tokens[end - 3].is_surname()
        && tokens[end - 2].is_given_name()
        && tokens[end - 1].surface.chars().count() == 1;
    if cues[end - 1].cue == Some(NameSuffix::Place) && end - start > 1 {
        if full_name_before {
            return (EntityType::Person, true);
        }
        return (EntityType::Place, true);
    }
    let ty = match tokens[start..end]
        .iter()
        .rev()
        .find(|t| t.is_proper())
        .map(|t| t.pos[2])
    {
        Some(Tag::PersonName) => EntityType::Person,
        Some(Tag::Region) => EntityType::Place,
        Some(Tag::OrganizationName) => EntityType::Organization,
        _ if cues[start].quoted => EntityType::Product,
        _ => EntityType::Organization,
    };
    (ty, false)
}

/// A parenthesis ends a name: ミラ・ソレンセン(AI… is ミラ・ソレンセン, and in X(Y) the
/// second name Y becomes a mention of its own (see add_parenthesised_names).
pub(super) fn outside_parentheses(toks: &[Token], mut span: tagger::Span) -> Option<tagger::Span> {
    while span.start < span.end && matches!(toks[span.start].surface, "(" | ")") {
        span.start += 1;
    }
    if let Some(k) = (span.start..span.end).find(|&k| matches!(toks[k].surface, "(" | ")")) {
        span.end = k;
    }
    (span.start < span.end).then_some(span)
}

/// Turns a span into a mention: drops a country prefix (米X → X), corrects the type
/// with explicit cues, and strips titles from the canonical name.
pub(super) fn name_mention(
    s: &AnalyzedSentence,
    si: usize,
    span: tagger::Span,
    floor: usize,
    cues: &[TokenCues],
    rules: &NerRules,
) -> Option<(Mention, bool)> {
    let toks = &s.tokens;
    let mut span = outside_parentheses(toks, span)?;
    // 米エヌビディア: the country is not part of a foreign name (but 日中戦争 stays whole).
    if span.end - span.start > 1
        && in_list(&rules.country_prefixes, toks[span.start].surface)
        && toks[span.start + 1]
            .surface
            .starts_with(|c: char| (is_katakana(c) && c != '・') || c.is_ascii_alphabetic())
    {
        span.start += 1;
    } else if in_list(&rules.country_prefixes, toks[span.start].surface)
        && !toks[span.start + 1..span.end].iter().any(name_like)
    {
        // 米半導体: a country and a common noun describe, they do not name.
        return None;
    }
    let is_head = |t: &Token| rules.head_type(|list| in_list(list, t.surface)).is_some();
    // A head noun the tagger took into the name (首都プレトリア, 子会社X, FWX) says
    // what the name is; it is not part of it. 5-fold typed F1 on ner-wikipedia:
    // 4 more names right with the head lists as they were.
    while span.end - span.start > 1 {
        let (h, next) = (&toks[span.start], &toks[span.start + 1]);
        if !is_head(h) || !(next.is_proper() || name_like(next)) {
            break;
        }
        span.start += 1;
    }
    // A place followed by 代表 or 選抜 names a team (日本代表): the word is part of
    // the name, not a title.
    let place_at = |k: usize| toks[k].is_place_name();
    let team = if toks
        .get(span.end)
        .is_some_and(|t| in_list(&rules.team_suffixes, t.surface))
        && place_at(span.end - 1)
    {
        span.end += 1;
        true
    } else {
        span.end - span.start > 1
            && in_list(&rules.team_suffixes, toks[span.end - 1].surface)
            && place_at(span.end - 2)
    };
    // A name that fills 『』 is a work's title, whole: its last word is no
    // title of a person (『闇金ウシジマくん』, 『怪物くん』).
    let fills_title = span.start > 0
        && toks[span.start - 1].surface == "『"
        && toks.get(span.end).is_some_and(|t| t.surface == "』");
    // A title the tagger swallowed (ソラン氏) is not part of the name.
    while !team
        && !fills_title
        && span.end - span.start > 1
        && cues[span.end - 1].cue == Some(NameSuffix::Person)
    {
        span.end -= 1;
    }
    // Explicit cues in the article beat the tagger's guess (measured: +0.1 F1
    // points on ner-wikipedia folds, and they carry the domains it was not trained on).
    // A name that fills 『』 is a work's title: news keeps those brackets for
    // works, so they are as explicit a cue as a suffix.
    let title = span.start > 0
        && toks[span.start - 1].surface == "『"
        && toks.get(span.end).is_some_and(|t| t.surface == "』");
    let cue = if team {
        Some(EntityType::Organization)
    } else {
        explicit_type(toks, cues, span.start, span.end, rules)
            .or(title.then_some(EntityType::Product))
    };
    // 義和団の乱, オルタモントの悲劇: the name is the event's, and names it whole. The
    // noun must end the compound (戦い方 is not a battle).
    let event_of = !team
        && toks.get(span.end).is_some_and(|t| t.surface == "の")
        && toks
            .get(span.end + 1)
            .is_some_and(|t| in_list(&rules.event_of_nouns, t.surface))
        && toks.get(span.end + 2).is_none_or(|t| !t.is_noun());
    let cue = if event_of {
        span.end += 2;
        Some(EntityType::Event)
    } else {
        cue
    };
    if let Some(t) = cue {
        span.etype = t;
    }
    // ニュルンベルクで開催: a name the tagger took for a person or a product
    // (a foreign city often looks like either) is a place where something
    // happens. Not a title in brackets: a service hosts events too.
    let quoted = span.start > 0 && matches!(toks[span.start - 1].surface, "「" | "『");
    let cue = if cue.is_none()
        && !quoted
        && matches!(span.etype, EntityType::Person | EntityType::Product)
        && rules
            .place_contexts
            .iter()
            .any(|c| text_after(toks, span.end).starts_with(c.as_str()))
    {
        span.etype = EntityType::Place;
        Some(EntityType::Place)
    } else {
        cue
    };
    if span.etype == EntityType::Event && cue.is_some() {
        let (start, end) = event_extent(toks, span.start, span.end);
        span.start = start.max(floor);
        span.end = end;
        span.start = event_start(toks, span.start, span.end);
    }
    // 投資ファンド, 大手企業, 米ソフトウェア企業: dictionary words ending in a head
    // noun describe, they do not name; nor does a country before them.
    let described_from = if in_list(&rules.country_prefixes, toks[span.start].surface) {
        span.start + 1
    } else {
        span.start
    };
    if is_head(&toks[span.end - 1])
        && toks[described_from..span.end]
            .iter()
            .all(|t| t.is_noun() && !t.is_proper() && !t.unknown)
    {
        return None;
    }

    if cue.is_none() && common_words(toks, cues, span.start..span.end, DoublyListed::Name) {
        return None;
    }

    let surface = sentence_text(s, toks[span.start].start, toks[span.end - 1].end);
    let name = if team || fills_title {
        // 代表 here is part of the name, not a title to strip; nor is the
        // くん a title ends in.
        crate::text::normalize(&surface).trim().to_string()
    } else {
        canonical_name(&surface, rules)
    };
    if name.is_empty()
        || name.chars().all(|c| !c.is_alphanumeric())
        || in_list(&rules.common_nouns, &name)
        || (cue.is_none() && is_lowercase_latin(&name))
    {
        return None;
    }
    Some((
        Mention {
            sentence: si,
            tokens: span.start..span.end,
            start: toks[span.start].start,
            end: toks[span.end - 1].end,
            surface,
            name,
            etype: span.etype,
            kind: MentionKind::Name,
            confidence: span.confidence,
        },
        cue.is_some(),
    ))
}

/// How a word that the name list has both as a proper noun and as a common
/// word (スポーツ, パーティ: also someone's name) counts in [`common_words`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum DoublyListed {
    /// As a name: a span the tagger found keeps it (アップル).
    Name,
    /// As a word: a known name found again with no cue around it, where the
    /// plain word is by far the likelier reading. So is a common noun of
    /// IPADIC's that the list also has as a name.
    Word,
}

/// A span made only of words the dictionaries know as common nouns and not
/// as names (イケメン, 完成+披露+試写+会): with no cue around it the tagger read a
/// description, not a name. A name in 「」 stays (a service or a work may be
/// titled with plain words), and so does a word the name list also has as a
/// proper noun, unless `doubly` says it counts as a word.
pub(super) fn common_words(
    toks: &[Token],
    cues: &[TokenCues],
    span: std::ops::Range<usize>,
    doubly: DoublyListed,
) -> bool {
    use super::lexicon::COMMON_WORD;
    let single = span.len() == 1;
    !cues[span.start].quoted
        && span.clone().all(|k| {
            let t = &toks[k];
            let names = cues[k].names;
            let listed_common = names.word & COMMON_WORD != 0;
            let proper_listed = (names.word | names.entry) & !COMMON_WORD != 0
                && match doubly {
                    DoublyListed::Name => true,
                    // IPADIC's own common noun (更新, also a place in the list)
                    // outweighs the list, which stands in for IPADIC only
                    // where IPADIC does not know the word.
                    DoublyListed::Word => t.unknown && !listed_common,
                };
            // IPADIC does not know many katakana words (イケメン); the name
            // list's common nouns stand in for it, but only for a word alone:
            // such a word before a noun often starts a company's name
            // (アオバ+通信).
            let word_alone = match doubly {
                DoublyListed::Name => names.word == COMMON_WORD,
                DoublyListed::Word => listed_common,
            };
            let known_common = !t.unknown || (word_alone && single);
            // Latin letters mark a brand more often than a word (HTC, Sapphire).
            let latin = t.surface.chars().any(|c| c.is_ascii_alphabetic());
            t.is_noun()
                && !t.is_proper()
                && !t.is_number()
                && known_common
                && !proper_listed
                && !latin
        })
}

/// An English word in lower case (dismantled, data): names written in Latin
/// letters carry a capital or a digit (Vantora, iPhone, NX-Core, 5G). A lower-case
/// brand (freee) still counts when a cue types it (freee株式会社).
pub(super) fn is_lowercase_latin(name: &str) -> bool {
    name.chars().any(|c| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || matches!(c, ' ' | '-' | '.' | '\''))
}

/// The sentence's text between two article offsets (keeps the spaces the
/// tokenizer drops: Kestrel 4).
pub(super) fn sentence_text(s: &AnalyzedSentence, start: usize, end: usize) -> String {
    s.sentence.text_between(start, end)
}

/// NFKC, trimmed, without trailing titles/honorifics or a leading country prefix.
/// A katakana title right after a katakana word (ダイ+アナ, as the dictionary
/// splits some foreign names) cannot be told from the word's own end, so it is
/// read as part of the word, not as a title.
pub(super) fn katakana_glued(before: &str, title: &str) -> bool {
    let katakana = |c: char| is_katakana(c) && c != '・';
    title.chars().all(katakana) && before.chars().next_back().is_some_and(katakana)
}

pub fn canonical_name(surface: &str, rules: &NerRules) -> String {
    let mut name = crate::text::normalize(surface).trim().to_string();
    loop {
        let stripped = rules
            .person_suffixes
            .iter()
            .filter(|t| {
                name.ends_with(t.as_str())
                    && name.len() > t.len()
                    && !katakana_glued(&name[..name.len() - t.len()], t)
            })
            .max_by_key(|t| t.len())
            .map(|t| name[..name.len() - t.len()].trim_end().to_string());
        match stripped {
            Some(s) if !s.is_empty() => name = s,
            _ => break,
        }
    }
    for p in &rules.country_prefixes {
        if let Some(rest) = name.strip_prefix(p.as_str()) {
            // Only before a foreign (katakana or Latin) name: 米国 or 中央 stay whole.
            let first = rest.chars().next();
            if first.is_some_and(|c| (is_katakana(c) && c != '・') || c.is_ascii_alphabetic()) {
                name = rest.to_string();
            }
            break;
        }
    }
    name
}

/// Where an event's name starts inside the span the tagger gave it: after a
/// colon or a mark that ends a label or a list item (小西:ワールドカップ,
/// 【速報】X), and past a word that says when (昨年アジアカップ, 今年X): none
/// of those is part of a name. A title in brackets is written as it is.
fn event_start(toks: &[Token], start: usize, end: usize) -> usize {
    if start > 0 && matches!(toks[start - 1].surface, "「" | "『") {
        return start;
    }
    let mark = |t: &Token| matches!(t.surface, ":" | "!" | "[" | "]" | "【" | "】");
    let mut start = (start..end.saturating_sub(1))
        .rev()
        .find(|&k| mark(&toks[k]))
        .map_or(start, |k| k + 1);
    while end - start > 1 && toks[start].is_adverbial_noun() {
        start += 1;
    }
    start
}
