//! Stage 1: bytes → article text → sentences.
//!
//! All later offsets are character offsets into [`Article::text`], which is the
//! body after decoding and NFKC normalisation (full-width Latin and digits folded,
//! half-width katakana widened), so that rules see one spelling of each character.
use std::path::{Path, PathBuf};

use serde::Serialize;
use sha2::{Digest, Sha256};
use unicode_normalization::UnicodeNormalization;

use crate::error::{Error, Result};

/// How a file lays out its header lines before the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Layout {
    /// The whole file is the article; a short first line that does not end a
    /// sentence (no 。) and is followed by more text is taken as the title.
    #[default]
    Plain,
    /// livedoor news corpus: line 1 URL, line 2 date, line 3 title, then the body.
    Livedoor,
}

impl Layout {
    /// The name users write (`--layout livedoor`, `"layout": "livedoor"`).
    pub fn name(self) -> &'static str {
        match self {
            Layout::Plain => "plain",
            Layout::Livedoor => "livedoor",
        }
    }
}

/// One article, decoded and normalised.
#[derive(Debug, Clone, Serialize)]
pub struct Article {
    /// Hex SHA-256 of `text` (first 16 bytes): the same text always gets the same id.
    pub id: String,
    pub title: Option<String>,
    pub source: Option<PathBuf>,
    /// Publication date or URL from the file header, when the layout has one.
    pub date: Option<String>,
    pub url: Option<String>,
    /// Normalised text that extraction reads, title included as its first line.
    pub text: String,
    /// What reading the file changed that its user should know (HTML markup
    /// stripped), one line each.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// Which encoding a file turned out to be in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    ShiftJis,
    EucJp,
}

/// Largest file read as one article: 1 MiB, thirty times livedoor's largest
/// article (32 KB). Extraction time and memory grow linearly with the text, and
/// at this size the worst text (one line of names and no sentence end) takes
/// 6-9 s and 263 MB; a larger file (a book, a log, an archive) is refused at
/// once instead of holding up its batch. Split long documents into articles.
pub const MAX_FILE_BYTES: u64 = 1 << 20;

/// Decodes UTF-8 (with or without BOM), Shift_JIS or EUC-JP; refuses anything else.
///
/// UTF-8 is tried first because it is strict: Japanese text in a legacy encoding is
/// practically never valid UTF-8. Shift_JIS and EUC-JP overlap (many byte strings are
/// valid in both), so both are decoded and the one that reads more like Japanese wins.
/// Real Japanese prose in Shift_JIS is practically never valid EUC-JP (its hiragana
/// lead byte 0x82 is not an EUC-JP byte; none of ~52,000 livedoor lines was), so the
/// ambiguous case is EUC-JP read as Shift_JIS, which the scoring settles. A text of
/// only half-width katakana and rare kanji remains undecidable and reads as EUC-JP.
pub fn decode(bytes: &[u8], path: &Path) -> Result<(String, Encoding)> {
    if bytes.is_empty() {
        return Err(Error::bad_input(path, "empty file"));
    }
    // The UTF-32 LE mark starts with the UTF-16 LE one: test it first.
    if bytes.starts_with(b"\xFF\xFE\0\0") || bytes.starts_with(b"\0\0\xFE\xFF") {
        return Err(Error::bad_input(
            path,
            "UTF-32 text is not supported; convert it to UTF-8",
        ));
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err(Error::bad_input(
            path,
            "UTF-16 text is not supported; convert it to UTF-8",
        ));
    }
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    // NUL never occurs in text files in any of the three encodings.
    if body.contains(&0) {
        return Err(Error::bad_input(path, nul_problem(body)));
    }
    if let Ok(s) = std::str::from_utf8(body) {
        // ISO-2022-JP is 7-bit and so valid UTF-8; its escape sequences give it away.
        if s.contains("\x1b$B") || s.contains("\x1b$@") || s.contains("\x1b(J") {
            return Err(Error::bad_input(
                path,
                "ISO-2022-JP (JIS) text is not supported; convert it to UTF-8",
            ));
        }
        return check_text(s.to_string(), path).map(|s| (s, Encoding::Utf8));
    }
    let best = [
        (encoding_rs::SHIFT_JIS, Encoding::ShiftJis),
        (encoding_rs::EUC_JP, Encoding::EucJp),
    ]
    .into_iter()
    .filter_map(|(enc, tag)| {
        let s = enc.decode_without_bom_handling_and_without_replacement(body)?;
        let score = japanese_score(&s)?;
        Some((score, s, tag))
    })
    // A decoding with kana beats one without, whatever their scores.
    .map(|(score, s, tag)| (score.1.then_some(score.0), s, tag))
    .max_by_key(|(score, _, _)| *score);
    match best {
        Some((Some(_), s, tag)) => check_text(s.into_owned(), path).map(|s| (s, tag)),
        Some((None, _, _)) => Err(Error::bad_input(
            path,
            "not Japanese text: it decodes as Shift_JIS or EUC-JP only into kanji without \
             kana, as Korean (EUC-KR) or Chinese (GBK, Big5) text does; convert it to UTF-8",
        )),
        None => Err(Error::bad_input(
            path,
            "not valid UTF-8, Shift_JIS or EUC-JP text (binary or unsupported encoding)",
        )),
    }
}

