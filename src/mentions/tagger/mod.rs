//! A statistical name tagger: an averaged structured perceptron over IPADIC tokens
//! with BIO labels per entity type, decoded with Viterbi, and a second classifier
//! that types each span found. The token tagger finds spans well but sees too
//! little of them to type them; the span classifier sees the whole span and its
//! context (head word, the words after it, a name listed with it).
//!
//! - [`features`]: hashed attributes of tokens and spans.
//! - [`model`]: a trained model, read in place from its tagging tables, and decoding.
//! - [`layout`]: the model file and the tagging tables, as bytes.
//! - [`train`]: training, reproducible to the byte.
use crate::document::EntityType;

use super::lexicon::NameCues;
use super::rules::NameSuffix;

mod features;
mod layout;
mod model;
mod train;

pub use model::Model;
pub use train::{train, xorshift, Example, DEFAULT_BUCKETS, ENSEMBLE_RUNS};

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
// The byte formats are laid out for these.
const _: () = assert!(TYPES.len() == layout::TYPE_COUNT && LABELS == layout::LABEL_COUNT);

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

/// A span the tagger found: token indices `[start, end)` and its type.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub etype: EntityType,
    /// Mean margin of the span's labels over the best other label, squashed to (0, 1).
    pub confidence: f32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bio_constraints() {
        assert!(allowed(None, 0));
        assert!(!allowed(None, 2));
        assert!(allowed(Some(1), 2));
        assert!(!allowed(Some(3), 2));
    }
}
