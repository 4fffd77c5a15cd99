//! Typed values (money, percent, dates, years, counts) read off the tokens.
//!
//! The fact stage consumes [`ValueMention`]s. When the recogniser of stage 3
//! supplies them they are used as they are; for sentences where it supplies
//! none, [`find_values`] produces the same type from the tokens, so there is
//! one way values reach facts. Units and counters are cues in
//! `ontology/relations.toml` (`[values]`).
use serde::Deserialize;

use crate::document::{AnalyzedSentence, ValueKind, ValueMention};
use crate::tokens::Token;

/// Unit cues for the fallback value reader.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ValueCues {
    /// Currency words and the code they normalise to, e.g. `円 = "JPY"`.
    #[serde(default)]
    pub currencies: std::collections::BTreeMap<String, String>,
    /// Words meaning "percent".
    #[serde(default)]
    pub percent: Vec<String>,
    /// Counters that make a number a head count or a count of things (人, 社…).
    #[serde(default)]
    pub counters: Vec<String>,
}

/// The numeric value of a digit string or a kanji numeral, if it is one.
fn number(s: &str) -> Option<f64> {
    let s = crate::text::normalize(s).replace(',', "");
    if let Ok(v) = s.parse::<f64>() {
        return Some(v);
    }
    let digit = |c| "〇一二三四五六七八九".chars().position(|d| d == c);
    let mut total = 0.0;
    let mut current = 0.0;
    let mut any = false;
    for c in s.chars() {
        if let Some(d) = digit(c) {
            current = current * 10.0 + d as f64;
        } else {
            let m = match c {
                '十' => 10.0,
                '百' => 100.0,
                '千' => 1000.0,
                _ => return None,
            };
            total += if current == 0.0 { 1.0 } else { current } * m;
            current = 0.0;
        }
        any = true;
    }
    any.then_some(total + current)
}

fn multiplier(s: &str) -> Option<f64> {
    match s {
        "万" => Some(1e4),
        "億" => Some(1e8),
        "兆" => Some(1e12),
        "百万" => Some(1e6),
        "千万" => Some(1e7),
        "千" => Some(1e3),
        "百" => Some(1e2),
        _ => None,
    }
}

/// Formats a number without a trailing `.0`.
pub fn format_number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e17 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// Reads the values of one sentence from its tokens.
pub fn find_values(s: &AnalyzedSentence, si: usize, cues: &ValueCues) -> Vec<ValueMention> {
    let toks = &s.tokens;
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let is_num = |t: &Token| t.pos[1] == "数" || (t.surface == "." && t.pos[0] == "名詞");
        if !is_num(&toks[i]) || number(&toks[i].surface).is_none() {
            i += 1;
            continue;
        }
        let first = i;
        let dollar_before = i > 0 && matches!(toks[i - 1].surface.as_str(), "$" | "＄");
        // Digits, a decimal point and kanji multipliers: 12 . 6 / 143 億 / 100 百万.
        let mut text = String::new();
        let mut mult = 1.0;
        while i < toks.len() && is_num(&toks[i]) {
            match multiplier(&toks[i].surface) {
                Some(m) if !text.is_empty() => mult *= m,
                _ => text.push_str(&toks[i].surface),
            }
            i += 1;
        }
        let Some(base) = number(&text) else {
            continue;
        };
        let value = base * mult;
        let next = toks.get(i).map(|t| t.surface.as_str()).unwrap_or("");
        let start_tok = if dollar_before { first - 1 } else { first };
        let mut end_tok = i;
        let mut kind = ValueKind::Quantity;
        let mut unit = None;
        let mut norm = format_number(value);
        if let Some(code) = cues.currencies.get(next) {
            kind = ValueKind::Money;
            unit = Some(code.clone());
            end_tok = i + 1;
        } else if dollar_before {
            kind = ValueKind::Money;
            unit = Some("USD".to_string());
            // `$100 百万ドル`: a currency word may still follow.
            if cues.currencies.contains_key(next) {
                end_tok = i + 1;
            }
        } else if cues.percent.iter().any(|p| p == next) {
            kind = ValueKind::Percent;
            end_tok = i + 1;
        } else if next == "年" && mult == 1.0 && (1000.0..=2200.0).contains(&value) {
            kind = ValueKind::Year;
            end_tok = i + 1;
            // 2026年8月(23日): a full or partial date.
            let month = toks.get(i + 1).and_then(|t| number(&t.surface));
            if let (Some(m), Some("月")) = (month, toks.get(i + 2).map(|t| t.surface.as_str())) {
                kind = ValueKind::Date;
                norm = format!("{}-{:02}", format_number(value), m as u32);
                end_tok = i + 3;
                let day = toks.get(i + 3).and_then(|t| number(&t.surface));
                if let (Some(d), Some("日")) = (day, toks.get(i + 4).map(|t| t.surface.as_str())) {
                    norm.push_str(&format!("-{:02}", d as u32));
                    end_tok = i + 5;
                }
            }
        } else if next == "月" {
            let day = toks.get(i + 1).and_then(|t| number(&t.surface));
            kind = ValueKind::Date;
            norm = format!("--{:02}", value as u32);
            end_tok = i + 1;
            if let (Some(d), Some("日")) = (day, toks.get(i + 2).map(|t| t.surface.as_str())) {
                norm.push_str(&format!("-{:02}", d as u32));
                end_tok = i + 3;
            }
        } else if let Some(c) = cues.counters.iter().find(|c| *c == next) {
            unit = Some(c.clone());
            end_tok = i + 1;
        } else if !text.chars().any(|c| c.is_ascii_digit()) {
            // A bare kanji numeral is more often part of a name (三部, 一ノ瀬).
            continue;
        }
        let surface: String = toks[start_tok..end_tok]
            .iter()
            .map(|t| t.surface.as_str())
            .collect();
        out.push(ValueMention {
            sentence: si,
            tokens: start_tok..end_tok,
            start: toks[start_tok].start,
            end: toks[end_tok - 1].end,
            surface,
            kind,
            value: norm,
            unit,
        });
        i = end_tok.max(i);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_kanji_numerals() {
        assert_eq!(number("143"), Some(143.0));
        assert_eq!(number("12.6"), Some(12.6));
        assert_eq!(number("三百"), Some(300.0));
        assert_eq!(number("二十五"), Some(25.0));
        assert_eq!(number("abc"), None);
        assert_eq!(format_number(14300000000.0), "14300000000");
    }
}
