//! `[[noun_rule]]`: a role noun (社長, 創業者, 子会社…) relates the one who
//! holds the role to the one it belongs to: Xの社長Y, Y社長, YはXの社長だ,
//! Xの創設者であるY, Yが社長を務める.
use crate::document::{EntityType, Fact, ValueKind};
use crate::grammar::Particle;
use crate::relations::bunsetsu::{first_topic, Kind, Link};
use crate::relations::facts::{former_qualifier, RuleLink};
use crate::relations::frames::Frame;
use crate::relations::roles::{gap_fill, role_qualifier, Slot};
use crate::relations::sentence::Sent;
use crate::relations::NounRule;

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
                if let (Some(&h), Some(&o)) = (
                    hs.first(),
                    os.first().filter(|&&o| owner_form_ok(sent, rule, o)),
                ) {
                    let role = sent.role_text(b, cue_start, cue_end);
                    let link = RuleLink::noun(rule, true, rule.confidence * 0.9);
                    link.push(sent, facts, h, o, vec![role_qualifier(&role)]);
                    continue;
                }
            }
            if counted || ranked(sent, rule, b) {
                continue;
            }
            let Some((holders, hw)) = holders(sent, frames, b, cue_start, cue_end, rule) else {
                continue;
            };
            if rule.holder_after && !written_after(sent, b, cue_end, &holders) {
                continue;
            }
            if rule.bare_cue && !sent.content(b).starts_with(cue) {
                continue;
            }
            let mut weight = hw;
            let reflexive = sent
                .rules
                .reflexives
                .iter()
                .any(|r| sent.content(b).starts_with(r.as_str()));
            let discourse = || {
                // The holder's phrase: the role noun's own (平田誠監督は) or the
                // name it modifies (創業者の木村氏は).
                let own = sent.ments[b].iter().any(|m| holders.contains(&m.entity));
                let hb = if own { Some(b) } else { sent.bs[b].head };
                let subjectish = hb.is_some_and(|h| {
                    let x = &sent.bs[h];
                    x.link == Link::Argument && (x.is_bare_topic() || x.case == Some(Particle::Ga))
                });
                // Quoted speech (「…内藤選手はどう思いましたか?」) is not the
                // narrative whose topic is carried.
                if !rule.discourse_owner
                    || !subjectish
                    || sent.unnamed_owner(b)
                    || sent.quoted(cue_start)
                {
                    return None;
                }
                carried
                    .iter()
                    .copied()
                    .find(|&e| sent.type_ok(e, &rule.owner) && !holders.contains(&e))
                    .map(|e| (e, 0.6))
            };
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
                let topic = first_topic(&sent.bs, b);
                topic
                    .map(|j| sent.conjuncts(j))
                    .unwrap_or_else(|| carried.to_vec())
                    .into_iter()
                    .find(|&e| sent.type_ok(e, &rule.owner) && !holders.contains(&e))
            });
            let owner = match owner {
                Some(o) => Some(o),
                None => discourse().map(|(o, w)| {
                    weight *= w;
                    o
                }),
            };
            let owner = owner.or_else(|| {
                if !rule.article_owner || sent.unnamed_owner(b) || sent.played(&holders) {
                    return None;
                }
                weight *= 0.7;
                // A work the sentence writes in 『』 (主演の香坂ゆりほか…『Y』の
                // 舞台挨拶); with none, the one its headline names.
                match sent.titled_works(&rule.owner)[..] {
                    [] => sent.article_subject(&rule.owner, &holders, true),
                    [w] => Some(w),
                    _ => None,
                }
            });
            let Some(owner) = owner.filter(|&o| owner_form_ok(sent, rule, o)) else {
                continue;
            };
            let asserted = frames
                .iter()
                .find(|f| Some(f.pred) == sent.bs[b].head || f.pred == b)
                .is_none_or(|f| f.asserted);
            let role = sent.role_text(b, cue_start, cue_end);
            let link = RuleLink::noun(rule, asserted, rule.confidence * weight);
            let mut quals = vec![role_qualifier(&role)];
            if sent.rules.state_relations.contains(&rule.relation) && sent.past_role(b) {
                quals.push(former_qualifier());
            }
            for o in agents(sent, rule, b, cue_start, owner, &holders) {
                for &h in &holders {
                    link.push(sent, facts, h, o, quals.clone());
                }
            }
        }
    }
}

/// The owner, and for a rule whose owner is the agent (X出演の『Y』, X監督作品)
/// written right before the cue, the people coordinated with it (A、B出演の
/// 『Y』: both are in it). A list before a title of office (A、B社長) is not
/// read so, nor one of companies and parts (VGA液晶、X製CPU: a spec list).
fn agents(
    sent: &Sent,
    rule: &NounRule,
    b: usize,
    cue_start: usize,
    owner: usize,
    holders: &[usize],
) -> Vec<usize> {
    // A、Bら出演: ら closes the list.
    let written_before = sent.ments[b].iter().any(|m| {
        let gap = sent.s.sentence.text_between(m.end, cue_start);
        m.entity == owner && m.end <= cue_start && matches!(gap.as_str(), "" | "ら" | "等")
    });
    if !rule.invert || !written_before {
        return vec![owner];
    }
    let mut out = vec![owner];
    for e in sent.conjuncts(b) {
        let person = sent.etype(e) == EntityType::Person;
        if person && !out.contains(&e) && !holders.contains(&e) && sent.type_ok(e, &rule.owner) {
            out.push(e);
        }
    }
    out
}

