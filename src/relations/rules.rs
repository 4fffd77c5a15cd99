//! The schema of `ontology/relations.toml`: named cue lists, modality cues,
//! and the four kinds of rule (predicate frames, role nouns, bare genitives,
//! parentheticals). The rules are data; this module only says what they mean.
use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use serde::Deserialize;

use crate::document::{EntityType, ValueKind};
use crate::grammar::Particle;
use crate::vocabulary::Vocabulary;

use super::sentence::CueIndex;

/// The contents of `ontology/relations.toml`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RelationRules {
    /// Named cue lists that rules refer to as `"@name"`.
    #[serde(default)]
    pub cues: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    pub modality: Modality,
    #[serde(rename = "rule", default)]
    pub rules: Vec<RelationRule>,
    #[serde(rename = "noun_rule", default)]
    pub noun_rules: Vec<NounRule>,
    #[serde(rename = "genitive_rule", default)]
    pub genitive_rules: Vec<GenitiveRule>,
    #[serde(rename = "paren_rule", default)]
    pub paren_rules: Vec<ParenRule>,
    #[serde(rename = "label_rule", default)]
    pub label_rules: Vec<LabelRule>,
    /// Counters that, after a number or 両, make a noun that sums up the names
    /// before it (A、B、Cの3人が出演, AとBの両社): the names fill its role.
    #[serde(default)]
    pub group_counters: Vec<String>,
    /// Words after names that give them to the noun that follows, which
    /// names nothing itself (A、Bといった豪華キャスト, Xという俳優): the
    /// names fill its role.
    #[serde(default)]
    pub appositives: Vec<String>,
    /// Words after Xを that open a list with X (Xをはじめ、A、B / Xを筆頭に):
    /// X is the first conjunct of the names after them.
    #[serde(default)]
    pub list_openers: Vec<String>,
    /// Nouns IPADIC tags as plain nouns that news writes as the action of a
    /// clause, as a サ変 noun (A、Bらが勢揃い。/ 勢揃いした): they are read
    /// as such nouns when the sentence is cut into bunsetsu.
    #[serde(default)]
    pub action_nouns: Vec<String>,
    /// Nouns that, marked に, mean "besides" (その他に、Xも出演): no place or
    /// work of the verb, so they leave its role unsaid.
    #[serde(default)]
    pub besides: Vec<String>,
    /// Nouns right after a title that make it a series (『X』シリーズの最新作『Y』):
    /// an article about the series' latest work is about that work, not X.
    #[serde(default)]
    pub series_nouns: Vec<String>,
    /// An article whose most written 『』 work makes no more than one in this
    /// many of its 『』 titles is a round-up (the week's box office): no one
    /// work is what it is about. 0 reads no article as a round-up.
    #[serde(default = "default_round_up_share")]
    pub round_up_share: usize,
    /// Marks that open a heading line (■店名, ◆X): the entity right after one
    /// is what the labelled lines below it are about.
    #[serde(default)]
    pub heading_marks: Vec<String>,
    /// Role nouns made from other cue lists' nouns by a prefix (副社長 from 社長).
    #[serde(default)]
    pub deputies: Deputies,
    /// Prefixes that make a role noun a role held before (元社長, 前監督): its
    /// fact is kept as former, not asserted.
    #[serde(default)]
    pub former_prefixes: Vec<String>,
    /// Relations that are states (heads, works_for, member_of): said in the
    /// past progressive (所属していた) or of a past time (学生時代に), they are
    /// former.
    #[serde(default)]
    pub state_relations: Vec<String>,
    /// Words that, ending a phrase of the clause, set it in a past period
    /// (学生時代, 現役時代, 当時).
    #[serde(default)]
    pub past_periods: Vec<String>,
    /// Verbs whose subject holds the role noun they take with を (社長を務める):
    /// who interviews or praises a coach (監督を取材する) holds no post.
    #[serde(default)]
    pub serving_verbs: Vec<String>,
    /// Words that refer back to the topic as owner (自社開発の → the topic's).
    #[serde(default)]
    pub reflexives: Vec<String>,
    /// Prefixes that make a noun refer back (両大学, 同大学): such a topic is
    /// filled from the discourse, not a subject that names nothing.
    #[serde(default)]
    pub anaphor_prefixes: Vec<String>,
    /// Nouns that set a time or scene when they end a topic (現役時代は,
    /// 引退後は, 来季は): such a topic is no subject.
    #[serde(default)]
    pub scene_nouns: Vec<String>,
    /// Confidence of open facts (predicates no rule maps).
    #[serde(default = "default_open_confidence")]
    pub open_confidence: f32,
    /// Light verbs that never make an open fact on their own (する, なる…).
    #[serde(default)]
    pub open_skip: Vec<String>,
    /// How facts of the trained scorer are kept ([`super::model`]).
    #[serde(default)]
    pub model: super::model::ModelSettings,
    /// Lookups derived from the rules above, built when first needed (see
    /// [`RelationRules::prepared`]).
    #[serde(skip)]
    prepared: OnceLock<Prepared>,
}

