//! Measuring: facts against gold annotations (the project's own format in
//! [`gold`], JacRED in [`jacred`]), and name recognition against span-annotated
//! sentences, with the tagger's training, in [`ner`]. Nothing here is on the
//! path of extraction; every function takes an [`Extractor`](crate::Extractor)
//! and files, and returns a report that serialises to JSON.
use serde::Serialize;

use crate::document::Fact;

pub mod gold;
pub mod jacred;
pub mod ner;
pub mod relation_model;

pub use gold::{
    eval_gold, gold_files, pair_inputs, read_gold, score_extractions, EvalReport, GoldFile,
};
pub use jacred::{eval_jacred, read_jacred, score_jacred, JacredDoc, JacredReport};
pub use ner::{cross_validate, eval_ner, load_examples, train_ner, NerReport, Scores};

/// Precision, recall and F1 with the counts behind them.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Score {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    /// Predicted facts that match a required fact.
    pub true_positives: usize,
    /// Predicted facts that match neither a required nor an optional fact.
    pub false_positives: usize,
    /// Required facts no prediction matched.
    pub false_negatives: usize,
    /// Required facts some prediction matched, and all required facts: what
    /// pooling several scores needs.
    #[serde(skip)]
    found: usize,
    #[serde(skip)]
    required: usize,
}

/// `P 0.833  R 0.342  F1 0.485  (tp 40, fp 8, fn 77)`: how every report prints
/// a score.
impl std::fmt::Display for Score {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "P {:.3}  R {:.3}  F1 {:.3}  (tp {}, fp {}, fn {})",
            self.precision,
            self.recall,
            self.f1,
            self.true_positives,
            self.false_positives,
            self.false_negatives
        )
    }
}

impl Score {
    pub(crate) fn new(tp_pred: usize, fp: usize, found: usize, required: usize) -> Score {
        let precision = ratio(tp_pred, tp_pred + fp);
        let recall = ratio(found, required);
        let f1 = if precision + recall > 0.0 {
            2.0 * precision * recall / (precision + recall)
        } else {
            0.0
        };
        Score {
            precision,
            recall,
            f1,
            true_positives: tp_pred,
            false_positives: fp,
            false_negatives: required - found,
            found,
            required,
        }
    }

    /// The score of several scored sets taken together (micro-averaged).
    pub fn pool<'a>(scores: impl IntoIterator<Item = &'a Score>) -> Score {
        let (mut tp, mut fp, mut found, mut required) = (0, 0, 0, 0);
        for s in scores {
            tp += s.true_positives;
            fp += s.false_positives;
            found += s.found;
            required += s.required;
        }
        Score::new(tp, fp, found, required)
    }
}

/// Whether a fact is a prediction to score: a model fact below its threshold
/// (kept with `asserted: false` so that a user can still query it) is not;
/// a rule's unasserted fact (a plan, 〜を検討) is, since the gold files
/// annotate announced plans.
pub(crate) fn is_prediction(f: &Fact) -> bool {
    !f.open && (f.asserted || f.rule != crate::relations::model::RULE_ID)
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// A fact as written in a report.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FactLine {
    pub article: String,
    pub subject: String,
    pub relation: String,
    pub object: String,
    /// The evidence sentence (predicted facts only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sentence: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
}
