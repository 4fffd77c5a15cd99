//! Typed values: money, percentages, years, dates and counted quantities, with
//! their values normalised (128億ドル → 12800000000 USD, 4月1日 → --04-01).
use crate::document::{AnalyzedSentence, ValueKind, ValueMention};

use super::NerRules;

/// A number as written: digits times 10^-`decimals`, times any multipliers.
#[derive(Debug, Clone, Copy)]
struct Number {
    mantissa: u128,
    decimals: u32,
}

impl Number {
    fn times(self, k: u64) -> Number {
        Number {
            mantissa: self.mantissa.saturating_mul(k as u128),
            decimals: self.decimals,
        }
    }
    fn plus(self, o: Number) -> Number {
        let d = self.decimals.max(o.decimals);
        let scale = |n: Number| n.mantissa.saturating_mul(10u128.pow(d - n.decimals));
        Number {
            mantissa: scale(self).saturating_add(scale(o)),
            decimals: d,
        }
    }
    fn integer(self) -> Option<u128> {
        (self.decimals == 0).then_some(self.mantissa)
    }
    /// Plain decimal notation without trailing zeros after the point.
    fn to_decimal(self) -> String {
        let digits = self.mantissa.to_string();
        if self.decimals == 0 {
            return digits;
        }
        let d = self.decimals as usize;
        let padded = format!("{digits:0>width$}", width = d + 1);
        let (int, frac) = padded.split_at(padded.len() - d);
        let frac = frac.trim_end_matches('0');
        if frac.is_empty() {
            int.to_string()
        } else {
            format!("{int}.{frac}")
        }
    }
}

/// Reads digits with thousands commas and a decimal point at `i`.
fn digits(c: &[char], mut i: usize) -> Option<(Number, usize)> {
    let start = i;
    let mut n = Number {
        mantissa: 0,
        decimals: 0,
    };
    let mut seen_point = false;
    while i < c.len() {
        let ch = c[i];
        if let Some(d) = ch.to_digit(10) {
            n.mantissa = n.mantissa.saturating_mul(10).saturating_add(d as u128);
            if seen_point {
                n.decimals += 1;
            }
        } else if ch == ','
            && i > start
            && c.get(i + 1).is_some_and(|x| x.is_ascii_digit())
            && !seen_point
        {
            // A thousands separator has exactly three digits after it.
            let three = (1..=3).all(|k| c.get(i + k).is_some_and(|x| x.is_ascii_digit()))
                && !c.get(i + 4).is_some_and(|x| x.is_ascii_digit());
            if !three {
                break;
            }
        } else if ch == '.'
            && !seen_point
            && i > start
            && c.get(i + 1).is_some_and(|x| x.is_ascii_digit())
        {
            seen_point = true;
        } else {
            break;
        }
        i += 1;
    }
    (i > start).then_some((n, i))
}

/// The longest entry of `list` written at `c[i..]`, with its length in chars.
fn longest<'a, I: IntoIterator<Item = &'a String>>(
    c: &[char],
    i: usize,
    list: I,
) -> Option<(&'a String, usize)> {
    list.into_iter()
        .filter(|w| {
            let n = w.chars().count();
            i + n <= c.len() && w.chars().zip(&c[i..i + n]).all(|(a, b)| a == *b)
        })
        .map(|w| (w, w.chars().count()))
        .max_by_key(|(_, n)| *n)
}

fn skip_spaces(c: &[char], mut i: usize) -> usize {
    while i < c.len() && c[i] == ' ' {
        i += 1;
    }
    i
}

/// All values in one sentence.
pub fn find(s: &AnalyzedSentence, si: usize, rules: &NerRules) -> Vec<ValueMention> {
    let mut out = Vec::new();
    if !s.sentence.text.bytes().any(|b| b.is_ascii_digit()) {
        return out;
    }
    let c: Vec<char> = s.sentence.text.chars().collect();
    // Currency signs written before the number ($100), as opposed to words after it.
    let signs: Vec<&String> = rules
        .currencies
        .keys()
        .filter(|k| !k.chars().any(char::is_alphabetic))
        .collect();
    let mut i = 0;
    while i < c.len() {
        if !c[i].is_ascii_digit() && !signs.iter().any(|k| k.starts_with(c[i])) {
            i += 1;
            continue;
        }
        // A number preceded by another digit or a Latin letter is part of a name (GPT4).
        let glued = i > 0 && (c[i - 1].is_ascii_alphanumeric() || c[i - 1] == '.');
        let prefix = longest(&c, i, signs.iter().copied());
        let num_at = prefix.map_or(i, |(_, n)| i + n);
        match (!glued)
            .then(|| value_at(&c, num_at, prefix.map(|(k, _)| k.as_str()), rules))
            .flatten()
        {
            Some((kind, value, unit, end)) => {
                let (start, end_abs) = (s.sentence.start + i, s.sentence.start + end);
                out.push(ValueMention {
                    sentence: si,
                    tokens: s.token_range(start, end_abs),
                    start,
                    end: end_abs,
                    surface: c[i..end].iter().collect(),
                    kind,
                    value,
                    unit,
                });
                i = end;
            }
            None => {
                // Skip the rest of a number so that its tail is not read as another.
                let was_digit = c[i].is_ascii_digit();
                i += 1;
                while was_digit
                    && i < c.len()
                    && (c[i].is_ascii_digit()
                        || matches!(c[i], ',' | '.') && c[i - 1].is_ascii_digit())
                {
                    i += 1;
                }
            }
        }
    }
    out
}

