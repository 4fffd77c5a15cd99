//! Nouns that sum up the names written before them: a count noun (A、B、Cの
//! 3人) or the noun an appositive word gives them to (A、Bという女優).
use super::{Kind, Link, Particle, Sent};

impl Sent<'_> {
    /// The names a count noun sums up (A、B、Cの3人, AとBの両社): the の-phrase
    /// before bunsetsu `b` when `b` is such a noun and names nothing itself;
    /// or the names an appositive phrase gives it (A、BといったキャストがA, B
    /// という俳優たち), also past what else describes that noun (A、Bという
    /// 同世代から支持される女優が集結: the names are the 女優).
    pub(super) fn summed_up(&self, b: usize) -> Option<usize> {
        if !self.ments[b].is_empty() {
            return None;
        }
        let appositive = (0..b).rev().find(|&k| {
            let x = &self.bs[k];
            // What follows the last name (Bといった, Bらの, 『B』などの), past
            // its closing bracket.
            let named_end = self.ments[k].last().map_or(0, |m| m.end);
            let marker: String = self.s.tokens[x.tokens.clone()]
                .iter()
                .filter(|t| t.start >= named_end)
                .map(|t| t.surface)
                .collect();
            let marker = marker.trim_start_matches(['」', '』', ')', '）']);
            x.link == Link::Adnominal
                && (x.head == Some(b) || self.phrase_head(k) == Some(b))
                && x.kind == Kind::Nominal
                && !self.ments[k].is_empty()
                && self.rules.appositives.iter().any(|a| a == marker)
        });
        if appositive.is_some() {
            return appositive;
        }
        let content = self.content(b);
        let counted = self.rules.group_counters.iter().any(|c| {
            content.strip_suffix(c.as_str()).is_some_and(|n| {
                !n.is_empty()
                    && n.chars()
                        .all(|ch| ch.is_ascii_digit() || "一二三四五六七八九十両".contains(ch))
            })
        });
        if !counted {
            return None;
        }
        (0..b).rev().find(|&k| {
            let x = &self.bs[k];
            x.head == Some(b)
                && x.link == Link::Adnominal
                && x.case == Some(Particle::No)
                && !self.ments[k].is_empty()
        })
    }
    /// The subject or object noun that the appositive bunsetsu `k` (Bという)
    /// leads to when other modifiers come between it and that noun: の-phrases
    /// and a relative clause (Bという同世代の女性から支持を受ける女優が集結:
    /// the 女優). A subject or object inside the clause ends the search
    /// with that noun (Bという女性が支持する女優: the names would be the
    /// 女性's, which is not so), and a name on the way belongs to that name.
    fn phrase_head(&self, k: usize) -> Option<usize> {
        let mut h = self.bs[k].head?;
        for _ in 0..self.bs.len() {
            let x = &self.bs[h];
            if !self.ments[h].is_empty() {
                return None;
            }
            let core = x.topic || matches!(x.case, Some(Particle::Ga | Particle::Wo));
            if x.kind == Kind::Nominal && core {
                return Some(h);
            }
            let in_clause =
                |v: usize| self.bs[v].kind == Kind::Verbal && self.bs[v].link == Link::Adnominal;
            h = match (x.kind, x.link, x.head) {
                (Kind::Nominal | Kind::Verbal, Link::Adnominal, Some(next)) => next,
                (Kind::Nominal, Link::Argument, Some(v)) if in_clause(v) => v,
                _ => return None,
            };
        }
        None
    }
}