/// What matching asks of the rules for every frame and every phrase, derived
/// from them once instead of per article: which `[[rule]]`s a predicate lemma
/// triggers, and the role-noun cues by first character. Scanning every rule's
/// expanded predicates for every frame was a tenth of the extraction time.
#[derive(Debug, Clone)]
pub(super) struct Prepared {
    /// Predicate lemma → indices of the `[[rule]]`s that list it, in file order.
    pub(super) rules_of: HashMap<String, Vec<usize>>,
    /// Every rule's role-noun cues ([`RelationRules::all_cues`]).
    pub(super) cue_index: CueIndex,
}

impl Prepared {
    fn new(rules: &RelationRules) -> Prepared {
        let mut rules_of: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, rule) in rules.rules.iter().enumerate() {
            for lemma in rules.expand(&rule.predicates) {
                let list = rules_of.entry(lemma.to_string()).or_default();
                if list.last() != Some(&i) {
                    list.push(i);
                }
            }
        }
        Prepared {
            rules_of,
            cue_index: CueIndex::new(&rules.all_cues()),
        }
    }
}

fn default_round_up_share() -> usize {
    5
}

fn default_open_confidence() -> f32 {
    0.4
}
fn default_confidence() -> f32 {
    0.8
}

/// Cues that make a statement negated or hypothetical (`asserted: false`).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Modality {
    /// Nouns a predicate modifies that make it a plan or intention (計画, 方針…).
    #[serde(default)]
    pub hypothetical_nouns: Vec<String>,
    /// Predicates that, governing another clause, make it hypothetical (検討, 目指す…).
    #[serde(default)]
    pub hypothetical_predicates: Vec<String>,
    /// Auxiliaries and endings after a predicate that make it hypothetical (たい…).
    #[serde(default)]
    pub hypothetical_endings: Vec<String>,
    /// Reporting verbs that, governing a clause (〜と報じた), make it hearsay: the
    /// report of another medium, which the article does not state as its own.
    /// Its predicates give no fact at all.
    #[serde(default)]
    pub hearsay_predicates: Vec<String>,
}

/// A predicate rule: `predicates` with arguments in `subject` and `object`.
#[derive(Debug, Clone, Deserialize)]
pub struct RelationRule {
    pub id: String,
    pub relation: String,
    /// Predicate lemmas (verb dictionary forms or サ変 nouns); `@name` expands a cue list.
    pub predicates: Vec<String>,
    pub subject: Role,
    pub object: Role,
    /// Further arguments that must be present (本社を置く: を = 本社).
    #[serde(default)]
    pub requires: Vec<Role>,
    /// Swap subject and object in the fact.
    #[serde(default)]
    pub invert: bool,
    /// Conjoined subjects without an object relate pairwise (AとBが提携).
    #[serde(default)]
    pub symmetric: bool,
    /// The fact gives way when another rule, in the same sentence, gives the
    /// same relation and object another subject: a carrier that launches a
    /// phone (「Y」(X製)を発売) did not make it.
    #[serde(default)]
    pub defers: bool,
    #[serde(default = "default_confidence")]
    pub confidence: f32,
}

