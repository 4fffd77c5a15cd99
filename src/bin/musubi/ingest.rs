//! `ingest`: files and folders into the store, with progress and one line per
//! article.
use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{bail, Context, Result};

use musubi::ingest::{ingest_paths, IngestOptions, IngestSummary, Outcome};
use musubi::store::{Ingested, Store};
use musubi::{Extraction, Extractor, Object, Rules};

use crate::output::print_line;
use crate::progress::Progress;

/// Files to ingest: each file given, and every *.txt below each folder, sorted.
fn collect_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for p in paths {
        let meta = std::fs::metadata(p).with_context(|| format!("{}", p.display()))?;
        if meta.is_dir() {
            let mut found = Vec::new();
            walk(p, &mut found)?;
            if found.is_empty() {
                bail!("{}: no *.txt files in this folder", p.display());
            }
            found.sort();
            files.extend(found);
        } else {
            files.push(p.clone());
        }
    }
    Ok(files)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    for entry in std::fs::read_dir(dir).with_context(|| format!("{}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            walk(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "txt") {
            out.push(path);
        }
    }
    Ok(())
}

pub fn run(
    store_path: &Path,
    rules: Rules,
    paths: &[PathBuf],
    options: &IngestOptions,
    quiet: bool,
    use_known_names: bool,
) -> Result<ExitCode> {
    // Check the inputs exist before creating a store, so a typo leaves nothing behind.
    let files = collect_files(paths)?;
    // What the store already knows is found again in the new articles, also
    // where no cue marks a name (read now: the writer holds the store later).
    let known = if use_known_names && store_path.join("CURRENT").exists() {
        Store::open_read_only(store_path)?.known_names()?
    } else {
        Vec::new()
    };
    let extractor = Extractor::new(rules)?.with_known_names(known);
    let sizes = files
        .iter()
        .map(|f| std::fs::metadata(f).map_or(0, |m| m.len()))
        .collect();
    let progress = RefCell::new(Progress::new(sizes));
    // Not `pb.println`: it prints nothing when the bar is hidden (stderr not a
    // terminal), which would lose the per-article lines in `musubi ingest … > log`.
    let say = |line: String| progress.borrow().suspend(|| print_line(&line));
    let warn = |line: String| progress.borrow().suspend(|| eprintln!("{line}"));
    // Ctrl-C stops after the batch being written; a second one stops at once
    // (the store still holds whole articles only: each batch is one commit).
    let stop = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&stop);
    let _ = ctrlc::set_handler(move || {
        if flag.swap(true, Ordering::SeqCst) {
            std::process::exit(130);
        }
    });
    let options = IngestOptions {
        stop: Some(Arc::clone(&stop)),
        ..options.clone()
    };
    // Opened at the first readable article, so bad input alone creates no store.
    let summary = ingest_paths(
        || {
            let store = Store::open(store_path)?;
            let rules = extractor.rules();
            store.load_reference(&rules.vocabulary, &rules.aliases)?;
            Ok(store)
        },
        &extractor,
        &files,
        &options,
        |outcome| {
            match outcome {
                Outcome::Stored {
                    extraction,
                    ingested,
                } => {
                    for w in &extraction.article.warnings {
                        let source = extraction.article.source.as_deref();
                        let name = source.map_or_else(String::new, |p| p.display().to_string());
                        warn(format!("musubi: warning: {name}: {w}"));
                    }
                    say(describe(extraction, ingested, quiet))
                }
                Outcome::AlreadyPresent { article } => say(format!(
                    "{} [{}]: already in the store, unchanged",
                    article
                        .source
                        .as_ref()
                        .map_or_else(|| article.id.clone(), |p| p.display().to_string()),
                    &article.id[..12]
                )),
                // Expected in corpus folders (LICENSE.txt…): one line, not an error.
                Outcome::NotAnArticle { error, .. } => {
                    if files.len() == 1 {
                        warn(format!("musubi: error: {error}"))
                    } else if !quiet {
                        warn(format!("musubi: skipped {error}"))
                    }
                }
                Outcome::Failed { error, .. } => warn(format!("musubi: error: {error}")),
            }
            progress.borrow_mut().advance();
        },
    );
    progress.borrow().finish();
    let summary = summary?;
    if files.len() > 1 {
        eprintln!("{}", summary_line(&summary, progress.borrow().elapsed()));
    }
    if summary.interrupted {
        let done = summary.added + summary.already_present;
        eprintln!(
            "musubi: interrupted: {done} of {} articles are in the store ({} added in this run); \
             run the same command again to go on (stored articles are skipped)",
            files.len(),
            summary.added
        );
        return Ok(ExitCode::from(130));
    }
    if summary.failed > 0 && files.len() > 1 {
        eprintln!(
            "musubi: {} of {} files could not be ingested (see above); the others were stored",
            summary.failed,
            files.len()
        );
    }
    if summary.not_articles > 0 && files.len() > 1 {
        eprintln!(
            "musubi: skipped {} files that are not articles under --layout {}",
            summary.not_articles,
            options.layout.name()
        );
    }
    // A single file that is not an article under the layout is the user's mistake.
    let refused = summary.failed + usize::from(files.len() == 1) * summary.not_articles;
    Ok(if refused > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// The end-of-run line: what was stored, what was skipped or failed, how fast.
fn summary_line(s: &IngestSummary, elapsed: Duration) -> String {
    let secs = elapsed.as_secs_f64();
    format!(
        "musubi: {} articles added, {} already stored, {} skipped, {} failed; \
         {} facts, {} entities ({} new); {} in {secs:.1} s ({:.2} MB/s)",
        s.added,
        s.already_present,
        s.not_articles,
        s.failed,
        s.facts,
        s.new_entities + s.known_entities,
        s.new_entities,
        format_bytes(s.text_bytes),
        s.text_bytes as f64 / 1e6 / secs.max(1e-3),
    )
}

fn format_bytes(n: u64) -> String {
    if n >= 1_000_000 {
        format!("{:.1} MB", n as f64 / 1e6)
    } else {
        format!("{:.1} kB", n as f64 / 1e3)
    }
}

/// What ingest prints for one article.
fn describe(x: &Extraction, outcome: &Ingested, quiet: bool) -> String {
    let name = x
        .article
        .source
        .as_ref()
        .map_or_else(|| x.article.id.clone(), |p| p.display().to_string());
    let id = &x.article.id[..12];
    let facts = x.facts.iter().filter(|f| f.asserted && !f.open).count();
    let head = match outcome {
        Ingested::AlreadyPresent => format!("{name} [{id}]: already in the store, unchanged"),
        Ingested::Added { new_entities, reused_entities, .. } => format!(
            "{name} [{id}]: {} entities ({new_entities} new, {reused_entities} already known), {facts} facts",
            x.entities.len()
        ),
    };
    if quiet || *outcome == Ingested::AlreadyPresent {
        return head;
    }
    let mut out = head;
    for e in &x.entities {
        let others: Vec<&str> = e
            .aliases
            .iter()
            .map(String::as_str)
            .filter(|a| *a != e.label)
            .collect();
        out.push_str(&format!("\n  {:<12} {}", e.etype.name(), e.label));
        if !others.is_empty() {
            out.push_str(&format!(" ({})", others.join(", ")));
        }
    }
    for f in x.facts.iter().filter(|f| !f.open) {
        out.push_str(&format!(
            "\n  {}{} {} {}",
            if f.asserted { "" } else { "(not asserted) " },
            x.entities[f.subject].label,
            f.relation,
            object_text(x, &f.object)
        ));
        for q in &f.qualifiers {
            out.push_str(&format!(" [{} {}]", q.property, q.surface));
        }
    }
    out
}

fn object_text(x: &Extraction, o: &Object) -> String {
    match o {
        Object::Entity(e) => x.entities[*e].label.clone(),
        Object::Literal { value, .. } => value.clone(),
    }
}
