//! Candidate pairs and their features. A candidate is an ordered pair of
//! things one sentence speaks of: two entity mentions (names, or 彼/同社
//! resolved to their entity), an entity and a date, or an entity and the
//! topic the sentence continues from earlier ones (a zero subject: 「Xは…。
//! 1990年に東京で生まれた。」 speaks of X without naming it).
//!
//! Features are what the earlier stages already know, hashed: the entity
//! types, the words between the two (other names replaced by their type, so
//! that no name is ever a feature), the bunsetsu path between them with its
//! particles and the word where the paths meet, the predicate that governs
//! them, the noun each one is joined to (X出身, Xの妻, X監督作品), distance,
//! brackets, whether the pair sits in one noun phrase, and what the name
//! lexicon knows each name as (a country, a place, a person).
use std::ops::Range;

use super::sent::Sent;
use crate::document::{
    AnalyzedSentence, EntityType, Mention, MentionKind, Resolution, ValueKind, ValueMention,
};
use crate::mentions::NameLexicon;
use crate::relations::bunsetsu::first_topic;

/// What a candidate relates its subject to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Arg {
    Entity(usize),
    /// A date or year: an index into the article's value mentions.
    Value(usize),
}

/// One ordered pair in one sentence, with its hashed features.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub subject: usize,
    pub object: Arg,
    pub sentence: usize,
    /// Whether the governing predicate is negated (〜しなかった): a fact read
    /// from it is not asserted.
    pub negated: bool,
    /// One side is not named in the sentence (the carried or article topic).
    pub implicit: bool,
    pub features: Vec<u64>,
}

/// Most mentions of one sentence that take part in pairs: a long list of
/// names (a table of places flattened into prose) would otherwise cost the
/// square of its length.
const MAX_SLOTS: usize = 24;

/// Most entities a sentence is paired with that it does not name.
const MAX_IMPLICIT: usize = 8;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum SlotKind {
    Name,
    Pronoun,
    Anaphor,
    Date,
    Year,
    /// The topic carried from an earlier sentence, not named in this one.
    Zero,
    /// What the article is about (its first topic), not named in this sentence.
    Topic,
    /// Named in the article's opening sentences, not in this one.
    Lead,
    /// Named in the sentence before, not in this one.
    Previous,
}

impl SlotKind {
    fn code(self) -> u64 {
        self as u64 + 1
    }
    /// Stands for an entity the sentence does not name.
    fn implicit(self) -> bool {
        matches!(
            self,
            SlotKind::Zero | SlotKind::Topic | SlotKind::Lead | SlotKind::Previous
        )
    }
}

#[derive(Debug, Clone)]
pub(super) struct Slot {
    pub(super) arg: Arg,
    pub(super) kind: SlotKind,
    /// Token range in the sentence (empty for a zero topic).
    pub(super) tokens: Range<usize>,
    /// The bunsetsu holding the slot's last token.
    pub(super) b: Option<usize>,
    /// Type name: an entity type, Date or Year.
    pub(super) tag: &'static str,
    /// How the entity's name ends: its last character when that is a kanji
    /// (県, 市, 郡, 川, 大学 → 学, 賞, 党: the word that says what it is), else
    /// the kind of script.
    pub(super) ending: char,
    /// For an entity the sentence does not name: how it stood where it was
    /// last named (its particle, the noun joined to it, the word it hangs on).
    pub(super) origin: Option<[String; 3]>,
    /// How often the article names the entity (bucketed), and how sure the
    /// recogniser was of this mention (of its surest one when not named here),
    /// in tenths: a name the article repeats is what it is about, and a name
    /// the recogniser doubted is often no name.
    pub(super) salience: u8,
    pub(super) sureness: u8,
    /// What the name lexicon knows the entity's name as (country, place,
    /// person, other proper noun; 0 when it does not know it): 日本 is a
    /// country whether or not the sentence says so, which is what citizen_of
    /// and located_in turn on.
    pub(super) known: u8,
}

/// [`Slot::ending`] of a name.
fn ending(name: &str) -> char {
    match name.chars().last() {
        Some(c) if crate::text::is_kanji(c) => c,
        Some(c) if crate::text::is_katakana(c) => 'カ',
        Some(c) if c.is_ascii_alphanumeric() => 'A',
        _ => '_',
    }
}

