//! `[[genitive_rule]]`: a bare `XのY` between two entities, decided by their
//! types alone (X県のY市 → Y located_in X).
use crate::document::Fact;
use crate::grammar::Particle;
use crate::relations::bunsetsu::{Kind, Link};
use crate::relations::facts::RuleLink;
use crate::relations::sentence::Sent;

/// Pairs (modifier, head) of entities that stand as `XのY`: a の-phrase and
/// the name it modifies; in a sentence `TはXの…Zだ` whose predicate noun names
/// nothing, the topic T as the head; and two names written together with
/// nothing between them (X県Y市).
pub(in crate::relations) fn genitive_pairs(sent: &Sent) -> Vec<(usize, usize)> {
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
        if x.case != Some(Particle::No) || x.link != Link::Adnominal || x.kind != Kind::Nominal {
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
pub(in crate::relations) fn apply(sent: &Sent, facts: &mut Vec<Fact>) {
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
