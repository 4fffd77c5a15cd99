//! Bunsetsu (文節) chunking and a head-final dependency attachment.
//!
//! A bunsetsu is a run of content words followed by function words
//! (particles, auxiliaries, non-independent verbs, punctuation). Japanese is
//! head-final, so each bunsetsu depends on one to its right; the link type
//! decides which one:
//! - a case-marked or topic bunsetsu (が, を, に, は…) → the nearest following predicate;
//! - an adnominal one (Xの, a verb in 連体 form, 〜である) → the next bunsetsu;
//! - a conjunctive predicate (連用形, 〜て) → the next predicate, sharing its subject;
//! - a bare noun before 、/と/や followed by another noun → a conjunct of it.
//!
//! Known limits: attachment is "nearest candidate", so a が-subject before a
//! relative clause attaches to the clause's verb (frames.rs also offers it as a
//! shared subject to later predicates); adnominal の attaches to the next
//! bunsetsu even when it semantically modifies a later noun (callers walk the
//! の-chain); parentheticals are folded into the bunsetsu before them.
use std::ops::Range;

use crate::grammar::{self, Particle};
use crate::tokens::{Tag, Token};

/// How a bunsetsu connects to the one it depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Link {
    /// Marked by a case particle or a topic particle: an argument of a predicate.
    Argument,
    /// Modifies the next noun (の, relative clause, 〜である).
    Adnominal,
    /// A predicate in 連用/て form chained to the next predicate.
    Conjunctive,
    /// A conjunct of the next noun (A、B / AとB / AやB).
    Coordinate,
    /// Nothing follows it in the sentence (or it attaches nowhere).
    Final,
}

/// What the bunsetsu's content is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Nominal,
    /// A verb, or a サ変 noun + する, or a サ変 noun ending a clause (headline style).
    Verbal,
    /// A noun + copula (だ, です, である).
    Copula,
    Adjectival,
    /// Conjunctions, adverbs, adnominals (その): never arguments.
    Other,
}

#[derive(Debug, Clone)]
pub struct Bunsetsu {
    /// All tokens, function words included.
    pub tokens: Range<usize>,
    /// The content tokens (no leading or trailing brackets, no function words).
    pub content: Range<usize>,
    pub kind: Kind,
    /// Predicate lemma (verb dictionary form, or the サ変 noun of 〜する), or the
    /// content surface for nominals.
    pub lemma: String,
    /// The case particle (には → に, として, によって…), if any; の for an
    /// adnominal phrase, と for a conjunct.
    pub case: Option<Particle>,
    /// Marked by は or も.
    pub topic: bool,
    pub passive: bool,
    pub negated: bool,
    /// Function-word surfaces and bases after the content, in order.
    pub function: Vec<String>,
    pub link: Link,
    /// The bunsetsu this one depends on.
    pub head: Option<usize>,
}

impl Bunsetsu {
    pub fn is_predicate(&self) -> bool {
        matches!(self.kind, Kind::Verbal | Kind::Copula | Kind::Adjectival)
    }
    /// A は/も-phrase with no case particle (Xは, Xも): the clause's topic.
    pub fn is_bare_topic(&self) -> bool {
        self.topic && self.case.is_none()
    }
    /// A noun with で and a comma (Xの子会社で、): the copula of a clause that
    /// goes on, not a place or means.
    pub fn is_continuing_copula(&self) -> bool {
        self.case == Some(Particle::De) && self.function.last().is_some_and(|f| f == "、")
    }
}

/// The first topic among bunsetsu `bs[..end]`.
pub fn first_topic(bs: &[Bunsetsu], end: usize) -> Option<usize> {
    bs[..end.min(bs.len())]
        .iter()
        .position(Bunsetsu::is_bare_topic)
}

fn is_open_bracket(t: &Token) -> bool {
    t.is_open_bracket() || matches!(t.surface, "(" | "（" | "「" | "『" | "[" | "【")
}
fn is_close_bracket(t: &Token) -> bool {
    t.is_close_bracket() || matches!(t.surface, ")" | "）" | "」" | "』" | "]" | "】")
}
fn is_comma(t: &Token) -> bool {
    t.is_comma() || t.surface == "—" || t.surface == "ー" && t.is_symbol()
}
fn is_parenthesis_open(t: &Token) -> bool {
    matches!(t.surface, "(" | "（")
}
fn is_parenthesis_close(t: &Token) -> bool {
    matches!(t.surface, ")" | "）")
}

