//! The HTML pages: home, search, entity, article, article list, query, and the
//! pictures they embed. Each page reads the catalog (names, types, titles) and
//! runs at most a few SPARQL queries that start from one IRI, so its cost does
//! not grow with the store.
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write;
use std::sync::Arc;

use oxigraph::model::{
    GraphName, GraphNameRef, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, Quad, Term, Triple,
};

use crate::rdf::{ARTICLE, ENTITY, ONTOLOGY, OPEN};

use super::catalog::{ArticleInfo, Catalog, Match};
use super::graph::{fit_svg, Edge, Filter, Picture};
use super::html::{article_href, entity_href, esc, legend, page, Lang, PageCtx, TYPE_COLOURS};
use super::http::{encode_param, Request, Response};
use super::sparql::QueryError;
use super::App;

const RDF_REIFIES: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#reifies";
const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
const SKOS: &str = "http://www.w3.org/2004/02/skos/core#";
const OWL_SAME_AS: &str = "http://www.w3.org/2002/07/owl#sameAs";
const PROV_DERIVED: &str = "http://www.w3.org/ns/prov#wasDerivedFrom";

/// Search results a page lists.
const SEARCH_HITS: usize = 50;
/// Articles per page of the article list.
const ARTICLES_PER_PAGE: usize = 100;

/// Answers a GET of a page.
pub fn handle(app: &App, req: &Request) -> Response {
    let Some(params) = req.params() else {
        return Response::error(400, "the query string is not valid UTF-8");
    };
    let param = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let asked = param("lang").and_then(Lang::from_tag);
    let lang = asked
        .or_else(|| req.cookie("lang").and_then(Lang::from_tag))
        .unwrap_or(Lang::Ja);
    let here = {
        let kept: Vec<String> = params
            .iter()
            .filter(|(k, _)| k != "lang")
            .map(|(k, v)| format!("{}={}", encode_param(k), encode_param(v)))
            .collect();
        if kept.is_empty() {
            req.path.clone()
        } else {
            format!("{}?{}", req.path, kept.join("&"))
        }
    };
    let ctx = PageCtx {
        lang,
        here,
        search: param("q").unwrap_or("").to_string(),
    };
    let catalog = app.catalog();
    let path = req.path.as_str();
    let result = match path {
        "/" => Ok(home(&ctx, &catalog)),
        "/search" => Ok(search(
            &ctx,
            &catalog,
            param("q").unwrap_or(""),
            param("type"),
        )),
        "/entity" => match param("e") {
            Some(e) => entity(app, &ctx, &catalog, &entity_iri(e), &params),
            None => Err(Response::error(400, "missing the e parameter (the entity)")),
        },
        "/articles" => Ok(article_list(&ctx, &catalog, param("page"))),
        "/query" => Ok(query_page(app, &ctx, param("query"))),
        "/graph.svg" => picture(app, &catalog, lang, &params),
        _ => match path.strip_prefix("/article/") {
            Some(id) => article(app, &ctx, &catalog, id),
            None => Err(Response::error(404, &format!("no page at {path}"))),
        },
    };
    let mut response = result.unwrap_or_else(|r| r);
    if let Some(l) = asked {
        response = response.with_header(
            "Set-Cookie",
            &format!("lang={}; Path=/; SameSite=Lax", l.tag()),
        );
    }
    response
}

/// The IRI an `e` parameter names: a path under the entity namespace
/// (`person/佐藤太郎`) or a whole IRI (pinned entities may have any).
fn entity_iri(e: &str) -> String {
    if e.contains("://") {
        e.to_string()
    } else {
        format!("{ENTITY}{e}")
    }
}

fn query_failed(e: QueryError) -> Response {
    e.response()
}

