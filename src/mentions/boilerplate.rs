//! What in an article is not the article speaking: link lists and related
//! articles, bylines and credits, buttons, copyright lines, and the category tags
//! in brackets that web news puts on titles (【話題】). Names there are the
//! site's, or other articles', so no mention is taken from them and no fact can
//! come of them.
//!
//! The decision is made per line of the article, from cues in
//! `entities.toml` (`[boilerplate]`): a line that heads a block of links
//! (■関連記事) makes it and the list-like lines after it boilerplate; a line
//! that opens with a credit (文:, 記事執筆:, (C)) or ends with a button
//! (クチコミを見る) is boilerplate by itself; a line that is only a
//! parenthesis ((山田太郎)) is a byline; and a run of bulleted lines that ends
//! the article is a link list. Lines are what the cues are about: a web page
//! lays links and credits out one per line.
use serde::Deserialize;

use crate::document::{AnalyzedSentence, Mention, ValueMention};

/// Cues for lines that are not the article's own statements.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct BoilerplateCues {
    /// Words that, opening a line (after bullets and brackets), head a block
    /// of links: 関連記事, 関連リンク.
    #[serde(default)]
    pub section_heads: Vec<String>,
    /// Words that, ending a line that heads a block, do the same: …の記事をもっと見る.
    #[serde(default)]
    pub section_endings: Vec<String>,
    /// Words that open a credit line: 文:, 記事執筆:, (C).
    #[serde(default)]
    pub credits: Vec<String>,
    /// Words that end a button or link line: クチコミを見る, はコチラ.
    #[serde(default)]
    pub buttons: Vec<String>,
    /// Separators before the name of the site a linked title comes from
    /// (・新型スマホを発表! - S-MAX): a list item ending in one and a short name
    /// is a link.
    #[serde(default)]
    pub source_separators: Vec<String>,
    /// Characters that mark an item of a list (・, ■).
    #[serde(default)]
    pub bullets: Vec<char>,
    /// Bracket pairs of category tags (【話題】): names inside are no mentions.
    #[serde(default)]
    pub tags: Vec<(char, char)>,
}

/// Per sentence, whether it lies on a boilerplate line of `text` (the article
/// text the sentences' offsets index).
pub fn boilerplate_sentences(
    text: &str,
    sentences: &[AnalyzedSentence],
    cues: &BoilerplateCues,
) -> Vec<bool> {
    let lines = boilerplate_lines(text, cues);
    // Character offset where each line starts.
    let mut starts = Vec::with_capacity(lines.len());
    let mut at = 0;
    for line in text.split('\n') {
        starts.push(at);
        at += line.chars().count() + 1;
    }
    sentences
        .iter()
        .map(|s| {
            let line = starts.partition_point(|&l| l <= s.sentence.start) - 1;
            lines.get(line).copied().unwrap_or(false)
        })
        .collect()
}

/// Per line of `text`, whether it is boilerplate.
pub fn boilerplate_lines(text: &str, cues: &BoilerplateCues) -> Vec<bool> {
    let lines: Vec<&str> = text.split('\n').collect();
    let mut out = vec![false; lines.len()];
    let mut in_block = false;
    for (i, line) in lines.iter().enumerate() {
        let bare = strip_marks(line, cues);
        if bare.is_empty() {
            continue;
        }
        let heads_block = cues.section_heads.iter().any(|h| bare.starts_with(h))
            || cues
                .section_endings
                .iter()
                .any(|h| bare.trim_end_matches(closing).ends_with(h.as_str()));
        if heads_block {
            in_block = true;
        } else if in_block && is_prose(line, cues) {
            in_block = false;
        }
        out[i] = in_block || is_credit_or_button(line, bare, cues);
    }
    // A run of bulleted lines that ends the article is a list of links.
    for i in (0..lines.len()).rev() {
        let line = lines[i].trim();
        if line.is_empty() {
            continue;
        }
        if !line.starts_with(|c: char| cues.bullets.contains(&c)) {
            break;
        }
        out[i] = true;
    }
    out
}

fn closing(c: char) -> bool {
    matches!(c, ')' | '】' | ']' | '」' | '』') || c.is_whitespace()
}

/// The line without leading bullets, brackets and spaces.
fn strip_marks<'a>(line: &'a str, cues: &BoilerplateCues) -> &'a str {
    line.trim()
        .trim_start_matches(|c: char| {
            cues.bullets.contains(&c) || c.is_whitespace() || matches!(c, '【' | '[' | '<' | '《')
        })
        .trim_end()
}

