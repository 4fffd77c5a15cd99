//! The types that flow between the stages, in pipeline order. Each stage is a
//! module with a pure function from the previous stage's output to its own:
//! text → sentences → tokens → mentions → entities → facts → RDF.
use std::collections::BTreeSet;
use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::text::{Article, Sentence};
use crate::tokens::Token;

/// A sentence with its tokens (offsets of both index the article text). The
/// tokens borrow from the article's text and the tokenizer.
#[derive(Debug, Clone)]
pub struct AnalyzedSentence<'a> {
    pub sentence: Sentence,
    pub tokens: Vec<Token<'a>>,
}

/// Classes of the ontology that entities belong to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum EntityType {
    Person,
    Organization,
    Product,
    Place,
    Event,
    Concept,
    Award,
}

impl EntityType {
    pub const ALL: [EntityType; 7] = [
        EntityType::Person,
        EntityType::Organization,
        EntityType::Product,
        EntityType::Place,
        EntityType::Event,
        EntityType::Concept,
        EntityType::Award,
    ];
    /// Local name of the class in the ontology.
    pub fn name(self) -> &'static str {
        match self {
            EntityType::Person => "Person",
            EntityType::Organization => "Organization",
            EntityType::Product => "Product",
            EntityType::Place => "Place",
            EntityType::Event => "Event",
            EntityType::Concept => "Concept",
            EntityType::Award => "Award",
        }
    }
    pub fn from_name(s: &str) -> Option<EntityType> {
        EntityType::ALL.into_iter().find(|t| t.name() == s)
    }
}

/// What a mention is: a name, or a word that points back to one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum MentionKind {
    /// A name or a descriptive noun phrase that denotes the entity itself.
    Name,
    /// 彼, 彼女: a person mentioned earlier.
    Pronoun,
    /// 同社, 同氏, 同大学, 両社…: an entity of `etype` mentioned earlier.
    Anaphor,
}

/// A span of an article that refers to an entity.
#[derive(Debug, Clone, Serialize)]
pub struct Mention {
    pub sentence: usize,
    /// Indices into the sentence's tokens that the mention covers (at least partly).
    pub tokens: Range<usize>,
    /// Character offsets into the article text.
    pub start: usize,
    pub end: usize,
    /// The text as written.
    pub surface: String,
    /// The name with honorifics and titles stripped (ベルクマン氏 → ベルクマン); what aliases hold.
    pub name: String,
    pub etype: EntityType,
    pub kind: MentionKind,
    /// How sure the recogniser is, in [0, 1].
    pub confidence: f32,
}

impl Mention {
    /// A name mention with no text around it (sentence `sentence`, no tokens):
    /// what tests of entity merging and callers with their own names hand over.
    pub fn bare_name(sentence: usize, name: &str, etype: EntityType) -> Mention {
        Mention {
            sentence,
            tokens: 0..0,
            start: 0,
            end: name.chars().count(),
            surface: name.to_string(),
            name: name.to_string(),
            etype,
            kind: MentionKind::Name,
            confidence: 0.8,
        }
    }
}

/// Typed values found in text: they become literals or qualifiers of facts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ValueKind {
    Money,
    Percent,
    Date,
    Year,
    Quantity,
}

#[derive(Debug, Clone, Serialize)]
pub struct ValueMention {
    pub sentence: usize,
    pub tokens: Range<usize>,
    pub start: usize,
    pub end: usize,
    pub surface: String,
    pub kind: ValueKind,
    /// Normalised value: a decimal number for Money/Percent/Quantity (128億 → 12800000000),
    /// `YYYY`, `YYYY-MM-DD` or `--MM-DD` for dates.
    pub value: String,
    /// Currency (JPY, USD…) or counter (人, 社…) when there is one.
    pub unit: Option<String>,
}

/// One real-world thing an article talks about.
#[derive(Debug, Clone, Serialize)]
pub struct Entity {
    pub etype: EntityType,
    /// Canonical name: the fullest spelling seen.
    pub label: String,
    /// Every spelling seen, the label included.
    pub aliases: BTreeSet<String>,
}

/// Mentions grouped into entities.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Resolution {
    pub entities: Vec<Entity>,
    /// For each mention (same order as the mention list), the entity it refers to.
    pub mention_entity: Vec<Option<usize>>,
}

/// The object of a fact: another entity or a literal value.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Object {
    Entity(usize),
    Literal { value: String, kind: ValueKind },
}

/// A qualifier hung on a fact (money paid, share, date, role, head count).
#[derive(Debug, Clone, Serialize)]
pub struct Qualifier {
    /// Local name of the qualifier property in the ontology: amount, share, date, role, count.
    pub property: String,
    pub value: String,
    pub unit: Option<String>,
    pub surface: String,
}

/// One extracted statement with its provenance.
#[derive(Debug, Clone, Serialize)]
pub struct Fact {
    pub subject: usize,
    /// Local name in the ontology (`moved_to`), or the predicate lemma when `open`.
    pub relation: String,
    pub object: Object,
    /// True when no rule mapped the predicate: the relation is an open lemma and
    /// is stored in a separate namespace.
    pub open: bool,
    /// False for negated or hypothetical statements (〜しなかった, 〜を検討): kept for
    /// provenance but not asserted in the graph.
    pub asserted: bool,
    pub sentence: usize,
    /// Character offsets of the evidence (the sentence) in the article text.
    pub start: usize,
    pub end: usize,
    pub rule: String,
    pub confidence: f32,
    pub qualifiers: Vec<Qualifier>,
}

/// Everything extracted from one article.
#[derive(Debug, Clone, Serialize)]
pub struct Extraction {
    pub article: Article,
    pub sentences: Vec<Sentence>,
    pub mentions: Vec<Mention>,
    pub values: Vec<ValueMention>,
    pub entities: Vec<Entity>,
    /// For each mention, its entity.
    pub mention_entity: Vec<Option<usize>>,
    pub facts: Vec<Fact>,
}

impl AnalyzedSentence<'_> {
    /// Token indices covering the character span `[start, end)`.
    pub fn token_range(&self, start: usize, end: usize) -> Range<usize> {
        let first = self
            .tokens
            .iter()
            .position(|t| t.end > start)
            .unwrap_or(self.tokens.len());
        let last = self
            .tokens
            .iter()
            .rposition(|t| t.start < end)
            .map_or(first, |i| i + 1);
        first..last.max(first)
    }
}