/// Function words: they end a bunsetsu and never start one.
fn is_function(t: &Token) -> bool {
    t.is_particle()
        || t.is_auxiliary()
        || (t.is_verb() && (t.is_dependent() || t.is_suffix()))
        || (t.is_adjective() && t.is_dependent())
        || is_close_bracket(t)
        || (t.is_symbol() && !is_open_bracket(t) && t.surface != "・" && t.surface != "$")
        || is_ascii_mark(t)
}

/// A word in Latin letters (KDDI, iPhone): a name or a noun, whatever part of
/// speech IPADIC's unknown-word model gives it (KDDI comes out an interjection).
fn is_latin_word(t: &Token) -> bool {
    t.surface.chars().any(|c| c.is_ascii_alphabetic())
        && t.surface
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '&'))
}

/// ! and ? after NFKC: IPADIC does not list the ASCII forms and reads them as
/// nouns (発売! would be a noun phrase ending in !).
fn is_ascii_mark(t: &Token) -> bool {
    !t.surface.is_empty() && t.surface.chars().all(|c| matches!(c, '!' | '?'))
}

fn is_content(t: &Token) -> bool {
    !is_function(t)
}

/// Splits a sentence's tokens into bunsetsu and links each to its head.
pub fn chunk(tokens: &[Token]) -> Vec<Bunsetsu> {
    chunk_with_titles(tokens, &[])
}

/// Like [`chunk`], with `titles` (token ranges of names written in 「」 or 『』)
/// kept whole: a work's title may be any phrase (『時をかける少女』,
/// 「恋に効く名言」), and its verbs and particles are part of the name, not of
/// the sentence.
pub fn chunk_with_titles(tokens: &[Token], titles: &[Range<usize>]) -> Vec<Bunsetsu> {
    // For each token inside a title, where that title ends.
    let mut title_end: Vec<Option<usize>> = vec![None; tokens.len()];
    for r in titles {
        if r.end <= tokens.len() && r.len() > 1 {
            title_end[r.start + 1..r.end].fill(Some(r.end));
        }
    }
    let mut spans: Vec<Range<usize>> = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < tokens.len() {
        if let Some(end) = title_end[i] {
            i = end;
            continue;
        }
        let t = &tokens[i];
        if is_parenthesis_open(t) && i > start {
            // Fold a "(…)" gloss (英語名, CEO) into the current bunsetsu; a
            // parenthesis holding a clause (with a verb) is chunked like the rest.
            let close = tokens[i..]
                .iter()
                .position(is_parenthesis_close)
                .map_or(tokens.len(), |p| i + p + 1);
            if !tokens[i..close].iter().any(|t| t.is_verb()) {
                i = close;
                continue;
            }
        }
        if i > start && boundary(&tokens[i - 1], t) {
            spans.push(start..i);
            start = i;
        }
        i += 1;
    }
    if start < tokens.len() {
        spans.push(start..tokens.len());
    }
    let mut out: Vec<Bunsetsu> = spans
        .into_iter()
        .map(|r| describe(tokens, r, &title_end))
        .collect();
    link(tokens, &mut out);
    out
}

/// Whether a new bunsetsu starts at `cur`, given the token before it.
fn boundary(prev: &Token, cur: &Token) -> bool {
    if is_open_bracket(cur) {
        return !prev.is_prefix() && !is_open_bracket(prev);
    }
    if is_function(cur) {
        return false;
    }
    if is_function(prev) && !is_parenthesis_close(prev) {
        return true;
    }
    if prev.is_prefix() || is_open_bracket(prev) {
        return false;
    }
    // Conjunctions, adverbs and adnominals (その) stand alone.
    let standalone = |t: &Token| {
        matches!(
            t.pos[0],
            Tag::Conjunction | Tag::Adverb | Tag::Adnominal | Tag::Interjection
        ) && !is_latin_word(t)
    };
    if standalone(prev) || standalone(cur) {
        return true;
    }
    let nounish =
        |t: &Token| t.is_noun() || is_latin_word(t) || t.surface == "・" || t.surface == "$";
    match (nounish(prev), nounish(cur)) {
        (true, true) => false,
        // A サ変 noun + する/できる is one predicate.
        (true, false) if cur.is_verb() => {
            !(prev.is_sahen() && matches!(cur.base, "する" | "できる"))
        }
        // A verb or adjective followed by a noun: a relative clause ends.
        _ => true,
    }
}

