//! Stage 4: entities. Groups an article's mentions into entities (aliases,
//! spelling variants) and resolves pronouns and 同社-style anaphors.
//!
//! Names are merged in three steps, each more cautious than the last:
//! 1. identical spellings (after NFKC and stripping titles) are one entity,
//!    whatever type each mention was tagged with: the type is voted;
//! 2. `X(Y)` written back to back pairs a name with its alias;
//! 3. a spelling joins an earlier entity OF THE SAME TYPE when it is a variant
//!    of one of its spellings (see [`crate::names`]): surname ↔ full name, katakana
//!    transliteration variants, katakana ↔ Latin, company short forms. A full
//!    name whose given name differs from the entity's blocks the merge, and a
//!    spelling that fits several entities is not merged as a whole (see
//!    [`attach_ambiguous`]);
//! 4. a bare katakana/Latin spelling that the recogniser typed as something
//!    else joins a person it is a transliteration variant of, when the person
//!    weighs more (see [`absorb_mistyped_persons`]).
//!
//! Pronouns and anaphors are then resolved in [`coref`].
use crate::tokens::Tag;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Deserialize;

use crate::document::{AnalyzedSentence, Entity, EntityType, Mention, MentionKind, Resolution};
use crate::names::{
    canonical, fold_key, is_ascii_name, name_parts, org_alike, org_core, person_relation, phonetic,
    place_alike, sounds_alike, surname, NameRules, PersonRel, SurnameHints,
};

mod coref;

/// Cues read from `ontology/resolution.toml`: how spellings vary ([`NameRules`])
/// and how pronouns and anaphors find their antecedent.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ResolutionRules {
    #[serde(flatten)]
    pub names: NameRules,
    pub plural_markers: Vec<String>,
    pub salience: Salience,
    pub anaphor_heads: AnaphorHeads,
}

/// Weights of the salience model used to rank antecedents.
#[derive(Debug, Clone, Deserialize)]
pub struct Salience {
    pub topic: f32,
    pub subject: f32,
    pub object: f32,
    pub other: f32,
    pub decay: f32,
    pub window: usize,
}

impl Default for Salience {
    fn default() -> Self {
        Salience {
            topic: 4.0,
            subject: 2.0,
            object: 1.0,
            other: 0.5,
            decay: 0.5,
            window: 6,
        }
    }
}

/// Anaphors whose head names a kind (同大学, 同チーム): the heads too general
/// to narrow the candidates.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct AnaphorHeads {
    pub general: Vec<String>,
}

/// Mentions that share one spelling, possibly joined with `X(Y)` partners.
#[derive(Debug, Default)]
struct Unit {
    /// Name mentions, in article order.
    mentions: Vec<usize>,
    /// Canonical spellings, first seen first.
    spellings: Vec<String>,
    /// Confidence summed per type tagged.
    votes: BTreeMap<EntityType, f32>,
    first: usize,
}

impl Unit {
    fn etype(&self, mentions: &[Mention]) -> EntityType {
        let first_type = mentions[self.first].etype;
        let mut best = (
            first_type,
            self.votes.get(&first_type).copied().unwrap_or(0.0),
        );
        for (&t, &v) in &self.votes {
            if v > best.1 {
                best = (t, v);
            }
        }
        best.0
    }
}

/// An entity being built.
#[derive(Debug)]
struct Cluster {
    etype: EntityType,
    spellings: Vec<String>,
    mentions: Vec<usize>,
}

/// Groups mentions into entities and resolves pronouns and anaphors.
pub fn resolve(
    sentences: &[AnalyzedSentence],
    mentions: &[Mention],
    rules: &ResolutionRules,
) -> Resolution {
    let order = article_order(mentions);
    let canon: Vec<Option<String>> = mentions
        .iter()
        .map(|m| {
            (m.kind == MentionKind::Name)
                .then(|| canonical(&m.name, &rules.names, m.etype == EntityType::Person))
                .filter(|c| !c.is_empty())
        })
        .collect();
    let hints = surname_hints(sentences, mentions, &canon);
    let units = spelling_units(sentences, mentions, &canon, &order);

    let clusters = cluster_units(&units, mentions, rules, &hints);
    let mut mention_cluster: Vec<Option<usize>> = vec![None; mentions.len()];
    for (ci, c) in clusters.iter().enumerate() {
        for &m in &c.mentions {
            mention_cluster[m] = Some(ci);
        }
    }

    let mut res = Resolution {
        entities: clusters.iter().map(build_entity).collect(),
        mention_entity: mention_cluster,
    };
    coref::resolve_references(sentences, mentions, &order, rules, &mut res);
    res
}