fn home(ctx: &PageCtx, catalog: &Catalog) -> Response {
    let mut body = String::from("<h1>musubi knowledge graph</h1>");
    let _ = write!(
        body,
        "<p>{} articles, {} entities. Search above by any spelling of a name, browse the \
         <a href=\"/articles\">articles</a>, or ask the <a href=\"/query\">SPARQL query</a> page. \
         Tools (YASGUI, rdflib, a notebook) can use the SPARQL endpoint at <code>/sparql</code>.</p>",
        catalog.articles().len(),
        catalog.entity_count()
    );
    body.push_str("<h2>Latest articles</h2><ul>");
    for a in catalog.articles().iter().take(20) {
        body.push_str(&article_item(a));
    }
    body.push_str("</ul>");
    Response::html(page(ctx, "musubi", &body))
}

fn article_item(a: &ArticleInfo) -> String {
    format!(
        "<li><a href=\"{}\">{}</a> <span class=\"muted\">{}</span></li>",
        esc(&article_href(&a.id)),
        esc(a.name()),
        esc(a.date.as_deref().unwrap_or(""))
    )
}

fn article_list(ctx: &PageCtx, catalog: &Catalog, page_no: Option<&str>) -> Response {
    let all = catalog.articles();
    let pages = all.len().div_ceil(ARTICLES_PER_PAGE).max(1);
    let n = page_no
        .and_then(|p| p.parse::<usize>().ok())
        .unwrap_or(1)
        .clamp(1, pages);
    let mut body = format!("<h1>Articles</h1><p class=\"muted\">{} articles, newest first; page {n} of {pages}.</p><ul>", all.len());
    for a in all
        .iter()
        .skip((n - 1) * ARTICLES_PER_PAGE)
        .take(ARTICLES_PER_PAGE)
    {
        body.push_str(&article_item(a));
    }
    body.push_str("</ul><p>");
    if n > 1 {
        let _ = write!(body, "<a href=\"/articles?page={}\">← newer</a> ", n - 1);
    }
    if n < pages {
        let _ = write!(body, "<a href=\"/articles?page={}\">older →</a>", n + 1);
    }
    body.push_str("</p>");
    Response::html(page(ctx, "Articles", &body))
}

fn type_badge(catalog: &Catalog, kind: &str, lang: Lang) -> String {
    format!(
        "<span class=\"type t-{}\">{}</span>",
        esc(kind),
        esc(&catalog.class_label(kind, lang))
    )
}

fn search(ctx: &PageCtx, catalog: &Catalog, q: &str, kind: Option<&str>) -> Response {
    let kind = kind.filter(|k| !k.is_empty());
    let mut body = String::from("<h1>Search</h1>");
    let _ = write!(
        body,
        "<form action=\"/search\" method=\"get\"><input type=\"search\" name=\"q\" value=\"{}\" \
         aria-label=\"name\"> <select name=\"type\" aria-label=\"type\"><option value=\"\">any type</option>",
        esc(q)
    );
    for (k, _) in TYPE_COLOURS.iter().filter(|(k, _)| *k != "Literal") {
        let _ = write!(
            body,
            "<option value=\"{k}\"{}>{}</option>",
            if kind == Some(*k) { " selected" } else { "" },
            esc(&catalog.class_label(k, ctx.lang))
        );
    }
    body.push_str("</select> <button>Search</button></form>");
    if q.trim().is_empty() {
        body.push_str("<p>Type a name: any spelling, or part of one.</p>");
        return Response::html(page(ctx, "Search", &body));
    }
    let (hits, total) = catalog.search(q, kind, SEARCH_HITS);
    let _ = write!(
        body,
        "<p class=\"muted\">{total} {} for “{}”{}.</p>",
        if total == 1 { "entity" } else { "entities" },
        esc(q),
        if total > hits.len() {
            format!(", the first {} shown", hits.len())
        } else {
            String::new()
        }
    );
    body.push_str("<ol class=\"results\">");
    for h in &hits {
        let how = match h.how {
            Match::Exact => "spelling",
            Match::Prefix => "starts",
            Match::Partial => "contains",
        };
        let others: Vec<String> = h
            .entity
            .names
            .iter()
            .skip(1)
            .take(8)
            .map(|n| esc(n))
            .collect();
        let _ = write!(
            body,
            "<li><a class=\"hit\" href=\"{}\">{}</a> {} <span class=\"muted\">{} article{}",
            esc(&entity_href(&h.entity.iri)),
            esc(&h.entity.label),
            type_badge(catalog, &h.entity.kind, ctx.lang),
            h.entity.articles,
            if h.entity.articles == 1 { "" } else { "s" },
        );
        if h.matched != h.entity.label {
            let _ = write!(body, "; matched {how}: <b>{}</b>", esc(h.matched));
        }
        if !others.is_empty() {
            let _ = write!(body, "; also: {}", others.join("、"));
        }
        body.push_str("</span></li>");
    }
    body.push_str("</ol>");
    Response::html(page(ctx, &format!("Search: {q}"), &body))
}

