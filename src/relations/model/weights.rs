//! The relation scorer's weights and its file (`ontology/re-model.bin`).
//!
//! One weight per hashed feature and class; class 0 is "no relation". A pair's
//! margin for a relation is its score minus the no-relation score, and its
//! confidence is a logistic curve over the margin fitted on held-out folds
//! (Platt scaling), so that a confidence reads as a probability and one
//! threshold serves every relation.

use crate::varint::{write_varint, Reader};
use std::path::Path;

use crate::error::{Error, Result};

const MAGIC: &[u8; 8] = b"MSBRE001";

/// A relation the model predicts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelationClass {
    /// Local name in the vocabulary.
    pub relation: String,
    /// The object is a date or year literal, not an entity.
    pub literal: bool,
    /// The relation holds both ways (spouse_of): scored once per unordered pair.
    pub symmetric: bool,
}

/// The trained scorer.
#[derive(Debug, Clone)]
pub struct RelationModel {
    pub(super) buckets: usize,
    pub(super) classes: Vec<RelationClass>,
    /// Quantised weights, `buckets × (classes + 1)`, column 0 no relation.
    pub(super) weights: Vec<i16>,
    pub(super) scale: f32,
    /// Per class, confidence = 1 / (1 + exp(-(a · margin + b))).
    pub(super) calibration: Vec<(f32, f32)>,
}

impl RelationModel {
    /// Quantises trained weights (`buckets × (classes + 1)`) into a model.
    pub(super) fn from_weights(
        buckets: usize,
        classes: Vec<RelationClass>,
        weights: &[f32],
    ) -> RelationModel {
        let n = classes.len();
        let max = weights.iter().fold(0f32, |m, w| m.max(w.abs()));
        let scale = if max > 0.0 {
            max / i16::MAX as f32
        } else {
            1.0
        };
        RelationModel {
            buckets,
            classes,
            weights: weights.iter().map(|w| (w / scale).round() as i16).collect(),
            scale,
            calibration: vec![(1.0, 0.0); n],
        }
    }

    /// Sets the confidence curve of each class: confidence = 1 / (1 + exp(-(a · margin + b))).
    pub fn set_calibration(&mut self, curves: Vec<(f32, f32)>) {
        assert_eq!(curves.len(), self.classes.len());
        self.calibration = curves;
    }

    pub fn classes(&self) -> &[RelationClass] {
        &self.classes
    }

    /// Index of a relation's class (0-based, without the no-relation class).
    pub fn class_of(&self, relation: &str) -> Option<usize> {
        self.classes.iter().position(|c| c.relation == relation)
    }

    /// Margins of each relation over "no relation" for one candidate's features.
    pub fn margins(&self, features: &[u64], out: &mut Vec<f32>) {
        let width = self.classes.len() + 1;
        let mut sum = vec![0i32; width];
        for h in features {
            let b = (*h as usize & (self.buckets - 1)) * width;
            for (s, w) in sum.iter_mut().zip(&self.weights[b..b + width]) {
                *s += *w as i32;
            }
        }
        out.clear();
        out.extend(sum[1..].iter().map(|s| (s - sum[0]) as f32 * self.scale));
    }

    /// The calibrated confidence of a class's margin.
    pub fn confidence(&self, class: usize, margin: f32) -> f32 {
        let (a, b) = self.calibration[class];
        1.0 / (1.0 + (-(a * margin + b)).exp())
    }

    pub fn save(&self, path: &Path) -> Result<()> {
        std::fs::write(path, self.to_bytes()).map_err(|e| Error::io(path, e))
    }

