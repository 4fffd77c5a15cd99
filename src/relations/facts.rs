//! Recording facts: what a rule found, with the sentence's provenance
//! attached, and one fact per (subject, relation, object, sentence) at the end.
use std::collections::BTreeMap;

use super::sentence::Sent;
use super::NounRule;
use crate::document::{Fact, Object, Qualifier};

pub(super) use crate::document::FORMER;

/// The qualifier that marks a fact former.
pub(super) fn former_qualifier() -> Qualifier {
    Qualifier {
        property: FORMER.into(),
        value: "true".into(),
        unit: None,
        surface: String::new(),
    }
}

/// A fact a rule found in a sentence, before the sentence's provenance is
/// attached.
pub(super) struct Found<'r> {
    pub(super) subject: usize,
    /// A relation of the vocabulary, or the predicate lemma when `open`.
    pub(super) relation: &'r str,
    pub(super) object: Object,
    pub(super) open: bool,
    pub(super) asserted: bool,
    /// The rule's id (`open` for open facts).
    pub(super) rule: &'r str,
    pub(super) confidence: f32,
    pub(super) qualifiers: Vec<Qualifier>,
}

impl Found<'_> {
    /// Adds the fact, from sentence `sent`, to `facts`; a fact relating an
    /// entity to itself is dropped, and so are repeated qualifiers.
    pub(super) fn record(self, sent: &Sent, facts: &mut Vec<Fact>) {
        if self.object == Object::Entity(self.subject) {
            return;
        }
        let part = |e: &usize| sent.written_as_part(*e);
        if part(&self.subject) || matches!(&self.object, Object::Entity(o) if part(o)) {
            return;
        }
        let mut qualifiers = self.qualifiers;
        // A role held before (元社長, 前監督) is no present fact: kept, marked
        // former, and not asserted.
        let marked = qualifiers.iter().any(|q| q.property == FORMER);
        // So is a state in what the text names as left (元ABC12のメンバー).
        let left_owner = matches!(&self.object, Object::Entity(o)
            if sent.rules.state_relations.iter().any(|r| r == self.relation) && sent.former_name(*o));
        let former = marked
            || left_owner
            || qualifiers
                .iter()
                .any(|q| q.property == "role" && sent.is_former(&q.value));
        if former && !marked {
            qualifiers.push(former_qualifier());
        }
        let mut seen = Vec::new();
        qualifiers.retain(|q| {
            let key = (q.property.clone(), q.value.clone());
            let fresh = !seen.contains(&key);
            seen.push(key);
            fresh
        });
        facts.push(Fact {
            subject: self.subject,
            relation: self.relation.to_string(),
            object: self.object,
            open: self.open,
            asserted: self.asserted && !former,
            sentence: sent.si,
            start: sent.s.sentence.start,
            end: sent.s.sentence.end,
            rule: self.rule.to_string(),
            confidence: self.confidence.clamp(0.0, 1.0),
            qualifiers,
        });
    }
}

/// A noun or genitive rule that has fired: relates a holder (or head noun) to
/// its owner (or modifier), swapped when the rule says so.
pub(super) struct RuleLink<'r> {
    pub(super) relation: &'r str,
    pub(super) rule: &'r str,
    pub(super) invert: bool,
    pub(super) asserted: bool,
    pub(super) confidence: f32,
}

impl<'r> RuleLink<'r> {
    /// The link of a rule whose facts are always asserted (XのY, parentheses,
    /// labelled lines).
    pub(super) fn asserted(
        relation: &'r str,
        rule: &'r str,
        invert: bool,
        confidence: f32,
    ) -> Self {
        RuleLink {
            relation,
            rule,
            invert,
            asserted: true,
            confidence,
        }
    }
    pub(super) fn noun(rule: &'r NounRule, asserted: bool, confidence: f32) -> Self {
        RuleLink {
            relation: &rule.relation,
            rule: &rule.id,
            invert: rule.invert,
            asserted,
            confidence,
        }
    }
    pub(super) fn push(
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
        Found {
            subject: s,
            relation: self.relation,
            object: Object::Entity(o),
            open: false,
            asserted: self.asserted,
            rule: self.rule,
            confidence: self.confidence,
            qualifiers: quals,
        }
        .record(sent, facts);
    }
}

/// One fact per (subject, relation, object, sentence): the most confident, with
/// the qualifiers of all.
pub(super) fn dedupe(facts: Vec<Fact>) -> Vec<Fact> {
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

/// Drops the facts of rules that defer (`defers = true`) when a fact of
/// another rule in the same sentence has the same relation and object and
/// another subject: the seller of a product gives way to its maker.
pub(super) fn drop_deferred(facts: Vec<Fact>, defers: impl Fn(&str) -> bool) -> Vec<Fact> {
    let deferring: Vec<bool> = facts.iter().map(|f| defers(&f.rule)).collect();
    if !deferring.contains(&true) {
        return facts;
    }
    let keep: Vec<bool> = facts
        .iter()
        .zip(&deferring)
        .map(|(f, &deferred)| {
            !deferred
                || !facts.iter().zip(&deferring).any(|(g, &also)| {
                    !also
                        && g.sentence == f.sentence
                        && g.relation == f.relation
                        && g.object == f.object
                        && g.subject != f.subject
                })
        })
        .collect();
    facts
        .into_iter()
        .zip(keep)
        .filter_map(|(f, keep)| keep.then_some(f))
        .collect()
}
