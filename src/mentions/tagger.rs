//! A statistical name tagger: an averaged structured perceptron over IPADIC tokens
//! with BIO labels per entity type, decoded with Viterbi. Features are hashed into a
//! fixed number of buckets so that tagging allocates nothing per token and the
//! model file stays small.
use std::path::Path;

use rayon::prelude::*;

use crate::document::EntityType;
use crate::error::{Error, Result};
use crate::text::{is_hiragana, is_kanji, is_katakana};
use crate::tokens::Token;

use super::lexicon::NameCues;
use super::rules::NameSuffix;

/// Entity types the tagger predicts, in label order.
pub const TYPES: [EntityType; 5] = [
    EntityType::Person,
    EntityType::Organization,
    EntityType::Product,
    EntityType::Place,
    EntityType::Event,
];
/// O, then B-x and I-x for each type.
pub const LABELS: usize = 1 + 2 * TYPES.len();
const MAGIC: &[u8; 8] = b"MSBNER02";
/// Default number of feature buckets: large enough that collisions cost little
/// on a corpus of a few thousand sentences.
pub const DEFAULT_BUCKETS: usize = 1 << 18;

fn b_label(t: usize) -> usize {
    1 + 2 * t
}
fn is_inside(label: usize) -> bool {
    label > 0 && label.is_multiple_of(2)
}
fn type_of(label: usize) -> usize {
    (label - 1) / 2
}
/// I-x may only follow B-x or I-x.
fn allowed(prev: Option<usize>, label: usize) -> bool {
    !is_inside(label) || prev.is_some_and(|p| p != 0 && type_of(p) == type_of(label))
}

/// What the tagger needs to know about a token beyond its analysis: which cue
/// list of the rule file it belongs to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TokenCues {
    /// The suffix list the token is in, if any.
    pub cue: Option<NameSuffix>,
    /// Inside 「」 or 『』.
    pub quoted: bool,
    /// What the name lexicon says about the token.
    pub names: NameCues,
}

/// Bucket of a feature hash; `buckets` is a power of two, so a mask does.
#[inline]
fn bucket(h: &u64, buckets: usize) -> usize {
    (*h as usize) & (buckets - 1)
}