fn type_tag(t: EntityType) -> &'static str {
    t.name()
}

/// A small stable hasher for feature strings (the standard one is seeded per process).
#[derive(Clone, Copy)]
struct H(u64);

impl H {
    fn new(name: &str) -> H {
        H(0xcbf2_9ce4_8422_2325).s(name)
    }
    fn u(self, x: u64) -> H {
        H((self.0.rotate_left(5) ^ x).wrapping_mul(0x517c_c1b7_2722_0a95))
    }
    fn s(self, s: &str) -> H {
        let mut h = self;
        for chunk in s.as_bytes().chunks(8) {
            let mut buf = [0u8; 8];
            buf[..chunk.len()].copy_from_slice(chunk);
            h = h.u(u64::from_le_bytes(buf));
        }
        h.u(s.len() as u64 + 0x9e37)
    }
}

/// Distance buckets: 0, 1, 2, 3-4, 5-8, 9-16, more.
fn bucket(d: usize) -> u64 {
    match d {
        0..=2 => d as u64,
        3..=4 => 3,
        5..=8 => 4,
        9..=16 => 5,
        _ => 6,
    }
}

/// Every candidate pair of an article, sentence by sentence.
pub fn candidates(
    sentences: &[AnalyzedSentence],
    mentions: &[Mention],
    values: &[ValueMention],
    res: &Resolution,
    lexicon: Option<&NameLexicon>,
) -> Vec<Candidate> {
    use crate::mentions::lexicon::{COUNTRY, OTHER_PROPER, PERSON, PLACE};
    let known: Vec<u8> = res
        .entities
        .iter()
        .map(|e| {
            lexicon.map_or(0, |l| {
                l.classes(&e.label) & (COUNTRY | PLACE | PERSON | OTHER_PROPER)
            })
        })
        .collect();
    let mut mentions_of: Vec<Vec<usize>> = vec![Vec::new(); sentences.len()];
    for (mi, m) in mentions.iter().enumerate() {
        if let Some(v) = mentions_of.get_mut(m.sentence) {
            v.push(mi);
        }
    }
    let mut values_of: Vec<Vec<usize>> = vec![Vec::new(); sentences.len()];
    for (vi, v) in values.iter().enumerate() {
        if matches!(v.kind, ValueKind::Date | ValueKind::Year) && !v.value.starts_with('-') {
            if let Some(list) = values_of.get_mut(v.sentence) {
                list.push(vi);
            }
        }
    }
    let mut salience = vec![0u8; res.entities.len()];
    let mut surest = vec![0u8; res.entities.len()];
    for (m, e) in mentions.iter().zip(&res.mention_entity) {
        if let Some(e) = e.filter(|&e| e < salience.len()) {
            salience[e] = salience[e].saturating_add(1);
            surest[e] = surest[e].max((m.confidence * 10.0) as u8);
        }
    }
    for x in salience.iter_mut() {
        *x = bucket(*x as usize) as u8;
    }
    let mut sents = Vec::with_capacity(sentences.len());
    for (si, s) in sentences.iter().enumerate() {
        let mut slots = Vec::new();
        for &mi in &mentions_of[si] {
            let m = &mentions[mi];
            let Some(e) = res.mention_entity.get(mi).copied().flatten() else {
                continue;
            };
            if m.tokens.is_empty()
                || values_of[si]
                    .iter()
                    .any(|&v| values[v].start <= m.start && m.end <= values[v].end)
            {
                continue;
            }
            let kind = match m.kind {
                MentionKind::Name => SlotKind::Name,
                MentionKind::Pronoun => SlotKind::Pronoun,
                MentionKind::Anaphor => SlotKind::Anaphor,
            };
            slots.push(Slot {
                arg: Arg::Entity(e),
                kind,
                tokens: m.tokens.clone(),
                b: None,
                tag: type_tag(res.entities[e].etype),
                ending: ending(&res.entities[e].label),
                origin: None,
                salience: salience[e],
                sureness: (m.confidence * 10.0) as u8,
                known: known[e],
            });
        }
        for &vi in &values_of[si] {
            let v = &values[vi];
            let (kind, tag) = if v.kind == ValueKind::Year {
                (SlotKind::Year, "Year")
            } else {
                (SlotKind::Date, "Date")
            };
            slots.push(Slot {
                arg: Arg::Value(vi),
                kind,
                tokens: v.tokens.clone(),
                b: None,
                tag,
                ending: '_',
                origin: None,
                salience: 0,
                sureness: 10,
                known: 0,
            });
        }
        slots.sort_by_key(|x| (x.tokens.start, x.tokens.end));
        slots.truncate(MAX_SLOTS);
        let mut sent = Sent::new(s, slots);
        for slot in sent.slots.iter_mut() {
            slot.b = slot
                .tokens
                .end
                .checked_sub(1)
                .and_then(|t| sent.bunsetsu_of.get(t).copied());
        }
        sents.push(sent);
    }
    // The entity a sentence's は-topic names: Some(None) when its topic names none.
    let topics: Vec<Option<Option<usize>>> = sents
        .iter()
        .map(|sent| {
            let b = first_topic(&sent.bs, sent.bs.len())?;
            Some(
                sent.slots
                    .iter()
                    .filter(|x| x.b == Some(b))
                    .find_map(|x| match x.arg {
                        Arg::Entity(e) => Some(e),
                        Arg::Value(_) => None,
                    }),
            )
        })
        .collect();
    // What the article is about: the first topic that names an entity among
    // its opening sentences (the title line names it too, but so it does
    // whatever else the headline names).
    let article_topic = topics.iter().take(3).find_map(|t| t.flatten());
    // Entities each sentence names, in text order; those of the opening
    // sentences (up to the one with the article's topic).
    let named_in: Vec<Vec<usize>> = sents
        .iter()
        .map(|sent| {
            let mut v: Vec<usize> = Vec::new();
            for x in &sent.slots {
                if let Arg::Entity(e) = x.arg {
                    if !v.contains(&e) {
                        v.push(e);
                    }
                }
            }
            v
        })
        .collect();
    let lead_end = topics
        .iter()
        .take(3)
        .position(|t| t.flatten().is_some())
        .unwrap_or(0);
    let lead: Vec<usize> = named_in
        .iter()
        .take(lead_end + 1)
        .flatten()
        .copied()
        .filter(|&e| Some(e) != article_topic)
        .collect();
    let mut out = Vec::new();
    let mut last_seen: std::collections::HashMap<usize, [String; 3]> = Default::default();
    // The topic carried into the next sentence, as frames.rs carries it for
    // zero subjects: a は-topic that names an entity; kept through sentences
    // with no topic, dropped at a topic that names none.
    let mut carried: Option<usize> = None;
    for (si, sent) in sents.iter_mut().enumerate() {
        let named = |e: usize| sent.slots.iter().any(|x| x.arg == Arg::Entity(e));
        let mut implicit: Vec<(usize, SlotKind)> = Vec::new();
        if let Some(zero) = carried.filter(|&z| !named(z) && topics[si].is_none()) {
            implicit.push((zero, SlotKind::Zero));
        }
        let offer = |e: usize, kind: SlotKind, implicit: &mut Vec<(usize, SlotKind)>| {
            if !named(e) && !implicit.iter().any(|(x, _)| *x == e) && implicit.len() < MAX_IMPLICIT
            {
                implicit.push((e, kind));
            }
        };
        if let Some(t) = article_topic {
            offer(t, SlotKind::Topic, &mut implicit);
        }
        if si > lead_end {
            for &e in &lead {
                offer(e, SlotKind::Lead, &mut implicit);
            }
        }
        if si > 0 {
            for &e in &named_in[si - 1] {
                offer(e, SlotKind::Previous, &mut implicit);
            }
        }
        for (e, kind) in implicit {
            sent.slots.push(Slot {
                arg: Arg::Entity(e),
                kind,
                tokens: 0..0,
                b: None,
                tag: type_tag(res.entities[e].etype),
                ending: ending(&res.entities[e].label),
                origin: last_seen.get(&e).cloned(),
                salience: salience[e],
                sureness: surest[e],
                known: known[e],
            });
        }
        pairs(sent, si, article_topic, &mut out);
        for x in sent.slots.iter().filter(|x| !x.kind.implicit()) {
            if let (Arg::Entity(e), Some(b)) = (x.arg, x.b) {
                let head = sent.bs[b]
                    .head
                    .map_or_else(|| "<root>".to_string(), |h| sent.head_word(h));
                last_seen.insert(e, [sent.attach(b), sent.suffix(x), head]);
            }
        }
        match topics[si] {
            Some(Some(e)) => carried = Some(e),
            Some(None) => {
                // A topic that names nothing: a pronoun left unresolved keeps
                // the old topic, any other noun ends it.
                let b = first_topic(&sent.bs, sent.bs.len()).unwrap_or(0);
                let unresolved = mentions_of[si].iter().any(|&mi| {
                    res.mention_entity.get(mi).copied().flatten().is_none()
                        && sent.bunsetsu_of.get(mentions[mi].tokens.start) == Some(&b)
                });
                if !unresolved {
                    carried = None;
                }
            }
            None => {}
        }
    }
    out
}