/// One role of a case frame. Particles are those of the active voice: in a
/// passive clause が/は fill を and に/によって fill が.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Role {
    #[serde(default)]
    pub particles: Vec<Particle>,
    /// The particles, as written, that fill the role in a passive clause
    /// when they are not those the active voice gives: a verb of giving
    /// keeps its recipient marked に (AにX賞が贈られた), and に names the
    /// choice, not the chooser, of 選ばれる (AがX賞に選ばれた).
    #[serde(default)]
    pub passive_particles: Vec<Particle>,
    /// Predicates whose argument, with the role's particles, fills the role
    /// when the predicate runs into this one (AはBと対戦し、2-0で快勝した:
    /// the opponent of the match is who was beaten).
    #[serde(default)]
    pub chain_predicates: Vec<String>,
    /// Entity types the argument may have; empty means any.
    #[serde(default)]
    pub types: Vec<EntityType>,
    /// Role nouns the argument must be (責任者に, 傘下に, 株式に); the entity is
    /// then the noun's owner (Xの責任者 → X), and the noun becomes a `role` qualifier.
    #[serde(default)]
    pub cues: Vec<String>,
    /// Role nouns that may stand for their owner when the argument names no
    /// entity itself (Xのチーフサイエンティストとして参加 → joined X).
    #[serde(default)]
    pub owner_cues: Vec<String>,
    /// The argument is a value of this kind (founded_in ← 2013年に).
    #[serde(default)]
    pub literal: Option<ValueKind>,
    /// Only an argument the predicate marks fills the role, never a gap (the
    /// head of a relative clause, an earlier topic): who was beaten is said,
    /// not guessed.
    #[serde(default)]
    pub explicit: bool,
    /// Besides an argument the predicate marks, only the noun its relative
    /// clause modifies fills the role (金沢市で開催された「X」): not a topic or
    /// a subject carried from elsewhere, which a clause about where something
    /// is held is seldom about.
    #[serde(default)]
    pub head_only: bool,
    /// In a relative clause, only what the noun it modifies stands for fills
    /// the role (東京にある同社のショールーム「Y」: Y, not the sentence's topic
    /// company); a clause that ends the sentence (XはYにある) takes its topic
    /// as any other.
    #[serde(default)]
    pub head_if_relative: bool,
    /// With no argument for the role, the article's subject fills it: the name
    /// its headline gives that the body repeats most (the film an article
    /// about a film is about, in 檀れい演じる…).
    #[serde(default)]
    pub article_subject: bool,
    /// With `article_subject`, the article's subject stands in only when the
    /// clause modifies no noun but its own subject (主演を務めるのはX, 主演を
    /// 務めるX): a clause that describes another noun (Xが主演を務める恋愛映画)
    /// is about that thing, in a round-up as often another work.
    #[serde(default)]
    pub unless_describing: bool,
    /// Endings the entity's name may not have (卒業 leaves a group, but a
    /// school it is educated at: not 大学, 高校).
    #[serde(default)]
    pub not_suffixes: Vec<String>,
}

impl Role {
    /// Whether a phrase written with `surface`, which is `deep` in the
    /// active voice, fills the role of a clause (`passive` or not).
    pub fn marked_by(&self, surface: Particle, deep: Particle, passive: bool) -> bool {
        if passive && !self.passive_particles.is_empty() {
            self.passive_particles.contains(&surface)
        } else {
            self.particles.contains(&deep)
        }
    }
}

/// A role noun rule: the holder of the role noun relates to its owner.
#[derive(Debug, Clone, Deserialize)]
pub struct NounRule {
    pub id: String,
    pub relation: String,
    pub cues: Vec<String>,
    /// Types of who or what holds the role (the person who is 社長).
    pub holder: Vec<EntityType>,
    /// Types of what the role belongs to (the company in 〜の社長).
    pub owner: Vec<EntityType>,
    /// The fact is owner → holder instead of holder → owner.
    #[serde(default)]
    pub invert: bool,
    /// Only a name the sentence writes with the role noun holds it, not a
    /// subject guessed from the discourse (X製で、… says nothing of which
    /// product).
    #[serde(default)]
    pub explicit_holder: bool,
    /// Endings the owner's name must have when given, and endings it must not
    /// have (所属: a member of a club, but on the staff of an agency, X事務所).
    #[serde(default)]
    pub owner_suffixes: Vec<String>,
    #[serde(default)]
    pub owner_not_suffixes: Vec<String>,
    /// When nothing in the sentence owns the role and its holder is the
    /// subject or topic (平田誠監督は, 創業者の木村氏が), outside quoted speech,
    /// the owner is the topic carried from earlier sentences.
    #[serde(default)]
    pub discourse_owner: bool,
    /// Only a holder written after the role noun (主演のX, 主演・X): a name
    /// before it (X主演の映画) is another rule's reading.
    #[serde(default)]
    pub holder_after: bool,
    /// When nothing in the sentence owns the role, the owner is what the
    /// article is about (主演のX in a review: the star of the reviewed film).
    #[serde(default)]
    pub article_owner: bool,
    /// Verbs whose clause says the holder has the role noun (受賞歴のあるY,
    /// 受賞経験を持つY): the noun the clause modifies holds it.
    #[serde(default)]
    pub holder_verbs: Vec<String>,
    /// Verbs that make the role noun they take with に a rank won, not a post
    /// held (女優のトップに輝く: first in a ranking, not the head of anything).
    #[serde(default)]
    pub rank_verbs: Vec<String>,
    /// Only the cue standing alone (監督のX), not closing a compound (撮影監督,
    /// 映画監督, 第3監督のX): the compound names another trade or rank, or a
    /// person's calling rather than the making of this work.
    #[serde(default)]
    pub bare_cue: bool,
    #[serde(default = "default_confidence")]
    pub confidence: f32,
}