#[inline]
fn mix(h: u64, x: u64) -> u64 {
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
struct Attrs {
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
fn all_attrs(tokens: &[Token], cues: &[TokenCues]) -> Vec<Attrs> {
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
const N_FEATURES: usize = 59;

/// The hashed features of token `i`, written into `out` (no allocation).
fn features(a: &[Attrs], i: usize, out: &mut [u64; N_FEATURES]) {
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
fn span_features(
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
fn partners(tokens: &[Token], spans: &[(usize, usize)]) -> Vec<Option<(usize, usize)>> {
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

/// A trained tagger: dense weights, buckets × labels, plus label transitions.
#[derive(Clone)]
pub struct Model {
    buckets: usize,
    weights: Vec<f32>,
    /// `trans[prev * LABELS + label]`; row `LABELS` is the sentence start.
    trans: Vec<f32>,
    /// Second stage: a span's type from features of the whole span and its
    /// context (head word, the words after it), buckets × types. The token tagger
    /// finds spans well but sees too little of them to type them.
    types: Vec<f32>,
    /// `weights` as i16 times `packed_scale`, what tagging reads: half the memory
    /// traffic of f32 for the same values the model file holds.
    packed: Vec<i16>,
    packed_scale: f32,
}

/// Weights are too many to print; say what the model is.
impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Model {{ buckets: {} }}", self.buckets)
    }
}

/// Scores of each type for a span's features, from a buckets × types table.
fn type_scores(types: &[f32], buckets: usize, feats: &[u64]) -> [f32; TYPES.len()] {
    let mut s = [0f32; TYPES.len()];
    for h in feats {
        let b = bucket(h, buckets) * TYPES.len();
        for (x, w) in s.iter_mut().zip(&types[b..b + TYPES.len()]) {
            *x += w;
        }
    }
    s
}

/// A span the tagger found: token indices `[start, end)` and its type.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub etype: EntityType,
    /// Mean margin of the span's labels over the best other label, squashed to (0, 1).
    pub confidence: f32,
}

impl Model {
    fn empty(buckets: usize) -> Model {
        Model {
            buckets,
            weights: vec![0.0; buckets * LABELS],
            trans: vec![0.0; (LABELS + 1) * LABELS],
            types: vec![0.0; buckets * TYPES.len()],
            packed: Vec::new(),
            packed_scale: 1.0,
        }
    }

    fn weight_scale(&self) -> f32 {
        let max = self
            .weights
            .iter()
            .chain(&self.types)
            .fold(0f32, |m, w| m.max(w.abs()));
        if max > 0.0 {
            max / i16::MAX as f32
        } else {
            1.0
        }
    }

    /// Quantises the weights for tagging (the same rounding as the model file).
    fn pack(&mut self) {
        let scale = self.weight_scale();
        self.packed = self
            .weights
            .iter()
            .map(|w| (w / scale).round() as i16)
            .collect();
        self.packed_scale = scale;
    }

    fn type_scores(&self, feats: &[u64]) -> [f32; TYPES.len()] {
        type_scores(&self.types, self.buckets, feats)
    }

    /// Emission scores for every token, `LABELS` per token.
    fn scores(&self, a: &[Attrs], out: &mut Vec<f32>) {
        out.clear();
        out.resize(a.len() * LABELS, 0.0);
        let mut f = [0u64; N_FEATURES];
        for i in 0..a.len() {
            features(a, i, &mut f);
            let mut sum = [0i32; LABELS];
            for h in &f {
                let b = bucket(h, self.buckets) * LABELS;
                for (r, w) in sum.iter_mut().zip(&self.packed[b..b + LABELS]) {
                    *r += *w as i32;
                }
            }
            for (o, x) in out[i * LABELS..(i + 1) * LABELS].iter_mut().zip(sum) {
                *o = x as f32 * self.packed_scale;
            }
        }
    }

    /// Best labels for `n` tokens; `name_bias` is added to every name label's score.
    fn viterbi(&self, emit: &[f32], n: usize, name_bias: f32) -> Vec<usize> {
        let bias = |l: usize| if l == 0 { 0.0 } else { name_bias };
        if n == 0 {
            return Vec::new();
        }
        let mut score = vec![f32::NEG_INFINITY; n * LABELS];
        let mut back = vec![0usize; n * LABELS];
        for l in 0..LABELS {
            if allowed(None, l) {
                score[l] = emit[l] + bias(l) + self.trans[LABELS * LABELS + l];
            }
        }
        for i in 1..n {
            for l in 0..LABELS {
                let mut best = f32::NEG_INFINITY;
                let mut arg = 0;
                for p in 0..LABELS {
                    let s = score[(i - 1) * LABELS + p];
                    if s == f32::NEG_INFINITY || !allowed(Some(p), l) {
                        continue;
                    }
                    let s = s + self.trans[p * LABELS + l];
                    if s > best {
                        best = s;
                        arg = p;
                    }
                }
                score[i * LABELS + l] = best + emit[i * LABELS + l] + bias(l);
                back[i * LABELS + l] = arg;
            }
        }
        let last = &score[(n - 1) * LABELS..];
        let mut l = (0..LABELS)
            .max_by(|&x, &y| last[x].total_cmp(&last[y]))
            .unwrap_or(0);
        let mut path = vec![0; n];
        for i in (0..n).rev() {
            path[i] = l;
            l = back[i * LABELS + l];
        }
        path
    }

    /// Best label sequence for a sentence.
    fn labels(&self, a: &[Attrs]) -> (Vec<usize>, Vec<f32>) {
        let mut emit = Vec::new();
        self.scores(a, &mut emit);
        (self.viterbi(&emit, a.len(), NAME_BIAS), emit)
    }

    /// The typed spans the model finds in one sentence's tokens.
    pub fn tag(&self, tokens: &[Token], cues: &[TokenCues]) -> Vec<Span> {
        let a = all_attrs(tokens, cues);
        let (path, emit) = self.labels(&a);
        // Confidence: how much the chosen labels outscore "no name", squashed.
        let mut spans = spans_of(&path, |i, l| emit[i * LABELS + l] - emit[i * LABELS]);
        let bounds: Vec<(usize, usize)> = spans.iter().map(|s| (s.start, s.end)).collect();
        let partner = partners(tokens, &bounds);
        let mut f = Vec::new();
        let mut chars = Vec::new();
        for (sp, partner) in spans.iter_mut().zip(partner) {
            chars.clear();
            chars.extend(
                tokens[sp.start..sp.end]
                    .iter()
                    .flat_map(|t| t.surface.chars()),
            );
            span_features(&a, &chars, sp.start, sp.end, partner, &mut f);
            // The span classifier alone types the span: with the name lexicon, adding
            // the token tagger's opinion no longer helps (5-fold typed F1 0.734 with
            // weight 0, 0.735 with 0.25, 0.733 with 0.5), and it is the less stable
            // of the two on news.
            let sc = self.type_scores(&f);
            let k = (0..TYPES.len())
                .max_by(|&x, &y| sc[x].total_cmp(&sc[y]))
                .unwrap_or(0);
            sp.etype = TYPES[k];
        }
        spans
    }

    /// Writes the model: a small header, the transitions, then only the non-zero
    /// weights as (index delta, i16) pairs with one scale factor.
    pub fn save(&self, path: &Path) -> Result<()> {
        std::fs::write(path, self.to_bytes()).map_err(|e| Error::io(path, e))
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let scale = self.weight_scale();
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&(LABELS as u32).to_le_bytes());
        out.extend_from_slice(&(self.buckets as u32).to_le_bytes());
        out.extend_from_slice(&scale.to_le_bytes());
        for t in &self.trans {
            out.extend_from_slice(&t.to_le_bytes());
        }
        let mut last = 0usize;
        let mut body = Vec::new();
        let mut count = 0u32;
        for (i, w) in self.weights.iter().chain(&self.types).enumerate() {
            let q = (w / scale).round() as i16;
            if q != 0 {
                write_varint(&mut body, (i - last) as u64);
                body.extend_from_slice(&q.to_le_bytes());
                last = i;
                count += 1;
            }
        }
        out.extend_from_slice(&count.to_le_bytes());
        out.extend_from_slice(&body);
        out
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Model> {
        let bad = |what: &str| Error::Rules {
            path: "NER model".into(),
            problem: what.into(),
        };
        let mut r = Reader { bytes, pos: 0 };
        if r.take(8).ok_or_else(|| bad("truncated header"))? != MAGIC {
            return Err(bad("not a musubi NER model (bad magic)"));
        }
        let labels = r.u32().ok_or_else(|| bad("truncated header"))? as usize;
        if labels != LABELS {
            return Err(bad("label set differs from this build"));
        }
        let buckets = r.u32().ok_or_else(|| bad("truncated header"))? as usize;
        if !buckets.is_power_of_two() {
            return Err(bad("bucket count is not a power of two"));
        }
        let scale = f32::from_bits(r.u32().ok_or_else(|| bad("truncated header"))?);
        let mut m = Model::empty(buckets);
        for t in m.trans.iter_mut() {
            *t = f32::from_bits(r.u32().ok_or_else(|| bad("truncated transitions"))?);
        }
        let count = r.u32().ok_or_else(|| bad("truncated weights"))?;
        let mut idx = 0usize;
        for _ in 0..count {
            idx += r.varint().ok_or_else(|| bad("truncated weights"))? as usize;
            let q = r.take(2).ok_or_else(|| bad("truncated weights"))?;
            let n = m.weights.len();
            let w = if idx < n {
                m.weights.get_mut(idx)
            } else {
                m.types.get_mut(idx - n)
            }
            .ok_or_else(|| bad("weight index out of range"))?;
            *w = i16::from_le_bytes([q[0], q[1]]) as f32 * scale;
        }
        m.pack();
        Ok(m)
    }

    pub fn load(path: &Path) -> Result<Model> {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        Model::from_bytes(&bytes).map_err(|e| match e {
            Error::Rules { problem, .. } => Error::Rules {
                path: path.display().to_string(),
                problem,
            },
            other => other,
        })
    }
}

fn write_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}
impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let s = self.bytes.get(self.pos..self.pos + n)?;
        self.pos += n;
        Some(s)
    }
    fn u32(&mut self) -> Option<u32> {
        self.take(4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
    fn varint(&mut self) -> Option<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = *self.take(1)?.first()?;
            v |= ((b & 0x7f) as u64) << shift;
            if b < 0x80 {
                return Some(v);
            }
        }
        None
    }
}

