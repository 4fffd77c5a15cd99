//! A lexicon of proper nouns and what kind of name each is (surname, given name,
//! place, …): knowledge the sentence does not carry. IPADIC knows few foreign
//! names; the shipped list (ontology/names.tsv, from SudachiDict) knows セルヒオ is a
//! given name and リューベック a place, which is what the tagger needs to type names
//! it never saw in training. It also lists common nouns written in katakana or
//! Latin letters (サイン, エラストマー), which IPADIC often does not know and which
//! would otherwise look like foreign names.
//!
//! File format: one `surface<TAB>classes` line per name, `#` starts a comment.
//! Classes are letters: S surname, G given name, P person, L place, C country,
//! N other proper noun (organisations, products, works), W common noun in
//! katakana or Latin letters. A surface may appear on several lines; its classes
//! are merged.
use std::sync::{Arc, OnceLock};

use rustc_hash::FxHashMap;

use crate::tokens::Token;

/// Class bits, in the order of [`CLASS_LETTERS`].
pub const SURNAME: u8 = 1;
pub const GIVEN_NAME: u8 = 2;
pub const PERSON: u8 = 4;
pub const PLACE: u8 = 8;
pub const COUNTRY: u8 = 16;
pub const OTHER_PROPER: u8 = 32;
pub const COMMON_WORD: u8 = 64;
const CLASS_LETTERS: [(char, u8); 7] = [
    ('S', SURNAME),
    ('G', GIVEN_NAME),
    ('P', PERSON),
    ('L', PLACE),
    ('C', COUNTRY),
    ('N', OTHER_PROPER),
    ('W', COMMON_WORD),
];

/// The shipped lexicon.
const BUILTIN: &str = include_str!("../../ontology/names.tsv");
pub const FILE_NAME: &str = "names.tsv";

/// Names with their classes. The tagger asks for every token and for runs of up
/// to six tokens, so lookups are hash lookups with a fast non-cryptographic hash
/// (a binary search over the sorted list cost a fifth of extraction speed; the
/// keys are our own rule file, not input an attacker controls).
#[derive(Debug)]
pub struct NameLexicon {
    entries: FxHashMap<&'static str, u8>,
}

impl NameLexicon {
    /// Parses a lexicon; `Err` carries the line number and the problem. The text
    /// is kept for the life of the program, as rules are: the shipped list is
    /// compiled in, and a folder's own list is read once.
    pub fn parse(text: &'static str) -> Result<NameLexicon, String> {
        // One entry per line at most: reserving up front saves rehashing, and
        // reserving no more keeps the table at half the memory of a guess.
        let lines = text.bytes().filter(|&b| b == b'\n').count() + 1;
        let mut entries: FxHashMap<&'static str, u8> =
            FxHashMap::with_capacity_and_hasher(lines, Default::default());
        for (n, line) in text.lines().enumerate() {
            let line = line.trim_end_matches('\r');
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (surface, letters) = line
                .split_once('\t')
                .ok_or_else(|| format!("line {}: expected `name<TAB>classes`", n + 1))?;
            let mut classes = 0u8;
            for c in letters.chars() {
                let bit = CLASS_LETTERS
                    .iter()
                    .find(|(l, _)| *l == c)
                    .ok_or_else(|| {
                        format!("line {}: unknown class {c:?} (use S G P L C N W)", n + 1)
                    })?
                    .1;
                classes |= bit;
            }
            if surface.is_empty() {
                return Err(format!("line {}: empty name", n + 1));
            }
            *entries.entry(surface).or_default() |= classes;
        }
        Ok(NameLexicon { entries })
    }

    /// Reads a folder's own list, kept for the life of the program (see [`parse`]).
    pub fn read(text: String) -> Result<NameLexicon, String> {
        NameLexicon::parse(Box::leak(text.into_boxed_str()))
    }

    /// The shipped lexicon, parsed once.
    pub fn builtin() -> Arc<NameLexicon> {
        static LEXICON: OnceLock<Arc<NameLexicon>> = OnceLock::new();
        LEXICON
            .get_or_init(|| {
                Arc::new(NameLexicon::parse(BUILTIN).expect("ontology/names.tsv parses"))
            })
            .clone()
    }

    /// Classes of a name, 0 when the lexicon does not hold it.
    pub fn classes(&self, name: &str) -> u8 {
        self.entries.get(name).copied().unwrap_or(0)
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
            let s = t.surface;
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
        joined.clear();
        joined += tokens[k].surface;
        let mut longest = None;
        for end in k + 2..=(k + MAX_ENTRY_TOKENS).min(tokens.len()) {
            joined += tokens[end - 1].surface;
            let c = lexicon.classes(&joined);
            if c != 0 {
                longest = Some((end, c));
            }
        }
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

    fn lexicon(text: &'static str) -> NameLexicon {
        NameLexicon::parse(text).unwrap()
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
        let e = NameLexicon::parse("ミナト\tL\nアオイ\n").unwrap_err();
        assert!(e.starts_with("line 2:"), "{e}");
        let e = NameLexicon::parse("ミナト\tX\n").unwrap_err();
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
