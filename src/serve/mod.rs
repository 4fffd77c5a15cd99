//! `musubi serve`: the store over HTTP, for people and for their tools.
//!
//! - `/sparql` is a SPARQL 1.1 Protocol endpoint ([`sparql`]) that YASGUI,
//!   rdflib or a notebook can point at; it is read-only unless the server was
//!   started writable.
//! - The pages ([`pages`]) are server-rendered HTML that work without
//!   JavaScript: search by any spelling, an entity with its facts and their
//!   sentences, an article with its mentions highlighted, a query box.
//! - The pictures ([`graph`]) are SVG from GraphViz with clickable nodes.
//!
//! The HTTP crate is tiny_http: a small synchronous server, since every request
//! here is a short synchronous read of the store. Its accept thread hands
//! parsed requests to a fixed pool of worker threads; each answers one request
//! at a time with a pure function from [`http::Request`] to [`http::Response`].
//! A panic in a handler becomes a 500 for that request and the worker carries
//! on; every query runs under a time limit ([`crate::limits`]), so one bad
//! client cannot take the server down or hold all its workers for long.
pub mod catalog;
pub mod graph;
pub mod html;
pub mod http;
pub mod pages;
pub mod sparql;

use std::collections::HashMap;
use std::io::Read;
use std::net::{SocketAddr, TcpListener};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use oxigraph::model::Term;
use oxigraph::sparql::QueryResults;

use crate::limits::Deadlines;
use crate::store::Store;

use catalog::Catalog;
use http::{Method, Request, Response};
use sparql::QueryError;

/// How the server runs.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Where to listen; loopback unless the user says otherwise.
    pub bind: String,
    /// Allow SPARQL updates. The store must then be opened for writing.
    pub writable: bool,
    /// Longest a query may run before it is stopped.
    pub query_timeout: Duration,
    /// Most rows or facts a page lists (the endpoint has no row limit).
    pub page_rows: usize,
    /// Longest query or request body accepted, in bytes.
    pub max_query_bytes: usize,
    /// Worker threads answering requests.
    pub threads: usize,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            bind: "127.0.0.1:7878".into(),
            writable: false,
            query_timeout: Duration::from_secs(30),
            page_rows: 500,
            max_query_bytes: 64 * 1024,
            threads: 8,
        }
    }
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: String,
        #[source]
        source: std::io::Error,
    },
    #[error("reading the store for the pages: {0}")]
    Catalog(#[source] crate::error::Error),
    #[error("starting the HTTP server: {0}")]
    Http(String),
}

/// The state every request reads: the store, the options, the catalog.
pub struct App {
    store: Store,
    options: ServeOptions,
    deadlines: Deadlines,
    catalog: RwLock<Arc<Catalog>>,
    /// Rendered pictures by request, so a page reloaded or a filter toggled back
    /// does not run GraphViz again. Emptied when full or after an update.
    svg_cache: Mutex<HashMap<String, Arc<Vec<u8>>>>,
}

const SVG_CACHE_ENTRIES: usize = 512;

impl App {
    /// Reads the catalog of the store; the app then answers requests.
    pub fn new(store: Store, options: ServeOptions) -> Result<App, ServeError> {
        let catalog = Catalog::load(&store).map_err(ServeError::Catalog)?;
        Ok(App {
            store,
            options,
            deadlines: Deadlines::new(),
            catalog: RwLock::new(Arc::new(catalog)),
            svg_cache: Mutex::new(HashMap::new()),
        })
    }

    pub fn options(&self) -> &ServeOptions {
        &self.options
    }

    fn catalog(&self) -> Arc<Catalog> {
        Arc::clone(&self.catalog.read().unwrap_or_else(|e| e.into_inner()))
    }

    /// After an update: the pages see the new names and articles.
    fn reload_catalog(&self) {
        if let Ok(c) = Catalog::load(&self.store) {
            *self.catalog.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(c);
        }
        self.svg_cache
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }

    /// Runs a SELECT of a page under the time limit. The default graph is the
    /// store's own (entities and article metadata); `GRAPH ?g` reaches facts.
    fn select(&self, sparql: &str) -> Result<Vec<Vec<Option<Term>>>, QueryError> {
        let deadline = self.deadlines.start(self.options.query_timeout);
        let prepared = sparql::evaluator(&deadline)
            .parse_query(sparql)
            .map_err(|e| QueryError::Syntax(sparql::one_line(&e.to_string())))?;
        match prepared
            .on_store(self.store.oxigraph())
            .execute()
            .map_err(|e| QueryError::from_evaluation(e, &deadline))?
        {
            QueryResults::Solutions(rows) => rows
                .map(|r| {
                    r.map(|s| s.values().to_vec())
                        .map_err(|e| QueryError::from_evaluation(e, &deadline))
                })
                .collect(),
            _ => Err(QueryError::Evaluation("expected a SELECT query".into())),
        }
    }

