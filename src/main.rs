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

use musubi::backend::Backend;
use musubi::eval::{self, EvalReport, JacredReport};
use musubi::ingest::{ingest_paths, IngestOptions, Outcome};
use musubi::mentions::{self, NerReport};
use musubi::provenance::Provenance;
use musubi::remote::{Endpoint, RemoteStore};
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
    /// Use a remote SPARQL store at this query endpoint instead of --store
    /// (ingest, query, export, stats, remove, reconcile). Basic auth comes from
    /// MUSUBI_ENDPOINT_USER and MUSUBI_ENDPOINT_PASSWORD.
    #[arg(long, global = true, env = "MUSUBI_ENDPOINT", value_name = "URL")]
    endpoint: Option<String>,
    /// The server's SPARQL Update endpoint, when not the query endpoint.
    #[arg(
        long,
        global = true,
        env = "MUSUBI_UPDATE_ENDPOINT",
        value_name = "URL"
    )]
    update_endpoint: Option<String>,
    /// The server's Graph Store Protocol endpoint (each article graph is then
    /// written with one PUT); without it, graphs are written with SPARQL Update.
    #[arg(long, global = true, env = "MUSUBI_GRAPH_STORE", value_name = "URL")]
    graph_store: Option<String>,
    /// Seconds to wait for the remote store to answer one request.
    #[arg(long, global = true, default_value_t = 60, value_name = "SECONDS")]
    endpoint_timeout: u64,
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
        /// When a file's text changed since it was ingested, replace the article
        /// stored from the same path (its facts, and its share of every entity).
        #[arg(long)]
        replace: bool,
    },
    /// Remove articles from the store: their facts, and their share of every
    /// entity (spellings, mentions); entities no article mentions any more go.
    #[command(
        after_help = "Examples:\n  musubi remove 3f2a9c\n  musubi remove news/2024/0612-correction.txt\n  musubi remove wrong.html"
    )]
    Remove {
        /// Article ids (or prefixes), file names or source paths.
        #[arg(required = true, value_name = "ARTICLE")]
        articles: Vec<String>,
    },
    /// Match entities across the articles of a remote store (--endpoint), as
    /// ingest does: after loading map-style `extract` output, or to repair a
    /// store after a writer died.
    #[command(
        after_help = "Example:\n  musubi --endpoint http://127.0.0.1:7878/query --update-endpoint http://127.0.0.1:7878/update --graph-store http://127.0.0.1:7878/store reconcile"
    )]
    Reconcile,
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
        /// How facts' provenance is written: RDF 1.1 reification (loads in every
        /// RDF tool), RDF 1.2 triple terms, or none.
        #[arg(long, value_enum, default_value_t = ProvenanceArg::Reification)]
        provenance: ProvenanceArg,
    },
    /// Print articles' facts without touching any store: a pure function of
    /// the text and the rules, so it can run over a corpus as a map step.
    #[command(
        after_help = "Examples:\n  musubi extract article.txt\n  musubi extract --format jsonl article.txt | jq .relation\n  find corpus -name '*.txt' | musubi extract --files-from - --format nquads > part.nq"
    )]
    Extract {
        /// Files or folders (folders are read recursively for *.txt).
        #[arg(required_unless_present = "files_from")]
        paths: Vec<PathBuf>,
        /// Also read the files named in this file, one per line (- for stdin).
        #[arg(long, value_name = "FILE")]
        files_from: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = ExtractFormat::Turtle)]
        format: ExtractFormat,
        #[arg(long, value_enum, default_value_t = Layout::Plain)]
        layout: Layout,
        /// How facts' provenance is written (RDF formats).
        #[arg(long, value_enum, default_value_t = ProvenanceArg::Reification)]
        provenance: ProvenanceArg,
        /// Put the default graph's quads into this named graph (N-Quads, TriG,
        /// JSON-LD): https://w3id.org/musubi/default is where a remote store
        /// keeps them, for loading the output into one.
        #[arg(long, value_name = "IRI")]
        default_graph: Option<String>,
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
    #[command(after_help = "Example:\n  musubi eval-jacred ../shared/data/jacred/dev.json")]
    EvalJacred {
        file: PathBuf,
        #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
        format: ReportFormat,
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
    Jsonld,
}

