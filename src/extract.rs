//! The extraction pipeline: one article in, one [`Extraction`] out. Pure: the
//! same article and rules always give the same result.
use crate::document::{AnalyzedSentence, EntityType, Extraction};
use crate::error::Result;
use crate::relations::model::RelationModel;
use crate::rules::Rules;
use crate::text::{split_sentences, Article};
use crate::tokens::Tokenizer;
use crate::{entities, mentions, relations};

/// Holds what every article needs: the dictionary and the rules.
pub struct Extractor {
    tokenizer: Tokenizer,
    rules: Rules,
    /// Names seen in earlier articles (see [`Extractor::with_known_names`]).
    known: mentions::KnownNames,
}

impl Extractor {
    pub fn new(rules: Rules) -> Result<Self> {
        Ok(Extractor {
            tokenizer: Tokenizer::new()?,
            rules,
            known: mentions::KnownNames::default(),
        })
    }

    /// Also finds these names, with their types, wherever an article writes them
    /// (token-aligned, where nothing else was found): how `musubi ingest` carries
    /// what the store already knows into the next article.
    pub fn with_known_names(mut self, names: Vec<(String, EntityType)>) -> Self {
        self.known = mentions::KnownNames::new(names, &self.rules.ner);
        self
    }

    pub fn rules(&self) -> &Rules {
        &self.rules
    }

    pub fn tokenizer(&self) -> &Tokenizer {
        &self.tokenizer
    }

    /// Sentences and tokens of an article: the input of every later stage.
    pub fn analyze(&self, article: &Article) -> Result<Vec<AnalyzedSentence>> {
        split_sentences(&article.text)
            .into_iter()
            .map(|sentence| {
                let tokens = self.tokenizer.tokenize(&sentence.text, sentence.start)?;
                Ok(AnalyzedSentence { sentence, tokens })
            })
            .collect()
    }

    pub fn extract(&self, article: Article) -> Result<Extraction> {
        self.extract_with_model(article, self.rules.relation_model())
    }

    /// [`Extractor::extract`] with the given relation scorer instead of the
    /// rules' one (None: the rules alone), for training and measuring it.
    pub fn extract_with_model(
        &self,
        article: Article,
        scorer: Option<&RelationModel>,
    ) -> Result<Extraction> {
        let analyzed = self.analyze(&article)?;
        let (mut mentions, values) =
            mentions::recognize_with(&analyzed, &self.rules.ner, self.rules.ner_model());
        self.known.add_to(&analyzed, &mut mentions);
        let resolution = entities::resolve(&analyzed, &mentions, &self.rules.resolution);
        let facts = relations::extract_with_model(
            &analyzed,
            &mentions,
            &values,
            &resolution,
            &self.rules.relations,
            scorer,
        );
        Ok(Extraction {
            article,
            sentences: analyzed.into_iter().map(|s| s.sentence).collect(),
            mentions,
            values,
            entities: resolution.entities,
            mention_entity: resolution.mention_entity,
            facts,
        })
    }
}