type Found = (ValueKind, String, Option<String>, usize);

/// The value whose number starts at `num_at` (after any currency sign), if the
/// words after it make it one. An approximation word before it (約) is left out:
/// the value is the number written.
fn value_at(
    c: &[char],
    num_at: usize,
    currency_prefix: Option<&str>,
    rules: &NerRules,
) -> Option<Found> {
    let (first, mut i) = digits(c, num_at)?;
    // Dates first: 2026年8月1日, 8月1日, 2013年.
    if currency_prefix.is_none() {
        if let Some(found) = date_at(c, first, i) {
            return Some(found);
        }
    }
    // Number and multipliers: 1兆2000億, 128億, 100 百万.
    let mut total = Number {
        mantissa: 0,
        decimals: 0,
    };
    let mut current = first;
    loop {
        let j = skip_spaces(c, i);
        match longest(c, j, rules.multipliers.keys()) {
            Some((w, n)) => {
                total = total.plus(current.times(rules.multipliers[w]));
                i = j + n;
                match digits(c, i) {
                    Some((next, k)) => {
                        current = next;
                        i = k;
                    }
                    None => {
                        current = Number {
                            mantissa: 0,
                            decimals: 0,
                        };
                        break;
                    }
                }
            }
            None => break,
        }
    }
    let number = total.plus(current);
    let j = skip_spaces(c, i);
    if matches!(c.get(j), Some('%')) {
        return Some((ValueKind::Percent, number.to_decimal(), None, j + 1));
    }
    if let Some((_, n)) = longest(c, j, [&"パーセント".to_string()]) {
        return Some((ValueKind::Percent, number.to_decimal(), None, j + n));
    }
    if let Some((w, n)) = longest(c, j, rules.currencies.keys()) {
        return Some((
            ValueKind::Money,
            number.to_decimal(),
            Some(rules.currencies[w].clone()),
            j + n,
        ));
    }
    if let Some(p) = currency_prefix {
        return Some((
            ValueKind::Money,
            number.to_decimal(),
            rules.currencies.get(p).cloned(),
            i,
        ));
    }
    if let Some((w, n)) = longest(c, i, &rules.counters) {
        return Some((
            ValueKind::Quantity,
            number.to_decimal(),
            Some(w.clone()),
            i + n,
        ));
    }
    None
}

/// 2026年8月1日 → 2026-08-01, 2026年8月 → 2026-08, 2013年 → 2013, 4月1日 → --04-01, 10月 → --10.
fn date_at(c: &[char], first: Number, i: usize) -> Option<Found> {
    let at = |k: usize, ch: char| c.get(k) == Some(&ch);
    let small = |n: Number| n.integer().filter(|v| *v < 10_000);
    let v = small(first)?;
    let month_day = |k: usize| -> Option<(u128, Option<u128>, usize)> {
        let (m, k2) = digits(c, k)?;
        let m = small(m).filter(|m| (1..=12).contains(m))?;
        if !at(k2, '月') {
            return None;
        }
        if let Some((d, k3)) = digits(c, k2 + 1) {
            if let Some(d) = small(d).filter(|d| (1..=31).contains(d)) {
                if at(k3, '日') {
                    return Some((m, Some(d), k3 + 1));
                }
            }
        }
        Some((m, None, k2 + 1))
    };
    if at(i, '年') && (1000..=2999).contains(&v) {
        return Some(match month_day(i + 1) {
            Some((m, Some(d), end)) => {
                (ValueKind::Date, format!("{v:04}-{m:02}-{d:02}"), None, end)
            }
            Some((m, None, end)) => (ValueKind::Date, format!("{v:04}-{m:02}"), None, end),
            None => (ValueKind::Year, format!("{v:04}"), None, i + 1),
        });
    }
    if at(i, '月') && (1..=12).contains(&v) {
        let start = i - v.to_string().len();
        return Some(match month_day(start) {
            Some((m, Some(d), end)) => (ValueKind::Date, format!("--{m:02}-{d:02}"), None, end),
            _ => (ValueKind::Date, format!("--{v:02}"), None, i + 1),
        });
    }
    None
}
