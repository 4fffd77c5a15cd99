//! Stage 2: morphology. Wraps lindera with an IPADIC dictionary compiled offline
//! by `build.rs` and embedded in the binary, and turns its tokens into
//! [`Token`]s with character offsets into the article text and typed parts of
//! speech ([`pos`]). A token borrows its text and dictionary form, so a
//! sentence's tokens live as long as the text and the tokenizer.
use std::borrow::Cow;
use std::sync::{Mutex, PoisonError};

use lindera::mode::Mode;
use lindera::segmenter::Segmenter;
use lindera_dictionary::dictionary::prefix_dictionary::PrefixDictionary;
use lindera_dictionary::viterbi::Lattice;

use crate::error::{Error, Result};

pub mod pos;

pub use pos::{ConjForm, Tag};

mod ipadic {
    // Expands to `pub fn load() -> LinderaResult<Dictionary>` over the bytes that
    // build.rs wrote to OUT_DIR/ipadic.
    lindera_dictionary::embedded_dictionary!("/ipadic", EmbeddedIpadicLoader);
}

/// One morpheme with its IPADIC analysis. It borrows its text from the
/// sentence it was cut from and its dictionary form from the dictionary, so
/// tokenising allocates nothing per token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token<'a> {
    pub surface: &'a str,
    /// Character offsets into the text handed to [`Tokenizer::tokenize`], plus `base_offset`.
    pub start: usize,
    pub end: usize,
    /// IPADIC part of speech and its three subdivisions, e.g. `名詞,固有名詞,人名,姓`.
    pub pos: [Tag; 4],
    /// Conjugated form (活用形), [`ConjForm::Unset`] when none.
    pub conj: ConjForm,
    /// Dictionary form; the surface for unknown words.
    pub base: &'a str,
    /// True when the word is not in the dictionary (lindera's unknown-word model).
    pub unknown: bool,
}

impl Token<'_> {
    pub fn is_noun(&self) -> bool {
        self.pos[0] == Tag::Noun
    }
    pub fn is_particle(&self) -> bool {
        self.pos[0] == Tag::Particle
    }
    pub fn is_verb(&self) -> bool {
        self.pos[0] == Tag::Verb
    }
    pub fn is_adjective(&self) -> bool {
        self.pos[0] == Tag::Adjective
    }
    pub fn is_auxiliary(&self) -> bool {
        self.pos[0] == Tag::Auxiliary
    }
    pub fn is_symbol(&self) -> bool {
        self.pos[0] == Tag::Symbol
    }
    /// A token of white space alone (a full-width space between items).
    pub fn is_blank(&self) -> bool {
        self.surface.trim().is_empty()
    }
    pub fn is_prefix(&self) -> bool {
        self.pos[0] == Tag::Prefix
    }
    /// 連体詞: その, この (a demonstrative before a noun).
    pub fn is_adnominal(&self) -> bool {
        self.pos[0] == Tag::Adnominal
    }
    pub fn is_proper(&self) -> bool {
        self.pos[1] == Tag::ProperNoun
    }
    /// A proper noun the dictionary lists as a person's name.
    pub fn is_person_name(&self) -> bool {
        self.is_proper() && self.pos[2] == Tag::PersonName
    }
    /// The dictionary's given names (人名,名) and surnames (人名,姓).
    pub fn is_given_name(&self) -> bool {
        self.is_person_name() && self.pos[3] == Tag::GivenName
    }
    pub fn is_surname(&self) -> bool {
        self.is_person_name() && self.pos[3] == Tag::Surname
    }
    /// A proper noun the dictionary lists as a place (地域).
    pub fn is_place_name(&self) -> bool {
        self.is_proper() && self.pos[2] == Tag::Region
    }
    /// The tokens with each plain noun whose surface is one of `nouns` read
    /// as a サ変 noun (勢揃い, which IPADIC files as a general noun but news
    /// writes as an action: Xが勢揃い。, 勢揃いした); borrowed as they are
    /// when none is.
    pub fn with_action_nouns<'t, 'a>(
        tokens: &'t [Token<'a>],
        nouns: &[String],
    ) -> Cow<'t, [Token<'a>]> {
        let action = |t: &Token| {
            t.pos[0] == Tag::Noun
                && t.pos[1] == Tag::General
                && nouns.iter().any(|n| n == t.surface)
        };
        if !tokens.iter().any(action) {
            return Cow::Borrowed(tokens);
        }
        Cow::Owned(
            tokens
                .iter()
                .map(|t| {
                    let mut t = *t;
                    if action(&t) {
                        t.pos[1] = Tag::Sahen;
                    }
                    t
                })
                .collect(),
        )
    }
    /// A noun that takes する (買収, 設立).
    pub fn is_sahen(&self) -> bool {
        self.pos[1] == Tag::Sahen || self.is_suffix() && self.pos[2] == Tag::Sahen
    }
    pub fn is_number(&self) -> bool {
        self.pos[1] == Tag::Number
    }
    /// A counter after a number (歳, 人, 個).
    pub fn is_counter(&self) -> bool {
        self.is_suffix() && self.pos[2] == Tag::Counter
    }
    /// A suffix noun (社, 氏, 者).
    pub fn is_suffix(&self) -> bool {
        self.pos[1] == Tag::Suffix
    }
    /// A dependent word (こと, もの, the いる of ている).
    pub fn is_dependent(&self) -> bool {
        self.pos[1] == Tag::Dependent
    }
    pub fn is_pronoun(&self) -> bool {
        self.pos[1] == Tag::Pronoun
    }
    /// A noun that can stand as an adverb (今年, 後, 現在).
    pub fn is_adverbial_noun(&self) -> bool {
        self.pos[1] == Tag::AdverbialNoun
    }
    /// 、 and its kin.
    pub fn is_comma(&self) -> bool {
        self.pos[1] == Tag::Comma
    }
    /// と, や joining a list.
    pub fn is_parallel_particle(&self) -> bool {
        self.pos[1] == Tag::ParallelParticle || self.pos[2] == Tag::ParallelParticle
    }
    /// The の of XのY.
    pub fn is_adnominalizer(&self) -> bool {
        self.pos[1] == Tag::Adnominalizer
    }
    /// The dictionary's bracket tags (the text may have brackets it does not tag).
    pub fn is_open_bracket(&self) -> bool {
        self.pos[1] == Tag::OpenBracket
    }
    pub fn is_close_bracket(&self) -> bool {
        self.pos[1] == Tag::CloseBracket
    }
    /// `pos` joined with commas, as IPADIC writes it.
    pub fn pos_string(&self) -> String {
        self.pos.map(Tag::as_str).join(",")
    }
}

