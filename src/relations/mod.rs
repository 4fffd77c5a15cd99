//! Stage 5: facts. Each sentence is chunked into bunsetsu ([`bunsetsu`]) and
//! placed in a sentence model with its entities ([`sentence`]); every
//! predicate gets a case frame ([`frames`]) whose roles are filled
//! ([`roles`]); and the rules of `ontology/relations.toml` ([`rules`]) map
//! frames and role nouns to relations of `ontology/musubi.ttl`, one module per
//! rule kind ([`apply`]). Found facts get their provenance and are deduplicated
//! in [`facts`].
//!
//! The stage is a pure function of the article's sentences, mentions, values
//! and entities; the only state carried from sentence to sentence is the
//! topic, which zero subjects refer back to.
//!
//! Two kinds of rule:
//! - `[[rule]]`: a predicate lemma plus a case frame (particles per role,
//!   entity types, optional role-noun cues, literal objects, extra conditions);
//! - `[[noun_rule]]`: a role noun (社長, 創設者, 子会社…) linking the person or
//!   thing that holds the role to its owner (Xの社長Y, YはXの社長だ, Xの創設者であるY).
//!
//! A predicate with two entity arguments that no rule maps gives an open fact.
//!
//! The trained scorer ([`model`]) then adds the facts no rule stated, from
//! every pair of things a sentence speaks of ([`extract_with_model`]).
use crate::document::{AnalyzedSentence, EntityType, Fact, Mention, Resolution, ValueMention};

mod apply;
pub mod bunsetsu;
mod facts;
mod frames;
mod list_openers;
pub mod model;
mod roles;
pub mod rules;
mod sentence;

pub use rules::{
    GenitiveRule, LabelRule, Modality, NounRule, ParenRule, RelationRule, RelationRules, Role,
};
use sentence::{ArticleContext, Sent};

/// Extracts facts from the sentences of one article. Sentences are read in
/// order, each carrying its topic into the next (zero subjects).
pub fn extract(
    sentences: &[AnalyzedSentence],
    mentions: &[Mention],
    values: &[ValueMention],
    res: &Resolution,
    rules: &RelationRules,
) -> Vec<Fact> {
    // Mentions and values grouped by sentence once, so that the cost stays
    // linear in the article however many sentences it has.
    let mut mentions_of: Vec<Vec<usize>> = vec![Vec::new(); sentences.len()];
    for (mi, m) in mentions.iter().enumerate() {
        if let Some(v) = mentions_of.get_mut(m.sentence) {
            v.push(mi);
        }
    }
    let mut values_of: Vec<Vec<ValueMention>> = vec![Vec::new(); sentences.len()];
    for v in values {
        if let Some(list) = values_of.get_mut(v.sentence) {
            list.push(v.clone());
        }
    }
    let (headline, headline_named, work_titled) =
        headline_entities(sentences, mentions, res, rules);
    let article = ArticleContext {
        sentences,
        mentions,
        res,
        rules,
        cue_index: &rules.prepared().cue_index,
        headline: &headline,
        headline_named,
        work_titled: &work_titled,
    };
    let mut facts: Vec<Fact> = Vec::new();
    // The topic carried into the next sentence (zero subjects).
    let mut carried: Vec<usize> = Vec::new();
    let mut blocks = apply::label::Blocks::default();
    for ((si, s), own_values) in sentences.iter().enumerate().zip(values_of) {
        let sent = Sent::new(&article, si, s, &mentions_of[si], own_values);
        let frames = frames::build(&sent, &carried);
        for f in &frames {
            apply::predicate::apply(&sent, f, &mut facts);
        }
        apply::noun::apply(&sent, &frames, &carried, &mut facts);
        apply::genitive::apply(&sent, &mut facts);
        apply::paren::apply(&sent, &mut facts);
        apply::label::apply(&sent, &mut blocks, &mut facts);
        carried = frames::next_topic(&sent, carried);
    }
    let defers = |rule: &str| rules.rules.iter().any(|r| r.defers && r.id == rule);
    facts::drop_deferred(facts::dedupe(facts), defers)
}

