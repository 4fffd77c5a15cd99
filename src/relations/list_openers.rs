//! Xをはじめ、A、B / Xを筆頭に、A、B: a list whose first name is set off by
//! a verb or noun that only opens it (`list_openers`). The opener is no
//! predicate and X is no object: X is the first conjunct of the names after
//! it, so whatever they fill (a cast that gathers, the players called up),
//! X fills too.
use crate::grammar::Particle;
use crate::relations::bunsetsu::{link, Bunsetsu, Kind, Link};
use crate::tokens::Token;

/// Relinks each Xを + opener + noun of `bs` as a list.
pub(super) fn join(tokens: &[Token], bs: &mut [Bunsetsu], openers: &[String]) {
    let mut firsts = Vec::new();
    for i in 0..bs.len().saturating_sub(2) {
        let (x, opener) = (&bs[i], &bs[i + 1]);
        // The opener ends there (はじめ、 / 筆頭に): 始めた or 始めて is the verb
        // itself (水泳を始めた), whose object X is.
        let bare = opener
            .function
            .iter()
            .all(|f| matches!(f.as_str(), "、" | "," | "に"));
        let opens = x.kind == Kind::Nominal
            && x.case == Some(Particle::Wo)
            && !x.topic
            && openers.contains(&opener.lemma)
            && bare;
        if !opens {
            continue;
        }
        // The next conjunct: a bare or の-noun, not a number; an argument of
        // its own (水泳を始め、高校を経て) or a topic (始め、現在は) says the
        // opener was a verb after all.
        let Some(k) = (i + 2..bs.len()).find(|&k| bs[k].kind != Kind::Other) else {
            continue;
        };
        let next = &bs[k];
        let conjunct = next.kind == Kind::Nominal
            && !next.topic
            && matches!(next.case, None | Some(Particle::No))
            && tokens[next.content.clone()]
                .first()
                .is_some_and(|t| !t.is_number());
        if conjunct {
            firsts.push((i, k));
        }
    }
    if firsts.is_empty() {
        return;
    }
    for &(i, _) in &firsts {
        bs[i].case = None;
        bs[i + 1].kind = Kind::Other;
    }
    link(tokens, bs);
    for (i, k) in firsts {
        bs[i].link = Link::Coordinate;
        bs[i].head = Some(k);
    }
}
