//! The writers' lock of a remote store.
use std::time::Duration;

use oxigraph::model::Literal;

use super::{literal, RemoteStore, LOCK_GRAPH};
use crate::error::{Error, Result};

/// The writers' lock: a lease in [`LOCK_GRAPH`].
///
/// A writer inserts its own lease triple, then reads the graph: if its lease
/// is the only live one it holds the lock; otherwise it withdraws its lease and
/// tries again after a random pause. Two writers that both inserted see both
/// leases (each reads after its own insert, so whichever reads second sees the
/// first's), and at most one of them can see its lease alone. This needs
/// nothing of the server but that a read sees the updates completed before it,
/// which a single SPARQL server gives. A lease names its holder and an expiry,
/// so the lock of a writer that died is taken over once the lease runs out.
pub struct Lock<'a> {
    store: &'a RemoteStore,
    lease: String,
    released: bool,
}

/// How long a lease lasts; a writer renews it with each batch.
const LEASE: Duration = Duration::from_secs(600);
/// How long a writer waits for the lock before giving up.
const LOCK_WAIT: Duration = Duration::from_secs(1800);

impl<'a> Lock<'a> {
    pub fn acquire(store: &'a RemoteStore) -> Result<Lock<'a>> {
        let started = std::time::Instant::now();
        let mut attempt: u32 = 0;
        loop {
            let now = unix_now();
            let lease = format!("{} until {}", store.writer_id, now + LEASE.as_secs());
            let lease_literal = Literal::new_simple_literal(&lease);
            store.update(&format!(
                "INSERT DATA {{ GRAPH <{LOCK_GRAPH}> {{ <{LOCK_GRAPH}> mo:lease {lease_literal} }} }}"
            ))?;
            let rows = store.select(&format!(
                "SELECT ?lease WHERE {{ GRAPH <{LOCK_GRAPH}> {{ <{LOCK_GRAPH}> mo:lease ?lease }} }}"
            ))?;
            let leases: Vec<String> = rows
                .into_iter()
                .filter_map(|r| literal(r.first()?.as_ref()))
                .collect();
            let (live, dead): (Vec<&String>, Vec<&String>) = leases
                .iter()
                .partition(|l| lease_expiry(l).is_some_and(|t| t > now));
            if !dead.is_empty() {
                let dead: String = dead
                    .iter()
                    .map(|l| {
                        format!(
                            "<{LOCK_GRAPH}> mo:lease {} .\n",
                            Literal::new_simple_literal(*l)
                        )
                    })
                    .collect();
                store.update(&format!(
                    "DELETE DATA {{ GRAPH <{LOCK_GRAPH}> {{ {dead} }} }}"
                ))?;
            }
            let mut lock = Lock {
                store,
                lease,
                released: false,
            };
            if live.len() == 1 && *live[0] == lock.lease {
                return Ok(lock);
            }
            lock.withdraw()?;
            lock.released = true;
            if started.elapsed() > LOCK_WAIT {
                let holder = live
                    .iter()
                    .find(|l| **l != &lock.lease)
                    .map_or("another writer", |l| l.as_str());
                return Err(Error::Endpoint {
                    url: store.endpoint.update_url().to_string(),
                    problem: format!("the store's lock is held by {holder}; gave up waiting"),
                });
            }
            attempt += 1;
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.subsec_nanos());
            let pause = 20 + u64::from(nanos % 100) * u64::from(attempt.min(10));
            std::thread::sleep(Duration::from_millis(pause));
        }
    }

    fn withdraw(&self) -> Result<()> {
        self.store.update(&format!(
            "DELETE DATA {{ GRAPH <{LOCK_GRAPH}> {{ <{LOCK_GRAPH}> mo:lease {} }} }}",
            Literal::new_simple_literal(&self.lease)
        ))
    }

    /// Gives the lock up.
    pub fn release(mut self) -> Result<()> {
        self.released = true;
        self.withdraw()
    }
}

impl Drop for Lock<'_> {
    fn drop(&mut self) {
        if !self.released {
            // After an error: give the lock back if the server still answers.
            let _ = self.withdraw();
        }
    }
}

fn lease_expiry(lease: &str) -> Option<u64> {
    lease.rsplit_once(" until ")?.1.parse().ok()
}

fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leases_name_their_expiry() {
        assert_eq!(
            lease_expiry("host-1-2 until 1700000000"),
            Some(1_700_000_000)
        );
        assert_eq!(lease_expiry("garbage"), None);
    }
}
