//! The `musubi` command: a thin shell over the library. Parses arguments,
//! opens the store, calls the library, prints results, and turns errors into
//! one line on stderr with a non-zero exit.
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{anyhow, bail, Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use oxigraph::io::RdfFormat;
use oxigraph::model::Term;
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::QueryResults;

use musubi::eval::relation_model::{self, RelationCrossValidation};
use musubi::eval::{self, EvalReport, JacredReport};
use musubi::ingest::{ingest_paths, IngestOptions, Outcome};
use musubi::mentions::{self, NerReport};
use musubi::store::{Ingested, Store, DEFAULT_STORE};
use musubi::{export, Article, Extraction, Extractor, Layout, Object, Rules};

#[derive(Parser)]
#[command(
    name = "musubi",
    version,
    about = "Turn Japanese news articles into an RDF knowledge graph",
    long_about = "Reads Japanese news articles, finds the people, organisations, products and \
places in them and who did what to whom, and stores the facts as RDF in an embedded oxigraph \
store that you query with SPARQL and draw with GraphViz.",
    after_help = "Examples:\n  musubi ingest data/\n  musubi query 'SELECT ?s ?o WHERE { ?s mo:moved_to ?o }'\n  musubi export --format png -o graph.png"
)]
struct Cli {
    /// Store folder (oxigraph on RocksDB).
    #[arg(long, global = true, env = "MUSUBI_STORE", default_value = DEFAULT_STORE)]
    store: PathBuf,
    /// Read rule files (entities.toml, relations.toml, musubi.ttl) from this
    /// folder instead of the built-in copies.
    #[arg(long, global = true, env = "MUSUBI_ONTOLOGY")]
    ontology: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Extract facts from articles and add them to the store.
    #[command(
        after_help = "Examples:\n  musubi ingest article.txt\n  musubi ingest --store graph/ news/ more/\n  musubi ingest --layout livedoor corpus/text/"
    )]
    Ingest {
        /// Files or folders (folders are read recursively for *.txt).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// How files lay out their header lines.
        #[arg(long, value_enum, default_value_t = Layout::Plain)]
        layout: Layout,
        /// Print one summary line per article instead of its entities and facts.
        #[arg(short, long)]
        quiet: bool,
        /// Extraction threads (0: one per core). One writer stores the articles in
        /// file order, so the result does not depend on this.
        #[arg(long, default_value_t = 0)]
        threads: usize,
        /// A Turtle file of pinned entities (spellings tied to one IRI, owl:sameAs
        /// links), in the form of ontology/aliases.ttl. May be repeated.
        #[arg(long = "aliases", value_name = "FILE")]
        aliases: Vec<PathBuf>,
        /// Read each article on its own: do not look in it for the names the store
        /// already holds. The facts then depend on the article alone, whatever was
        /// ingested before (and a resumed run stores what an uninterrupted one would).
        #[arg(long)]
        no_known_names: bool,
    },
    /// Run a SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE) against the store.
    #[command(
        after_help = "Prefixes mo:, ent:, art:, open:, rdf:, rdfs:, xsd:, skos:, dcterms:, prov:, owl: are predeclared.\n\nExamples:\n  musubi query 'SELECT ?who ?org WHERE { GRAPH ?g { ?who mo:moved_to ?org } }'\n  musubi query --format json @who-heads-what.rq\n  echo 'ASK { ?s mo:heads ?o }' | musubi query -"
    )]
    Query {
        /// SPARQL text, @FILE to read it from a file, or - for stdin.
        query: String,
        /// Output format; W3C SPARQL results for json/xml/csv/tsv. Default:
        /// table on a terminal, tsv otherwise. Graph results print as Turtle.
        #[arg(long, value_enum)]
        format: Option<QueryFormat>,
    },
    /// Write the graph as a picture (DOT, SVG, PNG) or as RDF.
    #[command(
        after_help = "Examples:\n  musubi export --format dot -o graph.dot\n  musubi export --format png --article 3f2a -o article.png\n  musubi export --format trig > store.trig"
    )]
    Export {
        #[arg(long, value_enum)]
        format: ExportFormat,
        /// Only this article: its id (or a prefix of it) or its source file name.
        #[arg(long)]
        article: Option<String>,
        /// Output file (default: stdout).
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Print one article's facts without touching any store.
    #[command(
        after_help = "Examples:\n  musubi extract article.txt\n  musubi extract --format jsonl article.txt | jq .relation"
    )]
    Extract {
        file: PathBuf,
        #[arg(long, value_enum, default_value_t = ExtractFormat::Turtle)]
        format: ExtractFormat,
        #[arg(long, value_enum, default_value_t = Layout::Plain)]
        layout: Layout,
    },
    /// Count articles, entities by type and facts by relation.
    #[command(after_help = "Example:\n  musubi stats --store graph/")]
    Stats,
    /// Score fact extraction against gold files: precision, recall, F1, and the
    /// facts missed and wrong. Touches no store.
    #[command(
        after_help = "Each GOLD.json (named *.gold.json) is paired with the article its \"article\" field names: one given on the command line, else that file next to the gold file.\n\nExamples:\n  musubi eval ../shared/data/dev/*.gold.json\n  musubi eval --format json my.gold.json my-article.txt"
    )]
    Eval {
        /// Gold files (*.gold.json) and, optionally, their articles.
        #[arg(required = true, value_name = "GOLD.json|ARTICLE")]
        paths: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
        format: ReportFormat,
    },
    /// Score the relations musubi shares with Wikidata on a JacRED (DocRED-format)
    /// file: P108 works_for, P112 founded, P361/P127 part_of, P463 member_of,
    /// P159 headquartered_in, P131/P276 located_in, P166 award_received,
    /// P6/P488 heads, P571 founded_in.
    #[command(
        after_help = "The built-in relation scorer was trained on jacred/dev.json, so its score on that file is a training-set figure; --folds 5 gives held-out figures, with the rules alone on the same documents beside them.\n\nExamples:\n  musubi eval-jacred ../shared/data/jacred/dev.json\n  musubi eval-jacred --folds 5 ../shared/data/jacred/dev.json"
    )]
    EvalJacred {
        file: PathBuf,
        #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
        format: ReportFormat,
        /// K-fold cross-validation of the relation scorer: fit it (threshold
        /// included) on K-1 parts of FILE, score rules + scorer on the remaining
        /// part, K times, and pool the counts.
        #[arg(long, value_name = "K")]
        folds: Option<usize>,
        /// Annotated files (*.gold.json, JacRED) to add to every fold's training
        /// data; they are never scored.
        #[arg(long, value_name = "FILE", requires = "folds")]
        extra_train: Vec<PathBuf>,
    },
    /// Score name recognition on a Stockmark-format file (ner-wikipedia JSON):
    /// typed and span-only precision, recall and F1, overall and per type.
    #[command(
        after_help = "The built-in tagger was trained on ner-wikipedia/ner.dev.json, so its score on that file is a training-set figure; --folds 5 gives held-out figures.\n\nExamples:\n  musubi eval-ner --folds 5 ../shared/data/ner-wikipedia/ner.dev.json\n  musubi eval-ner --rules-only --format json other.json"
    )]
    EvalNer {
        file: PathBuf,
        #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
        format: ReportFormat,
        /// Score the cue rules alone, without the statistical tagger.
        #[arg(long, conflicts_with = "folds")]
        rules_only: bool,
        /// K-fold cross-validation: train a tagger on K-1 parts of FILE, score it
        /// on the remaining part, K times, and pool the counts.
        #[arg(long, value_name = "K")]
        folds: Option<usize>,
        /// Training passes per fold (with --folds).
        #[arg(long, default_value_t = DEFAULT_EPOCHS)]
        epochs: usize,
        /// More annotated sentences to train every fold on (with --folds); they are
        /// never scored.
        #[arg(long, value_name = "FILE", requires = "folds")]
        extra_train: Vec<PathBuf>,
    },
    /// Train the name tagger on a Stockmark-format file and write the model.
    #[command(
        after_help = "Put the model in a rule folder as ner-model.bin and pass --ontology to use it.\n\nExample:\n  musubi train-ner ../shared/data/ner-wikipedia/ner.dev.json -o my-rules/ner-model.bin\n  musubi --ontology my-rules ingest news/"
    )]
    TrainNer {
        /// Annotated files; the tagger is trained on all of them together.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Where to write the model.
        #[arg(short, long)]
        output: PathBuf,
        /// Training passes over the data.
        #[arg(long, default_value_t = DEFAULT_EPOCHS)]
        epochs: usize,
    },
    /// Train the relation scorer on annotated files and write the model; prints
    /// the threshold chosen on held-out folds for `[model]` in relations.toml.
    #[command(
        after_help = "FILES are JacRED/DocRED files and gold files (*.gold.json, their articles read from where they name). Put the model in a rule folder as re-model.bin, and the threshold printed under [model] in its relations.toml.\n\nExample:\n  musubi train-re ../shared/data/jacred/dev.json data/gold/livedoor/tune/*.gold.json -o my-rules/re-model.bin"
    )]
    TrainRe {
        /// Annotated files; the scorer is trained on all of them together.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Where to write the model.
        #[arg(short, long)]
        output: PathBuf,
    },
}