/// A line that states something: it has a full stop and is no list item.
fn is_prose(line: &str, cues: &BoilerplateCues) -> bool {
    let line = line.trim();
    line.contains('。') && !line.starts_with(|c: char| cues.bullets.contains(&c))
}

fn is_credit_or_button(line: &str, bare: &str, cues: &BoilerplateCues) -> bool {
    let line = line.trim();
    // (山田太郎) alone on a line: a byline.
    let parenthesis_only = line.starts_with('(') && line.ends_with(')') && !line[1..].contains('(');
    parenthesis_only
        || is_linked_title(line, cues)
        || cues.credits.iter().any(|c| bare.starts_with(c.as_str()))
        || cues
            .buttons
            .iter()
            .any(|b| bare.trim_end_matches(closing).ends_with(b.as_str()))
}

/// A list item that ends with the name of the site it links to (・X - S-MAX):
/// no full stop, and a short name after the last separator.
fn is_linked_title(line: &str, cues: &BoilerplateCues) -> bool {
    let bulleted = line.starts_with(|c: char| cues.bullets.contains(&c));
    bulleted
        && !line.contains('。')
        && cues.source_separators.iter().any(|sep| {
            line.rsplit_once(sep.as_str()).is_some_and(|(title, site)| {
                !title.trim().is_empty() && (1..=20).contains(&site.trim().chars().count())
            })
        })
}

/// Drops the mentions and values of boilerplate sentences, and the names
/// written inside category tags (【話題】, [デジ通]).
pub fn drop_boilerplate(
    sentences: &[AnalyzedSentence],
    boilerplate: &[bool],
    cues: &BoilerplateCues,
    mentions: &mut Vec<Mention>,
    values: &mut Vec<ValueMention>,
) {
    let skip = |si: usize| boilerplate.get(si).copied().unwrap_or(false);
    mentions.retain(|m| {
        !skip(m.sentence)
            && !sentences
                .get(m.sentence)
                .is_some_and(|s| inside_tag(s, m.start, m.end, cues))
    });
    values.retain(|v| !skip(v.sentence));
}

/// Whether characters `[start, end)` of the article lie inside a tag bracket
/// of sentence `s`.
fn inside_tag(s: &AnalyzedSentence, start: usize, end: usize, cues: &BoilerplateCues) -> bool {
    let mut open: Option<(char, usize)> = None;
    for (k, c) in s.sentence.text.chars().enumerate() {
        let at = s.sentence.start + k;
        if at >= start && open.is_none() {
            return false;
        }
        match open {
            Some((close, _)) if c == close => {
                if at >= end {
                    return true;
                }
                open = None;
            }
            None => {
                if let Some(&(_, close)) = cues.tags.iter().find(|(o, _)| *o == c) {
                    open = Some((close, at));
                }
            }
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cues() -> BoilerplateCues {
        BoilerplateCues {
            section_heads: vec!["関連記事".into(), "関連リンク".into()],
            section_endings: vec!["の記事をもっと見る".into()],
            credits: vec!["文:".into(), "記事執筆:".into(), "(C)".into()],
            buttons: vec!["クチコミを見る".into(), "はコチラ".into()],
            source_separators: vec![" - ".into()],
            bullets: vec!['・', '■', '●'],
            tags: vec![('【', '】')],
        }
    }

    #[test]
    fn link_blocks_credits_and_trailing_lists_are_boilerplate() {
        let text = "ミドリ電機が新製品を発表した。\n記事執筆:山田太郎\n\n■関連記事\n・アオバ通信が新機種\n【話題】\nキヤノン\nクチコミを見る\n本文の続きである。\n(佐藤花子)\n・別の記事の見出し\n・もう一つの見出し";
        let got = boilerplate_lines(text, &cues());
        let expected = [
            false, true, false, true, true, true, true, true, false, true, true, true,
        ];
        assert_eq!(got, expected);
    }

    #[test]
    fn a_listed_title_with_its_site_is_a_link() {
        let text = "ミドリ電機が新製品を発表した。\n・ミドリ電機、新型スマホ「ソラ7」を発表! - ミドリニュース\n本文の続きである。\n・A - B型の血液型診断。\n以上である。";
        assert_eq!(
            boilerplate_lines(text, &cues()),
            [false, true, false, false, false]
        );
    }

    #[test]
    fn bulleted_lines_inside_the_body_are_kept() {
        let text = "■店舗情報\n・新宿店\n所在地:東京都新宿区\n以上が店舗である。";
        assert!(boilerplate_lines(text, &cues()).iter().all(|b| !b));
    }
}
