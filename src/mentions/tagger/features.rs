//! Features of tokens and spans, hashed: each token's attributes (surface, part
//! of speech, character classes, cues, what the name lexicon says, the noun
//! compound it is in) are hashed once, and the features combine the hashes of a
//! window of tokens. Features are hashed into a fixed number of buckets so that
//! tagging allocates nothing per token and the model stays a fixed size.
use crate::text::{is_hiragana, is_kanji, is_katakana};
use crate::tokens::Token;

use super::TokenCues;

/// Bucket of a feature hash; `buckets` is a power of two, so a mask does.
#[inline]
pub(super) fn bucket(h: &u64, buckets: usize) -> usize {
    (*h as usize) & (buckets - 1)
}

#[inline]
pub(super) fn mix(h: u64, x: u64) -> u64 {
    (h.rotate_left(5) ^ x).wrapping_mul(0x517c_c1b7_2722_0a95)
}
fn hash_str(s: &str) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325u64;
    for chunk in s.as_bytes().chunks(8) {
        let mut buf = [0u8; 8];
        buf[..chunk.len()].copy_from_slice(chunk);
        h = mix(h, u64::from_le_bytes(buf));
    }
    mix(h, s.len() as u64)
}

/// Coarse character class, the main cue for foreign names IPADIC does not know.
fn char_class(c: char) -> u8 {
    if is_kanji(c) {
        b'K'
    } else if is_katakana(c) {
        b'T'
    } else if is_hiragana(c) {
        b'H'
    } else if c.is_ascii_alphabetic() {
        if c.is_ascii_uppercase() {
            b'A'
        } else {
            b'a'
        }
    } else if c.is_ascii_digit() {
        b'D'
    } else {
        b'S'
    }
}

/// Per-token attribute hashes, computed once per token; features combine them.
#[derive(Clone, Copy, Default)]
pub(super) struct Attrs {
    surface: u64,
    pos: u64,
    pos_full: u64,
    class: u64,
    first: u64,
    last: u64,
    shape: u64,
    cue: u64,
    /// First and last two characters: the readable part of an unknown word.
    prefix2: u64,
    suffix2: u64,
    /// Name lexicon classes: of the word, of its ・-joined parts, and of the
    /// several-token name it is in (with its place in that name).
    lex_word: u64,
    lex_parts: u64,
    lex_entry: u64,
    noun: bool,
    /// The noun compound the token is in (see [`all_attrs`]): its place in it
    /// (begin, inside, end, single), the compound's last word, and the words
    /// right before and after the compound.
    run_pos: u64,
    run_head: u64,
    run_prev: u64,
    run_next: u64,
}

const PAD: Attrs = Attrs {
    surface: 1,
    pos: 1,
    pos_full: 1,
    class: 1,
    first: 1,
    last: 1,
    shape: 1,
    cue: 1,
    prefix2: 1,
    suffix2: 1,
    lex_word: 1,
    lex_parts: 1,
    lex_entry: 1,
    noun: false,
    run_pos: 1,
    run_head: 1,
    run_prev: 1,
    run_next: 1,
};

fn attrs(t: &Token, c: TokenCues) -> Attrs {
    // Collapsed class signature, e.g. "TST" for カタカナ・カタカナ, "Aa" for Kestrel.
    let mut sig = 0u64;
    let mut prev = 0u8;
    let mut n = 0;
    for ch in t.surface.chars() {
        let k = char_class(ch);
        if k != prev && n < 6 {
            sig = sig << 8 | k as u64;
            n += 1;
            prev = k;
        }
    }
    let len = t.surface.chars().count().min(5) as u64;
    let first = t.surface.chars().next().map_or(0, |c| c as u64);
    let last = t.surface.chars().last().map_or(0, |c| c as u64);
    let two = |cs: &mut dyn Iterator<Item = char>| cs.take(2).fold(7u64, |h, c| mix(h, c as u64));
    let prefix2 = two(&mut t.surface.chars());
    // Last two characters in reading order, hashed the same way as the prefix.
    let mut rev = t.surface.chars().rev();
    let (z, y) = (rev.next(), rev.next());
    let suffix2 = two(&mut y.into_iter().chain(z));
    let pos = mix(
        mix(hash_str(t.pos[0].as_str()), hash_str(t.pos[1].as_str())),
        hash_str(t.pos[2].as_str()),
    );
    Attrs {
        surface: hash_str(t.surface),
        pos,
        pos_full: mix(mix(pos, hash_str(t.pos[3].as_str())), t.unknown as u64),
        class: sig,
        first,
        last,
        shape: mix(sig, len),
        cue: mix(c.cue.map_or(0, |k| k as u64), c.quoted as u64),
        prefix2,
        suffix2,
        lex_word: mix(c.names.word as u64 + 1, 0x77),
        lex_parts: c
            .names
            .parts
            .map_or(mix(65, 65), |(f, l)| mix(f as u64 + 1, l as u64 + 1)),
        lex_entry: if c.names.entry == 0 {
            0
        } else {
            mix(c.names.entry as u64 + 1, c.names.entry_edge as u64)
        },
        noun: t.is_noun() && !t.is_proper() && !t.unknown,
        run_pos: 0,
        run_head: 0,
        run_prev: 0,
        run_next: 0,
    }
}