fn pairs(sent: &Sent, si: usize, topic: Option<usize>, out: &mut Vec<Candidate>) {
    for (i, x) in sent.slots.iter().enumerate() {
        let Arg::Entity(xe) = x.arg else { continue };
        for (j, y) in sent.slots.iter().enumerate() {
            if i == j || y.arg == x.arg || x.kind.implicit() && y.kind.implicit() {
                continue;
            }
            let mut f = Vec::with_capacity(64);
            let negated = features(sent, si, x, y, topic, &mut f);
            // Each feature once: a repeated word must not count twice.
            f.retain(|&h| h != 0);
            f.sort_unstable();
            f.dedup();
            out.push(Candidate {
                subject: xe,
                object: y.arg,
                sentence: si,
                negated,
                implicit: x.kind.implicit() || y.kind.implicit(),
                features: f,
            });
        }
    }
}

/// Writes the features of the pair (x, y) into `f`; returns whether the
/// predicate that governs the pair is negated.
fn features(
    sent: &Sent,
    si: usize,
    x: &Slot,
    y: &Slot,
    topic: Option<usize>,
    f: &mut Vec<u64>,
) -> bool {
    let tp = H::new(x.tag).s("→").s(y.tag);
    let mut add = |h: H| f.push(h.0);
    add(H::new("bias"));
    add(H::new("tp").u(tp.0));
    add(H::new("kinds").u(tp.0).u(x.kind.code()).u(y.kind.code()));
    let is_topic = |a: Arg| matches!(a, Arg::Entity(e) if Some(e) == topic);
    add(H::new("topic")
        .u(tp.0)
        .u(is_topic(x.arg) as u64)
        .u(is_topic(y.arg) as u64));
    add(H::new("sent").u(tp.0).u(si.min(3) as u64));
    // How many things the sentence names: in a list of ten places, most
    // pairs are not one inside the other.
    let named = sent.slots.iter().filter(|s| !s.kind.implicit()).count();
    add(H::new("crowd").u(tp.0).u(bucket(named)));
    add(H::new("sal")
        .u(tp.0)
        .u(x.salience as u64)
        .u(y.salience as u64));
    add(H::new("sure").u(tp.0).u(x.sureness.min(y.sureness) as u64));
    let ends = H::new("ends").u(x.ending as u64).u(y.ending as u64);
    add(ends.u(tp.0));
    add(H::new("xend").u(tp.0).u(x.ending as u64));
    add(H::new("yend").u(tp.0).u(y.ending as u64));
    add(H::new("known").u(tp.0).u(x.known as u64).u(y.known as u64));
    for w in &sent.content_words {
        add(H::new("sw").u(tp.0).s(w));
    }
    if x.kind.implicit() || y.kind.implicit() {
        return zero_features(sent, x, y, tp, f);
    }
    let (xb, yb) = (x.b.unwrap_or(0), y.b.unwrap_or(0));
    let forward = x.tokens.start < y.tokens.start;
    let dir = forward as u64;
    let dtp = tp.u(dir);
    add(H::new("dir").u(dtp.0));
    // Between the two, in text order.
    let (first, second) = if forward { (x, y) } else { (y, x) };
    let between = first.tokens.end.min(second.tokens.start)..second.tokens.start;
    let words = sent.words(between.clone());
    let dist = between.len();
    add(H::new("dist").u(dtp.0).u(bucket(dist)));
    add(H::new("bdist").u(dtp.0).u(bucket(yb.abs_diff(xb))));
    if words.len() <= 6 {
        add(H::new("btw").u(dtp.0).s(&words.join(" ")));
    } else {
        let head: Vec<&str> = words[..3].to_vec();
        let tail: Vec<&str> = words[words.len() - 3..].to_vec();
        add(H::new("btw3")
            .u(dtp.0)
            .s(&head.join(" "))
            .s(&tail.join(" ")));
    }
    let n = words.len();
    for (k, w) in words.iter().enumerate() {
        if k < 10 || n - k <= 10 {
            add(H::new("bw").u(dir).s(w));
            add(H::new("bwt").u(dtp.0).s(w));
        }
    }
    // Neighbours of each side.
    let before = |s: &Slot| s.tokens.start.checked_sub(1);
    let after = |s: &Slot| Some(s.tokens.end).filter(|&t| t < sent.tokens.len());
    add(H::new("xprev").u(tp.0).s(sent.word_at(before(x))));
    add(H::new("xnext").u(tp.0).s(sent.word_at(after(x))));
    add(H::new("yprev").u(tp.0).s(sent.word_at(before(y))));
    add(H::new("ynext").u(tp.0).s(sent.word_at(after(y))));
    // Brackets: a date or a name in the parenthesis after a name
    // (X(1950年 - 2010年), X(英: Y)).
    let dx = x.tokens.start.min(sent.depth.len().saturating_sub(1));
    let dy = y.tokens.start.min(sent.depth.len().saturating_sub(1));
    let (depth_x, depth_y) = (
        sent.depth.get(dx).copied().unwrap_or(0).min(2),
        sent.depth.get(dy).copied().unwrap_or(0).min(2),
    );
    add(H::new("depth").u(dtp.0).u(depth_x as u64).u(depth_y as u64));
    // Values: how many other values stand between (the second date in
    // X(1950年 - 2010年) is the death date).
    let values_between = sent.slots.iter().filter(|s| {
        matches!(s.kind, SlotKind::Date | SlotKind::Year)
            && s.tokens.start >= between.start
            && s.tokens.end <= between.end
    });
    add(H::new("vbtw")
        .u(dtp.0)
        .u(values_between.count().min(3) as u64));
    // Role nouns: the words joined to each side in its own bunsetsu.
    let (xs, ys) = (sent.suffix(x), sent.suffix(y));
    let (xp, yp) = (sent.prefix(x), sent.prefix(y));
    add(H::new("xsuf").u(tp.0).s(&xs));
    add(H::new("ysuf").u(tp.0).s(&ys));
    add(H::new("xsuf0").s(&xs));
    add(H::new("ysuf0").s(&ys));
    add(H::new("xpre").u(tp.0).s(&xp));
    add(H::new("ypre").u(tp.0).s(&yp));
    // The bunsetsu path.
    let mut negated = false;
    if xb == yb {
        add(H::new("sameb").u(dtp.0).s(&words.join(" ")));
    } else {
        let cx = sent.chain(xb);
        let cy = sent.chain(yb);
        let lca = cx.iter().position(|b| cy.contains(b));
        match lca {
            Some(ix) => {
                let l = cx[ix];
                let iy = cy.iter().position(|&b| b == l).unwrap_or(0);
                let up = |c: &[usize]| -> String {
                    c.iter()
                        .take(4)
                        .map(|&b| sent.attach(b))
                        .collect::<Vec<_>>()
                        .join(">")
                };
                let (px, py) = (up(&cx[..ix]), up(&cy[..iy]));
                let lw = sent.head_word(l);
                let kind = sent.bs[l].kind as u64;
                add(H::new("path").u(dir).s(&px).s(&py).u(kind));
                add(H::new("patht").u(dtp.0).s(&px).s(&py).u(kind));
                add(H::new("lca").u(dtp.0).s(&lw));
                add(H::new("lca0").u(dir).s(&lw));
                add(H::new("lcak")
                    .u(dtp.0)
                    .s(&lw)
                    .u(x.known as u64)
                    .u(y.known as u64));
                add(H::new("lcap").s(&lw).s(&px).s(&py));
                add(H::new("lcapt").u(tp.0).s(&lw).s(&px).s(&py));
                add(H::new("steps").u(dtp.0).u(bucket(ix)).u(bucket(iy)));
                // XのY: one side modifies the other directly.
                if iy == 0 || ix == 0 {
                    add(H::new("np").u(dtp.0).s(&px).s(&py).s(&lw));
                }
                if let Some(p) = sent.governing_predicate(l) {
                    let lemma = &sent.bs[p].lemma;
                    add(H::new("pred").u(dtp.0).s(lemma));
                    add(H::new("predc")
                        .u(tp.0)
                        .s(lemma)
                        .s(&sent.attach(xb))
                        .s(&sent.attach(yb)));
                    negated = sent.bs[p].negated;
                }
            }
            None => add(H::new("nolca").u(dtp.0)),
        }
        if sent.coordinated(xb, yb) {
            add(H::new("coord").u(tp.0));
        }
        // The word each side hangs on (Xの妻Y: 妻; X大学を卒業: 卒業).
        for (name, b) in [("xhead", xb), ("yhead", yb)] {
            let word = sent.bs[b]
                .head
                .map_or_else(|| "<root>".to_string(), |h| sent.head_word(h));
            add(H::new(name).u(tp.0).s(&sent.attach(b)).s(&word));
        }
    }
    // Role nouns conjoined with where the other side stands.
    add(H::new("xsuf-y").u(dtp.0).s(&xs).s(&sent.attach(yb)));
    add(H::new("ysuf-x").u(dtp.0).s(&ys).s(&sent.attach(xb)));
    negated
}

