//! Stage 6: RDF. Turns an [`Extraction`] into quads, given the IRI each of its
//! entities got in the store (new or reused). Pure: no store access here.
//!
//! Layout (also in README and ontology/musubi.ttl):
//! - default graph: article metadata (dcterms, prov, `mo:text`), entity types, labels,
//!   `skos:altLabel` spellings, `mo:key` match keys, `mo:mentionedIn`;
//! - graph `<article/ID>`: the asserted facts `s p o`, each with an RDF 1.2
//!   reifier `<article/ID/fact/N> rdf:reifies <<( s p o )>>` carrying provenance
//!   and qualifiers; facts the text negates or only plans are reified, not asserted;
//!   and one record `<article/ID/entity/N>` per entity of the article, with the
//!   names this article gives it (`mo:fullName`, `mo:name`, `mo:entityType`) and
//!   the node it was matched to (`mo:refersTo`);
//! - graph `<article/ID/open>`: open triples whose predicate no rule maps.
//!
//! The default graph's entity nodes are the union of what their articles say:
//! the records keep each article's share, so an entity can be recomputed when an
//! article is removed, and the matching of a whole store replayed (reconcile).
use oxigraph::model::vocab::{rdf, rdfs, xsd};
use oxigraph::model::{GraphName, Literal, NamedNode, NamedOrBlankNode, Quad, Term, Triple};

use crate::document::{Entity, EntityType, Extraction, Fact, Object, ValueKind};
use crate::names::name_key;

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
pub fn dcterms(local: &str) -> NamedNode {
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
    /// xsd:dateTime of the ingest (`prov:generatedAtTime`); none for output that
    /// must be a pure function of the text (`musubi extract`).
    pub time: Option<String>,
}

/// The node an article's entity was matched to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    pub iri: NamedNode,
    /// True when the node was minted for this entity: it then gets its type and
    /// label here; a reused node only gains spellings, keys and the mention.
    pub new: bool,
    /// The node's `rdfs:label` (the entity's own label when `new`). Spellings equal
    /// to it are not repeated as `skos:altLabel`.
    pub label: String,
    /// The label the node had before, when this entity's name is fuller and
    /// becomes the label (see [`relabel_removals`]).
    pub relabelled_from: Option<String>,
}

/// The default-graph quads that placements which relabel a node take away: the
/// old `rdfs:label` (written again as a `skos:altLabel`), and the new label as a
/// `skos:altLabel`. A writer removes them from the store and from what it queued
/// before, so that a node always has one label, its fullest name.
pub fn relabel_removals<'a>(placements: impl IntoIterator<Item = &'a Placement>) -> Vec<Quad> {
    let mut quads = Vec::new();
    for p in placements {
        if let Some(old) = &p.relabelled_from {
            quads.push(node_name(p, rdfs::LABEL.into(), old));
            quads.push(node_name(p, skos("altLabel"), &p.label));
        }
    }
    quads
}

/// A default-graph quad naming a placed node.
fn node_name(p: &Placement, property: NamedNode, name: &str) -> Quad {
    Quad::new(
        p.iri.clone(),
        property,
        plain(name),
        GraphName::DefaultGraph,
    )
}

/// Match keys of an entity: one per spelling, sorted.
pub fn entity_keys(e: &Entity) -> Vec<String> {
    let mut keys: Vec<String> = e.aliases.iter().map(|a| name_key(a)).collect();
    keys.sort();
    keys.dedup();
    keys
}

/// The IRI of an article's record of its `n`-th entity.
pub fn entity_record_iri(article_id: &str, n: usize) -> NamedNode {
    iri(format!("{ARTICLE}{article_id}/entity/{n}"))
}

