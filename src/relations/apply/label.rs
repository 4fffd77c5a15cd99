//! `[[label_rule]]`: the labelled lines of an information block, as web news
//! lays out a shop, an event or a product under a heading:
//!
//! ```text
//! ■ミドリカフェ
//! 住所:東京都港区六本木3-1-1     → ミドリカフェ located_in 六本木
//! ```
//!
//! A labelled line's value relates to what the block is about: the entity
//! that opens the heading line above it (after ■, ◆…), or the value of
//! another labelled line (商品名: Y … 販売元: X → X developed Y). A heading
//! line whose name was not recognised ends the block, so its lines are not
//! given to the heading before.
use crate::document::Fact;
use crate::relations::facts::RuleLink;
use crate::relations::sentence::{Ment, Sent};

/// Sentences back that a labelled line looks for its heading or partner line.
const REACH: usize = 12;
/// Characters after a heading mark within which its name starts.
const HEADING_REACH: usize = 12;

/// What earlier lines offer the labelled lines after them.
#[derive(Default)]
pub(in crate::relations) struct Blocks {
    /// The entity that opens the latest heading line (sentence, entity), or
    /// the sentence of a heading that names nothing recognised.
    heading: Option<(usize, Option<usize>)>,
    /// Recent labelled lines: sentence, label, entities of the value in order.
    labelled: Vec<(usize, String, Vec<usize>)>,
}

pub(in crate::relations) fn apply(sent: &Sent, blocks: &mut Blocks, facts: &mut Vec<Fact>) {
    let ments = sentence_mentions(sent);
    let heading_marks = &sent.rules.heading_marks;
    let text: Vec<char> = sent.s.sentence.text.chars().collect();
    let base = sent.s.sentence.start;
    // A heading: the name right after the last heading mark of the line.
    // A mark is told by its first character: one list of them for the line.
    let mark_starts: Vec<char> = heading_marks
        .iter()
        .filter_map(|m| m.chars().next())
        .collect();
    let mark = text.iter().rposition(|c| mark_starts.contains(c));
    let label = label_of(&text, heading_marks);
    if let (Some(k), None) = (mark, &label) {
        // The first name after the mark (■レストラン「X」), not one in
        // parentheses after it (■X (銀座、Yビル) when X was not recognised).
        let inside = |at: usize| {
            let opened = text[k..at].iter().filter(|&&c| c == '(').count();
            opened > text[k..at].iter().filter(|&&c| c == ')').count()
        };
        let entity = ments
            .iter()
            .find(|m| {
                m.start > base + k && m.start <= base + k + HEADING_REACH && !inside(m.start - base)
            })
            .map(|m| m.entity);
        blocks.heading = Some((sent.si, entity));
    }
    let Some((label, value_at)) = label else {
        return;
    };
    let value: Vec<&Ment> = ments
        .iter()
        .filter(|m| m.start >= base + value_at)
        .collect();
    for rule in &sent.rules.label_rules {
        if !sent.rules.expand(&rule.labels).any(|l| l == label) {
            continue;
        }
        let other = if rule.other_labels.is_empty() {
            match blocks.heading {
                Some((si, Some(e))) if sent.si - si <= REACH => Some(e),
                _ => None,
            }
        } else {
            blocks
                .labelled
                .iter()
                .rev()
                .filter(|(si, l, _)| {
                    sent.si - si <= REACH && sent.rules.expand(&rule.other_labels).any(|x| x == l)
                })
                .flat_map(|(_, _, es)| es.iter().copied())
                .find(|&e| sent.type_ok(e, &rule.other))
        };
        let other = other.filter(|&e| sent.type_ok(e, &rule.other)).or_else(|| {
            rule.article_subject
                .then(|| sent.article_subject(&rule.other, &[], false))
                .flatten()
        });
        let Some(other) = other else {
            continue;
        };
        let Some(first) = value
            .iter()
            .position(|m| sent.type_ok(m.entity, &rule.value))
        else {
            continue;
        };
        let mut pick = first;
        if rule.innermost {
            // Down the chain of names written together (東京都|港区|六本木).
            while pick + 1 < value.len()
                && value[pick + 1].start == value[pick].end
                && sent.type_ok(value[pick + 1].entity, &rule.value)
            {
                pick += 1;
            }
        }
        let link = RuleLink::asserted(&rule.relation, &rule.id, rule.invert, rule.confidence);
        link.push(sent, facts, other, value[pick].entity, Vec::new());
        if rule.innermost {
            // 六本木3-13-14 第3ゴトウビル: the building after the house number is
            // where it is too, and is itself in the area.
            if let Some(building) = value.get(pick + 1).filter(|m| {
                sent.type_ok(m.entity, &rule.value)
                    && house_number_between(&text, value[pick].end - base, m.start - base)
            }) {
                link.push(sent, facts, other, building.entity, Vec::new());
                link.push(sent, facts, building.entity, value[pick].entity, Vec::new());
            }
        }
        if rule.every_value {
            // The names listed after it (A、B、C / A・B / AとB), up to any
            // other word.
            let mut last = value[pick].end;
            for m in &value[pick + 1..] {
                let gap: String = text
                    .get(last.saturating_sub(base)..m.start.saturating_sub(base))
                    .map_or(String::new(), |g| g.iter().collect());
                if !gap.chars().all(|c| "、,・/と ".contains(c)) {
                    break;
                }
                last = m.end;
                if m.entity != other && sent.type_ok(m.entity, &rule.value) {
                    link.push(sent, facts, other, m.entity, Vec::new());
                }
            }
        }
    }
    let entities = value.iter().map(|m| m.entity).collect();
    blocks.labelled.push((sent.si, label, entities));
    blocks.labelled.retain(|(si, _, _)| sent.si - si <= REACH);
}

