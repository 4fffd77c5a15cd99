//! The schema of `ontology/entities.toml`: the cue words the recogniser reads
//! (name suffixes, titles, head nouns, anaphors, counters), with the lookups
//! the stage makes of them for every token.
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, OnceLock};

use serde::Deserialize;

use super::NameLexicon;
use crate::document::EntityType;

/// Cues read from `ontology/entities.toml`.
#[derive(Debug, Clone, Deserialize)]
pub struct NerRules {
    /// Titles and honorifics written right after a person's name (氏, 選手, CEO).
    pub person_suffixes: Vec<String>,
    pub organization_suffixes: Vec<String>,
    pub place_suffixes: Vec<String>,
    #[serde(default)]
    pub event_suffixes: Vec<String>,
    /// Suffixes after the name of whoever made a thing (シャープ製).
    #[serde(default)]
    pub maker_suffixes: Vec<String>,
    /// Words that make a name a channel's (テレビ, TV), and verbal nouns of what a
    /// channel does (放送) that fuse onto such a name: テレビ朝日放送「…」 is
    /// テレビ朝日's broadcast.
    #[serde(default)]
    pub channel_words: Vec<String>,
    #[serde(default)]
    pub broadcast_verbs: Vec<String>,
    /// Organs of an organisation written after its name (X党中央委員会): the
    /// name is the organisation's, whose organ speaks for it.
    #[serde(default)]
    pub organization_bodies: Vec<String>,
    /// Words that end a building's name (ビル, タワー): before a floor (B1F), a place.
    #[serde(default)]
    pub facility_suffixes: Vec<String>,
    /// Marks that open a heading (■, ◆): the words after them stand alone.
    #[serde(default)]
    pub heading_marks: Vec<String>,
    /// Words that end the name of a prize (賞, 章): such a name is an award.
    #[serde(default)]
    pub award_suffixes: Vec<String>,
    /// Words after a name that always mark a person (氏, さん); titles such as 知事
    /// or 監督 also follow places and organisations (東京都知事), so only these
    /// override the tagger.
    #[serde(default)]
    pub person_honorifics: Vec<String>,
    /// Text right after a name that marks an organisation (の創設者, に入社).
    #[serde(default)]
    pub organization_contexts: Vec<String>,
    /// Text right after a foreign name written with a middle dot (X・Y) that
    /// marks a person (が歌う, 来日): a singer or an actor, not their product.
    #[serde(default)]
    pub person_contexts: Vec<String>,
    /// Text right after a name that marks a place (で開催, に到着).
    #[serde(default)]
    pub place_contexts: Vec<String>,
    /// Head nouns written right before a name (optionally with の) that give its type.
    #[serde(default)]
    pub person_heads: Vec<String>,
    #[serde(default)]
    pub organization_heads: Vec<String>,
    #[serde(default)]
    pub place_heads: Vec<String>,
    #[serde(default)]
    pub product_heads: Vec<String>,
    /// Head nouns of a group (お笑いコンビ, ユニット) that also introduce its
    /// name in brackets (お笑いコンビ「X」).
    #[serde(default)]
    pub group_heads: Vec<String>,
    /// 米, 英…: abbreviations of a country written before a foreign name.
    #[serde(default)]
    pub country_prefixes: Vec<String>,
    pub person_pronouns: Vec<String>,
    pub anaphors: BTreeMap<String, EntityType>,
    #[serde(default)]
    pub currencies: BTreeMap<String, String>,
    #[serde(default)]
    pub counters: Vec<String>,
    #[serde(default)]
    pub multipliers: BTreeMap<String, u64>,
    /// Abbreviations and words that look like names but are common nouns (AI, CEO).
    #[serde(default)]
    pub common_nouns: Vec<String>,
    /// Anaphors that refer to two things at once (両社, 両氏).
    #[serde(default)]
    pub pair_anaphors: Vec<String>,
    /// Nouns that introduce an organisation by description (持ち株会社, 新会社).
    #[serde(default)]
    pub organization_descriptions: Vec<String>,
    /// Nouns before a bracketed title that make it the name of a work (映画「…」).
    #[serde(default)]
    pub work_heads: Vec<String>,
    /// Nouns before a bracketed title that make it the name of an event
    /// (イベント「…」, 見本市「…」).
    #[serde(default)]
    pub event_heads: Vec<String>,
    /// Labels whose value is the name of a product (商品名: X).
    #[serde(default)]
    pub product_labels: Vec<String>,
    /// Labels whose value is the name of whoever made the thing of the block
    /// (開発者: X), when the recogniser found no name there itself.
    #[serde(default)]
    pub maker_labels: Vec<String>,
    /// Administrative levels that end a place inside an address (都, 県, 区):
    /// 東京都新宿区西新宿 is three places.
    #[serde(default)]
    pub address_levels: Vec<String>,
    /// Words after a place name that name a part of it (南部, 県内, 周辺):
    /// the name ends before them.
    #[serde(default)]
    pub place_areas: Vec<String>,
    /// Words after a number that end a sovereign's name (ルイ13世).
    #[serde(default)]
    pub regnal_suffixes: Vec<String>,
    /// Titles of rulers and nobles written between the place they rule and
    /// their name (フランス王ルイ, X公Y).
    #[serde(default)]
    pub ruler_titles: Vec<String>,
    /// Titles of a team's players and staff (選手, 監督, MF): a place they
    /// play for is a club (ハンブルクの田中選手).
    #[serde(default)]
    pub team_titles: Vec<String>,
    /// Words that make a place name a team (日本代表, 県選抜).
    #[serde(default)]
    pub team_suffixes: Vec<String>,
    /// Text after a place name that makes it a team playing a match (と対戦,
    /// を下し): the club named after its city.
    #[serde(default)]
    pub team_contexts: Vec<String>,
    /// Nouns that make "name + の + noun" the name of an event (応仁の乱, 桜田門外の変).
    #[serde(default)]
    pub event_of_nouns: Vec<String>,
    /// Lines that are not the article's own statements (links, credits, tags).
    #[serde(default)]
    pub boilerplate: super::BoilerplateCues,
    /// Proper nouns and their kinds (ontology/names.tsv), set by `Rules::load`.
    #[serde(skip)]
    pub lexicon: Option<Arc<NameLexicon>>,
    #[serde(skip)]
    suffix_index: OnceLock<HashMap<String, NameSuffix>>,
}