/// Quads for one article. `placements[i]` is where `extraction.entities[i]` went.
pub fn article_quads(x: &Extraction, placements: &[Placement], info: &IngestInfo) -> Vec<Quad> {
    let entity_iris: Vec<NamedNode> = placements.iter().map(|p| p.iri.clone()).collect();
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
    if let Some(time) = &info.time {
        default(
            &art,
            prov("generatedAtTime"),
            typed(time.clone(), xsd::DATE_TIME).into(),
        );
    }
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
        default(&art, dcterms("date"), date_literal(d).into());
    }
    if let Some(u) = &a.url {
        default(&art, dcterms("identifier"), plain(u).into());
    }
    let has_open = x.facts.iter().any(|f| f.open);
    if has_open {
        default(&art, mo("openRelations"), open_graph.clone().into());
    }
    quads.extend(entity_quads(&art, &x.entities, placements));
    for (n, (e, placed)) in x.entities.iter().zip(placements).enumerate() {
        let record = entity_record_iri(&a.id, n);
        let mut put = |p: NamedNode, o: Term| {
            quads.push(Quad::new(record.clone(), p, o, graph.clone()));
        };
        put(mo("refersTo"), placed.iri.clone().into());
        put(mo("entityType"), class_iri(e.etype).into());
        put(mo("fullName"), plain(&e.label).into());
        for alias in e.aliases.iter().filter(|a| **a != e.label) {
            put(mo("name"), plain(alias).into());
        }
        if !e.joinable {
            put(mo("bareName"), Literal::from(true).into());
        }
    }
    for (n, f) in x.facts.iter().enumerate() {
        let triple = fact_triple(f, &entity_iris);
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
                crate::document::FORMER => typed(q.value.clone(), xsd::BOOLEAN).into(),
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

/// What an article adds to the nodes of its entities, in the default graph:
/// type and label of the nodes it mints, the label of those it gives a fuller
/// name (see [`relabel_removals`] for what that takes away), and for every node its spellings
/// (`skos:altLabel`, but the node's label), match keys and `mo:mentionedIn`.
/// The union over a node's articles is the node.
pub fn entity_quads(
    article: &NamedNode,
    entities: &[Entity],
    placements: &[Placement],
) -> Vec<Quad> {
    let mut quads = Vec::new();
    let mut default = |s: &NamedNode, p: NamedNode, o: Term| {
        quads.push(Quad::new(s.clone(), p, o, GraphName::DefaultGraph));
    };
    for (e, placed) in entities.iter().zip(placements) {
        let node = &placed.iri;
        if placed.new {
            default(node, rdf::TYPE.into(), class_iri(e.etype).into());
        }
        if placed.new || placed.relabelled_from.is_some() {
            default(node, rdfs::LABEL.into(), plain(&e.label).into());
        }
        if let Some(old) = &placed.relabelled_from {
            default(node, skos("altLabel"), plain(old).into());
        }
        for alias in &e.aliases {
            if *alias != placed.label {
                default(node, skos("altLabel"), plain(alias).into());
            }
        }
        for k in entity_keys(e) {
            default(node, mo("key"), plain(&k).into());
        }
        default(node, mo("mentionedIn"), article.clone().into());
    }
    quads
}

/// The default-graph quads that placements which relabel a node add: the new
/// `rdfs:label` and the old label as a `skos:altLabel` (also among the
/// article's [`entity_quads`]; a writer may apply them ahead of the article).
pub fn relabel_additions<'a>(placements: impl IntoIterator<Item = &'a Placement>) -> Vec<Quad> {
    let mut quads = Vec::new();
    for p in placements {
        if let Some(old) = &p.relabelled_from {
            quads.push(node_name(p, rdfs::LABEL.into(), &p.label));
            quads.push(node_name(p, skos("altLabel"), old));
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
/// dates as [`date_literal`] types them (a date without its year, `--04-01`,
/// stays a plain string).
pub fn literal_value(value: &str, kind: ValueKind) -> Literal {
    match kind {
        ValueKind::Year => typed(value.to_string(), xsd::G_YEAR),
        ValueKind::Money | ValueKind::Percent | ValueKind::Quantity => {
            typed(value.to_string(), xsd::DECIMAL)
        }
        ValueKind::Date => date_literal(value),
    }
}

/// How much of a date a text gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DateForm {
    YearMonth,
    Day,
    DayAndTime,
}

/// A date as a typed literal, the one place dates are typed (publication
/// dates and dates found in the text alike): `xsd:dateTime` when it has a time
/// of day, `xsd:date` when it is a day, `xsd:gYearMonth` for a year and a
/// month, and a plain literal when it does not parse, so nothing the source
/// said is lost. Reads the forms news headers use: `2012-06-13T19:25:00+0900`
/// (livedoor), `2012-06-13 19:25`, `2012/6/13`, `2012年6月13日`, with an
/// optional `Z` or `±HH[:]MM` zone.
pub fn date_literal(text: &str) -> Literal {
    match parse_date(text.trim()) {
        Some((lexical, DateForm::DayAndTime)) => typed(lexical, xsd::DATE_TIME),
        Some((lexical, DateForm::Day)) => typed(lexical, xsd::DATE),
        Some((lexical, DateForm::YearMonth)) => typed(lexical, xsd::G_YEAR_MONTH),
        None => plain(text),
    }
}

/// The canonical xsd lexical form of a date, and how much of it there is.
fn parse_date(s: &str) -> Option<(String, DateForm)> {
    let mut rest = s;
    let year = number(&mut rest, 4)?;
    let separator = rest.chars().next().filter(|c| "-/年".contains(*c))?;
    let kanji = separator == '年';
    if year < 1000 || !eat(&mut rest, &[separator]) {
        return None;
    }
    let month = number(&mut rest, 2)?;
    let year_month = || Some((format!("{year:04}-{month:02}"), DateForm::YearMonth));
    if !(1..=12).contains(&month) {
        return None;
    }
    if !kanji && rest.is_empty() {
        return year_month();
    }
    if !eat(&mut rest, &[if kanji { '月' } else { separator }]) {
        return None;
    }
    if kanji && rest.is_empty() {
        return year_month();
    }
    let day = number(&mut rest, 2)?;
    if kanji && !eat(&mut rest, &['日']) {
        return None;
    }
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    if !(1..=12).contains(&month) || day == 0 || day > days[month as usize - 1] {
        return None;
    }
    let date = format!("{year:04}-{month:02}-{day:02}");
    if rest.is_empty() {
        return Some((date, DateForm::Day));
    }
    if !eat(&mut rest, &['T', ' ']) {
        return None;
    }
    let hour = number(&mut rest, 2)?;
    if !eat(&mut rest, &[':']) {
        return None;
    }
    let minute = number(&mut rest, 2)?;
    let mut second = 0;
    let mut fraction = String::new();
    if eat(&mut rest, &[':']) {
        second = number(&mut rest, 2)?;
        if rest.starts_with('.') {
            let digits = rest[1..].chars().take_while(char::is_ascii_digit).count();
            if digits == 0 {
                return None;
            }
            fraction = rest[..=digits].to_string();
            rest = &rest[digits + 1..];
        }
    }
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let zone = if rest.is_empty() {
        String::new()
    } else if rest == "Z" {
        "Z".to_string()
    } else {
        let sign = rest.chars().next().filter(|c| *c == '+' || *c == '-')?;
        let digits: String = rest[1..].chars().filter(|c| *c != ':').collect();
        let ok = digits.len() == 4
            && digits.chars().all(|c| c.is_ascii_digit())
            && rest[1..].chars().filter(|c| *c == ':').count() <= 1;
        if !ok {
            return None;
        }
        let (h, m): (u32, u32) = (digits[..2].parse().ok()?, digits[2..].parse().ok()?);
        if h > 14 || m > 59 {
            return None;
        }
        format!("{sign}{h:02}:{m:02}")
    };
    Some((
        format!("{date}T{hour:02}:{minute:02}:{second:02}{fraction}{zone}"),
        DateForm::DayAndTime,
    ))
}

/// Reads up to `max_digits` digits off the front of `rest`.
fn number(rest: &mut &str, max_digits: usize) -> Option<u32> {
    let digits = rest
        .chars()
        .take(max_digits)
        .take_while(char::is_ascii_digit)
        .count();
    if digits == 0 {
        return None;
    }
    let n = rest[..digits].parse().ok()?;
    *rest = &rest[digits..];
    Some(n)
}

/// Takes one of `options` off the front of `rest`, if it starts with one.
fn eat(rest: &mut &str, options: &[char]) -> bool {
    match rest.chars().next() {
        Some(c) if options.contains(&c) => {
            *rest = &rest[c.len_utf8()..];
            true
        }
        _ => false,
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
    fn dates_are_typed_when_they_parse() {
        let check = |text: &str, value: &str, datatype: &str| {
            let l = date_literal(text);
            assert_eq!(
                (l.value(), l.datatype().as_str()),
                (value, datatype),
                "{text}"
            );
        };
        let dt = "http://www.w3.org/2001/XMLSchema#dateTime";
        let d = "http://www.w3.org/2001/XMLSchema#date";
        let s = "http://www.w3.org/2001/XMLSchema#string";
        check("2012-06-13T19:25:00+0900", "2012-06-13T19:25:00+09:00", dt);
        check("2012-06-13 19:25", "2012-06-13T19:25:00", dt);
        check("2012-06-13T19:25:00.5Z", "2012-06-13T19:25:00.5Z", dt);
        check("2012/6/3", "2012-06-03", d);
        check("2012年6月13日", "2012-06-13", d);
        check("2024-02-29", "2024-02-29", d);
        let ym = "http://www.w3.org/2001/XMLSchema#gYearMonth";
        check("2026-08", "2026-08", ym);
        check("2026年8月", "2026-08", ym);
        for bad in [
            "--04-01",
            "2026-13",
            "2023-02-29",
            "2012-13-01",
            "昨日",
            "2012-06-13T25:00",
            "2012-06-13T19:25+9",
        ] {
            check(bad, bad, s);
        }
    }

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