fn spans_of(path: &[usize], margin: impl Fn(usize, usize) -> f32) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut i = 0;
    while i < path.len() {
        let l = path[i];
        if l == 0 || is_inside(l) {
            i += 1;
            continue;
        }
        let t = type_of(l);
        let mut j = i + 1;
        while j < path.len() && is_inside(path[j]) && type_of(path[j]) == t {
            j += 1;
        }
        let m: f32 = (i..j).map(|k| margin(k, path[k])).sum::<f32>() / (j - i) as f32;
        spans.push(Span {
            start: i,
            end: j,
            etype: TYPES[t],
            confidence: 1.0 / (1.0 + (-m / MARGIN_SCALE).exp()),
        });
        i = j;
    }
    spans
}

/// Added to the name labels' scores of every token when tagging (not in training). The averaged
/// perceptron, trained to get whole sentences right, finds fewer names than there
/// are (5-fold on ner-wikipedia: 6,472 predicted for 6,650 gold at bias 0); a small
/// push toward names evens precision and recall. 5-fold typed F1 by bias: 0 →
/// 0.748, 8 → 0.749, 10 → 0.749, 12 → 0.750, 14 → 0.750, 16 → 0.749, 24 → 0.745;
/// a typical margin is about 90 (see [`MARGIN_SCALE`]).
const NAME_BIAS: f32 = 12.0;

