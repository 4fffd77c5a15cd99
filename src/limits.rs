//! Time limits on SPARQL evaluation.
//!
//! oxigraph stops a query when its [`CancellationToken`] is cancelled, checking
//! between steps of the evaluation (also inside sorts and groupings, before the
//! first row exists). A [`Deadline`] is such a token that one watchdog thread
//! cancels when its time is up, so a long query costs no thread of its own and
//! a caller that finishes early pays only a lock. Dropping the deadline
//! withdraws it.
//!
//! The watchdog is shared by every query of one [`Deadlines`]; it sleeps until
//! the earliest deadline, or until a new one is set, and exits when the
//! `Deadlines` and all its deadlines are gone.
use std::collections::BTreeMap;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

pub use oxigraph::sparql::CancellationToken;

/// Hands out [`Deadline`]s and cancels the queries that outlive theirs.
pub struct Deadlines {
    shared: Arc<Shared>,
}

struct Shared {
    state: Mutex<State>,
    wake: Condvar,
}

#[derive(Default)]
struct State {
    /// (when, id) → token; ordered so the first entry is the next to expire.
    pending: BTreeMap<(Instant, u64), CancellationToken>,
    next_id: u64,
    /// Set when the `Deadlines` is dropped: the watchdog exits.
    closed: bool,
    watchdog_running: bool,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding this lock leaves the map consistent (every
        // operation is one insert or remove), so a poisoned lock is still usable.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A time limit on one evaluation: pass [`Deadline::token`] to the evaluator.
pub struct Deadline {
    key: (Instant, u64),
    token: CancellationToken,
    limit: Duration,
    shared: Arc<Shared>,
}

impl Default for Deadlines {
    fn default() -> Self {
        Self::new()
    }
}

impl Deadlines {
    pub fn new() -> Deadlines {
        Deadlines {
            shared: Arc::new(Shared {
                state: Mutex::new(State::default()),
                wake: Condvar::new(),
            }),
        }
    }

    /// A deadline `limit` from now.
    pub fn start(&self, limit: Duration) -> Deadline {
        let token = CancellationToken::new();
        let when = Instant::now() + limit;
        let mut state = self.shared.lock();
        let key = (when, state.next_id);
        state.next_id += 1;
        let earliest = state.pending.keys().next().is_none_or(|first| key < *first);
        state.pending.insert(key, token.clone());
        if !state.watchdog_running {
            state.watchdog_running = true;
            let shared = Arc::clone(&self.shared);
            std::thread::Builder::new()
                .name("query-deadlines".into())
                .spawn(move || watchdog(&shared))
                .expect("spawning the query watchdog thread");
        } else if earliest {
            self.shared.wake.notify_one();
        }
        Deadline {
            key,
            token,
            limit,
            shared: Arc::clone(&self.shared),
        }
    }
}

impl Drop for Deadlines {
    fn drop(&mut self) {
        self.shared.lock().closed = true;
        self.shared.wake.notify_one();
    }
}

impl Deadline {
    /// The token the evaluator checks.
    pub fn token(&self) -> CancellationToken {
        self.token.clone()
    }
    /// True once the time is up (the query has been or is being stopped).
    pub fn expired(&self) -> bool {
        self.token.is_cancelled()
    }
    /// The time limit this deadline was set with.
    pub fn limit(&self) -> Duration {
        self.limit
    }
}

impl Drop for Deadline {
    fn drop(&mut self) {
        self.shared.lock().pending.remove(&self.key);
    }
}

fn watchdog(shared: &Shared) {
    let mut state = shared.lock();
    loop {
        let now = Instant::now();
        while let Some(entry) = state.pending.first_entry() {
            if entry.key().0 > now {
                break;
            }
            entry.remove().cancel();
        }
        if state.closed && state.pending.is_empty() {
            state.watchdog_running = false;
            return;
        }
        state = match state.pending.keys().next() {
            Some(&(when, _)) => {
                shared
                    .wake
                    .wait_timeout(state, when.saturating_duration_since(now))
                    .unwrap_or_else(|e| e.into_inner())
                    .0
            }
            None => shared.wake.wait(state).unwrap_or_else(|e| e.into_inner()),
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_deadline_cancels_its_token_when_time_is_up() {
        let deadlines = Deadlines::new();
        let long = deadlines.start(Duration::from_secs(60));
        let short = deadlines.start(Duration::from_millis(20));
        std::thread::sleep(Duration::from_millis(200));
        assert!(short.expired());
        assert!(!long.expired());
    }

    #[test]
    fn a_dropped_deadline_is_withdrawn() {
        let deadlines = Deadlines::new();
        let d = deadlines.start(Duration::from_millis(10));
        drop(d);
        assert!(deadlines.shared.lock().pending.is_empty());
    }

    #[test]
    fn a_long_query_is_stopped() {
        use oxigraph::model::{GraphNameRef, Literal, NamedNodeRef, QuadRef};
        let store = oxigraph::store::Store::new().unwrap();
        let s = NamedNodeRef::new("urn:s").unwrap();
        for i in 0..100 {
            let o = Literal::from(i);
            store
                .insert(QuadRef::new(s, s, &o, GraphNameRef::DefaultGraph))
                .unwrap();
        }
        let deadlines = Deadlines::new();
        let deadline = deadlines.start(Duration::from_millis(50));
        let started = Instant::now();
        // A hundred million rows: many seconds unless stopped. oxigraph checks
        // the token as it reads the store, so the query must read it.
        let q = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }";
        let results = oxigraph::sparql::SparqlEvaluator::new()
            .with_cancellation_token(deadline.token())
            .parse_query(q)
            .unwrap()
            .on_store(&store)
            .execute();
        let failed = match results {
            Err(_) => true,
            Ok(oxigraph::sparql::QueryResults::Solutions(mut rows)) => {
                rows.next().is_some_and(|r| r.is_err())
            }
            Ok(_) => false,
        };
        assert!(failed && deadline.expired());
        assert!(started.elapsed() < Duration::from_secs(5));
    }
}
