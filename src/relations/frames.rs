//! Case frames: for every predicate bunsetsu, its arguments by (deep) particle
//! and the "gaps" that may fill roles left empty: the head noun of a relative
//! clause, the topic, a subject shared along a 連用/て chain, and the topic
//! carried over from earlier sentences (zero subjects). Rules are matched
//! against frames here.
use std::collections::{BTreeMap, HashMap};

use super::bunsetsu::{chunk, Bunsetsu, Kind, Link};
use super::{NounRule, RelationRule, RelationRules, Role};
use crate::document::{
    AnalyzedSentence, EntityType, Fact, Mention, Object, Qualifier, Resolution, ValueKind,
    ValueMention,
};

/// An entity mention placed in a bunsetsu.
#[derive(Debug, Clone)]
struct Ment {
    entity: usize,
    start: usize,
    end: usize,
}

/// One sentence prepared for matching.
struct Sent<'a> {
    si: usize,
    s: &'a AnalyzedSentence,
    bs: Vec<Bunsetsu>,
    /// Per bunsetsu, the resolved mentions of its content (or of its parenthetical
    /// when the content has none), in text order.
    ments: Vec<Vec<Ment>>,
    /// Per bunsetsu, whether it holds a mention no entity was found for (同社…).
    unresolved: Vec<bool>,
    /// Per bunsetsu, the resolved mentions inside its folded parenthetical.
    parens: Vec<Vec<Ment>>,
    values: Vec<ValueMention>,
    res: &'a Resolution,
    rules: &'a RelationRules,
    /// Per bunsetsu, [`Sent::cue`].
    cue_of: Vec<Option<(&'a str, usize, usize)>>,
}

/// Role-noun cues by first character. Finding the longest cue in a bunsetsu
/// costs a lookup per character instead of a substring search per cue: the
/// search per cue, repeated for every bunsetsu of every sentence, was a fifth
/// of the time of the whole extraction.
struct CueIndex<'a> {
    /// First character → (position in the cue list, cue).
    by_first: HashMap<char, Vec<(usize, &'a str)>>,
}