/// Perceptron scores are sums of update counts; this maps a typical margin to ~0.9.
const MARGIN_SCALE: f32 = 40.0;

/// One training sentence: tokens, their cues, and gold spans in token indices.
#[derive(Clone)]
pub struct Example<'a> {
    pub tokens: Vec<Token<'a>>,
    pub cues: Vec<TokenCues>,
    pub gold: Vec<Span>,
}

fn gold_labels(ex: &Example) -> Vec<usize> {
    let mut y = vec![0; ex.tokens.len()];
    for s in &ex.gold {
        let t = TYPES.iter().position(|x| *x == s.etype).unwrap_or(0);
        for (k, l) in y.iter_mut().enumerate().take(s.end).skip(s.start) {
            *l = if k == s.start {
                b_label(t)
            } else {
                b_label(t) + 1
            };
        }
    }
    y
}

/// Trains an averaged perceptron; examples are visited in a fixed pseudo-random
/// order per epoch so that training is reproducible.
///
/// Trains one tagger per entry of `copies`, on `real` and those copies (each visits
/// its examples in its own order), and averages their weights. Scores are linear
/// in the weights, so the average model scores every label exactly as the mean of
/// the taggers would: an ensemble at the cost of one model when tagging. The span
/// classifier learns from `real` alone: name-swapped copies teach where names
/// are, not what a name's type is (5-fold typed F1 0.738 with them, 0.745 without).
///
/// The taggers train in parallel; each is deterministic and they are summed in
/// run order, so the model is the same on any number of threads.
pub fn train(real: &[Example], copies: &[Vec<Example>], epochs: usize, buckets: usize) -> Model {
    let (models, types) = rayon::join(
        || {
            copies
                .par_iter()
                .enumerate()
                .map(|(run, copies)| train_once(real, copies, epochs, buckets, run as u64))
                .collect::<Vec<Model>>()
        },
        || train_types(real, epochs, buckets.next_power_of_two(), copies.len()),
    );
    let mut models = models.into_iter();
    let mut m = models.next().expect("at least one tagger");
    for o in models {
        let pairs = m
            .weights
            .iter_mut()
            .zip(&o.weights)
            .chain(m.trans.iter_mut().zip(&o.trans));
        for (a, b) in pairs {
            *a += b;
        }
    }
    let k = copies.len() as f32;
    for w in m.weights.iter_mut().chain(m.trans.iter_mut()) {
        *w /= k;
    }
    m.types = types;
    m.pack();
    m
}

/// Taggers averaged by [`train`], one per draw of name-swapped copies. 5-fold
/// typed F1 on ner-wikipedia 0.703 with one, 0.712 with three, 0.713 with five
/// before the copies; with its own draw each tagger differs more: 0.744 with
/// three, 0.746 with five, 0.746 with eight (span F1 0.841, 0.844, 0.845).
/// Tagging costs the same for any number.
pub const ENSEMBLE_RUNS: usize = 5;