/// A loaded morphological analyser. Cheap to share between threads by reference.
pub struct Tokenizer {
    segmenter: Segmenter,
    /// Viterbi lattices kept between calls, one per thread tokenising at a
    /// time: a fresh lattice allocates a vector of edges for every character
    /// of the sentence, which cost more than the search itself.
    lattices: Mutex<Vec<Lattice>>,
}

impl Tokenizer {
    /// Loads the embedded IPADIC (about a millisecond: the bytes are in the binary).
    pub fn new() -> Result<Self> {
        let dictionary = ipadic::load().map_err(Error::Dictionary)?;
        Ok(Tokenizer {
            segmenter: Segmenter::new(Mode::Normal, dictionary, None),
            lattices: Mutex::new(Vec::new()),
        })
    }

    /// How many words lindera cuts `text` into, without reading their details:
    /// lindera's own share of [`Self::tokenize`], which the pipeline bench
    /// measures apart (its `segment` stage).
    pub fn count_words(&self, text: &str) -> Result<usize> {
        Ok(self.segment(text)?.len())
    }

    /// lindera's words for `text`, cut on a lattice taken from the pool.
    fn segment<'a>(&'a self, text: &'a str) -> Result<Vec<lindera::token::Token<'a>>> {
        let lattices = || self.lattices.lock().unwrap_or_else(PoisonError::into_inner);
        let mut lattice = lattices().pop().unwrap_or_default();
        let raw = self
            .segmenter
            .segment_with_lattice(Cow::Borrowed(text), &mut lattice);
        lattices().push(lattice);
        raw.map_err(Error::Dictionary)
    }

