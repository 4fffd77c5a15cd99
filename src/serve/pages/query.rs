//! The query page: a box with example queries and the results as a table.
use std::fmt::Write;

use oxigraph::model::{Literal, Term};

use crate::rdf::ARTICLE;

use crate::serve::catalog::Catalog;
use crate::serve::html::{article_href, esc, page, Lang, PageCtx};
use crate::serve::http::{encode_param, Response};
use crate::serve::sparql::QueryError;
use crate::serve::App;

use super::entity::term_html;

/// The README's example queries, offered on the query page.
pub(super) const EXAMPLES: [(&str, &str); 4] = [
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

pub(super) fn query_page(app: &App, ctx: &PageCtx, query: Option<&str>) -> Response {
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

pub(super) fn run_for_page(
    app: &App,
    query: &str,
    catalog: &Catalog,
    lang: Lang,
) -> Result<String, QueryError> {
    use oxigraph::sparql::QueryResults;
    let deadline = app.deadlines.start(app.options.query_timeout);
    let results = crate::serve::sparql::prepare(query, &deadline)?
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
pub(super) fn result_cell(t: &Term, catalog: &Catalog, lang: Lang) -> String {
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

pub(super) fn literal_cell(l: &Literal) -> String {
    match l.language() {
        Some(tag) => format!(
            "{}<span class=\"muted\">@{}</span>",
            esc(l.value()),
            esc(tag)
        ),
        None => esc(l.value()),
    }
}
