//! The SPARQL 1.1 Protocol at `/sparql`: queries by GET, by POST of a form or
//! of `application/sparql-query`; updates by POST of a form or of
//! `application/sparql-update`, only on a writable server. Results are
//! negotiated by `Accept` among the W3C formats (JSON, XML, CSV, TSV; Turtle,
//! N-Triples and RDF/XML for graphs). The default graph is the union of all
//! graphs, as in `musubi query`, unless the query names its dataset (`FROM`)
//! or the request does (`default-graph-uri`, `named-graph-uri`).
//!
//! Results are written to memory before the response starts, so a query that
//! fails or runs out of time half-way still gets an error status, not a cut
//! body.
use std::time::Duration;

use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::{PreparedSparqlQuery, QueryEvaluationError, QueryResults, SparqlEvaluator};

use crate::limits::Deadline;
use crate::rdf::PREFIXES;

use super::http::{negotiate, parse_form, Method, Request, Response};
use super::App;

/// Why a query or update could not be answered, with the HTTP status it gets.
#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("SPARQL syntax error: {0}")]
    Syntax(String),
    #[error("the query ran longer than the time limit of {} s", .0.as_secs_f32())]
    Timeout(Duration),
    #[error("evaluation failed: {0}")]
    Evaluation(String),
}

impl QueryError {
    pub fn status(&self) -> u16 {
        match self {
            QueryError::BadRequest(_) | QueryError::Syntax(_) => 400,
            QueryError::Timeout(_) => 503,
            QueryError::Evaluation(_) => 500,
        }
    }

    pub fn response(&self) -> Response {
        Response::error(self.status(), &self.to_string())
    }

    pub(super) fn from_evaluation(e: QueryEvaluationError, deadline: &Deadline) -> QueryError {
        if deadline.expired() || matches!(e, QueryEvaluationError::Cancelled) {
            QueryError::Timeout(deadline.limit())
        } else {
            QueryError::Evaluation(one_line(&e.to_string()))
        }
    }
}

pub(super) fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// An evaluator with musubi's prefixes and the deadline's token.
pub(super) fn evaluator(deadline: &Deadline) -> SparqlEvaluator {
    let mut evaluator = SparqlEvaluator::new().with_cancellation_token(deadline.token());
    for (p, iri) in PREFIXES {
        evaluator = evaluator
            .with_prefix(p, iri)
            .expect("the built-in prefixes are valid IRIs");
    }
    evaluator
}

/// Parses a query; the default graph is the union unless the query says otherwise.
pub(super) fn prepare(text: &str, deadline: &Deadline) -> Result<PreparedSparqlQuery, QueryError> {
    let mut prepared = evaluator(deadline)
        .parse_query(text)
        .map_err(|e| QueryError::Syntax(syntax_message(&e.to_string())))?;
    if prepared.dataset().is_default_dataset() {
        prepared.dataset_mut().set_default_graph_as_union();
    }
    Ok(prepared)
}

/// The parser lists every token it expected; a short message needs only where.
fn syntax_message(s: &str) -> String {
    match s.split_once(": expected one of") {
        Some((at, _)) => format!("{at}: unexpected input"),
        None => one_line(s),
    }
}

/// What a protocol request asks for, once its parameters are read.
struct Operation {
    kind: Kind,
    text: String,
    default_graphs: Vec<String>,
    named_graphs: Vec<String>,
}

#[derive(PartialEq)]
enum Kind {
    Query,
    Update,
}

/// The formats offered for SELECT and ASK results, in order of preference.
const RESULT_FORMATS: [(&str, QueryResultsFormat); 7] = [
    ("application/sparql-results+json", QueryResultsFormat::Json),
    ("application/json", QueryResultsFormat::Json),
    ("application/sparql-results+xml", QueryResultsFormat::Xml),
    ("application/xml", QueryResultsFormat::Xml),
    ("text/csv", QueryResultsFormat::Csv),
    ("text/tab-separated-values", QueryResultsFormat::Tsv),
    ("text/plain", QueryResultsFormat::Tsv),
];

/// The formats offered for CONSTRUCT and DESCRIBE results.
const GRAPH_FORMATS: [(&str, RdfFormat); 5] = [
    ("text/turtle", RdfFormat::Turtle),
    ("application/n-triples", RdfFormat::NTriples),
    ("application/rdf+xml", RdfFormat::RdfXml),
    ("text/plain", RdfFormat::NTriples),
    ("application/x-turtle", RdfFormat::Turtle),
];