/// Step 3: units in article order join an earlier cluster of their type that
/// they fit, start a new one, or (fitting several that exclude each other)
/// are attached mention by mention.
fn cluster_units(
    units: &[Unit],
    mentions: &[Mention],
    rules: &ResolutionRules,
    hints: &SurnameHints,
) -> Vec<Cluster> {
    let mut clusters: Vec<Cluster> = Vec::new();
    // A cluster merged into another points at it; live clusters point at themselves.
    let mut merged_into: Vec<usize> = Vec::new();
    let mut ambiguous: Vec<(usize, Vec<usize>)> = Vec::new();
    for (ui, unit) in units.iter().enumerate() {
        let etype = unit.etype(mentions);
        let fits: Vec<usize> = (0..clusters.len())
            .filter(|&i| merged_into[i] == i && clusters[i].etype == etype)
            .filter(|&i| unit_fits(unit, &clusters[i], etype, rules, hints))
            .collect();
        // Several fitting clusters that do not exclude each other are spellings
        // of one name that met only through this one (セラン, ソロン, then ソラン).
        let compatible = fits.iter().enumerate().all(|(k, &a)| {
            fits[k + 1..]
                .iter()
                .all(|&b| !clusters_conflict(&clusters[a], &clusters[b], etype, rules, hints))
        });
        match fits.as_slice() {
            [] => {
                clusters.push(Cluster {
                    etype,
                    spellings: unit.spellings.clone(),
                    mentions: unit.mentions.clone(),
                });
                merged_into.push(clusters.len() - 1);
            }
            [first, rest @ ..] if compatible => {
                for &other in rest {
                    let spellings = std::mem::take(&mut clusters[other].spellings);
                    let moved = std::mem::take(&mut clusters[other].mentions);
                    clusters[*first].spellings.extend(spellings);
                    clusters[*first].mentions.extend(moved);
                    merged_into[other] = *first;
                }
                let c = &mut clusters[*first];
                c.spellings.extend(unit.spellings.iter().cloned());
                c.mentions.extend(&unit.mentions);
            }
            _ => ambiguous.push((ui, fits)),
        }
    }
    let live = |merged_into: &[usize], mut i: usize| {
        while merged_into[i] != i {
            i = merged_into[i];
        }
        i
    };
    for (ui, fits) in ambiguous {
        let mut fits: Vec<usize> = fits.into_iter().map(|i| live(&merged_into, i)).collect();
        fits.sort_unstable();
        fits.dedup();
        if let [only] = fits[..] {
            // Later merges made the fitting clusters one.
            clusters[only]
                .spellings
                .extend(units[ui].spellings.iter().cloned());
            clusters[only].mentions.extend(&units[ui].mentions);
        } else {
            attach_ambiguous(&units[ui], &fits, mentions, &mut clusters, &mut merged_into);
        }
    }
    absorb_mistyped_persons(&mut clusters, &mut merged_into, mentions, hints);
    clusters
        .into_iter()
        .enumerate()
        .filter(|(i, _)| merged_into[*i] == *i)
        .map(|(_, c)| c)
        .collect()
}

