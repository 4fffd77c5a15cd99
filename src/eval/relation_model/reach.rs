//! Where JacRED's facts are lost before the scorer can weigh them: a fact
//! can be found only when musubi finds both its sides (as entities, or a date
//! as a value), and only when some candidate pair joins the two. Counting
//! each step per relation shows which stage bounds recall.
use std::collections::BTreeMap;

use serde::Serialize;

use super::super::jacred::{match_document, relations_present, VertexMap};
use super::{Annotation, TrainingDoc};
use crate::document::Extraction;
use crate::relations::model::Arg;

/// Per relation, how many of its labels survive each step, in order: each
/// count is a subset of the one before, except `found_by_rules`.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Reach {
    pub gold: usize,
    /// A side no mention or value overlaps.
    pub side_unseen: usize,
    /// Every side overlapped, but some side only by a mention whose span
    /// differs from the label's and whose name is not the vertex's.
    pub side_misaligned: usize,
    /// Both sides are musubi entities (or values).
    pub both_found: usize,
    /// Some candidate pair joins the two sides.
    pub paired: usize,
    /// Some candidate pair joins them in a sentence that names both.
    pub paired_named: usize,
    /// Found by rules and scorer together.
    pub found: usize,
    /// Found by the rules alone.
    pub found_by_rules: usize,
}

impl Reach {
    fn add(&mut self, o: &Reach) {
        self.gold += o.gold;
        self.side_unseen += o.side_unseen;
        self.side_misaligned += o.side_misaligned;
        self.both_found += o.both_found;
        self.paired += o.paired;
        self.paired_named += o.paired_named;
        self.found += o.found;
        self.found_by_rules += o.found_by_rules;
    }

    /// A table, one row per relation and a total.
    pub fn table(per_relation: &BTreeMap<String, Reach>) -> String {
        let mut out = String::from(
            "reach per relation: gold, a side unseen | misaligned, both found, paired (named in one sentence), found (by rules)\n",
        );
        let mut all = Reach::default();
        let row = |name: &str, r: &Reach| {
            format!(
                "  {:<16} {:>5}  {:>5} | {:>4}  {:>5}  {:>5} ({:>5})  {:>5} ({:>4})\n",
                name,
                r.gold,
                r.side_unseen,
                r.side_misaligned,
                r.both_found,
                r.paired,
                r.paired_named,
                r.found,
                r.found_by_rules
            )
        };
        for (name, r) in per_relation {
            out.push_str(&row(name, r));
            all.add(r);
        }
        out.push_str(&row("all", &all));
        out
    }
}

/// How a vertex stands in an extraction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Side {
    Found,
    Misaligned,
    Unseen,
}

/// The reach of each relation over the JacRED documents of `docs`, with
/// `with_model` the extraction of each document with the scorer's facts.
pub(super) fn reach(docs: &[TrainingDoc], with_model: &[Extraction]) -> BTreeMap<String, Reach> {
    let present = relations_present(docs.iter().filter_map(|d| match &d.annotation {
        Annotation::Jacred(j) => Some(&**j),
        Annotation::Gold(_) => None,
    }));
    let mut out: BTreeMap<String, Reach> = BTreeMap::new();
    for (d, model_ex) in docs.iter().zip(with_model) {
        let Annotation::Jacred(j) = &d.annotation else {
            continue;
        };
        let ex = &d.extraction;
        let vm = VertexMap::new(j, ex);
        let by_rules = match_document(j, ex, &present).found;
        let m = match_document(j, model_ex, &present);
        let mut side = vec![Side::Unseen; j.vertex_set.len()];
        for (v, start, end, _) in j.mention_spans() {
            let overlaps = ex.mentions.iter().any(|m| m.start < end && start < m.end)
                || ex.values.iter().any(|x| x.start < end && start < x.end);
            if overlaps {
                side[v] = side[v].min(Side::Misaligned);
            }
        }
        for e in 0..ex.entities.len() {
            for &v in vm.entity(e) {
                side[v] = Side::Found;
            }
        }
        for x in &ex.values {
            for v in vm.literal(&x.value) {
                side[v] = Side::Found;
            }
        }
        // Vertex pairs each candidate joins, and whether it names both.
        let mut joined: BTreeMap<(usize, usize), bool> = BTreeMap::new();
        for c in &d.candidates {
            let ys = match c.object {
                Arg::Entity(e) => vm.entity(e).to_vec(),
                Arg::Value(v) => vm.literal(&ex.values[v].value),
            };
            for &x in vm.entity(c.subject) {
                for &y in &ys {
                    let named = joined.entry((x.min(y), x.max(y))).or_default();
                    *named |= !c.implicit;
                }
            }
        }
        for g in &m.gold {
            let (h, rel, t) = *g;
            let r = out.entry(rel.to_string()).or_default();
            r.gold += 1;
            let worst = side[h].max(side[t]);
            match worst {
                Side::Unseen => r.side_unseen += 1,
                Side::Misaligned => r.side_misaligned += 1,
                Side::Found => r.both_found += 1,
            }
            if let Some(named) = joined.get(&(h.min(t), h.max(t))) {
                r.paired += 1;
                r.paired_named += *named as usize;
            }
            r.found += m.found.contains(g) as usize;
            r.found_by_rules += by_rules.contains(g) as usize;
        }
    }
    out
}