/// Tokens that make up a noun compound: nouns, prefixes and the joiners of
/// foreign names.
fn compound_part(t: &Token) -> bool {
    (t.is_noun() && !t.is_dependent())
        || t.is_prefix()
        || t.unknown
        || matches!(t.surface, "・" | "=" | "-")
}

/// Attributes of every token of a sentence, with the noun compound each is in.
pub(super) fn all_attrs(tokens: &[Token], cues: &[TokenCues]) -> Vec<Attrs> {
    let mut a: Vec<Attrs> = tokens.iter().zip(cues).map(|(t, c)| attrs(t, *c)).collect();
    let mut i = 0;
    while i < tokens.len() {
        let mut j = i + 1;
        if compound_part(&tokens[i]) {
            while j < tokens.len() && compound_part(&tokens[j]) {
                j += 1;
            }
        }
        let head = a[j - 1].surface;
        let prev = if i > 0 { a[i - 1].surface } else { 1 };
        let next = if j < tokens.len() { a[j].surface } else { 1 };
        for (k, x) in a.iter_mut().enumerate().take(j).skip(i) {
            let pos = match (k == i, k + 1 == j) {
                (true, true) => 2,
                (true, false) => 3,
                (false, true) => 4,
                (false, false) => 5,
            };
            x.run_pos = mix(pos, (j - i).min(4) as u64);
            x.run_head = head;
            x.run_prev = prev;
            x.run_next = next;
        }
        i = j;
    }
    a
}

/// Number of features per token (see [`features`]).
pub(super) const N_FEATURES: usize = 59;

/// The hashed features of token `i`, written into `out` (no allocation).
pub(super) fn features(a: &[Attrs], i: usize, out: &mut [u64; N_FEATURES]) {
    let at = |d: isize| -> &Attrs {
        let j = i as isize + d;
        if j < 0 || j >= a.len() as isize {
            &PAD
        } else {
            &a[j as usize]
        }
    };
    let (p2, p1, c0, n1, n2) = (at(-2), at(-1), at(0), at(1), at(2));
    let f = [
        1,
        p2.surface,
        p1.surface,
        c0.surface,
        n1.surface,
        n2.surface,
        p1.pos,
        c0.pos,
        n1.pos,
        c0.pos_full,
        p2.class,
        p1.class,
        c0.class,
        n1.class,
        n2.class,
        c0.first,
        c0.last,
        p1.last,
        c0.shape,
        n1.first,
        p1.cue,
        c0.cue,
        n1.cue,
        mix(p1.surface, c0.surface),
        mix(c0.surface, n1.surface),
        mix(p1.pos, c0.pos),
        mix(c0.pos, n1.pos),
        mix(mix(p1.class, c0.class), n1.class),
        mix(c0.surface, n1.pos),
        mix(p1.pos, mix(c0.class, n1.pos)),
        c0.prefix2,
        c0.suffix2,
        p1.suffix2,
        n1.prefix2,
        at(-2).pos,
        n2.pos,
        mix(n1.surface, n2.surface),
        mix(p2.surface, p1.surface),
        mix(c0.surface, p1.pos),
        at(-3).surface,
        at(3).surface,
        mix(c0.suffix2, n1.surface),
        p1.pos_full,
        n1.pos_full,
        mix(c0.class, c0.pos),
        mix(p1.cue, mix(c0.class, n1.cue)),
        c0.run_pos,
        mix(c0.run_pos, c0.run_head),
        mix(c0.run_pos, c0.run_next),
        mix(c0.run_pos, c0.run_prev),
        mix(c0.run_head, c0.run_next),
        mix(c0.surface, c0.run_next),
        mix(c0.run_pos, c0.class),
        c0.lex_word,
        mix(p1.lex_word, c0.lex_word),
        mix(c0.lex_word, n1.lex_word),
        c0.lex_parts,
        c0.lex_entry,
        mix(c0.lex_word, c0.pos),
    ];
    for (k, (o, v)) in out.iter_mut().zip(f).enumerate() {
        *o = mix(k as u64 + 0x9e37, v);
    }
}