/// What the article is about, most likely first: the entities sentence 0 (the
/// headline) names that the body repeats, most mentioned first; then those
/// the headline does not name but the article mentions more than once
/// (a film review whose headline names only its star). A work counts only
/// when some mention writes it as a title, in 『』 or 「」: a brand, a
/// platform or a programme named in passing is not what a review is about.
/// Of those, one written in 『』, the brackets news keeps for works, comes
/// before one only ever quoted in 「」 (a place or a shop named in a review).
/// A work only ever titled as a series (『X』シリーズ) comes after the other
/// works: the article is about the series' latest work, which it names too.
/// Also how many of them, at the front, the headline names, and per entity
/// whether the article writes it in 『』 anywhere.
fn headline_entities(
    sentences: &[AnalyzedSentence],
    mentions: &[Mention],
    res: &Resolution,
    rules: &RelationRules,
) -> (Vec<usize>, usize, Vec<bool>) {
    let mut count = vec![0usize; res.entities.len()];
    let mut titled = vec![false; res.entities.len()];
    let mut work_titled = vec![false; res.entities.len()];
    let mut single_work = vec![false; res.entities.len()];
    let mut in_work_brackets = vec![0usize; res.entities.len()];
    let mut named: Vec<usize> = Vec::new();
    for (m, e) in mentions.iter().zip(&res.mention_entity) {
        let Some(e) = *e else { continue };
        count[e] += 1;
        if let Some(s) = sentences.get(m.sentence) {
            titled[e] |= s.sentence.fills_brackets(m.start, m.end);
            if s.sentence.fills_work_brackets(m.start, m.end) {
                in_work_brackets[e] += 1;
                work_titled[e] = true;
                let after = s.sentence.text_between(m.end + 1, s.sentence.end);
                single_work[e] |= !rules
                    .series_nouns
                    .iter()
                    .any(|n| after.starts_with(n.as_str()));
            }
        }
        if m.sentence == 0 && !named.contains(&e) {
            named.push(e);
        }
    }
    // A round-up (the week's box office, the films opening this weekend)
    // writes many works in 『』 and none much more than the others: no one
    // work is what it is about, and the work a clause leaves unsaid is the
    // one its paragraph is on, not the headline's.
    let titles: usize = in_work_brackets.iter().sum();
    let most = in_work_brackets.iter().copied().max().unwrap_or(0);
    let share = rules.round_up_share;
    if titles > 0 && share > 0 && most * share <= titles {
        return (Vec::new(), 0, work_titled);
    }
    let about =
        |e: usize| count[e] >= 2 && (res.entities[e].etype != EntityType::Product || titled[e]);
    let rank = |e: &usize| {
        (
            std::cmp::Reverse(work_titled[*e]),
            std::cmp::Reverse(single_work[*e]),
            std::cmp::Reverse(count[*e]),
        )
    };
    named.retain(|&e| about(e));
    named.sort_by_key(rank);
    let mut repeated: Vec<usize> = (0..count.len())
        .filter(|&e| about(e) && !named.contains(&e))
        .collect();
    repeated.sort_by_key(rank);
    let in_headline = named.len();
    named.extend(repeated);
    (named, in_headline, work_titled)
}

/// The rules' facts and then, when a trained scorer is given and `[model]`
/// enables it, the scorer's facts for what no rule stated ([`model`]).
pub fn extract_with_model(
    sentences: &[AnalyzedSentence],
    mentions: &[Mention],
    values: &[ValueMention],
    res: &Resolution,
    rules: &RelationRules,
    scorer: Option<&model::RelationModel>,
    lexicon: Option<&crate::mentions::NameLexicon>,
) -> Vec<Fact> {
    let mut facts = extract(sentences, mentions, values, res, rules);
    // Hook: the trained scorer (relations/model/) adds to the rule facts.
    if let Some(scorer) = scorer.filter(|_| rules.model.enabled) {
        let scorer = model::Scorer {
            model: scorer,
            settings: &rules.model,
            lexicon,
        };
        model::add_facts(sentences, mentions, values, res, scorer, &mut facts);
    }
    facts
}

#[cfg(test)]
mod tests;
