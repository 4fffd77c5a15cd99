//! `[[rule]]`: a predicate lemma and a case frame. Each rule whose predicate
//! and required arguments a frame has fills its subject and object roles; a
//! predicate no rule maps gives an open fact when it has a subject and an
//! object entity.
use crate::document::{Fact, Object, ValueKind};
use crate::grammar::Particle;
use crate::relations::bunsetsu::Kind;
use crate::relations::facts::{former_qualifier, Found};
use crate::relations::frames::Frame;
use crate::relations::roles::{fill, frame_qualifiers, gap_fill, Fill, Slot};
use crate::relations::sentence::Sent;
use crate::relations::{RelationRule, Role};

/// Whether the frame has the further arguments `rule` requires (its
/// predicate is the frame's: see [`apply`]).
fn requirements_met(sent: &Sent, f: &Frame, rule: &RelationRule) -> bool {
    rule.requires.iter().all(|req| {
        let wanted: Vec<&str> = sent.rules.expand(&req.cues).collect();
        f.args.iter().any(|a| {
            a.fills(req)
                && (wanted.is_empty() || sent.cue(a.b).is_some_and(|(c, _, _)| wanted.contains(&c)))
        })
    })
}

pub(in crate::relations) fn apply(sent: &Sent, f: &Frame, facts: &mut Vec<Fact>) {
    // The rules that list the frame's predicate, in file order.
    let candidates = sent.rules.prepared().rules_of.get(f.lemma.as_str());
    let mut mapped = false;
    for rule in candidates
        .into_iter()
        .flatten()
        .map(|&i| &sent.rules.rules[i])
    {
        if !requirements_met(sent, f, rule) {
            continue;
        }
        mapped = true;
        if head_names_nothing_it_must_fill(sent, f, rule) {
            continue;
        }
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
        let plain_de = matches!(obj, Fill::Blocked) && blocked_by_plain_de(sent, f, &rule.object);
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
            Fill::CueOnly(_) if f.nominal || rule.object.explicit => continue,
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
            // Xが演じる『Y』: a clause that modifies a work it writes in 『』
            // names the work itself, whatever the article is about (a part in
            // 「」 or “” it modifies is no work).
            // A で-phrase that names nothing (殺し屋でX演じる, 予告編で) is no
            // other work either; one in brackets (映画「…」で) or marked に
            // (他の作品に出演) may be.
            Fill::Missing | Fill::Blocked
                if rule.object.article_subject && (matches!(obj, Fill::Missing) || plain_de) =>
            {
                let modified = f.head.and_then(|h| {
                    sent.ments[h]
                        .iter()
                        .filter(|m| sent.s.sentence.fills_work_brackets(m.start, m.end))
                        .map(|m| m.entity)
                        .find(|&e| sent.type_ok(e, &rule.object.types) && !subjects.contains(&e))
                });
                let describes_other = rule.object.unless_describing
                    && f.head
                        .is_some_and(|h| !sent.conjuncts(h).iter().any(|e| subjects.contains(e)));
                match modified {
                    Some(e) => (vec![Object::Entity(e)], 0.9),
                    None if describes_other => continue,
                    None => match sent.article_subject(&rule.object.types, &subjects, false) {
                        Some(e) => (vec![Object::Entity(e)], 0.7),
                        None => continue,
                    },
                }
            }
            Fill::Missing | Fill::Blocked if rule.symmetric && subjects.len() >= 2 => {
                (Vec::new(), 1.0)
            }
            _ => continue,
        };
        let unwanted = |o: &Object| match o {
            Object::Entity(e) => rule
                .object
                .not_suffixes
                .iter()
                .any(|x| sent.res.entities[*e].label.ends_with(x.as_str())),
            Object::Literal { .. } => false,
        };
        if objects.iter().any(unwanted) {
            continue;
        }
        if sent.rules.state_relations.contains(&rule.relation) && past_state(sent, f) {
            quals.push(former_qualifier());
        }
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
            Found {
                subject: s,
                relation: &rule.relation,
                object: o,
                open: false,
                asserted: f.asserted,
                rule: &rule.id,
                confidence: conf,
                qualifiers: quals.clone(),
            }
            .record(sent, facts);
        }
    }
    if !mapped {
        open_fact(sent, f, facts);
    }
}