/// What a file with NUL bytes is: UTF-32 or UTF-16 without a byte-order mark
/// has them in a regular pattern (ASCII and kana alike), binary files do not.
fn nul_problem(body: &[u8]) -> &'static str {
    let zero_at = |period: usize, lanes: &[usize]| {
        body.len().is_multiple_of(period)
            && body
                .chunks(period)
                .all(|c| lanes.iter().all(|&i| c[i] == 0))
    };
    if zero_at(4, &[2, 3]) || zero_at(4, &[0, 1]) {
        "UTF-32 text without a byte-order mark is not supported; convert it to UTF-8"
    } else {
        "contains NUL bytes: binary, or UTF-16/UTF-32 text (convert it to UTF-8)"
    }
}

/// How much `s` reads like Japanese prose, and whether it has the kana that
/// Japanese prose always has (at least one character in twenty; livedoor's
/// articles have a quarter or more), or `None` if it cannot be text at all.
/// Korean and Chinese legacy encodings decode as EUC-JP into kanji and symbols
/// with almost no kana, which tells them apart.
///
/// Decoding in the wrong one of Shift_JIS / EUC-JP turns hiragana into half-width
/// katakana and rare symbols, so hiragana weigh most and half-width katakana and
/// non-Japanese symbols count against. Control characters (other than line breaks and
/// tabs) never occur in text and rule a decoding out; so does a decoding in which
/// fewer than half of the non-ASCII characters are Japanese, which is what random
/// bytes give.
fn japanese_score(s: &str) -> Option<(i64, bool)> {
    let mut score = 0i64;
    let mut non_ascii = 0usize;
    let mut japanese = 0usize;
    let mut kana = 0usize;
    for c in s.chars() {
        if c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\x0c') {
            return None;
        }
        if c.is_ascii() {
            continue;
        }
        non_ascii += 1;
        let weight = match c {
            '\u{3041}'..='\u{309F}' => 4,
            _ if is_katakana(c) => 2,
            _ if is_kanji(c) => 1,
            // Ideographic space and punctuation, full-width ASCII.
            '\u{3000}'..='\u{303F}' | '\u{FF01}'..='\u{FF5E}' => 1,
            // Half-width katakana: legitimate but rare in news, and what hiragana
            // becomes when EUC-JP is read as Shift_JIS.
            '\u{FF61}'..='\u{FF9F}' => -1,
            _ => -2,
        };
        if weight > 0 || matches!(c, '\u{FF61}'..='\u{FF9F}') {
            japanese += 1;
        }
        if is_kana(c) {
            kana += 1;
        }
        score += weight;
    }
    (japanese * 2 >= non_ascii).then_some((score, kana * 20 >= japanese && kana > 0))
}

fn check_text(s: String, path: &Path) -> Result<String> {
    if s.trim().is_empty() {
        return Err(Error::bad_input(path, "empty article (only white space)"));
    }
    let control = s
        .chars()
        .filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\x0c'))
        .count();
    if control * 100 > s.chars().count() {
        return Err(Error::bad_input(
            path,
            "binary file (control characters), not text",
        ));
    }
    Ok(s)
}