/// A bare `XのY` between two entities, decided by their types alone
/// (東京の会社Y → Y located_in 東京). The fact is head → modifier unless inverted.
#[derive(Debug, Clone, Deserialize)]
pub struct GenitiveRule {
    pub id: String,
    pub relation: String,
    /// Types of X, the modifier.
    pub modifier: Vec<EntityType>,
    /// Types of Y, the head noun.
    pub head: Vec<EntityType>,
    /// The particle phrase after X: の (the default) or による (XによるY).
    #[serde(default = "default_genitive_particle")]
    pub particle: Particle,
    /// Words one of which must be written right before X, joined to it or
    /// by ・ (人気グループ・ABC12の山田花子: X is introduced as a group).
    #[serde(default)]
    pub modifier_heads: Vec<String>,
    /// With `modifier_heads`: one of them may introduce X anywhere in the
    /// article (人気グループ・ABC12が…。ABC12の山田花子は…), not only in
    /// the sentence.
    #[serde(default)]
    pub heads_anywhere: bool,
    /// Words one of which, written right after X anywhere in the article,
    /// say what X is as well as `modifier_heads` do (ABC12のメンバー: X has
    /// members).
    #[serde(default)]
    pub modifier_marks: Vec<String>,
    /// Words that, written right before Y (after ・) or right after it, make
    /// Y other than who plays in X: a part (『Y』の主人公・X, 『Y』のX役) or
    /// its crew (『Y』のX監督).
    #[serde(default)]
    pub head_not_roles: Vec<String>,
    /// Words one of which the sentence must contain (出演, 俳優: a film's
    /// title next to a name says it is in the cast only when the sentence
    /// speaks of acting). `@name` expands.
    #[serde(default)]
    pub sentence_cues: Vec<String>,
    /// Words one of which must stand between X and Y (Xの新型タブレットY,
    /// Xのスマートフォン向けのアプリY); with them, X may modify Y through
    /// phrases that name nothing. `@name` expands.
    #[serde(default)]
    pub between: Vec<String>,
    /// Endings the head's name must have when given (市, 県…): a word-form cue
    /// that keeps a mistyped name (a club named after its city) out.
    #[serde(default)]
    pub head_suffixes: Vec<String>,
    /// Endings the modifier's name must have when given (東京都新宿区: a place
    /// after a prefecture or a ward is inside it, whatever its own ending).
    #[serde(default)]
    pub modifier_suffixes: Vec<String>,
    /// Beginnings that do as well as those endings (テレビ朝日: a channel's
    /// name may open with the word that says it is one).
    #[serde(default)]
    pub modifier_prefixes: Vec<String>,
    /// Words the modifier's name must not contain (テレビ東京の人気シリーズ「Y」:
    /// a broadcaster airs what it names, it does not make it).
    #[serde(default)]
    pub modifier_not_words: Vec<String>,
    /// Words one of which must follow X right away, when given (X監督の最新作:
    /// X is written as the work's director).
    #[serde(default)]
    pub modifier_roles: Vec<String>,
    /// With `between`: when the noun X modifies names nothing and ends with
    /// one of those words (X監督の最新作が公開), Y is what the article is
    /// about (see `relations::headline_entities`).
    #[serde(default)]
    pub article_subject: bool,
    /// With `article_subject`: a work the sentence writes in 『』 after the
    /// phrase stands before the article's (Xの漫画を原作に、…映画『Y』が公開:
    /// the last such work, the one the sentence goes on to speak of).
    #[serde(default)]
    pub title_after: bool,
    #[serde(default)]
    pub invert: bool,
    #[serde(default = "default_genitive_confidence")]
    pub confidence: f32,
}

