//! Pictures of the graph for the browser: an entity's neighbourhood (one or
//! two hops, filtered by relation and type) or one article's facts, drawn by
//! GraphViz as SVG. Each entity node links to its page (`target=_top`, as the
//! picture sits in a frame of the page), is coloured by type, and carries its
//! type in a tooltip.
use std::collections::{BTreeSet, HashMap};
use std::fmt::Write;

use oxigraph::model::Term;

use crate::rdf::{ARTICLE, ONTOLOGY};

use super::catalog::Catalog;
use super::html::{entity_href, type_colour, Lang};

/// Most nodes a picture draws; past this GraphViz output is unreadable anyway
/// and its layout time grows quickly.
pub const MAX_NODES: usize = 80;

/// What to draw around an entity.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Filter {
    /// Relation local names to keep; empty keeps all.
    pub relations: BTreeSet<String>,
    /// Node types to keep (`Person`, …, `Literal`); empty keeps all.
    pub types: BTreeSet<String>,
    /// 1 or 2.
    pub hops: u8,
}

impl Filter {
    fn keeps_relation(&self, rel: &str) -> bool {
        self.relations.is_empty() || self.relations.contains(rel)
    }
    fn keeps_type(&self, kind: &str) -> bool {
        self.types.is_empty() || self.types.contains(kind)
    }
}

/// A fact as the pictures need it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Edge {
    pub subject: Term,
    pub relation: String,
    pub object: Term,
}

impl Edge {
    /// An order for edges (terms have none of their own): stable pictures.
    pub fn sort_key(&self) -> (String, String, String) {
        (
            self.subject.to_string(),
            self.relation.clone(),
            self.object.to_string(),
        )
    }
}

/// Nodes and edges to draw.
#[derive(Default)]
pub struct Picture {
    nodes: Vec<PicNode>,
    index: HashMap<Term, usize>,
    edges: BTreeSet<(usize, usize, String)>,
    /// Nodes left out because of [`MAX_NODES`].
    pub dropped: usize,
}

struct PicNode {
    term: Term,
    label: String,
    kind: String,
    centre: bool,
}

