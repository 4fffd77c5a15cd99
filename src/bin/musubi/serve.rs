//! `musubi serve`: builds the server's options from the command line and hands
//! the store to the library's server, which runs until the process ends.
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{bail, Result};

use musubi::serve::{ServeOptions, Server};
use musubi::store::Store;

use crate::output::print_line;

pub fn run(
    store_path: &Path,
    bind: String,
    writable: bool,
    query_timeout: f64,
    page_rows: usize,
    threads: usize,
) -> Result<ExitCode> {
    if !(query_timeout > 0.0 && query_timeout.is_finite()) {
        bail!("--query-timeout must be a positive number of seconds");
    }
    // Read-only unless updates are allowed: then the store's write lock is taken.
    let store = if writable {
        Store::open(store_path)?
    } else {
        Store::open_read_only(store_path)?
    };
    let options = ServeOptions {
        bind,
        writable,
        query_timeout: Duration::from_secs_f64(query_timeout),
        page_rows,
        threads,
        ..ServeOptions::default()
    };
    let server = Server::bind(store, options)?;
    print_line(&format!(
        "musubi: serving {} at http://{}/ ({})",
        store_path.display(),
        server.local_addr(),
        if writable { "writable" } else { "read-only" }
    ));
    server.run();
    Ok(ExitCode::SUCCESS)
}
