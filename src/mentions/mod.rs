//! Stage 3: mentions. Finds the spans that name people, organisations, products,
//! places and events, and typed values (money, percent, dates, counts).
//!
//! Names come from a statistical tagger ([`tagger`], trained on Japanese Wikipedia)
//! when one is available, and from cue rules otherwise; the rules then correct the
//! tagger with what the article says explicitly (titles such as 氏, head nouns such as
//! 企業, a parenthesised second name, the same name elsewhere in the article) and add
//! pronouns, 同社-style anaphors and values, which the tagger does not learn.
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, OnceLock};

use serde::Deserialize;

use crate::document::{AnalyzedSentence, EntityType, Mention, MentionKind, ValueMention};
use crate::text::{is_hiragana, is_kanji, is_katakana};
use crate::tokens::Token;

pub mod eval;
mod glue;
mod known;
pub mod lexicon;
mod scripts;
pub mod tagger;
pub mod values;

pub use eval::{
    cross_validate, eval_ner, load_examples, oracle_mentions, train_ner, NerReport, Scores,
};
pub use known::KnownNames;
pub use lexicon::{NameCues, NameLexicon};
pub use tagger::{Model, TokenCues};

/// Cues read from `ontology/entities.toml`.
#[derive(Debug, Clone, Deserialize)]
pub struct NerRules {
    /// Titles and honorifics written right after a person's name (氏, 選手, CEO).
    pub person_suffixes: Vec<String>,
    pub organization_suffixes: Vec<String>,
    pub place_suffixes: Vec<String>,
    #[serde(default)]
    pub event_suffixes: Vec<String>,
    /// Words after a name that always mark a person (氏, さん); titles such as 知事
    /// or 監督 also follow places and organisations (東京都知事), so only these
    /// override the tagger.
    #[serde(default)]
    pub person_honorifics: Vec<String>,
    /// Text right after a name that marks an organisation (の創設者, に入社).
    #[serde(default)]
    pub organization_contexts: Vec<String>,
    /// Head nouns written right before a name (optionally with の) that give its type.
    #[serde(default)]
    pub person_heads: Vec<String>,
    #[serde(default)]
    pub organization_heads: Vec<String>,
    #[serde(default)]
    pub place_heads: Vec<String>,
    #[serde(default)]
    pub product_heads: Vec<String>,
    /// 米, 英…: abbreviations of a country written before a foreign name.
    #[serde(default)]
    pub country_prefixes: Vec<String>,
    pub person_pronouns: Vec<String>,
    pub anaphors: BTreeMap<String, EntityType>,
    #[serde(default)]
    pub currencies: BTreeMap<String, String>,
    #[serde(default)]
    pub counters: Vec<String>,
    #[serde(default)]
    pub multipliers: BTreeMap<String, u64>,
    /// Abbreviations and words that look like names but are common nouns (AI, CEO).
    #[serde(default)]
    pub common_nouns: Vec<String>,
    /// Anaphors that refer to two things at once (両社, 両氏).
    #[serde(default)]
    pub pair_anaphors: Vec<String>,
    /// Nouns that introduce an organisation by description (持ち株会社, 新会社).
    #[serde(default)]
    pub organization_descriptions: Vec<String>,
    /// Nouns before a bracketed title that make it the name of a work (映画「…」).
    #[serde(default)]
    pub work_heads: Vec<String>,
    /// Words that make a place name a team (日本代表, 県選抜).
    #[serde(default)]
    pub team_suffixes: Vec<String>,
    /// Nouns that make "name + の + noun" the name of an event (応仁の乱, 桜田門外の変).
    #[serde(default)]
    pub event_of_nouns: Vec<String>,
    /// Proper nouns and their kinds (ontology/names.tsv), set by `Rules::load`.
    #[serde(skip)]
    pub lexicon: Option<Arc<NameLexicon>>,
    #[serde(skip)]
    cue_index: OnceLock<HashMap<String, u8>>,
}

impl NerRules {
    /// The type a head noun gives (企業 → organisation, 選手 → person): the first
    /// head-noun list that `matches`. The lists share no word.
    fn head_type(&self, matches: impl Fn(&[String]) -> bool) -> Option<EntityType> {
        [
            (&self.person_heads, EntityType::Person),
            (&self.organization_heads, EntityType::Organization),
            (&self.product_heads, EntityType::Product),
            (&self.place_heads, EntityType::Place),
        ]
        .into_iter()
        .find(|(list, _)| matches(list))
        .map(|(_, t)| t)
    }

