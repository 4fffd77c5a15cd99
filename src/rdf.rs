//! Stage 6: RDF. Turns an [`Extraction`] into quads, given the IRI each of its
//! entities got in the store (new or reused). Pure: no store access here.
//!
//! Layout (also in README and ontology/musubi.ttl):
//! - default graph: article metadata (dcterms, prov, `mo:text`), entity types, labels,
//!   `skos:altLabel` spellings, `mo:key` match keys, `mo:mentionedIn`;
//! - graph `<article/ID>`: the asserted facts `s p o`, each with an RDF 1.2
//!   reifier `<article/ID/fact/N> rdf:reifies <<( s p o )>>` carrying provenance
//!   and qualifiers; facts the text negates or only plans are reified, not asserted;
//! - graph `<article/ID/open>`: open triples whose predicate no rule maps.
use oxigraph::model::vocab::{rdf, rdfs, xsd};
use oxigraph::model::{GraphName, Literal, NamedNode, NamedOrBlankNode, Quad, Term, Triple};

use crate::document::{EntityType, Extraction, Fact, Object, ValueKind};

pub const BASE: &str = "https://w3id.org/musubi/";
pub const ONTOLOGY: &str = "https://w3id.org/musubi/ontology#";
pub const ENTITY: &str = "https://w3id.org/musubi/entity/";
pub const ARTICLE: &str = "https://w3id.org/musubi/article/";
pub const OPEN: &str = "https://w3id.org/musubi/open#";
pub const SKOS: &str = "http://www.w3.org/2004/02/skos/core#";
pub const DCTERMS: &str = "http://purl.org/dc/terms/";
pub const PROV: &str = "http://www.w3.org/ns/prov#";
pub const OWL: &str = "http://www.w3.org/2002/07/owl#";

/// Prefixes used in Turtle output, the table view and the README's queries.
pub const PREFIXES: [(&str, &str); 11] = [
    ("mo", ONTOLOGY),
    ("ent", ENTITY),
    ("art", ARTICLE),
    ("open", OPEN),
    ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
    ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
    ("xsd", "http://www.w3.org/2001/XMLSchema#"),
    ("skos", SKOS),
    ("dcterms", DCTERMS),
    ("prov", PROV),
    ("owl", OWL),
];

/// `PREFIX` lines for SPARQL text.
pub fn sparql_prefixes() -> String {
    PREFIXES
        .iter()
        .map(|(p, iri)| format!("PREFIX {p}: <{iri}>\n"))
        .collect()
}

fn iri(s: String) -> NamedNode {
    NamedNode::new_unchecked(s)
}
pub fn mo(local: &str) -> NamedNode {
    iri(format!("{ONTOLOGY}{local}"))
}
pub fn skos(local: &str) -> NamedNode {
    iri(format!("{SKOS}{local}"))
}
fn dcterms(local: &str) -> NamedNode {
    iri(format!("{DCTERMS}{local}"))
}
fn prov(local: &str) -> NamedNode {
    iri(format!("{PROV}{local}"))
}

pub fn article_iri(id: &str) -> NamedNode {
    iri(format!("{ARTICLE}{id}"))
}
pub fn open_graph_iri(id: &str) -> NamedNode {
    iri(format!("{ARTICLE}{id}/open"))
}
pub fn class_iri(t: EntityType) -> NamedNode {
    mo(t.name())
}

/// A readable entity IRI: `entity/person/ジョナサン・ベルクマン`. Characters IRIs do not
/// allow (space, quotes, brackets…) are percent-encoded; `n > 1` adds `-n`
/// for a second node with the same name and type.
pub fn entity_iri(t: EntityType, label: &str, n: usize) -> NamedNode {
    let mut s = format!("{ENTITY}{}/", t.name().to_lowercase());
    for c in label.chars() {
        if c.is_alphanumeric()
            || (!c.is_ascii() && !c.is_whitespace() && !c.is_control())
            || "-._~".contains(c)
        {
            s.push(c);
        } else {
            let mut buf = [0; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                s.push_str(&format!("%{b:02X}"));
            }
        }
    }
    if n > 1 {
        s.push_str(&format!("-{n}"));
    }
    iri(s)
}

fn plain(s: &str) -> Literal {
    Literal::new_simple_literal(s)
}
fn typed(s: impl Into<String>, dt: oxigraph::model::NamedNodeRef<'_>) -> Literal {
    Literal::new_typed_literal(s, dt)
}

/// Data about the ingest itself, known only to the caller.
pub struct IngestInfo {
    /// xsd:dateTime of the ingest.
    pub time: String,
}

