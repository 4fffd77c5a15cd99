//! `ingest`: files and folders into the store, with progress and one line per
//! article.
use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use anyhow::Result;

use musubi::ingest::{ingest_paths, IngestOptions, IngestSummary, Outcome};
use musubi::store::{Ingested, Store};
use musubi::{Extraction, Extractor, Object, Rules};

use crate::output::print_line;
use crate::progress::Progress;

pub fn run(
    store_path: &Path,
    rules: Rules,
    paths: &[PathBuf],
    options: &IngestOptions,
    quiet: bool,
) -> Result<ExitCode> {
    // Check the inputs exist before creating a store, so a typo leaves nothing behind.
    let walk = musubi::walk::article_files(paths)?;
    for (link, target) in &walk.loops {
        eprintln!(
            "musubi: {}: a link back to {}, not followed (its files are read once, from there)",
            link.display(),
            target.display()
        );
    }
    for error in &walk.unreadable {
        eprintln!("musubi: error: {}", error.report());
    }
    let files = walk.files;
    // What the store already knows is found again in the new articles, also
    // where no cue marks a name (read now: the writer holds the store later).
    let known = if options.known_names {
        musubi::ingest::starting_names(store_path, &rules)?
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
                } => say(describe(extraction, ingested, quiet)),
                Outcome::AlreadyPresent { article } => say(format!(
                    "{} [{}]: already in the store, unchanged",
                    article
                        .source
                        .as_ref()
                        .map_or_else(|| article.id.clone(), |p| p.display().to_string()),
                    &article.id[..12]
                )),
                Outcome::OtherLayout { article, stored_as } => warn(format!(
                    "musubi: error: {}: already in the store as read with --layout {}; not stored again",
                    article
                        .source
                        .as_ref()
                        .map_or_else(|| article.id.clone(), |p| p.display().to_string()),
                    stored_as.name()
                )),
                // Expected in corpus folders (LICENSE.txt…): one line, not an error.
                Outcome::NotAnArticle { error, .. } => {
                    if files.len() == 1 {
                        warn(format!("musubi: error: {}", error.report()))
                    } else if !quiet {
                        warn(format!("musubi: skipped {}", error.report()))
                    }
                }
                Outcome::Failed { error, .. } => {
                    warn(format!("musubi: error: {}", error.report()))
                }
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
    let failed = summary.failed + summary.other_layout + walk.unreadable.len();
    if failed > 0 && files.len() > 1 {
        eprintln!(
            "musubi: {failed} of {} files and folders could not be ingested (see above); the others were stored",
            files.len() + walk.unreadable.len()
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
    let refused = failed + usize::from(files.len() == 1) * summary.not_articles;
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