fn describe(tokens: &[Token], range: Range<usize>, title_end: &[Option<usize>]) -> Bunsetsu {
    let toks = &tokens[range.clone()];
    // A title's first token starts it: the title runs to its end.
    let title_at = |i: usize| title_end.get(i + 1).copied().flatten();
    // Content: up to the first function word outside brackets, skipping a
    // folded parenthetical and brackets at the edges.
    let mut c_start = range.start;
    while c_start < range.end && is_open_bracket(&tokens[c_start]) {
        c_start += 1;
    }
    let mut c_end = c_start;
    let mut in_title = vec![false; range.len()];
    while c_end < range.end && is_content(&tokens[c_end]) && !is_parenthesis_open(&tokens[c_end]) {
        match title_at(c_end) {
            Some(end) if end <= range.end => {
                in_title[c_end - range.start..end - range.start].fill(true);
                c_end = end;
            }
            _ => c_end += 1,
        }
    }
    let content_toks = &tokens[c_start..c_end];
    let title_mask = in_title;
    let in_title = &title_mask[c_start - range.start..c_end - range.start];
    let function: Vec<String> = tokens[c_end..range.end]
        .iter()
        .filter(|t| !is_parenthesis_open(t))
        .map(|t| t.base.to_string())
        .collect();
    // Particles outside the folded parenthetical only.
    let mut after_paren = c_end;
    if let Some(p) = tokens[c_end..range.end]
        .iter()
        .rposition(is_parenthesis_close)
    {
        after_paren = c_end + p + 1;
    }
    let particles: Vec<&Token> = tokens[after_paren..range.end]
        .iter()
        .filter(|t| t.is_particle())
        .collect();
    let joined: String = particles.iter().map(|t| t.surface).collect();
    let mut case = Particle::case_of(particles.iter().map(|t| t.surface), &joined);
    let topic = particles
        .iter()
        .any(|t| Particle::parse(t.surface).is_some_and(Particle::is_topic));
    // A final の makes the bunsetsu adnominal (への, からの too).
    if particles
        .last()
        .is_some_and(|t| t.surface == "の" && t.is_adnominalizer())
    {
        case = Some(Particle::No);
    }
    if particles
        .last()
        .is_some_and(|t| t.pos[1] == Tag::ParallelParticle || t.surface == "や")
    {
        case = Some(Particle::To);
    }

    // A title's words are a name: no verb or adjective of the bunsetsu.
    let verb = (0..content_toks.len()).rposition(|k| !in_title[k] && content_toks[k].is_verb());
    let adj = (0..content_toks.len()).rposition(|k| !in_title[k] && content_toks[k].is_adjective());
    let ends_in_title = in_title.last().copied().unwrap_or(false);
    let copula = toks
        .iter()
        .zip(&title_mask)
        .any(|(t, &title)| !title && t.is_auxiliary() && grammar::is_copula(t.base))
        && verb.is_none();
    let after = &tokens[c_end..range.end];
    let passive = after
        .iter()
        .any(|t| t.is_verb() && grammar::is_passive(t.base));
    let negated = after.iter().any(|t| {
        t.is_auxiliary() && grammar::is_negation(t.base) || t.is_adjective() && t.base == "ない"
    });
    let content_surface: String = content_toks.iter().map(|t| t.surface).collect();
    let (kind, lemma) = if let Some(v) = verb {
        let vt = &content_toks[v];
        if matches!(vt.base, "する" | "できる") && v > 0 && content_toks[v - 1].is_sahen() {
            // 子会社化する: a suffix like 化 keeps the noun before it.
            let noun = &content_toks[v - 1];
            let lemma = if noun.is_suffix() && v > 1 {
                format!("{}{}", content_toks[v - 2].surface, noun.surface)
            } else {
                noun.surface.to_string()
            };
            (Kind::Verbal, started(content_toks, v - 1).unwrap_or(lemma))
        } else {
            (Kind::Verbal, vt.base.to_string())
        }
    } else if let Some(a) = adj {
        (Kind::Adjectival, content_toks[a].base.to_string())
    } else if ends_in_title
        || content_toks
            .last()
            .is_some_and(|t| t.is_noun() || is_latin_word(t) || t.surface == "$")
    {
        let last = content_toks.last().unwrap();
        if copula {
            (Kind::Copula, content_surface.clone())
        } else if last.is_sahen()
            && !ends_in_title
            && case.is_none()
            && !topic
            && particles.is_empty()
            // 新作『Y』: a noun before a title is in apposition to it.
            && !tokens
                .get(range.end)
                .is_some_and(|t| matches!(t.surface, "「" | "『"))
        {
            // Headline style: a clause ending in a サ変 noun (…を買収。).
            let lemma = started(content_toks, content_toks.len() - 1);
            (
                Kind::Verbal,
                lemma.unwrap_or_else(|| last.surface.to_string()),
            )
        } else {
            (Kind::Nominal, content_surface.clone())
        }
    } else {
        (Kind::Other, content_surface.clone())
    };
    Bunsetsu {
        tokens: range,
        content: c_start..c_end,
        kind,
        lemma,
        case,
        topic,
        passive,
        negated,
        function,
        link: Link::Final,
        head: None,
    }
}