/// Quads for one article. `entity_iris[i]` is the IRI of `extraction.entities[i]`;
/// `new_entity[i]` says whether that IRI was just minted (then it gets its type
/// and label; a reused one only gains spellings).
pub fn article_quads(
    x: &Extraction,
    entity_iris: &[NamedNode],
    new_entity: &[bool],
    keys: &[Vec<String>],
    info: &IngestInfo,
) -> Vec<Quad> {
    let mut quads = Vec::new();
    let a = &x.article;
    let art = article_iri(&a.id);
    let open_graph = open_graph_iri(&a.id);
    let graph = GraphName::NamedNode(art.clone());
    let mut default = |s: &NamedNode, p: NamedNode, o: Term| {
        quads.push(Quad::new(s.clone(), p, o, GraphName::DefaultGraph));
    };
    default(&art, rdf::TYPE.into(), mo("Article").into());
    default(&art, rdf::TYPE.into(), prov("Entity").into());
    default(&art, mo("sha256"), plain(&a.id).into());
    // The text fact offsets index, so a reader (the article page) can show them in place.
    default(&art, mo("text"), plain(&a.text).into());
    default(
        &art,
        prov("generatedAtTime"),
        typed(info.time.clone(), xsd::DATE_TIME).into(),
    );
    if let Some(t) = &a.title {
        default(&art, dcterms("title"), plain(t).into());
    }
    if let Some(p) = &a.source {
        default(
            &art,
            dcterms("source"),
            plain(&p.display().to_string()).into(),
        );
    }
    if let Some(d) = &a.date {
        default(&art, dcterms("date"), plain(d).into());
    }
    if let Some(u) = &a.url {
        default(&art, dcterms("identifier"), plain(u).into());
    }
    let has_open = x.facts.iter().any(|f| f.open);
    if has_open {
        default(&art, mo("openRelations"), open_graph.clone().into());
    }
    for (i, e) in x.entities.iter().enumerate() {
        let node = &entity_iris[i];
        if new_entity[i] {
            default(node, rdf::TYPE.into(), class_iri(e.etype).into());
            default(node, rdfs::LABEL.into(), plain(&e.label).into());
        }
        for alias in &e.aliases {
            if !new_entity[i] || *alias != e.label {
                default(node, skos("altLabel"), plain(alias).into());
            }
        }
        for k in &keys[i] {
            default(node, mo("key"), plain(k).into());
        }
        default(node, mo("mentionedIn"), art.clone().into());
    }
    for (n, f) in x.facts.iter().enumerate() {
        let triple = fact_triple(f, entity_iris);
        let g = if f.open {
            GraphName::NamedNode(open_graph.clone())
        } else {
            graph.clone()
        };
        if f.asserted {
            quads.push(triple.clone().in_graph(g.clone()));
        }
        let r = iri(format!("{ARTICLE}{}/fact/{n}", a.id));
        let sentence = &x.sentences[f.sentence].text;
        let mut put = |p: NamedNode, o: Term| quads.push(Quad::new(r.clone(), p, o, g.clone()));
        put(rdf::REIFIES.into(), Term::Triple(Box::new(triple)));
        put(rdf::TYPE.into(), mo("Fact").into());
        put(prov("wasDerivedFrom"), art.clone().into());
        put(mo("sentence"), plain(sentence).into());
        put(mo("start"), typed(f.start.to_string(), xsd::INTEGER).into());
        put(mo("end"), typed(f.end.to_string(), xsd::INTEGER).into());
        put(mo("rule"), plain(&f.rule).into());
        put(
            mo("confidence"),
            typed(format!("{:.2}", f.confidence), xsd::DECIMAL).into(),
        );
        put(
            mo("asserted"),
            typed(f.asserted.to_string(), xsd::BOOLEAN).into(),
        );
        for q in &f.qualifiers {
            let value: Term = match q.property.as_str() {
                "amount" | "share" | "count" => typed(q.value.clone(), xsd::DECIMAL).into(),
                _ => plain(&q.value).into(),
            };
            put(mo(&q.property), value);
            if let Some(unit) = &q.unit {
                let unit_property = if q.property == "amount" {
                    "currency"
                } else {
                    "unit"
                };
                put(mo(unit_property), plain(unit).into());
            }
        }
    }
    quads
}

/// The RDF triple a fact asserts.
pub fn fact_triple(f: &Fact, entity_iris: &[NamedNode]) -> Triple {
    let predicate = if f.open {
        iri(format!("{OPEN}{}", encode_local(&f.relation)))
    } else {
        mo(&f.relation)
    };
    let object: Term = match &f.object {
        Object::Entity(e) => entity_iris[*e].clone().into(),
        Object::Literal { value, kind } => literal_value(value, *kind).into(),
    };
    Triple::new(
        NamedOrBlankNode::from(entity_iris[f.subject].clone()),
        predicate,
        object,
    )
}

/// A value as a typed literal: years as xsd:gYear, numbers as xsd:decimal,
/// whole dates as xsd:date and a year with its month as xsd:gYearMonth (a birth
/// date, `born_on`); a date without its year stays a plain string.
pub fn literal_value(value: &str, kind: ValueKind) -> Literal {
    match kind {
        ValueKind::Year => typed(value.to_string(), xsd::G_YEAR),
        ValueKind::Money | ValueKind::Percent | ValueKind::Quantity => {
            typed(value.to_string(), xsd::DECIMAL)
        }
        ValueKind::Date if value.len() == 10 && !value.starts_with('-') => {
            typed(value.to_string(), xsd::DATE)
        }
        ValueKind::Date if value.len() == 7 && !value.starts_with('-') => {
            typed(value.to_string(), xsd::G_YEAR_MONTH)
        }
        ValueKind::Date => plain(value),
    }
}

/// Lemmas become IRI local names; keep letters, percent-encode the rest.
fn encode_local(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_alphanumeric() || c == '_' || c == '-' {
            out.push(c);
        } else {
            let mut buf = [0; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entity_iris_are_readable_and_valid() {
        let n = entity_iri(EntityType::Person, "ヤン・マカン", 1);
        assert_eq!(
            n.as_str(),
            "https://w3id.org/musubi/entity/person/ヤン・マカン"
        );
        let n = entity_iri(EntityType::Organization, "Lumina AI", 2);
        assert_eq!(
            n.as_str(),
            "https://w3id.org/musubi/entity/organization/Lumina%20AI-2"
        );
        assert!(NamedNode::new(n.as_str()).is_ok());
    }
}
