//! The HTML pages: home, search, entity, article, article list, query, and the
//! pictures they embed. Each page reads the catalog (names, types, titles) and
//! runs at most a few SPARQL queries that start from one IRI, so its cost does
//! not grow with the store.
use std::fmt::Write;

use crate::rdf::ENTITY;

use crate::serve::catalog::{ArticleInfo, Catalog, Match};
use crate::serve::html::{article_href, entity_href, esc, page, Lang, PageCtx, TYPE_COLOURS};
use crate::serve::http::{encode_param, Request, Response};
use crate::serve::sparql::QueryError;
use crate::serve::App;

mod article;
mod entity;
mod query;

use article::article;
use entity::{entity, picture};
use query::query_page;

pub(super) const RDF_REIFIES: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#reifies";
pub(super) const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
pub(super) const SKOS: &str = "http://www.w3.org/2004/02/skos/core#";
pub(super) const OWL_SAME_AS: &str = "http://www.w3.org/2002/07/owl#sameAs";
pub(super) const PROV_DERIVED: &str = "http://www.w3.org/ns/prov#wasDerivedFrom";

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
pub(super) fn entity_iri(e: &str) -> String {
    if e.contains("://") {
        e.to_string()
    } else {
        format!("{ENTITY}{e}")
    }
}

pub(super) fn query_failed(e: QueryError) -> Response {
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

pub(super) fn article_item(a: &ArticleInfo) -> String {
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

pub(super) fn type_badge(catalog: &Catalog, kind: &str, lang: Lang) -> String {
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
