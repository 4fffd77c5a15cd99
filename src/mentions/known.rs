//! Names already known (from the store an article is ingested into, or any list a
//! caller gives): found again in a new article where no cue marks them. The
//! tagger misses a bare name in a context it has never seen (メタを去った…); the
//! store remembers that the name is an organisation.
use std::collections::{HashMap, HashSet};

use crate::document::{AnalyzedSentence, EntityType, Mention};
use crate::text::{is_hiragana, is_katakana, is_latin_spelling};

use super::naming::{common_words, DoublyListed};
use super::passes::{add_occurrence, Taken};
use super::spans::token_cues;
use super::NerRules;

/// A name the store knows an entity by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownName {
    pub name: String,
    pub etype: EntityType,
    /// Whether the entity is also known by a name in Latin letters (Meta for
    /// メタ): a brand's own spelling, which a plain word an earlier article
    /// stored as a name (スポーツ, ソフトウェア更新) does not have.
    pub latin_spelled: bool,
}

impl KnownName {
    pub fn new(name: impl Into<String>, etype: EntityType) -> KnownName {
        KnownName {
            name: name.into(),
            etype,
            latin_spelled: false,
        }
    }

    /// Each name of each entity, from (entity, name, type) rows: what a store
    /// holds, with the Latin spelling read across the entity's names.
    pub fn of_entities<E: Eq + std::hash::Hash>(
        rows: impl IntoIterator<Item = (E, String, EntityType)>,
    ) -> Vec<KnownName> {
        let rows: Vec<_> = rows.into_iter().collect();
        let latin: HashSet<&E> = rows
            .iter()
            .filter(|(_, name, _)| is_latin_spelling(name))
            .map(|(e, _, _)| e)
            .collect();
        rows.iter()
            .map(|(e, name, etype)| KnownName {
                name: name.clone(),
                etype: *etype,
                latin_spelled: latin.contains(e),
            })
            .collect()
    }
}

/// Known names, found in a sentence by hashing: at each token start, the text
/// of each length a known name with the same first two characters has is
/// looked up, longest first. A list of names per prefix, tried one by one,
/// cost an ingest of the livedoor corpus a third of its CPU time once the store
/// knew tens of thousands of names.
#[derive(Debug, Clone, Default)]
pub struct KnownNames {
    /// For the first two characters of the names looked for: each length (in
    /// characters) such names have, longest first, with how many have it.
    lengths: HashMap<(char, char), Vec<(usize, usize)>>,
    /// Every name kept so far with its type, or None once it was known with two
    /// (then it is not looked for).
    types: HashMap<String, Option<EntityType>>,
    /// The names kept whose entity is also spelled in Latin letters.
    latin_spelled: HashSet<String>,
}

impl KnownNames {
    /// Keeps the names worth looking for: two characters or more, not a common
    /// noun or anaphor of the rules, not plain hiragana (words, not names), and
    /// known with one type only (a name stored as two types says nothing).
    pub fn new(names: impl IntoIterator<Item = KnownName>, rules: &NerRules) -> Self {
        let mut known = KnownNames::default();
        known.add(names, rules);
        known
    }

    /// Adds names as [`KnownNames::new`] keeps them. The result depends only on
    /// the set of names ever added, not on their order or grouping, so an
    /// ingest that learns names batch by batch and one that reads them from the
    /// store at its start look for the same names.
    pub fn add(&mut self, names: impl IntoIterator<Item = KnownName>, rules: &NerRules) {
        for known in names {
            let KnownName {
                name,
                etype: t,
                latin_spelled,
            } = known;
            if name.chars().count() < 2
                || name.chars().all(is_hiragana)
                || !name.chars().any(|c| c.is_alphanumeric())
                || rules.common_nouns.contains(&name)
                || rules.anaphors.contains_key(&name)
                || rules.person_pronouns.contains(&name)
            {
                continue;
            }
            if latin_spelled {
                self.latin_spelled.insert(name.clone());
            }
            let mut cs = name.chars();
            let prefix = (cs.next().expect("two chars"), cs.next().expect("two chars"));
            let len = name.chars().count();
            match self.types.get(&name) {
                Some(None) => {}
                Some(Some(known)) if *known == t => {}
                Some(Some(_)) => {
                    self.forget_length(prefix, len);
                    self.types.insert(name, None);
                }
                None => {
                    let lengths = self.lengths.entry(prefix).or_default();
                    match lengths.binary_search_by(|(l, _)| len.cmp(l)) {
                        Ok(at) => lengths[at].1 += 1,
                        Err(at) => lengths.insert(at, (len, 1)),
                    }
                    self.types.insert(name, Some(t));
                }
            }
        }
    }

