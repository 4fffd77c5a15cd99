//! Pronouns (彼, 彼女) and anaphors (同社, 同氏, 両社) → the entity they point
//! back to. A small centering model: every resolved mention leaves a trace with
//! its grammatical role (read off the particle after it), and a reference picks
//! among earlier traces of its type:
//! - in object position (を, に, へ) it cannot be the subject of its own clause
//!   (the nearest は/が-marked trace before it in the sentence), and takes the
//!   most recent other candidate (「ZはYの株式を買い、彼を責任者にした」: 彼 = Y);
//! - elsewhere it takes the most salient candidate: role weights
//!   (topic > subject > object > other) summed over its traces, decayed per
//!   sentence of distance, ties to the most recent. A topic two sentences back
//!   thus outweighs a person named in passing in the last one.
//!
//! 両社 ("both companies") comes from the recogniser as two mentions over the
//! same text: the first takes the most salient organisation, the second the most
//! salient other one, so facts about 両社 reach both.
use crate::tokens::Tag;
use std::collections::HashMap;

use super::ResolutionRules;
use crate::document::{AnalyzedSentence, Mention, MentionKind, Resolution};
use crate::grammar::{self, Particle, Role};

/// What a resolved mention leaves for later references.
#[derive(Debug, Clone, Copy)]
struct Trace {
    entity: usize,
    sentence: usize,
    start: usize,
    role: Role,
}

const OPENING: [&str; 4] = ["(", "（", "「", "『"];
const CLOSING: [&str; 5] = [")", "）", "」", "』", "\""];

/// The role of a mention from the particle that follows it, looking through
/// titles (氏, 社長), closing brackets, a parenthesised alias (X(Y)は) and
/// coordination (XとYは: X shares Y's role).
pub(crate) fn role_of(
    sentences: &[AnalyzedSentence],
    mentions: &[Mention],
    starts: &HashMap<(usize, usize), usize>,
    i: usize,
    rules: &ResolutionRules,
) -> Role {
    let m = &mentions[i];
    let Some(s) = sentences.get(m.sentence) else {
        return Role::Other;
    };
    let has = |list: &[String], w: &str| list.iter().any(|x| x == w);
    let mut j = m.tokens.end;
    let mut steps = 0;
    while j < s.tokens.len() && steps < 12 {
        steps += 1;
        let t = &s.tokens[j];
        let w = t.surface;
        let next_mention = starts.get(&(m.sentence, j + 1)).map(|&n| &mentions[n]);
        if grammar::is_coordinator(w) || OPENING.contains(&w) {
            match next_mention {
                Some(n) if n.tokens.end > j + 1 => {
                    j = n.tokens.end;
                    continue;
                }
                _ => return Role::Other,
            }
        }
        if CLOSING.contains(&w) {
            j += 1;
            continue;
        }
        if t.is_particle() {
            return Particle::parse(w).map_or(Role::Other, Particle::role);
        }
        if t.is_noun() && (t.is_suffix() || has(&rules.names.honorifics, w)) {
            j += 1;
            continue;
        }
        // A common noun glued to the name (北斗 + 技研, a name the recogniser
        // cut short): the particle after the whole noun phrase gives the role.
        if j == m.tokens.end && t.is_noun() && t.pos[1] == Tag::General {
            j += 1;
            continue;
        }
        return Role::Other;
    }
    Role::Other
}

fn weight(role: Role, rules: &ResolutionRules) -> f32 {
    let s = &rules.salience;
    match role {
        Role::Topic => s.topic,
        Role::Subject => s.subject,
        Role::Object => s.object,
        Role::Other => s.other,
    }
}

/// How many of the latest resolved mentions a reference weighs. Far more than a
/// salience window of news holds; it bounds the work on text with thousands of
/// references and no sentence break, which was quadratic (105 KB of 同社: 2.7 s).
const MAX_TRACES: usize = 256;