pub fn is_kana(c: char) -> bool {
    matches!(c, '\u{3041}'..='\u{309F}' | '\u{30A0}'..='\u{30FF}')
}
pub fn is_hiragana(c: char) -> bool {
    matches!(c, '\u{3041}'..='\u{309F}')
}
pub fn is_katakana(c: char) -> bool {
    matches!(c, '\u{30A1}'..='\u{30FA}' | 'ー' | '・')
}
/// A name written in Latin letters (Meta, Llama 4, AT&T): ASCII only, with at
/// least one letter.
pub fn is_latin_spelling(name: &str) -> bool {
    name.is_ascii() && name.chars().any(|c| c.is_ascii_alphabetic())
}
pub fn is_kanji(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '々' | '〆' | 'ヶ')
}

/// NFKC plus the removal of zero-width characters, which would otherwise split
/// names, with line breaks made `\n`.
///
/// Most of a Japanese text is characters that NFKC leaves alone and that
/// nothing before or after them combines with (kana, kanji, ASCII): NFKC
/// may cut a text before each such *stable* character and normalise the
/// pieces apart. So runs of them are copied as they are, and only the
/// pieces from the last stable character before a changing one up to the
/// next stable one go through the normaliser, which took a tenth of the
/// time of reading an article when it saw every character.
pub fn normalize(s: &str) -> String {
    let kept = |c: &char| !is_zero_width(*c);
    let mut out = String::with_capacity(s.len());
    // Copied or normalised up to `done`; the piece being read starts at
    // `piece`, its last stable character, and `changing` says whether it
    // has characters NFKC may change.
    let (mut done, mut piece, mut changing) = (0, 0, false);
    for (at, c) in s.char_indices() {
        if !is_stable(c) {
            changing = true;
            continue;
        }
        if changing {
            out.push_str(&s[done..piece]);
            out.extend(s[piece..at].nfkc().filter(kept));
            done = at;
            changing = false;
        }
        piece = at;
    }
    if changing {
        out.push_str(&s[done..piece]);
        out.extend(s[piece..].nfkc().filter(kept));
    } else {
        out.push_str(&s[done..]);
    }
    if out.contains('\r') {
        out = out.replace("\r\n", "\n").replace('\r', "\n");
    }
    out
}

/// Zero-width characters, which [`normalize`] removes: they would split names.
fn is_zero_width(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}')
}

/// Whether NFKC leaves `c` as it is and never combines it with a character
/// before it (canonical combining class 0, NFKC quick check Yes), so that a
/// text can be normalised in pieces cut before it. The zero-width characters
/// that [`normalize`] removes count as unstable, so they go through its
/// filter. The common Japanese blocks are answered without the tables (a
/// test checks them against the tables).
fn is_stable(c: char) -> bool {
    use unicode_normalization::{char::canonical_combining_class, is_nfkc_quick, IsNormalized};
    match c {
        '\0'..='\x7F' | 'ぁ'..='ゖ' | 'ァ'..='ヺ' | 'ー' | '\u{4E00}'..='\u{9FFF}' => true,
        '、' | '。' | '「'..='】' => true,
        _ if is_zero_width(c) => false,
        _ => {
            canonical_combining_class(c) == 0
                && is_nfkc_quick(std::iter::once(c)) == IsNormalized::Yes
        }
    }
}

impl Article {
    /// Builds an article from already-decoded text.
    pub fn from_text(raw: &str, layout: Layout, source: Option<PathBuf>) -> Article {
        let (url, date, title, body) = split_header(&normalize(raw), layout);
        // White space at the end of a line is invisible and means nothing; kept,
        // it would give the same article a second id.
        let body = body
            .trim()
            .lines()
            .map(str::trim_end)
            .collect::<Vec<_>>()
            .join("\n");
        Article {
            id: text_id(&body),
            title: title.filter(|t| !t.is_empty()),
            source,
            date: date.filter(|d| !d.is_empty()),
            url: url.filter(|u| !u.is_empty()),
            text: body,
            warnings: Vec::new(),
        }
    }

    /// Reads, decodes and normalises one file.
    pub fn read(path: &Path, layout: Layout) -> Result<Article> {
        Article::from_file_text(&read_text(path)?, layout, path)
    }

