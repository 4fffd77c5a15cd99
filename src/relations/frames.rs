//! Case frames: for every predicate bunsetsu, its arguments by (deep) particle
//! and the "gaps" that may fill roles left empty: the head noun of a relative
//! clause, the topic, a subject shared along a 連用/て chain, and the topic
//! carried over from earlier sentences (zero subjects). Event nouns (Xの買収)
//! get frames of their own.
use super::bunsetsu::{first_topic, Bunsetsu, Kind, Link};
use super::sentence::Sent;
use super::Role;
use crate::grammar::Particle;

/// An argument of a predicate.
#[derive(Debug, Clone)]
pub(super) struct Arg {
    pub(super) b: usize,
    /// The particle as written.
    pub(super) surface: Particle,
    /// The particle in the active voice.
    pub(super) deep: Particle,
    /// Whether the predicate is passive.
    pub(super) passive: bool,
}

impl Arg {
    /// Whether the argument fills `role`.
    pub(super) fn fills(&self, role: &Role) -> bool {
        role.marked_by(self.surface, self.deep, self.passive)
    }
}

/// Entities that may fill a role no argument marks, with a confidence weight.
#[derive(Debug, Clone)]
pub(super) struct Gap {
    pub(super) entities: Vec<usize>,
    pub(super) weight: f32,
    /// The topic of an earlier sentence (a zero subject), not a phrase of this one.
    pub(super) discourse: bool,
    /// A は/も-phrase of the clause that stands as its subject. When it names no
    /// entity (政府は, 大手銀行も) the clause has a subject of its own that is
    /// not a name, and no gap may put another in its place.
    pub(super) topic: bool,
    /// The bunsetsu of a phrase the predicate itself takes without a
    /// particle: a bare name (X演じる) or the clause's own topic (Xは…を演じる).
    /// A role that must be said (`explicit`) may take its last name as its
    /// subject.
    pub(super) said: Option<usize>,
    /// The noun a relative clause modifies, naming what it says (金沢市で
    /// 開催された「X」): a role that takes `head_only` may take it.
    pub(super) head: bool,
    /// What the noun a relative clause modifies stands for: the noun itself,
    /// or the topic when the noun is the sentence's predicate and names
    /// nothing (XはYにある町だ). A role that takes `head_if_relative` takes
    /// only this gap in a relative clause.
    pub(super) described: bool,
}

pub(super) struct Frame {
    pub(super) pred: usize,
    /// An event noun (Yの買収): only its subject may come from a gap.
    pub(super) nominal: bool,
    pub(super) lemma: String,
    pub(super) asserted: bool,
    pub(super) args: Vec<Arg>,
    pub(super) gaps: Vec<Gap>,
    /// A relative clause that modifies a noun naming nothing (四谷にある大使館
    /// when 大使館 is no entity): the noun fills one of its roles.
    pub(super) unnamed_head: bool,
    /// The noun a relative clause modifies (Xが演じる『Y』: Y), when it is one.
    pub(super) head: Option<usize>,
}

impl Frame {
    /// A name without a particle right before the verb, not a topic, stands
    /// as its subject (X氏演じる役).
    pub(super) fn bare_subject(&self, sent: &Sent) -> bool {
        self.gaps
            .iter()
            .any(|g| g.said.is_some_and(|j| !sent.bs[j].topic) && !g.entities.is_empty())
    }
}

