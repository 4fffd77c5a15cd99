//! Which store a command works on: the embedded one (`--store DIR`) or a
//! remote SPARQL store (`--endpoint URL` and its companions).
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Result;

use musubi::backend::Backend;
use musubi::remote::{Endpoint, RemoteStore};
use musubi::store::Store;

use crate::args::Cli;

/// The store the global flags name.
#[derive(Clone)]
pub enum Target {
    Dir(PathBuf),
    Endpoint(Endpoint),
}

impl Target {
    pub fn from_cli(cli: &Cli) -> Target {
        let Some(query) = &cli.endpoint else {
            return Target::Dir(cli.store.clone());
        };
        let mut endpoint = Endpoint::new(query);
        endpoint.update = cli.update_endpoint.clone();
        endpoint.graph_store = cli.graph_store.clone();
        endpoint.timeout = Duration::from_secs(cli.endpoint_timeout.max(1));
        if let Ok(user) = std::env::var("MUSUBI_ENDPOINT_USER") {
            let password = std::env::var("MUSUBI_ENDPOINT_PASSWORD").unwrap_or_default();
            endpoint.auth = Some((user, password));
        }
        Target::Endpoint(endpoint)
    }

    /// Opens the store; the embedded one read-only unless `write`.
    pub fn open(&self, write: bool) -> Result<Backend> {
        Ok(match self {
            Target::Endpoint(e) => Backend::Remote(RemoteStore::connect(e.clone())?),
            Target::Dir(dir) => Backend::Embedded(open_dir(dir, write)?),
        })
    }
}

fn open_dir(dir: &Path, write: bool) -> Result<Store> {
    Ok(if write {
        Store::open(dir)?
    } else {
        Store::open_read_only(dir)?
    })
}
