//! `musubi serve` without a browser: the SPARQL 1.1 Protocol's basic cases
//! (methods, media types, content negotiation, datasets, errors), the pages'
//! content and escaping, read-only refusal, time limits, and a server that
//! stays up when a client misbehaves. The store is written by hand in the RDF
//! model musubi writes (invented names), so the tests do not depend on what
//! extraction finds.
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use musubi::serve::http::{Method, Request, Response};
use musubi::serve::{App, ServeOptions, Server};
use musubi::store::Store;
use oxigraph::io::RdfFormat;

const TITLE: &str = "架空商事が新社長を発表";
const SENTENCE: &str = "架空商事は、山川一郎氏が社長に就任したと発表した。";
const SECOND: &str = "山川氏は<b>太字</b>の記者会見で語った。";
const ID: &str = "00aa11bb22cc33dd44ee55ff66778899";

/// A store holding one article with one fact, in musubi's layout.
fn store() -> Store {
    let store = Store::in_memory().unwrap();
    let text = format!("{TITLE}\n{SENTENCE}\n{SECOND}");
    let start = TITLE.chars().count() + 1;
    let end = start + SENTENCE.chars().count();
    let trig = format!(
        r#"
@prefix mo: <https://w3id.org/musubi/ontology#> .
@prefix person: <https://w3id.org/musubi/entity/person/> .
@prefix org: <https://w3id.org/musubi/entity/organization/> .
@prefix art: <https://w3id.org/musubi/article/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
art:{ID} a mo:Article ; mo:sha256 "{ID}" ; dcterms:title "{TITLE}" ; dcterms:date "2024-04-01" ;
    mo:text "{text_escaped}" .
person:山川一郎 a mo:Person ; rdfs:label "山川一郎" ; skos:altLabel "山川" ; mo:mentionedIn art:{ID} .
org:架空商事 a mo:Organization ; rdfs:label "架空商事" ; skos:altLabel "カクウ商事" ;
    mo:mentionedIn art:{ID} .
person:x a mo:Person ; rdfs:label "<script>alert(1)</script>" ; mo:mentionedIn art:{ID} .
art:{ID} {{
  person:山川一郎 mo:heads org:架空商事 .
  <https://w3id.org/musubi/article/{ID}/fact/0> rdf:reifies <<( person:山川一郎 mo:heads org:架空商事 )>> ;
    a mo:Fact ; mo:sentence "{SENTENCE}" ; mo:start {start} ; mo:end {end} ; mo:rule "heads/test" ;
    mo:confidence 0.90 ; mo:asserted true ; mo:role "社長" .
  <https://w3id.org/musubi/article/{ID}/fact/1> rdf:reifies <<( org:架空商事 mo:acquired person:x )>> ;
    a mo:Fact ; mo:sentence "{SENTENCE}" ; mo:start {start} ; mo:end {end} ; mo:rule "acquired/test" ;
    mo:confidence 0.50 ; mo:asserted false .
}}
"#,
        text_escaped = text.replace('\n', "\\n")
    );
    store
        .oxigraph()
        .load_from_slice(RdfFormat::TriG, trig.as_bytes())
        .unwrap();
    store
}

fn app_with(options: ServeOptions) -> App {
    App::new(store(), options).unwrap()
}

fn app() -> App {
    app_with(ServeOptions::default())
}

fn get(app: &App, url: &str) -> Response {
    app.handle(&Request::get(url))
}

fn get_accept(app: &App, url: &str, accept: &str) -> Response {
    app.handle(&Request::get(url).with_header("Accept", accept))
}

fn post(app: &App, url: &str, content_type: Option<&str>, body: &[u8]) -> Response {
    let mut req = Request::get(url);
    req.method = Method::Post;
    req.body = body.to_vec();
    if let Some(t) = content_type {
        req = req.with_header("Content-Type", t);
    }
    app.handle(&req)
}

fn enc(s: &str) -> String {
    musubi::serve::http::encode_param(s).into_owned()
}

fn q(query: &str) -> String {
    format!("/sparql?query={}", enc(query))
}

fn content_type(r: &Response) -> String {
    r.header("content-type").unwrap_or("").to_string()
}

const HEADS: &str =
    "SELECT ?o WHERE { <https://w3id.org/musubi/entity/person/山川一郎> mo:heads ?o }";

