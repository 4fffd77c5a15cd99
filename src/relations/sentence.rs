//! The sentence model that rules are matched against: a sentence's bunsetsu
//! with the resolved entity mentions, values and role-noun cues placed in
//! them, and the questions every rule kind asks of it (the conjuncts of a
//! phrase, the owner of a role noun, whether a topic can be a subject).
use crate::grammar::Particle;
use crate::tokens::{Tag, Token};
use std::collections::HashMap;

use super::bunsetsu::{chunk_with_titles, Bunsetsu, Kind, Link};
use super::RelationRules;

mod appositive;
mod owner_phrase;
use crate::document::{AnalyzedSentence, EntityType, Mention, Resolution, ValueMention};

/// An entity mention placed in a bunsetsu.
#[derive(Debug, Clone)]
pub(in crate::relations) struct Ment {
    pub(super) entity: usize,
    pub(super) start: usize,
    pub(super) end: usize,
}

/// What every sentence of one article is read with.
pub(super) struct ArticleContext<'a> {
    pub(super) sentences: &'a [AnalyzedSentence<'a>],
    pub(super) mentions: &'a [Mention],
    pub(super) res: &'a Resolution,
    pub(super) rules: &'a RelationRules,
    pub(super) cue_index: &'a CueIndex,
    /// What the article is about, most likely first (see
    /// `relations::headline_entities`).
    pub(super) headline: &'a [usize],
    /// How many of `headline`, at the front, the headline itself names.
    pub(super) headline_named: usize,
    /// Per entity, whether the article writes it in 『』 anywhere.
    pub(super) work_titled: &'a [bool],
}

/// One sentence prepared for matching.
pub(super) struct Sent<'a> {
    pub(super) si: usize,
    pub(super) s: &'a AnalyzedSentence<'a>,
    pub(super) bs: Vec<Bunsetsu>,
    /// Per bunsetsu, the resolved mentions of its content (or of its parenthetical
    /// when the content has none), in text order.
    pub(super) ments: Vec<Vec<Ment>>,
    /// Per bunsetsu, whether it holds a mention no entity was found for (同社…).
    pub(super) unresolved: Vec<bool>,
    /// Per bunsetsu, the resolved mentions inside its folded parenthetical.
    pub(super) parens: Vec<Vec<Ment>>,
    pub(super) values: Vec<ValueMention>,
    pub(super) res: &'a Resolution,
    pub(super) rules: &'a RelationRules,
    /// Per bunsetsu, [`Sent::cue`].
    pub(super) cue_of: Vec<Option<(&'a str, usize, usize)>>,
    /// [`ArticleContext::headline`].
    pub(super) headline: &'a [usize],
    /// [`ArticleContext::headline_named`].
    pub(super) headline_named: usize,
    /// [`ArticleContext::work_titled`].
    pub(super) work_titled: &'a [bool],
    /// The article's sentences and mentions, for what a name is called
    /// elsewhere in it ([`Sent::introduced_anywhere`]).
    pub(super) article: (&'a [AnalyzedSentence<'a>], &'a [Mention]),
}

/// Role-noun cues by first character. Finding the longest cue in a bunsetsu
/// costs a lookup per character instead of a substring search per cue: the
/// search per cue, repeated for every bunsetsu of every sentence, was a fifth
/// of the time of the whole extraction.
#[derive(Debug, Clone)]
pub(in crate::relations) struct CueIndex {
    cues: Vec<String>,
    /// First character → positions in `cues`, in order.
    by_first: HashMap<char, Vec<usize>>,
}

impl CueIndex {
    pub(in crate::relations) fn new(cues: &[&str]) -> CueIndex {
        let mut by_first: HashMap<char, Vec<usize>> = HashMap::new();
        for (i, c) in cues.iter().enumerate() {
            if let Some(first) = c.chars().next() {
                by_first.entry(first).or_default().push(i);
            }
        }
        CueIndex {
            cues: cues.iter().map(|c| c.to_string()).collect(),
            by_first,
        }
    }