    /// The article in a file's decoded text (see [`read_text`]), or why it is none.
    pub fn from_file_text(text: &str, layout: Layout, path: &Path) -> Result<Article> {
        if layout == Layout::Livedoor {
            // The corpus folders also hold LICENSE.txt, README.txt and CHANGES.txt;
            // every article starts with its URL, so this tells them apart.
            let first = text
                .trim_start_matches('\u{FEFF}')
                .lines()
                .next()
                .unwrap_or("");
            if !(first.starts_with("http://") || first.starts_with("https://")) {
                return Err(Error::NotAnArticle {
                    path: path.to_path_buf(),
                    problem: "not a livedoor article (line 1 is not a URL)".into(),
                });
            }
        }
        let (text, markup) = crate::screening::strip_markup(text);
        let mut article = Article::from_text(&text, layout, Some(path.to_path_buf()));
        if article.text.trim().is_empty() {
            return Err(Error::bad_input(
                path,
                "no article body after the header lines",
            ));
        }
        if let Some(problem) = crate::screening::not_japanese(&article.text) {
            return Err(Error::NotAnArticle {
                path: path.to_path_buf(),
                problem,
            });
        }
        if markup.any() {
            article.warnings.push(markup.describe());
        }
        Ok(article)
    }

    /// Other ids the same file text has had, with the layout each belongs to: its
    /// id as an article under the other layouts, and the id musubi gave it before
    /// white space at line ends was dropped. A store that holds one of them
    /// holds this file already.
    pub fn other_ids(text: &str, layout: Layout, path: &Path) -> Vec<(String, Layout)> {
        let mut ids = Vec::new();
        for l in [Layout::Plain, Layout::Livedoor] {
            let Ok(article) = Article::from_file_text(text, l, path) else {
                continue;
            };
            let untrimmed = text_id(split_header(&normalize(text), l).3.trim());
            if l != layout {
                ids.push((article.id.clone(), l));
            }
            if untrimmed != article.id {
                ids.push((untrimmed, l));
            }
        }
        ids
    }
}

/// URL, date, title and body of a normalised text under a layout.
fn split_header(
    text: &str,
    layout: Layout,
) -> (Option<String>, Option<String>, Option<String>, String) {
    let mut lines = text.lines();
    match layout {
        Layout::Livedoor => {
            let url = lines.next().map(|l| l.trim().to_string());
            let date = lines.next().map(|l| l.trim().to_string());
            let rest: Vec<&str> = lines.collect();
            let title = rest.first().map(|l| l.trim().to_string());
            (url, date, title, rest.join("\n"))
        }
        Layout::Plain => {
            let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
            let more = text.trim().contains('\n');
            let title = (more && first.chars().count() <= 80 && !first.trim_end().ends_with('。'))
                .then(|| first.trim().to_string());
            (None, None, title, text.to_string())
        }
    }
}

/// Hex SHA-256 of an article's text (its first 16 bytes).
fn text_id(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}

