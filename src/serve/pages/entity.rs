//! The entity page: an entity's types, spellings and facts in and out with
//! their sentences, and the neighbourhood picture drawn around it.
use std::collections::BTreeSet;
use std::fmt::Write;
use std::sync::Arc;

use oxigraph::model::{
    GraphName, GraphNameRef, NamedNode, NamedNodeRef, NamedOrBlankNode, Quad, Term, Triple,
};

use crate::rdf::{ARTICLE, ENTITY, ONTOLOGY, OPEN};

use crate::serve::catalog::{ArticleInfo, Catalog};
use crate::serve::graph::{fit_svg, Edge, Filter, Picture};
use crate::serve::html::{
    article_href, entity_href, esc, legend, page, Lang, PageCtx, TYPE_COLOURS,
};
use crate::serve::http::{encode_param, Response};
use crate::serve::sparql::QueryError;
use crate::serve::App;

use super::{
    article_item, entity_iri, query_failed, type_badge, OWL_SAME_AS, PROV_DERIVED, RDF_REIFIES,
    RDF_TYPE, SKOS,
};

/// One reified statement about an entity or in an article.
#[derive(Debug, Clone, Default)]
pub(super) struct FactRow {
    pub(super) reifier: String,
    pub(super) graph: String,
    pub(super) subject: Option<Term>,
    pub(super) relation: String,
    pub(super) object: Option<Term>,
    pub(super) open: bool,
    pub(super) asserted: bool,
    pub(super) sentence: String,
    pub(super) start: Option<usize>,
    pub(super) end: Option<usize>,
    pub(super) confidence: Option<String>,
    pub(super) rule: Option<String>,
    /// (property local name, value) for amount, currency, share, date, role…
    pub(super) qualifiers: Vec<(String, String)>,
}

impl FactRow {
    /// The article the fact came from (its graph, without `/open`).
    pub(super) fn article_id(&self) -> Option<&str> {
        let id = self.graph.strip_prefix(ARTICLE)?;
        Some(id.strip_suffix("/open").unwrap_or(id))
    }
}

/// Properties of a reifier that are provenance, not qualifiers.
pub(super) const PROVENANCE: [&str; 8] = [
    "sentence",
    "start",
    "end",
    "rule",
    "confidence",
    "asserted",
    "wasDerivedFrom",
    "type",
];

/// Reads each reifier (in its graph) with all its properties.
pub(super) fn read_facts(
    app: &App,
    reifiers: &[(String, String)],
) -> Result<Vec<FactRow>, QueryError> {
    let mut facts = Vec::with_capacity(reifiers.len());
    for (f, g) in reifiers {
        let (f_node, g_node) = (
            NamedNode::new_unchecked(f.as_str()),
            NamedNode::new_unchecked(g.as_str()),
        );
        let mut fact = FactRow {
            reifier: f.clone(),
            graph: g.clone(),
            asserted: true,
            ..FactRow::default()
        };
        for q in app.quads(
            Some(f_node.as_ref().into()),
            None,
            None,
            Some(g_node.as_ref().into()),
        )? {
            fact.set(q.predicate.as_str(), &q.object);
        }
        if fact.subject.is_some() {
            fact.qualifiers.sort();
            facts.push(fact);
        }
    }
    Ok(facts)
}

impl FactRow {
    /// Takes in one property of the reifier.
    pub(super) fn set(&mut self, property: &str, v: &Term) {
        let value = || match v {
            Term::Literal(l) => l.value().to_string(),
            other => other.to_string(),
        };
        match property {
            RDF_REIFIES => {
                if let Term::Triple(t) = v {
                    self.subject = Some(t.subject.clone().into());
                    let p = t.predicate.as_str();
                    self.open = p.starts_with(OPEN);
                    self.relation = p.to_string();
                    self.object = Some(t.object.clone());
                }
            }
            RDF_TYPE | PROV_DERIVED => {}
            p => {
                let local = p.strip_prefix(ONTOLOGY).unwrap_or(p);
                match local {
                    "sentence" => self.sentence = value(),
                    "start" => self.start = value().parse().ok(),
                    "end" => self.end = value().parse().ok(),
                    "confidence" => self.confidence = Some(value()),
                    "rule" => self.rule = Some(value()),
                    "asserted" => self.asserted = value() != "false",
                    _ if !PROVENANCE.contains(&local) => {
                        self.qualifiers.push((local.to_string(), value()))
                    }
                    _ => {}
                }
            }
        }
    }
}

