//! `remove` (take articles back) and `reconcile` (replay entity matching over a
//! remote store).
use std::process::ExitCode;

use anyhow::Result;

use musubi::backend::Backend;
use musubi::Rules;

use crate::output::print_line;
use crate::store::Target;

/// Removes each article `wanted` names (an id or its prefix, a file name, a
/// source path), one transaction each, reported once gone. Names that match
/// nothing are reported and the others removed; the exit status is then
/// non-zero, so running the same command again after a crash finishes the job.
pub fn run(target: &Target, wanted: &[String]) -> Result<ExitCode> {
    let backend = target.open(true)?;
    let mut found = Vec::new();
    let mut missing = 0;
    for w in wanted {
        match &backend.find_articles(w)?[..] {
            [] => {
                eprintln!(
                    "musubi: error: no article {w:?} in the store (give its id, a prefix of it, its file name or its path)"
                );
                missing += 1;
            }
            [one] => found.push(one.clone()),
            many if many.iter().all(|a| a.id.starts_with(w.as_str())) => {
                eprintln!(
                    "musubi: error: {} articles have ids starting with {w:?}; give more of the id",
                    many.len()
                );
                missing += 1;
            }
            // A file name or path names every article read from it.
            many => found.extend(many.iter().cloned()),
        }
    }
    found.sort_by(|a, b| a.id.cmp(&b.id));
    found.dedup();
    for a in &found {
        backend.remove_articles(std::slice::from_ref(&a.id))?;
        print_line(&format!(
            "{} [{}]: removed",
            a.source.as_deref().unwrap_or(&a.id),
            &a.id[..a.id.len().min(12)]
        ));
    }
    Ok(if missing > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

pub fn reconcile(target: &Target, rules: Rules) -> Result<ExitCode> {
    let backend = target.open(true)?;
    if let Backend::Remote(remote) = &backend {
        remote.load_reference(&rules.vocabulary, &rules.aliases)?;
    }
    let report = backend.reconcile(&rules.resolution.names)?;
    print_line(&format!(
        "reconciled {} articles: {} entities, {} rewritten; {} article graphs rewritten",
        report.articles, report.nodes, report.nodes_rewritten, report.articles_rewritten
    ));
    Ok(ExitCode::SUCCESS)
}