impl<'a> CueIndex<'a> {
    fn new(cues: &[&'a str]) -> CueIndex<'a> {
        let mut by_first: HashMap<char, Vec<(usize, &'a str)>> = HashMap::new();
        for (i, c) in cues.iter().enumerate() {
            if let Some(first) = c.chars().next() {
                by_first.entry(first).or_default().push((i, c));
            }
        }
        CueIndex { by_first }
    }

    /// The longest cue in `text` (of equal ones, the first in the list) at its
    /// first occurrence: (cue, character offset, length in characters).
    fn longest(&self, text: &str) -> Option<(&'a str, usize, usize)> {
        let mut best: Option<(usize, &'a str, usize, usize)> = None;
        for (at, (byte, ch)) in text.char_indices().enumerate() {
            for &(i, cue) in self.by_first.get(&ch).into_iter().flatten() {
                if !text[byte..].starts_with(cue) {
                    continue;
                }
                let len = cue.chars().count();
                if best.is_none_or(|(bi, _, _, bl)| len > bl || (len == bl && i < bi)) {
                    best = Some((i, cue, at, len));
                }
            }
        }
        best.map(|(_, cue, at, len)| (cue, at, len))
    }
}

/// An argument of a predicate.
#[derive(Debug, Clone)]
struct Arg {
    b: usize,
    /// The particle as written.
    surface: String,
    /// The particle in the active voice.
    deep: String,
}

/// Entities that may fill a role no argument marks, with a confidence weight.
#[derive(Debug, Clone)]
struct Gap {
    entities: Vec<usize>,
    weight: f32,
    /// The topic of an earlier sentence (a zero subject), not a phrase of this one.
    discourse: bool,
    /// A は/も-phrase of the clause that stands as its subject. When it names no
    /// entity (政府は, 大手銀行も) the clause has a subject of its own that is
    /// not a name, and no gap may put another in its place.
    topic: bool,
}

struct Frame {
    pred: usize,
    /// An event noun (Yの買収): only its subject may come from a gap.
    nominal: bool,
    lemma: String,
    asserted: bool,
    args: Vec<Arg>,
    gaps: Vec<Gap>,
}

enum Fill {
    Entities(Vec<usize>, f32, Option<Qualifier>),
    Literal(ValueMention),
    /// A cue noun matched but no owner was found for it.
    CueOnly(Qualifier),
    /// The role's particle marks a non-entity: no gap may fill it.
    Blocked,
    Missing,
}

impl<'a> Sent<'a> {
    fn etype(&self, e: usize) -> EntityType {
        self.res.entities[e].etype
    }
    fn type_ok(&self, e: usize, types: &[EntityType]) -> bool {
        types.is_empty() || types.contains(&self.etype(e))
    }
    fn content(&self, b: usize) -> String {
        self.s.tokens[self.bs[b].content.clone()]
            .iter()
            .map(|t| t.surface.as_str())
            .collect()
    }
    fn head_entity(&self, b: usize) -> Option<usize> {
        self.ments[b].last().map(|m| m.entity)
    }
    /// The bunsetsu's entity with every conjunct coordinated with it.
    fn conjuncts(&self, b: usize) -> Vec<usize> {
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
    /// `b` and the bunsetsu that modify it (の-phrases, conjuncts), transitively.
    fn subtree(&self, b: usize) -> Vec<usize> {
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
    fn cue(&self, b: usize) -> Option<(&'a str, usize, usize)> {
        self.cue_of[b]
    }
    /// The owner of a role noun in bunsetsu `b` whose cue starts at `cue_start`:
    /// a name before the cue in the same bunsetsu (北斗重工社長), else the nearest
    /// matching entity along the chain of の-phrases modifying it, else, after
    /// その, the nearest matching entity before it.
    fn owner(
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
            .any(|m| m.end == cue_start && !not.contains(&m.entity) && !ok(m.entity))
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
                    self.bs[j].head == Some(cur)
                        && self.bs[j].link == Link::Adnominal
                        && self.bs[j].kind == Kind::Nominal
                        && !seen.contains(&j)
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
                .any(|t| t.pos[0] == "連体詞");
        if demonstrative {
            // その refers to the nearest noun phrase that is an argument; when that
            // names no entity (an unrecognised 持ち株会社) there is no owner, rather
            // than some older name.
            let antecedent = (0..b - 1).rev().find(|&j| {
                let x = &self.bs[j];
                x.kind == Kind::Nominal
                    && x.link == Link::Argument
                    && x.case.as_deref() != Some("の")
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
    fn unnamed_owner(&self, b: usize) -> bool {
        (0..b).any(|j| {
            let x = &self.bs[j];
            x.head == Some(b)
                && x.link == Link::Adnominal
                && x.kind == Kind::Nominal
                && x.case.as_deref() == Some("の")
                && self.ments[j].is_empty()
                && !self.unresolved[j]
                && !self
                    .rules
                    .reflexives
                    .iter()
                    .any(|r| self.content(j).starts_with(r.as_str()))
                && self.s.tokens[x.content.clone()].last().is_some_and(|t| {
                    t.pos[1] != "副詞可能" && t.pos[1] != "数" && t.pos[1] != "接尾"
                })
        })
    }
    /// The role noun as written: from after any name before the cue to the cue's
    /// end (北斗重工社長 → 社長, 共同創設者 → 共同創設者, 創設者Xさん → 創設者).
    fn role_text(&self, b: usize, cue_start: usize, cue_end: usize) -> String {
        let from = self.ments[b]
            .iter()
            .filter(|m| m.end <= cue_start)
            .map(|m| m.end)
            .max()
            .unwrap_or_else(|| self.s.tokens[self.bs[b].content.start].start);
        let text = &self.s.sentence.text;
        let base = self.s.sentence.start;
        text.chars()
            .skip(from.saturating_sub(base))
            .take(cue_end.saturating_sub(from))
            .collect::<String>()
            .trim()
            .to_string()
    }
    /// Whether bunsetsu `j` is a は/も-phrase that can be a clause's subject: a
    /// topic without a case particle that is neither an anaphor left unresolved
    /// (同社は, which the discourse topic fills) nor a time or a number (今年は).
    fn subject_topic(&self, j: usize) -> bool {
        let x = &self.bs[j];
        let toks = &self.s.tokens[x.content.clone()];
        let (Some(first), Some(last)) = (toks.first(), toks.last()) else {
            return false;
        };
        // 両大学 (prefix + noun) or 両社 (one common noun).
        let anaphor = matches!(first.pos[0].as_str(), "接頭詞" | "名詞")
            && first.pos[1] != "固有名詞"
            && self
                .rules
                .anaphor_prefixes
                .iter()
                .any(|p| first.surface.starts_with(p.as_str()))
            || j > 0
                && self.bs[j - 1].kind == Kind::Other
                && self.s.tokens[self.bs[j - 1].content.clone()]
                    .iter()
                    .any(|t| t.pos[0] == "連体詞");
        // The last word as a common noun (来季, 時代, 後), not the end of a name.
        let scene = last.pos.iter().any(|p| p == "副詞可能" || p == "数")
            || last.pos[1] != "固有名詞"
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
    fn values_in(&self, b: usize) -> impl Iterator<Item = &ValueMention> {
        let r = self.bs[b].tokens.clone();
        self.values
            .iter()
            .filter(move |v| v.tokens.start >= r.start && v.tokens.start < r.end)
    }
}

/// Maps a written particle to the active-voice one.
fn deep_particle(surface: &str, passive: bool) -> String {
    if !passive {
        return surface.to_string();
    }
    match surface {
        "が" => "を",
        "に" | "によって" | "から" => "が",
        other => other,
    }
    .to_string()
}

pub fn extract(
    sentences: &[AnalyzedSentence],
    mentions: &[Mention],
    values: &[ValueMention],
    res: &Resolution,
    rules: &RelationRules,
) -> Vec<Fact> {
    let cues = rules.all_cues();
    // Mentions and values grouped by sentence once, so that the cost stays
    // linear in the article however many sentences it has.
    let mut mentions_of: Vec<Vec<usize>> = vec![Vec::new(); sentences.len()];
    for (mi, m) in mentions.iter().enumerate() {
        if let Some(v) = mentions_of.get_mut(m.sentence) {
            v.push(mi);
        }
    }
    let mut values_of: Vec<Vec<ValueMention>> = vec![Vec::new(); sentences.len()];
    for v in values {
        if let Some(list) = values_of.get_mut(v.sentence) {
            list.push(v.clone());
        }
    }
    let cue_index = CueIndex::new(&cues);
    let mut facts: Vec<Fact> = Vec::new();
    // The topic carried into the next sentence (zero subjects).
    let mut carried: Vec<usize> = Vec::new();
    for ((si, s), own_values) in sentences.iter().enumerate().zip(values_of) {
        let bs = chunk(&s.tokens);
        let mut ments = vec![Vec::new(); bs.len()];
        let mut parens = vec![Vec::new(); bs.len()];
        let mut unresolved = vec![false; bs.len()];
        for &mi in &mentions_of[si] {
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
                    .map(|t| t.surface.as_str())
                    .collect();
                let base = s.tokens.get(bs[b].content.start)?.start;
                let (cue, at, len) = cue_index.longest(&content)?;
                Some((cue, base + at, base + at + len))
            })
            .collect();
        let sent = Sent {
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
        };
        let frames = build_frames(&sent, &carried);
        for f in &frames {
            apply_rules(&sent, f, &mut facts);
        }
        apply_noun_rules(&sent, &frames, &carried, &mut facts);
        apply_genitive_rules(&sent, &mut facts);
        apply_paren_rules(&sent, &mut facts);
        carried = next_topic(&sent, carried);
    }
    dedupe(facts)
}

/// The topic the next sentence inherits: this sentence's は-topic when it names
/// an entity; the previous one when the topic is an unresolved anaphor (同社は)
/// or there is none; nothing when the topic is some other noun.
fn next_topic(sent: &Sent, carried: Vec<usize>) -> Vec<usize> {
    let topic = (0..sent.bs.len()).find(|&b| sent.bs[b].topic && sent.bs[b].case.is_none());
    match topic {
        Some(b) => {
            let ents = sent.conjuncts(b);
            if !ents.is_empty() {
                ents
            } else if sent.unresolved[b] {
                carried
            } else {
                Vec::new()
            }
        }
        // A sentence without a topic continues the previous one's.
        None => carried,
    }
}

fn build_frames(sent: &Sent, carried: &[usize]) -> Vec<Frame> {
    let m = &sent.rules.modality;
    let n = sent.bs.len();
    // Whether each predicate is asserted, right to left so that a chain
    // (設立し、…入る計画だ) inherits the modality of its last predicate.
    let mut asserted = vec![true; n];
    for p in (0..n).rev() {
        let b = &sent.bs[p];
        let mut ok = !b.negated
            && !b
                .function
                .iter()
                .any(|f| m.hypothetical_endings.iter().any(|h| h == f));
        if let Some(h) = b.head {
            let head = &sent.bs[h];
            let head_content = sent.content(h);
            if b.link == Link::Adnominal
                && m.hypothetical_nouns
                    .iter()
                    .any(|x| head_content.starts_with(x.as_str()))
            {
                ok = false;
            }
            if head.is_predicate()
                && matches!(b.link, Link::Conjunctive | Link::Argument)
                && (m.hypothetical_predicates.contains(&head.lemma)
                    || !asserted[h] && b.link == Link::Conjunctive)
            {
                ok = false;
            }
        }
        asserted[p] = ok;
    }
    let mut frames = Vec::new();
    for (p, b) in sent.bs.iter().enumerate() {
        if !b.is_predicate() {
            continue;
        }
        let mut args = Vec::new();
        let mut gaps = Vec::new();
        for (j, x) in sent.bs.iter().enumerate() {
            if x.head != Some(p) || x.link != Link::Argument {
                continue;
            }
            match &x.case {
                Some(c) => args.push(Arg {
                    b: j,
                    surface: c.clone(),
                    deep: deep_particle(c, b.passive),
                }),
                None => {
                    gaps.push(Gap {
                        entities: sent.conjuncts(j),
                        weight: 1.0,
                        discourse: false,
                        // A topic before a relative clause attaches to the
                        // clause's verb by mistake (see bunsetsu.rs): it is no
                        // evidence of that verb's subject.
                        topic: b.link != Link::Adnominal && !b.passive && sent.subject_topic(j),
                    });
                    // A topic is also an argument marked は, for rules that ask
                    // for it by name (Xの本社はYにある).
                    if x.topic {
                        args.push(Arg {
                            b: j,
                            surface: "は".into(),
                            deep: "は".into(),
                        });
                    }
                }
            }
        }
        // XのVたY: a の-phrase attached to the verb of a relative clause is
        // its subject (が/の交替).
        let relative_verb = b.kind == Kind::Verbal && b.link == Link::Adnominal;
        for (j, x) in sent.bs.iter().enumerate() {
            if relative_verb
                && x.head == Some(p)
                && x.link == Link::Adnominal
                && x.kind == Kind::Nominal
                && x.case.as_deref() == Some("の")
            {
                args.push(Arg {
                    b: j,
                    surface: "が".into(),
                    deep: deep_particle("が", b.passive),
                });
            }
        }
        if b.link == Link::Adnominal {
            if let Some(h) = b.head {
                // YにあるXのZ: the clause modifies the head noun of the phrase
                // (Z), not a の-phrase inside it.
                let mut h = h;
                while sent.bs[h].case.as_deref() == Some("の")
                    && sent.bs[h].link == Link::Adnominal
                    && sent.bs[h].kind == Kind::Nominal
                {
                    match sent.bs[h].head {
                        Some(next) => h = next,
                        None => break,
                    }
                }
                gaps.push(Gap {
                    entities: sent.conjuncts(h),
                    weight: 0.9,
                    discourse: false,
                    topic: false,
                });
            }
        }
        // Subjects and topics earlier in the sentence, nearest first.
        for j in (0..p).rev() {
            let x = &sent.bs[j];
            let subjectish = (x.topic && x.case.is_none()) || x.case.as_deref() == Some("が");
            if subjectish && x.head != Some(p) && x.link == Link::Argument {
                gaps.push(Gap {
                    entities: sent.conjuncts(j),
                    weight: 0.85,
                    discourse: false,
                    topic: !b.passive && sent.subject_topic(j),
                });
            }
        }
        if !carried.is_empty() {
            gaps.push(Gap {
                entities: carried.to_vec(),
                weight: 0.7,
                discourse: true,
                topic: false,
            });
        }
        gaps.retain(|g| g.topic || !g.entities.is_empty());
        frames.push(Frame {
            pred: p,
            nominal: false,
            lemma: b.lemma.clone(),
            asserted: asserted[p],
            args,
            gaps,
        });
    }
    nominal_frames(sent, &asserted, &mut frames);
    frames
}

/// Event nouns as predicates: `XによるYの買収`, `Yの買収を発表`, `Yへの出資を
/// 決めた`. A サ変 noun that some rule lists as a predicate and that is an
/// argument of a verb gets a frame of its own: its の-phrases are objects (を, or
/// the particle before の: へ, と, から, で), a による-phrase is the subject, and
/// the subject of the governing verb fills the gap.
fn nominal_frames(sent: &Sent, asserted: &[bool], frames: &mut Vec<Frame>) {
    let mut out = Vec::new();
    for (p, b) in sent.bs.iter().enumerate() {
        if b.kind != Kind::Nominal || b.link != Link::Argument || b.case.is_none() {
            continue;
        }
        let Some(last) = sent.s.tokens.get(b.content.end.wrapping_sub(1)) else {
            continue;
        };
        let predicate = last.pos[1] == "サ変接続"
            && sent
                .rules
                .rules
                .iter()
                .any(|r| sent.rules.expand(&r.predicates).any(|x| x == last.surface));
        if !predicate {
            continue;
        }
        let mut args = Vec::new();
        for j in (0..p).rev() {
            let x = &sent.bs[j];
            // Only the phrases of this noun: stop at the first that is not one.
            let own = x.head == Some(p) && x.link == Link::Adnominal;
            if own && x.kind == Kind::Nominal && x.case.as_deref() == Some("の") {
                let inner = x.function.iter().rev().nth(1).map(String::as_str);
                let deep = inner
                    .filter(|c| matches!(*c, "へ" | "と" | "から" | "で"))
                    .unwrap_or("を");
                args.push(Arg {
                    b: j,
                    surface: "の".into(),
                    deep: deep.into(),
                });
            } else if matches!(x.case.as_deref(), Some("による" | "によって"))
                && (j + 1..p).all(|k| sent.bs[k].head.is_some_and(|h| h <= p))
            {
                args.push(Arg {
                    b: j,
                    surface: "による".into(),
                    deep: "が".into(),
                });
            } else if !own {
                break;
            }
        }
        if args.is_empty() {
            continue;
        }
        let mut gaps = Vec::new();
        if let Some(governor) = b.head.and_then(|h| frames.iter().find(|f| f.pred == h)) {
            for a in governor.args.iter().filter(|a| a.deep == "が") {
                gaps.push(Gap {
                    entities: sent.conjuncts(a.b),
                    weight: 1.0,
                    discourse: false,
                    topic: false,
                });
            }
            gaps.extend(governor.gaps.iter().cloned());
        }
        gaps.retain(|g| g.topic || !g.entities.is_empty());
        out.push(Frame {
            pred: p,
            nominal: true,
            lemma: last.surface.clone(),
            asserted: asserted[p],
            args,
            gaps,
        });
    }
    frames.extend(out);
}

fn qualifier(property: &str, v: &ValueMention) -> Qualifier {
    Qualifier {
        property: property.to_string(),
        value: v.value.clone(),
        unit: v.unit.clone(),
        surface: v.surface.clone(),
    }
}

/// Money, shares, dates, head counts and roles stated in the frame.
fn frame_qualifiers(sent: &Sent, f: &Frame, skip: Option<&ValueMention>) -> Vec<Qualifier> {
    let mut out = Vec::new();
    let mut bunsetsu = vec![f.pred];
    for a in &f.args {
        bunsetsu.extend(sent.subtree(a.b));
    }
    bunsetsu.sort_unstable();
    bunsetsu.dedup();
    for b in bunsetsu {
        for v in sent.values_in(b) {
            if skip.is_some_and(|s| {
                s.start == v.start && matches!(s.kind, ValueKind::Year | ValueKind::Date)
            }) {
                continue;
            }
            let property = match v.kind {
                ValueKind::Money => "amount",
                ValueKind::Percent => "share",
                ValueKind::Date | ValueKind::Year => "date",
                ValueKind::Quantity if v.unit.is_some() => "count",
                ValueKind::Quantity => continue,
            };
            out.push(qualifier(property, v));
        }
    }
    for a in f.args.iter().filter(|a| a.surface == "として") {
        if sent.ments[a.b].is_empty() {
            let role = sent.content(a.b);
            out.push(Qualifier {
                property: "role".into(),
                value: role.clone(),
                unit: None,
                surface: role,
            });
        }
    }
    out
}

fn role_qualifier(role: &str) -> Qualifier {
    Qualifier {
        property: "role".into(),
        value: role.to_string(),
        unit: None,
        surface: role.to_string(),
    }
}

fn fill(sent: &Sent, f: &Frame, role: &Role, used: &[usize]) -> Fill {
    let rules = sent.rules;
    if let Some(kind) = role.literal {
        for a in f.args.iter().rev() {
            if role.particles.contains(&a.surface) {
                if let Some(v) = sent
                    .subtree(a.b)
                    .into_iter()
                    .flat_map(|b| sent.values_in(b))
                    .find(|v| v.kind == kind)
                {
                    return Fill::Literal(v.clone());
                }
            }
        }
        // 2013年設立: the value inside the predicate's own bunsetsu.
        return match sent.values_in(f.pred).find(|v| v.kind == kind) {
            Some(v) => Fill::Literal(v.clone()),
            None => Fill::Missing,
        };
    }
    let wanted: Vec<&str> = rules.expand(&role.cues).collect();
    let stand_ins: Vec<&str> = rules.expand(&role.owner_cues).collect();
    let mut blocked = false;
    let mut cue_only = None;
    for a in f.args.iter().rev() {
        if !role.particles.contains(&a.deep) {
            continue;
        }
        let ents: Vec<usize> = sent
            .conjuncts(a.b)
            .into_iter()
            .filter(|&e| sent.type_ok(e, &role.types) && !used.contains(&e))
            .collect();
        if wanted.is_empty() && !ents.is_empty() {
            return Fill::Entities(ents, 1.0, None);
        }
        // A role noun stands for its owner: Xの責任者に → X.
        match sent.cue(a.b) {
            Some((cue, start, end)) if wanted.contains(&cue) || stand_ins.contains(&cue) => {
                let q = role_qualifier(&sent.role_text(a.b, start, end));
                match sent.owner(a.b, start, &role.types, used) {
                    Some(e) => return Fill::Entities(vec![e], 0.9, Some(q)),
                    None if sent.unnamed_owner(a.b) => blocked = true,
                    // Only a cue the rule asks for may take its owner from
                    // the discourse (ハ氏がCEOを務める → the topic company).
                    None if !wanted.is_empty() => cue_only = Some(q),
                    None => blocked = true,
                }
            }
            _ => blocked = true,
        }
    }
    if let Some(q) = cue_only {
        return Fill::CueOnly(q);
    }
    if !wanted.is_empty() {
        return Fill::Missing;
    }
    if blocked {
        return Fill::Blocked;
    }
    if f.nominal && !role.particles.iter().any(|p| p == "が") {
        return Fill::Missing;
    }
    gap_fill(sent, f, &role.types, used, Slot::of(&role.particles))
        .map(|(e, w)| Fill::Entities(e, w, None))
        .unwrap_or(Fill::Missing)
}

/// What a gap is to fill: the kind of role by its particles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    /// A が-role.
    Subject,
    /// A を- or に-role: a zero pronoun may stand for it.
    Core,
    /// Only other particles (から, と, で…): a source or partner left unsaid is
    /// not the topic of an earlier sentence (XがYに移った says nothing of where
    /// X came from).
    Oblique,
}

impl Slot {
    fn of(particles: &[String]) -> Slot {
        if particles.iter().any(|p| p == "が") {
            Slot::Subject
        } else if particles.iter().any(|p| p == "を" || p == "に") {
            Slot::Core
        } else {
            Slot::Oblique
        }
    }
}

/// The first gap with entities of the role's types. A subject role stops at a
/// topic of the clause that names no entity (政府はXと連携した: the subject is
/// 政府, not someone from an earlier sentence), and takes no zero subject from
/// earlier sentences when the clause has a topic of its own; an oblique role
/// takes nothing from earlier sentences.
fn gap_fill(
    sent: &Sent,
    f: &Frame,
    types: &[EntityType],
    used: &[usize],
    slot: Slot,
) -> Option<(Vec<usize>, f32)> {
    let subject = slot == Slot::Subject;
    let own_topic = subject && f.gaps.iter().any(|g| g.topic);
    for g in &f.gaps {
        if subject && g.topic && g.entities.is_empty() {
            return None;
        }
        if g.discourse && (own_topic || slot == Slot::Oblique) {
            return None;
        }
        let ents: Vec<usize> = g
            .entities
            .iter()
            .copied()
            .filter(|&e| sent.type_ok(e, types) && !used.contains(&e))
            .collect();
        if !ents.is_empty() {
            return Some((ents, g.weight));
        }
    }
    None
}

fn rule_applies(sent: &Sent, f: &Frame, rule: &RelationRule) -> bool {
    sent.rules.expand(&rule.predicates).any(|p| p == f.lemma)
        && rule.requires.iter().all(|req| {
            let wanted: Vec<&str> = sent.rules.expand(&req.cues).collect();
            f.args.iter().any(|a| {
                req.particles.contains(&a.deep)
                    && (wanted.is_empty()
                        || sent.cue(a.b).is_some_and(|(c, _, _)| wanted.contains(&c)))
            })
        })
}

#[allow(clippy::too_many_arguments)]
fn push_fact(
    sent: &Sent,
    facts: &mut Vec<Fact>,
    subject: usize,
    relation: &str,
    object: Object,
    open: bool,
    asserted: bool,
    rule: &str,
    confidence: f32,
    qualifiers: Vec<Qualifier>,
) {
    if object == Object::Entity(subject) {
        return;
    }
    let mut qualifiers = qualifiers;
    let mut seen = Vec::new();
    qualifiers.retain(|q| {
        let key = (q.property.clone(), q.value.clone());
        let fresh = !seen.contains(&key);
        seen.push(key);
        fresh
    });
    facts.push(Fact {
        subject,
        relation: relation.to_string(),
        object,
        open,
        asserted,
        sentence: sent.si,
        start: sent.s.sentence.start,
        end: sent.s.sentence.end,
        rule: rule.to_string(),
        confidence: confidence.clamp(0.0, 1.0),
        qualifiers,
    });
}

fn apply_rules(sent: &Sent, f: &Frame, facts: &mut Vec<Fact>) {
    let mut mapped = false;
    for rule in &sent.rules.rules {
        if !rule_applies(sent, f, rule) {
            continue;
        }
        mapped = true;
        let subj = match fill(sent, f, &rule.subject, &[]) {
            // 本拠地はX市にある: a role noun with no owner in sight (the
            // subject is the 本拠地 itself) belongs to the entity the sentence
            // or the discourse is about.
            Fill::CueOnly(q) if !f.nominal => {
                match gap_fill(sent, f, &rule.subject.types, &[], Slot::Core) {
                    Some((s, w)) => Fill::Entities(s, w * 0.8, Some(q)),
                    None => continue,
                }
            }
            other => other,
        };
        let Fill::Entities(subjects, sw, sq) = subj else {
            continue;
        };
        let obj = fill(sent, f, &rule.object, &subjects);
        let mut quals = frame_qualifiers(sent, f, None);
        quals.extend(sq);
        let (objects, ow): (Vec<Object>, f32) = match obj {
            Fill::Entities(o, w, q) => {
                quals.extend(q);
                (o.into_iter().map(Object::Entity).collect(), w)
            }
            Fill::Literal(v) => {
                quals = frame_qualifiers(sent, f, Some(&v));
                let value = match v.kind {
                    ValueKind::Year | ValueKind::Date => v.value.chars().take(4).collect(),
                    _ => v.value.clone(),
                };
                (
                    vec![Object::Literal {
                        value,
                        kind: v.kind,
                    }],
                    1.0,
                )
            }
            Fill::CueOnly(q) if rule.symmetric && subjects.len() >= 2 => {
                quals.push(q);
                (Vec::new(), 1.0)
            }
            Fill::CueOnly(_) if f.nominal => continue,
            Fill::CueOnly(q) => match gap_fill(
                sent,
                f,
                &rule.object.types,
                &subjects,
                Slot::of(&rule.object.particles),
            ) {
                Some((o, w)) => {
                    quals.push(q);
                    (o.into_iter().map(Object::Entity).collect(), w * 0.8)
                }
                None => continue,
            },
            Fill::Missing | Fill::Blocked if rule.symmetric && subjects.len() >= 2 => {
                (Vec::new(), 1.0)
            }
            _ => continue,
        };
        let conf = rule.confidence * sw.min(ow);
        let pairs: Vec<(usize, Object)> = if objects.is_empty() {
            // AとBが提携: each conjunct with each later one.
            subjects
                .iter()
                .enumerate()
                .flat_map(|(i, &a)| {
                    subjects[i + 1..]
                        .iter()
                        .map(move |&b| (a, Object::Entity(b)))
                })
                .collect()
        } else {
            subjects
                .iter()
                .flat_map(|&s| objects.iter().map(move |o| (s, o.clone())))
                .collect()
        };
        for (s, o) in pairs {
            let (s, o) = match (rule.invert, &o) {
                (true, Object::Entity(e)) => (*e, Object::Entity(s)),
                _ => (s, o),
            };
            push_fact(
                sent,
                facts,
                s,
                &rule.relation,
                o,
                false,
                f.asserted,
                &rule.id,
                conf,
                quals.clone(),
            );
        }
    }
    if !mapped {
        open_fact(sent, f, facts);
    }
}

/// A predicate no rule maps, with a subject and an object entity.
fn open_fact(sent: &Sent, f: &Frame, facts: &mut Vec<Fact>) {
    if sent.bs[f.pred].kind != Kind::Verbal || sent.rules.open_skip.contains(&f.lemma) {
        return;
    }
    let explicit = |particles: &[&str]| {
        particles.iter().find_map(|p| {
            f.args
                .iter()
                .rev()
                .find(|a| a.deep == *p)
                .and_then(|a| sent.conjuncts(a.b).first().copied())
        })
    };
    let subject = explicit(&["が"]).or_else(|| {
        f.gaps
            .first()
            .filter(|g| g.weight >= 1.0)
            .and_then(|g| g.entities.first().copied())
    });
    let object = explicit(&["を", "に", "と", "から"]);
    if let (Some(s), Some(o)) = (subject, object) {
        let quals = frame_qualifiers(sent, f, None);
        let conf = sent.rules.open_confidence;
        push_fact(
            sent,
            facts,
            s,
            &f.lemma,
            Object::Entity(o),
            true,
            f.asserted,
            "open",
            conf,
            quals,
        );
    }
}

/// A noun or genitive rule that has fired: relates a holder (or head noun) to
/// its owner (or modifier), swapped when the rule says so.
struct RuleLink<'r> {
    relation: &'r str,
    rule: &'r str,
    invert: bool,
    asserted: bool,
    confidence: f32,
}

impl<'r> RuleLink<'r> {
    fn noun(rule: &'r NounRule, asserted: bool, confidence: f32) -> Self {
        RuleLink {
            relation: &rule.relation,
            rule: &rule.id,
            invert: rule.invert,
            asserted,
            confidence,
        }
    }
    fn push(
        &self,
        sent: &Sent,
        facts: &mut Vec<Fact>,
        holder: usize,
        owner: usize,
        quals: Vec<Qualifier>,
    ) {
        let (s, o) = if self.invert {
            (owner, holder)
        } else {
            (holder, owner)
        };
        push_fact(
            sent,
            facts,
            s,
            self.relation,
            Object::Entity(o),
            false,
            self.asserted,
            self.rule,
            self.confidence,
            quals,
        );
    }
}

fn apply_noun_rules(sent: &Sent, frames: &[Frame], carried: &[usize], facts: &mut Vec<Fact>) {
    for b in 0..sent.bs.len() {
        let Some((cue, cue_start, cue_end)) = sent.cue(b) else {
            continue;
        };
        // 600人の社員 / 社員300人: a counted role noun is a group, not the
        // role of one holder (the subject of the clause fires them, say).
        let counted = std::iter::once(b)
            .chain(
                (0..b)
                    .filter(|&j| sent.bs[j].head == Some(b) && sent.bs[j].link == Link::Adnominal),
            )
            .any(|j| sent.values_in(j).any(|v| v.kind == ValueKind::Quantity));
        for rule in &sent.rules.noun_rules {
            if !sent.rules.expand(&rule.cues).any(|c| c == cue) {
                continue;
            }
            // XがYの筆頭株主 / Xが筆頭株主のY: X holds the role, Y owns it.
            let genitive_subject = b > 0
                && sent.bs[b - 1].case.as_deref() == Some("が")
                && sent.bs[b].case.as_deref() == Some("の")
                && sent.bs[b].link == Link::Adnominal;
            if genitive_subject {
                let hs: Vec<usize> = sent
                    .conjuncts(b - 1)
                    .into_iter()
                    .filter(|&e| sent.type_ok(e, &rule.holder))
                    .collect();
                let os: Vec<usize> = sent.bs[b]
                    .head
                    .map(|h| sent.conjuncts(h))
                    .unwrap_or_default()
                    .into_iter()
                    .filter(|&e| sent.type_ok(e, &rule.owner))
                    .collect();
                if let (Some(&h), Some(&o)) = (hs.first(), os.first()) {
                    let role = sent.role_text(b, cue_start, cue_end);
                    let link = RuleLink::noun(rule, true, rule.confidence * 0.9);
                    link.push(sent, facts, h, o, vec![role_qualifier(&role)]);
                    continue;
                }
            }
            if counted {
                continue;
            }
            let Some((holders, hw)) = holders(sent, frames, b, cue_start, cue_end, &rule.holder)
            else {
                continue;
            };
            let mut weight = hw;
            let reflexive = sent
                .rules
                .reflexives
                .iter()
                .any(|r| sent.content(b).starts_with(r.as_str()));
            let owner = sent.owner(b, cue_start, &rule.owner, &holders).or_else(|| {
                // A role noun that is itself the complement (〜を務める, 〜として,
                // 〜だ) belongs to the topic when nothing names its owner.
                let complement = reflexive
                    || sent.bs[b].kind == Kind::Copula
                    || matches!(sent.bs[b].case.as_deref(), Some("を" | "に" | "として"));
                if !complement || sent.unnamed_owner(b) {
                    return None;
                }
                weight *= 0.7;
                let topic = (0..b).find(|&j| sent.bs[j].topic && sent.bs[j].case.is_none());
                topic
                    .map(|j| sent.conjuncts(j))
                    .unwrap_or_else(|| carried.to_vec())
                    .into_iter()
                    .find(|&e| sent.type_ok(e, &rule.owner) && !holders.contains(&e))
            });
            let Some(owner) = owner else {
                continue;
            };
            let asserted = frames
                .iter()
                .find(|f| Some(f.pred) == sent.bs[b].head || f.pred == b)
                .is_none_or(|f| f.asserted);
            let role = sent.role_text(b, cue_start, cue_end);
            let link = RuleLink::noun(rule, asserted, rule.confidence * weight);
            for h in holders {
                link.push(sent, facts, h, owner, vec![role_qualifier(&role)]);
            }
        }
    }
}

/// Who holds the role noun in bunsetsu `b`: a name right after the cue
/// (創設者ジョン・スミス) or before it (内田誠社長); the noun it modifies
/// (Xの創設者であるY, Xの社長のY); or the subject when the role noun is the
/// predicate or its complement (YはXの社長だ, Yが社長を務める, Yが社長に就任).
fn holders(
    sent: &Sent,
    frames: &[Frame],
    b: usize,
    cue_start: usize,
    cue_end: usize,
    types: &[EntityType],
) -> Option<(Vec<usize>, f32)> {
    let ok = |e: &usize| sent.type_ok(*e, types);
    if let Some(m) = sent.ments[b]
        .iter()
        .find(|m| m.start >= cue_end && ok(&m.entity))
    {
        return Some((vec![m.entity], 1.0));
    }
    if let Some(m) = sent.ments[b]
        .iter()
        .rev()
        .find(|m| m.end <= cue_start && ok(&m.entity))
    {
        // 内田誠社長: a person before the cue holds it; a company there owns it.
        if sent.etype(m.entity) == EntityType::Person {
            return Some((vec![m.entity], 1.0));
        }
    }
    let bs = &sent.bs[b];
    if bs.link == Link::Adnominal && (bs.kind == Kind::Copula || bs.case.as_deref() == Some("の"))
    {
        let mut h = bs.head?;
        // Xの代表のY選手: Y holds a role of its own (選手), of which the
        // phrase with the first role noun is the owner, not Y's role.
        if bs.case.as_deref() == Some("の") && sent.cue(h).is_some() {
            return None;
        }
        // AI半導体「NX-Core」: walk through bare nouns in apposition.
        while sent.ments[h].is_empty()
            && sent.bs[h].link == Link::Adnominal
            && sent.bs[h].case.is_none()
            && sent.bs[h].kind == Kind::Nominal
        {
            h = sent.bs[h].head?;
        }
        let ents: Vec<usize> = sent.conjuncts(h).into_iter().filter(ok).collect();
        if !ents.is_empty() {
            return Some((ents, 0.95));
        }
    }
    // Xの社長、Y氏: the role noun in apposition to the name after the comma.
    if bs.link == Link::Coordinate && sent.ments[b].is_empty() {
        let h = bs.head?;
        let ents: Vec<usize> = sent.ments[h]
            .iter()
            .map(|m| m.entity)
            .filter(|e| ok(e))
            .take(1)
            .collect();
        if !ents.is_empty() {
            return Some((ents, 0.9));
        }
    }
    // The role noun is a predicate (…の社長だ) or the complement of one.
    let pred = if bs.kind == Kind::Copula && bs.link != Link::Adnominal {
        Some(b)
    } else if bs.link == Link::Argument
        && matches!(bs.case.as_deref(), Some("を" | "に" | "として"))
    {
        bs.head
    } else {
        None
    }?;
    let f = frames.iter().find(|f| f.pred == pred)?;
    // XをYの責任者にする / Xを社長に任命: the object holds the role.
    if matches!(bs.case.as_deref(), Some("に" | "として")) {
        for a in f.args.iter().filter(|a| a.deep == "を") {
            let ents: Vec<usize> = sent.conjuncts(a.b).into_iter().filter(ok).collect();
            if !ents.is_empty() {
                return Some((ents, 0.9));
            }
        }
    }
    for a in f.args.iter().rev() {
        if a.deep == "が" {
            let ents: Vec<usize> = sent.conjuncts(a.b).into_iter().filter(ok).collect();
            if !ents.is_empty() {
                return Some((ents, 0.9));
            }
        }
    }
    // A が-subject that names no holder (社員が社長を務める) is the holder
    // itself, unless it is an anaphor left unresolved (同氏が).
    if f.args
        .iter()
        .any(|a| a.deep == "が" && a.surface == "が" && !sent.unresolved[a.b])
    {
        return None;
    }
    gap_fill(sent, f, types, &[], Slot::Subject).map(|(e, w)| (e, w * 0.9))
}

/// One fact per (subject, relation, object, sentence): the most confident, with
/// the qualifiers of all.
fn dedupe(facts: Vec<Fact>) -> Vec<Fact> {
    let mut by_key: BTreeMap<(usize, String, String, usize), Fact> = BTreeMap::new();
    let mut order = Vec::new();
    for f in facts {
        let obj = match &f.object {
            Object::Entity(e) => format!("e{e}"),
            Object::Literal { value, .. } => format!("l{value}"),
        };
        let key = (f.subject, f.relation.clone(), obj, f.sentence);
        match by_key.get_mut(&key) {
            Some(prev) => {
                for q in &f.qualifiers {
                    if !prev
                        .qualifiers
                        .iter()
                        .any(|p| p.property == q.property && p.value == q.value)
                    {
                        prev.qualifiers.push(q.clone());
                    }
                }
                if f.confidence > prev.confidence {
                    prev.confidence = f.confidence;
                    prev.rule = f.rule.clone();
                }
                prev.asserted &= f.asserted;
            }
            None => {
                order.push(key.clone());
                by_key.insert(key, f);
            }
        }
    }
    order
        .into_iter()
        .filter_map(|k| by_key.remove(&k))
        .collect()
}

/// Pairs (modifier, head) of entities that stand as `XのY`: a の-phrase and
/// the name it modifies; in a sentence `TはXの…Zだ` whose predicate noun names
/// nothing, the topic T as the head; and two names written together with
/// nothing between them (X県Y市).
fn genitive_pairs(sent: &Sent) -> Vec<(usize, usize)> {
    let topic = (0..sent.bs.len())
        .find(|&j| sent.bs[j].topic && sent.bs[j].case.is_none())
        .and_then(|j| sent.head_entity(j));
    let mut out = Vec::new();
    for b in 0..sent.bs.len() {
        for w in sent.ments[b].windows(2) {
            if w[0].end == w[1].start && w[0].entity != w[1].entity {
                out.push((w[0].entity, w[1].entity));
            }
        }
        let x = &sent.bs[b];
        if x.case.as_deref() != Some("の") || x.link != Link::Adnominal || x.kind != Kind::Nominal
        {
            continue;
        }
        let (Some(m), Some(h)) = (sent.head_entity(b), x.head) else {
            continue;
        };
        // The head's own name, not a role noun after it (Xの社長Y is a noun rule's).
        if sent.cue(h).is_some() {
            continue;
        }
        let head = &sent.bs[h];
        let predicate_noun = sent.ments[h].is_empty()
            && matches!(head.kind, Kind::Copula | Kind::Nominal)
            && head.link == Link::Final
            && head.case.is_none();
        let y = match sent.ments[h].first() {
            Some(y) => Some(y.entity),
            None if predicate_noun => topic,
            None => None,
        };
        if let Some(y) = y {
            out.push((m, y));
        }
    }
    out
}

/// `XのY` with both sides entities and no role noun between them.
fn apply_genitive_rules(sent: &Sent, facts: &mut Vec<Fact>) {
    if sent.rules.genitive_rules.is_empty() {
        return;
    }
    for (m, y) in genitive_pairs(sent) {
        for rule in &sent.rules.genitive_rules {
            let label = &sent.res.entities[y].label;
            let suffix_ok = rule.head_suffixes.is_empty()
                || rule
                    .head_suffixes
                    .iter()
                    .any(|x| label.ends_with(x.as_str()));
            if sent.type_ok(m, &rule.modifier) && sent.type_ok(y, &rule.head) && suffix_ok {
                let link = RuleLink {
                    relation: &rule.relation,
                    rule: &rule.id,
                    invert: rule.invert,
                    asserted: true,
                    confidence: rule.confidence,
                };
                link.push(sent, facts, y, m, Vec::new());
            }
        }
    }
}

/// `X(cue・Y)`: a name, then in its parenthetical a cue noun and a second name
/// (青空システムズ(本社・東京都港区) → headquartered in 港区).
fn apply_paren_rules(sent: &Sent, facts: &mut Vec<Fact>) {
    for b in 0..sent.bs.len() {
        let content = sent.bs[b].content.clone();
        // A phrase may have no content word (a bracket or a bullet opening the
        // sentence): nothing to attach a parenthetical to.
        let Some(last) = content
            .end
            .checked_sub(1)
            .and_then(|i| sent.s.tokens.get(i))
        else {
            continue;
        };
        let Some(x) = sent.ments[b].iter().rev().find(|m| m.end <= last.end) else {
            continue;
        };
        for y in &sent.parens[b] {
            let between: String = sent
                .s
                .sentence
                .text
                .chars()
                .skip(last.end.saturating_sub(sent.s.sentence.start))
                .take(y.start.saturating_sub(last.end))
                .collect();
            for rule in &sent.rules.paren_rules {
                let cued = sent.rules.expand(&rule.cues).any(|c| between.contains(c));
                if cued
                    && sent.type_ok(x.entity, &rule.subject)
                    && sent.type_ok(y.entity, &rule.object)
                {
                    let link = RuleLink {
                        relation: &rule.relation,
                        rule: &rule.id,
                        invert: false,
                        asserted: true,
                        confidence: rule.confidence,
                    };
                    link.push(sent, facts, x.entity, y.entity, Vec::new());
                }
            }
        }
    }
}