/// Whether a bare noun ends in a quoting という or といった (Bといった俳優):
/// such a phrase sums up the names before it, so it ends their list.
fn appositive_tail(b: &Bunsetsu) -> bool {
    b.kind == Kind::Nominal
        && b.case.is_none()
        && !b.topic
        && b.function
            .first()
            .is_some_and(|w| w == "という" || w == "といった")
}

/// Whether a predicate ends in the て-form (連携して、), not in one that goes
/// on (展開している is a relative clause before a noun).
fn ends_in_te(b: &Bunsetsu) -> bool {
    b.function
        .iter()
        .rev()
        .find(|f| !matches!(f.as_str(), "、" | "," | "。"))
        .is_some_and(|f| f == "て" || f == "で")
}

/// The action an aspect noun is about (発売開始 → 発売, 提供開始 → 提供): the
/// サ変 noun before 開始 at `k` names what begins, and rules name that.
fn started(content: &[Token], k: usize) -> Option<String> {
    let t = content.get(k)?;
    let before = content.get(k.checked_sub(1)?)?;
    (matches!(t.surface, "開始" | "スタート") && before.is_sahen())
        .then(|| before.surface.to_string())
}

/// Links each bunsetsu to its head; run again after a caller changes their
/// kinds or cases.
pub(super) fn link(tokens: &[Token], bs: &mut [Bunsetsu]) {
    let n = bs.len();
    // Bracket depth after each token: an argument and its predicate are at the
    // same depth, so nothing attaches into or out of a parenthesis or quote.
    let mut depth = Vec::with_capacity(tokens.len());
    let mut d: i32 = 0;
    for t in tokens {
        if is_open_bracket(t) {
            d += 1;
        } else if is_close_bracket(t) {
            d = (d - 1).max(0);
        }
        depth.push(d);
    }
    let arg_depth = |b: &Bunsetsu| depth[b.tokens.end - 1];
    let pred_depth = |b: &Bunsetsu| depth[b.content.end.max(b.content.start + 1) - 1];
    // An adjective right before a noun modifies it (新しいカメラ).
    let adnominal_adjective: Vec<bool> = (0..n)
        .map(|j| {
            bs[j].kind == Kind::Adjectival
                && bs[j].case.is_none()
                && !is_comma(&tokens[bs[j].tokens.end - 1])
                && bs
                    .get(j + 1)
                    .is_some_and(|b| matches!(b.kind, Kind::Nominal | Kind::Copula))
        })
        .collect();
    // An adjective in its continuative form right before a verb modifies the
    // verb (Xから新しく発売された): the phrases before it are the verb's.
    let adverbial_adjective: Vec<bool> = (0..n)
        .map(|j| {
            bs[j].kind == Kind::Adjectival
                && bs[j].case.is_none()
                && !is_comma(&tokens[bs[j].tokens.end - 1])
                && tokens[bs[j].content.clone()]
                    .last()
                    .is_some_and(|t| t.is_adjective() && t.conj.is_continuative())
                && bs.get(j + 1).is_some_and(|b| b.kind == Kind::Verbal)
        })
        .collect();
    // For each predicate, the last を-phrase with no predicate between them.
    let mut last_object: Vec<Option<usize>> = vec![None; n];
    let mut pending: Option<usize> = None;
    for j in 0..n {
        if bs[j].is_predicate() {
            last_object[j] = pending.take();
        }
        if bs[j].case == Some(Particle::Wo) && !bs[j].topic {
            pending = Some(j);
        }
    }
    // A verb right before a noun without a comma or て: a relative clause.
    let relative_verb: Vec<bool> = (0..n)
        .map(|j| {
            bs[j].kind == Kind::Verbal
                && bs[j].case.is_none()
                && !is_comma(&tokens[bs[j].tokens.end - 1])
                && !ends_in_te(&bs[j])
                && bs
                    .get(j + 1)
                    .is_some_and(|b| matches!(b.kind, Kind::Nominal | Kind::Copula))
        })
        .collect();
    for i in 0..n {
        // Adjectives take no object: a を-phrase skips them (彼を新しい部門の長にした);
        // and a source or place skips one that modifies a noun (Xから新しいカメラが
        //登場した: from X it appeared, not new from X).
        let object = bs[i].case == Some(Particle::Wo);
        let oblique = matches!(
            bs[i].case,
            Some(Particle::Kara | Particle::Yori | Particle::De | Particle::He)
        );
        // A subject set off by a comma (Xが、…) is the main clause's, not a
        // relative clause's on the way.
        let distant_subject =
            bs[i].case == Some(Particle::Ga) && is_comma(&tokens[bs[i].tokens.end - 1]);
        let here = arg_depth(&bs[i]);
        // One を per predicate: a を-phrase skips a predicate that a nearer
        // を-phrase is the object of (Aを…、Bを検知し…Cを発売する).
        let taken_object = |j: usize| last_object[j].is_some_and(|k| k > i);
        let candidate = |j: usize| {
            bs[j].is_predicate()
                && !(bs[j].kind == Kind::Adjectival && (object || adverbial_adjective[j]))
                && !(oblique && adnominal_adjective[j])
                && !(distant_subject && relative_verb[j])
                && pred_depth(&bs[j]) == here
        };
        // When every predicate has a nearer を, the objects are parallel
        // (AをX日から、BをY日から発売する): the last predicate takes them all.
        let next_pred = (i + 1..n)
            .find(|&j| candidate(j) && !(object && taken_object(j)))
            .or_else(|| {
                object
                    .then(|| (i + 1..n).rev().find(|&j| candidate(j)))
                    .flatten()
            });
        let last = &tokens[bs[i].tokens.end - 1];
        let comma = is_comma(last);
        let next = bs.get(i + 1);
        let next_nominal = next.is_some_and(|b| matches!(b.kind, Kind::Nominal | Kind::Copula));
        // Xを演じたAと、Yを演じたBが / Aや、『Y』のBという: after と or や and a
        // comma, the noun a relative clause or a の-phrase modifies is the
        // conjunct, not the clause's own object or the の-phrase.
        let conjunct_clause = (bs[i].case == Some(Particle::To) && comma)
            .then(|| relative_head(bs, i + 1))
            .flatten();
        let (link, head) = match bs[i].kind {
            Kind::Verbal | Kind::Copula | Kind::Adjectival => {
                let ends_clause = bs[i].function.last().is_none_or(|f| f != "た" && f != "だ")
                    && bs[i].case != Some(Particle::No);
                let continuative = tokens[bs[i].content.start..bs[i].tokens.end]
                    .iter()
                    .rev()
                    .find(|t| !t.is_symbol())
                    .is_some_and(|t| t.conj.is_continuative());
                let te = ends_in_te(&bs[i]);
                if bs[i].case.is_some() && bs[i].case != Some(Particle::No) {
                    (Link::Argument, next_pred)
                } else if !comma && !te && next_nominal && !continuative {
                    (Link::Adnominal, Some(i + 1))
                } else if (comma || te || continuative) && next_pred.is_some() && ends_clause {
                    (Link::Conjunctive, next_pred)
                } else if next_nominal && !comma {
                    (Link::Adnominal, Some(i + 1))
                } else {
                    (Link::Final, None)
                }
            }
            Kind::Nominal => match bs[i].case {
                Some(Particle::No) if next.is_some() => (Link::Adnominal, Some(i + 1)),
                // XによるY: による is the adnominal form (によって the adverbial one).
                Some(Particle::NiYoru) if next_nominal && !comma => (Link::Adnominal, Some(i + 1)),
                Some(Particle::To) if conjunct_clause.is_some() => {
                    (Link::Coordinate, conjunct_clause)
                }
                // AとBが: a list; but AとXを結ぶ with X an action noun (提携, 合意)
                // is a partner of the action, not a conjunct of it.
                // AやBといった俳優, AとBという歌手: the last conjunct may carry an
                // appositive word in place of a case particle.
                Some(Particle::To)
                    if next_nominal
                        && next.is_some_and(|b| {
                            (b.case.is_some() || b.topic || appositive_tail(b))
                                && tokens[b.content.clone()]
                                    .last()
                                    .is_none_or(|t| !t.is_sahen())
                        }) =>
                {
                    (Link::Coordinate, Some(i + 1))
                }
                Some(_) => (Link::Argument, next_pred),
                None if bs[i].topic => (Link::Argument, next_pred),
                // 今年、 / 先月: a time noun used as an adverb modifies the predicate.
                None if tokens[bs[i].content.clone()]
                    .last()
                    .is_some_and(|t| t.is_adverbial_noun()) =>
                {
                    (Link::Argument, next_pred)
                }
                None if comma => {
                    // A、B、そしてC: skip a conjunction to find the next conjunct.
                    // Before a number (ABC、1990年に…) or a predicate the bare noun
                    // is a dislocated subject: an unmarked argument.
                    let j = (i + 1..n).find(|&j| bs[j].kind != Kind::Other);
                    match j {
                        Some(j)
                            if bs[j].kind == Kind::Nominal
                                && tokens[bs[j].content.clone()]
                                    .first()
                                    .is_some_and(|t| !t.is_number()) =>
                        {
                            (Link::Coordinate, Some(j))
                        }
                        _ if next_pred.is_some() => (Link::Argument, next_pred),
                        _ => (Link::Final, None),
                    }
                }
                // A及びB, AまたはB: the word between joins two conjuncts.
                None if next.is_some_and(|b| {
                    b.kind == Kind::Other && grammar::is_coordinator(&b.lemma)
                }) && bs.get(i + 2).is_some_and(|b| b.kind == Kind::Nominal) =>
                {
                    (Link::Coordinate, Some(i + 2))
                }
                // 『A』『B』などに出演, 「A」「B」を発表: titles in brackets written one after
                // another are a list, not a modifier and its noun (映画「B」).
                None if next_nominal
                    && next.is_some_and(|b| {
                        let opener = match last.surface {
                            "』" => "『",
                            "」" => "「",
                            _ => return false,
                        };
                        tokens[b.tokens.start].surface == opener
                    }) =>
                {
                    (Link::Coordinate, Some(i + 1))
                }
                None if next_nominal => (Link::Adnominal, Some(i + 1)),
                // X演じるY, X率いるY: a bare name right before a verb is its
                // unmarked subject.
                None if next.is_some_and(|b| b.kind == Kind::Verbal && b.case.is_none())
                    && next_pred == Some(i + 1) =>
                {
                    (Link::Argument, next_pred)
                }
                None => (Link::Final, None),
            },
            Kind::Other => (Link::Final, None),
        };
        bs[i].link = link;
        bs[i].head = head;
    }
}