/// One reified statement about an entity or in an article.
#[derive(Debug, Clone, Default)]
struct FactRow {
    reifier: String,
    graph: String,
    subject: Option<Term>,
    relation: String,
    object: Option<Term>,
    open: bool,
    asserted: bool,
    sentence: String,
    start: Option<usize>,
    end: Option<usize>,
    confidence: Option<String>,
    rule: Option<String>,
    /// (property local name, value) for amount, currency, share, date, role…
    qualifiers: Vec<(String, String)>,
}

impl FactRow {
    /// The article the fact came from (its graph, without `/open`).
    fn article_id(&self) -> Option<&str> {
        let id = self.graph.strip_prefix(ARTICLE)?;
        Some(id.strip_suffix("/open").unwrap_or(id))
    }
}

/// Properties of a reifier that are provenance, not qualifiers.
const PROVENANCE: [&str; 8] = [
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
fn read_facts(app: &App, reifiers: &[(String, String)]) -> Result<Vec<FactRow>, QueryError> {
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
    fn set(&mut self, property: &str, v: &Term) {
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
fn term_html(t: &Term, catalog: &Catalog, lang: Lang) -> String {
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

fn relation_label(catalog: &Catalog, relation: &str, lang: Lang) -> String {
    if relation.starts_with(OPEN) {
        crate::export::local_name(&Term::NamedNode(NamedNode::new_unchecked(relation)))
    } else {
        catalog.label(relation, lang)
    }
}

/// Qualifiers as one line: `amount 120000000 JPY · date 2024-04`.
fn qualifiers_html(f: &FactRow, catalog: &Catalog, lang: Lang) -> String {
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

fn entity(
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

fn legend_html(catalog: &Catalog, lang: Lang) -> String {
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

fn parse_filter(params: &[(String, String)]) -> Filter {
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
fn edges_around(app: &App, nodes: &[Term]) -> Result<Vec<Edge>, QueryError> {
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
fn is_article_fact(q: &Quad) -> bool {
    let in_article = matches!(&q.graph_name, GraphName::NamedNode(g)
        if g.as_str().starts_with(ARTICLE) && !g.as_str().ends_with("/open"));
    let about_entity = matches!(&q.subject, NamedOrBlankNode::NamedNode(s)
        if !s.as_str().starts_with(ARTICLE));
    in_article && about_entity && q.predicate.as_str().starts_with(ONTOLOGY)
}

fn edge_of(q: &Quad) -> Option<Edge> {
    Some(Edge {
        subject: q.subject.clone().into(),
        relation: q.predicate.as_str().strip_prefix(ONTOLOGY)?.to_string(),
        object: q.object.clone(),
    })
}

/// `/graph.svg?e=…` (a neighbourhood) or `/graph.svg?article=…`.
fn picture(
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
            neighbours.truncate(super::graph::MAX_NODES);
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
    if cache.len() >= super::SVG_CACHE_ENTRIES {
        cache.clear();
    }
    cache.insert(key, Arc::clone(&rendered));
    Ok(svg(rendered))
}

fn article(app: &App, ctx: &PageCtx, catalog: &Catalog, id: &str) -> Result<Response, Response> {
    let lang = ctx.lang;
    let Some(info) = catalog.article(id) else {
        return Err(Response::error(
            404,
            &format!("no article {id} in the store"),
        ));
    };
    let art = NamedNode::new(format!("{ARTICLE}{id}"))
        .map_err(|_| Response::error(400, "invalid article id"))?;
    let default = Some(GraphNameRef::DefaultGraph);
    let text = app
        .quads(
            Some(art.as_ref().into()),
            Some(NamedNodeRef::new_unchecked(&format!("{ONTOLOGY}text"))),
            None,
            default,
        )
        .map_err(query_failed)?
        .into_iter()
        .find_map(|q| match q.object {
            Term::Literal(l) => Some(l.value().to_string()),
            _ => None,
        })
        .or_else(|| text_from_source(info));
    let mentioned = app
        .quads(
            None,
            Some(NamedNodeRef::new_unchecked(&format!(
                "{ONTOLOGY}mentionedIn"
            ))),
            Some(art.as_ref().into()),
            default,
        )
        .map_err(query_failed)?;
    let entities: Vec<&super::catalog::EntityInfo> = mentioned
        .iter()
        .filter_map(|q| match &q.subject {
            NamedOrBlankNode::NamedNode(n) => catalog.entity(n.as_str()),
            _ => None,
        })
        .collect();
    let mut reifiers: Vec<(String, String)> = Vec::new();
    let fact_class = NamedNode::new_unchecked(format!("{ONTOLOGY}Fact"));
    let open_graph = NamedNode::new_unchecked(format!("{}/open", art.as_str()));
    for graph in [art.clone(), open_graph] {
        for q in app
            .quads(
                None,
                Some(NamedNodeRef::new_unchecked(RDF_TYPE)),
                Some(fact_class.as_ref().into()),
                Some(graph.as_ref().into()),
            )
            .map_err(query_failed)?
        {
            if let NamedOrBlankNode::NamedNode(f) = q.subject {
                reifiers.push((f.as_str().to_string(), graph.as_str().to_string()));
            }
        }
    }
    let mut facts = read_facts(app, &reifiers).map_err(query_failed)?;
    facts.sort_by_key(|f| (f.open, f.start, f.reifier.clone()));

    let mut body = String::new();
    let _ = write!(body, "<h1>{}</h1><p class=\"muted\">", esc(info.name()));
    for (label, value) in [
        ("date", &info.date),
        ("source", &info.source),
        ("url", &info.url),
    ] {
        if let Some(v) = value {
            let _ = write!(body, "{label}: {} · ", esc(v));
        }
    }
    let _ = write!(body, "id {}</p>", esc(id));
    body.push_str(&legend_html(catalog, lang));
    match &text {
        Some(t) => {
            body.push_str("<div class=\"text\">");
            body.push_str(&highlight(t, &entities, &facts, catalog, lang));
            body.push_str("</div>");
        }
        None => body.push_str(
            "<p class=\"note\">The store holds no text for this article (it was ingested by an \
             older musubi) and its source file cannot be read; its facts follow.</p>",
        ),
    }
    let _ = write!(body, "<h2>Facts ({})</h2><table class=\"facts\"><tr><th>subject</th><th>relation</th><th>object</th><th>qualifiers</th><th>sentence</th><th>rule</th></tr>", facts.len());
    for f in &facts {
        let _ = write!(
            body,
            "<tr class=\"fact{}\"><td>{}</td><td>{}{}{}</td><td>{}</td><td class=\"qual\">{}</td>\
             <td class=\"sentence\"><a href=\"#s{}\">{}</a></td><td class=\"muted\">{} {}</td></tr>",
            if f.asserted { "" } else { " neg" },
            f.subject.as_ref().map_or(String::new(), |t| term_html(t, catalog, lang)),
            esc(&relation_label(catalog, &f.relation, lang)),
            if f.open { " <span class=\"muted\">(open)</span>" } else { "" },
            if f.asserted { "" } else { " <span class=\"muted\">(not asserted)</span>" },
            f.object.as_ref().map_or(String::new(), |t| term_html(t, catalog, lang)),
            qualifiers_html(f, catalog, lang),
            f.start.unwrap_or(0),
            esc(&f.sentence),
            esc(f.rule.as_deref().unwrap_or("")),
            esc(f.confidence.as_deref().unwrap_or("")),
        );
    }
    body.push_str("</table><h2>Graph of this article</h2>");
    let _ = write!(
        body,
        "<iframe class=\"graph\" title=\"article graph\" src=\"/graph.svg?article={}&amp;lang={}\"></iframe>",
        esc(&encode_param(id)),
        lang.tag()
    );
    Ok(Response::html(page(ctx, info.name(), &body)))
}

/// The text of an article ingested before the store kept texts: its source
/// file, if it is still there and still the same text.
fn text_from_source(info: &ArticleInfo) -> Option<String> {
    let path = std::path::Path::new(info.source.as_ref()?);
    [crate::Layout::Plain, crate::Layout::Livedoor]
        .into_iter()
        .filter_map(|layout| crate::Article::read(path, layout).ok())
        .find(|a| a.id == info.id)
        .map(|a| a.text)
}

/// The article text with each entity's spellings marked by type (longest
/// spelling first, as displaCy shows entities) and each fact's sentence marked.
/// Spellings are the stored ones of the entities the article mentions, so a
/// mark always leads to a node of the graph.
fn highlight(
    text: &str,
    entities: &[&super::catalog::EntityInfo],
    facts: &[FactRow],
    catalog: &Catalog,
    lang: Lang,
) -> String {
    let chars: Vec<char> = text.chars().collect();
    // Spellings by first character, longest first. One-character names (a
    // country's initial) are left out: they would mark every use of the kanji.
    let mut by_first: HashMap<char, Vec<(Vec<char>, usize)>> = HashMap::new();
    for (i, e) in entities.iter().enumerate() {
        for name in &e.names {
            let cs: Vec<char> = name.chars().collect();
            if cs.len() >= 2 {
                by_first.entry(cs[0]).or_default().push((cs, i));
            }
        }
    }
    for list in by_first.values_mut() {
        list.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.1.cmp(&b.1)));
        list.dedup();
    }
    // Fact sentences: start → (end, facts in it).
    let mut sentences: BTreeMap<usize, (usize, Vec<String>)> = BTreeMap::new();
    for f in facts {
        if let (Some(s), Some(e)) = (f.start, f.end) {
            if s < e && e <= chars.len() {
                let entry = sentences.entry(s).or_insert((e, Vec::new()));
                let describe = |t: &Option<Term>| match t {
                    Some(Term::NamedNode(n)) => catalog
                        .entity(n.as_str())
                        .map_or_else(|| n.as_str().to_string(), |x| x.label.clone()),
                    Some(Term::Literal(l)) => l.value().to_string(),
                    _ => String::new(),
                };
                entry.1.push(format!(
                    "{} {} {}",
                    describe(&f.subject),
                    relation_label(catalog, &f.relation, lang),
                    describe(&f.object)
                ));
            }
        }
    }
    let mut out = String::with_capacity(text.len() * 2);
    let mut open_until: Option<usize> = None;
    let mut i = 0;
    while i < chars.len() {
        if open_until == Some(i) {
            out.push_str("</mark>");
            open_until = None;
        }
        if open_until.is_none() {
            if let Some((end, what)) = sentences.get(&i) {
                let _ = write!(
                    out,
                    "<mark class=\"fact\" id=\"s{i}\" title=\"{}\">",
                    esc(&what.join(" / "))
                );
                open_until = Some(*end);
            }
        }
        let limit = open_until.unwrap_or(chars.len());
        let found = by_first.get(&chars[i]).and_then(|list| {
            list.iter()
                .find(|(cs, _)| i + cs.len() <= limit && chars[i..i + cs.len()] == cs[..])
        });
        match found {
            Some((cs, e)) => {
                let e = entities[*e];
                let surface: String = cs.iter().collect();
                let _ = write!(
                    out,
                    "<a class=\"ent t-{}\" href=\"{}\" title=\"{}\">{}<span class=\"tag\">{}</span></a>",
                    esc(&e.kind),
                    esc(&entity_href(&e.iri)),
                    esc(&e.label),
                    esc(&surface),
                    esc(&catalog.class_label(&e.kind, lang)),
                );
                i += cs.len();
            }
            None => {
                out.push_str(&esc(&chars[i].to_string()));
                i += 1;
            }
        }
    }
    if open_until.is_some() {
        out.push_str("</mark>");
    }
    out
}

/// The README's example queries, offered on the query page.
const EXAMPLES: [(&str, &str); 4] = [
    (
        "Facts with their relation names",
        "SELECT ?subject ?relation ?object WHERE {\n  ?g a mo:Article . GRAPH ?g { ?s ?r ?o }\n  ?r rdfs:label ?relation . FILTER(lang(?relation) = \"en\")\n  ?s rdfs:label ?subject .\n  OPTIONAL { ?o rdfs:label ?l } BIND(COALESCE(?l, ?o) AS ?object)\n}",
    ),
    (
        "Who moved where",
        "SELECT ?who ?where ?sentence WHERE {\n  GRAPH ?g { ?p mo:moved_to ?o . ?f rdf:reifies <<( ?p mo:moved_to ?o )>> ; mo:sentence ?sentence }\n  ?p rdfs:label ?who . ?o rdfs:label ?where }",
    ),
    (
        "Who heads what",
        "SELECT ?who ?what WHERE { GRAPH ?g { ?p mo:heads ?o } ?p rdfs:label ?who . ?o rdfs:label ?what }",
    ),
    (
        "Entities by type",
        "SELECT ?type (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a ?type ; mo:mentionedIn ?a }\nGROUP BY ?type ORDER BY DESC(?n)",
    ),
];

fn query_page(app: &App, ctx: &PageCtx, query: Option<&str>) -> Response {
    let catalog = app.catalog();
    let lang = ctx.lang;
    let text = query.unwrap_or(EXAMPLES[0].1);
    let mut body = String::from("<h1>SPARQL query</h1>");
    let _ = write!(
        body,
        "<p class=\"muted\">Prefixes mo:, ent:, art:, open:, rdf:, rdfs:, xsd:, skos:, dcterms:, prov:, owl: \
         are predeclared; the default graph is the union of all graphs. Pages list at most {} rows; \
         the endpoint <code>/sparql</code> gives all of them.</p><p>Examples: ",
        app.options.page_rows
    );
    for (name, q) in EXAMPLES {
        let _ = write!(
            body,
            "<a href=\"/query?query={}\">{}</a> · ",
            esc(&encode_param(q)),
            esc(name)
        );
    }
    let _ = write!(
        body,
        "</p><form action=\"/query\" method=\"get\"><textarea name=\"query\" rows=\"8\" \
         aria-label=\"query\">{}</textarea><br><button>Run</button></form>",
        esc(text)
    );
    let Some(query) = query else {
        return Response::html(page(ctx, "SPARQL query", &body));
    };
    if query.len() > app.options.max_query_bytes {
        return Response::error(
            413,
            &format!(
                "the query is longer than the limit of {} bytes",
                app.options.max_query_bytes
            ),
        );
    }
    let _ = write!(
        body,
        "<p>Download: <a href=\"/sparql?query={q}&amp;format=json\">JSON</a> · \
         <a href=\"/sparql?query={q}&amp;format=csv\">CSV</a> · \
         <a href=\"/sparql?query={q}&amp;format=tsv\">TSV</a> · \
         <a href=\"/sparql?query={q}&amp;format=xml\">XML</a></p>",
        q = esc(&encode_param(query))
    );
    let status = match run_for_page(app, query, &catalog, lang) {
        Ok(table) => {
            body.push_str(&table);
            200
        }
        Err(e) => {
            let _ = write!(body, "<p class=\"note error\">{}</p>", esc(&e.to_string()));
            e.status()
        }
    };
    let mut response = Response::html(page(ctx, "SPARQL query", &body));
    response.status = status;
    response
}

fn run_for_page(
    app: &App,
    query: &str,
    catalog: &Catalog,
    lang: Lang,
) -> Result<String, QueryError> {
    use oxigraph::sparql::QueryResults;
    let deadline = app.deadlines.start(app.options.query_timeout);
    let results = super::sparql::prepare(query, &deadline)?
        .on_store(app.store.oxigraph())
        .execute()
        .map_err(|e| QueryError::from_evaluation(e, &deadline))?;
    let limit = app.options.page_rows;
    let mut out = String::new();
    match results {
        QueryResults::Boolean(b) => {
            let _ = write!(
                out,
                "<p class=\"answer\"><b>{}</b></p>",
                if b { "yes (true)" } else { "no (false)" }
            );
        }
        QueryResults::Solutions(rows) => {
            let vars: Vec<String> = rows
                .variables()
                .iter()
                .map(|v| v.as_str().to_string())
                .collect();
            out.push_str("<table class=\"results\"><tr>");
            for v in &vars {
                let _ = write!(out, "<th>{}</th>", esc(v));
            }
            out.push_str("</tr>");
            let mut n = 0;
            let mut more = false;
            for row in rows {
                let row = row.map_err(|e| QueryError::from_evaluation(e, &deadline))?;
                if n == limit {
                    more = true;
                    break;
                }
                n += 1;
                out.push_str("<tr>");
                for v in row.values() {
                    let _ = write!(
                        out,
                        "<td>{}</td>",
                        v.as_ref()
                            .map_or(String::new(), |t| result_cell(t, catalog, lang))
                    );
                }
                out.push_str("</tr>");
            }
            out.push_str("</table>");
            let _ = write!(
                out,
                "<p class=\"muted\">{n} row{}{}</p>",
                if n == 1 { "" } else { "s" },
                if more {
                    format!(" shown: the page stops at {limit}; download the rest above")
                } else {
                    String::new()
                }
            );
        }
        QueryResults::Graph(triples) => {
            out.push_str("<pre class=\"results\">");
            for (n, t) in triples.enumerate() {
                let t = t.map_err(|e| QueryError::from_evaluation(e, &deadline))?;
                if n == limit {
                    out.push_str("…\n");
                    break;
                }
                let _ = writeln!(out, "{}", esc(&format!("{t} .")));
            }
            out.push_str("</pre>");
        }
    }
    Ok(out)
}

/// A result cell: entities and articles link to their pages, IRIs are
/// shortened with the prefixes, literals show their text.
fn result_cell(t: &Term, catalog: &Catalog, lang: Lang) -> String {
    match t {
        Term::NamedNode(n) => {
            let s = n.as_str();
            if catalog.entity(s).is_some() {
                return term_html(t, catalog, lang);
            }
            if let Some(id) = s
                .strip_prefix(ARTICLE)
                .filter(|id| catalog.article(id).is_some())
            {
                return format!("<a href=\"{}\">art:{}</a>", esc(&article_href(id)), esc(id));
            }
            for (p, iri) in crate::rdf::PREFIXES {
                if let Some(local) = s.strip_prefix(iri) {
                    return esc(&format!("{p}:{local}"));
                }
            }
            esc(&format!("<{s}>"))
        }
        Term::Literal(l) => literal_cell(l),
        other => esc(&other.to_string()),
    }
}

fn literal_cell(l: &Literal) -> String {
    match l.language() {
        Some(tag) => format!(
            "{}<span class=\"muted\">@{}</span>",
            esc(l.value()),
            esc(tag)
        ),
        None => esc(l.value()),
    }
}