/// Features of a pair with the carried topic: what the sentence says of the
/// other side, since the topic stands nowhere in it.
fn zero_features(sent: &Sent, x: &Slot, y: &Slot, tp: H, f: &mut Vec<u64>) -> bool {
    let (named, side, kind) = if x.kind.implicit() {
        (y, 0u64, x.kind)
    } else {
        (x, 1u64, y.kind)
    };
    let stp = tp.u(side).u(kind.code());
    let mut add = |h: H| f.push(h.0);
    let implicit = if x.kind.implicit() { x } else { y };
    if let Some([attach, suffix, head]) = &implicit.origin {
        add(H::new("oatt").u(stp.0).s(attach));
        add(H::new("osuf").u(stp.0).s(suffix));
        add(H::new("ohead").u(stp.0).s(attach).s(head));
    }
    add(H::new("zero").u(stp.0).u(sent.has_subject() as u64));
    add(H::new("zknown")
        .u(stp.0)
        .u(named.known as u64)
        .u(implicit.known as u64));
    let b = named.b.unwrap_or(0);
    let attach = sent.attach(b);
    add(H::new("zatt").u(stp.0).s(&attach));
    let suffix = sent.suffix(named);
    add(H::new("zsuf").u(stp.0).s(&suffix));
    add(H::new("zpre").u(stp.0).s(&sent.prefix(named)));
    let next = Some(named.tokens.end).filter(|&t| t < sent.tokens.len());
    add(H::new("znext").u(stp.0).s(sent.word_at(next)));
    add(H::new("zprev")
        .u(stp.0)
        .s(sent.word_at(named.tokens.start.checked_sub(1))));
    let head = sent.bs[b]
        .head
        .map_or_else(|| "<root>".to_string(), |h| sent.head_word(h));
    add(H::new("zhead").u(stp.0).s(&attach).s(&head));
    add(H::new("zsufhead").u(stp.0).s(&suffix).s(&head));
    let mut negated = false;
    if let Some(p) = sent.governing_predicate(b) {
        add(H::new("zpred").u(stp.0).s(&sent.bs[p].lemma).s(&attach));
        negated = sent.bs[p].negated;
    }
    if let Some(p) = sent.main_predicate() {
        add(H::new("zmain").u(stp.0).s(&sent.bs[p].lemma));
        add(H::new("zmainatt").u(stp.0).s(&sent.bs[p].lemma).s(&attach));
    }
    negated
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_stable_and_distinguish_parts() {
        assert_eq!(H::new("a").s("b").0, H::new("a").s("b").0);
        assert_ne!(H::new("ab").0, H::new("a").s("b").0);
        assert_ne!(H::new("x").u(1).0, H::new("x").u(2).0);
        assert_eq!(bucket(7), 4);
    }
}