/// The noun a relative clause starting at bunsetsu `from` modifies: the
/// clause is case-marked nouns (not a subject or topic) and then a verb, written
/// right before a noun (Yを演じたB); or the noun after の-phrases (『Y』のB).
fn relative_head(bs: &[Bunsetsu], from: usize) -> Option<usize> {
    let nouns = (from..bs.len()).find(|&k| bs[k].case != Some(Particle::No))?;
    if nouns > from && bs[from..=nouns].iter().all(|b| b.kind == Kind::Nominal) {
        return Some(nouns);
    }
    let verb = (from..bs.len()).find(|&k| bs[k].kind != Kind::Nominal)?;
    let args = &bs[from..verb];
    let clause = !args.is_empty()
        && args.iter().all(|b| {
            b.case
                .is_some_and(|c| c != Particle::Ga && c != Particle::No)
                && !b.topic
        });
    let adnominal = bs[verb].kind == Kind::Verbal
        && bs[verb]
            .function
            .last()
            .is_none_or(|f| !matches!(f.as_str(), "、" | "。" | "て" | "で"));
    let noun_next = bs.get(verb + 1).is_some_and(|b| b.kind == Kind::Nominal);
    (clause && adnominal && noun_next).then_some(verb + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokens::Tokenizer;

    fn chunks(s: &str) -> (Vec<Token<'_>>, Vec<Bunsetsu>) {
        static TOKENIZER: std::sync::OnceLock<Tokenizer> = std::sync::OnceLock::new();
        let toks = TOKENIZER
            .get_or_init(|| Tokenizer::new().unwrap())
            .tokenize(s, 0)
            .unwrap();
        let bs = chunk(&toks);
        (toks, bs)
    }
    fn surfaces(toks: &[Token], bs: &[Bunsetsu]) -> Vec<String> {
        bs.iter()
            .map(|b| toks[b.tokens.clone()].iter().map(|t| t.surface).collect())
            .collect()
    }

    #[test]
    fn chunks_and_attaches_head_final() {
        let (toks, bs) = chunks("山田氏は東京の大学を卒業し、銀行に入行した。");
        assert_eq!(
            surfaces(&toks, &bs),
            [
                "山田氏は",
                "東京の",
                "大学を",
                "卒業し、",
                "銀行に",
                "入行した。"
            ]
        );
        assert_eq!(bs[0].link, Link::Argument);
        assert_eq!(bs[0].head, Some(3));
        assert_eq!(bs[1].link, Link::Adnominal);
        assert_eq!(bs[1].head, Some(2));
        assert_eq!(bs[3].kind, Kind::Verbal);
        assert_eq!(bs[3].lemma, "卒業");
        assert_eq!(bs[3].link, Link::Conjunctive);
        assert_eq!(bs[3].head, Some(5));
        assert_eq!(bs[4].case, Some(Particle::Ni));
        assert_eq!(bs[5].lemma, "入行");
        assert_eq!(bs[5].link, Link::Final);
    }

    #[test]
    fn relative_clause_modifies_the_next_noun() {
        let (toks, bs) = chunks("量子計算に注力する企業を買収した。");
        let s = surfaces(&toks, &bs);
        let rel = s.iter().position(|x| x == "注力する").unwrap();
        assert_eq!(bs[rel].link, Link::Adnominal);
        assert_eq!(s[bs[rel].head.unwrap()], "企業を");
    }

    #[test]
    fn a_partner_before_an_action_noun_is_no_conjunct() {
        let (toks, bs) = chunks("北斗重工はアオバ化学工業と業務提携を結んだ。");
        let s = surfaces(&toks, &bs);
        let to = s.iter().position(|x| x == "アオバ化学工業と").unwrap();
        assert_eq!(bs[to].link, Link::Argument);
        assert_eq!(s[bs[to].head.unwrap()], "結んだ。");
    }

    #[test]
    fn one_object_per_predicate_and_distant_subjects() {
        let (toks, bs) =
            chunks("同社はミドリを4月から、センサーが動きを検知し、アオバを5月から発売する。");
        let s = surfaces(&toks, &bs);
        let a = s.iter().position(|x| x == "ミドリを").unwrap();
        assert_eq!(s[bs[a].head.unwrap()], "発売する。");
        let (toks, bs) = chunks("新製品が、ヒカリ工業から発表されたルミナだ。");
        let s = surfaces(&toks, &bs);
        assert_eq!(s[bs[0].head.unwrap()], "ルミナだ。");
    }

    #[test]
    fn coordination_with_oyobi_and_aspect_nouns() {
        let (toks, bs) = chunks("株式会社ミドリ及び株式会社アオバが運営する。");
        let s = surfaces(&toks, &bs);
        assert_eq!(bs[0].link, Link::Coordinate);
        assert_eq!(s[bs[0].head.unwrap()], "株式会社アオバが");
        let (_, bs) = chunks("新製品を発売開始");
        assert_eq!(bs.last().unwrap().lemma, "発売");
        let (_, bs) = chunks("新製品を発売!");
        assert_eq!(bs.last().unwrap().lemma, "発売");
    }

    #[test]
    fn a_source_skips_an_adjective_before_a_noun() {
        let (toks, bs) = chunks("ヒカリ工業から新しいカメラが登場した。");
        let s = surfaces(&toks, &bs);
        assert_eq!(s[bs[0].head.unwrap()], "登場した。");
    }

    #[test]
    fn a_source_skips_an_adverbial_adjective() {
        let (toks, bs) = chunks("ヒカリ工業から新しく発売された。");
        let s = surfaces(&toks, &bs);
        assert_eq!(s[bs[0].head.unwrap()], "発売された。");
    }

    #[test]
    fn passive_and_negation_are_marked() {
        let (_, bs) = chunks("その案は否決された。");
        assert!(bs.last().unwrap().passive);
        let (_, bs) = chunks("同社は出資しなかった。");
        let p = bs.last().unwrap();
        assert!(p.negated && p.lemma == "出資");
    }

    #[test]
    fn coordination_with_commas_and_to() {
        let (toks, bs) = chunks("北海道、九州、そして沖縄に出店した。");
        let s = surfaces(&toks, &bs);
        assert_eq!(bs[0].link, Link::Coordinate);
        assert_eq!(s[bs[0].head.unwrap()], "九州、");
        assert_eq!(s[bs[1].head.unwrap()], "沖縄に");
        let (_, bs) = chunks("大阪大学と京都大学は協定を結んだ。");
        assert_eq!(bs[0].link, Link::Coordinate);
        assert_eq!(bs[0].head, Some(1));
    }

    #[test]
    fn titles_side_by_side_are_a_list() {
        let (toks, bs) = chunks("新サービス「アオバパス」「ソラパス」を発表した。");
        let s = surfaces(&toks, &bs);
        let first = s.iter().position(|x| x.contains("アオバパス")).unwrap();
        assert_eq!(bs[first].link, Link::Coordinate, "{s:?}");
        assert!(s[bs[first].head.unwrap()].contains("ソラパス"));
    }

    #[test]
    fn te_form_chains_to_the_next_predicate_before_a_noun() {
        // 連携して研究を進める: the て-form is no relative clause of 研究.
        let (toks, bs) = chunks("北洋研究所と連携して研究を進める。");
        let s = surfaces(&toks, &bs);
        let te = s.iter().position(|x| x == "連携して").unwrap();
        assert_eq!(bs[te].link, Link::Conjunctive);
        assert_eq!(s[bs[te].head.unwrap()], "進める。");
    }

    #[test]
    fn copula_and_parenthetical() {
        let (toks, bs) = chunks("共同創業者である佐藤氏(元CTO)が退任した。");
        let s = surfaces(&toks, &bs);
        assert_eq!(bs[0].kind, Kind::Copula);
        assert_eq!(bs[0].link, Link::Adnominal);
        assert_eq!(s[1], "佐藤氏(元CTO)が");
        assert_eq!(bs[1].case, Some(Particle::Ga));
    }
}