/// Whether the text between two names of an address is a house number alone
/// (3-13-14, 2丁目6-1): the second name is then the building at that number.
fn house_number_between(text: &[char], from: usize, to: usize) -> bool {
    let Some(gap) = text.get(from..to) else {
        return false;
    };
    let mut rest: String = gap.iter().collect();
    for word in ["丁目", "番地", "番", "号"] {
        rest = rest.replace(word, "-");
    }
    gap.iter().any(|c| c.is_ascii_digit())
        && rest
            .chars()
            .all(|c| c.is_ascii_digit() || c == '-' || c.is_whitespace())
}

/// The label of a labelled line (住所:…, [住所] …) and the offset in the
/// sentence where its value starts: a short run of text before the first
/// colon or closing bracket, after any heading mark or bullet.
fn label_of(text: &[char], marks: &[String]) -> Option<(String, usize)> {
    let mut start = 0;
    while start < text.len()
        && (text[start].is_whitespace() || marks.iter().any(|m| m.starts_with(text[start])))
    {
        start += 1;
    }
    // [住所] / 【住所】 label the line as 住所: does.
    let bracketed = start > 0 && matches!(text[start - 1], '[' | '【')
        || start < text.len() && text[start] == '[';
    if start < text.len() && text[start] == '[' {
        start += 1;
    }
    let colon = (start..text.len().min(start + 10))
        .find(|&k| matches!(text[k], ':' | '：') || bracketed && matches!(text[k], ']' | '】'))
        .or_else(|| topic_label(text, start))?;
    let label: String = text[start..colon].iter().collect();
    let label = label.trim().to_string();
    if label.is_empty() {
        return None;
    }
    let mut value = colon + 1;
    while value < text.len() && text[value].is_whitespace() {
        value += 1;
    }
    Some((label, value))
}

/// A line that opens with a short word and は (出演は山田花子、鈴木一郎ほか) is
/// labelled by that word as by a colon: where the は is.
fn topic_label(text: &[char], start: usize) -> Option<usize> {
    (start + 1..text.len().min(start + 6)).find(|&k| {
        text[k] == 'は'
            && text[start..k]
                .iter()
                .all(|c| !c.is_ascii_punctuation() && !"、。「『".contains(*c))
    })
}

/// Every resolved mention of the sentence, in text order.
fn sentence_mentions(sent: &Sent) -> Vec<Ment> {
    let mut out: Vec<Ment> = sent
        .ments
        .iter()
        .chain(sent.parens.iter())
        .flatten()
        .cloned()
        .collect();
    out.sort_by_key(|m| (m.start, m.end));
    out.dedup_by_key(|m| (m.start, m.end));
    out
}
