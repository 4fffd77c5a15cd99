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
//!
//! The shipped list is compiled by `build.rs` into an FST map (see [`table`])
//! embedded in the binary and read in place: a process starts without parsing
//! 448,000 lines, and pages only the parts of the map its lookups reach. An FST
//! rather than a hash table, because the tagger also asks for names that run
//! across up to six tokens from every position: walking the automaton token by
//! token answers all of them in one pass and stops at the first byte no name
//! continues with, where a table needs a joined string and a lookup per length.
use std::borrow::Cow;
use std::sync::Arc;

use fst::raw::Output;
use fst::Map;

use crate::tokens::Token;

mod table;

pub use table::{COMMON_WORD, COUNTRY, GIVEN_NAME, OTHER_PROPER, PERSON, PLACE, SURNAME};

/// The shipped lexicon, compiled by build.rs from ontology/names.tsv.
const BUILTIN: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/names.fst"));
pub const FILE_NAME: &str = "names.tsv";

/// Names with their classes.
pub struct NameLexicon {
    map: Map<Cow<'static, [u8]>>,
}

/// Names are too many to print; say how many there are.
impl std::fmt::Debug for NameLexicon {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "NameLexicon {{ {} names }}", self.len())
    }
}

impl NameLexicon {
    /// Parses and compiles a list in the `names.tsv` format; `Err` carries the
    /// line number and the problem.
    pub fn parse(text: &str) -> Result<NameLexicon, String> {
        let bytes = table::compile(text)?;
        let map = Map::new(Cow::Owned(bytes)).map_err(|e| e.to_string())?;
        Ok(NameLexicon { map })
    }

    /// The shipped lexicon, read in place from the binary.
    pub fn builtin() -> Arc<NameLexicon> {
        let map = Map::new(Cow::Borrowed(BUILTIN)).expect("build.rs writes a valid name FST");
        Arc::new(NameLexicon { map })
    }

    /// Classes of a name, 0 when the lexicon does not hold it.
    pub fn classes(&self, name: &str) -> u8 {
        self.map.get(name).map_or(0, |c| c as u8)
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// The classes of the names that start with `tokens[0]` and end at a token
    /// boundary, up to `tokens.len()` tokens: `out[n - 1]` for the first `n`
    /// tokens joined, 0 where no name is. One walk of the automaton, which ends
    /// at the first byte no listed name continues with.
    fn names_from(&self, tokens: &[Token], out: &mut [u8; MAX_ENTRY_TOKENS]) {
        *out = [0; MAX_ENTRY_TOKENS];
        let fst = self.map.as_fst();
        let mut node = fst.root();
        let mut sum = Output::zero();
        for (n, t) in tokens.iter().take(MAX_ENTRY_TOKENS).enumerate() {
            for &b in t.surface.as_bytes() {
                let Some(i) = node.find_input(b) else {
                    return;
                };
                let tr = node.transition(i);
                sum = sum.cat(tr.out);
                node = fst.node(tr.addr);
            }
            if node.is_final() {
                out[n] = sum.cat(node.final_output()).value() as u8;
            }
        }
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
    // The names starting at each token: its own word, and runs of tokens.
    let mut from = vec![[0u8; MAX_ENTRY_TOKENS]; tokens.len()];
    for (k, names) in from.iter_mut().enumerate() {
        lexicon.names_from(&tokens[k..], names);
    }
    let mut cues: Vec<NameCues> = tokens
        .iter()
        .zip(&from)
        .map(|(t, names)| {
            let s = t.surface;
            NameCues {
                word: names[0],
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
    while k < tokens.len() {
        let longest = (2..=MAX_ENTRY_TOKENS)
            .rev()
            .find(|&n| from[k][n - 1] != 0)
            .map(|n| (k + n, from[k][n - 1]));
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

    /// The walk gives what looking up every joined run of tokens gives.
    #[test]
    fn names_across_tokens_are_the_longest_listed_run() {
        let l = lexicon("江ノ島\tL\n江ノ島電鉄\tN\n電鉄\tW\nミナト\tS\nミナト・アオイ\tP\n");
        let tokenizer = crate::tokens::Tokenizer::new().unwrap();
        let tokens = tokenizer
            .tokenize("江ノ島電鉄のミナト・アオイは江ノ島へ行った。", 0)
            .unwrap();
        let cues = name_cues(&tokens, &l);
        for (t, c) in tokens.iter().zip(&cues) {
            assert_eq!(c.word, l.classes(t.surface), "{}", t.surface);
        }
        let mut k = 0;
        while k < tokens.len() {
            let longest = (k + 2..=(k + MAX_ENTRY_TOKENS).min(tokens.len()))
                .filter_map(|end| {
                    let joined: String = tokens[k..end].iter().map(|t| t.surface).collect();
                    let c = l.classes(&joined);
                    (c != 0).then_some((end, c))
                })
                .next_back();
            match longest {
                Some((end, c)) => {
                    for (m, cue) in cues.iter().enumerate().take(end).skip(k) {
                        assert_eq!(cue.entry, c);
                        assert_eq!(
                            cue.entry_edge,
                            u8::from(m == k) | (2 * u8::from(m + 1 == end))
                        );
                    }
                    k = end;
                }
                None => {
                    assert_eq!(cues[k].entry, 0, "{}", tokens[k].surface);
                    k += 1;
                }
            }
        }
        assert!(cues.iter().any(|c| c.entry == OTHER_PROPER), "{tokens:?}");
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
