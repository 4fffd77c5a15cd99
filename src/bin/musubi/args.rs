//! The command line, and nothing else: the one module that knows clap. The
//! other modules take the values parsed here and call the library.
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use musubi::provenance::Provenance;
use musubi::store::DEFAULT_STORE;
use musubi::Layout;

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
pub struct Cli {
    /// Store folder (oxigraph on RocksDB).
    #[arg(long, global = true, env = "MUSUBI_STORE", default_value = DEFAULT_STORE)]
    pub store: PathBuf,
    /// Read rule files (entities.toml, relations.toml, musubi.ttl) from this
    /// folder instead of the built-in copies.
    #[arg(long, global = true, env = "MUSUBI_ONTOLOGY")]
    pub ontology: Option<PathBuf>,
    /// Use a remote SPARQL store at this query endpoint instead of --store
    /// (ingest, query, export, stats, remove, reconcile). Basic auth comes from
    /// MUSUBI_ENDPOINT_USER and MUSUBI_ENDPOINT_PASSWORD.
    #[arg(long, global = true, env = "MUSUBI_ENDPOINT", value_name = "URL")]
    pub endpoint: Option<String>,
    /// The server's SPARQL Update endpoint, when not the query endpoint.
    #[arg(
        long,
        global = true,
        env = "MUSUBI_UPDATE_ENDPOINT",
        value_name = "URL"
    )]
    pub update_endpoint: Option<String>,
    /// The server's Graph Store Protocol endpoint (each article graph is then
    /// written with one PUT); without it, graphs are written with SPARQL Update.
    #[arg(long, global = true, env = "MUSUBI_GRAPH_STORE", value_name = "URL")]
    pub graph_store: Option<String>,
    /// Seconds to wait for the remote store to answer one request.
    #[arg(long, global = true, default_value_t = 60, value_name = "SECONDS")]
    pub endpoint_timeout: u64,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Extract facts from articles and add them to the store.
    #[command(
        after_help = "Examples:\n  musubi ingest article.txt\n  musubi ingest --store graph/ news/ more/\n  musubi ingest --layout livedoor corpus/text/"
    )]
    Ingest {
        /// Files or folders (folders are read recursively for *.txt).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// How files lay out their header lines.
        #[arg(long, value_enum, default_value_t = LayoutArg::Plain)]
        layout: LayoutArg,
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
        /// ingested before. (Either way a resumed run stores what an uninterrupted
        /// one would: by default each batch looks only for names stored before it.)
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
        after_help = "Example:\n  musubi --endpoint http://127.0.0.1:7879/query --update-endpoint http://127.0.0.1:7879/update --graph-store http://127.0.0.1:7879/store reconcile"
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
        /// Stop the query after this many seconds (0: no limit). Default: 60 on a
        /// terminal, no limit otherwise.
        #[arg(long, value_name = "SECONDS")]
        timeout: Option<f64>,
        /// Stop the query once musubi holds this many MB of memory (0: no limit).
        /// Default: 4096 on a terminal, no limit otherwise.
        #[arg(long, value_name = "MB")]
        max_memory: Option<u64>,
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
        #[arg(long, value_enum, default_value_t = LayoutArg::Plain)]
        layout: LayoutArg,
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
    /// Serve the store over HTTP: a SPARQL endpoint at /sparql and pages to
    /// search, browse and draw the graph.
    #[command(
        after_help = "Examples:\n  musubi serve                      # http://127.0.0.1:7878/\n  musubi serve --store graph/ --bind 127.0.0.1:8000\n  curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * WHERE { ?s mo:heads ?o }' http://127.0.0.1:7878/sparql"
    )]
    Serve {
        /// Address to listen on (loopback by default; port 0 picks a free one).
        #[arg(long, default_value = "127.0.0.1:7878")]
        bind: String,
        /// Accept SPARQL updates at /sparql (the store is opened for writing).
        #[arg(long)]
        writable: bool,
        /// Longest a query may run, in seconds.
        #[arg(long, default_value_t = 30.0, value_name = "SECONDS")]
        query_timeout: f64,
        /// Stop running queries once the server holds this many MB of memory
        /// (0: no limit).
        #[arg(long, default_value_t = 4096, value_name = "MB")]
        max_memory: u64,
        /// Most rows or facts a page lists (the endpoint returns all).
        #[arg(long, default_value_t = 500)]
        page_rows: usize,
        /// Requests answered at once (each connection has a thread of its own).
        #[arg(long, default_value_t = 8)]
        threads: usize,
    },
    /// Score fact extraction against gold files: precision, recall, F1, and the
    /// facts missed and wrong. Touches no store.
    #[command(
        after_help = "Each GOLD.json (named *.gold.json) is paired with the article its \"article\" field names: one given on the command line, else that file next to the gold file.\n\nExamples:\n  musubi eval ../shared/data/dev/*.gold.json\n  musubi eval --format json my.gold.json my-article.txt"
    )]
    Eval {
        /// Gold files (*.gold.json) and, optionally, their articles.
        #[arg(required = true, value_name = "GOLD.json|ARTICLE")]
        paths: Vec<PathBuf>,
        /// How the articles lay out their header lines, for gold files that do
        /// not say (a gold file's own "layout" wins).
        #[arg(long, value_enum)]
        layout: Option<LayoutArg>,
        #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
        format: ReportFormat,
        /// Facts of the relation rules alone, without the trained scorer.
        #[arg(long, conflicts_with = "folds")]
        rules_only: bool,
        /// K-fold cross-validation of the relation scorer on the gold files: fit
        /// it (thresholds included) on K-1 parts of them and the --extra-train
        /// files, score rules + scorer on the remaining part, K times, and pool.
        #[arg(long, value_name = "K")]
        folds: Option<usize>,
        /// Annotated files (JacRED, *.gold.json) to add to every fold's training
        /// data; they are never scored.
        #[arg(long, value_name = "FILE", requires = "folds")]
        extra_train: Vec<PathBuf>,
    },
    /// Score the relations musubi shares with Wikidata on a JacRED (DocRED-format)
    /// file, per relation: people's lives (born_in/on, died_in/on, educated_at,
    /// citizen_of, spouse_of, child_of, sibling_of), works (created,
    /// performed_in, published), organisations (works_for, member_of, heads,
    /// founded, owned_by, part_of, participant_in, award_received, follows) and
    /// places (located_in, capital_of).
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
        /// Facts of the relation rules alone, without the trained scorer.
        #[arg(long, conflicts_with = "folds")]
        rules_only: bool,
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
pub const DEFAULT_EPOCHS: usize = 15;

#[derive(Clone, Copy, ValueEnum, PartialEq)]
pub enum ReportFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum QueryFormat {
    Table,
    Json,
    Csv,
    Tsv,
    Xml,
}

#[derive(Clone, Copy, ValueEnum, PartialEq)]
pub enum ExportFormat {
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
pub enum ExtractFormat {
    Turtle,
    Ntriples,
    Nquads,
    Trig,
    Jsonld,
    Jsonl,
}

/// How facts' provenance is written ([`Provenance`]).
#[derive(Clone, Copy, ValueEnum)]
pub enum ProvenanceArg {
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

/// How input files lay out their header lines ([`Layout`]).
#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum LayoutArg {
    Plain,
    Livedoor,
}

impl From<LayoutArg> for Layout {
    fn from(a: LayoutArg) -> Layout {
        match a {
            LayoutArg::Plain => Layout::Plain,
            LayoutArg::Livedoor => Layout::Livedoor,
        }
    }
}