    /// The longest cue in `text` (of equal ones, the first in the list) at its
    /// first occurrence: (cue, character offset, length in characters). A cue
    /// ends where a word of `words` (character ranges in `text`) ends, so 製
    /// is not found in 製品; a cue in katakana or Latin letters also starts
    /// where one starts, so トップ is not found in ストップ (a kanji cue may
    /// close a compound: 院長 in 病院長).
    pub(super) fn longest(
        &self,
        text: &str,
        words: &[(usize, usize)],
    ) -> Option<(&str, usize, usize)> {
        let mut best: Option<(usize, &str, usize, usize)> = None;
        for (at, (byte, ch)) in text.char_indices().enumerate() {
            for &i in self.by_first.get(&ch).into_iter().flatten() {
                let cue = self.cues[i].as_str();
                if !text[byte..].starts_with(cue) {
                    continue;
                }
                let len = cue.chars().count();
                let ends = words.iter().any(|&(_, e)| e == at + len);
                let starts = words.iter().any(|&(s, _)| s == at)
                    || cue.chars().next().is_some_and(crate::text::is_kanji);
                if !(ends && starts) {
                    continue;
                }
                if best.is_none_or(|(bi, _, _, bl)| len > bl || (len == bl && i < bi)) {
                    best = Some((i, cue, at, len));
                }
            }
        }
        best.map(|(_, cue, at, len)| (cue, at, len))
    }
}

impl<'a> Sent<'a> {
    pub(super) fn etype(&self, e: usize) -> EntityType {
        self.res.entities[e].etype
    }
    /// What the article is about, of `types` and none of `not`, standing in
    /// for a role the clause leaves unsaid (X演じる<役>, 主演のX: the work the
    /// article is about): the likeliest such thing the headline names and the
    /// body repeats, else the one the body repeats most. With `sole`, only the
    /// one thing of `types` the headline names: a role noun with no verb to
    /// confirm the reading (主演のX) takes nothing from a round-up of the
    /// week's films or a headline naming none, where the most repeated work is
    /// as often another one (3 right of 8 on unseen articles).
    pub(super) fn article_subject(
        &self,
        types: &[EntityType],
        not: &[usize],
        sole: bool,
    ) -> Option<usize> {
        // A line of a list (・other headline) is another article's
        // headline, about its own work.
        if self.s.sentence.text.starts_with('・') {
            return None;
        }
        // The headline stands alone: only a work it names itself.
        let sole = sole || self.si == 0;
        let (named, repeated) = self.headline.split_at(self.headline_named);
        let of_type = |tier: &'a [usize]| tier.iter().copied().filter(|&e| self.type_ok(e, types));
        if sole {
            let mut named = of_type(named);
            return match (named.next(), named.next()) {
                (Some(e), None) if !not.contains(&e) => Some(e),
                _ => None,
            };
        }
        // A work the article writes in 『』, the brackets of works, before
        // one the headline only quotes in 「」: a headline quotes a phrase
        // of the story as often as a title («「出会いカフェ」で小遣い稼ぎ»).
        let mut candidates = of_type(named)
            .chain(of_type(repeated))
            .filter(|e| !not.contains(e));
        let first = candidates.next()?;
        if self.work_titled[first] {
            return Some(first);
        }
        Some(candidates.find(|&e| self.work_titled[e]).unwrap_or(first))
    }

    /// The entities of `types` the sentence writes in 『』, the brackets of
    /// works, in order.
    pub(super) fn titled_works(&self, types: &[EntityType]) -> Vec<usize> {
        let mut out = Vec::new();
        for m in self.ments.iter().chain(&self.parens).flatten() {
            let titled = self.s.sentence.fills_work_brackets(m.start, m.end);
            if titled && self.type_ok(m.entity, types) && !out.contains(&m.entity) {
                out.push(m.entity);
            }
        }
        out
    }
    /// Whether a mention of one of `es` is written as a part played (X役).
    pub(super) fn played(&self, es: &[usize]) -> bool {
        self.ments
            .iter()
            .flatten()
            .any(|m| es.contains(&m.entity) && self.s.sentence.char_at(m.end) == Some('役'))
    }