/// A recogniser may type some spellings of a person as something else
/// (物理学賞受賞者のメカン as an organisation, Makan as a product). A
/// non-person cluster joins a person cluster when, decided by cue strength:
/// - every spelling of it is a bare katakana or Latin name of three consonants
///   or more that is a variant of the person's name or surname (kanji names
///   are never joined this way:
///   本田 the company and 本田 the founder stay apart);
/// - for an organisation or place the variant is not an exact spelling of
///   the person's name or surname (an organisation named after a person,
///   ディズニー / ウォルト・ディズニー, stays apart), only a transliteration
///   variant of it (セラン / ソラン);
/// - the person's mentions weigh more (summed confidence) than its own, and
///   exactly one person fits.
fn absorb_mistyped_persons(
    clusters: &mut [Cluster],
    merged_into: &mut [usize],
    mentions: &[Mention],
    hints: &SurnameHints,
) {
    let weight = |c: &Cluster| -> f32 {
        c.mentions
            .iter()
            .map(|&m| mentions[m].confidence.max(0.05))
            .sum()
    };
    for x in 0..clusters.len() {
        let etype = clusters[x].etype;
        if merged_into[x] != x || etype == EntityType::Person {
            continue;
        }
        // Three consonants at least: two-consonant keys collide too easily
        // across scripts (Panel and ピノ are both P-N).
        let bare = clusters[x].spellings.iter().all(|s| {
            name_parts(s).len() == 1 && phonetic(s).is_some_and(|p| p.skeleton.len() >= 3)
        });
        if !bare {
            continue;
        }
        let strict = matches!(etype, EntityType::Organization | EntityType::Place);
        let fits: Vec<usize> = (0..clusters.len())
            .filter(|&p| merged_into[p] == p && clusters[p].etype == EntityType::Person)
            .filter(|&p| weight(&clusters[p]) > weight(&clusters[x]))
            .filter(|&p| {
                clusters[x].spellings.iter().all(|u| {
                    clusters[p].spellings.iter().any(|s| {
                        let related = matches!(
                            person_relation(u, s, hints),
                            PersonRel::Same | PersonRel::SurnameOf
                        );
                        let exact = fold_key(u) == fold_key(s)
                            || fold_key(u) == fold_key(surname(&name_parts(s)));
                        related && !(strict && exact)
                    })
                })
            })
            .collect();
        if let [p] = fits[..] {
            let spellings = std::mem::take(&mut clusters[x].spellings);
            let moved = std::mem::take(&mut clusters[x].mentions);
            clusters[p].spellings.extend(spellings);
            clusters[p].mentions.extend(moved);
            merged_into[x] = p;
        }
    }
}

/// Mention indices sorted by position in the article.
fn article_order(mentions: &[Mention]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..mentions.len()).collect();
    order.sort_by_key(|&i| (mentions[i].sentence, mentions[i].start, mentions[i].end));
    order
}

/// Surname lengths of kanji person names whose tokens the dictionary tags 姓
/// then 名 (a full name) or 姓 alone (a bare surname: the whole name).
fn surname_hints(
    sentences: &[AnalyzedSentence],
    mentions: &[Mention],
    canon: &[Option<String>],
) -> SurnameHints {
    let mut hints = SurnameHints::new();
    for (m, c) in mentions.iter().zip(canon) {
        let (Some(c), Some(s)) = (c, sentences.get(m.sentence)) else {
            continue;
        };
        let Some(tokens) = s.tokens.get(m.tokens.clone()) else {
            continue;
        };
        let surname: String = tokens
            .iter()
            .take_while(|t| t.is_surname())
            .map(|t| t.surface)
            .collect();
        let given_follows = tokens
            .get(
                tokens
                    .iter()
                    .take_while(|t| t.pos[3] == Tag::Surname)
                    .count(),
            )
            .is_some_and(|t| t.is_given_name());
        // A full name (姓 then 名), or a bare surname (姓 alone).
        if !surname.is_empty() && (given_follows || surname == *c) && c.starts_with(&surname) {
            hints.insert(c.clone(), surname.chars().count());
        }
    }
    hints
}

