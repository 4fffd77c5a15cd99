//! Names already known (from the store an article is ingested into, or any list a
//! caller gives): found again in a new article where no cue marks them. The
//! tagger misses a bare name in a context it has never seen (メタを去った…); the
//! store remembers that the name is an organisation.
use std::collections::HashMap;

use crate::document::{AnalyzedSentence, EntityType, Mention};
use crate::text::{is_hiragana, is_katakana};

use super::passes::{add_occurrence, Taken};
use super::NerRules;

/// Known names indexed by their first two characters.
#[derive(Debug, Clone, Default)]
pub struct KnownNames {
    by_prefix: HashMap<(char, char), Vec<(String, EntityType)>>,
    /// Every name kept so far with its type, or None once it was known with two.
    types: HashMap<String, Option<EntityType>>,
}

impl KnownNames {
    /// Keeps the names worth looking for: two characters or more, not a common
    /// noun or anaphor of the rules, not plain hiragana (words, not names), and
    /// known with one type only (a name stored as two types says nothing).
    pub fn new(names: impl IntoIterator<Item = (String, EntityType)>, rules: &NerRules) -> Self {
        let mut known = KnownNames::default();
        known.add(names, rules);
        known
    }

    /// Adds names as [`KnownNames::new`] keeps them. The result depends only on
    /// the set of (name, type) pairs ever added, not on their order or grouping,
    /// so an ingest that learns names batch by batch and one that reads them
    /// from the store at its start look for the same names.
    pub fn add(&mut self, names: impl IntoIterator<Item = (String, EntityType)>, rules: &NerRules) {
        for (name, t) in names {
            if name.chars().count() < 2
                || name.chars().all(is_hiragana)
                || !name.chars().any(|c| c.is_alphanumeric())
                || rules.common_nouns.contains(&name)
                || rules.anaphors.contains_key(&name)
                || rules.person_pronouns.contains(&name)
            {
                continue;
            }
            let mut cs = name.chars();
            let prefix = (cs.next().expect("two chars"), cs.next().expect("two chars"));
            match self.types.get(&name) {
                Some(None) => {}
                Some(Some(known)) if *known == t => {}
                Some(Some(_)) => {
                    if let Some(list) = self.by_prefix.get_mut(&prefix) {
                        list.retain(|(n, _)| *n != name);
                    }
                    self.types.insert(name, None);
                }
                None => {
                    // Longest first, so that マーク・X wins over a stored X.
                    let list = self.by_prefix.entry(prefix).or_default();
                    let len = name.len();
                    let at = list.partition_point(|(n, _)| n.len() >= len);
                    list.insert(at, (name.clone(), t));
                    self.types.insert(name, Some(t));
                }
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.by_prefix.is_empty()
    }

    /// Adds a mention for each occurrence of a known name that starts and ends
    /// on token boundaries and overlaps no mention yet.
    pub fn add_to(&self, sentences: &[AnalyzedSentence], mentions: &mut Vec<Mention>) {
        if self.is_empty() {
            return;
        }
        let mut extra: Vec<Mention> = Vec::new();
        let mut taken = Taken::of(mentions);
        for (si, s) in sentences.iter().enumerate() {
            let text: Vec<char> = s.sentence.text.chars().collect();
            let toks = &s.tokens;
            let mut i = 0;
            while i < toks.len() {
                let at = toks[i].start - s.sentence.start;
                let found = text.get(at..at + 2).and_then(|p| {
                    let list = self.by_prefix.get(&(p[0], p[1]))?;
                    list.iter().find_map(|(name, t)| {
                        let len = name.chars().count();
                        let here = text.get(at..at + len)?;
                        if !here.iter().copied().eq(name.chars()) {
                            return None;
                        }
                        // Ends on a token boundary: not the start of a longer word.
                        let end = toks[i].start + len;
                        let j = toks[i..].iter().position(|x| x.end == end)? + i + 1;
                        // A katakana name followed by more katakana is part of a
                        // longer word the tokenizer split (メタ+バース).
                        let next_kata = toks.get(j).is_some_and(|x| {
                            x.start == end && x.surface.starts_with(|c: char| is_katakana(c))
                        });
                        let ends_kata = name.ends_with(|c: char| is_katakana(c));
                        (!(next_kata && ends_kata)).then_some((name, *t, j))
                    })
                });
                let Some((name, etype, j)) = found else {
                    i += 1;
                    continue;
                };
                add_occurrence(&mut taken, &mut extra, si, toks, i..j, name, etype);
                i = j;
            }
        }
        mentions.extend(extra);
        mentions.sort_by_key(|m| (m.start, m.end));
    }
}
