//! Extraction rules as data. The defaults are the files under `ontology/`,
//! compiled into the binary so it runs from anywhere; `--ontology DIR` (or
//! `MUSUBI_ONTOLOGY`) reads the same files from a folder instead, so a user can
//! change or add rules without recompiling.
use std::path::Path;
use std::sync::Arc;

use serde::de::DeserializeOwned;

use crate::entities::ResolutionRules;
use crate::error::{Error, Result};
use crate::mentions::{builtin_model, lexicon, Model, NameLexicon, NerRules};
use crate::relations::model::{self as relation_model, RelationModel};
use crate::relations::RelationRules;
use crate::vocabulary::Vocabulary;

/// The rule files, by name inside the ontology folder, with their built-in copies.
pub const ENTITY_RULES: (&str, &str) = ("entities.toml", include_str!("../ontology/entities.toml"));
pub const RESOLUTION_RULES: (&str, &str) = (
    "resolution.toml",
    include_str!("../ontology/resolution.toml"),
);
pub const RELATION_RULES: (&str, &str) =
    ("relations.toml", include_str!("../ontology/relations.toml"));
pub const VOCABULARY: (&str, &str) = ("musubi.ttl", include_str!("../ontology/musubi.ttl"));
pub const ALIASES: (&str, &str) = ("aliases.ttl", include_str!("../ontology/aliases.ttl"));
/// The name tagger's weights (binary); `musubi train-ner` writes one.
pub const NER_MODEL: &str = "ner-model.bin";

/// All rules the extractor reads.
#[derive(Debug, Clone)]
pub struct Rules {
    pub ner: NerRules,
    pub resolution: ResolutionRules,
    pub relations: RelationRules,
    /// The vocabulary (classes, relations, labels), loaded into the store.
    pub vocabulary: Vocabulary,
    /// Pinned entities (name of the file, Turtle): spellings a user ties to one
    /// IRI, with optional `owl:sameAs` links. See ontology/aliases.ttl.
    pub aliases: Vec<(String, String)>,
    /// A name tagger read from the ontology folder; None: the built-in one.
    pub ner_model: Option<Arc<Model>>,
    /// A relation scorer read from the ontology folder (`re-model.bin`); None:
    /// the built-in one.
    pub relation_model: Option<Arc<RelationModel>>,
}

impl Rules {
    /// The rules compiled into the binary.
    pub fn builtin() -> Result<Rules> {
        Rules::load(None)
    }

    /// Reads the rules from `dir`, or the built-in ones when `dir` is None.
    /// A file missing from `dir` falls back to its built-in copy.
    pub fn load(dir: Option<&Path>) -> Result<Rules> {
        if let Some(dir) = dir {
            let meta = std::fs::metadata(dir).map_err(|e| Error::io(dir, e))?;
            if !meta.is_dir() {
                return Err(Error::Rules {
                    path: dir.display().to_string(),
                    problem: "not a folder (--ontology takes a folder of rule files)".into(),
                });
            }
        }
        // Parsed here, so that an error names the user's file, not the store's
        // copy that loading it would name.
        let (vocabulary_path, vocabulary_text) = read(dir, VOCABULARY)?;
        let vocabulary = Vocabulary::parse(&vocabulary_text).map_err(|problem| Error::Rules {
            path: vocabulary_path,
            problem,
        })?;
        let aliases = read(dir, ALIASES)?;
        check_turtle(&aliases.0, &aliases.1)?;
        let mut relations: RelationRules = parse(dir, RELATION_RULES)?;
        if let Err(problem) = relations.validate(&vocabulary) {
            let path = read(dir, RELATION_RULES)?.0;
            return Err(Error::Rules { path, problem });
        }
        relations.add_deputy_cues();
        let mut ner: NerRules = parse(dir, ENTITY_RULES)?;
        // The shipped lexicon is compiled into the binary and read in place; a
        // folder's own list is compiled here.
        ner.lexicon = Some(match read_from_folder(dir, lexicon::FILE_NAME)? {
            Some((path, text)) => Arc::new(
                NameLexicon::parse(&text).map_err(|problem| Error::Rules { path, problem })?,
            ),
            None => NameLexicon::builtin(),
        });
        Ok(Rules {
            ner,
            resolution: parse(dir, RESOLUTION_RULES)?,
            relations,
            vocabulary,
            aliases: vec![aliases],
            ner_model: match dir.map(|d| d.join(NER_MODEL)) {
                Some(path) if path.exists() => Some(Arc::new(Model::load(&path)?)),
                _ => None,
            },
            relation_model: match dir.map(|d| d.join(relation_model::FILE_NAME)) {
                Some(path) if path.exists() => Some(Arc::new(RelationModel::load(&path)?)),
                _ => None,
            },
        })
    }

    /// The relation scorer extraction uses: the folder's own, else the built-in one.
    pub fn relation_model(&self) -> Option<&RelationModel> {
        match &self.relation_model {
            Some(model) => Some(model),
            None => relation_model::builtin_model(),
        }
    }

    /// The name tagger extraction uses: the folder's own, else the built-in one.
    pub fn ner_model(&self) -> Option<&Model> {
        match &self.ner_model {
            Some(model) => Some(model),
            None => builtin_model(),
        }
    }

    /// Adds a user's alias file (`--aliases FILE`).
    pub fn add_alias_file(&mut self, path: &Path) -> Result<()> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        let name = path.display().to_string();
        check_turtle(&name, &text)?;
        self.aliases.push((name, text));
        Ok(())
    }
}

/// Fails with the file's path and the parser's one-line message when `text` is
/// not Turtle.
fn check_turtle(path: &str, text: &str) -> Result<()> {
    let parser = oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::Turtle);
    for quad in parser.for_slice(text.as_bytes()) {
        quad.map_err(|e| Error::Rules {
            path: path.to_string(),
            problem: e
                .to_string()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
        })?;
    }
    Ok(())
}

fn read(dir: Option<&Path>, (name, builtin): (&str, &str)) -> Result<(String, String)> {
    Ok(read_from_folder(dir, name)?
        .unwrap_or_else(|| (format!("ontology/{name} (built in)"), builtin.to_string())))
}

/// The folder's own copy of a rule file (its path and text), if it has one.
fn read_from_folder(dir: Option<&Path>, name: &str) -> Result<Option<(String, String)>> {
    let Some(path) = dir.map(|d| d.join(name)).filter(|p| p.exists()) else {
        return Ok(None);
    };
    let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
    Ok(Some((path.display().to_string(), text)))
}

fn parse<T: DeserializeOwned>(dir: Option<&Path>, file: (&str, &str)) -> Result<T> {
    let (path, text) = read(dir, file)?;
    toml::from_str(&text).map_err(|e| Error::Rules {
        path,
        problem: e.to_string().lines().collect::<Vec<_>>().join(" "),
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn builtin_rules_parse() {
        super::Rules::builtin().unwrap();
    }
}