/// Whether the role noun in bunsetsu `b` is what a rank verb attains
/// (トップに輝く): a place in a ranking, which has no owner to head.
fn ranked(sent: &Sent, rule: &NounRule, b: usize) -> bool {
    sent.bs[b].case == Some(Particle::Ni)
        && sent.bs[b]
            .head
            .is_some_and(|h| rule.rank_verbs.contains(&sent.bs[h].lemma))
}

/// Whether the holders are named after the role noun in bunsetsu `b`: in
/// it, after the cue (主演・X), or as the noun its の-phrase modifies
/// (主演のX), not before it (X主演の) nor as a clause's subject.
fn written_after(sent: &Sent, b: usize, cue_end: usize, holders: &[usize]) -> bool {
    let bs = &sent.bs[b];
    let after_cue = sent.ments[b]
        .iter()
        .any(|m| m.start >= cue_end && holders.contains(&m.entity));
    let before_cue = sent.ments[b]
        .iter()
        .any(|m| m.end <= cue_end && holders.contains(&m.entity));
    after_cue || !before_cue && bs.link == Link::Adnominal && bs.case == Some(Particle::No)
}

/// Whether the owner's name has the endings the rule asks for and none it
/// rules out.
fn owner_form_ok(sent: &Sent, rule: &NounRule, owner: usize) -> bool {
    let label = &sent.res.entities[owner].label;
    let ends = |list: &[String]| list.iter().any(|x| label.ends_with(x.as_str()));
    (rule.owner_suffixes.is_empty() || ends(&rule.owner_suffixes))
        && !ends(&rule.owner_not_suffixes)
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
    rule: &NounRule,
) -> Option<(Vec<usize>, f32)> {
    let types = &rule.holder[..];
    let ok = |e: &usize| sent.type_ok(*e, types);
    // X製Androidスマートフォン「Y」: the name after the cue describes the
    // noun, whose own name comes after it.
    if let Some(m) = sent.ments[b]
        .iter()
        .find(|m| m.start >= cue_end && ok(&m.entity) && !sent.describes_noun(b, m))
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
    // 受賞歴のあるY, 受賞経験を持つY: the role noun is what the clause's verb
    // says Y has, so Y holds it.
    let having = bs.head.filter(|&v| {
        let x = &sent.bs[v];
        // The の of のある is the subject's: the chunker leaves it unmarked.
        matches!(
            bs.case,
            None | Some(Particle::No | Particle::Ga | Particle::Wo)
        ) && x.link == Link::Adnominal
            && rule.holder_verbs.contains(&x.lemma)
    });
    // Only the name the clause runs into: of AとB, the record is said of A
    // alone as often as of both.
    if let Some(h) = having.and_then(|v| sent.bs[v].head) {
        return sent.head_entity(h).filter(ok).map(|e| (vec![e], 0.9));
    }
    // Xの社長のY, 社長であるY, and a bare noun in apposition (X製タブレット「Y」).
    let apposition = bs.kind == Kind::Nominal && bs.case.is_none();
    if bs.link == Link::Adnominal
        && (bs.kind == Kind::Copula || bs.case == Some(Particle::No) || apposition)
    {
        let mut h = bs.head?;
        // Xの代表のY選手: Y holds a role of its own (選手), of which the
        // phrase with the first role noun is the owner, not Y's role.
        if bs.case == Some(Particle::No) && sent.cue(h).is_some() {
            return None;
        }
        // AI半導体「NX-Core」: walk through bare nouns in apposition, also
        // past a name that only describes the one after it (最新Android
        // スマートフォン「Y」: Y is the product).
        let named = |j: usize| sent.ments[j].iter().any(|m| ok(&m.entity));
        while sent.bs[h].link == Link::Adnominal
            && sent.bs[h].case.is_none()
            && sent.bs[h].kind == Kind::Nominal
        {
            let next = sent.bs[h].head?;
            if !sent.ments[h].is_empty() && !named(next) {
                break;
            }
            h = next;
        }
        let ents: Vec<usize> = sent.conjuncts(h).into_iter().filter(ok).collect();
        if !ents.is_empty() {
            return Some((ents, 0.95));
        }
    }
    // Xの社長、Y氏 / X社長、Y氏: the role noun in apposition to the name after
    // the comma (a name before the cue owns it).
    if bs.link == Link::Coordinate && sent.ments[b].iter().all(|m| m.end <= cue_start) {
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
    // The role noun is a predicate (…の社長だ) or the complement of one; a
    // role noun with で and a comma (Xの子会社で、) is a predicate too, of a
    // clause that goes on.
    let copula_de = bs.is_continuing_copula();
    let pred = if bs.kind == Kind::Copula && bs.link != Link::Adnominal {
        Some(b)
    } else if bs.link == Link::Argument
        && (copula_de
            || matches!(
                bs.case,
                Some(Particle::Wo | Particle::Ni | Particle::Toshite)
            ))
    {
        bs.head
    } else {
        None
    }?;
    let f = frames.iter().find(|f| f.pred == pred)?;
    if bs.case == Some(Particle::Wo)
        && !copula_de
        && !sent.rules.serving_verbs.contains(&sent.bs[pred].lemma)
    {
        return None;
    }
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
    if rule.explicit_holder {
        return None;
    }
    gap_fill(sent, f, types, &[], Slot::Subject).map(|(e, w)| (e, w * 0.9))
}
