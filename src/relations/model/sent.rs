//! One sentence as the relation scorer's features see it: its bunsetsu, the
//! word each token stands for (a name's tokens stand for its type, so that no
//! name is ever a feature), bracket depth, content words, and the slots of
//! the things it speaks of.
use std::ops::Range;

use super::features::Slot;
use crate::document::AnalyzedSentence;
use crate::grammar::Particle;
use crate::relations::bunsetsu::{chunk, Bunsetsu, Link};
use crate::tokens::{Tag, Token};

/// One sentence prepared for pairing: its bunsetsu, the word each token stands
/// for (a name's tokens stand for its type), and its slots.
pub(super) struct Sent<'a> {
    pub(super) tokens: &'a [Token<'a>],
    pub(super) bs: Vec<Bunsetsu>,
    /// Per token: the bunsetsu it is in.
    pub(super) bunsetsu_of: Vec<usize>,
    /// Per token: the word features see (base form, or `[Type]` inside a name).
    pub(super) word: Vec<String>,
    /// Per token: inside a mention (a name's tokens count once, at its start).
    pub(super) in_mention: Vec<Option<usize>>,
    /// Per token: depth inside brackets.
    pub(super) depth: Vec<u8>,
    /// The sentence's content words outside names (common nouns, verbs,
    /// adjectives), once each: what it is about (結婚, 息子, 首都, 出場).
    pub(super) content_words: Vec<String>,
    pub(super) slots: Vec<Slot>,
}

fn is_open(t: &Token) -> bool {
    t.is_open_bracket() || matches!(t.surface, "(" | "（" | "「" | "『" | "[" | "【")
}
fn is_close(t: &Token) -> bool {
    t.is_close_bracket() || matches!(t.surface, ")" | "）" | "」" | "』" | "]" | "】")
}

impl<'a> Sent<'a> {
    pub(super) fn new(s: &'a AnalyzedSentence<'a>, slots: Vec<Slot>) -> Sent<'a> {
        let tokens = &s.tokens[..];
        let bs = chunk(tokens);
        let mut bunsetsu_of = vec![0; tokens.len()];
        for (i, b) in bs.iter().enumerate() {
            for t in b.tokens.clone() {
                bunsetsu_of[t] = i;
            }
        }
        let mut word: Vec<String> = tokens.iter().map(|t| t.base.to_string()).collect();
        let mut in_mention = vec![None; tokens.len()];
        for (k, slot) in slots.iter().enumerate() {
            for t in slot.tokens.clone() {
                if in_mention[t].is_none() {
                    in_mention[t] = Some(k);
                    word[t] = format!("[{}]", slot.tag);
                }
            }
        }
        let mut depth = Vec::with_capacity(tokens.len());
        let mut d: u8 = 0;
        for t in tokens {
            if is_open(t) {
                d = d.saturating_add(1);
            }
            depth.push(d);
            if is_close(t) {
                d = d.saturating_sub(1);
            }
        }
        let mut content_words: Vec<String> = tokens
            .iter()
            .zip(&in_mention)
            .filter(|(t, m)| {
                m.is_none()
                    && !t.unknown
                    && (t.is_noun()
                        && !t.is_proper()
                        && !(t.is_number() || t.is_dependent() || t.is_pronoun() || t.is_suffix())
                        || t.is_verb() && t.pos[1] == Tag::Independent
                        || t.is_adjective())
            })
            .map(|(t, _)| t.base.to_string())
            .collect();
        content_words.sort();
        content_words.dedup();
        Sent {
            tokens,
            bs,
            bunsetsu_of,
            word,
            in_mention,
            depth,
            content_words,
            slots,
        }
    }

    /// Words of the token range, a name counted once.
    pub(super) fn words(&self, r: Range<usize>) -> Vec<&str> {
        let mut out = Vec::new();
        let mut last = None;
        for t in r {
            match self.in_mention[t] {
                Some(k) if last == Some(k) => continue,
                m => last = m,
            }
            out.push(self.word[t].as_str());
        }
        out
    }

    /// The bunsetsu chain from `b` to the root.
    pub(super) fn chain(&self, b: usize) -> Vec<usize> {
        let mut out = vec![b];
        let mut cur = b;
        while let Some(h) = self.bs[cur].head {
            if out.contains(&h) || out.len() > 40 {
                break;
            }
            out.push(h);
            cur = h;
        }
        out
    }

    /// How a bunsetsu attaches: link and particle.
    pub(super) fn attach(&self, b: usize) -> String {
        let x = &self.bs[b];
        let link = match x.link {
            Link::Argument => "A",
            Link::Adnominal => "N",
            Link::Conjunctive => "C",
            Link::Coordinate => "J",
            Link::Final => "F",
        };
        let topic = if x.topic { "は" } else { "" };
        format!("{link}{}{topic}", x.case.map_or("", Particle::as_str))
    }

    /// The word a bunsetsu stands for: a predicate's lemma; for a noun
    /// phrase, its words after the last name in it (東京都出身 → 出身), or the
    /// name's type when nothing follows the name.
    pub(super) fn head_word(&self, b: usize) -> String {
        let x = &self.bs[b];
        if x.is_predicate() {
            return x.lemma.clone();
        }
        let content = x.content.clone();
        let after_name = content
            .clone()
            .rev()
            .find(|&t| self.in_mention[t].is_some())
            .map_or(content.start, |t| t + 1);
        let rest: String = (after_name..content.end)
            .map(|t| self.tokens[t].surface)
            .collect();
        if rest.is_empty() {
            self.words(content).join("")
        } else {
            rest
        }
    }

    /// The content words of the slot's bunsetsu after the slot (X出身, X監督).
    pub(super) fn suffix(&self, slot: &Slot) -> String {
        let Some(b) = slot.b else {
            return String::new();
        };
        let content = self.bs[b].content.clone();
        self.words(slot.tokens.end.max(content.start)..content.end)
            .join("")
    }

    /// The content words of the slot's bunsetsu before the slot (元X, 長男X).
    pub(super) fn prefix(&self, slot: &Slot) -> String {
        let Some(b) = slot.b else {
            return String::new();
        };
        let content = self.bs[b].content.clone();
        self.words(content.start..slot.tokens.start.max(content.start))
            .join("")
    }

    pub(super) fn word_at(&self, t: Option<usize>) -> &str {
        t.and_then(|t| self.word.get(t))
            .map_or("<s>", String::as_str)
    }

    /// The first predicate on the chain from `b` up.
    pub(super) fn governing_predicate(&self, b: usize) -> Option<usize> {
        self.chain(b)
            .into_iter()
            .find(|&c| self.bs[c].is_predicate())
    }

    /// The predicate that ends the sentence (the last predicate bunsetsu).
    pub(super) fn main_predicate(&self) -> Option<usize> {
        (0..self.bs.len())
            .rev()
            .find(|&b| self.bs[b].is_predicate())
    }

    pub(super) fn has_subject(&self) -> bool {
        self.bs.iter().any(|b| {
            b.link == Link::Argument && (b.case == Some(Particle::Ga) || b.is_bare_topic())
        })
    }

    /// Whether `a` and `b` are conjuncts of one list (A、B / AとB).
    pub(super) fn coordinated(&self, a: usize, b: usize) -> bool {
        let (lo, hi) = (a.min(b), a.max(b));
        let mut cur = lo;
        while self.bs[cur].link == Link::Coordinate {
            match self.bs[cur].head {
                Some(h) if h == hi => return true,
                Some(h) if h < hi => cur = h,
                _ => return false,
            }
        }
        false
    }
}