impl NerRules {
    /// The type a head noun gives (企業 → organisation, 選手 → person): the first
    /// head-noun list that `matches`. The lists share no word.
    pub(super) fn head_type(&self, matches: impl Fn(&[String]) -> bool) -> Option<EntityType> {
        [
            (&self.person_heads, EntityType::Person),
            (&self.organization_heads, EntityType::Organization),
            (&self.product_heads, EntityType::Product),
            (&self.place_heads, EntityType::Place),
        ]
        .into_iter()
        .find(|(list, _)| matches(list))
        .map(|(_, t)| t)
    }

    /// Which suffix list a word is in. Built once per rule set: it is asked
    /// for every token.
    pub fn suffix_of(&self, word: &str) -> Option<NameSuffix> {
        let map = self.suffix_index.get_or_init(|| {
            let mut m = HashMap::new();
            // Earlier lists win, so insert in reverse order of priority.
            for (kind, list) in [
                (NameSuffix::Event, &self.event_suffixes),
                (NameSuffix::Place, &self.place_suffixes),
                (NameSuffix::Organization, &self.organization_suffixes),
                (NameSuffix::Person, &self.person_suffixes),
            ] {
                for w in list {
                    m.insert(w.clone(), kind);
                }
            }
            m
        });
        map.get(word).copied()
    }
}

/// The kind of name a suffix word ends or follows: a person's title (氏, 社長),
/// an organisation's ending (銀行, 大学), a place's (市, 駅) or an event's
/// (大会, 選手権). The discriminants are the tagger's feature values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NameSuffix {
    Person = 1,
    Organization = 2,
    Place = 3,
    Event = 4,
}

pub(super) fn in_list(list: &[String], s: &str) -> bool {
    list.iter().any(|x| x == s)
}

/// Whether `s` ends with one of the words of `list` (a head noun of a compound).
pub(super) fn ends_with_one_of(list: &[String], s: &str) -> bool {
    list.iter().any(|x| s.ends_with(x.as_str()))
}