/// A `format` parameter (json, xml, csv, tsv, ttl, nt…) for links a person
/// clicks, where no `Accept` header can be set; it wins over `Accept`.
fn format_override(name: &str) -> Option<&'static str> {
    Some(match name {
        "json" => "application/sparql-results+json",
        "xml" => "application/sparql-results+xml",
        "csv" => "text/csv",
        "tsv" => "text/tab-separated-values",
        "turtle" | "ttl" => "text/turtle",
        "ntriples" | "nt" => "application/n-triples",
        "rdfxml" => "application/rdf+xml",
        _ => return None,
    })
}

/// Answers a request to `/sparql`.
pub fn handle(app: &App, req: &Request) -> Response {
    match operation(app, req) {
        Ok(None) => Response::redirect("/query"),
        Ok(Some(op)) => {
            let accept = req
                .param("format")
                .and_then(|f| format_override(&f))
                .map(str::to_string)
                .or_else(|| req.header("accept").map(str::to_string));
            let result = match op.kind {
                Kind::Query => run_query(app, &op, accept.as_deref()),
                Kind::Update => run_update(app, &op),
            };
            result.unwrap_or_else(|e| e.response())
        }
        Err(response) => response,
    }
}

/// Reads the operation from the request; `Ok(None)` is a browser asking for the
/// endpoint itself (sent on to the query page).
fn operation(app: &App, req: &Request) -> Result<Option<Operation>, Response> {
    let limit = app.options.max_query_bytes;
    let too_long = |status| {
        Response::error(
            status,
            &format!("the request is longer than the limit of {limit} bytes"),
        )
    };
    if req.query_string.len() > limit {
        return Err(too_long(414));
    }
    let url_params = req
        .params()
        .ok_or_else(|| Response::error(400, "the query string is not valid UTF-8"))?;
    let (params, direct) = match &req.method {
        Method::Get | Method::Head => (url_params, None),
        Method::Post => match req.content_type().as_deref() {
            Some("application/x-www-form-urlencoded") => {
                let mut form = parse_form(&req.body)
                    .ok_or_else(|| Response::error(400, "the form is not valid UTF-8"))?;
                form.extend(url_params);
                (form, None)
            }
            Some(t @ ("application/sparql-query" | "application/sparql-update")) => {
                let text = String::from_utf8(req.body.clone())
                    .map_err(|_| Response::error(400, "the body is not valid UTF-8"))?;
                let kind = if t == "application/sparql-query" {
                    Kind::Query
                } else {
                    Kind::Update
                };
                (url_params, Some((kind, text)))
            }
            Some(other) => {
                return Err(Response::error(
                    415,
                    &format!(
                        "unsupported content type {other:?}: POST application/sparql-query, \
                         application/sparql-update or application/x-www-form-urlencoded"
                    ),
                ))
            }
            None => {
                return Err(Response::error(
                    415,
                    "a POST needs a Content-Type: application/sparql-query, \
                     application/sparql-update or application/x-www-form-urlencoded",
                ))
            }
        },
        Method::Other(m) => {
            return Err(
                Response::error(405, &format!("method {m} is not allowed on /sparql"))
                    .with_header("Allow", "GET, POST"),
            )
        }
    };
    let values = |name: &str| -> Vec<String> {
        params
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    };
    let queries = values("query");
    let updates = values("update");
    let (kind, text) = match (direct, queries.len(), updates.len()) {
        (Some((kind, text)), 0, 0) => (kind, text),
        (Some(_), _, _) => {
            return Err(Response::error(
                400,
                "the query or update is in the body: do not also pass it as a parameter",
            ))
        }
        (None, 1, 0) => (Kind::Query, queries.into_iter().next().unwrap_or_default()),
        (None, 0, 1) => {
            if req.method != Method::Post {
                return Err(Response::error(400, "an update must be sent by POST"));
            }
            (Kind::Update, updates.into_iter().next().unwrap_or_default())
        }
        (None, 0, 0) => {
            let browser = req
                .header("accept")
                .is_some_and(|a| a.contains("text/html"));
            if browser && params.is_empty() && req.method == Method::Get {
                return Ok(None);
            }
            return Err(Response::error(
                400,
                "missing the query (or update) parameter; the query page is at /query",
            ));
        }
        _ => {
            return Err(Response::error(
                400,
                "give exactly one query or one update parameter",
            ))
        }
    };
    if text.len() > limit {
        return Err(too_long(413));
    }
    let (default_graphs, named_graphs) = match kind {
        Kind::Query => (values("default-graph-uri"), values("named-graph-uri")),
        Kind::Update => (values("using-graph-uri"), values("using-named-graph-uri")),
    };
    Ok(Some(Operation {
        kind,
        text,
        default_graphs,
        named_graphs,
    }))
}

fn iris(list: &[String]) -> Result<Vec<NamedNode>, QueryError> {
    list.iter()
        .map(|s| {
            NamedNode::new(s.as_str())
                .map_err(|e| QueryError::BadRequest(format!("invalid graph IRI {s:?}: {e}")))
        })
        .collect()
}