/// Reads and decodes one file (see [`decode`]), refusing files too large to be
/// one article.
pub fn read_text(path: &Path) -> Result<String> {
    let size = std::fs::metadata(path)
        .map_err(|e| Error::io(path, e))?
        .len();
    if size > MAX_FILE_BYTES {
        return Err(Error::bad_input(
            path,
            format!(
                "file too large for one article ({:.1} MiB; the limit is {} MiB: split it into articles)",
                size as f64 / f64::from(1 << 20),
                MAX_FILE_BYTES >> 20
            ),
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    Ok(decode(&bytes, path)?.0)
}

/// A sentence: a span of the article text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Sentence {
    pub index: usize,
    /// Character offsets into the article text.
    pub start: usize,
    pub end: usize,
    pub text: String,
}

impl Sentence {
    /// The character at article offset `at`, when it is in this sentence.
    pub fn char_at(&self, at: usize) -> Option<char> {
        self.text.chars().nth(at.checked_sub(self.start)?)
    }

    /// The text between article offsets `start` and `end`, clipped to this
    /// sentence.
    pub fn text_between(&self, start: usize, end: usize) -> String {
        let from = start.max(self.start);
        self.text
            .chars()
            .skip(from - self.start)
            .take(end.saturating_sub(from))
            .collect()
    }

    /// Whether characters `start..end` (article offsets) fill a pair of title
    /// brackets: 『X』 or 「X」.
    pub fn fills_brackets(&self, start: usize, end: usize) -> bool {
        let open = start.checked_sub(1).and_then(|at| self.char_at(at));
        matches!(
            (open, self.char_at(end)),
            (Some('『'), Some('』')) | (Some('「'), Some('」'))
        )
    }

    /// Whether characters `start..end` fill 『』, the brackets news keeps for
    /// works (「」 also quotes shops, places and speech).
    pub fn fills_work_brackets(&self, start: usize, end: usize) -> bool {
        self.char_at(end) == Some('』') && self.fills_brackets(start, end)
    }
}

/// Longest sentence handed to the tokeniser; longer runs without a full stop are
/// cut at the next comma or space past this, so a pathological one-line file
/// costs linear time.
const MAX_SENTENCE_CHARS: usize = 1000;

/// Splits at 。！？ (and ASCII !?) outside brackets and quotes, at line breaks, and
/// at Markdown heading marks (`##`), which news copied from the web often keeps inline.
pub fn split_sentences(text: &str) -> Vec<Sentence> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut start = 0;
    let mut depth: usize = 0;
    let push = |from: usize, to: usize, out: &mut Vec<Sentence>| {
        // Trim white space and heading marks at both ends, keeping offsets right.
        let junk = |c: char| c.is_whitespace() || c == '#';
        let mut a = from;
        let mut b = to;
        while a < b && junk(chars[a]) {
            a += 1;
        }
        while b > a && junk(chars[b - 1]) {
            b -= 1;
        }
        if a < b {
            out.push(Sentence {
                index: out.len(),
                start: a,
                end: b,
                text: chars[a..b].iter().collect(),
            });
        }
    };
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '「' | '『' | '(' | '（' | '【' | '[' | '“' => depth += 1,
            '」' | '』' | ')' | '）' | '】' | ']' | '”' => depth = depth.saturating_sub(1),
            _ => {}
        }
        let len = i + 1 - start;
        let boundary = match c {
            '\n' => {
                depth = 0;
                true
            }
            '。' | '！' | '？' | '!' | '?' => {
                depth == 0 && !matches!(chars.get(i + 1), Some('」' | '』' | ')' | '!' | '?'))
            }
            '#' if i + 1 < chars.len() && chars[i + 1] == '#' && i > start => {
                // A heading mark inside a line: cut before it.
                push(start, i, &mut out);
                start = i;
                while i < chars.len() && chars[i] == '#' {
                    i += 1;
                }
                continue;
            }
            '、' | ',' | ' ' if len >= MAX_SENTENCE_CHARS => true,
            _ => len >= MAX_SENTENCE_CHARS * 2,
        };
        if boundary {
            push(start, i + 1, &mut out);
            start = i + 1;
        }
        i += 1;
    }
    push(start, chars.len(), &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The definition [`normalize`] computes in pieces.
    fn normalize_whole(s: &str) -> String {
        s.nfkc()
            .filter(|&c| !is_zero_width(c))
            .collect::<String>()
            .replace("\r\n", "\n")
            .replace('\r', "\n")
    }

    #[test]
    fn the_japanese_blocks_taken_as_stable_are() {
        use unicode_normalization::{char::canonical_combining_class, is_nfkc_quick, IsNormalized};
        let ranges = [
            '\0'..='\x7F',
            'ぁ'..='ゖ',
            'ァ'..='ヺ',
            'ー'..='ー',
            '\u{4E00}'..='\u{9FFF}',
            '、'..='。',
            '「'..='】',
        ];
        for c in ranges.into_iter().flatten() {
            assert_eq!(canonical_combining_class(c), 0, "{c:?}");
            assert_eq!(
                is_nfkc_quick(std::iter::once(c)),
                IsNormalized::Yes,
                "{c:?}"
            );
        }
    }

    #[test]
    fn normalising_in_pieces_gives_the_whole_normal_form() {
        let texts = [
            "ミドリ電機（東京都）はＡＢＣ１２３を発表した。",
            "ｶﾀｶﾅとﾊﾟﾋﾟﾌﾟﾍﾟﾎﾟ、ガ行は\u{30AB}\u{3099}と書ける",
            "e\u{301}te\u{301}、Å（\u{212B}）、\u{1100}\u{1161}\u{11A8}",
            "\u{FEFF}名前\u{200B}の途中\u{200D}に幅\u{2060}のない文字",
            "行末\r\n次の行\r最後\r",
            "\r\u{200B}\n",
            "\u{301}先頭が結合文字、末尾も\u{3099}",
            "㈱山川、①番、㍻二十年、ﬁ、½",
            "",
        ];
        for t in texts {
            assert_eq!(normalize(t), normalize_whole(t), "{t:?}");
        }
    }

    #[test]
    fn splits_at_full_stops_but_not_inside_quotes() {
        let s = split_sentences("彼は「行く。戻る。」と言った。次の文！\n見出し");
        let texts: Vec<_> = s.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(
            texts,
            ["彼は「行く。戻る。」と言った。", "次の文！", "見出し"]
        );
        assert_eq!(s[1].start, 15);
    }

    #[test]
    fn inline_heading_marks_end_a_sentence() {
        let s = split_sentences("前の文です。## 見出し後の文です。");
        let texts: Vec<_> = s.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(texts, ["前の文です。", "見出し後の文です。"]);
    }

    #[test]
    fn offsets_index_the_text() {
        let text = "一つ目。二つ目。";
        let chars: Vec<char> = text.chars().collect();
        for s in split_sentences(text) {
            assert_eq!(chars[s.start..s.end].iter().collect::<String>(), s.text);
        }
    }

    #[test]
    fn long_lines_are_cut() {
        let text = "あ、".repeat(5000);
        let s = split_sentences(&text);
        assert!(s
            .iter()
            .all(|s| s.text.chars().count() <= 2 * MAX_SENTENCE_CHARS));
    }

    #[test]
    fn decoding_refuses_binary_and_accepts_sjis() {
        let p = Path::new("x");
        assert!(decode(b"\x00\x01\x02", p).is_err());
        assert!(decode(b"", p).is_err());
        assert!(decode(b"  \n ", p).is_err());
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode("日本語の記事です。");
        assert_eq!(
            decode(&sjis, p).unwrap(),
            ("日本語の記事です。".into(), Encoding::ShiftJis)
        );
        let (euc, _, _) = encoding_rs::EUC_JP.encode("東京で設立された会社。");
        assert_eq!(decode(&euc, p).unwrap().0, "東京で設立された会社。");
        assert_eq!(decode("\u{FEFF}記事".as_bytes(), p).unwrap().0, "記事");
    }

    #[test]
    fn euc_jp_that_is_also_valid_shift_jis_is_read_as_euc_jp() {
        let text = "話題の独女はさて";
        let (euc, _, _) = encoding_rs::EUC_JP.encode(text);
        assert!(encoding_rs::SHIFT_JIS
            .decode_without_bom_handling_and_without_replacement(&euc)
            .is_some());
        assert_eq!(
            decode(&euc, Path::new("x")).unwrap(),
            (text.to_string(), Encoding::EucJp)
        );
    }

    #[test]
    fn other_encodings_are_refused_by_name() {
        let p = Path::new("a.txt");
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("記事".encode_utf16().flat_map(|u| u.to_le_bytes()))
            .collect();
        let err = decode(&utf16, p).unwrap_err().to_string();
        assert!(
            err.contains("UTF-16") && err.starts_with("a.txt: "),
            "{err}"
        );
        let (jis, _, _) = encoding_rs::ISO_2022_JP.encode("日本語の記事です。");
        let err = decode(&jis, p).unwrap_err().to_string();
        assert!(err.contains("ISO-2022-JP"), "{err}");
        let latin1 = b"caf\xe9 cr\xe8me br\xfbl\xe9e, \xe0 la carte";
        let err = decode(latin1, p).unwrap_err().to_string();
        assert!(
            err.contains("not valid UTF-8, Shift_JIS or EUC-JP"),
            "{err}"
        );
    }

    #[test]
    fn same_text_same_id() {
        let a = Article::from_text("タイトル\n本文です。", Layout::Plain, None);
        let b = Article::from_text("タイトル\n本文です。", Layout::Plain, None);
        assert_eq!(a.id, b.id);
        assert_eq!(a.title.as_deref(), Some("タイトル"));
    }
}
