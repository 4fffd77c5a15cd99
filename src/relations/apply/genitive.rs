//! `[[genitive_rule]]`: a bare `XのY` between two entities, decided by their
//! types alone (X県のY市 → Y located_in X).
use crate::document::Fact;
use crate::grammar::Particle;
use crate::relations::bunsetsu::{first_topic, Kind, Link};
use crate::relations::facts::RuleLink;
use crate::relations::sentence::{Ment, Sent};
use crate::relations::GenitiveRule;

/// Pairs (modifier, head) of entities that stand as `XのY`: a の-phrase and
/// the name it modifies; in a sentence `TはXの…Zだ` whose predicate noun names
/// nothing, the topic T as the head; and two names written together with
/// nothing between them but an opening bracket (X県Y市, X「Y」).
pub(in crate::relations) fn genitive_pairs(sent: &Sent) -> Vec<(usize, usize)> {
    let topic = first_topic(&sent.bs, sent.bs.len()).and_then(|j| sent.head_entity(j));
    let at = |k: usize| sent.s.sentence.char_at(k);
    // フジテレビ「Y」: a title in brackets right after a name is written
    // together with it too; and so is a name after ・ (東京・南青山,
    // 日本代表・山田花子), unless ・ lists names (大阪・名古屋・神奈川).
    let together = |x: &Ment, y: &Ment| {
        let listed = || x.start > 0 && at(x.start - 1) == Some('・') || at(y.end) == Some('・');
        x.end == y.start
            || y.start == x.end + 1 && matches!(at(x.end), Some('「' | '『'))
            || y.start == x.end + 1 && at(x.end) == Some('・') && !listed()
    };
    let mut out = Vec::new();
    // A bracket opens a new bunsetsu: look at the sentence's names in order.
    let mut names: Vec<_> = sent.ments.iter().flatten().collect();
    names.sort_by_key(|m| m.start);
    for w in names.windows(2) {
        if together(w[0], w[1]) && w[0].entity != w[1].entity {
            out.push((w[0].entity, w[1].entity));
        }
    }
    for b in 0..sent.bs.len() {
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

/// What a の- (or による-) phrase modifies, through phrases that name
/// nothing (Xのスマートフォン向けのアプリY).
struct Linked {
    /// The phrase's entity and those coordinated with it (『A』『B』などの俳優X).
    modifiers: Vec<usize>,
    /// The head's entity and those coordinated with it (Xの代表曲「A」「B」);
    /// empty when the phrase ends at a noun naming nothing.
    heads: Vec<usize>,
    /// The words written between the particle and the head's name, or up to
    /// the end of the noun that names nothing.
    between: String,
    /// The bunsetsu the phrase ends at.
    at: usize,
}

/// Pairs (modifier, head) linked by `particle` (の, による) through phrases
/// that name nothing, and the modifiers whose phrase ends at a noun naming
/// nothing (X監督の最新作が).
fn linked_pairs(sent: &Sent, particle: Particle) -> Vec<Linked> {
    let mut out = Vec::new();
    for b in 0..sent.bs.len() {
        let x = &sent.bs[b];
        if x.case != Some(particle) || x.link != Link::Adnominal || x.kind != Kind::Nominal {
            continue;
        }
        let (Some(_), Some(mut h)) = (sent.head_entity(b), x.head) else {
            continue;
        };
        let modifiers = titles(sent, b, None);
        let mut between = String::new();
        // Through の-phrases and bare nouns in apposition (Xの新型タブレット「Y」).
        while sent.ments[h].is_empty()
            && sent.bs[h].link == Link::Adnominal
            && matches!(sent.bs[h].case, Some(Particle::No) | None)
            && sent.bs[h].kind == Kind::Nominal
        {
            between.push_str(&sent.content(h));
            match sent.bs[h].head {
                Some(next) => h = next,
                None => break,
            }
        }
        let Some(y) = sent.ments[h].first() else {
            between.push_str(&sent.content(h));
            out.push(Linked {
                modifiers,
                heads: Vec::new(),
                between,
                at: h,
            });
            continue;
        };
        let from = sent.s.tokens[sent.bs[h].content.clone()]
            .first()
            .map_or(y.start, |t| t.start);
        between.push_str(&sent.s.sentence.text_between(from, y.start));
        let mut heads = vec![y.entity];
        heads.extend(titles_after(sent, h, y.end));
        for e in titles(sent, h, Some(y.entity)) {
            if !heads.contains(&e) {
                heads.push(e);
            }
        }
        out.push(Linked {
            modifiers,
            heads,
            between,
            at: h,
        });
    }
    out
}

/// The names of bunsetsu `h` written in brackets one right after another
/// from article offset `end` on (「A」「B」): a list of titles, not one name.
fn titles_after(sent: &Sent, h: usize, mut end: usize) -> Vec<usize> {
    let at = |k: usize| sent.s.sentence.char_at(k);
    let mut out = Vec::new();
    for m in &sent.ments[h] {
        if m.start < end {
            continue;
        }
        let closes = matches!(at(end), Some('」' | '』'));
        let opens = m.start >= 1 && matches!(at(m.start - 1), Some('「' | '『'));
        if !(closes && opens && m.start <= end + 2) {
            break;
        }
        out.push(m.entity);
        end = m.end;
    }
    out
}

/// The entity of bunsetsu `b` (`first` when given), and when it is a title
/// in brackets the titles coordinated with it (『A』『B』などの): a list of
/// works, where a list of bare names (A/Bの店) is as often one address.
fn titles(sent: &Sent, b: usize, first: Option<usize>) -> Vec<usize> {
    let titled = |e: usize| {
        sent.ments.iter().flatten().any(|m| {
            m.entity == e
                && matches!(
                    m.start
                        .checked_sub(1)
                        .and_then(|k| sent.s.sentence.char_at(k)),
                    Some('「' | '『')
                )
        })
    };
    let Some(m) = first.or(sent.head_entity(b)) else {
        return Vec::new();
    };
    if !titled(m) {
        return vec![m];
    }
    let mut out: Vec<usize> = sent
        .conjuncts(b)
        .into_iter()
        .filter(|&e| titled(e))
        .collect();
    if !out.contains(&m) {
        out.push(m);
    }
    out
}

/// `XのY` with both sides entities and no role noun between them; or, for a
/// rule that names words to stand between them, X and Y linked by its
/// particle through such words.
pub(in crate::relations) fn apply(sent: &Sent, facts: &mut Vec<Fact>) {
    if sent.rules.genitive_rules.is_empty() {
        return;
    }
    for rule in &sent.rules.genitive_rules {
        if rule.between.is_empty() && rule.particle != Particle::No {
            for l in linked_pairs(sent, rule.particle) {
                for &m in &l.modifiers {
                    for &y in &l.heads {
                        genitive_fact(sent, rule, m, y, facts);
                    }
                }
            }
        } else if !rule.between.is_empty() {
            let words: Vec<&str> = sent.rules.expand(&rule.between).collect();
            for l in linked_pairs(sent, rule.particle) {
                for &m in &l.modifiers {
                    let heads = if !l.heads.is_empty() {
                        if words.iter().any(|w| l.between.contains(w)) {
                            l.heads.clone()
                        } else {
                            Vec::new()
                        }
                    } else if rule.article_subject && words.iter().any(|w| l.between.ends_with(w)) {
                        // X監督の最新作が: the noun itself is the work, and the
                        // article is about it.
                        let later = || {
                            sent.ments[l.at + 1..]
                                .iter()
                                .rev()
                                .flat_map(|ms| ms.iter().rev())
                                .find(|y| {
                                    sent.s.sentence.fills_work_brackets(y.start, y.end)
                                        && y.entity != m
                                        && sent.type_ok(y.entity, &rule.head)
                                })
                                .map(|y| y.entity)
                        };
                        rule.title_after
                            .then(later)
                            .flatten()
                            .or_else(|| sent.article_subject(&rule.head, &[m], false))
                            .into_iter()
                            .collect()
                    } else {
                        Vec::new()
                    };
                    for y in heads {
                        genitive_fact(sent, rule, m, y, facts);
                    }
                }
            }
        }
    }
    for (m, y) in genitive_pairs(sent) {
        for rule in &sent.rules.genitive_rules {
            if !rule.between.is_empty() || rule.particle != Particle::No {
                continue;
            }
            genitive_fact(sent, rule, m, y, facts);
        }
    }
}

/// The fact of `rule` for modifier `m` and head `y`, when their types and the
/// head's ending fit.
fn genitive_fact(sent: &Sent, rule: &GenitiveRule, m: usize, y: usize, facts: &mut Vec<Fact>) {
    let text = &sent.s.sentence.text;
    if !rule.sentence_cues.is_empty()
        && !sent
            .rules
            .expand(&rule.sentence_cues)
            .any(|c| text.contains(c))
    {
        return;
    }
    let label = &sent.res.entities[y].label;
    let modifier_label = &sent.res.entities[m].label;
    let suffix_ok = (rule.head_suffixes.is_empty()
        || rule
            .head_suffixes
            .iter()
            .any(|x| label.ends_with(x.as_str())))
        && (rule.modifier_suffixes.is_empty()
            || rule
                .modifier_suffixes
                .iter()
                .any(|x| modifier_label.ends_with(x.as_str()))
            || rule
                .modifier_prefixes
                .iter()
                .any(|x| modifier_label.starts_with(x.as_str())))
        && !rule
            .modifier_not_words
            .iter()
            .any(|x| modifier_label.contains(x.as_str()));
    if sent.type_ok(m, &rule.modifier)
        && sent.type_ok(y, &rule.head)
        && suffix_ok
        && introduced(sent, rule, m)
        && in_role(sent, rule, m)
        && !played(sent, rule, y)
    {
        RuleLink::asserted(&rule.relation, &rule.id, rule.invert, rule.confidence).push(
            sent,
            facts,
            y,
            m,
            Vec::new(),
        );
    }
}

/// Whether a mention of `m` in the sentence comes right after one of the
/// rule's `modifier_heads` (人気グループ・X), when the rule names any.
fn introduced(sent: &Sent, rule: &GenitiveRule, m: usize) -> bool {
    if rule.modifier_heads.is_empty() {
        return true;
    }
    if rule.heads_anywhere {
        return sent.introduced_anywhere(m, |before, after| {
            sent.rules
                .expand(&rule.modifier_heads)
                .any(|h| before.ends_with(h))
                || rule
                    .modifier_marks
                    .iter()
                    .any(|w| after.starts_with(w.as_str()))
        });
    }
    let text: Vec<char> = sent.s.sentence.text.chars().collect();
    let base = sent.s.sentence.start;
    sent.ments.iter().flatten().any(|x| {
        if x.entity != m {
            return false;
        }
        let mut k = x.start.saturating_sub(base);
        while k > 0 && matches!(text[k - 1], '・' | ' ' | '=' | '/') {
            k -= 1;
        }
        let before: String = text[..k].iter().collect();
        sent.rules
            .expand(&rule.modifier_heads)
            .any(|h| before.ends_with(h))
    })
}

/// Whether a mention of `m` in the sentence is followed right away by one of
/// the rule's `modifier_roles` (X監督の), when the rule names any.
fn in_role(sent: &Sent, rule: &GenitiveRule, m: usize) -> bool {
    if rule.modifier_roles.is_empty() {
        return true;
    }
    let base = sent.s.sentence.start;
    sent.ments
        .iter()
        .flatten()
        .filter(|x| x.entity == m)
        .any(|x| {
            let after: String = sent
                .s
                .sentence
                .text
                .chars()
                .skip(x.end.saturating_sub(base))
                .collect();
            rule.modifier_roles
                .iter()
                .any(|r| after.starts_with(r.as_str()))
        })
}

/// Whether a mention of `y` in the sentence is written as a part, by one of
/// the rule's `head_not_roles` right before it (主人公・X) or right after it
/// (X役).
fn played(sent: &Sent, rule: &GenitiveRule, y: usize) -> bool {
    if rule.head_not_roles.is_empty() {
        return false;
    }
    let text: Vec<char> = sent.s.sentence.text.chars().collect();
    let base = sent.s.sentence.start;
    sent.ments.iter().flatten().any(|x| {
        if x.entity != y {
            return false;
        }
        let mut k = x.start.saturating_sub(base).min(text.len());
        while k > 0 && matches!(text[k - 1], '・' | ' ') {
            k -= 1;
        }
        let before: String = text[..k].iter().collect();
        let after: String = text[x.end.saturating_sub(base).min(text.len())..]
            .iter()
            .collect();
        sent.rules
            .expand(&rule.head_not_roles)
            .any(|r| before.ends_with(r) || after.starts_with(r))
    })
}
