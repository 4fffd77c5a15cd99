//! A lexicon of proper nouns and what kind of name each is (surname, given name,
//! place, …): knowledge the sentence does not carry. IPADIC knows few foreign
//! names; the shipped list (ontology/names.tsv, from SudachiDict) knows セルヒオ is a
//! given name and リューベック a place, which is what the tagger needs to type names
//! it never saw in training.
//!
//! File format: one `surface<TAB>classes` line per name, `#` starts a comment.
//! Classes are letters: S surname, G given name, P person, L place, C country,
//! N other proper noun (organisations, products, works). A surface may appear on
//! several lines; its classes are merged.
use std::sync::{Arc, OnceLock};

use crate::tokens::Token;

/// Class bits, in the order of [`CLASS_LETTERS`].
pub const SURNAME: u8 = 1;
pub const GIVEN_NAME: u8 = 2;
pub const PERSON: u8 = 4;
pub const PLACE: u8 = 8;
pub const COUNTRY: u8 = 16;
pub const OTHER_PROPER: u8 = 32;
const CLASS_LETTERS: [(char, u8); 6] = [
    ('S', SURNAME),
    ('G', GIVEN_NAME),
    ('P', PERSON),
    ('L', PLACE),
    ('C', COUNTRY),
    ('N', OTHER_PROPER),
];

/// The shipped lexicon.
const BUILTIN: &str = include_str!("../../ontology/names.tsv");
pub const FILE_NAME: &str = "names.tsv";

/// Sorted names with their classes; lookups are binary searches over one string,
/// so the ~400,000 shipped names cost their text plus 12 bytes each.
#[derive(Debug)]
pub struct NameLexicon {
    text: String,
    /// (byte offset, byte length, classes), sorted by surface, one per surface.
    entries: Vec<(u32, u32, u8)>,
}

impl NameLexicon {
    /// Parses a lexicon; `Err` carries the line number and the problem.
    pub fn parse(text: String) -> Result<NameLexicon, String> {
        let mut entries: Vec<(u32, u32, u8)> = Vec::new();
        let mut offset = 0usize;
        for (n, line) in text.split_inclusive('\n').enumerate() {
            let start = offset;
            offset += line.len();
            let body = line.trim_end_matches(['\n', '\r']);
            if body.is_empty() || body.starts_with('#') {
                continue;
            }
            let (surface, letters) = body
                .split_once('\t')
                .ok_or_else(|| format!("line {}: expected `name<TAB>classes`", n + 1))?;
            let mut classes = 0u8;
            for c in letters.chars() {
                let bit = CLASS_LETTERS
                    .iter()
                    .find(|(l, _)| *l == c)
                    .ok_or_else(|| {
                        format!("line {}: unknown class {c:?} (use S G P L C N)", n + 1)
                    })?
                    .1;
                classes |= bit;
            }
            if surface.is_empty() {
                return Err(format!("line {}: empty name", n + 1));
            }
            entries.push((start as u32, surface.len() as u32, classes));
        }
        let key = |e: &(u32, u32, u8)| &text[e.0 as usize..(e.0 + e.1) as usize];
        if !entries.windows(2).all(|w| key(&w[0]) < key(&w[1])) {
            entries.sort_by(|a, b| key(a).cmp(key(b)));
            let mut merged: Vec<(u32, u32, u8)> = Vec::with_capacity(entries.len());
            for e in entries {
                match merged.last_mut() {
                    Some(last) if key(last) == key(&e) => last.2 |= e.2,
                    _ => merged.push(e),
                }
            }
            entries = merged;
        }
        Ok(NameLexicon { text, entries })
    }

    /// The shipped lexicon, parsed once.
    pub fn builtin() -> Arc<NameLexicon> {
        static LEXICON: OnceLock<Arc<NameLexicon>> = OnceLock::new();
        LEXICON
            .get_or_init(|| {
                Arc::new(
                    NameLexicon::parse(BUILTIN.to_string()).expect("ontology/names.tsv parses"),
                )
            })
            .clone()
    }