/// A name with a parenthetical that holds a second name: `X(cue・Y)` (a cue
/// noun before Y, X(本社・Y)), `X(Y cue)` (a cue word right after Y, X(Y製)),
/// or, with no cue at all, `X(Y)` and `X(Y、Z)`, the parenthetical holding
/// names alone (北陸銀行(金沢市)). The fact is X → Y unless inverted.
#[derive(Debug, Clone, Deserialize)]
pub struct ParenRule {
    pub id: String,
    pub relation: String,
    /// Cue nouns that must stand in the parenthetical before Y; `@name` expands.
    #[serde(default)]
    pub cues: Vec<String>,
    /// Cue words that must follow Y right away in the parenthetical (製).
    #[serde(default)]
    pub after: Vec<String>,
    /// The fact is Y → X.
    #[serde(default)]
    pub invert: bool,
    /// Endings Y's name must have when given (金沢市, 港区: a place in Japan's
    /// administrative form, not a country after a club).
    #[serde(default)]
    pub object_suffixes: Vec<String>,
    /// Endings X's name must have when given, and endings it must not have:
    /// a region (九州全域(福岡県、佐賀県)) lists its parts in parentheses, a
    /// shop or a company its place.
    #[serde(default)]
    pub subject_suffixes: Vec<String>,
    #[serde(default)]
    pub subject_not_suffixes: Vec<String>,
    /// Closing brackets one of which must stand between X and the
    /// parenthesis, when given (『Y』(山田花子): a work's title, where
    /// 「」 quotes anything, a character or a brand as well).
    #[serde(default)]
    pub subject_closers: Vec<String>,
    /// Types of X, the name before the parenthesis.
    pub subject: Vec<EntityType>,
    /// Types of Y, the name inside it.
    pub object: Vec<EntityType>,
    #[serde(default = "default_confidence")]
    pub confidence: f32,
}

/// A labelled line of an information block (住所: 東京都港区…, 販売元: X):
/// its value relates to what the block is about, named by a heading line
/// above it (■店名) or by another labelled line (商品名: Y). The fact is
/// that other side → the value, unless inverted.
#[derive(Debug, Clone, Deserialize)]
pub struct LabelRule {
    pub id: String,
    pub relation: String,
    /// Labels that open the line, before a colon; `@name` expands.
    pub labels: Vec<String>,
    /// Types of the value's entity.
    pub value: Vec<EntityType>,
    /// Types of the other side.
    pub other: Vec<EntityType>,
    /// Labels of the line that names the other side; empty: the heading.
    #[serde(default)]
    pub other_labels: Vec<String>,
    /// The fact is value → other.
    #[serde(default)]
    pub invert: bool,
    /// Of a value that is a chain of places (東京都港区六本木), only the
    /// innermost.
    #[serde(default)]
    pub innermost: bool,
    /// Every entity of the value's types, not the first alone (a credits
    /// line, 出演: A、B、C).
    #[serde(default)]
    pub every_value: bool,
    /// With no heading or partner line, the other side is what the article
    /// is about (the work a film review's credits are of).
    #[serde(default)]
    pub article_subject: bool,
    #[serde(default = "default_confidence")]
    pub confidence: f32,
}

fn default_genitive_particle() -> Particle {
    Particle::No
}

fn default_genitive_confidence() -> f32 {
    0.5
}

/// `[deputies]`: a leader's title after a prefix (副編集長, 副社長) names a
/// deputy, who works for the organisation and does not head it. Written once as
/// a rule instead of as a list of every 副 title.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Deputies {
    pub prefixes: Vec<String>,
    /// The cue lists whose nouns take the prefixes.
    pub of: Vec<String>,
    /// The cue list the prefixed nouns join.
    pub into: String,
}

impl RelationRules {
    /// Adds each prefixed noun of `[deputies]` to its cue list. Run once, after
    /// reading the file.
    pub fn add_deputy_cues(&mut self) {
        self.prepared = OnceLock::new();
        let d = &self.deputies;
        let derived: Vec<String> =
            d.of.iter()
                .filter_map(|name| self.cues.get(name))
                .flatten()
                .flat_map(|cue| d.prefixes.iter().map(move |p| format!("{p}{cue}")))
                .collect();
        if derived.is_empty() {
            return;
        }
        let list = self.cues.entry(d.into.clone()).or_default();
        for cue in derived {
            if !list.contains(&cue) {
                list.push(cue);
            }
        }
    }