/// Groups name mentions by spelling, then joins `X(Y)` pairs.
fn spelling_units(
    sentences: &[AnalyzedSentence],
    mentions: &[Mention],
    canon: &[Option<String>],
    order: &[usize],
) -> Vec<Unit> {
    let mut by_key: HashMap<String, usize> = HashMap::new();
    let mut units: Vec<Unit> = Vec::new();
    let mut unit_of: Vec<Option<usize>> = vec![None; mentions.len()];
    for &i in order {
        let Some(c) = &canon[i] else { continue };
        let u = *by_key.entry(fold_key(c)).or_insert_with(|| {
            units.push(Unit {
                first: i,
                ..Unit::default()
            });
            units.len() - 1
        });
        let unit = &mut units[u];
        unit.mentions.push(i);
        if !unit.spellings.contains(c) {
            unit.spellings.push(c.clone());
        }
        *unit.votes.entry(mentions[i].etype).or_default() += mentions[i].confidence.max(0.05);
        unit_of[i] = Some(u);
    }
    // Union-find over units for X(Y) pairs.
    let mut parent: Vec<usize> = (0..units.len()).collect();
    fn find(p: &mut [usize], mut x: usize) -> usize {
        while p[x] != x {
            p[x] = p[p[x]];
            x = p[x];
        }
        x
    }
    for w in order.windows(2) {
        let (a, b) = (w[0], w[1]);
        let (Some(ua), Some(ub)) = (unit_of[a], unit_of[b]) else {
            continue;
        };
        if !is_parenthesised_alias(sentences, &mentions[a], &mentions[b]) {
            continue;
        }
        let compatible = units[ua].etype(mentions) == units[ub].etype(mentions)
            || is_ascii_name(canon[b].as_deref().unwrap_or_default());
        if compatible {
            let (ra, rb) = (find(&mut parent, ua), find(&mut parent, ub));
            if ra != rb {
                parent[rb.max(ra)] = rb.min(ra);
            }
        }
    }
    let mut merged: Vec<Unit> = Vec::new();
    let mut root_index: HashMap<usize, usize> = HashMap::new();
    for u in 0..units.len() {
        let r = find(&mut parent, u);
        let target = *root_index.entry(r).or_insert_with(|| {
            merged.push(Unit {
                first: units[r].first,
                ..Unit::default()
            });
            merged.len() - 1
        });
        let unit = std::mem::take(&mut units[u]);
        let t = &mut merged[target];
        t.mentions.extend(unit.mentions);
        for s in unit.spellings {
            if !t.spellings.contains(&s) {
                t.spellings.push(s);
            }
        }
        for (ty, v) in unit.votes {
            *t.votes.entry(ty).or_default() += v;
        }
    }
    let position = |i: usize| (mentions[i].sentence, mentions[i].start);
    for u in &mut merged {
        u.mentions.sort_by_key(|&i| position(i));
        u.first = u.mentions[0];
    }
    merged.sort_by_key(|u| position(u.first));
    merged
}

/// True when `inner` fills a parenthesis written right after `outer`:
/// `本田技研工業(ホンダ)`.
fn is_parenthesised_alias(
    sentences: &[AnalyzedSentence],
    outer: &Mention,
    inner: &Mention,
) -> bool {
    if outer.sentence != inner.sentence {
        return false;
    }
    let Some(s) = sentences.get(outer.sentence) else {
        return false;
    };
    let chars: Vec<char> = s.sentence.text.chars().collect();
    let at = |offset: usize| {
        offset
            .checked_sub(s.sentence.start)
            .and_then(|i| chars.get(i))
            .copied()
    };
    let open = matches!(at(outer.end), Some('(' | '（')) && inner.start == outer.end + 1;
    let close = matches!(at(inner.end), Some(')' | '）'));
    open && close
}

/// Whether a unit's spellings are variants of a cluster's.
fn unit_fits(
    unit: &Unit,
    c: &Cluster,
    etype: EntityType,
    rules: &ResolutionRules,
    hints: &SurnameHints,
) -> bool {
    match etype {
        EntityType::Person => {
            let mut linked = false;
            for u in &unit.spellings {
                for s in &c.spellings {
                    match person_relation(u, s, hints) {
                        PersonRel::Conflict => return false,
                        PersonRel::None => {}
                        _ => linked = true,
                    }
                }
            }
            linked
        }
        EntityType::Organization => unit
            .spellings
            .iter()
            .any(|u| c.spellings.iter().any(|s| org_alike(u, s, &rules.names))),
        EntityType::Place => unit
            .spellings
            .iter()
            .any(|u| c.spellings.iter().any(|s| place_alike(u, s, &rules.names))),
        _ => unit
            .spellings
            .iter()
            .any(|u| c.spellings.iter().any(|s| sounds_alike(u, s, 2))),
    }
}