#[derive(Clone, Copy, ValueEnum, PartialEq)]
enum ExtractFormat {
    Turtle,
    Ntriples,
    Nquads,
    Trig,
    Jsonld,
    Jsonl,
}

impl ExtractFormat {
    fn rdf(self) -> Option<RdfFormat> {
        Some(match self {
            ExtractFormat::Turtle => RdfFormat::Turtle,
            ExtractFormat::Ntriples => RdfFormat::NTriples,
            ExtractFormat::Nquads => RdfFormat::NQuads,
            ExtractFormat::Trig => RdfFormat::TriG,
            ExtractFormat::Jsonld => RdfFormat::from_extension("jsonld")?,
            ExtractFormat::Jsonl => return None,
        })
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum ProvenanceArg {
    Rdf12,
    Reification,
    None,
}

impl From<ProvenanceArg> for Provenance {
    fn from(p: ProvenanceArg) -> Provenance {
        match p {
            ProvenanceArg::Rdf12 => Provenance::Rdf12,
            ProvenanceArg::Reification => Provenance::Reification,
            ProvenanceArg::None => Provenance::None,
        }
    }
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

/// The remote store the global flags name, if any.
fn endpoint(cli: &Cli) -> Option<Endpoint> {
    let query = cli.endpoint.as_deref()?;
    let mut endpoint = Endpoint::new(query);
    endpoint.update = cli.update_endpoint.clone();
    endpoint.graph_store = cli.graph_store.clone();
    endpoint.timeout = std::time::Duration::from_secs(cli.endpoint_timeout.max(1));
    if let Ok(user) = std::env::var("MUSUBI_ENDPOINT_USER") {
        let password = std::env::var("MUSUBI_ENDPOINT_PASSWORD").unwrap_or_default();
        endpoint.auth = Some((user, password));
    }
    Some(endpoint)
}

/// The store the command works on; the embedded one is opened read-only
/// unless `write`.
fn open_backend(remote: Option<Endpoint>, store: &Path, write: bool) -> Result<Backend> {
    Ok(match remote {
        Some(e) => Backend::Remote(RemoteStore::connect(e)?),
        None if write => Backend::Embedded(Store::open(store)?),
        None => Backend::Embedded(Store::open_read_only(store)?),
    })
}

fn run(cli: Cli) -> Result<ExitCode> {
    let rules = || Rules::load(cli.ontology.as_deref()).map_err(anyhow::Error::from);
    let remote = endpoint(&cli);
    let open_backend = |write: bool| open_backend(remote.clone(), &cli.store, write);
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
            let mut rules = rules()?;
            for file in &aliases {
                rules.add_alias_file(file)?;
            }
            let options = IngestOptions {
                layout,
                threads,
                replace,
                ..IngestOptions::default()
            };
            let target = match remote {
                Some(e) => Target::Endpoint(e),
                None => Target::Dir(cli.store.clone()),
            };
            ingest(&target, rules, &paths, &options, quiet, !no_known_names)
        }
        Command::Remove { articles } => {
            let backend = open_backend(true)?;
            let mut ids = Vec::new();
            let mut missing = 0;
            for wanted in &articles {
                match &backend.find_articles(wanted)?[..] {
                    [] => {
                        eprintln!(
                            "musubi: error: no article {wanted:?} in the store (give its id, a prefix of it, its file name or its path)"
                        );
                        missing += 1;
                    }
                    [one] => ids.push(one.clone()),
                    found if found.iter().all(|a| a.id.starts_with(wanted.as_str())) => {
                        eprintln!(
                            "musubi: error: {} articles have ids starting with {wanted:?}; give more of the id",
                            found.len()
                        );
                        missing += 1;
                    }
                    // A file name or path names every article read from it.
                    found => ids.extend(found.iter().cloned()),
                }
            }
            ids.sort_by(|a, b| a.id.cmp(&b.id));
            ids.dedup();
            // One article at a time, each reported once it is gone.
            for a in &ids {
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
        Command::Reconcile => {
            let backend = open_backend(true)?;
            if let Backend::Remote(remote) = &backend {
                let rules = rules()?;
                remote.load_reference(&rules.vocabulary, &rules.aliases)?;
            }
            let report = backend.reconcile()?;
            print_line(&format!(
                "reconciled {} articles: {} entities, {} rewritten; {} article graphs rewritten",
                report.articles, report.nodes, report.nodes_rewritten, report.articles_rewritten
            ));
            Ok(ExitCode::SUCCESS)
        }
        Command::Query { query, format } => {
            let backend = open_backend(false)?;
            query_cmd(&backend, &read_query(&query)?, format)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Export {
            format,
            article,
            output,
            provenance,
        } => {
            let backend = open_backend(false)?;
            let article = article.map(|a| resolve_article(&backend, &a)).transpose()?;
            let bytes = export_bytes(&backend, format, provenance.into(), article.as_deref())?;
            match output {
                Some(path) => {
                    std::fs::write(&path, bytes).with_context(|| format!("{}", path.display()))?
                }
                None => std::io::stdout().write_all(&bytes)?,
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Extract {
            paths,
            files_from,
            format,
            layout,
            provenance,
            default_graph,
        } => {
            let extractor = Extractor::new(rules()?)?;
            let mut files = collect_files(&paths)?;
            if let Some(list) = &files_from {
                files.extend(read_file_list(list)?);
            }
            extract_cmd(
                &extractor,
                &files,
                format,
                layout,
                provenance.into(),
                default_graph.as_deref(),
            )
        }
        Command::Stats => {
            let backend = open_backend(false)?;
            print_line(backend.stats()?.trim_end());
            Ok(ExitCode::SUCCESS)
        }
        Command::Eval { paths, format } => {
            let pairs = eval::pair_inputs(&paths)?;
            let report = eval::eval_gold(&Extractor::new(rules()?)?, &pairs)?;
            print_report(format, &report, EvalReport::to_text)
        }
        Command::EvalJacred { file, format } => {
            let report = eval::eval_jacred(&Extractor::new(rules()?)?, &file)?;
            print_report(format, &report, JacredReport::to_text)
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

/// Where ingest writes.
enum Target {
    Dir(PathBuf),
    Endpoint(Endpoint),
}

fn ingest(
    target: &Target,
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
    let known = match target {
        Target::Dir(dir) if use_known_names && dir.join("CURRENT").exists() => {
            Store::open_read_only(dir)?.known_names()?
        }
        Target::Endpoint(e) if use_known_names => RemoteStore::connect(e.clone())?.known_names()?,
        _ => Vec::new(),
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
    let mut on_article = |outcome: Outcome<'_>| {
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
    };
    // Opened at the first readable article, so bad input alone creates no store.
    let summary = match target {
        Target::Dir(dir) => ingest_paths(
            || {
                let store = Store::open(dir)?;
                let rules = extractor.rules();
                store.load_reference(&rules.vocabulary, &rules.aliases)?;
                Ok(store)
            },
            &extractor,
            &files,
            options,
            &mut on_article,
        ),
        Target::Endpoint(e) => ingest_paths(
            || {
                let store = RemoteStore::connect(e.clone())?;
                let rules = extractor.rules();
                store.load_reference(&rules.vocabulary, &rules.aliases)?;
                Ok(store)
            },
            &extractor,
            &files,
            options,
            &mut on_article,
        ),
    };
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
        Ingested::Added { new_entities, reused_entities, replaced, .. } => format!(
            "{name} [{id}]: {}{} entities ({new_entities} new, {reused_entities} already known), {facts} facts",
            if replaced.is_empty() {
                String::new()
            } else {
                let ids: Vec<&str> = replaced.iter().map(|r| &r[..r.len().min(12)]).collect();
                format!("replaces [{}]; ", ids.join(", "))
            },
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

/// Files named in a list, one per line (`-` reads the list from stdin).
fn read_file_list(list: &Path) -> Result<Vec<PathBuf>> {
    let text = if list == Path::new("-") {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .context("reading the file list from stdin")?;
        s
    } else {
        std::fs::read_to_string(list).with_context(|| format!("{}", list.display()))?
    };
    Ok(text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(PathBuf::from)
        .collect())
}

/// `musubi extract`: each file on its own, as a store holding only it would
/// have it. A file that fails is reported and the others written; the exit
/// status is then non-zero.
fn extract_cmd(
    extractor: &Extractor,
    files: &[PathBuf],
    format: ExtractFormat,
    layout: Layout,
    provenance: Provenance,
    default_graph: Option<&str>,
) -> Result<ExitCode> {
    let default_graph = default_graph
        .map(|g| {
            oxigraph::model::NamedNode::new(g).map_err(|e| anyhow!("--default-graph {g}: {e}"))
        })
        .transpose()?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut stream = match format.rdf() {
        Some(f) => Some(export::RdfStream::new(
            f,
            provenance,
            default_graph,
            &mut out,
        )?),
        None => None,
    };
    let mut failed = 0;
    for file in files {
        let x = match Article::read(file, layout).and_then(|a| extractor.extract(a)) {
            Ok(x) => x,
            Err(e) => {
                eprintln!("musubi: error: {e}");
                failed += 1;
                continue;
            }
        };
        match &mut stream {
            Some(stream) => stream.write(export::article_alone(&x)?)?,
            None => write_jsonl(&x, &mut std::io::stdout().lock())?,
        }
    }
    if let Some(stream) = stream {
        stream.finish()?;
    }
    out.flush()?;
    if failed > 0 && files.len() > 1 {
        eprintln!(
            "musubi: {failed} of {} files could not be extracted (see above)",
            files.len()
        );
    }
    Ok(if failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
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

fn query_cmd(store: &Backend, sparql: &str, format: Option<QueryFormat>) -> Result<()> {
    let format = format.unwrap_or(if std::io::stdout().is_terminal() {
        QueryFormat::Table
    } else {
        QueryFormat::Tsv
    });
    let results = store.query(sparql)?;
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
fn resolve_article(store: &Backend, wanted: &str) -> Result<String> {
    let mut hits = store.find_articles(wanted)?;
    match hits.len() {
        1 => Ok(hits.remove(0).id),
        0 => bail!(
            "no article {wanted:?} in the store (give its id, a prefix of it, or its file name)"
        ),
        n => bail!("{n} articles match {wanted:?}; give more of the id"),
    }
}

fn export_bytes(
    store: &Backend,
    format: ExportFormat,
    provenance: Provenance,
    article: Option<&str>,
) -> Result<Vec<u8>> {
    let rdf = match format {
        ExportFormat::Turtle => Some(RdfFormat::Turtle),
        ExportFormat::Ntriples => Some(RdfFormat::NTriples),
        ExportFormat::Nquads => Some(RdfFormat::NQuads),
        ExportFormat::Trig => Some(RdfFormat::TriG),
        ExportFormat::Jsonld => RdfFormat::from_extension("jsonld"),
        _ => None,
    };
    if let Some(f) = rdf {
        let mut buf = Vec::new();
        store.write_rdf(f, provenance, article, &mut buf)?;
        return Ok(buf);
    }
    let dot = export::to_dot(&store.fact_graph(article)?);
    Ok(match format {
        ExportFormat::Svg => export::render(&dot, "svg")?,
        ExportFormat::Png => export::render(&dot, "png")?,
        _ => dot.into_bytes(),
    })
}