/// One averaged tagger over `real` then `copies`; `run` picks the order the
/// examples are visited in. Its span classifier is left empty.
fn train_once(
    real: &[Example],
    copies: &[Example],
    epochs: usize,
    buckets: usize,
    run: u64,
) -> Model {
    let examples: Vec<&Example> = real.iter().chain(copies).collect();
    let buckets = buckets.next_power_of_two();
    let mut m = Model::empty(buckets);
    // Sum over updates of (step × delta); the average is w - acc / steps.
    let mut acc_w = vec![0f64; m.weights.len()];
    let mut acc_t = vec![0f64; m.trans.len()];
    let gold: Vec<Vec<usize>> = examples.iter().map(|ex| gold_labels(ex)).collect();
    let feats: Vec<Vec<[u64; N_FEATURES]>> = examples
        .iter()
        .map(|ex| {
            let a = all_attrs(&ex.tokens, &ex.cues);
            (0..a.len())
                .map(|i| {
                    let mut f = [0u64; N_FEATURES];
                    features(&a, i, &mut f);
                    f
                })
                .collect()
        })
        .collect();
    let mut order: Vec<usize> = (0..examples.len()).collect();
    let mut rng = 0x2545_f491_4f6c_dd1du64 ^ run.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    let mut step = 1f64;
    let mut emit = Vec::new();
    for _ in 0..epochs {
        shuffle(&mut order, &mut rng);
        for &e in &order {
            let f = &feats[e];
            let n = f.len();
            emit.clear();
            emit.resize(n * LABELS, 0.0);
            for (i, fi) in f.iter().enumerate() {
                for h in fi {
                    let b = bucket(h, buckets) * LABELS;
                    for l in 0..LABELS {
                        emit[i * LABELS + l] += m.weights[b + l];
                    }
                }
            }
            let pred = m.viterbi(&emit, n, 0.0);
            let y = &gold[e];
            if pred != *y {
                for i in 0..n {
                    let (yp, yg) = (pred[i], y[i]);
                    if yp != yg {
                        for h in &f[i] {
                            let b = bucket(h, buckets) * LABELS;
                            m.weights[b + yg] += 1.0;
                            m.weights[b + yp] -= 1.0;
                            acc_w[b + yg] += step;
                            acc_w[b + yp] -= step;
                        }
                    }
                    let pp = if i == 0 { LABELS } else { pred[i - 1] };
                    let pg = if i == 0 { LABELS } else { y[i - 1] };
                    if (pp, yp) != (pg, yg) {
                        m.trans[pg * LABELS + yg] += 1.0;
                        m.trans[pp * LABELS + yp] -= 1.0;
                        acc_t[pg * LABELS + yg] += step;
                        acc_t[pp * LABELS + yp] -= step;
                    }
                }
            }
            step += 1.0;
        }
    }
    for (w, a) in m.weights.iter_mut().zip(&acc_w) {
        *w -= (*a / step) as f32;
    }
    for (w, a) in m.trans.iter_mut().zip(&acc_t) {
        *w -= (*a / step) as f32;
    }
    m
}

/// Span classifiers averaged per tagger, each visiting the spans in its own order.
/// Which type a name gets depended on that order more than the tagger's spans
/// did; 5-fold typed F1 on ner-wikipedia over five training orders: mean 0.749
/// (0.747-0.751) with one, 0.751 (0.748-0.753) with eight; four gave most of it.
const TYPE_ORDERS: u64 = 8;

