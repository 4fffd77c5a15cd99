//! SPARQL with limits, so that no query can run away: a time limit, a memory
//! limit and a cap on the rows a caller keeps. `musubi query` and `musubi serve`
//! both run queries through [`run`].
//!
//! oxigraph evaluates lazily and checks a cancellation token each time it reads
//! the store; a watchdog thread cancels it when the time is up or when the
//! process has grown past the memory limit (checked ten times a second, on
//! Linux), and the next row then comes back as [`Error::QueryTimeout`] or
//! [`Error::QueryTooLarge`]. A query that joins or sorts in memory can go on for
//! long without reading the store (a sort over a cartesian product), and so
//! without seeing the token: if no row comes back within a grace second, the
//! watchdog calls [`QueryLimits::on_stuck`], which for `musubi query` ends the
//! process with the same one-line error. The memory limit is on the whole process, since
//! that is what runs out: a query that sorts or groups everything holds it all
//! before its first row, however few rows it returns. Rows past `max_rows` are
//! not read at all, so a cartesian product costs no more than its first rows.
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::mpsc::{channel, RecvTimeoutError, Sender};
use std::sync::Arc;
use std::time::{Duration, Instant};

use oxigraph::model::{Triple, Variable};
use oxigraph::sparql::{
    CancellationToken, QueryEvaluationError, QueryResults, QuerySolution, QuerySolutionIter,
    QueryTripleIter,
};

use crate::error::{Error, Result};
use crate::store::Store;

/// Limits on one query. `None` is no limit.
#[derive(Debug, Clone, Copy, Default)]
pub struct QueryLimits {
    /// Wall-clock time from the start of the query to its last row.
    pub timeout: Option<Duration>,
    /// Resident memory of the process (bytes) past which the query is stopped.
    pub max_memory: Option<u64>,
    /// Rows (solutions or triples) handed out; the rest are never computed.
    pub max_rows: Option<usize>,
    /// Called from the watchdog thread with the error when a stopped query has
    /// not noticed within [`GRACE`]: oxigraph cannot be interrupted otherwise.
    /// A command exits; a server may log and restart. None: wait for it.
    pub on_stuck: Option<fn(Error)>,
}

/// How long a stopped query has to notice before [`QueryLimits::on_stuck`].
pub const GRACE: Duration = Duration::from_secs(1);

/// A query's answer, read row by row under the limits.
pub enum Answer {
    Boolean(bool),
    Solutions(Rows<QuerySolution>),
    Graph(Rows<Triple>),
}

/// Rows of an answer: stops after `max_rows` (then [`Rows::truncated`] says
/// so) and turns a stop by the watchdog into the error that says why.
pub struct Rows<T> {
    inner: RowSource,
    variables: Vec<Variable>,
    watchdog: Watchdog,
    left: Option<usize>,
    truncated: bool,
    _row: std::marker::PhantomData<T>,
}

