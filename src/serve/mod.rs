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
//! Every request here is a short synchronous read of the store, so the server
//! is synchronous too ([`server`]): a thread per connection, requests parsed by
//! httparse, a fixed number answered at once, each by a pure function from
//! [`http::Request`] to [`http::Response`]. A panic in a handler becomes a 500
//! for that request and the server carries on; every query runs under a time
//! limit ([`crate::limits`]), and every size and wait a client controls is
//! bounded, so one bad client cannot take the server down.
pub mod catalog;
pub mod graph;
pub mod html;
pub mod http;
pub mod pages;
pub mod server;
pub mod sparql;

pub use server::Server;

use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use oxigraph::model::{GraphNameRef, NamedNodeRef, NamedOrBlankNodeRef, Quad, TermRef};

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
    /// Requests answered at once (each connection has its own thread).
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

    /// The quads matching a pattern, read straight from the indexes: what the
    /// pages use for lookups that start from one IRI, where a SPARQL query's
    /// planning and term conversion would cost more than the reads.
    fn quads(
        &self,
        subject: Option<NamedOrBlankNodeRef<'_>>,
        predicate: Option<NamedNodeRef<'_>>,
        object: Option<TermRef<'_>>,
        graph: Option<GraphNameRef<'_>>,
    ) -> Result<Vec<Quad>, QueryError> {
        self.store
            .oxigraph()
            .quads_for_pattern(subject, predicate, object, graph)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| QueryError::Evaluation(sparql::one_line(&e.to_string())))
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

/// Starts the server and answers requests until the process ends.
pub fn serve(store: Store, options: ServeOptions) -> Result<(), ServeError> {
    Server::bind(store, options)?.run();
    Ok(())
}