    /// Which suffix list a word is in: 0 none, 1 person, 2 organisation, 3 place,
    /// 4 event. Built once per rule set: it is asked for every token.
    pub fn cue_of(&self, word: &str) -> u8 {
        let map = self.cue_index.get_or_init(|| {
            let mut m = HashMap::new();
            // Earlier lists win, so insert in reverse order of priority.
            for (k, list) in [
                (4, &self.event_suffixes),
                (3, &self.place_suffixes),
                (2, &self.organization_suffixes),
                (1, &self.person_suffixes),
            ] {
                for w in list {
                    m.insert(w.clone(), k);
                }
            }
            m
        });
        map.get(word).copied().unwrap_or(0)
    }
}

/// The embedded tagger (read in place, see [`tagger::Model::builtin`]); None when
/// the binary was built with an empty model file: the rules alone find names.
pub fn builtin_model() -> Option<&'static Model> {
    static MODEL: OnceLock<Option<Model>> = OnceLock::new();
    MODEL.get_or_init(|| Model::builtin().ok()).as_ref()
}

/// Finds entity mentions and value mentions in an article's sentences, with the
/// built-in tagger.
pub fn recognize(
    sentences: &[AnalyzedSentence],
    rules: &NerRules,
) -> (Vec<Mention>, Vec<ValueMention>) {
    recognize_with(sentences, rules, builtin_model())
}

/// Like [`recognize`] with a chosen tagger; `None` uses the rules alone.
pub fn recognize_with(
    sentences: &[AnalyzedSentence],
    rules: &NerRules,
    model: Option<&Model>,
) -> (Vec<Mention>, Vec<ValueMention>) {
    let mut mentions = Vec::new();
    let mut values = Vec::new();
    // Mentions (sentence, start) whose type an explicit cue gave.
    let mut cued_at = HashSet::new();
    for (si, s) in sentences.iter().enumerate() {
        let cues = token_cues(&s.tokens, rules);
        let spans = match model {
            Some(m) => {
                let mut spans: Vec<_> = m
                    .tag(&s.tokens, &cues)
                    .into_iter()
                    .filter_map(|sp| outside_parentheses(&s.tokens, sp))
                    .collect();
                // Rule spans with an explicit cue fill the gaps the tagger leaves,
                // and replace tagger spans they contain (サカナAI over a bare AI).
                for r in rule_spans(&s.tokens, &cues, rules) {
                    let inside = |x: &tagger::Span| r.start <= x.start && x.end <= r.end;
                    if r.confidence >= STRONG && spans.iter().all(|x| !overlaps(x, &r) || inside(x))
                    {
                        spans.retain(|x| !inside(x));
                        spans.push(r);
                    }
                }
                spans.sort_by_key(|x| x.start);
                join_split_surnames(&s.tokens, &cues, spans)
            }
            None => rule_spans(&s.tokens, &cues, rules),
        };
        let mut covered_to = 0;
        for mut span in spans {
            span.start = surname_start(&s.tokens, &cues, span.start, covered_to, rules);
            span.start = word_start(&s.tokens, span.start, covered_to);
            if span.start < covered_to {
                continue;
            }
            span.end = latin_end(&s.tokens, span.end);
            let floor = covered_to;
            covered_to = span.end;
            if let Some((m, cued)) = name_mention(s, si, span, floor, &cues, rules) {
                covered_to = covered_to.max(m.tokens.end);
                if cued {
                    cued_at.insert((si, m.start));
                }
                // 米エヌビディア: the country the name dropped is a place of its own.
                let k = m.tokens.start.wrapping_sub(1);
                if m.tokens.start > span.start.max(floor)
                    && in_list(&rules.country_prefixes, &s.tokens[k].surface)
                {
                    mentions.push(country_mention(s, si, k));
                }
                mentions.push(m);
            }
        }
        references(s, si, rules, &mut mentions);
        values.extend(values::find(s, si, rules));
    }
    add_parenthesised_names(sentences, rules, &mut mentions);
    mentions.sort_by_key(|m| (m.sentence, m.start));
    extend_to_known_names(sentences, &mut mentions);
    glue::trim_fused_words(sentences, &mut mentions);
    glue::trim_stray_symbols(sentences, &mut mentions);
    type_by_neighbours(sentences, &mut cued_at, &mut mentions);
    type_by_description(sentences, rules, &mut cued_at, &mut mentions);
    type_by_parenthesis(sentences, rules, &mut cued_at, &mut mentions);
    harmonise_article(sentences, &cued_at, &mut mentions);
    scripts::add_other_script_spellings(sentences, &mut mentions);
    add_descriptions(sentences, rules, &mut mentions);
    mentions.sort_by_key(|m| (m.start, m.end));
    (mentions, values)
}

