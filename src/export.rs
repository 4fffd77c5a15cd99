//! Stage 8: exports. The fact graph as GraphViz DOT (built with petgraph), SVG
//! or PNG through the `dot` program, and the store as RDF files.
use std::collections::HashMap;
use std::io::Write;
use std::process::{Command, Stdio};

use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{GraphName, Term};
use petgraph::dot::{Config, Dot};
use petgraph::graph::DiGraph;

use crate::error::{Error, Result};
use crate::rdf::{self, ARTICLE, ONTOLOGY, PREFIXES};
use crate::store::Store;

/// A node of the picture: an entity or a literal value.
#[derive(Debug, Clone)]
pub struct GraphNode {
    pub label: String,
    /// Local name of the class (Person…), or "Literal".
    pub kind: String,
}

/// The facts of the store (or of one article) as a directed graph whose edges
/// are relation names.
pub fn fact_graph(store: &Store, article: Option<&str>) -> Result<DiGraph<GraphNode, String>> {
    let graph_filter = match article {
        Some(id) => format!("VALUES ?g {{ <{ARTICLE}{id}> }}"),
        None => String::new(),
    };
    let q = format!(
        "SELECT DISTINCT ?s ?p ?o ?sl ?st ?ol ?ot WHERE {{
            {graph_filter}
            ?g a mo:Article .
            GRAPH ?g {{ ?s ?p ?o }}
            FILTER(STRSTARTS(STR(?p), \"{ONTOLOGY}\"))
            OPTIONAL {{ ?s rdfs:label ?sl }} OPTIONAL {{ ?s a ?st }}
            OPTIONAL {{ ?o rdfs:label ?ol }} OPTIONAL {{ ?o a ?ot }}
        }}"
    );
    let mut graph = DiGraph::new();
    let mut index = HashMap::new();
    let mut node = |graph: &mut DiGraph<GraphNode, String>,
                    term: &Term,
                    label: Option<&Term>,
                    class: Option<&Term>| {
        let key = term.to_string();
        *index.entry(key).or_insert_with(|| {
            let (label, kind) = match term {
                Term::Literal(l) => (l.value().to_string(), "Literal".to_string()),
                _ => (
                    label.map_or_else(|| local_name(term), literal_text),
                    class.map_or_else(|| "Entity".to_string(), local_name),
                ),
            };
            graph.add_node(GraphNode { label, kind })
        })
    };
    for row in store.select(&q)? {
        let [Some(s), Some(p), Some(o), sl, st, ol, ot] = <[Option<Term>; 7]>::try_from(row)
            .map_err(|_| Error::QueryForm {
                expected: "two-column SELECT",
            })?
        else {
            continue;
        };
        // The reifiers live in the same graph; only draw entity-to-entity/value facts.
        if local_name(&p) == "Fact"
            || matches!(s, Term::NamedNode(ref n) if n.as_str().starts_with(ARTICLE))
        {
            continue;
        }
        let a = node(&mut graph, &s, sl.as_ref(), st.as_ref());
        let b = node(&mut graph, &o, ol.as_ref(), ot.as_ref());
        if !graph
            .edges_connecting(a, b)
            .any(|e| *e.weight() == local_name(&p))
        {
            graph.add_edge(a, b, local_name(&p));
        }
    }
    Ok(graph)
}

fn literal_text(t: &Term) -> String {
    match t {
        Term::Literal(l) => l.value().to_string(),
        other => local_name(other),
    }
}

/// The part of an IRI after the last `/` or `#`, percent-decoded.
pub fn local_name(t: &Term) -> String {
    let s = match t {
        Term::NamedNode(n) => n.as_str(),
        Term::Literal(l) => return l.value().to_string(),
        other => return other.to_string(),
    };
    let tail = s.rsplit(['/', '#']).next().unwrap_or(s);
    percent_decode(tail)
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// DOT attribute strings must escape `"` and `\` (petgraph does not escape what
/// attribute getters return).
fn escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

fn style(kind: &str) -> &'static str {
    match kind {
        "Person" => "shape=ellipse, style=filled, fillcolor=\"#cfe2ff\"",
        "Organization" => "shape=box, style=\"filled,rounded\", fillcolor=\"#d1e7dd\"",
        "Product" => "shape=hexagon, style=filled, fillcolor=\"#fff3cd\"",
        "Place" => "shape=house, style=filled, fillcolor=\"#e2d9f3\"",
        "Event" => "shape=octagon, style=filled, fillcolor=\"#f8d7da\"",
        "Concept" => "shape=note, style=filled, fillcolor=\"#f0f0f0\"",
        "Award" => "shape=star, style=filled, fillcolor=\"#ffe5b4\"",
        "Literal" => "shape=plaintext",
        _ => "shape=ellipse",
    }
}