/// A term as a page shows it: an entity links to its page, a value is its text.
pub(super) fn term_html(t: &Term, catalog: &Catalog, lang: Lang) -> String {
    match t {
        Term::NamedNode(n) => match catalog.entity(n.as_str()) {
            Some(e) => format!(
                "<a class=\"ent t-{}\" href=\"{}\" title=\"{}\">{}</a>",
                esc(&e.kind),
                esc(&entity_href(&e.iri)),
                esc(&catalog.class_label(&e.kind, lang)),
                esc(&e.label)
            ),
            None => format!(
                "<a href=\"{}\">{}</a>",
                esc(&entity_href(n.as_str())),
                esc(&crate::export::local_name(t))
            ),
        },
        Term::Literal(l) => format!("<span class=\"value\">{}</span>", esc(l.value())),
        other => esc(&other.to_string()),
    }
}

pub(super) fn relation_label(catalog: &Catalog, relation: &str, lang: Lang) -> String {
    if relation.starts_with(OPEN) {
        crate::export::local_name(&Term::NamedNode(NamedNode::new_unchecked(relation)))
    } else {
        catalog.label(relation, lang)
    }
}

/// Qualifiers as one line: `amount 120000000 JPY · date 2024-04`.
pub(super) fn qualifiers_html(f: &FactRow, catalog: &Catalog, lang: Lang) -> String {
    f.qualifiers
        .iter()
        .map(|(p, v)| {
            format!(
                "{} {}",
                esc(&catalog.label(&format!("{ONTOLOGY}{p}"), lang)),
                esc(v)
            )
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

pub(super) fn entity(
    app: &App,
    ctx: &PageCtx,
    catalog: &Catalog,
    iri: &str,
    params: &[(String, String)],
) -> Result<Response, Response> {
    let lang = ctx.lang;
    let Some(info) = catalog.entity(iri) else {
        return Err(Response::error(
            404,
            &format!("no entity <{iri}> in the store"),
        ));
    };
    let node =
        NamedNode::new(iri).map_err(|_| Response::error(400, "the entity is not a valid IRI"))?;
    // Its links in the default graph: articles, close matches, sameAs.
    let default = Some(GraphNameRef::DefaultGraph);
    let mut articles: BTreeSet<String> = BTreeSet::new();
    let mut related: BTreeSet<(String, String)> = BTreeSet::new();
    let own = app
        .quads(Some(node.as_ref().into()), None, None, default)
        .map_err(query_failed)?;
    let pointing = app
        .quads(None, None, Some(node.as_ref().into()), default)
        .map_err(query_failed)?;
    for (q, inverse) in own
        .iter()
        .map(|q| (q, false))
        .chain(pointing.iter().map(|q| (q, true)))
    {
        let other = match (inverse, &q.subject, &q.object) {
            (false, _, Term::NamedNode(o)) => o.as_str(),
            (true, NamedOrBlankNode::NamedNode(s), _) => s.as_str(),
            _ => continue,
        };
        let p = q.predicate.as_str();
        if p == format!("{ONTOLOGY}mentionedIn") && !inverse {
            if let Some(id) = other.strip_prefix(ARTICLE) {
                articles.insert(id.to_string());
            }
        } else if p == OWL_SAME_AS || p.starts_with(SKOS) {
            let local = p.rsplit(['#', '/']).next().unwrap_or(p);
            related.insert((local.to_string(), other.to_string()));
        }
    }
    // Its facts: asserted ones through their triples in article graphs, the
    // others through the catalog's index of reifiers marked not asserted.
    let limit = app.options.page_rows;
    let mut reifiers: Vec<(String, String)> = Vec::new();
    let as_subject = app
        .quads(Some(node.as_ref().into()), None, None, None)
        .map_err(query_failed)?;
    let as_object = app
        .quads(None, None, Some(node.as_ref().into()), None)
        .map_err(query_failed)?;
    for q in as_subject.iter().chain(&as_object) {
        let GraphName::NamedNode(g) = &q.graph_name else {
            continue;
        };
        if !g.as_str().starts_with(ARTICLE) || reifiers.len() >= limit {
            continue;
        }
        let triple = Term::Triple(Box::new(Triple::new(
            q.subject.clone(),
            q.predicate.clone(),
            q.object.clone(),
        )));
        for r in app
            .quads(
                None,
                Some(NamedNodeRef::new_unchecked(RDF_REIFIES)),
                Some(triple.as_ref()),
                Some(g.as_ref().into()),
            )
            .map_err(query_failed)?
        {
            if let NamedOrBlankNode::NamedNode(f) = r.subject {
                reifiers.push((f.as_str().to_string(), g.as_str().to_string()));
            }
        }
    }
    reifiers.extend(catalog.not_asserted(iri).iter().cloned());
    reifiers.sort();
    reifiers.dedup();
    let truncated = reifiers.len() >= limit;
    reifiers.truncate(limit);
    let mut facts = read_facts(app, &reifiers).map_err(query_failed)?;
    let article_of = |f: &FactRow| f.article_id().and_then(|id| catalog.article(id));
    facts.sort_by(|a, b| {
        let key = |f: &FactRow| {
            (
                f.open,
                relation_label(catalog, &f.relation, lang),
                article_of(f).and_then(|a| a.date.clone()),
                f.start,
            )
        };
        key(a).cmp(&key(b))
    });

    let mut body = String::new();
    let _ = write!(
        body,
        "<h1 class=\"entity\">{} {}</h1><p class=\"muted\"><code>{}</code></p>",
        esc(&info.label),
        type_badge(catalog, &info.kind, lang),
        esc(iri)
    );
    body.push_str("<h2>Spellings</h2><ul class=\"spellings\">");
    for n in &info.names {
        let _ = write!(body, "<li>{}</li>", esc(n));
    }
    body.push_str("</ul>");
    if !related.is_empty() {
        body.push_str("<h2>Related nodes</h2><ul>");
        for (p, o) in &related {
            let target = Term::NamedNode(NamedNode::new_unchecked(o.as_str()));
            let _ = write!(
                body,
                "<li>{} {}</li>",
                esc(p),
                term_html(&target, catalog, lang)
            );
        }
        body.push_str("</ul>");
    }

    let subject = Term::NamedNode(node.clone());
    for (title, outgoing) in [("Facts about it", true), ("Facts pointing to it", false)] {
        let list: Vec<&FactRow> = facts
            .iter()
            .filter(|f| (f.subject.as_ref() == Some(&subject)) == outgoing)
            .collect();
        if list.is_empty() {
            continue;
        }
        let _ = write!(
            body,
            "<h2>{title} ({})</h2><table class=\"facts\"><tr><th>relation</th><th>{}</th>\
             <th>qualifiers</th><th>sentence</th><th>article</th></tr>",
            list.len(),
            if outgoing { "object" } else { "subject" }
        );
        for f in list {
            let other = if outgoing { &f.object } else { &f.subject };
            let rel = relation_label(catalog, &f.relation, lang);
            let article = match (f.article_id(), article_of(f)) {
                (Some(id), Some(a)) => format!(
                    "<a href=\"{}#s{}\">{}</a>",
                    esc(&article_href(id)),
                    f.start.unwrap_or(0),
                    esc(a.name())
                ),
                (Some(id), None) => esc(id),
                _ => String::new(),
            };
            let _ = write!(
                body,
                "<tr class=\"fact{}\"><td>{}{}{}</td><td>{}</td><td class=\"qual\">{}</td>\
                 <td class=\"sentence\">{}</td><td>{}</td></tr>",
                if f.asserted { "" } else { " neg" },
                esc(&rel),
                if f.open {
                    " <span class=\"muted\">(open)</span>"
                } else {
                    ""
                },
                if f.asserted {
                    ""
                } else {
                    " <span class=\"muted\">(not asserted)</span>"
                },
                other
                    .as_ref()
                    .map_or(String::new(), |t| term_html(t, catalog, lang)),
                qualifiers_html(f, catalog, lang),
                esc(&f.sentence),
                article
            );
        }
        body.push_str("</table>");
    }
    if facts.is_empty() {
        body.push_str(
            "<h2>Facts</h2><p>No facts name it yet; it is mentioned in the articles below.</p>",
        );
    }
    if truncated {
        let _ = write!(
            body,
            "<p class=\"note\">Only the first {limit} facts are listed; ask the \
             <a href=\"/query\">query page</a> for all of them.</p>"
        );
    }

    // The picture, with its filters as a plain GET form.
    let filter = parse_filter(params);
    let relations: BTreeSet<&str> = facts
        .iter()
        .filter(|f| !f.open && f.asserted)
        .map(|f| f.relation.strip_prefix(ONTOLOGY).unwrap_or(&f.relation))
        .collect();
    let mut picture_params = format!(
        "e={}",
        encode_param(iri.strip_prefix(ENTITY).unwrap_or(iri))
    );
    let _ = write!(
        body,
        "<h2>Neighbourhood</h2><form class=\"filters\" action=\"/entity\" method=\"get\">\
         <input type=\"hidden\" name=\"e\" value=\"{}\"><fieldset><legend>relations</legend>",
        esc(iri.strip_prefix(ENTITY).unwrap_or(iri))
    );
    for r in &relations {
        let _ = write!(
            body,
            "<label><input type=\"checkbox\" name=\"rel\" value=\"{}\"{}> {}</label> ",
            esc(r),
            if filter.relations.contains(*r) {
                " checked"
            } else {
                ""
            },
            esc(&catalog.label(&format!("{ONTOLOGY}{r}"), lang))
        );
    }
    body.push_str("</fieldset><fieldset><legend>types</legend>");
    for (k, _) in TYPE_COLOURS.iter() {
        let label = if *k == "Literal" {
            "value".to_string()
        } else {
            catalog.class_label(k, lang)
        };
        let _ = write!(
            body,
            "<label><input type=\"checkbox\" name=\"type\" value=\"{k}\"{}> {}</label> ",
            if filter.types.contains(*k) {
                " checked"
            } else {
                ""
            },
            esc(&label)
        );
    }
    let _ = write!(
        body,
        "</fieldset><label><input type=\"radio\" name=\"hops\" value=\"1\"{}> 1 hop</label> \
         <label><input type=\"radio\" name=\"hops\" value=\"2\"{}> 2 hops</label> \
         <button>Draw</button> <span class=\"muted\">(none ticked: all)</span></form>",
        if filter.hops == 1 { " checked" } else { "" },
        if filter.hops == 2 { " checked" } else { "" },
    );
    for r in &filter.relations {
        let _ = write!(picture_params, "&rel={}", encode_param(r));
    }
    for t in &filter.types {
        let _ = write!(picture_params, "&type={}", encode_param(t));
    }
    let _ = write!(picture_params, "&hops={}&lang={}", filter.hops, lang.tag());
    body.push_str(&legend_html(catalog, lang));
    let _ = write!(
        body,
        "<iframe class=\"graph\" title=\"neighbourhood\" src=\"/graph.svg?{}\"></iframe>",
        esc(&picture_params)
    );

    let _ = write!(body, "<h2>Articles ({})</h2><ul>", articles.len());
    let mut listed: Vec<&ArticleInfo> = articles
        .iter()
        .filter_map(|id| catalog.article(id))
        .collect();
    listed.sort_by(|a, b| b.date.cmp(&a.date));
    for a in listed.iter().take(limit) {
        body.push_str(&article_item(a));
    }
    body.push_str("</ul>");
    Ok(Response::html(page(ctx, &info.label, &body)))
}

pub(super) fn legend_html(catalog: &Catalog, lang: Lang) -> String {
    let kinds: Vec<(&str, String)> = TYPE_COLOURS
        .iter()
        .map(|(k, _)| {
            let label = if *k == "Literal" {
                "value".to_string()
            } else {
                catalog.class_label(k, lang)
            };
            (*k, label)
        })
        .collect();
    legend(&kinds)
}

pub(super) fn parse_filter(params: &[(String, String)]) -> Filter {
    let values = |name: &str| -> BTreeSet<String> {
        params
            .iter()
            .filter(|(k, v)| k == name && !v.is_empty())
            .map(|(_, v)| v.clone())
            .collect()
    };
    Filter {
        relations: values("rel"),
        types: values("type"),
        hops: match params
            .iter()
            .find(|(k, _)| k == "hops")
            .map(|(_, v)| v.as_str())
        {
            Some("2") => 2,
            _ => 1,
        },
    }
}

/// The ontology facts (asserted) touching any of `nodes`, in article graphs.
pub(super) fn edges_around(app: &App, nodes: &[Term]) -> Result<Vec<Edge>, QueryError> {
    let mut edges = Vec::new();
    for n in nodes {
        let Term::NamedNode(x) = n else { continue };
        let mut quads = app.quads(Some(x.as_ref().into()), None, None, None)?;
        quads.extend(app.quads(None, None, Some(x.as_ref().into()), None)?);
        edges.extend(
            quads
                .iter()
                .filter(|q| is_article_fact(q))
                .filter_map(edge_of),
        );
    }
    Ok(edges)
}

/// True for an asserted ontology fact in an article's graph (not a reifier's
/// property, not an open triple).
pub(super) fn is_article_fact(q: &Quad) -> bool {
    let in_article = matches!(&q.graph_name, GraphName::NamedNode(g)
        if g.as_str().starts_with(ARTICLE) && !g.as_str().ends_with("/open"));
    let about_entity = matches!(&q.subject, NamedOrBlankNode::NamedNode(s)
        if !s.as_str().starts_with(ARTICLE));
    in_article && about_entity && q.predicate.as_str().starts_with(ONTOLOGY)
}

pub(super) fn edge_of(q: &Quad) -> Option<Edge> {
    Some(Edge {
        subject: q.subject.clone().into(),
        relation: q.predicate.as_str().strip_prefix(ONTOLOGY)?.to_string(),
        object: q.object.clone(),
    })
}

/// `/graph.svg?e=…` (a neighbourhood) or `/graph.svg?article=…`.
pub(super) fn picture(
    app: &App,
    catalog: &Catalog,
    lang: Lang,
    params: &[(String, String)],
) -> Result<Response, Response> {
    let mut key: Vec<String> = params.iter().map(|(k, v)| format!("{k}={v}")).collect();
    key.sort();
    let key = format!("{}|{}", lang.tag(), key.join("&"));
    let svg = |body: Arc<Vec<u8>>| {
        Response::new(
            200,
            "image/svg+xml; charset=utf-8",
            body.as_slice().to_vec(),
        )
    };
    if let Some(hit) = app
        .svg_cache
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get(&key)
        .cloned()
    {
        return Ok(svg(hit));
    }
    let param = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let filter = parse_filter(params);
    let pic = if let Some(e) = param("e") {
        let iri = entity_iri(e);
        if catalog.entity(&iri).is_none() {
            return Err(Response::error(
                404,
                &format!("no entity <{iri}> in the store"),
            ));
        }
        let centre = Term::NamedNode(
            NamedNode::new(iri).map_err(|_| Response::error(400, "invalid entity IRI"))?,
        );
        let mut edges = edges_around(app, std::slice::from_ref(&centre)).map_err(query_failed)?;
        if filter.hops == 2 {
            let mut neighbours: Vec<Term> = edges
                .iter()
                .filter(|e| filter.relations.is_empty() || filter.relations.contains(&e.relation))
                .flat_map(|e| [e.subject.clone(), e.object.clone()])
                .filter(|t| matches!(t, Term::NamedNode(_)) && *t != centre)
                .collect();
            neighbours.sort_by_cached_key(Term::to_string);
            neighbours.dedup();
            neighbours.truncate(crate::serve::graph::MAX_NODES);
            edges.extend(edges_around(app, &neighbours).map_err(query_failed)?);
            edges.sort_by_cached_key(Edge::sort_key);
            edges.dedup();
        }
        Picture::build(Some(&centre), &edges, &filter, catalog)
    } else if let Some(id) = param("article") {
        if catalog.article(id).is_none() {
            return Err(Response::error(
                404,
                &format!("no article {id} in the store"),
            ));
        }
        let graph = NamedNode::new(format!("{ARTICLE}{id}"))
            .map_err(|_| Response::error(400, "invalid article id"))?;
        let quads = app
            .quads(None, None, None, Some(graph.as_ref().into()))
            .map_err(query_failed)?;
        let edges: Vec<Edge> = quads
            .iter()
            .filter(|q| is_article_fact(q))
            .filter_map(edge_of)
            .collect();
        Picture::build(None, &edges, &filter, catalog)
    } else {
        return Err(Response::error(400, "give e (an entity) or article"));
    };
    let rendered = if pic.is_empty() {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100%\" viewBox=\"0 0 300 40\">\
         <text x=\"10\" y=\"25\" font-size=\"14\">no facts to draw</text></svg>"
            .as_bytes()
            .to_vec()
    } else {
        let dot = pic.to_dot(catalog, lang);
        let out =
            crate::export::render(&dot, "svg").map_err(|e| Response::error(500, &e.to_string()))?;
        fit_svg(&String::from_utf8_lossy(&out)).into_bytes()
    };
    let rendered = Arc::new(rendered);
    let mut cache = app.svg_cache.lock().unwrap_or_else(|e| e.into_inner());
    if cache.len() >= crate::serve::SVG_CACHE_ENTRIES {
        cache.clear();
    }
    cache.insert(key, Arc::clone(&rendered));
    Ok(svg(rendered))
}
