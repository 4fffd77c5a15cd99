//! `export` (the store as a picture or as RDF) and `extract` (one article's
//! facts without a store).
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{anyhow, Context, Result};
use oxigraph::io::RdfFormat;

use musubi::backend::Backend;
use musubi::provenance::Provenance;
use musubi::{export, Article, Extraction, Extractor, Layout, Object, Rules};

use crate::args::{ExportFormat, ExtractFormat};
use crate::store::Target;

pub fn run(
    target: &Target,
    format: ExportFormat,
    provenance: Provenance,
    article: Option<&str>,
    output: Option<&Path>,
) -> Result<ExitCode> {
    let store = target.open(false)?;
    let article = article.map(|a| store.find_article(a)).transpose()?;
    let bytes = export_bytes(&store, format, provenance, article.as_deref())?;
    match output {
        Some(path) => std::fs::write(path, bytes).with_context(|| format!("{}", path.display()))?,
        None => std::io::stdout().write_all(&bytes)?,
    }
    Ok(ExitCode::SUCCESS)
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

fn rdf_format(format: ExtractFormat) -> Option<RdfFormat> {
    Some(match format {
        ExtractFormat::Turtle => RdfFormat::Turtle,
        ExtractFormat::Ntriples => RdfFormat::NTriples,
        ExtractFormat::Nquads => RdfFormat::NQuads,
        ExtractFormat::Trig => RdfFormat::TriG,
        ExtractFormat::Jsonld => RdfFormat::from_extension("jsonld")?,
        ExtractFormat::Jsonl => return None,
    })
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
/// have it (no ingest time). A file that fails is reported and the others
/// written; the exit status is then non-zero.
pub fn extract(
    rules: Rules,
    paths: &[PathBuf],
    files_from: Option<&Path>,
    layout: Layout,
    format: ExtractFormat,
    provenance: Provenance,
    default_graph: Option<&str>,
) -> Result<ExitCode> {
    let walk = musubi::walk::article_files(paths)?;
    for error in &walk.unreadable {
        eprintln!("musubi: error: {}", error.report());
    }
    let mut files = walk.files;
    if let Some(list) = files_from {
        files.extend(read_file_list(list)?);
    }
    let extractor = Extractor::new(rules)?;
    let default_graph = default_graph
        .map(|g| {
            oxigraph::model::NamedNode::new(g).map_err(|e| anyhow!("--default-graph {g}: {e}"))
        })
        .transpose()?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut jsonl = Vec::new();
    let mut stream = match rdf_format(format) {
        Some(f) => Some(export::RdfStream::new(
            f,
            provenance,
            default_graph,
            &mut out,
        )?),
        None => None,
    };
    let mut failed = walk.unreadable.len();
    for file in &files {
        let read = Article::read(file, layout).and_then(|a| {
            for w in &a.warnings {
                eprintln!("musubi: warning: {}: {w}", file.display());
            }
            extractor.extract(a)
        });
        let x = match read {
            Ok(x) => x,
            Err(e) => {
                eprintln!("musubi: error: {e}");
                failed += 1;
                continue;
            }
        };
        match &mut stream {
            Some(stream) => stream.write(export::article_alone(
                &x,
                &extractor.rules().resolution.names,
            )?)?,
            None => {
                write_jsonl(&x, &mut jsonl)?;
                std::io::stdout().write_all(&jsonl)?;
                jsonl.clear();
            }
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

/// One JSON object per fact, with its sentence and provenance.
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
