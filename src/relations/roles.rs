//! Filling a rule's roles from a frame: an argument with the role's particle
//! and entity types, a role noun standing for its owner (Xの責任者に → X), a
//! literal value, or a gap; and the qualifiers (money, share, date, role)
//! the frame states.
use super::bunsetsu::{first_topic, Link};
use super::frames::Frame;
use super::sentence::Sent;
use super::Role;
use crate::document::{EntityType, Qualifier, ValueKind, ValueMention};
use crate::grammar::Particle;

pub(super) enum Fill {
    Entities(Vec<usize>, f32, Option<Qualifier>),
    Literal(ValueMention),
    /// A cue noun matched but no owner was found for it.
    CueOnly(Qualifier),
    /// The role's particle marks a non-entity: no gap may fill it.
    Blocked,
    Missing,
}

pub(super) fn qualifier(property: &str, v: &ValueMention) -> Qualifier {
    Qualifier {
        property: property.to_string(),
        value: v.value.clone(),
        unit: v.unit.clone(),
        surface: v.surface.clone(),
    }
}

/// Money, shares, dates, head counts and roles stated in the frame.
pub(super) fn frame_qualifiers(
    sent: &Sent,
    f: &Frame,
    skip: Option<&ValueMention>,
) -> Vec<Qualifier> {
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
    for a in f.args.iter().filter(|a| a.surface == Particle::Toshite) {
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

pub(super) fn role_qualifier(role: &str) -> Qualifier {
    Qualifier {
        property: "role".into(),
        value: role.to_string(),
        unit: None,
        surface: role.to_string(),
    }
}

pub(super) fn fill(sent: &Sent, f: &Frame, role: &Role, used: &[usize]) -> Fill {
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
    // Entities of every argument with the role's particle: a predicate may
    // take two (AをX日から、BをY日から発売する).
    let mut named: Vec<usize> = Vec::new();
    for a in f.args.iter().rev() {
        if !a.fills(role) {
            continue;
        }
        let ents: Vec<usize> = sent
            .conjuncts(a.b)
            .into_iter()
            .filter(|&e| sent.type_ok(e, &role.types) && !used.contains(&e))
            .collect();
        if wanted.is_empty() && !ents.is_empty() {
            for e in ents {
                if !named.contains(&e) {
                    named.insert(0, e);
                }
            }
            continue;
        }
        if !named.is_empty() {
            continue;
        }
        // A role noun stands for its owner: Xの責任者に → X; so does one
        // that a quantity of it is of (Xの株式の10%を → X).
        let cued = sent.cue(a.b).map(|c| (a.b, c)).or_else(|| {
            sent.values_in(a.b).next()?;
            (0..a.b).rev().find_map(|j| {
                let x = &sent.bs[j];
                (x.head == Some(a.b) && x.link == Link::Adnominal && x.case == Some(Particle::No))
                    .then(|| sent.cue(j).map(|c| (j, c)))
                    .flatten()
            })
        });
        match cued {
            Some((cb, (cue, start, end))) if wanted.contains(&cue) || stand_ins.contains(&cue) => {
                let q = role_qualifier(&sent.role_text(cb, start, end));
                match sent.owner(cb, start, &role.types, used) {
                    Some(e) => return Fill::Entities(vec![e], 0.9, Some(q)),
                    None if sent.unnamed_owner(cb) => blocked = true,
                    // Only a cue the rule asks for may take its owner from
                    // the discourse (ハ氏がCEOを務める → the topic company).
                    None if !wanted.is_empty() => cue_only = Some(q),
                    None => blocked = true,
                }
            }
            _ => blocked = true,
        }
    }
    if named.is_empty() && !role.chain_predicates.is_empty() {
        named = chained(sent, f, role, used);
    }
    if !named.is_empty() {
        return Fill::Entities(named, 1.0, None);
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
    if role.explicit {
        // What the clause says without a particle (X演じる, Xは…演じる) is
        // said, not guessed: its last name may be the subject (in A、B演じるC
        // the names before B are of other things).
        // Xは、Y演じるZ: the bare noun right before the verb is its subject,
        // not a topic further back (the character Z the clause describes,
        // when the verb is misread as the sentence's end).
        let said = f
            .gaps
            .iter()
            .filter_map(|g| g.said)
            .filter(|&b| !sent.bs[b].topic)
            .max()
            .or_else(|| f.gaps.iter().find_map(|g| g.said));
        if let Some(b) = said.filter(|_| Slot::of(&role.particles) == Slot::Subject) {
            // A topic says all its conjuncts (A、Bらも出演): only a bare
            // name may follow names of other things.
            let listed: Vec<usize> = if sent.bs[b].topic {
                sent.conjuncts(b)
                    .into_iter()
                    .filter(|&e| sent.type_ok(e, &role.types) && !used.contains(&e))
                    .collect()
            } else {
                Vec::new()
            };
            if listed.len() > 1 {
                return Fill::Entities(listed, 1.0, None);
            }
            if let Some(m) = sent.ments[b].last() {
                if sent.type_ok(m.entity, &role.types) && !used.contains(&m.entity) {
                    return Fill::Entities(vec![m.entity], 1.0, None);
                }
            } else if sent.sums_up(b) {
                // A、Bという俳優たちも出演: the names the noun sums up.
                let named: Vec<usize> = sent
                    .conjuncts(b)
                    .into_iter()
                    .filter(|&e| sent.type_ok(e, &role.types) && !used.contains(&e))
                    .collect();
                if !named.is_empty() {
                    return Fill::Entities(named, 1.0, None);
                }
            }
        }
        return Fill::Missing;
    }
    // A role one gap alone may fill: the noun a relative clause modifies.
    let only = if role.head_if_relative && f.head.is_some() {
        Some(f.gaps.iter().find(|g| g.described))
    } else if role.head_only {
        Some(f.gaps.iter().find(|g| g.head))
    } else {
        None
    };
    if let Some(gap) = only {
        return gap
            .map(|g| {
                let es: Vec<usize> = g
                    .entities
                    .iter()
                    .copied()
                    .filter(|&e| sent.type_ok(e, &role.types) && !used.contains(&e))
                    .collect();
                (es, g.weight)
            })
            .filter(|(es, _)| !es.is_empty())
            .map_or(Fill::Missing, |(es, w)| Fill::Entities(es, w, None));
    }
    if f.nominal && !role.particles.contains(&Particle::Ga) {
        return Fill::Missing;
    }
    // What a passive leaves unsaid before it (its topic, another clause's
    // subject, the noun it modifies) is what was done to, not the doer
    // (XはAとBが合意し、設立された: X was founded): a role only an agent fills
    // takes no gap there.
    let agent_only =
        role.particles.contains(&Particle::Ga) && !role.particles.contains(&Particle::Wo);
    if agent_only && !f.nominal && sent.bs[f.pred].passive {
        return Fill::Missing;
    }
    // What a passive is about is its topic: a topic that names nothing
    // (サウンドトラックは…賞に選ばれている) leaves no name to stand for the
    // passive's subject, as a clause's own topic does for an active one.
    let passive_subject = role.particles.contains(&Particle::Wo)
        && !f.nominal
        && sent.bs[f.pred].passive
        && sent.bs[f.pred].link != Link::Adnominal;
    if passive_subject && unnamed_topic(sent, f) {
        return Fill::Missing;
    }
    gap_fill(sent, f, &role.types, used, Slot::of(&role.particles))
        .map(|(e, w)| Fill::Entities(e, w, None))
        .unwrap_or(Fill::Missing)
}

/// Entities that fill `role` as arguments of a predicate among its
/// `chain_predicates` that runs (連用/て) into the frame's own.
fn chained(sent: &Sent, f: &Frame, role: &Role, used: &[usize]) -> Vec<usize> {
    let runs_in = |q: usize| {
        sent.bs[q].head == Some(f.pred)
            && sent.bs[q].link == Link::Conjunctive
            && role.chain_predicates.contains(&sent.bs[q].lemma)
    };
    let mut out = Vec::new();
    for q in (0..f.pred).filter(|&q| runs_in(q)) {
        // Bとアウエーで対戦し: a と-phrase read as listed with a phrase that
        // names nothing belongs to the predicate that phrase depends on.
        let to_q = |j: usize| {
            let x = &sent.bs[j];
            x.head == Some(q) && x.link == Link::Argument
                || x.case == Some(Particle::To)
                    && x.head
                        .is_some_and(|k| sent.bs[k].head == Some(q) && sent.ments[k].is_empty())
        };
        for j in 0..q {
            let x = &sent.bs[j];
            if !to_q(j) {
                continue;
            }
            if !x.case.is_some_and(|c| role.particles.contains(&c)) {
                continue;
            }
            for e in sent.conjuncts(j) {
                if sent.type_ok(e, &role.types) && !used.contains(&e) && !out.contains(&e) {
                    out.push(e);
                }
            }
        }
    }
    out
}

/// Whether the clause's topic, or the sentence's before it (Xは、…大ヒット
/// 作で、…に選ばれている), is a noun that names no entity and could be its
/// subject (not an anaphor, a time or a scene).
fn unnamed_topic(sent: &Sent, f: &Frame) -> bool {
    let unnamed = |j: usize| sent.subject_topic(j) && sent.conjuncts(j).is_empty();
    f.args
        .iter()
        .any(|a| a.surface == Particle::Wa && unnamed(a.b))
        || first_topic(&sent.bs, f.pred).is_some_and(unnamed)
}

/// What a gap is to fill: the kind of role by its particles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Slot {
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
    pub(super) fn of(particles: &[Particle]) -> Slot {
        if particles.contains(&Particle::Ga) {
            Slot::Subject
        } else if particles.contains(&Particle::Wo) || particles.contains(&Particle::Ni) {
            Slot::Core
        } else {
            Slot::Oblique
        }
    }
}

/// The first gap with entities of the role's types. A subject role stops at a
/// topic of the clause that names no entity (政府はXと連携した: the subject is
/// 政府, not someone from an earlier sentence), and takes no zero subject from
/// earlier sentences when the clause has a topic of its own or is passive; an
/// oblique role takes nothing from earlier sentences.
pub(super) fn gap_fill(
    sent: &Sent,
    f: &Frame,
    types: &[EntityType],
    used: &[usize],
    slot: Slot,
) -> Option<(Vec<usize>, f32)> {
    let subject = slot == Slot::Subject;
    let own_topic = subject && f.gaps.iter().any(|g| g.topic);
    // The agent of a passive (放送された「Y」, 創刊される誌) is left unsaid, not
    // carried: the topic of earlier sentences is what the passive is about.
    let passive_agent = subject && !f.nominal && sent.bs[f.pred].passive;
    for g in &f.gaps {
        if subject && g.topic && g.entities.is_empty() {
            return None;
        }
        if g.discourse && (own_topic || passive_agent || slot == Slot::Oblique) {
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
