//! `[[paren_rule]]`: `X(cue・Y)`, a name with a parenthetical that holds a
//! cue noun and a second name (X(本社・Y)).
use crate::document::Fact;
use crate::relations::facts::RuleLink;
use crate::relations::sentence::Sent;

/// `X(cue・Y)`: a name, then in its parenthetical a cue noun and a second name
/// (青空システムズ(本社・東京都港区) → headquartered in 港区).
pub(in crate::relations) fn apply(sent: &Sent, facts: &mut Vec<Fact>) {
    for b in 0..sent.bs.len() {
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
        for y in &sent.parens[b] {
            let between: String = sent
                .s
                .sentence
                .text
                .chars()
                .skip(last.end.saturating_sub(sent.s.sentence.start))
                .take(y.start.saturating_sub(last.end))
                .collect();
            for rule in &sent.rules.paren_rules {
                let cued = sent.rules.expand(&rule.cues).any(|c| between.contains(c));
                if cued
                    && sent.type_ok(x.entity, &rule.subject)
                    && sent.type_ok(y.entity, &rule.object)
                {
                    let link = RuleLink {
                        relation: &rule.relation,
                        rule: &rule.id,
                        invert: false,
                        asserted: true,
                        confidence: rule.confidence,
                    };
                    link.push(sent, facts, x.entity, y.entity, Vec::new());
                }
            }
        }
    }
}
