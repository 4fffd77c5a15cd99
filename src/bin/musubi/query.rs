//! `query`: SPARQL over the store's union graph, printed as W3C results or as
//! a table for people.
use std::io::{IsTerminal, Read, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};
use oxigraph::io::RdfFormat;
use oxigraph::model::Term;
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};

use musubi::query::{Answer, QueryLimits};
use musubi::store::Store;

use crate::args::QueryFormat;

pub fn run(
    store: &Path,
    query: &str,
    format: Option<QueryFormat>,
    timeout: Option<f64>,
    max_memory: Option<u64>,
) -> Result<ExitCode> {
    let store = Store::open_read_only(store)?;
    let terminal = std::io::stdout().is_terminal();
    let limits = QueryLimits {
        timeout: match timeout.unwrap_or(if terminal { 60.0 } else { 0.0 }) {
            t if t > 0.0 => Some(std::time::Duration::from_secs_f64(t)),
            _ => None,
        },
        max_memory: match max_memory.unwrap_or(if terminal { 4096 } else { 0 }) {
            0 => None,
            mb => Some(mb << 20),
        },
        max_rows: None,
        // oxigraph cannot be interrupted inside an in-memory sort or join.
        on_stuck: Some(|e| {
            eprintln!("musubi: error: {}", e.report());
            std::process::exit(1)
        }),
    };
    query_cmd(&store, &read_query(query)?, format, limits)?;
    Ok(ExitCode::SUCCESS)
}

fn read_query(arg: &str) -> Result<String> {
    if arg == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .context("reading the query from stdin")?;
        Ok(s)
    } else if let Some(file) = arg.strip_prefix('@') {
        std::fs::read_to_string(file).with_context(|| file.to_string())
    } else {
        Ok(arg.to_string())
    }
}

/// Rows the table format keeps in memory to align its columns; past them it
/// says how to get the rest.
const TABLE_ROWS: usize = 10_000;

fn query_cmd(
    store: &Store,
    sparql: &str,
    format: Option<QueryFormat>,
    mut limits: QueryLimits,
) -> Result<()> {
    let format = format.unwrap_or(if std::io::stdout().is_terminal() {
        QueryFormat::Table
    } else {
        QueryFormat::Tsv
    });
    if matches!(format, QueryFormat::Table) {
        limits.max_rows = Some(TABLE_ROWS);
    }
    let answer = musubi::query::run(store, sparql, &limits)?;
    let mut out = std::io::stdout().lock();
    let w3c = match format {
        QueryFormat::Table => None,
        QueryFormat::Json => Some(QueryResultsFormat::Json),
        QueryFormat::Csv => Some(QueryResultsFormat::Csv),
        QueryFormat::Tsv => Some(QueryResultsFormat::Tsv),
        QueryFormat::Xml => Some(QueryResultsFormat::Xml),
    };
    match answer {
        Answer::Boolean(b) => match w3c {
            Some(f) => {
                QueryResultsSerializer::from_format(f).serialize_boolean_to_writer(&mut out, b)?;
            }
            None => writeln!(out, "{b}")?,
        },
        Answer::Solutions(mut rows) => {
            let vars = rows.variables().to_vec();
            match w3c {
                Some(f) => {
                    let mut ser = QueryResultsSerializer::from_format(f)
                        .serialize_solutions_to_writer(&mut out, vars)?;
                    for row in rows {
                        ser.serialize(row?.iter())?;
                    }
                    ser.finish()?;
                }
                None => {
                    let mut table = Vec::new();
                    for row in rows.by_ref() {
                        table.push(
                            row?.values()
                                .iter()
                                .map(|v| v.as_ref().map_or(String::new(), short_term))
                                .collect(),
                        );
                    }
                    let header: Vec<String> = vars.iter().map(|v| v.as_str().to_string()).collect();
                    write!(out, "{}", render_table(&header, &table))?;
                    if rows.truncated() {
                        writeln!(
                            out,
                            "(only the first {TABLE_ROWS} rows are shown: add LIMIT, or use --format tsv for all)"
                        )?;
                    }
                }
            }
        }
        Answer::Graph(triples) => {
            let mut ser = oxigraph::io::RdfSerializer::from_format(RdfFormat::Turtle);
            for (p, iri) in musubi::rdf::PREFIXES {
                ser = ser.with_prefix(p, iri)?;
            }
            let mut w = ser.for_writer(&mut out);
            for t in triples {
                w.serialize_triple(&t?)?;
            }
            w.finish()?;
        }
    }
    Ok(())
}

/// A term as people read it: prefixed IRI or the literal's text.
fn short_term(t: &Term) -> String {
    match t {
        Term::NamedNode(n) => {
            for (p, iri) in musubi::rdf::PREFIXES {
                if let Some(local) = n.as_str().strip_prefix(iri) {
                    return format!("{p}:{local}");
                }
            }
            format!("<{}>", n.as_str())
        }
        Term::Literal(l) => l.value().to_string(),
        other => other.to_string(),
    }
}

fn render_table(header: &[String], rows: &[Vec<String>]) -> String {
    use unicode_width::UnicodeWidthStr;
    let cell = |s: &str| -> String {
        let s = s.replace('\n', " ");
        if s.width() > 60 {
            let mut out = String::new();
            for c in s.chars() {
                if out.width() >= 58 {
                    break;
                }
                out.push(c);
            }
            out + "…"
        } else {
            s
        }
    };
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.iter().map(|c| cell(c)).collect())
        .collect();
    let widths: Vec<usize> = (0..header.len())
        .map(|i| {
            rows.iter()
                .map(|r| r[i].width())
                .chain([header[i].width()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: &[String]| -> String {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c}{}", " ".repeat(w - c.width())))
            .collect();
        format!("{}\n", padded.join("  ").trim_end())
    };
    let mut out = line(header);
    out.push_str(&line(
        &widths.iter().map(|w| "-".repeat(*w)).collect::<Vec<_>>(),
    ));
    for r in &rows {
        out.push_str(&line(r));
    }
    out.push_str(&format!("({} rows)\n", rows.len()));
    out
}