impl Picture {
    fn node(&mut self, term: &Term, catalog: &Catalog, centre: bool) -> Option<usize> {
        if let Some(&i) = self.index.get(term) {
            return Some(i);
        }
        if self.nodes.len() >= MAX_NODES {
            self.dropped += 1;
            return None;
        }
        let (label, kind) = node_text(term, catalog);
        self.index.insert(term.clone(), self.nodes.len());
        self.nodes.push(PicNode {
            term: term.clone(),
            label,
            kind,
            centre,
        });
        Some(self.nodes.len() - 1)
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// The picture of `edges` around `centre` (if any), filtered.
    pub fn build(
        centre: Option<&Term>,
        edges: &[Edge],
        filter: &Filter,
        catalog: &Catalog,
    ) -> Picture {
        let mut pic = Picture::default();
        if let Some(c) = centre {
            pic.node(c, catalog, true);
        }
        // Edges at the centre first, so the node limit cuts the far ones.
        let mut ordered: Vec<&Edge> = edges.iter().collect();
        ordered.sort_by_cached_key(|e| {
            let near = centre.is_some_and(|c| e.subject == *c || e.object == *c);
            (!near, e.sort_key())
        });
        for e in ordered {
            if !filter.keeps_relation(&e.relation) {
                continue;
            }
            let keep = |t: &Term| centre == Some(t) || filter.keeps_type(&node_text(t, catalog).1);
            if !keep(&e.subject) || !keep(&e.object) {
                continue;
            }
            let (Some(a), Some(b)) = (
                pic.node(&e.subject, catalog, false),
                pic.node(&e.object, catalog, false),
            ) else {
                continue;
            };
            pic.edges.insert((a, b, e.relation.clone()));
        }
        pic
    }

    /// GraphViz DOT with links, colours and relation labels in `lang`.
    pub fn to_dot(&self, catalog: &Catalog, lang: Lang) -> String {
        let mut out = String::from(
            "digraph musubi {\n  graph [rankdir=LR, fontname=\"IPAGothic\", bgcolor=\"transparent\"];\n  \
             node [fontname=\"IPAGothic\", style=filled, shape=box, fontsize=12];\n  \
             edge [fontname=\"IPAGothic\", fontsize=10, color=\"#6c757d\"];\n",
        );
        for (i, n) in self.nodes.iter().enumerate() {
            let type_label = if n.kind == "Literal" {
                "value".to_string()
            } else {
                catalog.class_label(&n.kind, lang)
            };
            let _ = writeln!(
                out,
                "  n{i} [label=\"{}\", fillcolor=\"{}\", tooltip=\"{} ({})\", class=\"t-{}\"{}{}];",
                dot_escape(&n.label),
                type_colour(&n.kind),
                dot_escape(&n.label),
                dot_escape(&type_label),
                dot_escape(&n.kind),
                shape(&n.kind),
                if n.centre { ", penwidth=3" } else { "" },
            );
            if let Term::NamedNode(iri) = &n.term {
                let _ = writeln!(
                    out,
                    "  n{i} [URL=\"{}\", target=\"_top\"];",
                    dot_escape(&entity_href(iri.as_str()))
                );
            }
        }
        for (a, b, rel) in &self.edges {
            let label = catalog.label(&format!("{ONTOLOGY}{rel}"), lang);
            let _ = writeln!(
                out,
                "  n{a} -> n{b} [label=\"{}\", class=\"r-{}\"];",
                dot_escape(&label),
                dot_escape(rel)
            );
        }
        out.push_str("}\n");
        out
    }
}

fn shape(kind: &str) -> &'static str {
    match kind {
        "Person" => ", shape=ellipse",
        "Organization" => ", style=\"filled,rounded\"",
        "Product" => ", shape=hexagon",
        "Place" => ", shape=house",
        "Event" => ", shape=octagon",
        "Concept" => ", shape=note",
        "Award" => ", shape=component",
        "Literal" => ", shape=plaintext",
        _ => "",
    }
}

/// A node's label and kind (class local name, `Literal`, or `Entity`).
fn node_text(t: &Term, catalog: &Catalog) -> (String, String) {
    match t {
        Term::Literal(l) => (l.value().to_string(), "Literal".into()),
        Term::NamedNode(n) => match catalog.entity(n.as_str()) {
            Some(e) => (e.label.clone(), e.kind.clone()),
            None => (
                crate::export::local_name(t),
                if n.as_str().starts_with(ARTICLE) {
                    "Article".into()
                } else {
                    "Entity".into()
                },
            ),
        },
        other => (other.to_string(), "Entity".into()),
    }
}

/// DOT strings escape `"` and `\`; newlines become `\n`.
fn dot_escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// GraphViz's SVG, made to fit the frame: a small picture keeps its size, a
/// wide one shrinks to the frame's width (the browser scales it by its view box).
pub fn fit_svg(svg: &str) -> String {
    let Some(start) = svg.find("<svg") else {
        return svg.to_string();
    };
    format!(
        "{}<svg style=\"max-width:100%;height:auto\"{}",
        &svg[..start],
        &svg[start + 4..]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_svg_lets_wide_pictures_shrink() {
        let svg = "<?xml version=\"1.0\"?>\n<svg width=\"300pt\" height=\"100pt\"\n viewBox=\"0 0 300 100\">\n<g/></svg>";
        assert_eq!(
            fit_svg(svg),
            "<?xml version=\"1.0\"?>\n<svg style=\"max-width:100%;height:auto\" width=\"300pt\" height=\"100pt\"\n viewBox=\"0 0 300 100\">\n<g/></svg>"
        );
    }

    #[test]
    fn dot_strings_are_escaped() {
        assert_eq!(dot_escape("a\"b\\c"), "a\\\"b\\\\c");
    }
}
