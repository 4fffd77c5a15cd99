//! `[[paren_rule]]`: a name with a parenthetical that holds a second name:
//! with a cue noun before it (X(本社・Y)), with a cue word right after it
//! (X(Y製)), or alone (北陸銀行(金沢市), 恋弁天(西新宿、新宿住友ビル)).
use crate::document::Fact;
use crate::relations::facts::RuleLink;
use crate::relations::sentence::{Ment, Sent};
use crate::relations::ParenRule;

/// Characters that separate the names of a parenthetical that holds only
/// names (西新宿、新宿住友ビル).
const SEPARATORS: &[char] = &['、', ',', '・', '/', ' ', '\u{3000}'];

pub(in crate::relations) fn apply(sent: &Sent, facts: &mut Vec<Fact>) {
    for b in 0..sent.bs.len() {
        if sent.parens[b].is_empty() {
            continue;
        }
        let content = sent.bs[b].content.clone();
        // A phrase may have no content word (a bracket or a bullet opening the
        // sentence): nothing to attach a parenthetical to.
        let Some(last) = content
            .end
            .checked_sub(1)
            .and_then(|i| sent.s.tokens.get(i))
        else {
            continue;
        };
        let Some(x) = sent.ments[b].iter().rev().find(|m| m.end <= last.end) else {
            continue;
        };
        let Some((open, close)) = parenthesis(sent, b, last.end) else {
            continue;
        };
        let inside: Vec<&Ment> = sent.parens[b]
            .iter()
            .filter(|y| y.start > open && y.end <= close)
            .collect();
        // The parenthetical holds names and separators only.
        let alone = {
            let mut rest = text(sent, open + 1, close);
            for y in inside.iter().rev() {
                let (a, z) = (y.start - open - 1, y.end - open - 1);
                rest = rest.chars().take(a).chain(rest.chars().skip(z)).collect();
            }
            rest.chars().all(|c| SEPARATORS.contains(&c))
        };
        for (k, y) in inside.iter().enumerate() {
            // Of names written together (本社・東京都港区), the innermost.
            if inside.get(k + 1).is_some_and(|z| z.start == y.end) {
                continue;
            }
            let before = text(sent, last.end, y.start);
            let after = text(sent, y.end, close);
            for rule in &sent.rules.paren_rules {
                let label = &sent.res.entities[y.entity].label;
                let subject_label = &sent.res.entities[x.entity].label;
                let ends = |list: &[String], l: &str| list.iter().any(|e| l.ends_with(e.as_str()));
                let suffix_ok = (rule.object_suffixes.is_empty()
                    || ends(&rule.object_suffixes, label))
                    && (rule.subject_suffixes.is_empty()
                        || ends(&rule.subject_suffixes, subject_label))
                    && !ends(&rule.subject_not_suffixes, subject_label);
                if fits(sent, rule, alone, &before, &after)
                    && suffix_ok
                    && sent.type_ok(x.entity, &rule.subject)
                    && sent.type_ok(y.entity, &rule.object)
                {
                    let link = RuleLink {
                        relation: &rule.relation,
                        rule: &rule.id,
                        invert: rule.invert,
                        asserted: true,
                        confidence: rule.confidence,
                    };
                    link.push(sent, facts, x.entity, y.entity, Vec::new());
                }
            }
        }
    }
}

/// Whether a rule's cues fit a name in a parenthetical: `cues` in the text
/// between the outer name and it, `after` right after it, or, for a rule with
/// neither, a parenthetical of names alone.
fn fits(sent: &Sent, rule: &ParenRule, alone: bool, before: &str, after: &str) -> bool {
    let mut cues = sent.rules.expand(&rule.cues).peekable();
    let mut afters = sent.rules.expand(&rule.after).peekable();
    match (cues.peek().is_some(), afters.peek().is_some()) {
        (false, false) => alone,
        (true, _) => cues.any(|c| before.contains(c)),
        (false, true) => {
            let after = after.trim_start();
            afters.any(|c| {
                after
                    .strip_prefix(c)
                    .is_some_and(|rest| rest.trim().is_empty() || rest.starts_with(SEPARATORS))
            })
        }
    }
}

/// The character offsets of the first "(" at or after `from` in bunsetsu `b`
/// and of its ")".
fn parenthesis(sent: &Sent, b: usize, from: usize) -> Option<(usize, usize)> {
    let toks = &sent.s.tokens[sent.bs[b].tokens.clone()];
    let open = toks
        .iter()
        .position(|t| t.start >= from && t.surface == "(")?;
    let close = toks[open..].iter().position(|t| t.surface == ")")? + open;
    Some((toks[open].start, toks[close].start))
}

/// The sentence's text between two article offsets.
fn text(sent: &Sent, from: usize, to: usize) -> String {
    sent.s
        .sentence
        .text
        .chars()
        .skip(from.saturating_sub(sent.s.sentence.start))
        .take(to.saturating_sub(from))
        .collect()
}