/// A country written as one character before a name (米, 英): a place.
fn country_mention(s: &AnalyzedSentence, si: usize, k: usize) -> Mention {
    let t = &s.tokens[k];
    Mention {
        sentence: si,
        tokens: k..k + 1,
        start: t.start,
        end: t.end,
        surface: t.surface.clone(),
        name: t.surface.clone(),
        etype: EntityType::Place,
        kind: MentionKind::Name,
        confidence: STRONG,
    }
}

/// Where a name that begins inside a word really begins: IPADIC splits unknown
/// hiragana words at a prefix (み+らい+銀行 for みらい銀行), and a name never starts
/// between two hiragana of one word. Joined prefixes and nouns before it belong to it.
fn word_start(tokens: &[Token], mut start: usize, floor: usize) -> usize {
    while start > floor {
        let (p, t) = (&tokens[start - 1], &tokens[start]);
        let glued = p.end == t.start
            && p.surface.ends_with(is_hiragana)
            && t.surface.starts_with(is_hiragana)
            && (p.pos[0] == "接頭詞" || p.is_noun() && p.pos[1] != "非自立");
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
fn surname_start(
    tokens: &[Token],
    cues: &[TokenCues],
    start: usize,
    floor: usize,
    rules: &NerRules,
) -> usize {
    let given = |k: usize| is_given_name(&tokens[k]);
    let part = |k: usize| {
        let x = &tokens[k];
        x.is_noun()
            && x.pos[1] != "代名詞"
            && x.surface.chars().all(is_kanji)
            && cues[k].cue == 0
            && !in_list(&rules.person_heads, &x.surface)
            && !rules.anaphors.contains_key(&x.surface)
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
    let words: String = tokens[k..start]
        .iter()
        .map(|x| x.surface.as_str())
        .collect();
    // A suffix ends a word (創設+者) unless it counts a numeral (三+部).
    let whole_words =
        (k..start).all(|i| tokens[i].pos[1] != "接尾" || i > k && tokens[i - 1].pos[1] == "数");
    let title = [&rules.person_heads, &rules.person_suffixes]
        .iter()
        .any(|l| l.iter().any(|h| words.ends_with(h.as_str())));
    if k < start && chars <= 3 && bounded && whole_words && !title {
        k
    } else {
        span_start
    }
}

/// IPADIC's given-name tag (名詞,固有名詞,人名,名).
fn is_given_name(t: &Token) -> bool {
    t.is_proper() && t.pos[2] == "人名" && t.pos[3] == "名"
}

/// Two spans that meet where a given name (IPADIC 人名,名) begins are one person
/// when the first is a short kanji word: the dictionary split a rare surname off
/// (三部+敏宏) and the tagger named the pieces apart. A first span that ends in an
/// organisation or place suffix (北星電機, 港区) is a name of its own.
fn join_split_surnames(
    tokens: &[Token],
    cues: &[TokenCues],
    spans: Vec<tagger::Span>,
) -> Vec<tagger::Span> {
    let mut out: Vec<tagger::Span> = Vec::with_capacity(spans.len());
    for sp in spans {
        let joins = out.last().is_some_and(|prev| {
            let surname: String = tokens[prev.start..prev.end]
                .iter()
                .map(|t| t.surface.as_str())
                .collect();
            prev.end == sp.start
                && is_given_name(&tokens[sp.start])
                && surname.chars().count() <= 3
                && surname.chars().all(is_kanji)
                && cues[prev.end - 1].cue == 0
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
const STRONG: f32 = 0.8;

fn overlaps(a: &tagger::Span, b: &tagger::Span) -> bool {
    a.start < b.end && b.start < a.end
}

fn in_list(list: &[String], s: &str) -> bool {
    list.iter().any(|x| x == s)
}

/// Whether `s` ends with one of the words of `list` (a head noun of a compound).
fn ends_with_one_of(list: &[String], s: &str) -> bool {
    list.iter().any(|x| s.ends_with(x.as_str()))
}

fn is_year(t: &Token) -> bool {
    t.surface.len() == 4 && is_number(&t.surface)
}

/// Marks each token with the cue list it belongs to and whether it is quoted.
pub fn token_cues(tokens: &[Token], rules: &NerRules) -> Vec<TokenCues> {
    let mut depth = 0usize;
    let mut cues: Vec<TokenCues> = tokens
        .iter()
        .map(|t| {
            let s = t.surface.as_str();
            let cue = rules.cue_of(s);
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

fn is_latin_word(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '&' | '\''))
}

fn is_katakana_word(s: &str) -> bool {
    s.chars().count() >= 2 && s.chars().all(|c| is_katakana(c) && c != '・')
}

/// A token that can be (part of) a name by itself.
fn name_like(t: &Token) -> bool {
    // Unknown-word analysis makes nouns of brackets too.
    if !t.is_noun()
        || !t.surface.chars().any(char::is_alphanumeric)
        || matches!(t.pos[1].as_str(), "数" | "代名詞" | "非自立" | "接尾")
    {
        return false;
    }
    t.is_proper() || t.unknown || is_katakana_word(&t.surface) || is_latin_word(&t.surface)
}

/// A word IPADIC knows as a common noun and the name lexicon lists as a common
/// word (サッカー, スポーツ, スパイ): written like a foreign name, but a word.
fn plain_word(t: &Token, c: &TokenCues) -> bool {
    !t.unknown && !t.is_proper() && c.names.word & lexicon::COMMON_WORD != 0
}

/// Token that joins two name parts: ・ or = between name words, one of them foreign.
fn joiner(tokens: &[Token], i: usize) -> bool {
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
    matches!(t.surface.as_str(), "・" | "=")
        && name_like(p)
        && name_like(n)
        && (foreign(p) || foreign(n))
}

fn is_number(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_digit() || c == '.')
}

/// Where a name ending at token `end` continues as Latin words or a version number:
/// one space or a hyphen between a Latin word and the next (Kestrel 4, NX-Core,
/// Vantora Systems). The tokenizer drops the space, so look at the offsets.
fn latin_end(tokens: &[Token], mut end: usize) -> usize {
    while end < tokens.len() && end > 0 {
        let p = &tokens[end - 1];
        if !p.surface.ends_with(|c: char| c.is_ascii_alphanumeric()) {
            break;
        }
        let n = &tokens[end];
        let latin_or_number = |t: &Token| is_latin_word(&t.surface) || is_number(&t.surface);
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
fn rule_spans(tokens: &[Token], cues: &[TokenCues], rules: &NerRules) -> Vec<tagger::Span> {
    let mut spans = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        if let Some(end) = introduced_title(tokens, i, rules) {
            spans.push(tagger::Span {
                start: i + 1,
                end,
                etype: EntityType::Product,
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
                && (cues[j].cue == 2
                    || cues[j].cue == 4
                    || cues[j].cue == 3 && tokens[j].pos[1] == "接尾")
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
        let described =
            (start..j).all(|k| plain_word(&tokens[k], &cues[k]) || matches!(cues[k].cue, 1 | 3));
        if described && cues.get(j).is_none_or(|c| !matches!(c.cue, 2 | 4)) {
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
fn event_extent(tokens: &[Token], mut start: usize, mut end: usize) -> (usize, usize) {
    let part = |t: &Token| {
        (t.is_noun() && !matches!(t.pos[1].as_str(), "非自立" | "代名詞" | "副詞可能"))
            || t.pos[0] == "接頭詞"
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

/// A title in brackets right after a work noun (映画「…」, 小説『…』) is the name of
/// that work, whatever words it is made of. Returns the index of the closing
/// bracket when token `open` opens such a title.
fn introduced_title(tokens: &[Token], open: usize, rules: &NerRules) -> Option<usize> {
    let closing = match tokens[open].surface.as_str() {
        "「" => "」",
        "『" => "』",
        _ => return None,
    };
    let head = head_before(tokens, open, rules)?;
    if !ends_with_one_of(&rules.work_heads, &head) {
        return None;
    }
    let close = (open + 1..tokens.len().min(open + 30)).find(|&k| tokens[k].surface == closing)?;
    (close > open + 1).then_some(close)
}

/// A company named with dictionary words only (青空+システムズ) is still a name when
/// the text introduces it as one: after an organisation head noun (クラウド大手の,
/// 新興企業) and ending in an organisation suffix word. Returns the end of the name.
fn described_company(
    tokens: &[Token],
    cues: &[TokenCues],
    start: usize,
    rules: &NerRules,
) -> Option<usize> {
    let word = |t: &Token| t.is_noun() && !matches!(t.pos[1].as_str(), "非自立" | "代名詞" | "数");
    if start == 0 || !word(&tokens[start]) || word(&tokens[start - 1]) {
        return None;
    }
    let mut end = start;
    while end < tokens.len() && word(&tokens[end]) && end - start < 4 {
        end += 1;
    }
    let last = &tokens[end - 1];
    let suffix_word = cues[end - 1].cue == 2 && last.surface.chars().count() >= 2;
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
fn head_before(tokens: &[Token], start: usize, rules: &NerRules) -> Option<String> {
    let mut k = start;
    let owner = k > 0 && tokens[k - 1].surface == "の";
    if owner {
        k -= 1;
        if k > 0 && (tokens[k - 1].is_proper() || tokens[k - 1].unknown) {
            return None;
        }
    }
    let mut from = k;
    while from > 0
        && k - from < 3
        && (tokens[from - 1].is_noun() || tokens[from - 1].pos[0] == "接頭詞")
    {
        from -= 1;
    }
    let head: String = tokens[from..k].iter().map(|t| t.surface.as_str()).collect();
    let reference = owner && rules.anaphors.keys().any(|a| head.ends_with(a.as_str()));
    (from < k && !reference).then_some(head)
}

/// Type from explicit cues, and whether such a cue was found.
fn explicit_type(
    tokens: &[Token],
    cues: &[TokenCues],
    start: usize,
    end: usize,
    rules: &NerRules,
) -> Option<EntityType> {
    let next = tokens.get(end).map_or("", |t| t.surface.as_str());
    if in_list(&rules.person_honorifics, next) {
        return Some(EntityType::Person);
    }
    // What follows: Xの創設者, Xに入社 say X is an organisation.
    let after: String = tokens[end..(end + 3).min(tokens.len())]
        .iter()
        .map(|t| t.surface.as_str())
        .collect();
    if rules
        .organization_contexts
        .iter()
        .any(|c| after.starts_with(c.as_str()))
    {
        return Some(EntityType::Organization);
    }
    let last: String = tokens[start..end]
        .iter()
        .map(|t| t.surface.as_str())
        .collect();
    // Suffixes of two or more characters also count inside a token or across
    // tokens (…ラボ, …大学, 博覧+会); one-character ones (社, 省) only as their own token.
    let ends_with_any = |list: &[String]| {
        list.iter()
            .any(|x| x.chars().count() >= 2 && last.ends_with(x.as_str()) && last.len() > x.len())
    };
    if ends_with_any(&rules.organization_suffixes) {
        return Some(EntityType::Organization);
    }
    if ends_with_any(&rules.event_suffixes) {
        return Some(EntityType::Event);
    }
    match cues[end - 1].cue {
        2 if end - start > 1 => return Some(EntityType::Organization),
        4 if end - start > 1 => return Some(EntityType::Event),
        _ => {}
    }
    let head = head_before(tokens, start, rules)?;
    rules.head_type(|list| ends_with_one_of(list, &head))
}

fn rule_type(
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
    let institution = last.is_proper() && matches!(last.pos[2].as_str(), "地域" | "組織");
    // 日本代表: a team (name_mention joins the two words).
    if last.pos[2] == "地域"
        && tokens
            .get(end)
            .is_some_and(|t| in_list(&rules.team_suffixes, &t.surface))
    {
        return (EntityType::Organization, true);
    }
    if cues.get(end).is_some_and(|c| c.cue == 1) && !institution {
        return (EntityType::Person, true);
    }
    if cues[end - 1].cue == 3 && end - start > 1 {
        return (EntityType::Place, true);
    }
    let ty = match tokens[start..end]
        .iter()
        .rev()
        .find(|t| t.is_proper())
        .map(|t| t.pos[2].as_str())
    {
        Some("人名") => EntityType::Person,
        Some("地域") => EntityType::Place,
        Some("組織") => EntityType::Organization,
        _ if cues[start].quoted => EntityType::Product,
        _ => EntityType::Organization,
    };
    (ty, false)
}

/// A parenthesis ends a name: ミラ・ソレンセン(AI… is ミラ・ソレンセン, and in X(Y) the
/// second name Y becomes a mention of its own (see add_parenthesised_names).
fn outside_parentheses(toks: &[Token], mut span: tagger::Span) -> Option<tagger::Span> {
    while span.start < span.end && matches!(toks[span.start].surface.as_str(), "(" | ")") {
        span.start += 1;
    }
    if let Some(k) = (span.start..span.end).find(|&k| matches!(toks[k].surface.as_str(), "(" | ")"))
    {
        span.end = k;
    }
    (span.start < span.end).then_some(span)
}

/// Turns a span into a mention: drops a country prefix (米X → X), corrects the type
/// with explicit cues, and strips titles from the canonical name.
fn name_mention(
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
        && in_list(&rules.country_prefixes, &toks[span.start].surface)
        && toks[span.start + 1]
            .surface
            .starts_with(|c: char| (is_katakana(c) && c != '・') || c.is_ascii_alphabetic())
    {
        span.start += 1;
    } else if in_list(&rules.country_prefixes, &toks[span.start].surface)
        && !toks[span.start + 1..span.end].iter().any(name_like)
    {
        // 米半導体: a country and a common noun describe, they do not name.
        return None;
    }
    let is_head = |t: &Token| rules.head_type(|list| in_list(list, &t.surface)).is_some();
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
    let place_at = |k: usize| toks[k].is_proper() && toks[k].pos[2] == "地域";
    let team = if toks
        .get(span.end)
        .is_some_and(|t| in_list(&rules.team_suffixes, &t.surface))
        && place_at(span.end - 1)
    {
        span.end += 1;
        true
    } else {
        span.end - span.start > 1
            && in_list(&rules.team_suffixes, &toks[span.end - 1].surface)
            && place_at(span.end - 2)
    };
    // A title the tagger swallowed (ソラン氏) is not part of the name.
    while !team && span.end - span.start > 1 && cues[span.end - 1].cue == 1 {
        span.end -= 1;
    }
    // Explicit cues in the article beat the tagger's guess (measured: +0.1 F1
    // points on ner-wikipedia folds, and they carry the domains it was not trained on).
    let cue = if team {
        Some(EntityType::Organization)
    } else {
        explicit_type(toks, cues, span.start, span.end, rules)
    };
    // 義和団の乱, オルタモントの悲劇: the name is the event's, and names it whole. The
    // noun must end the compound (戦い方 is not a battle).
    let event_of = !team
        && toks.get(span.end).is_some_and(|t| t.surface == "の")
        && toks
            .get(span.end + 1)
            .is_some_and(|t| in_list(&rules.event_of_nouns, &t.surface))
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
    if span.etype == EntityType::Event && cue.is_some() {
        let (start, end) = event_extent(toks, span.start, span.end);
        span.start = start.max(floor);
        span.end = end;
    }
    // 投資ファンド, 大手企業, 米ソフトウェア企業: dictionary words ending in a head
    // noun describe, they do not name; nor does a country before them.
    let described_from = if in_list(&rules.country_prefixes, &toks[span.start].surface) {
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

    let surface = sentence_text(s, toks[span.start].start, toks[span.end - 1].end);
    let name = if team {
        // 代表 here is part of the name, not a title to strip.
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

/// An English word in lower case (dismantled, data): names written in Latin
/// letters carry a capital or a digit (Vantora, iPhone, NX-Core, 5G). A lower-case
/// brand (freee) still counts when a cue types it (freee株式会社).
fn is_lowercase_latin(name: &str) -> bool {
    name.chars().any(|c| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || matches!(c, ' ' | '-' | '.' | '\''))
}

/// The sentence's text between two article offsets (keeps the spaces the
/// tokenizer drops: Kestrel 4).
fn sentence_text(s: &AnalyzedSentence, start: usize, end: usize) -> String {
    s.sentence
        .text
        .chars()
        .skip(start - s.sentence.start)
        .take(end - start)
        .collect()
}

/// NFKC, trimmed, without trailing titles/honorifics or a leading country prefix.
pub fn canonical_name(surface: &str, rules: &NerRules) -> String {
    let mut name = crate::text::normalize(surface).trim().to_string();
    loop {
        let stripped = rules
            .person_suffixes
            .iter()
            .filter(|t| name.ends_with(t.as_str()) && name.len() > t.len())
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

/// Pronouns (彼) and anaphors (同社, also when the tokenizer splits 同 + 社).
fn references(s: &AnalyzedSentence, si: usize, rules: &NerRules, out: &mut Vec<Mention>) {
    let toks = &s.tokens;
    let mut i = 0;
    while i < toks.len() {
        let t = &toks[i];
        if in_list(&rules.person_pronouns, &t.surface) {
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
        let two = toks
            .get(i + 1)
            .map(|n| format!("{}{}", t.surface, n.surface));
        let found = if let Some(ty) = rules.anaphors.get(&t.surface) {
            Some((i..i + 1, *ty))
        } else {
            two.as_ref()
                .and_then(|w| rules.anaphors.get(w))
                .map(|ty| (i..i + 2, *ty))
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

fn reference(
    s: &AnalyzedSentence,
    sentence: usize,
    tokens: std::ops::Range<usize>,
    etype: EntityType,
    kind: MentionKind,
) -> Mention {
    let surface: String = s.tokens[tokens.clone()]
        .iter()
        .map(|t| t.surface.as_str())
        .collect();
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

/// ロジヴィア(Logivia): the name in parentheses right after a name is another name
/// of the same thing; emit it so the entity stage can alias the two.
fn add_parenthesised_names(
    sentences: &[AnalyzedSentence],
    rules: &NerRules,
    mentions: &mut Vec<Mention>,
) {
    let mut extra = Vec::new();
    let mut retype = Vec::new();
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
        // A second spelling is one word or a few joined words, not a gloss or a date.
        let one_name = text.chars().any(|c| c.is_alphabetic())
            && !text.chars().any(|c| matches!(c, '、' | ',' | ':' | '。'))
            && text
                .chars()
                .all(|c| c.is_alphanumeric() || " ・-.&".contains(c))
            && !text.chars().all(|c| is_kanji(c) || c.is_ascii_digit())
            // A particle makes it a phrase (製品開発のVP), not a name.
            && !toks[inner.clone()].iter().any(Token::is_particle)
            // So does a head noun or title at its end (米ソフトウェア企業, 同社CEO).
            && describes(&toks[close - 1].surface, rules).is_none();
        let (start, end) = (toks[inner.start].start, toks[close - 1].end);
        let covering = mentions
            .iter()
            .position(|o| o.sentence == m.sentence && o.start < end && start < o.end);
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

/// A name found whole somewhere in the article (アルテラ技研) is that name wherever
/// its text recurs: a mention the tagger cut short at the same place
/// (アルテラ|技研の社長) is extended to the longer name.
fn extend_to_known_names(sentences: &[AnalyzedSentence], mentions: &mut [Mention]) {
    // (surface, canonical name), longest first.
    let mut known: Vec<(String, String)> = mentions
        .iter()
        .filter(|m| m.kind == MentionKind::Name)
        .map(|m| (m.surface.clone(), m.name.clone()))
        .collect();
    known.sort_by_key(|(s, _)| std::cmp::Reverse(s.len()));
    known.dedup();
    for i in 0..mentions.len() {
        let m = &mentions[i];
        if m.kind != MentionKind::Name {
            continue;
        }
        let toks = &sentences[m.sentence].tokens;
        let limit = mentions
            .iter()
            .filter(|o| o.sentence == m.sentence && o.tokens.start >= m.tokens.end)
            .map(|o| o.tokens.start)
            .min()
            .unwrap_or(toks.len());
        let longer = known.iter().find_map(|(n, name)| {
            if n.len() <= m.surface.len() || !n.starts_with(m.surface.as_str()) {
                return None;
            }
            let mut acc = m.surface.clone();
            let mut j = m.tokens.end;
            while j < limit && acc.len() < n.len() {
                acc.push_str(&toks[j].surface);
                j += 1;
            }
            (acc == *n).then(|| (j, acc, name.clone()))
        });
        if let Some((j, surface, name)) = longer {
            let m = &mut mentions[i];
            m.tokens.end = j;
            m.end = toks[j - 1].end;
            m.surface = surface;
            m.name = name;
        }
    }
}

/// XのY where Y is a product and X a company or a product: X makes Y, so X is an
/// organisation, and says so for its other mentions (VantoraのKestrel → Vantora).
/// (Tried too: names of one list (A、B、そしてC) sharing the type of a member
/// typed by a cue or the dictionary: 0.002 F1 worse on ner-wikipedia folds.)
fn type_by_neighbours(
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
                .map(|t| t.surface.as_str())
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
fn type_by_description(
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
        if toks.get(m.tokens.end).is_none_or(|t| t.surface != "は") {
            continue;
        }
        // Xは、日本の企業である: a comma right after は opens the description.
        let mut from = m.tokens.end + 1;
        if toks.get(from).is_some_and(|t| t.pos[1] == "読点") {
            from += 1;
        }
        let clause_end = (from..toks.len())
            .find(|&k| matches!(toks[k].pos[1].as_str(), "読点" | "句点"))
            .unwrap_or(toks.len());
        let words: Vec<&str> = toks[from..clause_end]
            .iter()
            .map(|t| t.surface.as_str())
            .collect();
        let comma_after = clause_end < toks.len() && toks[clause_end].pos[1] == "読点";
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
        if let Some(t) = rules.head_type(|list| in_list(list, &head.surface)) {
            m.etype = t;
            cued_at.insert((m.sentence, m.start));
        }
    }
}

/// X(製品開発のVP) / X(同社社長): a parenthesis right after a name that ends in a
/// title or head noun says what the name is, as an apposition does. News writes
/// people this way, and a foreign name alone gives the tagger little to go on.
fn type_by_parenthesis(
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
        if let Some(t) = describes(&toks[inner.end - 1].surface, rules) {
            m.etype = t;
            cued_at.insert((m.sentence, m.start));
        }
    }
}

/// The tokens inside a parenthesis that opens at token `open`, up to the first
/// closing one; None if none opens there or it is never closed.
fn parenthesis_after(toks: &[Token], open: usize) -> Option<std::ops::Range<usize>> {
    if toks.get(open)?.surface != "(" {
        return None;
    }
    let close = (open + 1..toks.len()).find(|&k| toks[k].surface == ")")?;
    Some(open + 1..close)
}

/// What a word ending a description says the described thing is: a person's
/// title (社長, VP) or a head noun (企業, 都市).
fn describes(word: &str, rules: &NerRules) -> Option<EntityType> {
    if in_list(&rules.person_suffixes, word) {
        Some(EntityType::Person)
    } else {
        rules.head_type(|list| in_list(list, word))
    }
}

/// Descriptions that introduce an organisation without naming it (持ち株会社,
/// 新会社): mentions of their own, so that later references (その傘下, 同社)
/// and facts have something to point to.
fn add_descriptions(sentences: &[AnalyzedSentence], rules: &NerRules, mentions: &mut Vec<Mention>) {
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
fn add_occurrences(
    sentences: &[AnalyzedSentence],
    targets: &[(&String, EntityType)],
    mentions: &mut Vec<Mention>,
) {
    let mut extra = Vec::new();
    for (si, s) in sentences.iter().enumerate() {
        let toks = &s.tokens;
        for i in 0..toks.len() {
            for (name, ty) in targets {
                if !name.starts_with(toks[i].surface.as_str()) || toks[i].surface.is_empty() {
                    continue;
                }
                let mut acc = String::new();
                let mut j = i;
                while j < toks.len() && acc.len() < name.len() {
                    acc.push_str(&toks[j].surface);
                    j += 1;
                }
                if acc != **name {
                    continue;
                }
                add_occurrence(mentions, &mut extra, si, toks, i..j, name, *ty);
            }
        }
    }
    mentions.extend(extra);
}

/// Confidence of a mention found only as an occurrence of a name known from
/// elsewhere (the article's other mentions, or the store): a guess, but one
/// already made once.
const OCCURRENCE_CONFIDENCE: f32 = 0.6;

/// Adds to `extra` a mention of `name` over `tokens` of sentence `si`, unless a
/// mention in `found` or `extra` overlaps it.
fn add_occurrence(
    found: &[Mention],
    extra: &mut Vec<Mention>,
    si: usize,
    toks: &[Token],
    tokens: std::ops::Range<usize>,
    name: &str,
    etype: EntityType,
) {
    let (start, end) = (toks[tokens.start].start, toks[tokens.end - 1].end);
    let covered = found
        .iter()
        .chain(extra.iter())
        .any(|m| m.sentence == si && m.start < end && start < m.end);
    if !covered {
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
const CUE_VOTE: f32 = 3.0;

/// One article names one thing one way: a name typed by an explicit cue somewhere
/// (a title, a head noun) keeps that type everywhere, other names take the type
/// most of their mentions have, and later bare repetitions of a known name that
/// the tagger missed become mentions too.
fn harmonise_article(
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

#[cfg(test)]
mod tests;