/// Features of the span `[start, end)` for the type classifier, into `out`.
pub(super) fn span_features(
    a: &[Attrs],
    chars: &[char],
    start: usize,
    end: usize,
    partner: Option<(usize, usize)>,
    out: &mut Vec<u64>,
) {
    out.clear();
    let at = |j: isize| -> &Attrs {
        if j < 0 || j >= a.len() as isize {
            &PAD
        } else {
            &a[j as usize]
        }
    };
    let (s, e) = (start as isize, end as isize);
    let head = at(e - 1);
    let first = at(s);
    let (p1, p2, n1, n2, n3) = (at(s - 1), at(s - 2), at(e), at(e + 1), at(e + 2));
    let whole = a[start..end].iter().fold(3u64, |h, x| mix(h, x.surface));
    let shape = a[start..end].iter().fold(5u64, |h, x| mix(h, x.class));
    out.extend_from_slice(&[
        1,
        head.surface,
        head.suffix2,
        head.last,
        head.pos_full,
        head.cue,
        first.surface,
        first.prefix2,
        first.pos_full,
        whole,
        shape,
        mix(shape, (end - start).min(5) as u64),
        p1.surface,
        p2.surface,
        mix(p2.surface, p1.surface),
        p1.pos,
        n1.surface,
        n2.surface,
        n3.surface,
        mix(n1.surface, n2.surface),
        mix(mix(n1.surface, n2.surface), n3.surface),
        n1.pos,
        n1.cue,
        mix(head.surface, n1.surface),
        mix(head.suffix2, n1.surface),
        mix(p1.surface, head.suffix2),
        first.lex_word,
        head.lex_word,
        mix(first.lex_word, head.lex_word),
        first.lex_parts,
        head.lex_parts,
        first.lex_entry,
        head.lex_entry,
    ]);
    for (k, o) in out.iter_mut().enumerate() {
        *o = mix(k as u64 + 0x7f4a, *o);
    }
    for x in &a[start..end] {
        out.push(mix(0x51ed, x.surface));
        out.push(mix(0x51ee, x.pos_full));
        out.push(mix(0x51f2, x.lex_word));
        out.push(mix(0x51f3, x.lex_parts));
    }
    // Character bigrams of the span: unseen foreign names still share pieces
    // (…ーション, …ビル, …スキー) with names of their type.
    let mut prev = 0u64;
    for &c in chars {
        out.push(mix(0x51ef, mix(prev, c as u64)));
        prev = c as u64;
    }
    // A name listed with this one (A、B / AとB / A・B) is usually of its kind: what
    // is known of the partner (a name seen in training, its ending) helps type it.
    if let Some((ps, pe)) = partner {
        let whole = a[ps..pe].iter().fold(3u64, |h, x| mix(h, x.surface));
        let head = &a[pe - 1];
        out.push(mix(0x5210, whole));
        out.push(mix(0x5211, head.suffix2));
        out.push(mix(0x5212, head.lex_word));
        out.push(mix(0x5213, a[ps].lex_parts));
        out.push(mix(0x5214, head.pos_full));
    }
    // Nouns around the span (within a window): what the sentence says it is.
    let lo = start.saturating_sub(WINDOW);
    let hi = (end + WINDOW).min(a.len());
    for x in a[lo..start].iter().chain(&a[end..hi]) {
        if x.noun {
            out.push(mix(0x51f0, x.surface));
        }
    }
}

/// A token that lists names: a comma, a parallel particle (や, と as 並立助詞)
/// or the middle dot between two names.
fn lists_names(t: &Token) -> bool {
    t.is_comma() || t.is_parallel_particle() || t.surface == "・"
}

/// For each of `spans` (sorted, token indices), the span it is listed with: the
/// one before it across a single listing token, else the one after.
pub(super) fn partners(tokens: &[Token], spans: &[(usize, usize)]) -> Vec<Option<(usize, usize)>> {
    let listed = |x: (usize, usize), y: (usize, usize)| {
        x.1 + 1 == y.0 && tokens.get(x.1).is_some_and(lists_names)
    };
    (0..spans.len())
        .map(|k| {
            let before = k.checked_sub(1).map(|j| spans[j]);
            let after = spans.get(k + 1).copied();
            before
                .filter(|&b| listed(b, spans[k]))
                .or(after.filter(|&n| listed(spans[k], n)))
        })
        .collect()
}

/// Tokens on each side of a span whose nouns the type classifier sees.
const WINDOW: usize = 8;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokens::{ConjForm, Tag};

    #[test]
    fn compound_positions_mark_begin_inside_end() {
        let tok = |s: &'static str, pos: Tag| Token {
            surface: s,
            start: 0,
            end: 0,
            pos: [pos, Tag::General, Tag::Unset, Tag::Unset],
            conj: ConjForm::Unset,
            base: s,
            unknown: false,
        };
        let toks = [
            tok("新", Tag::Prefix),
            tok("市場", Tag::Noun),
            tok("開設", Tag::Noun),
            tok("を", Tag::Particle),
            tok("発表", Tag::Noun),
        ];
        let a = all_attrs(&toks, &[TokenCues::default(); 5]);
        // One compound of three tokens, then a particle, then a one-token compound.
        assert_eq!(a[0].run_head, a[2].surface);
        assert_eq!(a[1].run_next, a[3].surface);
        assert_ne!(a[0].run_pos, a[1].run_pos);
        assert_ne!(a[1].run_pos, a[2].run_pos);
        assert_eq!(a[4].run_head, a[4].surface);
        assert_eq!(a[3].run_head, a[3].surface);
    }
}