/// Trains the span type classifier on the gold spans: for each of `runs`,
/// [`TYPE_ORDERS`] averaged perceptrons, all averaged into one weight table.
fn train_types(examples: &[Example], epochs: usize, buckets: usize, runs: usize) -> Vec<f32> {
    let mut data: Vec<(Vec<u64>, usize)> = Vec::new();
    for ex in examples {
        let a = all_attrs(&ex.tokens, &ex.cues);
        let mut gold = ex.gold.clone();
        gold.sort_by_key(|s| (s.start, s.end));
        let bounds: Vec<(usize, usize)> = gold.iter().map(|s| (s.start, s.end)).collect();
        for (sp, partner) in gold.iter().zip(partners(&ex.tokens, &bounds)) {
            let mut f = Vec::new();
            let chars: Vec<char> = ex.tokens[sp.start..sp.end]
                .iter()
                .flat_map(|t| t.surface.chars())
                .collect();
            span_features(&a, &chars, sp.start, sp.end, partner, &mut f);
            data.push((f, TYPES.iter().position(|t| *t == sp.etype).unwrap_or(0)));
        }
    }
    let len = buckets * TYPES.len();
    // Summed per run, then over runs, in a fixed order: the same bytes on any
    // number of threads.
    let per_run: Vec<Vec<f32>> = (0..runs as u64)
        .into_par_iter()
        .map(|run| {
            let mut sum = vec![0f32; len];
            for sub in 0..TYPE_ORDERS {
                let w = train_types_once(&data, epochs, buckets, run + 1000 * sub);
                for (s, w) in sum.iter_mut().zip(&w) {
                    *s += w / TYPE_ORDERS as f32;
                }
            }
            sum
        })
        .collect();
    let mut runs_iter = per_run.into_iter();
    let mut total = runs_iter.next().unwrap_or_else(|| vec![0f32; len]);
    for w in runs_iter {
        for (t, x) in total.iter_mut().zip(&w) {
            *t += x;
        }
    }
    for t in &mut total {
        *t /= runs.max(1) as f32;
    }
    total
}

/// One averaged perceptron over the span examples: its weights, buckets × types.
fn train_types_once(
    data: &[(Vec<u64>, usize)],
    epochs: usize,
    buckets: usize,
    seed: u64,
) -> Vec<f32> {
    let nt = TYPES.len();
    let mut types = vec![0f32; buckets * nt];
    let mut acc = vec![0f64; types.len()];
    let mut step = 1f64;
    let mut rng = 0x9e37_79b9_7f4a_7c15u64 ^ seed.wrapping_mul(0x2545_f491_4f6c_dd1d);
    let mut order: Vec<usize> = (0..data.len()).collect();
    for _ in 0..epochs {
        shuffle(&mut order, &mut rng);
        for &d in &order {
            let (f, y) = &data[d];
            let sc = type_scores(&types, buckets, f);
            let p = (0..nt)
                .max_by(|&x, &z| sc[x].total_cmp(&sc[z]))
                .unwrap_or(0);
            if p != *y {
                for h in f {
                    let b = bucket(h, buckets) * nt;
                    types[b + y] += 1.0;
                    types[b + p] -= 1.0;
                    acc[b + y] += step;
                    acc[b + p] -= step;
                }
            }
            step += 1.0;
        }
    }
    for (w, a) in types.iter_mut().zip(&acc) {
        *w -= (*a / step) as f32;
    }
    types
}

/// Next number of a xorshift64 generator: training's only randomness, seeded so
/// that it is reproducible.
pub fn xorshift(rng: &mut u64) -> u64 {
    *rng ^= *rng << 13;
    *rng ^= *rng >> 7;
    *rng ^= *rng << 17;
    *rng
}

/// Fisher-Yates shuffle driven by [`xorshift`].
fn shuffle(order: &mut [usize], rng: &mut u64) {
    for i in (1..order.len()).rev() {
        order.swap(i, (xorshift(rng) % (i as u64 + 1)) as usize);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokens::{ConjForm, Tag};

    #[test]
    fn bio_constraints() {
        assert!(allowed(None, 0));
        assert!(!allowed(None, 2));
        assert!(allowed(Some(1), 2));
        assert!(!allowed(Some(3), 2));
    }

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

    #[test]
    fn model_bytes_round_trip() {
        let mut m = Model::empty(16);
        m.weights[5] = 1.5;
        m.weights[100] = -0.25;
        m.trans[3] = 2.0;
        let back = Model::from_bytes(&m.to_bytes()).unwrap();
        assert!((back.weights[5] - 1.5).abs() < 1e-3);
        assert!((back.weights[100] + 0.25).abs() < 1e-3);
        assert_eq!(back.trans[3], 2.0);
        assert!(Model::from_bytes(b"junk").is_err());
    }
}