enum RowSource {
    Solutions(QuerySolutionIter<'static>),
    Triples(QueryTripleIter<'static>),
}

impl<T> Rows<T> {
    fn new(
        inner: RowSource,
        variables: Vec<Variable>,
        watchdog: Watchdog,
        max_rows: Option<usize>,
    ) -> Rows<T> {
        Rows {
            inner,
            variables,
            watchdog,
            left: max_rows,
            truncated: false,
            _row: std::marker::PhantomData,
        }
    }

    /// The SELECT's variables, in order (none for a graph).
    pub fn variables(&self) -> &[Variable] {
        &self.variables
    }

    /// True once the rows stopped at `max_rows` with more to come.
    pub fn truncated(&self) -> bool {
        self.truncated
    }
}

trait FromSource: Sized {
    fn next_from(source: &mut RowSource) -> Option<Result<Self, QueryEvaluationError>>;
}

impl FromSource for QuerySolution {
    fn next_from(source: &mut RowSource) -> Option<Result<Self, QueryEvaluationError>> {
        match source {
            RowSource::Solutions(s) => s.next(),
            RowSource::Triples(_) => None,
        }
    }
}

impl FromSource for Triple {
    fn next_from(source: &mut RowSource) -> Option<Result<Self, QueryEvaluationError>> {
        match source {
            RowSource::Triples(t) => t.next(),
            RowSource::Solutions(_) => None,
        }
    }
}

#[allow(private_bounds)]
impl<T: FromSource> Iterator for Rows<T> {
    type Item = Result<T>;

    fn next(&mut self) -> Option<Result<T>> {
        if let Some(e) = self.watchdog.stopped() {
            return Some(Err(e));
        }
        if self.left == Some(0) {
            if !self.truncated {
                // One more row read to know whether there was more.
                self.truncated = matches!(T::next_from(&mut self.inner), Some(Ok(_)));
            }
            return None;
        }
        let row = T::next_from(&mut self.inner)?;
        if let Some(left) = &mut self.left {
            *left -= 1;
        }
        Some(row.map_err(|e| self.watchdog.error(e)))
    }
}

/// Runs `sparql` on `store` as [`Store::query_all_graphs`] does (the default
/// graph is the union of all graphs), under `limits`.
pub fn run(store: &Store, sparql: &str, limits: &QueryLimits) -> Result<Answer> {
    let watchdog = Watchdog::start(limits);
    let results = store.query_all_graphs_until(sparql, watchdog.token.clone())?;
    let max_rows = limits.max_rows;
    Ok(match results {
        QueryResults::Boolean(b) => Answer::Boolean(b),
        QueryResults::Solutions(s) => {
            let variables = s.variables().to_vec();
            Answer::Solutions(Rows::new(
                RowSource::Solutions(s),
                variables,
                watchdog,
                max_rows,
            ))
        }
        QueryResults::Graph(t) => Answer::Graph(Rows::new(
            RowSource::Triples(t),
            Vec::new(),
            watchdog,
            max_rows,
        )),
    })
}

/// Why the watchdog stopped a query.
const RUNNING: u8 = 0;
const OUT_OF_TIME: u8 = 1;
const OUT_OF_MEMORY: u8 = 2;

/// Cancels a query's token when its time is up or the process too large; ends
/// when dropped.
struct Watchdog {
    token: CancellationToken,
    stopped: Arc<AtomicU8>,
    limits: QueryLimits,
    _stop: Option<Sender<()>>,
}

impl Watchdog {
    fn start(limits: &QueryLimits) -> Watchdog {
        let token = CancellationToken::new();
        let stopped = Arc::new(AtomicU8::new(RUNNING));
        let watch_memory = limits.max_memory.filter(|_| resident_bytes().is_some());
        let stop = (limits.timeout.is_some() || watch_memory.is_some()).then(|| {
            let (stop, stopped_by_caller) = channel::<()>();
            let (token, stopped) = (token.clone(), stopped.clone());
            let deadline = limits.timeout.map(|t| Instant::now() + t);
            let (limits, on_stuck) = (*limits, limits.on_stuck);
            std::thread::spawn(move || loop {
                let now = Instant::now();
                let mut wait = deadline.map_or(Duration::MAX, |d| d.saturating_duration_since(now));
                if watch_memory.is_some() {
                    wait = wait.min(Duration::from_millis(100));
                }
                match stopped_by_caller.recv_timeout(wait) {
                    Err(RecvTimeoutError::Timeout) => {}
                    _ => return,
                }
                let why = if deadline.is_some_and(|d| Instant::now() >= d) {
                    OUT_OF_TIME
                } else if watch_memory.is_some_and(|max| resident_bytes().unwrap_or(0) > max) {
                    OUT_OF_MEMORY
                } else {
                    continue;
                };
                stopped.store(why, Ordering::SeqCst);
                token.cancel();
                // Dropping the rows (after their error, or done) ends the wait.
                if stopped_by_caller.recv_timeout(GRACE) == Err(RecvTimeoutError::Timeout) {
                    if let Some(on_stuck) = on_stuck {
                        on_stuck(stop_error(why, &limits));
                    }
                }
                return;
            });
            stop
        });
        Watchdog {
            token,
            stopped,
            limits: *limits,
            _stop: stop,
        }
    }

    /// The error of a stopped query, if the watchdog stopped it.
    fn stopped(&self) -> Option<Error> {
        match self.stopped.load(Ordering::SeqCst) {
            RUNNING => None,
            why => Some(stop_error(why, &self.limits)),
        }
    }

    fn error(&self, e: QueryEvaluationError) -> Error {
        self.stopped().unwrap_or_else(|| Error::SparqlEvaluation(e))
    }
}

fn stop_error(why: u8, limits: &QueryLimits) -> Error {
    if why == OUT_OF_MEMORY {
        Error::QueryTooLarge(limits.max_memory.unwrap_or_default())
    } else {
        Error::QueryTimeout(limits.timeout.unwrap_or_default())
    }
}

/// The process's resident memory in bytes, where the system tells it.
fn resident_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> Store {
        let store = Store::in_memory().unwrap();
        let rows: String = (0..300)
            .map(|i| format!("<http://e/{i}> <http://e/p> {i} .\n"))
            .collect();
        let vocabulary = crate::vocabulary::Vocabulary::parse(crate::rules::VOCABULARY.1).unwrap();
        store
            .load_reference(&vocabulary, &[("rows".into(), rows)])
            .unwrap();
        store
    }

    #[test]
    fn a_cartesian_product_stops_at_its_time_limit() {
        let limits = QueryLimits {
            timeout: Some(Duration::from_millis(200)),
            ..QueryLimits::default()
        };
        let started = Instant::now();
        let Answer::Solutions(rows) = run(
            &store(),
            "SELECT * { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
            &limits,
        )
        .unwrap() else {
            panic!("a SELECT")
        };
        let err = rows.filter_map(Result::err).next().expect("stopped");
        assert!(matches!(err, Error::QueryTimeout(_)), "{err}");
        assert!(started.elapsed() < Duration::from_secs(5));
    }

    #[test]
    fn rows_past_the_cap_are_not_read() {
        let limits = QueryLimits {
            max_rows: Some(10),
            ..QueryLimits::default()
        };
        let Answer::Solutions(mut rows) =
            run(&store(), "SELECT * { ?a ?b ?c . ?d ?e ?f }", &limits).unwrap()
        else {
            panic!("a SELECT")
        };
        assert_eq!(rows.by_ref().count(), 10);
        assert!(rows.truncated());
    }
}