#[test]
fn query_by_get_answers_json_by_default_over_the_union_graph() {
    let r = get(&app(), &q(HEADS));
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(content_type(&r).starts_with("application/sparql-results+json"));
    let json: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(json["head"]["vars"][0], "o");
    assert_eq!(
        json["results"]["bindings"][0]["o"]["value"],
        "https://w3id.org/musubi/entity/organization/架空商事"
    );
}

#[test]
fn results_are_negotiated_among_the_w3c_formats() {
    let app = app();
    let cases = [
        (
            "application/sparql-results+xml",
            "application/sparql-results+xml",
            "<sparql",
        ),
        (
            "application/xml",
            "application/sparql-results+xml",
            "<sparql",
        ),
        ("text/csv", "text/csv", "o\r\n"),
        (
            "text/tab-separated-values",
            "text/tab-separated-values",
            "?o\n",
        ),
        (
            "application/json",
            "application/sparql-results+json",
            "\"bindings\"",
        ),
        (
            "text/csv;q=0.5, application/sparql-results+xml",
            "application/sparql-results+xml",
            "<sparql",
        ),
    ];
    for (accept, expected, snippet) in cases {
        let r = get_accept(&app, &q(HEADS), accept);
        assert_eq!(r.status, 200, "{accept}: {}", r.text());
        assert!(
            content_type(&r).starts_with(expected),
            "{accept} gave {}",
            content_type(&r)
        );
        assert!(r.text().contains(snippet), "{accept}: {}", r.text());
    }
    let r = get_accept(&app, &q(HEADS), "image/png");
    assert_eq!(r.status, 406);
}

#[test]
fn ask_and_construct_have_their_own_formats() {
    let app = app();
    let r = get(&app, &q("ASK { ?s mo:heads ?o }"));
    assert_eq!(r.status, 200);
    assert!(r.text().contains("\"boolean\":true"), "{}", r.text());
    let r = get_accept(
        &app,
        &q("ASK { ?s mo:heads ?o }"),
        "application/sparql-results+xml",
    );
    assert!(r.text().contains("<boolean>true</boolean>"), "{}", r.text());

    let construct = q("CONSTRUCT { ?s mo:heads ?o } WHERE { ?s mo:heads ?o }");
    let r = get_accept(&app, &construct, "text/turtle");
    assert_eq!(r.status, 200);
    assert!(content_type(&r).starts_with("text/turtle"));
    assert!(r.text().contains("mo:heads"), "{}", r.text());
    let r = get_accept(&app, &construct, "application/n-triples");
    assert!(content_type(&r).starts_with("application/n-triples"));
    assert!(r
        .text()
        .contains("<https://w3id.org/musubi/ontology#heads>"));
    let r = get_accept(&app, &construct, "application/sparql-results+json");
    assert_eq!(r.status, 406, "a graph cannot be a results table");
    let r = get(
        &app,
        &q("DESCRIBE <https://w3id.org/musubi/entity/person/山川一郎>"),
    );
    assert_eq!(r.status, 200);
    assert!(content_type(&r).starts_with("text/turtle"));
}

