//! One module per kind of rule in `relations.toml`, each matching its rules
//! against a sentence (and its frames) and recording what they find.
pub(super) mod genitive;
pub(super) mod noun;
pub(super) mod paren;
pub(super) mod predicate;
