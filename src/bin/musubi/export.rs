//! `export` (the store as a picture or as RDF) and `extract` (one article's
//! facts without a store).
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};
use oxigraph::io::RdfFormat;

use musubi::store::Store;
use musubi::{export, Article, Extraction, Extractor, Layout, Object, Rules};

use crate::args::{ExportFormat, ExtractFormat};

pub fn run(
    store: &Path,
    format: ExportFormat,
    article: Option<&str>,
    output: Option<&Path>,
) -> Result<ExitCode> {
    let store = Store::open_read_only(store)?;
    let article = article.map(|a| store.find_article(a)).transpose()?;
    let bytes = export_bytes(&store, format, article.as_deref())?;
    match output {
        Some(path) => std::fs::write(path, bytes).with_context(|| format!("{}", path.display()))?,
        None => std::io::stdout().write_all(&bytes)?,
    }
    Ok(ExitCode::SUCCESS)
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

pub fn extract(
    rules: Rules,
    file: &Path,
    layout: Layout,
    format: ExtractFormat,
) -> Result<ExitCode> {
    let extractor = Extractor::new(rules)?;
    let article = Article::read(file, layout)?;
    let x = extractor.extract(article)?;
    let mut out = std::io::stdout().lock();
    match format {
        ExtractFormat::Jsonl => write_jsonl(&x, &mut out)?,
        ExtractFormat::Turtle => {
            let store = Store::in_memory()?;
            store.ingest(&x, &extractor.rules().resolution.names)?;
            export::write_rdf(&store, RdfFormat::Turtle, None, &mut out)?;
        }
    }
    Ok(ExitCode::SUCCESS)
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