/// The fact graph in GraphViz DOT, nodes styled by type, edges labelled with
/// the relation. A CJK-capable font is requested for Japanese labels.
pub fn to_dot(graph: &DiGraph<GraphNode, String>) -> String {
    let edge = |_, e: petgraph::graph::EdgeReference<'_, String>| {
        format!("label=\"{}\"", escape(e.weight()))
    };
    let node = |_, (_, n): (petgraph::graph::NodeIndex, &GraphNode)| {
        format!("label=\"{}\", {}", escape(&n.label), style(&n.kind))
    };
    let body = Dot::with_attr_getters(
        graph,
        &[
            Config::EdgeNoLabel,
            Config::NodeNoLabel,
            Config::GraphContentOnly,
        ],
        &edge,
        &node,
    );
    format!(
        "digraph musubi {{\n    graph [rankdir=LR, fontname=\"IPAGothic\"];\n    \
         node [fontname=\"IPAGothic\"];\n    edge [fontname=\"IPAGothic\", fontsize=10];\n{body}}}\n"
    )
}

/// Renders DOT to SVG or PNG with GraphViz's `dot`.
pub fn render(dot: &str, format: &str) -> Result<Vec<u8>> {
    let mut child = Command::new("dot")
        .arg(format!("-T{format}"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|source| Error::Graphviz {
            format: format.to_string(),
            source,
        })?;
    child
        .stdin
        .take()
        .expect("piped")
        .write_all(dot.as_bytes())
        .map_err(|source| Error::Write {
            what: "to GraphViz dot",
            source,
        })?;
    let out = child.wait_with_output().map_err(|source| Error::Graphviz {
        format: format.to_string(),
        source,
    })?;
    if !out.status.success() {
        return Err(Error::Graphviz {
            format: format.to_string(),
            source: std::io::Error::other(format!(
                "dot failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            )),
        });
    }
    Ok(out.stdout)
}

/// Writes the store as RDF. Dataset formats (TriG, N-Quads) keep the graphs;
/// triple formats (Turtle, N-Triples) write the union of all graphs. With an
/// article id, only that article's graph.
pub fn write_rdf(
    store: &Store,
    format: RdfFormat,
    article: Option<&str>,
    out: &mut dyn Write,
) -> Result<()> {
    let mut serializer = RdfSerializer::from_format(format);
    for (p, iri) in PREFIXES {
        serializer = serializer
            .with_prefix(p, iri)
            .expect("the built-in prefixes are valid IRIs");
    }
    let mut writer = serializer.for_writer(out);
    let only = article.map(|id| GraphName::NamedNode(rdf::article_iri(id)));
    let mut seen = std::collections::HashSet::new();
    let vocabulary = GraphName::NamedNode(oxigraph::model::NamedNode::new_unchecked(
        crate::store::ONTOLOGY_GRAPH,
    ));
    for q in store.oxigraph().iter() {
        let mut q = q.map_err(|e| store.error(e))?;
        if only.as_ref().is_some_and(|g| *g != q.graph_name) || q.graph_name == vocabulary {
            // The vocabulary is ontology/musubi.ttl; exports carry the data.
            continue;
        }
        if !format.supports_datasets() {
            q.graph_name = GraphName::DefaultGraph;
            if !seen.insert(q.clone()) {
                continue;
            }
        }
        writer.serialize_quad(&q).map_err(|source| Error::Write {
            what: "RDF",
            source,
        })?;
    }
    writer.finish().map_err(|source| Error::Write {
        what: "RDF",
        source,
    })?;
    Ok(())
}

impl std::fmt::Display for GraphNode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.label)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_names_are_decoded() {
        let t = Term::NamedNode(oxigraph::model::NamedNode::new_unchecked(
            "https://w3id.org/musubi/entity/organization/Lumina%20AI",
        ));
        assert_eq!(local_name(&t), "Lumina AI");
    }

    #[test]
    fn dot_escapes_quotes() {
        let mut g = DiGraph::new();
        let a = g.add_node(GraphNode {
            label: "say \"hi\"".into(),
            kind: "Person".into(),
        });
        let b = g.add_node(GraphNode {
            label: "x\\y".into(),
            kind: "Organization".into(),
        });
        g.add_edge(a, b, "heads".into());
        let dot = to_dot(&g);
        assert!(dot.contains(r#"label="say \"hi\"""#));
        assert!(dot.contains(r#"label="x\\y""#));
        assert!(dot.contains(r#"label="heads""#));
    }
}