    /// Tokenises `text`; offsets are in characters and start at `base_offset`.
    /// The tokens borrow from `text` and from the dictionary.
    pub fn tokenize<'a>(&'a self, text: &'a str, base_offset: usize) -> Result<Vec<Token<'a>>> {
        let raw = self.segment(text)?;
        // A known word's details sit somewhere in 32 MB of dictionary, and
        // reading them made each token wait on memory twice (for the offset of
        // its entry, then for the entry). Taking each step for all of the
        // sentence's tokens before the next lets the processor fetch them side
        // by side; this was a tenth of the tokenising time.
        let offsets: Vec<Option<usize>> = raw
            .iter()
            .map(|tok| {
                let dictionary = &tok.dictionary.prefix_dictionary;
                let known = !tok.word_id.is_unknown();
                known
                    .then(|| word_offset(dictionary, tok.word_id.id() as usize))
                    .flatten()
            })
            .collect();
        let entries: Vec<Option<&[u8]>> = raw
            .iter()
            .zip(offsets)
            .map(|(tok, at)| at.map(|at| word_entry_at(&tok.dictionary.prefix_dictionary, at)))
            .collect();
        let mut tokens = Vec::with_capacity(raw.len());
        // lindera reports byte offsets; walk them once to get character offsets.
        let mut byte_cursor = 0;
        let mut char_cursor = base_offset;
        for (tok, entry) in raw.iter().zip(entries) {
            char_cursor += text[byte_cursor..tok.byte_start].chars().count();
            let start = char_cursor;
            let surface = &text[tok.byte_start..tok.byte_end];
            char_cursor += surface.chars().count();
            byte_cursor = tok.byte_end;
            let unknown = tok.word_id.is_unknown();
            let dictionary = tok.dictionary;
            let id = tok.word_id.id() as usize;
            // Borrowed from the dictionary's bytes: no allocation per token.
            let (pos, conj, base) = if unknown {
                let mut details = dictionary.unknown_word_details_iter(id);
                read_details(|| details.next().map(str::as_bytes), surface)
            } else {
                let mut fields = entry.map(|e| e.split(|&b| b == 0));
                read_details(|| fields.as_mut()?.next(), surface)
            };
            tokens.push(Token {
                surface,
                start,
                end: char_cursor,
                pos,
                conj,
                base,
                unknown,
            });
        }
        Ok(split_bracket_runs(tokens))
    }
}

/// The part of speech, conjugated form and dictionary form from a word's
/// detail fields (IPADIC: four POS fields, conjugation type and form, base
/// form, reading, pronunciation); a missing field reads as `*`.
fn read_details<'a>(
    mut next: impl FnMut() -> Option<&'a [u8]>,
    surface: &'a str,
) -> ([Tag; 4], ConjForm, &'a str) {
    let mut field = || next().unwrap_or(b"*");
    let pos = [
        Tag::parse_bytes(field()),
        Tag::parse_bytes(field()),
        Tag::parse_bytes(field()),
        Tag::parse_bytes(field()),
    ];
    let _conj_type = field();
    let conj = ConjForm::parse_bytes(field());
    let base = match field() {
        b"*" | b"" => surface,
        // Most words are their own dictionary form: no UTF-8 check needed.
        b if b == surface.as_bytes() => surface,
        b => std::str::from_utf8(b).unwrap_or(surface),
    };
    (pos, conj, base)
}

/// Where a system dictionary word's entry starts in the dictionary's bytes
/// (lindera's layout: a little-endian `u32` offset per word id); None for a
/// word id without an entry.
fn word_offset(dictionary: &PrefixDictionary, id: usize) -> Option<usize> {
    u32_at(&dictionary.words_idx_data, id.checked_mul(4)?)
}

/// The NUL-joined detail fields of the entry at `offset` (a `u32` length,
/// then the fields). Unlike lindera's `word_details_iter` it does not check
/// the whole entry, reading and pronunciation included, for UTF-8: the tags
/// are compared as bytes and only the base form is checked. A malformed
/// entry reads, as in lindera, as the one field `UNK`.
fn word_entry_at(dictionary: &PrefixDictionary, offset: usize) -> &[u8] {
    let entry = || {
        let len = u32_at(&dictionary.words_data, offset)?;
        dictionary
            .words_data
            .get(offset + 4..(offset + 4).checked_add(len)?)
    };
    entry().unwrap_or(b"UNK")
}

fn u32_at(bytes: &[u8], at: usize) -> Option<usize> {
    let b = bytes.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
}

