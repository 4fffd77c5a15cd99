//! The closed classes of Japanese grammar that the later stages read:
//! particles (which role a phrase plays), the copula, the passive and the
//! negation auxiliaries. Both the bunsetsu chunker (for case frames) and
//! coreference (for salience) take a phrase's role from here, so they agree
//! on it; these words are grammar, not tunable cues, so they are not in the
//! rule files, which name particles by their written form and are read into
//! [`Particle`]s when they load.
use std::fmt;

use serde::de::{self, Deserialize, Deserializer};

/// A particle (or a particle phrase such as として) that marks the role of
/// the phrase before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Particle {
    /// が: subject.
    Ga,
    /// を: object.
    Wo,
    /// に: goal, recipient, time.
    Ni,
    /// へ: direction.
    He,
    /// と: partner, quotation, or a list (AとB).
    To,
    /// で: place, means.
    De,
    /// から: source.
    Kara,
    /// より: comparison, source.
    Yori,
    /// まで: limit.
    Made,
    /// の: genitive (XのY).
    No,
    /// は: topic.
    Wa,
    /// も: topic ("also").
    Mo,
    /// によって / による: agent of a passive or an event noun.
    NiYotte,
    NiYoru,
    /// として: capacity (社長として).
    Toshite,
    /// について: topic of discussion.
    NiTsuite,
    /// に対して: target.
    NiTaishite,
}

/// Case particles as a phrase may carry them, in the order preferred when a
/// phrase has several (によって before に, として before と).
const CASES: [(&str, Particle); 14] = [
    ("によって", Particle::NiYotte),
    ("による", Particle::NiYoru),
    ("として", Particle::Toshite),
    ("について", Particle::NiTsuite),
    ("に対して", Particle::NiTaishite),
    ("から", Particle::Kara),
    ("より", Particle::Yori),
    ("まで", Particle::Made),
    ("が", Particle::Ga),
    ("を", Particle::Wo),
    ("に", Particle::Ni),
    ("へ", Particle::He),
    ("と", Particle::To),
    ("で", Particle::De),
];

/// Written variants of the case particles above: にて and において are で
/// in the written register (会場にて開催, 選手権において優勝).
const VARIANTS: [(&str, &str); 2] = [("にて", "で"), ("において", "で")];

/// The particle `s` stands for: itself, or the one a variant is written for.
fn standard(s: &str) -> &str {
    VARIANTS.iter().find(|(v, _)| *v == s).map_or(s, |(_, w)| w)
}

impl Particle {
    /// The particle as written.
    pub fn as_str(self) -> &'static str {
        match self {
            Particle::No => "の",
            Particle::Wa => "は",
            Particle::Mo => "も",
            other => CASES
                .iter()
                .find(|(_, p)| *p == other)
                .map(|(s, _)| *s)
                .expect("every case particle is listed"),
        }
    }

    /// The particle written `s`, if it is one.
    pub fn parse(s: &str) -> Option<Particle> {
        match s {
            "の" => Some(Particle::No),
            "は" => Some(Particle::Wa),
            "も" => Some(Particle::Mo),
            _ => CASES
                .iter()
                .find(|(w, _)| *w == standard(s))
                .map(|(_, p)| *p),
        }
    }

    /// The case a phrase takes from the particles after it (written in order,
    /// `joined` their concatenation): the first of [`CASES`] among them, where
    /// a particle phrase (として) also counts when the tokeniser split it.
    pub fn case_of<'a>(
        particles: impl Iterator<Item = &'a str> + Clone,
        joined: &str,
    ) -> Option<Particle> {
        CASES.iter().find_map(|&(w, p)| {
            let alone = particles.clone().any(|x| standard(x) == w);
            let phrase = w.chars().nth(1).is_some() && joined.contains(w);
            (alone || phrase).then_some(p)
        })
    }

    /// Marks a topic (は, も).
    pub fn is_topic(self) -> bool {
        matches!(self, Particle::Wa | Particle::Mo)
    }

    /// The particle in the active voice: in a passive clause が marks the
    /// object and に/によって/から the agent.
    pub fn active(self, passive: bool) -> Particle {
        if !passive {
            return self;
        }
        match self {
            Particle::Ga => Particle::Wo,
            Particle::Ni | Particle::NiYotte | Particle::Kara => Particle::Ga,
            other => other,
        }
    }

    /// The grammatical role for salience (centering): topic > subject > object.
    pub fn role(self) -> Role {
        match self {
            Particle::Wa | Particle::Mo => Role::Topic,
            Particle::Ga => Role::Subject,
            Particle::Wo | Particle::Ni | Particle::He => Role::Object,
            _ => Role::Other,
        }
    }
}

impl fmt::Display for Particle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Particle {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Particle, D::Error> {
        let s = String::deserialize(d)?;
        Particle::parse(&s).ok_or_else(|| de::Error::custom(format!("unknown particle {s:?}")))
    }
}

/// The role a phrase plays in its clause, as coreference weighs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Topic,
    Subject,
    Object,
    Other,
}

/// Words that join two phrases into one (AとB, AやB, A、B, A及びB): in
/// 「AとBは」 A plays B's role.
pub fn is_coordinator(word: &str) -> bool {
    matches!(
        word,
        "と" | "や"
            | "、"
            | "及び"
            | "および"
            | "並びに"
            | "ならびに"
            | "または"
            | "又は"
            | "そして"
    )
}

/// The copula (だ, です, である), as an auxiliary's dictionary form.
pub fn is_copula(base: &str) -> bool {
    matches!(base, "だ" | "です" | "である")
}

/// The passive auxiliary verbs (れる, られる), by dictionary form.
pub fn is_passive(base: &str) -> bool {
    matches!(base, "れる" | "られる")
}

/// Negation (ない, ぬ, ん), by dictionary form.
pub fn is_negation(base: &str) -> bool {
    matches!(base, "ない" | "ぬ" | "ん")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn particle_phrases_win_over_their_parts() {
        let parts = ["に", "よっ", "て"];
        assert_eq!(
            Particle::case_of(parts.iter().copied(), "によって"),
            Some(Particle::NiYotte)
        );
        assert_eq!(
            Particle::case_of(["に", "は"].iter().copied(), "には"),
            Some(Particle::Ni)
        );
    }

    #[test]
    fn written_forms_round_trip() {
        for (w, p) in CASES {
            assert_eq!(Particle::parse(w), Some(p));
            assert_eq!(p.as_str(), w);
        }
        assert_eq!(Particle::parse("は"), Some(Particle::Wa));
        assert_eq!(Particle::parse("にて"), Some(Particle::De));
        assert_eq!(Particle::parse("において"), Some(Particle::De));
        assert_eq!(Particle::parse("x"), None);
    }

    #[test]
    fn the_passive_turns_roles_around() {
        assert_eq!(Particle::Ga.active(true), Particle::Wo);
        assert_eq!(Particle::Ni.active(true), Particle::Ga);
        assert_eq!(Particle::Ni.active(false), Particle::Ni);
    }
}