    /// Answers one request. Never panics: a panic inside becomes a 500.
    pub fn handle(&self, req: &Request) -> Response {
        catch_unwind(AssertUnwindSafe(|| self.route(req)))
            .unwrap_or_else(|_| Response::error(500, "internal error while answering this request"))
    }

    fn route(&self, req: &Request) -> Response {
        if req.path == "/sparql" {
            return sparql::handle(self, req);
        }
        if !matches!(req.method, Method::Get | Method::Head) {
            return Response::error(405, "only GET is allowed here (POST queries to /sparql)")
                .with_header("Allow", "GET");
        }
        pages::handle(self, req)
    }
}

/// A running HTTP server over one store.
pub struct Server {
    http: Arc<tiny_http::Server>,
    app: Arc<App>,
    addr: SocketAddr,
}

impl Server {
    /// Listens on `options.bind` (port 0 picks a free port) and reads the
    /// catalog; [`Server::run`] then answers requests.
    pub fn bind(store: Store, options: ServeOptions) -> Result<Server, ServeError> {
        let listener = TcpListener::bind(&options.bind).map_err(|source| ServeError::Bind {
            addr: options.bind.clone(),
            source,
        })?;
        let addr = listener.local_addr().map_err(|source| ServeError::Bind {
            addr: options.bind.clone(),
            source,
        })?;
        let app = App::new(store, options)?;
        let http = tiny_http::Server::from_listener(listener, None)
            .map_err(|e| ServeError::Http(e.to_string()))?;
        Ok(Server {
            http: Arc::new(http),
            app: Arc::new(app),
            addr,
        })
    }

    /// The address it listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// Answers requests until the process ends.
    pub fn run(self) {
        let workers: Vec<_> = (0..self.app.options.threads.max(1))
            .map(|i| {
                let http = Arc::clone(&self.http);
                let app = Arc::clone(&self.app);
                std::thread::Builder::new()
                    .name(format!("serve-{i}"))
                    .spawn(move || worker(&http, &app))
                    .expect("spawning a server thread")
            })
            .collect();
        for w in workers {
            let _ = w.join();
        }
    }
}

/// Starts the server and answers requests until the process ends.
pub fn serve(store: Store, options: ServeOptions) -> Result<(), ServeError> {
    Server::bind(store, options)?.run();
    Ok(())
}

fn worker(http: &tiny_http::Server, app: &App) {
    loop {
        let mut rq = match http.recv() {
            Ok(rq) => rq,
            Err(_) => continue,
        };
        let req = read_request(&mut rq, app.options.max_query_bytes);
        let resp = app.handle(&req);
        let mut out = tiny_http::Response::from_data(resp.body).with_status_code(resp.status);
        for (name, value) in &resp.headers {
            if let Ok(h) = tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()) {
                out.add_header(h);
            }
        }
        // A client that went away is no concern of the others.
        let _ = rq.respond(out);
    }
}

/// The request as a value, its body read up to `limit` bytes.
fn read_request(rq: &mut tiny_http::Request, limit: usize) -> Request {
    let method = match rq.method() {
        tiny_http::Method::Get => Method::Get,
        tiny_http::Method::Head => Method::Head,
        tiny_http::Method::Post => Method::Post,
        other => Method::Other(other.as_str().to_string()),
    };
    let url = rq.url().to_string();
    let (path, query) = url.split_once('?').unwrap_or((&url, ""));
    let headers = rq
        .headers()
        .iter()
        .map(|h| {
            (
                h.field.as_str().as_str().to_ascii_lowercase(),
                h.value.as_str().to_string(),
            )
        })
        .collect();
    let mut body = Vec::new();
    let declared = rq.body_length().unwrap_or(0);
    let body_too_long = declared > limit || {
        let _ = rq.as_reader().take(limit as u64 + 1).read_to_end(&mut body);
        body.len() > limit
    };
    Request {
        method,
        path: http::percent_decode(path),
        query_string: query.to_string(),
        headers,
        body,
        body_too_long,
    }
}
