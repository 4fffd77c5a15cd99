//! `[[noun_rule]]`: a role noun (社長, 創業者, 子会社…) relates the one who
//! holds the role to the one it belongs to: Xの社長Y, Y社長, YはXの社長だ,
//! Xの創設者であるY, Yが社長を務める.
use crate::document::{EntityType, Fact, ValueKind};
use crate::grammar::Particle;
use crate::relations::bunsetsu::{Kind, Link};
use crate::relations::facts::RuleLink;
use crate::relations::frames::Frame;
use crate::relations::roles::{gap_fill, role_qualifier, Slot};
use crate::relations::sentence::Sent;

pub(in crate::relations) fn apply(
    sent: &Sent,
    frames: &[Frame],
    carried: &[usize],
    facts: &mut Vec<Fact>,
) {
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
                && sent.bs[b - 1].case == Some(Particle::Ga)
                && sent.bs[b].case == Some(Particle::No)
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
                    || matches!(
                        sent.bs[b].case,
                        Some(Particle::Wo | Particle::Ni | Particle::Toshite)
                    );
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
pub(in crate::relations) fn holders(
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
    if bs.link == Link::Adnominal && (bs.kind == Kind::Copula || bs.case == Some(Particle::No)) {
        let mut h = bs.head?;
        // Xの代表のY選手: Y holds a role of its own (選手), of which the
        // phrase with the first role noun is the owner, not Y's role.
        if bs.case == Some(Particle::No) && sent.cue(h).is_some() {
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
        && matches!(
            bs.case,
            Some(Particle::Wo | Particle::Ni | Particle::Toshite)
        )
    {
        bs.head
    } else {
        None
    }?;
    let f = frames.iter().find(|f| f.pred == pred)?;
    // XをYの責任者にする / Xを社長に任命: the object holds the role.
    if matches!(bs.case, Some(Particle::Ni | Particle::Toshite)) {
        for a in f.args.iter().filter(|a| a.deep == Particle::Wo) {
            let ents: Vec<usize> = sent.conjuncts(a.b).into_iter().filter(ok).collect();
            if !ents.is_empty() {
                return Some((ents, 0.9));
            }
        }
    }
    for a in f.args.iter().rev() {
        if a.deep == Particle::Ga {
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
        .any(|a| a.deep == Particle::Ga && a.surface == Particle::Ga && !sent.unresolved[a.b])
    {
        return None;
    }
    gap_fill(sent, f, types, &[], Slot::Subject).map(|(e, w)| (e, w * 0.9))
}