/// Whether every phrase that marks the role is a で-phrase without a
/// bracketed title, a scene or a part (予告編で, 殺し屋で), or a に-phrase
/// that means "besides" (その他に): not a work.
fn blocked_by_plain_de(sent: &Sent, f: &Frame, role: &Role) -> bool {
    let mut marking = f.args.iter().filter(|a| a.fills(role)).peekable();
    let besides = |b: usize| sent.rules.besides.contains(&sent.content(b));
    marking.peek().is_some()
        && marking.all(|a| {
            a.deep == Particle::Ni && besides(a.b)
                || a.deep == Particle::De
                    && sent
                        .subtree(a.b)
                        .into_iter()
                        .flat_map(|b| &sent.s.tokens[sent.bs[b].tokens.clone()])
                        .all(|t| !matches!(t.surface, "「" | "『"))
        })
}

/// Whether a relative clause's head noun names nothing of the kind it must
/// be to fill one of the rule's roles: the one of subject and object its
/// clause leaves unmarked (四谷にある大使館: the が-role, as に is marked; Y
/// にある会場X, X a venue read as a product, for a role of organisations and
/// places). No topic or earlier subject may stand in for the head noun then.
fn head_names_nothing_it_must_fill(sent: &Sent, f: &Frame, rule: &RelationRule) -> bool {
    // An event noun's frame (Yの監督) modifies no noun of its own.
    let head = f.gaps.iter().find(|g| g.head && !f.nominal);
    let unfit = |role: &Role| {
        f.unnamed_head
            || head.is_some_and(|g| !g.entities.iter().any(|&e| sent.type_ok(e, &role.types)))
    };
    if !f.unnamed_head && head.is_none() {
        return false;
    }
    let marked = |role: &Role| {
        f.args.iter().any(|a| a.fills(role))
            || role.particles.contains(&Particle::Ga) && f.bare_subject(sent)
    };
    let core = |role: &Role| {
        role.literal.is_none()
            && role
                .particles
                .iter()
                .any(|p| matches!(p, Particle::Ga | Particle::Wo | Particle::Ni))
    };
    let (s, o) = (&rule.subject, &rule.object);
    (marked(o) && !marked(s) && core(s) && unfit(s))
        || (marked(s) && !marked(o) && core(o) && unfit(o))
}

/// Whether a frame tells of a state that held before: the past progressive
/// (所属していた, 勤めていた) or a phrase setting a past period (学生時代に).
fn past_state(sent: &Sent, f: &Frame) -> bool {
    let function = &sent.bs[f.pred].function;
    let progressive_past = function
        .iter()
        .position(|w| w == "いる")
        .is_some_and(|k| function[k + 1..].iter().any(|w| w == "た"));
    let period = (0..f.pred).any(|j| {
        (sent.bs[j].head == Some(f.pred) || sent.bs[j].kind == Kind::Other)
            && sent
                .rules
                .past_periods
                .iter()
                .any(|p| sent.content(j).ends_with(p.as_str()))
    });
    progressive_past || period
}

/// A predicate no rule maps, with a subject and an object entity.
pub(in crate::relations) fn open_fact(sent: &Sent, f: &Frame, facts: &mut Vec<Fact>) {
    if sent.bs[f.pred].kind != Kind::Verbal || sent.rules.open_skip.contains(&f.lemma) {
        return;
    }
    let explicit = |particles: &[Particle]| {
        particles.iter().find_map(|p| {
            f.args
                .iter()
                .rev()
                .find(|a| a.deep == *p)
                .and_then(|a| sent.conjuncts(a.b).first().copied())
        })
    };
    let subject = explicit(&[Particle::Ga]).or_else(|| {
        f.gaps
            .first()
            .filter(|g| g.weight >= 1.0)
            .and_then(|g| g.entities.first().copied())
    });
    let object = explicit(&[Particle::Wo, Particle::Ni, Particle::To, Particle::Kara]);
    if let (Some(s), Some(o)) = (subject, object) {
        Found {
            subject: s,
            relation: &f.lemma,
            object: Object::Entity(o),
            open: true,
            asserted: f.asserted,
            rule: "open",
            confidence: sent.rules.open_confidence,
            qualifiers: frame_qualifiers(sent, f, None),
        }
        .record(sent, facts);
    }
}