/// The topic the next sentence inherits: this sentence's は-topic when it names
/// an entity; the previous one when the topic is an unresolved anaphor (同社は)
/// or there is none; nothing when the topic is some other noun.
pub(super) fn next_topic(sent: &Sent, carried: Vec<usize>) -> Vec<usize> {
    let topic = first_topic(&sent.bs, sent.bs.len());
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

pub(super) fn build(sent: &Sent, carried: &[usize]) -> Vec<Frame> {
    let m = &sent.rules.modality;
    let n = sent.bs.len();
    // Whether each predicate is asserted, right to left so that a chain
    // (設立し、…入る計画だ) inherits the modality of its last predicate.
    let mut asserted = vec![true; n];
    // Whether each predicate is reported by another medium (〜と報じた), and
    // so is the chain before it (Aを設立し、Bに出資したと報道された).
    let mut hearsay = vec![false; n];
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
            if head.is_predicate() && matches!(b.link, Link::Conjunctive | Link::Argument) {
                hearsay[p] = m.hearsay_predicates.contains(&head.lemma)
                    || hearsay[h] && b.link == Link::Conjunctive;
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
        if !b.is_predicate() || sent.titled_person(p) {
            continue;
        }
        let mut args = Vec::new();
        let mut gaps = Vec::new();
        let mut stray_topics = Vec::new();
        let mut unnamed_head = false;
        let mut head = None;
        for (j, x) in sent.bs.iter().enumerate() {
            if x.head != Some(p) || x.link != Link::Argument {
                continue;
            }
            match x.case {
                Some(c) => args.push(Arg {
                    b: j,
                    surface: c,
                    deep: c.active(b.passive),
                    passive: b.passive,
                }),
                None => {
                    // A topic before a relative clause (AはYに就任したBを取材した)
                    // comes after the noun the clause modifies: B did what
                    // the clause says, A the sentence's own verb.
                    let stray = x.topic && b.link == Link::Adnominal;
                    (if stray { &mut stray_topics } else { &mut gaps }).push(Gap {
                        entities: sent.conjuncts(j),
                        weight: 1.0,
                        discourse: false,
                        // A topic before a relative clause attaches to the
                        // clause's verb by mistake (see bunsetsu.rs): it is no
                        // evidence of that verb's subject.
                        topic: b.link != Link::Adnominal && !b.passive && sent.subject_topic(j),
                        said: (!x.topic || b.link != Link::Adnominal).then_some(j),
                        head: false,
                        described: false,
                    });
                    // A topic is also an argument marked は, for rules that ask
                    // for it by name (Xの本社はYにある).
                    if x.topic {
                        args.push(Arg {
                            b: j,
                            surface: Particle::Wa,
                            deep: Particle::Wa,
                            passive: b.passive,
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
                && x.case == Some(Particle::No)
            {
                args.push(Arg {
                    b: j,
                    surface: Particle::Ga,
                    deep: Particle::Ga.active(b.passive),
                    passive: b.passive,
                });
            }
        }
        if b.link == Link::Adnominal {
            if let Some(h) = b.head {
                // YにあるXのZ: the clause modifies the head noun of the phrase
                // (Z), not a の-phrase inside it; and a bare noun before a
                // name stands in apposition to it (展開するキャラクター「X」).
                // XとのZ is no such phrase: the clause modifies X.
                let mut h = h;
                loop {
                    let x = &sent.bs[h];
                    let plain_no = x.case == Some(Particle::No)
                        && x.function
                            .iter()
                            .rev()
                            .nth(1)
                            .and_then(|c| Particle::parse(c))
                            .is_none();
                    let apposition = x.case.is_none()
                        && x.function.last().is_none_or(|f| f != "、")
                        && sent.ments[h].iter().all(|m| sent.describes_noun(h, m));
                    if !(x.link == Link::Adnominal
                        && x.kind == Kind::Nominal
                        && (plain_no || apposition))
                    {
                        break;
                    }
                    match x.head {
                        Some(next) => h = next,
                        None => break,
                    }
                }
                // A cleft (Yで主演を務めるのはXだ): the clause's head is the
                // nominaliser の, topic of a sentence whose predicate names who
                // or what fills the gap. That predicate is the sentence's last
                // noun when the の-topic hangs elsewhere (Yを演じるのは、…を
                // 果たしたX。: the chunker attaches it to the verb of X's
                // own clause). The focus says the filler as plainly as a
                // particle would.
                let mut cleft = false;
                if sent.bs[h].topic && sent.content(h) == "の" {
                    let nominal =
                        |f: &usize| matches!(sent.bs[*f].kind, Kind::Nominal | Kind::Copula);
                    // Not from inside a quotation: the sentence's last noun
                    // is then the speaker's (「…演じるのは楽しかった」と語るX).
                    let quoted = sent.quoted(sent.s.tokens[sent.bs[h].tokens.start].start);
                    let last = (h + 1..sent.bs.len())
                        .rev()
                        .find(|&f| sent.bs[f].link == Link::Final && sent.bs[f].kind != Kind::Other)
                        .filter(|_| !quoted);
                    if let Some(focus) = sent.bs[h].head.filter(nominal).or(last.filter(nominal)) {
                        h = focus;
                        cleft = true;
                    }
                }
                // Xを演じたAや、『Y』のB: after と or や and a comma, a
                // conjunct with a の-phrase of its own is described by that,
                // not by the clause before A.
                let set_off = sent.bs[h].case == Some(Particle::To)
                    && sent.bs[h].function.last().is_some_and(|f| f == "、")
                    && sent.bs[h]
                        .head
                        .is_some_and(|c| c > h + 1 && sent.bs[c - 1].case == Some(Particle::No));
                // 発売する新モデル、Aや…に対応した「Y」: a bare noun the clause
                // modifies, set off by a comma before names that a case particle
                // closes, is not listed with them; they are another predicate's
                // (対応した) argument. A list no particle closes is the noun's
                // apposition (…を背負う一人、X).
                let mut last = h;
                while sent.bs[last].link == Link::Coordinate {
                    match sent.bs[last].head {
                        Some(n) if n > last => last = n,
                        _ => break,
                    }
                }
                let bare_listed = sent.bs[h].link == Link::Coordinate
                    && sent.bs[h].function.last().is_some_and(|f| f == "、")
                    && sent.head_entity(h).is_none()
                    && (sent.bs[last].link == Link::Argument
                        || sent.bs[last].case.is_some_and(|c| {
                            matches!(c, Particle::Ga | Particle::Wo | Particle::Ni | Particle::De)
                        }));
                // 移籍したこと, 出演した際、X: a dependent noun makes the clause
                // a complement, not a description of a thing it or a name
                // after it names.
                let content = &sent.s.tokens[sent.bs[h].content.clone()];
                let dependent = content.first().is_some_and(|t| {
                    t.is_dependent() || content.len() == 1 && t.is_adverbial_noun()
                });
                let mut entities = match sent.head_entity(h) {
                    Some(e) if set_off => vec![e],
                    _ if bare_listed || dependent => Vec::new(),
                    _ => sent.conjuncts(h),
                };
                // TはYが手がけるZだ: a head noun that is the sentence's
                // predicate and names nothing stands for the topic.
                let becomes = |x: &Bunsetsu| {
                    matches!(x.case, Some(Particle::To | Particle::Ni))
                        && x.head.is_some_and(|n| sent.bs[n].lemma == "なる")
                };
                let predicative = matches!(sent.bs[h].kind, Kind::Copula)
                    || sent.bs[h].kind == Kind::Nominal && sent.bs[h].link == Link::Final
                    || becomes(&sent.bs[h])
                    || sent.bs[h].is_continuing_copula();
                let from_topic = entities.is_empty() && predicative;
                if from_topic {
                    if let Some(t) = first_topic(&sent.bs, p) {
                        entities = sent.conjuncts(t);
                    }
                }
                unnamed_head = !dependent && entities.is_empty();
                head = (!cleft).then_some(h);
                // TはYが開発しているZだ: the head noun is the topic's
                // predicate, and the topic says it as plainly.
                if predicative {
                    gaps.append(&mut stray_topics);
                }
                gaps.push(Gap {
                    entities,
                    weight: 0.9,
                    discourse: false,
                    topic: false,
                    said: cleft.then_some(h),
                    head: !cleft && !from_topic,
                    described: !cleft,
                });
            }
        }
        gaps.extend(stray_topics);
        // Subjects and topics earlier in the sentence, nearest first; the
        // subject of a relative clause (XがVするY) after the others, since it
        // is that clause's own (AはBが展開するCを発売した: A sells C).
        let mut embedded = Vec::new();
        for j in (0..p).rev() {
            let x = &sent.bs[j];
            let subjectish = x.is_bare_topic() || x.case == Some(Particle::Ga);
            if subjectish && x.head != Some(p) && x.link == Link::Argument {
                let gap = Gap {
                    entities: sent.conjuncts(j),
                    weight: 0.85,
                    discourse: false,
                    topic: !b.passive && sent.subject_topic(j),
                    said: None,
                    head: false,
                    described: false,
                };
                let relative = x.case == Some(Particle::Ga)
                    && x.head.is_some_and(|h| {
                        h < p && sent.bs[h].is_predicate() && sent.bs[h].link == Link::Adnominal
                    });
                if relative {
                    embedded.push(gap);
                } else {
                    gaps.push(gap);
                }
            }
        }
        gaps.extend(embedded);
        // Vし、…VたY: a verb chained into a relative clause that modifies a
        // name shares that clause's subject, the name, never an earlier topic
        // (not so before a noun like 予定: 退任し、顧問に就く予定だ).
        let into_relative = b.link == Link::Conjunctive
            && b.head.is_some_and(|h| {
                sent.bs[h].is_predicate()
                    && sent.bs[h].link == Link::Adnominal
                    && sent.bs[h]
                        .head
                        .is_some_and(|n| !sent.conjuncts(n).is_empty())
            });
        if !carried.is_empty() && !into_relative {
            gaps.push(Gap {
                entities: carried.to_vec(),
                weight: 0.7,
                discourse: true,
                topic: false,
                said: None,
                head: false,
                described: false,
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
            unnamed_head,
            head,
        });
    }
    nominal_frames(sent, &asserted, &mut frames);
    frames.retain(|f| !hearsay[f.pred]);
    frames
}

/// Event nouns as predicates: `XによるYの買収`, `Yの買収を発表`, `Yへの出資を
/// 決めた`. A サ変 noun that some rule lists as a predicate and that is an
/// argument of a verb gets a frame of its own: its の-phrases are objects (を, or
/// the particle before の: へ, と, から, で), a による-phrase is the subject, and
/// the subject of the governing verb fills the gap.
pub(super) fn nominal_frames(sent: &Sent, asserted: &[bool], frames: &mut Vec<Frame>) {
    let mut out = Vec::new();
    for (p, b) in sent.bs.iter().enumerate() {
        if b.kind != Kind::Nominal || b.link != Link::Argument || b.case.is_none() {
            continue;
        }
        let Some(last) = sent.s.tokens.get(b.content.end.wrapping_sub(1)) else {
            continue;
        };
        let predicate =
            last.is_sahen() && sent.rules.prepared().rules_of.contains_key(last.surface);
        if !predicate {
            continue;
        }
        let mut args = Vec::new();
        for j in (0..p).rev() {
            let x = &sent.bs[j];
            // Only the phrases of this noun: stop at the first that is not one.
            let own = x.head == Some(p) && x.link == Link::Adnominal;
            if own && x.kind == Kind::Nominal && x.case == Some(Particle::No) {
                let inner = x.function.iter().rev().nth(1);
                let deep = inner
                    .and_then(|c| Particle::parse(c))
                    .filter(|c| {
                        matches!(
                            c,
                            Particle::He | Particle::To | Particle::Kara | Particle::De
                        )
                    })
                    .unwrap_or(Particle::Wo);
                args.push(Arg {
                    b: j,
                    surface: Particle::No,
                    deep,
                    passive: false,
                });
            } else if matches!(x.case, Some(Particle::NiYoru | Particle::NiYotte))
                && (j + 1..p).all(|k| sent.bs[k].head.is_some_and(|h| h <= p))
            {
                args.push(Arg {
                    b: j,
                    surface: Particle::NiYoru,
                    deep: Particle::Ga,
                    passive: false,
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
            for a in governor.args.iter().filter(|a| a.deep == Particle::Ga) {
                gaps.push(Gap {
                    entities: sent.conjuncts(a.b),
                    weight: 1.0,
                    discourse: false,
                    topic: false,
                    said: None,
                    head: false,
                    described: false,
                });
            }
            gaps.extend(governor.gaps.iter().cloned());
        }
        gaps.retain(|g| g.topic || !g.entities.is_empty());
        out.push(Frame {
            pred: p,
            nominal: true,
            lemma: last.surface.to_string(),
            asserted: asserted[p],
            args,
            gaps,
            unnamed_head: false,
            head: None,
        });
    }
    frames.extend(out);
}