fn run_query(app: &App, op: &Operation, accept: Option<&str>) -> Result<Response, QueryError> {
    let deadline = app.deadlines.start(app.options.query_timeout);
    let mut prepared = prepare(&op.text, &deadline)?;
    if !op.default_graphs.is_empty() || !op.named_graphs.is_empty() {
        let default = iris(&op.default_graphs)?;
        let named = iris(&op.named_graphs)?;
        let dataset = prepared.dataset_mut();
        dataset.set_default_graph(default.into_iter().map(GraphName::from).collect());
        if !named.is_empty() {
            dataset.set_available_named_graphs(
                named.into_iter().map(NamedOrBlankNode::from).collect(),
            );
        }
    }
    let results = prepared
        .on_store(app.store.oxigraph())
        .execute()
        .map_err(|e| QueryError::from_evaluation(e, &deadline))?;
    let not_acceptable = |offers: &[&str]| {
        Ok(Response::error(
            406,
            &format!(
                "cannot answer in the accepted types; offered: {}",
                offers.join(", ")
            ),
        ))
    };
    let mut body = Vec::new();
    let fail = |e: std::io::Error| QueryError::Evaluation(one_line(&e.to_string()));
    let media = match results {
        QueryResults::Boolean(b) => {
            let Some(format) = negotiate(accept, &RESULT_FORMATS) else {
                return not_acceptable(&RESULT_FORMATS.map(|o| o.0));
            };
            QueryResultsSerializer::from_format(format)
                .serialize_boolean_to_writer(&mut body, b)
                .map_err(fail)?;
            format.media_type()
        }
        QueryResults::Solutions(rows) => {
            let Some(format) = negotiate(accept, &RESULT_FORMATS) else {
                return not_acceptable(&RESULT_FORMATS.map(|o| o.0));
            };
            let mut ser = QueryResultsSerializer::from_format(format)
                .serialize_solutions_to_writer(&mut body, rows.variables().to_vec())
                .map_err(fail)?;
            for row in rows {
                let row = row.map_err(|e| QueryError::from_evaluation(e, &deadline))?;
                ser.serialize(row.iter()).map_err(fail)?;
            }
            ser.finish().map_err(fail)?;
            format.media_type()
        }
        QueryResults::Graph(triples) => {
            let Some(format) = negotiate(accept, &GRAPH_FORMATS) else {
                return not_acceptable(&GRAPH_FORMATS.map(|o| o.0));
            };
            let mut ser = RdfSerializer::from_format(format);
            if format == RdfFormat::Turtle {
                for (p, iri) in PREFIXES {
                    ser = ser.with_prefix(p, iri).expect("valid prefix");
                }
            }
            let mut writer = ser.for_writer(&mut body);
            for t in triples {
                let t = t.map_err(|e| QueryError::from_evaluation(e, &deadline))?;
                writer.serialize_triple(&t).map_err(fail)?;
            }
            writer.finish().map_err(fail)?;
            format.media_type()
        }
    };
    let content_type = if media.starts_with("text/") {
        format!("{media}; charset=utf-8")
    } else {
        media.to_string()
    };
    Ok(Response::new(200, &content_type, body).with_header("Vary", "Accept"))
}

fn run_update(app: &App, op: &Operation) -> Result<Response, QueryError> {
    if !app.options.writable {
        return Ok(Response::error(
            403,
            "this server is read-only: updates are refused (start musubi serve with --writable to allow them)",
        ));
    }
    let deadline = app.deadlines.start(app.options.query_timeout);
    let mut prepared = evaluator(&deadline)
        .parse_update(&op.text)
        .map_err(|e| QueryError::Syntax(syntax_message(&e.to_string())))?;
    if !op.default_graphs.is_empty() || !op.named_graphs.is_empty() {
        let default = iris(&op.default_graphs)?;
        let named = iris(&op.named_graphs)?;
        for dataset in prepared.using_datasets_mut() {
            if !dataset.is_default_dataset() {
                return Err(QueryError::BadRequest(
                    "the update has its own USING or WITH: do not also pass using-graph-uri".into(),
                ));
            }
            dataset.set_default_graph(default.iter().cloned().map(GraphName::from).collect());
            dataset.set_available_named_graphs(
                named.iter().cloned().map(NamedOrBlankNode::from).collect(),
            );
        }
    }
    prepared
        .on_store(app.store.oxigraph())
        .execute()
        .map_err(|e| {
            if deadline.expired() {
                QueryError::Timeout(deadline.limit())
            } else {
                QueryError::Evaluation(one_line(&e.to_string()))
            }
        })?;
    app.reload_catalog();
    Ok(Response::error(200, "update done"))
}
