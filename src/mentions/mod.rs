//! Stage 3: mentions. Finds the spans that name people, organisations, products,
//! places and events, and typed values (money, percent, dates, counts).
//!
//! Names come from a statistical tagger ([`tagger`], trained on Japanese Wikipedia)
//! when one is available, and from cue rules otherwise; the rules then correct the
//! tagger with what the article says explicitly (titles such as 氏, head nouns such as
//! 企業, a parenthesised second name, the same name elsewhere in the article) and add
//! pronouns, 同社-style anaphors and values, which the tagger does not learn.
//!
//! The stage is split by what each part decides: [`rules`] is the schema of
//! `entities.toml`; [`spans`] finds where names are, [`naming`] turns a span
//! into a mention, [`references`] adds pronouns and anaphors, and [`passes`]
//! correct the mentions with what the whole article says. [`values`] reads
//! money, dates and counts.
use std::collections::HashSet;
use std::sync::OnceLock;

use crate::document::{AnalyzedSentence, Mention, ValueMention};

mod bodies;
pub mod boilerplate;
mod buildings;
mod context_types;
mod glue;
mod headings;
mod known;
pub mod lexicon;
mod naming;
mod oracle;
mod passes;
mod references;
pub mod rules;
mod scripts;
mod spans;
pub mod tagger;
pub mod values;

pub use boilerplate::{boilerplate_sentences, drop_boilerplate, BoilerplateCues};
pub use known::{KnownName, KnownNames};
pub use lexicon::{NameCues, NameLexicon};
pub use naming::canonical_name;
pub use oracle::oracle_mentions;
pub use rules::{NameSuffix, NerRules};
pub use spans::token_cues;
pub use tagger::{Model, TokenCues};

use context_types::{split_addresses, type_awards, type_by_label, type_makers, type_teams};
use naming::{country_mention, name_mention, outside_parentheses};
use passes::{
    add_descriptions, add_parenthesised_names, extend_regnal_numbers, extend_to_known_names,
    harmonise_article, join_titles_across_readings, split_titled_names, type_bracket_runs,
    type_by_description, type_by_neighbours, type_by_parenthesis,
};
use rules::in_list;
use spans::{
    join_split_surnames, latin_end, overlaps, rule_spans, surname_start, word_start, STRONG,
};

/// The embedded tagger (read in place, see [`tagger::Model::builtin`]); None when
/// the binary was built with an empty model file: the rules alone find names.
pub fn builtin_model() -> Option<&'static Model> {
    static MODEL: OnceLock<Option<Model>> = OnceLock::new();
    MODEL.get_or_init(|| Model::builtin().ok()).as_ref()
}

/// Finds entity mentions and value mentions in an article's sentences, with the
/// built-in tagger.
pub fn recognize(
    sentences: &[AnalyzedSentence],
    rules: &NerRules,
) -> (Vec<Mention>, Vec<ValueMention>) {
    recognize_with(sentences, rules, builtin_model())
}

/// Like [`recognize`] with a chosen tagger; `None` uses the rules alone.
pub fn recognize_with(
    sentences: &[AnalyzedSentence],
    rules: &NerRules,
    model: Option<&Model>,
) -> (Vec<Mention>, Vec<ValueMention>) {
    let mut mentions = Vec::new();
    let mut values = Vec::new();
    // Mentions (sentence, start) whose type an explicit cue gave.
    let mut cued_at = HashSet::new();
    for (si, s) in sentences.iter().enumerate() {
        let cues = token_cues(&s.tokens, rules);
        let spans = match model {
            Some(m) => {
                let mut spans: Vec<_> = m
                    .tag(&s.tokens, &cues)
                    .into_iter()
                    .filter_map(|sp| outside_parentheses(&s.tokens, sp))
                    .collect();
                // Rule spans with an explicit cue fill the gaps the tagger leaves,
                // and replace tagger spans they contain (サカナAI over a bare AI).
                for r in rule_spans(&s.tokens, &cues, rules) {
                    let inside = |x: &tagger::Span| r.start <= x.start && x.end <= r.end;
                    if r.confidence >= STRONG && spans.iter().all(|x| !overlaps(x, &r) || inside(x))
                    {
                        spans.retain(|x| !inside(x));
                        spans.push(r);
                    }
                }
                spans.sort_by_key(|x| x.start);
                join_split_surnames(&s.tokens, &cues, spans)
            }
            None => rule_spans(&s.tokens, &cues, rules),
        };
        let mut covered_to = 0;
        for mut span in spans {
            span.start = surname_start(&s.tokens, &cues, span.start, covered_to, rules);
            span.start = word_start(&s.tokens, span.start, covered_to);
            if span.start < covered_to {
                continue;
            }
            span.end = latin_end(&s.tokens, span.end);
            let floor = covered_to;
            covered_to = span.end;
            if let Some((m, cued)) = name_mention(s, si, span, floor, &cues, rules) {
                covered_to = covered_to.max(m.tokens.end);
                if cued {
                    cued_at.insert((si, m.start));
                }
                // 米エヌビディア: the country the name dropped is a place of its own.
                let k = m.tokens.start.wrapping_sub(1);
                if m.tokens.start > span.start.max(floor)
                    && in_list(&rules.country_prefixes, s.tokens[k].surface)
                {
                    mentions.push(country_mention(s, si, k));
                }
                mentions.push(m);
            }
        }
        references::find(s, si, rules, &mut mentions);
        values.extend(values::find(s, si, rules));
    }
    join_titles_across_readings(sentences, rules, &mut mentions);
    add_parenthesised_names(sentences, rules, &mut mentions);
    mentions.sort_by_key(|m| (m.sentence, m.start));
    extend_to_known_names(sentences, &mut mentions);
    split_titled_names(sentences, rules, &mut mentions);
    mentions.sort_by_key(|m| (m.sentence, m.start));
    extend_regnal_numbers(sentences, rules, &mut mentions);
    glue::trim_fused_words(sentences, &mut mentions);
    glue::trim_broadcast_verbs(sentences, rules, &mut mentions);
    bodies::name_organisations_of_bodies(rules, &mut mentions);
    glue::trim_labels(sentences, &mut mentions);
    glue::trim_stray_symbols(sentences, &mut mentions);
    glue::split_coordinated(sentences, &mut mentions);
    type_by_neighbours(sentences, &mut cued_at, &mut mentions);
    type_by_description(sentences, rules, &mut cued_at, &mut mentions);
    type_by_parenthesis(sentences, rules, &mut cued_at, &mut mentions);
    type_awards(sentences, rules, &mut cued_at, &mut mentions);
    type_makers(sentences, rules, &mut cued_at, &mut mentions);
    type_teams(sentences, rules, &mut cued_at, &mut mentions);
    split_addresses(sentences, rules, &mut mentions);
    buildings::find_buildings(sentences, rules, &mut mentions);
    headings::name_listed_spots(sentences, rules, &mut cued_at, &mut mentions);
    type_by_label(sentences, rules, &mut cued_at, &mut mentions);
    mentions.sort_by_key(|m| (m.sentence, m.start));
    type_bracket_runs(sentences, &cued_at, &mut mentions);
    harmonise_article(sentences, &cued_at, &mut mentions);
    scripts::add_other_script_spellings(sentences, &mut mentions);
    add_descriptions(sentences, rules, &mut mentions);
    mentions.sort_by_key(|m| (m.start, m.end));
    (mentions, values)
}

#[cfg(test)]
mod tests;
