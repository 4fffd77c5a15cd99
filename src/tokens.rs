//! Stage 2: morphology. Wraps lindera with an IPADIC dictionary compiled offline
//! by `build.rs` and embedded in the binary, and turns its tokens into owned
//! [`Token`]s with character offsets into the article text.
use std::borrow::Cow;

use lindera::mode::Mode;
use lindera::segmenter::Segmenter;

use crate::error::{Error, Result};

mod ipadic {
    // Expands to `pub fn load() -> LinderaResult<Dictionary>` over the bytes that
    // build.rs wrote to OUT_DIR/ipadic.
    lindera_dictionary::embedded_dictionary!("/ipadic", EmbeddedIpadicLoader);
}

/// One morpheme with its IPADIC analysis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub surface: String,
    /// Character offsets into the text handed to [`Tokenizer::tokenize`], plus `base_offset`.
    pub start: usize,
    pub end: usize,
    /// IPADIC part of speech and its three subcategories, e.g. `名詞,固有名詞,人名,姓`.
    pub pos: [String; 4],
    /// Conjugation type and form (活用型, 活用形), `*` when none.
    pub conj_type: String,
    pub conj_form: String,
    /// Dictionary form; the surface for unknown words.
    pub base: String,
    /// Katakana reading; empty for unknown words.
    pub reading: String,
    /// True when the word is not in the dictionary (lindera's unknown-word model).
    pub unknown: bool,
}

impl Token {
    pub fn is_noun(&self) -> bool {
        self.pos[0] == "名詞"
    }
    pub fn is_particle(&self) -> bool {
        self.pos[0] == "助詞"
    }
    pub fn is_verb(&self) -> bool {
        self.pos[0] == "動詞"
    }
    pub fn is_symbol(&self) -> bool {
        self.pos[0] == "記号"
    }
    pub fn is_proper(&self) -> bool {
        self.pos[1] == "固有名詞"
    }
    /// `pos` joined with commas, the form rule files match against.
    pub fn pos_string(&self) -> String {
        self.pos.join(",")
    }
}

/// A loaded morphological analyser. Cheap to share between threads by reference.
pub struct Tokenizer {
    segmenter: Segmenter,
}

impl Tokenizer {
    /// Loads the embedded IPADIC (about a millisecond: the bytes are in the binary).
    pub fn new() -> Result<Self> {
        let dictionary = ipadic::load().map_err(Error::Dictionary)?;
        Ok(Tokenizer {
            segmenter: Segmenter::new(Mode::Normal, dictionary, None),
        })
    }

    /// Tokenises `text`; offsets are in characters and start at `base_offset`.
    pub fn tokenize(&self, text: &str, base_offset: usize) -> Result<Vec<Token>> {
        let raw = self
            .segmenter
            .segment(Cow::Borrowed(text))
            .map_err(Error::Dictionary)?;
        let mut tokens = Vec::with_capacity(raw.len());
        // lindera reports byte offsets; walk them once to get character offsets.
        let mut byte_cursor = 0;
        let mut char_cursor = base_offset;
        for mut tok in raw {
            char_cursor += text[byte_cursor..tok.byte_start].chars().count();
            let start = char_cursor;
            let surface = tok.surface.to_string();
            char_cursor += surface.chars().count();
            byte_cursor = tok.byte_end;
            let unknown = tok.word_id.is_unknown();
            let details: Vec<&str> = tok.details();
            let field = |i: usize| details.get(i).copied().unwrap_or("*").to_string();
            let base = match details.get(6) {
                Some(b) if *b != "*" && !b.is_empty() => b.to_string(),
                _ => surface.clone(),
            };
            let reading = match details.get(7) {
                Some(r) if *r != "*" => r.to_string(),
                _ => String::new(),
            };
            tokens.push(Token {
                pos: [field(0), field(1), field(2), field(3)],
                conj_type: field(4),
                conj_form: field(5),
                base,
                reading,
                unknown,
                start,
                end: char_cursor,
                surface,
            });
        }
        Ok(split_bracket_runs(tokens))
    }
}

/// Brackets are one token each. After NFKC a full-width （ is the ASCII (,
/// which IPADIC does not list; its unknown-word model then glues it to a
/// neighbouring bracket as one noun (」( in 「X」(Y製)), and no later stage
/// would see the parenthesis open.
fn split_bracket_runs(tokens: Vec<Token>) -> Vec<Token> {
    let bracket = |c: char| {
        matches!(
            c,
            '(' | ')' | '[' | ']' | '「' | '」' | '『' | '』' | '【' | '】'
        )
    };
    let mut out = Vec::with_capacity(tokens.len());
    for t in tokens {
        let chars: Vec<char> = t.surface.chars().collect();
        if chars.len() < 2
            || !chars.iter().any(|&c| bracket(c))
            || !chars
                .iter()
                .all(|&c| bracket(c) || c.is_ascii_punctuation())
        {
            out.push(t);
            continue;
        }
        for (k, c) in chars.into_iter().enumerate() {
            let kind = match c {
                '(' | '[' | '「' | '『' | '【' => "括弧開",
                ')' | ']' | '」' | '』' | '】' => "括弧閉",
                _ => "一般",
            };
            out.push(Token {
                surface: c.to_string(),
                start: t.start + k,
                end: t.start + k + 1,
                pos: ["記号".into(), kind.into(), "*".into(), "*".into()],
                conj_type: "*".into(),
                conj_form: "*".into(),
                base: c.to_string(),
                reading: String::new(),
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
        let joined: String = toks.iter().map(|t| t.surface.as_str()).collect();
        assert_eq!(joined, "本田技研工業は東京で設立された。");
        for w in toks.windows(2) {
            assert_eq!(w[0].end, w[1].start);
        }
        let tokyo = toks.iter().find(|t| t.surface == "東京").unwrap();
        assert_eq!(tokyo.pos[1], "固有名詞");
        assert_eq!(tokyo.pos[2], "地域");
    }

    #[test]
    fn brackets_glued_together_are_split() {
        let t = Tokenizer::new().unwrap();
        let toks = t.tokenize("「ミドリパッド」(ミドリ電機製)", 0).unwrap();
        let open = toks.iter().find(|t| t.surface == "(").unwrap();
        assert_eq!(open.pos[1], "括弧開");
        assert!(toks
            .iter()
            .any(|t| t.surface == "」" && t.pos[1] == "括弧閉"));
        let joined: String = toks.iter().map(|t| t.surface.as_str()).collect();
        assert_eq!(joined, "「ミドリパッド」(ミドリ電機製)");
    }

    #[test]
    fn verbs_carry_their_dictionary_form() {
        let t = Tokenizer::new().unwrap();
        let toks = t.tokenize("彼は会社を去った", 0).unwrap();
        let verb = toks.iter().find(|t| t.is_verb()).unwrap();
        assert_eq!(verb.base, "去る");
    }
}