/// Whether two clusters that one spelling fits must still be two entities:
/// people whose full names differ (ヤン・X / マリー・X, 佐藤健 / 佐藤優), or
/// companies whose names differ by their generic ending (X自動車 / X電機).
fn clusters_conflict(
    a: &Cluster,
    b: &Cluster,
    etype: EntityType,
    rules: &ResolutionRules,
    hints: &SurnameHints,
) -> bool {
    let pairs = || {
        a.spellings
            .iter()
            .flat_map(|x| b.spellings.iter().map(move |y| (x.as_str(), y.as_str())))
    };
    match etype {
        EntityType::Person => {
            if pairs().any(|(x, y)| person_relation(x, y, hints) == PersonRel::Conflict) {
                return true;
            }
            let full = |s: &&String| name_parts(s).len() > 1 || hints.contains_key(s.as_str());
            let (fa, fb): (Vec<&String>, Vec<&String>) = (
                a.spellings.iter().filter(full).collect(),
                b.spellings.iter().filter(full).collect(),
            );
            !fa.is_empty()
                && !fb.is_empty()
                && !fa.iter().any(|x| {
                    fb.iter()
                        .any(|y| person_relation(x, y, hints) == PersonRel::Same)
                })
        }
        EntityType::Organization | EntityType::Place => pairs().any(|(x, y)| {
            let suffixes = if etype == EntityType::Place {
                &rules.names.place_generic_suffixes
            } else {
                &rules.names.organization_generic_suffixes
            };
            let ((cx, sx), (cy, sy)) = (
                org_core(x, suffixes, &rules.names),
                org_core(y, suffixes, &rules.names),
            );
            sx.is_some() && sy.is_some() && sx != sy && fold_key(cx) == fold_key(cy)
        }),
        _ => false,
    }
}

/// A spelling that fits several entities (a bare 佐藤 after 佐藤健 and 佐藤優).
/// Each of its mentions goes to the fitting entity mentioned last before it,
/// provided that was in the same or the previous sentence (the writer relies on
/// local context); otherwise it stays a separate entity of its own, which the
/// store links with skos:closeMatch rather than merging. The surname is not
/// added to the aliases of the entities it was attached to, so that it cannot
/// make them match each other across articles.
fn attach_ambiguous(
    unit: &Unit,
    fits: &[usize],
    mentions: &[Mention],
    clusters: &mut Vec<Cluster>,
    merged_into: &mut Vec<usize>,
) {
    let etype = clusters[fits[0]].etype;
    let mut own: Option<usize> = None;
    for &m in &unit.mentions {
        let here = (mentions[m].sentence, mentions[m].start);
        let latest = fits
            .iter()
            .filter_map(|&c| {
                let last = clusters[c]
                    .mentions
                    .iter()
                    .map(|&i| (mentions[i].sentence, mentions[i].start))
                    .filter(|p| *p < here)
                    .max()?;
                Some((last, c))
            })
            .max();
        match latest {
            Some(((sentence, _), c)) if here.0 - sentence <= 1 => clusters[c].mentions.push(m),
            _ => {
                let c = *own.get_or_insert_with(|| {
                    clusters.push(Cluster {
                        etype,
                        spellings: unit.spellings.clone(),
                        mentions: Vec::new(),
                    });
                    merged_into.push(clusters.len() - 1);
                    clusters.len() - 1
                });
                clusters[c].mentions.push(m);
            }
        }
    }
}

/// The label is the fullest spelling: for a person most name parts, then
/// written in the article's script rather than Latin, then longest, then first seen.
fn build_entity(c: &Cluster) -> Entity {
    let aliases: BTreeSet<String> = c.spellings.iter().cloned().collect();
    let label = c
        .spellings
        .iter()
        .enumerate()
        .max_by_key(|(i, s)| {
            (
                if c.etype == EntityType::Person {
                    name_parts(s).len()
                } else {
                    0
                },
                !is_ascii_name(s),
                s.chars().count(),
                std::cmp::Reverse(*i),
            )
        })
        .map(|(_, s)| s.clone())
        .unwrap_or_default();
    Entity {
        etype: c.etype,
        label,
        aliases,
    }
}

#[cfg(test)]
mod tests;
