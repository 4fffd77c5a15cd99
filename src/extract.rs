//! The extraction pipeline: one article in, one [`Extraction`] out. Pure: the
//! same article and rules always give the same result.
use crate::document::{AnalyzedSentence, Extraction};
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
    pub fn with_known_names(mut self, names: Vec<mentions::KnownName>) -> Self {
        self.known = mentions::KnownNames::new(names, &self.rules.ner);
        self
    }

    /// The names set by [`Extractor::with_known_names`].
    pub fn known_names(&self) -> &mentions::KnownNames {
        &self.known
    }

    pub fn rules(&self) -> &Rules {
        &self.rules
    }

    pub fn tokenizer(&self) -> &Tokenizer {
        &self.tokenizer
    }

    /// Sentences and tokens of an article: the input of every later stage.
    /// The tokens borrow from the article's text.
    pub fn analyze<'a>(&'a self, article: &'a Article) -> Result<Vec<AnalyzedSentence<'a>>> {
        let text = article.text.as_str();
        // Byte offset of each character, to cut the sentences out of the text.
        let mut bytes: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
        bytes.push(text.len());
        split_sentences(text)
            .into_iter()
            .map(|sentence| {
                let part = &text[bytes[sentence.start]..bytes[sentence.end]];
                let tokens = self.tokenizer.tokenize(part, sentence.start)?;
                Ok(AnalyzedSentence { sentence, tokens })
            })
            .collect()
    }

    pub fn extract(&self, article: Article) -> Result<Extraction> {
        self.extract_knowing(article, &self.known)
    }

    /// Like [`Extractor::extract`], looking for `known` instead of the names set
    /// by [`Extractor::with_known_names`]: how an ingest adds the names of the
    /// articles it has stored so far.
    pub fn extract_knowing(
        &self,
        article: Article,
        known: &mentions::KnownNames,
    ) -> Result<Extraction> {
        // The scorer's tables are decoded on first use: a run with `[model]
        // enabled = false` never pays for them.
        let scorer = if self.rules.relations.model.enabled {
            self.rules.relation_model()
        } else {
            None
        };
        self.extract_with(article, known, scorer)
    }

    /// Like [`Extractor::extract_knowing`], with the given relation scorer
    /// instead of the rules' one (None: the rules alone), for training and
    /// measuring it.
    pub fn extract_with(
        &self,
        article: Article,
        known: &mentions::KnownNames,
        scorer: Option<&RelationModel>,
    ) -> Result<Extraction> {
        let analyzed = self.analyze(&article)?;
        let (mut mentions, mut values) =
            mentions::recognize_with(&analyzed, &self.rules.ner, self.rules.ner_model());
        known.add_to(&analyzed, &self.rules.ner, &mut mentions);
        let cues = &self.rules.ner.boilerplate;
        let boilerplate = mentions::boilerplate_sentences(&article.text, &analyzed, cues);
        mentions::drop_boilerplate(&analyzed, &boilerplate, cues, &mut mentions, &mut values);
        let resolution = entities::resolve(&analyzed, &mentions, &self.rules.resolution);
        let facts = relations::extract_with_model(
            &analyzed,
            &mentions,
            &values,
            &resolution,
            &self.rules.relations,
            scorer,
            self.rules.ner.lexicon.as_deref(),
        );
        let sentences = analyzed.into_iter().map(|s| s.sentence).collect();
        Ok(Extraction {
            article,
            sentences,
            mentions,
            values,
            entities: resolution.entities,
            mention_entity: resolution.mention_entity,
            facts,
        })
    }
}