    /// Whether a mention of `e` anywhere in the article has text around it
    /// that `says` accepts: the text before it, with only joining marks
    /// stripped (人気グループ・X, お笑いコンビ「X」), and the text after it
    /// (Xのメンバー). The article says what X is once and then writes the
    /// bare name.
    pub(super) fn introduced_anywhere(&self, e: usize, says: impl Fn(&str, &str) -> bool) -> bool {
        let (sentences, mentions) = self.article;
        mentions
            .iter()
            .zip(&self.res.mention_entity)
            .filter(|(_, me)| **me == Some(e))
            .any(|(m, _)| {
                let Some(s) = sentences.get(m.sentence) else {
                    return false;
                };
                let before = s.sentence.text_between(s.sentence.start, m.start);
                let after = s.sentence.text_between(m.end, s.sentence.end);
                let after = after.trim_start_matches(['」', '』', '”', '"']);
                says(
                    before.trim_end_matches(['・', ' ', '=', '/', '「', '『', '“', '"']),
                    after,
                )
            })
    }
    /// Whether a mention of `e` in the sentence opens with a prefix, or
    /// comes in a noun after one, that makes what it names one left
    /// (元ABC12のメンバー, 元サッカー日本代表・X): a membership or a post in it
    /// is a former one.
    pub(super) fn former_name(&self, e: usize) -> bool {
        let toks = &self.s.tokens;
        self.ments.iter().flatten().any(|m| {
            if m.entity != e {
                return false;
            }
            // The first word of the noun the name ends.
            let Some(mut k) = toks.iter().position(|t| t.end > m.start) else {
                return false;
            };
            while k > 0 && (toks[k - 1].is_noun() || toks[k - 1].is_prefix()) {
                k -= 1;
            }
            toks[k].start < m.end
                && self
                    .rules
                    .former_prefixes
                    .iter()
                    .any(|p| p == toks[k].surface)
        })
    }
    pub(super) fn type_ok(&self, e: usize, types: &[EntityType]) -> bool {
        types.is_empty() || types.contains(&self.etype(e))
    }
    pub(super) fn content(&self, b: usize) -> String {
        self.s.tokens[self.bs[b].content.clone()]
            .iter()
            .map(|t| t.surface)
            .collect()
    }
    /// The entity the phrase names: its last name, unless that name only
    /// describes the noun after it (Android版, Androidスマートフォン).
    pub(super) fn head_entity(&self, b: usize) -> Option<usize> {
        self.ments[b]
            .last()
            .filter(|m| !self.describes_noun(b, m))
            .map(|m| m.entity)
    }
    /// Whether the role noun of bunsetsu `b` is set in a past period by a
    /// phrase before it (当時の社長, 当時社長だった).
    pub(super) fn past_role(&self, b: usize) -> bool {
        (0..b).any(|j| {
            self.bs[j].head == Some(b)
                && self
                    .rules
                    .past_periods
                    .iter()
                    .any(|p| self.content(j).ends_with(p.as_str()))
        })
    }
    /// Whether bunsetsu `b`, read as a clause ending in a サ変 noun, is a
    /// person's name with a role noun after it (犬童一心監督、): the noun is the
    /// person's title, not a verb whose subject is the sentence's topic. A
    /// headline's person and verb (山田引退) stay a clause: 引退 is no role.
    pub(super) fn titled_person(&self, b: usize) -> bool {
        let x = &self.bs[b];
        let toks = &self.s.tokens[x.content.clone()];
        x.kind == Kind::Verbal
            && !toks.iter().any(|t| t.is_verb())
            && self.cue(b).is_some_and(|(_, start, end)| {
                toks.last().is_some_and(|t| t.end == end)
                    && self.ments[b]
                        .iter()
                        .any(|m| m.end == start && self.etype(m.entity) == EntityType::Person)
            })
    }
    /// Whether the sentence writes person `e` as a part played (ホームズ役は,
    /// キャスト:X役:Y): a character, of whom the sentence states no fact
    /// about the world (X役員 is an officer, not a part).
    pub(super) fn written_as_part(&self, e: usize) -> bool {
        let text = &self.s.sentence;
        self.etype(e) == EntityType::Person
            && self.ments.iter().flatten().any(|m| {
                m.entity == e
                    && text.char_at(m.end) == Some('役')
                    && text.char_at(m.end + 1) != Some('員')
            })
    }
    /// Whether mention `m` of bunsetsu `b` is a product's bare name with more
    /// of the noun after it (X製Androidスマートフォン「Y」, iOS版): it says
    /// what kind of thing the noun is, not which one. A title in brackets
    /// stays a name (『Y』シリーズ).
    pub(super) fn describes_noun(&self, b: usize, m: &Ment) -> bool {
        let content_end = self.s.tokens[self.bs[b].content.clone()]
            .last()
            .map_or(0, |t| t.end);
        m.end < content_end
            && self.etype(m.entity) == EntityType::Product
            && !self.s.sentence.fills_brackets(m.start, m.end)
    }
    /// The bunsetsu's entity with every conjunct coordinated with it.
    pub(super) fn conjuncts(&self, b: usize) -> Vec<usize> {
        let b = self.summed_up(b).unwrap_or(b);
        let mut group = vec![b];
        let mut i = 0;
        while i < group.len() {
            let cur = group[i];
            for (j, x) in self.bs.iter().enumerate() {
                if x.link == Link::Coordinate && x.head == Some(cur) && !group.contains(&j) {
                    group.push(j);
                }
            }
            if self.bs[cur].link == Link::Coordinate {
                if let Some(h) = self.bs[cur].head {
                    if !group.contains(&h) {
                        group.push(h);
                    }
                }
            }
            i += 1;
        }
        group.sort_unstable();
        let mut out = Vec::new();
        for g in group {
            if let Some(e) = self.head_entity(g) {
                if !out.contains(&e) {
                    out.push(e);
                }
            }
        }
        out
    }
    /// Whether bunsetsu `b` is a noun that sums up names before it ([`Sent::conjuncts`]).
    pub(super) fn sums_up(&self, b: usize) -> bool {
        self.summed_up(b).is_some()
    }
    /// `b` and the bunsetsu that modify it (の-phrases, conjuncts), transitively.
    pub(super) fn subtree(&self, b: usize) -> Vec<usize> {
        let mut out = vec![b];
        let mut i = 0;
        while i < out.len() {
            let cur = out[i];
            for (j, x) in self.bs.iter().enumerate() {
                if x.head == Some(cur)
                    && matches!(x.link, Link::Adnominal | Link::Coordinate)
                    && !out.contains(&j)
                {
                    out.push(j);
                }
            }
            i += 1;
        }
        out
    }
    /// The longest role-noun cue in the bunsetsu's content and its character
    /// offsets in the article (found once per bunsetsu, see [`CueIndex`]).
    pub(super) fn cue(&self, b: usize) -> Option<(&'a str, usize, usize)> {
        self.cue_of[b]
    }
    /// The owner of a role noun in bunsetsu `b` whose cue starts at `cue_start`:
    /// a name before the cue in the same bunsetsu (北斗重工社長), else the nearest
    /// matching entity along the chain of の-phrases modifying it, else, after
    /// その, the nearest matching entity before it.
    pub(super) fn owner(
        &self,
        b: usize,
        cue_start: usize,
        types: &[EntityType],
        not: &[usize],
    ) -> Option<usize> {
        let ok = |e: usize| self.type_ok(e, types) && !not.contains(&e);
        // 北洋五輪スキー日本代表: the name written right before the cue owns it;
        // when that name does not fit (a country), an earlier one does not either.
        if self.ments[b]
            .iter()
            .any(|m| self.adjacent(m.end, cue_start) && !not.contains(&m.entity) && !ok(m.entity))
        {
            return None;
        }
        if let Some(m) = self.ments[b]
            .iter()
            .rev()
            .find(|m| m.end <= cue_start && ok(m.entity))
        {
            return Some(m.entity);
        }
        let mut frontier = vec![b];
        let mut seen = vec![b];
        while let Some(cur) = frontier.pop() {
            let mut mods: Vec<usize> = (0..self.bs.len())
                .filter(|&j| {
                    self.bs[j].head == Some(cur) && self.owner_phrase(j) && !seen.contains(&j)
                })
                .collect();
            mods.reverse();
            for &j in &mods {
                // サッカー日本代表の選手: a name followed by a role noun of its
                // own is that noun's owner; the phrase, not the name, owns ours.
                let named_role = self.cue(j).map(|(_, start, _)| start);
                if let Some(m) = self.ments[j].iter().rev().find(|m| ok(m.entity)) {
                    if named_role.is_some_and(|start| m.end <= start) {
                        return None;
                    }
                    return Some(m.entity);
                }
            }
            seen.extend(&mods);
            frontier.extend(mods.into_iter().rev());
        }
        let demonstrative = b > 0
            && self.bs[b - 1].kind == Kind::Other
            && self.s.tokens[self.bs[b - 1].content.clone()]
                .iter()
                .any(|t| t.is_adnominal());
        if demonstrative {
            // その refers to the nearest noun phrase that is an argument; when that
            // names no entity (an unrecognised 持ち株会社) there is no owner, rather
            // than some older name.
            let antecedent = (0..b - 1).rev().find(|&j| {
                let x = &self.bs[j];
                x.kind == Kind::Nominal && x.link == Link::Argument && x.case != Some(Particle::No)
            })?;
            return self.ments[antecedent]
                .iter()
                .rev()
                .map(|m| m.entity)
                .find(|&e| ok(e));
        }
        None
    }
    /// Whether a role noun in `b` belongs to something the text names without
    /// an entity (民間企業の顧問): a plain noun phrase modifies it with の. Then
    /// no owner may be taken from the discourse.
    pub(super) fn unnamed_owner(&self, b: usize) -> bool {
        (0..b).any(|j| {
            let x = &self.bs[j];
            x.head == Some(b)
                && x.link == Link::Adnominal
                && x.kind == Kind::Nominal
                && x.case == Some(Particle::No)
                && self.ments[j].is_empty()
                && !self.unresolved[j]
                && !self
                    .rules
                    .reflexives
                    .iter()
                    .any(|r| self.content(j).starts_with(r.as_str()))
                && self.s.tokens[x.content.clone()]
                    .last()
                    .is_some_and(|t| !t.is_adverbial_noun() && !t.is_number() && !t.is_suffix())
        })
    }
    /// The role noun as written: from after any name before the cue to the cue's
    /// end (北斗重工社長 → 社長, 共同創設者 → 共同創設者, 創設者Xさん → 創設者),
    /// with a prefix that makes it a former role kept even when a name stands
    /// between (前大阪府知事 → 前知事).
    pub(super) fn role_text(&self, b: usize, cue_start: usize, cue_end: usize) -> String {
        let content = &self.s.tokens[self.bs[b].content.clone()];
        let from = self.ments[b]
            .iter()
            .filter(|m| m.end <= cue_start)
            .map(|m| m.end)
            .max()
            .unwrap_or_else(|| content.first().map_or(cue_start, |t| t.start));
        let text = &self.s.sentence.text;
        let base = self.s.sentence.start;
        let written: String = text
            .chars()
            .skip(from.saturating_sub(base))
            .take(cue_end.saturating_sub(from))
            .collect();
        // Not a parenthetical between the name and the role noun.
        let role = match written.rfind(')') {
            Some(k) => written[k + 1..].trim().to_string(),
            None => written.trim().to_string(),
        };
        match content.first() {
            Some(t)
                if t.end <= from
                    && self.rules.former_prefixes.iter().any(|p| p == t.surface)
                    && !role.starts_with(t.surface) =>
            {
                format!("{}{role}", t.surface)
            }
            _ => role,
        }
    }
    /// Whether a name ending at `end` is written right before `at`, with at
    /// most a parenthetical between (杭州緑城(Hangzhou FC)監督).
    pub(super) fn adjacent(&self, end: usize, at: usize) -> bool {
        if end > at {
            return false;
        }
        let between: String = self
            .s
            .sentence
            .text
            .chars()
            .skip(end.saturating_sub(self.s.sentence.start))
            .take(at - end)
            .collect();
        between.is_empty() || between.starts_with('(') && between.ends_with(')')
    }
    /// Whether the character at article offset `at` is inside quotation
    /// brackets (「…」) of the sentence.
    pub(super) fn quoted(&self, at: usize) -> bool {
        let mut depth = 0i32;
        for c in self
            .s
            .sentence
            .text
            .chars()
            .take(at.saturating_sub(self.s.sentence.start))
        {
            match c {
                '「' | '『' => depth += 1,
                '」' | '』' => depth = (depth - 1).max(0),
                _ => {}
            }
        }
        depth > 0
    }
    /// Whether a role noun as written ([`Sent::role_text`]) is one held before.
    pub(super) fn is_former(&self, role: &str) -> bool {
        self.rules
            .former_prefixes
            .iter()
            .any(|p| role.starts_with(p.as_str()))
    }
    /// Whether bunsetsu `j` is a は/も-phrase that can be a clause's subject: a
    /// topic without a case particle that is neither an anaphor left unresolved
    /// (同社は, which the discourse topic fills) nor a time or a number (今年は).
    pub(super) fn subject_topic(&self, j: usize) -> bool {
        let x = &self.bs[j];
        let toks = &self.s.tokens[x.content.clone()];
        let (Some(first), Some(last)) = (toks.first(), toks.last()) else {
            return false;
        };
        // 両大学 (prefix + noun) or 両社 (one common noun).
        let anaphor = matches!(first.pos[0], Tag::Prefix | Tag::Noun)
            && !first.is_proper()
            && self
                .rules
                .anaphor_prefixes
                .iter()
                .any(|p| first.surface.starts_with(p.as_str()))
            || j > 0
                && self.bs[j - 1].kind == Kind::Other
                && self.s.tokens[self.bs[j - 1].content.clone()]
                    .iter()
                    .any(|t| t.is_adnominal());
        // The last word as a common noun (来季, 時代, 後), not the end of a name.
        let scene = last
            .pos
            .iter()
            .any(|p| matches!(p, Tag::AdverbialNoun | Tag::Number))
            || !last.is_proper()
                && self
                    .rules
                    .scene_nouns
                    .iter()
                    .any(|n| last.surface.ends_with(n.as_str()));
        x.topic
            && x.case.is_none()
            && x.kind == Kind::Nominal
            && !self.unresolved[j]
            && !anaphor
            && !scene
            && self.values_in(j).next().is_none()
    }
    pub(super) fn values_in(&self, b: usize) -> impl Iterator<Item = &ValueMention> {
        let r = self.bs[b].tokens.clone();
        self.values
            .iter()
            .filter(move |v| v.tokens.start >= r.start && v.tokens.start < r.end)
    }
}