    /// One name of `len` characters starting with `prefix` is no longer looked for.
    fn forget_length(&mut self, prefix: (char, char), len: usize) {
        let Some(lengths) = self.lengths.get_mut(&prefix) else {
            return;
        };
        if let Ok(at) = lengths.binary_search_by(|(l, _)| len.cmp(l)) {
            lengths[at].1 -= 1;
            if lengths[at].1 == 0 {
                lengths.remove(at);
            }
        }
        if lengths.is_empty() {
            self.lengths.remove(&prefix);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.lengths.is_empty()
    }

    /// Adds a mention for each occurrence of a known name that starts and ends
    /// on token boundaries and overlaps no mention yet. An occurrence made only
    /// of words the dictionaries know as common nouns is left, as a span the
    /// tagger found would be, and so is a word the name list has both as a
    /// name and as a word (see `naming::common_words`): a store holds
    /// words an earlier article quoted or typed wrongly (スポーツ, アプリ,
    /// ソフトウェア更新), and found bare in every later article they made facts
    /// that were nearly all wrong. A name whose entity the store also knows in
    /// Latin letters is a brand's transliteration and is found bare as well
    /// (メタ, stored with Meta).
    pub fn add_to(
        &self,
        sentences: &[AnalyzedSentence],
        rules: &NerRules,
        mentions: &mut Vec<Mention>,
    ) {
        if self.is_empty() {
            return;
        }
        let mut extra: Vec<Mention> = Vec::new();
        let mut taken = Taken::of(mentions);
        for (si, s) in sentences.iter().enumerate() {
            // Byte offset of each character, and of the end.
            let bytes: Vec<usize> = s
                .sentence
                .text
                .char_indices()
                .map(|(b, _)| b)
                .chain([s.sentence.text.len()])
                .collect();
            let toks = &s.tokens;
            // Computed for a sentence once a known name is found in it.
            let mut cues = None;
            let mut i = 0;
            while i < toks.len() {
                let at = toks[i].start - s.sentence.start;
                let found = bytes.get(at).and_then(|&from| {
                    let mut start = s.sentence.text[from..].chars();
                    let prefix = (start.next()?, start.next()?);
                    let lengths = self.lengths.get(&prefix)?;
                    lengths.iter().find_map(|&(len, _)| {
                        let here = s.sentence.text.get(from..*bytes.get(at + len)?)?;
                        let (name, t) = self.types.get_key_value(here)?;
                        let t = (*t)?;
                        // Ends on a token boundary: not the start of a longer word.
                        let end = toks[i].start + len;
                        let j = toks[i..].iter().position(|x| x.end == end)? + i + 1;
                        // A katakana name followed by more katakana is part of a
                        // longer word the tokenizer split (メタ+バース).
                        let next_kata = toks.get(j).is_some_and(|x| {
                            x.start == end && x.surface.starts_with(|c: char| is_katakana(c))
                        });
                        let ends_kata = name.ends_with(|c: char| is_katakana(c));
                        (!(next_kata && ends_kata)).then_some((name, t, j))
                    })
                });
                let Some((name, etype, j)) = found else {
                    i += 1;
                    continue;
                };
                let cues = cues.get_or_insert_with(|| token_cues(toks, rules));
                if !self.latin_spelled.contains(name)
                    && common_words(toks, cues, i..j, DoublyListed::Word)
                {
                    i += 1;
                    continue;
                }
                add_occurrence(&mut taken, &mut extra, si, toks, i..j, name, etype);
                i = j;
            }
        }
        mentions.extend(extra);
        mentions.sort_by_key(|m| (m.start, m.end));
    }
}