#[test]
fn query_by_post_of_a_form_or_of_the_query_itself() {
    let app = app();
    let form = format!("query={}", enc(HEADS));
    let r = post(
        &app,
        "/sparql",
        Some("application/x-www-form-urlencoded"),
        form.as_bytes(),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(r.text().contains("架空商事"));
    let r = post(
        &app,
        "/sparql",
        Some("application/sparql-query; charset=utf-8"),
        HEADS.as_bytes(),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(r.text().contains("架空商事"));
}

#[test]
fn the_protocol_dataset_overrides_the_union() {
    let app = app();
    let labels = "SELECT ?l WHERE { ?s rdfs:label ?l }";
    let graph = format!("https://w3id.org/musubi/article/{ID}");
    // Only the article's graph as default graph: its facts, no labels.
    let url = format!("{}&default-graph-uri={}", q(labels), enc(&graph));
    let json: serde_json::Value = serde_json::from_slice(&get(&app, &url).body).unwrap();
    assert_eq!(json["results"]["bindings"].as_array().unwrap().len(), 0);
    let url = format!("{}&default-graph-uri={}", q(HEADS), enc(&graph));
    assert!(get(&app, &url).text().contains("架空商事"));
    // Named graphs: only those given.
    let named = "SELECT ?g WHERE { GRAPH ?g { ?s mo:heads ?o } }";
    let url = format!(
        "{}&named-graph-uri={}",
        q(named),
        enc("http://example.org/none")
    );
    let json: serde_json::Value = serde_json::from_slice(&get(&app, &url).body).unwrap();
    assert_eq!(json["results"]["bindings"].as_array().unwrap().len(), 0);
    // A query's own FROM keeps its dataset (the store's default graph holds no facts).
    let from = "SELECT ?o FROM <urn:nothing> WHERE { ?s mo:heads ?o }";
    let json: serde_json::Value = serde_json::from_slice(&get(&app, &q(from)).body).unwrap();
    assert_eq!(json["results"]["bindings"].as_array().unwrap().len(), 0);
    let r = get(
        &app,
        &format!("{}&default-graph-uri=not%20an%20iri", q(HEADS)),
    );
    assert_eq!(r.status, 400);
}

/// A bad request gets a 4xx and a message of one short line.
fn assert_refused(r: &Response, status: u16) {
    assert_eq!(r.status, status, "{}", r.text());
    let text = r.text();
    assert!(
        text.trim().lines().count() == 1 && text.len() < 300,
        "not a short message: {text:?}"
    );
}

#[test]
fn bad_requests_get_4xx_with_a_short_message() {
    let app = app();
    assert_refused(&get(&app, &q("SELECT ?s WHERE { ?s ?p")), 400);
    assert!(get(&app, &q("SELEKT * {}")).text().contains("syntax"));
    assert_refused(&get(&app, "/sparql"), 400);
    assert_refused(&get(&app, &format!("{}&query=ASK{{}}", q(HEADS))), 400);
    assert_refused(
        &post(&app, "/sparql", Some("text/plain"), HEADS.as_bytes()),
        415,
    );
    assert_refused(&post(&app, "/sparql", None, HEADS.as_bytes()), 415);
    assert_refused(
        &post(
            &app,
            "/sparql",
            Some("application/sparql-query"),
            b"SELECT \xff\xfe WHERE {}",
        ),
        400,
    );
    assert_refused(
        &post(
            &app,
            "/sparql",
            Some("application/x-www-form-urlencoded"),
            b"query=%FF%FE",
        ),
        400,
    );
    let mut put = Request::get(&q(HEADS));
    put.method = Method::Other("PUT".into());
    assert_refused(&app.handle(&put), 405);
    // Too long: as a URL (414) and as a body (413).
    let long = format!("SELECT * WHERE {{ ?s ?p ?o }} #{}", "x".repeat(70_000));
    assert_refused(&get(&app, &q(&long)), 414);
    assert_refused(
        &post(
            &app,
            "/sparql",
            Some("application/sparql-query"),
            long.as_bytes(),
        ),
        413,
    );
    // Unknown things.
    assert_refused(&get(&app, "/entity?e=person/誰でもない"), 404);
    assert_refused(&get(&app, "/entity"), 400);
    assert_refused(&get(&app, "/article/ffff"), 404);
    assert_refused(&get(&app, "/graph.svg?e=person/誰でもない"), 404);
    assert_refused(&get(&app, "/no/such/page"), 404);
    // The query page shows a bad query's error in place, with a 400.
    let r = get(&app, "/query?query=SELECT%20%3Fx%20WHERE%20%7B");
    assert_eq!(r.status, 400);
    assert!(r.text().contains("SPARQL syntax error"));
}

fn count(store_app: &App) -> u64 {
    let r = get(
        store_app,
        &q("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"),
    );
    let json: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
    json["results"]["bindings"][0]["n"]["value"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap()
}

#[test]
fn updates_are_refused_unless_writable() {
    let app = app();
    let before = count(&app);
    let update = "INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> <urn:c> } }";
    let form = format!("update={}", enc(update));
    assert_refused(
        &post(
            &app,
            "/sparql",
            Some("application/x-www-form-urlencoded"),
            form.as_bytes(),
        ),
        403,
    );
    assert_refused(
        &post(
            &app,
            "/sparql",
            Some("application/sparql-update"),
            update.as_bytes(),
        ),
        403,
    );
    assert_refused(&get(&app, &format!("/sparql?update={}", enc(update))), 400);
    assert_eq!(count(&app), before, "a read-only server wrote the store");

    let app = app_with(ServeOptions {
        writable: true,
        ..ServeOptions::default()
    });
    let r = post(
        &app,
        "/sparql",
        Some("application/sparql-update"),
        update.as_bytes(),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(count(&app), before + 1);
    assert_refused(
        &post(
            &app,
            "/sparql",
            Some("application/sparql-update"),
            b"INSERT DATA { <urn:a> }",
        ),
        400,
    );
    // A new name is found by search after the update.
    let add = "INSERT DATA { <https://w3id.org/musubi/entity/person/海野二郎> a mo:Person ; rdfs:label \"海野二郎\" }";
    let r = post(
        &app,
        "/sparql",
        Some("application/sparql-update"),
        add.as_bytes(),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(get(&app, "/search?q=海野").text().contains("海野二郎"));
}

#[test]
fn a_query_over_its_time_limit_is_stopped_with_503() {
    let app = app_with(ServeOptions {
        query_timeout: Duration::from_millis(200),
        ..ServeOptions::default()
    });
    // A path search for each of millions of rows: minutes of store reads
    // (oxigraph checks the time limit as it reads the store).
    let heavy = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i \
                 FILTER EXISTS { ?a (!<urn:x>)* ?i } }";
    let started = Instant::now();
    let r = get(&app, &q(heavy));
    assert_refused(&r, 503);
    assert!(r.text().contains("time limit"), "{}", r.text());
    assert!(started.elapsed() < Duration::from_secs(10));
    // The server answers the next query as usual.
    assert_eq!(get(&app, &q(HEADS)).status, 200);
}

#[test]
fn search_finds_any_spelling_in_part() {
    let app = app();
    for query in ["カクウ商事", "カクウ", "ｶｸｳ商事", "商事", "山川"] {
        let r = get(&app, &format!("/search?q={}", enc(query)));
        assert_eq!(r.status, 200);
        let html = r.text();
        let wanted = if query == "山川" {
            "山川一郎"
        } else {
            "架空商事"
        };
        assert!(html.contains(&format!(">{wanted}</a>")), "{query}: {html}");
    }
    let html = get(&app, "/search?q=カクウ&type=Person").text();
    assert!(
        !html.contains(">架空商事</a>"),
        "the type filter let an organisation through"
    );
}

#[test]
fn the_entity_page_lists_facts_with_qualifiers_and_sentences() {
    let app = app();
    let r = get(&app, &format!("/entity?e={}", enc("person/山川一郎")));
    assert_eq!(r.status, 200, "{}", r.text());
    let html = r.text();
    for part in [
        "山川一郎",
        "山川",
        "率いる",
        "架空商事",
        SENTENCE,
        "社長",
        TITLE,
        "/graph.svg?",
    ] {
        assert!(html.contains(part), "{part} missing");
    }
    let en = get(
        &app,
        &format!("/entity?e={}&lang=en", enc("person/山川一郎")),
    );
    assert!(en.text().contains(">heads<"));
    assert_eq!(
        en.header("set-cookie"),
        Some("lang=en; Path=/; SameSite=Lax")
    );
    // The organisation sees the fact pointing to it and the one not asserted.
    let html = get(&app, &format!("/entity?e={}", enc("organization/架空商事"))).text();
    assert!(html.contains("Facts pointing to it"));
    assert!(html.contains("not asserted"));
}

#[test]
fn text_from_the_store_is_escaped() {
    let app = app();
    let html = get(&app, &format!("/entity?e={}", enc("person/x"))).text();
    assert!(!html.contains("<script>alert"), "unescaped label");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    let html = get(&app, &format!("/article/{ID}")).text();
    assert!(!html.contains("<b>太字</b>"), "unescaped article text");
    let html = get(&app, "/search?q=%3Cscript%3E").text();
    assert!(!html.contains("<script>"));
}

#[test]
fn the_article_page_marks_mentions_and_fact_sentences() {
    let app = app();
    let html = get(&app, &format!("/article/{ID}")).text();
    assert!(html.contains("class=\"ent t-Organization\""), "{html}");
    assert!(html.contains("class=\"ent t-Person\""));
    assert!(html.contains(&format!(
        "<mark class=\"fact\" id=\"s{}\"",
        TITLE.chars().count() + 1
    )));
    // The altLabel 山川 is marked in the second sentence too.
    let second = html.split("</mark>").nth(1).unwrap_or("");
    assert!(second.contains(">山川<span class=\"tag\">"), "{second}");
}

#[test]
fn pictures_link_nodes_to_their_pages() {
    if std::process::Command::new("dot")
        .arg("-V")
        .output()
        .is_err()
    {
        eprintln!("skipped: GraphViz `dot` is not installed");
        return;
    }
    let app = app();
    let r = get(&app, &format!("/graph.svg?e={}", enc("person/山川一郎")));
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(content_type(&r).starts_with("image/svg+xml"));
    let svg = r.text();
    assert!(svg.contains("/entity?e=organization/"), "{svg}");
    assert!(svg.contains("target=\"_top\""));
    // Filtering out the only relation leaves the entity alone.
    let svg = get(
        &app,
        &format!("/graph.svg?e={}&rel=founded", enc("person/山川一郎")),
    )
    .text();
    assert!(!svg.contains("organization/"));
    let r = get(&app, &format!("/graph.svg?article={ID}"));
    assert!(r.text().contains("架空商事"));
}

#[test]
fn the_query_page_shows_a_table() {
    let app = app();
    let html = get(&app, "/query").text();
    assert!(html.contains("<textarea"));
    let html = get(&app, &format!("/query?query={}", enc(HEADS))).text();
    assert!(html.contains("<table class=\"results\">"));
    assert!(html.contains("href=\"/entity?e=organization/"));
}

/// Sends raw bytes and reads the answer (until the server closes or 2 s pass).
fn raw(addr: std::net::SocketAddr, bytes: &[u8]) -> String {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(2))).unwrap();
    let _ = s.write_all(bytes);
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    String::from_utf8_lossy(&out).into_owned()
}

#[test]
fn the_server_stays_up_when_clients_misbehave() {
    let server = Server::bind(
        store(),
        ServeOptions {
            bind: "127.0.0.1:0".into(),
            threads: 2,
            ..ServeOptions::default()
        },
    )
    .unwrap();
    let addr = server.local_addr();
    assert!(addr.ip().is_loopback());
    std::thread::spawn(move || server.run());
    let ok = || {
        raw(
            addr,
            b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        )
    };
    assert!(ok().starts_with("HTTP/1.1 200"));
    // Garbage, a cut request, a client that leaves, a body shorter than announced.
    assert!(raw(addr, b"\x00\x01garbage\r\n\r\n").starts_with("HTTP/1.1 400"));
    drop(TcpStream::connect(addr).unwrap());
    let _ = raw(addr, b"GET /sparql?query=ASK");
    let mut s = TcpStream::connect(addr).unwrap();
    let _ = s.write_all(b"POST /sparql HTTP/1.1\r\nContent-Type: application/sparql-query\r\nContent-Length: 100\r\n\r\nASK");
    drop(s);
    // A body over the limit is refused without being read whole.
    let big = format!(
        "POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\nContent-Length: 10000000\r\nConnection: close\r\n\r\n{}",
        "x".repeat(1000)
    );
    assert!(raw(addr, big.as_bytes()).starts_with("HTTP/1.1 413"));
    // Chunked bodies are refused; Expect: 100-continue is answered.
    let chunked = "POST /sparql HTTP/1.1\r\nContent-Type: application/sparql-query\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nASK\r\n0\r\n\r\n";
    assert!(raw(addr, chunked.as_bytes()).starts_with("HTTP/1.1 411"));
    let expect = "POST /sparql HTTP/1.1\r\nContent-Type: application/sparql-query\r\nExpect: 100-continue\r\nContent-Length: 5\r\nConnection: close\r\n\r\nASK{}";
    let answer = raw(addr, expect.as_bytes());
    assert!(
        answer.starts_with("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200"),
        "{answer}"
    );
    // Two requests on one connection (keep-alive), the second a HEAD.
    let two = "GET /sparql?query=ASK%7B%7D HTTP/1.1\r\n\r\nHEAD /sparql?query=ASK%7B%7D HTTP/1.1\r\nConnection: close\r\n\r\n";
    let answer = raw(addr, two.as_bytes());
    assert_eq!(answer.matches("HTTP/1.1 200").count(), 2, "{answer}");
    assert_eq!(
        answer.matches("\"boolean\"").count(),
        1,
        "HEAD sent a body: {answer}"
    );
    for _ in 0..5 {
        assert!(ok().starts_with("HTTP/1.1 200"));
    }
}