/// Training passes of the shipped tagger.
const DEFAULT_EPOCHS: usize = 15;

#[derive(Clone, Copy, ValueEnum, PartialEq)]
enum ReportFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum QueryFormat {
    Table,
    Json,
    Csv,
    Tsv,
    Xml,
}

#[derive(Clone, Copy, ValueEnum, PartialEq)]
enum ExportFormat {
    Dot,
    Svg,
    Png,
    Turtle,
    Ntriples,
    Nquads,
    Trig,
}

#[derive(Clone, Copy, ValueEnum)]
enum ExtractFormat {
    Turtle,
    Jsonl,
}

/// Prints a line; a closed pipe (`musubi … | head`) ends the program quietly
/// instead of panicking as `println!` would.
fn print_line(line: &str) {
    if let Err(e) = writeln!(std::io::stdout(), "{line}") {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            // One line: the chain of contexts joined, as users see in grep or cp.
            let msg: Vec<String> = e.chain().map(|c| c.to_string()).collect();
            eprintln!("musubi: error: {}", dedup_chain(&msg));
            ExitCode::FAILURE
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Contexts often repeat the path their source already names; keep it once.
fn dedup_chain(parts: &[String]) -> String {
    let mut out: Vec<&str> = Vec::new();
    for p in parts {
        if !out.iter().any(|o| o.contains(p.as_str())) {
            out.push(p);
        }
    }
    out.join(": ").replace('\n', " ")
}

fn run(cli: Cli) -> Result<ExitCode> {
    let rules = || Rules::load(cli.ontology.as_deref()).map_err(anyhow::Error::from);
    match cli.command {
        Command::Ingest {
            paths,
            layout,
            quiet,
            threads,
            aliases,
            no_known_names,
        } => {
            let mut rules = rules()?;
            for file in &aliases {
                rules.add_alias_file(file)?;
            }
            let options = IngestOptions {
                layout,
                threads,
                ..IngestOptions::default()
            };
            ingest(&cli.store, rules, &paths, &options, quiet, !no_known_names)
        }
        Command::Query { query, format } => {
            let store = Store::open_read_only(&cli.store)?;
            query_cmd(&store, &read_query(&query)?, format)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Export {
            format,
            article,
            output,
        } => {
            let store = Store::open_read_only(&cli.store)?;
            let article = article.map(|a| resolve_article(&store, &a)).transpose()?;
            let bytes = export_bytes(&store, format, article.as_deref())?;
            match output {
                Some(path) => {
                    std::fs::write(&path, bytes).with_context(|| format!("{}", path.display()))?
                }
                None => std::io::stdout().write_all(&bytes)?,
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Extract {
            file,
            format,
            layout,
        } => {
            let extractor = Extractor::new(rules()?)?;
            let article = Article::read(&file, layout)?;
            let x = extractor.extract(article)?;
            let mut out = std::io::stdout().lock();
            match format {
                ExtractFormat::Jsonl => write_jsonl(&x, &mut out)?,
                ExtractFormat::Turtle => {
                    let store = Store::in_memory()?;
                    store.ingest(&x)?;
                    export::write_rdf(&store, RdfFormat::Turtle, None, &mut out)?;
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Stats => {
            let store = Store::open_read_only(&cli.store)?;
            print_line(musubi::store::stats(&store)?.trim_end());
            Ok(ExitCode::SUCCESS)
        }
        Command::Eval { paths, format } => {
            let pairs = eval::pair_inputs(&paths)?;
            let report = eval::eval_gold(&Extractor::new(rules()?)?, &pairs)?;
            print_report(format, &report, EvalReport::to_text)
        }
        Command::EvalJacred {
            file,
            format,
            folds,
            extra_train,
        } => {
            let extractor = Extractor::new(rules()?)?;
            match folds {
                Some(k) => {
                    let report = relation_model::cross_validate(
                        &extractor,
                        &file,
                        k,
                        &extra_train,
                        Default::default(),
                    )?;
                    print_report(format, &report, RelationCrossValidation::to_text)
                }
                None => {
                    let report = eval::eval_jacred(&extractor, &file)?;
                    print_report(format, &report, JacredReport::to_text)
                }
            }
        }
        Command::EvalNer {
            file,
            format,
            rules_only,
            folds,
            epochs,
            extra_train,
        } => {
            let extractor = Extractor::new(rules()?)?;
            let report = match folds {
                Some(k) => mentions::cross_validate(&extractor, &file, k, epochs, &extra_train)?,
                None => {
                    let model = (!rules_only)
                        .then(|| extractor.rules().ner_model())
                        .flatten();
                    mentions::eval_ner(&extractor, model, &file)?
                }
            };
            print_report(format, &report, NerReport::to_text)
        }
        Command::TrainNer {
            files,
            output,
            epochs,
        } => {
            let extractor = Extractor::new(rules()?)?;
            let model = mentions::train_ner(&extractor, &files, epochs)?;
            // Written aside and renamed, so an interrupted run leaves the old model whole.
            let partial = output.with_extension("bin.partial");
            model.save(&partial)?;
            std::fs::rename(&partial, &output).with_context(|| format!("{}", output.display()))?;
            eprintln!("musubi: wrote {}", output.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::TrainRe { files, output } => {
            let extractor = Extractor::new(rules()?)?;
            let fitted =
                relation_model::train_relation_model(&extractor, &files, Default::default())?;
            // Written aside and renamed, so an interrupted run leaves the old model whole.
            let partial = output.with_extension("bin.partial");
            fitted.model.save(&partial)?;
            std::fs::rename(&partial, &output).with_context(|| format!("{}", output.display()))?;
            eprintln!("musubi: wrote {}", output.display());
            print_line(&format!(
                "threshold = {:.2}    # [model] in relations.toml: chosen on held-out folds (micro F1 {:.3} there)",
                fitted.threshold, fitted.held_out_f1
            ));
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Prints an evaluation report as text or as JSON.
fn print_report<R: serde::Serialize>(
    format: ReportFormat,
    report: &R,
    to_text: impl Fn(&R) -> String,
) -> Result<ExitCode> {
    match format {
        ReportFormat::Text => print_line(to_text(report).trim_end()),
        ReportFormat::Json => print_line(&serde_json::to_string_pretty(report)?),
    }
    Ok(ExitCode::SUCCESS)
}

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

fn ingest(
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
    let progress = (files.len() > 1).then(|| {
        let pb = indicatif::ProgressBar::new(files.len() as u64);
        pb.set_style(
            indicatif::ProgressStyle::with_template(
                "{bar:40} {pos}/{len} articles {elapsed} ({per_sec}, eta {eta}) {msg}",
            )
            .expect("valid template"),
        );
        pb
    });
    // Not `pb.println`: it prints nothing when the bar is hidden (stderr not a
    // terminal), which would lose the per-article lines in `musubi ingest … > log`.
    let say = |line: String| match &progress {
        Some(pb) => pb.suspend(|| print_line(&line)),
        None => print_line(&line),
    };
    let warn = |line: String| match &progress {
        Some(pb) => pb.suspend(|| eprintln!("{line}")),
        None => eprintln!("{line}"),
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
        options,
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
            if let Some(pb) = &progress {
                pb.inc(1);
            }
        },
    );
    if let Some(pb) = &progress {
        pb.finish_and_clear();
    }
    let summary = summary?;
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
            options
                .layout
                .to_possible_value()
                .map_or("?".into(), |v| v.get_name().to_string())
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

fn write_jsonl(x: &Extraction, out: &mut dyn Write) -> Result<()> {
    for f in &x.facts {
        let (object, object_type) = match &f.object {
            Object::Entity(e) => (
                x.entities[*e].label.clone(),
                x.entities[*e].etype.name().to_string(),
            ),
            Object::Literal { value, kind } => (value.clone(), format!("{kind:?}")),
        };
        let line = serde_json::json!({
            "article": x.article.id,
            "subject": x.entities[f.subject].label,
            "subject_type": x.entities[f.subject].etype.name(),
            "relation": f.relation,
            "open": f.open,
            "object": object,
            "object_type": object_type,
            "asserted": f.asserted,
            "sentence": x.sentences[f.sentence].text,
            "start": f.start,
            "end": f.end,
            "rule": f.rule,
            "confidence": f.confidence,
            "qualifiers": f.qualifiers,
        });
        writeln!(out, "{line}")?;
    }
    Ok(())
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

fn query_cmd(store: &Store, sparql: &str, format: Option<QueryFormat>) -> Result<()> {
    let format = format.unwrap_or(if std::io::stdout().is_terminal() {
        QueryFormat::Table
    } else {
        QueryFormat::Tsv
    });
    let results = store.query_all_graphs(sparql)?;
    let mut out = std::io::stdout().lock();
    let w3c = match format {
        QueryFormat::Table => None,
        QueryFormat::Json => Some(QueryResultsFormat::Json),
        QueryFormat::Csv => Some(QueryResultsFormat::Csv),
        QueryFormat::Tsv => Some(QueryResultsFormat::Tsv),
        QueryFormat::Xml => Some(QueryResultsFormat::Xml),
    };
    match results {
        QueryResults::Boolean(b) => match w3c {
            Some(f) => {
                QueryResultsSerializer::from_format(f).serialize_boolean_to_writer(&mut out, b)?;
            }
            None => writeln!(out, "{b}")?,
        },
        QueryResults::Solutions(rows) => {
            let vars = rows.variables().to_vec();
            match w3c {
                Some(f) => {
                    let mut ser = QueryResultsSerializer::from_format(f)
                        .serialize_solutions_to_writer(&mut out, vars)?;
                    for row in rows {
                        let row = row.map_err(|e| anyhow!("SPARQL: {e}"))?;
                        ser.serialize(row.iter())?;
                    }
                    ser.finish()?;
                }
                None => {
                    let mut table = Vec::new();
                    for row in rows {
                        let row = row.map_err(|e| anyhow!("SPARQL: {e}"))?;
                        table.push(
                            row.values()
                                .iter()
                                .map(|v| v.as_ref().map_or(String::new(), short_term))
                                .collect(),
                        );
                    }
                    let header: Vec<String> = vars.iter().map(|v| v.as_str().to_string()).collect();
                    write!(out, "{}", render_table(&header, &table))?;
                }
            }
        }
        QueryResults::Graph(triples) => {
            let mut ser = oxigraph::io::RdfSerializer::from_format(RdfFormat::Turtle);
            for (p, iri) in musubi::rdf::PREFIXES {
                ser = ser.with_prefix(p, iri)?;
            }
            let mut w = ser.for_writer(&mut out);
            for t in triples {
                w.serialize_triple(&t.map_err(|e| anyhow!("SPARQL: {e}"))?)?;
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

/// Finds an article by id prefix or source file name.
fn resolve_article(store: &Store, wanted: &str) -> Result<String> {
    let rows = store.select(
        "SELECT ?id ?src WHERE { ?a a mo:Article ; mo:sha256 ?id OPTIONAL { ?a dcterms:source ?src } }",
    )?;
    let mut hits = Vec::new();
    for row in rows {
        let id = row[0].as_ref().map(short_term).unwrap_or_default();
        let src = row[1].as_ref().map(short_term).unwrap_or_default();
        if id.starts_with(wanted)
            || (!src.is_empty() && (src == wanted || src.ends_with(&format!("/{wanted}"))))
        {
            hits.push(id);
        }
    }
    hits.dedup();
    match hits.len() {
        1 => Ok(hits.remove(0)),
        0 => bail!(
            "no article {wanted:?} in the store (give its id, a prefix of it, or its file name)"
        ),
        n => bail!("{n} articles match {wanted:?}; give more of the id"),
    }
}

fn export_bytes(store: &Store, format: ExportFormat, article: Option<&str>) -> Result<Vec<u8>> {
    let rdf = match format {
        ExportFormat::Turtle => Some(RdfFormat::Turtle),
        ExportFormat::Ntriples => Some(RdfFormat::NTriples),
        ExportFormat::Nquads => Some(RdfFormat::NQuads),
        ExportFormat::Trig => Some(RdfFormat::TriG),
        _ => None,
    };
    if let Some(f) = rdf {
        let mut buf = Vec::new();
        export::write_rdf(store, f, article, &mut buf)?;
        return Ok(buf);
    }
    let dot = export::to_dot(&export::fact_graph(store, article)?);
    Ok(match format {
        ExportFormat::Svg => export::render(&dot, "svg")?,
        ExportFormat::Png => export::render(&dot, "png")?,
        _ => dot.into_bytes(),
    })
}