/// Fills `res.mention_entity` for pronouns and anaphors, in article order.
pub(crate) fn resolve_references(
    sentences: &[AnalyzedSentence],
    mentions: &[Mention],
    order: &[usize],
    rules: &ResolutionRules,
    res: &mut Resolution,
) {
    let starts: HashMap<(usize, usize), usize> = order
        .iter()
        .map(|&i| ((mentions[i].sentence, mentions[i].tokens.start), i))
        .collect();
    let mut traces: Vec<Trace> = Vec::new();
    // The pronoun an entity was last called by: 彼 and 彼女 do not share referents.
    let mut pronoun_of: HashMap<usize, String> = HashMap::new();
    // The last reference resolved: a second mention over the same text (両社)
    // takes another entity.
    let mut last: Option<(usize, usize, usize, usize)> = None;
    for &i in order {
        let m = &mentions[i];
        let role = role_of(sentences, mentions, &starts, i, rules);
        let entity = match m.kind {
            MentionKind::Name => res.mention_entity[i],
            MentionKind::Pronoun | MentionKind::Anaphor => {
                let taken = last
                    .filter(|l| (l.0, l.1, l.2) == (m.sentence, m.start, m.end))
                    .map(|l| l.3);
                let recent = &traces[traces.len().saturating_sub(MAX_TRACES)..];
                let e = match taken {
                    Some(t) => {
                        let others: Vec<Trace> =
                            recent.iter().filter(|x| x.entity != t).copied().collect();
                        antecedent(m, role, &others, &pronoun_of, res, rules)
                    }
                    None => antecedent(m, role, recent, &pronoun_of, res, rules),
                };
                if let Some(e) = e {
                    last = Some((m.sentence, m.start, m.end, e));
                }
                res.mention_entity[i] = e;
                if let (Some(e), MentionKind::Pronoun) = (e, m.kind) {
                    pronoun_of.insert(e, m.surface.clone());
                }
                e
            }
        };
        if let Some(entity) = entity {
            traces.push(Trace {
                entity,
                sentence: m.sentence,
                start: m.start,
                role,
            });
        }
    }
}

fn antecedent(
    m: &Mention,
    role: Role,
    traces: &[Trace],
    pronoun_of: &HashMap<usize, String>,
    res: &Resolution,
    rules: &ResolutionRules,
) -> Option<usize> {
    if m.kind == MentionKind::Pronoun
        && rules
            .plural_markers
            .iter()
            .any(|p| m.surface.ends_with(p.as_str()))
    {
        return None;
    }
    let mut candidates: Vec<&Trace> = traces
        .iter()
        .filter(|t| {
            res.entities[t.entity].etype == m.etype
                && m.sentence - t.sentence <= rules.salience.window
                && (m.kind != MentionKind::Pronoun
                    || pronoun_of.get(&t.entity).is_none_or(|p| *p == m.surface))
        })
        .collect();
    if m.kind == MentionKind::Anaphor {
        // 同大学 prefers an entity whose name ends in 大学; 同社 takes any company.
        let head: String = m.surface.chars().skip(1).collect();
        if !rules.anaphor_heads.general.contains(&head) {
            let narrowed: Vec<&Trace> = candidates
                .iter()
                .copied()
                .filter(|t| {
                    res.entities[t.entity]
                        .aliases
                        .iter()
                        .any(|a| a.ends_with(&head))
                })
                .collect();
            if !narrowed.is_empty() {
                candidates = narrowed;
            }
        }
    }
    if role == Role::Object {
        let local_subject = traces
            .iter()
            .rev()
            .take_while(|t| t.sentence == m.sentence)
            .find(|t| matches!(t.role, Role::Topic | Role::Subject))
            .map(|t| t.entity);
        return candidates
            .iter()
            .rev()
            .find(|t| Some(t.entity) != local_subject)
            .map(|t| t.entity);
    }
    let mut score: HashMap<usize, (f32, (usize, usize))> = HashMap::new();
    for t in candidates {
        let distance = (m.sentence - t.sentence) as i32;
        let w = weight(t.role, rules) * rules.salience.decay.powi(distance);
        let e = score.entry(t.entity).or_insert((0.0, (0, 0)));
        e.0 += w;
        e.1 = e.1.max((t.sentence, t.start));
    }
    score
        .into_iter()
        .max_by(|a, b| a.1 .0.total_cmp(&b.1 .0).then(a.1 .1.cmp(&b.1 .1)))
        .map(|(e, _)| e)
}
