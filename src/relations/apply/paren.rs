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

/// Closing brackets and quotes that may stand between a name and its
/// parenthetical.
const CLOSERS: &[char] = &['」', '』', '】', '》', '〉', '”', '’', '"', '\''];

pub(in crate::relations) fn apply(sent: &Sent, facts: &mut Vec<Fact>) {
    for b in 0..sent.bs.len() {
        if sent.parens[b].is_empty() {
            continue;
        }
        // Each parenthetical belongs to the name right before it: in a list
        // (「A」(X製)や「B」(Y製)) every item has its own.
        for (open, close) in parentheses(sent, b) {
            let Some(x) = owner(sent, b, open) else {
                continue;
            };
            apply_one(sent, b, x, open, close, facts);
        }
    }
}

/// The name a parenthetical at `open` is about: the last name of the sentence
/// up to bunsetsu `b` that ends right before it, after closing brackets and
/// spaces or a short suffix noun at most (北陸銀行(金沢市), 「A」(X製),
/// ミドリ銀行本店(金沢市)). A parenthetical after other words (視聴率(関東地区))
/// is about them.
fn owner<'s>(sent: &'s Sent, b: usize, open: usize) -> Option<&'s Ment> {
    // A list folded into one parenthetical (「A」(X製)、「B」(Y製)) holds names
    // that own parentheticals of their own.
    let x = sent.ments[..=b]
        .iter()
        .flatten()
        .chain(&sent.parens[b])
        .filter(|m| m.end <= open)
        .max_by_key(|m| m.end)?;
    let gap = text(sent, x.end, open);
    let closers = gap
        .chars()
        .all(|c| CLOSERS.contains(&c) || c.is_whitespace());
    let suffix = gap.chars().count() <= 2 && gap.chars().all(crate::text::is_kanji);
    (closers || suffix).then_some(x)
}

/// The facts between `x` and the names inside the parenthetical from `open`
/// to `close` that a rule's cues fit.
fn apply_one(sent: &Sent, b: usize, x: &Ment, open: usize, close: usize, facts: &mut Vec<Fact>) {
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
        let before = text(sent, open, y.start);
        let after = text(sent, y.end, close);
        for rule in &sent.rules.paren_rules {
            let label = &sent.res.entities[y.entity].label;
            let subject_label = &sent.res.entities[x.entity].label;
            let ends = |list: &[String], l: &str| list.iter().any(|e| l.ends_with(e.as_str()));
            let suffix_ok = (rule.object_suffixes.is_empty() || ends(&rule.object_suffixes, label))
                && (rule.subject_suffixes.is_empty()
                    || ends(&rule.subject_suffixes, subject_label))
                && !ends(&rule.subject_not_suffixes, subject_label)
                && (rule.subject_closers.is_empty()
                    || rule
                        .subject_closers
                        .iter()
                        .any(|c| text(sent, x.end, open).contains(c.as_str())));
            if fits(sent, rule, alone, &before, &after)
                && suffix_ok
                && sent.type_ok(x.entity, &rule.subject)
                && sent.type_ok(y.entity, &rule.object)
            {
                RuleLink::asserted(&rule.relation, &rule.id, rule.invert, rule.confidence).push(
                    sent,
                    facts,
                    x.entity,
                    y.entity,
                    Vec::new(),
                );
            }
        }
    }
}

/// Whether a rule's cues fit a name in a parenthetical: `cues` in the text
/// between the opening parenthesis and it, `after` right after it, or, for a rule with
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

/// The character offsets of each "(" in bunsetsu `b` and of its ")". Read
/// from the characters, not the tokens: the tokenizer may join a bracket to the
/// symbols next to it (」().
fn parentheses(sent: &Sent, b: usize) -> Vec<(usize, usize)> {
    let toks = &sent.s.tokens[sent.bs[b].tokens.clone()];
    let (Some(first), Some(last)) = (toks.first(), toks.last()) else {
        return Vec::new();
    };
    let mut pairs = Vec::new();
    let mut open = None;
    for (i, c) in text(sent, first.start, last.end).chars().enumerate() {
        match c {
            '(' => open = Some(first.start + i),
            ')' => {
                if let Some(o) = open.take() {
                    pairs.push((o, first.start + i));
                }
            }
            _ => {}
        }
    }
    pairs
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