    /// A header (buckets, classes with their flags, calibration, scale), then
    /// only the non-zero weights as (index delta, i16) pairs.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&(self.buckets as u32).to_le_bytes());
        out.extend_from_slice(&(self.classes.len() as u32).to_le_bytes());
        for (c, (a, b)) in self.classes.iter().zip(&self.calibration) {
            out.push(c.literal as u8 | (c.symmetric as u8) << 1);
            out.push(c.relation.len() as u8);
            out.extend_from_slice(c.relation.as_bytes());
            out.extend_from_slice(&a.to_le_bytes());
            out.extend_from_slice(&b.to_le_bytes());
        }
        out.extend_from_slice(&self.scale.to_le_bytes());
        let mut body = Vec::new();
        let mut count = 0u32;
        let mut last = 0usize;
        for (i, w) in self.weights.iter().enumerate() {
            if *w != 0 {
                write_varint(&mut body, (i - last) as u64);
                body.extend_from_slice(&w.to_le_bytes());
                last = i;
                count += 1;
            }
        }
        out.extend_from_slice(&count.to_le_bytes());
        out.extend_from_slice(&body);
        out
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<RelationModel> {
        let bad = |what: &str| Error::Rules {
            path: "relation model".into(),
            problem: what.into(),
        };
        let mut r = Reader::new(bytes);
        if r.take(8).ok_or_else(|| bad("truncated header"))? != MAGIC {
            return Err(bad("not a musubi relation model (bad magic)"));
        }
        let buckets = r.u32().ok_or_else(|| bad("truncated header"))? as usize;
        if !buckets.is_power_of_two() || buckets > 1 << 24 {
            return Err(bad("bucket count is not a power of two"));
        }
        let n = r.u32().ok_or_else(|| bad("truncated header"))? as usize;
        if n > 255 {
            return Err(bad("too many classes"));
        }
        let mut classes = Vec::with_capacity(n);
        let mut calibration = Vec::with_capacity(n);
        for _ in 0..n {
            let flags = *r
                .take(1)
                .ok_or_else(|| bad("truncated classes"))?
                .first()
                .unwrap_or(&0);
            let len = *r
                .take(1)
                .ok_or_else(|| bad("truncated classes"))?
                .first()
                .unwrap_or(&0);
            let name = r
                .take(len as usize)
                .ok_or_else(|| bad("truncated classes"))?;
            let relation =
                String::from_utf8(name.to_vec()).map_err(|_| bad("class name is not UTF-8"))?;
            classes.push(RelationClass {
                relation,
                literal: flags & 1 != 0,
                symmetric: flags & 2 != 0,
            });
            let a = r.u32().ok_or_else(|| bad("truncated classes"))?;
            let b = r.u32().ok_or_else(|| bad("truncated classes"))?;
            calibration.push((f32::from_bits(a), f32::from_bits(b)));
        }
        let scale = r
            .u32()
            .map(f32::from_bits)
            .ok_or_else(|| bad("truncated header"))?;
        let count = r.u32().ok_or_else(|| bad("truncated weights"))?;
        let mut weights = vec![0i16; buckets * (n + 1)];
        let mut idx = 0usize;
        for _ in 0..count {
            idx += r.varint().ok_or_else(|| bad("truncated weights"))? as usize;
            let q = r.take(2).ok_or_else(|| bad("truncated weights"))?;
            *weights
                .get_mut(idx)
                .ok_or_else(|| bad("weight index out of range"))? =
                i16::from_le_bytes([q[0], q[1]]);
        }
        if r.position() != bytes.len() {
            return Err(bad("trailing bytes"));
        }
        Ok(RelationModel {
            buckets,
            classes,
            weights,
            scale,
            calibration,
        })
    }

    pub fn load(path: &Path) -> Result<RelationModel> {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        RelationModel::from_bytes(&bytes).map_err(|e| match e {
            Error::Rules { problem, .. } => Error::Rules {
                path: path.display().to_string(),
                problem,
            },
            other => other,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_round_trip() {
        let classes = vec![
            RelationClass {
                relation: "born_on".into(),
                literal: true,
                symmetric: false,
            },
            RelationClass {
                relation: "spouse_of".into(),
                literal: false,
                symmetric: true,
            },
        ];
        let mut w = vec![0f32; 16 * 3];
        w[4] = 2.0;
        w[40] = -0.5;
        let mut m = RelationModel::from_weights(16, classes, &w);
        m.calibration = vec![(0.5, -1.0), (1.0, 0.0)];
        let bytes = m.to_bytes();
        let back = RelationModel::from_bytes(&bytes).unwrap();
        assert_eq!(back.to_bytes(), bytes);
        assert_eq!(back.classes, m.classes);
        assert_eq!(back.weights, m.weights);
        assert!(RelationModel::from_bytes(b"junk").is_err());
        assert!(RelationModel::from_bytes(&bytes[..bytes.len() - 1]).is_err());
    }
}
