//! The `musubi` command: a thin shell over the library. [`args`] alone knows
//! the command line; each command is a module that opens what it needs, calls
//! the library and prints the result; errors become one line on stderr with a
//! non-zero exit.
use std::process::ExitCode;

use anyhow::Result;
use clap::Parser;

use musubi::Rules;

mod args;
mod eval;
mod export;
mod ingest;
mod output;
mod progress;
mod query;
mod remove;
mod serve;
mod store;

use args::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match run(cli) {
        Ok(code) => code,
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            // One line: the chain of contexts joined, as users see in grep or cp.
            eprintln!("musubi: error: {}", musubi::error::one_line(e.as_ref()));
            ExitCode::FAILURE
        }
    };
    exit_without_static_destructors(code)
}

/// Ends the process once everything of ours is dropped (stores closed) and
/// written, skipping the C++ destructors of RocksDB's static tables, which
/// exit() would run. They free memory the system takes back anyway, and
/// running them paged in 1.2 MB of code scattered over the binary: a sixth
/// of the code a `musubi extract` on one line touches.
fn exit_without_static_destructors(code: ExitCode) -> ExitCode {
    #[cfg(target_os = "linux")]
    {
        use std::io::Write;
        // What the runtime would have done at exit, which ignores a failure
        // too (a reader gone away is no error of ours).
        let _ = std::io::stdout().flush();
        let status = if code == ExitCode::SUCCESS {
            0
        } else if code == ExitCode::from(130) {
            130
        } else {
            1
        };
        // SAFETY: _exit ends the process at once; nothing runs after it, so no
        // invariant of ours can be observed broken.
        unsafe { libc::_exit(status) }
    }
    #[cfg(not(target_os = "linux"))]
    code
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

fn run(cli: Cli) -> Result<ExitCode> {
    let rules = || Rules::load(cli.ontology.as_deref()).map_err(anyhow::Error::from);
    let target = store::Target::from_cli(&cli);
    match cli.command {
        Command::Ingest {
            paths,
            layout,
            quiet,
            threads,
            aliases,
            no_known_names,
            replace,
        } => {
            musubi::ingest::return_large_blocks_when_freed();
            let mut rules = rules()?;
            for file in &aliases {
                rules.add_alias_file(file)?;
            }
            let options = musubi::ingest::IngestOptions {
                layout: layout.into(),
                threads,
                replace,
                known_names: !no_known_names,
                ..Default::default()
            };
            ingest::run(&target, rules, &paths, &options, quiet)
        }
        Command::Remove { articles } => remove::run(&target, &articles),
        Command::Reconcile => remove::reconcile(&target, rules()?),
        Command::Query {
            query,
            format,
            timeout,
            max_memory,
        } => query::run(&target, &query, format, timeout, max_memory),
        Command::Export {
            format,
            article,
            output,
            provenance,
        } => export::run(
            &target,
            format,
            provenance.into(),
            article.as_deref(),
            output.as_deref(),
        ),
        Command::Extract {
            paths,
            files_from,
            format,
            layout,
            provenance,
            default_graph,
        } => export::extract(
            rules()?,
            &paths,
            files_from.as_deref(),
            layout.into(),
            format,
            provenance.into(),
            default_graph.as_deref(),
        ),
        Command::Stats => {
            output::print_line(target.open(false)?.stats()?.trim_end());
            Ok(ExitCode::SUCCESS)
        }
        Command::Serve {
            bind,
            writable,
            query_timeout,
            max_memory,
            page_rows,
            threads,
        } => serve::run(
            &cli.store,
            bind,
            writable,
            query_timeout,
            max_memory,
            page_rows,
            threads,
        ),
        Command::Eval {
            paths,
            format,
            rules_only,
            folds: Some(k),
            extra_train,
            ..
        } if !rules_only => eval::gold_folds(rules()?, &paths, k, &extra_train, format),
        Command::Eval {
            paths,
            layout,
            format,
            rules_only,
            ..
        } => eval::gold(
            without_model(rules()?, rules_only),
            &paths,
            layout.map(Into::into),
            format,
        ),
        Command::EvalJacred {
            file,
            format,
            folds,
            extra_train,
            rules_only,
        } => eval::jacred(
            without_model(rules()?, rules_only),
            &file,
            format,
            folds,
            &extra_train,
        ),
        Command::EvalNer {
            file,
            format,
            rules_only,
            folds,
            epochs,
            extra_train,
        } => eval::ner(
            rules()?,
            &file,
            format,
            rules_only,
            folds,
            epochs,
            &extra_train,
        ),
        Command::TrainNer {
            files,
            output,
            epochs,
        } => eval::train_ner(rules()?, &files, &output, epochs),
        Command::TrainRe { files, output } => eval::train_re(rules()?, &files, &output),
    }
}

/// The rules, with the trained relation scorer switched off when `rules_only`.
fn without_model(mut rules: Rules, rules_only: bool) -> Rules {
    if rules_only {
        rules.relations.model.enabled = false;
    }
    rules
}
