//! Bad remote stores: a refused connection, 401, 5xx, a server that never
//! answers, and one that answers queries but fails every write. Each command
//! ends with one line naming the URL and a non-zero exit, and ingest reports no
//! article stored that was not. Fake servers on loopback stand in for the bad
//! ones; basic auth from the environment reaches the server.
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Command, Output};
use std::time::Duration;

/// How a fake server answers.
#[derive(Clone, Copy)]
enum Behaviour {
    /// Every request gets this status.
    Status(u16),
    /// Accepts and never answers.
    Hang,
    /// Answers queries (ASK false, SELECT with no rows) and fails every update
    /// and PUT with 500.
    ReadOnly,
    /// Answers queries when the request carries basic auth u:p, else 401.
    NeedsAuth,
}

/// Starts a fake server; returns its base URL.
fn fake(behaviour: Behaviour) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || answer(stream, behaviour));
        }
    });
    url
}

fn answer(mut stream: TcpStream, behaviour: Behaviour) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut head = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
            break;
        }
        head.push(line);
    }
    let length: usize = head
        .iter()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-length:")
                .map(|v| v.trim().parse().unwrap_or(0))
        })
        .unwrap_or(0);
    let mut body = vec![0; length];
    let _ = reader.read_exact(&mut body);
    let body = String::from_utf8_lossy(&body).to_string();
    let authorized = head.iter().any(|l| {
        l.to_ascii_lowercase()
            .starts_with("authorization: basic dtpw")
    });
    let query = body.starts_with("query=");
    let (status, content) = match behaviour {
        Behaviour::Hang => {
            std::thread::sleep(Duration::from_secs(30));
            return;
        }
        Behaviour::Status(s) => (s, "the server says no\n".to_string()),
        Behaviour::NeedsAuth if !authorized => (401, "who are you?\n".to_string()),
        Behaviour::ReadOnly | Behaviour::NeedsAuth if query => {
            if body.contains("ASK") {
                (200, r#"{"head":{},"boolean":false}"#.to_string())
            } else {
                (
                    200,
                    r#"{"head":{"vars":["x"]},"results":{"bindings":[]}}"#.to_string(),
                )
            }
        }
        _ => (500, "Internal Server Error: disk full\n".to_string()),
    };
    let reason = match status {
        200 => "OK",
        401 => "Unauthorized",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Error",
    };
    let kind = if status == 200 {
        "application/sparql-results+json"
    } else {
        "text/plain"
    };
    let _ = write!(
        stream,
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{content}",
        content.len()
    );
}

fn musubi(url: &str, args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_musubi"))
        .args(["--endpoint", url, "--endpoint-timeout", "2"])
        .args(args)
        .env_remove("MUSUBI_ENDPOINT_USER")
        .env_remove("MUSUBI_ENDPOINT_PASSWORD")
        .envs(env.iter().copied())
        .output()
        .expect("musubi runs")
}

fn article() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data/sports_transfer.txt")
        .display()
        .to_string()
}

/// Every command against `url` fails with one line that names it and says
/// `problem`, and nothing is reported stored.
fn every_command_fails(url: &str, problem: &str) {
    let article = article();
    for args in [
        vec!["ingest", "--no-known-names", article.as_str()],
        vec!["ingest", article.as_str()],
        vec!["query", "ASK { ?s ?p ?o }"],
        vec!["stats"],
        vec!["export", "--format", "nquads"],
        vec!["remove", "sports_transfer.txt"],
        vec!["reconcile"],
    ] {
        let out = musubi(url, &args, &[]);
        let err = String::from_utf8_lossy(&out.stderr);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(!out.status.success(), "{args:?} succeeded: {stdout}");
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(err.contains(url), "{args:?} names the URL: {err}");
        assert!(err.contains(problem), "{args:?} says {problem}: {err}");
        assert!(
            !stdout.contains("entities"),
            "{args:?} reported a stored article: {stdout}"
        );
    }
}

#[test]
fn a_refused_connection() {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    every_command_fails(
        &format!("http://127.0.0.1:{port}/sparql"),
        "connection refused",
    );
}

#[test]
fn unauthorized() {
    let url = format!("{}/sparql", fake(Behaviour::Status(401)));
    every_command_fails(&url, "401 Unauthorized");
    let out = musubi(&url, &["stats"], &[]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("MUSUBI_ENDPOINT_USER"));
}

#[test]
fn server_errors() {
    for status in [500, 503] {
        let url = format!("{}/sparql", fake(Behaviour::Status(status)));
        every_command_fails(&url, &status.to_string());
    }
}

#[test]
fn a_server_that_never_answers() {
    let url = format!("{}/sparql", fake(Behaviour::Hang));
    let started = std::time::Instant::now();
    let out = musubi(&url, &["stats"], &[]);
    assert!(started.elapsed() < Duration::from_secs(20));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains(&url) && err.contains("timed out"), "{err}");
}

#[test]
fn writes_that_fail_store_nothing_and_say_so() {
    let url = format!("{}/sparql", fake(Behaviour::ReadOnly));
    let out = musubi(&url, &["ingest", article().as_str()], &[]);
    let err = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success());
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains(&url) && err.contains("500"), "{err}");
    assert!(err.contains("disk full"), "the server's own words: {err}");
    assert!(!stdout.contains("entities"), "{stdout}");
}

#[test]
fn basic_auth_comes_from_the_environment() {
    let url = format!("{}/sparql", fake(Behaviour::NeedsAuth));
    let out = musubi(
        &url,
        &["query", "--format", "json", "ASK { ?s ?p ?o }"],
        &[
            ("MUSUBI_ENDPOINT_USER", "u"),
            ("MUSUBI_ENDPOINT_PASSWORD", "p"),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("false"));
    let out = musubi(&url, &["query", "ASK { ?s ?p ?o }"], &[]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("401"));
}
