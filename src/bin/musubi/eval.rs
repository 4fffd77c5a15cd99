//! `eval`, `eval-jacred`, `eval-ner`, `train-ner` and `train-re`: scoring and training
//! against annotated files, which touch no store.
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};

use musubi::eval::relation_model::{self, GoldCrossValidation, RelationCrossValidation};
use musubi::eval::{self, EvalReport, JacredReport, NerReport};
use musubi::{Extractor, Layout, Rules};

use crate::args::ReportFormat;
use crate::output::print_report;

pub fn gold(
    rules: Rules,
    paths: &[PathBuf],
    layout: Option<Layout>,
    format: ReportFormat,
) -> Result<ExitCode> {
    let pairs = eval::pair_inputs(paths)?;
    let report = eval::eval_gold(&Extractor::new(rules)?, &pairs, layout)?;
    print_report(format, &report, EvalReport::to_text)
}

/// `eval --folds K`: the relation scorer cross-validated on gold files.
pub fn gold_folds(
    rules: Rules,
    paths: &[PathBuf],
    k: usize,
    extra_train: &[PathBuf],
    format: ReportFormat,
) -> Result<ExitCode> {
    let extractor = Extractor::new(rules)?;
    let report =
        relation_model::cross_validate_gold(&extractor, paths, k, extra_train, Default::default())?;
    print_report(format, &report, GoldCrossValidation::to_text)
}

pub fn jacred(
    rules: Rules,
    file: &Path,
    format: ReportFormat,
    folds: Option<usize>,
    extra_train: &[PathBuf],
) -> Result<ExitCode> {
    let extractor = Extractor::new(rules)?;
    match folds {
        Some(k) => {
            let report = relation_model::cross_validate(
                &extractor,
                file,
                k,
                extra_train,
                Default::default(),
            )?;
            print_report(format, &report, RelationCrossValidation::to_text)
        }
        None => {
            let report = eval::eval_jacred(&extractor, file)?;
            print_report(format, &report, JacredReport::to_text)
        }
    }
}

pub fn ner(
    rules: Rules,
    file: &Path,
    format: ReportFormat,
    rules_only: bool,
    folds: Option<usize>,
    epochs: usize,
    extra_train: &[PathBuf],
) -> Result<ExitCode> {
    let extractor = Extractor::new(rules)?;
    let report = match folds {
        Some(k) => eval::cross_validate(&extractor, file, k, epochs, extra_train)?,
        None => {
            let model = (!rules_only)
                .then(|| extractor.rules().ner_model())
                .flatten();
            eval::eval_ner(&extractor, model, file)?
        }
    };
    print_report(format, &report, NerReport::to_text)
}

pub fn train_ner(
    rules: Rules,
    files: &[PathBuf],
    output: &Path,
    epochs: usize,
) -> Result<ExitCode> {
    let extractor = Extractor::new(rules)?;
    let model = eval::train_ner(&extractor, files, epochs)?;
    // Written aside and renamed, so an interrupted run leaves the old model whole.
    let partial = output.with_extension("bin.partial");
    model.save(&partial)?;
    std::fs::rename(&partial, output).with_context(|| format!("{}", output.display()))?;
    eprintln!("musubi: wrote {}", output.display());
    Ok(ExitCode::SUCCESS)
}

pub fn train_re(rules: Rules, files: &[PathBuf], output: &Path) -> Result<ExitCode> {
    let extractor = Extractor::new(rules)?;
    let fitted = relation_model::train_relation_model(&extractor, files, Default::default())?;
    // Written aside and renamed, so an interrupted run leaves the old model whole.
    let partial = output.with_extension("bin.partial");
    fitted.model.save(&partial)?;
    std::fs::rename(&partial, output).with_context(|| format!("{}", output.display()))?;
    eprintln!("musubi: wrote {}", output.display());
    println!("# held-out folds, rules + model: every document | JacRED | gold files | the model's own facts on the gold files");
    let score = |s: Option<&musubi::eval::Score>| {
        s.map_or("-".to_string(), |s| {
            format!("P {:.3} R {:.3} F1 {:.3}", s.precision, s.recall, s.f1)
        })
    };
    for row in &fitted.table {
        let added = row.gold_added.as_ref().map_or("-".to_string(), |a| {
            format!(
                "P {:.3} ({} right, {} wrong)",
                a.precision, a.true_positives, a.false_positives
            )
        });
        println!(
            "# {:.2}  {} | {} | {} | {}",
            row.threshold,
            score(Some(&row.all)),
            score(row.jacred.as_ref()),
            score(row.gold.as_ref()),
            added
        );
    }
    println!(
        "# for [model] in relations.toml, chosen on held-out folds (micro F1 {:.3} there with these thresholds):",
        fitted.held_out_f1
    );
    println!("threshold = {:.2}", fitted.threshold);
    println!("[model.thresholds]");
    for (relation, t) in &fitted.thresholds {
        println!("{relation} = {t:.2}");
    }
    Ok(ExitCode::SUCCESS)
}
