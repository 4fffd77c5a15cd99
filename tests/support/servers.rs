//! Real SPARQL servers on loopback for the remote-store tests and bench: the
//! oxigraph server (`pip install oxigraph`) and OpenLink Virtuoso 7 (Debian's
//! `virtuoso-opensource`), both installed by `.ci/setup`.
//!
//! Each is started once per test binary, in a temporary folder, on free ports.
//! A watchdog shell stops the server (by its PID) and removes its folder when
//! the test process exits, since Rust tests have no global teardown. Tests on
//! one server take its lock and clear musubi's graphs first.
#![allow(dead_code)]
use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

pub struct Server {
    pub name: &'static str,
    pub query: String,
    pub update: String,
    pub graph_store: String,
    lock: Mutex<()>,
}

impl Server {
    /// The global flags that point musubi at this server.
    pub fn args(&self) -> Vec<String> {
        vec![
            "--endpoint".into(),
            self.query.clone(),
            "--update-endpoint".into(),
            self.update.clone(),
            "--graph-store".into(),
            self.graph_store.clone(),
        ]
    }

    /// Takes the server for one test and empties musubi's graphs.
    pub fn take(&self) -> MutexGuard<'_, ()> {
        let guard = self.lock.lock().unwrap_or_else(|e| e.into_inner());
        self.clear();
        guard
    }

    /// Drops every graph under https://w3id.org/musubi/.
    pub fn clear(&self) {
        let graphs = self.select_column(
            "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } \
             FILTER(STRSTARTS(STR(?g), \"https://w3id.org/musubi/\")) }",
        );
        if graphs.is_empty() {
            return;
        }
        let update: String = graphs
            .iter()
            .map(|g| format!("DROP SILENT GRAPH <{g}> ;\n"))
            .collect();
        post_form(&self.update, "update", &update).expect("clear the server");
    }

    /// The first column of a SELECT, as plain strings.
    pub fn select_column(&self, sparql: &str) -> Vec<String> {
        let body = post_form(&self.query, "query", sparql).expect("query the server");
        let v: serde_json::Value = serde_json::from_str(&body).expect("SPARQL JSON results");
        let var = v["head"]["vars"][0]
            .as_str()
            .unwrap_or_default()
            .to_string();
        v["results"]["bindings"]
            .as_array()
            .map(|rows| {
                rows.iter()
                    .filter_map(|r| r[&var]["value"].as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Quads in musubi's graphs.
    pub fn count(&self) -> usize {
        self.select_column(
            "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } \
             FILTER(STRSTARTS(STR(?g), \"https://w3id.org/musubi/\")) }",
        )[0]
        .parse()
        .unwrap()
    }
}

/// POSTs one form field with curl (which the test machines have) and returns
/// the body, as SPARQL JSON results.
pub fn post_form(url: &str, field: &str, value: &str) -> Result<String, String> {
    let out = Command::new("curl")
        .args([
            "-sS",
            "--fail-with-body",
            "-H",
            "Accept: application/sparql-results+json",
        ])
        .arg("--data-urlencode")
        .arg(format!("{field}@-"))
        .arg(url)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(value.as_bytes())?;
            child.wait_with_output()
        })
        .map_err(|e| e.to_string())?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(format!(
            "{}{}",
            String::from_utf8_lossy(&out.stderr),
            String::from_utf8_lossy(&out.stdout)
        ))
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Runs `command` under a watchdog that stops it and removes `dir` once this
/// test process is gone.
fn spawn_watched(command: &str, dir: &Path, log: &Path) {
    let script = format!(
        "{command} >{log} 2>&1 & server=$!\n\
         while kill -0 {me} 2>/dev/null && kill -0 $server 2>/dev/null; do sleep 1; done\n\
         kill $server 2>/dev/null; wait $server; rm -rf {dir}",
        log = log.display(),
        me = std::process::id(),
        dir = dir.display(),
    );
    // Never waited for: the watchdog outlives this process by design.
    #[allow(clippy::zombie_processes)]
    Command::new("sh")
        .env("PATH", tools_path())
        .arg("-c")
        .arg(script)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("sh runs");
}

fn wait_until_up(name: &str, url: &str, log: &Path, limit: Duration) {
    let started = Instant::now();
    while started.elapsed() < limit {
        if post_form(url, "query", "ASK { }").is_ok() {
            return;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    panic!(
        "{name} did not answer at {url} within {} s; its log: {}",
        limit.as_secs(),
        std::fs::read_to_string(log).unwrap_or_default()
    );
}

/// PATH with the Python venv that `.ci/setup` makes (oxigraph's server) first.
fn tools_path() -> String {
    let venv = format!("{}/.cache/musubi-python/bin", env!("HOME"));
    format!("{venv}:{}", std::env::var("PATH").unwrap_or_default())
}

fn which(program: &str, install: &str) {
    let found = Command::new("sh")
        .env("PATH", tools_path())
        .arg("-c")
        .arg(format!("command -v {program}"))
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        found,
        "{program} is needed for this test: {install} (.ci/setup installs it)"
    );
}

/// `oxigraph serve`, in memory-backed RocksDB in a temporary folder.
pub fn oxigraph() -> &'static Server {
    static SERVER: OnceLock<Server> = OnceLock::new();
    SERVER.get_or_init(|| {
        which("oxigraph", "pip install oxigraph");
        let dir = tempfile::tempdir().unwrap().keep();
        let port = free_port();
        let log = dir.join("server.log");
        spawn_watched(
            &format!(
                "exec oxigraph serve --location {} --bind 127.0.0.1:{port}",
                dir.join("data").display()
            ),
            &dir,
            &log,
        );
        let base = format!("http://127.0.0.1:{port}");
        wait_until_up(
            "oxigraph",
            &format!("{base}/query"),
            &log,
            Duration::from_secs(30),
        );
        Server {
            name: "oxigraph",
            query: format!("{base}/query"),
            update: format!("{base}/update"),
            graph_store: format!("{base}/store"),
            lock: Mutex::new(()),
        }
    })
}

/// Virtuoso 7 with the packaged ini, its paths pointed at a temporary folder
/// and its ports at free ones, and SPARQL updates granted.
pub fn virtuoso() -> &'static Server {
    static SERVER: OnceLock<Server> = OnceLock::new();
    SERVER.get_or_init(|| {
        which("virtuoso-t", "apt-get install virtuoso-opensource");
        let dir = tempfile::tempdir().unwrap().keep();
        let (isql, http) = (free_port(), free_port());
        let ini = std::fs::read_to_string("/etc/virtuoso-opensource-7/virtuoso.ini")
            .expect("/etc/virtuoso-opensource-7/virtuoso.ini");
        let mut section = String::new();
        let ini: String = ini
            .lines()
            .map(|line| {
                let t = line.trim();
                if t.starts_with('[') {
                    section = t.to_string();
                }
                let line = line.replace(
                    "/var/lib/virtuoso-opensource-7/db",
                    &dir.display().to_string(),
                );
                if t.starts_with("ServerPort") && section == "[Parameters]" {
                    format!("ServerPort = {isql}")
                } else if t.starts_with("ServerPort") && section == "[HTTPServer]" {
                    format!("ServerPort = {http}")
                } else {
                    line
                }
            })
            .map(|l| l + "\n")
            .collect();
        std::fs::write(dir.join("virtuoso.ini"), ini).unwrap();
        let log = dir.join("server.log");
        spawn_watched(
            &format!(
                "exec virtuoso-t +foreground +configfile {}",
                dir.join("virtuoso.ini").display()
            ),
            &dir,
            &log,
        );
        let base = format!("http://127.0.0.1:{http}");
        wait_until_up(
            "virtuoso",
            &format!("{base}/sparql"),
            &log,
            Duration::from_secs(60),
        );
        let granted = Command::new("isql-vt")
            .args([&isql.to_string(), "dba", "dba"])
            .arg("exec=GRANT SPARQL_UPDATE TO \"SPARQL\";")
            .output()
            .expect("isql-vt runs");
        assert!(
            granted.status.success(),
            "{}",
            String::from_utf8_lossy(&granted.stderr)
        );
        Server {
            name: "virtuoso",
            query: format!("{base}/sparql"),
            update: format!("{base}/sparql"),
            graph_store: format!("{base}/sparql-graph-crud"),
            lock: Mutex::new(()),
        }
    })
}