/// Brackets are one token each. After NFKC a full-width （ is the ASCII (,
/// which IPADIC does not list; its unknown-word model then glues it to a
/// neighbouring bracket as one noun (」( in 「X」(Y製)), and no later stage
/// would see the parenthesis open.
fn split_bracket_runs(tokens: Vec<Token<'_>>) -> Vec<Token<'_>> {
    let bracket = |c: char| {
        matches!(
            c,
            '(' | ')' | '[' | ']' | '「' | '」' | '『' | '』' | '【' | '】'
        )
    };
    let glued = |t: &Token| {
        // The first character rules out nearly every token at once.
        let mut chars = t.surface.chars();
        chars
            .next()
            .is_some_and(|c| bracket(c) || c.is_ascii_punctuation())
            && chars.next().is_some()
            && t.surface.chars().any(bracket)
            && t.surface
                .chars()
                .all(|c| bracket(c) || c.is_ascii_punctuation())
    };
    if !tokens.iter().any(glued) {
        return tokens;
    }
    let mut out = Vec::with_capacity(tokens.len());
    for t in tokens {
        if !glued(&t) {
            out.push(t);
            continue;
        }
        for (k, (at, c)) in t.surface.char_indices().enumerate() {
            let kind = match c {
                '(' | '[' | '「' | '『' | '【' => Tag::OpenBracket,
                ')' | ']' | '」' | '』' | '】' => Tag::CloseBracket,
                _ => Tag::General,
            };
            let surface = &t.surface[at..at + c.len_utf8()];
            out.push(Token {
                surface,
                start: t.start + k,
                end: t.start + k + 1,
                pos: [Tag::Symbol, kind, Tag::Unset, Tag::Unset],
                conj: ConjForm::Unset,
                base: surface,
                unknown: false,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_are_in_characters_and_cover_the_text() {
        let t = Tokenizer::new().unwrap();
        let toks = t.tokenize("本田技研工業は東京で設立された。", 10).unwrap();
        assert_eq!(toks[0].start, 10);
        let joined: String = toks.iter().map(|t| t.surface).collect();
        assert_eq!(joined, "本田技研工業は東京で設立された。");
        for w in toks.windows(2) {
            assert_eq!(w[0].end, w[1].start);
        }
        let tokyo = toks.iter().find(|t| t.surface == "東京").unwrap();
        assert!(tokyo.is_place_name());
        assert_eq!(tokyo.pos_string(), "名詞,固有名詞,地域,一般");
    }

    #[test]
    fn brackets_glued_together_are_split() {
        let t = Tokenizer::new().unwrap();
        let toks = t.tokenize("「ミドリパッド」(ミドリ電機製)", 0).unwrap();
        let open = toks.iter().find(|t| t.surface == "(").unwrap();
        assert!(open.is_open_bracket());
        assert!(toks
            .iter()
            .any(|t| t.surface == "」" && t.is_close_bracket()));
        let joined: String = toks.iter().map(|t| t.surface).collect();
        assert_eq!(joined, "「ミドリパッド」(ミドリ電機製)");
    }

    #[test]
    fn entry_bytes_read_as_lindera_details() {
        let t = Tokenizer::new().unwrap();
        let dictionary = &t.segmenter.dictionary;
        let words = dictionary.prefix_dictionary.words_idx_data.len() / 4;
        for id in (0..words + 2)
            .step_by(997)
            .chain([words - 1, words, words + 1])
        {
            let prefix = &dictionary.prefix_dictionary;
            let mut ours =
                word_offset(prefix, id).map(|at| word_entry_at(prefix, at).split(|&b| b == 0));
            let mut theirs = dictionary.word_details_iter(id);
            assert_eq!(
                read_details(|| ours.as_mut()?.next(), "x"),
                read_details(|| theirs.next().map(str::as_bytes), "x"),
                "word {id}"
            );
        }
    }

    #[test]
    fn a_kept_lattice_gives_what_a_fresh_one_gives() {
        let long = "本田技研工業と日産自動車は経営統合に向けた協議を始めたと、横浜市で開いた記者会見で発表した。".repeat(3);
        let short = "彼は会社を去った";
        let used = Tokenizer::new().unwrap();
        used.tokenize(&long, 0).unwrap();
        let fresh = Tokenizer::new().unwrap();
        assert_eq!(
            used.tokenize(short, 0).unwrap(),
            fresh.tokenize(short, 0).unwrap()
        );
    }

    #[test]
    fn verbs_carry_their_dictionary_form() {
        let t = Tokenizer::new().unwrap();
        let toks = t.tokenize("彼は会社を去った", 0).unwrap();
        let verb = toks.iter().find(|t| t.is_verb()).unwrap();
        assert_eq!(verb.base, "去る");
    }
}