    /// Classes of a name, 0 when the lexicon does not hold it.
    pub fn classes(&self, name: &str) -> u8 {
        self.entries
            .binary_search_by(|e| self.text[e.0 as usize..(e.0 + e.1) as usize].cmp(name))
            .map_or(0, |i| self.entries[i].2)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// What the lexicon says about one token, for the tagger.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NameCues {
    /// Classes of the token's own surface.
    pub word: u8,
    /// For a word joined with ・ or = (IPADIC keeps an unknown セルヒオ・レギロン whole):
    /// the classes of its first and last parts.
    pub parts: Option<(u8, u8)>,
    /// Classes of the longest name of two or more tokens that covers this token.
    pub entry: u8,
    /// Where the token is in that name: bit 1 first token, bit 2 last token.
    pub entry_edge: u8,
}

/// Longest name, in tokens, looked up across token boundaries.
const MAX_ENTRY_TOKENS: usize = 6;

/// Lexicon cues for every token of a sentence.
pub fn name_cues(tokens: &[Token], lexicon: &NameLexicon) -> Vec<NameCues> {
    let joiner = |c: char| matches!(c, '・' | '=');
    let mut cues: Vec<NameCues> = tokens
        .iter()
        .map(|t| {
            let s = t.surface.as_str();
            NameCues {
                word: lexicon.classes(s),
                parts: s.contains(joiner).then(|| {
                    let first = s.split(joiner).next().unwrap_or("");
                    let last = s.rsplit(joiner).next().unwrap_or("");
                    (lexicon.classes(first), lexicon.classes(last))
                }),
                entry: 0,
                entry_edge: 0,
            }
        })
        .collect();
    // Names of several tokens, longest first from each start (江ノ島+電鉄).
    let mut k = 0;
    let mut joined = String::new();
    while k < tokens.len() {
        let longest = (k + 2..=(k + MAX_ENTRY_TOKENS).min(tokens.len()))
            .rev()
            .find_map(|end| {
                joined.clear();
                tokens[k..end].iter().for_each(|t| joined += &t.surface);
                let c = lexicon.classes(&joined);
                (c != 0).then_some((end, c))
            });
        match longest {
            Some((end, c)) => {
                for (m, cue) in cues.iter_mut().enumerate().take(end).skip(k) {
                    cue.entry = c;
                    cue.entry_edge = u8::from(m == k) | (2 * u8::from(m + 1 == end));
                }
                k = end;
            }
            None => k += 1,
        }
    }
    cues
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lexicon(text: &str) -> NameLexicon {
        NameLexicon::parse(text.to_string()).unwrap()
    }

    #[test]
    fn lookups_merge_classes_of_repeated_names() {
        let l = lexicon("# comment\nミナト\tL\nアオイ\tG\nミナト\tS\n");
        assert_eq!(l.classes("ミナト"), PLACE | SURNAME);
        assert_eq!(l.classes("アオイ"), GIVEN_NAME);
        assert_eq!(l.classes("ソラ"), 0);
        assert_eq!(l.len(), 2);
    }

    #[test]
    fn bad_lines_name_the_line() {
        let e = NameLexicon::parse("ミナト\tL\nアオイ\n".into()).unwrap_err();
        assert!(e.starts_with("line 2:"), "{e}");
        let e = NameLexicon::parse("ミナト\tX\n".into()).unwrap_err();
        assert!(e.contains("unknown class"), "{e}");
    }

    #[test]
    fn builtin_lexicon_knows_foreign_given_names_and_places() {
        let l = NameLexicon::builtin();
        assert!(l.len() > 100_000);
        assert_ne!(
            l.classes("ピーター") & GIVEN_NAME | l.classes("ピーター") & PERSON,
            0
        );
        assert_ne!(l.classes("ミュンヘン") & PLACE, 0);
    }
}