/// A headline opens with its subject and a comma (ミドリ電機、新型タブレットを
/// 発表): that bare name is the topic, as Xは would be in the body. Only a
/// name alone: X社長、Y氏 is an apposition.
fn headline_topic(
    bs: &mut [super::bunsetsu::Bunsetsu],
    tokens: &[crate::tokens::Token],
    name: Option<(usize, usize)>,
) {
    let Some(first) = bs.first() else {
        return;
    };
    let comma = tokens[first.tokens.clone()]
        .last()
        .is_some_and(|t| t.is_comma());
    let content = &tokens[first.content.clone()];
    let whole = match (content.first(), content.last(), name) {
        (Some(a), Some(z), Some((start, end))) => a.start == start && z.end == end,
        _ => false,
    };
    if first.kind != Kind::Nominal || first.case.is_some() || first.topic || !comma || !whole {
        return;
    }
    // With no predicate (KDDI、X放題に!) the name is still the topic the
    // rest of the headline goes on about.
    bs[0].topic = true;
    bs[0].link = Link::Argument;
    bs[0].head = (1..bs.len()).find(|&j| bs[j].is_predicate());
}

impl<'a> Sent<'a> {
    /// Chunks sentence `si` and places its resolved mentions, values and
    /// role-noun cues in its bunsetsu.
    pub(super) fn new(
        article: &ArticleContext<'a>,
        si: usize,
        s: &'a AnalyzedSentence<'a>,
        mention_ids: &[usize],
        own_values: Vec<ValueMention>,
    ) -> Sent<'a> {
        let ArticleContext {
            sentences,
            mentions,
            res,
            rules,
            cue_index,
            headline,
            headline_named,
            work_titled,
        } = article;
        let (res, rules): (&'a Resolution, &'a RelationRules) = (res, rules);
        // Names written in 「」 or 『』 are chunked whole: a title's own words
        // are no part of the sentence's grammar.
        let bracketed = |k: usize, marks: [&str; 2]| {
            s.tokens.get(k).is_some_and(|t| marks.contains(&t.surface))
        };
        let titles: Vec<std::ops::Range<usize>> = mention_ids
            .iter()
            .map(|&mi| mentions[mi].tokens.clone())
            .filter(|r| {
                r.len() > 1
                    && r.start > 0
                    && bracketed(r.start - 1, ["「", "『"])
                    && bracketed(r.end, ["」", "』"])
            })
            .collect();
        let read = Token::with_action_nouns(&s.tokens, &rules.action_nouns);
        let mut bs = chunk_with_titles(&read, &titles);
        super::list_openers::join(&s.tokens, &mut bs, &rules.list_openers);
        if si == 0 {
            let first = mention_ids
                .iter()
                .filter(|&&mi| res.mention_entity.get(mi).copied().flatten().is_some())
                .map(|&mi| &mentions[mi])
                .min_by_key(|m| m.start)
                .map(|m| (m.start, m.end));
            headline_topic(&mut bs, &s.tokens, first);
        }
        let mut ments = vec![Vec::new(); bs.len()];
        let mut parens = vec![Vec::new(); bs.len()];
        let mut unresolved = vec![false; bs.len()];
        for &mi in mention_ids {
            let m = &mentions[mi];
            if m.tokens.is_empty() {
                continue;
            }
            let last = m.tokens.end - 1;
            let Some(b) = bs.iter().position(|b| b.tokens.contains(&last)) else {
                continue;
            };
            // A number is a value, never a name, whatever the recogniser said.
            if own_values
                .iter()
                .any(|v| v.start <= m.start && m.end <= v.end)
            {
                continue;
            }
            match res.mention_entity.get(mi).copied().flatten() {
                Some(entity) => {
                    let ment = Ment {
                        entity,
                        start: m.start,
                        end: m.end,
                    };
                    if bs[b].content.contains(&last) {
                        ments[b].push(ment);
                    } else {
                        parens[b].push(ment);
                    }
                }
                None => unresolved[b] = true,
            }
        }
        for (b, p) in parens.iter().enumerate() {
            if ments[b].is_empty() {
                ments[b] = p.clone();
            }
        }
        for m in ments.iter_mut() {
            m.sort_by_key(|m| m.start);
        }
        let cue_of = (0..bs.len())
            .map(|b| {
                let content: String = s.tokens[bs[b].content.clone()]
                    .iter()
                    .map(|t| t.surface)
                    .collect();
                let base = s.tokens.get(bs[b].content.start)?.start;
                let words = |toks: &[crate::tokens::Token], from: usize| -> Vec<(usize, usize)> {
                    toks.iter()
                        .map(|t| (t.start - from, t.end - from))
                        .collect()
                };
                let content_words = words(&s.tokens[bs[b].content.clone()], base);
                if let Some((cue, at, len)) = cue_index.longest(&content, &content_words) {
                    return Some((cue, base + at, base + at + len));
                }
                // X(gloss)監督に: the nouns after a folded parenthesis go on
                // the phrase's content.
                let close =
                    (bs[b].content.end..bs[b].tokens.end).rfind(|&k| s.tokens[k].surface == ")")?;
                let tail: Vec<&crate::tokens::Token> = s.tokens[close + 1..bs[b].tokens.end]
                    .iter()
                    .take_while(|t| t.is_noun())
                    .collect();
                let text: String = tail.iter().map(|t| t.surface).collect();
                let from = tail.first()?.start;
                let tail_words: Vec<(usize, usize)> = tail
                    .iter()
                    .map(|t| (t.start - from, t.end - from))
                    .collect();
                let (cue, at, len) = cue_index.longest(&text, &tail_words)?;
                Some((cue, from + at, from + at + len))
            })
            .collect();
        Sent {
            si,
            s,
            bs,
            ments,
            unresolved,
            parens,
            values: own_values,
            res,
            rules,
            cue_of,
            headline,
            headline_named: *headline_named,
            work_titled,
            article: (sentences, mentions),
        }
    }
}