    /// Expands `@name` references to cue lists.
    pub fn expand<'a>(&'a self, words: &'a [String]) -> impl Iterator<Item = &'a str> + 'a {
        words
            .iter()
            .flat_map(move |w| {
                let list: &[String] = match w.strip_prefix('@') {
                    Some(name) => self.cues.get(name).map_or(&[], Vec::as_slice),
                    None => std::slice::from_ref(w),
                };
                list
            })
            .map(String::as_str)
    }

    /// The lookups derived from the rules, built on first use. The rules are
    /// read once and then only read: a change to them after the first
    /// extraction is not seen here ([`RelationRules::add_deputy_cues`] starts
    /// the lookups afresh).
    pub(super) fn prepared(&self) -> &Prepared {
        self.prepared.get_or_init(|| Prepared::new(self))
    }

    /// Every role-noun cue of every rule: the longest one found in a noun decides
    /// which rules see it (最高技術責任者 is not a 責任者 of the leader kind).
    pub fn all_cues(&self) -> Vec<&str> {
        let mut out: Vec<&str> = self
            .cues
            .values()
            .flatten()
            .map(String::as_str)
            .chain(self.noun_rules.iter().flat_map(|r| self.expand(&r.cues)))
            .chain(self.rules.iter().flat_map(|r| {
                self.expand(&r.subject.cues)
                    .chain(self.expand(&r.object.cues))
                    .chain(self.expand(&r.subject.owner_cues))
                    .chain(self.expand(&r.object.owner_cues))
                    .chain(r.requires.iter().flat_map(|q| self.expand(&q.cues)))
                    .collect::<Vec<_>>()
            }))
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Checks that every `@name` refers to a cue list and every relation is
    /// defined by the vocabulary.
    pub fn validate(&self, vocabulary: &Vocabulary) -> Result<(), String> {
        let d = &self.deputies;
        if let Some(name) =
            d.of.iter()
                .chain((!d.prefixes.is_empty()).then_some(&d.into))
                .find(|name| !self.cues.contains_key(*name))
        {
            return Err(format!("[deputies]: no cue list named {name}"));
        }
        let mut refs: Vec<&String> = Vec::new();
        for r in &self.rules {
            refs.extend(r.predicates.iter());
            for role in std::iter::once(&r.subject)
                .chain(std::iter::once(&r.object))
                .chain(r.requires.iter())
            {
                refs.extend(role.cues.iter());
                refs.extend(role.owner_cues.iter());
            }
            if !vocabulary.defines(&r.relation) {
                return Err(format!("rule {}: unknown relation {}", r.id, r.relation));
            }
        }
        for r in &self.noun_rules {
            refs.extend(r.cues.iter());
            if !vocabulary.defines(&r.relation) {
                return Err(format!(
                    "noun_rule {}: unknown relation {}",
                    r.id, r.relation
                ));
            }
        }
        let typed = self
            .genitive_rules
            .iter()
            .map(|r| ("genitive_rule", &r.id, &r.relation))
            .chain(
                self.paren_rules
                    .iter()
                    .map(|r| ("paren_rule", &r.id, &r.relation)),
            );
        for (kind, id, relation) in typed {
            if !vocabulary.defines(relation) {
                return Err(format!("{kind} {id}: unknown relation {relation}"));
            }
        }
        for r in &self.paren_rules {
            refs.extend(r.cues.iter().chain(r.after.iter()));
        }
        for r in &self.genitive_rules {
            refs.extend(r.between.iter().chain(r.modifier_heads.iter()));
        }
        for r in &self.label_rules {
            if !vocabulary.defines(&r.relation) {
                return Err(format!(
                    "label_rule {}: unknown relation {}",
                    r.id, r.relation
                ));
            }
            refs.extend(r.labels.iter().chain(r.other_labels.iter()));
        }
        for w in refs {
            if let Some(name) = w.strip_prefix('@') {
                if !self.cues.contains_key(name) {
                    return Err(format!("unknown cue list @{name}"));
                }
            }
        }
        Ok(())
    }
}
